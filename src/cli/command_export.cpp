// hubmap export: the layers of a coverage query in one GeoPackage (styled for QGIS, with
// metadata and credits), or a folder of GeoJSON / FlatGeobuf / Shapefile files.

#include <fmt/format.h>

#include "analysis/coverage.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/query_options.hpp"
#include "io/paths.hpp"
#include "io/store.hpp"
#include "report/coverage_json.hpp"
#include "report/coverage_tables.hpp"
#include "report/export.hpp"

namespace hubmap::cli {

namespace {

class ExportCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        CLI::App* sub = app.add_subcommand(
            "export", "write the query's layers to a GeoPackage that opens styled in QGIS, or to other GIS formats");
        sub->add_option("--out", out_.outPath,
                        "target: FILE.gpkg for GPKG; a folder (one file per layer) for the other formats")
            ->required();
        sub->add_option("--format", out_.format, "GPKG, GeoJSON, FlatGeobuf or \"ESRI Shapefile\"")
            ->check(CLI::IsMember(exportFormats()))
            ->capture_default_str();
        sub->add_flag("--overwrite", out_.overwrite, "replace an existing target (a folder only if hubmap wrote it)");
        addQueryOptions(sub, query_);
        dbOption_.add(sub);
        return sub;
    }

    int run() override {
        CoverageOptions options = query_.toOptions();
        options.keepGeometry = true;  // the catchments and uncovered layers
        checkExportTarget(out_);      // refuse before a long query, not after
        StderrProgress progress(dbOption_.quiet);
        CancelOnSignal cancelOnSignal(progress);
        LoadOptions load;
        load.settlements = options.hasRadius();  // as `hubmap coverage` does, so the figures are the same
        load.pointsOfDesignatedOnly = true;
        const std::string db = resolveDatabase(dbOption_.db, progress);
        refuseOutputOver(out_.outPath, "--out", {{db, "the database"}});  // --out X.gpkg --db X.gpkg --overwrite
        const Dataset data = loadDataset(db, load);
        const CoverageResult result = computeCoverage(data, options, progress);
        out_.requestedBy = "hubmap export: " + describeQuery(result);
        const ExportReport report = exportCoverage(data, result, out_, progress);

        fmt::print("wrote {} ({}) in {:.2f} s\n", report.outPath, report.format, report.seconds);
        for (const auto& [layer, count] : report.layers) fmt::print("  {:<20} {:>7} features\n", layer, count);
        fmt::print("styles\n");
        for (const auto& style : report.styles) fmt::print("  {}\n", style);
        for (const auto& note : coverageNotes(data, result)) progress.info("note: " + note);
        for (const auto& note : report.notes) progress.info("note: " + note);
        return 0;
    }

private:
    QueryOptionGroup query_;
    DatabaseOption dbOption_;
    ExportOptions out_;
};

}  // namespace

std::unique_ptr<Command> makeExportCommand() { return std::make_unique<ExportCommand>(); }

}  // namespace hubmap::cli
