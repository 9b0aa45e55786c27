#include "io/address.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/names.hpp"
#include "io/name_index.hpp"

namespace hubmap {

namespace {

size_t charLength(std::string_view s, size_t at) {
    const auto c = static_cast<unsigned char>(s[at]);
    const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return std::min(n, s.size() - at);
}

/// The characters of a text, each with its NFKC form (so ３ and 3 read alike, ｶ and カ).
struct Characters {
    std::vector<std::string> original, folded;
};

Characters splitCharacters(std::string_view s) {
    Characters out;
    for (size_t i = 0; i < s.size();) {
        const size_t n = charLength(s, i);
        out.original.emplace_back(s.substr(i, n));
        out.folded.push_back(nfkc(s.substr(i, n)));
        i += n;
    }
    return out;
}

bool isDigit(const std::string& folded) { return folded.size() == 1 && folded[0] >= '0' && folded[0] <= '9'; }

bool isKanjiDigit(const std::string& c) {
    static const char* const kDigits[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千"};
    return std::any_of(std::begin(kDigits), std::end(kDigits), [&](const char* d) { return c == d; });
}

bool isHyphen(const std::string& folded) {
    static const char* const kHyphens[] = {"-", "ー", "‐", "−", "‑", "–", "—", "―", "ｰ"};
    return std::any_of(std::begin(kHyphens), std::end(kHyphens), [&](const char* h) { return folded == h; });
}

bool isSpace(const std::string& folded) { return folded == " " || folded == "\t"; }

/// Does the text at character i start with `word` (compared in NFKC)?
bool at(const Characters& c, size_t i, std::string_view word) {
    std::string joined;
    for (size_t k = i; k < c.folded.size() && joined.size() < word.size(); ++k) joined += c.folded[k];
    return startsWith(joined, word);
}

std::string join(const Characters& c, size_t from, size_t to) {
    std::string out;
    for (size_t k = from; k < to && k < c.original.size(); ++k) {
        if (!isSpace(c.folded[k])) out += c.original[k];
    }
    return out;
}

/// Takes bracketed notes out: （旧掛合町）, (旧掛合町), 【…】.
std::string takeNotes(std::string_view text, std::vector<std::string>& notes) {
    static const std::pair<std::string_view, std::string_view> kBrackets[] = {
        {"（", "）"}, {"(", ")"}, {"【", "】"}, {"［", "］"}, {"[", "]"}};
    std::string s(text);
    for (const auto& [open, close] : kBrackets) {
        for (size_t pos = s.find(open); pos != std::string::npos; pos = s.find(open, pos)) {
            const size_t end = s.find(close, pos + open.size());
            if (end == std::string::npos) break;
            std::string note = trimSpaces(s.substr(pos + open.size(), end - pos - open.size()));
            if (!note.empty()) notes.push_back(std::move(note));
            s.erase(pos, end + close.size() - pos);
        }
    }
    return s;
}

/// The first character of the lot in the district text, or c.size() when there is none.
size_t lotStart(const Characters& c, size_t from) {
    for (size_t i = from; i < c.folded.size(); ++i) {
        const bool arabic = isDigit(c.folded[i]);
        const bool kanji = !arabic && isKanjiDigit(c.original[i]);
        if (!arabic && !kanji) {
            if (isHyphen(c.folded[i]) && i + 1 < c.folded.size() && isDigit(c.folded[i + 1]) && i > from &&
                !isDigit(c.folded[i - 1])) {
                return i;  // "-12" after a name: a lot with its separator
            }
            continue;
        }
        size_t end = i;
        while (end < c.folded.size() && (arabic ? isDigit(c.folded[end]) : isKanjiDigit(c.original[end]))) ++end;
        if (at(c, end, "丁目") || at(c, end, "条") || at(c, end, "線")) {
            i = end;  // part of the district: ３丁目, 三丁目, 北１条
            continue;
        }
        if (arabic) return i;
        // A kanji number is a name (三原, 四万十, 一宮; 一番町, 東七線北二十二号 in the gazetteer)
        // unless 番 (not 番町/番丁) or a separator follows.
        if ((at(c, end, "番") && !at(c, end, "番町") && !at(c, end, "番丁")) ||
            (end + 1 < c.folded.size() && isHyphen(c.folded[end]) &&
             (isDigit(c.folded[end + 1]) || isKanjiDigit(c.original[end + 1])))) {
            return i;
        }
        i = end - 1;
    }
    return c.folded.size();
}

}  // namespace

ParsedAddress parseAddress(std::string_view text, const MunicipalityNameIndex& names) {
    ParsedAddress p;
    std::string rest = trimSpaces(takeNotes(text, p.notes));
    // Spaces separate parts as often as they split a name (島根県 邑智郡 美郷町): ignore them.
    std::string compact;
    const Characters all = splitCharacters(rest);
    for (size_t i = 0; i < all.original.size(); ++i) {
        if (!isSpace(all.folded[i])) compact += all.original[i];
    }
    rest = compact;
    if (rest.empty()) {
        p.problem = "the address is empty";
        return p;
    }

    int pref = 0;
    for (int code = 1; code <= 47 && pref == 0; ++code) {
        const std::string name(prefectureName(code));
        if (startsWith(rest, name)) {
            pref = code;
            p.prefecture = name;
            rest.erase(0, name.size());
        }
    }

    const size_t muniBytes = names.longestNamePrefix(pref, rest);
    if (muniBytes == 0) {
        // The first word that looks like a municipality, for the hint.
        const Characters c = splitCharacters(rest);
        size_t end = 0;
        while (end < c.original.size() && end < 8) {
            const std::string& ch = c.original[end++];
            if (ch == "市" || ch == "町" || ch == "村" || ch == "区") break;
        }
        const std::string head = join(c, 0, end);
        p.suggestions = names.nearest(pref, head);
        p.problem = pref ? fmt::format("the address names no municipality of {} after the prefecture ('{}')",
                                       prefectureName(pref), head)
                         : fmt::format("the address names no prefecture and no municipality ('{}')", head);
        return p;
    }
    p.municipality = rest.substr(0, muniBytes);
    const Characters c = splitCharacters(rest.substr(muniBytes));
    const size_t lot = lotStart(c, 0);
    p.district = join(c, 0, lot);
    p.lot = join(c, lot, c.original.size());
    return p;
}

int leadingChomeOfLot(std::string_view lot) {
    const Characters c = splitCharacters(lot);
    size_t i = 0;
    int value = 0;
    while (i < c.folded.size() && isDigit(c.folded[i]) && value < 1000) value = value * 10 + (c.folded[i++][0] - '0');
    if (i == 0 || i >= c.folded.size() || !isHyphen(c.folded[i])) return 0;
    // 丁目-番-号: two separators; 番地-枝番 has one.
    const auto hyphens = std::count_if(c.folded.begin() + static_cast<long>(i), c.folded.end(), isHyphen);
    return hyphens >= 2 ? value : 0;
}

}  // namespace hubmap
