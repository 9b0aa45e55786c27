#include "viewer/scale_bar.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/geodesic.hpp"

namespace hubmap::viewer {

ScaleBar chooseScaleBar(const ViewTransform& view, const MapProjection& projection, double maxPixels) {
    static const Geodesic geodesic;
    const ScreenPoint c = view.mapArea().centre();
    const double half = maxPixels / 2;
    const WorldPoint a = view.toWorld({c.x - half, c.y});
    const WorldPoint b = view.toWorld({c.x + half, c.y});
    const WorldPoint la = projection.inverse(a.x, a.y);
    const WorldPoint lb = projection.inverse(b.x, b.y);
    const double metresPerPixel = geodesic.distanceKm(la.x, la.y, lb.x, lb.y) * 1000.0 / maxPixels;
    ScaleBar bar;
    if (!(metresPerPixel > 0) || !std::isfinite(metresPerPixel)) return bar;
    const double maxMetres = metresPerPixel * maxPixels;
    const double decade = std::pow(10.0, std::floor(std::log10(maxMetres)));
    for (double step : {5.0, 2.0, 1.0}) {
        if (step * decade <= maxMetres) {
            bar.metres = step * decade;
            break;
        }
    }
    bar.pixels = bar.metres / metresPerPixel;
    bar.label = bar.metres >= 1000 ? fmt::format("{:g} km", bar.metres / 1000) : fmt::format("{:g} m", bar.metres);
    return bar;
}

}  // namespace hubmap::viewer
