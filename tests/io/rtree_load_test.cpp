// io/rtree_load: a spatial index filled in one packed pass holds what SpatiaLite's own
// CreateSpatialIndex puts there, passes SQLite's and SpatiaLite's checks, answers window
// queries alike, and stays consistent when rows are added and removed through the triggers.

#include "io/rtree_load.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/spatialite.hpp"
#include "test_util.hpp"

namespace hubmap {
namespace {

/// Two tables of the same rows: `own` indexed by CreateSpatialIndex over its rows, `loaded`
/// indexed while empty, its insert trigger set aside for the rows, then filled by loadSpatialIndex.
class RtreeLoad : public ::testing::Test {
protected:
    void SetUp() override {
        db_.exec("PRAGMA synchronous=OFF");  // a scratch file: no waiting on the disk
        db_.exec("SELECT InitSpatialMetadata(1, 'WGS84_ONLY')");
        for (const char* t : {"own", "loaded"}) {
            db_.exec(fmt::format("CREATE TABLE {}(id INTEGER PRIMARY KEY, geom BLOB)", t));
        }
    }

    /// Inserts `rows` into both tables and indexes them both ways.
    void fill(const std::vector<std::string>& rows) {
        Transaction tx(db_);
        db_.exec("SELECT RecoverGeometryColumn('loaded', 'geom', 4326, 'GEOMETRY', 'XY')");
        db_.exec("SELECT CreateSpatialIndex('loaded', 'geom')");
        const std::string trigger =
            db_.scalarText("SELECT sql FROM sqlite_master WHERE name = 'gii_loaded_geom' AND type = 'trigger'");
        ASSERT_FALSE(trigger.empty());
        db_.exec("DROP TRIGGER gii_loaded_geom");
        for (const char* t : {"own", "loaded"}) {
            Statement ins = db_.prepare(fmt::format("INSERT INTO {}(geom) VALUES (GeomFromText(?, 4326))", t));
            for (const std::string& wkt : rows) {
                if (wkt.empty()) {
                    ins.bindNull(1);
                } else {
                    ins.bind(1, wkt);
                }
                ins.run();
            }
        }
        loadSpatialIndex(db_, "loaded", "geom");
        db_.exec(trigger);
        db_.exec("SELECT RecoverGeometryColumn('own', 'geom', 4326, 'GEOMETRY', 'XY')");
        db_.exec("SELECT CreateSpatialIndex('own', 'geom')");
        tx.commit();
    }

    /// The index's rows in pkid order, as text with every float's bits.
    std::string entries(const char* table) {
        std::string out;
        Statement st =
            db_.prepare(fmt::format("SELECT pkid, xmin, xmax, ymin, ymax FROM idx_{}_geom ORDER BY pkid", table));
        while (st.step()) {
            out += fmt::format("{} {:a} {:a} {:a} {:a}\n", st.int64(0), st.real(1), st.real(2), st.real(3), st.real(4));
        }
        return out;
    }

    std::vector<long long> window(const char* table, double x0, double y0, double x1, double y1) {
        std::vector<long long> ids;
        Statement st = db_.prepare(fmt::format(
            "SELECT pkid FROM idx_{}_geom WHERE xmax >= ? AND xmin <= ? AND ymax >= ? AND ymin <= ? ORDER BY pkid",
            table));
        st.bind(1, x0).bind(2, x1).bind(3, y0).bind(4, y1);
        while (st.step()) ids.push_back(st.int64(0));
        return ids;
    }

    void expectConsistent(const char* table) {
        EXPECT_EQ(db_.scalarText(fmt::format("SELECT rtreecheck('idx_{}_geom')", table)), "ok") << table;
        EXPECT_EQ(db_.scalarInt(fmt::format("SELECT CheckSpatialIndex('{}', 'geom')", table)), 1) << table;
    }

    test::ScratchDir scratch_;
    Database db_{scratch_.file("rtree.sqlite"), Database::Mode::Create};
};

/// Points over both hemispheres (the rounding of a float32 box differs by sign), none exactly
/// a float32, some on top of each other; boxes; and rows without a geometry.
std::vector<std::string> sampleRows(int n) {
    std::vector<std::string> rows;
    unsigned state = 2024;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return ((state >> 8) & 0xFFFFFF) / 16777216.0;
    };
    for (int i = 0; i < n; ++i) {
        const double x = -180 + 360 * next() + 1e-9, y = -85 + 170 * next() + 1e-9;
        if (i % 97 == 0) {
            rows.emplace_back();
        } else if (i % 13 == 0) {
            rows.push_back(
                fmt::format("POLYGON(({0:.12f} {1:.12f}, {2:.12f} {1:.12f}, {2:.12f} {3:.12f}, {0:.12f} {1:.12f}))", x,
                            y, x + next(), y + next()));
        } else if (i % 31 == 0) {
            rows.push_back(rows[static_cast<size_t>(i - 1)].empty() ? "POINT(1 1)" : rows[static_cast<size_t>(i - 1)]);
        } else {
            rows.push_back(fmt::format("POINT({:.12f} {:.12f})", x, y));
        }
    }
    return rows;
}

TEST_F(RtreeLoad, HoldsWhatCreateSpatialIndexPutsThereAndPassesTheChecks) {
    fill(sampleRows(6000));  // a tree three levels deep (51 cells a node)
    const std::string own = entries("own");
    EXPECT_EQ(entries("loaded"), own);
    EXPECT_EQ(db_.scalarInt("SELECT count(*) FROM idx_loaded_geom"), 6000 - 62);  // the NULL rows are left out
    EXPECT_EQ(db_.scalarText("SELECT hex(substr(data, 1, 2)) FROM idx_loaded_geom_node WHERE nodeno = 1"), "0002");
    expectConsistent("loaded");
    for (const auto& [x0, y0, x1, y1] : std::vector<std::array<double, 4>>{
             {0, 0, 10, 10}, {-180, -90, 180, 90}, {-3, -50, 40, -10}, {100, 20, 100.5, 20.5}, {200, 0, 210, 1}}) {
        EXPECT_EQ(window("loaded", x0, y0, x1, y1), window("own", x0, y0, x1, y1)) << x0 << " " << y0;
    }
}

TEST_F(RtreeLoad, StaysConsistentThroughLaterInsertsAndDeletes) {
    fill(sampleRows(3000));
    for (const char* t : {"own", "loaded"}) {
        Transaction tx(db_);
        // Most rows of the west go (whole nodes underflow and are merged), new ones come.
        db_.exec(fmt::format("DELETE FROM {} WHERE MbrMinX(geom) < 20", t));
        Statement ins = db_.prepare(fmt::format("INSERT INTO {}(geom) VALUES (MakePoint(?, ?, 4326))", t));
        for (int i = 0; i < 500; ++i) {
            ins.bind(1, -170.0 + i * 0.3).bind(2, -60.0 + i * 0.2);
            ins.run();
        }
        tx.commit();
    }
    EXPECT_EQ(entries("loaded"), entries("own"));
    expectConsistent("loaded");
    EXPECT_EQ(window("loaded", -100, -40, -50, 0), window("own", -100, -40, -50, 0));
}

TEST_F(RtreeLoad, AFewRowsMakeARootLeafAndNoRowsNoNodes) {
    fill({"POINT(1 2)", "", "POINT(-3.3 4.4)"});
    EXPECT_EQ(entries("loaded"), entries("own"));
    EXPECT_EQ(db_.scalarInt("SELECT count(*) FROM idx_loaded_geom_node"), 1);
    expectConsistent("loaded");
    db_.exec("CREATE TABLE empty(id INTEGER PRIMARY KEY, geom BLOB)");
    db_.exec("SELECT RecoverGeometryColumn('empty', 'geom', 4326, 'GEOMETRY', 'XY')");
    db_.exec("SELECT CreateSpatialIndex('empty', 'geom')");
    loadSpatialIndex(db_, "empty", "geom");
    expectConsistent("empty");
}

TEST_F(RtreeLoad, RefusesAMissingOrFilledIndex) {
    fill({"POINT(1 2)"});
    try {
        loadSpatialIndex(db_, "loaded", "geom");
        FAIL() << "filled a spatial index twice";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("not empty"), std::string::npos) << e.what();
    }
    EXPECT_THROW(loadSpatialIndex(db_, "own", "nogeom"), Error);
    EXPECT_EQ(entries("loaded"), entries("own"));
}

}  // namespace
}  // namespace hubmap
