#pragma once
// `hubmap init`: builds the SpatiaLite database from the vendored national data.

#include <map>
#include <string>
#include <vector>

#include "core/progress.hpp"
#include "io/former_municipalities.hpp"
#include "io/population.hpp"

namespace hubmap {

struct InitOptions {
    std::string dbPath;      ///< target database file
    std::string geodataDir;  ///< the vendored data (geodata/)
    bool force = false;      ///< replace an existing database
    bool loadHubs = true;    ///< load geodata/hubs/*.csv
    /// An older hubmap database whose imported hubs (every import source but the builtin
    /// layers) are copied into the new one, so a rebuild loses no import. "" for none.
    std::string carryImportsFrom;
};

struct InitReport {
    std::vector<std::pair<std::string, long long>> tableRows;  ///< in build order
    std::vector<std::string> unassignedFeatures;               ///< 所属未定地 kept in admin_units only
    std::vector<std::string> unmatchedSettlements;             ///< "prefecture municipality: N points"
    long long unmatchedSettlementPoints = 0;
    std::vector<std::string> incompleteDesignations;  ///< rows cut short in the source
    std::vector<std::string> notes;                   ///< anything else worth telling the user
    FormerMatchSummary designatedParts;               ///< 一部過疎: names matched, area spread, national share
    PopulationSummary population;                     ///< small areas, the spread, snapped points
    double seconds = 0;
};

/// Builds the database atomically: writes `<dbPath>.building-<pid>` and renames it
/// over dbPath only when every step succeeded. Throws Error (with file/row context)
/// on bad input, UsageError when dbPath exists and !force.
InitReport initDatabase(const InitOptions& options, Progress& progress);

/// Paths of the files init reads, relative to the geodata directory.
std::vector<std::string> geodataInputs();

}  // namespace hubmap
