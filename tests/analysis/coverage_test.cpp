// The coverage query on hand-made datasets whose answers are known: presence by point in
// polygon, catchment areas against analytic geodesic values, settlements at ±1 m of the
// radius, filters and option errors, roll-ups, JSON.

#include "analysis/coverage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis/catchment.hpp"
#include "analysis/gaps.hpp"
#include "core/error.hpp"
#include "core/proj.hpp"
#include "coverage_fixture.hpp"
#include "report/coverage_json.hpp"

using namespace hubmap;
using hubmap::test::boxWkt;
using hubmap::test::DatasetBuilder;
using hubmap::test::geodesicDiskAreaKm2;

namespace {

// M1 and M2 share the meridian 141°E; M4 (not designated) lies west of M1; M3 is far
// south-west; M5 and M6 overlap in a 0.01° sliver (like neighbouring prefectures'
// simplified boundaries).
constexpr double kBorderLon = 141.0;

/// The point `km` east of the border at latitude `lat` (the geodesic leaves the meridian
/// at right angles, so its distance to the border is `km`).
std::pair<double, double> eastOfBorder(double lat, double km) {
    Geodesic g;
    double lon = 0, outLat = 0;
    g.direct(kBorderLon, lat, 90.0, km, lon, outLat);
    return {lon, outLat};
}

DatasetBuilder baseDataset() {
    DatasetBuilder b;
    b.prefecture(2, "青森県").prefecture(47, "沖縄県");
    b.municipality("90001", 2, "青森県", "東村", boxWkt(140.0, 40.0, 141.0, 40.8), DesignationType::Full)
        .municipality("90002", 2, "青森県", "西町", boxWkt(141.0, 40.0, 142.0, 40.8), DesignationType::Partial,
                      {"旧甲村", "旧乙村"})
        .municipality("90003", 47, "沖縄県", "南島村", boxWkt(125.0, 25.0, 125.2, 25.2), DesignationType::Deemed, {},
                      true)
        .municipality("90004", 2, "青森県", "北市", boxWkt(139.0, 40.0, 140.0, 40.8))
        .municipality("90005", 47, "沖縄県", "左村", boxWkt(126.0, 26.0, 126.2, 26.2), DesignationType::Full)
        .municipality("90006", 47, "沖縄県", "右村", boxWkt(126.19, 26.0, 126.4, 26.2), DesignationType::Full);
    return b;
}

/// baseDataset with every kind of hub placement.
DatasetBuilder presenceBuilder() {
    DatasetBuilder b = baseDataset();
    const auto [xLon, xLat] = eastOfBorder(40.6, 2.0);
    b.hub("centre", "small_hub", 140.5, 40.4, "90001", "2015-04")
        .hub("border", "rmo", kBorderLon, 40.4)
        .hub("over", "activity_centre", xLon, xLat, "90001", "2021-03")
        .hub("sea", "small_hub", 150.0, 40.0, "90001")
        .hub("prefonly", "model_project", std::nullopt, std::nullopt, "", "2019-01", "青森県")
        .hub("sliver", "rmo", 126.195, 26.1, "90006")
        .hub("sliver2", "rmo", 126.195, 26.15)
        .hub("plain", "small_hub", 139.5, 40.4, "90004")
        .hub("border2", "model_project", kBorderLon, 40.2, "90002");
    return b;
}

/// Every kind of hub placement in one dataset.
Dataset presenceDataset() { return presenceBuilder().build(); }

const MunicipalityCoverage& row(const CoverageResult& r, const std::string& code) {
    for (const auto& m : r.municipalities) {
        if (m.code == code) return m;
    }
    throw std::runtime_error("no row " + code);
}

std::vector<std::string> ids(const Dataset& data, const std::vector<int>& hubs) {
    std::vector<std::string> out;
    for (int i : hubs) out.push_back(data.hubs[static_cast<size_t>(i)].id);
    return out;
}

CoverageResult run(const Dataset& data, const CoverageOptions& o) {
    Progress progress;
    return computeCoverage(data, o, progress);
}

CoverageOptions radius(double km, std::vector<std::string> kinds = {}) {
    CoverageOptions o;
    o.radiusKm = km;
    o.kinds = std::move(kinds);
    return o;
}

}  // namespace

TEST(CoveragePresence, IsPointInPolygonNotTheCodeColumn) {
    const Dataset data = presenceDataset();
    const CoverageResult r = run(data, CoverageOptions{});
    ASSERT_EQ(r.municipalities.size(), 5u);  // 90004 is not designated
    // "border" lies exactly on the shared meridian: it goes to the lower code; "border2"
    // too, but its code column names the other side.
    EXPECT_EQ(ids(data, row(r, "90001").hubIndices), (std::vector<std::string>{"centre", "border"}));
    EXPECT_EQ(ids(data, row(r, "90002").hubIndices), (std::vector<std::string>{"over", "border2"}));
    EXPECT_EQ(row(r, "90003").hubs, 0);
    EXPECT_FALSE(row(r, "90003").covered);
    // In the sliver both polygons contain the point: the stated code wins, else the lower code.
    EXPECT_EQ(ids(data, row(r, "90006").hubIndices), (std::vector<std::string>{"sliver"}));
    EXPECT_EQ(ids(data, row(r, "90005").hubIndices), (std::vector<std::string>{"sliver2"}));
    EXPECT_EQ(ids(data, r.ambiguousHubs), (std::vector<std::string>{"border", "sliver", "sliver2", "border2"}));

    EXPECT_EQ(ids(data, r.unlocatedHubs), (std::vector<std::string>{"prefonly"}));
    EXPECT_EQ(ids(data, r.hubsOutsideMunicipalities), (std::vector<std::string>{"sea"}));
    ASSERT_EQ(r.codeMismatches.size(), 2u);
    EXPECT_EQ(data.hubs[static_cast<size_t>(r.codeMismatches[0].hubIndex)].id, "over");
    EXPECT_EQ(r.codeMismatches[0].statedCode, "90001");
    EXPECT_EQ(r.codeMismatches[0].locatedCode, "90002");
    EXPECT_EQ(data.hubs[static_cast<size_t>(r.codeMismatches[1].hubIndex)].id, "sea");
    EXPECT_EQ(r.codeMismatches[1].locatedCode, "");

    // locatedIn follows hubsUsed.
    ASSERT_EQ(r.locatedIn.size(), r.hubsUsed.size());
    for (size_t i = 0; i < r.hubsUsed.size(); ++i) {
        const std::string& id = data.hubs[static_cast<size_t>(r.hubsUsed[i])].id;
        if (id == "plain") {
            EXPECT_EQ(data.municipalities[static_cast<size_t>(r.locatedIn[i])].code, "90004");
        }
        if (id == "sea" || id == "prefonly") {
            EXPECT_EQ(r.locatedIn[i], -1);
        }
    }
    // No radius: no areas.
    EXPECT_FALSE(row(r, "90001").coveredKm2);
    EXPECT_FALSE(r.nation.coveredKm2);
}

TEST(CoveragePresence, RollsUpByPrefectureAndNation) {
    const Dataset data = presenceDataset();
    const CoverageResult r = run(data, CoverageOptions{});
    ASSERT_EQ(r.prefectures.size(), 2u);
    const CoverageTotals& aomori = r.prefectures[0].totals;
    EXPECT_EQ(r.prefectures[0].name, "青森県");
    EXPECT_EQ(aomori.designated, 2);
    EXPECT_EQ(aomori.covered, 2);
    EXPECT_EQ(aomori.hubs, 4);
    EXPECT_EQ(aomori.prefectureOnlyHubs, 1);
    EXPECT_NEAR(aomori.designatedKm2, row(r, "90001").areaKm2 + row(r, "90002").areaKm2, 1e-9);
    const CoverageTotals& okinawa = r.prefectures[1].totals;
    EXPECT_EQ(okinawa.designated, 3);
    EXPECT_EQ(okinawa.covered, 2);
    EXPECT_EQ(okinawa.uncoveredCodes, (std::vector<std::string>{"90003"}));
    EXPECT_EQ(r.nation.designated, 5);
    EXPECT_EQ(r.nation.covered, 4);
    EXPECT_EQ(r.nation.hubs, 6);
    EXPECT_EQ(r.nation.prefectureOnlyHubs, 1);
    EXPECT_DOUBLE_EQ(coverageShare(r.nation), 0.8);
    EXPECT_TRUE(lacksCoverage(r.nation, std::nullopt));
    EXPECT_FALSE(lacksCoverage(r.nation, 0.8));
    EXPECT_TRUE(lacksCoverage(r.nation, 0.81));
}

TEST(CoveragePresence, FiltersByDesignationPrefectureAndKind) {
    const Dataset data = presenceDataset();
    CoverageOptions o;
    o.designations = {DesignationType::Partial, DesignationType::Deemed};
    CoverageResult r = run(data, o);
    ASSERT_EQ(r.municipalities.size(), 2u);
    EXPECT_EQ(r.municipalities[0].code, "90002");
    EXPECT_EQ(r.municipalities[1].code, "90003");

    o = CoverageOptions{};
    o.prefectures = {"沖縄", "47"};  // short name and code: the same prefecture
    r = run(data, o);
    EXPECT_EQ(r.options.prefectures, (std::vector<std::string>{"沖縄県"}));
    ASSERT_EQ(r.municipalities.size(), 3u);
    EXPECT_EQ(r.prefectures.size(), 1u);

    o = CoverageOptions{};
    o.kinds = {"rmo"};
    r = run(data, o);
    EXPECT_EQ(ids(data, r.hubsUsed), (std::vector<std::string>{"border", "sliver", "sliver2"}));
    EXPECT_EQ(row(r, "90001").hubs, 1);
    EXPECT_EQ(row(r, "90002").hubs, 0);
}

TEST(CoveragePresence, OpenedBeforeKeepsUndatedHubsAndListsThem) {
    const Dataset data = presenceDataset();
    CoverageOptions o;
    o.openedBefore = "2021-03";  // strictly before: "over" (2021-03) is out
    CoverageResult r = run(data, o);
    EXPECT_EQ(ids(data, row(r, "90002").hubIndices), (std::vector<std::string>{"border2"}));
    EXPECT_EQ(ids(data, r.undatedHubs),
              (std::vector<std::string>{"border", "sea", "sliver", "sliver2", "plain", "border2"}));
    o.openedBefore = "2021-04";
    r = run(data, o);
    EXPECT_EQ(ids(data, row(r, "90002").hubIndices), (std::vector<std::string>{"over", "border2"}));
    o.openedBefore = "2015-04";  // "centre" opened 2015-04: out
    r = run(data, o);
    EXPECT_EQ(ids(data, row(r, "90001").hubIndices), (std::vector<std::string>{"border"}));
    // Without the option nothing is reported undated.
    EXPECT_TRUE(run(data, CoverageOptions{}).undatedHubs.empty());
}

TEST(CoverageOptionsCheck, BadOptionsAreUsageErrorsNamingTheValidValues) {
    const Dataset data = presenceDataset();
    auto message = [&](const CoverageOptions& o) -> std::string {
        try {
            run(data, o);
        } catch (const UsageError& e) {
            return e.what();
        }
        return "no UsageError";
    };
    CoverageOptions o;
    o.kinds = {"shop"};
    EXPECT_EQ(
        message(o),
        "--kinds: unknown hub kind 'shop'; kinds in the database: activity_centre, model_project, rmo, small_hub");
    o = CoverageOptions{};
    o.prefectures = {"江戸"};
    EXPECT_NE(message(o).find("unknown prefecture '江戸'"), std::string::npos);
    EXPECT_NE(message(o).find("青森県, 沖縄県"), std::string::npos);
    for (double km : {-1.0, 0.0, 1000.0, std::nan("")}) {
        o = CoverageOptions{};
        o.radiusKm = km;
        EXPECT_NE(message(o).find("--radius-km"), std::string::npos) << km;
    }
    o = CoverageOptions{};
    o.radiusKmByKind = {{"shop", 5.0}};
    EXPECT_NE(message(o).find("unknown hub kind 'shop'"), std::string::npos);
    o.radiusKmByKind = {{"rmo", -5.0}};
    EXPECT_NE(message(o).find("positive"), std::string::npos);
    for (const char* month : {"2021-13", "2021-3", "2021/03", "March"}) {
        o = CoverageOptions{};
        o.openedBefore = month;
        EXPECT_NE(message(o).find("YYYY-MM"), std::string::npos) << month;
    }
    o = CoverageOptions{};
    o.designations.clear();
    EXPECT_NE(message(o).find("designation"), std::string::npos);
    o = CoverageOptions{};
    o.threads = -1;
    EXPECT_NE(message(o).find("threads"), std::string::npos);
}

TEST(CoverageOptionsCheck, AnEmptyDatasetIsAnErrorNotAUsageError) {
    Dataset empty;
    Progress progress;
    EXPECT_THROW(computeCoverage(empty, CoverageOptions{}, progress), Error);
    // Municipalities but no designations: still nothing to ask about.
    DatasetBuilder b;
    b.prefecture(2, "青森県").municipality("90004", 2, "青森県", "北市", boxWkt(139.0, 40.0, 140.0, 40.8));
    const Dataset undesignated = b.build();
    EXPECT_THROW(computeCoverage(undesignated, CoverageOptions{}, progress), Error);
    // A kind asked of a database without hubs says so.
    b = baseDataset();
    const Dataset noHubs = b.build();
    CoverageOptions o;
    o.kinds = {"rmo"};
    try {
        computeCoverage(noHubs, o, progress);
        FAIL() << "expected a UsageError";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("holds no hubs"), std::string::npos);
    }
}

TEST(CoverageOptionsCheck, RadiusSpecs) {
    CoverageOptions o;
    parseRadiusSpec("10", o);
    EXPECT_EQ(o.radiusKm, 10.0);
    EXPECT_TRUE(o.radiusKmByKind.empty());
    parseRadiusSpec("activity_centre=5, small_hub=10.5", o);
    EXPECT_FALSE(o.radiusKm);
    EXPECT_EQ(o.radiusKmByKind, (std::map<std::string, double>{{"activity_centre", 5.0}, {"small_hub", 10.5}}));
    EXPECT_FALSE(o.radiusFor("rmo"));
    parseRadiusSpec("10,rmo=5", o);
    EXPECT_EQ(o.radiusFor("rmo"), 5.0);
    EXPECT_EQ(o.radiusFor("small_hub"), 10.0);
    for (const char* bad : {"", "abc", "rmo=", "=5", "5,6", "rmo=1,rmo=2", "10,", "1e", "10km"}) {
        EXPECT_THROW(parseRadiusSpec(bad, o), UsageError) << bad;
    }
    parseRadiusSpec("-5", o);  // parsed; the range is computeCoverage's to refuse
    EXPECT_EQ(o.radiusKm, -5.0);
}

TEST(CoverageCatchment, ADiskInsideASquareHasTheGeodesicDiskArea) {
    const Dataset data = presenceDataset();
    for (double km : {1.0, 5.0, 20.0}) {
        CoverageOptions o = radius(km, {"small_hub"});  // "centre"; "sea" and "plain" are far away
        const CoverageResult r = run(data, o);
        const double expected = geodesicDiskAreaKm2(140.5, 40.4, km);
        ASSERT_TRUE(row(r, "90001").coveredKm2);
        EXPECT_NEAR(*row(r, "90001").coveredKm2, expected, expected * 1e-4) << km << " km";
        EXPECT_NEAR(*row(r, "90001").coveredShare, *row(r, "90001").coveredKm2 / row(r, "90001").areaKm2, 1e-12);
        EXPECT_EQ(*row(r, "90002").coveredKm2, 0.0);
    }
    // Sanity of the reference itself: close to πR² for a small radius.
    EXPECT_NEAR(geodesicDiskAreaKm2(140.5, 40.4, 5.0), M_PI * 25.0, M_PI * 25.0 * 1e-5);
}

TEST(CoverageCatchment, AHubOnTheBorderCoversHalfOfItsDiskOnEachSide) {
    const Dataset data = presenceDataset();
    const CoverageResult r = run(data, radius(5.0, {"rmo"}));  // "border", and the far slivers
    const double half = geodesicDiskAreaKm2(kBorderLon, 40.4, 5.0) / 2;
    EXPECT_NEAR(*row(r, "90001").coveredKm2, half, half * 1e-4);
    EXPECT_NEAR(*row(r, "90002").coveredKm2, half, half * 1e-4);
}

TEST(CoverageCatchment, AHubJustOverTheBorderCoversACircularSegment) {
    const Dataset data = presenceDataset();
    const CoverageResult r = run(data, radius(5.0, {"activity_centre"}));  // "over": 2 km east of the border
    const double R = 5.0, d = 2.0;
    const double segment = R * R * std::acos(d / R) - d * std::sqrt(R * R - d * d);
    EXPECT_EQ(row(r, "90001").hubs, 0);                                 // presence is not counted across the border…
    EXPECT_NEAR(*row(r, "90001").coveredKm2, segment, segment * 2e-4);  // …its catchment is
    const double disk = geodesicDiskAreaKm2(kBorderLon, 40.6, 5.0);
    EXPECT_NEAR(*row(r, "90002").coveredKm2, disk - segment, disk * 1e-4);
}

TEST(CoverageCatchment, AFullyCoveredMunicipalityReportsExactlyItsArea) {
    DatasetBuilder b = baseDataset();
    b.hub("mid", "small_hub", 125.1, 25.1);
    const Dataset data = b.build();
    const CoverageResult r = run(data, radius(50.0));
    EXPECT_EQ(*row(r, "90003").coveredShare, 1.0);
    EXPECT_EQ(*row(r, "90003").coveredKm2, row(r, "90003").areaKm2);
}

TEST(CoverageCatchment, PerKindRadiiLeaveKindsWithoutOneWithoutACatchment) {
    const Dataset data = presenceDataset();
    CoverageOptions o;
    o.radiusKmByKind = {{"small_hub", 5.0}};
    const CoverageResult r = run(data, o);
    const double disk = geodesicDiskAreaKm2(140.5, 40.4, 5.0);
    EXPECT_NEAR(*row(r, "90001").coveredKm2, disk, disk * 1e-4);  // "border" (rmo) adds nothing
    EXPECT_EQ(*row(r, "90002").coveredKm2, 0.0);                  // neither does "over"
    EXPECT_EQ(row(r, "90001").hubs, 2);                           // presence still counts both
    o.radiusKmByKind = {{"small_hub", 5.0}, {"rmo", 2.0}};
    const CoverageResult both = run(data, o);
    const double expected = disk + geodesicDiskAreaKm2(kBorderLon, 40.4, 2.0) / 2;
    EXPECT_NEAR(*row(both, "90001").coveredKm2, expected, expected * 1e-4);
}

TEST(CoverageCatchment, OverlappingDisksAreCountedOnce) {
    // Two hubs 4 km apart, R = 5: the union's area is 2·disk − lens.
    Geodesic g;
    double lon2 = 0, lat2 = 0;
    g.direct(140.5, 40.4, 90.0, 4.0, lon2, lat2);
    DatasetBuilder b = baseDataset();
    b.hub("a", "small_hub", 140.5, 40.4).hub("b", "small_hub", lon2, lat2);
    const Dataset data = b.build();
    const CoverageResult r = run(data, radius(5.0));
    const double R = 5.0, d = 4.0;
    const double lens = 2 * R * R * std::acos(d / (2 * R)) - (d / 2) * std::sqrt(4 * R * R - d * d);
    const double expected = 2 * M_PI * R * R - lens;
    EXPECT_NEAR(*row(r, "90001").coveredKm2, expected, expected * 2e-4);
}

TEST(CoverageCatchment, SettlementsCountByGeodesicDistanceToTheMetre) {
    Geodesic g;
    DatasetBuilder b = baseDataset();
    b.hub("centre", "small_hub", 140.5, 40.4);
    const auto [overLon, overLat] = eastOfBorder(40.6, 2.0);
    b.hub("over", "small_hub", overLon, overLat);
    // Settlements of 90001 at 4.999 km and 5.001 km from "centre", at several azimuths.
    std::vector<std::pair<double, double>> points;
    for (double azimuth : {0.0, 37.0, 90.0, 200.0, 315.0}) {
        for (double km : {4.999, 5.001}) {
            double lon = 0, lat = 0;
            g.direct(140.5, 40.4, azimuth, km, lon, lat);
            points.emplace_back(lon, lat);
        }
    }
    // A gazetteer point of 90001 that lies in 90002 (outside 90001's box), 1 km from "over".
    double strayLon = 0, strayLat = 0;
    g.direct(overLon, overLat, 90.0, 1.0, strayLon, strayLat);
    points.emplace_back(strayLon, strayLat);
    for (const auto& [lon, lat] : points) b.settlement("90001", lon, lat);
    b.settlement("90002", 141.9, 40.7);  // far from everything
    const Dataset data = b.build();
    const CoverageResult r = run(data, radius(5.0));
    EXPECT_EQ(row(r, "90001").settlements, 11);
    EXPECT_EQ(row(r, "90001").settlementsCovered, 6);  // 5 inside + the stray one
    EXPECT_EQ(row(r, "90002").settlements, 1);
    EXPECT_EQ(row(r, "90002").settlementsCovered, 0);
    EXPECT_EQ(r.prefectures[0].totals.settlements, 12);
    EXPECT_EQ(r.prefectures[0].totals.settlementsCovered, 6);
    EXPECT_DOUBLE_EQ(*r.prefectures[0].totals.settlementShare, 0.5);
    // Without a radius the settlements are counted, none are "covered".
    const CoverageResult plain = run(data, CoverageOptions{});
    EXPECT_EQ(row(plain, "90001").settlements, 11);
    EXPECT_FALSE(row(plain, "90001").settlementsCovered);
    // Not loaded: no settlement figures at all.
    CoverageOptions without = radius(5.0);
    without.settlements = false;
    EXPECT_FALSE(row(run(data, without), "90001").settlements);
}

namespace {
/// Many hubs scattered over M1 and M2 (deterministic).
Dataset scatteredDataset(int n) {
    DatasetBuilder b = baseDataset();
    unsigned state = 12345;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return ((state >> 8) & 0xFFFF) / 65536.0;
    };
    for (int i = 0; i < n; ++i) {
        b.hub("h" + std::to_string(i), i % 2 ? "small_hub" : "rmo", 139.8 + 2.4 * next(), 39.9 + next());
    }
    return b.build();
}
}  // namespace

/// Two neighbouring small municipalities (about 30 km square) under 60 scattered hubs, as dense
/// as the hubs of scatteredDataset(300) and denser: many disks reach each (the cell method's
/// case), they overlap and leave holes; the third municipality is reached by none. Kept small:
/// the uncovered parts are unioned on a precision grid, and in GEOS 3.11 every such overlay
/// seeds a std::random_device, so the cost follows the cell count.
Dataset denseSmallDataset() {
    DatasetBuilder b;
    b.prefecture(2, "青森県").prefecture(47, "沖縄県");
    b.municipality("90001", 2, "青森県", "東村", boxWkt(140.0, 40.0, 140.35, 40.3), DesignationType::Full)
        .municipality("90002", 2, "青森県", "西町", boxWkt(140.35, 40.0, 140.7, 40.3), DesignationType::Full)
        .municipality("90003", 47, "沖縄県", "南島村", boxWkt(125.0, 25.0, 125.2, 25.2), DesignationType::Full);
    unsigned state = 12345;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return ((state >> 8) & 0xFFFF) / 65536.0;
    };
    // Some hubs a little outside both: their disks reach in across the edge.
    for (int i = 0; i < 60; ++i) {
        b.hub("h" + std::to_string(i), i % 2 ? "small_hub" : "rmo", 139.97 + 0.76 * next(), 39.97 + 0.36 * next());
    }
    return b.build();
}

TEST(CoverageCatchment, CellByCellAndWholeUnionAgree) {
    const Dataset data = denseSmallDataset();
    const ProjContextPtr proj = makeProjContext();
    GeosContext ctx;
    Geodesic g;
    for (double km : {3.0, 6.0}) {
        std::vector<detail::CatchmentHub> hubs;
        for (size_t i = 0; i < data.hubs.size(); ++i) {
            hubs.push_back({*data.hubs[i].lon, *data.hubs[i].lat, km * 1000.0, static_cast<int>(i)});
        }
        std::vector<const detail::CatchmentHub*> all;
        for (const auto& h : hubs) all.push_back(&h);
        for (const Municipality& m : data.municipalities) {
            const auto cells =
                detail::coveredArea(ctx, proj.get(), g, m.geom.get(), all, true, detail::AreaMethod::Cells);
            const auto whole =
                detail::coveredArea(ctx, proj.get(), g, m.geom.get(), all, true, detail::AreaMethod::WholeUnion);
            EXPECT_NEAR(cells.coveredM2, whole.coveredM2, 1e-7 * cells.areaM2) << m.code << " R=" << km;
            // Not a comparison of trivial cases: covered in part, by more disks than the
            // automatic choice would union whole (12), or by none at all.
            const Bounds box = bounds(ctx, m.geom.get());
            const double dLat = detail::kmToLatDegrees(km), dLon = detail::kmToLonDegrees(km, box.maxy);
            const auto reaching = std::count_if(hubs.begin(), hubs.end(), [&](const detail::CatchmentHub& h) {
                return h.lon > box.minx - dLon && h.lon < box.maxx + dLon && h.lat > box.miny - dLat &&
                       h.lat < box.maxy + dLat;
            });
            if (m.code == "90003") {
                EXPECT_EQ(reaching, 0);
                EXPECT_EQ(cells.coveredM2, 0.0);
            } else {
                EXPECT_GT(reaching, 12) << m.code << " R=" << km;
                EXPECT_GT(cells.coveredM2, 0.3 * cells.areaM2) << m.code << " R=" << km;
                EXPECT_LT(cells.coveredM2, 0.995 * cells.areaM2) << m.code << " R=" << km;
            }
            // covered + uncovered = the whole (the uncovered part measured geodesically), and
            // both methods' uncovered parts are the same region.
            for (const auto* way : {&cells, &whole}) {
                ASSERT_TRUE(way->uncovered);
                EXPECT_NEAR(way->coveredM2 / 1e6 + g.areaKm2(ctx, way->uncovered.get()), m.areaKm2, m.areaKm2 * 1e-5)
                    << m.code;
            }
            const GeomPtr apart = takeGeom(ctx, GEOSSymDifference_r(ctx, cells.uncovered.get(), whole.uncovered.get()),
                                           "symmetric difference");
            EXPECT_LT(g.areaKm2(ctx, apart.get()), m.areaKm2 * 1e-6) << m.code;
        }
        // Through computeCoverage: the same figures with and without the geometry.
        CoverageOptions plain = radius(km), geometry = radius(km);
        geometry.keepGeometry = true;
        const CoverageResult a = run(data, plain), b = run(data, geometry);
        for (size_t i = 0; i < a.municipalities.size(); ++i) {
            EXPECT_EQ(*a.municipalities[i].coveredKm2, *b.municipalities[i].coveredKm2);
            EXPECT_TRUE(b.municipalities[i].uncoveredGeom);
        }
        EXPECT_EQ(b.catchments.size(), 2u);  // per kind with a radius
        EXPECT_TRUE(a.catchments.empty());
    }
}

TEST(CoverageCatchment, ThreadCountDoesNotChangeTheAnswer) {
    // Enough hubs for two placement chunks (2,048 hubs each), so that two threads really
    // split the placement; a radius for one hub in ten (220 hubs) keeps the catchments quick.
    // Every hub inside 90001 or 90002, so that a hub left unplaced shows.
    DatasetBuilder builder = baseDataset();
    unsigned state = 4321;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return ((state >> 8) & 0xFFFF) / 65536.0;
    };
    for (int i = 0; i < 2200; ++i) {
        const char* kind = i % 20 == 0 ? "small_hub" : i % 20 == 1 ? "rmo" : "model_project";  // no radius: placed only
        const double lon = 140.02 + 1.96 * next();
        const double lat = 40.02 + 0.76 * next();
        builder.hub("h" + std::to_string(i), kind, lon, lat);
    }
    const Dataset data = builder.build();
    CoverageOptions one, two;
    one.radiusKmByKind = two.radiusKmByKind = {{"small_hub", 4.0}, {"rmo", 2.0}};
    one.threads = 1;
    two.threads = 2;
    const CoverageResult a = run(data, one), b = run(data, two);
    ASSERT_EQ(a.municipalities.size(), 5u);  // the designated ones
    ASSERT_EQ(b.municipalities.size(), a.municipalities.size());
    EXPECT_EQ(a.hubsUsed.size(), data.hubs.size());
    EXPECT_EQ(a.locatedIn, b.locatedIn);
    EXPECT_EQ(a.ambiguousHubs, b.ambiguousHubs);
    EXPECT_EQ(a.hubsOutsideMunicipalities, b.hubsOutsideMunicipalities);
    EXPECT_TRUE(a.hubsOutsideMunicipalities.empty());
    size_t withHubs = 0, partlyCovered = 0;
    for (size_t i = 0; i < a.municipalities.size(); ++i) {
        const MunicipalityCoverage &x = a.municipalities[i], &y = b.municipalities[i];
        EXPECT_EQ(x.code, y.code);
        EXPECT_EQ(x.hubIndices, y.hubIndices) << x.code;
        ASSERT_TRUE(x.coveredKm2 && y.coveredKm2) << x.code;
        EXPECT_EQ(*x.coveredKm2, *y.coveredKm2) << x.code;
        if (!x.hubIndices.empty()) ++withHubs;
        if (*x.coveredKm2 > 0 && *x.coveredKm2 < x.areaKm2) ++partlyCovered;
    }
    // Not a comparison of two empty answers: the scattered hubs fall in 90001 and 90002.
    EXPECT_GE(withHubs, 2u);
    EXPECT_GE(partlyCovered, 2u);
    EXPECT_EQ(a.nation.hubs, b.nation.hubs);
    EXPECT_EQ(a.nation.hubs, 2200);
}

TEST(CoverageResult, OutlivesItsDatasetWithItsGeometry) {
    // The result's geometries belong to its own GEOS context, not the dataset's: they are
    // freed through result.geos (GEOS 3.11 happens not to read a finished context when
    // freeing a geometry, so valgrind alone would not catch a dataset's handle here).
    CoverageResult result;
    {
        const Dataset data = presenceDataset();
        CoverageOptions o = radius(5.0);
        o.keepGeometry = true;
        result = run(data, o);
    }
    ASSERT_FALSE(result.catchments.empty());
    ASSERT_TRUE(result.geos);
    const GeosContext ctx;
    double area = 0;
    for (const auto& [kind, g] : result.catchments) {
        ASSERT_EQ(GEOSArea_r(ctx, g.get(), &area), 1) << kind;
        EXPECT_GT(area, 0) << kind;
        EXPECT_EQ(g.get_deleter().ctx, result.geos->handle()) << kind;
    }
    size_t uncovered = 0;
    for (const auto& m : result.municipalities) {
        if (!m.uncoveredGeom) continue;
        ++uncovered;
        EXPECT_EQ(m.uncoveredGeom.get_deleter().ctx, result.geos->handle()) << m.code;
    }
    EXPECT_EQ(uncovered, result.municipalities.size());
    // Assigning another result over it frees the old geometries through the old context.
    CoverageResult other;
    {
        const Dataset data = presenceDataset();
        CoverageOptions o = radius(2.0);
        o.keepGeometry = true;
        other = run(data, o);
    }
    result = std::move(other);
    ASSERT_FALSE(result.catchments.empty());
    ASSERT_EQ(GEOSArea_r(ctx, result.catchments.begin()->second.get(), &area), 1);
    EXPECT_GT(area, 0);
}

TEST(CoverageCatchment, CatchmentGeometryHasTheDiskArea) {
    const Dataset data = presenceDataset();
    CoverageOptions o = radius(5.0, {"small_hub"});
    o.keepGeometry = true;
    const CoverageResult r = run(data, o);
    ASSERT_EQ(r.catchments.count("small_hub"), 1u);
    Geodesic g;
    // Three disjoint small_hub disks: centre, sea, plain.
    const double expected =
        geodesicDiskAreaKm2(140.5, 40.4, 5) + geodesicDiskAreaKm2(150, 40, 5) + geodesicDiskAreaKm2(139.5, 40.4, 5);
    EXPECT_NEAR(g.areaKm2(*data.ctx, r.catchments.at("small_hub").get()), expected, expected * 1e-4);
}

TEST(CoverageCatchment, CancelledQueriesThrow) {
    const Dataset data = scatteredDataset(50);
    Progress progress;
    progress.cancel();
    EXPECT_THROW(computeCoverage(data, radius(5.0), progress), Cancelled);
}

TEST(CatchmentGeometry, LocalEqualAreaAreasAreGeodesicAreas) {
    const Dataset data = presenceDataset();
    const ProjContextPtr proj = makeProjContext();
    GeosContext ctx;
    for (const Municipality& m : data.municipalities) {
        const Bounds b = bounds(ctx, m.geom.get());
        const detail::LocalEqualArea laea(proj.get(), (b.minx + b.maxx) / 2, (b.miny + b.maxy) / 2);
        double area = 0;
        GEOSArea_r(ctx, laea.forward(ctx, m.geom.get()).get(), &area);
        EXPECT_NEAR(area / 1e6, m.areaKm2, m.areaKm2 * 1e-5) << m.code;
    }
}

TEST(CatchmentGeometry, DisksFarFromTheProjectionCentreKeepTheirShapeAndArea) {
    // A projection centred 150 km from the hub: the polygon must still match the geodesic
    // circle (projected point by point) and the geodesic disk's area.
    const ProjContextPtr proj = makeProjContext();
    GeosContext ctx;
    Geodesic g;
    const detail::LocalEqualArea laea(proj.get(), 140.0, 40.0);
    double hubLon = 0, hubLat = 0;
    g.direct(140.0, 40.0, 60.0, 150.0, hubLon, hubLat);
    const detail::CatchmentHub hub{hubLon, hubLat, 10000.0, 0};
    const auto frames = detail::diskFrames(g, laea, {&hub});
    const GeomPtr disk = detail::diskPolygon(ctx, frames[0]);
    double area = 0;
    GEOSArea_r(ctx, disk.get(), &area);
    const double expected = geodesicDiskAreaKm2(hubLon, hubLat, 10.0);
    EXPECT_NEAR(area / 1e6, expected, expected * 1e-4);
    // The true circle, projected, stays within the polygon's band: between its incircle
    // (0.9996 R) and circumcircle (1.0008 R), give or take 1e-4 R of projection terms.
    for (int k = 0; k < 360; k += 7) {
        double xy[2];
        g.direct(hubLon, hubLat, k, 10.0, xy[0], xy[1]);
        laea.forward(xy, 1);
        EXPECT_TRUE(frames[0].surelyInside(frames[0].x + (xy[0] - frames[0].x) * 0.9994,
                                           frames[0].y + (xy[1] - frames[0].y) * 0.9994))
            << k;
        const GeomPtr outside =
            makePoint(ctx, frames[0].x + (xy[0] - frames[0].x) * 1.0010, frames[0].y + (xy[1] - frames[0].y) * 1.0010);
        EXPECT_EQ(GEOSContains_r(ctx, disk.get(), outside.get()), 0) << k;
    }
}

TEST(CoverageJson, HasTheDocumentedSchema) {
    const Dataset data = presenceDataset();
    CoverageOptions o = radius(5.0);
    o.openedBefore = "2030-01";
    const CoverageResult r = run(data, o);
    const nlohmann::json j = coverageToJson(data, r, "municipality");
    EXPECT_EQ(j["schema"], "hubmap.coverage/2");
    const auto& h = j["header"];
    for (const char* key : {"hubmap_version", "generated", "by", "query", "database", "sources", "hubs", "notes",
                            "seconds", "selection"}) {
        EXPECT_TRUE(h.contains(key)) << key;
    }
    EXPECT_EQ(h["query"]["radius_km"], 5.0);
    EXPECT_EQ(h["query"]["opened_before"], "2030-01");
    EXPECT_EQ(h["query"]["designations"], (nlohmann::json{"full", "partial", "deemed"}));
    EXPECT_EQ(h["hubs"]["unlocated"], (nlohmann::json{"prefonly"}));
    EXPECT_EQ(h["hubs"]["code_mismatches"][1]["located_code"], nullptr);
    ASSERT_EQ(j["municipalities"].size(), 5u);
    const auto& west = j["municipalities"][1];
    EXPECT_EQ(west["code"], "90002");
    EXPECT_EQ(west["designation"], "partial");
    EXPECT_EQ(west["designation_ja"], "一部過疎");
    EXPECT_EQ(west["partial"], true);
    EXPECT_EQ(west["former_municipalities"], (nlohmann::json{"旧甲村", "旧乙村"}));
    EXPECT_EQ(west["hub_ids"], (nlohmann::json{"over", "border2"}));
    EXPECT_TRUE(west["covered_km2"].is_number());
    EXPECT_EQ(j["municipalities"][2]["designation_incomplete"], true);
    EXPECT_FALSE(j.contains("prefectures"));
    EXPECT_TRUE(j.contains("nation"));
    bool partialNote = false;
    for (const auto& n : h["notes"]) partialNote |= n.get<std::string>().find("一部過疎") != std::string::npos;
    EXPECT_TRUE(partialNote);

    const nlohmann::json byPrefecture = coverageToJson(data, r, "prefecture", true, std::nullopt);
    ASSERT_EQ(byPrefecture["prefectures"].size(), 1u);  // only 沖縄県 has a municipality without a hub
    EXPECT_EQ(byPrefecture["prefectures"][0]["uncovered"][0]["name"], "南島村");
    // Without a radius the area figures are null, never absent.
    const nlohmann::json plain = coverageToJson(data, run(data, CoverageOptions{}), "municipality");
    EXPECT_TRUE(plain["municipalities"][0]["covered_km2"].is_null());
    EXPECT_TRUE(plain["nation"]["covered_share"].is_null());
    EXPECT_THROW(coverageToJson(data, r, "county"), UsageError);
}

TEST(CoverageGaps, RankUncoveredMunicipalitiesAndPrefectures) {
    const Dataset data = presenceDataset();
    const CoverageResult r = run(data, radius(5.0));
    GapOptions o;
    GapsResult g = rankGaps(r, o);
    ASSERT_EQ(g.municipalities.size(), 1u);  // only 90003 has no hub
    EXPECT_EQ(r.municipalities[g.municipalities[0].index].code, "90003");
    ASSERT_EQ(g.prefectures.size(), 1u);
    EXPECT_EQ(r.prefectures[g.prefectures[0].index].name, "沖縄県");
    // With --min-share, by covered area share: everything with a small share lacks.
    o.minShare = 0.5;
    g = rankGaps(r, o);
    EXPECT_EQ(g.lackingMunicipalities, 5);
    // Worst first: the largest uncovered area.
    for (size_t i = 1; i < g.municipalities.size(); ++i) {
        EXPECT_GE(g.municipalities[i - 1].uncoveredKm2, g.municipalities[i].uncoveredKm2);
        EXPECT_EQ(g.municipalities[i].rank, static_cast<int>(i + 1));
    }
    o.top = 2;
    EXPECT_EQ(rankGaps(r, o).municipalities.size(), 2u);
    o.by = GapRanking::Settlements;  // no settlements in this dataset
    EXPECT_THROW(rankGaps(r, o), UsageError);
}

// ---------------------------------------------------------------------------------------
// 一部過疎: measured on the designated part.

namespace {

/// 西町 (141–142°E) is 一部過疎; its designated part is the eastern half (141.5–142°E).
/// Settlements: one in the part, one in the rest.
Dataset partialDataset(MeasuredOn partMeasure = MeasuredOn::FormerMunicipalities) {
    DatasetBuilder b = baseDataset();
    b.designatedPart("90002", boxWkt(141.5, 40.0, 142.0, 40.8), partMeasure);
    b.hub("rest", "small_hub", 141.2, 40.4, "90002")     // in 西町, outside the part
        .hub("part", "small_hub", 141.7, 40.4, "90002")  // in the part
        .hub("near", "rmo", 141.45, 40.6, "90002");      // outside the part, 4 km from it
    b.settlement("90002", 141.2, 40.5).settlement("90002", 141.75, 40.45);
    return b.build();
}

}  // namespace

TEST(CoveragePartial, AHubCountsOnlyInTheDesignatedPart) {
    const Dataset data = partialDataset();
    Progress progress;
    const CoverageResult r = computeCoverage(data, CoverageOptions{}, progress);
    const MunicipalityCoverage& m = row(r, "90002");
    EXPECT_EQ(m.measuredOn, MeasuredOn::FormerMunicipalities);
    EXPECT_NEAR(m.designatedAreaKm2, data.designatedPartOf("90002")->areaKm2, 1e-9);
    EXPECT_NEAR(m.designatedAreaKm2, m.areaKm2 / 2, 0.01 * m.areaKm2);
    EXPECT_EQ(m.hubs, 1);
    ASSERT_EQ(m.hubIndices.size(), 1u);
    EXPECT_EQ(data.hubs[static_cast<size_t>(m.hubIndices[0])].id, "part");
    ASSERT_EQ(r.hubsOutsideDesignatedParts.size(), 2u);
    EXPECT_EQ(m.settlements, 1);
    // Whole designations are measured whole.
    EXPECT_EQ(row(r, "90001").measuredOn, MeasuredOn::Whole);
    EXPECT_DOUBLE_EQ(row(r, "90001").designatedAreaKm2, row(r, "90001").areaKm2);
    // The totals sum the designated areas.
    double sum = 0;
    for (const auto& mc : r.municipalities) sum += mc.designatedAreaKm2;
    EXPECT_NEAR(r.nation.designatedKm2, sum, 1e-9);
    EXPECT_LT(r.nation.designatedKm2 + 0.4 * m.areaKm2, [&] {
        double whole = 0;
        for (const auto& mc : r.municipalities) whole += mc.areaKm2;
        return whole;
    }());
}

TEST(CoveragePartial, OnlyTheHubInThePartMakesItCovered) {
    // Without the hub in the part, 西町 has none: the one in the rest does not count.
    DatasetBuilder b = baseDataset();
    b.designatedPart("90002", boxWkt(141.5, 40.0, 142.0, 40.8));
    b.hub("rest", "small_hub", 141.2, 40.4, "90002");
    const Dataset data = b.build();
    Progress progress;
    CoverageOptions o;
    EXPECT_FALSE(row(computeCoverage(data, o, progress), "90002").covered);
    o.partial = PartialMeasure::Whole;
    const CoverageResult whole = computeCoverage(data, o, progress);
    EXPECT_TRUE(row(whole, "90002").covered);
    EXPECT_EQ(row(whole, "90002").measuredOn, MeasuredOn::Whole);
}

TEST(CoveragePartial, AHubPlacedOnlyToTheMunicipalityCountsInThePartAndIsListed) {
    // Its point is the municipality's representative point (here in the rest): where it
    // really is within 西町 is unknown, so it is counted in the part and listed.
    DatasetBuilder b = baseDataset();
    b.designatedPart("90002", boxWkt(141.5, 40.0, 142.0, 40.8));
    b.hub("town", "small_hub", 141.2, 40.4, "90002");
    Dataset data = b.build();
    data.hubs[0].precision = "municipality";
    Progress progress;
    const CoverageResult r = computeCoverage(data, CoverageOptions{}, progress);
    EXPECT_TRUE(row(r, "90002").covered);
    EXPECT_TRUE(r.hubsOutsideDesignatedParts.empty());
    ASSERT_EQ(r.hubsOnlyPlacedInPartialMunicipality.size(), 1u);
    EXPECT_EQ(r.hubsOnlyPlacedInPartialMunicipality[0], 0);
    // A hub at that same point with a known position (a district) is outside the part.
    data.hubs[0].precision = "settlement";
    const CoverageResult placed = computeCoverage(data, CoverageOptions{}, progress);
    EXPECT_FALSE(row(placed, "90002").covered);
    EXPECT_TRUE(placed.hubsOnlyPlacedInPartialMunicipality.empty());
}

TEST(CoveragePartial, CatchmentsFromAnywhereAreMeasuredInThePart) {
    const Dataset data = partialDataset();
    Progress progress;
    CoverageOptions o;
    o.radiusKm = 10.0;
    o.kinds = {"small_hub"};  // rest (30 km from the part) and part
    CoverageResult r = computeCoverage(data, o, progress);
    const MunicipalityCoverage& m = row(r, "90002");
    // Only the disk of "part" lies in the part, whole.
    EXPECT_NEAR(*m.coveredKm2, geodesicDiskAreaKm2(141.7, 40.4, 10.0), 0.001 * *m.coveredKm2);
    EXPECT_NEAR(*m.coveredShare, *m.coveredKm2 / m.designatedAreaKm2, 1e-9);
    EXPECT_LE(*m.coveredKm2, m.designatedAreaKm2);
    EXPECT_EQ(m.settlementsCovered, 1);

    // "near" lies outside the part but its disk reaches into it: area, not presence.
    o.kinds = {"rmo"};
    r = computeCoverage(data, o, progress);
    const MunicipalityCoverage& n = row(r, "90002");
    EXPECT_EQ(n.hubs, 0);
    EXPECT_GT(*n.coveredKm2, 10.0);
    EXPECT_LT(*n.coveredKm2, 0.5 * geodesicDiskAreaKm2(141.45, 40.6, 10.0));

    // Whole: both disks of small_hub lie in 西町.
    o.kinds = {"small_hub"};
    o.partial = PartialMeasure::Whole;
    r = computeCoverage(data, o, progress);
    EXPECT_NEAR(*row(r, "90002").coveredKm2, 2 * geodesicDiskAreaKm2(141.7, 40.4, 10.0),
                0.001 * *row(r, "90002").coveredKm2);
    EXPECT_EQ(row(r, "90002").settlements, 2);
}

TEST(CoveragePartial, AWholeFallbackMunicipalityIsMeasuredWhole) {
    const Dataset data = partialDataset(MeasuredOn::WholeFallback);
    Progress progress;
    CoverageOptions o;
    o.radiusKm = 10.0;
    o.kinds = {"small_hub"};
    const CoverageResult r = computeCoverage(data, o, progress);
    const MunicipalityCoverage& m = row(r, "90002");
    EXPECT_EQ(m.measuredOn, MeasuredOn::WholeFallback);
    EXPECT_DOUBLE_EQ(m.designatedAreaKm2, m.areaKm2);
    EXPECT_EQ(m.hubs, 2);
    EXPECT_TRUE(r.hubsOutsideDesignatedParts.empty());
    EXPECT_NEAR(*m.coveredKm2, 2 * geodesicDiskAreaKm2(141.7, 40.4, 10.0), 0.001 * *m.coveredKm2);
}

TEST(CoveragePartial, ThePartialOptionParses) {
    EXPECT_EQ(parsePartialMeasure("part"), PartialMeasure::DesignatedPart);
    EXPECT_EQ(parsePartialMeasure("whole"), PartialMeasure::Whole);
    EXPECT_FALSE(parsePartialMeasure("half"));
    EXPECT_EQ(partialMeasureKey(PartialMeasure::Whole), "whole");
}

// ---------------------------------------------------------------------------------------
// Population: residents within reach.

namespace {

/// 東村 (全部過疎, census): 1000 people 2 km from the hub "centre", 300 people 30 km away.
/// 西町 (一部過疎, part 141.5–142°E, register spread): 50 in the part near "part", 70 in the
/// part far from it, 999 outside the part (never counted). 南島村: 5 people, no hub.
Dataset populationDataset() {
    DatasetBuilder b = baseDataset();
    b.designatedPart("90002", boxWkt(141.5, 40.0, 142.0, 40.8));
    b.hub("centre", "small_hub", 140.5, 40.4, "90001").hub("part", "small_hub", 141.7, 40.4, "90002");
    const auto spread = PopulationMethod::RegisterSpread2022;
    b.population("90001", 140.52, 40.4, 1000, "near").population("90001", 140.1, 40.7, 300, "far");
    b.population("90002", 141.2, 40.5, 999, "rest", spread)
        .population("90002", 141.72, 40.41, 50, "near", spread)
        .population("90002", 141.95, 40.75, 70, "far", spread);
    b.population("90003", 125.1, 25.1, 5, "island");
    return b.build();
}

}  // namespace

TEST(CoveragePopulation, CountsResidentsWithinReachAndOnlyThoseOfTheDesignatedPart) {
    const Dataset data = populationDataset();
    CoverageOptions o = radius(10.0);
    o.keepGeometry = true;
    const CoverageResult r = run(data, o);
    const MunicipalityCoverage& east = row(r, "90001");
    EXPECT_EQ(east.population, 1300);
    EXPECT_EQ(east.populationCovered, 1000);
    EXPECT_NEAR(*east.populationShare, 1000.0 / 1300.0, 1e-12);
    EXPECT_EQ(east.populationMethod, PopulationMethod::CensusSmallAreas2015);
    ASSERT_EQ(east.uncoveredPopulation.size(), 1u);
    EXPECT_EQ(data.population[east.uncoveredPopulation[0]].name, "far");
    const MunicipalityCoverage& west = row(r, "90002");
    EXPECT_EQ(west.population, 120);  // the 999 outside the part are not counted
    EXPECT_EQ(west.populationCovered, 50);
    EXPECT_EQ(west.populationMethod, PopulationMethod::RegisterSpread2022);
    // Totals: 青森県 mixes the methods and says so; the nation too.
    const CoverageTotals& aomori = r.prefectures.at(0).totals;
    EXPECT_EQ(aomori.population, 1420);
    EXPECT_EQ(aomori.populationCovered, 1050);
    EXPECT_EQ(populationMethodOf(aomori), "mixed");
    EXPECT_EQ(populationMethodOf(r.prefectures.at(1).totals), "census_2015_small_areas");
    EXPECT_EQ(r.nation.population, 1420 + 5);
    EXPECT_NEAR(*r.nation.populationShare, 1050.0 / 1425.0, 1e-12);
    // --partial whole counts every point of 西町.
    o.partial = PartialMeasure::Whole;
    EXPECT_EQ(row(run(data, o), "90002").population, 1119);
}

TEST(CoveragePopulation, WithoutARadiusOnlyThePopulation) {
    const Dataset data = populationDataset();
    const CoverageResult r = run(data, CoverageOptions{});
    EXPECT_EQ(row(r, "90001").population, 1300);
    EXPECT_FALSE(row(r, "90001").populationCovered.has_value());
    EXPECT_FALSE(r.nation.populationShare.has_value());
    const nlohmann::json j = coverageToJson(data, r, "municipality");
    EXPECT_EQ(j["municipalities"][0]["population"], 1300);
    EXPECT_TRUE(j["municipalities"][0]["population_covered"].is_null());
    EXPECT_EQ(j["nation"]["population_method"], "mixed");
    // Not loaded: no figures, and nothing pretends to be zero.
    Dataset without = populationDataset();
    without.population.clear();
    EXPECT_FALSE(run(without, radius(10.0)).nation.population.has_value());
}

TEST(CoverageGaps, RankByUncoveredPopulationWithARadiusUnlessAskedOtherwise) {
    const Dataset data = populationDataset();
    const CoverageResult r = run(data, radius(10.0));
    GapOptions o;
    o.minShare = 0.99;  // every municipality lacks: the ranking decides the order
    GapsResult g = rankGaps(r, o);
    EXPECT_EQ(g.rankedBy, GapRanking::Population);
    ASSERT_EQ(g.municipalities.size(), 5u);
    // Uncovered residents: 東村 300, 西町 70, 南島村 5, then 左村 and 右村 (nobody) by area.
    EXPECT_EQ(r.municipalities[g.municipalities[0].index].code, "90001");
    EXPECT_EQ(g.municipalities[0].uncoveredPopulation, 300);
    EXPECT_EQ(r.municipalities[g.municipalities[1].index].code, "90002");
    EXPECT_EQ(r.municipalities[g.municipalities[2].index].code, "90003");
    // --by-area: the largest uncovered area first (西町's part is 2/3 uncovered, 東村's 1/2 or so).
    o.by = GapRanking::Area;
    g = rankGaps(r, o);
    EXPECT_EQ(g.rankedBy, GapRanking::Area);
    for (size_t i = 1; i < g.municipalities.size(); ++i) {
        EXPECT_GE(g.municipalities[i - 1].uncoveredKm2, g.municipalities[i].uncoveredKm2);
    }
    // --min-share with --weight population: 東村 (77% of its people within reach) lacks at
    // 0.8 but not at 0.7; by area it lacks at both (about a fifth of its area is covered).
    o.by = GapRanking::Default;
    o.weight = ShareWeight::Population;
    o.minShare = 0.8;
    g = rankGaps(r, o);
    EXPECT_EQ(g.lackingMunicipalities, 5);
    o.minShare = 0.7;
    g = rankGaps(r, o);
    EXPECT_EQ(g.lackingMunicipalities, 4);  // 西町 (42%), 南島村, 左村 and 右村 (0%)
    o.weight = ShareWeight::Area;
    EXPECT_EQ(rankGaps(r, o).lackingMunicipalities, 5);
    // Without a radius the default is the uncovered area.
    EXPECT_EQ(rankGaps(run(data, CoverageOptions{}), GapOptions{}).rankedBy, GapRanking::Area);
}

namespace {

/// A dataset for the placement cache: presenceDataset's hubs (every kind of placement), a
/// designated part in 90002, settlements and population, and `scattered` hubs over 90001
/// and 90002 (more than one placement chunk when large).
Dataset placementDataset(int scattered) {
    DatasetBuilder b = presenceBuilder();
    unsigned state = 97;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return ((state >> 8) & 0xFFFF) / 65536.0;
    };
    for (int i = 0; i < scattered; ++i) {
        // One in ten with a catchment (radiusOf) keeps the catchments quick.
        const char* kind = i % 20 == 0 ? "small_hub" : i % 20 == 1 ? "rmo" : "model_project";
        b.hub("s" + std::to_string(i), kind, 140.02 + 1.96 * next(), 40.02 + 0.76 * next(), i % 7 == 0 ? "90002" : "");
    }
    b.designatedPart("90002", boxWkt(141.5, 40.0, 142.0, 40.8));
    for (int i = 0; i < 40; ++i) b.settlement("90001", 140.02 + 0.024 * i, 40.1 + 0.015 * i);
    for (int i = 0; i < 40; ++i) b.settlement("90002", 141.02 + 0.024 * i, 40.1 + 0.015 * i);
    for (int i = 0; i < 40; ++i) b.population("90001", 140.03 + 0.024 * i, 40.7 - 0.015 * i, 10 + i);
    for (int i = 0; i < 40; ++i) b.population("90002", 141.03 + 0.024 * i, 40.7 - 0.015 * i, 10 + i);
    return b.build();
}

/// Every figure and list of two results, exactly (the runtime aside).
void expectSameResult(const CoverageResult& a, const CoverageResult& b) {
    EXPECT_EQ(a.hubsUsed, b.hubsUsed);
    EXPECT_EQ(a.locatedIn, b.locatedIn);
    EXPECT_EQ(a.unlocatedHubs, b.unlocatedHubs);
    EXPECT_EQ(a.hubsOutsideMunicipalities, b.hubsOutsideMunicipalities);
    EXPECT_EQ(a.ambiguousHubs, b.ambiguousHubs);
    EXPECT_EQ(a.hubsOutsideDesignatedParts, b.hubsOutsideDesignatedParts);
    EXPECT_EQ(a.hubsOnlyPlacedInPartialMunicipality, b.hubsOnlyPlacedInPartialMunicipality);
    ASSERT_EQ(a.codeMismatches.size(), b.codeMismatches.size());
    for (size_t i = 0; i < a.codeMismatches.size(); ++i) {
        EXPECT_EQ(a.codeMismatches[i].hubIndex, b.codeMismatches[i].hubIndex);
        EXPECT_EQ(a.codeMismatches[i].locatedCode, b.codeMismatches[i].locatedCode);
    }
    ASSERT_EQ(a.municipalities.size(), b.municipalities.size());
    for (size_t i = 0; i < a.municipalities.size(); ++i) {
        const MunicipalityCoverage &x = a.municipalities[i], &y = b.municipalities[i];
        EXPECT_EQ(x.code, y.code);
        EXPECT_EQ(x.hubIndices, y.hubIndices) << x.code;
        EXPECT_EQ(x.covered, y.covered) << x.code;
        EXPECT_EQ(x.coveredKm2, y.coveredKm2) << x.code;
        EXPECT_EQ(x.coveredShare, y.coveredShare) << x.code;
        EXPECT_EQ(x.settlements, y.settlements) << x.code;
        EXPECT_EQ(x.settlementsCovered, y.settlementsCovered) << x.code;
        EXPECT_EQ(x.population, y.population) << x.code;
        EXPECT_EQ(x.populationCovered, y.populationCovered) << x.code;
    }
    EXPECT_EQ(a.nation.hubs, b.nation.hubs);
    EXPECT_EQ(a.nation.covered, b.nation.covered);
    EXPECT_EQ(a.nation.coveredKm2, b.nation.coveredKm2);
    EXPECT_EQ(a.nation.populationCovered, b.nation.populationCovered);
    ASSERT_EQ(a.prefectures.size(), b.prefectures.size());
    for (size_t i = 0; i < a.prefectures.size(); ++i) {
        EXPECT_EQ(a.prefectures[i].totals.coveredKm2, b.prefectures[i].totals.coveredKm2);
        EXPECT_EQ(a.prefectures[i].totals.prefectureOnlyHubs, b.prefectures[i].totals.prefectureOnlyHubs);
    }
}

/// A radius for every kind but model_project (placementDataset's scattered hubs are mostly
/// model_project: placed, with no catchment).
CoverageOptions radiusOf(double km, std::vector<std::string> kinds = {}) {
    CoverageOptions o;
    o.radiusKmByKind = {{"small_hub", km}, {"rmo", km}, {"activity_centre", km}};
    o.kinds = std::move(kinds);
    return o;
}

size_t locatedHubs(const Dataset& data) {
    size_t n = 0;
    for (const Hub& h : data.hubs) n += h.lon && h.lat ? 1 : 0;
    return n;
}

}  // namespace

TEST(CoverageCache, ARadiusChangeWithCachedPlacementsGivesTheFiguresOfAFreshQuery) {
    const Dataset data = placementDataset(2500);  // two placement chunks
    CoverageCache placements;
    Progress progress;
    // The viewer's sequence: the query without a radius, then radius changes, then other kinds.
    CoverageOptions none;
    none.threads = 2;
    expectSameResult(computeCoverage(data, none, progress, placements), run(data, none));
    EXPECT_EQ(placements.placedCount(), locatedHubs(data));
    for (double km : {5.0, 2.0}) {
        CoverageOptions o = radiusOf(km);
        o.threads = 2;
        const CoverageResult cached = computeCoverage(data, o, progress, placements), fresh = run(data, o);
        expectSameResult(cached, fresh);
        // Not two answers to nothing: hubs present, parts covered, settlements within reach.
        EXPECT_GT(row(fresh, "90001").hubs, 100);
        EXPECT_GT(*row(fresh, "90002").coveredKm2, 0);
        EXPECT_FALSE(fresh.hubsOutsideDesignatedParts.empty());
        EXPECT_FALSE(fresh.codeMismatches.empty());
        EXPECT_FALSE(fresh.ambiguousHubs.empty());
        EXPECT_GT(*fresh.nation.settlementsCovered, 0);
    }
    EXPECT_EQ(placements.placedCount(), locatedHubs(data));  // nothing placed again
    EXPECT_EQ(placements.dropCount(), 0u);
    const CoverageOptions kinds = radiusOf(3.0, {"rmo", "small_hub"});
    expectSameResult(computeCoverage(data, kinds, progress, placements), run(data, kinds));
    EXPECT_EQ(placements.placedCount(), locatedHubs(data));
}

TEST(CoverageCache, PlacesOnlyTheHubsNotPlacedBefore) {
    const Dataset data = placementDataset(100);
    CoverageCache placements;
    Progress progress;
    const CoverageOptions some = radiusOf(3.0, {"activity_centre"}), all = radiusOf(3.0);
    expectSameResult(computeCoverage(data, some, progress, placements), run(data, some));
    EXPECT_EQ(placements.placedCount(), 1u);  // "over"
    expectSameResult(computeCoverage(data, all, progress, placements), run(data, all));
    EXPECT_EQ(placements.placedCount(), locatedHubs(data));
}

TEST(CoverageCache, IsDroppedWhenTheHubsOrTheMunicipalitiesChange) {
    Dataset data = placementDataset(100);
    CoverageCache placements;
    Progress progress;
    const CoverageOptions o = radiusOf(3.0);
    const CoverageResult first = computeCoverage(data, o, progress, placements);
    ASSERT_EQ(row(first, "90003").hubs, 0);

    // A hub moved into 南島村 (90003): placed again, present there.
    Hub& moved = data.hubs[0];  // "centre", in 90001
    moved.lon = 125.1;
    moved.lat = 25.1;
    const CoverageResult afterMove = computeCoverage(data, o, progress, placements);
    expectSameResult(afterMove, run(data, o));
    EXPECT_EQ(row(afterMove, "90003").hubs, 1);
    EXPECT_EQ(placements.dropCount(), 1u);

    // A hub's code changed: the stated code decides an ambiguous point ("sliver2").
    for (Hub& h : data.hubs) {
        if (h.id == "sliver2") h.code = "90006";
    }
    expectSameResult(computeCoverage(data, o, progress, placements), run(data, o));
    EXPECT_EQ(placements.dropCount(), 2u);

    // A hub added.
    data.hubs.push_back(data.hubs[1]);
    data.hubs.back().id = "added";
    expectSameResult(computeCoverage(data, o, progress, placements), run(data, o));
    EXPECT_EQ(placements.dropCount(), 3u);

    // The same hubs over other municipalities (another dataset): 90003 now covers the moved hub's
    // old place too.
    Dataset other = placementDataset(100);
    other.hubs = data.hubs;
    other.municipalities[2].geom = geomFromWKT(*other.ctx, boxWkt(125.0, 25.0, 125.05, 25.05));
    expectSameResult(computeCoverage(other, o, progress, placements), run(other, o));
    EXPECT_EQ(row(run(other, o), "90003").hubs, 0);
    EXPECT_EQ(placements.dropCount(), 4u);

    // clear() drops them explicitly; nothing is dropped when nothing changed.
    const std::size_t placed = placements.placedCount();
    computeCoverage(other, o, progress, placements);
    EXPECT_EQ(placements.placedCount(), placed);
    placements.clear();
    expectSameResult(computeCoverage(other, o, progress, placements), run(other, o));
    EXPECT_EQ(placements.placedCount(), placed + locatedHubs(other));
}

TEST(CoverageCache, KeepsEachShapesProjectionAndGivesTheFiguresOfAFreshQuery) {
    const Dataset data = placementDataset(300);
    CoverageCache cache;
    Progress progress;
    // The part of 西町 (90002) and its whole polygon are two shapes, each projected once.
    CoverageOptions part = radiusOf(5.0), whole = radiusOf(5.0);
    whole.partial = PartialMeasure::Whole;
    expectSameResult(computeCoverage(data, part, progress, cache), run(data, part));
    const std::size_t projected = cache.projectedShapes();
    EXPECT_GE(projected, 2u);  // 90001 and the part of 90002 have hubs within reach
    expectSameResult(computeCoverage(data, whole, progress, cache), run(data, whole));
    EXPECT_EQ(cache.projectedShapes(), projected + 1);  // the whole of 90002
    for (double km : {2.0, 8.0}) {
        CoverageOptions o = radiusOf(km);
        const CoverageResult cached = computeCoverage(data, o, progress, cache), fresh = run(data, o);
        expectSameResult(cached, fresh);
        EXPECT_GT(*row(fresh, "90002").settlements, 0);
        EXPECT_LT(*row(fresh, "90002").settlements, 40);  // the points outside the part are not counted
        o.partial = PartialMeasure::Whole;
        expectSameResult(computeCoverage(data, o, progress, cache), run(data, o));
    }
    EXPECT_EQ(cache.projectedShapes(), projected + 1);
    EXPECT_EQ(cache.shapeDropCount(), 0u);
}

TEST(CoverageCache, DropsTheKeptProjectionsWhenAMunicipalityOrADesignatedPartChanges) {
    Dataset data = placementDataset(100);
    CoverageCache cache;
    Progress progress;
    const CoverageOptions o = radiusOf(5.0);
    const CoverageResult before = computeCoverage(data, o, progress, cache);
    ASSERT_GT(cache.projectedShapes(), 0u);

    // The part of 西町 (90002) grows to its whole polygon: more settlements in it.
    for (DesignatedPart& p : data.designatedParts) {
        if (p.code == "90002") p.geom = geomFromWKT(*data.ctx, boxWkt(141.0, 40.0, 142.0, 40.8));
    }
    const CoverageResult grown = computeCoverage(data, o, progress, cache);
    expectSameResult(grown, run(data, o));
    EXPECT_GT(*row(grown, "90002").settlements, *row(before, "90002").settlements);
    EXPECT_EQ(cache.shapeDropCount(), 1u);

    // A municipality's polygon changes.
    data.municipalities[0].geom = geomFromWKT(*data.ctx, boxWkt(140.0, 40.0, 140.5, 40.8));
    expectSameResult(computeCoverage(data, o, progress, cache), run(data, o));
    EXPECT_EQ(cache.shapeDropCount(), 2u);

    // Nothing changed: nothing dropped.
    computeCoverage(data, o, progress, cache);
    EXPECT_EQ(cache.shapeDropCount(), 2u);
}

TEST(CoverageCache, AHubMovedOutOfADesignatedPartIsNoLongerPresentThere) {
    Dataset data = placementDataset(100);
    CoverageCache cache;
    Progress progress;
    const CoverageOptions o = radiusOf(5.0);
    const CoverageResult before = computeCoverage(data, o, progress, cache);
    // A hub present in the part of 西町 (90002, east of 141.5°) moves west, still in 西町.
    const std::vector<int>& present = row(before, "90002").hubIndices;
    const auto inPart = std::find_if(present.begin(), present.end(), [&](int i) {
        return data.hubs[static_cast<size_t>(i)].lon > 141.5 && data.hubs[static_cast<size_t>(i)].precision == "exact";
    });
    ASSERT_NE(inPart, present.end());
    const int moved = *inPart;
    data.hubs[static_cast<size_t>(moved)].lon = 141.2;
    const CoverageResult after = computeCoverage(data, o, progress, cache);
    expectSameResult(after, run(data, o));
    EXPECT_EQ(row(after, "90002").hubs, row(before, "90002").hubs - 1);
    EXPECT_NE(std::find(after.hubsOutsideDesignatedParts.begin(), after.hubsOutsideDesignatedParts.end(), moved),
              after.hubsOutsideDesignatedParts.end());
}

TEST(CoverageCache, ProjectsAheadTheShapesAQueryWithoutARadiusMeasured) {
    const Dataset data = placementDataset(100);
    CoverageCache cache;
    Progress progress;
    CoverageOptions none;
    computeCoverage(data, none, progress, cache);
    EXPECT_EQ(cache.projectedShapes(), 0u);
    EXPECT_FALSE(cache.projectShapes(data, [] { return true; }));  // asked to stop
    EXPECT_EQ(cache.projectedShapes(), 0u);
    EXPECT_TRUE(cache.projectShapes(data, [] { return false; }));
    const std::size_t designated = run(data, none).municipalities.size();
    EXPECT_EQ(cache.projectedShapes(), designated);
    const CoverageOptions o = radiusOf(5.0);
    expectSameResult(computeCoverage(data, o, progress, cache), run(data, o));
    EXPECT_EQ(cache.projectedShapes(), designated);  // none projected again
}
