#pragma once
// Spreadsheet safety for the CSV files hubmap writes (OWASP "CSV Injection"): a text cell
// that begins with = + - @ TAB or CR is run as a formula by Excel and LibreOffice
// (=HYPERLINK(...) sends data away), so it is written with a leading single quote, which
// makes the spreadsheet show it as text. Every CSV writer (io/gdal.hpp writeTextCsv,
// report/feature_writer.hpp) goes through this one function.

#include <string>
#include <string_view>

namespace hubmap {

/// `cell` prefixed with ' when it begins with = + - @ TAB or CR; unchanged otherwise. In a
/// numeric field (`numericField`) a plain number (-3.5, +1, 1e-3) is kept as it is: the
/// spreadsheet reads it as the number it is. In a text field every such cell is prefixed:
/// a name "-3.5" stays text.
std::string spreadsheetSafe(std::string_view cell, bool numericField = false);

/// The inverse for values read back from a CSV: a ' followed by = + - @ TAB or CR is
/// dropped, so a CSV hubmap wrote imports with the names it had. Anything else is unchanged.
std::string_view undoSpreadsheetSafe(std::string_view cell);

}  // namespace hubmap
