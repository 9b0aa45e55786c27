#include "viewer/map_projection.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace hubmap::viewer {

bool WorldBounds::intersects(const WorldBounds& other) const {
    return !empty && !other.empty && minx <= other.maxx && other.minx <= maxx && miny <= other.maxy &&
           other.miny <= maxy;
}

bool WorldBounds::contains(double x, double y) const {
    return !empty && x >= minx && x <= maxx && y >= miny && y <= maxy;
}

const char* MapProjection::definition() {
    // Standard parallels 30°N and 42°N bracket Kyushu to southern Hokkaido; the central
    // meridian 137°E runs through the middle of Honshu.
    return "+proj=aea +lat_0=36 +lon_0=137 +lat_1=30 +lat_2=42 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs "
           "+type=crs";
}

MapProjection::MapProjection() : context_(proj_context_create()) {
    if (!context_) throw Error("PROJ: cannot create a context");
    PJ* raw = proj_create_crs_to_crs(context_.get(), "EPSG:6668", definition(), nullptr);
    if (!raw) {
        throw Error(fmt::format("PROJ: cannot create the map projection EPSG:6668 -> {}: {}", definition(),
                                proj_context_errno_string(context_.get(), proj_context_errno(context_.get()))));
    }
    // EPSG:6668 is lat/lon by definition; the viewer works in lon/lat (x, y) order.
    PJ* normalised = proj_normalize_for_visualization(context_.get(), raw);
    proj_destroy(raw);
    if (!normalised) throw Error("PROJ: cannot normalise the map projection's axis order");
    transform_.reset(normalised);
}

void MapProjection::forwardInterleaved(double* xy, std::size_t count) const {
    if (count == 0) return;
    proj_errno_reset(transform_.get());
    proj_trans_generic(transform_.get(), PJ_FWD, xy, 2 * sizeof(double), count, xy + 1, 2 * sizeof(double), count,
                       nullptr, 0, 0, nullptr, 0, 0);
    if (const int err = proj_errno(transform_.get())) {
        throw Error(fmt::format("PROJ: projecting {} coordinates failed: {}", count,
                                proj_context_errno_string(context_.get(), err)));
    }
}

WorldPoint MapProjection::forward(double lon, double lat) const {
    double xy[2] = {lon, lat};
    forwardInterleaved(xy, 1);
    return {xy[0], xy[1]};
}

WorldPoint MapProjection::inverse(double x, double y) const {
    PJ_COORD c = proj_coord(x, y, 0, 0);
    c = proj_trans(transform_.get(), PJ_INV, c);
    return {c.xy.x, c.xy.y};
}

}  // namespace hubmap::viewer
