#pragma once
// The outputs of `hubmap suggest`: the JSON document "hubmap.suggest/1" (docs/suggest.md),
// the terminal table and the CSV/GeoJSON rows. The sites' members come from the field
// registry (report/fields.hpp, suggestedSiteFields).

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/suggest.hpp"

namespace hubmap {

/// One line saying what was asked and which weight was used.
std::string describeSuggestion(const SuggestResult& result);

/// The JSON form: schema, header (query, weight, radius, timings), demand, before, after, bound, sites.
nlohmann::json suggestToJson(const Dataset& data, const SuggestResult& result);

/// The header line, the sites' table, the totals before and after and the bound.
std::string suggestTable(const SuggestResult& result);

/// Writes the sites with the GDAL vector driver `driver` ("CSV", "GeoJSON"; path may be
/// /vsistdout/), layer "suggest"; GeoJSON as points in EPSG:6668. Returns the rows written.
long long writeSuggestFile(const std::string& path, const std::string& driver, const SuggestResult& result);

}  // namespace hubmap
