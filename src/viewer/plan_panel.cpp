// The Plan tab (hubmap-viewer): planned hubs placed with the mouse, their figures before and
// after, suggested sites, saving. The logic is PlanController's; this file draws it and turns
// the mouse into its calls.

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "report/text_table.hpp"
#include "viewer/viewer_app_impl.hpp"

namespace hubmap::viewer::detail {

namespace {

constexpr double kPickPixels = 9;  // a marker is picked within this distance
const ImU32 kPlannedFill = IM_COL32(214, 72, 24, 255);
const ImU32 kPlannedSelected = IM_COL32(255, 196, 0, 255);
const ImU32 kCatchmentFill = IM_COL32(214, 72, 24, 40);
const ImU32 kCatchmentLine = IM_COL32(214, 72, 24, 200);
const ImU32 kSuggestionFill = IM_COL32(255, 255, 255, 235);
const ImU32 kSuggestionLine = IM_COL32(40, 90, 200, 255);

/// The options the plan's figures depend on (a new result of the same query, such as its
/// geometry arriving, is no change).
bool sameQuery(const CoverageOptions& a, const CoverageOptions& b) {
    return a.designations == b.designations && a.prefectures == b.prefectures && a.kinds == b.kinds &&
           a.openedBefore == b.openedBefore && a.radiusKm == b.radiusKm && a.radiusKmByKind == b.radiusKmByKind &&
           a.partial == b.partial;
}

/// "after (+delta)" of an optional figure.
std::string figure(const std::optional<long long>& before, const std::optional<long long>& after) {
    if (!after) return "–";
    const long long d = *after - before.value_or(0);
    return d == 0 ? groupedThousands(*after)
                  : fmt::format("{} ({}{})", groupedThousands(*after), d > 0 ? "+" : "", groupedThousands(d));
}
std::string figure(const std::optional<double>& before, const std::optional<double>& after) {
    if (!after) return "–";
    const double d = *after - before.value_or(0);
    return std::fabs(d) < 0.05 ? fmt::format("{:.1f}", *after) : fmt::format("{:.1f} ({:+.1f})", *after, d);
}

void figuresRow(const char* label, const std::optional<double>& areaBefore, const std::optional<double>& area,
                const std::optional<long long>& settlementsBefore, const std::optional<long long>& settlements,
                const std::optional<long long>& peopleBefore, const std::optional<long long>& people) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(label);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(figure(areaBefore, area).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(figure(settlementsBefore, settlements).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(figure(peopleBefore, people).c_str());
}

void disabledWrapped(const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
}

/// A section's title (ImGui 1.86 has no SeparatorText).
void sectionTitle(const std::string& text) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted(text.c_str());
}

}  // namespace

void ViewerApp::syncPlanQuery() {
    // A plan costs a run of the query's figures: none until the Plan tab is opened.
    if (currentPanel_ != "plan" && !planQuery_) return;
    const CoverageResult* r = result();
    if (!r || (planQuery_ && sameQuery(*planQuery_, r->options))) return;
    planQuery_ = r->options;
    plan_->setQuery(r->options);
}

void ViewerApp::applyPlanOptions() {
    if (options_.plan.empty() && options_.planSuggest == 0) return;
    if (!result()) throw UsageError("--plan: the query gave no result");
    planQuery_ = result()->options;
    plan_->setQuery(result()->options);
    plan_->wait();
    if (!plan_->plan()) throw Error("--plan: " + plan_->message());
    for (const auto& [lon, lat] : options_.plan) {
        if (plan_->place(lon, lat) < 0) throw UsageError("--plan: " + plan_->message());
    }
    if (options_.planSuggest > 0) {
        plan_->suggestCount() = options_.planSuggest;
        plan_->startSuggest();
        plan_->wait();
        if (plan_->failed()) throw UsageError("--plan-suggest: " + plan_->message());
    }
}

bool ViewerApp::planInput(ScreenPoint p) {
    if (currentPanel_ != "plan" || !plan_->plan()) {
        planDrag_.reset();
        return false;
    }
    const WorldPoint w = view_.toWorld(p);
    const WorldPoint ll = projection().inverse(w.x, w.y);
    if (planDrag_) {
        if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
            planDrag_.reset();
        } else if (ImGui::GetIO().MouseDelta.x != 0 || ImGui::GetIO().MouseDelta.y != 0) {
            if (planDrag_->hub) {
                plan_->move(planDrag_->item, ll.x, ll.y);
            } else {
                plan_->moveSuggestion(static_cast<std::size_t>(planDrag_->item), ll.x, ll.y);
            }
        }
        return true;
    }
    // The marker under the mouse: planned hubs over suggestions, the nearest within reach.
    std::optional<PlanDrag> over;
    double best = kPickPixels * kPickPixels;
    auto consider = [&](double lon, double lat, bool hub, int item) {
        const ScreenPoint s = view_.toScreen(projection().forward(lon, lat));
        const double d2 = (s.x - p.x) * (s.x - p.x) + (s.y - p.y) * (s.y - p.y);
        if (d2 <= best) {
            best = d2;
            over = PlanDrag{hub, item};
        }
    };
    for (std::size_t i = 0; i < plan_->suggestions().size(); ++i) {
        consider(plan_->suggestions()[i].lon, plan_->suggestions()[i].lat, false, static_cast<int>(i));
    }
    for (const PlannedHub& h : plan_->plan()->hubs()) consider(h.lon, h.lat, true, h.id);
    if (over && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        planDrag_ = over;
        if (over->hub) plan_->selected() = over->item;
        return true;
    }
    if (over && ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
        if (over->hub) {
            plan_->remove(over->item);
        } else {
            plan_->drop(static_cast<std::size_t>(over->item));
        }
        return true;
    }
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        const double dx = mouse.x - pressPos_.x, dy = mouse.y - pressPos_.y;
        if (dx * dx + dy * dy < 9) {
            plan_->place(ll.x, ll.y);  // a click, not the end of a pan
            return true;
        }
    }
    return false;
}

void ViewerApp::drawPlanMarkers() {
    const PlanCoverage* plan = plan_->plan();
    if (!plan || (plan->hubs().empty() && plan_->suggestions().empty())) return;
    const ScreenRect& a = view_.mapArea();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    dl->PushClipRect(ImVec2(static_cast<float>(a.x), static_cast<float>(a.y)),
                     ImVec2(static_cast<float>(a.x + a.width), static_cast<float>(a.y + a.height)), true);
    auto screen = [&](double lon, double lat) {
        const ScreenPoint s = view_.toScreen(projection().forward(lon, lat));
        return ImVec2(static_cast<float>(s.x), static_cast<float>(s.y));
    };
    // Catchments as 64-gons of the geodesic circle (to well under a pixel at these radii).
    auto catchment = [&](double lon, double lat, double km) {
        constexpr int kVertices = 64;
        const double dLat = km / 110.574, dLon = km / (111.320 * std::cos(lat * M_PI / 180));
        std::vector<ImVec2> ring;
        for (int i = 0; i < kVertices; ++i) {
            const double t = 2 * M_PI * i / kVertices;
            ring.push_back(screen(lon + dLon * std::cos(t), lat + dLat * std::sin(t)));
        }
        dl->AddConvexPolyFilled(ring.data(), kVertices, kCatchmentFill);
        dl->AddPolyline(ring.data(), kVertices, kCatchmentLine, ImDrawFlags_Closed, 1.5f);
    };
    for (const PlannedHub& h : plan->hubs()) {
        if (const std::optional<double> km = plan->options().radiusFor(h.kind)) catchment(h.lon, h.lat, *km);
    }
    for (const PlannedHub& h : plan->hubs()) {
        const ImVec2 c = screen(h.lon, h.lat);
        dl->AddCircleFilled(c, 7.f, h.id == plan_->selected() ? kPlannedSelected : kPlannedFill);
        dl->AddCircle(c, 7.f, IM_COL32(255, 255, 255, 255), 0, 2.f);
    }
    for (const PlanSuggestion& s : plan_->suggestions()) {
        const ImVec2 c = screen(s.lon, s.lat);
        dl->AddCircleFilled(c, 10.f, kSuggestionFill);
        dl->AddCircle(c, 10.f, kSuggestionLine, 0, 2.f);
        const std::string rank = std::to_string(s.rank);
        const ImVec2 size = ImGui::CalcTextSize(rank.c_str());
        dl->AddText(ImVec2(c.x - size.x / 2, c.y - size.y / 2), kSuggestionLine, rank.c_str());
        const std::string gain = "+" + groupedThousands(s.gain);
        dl->AddText(ImVec2(c.x + 12, c.y - size.y / 2), IM_COL32(20, 40, 110, 255), gain.c_str());
    }
    dl->PopClipRect();
}

void ViewerApp::drawPlanTab() {
    ImGui::TextWrapped(
        "Click the map to place a hub, drag a marker to move it, right-click a marker to delete it (or drop a "
        "suggestion).");
    const PlanCoverage* plan = plan_->plan();
    if (!plan) {
        if (plan_->preparing()) {
            ImGui::TextDisabled("Computing the query's figures for the plan…");
        } else if (!result()) {
            ImGui::TextDisabled("Waiting for the query…");
        }
        if (!plan_->message().empty()) ImGui::TextWrapped("%s", plan_->message().c_str());
        return;
    }
    if (!plan->options().hasRadius()) {
        ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "No catchment radius: tick Radius in the Query tab.");
    }

    // The kind new hubs get: planned, or one the data has.
    if (ImGui::BeginCombo("Kind of new hubs", plan_->kind().c_str())) {
        std::vector<std::string> kinds{kPlannedKind};
        for (const std::string& k : hubs().kinds) {
            if (k != kPlannedKind) kinds.push_back(k);
        }
        for (const std::string& k : kinds) {
            if (ImGui::Selectable(k.c_str(), k == plan_->kind())) plan_->kind() = k;
        }
        ImGui::EndCombo();
    }

    // Figures before → after: the nation, and the selected hub's prefecture and municipality.
    sectionTitle("Covered (after, change)");
    const CoverageResult& r = plan->result();
    if (ImGui::BeginTable("planFigures", 4, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("");
        ImGui::TableSetupColumn("km²");
        ImGui::TableSetupColumn("settlements");
        ImGui::TableSetupColumn("people");
        ImGui::TableHeadersRow();
        const CoverageTotals& nb = plan->nationBefore();
        figuresRow("Query", nb.coveredKm2, r.nation.coveredKm2, nb.settlementsCovered, r.nation.settlementsCovered,
                   nb.populationCovered, r.nation.populationCovered);
        if (const PlannedHub* h = plan->find(plan_->selected())) {
            const int m = loader_->locator().find(h->lon, h->lat);
            const std::string code = m >= 0 ? data().municipalities[static_cast<std::size_t>(m)].code : "";
            for (std::size_t i = 0; i < r.municipalities.size(); ++i) {
                const MunicipalityCoverage& mc = r.municipalities[i];
                if (mc.code != code) continue;
                for (std::size_t p = 0; p < r.prefectures.size() && p < plan->prefecturesBefore().size(); ++p) {
                    if (r.prefectures[p].code != mc.prefectureCode) continue;
                    const CoverageTotals& a = r.prefectures[p].totals;
                    const CoverageTotals& b = plan->prefecturesBefore()[p].totals;
                    figuresRow(mc.prefecture.c_str(), b.coveredKm2, a.coveredKm2, b.settlementsCovered,
                               a.settlementsCovered, b.populationCovered, a.populationCovered);
                }
                const PlanRowBefore& b = plan->rowsBefore()[i];
                figuresRow(mc.name.c_str(), b.coveredKm2, mc.coveredKm2, b.settlementsCovered, mc.settlementsCovered,
                           b.populationCovered, mc.populationCovered);
            }
        }
        ImGui::EndTable();
    }
    ImGui::TextDisabled("Last update: %.0f ms, %d municipalities measured again", plan->lastUpdate().seconds * 1000,
                        plan->lastUpdate().rowsMeasured);

    sectionTitle(fmt::format("Planned hubs ({})", plan->hubs().size()));
    int removeId = -1;
    for (const PlannedHub& h : plan->hubs()) {
        ImGui::PushID(h.id);
        const int m = loader_->locator().find(h.lon, h.lat);
        const std::string where = m >= 0 ? data().municipalities[static_cast<std::size_t>(m)].name : "at sea";
        if (ImGui::Selectable(fmt::format("#{} {} ({:.4f}, {:.4f}) {}", h.id, where, h.lon, h.lat, h.kind).c_str(),
                              h.id == plan_->selected(), 0, ImVec2(ImGui::GetContentRegionAvail().x - 30, 0))) {
            plan_->selected() = h.id;
        }
        ImGui::SameLine();
        if (ImGui::SmallButton("x")) removeId = h.id;
        ImGui::PopID();
    }
    if (removeId >= 0) plan_->remove(removeId);
    if (!plan->hubs().empty() && ImGui::Button("Clear plan")) plan_->clear();

    sectionTitle("Suggest sites");
    ImGui::SetNextItemWidth(100);
    ImGui::InputInt("sites", &plan_->suggestCount());
    plan_->suggestCount() = std::clamp(plan_->suggestCount(), 1, 200);
    ImGui::SameLine();
    if (plan_->suggesting()) {
        if (ImGui::Button("Cancel")) plan_->cancelSuggest();
        const TaskProgress::Snapshot s = plan_->suggestProgress();
        ImGui::ProgressBar(static_cast<float>(s.fraction), ImVec2(-1, 0), s.step.c_str());
    } else if (ImGui::Button("Suggest")) {
        plan_->startSuggest();
    }
    std::optional<std::size_t> accept, drop;
    for (std::size_t i = 0; i < plan_->suggestions().size(); ++i) {
        const PlanSuggestion& s = plan_->suggestions()[i];
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::SmallButton("accept")) accept = i;
        ImGui::SameLine();
        if (ImGui::SmallButton("drop")) drop = i;
        ImGui::SameLine();
        ImGui::Text("%d  +%s  %s %s", s.rank, groupedThousands(s.gain).c_str(), s.municipality.c_str(),
                    s.district.c_str());
        ImGui::PopID();
    }
    if (accept) plan_->accept(*accept);
    if (drop) plan_->drop(*drop);
    if (plan_->suggestions().size() > 1 && ImGui::Button("Accept all")) plan_->acceptAll();
    if (const auto& last = plan_->lastSuggestion()) {
        disabledWrapped(fmt::format("{} reached: {} → {} with all sites, of {} (at most {} with {} sites)",
                                    suggestWeightKey(last->weight), groupedThousands(last->before),
                                    groupedThousands(last->after), groupedThousands(last->demand),
                                    groupedThousands(last->upper), last->sites.size()));
    }

    sectionTitle("Save and export");
    ImGui::SetNextItemWidth(200);
    ImGui::InputText("import source", plan_->sourceBuffer(), PlanController::kSourceBufferSize);
    ImGui::SameLine();
    ImGui::BeginDisabled(plan_->saving() || plan->hubs().empty());
    if (ImGui::Button("Save")) plan_->startSave();
    ImGui::EndDisabled();
    disabledWrapped(
        "Saved hubs join the database (hubmap hubs --remove-source removes them): the query then counts them and "
        "Export writes them with its layers.");
    ImGui::BeginDisabled(export_->running() || !query_->result());
    if (ImGui::Button("Export the query")) export_->start(query_->result());
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextDisabled("to %s", export_->pathBuffer());
    if (!export_->message().empty()) ImGui::TextWrapped("%s", export_->message().c_str());
    const std::string& message = plan_->message().empty() ? planNotice_ : plan_->message();
    if (!message.empty()) {
        if (plan_->failed()) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1));
        ImGui::TextWrapped("%s", message.c_str());
        if (plan_->failed()) ImGui::PopStyleColor();
    }
}

}  // namespace hubmap::viewer::detail
