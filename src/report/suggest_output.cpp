// The outputs of `hubmap suggest` (see suggest_output.hpp).

#include "report/suggest_output.hpp"

#include <fmt/format.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include "core/error.hpp"
#include "core/version.hpp"
#include "io/gdal.hpp"
#include "report/feature_writer.hpp"
#include "report/fields.hpp"
#include "report/row_table.hpp"

namespace hubmap {

namespace {

using nlohmann::json;

std::string list(const std::vector<std::string>& items, const char* separator) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
    return out;
}

std::string percent(double share) { return fmt::format("{:.1f}%", share * 100.0); }

double share(long long part, long long whole) { return whole > 0 ? static_cast<double>(part) / whole : 0.0; }

std::string_view candidateKey(CandidateSource c) {
    switch (c) {
        case CandidateSource::Settlements:
            return "settlements";
        case CandidateSource::Population:
            return "population";
        case CandidateSource::Points:
            return "file";
    }
    return "settlements";
}

std::string weightText(const SuggestResult& r) {
    if (r.weight == SuggestWeight::Population) {
        return fmt::format("weight population (residents; {})", list(r.populationMethods, ", "));
    }
    return "weight settlements (1 per gazetteer settlement: this database has no population data)";
}

std::string existingRadii(const CoverageOptions& o) {
    std::vector<std::string> parts;
    for (const auto& [kind, km] : o.radiusKmByKind) parts.push_back(fmt::format("{} {} km", kind, km));
    return parts.empty() ? "" : fmt::format(" (existing {})", list(parts, ", "));
}

std::string boundText(const SuggestResult& r) {
    const long long gap = r.upper - r.after;
    std::string text =
        fmt::format("bound: at most {} ({}) with {} sites: {} from this answer ({}); method {}", r.upper,
                    percent(share(r.upper, r.demand)), r.options.k, gap, percent(share(gap, r.demand)), r.boundMethod);
    if (r.optimal) text += " — optimal";
    return text;
}

}  // namespace

std::string describeSuggestion(const SuggestResult& r) {
    const CoverageOptions& o = r.options.query;
    std::vector<std::string> types;
    for (DesignationType t : o.designations) types.emplace_back(designationLabelJa(t));
    std::string text = fmt::format("{}; {}; hub kinds: {}", list(types, "、"),
                                   o.prefectures.empty() ? std::string("all prefectures") : list(o.prefectures, "、"),
                                   o.kinds.empty() ? std::string("all") : list(o.kinds, ", "));
    if (o.openedBefore) text += fmt::format("; opened before {}", *o.openedBefore);
    text += fmt::format("; k {}; radius {} km{}; {}; candidates {} ({} in the designated areas); {} hubs used",
                        r.options.k, o.radiusKm.value_or(0), existingRadii(o), weightText(r),
                        candidateKey(r.candidates), r.candidateCount, r.hubsUsed);
    return text;
}

json suggestToJson(const Dataset& data, const SuggestResult& r) {
    const CoverageOptions& o = r.options.query;
    json designations = json::array();
    for (DesignationType t : o.designations) designations.push_back(std::string(designationKey(t)));
    json sites = json::array();
    for (const SuggestedSite& s : r.sites) sites.push_back(fieldsJson(suggestedSiteFields(), SuggestedSiteRow{s}));
    json exact = nullptr;
    if (r.exactRan) {
        exact = json{{"status", r.exactStatus},
                     {"time_limit_seconds", r.options.exactSeconds.value_or(0)},
                     {"best_bound", r.exactBestBound},
                     {"seconds", r.secondsExact}};
    }
    auto metadata = [&](const char* key) {
        auto it = data.metadata.find(key);
        return it == data.metadata.end() ? std::string() : it->second;
    };
    return json{
        {"schema", "hubmap.suggest/1"},
        {"header",
         json{{"hubmap_version", kVersion},
              {"query", json{{"designations", designations},
                             {"prefectures", o.prefectures},
                             {"kinds", o.kinds},
                             {"opened_before", o.openedBefore ? json(*o.openedBefore) : json(nullptr)},
                             {"partial", std::string(partialMeasureKey(o.partial))},
                             {"k", r.options.k}}},
              {"weight", json{{"key", std::string(suggestWeightKey(r.weight))},
                              {"explicit", r.options.weight.has_value()},
                              {"population_methods", r.populationMethods}}},
              {"radius_km", o.radiusKm.value_or(0)},
              {"existing_radius_km_by_kind", json(o.radiusKmByKind)},
              {"candidates", json{{"source", std::string(candidateKey(r.candidates))},
                                  {"file", r.options.pointsName.empty() ? json(nullptr) : json(r.options.pointsName)},
                                  {"in_query", r.candidateCount},
                                  {"outside_query", r.candidatesOutside}}},
              {"municipalities", r.municipalities},
              {"hubs_used", r.hubsUsed},
              {"demand_points", r.demandPoints},
              {"greedy", json{{"covered", r.greedyAfter}, {"swaps", r.swaps}}},
              {"exact", exact},
              {"database", json{{"schema_version", metadata("schema_version")},
                                {"built_at", metadata("built_at")},
                                {"geodata_fingerprint", metadata("geodata_fingerprint")}}},
              {"timings", json{{"select", r.secondsSelect},
                               {"coverage_sets", r.secondsSets},
                               {"greedy_and_swaps", r.secondsGreedy},
                               {"exact", r.secondsExact},
                               {"total", r.seconds}}}}},
        {"demand", r.demand},
        {"before", json{{"covered", r.before}, {"share", share(r.before, r.demand)}}},
        {"after", json{{"covered", r.after}, {"share", share(r.after, r.demand)}}},
        {"bound", json{{"upper", r.upper},
                       {"share", share(r.upper, r.demand)},
                       {"method", r.boundMethod},
                       {"optimal", r.optimal}}},
        {"sites", sites},
    };
}

std::string suggestTable(const SuggestResult& r) {
    std::string out = fmt::format("hubmap suggest: {}\n", describeSuggestion(r));
    const std::string unit = r.weight == SuggestWeight::Population ? "people" : "settlements";
    out += fmt::format("demand: {} {} at {} points in {} designated municipalities\n", r.demand, unit, r.demandPoints,
                       r.municipalities);
    RowTable<SuggestedSiteRow> table(suggestedSiteFields(), TableContext{});
    for (const SuggestedSite& s : r.sites) table.add(SuggestedSiteRow{s});
    out += table.render();
    out += fmt::format("before: {} {} within reach ({})\n", r.before, unit, percent(share(r.before, r.demand)));
    out += fmt::format("after:  {} {} within reach ({}), +{} with {} sites\n", r.after, unit,
                       percent(share(r.after, r.demand)), r.after - r.before, r.options.k);
    out += boundText(r) + "\n";
    if (r.exactRan) {
        out += fmt::format("exact: CBC {} in {:.2f} s (best bound {:.1f}); greedy {} and {} swaps\n", r.exactStatus,
                           r.secondsExact, r.exactBestBound, r.greedyAfter, r.swaps);
    }
    if (r.candidatesOutside > 0) {
        out += fmt::format("note: {} candidate points lie outside the query's designated areas: left out\n",
                           r.candidatesOutside);
    }
    return out;
}

long long writeSuggestTable(TableFile& file, const SuggestResult& result) {
    const bool points = file.output().format == TableFormat::GeoJson;
    const FeatureWriter::Options options = file.writerOptions();
    OGRSpatialReference srs;
    srs.importFromEPSG(6668);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer& layer = createLayer(file.dataset(), options.target, "suggest", points ? &srs : nullptr,
                                  points ? wkbPoint : wkbNone, gdalOptions(file.layerOptions()));
    const std::vector<FieldInfo> fields = fieldInfos(suggestedSiteFields(), kOutRows);
    long long n = 0;
    {
        FeatureWriter writer(layer, fields, options);
        for (const SuggestedSite& s : result.sites) {
            std::unique_ptr<OGRGeometry> g;
            if (points) g = std::make_unique<OGRPoint>(s.lon, s.lat);
            writer.write(fieldValues(suggestedSiteFields(), kOutRows, SuggestedSiteRow{s}), std::move(g));
        }
        n = writer.written();
    }
    file.describeSheet("suggest", fields);
    file.finish();
    return n;
}

}  // namespace hubmap
