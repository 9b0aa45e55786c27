#include "viewer/map_projection.hpp"

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

MapProjection::MapProjection()
    : context_(makeProjContext()), transform_(makeCrsToCrs(context_.get(), "EPSG:6668", definition())) {}

void MapProjection::forwardInterleaved(double* xy, std::size_t count) const {
    transformInterleaved(transform_.get(), PJ_FWD, xy, count);
}

WorldPoint MapProjection::forward(double lon, double lat) const {
    double xy[2] = {lon, lat};
    forwardInterleaved(xy, 1);
    return {xy[0], xy[1]};
}

WorldPoint MapProjection::inverse(double x, double y) const {
    // Not transformInterleaved, which throws: any point under the cursor may be asked for,
    // and one PROJ cannot invert comes back as HUGE_VAL rather than as an exception.
    PJ_COORD c = proj_coord(x, y, 0, 0);
    c = proj_trans(transform_.get(), PJ_INV, c);
    return {c.xy.x, c.xy.y};
}

}  // namespace hubmap::viewer
