#pragma once
// Running one job on several threads: worker 0 on the calling thread, the first
// exception carried back to the caller once every thread has stopped.

#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace hubmap {

/// Threads to use: `requested` (0 = every core), at most `items`, at least 1.
int workerCount(int requested, std::size_t items);

/// Hands out item indices 0..size-1 to workers, one at a time, in order.
class WorkQueue {
public:
    explicit WorkQueue(std::size_t size) : size_(size) {}
    /// Next item index; false when none are left or the job was stopped.
    bool next(std::size_t& item) {
        if (stopped_.load(std::memory_order_relaxed)) return false;
        item = next_.fetch_add(1, std::memory_order_relaxed);
        if (item >= size_) return false;
        return true;
    }
    /// Items handed out so far (for progress).
    std::size_t started() const {
        const std::size_t n = next_.load(std::memory_order_relaxed);
        return n < size_ ? n : size_;
    }
    std::size_t size() const { return size_; }
    /// Makes next() return false in every worker.
    void stop() { stopped_ = true; }

private:
    std::size_t size_;
    std::atomic<std::size_t> next_{0};
    std::atomic<bool> stopped_{false};
};

/// Runs work(worker) for worker = 0..workers-1, worker 0 on the calling thread, and
/// waits for all. When a worker throws, queue.stop() is called so the others finish
/// their current item and return; the first exception is then rethrown here.
template <class Work>
void runWorkers(int workers, WorkQueue& queue, Work&& work) {
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto guarded = [&](int worker) {
        try {
            work(worker);
        } catch (...) {
            std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure) failure = std::current_exception();
            queue.stop();
        }
    };
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(workers > 1 ? workers - 1 : 0));
    for (int w = 1; w < workers; ++w) threads.emplace_back(guarded, w);
    guarded(0);
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace hubmap
