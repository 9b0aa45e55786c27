#pragma once
// The population table: the 2015 census small areas (町丁・字) as weighted points, and for
// the prefectures without small areas (Hokkaido, Aichi) each municipality's 2022 resident
// register population spread over its gazetteer settlements. Built by `hubmap init`.

#include <map>
#include <string>
#include <vector>

#include "core/geos.hpp"
#include "core/model.hpp"

namespace hubmap {

inline constexpr const char* kSmallAreasFile = "population/small_areas_2015.csv.gz";
inline constexpr const char* kRegisterFile = "population/municipalities_jumin_2022-01-01.csv";

/// One row of the small-area file, checked.
struct SmallAreaRow {
    std::string keyCode, code2015, name;
    long long population = 0;
    double lon = 0, lat = 0;
    long long row = 0;  ///< 1-based data row
};

/// One row of the register file, checked.
struct RegisterRow {
    std::string code;  ///< the first 5 digits of dantai_code
    std::string prefecture, municipality;
    long long population = 0;
    long long row = 0;
};

/// Both files, read and checked (columns, counts, coordinates), before any geometry.
struct PopulationSources {
    std::vector<SmallAreaRow> smallAreas;
    std::vector<RegisterRow> register2022;
};

/// Reads the two files of geodata/population. Throws Error naming the file, the row and the
/// reason for a missing column, a count that is not a non-negative integer, or a point that is
/// not in Japan (lat 20–46, lon 122–154).
PopulationSources readPopulationSources(const std::string& geodataDir);

/// A row of the population table.
struct PopulationRecord {
    PopulationPoint point;
    std::string keyCode;   ///< the census KEY_CODE; "" for a spread figure
    bool snapped = false;  ///< moved onto its municipality's polygon
};

/// What init says about the population table.
struct PopulationSummary {
    long long smallAreas = 0, smallAreaPopulation = 0;
    /// 2015 codes read under their current one (富谷町 04423 -> 富谷市 04216, …): "04423 -> 04216: 77 rows".
    std::vector<std::string> remapped;
    std::vector<std::string> spreadPrefectures;  ///< prefectures without small areas
    long long spreadMunicipalities = 0, spreadPoints = 0, spreadPopulation = 0;
    /// Spread municipalities without a gazetteer settlement: one point on the polygon.
    std::vector<std::string> spreadWithoutSettlements;
    long long snappedCensus = 0, snappedSpread = 0;
    double snappedMaxKm = 0;  ///< the farthest a point was moved
};

/// Builds the population points, sorted by code then name. `unitCodes` maps every N03 code
/// to its municipality (wards to their designated city); `settlements` are the gazetteer
/// points with a municipality code (their town as name). A census code that is no
/// municipality's (after the 2015 -> current renames) is an Error naming the row. Points
/// outside their own municipality's polygon are moved to its nearest point (`threads`
/// workers; 0 = every core).
std::vector<PopulationRecord> buildPopulation(const PopulationSources& sources,
                                              const std::map<std::string, std::string>& unitCodes,
                                              const std::vector<Municipality>& municipalities,
                                              const std::vector<Settlement>& settlements, const std::string& geodataDir,
                                              int threads, PopulationSummary& summary);

/// Integers proportional to `weights` that sum exactly to `total` (largest remainder
/// method: floors first, then one more to the largest remainders, ties to the lower index).
/// All weights zero: spread evenly. Empty weights: empty.
std::vector<long long> largestRemainder(long long total, const std::vector<double>& weights);

}  // namespace hubmap
