#include "io/name_index.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>

#include "core/names.hpp"
#include "io/spatialite.hpp"
#include "io/text_encoding.hpp"

namespace hubmap {

namespace {

const icu::Normalizer2& nfkcNormalizer() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status) || !n) throw std::runtime_error(std::string("ICU NFKC: ") + u_errorName(status));
    return *n;
}

std::u32string codePoints(std::string_view s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (size_t k = 1; k < n && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += n;
    }
    return out;
}

bool isKanaOrKanji(std::string_view s, size_t at, bool before) {
    // The character ending at (before) or starting at `at`: hiragana, katakana or a CJK ideograph.
    if (before) {
        if (at == 0) return false;
        size_t i = at - 1;
        while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
        const std::u32string cp = codePoints(s.substr(i, at - i));
        return !cp.empty() && cp[0] >= 0x3041 && (cp[0] <= 0x30FF || (cp[0] >= 0x4E00 && cp[0] <= 0x9FFF));
    }
    if (at >= s.size()) return false;
    const std::u32string cp = codePoints(s.substr(at, 4));
    // A combining (han)dakuten belongs to the character before it, not to a name character after
    // it: が followed by U+3099 turned into ケ + U+3099 would compose to ゲ at the next NFKC, so
    // matchKey would not be idempotent (found by fuzz_address).
    if (!cp.empty() && (cp[0] == 0x3099 || cp[0] == 0x309A)) return false;
    return !cp.empty() && cp[0] >= 0x3041 && (cp[0] <= 0x30FF || (cp[0] >= 0x4E00 && cp[0] <= 0x9FFF));
}

}  // namespace

std::string nfkc(std::string_view text) {
    if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        return std::string(text);  // ASCII is its own NFKC
    }
    if (firstInvalidUtf8(text)) return std::string(text);
    // One character at a time is how the address parser asks: remember those, by their bytes.
    const bool oneCharacter = text.size() <= 4;
    std::uint64_t bytes = text.size();  // the length first: "\0é" is not "é"
    thread_local std::unordered_map<std::uint64_t, std::string> characters;
    if (oneCharacter) {
        for (const char c : text) bytes = bytes << 8 | static_cast<unsigned char>(c);
        if (auto it = characters.find(bytes); it != characters.end()) return it->second;
    }
    static const icu::Normalizer2& normalizer = nfkcNormalizer();
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString in =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    const icu::UnicodeString out = normalizer.normalize(in, status);
    if (U_FAILURE(status)) return std::string(text);
    std::string result;
    out.toUTF8String(result);
    if (oneCharacter && characters.size() < 65536) characters.emplace(bytes, result);
    return result;
}

std::string matchKey(std::string_view name) {
    std::string s = normaliseName(nfkc(name));
    replaceAll(s, "の", "ノ");
    replaceAll(s, "之", "ノ");
    // が as the particle of a place name (旭が丘, 関が原) is written ケ/ヶ as often; only between
    // two name characters, so a leading or trailing が is left alone.
    for (size_t pos = s.find("が"); pos != std::string::npos; pos = s.find("が", pos + 1)) {
        if (isKanaOrKanji(s, pos, true) && isKanaOrKanji(s, pos + 3, false)) s.replace(pos, 3, "ケ");
    }
    return s;
}

size_t editDistance(std::string_view a, std::string_view b) {
    const std::u32string x = codePoints(a), y = codePoints(b);
    std::vector<size_t> row(y.size() + 1);
    for (size_t j = 0; j <= y.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= x.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= y.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[y.size()];
}

MunicipalityNameIndex::MunicipalityNameIndex(const std::vector<AdminUnitName>& units) {
    std::set<std::pair<int, std::string>> shown;
    auto remember = [&](int pref, const std::string& key) {
        if (pref < 1 || pref > 47) return;
        prefixes_[pref].insert(key);
        prefixes_[0].insert(key);
    };
    for (const auto& u : units) {
        if (u.municipalityCode.empty()) continue;
        const std::string fullKey = matchKey(u.county + u.name), bareKey = matchKey(u.name);
        full_[fullKey][u.prefectureCode].insert(u.municipalityCode);
        bare_[bareKey][u.prefectureCode].insert(u.municipalityCode);
        remember(u.prefectureCode, fullKey);
        remember(u.prefectureCode, bareKey);
        const std::string shownName = u.isWard ? u.county : u.county + u.name;
        if (u.isWard) {
            const std::string cityKey = matchKey(u.county);
            bare_[cityKey][u.prefectureCode].insert(u.municipalityCode);
            remember(u.prefectureCode, cityKey);
        }
        if (shown.emplace(u.prefectureCode, shownName).second) {
            display_.push_back(Display{u.prefectureCode, matchKey(shownName), shownName});
            if (!u.isWard && !u.county.empty()) display_.push_back(Display{u.prefectureCode, bareKey, shownName});
        }
    }
}

MunicipalityNameIndex MunicipalityNameIndex::fromDatabase(const Database& db) {
    std::vector<AdminUnitName> units;
    Statement st = db.prepare(
        "SELECT prefecture_code, county, name, is_ward, municipality_code FROM admin_units"
        " WHERE municipality_code IS NOT NULL");
    while (st.step()) {
        units.push_back(
            AdminUnitName{static_cast<int>(st.int64(0)), st.text(1), st.text(2), st.int64(3) != 0, st.text(4)});
    }
    return MunicipalityNameIndex(units);
}

namespace {

const std::set<std::string>* codesIn(const std::unordered_map<std::string, std::map<int, std::set<std::string>>>& names,
                                     const std::string& key, int prefectureCode) {
    const auto byKey = names.find(key);
    if (byKey == names.end()) return nullptr;
    const auto it = byKey->second.find(prefectureCode);
    return it == byKey->second.end() ? nullptr : &it->second;
}

}  // namespace

std::set<std::string> MunicipalityNameIndex::lookup(int prefectureCode, const std::string& name) const {
    const std::string n = matchKey(name);
    if (const auto* codes = codesIn(full_, n, prefectureCode)) return *codes;
    if (const auto* codes = codesIn(bare_, n, prefectureCode)) return *codes;
    if (const auto* codes = codesIn(bare_, matchKey(stripCounty(name)), prefectureCode)) return *codes;
    return {};
}

std::set<std::string> MunicipalityNameIndex::lookupAnywhere(const std::string& name) const {
    // Exact forms first: a name with its 郡 (or a city with its ward) found as such in one
    // prefecture is not also the bare name found elsewhere.
    const std::string n = matchKey(name);
    std::set<std::string> codes;
    if (const auto it = full_.find(n); it != full_.end()) {
        for (const auto& [pref, found] : it->second) codes.insert(found.begin(), found.end());
    }
    if (!codes.empty()) return codes;
    // Then, prefecture by prefecture as lookup() does: the bare name, else the name without its 郡.
    const auto bare = bare_.find(n);
    const auto stripped = bare_.find(matchKey(stripCounty(name)));
    for (int pref = 1; pref <= 47; ++pref) {
        const std::set<std::string>* found = bare != bare_.end() ? codesIn(bare_, n, pref) : nullptr;
        if (!found && stripped != bare_.end()) found = codesIn(bare_, stripped->first, pref);
        if (found) codes.insert(found->begin(), found->end());
    }
    return codes;
}

size_t MunicipalityNameIndex::longestNamePrefix(int prefectureCode, std::string_view text) const {
    if (prefectureCode < 0 || prefectureCode > 47) return 0;
    const auto& names = prefixes_[prefectureCode];
    // The longest name is 8 characters with its 郡 (西村山郡河北町); allow for spelling slack.
    constexpr size_t kMaxCharacters = 16;
    std::vector<size_t> ends;
    for (size_t i = 0; i < text.size() && ends.size() < kMaxCharacters;) {
        const auto c = static_cast<unsigned char>(text[i]);
        i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        ends.push_back(std::min(i, text.size()));
    }
    for (auto it = ends.rbegin(); it != ends.rend(); ++it) {
        // Every name ends in 市, 町, 村 or 区 (N03): only such prefixes need a key.
        const std::string_view prefix = text.substr(0, *it);
        if (!(endsWith(prefix, "市") || endsWith(prefix, "町") || endsWith(prefix, "村") || endsWith(prefix, "区"))) {
            continue;
        }
        if (names.count(matchKey(prefix))) return *it;
    }
    return 0;
}

std::vector<std::string> MunicipalityNameIndex::nearest(int prefectureCode, const std::string& name, size_t max) const {
    const std::string key = matchKey(name);
    const size_t length = codePoints(key).size();
    const size_t limit = std::max<size_t>(1, length / 3);
    std::vector<std::pair<size_t, std::string>> scored;
    std::set<std::string> seen;
    for (const Display& d : display_) {
        if (prefectureCode != 0 && d.prefectureCode != prefectureCode) continue;
        const size_t distance = editDistance(key, d.key);
        if (distance > limit || distance == 0) continue;
        std::string shown = prefectureCode == 0 ? std::string(prefectureName(d.prefectureCode)) + d.shown : d.shown;
        if (seen.insert(shown).second) scored.emplace_back(distance, std::move(shown));
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& [d, s] : scored) {
        if (out.size() == max) break;
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace hubmap
