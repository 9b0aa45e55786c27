#pragma once
// Splitting an address written in one cell (住所, 所在地) into the parts the geocoder places
// by: 都道府県 (optional), 郡 (optional) + 市町村 (or 政令市 + 区), 大字・町丁目, and the 番地 /
// 号 / lot, which names no place in the gazetteer and is only kept.
//
//   島根県邑智郡美郷町粕渕１２３番地   → 島根県 | 邑智郡美郷町 | 粕渕 | １２３番地
//   雲南市掛合町大字多根 ４５６（旧掛合町） → — | 雲南市 | 掛合町大字多根 | ４５６ (note 旧掛合町)
//   札幌市中央区北１条西２丁目１－１     → — | 札幌市中央区 | 北１条西２丁目 | １－１
//
// The municipality is the longest leading name the MunicipalityNameIndex knows, so a name is
// never cut short (市川三郷町 is not 市川市). The district ends where the lot begins: at the
// first number that is not a 丁目, 条 or 線 (３丁目, 三丁目; 北１条), or at a kanji number
// followed by 番, 番地 or 号. Parts keep the spelling of the cell.

#include <string>
#include <string_view>
#include <vector>

namespace hubmap {

class MunicipalityNameIndex;

struct ParsedAddress {
    std::string prefecture;          ///< "島根県", or "" when the address names none
    std::string municipality;        ///< "邑智郡美郷町", "札幌市中央区", "雲南市"
    std::string district;            ///< "掛合町大字多根", "北１条西２丁目"; "" when none
    std::string lot;                 ///< "１２３番地", "１－１"; "" when none
    std::vector<std::string> notes;  ///< bracketed notes taken out ("旧掛合町")
    /// Why no municipality was found ("" when one was); with the nearest names in `suggestions`.
    std::string problem;
    std::vector<std::string> suggestions;

    bool ok() const { return problem.empty(); }
};

/// Splits one address. Never throws for bad text: see ParsedAddress::problem.
ParsedAddress parseAddress(std::string_view text, const MunicipalityNameIndex& names);

/// The first number of a lot written as 丁目-番-号 without 丁目 ("3-4-5", "３－４－５" → 3); 0
/// when the lot is not of that form.
int leadingChomeOfLot(std::string_view lot);

}  // namespace hubmap
