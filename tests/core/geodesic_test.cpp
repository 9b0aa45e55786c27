#include "core/geodesic.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/geos.hpp"

using namespace hubmap;

// A 1°×1° cell on the ellipsoid has an analytic area: a² ... here checked against the
// authalic-latitude formula for a spheroid zone, independent of geod_polygonarea.
static double ellipsoidZoneAreaKm2(double lat0, double lat1, double dlonDeg) {
    const double a = 6378137.0, f = 1.0 / 298.257222101, e2 = f * (2 - f), e = std::sqrt(e2);
    auto q = [&](double latDeg) {
        const double s = std::sin(latDeg * M_PI / 180.0);
        return (1 - e2) * (s / (1 - e2 * s * s) - (1 / (2 * e)) * std::log((1 - e * s) / (1 + e * s)));
    };
    return a * a / 2 * (q(lat1) - q(lat0)) * (dlonDeg * M_PI / 180.0) / 1e6;
}

TEST(Geodesic, AreaOfALatLonCellMatchesTheAnalyticZoneArea) {
    GeosContext ctx;
    Geodesic geod;
    // Edges along meridians are geodesics; edges along parallels are not, so use a thin
    // cell densified along the parallels to approach the zone area.
    std::string wkt = "POLYGON((";
    const int n = 2000;
    for (int i = 0; i <= n; ++i) wkt += std::to_string(135.0 + i / double(n)) + " 35,";
    for (int i = n; i >= 0; --i) wkt += std::to_string(135.0 + i / double(n)) + " 36,";
    wkt += "135 35))";
    GeomPtr cell = geomFromWKT(ctx, wkt);
    const double expected = ellipsoidZoneAreaKm2(35, 36, 1);
    EXPECT_NEAR(geod.areaKm2(ctx, cell.get()), expected, expected * 1e-5);
    EXPECT_NEAR(expected, 10064.0, 30.0);  // sanity: ~ 91.2 km × 111 km
}

TEST(Geodesic, HolesAreSubtractedAndOrientationDoesNotMatter) {
    GeosContext ctx;
    Geodesic geod;
    GeomPtr ccw = geomFromWKT(ctx, "POLYGON((135 35,135.1 35,135.1 35.1,135 35.1,135 35))");
    GeomPtr cw = geomFromWKT(ctx, "POLYGON((135 35,135 35.1,135.1 35.1,135.1 35,135 35))");
    GeomPtr holed = geomFromWKT(ctx,
                                "POLYGON((135 35,135.1 35,135.1 35.1,135 35.1,135 35),(135.02 35.02,135.02 "
                                "35.04,135.04 35.04,135.04 35.02,135.02 35.02))");
    GeomPtr hole = geomFromWKT(ctx, "POLYGON((135.02 35.02,135.04 35.02,135.04 35.04,135.02 35.04,135.02 35.02))");
    EXPECT_NEAR(geod.areaKm2(ctx, ccw.get()), geod.areaKm2(ctx, cw.get()), 1e-9);
    EXPECT_NEAR(geod.areaKm2(ctx, holed.get()), geod.areaKm2(ctx, ccw.get()) - geod.areaKm2(ctx, hole.get()), 1e-9);
}

TEST(Geodesic, DistanceAndDirectAreInverse) {
    Geodesic geod;
    double lon = 0, lat = 0;
    geod.direct(133.53, 33.56, 45.0, 10.0, lon, lat);
    EXPECT_NEAR(geod.distanceKm(133.53, 33.56, lon, lat), 10.0, 1e-9);
    // One degree of latitude near 35°N is about 110.95 km on GRS80.
    EXPECT_NEAR(geod.distanceKm(135, 34.5, 135, 35.5), 110.95, 0.02);
}
