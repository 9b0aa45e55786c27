#include "viewer/coverage_runner.hpp"

#include <malloc.h>

#include <chrono>
#include <utility>

#include "core/error.hpp"

namespace hubmap::viewer {

CoverageRunner::CoverageRunner(const Dataset& data, std::function<void()> onOutcome)
    : data_(data), onOutcome_(std::move(onOutcome)), worker_([this] { run(); }) {}

CoverageRunner::~CoverageRunner() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        pending_.reset();
        if (progress_) progress_->cancel();
    }
    wake_.notify_all();
    worker_.join();
}

std::uint64_t CoverageRunner::request(const CoverageOptions& options, bool overlay) {
    std::uint64_t id;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        id = ++nextId_;
        pending_ = std::make_pair(options, overlay);
        pendingId_ = id;
        if (progress_) progress_->cancel();
    }
    wake_.notify_all();
    return id;
}

std::optional<CoverageOutcome> CoverageRunner::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<CoverageOutcome> out;
    out.swap(finished_);
    return out;
}

CoverageStatus CoverageRunner::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    CoverageStatus s;
    s.busy = running_ || pending_.has_value();
    s.request = running_ ? runningId_ : pendingId_;
    if (running_ && progress_) {
        TaskProgress::Snapshot now = progress_->snapshot();
        s.step = std::move(now.step);
        s.fraction = now.fraction;
    }
    return s;
}

void CoverageRunner::waitIdle() {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return !running_ && !pending_; });
}

bool CoverageRunner::waitIdleFor(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return idle_.wait_for(lock, timeout, [this] { return !running_ && !pending_; });
}

void CoverageRunner::run() {
    // The worker's own GEOS context and projection for the overlay meshes.
    GeosContext ctx;
    MapProjection projection;
    for (;;) {
        std::pair<CoverageOptions, bool> job;
        std::shared_ptr<TaskProgress> progress;
        std::uint64_t id;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || pending_.has_value(); });
            if (stop_) return;
            job = std::move(*pending_);
            pending_.reset();
            id = runningId_ = pendingId_;
            running_ = true;
            progress = progress_ = std::make_shared<TaskProgress>();
        }
        CoverageOutcome outcome;
        outcome.request = id;
        bool cancelled = false;
        try {
            using Clock = std::chrono::steady_clock;
            if (job.second) {
                // The figures first: the map recolours without waiting for the geometry.
                CoverageOptions quick = job.first;
                quick.keepGeometry = false;
                const auto t0 = Clock::now();
                CoverageOutcome figures;
                figures.request = id;
                figures.complete = false;
                figures.result = std::make_shared<CoverageResult>(computeCoverage(data_, quick, *progress, cache_));
                figures.queryMs = figures.figuresMs =
                    std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
                outcome.figuresMs = figures.figuresMs;
                bool published = false;
                {
                    std::lock_guard<std::mutex> lock(mutex_);
                    if (!pending_) {
                        finished_ = std::move(figures);
                        published = true;
                    }
                }
                if (published && onOutcome_) onOutcome_();
            }
            const auto t0 = Clock::now();
            auto result = std::make_shared<CoverageResult>(computeCoverage(data_, job.first, *progress, cache_));
            const auto t1 = Clock::now();
            outcome.queryMs = std::chrono::duration<double, std::milli>(t1 - t0).count();
            if (job.second) {
                progress->step("building the map overlay");
                outcome.overlay =
                    std::make_shared<QueryOverlay>(buildQueryOverlay(*result, data_, ctx, projection, *progress));
                outcome.overlayMs = std::chrono::duration<double, std::milli>(Clock::now() - t1).count();
            }
            outcome.result = std::move(result);
        } catch (const Cancelled&) {
            cancelled = true;
        } catch (const UsageError& e) {
            outcome.error = e.what();
            outcome.usageError = true;
        } catch (const std::exception& e) {
            outcome.error = e.what();
        }
        bool published = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            running_ = false;
            progress_.reset();
            // A newer request supersedes this outcome, even if it finished.
            if (!cancelled && !pending_) {
                finished_ = std::move(outcome);
                published = true;
            }
            if (!pending_) idle_.notify_all();
        }
        if (published && onOutcome_) onOutcome_();
        // The query's scratch (its workers' disks, overlays, indexes) is free now: give it
        // back rather than keep it resident until the next one — after the outcome is out,
        // as walking the heap takes a while.
        malloc_trim(0);
        // Idle: project the shapes the query measured, so that a radius change (the slider)
        // finds them ready; a new request stops this. An error here is the next query's to
        // report, where it has a message to show.
        try {
            cache_.projectShapes(data_, [this] {
                std::lock_guard<std::mutex> lock(mutex_);
                return stop_ || pending_.has_value();
            });
        } catch (const std::exception&) {
        }
    }
}

}  // namespace hubmap::viewer
