// The JSON forms of a coverage query, schemas "hubmap.coverage/2" and "hubmap.gaps/2"
// (documented in docs/formats.md, "Coverage JSON" and "Gaps JSON"). Keys are always present; a
// figure that does not apply to the query (e.g. covered_km2 without a radius) is null.
// The rows' members are the registry's (report/fields.cpp).

#include "report/coverage_json.hpp"

#include <fmt/format.h>

#include <ctime>
#include <set>

#include "core/error.hpp"
#include "core/version.hpp"
#include "report/fields.hpp"

namespace hubmap {

namespace {

using nlohmann::json;

template <class T>
json orNull(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

json hubIds(const Dataset& data, const std::vector<int>& hubs) {
    json ids = json::array();
    for (int i : hubs) ids.push_back(data.hubs[static_cast<size_t>(i)].id);
    return ids;
}

std::string metadataValue(const Dataset& data, const char* key) {
    auto it = data.metadata.find(key);
    return it == data.metadata.end() ? "" : it->second;
}

}  // namespace

std::vector<std::string> coverageNotes(const Dataset& data, const CoverageResult& r) {
    std::vector<std::string> notes;
    int partial = 0, onPart = 0, fallback = 0, incomplete = 0;
    for (const auto& m : r.municipalities) {
        if (m.designation == DesignationType::Partial) ++partial;
        if (m.measuredOn == MeasuredOn::FormerMunicipalities) ++onPart;
        if (m.measuredOn == MeasuredOn::WholeFallback) ++fallback;
        if (m.designationIncomplete) ++incomplete;
    }
    if (partial > 0 && r.options.partial == PartialMeasure::Whole) {
        notes.push_back(fmt::format(
            "{} 一部過疎 (partial) municipalities are measured whole (--partial whole): area, presence, catchments "
            "and settlements of the whole municipality, not of its designated former municipalities",
            partial));
    } else if (partial > 0) {
        notes.push_back(fmt::format(
            "{} 一部過疎 (partial) municipalities are measured on their designated part (measured_on "
            "former_municipalities: the designated former municipalities within today's boundary): "
            "designated_area_km2, hubs present there, covered area, settlements and population; area_km2 is the whole "
            "municipality",
            onPart));
        if (fallback > 0) {
            notes.push_back(
                fmt::format("{} 一部過疎 municipalities are measured whole (measured_on whole_fallback): "
                            "a former municipality of theirs matched no boundary",
                            fallback));
        }
    }
    if (r.nation.population) {
        int census = 0, spread = 0;
        for (const auto& m : r.municipalities) {
            if (m.populationMethod == PopulationMethod::CensusSmallAreas2015) ++census;
            if (m.populationMethod == PopulationMethod::RegisterSpread2022) ++spread;
        }
        std::string methods;
        if (census > 0) {
            methods =
                fmt::format("{} municipalities from the 2015 census small areas (census_2015_small_areas)", census);
        }
        if (spread > 0) {
            methods += fmt::format(
                "{}{} from the 2022-01-01 resident register spread over their settlements (register_2022_spread: "
                "Hokkaido and Aichi, which have no small areas)",
                methods.empty() ? "" : ", ", spread);
        }
        if (!methods.empty()) {
            notes.push_back(
                fmt::format("population: {}{}", methods,
                            census > 0 && spread > 0 ? "; totals that mix both say population_method mixed" : ""));
        }
    }
    if (!r.hubsOutsideDesignatedParts.empty()) {
        notes.push_back(
            fmt::format("{} hubs lie in a 一部過疎 municipality outside its designated part: not present "
                        "there (their catchments still count)",
                        r.hubsOutsideDesignatedParts.size()));
    }
    if (!r.hubsOnlyPlacedInPartialMunicipality.empty()) {
        notes.push_back(
            fmt::format("{} hubs are placed only to a 一部過疎 municipality (precision municipality: "
                        "their district was not found): counted as present in its designated part, "
                        "where their position is unknown (hubs.part_unknown)",
                        r.hubsOnlyPlacedInPartialMunicipality.size()));
    }
    if (incomplete > 0) {
        notes.push_back(
            fmt::format("{} designation rows were cut short in the source (designation_incomplete): "
                        "their list of former municipalities is incomplete",
                        incomplete));
    }
    if (r.options.openedBefore && !r.undatedHubs.empty()) {
        notes.push_back(fmt::format("{} hubs have no opening date: kept and counted as present before {}",
                                    r.undatedHubs.size(), *r.options.openedBefore));
    }
    if (!r.unlocatedHubs.empty()) {
        notes.push_back(
            fmt::format("{} hubs are known only by prefecture (no point): counted for prefecture-level "
                        "presence only (prefecture_only_hubs), not in any municipality",
                        r.unlocatedHubs.size()));
    }
    if (!r.hubsOutsideMunicipalities.empty()) {
        notes.push_back(fmt::format("{} hubs lie in no municipality polygon (at sea or in a gap of the boundaries)",
                                    r.hubsOutsideMunicipalities.size()));
    }
    if (!r.codeMismatches.empty()) {
        notes.push_back(
            fmt::format("{} hubs lie in another municipality than their code column names; presence "
                        "follows the location",
                        r.codeMismatches.size()));
    }
    if (r.options.hasRadius() && !r.options.radiusKm) {
        std::set<std::string> without;  // among the kinds of the hubs used
        for (int i : r.hubsUsed) {
            const std::string& kind = data.hubs[static_cast<size_t>(i)].kind;
            if (!r.options.radiusFor(kind)) without.insert(kind);
        }
        if (!without.empty()) {
            std::string list;
            for (const auto& k : without) list += (list.empty() ? "" : ", ") + k;
            notes.push_back(fmt::format("kinds without a radius have no catchment: {}", list));
        }
    }
    return notes;
}

json municipalityCoverageJson(const Dataset& data, const MunicipalityCoverage& m) {
    return fieldsJson(municipalityFields(), municipalityRow(data, m));
}

json coverageTotalsJson(const Dataset& data, const CoverageTotals& t) {
    // The nation's object has no name or code (identity off): its label does not matter here.
    return fieldsJson(totalsFields(), TotalsRow{data, std::nullopt, {}, &t, std::nullopt}, false);
}

json prefectureCoverageJson(const Dataset& data, const PrefectureCoverage& p) {
    return fieldsJson(totalsFields(), prefectureRow(data, p));
}

json coverageHeaderJson(const Dataset& data, const CoverageResult& r, const std::string& by) {
    const CoverageOptions& o = r.options;
    json designations = json::array();
    for (DesignationType t : o.designations) designations.push_back(std::string(designationKey(t)));
    json sources = json::array();
    for (const SourceInfo& s : data.sources) {
        sources.push_back(
            json{{"name", s.name}, {"vintage", s.vintage}, {"file", s.file}, {"rows", s.rows}, {"credit", s.credit}});
    }
    json mismatches = json::array();
    for (const CodeMismatch& c : r.codeMismatches) {
        const Hub& h = data.hubs[static_cast<size_t>(c.hubIndex)];
        mismatches.push_back(json{{"id", h.id},
                                  {"kind", h.kind},
                                  {"name", h.name},
                                  {"stated_code", c.statedCode},
                                  {"located_code", c.locatedCode.empty() ? json(nullptr) : json(c.locatedCode)}});
    }
    return json{
        {"hubmap_version", kVersion},
        {"generated", utcNow()},
        {"by", by},
        {"query", json{{"designations", designations},
                       {"prefectures", o.prefectures},
                       {"kinds", o.kinds},
                       {"opened_before", orNull(o.openedBefore)},
                       {"radius_km", orNull(o.radiusKm)},
                       {"radius_km_by_kind", json(o.radiusKmByKind)},
                       {"settlements", o.settlements},
                       {"population", o.population},
                       {"partial", std::string(partialMeasureKey(o.partial))}}},
        {"database", json{{"schema_version", metadataValue(data, "schema_version")},
                          {"built_at", metadataValue(data, "built_at")},
                          {"built_by_hubmap", metadataValue(data, "hubmap_version")},
                          {"geodata_fingerprint", metadataValue(data, "geodata_fingerprint")}}},
        {"sources", sources},
        {"hubs", json{{"used", r.hubsUsed.size()},
                      {"undated", hubIds(data, r.undatedHubs)},
                      {"unlocated", hubIds(data, r.unlocatedHubs)},
                      {"outside_municipalities", hubIds(data, r.hubsOutsideMunicipalities)},
                      {"ambiguous", hubIds(data, r.ambiguousHubs)},
                      {"outside_designated_parts", hubIds(data, r.hubsOutsideDesignatedParts)},
                      {"part_unknown", hubIds(data, r.hubsOnlyPlacedInPartialMunicipality)},
                      {"code_mismatches", mismatches}}},
        {"notes", coverageNotes(data, r)},
        {"seconds", r.seconds},
    };
}

json coverageToJson(const Dataset& data, const CoverageResult& r, const std::string& by) {
    return coverageToJson(data, r, by, false, std::nullopt);
}

json coverageToJson(const Dataset& data, const CoverageResult& r, const std::string& by, bool lackingOnly,
                    std::optional<double> minShare) {
    if (by != "municipality" && by != "prefecture" && by != "nation") {
        throw UsageError(fmt::format("unknown grouping '{}' (expected municipality, prefecture or nation)", by));
    }
    json out{{"schema", "hubmap.coverage/2"}, {"header", coverageHeaderJson(data, r, by)}};
    out["header"]["selection"] = json{{"lacking_only", lackingOnly}, {"min_share", orNull(minShare)}};
    if (by == "municipality") {
        json list = json::array();
        for (const auto& m : r.municipalities) {
            if (!lackingOnly || lacksCoverage(m, minShare)) list.push_back(municipalityCoverageJson(data, m));
        }
        out["municipalities"] = std::move(list);
    } else if (by == "prefecture") {
        json list = json::array();
        for (const auto& p : r.prefectures) {
            if (lackingOnly && !lacksCoverage(p.totals, minShare)) continue;
            list.push_back(prefectureCoverageJson(data, p));
        }
        out["prefectures"] = std::move(list);
    }
    out["nation"] = coverageTotalsJson(data, r.nation);
    return out;
}

json gapsToJson(const Dataset& data, const CoverageResult& result, const GapsResult& gaps, const GapOptions& options) {
    json municipalities = json::array();
    for (const MunicipalityGap& g : gaps.municipalities) {
        const MunicipalityGapRow row{g, municipalityRow(data, result.municipalities.at(g.index))};
        municipalities.push_back(fieldsJson(municipalityGapFields(), row));
    }
    json prefectures = json::array();
    for (const PrefectureGap& g : gaps.prefectures) {
        const PrefectureGapRow row{g, prefectureRow(data, result.prefectures.at(g.index))};
        prefectures.push_back(fieldsJson(prefectureGapFields(), row));
    }
    return json{{"schema", "hubmap.gaps/2"},
                {"header", coverageHeaderJson(data, result, "municipality")},
                {"ranking", json{{"by", std::string(gapRankingKey(gaps.rankedBy))},
                                 {"min_share", orNull(options.minShare)},
                                 {"weight", std::string(shareWeightKey(options.weight))},
                                 {"top", options.top},
                                 {"lacking_municipalities", gaps.lackingMunicipalities},
                                 {"lacking_prefectures", gaps.lackingPrefectures}}},
                {"municipalities", municipalities},
                {"prefectures", prefectures}};
}

}  // namespace hubmap
