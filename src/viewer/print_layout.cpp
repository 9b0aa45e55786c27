#include "viewer/print_layout.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "core/credits.hpp"
#include "core/version.hpp"

namespace hubmap::viewer {

namespace {

constexpr double kMmPerInch = 25.4;

/// A text size in points (1/72 inch, of the em) to ImGui's line size in pixels at `dpi`.
float pointsToPx(double points, int dpi) { return static_cast<float>(points * dpi / 72.0) * kFontLinePerEm; }

std::string joined(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

}  // namespace

std::optional<Paper> parsePaper(const std::string& s) {
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "a4") return Paper::A4;
    if (lower == "a3") return Paper::A3;
    return std::nullopt;
}

PageSize pageSize(const PrintSpec& spec) {
    // ISO 216 in millimetres, portrait.
    const double wMm = spec.paper == Paper::A3 ? 297 : 210;
    const double hMm = spec.paper == Paper::A3 ? 420 : 297;
    const auto px = [&](double mm) { return static_cast<int>(std::lround(mm / kMmPerInch * spec.dpi)); };
    PageSize p{px(wMm), px(hMm)};
    if (spec.landscape) std::swap(p.width, p.height);
    return p;
}

PrintLayout printLayout(const PrintSpec& spec) {
    PrintLayout l;
    l.page = pageSize(spec);
    l.pxPerMm = spec.dpi / kMmPerInch;
    l.pixelScale = spec.dpi / 96.0;
    l.titlePx = pointsToPx(18, spec.dpi);
    l.headingPx = pointsToPx(10, spec.dpi);
    l.bodyPx = pointsToPx(8, spec.dpi);
    l.smallPx = pointsToPx(6.5, spec.dpi);
    l.labelPx = pointsToPx(7, spec.dpi);
    l.smallLabelPx = pointsToPx(5.5, spec.dpi);
    const double mm = l.pxPerMm;
    const double margin = 10 * mm, gap = 5 * mm;
    const double w = l.page.width, h = l.page.height;
    l.title = {margin, margin, w - 2 * margin, l.titlePx * 1.1};
    // The footer: the date made and up to three credit lines.
    const double footerHeight = 4 * l.smallPx * 1.05;
    l.footer = {margin, h - margin - footerHeight, w - 2 * margin, footerHeight};
    // The side column is a fixed share of the page, narrower in portrait.
    const double sideWidth = std::min(75 * mm, 0.3 * (w - 2 * margin));
    const double mapTop = l.title.y + l.title.height + 3 * mm;
    l.map = {margin, mapTop, w - 2 * margin - sideWidth - gap, l.footer.y - 3 * mm - mapTop};
    l.side = {l.map.x + l.map.width + gap, mapTop, sideWidth, l.map.height};
    l.legendTop = l.side.y + l.headingPx * 1.1 + l.bodyPx * 1.2;  // below the heading and its subheading
    l.legendPitch = l.bodyPx * 1.15;
    return l;
}

ScreenRect PrintLayout::legendSwatch(int i) const {
    const double size = bodyPx / kFontLinePerEm * 1.1;  // a little above the text's em
    return {side.x, legendTop + i * legendPitch + (legendPitch - size) / 2, size, size};
}

ViewTransform printView(const ViewTransform& screen, const PrintLayout& layout) {
    const ScreenRect& from = screen.mapArea();
    const double factor = std::min(layout.map.width / from.width, layout.map.height / from.height);
    ViewTransform v;
    v.setWindow(layout.page.width, layout.page.height, layout.map);
    v.setCentre(screen.centre());
    v.setPixelsPerMetre(screen.pixelsPerMetre() * factor);
    return v;
}

std::string defaultPrintTitle(const CoverageOptions& query, ColourMode mode) {
    std::string title;
    if (mode == ColourMode::Designation) {
        title = "過疎地域の指定";
    } else if (query.radiusKm && query.radiusKmByKind.empty()) {
        title = fmt::format("過疎地域のカバー率（拠点から {:g} km 以内の面積）", *query.radiusKm);
    } else if (query.hasRadius()) {
        title = "過疎地域のカバー率（拠点から半径内の面積）";
    } else {
        title = "拠点のある過疎市町村";
    }
    if (!query.prefectures.empty()) title = joined(query.prefectures, "・") + " " + title;
    return title;
}

std::vector<std::string> printQueryLines(const CoverageOptions& query, const std::vector<std::string>& kinds,
                                         const std::vector<std::string>& kindLabels, const Dataset& data) {
    auto labelOf = [&](const std::string& kind) {
        const auto it = std::find(kinds.begin(), kinds.end(), kind);
        const std::size_t k = static_cast<std::size_t>(it - kinds.begin());
        return it != kinds.end() && k < kindLabels.size() ? kindLabels[k] : kind;
    };
    std::vector<std::string> lines;
    std::vector<std::string> types;
    for (DesignationType t : query.designations) {
        std::string label(designationLabelJa(t));
        if (t == DesignationType::Partial) {
            label += query.partial == PartialMeasure::Whole ? " (measured whole)" : " (designated part)";
        }
        types.push_back(label);
    }
    lines.push_back("Designations: " + joined(types, ", "));
    if (!query.prefectures.empty()) lines.push_back("Prefectures: " + joined(query.prefectures, ", "));
    std::vector<std::string> kindNames;
    for (const std::string& k : query.kinds.empty() ? kinds : query.kinds) kindNames.push_back(labelOf(k));
    lines.push_back(std::string(query.kinds.empty() ? "Hub kinds: all (" : "Hub kinds: ") + joined(kindNames, ", ") +
                    (query.kinds.empty() ? ")" : ""));
    if (!query.hasRadius()) {
        lines.push_back("Radius: none (a hub inside the municipality counts)");
    } else {
        std::vector<std::string> radii;
        if (query.radiusKm)
            radii.push_back(
                fmt::format("{:g} km{}", *query.radiusKm, query.radiusKmByKind.empty() ? " from every hub" : ""));
        for (const auto& [kind, km] : query.radiusKmByKind)
            radii.push_back(fmt::format("{} {:g} km", labelOf(kind), km));
        lines.push_back("Radius: " + joined(radii, ", "));
    }
    if (query.openedBefore) lines.push_back("Hubs opened before " + *query.openedBefore);
    for (const SourceInfo& s : data.sources) {
        lines.push_back(fmt::format("Data: {} ({})", s.name, s.vintage.empty() ? "undated" : s.vintage));
    }
    return lines;
}

std::vector<std::string> printCredits(const Dataset& data) {
    std::vector<std::string> credits{kMlitBoundaryCredit};
    for (const SourceInfo& s : data.sources) {
        if (!s.credit.empty() && std::find(credits.begin(), credits.end(), s.credit) == credits.end()) {
            credits.push_back(s.credit);
        }
    }
    return credits;
}

std::string printMadeLine(const std::string& date) { return fmt::format("Made {} with hubmap {}", date, kVersion); }

std::string todayUtc() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
    return text;
}

}  // namespace hubmap::viewer
