#pragma once
// Internals of the coverage query (analysis/coverage.cpp): local equal-area
// projections, polygons standing for geodesic disks, the covered part of one
// municipality, and geodesic proximity of settlements to hubs. Exposed for tests.

#include <proj.h>

#include <cstddef>
#include <vector>

#include "core/geodesic.hpp"
#include "core/geos.hpp"
#include "core/proj.hpp"

namespace hubmap::detail {

/// Vertices of the polygon that stands for one geodesic disk in the measurements: with
/// equalAreaPolygonScale it stays within ±0.005 % of the radius (±0.5 m at 10 km), so even
/// a thin strip of a disk grazing a municipality is measured closely.
constexpr int kDiskVertices = 256;

/// Vertices of the disks dissolved into the catchment geometries for display and export
/// (CoverageResult::catchments, see disk_union.hpp): area-true, within ±0.08 % of the
/// radius, 4× lighter.
constexpr int kDisplayDiskVertices = 64;

/// Circumradius / radius of a regular n-gon with the area of a circle of radius 1:
/// sqrt(2π / (n sin(2π/n))) — 1.0008 for n = 64. The polygon then has the disk's area
/// exactly and departs from the circle by at most 0.08 % of the radius, alternately
/// outside (vertices) and inside (edge midpoints).
double equalAreaPolygonScale(int vertices);

/// Lambert azimuthal equal-area projection on GRS80 centred on (lon0, lat0), in metres.
/// Equal-area: a planar area in it is the ellipsoidal area. Near its centre it is also
/// nearly conformal (scale error about (d / 6,371 km)² / 8 at distance d: 3e-5 at 100 km),
/// which is what lets a geodesic disk be drawn in it as an ellipse.
class LocalEqualArea {
public:
    LocalEqualArea(PJ_CONTEXT* ctx, double lon0, double lat0);
    /// lon/lat degrees → metres, `count` interleaved pairs in place.
    void forward(double* xy, std::size_t count) const;
    /// metres → lon/lat degrees, in place.
    void inverse(double* xy, std::size_t count) const;
    /// A projected (or inverse-projected) copy of a geometry.
    GeomPtr forward(const GeosContext& ctx, const GEOSGeometry* lonLat) const;
    GeomPtr inverse(const GeosContext& ctx, const GEOSGeometry* projected) const;
    /// Moves the projection to another PROJ context: that of the thread about to use it, or
    /// that of its keeper (a PJ reports to its context, even as it is destroyed).
    void useContext(PJ_CONTEXT* ctx);

private:
    ProjPtr pj_;
};

/// What coveredArea needs of a municipality (or designated part) besides the hubs: its
/// LocalEqualArea, centred on its bounding box, and the shape projected into it. It depends on
/// the shape alone, so a CoverageCache keeps one per shape between queries (creating the
/// projection and projecting the shape were a tenth of a query at 100,000 hubs).
class LocalShape {
public:
    /// Projects `lonLat`; the projected shape is owned through `ctx`, the projection by `proj`.
    LocalShape(const GeosContext& ctx, PJ_CONTEXT* proj, const GEOSGeometry* lonLat);

    const LocalEqualArea& projection() const { return projection_; }
    const GEOSGeometry* shape() const { return shape_.get(); }
    double areaM2() const { return areaM2_; }
    const Bounds& box() const { return box_; }  ///< of the projected shape
    /// Hands the projected shape to `ctx` and the projection to `proj` (see useContext).
    void moveTo(const GeosContext& ctx, PJ_CONTEXT* proj);

private:
    LocalEqualArea projection_;
    GeomPtr shape_;
    double areaM2_ = 0;
    Bounds box_;
};

/// A hub as the catchment computation sees it.
struct CatchmentHub {
    double lon = 0, lat = 0;
    double radiusM = 0;  ///< geodesic radius of its catchment, metres
    int hub = -1;        ///< index into Dataset::hubs
};

/// A geodesic disk as seen in a LocalEqualArea projection: its projected centre and the
/// projection's derivative there, which maps the geodesic circle to an ellipse.
///
/// The derivative is computed with PROJ by central differences over ±50 m along the
/// meridian and the parallel, scaled by the ellipsoid's radii of curvature. The neglected
/// terms are of relative size R·d/ρ² (d: the hub's distance from the projection centre,
/// ρ: Earth radius), under 1e-4 for R ≤ 50 km and d ≤ 200 km.
struct DiskFrame {
    double x = 0, y = 0;    ///< projected centre
    double ex = 0, ey = 0;  ///< projected offset of one metre east
    double nx = 0, ny = 0;  ///< projected offset of one metre north
    /// Radii in local metres: the polygon's circumradius (radius × equalAreaPolygonScale)
    /// and its incircle's.
    double outer = 0, inner = 0;
    double minx = 0, miny = 0, maxx = 0, maxy = 0;  ///< bounding box of the polygon
    /// True when a projected point lies within the incircle ellipse, hence in the polygon.
    bool surelyInside(double px, double py) const;
};

/// The frames of `hubs`' disks in `projection`.
std::vector<DiskFrame> diskFrames(const Geodesic& geodesic, const LocalEqualArea& projection,
                                  const std::vector<const CatchmentHub*>& hubs);

/// The polygon standing for a disk: the regular kDiskVertices-gon of its ellipse, with the
/// disk's area (see equalAreaPolygonScale).
GeomPtr diskPolygon(const GeosContext& ctx, const DiskFrame& frame);

/// diskPolygon of every hub's frame.
std::vector<GeomPtr> projectedDisks(const GeosContext& ctx, const Geodesic& geodesic, const LocalEqualArea& projection,
                                    const std::vector<const CatchmentHub*>& hubs);

/// A polygon from one closed ring of n + 1 interleaved x, y pairs (the last equal to the first).
GeomPtr polygonFromRing(const GeosContext& ctx, const std::vector<double>& ring);

/// The covered part of one municipality.
struct AreaCoverage {
    double areaM2 = 0;     ///< the municipality's area in its local equal-area projection (0 without candidates)
    double coveredM2 = 0;  ///< of which within a hub's radius
    GeomPtr uncovered;     ///< lon/lat MultiPolygon of the rest (only when asked for)
};

/// How coveredArea measures (both give the same area up to rounding; tests compare them).
enum class AreaMethod {
    Automatic,   ///< WholeUnion for up to 12 disks reaching the municipality, else Cells
    WholeUnion,  ///< one union of every disk, intersected with the municipality
    Cells,       ///< cell by cell
};

/// Area of `municipality` (lon/lat MultiPolygon) within the radius of any of `candidates`
/// (hubs anywhere, inside or across its border), measured in a LocalEqualArea projection
/// centred on the municipality's bounding box.
///
/// Few disks are unioned once and intersected with the projected municipality. Many are
/// handled cell by cell: the municipality's box is cut into square cells about half the
/// smallest radius wide; a cell inside one disk's incircle is covered whole, a cell that
/// no disk reaches is uncovered whole, and in the remaining cells the disks (clipped to the
/// cell) are unioned, intersected with the municipality's part of the cell and measured.
/// Summed over the cells this is the same area, computed on small pieces. The choice
/// depends on the disks only, so `keepUncovered` (the uncovered part as a geometry, from
/// one whole union) never changes the figures.
AreaCoverage coveredArea(const GeosContext& ctx, PJ_CONTEXT* proj, const Geodesic& geodesic,
                         const GEOSGeometry* municipality, const std::vector<const CatchmentHub*>& candidates,
                         bool keepUncovered, AreaMethod method = AreaMethod::Automatic);

/// coveredArea of a shape already projected (`local`), for at least one candidate.
AreaCoverage coveredArea(const GeosContext& ctx, const Geodesic& geodesic, const LocalShape& local,
                         const std::vector<const CatchmentHub*>& candidates, bool keepUncovered,
                         AreaMethod method = AreaMethod::Automatic);

/// True when (lon, lat) is within `radiusM` of (lon0, lat0) by geodesic distance: the
/// test withinAnyRadius makes for each candidate.
bool withinRadius(const Geodesic& geodesic, double lon, double lat, double lon0, double lat0, double radiusM);

/// True when (lon, lat) is within some candidate's radius by geodesic distance. A local
/// flat metric (radii of curvature at the mid-latitude) decides pairs farther than 1 %
/// from the radius; the rest are measured exactly with Geodesic::distanceKm.
bool withinAnyRadius(const Geodesic& geodesic, double lon, double lat,
                     const std::vector<const CatchmentHub*>& candidates);

/// Degrees of latitude and longitude that certainly contain `km` around latitudes up to `maxAbsLat`.
double kmToLatDegrees(double km);
double kmToLonDegrees(double km, double maxAbsLat);

}  // namespace hubmap::detail
