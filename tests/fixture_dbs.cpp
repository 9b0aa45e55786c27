// Builds the databases that CTest fixtures prepare once per test run (tests/CMakeLists.txt),
// so that test processes copy or read a ready file instead of each building its own:
//   hubmap_test_fixtures import-base OUT   the national database with only 高知県's gazetteer
//                                          and population points: a small base that import
//                                          tests copy
//   hubmap_test_fixtures fixture-hubs OUT  the national database whose hubs are exactly those
//                                          of tests/data/coverage/hubs_fixture.csv
// OUT is written beside itself and renamed into place when complete; an old OUT is removed
// first, so a failed run never leaves a stale database for the tests.

#include <cstdio>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "analysis/fixture_hubs_db.hpp"
#include "io/spatialite.hpp"
#include "test_config.hpp"

namespace fs = std::filesystem;
using namespace hubmap;

namespace {

void importBase(const std::string& path) {
    fs::copy_file(test::kNationalDb, path, fs::copy_options::overwrite_existing);
    Database db(path, Database::Mode::ReadWrite);
    // A scratch file rebuilt at every run: no journal and no syncs while it is made (most of
    // this setup's time was waiting on the disk), WAL again at the end like every database.
    db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000");
    auto expectOne = [&](const char* sql) {
        if (db.scalarInt(sql) != 1) throw std::runtime_error(std::string("failed: ") + sql);
    };
    {
        Transaction tx(db);
        // The import tests geocode only 高知県 addresses to their settlements; other
        // prefectures' addresses in them resolve at municipality level, which needs no points.
        // The spatial index is built again from the rows kept: 4x faster than deleting 260k
        // entries from the R*Tree one by one.
        expectOne("SELECT DisableSpatialIndex('settlements', 'geom')");
        db.exec("DROP TABLE idx_settlements_geom");
        // Nor do they read the population points (coverage does), 80% of the file: only 高知県's
        // are kept, so each test's copy and checksums of it take a quarter of the time.
        // SpatiaLite's per-row timestamp triggers would run 500,000 times: set aside, run once.
        for (const std::string table : {"settlements", "population"}) {
            const std::string timestamp = db.scalarText(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'tmd_" + table + "_geom'");
            if (!timestamp.empty()) db.exec("DROP TRIGGER tmd_" + table + "_geom");
            db.exec("DELETE FROM " + table + " WHERE code NOT LIKE '39%'");
            if (!timestamp.empty()) {
                db.exec(timestamp);
                db.exec(
                    "UPDATE geometry_columns_time SET last_delete = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                    " WHERE Lower(f_table_name) = '" +
                    table + "' AND Lower(f_geometry_column) = 'geom'");
            }
        }
        expectOne("SELECT CreateSpatialIndex('settlements', 'geom')");
        tx.commit();
    }
    db.exec("VACUUM");
    db.exec("PRAGMA journal_mode=WAL");
    expectOne("SELECT CheckSpatialIndex('settlements', 'geom')");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s import-base|fixture-hubs OUT\n", argv[0]);
        return 2;
    }
    const std::string what = argv[1], out = argv[2];
    const std::string building = out + ".building";
    try {
        fs::remove(out);
        fs::remove(building);
        fs::create_directories(fs::path(out).parent_path());
        if (what == "import-base") {
            importBase(building);
        } else if (what == "fixture-hubs") {
            test::makeFixtureHubsDb(building);
        } else {
            std::fprintf(stderr, "unknown fixture '%s'\n", what.c_str());
            return 2;
        }
        fs::rename(building, out);
    } catch (const std::exception& e) {
        std::error_code ec;
        fs::remove(building, ec);
        std::fprintf(stderr, "%s: %s\n", out.c_str(), e.what());
        return 1;
    }
    return 0;
}
