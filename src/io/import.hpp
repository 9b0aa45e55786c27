#pragma once
// Importing hubs from any vector source GDAL reads (`hubmap import`), and the reader the
// curated layers of geodata/hubs share with it (`hubmap init`).
//
// Where a row's point comes from, in this order:
//  1. coordinate columns (--lon-col/--lat-col, or a column named lon/lng/longitude/経度 and
//     lat/latitude/緯度): precision "exact", transformed from the source CRS with PROJ;
//  2. the feature geometry (GeoJSON, GeoPackage, Shapefile, FlatGeobuf, CSV with WKT): a point
//     as it is; a line or polygon by its GEOS point-on-surface (a point on the feature itself,
//     unlike the centroid), noted in the row — precision "exact";
//  3. address columns (prefecture / municipality / district, a municipality code, or a whole
//     address in one column: 住所, 所在地, address, --address-col), placed by the offline
//     Geocoder: precision "settlement", "municipality" or "prefecture".
// A row whose coordinates or geometry are empty falls through to its address when the source
// has address columns.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/progress.hpp"

namespace hubmap {

class Database;
class Geocoder;

struct ImportOptions {
    std::string file;  ///< any vector source GDAL opens (CSV, GeoJSON, GPKG, SHP, FGB, …)
    /// hubs.kind for every row: [a-z][a-z0-9_]* (small_hub, rmo, …); with a kind column (種別,
    /// kind) the kind of rows whose cell is empty, and may then be left empty.
    std::string kind;
    std::string layer;                 ///< layer of a multi-layer source (GeoPackage); required when there are several
    std::string crs;                   ///< source CRS ("EPSG:6672") when the file has none; overrides the file's
    std::string encoding = "auto";     ///< CSV/Shapefile text: auto (UTF-8, else CP932), utf-8, cp932 or an iconv name
    std::string lonColumn, latColumn;  ///< coordinate columns (longitude or easting; latitude or northing)
    std::string idColumn, nameColumn;  ///< override the detected id / name columns
    /// A column holding whole addresses (default: one named address, 住所, 所在地, …); split into
    /// prefecture, municipality, district and lot (io/address.hpp) where the row has no
    /// municipality column value.
    std::string addressColumn;
    std::string sourceName;  ///< import source name (default: the file's name); `hubs --remove-source` takes it
    /// Replace the stored import source `sourceName` with this file's rows, in one transaction:
    /// its old rows stay when the new file fails. The source must exist.
    bool replace = false;
    /// The display name of `kind` (a custom kind: not one of the curated four), stored in the
    /// database for legends, tables and the QGIS styles; "" leaves any stored one as it is.
    std::string kindLabel;
    bool skipInvalid = false;  ///< import the valid rows; write the others to rejectsFile
    /// A value that cannot be read (an opening date, a fiscal year) rejects its row; without it the
    /// row is imported without the value and a warning names row and column.
    bool strict = false;
    std::string rejectsFile;  ///< default "<file stem>.rejects.csv" in the current directory
    /// What the import source's file is recorded and reported as (default: `file`, made absolute):
    /// "-" for standard input, which the CLI stages in a temporary file.
    std::string recordedFile;
    /// The geodata/hubs layout (used by init, not offered on the command line): every curated column
    /// is required, `kind` and `precision` come from their columns, ids are kept verbatim.
    bool curatedLayout = false;
    /// Points must come from coordinate columns or geometry (`hubmap suggest --candidates FILE`):
    /// a source with neither is a UsageError, not a file to geocode.
    bool requireCoordinates = false;
};

/// One row that could not be imported.
struct ImportProblem {
    long long row = -1;      ///< 1-based data row (CSV), or -1
    long long feature = -1;  ///< 0-based feature index (other formats), or -1
    std::string reason;
    std::vector<std::string> values;       ///< the row's fields as read, for the rejects file
    std::string wkt;                       ///< its geometry (source CRS), if any
    std::vector<std::string> suggestions;  ///< nearest names when a municipality or address was not found
};

struct ImportReport {
    std::string file, driver, layer, encoding, crs;
    std::string sourceName;  ///< the import_source written
    std::string location;    ///< how points were found: "coordinate columns lon/lat", "geometry", "address columns"
    long long rowsRead = 0, imported = 0;
    std::map<std::string, long long> byPrecision;  ///< imported rows per precision
    std::map<std::string, long long> byKind;       ///< imported rows per kind
    std::vector<std::string> extraColumns;         ///< the source's columns kept in hubs.extra, in order
    long long replaced = 0;                        ///< with replace: the old rows removed
    std::vector<ImportProblem> rejected;           ///< with --skip-invalid: the rows left out
    std::string rejectsFile;                       ///< written when rows were rejected
    /// What the rejects file was written in, as the input was: "CP932", "UTF-8 with BOM" (also
    /// for workbooks: what Excel needs to read UTF-8) or "UTF-8".
    std::string rejectsEncoding;
    std::vector<std::string> notes;     ///< assumptions made (CRS, encoding), rows that fell back
    std::vector<std::string> warnings;  ///< likely mistakes that did not stop the import (a repeated import)
    double seconds = 0;
};

/// Imports a file into the hubs table of a hubmap database. All rows or none: without
/// skipInvalid any bad row aborts with an Error naming the file, row/feature and reason (and
/// listing the other bad rows), and the database is left byte-for-byte as it was. Throws
/// UsageError for bad options or an import source name that is already in the database.
ImportReport importHubs(const std::string& dbPath, const ImportOptions& options, Progress& progress);

/// Stores hubs made by hubmap itself (`hubmap suggest --save-as`) as the import source
/// `sourceName`, in one transaction, as importHubs stores its rows (insertHubs): removable
/// with `hubmap hubs --remove-source`. Throws UsageError when the name is taken or reserved.
void storeHubsAsImport(const std::string& dbPath, const std::vector<Hub>& hubs, const std::string& sourceName);

/// The points of a file of candidate sites (any source importHubs reads, lon/lat columns or
/// point geometry, any CRS), in EPSG:6668 and file order. Throws UsageError when the file has
/// no coordinates or geometry, or a row has none; Error for an unreadable file or bad rows.
std::vector<std::pair<double, double>> readCandidatePoints(const std::string& dbPath, const std::string& file,
                                                           Progress& progress);

/// Rows read from one source, checked and placed, ready for insertHubs().
struct HubBatch {
    std::vector<Hub> hubs;
    std::vector<ImportProblem> rejected;
    std::vector<std::string> fieldNames;  ///< the source's columns, in order
    /// Curated layout only: ids of rows whose source names no place at all (no prefecture,
    /// municipality, code or coordinates). They stay in the CSV, documented, but cannot be
    /// stored as hubs (every hub has at least a prefecture).
    std::vector<std::string> unplaceable;
    ImportReport report;  ///< everything but imported/rejectsFile/seconds
};

/// Reads, checks and geocodes one source without writing anything (importHubs and init use it).
/// Row problems land in `rejected`; problems with the file itself (unreadable, a required column
/// missing) throw Error. `db` is consulted for id clashes with rows already stored.
HubBatch readHubSource(const Database& db, Geocoder& geocoder, const ImportOptions& options, Progress& progress);

/// The Error thrown when a batch has rejected rows and they may not be skipped: it names the
/// first bad row and lists up to ten more.
[[noreturn]] void throwRejected(const ImportOptions& options, const HubBatch& batch);

/// The hub kind a kind cell (種別, kind) names: a curated kind by its key or Japanese name
/// (小さな拠点 → small_hub, 地域運営組織/RMO → rmo, 集落活動センター → activity_centre,
/// 関係人口モデル事業 → model_project), else a custom kind kept as written (NFKC, trimmed; an
/// ASCII one lower-cased). nullopt for text that cannot be a kind: empty, or holding , = | or a
/// control character (they separate kinds in --radius-km kind=R,…).
std::optional<std::string> hubKindFromCell(const std::string& text);

/// The value parsers import applies to every row (exposed for the fuzz targets in fuzz/).
/// A coordinate: a decimal number, full-width digits and signs folded, finite; nullopt otherwise.
std::optional<double> parseNumber(const std::string& text);
/// A fiscal year: 2020, R2, Ｒ２, 令和2, 令和元, H30, 平成30, S60 (full-width, 年度 allowed) → the
/// Western year (1900-2100, or era years 1-64); nullopt otherwise.
std::optional<int> parseFiscalYear(const std::string& text);
/// An opening date hubmap can compare: YYYY, YYYY-MM or YYYY-MM-DD with a real month and day.
bool validOpened(const std::string& text);
/// An opening date as people write it, to the form validOpened accepts: 2021-04-01, 2019/4,
/// 2021年4月, 令和3年4月, R3.4, H30.10, 平成30年10月1日, 昭和60年, 令和元年 (full-width digits and
/// letters too), and an Excel date cell read as its serial number (44287 → 2021-04-01). Years
/// 1868-2100, real months and days (29 February in leap years only); nullopt otherwise.
std::optional<std::string> parseOpened(const std::string& text);

}  // namespace hubmap
