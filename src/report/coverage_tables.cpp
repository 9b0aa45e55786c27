#include "report/coverage_tables.hpp"

#include <fmt/format.h>

#include <iterator>

#include "report/coverage_json.hpp"
#include "report/fields.hpp"
#include "report/text_table.hpp"

namespace hubmap {

namespace {

using Align = TextTable::Align;

std::string km2(double v) { return fmt::format("{:.1f}", v); }
std::string percent(double share) { return fmt::format("{:.1f}%", share * 100.0); }
template <class T>
std::string orDash(const std::optional<T>& v, std::string (*format)(double)) {
    return v ? format(static_cast<double>(*v)) : "-";
}

std::string list(const std::vector<std::string>& items, const char* separator = "、") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
    return out;
}

std::string radiusText(const CoverageOptions& o) {
    if (!o.hasRadius()) return "no radius";
    std::vector<std::string> parts;
    if (o.radiusKm) parts.push_back(fmt::format("{} km", *o.radiusKm));
    for (const auto& [kind, km] : o.radiusKmByKind) parts.push_back(fmt::format("{} {} km", kind, km));
    return "radius " + list(parts, ", ");
}

void appendNotes(std::string& out, const Dataset& data, const CoverageResult& result) {
    for (const auto& note : coverageNotes(data, result)) out += fmt::format("note: {}\n", note);
}

/// Columns of a prefecture or nation row.
TextTable totalsTable(bool radius, bool settlements, bool withCode) {
    std::vector<TextTable::Column> columns;
    if (withCode) columns.push_back({"CODE", Align::Right});
    columns.insert(columns.end(), {{"PREFECTURE"},
                                   {"DESIGNATED", Align::Right},
                                   {"WITH HUB", Align::Right},
                                   {"SHARE", Align::Right},
                                   {"HUBS", Align::Right},
                                   {"AREA km²", Align::Right}});
    if (radius) {
        columns.push_back({"COVERED km²", Align::Right});
        columns.push_back({"AREA SHARE", Align::Right});
    }
    if (settlements) columns.push_back({"SETTLEMENTS COVERED", Align::Right});
    columns.push_back({"UNCOVERED (no hub inside)", Align::Left, 60});
    return TextTable(std::move(columns));
}

std::vector<std::string> totalsRow(const Dataset& data, const CoverageTotals& t, const std::string& name,
                                   std::optional<int> code, bool codeColumn, bool radius, bool settlements,
                                   bool listUncovered) {
    std::vector<std::string> row;
    if (codeColumn) row.push_back(code ? fmt::format("{:02d}", *code) : "");
    row.push_back(name);
    row.push_back(std::to_string(t.designated));
    row.push_back(std::to_string(t.covered));
    row.push_back(t.designated > 0 ? percent(static_cast<double>(t.covered) / t.designated) : "-");
    row.push_back(t.prefectureOnlyHubs > 0 ? fmt::format("{} (+{} pref.)", t.hubs, t.prefectureOnlyHubs)
                                           : std::to_string(t.hubs));
    row.push_back(km2(t.designatedKm2));
    if (radius) {
        row.push_back(orDash(t.coveredKm2, km2));
        row.push_back(orDash(t.coveredShare, percent));
    }
    if (settlements) {
        row.push_back(t.settlements && t.settlementsCovered
                          ? fmt::format("{} / {} ({})", *t.settlementsCovered, *t.settlements,
                                        orDash(t.settlementShare, percent))
                          : "-");
    }
    const size_t uncovered = t.uncoveredCodes.size();
    row.push_back(uncovered == 0 ? "-"
                  : listUncovered ? fmt::format("{}: {}", uncovered, list(uncoveredNames(data, t.uncoveredCodes)))
                                  : std::to_string(uncovered));
    return row;
}

}  // namespace

std::string describeQuery(const CoverageResult& r) {
    const CoverageOptions& o = r.options;
    std::vector<std::string> types;
    for (DesignationType t : o.designations) types.emplace_back(designationLabelJa(t));
    std::string text = fmt::format("{}; {}; hub kinds: {}", list(types),
                                   o.prefectures.empty() ? std::string("all prefectures") : list(o.prefectures),
                                   o.kinds.empty() ? std::string("all") : list(o.kinds, ", "));
    if (o.openedBefore) text += fmt::format("; opened before {}", *o.openedBefore);
    text += fmt::format("; {}; {} hubs used", radiusText(o), r.hubsUsed.size());
    return text;
}

std::string coverageTable(const Dataset& data, const CoverageResult& r, const std::string& by, bool lackingOnly,
                        std::optional<double> minShare) {
    const bool radius = r.options.hasRadius();
    const bool settlements = r.nation.settlementsCovered.has_value();
    std::string out = fmt::format("hubmap coverage: {}\n", describeQuery(r));
    if (by == "municipality") {
        std::vector<TextTable::Column> columns = {{"CODE"},
                                                  {"PREFECTURE"},
                                                  {"MUNICIPALITY"},
                                                  {"DESIGNATION"},
                                                  {"HUBS", Align::Right}};
        if (radius) {
            columns.push_back({"AREA km²", Align::Right});
            columns.push_back({"COVERED km²", Align::Right});
            columns.push_back({"SHARE", Align::Right});
        }
        if (settlements) columns.push_back({"SETTLEMENTS COVERED", Align::Right});
        columns.push_back({"DESIGNATED FORMER MUNICIPALITIES (一部過疎)", Align::Left, 50});
        TextTable table(std::move(columns));
        for (const auto& m : r.municipalities) {
            if (lackingOnly && !lacksCoverage(m, minShare)) continue;
            std::vector<std::string> row = {m.code, m.prefecture, m.name,
                                            std::string(designationLabelJa(m.designation)) +
                                                (m.designationIncomplete ? " (list cut short)" : ""),
                                            std::to_string(m.hubs)};
            if (radius) {
                row.push_back(km2(m.areaKm2));
                row.push_back(orDash(m.coveredKm2, km2));
                row.push_back(orDash(m.coveredShare, percent));
            }
            if (settlements) {
                row.push_back(m.settlements && m.settlementsCovered
                                  ? fmt::format("{} / {}", *m.settlementsCovered, *m.settlements)
                                  : "-");
            }
            row.push_back(list(m.formerMunicipalities));
            table.addRow(std::move(row));
        }
        out += table.render();
        out += fmt::format("{} municipalities listed\n", table.rows());
    } else if (by == "prefecture") {
        TextTable table = totalsTable(radius, settlements, true);
        for (const auto& p : r.prefectures) {
            if (lackingOnly && !lacksCoverage(p.totals, minShare)) continue;
            table.addRow(totalsRow(data, p.totals, p.name, p.code, true, radius, settlements, true));
        }
        table.addRow(totalsRow(data, r.nation, "全国", std::nullopt, true, radius, settlements, false));
        out += table.render();
    } else {
        TextTable table = totalsTable(radius, settlements, false);
        table.addRow(totalsRow(data, r.nation, "全国", std::nullopt, false, radius, settlements, false));
        out += table.render();
    }
    appendNotes(out, data, r);
    return out;
}

std::string gapsTables(const Dataset& data, const CoverageResult& r, const GapsResult& gaps, const GapOptions& options,
                     bool municipalities, bool prefectures) {
    const bool radius = r.options.hasRadius();
    std::string out = fmt::format("hubmap gaps: {}\n", describeQuery(r));
    const std::string lacking =
        options.minShare ? fmt::format("share below {}", percent(*options.minShare)) : std::string("no hub inside");
    if (municipalities) {
        out += fmt::format("\ndesignated municipalities lacking coverage ({}): {}, worst {} by uncovered {}\n", lacking,
                   gaps.lackingMunicipalities, gaps.municipalities.size(),
                   options.bySettlements ? "settlements" : "area");
        std::vector<TextTable::Column> columns = {{"RANK", Align::Right}, {"CODE"}, {"PREFECTURE"}, {"MUNICIPALITY"},
                                                  {"DESIGNATION"},        {"HUBS", Align::Right},
                                                  {"AREA km²", Align::Right}};
        if (radius) columns.push_back({"UNCOVERED km²", Align::Right});
        columns.push_back({"SETTLEMENTS", Align::Right});
        if (radius) columns.push_back({"UNCOVERED SETTL.", Align::Right});
        TextTable table(std::move(columns));
        for (const MunicipalityGap& g : gaps.municipalities) {
            const MunicipalityCoverage& m = r.municipalities[g.index];
            std::vector<std::string> row = {std::to_string(g.rank),
                                            m.code,
                                            m.prefecture,
                                            m.name,
                                            std::string(designationLabelJa(m.designation)),
                                            std::to_string(m.hubs),
                                            km2(m.areaKm2)};
            if (radius) row.push_back(km2(g.uncoveredKm2));
            row.push_back(m.settlements ? std::to_string(*m.settlements) : "-");
            if (radius) row.push_back(g.uncoveredSettlements ? std::to_string(*g.uncoveredSettlements) : "-");
            table.addRow(std::move(row));
        }
        out += table.render();
    }
    if (prefectures) {
        out += fmt::format("\nprefectures lacking coverage ({}): {}, worst {} by uncovered {}\n", lacking,
                   gaps.lackingPrefectures, gaps.prefectures.size(), radius ? "area share" : "municipality share");
        TextTable table({{"RANK", Align::Right},
                         {"CODE", Align::Right},
                         {"PREFECTURE"},
                         {"UNCOVERED SHARE", Align::Right},
                         {"DESIGNATED", Align::Right},
                         {"NO HUB", Align::Right},
                         {"AREA km²", Align::Right}});
        for (const PrefectureGap& g : gaps.prefectures) {
            const PrefectureCoverage& p = r.prefectures[g.index];
            table.addRow({std::to_string(g.rank), fmt::format("{:02d}", p.code), p.name, percent(g.uncoveredShare),
                          std::to_string(p.totals.designated), std::to_string(g.uncoveredMunicipalities),
                          km2(p.totals.designatedKm2)});
        }
        out += table.render();
    }
    appendNotes(out, data, r);
    return out;
}

}  // namespace hubmap
