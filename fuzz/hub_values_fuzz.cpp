// Fuzz target: the value parsers import applies to every row (coordinates, fiscal_year in
// Western and era forms, opened dates) and the spreadsheet guard of the CSV writers. Each
// result is checked against what its header promises; a broken promise aborts.

#include <cmath>
#include <cstdint>
#include <string>

#include "core/spreadsheet.hpp"
#include "fuzz_require.hpp"
#include "io/import.hpp"

using namespace hubmap;
using hubmap::fuzz::require;

namespace {

bool isDigits(const std::string& s, size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string s(reinterpret_cast<const char*>(data), size);

    if (const auto v = parseNumber(s)) require(std::isfinite(*v), "parseNumber gives a finite number", s);

    if (const auto year = parseFiscalYear(s)) {
        require(*year >= 1900 && *year <= 2100, "parseFiscalYear gives a year in 1900-2100", s);
    }

    if (validOpened(s)) {
        require(s.size() == 4 || s.size() == 7 || s.size() == 10, "validOpened: YYYY, YYYY-MM or YYYY-MM-DD", s);
        require(isDigits(s, 0, 4), "validOpened: a four-digit year", s);
        if (s.size() >= 7) {
            const int month = std::stoi(s.substr(5, 2));
            require(s[4] == '-' && month >= 1 && month <= 12, "validOpened: a month 01-12", s);
        }
        if (s.size() == 10) {
            const int day = std::stoi(s.substr(8, 2));
            require(s[7] == '-' && day >= 1 && day <= 31, "validOpened: a day 01-31", s);
        }
    }

    if (const auto opened = parseOpened(s))
        require(validOpened(*opened), "parseOpened gives what validOpened accepts", s);

    const std::string safe = spreadsheetSafe(s);
    require(safe.empty() || std::string("=+-@\t\r").find(safe.front()) == std::string::npos,
            "spreadsheetSafe: no text cell starts a formula", s);
    require(safe == s || safe == "'" + s, "spreadsheetSafe: the cell or ' and the cell", s);
    if (safe != s) require(undoSpreadsheetSafe(safe) == s, "undoSpreadsheetSafe restores a guarded cell", s);
    const std::string number = spreadsheetSafe(s, true);
    require(number == s || number == safe, "spreadsheetSafe on a numeric field: the cell or the guarded cell", s);
    return 0;
}
