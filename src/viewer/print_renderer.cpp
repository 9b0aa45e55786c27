// hubmap-viewer's print: the current map as a page (title, map, legend, scale bar, the
// query, the date made and the credits) rendered offscreen at the print's resolution and
// written as a PNG. The page text is drawn by a second ImGui context whose fonts are
// rasterised at the print's sizes, so nothing is scaled up from screen glyphs.

#include <epoxy/gl.h>
// epoxy first (see viewer_app.cpp).
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "viewer/map_drawing.hpp"
#include "viewer/print_layout.hpp"
#include "viewer/scale_bar.hpp"
#include "viewer/viewer_app_impl.hpp"

namespace hubmap::viewer::detail {

namespace {

/// An ImGui context of its own for the page, with its own GL backend; the viewer's
/// context is current again when it goes.
class PageContext {
public:
    PageContext() : previous_(ImGui::GetCurrentContext()), context_(ImGui::CreateContext()) {
        ImGui::SetCurrentContext(context_);
        ImGui::GetIO().IniFilename = nullptr;
    }
    ~PageContext() {
        if (backend_) ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(context_);
        ImGui::SetCurrentContext(previous_);
    }
    PageContext(const PageContext&) = delete;
    PageContext& operator=(const PageContext&) = delete;
    /// After the fonts are in the atlas.
    void startBackend() {
        ImGui_ImplOpenGL3_Init("#version 330 core");
        backend_ = true;
    }

private:
    ImGuiContext* previous_;
    ImGuiContext* context_;
    bool backend_ = false;
};

/// The largest framebuffer this GL draws into in one piece.
int maxFramebufferSide() {
    GLint renderbuffer = 0, viewport[2] = {0, 0};
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &renderbuffer);
    glGetIntegerv(GL_MAX_VIEWPORT_DIMS, viewport);
    return std::min({renderbuffer, viewport[0], viewport[1]});
}

}  // namespace

PageSize ViewerApp::printPage(const std::string& path, const PrintSpec& spec) {
    const PrintLayout layout = printLayout(spec);
    const int w = layout.page.width, h = layout.page.height;
    if (const int limit = maxFramebufferSide(); w > limit || h > limit) {
        throw Error(fmt::format(
            "a {}x{} page is larger than this OpenGL draws in one piece ({} px a side): use a lower --print-dpi", w, h,
            limit));
    }
    const ViewTransform view = printView(view_, layout);
    uploadLevels(loader_->waitForLevel(levelIndexFor(view.pixelsPerMetre())));  // the page's detail
    const std::shared_ptr<const CoverageResult> shown = query_->result();
    const CoverageOptions query = shown ? shown->options : query_->options();
    const bool hasRadius = shown && shown->options.hasRadius();

    // Everything the page says, for the atlas's glyphs and then for drawing.
    const std::string title = spec.title.empty() ? defaultPrintTitle(query, colours_.mode) : spec.title;
    std::vector<std::string> kindLabels;
    for (std::size_t k = 0; k < hubs().kinds.size(); ++k)
        kindLabels.push_back(hubStyle(hubs().kinds[k], k, data().kindLabels).labelJa);
    const std::vector<std::string> queryLines = printQueryLines(query, hubs().kinds, kindLabels, data());
    const std::vector<std::string> credits = printCredits(data());
    const std::string made = printMadeLine(todayUtc());
    const std::string legendHeading =
        legendTitle(colours_.mode, hasRadius ? std::optional(shown->options.radiusKm.value_or(0)) : std::nullopt);
    std::vector<LegendEntry> legend = fillLegend(colours_.mode, hasRadius);
    const ScaleBar bar = chooseScaleBar(view, projection(), 40 * layout.pxPerMm);
    const PlaceNameIndex& placeNames = loader_->waitForPlaceNames();

    std::vector<const std::string*> texts{&title, &made, &legendHeading, &bar.label};
    const std::string slash = " / ";
    texts.push_back(&slash);
    for (const std::vector<std::string>* list :
         {&queryLines, &credits, static_cast<const std::vector<std::string>*>(&kindLabels)}) {
        for (const std::string& s : *list) texts.push_back(&s);
    }
    for (const LegendEntry& e : legend) texts.push_back(&e.label);
    // Names the map may show: the prefectures and the municipalities and 大字 in view.
    const WorldBounds visible = view.visibleBounds();
    for (const Prefecture& p : data().prefectures) texts.push_back(&p.name);
    for (std::size_t i = 0; i < data().municipalities.size(); ++i) {
        if (mapIndex().municipalityBounds[i].intersects(visible)) texts.push_back(&data().municipalities[i].name);
    }
    if (showLabels_) {
        for (std::size_t i : placeNames.within(visible, 3 * kMaxPlaceLabels)) texts.push_back(&placeNames.name(i));
    }
    const std::string headings[] = {"Legend 凡例", "Query 条件"};
    for (const std::string& s : headings) texts.push_back(&s);

    PageContext page;
    const std::vector<ImFont*> f = loadFontSizes(
        options_.fontPath, texts,
        {layout.titlePx, layout.headingPx, layout.bodyPx, layout.smallPx, layout.labelPx, layout.smallLabelPx});
    ImFont *titleFont = f[0], *headingFont = f[1], *bodyFont = f[2], *smallFont = f[3], *labelFont = f[4],
           *placeFont = f[5];
    page.startBackend();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const ImU32 ink = IM_COL32(25, 25, 30, 255), grey = IM_COL32(90, 90, 90, 255);
    const float px = static_cast<float>(layout.pixelScale);
    auto v2 = [](double x, double y) { return ImVec2(static_cast<float>(x), static_cast<float>(y)); };
    const ScreenRect& m = layout.map;

    // Map labels, clipped to the map.
    dl->PushClipRect(v2(m.x, m.y), v2(m.x + m.width, m.y + m.height), true);
    if (showLabels_) {
        const LabelFonts labelFonts{labelFont, layout.labelPx,      headingFont, layout.headingPx,
                                    placeFont, layout.smallLabelPx, px};
        drawMapLabels(dl, view, LabelSources{&data(), &mapIndex(), &placeNames, selected_}, labelFonts);
    }
    // Scale bar on a white box in the map's lower left.
    {
        const float pad = static_cast<float>(2 * layout.pxPerMm);
        const float x0 = static_cast<float>(m.x) + 2 * pad, yb = static_cast<float>(m.y + m.height) - 2 * pad;
        const ImVec2 labelSize = bodyFont->CalcTextSizeA(layout.bodyPx, 1e9f, 0, bar.label.c_str());
        const float x1 = x0 + static_cast<float>(bar.pixels);
        dl->AddRectFilled(ImVec2(x0 - pad, yb - labelSize.y - 3 * pad), ImVec2(x1 + pad + labelSize.x + pad, yb + pad),
                          IM_COL32(255, 255, 255, 255));
        const float y = yb - pad;
        const float t = 1.5f * px;
        dl->AddLine(ImVec2(x0, y), ImVec2(x1, y), ink, t);
        dl->AddLine(ImVec2(x0, y - 3 * pad), ImVec2(x0, y), ink, t);
        dl->AddLine(ImVec2(x1, y - 3 * pad), ImVec2(x1, y), ink, t);
        dl->AddText(bodyFont, layout.bodyPx, ImVec2(x1 + pad, y - labelSize.y * 0.85f), ink, bar.label.c_str());
    }
    dl->PopClipRect();
    dl->AddRect(v2(m.x, m.y), v2(m.x + m.width, m.y + m.height), ink, 0.f, 0, px);

    // Title, then the side column: legend and query.
    dl->AddText(titleFont, layout.titlePx, v2(layout.title.x, layout.title.y), ink, title.c_str());
    const ScreenRect& side = layout.side;
    const float wrap = static_cast<float>(side.width);
    dl->AddText(headingFont, layout.headingPx, v2(side.x, side.y), ink, headings[0].c_str());
    dl->AddText(bodyFont, layout.bodyPx, v2(side.x, side.y + layout.headingPx * 1.05), grey, legendHeading.c_str(),
                nullptr, wrap);
    int row = 0;
    auto legendRow = [&](const std::string& label) {
        const ScreenRect s = layout.legendSwatch(row++);
        dl->AddText(bodyFont, layout.bodyPx, v2(s.x + s.width * 1.6, s.y + s.height / 2 - layout.bodyPx / 2), ink,
                    label.c_str());
        return s;
    };
    for (const LegendEntry& e : legend) {
        const ScreenRect s = legendRow(e.label);
        dl->AddRectFilled(v2(s.x, s.y), v2(s.x + s.width, s.y + s.height), e.colour.packed());
        dl->AddRect(v2(s.x, s.y), v2(s.x + s.width, s.y + s.height), IM_COL32(90, 90, 90, 255), 0.f, 0, px * 0.75f);
    }
    if (layers_.hubs) {
        for (std::size_t k = 0; k < hubs().kinds.size(); ++k) {
            if (!layers_.hubKinds[k]) continue;
            const ScreenRect s = legendRow(kindLabels[k]);
            drawSymbol(dl, v2(s.x + s.width / 2, s.y + s.height / 2), static_cast<float>(s.width),
                       hubStyle(hubs().kinds[k], k, data().kindLabels));
        }
    }
    if (hasRadius && layers_.uncovered && query_->overlay() && query_->overlay()->hasUncovered()) {
        const ScreenRect s = legendRow("uncovered part (hatched)");
        dl->AddRectFilled(v2(s.x, s.y), v2(s.x + s.width, s.y + s.height),
                          Rgba{palette::kUncovered.r, palette::kUncovered.g, palette::kUncovered.b, 150}.packed());
    }
    float y = static_cast<float>(layout.legendTop + (row + 1) * layout.legendPitch);
    dl->AddText(headingFont, layout.headingPx, ImVec2(static_cast<float>(side.x), y), ink, headings[1].c_str());
    y += layout.headingPx * 1.1f;
    for (const std::string& line : queryLines) {
        dl->AddText(bodyFont, layout.bodyPx, ImVec2(static_cast<float>(side.x), y), ink, line.c_str(), nullptr, wrap);
        y += bodyFont->CalcTextSizeA(layout.bodyPx, 1e9f, wrap, line.c_str()).y + layout.bodyPx * 0.2f;
    }

    // Footer: the date made, then every credit, wrapped to the page's width.
    std::string creditText;
    for (const std::string& c : credits) creditText += (creditText.empty() ? "" : " / ") + c;
    const ImVec2 footer = v2(layout.footer.x, layout.footer.y);
    dl->AddText(smallFont, layout.smallPx, footer, grey, made.c_str());
    dl->AddText(smallFont, layout.smallPx, ImVec2(footer.x, footer.y + layout.smallPx * 1.05f), grey,
                creditText.c_str(), nullptr, static_cast<float>(layout.footer.width));
    ImGui::Render();

    // The map first (sea and land inside the map rectangle), then the page's text on top.
    gl::RenderTarget target(w, h);
    target.bind();
    glViewport(0, 0, w, h);
    glClearColor(1, 1, 1, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    renderer_->setPixelScale(layout.pixelScale);
    renderer_->draw(view, layers_, selected_, w, h);
    renderer_->setPixelScale(1);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glFinish();
    writePng(path, capture(w, h));
    return layout.page;
}

}  // namespace hubmap::viewer::detail
