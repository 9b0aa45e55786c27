#include "viewer/viewer_app.hpp"

#include <epoxy/gl.h>
// epoxy must come first: it replaces the system GL header GLFW would include.
#include "viewer/viewer_app_impl.hpp"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <future>
#include <set>

#include "core/error.hpp"
#include "io/store.hpp"

namespace hubmap::viewer {

namespace detail {

namespace {

std::string& glfwLastError() {
    static std::string message;
    return message;
}

void onGlfwError(int code, const char* description) {
    glfwLastError() = fmt::format("{} (GLFW error 0x{:x})", description ? description : "unknown", code);
}

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

/// CPU time of the whole process (all threads, llvmpipe's included), ms: a frame's cost
/// that does not depend on what else the machine is running.
double processCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/// Progress of the startup steps: only remembered, the window shows nothing until loaded.
class QuietProgress : public Progress {};

}  // namespace

ViewerApp::ViewerApp(const ViewerOptions& options, Clock::time_point processStart)
    : options_(options), processStart_(processStart) {
    width_ = options_.width;
    height_ = options_.height;
    offscreen_ = options_.screenshot.has_value();
}

void ViewerApp::start() {
    // Not in the constructor: if a step fails, the destructor still stops the threads
    // started so far and releases GLFW and ImGui.
    // The data loads on a second thread while the window and GL context come up; the
    // fonts (which need only the data's strings) are built while it makes the geometry.
    std::promise<void> dataLoaded;
    std::future<void> dataReady = dataLoaded.get_future();
    std::future<void> loading = std::async(std::launch::async, [this, &dataLoaded] { loadData(dataLoaded); });
    try {
        const auto t0 = Clock::now();
        openWindow();
        startup_.window = msSince(t0);
        dataReady.get();
        const auto t1 = Clock::now();
        startImGui();
        startup_.fonts = msSince(t1);
    } catch (...) {
        loading.wait();
        throw;
    }
    loading.get();
    const auto t0 = Clock::now();
    renderer_ = std::make_unique<MapRenderer>(data_->municipalities.size(), *hubs_, hubLevels_);
    hubLevels_ = {};  // on the GPU now
    pollLevels();  // the coarse level built with the data
    startup_.upload = msSince(t0);
    startLevelBuilder();
    runner_ = std::make_unique<CoverageRunner>(*data_);
    form_.kinds.assign(hubs_->kinds.size(), true);
    layers_.hubKinds.assign(hubs_->kinds.size(), true);
    if (offscreen_) target_ = std::make_unique<gl::RenderTarget>(width_, height_);
    updateLayout();
    applyStartOptions();
}

ViewerApp::~ViewerApp() {
    stopLevels_ = true;
    if (levelBuilder_.joinable()) levelBuilder_.join();
    if (export_ && export_->thread.joinable()) {
        export_->progress.cancel();
        export_->thread.join();
    }
    runner_.reset();
    renderer_.reset();
    target_.reset();
    if (backendsStarted_) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
    }
    if (imguiStarted_) ImGui::DestroyContext();
    if (window_) glfwDestroyWindow(window_);
    glfwTerminate();
}

void ViewerApp::openWindow() {
    glfwSetErrorCallback(onGlfwError);
    if (!glfwInit()) {
        throw Error(fmt::format("cannot start GLFW: {} (no display? under a headless session use xvfb-run)",
                                glfwLastError()));
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SAMPLES, 0);
    // Screenshots render into an offscreen framebuffer of the requested size.
    glfwWindowHint(GLFW_VISIBLE, offscreen_ ? GLFW_FALSE : GLFW_TRUE);
    const int w = offscreen_ ? 64 : width_;
    const int h = offscreen_ ? 64 : height_;
    window_ = glfwCreateWindow(w, h, "hubmap-viewer", nullptr, nullptr);
    if (!window_) throw Error(fmt::format("cannot open an OpenGL 3.3 core window: {}", glfwLastError()));
    glfwMakeContextCurrent(window_);
    if (epoxy_gl_version() < 33) {
        throw Error(fmt::format("OpenGL 3.3 is needed; this context offers {}.{}", epoxy_gl_version() / 10,
                                epoxy_gl_version() % 10));
    }
    glfwSwapInterval(options_.benchFrames > 0 || offscreen_ ? 0 : 1);
}

void ViewerApp::loadData(std::promise<void>& dataLoaded) {
    try {
        QuietProgress progress;
        dbPath_ = resolveDatabase(options_.db, progress);
        const auto t0 = Clock::now();
        LoadOptions load;  // settlements too: the query counts them
        data_ = std::make_unique<Dataset>(loadDataset(dbPath_, load));
        startup_.load = msSince(t0);
    } catch (...) {
        dataLoaded.set_exception(std::current_exception());
        return;
    }
    dataLoaded.set_value();
    const auto t0 = Clock::now();
    projection_ = std::make_unique<MapProjection>();
    index_ = std::make_unique<MapIndex>(buildMapIndex(*data_));
    // The coarsest level now, for the first frame; the finer ones after it.
    readyLevels_.push_back(std::make_unique<MapLevel>(buildMapLevel(*data_, kLevelTolerancesDeg[0])));
    hubs_ = std::make_unique<HubPoints>(buildHubPoints(*data_, *projection_));
    hubLevels_ = buildHubLevels(*hubs_);
    locator_ = std::make_unique<MunicipalityLocator>(*data_);
    search_ = std::make_unique<MunicipalitySearch>(*data_, embeddedReadings());
    startup_.geometry = msSince(t0);
}

void ViewerApp::startImGui() {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    imguiStarted_ = true;
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini in the user's working directory
    ImGui::StyleColorsLight();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 0.f;
    style.FrameRounding = 3.f;
    style.GrabRounding = 3.f;
    style.WindowBorderSize = 1.f;
    style.FrameBorderSize = 1.f;  // unchecked boxes stay visible on the light panels
    style.ItemSpacing = ImVec2(8, 5);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.f);

    // Every string the map may show from the data: the glyphs the atlas needs.
    std::vector<const std::string*> texts;
    for (const Municipality& m : data_->municipalities) {
        texts.push_back(&m.name);
        texts.push_back(&m.county);
        texts.push_back(&m.prefecture);
    }
    for (const Designation& d : data_->designations) {
        for (const std::string& f : d.formerMunicipalities) texts.push_back(&f);
    }
    std::set<std::string> kinds;
    for (const Hub& h : data_->hubs) {
        texts.push_back(&h.name);
        texts.push_back(&h.municipality);
        texts.push_back(&h.district);
        kinds.insert(h.kind);
    }
    std::vector<std::string> hubLabels;  // a kind's label depends on the kind alone
    for (const std::string& kind : kinds) hubLabels.push_back(hubStyle(kind, 0).labelJa);
    for (const std::string& s : hubLabels) texts.push_back(&s);
    for (const SourceInfo& s : data_->sources) texts.push_back(&s.credit);
    fonts_ = loadUiFonts(options_.fontPath, texts);

    ImGui_ImplGlfw_InitForOpenGL(window_, !offscreen_);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    backendsStarted_ = true;
}

void ViewerApp::applyStartOptions() {
    colours_.mode = options_.colour;
    if (options_.radiusKm) {
        if (!(*options_.radiusKm > 0)) throw UsageError(fmt::format("--radius-km must be above 0, not {}", *options_.radiusKm));
        form_.useRadius = true;
        form_.radiusKm = static_cast<float>(*options_.radiusKm);
    }
    if (options_.select) {
        const int index = data_->municipalityIndex(*options_.select);
        if (index < 0) {
            throw UsageError(fmt::format("--select {}: no municipality has this code (5 digits, e.g. 39344)",
                                         *options_.select));
        }
        select(index, !options_.view.has_value());
    }
    if (options_.view) {
        const WorldPoint c = projection_->forward(options_.view->lon, options_.view->lat);
        view_.setCentre(c);
        view_.setZoomLevel(options_.view->zoom);
    } else if (selected_ < 0) {
        fitJapan();
    }
    recolourAll();
    requestQuery();
}

void ViewerApp::startLevelBuilder() {
    // One thread: the UI thread and the coverage query need the other core.
    levelBuilder_ = std::thread([this] {
        for (std::size_t k = 1; k < std::size(kLevelTolerancesDeg) && !stopLevels_; ++k) {
            auto level = std::make_unique<MapLevel>(buildMapLevel(*data_, kLevelTolerancesDeg[k], 1));
            std::lock_guard<std::mutex> lock(levelsMutex_);
            readyLevels_.push_back(std::move(level));
        }
    });
}

void ViewerApp::pollLevels() {
    std::vector<std::unique_ptr<MapLevel>> ready;
    {
        std::lock_guard<std::mutex> lock(levelsMutex_);
        ready.swap(readyLevels_);
    }
    for (const auto& level : ready) {
        renderer_->addLevel(*level);
        ++levelsUploaded_;
    }
    if (!ready.empty() && levelsUploaded_ == std::size(kLevelTolerancesDeg)) {
        ready.clear();
        // The builder thread's scratch is free now: give it back rather than keep it resident.
        malloc_trim(0);
    }
}

void ViewerApp::waitForAllLevels() {
    if (levelBuilder_.joinable()) levelBuilder_.join();
    pollLevels();
}

// ---------------------------------------------------------------------------------------
// Layout and view

void ViewerApp::updateLayout() {
    double w = width_, h = height_;
    if (!offscreen_) {
        int ww = 0, wh = 0;
        glfwGetWindowSize(window_, &ww, &wh);
        if (ww > 0 && wh > 0) {
            w = ww;
            h = wh;
        }
    }
    const ScreenRect area = mapAreaFor(w, h, selected_ >= 0);
    const ScreenRect& old = view_.mapArea();
    if (old.x != area.x || old.y != area.y || old.width != area.width || old.height != area.height ||
        view_.windowWidth() != w || view_.windowHeight() != h) {
        // Keep the map still on screen when a panel opens or the window resizes.
        const WorldPoint keep = view_.toWorld(area.centre());
        view_.setWindow(w, h, area);
        view_.setCentre(keep);
    }
}

void ViewerApp::fitJapan() {
    // The main islands and Okinawa; the whole extent incl. remote islands is too small to read.
    WorldBounds b;
    for (std::size_t i = 0; i < data_->municipalities.size(); ++i) {
        if (!data_->municipalities[i].northernTerritories) b.expand(index_->municipalityBounds[i]);
    }
    // Clip to 24°N–46°N, 122°E–146.5°E: Ogasawara and Minamitorishima sit far out at sea.
    const WorldPoint sw = projection_->forward(127.5, 26.0);
    const WorldPoint ne = projection_->forward(146.0, 45.6);
    WorldBounds main;
    main.expand(std::max(b.minx, sw.x), std::max(b.miny, sw.y));
    main.expand(std::min(b.maxx, ne.x), std::min(b.maxy, ne.y));
    view_.fit(main, 12, ViewTransform::kMaxZoom);
}

void ViewerApp::fitSelection() {
    if (selected_ < 0) return;
    view_.fit(index_->municipalityBounds[static_cast<std::size_t>(selected_)], 40);
}

void ViewerApp::centreOn(WorldPoint p, std::optional<double> zoom) {
    view_.setCentre(p);
    if (zoom) view_.setZoomLevel(*zoom);
}

void ViewerApp::select(int index, bool fit) {
    const int previous = selected_;
    selected_ = index;
    colours_.selected = index;
    updateLayout();
    const std::vector<int>& rows = coverageRows_;
    if (previous >= 0) {
        renderer_->setColour(static_cast<std::size_t>(previous),
                             municipalityColour(*data_, static_cast<std::size_t>(previous), colours_, rows));
    }
    if (index >= 0) {
        renderer_->setColour(static_cast<std::size_t>(index),
                             municipalityColour(*data_, static_cast<std::size_t>(index), colours_, rows));
        if (fit) fitSelection();
    }
}

void ViewerApp::setHovered(int index) {
    if (index == hovered_) return;
    const int previous = hovered_;
    hovered_ = index;
    colours_.hovered = index;
    for (int i : {previous, index}) {
        if (i >= 0) {
            renderer_->setColour(static_cast<std::size_t>(i),
                                 municipalityColour(*data_, static_cast<std::size_t>(i), colours_, coverageRows_));
        }
    }
}

void ViewerApp::recolourAll() {
    colours_.coverage = result_.get();
    coverageRows_ = coverageIndex(*data_, result_.get());
    renderer_->setColours(municipalityColours(*data_, colours_));
}

// ---------------------------------------------------------------------------------------
// Queries

CoverageOptions ViewerApp::queryOptions() const {
    CoverageOptions o;
    o.designations.clear();
    if (form_.full) o.designations.insert(DesignationType::Full);
    if (form_.partial) o.designations.insert(DesignationType::Partial);
    if (form_.deemed) o.designations.insert(DesignationType::Deemed);
    const bool all = std::all_of(form_.kinds.begin(), form_.kinds.end(), [](bool b) { return b; });
    if (!all) {
        for (std::size_t k = 0; k < form_.kinds.size(); ++k) {
            if (form_.kinds[k]) o.kinds.push_back(hubs_->kinds[k]);
        }
    }
    if (form_.useDate) o.openedBefore = std::string(form_.openedBefore);
    if (form_.useRadius) o.radiusKm = form_.radiusKm;
    o.settlements = true;
    o.keepGeometry = drawsQueryGeometry();  // catchments and uncovered areas for the map
    return o;
}

std::size_t ViewerApp::queriedHubCount() const {
    std::size_t n = 0;
    for (std::size_t k = 0; k < form_.kinds.size(); ++k) {
        if (form_.kinds[k]) n += hubs_->countByKind[k];
    }
    return n;
}

bool ViewerApp::drawsQueryGeometry() const {
    // Dissolving tens of thousands of catchment disks takes GEOS tens of seconds and
    // gigabytes: past kMaxHubsForGeometry the map shows the figures, not the shapes.
    return form_.useRadius && queriedHubCount() <= kMaxHubsForGeometry;
}

void ViewerApp::requestQuery() {
    if (!form_.kinds.empty() && std::none_of(form_.kinds.begin(), form_.kinds.end(), [](bool b) { return b; })) {
        queryError_ = "Select at least one hub kind.";
        return;
    }
    queryError_.clear();
    runner_->request(queryOptions(), drawsQueryGeometry());
}

void ViewerApp::pollQuery() {
    std::optional<CoverageOutcome> outcome = runner_->take();
    if (!outcome) return;
    if (!outcome->error.empty()) {
        queryError_ = outcome->error;
        return;
    }
    queryError_.clear();
    result_ = outcome->result;
    overlay_ = outcome->overlay;  // null until the geometry of this query arrives
    renderer_->setOverlay(overlay_.get());
    figuresMs_ = outcome->figuresMs;
    if (outcome->complete) lastOutcome_ = std::move(*outcome);
    prefectureRowsDirty_ = true;
    recolourAll();
}

void ViewerApp::startExport() {
    if (!result_ || (export_ && !export_->done)) return;
    if (export_ && export_->thread.joinable()) export_->thread.join();
    ExportOptions eo;
    eo.outPath = exportPath_;
    eo.format = "GPKG";
    eo.overwrite = exportOverwrite_;
    eo.requestedBy = "hubmap-viewer";
    try {
        checkExportTarget(eo);
    } catch (const std::exception& e) {
        exportMessage_ = e.what();
        exportFailed_ = true;
        return;
    }
    export_ = std::make_unique<ExportTask>();
    ExportTask* task = export_.get();
    std::shared_ptr<const CoverageResult> result = result_;  // kept alive while writing
    const Dataset* data = data_.get();
    exportMessage_ = fmt::format("Writing {} …", eo.outPath);
    exportFailed_ = false;
    task->thread = std::thread([task, result, data, eo] {
        try {
            const ExportReport report = exportCoverage(*data, *result, eo, task->progress);
            std::string layers;
            for (const auto& [name, count] : report.layers) layers += fmt::format("{}{} ({})", layers.empty() ? "" : ", ", name, count);
            task->message = fmt::format("Wrote {} in {:.1f} s: {}", report.outPath, report.seconds, layers);
        } catch (const Cancelled&) {
            task->message = "Export cancelled; nothing was written.";
            task->failed = true;
        } catch (const std::exception& e) {
            task->message = fmt::format("Export failed: {}", e.what());
            task->failed = true;
        }
        task->done = true;
    });
}

// ---------------------------------------------------------------------------------------
// Input

void ViewerApp::handleMapInput() {
    ImGuiIO& io = ImGui::GetIO();
    const ImVec2 mouse = io.MousePos;
    const bool inMap = ImGui::IsMousePosValid(&mouse) && view_.mapArea().contains(mouse.x, mouse.y);
    mapHovered_ = inMap && !io.WantCaptureMouse;
    if (dragging_) {
        if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
            view_.panPixels(io.MouseDelta.x, io.MouseDelta.y);
        } else {
            dragging_ = false;
        }
    }
    if (!mapHovered_) {
        setHovered(-1);
        hoveredHub_ = -1;
        cursorLonLat_.reset();
        return;
    }
    const ScreenPoint p{mouse.x, mouse.y};
    const WorldPoint w = view_.toWorld(p);
    cursorLonLat_ = projection_->inverse(w.x, w.y);
    if (io.MouseWheel != 0.f) view_.zoomAbout(p, std::pow(1.25, io.MouseWheel));
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) pressPos_ = mouse;
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3.f) && !dragging_) {
        dragging_ = true;
        const ImVec2 d = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 3.f);
        view_.panPixels(d.x, d.y);
    }
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) view_.zoomAbout(p, 2.0);
    const int over = municipalityAt(*locator_, *projection_, view_, p);
    setHovered(over);
    hoveredHub_ = layers_.hubs ? hubAt(*hubs_, layers_.hubKinds, view_, p, 6.0) : -1;
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && !dragging_) {
        const ImVec2 moved = ImVec2(mouse.x - pressPos_.x, mouse.y - pressPos_.y);
        if (moved.x * moved.x + moved.y * moved.y < 9.f) select(over, false);
    }
}

void ViewerApp::handleKeys() {
    ImGuiIO& io = ImGui::GetIO();
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_F)) focusSearch_ = true;
    if (io.WantCaptureKeyboard || io.WantTextInput) return;
    const ScreenRect& a = view_.mapArea();
    const double step = std::min(a.width, a.height) / 6;
    if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) view_.panPixels(step, 0);
    if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) view_.panPixels(-step, 0);
    if (ImGui::IsKeyPressed(GLFW_KEY_UP)) view_.panPixels(0, step);
    if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) view_.panPixels(0, -step);
    if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD)) view_.zoomAbout(a.centre(), 1.5);
    if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT)) {
        view_.zoomAbout(a.centre(), 1 / 1.5);
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_HOME) || ImGui::IsKeyPressed(GLFW_KEY_0)) fitJapan();
    if (ImGui::IsKeyPressed(GLFW_KEY_F) && !io.KeyCtrl) fitSelection();
    if (ImGui::IsKeyPressed(GLFW_KEY_C)) {
        colours_.mode = colours_.mode == ColourMode::Designation ? ColourMode::Coverage : ColourMode::Designation;
        recolourAll();
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_L)) showLabels_ = !showLabels_;
    if (ImGui::IsKeyPressed(GLFW_KEY_H)) layers_.hubs = !layers_.hubs;
    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) select(-1, false);
    if (ImGui::IsKeyPressed(GLFW_KEY_SLASH)) focusSearch_ = true;
}

// ---------------------------------------------------------------------------------------
// Frames

void ViewerApp::frame(bool interactive) {
    pollQuery();
    pollLevels();
    if (export_ && export_->done && export_->thread.joinable()) {
        export_->thread.join();
        exportMessage_ = export_->message;
        exportFailed_ = export_->failed;
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (offscreen_) {
        io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
        io.DisplayFramebufferScale = ImVec2(1, 1);
    }
    ImGui::NewFrame();
    ImGui::PushFont(fonts_.body);
    updateLayout();
    if (interactive) {
        handleMapInput();
        handleKeys();
    }
    drawPanels();
    if (interactive) drawTooltip();
    drawLabels();
    ImGui::PopFont();
    ImGui::Render();

    int fbw = width_, fbh = height_;
    if (offscreen_) {
        target_->bind();
    } else {
        glfwGetFramebufferSize(window_, &fbw, &fbh);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }
    renderTo(fbw, fbh);
}

void ViewerApp::clearPanels(int framebufferWidth, int framebufferHeight) {
    // The docked panels' backgrounds as scissored clears: a software rasteriser fills
    // them far faster than ImGui's blended window rectangles (ImGui skips them: alpha 0).
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    const ScreenRect& map = view_.mapArea();
    const double w = view_.windowWidth(), h = view_.windowHeight();
    const double sx = framebufferWidth / w, sy = framebufferHeight / h;
    std::vector<ScreenRect> panels{{0, 0, map.x, h}, {map.x, map.y + map.height, map.width, h - map.y - map.height}};
    if (selected_ >= 0) panels.push_back({map.x + map.width, 0, w - map.x - map.width, h});
    glEnable(GL_SCISSOR_TEST);
    glClearColor(bg.x, bg.y, bg.z, 1.f);
    for (const ScreenRect& r : panels) {
        if (r.width <= 0 || r.height <= 0) continue;
        glScissor(static_cast<GLint>(std::floor(r.x * sx)), static_cast<GLint>(std::floor((h - r.y - r.height) * sy)),
                  static_cast<GLsizei>(std::ceil(r.width * sx)), static_cast<GLsizei>(std::ceil(r.height * sy)));
        glClear(GL_COLOR_BUFFER_BIT);
    }
    glDisable(GL_SCISSOR_TEST);
}

void ViewerApp::renderTo(int framebufferWidth, int framebufferHeight) {
    renderer_->draw(view_, layers_, selected_, framebufferWidth, framebufferHeight);
    clearPanels(framebufferWidth, framebufferHeight);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (!firstFrameDone_) {
        glFinish();
        firstFrameMs_ = msSince(processStart_);
        firstFrameDone_ = true;
    }
}

Image ViewerApp::capture(int width, int height) {
    Image image;
    image.width = width;
    image.height = height;
    image.rgba.resize(4 * static_cast<std::size_t>(width) * height);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, image.rgba.data());
    image.flipVertically();
    for (std::size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;
    return image;
}

int ViewerApp::runInteractive() {
    glfwSetWindowTitle(window_, fmt::format("hubmap-viewer — {}", dbPath_).c_str());
    while (!glfwWindowShouldClose(window_)) {
        const bool busy = runner_->status().busy || (export_ && !export_->done) || dragging_ ||
                          levelsUploaded_ < std::size(kLevelTolerancesDeg);
        if (busy) {
            glfwWaitEventsTimeout(1.0 / 30);
        } else {
            glfwWaitEventsTimeout(0.5);
        }
        frame(true);
        glfwSwapBuffers(window_);
    }
    return 0;
}

int ViewerApp::runScreenshot() {
    // Every level of detail and the query the options asked for, before the picture.
    waitForAllLevels();
    runner_->waitIdle();
    pollQuery();
    if (!queryError_.empty()) throw UsageError(queryError_);
    // ImGui sizes auto-fitting windows over the first frames: let the layout settle.
    for (int i = 0; i < 3; ++i) frame(false);
    if (options_.drag) {
        // As a mouse drags: a frame every few pixels, each moving the kept picture.
        const int dx = options_.drag->dx, dy = options_.drag->dy;
        const int steps = std::max(1, (std::max(std::abs(dx), std::abs(dy)) + 19) / 20);
        int doneX = 0, doneY = 0;
        for (int i = 1; i <= steps; ++i) {
            const int x = dx * i / steps, y = dy * i / steps;
            view_.panPixels(x - doneX, y - doneY);
            doneX = x;
            doneY = y;
            frame(false);
        }
    }
    const double renderedMs = msSince(processStart_);
    glFinish();
    const Image image = capture(width_, height_);
    writePng(*options_.screenshot, image);
    if (!options_.quiet) {
        std::fprintf(stderr, "hubmap-viewer: wrote %s (%dx%d), rendered %.0f ms after start\n",
                     options_.screenshot->c_str(), width_, height_, renderedMs);
    }
    return 0;
}

int ViewerApp::runBenchmark() {
    // Start to first complete frame: everything loaded, the map and panels drawn.
    frame(false);
    glfwSwapBuffers(window_);
    const double firstFrame = firstFrameMs_;
    const auto levelsStart = Clock::now();
    waitForAllLevels();
    const double levelsMs = msSince(levelsStart);
    runner_->waitIdle();
    pollQuery();

    // Pan across Japan from Kyushu to Hokkaido while zooming in and out.
    const WorldPoint from = projection_->forward(130.5, 32.5);
    const WorldPoint to = projection_->forward(142.5, 43.0);
    std::vector<double> times, cpuTimes;
    times.reserve(static_cast<std::size_t>(options_.benchFrames));
    for (int i = 0; i < options_.benchFrames; ++i) {
        const double t = options_.benchFrames > 1 ? static_cast<double>(i) / (options_.benchFrames - 1) : 0.0;
        view_.setCentre({from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t});
        view_.setZoomLevel(6.5 + 1.5 * std::sin(t * 6.283185307 * 2));
        const auto t0 = Clock::now();
        const double c0 = processCpuMs();
        glfwPollEvents();
        frame(false);
        glfwSwapBuffers(window_);
        glFinish();
        times.push_back(msSince(t0));
        cpuTimes.push_back(processCpuMs() - c0);
    }
    // Drags at fixed zooms, as a planner pans with the mouse: 24 px a frame along the same
    // path, from three places at zoom 5.5, 7.5 and 9.5 in turn.
    std::vector<double> dragTimes, dragPixels;
    dragTimes.reserve(static_cast<std::size_t>(options_.benchFrames));
    {
        const double length = std::hypot(to.x - from.x, to.y - from.y);
        const double ux = (to.x - from.x) / length, uy = (to.y - from.y) / length;
        constexpr double kDragPixelsPerFrame = 24;
        const int perZoom = std::max(1, options_.benchFrames / 3);
        for (int z = 0; z < 3; ++z) {
            view_.setZoomLevel(5.5 + 2.0 * z);
            const double step = kDragPixelsPerFrame / view_.pixelsPerMetre();
            const WorldPoint start{from.x + (to.x - from.x) * z / 3.0, from.y + (to.y - from.y) * z / 3.0};
            for (int i = 0; i < perZoom; ++i) {
                view_.setCentre({start.x + ux * step * i, start.y + uy * step * i});
                const auto t0 = Clock::now();
                glfwPollEvents();
                frame(false);
                glfwSwapBuffers(window_);
                glFinish();
                dragTimes.push_back(msSince(t0));
                dragPixels.push_back(static_cast<double>(renderer_->stats().pixelsDrawn));
            }
        }
    }
    // One more pass over the same path, timing each layer (a flush per layer).
    RenderStats layerTimes;
    renderer_->setProfiling(true);
    const int profiled = std::min(options_.benchFrames, 60);
    for (int i = 0; i < profiled; ++i) {
        const double t = profiled > 1 ? static_cast<double>(i) / (profiled - 1) : 0.0;
        view_.setCentre({from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t});
        view_.setZoomLevel(6.5 + 1.5 * std::sin(t * 6.283185307 * 2));
        frame(false);
        glfwSwapBuffers(window_);
        const RenderStats& s = renderer_->stats();
        layerTimes.fillMs += s.fillMs / profiled;
        layerTimes.prefectureBordersMs += s.prefectureBordersMs / profiled;
        layerTimes.overlayMs += s.overlayMs / profiled;
        layerTimes.hubsMs += s.hubsMs / profiled;
    }
    renderer_->setProfiling(false);
    auto quantile = [](std::vector<double> v, double q) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[std::min(v.size() - 1, static_cast<std::size_t>(q * v.size()))];
    };
    const RenderStats& s = renderer_->stats();
    std::printf("hubmap-viewer benchmark: %dx%d, %zu municipalities, %zu hubs drawn (%zu kinds)\n", width_, height_,
                data_->municipalities.size(), hubs_->size(), hubs_->kinds.size());
    std::printf("  start to first complete frame: %.0f ms (data %.0f ms, then geometry %.0f ms; in parallel: window "
                "%.0f ms, then fonts %.0f ms once the data is in; then GPU upload %.0f ms)\n",
                firstFrame, startup_.load, startup_.geometry, startup_.window, startup_.fonts, startup_.upload);
    std::printf("  finer levels of detail ready %.0f ms after the first frame\n", levelsMs);
    std::printf("  frames while dragging (24 px a frame at zoom 5.5, 7.5, 9.5): %zu, wall median %.2f ms, p95 %.2f ms, "
                "max %.2f ms; map pixels drawn afresh per frame median %.0f\n",
                dragTimes.size(), quantile(dragTimes, 0.5), quantile(dragTimes, 0.95), quantile(dragTimes, 1.0),
                quantile(dragPixels, 0.5));
    std::printf("  frames while panning and zooming at once: %d, wall median %.2f ms, p95 %.2f ms, max %.2f ms; process "
                "CPU per frame median %.2f ms, p95 %.2f ms (last frame: %zu triangles, %zu segments, %zu symbols)\n",
                options_.benchFrames, quantile(times, 0.5), quantile(times, 0.95), quantile(times, 1.0),
                quantile(cpuTimes, 0.5), quantile(cpuTimes, 0.95), s.triangles, s.segments, s.symbols);

    std::printf("  mean CPU per layer: fill with municipal borders %.2f ms, prefecture borders %.2f ms, overlay %.2f ms, "
                "hubs %.2f ms\n",
                layerTimes.fillMs, layerTimes.prefectureBordersMs, layerTimes.overlayMs, layerTimes.hubsMs);

    // Coverage recompute after a radius change (as the Query panel's slider does).
    for (float radius : {10.f, 5.f}) {
        form_.useRadius = true;
        form_.radiusKm = radius;
        const auto t0 = Clock::now();
        requestQuery();
        runner_->waitIdle();
        const double wall = msSince(t0);
        pollQuery();
        if (!queryError_.empty()) throw Error(queryError_);
        if (drawsQueryGeometry()) {
            std::printf("  coverage after a radius change to %.0f km: figures %.0f ms; then with geometry %.0f ms + map "
                        "overlay %.0f ms; request to everything %.0f ms\n",
                        radius, figuresMs_, lastOutcome_.queryMs, lastOutcome_.overlayMs, wall);
        } else {
            std::printf("  coverage after a radius change to %.0f km: figures %.0f ms (%zu hubs: no catchment geometry "
                        "above %zu); request to result %.0f ms\n",
                        radius, lastOutcome_.queryMs, queriedHubCount(), kMaxHubsForGeometry, wall);
        }
    }
    std::fflush(stdout);
    return 0;
}

int ViewerApp::run() {
    if (options_.screenshot) return runScreenshot();
    if (options_.benchFrames > 0) return runBenchmark();
    return runInteractive();
}

}  // namespace detail

int runViewer(const ViewerOptions& options, std::chrono::steady_clock::time_point processStart) {
    detail::ViewerApp app(options, processStart);
    app.start();
    return app.run();
}

}  // namespace hubmap::viewer
