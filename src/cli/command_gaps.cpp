// hubmap gaps: the worst gaps — designated municipalities lacking coverage ranked by
// uncovered area (or settlements), prefectures ranked by uncovered share.

#include <fmt/format.h>

#include <cstdio>

#include "analysis/coverage.hpp"
#include "analysis/gaps.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/output_options.hpp"
#include "cli/query_options.hpp"
#include "core/error.hpp"
#include "report/coverage_json.hpp"
#include "report/coverage_layers.hpp"
#include "report/coverage_tables.hpp"
#include "report/table_output.hpp"

namespace hubmap::cli {

namespace {

class GapsCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        CLI::App* sub = app.add_subcommand(
            "gaps", "rank the gaps: designated municipalities lacking coverage, prefectures by uncovered share");
        addQueryOptions(sub, query_);
        sub->add_option("--top", gaps_.top, "how many of each list (0: all)")->capture_default_str();
        auto* byArea =
            sub->add_flag("--by-area", byArea_, "rank municipalities by uncovered area (the default without a radius)");
        auto* bySettlements =
            sub->add_flag("--by-settlements", bySettlements_, "rank municipalities by uncovered gazetteer settlements");
        byArea->excludes(bySettlements);
        addMinShareOption(sub, gaps_.minShare);
        sub->add_option("--weight", weight_,
                        "what --min-share weighs with a radius: population (residents within reach), area or "
                        "settlements")
            ->check(CLI::IsMember({"population", "area", "settlements"}))
            ->capture_default_str();
        sub->add_option("--rank", rank_,
                        "municipalities, prefectures or both (csv: one of the first two; xlsx: a sheet each)")
            ->check(CLI::IsMember({"municipalities", "prefectures", "both"}))
            ->capture_default_str();
        output_.add(sub, {"table", "csv", "json", "xlsx"});
        dbOption_.add(sub);
        return sub;
    }

    int run() override {
        const CoverageOptions options = query_.toOptions();
        gaps_.by = byArea_ ? GapRanking::Area : bySettlements_ ? GapRanking::Settlements : GapRanking::Default;
        gaps_.weight = parseShareWeight(weight_).value_or(ShareWeight::Area);
        const TableOutput out = output_.resolve(dbOption_);
        if (out.format == TableFormat::Csv && rank_ == "both") {
            throw UsageError("--format csv holds one list: add --rank municipalities or --rank prefectures");
        }
        StderrProgress progress(dbOption_.quiet);
        const QueryRun run =
            runQuery(dbOption_, options, progress, bySettlements_ || gaps_.weight == ShareWeight::Settlements);
        const Dataset& data = run.data;
        const CoverageResult& result = run.result;
        const GapsResult gaps = rankGaps(result, gaps_);
        const bool municipalities = rank_ != "prefectures", prefectures = rank_ != "municipalities";

        if (out.format == TableFormat::Json) {
            nlohmann::json json = gapsToJson(data, result, gaps, gaps_);
            if (!municipalities) json.erase("municipalities");
            if (!prefectures) json.erase("prefectures");
            writeTextOutput(out, json.dump(2) + "\n");
        } else if (out.format == TableFormat::Text) {
            writeTextOutput(out, gapsTables(data, result, gaps, gaps_, municipalities, prefectures));
        } else {
            for (const auto& note : coverageNotes(data, result)) progress.info("note: " + note);
            TableFile file(out);
            writeGapsTable(file, data, result, gaps, municipalities, prefectures);
        }
        if (!out.path.empty()) progress.info("wrote " + out.path);
        return 0;
    }

private:
    QueryOptionGroup query_;
    DatabaseOption dbOption_;
    GapOptions gaps_;
    bool byArea_ = false, bySettlements_ = false;
    std::string weight_ = "area";
    OutputOptionGroup output_;
    std::string rank_ = "both";
};

}  // namespace

std::unique_ptr<Command> makeGapsCommand() { return std::make_unique<GapsCommand>(); }

}  // namespace hubmap::cli
