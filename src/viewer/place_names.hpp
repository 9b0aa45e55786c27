#pragma once
// The gazetteer's 大字・町丁目 names as map labels, and the population points (census small
// areas) under the cursor, with no GL: every point projected once and bucketed in a grid, so
// a frame finds those on screen without looking at the other 270,000.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "viewer/map_projection.hpp"

namespace hubmap::viewer {

/// The zoom level (web-map, screen pixels) from which 大字 names are drawn.
inline constexpr double kPlaceNameMinZoom = 11.5;

/// Projected points bucketed in a grid of 4 km cells.
class PointGrid {
public:
    PointGrid() = default;
    /// `lonLat` interleaved (lon, lat, lon, lat, ...), projected here with `projection`.
    PointGrid(std::vector<double> lonLat, const MapProjection& projection);

    std::size_t size() const { return points_.size(); }
    WorldPoint point(std::size_t i) const { return points_[i]; }

    /// The points in `bounds`, at most `max` of them: when more lie there, an even spread of
    /// them (every n-th, in grid order), so a cap thins them across the view.
    std::vector<std::size_t> within(const WorldBounds& bounds, std::size_t max) const;
    /// The point nearest `p` within `radius` metres (map units), if any; ties: the lowest index.
    std::optional<std::size_t> nearest(WorldPoint p, double radius) const;

private:
    static constexpr double kCellMetres = 4000;
    std::int64_t cellKey(double x, double y) const;

    std::vector<WorldPoint> points_;
    /// Point indices sorted by cell (row-major: y, then x), and the cell key of each.
    std::vector<std::uint32_t> order_;
    std::vector<std::int64_t> keys_;
};

class PlaceNameIndex {
public:
    /// Projects every settlement and population point of `data` with `projection` (used on the
    /// calling thread only).
    PlaceNameIndex(const Dataset& data, const MapProjection& projection);

    std::size_t size() const { return settlements_.size(); }
    WorldPoint point(std::size_t i) const { return settlements_.point(i); }
    /// The name shown: the settlement's town (大字 or 町丁目).
    const std::string& name(std::size_t i) const { return data_->settlements[i].town; }

    /// The settlements whose points lie in `bounds`, at most `max` of them (PointGrid::within).
    std::vector<std::size_t> within(const WorldBounds& bounds, std::size_t max) const {
        return settlements_.within(bounds, max);
    }

    /// The population point (Dataset::population) nearest `p` within `radius` map metres.
    const PopulationPoint* populationNear(WorldPoint p, double radius) const;

private:
    const Dataset* data_;
    PointGrid settlements_;  // by settlement index
    PointGrid population_;   // by population point index
};

/// A population point as the hover tooltip shows it: its name and municipality, then its
/// residents and where the figure comes from, e.g. "枝川 (高知県いの町)\n2,345 residents (2015 census)".
std::string populationPointLabel(const PopulationPoint& p, const Dataset& data);

}  // namespace hubmap::viewer
