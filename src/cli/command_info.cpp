// hubmap info: what a database holds and where it came from.

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "io/import_sources.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"

namespace hubmap::cli {

namespace {

class InfoCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        CLI::App* sub = app.add_subcommand("info", "show what the database holds: tables, sources, credits");
        dbOption_.add(sub);
        return sub;
    }

    int run() override {
        StderrProgress progress(dbOption_.quiet);
        const std::string path = resolveDatabase(dbOption_.db, progress);
        Database db(path, Database::Mode::ReadOnly);
        fmt::print("database {}\n", path);
        {
            Statement st = db.prepare("SELECT key, value FROM metadata ORDER BY key");
            while (st.step()) fmt::print("  {:<20} {}\n", st.text(0), st.text(1));
        }
        fmt::print("tables\n");
        int spatialite = 0;
        for (const std::string& t : tables(db, spatialite)) {
            fmt::print("  {:<22} {:>7} rows\n", t, db.scalarInt(fmt::format("SELECT COUNT(*) FROM \"{}\"", t)));
        }
        fmt::print("  (and {} tables of SpatiaLite's own: spatial indexes, reference systems, metadata)\n", spatialite);
        fmt::print("designations\n");
        {
            Statement st =
                db.prepare("SELECT type_ja, COUNT(*) FROM designations GROUP BY type ORDER BY COUNT(*) DESC");
            while (st.step()) fmt::print("  {} {}\n", st.text(0), st.int64(1));
        }
        fmt::print("sources\n");
        {
            Statement st = db.prepare("SELECT name, vintage, rows, credit FROM sources");
            while (st.step())
                fmt::print("  {} ({}), {} rows\n    {}\n", st.text(0), st.text(1), st.int64(2), st.text(3));
        }
        fmt::print("hub import sources\n");
        for (const ImportSourceInfo& s : readImportSources(db)) {
            fmt::print("  {}: {} rows, {}{}\n", s.name, s.rows, s.file.empty() ? "file not recorded" : s.file,
                       s.importedAt.empty() ? "" : ", imported " + s.importedAt);
        }
        return 0;
    }

private:
    /// hubmap's tables, by name; `spatialite` counts the ones SpatiaLite keeps for itself.
    static std::vector<std::string> tables(const Database& db, int& spatialite) {
        static const char* const kOwn[] = {"sqlite_",
                                           "idx_",
                                           "geometry_columns",
                                           "views_geometry_",
                                           "virts_geometry_",
                                           "spatial_ref_sys",
                                           "vector_layers",
                                           "spatialite_history",
                                           "sql_statements_log",
                                           "geom_cols_ref_sys",
                                           "ElementaryGeometries",
                                           "KNN",
                                           "SpatialIndex",
                                           "data_licenses"};
        std::vector<std::string> out;
        Statement st = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        while (st.step()) {
            const std::string name = st.text(0);
            bool theirs = false;
            for (const char* prefix : kOwn) theirs = theirs || name.rfind(prefix, 0) == 0;
            if (theirs) {
                ++spatialite;
            } else {
                out.push_back(name);
            }
        }
        return out;
    }

    DatabaseOption dbOption_;
};

}  // namespace

std::unique_ptr<Command> makeInfoCommand() { return std::make_unique<InfoCommand>(); }

}  // namespace hubmap::cli
