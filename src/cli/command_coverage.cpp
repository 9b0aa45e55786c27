// hubmap coverage: which designated (過疎) municipalities and prefectures have hubs,
// and with a radius how much of their area and settlements lies within reach.

#include <fmt/format.h>

#include <cstdio>

#include "analysis/coverage.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/output_options.hpp"
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
        sub->add_option("--by", by_,
                        "municipality, prefecture or nation (xlsx: several, comma-separated, a sheet each)")
            ->delimiter(',')
            ->check(CLI::IsMember({"municipality", "prefecture", "nation"}))
            ->capture_default_str();
        output_.add(sub, {"table", "csv", "json", "geojson", "xlsx"});
        addQueryOptions(sub, query_);
        sub->add_flag("--uncovered-only", lackingOnly_, "only the units that lack coverage (see --min-share)");
        addMinShareOption(sub, minShare_);
        dbOption_.add(sub);
        return sub;
    }

    int run() override {
        const CoverageOptions options = query_.toOptions();
        const TableOutput out = output_.resolve(dbOption_);
        if (by_.size() > 1 && out.format != TableFormat::Xlsx) {
            throw UsageError("several --by levels need --format xlsx (a sheet each); other formats take one");
        }
        const std::string& by = by_.front();
        const bool geojson = out.format == TableFormat::GeoJson;
        if (geojson && by == "nation") {
            throw UsageError("--format geojson needs --by municipality or prefecture (the nation has no polygon)");
        }
        StderrProgress progress(dbOption_.quiet);
        const QueryRun run = runQuery(dbOption_, options, progress, false, geojson && by == "prefecture");
        const Dataset& data = run.data;
        const CoverageResult& result = run.result;

        if (out.format == TableFormat::Json) {
            writeTextOutput(out, coverageToJson(data, result, by, lackingOnly_, minShare_).dump(2) + "\n");
        } else if (out.format == TableFormat::Text) {
            writeTextOutput(out, coverageTable(data, result, by, lackingOnly_, minShare_));
        } else {
            for (const auto& note : coverageNotes(data, result)) progress.info("note: " + note);
            CoverageLayerOptions layer;
            layer.geometry = geojson;
            layer.lackingOnly = lackingOnly_;
            layer.minShare = minShare_;
            TableFile file(out);
            writeCoverageTable(file, data, result, by_, layer);
        }
        if (!out.path.empty()) progress.info("wrote " + out.path);
        return 0;
    }

private:
    QueryOptionGroup query_;
    DatabaseOption dbOption_;
    OutputOptionGroup output_;
    std::vector<std::string> by_ = {"prefecture"};
    bool lackingOnly_ = false;
    std::optional<double> minShare_;
};

}  // namespace

std::unique_ptr<Command> makeCoverageCommand() { return std::make_unique<CoverageCommand>(); }

}  // namespace hubmap::cli
