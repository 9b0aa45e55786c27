#pragma once
// Terminal tables of coverage queries (`hubmap coverage`, `hubmap gaps`), as text: the
// front end prints them.

#include <optional>
#include <string>

#include "analysis/coverage.hpp"
#include "analysis/gaps.hpp"

namespace hubmap {

/// One line saying what was asked: designation types, prefectures, kinds, date, radius.
std::string describeQuery(const CoverageResult& result);

/// The coverage table for `by` (municipality, prefecture or nation), then the query's notes.
std::string coverageTable(const Dataset& data, const CoverageResult& result, const std::string& by, bool lackingOnly,
                          std::optional<double> minShare);

/// The two rankings of `hubmap gaps`, then the query's notes.
std::string gapsTables(const Dataset& data, const CoverageResult& result, const GapsResult& gaps,
                       const GapOptions& options, bool municipalities, bool prefectures);

}  // namespace hubmap
