#pragma once
// The viewer's coverage query without a window: the Query panel's form, the background
// runner it feeds (the newest request wins; figures arrive before geometry), and the
// current result with what the panels derive from it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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

/// The catchments the map draws: a radius (0: none) and the hub kinds (per HubPoints::kinds).
struct CatchmentsShown {
    double radiusKm = 0;
    std::vector<bool> kinds;
    bool operator==(const CatchmentsShown& o) const { return radiusKm == o.radiusKm && kinds == o.kinds; }
    bool operator!=(const CatchmentsShown& o) const { return !(*this == o); }
};

class QueryController {
public:
    using Clock = std::chrono::steady_clock;

    /// How long new catchments wait for their query's figures before they are drawn anyway
    /// while the form keeps changing (a slider being dragged, whose queries are each cancelled
    /// by the next): they follow it at this pace.
    static constexpr std::chrono::milliseconds kCatchmentsWait{200};
    /// How long they wait for the figures of a query that nothing cancels (the first query,
    /// placing 100,000 hubs, takes seconds).
    static constexpr std::chrono::milliseconds kCatchmentsLongestWait{1000};

    /// Above this many hubs a query builds no uncovered-area geometry (catchments are drawn by
    /// the GPU from the hubs at any count).
    static constexpr std::size_t kMaxHubsForGeometry = 5000;

    /// `data` and `hubs` must outlive the controller. Every hub kind starts selected.
    /// `onOutcome`: see CoverageRunner.
    QueryController(const Dataset& data, const HubPoints& hubs, std::function<void()> onOutcome = {});

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
    /// waitIdle for at most `timeout`; true when idle.
    bool waitIdleFor(std::chrono::milliseconds timeout) { return runner_.waitIdleFor(timeout); }
    CoverageStatus status() const { return runner_.status(); }

    /// The catchments to draw in the frame being built, called once per frame after poll().
    /// Drawing them (a distance field of every disk: some 200 ms of both cores at 100,000
    /// hubs) and the query share the cores, so the form's new catchments wait until the frame
    /// after the one that shows their query's figures (or its error; at once when no query
    /// was sent), or until kCatchmentsWait (the form changed again meanwhile) or
    /// kCatchmentsLongestWait passed.
    const CatchmentsShown& catchments(Clock::time_point now = Clock::now());
    /// True while the form's catchments wait to be drawn: the window should keep drawing frames.
    bool catchmentsWaiting() const { return wanted() != shown_; }

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
    CatchmentsShown wanted() const;

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
    std::uint64_t requested_ = 0;  // the runner's id of the newest request sent
    std::uint64_t taken_ = 0;      // the request of the newest outcome poll() took
    bool figuresShown_ = true;     // a frame (its catchments() call) has shown taken_'s outcome
    CatchmentsShown shown_;
    std::optional<Clock::time_point> waitingSince_;  // when the form's catchments began to wait
    int requestsWhileWaiting_ = 0;                   // requests sent since
    CoverageRunner runner_;                          // last: its worker stops before the rest goes
};

}  // namespace hubmap::viewer
