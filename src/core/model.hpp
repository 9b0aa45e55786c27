#pragma once
// The in-memory model every front end works on: municipalities, designations,
// hubs and settlements as loaded from the SpatiaLite store.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geos.hpp"

namespace hubmap {

/// Designation under the 2021 depopulation act.
enum class DesignationType { None, Full, Partial, Deemed };

/// "full" / "partial" / "deemed" / "none".
std::string_view designationKey(DesignationType t);
/// 全部過疎 / 一部過疎 / みなし過疎 / 非過疎.
std::string_view designationLabelJa(DesignationType t);
/// Parses either the key or the Japanese label; nullopt if neither.
std::optional<DesignationType> parseDesignation(std::string_view s);

struct Municipality {
    std::string code;        ///< 5-digit local government code (designated cities: xxxx0)
    int prefectureCode = 0;  ///< 1..47
    std::string prefecture;  ///< 高知県
    std::string county;      ///< 郡 name, or "" (for designated cities: "")
    std::string name;        ///< 本山町, 札幌市
    bool designatedCity = false;      ///< dissolved from its wards
    bool northernTerritories = false; ///< one of the 6 villages not administered (01695–01700)
    double areaKm2 = 0;      ///< geodesic area on GRS80
    GeomPtr geom;            ///< MultiPolygon, lon/lat EPSG:6668
};

struct Designation {
    std::string code;        ///< municipality code it joined to
    std::string prefecture;  ///< as in the source
    std::string name;        ///< as in the source
    DesignationType type = DesignationType::None;
    std::vector<std::string> formerMunicipalities;  ///< 一部過疎: the designated former municipalities
    std::string previousType;  ///< type under the previous act (非該当 = not designated)
    bool incomplete = false;   ///< the source row was cut short
    int sourceRow = 0;         ///< 1-based data row in the CSV
};

struct Prefecture {
    int code = 0;
    std::string name;
    double areaKm2 = 0;
    GeomPtr geom;
};

/// A hub or project site. Precision says how its point was found.
struct Hub {
    std::string id;
    std::string kind;         ///< small_hub, rmo, activity_centre, model_project, or an imported kind
    std::string name;
    std::string prefecture;
    std::string municipality;
    std::string code;         ///< municipality code given by the source or geocoder ("" if none)
    std::string district;
    std::optional<double> lon, lat;  ///< empty for prefecture-precision rows
    std::string precision;    ///< exact, settlement, municipality, prefecture
    std::string opened;       ///< YYYY-MM or ""
    std::string programme;
    std::optional<int> fiscalYear;
    std::string operatorName;
    std::string sourceRef;
    std::string source;       ///< seed file and section, or the imported file
    std::string note;
    std::string importSource; ///< name of the import batch ("builtin:<file>" for geodata/hubs)
};

struct Settlement {
    std::string code;  ///< municipality code (wards folded into their city)
    double lon = 0, lat = 0;
    std::string town;
};

/// Provenance of one source in the store.
struct SourceInfo {
    std::string name, vintage, file, credit;
    long long rows = 0;
};

/// Everything loaded from a hubmap database.
struct Dataset {
    std::unique_ptr<GeosContext> ctx = std::make_unique<GeosContext>();
    std::vector<Municipality> municipalities;  ///< sorted by code
    std::vector<Prefecture> prefectures;       ///< sorted by code
    std::vector<Designation> designations;     ///< sorted by code
    std::vector<Hub> hubs;
    std::vector<Settlement> settlements;       ///< sorted by code
    std::vector<SourceInfo> sources;
    std::map<std::string, std::string> metadata;

    /// Index into municipalities for a code, or -1.
    int municipalityIndex(std::string_view code) const;
    /// The designation of a municipality, or nullptr.
    const Designation* designationOf(std::string_view code) const;
    /// Index into prefectures for a name or code string ("高知県", "39"), or -1.
    int prefectureIndex(std::string_view nameOrCode) const;
};

}  // namespace hubmap
