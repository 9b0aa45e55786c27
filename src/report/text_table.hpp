#pragma once
// Plain-text tables for the terminal, aligned by display width: East Asian wide and
// fullwidth characters (漢字, かな, ＡＢＣ) take two columns, so Japanese names line up.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace hubmap {

/// Terminal columns a UTF-8 string takes: 2 for East Asian Wide/Fullwidth code points
/// (Unicode UAX #11), 0 for combining marks and zero-width characters, 1 otherwise.
size_t displayWidth(std::string_view utf8);

/// `utf8` cut to at most `width` columns, ending in "…" when cut.
std::string fitWidth(std::string_view utf8, size_t width);

/// `utf8` padded with spaces to `width` columns (left-aligned), or right-aligned when `right`.
std::string pad(std::string_view utf8, size_t width, bool right = false);

/// A count for reading, grouped by thousands: 117714 → "117,714", -20355 → "-20,355".
std::string groupedThousands(long long value);

/// A table printed with a header row, columns separated by two spaces.
class TextTable {
public:
    enum class Align { Left, Right };
    struct Column {
        std::string header;
        Align align = Align::Left;
        size_t maxWidth = 0;  ///< cells wider than this are cut with "…" (0: never)
    };

    explicit TextTable(std::vector<Column> columns);
    void addRow(std::vector<std::string> cells);
    size_t rows() const { return rows_.size(); }
    /// The whole table, one line per row, each ending in '\n' (trailing spaces trimmed).
    std::string render() const;
    void print(std::FILE* out = stdout) const;

private:
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace hubmap
