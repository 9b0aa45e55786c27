#include "analysis/gaps.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace hubmap {

GapsResult rankGaps(const CoverageResult& result, const GapOptions& options) {
    if (options.top < 0) throw UsageError("--top: expected 0 (all) or a positive count");
    GapsResult gaps;
    for (size_t i = 0; i < result.municipalities.size(); ++i) {
        const MunicipalityCoverage& m = result.municipalities[i];
        if (!lacksCoverage(m, options.minShare)) continue;
        MunicipalityGap g;
        g.index = i;
        g.uncoveredKm2 = m.areaKm2 - m.coveredKm2.value_or(0.0);
        if (m.settlements) g.uncoveredSettlements = *m.settlements - m.settlementsCovered.value_or(0);
        if (options.bySettlements && !g.uncoveredSettlements) {
            throw UsageError("ranking by settlements needs the settlement gazetteer (load settlements)");
        }
        gaps.municipalities.push_back(g);
    }
    std::stable_sort(gaps.municipalities.begin(), gaps.municipalities.end(),
                     [&](const MunicipalityGap& a, const MunicipalityGap& b) {
                         if (options.bySettlements && *a.uncoveredSettlements != *b.uncoveredSettlements) {
                             return *a.uncoveredSettlements > *b.uncoveredSettlements;
                         }
                         if (a.uncoveredKm2 != b.uncoveredKm2) return a.uncoveredKm2 > b.uncoveredKm2;
                         return a.index < b.index;  // rows are in code order
                     });
    for (size_t i = 0; i < result.prefectures.size(); ++i) {
        const CoverageTotals& t = result.prefectures[i].totals;
        if (!lacksCoverage(t, options.minShare)) continue;
        gaps.prefectures.push_back(
            PrefectureGap{i, 0, 1.0 - coverageShare(t), t.designated - t.covered});
    }
    std::stable_sort(gaps.prefectures.begin(), gaps.prefectures.end(),
                     [](const PrefectureGap& a, const PrefectureGap& b) {
                         if (a.uncoveredShare != b.uncoveredShare) return a.uncoveredShare > b.uncoveredShare;
                         return a.index < b.index;
                     });
    gaps.lackingMunicipalities = static_cast<int>(gaps.municipalities.size());
    gaps.lackingPrefectures = static_cast<int>(gaps.prefectures.size());
    if (options.top > 0) {
        const auto top = static_cast<size_t>(options.top);
        if (gaps.municipalities.size() > top) gaps.municipalities.resize(top);
        if (gaps.prefectures.size() > top) gaps.prefectures.resize(top);
    }
    for (size_t i = 0; i < gaps.municipalities.size(); ++i) gaps.municipalities[i].rank = static_cast<int>(i + 1);
    for (size_t i = 0; i < gaps.prefectures.size(); ++i) gaps.prefectures[i].rank = static_cast<int>(i + 1);
    return gaps;
}

nlohmann::json gapsToJson(const Dataset& data, const CoverageResult& result, const GapsResult& gaps,
                          const GapOptions& options) {
    using nlohmann::json;
    json municipalities = json::array();
    for (const MunicipalityGap& g : gaps.municipalities) {
        json item{{"rank", g.rank},
                  {"uncovered_km2", g.uncoveredKm2},
                  {"uncovered_settlements", g.uncoveredSettlements ? json(*g.uncoveredSettlements) : json(nullptr)}};
        item.update(municipalityCoverageJson(data, result.municipalities[g.index]));
        municipalities.push_back(std::move(item));
    }
    json prefectures = json::array();
    for (const PrefectureGap& g : gaps.prefectures) {
        const PrefectureCoverage& p = result.prefectures[g.index];
        json item{{"rank", g.rank},
                  {"uncovered_share", g.uncoveredShare},
                  {"uncovered_municipalities", g.uncoveredMunicipalities},
                  {"code", p.code},
                  {"name", p.name}};
        item.update(coverageTotalsJson(data, p.totals));
        prefectures.push_back(std::move(item));
    }
    return json{{"schema", "hubmap.gaps/1"},
                {"header", coverageHeaderJson(data, result, "municipality")},
                {"ranking",
                 json{{"by", options.bySettlements ? "settlements" : "area"},
                      {"min_share", options.minShare ? json(*options.minShare) : json(nullptr)},
                      {"top", options.top},
                      {"lacking_municipalities", gaps.lackingMunicipalities},
                      {"lacking_prefectures", gaps.lackingPrefectures}}},
                {"municipalities", municipalities},
                {"prefectures", prefectures}};
}

}  // namespace hubmap
