#include "core/municipality_index.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/model.hpp"

namespace hubmap {

MunicipalityShapes::MunicipalityShapes(const GeosContext& ctx, std::vector<std::string> codes,
                                       std::vector<const GEOSGeometry*> geoms) {
    if (codes.size() != geoms.size()) throw Error("MunicipalityShapes: as many codes as polygons expected");
    shapes_.reserve(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i) {
        Shape s;
        s.code = std::move(codes[i]);
        s.geom = geoms[i];
        if (s.geom) s.box = bounds(ctx, s.geom);
        shapes_.push_back(std::move(s));
    }
}

MunicipalityShapes MunicipalityShapes::of(const Dataset& data) {
    std::vector<std::string> codes;
    std::vector<const GEOSGeometry*> geoms;
    for (const Municipality& m : data.municipalities) {
        codes.push_back(m.code);
        geoms.push_back(m.geom.get());
    }
    GeosContext ctx;  // data.ctx may be busy on another thread (the viewer's)
    return MunicipalityShapes(ctx, std::move(codes), std::move(geoms));
}

MunicipalityIndex::MunicipalityIndex(const GeosContext& ctx, const MunicipalityShapes& shapes)
    : ctx_(ctx), shapes_(shapes), tree_(ctx), clones_(shapes.size()), prepared_(shapes.size()) {
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        if (shapes[i].geom) tree_.insert(shapes[i].box, i);
    }
}

MunicipalityIndex::~MunicipalityIndex() = default;

const GEOSGeometry* MunicipalityIndex::polygon(std::size_t m) {
    // This thread's own copy: the shared polygon is only read (cloned), never prepared.
    if (!clones_[m]) clones_[m] = clone(ctx_, shapes_[m].geom);
    return clones_[m].get();
}

const GEOSPreparedGeometry* MunicipalityIndex::prepared(std::size_t m) {
    if (!prepared_[m]) prepared_[m] = prepare(ctx_, polygon(m));
    return prepared_[m].get();
}

MunicipalityHit MunicipalityIndex::locate(double lon, double lat, std::string_view statedCode) {
    MunicipalityHit hit;
    if (!std::isfinite(lon) || !std::isfinite(lat)) return hit;
    const GeomPtr point = makePoint(ctx_, lon, lat);
    tree_.query(point.get(), candidates_);
    hits_.clear();
    for (std::size_t m : candidates_) {
        if (GEOSPreparedContains_r(ctx_, prepared(m), point.get()) == 1) hits_.push_back(m);
    }
    if (hits_.empty()) {
        // Exactly on a boundary: contained by none, touched by the polygons that share it.
        for (std::size_t m : candidates_) {
            if (GEOSPreparedIntersects_r(ctx_, prepared(m), point.get()) == 1) hits_.push_back(m);
        }
        hit.onBoundary = !hits_.empty();
    }
    if (hits_.empty()) return hit;
    std::size_t best = hits_.front();
    for (std::size_t m : hits_) {
        if (shapes_[m].code < shapes_[best].code) best = m;
    }
    if (!statedCode.empty()) {
        for (std::size_t m : hits_) {
            if (shapes_[m].code == statedCode) best = m;
        }
    }
    hit.municipality = static_cast<int>(best);
    hit.ambiguous = hits_.size() > 1;
    return hit;
}

bool MunicipalityIndex::holds(std::size_t m, double lon, double lat) {
    if (m >= shapes_.size()) return false;
    return locate(lon, lat, shapes_[m].code).municipality == static_cast<int>(m);
}

std::vector<std::size_t> MunicipalityIndex::near(const Bounds& box) const {
    std::vector<std::size_t> out;
    tree_.query(box, out);
    return out;
}

int MunicipalityIndex::nearestInDegrees(double lon, double lat) {
    if (!std::isfinite(lon) || !std::isfinite(lat)) return -1;
    const GeomPtr point = makePoint(ctx_, lon, lat);
    const std::size_t found = tree_.nearest(point.get(), [&](std::size_t m) {
        // Called from inside GEOS: report a failure as "infinitely far", never by throwing.
        double d = 0;
        try {
            return GEOSDistance_r(ctx_, polygon(m), point.get(), &d) == 1 ? d : HUGE_VAL;
        } catch (const Error&) {
            return HUGE_VAL;
        }
    });
    return found == BoxTree::npos ? -1 : static_cast<int>(found);
}

}  // namespace hubmap
