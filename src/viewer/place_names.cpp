#include "viewer/place_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "report/text_table.hpp"

namespace hubmap::viewer {

namespace {
// Cells per row in the key: Japan spans some 3,000 km, well under 2^20 cells of 4 km.
constexpr std::int64_t kRowStride = std::int64_t{1} << 20;
constexpr std::int64_t kOffset = std::int64_t{1} << 19;  // keeps cell columns and rows positive
}  // namespace

std::int64_t PointGrid::cellKey(double x, double y) const {
    const auto cx = static_cast<std::int64_t>(std::floor(x / kCellMetres)) + kOffset;
    const auto cy = static_cast<std::int64_t>(std::floor(y / kCellMetres)) + kOffset;
    return cy * kRowStride + cx;
}

PointGrid::PointGrid(std::vector<double> xy, const MapProjection& projection) {
    const std::size_t n = xy.size() / 2;
    projection.forwardInterleaved(xy.data(), n);
    points_.resize(n);
    std::vector<std::int64_t> keyOf(n);
    for (std::size_t i = 0; i < n; ++i) {
        points_[i] = {xy[2 * i], xy[2 * i + 1]};
        keyOf[i] = cellKey(points_[i].x, points_[i].y);
    }
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0u);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return keyOf[a] < keyOf[b]; });
    keys_.resize(n);
    for (std::size_t k = 0; k < n; ++k) keys_[k] = keyOf[order_[k]];
}

std::optional<std::size_t> PointGrid::nearest(WorldPoint p, double radius) const {
    WorldBounds box;
    box.expand(p.x - radius, p.y - radius);
    box.expand(p.x + radius, p.y + radius);
    std::optional<std::size_t> best;
    double bestD2 = radius * radius;
    for (std::size_t i : within(box, points_.size())) {
        const double dx = points_[i].x - p.x, dy = points_[i].y - p.y, d2 = dx * dx + dy * dy;
        if (d2 < bestD2 || (d2 == bestD2 && best && i < *best)) {
            bestD2 = d2;
            best = i;
        }
    }
    return best;
}

PlaceNameIndex::PlaceNameIndex(const Dataset& data, const MapProjection& projection) : data_(&data) {
    std::vector<double> xy;
    xy.reserve(2 * data.settlements.size());
    for (const Settlement& s : data.settlements) xy.insert(xy.end(), {s.lon, s.lat});
    settlements_ = PointGrid(std::move(xy), projection);
    xy.clear();
    xy.reserve(2 * data.population.size());
    for (const PopulationPoint& p : data.population) xy.insert(xy.end(), {p.lon, p.lat});
    population_ = PointGrid(std::move(xy), projection);
}

const PopulationPoint* PlaceNameIndex::populationNear(WorldPoint p, double radius) const {
    const std::optional<std::size_t> i = population_.nearest(p, radius);
    return i ? &data_->population[*i] : nullptr;
}

std::vector<std::size_t> PointGrid::within(const WorldBounds& bounds, std::size_t max) const {
    std::vector<std::size_t> found;
    if (bounds.empty || points_.empty() || max == 0) return found;
    const std::int64_t first = cellKey(bounds.minx, bounds.miny), last = cellKey(bounds.maxx, bounds.maxy);
    const std::int64_t x0 = first % kRowStride, x1 = last % kRowStride;
    for (std::int64_t row = first / kRowStride; row <= last / kRowStride; ++row) {
        // The row's cells from x0 to x1 are one run of keys.
        const auto lo = std::lower_bound(keys_.begin(), keys_.end(), row * kRowStride + x0);
        const auto hi = std::upper_bound(lo, keys_.end(), row * kRowStride + x1);
        for (auto it = lo; it != hi; ++it) {
            const std::uint32_t i = order_[static_cast<std::size_t>(it - keys_.begin())];
            if (bounds.contains(points_[i].x, points_[i].y)) found.push_back(i);
        }
    }
    if (found.size() > max) {
        // Every n-th, evenly over the view's cells.
        std::vector<std::size_t> spread;
        spread.reserve(max);
        for (std::size_t k = 0; k < max; ++k) spread.push_back(found[k * found.size() / max]);
        found.swap(spread);
    }
    return found;
}

std::string populationPointLabel(const PopulationPoint& p, const Dataset& data) {
    const int index = data.municipalityIndex(p.code);
    std::string where = p.code;
    if (index >= 0) {
        const Municipality& m = data.municipalities[static_cast<std::size_t>(index)];
        where = fmt::format("{}{}{}", m.prefecture, m.county, m.name);
    }
    return fmt::format("{} ({})\n{} residents ({})", p.name, where, groupedThousands(p.population),
                       p.method == PopulationMethod::CensusSmallAreas2015
                           ? "2015 census small area"
                           : "2022 resident register, spread over the municipality's settlements");
}

}  // namespace hubmap::viewer
