// hubmap import FILE --kind KIND: hubs from any vector file into the database.

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "io/import.hpp"
#include "io/staged_output.hpp"
#include "io/store.hpp"

namespace hubmap::cli {

namespace {

class ImportCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        // An option given as '' once meant "not given" (e.g. --crs '' read the file's own CRS).
        const CLI::Validator nonEmpty(
            [](std::string& v) { return v.empty() ? std::string("must not be empty") : std::string(); }, "TEXT");
        CLI::App* sub = app.add_subcommand(
            "import",
            "import hubs from a vector file or a spreadsheet (CSV or .xlsx/.ods with lon/lat or address columns, "
            "GeoJSON, GeoPackage, Shapefile, FlatGeobuf)");
        sub->add_option("FILE", options_.file, "the file to import; - reads a CSV from standard input (needs --source)")
            ->required()
            ->check(nonEmpty);
        sub->add_option("--kind", options_.kind,
                        "kind of every row: small_hub, rmo, activity_centre, model_project "
                        "or your own ([a-z][a-z0-9_]*); with a 種別/kind column, of the rows whose cell is empty "
                        "(and needed only then)")
            ->check(nonEmpty);
        sub->add_option("--kind-label", options_.kindLabel,
                        "display name of your own --kind (e.g. 島根県小さな拠点), kept in the database for the viewer "
                        "legend, the tables and the exported QGIS styles")
            ->check(nonEmpty);
        auto* layer = sub->add_option("--layer", options_.layer, "layer to read from a multi-layer source (GeoPackage)")
                          ->check(nonEmpty);
        sub->add_option("--sheet", options_.layer, "sheet of an .xlsx or .ods workbook (the same as --layer)")
            ->check(nonEmpty)
            ->excludes(layer);
        sub->add_option("--crs", options_.crs,
                        "source CRS when the file has none, e.g. EPSG:6672 (JGD2011 plane rectangular IV, Shikoku); "
                        "overrides the file's; CSV coordinates default to EPSG:6668")
            ->check(nonEmpty);
        sub->add_option("--encoding", options_.encoding,
                        "text encoding of a CSV or Shapefile: auto (UTF-8, else CP932), utf-8, cp932 (Shift_JIS) "
                        "or any iconv name")
            ->capture_default_str()
            ->check(nonEmpty);
        auto* lon = sub->add_option("--lon-col", options_.lonColumn,
                                    "column of longitude (or easting with a projected --crs); default: "
                                    "lon, lng, long, longitude or 経度")
                        ->check(nonEmpty);
        auto* lat = sub->add_option("--lat-col", options_.latColumn,
                                    "column of latitude (or northing); default: lat, latitude or 緯度")
                        ->check(nonEmpty);
        lon->needs(lat);
        lat->needs(lon);
        sub->add_option("--id-col", options_.idColumn, "column of ids; default: id, 番号, no (else the row number)")
            ->check(nonEmpty);
        sub->add_option("--name-col", options_.nameColumn, "column of names; default: name, 名称, 施設名, 拠点名, …")
            ->check(nonEmpty);
        sub->add_option("--address-col", options_.addressColumn,
                        "column of whole addresses (都道府県 optional, 郡, 市町村 or 政令市の区, 大字・町丁目, 番地); "
                        "default: address, 住所, 所在地, 設置場所")
            ->check(nonEmpty);
        auto* source = sub->add_option("--source", options_.sourceName,
                                       "name of this import (default: the file name); `hubmap hubs --remove-source "
                                       "NAME` removes it")
                           ->check(nonEmpty);
        sub->add_option("--replace", replace_,
                        "replace the import source SOURCE with this new version of its file, in one transaction "
                        "(its old rows stay if the new file fails)")
            ->type_name("SOURCE")
            ->check(nonEmpty)
            ->excludes(source);
        sub->add_flag("--strict", options_.strict,
                      "reject a row whose date (開設年月, opened) or fiscal year cannot be read, instead of "
                      "importing it without the value and warning");
        auto* skip = sub->add_flag("--skip-invalid", options_.skipInvalid,
                                   "import the valid rows and write the rejected ones with their reason to a CSV");
        sub->add_option("--rejects", options_.rejectsFile,
                        "the rejects CSV (default: <file stem>.rejects.csv in the current folder)")
            ->needs(skip)
            ->check(nonEmpty);
        dbOption_.add(sub);
        return sub;
    }

    int run() override {
        StderrProgress progress(dbOption_.quiet);
        StagedOutput::removeOnSignals();  // an interrupted import leaves no half-written rejects file
        if (!replace_.empty()) {
            options_.sourceName = replace_;
            options_.replace = true;
        }
        const std::string db = resolveDatabase(dbOption_.db, progress);
        std::optional<StandardInputFile> standardInput;
        if (options_.file == "-") {
            if (options_.sourceName.empty()) {
                throw UsageError("import - (standard input) needs --source NAME: the name of this import");
            }
            standardInput.emplace();
            options_.file = standardInput->path();
            options_.recordedFile = "-";
            if (options_.skipInvalid && options_.rejectsFile.empty()) {
                options_.rejectsFile = options_.sourceName + ".rejects.csv";  // not the temporary file's name
            }
        }
        const ImportReport r = importHubs(db, options_, progress);
        std::string kinds;
        for (const auto& [kind, n] : r.byKind) kinds += fmt::format("{}{}", kinds.empty() ? "" : ", ", kind);
        fmt::print("imported {} of {} rows from {} as import source '{}' (kind {}) in {:.2f} s\n", r.imported,
                   r.rowsRead, r.file, r.sourceName, kinds.empty() ? options_.kind : kinds, r.seconds);
        if (options_.replace && r.imported > 0) {
            fmt::print("  replaced the {} rows of the previous version\n", r.replaced);
        }
        fmt::print("  read: {} layer '{}'{}{}\n", r.driver, r.layer,
                   r.encoding.empty() ? "" : fmt::format(", encoding {}", r.encoding),
                   r.crs.empty() ? "" : fmt::format(", CRS {}", r.crs));
        fmt::print("  points from: {}\n", r.location);
        std::string counts;
        for (const char* p : {"exact", "settlement", "municipality", "prefecture"}) {
            if (auto it = r.byPrecision.find(p); it != r.byPrecision.end()) {
                counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", p, it->second);
            }
        }
        fmt::print("  precision: {}\n", counts.empty() ? "-" : counts);
        if (!r.extraColumns.empty()) {
            std::string list;
            for (const auto& c : r.extraColumns) list += (list.empty() ? "" : ", ") + c;
            fmt::print("  kept as extra: {}\n", list);
        }
        if (!r.rejected.empty()) {
            fmt::print("  rejected {} rows, written with their reason to {} ({})\n", r.rejected.size(), r.rejectsFile,
                       r.rejectsEncoding);
            for (size_t i = 0; i < r.rejected.size() && i < 10; ++i) {
                const auto& p = r.rejected[i];
                fmt::print("    {} {}: {}\n", p.row >= 0 ? "row" : "feature", p.row >= 0 ? p.row : p.feature, p.reason);
            }
            if (r.rejected.size() > 10) fmt::print("    … and {} more\n", r.rejected.size() - 10);
        }
        for (const auto& w : r.warnings) fmt::print(stderr, "hubmap: warning: {}\n", w);
        if (!r.notes.empty()) fmt::print("  notes:\n");
        for (const auto& n : r.notes) fmt::print("    {}\n", n);
        // Nothing imported from a file with rows is a failure, even when skipping was allowed.
        return r.imported == 0 ? 1 : 0;
    }

private:
    /// Standard input copied whole into a temporary CSV (GDAL reads a file: encoding detection
    /// and the header need to look at it more than once), removed when the import ends.
    class StandardInputFile {
    public:
        StandardInputFile() {
            const std::filesystem::path tmp = std::filesystem::temp_directory_path();
            // A SIGKILLed `import -` cannot remove its copy: the next one removes those of dead runs.
            removeStaleTemporaries(tmp, "hubmap-stdin-");
            dir_ = tmp / fmt::format("hubmap-stdin-{}", ::getpid());
            std::filesystem::create_directories(dir_);
            path_ = (dir_ / "standard-input.csv").string();
            std::ofstream out(path_, std::ios::binary);
            out << std::cin.rdbuf();
            out.close();
            if (!out || std::filesystem::file_size(path_) == 0) {
                std::error_code ec;
                std::filesystem::remove_all(dir_, ec);
                throw UsageError("import -: standard input is empty (pipe a CSV into hubmap import -)");
            }
        }
        ~StandardInputFile() {
            std::error_code ec;
            std::filesystem::remove_all(dir_, ec);
        }
        StandardInputFile(const StandardInputFile&) = delete;
        StandardInputFile& operator=(const StandardInputFile&) = delete;
        const std::string& path() const { return path_; }

    private:
        std::filesystem::path dir_;
        std::string path_;
    };

    ImportOptions options_;
    std::string replace_;
    DatabaseOption dbOption_;
};

}  // namespace

std::unique_ptr<Command> makeImportCommand() { return std::make_unique<ImportCommand>(); }

}  // namespace hubmap::cli
