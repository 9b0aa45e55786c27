#pragma once
// The field registry: every field hubmap writes is defined once, here — its key, type,
// Shapefile name, Japanese and English label, unit, the outputs it appears in and how its
// value is read from a row. The JSON documents, the CSV/GeoJSON rows of `coverage` and
// `gaps`, the layers of `hubmap export`, the Shapefile name table, the QGIS aliases and
// docs/fields.md are all produced from these lists, so no output can drift from another.
//
// A row type is a small struct of references (a municipality with its designation and
// coverage, a prefecture's totals, a hub, ...); each has one ordered field list. An output
// takes the fields of its row type that carry its FieldOutput bit, in list order. Adding a
// field to every output of a row type is one entry in its list (fields.cpp).

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "analysis/coverage.hpp"
#include "analysis/gaps.hpp"
#include "analysis/suggest.hpp"
#include "core/model.hpp"

namespace hubmap {

/// How a field is stored. Tabular formats: the OGR type; JSON: the value's own type.
enum class FieldType {
    Text,       ///< OFTString; a JSON string
    TextList,   ///< OFTString holding '|'-separated items; a JSON array of strings
    Integer,    ///< OFTInteger
    Integer64,  ///< OFTInteger64
    Real,       ///< OFTReal (IEEE double)
    Boolean,    ///< OFTInteger with subtype OFSTBoolean; JSON true/false
};

/// The outputs a field appears in (bits of FieldInfo::outputs).
enum FieldOutput : unsigned {
    kOutJson = 1u << 0,    ///< the JSON documents (hubmap.coverage/2, hubmap.gaps/2)
    kOutRows = 1u << 1,    ///< the rows of `hubmap coverage|gaps --format csv|geojson`
    kOutExport = 1u << 2,  ///< the layers of `hubmap export`
};

/// A value of a field: null (monostate) or one of the stored types.
using FieldValue = std::variant<std::monostate, bool, long long, double, std::string, std::vector<std::string>>;

/// What every output knows of a field, whatever its row type.
struct FieldInfo {
    const char* key;  ///< name in JSON and every format but Shapefile (ASCII snake_case)
    FieldType type;
    const char* shapefileName;  ///< name in a Shapefile (DBF: at most 10 characters)
    const char* labelJa;        ///< Japanese label
    const char* labelEn;        ///< English label ("" when the Japanese one is already plain: "ID")
    const char* unit;           ///< "km²", "km" or ""
    unsigned outputs;           ///< FieldOutput bits
    /// Names the unit of a totals row (code, name): the nation's JSON object has none.
    bool identifies = false;
};

/// The alias QGIS shows: "labelJa[ unit] (labelEn)", e.g. "面積 km² (area)".
std::string fieldAlias(const FieldInfo& f);

/// A share: a Real from 0 to 1 whose key ends in "_share" (covered_share, settlement_share, …).
/// Spreadsheets get it as a percentage.
bool isShare(const FieldInfo& f);

/// The Japanese column heading of a field in CSV (--headers ja) and XLSX: its label with
/// its unit, "面積（k㎡）"; with `percent` a share gets "（%）".
std::string fieldHeadingJa(const FieldInfo& f, bool percent);

/// Which terminal table is drawn and what the query computed: what decides whether a
/// field's column is shown.
struct TableContext {
    enum class Table { Coverage, Gaps };
    Table table = Table::Coverage;
    bool radius = false;       ///< the query had a radius
    bool settlements = false;  ///< settlement figures were computed (with a radius)
    bool population = false;   ///< population figures were computed (with or without a radius)
    bool codes = true;         ///< totals: a code column (not in the nation's table of one row)
};

/// A field's column in the terminal tables (`hubmap coverage`, `hubmap gaps`), formatted
/// for reading: km² to 0.1, shares as percentages, "-" where a figure does not apply.
template <class Row>
struct TableColumn {
    const char* heading;
    int order;  ///< place among a table's columns, low first (a gap row's own columns go between its municipality's)
    bool (*show)(const TableContext&);
    std::function<std::string(const Row&)> text;
    bool right = false;   ///< right-aligned (figures)
    size_t maxWidth = 0;  ///< cells wider than this are cut with "…" (0: never)
};

/// One field of rows of type Row.
template <class Row>
struct Field {
    FieldInfo info;
    std::function<FieldValue(const Row&)> get;
    /// The JSON form when it is richer than the value's (the uncovered list: [{code, name}]).
    std::function<nlohmann::json(const Row&)> json = nullptr;
    /// Its column in the terminal tables, if it has one.
    std::optional<TableColumn<Row>> column = std::nullopt;
};

template <class Row>
using FieldList = std::vector<Field<Row>>;

// ---------------------------------------------------------------------------------------
// Row types

/// A municipality: every one in the export, the designated ones of the query elsewhere.
struct MunicipalityRow {
    const Dataset& data;
    const Municipality& municipality;
    const Designation* designation;        ///< null: not designated
    const MunicipalityCoverage* coverage;  ///< null: not in the query (figures are null)
};
/// The row of a municipality of the query; throws Error when `data` does not hold it.
MunicipalityRow municipalityRow(const Dataset& data, const MunicipalityCoverage& m);

/// The roll-up of a prefecture or of the nation.
struct TotalsRow {
    const Dataset& data;
    std::optional<int> code;        ///< prefecture code; none for the nation
    std::string name;               ///< prefecture name, or the totals' label (totalsLabel)
    const CoverageTotals* totals;   ///< null: not in the query (export)
    std::optional<double> areaKm2;  ///< the prefecture's own area (export)
};
TotalsRow prefectureRow(const Dataset& data, const PrefectureCoverage& p);
/// The totals row of the whole query (CoverageResult::nation), named by totalsLabel.
TotalsRow nationRow(const Dataset& data, const CoverageResult& result);

/// What the totals of a query total: 全国 for the nation, "<prefecture>計" (島根県計) for one
/// prefecture, 選択計 for several.
std::string totalsLabel(const CoverageOptions& options);

/// A prefecture code as every output writes it: two digits, zero-padded ("08").
std::string prefectureCodeText(int code);

/// A hub the query used (export).
struct HubRow {
    const Hub& hub;
    bool codeMismatch;              ///< its code column names another municipality
    const Municipality* locatedIn;  ///< the polygon holding its point, if any
};

/// The dissolved catchment of one hub kind (export).
struct CatchmentRow {
    std::string kind;
    std::optional<double> radiusKm;
    int hubs;        ///< hubs of the kind with a point
    double areaKm2;  ///< geodesic area of the catchment
};

/// The part of a designated municipality outside every catchment (export).
struct UncoveredRow {
    const MunicipalityCoverage& coverage;
};

/// A population point outside every catchment (export).
struct PopulationPointRow {
    const PopulationPoint& point;
    const MunicipalityCoverage& coverage;  ///< its municipality
};

/// The designated area of one designated municipality of the query (export): its
/// designated part (一部過疎 with measured_on former_municipalities) or the whole polygon.
struct DesignatedAreaRow {
    const MunicipalityCoverage& coverage;
    const DesignatedPart* part;  ///< the 一部過疎 part, or null
};

/// A municipality of `hubmap gaps`: its gap figures, then its coverage row.
struct MunicipalityGapRow {
    const MunicipalityGap& gap;
    MunicipalityRow municipality;
};

/// A prefecture of `hubmap gaps`.
struct PrefectureGapRow {
    const PrefectureGap& gap;
    TotalsRow totals;
};

/// A site of `hubmap suggest`.
struct SuggestedSiteRow {
    const SuggestedSite& site;
};

// ---------------------------------------------------------------------------------------
// The registry

const FieldList<MunicipalityRow>& municipalityFields();
const FieldList<TotalsRow>& totalsFields();
const FieldList<HubRow>& hubFields();
const FieldList<CatchmentRow>& catchmentFields();
const FieldList<UncoveredRow>& uncoveredFields();
const FieldList<PopulationPointRow>& populationPointFields();
const FieldList<DesignatedAreaRow>& designatedAreaFields();
const FieldList<MunicipalityGapRow>& municipalityGapFields();
const FieldList<PrefectureGapRow>& prefectureGapFields();
const FieldList<SuggestedSiteRow>& suggestedSiteFields();

/// The names of the uncovered municipalities: one per code, the code itself when the
/// dataset has no municipality with it (so a list never loses an entry or shifts).
std::vector<std::string> uncoveredNames(const Dataset& data, const std::vector<std::string>& codes);

/// A field list of the registry, described for documentation: its row type's title and
/// the outputs where that row type appears.
struct FieldTable {
    std::string title;
    std::string appearsIn;
    std::vector<FieldInfo> fields;
    std::vector<std::string> headings;  ///< parallel to fields: its terminal-table column, or ""
};
/// Every field list of the registry, in the order docs/fields.md gives them.
std::vector<FieldTable> fieldTables();
/// docs/fields.md, generated from the registry (`hubmap fields --markdown` prints it).
std::string fieldsMarkdown();

// ---------------------------------------------------------------------------------------
// Using a field list

/// The descriptions of the fields of `list` that appear in `output`, in order.
template <class Row>
std::vector<FieldInfo> fieldInfos(const FieldList<Row>& list, unsigned output) {
    std::vector<FieldInfo> out;
    for (const auto& f : list) {
        if (f.info.outputs & output) out.push_back(f.info);
    }
    return out;
}

/// The values of a row for the fields of `list` that appear in `output`, in order.
template <class Row>
std::vector<FieldValue> fieldValues(const FieldList<Row>& list, unsigned output, const Row& row) {
    std::vector<FieldValue> out;
    for (const auto& f : list) {
        if (f.info.outputs & output) out.push_back(f.get(row));
    }
    return out;
}

/// A value as JSON: null, bool, number, string or array of strings.
nlohmann::json fieldValueJson(const FieldValue& v);

/// The JSON object of a row: every field that appears in kOutJson, null where it has no
/// value. Without `identity` the fields that name the unit are left out (the nation).
template <class Row>
nlohmann::json fieldsJson(const FieldList<Row>& list, const Row& row, bool identity = true) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& f : list) {
        if (!(f.info.outputs & kOutJson) || (!identity && f.info.identifies)) continue;
        out[f.info.key] = f.json ? f.json(row) : fieldValueJson(f.get(row));
    }
    return out;
}

/// Fields of an inner row type, read through `inner` from rows of type Outer (a gap row
/// carries the municipality's fields).
template <class Outer, class Inner, class Project>
FieldList<Outer> liftFields(const FieldList<Inner>& list, Project inner) {
    FieldList<Outer> out;
    for (const auto& f : list) {
        Field<Outer> g{f.info, [get = f.get, inner](const Outer& row) { return get(inner(row)); }};
        if (f.json) g.json = [json = f.json, inner](const Outer& row) { return json(inner(row)); };
        if (f.column) {
            const TableColumn<Inner>& c = *f.column;
            g.column = TableColumn<Outer>{
                c.heading, c.order,   c.show, [text = c.text, inner](const Outer& row) { return text(inner(row)); },
                c.right,   c.maxWidth};
        }
        out.push_back(std::move(g));
    }
    return out;
}

}  // namespace hubmap
