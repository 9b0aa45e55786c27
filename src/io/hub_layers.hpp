#pragma once
// The curated hub layers shipped in geodata/hubs/, loaded by `hubmap init`.

#include <string>
#include <vector>

namespace hubmap {

class Database;

/// Loads every geodata/hubs/*.csv into the hubs table of a database being built
/// (municipalities and settlements already written), geocoding each row offline.
/// Returns the number of rows loaded; appends human-readable remarks to `notes`.
long long loadBuiltinHubLayers(Database& db, const std::string& geodataDir, std::vector<std::string>& notes);

}  // namespace hubmap
