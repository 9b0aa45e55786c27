#include "cli/query_options.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "io/store.hpp"

namespace hubmap::cli {

void addQueryOptions(CLI::App* sub, QueryOptionGroup& group) {
    sub->add_option("--designation", group.designations,
                    "designation types: full (全部過疎), partial (一部過疎), deemed (みなし過疎); default all")
        ->delimiter(',');
    sub->add_option("--prefecture", group.prefectures,
                    "only these prefectures (高知県, 高知 or 39); repeat or comma-separate")
        ->delimiter(',');
    sub->add_option("--kinds", group.kinds, "only these hub kinds (small_hub, rmo, activity_centre, model_project, …)")
        ->delimiter(',');
    sub->add_option("--opened-before", group.openedBefore,
                    "only hubs opened before this month, YYYY-MM (hubs without a date are kept and reported)");
    sub->add_option("--radius-km", group.radiusKm,
                    "catchment radius in km (geodesic): R for every kind, or kind=R,... (kinds without one have no "
                    "catchment), or R,kind=R,...");
    sub->add_option("--threads", group.threads, "worker threads (default 0: every core)");
    sub->add_option("--partial", group.partial,
                    "一部過疎 municipalities measured on: part (their designated former municipalities) or whole "
                    "(the whole municipality, as hubmap.coverage/1 did)")
        ->check(CLI::IsMember({"part", "whole"}))
        ->capture_default_str();
}

void addMinShareOption(CLI::App* sub, std::optional<double>& minShare) {
    sub->add_option("--min-share", minShare,
                    "a unit lacks coverage when its share is below S (0-1): the covered area share with a radius, "
                    "else the share of designated municipalities with a hub; default: lacking = no hub inside (a "
                    "prefecture: any designated municipality without one)")
        ->check(CLI::Validator(
            [](std::string& text) -> std::string {
                // CLI::Range lets "nan" through (every comparison with NaN is false).
                double v = 0;
                if (!CLI::detail::lexical_cast(text, v) || !std::isfinite(v) || v < 0.0 || v > 1.0) {
                    return "expected a share from 0 to 1 (e.g. 0.5), not " + text;
                }
                return {};
            },
            "SHARE in [0, 1]"));
}

CoverageOptions QueryOptionGroup::toOptions() const {
    CoverageOptions o;
    if (!designations.empty()) {
        o.designations.clear();
        for (const std::string& d : designations) {
            const auto type = parseDesignation(d);
            if (!type || *type == DesignationType::None) {
                throw UsageError(fmt::format("--designation '{}': expected full, partial or deemed", d));
            }
            o.designations.insert(*type);
        }
    }
    o.prefectures = prefectures;
    o.kinds = kinds;
    o.openedBefore = openedBefore;
    if (radiusKm) parseRadiusSpec(*radiusKm, o);
    o.threads = threads;
    const auto measure = parsePartialMeasure(partial);
    if (!measure) throw UsageError(fmt::format("--partial '{}': expected part or whole", partial));
    o.partial = *measure;
    checkCoverageValues(o);  // before the database is loaded (or built on first use)
    return o;
}

QueryRun runQuery(const DatabaseOption& db, const CoverageOptions& options, Progress& progress, bool settlements,
                  bool prefectureGeometry) {
    LoadOptions load;
    load.settlements = settlements || options.hasRadius();
    load.prefectureGeometry = prefectureGeometry;
    load.pointsOfDesignatedOnly = true;
    QueryRun run{loadDataset(resolveDatabase(db.db, progress), load), {}};
    run.result = computeCoverage(run.data, options, progress);
    return run;
}

}  // namespace hubmap::cli
