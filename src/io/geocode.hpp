#pragma once
// Offline geocoding of hubs against a hubmap database: an address given as
// (prefecture, municipality, district) becomes a municipality code and a point,
// with a precision that says how the point was found. Nothing is guessed beyond
// the gazetteer (settlements) and the municipality polygons.

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.hpp"
#include "io/address.hpp"

namespace hubmap {

class Database;

/// How a hub's point was found, finest first.
enum class Precision {
    Exact,         ///< coordinates given by the source (imported points)
    Settlement,    ///< the gazetteer point of the named district (大字・町丁目)
    Municipality,  ///< the municipality's representative point (GEOS point-on-surface)
    Prefecture,    ///< only the prefecture is known: no point
};

/// "exact" / "settlement" / "municipality" / "prefecture" (the hubs.precision values).
std::string_view precisionKey(Precision p);
/// Parses a key written by precisionKey; nullopt otherwise.
std::optional<Precision> parsePrecision(std::string_view key);

/// Which rule matched the district name to a gazetteer entry.
enum class DistrictMatch {
    None,        ///< no district matched (or none was given)
    Exact,       ///< the text equals a gazetteer town (大字・町丁目), or town + 小字
    Normalised,  ///< equal after districtKey() on both sides
    Prefix,      ///< after districtKey(), one starts with the other, and only one town qualifies
};
std::string_view districtMatchKey(DistrictMatch m);

/// The normalised form districts are compared in: matchKey() (NFKC, variant kanji, ヶ/が → ケ,
/// の/之 → ノ), a leading 大字 or 字 dropped, 大字 inside dropped and 字 after a former 町/村
/// (掛合町大字多根 → 掛合町多根), the number of a 丁目, 条 or 線 in Arabic digits (三丁目, ３丁目 →
/// 3丁目), a trailing 地区 or 地域 dropped.
std::string districtKey(std::string_view district);

/// An address as a source gives it. Any field may be empty.
struct Address {
    std::string prefecture;  ///< 高知県 (also accepted: 高知, 39)
    std::string municipality;  ///< 本山町, 長岡郡本山町, 札幌市中央区 (a ward resolves to its city), 高知県本山町
    std::string district;  ///< 汗見川; empty, or ending in 全域, means the whole municipality
    std::string code;      ///< 5-digit municipality code, when the source gives one (checked against the name)
    /// A whole address in one cell (住所, 所在地): split by parseAddress() into prefecture,
    /// municipality, district and lot when `municipality` and `district` are empty. A prefecture
    /// in it must agree with `prefecture`.
    std::string full;
};

/// The outcome of geocoding one address.
struct GeocodeResult {
    /// Why the address cannot be placed at all (unknown or ambiguous prefecture or municipality,
    /// a code that contradicts the name). Empty on success; the other fields are then valid.
    std::string problem;
    Precision precision = Precision::Prefecture;
    int prefectureCode = 0;
    std::string prefecture;          ///< the prefecture's name
    std::string code;                ///< municipality code; empty at prefecture precision
    std::string municipality;        ///< the municipality's name in the database (長岡郡本山町 → 本山町)
    std::optional<double> lon, lat;  ///< EPSG:6668; empty at prefecture precision
    DistrictMatch districtMatch = DistrictMatch::None;
    std::string settlement;  ///< the gazetteer entry used ("西峯", "大埆 甲"); empty if none
    /// Why a finer precision than the result was asked for but not reached: the district matched
    /// no gazetteer entry, matched several, or its point lies outside the simplified municipality
    /// polygon. Empty when the result is as fine as the address allows.
    std::string fallback;
    /// Names near the one that was not found (a municipality in `problem`, a district in
    /// `fallback`): by edit distance, and for a district a gazetteer town that is a former
    /// municipality's name + the district (多根 in 雲南市 → 掛合町多根).
    std::vector<std::string> suggestions;
    /// The parts of Address::full, when one was given.
    std::optional<ParsedAddress> parsed;

    bool ok() const { return problem.empty(); }
};

/// Where an exact point falls.
struct PointLocation {
    bool inJapan = false;    ///< inside, or within kMaxOffshoreKm of, a municipality polygon
    std::string code;        ///< the municipality holding the point (core/municipality_index.hpp; "" if none)
    bool ambiguous = false;  ///< on a boundary two share, or in an overlap: the rule chose among them
    int prefectureCode = 0;
    std::string prefecture, municipality;
    double nearestKm = 0;     ///< when code is empty: geodesic distance to the nearest polygon
    std::string nearestName;  ///< …and that municipality's "prefecture name"
};

/// Points farther than this from every municipality polygon are "outside Japan". The
/// territorial sea reaches 22 km; the polygons are simplified, so allow a margin.
inline constexpr double kMaxOffshoreKm = 30.0;

/// Geocodes addresses against the municipalities, admin_units and settlements tables of a
/// hubmap database. Loads names up front and each municipality's polygon and gazetteer entries
/// on first use, so one Geocoder should serve a whole batch. Not thread-safe (one GEOS context).
class Geocoder {
public:
    /// `db` must outlive the geocoder.
    explicit Geocoder(const Database& db);
    ~Geocoder();
    Geocoder(const Geocoder&) = delete;
    Geocoder& operator=(const Geocoder&) = delete;

    /// Places an address. Never throws for a bad address: see GeocodeResult::problem.
    GeocodeResult geocode(const Address& address);

    /// The municipality holding a lon/lat point (EPSG:6668), for exact points, by the rule of
    /// core/municipality_index.hpp: on a shared boundary or in an overlap, the one `statedCode`
    /// names if it is a candidate, else the lowest code.
    PointLocation locate(double lon, double lat, std::string_view statedCode = {});

    /// True when municipality `code` holds the point with its own code stated (inside its
    /// polygon or on its boundary; false for unknown codes).
    bool contains(const std::string& code, double lon, double lat);

    /// The prefecture code for "高知県", "高知" or "39"; 0 when it is none of these.
    static int resolvePrefecture(std::string_view text);

private:
    GeocodeResult geocodeParts(const Address& address);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// One row that did not reach the precision its address asked for.
struct GeocodeFallback {
    std::string id, name, prefecture, municipality, district;
    std::string precision;  ///< as stored
    std::string reason;
};

/// Geocoding outcome of one layer (a builtin file or an import source).
struct GeocodeLayerSummary {
    std::string importSource;
    long long rows = 0;
    std::map<std::string, long long> byPrecision;  ///< stored precision → rows
    std::vector<GeocodeFallback> fallbacks;
    /// Rows whose stored precision, code or point differs from what the geocoder gives now
    /// (a database built by another hubmap version, or edited by hand).
    std::vector<GeocodeFallback> mismatches;
};

struct GeocodeSummary {
    std::vector<GeocodeLayerSummary> layers;  ///< sorted by import source
};

/// Re-runs the geocoder over every hub of a database (read-only) and summarises, per layer,
/// the precision reached and the rows that fell back, with the reason.
GeocodeSummary summariseGeocoding(const std::string& dbPath, Progress& progress);

/// The summary as JSON: [{import_source, rows, by_precision, fell_back: [...], mismatches: [...]}].
nlohmann::json geocodeSummaryToJson(const GeocodeSummary& summary);

}  // namespace hubmap
