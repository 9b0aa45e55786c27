// The dissolved catchments (analysis/disk_union): tabulated disk shapes against
// Geodesic::direct, and unionOfDisks (which leaves disks on covered cells out) against
// the plain union of every disk's polygon.

#include "analysis/disk_union.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/catchment.hpp"
#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/geos.hpp"

using namespace hubmap;
using namespace hubmap::detail;

namespace {

constexpr int kVertices = kDisplayDiskVertices;

/// The union the fast path must reproduce: every disk's polygon, in one GEOS union.
GeomPtr plainUnion(const GeosContext& ctx, const DiskShapeTable& shapes,
                   const std::vector<std::pair<double, double>>& centres) {
    std::vector<GEOSGeometry*> raw;
    std::vector<double> ring;
    for (const auto& [lon, lat] : centres) {
        shapes.ring(lon, lat, ring);
        raw.push_back(polygonFromRing(ctx, ring).release());
    }
    const GeomPtr all = takeGeom(
        ctx, GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())),
        "collection");
    return takeGeom(ctx, GEOSUnaryUnion_r(ctx, all.get()), "union");
}

double areaOf(const GeosContext& ctx, const GEOSGeometry* g) {
    double a = 0;
    EXPECT_EQ(GEOSArea_r(ctx, g, &a), 1);
    return a;
}

/// Area of the symmetric difference relative to the reference's area.
double relativeDifference(const GeosContext& ctx, const GEOSGeometry* got, const GEOSGeometry* reference) {
    const GeomPtr diff = takeGeom(ctx, GEOSSymDifference_r(ctx, got, reference), "symmetric difference");
    return areaOf(ctx, diff.get()) / areaOf(ctx, reference);
}

struct UnionCheck {
    DiskUnionStats stats;
    double difference = 0;
};

UnionCheck checkAgainstPlainUnion(const std::vector<std::pair<double, double>>& centres, double radiusM, int threads) {
    GeosContext ctx;
    Geodesic geodesic;
    Progress progress;
    const DiskShapeTable shapes(geodesic, radiusM, kVertices, centres);
    UnionCheck check;
    const GeomPtr fast = unionOfDisks(ctx, shapes, radiusM, centres, threads, progress, &check.stats);
    EXPECT_EQ(GEOSGeomTypeId_r(ctx, fast.get()), GEOS_MULTIPOLYGON);
    EXPECT_EQ(GEOSisValid_r(ctx, fast.get()), 1);
    const GeomPtr plain = plainUnion(ctx, shapes, centres);
    check.difference = relativeDifference(ctx, fast.get(), plain.get());
    return check;
}

}  // namespace

TEST(DiskShapeTable, MatchesGeodesicDirectWithinACentimetre) {
    Geodesic geodesic;
    const double scale = equalAreaPolygonScale(kVertices);
    for (double radiusKm : {1.0, 10.0, 100.0}) {
        const std::vector<std::pair<double, double>> centres = {{139.7671, 20.4253}, {139.7671, 24.0},
                                                                {139.7671, 33.5},    {139.7671, 35.6812},
                                                                {139.7671, 43.0642}, {139.7671, 45.5228}};
        const DiskShapeTable shapes(geodesic, radiusKm * 1000.0, kVertices, centres);
        std::vector<double> ring;
        for (const auto& [lon, lat] : centres) {
            shapes.ring(lon, lat, ring);
            ASSERT_EQ(ring.size(), 2u * (kVertices + 1));
            EXPECT_EQ(ring[0], ring[2 * kVertices]);
            EXPECT_EQ(ring[1], ring[2 * kVertices + 1]);
            for (int k = 0; k < kVertices; ++k) {
                double exactLon = 0, exactLat = 0;
                geodesic.direct(lon, lat, 360.0 * (kVertices - k) / kVertices, radiusKm * scale, exactLon, exactLat);
                const double errorKm = geodesic.distanceKm(ring[2 * k], ring[2 * k + 1], exactLon, exactLat);
                EXPECT_LT(errorKm * 1e5, 1.0) << "radius " << radiusKm << " km, lat " << lat << ", vertex " << k;
            }
        }
    }
}

TEST(DiskShapeTable, RingRunsCounterClockwise) {
    Geodesic geodesic;
    GeosContext ctx;
    const DiskShapeTable shapes(geodesic, 5000.0, kVertices, {{135.0, 35.0}});
    std::vector<double> ring;
    shapes.ring(135.0, 35.0, ring);
    const GeomPtr polygon = polygonFromRing(ctx, ring);
    const GEOSGeometry* shell = GEOSGetExteriorRing_r(ctx, polygon.get());
    char ccw = 0;
    ASSERT_EQ(GEOSCoordSeq_isCCW_r(ctx, GEOSGeom_getCoordSeq_r(ctx, shell), &ccw), 1);
    EXPECT_EQ(ccw, 1);
}

TEST(DiskShapeTable, RefusesPolarCentres) {
    Geodesic geodesic;
    EXPECT_THROW(DiskShapeTable(geodesic, 5000.0, kVertices, {{135.0, 89.95}}), hubmap::Error);
}

TEST(UnionOfDisks, DenseClusterEqualsThePlainUnionWithMostDisksLeftOut) {
    // 3,000 hubs in a 0.6° square (one per 7 km²) with 5 km catchments, and a few far ones.
    std::mt19937 random(7);
    std::uniform_real_distribution<double> lon(138.0, 138.6), lat(36.0, 36.6);
    std::vector<std::pair<double, double>> centres;
    for (int i = 0; i < 3000; ++i) centres.emplace_back(lon(random), lat(random));
    centres.emplace_back(140.0, 38.0);
    centres.emplace_back(140.05, 38.02);
    for (int threads : {1, 2}) {
        const UnionCheck check = checkAgainstPlainUnion(centres, 5000.0, threads);
        EXPECT_LT(check.difference, 1e-9) << threads << " threads";
        EXPECT_EQ(check.stats.disks, centres.size());
        EXPECT_GT(check.stats.coveredCells, 0u);
        EXPECT_LT(check.stats.unioned, centres.size() / 2) << "interior disks should be left out";
        EXPECT_GT(check.stats.cellRectangles, 0u);
    }
}

TEST(UnionOfDisks, KeepsTheHoleOfARingOfHubs) {
    // Hubs every 2 km around a 40 km circle: the union is an annulus, its hole uncovered.
    Geodesic geodesic;
    std::vector<std::pair<double, double>> centres;
    for (int i = 0; i < 126; ++i) {
        double lon = 0, lat = 0;
        geodesic.direct(133.5, 33.5, 360.0 * i / 126, 40.0, lon, lat);
        centres.emplace_back(lon, lat);
        geodesic.direct(133.5, 33.5, 360.0 * i / 126, 37.0, lon, lat);
        centres.emplace_back(lon, lat);
    }
    const UnionCheck check = checkAgainstPlainUnion(centres, 6000.0, 2);
    EXPECT_LT(check.difference, 1e-9);

    GeosContext ctx;
    Progress progress;
    const DiskShapeTable shapes(geodesic, 6000.0, kVertices, centres);
    const GeomPtr u = unionOfDisks(ctx, shapes, 6000.0, centres, 2, progress);
    const GeomPtr centre = makePoint(ctx, 133.5, 33.5);
    EXPECT_EQ(GEOSContains_r(ctx, u.get(), centre.get()), 0);
    ASSERT_EQ(GEOSGetNumGeometries_r(ctx, u.get()), 1);
    EXPECT_EQ(GEOSGetNumInteriorRings_r(ctx, GEOSGetGeometryN_r(ctx, u.get(), 0)), 1);
}

TEST(UnionOfDisks, LoneAndNoDisks) {
    const UnionCheck one = checkAgainstPlainUnion({{135.0, 35.0}}, 10000.0, 1);
    EXPECT_LT(one.difference, 1e-12);
    EXPECT_EQ(one.stats.unioned, 1u);

    GeosContext ctx;
    Geodesic geodesic;
    Progress progress;
    const DiskShapeTable shapes(geodesic, 10000.0, kVertices, {});
    const GeomPtr none = unionOfDisks(ctx, shapes, 10000.0, {}, 1, progress);
    EXPECT_EQ(GEOSisEmpty_r(ctx, none.get()), 1);
    EXPECT_EQ(GEOSGeomTypeId_r(ctx, none.get()), GEOS_MULTIPOLYGON);
}

TEST(UnionOfDisks, CancelledUnionsThrow) {
    GeosContext ctx;
    Geodesic geodesic;
    Progress progress;
    progress.cancel();
    const std::vector<std::pair<double, double>> centres = {{135.0, 35.0}, {135.01, 35.0}};
    const DiskShapeTable shapes(geodesic, 10000.0, kVertices, centres);
    EXPECT_THROW(unionOfDisks(ctx, shapes, 10000.0, centres, 1, progress), Cancelled);
}
