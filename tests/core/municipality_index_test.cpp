// The one rule for "which municipality holds this point" (core/municipality_index.hpp):
// inside, exactly on a shared boundary (with and without a stated code), in an overlap of
// two polygons, at sea; and one index per thread over shared shapes.

#include "core/municipality_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "core/box_tree.hpp"
#include "core/parallel.hpp"
#include "municipality_fixture.hpp"

using namespace hubmap;
using hubmap::test::boundaryCases;
using hubmap::test::boundaryDataset;

namespace {

std::string codeOf(const Dataset& data, const MunicipalityHit& hit) {
    return hit.found() ? data.municipalities[static_cast<size_t>(hit.municipality)].code : "";
}

}  // namespace

TEST(MunicipalityIndex, FollowsTheBoundaryRule) {
    const Dataset data = boundaryDataset();
    const MunicipalityShapes shapes = MunicipalityShapes::of(data);
    GeosContext ctx;
    MunicipalityIndex index(ctx, shapes);
    for (const auto& c : boundaryCases()) {
        const MunicipalityHit hit = index.locate(c.lon, c.lat, c.stated);
        EXPECT_EQ(codeOf(data, hit), c.expected) << c.name;
        EXPECT_EQ(hit.ambiguous, c.ambiguous) << c.name;
        EXPECT_EQ(hit.onBoundary, c.onBoundary) << c.name;
    }
}

TEST(MunicipalityIndex, HoldsMeansLocateWithTheOwnCodeStated) {
    const Dataset data = boundaryDataset();
    const MunicipalityShapes shapes = MunicipalityShapes::of(data);
    GeosContext ctx;
    MunicipalityIndex index(ctx, shapes);
    // Both neighbours hold a point of their shared boundary; each side of the overlap holds it.
    EXPECT_TRUE(index.holds(0, 141.0, 40.4));
    EXPECT_TRUE(index.holds(1, 141.0, 40.4));
    EXPECT_TRUE(index.holds(3, 126.195, 26.1));
    EXPECT_TRUE(index.holds(4, 126.195, 26.1));
    EXPECT_FALSE(index.holds(1, 140.5, 40.4));
    EXPECT_FALSE(index.holds(0, 150.0, 40.0));
    EXPECT_FALSE(index.holds(99, 140.5, 40.4));  // no such municipality
}

TEST(MunicipalityIndex, TheTieBreakIsByCodeNotByPosition) {
    // The same two neighbours given in the opposite order: the lower code still wins.
    GeosContext ctx;
    const GeomPtr west = geomFromWKT(ctx, test::rectangleWkt(140.0, 40.0, 141.0, 40.8));
    const GeomPtr east = geomFromWKT(ctx, test::rectangleWkt(141.0, 40.0, 142.0, 40.8));
    const MunicipalityShapes shapes(ctx, {"90009", "90001"}, {west.get(), east.get()});
    MunicipalityIndex index(ctx, shapes);
    const MunicipalityHit hit = index.locate(141.0, 40.4);
    EXPECT_EQ(hit.municipality, 1);
    EXPECT_TRUE(hit.ambiguous);
    EXPECT_EQ(index.locate(141.0, 40.4, "90009").municipality, 0);
}

TEST(MunicipalityIndex, NonFiniteAndMissingPolygonsAreHeldByNone) {
    GeosContext ctx;
    const GeomPtr west = geomFromWKT(ctx, test::rectangleWkt(140.0, 40.0, 141.0, 40.8));
    const MunicipalityShapes shapes(ctx, {"90001", "90002"}, {west.get(), nullptr});
    MunicipalityIndex index(ctx, shapes);
    EXPECT_FALSE(index.locate(std::nan(""), 40.4).found());
    EXPECT_FALSE(index.locate(140.5, HUGE_VAL).found());
    EXPECT_EQ(index.locate(140.5, 40.4).municipality, 0);
    EXPECT_EQ(index.nearestInDegrees(143.0, 40.4), 0);
}

TEST(MunicipalityIndex, NearestAndNearFindTheNeighbours) {
    const Dataset data = boundaryDataset();
    const MunicipalityShapes shapes = MunicipalityShapes::of(data);
    GeosContext ctx;
    MunicipalityIndex index(ctx, shapes);
    EXPECT_EQ(index.nearestInDegrees(142.5, 40.4), 1);  // east of 90002
    EXPECT_EQ(index.nearestInDegrees(139.1, 37.5), 2);  // south of 90003
    EXPECT_EQ(index.nearestInDegrees(140.5, 40.4), 0);  // inside: distance 0
    EXPECT_EQ(index.near(Bounds{140.9, 40.1, 141.1, 40.2, false}), (std::vector<size_t>{0, 1}));
    EXPECT_TRUE(index.near(Bounds{150, 40, 151, 41, false}).empty());
}

TEST(MunicipalityIndex, OneIndexPerWorkerOverSharedShapesGivesTheSameAnswers) {
    const Dataset data = boundaryDataset();
    const MunicipalityShapes shapes = MunicipalityShapes::of(data);
    const auto cases = boundaryCases();
    constexpr size_t kRounds = 400;
    std::vector<std::string> found(cases.size() * kRounds);
    WorkQueue queue(found.size());
    runWorkers(4, queue, [&](int) {
        GeosContext ctx;
        MunicipalityIndex index(ctx, shapes);
        for (size_t i = 0; queue.next(i);) {
            const auto& c = cases[i % cases.size()];
            found[i] = codeOf(data, index.locate(c.lon, c.lat, c.stated));
        }
    });
    for (size_t i = 0; i < found.size(); ++i) {
        ASSERT_EQ(found[i], cases[i % cases.size()].expected) << cases[i % cases.size()].name << " round " << i;
    }
}

TEST(BoxTree, ItemsAreTheNumbersGiven) {
    GeosContext ctx;
    BoxTree tree(ctx);
    tree.insert(Bounds{0, 0, 1, 1, false}, 7);
    tree.insert(Bounds{2, 2, 3, 3, false}, 0);  // 0 is an item like any other (no i+1 encoding)
    tree.insertPoint(0.5, 0.5, 42);
    tree.insert(Bounds{}, 5);  // an empty box cannot be found: not inserted
    std::vector<size_t> out;
    tree.query(Bounds{0, 0, 3, 3, false}, out);
    EXPECT_EQ(out, (std::vector<size_t>{0, 7, 42}));
    tree.query(Bounds{2.5, 2.5, 2.6, 2.6, false}, out);
    EXPECT_EQ(out, (std::vector<size_t>{0}));
    EXPECT_EQ(tree.size(), 3u);
    const GeomPtr far = makePoint(ctx, 10, 10);
    auto toFar = [](size_t item) {  // from (10, 10) to each item's box
        const double corner = item == 0 ? 3.0 : item == 7 ? 1.0 : 0.5;
        return std::hypot(10 - corner, 10 - corner);
    };
    EXPECT_EQ(tree.nearest(far.get(), toFar), 0u);
    BoxTree empty(ctx);
    EXPECT_EQ(empty.nearest(far.get(), [](size_t) { return 0.0; }), BoxTree::npos);
}
