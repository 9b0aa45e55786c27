#pragma once
// The gazetteer's 大字・町丁目 names as map labels, with no GL: every settlement point
// projected once and bucketed in a grid, so a frame finds the names on screen without
// looking at the other 270,000.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "viewer/map_projection.hpp"

namespace hubmap::viewer {

/// The zoom level (web-map, screen pixels) from which 大字 names are drawn.
inline constexpr double kPlaceNameMinZoom = 11.5;

class PlaceNameIndex {
public:
    /// Projects every settlement of `data` with `projection` (used on the calling thread only).
    PlaceNameIndex(const Dataset& data, const MapProjection& projection);

    std::size_t size() const { return points_.size(); }
    WorldPoint point(std::size_t i) const { return points_[i]; }
    /// The name shown: the settlement's town (大字 or 町丁目).
    const std::string& name(std::size_t i) const { return data_->settlements[i].town; }

    /// The settlements whose points lie in `bounds`, at most `max` of them: when more lie
    /// there, an even spread of them (every n-th, in grid order), so a cap thins the names
    /// across the view instead of filling one corner.
    std::vector<std::size_t> within(const WorldBounds& bounds, std::size_t max) const;

private:
    static constexpr double kCellMetres = 4000;
    std::int64_t cellKey(double x, double y) const;

    const Dataset* data_;
    std::vector<WorldPoint> points_;  // by settlement index
    /// Settlement indices sorted by cell (row-major: y, then x), and the cell key of each.
    std::vector<std::uint32_t> order_;
    std::vector<std::int64_t> keys_;
};

}  // namespace hubmap::viewer
