// PlanCoverage on the national database: after every place, move and delete the incremental
// figures equal a full computeCoverage run with the planned hubs appended to the dataset, to
// the last bit (municipality, prefecture and nation rows; area, settlements, people).

#include "analysis/plan_coverage.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/error.hpp"
#include "io/store.hpp"
#include "test_util.hpp"

using namespace hubmap;
using hubmap::test::kNationalDb;

namespace {

class PlanCoverageTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { data_ = new Dataset(loadDataset(kNationalDb)); }
    static void TearDownTestSuite() {
        delete data_;
        data_ = nullptr;
    }
    static Dataset& data() { return *data_; }

    static CoverageOptions kochi(const std::string& radius) {
        CoverageOptions o;
        o.prefectures = {"高知県"};
        parseRadiusSpec(radius, o);
        o.threads = 2;
        return o;
    }

    /// computeCoverage with the plan's hubs appended to the dataset (the equivalence in
    /// plan_coverage.hpp), the dataset restored afterwards.
    static CoverageResult fullRun(const PlanCoverage& plan) {
        Dataset& d = data();
        const size_t before = d.hubs.size();
        CoverageOptions o = plan.options();
        for (const PlannedHub& p : plan.hubs()) {
            Hub h;
            h.id = "plan-" + std::to_string(p.id);
            h.kind = p.kind;
            h.lon = p.lon;
            h.lat = p.lat;
            h.precision = "exact";
            d.hubs.push_back(std::move(h));
            if (!o.kinds.empty()) o.kinds.push_back(p.kind);
        }
        Progress quiet;
        CoverageResult r;
        try {
            r = computeCoverage(d, o, quiet);
        } catch (...) {
            d.hubs.resize(before);
            throw;
        }
        d.hubs.resize(before);
        return r;
    }

    static void expectTotalsEqual(const CoverageTotals& a, const CoverageTotals& b, const std::string& what) {
        EXPECT_EQ(a.designated, b.designated) << what;
        EXPECT_EQ(a.covered, b.covered) << what;
        EXPECT_EQ(a.hubs, b.hubs) << what;
        EXPECT_EQ(a.prefectureOnlyHubs, b.prefectureOnlyHubs) << what;
        EXPECT_EQ(a.designatedKm2, b.designatedKm2) << what;
        EXPECT_EQ(a.coveredKm2, b.coveredKm2) << what;
        EXPECT_EQ(a.coveredShare, b.coveredShare) << what;
        EXPECT_EQ(a.settlements, b.settlements) << what;
        EXPECT_EQ(a.settlementsCovered, b.settlementsCovered) << what;
        EXPECT_EQ(a.settlementShare, b.settlementShare) << what;
        EXPECT_EQ(a.population, b.population) << what;
        EXPECT_EQ(a.populationCovered, b.populationCovered) << what;
        EXPECT_EQ(a.populationShare, b.populationShare) << what;
        EXPECT_EQ(a.uncoveredCodes, b.uncoveredCodes) << what;
    }

    /// The plan's figures against a full run, every row and total.
    static void expectEqualsFullRun(const PlanCoverage& plan, const std::string& step) {
        const CoverageResult full = fullRun(plan);
        const CoverageResult& inc = plan.result();
        ASSERT_EQ(inc.municipalities.size(), full.municipalities.size()) << step;
        for (size_t i = 0; i < full.municipalities.size(); ++i) {
            const MunicipalityCoverage& a = inc.municipalities[i];
            const MunicipalityCoverage& b = full.municipalities[i];
            const std::string what = step + ": " + b.code + " " + b.name;
            ASSERT_EQ(a.code, b.code) << what;
            EXPECT_EQ(a.hubIndices, b.hubIndices) << what;
            EXPECT_EQ(a.hubs, b.hubs) << what;
            EXPECT_EQ(a.covered, b.covered) << what;
            EXPECT_EQ(a.coveredKm2, b.coveredKm2) << what;
            EXPECT_EQ(a.coveredShare, b.coveredShare) << what;
            EXPECT_EQ(a.settlements, b.settlements) << what;
            EXPECT_EQ(a.settlementsCovered, b.settlementsCovered) << what;
            EXPECT_EQ(a.population, b.population) << what;
            EXPECT_EQ(a.populationCovered, b.populationCovered) << what;
            EXPECT_EQ(a.populationShare, b.populationShare) << what;
        }
        ASSERT_EQ(inc.prefectures.size(), full.prefectures.size()) << step;
        for (size_t i = 0; i < full.prefectures.size(); ++i) {
            EXPECT_EQ(inc.prefectures[i].code, full.prefectures[i].code) << step;
            expectTotalsEqual(inc.prefectures[i].totals, full.prefectures[i].totals,
                              step + ": prefecture " + full.prefectures[i].name);
        }
        expectTotalsEqual(inc.nation, full.nation, step + ": nation");
    }

    static Dataset* data_;
};
Dataset* PlanCoverageTest::data_ = nullptr;

// Places in 高知県: 土佐山 and 鏡 (高知市's designated part), the city centre (outside the
// part), 西土佐 (四万十市's part), 檮原, 室戸 and a point at sea off the coast.
constexpr double kTosayama[2] = {133.59, 33.65};
constexpr double kKagami[2] = {133.45, 33.62};
constexpr double kKochiCentre[2] = {133.531, 33.559};
constexpr double kNishitosa[2] = {132.78, 33.17};
constexpr double kYusuhara[2] = {132.93, 33.39};
constexpr double kMuroto[2] = {134.15, 33.29};

TEST_F(PlanCoverageTest, EverySequenceOfChangesEqualsAFullRun) {
    Progress quiet;
    PlanCoverage plan(data(), kochi("5"), quiet);
    expectEqualsFullRun(plan, "start");
    const int a = plan.add(kTosayama[0], kTosayama[1]);
    expectEqualsFullRun(plan, "add 土佐山");
    EXPECT_GT(plan.lastUpdate().rowsMeasured, 0);
    const int b = plan.add(kNishitosa[0], kNishitosa[1], "small_hub");
    expectEqualsFullRun(plan, "add 西土佐 (small_hub)");
    const int c = plan.add(kKochiCentre[0], kKochiCentre[1]);
    expectEqualsFullRun(plan, "add the city centre");
    plan.move(a, kKagami[0], kKagami[1]);
    expectEqualsFullRun(plan, "move 土佐山 → 鏡");
    plan.move(c, kYusuhara[0], kYusuhara[1]);
    expectEqualsFullRun(plan, "move the centre → 檮原");
    plan.remove(a);
    expectEqualsFullRun(plan, "remove 鏡");
    const int d = plan.add(kMuroto[0], kMuroto[1]);
    expectEqualsFullRun(plan, "add 室戸");
    plan.move(b, kYusuhara[0] + 0.02, kYusuhara[1]);  // overlaps hub c
    expectEqualsFullRun(plan, "move 西土佐 next to 檮原");
    plan.remove(c);
    plan.remove(d);
    expectEqualsFullRun(plan, "remove two");
    ASSERT_EQ(plan.hubs().size(), 1u);
    EXPECT_EQ(plan.hubs()[0].id, b);
    plan.clear();
    expectEqualsFullRun(plan, "clear");
    EXPECT_TRUE(plan.hubs().empty());
}

TEST_F(PlanCoverageTest, RandomDragsEqualAFullRun) {
    // A drag is many small moves; random walks over the prefecture, with per-kind radii so
    // that a planned hub's radius differs from the existing hubs'.
    Progress quiet;
    PlanCoverage plan(data(), kochi("6,small_hub=4"), quiet);
    std::mt19937 rng(16);
    std::uniform_real_distribution<double> lon(132.6, 134.2), lat(32.8, 33.85), step(-0.03, 0.03);
    const int x = plan.add(lon(rng), lat(rng));
    const int y = plan.add(lon(rng), lat(rng), "small_hub");
    for (int i = 0; i < 6; ++i) {
        const PlannedHub& h = *plan.find(i % 2 ? y : x);
        plan.move(h.id, h.lon + step(rng), h.lat + step(rng));
        expectEqualsFullRun(plan, "drag step " + std::to_string(i));
    }
}

TEST_F(PlanCoverageTest, ALargerPlannedRadiusMeasuresEveryRowAgain) {
    Progress quiet;
    // Every existing kind 5 km, the planned kind (radiusKm) 12 km.
    PlanCoverage plan(data(), kochi("12,small_hub=5,rmo=5,activity_centre=5,model_project=5"), quiet);
    plan.add(kYusuhara[0], kYusuhara[1]);
    expectEqualsFullRun(plan, "add a 12 km hub");
    const int rows = static_cast<int>(plan.result().municipalities.size());
    const int id = plan.add(kMuroto[0], kMuroto[1], "small_hub");
    EXPECT_LT(plan.lastUpdate().rowsMeasured, rows) << "a 5 km hub reaches a few rows";
    plan.remove(plan.hubs()[0].id);
    EXPECT_EQ(plan.lastUpdate().rowsMeasured, rows) << "the largest radius fell: every row's candidates changed";
    expectEqualsFullRun(plan, "remove the 12 km hub");
    plan.remove(id);
}

TEST_F(PlanCoverageTest, AHubThatCoversNothingNewChangesNothing) {
    Progress quiet;
    PlanCoverage plan(data(), kochi("5"), quiet);
    const CoverageTotals before = plan.result().nation;
    // At sea, 200 km off the coast: no row within reach, no presence.
    plan.add(134.0, 31.0);
    EXPECT_EQ(plan.lastUpdate().rowsMeasured, 0);
    expectTotalsEqual(plan.result().nation, before, "at sea");
    for (const PrefectureCoverage& p : plan.result().prefectures) {
        expectTotalsEqual(p.totals, plan.prefecturesBefore()[0].totals, "at sea: " + p.name);
    }
    // On top of an existing hub of the query: presence may change, the people and
    // settlements reached do not.
    const CoverageResult& r = plan.result();
    int onTop = -1;
    for (int i : r.hubsUsed) {
        const Hub& h = data().hubs[static_cast<size_t>(i)];
        if (h.lon && h.lat && h.kind == "activity_centre") onTop = i;
    }
    ASSERT_GE(onTop, 0);
    const Hub& existing = data().hubs[static_cast<size_t>(onTop)];
    plan.add(*existing.lon, *existing.lat);
    EXPECT_GT(plan.lastUpdate().rowsMeasured, 0);
    EXPECT_EQ(plan.result().nation.populationCovered, before.populationCovered);
    EXPECT_EQ(plan.result().nation.settlementsCovered, before.settlementsCovered);
    EXPECT_NEAR(*plan.result().nation.coveredKm2, *before.coveredKm2, 1e-6 * *before.coveredKm2);
    expectEqualsFullRun(plan, "on an existing hub");
}

TEST_F(PlanCoverageTest, BadChangesAreUsageErrors) {
    Progress quiet;
    CoverageOptions o = kochi("5");
    o.kinds = {"activity_centre"};
    PlanCoverage plan(data(), o, quiet);
    EXPECT_THROW(plan.add(133, 33, "small_hub"), UsageError) << "existing hubs of the kind are left out of the query";
    EXPECT_NO_THROW(plan.remove(plan.add(133, 33, "activity_centre")));
    EXPECT_NO_THROW(plan.remove(plan.add(133, 33)));
    EXPECT_THROW(plan.add(200, 33), UsageError);
    EXPECT_THROW(plan.add(133, std::nan("")), UsageError);
    EXPECT_THROW(plan.move(42, 133, 33), UsageError);
    EXPECT_THROW(plan.remove(42), UsageError);
    EXPECT_TRUE(plan.hubs().empty());
}

TEST_F(PlanCoverageTest, HubsToStoreNameTheirMunicipality) {
    Progress quiet;
    PlanCoverage plan(data(), kochi("5"), quiet);
    plan.add(kYusuhara[0], kYusuhara[1]);
    plan.add(134.0, 31.0);
    const std::vector<Hub> hubs = plan.asHubs("my-plan");
    ASSERT_EQ(hubs.size(), 2u);
    EXPECT_EQ(hubs[0].id, "my-plan-1");
    EXPECT_EQ(hubs[0].kind, "planned");
    EXPECT_EQ(hubs[0].code.substr(0, 2), "39");
    EXPECT_FALSE(hubs[0].municipality.empty());
    EXPECT_EQ(hubs[0].prefecture, "高知県");
    EXPECT_EQ(hubs[1].code, "") << "at sea";
}

}  // namespace
