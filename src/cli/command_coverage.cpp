// hubmap coverage: which designated (過疎) municipalities and prefectures have hubs,
// and with a radius how much of their area and settlements lies within reach.

#include <fmt/format.h>

#include <cstdio>

#include "analysis/coverage.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/query_options.hpp"
#include "core/error.hpp"
#include "report/coverage_json.hpp"
#include "report/coverage_layers.hpp"
#include "report/coverage_tables.hpp"

namespace hubmap::cli {

namespace {

class CoverageCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        CLI::App* sub = app.add_subcommand(
            "coverage", "coverage of designated (過疎) municipalities by hubs, per municipality, prefecture or nation");
        sub->add_option("--by", by_, "municipality, prefecture or nation")
            ->check(CLI::IsMember({"municipality", "prefecture", "nation"}))
            ->capture_default_str();
        sub->add_option("--format", format_, "table, csv, json or geojson (municipality or prefecture polygons)")
            ->check(CLI::IsMember({"table", "csv", "json", "geojson"}))
            ->capture_default_str();
        addQueryOptions(sub, query_);
        sub->add_flag("--uncovered-only", lackingOnly_, "only the units that lack coverage (see --min-share)");
        addMinShareOption(sub, minShare_);
        dbOption_.add(sub);
        return sub;
    }

    int run() override {
        const CoverageOptions options = query_.toOptions();
        if (format_ == "geojson" && by_ == "nation") {
            throw UsageError("--format geojson needs --by municipality or prefecture (the nation has no polygon)");
        }
        StderrProgress progress(dbOption_.quiet);
        const QueryRun run = runQuery(dbOption_, options, progress, false, format_ == "geojson" && by_ == "prefecture");
        const Dataset& data = run.data;
        const CoverageResult& result = run.result;

        if (format_ == "json") {
            fmt::print("{}\n", coverageToJson(data, result, by_, lackingOnly_, minShare_).dump(2));
        } else if (format_ == "csv" || format_ == "geojson") {
            for (const auto& note : coverageNotes(data, result)) progress.info("note: " + note);
            CoverageLayerOptions layer;
            layer.by = by_;
            layer.geometry = format_ == "geojson";
            layer.lackingOnly = lackingOnly_;
            layer.minShare = minShare_;
            std::fflush(stdout);
            writeCoverageFile("/vsistdout/", format_ == "csv" ? "CSV" : "GeoJSON", data, result, layer);
        } else {
            fmt::print("{}", coverageTable(data, result, by_, lackingOnly_, minShare_));
        }
        return 0;
    }

private:
    QueryOptionGroup query_;
    DatabaseOption dbOption_;
    std::string by_ = "prefecture";
    std::string format_ = "table";
    bool lackingOnly_ = false;
    std::optional<double> minShare_;
};

}  // namespace

std::unique_ptr<Command> makeCoverageCommand() { return std::make_unique<CoverageCommand>(); }

}  // namespace hubmap::cli
