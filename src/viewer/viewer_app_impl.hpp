#pragma once
// Internals of hubmap-viewer's application, shared by viewer_app.cpp (window, loop,
// input, scripted runs) and viewer_panels.cpp (ImGui panels and map labels).

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "analysis/coverage.hpp"
#include "core/model.hpp"
#include "report/export.hpp"
#include "viewer/colour_scheme.hpp"
#include "viewer/coverage_runner.hpp"
#include "viewer/fonts.hpp"
#include "viewer/gl_resources.hpp"
#include "viewer/hit_test.hpp"
#include "viewer/map_geometry.hpp"
#include "viewer/map_renderer.hpp"
#include "viewer/png_image.hpp"
#include "viewer/prefecture_table.hpp"
#include "viewer/search.hpp"
#include "viewer/view_transform.hpp"
#include "viewer/viewer_options.hpp"

namespace hubmap::viewer::detail {

using Clock = std::chrono::steady_clock;

/// The Query panel's widgets, turned into CoverageOptions.
struct QueryForm {
    std::vector<bool> kinds;  ///< per HubPoints::kinds
    bool full = true, partial = true, deemed = true;
    bool useRadius = false;
    float radiusKm = 10.f;
    bool useDate = false;
    char openedBefore[16] = "2024-01";
};

/// An export of the current query running on its own thread.
struct ExportTask {
    std::thread thread;
    std::atomic<bool> done{false};
    Progress progress;
    std::string message;  ///< success summary or error, set before done
    bool failed = false;
};

class ViewerApp {
public:
    ViewerApp(const ViewerOptions& options, Clock::time_point processStart);
    ~ViewerApp();
    /// Loads the data, opens the window, uploads the map, applies the start options.
    void start();
    int run();

private:
    // viewer_app.cpp
    void openWindow();
    /// Loads the data (then fulfils `dataLoaded`, or fails it) and builds the geometry.
    void loadData(std::promise<void>& dataLoaded);
    void startImGui();
    void applyStartOptions();
    void frame(bool interactive);
    void renderTo(int framebufferWidth, int framebufferHeight);
    void clearPanels(int framebufferWidth, int framebufferHeight);
    void pollQuery();
    void pollLevels();
    void startLevelBuilder();
    void waitForAllLevels();
    void handleMapInput();
    void handleKeys();
    void requestQuery();
    CoverageOptions queryOptions() const;
    /// Located hubs of the kinds the query uses.
    std::size_t queriedHubCount() const;
    /// Whether the query also builds catchment and uncovered-area geometry for the map.
    bool drawsQueryGeometry() const;
    static constexpr std::size_t kMaxHubsForGeometry = 5000;
    void recolourAll();
    void setHovered(int index);
    void select(int index, bool fit);
    void fitJapan();
    void fitSelection();
    void centreOn(WorldPoint p, std::optional<double> zoom = std::nullopt);
    void updateLayout();
    int runInteractive();
    int runScreenshot();
    int runBenchmark();
    Image capture(int width, int height);
    void startExport();

    // viewer_panels.cpp
    void drawPanels();
    void drawSidebar();
    void drawSearch();
    void drawLayersTab();
    void drawQueryTab();
    void drawPrefectureTab();
    void drawDetails();
    void drawToolbar();
    void drawLegend();
    void drawStatusBar();
    void drawTooltip();
    void drawLabels();

    ViewerOptions options_;
    Clock::time_point processStart_;
    GLFWwindow* window_ = nullptr;
    bool offscreen_ = false;  // screenshot: render into a RenderTarget of the requested size
    int width_ = 0, height_ = 0;

    std::string dbPath_;
    std::unique_ptr<Dataset> data_;
    std::unique_ptr<MapProjection> projection_;
    std::unique_ptr<MapIndex> index_;
    // Finer levels of detail are built on a background thread after the first frame.
    std::thread levelBuilder_;
    std::mutex levelsMutex_;
    std::vector<std::unique_ptr<MapLevel>> readyLevels_;  // built, not uploaded yet
    std::atomic<bool> stopLevels_{false};
    std::size_t levelsUploaded_ = 0;
    std::unique_ptr<HubPoints> hubs_;
    std::vector<HubLevel> hubLevels_;  // built with the data, until the renderer uploads them
    std::unique_ptr<MunicipalityLocator> locator_;
    std::unique_ptr<MunicipalitySearch> search_;
    std::unique_ptr<MapRenderer> renderer_;
    std::unique_ptr<CoverageRunner> runner_;
    std::unique_ptr<gl::RenderTarget> target_;
    UiFonts fonts_;
    bool imguiStarted_ = false;
    bool backendsStarted_ = false;

    ViewTransform view_;
    LayerVisibility layers_;
    bool showLabels_ = true;
    ColourInputs colours_;
    std::vector<int> coverageRows_;  // per municipality: row in the current result or -1
    QueryForm form_;
    std::shared_ptr<const CoverageResult> result_;
    std::shared_ptr<const QueryOverlay> overlay_;
    CoverageOutcome lastOutcome_;  // the last complete one
    double figuresMs_ = 0;         // the figures-only phase of the last query with a radius
    std::string queryError_;
    std::vector<PrefectureRow> prefectureRows_;
    bool prefectureRowsDirty_ = true;

    int selected_ = -1;
    int hovered_ = -1;
    int hoveredHub_ = -1;  // index into HubPoints
    bool dragging_ = false;
    ImVec2 pressPos_;
    bool mapHovered_ = false;
    std::optional<WorldPoint> cursorLonLat_;

    char searchText_[128] = "";
    std::vector<int> searchResults_;
    bool focusSearch_ = false;
    bool panelApplied_ = false;

    char exportPath_[512] = "hubmap-coverage.gpkg";
    bool exportOverwrite_ = false;
    std::unique_ptr<ExportTask> export_;
    std::string exportMessage_;
    bool exportFailed_ = false;

    /// Startup phases in ms (printed by --bench-frames): data, geometry, window, fonts, GPU upload.
    struct StartupTimes {
        double load = 0, geometry = 0, window = 0, fonts = 0, upload = 0;
    } startup_;
    double firstFrameMs_ = -1;
    bool firstFrameDone_ = false;
};

}  // namespace hubmap::viewer::detail
