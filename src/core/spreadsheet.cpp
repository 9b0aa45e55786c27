#include "core/spreadsheet.hpp"

namespace hubmap {

namespace {

bool startsFormula(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// [+-]digits[.digits][(e|E)[+-]digits], at least one digit before the exponent; no
/// locale, no spaces, no hex or inf/nan (which a spreadsheet would not read as numbers).
bool isPlainNumber(std::string_view s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t digits = 0;
    while (i < s.size() && isDigit(s[i])) ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && isDigit(s[i])) ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        size_t exponent = 0;
        while (i < s.size() && isDigit(s[i])) ++i, ++exponent;
        if (exponent == 0) return false;
    }
    return i == s.size();
}

}  // namespace

std::string spreadsheetSafe(std::string_view cell, bool numericField) {
    if (cell.empty() || !startsFormula(cell.front()) || (numericField && isPlainNumber(cell))) {
        return std::string(cell);
    }
    std::string out;
    out.reserve(cell.size() + 1);
    out += '\'';
    out += cell;
    return out;
}

std::string_view undoSpreadsheetSafe(std::string_view cell) {
    if (cell.size() >= 2 && cell.front() == '\'' && startsFormula(cell[1])) return cell.substr(1);
    return cell;
}

}  // namespace hubmap
