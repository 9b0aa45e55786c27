// bench/gen_hubs: synthetic hubs that are reproducible, on land in the municipality they name,
// uniform per km², and written all-or-nothing.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>
#include <vector>

#include "core/geos.hpp"
#include "core/model.hpp"
#include "io/gdal.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;

namespace hubmap::test {
namespace {

// The source: every municipality of the national database (all gen_hubs reads), a ninth of its
// size (no gazetteer or population points but 高知県's), so each run's copy of it is quick.
constexpr const char* kSourceDb = kImportBaseDb;

CommandResult runGenHubs(const std::string& args) {
    return runCommand(fmt::format("'{}' --db '{}' {}", HUBMAP_GEN_HUBS_PATH, kSourceDb, args));
}

using Point = std::tuple<std::string, double, double>;  // id, lon, lat

std::vector<Hub> syntheticHubs(const std::string& db) {
    std::vector<Hub> hubs = readHubs(Database(db, Database::Mode::ReadOnly));
    hubs.erase(std::remove_if(hubs.begin(), hubs.end(), [](const Hub& h) { return h.kind != "synthetic"; }),
               hubs.end());
    return hubs;
}

std::vector<Point> points(const std::vector<Hub>& hubs) {
    std::vector<Point> out;
    for (const Hub& h : hubs) out.emplace_back(h.id, h.lon.value_or(NAN), h.lat.value_or(NAN));
    return out;
}

TEST(GenHubs, SameSeedSameHubsOtherSeedOtherHubs) {
    ScratchDir dir;
    ASSERT_EQ(runGenHubs(fmt::format("--out '{}' --n 500 --seed 7", dir.file("a.sqlite"))).status, 0);
    ASSERT_EQ(runGenHubs(fmt::format("--out '{}' --n 500 --seed 7", dir.file("b.sqlite"))).status, 0);
    ASSERT_EQ(runGenHubs(fmt::format("--out '{}' --n 500 --seed 8", dir.file("c.sqlite"))).status, 0);
    const auto a = points(syntheticHubs(dir.file("a.sqlite")));
    ASSERT_EQ(a.size(), 500u);
    EXPECT_EQ(a, points(syntheticHubs(dir.file("b.sqlite"))));
    const auto c = points(syntheticHubs(dir.file("c.sqlite")));
    ASSERT_EQ(c.size(), 500u);
    int samePlace = 0;
    for (size_t i = 0; i < a.size(); ++i) samePlace += std::get<1>(a[i]) == std::get<1>(c[i]);
    EXPECT_EQ(samePlace, 0);
}

TEST(GenHubs, KeepsTheSourceHubsAndAddsExactPointsInTheirMunicipality) {
    ScratchDir dir;
    const std::string out = dir.file("out.sqlite");
    const auto r = runGenHubs(fmt::format("--out '{}' --n 2000 --seed 3", out));
    ASSERT_EQ(r.status, 0) << r.err;
    const Dataset source = loadDataset(kSourceDb, LoadOptions{false, true, false});
    const Dataset data = loadDataset(out, LoadOptions{false, true, false});
    EXPECT_EQ(data.hubs.size(), source.hubs.size() + 2000);
    const GeosContext& ctx = *data.ctx;
    int checked = 0;
    for (const Hub& h : data.hubs) {
        if (h.kind != "synthetic") continue;
        EXPECT_EQ(h.precision, "exact");
        EXPECT_EQ(h.importSource, "synthetic:seed=3");
        const int m = data.municipalityIndex(h.code);
        ASSERT_GE(m, 0) << h.id << " names no municipality: " << h.code;
        EXPECT_FALSE(data.municipalities[m].northernTerritories) << h.id;
        EXPECT_EQ(h.municipality, data.municipalities[m].name);
        ASSERT_TRUE(h.lon && h.lat);
        // Quantised to 1e-7 degrees, so the CSV's 7 decimals hold the same point.
        EXPECT_EQ(*h.lon, std::round(*h.lon * 1e7) / 1e7);
        GeomPtr point = makePoint(ctx, *h.lon, *h.lat);
        EXPECT_EQ(GEOSContains_r(ctx, data.municipalities[m].geom.get(), point.get()), 1)
            << h.id << " (" << *h.lon << ", " << *h.lat << ") is not inside " << h.code;
        ++checked;
    }
    EXPECT_EQ(checked, 2000);
    // The spatial index was rebuilt over every hub.
    Database db(out, Database::Mode::ReadOnly);
    EXPECT_EQ(db.scalarInt("SELECT CheckSpatialIndex('hubs', 'geom')"), 1);
    EXPECT_EQ(db.scalarInt("SELECT count(*) FROM idx_hubs_geom"),
              db.scalarInt("SELECT count(*) FROM hubs WHERE geom IS NOT NULL"));
}

TEST(GenHubs, UniformPerSquareKilometre) {
    // 20,000 hubs: the count per prefecture follows its share of the land area. A fixed seed makes
    // the statistic deterministic; drawing municipalities with equal probability instead of by
    // area would give an expected chi² of about 11,600.
    ScratchDir dir;
    const std::string out = dir.file("out.sqlite");
    ASSERT_EQ(runGenHubs(fmt::format("--out '{}' --n 20000 --seed 11", out)).status, 0);
    const Dataset data = loadDataset(out, LoadOptions{false, true, false});
    std::map<int, double> areaKm2;
    double land = 0;
    for (const Municipality& m : data.municipalities) {
        if (m.northernTerritories) continue;
        areaKm2[m.prefectureCode] += m.areaKm2;
        land += m.areaKm2;
    }
    std::map<int, int> count;
    int hubs = 0;
    for (const Hub& h : data.hubs) {
        if (h.kind != "synthetic") continue;
        count[data.municipalities[data.municipalityIndex(h.code)].prefectureCode]++;
        ++hubs;
    }
    ASSERT_EQ(hubs, 20000);
    double chi2 = 0;
    for (const auto& [pref, km2] : areaKm2) {
        const double expected = hubs * km2 / land;
        chi2 += std::pow(count[pref] - expected, 2) / expected;
    }
    EXPECT_EQ(areaKm2.size(), 47u);
    EXPECT_LT(chi2, 85.0) << "46 degrees of freedom: P(chi² > 85) < 0.05%";
}

TEST(GenHubs, CsvHoldsTheSamePointsReadByGdal) {
    ScratchDir dir;
    const auto r =
        runGenHubs(fmt::format("--out '{}' --csv '{}' --n 300 --seed 5", dir.file("out.sqlite"), dir.file("hubs.csv")));
    ASSERT_EQ(r.status, 0) << r.err;
    std::map<std::string, std::pair<double, double>> fromDb;
    for (const Hub& h : syntheticHubs(dir.file("out.sqlite"))) fromDb[h.id] = {*h.lon, *h.lat};
    GdalDatasetPtr csv = openVector(dir.file("hubs.csv"), {}, {"CSV"});
    OGRLayer* layer = csv->GetLayer(0);
    size_t rows = 0;
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        ++rows;
        const std::string id = fieldText(*f, "id");
        ASSERT_EQ(fromDb.count(id), 1u) << id;
        EXPECT_EQ(fieldText(*f, "kind"), "synthetic");
        EXPECT_EQ(f->GetFieldAsDouble("lon"), fromDb[id].first) << id;
        EXPECT_EQ(f->GetFieldAsDouble("lat"), fromDb[id].second) << id;
    }
    EXPECT_EQ(rows, 300u);
}

TEST(GenHubs, FailedWriteLeavesTheTargetsAsTheyWere) {
    ScratchDir dir;
    const std::string out = dir.file("out.sqlite");
    { std::ofstream(out) << "previous contents"; }
    const auto r = runGenHubs(fmt::format("--out '{}' --csv '{}' --n 50", out, dir.file("missing/dir/hubs.csv")));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("missing/dir"), std::string::npos) << r.err;
    EXPECT_EQ(readFile(out), "previous contents");
    size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
    EXPECT_EQ(files, 1u) << "a temp file was left behind";
}

TEST(GenHubs, BadArgumentsAreUsageErrors) {
    ScratchDir dir;
    EXPECT_EQ(runGenHubs("--n 10").status, 2);  // nothing to write
    EXPECT_EQ(runGenHubs(fmt::format("--out '{}' --n 0", dir.file("x.sqlite"))).status, 2);
    EXPECT_EQ(runGenHubs(fmt::format("--out '{}'", kSourceDb)).status, 2);  // would overwrite the source
    const auto missing = runCommand(
        fmt::format("'{}' --db '{}' --out '{}'", HUBMAP_GEN_HUBS_PATH, dir.file("none.sqlite"), dir.file("x.sqlite")));
    EXPECT_EQ(missing.status, 1);
    EXPECT_NE(missing.err.find("none.sqlite"), std::string::npos) << missing.err;
    EXPECT_FALSE(fs::exists(dir.file("x.sqlite")));
}

}  // namespace
}  // namespace hubmap::test
