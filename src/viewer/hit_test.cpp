#include "viewer/hit_test.hpp"

#include <cmath>
#include <limits>

namespace hubmap::viewer {

namespace {

/// The dataset's own polygons, envelopes computed on `ctx`: the index clones each polygon it
/// reaches into `ctx` (as the query's workers do), so no copy of them all is kept here.
MunicipalityShapes shapesOf(const GeosContext& ctx, const Dataset& data) {
    std::vector<std::string> codes;
    std::vector<const GEOSGeometry*> geoms;
    for (const Municipality& m : data.municipalities) {
        codes.push_back(m.code);
        geoms.push_back(m.geom.get());
    }
    return MunicipalityShapes(ctx, std::move(codes), std::move(geoms));
}

}  // namespace

MunicipalityLocator::MunicipalityLocator(const Dataset& data) : shapes_(shapesOf(ctx_, data)), index_(ctx_, shapes_) {}

MunicipalityHit MunicipalityLocator::locate(double lon, double lat) const { return index_.locate(lon, lat); }

int municipalityAt(const MunicipalityLocator& locator, const MapProjection& projection, const ViewTransform& view,
                   ScreenPoint p) {
    const WorldPoint w = view.toWorld(p);
    const WorldPoint lonlat = projection.inverse(w.x, w.y);
    return locator.find(lonlat.x, lonlat.y);
}

int hubAt(const HubPoints& hubs, const std::vector<bool>& visible, const ViewTransform& view, ScreenPoint p,
          double radiusPx) {
    const WorldPoint w = view.toWorld(p);
    const double r = radiusPx / view.pixelsPerMetre();
    double best = r * r;
    int found = -1;
    for (std::size_t i = 0; i < hubs.size(); ++i) {
        const std::uint32_t k = hubs.kind[i];
        if (k >= visible.size() || !visible[k]) continue;
        const double dx = hubs.positions[2 * i] - w.x;
        const double dy = hubs.positions[2 * i + 1] - w.y;
        const double d2 = dx * dx + dy * dy;
        if (d2 <= best) {
            best = d2;
            found = static_cast<int>(i);
        }
    }
    return found;
}

}  // namespace hubmap::viewer
