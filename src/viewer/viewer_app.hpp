#pragma once
// hubmap-viewer's application: the window, the ImGui panels, input, and the frame loop.
// All data work goes through the core library (loadDataset, computeCoverage, export).

#include <chrono>
#include <memory>

#include "viewer/viewer_options.hpp"

namespace hubmap::viewer {

/// Runs the viewer: interactive, or scripted (--screenshot, --bench-frames). Returns the
/// exit status; throws UsageError for bad options and Error for data or GL failures.
/// `processStart` is when main() began, for the start-to-first-frame figure.
int runViewer(const ViewerOptions& options, std::chrono::steady_clock::time_point processStart);

}  // namespace hubmap::viewer
