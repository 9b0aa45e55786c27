#include "core/names.hpp"

#include <array>
#include <utility>

namespace hubmap {

namespace {

constexpr std::array<std::string_view, 47> kPrefectures = {
    "北海道", "青森県", "岩手県", "宮城県",   "秋田県", "山形県",   "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",   "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県",   "滋賀県", "京都府",   "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県",   "山口県", "徳島県",   "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県",   "宮崎県", "鹿児島県", "沖縄県"};

// Variant characters seen across MLIT, MIC and address data for the same names.
// 繩 and 溪 are the old forms the pre-merger boundary data uses (沖繩県, 溪… names).
constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kVariants = {{
    {"ヶ", "ケ"},
    {"ヵ", "ケ"},
    {"ｹ", "ケ"},
    {"檮", "梼"},
    {"﨑", "崎"},
    {"髙", "高"},
    {"邊", "辺"},
    {"邉", "辺"},
    {"澤", "沢"},
    {"齋", "斉"},
    {"齊", "斉"},
    {"舘", "館"},
    {"冨", "富"},
    {"繩", "縄"},
    {"溪", "渓"},
    {"\u3000", ""},
    {" ", ""},
}};

}  // namespace

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
    for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
        s.replace(pos, from.size(), to);
    }
}

std::string trimSpaces(std::string_view s) {
    constexpr std::string_view kIdeographicSpace = "\u3000";
    for (;;) {
        const size_t before = s.size();
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
            s.remove_prefix(1);
        }
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
            s.remove_suffix(1);
        }
        if (startsWith(s, kIdeographicSpace)) s.remove_prefix(kIdeographicSpace.size());
        if (endsWith(s, kIdeographicSpace)) s.remove_suffix(kIdeographicSpace.size());
        if (s.size() == before) return std::string(s);
    }
}

std::string normaliseName(std::string_view name) {
    std::string s(name);
    for (const auto& [from, to] : kVariants) replaceAll(s, from, to);
    return s;
}

std::string stripCounty(std::string_view name) {
    const std::string_view gun = "郡";
    const size_t pos = name.find(gun);
    if (pos == std::string_view::npos || pos == 0) return std::string(name);
    const std::string_view rest = name.substr(pos + gun.size());
    if (rest.empty() || !(endsWith(rest, "町") || endsWith(rest, "村"))) return std::string(name);
    return std::string(rest);
}

int prefectureCode(std::string_view name) {
    for (size_t i = 0; i < kPrefectures.size(); ++i) {
        if (kPrefectures[i] == name) return static_cast<int>(i) + 1;
    }
    return 0;
}

std::string_view prefectureName(int code) {
    if (code < 1 || code > 47) return {};
    return kPrefectures[static_cast<size_t>(code - 1)];
}

bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b) {
    // Bytes >= 0x80 (UTF-8 lead and continuation bytes) are outside 'A'..'Z' and compare as they are.
    auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (fold(a[i]) != fold(b[i])) return false;
    }
    return true;
}

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && equalsIgnoringAsciiCase(s.substr(0, prefix.size()), prefix);
}

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && equalsIgnoringAsciiCase(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace hubmap
