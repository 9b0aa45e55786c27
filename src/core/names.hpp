#pragma once
// Japanese place-name handling: prefecture codes and the normalisation used to
// join sources that spell the same municipality differently (檮原町/梼原町, ヶ/ケ).

#include <string>
#include <string_view>

namespace hubmap {

/// Folds variant spellings to one form: ヶ/ヵ/ｹ → ケ, 檮 → 梼, 﨑 → 崎, 髙 → 高,
/// 邊/邉 → 辺, 澤 → 沢, 齋/齊 → 斉, 舘 → 館, 冨 → 富,
/// 繩 → 縄, 溪 → 渓; removes ASCII/ideographic spaces.
/// Apply to both sides of a comparison.
std::string normaliseName(std::string_view name);

/// "長岡郡本山町" → "本山町": drops a leading county (…郡) when what follows is a
/// town or village. Returns the input unchanged otherwise (郡山市 stays).
std::string stripCounty(std::string_view name);

/// 1..47 for a prefecture's full name (北海道, 青森県, … 沖縄県); 0 if unknown.
int prefectureCode(std::string_view name);

/// Full name for a prefecture code 1..47; "" if out of range.
std::string_view prefectureName(int code);

/// `s` without leading and trailing ASCII whitespace and ideographic spaces (U+3000), which
/// Japanese spreadsheets leave around cell values.
std::string trimSpaces(std::string_view s);

/// Replaces every occurrence of `from` in `s` by `to`.
void replaceAll(std::string& s, std::string_view from, std::string_view to);

/// Prefix and suffix tests on UTF-8 strings that ignore ASCII case (".GPKG" ends in ".gpkg",
/// "/VSIZIP/" starts with "/vsi"); every other byte, hence every non-ASCII character, must match
/// exactly. ASCII folding is all file extensions, prefixes and keys need, and it cannot split
/// a multi-byte character.
bool startsWith(std::string_view s, std::string_view prefix);
bool endsWith(std::string_view s, std::string_view suffix);
/// Equality ignoring ASCII case, as above.
bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b);

}  // namespace hubmap
