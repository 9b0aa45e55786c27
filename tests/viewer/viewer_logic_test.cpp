// The viewer's logic without a window: view transform, projection, triangulation into
// buffers, colours, search, the background-task helper, PNG files.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <future>
#include <iterator>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/geos.hpp"
#include "test_util.hpp"
#include "viewer/background_task.hpp"
#include "viewer/colour_scheme.hpp"
#include "viewer/embedded_files.hpp"
#include "viewer/map_canvas.hpp"
#include "viewer/map_geometry.hpp"
#include "viewer/map_projection.hpp"
#include "viewer/png_image.hpp"
#include "viewer/prefecture_table.hpp"
#include "viewer/search.hpp"
#include "viewer/view_transform.hpp"
#include "viewer/viewer_options.hpp"

namespace hubmap::viewer {
namespace {

ViewTransform makeView(double w = 1600, double h = 1000) {
    ViewTransform v;
    v.setWindow(w, h, mapAreaFor(w, h, false));
    v.setCentre({1000, -2000});
    v.setZoomLevel(8);
    return v;
}

TEST(ViewTransform, ScreenAndWorldRoundTrip) {
    const ViewTransform v = makeView();
    for (const ScreenPoint p : {ScreenPoint{0, 0}, ScreenPoint{812.5, 433.25}, ScreenPoint{1599, 999}}) {
        const ScreenPoint back = v.toScreen(v.toWorld(p));
        EXPECT_NEAR(back.x, p.x, 1e-6);
        EXPECT_NEAR(back.y, p.y, 1e-6);
    }
    // The centre of the map area (not the window: the sidebar takes the left) shows the centre.
    const ScreenPoint c = v.toScreen(v.centre());
    EXPECT_DOUBLE_EQ(c.x, PanelLayout::kSidebarWidth + (1600 - PanelLayout::kSidebarWidth) / 2);
    EXPECT_DOUBLE_EQ(c.y, (1000 - PanelLayout::kStatusHeight) / 2);
    // North is up: a point north of the centre is higher on screen.
    EXPECT_LT(v.toScreen({1000, 5000}).y, c.y);
}

TEST(ViewTransform, ZoomAboutKeepsTheAnchorStill) {
    ViewTransform v = makeView();
    const ScreenPoint anchor{500, 300};
    const WorldPoint before = v.toWorld(anchor);
    const double ppm = v.pixelsPerMetre();
    v.zoomAbout(anchor, 1.25);
    EXPECT_NEAR(v.pixelsPerMetre(), ppm * 1.25, 1e-12);
    const WorldPoint after = v.toWorld(anchor);
    EXPECT_NEAR(after.x, before.x, 1e-6);
    EXPECT_NEAR(after.y, before.y, 1e-6);
}

TEST(ViewTransform, PanFollowsTheCursorAndZoomIsClamped) {
    ViewTransform v = makeView();
    const WorldPoint under = v.toWorld({700, 400});
    v.panPixels(30, -20);
    const WorldPoint moved = v.toWorld({730, 380});
    EXPECT_NEAR(moved.x, under.x, 1e-6);
    EXPECT_NEAR(moved.y, under.y, 1e-6);
    v.setZoomLevel(40);
    EXPECT_NEAR(v.zoomLevel(), ViewTransform::kMaxZoom, 1e-9);
    v.setZoomLevel(-5);
    EXPECT_NEAR(v.zoomLevel(), ViewTransform::kMinZoom, 1e-9);
}

TEST(ViewTransform, FitShowsTheWholeBoxInTheMapArea) {
    ViewTransform v = makeView();
    WorldBounds b;
    b.expand(-300000, 100000);
    b.expand(500000, 900000);
    v.fit(b, 20, ViewTransform::kMaxZoom);
    const ScreenRect& a = v.mapArea();
    for (const WorldPoint corner : {WorldPoint{b.minx, b.miny}, WorldPoint{b.maxx, b.maxy}}) {
        const ScreenPoint s = v.toScreen(corner);
        EXPECT_GE(s.x, a.x + 19.9);
        EXPECT_LE(s.x, a.x + a.width - 19.9);
        EXPECT_GE(s.y, a.y + 19.9);
        EXPECT_LE(s.y, a.y + a.height - 19.9);
    }
}

TEST(ViewTransform, ClipTransformAgreesWithScreenPositions) {
    const ViewTransform v = makeView(1200, 800);
    const ClipTransform t = v.clipTransform();
    const WorldPoint w{12345, -6789};
    const ScreenPoint s = v.toScreen(w);
    const double clipX = w.x * t.scale[0] + t.offset[0];
    const double clipY = w.y * t.scale[1] + t.offset[1];
    EXPECT_NEAR((clipX + 1) / 2 * 1200, s.x, 0.05);
    EXPECT_NEAR((1 - clipY) / 2 * 800, s.y, 0.05);
}

TEST(MapProjection, IsAnEqualAreaConicCentredOnJapan) {
    const MapProjection p;
    const WorldPoint origin = p.forward(137.0, 36.0);
    EXPECT_NEAR(origin.x, 0, 1e-6);
    EXPECT_NEAR(origin.y, 0, 1e-6);
    // Tokyo is east and a little north of the origin; Naha far south-west.
    const WorldPoint tokyo = p.forward(139.69, 35.69);
    EXPECT_NEAR(tokyo.x, 243000, 3000);
    const WorldPoint naha = p.forward(127.68, 26.21);
    EXPECT_LT(naha.x, -800000);
    EXPECT_LT(naha.y, -1000000);
    const WorldPoint back = p.inverse(tokyo.x, tokyo.y);
    EXPECT_NEAR(back.x, 139.69, 1e-9);
    EXPECT_NEAR(back.y, 35.69, 1e-9);
}

TEST(MapProjection, PreservesAreas) {
    // A 0.1° × 0.1° cell at 35°N: its projected area equals its geodesic area (equal-area map).
    GeosContext ctx;
    const GeomPtr cell = geomFromWKT(ctx, "POLYGON((135 35, 135.1 35, 135.1 35.1, 135 35.1, 135 35))");
    const double geodesicKm2 = Geodesic().areaKm2(ctx, cell.get());
    const MapProjection p;
    FillMesh mesh;
    appendTriangulated(ctx, p, cell.get(), 0, mesh);
    double projectedM2 = 0;
    for (std::size_t t = 0; t < mesh.triangleCount(); ++t) {
        const float* v = &mesh.positions[6 * t];
        projectedM2 += std::abs((v[2] - v[0]) * (v[5] - v[1]) - (v[4] - v[0]) * (v[3] - v[1])) / 2;
    }
    EXPECT_NEAR(projectedM2 / 1e6, geodesicKm2, geodesicKm2 * 1e-4);
}

TEST(MapGeometry, AltitudesKeepTwoTenthsOfAPercentFromAMillimetreTo4000Km) {
    double worst = 0;
    for (double m = 1e-3; m < 4.1e6; m *= 1.0137) {
        const std::uint32_t code = FillMesh::encodeAltitude(m);
        ASSERT_LT(code, 1u << 13);
        worst = std::max(worst, std::abs(FillMesh::decodeAltitude(code) - m) / m);
    }
    EXPECT_LT(worst, 1.0 / 512 + 1e-12);
    EXPECT_GT(worst, 1.0 / 1024);  // the 8-bit mantissa's rounding, not a finer or coarser one
    // Beyond the range: the nearest end (the shortest is a millimetre, far under a pixel).
    EXPECT_DOUBLE_EQ(FillMesh::decodeAltitude(FillMesh::encodeAltitude(0)), std::ldexp(1.0, -10));
    EXPECT_DOUBLE_EQ(FillMesh::decodeAltitude(FillMesh::encodeAltitude(1e9)), 511.0 * 8192);
    // The fields do not overlap.
    const std::uint32_t packed = FillMesh::packAttributes(FillMesh::kMaxFeatures - 1, 2, 5u, 1e9);
    EXPECT_EQ(FillMesh::featureOf(packed), FillMesh::kMaxFeatures - 1);
    EXPECT_EQ(FillMesh::edgeMaskOf(packed), 5u);
    EXPECT_EQ(packed & 3u, 2u);
    EXPECT_DOUBLE_EQ(FillMesh::altitudeOf(packed), 511.0 * 8192);
}

TEST(MapGeometry, TriangulationCoversThePolygonAndMarksItsBoundary) {
    GeosContext ctx;
    const MapProjection p;
    // A square with a square hole: 8 boundary edges; every triangle edge on them is flagged.
    const GeomPtr g = geomFromWKT(
        ctx,
        "POLYGON((135 35, 135.2 35, 135.2 35.2, 135 35.2, 135 35), (135.05 35.05, 135.05 35.15, 135.15 35.15, "
        "135.15 35.05, 135.05 35.05))");
    FillMesh mesh;
    appendTriangulated(ctx, p, g.get(), 42, mesh);
    ASSERT_EQ(mesh.vertexCount(), 3 * mesh.triangleCount());
    ASSERT_GE(mesh.triangleCount(), 8u);
    int boundaryEdges = 0;
    for (std::size_t v = 0; v < mesh.vertexCount(); v += 3) {
        for (int corner = 0; corner < 3; ++corner) {
            EXPECT_EQ(FillMesh::featureOf(mesh.attributes[v + corner]), 42u);
            EXPECT_EQ(static_cast<int>(mesh.attributes[v + corner] & 3u), corner);
        }
        const unsigned mask = FillMesh::edgeMaskOf(mesh.attributes[v]);
        boundaryEdges += (mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1);
        // Each corner carries its distance to the opposite edge (the shader's border distance).
        const float* c = &mesh.positions[2 * v];
        const double twiceArea = std::abs((c[2] - c[0]) * (c[5] - c[1]) - (c[4] - c[0]) * (c[3] - c[1]));
        for (int corner = 0; corner < 3; ++corner) {
            const float* a = &c[2 * ((corner + 1) % 3)];
            const float* b = &c[2 * ((corner + 2) % 3)];
            const double altitude = twiceArea / std::hypot(b[0] - a[0], b[1] - a[1]);
            EXPECT_NEAR(FillMesh::altitudeOf(mesh.attributes[v + corner]), altitude, altitude * 0.003);
            EXPECT_EQ(FillMesh::edgeMaskOf(mesh.attributes[v + corner]), mask);
        }
    }
    EXPECT_EQ(boundaryEdges, 8);
    // Triangle areas sum to the polygon's projected area (outer minus hole).
    double area = 0;
    for (std::size_t t = 0; t < mesh.triangleCount(); ++t) {
        const float* v = &mesh.positions[6 * t];
        area += std::abs((v[2] - v[0]) * (v[5] - v[1]) - (v[4] - v[0]) * (v[3] - v[1])) / 2;
    }
    LineMesh rings;
    const WorldBounds b = appendRings(ctx, p, g.get(), rings);
    EXPECT_EQ(rings.segmentCount(), 8u);
    const double outer = (b.maxx - b.minx) * (b.maxy - b.miny);
    EXPECT_GT(area, 0.70 * outer);  // the hole takes a quarter of a (slightly curved) square
    EXPECT_LT(area, 0.80 * outer);
}

// Scripted runs build only the level levelIndexFor names: it must be the one the renderer
// picks among all levels (the coarsest that fits), at every zoom.
TEST(MapGeometry, TheLevelForAViewIsTheCoarsestThatFits) {
    std::set<std::size_t> seen;
    for (double zoom = 3; zoom <= 14; zoom += 0.25) {
        ViewTransform v;
        v.setZoomLevel(zoom);
        const double ppm = v.pixelsPerMetre();
        const std::size_t i = levelIndexFor(ppm);
        ASSERT_LT(i, std::size(kLevelTolerancesDeg));
        seen.insert(i);
        for (std::size_t k = 0; k < i; ++k) {
            EXPECT_FALSE(levelFits(kLevelTolerancesDeg[k] * kMetresPerDegree, ppm))
                << "zoom " << zoom << " level " << k;
        }
        if (i + 1 < std::size(kLevelTolerancesDeg)) {
            EXPECT_TRUE(levelFits(kLevelTolerancesDeg[i] * kMetresPerDegree, ppm)) << "zoom " << zoom;
        }
    }
    EXPECT_EQ(seen.size(), std::size(kLevelTolerancesDeg));  // every level is some zoom's
    EXPECT_EQ(levelIndexFor(1e-6), 0u);                      // all Japan in a few pixels
    EXPECT_EQ(levelIndexFor(10.0), std::size(kLevelTolerancesDeg) - 1);
}

TEST(MapGeometry, HubLevelsThinOnlyWhereSymbolsOverlap) {
    HubPoints hubs;
    hubs.kinds = {"a", "b"};
    // 1,000 hubs of kind 0 within 100 m, and one far away of kind 1.
    for (int i = 0; i < 1000; ++i) {
        hubs.positions.push_back(static_cast<float>(i % 10) * 10.f);
        hubs.positions.push_back(static_cast<float>(i / 10) * 1.f);
        hubs.kind.push_back(0);
    }
    hubs.positions.push_back(500000.f);
    hubs.positions.push_back(500000.f);
    hubs.kind.push_back(1);
    const std::vector<HubLevel> levels = buildHubLevels(hubs, 5.0, 5, 11);
    ASSERT_EQ(levels.size(), 8u);
    EXPECT_LE(levels.front().size(), 6u);  // a handful of cells at zoom 5, plus the lone hub
    EXPECT_EQ(levels.back().size(), 1001u);
    EXPECT_DOUBLE_EQ(levels.back().minZoom, 12);
    for (const HubLevel& l : levels) {
        EXPECT_NE(std::find(l.kind.begin(), l.kind.end(), 1u), l.kind.end()) << "zoom " << l.minZoom;
    }
}

/// A side × side grid of hubs of one kind, `spacing` metres apart, from (offset, offset).
HubPoints hubGrid(int side, float spacing, float offset) {
    HubPoints hubs;
    hubs.kinds = {"a"};
    for (int i = 0; i < side * side; ++i) {
        hubs.positions.push_back(static_cast<float>(i % side) * spacing + offset);
        hubs.positions.push_back(static_cast<float>(i / side) * spacing + offset);
        hubs.kind.push_back(0);
    }
    return hubs;
}

TEST(MapGeometry, HubLevelsStopWhereThinningKeepsMostHubs) {
    // Hubs 10 km apart: thinned at low zooms, all apart from zoom 7 (5 px cells of 6.1 km).
    const HubPoints hubs = hubGrid(10, 10000.f, 1.f);
    const std::vector<HubLevel> levels = buildHubLevels(hubs, 5.0, 3, 11);
    ASSERT_GE(levels.size(), 2u);
    EXPECT_EQ(levels.back().size(), 100u);
    EXPECT_LE(levels.back().minZoom, 7);
    for (std::size_t i = 0; i + 1 < levels.size(); ++i) {
        EXPECT_LT(levels[i].size(), kHubThinningWorthwhile * 100) << "zoom " << levels[i].minZoom;
        EXPECT_LT(levels[i].minZoom, levels[i + 1].minZoom);
    }
}

TEST(MapGeometry, HubLevelsComeInChunksThatTileThemInRowOrder) {
    // Hubs 20 km apart over 600 km square: 6 × 6 chunk cells.
    const HubPoints hubs = hubGrid(30, 20000.f, 5000.f);
    for (const HubLevel& level : buildHubLevels(hubs, 8.0, 5, 11)) {
        ASSERT_FALSE(level.chunks.empty());
        std::size_t next = 0;
        std::pair<double, double> previousCell{-1e9, -1e9};
        for (const DrawRange& r : level.chunks) {
            EXPECT_EQ(r.first, next);
            ASSERT_GT(r.count, 0u);
            next += r.count;
            const std::pair<double, double> cell{std::floor(r.bounds.miny / kHubChunkMetres),
                                                 std::floor(r.bounds.minx / kHubChunkMetres)};
            EXPECT_LT(previousCell, cell) << "chunks run row by row";
            previousCell = cell;
            for (std::size_t k = r.first; k < r.first + r.count; ++k) {
                const double x = level.positions[2 * k], y = level.positions[2 * k + 1];
                EXPECT_TRUE(r.bounds.contains(x, y));
                EXPECT_EQ(std::floor(x / kHubChunkMetres), cell.second);
                EXPECT_EQ(std::floor(y / kHubChunkMetres), cell.first);
            }
        }
        EXPECT_EQ(next, level.size()) << "zoom " << level.minZoom;
    }
    EXPECT_EQ(buildHubLevels(hubs, 8.0, 5, 11).back().chunks.size(), 36u);
}

TEST(MapGeometry, HubLevelsGroupKindsInTheOrderHubsFirstListThem) {
    // Three kinds over 3 × 3 chunk cells, listed interleaved: kind 2 first, then 0, then 1.
    HubPoints hubs;
    hubs.kinds = {"a", "b", "c"};
    const std::uint32_t listed[] = {2, 0, 2, 1, 0, 1, 2};
    for (int i = 0; i < 90; ++i) {
        hubs.positions.push_back(static_cast<float>(i % 9) * 33000.f + 1000.f);
        hubs.positions.push_back(static_cast<float>(i / 9) * 30000.f + 1000.f);
        hubs.kind.push_back(listed[i % std::size(listed)]);
    }
    for (const HubLevel& level : buildHubLevels(hubs, 8.0, 5, 11)) {
        ASSERT_EQ(level.groups.size(), 3u) << "zoom " << level.minZoom;
        EXPECT_EQ(level.groups[0].kind, 2u);
        EXPECT_EQ(level.groups[1].kind, 0u);
        EXPECT_EQ(level.groups[2].kind, 1u);
        std::size_t nextChunk = 0, nextSymbol = 0;
        for (const HubKindGroup& g : level.groups) {
            EXPECT_EQ(g.firstChunk, nextChunk);
            ASSERT_GT(g.chunkCount, 0u);
            nextChunk += g.chunkCount;
            std::pair<double, double> previousCell{-1e9, -1e9};
            for (std::size_t c = g.firstChunk; c < g.firstChunk + g.chunkCount; ++c) {
                const DrawRange& r = level.chunks[c];
                EXPECT_EQ(r.first, nextSymbol);
                nextSymbol += r.count;
                const std::pair<double, double> cell{std::floor(r.bounds.miny / kHubChunkMetres),
                                                     std::floor(r.bounds.minx / kHubChunkMetres)};
                EXPECT_LT(previousCell, cell) << "a kind's chunks run row by row";
                previousCell = cell;
                for (std::size_t k = r.first; k < r.first + r.count; ++k) EXPECT_EQ(level.kind[k], g.kind);
                // Within a chunk, hubs keep their order (here: rising x along a row, then y).
                for (std::size_t k = r.first + 1; k < r.first + r.count; ++k) {
                    const std::pair<float, float> a{level.positions[2 * k - 1], level.positions[2 * k - 2]};
                    const std::pair<float, float> b{level.positions[2 * k + 1], level.positions[2 * k]};
                    EXPECT_LT(a, b);
                }
            }
        }
        EXPECT_EQ(nextChunk, level.chunks.size());
        EXPECT_EQ(nextSymbol, level.size());
    }
}

// The picture cache, simulated pixel by pixel: each canvas pixel records which world pixel
// it was drawn for; after every drag, every screen pixel of the map area must find its
// world pixel where the canvas says it is — kept from before, or drawn in an uncovered strip.
TEST(ScrollingCanvas, EveryScreenPixelFindsWhatWasDrawnForIt) {
    constexpr int kW = 13, kH = 7;
    const PixelRect area{2, 1, 9, 5};
    ScrollingCanvas canvas(kW, kH);
    struct Cell {
        int x = -999, y = -999;
    };
    std::vector<Cell> pixels(kW * kH);
    int panX = 0, panY = 0;  // world pixel = screen pixel - pan
    auto draw = [&](const PixelRect& r) {
        for (const CanvasPiece& p : canvas.pieces(r)) {
            ASSERT_GE(p.screen.x + p.dx, 0);
            ASSERT_GE(p.screen.y + p.dy, 0);
            ASSERT_LE(p.screen.x + p.dx + p.screen.width, kW);
            ASSERT_LE(p.screen.y + p.dy + p.screen.height, kH);
            for (int y = p.screen.y; y < p.screen.y + p.screen.height; ++y) {
                for (int x = p.screen.x; x < p.screen.x + p.screen.width; ++x) {
                    pixels[(y + p.dy) * kW + x + p.dx] = {x - panX, y - panY};
                }
            }
        }
    };
    auto expectConsistent = [&](const std::string& after) {
        int covered = 0;
        for (const CanvasPiece& p : canvas.pieces(area)) {
            for (int y = p.screen.y; y < p.screen.y + p.screen.height; ++y) {
                for (int x = p.screen.x; x < p.screen.x + p.screen.width; ++x) {
                    const Cell& c = pixels[(y + p.dy) * kW + x + p.dx];
                    ASSERT_EQ(c.x, x - panX) << after << " at screen " << x << "," << y;
                    ASSERT_EQ(c.y, y - panY) << after << " at screen " << x << "," << y;
                    ++covered;
                }
            }
        }
        EXPECT_EQ(covered, area.width * area.height) << after;
    };
    draw(area);
    expectConsistent("the first picture");
    const int moves[][2] = {{1, 0},  {0, 1}, {3, -2},  {-4, 2}, {-1, -1}, {5, 3},  {0, -4}, {8, 0}, {2, 2},  {9, 1},
                            {-3, 5}, {4, 4}, {-8, -4}, {1, 1},  {0, 0},   {6, -3}, {-7, 2}, {3, 3}, {2, -1}, {-2, 4}};
    for (const auto& m : moves) {
        panX += m[0];
        panY += m[1];
        const std::vector<PixelRect> strips = canvas.scroll(area, m[0], m[1]);
        int drawn = 0;
        for (const PixelRect& r : strips) {
            draw(r);
            drawn += r.width * r.height;
        }
        const std::string after = "after a move of " + std::to_string(m[0]) + "," + std::to_string(m[1]);
        expectConsistent(after);
        // Only what the move uncovered is drawn: all of it for a move as large as the area.
        const bool whole = std::abs(m[0]) >= area.width || std::abs(m[1]) >= area.height;
        const int uncovered =
            whole ? area.width * area.height
                  : area.width * area.height - (area.width - std::abs(m[0])) * (area.height - std::abs(m[1]));
        EXPECT_EQ(drawn, uncovered) << after;
    }
}

TEST(Colours, DesignationsAndSharesHaveDistinctColours) {
    const Rgba full = designationColour(DesignationType::Full);
    const Rgba partial = designationColour(DesignationType::Partial);
    const Rgba deemed = designationColour(DesignationType::Deemed);
    const Rgba none = designationColour(DesignationType::None);
    EXPECT_NE(full, partial);
    EXPECT_NE(full, deemed);
    EXPECT_NE(partial, deemed);
    EXPECT_EQ(none, palette::kNotDesignated);
    EXPECT_NE(palette::kSea, none);
    EXPECT_EQ(shareClass(0.0), 0);
    EXPECT_EQ(shareClass(0.19), 0);
    EXPECT_EQ(shareClass(0.2), 1);
    EXPECT_EQ(shareClass(0.999), 4);
    EXPECT_EQ(shareClass(1.0), 4);
    EXPECT_EQ(shareClass(std::nan("")), 0);
    EXPECT_NE(shareColour(0.1), shareColour(0.9));
    EXPECT_NE(selectedColour(full), full);
    EXPECT_NE(hoveredColour(full), full);
    EXPECT_EQ(mix(full, none, 0), full);
    EXPECT_EQ(mix(full, none, 1), none);
    EXPECT_EQ(fillLegend(ColourMode::Designation, false).size(), 4u);
    EXPECT_EQ(fillLegend(ColourMode::Coverage, true).size(), static_cast<std::size_t>(kShareClasses) + 2);
    EXPECT_EQ(parseColourMode("coverage"), ColourMode::Coverage);
    EXPECT_EQ(parseColourMode("population"), ColourMode::Population);
    EXPECT_FALSE(parseColourMode("rainbow"));
    const std::vector<LegendEntry> people = fillLegend(ColourMode::Population, true);
    ASSERT_EQ(people.size(), static_cast<std::size_t>(kShareClasses) + 2);
    EXPECT_EQ(people[0].label.rfind("residents within reach", 0), 0u) << people[0].label;
    EXPECT_EQ(hubStyle("small_hub", 0).labelJa, "小さな拠点");
    EXPECT_NE(hubStyle("rmo", 1).shape, hubStyle("small_hub", 0).shape);
    EXPECT_EQ(hubStyle("imported", 7).labelJa, "imported");
    // A custom kind's display name (import --kind-label, Dataset::kindLabels) is its legend label.
    const std::map<std::string, std::string> labels = {{"shimane_small_hub", "島根県小さな拠点"}};
    EXPECT_EQ(hubStyle("shimane_small_hub", 4, labels).labelJa, "島根県小さな拠点");
    EXPECT_EQ(hubStyle("imported", 7, labels).labelJa, "imported");
}

TEST(Colours, PrefectureRowsSortByAnyColumn) {
    CoverageResult r;
    auto add = [&](int code, const char* name, int designated, int covered, std::optional<double> share) {
        PrefectureCoverage p;
        p.code = code;
        p.name = name;
        p.totals.designated = designated;
        p.totals.covered = covered;
        p.totals.coveredShare = share;
        r.prefectures.push_back(p);
    };
    add(1, "北海道", 152, 40, 0.30);
    add(39, "高知県", 29, 20, 0.80);
    add(47, "沖縄県", 18, 2, std::nullopt);
    std::vector<PrefectureRow> rows = prefectureRows(r);
    sortPrefectureRows(rows, PrefectureColumn::Share, false);
    EXPECT_EQ(rows[0].code, 39);
    EXPECT_EQ(rows[1].code, 1);
    EXPECT_NEAR(rows[2].share(), 2.0 / 18, 1e-12);  // no area share: covered / designated
    sortPrefectureRows(rows, PrefectureColumn::Designated, true);
    EXPECT_EQ(rows[0].code, 47);
    sortPrefectureRows(rows, PrefectureColumn::Code, true);
    EXPECT_EQ(rows[2].code, 47);
    // By residents within reach, most first; without population figures last.
    r.prefectures[0].totals.populationShare = 0.5;
    r.prefectures[1].totals.populationShare = 0.9;
    rows = prefectureRows(r);
    sortPrefectureRows(rows, PrefectureColumn::Population, false);
    EXPECT_EQ(rows[0].code, 39);
    EXPECT_EQ(rows[1].code, 1);
    EXPECT_EQ(rows[2].code, 47);
}

TEST(Search, KatakanaFoldsToHiragana) {
    EXPECT_EQ(toHiragana("オオカワムラ"), "おおかわむら");
    EXPECT_EQ(toHiragana("大川村 abc"), "大川村 abc");
}

TEST(Search, TheEmbeddedReadingListIsTheVendoredOne) {
    const std::vector<Reading> readings = embeddedReadings();
    EXPECT_GT(readings.size(), 1700u);
    const auto okawa =
        std::find_if(readings.begin(), readings.end(), [](const Reading& r) { return r.code == "39364"; });
    ASSERT_NE(okawa, readings.end());
    EXPECT_EQ(okawa->name, "大川村");
    EXPECT_EQ(okawa->reading, "おおかわむら");
    EXPECT_THROW(parseJpLocalGovCodes("{\"not\": \"a list\"}", "x.json"), Error);
    EXPECT_THROW(parseJpLocalGovCodes("[{", "x.json"), Error);
}

TEST(EmbeddedFiles, EveryShaderHasBothStagesAndThePreludeHasTheVersion) {
    EXPECT_TRUE(embeddedFile("shaders/prelude.glsl")->rfind("#version 330 core", 0) == 0);
    for (const char* program : {"fill", "line", "symbol"}) {
        EXPECT_TRUE(embeddedFile(std::string("shaders/") + program + ".vertex.glsl")) << program;
        EXPECT_TRUE(embeddedFile(std::string("shaders/") + program + ".fragment.glsl")) << program;
    }
    EXPECT_FALSE(embeddedFile("shaders/missing.glsl"));
}

TEST(Options, SizeViewAndDragParseOrSayWhatIsWrong) {
    int w = 0, h = 0;
    parseSize("1600x1000", w, h);
    EXPECT_EQ(w, 1600);
    EXPECT_EQ(h, 1000);
    EXPECT_THROW(parseSize("1600", w, h), UsageError);
    EXPECT_THROW(parseSize("10x10", w, h), UsageError);
    EXPECT_THROW(parseSize("axb", w, h), UsageError);
    const ViewSpec v = parseViewSpec("133.5,33.8,9");
    EXPECT_DOUBLE_EQ(v.lon, 133.5);
    EXPECT_DOUBLE_EQ(v.lat, 33.8);
    EXPECT_DOUBLE_EQ(v.zoom, 9);
    EXPECT_THROW(parseViewSpec("133.5,33.8"), UsageError);
    EXPECT_THROW(parseViewSpec("133.5,95,9"), UsageError);
    EXPECT_THROW(parseViewSpec("133.5,33.8,30"), UsageError);
    const DragSpec d = parseDragSpec("300,-120");
    EXPECT_EQ(d.dx, 300);
    EXPECT_EQ(d.dy, -120);
    EXPECT_THROW(parseDragSpec("300"), UsageError);
    EXPECT_THROW(parseDragSpec("1.5,2"), UsageError);
    EXPECT_THROW(parseDragSpec("1,99999"), UsageError);
}

TEST(Png, WritesAndReadsBackExactly) {
    test::ScratchDir dir;
    Image image;
    image.width = 7;
    image.height = 3;
    for (int i = 0; i < 21; ++i) {
        image.rgba.insert(image.rgba.end(),
                          {static_cast<std::uint8_t>(i), 100, static_cast<std::uint8_t>(200 - i), 255});
    }
    const std::string path = dir.file("x.png");
    writePng(path, image);
    const Image back = readPng(path);
    EXPECT_EQ(back.width, 7);
    EXPECT_EQ(back.height, 3);
    EXPECT_EQ(back.rgba, image.rgba);
    EXPECT_EQ(back.at(6, 2), (Rgba{20, 100, 180, 255}));
    Image flipped = image;
    flipped.flipVertically();
    EXPECT_EQ(flipped.at(0, 0), image.at(0, 2));
    // A failed write names the file and leaves nothing behind.
    try {
        writePng(dir.file("missing-folder/y.png"), image);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("missing-folder/y.png"), std::string::npos) << e.what();
    }
    EXPECT_THROW(readPng(dir.file("nothing.png")), Error);
}

// ---------------------------------------------------------------------------------------
// BackgroundTask: the viewer's one-job-on-a-thread helper

/// Polls as the UI thread does, a frame every millisecond, until the job has finished.
template <class T>
bool pollUntilFinished(const BackgroundTask<T>& task) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!task.finished()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

TEST(BackgroundTask, DeliversTheResultOnceAndOnlyWhenDone) {
    BackgroundTask<std::string> task;
    EXPECT_FALSE(task.active());
    EXPECT_FALSE(task.take());
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    task.start([released](TaskProgress& progress) {
        progress.step("waiting");
        progress.fraction(0.25);
        released.wait();
        return std::string("the result");
    });
    EXPECT_TRUE(task.active());
    EXPECT_TRUE(task.running());
    EXPECT_FALSE(task.finished());
    EXPECT_FALSE(task.take());  // not yet: the job waits for `release`
    EXPECT_THROW(task.start([](TaskProgress&) { return std::string("second"); }), std::logic_error);
    release.set_value();
    ASSERT_TRUE(pollUntilFinished(task));
    EXPECT_EQ(task.progress().step, "waiting");
    EXPECT_DOUBLE_EQ(task.progress().fraction, 0.25);
    const std::optional<std::string> result = task.take();
    ASSERT_TRUE(result);
    EXPECT_EQ(*result, "the result");
    EXPECT_FALSE(task.take());  // once
    EXPECT_FALSE(task.active());
    // The next job may start now, and wait() blocks for it.
    task.start([](TaskProgress&) { return std::string("next"); });
    EXPECT_EQ(task.wait(), "next");
    EXPECT_FALSE(task.take());
    EXPECT_THROW(task.wait(), std::logic_error);
}

TEST(BackgroundTask, HandsTheJobsExceptionToTheUiThreadOnce) {
    BackgroundTask<int> task;
    task.start([](TaskProgress&) -> int { throw Error("no such database: x.sqlite"); });
    ASSERT_TRUE(pollUntilFinished(task));
    try {
        task.take();
        FAIL() << "the job's exception was not rethrown";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "no such database: x.sqlite");
    }
    EXPECT_FALSE(task.take());  // handed back once, not again
    task.start([](TaskProgress&) -> int { throw std::runtime_error("boom"); });
    EXPECT_THROW(task.wait(), std::runtime_error);
    task.start([](TaskProgress&) { return 7; });
    EXPECT_EQ(task.wait(), 7);  // an earlier failure does not stick
}

TEST(BackgroundTask, CancelStopsAJobThatChecksAndTheNextJobStartsUncancelled) {
    BackgroundTask<int> task;
    std::atomic<bool> started{false};
    task.start([&started](TaskProgress& progress) {
        started = true;
        for (;;) {
            progress.checkCancelled();
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return 0;
    });
    while (!started) std::this_thread::yield();
    task.cancel();
    EXPECT_THROW(task.wait(), Cancelled);
    task.start([](TaskProgress& progress) {
        progress.checkCancelled();
        return 1;
    });
    EXPECT_EQ(task.wait(), 1);
}

TEST(BackgroundTask, DestructorCancelsAndJoins) {
    std::atomic<bool> started{false}, stopped{false};
    {
        BackgroundTask<int> task;
        task.start([&](TaskProgress& progress) {
            started = true;
            try {
                for (;;) {
                    progress.checkCancelled();
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
            } catch (const Cancelled&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a slow goodbye
                stopped = true;
                throw;
            }
            return 0;
        });
        while (!started) std::this_thread::yield();
    }
    EXPECT_TRUE(stopped);  // the job ended before the task was gone
    // A job that never checks for cancellation is waited for, its result dropped.
    std::atomic<bool> finished{false};
    {
        BackgroundTask<int> task;
        task.start([&](TaskProgress&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            finished = true;
            return 0;
        });
    }
    EXPECT_TRUE(finished);
}

}  // namespace
}  // namespace hubmap::viewer

namespace hubmap::viewer {
namespace {

// The GPU draws a hub's catchment as the ellipse of the map's derivative at the hub
// (HubPoints::frames): it stays within kCatchmentDiskError × R² of the projected geodesic
// circle, from Okinawa to Hokkaido, at the radii the Query panel offers and beyond.
TEST(MapGeometry, HubFramesDrawGeodesicDisksAsTheirProjectedEllipses) {
    Dataset data;
    for (const auto& [lon, lat] : std::vector<std::pair<double, double>>{
             {123.8, 24.3}, {130.5, 31.5}, {137.0, 36.0}, {141.3, 38.3}, {144.5, 43.5}}) {
        Hub h;
        h.kind = "small_hub";
        h.lon = lon;
        h.lat = lat;
        data.hubs.push_back(h);
    }
    const MapProjection projection;
    const HubPoints hubs = buildHubPoints(data, projection);
    ASSERT_EQ(hubs.frames.size(), 4 * data.hubs.size());
    const Geodesic geodesic;
    for (std::size_t i = 0; i < hubs.size(); ++i) {
        const Hub& h = data.hubs[static_cast<std::size_t>(hubs.hubIndex[i])];
        const WorldPoint c = projection.forward(*h.lon, *h.lat);
        const float* f = &hubs.frames[4 * i];
        for (double km : {0.5, 5.0, 30.0, 100.0}) {
            double worst = 0;
            for (int k = 0; k < 32; ++k) {
                const double azimuth = k * 360.0 / 32;
                double lon = 0, lat = 0;
                geodesic.direct(*h.lon, *h.lat, azimuth, km, lon, lat);
                const WorldPoint exact = projection.forward(lon, lat);
                const double a = azimuth * 3.14159265358979323846 / 180, east = km * 1000 * std::sin(a),
                             north = km * 1000 * std::cos(a);
                const double x = c.x + east * f[0] + north * f[2], y = c.y + east * f[1] + north * f[3];
                worst = std::max(worst, std::hypot(x - exact.x, y - exact.y));
            }
            const double r = km * 1000;
            EXPECT_LT(worst, kCatchmentDiskError * r * r + 0.05 + 1e-6 * r)
                << "hub at " << *h.lon << ", " << *h.lat << ", R = " << km << " km";
        }
    }
}

}  // namespace
}  // namespace hubmap::viewer

namespace hubmap::viewer {
namespace {

// The catchments' field leaves out only disks that lie on cells deep inside the union, and
// those cells are inside some disk by more than a texel and a half.
TEST(MapGeometry, CatchmentFieldLeavesOutOnlyDisksDeepInsideTheUnion) {
    HubPoints hubs;
    hubs.kinds = {"a", "b"};
    for (int y = 0; y < 40; ++y) {
        for (int x = 0; x < 40; ++x) {
            hubs.positions.insert(hubs.positions.end(), {x * 2000.f + (y % 3) * 300.f, y * 2000.f});
            hubs.frames.insert(hubs.frames.end(), {1.f, 0.f, 0.f, 1.f});
            hubs.kind.push_back(x == 39 ? 1u : 0u);  // the last column: a kind not asked for
        }
    }
    const double radiusKm = 5;
    const CatchmentFieldPlan plan = planCatchmentField(hubs, radiusKm, 1, 256);
    ASSERT_FALSE(plan.bounds.empty);
    EXPECT_EQ(plan.candidates, 40u * 39u);
    EXPECT_LT(plan.disks.size(), plan.candidates / 2) << "most disks lie deep inside";
    ASSERT_FALSE(plan.coveredTexels.empty());
    auto inCovered = [&](double x, double y) {
        for (std::size_t q = 0; q + 3 < plan.coveredTexels.size(); q += 4) {
            const int* t = &plan.coveredTexels[q];
            if (x >= plan.bounds.minx + t[0] * plan.texel && x <= plan.bounds.minx + t[2] * plan.texel &&
                y >= plan.bounds.miny + t[1] * plan.texel && y <= plan.bounds.miny + t[3] * plan.texel) {
                return true;
            }
        }
        return false;
    };
    std::vector<bool> kept(hubs.size(), false);
    for (std::uint32_t i : plan.disks) kept[i] = true;
    const double r = radiusKm * 1000;
    for (std::size_t i = 0; i < hubs.size(); ++i) {
        const double cx = hubs.positions[2 * i], cy = hubs.positions[2 * i + 1];
        if (hubs.kind[i] != 0) {
            EXPECT_FALSE(kept[i]) << "a kind not asked for";
            continue;
        }
        // The grid's outer hubs make the union's edge (column 38 borders the kind left out).
        if (cx < 1000 || cy < 1000 || cy > 77000 || cx > 38 * 2000.0 - 1000) {
            EXPECT_TRUE(kept[i]) << "a disk on the union's edge at " << cx << ", " << cy;
        }
        if (kept[i]) continue;
        for (int k = 0; k < 32; ++k) {  // a left-out disk lies on the covered cells
            const double a = k * 3.14159265358979323846 / 16;
            EXPECT_TRUE(inCovered(cx + r * std::cos(a), cy + r * std::sin(a))) << "disk " << i;
        }
    }
    // Every covered texel centre is inside some disk of the kind by 1.5 texels.
    for (std::size_t q = 0; q + 3 < plan.coveredTexels.size(); q += 4) {
        const int* t = &plan.coveredTexels[q];
        for (int ty = t[1]; ty < t[3]; ++ty) {
            for (int tx = t[0]; tx < t[2]; ++tx) {
                const double x = plan.bounds.minx + (tx + 0.5) * plan.texel,
                             y = plan.bounds.miny + (ty + 0.5) * plan.texel;
                double nearest = 1e18;
                for (std::size_t i = 0; i < hubs.size(); ++i) {
                    if (hubs.kind[i] == 0) {
                        nearest =
                            std::min(nearest, std::hypot(x - hubs.positions[2 * i], y - hubs.positions[2 * i + 1]));
                    }
                }
                EXPECT_LE(nearest, r - 1.5 * plan.texel) << "texel " << tx << ", " << ty;
            }
        }
    }
}

// One disk's field as catchment_mask.fragment.glsl leaves it in a 64-texel square of 100 m
// texels: 0.5 on the edge, 0 from the range outside (GL_MAX with the clear), past 1 inside.
struct DiskField {
    static constexpr int kSize = 64;
    static constexpr double kTexel = 100, kCentre = 3200, kRadius = 1600, kRange = 400;
    std::vector<float> texels = std::vector<float>(kSize * kSize);
    WorldBounds bounds;
    DiskField() {
        bounds.expand(0, 0);
        bounds.expand(kSize * kTexel, kSize * kTexel);
        for (int ty = 0; ty < kSize; ++ty) {
            for (int tx = 0; tx < kSize; ++tx) {
                const double inside =
                    kRadius - std::hypot((tx + 0.5) * kTexel - kCentre, (ty + 0.5) * kTexel - kCentre);
                texels[ty * kSize + tx] = static_cast<float>(std::max(0.0, 0.5 + inside / (2 * kRange)));
            }
        }
    }
    /// What GL's bilinear read (GL_CLAMP_TO_EDGE) gives at a world point.
    double sample(double x, double y) const {
        const double u = x / kTexel - 0.5, v = y / kTexel - 0.5;
        const int i = static_cast<int>(std::floor(u)), j = static_cast<int>(std::floor(v));
        const double fu = u - i, fv = v - j;
        auto at = [&](int a, int b) {
            return static_cast<double>(texels[std::clamp(b, 0, kSize - 1) * kSize + std::clamp(a, 0, kSize - 1)]);
        };
        return (1 - fu) * (1 - fv) * at(i, j) + fu * (1 - fv) * at(i + 1, j) + (1 - fu) * fv * at(i, j + 1) +
               fu * fv * at(i + 1, j + 1);
    }
    FieldSides sides() const {
        FieldSides s(bounds, kSize);
        s.addRows(0, 24, texels.data());  // in strips, as the renderer reads the field back
        s.addRows(24, kSize - 24, texels.data() + 24 * kSize);
        return s;
    }
};

TEST(MapGeometry, FieldSidesHoldWhereverTheFillReadsTheField) {
    const DiskField field;
    FieldSides sides = field.sides();
    std::mt19937 random(7);
    std::uniform_real_distribution<double> unit(0, 1);
    for (double margin : {0.5, 0.3, 0.1}) {
        sides.setMargin(margin);
        std::array<int, 3> counts{};
        for (int n = 0; n < 4000; ++n) {
            // Triangles of 1 m to 2 km, some reaching off the field (its edge texels clamp).
            const double cx = -500 + unit(random) * 7400, cy = -500 + unit(random) * 7400;
            const double extent = std::pow(10.0, unit(random) * 3.3);
            double x[3], y[3];
            WorldBounds box;
            for (int k = 0; k < 3; ++k) {
                x[k] = cx + (unit(random) - 0.5) * extent;
                y[k] = cy + (unit(random) - 0.5) * extent;
                box.expand(x[k], y[k]);
            }
            const FieldSides::Side side = sides.sideOf(box);
            ++counts[side];
            if (side == FieldSides::kEdge) continue;
            for (int p = 0; p < 60; ++p) {  // corners, then points all over the triangle
                double a = p < 3 ? p == 0 : unit(random), b = p < 3 ? p == 1 : unit(random);
                if (a + b > 1) a = 1 - a, b = 1 - b;
                const double px = x[0] * a + x[1] * b + x[2] * (1 - a - b);
                const double py = y[0] * a + y[1] * b + y[2] * (1 - a - b);
                const double value = field.sample(px, py);
                if (side == FieldSides::kOutside) {
                    ASSERT_LE(value, 0.5 - margin + 1e-6) << "outside at " << px << ", " << py << ", margin " << margin;
                } else {
                    ASSERT_GE(value, 0.5 + margin - 1e-6) << "inside at " << px << ", " << py << ", margin " << margin;
                }
            }
        }
        EXPECT_GT(counts[FieldSides::kOutside], 1000) << "margin " << margin;
        EXPECT_GT(counts[FieldSides::kInside], 30) << "margin " << margin;
        EXPECT_GT(counts[FieldSides::kEdge], 300) << "margin " << margin;
    }
    // Along the centre's row texel 51 (its centre 1,950 m out) is the last short of the range;
    // a read between 5,150 and 5,250 m blends it in, though that lies in texel 52's block.
    sides.setMargin(0.5);
    WorldBounds near;
    near.expand(5210, DiskField::kCentre);
    near.expand(5215, DiskField::kCentre + 1);
    EXPECT_GT(field.sample(5210, DiskField::kCentre), 0.0);
    EXPECT_EQ(sides.sideOf(near), FieldSides::kEdge);
    WorldBounds far;  // reads texels 53 and 54 only
    far.expand(5360, DiskField::kCentre);
    far.expand(5400, DiskField::kCentre + 1);
    EXPECT_EQ(field.sample(5360, DiskField::kCentre), 0.0);
    EXPECT_EQ(sides.sideOf(far), FieldSides::kOutside);
}

TEST(MapGeometry, FillOrderKeepsEveryTriangleOnceInItsChunkAndGroup) {
    const DiskField field;
    FieldSides sides = field.sides();
    sides.setMargin(0.5);
    std::mt19937 random(11);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<float> positions;
    std::vector<std::uint32_t> attributes;
    std::vector<DrawRange> chunks;
    for (int c = 0; c < 5; ++c) {  // chunks of 0 to 80 triangles
        DrawRange chunk;
        chunk.first = positions.size() / 2;
        const int triangles = c == 2 ? 0 : 20 * c;
        for (int t = 0; t < triangles; ++t) {
            const double cx = unit(random) * 6400, cy = unit(random) * 6400, extent = unit(random) * 800;
            const unsigned edges = random() % 3 == 0 ? 0u : 1u << (random() % 3);
            for (int k = 0; k < 3; ++k) {
                positions.push_back(static_cast<float>(cx + (unit(random) - 0.5) * extent));
                positions.push_back(static_cast<float>(cy + (unit(random) - 0.5) * extent));
                chunk.bounds.expand(positions[positions.size() - 2], positions.back());
                attributes.push_back(FillMesh::packAttributes(static_cast<std::uint32_t>(c), k, edges, 100));
            }
        }
        chunk.count = positions.size() / 2 - chunk.first;
        chunks.push_back(chunk);
    }
    const FillOrder order = orderFill(sides, positions.data(), attributes.data(), chunks);
    ASSERT_EQ(order.indices.size(), positions.size() / 2);
    std::vector<int> seen(positions.size() / 2, 0);
    std::array<int, FillOrder::kGroups> triangles{};
    std::size_t next = 0;
    for (int g = 0; g < FillOrder::kGroups; ++g) {
        ASSERT_EQ(order.chunks[g].size(), chunks.size());
        for (std::size_t c = 0; c < chunks.size(); ++c) {
            const DrawRange& range = order.chunks[g][c];
            EXPECT_EQ(range.first, next) << "the groups and chunks one after the other";
            EXPECT_EQ(range.count % 3, 0u);
            EXPECT_EQ(range.bounds.minx, chunks[c].bounds.minx);
            for (std::size_t i = range.first; i + 2 < range.first + range.count; i += 3) {
                const std::uint32_t v = order.indices[i];
                EXPECT_EQ(v % 3, 0u);
                EXPECT_EQ(order.indices[i + 1], v + 1);
                EXPECT_EQ(order.indices[i + 2], v + 2);
                EXPECT_GE(v, chunks[c].first);
                EXPECT_LT(v, chunks[c].first + chunks[c].count);
                WorldBounds box;
                for (std::uint32_t k = v; k < v + 3; ++k) {
                    box.expand(positions[2 * k], positions[2 * k + 1]);
                    ++seen[k];
                }
                const FieldSides::Side side = sides.sideOf(box);
                EXPECT_EQ(FillOrder::group(side, FillMesh::edgeMaskOf(attributes[v]) != 0), g);
                ++triangles[g];
            }
            next += range.count;
        }
    }
    EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<long>(seen.size()));
    for (int g = 0; g < FillOrder::kGroups; ++g) EXPECT_GT(triangles[g], 0) << "group " << g;
}

}  // namespace
}  // namespace hubmap::viewer
