#pragma once
// `hubmap hubs --format xlsx`: the hub listing as a workbook. Its columns are the registry's hub
// fields (those of the export's hubs layer, src/report/fields.cpp): the stated municipality code
// beside the code of the municipality whose polygon holds the point, and whether they differ,
// decided as coverage decides (core/municipality_index.hpp). Japanese headings and a legend
// sheet, or the keys with --headers en (report/table_output.hpp).

#include <vector>

#include "core/model.hpp"
#include "report/table_output.hpp"

namespace hubmap {

class Database;

/// Writes the sheet "hubs" (one row per hub, in the order given) and the legend, then finishes
/// `file`. `db` is where the hubs come from: its municipality polygons place the points.
/// Returns the rows written.
long long writeHubsSheet(TableFile& file, const Database& db, const std::vector<Hub>& hubs);

}  // namespace hubmap
