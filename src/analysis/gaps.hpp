#pragma once
// The worst gaps of a coverage query (`hubmap gaps`): designated municipalities that
// lack coverage ranked by uncovered area or settlements, and prefectures ranked by
// uncovered share.

#include <optional>
#include <vector>

#include "analysis/coverage.hpp"

namespace hubmap {

struct GapOptions {
    /// Rank municipalities by uncovered settlements instead of uncovered area
    /// (needs settlement figures in the result).
    bool bySettlements = false;
    /// What "lacks coverage" means (see lacksCoverage): without it, no hub inside.
    std::optional<double> minShare;
    /// Keep the first `top` of each list; 0 keeps all.
    int top = 20;
};

/// A municipality that lacks coverage.
struct MunicipalityGap {
    size_t index = 0;                               ///< into CoverageResult::municipalities
    int rank = 0;                                   ///< 1-based
    double uncoveredKm2 = 0;                        ///< area outside every catchment (without a radius: the whole area)
    std::optional<long long> uncoveredSettlements;  ///< settlements outside (without a radius: all)
};

/// A prefecture that lacks coverage.
struct PrefectureGap {
    size_t index = 0;  ///< into CoverageResult::prefectures
    int rank = 0;
    double uncoveredShare = 0;  ///< 1 − coverageShare(totals)
    int uncoveredMunicipalities = 0;
};

struct GapsResult {
    std::vector<MunicipalityGap> municipalities;  ///< worst first
    std::vector<PrefectureGap> prefectures;       ///< worst first
    int lackingMunicipalities = 0;                ///< before `top`
    int lackingPrefectures = 0;
};

/// Ranks the gaps of `result`. Ties go to the lower code. Throws UsageError when ranking
/// by settlements without settlement figures, or for a negative `top`.
GapsResult rankGaps(const CoverageResult& result, const GapOptions& options);

}  // namespace hubmap
