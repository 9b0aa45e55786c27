#include "viewer/viewer_app.hpp"

#include <epoxy/gl.h>
// epoxy must come first: it replaces the system GL header GLFW would include.
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <set>

#include "core/error.hpp"
#include "viewer/viewer_app_impl.hpp"

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

}  // namespace

ViewerApp::ViewerApp(const ViewerOptions& options, Clock::time_point processStart)
    : options_(options), processStart_(processStart) {
    if (!options_.steps.empty()) {
        steps_ = std::move(options_.steps);
        options_ = steps_.front();
    }
    width_ = options_.width;
    height_ = options_.height;
    offscreen_ = options_.screenshot.has_value() || options_.print.has_value();
    printSpec_ = options_.printSpec;
    // An interactive session starts as the last one ended, unless the command line says otherwise.
    if (!offscreen_ && options_.benchFrames == 0) settingsDir_ = settingsDir();
    if (settingsDir_) {
        std::string problem;
        const ViewerSettings saved = loadSettings(*settingsDir_, &problem);
        if (!problem.empty()) std::fprintf(stderr, "hubmap-viewer: warning: %s\n", problem.c_str());
        if (!options_.sizeGiven) {
            width_ = saved.width;
            height_ = saved.height;
        }
        if (!options_.panelGiven) options_.panel = saved.panel;
        showLabels_ = saved.labels;
    }
    if (options_.print) std::snprintf(printPath_, sizeof printPath_, "%s", options_.print->c_str());
    std::snprintf(printTitle_, sizeof printTitle_, "%s", options_.printSpec.title.c_str());
}

void ViewerApp::start() {
    // Not in the constructor: if a step fails, the destructor still stops the threads
    // started so far and releases GLFW and ImGui.
    // The data loads on the loader's thread while the window and GL context come up; the
    // fonts (which need only the data's strings) are built while it makes the geometry.
    loader_ = std::make_unique<LevelLoader>(options_.db);
    auto t0 = Clock::now();
    openWindow();
    startup_.window = msSince(t0);
    loader_->waitForData();
    t0 = Clock::now();
    startImGui();
    startup_.fonts = msSince(t0);
    loader_->waitForMap();
    t0 = Clock::now();
    renderer_ = std::make_unique<MapRenderer>(mapFeatureCount(data()), hubs(), loader_->takeHubLevels());
    labelPass_ = std::make_unique<LabelPass>();
    uploadLevels(loader_->takeLevels());  // the coarse level built with the data
    startup_.upload = msSince(t0);
    // A scripted picture builds only the level its view draws (runScreenshot).
    if (!offscreen_) loader_->startFinerLevels();
    query_ = std::make_unique<QueryController>(data(), hubs(), wakeEventLoop);
    export_ = std::make_unique<ExportController>(data());
    import_ = std::make_unique<ImportController>(loader_->dbPath());
    plan_ = std::make_unique<PlanController>(data(), loader_->dbPath());
    layers_.hubKinds.assign(hubs().kinds.size(), true);
    if (offscreen_) target_ = std::make_unique<gl::RenderTarget>(width_, height_);
    updateLayout();
    if (steps_.empty()) applyStartOptions();  // else runScript, step by step
}

ViewerApp::~ViewerApp() {
    // The export and the query first: they read the loader's data on their threads.
    import_.reset();
    export_.reset();
    query_.reset();
    labelPass_.reset();
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
        throw Error(
            fmt::format("cannot start GLFW: {} (no display? under a headless session use xvfb-run)", glfwLastError()));
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

    buildFonts();

    if (settingsDir_) {
        // Loaded and saved by hand rather than through io.IniFilename: the folder is made
        // only when saving, and scripted runs leave no file behind.
        const std::filesystem::path ini = *settingsDir_ / "imgui.ini";
        if (std::filesystem::exists(ini)) ImGui::LoadIniSettingsFromDisk(ini.string().c_str());
    }
    ImGui_ImplGlfw_InitForOpenGL(window_, !offscreen_);
    if (!offscreen_) {
        // Files dropped on the window are offered for import (ImGui uses no drop callback).
        glfwSetWindowUserPointer(window_, this);
        glfwSetDropCallback(window_, [](GLFWwindow* w, int count, const char** paths) {
            static_cast<ViewerApp*>(glfwGetWindowUserPointer(w))->onDrop(count, paths);
        });
    }
    ImGui_ImplOpenGL3_Init("#version 330 core");
    ImGui_ImplOpenGL3_CreateDeviceObjects();  // the font atlas now, to set its filter
    useNearestFontAtlas();
    backendsStarted_ = true;
}

void ViewerApp::useNearestFontAtlas() {
    // ImGui draws its text unscaled, on whole pixels: a texel-centred read, where nearest
    // filtering gives what linear does at a fraction of llvmpipe's cost (about 1 ms of a frame's
    // CPU at 1600x1000). Only its anti-aliased rounded corners read between texels and move by
    // a shade. The labels, which may be scaled, sample it linearly (LabelPass).
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::intptr_t>(ImGui::GetIO().Fonts->TexID)));
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
}

void ViewerApp::buildFonts() {
    // Every string the map may show from the data: the glyphs the atlas needs.
    std::vector<const std::string*> texts;
    for (const Municipality& m : data().municipalities) {
        texts.push_back(&m.name);
        texts.push_back(&m.county);
        texts.push_back(&m.prefecture);
    }
    for (const Designation& d : data().designations) {
        for (const std::string& f : d.formerMunicipalities) texts.push_back(&f);
    }
    std::set<std::string> kinds;
    for (const Hub& h : data().hubs) {
        texts.push_back(&h.name);
        texts.push_back(&h.municipality);
        texts.push_back(&h.details().district);
        kinds.insert(h.kind);
    }
    std::vector<std::string> hubLabels;  // a kind's label depends on the kind alone
    for (const std::string& kind : kinds) hubLabels.push_back(hubStyle(kind, 0, data().kindLabels).labelJa);
    for (const std::string& s : hubLabels) texts.push_back(&s);
    for (const SourceInfo& s : data().sources) texts.push_back(&s.credit);
    std::vector<const std::string*> placeNames;  // 大字 labels: drawn in the body font only
    if (placeGlyphs_) {
        placeNames.reserve(data().settlements.size());
        for (const Settlement& s : data().settlements) placeNames.push_back(&s.town);
    }
    fonts_ = loadUiFonts(options_.fontPath, texts, 1.0f, placeNames);
}

void ViewerApp::applyStartOptions() {
    colours_.mode = options_.colour;
    renderer_->setOneFillProgram(options_.oneFillProgram);
    if (options_.radiusKm) {
        if (!(*options_.radiusKm > 0))
            throw UsageError(fmt::format("--radius-km must be above 0, not {}", *options_.radiusKm));
        query_->form().useRadius = true;
        query_->form().radiusKm = static_cast<float>(*options_.radiusKm);
    }
    query_->form().prefectures = options_.prefectures;
    if (!options_.kinds.empty()) {
        query_->selectKinds(options_.kinds);
        // The map shows the kinds the query counts.
        for (std::size_t k = 0; k < layers_.hubKinds.size(); ++k) layers_.hubKinds[k] = query_->form().kinds[k];
    }
    if (options_.select) {
        const int index = data().municipalityIndex(*options_.select);
        if (index < 0) {
            throw UsageError(
                fmt::format("--select {}: no municipality has this code (5 digits, e.g. 39344)", *options_.select));
        }
        select(index, !options_.view.has_value());
    }
    if (options_.view) {
        const WorldPoint c = projection().forward(options_.view->lon, options_.view->lat);
        view_.setCentre(c);
        view_.setZoomLevel(options_.view->zoom);
    } else if (selected_ < 0) {
        // The prefectures of --prefecture, else Japan.
        WorldBounds b;
        for (const std::string& p : options_.prefectures) {
            const int i = data().prefectureIndex(p);
            if (i >= 0) b.expand(mapIndex().prefectureBounds[static_cast<std::size_t>(i)]);
        }
        if (b.empty) {
            fitJapan();
        } else {
            view_.fit(b, 20);
        }
    }
    recolourAll();
    query_->request();
}

void ViewerApp::uploadLevels(std::vector<std::unique_ptr<MapLevel>> levels) {
    for (const auto& level : levels) renderer_->addLevel(*level);
    if (!levels.empty() && loader_->allLevelsTaken()) {
        levels.clear();
        // The builder thread's scratch is free now: give it back rather than keep it resident.
        malloc_trim(0);
    }
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
    for (std::size_t i = 0; i < data().municipalities.size(); ++i) {
        if (!data().municipalities[i].northernTerritories) b.expand(mapIndex().municipalityBounds[i]);
    }
    // Clip to 24°N–46°N, 122°E–146.5°E: Ogasawara and Minamitorishima sit far out at sea.
    const WorldPoint sw = projection().forward(127.5, 26.0);
    const WorldPoint ne = projection().forward(146.0, 45.6);
    WorldBounds main;
    main.expand(std::max(b.minx, sw.x), std::max(b.miny, sw.y));
    main.expand(std::min(b.maxx, ne.x), std::min(b.maxy, ne.y));
    view_.fit(main, 12, ViewTransform::kMaxZoom);
}

void ViewerApp::fitSelection() {
    if (selected_ < 0) return;
    view_.fit(mapIndex().municipalityBounds[static_cast<std::size_t>(selected_)], 40);
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
    if (previous >= 0) recolour(previous);
    if (index >= 0) {
        recolour(index);
        if (fit) fitSelection();
    }
}

void ViewerApp::recolour(int index) {
    const std::vector<int>& rows = query_->coverageRows();
    const std::size_t i = static_cast<std::size_t>(index);
    renderer_->setColour(i, municipalityColour(data(), i, colours_, rows));
    if (const DesignatedPart* part = data().designatedPartOf(data().municipalities[i].code)) {
        const std::size_t k = static_cast<std::size_t>(part - data().designatedParts.data());
        renderer_->setColour(data().municipalities.size() + k, restColour(data(), k, colours_, rows));
    }
}

void ViewerApp::setHovered(int index) {
    if (index == hovered_) return;
    const int previous = hovered_;
    hovered_ = index;
    colours_.hovered = index;
    for (int i : {previous, index}) {
        if (i >= 0) recolour(i);
    }
}

void ViewerApp::recolourAll() {
    colours_.coverage = query_->result().get();
    renderer_->setColours(municipalityColours(data(), colours_));
}

// ---------------------------------------------------------------------------------------
// Queries

void ViewerApp::pollQuery() {
    if (!query_->poll()) return;
    renderer_->setOverlay(query_->overlay());
    recolourAll();
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
    cursorLonLat_ = projection().inverse(w.x, w.y);
    if (planInput(p)) return;
    if (io.MouseWheel != 0.f) view_.zoomAbout(p, std::pow(1.25, io.MouseWheel));
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) pressPos_ = mouse;
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3.f) && !dragging_) {
        dragging_ = true;
        const ImVec2 d = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 3.f);
        view_.panPixels(d.x, d.y);
    }
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) view_.zoomAbout(p, 2.0);
    const int over = municipalityAt(loader_->locator(), projection(), view_, p);
    setHovered(over);
    hoveredHub_ = layers_.hubs ? hubAt(hubs(), layers_.hubKinds, view_, p, 6.0) : -1;
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
        colours_.mode = colours_.mode == ColourMode::Designation ? ColourMode::Coverage
                        : colours_.mode == ColourMode::Coverage  ? ColourMode::Population
                                                                 : ColourMode::Designation;
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
    uploadLevels(loader_->takeLevels());
    export_->poll();
    import_->poll();
    plan_->poll();
    syncPlanQuery();
    if (!placeGlyphs_ && showLabels_ && view_.zoomLevel() >= kPlaceNameMinZoom && loader_->placeNames()) {
        // Zoomed in far enough for 大字 names for the first time: their glyphs join the atlas
        // (some 700 kanji every start-up would otherwise pay for).
        placeGlyphs_ = true;
        rebuildFonts();
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (offscreen_) {
        io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
        io.DisplayFramebufferScale = ImVec2(1, 1);
    }
    if (scriptedHover_ && options_.hover) {
        // After the GLFW backend, which reads the (unfocused, offscreen) window's mouse.
        io.MousePos = ImVec2(static_cast<float>(options_.hover->dx), static_cast<float>(options_.hover->dy));
    }
    ImGui::NewFrame();
    ImGui::PushFont(fonts_.body);
    updateLayout();
    if (interactive) {
        handleMapInput();
        handleKeys();
    } else if (scriptedHover_) {
        handleMapInput();  // --hover: the mouse was placed by the script
    }
    int fbw = width_, fbh = height_;
    if (offscreen_) {
        target_->bind();
    } else {
        glfwGetFramebufferSize(window_, &fbw, &fbh);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }
    // The view is known now: the map's GL first, flushed, so that llvmpipe's threads
    // rasterise it while this one builds the panels and labels (a scene is only drawn once
    // flushed: issued after the panels, the two never overlapped).
    setFrameCatchments();
    drawMap(fbw, fbh);
    glFlush();
    drawPanels();
    if (interactive || scriptedHover_) drawTooltip();
    drawLabels();
    drawPlanMarkers();
    ImGui::PopFont();
    ImGui::Render();
    // A panel that changed what the map shows (a layer, the selection, a colour) shows it in
    // this frame, not the next (which may come only with the next event). A new radius is
    // drawn once its figures are shown (QueryController::catchments).
    if (!(mapInputs() == drawnMap_)) drawMap(fbw, fbh);
    renderTo();
}

ViewerApp::MapInputs ViewerApp::mapInputs() const {
    MapInputs in;
    in.centre = view_.centre();
    in.pixelsPerMetre = view_.pixelsPerMetre();
    in.mapArea = view_.mapArea();
    in.windowWidth = view_.windowWidth();
    in.windowHeight = view_.windowHeight();
    in.layers = layers_;
    in.selected = selected_;
    in.content = renderer_->contentVersion();
    return in;
}

void ViewerApp::setFrameCatchments() {
    // Catchments follow the form (drawn by the GPU) once their query's figures are shown:
    // asked once a frame, before the map is drawn.
    const CatchmentsShown& catchments = query_->catchments();
    renderer_->setCatchments(catchments.radiusKm, catchments.kinds);
}

void ViewerApp::drawMap(int framebufferWidth, int framebufferHeight) {
    // The whole target in the sea's colour first: llvmpipe fills an unscissored clear as it
    // starts each tile, nearly free, while a scissored clear is a quad it shades pixel by
    // pixel. So the map (most of the window) draws on it without a clear of its own, and
    // only the panels, the smaller part, pay for a scissored one.
    glDisable(GL_SCISSOR_TEST);
    MapRenderer::clearToSea();
    renderer_->draw(view_, layers_, selected_, framebufferWidth, framebufferHeight, true);
    clearPanels(framebufferWidth, framebufferHeight);
    drawnMap_ = mapInputs();
}

void ViewerApp::clearPanels(int framebufferWidth, int framebufferHeight) {
    // The docked panels' backgrounds (ImGui skips them: alpha 0) as scissored clears, cheaper
    // for llvmpipe than ImGui's blended window rectangles.
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

void ViewerApp::renderTo() {
    double c0 = 0;
    if (profileImGui_) {
        glFinish();
        c0 = processCpuMs();
    }
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (profileImGui_) {
        glFinish();
        imguiCpuMs_ = processCpuMs() - c0;
        imguiVertices_ = ImGui::GetDrawData()->TotalVtxCount;
    }
    if (!firstFrameDone_) {
        glFinish();
        firstFrameMs_ = msSince(processStart_);
        firstFrameDone_ = true;
    }
}

int ViewerApp::runInteractive() {
    glfwSetWindowTitle(window_, fmt::format("hubmap-viewer — {}", loader_->dbPath()).c_str());
    while (!glfwWindowShouldClose(window_)) {
        const bool busy = query_->status().busy || query_->catchmentsWaiting() || export_->running() ||
                          import_->busy() || dragging_ || !loader_->allLevelsTaken() || plan_->preparing() ||
                          plan_->suggesting() || plan_->saving() || planDrag_.has_value();
        if (query_->catchmentsWaiting() && !query_->status().busy) {
            glfwPollEvents();  // the figures are shown: the catchments are drawn next
        } else if (busy) {
            glfwWaitEventsTimeout(1.0 / 30);
        } else {
            glfwWaitEventsTimeout(0.5);
        }
        frame(true);
        glfwSwapBuffers(window_);
        if (printRequested_) printRequested();
        if (import_->takeImported()) reloadHubsAfterImport();
        if (plan_->takeSaved()) {
            planNotice_ = plan_->message();
            reloadHubsAfterImport();
        }
    }
    saveSessionSettings();
    return 0;
}

void ViewerApp::onDrop(int count, const char** paths) {
    if (count < 1) return;
    const std::string path = paths[0];
    if (import_->busy()) {
        dropMessage_ = "An import is running: drop the file again when it is done.";
    } else if (!isImportableFile(path)) {
        dropMessage_ = fmt::format("{}: hubmap imports CSV, XLSX, ODS, GeoJSON, GeoPackage and Shapefile files.", path);
    } else {
        dropMessage_.clear();
        import_->open(path);
    }
}

void ViewerApp::rebuildFonts() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui::GetIO().Fonts->Clear();
    buildFonts();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    useNearestFontAtlas();
}

void ViewerApp::reloadHubsAfterImport() {
    // Everything that reads the hubs goes, the hubs are read again, and it comes back: the
    // query keeps its form (every kind ticked, the new one too) and runs again.
    const QueryForm form = query_->form();
    plan_.reset();
    planQuery_.reset();
    planDrag_.reset();
    export_.reset();
    query_.reset();
    hoveredHub_ = -1;
    loader_->reloadHubs();
    renderer_->setHubs(hubs(), loader_->takeHubLevels());
    query_ = std::make_unique<QueryController>(data(), hubs(), wakeEventLoop);
    const std::vector<bool> kinds = query_->form().kinds;
    query_->form() = form;
    query_->form().kinds = kinds;
    export_ = std::make_unique<ExportController>(data());
    plan_ = std::make_unique<PlanController>(data(), loader_->dbPath());
    layers_.hubKinds.assign(hubs().kinds.size(), true);
    rebuildFonts();  // new names may need glyphs the atlas lacks
    recolourAll();
    query_->request();
}

void ViewerApp::saveSessionSettings() {
    if (!settingsDir_) return;
    ViewerSettings s;
    glfwGetWindowSize(window_, &s.width, &s.height);
    s.width = std::clamp(s.width, 64, 16384);
    s.height = std::clamp(s.height, 64, 16384);
    s.panel = currentPanel_;
    s.labels = showLabels_;
    try {
        saveSettings(*settingsDir_, s);
        ImGui::SaveIniSettingsToDisk((*settingsDir_ / "imgui.ini").string().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hubmap-viewer: warning: settings not saved: %s\n", e.what());
    }
}

void ViewerApp::printRequested() {
    printRequested_ = false;
    printSpec_.title = printTitle_;
    setHovered(-1);  // the page shows no hover highlight
    try {
        const auto t0 = Clock::now();
        const PageSize page = printPage(printPath_, printSpec_);
        printMessage_ = fmt::format("Wrote {} ({}x{}, {} dpi) in {:.1f} s", printPath_, page.width, page.height,
                                    printSpec_.dpi, msSince(t0) / 1000);
        printFailed_ = false;
    } catch (const std::exception& e) {
        printMessage_ = e.what();
        printFailed_ = true;
    }
}

int ViewerApp::run() {
    if (!steps_.empty()) return runScript();
    if (offscreen_) return runScreenshot();
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
