#include "report/coverage_tables.hpp"

#include <fmt/format.h>

#include "report/coverage_json.hpp"
#include "report/fields.hpp"
#include "report/row_table.hpp"

namespace hubmap {

namespace {

std::string percent(double share) { return fmt::format("{:.1f}%", share * 100.0); }

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
    TableContext context;
    context.table = TableContext::Table::Coverage;
    context.radius = r.options.hasRadius();
    context.settlements = r.nation.settlementsCovered.has_value();
    context.population = r.nation.population.has_value();
    context.codes = by != "nation";
    std::string out = fmt::format("hubmap coverage: {}\n", describeQuery(r));
    if (by == "municipality") {
        RowTable<MunicipalityRow> table(municipalityFields(), context);
        for (const auto& m : r.municipalities) {
            if (!lackingOnly || lacksCoverage(m, minShare)) table.add(municipalityRow(data, m));
        }
        out += table.render();
        out += fmt::format("{} municipalities listed\n", table.rows());
    } else {
        RowTable<TotalsRow> table(totalsFields(), context);
        if (by == "prefecture") {
            for (const auto& p : r.prefectures) {
                if (!lackingOnly || lacksCoverage(p.totals, minShare)) table.add(prefectureRow(data, p));
            }
        }
        table.add(nationRow(data, r));
        out += table.render();
    }
    appendNotes(out, data, r);
    return out;
}

std::string gapsTables(const Dataset& data, const CoverageResult& r, const GapsResult& gaps, const GapOptions& options,
                       bool municipalities, bool prefectures) {
    TableContext context;
    context.table = TableContext::Table::Gaps;
    context.radius = r.options.hasRadius();
    context.settlements = r.nation.settlementsCovered.has_value();
    context.population = r.nation.population.has_value();
    std::string out = fmt::format("hubmap gaps: {}\n", describeQuery(r));
    const std::string lacking =
        options.minShare ? fmt::format("{} share below {}", context.radius ? shareWeightKey(options.weight) : "hub",
                                       percent(*options.minShare))
                         : std::string("no hub inside");
    if (municipalities) {
        out += fmt::format("\ndesignated municipalities lacking coverage ({}): {}, worst {} by uncovered {}\n", lacking,
                           gaps.lackingMunicipalities, gaps.municipalities.size(), gapRankingKey(gaps.rankedBy));
        RowTable<MunicipalityGapRow> table(municipalityGapFields(), context);
        for (const MunicipalityGap& g : gaps.municipalities) {
            table.add(MunicipalityGapRow{g, municipalityRow(data, r.municipalities.at(g.index))});
        }
        out += table.render();
    }
    if (prefectures) {
        out += fmt::format(
            "\nprefectures lacking coverage ({}): {}, worst {} by uncovered {}\n", lacking, gaps.lackingPrefectures,
            gaps.prefectures.size(),
            context.radius ? fmt::format("{} share", gapRankingKey(gaps.rankedBy)) : std::string("municipality share"));
        RowTable<PrefectureGapRow> table(prefectureGapFields(), context);
        for (const PrefectureGap& g : gaps.prefectures) {
            table.add(PrefectureGapRow{g, prefectureRow(data, r.prefectures.at(g.index))});
        }
        out += table.render();
    }
    appendNotes(out, data, r);
    return out;
}

}  // namespace hubmap
