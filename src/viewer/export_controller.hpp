#pragma once
// The viewer's export of the current query without a window: the Query panel's path
// and overwrite fields, and a GeoPackage export (the same library call as
// `hubmap export`) on a background thread that can be cancelled.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "analysis/coverage.hpp"
#include "core/model.hpp"
#include "report/export.hpp"
#include "viewer/background_task.hpp"

namespace hubmap::viewer {

class ExportController {
public:
    /// `data` must outlive the controller.
    explicit ExportController(const Dataset& data) : data_(data) {}

    /// The target file, edited in place by the panel's text field.
    char* pathBuffer() { return path_; }
    static constexpr std::size_t kPathBufferSize = 512;
    bool& overwrite() { return overwrite_; }

    /// Checks the target and starts writing `result` (kept alive while writing). A target
    /// that cannot be used only sets a failed message. Does nothing while an export runs
    /// or without a result.
    void start(std::shared_ptr<const CoverageResult> result);
    /// An export is being written.
    bool running() const { return task_.running(); }
    /// Asks the running export to stop; it leaves nothing behind.
    void cancel() { task_.cancel(); }
    /// Takes a finished export's outcome into message(); call once a frame.
    void poll();
    /// Blocks until the running export ends, then takes its outcome (tests, scripted runs).
    void wait();

    /// What the last export did: progress, a summary, or why it failed.
    const std::string& message() const { return message_; }
    bool failed() const { return failed_; }

private:
    void finish(const std::function<ExportReport()>& take);

    const Dataset& data_;
    char path_[kPathBufferSize] = "hubmap-coverage.gpkg";
    bool overwrite_ = false;
    std::string message_;
    bool failed_ = false;
    BackgroundTask<ExportReport> task_;  // last: joined before the rest goes
};

}  // namespace hubmap::viewer
