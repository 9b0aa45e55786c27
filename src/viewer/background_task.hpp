#pragma once
// One job on its own thread, for the viewer's UI thread: start it, show its progress,
// cancel it, and take its result (or its exception) once, without blocking the frame.
// The level loader, the export button and the startup data load use it; the coverage
// query, where the newest request wins, has its own runner (coverage_runner.hpp).

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "core/progress.hpp"

namespace hubmap::viewer {

/// Progress that remembers the step and fraction a job reported last, for the UI thread
/// to show; Progress::cancel() asks the job to stop.
class TaskProgress : public Progress {
public:
    struct Snapshot {
        std::string step;
        double fraction = 0;
    };
    void step(const std::string& name) override;
    void fraction(double done) override;
    Snapshot snapshot() const;

private:
    mutable std::mutex mutex_;
    Snapshot now_;
};

/// Runs `T job(TaskProgress&)` on a thread of its own. The UI thread polls finished()
/// each frame and take()s the result once; a job that threw hands its exception to
/// take() instead. One job at a time; the next may start once the last was taken.
/// The destructor cancels a running job (through its progress) and joins the thread.
template <class T>
class BackgroundTask {
public:
    BackgroundTask() = default;
    ~BackgroundTask() {
        cancel();
        if (thread_.joinable()) thread_.join();
    }
    BackgroundTask(const BackgroundTask&) = delete;
    BackgroundTask& operator=(const BackgroundTask&) = delete;

    /// Starts `job(progress)` on a new thread. Throws std::logic_error while an earlier
    /// job runs or its result has not been taken.
    template <class Job>
    void start(Job job) {
        if (active()) throw std::logic_error("BackgroundTask::start: the previous job was not taken");
        // A fresh progress per job: a cancelled one stays cancelled.
        progress_ = std::make_shared<TaskProgress>();
        result_.reset();
        error_ = nullptr;
        done_.store(false, std::memory_order_relaxed);
        thread_ = std::thread([this, job = std::move(job), progress = progress_]() mutable {
            try {
                result_.emplace(job(*progress));
            } catch (...) {
                error_ = std::current_exception();
            }
            done_.store(true, std::memory_order_release);
        });
    }

    /// A job was started and its result not taken yet (it may have finished).
    bool active() const { return thread_.joinable(); }
    /// The job has returned or thrown; take() will not block.
    bool finished() const { return active() && done_.load(std::memory_order_acquire); }
    /// Started and still working.
    bool running() const { return active() && !done_.load(std::memory_order_acquire); }

    /// Asks the running job to stop (Progress::checkCancelled throws Cancelled in it).
    void cancel() {
        if (progress_) progress_->cancel();
    }
    /// The step and fraction the job reported last.
    TaskProgress::Snapshot progress() const { return progress_ ? progress_->snapshot() : TaskProgress::Snapshot{}; }

    /// The finished job's result, once: nullopt while the job runs or when nothing is
    /// waiting. Rethrows the job's exception (once) instead of a result.
    std::optional<T> take() {
        if (!finished()) return std::nullopt;
        return collect();
    }

    /// Blocks until the job ends, then take()s. Throws std::logic_error when no job is active.
    T wait() {
        if (!active()) throw std::logic_error("BackgroundTask::wait: no job");
        return *collect();
    }

private:
    std::optional<T> collect() {
        thread_.join();  // also makes the job's writes visible here
        if (error_) {
            std::exception_ptr e = std::exchange(error_, nullptr);
            std::rethrow_exception(e);
        }
        std::optional<T> out;
        out.swap(result_);
        return out;
    }

    std::shared_ptr<TaskProgress> progress_;
    std::optional<T> result_;   // written by the job before done_
    std::exception_ptr error_;  // likewise
    std::atomic<bool> done_{false};
    std::thread thread_;  // last: started once everything it touches exists
};

}  // namespace hubmap::viewer
