// hubmap info: what a database holds and where it came from.

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commands.hpp"
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
        for (const char* t :
             {"admin_units", "municipalities", "prefectures", "designations", "settlements", "population", "hubs"}) {
            if (!db.tableExists(t)) continue;  // population: since schema 3
            fmt::print("  {:<16} {:>7} rows\n", t, db.scalarInt(fmt::format("SELECT COUNT(*) FROM {}", t)));
        }
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
        return 0;
    }

private:
    DatabaseOption dbOption_;
};

}  // namespace

std::unique_ptr<Command> makeInfoCommand() { return std::make_unique<InfoCommand>(); }

}  // namespace hubmap::cli
