#pragma once
// A plan: hubs the planner places, moves and deletes over a coverage query, with the query's
// figures kept up to date incrementally (the viewer's Plan tab; the CLI could drive it too).
//
// The equivalence. The figures after any sequence of add/move/remove are exactly (to the last
// bit) those computeCoverage gives on the same dataset with the planned hubs appended to
// Dataset::hubs in the order of hubs(), each a point hub (precision "exact", no code, no date)
// of its kind, the query's kinds widened by the planned kinds: planned hubs always count, with
// the radius the query gives their kind (CoverageOptions::radiusFor; none: presence only). A
// planned kind that existing hubs have must be among the query's kinds (when it names any).
//
// Why it is fast. A hub at p with radius r changes only the rows (designated municipalities or
// parts) whose measured shape, settlements or population points come within r of p, and the
// presence of the row holding p. An update re-measures those rows (both the old and the new
// position for a move) with the same steps as computeCoverage (same candidate hubs in the same
// order, same area method), then rolls every row up again in row order — a sum over ~1,000
// rows, so the totals match a full run to the last bit too.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "core/model.hpp"
#include "core/progress.hpp"

namespace hubmap {

/// The kind a planned hub gets unless the planner picks another.
inline constexpr const char* kPlannedKind = "planned";

/// One hub of a plan.
struct PlannedHub {
    int id = 0;  ///< stable across moves and other removals
    double lon = 0, lat = 0;
    std::string kind = kPlannedKind;
};

/// A row's figures without the plan (for "before → after").
struct PlanRowBefore {
    int hubs = 0;
    std::optional<double> coveredKm2;
    std::optional<long long> settlementsCovered, populationCovered;
};

/// What the last add/move/remove cost.
struct PlanUpdate {
    int rowsMeasured = 0;  ///< rows re-measured (catchment area, settlements, people)
    double seconds = 0;
};

class PlanCoverage {
public:
    /// Runs the query (computeCoverage without geometry) as the plan's starting point. `data`
    /// must outlive the plan. Throws as computeCoverage does; Cancelled through `progress`.
    PlanCoverage(const Dataset& data, const CoverageOptions& options, Progress& progress);
    ~PlanCoverage();
    PlanCoverage(const PlanCoverage&) = delete;
    PlanCoverage& operator=(const PlanCoverage&) = delete;

    /// Places a hub; returns its id. Throws UsageError for coordinates out of range, or a kind
    /// existing hubs have that the query's kinds leave out.
    int add(double lon, double lat, const std::string& kind = kPlannedKind);
    /// Moves hub `id`. Throws UsageError for an unknown id or coordinates out of range.
    void move(int id, double lon, double lat);
    /// Deletes hub `id`. Throws UsageError for an unknown id.
    void remove(int id);
    /// Deletes every planned hub.
    void clear();

    /// The planned hubs, in the order they were placed.
    const std::vector<PlannedHub>& hubs() const;
    /// The planned hub `id`, or null.
    const PlannedHub* find(int id) const;
    /// The query with the plan: municipality rows, prefecture and nation totals. Planned hubs
    /// are numbered after Dataset::hubs in hubIndices (data.hubs.size() + position in hubs()).
    const CoverageResult& result() const;
    /// The query's totals without the plan (for "before → after").
    const CoverageTotals& nationBefore() const;
    const std::vector<PrefectureCoverage>& prefecturesBefore() const;
    /// Parallel to result().municipalities.
    const std::vector<PlanRowBefore>& rowsBefore() const;
    /// The query's options, normalised.
    const CoverageOptions& options() const;
    /// The cost of the last change.
    const PlanUpdate& lastUpdate() const;

    /// The plan as hubs to store (storeHubsAsImport): ids "<source>-1"…, kind, point,
    /// precision "exact", the municipality each lies in.
    std::vector<Hub> asHubs(const std::string& sourceName) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace hubmap
