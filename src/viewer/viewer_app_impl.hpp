#pragma once
// Internals of hubmap-viewer's application, shared by viewer_app.cpp (window, loop,
// input), viewer_panels.cpp (ImGui panels and map labels) and scripted_run.cpp
// (--screenshot, --bench-frames). The data, the query and the export live in the
// headless core (LevelLoader, QueryController, ExportController); ViewerApp draws them.

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "viewer/colour_scheme.hpp"
#include "viewer/export_controller.hpp"
#include "viewer/fonts.hpp"
#include "viewer/gl_resources.hpp"
#include "viewer/import_controller.hpp"
#include "viewer/label_pass.hpp"
#include "viewer/level_loader.hpp"
#include "viewer/map_geometry.hpp"
#include "viewer/map_renderer.hpp"
#include "viewer/plan_controller.hpp"
#include "viewer/png_image.hpp"
#include "viewer/print_layout.hpp"
#include "viewer/query_controller.hpp"
#include "viewer/search.hpp"
#include "viewer/view_transform.hpp"
#include "viewer/viewer_options.hpp"
#include "viewer/viewer_settings.hpp"

namespace hubmap::viewer::detail {

using Clock = std::chrono::steady_clock;

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
    void startImGui();
    void applyStartOptions();
    void frame(bool interactive);
    /// Gives the renderer the catchments this frame draws (QueryController::catchments: once a frame).
    void setFrameCatchments();
    /// Draws the map into the bound framebuffer and remembers what it was drawn from.
    void drawMap(int framebufferWidth, int framebufferHeight);
    /// ImGui's draw data (the panels and labels) over the map drawn by drawMap.
    void renderTo();
    /// The docked panels' backgrounds, around the map area.
    void clearPanels(int framebufferWidth, int framebufferHeight);
    /// The ImGui font atlas's filter: nearest (its text is drawn unscaled).
    void useNearestFontAtlas();
    void pollQuery();
    /// Uploads the levels of detail built since the last frame.
    void uploadLevels(std::vector<std::unique_ptr<MapLevel>> levels);
    void handleMapInput();
    void handleKeys();
    void recolourAll();
    void setHovered(int index);
    void select(int index, bool fit);
    /// Sets the colours of municipality `index` (and of the rest of it outside a designated part).
    void recolour(int index);
    void fitJapan();
    void fitSelection();
    void centreOn(WorldPoint p, std::optional<double> zoom = std::nullopt);
    void updateLayout();
    int runInteractive();

    // scripted_run.cpp: --screenshot (with --drag), --script and --bench-frames
    /// --screenshot and/or --print: the screenshot first, then the page.
    int runScreenshot();
    /// --script: each step's picture in turn, each from the state a run of its own starts in.
    int runScript();
    /// Back to the state start() leaves (before the start options), keeping what is built
    /// from the data: the map's levels, the fonts, the window.
    void resetForStep();
    void writeScreenshot();
    int runBenchmark();
    Image capture(int width, int height);

    // print_renderer.cpp: the current map as a print page, written as a PNG.
    PageSize printPage(const std::string& path, const PrintSpec& spec);

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

    // plan_panel.cpp: the Plan tab, its markers and the mouse on them (logic: PlanController)
    void drawPlanTab();
    void drawPlanMarkers();
    /// The mouse on the map while the Plan tab is shown; true when it placed, moved, picked
    /// or deleted a planned hub or suggestion (the map then neither pans nor selects).
    bool planInput(ScreenPoint p);
    /// Once the Plan tab was opened, the plan follows the query's options.
    void syncPlanQuery();
    /// --plan / --plan-suggest in a scripted run.
    void applyPlanOptions();

    // What the loader built (after start()).
    const Dataset& data() const { return loader_->data(); }
    const MapProjection& projection() const { return loader_->projection(); }
    const MapIndex& mapIndex() const { return loader_->index(); }
    const HubPoints& hubs() const { return loader_->hubs(); }
    const MunicipalitySearch& search() const { return loader_->search(); }
    /// The current query result, or null.
    const CoverageResult* result() const { return query_->result().get(); }

    ViewerOptions options_;             // a --script's current step
    std::vector<ViewerOptions> steps_;  // --script
    Clock::time_point processStart_;
    GLFWwindow* window_ = nullptr;
    bool offscreen_ = false;  // screenshot: render into a RenderTarget of the requested size
    int width_ = 0, height_ = 0;

    // The data and map geometry; its background threads stop when it goes, after the
    // controllers that read its data.
    std::unique_ptr<LevelLoader> loader_;
    std::unique_ptr<QueryController> query_;
    std::unique_ptr<ExportController> export_;
    std::unique_ptr<MapRenderer> renderer_;
    std::unique_ptr<LabelPass> labelPass_;  // the map labels with their halos, one draw
    std::unique_ptr<gl::RenderTarget> target_;
    UiFonts fonts_;
    bool imguiStarted_ = false;
    bool backendsStarted_ = false;

    /// What the map of a frame is drawn from: a panel that changes any of it redraws the map.
    struct MapInputs {
        WorldPoint centre;
        double pixelsPerMetre = 0;
        ScreenRect mapArea;
        double windowWidth = 0, windowHeight = 0;
        LayerVisibility layers;
        int selected = -1;
        std::uint64_t content = 0;
        bool operator==(const MapInputs& o) const {
            return centre == o.centre && pixelsPerMetre == o.pixelsPerMetre && mapArea == o.mapArea &&
                   windowWidth == o.windowWidth && windowHeight == o.windowHeight && layers == o.layers &&
                   selected == o.selected && content == o.content;
        }
    };
    MapInputs mapInputs() const;
    MapInputs drawnMap_;  // this frame's map was drawn from these

    ViewTransform view_;
    LayerVisibility layers_;
    bool showLabels_ = true;
    ColourInputs colours_;

    int selected_ = -1;
    int hovered_ = -1;
    int hoveredHub_ = -1;  // index into HubPoints
    bool dragging_ = false;
    ImVec2 pressPos_;
    bool mapHovered_ = false;
    std::optional<WorldPoint> cursorLonLat_;

    // The Query panel's print: the page asked for, and what the last print did. The page is
    // rendered between frames (runInteractive), not inside ImGui's frame.
    PrintSpec printSpec_;
    char printPath_[512] = "hubmap-map.png";
    char printTitle_[256] = "";
    bool printRequested_ = false;
    std::string printMessage_;
    bool printFailed_ = false;
    void printRequested();

    // Remembered between interactive sessions (viewer_settings.hpp); no folder in scripted runs.
    std::optional<std::filesystem::path> settingsDir_;
    std::string currentPanel_ = "layers";  // the sidebar tab shown, saved on exit
    void saveSessionSettings();

    std::string copiedMessage_;  // what "copy table" put on the clipboard

    // A file dropped on the window: the import dialog (viewer_panels.cpp), and the hubs
    // reloaded between frames once it imported rows.
    std::unique_ptr<ImportController> import_;
    // The Plan tab (replaced with the hubs on a reload: it reads them).
    std::unique_ptr<PlanController> plan_;
    std::optional<CoverageOptions> planQuery_;  // the query the plan was last given
    struct PlanDrag {
        bool hub = false;  // a planned hub (id), else a suggestion (index)
        int item = -1;
    };
    std::optional<PlanDrag> planDrag_;
    std::string planNotice_;  // kept across the reload after a save
    std::string dropMessage_;
    void onDrop(int count, const char** paths);
    void drawImportDialog();
    void reloadHubsAfterImport();
    /// Builds the fonts with the glyphs of every string the data may show (the 大字 names'
    /// once placeGlyphs_).
    void buildFonts();
    /// Rebuilds the font atlas between frames (new hubs, or the 大字 names' glyphs).
    void rebuildFonts();
    bool placeGlyphs_ = false;
    bool scriptedHover_ = false;  ///< --hover: the screenshot frames read the placed mouse

    char searchText_[128] = "";
    std::vector<int> searchResults_;
    bool focusSearch_ = false;
    bool panelApplied_ = false;

    /// Startup phases in ms (printed by --bench-frames; data and geometry from the loader):
    /// window, fonts, GPU upload.
    struct StartupTimes {
        double window = 0, fonts = 0, upload = 0;
    } startup_;
    double firstFrameMs_ = -1;
    bool firstFrameDone_ = false;
    /// --bench-frames' profiled passes: process CPU of drawing ImGui's lists (panels and
    /// labels) in the last frame, with a pipeline flush before and after; and its vertices.
    bool profileImGui_ = false;
    double imguiCpuMs_ = 0;
    int imguiVertices_ = 0;
};

/// CPU time of the whole process (all threads, llvmpipe's included), ms: a frame's cost
/// that does not depend on what else the machine is running.
inline double processCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/// Wakes the window's event loop from another thread (a query's outcome is ready).
inline void wakeEventLoop() { glfwPostEmptyEvent(); }

/// Ms since `t0`.
inline double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace hubmap::viewer::detail
