// hubmap suggest: where k new hubs would bring the most people (or settlements) of the
// designated areas within R km — the maximal covering location problem (analysis/suggest.hpp).

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "analysis/suggest.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/output_options.hpp"
#include "cli/query_options.hpp"
#include "core/error.hpp"
#include "io/import.hpp"
#include "io/store.hpp"
#include "report/suggest_output.hpp"

namespace hubmap::cli {

namespace {

/// The default time limit of --exact without a value, seconds.
constexpr double kDefaultExactSeconds = 60;

class SuggestCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        CLI::App* sub = app.add_subcommand(
            "suggest",
            "suggest N new hub sites that bring the most people (or settlements) of the designated areas within R km");
        sub->add_option("--k", k_, "how many new sites to choose (1 ≤ N ≤ candidates)")->required();
        addQueryOptions(sub, query_);
        sub->add_option("--weight", weight_,
                        "what a demand point weighs: population (residents) or settlements (1 each); default "
                        "population when the database has population data, else settlements")
            ->check(CLI::IsMember({"population", "settlements"}));
        sub->add_option("--candidates", candidates_,
                        "where sites may go: settlements, population (points) or FILE (lon/lat columns or point "
                        "geometry, any format hubmap import reads); only those in the query's designated areas; "
                        "default: the points of the weight");
        sub->add_option(
               "--exact", exact_,
               fmt::format("also solve the integer program with COIN-OR CBC, at most SECONDS (default {}), "
                           "warm-started from the greedy answer: the proven optimum or the gap left (the limit bounds "
                           "CBC's search; its first LP relaxation runs to the end: fine for a prefecture, "
                           "minutes for the nation)",
                           kDefaultExactSeconds))
            ->expected(0, 1);
        sub->add_option("--save-as", saveAs_,
                        "store the sites as hubs of kind planned in this import source (remove with hubmap hubs "
                        "--remove-source)");
        output_.add(sub, {"table", "csv", "json", "geojson", "xlsx"});
        dbOption_.add(sub);
        exactOption_ = sub->get_option("--exact");
        sub->footer(
            "--radius-km R is required: the new sites' radius, and the existing hubs' unless R,kind=R2,... gives a "
            "kind its own. Demand: the weighted points of the query's designated areas (一部過疎: the designated "
            "part). See docs/suggest.md.");
        return sub;
    }

    int run() override {
        const auto start = std::chrono::steady_clock::now();
        const TableOutput out = output_.resolve(dbOption_);  // checked before any work
        SuggestOptions options;
        options.query = query_.toOptions();
        options.k = k_;
        if (query_.radiusKm && !options.query.radiusKm) {
            throw UsageError(fmt::format(
                "--radius-km '{}': give the new sites' radius R first (R or R,kind=R,...: kinds with their own "
                "radius keep it for the existing hubs)",
                *query_.radiusKm));
        }
        if (weight_) options.weight = parseSuggestWeight(*weight_);
        if (exactOption_->count() > 0) {
            options.exactSeconds = kDefaultExactSeconds;
            if (!exact_.empty()) {
                double seconds = 0;
                if (!CLI::detail::lexical_cast(exact_, seconds) || !std::isfinite(seconds) || seconds <= 0) {
                    throw UsageError(fmt::format("--exact '{}': expected a positive number of seconds", exact_));
                }
                options.exactSeconds = seconds;
            }
        }
        if (k_ <= 0) throw UsageError(fmt::format("--k: the number of sites must be at least 1, not {}", k_));
        if (saveAs_ && saveAs_->empty()) throw UsageError("--save-as needs the name of an import source");

        StderrProgress progress(dbOption_.quiet);
        const std::string path = resolveDatabase(dbOption_.db, progress);
        if (candidates_ == "settlements") {
            options.candidates = CandidateSource::Settlements;
        } else if (candidates_ == "population") {
            options.candidates = CandidateSource::Population;
        } else if (!candidates_.empty()) {
            options.candidates = CandidateSource::Points;
            options.pointsName = candidates_;
            for (const auto& [lon, lat] : readCandidatePoints(path, candidates_, progress)) {
                options.points.push_back({lon, lat, 1, ""});
            }
        }
        LoadOptions load;
        load.prefectureGeometry = false;
        const Dataset data = loadDataset(path, load);
        const SuggestResult result = suggestSites(data, options, progress);

        if (saveAs_) {
            std::vector<Hub> hubs;
            for (const SuggestedSite& s : result.sites) {
                Hub h;
                h.id = fmt::format("{}-{}", *saveAs_, s.rank);
                h.kind = "planned";
                h.name = fmt::format("planned site {} ({} {})", s.rank, s.municipality, s.district);
                h.prefecture = s.prefecture;
                h.municipality = s.municipality;
                h.code = s.code;
                h.editDetails().district = s.district;
                h.lon = s.lon;
                h.lat = s.lat;
                h.precision = "exact";
                h.source = "hubmap suggest";
                h.note = fmt::format("{}; gain {}", describeSuggestion(result), s.gain);
                hubs.push_back(std::move(h));
            }
            storeHubsAsImport(path, hubs, *saveAs_);
            progress.info(
                fmt::format("saved {} sites as hubs of kind planned, import source '{}' (remove with: "
                            "hubmap hubs --remove-source {})",
                            hubs.size(), *saveAs_, *saveAs_));
        }

        if (out.format == TableFormat::Json) {
            nlohmann::json doc = suggestToJson(data, result);
            doc["header"]["timings"]["process"] =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            writeTextOutput(out, doc.dump(2) + "\n");
        } else if (out.format == TableFormat::Text) {
            writeTextOutput(out, suggestTable(result));
        } else {
            progress.info(describeSuggestion(result));
            TableFile file(out);
            writeSuggestTable(file, result);
        }
        if (!out.path.empty()) progress.info("wrote " + out.path);
        return 0;
    }

private:
    QueryOptionGroup query_;
    DatabaseOption dbOption_;
    int k_ = 0;
    std::optional<std::string> weight_;
    std::string candidates_;
    std::string exact_;
    CLI::Option* exactOption_ = nullptr;
    std::optional<std::string> saveAs_;
    OutputOptionGroup output_;
};

}  // namespace

std::unique_ptr<Command> makeSuggestCommand() { return std::make_unique<SuggestCommand>(); }

}  // namespace hubmap::cli
