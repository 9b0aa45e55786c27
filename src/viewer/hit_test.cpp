#include "viewer/hit_test.hpp"

#include <cmath>
#include <limits>

namespace hubmap::viewer {

MunicipalityLocator::MunicipalityLocator(const Dataset& data) : tree_(makeSTRtree(ctx_)) {
    polygons_.reserve(data.municipalities.size());
    for (std::size_t i = 0; i < data.municipalities.size(); ++i) {
        const Municipality& m = data.municipalities[i];
        if (!m.geom) continue;
        polygons_.push_back(clone(ctx_, m.geom.get()));
        ids_.push_back(static_cast<int>(i));
    }
    prepared_.resize(polygons_.size());
    for (std::size_t k = 0; k < polygons_.size(); ++k) {
        // The tree copies the polygon's envelope (GEOS >= 3.9); the item is the slot number.
        GEOSSTRtree_insert_r(ctx_, tree_.get(), polygons_[k].get(), reinterpret_cast<void*>(k));
    }
}

int MunicipalityLocator::find(double lon, double lat) const {
    if (!std::isfinite(lon) || !std::isfinite(lat)) return -1;
    GeomPtr point = makePoint(ctx_, lon, lat);
    struct Query {
        const MunicipalityLocator* self;
        const GEOSGeometry* point;
        int found;
    } q{this, point.get(), -1};
    auto visit = [](void* item, void* userdata) {
        auto* query = static_cast<Query*>(userdata);
        if (query->found >= 0) return;
        const auto k = reinterpret_cast<std::size_t>(item);
        const MunicipalityLocator* self = query->self;
        // Preparing is lazy: only polygons the cursor actually reaches pay for it.
        if (!self->prepared_[k]) self->prepared_[k] = prepare(self->ctx_, self->polygons_[k].get());
        if (GEOSPreparedContains_r(self->ctx_, self->prepared_[k].get(), query->point) == 1) {
            query->found = self->ids_[k];
        }
    };
    GEOSSTRtree_query_r(ctx_, tree_.get(), point.get(), visit, &q);
    return q.found;
}

int municipalityAt(const MunicipalityLocator& locator, const MapProjection& projection, const ViewTransform& view,
                   ScreenPoint p) {
    const WorldPoint w = view.toWorld(p);
    const WorldPoint lonlat = projection.inverse(w.x, w.y);
    return locator.find(lonlat.x, lonlat.y);
}

int hubAt(const HubPoints& hubs, const std::vector<bool>& visible, const ViewTransform& view, ScreenPoint p,
          double radiusPx) {
    const WorldPoint w = view.toWorld(p);
    const double r = radiusPx / view.pixelsPerMetre();
    double best = r * r;
    int found = -1;
    for (std::size_t i = 0; i < hubs.size(); ++i) {
        const std::uint32_t k = hubs.kind[i];
        if (k >= visible.size() || !visible[k]) continue;
        const double dx = hubs.positions[2 * i] - w.x;
        const double dy = hubs.positions[2 * i + 1] - w.y;
        const double d2 = dx * dx + dy * dy;
        if (d2 <= best) {
            best = d2;
            found = static_cast<int>(i);
        }
    }
    return found;
}

}  // namespace hubmap::viewer
