#include "viewer/map_geometry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace hubmap::viewer {

namespace {

/// Coordinates of a geometry's sequence as interleaved x, y.
std::vector<double> coordinates(const GeosContext& ctx, const GEOSGeometry* g) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, g);
    unsigned int size = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &size)) throw Error("GEOS: cannot read a coordinate sequence");
    std::vector<double> xy(2 * static_cast<std::size_t>(size));
    if (size > 0 && !GEOSCoordSeq_copyToBuffer_r(ctx, seq, xy.data(), 0, 0)) {
        throw Error("GEOS: cannot copy a coordinate sequence");
    }
    return xy;
}

/// Calls `fn(polygon)` for each polygon of a Polygon or MultiPolygon.
template <typename Fn>
void forEachPolygon(const GeosContext& ctx, const GEOSGeometry* g, Fn&& fn) {
    const int type = GEOSGeomTypeId_r(ctx, g);
    if (type == GEOS_POLYGON) {
        fn(g);
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; ++i) forEachPolygon(ctx, GEOSGetGeometryN_r(ctx, g, i), fn);
    }
}

/// Calls `fn(ring)` for each ring of a Polygon or MultiPolygon: each non-empty polygon's
/// exterior ring, then its holes.
template <typename Fn>
void forEachRing(const GeosContext& ctx, const GEOSGeometry* g, Fn&& fn) {
    forEachPolygon(ctx, g, [&](const GEOSGeometry* polygon) {
        if (GEOSisEmpty_r(ctx, polygon)) return;
        fn(GEOSGetExteriorRing_r(ctx, polygon));
        const int holes = GEOSGetNumInteriorRings_r(ctx, polygon);
        for (int h = 0; h < holes; ++h) fn(GEOSGetInteriorRingN_r(ctx, polygon, h));
    });
}

/// A segment regardless of direction (lon/lat as stored).
struct EdgeKey {
    double ax, ay, bx, by;
    static EdgeKey of(const double* p, const double* q) {
        if (std::tie(p[0], p[1]) <= std::tie(q[0], q[1])) return {p[0], p[1], q[0], q[1]};
        return {q[0], q[1], p[0], p[1]};
    }
    bool operator==(const EdgeKey& o) const { return ax == o.ax && ay == o.ay && bx == o.bx && by == o.by; }
};
struct EdgeKeyHash {
    std::size_t operator()(const EdgeKey& k) const {
        std::uint64_t v[4];
        std::memcpy(v, &k, sizeof v);
        std::uint64_t h = 1469598103934665603ull;
        for (std::uint64_t x : v) h = (h ^ x) * 1099511628211ull;
        return static_cast<std::size_t>(h);
    }
};

WorldPoint labelPoint(const GeosContext& ctx, const MapProjection& projection, const GEOSGeometry* g) {
    GeomPtr p = takeGeom(ctx, GEOSPointOnSurface_r(ctx, g), "point on surface");
    double x = 0, y = 0;
    GEOSGeomGetX_r(ctx, p.get(), &x);
    GEOSGeomGetY_r(ctx, p.get(), &y);
    return projection.forward(x, y);
}

/// Runs fn(ctx, projection, index) for index in [0, count) on core/parallel's workers
/// (`threads`, 0 = every core); each worker has its own GEOS context and projection.
/// Rethrows the first exception.
template <typename Fn>
void parallelFor(std::size_t count, int threads, Fn&& fn) {
    WorkQueue queue(count);
    runWorkers(workerCount(threads, count), queue, [&](int) {
        GeosContext ctx;
        MapProjection projection;
        for (std::size_t i = 0; queue.next(i);) fn(ctx, projection, i);
    });
}

/// Grows `b` to hold the points of the interleaved x, y floats xy[begin, end).
void expandByPoints(WorldBounds& b, const std::vector<float>& xy, std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k + 1 < end; k += 2) b.expand(xy[k], xy[k + 1]);
}

/// Orders a level's symbols by kind group (`rank` per kind), then by chunk cell row by
/// row, and records the chunks and groups.
void chunkHubLevel(HubLevel& level, const std::vector<std::size_t>& rank) {
    const std::size_t n = level.size();
    // (kind's rank, row, column) per symbol.
    std::vector<std::array<std::int64_t, 3>> cells(n);
    for (std::size_t i = 0; i < n; ++i) {
        cells[i] = {static_cast<std::int64_t>(rank[level.kind[i]]),
                    static_cast<std::int64_t>(std::floor(level.positions[2 * i + 1] / kHubChunkMetres)),
                    static_cast<std::int64_t>(std::floor(level.positions[2 * i] / kHubChunkMetres))};
    }
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cells[a] < cells[b]; });
    std::vector<float> positions(2 * n);
    std::vector<std::uint32_t> kind(n);
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = order[k];
        positions[2 * k] = level.positions[2 * i];
        positions[2 * k + 1] = level.positions[2 * i + 1];
        kind[k] = level.kind[i];
        const bool newKind = k == 0 || kind[k] != kind[k - 1];
        if (newKind) level.groups.push_back(HubKindGroup{kind[k], level.chunks.size(), 0});
        if (newKind || cells[i] != cells[order[k - 1]]) {
            level.chunks.push_back(DrawRange{k, 0, {}});
            ++level.groups.back().chunkCount;
        }
        DrawRange& chunk = level.chunks.back();
        ++chunk.count;
        chunk.bounds.expand(positions[2 * k], positions[2 * k + 1]);
    }
    level.positions = std::move(positions);
    level.kind = std::move(kind);
}

/// Per hub of `located` (indices into data.hubs): ex, ey, nx, ny, the projected offset of one
/// ground metre east and north, by central differences over ±100 m on GRS80 (the radii of
/// curvature turn metres into degrees); the truncation error is far below a float's.
std::vector<float> diskFrames(const Dataset& data, const std::vector<int>& located, const MapProjection& projection) {
    constexpr double kA = 6378137.0, kF = 1 / 298.257222101, kE2 = kF * (2 - kF);
    constexpr double kStep = 100.0, kDegree = 3.14159265358979323846 / 180;
    std::vector<double> xy;
    xy.reserve(8 * located.size());
    for (int i : located) {
        const Hub& h = data.hubs[static_cast<std::size_t>(i)];
        const double s = std::sin(*h.lat * kDegree), w = std::sqrt(1 - kE2 * s * s);
        const double n = kA / w, m = kA * (1 - kE2) / (w * w * w);  // prime vertical, meridian
        const double dLon = kStep / (n * std::cos(*h.lat * kDegree)) / kDegree, dLat = kStep / m / kDegree;
        xy.insert(xy.end(),
                  {*h.lon + dLon, *h.lat, *h.lon - dLon, *h.lat, *h.lon, *h.lat + dLat, *h.lon, *h.lat - dLat});
    }
    projection.forwardInterleaved(xy.data(), xy.size() / 2);
    std::vector<float> frames(4 * located.size());
    for (std::size_t j = 0; j < located.size(); ++j) {
        const double* p = &xy[8 * j];
        frames[4 * j] = static_cast<float>((p[0] - p[2]) / (2 * kStep));
        frames[4 * j + 1] = static_cast<float>((p[1] - p[3]) / (2 * kStep));
        frames[4 * j + 2] = static_cast<float>((p[4] - p[6]) / (2 * kStep));
        frames[4 * j + 3] = static_cast<float>((p[5] - p[7]) / (2 * kStep));
    }
    return frames;
}

/// The prefectures' borders as segments, projected, from their simplified rings (per
/// prefecture, lon/lat and the same projected): a border two prefectures share is drawn
/// once, from the first of them (llvmpipe's cost is per pixel block a segment's quad touches:
/// the second copy, beside the first, cost as much). Each prefecture's data is simplified on
/// its own (and N03's prefectures are not edge-matched), so the second one's copy is found
/// as its segments whose ends and middle lie within `shared` degrees of the first one's
/// rings; with `shared` 0 every ring is drawn whole.
void prefectureBorderLines(const std::vector<std::vector<std::vector<double>>>& rings,
                           const std::vector<std::vector<std::vector<double>>>& projected, double shared,
                           std::vector<LineMesh>& lines) {
    // Every segment in the grid cells of points along it half a cell apart (lon/lat as
    // stored). A point within `shared` of a segment is then within 3/4 of a cell of one of
    // those points: the segment is listed in the 3 x 3 cells around the point's.
    struct Segment {
        std::size_t prefecture;
        const double* a;  // x0, y0, x1, y1
    };
    // Cells of at least 0.01° (about a kilometre): a few segments each at the finest level.
    const double cell = std::max(2 * shared, 0.01);
    auto cellOf = [&](double v) { return static_cast<std::int64_t>(std::floor(v / cell)); };
    auto key = [](std::int64_t cx, std::int64_t cy) {
        return static_cast<std::uint64_t>(cx & 0xFFFFFFFF) << 32 | static_cast<std::uint64_t>(cy & 0xFFFFFFFF);
    };
    std::unordered_map<std::uint64_t, std::vector<Segment>> grid;
    if (shared > 0) {
        for (std::size_t p = 0; p < rings.size(); ++p) {
            for (const std::vector<double>& xy : rings[p]) {
                for (std::size_t i = 0; i + 3 < xy.size(); i += 2) {
                    const double dx = xy[i + 2] - xy[i], dy = xy[i + 3] - xy[i + 1];
                    const int steps = 1 + static_cast<int>(std::hypot(dx, dy) / (cell / 2));
                    std::uint64_t last = 0;
                    for (int k = 0; k <= steps; ++k) {
                        const double t = static_cast<double>(k) / steps;
                        const std::uint64_t c = key(cellOf(xy[i] + t * dx), cellOf(xy[i + 1] + t * dy));
                        if (k > 0 && c == last) continue;
                        std::vector<Segment>& list = grid[c];
                        if (list.empty() || list.back().a != &xy[i]) list.push_back({p, &xy[i]});
                        last = c;
                    }
                }
            }
        }
    }
    // Whether (x, y) lies within `shared` of a segment of a prefecture before `prefecture`.
    auto nearEarlier = [&](std::size_t prefecture, double x, double y) {
        const double r2 = shared * shared;
        const std::int64_t cx = cellOf(x), cy = cellOf(y);
        for (std::int64_t dy = -1; dy <= 1; ++dy) {
            for (std::int64_t dx = -1; dx <= 1; ++dx) {
                const auto found = grid.find(key(cx + dx, cy + dy));
                if (found == grid.end()) continue;
                for (const Segment& s : found->second) {
                    if (s.prefecture >= prefecture) continue;
                    const double ax = s.a[0], ay = s.a[1], vx = s.a[2] - ax, vy = s.a[3] - ay;
                    const double l2 = vx * vx + vy * vy;
                    const double t = l2 > 0 ? std::clamp(((x - ax) * vx + (y - ay) * vy) / l2, 0.0, 1.0) : 0.0;
                    const double ex = ax + t * vx - x, ey = ay + t * vy - y;
                    if (ex * ex + ey * ey <= r2) return true;
                }
            }
        }
        return false;
    };
    // 3–25 ms a level: no threads (each would need its own projection).
    for (std::size_t p = 0; p < rings.size(); ++p) {
        for (std::size_t r = 0; r < rings[p].size(); ++r) {
            const std::vector<double>& lonLat = rings[p][r];
            const std::vector<double>& xy = projected[p][r];
            for (std::size_t i = 0; i + 3 < xy.size(); i += 2) {
                const double* a = &lonLat[i];
                if (shared > 0 && nearEarlier(p, a[0], a[1]) && nearEarlier(p, a[2], a[3]) &&
                    nearEarlier(p, (a[0] + a[2]) / 2, (a[1] + a[3]) / 2)) {
                    continue;
                }
                lines[p].segments.insert(lines[p].segments.end(),
                                         {static_cast<float>(xy[i]), static_cast<float>(xy[i + 1]),
                                          static_cast<float>(xy[i + 2]), static_cast<float>(xy[i + 3])});
            }
        }
    }
}

}  // namespace

std::uint32_t FillMesh::encodeAltitude(double metres) {
    if (!(metres > std::ldexp(1.0, -10))) return 0;  // also NaN
    int exponent = 0;
    const double fraction = std::frexp(metres, &exponent);  // metres = fraction × 2^exponent, fraction in [0.5, 1)
    long mantissa = std::lround((2 * fraction - 1) * 256);
    int e = exponent + 9;
    if (mantissa == 256) {
        mantissa = 0;
        ++e;
    }
    if (e > 31) return 0x1FFFu;
    return static_cast<std::uint32_t>(e) << 8 | static_cast<std::uint32_t>(mantissa);
}

double FillMesh::decodeAltitude(std::uint32_t code) {
    return std::ldexp(256.0 + (code & 255u), static_cast<int>(code >> 8) - 18);
}

void FillMesh::append(const FillMesh& other) {
    positions.insert(positions.end(), other.positions.begin(), other.positions.end());
    attributes.insert(attributes.end(), other.attributes.begin(), other.attributes.end());
}

void appendTriangulated(const GeosContext& ctx, const MapProjection& projection, const GEOSGeometry* polygonal,
                        std::uint32_t featureId, FillMesh& mesh) {
    if (featureId >= FillMesh::kMaxFeatures) {
        throw Error(fmt::format("feature {} of the map's fill: the vertex data has room for {}", featureId,
                                FillMesh::kMaxFeatures));
    }
    forEachPolygon(ctx, polygonal, [&](const GEOSGeometry* polygon) {
        if (GEOSisEmpty_r(ctx, polygon)) return;
        // The polygon's own edges: a triangle edge among them is on the boundary.
        std::unordered_set<EdgeKey, EdgeKeyHash> boundary;
        forEachRing(ctx, polygon, [&](const GEOSGeometry* ring) {
            const std::vector<double> xy = coordinates(ctx, ring);
            for (std::size_t i = 0; i + 3 < xy.size(); i += 2) boundary.insert(EdgeKey::of(&xy[i], &xy[i + 2]));
        });

        GeomPtr triangles =
            takeGeom(ctx, GEOSConstrainedDelaunayTriangulation_r(ctx, polygon), "constrained Delaunay triangulation");
        const int n = GEOSGetNumGeometries_r(ctx, triangles.get());
        std::vector<double> corners;  // lon, lat of each triangle corner
        corners.reserve(6 * static_cast<std::size_t>(n));
        std::vector<unsigned> masks;
        masks.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* ring = GEOSGetExteriorRing_r(ctx, GEOSGetGeometryN_r(ctx, triangles.get(), i));
            const std::vector<double> xy = coordinates(ctx, ring);
            if (xy.size() < 8) continue;
            unsigned mask = 0;
            for (int e = 0; e < 3; ++e) {
                // Edge e is opposite corner e: it joins corners e+1 and e+2.
                const int a = (e + 1) % 3, b = (e + 2) % 3;
                if (boundary.count(EdgeKey::of(&xy[2 * a], &xy[2 * b]))) mask |= 1u << e;
            }
            corners.insert(corners.end(), xy.begin(), xy.begin() + 6);
            masks.push_back(mask);
        }
        projection.forwardInterleaved(corners.data(), corners.size() / 2);
        for (double v : corners) mesh.positions.push_back(static_cast<float>(v));
        for (std::size_t t = 0; t < masks.size(); ++t) {
            const double* c = &corners[6 * t];
            // Altitude of corner i: twice the area over the length of the opposite edge.
            const double twiceArea = std::abs((c[2] - c[0]) * (c[5] - c[1]) - (c[4] - c[0]) * (c[3] - c[1]));
            for (int corner = 0; corner < 3; ++corner) {
                const double* a = &c[2 * ((corner + 1) % 3)];
                const double* b = &c[2 * ((corner + 2) % 3)];
                const double edge = std::hypot(b[0] - a[0], b[1] - a[1]);
                const double altitude = edge > 0 ? twiceArea / edge : 0;
                mesh.attributes.push_back(FillMesh::packAttributes(featureId, corner, masks[t], altitude));
            }
        }
    });
}

WorldBounds appendRings(const GeosContext& ctx, const MapProjection& projection, const GEOSGeometry* polygonal,
                        LineMesh& lines) {
    WorldBounds b;
    forEachRing(ctx, polygonal, [&](const GEOSGeometry* ring) {
        std::vector<double> xy = coordinates(ctx, ring);
        const std::size_t n = xy.size() / 2;
        if (n < 2) return;
        projection.forwardInterleaved(xy.data(), n);
        for (std::size_t i = 0; i + 1 < n; ++i) {
            lines.segments.insert(lines.segments.end(),
                                  {static_cast<float>(xy[2 * i]), static_cast<float>(xy[2 * i + 1]),
                                   static_cast<float>(xy[2 * i + 2]), static_cast<float>(xy[2 * i + 3])});
            b.expand(xy[2 * i], xy[2 * i + 1]);
        }
    });
    return b;
}

MapIndex buildMapIndex(const Dataset& data, int threads) {
    const std::size_t nm = data.municipalities.size();
    const std::size_t np = data.prefectures.size();
    MapIndex index;
    index.municipalityBounds.resize(nm);
    index.municipalityLabels.resize(nm);
    index.prefectureBounds.resize(np);
    index.prefectureLabels.resize(np);
    parallelFor(np + nm, threads, [&](const GeosContext& ctx, const MapProjection& projection, std::size_t job) {
        LineMesh scratch;  // rings projected only for their bounds
        if (job < np) {
            const Prefecture& p = data.prefectures[job];
            if (!p.geom) return;
            index.prefectureBounds[job] = appendRings(ctx, projection, p.geom.get(), scratch);
            index.prefectureLabels[job] = labelPoint(ctx, projection, p.geom.get());
            return;
        }
        const std::size_t i = job - np;
        const Municipality& m = data.municipalities[i];
        index.municipalityBounds[i] = appendRings(ctx, projection, m.geom.get(), scratch);
        index.municipalityLabels[i] = labelPoint(ctx, projection, m.geom.get());
    });
    for (const WorldBounds& b : index.municipalityBounds) index.japan.expand(b);
    return index;
}

std::size_t levelIndexFor(double pixelsPerMetre) {
    for (std::size_t i = 0; i < std::size(kLevelTolerancesDeg); ++i) {
        if (levelFits(kLevelTolerancesDeg[i] * kMetresPerDegree, pixelsPerMetre)) return i;
    }
    return std::size(kLevelTolerancesDeg) - 1;
}

MapLevel buildMapLevel(const Dataset& data, double toleranceDeg, int threads) {
    const std::size_t nm = data.municipalities.size();
    const std::size_t np = data.prefectures.size();
    std::vector<FillMesh> fills(nm);
    std::vector<std::uint8_t> uncut(nm, 0);  // MapLevel::uncutParts, written by the jobs
    std::vector<LineMesh> prefBorders(np);
    // Each prefecture's simplified rings: lon, lat and projected.
    std::vector<std::vector<std::vector<double>>> prefRings(np), prefRingsProjected(np);
    MapLevel level;
    level.toleranceDeg = toleranceDeg;

    // Douglas-Peucker keeps polygons valid (GEOS repairs what simplifying breaks). A
    // polygon smaller than the tolerance would vanish: small islands and villages keep
    // their stored shape instead (null = use the original).
    auto simplified = [&](const GeosContext& ctx, const GEOSGeometry* g) -> GeomPtr {
        if (toleranceDeg <= 0) return nullptr;
        GeomPtr s = takeGeom(ctx, GEOSSimplify_r(ctx, g, toleranceDeg), "simplify");
        if (GEOSisEmpty_r(ctx, s.get())) return nullptr;
        return s;
    };
    // Prefectures and municipalities in one pool; the big jobs (prefectures) first.
    parallelFor(np + nm, threads, [&](const GeosContext& ctx, const MapProjection& projection, std::size_t job) {
        if (job < np) {
            const Prefecture& p = data.prefectures[job];
            if (!p.geom) return;
            const GeomPtr s = simplified(ctx, p.geom.get());
            forEachRing(ctx, s ? s.get() : p.geom.get(), [&](const GEOSGeometry* ring) {
                prefRings[job].push_back(coordinates(ctx, ring));
                std::vector<double> xy = prefRings[job].back();
                projection.forwardInterleaved(xy.data(), xy.size() / 2);
                prefRingsProjected[job].push_back(std::move(xy));
            });
            return;
        }
        const std::size_t i = job - np;
        const Municipality& m = data.municipalities[i];
        try {
            const GeomPtr s = simplified(ctx, m.geom.get());
            const GEOSGeometry* g = s ? s.get() : m.geom.get();
            const DesignatedPart* part = data.designatedPartOf(m.code);
            if (part && part->geom && part->measuredOn == MeasuredOn::FormerMunicipalities) {
                // Cut the drawn polygon by the part: the two pieces tile it, with no gap at
                // any level of detail.
                // On a 1e-7° grid (1 cm): overlays with exact coordinates leave slivers the
                // triangulation cannot take. Should it fail all the same, the whole is drawn.
                // The part is simplified as the polygon is: overlaying and triangulating its
                // full detail at every level cost about a second of start-up.
                const std::size_t k = static_cast<std::size_t>(part - data.designatedParts.data());
                try {
                    const GeomPtr simplePart = simplified(ctx, part->geom.get());
                    const GEOSGeometry* cut = simplePart ? simplePart.get() : part->geom.get();
                    const GeomPtr inside =
                        takeGeom(ctx, GEOSIntersectionPrec_r(ctx, g, cut, 1e-7), "designated part of the polygon");
                    const GeomPtr rest = takeGeom(ctx, GEOSDifferencePrec_r(ctx, g, cut, 1e-7), "rest of the polygon");
                    // A part the simplification dropped (宗像市's 大島村, an island) keeps its stored shape.
                    const bool dropped = GEOSisEmpty_r(ctx, inside.get()) == 1;
                    appendTriangulated(ctx, projection, dropped ? part->geom.get() : inside.get(),
                                       static_cast<std::uint32_t>(i), fills[i]);
                    appendTriangulated(ctx, projection, rest.get(), static_cast<std::uint32_t>(nm + k), fills[i]);
                } catch (const Error& e) {
                    fills[i] = FillMesh{};
                    appendTriangulated(ctx, projection, g, static_cast<std::uint32_t>(i), fills[i]);
                    uncut[i] = 1;
                }
            } else {
                appendTriangulated(ctx, projection, g, static_cast<std::uint32_t>(i), fills[i]);
            }
        } catch (const Error& e) {
            throw Error(fmt::format("municipality {} {}{}: {}", m.code, m.prefecture, m.name, e.what()));
        }
    });

    // Half the tolerance apart (under a pixel where this level is drawn); at full detail
    // 0.0002° (20 m), which holds about four fifths of the shared borders.
    prefectureBorderLines(prefRings, prefRingsProjected, std::max(toleranceDeg / 2, 0.0002), prefBorders);

    // Concatenate in code order, one draw chunk per municipality and one per run of
    // prefecture border segments, so that drawing a strip of the map (a drag) or a
    // zoomed-in view sends little more than what shows.
    for (std::size_t i = 0; i < nm; ++i) {
        if (uncut[i]) level.uncutParts.push_back(static_cast<std::uint32_t>(i));
    }
    for (FillMesh& fill : fills) {
        DrawRange r{level.municipalityFill.vertexCount(), fill.vertexCount(), {}};
        expandByPoints(r.bounds, fill.positions, 0, fill.positions.size());
        const std::size_t interior = fill.putInteriorFirst();  // a polygon's triangles never overlap
        level.municipalityFill.append(fill);
        if (r.count > 0) {
            level.fillChunks.push_back(r);
            level.fillChunkInterior.push_back(interior);
        }
    }
    constexpr std::size_t kSegmentsPerChunk = 128;
    for (std::size_t p = 0; p < np; ++p) {
        const std::vector<float>& xy = prefBorders[p].segments;
        for (std::size_t first = 0; first < prefBorders[p].segmentCount(); first += kSegmentsPerChunk) {
            const std::size_t count = std::min(kSegmentsPerChunk, prefBorders[p].segmentCount() - first);
            DrawRange r{level.prefectureBorders.segmentCount() + first, count, {}};
            expandByPoints(r.bounds, xy, 4 * first, 4 * (first + count));
            level.prefectureBorderChunks.push_back(r);
        }
        level.prefectureBorders.append(prefBorders[p]);
    }
    return level;
}

HubPoints buildHubPoints(const Dataset& data, const MapProjection& projection) {
    HubPoints hubs;
    // Builtin kinds first, in a fixed order, so each keeps its symbol whatever is loaded.
    static const char* const kBuiltin[] = {"small_hub", "rmo", "activity_centre", "model_project"};
    std::map<std::string, std::size_t> count;
    for (const Hub& h : data.hubs) ++count[h.kind];
    for (const char* k : kBuiltin) {
        if (count.count(k)) hubs.kinds.emplace_back(k);
    }
    for (const auto& [kind, n] : count) {
        if (std::find(hubs.kinds.begin(), hubs.kinds.end(), kind) == hubs.kinds.end()) hubs.kinds.push_back(kind);
    }
    hubs.countByKind.assign(hubs.kinds.size(), 0);
    std::map<std::string, std::uint32_t> kindIndex;
    for (std::size_t k = 0; k < hubs.kinds.size(); ++k) kindIndex[hubs.kinds[k]] = static_cast<std::uint32_t>(k);

    std::vector<double> xy;
    xy.reserve(2 * data.hubs.size());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    hubs.byHub.assign(data.hubs.size(), WorldPoint{nan, nan});
    for (std::size_t i = 0; i < data.hubs.size(); ++i) {
        const Hub& h = data.hubs[i];
        if (!h.lon || !h.lat) continue;
        xy.push_back(*h.lon);
        xy.push_back(*h.lat);
        hubs.hubIndex.push_back(static_cast<int>(i));
        const std::uint32_t k = kindIndex[h.kind];
        hubs.kind.push_back(k);
        ++hubs.countByKind[k];
    }
    projection.forwardInterleaved(xy.data(), xy.size() / 2);
    hubs.positions.reserve(xy.size());
    for (std::size_t j = 0; j < hubs.hubIndex.size(); ++j) {
        hubs.positions.push_back(static_cast<float>(xy[2 * j]));
        hubs.positions.push_back(static_cast<float>(xy[2 * j + 1]));
        hubs.byHub[static_cast<std::size_t>(hubs.hubIndex[j])] = WorldPoint{xy[2 * j], xy[2 * j + 1]};
    }
    hubs.frames = diskFrames(data, hubs.hubIndex, projection);
    return hubs;
}

CatchmentFieldPlan planCatchmentField(const HubPoints& hubs, double radiusKm, int kindMask, int size) {
    CatchmentFieldPlan plan;
    const double r = radiusKm * 1000;
    WorldBounds hubBounds;
    for (std::size_t i = 0; i < hubs.size(); ++i) {
        if (hubs.kind[i] >= 31 || !(kindMask >> hubs.kind[i] & 1)) continue;
        ++plan.candidates;
        hubBounds.expand(hubs.positions[2 * i], hubs.positions[2 * i + 1]);
    }
    if (!(r > 0) || hubBounds.empty || size < 16) return plan;
    // The hubs' rectangle grown by the largest ellipse (Albers scales a ground metre by under
    // 1.1 over Japan) and a few texels, so every edge has texels beyond it on each side.
    const double reach = 1.1 * r;
    const double side = std::max(hubBounds.maxx - hubBounds.minx, hubBounds.maxy - hubBounds.miny) + 2 * reach;
    plan.texel = side / (size - 8);
    const WorldPoint c = hubBounds.centre();
    plan.bounds.expand(c.x - size * plan.texel / 2, c.y - size * plan.texel / 2);
    plan.bounds.expand(c.x + size * plan.texel / 2, c.y + size * plan.texel / 2);

    // Cells of k × k texels, about a quarter of the radius across.
    const int k = std::max(1, static_cast<int>(r / (4 * plan.texel)));
    const int cells = (size + k - 1) / k;
    const double cell = k * plan.texel;
    std::vector<std::uint8_t> covered(static_cast<std::size_t>(cells) * cells, 0);
    auto index = [&](int cx, int cy) { return static_cast<std::size_t>(cy) * cells + cx; };
    auto cellOf = [&](double v, double origin) {
        return std::clamp(static_cast<int>(std::floor((v - origin) / cell)), 0, cells - 1);
    };
    struct Disk {
        double x, y, inner, halfX, halfY;
    };
    std::vector<Disk> disks;
    std::vector<std::uint32_t> ids;
    for (std::size_t i = 0; i < hubs.size(); ++i) {
        if (hubs.kind[i] >= 31 || !(kindMask >> hubs.kind[i] & 1)) continue;
        const double ex = hubs.frames[4 * i], ey = hubs.frames[4 * i + 1], nx = hubs.frames[4 * i + 2],
                     ny = hubs.frames[4 * i + 3];
        // The ellipse's smallest semi-axis: r times the frame's smallest singular value.
        const double p = ex * ex + ey * ey + nx * nx + ny * ny, det = std::fabs(ex * ny - ey * nx);
        const double smallest = std::sqrt(std::max(0.0, p / 2 - std::sqrt(std::max(0.0, p * p / 4 - det * det))));
        // The box the renderer draws (catchment_mask.vertex.glsl: 1.5 texels beyond the ellipse).
        disks.push_back({hubs.positions[2 * i], hubs.positions[2 * i + 1], r * smallest - 2 * plan.texel,
                         r * std::hypot(ex, nx) + 1.5 * plan.texel, r * std::hypot(ey, ny) + 1.5 * plan.texel});
        ids.push_back(static_cast<std::uint32_t>(i));
    }
    // Cells wholly inside a disk's incircle shrunk by two texels (all four corners in it).
    for (const Disk& d : disks) {
        if (d.inner <= 0) continue;
        const double r2 = d.inner * d.inner;
        for (int cy = cellOf(d.y - d.inner, plan.bounds.miny); cy <= cellOf(d.y + d.inner, plan.bounds.miny); ++cy) {
            const double y0 = plan.bounds.miny + cy * cell - d.y, y1 = y0 + cell;
            const double dy2 = std::max(y0 * y0, y1 * y1);
            for (int cx = cellOf(d.x - d.inner, plan.bounds.minx); cx <= cellOf(d.x + d.inner, plan.bounds.minx);
                 ++cx) {
                const double x0 = plan.bounds.minx + cx * cell - d.x, x1 = x0 + cell;
                if (std::max(x0 * x0, x1 * x1) + dy2 <= r2) covered[index(cx, cy)] = 1;
            }
        }
    }
    // A disk whose whole box lies on covered cells adds nothing the cells do not hold.
    for (std::size_t j = 0; j < disks.size(); ++j) {
        const Disk& d = disks[j];
        bool inside = true;
        for (int cy = cellOf(d.y - d.halfY, plan.bounds.miny); inside && cy <= cellOf(d.y + d.halfY, plan.bounds.miny);
             ++cy) {
            for (int cx = cellOf(d.x - d.halfX, plan.bounds.minx); cx <= cellOf(d.x + d.halfX, plan.bounds.minx);
                 ++cx) {
                if (!covered[index(cx, cy)]) {
                    inside = false;
                    break;
                }
            }
        }
        if (!inside) plan.disks.push_back(ids[j]);
    }
    // Covered cells as texel rectangles, one per run along a row.
    for (int cy = 0; cy < cells; ++cy) {
        for (int cx = 0; cx < cells;) {
            if (!covered[index(cx, cy)]) {
                ++cx;
                continue;
            }
            const int from = cx;
            while (cx < cells && covered[index(cx, cy)]) ++cx;
            plan.coveredTexels.insert(plan.coveredTexels.end(),
                                      {from * k, cy * k, std::min(size, cx * k), std::min(size, (cy + 1) * k)});
        }
    }
    return plan;
}

std::vector<HubLevel> buildHubLevels(const HubPoints& hubs, double cellPx, int firstZoom, int lastZoom) {
    std::vector<HubLevel> levels;
    // Kinds in the order the hubs first list them: hubs come sorted by id, which groups
    // most kinds already, so symbols stack much as they would in hub order.
    std::uint32_t kinds = 0;
    for (std::uint32_t k : hubs.kind) kinds = std::max(kinds, k + 1);
    std::vector<std::size_t> rank(kinds, kinds);
    std::size_t ranked = 0;
    for (std::uint32_t k : hubs.kind) {
        if (rank[k] == kinds) rank[k] = ranked++;
    }
    int allFrom = lastZoom + 1;
    for (int z = firstZoom; z <= lastZoom; ++z) {
        // Projected metres per pixel at zoom z (see ViewTransform: web-map zoom levels).
        const double cell = cellPx * 40075016.686 / (256.0 * std::pow(2.0, z));
        HubLevel level;
        level.minZoom = z;
        std::unordered_set<std::uint64_t> taken;
        taken.reserve(hubs.size());
        for (std::size_t i = 0; i < hubs.size(); ++i) {
            const auto cx = static_cast<std::int64_t>(std::floor(hubs.positions[2 * i] / cell));
            const auto cy = static_cast<std::int64_t>(std::floor(hubs.positions[2 * i + 1] / cell));
            // Cells stay within ±2^23 at these sizes; pack kind, x, y into one key.
            const std::uint64_t key = (static_cast<std::uint64_t>(hubs.kind[i]) << 48) ^
                                      (static_cast<std::uint64_t>(cx & 0xFFFFFF) << 24) ^
                                      static_cast<std::uint64_t>(cy & 0xFFFFFF);
            if (!taken.insert(key).second) continue;
            level.positions.push_back(hubs.positions[2 * i]);
            level.positions.push_back(hubs.positions[2 * i + 1]);
            level.kind.push_back(hubs.kind[i]);
        }
        // Once thinning keeps most hubs, every hub costs little more to draw than the
        // thinned copy would cost to keep (in memory, per level).
        if (level.size() >= kHubThinningWorthwhile * static_cast<double>(hubs.size())) {
            allFrom = z;
            break;
        }
        chunkHubLevel(level, rank);
        levels.push_back(std::move(level));
    }
    HubLevel all;
    all.minZoom = allFrom;
    all.positions = hubs.positions;
    all.kind = hubs.kind;
    chunkHubLevel(all, rank);
    levels.push_back(std::move(all));
    return levels;
}

QueryOverlay buildQueryOverlay(const CoverageResult& result, const Dataset& data, const GeosContext& ctx,
                               const MapProjection& projection, Progress& progress) {
    QueryOverlay overlay;
    // One radius for every kind, as the catchments' field has (per-kind radii: none).
    overlay.radiusKm = result.options.radiusKmByKind.empty() ? result.options.radiusKm.value_or(0.0) : 0.0;
    for (const MunicipalityCoverage& m : result.municipalities) {
        const int index = data.municipalityIndex(m.code);
        if (index < 0) continue;
        (m.measuredOn == MeasuredOn::FormerMunicipalities ? overlay.partFeatures : overlay.wholeFeatures)
            .push_back(static_cast<std::uint32_t>(index));
    }
    for (double tolerance : kOverlayTolerancesDeg) {
        OverlayLevel level;
        level.toleranceDeg = tolerance;
        int chunkPrefecture = -1;
        for (const MunicipalityCoverage& m : result.municipalities) {
            progress.checkCancelled();
            if (!m.uncoveredGeom || GEOSisEmpty_r(ctx, m.uncoveredGeom.get())) continue;
            const int index = data.municipalityIndex(m.code);
            if (index < 0) continue;
            if (m.prefectureCode != chunkPrefecture) {
                level.chunks.push_back(DrawRange{level.fill.vertexCount(), 0, {}});
                chunkPrefecture = m.prefectureCode;
            }
            const std::size_t firstPosition = level.fill.positions.size();
            const GeomPtr simple = takeGeom(ctx, GEOSSimplify_r(ctx, m.uncoveredGeom.get(), tolerance), "simplify");
            appendTriangulated(ctx, projection, simple.get(), static_cast<std::uint32_t>(index), level.fill);
            DrawRange& chunk = level.chunks.back();
            expandByPoints(chunk.bounds, level.fill.positions, firstPosition, level.fill.positions.size());
            chunk.count = level.fill.vertexCount() - chunk.first;
            if (m.measuredOn == MeasuredOn::FormerMunicipalities) {
                DrawRange part{firstPosition / 2, level.fill.vertexCount() - firstPosition / 2, {}};
                expandByPoints(part.bounds, level.fill.positions, firstPosition, level.fill.positions.size());
                level.partChunks.push_back(part);
                level.partMunicipalities.push_back(static_cast<std::uint32_t>(index));
            }
        }
        overlay.uncovered.push_back(std::move(level));
    }
    return overlay;
}

std::size_t FillMesh::putInteriorFirst() {
    FillMesh interior, bordered;
    for (std::size_t v = 0; v + 2 < vertexCount(); v += 3) {
        FillMesh& to = hasBoundaryEdge(&attributes[v]) ? bordered : interior;
        to.positions.insert(to.positions.end(), positions.begin() + 2 * v, positions.begin() + 2 * (v + 3));
        to.attributes.insert(to.attributes.end(), attributes.begin() + v, attributes.begin() + v + 3);
    }
    const std::size_t count = interior.vertexCount();
    interior.append(bordered);
    *this = std::move(interior);
    return count;
}

FieldSides::FieldSides(const WorldBounds& bounds, int size)
    : bounds_(bounds),
      size_(size),
      blocks_(size / kBlock),
      least_(static_cast<std::size_t>(blocks_) * blocks_, std::numeric_limits<float>::infinity()),
      greatest_(static_cast<std::size_t>(blocks_) * blocks_, -std::numeric_limits<float>::infinity()) {
    if (size <= 0 || size % kBlock != 0 || bounds.empty) {
        throw Error(fmt::format("a field of {} texels cannot be summarised in blocks of {}", size, kBlock));
    }
}

void FieldSides::addRows(int firstRow, int rows, const float* texels) {
    for (int r = 0; r < rows; ++r) {
        const std::size_t blockRow = static_cast<std::size_t>((firstRow + r) / kBlock) * blocks_;
        const float* row = texels + static_cast<std::size_t>(r) * size_;
        for (int x = 0; x < size_; ++x) {
            const std::size_t b = blockRow + x / kBlock;
            least_[b] = std::min(least_[b], row[x]);
            greatest_[b] = std::max(greatest_[b], row[x]);
        }
    }
}

void FieldSides::setMargin(double margin) {
    const std::size_t n = static_cast<std::size_t>(blocks_) + 1;
    auto sums = [&](auto flag) {
        std::vector<std::uint32_t> table(n * n, 0);
        for (int y = 0; y < blocks_; ++y) {
            std::uint32_t row = 0;
            for (int x = 0; x < blocks_; ++x) {
                row += flag(static_cast<std::size_t>(y) * blocks_ + x) ? 1u : 0u;
                table[(y + 1) * n + x + 1] = table[y * n + x + 1] + row;
            }
        }
        return table;
    };
    // The clear leaves 0 where no disk reaches (GL_MAX keeps it); the covered cells write 1,
    // and deep inside a disk the values go on past 1.
    const float outside = static_cast<float>(0.5 - margin), inside = static_cast<float>(0.5 + margin);
    notOutsideSums_ = sums([&](std::size_t b) { return greatest_[b] > outside; });
    notInsideSums_ = sums([&](std::size_t b) { return least_[b] < inside; });
}

std::uint32_t FieldSides::count(const std::vector<std::uint32_t>& table, int bx0, int by0, int bx1, int by1) const {
    const std::size_t n = static_cast<std::size_t>(blocks_) + 1;
    return table[(by1 + 1) * n + bx1 + 1] - table[by0 * n + bx1 + 1] - table[(by1 + 1) * n + bx0] +
           table[by0 * n + bx0];
}

FieldSides::Side FieldSides::sideOf(const WorldBounds& box) const {
    if (notOutsideSums_.empty() || box.empty) return kEdge;
    // Texture coordinates in texels; a bilinear read at u takes texels floor(u - 0.5) and the
    // next (clamped to the edge, as GL_CLAMP_TO_EDGE does), with one more each side for the
    // shader's rounding.
    const double sx = size_ / (bounds_.maxx - bounds_.minx), sy = size_ / (bounds_.maxy - bounds_.miny);
    auto texel = [&](double t) {
        return static_cast<int>(std::clamp(std::floor(t), -2.0, static_cast<double>(size_) + 2.0));
    };
    const int tx0 = std::clamp(texel((box.minx - bounds_.minx) * sx - 0.5) - 1, 0, size_ - 1);
    const int tx1 = std::clamp(texel((box.maxx - bounds_.minx) * sx - 0.5) + 2, 0, size_ - 1);
    const int ty0 = std::clamp(texel((box.miny - bounds_.miny) * sy - 0.5) - 1, 0, size_ - 1);
    const int ty1 = std::clamp(texel((box.maxy - bounds_.miny) * sy - 0.5) + 2, 0, size_ - 1);
    const int bx0 = tx0 / kBlock, bx1 = tx1 / kBlock, by0 = ty0 / kBlock, by1 = ty1 / kBlock;
    if (count(notOutsideSums_, bx0, by0, bx1, by1) == 0) return kOutside;
    if (count(notInsideSums_, bx0, by0, bx1, by1) == 0) return kInside;
    return kEdge;
}

FillOrder orderFill(const FieldSides& sides, const float* positions, const std::uint32_t* attributes,
                    const std::vector<DrawRange>& chunks) {
    // Each triangle's group first, then every index straight into its place (no group's list
    // grown and copied: this runs on the main thread, over a million vertices at most).
    std::vector<std::uint8_t> groupOf;
    std::array<std::size_t, FillOrder::kGroups> total{};
    for (const DrawRange& chunk : chunks) {
        for (std::size_t v = chunk.first; v + 2 < chunk.first + chunk.count; v += 3) {
            WorldBounds box;
            for (std::size_t k = v; k < v + 3; ++k) box.expand(positions[2 * k], positions[2 * k + 1]);
            const int group = FillOrder::group(sides.sideOf(box), FillMesh::hasBoundaryEdge(attributes + v));
            groupOf.push_back(static_cast<std::uint8_t>(group));
            total[groupOf.back()] += 3;
        }
    }
    FillOrder order;
    std::array<std::size_t, FillOrder::kGroups> next{};
    std::size_t all = 0;
    for (int g = 0; g < FillOrder::kGroups; ++g) {
        next[g] = all;
        all += total[g];
    }
    order.indices.resize(all);
    std::size_t triangle = 0;
    for (const DrawRange& chunk : chunks) {
        const std::array<std::size_t, FillOrder::kGroups> firsts = next;
        for (std::size_t v = chunk.first; v + 2 < chunk.first + chunk.count; v += 3) {
            std::size_t& at = next[groupOf[triangle++]];
            for (std::size_t k = v; k < v + 3; ++k) order.indices[at++] = static_cast<std::uint32_t>(k);
        }
        for (int g = 0; g < FillOrder::kGroups; ++g) {
            order.chunks[g].push_back({firsts[g], next[g] - firsts[g], chunk.bounds});
        }
    }
    return order;
}

}  // namespace hubmap::viewer
