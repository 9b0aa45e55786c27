#include "report/text_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace hubmap {

namespace {

/// Decodes the code point at s[i] and advances i (invalid bytes count as one column each).
char32_t nextCodePoint(std::string_view s, size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    return cp;
}

// East Asian Wide (W) and Fullwidth (F) ranges of Unicode 15's EastAsianWidth.txt, merged.
constexpr std::pair<char32_t, char32_t> kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
    {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

int codePointWidth(char32_t cp) {
    // Combining marks, variation selectors, zero-width space/joiners: no column of their own.
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
        cp == 0x3099 || cp == 0x309A) {
        return 0;
    }
    for (const auto& [lo, hi] : kWide) {
        if (cp < lo) break;
        if (cp <= hi) return 2;
    }
    return 1;
}

}  // namespace

std::string groupedThousands(long long value) {
    // fmt's {:L} would need a locale with grouping installed; planners' machines may lack one.
    const std::string digits =
        std::to_string(value < 0 ? -static_cast<unsigned long long>(value) : static_cast<unsigned long long>(value));
    std::string out = value < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

size_t displayWidth(std::string_view utf8) {
    size_t width = 0;
    for (size_t i = 0; i < utf8.size();) width += static_cast<size_t>(codePointWidth(nextCodePoint(utf8, i)));
    return width;
}

std::string fitWidth(std::string_view utf8, size_t width) {
    if (displayWidth(utf8) <= width) return std::string(utf8);
    if (width == 0) return {};
    size_t used = 0, i = 0;
    while (i < utf8.size()) {
        size_t next = i;
        const int w = codePointWidth(nextCodePoint(utf8, next));
        if (used + static_cast<size_t>(w) > width - 1) break;  // keep one column for "…"
        used += static_cast<size_t>(w);
        i = next;
    }
    return std::string(utf8.substr(0, i)) + "…";
}

std::string pad(std::string_view utf8, size_t width, bool right) {
    const size_t w = displayWidth(utf8);
    const std::string spaces(w < width ? width - w : 0, ' ');
    return right ? spaces + std::string(utf8) : std::string(utf8) + spaces;
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TextTable::addRow(std::vector<std::string> cells) {
    cells.resize(columns_.size());
    for (size_t c = 0; c < cells.size(); ++c) {
        if (columns_[c].maxWidth > 0) cells[c] = fitWidth(cells[c], columns_[c].maxWidth);
    }
    rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
    std::vector<size_t> widths(columns_.size());
    for (size_t c = 0; c < columns_.size(); ++c) widths[c] = displayWidth(columns_[c].header);
    for (const auto& row : rows_) {
        for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], displayWidth(row[c]));
    }
    std::string out;
    auto line = [&](auto cell) {
        std::string text;
        for (size_t c = 0; c < columns_.size(); ++c) {
            if (c > 0) text += "  ";
            text += pad(cell(c), widths[c], columns_[c].align == Align::Right);
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out += text + "\n";
    };
    line([&](size_t c) { return std::string_view(columns_[c].header); });
    for (const auto& row : rows_) line([&](size_t c) { return std::string_view(row[c]); });
    return out;
}

void TextTable::print(std::FILE* out) const { fmt::print(out, "{}", render()); }

}  // namespace hubmap
