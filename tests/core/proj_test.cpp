// core/proj: the PROJ wrappers every coordinate transform goes through.

#include "core/proj.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

using namespace hubmap;

TEST(Proj, CrsToCrsTakesLonLatInThatOrder) {
    const ProjContextPtr ctx = makeProjContext();
    // JGD2011 to plane rectangular zone IV (EPSG:6672, origin 33°N 133.5°E, northing first
    // by definition): 0.5° north of the origin is the meridian arc of 55,454 m times the
    // zone's scale factor 0.9999, on the zone's meridian.
    const ProjPtr pj = makeCrsToCrs(ctx.get(), "EPSG:6668", "EPSG:6672");
    double xy[4] = {133.5, 33.5, 134.0, 33.0};
    transformInterleaved(pj.get(), PJ_FWD, xy, 2);
    EXPECT_NEAR(xy[0], 0.0, 0.01);  // easting first
    EXPECT_NEAR(xy[1], 55449, 2);
    EXPECT_GT(xy[2], 46000);  // 0.5° east at 33°N is about 46.7 km
    EXPECT_NEAR(xy[3], 0.0, 200);
    transformInterleaved(pj.get(), PJ_INV, xy, 2);
    EXPECT_NEAR(xy[0], 133.5, 1e-9);
    EXPECT_NEAR(xy[1], 33.5, 1e-9);
}

TEST(Proj, AnUnknownCrsIsAnErrorNamingIt) {
    const ProjContextPtr ctx = makeProjContext();
    try {
        makeCrsToCrs(ctx.get(), "EPSG:6668", "EPSG:999999");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("EPSG:999999"), std::string::npos) << e.what();
    }
}
