#pragma once
// Filling an empty SpatiaLite spatial index (an SQLite R*Tree) in one packed pass.

#include <string>

namespace hubmap {

class Database;

/// Fills the empty spatial index of `table`.`column` (SpatiaLite's R*Tree idx_<table>_<column>,
/// made by CreateSpatialIndex while the table was empty, its insert trigger set aside while the
/// rows went in) with the bounding box of every non-NULL geometry: the rows CreateSpatialIndex
/// would put there, with the same float32 boxes. The tree is packed by Sort-Tile-Recursive and
/// its node, rowid and parent tables written directly (SQLite's R*Tree file format), which is
/// about ten times faster than SQLite inserting the entries one by one (each insert rewrites a
/// node or more). The tree's shape differs from one built by inserts; its rows and every query's
/// answer do not. Call inside the transaction that wrote the rows. Throws Error if the index is
/// missing or not empty, or a box is not finite.
void loadSpatialIndex(Database& db, const std::string& table, const std::string& column);

}  // namespace hubmap
