// hubmap init: build the database from geodata/.

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "core/paths.hpp"
#include "io/init.hpp"
#include "io/paths.hpp"
#include "io/staged_output.hpp"

namespace hubmap::cli {

namespace {

class InitCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        CLI::App* sub = app.add_subcommand("init", "build the hubmap database from the embedded national data");
        sub->add_option("--db", db_, "database to write (default: $HUBMAP_DB or ~/.local/share/hubmap/hubmap.sqlite)");
        sub->add_option("--geodata", geodata_, "folder with the vendored data (default: the source tree's geodata/)");
        sub->add_flag("--force", force_, "replace an existing database");
        sub->add_flag("--no-hubs", noHubs_, "do not load geodata/hubs/*.csv");
        sub->add_flag("-q,--quiet", quiet_, "no progress messages on stderr");
        return sub;
    }

    int run() override {
        InitOptions options;
        options.dbPath = db_.empty() ? defaultDatabasePath() : db_;
        options.geodataDir = geodata_.empty() ? defaultGeodataDir() : geodata_;
        options.force = force_;
        options.loadHubs = !noHubs_;
        std::vector<ProtectedPath> inputs{{options.geodataDir, "the geodata folder"}};
        for (const auto& rel : geodataInputs()) inputs.push_back({options.geodataDir + "/" + rel, "an input of init"});
        refuseOutputOver(options.dbPath, "--db", inputs);
        requireFileOutput(options.dbPath, "--db");
        StderrProgress progress(quiet_);
        StagedOutput::removeOnSignals();  // a killed init leaves no 68 MB temporary database
        const InitReport report = initDatabase(options, progress);
        fmt::print("built {} in {:.1f} s\n", options.dbPath, report.seconds);
        for (const auto& [table, rows] : report.tableRows) fmt::print("  {:<21} {:>7} rows\n", table, rows);
        if (!report.unassignedFeatures.empty()) {
            fmt::print("所属未定地 (no municipality; kept in admin_units only): {}\n",
                       report.unassignedFeatures.size());
            for (const auto& s : report.unassignedFeatures) fmt::print("  {}\n", s);
        }
        if (!report.incompleteDesignations.empty()) {
            fmt::print("designation rows flagged incomplete: {}\n", report.incompleteDesignations.size());
            for (const auto& s : report.incompleteDesignations) fmt::print("  {}\n", s);
        }
        fmt::print("settlement points that joined no municipality: {}\n", report.unmatchedSettlementPoints);
        for (const auto& s : report.unmatchedSettlements) fmt::print("  {}\n", s);
        printDesignatedParts(report.designatedParts);
        printPopulation(report.population);
        for (const auto& s : report.notes) fmt::print("{}\n", s);
        return 0;
    }

private:
    static void printDesignatedParts(const FormerMatchSummary& s) {
        fmt::print(
            "一部過疎 former municipalities: {} names in {} municipalities (polygons: {} of 2000-10-01, {} of "
            "1995-10-01)\n",
            s.names, s.parts, s.former2000Polygons, s.former1995Polygons);
        for (const auto& [how, n] : s.namesByHow) fmt::print("  {:<17} {:>4}\n", how, n);
        for (const auto& line : s.inexact) fmt::print("  {}\n", line);
        if (!s.unmatched.empty()) {
            fmt::print("former municipalities matched nowhere (their municipality is measured whole): {}\n",
                       s.unmatched.size());
            for (const auto& line : s.unmatched) fmt::print("  {}\n", line);
        }
        const long long fitted = s.parts - s.wholeFallback;
        fmt::print(
            "designated parts: {} fitted to today's boundary, {} measured whole; {} of {} within 2% of their "
            "former polygons' area; largest differences:\n",
            fitted, s.wholeFallback, s.withinTwoPercent, fitted);
        for (const auto& line : s.worstSpread) fmt::print("  {}\n", line);
        fmt::print("designated area: {:.0f} km² of {:.0f} km² ({:.1f}% of the national area)\n", s.designatedKm2,
                   s.nationalKm2, s.nationalKm2 > 0 ? 100 * s.designatedKm2 / s.nationalKm2 : 0.0);
    }

    static void printPopulation(const PopulationSummary& s) {
        fmt::print("population: {} census small areas of 2015 ({} people)", s.smallAreas, s.smallAreaPopulation);
        for (const auto& line : s.remapped) fmt::print("; {}", line);
        fmt::print("\n");
        std::string prefectures;
        for (const auto& p : s.spreadPrefectures) prefectures += (prefectures.empty() ? "" : ", ") + p;
        fmt::print(
            "  no small areas in {}: the 2022 register population of {} municipalities ({} people) spread over {} "
            "settlements (register_2022_spread)\n",
            prefectures, s.spreadMunicipalities, s.spreadPopulation, s.spreadPoints);
        for (const auto& m : s.spreadWithoutSettlements)
            fmt::print("  no settlement, one point on the polygon: {}\n", m);
        fmt::print(
            "  points outside their municipality's polygon, snapped to it: {} census, {} spread (farthest {:.2f} km)\n",
            s.snappedCensus, s.snappedSpread, s.snappedMaxKm);
    }

    std::string db_, geodata_;
    bool force_ = false, noHubs_ = false, quiet_ = false;
};

}  // namespace

std::unique_ptr<Command> makeInitCommand() { return std::make_unique<InitCommand>(); }

}  // namespace hubmap::cli
