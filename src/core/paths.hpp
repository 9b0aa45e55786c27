#pragma once
// Where hubmap finds its data and keeps its default database.

#include <string>

namespace hubmap {

/// $HUBMAP_GEODATA; else, for an installed program, <prefix>/share/hubmap/geodata beside its
/// bin/ (found from the program's own path, so a moved prefix works); else the geodata/
/// folder of the source tree hubmap was built from.
std::string defaultGeodataDir();

/// $HUBMAP_DB, else $XDG_DATA_HOME/hubmap/hubmap.sqlite (~/.local/share/hubmap/hubmap.sqlite).
std::string defaultDatabasePath();

}  // namespace hubmap
