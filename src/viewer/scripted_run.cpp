// hubmap-viewer's scripted runs: --screenshot (with --drag) renders the map and panels
// once offscreen and writes a PNG; --script takes several such pictures in one run (the data
// loaded and the map built once); --bench-frames times frames, startup and radius changes.

#include <epoxy/gl.h>
// epoxy first (see viewer_app.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

#include "core/error.hpp"
#include "viewer/viewer_app_impl.hpp"

namespace hubmap::viewer::detail {

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

int ViewerApp::runScreenshot() {
    // The level of detail the view draws (a drag keeps the zoom) and the query the options
    // asked for, before the picture; the 大字 names where the view shows them.
    uploadLevels(loader_->waitForLevel(levelIndexFor(view_.pixelsPerMetre())));
    if (view_.zoomLevel() >= kPlaceNameMinZoom) loader_->waitForPlaceNames();
    query_->waitIdle();
    pollQuery();
    if (!query_->error().empty()) throw UsageError(query_->error());
    if (options_.drop) {
        // As a drop on the window: the preview, and with --drop-import the import and the
        // hubs reloaded, as the dialog's Import button does.
        onDrop(1, std::vector<const char*>{options_.drop->c_str()}.data());
        import_->wait();
        if (options_.dropImport && import_->stage() == ImportController::Stage::Preview) {
            import_->options().skipInvalid = true;
            import_->startImport();
            import_->wait();
            if (import_->takeImported()) reloadHubsAfterImport();
            query_->waitIdle();
            pollQuery();
        }
    }
    applyPlanOptions();
    if (options_.screenshot) writeScreenshot();
    if (options_.print) {
        const auto t0 = Clock::now();
        const PageSize page = printPage(*options_.print, options_.printSpec);
        if (!options_.quiet) {
            std::fprintf(stderr, "hubmap-viewer: wrote %s (%dx%d, %d dpi) in %.0f ms\n", options_.print->c_str(),
                         page.width, page.height, options_.printSpec.dpi, msSince(t0));
        }
    }
    return 0;
}

int ViewerApp::runScript() {
    for (std::size_t i = 0; i < steps_.size(); ++i) {
        options_ = steps_[i];
        try {
            if (i > 0) resetForStep();
            applyStartOptions();
            runScreenshot();
        } catch (const UsageError& e) {
            throw UsageError(fmt::format("{}: {}", options_.scriptLine, e.what()));
        } catch (const Error& e) {
            throw Error(fmt::format("{}: {}", options_.scriptLine, e.what()));
        }
    }
    return 0;
}

void ViewerApp::resetForStep() {
    // The controllers as start() makes them (the last step's query, plan and messages go);
    // what the data built stays: the map's levels, the hubs' symbols, the fonts, the window.
    plan_.reset();
    import_.reset();
    export_.reset();
    query_.reset();
    query_ = std::make_unique<QueryController>(data(), hubs(), wakeEventLoop);
    export_ = std::make_unique<ExportController>(data());
    import_ = std::make_unique<ImportController>(loader_->dbPath());
    plan_ = std::make_unique<PlanController>(data(), loader_->dbPath());
    planQuery_.reset();
    planDrag_.reset();
    planNotice_.clear();
    dropMessage_.clear();
    copiedMessage_.clear();
    printMessage_.clear();
    printFailed_ = false;
    printRequested_ = false;
    printSpec_ = options_.printSpec;
    std::snprintf(printPath_, sizeof printPath_, "%s", options_.print ? options_.print->c_str() : "hubmap-map.png");
    std::snprintf(printTitle_, sizeof printTitle_, "%s", options_.printSpec.title.c_str());
    searchText_[0] = '\0';
    searchResults_.clear();
    focusSearch_ = false;
    // Nothing selected, hovered or dragged; the layers, colours and tab of a fresh start.
    selected_ = hovered_ = hoveredHub_ = -1;
    dragging_ = false;
    mapHovered_ = false;
    cursorLonLat_.reset();
    scriptedHover_ = false;
    colours_ = ColourInputs{};
    layers_ = LayerVisibility{};
    layers_.hubKinds.assign(hubs().kinds.size(), true);
    showLabels_ = true;
    currentPanel_ = "layers";
    panelApplied_ = false;
    ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // a --hover's mouse leaves
    renderer_->setOverlay(nullptr);
    renderer_->forgetPicture();
    // The view as start() sets it up: its map area follows the (cleared) selection.
    view_ = ViewTransform{};
    updateLayout();
}

void ViewerApp::writeScreenshot() {
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
    if (options_.hover) {
        // The mouse at a pixel: a frame that reads it as a user's would, the tooltip in the picture.
        loader_->waitForPlaceNames();
        scriptedHover_ = true;
        for (int i = 0; i < 3; ++i) frame(false);
    }
    const double renderedMs = msSince(processStart_);
    glFinish();
    const Image image = capture(width_, height_);
    writePng(*options_.screenshot, image);
    if (!options_.quiet) {
        std::fprintf(stderr, "hubmap-viewer: wrote %s (%dx%d), rendered %.0f ms after start\n",
                     options_.screenshot->c_str(), width_, height_, renderedMs);
    }
}

int ViewerApp::runBenchmark() {
    // Start to first complete frame: everything loaded, the map and panels drawn.
    frame(false);
    glfwSwapBuffers(window_);
    const double firstFrame = firstFrameMs_;
    const auto levelsStart = Clock::now();
    uploadLevels(loader_->waitForAllLevels());
    const double levelsMs = msSince(levelsStart);
    query_->waitIdle();
    pollQuery();

    // Pan across Japan from Kyushu to Hokkaido while zooming in and out.
    const WorldPoint from = projection().forward(130.5, 32.5);
    const WorldPoint to = projection().forward(142.5, 43.0);
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
    const int profiled = std::min(options_.benchFrames, 60);
    auto profileLayers = [&] {
        RenderStats mean;
        double imguiMs = 0, imguiVertices = 0, frameMs = 0, swapMs = 0;
        renderer_->setProfiling(true);
        profileImGui_ = true;
        for (int i = 0; i < profiled; ++i) {
            const double t = profiled > 1 ? static_cast<double>(i) / (profiled - 1) : 0.0;
            view_.setCentre({from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t});
            view_.setZoomLevel(6.5 + 1.5 * std::sin(t * 6.283185307 * 2));
            glFinish();
            const double c0 = processCpuMs();
            frame(false);
            glFinish();
            const double c1 = processCpuMs();
            glfwSwapBuffers(window_);
            glFinish();
            frameMs += (c1 - c0) / profiled;
            swapMs += (processCpuMs() - c1) / profiled;
            const RenderStats& s = renderer_->stats();
            mean.fillMs += s.fillMs / profiled;
            mean.prefectureBordersMs += s.prefectureBordersMs / profiled;
            mean.overlayMs += s.overlayMs / profiled;
            mean.catchmentsMs += s.catchmentsMs / profiled;
            mean.hubsMs += s.hubsMs / profiled;
            imguiMs += imguiCpuMs_ / profiled;
            imguiVertices += static_cast<double>(imguiVertices_) / profiled;
        }
        profileImGui_ = false;
        renderer_->setProfiling(false);
        return fmt::format(
            "fill with municipal borders {:.2f} ms, uncovered areas {:.2f} ms, prefecture borders {:.2f} ms, "
            "catchments' own pass {:.2f} ms, hubs {:.2f} ms, ImGui's panels and labels {:.2f} ms ({:.0f} vertices); "
            "the rest of the frame (building the panels and labels, clears) {:.2f} ms; presenting it "
            "(glfwSwapBuffers) {:.2f} ms",
            mean.fillMs, mean.overlayMs, mean.prefectureBordersMs, mean.catchmentsMs, mean.hubsMs, imguiMs,
            imguiVertices,
            frameMs - mean.fillMs - mean.overlayMs - mean.prefectureBordersMs - mean.catchmentsMs - mean.hubsMs -
                imguiMs,
            swapMs);
    };
    const std::string layerTimes = profileLayers();
    auto quantile = [](std::vector<double> v, double q) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[std::min(v.size() - 1, static_cast<std::size_t>(q * v.size()))];
    };
    const RenderStats& s = renderer_->stats();
    std::printf("hubmap-viewer benchmark: %dx%d, %zu municipalities, %zu hubs drawn (%zu kinds)\n", width_, height_,
                data().municipalities.size(), hubs().size(), hubs().kinds.size());
    std::printf(
        "  start to first complete frame: %.0f ms (data %.0f ms, then geometry %.0f ms; in parallel: window "
        "%.0f ms, then fonts %.0f ms once the data is in; then GPU upload %.0f ms)\n",
        firstFrame, loader_->loadMs(), loader_->geometryMs(), startup_.window, startup_.fonts, startup_.upload);
    std::printf("  finer levels of detail ready %.0f ms after the first frame\n", levelsMs);
    std::printf(
        "  frames while dragging (24 px a frame at zoom 5.5, 7.5, 9.5): %zu, wall median %.2f ms, p95 %.2f ms, "
        "max %.2f ms; map pixels drawn afresh per frame median %.0f\n",
        dragTimes.size(), quantile(dragTimes, 0.5), quantile(dragTimes, 0.95), quantile(dragTimes, 1.0),
        quantile(dragPixels, 0.5));
    std::printf(
        "  frames while panning and zooming at once: %d, wall median %.2f ms, p95 %.2f ms, max %.2f ms; process "
        "CPU per frame median %.2f ms, p95 %.2f ms (last frame: %zu triangles, %zu segments, %zu symbols)\n",
        options_.benchFrames, quantile(times, 0.5), quantile(times, 0.95), quantile(times, 1.0),
        quantile(cpuTimes, 0.5), quantile(cpuTimes, 0.95), s.triangles, s.segments, s.symbols);

    std::printf("  mean CPU per layer: %s\n", layerTimes.c_str());

    // A radius change (as the Query panel's slider makes), frames drawn as the interactive
    // loop draws them while a query runs (one every 1/30 s, sooner when the query ends): the
    // figures on the screen first, the catchments (the GPU's distance field) in a later
    // frame, once their figures are shown or after QueryController::kCatchmentsWait.
    for (float radius : {10.f, 5.f}) {
        query_->form().useRadius = true;
        query_->form().radiusKm = radius;
        const auto t0 = Clock::now();
        const double c0 = processCpuMs();
        query_->request();
        double figures = -1, drawn = -1, field = 0, fieldCpu = 0, queryCpu = 0;
        std::size_t disks = 0, candidates = 0;
        for (;;) {
            frame(false);
            glfwSwapBuffers(window_);
            glFinish();
            if (figures < 0 && query_->result() && query_->result()->options.radiusKm == static_cast<double>(radius)) {
                figures = msSince(t0);
                queryCpu = processCpuMs() - c0;  // the frames drawn meanwhile included
            }
            if (!query_->error().empty()) throw Error(query_->error());
            if (drawn < 0 && renderer_->stats().catchmentFieldMs > 0) {
                drawn = msSince(t0);
                field = renderer_->stats().catchmentFieldMs;
                fieldCpu = renderer_->stats().catchmentFieldCpuMs;
                disks = renderer_->stats().catchmentDisks;
                candidates = renderer_->stats().catchmentCandidates;
            }
            if (figures >= 0 && drawn >= 0) break;
            if (figures < 0) query_->waitIdleFor(std::chrono::milliseconds(33));
        }
        query_->waitIdle();
        const double wall = msSince(t0);
        pollQuery();
        if (!query_->error().empty()) throw Error(query_->error());
        const std::string then = query_->drawsGeometry()
                                     ? fmt::format(", then uncovered areas {:.0f} ms + map overlay {:.0f} ms",
                                                   query_->lastOutcome().queryMs, query_->lastOutcome().overlayMs)
                                     : fmt::format(" ({} hubs: uncovered areas not hatched above {})",
                                                   query_->queriedHubCount(), QueryController::kMaxHubsForGeometry);
        std::printf(
            "  radius change to %.0f km: figures on the screen %.0f ms (query %.0f ms, CPU to then %.0f ms)%s; "
            "catchments drawn %.0f ms (distance field %.0f ms, CPU %.0f ms, %zu of %zu disks); request to "
            "everything %.0f ms\n",
            radius, figures, query_->drawsGeometry() ? query_->figuresMs() : query_->lastOutcome().queryMs, queryCpu,
            then.c_str(), drawn, field, fieldCpu, disks, candidates, wall);
    }
    // The pan and zoom pass again with the catchments (5 km) on the map.
    std::vector<double> catchmentTimes, catchmentCpuTimes;
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
        catchmentTimes.push_back(msSince(t0));
        catchmentCpuTimes.push_back(processCpuMs() - c0);
    }
    std::printf(
        "  frames while panning and zooming at once with catchments: %d, wall median %.2f ms, p95 %.2f ms; process "
        "CPU per frame median %.2f ms, p95 %.2f ms (last frame: %zu triangles with the uncovered areas, %zu "
        "of them read the catchments' field)\n",
        options_.benchFrames, quantile(catchmentTimes, 0.5), quantile(catchmentTimes, 0.95),
        quantile(catchmentCpuTimes, 0.5), quantile(catchmentCpuTimes, 0.95), renderer_->stats().triangles,
        renderer_->stats().fieldTriangles);
    std::printf("  mean CPU per layer with catchments: %s\n", profileLayers().c_str());
    std::fflush(stdout);
    return 0;
}

}  // namespace hubmap::viewer::detail
