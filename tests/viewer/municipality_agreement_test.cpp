// Coverage, the geocoder (and so import) and the viewer's hit test answer "which
// municipality holds this point" alike: by core/municipality_index.hpp's rule, on the
// hand-made boundary cases of tests/core/municipality_fixture.hpp.

#include <gtest/gtest.h>

#include <algorithm>

#include "analysis/coverage.hpp"
#include "core/municipality_fixture.hpp"
#include "core/municipality_index.hpp"
#include "io/geocode.hpp"
#include "io/schema.hpp"
#include "io/spatialite.hpp"
#include "test_util.hpp"
#include "viewer/hit_test.hpp"

using namespace hubmap;
using hubmap::test::boundaryCases;
using hubmap::test::boundaryDataset;

namespace {

/// The dataset's municipalities in a fresh hubmap database, for the geocoder.
void writeMunicipalities(const Dataset& data, const std::string& path) {
    Database db(path, Database::Mode::Create);
    Transaction t(db);
    createSchema(db);
    Statement ins = db.prepare(
        "INSERT INTO municipalities(code, prefecture_code, prefecture, county, name, designated_city,"
        " northern_territories, area_km2, geom) VALUES (?,?,?,?,?,0,0,?, GeomFromWKB(?, 6668))");
    for (const Municipality& m : data.municipalities) {
        ins.bind(1, m.code).bind(2, m.prefectureCode).bind(3, m.prefecture).bindOptional(4, m.county);
        ins.bind(5, m.name).bind(6, m.areaKm2).bind(7, geomToWKB(*data.ctx, m.geom.get()));
        ins.run();
    }
    t.commit();
}

}  // namespace

TEST(MunicipalityRule, CoverageGeocoderAndViewerAgree) {
    Dataset data = boundaryDataset();
    const auto cases = boundaryCases();
    for (size_t i = 0; i < cases.size(); ++i) {
        Hub h;
        h.id = "case" + std::to_string(i);
        h.kind = "small_hub";
        h.name = cases[i].name;
        h.code = cases[i].stated;
        h.lon = cases[i].lon;
        h.lat = cases[i].lat;
        h.precision = "exact";
        data.hubs.push_back(std::move(h));
    }
    Progress progress;
    const CoverageResult coverage = computeCoverage(data, CoverageOptions{}, progress);
    ASSERT_EQ(coverage.locatedIn.size(), cases.size());

    test::ScratchDir dir;
    const std::string dbPath = dir.file("boundaries.sqlite");
    writeMunicipalities(data, dbPath);
    Database db(dbPath, Database::Mode::ReadOnly);
    Geocoder geocoder(db);

    const viewer::MunicipalityLocator locator(data);

    for (size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        const int located = coverage.locatedIn[i];
        const std::string coverageCode = located >= 0 ? data.municipalities[static_cast<size_t>(located)].code : "";
        EXPECT_EQ(coverageCode, c.expected) << "coverage: " << c.name;
        const bool coverageAmbiguous =
            std::count(coverage.ambiguousHubs.begin(), coverage.ambiguousHubs.end(), static_cast<int>(i)) > 0;
        EXPECT_EQ(coverageAmbiguous, c.ambiguous) << "coverage: " << c.name;

        const PointLocation loc = geocoder.locate(c.lon, c.lat, c.stated);
        EXPECT_EQ(loc.code, c.expected) << "geocoder: " << c.name;
        EXPECT_EQ(loc.ambiguous, c.ambiguous) << "geocoder: " << c.name;
        if (!c.expected.empty()) {
            EXPECT_TRUE(geocoder.contains(c.expected, c.lon, c.lat)) << c.name;
        }

        // The viewer states no code: where the case states none it must give the same answer.
        if (c.stated.empty()) {
            const MunicipalityHit hit = locator.locate(c.lon, c.lat);
            const std::string viewerCode =
                hit.found() ? data.municipalities[static_cast<size_t>(hit.municipality)].code : "";
            EXPECT_EQ(viewerCode, c.expected) << "viewer: " << c.name;
            EXPECT_EQ(hit.ambiguous, c.ambiguous) << "viewer: " << c.name;
        }
    }
}
