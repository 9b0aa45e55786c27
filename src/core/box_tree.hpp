#pragma once
// A GEOS STRtree whose items are numbers 0..n-1, typed at the API: the tree holds
// pointers to slots it owns, so no number is ever encoded in a void*.

#include <cstddef>
#include <deque>
#include <functional>
#include <limits>
#include <vector>

#include "core/geos.hpp"

namespace hubmap {

/// An STRtree over boxes (or points) numbered by the caller. Insert everything, then query.
/// GEOS builds the tree on the first query, so one BoxTree must not be queried from two
/// threads at once: give each worker its own (building one is cheap next to the queries).
class BoxTree {
public:
    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

    /// Works on `ctx`, which must outlive the tree and belong to the thread that uses it.
    explicit BoxTree(const GeosContext& ctx);
    BoxTree(const BoxTree&) = delete;
    BoxTree& operator=(const BoxTree&) = delete;

    void insert(const Bounds& box, std::size_t item);
    void insertPoint(double x, double y, std::size_t item);

    /// Items whose box meets `box` (or `g`'s envelope), sorted; `out` is cleared first.
    void query(const Bounds& box, std::vector<std::size_t>& out) const;
    void query(const GEOSGeometry* g, std::vector<std::size_t>& out) const;

    /// The item nearest to `g` by `distance(item)` (which must be at least the distance
    /// between `g`'s envelope and the item's box: the tree prunes on boxes); npos when empty.
    std::size_t nearest(const GEOSGeometry* g, const std::function<double(std::size_t)>& distance) const;

    std::size_t size() const { return slots_.size(); }

private:
    void insertKey(const GEOSGeometry* key, std::size_t item);
    const GeosContext& ctx_;
    STRtreePtr tree_;
    std::deque<std::size_t> slots_;  // stable addresses: the tree's items point here
};

}  // namespace hubmap
