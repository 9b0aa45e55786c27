#pragma once
// The worst gaps of a coverage query (`hubmap gaps`): designated municipalities that
// lack coverage ranked by uncovered population, area or settlements, and prefectures
// ranked by uncovered share.

#include <optional>
#include <string_view>
#include <vector>

#include "analysis/coverage.hpp"

namespace hubmap {

/// What the municipalities are ranked by.
enum class GapRanking {
    Default,      ///< uncovered population with a radius and population figures, else uncovered area
    Area,         ///< uncovered area (`--by-area`)
    Settlements,  ///< uncovered gazetteer settlements (`--by-settlements`)
    Population,   ///< uncovered residents
};

/// "default", "area", "settlements", "population".
std::string_view gapRankingKey(GapRanking r);

struct GapOptions {
    /// What municipalities are ranked by (and prefectures by the uncovered share of).
    GapRanking by = GapRanking::Default;
    /// What "lacks coverage" means (see lacksCoverage): without it, no hub inside.
    std::optional<double> minShare;
    /// What the share compared with minShare weighs (with a radius).
    ShareWeight weight = ShareWeight::Area;
    /// Keep the first `top` of each list; 0 keeps all.
    int top = 20;
};

/// A municipality that lacks coverage.
struct MunicipalityGap {
    size_t index = 0;                               ///< into CoverageResult::municipalities
    int rank = 0;                                   ///< 1-based
    double uncoveredKm2 = 0;                        ///< area outside every catchment (without a radius: the whole area)
    std::optional<long long> uncoveredSettlements;  ///< settlements outside (without a radius: all)
    std::optional<long long> uncoveredPopulation;   ///< residents outside (without a radius: all)
};

/// A prefecture that lacks coverage.
struct PrefectureGap {
    size_t index = 0;  ///< into CoverageResult::prefectures
    int rank = 0;
    double uncoveredShare = 0;  ///< 1 − coverageShare(totals, the ranking's weight)
    int uncoveredMunicipalities = 0;
};

struct GapsResult {
    std::vector<MunicipalityGap> municipalities;  ///< worst first
    std::vector<PrefectureGap> prefectures;       ///< worst first
    int lackingMunicipalities = 0;                ///< before `top`
    int lackingPrefectures = 0;
    GapRanking rankedBy = GapRanking::Area;  ///< the ranking used (never Default)
};

/// Ranks the gaps of `result`. Ties go to the lower code. Throws UsageError when ranking
/// by settlements or population without their figures, when a --min-share weight other
/// than area has no figures, or for a negative `top`.
GapsResult rankGaps(const CoverageResult& result, const GapOptions& options);

}  // namespace hubmap
