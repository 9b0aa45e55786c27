#pragma once
// Municipality names → codes, tolerant of the spelling variants Japanese sources use.
// One implementation, shared by `hubmap init` (joining designations and the gazetteer)
// and the geocoder (placing hubs given by prefecture and municipality name).

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hubmap {

class Database;

/// One administrative unit as the index needs it (an N03 feature or an admin_units row).
struct AdminUnitName {
    int prefectureCode = 0;        ///< 1..47
    std::string county;            ///< 郡, or the designated city for a ward ("札幌市")
    std::string name;              ///< municipality or ward name ("本山町", "中央区")
    bool isWard = false;           ///< a ward of a designated city
    std::string municipalityCode;  ///< its own code, or its designated city's for a ward
};

/// Looks municipality codes up by (prefecture, name). Accepted forms, all compared after
/// normaliseName(): "county+name" (長岡郡本山町, 札幌市中央区 → the city), the bare name
/// (本山町, 中央区 → its city), a designated city's own name (札幌市), and a name with a
/// county prefix that the sources spell differently (stripCounty).
class MunicipalityNameIndex {
public:
    MunicipalityNameIndex() = default;
    explicit MunicipalityNameIndex(const std::vector<AdminUnitName>& units);

    /// Builds the index from a hubmap database's admin_units table.
    static MunicipalityNameIndex fromDatabase(const Database& db);

    /// Codes `name` can mean within a prefecture: empty when none, several when ambiguous
    /// (e.g. 北区 in 大阪府 is a ward of both 大阪市 and 堺市).
    std::set<std::string> lookup(int prefectureCode, const std::string& name) const;

    /// The same over every prefecture, for sources that give no prefecture (a code's
    /// first two digits name its prefecture).
    std::set<std::string> lookupAnywhere(const std::string& name) const;

private:
    std::map<std::pair<int, std::string>, std::set<std::string>> full_, bare_;
};

}  // namespace hubmap
