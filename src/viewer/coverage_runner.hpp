#pragma once
// Runs coverage queries off the UI thread. One worker thread takes the newest request;
// a new request cancels the one running (Progress::cancel) and replaces any waiting one,
// so the map never waits for a query and never shows a stale one as current. A request
// with an overlay is answered twice: first the figures alone (fast), then the figures
// with the catchment and uncovered-area geometry.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "analysis/coverage.hpp"
#include "core/model.hpp"
#include "core/progress.hpp"
#include "viewer/background_task.hpp"
#include "viewer/map_geometry.hpp"

namespace hubmap::viewer {

/// What a finished request produced.
struct CoverageOutcome {
    std::uint64_t request = 0;                     ///< the id request() returned
    std::shared_ptr<const CoverageResult> result;  ///< null on error
    std::shared_ptr<const QueryOverlay> overlay;   ///< null on error or when not asked for
    bool complete = true;                          ///< false: the figures only; the overlay follows in a later outcome
    std::string error;                             ///< message when the query failed (usage or data error)
    bool usageError = false;
    double figuresMs = 0;  ///< the figures-only query that came first (requests with an overlay)
    double queryMs = 0;    ///< computeCoverage alone
    double overlayMs = 0;  ///< building the overlay meshes
};

/// The state of the current request, for a progress indicator.
struct CoverageStatus {
    bool busy = false;
    std::uint64_t request = 0;
    std::string step;
    double fraction = 0;
};

class CoverageRunner {
public:
    /// `data` must outlive the runner and not change while it exists. `onOutcome`, when
    /// given, is called on the runner's thread each time an outcome is ready to take (the
    /// window wakes its event loop with it).
    explicit CoverageRunner(const Dataset& data, std::function<void()> onOutcome = {});
    ~CoverageRunner();
    CoverageRunner(const CoverageRunner&) = delete;
    CoverageRunner& operator=(const CoverageRunner&) = delete;

    /// Queues a query, cancelling the running one. `overlay` also builds the catchment
    /// and uncovered-area meshes (needs options.keepGeometry). Returns the request id.
    std::uint64_t request(const CoverageOptions& options, bool overlay);

    /// The newest finished outcome not taken yet (outcomes of superseded requests are dropped).
    std::optional<CoverageOutcome> take();

    CoverageStatus status() const;

    /// Blocks until no request is running or waiting (for scripted use and tests).
    void waitIdle();
    /// waitIdle for at most `timeout`; true when idle.
    bool waitIdleFor(std::chrono::milliseconds timeout);

private:
    void run();

    const Dataset& data_;
    std::function<void()> onOutcome_;
    /// What the worker's queries keep for the next (hub placements, projected shapes): a
    /// radius change places no hub and projects no shape again; computeCoverage drops them
    /// itself when data_ differs.
    CoverageCache cache_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::optional<std::pair<CoverageOptions, bool>> pending_;
    std::uint64_t nextId_ = 0;
    std::uint64_t pendingId_ = 0;
    std::uint64_t runningId_ = 0;
    bool running_ = false;
    bool stop_ = false;
    std::shared_ptr<TaskProgress> progress_;  // of the running request
    std::optional<CoverageOutcome> finished_;
    std::thread worker_;
};

}  // namespace hubmap::viewer
