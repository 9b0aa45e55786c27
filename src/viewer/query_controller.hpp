#pragma once
// The viewer's coverage query without a window: the Query panel's form, the background
// runner it feeds (the newest request wins; figures arrive before geometry), and the
// current result with what the panels derive from it.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "core/model.hpp"
#include "viewer/coverage_runner.hpp"
#include "viewer/map_geometry.hpp"
#include "viewer/prefecture_table.hpp"

namespace hubmap::viewer {

/// The Query panel's widgets, turned into CoverageOptions.
struct QueryForm {
    std::vector<bool> kinds;               ///< per HubPoints::kinds
    std::vector<std::string> prefectures;  ///< names or codes as CoverageOptions takes them; empty = all
    bool full = true, partial = true, deemed = true;
    bool partialWhole = false;  ///< 一部過疎 measured whole (--partial whole) instead of on the designated part
    bool useRadius = false;
    float radiusKm = 10.f;
    bool useDate = false;
    char openedBefore[16] = "2024-01";
};

class QueryController {
public:
    /// Above this many hubs a query builds no uncovered-area geometry (catchments are drawn by
    /// the GPU from the hubs at any count).
    static constexpr std::size_t kMaxHubsForGeometry = 5000;

    /// `data` and `hubs` must outlive the controller. Every hub kind starts selected.
    QueryController(const Dataset& data, const HubPoints& hubs);

    /// The form the panel edits; request() sends it.
    QueryForm& form() { return form_; }
    const QueryForm& form() const { return form_; }
    /// Ticks only these hub kinds (--kinds). Throws UsageError naming an unknown kind and
    /// the kinds there are.
    void selectKinds(const std::vector<std::string>& kinds);

    /// The form as options for computeCoverage.
    CoverageOptions options() const;
    /// Located hubs of the kinds the form selects.
    std::size_t queriedHubCount() const;
    /// Whether the query also builds the uncovered-area geometry for the map.
    bool drawsGeometry() const;

    /// Sends the form to the runner, cancelling the query running. With no hub kind
    /// selected nothing is sent and error() says so.
    void request();
    /// Takes the runner's newest outcome. True when the result (and overlay) changed:
    /// the map recolours. A failed query only sets error().
    bool poll();
    /// Blocks until the runner is idle (scripted runs, tests); poll() then takes the outcome.
    void waitIdle() { runner_.waitIdle(); }
    CoverageStatus status() const { return runner_.status(); }

    /// The current result (null before the first), shared so an export can keep it.
    const std::shared_ptr<const CoverageResult>& result() const { return result_; }
    /// Its catchment and uncovered-area meshes; null until they arrive, or not drawn.
    const QueryOverlay* overlay() const { return overlay_.get(); }
    /// The last complete outcome (its timings).
    const CoverageOutcome& lastOutcome() const { return lastOutcome_; }
    /// The figures-only phase of the last outcome with a radius, ms.
    double figuresMs() const { return figuresMs_; }
    const std::string& error() const { return error_; }
    /// Per municipality index: its row in the current result, or -1.
    const std::vector<int>& coverageRows() const { return coverageRows_; }
    /// The prefecture table of the current result; `rebuilt` tells the table to sort it
    /// again. Empty before the first result.
    std::vector<PrefectureRow>& prefectureRows(bool& rebuilt);

private:
    const Dataset& data_;
    const HubPoints& hubs_;
    QueryForm form_;
    std::shared_ptr<const CoverageResult> result_;
    std::shared_ptr<const QueryOverlay> overlay_;
    CoverageOutcome lastOutcome_;
    double figuresMs_ = 0;
    std::string error_;
    std::vector<int> coverageRows_;
    std::vector<PrefectureRow> prefectureRows_;
    bool prefectureRowsDirty_ = true;
    CoverageRunner runner_;  // last: its worker stops before the rest goes
};

}  // namespace hubmap::viewer
