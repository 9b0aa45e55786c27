#pragma once
// The layout of a hubmap database (SpatiaLite, EPSG:6668).

#include <string>

namespace hubmap {

class Database;

/// Creates SpatiaLite metadata and every hubmap table (empty). Call inside a transaction.
void createSchema(Database& db);

/// The oldest database schema hubmap still reads, and upgrades in place (upgradeSchema).
inline constexpr int kOldestUpgradableSchema = 3;

/// The schema_version of a hubmap database (0 when it records none).
int schemaVersion(const Database& db);

/// Brings a database of schema kOldestUpgradableSchema up to kSchemaVersion (3 → 4: the hubs
/// table gains `extra`, and the table kind_labels is added), keeping every row; does nothing on a current one. Call
/// inside the write transaction of the change that needs it, so a failure leaves the file as it was.
void upgradeSchema(Database& db);

/// Whether the hubs table has the `extra` column (schema 4 on; a schema 3 file is read without it).
bool hubsHaveExtra(const Database& db);

/// Creates the R*Tree spatial index of every geometry column (after the rows are in).
void createSpatialIndexes(Database& db);

/// A short digest of the geodata inputs (names and sizes), to notice a changed geodata/.
std::string geodataFingerprint(const std::string& geodataDir);

}  // namespace hubmap
