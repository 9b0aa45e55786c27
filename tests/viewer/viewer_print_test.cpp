// The print page and the 大字 labels without a window: page sizes, the layout, the view a
// print shows, the text it prints, and the place-name index.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/credits.hpp"
#include "core/error.hpp"
#include "viewer/colour_scheme.hpp"
#include "viewer/place_names.hpp"
#include "viewer/print_layout.hpp"
#include "viewer/viewer_options.hpp"

namespace hubmap::viewer {
namespace {

bool inside(const ScreenRect& inner, const ScreenRect& outer) {
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width &&
           inner.y + inner.height <= outer.y + outer.height;
}

bool overlap(const ScreenRect& a, const ScreenRect& b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

TEST(Print, PaperSizesInPixels) {
    PrintSpec spec;  // A4 landscape at 300 dpi
    EXPECT_EQ(pageSize(spec).width, 3508);
    EXPECT_EQ(pageSize(spec).height, 2480);
    spec.paper = Paper::A3;
    EXPECT_EQ(pageSize(spec).width, 4961);
    EXPECT_EQ(pageSize(spec).height, 3508);
    spec.landscape = false;
    EXPECT_EQ(pageSize(spec).width, 3508);
    EXPECT_EQ(pageSize(spec).height, 4961);
    spec = PrintSpec{};
    spec.dpi = 150;
    EXPECT_EQ(pageSize(spec).width, 1754);
    EXPECT_EQ(pageSize(spec).height, 1240);
    EXPECT_EQ(parsePaper("A3"), Paper::A3);
    EXPECT_EQ(parsePaper("a4"), Paper::A4);
    EXPECT_FALSE(parsePaper("letter"));
    EXPECT_NO_THROW(checkPrintDpi(300));
    EXPECT_THROW(checkPrintDpi(71), UsageError);
    EXPECT_THROW(checkPrintDpi(601), UsageError);
}

TEST(Print, LayoutKeepsEveryPartOnThePageAndApart) {
    for (const Paper paper : {Paper::A4, Paper::A3}) {
        for (const bool landscape : {true, false}) {
            for (const int dpi : {72, 300}) {
                const PrintSpec spec{paper, landscape, dpi, ""};
                const PrintLayout l = printLayout(spec);
                const ScreenRect page{0, 0, static_cast<double>(l.page.width), static_cast<double>(l.page.height)};
                const ScreenRect parts[] = {l.title, l.map, l.side, l.footer};
                for (const ScreenRect& p : parts) {
                    EXPECT_TRUE(inside(p, page)) << dpi;
                    EXPECT_GT(p.width, 0);
                    EXPECT_GT(p.height, 0);
                }
                for (std::size_t i = 0; i < std::size(parts); ++i) {
                    for (std::size_t j = i + 1; j < std::size(parts); ++j) EXPECT_FALSE(overlap(parts[i], parts[j]));
                }
                // The map takes most of the page; ten legend rows fit the side column.
                EXPECT_GT(l.map.width * l.map.height, 0.45 * l.page.width * l.page.height);
                EXPECT_TRUE(inside(l.legendSwatch(9), l.side));
                EXPECT_FALSE(overlap(l.legendSwatch(0), l.legendSwatch(1)));
                // Text sizes follow the resolution: 8 pt body text has a 33 px em at 300 dpi.
                EXPECT_NEAR(l.bodyPx / kFontLinePerEm, 8.0 * dpi / 72, 1e-3);
                EXPECT_DOUBLE_EQ(l.pixelScale, dpi / 96.0);
            }
        }
    }
}

TEST(Print, TheViewShowsAllTheScreenShowsAroundTheSameCentre) {
    ViewTransform screen;
    screen.setWindow(1600, 1000, mapAreaFor(1600, 1000, true));
    screen.setCentre({12345, -67890});
    screen.setZoomLevel(14.5);  // near the screen's limit: the print goes past it
    const PrintLayout l = printLayout(PrintSpec{});
    const ViewTransform print = printView(screen, l);
    const ScreenPoint c = print.toScreen(screen.centre());
    EXPECT_NEAR(c.x, l.map.centre().x, 1e-6);
    EXPECT_NEAR(c.y, l.map.centre().y, 1e-6);
    const ScreenRect& a = screen.mapArea();
    for (const ScreenPoint corner : {ScreenPoint{a.x, a.y}, ScreenPoint{a.x + a.width, a.y + a.height}}) {
        const ScreenPoint p = print.toScreen(screen.toWorld(corner));
        EXPECT_GE(p.x, l.map.x - 1e-6);
        EXPECT_LE(p.x, l.map.x + l.map.width + 1e-6);
        EXPECT_GE(p.y, l.map.y - 1e-6);
        EXPECT_LE(p.y, l.map.y + l.map.height + 1e-6);
    }
    // One axis fills the map rectangle: no more ground than needed.
    const double fx = a.width * print.pixelsPerMetre() / screen.pixelsPerMetre() / l.map.width;
    const double fy = a.height * print.pixelsPerMetre() / screen.pixelsPerMetre() / l.map.height;
    EXPECT_NEAR(std::max(fx, fy), 1.0, 1e-9);
    EXPECT_GT(print.zoomLevel(), ViewTransform::kMaxZoom);
}

TEST(Print, TitleQueryAndCreditsSayWhatWasAsked) {
    Dataset data;
    data.sources.push_back(
        SourceInfo{"過疎地域市町村等一覧 (総務省)", "2022-04-01", "", "総務省「過疎地域市町村等一覧」", 885});
    data.sources.push_back(SourceInfo{"boundaries", "2021-01-01", "", kMlitBoundaryCredit, 1906});
    CoverageOptions q;
    EXPECT_EQ(defaultPrintTitle(q, ColourMode::Designation), "過疎地域の指定");
    EXPECT_EQ(defaultPrintTitle(q, ColourMode::Coverage), "拠点のある過疎市町村");
    q.radiusKm = 7.5;
    q.prefectures = {"高知県"};
    EXPECT_EQ(defaultPrintTitle(q, ColourMode::Coverage), "高知県 過疎地域のカバー率（拠点から 7.5 km 以内の面積）");

    q.designations = {DesignationType::Full, DesignationType::Partial};
    q.kinds = {"rmo"};
    q.openedBefore = "2023-04";
    const std::vector<std::string> lines =
        printQueryLines(q, {"rmo", "small_hub"}, {"地域運営組織", "小さな拠点"}, data);
    auto has = [&](const std::string& text) { return std::find(lines.begin(), lines.end(), text) != lines.end(); };
    EXPECT_TRUE(has("Designations: 全部過疎, 一部過疎 (designated part)"));
    EXPECT_TRUE(has("Prefectures: 高知県"));
    EXPECT_TRUE(has("Hub kinds: 地域運営組織"));
    EXPECT_TRUE(has("Radius: 7.5 km from every hub"));
    EXPECT_TRUE(has("Hubs opened before 2023-04"));
    EXPECT_TRUE(has("Data: 過疎地域市町村等一覧 (総務省) (2022-04-01)"));
    q = CoverageOptions{};
    const std::vector<std::string> plain =
        printQueryLines(q, {"rmo", "small_hub"}, {"地域運営組織", "小さな拠点"}, data);
    EXPECT_NE(std::find(plain.begin(), plain.end(), "Hub kinds: all (地域運営組織, 小さな拠点)"), plain.end());
    EXPECT_NE(std::find(plain.begin(), plain.end(), "Radius: none (a hub inside the municipality counts)"),
              plain.end());
    // MLIT's credit first and once, then the others.
    const std::vector<std::string> credits = printCredits(data);
    ASSERT_EQ(credits.size(), 2u);
    EXPECT_EQ(credits[0], kMlitBoundaryCredit);
    EXPECT_EQ(credits[1], "総務省「過疎地域市町村等一覧」");
    EXPECT_EQ(printMadeLine("2026-12-03").rfind("Made 2026-12-03 with hubmap ", 0), 0u);
    EXPECT_EQ(todayUtc().size(), 10u);
}

TEST(PlaceNames, FindsExactlyThePointsInABoxAndThinsEvenly) {
    Dataset data;
    std::mt19937 random(7);
    std::uniform_real_distribution<double> lon(133.0, 134.0), lat(33.0, 34.0);
    for (int i = 0; i < 5000; ++i) data.settlements.push_back(Settlement{"39364", lon(random), lat(random), "大字"});
    const MapProjection projection;
    const PlaceNameIndex index(data, projection);
    ASSERT_EQ(index.size(), 5000u);
    const WorldPoint a = projection.forward(133.3, 33.2), b = projection.forward(133.6, 33.55);
    WorldBounds box;
    box.expand(a.x, a.y);
    box.expand(b.x, b.y);
    std::vector<std::size_t> expected;
    for (std::size_t i = 0; i < index.size(); ++i) {
        if (box.contains(index.point(i).x, index.point(i).y)) expected.push_back(i);
    }
    ASSERT_GT(expected.size(), 300u);
    std::vector<std::size_t> found = index.within(box, 100000);
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, expected);
    // Capped: that many, all in the box, from across the box (not one corner's cells).
    const std::vector<std::size_t> capped = index.within(box, 50);
    ASSERT_EQ(capped.size(), 50u);
    double minY = 1e300, maxY = -1e300;
    for (std::size_t i : capped) {
        EXPECT_TRUE(box.contains(index.point(i).x, index.point(i).y));
        minY = std::min(minY, index.point(i).y);
        maxY = std::max(maxY, index.point(i).y);
    }
    EXPECT_GT(maxY - minY, 0.8 * (box.maxy - box.miny));
    EXPECT_TRUE(index.within(WorldBounds{}, 10).empty());
}

// The hover at high zoom: the population point nearest the cursor, none beyond the radius, and
// its label with the municipality, the residents grouped by thousands and the figure's source.
TEST(PlaceNames, PopulationNearTheCursorIsTheNearestPointWithinTheRadius) {
    Dataset data;
    Municipality ino;
    ino.code = "39386";
    ino.prefecture = "高知県";
    ino.county = "吾川郡";
    ino.name = "いの町";
    data.municipalities.push_back(std::move(ino));
    std::mt19937 random(11);
    std::uniform_real_distribution<double> lon(133.40, 133.50), lat(33.50, 33.60);
    for (int i = 0; i < 2000; ++i) {
        PopulationPoint p;
        p.code = "39386";
        p.name = "area " + std::to_string(i);
        p.population = 1000 + i;
        p.lon = lon(random);
        p.lat = lat(random);
        data.population.push_back(p);
    }
    const MapProjection projection;
    const PlaceNameIndex index(data, projection);
    for (int probe = 0; probe < 50; ++probe) {
        const WorldPoint at = projection.forward(lon(random), lat(random));
        const double radius = 300;  // metres: several points nearby, sometimes none
        const PopulationPoint* expected = nullptr;
        double best = radius * radius;
        for (const PopulationPoint& p : data.population) {
            const WorldPoint w = projection.forward(p.lon, p.lat);
            const double d2 = (w.x - at.x) * (w.x - at.x) + (w.y - at.y) * (w.y - at.y);
            if (d2 < best) {
                best = d2;
                expected = &p;
            }
        }
        EXPECT_EQ(index.populationNear(at, radius), expected) << "probe " << probe;
    }
    EXPECT_EQ(index.populationNear(projection.forward(135.0, 35.0), 1000), nullptr) << "far from every point";
    PopulationPoint big = data.population.front();
    big.population = 1234567;
    EXPECT_EQ(populationPointLabel(big, data),
              "area 0 (高知県吾川郡いの町)\n1,234,567 residents (2015 census small area)");
    big.method = PopulationMethod::RegisterSpread2022;
    big.population = 999;
    EXPECT_EQ(populationPointLabel(big, data),
              "area 0 (高知県吾川郡いの町)\n999 residents (2022 resident register, spread over the municipality's "
              "settlements)");
}

TEST(Colours, NeighbouringShareClassesAreToldApart) {
    EXPECT_NEAR(contrastRatio(Rgba{0, 0, 0, 255}, Rgba{255, 255, 255, 255}), 21.0, 1e-9);
    EXPECT_NEAR(contrastRatio(Rgba{44, 127, 184, 255}, Rgba{44, 127, 184, 255}), 1.0, 1e-9);
    for (int k = 0; k + 1 < kShareClasses; ++k) {
        const Rgba a = shareColour((k + 0.5) / kShareClasses), b = shareColour((k + 1.5) / kShareClasses);
        EXPECT_GT(contrastRatio(a, b), 1.5) << "classes " << k << " and " << k + 1;
    }
    // The two blues at the top (60-80 % and 80-100 %): at least 3:1, as WCAG asks of
    // graphics that must be told apart.
    EXPECT_GE(contrastRatio(shareColour(0.7), shareColour(0.9)), 3.0);
}

}  // namespace
}  // namespace hubmap::viewer
