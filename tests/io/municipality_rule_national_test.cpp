// The one "which municipality holds this point" rule on the real national database:
// a vertex two neighbouring municipalities share, an interior point and a point at sea
// get the same answer from the index, coverage and the geocoder; import gives a hub on
// that vertex a code (it used to give none, though coverage placed it).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "core/municipality_index.hpp"
#include "io/geocode.hpp"
#include "io/import.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"
#include "test_util.hpp"

using namespace hubmap;
using hubmap::test::kNationalDb;

namespace {

struct Probe {
    std::string name;
    double lon, lat;
    std::string stated;
};

/// A vertex of `code`'s outline that lies on a neighbour's boundary too (N03 neighbours
/// share their boundary vertices), found by the index itself.
std::optional<std::pair<double, double>> sharedVertex(const Dataset& data, MunicipalityIndex& index,
                                                      const std::string& code) {
    const GeosContext ctx;
    const Municipality& m = data.municipalities[static_cast<size_t>(data.municipalityIndex(code))];
    const GEOSGeometry* polygon = GEOSGetGeometryN_r(ctx, m.geom.get(), 0);
    const GEOSCoordSequence* ring = GEOSGeom_getCoordSeq_r(ctx, GEOSGetExteriorRing_r(ctx, polygon));
    unsigned int n = 0;
    GEOSCoordSeq_getSize_r(ctx, ring, &n);
    for (unsigned int i = 0; i < n; ++i) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(ctx, ring, i, &x, &y);
        const MunicipalityHit hit = index.locate(x, y);
        if (hit.ambiguous && hit.onBoundary) return std::make_pair(x, y);
    }
    return std::nullopt;
}

}  // namespace

TEST(MunicipalityRuleNational, IndexCoverageAndGeocoderAgree) {
    Dataset data = loadDataset(kNationalDb, LoadOptions{false, true, false});
    const MunicipalityShapes shapes = MunicipalityShapes::of(data);
    const GeosContext ctx;
    MunicipalityIndex index(ctx, shapes);

    // 本山町 (39341): an inland town, all its neighbours in 高知県.
    const auto vertex = sharedVertex(data, index, "39341");
    ASSERT_TRUE(vertex) << "no vertex of 39341 on a neighbour's boundary";
    const auto [vx, vy] = *vertex;
    const MunicipalityHit plain = index.locate(vx, vy);
    ASSERT_TRUE(plain.found());
    const std::string lowest = data.municipalities[static_cast<size_t>(plain.municipality)].code;
    EXPECT_LE(lowest, "39341");
    EXPECT_EQ(data.municipalities[static_cast<size_t>(index.locate(vx, vy, "39341").municipality)].code, "39341");

    const Municipality& motoyama = data.municipalities[static_cast<size_t>(data.municipalityIndex("39341"))];
    const GeomPtr inside = takeGeom(ctx, GEOSPointOnSurface_r(ctx, motoyama.geom.get()), "point on surface");
    double ix = 0, iy = 0;
    GEOSGeomGetX_r(ctx, inside.get(), &ix);
    GEOSGeomGetY_r(ctx, inside.get(), &iy);

    std::vector<Probe> probes = {
        {"shared vertex, no code", vx, vy, ""},
        {"shared vertex, 39341 stated", vx, vy, "39341"},
        {"inside 本山町", ix, iy, ""},
        {"at sea off 室戸", 134.5, 33.0, "39341"},
    };
    const size_t firstProbe = data.hubs.size();
    for (const Probe& p : probes) {
        Hub h;
        h.id = "probe:" + p.name;
        h.kind = "probe";
        h.name = p.name;
        h.code = p.stated;
        h.lon = p.lon;
        h.lat = p.lat;
        h.precision = "exact";
        data.hubs.push_back(std::move(h));
    }
    CoverageOptions o;
    o.kinds = {"probe"};
    Progress progress;
    const CoverageResult coverage = computeCoverage(data, o, progress);
    ASSERT_EQ(coverage.hubsUsed.size(), probes.size());

    Database db(kNationalDb, Database::Mode::ReadOnly);
    Geocoder geocoder(db);
    const std::vector<std::string> expected = {lowest, "39341", "39341", ""};
    for (size_t i = 0; i < probes.size(); ++i) {
        const Probe& p = probes[i];
        const MunicipalityHit hit = index.locate(p.lon, p.lat, p.stated);
        const std::string indexCode =
            hit.found() ? data.municipalities[static_cast<size_t>(hit.municipality)].code : "";
        EXPECT_EQ(indexCode, expected[i]) << p.name;
        ASSERT_EQ(coverage.hubsUsed[i], static_cast<int>(firstProbe + i));
        const int located = coverage.locatedIn[i];
        EXPECT_EQ(located >= 0 ? data.municipalities[static_cast<size_t>(located)].code : "", expected[i]) << p.name;
        const PointLocation loc = geocoder.locate(p.lon, p.lat, p.stated);
        EXPECT_EQ(loc.code, expected[i]) << p.name;
        EXPECT_EQ(loc.ambiguous, hit.ambiguous) << p.name;
    }
}

TEST(MunicipalityRuleNational, ImportGivesAHubOnASharedBoundaryItsCode) {
    const Dataset data = loadDataset(kNationalDb, LoadOptions{false, false, false});
    const MunicipalityShapes shapes = MunicipalityShapes::of(data);
    const GeosContext ctx;
    MunicipalityIndex index(ctx, shapes);
    const auto vertex = sharedVertex(data, index, "39341");
    ASSERT_TRUE(vertex);
    const MunicipalityHit plain = index.locate(vertex->first, vertex->second);
    ASSERT_TRUE(plain.ambiguous);
    const std::string lowest = data.municipalities[static_cast<size_t>(plain.municipality)].code;

    test::ScratchDir dir;
    const std::string csv = dir.file("boundary.csv");
    {
        std::ofstream out(csv);
        // Shortest round-trip decimals: the CSV holds the vertex exactly.
        out << "id,name,lon,lat,municipality_code\n";
        out << fmt::format("a,no code,{},{},\n", vertex->first, vertex->second);
        out << fmt::format("b,stated,{},{},39341\n", vertex->first, vertex->second);
    }
    Database db(kNationalDb, Database::Mode::ReadOnly);
    Geocoder geocoder(db);
    ImportOptions o;
    o.file = csv;
    o.kind = "boundary_test";
    Progress progress;
    const HubBatch batch = readHubSource(db, geocoder, o, progress);
    ASSERT_EQ(batch.hubs.size(), 2u) << (batch.rejected.empty() ? "" : batch.rejected.front().reason);
    EXPECT_EQ(batch.hubs[0].code, lowest);
    EXPECT_EQ(batch.hubs[1].code, "39341");
    EXPECT_EQ(batch.hubs[1].precision, "exact");
}
