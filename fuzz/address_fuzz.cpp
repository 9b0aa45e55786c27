// Fuzz target: splitting an address written in one cell (io/address.hpp) and the keys names are
// matched by (matchKey, districtKey, editDistance). Runs on a small hand-made name index, so it
// needs no database. Each result is checked against what its header promises; a broken promise
// aborts.

#include <cstdint>
#include <string>

#include "core/names.hpp"
#include "fuzz_require.hpp"
#include "io/address.hpp"
#include "io/geocode.hpp"
#include "io/name_index.hpp"
#include "io/text_encoding.hpp"

using namespace hubmap;
using hubmap::fuzz::require;

namespace {

const MunicipalityNameIndex& names() {
    // Names that catch the parser out: a county, a ward of a designated city, two towns of one
    // name in two prefectures, a name that is the start of another (市川市 / 市川三郷町), kanji
    // numbers in names, hiragana with の and が.
    static const MunicipalityNameIndex index({
        {39, "長岡郡", "本山町", false, "39341"},
        {32, "邑智郡", "美郷町", false, "32448"},
        {45, "東臼杵郡", "美郷町", false, "45431"},
        {32, "", "雲南市", false, "32209"},
        {1, "札幌市", "中央区", true, "01100"},
        {1, "札幌市", "北区", true, "01100"},
        {12, "", "市川市", false, "12203"},
        {19, "西八代郡", "市川三郷町", false, "19346"},
        {39, "", "四万十市", false, "39210"},
        {39, "吾川郡", "いの町", false, "39386"},
        {8, "", "かすみがうら市", false, "08224"},
    });
    return index;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string s(reinterpret_cast<const char*>(data), size);
    const bool utf8 = !firstInvalidUtf8(s);

    const ParsedAddress p = parseAddress(s, names());
    if (p.ok()) {
        require(!p.municipality.empty(), "parseAddress: a parsed address has a municipality", s);
        require(!names().lookupAnywhere(p.municipality).empty(), "parseAddress: the municipality is a known name", s);
        require(p.prefecture.empty() || prefectureCode(p.prefecture) != 0, "parseAddress: a real prefecture", s);
        require(p.suggestions.empty(), "parseAddress: suggestions only with a problem", s);
    } else {
        require(p.municipality.empty() && p.district.empty(), "parseAddress: a problem leaves the parts empty", s);
    }
    if (utf8) {
        for (const std::string* part : {&p.prefecture, &p.municipality, &p.district, &p.lot}) {
            require(!firstInvalidUtf8(*part), "parseAddress: parts of UTF-8 text are UTF-8", s);
        }
        require(!firstInvalidUtf8(matchKey(s)), "matchKey: UTF-8 in, UTF-8 out", s);
        require(!firstInvalidUtf8(districtKey(s)), "districtKey: UTF-8 in, UTF-8 out", s);
        require(matchKey(matchKey(s)) == matchKey(s), "matchKey is idempotent", s);
    }
    require(editDistance(s, s) == 0, "editDistance of a text to itself is 0", s);
    require(leadingChomeOfLot(s) >= 0, "leadingChomeOfLot is never negative", s);
    return 0;
}
