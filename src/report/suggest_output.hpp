#pragma once
// The outputs of `hubmap suggest`: the JSON document "hubmap.suggest/1" (docs/suggest.md),
// the terminal table and the CSV/GeoJSON rows. The sites' members come from the field
// registry (report/fields.hpp, suggestedSiteFields).

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/suggest.hpp"
#include "report/table_output.hpp"

namespace hubmap {

/// One line saying what was asked and which weight was used.
std::string describeSuggestion(const SuggestResult& result);

/// The JSON form: schema, header (query, weight, radius, timings), demand, before, after, bound, sites.
nlohmann::json suggestToJson(const Dataset& data, const SuggestResult& result);

/// The header line, the sites' table, the totals before and after and the bound.
std::string suggestTable(const SuggestResult& result);

/// Writes the sites as `file` asks (CSV, XLSX sheet "suggest", or GeoJSON points per RFC 7946)
/// and delivers the file (TableFile::finish). Returns the rows written.
long long writeSuggestTable(TableFile& file, const SuggestResult& result);

}  // namespace hubmap
