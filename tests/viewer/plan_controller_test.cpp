// The Plan tab's logic on the national database, without a window: hubs placed, moved and
// deleted through the controller; suggestions run, accepted and cancelled; the plan saved as
// an import source that coverage sees and that removing the source removes.

#include "viewer/plan_controller.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "core/error.hpp"
#include "io/hubs.hpp"
#include "io/store.hpp"
#include "test_util.hpp"

namespace hubmap::viewer {
namespace {

class PlanControllerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { data = new Dataset(loadDataset(test::kNationalDb)); }
    static void TearDownTestSuite() {
        delete data;
        data = nullptr;
    }
    static CoverageOptions kochi() {
        CoverageOptions o;
        o.prefectures = {"高知県"};
        o.radiusKm = 5;
        return o;
    }
    static Dataset* data;
};
Dataset* PlanControllerTest::data = nullptr;

TEST_F(PlanControllerTest, PlaceMoveDeleteUpdateTheFigures) {
    PlanController plan(*data, test::kNationalDb);
    EXPECT_EQ(plan.place(133.0, 33.4), -1) << "no query yet";
    EXPECT_TRUE(plan.failed());
    plan.setQuery(kochi());
    plan.wait();
    ASSERT_NE(plan.plan(), nullptr) << plan.message();
    const CoverageTotals before = plan.plan()->result().nation;

    const int id = plan.place(133.69908, 33.62359);  // 香美市 土佐山田町楠目: suggest's first site
    ASSERT_GE(id, 0) << plan.message();
    EXPECT_EQ(plan.selected(), id);
    const long long placed = *plan.plan()->result().nation.populationCovered;
    EXPECT_GT(placed, *before.populationCovered);
    plan.move(id, 133.45289, 33.55686);  // いの町 枝川
    EXPECT_NE(*plan.plan()->result().nation.populationCovered, placed);
    plan.remove(id);
    EXPECT_TRUE(plan.plan()->hubs().empty());
    EXPECT_EQ(plan.plan()->result().nation.populationCovered, before.populationCovered);
    EXPECT_EQ(plan.plan()->result().nation.coveredKm2, before.coveredKm2);
    EXPECT_EQ(plan.selected(), -1);

    // A new query keeps the hubs placed.
    plan.place(132.93, 33.39);
    CoverageOptions wider = kochi();
    wider.radiusKm = 8;
    plan.setQuery(wider);
    EXPECT_EQ(plan.plan(), nullptr) << "figures being recomputed";
    plan.wait();
    ASSERT_NE(plan.plan(), nullptr);
    ASSERT_EQ(plan.plan()->hubs().size(), 1u);
    EXPECT_EQ(*plan.plan()->options().radiusKm, 8.0);
}

TEST_F(PlanControllerTest, SuggestionsBecomePlannedHubs) {
    PlanController plan(*data, test::kNationalDb);
    plan.setQuery(kochi());
    plan.wait();
    ASSERT_NE(plan.plan(), nullptr) << plan.message();
    plan.place(132.93, 33.39);
    plan.suggestCount() = 4;
    plan.startSuggest();
    EXPECT_TRUE(plan.suggesting() || !plan.suggestions().empty() || plan.lastSuggestion());
    plan.wait();
    ASSERT_FALSE(plan.failed()) << plan.message();
    ASSERT_EQ(plan.suggestions().size(), 4u);
    ASSERT_TRUE(plan.lastSuggestion());
    EXPECT_EQ(plan.lastSuggestion()->before, *plan.plan()->result().nation.populationCovered)
        << "the planned hub is fixed in the suggestion, as in the plan's figures";
    for (size_t i = 1; i < plan.suggestions().size(); ++i) {
        EXPECT_GE(plan.suggestions()[i - 1].gain, plan.suggestions()[i].gain);
    }
    // Drop the last, move the third (back where it was: the same figures), accept the rest.
    plan.drop(3);
    const PlanSuggestion third = plan.suggestions()[2];
    plan.moveSuggestion(2, third.lon + 0.1, third.lat);
    plan.moveSuggestion(2, third.lon, third.lat);
    plan.acceptAll();
    EXPECT_TRUE(plan.suggestions().empty());
    ASSERT_EQ(plan.plan()->hubs().size(), 4u);
    long long gains = 0;
    for (size_t i = 0; i < 3; ++i) gains += plan.lastSuggestion()->sites[i].gain;
    EXPECT_EQ(*plan.plan()->result().nation.populationCovered, plan.lastSuggestion()->before + gains)
        << "accepted sites cover what the suggestion said";
}

TEST_F(PlanControllerTest, CancelledSuggestionLeavesThePlanUnchanged) {
    PlanController plan(*data, test::kNationalDb);
    CoverageOptions nation;
    nation.radiusKm = 5;
    plan.setQuery(nation);
    plan.wait();
    ASSERT_NE(plan.plan(), nullptr) << plan.message();
    const int id = plan.place(132.93, 33.39);
    const CoverageTotals before = plan.plan()->result().nation;
    plan.suggestCount() = 50;
    plan.startSuggest();
    ASSERT_TRUE(plan.suggesting());
    plan.cancelSuggest();
    plan.wait();
    EXPECT_FALSE(plan.suggesting());
    EXPECT_EQ(plan.message(), "suggestion cancelled");
    EXPECT_TRUE(plan.suggestions().empty());
    EXPECT_FALSE(plan.lastSuggestion());
    ASSERT_EQ(plan.plan()->hubs().size(), 1u);
    EXPECT_EQ(plan.plan()->hubs()[0].id, id);
    EXPECT_EQ(plan.plan()->result().nation.populationCovered, before.populationCovered);
    EXPECT_EQ(plan.plan()->result().nation.coveredKm2, before.coveredKm2);
}

TEST_F(PlanControllerTest, SuggestNeedsOneRadius) {
    PlanController plan(*data, test::kNationalDb);
    CoverageOptions o = kochi();
    o.radiusKmByKind["small_hub"] = 3;
    plan.setQuery(o);
    plan.wait();
    plan.startSuggest();
    EXPECT_FALSE(plan.suggesting());
    EXPECT_TRUE(plan.failed());
    EXPECT_NE(plan.message().find("radius"), std::string::npos) << plan.message();
}

// In a copy of the small database (高知県 whole, as the query asks): saving writes, and
// reloading reads, the same rows whatever the size of the rest of the country.
TEST_F(PlanControllerTest, SavedPlanIsAnImportSourceCoverageSeesAndRemovalRemoves) {
    test::ScratchDir dir;
    const std::string db = dir.file("plan.sqlite");
    std::filesystem::copy_file(test::kSmallDb, db);
    const Dataset small = loadDataset(db);
    PlanController plan(small, db);
    plan.setQuery(kochi());
    plan.wait();
    ASSERT_NE(plan.plan(), nullptr) << plan.message();
    plan.startSave();
    EXPECT_TRUE(plan.failed()) << "nothing to save";
    plan.place(132.93, 33.39);
    plan.place(134.15, 33.29);
    std::snprintf(plan.sourceBuffer(), PlanController::kSourceBufferSize, "%s", "kochi-plan");
    plan.startSave();
    plan.wait();
    ASSERT_FALSE(plan.failed()) << plan.message();
    EXPECT_TRUE(plan.takeSaved());
    EXPECT_FALSE(plan.takeSaved()) << "once";

    // Coverage of the saved database sees the two hubs, with the plan's figures.
    {
        const Dataset saved = loadDataset(db);
        int planned = 0;
        for (const Hub& h : saved.hubs) {
            if (h.importSource == "kochi-plan") {
                ++planned;
                EXPECT_EQ(h.kind, "planned");
            }
        }
        EXPECT_EQ(planned, 2);
        Progress quiet;
        const CoverageResult r = computeCoverage(saved, kochi(), quiet);
        EXPECT_EQ(r.nation.populationCovered, plan.plan()->result().nation.populationCovered);
        EXPECT_EQ(r.nation.coveredKm2, plan.plan()->result().nation.coveredKm2);
        EXPECT_EQ(r.nation.hubs, plan.plan()->result().nation.hubs);
    }
    // The same name again: refused, the database unchanged.
    const std::string checksum = test::databaseChecksum(db);
    plan.startSave();
    plan.wait();
    EXPECT_TRUE(plan.failed());
    EXPECT_NE(plan.message().find("kochi-plan"), std::string::npos) << plan.message();
    EXPECT_EQ(test::databaseChecksum(db), checksum);

    EXPECT_EQ(removeImportSource(db, "kochi-plan"), 2);
    const Dataset after = loadDataset(db);
    for (const Hub& h : after.hubs) EXPECT_NE(h.importSource, "kochi-plan");
    Progress quiet;
    const CoverageResult r = computeCoverage(after, kochi(), quiet);
    EXPECT_EQ(r.nation.populationCovered, plan.plan()->nationBefore().populationCovered);
}

}  // namespace
}  // namespace hubmap::viewer
