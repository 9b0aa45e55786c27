#pragma once
// The viewer's Plan tab without a window: planned hubs placed, moved and deleted over the
// current query (the figures kept by the library's PlanCoverage), site suggestions
// (suggestSites) on a background thread with progress and cancel, and the plan saved into the
// database as an import source (storeHubsAsImport, as `hubmap suggest --save-as`).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "analysis/plan_coverage.hpp"
#include "analysis/suggest.hpp"
#include "core/model.hpp"
#include "viewer/background_task.hpp"

namespace hubmap::viewer {

/// A suggested site waiting for the planner: accepted ones become planned hubs.
struct PlanSuggestion {
    int rank = 0;
    double lon = 0, lat = 0;
    long long gain = 0;  ///< weight it newly covers, as suggested (before any move)
    std::string municipality, district;
};

class PlanController {
public:
    /// `data` must outlive the controller and stay unchanged meanwhile (a hub reload replaces
    /// the controller). `dbPath` is where a plan is saved.
    PlanController(const Dataset& data, std::string dbPath);

    /// Measures the plan over `query` on a background thread (figures only). The hubs placed
    /// so far are kept and placed again once it is done.
    void setQuery(const CoverageOptions& query);
    /// The figures are being (re)computed.
    bool preparing() const { return preparing_.active(); }
    /// The plan with its figures; null before the first setQuery finished or while one runs.
    const PlanCoverage* plan() const { return preparing() ? nullptr : plan_.get(); }

    /// The kind new hubs get (planned, or one of the data's kinds).
    std::string& kind() { return kind_; }
    /// Places a hub of kind(); its id, or -1 when the plan is not ready (message() says why).
    int place(double lon, double lat);
    void move(int id, double lon, double lat);
    void remove(int id);
    void clear();
    /// The hub whose marker was last placed, moved or picked, -1 for none.
    int& selected() { return selected_; }

    /// How many sites "Suggest" asks for.
    int& suggestCount() { return suggestCount_; }
    /// Runs suggestSites for the query, the planned hubs fixed, k = suggestCount(), radius
    /// the query's (one radius for every kind is needed).
    void startSuggest();
    bool suggesting() const { return suggestTask_.running(); }
    void cancelSuggest() { suggestTask_.cancel(); }
    TaskProgress::Snapshot suggestProgress() const { return suggestTask_.progress(); }
    /// The last suggestion's sites still waiting (neither accepted nor dropped).
    const std::vector<PlanSuggestion>& suggestions() const { return suggestions_; }
    /// The last suggestion's totals (demand, before, after, bound), if any.
    const std::optional<SuggestResult>& lastSuggestion() const { return lastSuggestion_; }
    void moveSuggestion(std::size_t i, double lon, double lat);
    /// Makes suggestion `i` a planned hub (kind()); its id, or -1.
    int accept(std::size_t i);
    void drop(std::size_t i);
    void acceptAll();

    /// The import source name the plan is saved as (edited by the tab's text field).
    char* sourceBuffer() { return source_; }
    static constexpr std::size_t kSourceBufferSize = 128;
    /// Stores the planned hubs as import source sourceBuffer() on a background thread.
    void startSave();
    bool saving() const { return saveTask_.running(); }
    /// True once after a save wrote the hubs: the caller reloads the hubs (which replaces
    /// this controller: the saved hubs are existing hubs now).
    bool takeSaved();

    /// Takes finished jobs; call once a frame.
    void poll();
    /// Blocks until every running job ends, then polls (tests, scripted runs).
    void wait();

    /// What the last action did, or why it failed.
    const std::string& message() const { return message_; }
    bool failed() const { return failed_; }

private:
    void setMessage(std::string text, bool failed);
    void startPreparing();

    const Dataset& data_;
    std::string dbPath_;
    std::optional<CoverageOptions> query_;
    int generation_ = 0;          // setQuery calls so far
    int preparedGeneration_ = 0;  // the one the running preparation is for
    std::unique_ptr<PlanCoverage> plan_;
    std::vector<PlannedHub> pending_;  // placed again once the figures are recomputed
    std::string kind_ = kPlannedKind;
    int selected_ = -1;
    int suggestCount_ = 5;
    std::vector<PlanSuggestion> suggestions_;
    std::optional<SuggestResult> lastSuggestion_;
    char source_[kSourceBufferSize] = "plan";
    bool saved_ = false;
    std::string message_;
    bool failed_ = false;
    // Last: joined before the rest goes.
    BackgroundTask<std::unique_ptr<PlanCoverage>> preparing_;
    BackgroundTask<SuggestResult> suggestTask_;
    BackgroundTask<std::size_t> saveTask_;
};

}  // namespace hubmap::viewer
