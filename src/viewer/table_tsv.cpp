#include "viewer/table_tsv.hpp"

#include <fmt/format.h>

#include <type_traits>

#include "core/spreadsheet.hpp"
#include "report/fields.hpp"

namespace hubmap::viewer {

namespace {

/// A cell: no tab or line break inside (they would split it), numbers as the CSV writes them.
std::string cell(const FieldValue& value, bool numeric) {
    std::string text = std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return "";
            } else if constexpr (std::is_same_v<T, bool>) {
                return v ? "TRUE" : "FALSE";
            } else if constexpr (std::is_same_v<T, long long>) {
                return std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                return fmt::format("{}", v);  // shortest round trip, '.' whatever the locale
            } else if constexpr (std::is_same_v<T, std::string>) {
                return v;
            } else {
                std::string joined;
                for (const std::string& s : v) joined += (joined.empty() ? "" : "|") + s;
                return joined;
            }
        },
        value);
    for (char& c : text) {
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    }
    return spreadsheetSafe(text, numeric);
}

template <class Row>
std::string tsv(const FieldList<Row>& fields, const std::vector<Row>& rows) {
    const std::vector<FieldInfo> infos = fieldInfos(fields, kOutRows);
    std::string out;
    for (std::size_t i = 0; i < infos.size(); ++i) out += (i ? "\t" : "") + cell(fieldAlias(infos[i]), false);
    out += "\r\n";
    for (const Row& row : rows) {
        const std::vector<FieldValue> values = fieldValues(fields, kOutRows, row);
        for (std::size_t i = 0; i < values.size(); ++i) {
            const FieldType t = infos[i].type;
            const bool numeric = t == FieldType::Integer || t == FieldType::Integer64 || t == FieldType::Real;
            out += (i ? "\t" : "") + cell(values[i], numeric);
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace

std::string prefectureTableTsv(const Dataset& data, const CoverageResult& result) {
    std::vector<TotalsRow> rows;
    for (const PrefectureCoverage& p : result.prefectures) rows.push_back(prefectureRow(data, p));
    return tsv(totalsFields(), rows);
}

std::string municipalityTableTsv(const Dataset& data, const CoverageResult& result) {
    std::vector<MunicipalityRow> rows;
    for (const MunicipalityCoverage& m : result.municipalities) rows.push_back(municipalityRow(data, m));
    return tsv(municipalityFields(), rows);
}

}  // namespace hubmap::viewer
