#pragma once
// Municipality names → codes, tolerant of the spelling variants Japanese sources use.
// One implementation, shared by `hubmap init` (joining designations and the gazetteer)
// and the geocoder (placing hubs given by prefecture and municipality name, or by an
// address in one column).

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace hubmap {

class Database;

/// The key place names are compared by (never shown): Unicode NFKC (ICU: full-width digits and
/// letters, half-width katakana, ideographic spaces, compatibility ideographs), then the
/// variant kanji and ヶ/ヵ → ケ that NFKC leaves alone (normaliseName), が between kana or kanji
/// → ケ (旭が丘/旭ケ丘), の/之 → ノ, spaces removed. Apply to both sides of a comparison.
std::string matchKey(std::string_view name);

/// Unicode NFKC of UTF-8 text (ICU); the text unchanged when it is not valid UTF-8.
std::string nfkc(std::string_view text);

/// Levenshtein distance between two UTF-8 strings, counted in code points.
size_t editDistance(std::string_view a, std::string_view b);

/// One administrative unit as the index needs it (an N03 feature or an admin_units row).
struct AdminUnitName {
    int prefectureCode = 0;        ///< 1..47
    std::string county;            ///< 郡, or the designated city for a ward ("札幌市")
    std::string name;              ///< municipality or ward name ("本山町", "中央区")
    bool isWard = false;           ///< a ward of a designated city
    std::string municipalityCode;  ///< its own code, or its designated city's for a ward
};

/// Looks municipality codes up by (prefecture, name). Accepted forms, all compared by
/// matchKey(): "county+name" (長岡郡本山町, 札幌市中央区 → the city), the bare name
/// (本山町, 中央区 → its city), a designated city's own name (札幌市), and a name with a
/// county prefix that the sources spell differently (stripCounty).
class MunicipalityNameIndex {
public:
    MunicipalityNameIndex() = default;
    explicit MunicipalityNameIndex(const std::vector<AdminUnitName>& units);

    /// Builds the index from a hubmap database's admin_units table.
    static MunicipalityNameIndex fromDatabase(const Database& db);

    /// Codes `name` can mean within a prefecture: empty when none, several when ambiguous
    /// (e.g. 北区 in 大阪府 is a ward of both 大阪市 and 堺市).
    std::set<std::string> lookup(int prefectureCode, const std::string& name) const;

    /// The same over every prefecture, for sources that give no prefecture (a code's first two
    /// digits name its prefecture). A name with its 郡 decides: 邑智郡美郷町 is 島根県美郷町 only,
    /// although the bare 美郷町 is also in 宮崎県.
    std::set<std::string> lookupAnywhere(const std::string& name) const;

    /// The length in bytes of the longest prefix of `text` (as written, whole characters) whose
    /// matchKey is a name the index knows (with or without its 郡; a designated city with or
    /// without its ward), within one prefecture or, for 0, any; 0 when none.
    size_t longestNamePrefix(int prefectureCode, std::string_view text) const;

    /// Up to `max` names (as the source spells them, with 郡) nearest to `name` by edit distance on
    /// their match keys, within one prefecture or, for 0, all; only those at most a third of the
    /// name's length away (at least 1). For "did you mean" hints.
    std::vector<std::string> nearest(int prefectureCode, const std::string& name, size_t max = 3) const;

private:
    // match key → prefecture → codes: lookupAnywhere asks for one key in every prefecture.
    using CodesByPrefecture = std::map<int, std::set<std::string>>;
    std::unordered_map<std::string, CodesByPrefecture> full_, bare_;
    std::unordered_set<std::string> prefixes_[48];  // match keys of every name form, per prefecture (0: all)
    struct Display {
        int prefectureCode;
        std::string key, shown;
    };
    std::vector<Display> display_;
};

}  // namespace hubmap
