#pragma once
// The in-memory model every front end works on: municipalities, designations,
// hubs and settlements as loaded from the SpatiaLite store.

#include <algorithm>
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
    std::string code;                  ///< 5-digit local government code (designated cities: xxxx0)
    int prefectureCode = 0;            ///< 1..47
    std::string prefecture;            ///< 高知県
    std::string county;                ///< 郡 name, or "" (for designated cities: "")
    std::string name;                  ///< 本山町, 札幌市
    bool designatedCity = false;       ///< dissolved from its wards
    bool northernTerritories = false;  ///< one of the 6 villages not administered (01695–01700)
    double areaKm2 = 0;                ///< geodesic area on GRS80
    GeomPtr geom;                      ///< MultiPolygon, lon/lat EPSG:6668
};

struct Designation {
    std::string code;        ///< municipality code it joined to
    std::string prefecture;  ///< as in the source
    std::string name;        ///< as in the source
    DesignationType type = DesignationType::None;
    std::vector<std::string> formerMunicipalities;  ///< 一部過疎: the designated former municipalities
    std::string previousType;                       ///< type under the previous act (非該当 = not designated)
    bool incomplete = false;                        ///< the source row was cut short
    int sourceRow = 0;                              ///< 1-based data row in the CSV
};

/// How a former municipality named in a 一部過疎 row was found among the pre-merger polygons.
enum class FormerMatch {
    Exact,            ///< same prefecture and name, 2000-10-01 polygons
    Normalised,       ///< equal after normaliseName (ヶ/ケ, 繩/縄, 溪/渓, …)
    Prefix,           ///< a name cut short in the source: the unique completion inside the municipality
    OtherPrefecture,  ///< the list names another prefecture (長野県山口村 in 岐阜県中津川市)
    OtherYear,        ///< only in the 1995-10-01 polygons (merged by 2000: 兵庫県篠山町)
    Unmatched,        ///< found nowhere; the reason says why
};

/// "exact", "normalised", "prefix", "other_prefecture", "other_year", "unmatched".
inline std::string_view formerMatchKey(FormerMatch m) {
    switch (m) {
        case FormerMatch::Exact:
            return "exact";
        case FormerMatch::Normalised:
            return "normalised";
        case FormerMatch::Prefix:
            return "prefix";
        case FormerMatch::OtherPrefecture:
            return "other_prefecture";
        case FormerMatch::OtherYear:
            return "other_year";
        case FormerMatch::Unmatched:
            return "unmatched";
    }
    return "unmatched";
}

/// One name of a 一部過疎 row's みなされる区域 and the former municipality it matched.
struct FormerNameMatch {
    std::string name;               ///< as written in the designation list (中郷, 長野県山口村)
    std::string matchedName;        ///< the polygon's name (中郷村, 山口村); "" when unmatched
    std::string matchedPrefecture;  ///< the polygon's prefecture (長野県); "" when unmatched
    FormerMatch how = FormerMatch::Unmatched;
    double formerAreaKm2 = 0;  ///< geodesic area of the matched polygon (0 when unmatched)
    std::string reason;        ///< why it is unmatched, or how an inexact match was decided
};

/// What a designated municipality's coverage is measured on. A DesignatedPart is only ever
/// FormerMunicipalities or WholeFallback; Whole is for 全部過疎 and みなし過疎 municipalities
/// (and every one under `--partial whole`).
enum class MeasuredOn {
    FormerMunicipalities,  ///< its matched former municipalities, fitted to today's boundary
    WholeFallback,         ///< a name matched nothing: the whole municipality, never dropped
    Whole,                 ///< designated whole (or measured whole on request)
};

/// "former_municipalities", "whole_fallback", "whole".
inline std::string_view measuredOnKey(MeasuredOn m) {
    switch (m) {
        case MeasuredOn::FormerMunicipalities:
            return "former_municipalities";
        case MeasuredOn::WholeFallback:
            return "whole_fallback";
        case MeasuredOn::Whole:
            return "whole";
    }
    return "whole";
}

/// The designated area of a 一部過疎 municipality (全部過疎 and みなし過疎 are designated whole
/// and have none).
struct DesignatedPart {
    std::string code;          ///< municipality code
    GeomPtr geom;              ///< MultiPolygon, lon/lat EPSG:6668, inside the municipality
    double areaKm2 = 0;        ///< geodesic area of geom
    double formerAreaKm2 = 0;  ///< geodesic area of the matched former polygons themselves
    MeasuredOn measuredOn = MeasuredOn::FormerMunicipalities;
    std::vector<FormerNameMatch> names;  ///< in the order of the designation list
};

struct Prefecture {
    int code = 0;
    std::string name;
    double areaKm2 = 0;
    GeomPtr geom;
};

/// The fields of a hub that most hubs leave empty (none of them is drawn on the map or used by
/// a coverage query except `opened`, for a date limit).
struct HubDetails {
    std::string district;
    std::string opened;  ///< YYYY-MM or ""
    std::string programme;
    std::optional<int> fiscalYear;
    std::string operatorName;
    std::string sourceRef;
    /// The imported row's columns hubmap does not use, as a JSON object in column order
    /// ({"電話番号":"0889-…"}); "" when it had none.
    std::string extra;
};

/// A hub or project site. Precision says how its point was found.
struct Hub {
    std::string id;
    std::string kind;  ///< small_hub, rmo, activity_centre, model_project, or an imported kind
    std::string name;
    std::string prefecture;
    std::string municipality;
    std::string code;                ///< municipality code given by the source or geocoder ("" if none)
    std::optional<double> lon, lat;  ///< empty for prefecture-precision rows
    std::string precision;           ///< exact, settlement, municipality, prefecture
    std::string source;              ///< seed file and section, or the imported file
    std::string note;
    std::string importSource;  ///< name of the import batch ("builtin:<file>" for geodata/hubs)

    /// The rarely filled fields; all empty when the hub has none.
    const HubDetails& details() const { return details_.held ? *details_.held : kNoDetails; }
    /// The rarely filled fields for writing (held from the first write on).
    HubDetails& editDetails() {
        if (!details_.held) details_.held = std::make_unique<HubDetails>();
        return *details_.held;
    }

private:
    static inline const HubDetails kNoDetails{};
    /// Held apart, copied with the hub: a Hub with them inline was 552 bytes, 55 MB for the
    /// viewer's 100,000 hubs (issue 16's memory target).
    struct Held {
        Held() = default;
        Held(const Held& o) : held(o.held ? std::make_unique<HubDetails>(*o.held) : nullptr) {}
        Held& operator=(const Held& o) {
            if (this != &o) held = o.held ? std::make_unique<HubDetails>(*o.held) : nullptr;
            return *this;
        }
        Held(Held&&) noexcept = default;
        Held& operator=(Held&&) noexcept = default;
        ~Held() = default;
        std::unique_ptr<HubDetails> held;
    } details_;
};

struct Settlement {
    std::string code;  ///< municipality code (wards folded into their city)
    double lon = 0, lat = 0;
    std::string town;
};

/// How a population figure was obtained (outputs name it: never mix vintages silently).
enum class PopulationMethod {
    CensusSmallAreas2015,  ///< "census_2015_small_areas": the 2015 census small area (町丁・字)
    RegisterSpread2022,    ///< "register_2022_spread": the municipality's 2022 resident register
                           ///< population spread over its gazetteer settlements (Hokkaido, Aichi)
};

/// "census_2015_small_areas" / "register_2022_spread".
inline std::string_view populationMethodKey(PopulationMethod m) {
    return m == PopulationMethod::RegisterSpread2022 ? "register_2022_spread" : "census_2015_small_areas";
}
/// Parses populationMethodKey's text; nullopt otherwise.
inline std::optional<PopulationMethod> parsePopulationMethod(std::string_view s) {
    if (s == "census_2015_small_areas") return PopulationMethod::CensusSmallAreas2015;
    if (s == "register_2022_spread") return PopulationMethod::RegisterSpread2022;
    return std::nullopt;
}

/// A weighted point of residents.
struct PopulationPoint {
    std::string code;  ///< municipality code (current, 5 digits; 04423 -> 04216, 40305 -> 40231)
    std::string name;  ///< the small area's name (町丁・字), or the settlement's for a spread figure
    long long population = 0;
    PopulationMethod method = PopulationMethod::CensusSmallAreas2015;
    double lon = 0, lat = 0;  ///< EPSG:6668; inside the municipality's simplified polygon (snapped when not)
};

/// Provenance of one source in the store.
struct SourceInfo {
    std::string name, vintage, file, credit;
    long long rows = 0;
};

/// An import source of hubs (hubmap import, or a built-in layer builtin:<file>): its hubs in
/// the database, and the file and date (ISO 8601 UTC) of the import where recorded.
struct ImportSourceInfo {
    std::string name, file, importedAt;
    long long rows = 0;
};

/// Everything loaded from a hubmap database.
struct Dataset {
    std::unique_ptr<GeosContext> ctx = std::make_unique<GeosContext>();
    std::vector<Municipality> municipalities;  ///< sorted by code
    std::vector<Prefecture> prefectures;       ///< sorted by code
    std::vector<Designation> designations;     ///< sorted by code
    /// 一部過疎 municipalities' designated parts, sorted by code. Coverage measures a 一部過疎
    /// municipality on its part (see CoverageOptions::partial).
    std::vector<DesignatedPart> designatedParts;
    std::vector<Hub> hubs;
    std::vector<Settlement> settlements;      ///< sorted by code
    std::vector<PopulationPoint> population;  ///< sorted by code, then name
    std::vector<SourceInfo> sources;
    std::vector<ImportSourceInfo> importSources;  ///< by name
    /// Display names of custom hub kinds (`import --kind-label`): kind → label.
    std::map<std::string, std::string> kindLabels;
    std::map<std::string, std::string> metadata;

    /// Index into municipalities for a code, or -1.
    int municipalityIndex(std::string_view code) const;
    /// The designation of a municipality, or nullptr.
    const Designation* designationOf(std::string_view code) const;
    /// The designated part of a 一部過疎 municipality, or nullptr (whole designation or none).
    const DesignatedPart* designatedPartOf(std::string_view code) const {
        auto it = std::lower_bound(designatedParts.begin(), designatedParts.end(), code,
                                   [](const DesignatedPart& p, std::string_view c) { return p.code < c; });
        return it != designatedParts.end() && it->code == code ? &*it : nullptr;
    }
    /// Index into prefectures for a name or code string ("高知県", "39"), or -1.
    int prefectureIndex(std::string_view nameOrCode) const;
};

}  // namespace hubmap
