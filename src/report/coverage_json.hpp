#pragma once
// The JSON documents of a coverage query: "hubmap.coverage/2" (`hubmap coverage --format
// json`) and "hubmap.gaps/2" (`hubmap gaps --format json`), documented in docs/formats.md
// ("Coverage JSON", "Gaps JSON"). The rows' members come from the field registry
// (report/fields.hpp).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "analysis/gaps.hpp"

namespace hubmap {

/// The documented JSON form (schema "hubmap.coverage/2"): a header with the query's
/// parameters and data vintages, then municipalities, prefectures and nation.
/// `by` is "municipality", "prefecture" or "nation" and selects which lists appear.
nlohmann::json coverageToJson(const Dataset& data, const CoverageResult& result, const std::string& by);
/// The same with only the rows that lack coverage (lacksCoverage with `minShare`) in the
/// municipality or prefecture list; the header's "selection" records the choice.
nlohmann::json coverageToJson(const Dataset& data, const CoverageResult& result, const std::string& by,
                              bool lackingOnly, std::optional<double> minShare);

/// The parts of that JSON, for other documents built on the same query (gaps, the export's
/// metadata): the header object, one municipality, one roll-up (the nation's: no code or
/// name), one prefecture.
nlohmann::json coverageHeaderJson(const Dataset& data, const CoverageResult& result, const std::string& by);
nlohmann::json municipalityCoverageJson(const Dataset& data, const MunicipalityCoverage& m);
nlohmann::json coverageTotalsJson(const Dataset& data, const CoverageTotals& t);
nlohmann::json prefectureCoverageJson(const Dataset& data, const PrefectureCoverage& p);
/// The notes every output of a query carries (what 一部過疎 municipalities are measured on, undated hubs, ...).
std::vector<std::string> coverageNotes(const Dataset& data, const CoverageResult& result);

/// JSON form (schema "hubmap.gaps/2"): the coverage header, the options, both ranked lists.
nlohmann::json gapsToJson(const Dataset& data, const CoverageResult& result, const GapsResult& gaps,
                          const GapOptions& options);

}  // namespace hubmap
