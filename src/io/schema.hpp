#pragma once
// The layout of a hubmap database (SpatiaLite, EPSG:6668).

#include <string>

namespace hubmap {

class Database;

/// Creates SpatiaLite metadata and every hubmap table (empty). Call inside a transaction.
void createSchema(Database& db);

/// Creates the R*Tree spatial index of every geometry column (after the rows are in).
void createSpatialIndexes(Database& db);

/// A short digest of the geodata inputs (names and sizes), to notice a changed geodata/.
std::string geodataFingerprint(const std::string& geodataDir);

}  // namespace hubmap
