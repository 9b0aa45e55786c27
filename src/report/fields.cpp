// The field registry (see fields.hpp). Every field name hubmap writes appears in this file
// and nowhere else; the outputs take their fields from these lists.

#include "report/fields.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace hubmap {

namespace {

using T = FieldType;
constexpr unsigned kJ = kOutJson, kR = kOutRows, kE = kOutExport;
constexpr unsigned kAll = kOutJson | kOutRows | kOutExport;

template <class V>
FieldValue opt(const std::optional<V>& v) {
    if (!v) return {};
    if constexpr (std::is_floating_point_v<V>) {
        return static_cast<double>(*v);
    } else {
        return static_cast<long long>(*v);
    }
}

FieldValue integer(long long v) { return v; }

std::vector<std::string> hubIds(const Dataset& data, const std::vector<int>& hubs) {
    std::vector<std::string> ids;
    for (int i : hubs) ids.push_back(data.hubs.at(static_cast<size_t>(i)).id);
    return ids;
}

DesignationType designationType(const MunicipalityRow& r) {
    return r.designation ? r.designation->type : DesignationType::None;
}

// A coverage figure of a municipality: null outside the query.
template <class F>
FieldValue figure(const MunicipalityRow& r, F f) {
    return r.coverage ? f(*r.coverage) : FieldValue{};
}
template <class F>
FieldValue total(const TotalsRow& r, F f) {
    return r.totals ? f(*r.totals) : FieldValue{};
}

std::optional<double> ratio(int part, int whole) {
    return whole > 0 ? std::optional<double>(static_cast<double>(part) / whole) : std::nullopt;
}

// Terminal table cells.
std::string km2(double v) { return fmt::format("{:.1f}", v); }
std::string percent(double share) { return fmt::format("{:.1f}%", share * 100.0); }
template <class V>
std::string orDash(const std::optional<V>& v, std::string (*format)(double)) {
    return v ? format(static_cast<double>(*v)) : "-";
}
template <class V>
std::string countOrDash(const std::optional<V>& v) {
    return v ? std::to_string(*v) : "-";
}
std::string joinJa(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : "、") + i;
    return out;
}

// When a column is shown.
using Tbl = TableContext::Table;
bool always(const TableContext&) { return true; }
bool inCoverage(const TableContext& c) { return c.table == Tbl::Coverage; }
bool inGaps(const TableContext& c) { return c.table == Tbl::Gaps; }
bool withRadius(const TableContext& c) { return c.radius; }
bool coverageWithRadius(const TableContext& c) { return inCoverage(c) && c.radius; }
bool coverageWithSettlements(const TableContext& c) { return inCoverage(c) && c.settlements; }
bool gapsOrRadius(const TableContext& c) { return inGaps(c) || c.radius; }
bool gapsOrCodes(const TableContext& c) { return inGaps(c) || c.codes; }
bool populationWithoutRadius(const TableContext& c) { return c.population && (inGaps(c) || !c.radius); }
bool coveragePopulationWithRadius(const TableContext& c) { return inCoverage(c) && c.population && c.radius; }
bool populationInTable(const TableContext& c) { return c.population; }
bool gapsPopulationWithRadius(const TableContext& c) { return inGaps(c) && c.population && c.radius; }

// The short name of a population method in the tables.
std::string methodCell(const std::string& key) {
    if (key == populationMethodKey(PopulationMethod::CensusSmallAreas2015)) return "census 2015";
    if (key == populationMethodKey(PopulationMethod::RegisterSpread2022)) return "register 2022 (spread)";
    return key.empty() ? "-" : key;
}
std::string methodKey(const std::optional<PopulationMethod>& m) {
    return m ? std::string(populationMethodKey(*m)) : std::string();
}
FieldValue textOrNull(const std::string& s) {
    if (s.empty()) return {};
    return s;
}
constexpr const char* kMethodDescription =
    "how population was obtained: census_2015_small_areas, register_2022_spread (Hokkaido, Aichi), mixed (totals)";

// The figures of rows in a table (always in the query).
const MunicipalityCoverage& cov(const MunicipalityRow& r) {
    if (!r.coverage) throw Error(fmt::format("internal: municipality {} is not in the query", r.municipality.code));
    return *r.coverage;
}
const CoverageTotals& tot(const TotalsRow& r) {
    if (!r.totals) throw Error(fmt::format("internal: {} is not in the query", r.name));
    return *r.totals;
}

}  // namespace

std::string fieldAlias(const FieldInfo& f) {
    std::string out = f.labelJa;
    if (*f.unit) out += fmt::format(" {}", f.unit);
    if (*f.labelEn) out += fmt::format(" ({})", f.labelEn);
    return out;
}

bool isShare(const FieldInfo& f) {
    // "share" alone: a suggested site's running share (hubmap.suggest/1 names it so).
    const std::string_view key = f.key, suffix = "_share";
    if (f.type != FieldType::Real) return false;
    return key == "share" || (key.size() > suffix.size() && key.substr(key.size() - suffix.size()) == suffix);
}

std::string fieldHeadingJa(const FieldInfo& f, bool percent) {
    std::string out = f.labelJa;
    const std::string_view unit = f.unit;
    if (unit == "km²") {
        out += "（k㎡）";  // as 国土地理院 writes it; ㎡ is in CP932, ² and ㎢ are not
    } else if (!unit.empty()) {
        out += fmt::format("（{}）", unit);
    }
    if (percent && isShare(f)) out += "（%）";
    return out;
}

nlohmann::json fieldValueJson(const FieldValue& v) {
    return std::visit(
        [](const auto& x) -> nlohmann::json {
            if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::monostate>) {
                return nullptr;
            } else {
                return x;
            }
        },
        v);
}

std::vector<std::string> uncoveredNames(const Dataset& data, const std::vector<std::string>& codes) {
    std::vector<std::string> names;
    for (const auto& code : codes) {
        const int i = data.municipalityIndex(code);
        names.push_back(i >= 0 ? data.municipalities[static_cast<size_t>(i)].name : code);
    }
    return names;
}

MunicipalityRow municipalityRow(const Dataset& data, const MunicipalityCoverage& m) {
    const int i = data.municipalityIndex(m.code);
    if (i < 0) throw Error(fmt::format("the dataset has no municipality {} ({})", m.code, m.name));
    return MunicipalityRow{data, data.municipalities[static_cast<size_t>(i)], data.designationOf(m.code), &m};
}

TotalsRow prefectureRow(const Dataset& data, const PrefectureCoverage& p) {
    return TotalsRow{data, p.code, p.name, &p.totals, std::nullopt};
}

std::string prefectureCodeText(int code) { return fmt::format("{:02d}", code); }

std::string totalsLabel(const CoverageOptions& options) {
    if (options.prefectures.empty()) return "全国";
    if (options.prefectures.size() == 1) return options.prefectures.front() + "計";
    return "選択計";
}

TotalsRow nationRow(const Dataset& data, const CoverageResult& result) {
    return TotalsRow{data, std::nullopt, totalsLabel(result.options), &result.nation, std::nullopt};
}

// ---------------------------------------------------------------------------------------
// The lists. Entry: {key, type, Shapefile name, 日本語, English, unit, outputs}, getter.

const FieldList<MunicipalityRow>& municipalityFields() {
    using R = MunicipalityRow;
    using C = MunicipalityCoverage;
    static const FieldList<R> list = {
        {{"code", T::Text, "code", "市区町村コード", "code", "", kAll},
         [](const R& r) -> FieldValue { return r.municipality.code; },
         nullptr,
         TableColumn<R>{"CODE", 10, always, [](const R& r) { return r.municipality.code; }}},
        {{"prefecture_code", T::Text, "pref_code", "都道府県コード", "prefecture code, 2 digits", "", kAll},
         [](const R& r) -> FieldValue { return prefectureCodeText(r.municipality.prefectureCode); }},
        {{"prefecture", T::Text, "prefecture", "都道府県", "prefecture", "", kAll},
         [](const R& r) -> FieldValue { return r.municipality.prefecture; },
         nullptr,
         TableColumn<R>{"PREFECTURE", 20, always, [](const R& r) { return r.municipality.prefecture; }}},
        {{"county", T::Text, "county", "郡", "county", "", kE},
         [](const R& r) -> FieldValue { return r.municipality.county; }},
        {{"name", T::Text, "name", "市区町村名", "name", "", kAll},
         [](const R& r) -> FieldValue { return r.municipality.name; },
         nullptr,
         TableColumn<R>{"MUNICIPALITY", 30, always, [](const R& r) { return r.municipality.name; }}},
        {{"designated_city", T::Boolean, "desig_city", "政令指定都市", "designated city", "", kE},
         [](const R& r) -> FieldValue { return r.municipality.designatedCity; }},
        {{"northern_territories", T::Boolean, "north_terr", "北方領土", "Northern Territories", "", kE},
         [](const R& r) -> FieldValue { return r.municipality.northernTerritories; }},
        {{"area_km2", T::Real, "area_km2", "面積", "area", "km²", kAll},
         [](const R& r) -> FieldValue { return r.municipality.areaKm2; },
         nullptr,
         TableColumn<R>{"AREA km²", 60, gapsOrRadius, [](const R& r) { return km2(r.municipality.areaKm2); }, true}},
        {{"designation", T::Text, "desig_type", "過疎区分（英字）", "designation: full/partial/deemed/none", "", kAll},
         [](const R& r) -> FieldValue { return std::string(designationKey(designationType(r))); }},
        {{"designation_ja", T::Text, "desig_ja", "過疎区分", "designation, Japanese", "", kAll},
         [](const R& r) -> FieldValue { return std::string(designationLabelJa(designationType(r))); },
         nullptr,
         TableColumn<R>{"DESIGNATION", 40, always,
                        [](const R& r) {
                            return std::string(designationLabelJa(designationType(r))) +
                                   (r.designation && r.designation->incomplete ? " (list cut short)" : "");
                        }}},
        {{"partial", T::Boolean, "partial", "一部過疎", "partly designated", "", kAll},
         [](const R& r) -> FieldValue { return designationType(r) == DesignationType::Partial; }},
        {{"former_municipalities", T::TextList, "former_mun", "一部過疎の区域",
          "designated former municipalities, |-separated", "", kAll},
         [](const R& r) -> FieldValue {
             if (!r.designation) return {};
             return r.designation->formerMunicipalities;
         },
         nullptr,
         TableColumn<R>{"DESIGNATED FORMER MUNICIPALITIES (一部過疎)", 100, inCoverage,
                        [](const R& r) { return r.designation ? joinJa(r.designation->formerMunicipalities) : ""; },
                        false, 50}},
        {{"designation_incomplete", T::Boolean, "desig_inc", "区域の記載が途中で切れている", "source row cut short", "",
          kAll},
         [](const R& r) -> FieldValue {
             if (!r.designation) return {};
             return r.designation->incomplete;
         }},
        {{"in_query", T::Boolean, "in_query", "集計対象", "in the query", "", kE},
         [](const R& r) -> FieldValue { return r.coverage != nullptr; }},
        // The coverage figures: null outside the query.
        {{"measured_on", T::Text, "measured", "集計範囲",
          "measured on: whole, former_municipalities (一部過疎: the designated part) or whole_fallback (part not "
          "built)",
          "", kAll},
         [](const R& r) {
             return figure(r, [](const C& c) -> FieldValue { return std::string(measuredOnKey(c.measuredOn)); });
         }},
        {{"designated_area_km2", T::Real, "desig_area", "過疎区域の面積", "designated area measured", "km²", kAll},
         [](const R& r) { return figure(r, [](const C& c) -> FieldValue { return c.designatedAreaKm2; }); },
         nullptr,
         TableColumn<R>{"DESIGNATED km²", 65, gapsOrRadius, [](const R& r) { return km2(cov(r).designatedAreaKm2); },
                        true}},
        {{"hubs", T::Integer, "hubs", "拠点数", "hubs inside", "", kAll},
         [](const R& r) { return figure(r, [](const C& c) { return integer(c.hubs); }); },
         nullptr,
         TableColumn<R>{"HUBS", 50, always, [](const R& r) { return std::to_string(cov(r).hubs); }, true}},
        {{"hub_ids", T::TextList, "hub_ids", "拠点ID", "ids of the hubs inside, |-separated", "", kAll},
         [](const R& r) { return figure(r, [&](const C& c) -> FieldValue { return hubIds(r.data, c.hubIndices); }); }},
        {{"covered", T::Boolean, "covered", "拠点あり", "a hub inside", "", kAll},
         [](const R& r) { return figure(r, [](const C& c) -> FieldValue { return c.covered; }); }},
        {{"covered_km2", T::Real, "cov_km2", "圏域内面積", "area within the radius", "km²", kAll},
         [](const R& r) { return figure(r, [](const C& c) { return opt(c.coveredKm2); }); },
         nullptr,
         TableColumn<R>{"COVERED km²", 72, coverageWithRadius,
                        [](const R& r) { return orDash(cov(r).coveredKm2, km2); }, true}},
        {{"covered_share", T::Real, "cov_share", "カバー率", "covered share", "", kAll},
         [](const R& r) { return figure(r, [](const C& c) { return opt(c.coveredShare); }); },
         nullptr,
         TableColumn<R>{"SHARE", 74, coverageWithRadius,
                        [](const R& r) { return orDash(cov(r).coveredShare, percent); }, true}},
        {{"settlements", T::Integer64, "settl_all", "集落数", "settlements", "", kAll},
         [](const R& r) { return figure(r, [](const C& c) { return opt(c.settlements); }); },
         nullptr,
         TableColumn<R>{"SETTLEMENTS", 80, inGaps, [](const R& r) { return countOrDash(cov(r).settlements); }, true}},
        {{"settlements_covered", T::Integer64, "settl_cov", "圏域内の集落数", "settlements within the radius", "",
          kAll},
         [](const R& r) { return figure(r, [](const C& c) { return opt(c.settlementsCovered); }); },
         nullptr,
         TableColumn<R>{"SETTLEMENTS COVERED", 90, coverageWithSettlements,
                        [](const R& r) {
                            const C& c = cov(r);
                            return c.settlements && c.settlementsCovered
                                       ? fmt::format("{} / {}", *c.settlementsCovered, *c.settlements)
                                       : std::string("-");
                        },
                        true}},
        {{"population", T::Integer64, "pop", "人口",
          "residents (2015 census small areas; Hokkaido, Aichi: 2022 register)", "", kAll},
         [](const R& r) { return figure(r, [](const C& c) { return opt(c.population); }); },
         nullptr,
         TableColumn<R>{"POPULATION", 92, populationWithoutRadius,
                        [](const R& r) { return countOrDash(cov(r).population); }, true}},
        {{"population_covered", T::Integer64, "pop_cov", "圏域内人口", "residents within the radius", "", kAll},
         [](const R& r) { return figure(r, [](const C& c) { return opt(c.populationCovered); }); },
         nullptr,
         TableColumn<R>{"POPULATION COVERED", 94, coveragePopulationWithRadius,
                        [](const R& r) {
                            const C& c = cov(r);
                            return c.population && c.populationCovered
                                       ? fmt::format("{} / {}", *c.populationCovered, *c.population)
                                       : std::string("-");
                        },
                        true}},
        {{"population_share", T::Real, "pop_share", "人口カバー率", "share of residents within the radius", "", kAll},
         [](const R& r) { return figure(r, [](const C& c) { return opt(c.populationShare); }); },
         nullptr,
         TableColumn<R>{"POP. SHARE", 96, coveragePopulationWithRadius,
                        [](const R& r) { return orDash(cov(r).populationShare, percent); }, true}},
        {{"population_method", T::Text, "pop_method", "人口の出典", kMethodDescription, "", kAll},
         [](const R& r) { return figure(r, [](const C& c) { return textOrNull(methodKey(c.populationMethod)); }); },
         nullptr,
         TableColumn<R>{"POP. SOURCE", 98, populationInTable,
                        [](const R& r) { return methodCell(methodKey(cov(r).populationMethod)); }}},
    };
    return list;
}

const FieldList<TotalsRow>& totalsFields() {
    using R = TotalsRow;
    using C = CoverageTotals;
    static const FieldList<R> list = {
        {{"code", T::Text, "code", "都道府県コード", "prefecture code, 2 digits", "", kAll, true},
         [](const R& r) -> FieldValue {
             if (!r.code) return {};
             return prefectureCodeText(*r.code);
         },
         nullptr,
         TableColumn<R>{"CODE", 10, gapsOrCodes, [](const R& r) { return r.code ? prefectureCodeText(*r.code) : ""; },
                        true}},
        {{"name", T::Text, "name", "都道府県", "prefecture", "", kAll, true},
         [](const R& r) -> FieldValue { return r.name; },
         nullptr,
         TableColumn<R>{"PREFECTURE", 20, always, [](const R& r) { return r.name; }}},
        {{"area_km2", T::Real, "area_km2", "面積", "prefecture area", "km²", kE},
         [](const R& r) { return opt(r.areaKm2); }},
        {{"in_query", T::Boolean, "in_query", "集計対象", "in the query", "", kE},
         [](const R& r) -> FieldValue { return r.totals != nullptr; }},
        // The figures over the designated municipalities: null outside the query.
        {{"designated", T::Integer, "designated", "過疎市町村数", "designated municipalities", "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return integer(t.designated); }); },
         nullptr,
         TableColumn<R>{"DESIGNATED", 30, always, [](const R& r) { return std::to_string(tot(r).designated); }, true}},
        {{"covered", T::Integer, "covered", "拠点のある過疎市町村数", "with a hub inside", "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return integer(t.covered); }); },
         nullptr,
         TableColumn<R>{"WITH HUB", 40, inCoverage, [](const R& r) { return std::to_string(tot(r).covered); }, true}},
        {{"covered_municipality_share", T::Real, "cov_m_shr", "拠点のある市町村の割合", "share with a hub inside", "",
          kAll},
         [](const R& r) { return total(r, [](const C& t) { return opt(ratio(t.covered, t.designated)); }); },
         nullptr,
         TableColumn<R>{"SHARE", 50, inCoverage,
                        [](const R& r) { return orDash(ratio(tot(r).covered, tot(r).designated), percent); }, true}},
        {{"hubs", T::Integer, "hubs", "過疎市町村内の拠点数", "hubs in designated municipalities", "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return integer(t.hubs); }); },
         nullptr,
         TableColumn<R>{"HUBS", 60, inCoverage,
                        [](const R& r) {
                            const C& t = tot(r);
                            return t.prefectureOnlyHubs > 0
                                       ? fmt::format("{} (+{} pref.)", t.hubs, t.prefectureOnlyHubs)
                                       : std::to_string(t.hubs);
                        },
                        true}},
        {{"prefecture_only_hubs", T::Integer, "pref_hubs", "都道府県単位の拠点数", "hubs known only by prefecture", "",
          kAll},
         [](const R& r) { return total(r, [](const C& t) { return integer(t.prefectureOnlyHubs); }); }},
        {{"designated_km2", T::Real, "desig_km2", "過疎区域の面積", "designated area (一部過疎: the parts)", "km²",
          kAll},
         [](const R& r) { return total(r, [](const C& t) -> FieldValue { return t.designatedKm2; }); },
         nullptr,
         TableColumn<R>{"DESIGNATED km²", 70, always, [](const R& r) { return km2(tot(r).designatedKm2); }, true}},
        {{"covered_km2", T::Real, "cov_km2", "圏域内面積", "covered area", "km²", kAll},
         [](const R& r) { return total(r, [](const C& t) { return opt(t.coveredKm2); }); },
         nullptr,
         TableColumn<R>{"COVERED km²", 80, coverageWithRadius,
                        [](const R& r) { return orDash(tot(r).coveredKm2, km2); }, true}},
        {{"covered_share", T::Real, "cov_share", "カバー率", "covered share", "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return opt(t.coveredShare); }); },
         nullptr,
         TableColumn<R>{"AREA SHARE", 90, coverageWithRadius,
                        [](const R& r) { return orDash(tot(r).coveredShare, percent); }, true}},
        {{"settlements", T::Integer64, "settl_all", "集落数", "settlements", "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return opt(t.settlements); }); }},
        {{"settlements_covered", T::Integer64, "settl_cov", "圏域内の集落数", "settlements covered", "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return opt(t.settlementsCovered); }); },
         nullptr,
         TableColumn<R>{"SETTLEMENTS COVERED", 100, coverageWithSettlements,
                        [](const R& r) {
                            const C& t = tot(r);
                            return t.settlements && t.settlementsCovered
                                       ? fmt::format("{} / {} ({})", *t.settlementsCovered, *t.settlements,
                                                     orDash(t.settlementShare, percent))
                                       : std::string("-");
                        },
                        true}},
        {{"settlement_share", T::Real, "settl_shr", "集落カバー率", "settlement share", "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return opt(t.settlementShare); }); }},
        {{"population", T::Integer64, "pop", "人口", "residents of the designated areas", "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return opt(t.population); }); },
         nullptr,
         TableColumn<R>{"POPULATION", 102, populationWithoutRadius,
                        [](const R& r) { return countOrDash(tot(r).population); }, true}},
        {{"population_covered", T::Integer64, "pop_cov", "圏域内人口", "residents within the radius", "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return opt(t.populationCovered); }); },
         nullptr,
         TableColumn<R>{"POPULATION COVERED", 104, coveragePopulationWithRadius,
                        [](const R& r) {
                            const C& t = tot(r);
                            return t.population && t.populationCovered
                                       ? fmt::format("{} / {} ({})", *t.populationCovered, *t.population,
                                                     orDash(t.populationShare, percent))
                                       : std::string("-");
                        },
                        true}},
        {{"population_share", T::Real, "pop_share", "人口カバー率", "share of residents within the radius", "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return opt(t.populationShare); }); }},
        {{"population_method", T::Text, "pop_method", "人口の出典", kMethodDescription, "", kAll},
         [](const R& r) { return total(r, [](const C& t) { return textOrNull(populationMethodOf(t)); }); },
         nullptr,
         TableColumn<R>{"POP. SOURCE", 106, populationInTable,
                        [](const R& r) { return methodCell(populationMethodOf(tot(r))); }}},
        // JSON: [{code, name}]; tables: the codes here, the names in uncovered_names.
        {{"uncovered", T::TextList, "uncovered", "拠点のない過疎市町村コード", "codes, |-separated", "", kAll},
         [](const R& r) { return total(r, [](const C& t) -> FieldValue { return t.uncoveredCodes; }); },
         [](const R& r) {
             nlohmann::json list = nlohmann::json::array();
             if (!r.totals) return list;
             const std::vector<std::string> names = uncoveredNames(r.data, r.totals->uncoveredCodes);
             for (size_t i = 0; i < names.size(); ++i) {
                 list.push_back(nlohmann::json{{"code", r.totals->uncoveredCodes[i]}, {"name", names[i]}});
             }
             return list;
         },
         TableColumn<R>{"UNCOVERED (no hub inside)", 110, inCoverage,
                        [](const R& r) {
                            const std::vector<std::string>& codes = tot(r).uncoveredCodes;
                            if (codes.empty()) return std::string("-");
                            // The nation's row gives the count only; a prefecture's also the names.
                            if (!r.code) return std::to_string(codes.size());
                            return fmt::format("{}: {}", codes.size(), joinJa(uncoveredNames(r.data, codes)));
                        },
                        false, 60}},
        {{"uncovered_names", T::TextList, "uncov_name", "拠点のない過疎市町村", "names, |-separated", "", kR | kE},
         [](const R& r) {
             return total(r, [&](const C& t) -> FieldValue { return uncoveredNames(r.data, t.uncoveredCodes); });
         }},
    };
    return list;
}

const FieldList<HubRow>& hubFields() {
    using R = HubRow;
    static const FieldList<R> list = {
        {{"id", T::Text, "id", "ID", "", "", kE}, [](const R& r) -> FieldValue { return r.hub.id; }},
        {{"kind", T::Text, "kind", "種別", "kind", "", kE}, [](const R& r) -> FieldValue { return r.hub.kind; }},
        {{"name", T::Text, "name", "名称", "name", "", kE}, [](const R& r) -> FieldValue { return r.hub.name; }},
        {{"prefecture", T::Text, "prefecture", "都道府県", "prefecture", "", kE},
         [](const R& r) -> FieldValue { return r.hub.prefecture; }},
        {{"municipality", T::Text, "muni_name", "市区町村", "municipality", "", kE},
         [](const R& r) -> FieldValue { return r.hub.municipality; }},
        {{"code", T::Text, "code", "市区町村コード", "stated code", "", kE},
         [](const R& r) -> FieldValue { return r.hub.code; }},
        {{"district", T::Text, "district", "地区", "district", "", kE},
         [](const R& r) -> FieldValue { return r.hub.details().district; }},
        {{"lon", T::Real, "lon", "経度", "longitude", "", kE}, [](const R& r) { return opt(r.hub.lon); }},
        {{"lat", T::Real, "lat", "緯度", "latitude", "", kE}, [](const R& r) { return opt(r.hub.lat); }},
        {{"location_precision", T::Text, "loc_prec", "位置の精度",
          "precision: exact/settlement/municipality/prefecture", "", kE},
         [](const R& r) -> FieldValue { return r.hub.precision; }},
        {{"opened", T::Text, "opened", "開設年月", "opened, YYYY-MM", "", kE},
         [](const R& r) -> FieldValue { return r.hub.details().opened; }},
        {{"programme", T::Text, "programme", "事業", "programme", "", kE},
         [](const R& r) -> FieldValue { return r.hub.details().programme; }},
        {{"fiscal_year", T::Integer, "fiscal_yr", "事業年度", "fiscal year", "", kE},
         [](const R& r) { return opt(r.hub.details().fiscalYear); }},
        {{"operator_name", T::Text, "oper_name", "運営主体", "operator", "", kE},
         [](const R& r) -> FieldValue { return r.hub.details().operatorName; }},
        {{"source_ref", T::Text, "source_ref", "出典内の番号", "source reference", "", kE},
         [](const R& r) -> FieldValue { return r.hub.details().sourceRef; }},
        {{"source", T::Text, "source", "出典", "source", "", kE},
         [](const R& r) -> FieldValue { return r.hub.source; }},
        {{"note", T::Text, "note", "備考", "note", "", kE}, [](const R& r) -> FieldValue { return r.hub.note; }},
        {{"import_source", T::Text, "import_src", "取込元", "import batch", "", kE},
         [](const R& r) -> FieldValue { return r.hub.importSource; }},
        // The imported row's other columns (電話番号, 担当課, …), as a JSON object.
        {{"extra", T::Text, "extra", "その他の列", "other columns of the imported row (JSON)", "", kE},
         [](const R& r) -> FieldValue { return r.hub.details().extra; }},
        {{"code_mismatch", T::Boolean, "code_diff", "コードと位置の不一致", "stated code differs from location", "",
          kE},
         [](const R& r) -> FieldValue { return r.codeMismatch; }},
        {{"located_code", T::Text, "loc_code", "位置する市区町村コード",
          "code of the municipality containing the point", "", kE},
         [](const R& r) -> FieldValue {
             if (!r.locatedIn) return {};
             return r.locatedIn->code;
         }},
    };
    return list;
}

const FieldList<CatchmentRow>& catchmentFields() {
    using R = CatchmentRow;
    static const FieldList<R> list = {
        {{"kind", T::Text, "kind", "種別", "kind", "", kE}, [](const R& r) -> FieldValue { return r.kind; }},
        {{"radius_km", T::Real, "radius_km", "半径", "radius", "km", kE}, [](const R& r) { return opt(r.radiusKm); }},
        {{"hubs", T::Integer, "hubs", "拠点数", "hubs with a point", "", kE},
         [](const R& r) { return integer(r.hubs); }},
        {{"area_km2", T::Real, "area_km2", "面積", "geodesic area of the catchment", "km²", kE},
         [](const R& r) -> FieldValue { return r.areaKm2; }},
    };
    return list;
}

const FieldList<UncoveredRow>& uncoveredFields() {
    using R = UncoveredRow;
    static const FieldList<R> list = {
        {{"code", T::Text, "code", "市区町村コード", "code", "", kE},
         [](const R& r) -> FieldValue { return r.coverage.code; }},
        {{"prefecture", T::Text, "prefecture", "都道府県", "prefecture", "", kE},
         [](const R& r) -> FieldValue { return r.coverage.prefecture; }},
        {{"name", T::Text, "name", "市区町村名", "name", "", kE},
         [](const R& r) -> FieldValue { return r.coverage.name; }},
        {{"designation", T::Text, "desig_type", "過疎区分", "designation", "", kE},
         [](const R& r) -> FieldValue { return std::string(designationKey(r.coverage.designation)); }},
        {{"area_km2", T::Real, "area_km2", "面積", "municipality area", "km²", kE},
         [](const R& r) -> FieldValue { return r.coverage.areaKm2; }},
        {{"measured_on", T::Text, "measured", "集計範囲", "whole, former_municipalities or whole_fallback", "", kE},
         [](const R& r) -> FieldValue { return std::string(measuredOnKey(r.coverage.measuredOn)); }},
        {{"designated_area_km2", T::Real, "desig_area", "過疎区域の面積", "designated area measured", "km²", kE},
         [](const R& r) -> FieldValue { return r.coverage.designatedAreaKm2; }},
        {{"covered_km2", T::Real, "cov_km2", "圏域内面積", "covered area", "km²", kE},
         [](const R& r) { return opt(r.coverage.coveredKm2); }},
        {{"uncovered_km2", T::Real, "uncov_km2", "圏域外面積", "designated_area_km2 - covered_km2", "km²", kE},
         [](const R& r) -> FieldValue {
             if (!r.coverage.coveredKm2) return {};
             return r.coverage.designatedAreaKm2 - *r.coverage.coveredKm2;
         }},
        {{"uncovered_share", T::Real, "uncov_shr", "圏域外の割合", "1 - covered share", "", kE},
         [](const R& r) -> FieldValue {
             if (!r.coverage.coveredShare) return {};
             return 1.0 - *r.coverage.coveredShare;
         }},
        {{"population", T::Integer64, "pop", "人口", "residents of the designated area", "", kE},
         [](const R& r) { return opt(r.coverage.population); }},
        {{"uncovered_population", T::Integer64, "uncov_pop", "圏域外人口", "residents outside every catchment", "", kE},
         [](const R& r) -> FieldValue {
             if (!r.coverage.population || !r.coverage.populationCovered) return {};
             return *r.coverage.population - *r.coverage.populationCovered;
         }},
        {{"population_method", T::Text, "pop_method", "人口の出典", kMethodDescription, "", kE},
         [](const R& r) { return textOrNull(methodKey(r.coverage.populationMethod)); }},
    };
    return list;
}

const FieldList<PopulationPointRow>& populationPointFields() {
    using R = PopulationPointRow;
    static const FieldList<R> list = {
        {{"code", T::Text, "code", "市区町村コード", "code", "", kE},
         [](const R& r) -> FieldValue { return r.coverage.code; }},
        {{"prefecture", T::Text, "prefecture", "都道府県", "prefecture", "", kE},
         [](const R& r) -> FieldValue { return r.coverage.prefecture; }},
        {{"municipality", T::Text, "muni_name", "市区町村", "municipality", "", kE},
         [](const R& r) -> FieldValue { return r.coverage.name; }},
        {{"name", T::Text, "name", "町丁・字", "small area (or settlement for a spread figure)", "", kE},
         [](const R& r) -> FieldValue { return r.point.name; }},
        {{"population", T::Integer64, "pop", "人口", "residents", "", kE},
         [](const R& r) { return integer(r.point.population); }},
        {{"population_method", T::Text, "pop_method", "人口の出典", kMethodDescription, "", kE},
         [](const R& r) -> FieldValue { return std::string(populationMethodKey(r.point.method)); }},
    };
    return list;
}

const FieldList<DesignatedAreaRow>& designatedAreaFields() {
    using R = DesignatedAreaRow;
    // The matched former municipalities as "name=matched polygon" ("" when unmatched).
    static const FieldList<R> list = {
        {{"code", T::Text, "code", "市区町村コード", "code", "", kE},
         [](const R& r) -> FieldValue { return r.coverage.code; }},
        {{"prefecture", T::Text, "prefecture", "都道府県", "prefecture", "", kE},
         [](const R& r) -> FieldValue { return r.coverage.prefecture; }},
        {{"name", T::Text, "name", "市区町村名", "name", "", kE},
         [](const R& r) -> FieldValue { return r.coverage.name; }},
        {{"designation", T::Text, "desig_type", "過疎区分", "designation", "", kE},
         [](const R& r) -> FieldValue { return std::string(designationKey(r.coverage.designation)); }},
        {{"measured_on", T::Text, "measured", "集計範囲", "whole, former_municipalities or whole_fallback", "", kE},
         [](const R& r) -> FieldValue { return std::string(measuredOnKey(r.coverage.measuredOn)); }},
        {{"former_municipalities", T::TextList, "former_mun", "一部過疎の区域",
          "designated former municipalities as listed, |-separated", "", kE},
         [](const R& r) -> FieldValue { return r.coverage.formerMunicipalities; }},
        {{"former_matched", T::TextList, "former_mat", "旧市町村の境界",
          "the former municipality polygons matched (prefecture and name; empty when unmatched), |-separated", "", kE},
         [](const R& r) -> FieldValue {
             if (!r.part) return {};
             std::vector<std::string> out;
             for (const FormerNameMatch& n : r.part->names) out.push_back(n.matchedPrefecture + n.matchedName);
             return out;
         }},
        {{"former_areas_km2", T::TextList, "former_km2", "旧市町村の面積",
          "areas of the matched former municipality polygons, km², |-separated", "", kE},
         [](const R& r) -> FieldValue {
             if (!r.part) return {};
             std::vector<std::string> out;
             for (const FormerNameMatch& n : r.part->names) out.push_back(fmt::format("{:.2f}", n.formerAreaKm2));
             return out;
         }},
        {{"area_km2", T::Real, "area_km2", "面積", "municipality area", "km²", kE},
         [](const R& r) -> FieldValue { return r.coverage.areaKm2; }},
        {{"designated_area_km2", T::Real, "desig_area", "過疎区域の面積", "designated area measured", "km²", kE},
         [](const R& r) -> FieldValue { return r.coverage.designatedAreaKm2; }},
        {{"hubs", T::Integer, "hubs", "拠点数", "hubs inside the designated area", "", kE},
         [](const R& r) { return integer(r.coverage.hubs); }},
        {{"covered_share", T::Real, "cov_share", "カバー率", "covered share of the designated area", "", kE},
         [](const R& r) { return opt(r.coverage.coveredShare); }},
        {{"population", T::Integer64, "pop", "人口", "residents of the designated area", "", kE},
         [](const R& r) { return opt(r.coverage.population); }},
        {{"population_covered", T::Integer64, "pop_cov", "圏域内人口", "residents within the radius", "", kE},
         [](const R& r) { return opt(r.coverage.populationCovered); }},
        {{"population_share", T::Real, "pop_share", "人口カバー率", "share of residents within the radius", "", kE},
         [](const R& r) { return opt(r.coverage.populationShare); }},
        {{"population_method", T::Text, "pop_method", "人口の出典", kMethodDescription, "", kE},
         [](const R& r) { return textOrNull(methodKey(r.coverage.populationMethod)); }},
    };
    return list;
}

const FieldList<MunicipalityGapRow>& municipalityGapFields() {
    using R = MunicipalityGapRow;
    static const FieldList<R> list = [] {
        FieldList<R> l = {
            {{"rank", T::Integer, "rank", "順位", "rank, worst first", "", kJ | kR},
             [](const R& r) { return integer(r.gap.rank); },
             nullptr,
             TableColumn<R>{"RANK", 0, always, [](const R& r) { return std::to_string(r.gap.rank); }, true}},
            {{"uncovered_km2", T::Real, "uncov_km2", "圏域外面積", "outside every catchment (no radius: all)", "km²",
              kJ},
             [](const R& r) -> FieldValue { return r.gap.uncoveredKm2; },
             nullptr,
             TableColumn<R>{"UNCOVERED km²", 70, withRadius, [](const R& r) { return km2(r.gap.uncoveredKm2); }, true}},
            {{"uncovered_settlements", T::Integer64, "uncov_set", "圏域外の集落数",
              "settlements outside every catchment (no radius: all)", "", kJ},
             [](const R& r) { return opt(r.gap.uncoveredSettlements); },
             nullptr,
             TableColumn<R>{"UNCOVERED SETTL.", 85, withRadius,
                            [](const R& r) { return countOrDash(r.gap.uncoveredSettlements); }, true}},
            {{"uncovered_population", T::Integer64, "uncov_pop", "圏域外人口",
              "residents outside every catchment (no radius: all)", "", kJ},
             [](const R& r) { return opt(r.gap.uncoveredPopulation); },
             nullptr,
             TableColumn<R>{"UNCOVERED POP.", 87, gapsPopulationWithRadius,
                            [](const R& r) { return countOrDash(r.gap.uncoveredPopulation); }, true}},
        };
        for (auto& f :
             liftFields<R>(municipalityFields(), [](const R& r) -> const MunicipalityRow& { return r.municipality; })) {
            l.push_back(std::move(f));
        }
        return l;
    }();
    return list;
}

const FieldList<PrefectureGapRow>& prefectureGapFields() {
    using R = PrefectureGapRow;
    static const FieldList<R> list = [] {
        FieldList<R> l = {
            {{"rank", T::Integer, "rank", "順位", "rank, worst first", "", kJ | kR},
             [](const R& r) { return integer(r.gap.rank); },
             nullptr,
             TableColumn<R>{"RANK", 0, always, [](const R& r) { return std::to_string(r.gap.rank); }, true}},
            {{"uncovered_share", T::Real, "uncov_shr", "未カバー率", "1 - coverage share", "", kJ},
             [](const R& r) -> FieldValue { return r.gap.uncoveredShare; },
             nullptr,
             TableColumn<R>{"UNCOVERED SHARE", 25, always, [](const R& r) { return percent(r.gap.uncoveredShare); },
                            true}},
            {{"uncovered_municipalities", T::Integer, "uncov_mun", "拠点のない過疎市町村数",
              "designated municipalities without a hub inside", "", kJ},
             [](const R& r) { return integer(r.gap.uncoveredMunicipalities); },
             nullptr,
             TableColumn<R>{"NO HUB", 35, always,
                            [](const R& r) { return std::to_string(r.gap.uncoveredMunicipalities); }, true}},
        };
        for (auto& f : liftFields<R>(totalsFields(), [](const R& r) -> const TotalsRow& { return r.totals; })) {
            l.push_back(std::move(f));
        }
        return l;
    }();
    return list;
}

const FieldList<SuggestedSiteRow>& suggestedSiteFields() {
    using R = SuggestedSiteRow;
    auto count = [](long long v) { return std::to_string(v); };
    static const FieldList<R> list = {
        {{"rank", T::Integer, "rank", "順位", "rank, largest gain first", "", kJ | kR},
         [](const R& r) { return integer(r.site.rank); },
         nullptr,
         TableColumn<R>{"RANK", 0, always, [](const R& r) { return std::to_string(r.site.rank); }, true}},
        {{"lon", T::Real, "lon", "経度", "longitude", "", kJ | kR},
         [](const R& r) -> FieldValue { return r.site.lon; },
         nullptr,
         TableColumn<R>{"LON", 10, always, [](const R& r) { return fmt::format("{:.5f}", r.site.lon); }, true}},
        {{"lat", T::Real, "lat", "緯度", "latitude", "", kJ | kR},
         [](const R& r) -> FieldValue { return r.site.lat; },
         nullptr,
         TableColumn<R>{"LAT", 20, always, [](const R& r) { return fmt::format("{:.5f}", r.site.lat); }, true}},
        {{"code", T::Text, "code", "市区町村コード", "code of the nearest settlement's municipality", "", kJ | kR},
         [](const R& r) -> FieldValue { return r.site.code; },
         nullptr,
         TableColumn<R>{"CODE", 30, always, [](const R& r) { return r.site.code; }}},
        {{"prefecture", T::Text, "prefecture", "都道府県", "prefecture", "", kR},
         [](const R& r) -> FieldValue { return r.site.prefecture; },
         nullptr,
         TableColumn<R>{"PREFECTURE", 40, always, [](const R& r) { return r.site.prefecture; }}},
        {{"municipality", T::Text, "muni_name", "市区町村", "municipality of the nearest settlement", "", kJ | kR},
         [](const R& r) -> FieldValue { return r.site.municipality; },
         nullptr,
         TableColumn<R>{"MUNICIPALITY", 50, always, [](const R& r) { return r.site.municipality; }}},
        {{"district", T::Text, "district", "大字", "the nearest settlement (大字)", "", kJ | kR},
         [](const R& r) -> FieldValue { return r.site.district; },
         nullptr,
         TableColumn<R>{"NEAREST 大字", 60, always, [](const R& r) { return r.site.district; }, false, 24}},
        {{"gain", T::Integer64, "gain", "新たに圏域に入る量", "weight newly within reach (people or settlements)", "",
          kJ | kR},
         [](const R& r) { return integer(r.site.gain); },
         nullptr,
         TableColumn<R>{"GAIN", 70, always, [count](const R& r) { return count(r.site.gain); }, true}},
        {{"covered", T::Integer64, "covered", "累計", "running total within reach, existing hubs included", "",
          kJ | kR},
         [](const R& r) { return integer(r.site.covered); },
         nullptr,
         TableColumn<R>{"COVERED", 80, always, [count](const R& r) { return count(r.site.covered); }, true}},
        {{"share", T::Real, "share", "カバー率", "covered / demand", "", kJ | kR},
         [](const R& r) -> FieldValue { return r.site.share; },
         nullptr,
         TableColumn<R>{"SHARE", 90, always, [](const R& r) { return percent(r.site.share); }, true}},
    };
    return list;
}

// ---------------------------------------------------------------------------------------
// Documentation

namespace {

/// A row type's fields for the docs: all of them, or the first `count` (a gap list's own,
/// before the ones it takes from its inner row type).
template <class Row>
FieldTable describe(std::string title, std::string appearsIn, const FieldList<Row>& list,
                    size_t count = static_cast<size_t>(-1)) {
    FieldTable t{std::move(title), std::move(appearsIn), {}, {}};
    for (size_t i = 0; i < list.size() && i < count; ++i) {
        t.fields.push_back(list[i].info);
        t.headings.emplace_back(list[i].column ? list[i].column->heading : "");
    }
    return t;
}

const char* typeName(FieldType t) {
    switch (t) {
        case FieldType::Text:
            return "text";
        case FieldType::TextList:
            return "text list";
        case FieldType::Integer:
            return "integer";
        case FieldType::Integer64:
            return "integer64";
        case FieldType::Real:
            return "real";
        case FieldType::Boolean:
            return "boolean";
    }
    return "?";
}

std::string cell(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::vector<FieldTable> fieldTables() {
    return {
        describe("Municipality rows",
                 "`hubmap coverage --by municipality` (JSON `municipalities[]`, CSV, GeoJSON, table); `hubmap "
                 "export` layer `municipalities` (every municipality: the figures are null outside the query).",
                 municipalityFields()),
        describe("Totals rows (prefecture, nation)",
                 "`hubmap coverage --by prefecture|nation` (JSON `prefectures[]` and `nation`, whose object has no "
                 "`code` or `name`; in CSV and tables the totals row has no code and is named by what it totals: 全国 "
                 "for the nation, 高知県計 for one prefecture, 選択計 for several; table); `hubmap export` layer "
                 "`prefecture_summary` (all 47 prefectures: the figures are null outside the query).",
                 totalsFields()),
        describe("Municipality gap rows",
                 "`hubmap gaps` (JSON `municipalities[]`, CSV with `--rank municipalities`, table): these fields, "
                 "then those of the municipality rows.",
                 municipalityGapFields(), municipalityGapFields().size() - municipalityFields().size()),
        describe("Prefecture gap rows",
                 "`hubmap gaps` (JSON `prefectures[]`, CSV with `--rank prefectures`, table): these fields, then "
                 "those of the totals rows.",
                 prefectureGapFields(), prefectureGapFields().size() - totalsFields().size()),
        describe("Hub rows",
                 "`hubmap export` layer `hubs`: the hubs the query used; `hubmap hubs --format xlsx`: the hubs "
                 "listed. The Japanese headings of opened, fiscal_year, operator_name and note are names "
                 "`hubmap import` reads.",
                 hubFields()),
        describe("Catchment rows",
                 "`hubmap export` layer `catchments` (with a radius): one per hub kind with a radius.",
                 catchmentFields()),
        describe("Designated area rows",
                 "`hubmap export` layer `designated_areas`: one feature per designated municipality of the query, "
                 "its designated part for a 一部過疎 municipality measured on its former municipalities, else its "
                 "whole polygon.",
                 designatedAreaFields()),
        describe("Uncovered population rows",
                 "`hubmap export` layer `uncovered_population` (with a radius): the population points with "
                 "residents of the designated areas in the query outside every catchment.",
                 populationPointFields()),
        describe("Suggested site rows",
                 "`hubmap suggest` (JSON `sites[]`, CSV, GeoJSON points, table): the sites in order of gain.",
                 suggestedSiteFields()),
        describe("Uncovered rows",
                 "`hubmap export` layer `uncovered` (with a radius): the part of each designated municipality "
                 "outside every catchment.",
                 uncoveredFields()),
    };
}

std::string fieldsMarkdown() {
    std::string out =
        "# Output fields\n\n"
        "<!-- Generated from src/report/fields.cpp by `hubmap fields --markdown`; do not edit by hand.\n"
        "     The CTest fields_doc fails when this file differs from the registry. -->\n\n"
        "Every field hubmap writes, as defined once in its field registry (`src/report/fields.cpp`).\n"
        "The same key is used in JSON, CSV, GeoJSON, GeoPackage and FlatGeobuf; Shapefile (DBF) names are\n"
        "at most 10 characters. Types: *text list* is a JSON array, and `|`-separated text in the\n"
        "tabular formats; *boolean* is true/false in JSON, an integer 0/1 (subtype boolean) elsewhere.\n"
        "A figure that does not apply (e.g. `covered_km2` without a radius) is null. The Japanese label,\n"
        "unit and English label make the alias QGIS shows. Columns JSON, rows and export say where a\n"
        "field appears: the JSON documents, the CSV/GeoJSON rows of `coverage` and `gaps`, and the\n"
        "layers of `hubmap export`; column table gives its heading in the terminal tables of `coverage`\n"
        "and `gaps` (shown where the query computes it).\n";
    for (const FieldTable& t : fieldTables()) {
        out += fmt::format("\n## {}\n\n{}\n\n", t.title, t.appearsIn);
        out += "| key | type | Shapefile | 日本語 | English | unit | JSON | rows | export | table |\n";
        out += "|---|---|---|---|---|---|---|---|---|---|\n";
        for (size_t i = 0; i < t.fields.size(); ++i) {
            const FieldInfo& f = t.fields[i];
            auto mark = [&](unsigned bit) { return (f.outputs & bit) ? "✓" : ""; };
            out += fmt::format("| `{}` | {} | `{}` | {} | {} | {} | {} | {} | {} | {} |\n", f.key, typeName(f.type),
                               f.shapefileName, cell(f.labelJa), cell(f.labelEn), f.unit, mark(kOutJson),
                               mark(kOutRows), mark(kOutExport), cell(t.headings[i]));
        }
    }
    return out;
}

}  // namespace hubmap
