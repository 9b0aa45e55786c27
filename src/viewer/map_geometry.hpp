#pragma once
// CPU-side map geometry for the viewer's GPU buffers, with no GL: municipality polygons
// triangulated by GEOS (constrained Delaunay) and projected once at several levels of
// detail, prefecture border segments, hub points, and the per-query overlays
// (catchment outlines, uncovered areas).

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "core/geos.hpp"
#include "core/model.hpp"
#include "viewer/map_projection.hpp"

namespace hubmap::viewer {

/// Triangles in projected metres, three vertices each (not shared: each corner carries
/// its own barycentric corner number). Every vertex also carries its feature id (the
/// municipality index, for the colour table), which edges of its triangle lie on the
/// polygon's boundary and its altitude (its distance to the opposite edge): the distance
/// to a boundary edge is linear over the triangle (the altitude at the opposite corner, 0
/// on the edge), so the fill shader draws the borders from interpolated distances, with no
/// extra triangles and no per-pixel derivatives, square roots or divisions.
struct FillMesh {
    std::vector<float> positions;           ///< x, y per vertex
    std::vector<std::uint32_t> attributes;  ///< per vertex: packAttributes(feature, corner, edges, altitude)
    std::size_t vertexCount() const { return attributes.size(); }
    std::size_t triangleCount() const { return attributes.size() / 3; }
    /// Appends `other`.
    void append(const FillMesh& other);
    /// Moves the triangles without a boundary edge (no border reaches them) before the others,
    /// each kind in its order; returns their vertex count.
    std::size_t putInteriorFirst();

    /// Features the attribute word has room for (municipalities and designated parts: about 1,900).
    static constexpr std::uint32_t kMaxFeatures = 1u << 14;
    /// feature << 18 | altitude << 5 | boundary edge mask << 2 | corner (0..2), the altitude as
    /// encodeAltitude's 13 bits. Edge i is the one opposite corner i (where barycentric
    /// coordinate i is 0). Matches shaders/fill.vertex.glsl.
    static std::uint32_t packAttributes(std::uint32_t feature, int corner, unsigned edgeMask, double altitudeMetres) {
        return feature << 18 | encodeAltitude(altitudeMetres) << 5 | (edgeMask & 7u) << 2 |
               static_cast<std::uint32_t>(corner);
    }
    static std::uint32_t featureOf(std::uint32_t packed) { return packed >> 18; }
    static unsigned edgeMaskOf(std::uint32_t packed) { return (packed >> 2) & 7u; }
    /// Whether the triangle of these three vertices' attributes has a boundary edge.
    static bool hasBoundaryEdge(const std::uint32_t* corners) {
        return (edgeMaskOf(corners[0]) | edgeMaskOf(corners[1]) | edgeMaskOf(corners[2])) != 0;
    }
    static double altitudeOf(std::uint32_t packed) { return decodeAltitude((packed >> 5) & 0x1FFFu); }

    /// Metres as a 13-bit float: 5 bits of exponent, 8 of mantissa, (256 + m) × 2^(e − 18) m,
    /// so 1 mm to 4,186 km within 0.2% (a border's distance near its edge is off by as little;
    /// shorter altitudes are a millimetre, longer ones the largest).
    static std::uint32_t encodeAltitude(double metres);
    static double decodeAltitude(std::uint32_t code);
};

/// Roughly, for turning a simplification tolerance in degrees into metres.
inline constexpr double kMetresPerDegree = 111000.0;

/// Line segments in projected metres: x0, y0, x1, y1 per segment (drawn as instanced quads).
struct LineMesh {
    std::vector<float> segments;
    std::size_t segmentCount() const { return segments.size() / 4; }
    void append(const LineMesh& other) {
        segments.insert(segments.end(), other.segments.begin(), other.segments.end());
    }
};

/// A contiguous range of vertices (fill) or segments (lines) and what it covers, for culling.
struct DrawRange {
    std::size_t first = 0, count = 0;
    WorldBounds bounds;
};

/// The base map at one level of detail: polygons simplified (Douglas-Peucker, GEOS) with
/// `toleranceDeg`, triangulated and projected (municipal borders are drawn with the fill);
/// prefecture borders as segments, a border two prefectures share once.
struct MapLevel {
    double toleranceDeg = 0;  ///< 0 = the data as stored
    FillMesh municipalityFill;
    std::vector<DrawRange> fillChunks;  ///< vertex ranges, one per municipality (code order)
    /// Per fillChunks entry: the vertices of its triangles without a boundary edge, which come
    /// first in it (FillMesh::putInteriorFirst; they need no border arithmetic).
    std::vector<std::size_t> fillChunkInterior;
    /// Municipalities (index) with a designated part (一部過疎) that could not be cut out of the
    /// drawn polygon at this level: their feature is the whole municipality, not the part.
    std::vector<std::uint32_t> uncutParts;
    LineMesh prefectureBorders;
    std::vector<DrawRange> prefectureBorderChunks;  ///< runs of up to 128 segments
    /// Roughly the largest displacement the simplification allows, in metres.
    double toleranceMetres() const { return toleranceDeg * kMetresPerDegree; }
};

/// The levels of detail the viewer uses, coarse to fine (each tolerance about half the
/// previous): each is drawn while 1.5 screen pixels cover at least its tolerance, so the
/// map never moves by more than that and the GPU gets as few triangles as possible.
inline constexpr double kLevelTolerancesDeg[] = {0.027, 0.0135, 0.007, 0.0036, 0.0018, 0.0};

/// Whether a level simplified by `toleranceMetres` is fine enough for a view at
/// `pixelsPerMetre`: Douglas-Peucker moves no vertex further than the tolerance, and up to
/// 1.5 px is not seen once borders are drawn anti-aliased.
inline constexpr double kLevelFitPixels = 1.5;
inline bool levelFits(double toleranceMetres, double pixelsPerMetre) {
    return toleranceMetres <= kLevelFitPixels / pixelsPerMetre;
}

/// The level of kLevelTolerancesDeg a view at `pixelsPerMetre` draws once every level is
/// built: the coarsest that fits, else the finest.
std::size_t levelIndexFor(double pixelsPerMetre);

/// Where things are, at full resolution (fitting, culling, labels).
struct MapIndex {
    std::vector<WorldBounds> municipalityBounds;  ///< per Dataset::municipalities index
    std::vector<WorldPoint> municipalityLabels;   ///< a point inside each municipality
    std::vector<WorldBounds> prefectureBounds;    ///< per Dataset::prefectures index
    std::vector<WorldPoint> prefectureLabels;
    WorldBounds japan;  ///< every municipality
};

/// Triangulates (GEOSConstrainedDelaunayTriangulation_r) and projects a lon/lat polygonal
/// geometry, appending the triangles to `mesh` tagged with `featureId`.
void appendTriangulated(const GeosContext& ctx, const MapProjection& projection, const GEOSGeometry* polygonal,
                        std::uint32_t featureId, FillMesh& mesh);

/// Appends every ring of a lon/lat polygonal geometry, projected, as segments.
/// Returns the projected bounds of what was appended.
WorldBounds appendRings(const GeosContext& ctx, const MapProjection& projection, const GEOSGeometry* polygonal,
                        LineMesh& lines);

/// Bounds and label points of every municipality and prefecture, on `threads` threads
/// (0 = all cores); each thread has its own GEOS context and PROJ projection.
MapIndex buildMapIndex(const Dataset& data, int threads = 0);

/// Fill features: municipality i is feature i; the part of the k-th 一部過疎 municipality of
/// Dataset::designatedParts outside its designated part (the rest, not designated) is feature
/// municipalities.size() + k. The colour table holds mapFeatureCount(data) colours.
inline std::size_t mapFeatureCount(const Dataset& data) {
    return data.municipalities.size() + data.designatedParts.size();
}

/// One level of detail of the base map (see kLevelTolerancesDeg), on `threads` threads. A
/// 一部過疎 municipality with a designated part (measured on its former municipalities) is
/// drawn in two features: the part (its own feature) and the rest (see mapFeatureCount), both
/// in its fill chunk.
/// At full detail (tolerance 0) a border shared by two municipalities is kept once.
MapLevel buildMapLevel(const Dataset& data, double toleranceDeg, int threads = 0);

/// Hub points projected once; `kind` indexes `kinds`.
struct HubPoints {
    std::vector<float> positions;     ///< x, y per located hub
    std::vector<std::uint32_t> kind;  ///< per located hub
    std::vector<int> hubIndex;        ///< per located hub: index into Dataset::hubs
    std::vector<WorldPoint> byHub;    ///< per Dataset::hubs index (NaN when the hub has no point)
    /// Per located hub: the projected offset of one ground metre east (ex, ey) and one north
    /// (nx, ny). The map's derivative at the hub: it draws a geodesic disk around the hub as an
    /// ellipse (see kCatchmentDiskError).
    std::vector<float> frames;
    std::vector<std::string> kinds;  ///< kinds present, in a stable order (builtin kinds first)
    std::vector<std::size_t> countByKind;
    std::size_t size() const { return kind.size(); }
};

/// How far a geodesic disk of radius R drawn as the ellipse of HubPoints::frames departs from
/// the projected disk, as a multiple of R² (metres): the map's second derivative neglected is
/// about 1/(2ρ), ρ the Earth's radius, so 10 km → 8 m, 50 km → 0.2 km. Tests check it.
inline constexpr double kCatchmentDiskError = 1.0 / (2 * 6.36e6);

/// Projects every hub with a point. Hubs without one (prefecture precision) are listed in
/// `byHub` as NaN and not drawn.
HubPoints buildHubPoints(const Dataset& data, const MapProjection& projection);

/// What the catchments' distance field (see MapRenderer) is rendered from: the disks of
/// the hubs of `kindMask` with a radius, on a square of size × size texels. Most of 100,000
/// disks lie deep inside the others and would only cost fill: a grid of cells (whole texels)
/// marks those inside some disk's incircle by two texels or more; a disk whose box lies on
/// marked cells only is left out and the marked cells are written whole instead. Near every
/// edge of the union the field is then the same (the disks making an edge are all kept).
struct CatchmentFieldPlan {
    WorldBounds bounds;                ///< the field's world square (empty: nothing to draw)
    double texel = 0;                  ///< world metres per texel
    std::vector<std::uint32_t> disks;  ///< located-hub indices whose disks are drawn
    std::vector<int> coveredTexels;    ///< x0, y0, x1, y1 (exclusive) per texel rectangle inside the union
    std::size_t candidates = 0;        ///< disks of the kinds asked for
};

/// Plans the field for disks of `radiusKm` around the hubs of the kinds in `kindMask` (bit
/// per HubPoints::kinds index).
CatchmentFieldPlan planCatchmentField(const HubPoints& hubs, double radiusKm, int kindMask, int size);

/// The catchments' field as rendered, summarised in blocks of kBlock × kBlock texels (each
/// block's least and greatest value), to tell which side of every edge a fill triangle lies
/// on. Where the field is at most 0.5 - margin at every texel the fill's bilinear reads of a
/// triangle touch, it is outside every disk by margin × 2 × the field's range; at least 0.5 +
/// margin, inside. If that distance is at least the outline's reach (a margin of 0.5: where
/// the field saturates, at any scale; see setCatchmentUniforms), the field gives the triangle
/// exactly what the cheaper programs assume (shaders/fill.*): no outline, and hatched
/// (outside) or not (inside). So the fill reads the field only for the others (FillOrder).
class FieldSides {
public:
    enum Side : std::uint8_t { kOutside, kInside, kEdge };
    static constexpr int kBlock = 4;

    /// The field's world square and its texels across (a multiple of kBlock).
    FieldSides(const WorldBounds& bounds, int size);
    /// `rows` rows of texel values (size a row, bottom up, as glReadPixels gives them) from
    /// row `firstRow`.
    void addRows(int firstRow, int rows, const float* texels);
    /// The margin sideOf uses, in the field's values (0 < margin <= 0.5).
    void setMargin(double margin);

    /// The side of everything in `box` (world metres) as the fill's reads see it: kEdge
    /// unless every texel they touch is beyond the margin on the same side.
    Side sideOf(const WorldBounds& box) const;

private:
    std::uint32_t count(const std::vector<std::uint32_t>& table, int bx0, int by0, int bx1, int by1) const;
    WorldBounds bounds_;
    int size_ = 0, blocks_ = 0;
    std::vector<float> least_, greatest_;                        // per block
    std::vector<std::uint32_t> notOutsideSums_, notInsideSums_;  // summed-area tables, (blocks + 1)²
};

/// A fill mesh's triangles grouped by the programs that can draw them exactly: by their side
/// of the catchments' field (FieldSides::Side), and whether they have a boundary edge (a
/// border to draw) or none (no border reaches their pixels: they need no border arithmetic,
/// which is about a third of the fill's cost on llvmpipe). The vertex indices of group 0, then
/// group 1 and so on, each chunk by chunk in the mesh's order; per group one index range for
/// each of the mesh's chunks (with its bounds; empty where it has none of that group).
struct FillOrder {
    static constexpr int kGroups = 6;
    static int group(FieldSides::Side side, bool bordered) { return 2 * side + (bordered ? 1 : 0); }
    std::vector<std::uint32_t> indices;
    std::array<std::vector<DrawRange>, kGroups> chunks;
};

/// Orders the triangles of a fill mesh (`positions`: x, y a vertex, three vertices a
/// triangle; `attributes`: FillMesh's; `chunks`: vertex ranges of whole triangles) by their
/// group.
FillOrder orderFill(const FieldSides& sides, const float* positions, const std::uint32_t* attributes,
                    const std::vector<DrawRange>& chunks);

/// The symbols of one kind in a HubLevel: a run of its chunks.
struct HubKindGroup {
    std::uint32_t kind = 0;
    std::size_t firstChunk = 0, chunkCount = 0;
};

/// Hubs to draw from a zoom level on: all of them, or for low zooms a thinned copy.
struct HubLevel {
    double minZoom = 0;               ///< drawn from this zoom level up to the next level's
    std::vector<float> positions;     ///< x, y per symbol
    std::vector<std::uint32_t> kind;  ///< per symbol
    /// Symbol ranges by kind, then by square cell of kHubChunkMetres row by row (so the
    /// visible cells of a row are one contiguous range), with the bounds of their points,
    /// for culling.
    std::vector<DrawRange> chunks;
    /// The kinds' chunks, in the order the hubs first list their kinds (a kind is drawn with
    /// a shader of its symbol's shape alone; later groups are drawn over earlier ones).
    std::vector<HubKindGroup> groups;
    std::size_t size() const { return kind.size(); }
};

/// Side of the cells hub symbols are grouped by for culling, projected metres.
inline constexpr double kHubChunkMetres = 100000.0;

/// A thinned level is kept only while it holds under this share of the hubs.
inline constexpr double kHubThinningWorthwhile = 0.8;

/// The overview of many hubs: for each integer zoom in [firstZoom, lastZoom], one hub per
/// kind per square cell of `cellPx` screen pixels (symbols overlap there anyway, so the
/// picture does not change), then every hub from lastZoom + 1 — or from the first zoom
/// whose thinning would keep kHubThinningWorthwhile of them. Sorted by minZoom; each
/// level's symbols in kind groups and chunks (see HubLevel), in hub order within a chunk.
std::vector<HubLevel> buildHubLevels(const HubPoints& hubs, double cellPx = 8.0, int firstZoom = 3, int lastZoom = 11);

/// The uncovered parts of a query at one level of detail, chunked by prefecture for culling.
struct OverlayLevel {
    double toleranceDeg = 0;
    FillMesh fill;
    std::vector<DrawRange> chunks;
    /// The municipalities measured on their designated part (一部過疎), one range each, and
    /// their index: the fill hatches their uncovered areas from the catchments' field too,
    /// unless the part could not be cut out (MapLevel::uncutParts; then this mesh is drawn).
    std::vector<DrawRange> partChunks;
    std::vector<std::uint32_t> partMunicipalities;
    double toleranceMetres() const { return toleranceDeg * kMetresPerDegree; }
};

/// Levels of detail of the uncovered areas, coarse to fine (the finest, ≈ 50 m, is below a
/// pixel up to zoom 11 and keeps the triangle count of a national query manageable).
inline constexpr double kOverlayTolerancesDeg[] = {0.0135, 0.0036, 0.0005};

/// Geometry products of one coverage query (built in the query's worker thread).
/// (Catchments are drawn by the GPU from HubPoints::frames at any hub count, not from here.)
struct QueryOverlay {
    std::vector<OverlayLevel> uncovered;  ///< the parts of designated municipalities outside every catchment
    /// The query's municipalities measured whole (all but the 一部過疎 parts), by municipality
    /// index: where the fill may hatch what lies outside the catchments' field instead.
    std::vector<std::uint32_t> wholeFeatures;
    /// Those measured on their designated part: the fill draws the part as the municipality's
    /// feature (buildMapLevel), so it may hatch them as well where it cut the part out.
    std::vector<std::uint32_t> partFeatures;
    double radiusKm = 0;  ///< the query's radius (0: none)
    bool hasUncovered() const { return !uncovered.empty() && uncovered.back().fill.vertexCount() > 0; }
};

/// Builds the overlay from a result computed with keepGeometry. Checks `progress` for cancellation.
QueryOverlay buildQueryOverlay(const CoverageResult& result, const Dataset& data, const GeosContext& ctx,
                               const MapProjection& projection, Progress& progress);

}  // namespace hubmap::viewer
