#include "analysis/catchment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace hubmap::detail {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDegToRad = kPi / 180.0;

/// Meridional (M) and prime-vertical (N) radii of curvature at a latitude, metres.
struct CurvatureRadii {
    double meridional = 0, primeVertical = 0;
};
CurvatureRadii curvatureRadii(const Geodesic& geodesic, double latDeg) {
    const double a = geodesic.geod().a;
    const double e2 = geodesic.geod().e2;
    const double s = std::sin(latDeg * kDegToRad);
    const double w2 = 1.0 - e2 * s * s;
    const double w = std::sqrt(w2);
    return {a * (1.0 - e2) / (w2 * w), a / w};
}

// The projection takes and gives lon/lat in radians (a bare "+proj=laea" is five times
// cheaper to create than a pipeline with a unit conversion, and there is one per municipality).
int transformPoint(double* x, double* y, void* userdata) {
    const auto* job = static_cast<std::pair<PJ*, PJ_DIRECTION>*>(userdata);
    const bool fwd = job->second == PJ_FWD;
    PJ_COORD c = fwd ? proj_coord(*x * kDegToRad, *y * kDegToRad, 0, 0) : proj_coord(*x, *y, 0, 0);
    c = proj_trans(job->first, job->second, c);
    if (c.xy.x == HUGE_VAL || c.xy.y == HUGE_VAL) return 0;
    *x = fwd ? c.xy.x : c.xy.x / kDegToRad;
    *y = fwd ? c.xy.y : c.xy.y / kDegToRad;
    return 1;
}

GeomPtr transformGeometry(const GeosContext& ctx, PJ* pj, PJ_DIRECTION direction, const GEOSGeometry* g) {
    std::pair<PJ*, PJ_DIRECTION> job{pj, direction};
    return takeGeom(ctx, GEOSGeom_transformXY_r(ctx, g, &transformPoint, &job), "coordinate transformation");
}

/// Unit circle points, shared by every disk.
const std::vector<std::pair<double, double>>& unitCircle() {
    static const std::vector<std::pair<double, double>> points = [] {
        std::vector<std::pair<double, double>> p(kDiskVertices);
        for (int k = 0; k < kDiskVertices; ++k) {
            const double t = 2.0 * kPi * k / kDiskVertices;
            p[static_cast<size_t>(k)] = {std::cos(t), std::sin(t)};
        }
        return p;
    }();
    return points;
}

}  // namespace

GeomPtr polygonFromRing(const GeosContext& ctx, const std::vector<double>& ring) {
    GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(ctx, ring.data(), ring.size() / 2, 0, 0);
    if (!seq) throw Error("GEOS: cannot build a coordinate sequence: " + ctx.lastError());
    GEOSGeometry* shell = GEOSGeom_createLinearRing_r(ctx, seq);
    if (!shell) throw Error("GEOS: cannot build a ring: " + ctx.lastError());
    return takeGeom(ctx, GEOSGeom_createPolygon_r(ctx, shell, nullptr, 0), "polygon creation");
}

double equalAreaPolygonScale(int vertices) {
    const double n = vertices;
    return std::sqrt(2.0 * kPi / (n * std::sin(2.0 * kPi / n)));
}

LocalEqualArea::LocalEqualArea(PJ_CONTEXT* ctx, double lon0, double lat0)
    : pj_(makeProj(ctx, fmt::format("+proj=laea +lat_0={:.9f} +lon_0={:.9f} +x_0=0 +y_0=0 +ellps=GRS80", lat0, lon0))) {
}

void LocalEqualArea::forward(double* xy, std::size_t count) const {
    for (std::size_t i = 0; i < 2 * count; ++i) xy[i] *= kDegToRad;
    transformInterleaved(pj_.get(), PJ_FWD, xy, count);
}

void LocalEqualArea::inverse(double* xy, std::size_t count) const {
    transformInterleaved(pj_.get(), PJ_INV, xy, count);
    for (std::size_t i = 0; i < 2 * count; ++i) xy[i] /= kDegToRad;
}

GeomPtr LocalEqualArea::forward(const GeosContext& ctx, const GEOSGeometry* lonLat) const {
    return transformGeometry(ctx, pj_.get(), PJ_FWD, lonLat);
}

GeomPtr LocalEqualArea::inverse(const GeosContext& ctx, const GEOSGeometry* projected) const {
    return transformGeometry(ctx, pj_.get(), PJ_INV, projected);
}

void LocalEqualArea::useContext(PJ_CONTEXT* ctx) { proj_assign_context(pj_.get(), ctx); }

namespace {

double area(const GeosContext& ctx, const GEOSGeometry* g) {
    double a = 0;
    if (GEOSArea_r(ctx, g, &a) != 1) throw Error("GEOS area failed: " + ctx.lastError());
    return a;
}

/// The LocalEqualArea centred on a lon/lat shape's bounding box.
LocalEqualArea centredOn(const GeosContext& ctx, PJ_CONTEXT* proj, const GEOSGeometry* lonLat) {
    const Bounds b = bounds(ctx, lonLat);
    return LocalEqualArea(proj, (b.minx + b.maxx) / 2, (b.miny + b.maxy) / 2);
}

}  // namespace

LocalShape::LocalShape(const GeosContext& ctx, PJ_CONTEXT* proj, const GEOSGeometry* lonLat)
    : projection_(centredOn(ctx, proj, lonLat)),
      shape_(projection_.forward(ctx, lonLat)),
      areaM2_(area(ctx, shape_.get())),
      box_(bounds(ctx, shape_.get())) {}

void LocalShape::moveTo(const GeosContext& ctx, PJ_CONTEXT* proj) {
    shape_ = adopt(ctx, std::move(shape_));
    projection_.useContext(proj);
}

bool DiskFrame::surelyInside(double px, double py) const {
    // Back to local metres east/north through the inverse of the derivative.
    const double dx = px - x, dy = py - y;
    const double det = ex * ny - nx * ey;
    const double e = (ny * dx - nx * dy) / det;
    const double n = (ex * dy - ey * dx) / det;
    return e * e + n * n <= inner * inner;
}

namespace {

constexpr double kStepM = 50.0;

/// A hub's centre and the four points kStepM east, west, north and south of it, in lon/lat
/// (projected, they give its DiskFrame).
void framePoints(const Geodesic& geodesic, const CatchmentHub& h, double* p) {
    const CurvatureRadii r = curvatureRadii(geodesic, h.lat);
    const double dLon = kStepM / (r.primeVertical * std::cos(h.lat * kDegToRad)) / kDegToRad;
    const double dLat = kStepM / r.meridional / kDegToRad;
    p[0] = h.lon, p[1] = h.lat;
    p[2] = h.lon + dLon, p[3] = h.lat;
    p[4] = h.lon - dLon, p[5] = h.lat;
    p[6] = h.lon, p[7] = h.lat + dLat;
    p[8] = h.lon, p[9] = h.lat - dLat;
}

/// A disk's circumradius and incircle radius in local metres (DiskFrame::outer, inner).
double outerRadius(const CatchmentHub& h) { return h.radiusM * equalAreaPolygonScale(kDiskVertices); }
double innerRadius(double outer) { return outer * std::cos(kPi / kDiskVertices); }

/// The frame from framePoints' five points, projected.
DiskFrame frameFrom(const double* p, const CatchmentHub& h) {
    DiskFrame f;
    f.x = p[0];
    f.y = p[1];
    f.ex = (p[2] - p[4]) / (2 * kStepM);
    f.ey = (p[3] - p[5]) / (2 * kStepM);
    f.nx = (p[6] - p[8]) / (2 * kStepM);
    f.ny = (p[7] - p[9]) / (2 * kStepM);
    f.outer = outerRadius(h);
    f.inner = innerRadius(f.outer);
    // Half-extents of the ellipse {J·v : |v| = outer}, which holds the polygon.
    const double hx = f.outer * std::hypot(f.ex, f.nx);
    const double hy = f.outer * std::hypot(f.ey, f.ny);
    f.minx = f.x - hx, f.maxx = f.x + hx;
    f.miny = f.y - hy, f.maxy = f.y + hy;
    return f;
}

}  // namespace

std::vector<DiskFrame> diskFrames(const Geodesic& geodesic, const LocalEqualArea& projection,
                                  const std::vector<const CatchmentHub*>& hubs) {
    // Per hub: centre, east +/-, north +/- (5 points), projected in one batch.
    std::vector<double> xy(hubs.size() * 10);
    for (size_t i = 0; i < hubs.size(); ++i) framePoints(geodesic, *hubs[i], &xy[i * 10]);
    projection.forward(xy.data(), xy.size() / 2);
    std::vector<DiskFrame> frames(hubs.size());
    for (size_t i = 0; i < hubs.size(); ++i) frames[i] = frameFrom(&xy[i * 10], *hubs[i]);
    return frames;
}

GeomPtr diskPolygon(const GeosContext& ctx, const DiskFrame& f) {
    const auto& circle = unitCircle();
    std::vector<double> ring(2 * (kDiskVertices + 1));
    for (int k = 0; k < kDiskVertices; ++k) {
        const double e = f.outer * circle[static_cast<size_t>(k)].first;
        const double n = f.outer * circle[static_cast<size_t>(k)].second;
        ring[2 * static_cast<size_t>(k)] = f.x + f.ex * e + f.nx * n;
        ring[2 * static_cast<size_t>(k) + 1] = f.y + f.ey * e + f.ny * n;
    }
    ring[2 * kDiskVertices] = ring[0];
    ring[2 * kDiskVertices + 1] = ring[1];
    return polygonFromRing(ctx, ring);
}

std::vector<GeomPtr> projectedDisks(const GeosContext& ctx, const Geodesic& geodesic, const LocalEqualArea& projection,
                                    const std::vector<const CatchmentHub*>& hubs) {
    std::vector<GeomPtr> disks;
    for (const DiskFrame& f : diskFrames(geodesic, projection, hubs)) disks.push_back(diskPolygon(ctx, f));
    return disks;
}

namespace {

/// A GEOS predicate's answer; 2 means GEOS failed.
bool checked(const GeosContext& ctx, char answer) {
    if (answer == 2) throw Error("GEOS predicate failed: " + ctx.lastError());
    return answer == 1;
}

/// The union of some disks; with `clip`, of their parts inside that box (smaller unions).
GeomPtr unionOf(const GeosContext& ctx, const std::vector<DiskFrame>& frames, const std::vector<int>& which,
                const Bounds* clip = nullptr) {
    std::vector<GeomPtr> parts;
    parts.reserve(which.size());
    for (int i : which) {
        GeomPtr disk = diskPolygon(ctx, frames[static_cast<size_t>(i)]);
        if (clip) {
            disk = takeGeom(ctx, GEOSClipByRect_r(ctx, disk.get(), clip->minx, clip->miny, clip->maxx, clip->maxy),
                            "clip to box");
            // A disk that only touches the box leaves lines or nothing: keep polygons only,
            // overlay operations refuse mixed dimensions.
            const int type = GEOSGeomTypeId_r(ctx, disk.get());
            if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON && type != GEOS_GEOMETRYCOLLECTION) continue;
            if (type == GEOS_GEOMETRYCOLLECTION) disk = toMultiPolygon(ctx, std::move(disk));
            if (GEOSisEmpty_r(ctx, disk.get()) == 1) continue;
        }
        parts.push_back(std::move(disk));
    }
    return unionAll(ctx, parts);
}

/// A projected polygonal result back in lon/lat as a valid MultiPolygon (rounding in the
/// inverse projection can make nearly touching rings cross).
GeomPtr lonLatPolygons(const GeosContext& ctx, const LocalEqualArea& projection, const GEOSGeometry* projected) {
    return makeValidMultiPolygon(ctx, projection.inverse(ctx, projected).get());
}

/// One union of the disks `reaching` the municipality: its covered area into `coveredM2`
/// and its uncovered part as a lon/lat MultiPolygon into `uncovered`, each when not null.
void measureWhole(const GeosContext& ctx, const LocalEqualArea& projection, const GEOSGeometry* shape,
                  const Bounds& shapeBox, const std::vector<DiskFrame>& frames, const std::vector<int>& reaching,
                  double* coveredM2, GeomPtr* uncovered) {
    if (reaching.empty()) {
        if (coveredM2) *coveredM2 = 0;
        if (uncovered) *uncovered = lonLatPolygons(ctx, projection, shape);
        return;
    }
    // Disks clipped to the municipality's box (1 m wider): what lies beyond cannot count.
    Bounds box = shapeBox;
    box.minx -= 1, box.miny -= 1, box.maxx += 1, box.maxy += 1;
    const GeomPtr catchment = unionOf(ctx, frames, reaching, &box);
    if (coveredM2) {
        const GeomPtr covered = takeGeom(ctx, GEOSIntersection_r(ctx, shape, catchment.get()), "intersection");
        *coveredM2 = area(ctx, covered.get());
    }
    if (uncovered) {
        const GeomPtr rest = takeGeom(ctx, GEOSDifference_r(ctx, shape, catchment.get()), "difference");
        *uncovered = GEOSisEmpty_r(ctx, rest.get()) == 1
                         ? takeGeom(ctx, GEOSGeom_createEmptyCollection_r(ctx, GEOS_MULTIPOLYGON), "empty geometry")
                         : lonLatPolygons(ctx, projection, rest.get());
    }
}

enum class CellState { Empty, Full, Partial };

/// Whether a square cell is reached by none of `disks`, lies inside one of them (all four
/// corners within its incircle), or neither.
CellState classify(const std::vector<DiskFrame>& frames, const std::vector<int>& disks, double x0, double y0,
                   double size) {
    if (disks.empty()) return CellState::Empty;
    const double x1 = x0 + size, y1 = y0 + size;
    for (int i : disks) {
        const DiskFrame& f = frames[static_cast<size_t>(i)];
        if (f.surelyInside(x0, y0) && f.surelyInside(x1, y0) && f.surelyInside(x0, y1) && f.surelyInside(x1, y1)) {
            return CellState::Full;
        }
    }
    return CellState::Partial;
}

/// Measures cells of one municipality: each call returns the covered (sumCovered) or the
/// uncovered area of the municipality's part of one cell. With `pieces` (and sumCovered
/// false) it collects the uncovered parts as geometries instead, and returns 0.
struct CellMeasure {
    const GeosContext& ctx;
    const GEOSGeometry* shape;
    const GEOSPreparedGeometry* prepared;
    const std::vector<DiskFrame>& frames;
    bool sumCovered;
    std::vector<GeomPtr>* pieces = nullptr;

    double result(GeomPtr part, double partArea) const {
        if (!pieces) return part ? area(ctx, part.get()) : partArea;
        // Clipping can leave lines where the boundary runs along a cell edge: keep polygons.
        const int type = GEOSGeomTypeId_r(ctx, part.get());
        if (type == GEOS_GEOMETRYCOLLECTION) part = toMultiPolygon(ctx, std::move(part));
        if ((type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) &&
            GEOSisEmpty_r(ctx, part.get()) != 1) {
            pieces->push_back(std::move(part));
        }
        return 0;
    }

    /// Partial cells are split in four up to this depth before their disks are unioned:
    /// most quarters turn out full or empty, and the unions left are smaller.
    static constexpr int kMaxDepth = 2;

    double cell(double x0, double y0, double size, CellState state, const std::vector<int>& disks, bool insideShape,
                int depth) const {
        if (state == (sumCovered ? CellState::Empty : CellState::Full)) return 0;  // contributes nothing
        const double x1 = x0 + size, y1 = y0 + size;
        GeomPtr piece;  // the municipality's part of the cell, when not the whole cell
        if (!insideShape) {
            const GeomPtr box = takeGeom(ctx, GEOSGeom_createRectangle_r(ctx, x0, y0, x1, y1), "cell");
            insideShape = checked(ctx, GEOSPreparedContains_r(ctx, prepared, box.get()));
            if (!insideShape) {
                if (!checked(ctx, GEOSPreparedIntersects_r(ctx, prepared, box.get()))) return 0;
                piece = takeGeom(ctx, GEOSClipByRect_r(ctx, shape, x0, y0, x1, y1), "clip to cell");
                if (GEOSisEmpty_r(ctx, piece.get()) == 1) return 0;
            }
        }
        if (state != CellState::Partial) {
            if (!insideShape) return result(std::move(piece), 0);
            if (!pieces) return size * size;
            return result(takeGeom(ctx, GEOSGeom_createRectangle_r(ctx, x0, y0, x1, y1), "cell"), 0);
        }
        if (depth < kMaxDepth) {
            const double half = size / 2;
            double sum = 0;
            std::vector<int> quarterDisks;
            for (int q = 0; q < 4; ++q) {
                const double qx = x0 + (q % 2) * half, qy = y0 + (q / 2) * half;
                quarterDisks.clear();
                for (int i : disks) {
                    const DiskFrame& f = frames[static_cast<size_t>(i)];
                    if (f.maxx >= qx && f.minx <= qx + half && f.maxy >= qy && f.miny <= qy + half) {
                        quarterDisks.push_back(i);
                    }
                }
                sum += cell(qx, qy, half, classify(frames, quarterDisks, qx, qy, half), quarterDisks, insideShape,
                            depth + 1);
            }
            return sum;
        }
        const Bounds cellBox{x0, y0, x1, y1, false};
        const GeomPtr covered = unionOf(ctx, frames, disks, &cellBox);
        GeomPtr whole;
        if (insideShape) whole = takeGeom(ctx, GEOSGeom_createRectangle_r(ctx, x0, y0, x1, y1), "cell");
        const GEOSGeometry* part = insideShape ? whole.get() : piece.get();
        GeomPtr rest = takeGeom(
            ctx, sumCovered ? GEOSIntersection_r(ctx, part, covered.get()) : GEOSDifference_r(ctx, part, covered.get()),
            sumCovered ? "intersection" : "difference");
        return result(std::move(rest), 0);
    }
};

/// The disks' frames, worked out as a measurement needs them: every centre projected at
/// once, the four points that give a disk's shape (DiskFrame) only for the disks looked at.
/// Each frame is the one diskFrames gives, to the last bit: PROJ projects each point alone.
class LazyFrames {
public:
    LazyFrames(const Geodesic& geodesic, const LocalEqualArea& projection, const std::vector<const CatchmentHub*>& hubs)
        : geodesic_(geodesic), projection_(projection), hubs_(hubs), frames_(hubs.size()), known_(hubs.size(), 0) {
        centres_.resize(2 * hubs.size());
        for (size_t i = 0; i < hubs.size(); ++i) {
            centres_[2 * i] = hubs[i]->lon;
            centres_[2 * i + 1] = hubs[i]->lat;
        }
        projection.forward(centres_.data(), hubs.size());
    }

    size_t size() const { return hubs_.size(); }
    double x(size_t i) const { return centres_[2 * i]; }
    double y(size_t i) const { return centres_[2 * i + 1]; }
    /// A box certain to hold disk i's bounding box (DiskFrame::minx...), without its frame:
    /// the frame's half-extents are outer × the norm of a row of the projection's derivative,
    /// which departs from 1 by under 0.1 % within 1,000 km of the projection's centre
    /// (LocalEqualArea is equal-area and true to scale at its centre); 1 % and 1 m are margin.
    Bounds around(size_t i) const {
        const double h = outerRadius(*hubs_[i]) * 1.01 + 1.0;
        return Bounds{x(i) - h, y(i) - h, x(i) + h, y(i) + h, false};
    }
    /// A box certain to lie within disk i's bounding box.
    Bounds within(size_t i) const {
        const double h = std::max(0.0, outerRadius(*hubs_[i]) * 0.99 - 1.0);
        return Bounds{x(i) - h, y(i) - h, x(i) + h, y(i) + h, false};
    }
    double inner(size_t i) const { return innerRadius(outerRadius(*hubs_[i])); }

    /// Disk i's frame, worked out now if it was not before.
    const DiskFrame& frame(size_t i) {
        if (!known_[i]) {
            double p[10];
            framePoints(geodesic_, *hubs_[i], p);
            projection_.forward(p + 2, 4);
            p[0] = x(i), p[1] = y(i);
            const DiskFrame& f = frames_[i] = frameFrom(p, *hubs_[i]);
            // The boxes above decide which frames are worked out: were one wrong, a figure
            // could be too (never seen; the bound holds by a factor of ten at 1,000 km).
            const Bounds a = around(i), w = within(i);
            if (f.minx < a.minx || f.maxx > a.maxx || f.miny < a.miny || f.maxy > a.maxy || f.minx > w.minx ||
                f.maxx < w.maxx || f.miny > w.miny || f.maxy < w.maxy) {
                throw Error(
                    fmt::format("the catchment disk of hub {} is distorted beyond the bounds assumed", hubs_[i]->hub));
            }
            known_[i] = 1;
        }
        return frames_[i];
    }
    /// The frames, by disk: those of the disks passed to frame() so far (the others unset).
    const std::vector<DiskFrame>& frames() const { return frames_; }

private:
    const Geodesic& geodesic_;
    const LocalEqualArea& projection_;
    const std::vector<const CatchmentHub*>& hubs_;
    std::vector<double> centres_;  // projected, x y by disk
    std::vector<DiskFrame> frames_;
    std::vector<char> known_;
};

/// Whether two boxes meet (edges included).
bool meet(const Bounds& a, const Bounds& b) {
    return a.maxx >= b.minx && a.minx <= b.maxx && a.maxy >= b.miny && a.miny <= b.maxy;
}

/// The disks whose bounding box meets `b` (disksMeeting), working out only the frames of
/// the disks near its edges.
std::vector<int> disksMeeting(LazyFrames& frames, const Bounds& b) {
    std::vector<int> out;
    for (size_t i = 0; i < frames.size(); ++i) {
        if (!meet(frames.around(i), b)) continue;
        if (meet(frames.within(i), b)) {
            out.push_back(static_cast<int>(i));
            continue;
        }
        const DiskFrame& f = frames.frame(i);
        if (f.maxx >= b.minx && f.minx <= b.maxx && f.maxy >= b.miny && f.miny <= b.maxy) {
            out.push_back(static_cast<int>(i));
        }
    }
    return out;
}

/// Covered area cell by cell (see coveredArea); with `uncovered`, the uncovered part too,
/// as a geometry in the projection, from a second pass over the same cells.
///
/// A cell's state does not depend on which of its disks shows it (any one disk holding it
/// makes it full), so frames are worked out only for the disks tried: the one that filled
/// the cell before, then the rest near the cell; a partial cell lists its disks exactly as
/// their frames place them, in disk order, as its union is built in that order.
double measureByCells(const GeosContext& ctx, const GEOSGeometry* shape, const Bounds& b, double shapeArea,
                      LazyFrames& frames, GeomPtr* uncovered) {
    constexpr size_t kMaxCells = 40000;
    const double width = std::max(b.maxx - b.minx, 1.0), height = std::max(b.maxy - b.miny, 1.0);
    double smallest = frames.inner(0);
    for (size_t i = 0; i < frames.size(); ++i) smallest = std::min(smallest, frames.inner(i));
    // Half the smallest radius: a cell then lies inside any disk whose centre is within
    // about 0.65 R of the cell's centre, which dense hubs nearly always provide.
    double cell = smallest / 2;
    if ((width / cell) * (height / cell) > static_cast<double>(kMaxCells)) cell = std::sqrt(width * height / kMaxCells);
    const auto columns = static_cast<size_t>(std::ceil(width / cell));
    const auto rows = static_cast<size_t>(std::ceil(height / cell));
    const double gridMaxX = b.minx + columns * cell, gridMaxY = b.miny + rows * cell;
    auto clampIndex = [](double v, size_t n) {
        if (v < 0) return size_t{0};
        return std::min(static_cast<size_t>(v), n - 1);
    };
    struct CellSpan {
        size_t c0, c1, r0, r1;
    };
    // The cells a disk's bounding box meets (empty when it misses the grid).
    auto spanOf = [&](const Bounds& f) {
        if (f.maxx < b.minx || f.minx > gridMaxX || f.maxy < b.miny || f.miny > gridMaxY) return CellSpan{1, 0, 1, 0};
        return CellSpan{clampIndex((f.minx - b.minx) / cell, columns), clampIndex((f.maxx - b.minx) / cell, columns),
                        clampIndex((f.miny - b.miny) / cell, rows), clampIndex((f.maxy - b.miny) / cell, rows)};
    };

    // Each cell's disks that may meet it (by boxes certain to hold theirs, so a superset),
    // counted first so that each list is allocated once.
    std::vector<std::vector<int>> near(columns * rows);
    std::vector<CellSpan> spans(frames.size());
    std::vector<size_t> count(columns * rows, 0);
    for (size_t i = 0; i < frames.size(); ++i) {
        Bounds a = frames.around(i);
        spans[i] = spanOf(a);
        const CellSpan& sp = spans[i];
        for (size_t r = sp.r0; r <= sp.r1; ++r) {
            for (size_t c = sp.c0; c <= sp.c1; ++c) ++count[r * columns + c];
        }
    }
    for (size_t k = 0; k < near.size(); ++k) near[k].reserve(count[k]);
    for (size_t i = 0; i < frames.size(); ++i) {
        const CellSpan& sp = spans[i];
        for (size_t r = sp.r0; r <= sp.r1; ++r) {
            for (size_t c = sp.c0; c <= sp.c1; ++c) near[r * columns + c].push_back(static_cast<int>(i));
        }
    }

    // Each cell's state; a partial cell's disks (those whose bounding box its span meets, as
    // the frames place them).
    std::vector<CellState> state(columns * rows, CellState::Empty);
    std::vector<std::vector<int>> disksOf(columns * rows);
    size_t full = 0, empty = 0;
    int lastFull = -1;  // the disk that filled the cell before: it often fills the next
    auto fills = [&](int i, double x0, double y0) {
        const DiskFrame& f = frames.frame(static_cast<size_t>(i));
        const double x1 = x0 + cell, y1 = y0 + cell;
        return f.surelyInside(x0, y0) && f.surelyInside(x1, y0) && f.surelyInside(x0, y1) && f.surelyInside(x1, y1);
    };
    for (size_t r = 0; r < rows; ++r) {
        for (size_t c = 0; c < columns; ++c) {
            const size_t k = r * columns + c;
            const double x0 = b.minx + c * cell, y0 = b.miny + r * cell;
            std::vector<int>& candidates = near[k];
            CellState s = CellState::Partial;
            // A disk that holds the cell lies in its list: its box holds the cell.
            if (lastFull >= 0 && std::binary_search(candidates.begin(), candidates.end(), lastFull) &&
                fills(lastFull, x0, y0)) {
                s = CellState::Full;
            } else {
                for (int i : candidates) {
                    if (i != lastFull && fills(i, x0, y0)) {
                        s = CellState::Full;
                        lastFull = i;
                        break;
                    }
                }
            }
            if (s != CellState::Full) {
                for (int i : candidates) {
                    const DiskFrame& f = frames.frame(static_cast<size_t>(i));
                    const CellSpan sp = spanOf(Bounds{f.minx, f.miny, f.maxx, f.maxy, false});
                    if (sp.r0 <= r && r <= sp.r1 && sp.c0 <= c && c <= sp.c1) disksOf[k].push_back(i);
                }
                s = disksOf[k].empty() ? CellState::Empty : CellState::Partial;
            }
            state[k] = s;
            if (s == CellState::Full) ++full;
            if (s == CellState::Empty) ++empty;
            std::vector<int>().swap(candidates);
        }
    }

    // Sum the covered parts, or subtract the uncovered ones from the whole, whichever needs
    // fewer cells clipped: whole cells of one kind then cost nothing.
    const PreparedPtr prepared = prepare(ctx, shape);
    const std::vector<DiskFrame>& known = frames.frames();
    auto pass = [&](const CellMeasure& measure) {
        double sum = 0;
        for (size_t r = 0; r < rows; ++r) {
            for (size_t c = 0; c < columns; ++c) {
                const size_t k = r * columns + c;
                sum += measure.cell(b.minx + c * cell, b.miny + r * cell, cell, state[k], disksOf[k], false, 0);
            }
        }
        return sum;
    };
    const bool sumCovered = full <= empty;
    const double sum = pass(CellMeasure{ctx, shape, prepared.get(), known, sumCovered});
    if (uncovered) {
        // The cells' uncovered pieces tile the uncovered part; their union dissolves the
        // cell lines (far cheaper than one union of every disk when hubs are dense).
        std::vector<GeomPtr> pieces;
        pass(CellMeasure{ctx, shape, prepared.get(), known, false, &pieces});
        std::vector<GEOSGeometry*> raw;
        for (auto& p : pieces) raw.push_back(p.release());
        const GeomPtr collection = takeGeom(
            ctx,
            GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())),
            "collection creation");
        // On a 1 mm grid: clipping rounds a cell's edge differently on its two sides, and
        // pieces a hair apart would not dissolve.
        *uncovered = takeGeom(ctx, GEOSUnaryUnionPrec_r(ctx, collection.get(), 1e-3), "union of uncovered parts");
    }
    const double covered = sumCovered ? sum : shapeArea - sum;
    return std::clamp(covered, 0.0, shapeArea);
}

}  // namespace

AreaCoverage coveredArea(const GeosContext& ctx, PJ_CONTEXT* proj, const Geodesic& geodesic,
                         const GEOSGeometry* municipality, const std::vector<const CatchmentHub*>& candidates,
                         bool keepUncovered, AreaMethod method) {
    AreaCoverage out;
    if (candidates.empty()) {
        // Nothing reaches it: no need to project (areaM2 stays 0, and so does the share).
        if (keepUncovered) out.uncovered = toMultiPolygon(ctx, clone(ctx, municipality));
        return out;
    }
    return coveredArea(ctx, geodesic, LocalShape(ctx, proj, municipality), candidates, keepUncovered, method);
}

AreaCoverage coveredArea(const GeosContext& ctx, const Geodesic& geodesic, const LocalShape& local,
                         const std::vector<const CatchmentHub*>& candidates, bool keepUncovered, AreaMethod method) {
    if (candidates.empty()) throw Error("coveredArea: no hub to measure against");
    AreaCoverage out;
    const LocalEqualArea& projection = local.projection();
    const GEOSGeometry* shape = local.shape();
    out.areaM2 = local.areaM2();
    LazyFrames frames(geodesic, projection, candidates);
    const std::vector<int> reaching = disksMeeting(frames, local.box());
    GeomPtr* uncovered = keepUncovered ? &out.uncovered : nullptr;
    // A few disks: one union is cheaper than the cells. The method depends on the disks
    // only, never on keepUncovered, so the figures are the same to the last digit with or
    // without the geometry (export = `hubmap coverage`).
    constexpr size_t kFewDisks = 12;
    if (method == AreaMethod::WholeUnion || (method == AreaMethod::Automatic && reaching.size() <= kFewDisks)) {
        for (int i : reaching) frames.frame(static_cast<size_t>(i));
        measureWhole(ctx, projection, shape, local.box(), frames.frames(), reaching, &out.coveredM2, uncovered);
    } else {
        GeomPtr rest;
        out.coveredM2 = measureByCells(ctx, shape, local.box(), out.areaM2, frames, uncovered ? &rest : nullptr);
        if (uncovered) {
            *uncovered = GEOSisEmpty_r(ctx, rest.get()) == 1
                             ? takeGeom(ctx, GEOSGeom_createEmptyCollection_r(ctx, GEOS_MULTIPOLYGON), "empty geometry")
                             : lonLatPolygons(ctx, projection, rest.get());
        }
    }
    out.coveredM2 = std::min(out.coveredM2, out.areaM2);
    return out;
}

bool withinRadius(const Geodesic& geodesic, double lon, double lat, double lon0, double lat0, double radiusM) {
    const double midLat = (lat + lat0) / 2;
    const CurvatureRadii r = curvatureRadii(geodesic, midLat);
    const double dx = (lon - lon0) * kDegToRad * r.primeVertical * std::cos(midLat * kDegToRad);
    const double dy = (lat - lat0) * kDegToRad * r.meridional;
    const double d2 = dx * dx + dy * dy;
    const double lo = radiusM * 0.99, hi = radiusM * 1.01;
    if (d2 <= lo * lo) return true;
    if (d2 >= hi * hi) return false;
    return geodesic.distanceKm(lon, lat, lon0, lat0) * 1000.0 <= radiusM;
}

bool withinAnyRadius(const Geodesic& geodesic, double lon, double lat,
                     const std::vector<const CatchmentHub*>& candidates) {
    for (const CatchmentHub* h : candidates) {
        if (withinRadius(geodesic, lon, lat, h->lon, h->lat, h->radiusM)) return true;
    }
    return false;
}

double kmToLatDegrees(double km) {
    // A degree of latitude is at least 110.57 km (at the equator); 110 leaves a margin.
    return km / 110.0;
}

double kmToLonDegrees(double km, double maxAbsLat) {
    // A degree of longitude is at least 111.32 km · cos(lat) on GRS80; 111 leaves a margin.
    const double c = std::cos(std::min(std::fabs(maxAbsLat), 89.0) * kDegToRad);
    return km / (111.0 * c);
}

}  // namespace hubmap::detail
