#pragma once
// Which municipality holds a point: the one rule every part of hubmap uses (coverage,
// the geocoder and import, the viewer's hit test).
//
// The rule. A point is held by the municipality whose polygon contains it. When no polygon
// contains it but some touch it (it lies exactly on a boundary), the touching polygons are
// the candidates; when two or more polygons contain it (neighbouring prefectures'
// simplified boundaries overlap in slivers), those are. Among two or more candidates the
// point goes to the municipality its stated code names if that is one of them, else to the
// lowest code, and the answer is flagged ambiguous. A point in no polygon and on none is held
// by none (at sea, abroad, or in a gap between simplified boundaries).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/box_tree.hpp"
#include "core/geos.hpp"

namespace hubmap {

struct Dataset;

/// The municipalities an index searches: code, polygon and envelope of each. Immutable once
/// built, so workers on several threads may share one. The polygons are not owned: whoever
/// provided them (a Dataset, a Geocoder) keeps them alive and unchanged meanwhile.
class MunicipalityShapes {
public:
    struct Shape {
        std::string code;
        const GEOSGeometry* geom = nullptr;  ///< lon/lat polygon; null: never found
        Bounds box;
    };

    MunicipalityShapes() = default;
    /// Envelopes are computed here, on the calling thread (`ctx` is its context).
    MunicipalityShapes(const GeosContext& ctx, std::vector<std::string> codes, std::vector<const GEOSGeometry*> geoms);
    /// Every municipality of `data`, numbered as in data.municipalities.
    static MunicipalityShapes of(const Dataset& data);

    std::size_t size() const { return shapes_.size(); }
    const Shape& operator[](std::size_t i) const { return shapes_[i]; }

private:
    std::vector<Shape> shapes_;
};

/// Where a point falls under the rule above.
struct MunicipalityHit {
    int municipality = -1;    ///< index into the shapes (Dataset::municipalities), -1 for none
    bool ambiguous = false;   ///< two or more candidates: an overlap, or a boundary two share
    bool onBoundary = false;  ///< inside no polygon, on the boundary of the candidates

    bool found() const { return municipality >= 0; }
};

/// An STRtree over the shapes' envelopes and prepared polygons, for one thread.
///
/// Prepared geometries build their own indexes on first use, so they must not be queried
/// from two threads at once: give each worker its own MunicipalityIndex over shared
/// MunicipalityShapes and its own GeosContext. Building one costs an STRtree of the
/// envelopes; each polygon is cloned and prepared the first time a point reaches it.
class MunicipalityIndex {
public:
    /// `ctx` and `shapes` must outlive the index; `ctx` belongs to the thread that uses it.
    MunicipalityIndex(const GeosContext& ctx, const MunicipalityShapes& shapes);
    ~MunicipalityIndex();
    MunicipalityIndex(const MunicipalityIndex&) = delete;
    MunicipalityIndex& operator=(const MunicipalityIndex&) = delete;

    /// The municipality holding (lon, lat) by the rule above; `statedCode` is the code the
    /// point's source gives ("" for none). Non-finite coordinates are held by none.
    MunicipalityHit locate(double lon, double lat, std::string_view statedCode = {});

    /// Whether municipality `m` holds the point when the source states m's code
    /// (locate(lon, lat, code of m) gives m).
    bool holds(std::size_t m, double lon, double lat);

    /// The municipalities whose envelope meets `box`, sorted.
    std::vector<std::size_t> near(const Bounds& box) const;

    /// The municipality nearest to the point in plain degrees (planar distance to its
    /// polygon; 0 inside); -1 when there are none. A starting bound for a true distance search.
    int nearestInDegrees(double lon, double lat);

    const MunicipalityShapes& shapes() const { return shapes_; }

private:
    const GEOSGeometry* polygon(std::size_t m);
    const GEOSPreparedGeometry* prepared(std::size_t m);

    const GeosContext& ctx_;
    const MunicipalityShapes& shapes_;
    BoxTree tree_;
    std::vector<GeomPtr> clones_;                 // this thread's copy of each polygon reached so far
    std::vector<PreparedPtr> prepared_;           // prepared on first use
    std::vector<std::size_t> candidates_, hits_;  // scratch
};

}  // namespace hubmap
