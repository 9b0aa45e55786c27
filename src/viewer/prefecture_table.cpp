#include "viewer/prefecture_table.hpp"

#include <algorithm>

namespace hubmap::viewer {

double PrefectureRow::share() const {
    if (areaShare) return *areaShare;
    return designated > 0 ? static_cast<double>(covered) / designated : 0.0;
}

std::vector<PrefectureRow> prefectureRows(const CoverageResult& result) {
    std::vector<PrefectureRow> rows;
    rows.reserve(result.prefectures.size());
    for (const PrefectureCoverage& p : result.prefectures) {
        PrefectureRow r;
        r.code = p.code;
        r.name = p.name;
        r.designated = p.totals.designated;
        r.covered = p.totals.covered;
        r.designatedKm2 = p.totals.designatedKm2;
        r.areaShare = p.totals.coveredShare;
        r.settlementShare = p.totals.settlementShare;
        r.population = p.totals.population;
        r.populationShare = p.totals.populationShare;
        rows.push_back(std::move(r));
    }
    return rows;
}

void sortPrefectureRows(std::vector<PrefectureRow>& rows, PrefectureColumn column, bool ascending) {
    auto key = [column](const PrefectureRow& r) -> double {
        switch (column) {
            case PrefectureColumn::Code:
                return r.code;
            case PrefectureColumn::Name:
                return r.code;  // names sort in code order (north to south)
            case PrefectureColumn::Designated:
                return r.designated;
            case PrefectureColumn::Covered:
                return r.covered;
            case PrefectureColumn::DesignatedKm2:
                return r.designatedKm2;
            case PrefectureColumn::Share:
                return r.share();
            case PrefectureColumn::SettlementShare:
                return r.settlementShare.value_or(-1.0);
            case PrefectureColumn::Population:
                if (r.populationShare) return *r.populationShare;
                return r.population ? static_cast<double>(*r.population) : -1.0;
        }
        return r.code;
    };
    std::stable_sort(rows.begin(), rows.end(), [&](const PrefectureRow& a, const PrefectureRow& b) {
        const double ka = key(a), kb = key(b);
        if (ka != kb) return ascending ? ka < kb : ka > kb;
        return a.code < b.code;
    });
}

}  // namespace hubmap::viewer
