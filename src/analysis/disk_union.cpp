#include "analysis/disk_union.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/catchment.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"

namespace hubmap::detail {

namespace {

constexpr double kBandDeg = 0.02;  ///< latitude step of DiskShapeTable

/// Grid cells per radius: smaller cells cover closer to the union's edge (fewer disks left
/// to union) but cost more to mark.
constexpr double kCellsPerRadius = 6.0;
constexpr std::size_t kMaxCells = std::size_t{1} << 23;  ///< 8M cells, 8 MB per worker
/// Disks unioned together on one worker (neighbours by longitude).
constexpr std::size_t kGroup = 2000;
/// Margin (degrees, 0.1 mm) by which a cell must lie inside a disk to count as covered,
/// far above the rounding of the half-plane tests.
constexpr double kInsideMargin = 1e-9;

long bandOf(double lat) { return static_cast<long>(std::floor(lat / kBandDeg)); }

/// A regular lon/lat grid over every disk, cell (i, j) spanning [x(i), x(i+1)] × [y(j), y(j+1)].
/// Every test and every rectangle uses x() and y(), so they agree to the last bit.
struct Grid {
    double x0 = 0, y0 = 0, cellWidth = 1, cellHeight = 1;
    long nx = 0, ny = 0;
    double x(long i) const { return x0 + static_cast<double>(i) * cellWidth; }
    double y(long j) const { return y0 + static_cast<double>(j) * cellHeight; }
    std::size_t at(long i, long j) const {
        return static_cast<std::size_t>(j) * static_cast<std::size_t>(nx) + static_cast<std::size_t>(i);
    }
    std::size_t cells() const { return static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny); }
};

Grid gridFor(const std::vector<std::pair<double, double>>& centres, double radiusM) {
    double minLon = 180, maxLon = -180, minLat = 90, maxLat = -90;
    for (const auto& [lon, lat] : centres) {
        minLon = std::min(minLon, lon);
        maxLon = std::max(maxLon, lon);
        minLat = std::min(minLat, lat);
        maxLat = std::max(maxLat, lat);
    }
    const double km = radiusM / 1000.0 * 1.01;  // the polygons reach slightly beyond the radius
    const double maxAbsLat = std::min(89.0, std::max(std::fabs(minLat), std::fabs(maxLat)) + kmToLatDegrees(km));
    const double dLat = kmToLatDegrees(km), dLon = kmToLonDegrees(km, maxAbsLat);
    Grid g;
    g.x0 = minLon - dLon;
    g.y0 = minLat - dLat;
    const double width = maxLon - minLon + 2 * dLon, height = maxLat - minLat + 2 * dLat;
    g.cellHeight = kmToLatDegrees(radiusM / 1000.0 / kCellsPerRadius);
    g.cellWidth = kmToLonDegrees(radiusM / 1000.0 / kCellsPerRadius, std::fabs(0.5 * (minLat + maxLat)));
    double nx = std::ceil(width / g.cellWidth), ny = std::ceil(height / g.cellHeight);
    if (nx * ny > static_cast<double>(kMaxCells)) {  // widely spread disks: coarser cells
        const double grow = std::sqrt(nx * ny / static_cast<double>(kMaxCells)) * 1.01;
        g.cellWidth *= grow;
        g.cellHeight *= grow;
        nx = std::ceil(width / g.cellWidth);
        ny = std::ceil(height / g.cellHeight);
    }
    g.nx = static_cast<long>(nx) + 1;
    g.ny = static_cast<long>(ny) + 1;
    return g;
}

/// The interval of the horizontal line at `y` that lies left of every edge of the
/// counter-clockwise `ring`: the line's part of the ring's kernel, which for a convex ring
/// (a disk) is the ring itself, and for any ring lies inside it. False when empty.
bool kernelSpan(const std::vector<double>& ring, double y, double& lo, double& hi) {
    lo = -std::numeric_limits<double>::infinity();
    hi = std::numeric_limits<double>::infinity();
    const std::size_t points = ring.size() / 2;
    for (std::size_t k = 0; k + 1 < points; ++k) {
        const double ax = ring[2 * k], ay = ring[2 * k + 1], bx = ring[2 * k + 2], by = ring[2 * k + 3];
        const double dx = bx - ax, dy = by - ay;
        // Left of a→b: dx·(y − ay) − dy·(x − ax) ≥ 0.
        if (dy > 0) {
            hi = std::min(hi, ax + dx * (y - ay) / dy);
        } else if (dy < 0) {
            lo = std::max(lo, ax + dx * (y - ay) / dy);
        } else if (dx * (y - ay) < 0) {
            return false;
        }
    }
    return lo < hi;
}

void ringLatRange(const std::vector<double>& ring, double& minLat, double& maxLat) {
    minLat = std::numeric_limits<double>::infinity();
    maxLat = -minLat;
    for (std::size_t k = 1; k < ring.size(); k += 2) {
        minLat = std::min(minLat, ring[k]);
        maxLat = std::max(maxLat, ring[k]);
    }
}

/// Marks in `covered` the cells wholly inside the ring (all four corners inside its
/// kernel, by kInsideMargin: the kernel is convex, so the whole cell is inside).
void markCoveredCells(const Grid& g, const std::vector<double>& ring, std::vector<unsigned char>& covered) {
    double minLat = 0, maxLat = 0;
    ringLatRange(ring, minLat, maxLat);
    const long j0 = std::max(0L, static_cast<long>(std::ceil((minLat - g.y0) / g.cellHeight)));
    const long j1 = std::min(g.ny, static_cast<long>(std::floor((maxLat - g.y0) / g.cellHeight)));
    double prevLo = 0, prevHi = 0;
    bool prev = false;
    for (long j = j0; j <= j1; ++j) {
        double lo = 0, hi = 0;
        const bool here = kernelSpan(ring, g.y(j), lo, hi);
        if (prev && here && j > 0) {  // cell row j − 1 lies between lines j − 1 and j
            const double from = std::max(lo, prevLo) + kInsideMargin, to = std::min(hi, prevHi) - kInsideMargin;
            long i = std::max(0L, static_cast<long>(std::ceil((from - g.x0) / g.cellWidth)));
            while (i < g.nx && g.x(i) < from) ++i;
            for (; i < g.nx && g.x(i + 1) <= to; ++i) covered[g.at(i, j - 1)] = 1;
        }
        prev = here;
        prevLo = lo;
        prevHi = hi;
    }
}

/// Calls visit(i, j) for every cell the ring's polygon may meet (a superset: the polygon's
/// extent within each row of cells, widened by a margin); false if it reaches off the grid.
template <class Visit>
bool forCellsUnder(const Grid& g, const std::vector<double>& ring, Visit&& visit) {
    double minLat = 0, maxLat = 0;
    ringLatRange(ring, minLat, maxLat);
    const long j0 = static_cast<long>(std::floor((minLat - kInsideMargin - g.y0) / g.cellHeight));
    const long j1 = static_cast<long>(std::floor((maxLat + kInsideMargin - g.y0) / g.cellHeight));
    if (j0 < 0 || j1 >= g.ny) return false;
    const std::size_t points = ring.size() / 2;
    for (long j = j0; j <= j1; ++j) {
        const double bottom = g.y(j), top = g.y(j + 1);
        // The polygon's extent in the row is its edges' extent there (clipped to the row).
        double from = std::numeric_limits<double>::infinity(), to = -from;
        for (std::size_t k = 0; k + 1 < points; ++k) {
            const double ax = ring[2 * k], ay = ring[2 * k + 1], bx = ring[2 * k + 2], by = ring[2 * k + 3];
            if (std::max(ay, by) < bottom - kInsideMargin || std::min(ay, by) > top + kInsideMargin) continue;
            double xa = ax, xb = bx;
            if (ay != by) {
                auto xAt = [&](double y) { return ax + (bx - ax) * (y - ay) / (by - ay); };
                const double lowY = std::max(std::min(ay, by), bottom), highY = std::min(std::max(ay, by), top);
                xa = xAt(lowY);
                xb = xAt(highY);
            }
            from = std::min({from, xa, xb});
            to = std::max({to, xa, xb});
        }
        if (from > to) continue;
        const long i0 = static_cast<long>(std::floor((from - kInsideMargin - g.x0) / g.cellWidth));
        const long i1 = static_cast<long>(std::floor((to + kInsideMargin - g.x0) / g.cellWidth));
        if (i0 < 0 || i1 >= g.nx) return false;
        for (long i = i0; i <= i1; ++i) {
            if (!visit(i, j)) return false;
        }
    }
    return true;
}

/// Calls mark(d, ring of disk d, cells) for every disk, on `workers` threads each marking
/// its own map of grid cells; returns the maps ORed together.
template <class Mark>
std::vector<unsigned char> markCellsByDisk(const Grid& grid, const DiskShapeTable& shapes,
                                           const std::vector<std::pair<double, double>>& centres, int workers,
                                           Progress& progress, Mark&& mark) {
    constexpr std::size_t kBatch = 1024;
    std::vector<std::vector<unsigned char>> maps(static_cast<std::size_t>(workers));
    WorkQueue queue((centres.size() + kBatch - 1) / kBatch);
    runWorkers(workers, queue, [&](int worker) {
        std::vector<unsigned char>& mine = maps[static_cast<std::size_t>(worker)];
        mine.assign(grid.cells(), 0);
        std::vector<double> ring;
        std::size_t batch = 0;
        while (queue.next(batch)) {
            progress.checkCancelled();
            for (std::size_t d = batch * kBatch; d < std::min(centres.size(), (batch + 1) * kBatch); ++d) {
                shapes.ring(centres[d].first, centres[d].second, ring);
                mark(d, ring, mine);
            }
        }
    });
    for (std::size_t w = 1; w < maps.size(); ++w) {
        for (std::size_t c = 0; c < maps[0].size(); ++c) maps[0][c] |= maps[w][c];
    }
    return std::move(maps.front());
}

/// Rectangles of the marked cells: runs along each row, stacked while the next row has
/// the same run.
std::vector<GeomPtr> cellRectangles(const GeosContext& ctx, const Grid& g, const std::vector<unsigned char>& marked) {
    struct Open {
        long i0, i1, j0;
    };
    std::vector<GeomPtr> rectangles;
    std::vector<Open> open, next;
    auto emit = [&](const Open& o, long jEnd) {
        rectangles.push_back(takeGeom(ctx, GEOSGeom_createRectangle_r(ctx, g.x(o.i0), g.y(o.j0), g.x(o.i1), g.y(jEnd)),
                                      "cell rectangle"));
    };
    for (long j = 0; j <= g.ny; ++j) {
        next.clear();
        std::size_t o = 0;
        for (long i = 0; j < g.ny && i < g.nx;) {
            if (!marked[g.at(i, j)]) {
                ++i;
                continue;
            }
            const long start = i;
            while (i < g.nx && marked[g.at(i, j)]) ++i;
            // Runs in `open` are sorted by i0: close those ending before this run.
            while (o < open.size() && open[o].i0 < start) emit(open[o++], j);
            if (o < open.size() && open[o].i0 == start && open[o].i1 == i) {
                next.push_back(open[o++]);
            } else {
                next.push_back({start, i, j});
            }
        }
        while (o < open.size()) emit(open[o++], j);
        open.swap(next);
    }
    return rectangles;
}

}  // namespace

DiskShapeTable::DiskShapeTable(const Geodesic& geodesic, double radiusM, int vertices,
                               const std::vector<std::pair<double, double>>& centres)
    : vertices_(vertices) {
    if (centres.empty()) return;
    long first = std::numeric_limits<long>::max(), last = std::numeric_limits<long>::min();
    for (const auto& [lon, lat] : centres) {
        if (!(std::fabs(lat) < 89.9)) throw Error("a catchment centre's latitude must lie within ±89.9°");
        first = std::min(first, bandOf(lat));
        last = std::max(last, bandOf(lat) + 1);
    }
    firstBand_ = first;
    rows_.resize(static_cast<std::size_t>(last - first + 1));
    std::vector<char> used(rows_.size(), 0);
    for (const auto& [lon, lat] : centres) {
        used[static_cast<std::size_t>(bandOf(lat) - first)] = 1;
        used[static_cast<std::size_t>(bandOf(lat) - first + 1)] = 1;
    }
    const double km = radiusM * equalAreaPolygonScale(vertices) / 1000.0;
    for (std::size_t b = 0; b < rows_.size(); ++b) {
        if (!used[b]) continue;
        const double lat = static_cast<double>(first + static_cast<long>(b)) * kBandDeg;
        std::vector<double>& row = rows_[b];
        row.resize(2 * static_cast<std::size_t>(vertices));
        for (int k = 0; k < vertices; ++k) {
            // Clockwise azimuths from north, listed so the ring runs counter-clockwise.
            const double azimuth = 360.0 * (vertices - k) / vertices;
            double lonOut = 0, latOut = 0;
            geodesic.direct(0.0, lat, azimuth, km, lonOut, latOut);
            row[2 * static_cast<std::size_t>(k)] = lonOut;
            row[2 * static_cast<std::size_t>(k) + 1] = latOut - lat;
        }
    }
}

const std::vector<double>& DiskShapeTable::row(long band) const {
    const long at = band - firstBand_;
    if (at < 0 || at >= static_cast<long>(rows_.size()) || rows_[static_cast<std::size_t>(at)].empty()) {
        throw Error("DiskShapeTable: a latitude outside the table (internal error)");
    }
    return rows_[static_cast<std::size_t>(at)];
}

void DiskShapeTable::ring(double lon, double lat, std::vector<double>& out) const {
    const long band = bandOf(lat);
    const std::vector<double>& below = row(band);
    const std::vector<double>& above = row(band + 1);
    const double t = lat / kBandDeg - static_cast<double>(band);
    const std::size_t n = static_cast<std::size_t>(vertices_);
    out.resize(2 * (n + 1));
    for (std::size_t k = 0; k < 2 * n; k += 2) {
        out[k] = lon + below[k] + t * (above[k] - below[k]);
        out[k + 1] = lat + below[k + 1] + t * (above[k + 1] - below[k + 1]);
    }
    out[2 * n] = out[0];
    out[2 * n + 1] = out[1];
}

GeomPtr unionOfDisks(const GeosContext& owner, const DiskShapeTable& shapes, double radiusM,
                     const std::vector<std::pair<double, double>>& centres, int threads, Progress& progress,
                     DiskUnionStats* stats) {
    GeosContext ctx;  // the caller's context may be in use on another thread (the viewer's)
    DiskUnionStats counts;
    counts.disks = centres.size();
    if (centres.empty()) {
        if (stats) *stats = counts;
        return adopt(owner, takeGeom(ctx, GEOSGeom_createEmptyCollection_r(ctx, GEOS_MULTIPOLYGON), "empty catchment"));
    }
    const Grid grid = gridFor(centres, radiusM);
    const int workers = workerCount(threads, centres.size() / 1000 + 1);

    // 1. Cells wholly inside some disk.
    const std::vector<unsigned char> covered =
        markCellsByDisk(grid, shapes, centres, workers, progress,
                        [&](std::size_t, const std::vector<double>& ring, std::vector<unsigned char>& cells) {
                            markCoveredCells(grid, ring, cells);
                        });
    counts.coveredCells = static_cast<std::size_t>(std::count(covered.begin(), covered.end(), 1));

    // 2. Disks standing on covered cells only are left out; the cells they stand on are needed.
    std::vector<char> leftOut(centres.size(), 0);
    const std::vector<unsigned char> needed =
        markCellsByDisk(grid, shapes, centres, workers, progress,
                        [&](std::size_t d, const std::vector<double>& ring, std::vector<unsigned char>& cells) {
                            thread_local std::vector<std::size_t> under;  // the cells under disk d, one pass
                            under.clear();
                            const bool onCovered = forCellsUnder(grid, ring, [&](long i, long j) {
                                under.push_back(grid.at(i, j));
                                return covered[under.back()] != 0;
                            });
                            if (!onCovered) return;
                            leftOut[d] = 1;
                            for (std::size_t c : under) cells[c] = 1;
                        });

    // 3. The other disks unioned in groups of neighbours, then with the needed cells.
    std::vector<std::size_t> kept;
    for (std::size_t d = 0; d < centres.size(); ++d) {
        if (!leftOut[d]) kept.push_back(d);
    }
    counts.unioned = kept.size();
    std::sort(kept.begin(), kept.end(), [&](std::size_t a, std::size_t b) { return centres[a] < centres[b]; });
    const std::size_t groups = (kept.size() + kGroup - 1) / kGroup;
    std::vector<GeomPtr> unions(groups + 1);
    WorkQueue queue(groups + 1);
    runWorkers(workerCount(threads, groups + 1), queue, [&](int) {
        GeosContext local;
        std::vector<double> ring;
        std::size_t g = 0;
        while (queue.next(g)) {
            progress.checkCancelled();
            std::vector<GeomPtr> parts;
            if (g == groups) {
                parts = cellRectangles(local, grid, needed);
            } else {
                for (std::size_t k = g * kGroup; k < std::min(kept.size(), (g + 1) * kGroup); ++k) {
                    const auto& [lon, lat] = centres[kept[k]];
                    shapes.ring(lon, lat, ring);
                    parts.push_back(polygonFromRing(local, ring));
                }
            }
            if (g == groups) counts.cellRectangles = parts.size();
            if (!parts.empty()) unions[g] = adopt(ctx, unionAll(local, parts));
        }
    });
    if (stats) *stats = counts;
    return adopt(owner, toMultiPolygon(ctx, unionAll(ctx, unions)));
}

}  // namespace hubmap::detail
