#pragma once
// The dissolved catchments shown on the map and exported (CoverageResult::catchments):
// the union of many geodesic disks of one radius. With 100,000 hubs most disks lie deep
// inside the others, so two shortcuts keep it fast without changing the answer:
//  - disk shapes come from a table of vertex offsets by latitude (a geodesic disk's
//    offsets from its centre do not depend on its longitude);
//  - a grid marks the cells that lie wholly inside some disk. A disk whose every cell is
//    so marked adds nothing the cells do not already cover: it is left out, and the
//    marked cells it stands on join the union in its place.

#include <cstddef>
#include <utility>
#include <vector>

#include "core/geodesic.hpp"
#include "core/geos.hpp"
#include "core/progress.hpp"

namespace hubmap::detail {

/// The rings of geodesic disks of one radius: `vertices` points at geodesic distance
/// radius × equalAreaPolygonScale(vertices) from the centre (the polygon has the disk's area).
///
/// Geodesic::direct gives the vertex offsets on a 0.02° latitude grid, interpolated
/// linearly in between: the interpolation error is under (0.02°)²/8 times the offsets'
/// second derivative, about 1e-8 of the radius (0.1 mm at 10 km; tests check < 1 cm).
class DiskShapeTable {
public:
    /// Shapes for disks with these centres (lon, lat degrees, |lat| < 89.9).
    DiskShapeTable(const Geodesic& geodesic, double radiusM, int vertices,
                   const std::vector<std::pair<double, double>>& centres);
    int vertices() const { return vertices_; }
    /// The closed counter-clockwise ring of the disk centred on (lon, lat), at one of the
    /// latitudes of the centres given at construction (or one in the same 0.02° band): vertices + 1
    /// interleaved lon/lat pairs, the last equal to the first.
    void ring(double lon, double lat, std::vector<double>& out) const;

private:
    const std::vector<double>& row(long band) const;
    int vertices_;
    long firstBand_ = 0;
    std::vector<std::vector<double>> rows_;  ///< per band: (dlon, dlat) per vertex; empty when unused
};

/// What unionOfDisks did (for tests and benchmarks).
struct DiskUnionStats {
    std::size_t disks = 0;           ///< disks asked for
    std::size_t unioned = 0;         ///< disks that went into the union (the rest lie on covered cells)
    std::size_t coveredCells = 0;    ///< grid cells found wholly inside a disk
    std::size_t cellRectangles = 0;  ///< rectangles of covered cells that replaced the left-out disks
};

/// The union, as a lon/lat MultiPolygon owned through `owner`, of the disks of `shapes`
/// centred on `centres` (lon, lat). Runs on `threads` threads (0: every core); checks
/// `progress` for cancellation. The answer is the union of every disk's polygon.
GeomPtr unionOfDisks(const GeosContext& owner, const DiskShapeTable& shapes, double radiusM,
                     const std::vector<std::pair<double, double>>& centres, int threads, Progress& progress,
                     DiskUnionStats* stats = nullptr);

}  // namespace hubmap::detail
