#pragma once
// "Copy table": the coverage result's prefecture or municipality table as tab-separated
// text for pasting into a spreadsheet, with the columns and values of the CSV rows
// (`hubmap coverage --format csv`: the field registry, report/fields.hpp) and the same
// protection against cells a spreadsheet would run as formulas (core/spreadsheet.hpp).

#include <string>

#include "analysis/coverage.hpp"
#include "core/model.hpp"

namespace hubmap::viewer {

/// The prefectures of `result`, one line each after a header of the fields' labels
/// ("都道府県名 (prefecture name)"); rows end in "\r\n", as Excel's own copies do.
std::string prefectureTableTsv(const Dataset& data, const CoverageResult& result);
/// The municipalities of `result`, likewise.
std::string municipalityTableTsv(const Dataset& data, const CoverageResult& result);

}  // namespace hubmap::viewer
