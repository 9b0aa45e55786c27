#pragma once
// The map projection of hubmap-viewer: JGD2011 lon/lat (EPSG:6668) to a Japan-wide
// Albers equal-area conic in metres, through PROJ. Equal-area because the map's main
// use is a choropleth of covered area shares, which an equal-area map shows honestly.

#include <cstddef>

#include "core/geos.hpp"
#include "core/proj.hpp"

namespace hubmap::viewer {

/// A point in projected metres (x east, y north).
struct WorldPoint {
    double x = 0, y = 0;
    bool operator==(const WorldPoint& o) const { return x == o.x && y == o.y; }
};

/// An axis-aligned box in projected metres (hubmap::Bounds, with the tests the map needs).
struct WorldBounds : Bounds {
    bool intersects(const WorldBounds& other) const;
    bool contains(double x, double y) const;
    WorldPoint centre() const { return {(minx + maxx) / 2, (miny + maxy) / 2}; }
};

/// RAII over a PROJ context and its lon/lat → map transformation. PROJ objects are
/// not thread-safe: use one MapProjection per thread.
class MapProjection {
public:
    MapProjection();
    MapProjection(const MapProjection&) = delete;
    MapProjection& operator=(const MapProjection&) = delete;

    /// The target CRS as a PROJ string.
    static const char* definition();

    /// Projects `count` lon/lat pairs in place. `xy` holds interleaved lon, lat, lon, lat…
    /// (the layout of GEOSCoordSeq_copyToBuffer_r). Throws Error if PROJ fails.
    void forwardInterleaved(double* xy, std::size_t count) const;
    WorldPoint forward(double lon, double lat) const;
    /// Projected metres back to lon/lat (x = lon, y = lat).
    WorldPoint inverse(double x, double y) const;

private:
    ProjContextPtr context_;
    ProjPtr transform_;
};

}  // namespace hubmap::viewer
