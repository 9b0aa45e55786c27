#pragma once
// Reading a hubmap database into the in-memory model.

#include <optional>
#include <string>

#include "core/model.hpp"
#include "core/progress.hpp"

namespace hubmap {

struct LoadOptions {
    bool settlements = true;  ///< 277k points: skip when not needed
    bool hubs = true;
    bool population = true;  ///< 190k+ points: skip when not needed
    bool prefectureGeometry = true;
    /// Settlements and population points of designated municipalities only: all that a
    /// coverage query counts (it covers designated municipalities alone), a third of the
    /// rows, so commands that only query start faster.
    bool pointsOfDesignatedOnly = false;
};

/// Loads a database built by `hubmap init`. Throws Error naming the file when it is
/// missing, not a hubmap database, or built with another schema version.
Dataset loadDataset(const std::string& dbPath, const LoadOptions& options = {});

/// Resolves the database to use. With an explicit path, it must exist. Without one,
/// the default database is built (or rebuilt, when hubmap or geodata/ changed) on first use.
std::string resolveDatabase(const std::optional<std::string>& explicitPath, Progress& progress);

/// Reads the municipalities table sorted by code; with `ctx`, their polygons too (on that
/// context), without it no geometry — shared by loadDataset and the geocoder.
std::vector<Municipality> readMunicipalities(const class Database& db, const GeosContext* ctx);

/// Reads the hubs table (all rows) — shared by loadDataset and the hub commands.
std::vector<Hub> readHubs(const class Database& db);

}  // namespace hubmap
