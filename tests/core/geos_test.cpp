#include "core/geos.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace hubmap;

TEST(Geos, MakeValidTurnsABowtieIntoAMultiPolygon) {
    GeosContext ctx;
    GeomPtr bowtie = geomFromWKT(ctx, "POLYGON((0 0,1 1,1 0,0 1,0 0))");
    EXPECT_EQ(GEOSisValid_r(ctx, bowtie.get()), 0);
    GeomPtr fixed = makeValidMultiPolygon(ctx, bowtie.get());
    EXPECT_EQ(GEOSisValid_r(ctx, fixed.get()), 1);
    EXPECT_EQ(GEOSGeomTypeId_r(ctx, fixed.get()), GEOS_MULTIPOLYGON);
    EXPECT_EQ(GEOSGetNumGeometries_r(ctx, fixed.get()), 2);
}

TEST(Geos, DissolveMergesEdgeMatchedPolygons) {
    GeosContext ctx;
    GeomPtr a = geomFromWKT(ctx, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    GeomPtr b = geomFromWKT(ctx, "POLYGON((1 0,2 0,2 1,1 1,1 0))");
    GeomPtr u = dissolve(ctx, {a.get(), b.get()});
    double area = 0;
    GEOSArea_r(ctx, u.get(), &area);
    EXPECT_DOUBLE_EQ(area, 2.0);
    EXPECT_EQ(GEOSGetNumGeometries_r(ctx, u.get()), 1);
}

TEST(Geos, DissolveFallsBackWhenPolygonsOverlap) {
    GeosContext ctx;
    GeomPtr a = geomFromWKT(ctx, "POLYGON((0 0,2 0,2 1,0 1,0 0))");
    GeomPtr b = geomFromWKT(ctx, "POLYGON((1 0,3 0,3 1,1 1,1 0))");
    GeomPtr u = dissolve(ctx, {a.get(), b.get()});
    double area = 0;
    GEOSArea_r(ctx, u.get(), &area);
    EXPECT_DOUBLE_EQ(area, 3.0);
}

TEST(Geos, ErrorsCarryTheGeosMessage) {
    GeosContext ctx, other;
    try {
        geomFromWKT(ctx, "POLYGON((0 0,1 0");
        FAIL() << "expected an exception";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("WKT read"), std::string::npos) << what;
        // GEOS's own words reached the context that failed, and the exception carries them.
        EXPECT_NE(ctx.lastError().find("ParseException"), std::string::npos) << ctx.lastError();
        EXPECT_NE(what.find(ctx.lastError()), std::string::npos) << what;
        EXPECT_EQ(what.find("no detail"), std::string::npos) << what;
    }
    EXPECT_TRUE(other.lastError().empty()) << "an error routed to the wrong context: " << other.lastError();
}
