#pragma once
// The hubs table: writing rows, listing them with filters, removing one import,
// and writing them out as CSV or JSON (`hubmap hubs`).

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/progress.hpp"

namespace hubmap {

class Database;

/// The four kinds of the curated layers (imports may add others).
inline constexpr const char* kCuratedHubKinds[] = {"small_hub", "rmo", "activity_centre", "model_project"};

/// Inserts hubs into the hubs table (geometry from lon/lat, NULL without a point).
/// The caller owns the transaction; `progress` (optional) may cancel between rows.
void insertHubs(Database& db, const std::vector<Hub>& hubs, Progress* progress = nullptr);

/// Which hubs to list; empty fields match everything.
struct HubFilter {
    std::string kind;          ///< exact kind
    std::string prefecture;    ///< "高知県", "高知" or "39": hubs whose code or prefecture is in it
    std::string importSource;  ///< exact import source ("builtin:kochi_centres.csv", "mine.csv")
};

/// The hubs matching a filter, sorted by id. Throws UsageError for an unknown prefecture.
std::vector<Hub> selectHubs(const Database& db, const HubFilter& filter);

/// Number of rows per import source, sorted by name.
std::vector<std::pair<std::string, long long>> importSources(const Database& db);

/// Deletes every row of one import source in one transaction; returns how many.
/// Throws UsageError naming the sources that exist when `name` is not one of them.
long long removeImportSource(const std::string& dbPath, const std::string& name);

/// The display names of custom kinds (`import --kind-label`), kind → label; none in a schema 3 file.
std::map<std::string, std::string> readKindLabels(const Database& db);

/// Stores (or replaces) the display name of a kind. Call inside the import's write transaction,
/// after upgradeSchema.
void setKindLabel(Database& db, const std::string& kind, const std::string& label);

/// A kind's display name: its label where one is stored, the Japanese name of a curated kind
/// (小さな拠点, 地域運営組織, 集落活動センター, 関係人口モデル事業), else the kind itself.
std::string kindDisplayName(const std::string& kind, const std::map<std::string, std::string>& labels);

/// The hubs as a JSON array of objects (every column; lon/lat null without a point; extra as an object).
nlohmann::json hubsToJson(const std::vector<Hub>& hubs);

/// Writes the hubs as UTF-8 CSV with GDAL (path may be /vsistdout/). The columns are the
/// curated layout's (id, kind, name, …, note) plus import_source, so the file can be imported again.
void writeHubsCsv(const std::vector<Hub>& hubs, const std::string& path);

}  // namespace hubmap
