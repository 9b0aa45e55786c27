#include "analysis/gaps.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace hubmap {

std::string_view gapRankingKey(GapRanking r) {
    switch (r) {
        case GapRanking::Default:
            return "default";
        case GapRanking::Area:
            return "area";
        case GapRanking::Settlements:
            return "settlements";
        case GapRanking::Population:
            return "population";
    }
    return "area";
}

GapsResult rankGaps(const CoverageResult& result, const GapOptions& options) {
    if (options.top < 0) throw UsageError("--top: expected 0 (all) or a positive count");
    const bool radius = result.options.hasRadius();
    const bool population = result.nation.population.has_value();
    GapsResult gaps;
    gaps.rankedBy = options.by;
    if (gaps.rankedBy == GapRanking::Default) {
        gaps.rankedBy = radius && population ? GapRanking::Population : GapRanking::Area;
    }
    if (gaps.rankedBy == GapRanking::Settlements && !result.nation.settlements) {
        throw UsageError("ranking by settlements needs the settlement gazetteer (load settlements)");
    }
    if (gaps.rankedBy == GapRanking::Population && !population) {
        throw UsageError("ranking by population needs the population points (load population)");
    }
    if (options.minShare && radius) {
        if (options.weight == ShareWeight::Settlements && !result.nation.settlementsCovered) {
            throw UsageError("--weight settlements needs the settlement gazetteer (load settlements)");
        }
        if (options.weight == ShareWeight::Population && !result.nation.populationCovered) {
            throw UsageError("--weight population needs the population points (load population)");
        }
    }
    for (size_t i = 0; i < result.municipalities.size(); ++i) {
        const MunicipalityCoverage& m = result.municipalities[i];
        if (!lacksCoverage(m, options.minShare, options.weight)) continue;
        MunicipalityGap g;
        g.index = i;
        g.uncoveredKm2 = m.designatedAreaKm2 - m.coveredKm2.value_or(0.0);
        if (m.settlements) g.uncoveredSettlements = *m.settlements - m.settlementsCovered.value_or(0);
        if (m.population) g.uncoveredPopulation = *m.population - m.populationCovered.value_or(0);
        gaps.municipalities.push_back(g);
    }
    const GapRanking by = gaps.rankedBy;
    std::stable_sort(gaps.municipalities.begin(), gaps.municipalities.end(),
                     [by](const MunicipalityGap& a, const MunicipalityGap& b) {
                         if (by == GapRanking::Settlements && *a.uncoveredSettlements != *b.uncoveredSettlements) {
                             return *a.uncoveredSettlements > *b.uncoveredSettlements;
                         }
                         if (by == GapRanking::Population && *a.uncoveredPopulation != *b.uncoveredPopulation) {
                             return *a.uncoveredPopulation > *b.uncoveredPopulation;
                         }
                         if (a.uncoveredKm2 != b.uncoveredKm2) return a.uncoveredKm2 > b.uncoveredKm2;
                         return a.index < b.index;  // rows are in code order
                     });
    // Prefectures: the uncovered share of what the municipalities are ranked by.
    const ShareWeight rankWeight = by == GapRanking::Population    ? ShareWeight::Population
                                   : by == GapRanking::Settlements ? ShareWeight::Settlements
                                                                   : ShareWeight::Area;
    for (size_t i = 0; i < result.prefectures.size(); ++i) {
        const CoverageTotals& t = result.prefectures[i].totals;
        if (!lacksCoverage(t, options.minShare, options.weight)) continue;
        gaps.prefectures.push_back(PrefectureGap{i, 0, 1.0 - coverageShare(t, rankWeight), t.designated - t.covered});
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

}  // namespace hubmap
