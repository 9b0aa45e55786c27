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
        g.uncoveredKm2 = m.designatedAreaKm2 - m.coveredKm2.value_or(0.0);
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
        gaps.prefectures.push_back(PrefectureGap{i, 0, 1.0 - coverageShare(t), t.designated - t.covered});
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
