#include "viewer/export_controller.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace hubmap::viewer {

void ExportController::start(std::shared_ptr<const CoverageResult> result) {
    if (!result || running()) return;
    poll();  // a finished export's thread, not yet taken
    ExportOptions eo;
    eo.outPath = path_;
    eo.format = "GPKG";
    eo.overwrite = overwrite_;
    eo.requestedBy = "hubmap-viewer";
    try {
        checkExportTarget(eo);
    } catch (const std::exception& e) {
        message_ = e.what();
        failed_ = true;
        return;
    }
    message_ = fmt::format("Writing {} …", eo.outPath);
    failed_ = false;
    const Dataset* data = &data_;
    task_.start([data, result = std::move(result), eo](TaskProgress& progress) {
        return exportCoverage(*data, *result, eo, progress);
    });
}

void ExportController::poll() {
    if (task_.finished()) finish([this] { return *task_.take(); });
}

void ExportController::wait() {
    if (task_.active()) finish([this] { return task_.wait(); });
}

void ExportController::finish(const std::function<ExportReport()>& take) {
    try {
        const ExportReport report = take();
        std::string layers;
        for (const auto& [name, count] : report.layers) {
            layers += fmt::format("{}{} ({})", layers.empty() ? "" : ", ", name, count);
        }
        message_ = fmt::format("Wrote {} in {:.1f} s: {}", report.outPath, report.seconds, layers);
        failed_ = false;
    } catch (const Cancelled&) {
        message_ = "Export cancelled; nothing was written.";
        failed_ = true;
    } catch (const std::exception& e) {
        message_ = fmt::format("Export failed: {}", e.what());
        failed_ = true;
    }
}

}  // namespace hubmap::viewer
