// The viewer's logic on the national database, without a window: hit-testing, search,
// map geometry, colours from a real coverage result, the background query runner, and
// the controllers the window delegates to (level loader, query, export).

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "core/geos.hpp"
#include "io/store.hpp"
#include "test_util.hpp"
#include "viewer/colour_scheme.hpp"
#include "viewer/coverage_runner.hpp"
#include "viewer/export_controller.hpp"
#include "viewer/hit_test.hpp"
#include "viewer/import_controller.hpp"
#include "viewer/level_loader.hpp"
#include "viewer/map_geometry.hpp"
#include "viewer/query_controller.hpp"
#include "viewer/search.hpp"
#include "viewer/table_tsv.hpp"

namespace hubmap::viewer {
namespace {

class ViewerNational : public ::testing::Test {
protected:
    static void SetUpTestSuite() { data = new Dataset(loadDataset(test::kNationalDb)); }
    static void TearDownTestSuite() {
        delete data;
        data = nullptr;
    }
    static int index(const char* code) {
        const int i = data->municipalityIndex(code);
        EXPECT_GE(i, 0) << code;
        return i;
    }
    static Dataset* data;
};
Dataset* ViewerNational::data = nullptr;

TEST_F(ViewerNational, LocatorFindsMunicipalitiesAndNotTheSea) {
    const MunicipalityLocator locator(*data);
    EXPECT_EQ(locator.find(133.43, 33.77), index("39364"));  // 高知県 大川村 (village office area)
    EXPECT_EQ(locator.find(141.35, 43.06), index("01100"));  // 札幌市 (a designated city, wards dissolved)
    EXPECT_EQ(locator.find(139.69, 35.69), index("13104"));  // 新宿区
    EXPECT_EQ(locator.find(135.0, 30.0), -1);                // Pacific Ocean
    EXPECT_EQ(locator.find(std::nan(""), 35.0), -1);
}

TEST_F(ViewerNational, HitTestGoesThroughTheViewAndTheProjection) {
    const MunicipalityLocator locator(*data);
    const MapProjection projection;
    ViewTransform view;
    view.setWindow(1600, 1000, mapAreaFor(1600, 1000, false));
    view.setCentre(projection.forward(133.43, 33.77));
    view.setZoomLevel(11);
    EXPECT_EQ(municipalityAt(locator, projection, view, view.mapArea().centre()), index("39364"));
}

TEST_F(ViewerNational, SearchByKanjiKanaOrCode) {
    const MunicipalitySearch search(*data, embeddedReadings());
    EXPECT_GT(search.readingCount(), 1700u);
    const int okawa = index("39364");
    auto contains = [](const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); };
    for (const char* query : {"高知県大川村", "高知県土佐郡大川村", "39364"}) {
        const std::vector<int> found = search.find(query);
        ASSERT_FALSE(found.empty()) << query;
        EXPECT_EQ(found.front(), okawa) << query;
    }
    EXPECT_TRUE(contains(search.find("おおかわむら"), okawa));
    EXPECT_TRUE(contains(search.find("オオカワムラ"), okawa));
    EXPECT_TRUE(contains(search.find("大川村", 50), okawa));
    // Variant spellings fold: 檮原町 finds 梼原町.
    const std::vector<int> yusuhara = search.find("檮原町");
    ASSERT_FALSE(yusuhara.empty());
    EXPECT_EQ(data->municipalities[static_cast<std::size_t>(yusuhara.front())].code, "39405");
    EXPECT_TRUE(search.find("存在しない町").empty());
    EXPECT_EQ(search.readingOf(static_cast<std::size_t>(okawa)), "おおかわむら");
}

TEST_F(ViewerNational, EveryLevelOfDetailDrawsEveryMunicipality) {
    const MapIndex mapIndex = buildMapIndex(*data, 2);
    EXPECT_EQ(mapIndex.municipalityBounds.size(), data->municipalities.size());
    for (const WorldBounds& b : mapIndex.municipalityBounds) EXPECT_FALSE(b.empty);
    for (double tolerance : {kLevelTolerancesDeg[0], 0.0}) {
        const MapLevel level = buildMapLevel(*data, tolerance, 2);
        std::set<std::uint32_t> features;
        for (std::uint32_t a : level.municipalityFill.attributes) features.insert(FillMesh::featureOf(a));
        // Every municipality, and the rest of the 一部過疎 municipalities outside their parts
        // (none where the part is the whole municipality).
        const std::size_t nm = data->municipalities.size();
        const auto firstRest = features.lower_bound(static_cast<std::uint32_t>(nm));
        EXPECT_EQ(static_cast<std::size_t>(std::distance(features.begin(), firstRest)), nm)
            << "tolerance " << tolerance;
        EXPECT_GT(static_cast<std::size_t>(std::distance(firstRest, features.end())), 100u)
            << "tolerance " << tolerance;
        EXPECT_LT(*features.rbegin(), mapFeatureCount(*data));
        // One fill chunk per municipality, tiling the vertex array in order, each bounding
        // its own vertices (culling a drag's strip relies on it).
        EXPECT_EQ(level.fillChunks.size(), data->municipalities.size());
        // Each chunk's triangles without a boundary edge first (drawn without borders).
        ASSERT_EQ(level.fillChunkInterior.size(), level.fillChunks.size());
        std::size_t next = 0, interior = 0;
        const std::vector<float>& xy = level.municipalityFill.positions;
        for (std::size_t c = 0; c < level.fillChunks.size(); ++c) {
            const DrawRange& r = level.fillChunks[c];
            EXPECT_EQ(r.first, next);
            next += r.count;
            EXPECT_EQ(level.fillChunkInterior[c] % 3, 0u);
            EXPECT_LE(level.fillChunkInterior[c], r.count);
            interior += level.fillChunkInterior[c];
            for (std::size_t v = r.first; v < r.first + r.count; ++v) {
                const bool bordered = FillMesh::hasBoundaryEdge(&level.municipalityFill.attributes[v - v % 3]);
                EXPECT_EQ(bordered, v >= r.first + level.fillChunkInterior[c]) << "vertex " << v;
            }
            std::set<std::uint32_t> owners;
            for (std::size_t v = r.first; v < r.first + r.count; ++v) {
                owners.insert(FillMesh::featureOf(level.municipalityFill.attributes[v]));
                EXPECT_TRUE(r.bounds.contains(xy[2 * v], xy[2 * v + 1])) << "vertex " << v;
            }
            // One municipality per chunk (with the rest of it outside its designated part).
            EXPECT_EQ(std::count_if(owners.begin(), owners.end(), [&](std::uint32_t f) { return f < nm; }), 1)
                << "chunk at vertex " << r.first;
            EXPECT_LE(owners.size(), 2u) << "chunk at vertex " << r.first;
        }
        EXPECT_EQ(next, level.municipalityFill.vertexCount());
        EXPECT_GT(interior, next / 10) << "tolerance " << tolerance;
        // Every designated part cut out of its municipality's polygon (the fill hatches it).
        EXPECT_EQ(level.uncutParts.size(), 0u) << "tolerance " << tolerance;
        // Prefecture borders in runs of at most 128 segments, in order, each bounding its ends.
        EXPECT_GE(level.prefectureBorderChunks.size(), 47u);
        next = 0;
        const std::vector<float>& seg = level.prefectureBorders.segments;
        for (const DrawRange& r : level.prefectureBorderChunks) {
            EXPECT_EQ(r.first, next);
            EXPECT_LE(r.count, 128u);
            next += r.count;
            for (std::size_t k = r.first; k < r.first + r.count; ++k) {
                EXPECT_TRUE(r.bounds.contains(seg[4 * k], seg[4 * k + 1]) &&
                            r.bounds.contains(seg[4 * k + 2], seg[4 * k + 3]))
                    << "segment " << k;
            }
        }
        EXPECT_EQ(next, level.prefectureBorders.segmentCount());
    }
}

// Each prefecture's data is simplified on its own, so a border two prefectures share came
// twice, side by side: the second copy is left out, the coasts stay whole. N03's inland
// prefecture borders are some 7,000 of the 40,800 km of prefecture outlines; the copies found
// are 15 % of the outlines at zoom 6–7's level, 9 % at full detail (within 20 m only).
TEST_F(ViewerNational, ASharedPrefectureBorderIsDrawnOnce) {
    auto length = [](const LineMesh& lines) {
        double sum = 0;
        const std::vector<float>& s = lines.segments;
        for (std::size_t k = 0; k + 3 < s.size(); k += 4) sum += std::hypot(s[k + 2] - s[k], s[k + 3] - s[k + 1]);
        return sum;
    };
    const GeosContext ctx;
    const MapProjection projection;
    for (double tolerance : {kLevelTolerancesDeg[1], 0.0}) {
        LineMesh outlines;  // every prefecture's whole outline, simplified as the level does
        for (const Prefecture& p : data->prefectures) {
            ASSERT_TRUE(p.geom);
            const GeomPtr s = tolerance > 0 ? takeGeom(ctx, GEOSSimplify_r(ctx, p.geom.get(), tolerance), "simplify")
                                            : clone(ctx, p.geom.get());
            appendRings(ctx, projection, s.get(), outlines);
        }
        const double drawn = length(buildMapLevel(*data, tolerance, 2).prefectureBorders);
        const double whole = length(outlines);
        EXPECT_LT(drawn, (tolerance > 0 ? 0.88 : 0.94) * whole) << "tolerance " << tolerance;
        EXPECT_GT(drawn, 0.75 * whole) << "tolerance " << tolerance;
    }
}

TEST_F(ViewerNational, CoverageColoursFollowTheResult) {
    CoverageOptions options;
    options.radiusKm = 10;
    options.settlements = false;
    Progress progress;
    const CoverageResult result = computeCoverage(*data, options, progress);
    ColourInputs in;
    in.mode = ColourMode::Coverage;
    in.coverage = &result;
    const std::vector<Rgba> colours = municipalityColours(*data, in);
    const std::vector<int> rows = coverageIndex(*data, &result);
    ASSERT_EQ(colours.size(), mapFeatureCount(*data));
    // The rest of 高知市 outside 鏡村 and 土佐山村 is not designated; its part has the part's share.
    const DesignatedPart* kochi = data->designatedPartOf("39201");
    ASSERT_NE(kochi, nullptr);
    EXPECT_EQ(colours[data->municipalities.size() + static_cast<std::size_t>(kochi - data->designatedParts.data())],
              palette::kNotDesignated);
    int designated = 0;
    for (std::size_t i = 0; i < data->municipalities.size(); ++i) {
        if (rows[i] < 0) {
            const Designation* d = data->designationOf(data->municipalities[i].code);
            EXPECT_FALSE(d) << data->municipalities[i].code;
            EXPECT_EQ(colours[i], palette::kNotDesignated);
            continue;
        }
        ++designated;
        const MunicipalityCoverage& c = result.municipalities[static_cast<std::size_t>(rows[i])];
        ASSERT_TRUE(c.coveredShare);
        EXPECT_EQ(colours[i], shareColour(*c.coveredShare)) << c.code;
    }
    EXPECT_EQ(designated, 885);
    // Designation mode with 全部過疎 hidden: those draw as not designated, the rest keep colour.
    in.mode = ColourMode::Designation;
    in.shownDesignations = {DesignationType::Partial};
    in.selected = index("01202");  // 函館市, 一部過疎
    const std::vector<Rgba> filtered = municipalityColours(*data, in);
    EXPECT_EQ(filtered[static_cast<std::size_t>(index("39364"))], palette::kNotDesignated);
    EXPECT_EQ(filtered[static_cast<std::size_t>(index("01202"))],
              selectedColour(designationColour(DesignationType::Partial)));
}

TEST_F(ViewerNational, RunnerAnswersTheNewestRequestOnly) {
    CoverageRunner runner(*data);
    CoverageOptions slow;
    slow.radiusKm = 20;
    slow.keepGeometry = true;
    const std::uint64_t first = runner.request(slow, true);
    CoverageOptions quick;  // presence only
    const std::uint64_t second = runner.request(quick, false);
    EXPECT_GT(second, first);
    runner.waitIdle();
    const std::optional<CoverageOutcome> outcome = runner.take();
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->request, second);
    EXPECT_TRUE(outcome->error.empty()) << outcome->error;
    ASSERT_TRUE(outcome->result);
    EXPECT_FALSE(outcome->result->options.hasRadius());
    EXPECT_FALSE(runner.take());  // nothing else: the first request was cancelled or superseded
    EXPECT_FALSE(runner.status().busy);
}

TEST_F(ViewerNational, RunnerSendsFiguresFirstThenTheOverlay) {
    CoverageRunner runner(*data);
    CoverageOptions options;
    options.prefectures = {"高知県"};  // the order of the outcomes, not the country's overlay
    options.radiusKm = 10;
    options.keepGeometry = true;
    const std::uint64_t id = runner.request(options, true);
    // Poll as the UI does: the figures-only outcome may arrive first, the complete one last.
    std::optional<CoverageOutcome> last;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto o = runner.take()) {
            EXPECT_EQ(o->request, id);
            if (!o->complete) {
                EXPECT_FALSE(o->overlay);
            }
            last = std::move(o);
            if (last->complete) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(last);
    ASSERT_TRUE(last->complete);
    ASSERT_TRUE(last->overlay);
    EXPECT_GT(last->figuresMs, 0);
    EXPECT_TRUE(last->overlay->hasUncovered());
    EXPECT_EQ(last->overlay->uncovered.size(), std::size(kOverlayTolerancesDeg));
    // The fill hatches the municipalities measured whole from the catchments' field; the
    // overlay's own ranges are the designated parts of the 一部過疎 ones, inside its mesh.
    EXPECT_EQ(last->overlay->radiusKm, 10);
    std::set<std::uint32_t> whole, parts;
    for (const MunicipalityCoverage& m : last->result->municipalities) {
        const auto index = static_cast<std::uint32_t>(data->municipalityIndex(m.code));
        (m.measuredOn == MeasuredOn::FormerMunicipalities ? parts : whole).insert(index);
    }
    ASSERT_FALSE(parts.empty());
    EXPECT_EQ(std::set<std::uint32_t>(last->overlay->wholeFeatures.begin(), last->overlay->wholeFeatures.end()), whole);
    EXPECT_EQ(std::set<std::uint32_t>(last->overlay->partFeatures.begin(), last->overlay->partFeatures.end()), parts);
    for (const OverlayLevel& level : last->overlay->uncovered) {
        ASSERT_FALSE(level.partChunks.empty());
        EXPECT_LE(level.partChunks.size(), parts.size());
        ASSERT_EQ(level.partMunicipalities.size(), level.partChunks.size());
        for (std::size_t p = 0; p < level.partChunks.size(); ++p) {
            const DrawRange& r = level.partChunks[p];
            ASSERT_GT(r.count, 0u);
            ASSERT_LE(r.first + r.count, level.fill.vertexCount());
            // Every vertex of the range belongs to its part-measured municipality.
            EXPECT_EQ(parts.count(level.partMunicipalities[p]), 1u);
            for (std::size_t v = r.first; v < r.first + r.count; ++v) {
                ASSERT_EQ(level.fill.attributes[v] >> 18, level.partMunicipalities[p]) << v;
            }
        }
    }
}

TEST_F(ViewerNational, RunnerWakesTheWindowForEachOutcome) {
    // The window sleeps between events: the runner wakes it when the figures are ready, and
    // again when the overlay is.
    std::atomic<int> wakes{0};
    CoverageRunner runner(*data, [&wakes] { ++wakes; });
    CoverageOptions options;
    options.prefectures = {"高知県"};
    options.radiusKm = 10;
    options.keepGeometry = true;
    runner.request(options, true);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (wakes < 2 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(wakes, 2);
    runner.waitIdle();
    ASSERT_TRUE(runner.take());
}

TEST_F(ViewerNational, RunnerReportsBadOptionsAsUsageErrors) {
    CoverageRunner runner(*data);
    CoverageOptions options;
    options.kinds = {"no_such_kind"};
    runner.request(options, false);
    runner.waitIdle();
    const std::optional<CoverageOutcome> outcome = runner.take();
    ASSERT_TRUE(outcome);
    EXPECT_TRUE(outcome->usageError);
    EXPECT_NE(outcome->error.find("no_such_kind"), std::string::npos) << outcome->error;
    EXPECT_FALSE(outcome->result);
}

// ---------------------------------------------------------------------------------------
// The controllers ViewerApp delegates to, without a window. The level loader's order of work
// does not depend on the data's size: it loads the small database (高知県 whole and a
// municipality of every other prefecture), whose levels take a fraction of the national ones'.

TEST_F(ViewerNational, LevelLoaderDeliversEveryLevelCoarseToFine) {
    const Dataset small = loadDataset(test::kSmallDb);
    LevelLoader loader(std::string(test::kSmallDb));
    const Dataset& loaded = loader.waitForData();
    EXPECT_EQ(loaded.municipalities.size(), small.municipalities.size());
    EXPECT_EQ(loader.dbPath(), test::kSmallDb);
    EXPECT_TRUE(loader.takeLevels().empty());  // nothing before the map is built
    loader.waitForMap();
    EXPECT_EQ(loader.index().municipalityBounds.size(), small.municipalities.size());
    EXPECT_EQ(loader.hubs().byHub.size(), small.hubs.size());
    EXPECT_FALSE(loader.takeHubLevels().empty());
    EXPECT_GE(loader.locator().find(133.55, 33.78), 0);  // 高知県 is land
    EXPECT_FALSE(loader.search().find("大川村").empty());
    // The coarsest level comes with the map, before any finer one is started.
    std::vector<std::unique_ptr<MapLevel>> first = loader.takeLevels();
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0]->toleranceDeg, kLevelTolerancesDeg[0]);
    EXPECT_GT(first[0]->municipalityFill.triangleCount(), 0u);
    EXPECT_TRUE(loader.takeLevels().empty());  // once
    loader.startFinerLevels();
    // Polled as the frame loop does for two more, then waited for as the scripted runs do.
    std::vector<std::unique_ptr<MapLevel>> rest;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (rest.size() < 2 && std::chrono::steady_clock::now() < deadline) {
        for (auto& level : loader.takeLevels()) rest.push_back(std::move(level));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(loader.levelsTaken(), 1 + rest.size());
    for (auto& level : loader.waitForAllLevels()) rest.push_back(std::move(level));
    ASSERT_EQ(rest.size(), LevelLoader::kLevels - 1);
    for (std::size_t k = 0; k < rest.size(); ++k) EXPECT_EQ(rest[k]->toleranceDeg, kLevelTolerancesDeg[k + 1]);
    EXPECT_TRUE(loader.allLevelsTaken());
    EXPECT_TRUE(loader.takeLevels().empty());
}

// Scripted runs ask for the one level their view draws: it comes with the coarsest and no
// other is built; a coarser one skipped can still be asked for after it.
TEST_F(ViewerNational, LevelLoaderBuildsOnlyTheLevelAskedFor) {
    LevelLoader loader(std::string(test::kSmallDb));
    loader.waitForData();
    loader.waitForMap();
    std::vector<std::unique_ptr<MapLevel>> got = loader.waitForLevel(2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0]->toleranceDeg, kLevelTolerancesDeg[0]);
    EXPECT_EQ(got[1]->toleranceDeg, kLevelTolerancesDeg[2]);
    EXPECT_GT(got[1]->municipalityFill.triangleCount(), got[0]->municipalityFill.triangleCount());
    EXPECT_TRUE(loader.waitForLevel(2).empty());  // once
    EXPECT_TRUE(loader.takeLevels().empty());     // nothing else was started
    got = loader.waitForLevel(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0]->toleranceDeg, kLevelTolerancesDeg[1]);
    EXPECT_EQ(loader.levelsTaken(), 3u);
    EXPECT_FALSE(loader.allLevelsTaken());
}

TEST_F(ViewerNational, LevelLoaderReportsAMissingDatabaseAndStopsWhenDropped) {
    test::ScratchDir dir;
    LevelLoader missing(dir.file("missing.sqlite"));
    try {
        missing.waitForData();
        FAIL() << "a missing database loaded";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("missing.sqlite"), std::string::npos) << e.what();
    }
    // Dropped while a finer level is being built: the destructor waits for it, no more.
    const auto t0 = std::chrono::steady_clock::now();
    {
        LevelLoader loader(std::string(test::kNationalDb));
        loader.waitForData();
        loader.waitForMap();
        loader.startFinerLevels();
        EXPECT_FALSE(loader.allLevelsTaken());
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(60));
}

TEST_F(ViewerNational, QueryControllerTurnsTheFormIntoOptionsAndResults) {
    const MapProjection projection;
    const HubPoints hubs = buildHubPoints(*data, projection);
    QueryController query(*data, hubs);
    ASSERT_EQ(query.form().kinds.size(), hubs.kinds.size());
    EXPECT_TRUE(std::all_of(query.form().kinds.begin(), query.form().kinds.end(), [](bool b) { return b; }));
    // All kinds: no kind filter; presence only: no geometry.
    EXPECT_TRUE(query.options().kinds.empty());
    EXPECT_FALSE(query.options().radiusKm);
    EXPECT_FALSE(query.drawsGeometry());
    EXPECT_EQ(query.queriedHubCount(), hubs.size());
    EXPECT_FALSE(query.result());

    // No kind at all: nothing is asked, the form says why.
    std::fill(query.form().kinds.begin(), query.form().kinds.end(), false);
    query.request();
    EXPECT_EQ(query.error(), "Select at least one hub kind.");
    EXPECT_FALSE(query.status().busy);
    std::fill(query.form().kinds.begin(), query.form().kinds.end(), true);

    // Presence only, 全部過疎 alone.
    query.form().partial = query.form().deemed = false;
    EXPECT_EQ(query.options().designations, std::set<DesignationType>{DesignationType::Full});
    query.request();
    EXPECT_TRUE(query.error().empty());
    query.waitIdle();
    ASSERT_TRUE(query.poll());
    EXPECT_FALSE(query.poll());  // taken
    ASSERT_TRUE(query.result());
    EXPECT_FALSE(query.overlay());
    const std::vector<int>& rows = query.coverageRows();
    ASSERT_EQ(rows.size(), data->municipalities.size());
    const int full = rows[static_cast<std::size_t>(index("39364"))];  // 大川村, 全部過疎
    ASSERT_GE(full, 0);
    EXPECT_EQ(query.result()->municipalities[static_cast<std::size_t>(full)].code, "39364");
    EXPECT_LT(rows[static_cast<std::size_t>(index("01202"))], 0);  // 函館市, 一部過疎: not asked
    bool rebuilt = false;
    EXPECT_FALSE(query.prefectureRows(rebuilt).empty());
    EXPECT_TRUE(rebuilt);
    query.prefectureRows(rebuilt);
    EXPECT_FALSE(rebuilt);

    // With a radius (few hubs): the figures, then the overlay; the prefecture rows follow.
    // Two prefectures (函館市's and 大川村's) are enough for the form's rows and figures.
    query.form().prefectures = {"北海道", "高知県"};
    query.form().partial = query.form().deemed = true;
    query.form().useRadius = true;
    query.form().radiusKm = 10;
    ASSERT_TRUE(query.drawsGeometry());
    EXPECT_EQ(query.options().radiusKm, 10.0);
    EXPECT_TRUE(query.options().keepGeometry);
    query.request();
    query.waitIdle();
    ASSERT_TRUE(query.poll());
    ASSERT_TRUE(query.result());
    EXPECT_TRUE(query.result()->options.hasRadius());
    ASSERT_TRUE(query.overlay());
    EXPECT_TRUE(query.overlay()->hasUncovered());
    EXPECT_GT(query.figuresMs(), 0);
    EXPECT_GT(query.lastOutcome().overlayMs, 0);
    EXPECT_GE(rows[static_cast<std::size_t>(index("01202"))], 0);
    query.prefectureRows(rebuilt);
    EXPECT_TRUE(rebuilt);
    // 一部過疎 on the designated part by default, as the CLI; the form can ask for the whole.
    const MunicipalityCoverage& hakodate =
        query.result()->municipalities[static_cast<std::size_t>(rows[static_cast<std::size_t>(index("01202"))])];
    EXPECT_EQ(query.options().partial, PartialMeasure::DesignatedPart);
    EXPECT_EQ(hakodate.measuredOn, MeasuredOn::FormerMunicipalities);
    EXPECT_LT(hakodate.designatedAreaKm2, hakodate.areaKm2);
    query.form().partialWhole = true;
    EXPECT_EQ(query.options().partial, PartialMeasure::Whole);
    query.form().partialWhole = false;

    // A bad month is the form's error; the last result stays.
    const CoverageResult* before = query.result().get();
    query.form().useDate = true;
    std::snprintf(query.form().openedBefore, sizeof query.form().openedBefore, "2024-13");
    query.request();
    query.waitIdle();
    EXPECT_FALSE(query.poll());
    EXPECT_NE(query.error().find("2024-13"), std::string::npos) << query.error();
    EXPECT_EQ(query.result().get(), before);
}

TEST_F(ViewerNational, NewCatchmentsWaitForTheFiguresOfTheirQuery) {
    // The distance field and the query share the cores: the frame that shows a query's
    // figures keeps the old catchments, the next draws the new; a query that does not answer
    // within kCatchmentsWait (a slider being dragged) does not hold them longer.
    const MapProjection projection;
    const HubPoints hubs = buildHubPoints(*data, projection);
    QueryController query(*data, hubs);
    query.form().prefectures = {"高知県"};
    using Clock = QueryController::Clock;
    const Clock::time_point t = Clock::now();
    EXPECT_EQ(query.catchments(t).radiusKm, 0);  // no radius asked: nothing waits
    EXPECT_FALSE(query.catchmentsWaiting());

    query.form().useRadius = true;
    query.form().radiusKm = 10;
    query.request();
    EXPECT_EQ(query.catchments(t).radiusKm, 0);  // the query runs: the old catchments stay
    EXPECT_TRUE(query.catchmentsWaiting());
    EXPECT_EQ(query.catchments(t + QueryController::kCatchmentsWait).radiusKm, 0);          // nothing cancels it
    EXPECT_EQ(query.catchments(t + QueryController::kCatchmentsLongestWait).radiusKm, 10);  // waited long enough
    EXPECT_EQ(query.catchments(t + QueryController::kCatchmentsLongestWait).kinds, query.form().kinds);
    EXPECT_FALSE(query.catchmentsWaiting());
    query.waitIdle();
    while (query.poll()) {
    }

    // A slider dragged: each query cancelled by the next; the catchments follow every kCatchmentsWait.
    query.form().radiusKm = 11;
    query.request();
    EXPECT_EQ(query.catchments(t).radiusKm, 10);
    query.form().radiusKm = 12;
    query.request();
    EXPECT_EQ(query.catchments(t + QueryController::kCatchmentsWait / 2).radiusKm, 10);
    EXPECT_EQ(query.catchments(t + QueryController::kCatchmentsWait).radiusKm, 12);
    query.form().radiusKm = 10;  // back where the drag began, the figures to come
    query.request();
    EXPECT_EQ(query.catchments(t).radiusKm, 12);
    query.waitIdle();
    while (query.poll()) {
    }
    query.catchments(t);
    EXPECT_EQ(query.catchments(t).radiusKm, 10);

    query.form().radiusKm = 5;
    query.request();
    const Clock::time_point u = Clock::now();
    EXPECT_EQ(query.catchments(u).radiusKm, 10);
    query.waitIdle();
    ASSERT_TRUE(query.poll());  // a frame takes the figures (and overlay) of 5 km...
    EXPECT_EQ(query.result()->options.radiusKm, 5.0);
    EXPECT_EQ(query.catchments(u).radiusKm, 10);  // ...and shows them with the old catchments
    EXPECT_TRUE(query.catchmentsWaiting());
    EXPECT_EQ(query.catchments(u).radiusKm, 5);  // the next frame draws the new ones
    EXPECT_FALSE(query.catchmentsWaiting());

    // Figures that come after the wait are still shown a frame before the catchments.
    query.form().radiusKm = 8;
    query.request();
    EXPECT_EQ(query.catchments(u).radiusKm, 5);
    query.waitIdle();
    ASSERT_TRUE(query.poll());
    EXPECT_EQ(query.catchments(u + QueryController::kCatchmentsWait).radiusKm, 5);
    EXPECT_EQ(query.catchments(u + QueryController::kCatchmentsWait).radiusKm, 8);

    // Turning the radius off is a query like another.
    query.form().useRadius = false;
    query.request();
    EXPECT_EQ(query.catchments(u).radiusKm, 8);
    query.waitIdle();
    ASSERT_TRUE(query.poll());
    query.catchments(u);
    EXPECT_EQ(query.catchments(u).radiusKm, 0);

    // A query refused (no kind) keeps nothing waiting.
    query.form().useRadius = true;
    std::fill(query.form().kinds.begin(), query.form().kinds.end(), false);
    query.request();
    EXPECT_FALSE(query.error().empty());
    EXPECT_EQ(query.catchments(u).radiusKm, 8);
    EXPECT_FALSE(query.catchmentsWaiting());
}

TEST_F(ViewerNational, ExportControllerWritesRefusesAndCancels) {
    test::ScratchDir dir;
    CoverageOptions options;
    options.settlements = false;
    Progress progress;
    auto result = std::make_shared<const CoverageResult>(computeCoverage(*data, options, progress));
    ExportController exporter(*data);
    EXPECT_STREQ(exporter.pathBuffer(), "hubmap-coverage.gpkg");
    const std::string path = dir.file("coverage.gpkg");
    std::snprintf(exporter.pathBuffer(), ExportController::kPathBufferSize, "%s", path.c_str());

    exporter.start(nullptr);  // no result yet: nothing happens
    EXPECT_FALSE(exporter.running());
    EXPECT_TRUE(exporter.message().empty());

    exporter.start(result);
    EXPECT_NE(exporter.message().find("Writing"), std::string::npos) << exporter.message();
    exporter.wait();
    EXPECT_FALSE(exporter.running());
    EXPECT_FALSE(exporter.failed()) << exporter.message();
    EXPECT_EQ(exporter.message().rfind("Wrote " + path, 0), 0u) << exporter.message();
    EXPECT_NE(exporter.message().find("municipalities ("), std::string::npos) << exporter.message();
    EXPECT_TRUE(std::filesystem::exists(path));

    // The same target again without Overwrite: refused before any thread starts.
    exporter.start(result);
    EXPECT_FALSE(exporter.running());
    EXPECT_TRUE(exporter.failed());
    EXPECT_NE(exporter.message().find("overwrite"), std::string::npos) << exporter.message();

    // Cancelled: nothing written.
    const std::string other = dir.file("cancelled.gpkg");
    std::snprintf(exporter.pathBuffer(), ExportController::kPathBufferSize, "%s", other.c_str());
    exporter.start(result);
    EXPECT_TRUE(exporter.running());
    exporter.cancel();
    exporter.wait();
    EXPECT_TRUE(exporter.failed());
    EXPECT_EQ(exporter.message(), "Export cancelled; nothing was written.");
    EXPECT_FALSE(std::filesystem::exists(other));

    // Polled as the UI does, with Overwrite.
    exporter.overwrite() = true;
    std::snprintf(exporter.pathBuffer(), ExportController::kPathBufferSize, "%s", path.c_str());
    exporter.start(result);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (exporter.running() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    exporter.poll();
    EXPECT_FALSE(exporter.failed()) << exporter.message();
    EXPECT_EQ(exporter.message().rfind("Wrote " + path, 0), 0u) << exporter.message();
}

// --prefecture and --kinds: the form carries them into the options computeCoverage checks.
TEST_F(ViewerNational, QueryFormTakesPrefecturesAndKindsFromTheCommandLine) {
    const MapProjection projection;
    const HubPoints hubs = buildHubPoints(*data, projection);
    ASSERT_GE(hubs.kinds.size(), 2u);
    QueryController query(*data, hubs);
    query.form().prefectures = {"高知県"};
    query.selectKinds({hubs.kinds[1]});
    const CoverageOptions o = query.options();
    EXPECT_EQ(o.prefectures, std::vector<std::string>{"高知県"});
    EXPECT_EQ(o.kinds, std::vector<std::string>{hubs.kinds[1]});
    EXPECT_EQ(query.queriedHubCount(), hubs.countByKind[1]);
    try {
        query.selectKinds({"no_such_kind"});
        ADD_FAILURE() << "an unknown kind was taken";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("no_such_kind"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(hubs.kinds[0]), std::string::npos) << e.what();
    }
    query.request();
    query.waitIdle();
    query.poll();
    ASSERT_TRUE(query.result()) << query.error();
    for (const MunicipalityCoverage& m : query.result()->municipalities) EXPECT_EQ(m.code.substr(0, 2), "39");
}

// "Copy table": the registry's CSV columns, one line per row, numbers as numbers.
TEST_F(ViewerNational, TablesCopyAsTabSeparatedRowsOfTheQuery) {
    CoverageOptions options;
    options.prefectures = {"高知県", "徳島県"};
    options.settlements = false;
    Progress progress;
    const CoverageResult result = computeCoverage(*data, options, progress);
    auto lines = [](const std::string& tsv) {
        std::vector<std::vector<std::string>> out;
        std::size_t start = 0;
        while (start < tsv.size()) {
            const std::size_t end = tsv.find("\r\n", start);
            EXPECT_NE(end, std::string::npos) << "every row ends in CR LF";
            if (end == std::string::npos) break;
            std::vector<std::string> cells;
            std::size_t a = start;
            for (;;) {
                const std::size_t tab = tsv.find('\t', a);
                if (tab == std::string::npos || tab > end) {
                    cells.push_back(tsv.substr(a, end - a));
                    break;
                }
                cells.push_back(tsv.substr(a, tab - a));
                a = tab + 1;
            }
            out.push_back(cells);
            start = end + 2;
        }
        return out;
    };
    const auto prefectures = lines(prefectureTableTsv(*data, result));
    ASSERT_EQ(prefectures.size(), 3u);  // header, 徳島県, 高知県
    const auto header = prefectures[0];
    for (const auto& row : prefectures) EXPECT_EQ(row.size(), header.size());
    // The 高知県 row: its name and its designated count as the result has them.
    const auto kochi = std::find_if(prefectures.begin(), prefectures.end(), [](const auto& row) {
        return std::find(row.begin(), row.end(), "高知県") != row.end();
    });
    ASSERT_NE(kochi, prefectures.end());
    const auto r = std::find_if(result.prefectures.begin(), result.prefectures.end(),
                                [](const PrefectureCoverage& p) { return p.name == "高知県"; });
    ASSERT_NE(r, result.prefectures.end());
    EXPECT_NE(std::find(kochi->begin(), kochi->end(), std::to_string(r->totals.designated)), kochi->end());

    const auto municipalities = lines(municipalityTableTsv(*data, result));
    ASSERT_EQ(municipalities.size(), result.municipalities.size() + 1);
    for (const auto& row : municipalities) EXPECT_EQ(row.size(), municipalities[0].size());
    const auto okawa = std::find_if(municipalities.begin(), municipalities.end(), [](const auto& row) {
        return std::find(row.begin(), row.end(), "39364") != row.end();
    });
    ASSERT_NE(okawa, municipalities.end());
    EXPECT_NE(std::find(okawa->begin(), okawa->end(), "大川村"), okawa->end());
}

// A dropped file: the preview reads it (columns, rows that place, rows that do not) and
// writes nothing; the import is all or nothing unless the bad rows are skipped. Into a copy
// of the small database (its 高知県 is whole): the national one is 50 times the bytes to
// copy and checksum, for the same two rows.
TEST_F(ViewerNational, ADroppedFileIsPreviewedThenImported) {
    EXPECT_TRUE(isImportableFile("a/b/Hubs.XLSX"));
    EXPECT_TRUE(isImportableFile("x.gpkg"));
    EXPECT_FALSE(isImportableFile("notes.txt"));
    EXPECT_EQ(kindFromFileName("/tmp/Hubs 2024 (draft).csv"), "hubs_2024_draft");
    EXPECT_EQ(kindFromFileName("2024.csv"), "imported_2024");
    EXPECT_EQ(kindFromFileName("拠点.csv"), "imported");

    test::ScratchDir scratch;
    const std::string db = scratch.file("copy.sqlite");
    std::filesystem::copy_file(test::kSmallDb, db);
    const std::string before = test::databaseChecksum(db);
    const std::string csv = scratch.file("My Hubs.csv");
    {
        std::FILE* f = std::fopen(csv.c_str(), "w");
        ASSERT_TRUE(f);
        std::fputs("id,name,lon,lat\n1,テスト拠点,133.43,33.77\n2,二つ目,133.50,33.70\n3,bad,abc,xyz\n", f);
        std::fclose(f);
    }
    ImportController import(db);
    import.open(csv);
    EXPECT_TRUE(import.busy());
    import.wait();
    ASSERT_EQ(import.stage(), ImportController::Stage::Preview) << import.message();
    const DropPreview& p = *import.preview();
    EXPECT_EQ(p.columns, (std::vector<std::string>{"id", "name", "lon", "lat"}));
    EXPECT_EQ(p.placed, 2u);
    EXPECT_EQ(p.rejectedCount, 1u);
    EXPECT_EQ(p.report.rowsRead, 3);
    EXPECT_EQ(import.options().kind, "my_hubs");
    EXPECT_EQ(test::databaseChecksum(db), before) << "the preview wrote to the database";

    // All or nothing: the bad row stops the import and nothing is written.
    import.startImport();
    import.wait();
    EXPECT_EQ(import.stage(), ImportController::Stage::Failed);
    EXPECT_NE(import.message().find("row 3"), std::string::npos) << import.message();
    EXPECT_FALSE(import.takeImported());
    EXPECT_EQ(test::databaseChecksum(db), before);

    import.close();
    import.open(csv);
    import.wait();
    import.options().skipInvalid = true;
    import.startImport();
    import.wait();
    ASSERT_EQ(import.stage(), ImportController::Stage::Done) << import.message();
    EXPECT_EQ(import.report()->imported, 2);
    EXPECT_EQ(import.message().rfind("Imported 2 of 3 rows", 0), 0u) << import.message();
    EXPECT_TRUE(import.takeImported());
    EXPECT_FALSE(import.takeImported());
    EXPECT_TRUE(std::filesystem::exists(scratch.file("My Hubs.rejects.csv")));
    const Dataset after = loadDataset(db, LoadOptions{false, true, false});
    EXPECT_EQ(std::count_if(after.hubs.begin(), after.hubs.end(), [](const Hub& h) { return h.kind == "my_hubs"; }), 2);
}

}  // namespace
}  // namespace hubmap::viewer
