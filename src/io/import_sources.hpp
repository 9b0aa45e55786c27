#pragma once
// Where each import source's hubs came from: the file, the row count and the date of the
// import, kept in the table import_sources (created by the first import that records one),
// so exports can credit them and `hubmap info` can list them.

#include <string>
#include <vector>

#include "core/model.hpp"
#include "io/spatialite.hpp"

namespace hubmap {

/// Records (or replaces) the import source `name`: `file` as given to hubmap import, `rows`
/// imported, `importedAt` as ISO 8601 UTC (empty: now). Call inside the import's transaction.
void recordImportSource(Database& db, const std::string& name, const std::string& file, long long rows,
                        const std::string& importedAt = {});

/// Removes the record of `name` (with its hubs: `hubmap hubs --remove-source`).
void forgetImportSource(Database& db, const std::string& name);

/// Every import source with hubs in the database, by name: its hub count, and its file and
/// date where recorded. A built-in layer (builtin:<file>) names its geodata/hubs file and the
/// date the database was built; an import from before hubmap recorded them has neither.
std::vector<ImportSourceInfo> readImportSources(const Database& db);

}  // namespace hubmap
