#pragma once
// The prefecture summary of a coverage result as sortable rows (the viewer's table and
// bar chart), with no GL.

#include <optional>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"

namespace hubmap::viewer {

struct PrefectureRow {
    int code = 0;
    std::string name;
    int designated = 0;  ///< designated municipalities in the query
    int covered = 0;     ///< of those, with a hub inside
    double designatedKm2 = 0;
    std::optional<double> areaShare;        ///< covered area / designated area (with a radius)
    std::optional<double> settlementShare;  ///< settlements within reach (with a radius)
    std::optional<long long> population;    ///< residents of the designated areas
    std::optional<double> populationShare;  ///< residents within reach (with a radius)
    /// Share used for the bar chart: the area share with a radius, else covered / designated.
    double share() const;
};

enum class PrefectureColumn {
    Code,
    Name,
    Designated,
    Covered,
    DesignatedKm2,
    Share,
    SettlementShare,
    Population,  ///< residents within reach (with a radius), else residents
};

std::vector<PrefectureRow> prefectureRows(const CoverageResult& result);

/// Stable sort by one column; missing shares sort as lowest.
void sortPrefectureRows(std::vector<PrefectureRow>& rows, PrefectureColumn column, bool ascending);

}  // namespace hubmap::viewer
