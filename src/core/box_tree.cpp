#include "core/box_tree.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace hubmap {

// Since GEOS 3.9 the tree copies each key's envelope, so keys are freed once inserted
// (some 150 bytes per item: 15 MB per worker's index of 100,000 hubs).
static_assert(GEOS_VERSION_MAJOR > 3 || (GEOS_VERSION_MAJOR == 3 && GEOS_VERSION_MINOR >= 9),
              "BoxTree frees its keys after inserting them: needs GEOS 3.9 or later");

namespace {

GeomPtr rectangle(const GeosContext& ctx, const Bounds& b) {
    return takeGeom(ctx, GEOSGeom_createRectangle_r(ctx, b.minx, b.miny, b.maxx, b.maxy), "rectangle");
}

void collect(void* item, void* userdata) {
    static_cast<std::vector<std::size_t>*>(userdata)->push_back(*static_cast<const std::size_t*>(item));
}

}  // namespace

BoxTree::BoxTree(const GeosContext& ctx) : ctx_(ctx), tree_(makeSTRtree(ctx)) {}

void BoxTree::insertKey(const GEOSGeometry* key, std::size_t item) {
    slots_.push_back(item);
    GEOSSTRtree_insert_r(ctx_, tree_.get(), key, &slots_.back());
}

void BoxTree::insert(const Bounds& box, std::size_t item) {
    if (box.empty) return;  // nothing to find it by
    insertKey(rectangle(ctx_, box).get(), item);
}

void BoxTree::insertPoint(double x, double y, std::size_t item) { insertKey(makePoint(ctx_, x, y).get(), item); }

void BoxTree::query(const GEOSGeometry* g, std::vector<std::size_t>& out) const {
    out.clear();
    GEOSSTRtree_query_r(ctx_, tree_.get(), g, &collect, &out);
    std::sort(out.begin(), out.end());
}

void BoxTree::query(const Bounds& box, std::vector<std::size_t>& out) const {
    if (box.empty) {
        out.clear();
        return;
    }
    query(rectangle(ctx_, box).get(), out);
}

std::size_t BoxTree::nearest(const GEOSGeometry* g, const std::function<double(std::size_t)>& distance) const {
    if (slots_.empty()) return npos;
    // GEOS passes the query's own item to the distance callback next to each tree item:
    // a slot of our own that holds npos marks it.
    const std::size_t queryItem = npos;
    struct Search {
        const std::function<double(std::size_t)>* distance;
        const std::size_t* queryItem;
    } search{&distance, &queryItem};
    const void* found = GEOSSTRtree_nearest_generic_r(
        ctx_, tree_.get(), &queryItem, g,
        [](const void* a, const void* b, double* d, void* userdata) -> int {
            const auto* s = static_cast<const Search*>(userdata);
            const void* item = a == s->queryItem ? b : a;
            *d = (*s->distance)(*static_cast<const std::size_t*>(item));
            return 1;
        },
        &search);
    return found ? *static_cast<const std::size_t*>(found) : npos;
}

}  // namespace hubmap
