// Residents within reach on the national database, against an independent computation:
// Kochi's designated municipalities with the embedded hubs and a 10 km radius. The reference
// reads the vendored small areas itself (zlib), keeps every point where the census put it (no
// snapping), and tests every point against every hub with PROJ's geod_inverse (brute force, no
// index, no bounds): hubmap's figures must agree within 0.5 % of each municipality's population.

#include <geodesic.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

#include "analysis/coverage.hpp"
#include "core/geos.hpp"
#include "io/store.hpp"
#include "test_util.hpp"

using namespace hubmap;

namespace {

struct Area {
    std::string code;
    long long population = 0;
    double lon = 0, lat = 0;
};

/// The small areas of prefecture `pref` ("39"), read line by line from the gzip file.
std::vector<Area> readSmallAreas(const std::string& file, const std::string& pref) {
    gzFile in = gzopen(file.c_str(), "rb");
    if (!in) throw std::runtime_error("cannot open " + file);
    std::vector<Area> out;
    char buffer[4096];
    bool header = true;
    while (gzgets(in, buffer, sizeof buffer)) {
        if (header) {  // key_code,municipality_code_2015,name,population,lon,lat
            header = false;
            continue;
        }
        std::vector<std::string> cols;
        std::stringstream line(buffer);
        for (std::string col; std::getline(line, col, ',');) cols.push_back(col);
        if (cols.size() != 6) throw std::runtime_error(std::string("bad line: ") + buffer);
        if (cols[1].compare(0, 2, pref) != 0) continue;
        out.push_back(Area{cols[1], std::stoll(cols[3]), std::stod(cols[4]), std::stod(cols[5])});
    }
    gzclose(in);
    return out;
}

/// The national database fully loaded, once for the suite (both tests read it, neither changes it).
class PopulationNational : public ::testing::Test {
protected:
    static void SetUpTestSuite() { full_ = new Dataset(loadDataset(test::kNationalDb)); }
    static void TearDownTestSuite() {
        delete full_;
        full_ = nullptr;
    }
    static const Dataset& full() { return *full_; }

private:
    static Dataset* full_;
};
Dataset* PopulationNational::full_ = nullptr;

}  // namespace

TEST_F(PopulationNational, KochiWithinTenKilometresAgreesWithABruteForceGeodesic) {
    const Dataset& data = full();
    CoverageOptions options;
    options.prefectures = {"高知県"};
    options.radiusKm = 10.0;
    Progress progress;
    const CoverageResult result = computeCoverage(data, options, progress);
    ASSERT_GT(result.municipalities.size(), 25u);

    geod_geodesic grs80;
    geod_init(&grs80, 6378137.0, 1.0 / 298.257222101);
    std::vector<std::pair<double, double>> hubs;
    for (int i : result.hubsUsed) {
        const Hub& h = data.hubs[static_cast<size_t>(i)];
        if (h.lon && h.lat) hubs.emplace_back(*h.lon, *h.lat);
    }
    ASSERT_GT(hubs.size(), 100u);

    const std::vector<Area> areas =
        readSmallAreas(std::string(test::kGeodataDir) + "/population/small_areas_2015.csv.gz", "39");
    ASSERT_GT(areas.size(), 1000u);
    GeosContext ctx;
    long long totalReference = 0, totalHubmap = 0, totalPopulation = 0;
    for (const MunicipalityCoverage& m : result.municipalities) {
        SCOPED_TRACE(m.code + " " + m.name);
        // 一部過疎: the designated part decides which small areas count (高知市, 四万十市, 香南市, …).
        PreparedPtr part;
        GeomPtr partGeom;
        if (m.measuredOn == MeasuredOn::FormerMunicipalities) {
            partGeom = clone(ctx, data.designatedPartOf(m.code)->geom.get());
            part = prepare(ctx, partGeom.get());
        }
        long long population = 0, covered = 0;
        for (const Area& a : areas) {
            if (a.code != m.code) continue;
            if (part) {
                const GeomPtr point = makePoint(ctx, a.lon, a.lat);
                if (GEOSPreparedIntersects_r(ctx, part.get(), point.get()) != 1) continue;
            }
            population += a.population;
            bool reached = false;
            for (const auto& [lon, lat] : hubs) {
                double metres = 0;
                geod_inverse(&grs80, a.lat, a.lon, lat, lon, &metres, nullptr, nullptr);
                if (metres <= 10000.0) {
                    reached = true;
                    break;
                }
            }
            if (reached) covered += a.population;
        }
        ASSERT_TRUE(m.population && m.populationCovered);
        EXPECT_LE(std::llabs(*m.populationCovered - covered), static_cast<long long>(0.005 * population) + 1)
            << "hubmap " << *m.populationCovered << " of " << *m.population << ", reference " << covered << " of "
            << population;
        if (m.measuredOn != MeasuredOn::FormerMunicipalities) {
            EXPECT_EQ(*m.population, population);
        }
        totalReference += covered;
        totalHubmap += *m.populationCovered;
        totalPopulation += population;
    }
    EXPECT_NEAR(static_cast<double>(totalHubmap), static_cast<double>(totalReference), 0.005 * totalReference);
    std::cout << "高知県, R = 10 km: hubmap " << totalHubmap << ", reference " << totalReference << " of "
              << totalPopulation << " residents\n";
}

// The query commands load the points of designated municipalities only
// (LoadOptions::pointsOfDesignatedOnly): exactly those of the full load, and a query's
// figures the same to the last resident and settlement.
TEST_F(PopulationNational, PointsOfDesignatedMunicipalitiesOnlyGiveTheSameCoverage) {
    const Dataset& full = PopulationNational::full();
    LoadOptions only;
    only.pointsOfDesignatedOnly = true;
    const Dataset part = loadDataset(test::kNationalDb, only);
    auto designated = [&](const std::string& code) {
        return std::any_of(full.designations.begin(), full.designations.end(),
                           [&](const Designation& d) { return d.code == code; });
    };
    std::vector<const PopulationPoint*> expectedPopulation;
    for (const PopulationPoint& p : full.population) {
        if (designated(p.code)) expectedPopulation.push_back(&p);
    }
    ASSERT_GT(expectedPopulation.size(), 10000u);
    ASSERT_LT(expectedPopulation.size(), full.population.size());
    ASSERT_EQ(part.population.size(), expectedPopulation.size());
    for (std::size_t i = 0; i < part.population.size(); ++i) {
        const PopulationPoint &a = part.population[i], &b = *expectedPopulation[i];
        ASSERT_TRUE(a.code == b.code && a.name == b.name && a.population == b.population && a.method == b.method &&
                    a.lon == b.lon && a.lat == b.lat)
            << i << ": " << a.code << " " << a.name << " / " << b.code << " " << b.name;
    }
    std::vector<const Settlement*> expectedSettlements;
    for (const Settlement& s : full.settlements) {
        if (designated(s.code)) expectedSettlements.push_back(&s);
    }
    ASSERT_GT(expectedSettlements.size(), 10000u);
    ASSERT_LT(expectedSettlements.size(), full.settlements.size());
    ASSERT_EQ(part.settlements.size(), expectedSettlements.size());
    for (std::size_t i = 0; i < part.settlements.size(); ++i) {
        const Settlement &a = part.settlements[i], &b = *expectedSettlements[i];
        ASSERT_TRUE(a.code == b.code && a.town == b.town && a.lon == b.lon && a.lat == b.lat) << i;
    }
    // Whole nation without a radius, and Kochi within 10 km (its 一部過疎 parts included).
    CoverageOptions nation, kochi;
    kochi.prefectures = {"高知県"};
    kochi.radiusKm = 10.0;
    for (const CoverageOptions& o : {nation, kochi}) {
        Progress progress;
        const CoverageResult a = computeCoverage(full, o, progress), b = computeCoverage(part, o, progress);
        ASSERT_EQ(a.municipalities.size(), b.municipalities.size());
        for (std::size_t i = 0; i < a.municipalities.size(); ++i) {
            const MunicipalityCoverage &x = a.municipalities[i], &y = b.municipalities[i];
            EXPECT_EQ(x.population, y.population) << x.code;
            EXPECT_EQ(x.populationCovered, y.populationCovered) << x.code;
            EXPECT_EQ(x.settlements, y.settlements) << x.code;
            EXPECT_EQ(x.settlementsCovered, y.settlementsCovered) << x.code;
        }
        ASSERT_TRUE(a.nation.population && b.nation.population);
        EXPECT_EQ(*a.nation.population, *b.nation.population);
        EXPECT_EQ(a.nation.populationCovered, b.nation.populationCovered);
        EXPECT_EQ(a.nation.settlements, b.nation.settlements);
    }
}
