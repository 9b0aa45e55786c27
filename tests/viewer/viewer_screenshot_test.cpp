// hubmap-viewer as a user runs it: real windows under Xvfb (Mesa llvmpipe), screenshots
// written with --screenshot and --script, and their pixels checked against the library's own
// answers (projection, view transform, designations, coverage shares).
// Registered by tests/viewer/CMakeLists.txt to run inside xvfb-run.
//
// Each start of the viewer loads a database and builds the map, so the pictures are taken
// once for the whole suite, by three runs side by side: one --script run takes every picture
// of the national database, one run takes the first of them alone with --screenshot (the
// two must agree), and one --script run takes the pictures of the 6,000-hub database that
// gen_hubs makes. The tests then check the PNGs.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>

#include "core/geodesic.hpp"
#include "io/store.hpp"
#include "test_util.hpp"
#include "viewer/colour_scheme.hpp"
#include "viewer/hit_test.hpp"
#include "viewer/png_image.hpp"
#include "viewer/print_layout.hpp"
#include "viewer/view_transform.hpp"

namespace hubmap::viewer {
namespace {

constexpr int kWidth = 1600, kHeight = 1000;

/// A picture to take: the name of its PNG (NAME.png in the scratch folder) and its options.
struct Shot {
    std::string name, options;
};

/// The coverage pictures: 高知県大川村 with the print page, 函館市 (一部過疎: the part's share),
/// each queried for its prefecture only (a municipality's share counts every hub, wherever it
/// is: the prefecture filter only leaves the others out of the query, and costs a fraction).
struct CoverageCase {
    const char* code;
    const char* prefecture;
};
constexpr CoverageCase kCoverageCases[] = {{"39364", "高知県"}, {"01202", "北海道"}};
constexpr const char* kPrintTitle = "高知県の拠点カバー率";

/// The 6,000-hub pictures: the view, and the radius of the one with catchments.
constexpr double kManyLon = 133.4, kManyLat = 33.7, kManyZoom = 10, kManyRadiusKm = 5;

/// The zoom of the pictures of each kind's symbol: 7.2 px symbols with a halo, no
/// municipality names yet (from 7.2).
constexpr double kLoneHubZoom = 7;

/// The hatching's pictures: around 高知市 (一部過疎 parts, whole 全部過疎 municipalities).
constexpr double kUncoveredLon = 133.45, kUncoveredLat = 33.62, kUncoveredZoom = 9.5, kUncoveredRadiusKm = 5;
// Zoomed out, where the catchments' field is finer than a pixel (texels about 0.95 km, 4.9 km
// a pixel): 高知県's query at 5 km with all of Japan from Kyushu to Hokkaido in view.
constexpr double kZoomedOutLon = 137.5, kZoomedOutLat = 37, kZoomedOutZoom = 5;

/// --planned: 香美市, `hubmap suggest`'s first site for 高知県 at 5 km.
constexpr double kPlanLon = 133.69908, kPlanLat = 33.62359;

struct DesignationCase {
    const char* code;  ///< a trailing + means the part of a 一部過疎 municipality outside its designated part
    const char* what;
    Rgba expected;
};
std::vector<DesignationCase> designationCases() {
    return {DesignationCase{"39364", "高知県大川村 全部過疎", designationColour(DesignationType::Full)},
            DesignationCase{"39204", "高知県南国市 not designated", palette::kNotDesignated},
            DesignationCase{"01202", "北海道函館市 一部過疎", designationColour(DesignationType::Partial)},
            DesignationCase{"03209", "岩手県一関市 みなし過疎", designationColour(DesignationType::Deemed)},
            DesignationCase{"01202+", "北海道函館市 outside its designated part", palette::kNotDesignated}};
}

class ViewerScreenshots : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // The suite's own folder (a ScratchDir is named after the test that makes it).
        std::filesystem::remove_all(folder());
        std::filesystem::create_directories(folder());
        const std::filesystem::path config = folder() / "config";
        std::filesystem::create_directories(config / "hubmap");
        // A broken viewer.json (which would draw a warning): a scripted run must not read the
        // remembered settings, nor write anything beside them.
        std::ofstream(config / "hubmap" / "viewer.json") << R"({"height": 5})";

        // Three runs side by side; the two that need no view from the data start first.
        auto single = std::async(std::launch::async, [] { return screenshot("japan-alone", "", test::kNationalDb); });
#ifdef HUBMAP_GEN_HUBS_PATH
        auto many = std::async(std::launch::async, [] {
            const std::string db = file("many.sqlite");
            test::CommandResult gen = test::runCommand(
                fmt::format("{} --db {} --out {} --n 6000 --seed 3", HUBMAP_GEN_HUBS_PATH, test::kNationalDb, db));
            if (gen.status != 0) return gen;
            const std::string view = fmt::format("--view {},{},{}", kManyLon, kManyLat, kManyZoom);
            std::vector<Shot> shots;
            // Catchments follow the radius and kinds, not the query's prefectures: 高知県 keeps
            // the figures (not drawn at this hub count) from measuring the whole country.
            shots.push_back(
                {"many-catchments", fmt::format("{} --radius-km {} --prefecture 高知県", view, kManyRadiusKm)});
            shots.push_back({"many-plain", view});
            shots.push_back(
                {"many-catchments-one",
                 fmt::format("{} --radius-km {} --prefecture 高知県 --one-fill-program", view, kManyRadiusKm)});
            return script("many", shots, db);
        });
#endif
        LoadOptions load;
        load.settlements = false;
        data = new Dataset(loadDataset(test::kNationalDb, load));
        locator = new MunicipalityLocator(*data);

        // Every picture of the national database, in one run. The first picture again at
        // the end: nothing a step leaves (a drag, a selection, a query, a plan) may show in
        // the next.
        std::vector<Shot> national{{"japan", ""}};
        national.push_back({"dragged", "--view 133.5,33.6,9 --drag 173,-91"});
        const WorldPoint end = draggedTo();
        national.push_back({"fresh", fmt::format("--view {:.12f},{:.12f},9", end.x, end.y)});
        for (const DesignationCase& c : designationCases()) {
            const WorldPoint p = designationPoint(c.code);
            national.push_back(
                {fmt::format("designation-{}", c.code), fmt::format("--view {:.6f},{:.6f},10", p.x, p.y)});
        }
        const WorldPoint okawa = pointInside("39364");
        national.push_back({"selected", fmt::format("--select 39364 --view {:.6f},{:.6f},11", okawa.x, okawa.y)});
        for (const CoverageCase& c : kCoverageCases) {
            const WorldPoint p = pointInside(c.code);
            const bool print = std::string(c.code) == "39364";
            national.push_back(
                {fmt::format("coverage-{}", c.code),
                 fmt::format("--colour coverage --radius-km 10 --prefecture {} --view {:.6f},{:.6f},10{}", c.prefecture,
                             p.x, p.y,
                             print ? fmt::format(" --print {} --title {}", file("page.png"), kPrintTitle) : "")});
        }
        national.push_back({"planned", fmt::format("--prefecture 高知県 --radius-km 5 --view {:.5f},{:.5f},11 --plan "
                                                   "{:.5f},{:.5f}",
                                                   kPlanLon, kPlanLat, kPlanLon, kPlanLat)});
        national.push_back({"borders", "--view 133.0,33.55,11"});
        // The uncovered areas' hatching: 高知県 at 5 km, and the same view with no radius.
        national.push_back(
            {"uncovered", fmt::format("--prefecture 高知県 --radius-km {} --view {},{},{}", kUncoveredRadiusKm,
                                      kUncoveredLon, kUncoveredLat, kUncoveredZoom)});
        national.push_back({"uncovered-none", fmt::format("--prefecture 高知県 --view {},{},{}", kUncoveredLon,
                                                          kUncoveredLat, kUncoveredZoom)});
        // Pictures drawn as FillOrder groups the fill and with one program for all of it (the
        // catchments' field, at zoom 9.5, 7 and 5; no radius, at zoom 7 and with a selection).
        national.push_back(
            {"uncovered-one", fmt::format("--prefecture 高知県 --radius-km {} --view {},{},{} "
                                          "--one-fill-program",
                                          kUncoveredRadiusKm, kUncoveredLon, kUncoveredLat, kUncoveredZoom)});
        national.push_back({"selected-one", fmt::format("--select 39364 --view {:.6f},{:.6f},11 --one-fill-program",
                                                        okawa.x, okawa.y)});
        for (const char* one : {"", " --one-fill-program"}) {
            const std::string suffix = *one ? "-one" : "";
            national.push_back(
                {"sides-7" + suffix, fmt::format("--prefecture 高知県 --radius-km 5 --view 133.6,33.8,7{}", one)});
            national.push_back({"plain-7" + suffix, fmt::format("--view 133.6,33.8,7{}", one)});
            national.push_back(
                {"zoomed-out" + suffix, fmt::format("--prefecture 高知県 --radius-km 5 --view {},{},{}{}",
                                                    kZoomedOutLon, kZoomedOutLat, kZoomedOutZoom, one)});
        }
        national.push_back({"zoomed-out-none", fmt::format("--prefecture 高知県 --view {},{},{}", kZoomedOutLon,
                                                           kZoomedOutLat, kZoomedOutZoom)});
        for (const auto& [kind, hub] : loneHubs()) {
            const std::string view = fmt::format("--view {:.6f},{:.6f},{}", hub.x, hub.y, kLoneHubZoom);
            std::string others;
            for (const auto& [other, unused] : loneHubs()) {
                if (other != kind) others += (others.empty() ? "" : ",") + other;
            }
            national.push_back({"kind-" + kind, fmt::format("{} --kinds {}", view, kind)});
            if (!others.empty()) {
                national.push_back({"kind-" + kind + "-hidden", fmt::format("{} --kinds {}", view, others)});
            }
        }
        national.push_back({"japan-again", ""});

        const test::CommandResult nationalRun = script("national", national, test::kNationalDb);
        for (const Shot& s : national) runs[s.name] = nationalRun;
        runs["japan-alone"] = single.get();
#ifdef HUBMAP_GEN_HUBS_PATH
        const test::CommandResult manyRun = many.get();
        runs["many-catchments"] = runs["many-plain"] = runs["many-catchments-one"] = manyRun;
#endif
    }
    static void TearDownTestSuite() {
        std::filesystem::remove_all(folder());
        delete locator;
        delete data;
        runs.clear();
    }

    /// Where the pictures are written.
    static std::filesystem::path folder() {
        return std::filesystem::path(test::kTmpDir) / "ViewerScreenshots.pictures";
    }
    static std::string file(const std::string& name) { return (folder() / name).string(); }

    /// hubmap-viewer with the settings folder set up above, the size, -q and `args`.
    static test::CommandResult runViewer(const std::string& db, const std::string& args) {
        return test::runCommand(fmt::format("XDG_CONFIG_HOME={} {} --db {} --size {}x{} -q {}",
                                            (folder() / "config").string(), HUBMAP_VIEWER_PATH, db, kWidth, kHeight,
                                            args));
    }
    /// One picture, one run: --screenshot NAME.png.
    static test::CommandResult screenshot(const std::string& name, const std::string& options, const std::string& db) {
        return runViewer(db, fmt::format("--screenshot {} {}", file(name + ".png"), options));
    }
    /// Several pictures, one run: a --script file with a line per shot.
    static test::CommandResult script(const std::string& name, const std::vector<Shot>& shots, const std::string& db) {
        const std::string path = file(name + "-script.txt");
        {
            std::ofstream out(path);
            for (const Shot& s : shots) out << "--screenshot " << file(s.name + ".png") << " " << s.options << "\n";
        }
        return runViewer(db, "--script " + path);
    }

    /// The picture `name`, once its run is checked: it succeeded, read no settings and
    /// wrote none.
    static Image picture(const std::string& name) {
        const test::CommandResult& r = runs.at(name);
        EXPECT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(r.err.find("viewer.json"), std::string::npos) << "a scripted run read the settings: " << r.err;
        EXPECT_FALSE(std::filesystem::exists(folder() / "config" / "hubmap" / "imgui.ini"));
        return readPng(file(name + ".png"));
    }

    /// Where the view of the dragged picture ends: 133.5,33.6 at zoom 9, dragged by 173,-91.
    static WorldPoint draggedTo() {
        ViewTransform end = viewAt(133.5, 33.6, 9, false);
        end.panPixels(173, -91);
        return projection().inverse(end.centre().x, end.centre().y);
    }

    /// A point inside the municipality (or part) of a designation case.
    static WorldPoint designationPoint(const std::string& code) {
        return pointInside(code.substr(0, 5).c_str(), code.size() > 5);
    }

    /// The view hubmap-viewer uses for --view LON,LAT,ZOOM (details panel open when selecting).
    static ViewTransform viewAt(double lon, double lat, double zoom, bool details) {
        ViewTransform v;
        v.setWindow(kWidth, kHeight, mapAreaFor(kWidth, kHeight, details));
        v.setCentre(projection().forward(lon, lat));
        v.setZoomLevel(zoom);
        return v;
    }

    /// The most common colour of the pixels well inside municipality `index` (every point
    /// of a 9×9 px box around the pixel in it too, so borders do not count), and how many
    /// pixels were sampled.
    /// The most common colour inside municipality `index`; with `within` (lon/lat), only
    /// where the 3×3 probe also lies in it (a 一部過疎 municipality's part, or its rest).
    static std::pair<Rgba, int> insideColour(const Image& image, const ViewTransform& view, int index,
                                             const GEOSGeometry* within = nullptr) {
        PreparedPtr prepared = within ? prepare(*data->ctx, within) : nullptr;
        std::map<std::uint32_t, int> counts;
        int sampled = 0;
        const ScreenRect& a = view.mapArea();
        for (double y = a.y + 60; y < a.y + a.height - 60; y += 9) {
            for (double x = a.x + 60; x < a.x + a.width - 60; x += 9) {
                bool inside = true;
                for (double dy : {-4.5, 0.0, 4.5}) {
                    for (double dx : {-4.5, 0.0, 4.5}) {
                        inside = inside && municipalityAt(*locator, projection(), view, {x + dx, y + dy}) == index;
                        if (inside && prepared) {
                            const WorldPoint w = view.toWorld({x + dx, y + dy});
                            const WorldPoint ll = projection().inverse(w.x, w.y);
                            const GeomPtr pt = makePoint(*data->ctx, ll.x, ll.y);
                            inside = GEOSPreparedContains_r(*data->ctx, prepared.get(), pt.get()) == 1;
                        }
                    }
                }
                if (!inside) continue;
                ++sampled;
                ++counts[image.at(static_cast<int>(x), static_cast<int>(y)).packed()];
            }
        }
        std::uint32_t best = 0;
        int bestCount = 0;
        for (const auto& [colour, n] : counts) {
            if (n > bestCount) {
                best = colour;
                bestCount = n;
            }
        }
        const Rgba c{static_cast<std::uint8_t>(best & 0xFF), static_cast<std::uint8_t>((best >> 8) & 0xFF),
                     static_cast<std::uint8_t>((best >> 16) & 0xFF), 255};
        return {c, sampled};
    }

    /// Per hub kind of the data: the lon/lat of its first hub with no other hub of its kind
    /// within 12 px at kLoneHubZoom and no prefecture's name over it (names are centred on
    /// the prefecture's point on surface; municipalities' are not shown at that zoom). Hubs
    /// of other kinds may share its place (a kind is pictured alone).
    static const std::map<std::string, WorldPoint>& loneHubs() {
        static const std::map<std::string, WorldPoint> lone = [] {
            const double ppm = viewAt(135, 35, kLoneHubZoom, false).pixelsPerMetre();
            // Each name's point and half its width in pixels (16 px characters).
            std::vector<std::pair<WorldPoint, double>> names;
            for (const Prefecture& pref : data->prefectures) {
                if (!pref.geom) continue;
                GeomPtr at =
                    takeGeom(*data->ctx, GEOSPointOnSurface_r(*data->ctx, pref.geom.get()), "point on surface");
                WorldPoint ll;
                GEOSGeomGetX_r(*data->ctx, at.get(), &ll.x);
                GEOSGeomGetY_r(*data->ctx, at.get(), &ll.y);
                const auto characters =
                    std::count_if(pref.name.begin(), pref.name.end(), [](char c) { return (c & 0xC0) != 0x80; });
                names.emplace_back(projection().forward(ll.x, ll.y), 9.0 * static_cast<double>(characters) + 8);
            }
            std::vector<std::pair<const Hub*, WorldPoint>> located;
            for (const Hub& h : data->hubs) {
                if (h.lon && h.lat) located.emplace_back(&h, projection().forward(*h.lon, *h.lat));
            }
            std::map<std::string, WorldPoint> found;
            for (const auto& [h, p] : located) {
                if (found.count(h->kind)) continue;
                bool alone = true;
                for (const auto& [other, q] : located) {
                    alone =
                        alone && (other == h || other->kind != h->kind || std::hypot(p.x - q.x, p.y - q.y) * ppm > 12);
                }
                for (const auto& [n, halfWidth] : names) {
                    alone = alone && (std::fabs(p.x - n.x) * ppm > halfWidth + 8 || std::fabs(p.y - n.y) * ppm > 20);
                }
                if (alone) found[h->kind] = WorldPoint{*h->lon, *h->lat};
            }
            return found;
        }();
        return lone;
    }

    /// A lon/lat well inside a municipality (GEOS point on surface), for --view.
    /// A point inside the municipality; for a 一部過疎 municipality, inside its designated part
    /// (or, with `rest`, outside it).
    static WorldPoint pointInside(const char* code, bool rest = false) {
        const Municipality& m = data->municipalities[static_cast<std::size_t>(data->municipalityIndex(code))];
        const DesignatedPart* part = data->designatedPartOf(code);
        GeomPtr shape;
        const GEOSGeometry* g = m.geom.get();
        if (part && rest) {
            shape = takeGeom(*data->ctx, GEOSDifference_r(*data->ctx, m.geom.get(), part->geom.get()), "rest");
            g = shape.get();
        } else if (part) {
            g = part->geom.get();
        }
        GeomPtr p = takeGeom(*data->ctx, GEOSPointOnSurface_r(*data->ctx, g), "point on surface");
        double x = 0, y = 0;
        GEOSGeomGetX_r(*data->ctx, p.get(), &x);
        GEOSGeomGetY_r(*data->ctx, p.get(), &y);
        return {x, y};
    }

    static const MapProjection& projection() {
        static const MapProjection p;
        return p;
    }

    static Dataset* data;
    static MunicipalityLocator* locator;
    /// The run that took each picture, by name.
    static std::map<std::string, test::CommandResult> runs;
    test::ScratchDir dir;  // a test's own files
};
Dataset* ViewerScreenshots::data = nullptr;
MunicipalityLocator* ViewerScreenshots::locator = nullptr;
std::map<std::string, test::CommandResult> ViewerScreenshots::runs;

TEST_F(ViewerScreenshots, SeaAtTheCornersOfTheMapAndPanelsBeside) {
    const Image image = picture("japan");
    ASSERT_EQ(image.width, kWidth);
    ASSERT_EQ(image.height, kHeight);
    const ScreenRect a = mapAreaFor(kWidth, kHeight, false);
    const int x0 = static_cast<int>(a.x), x1 = static_cast<int>(a.x + a.width) - 1;
    const int y0 = static_cast<int>(a.y), y1 = static_cast<int>(a.y + a.height) - 1;
    // Top left is under the toolbar and bottom left under the legend: just below and beside them.
    for (const auto& [x, y] : {std::pair{x1 - 2, y0 + 2}, std::pair{x1 - 2, y1 - 2}, std::pair{x0 + 2, y0 + 80}}) {
        EXPECT_EQ(image.at(x, y), palette::kSea) << "pixel " << x << "," << y;
    }
    // The sidebar is a panel, not map.
    EXPECT_NE(image.at(10, kHeight - 10), palette::kSea);
    // Japan is drawn: land colours somewhere in the middle of the map.
    int land = 0;
    for (int x = x0; x <= x1; x += 4) {
        const Rgba c = image.at(x, (y0 + y1) / 2);
        land += c != palette::kSea;
    }
    EXPECT_GT(land, 20);
}

// A --script step's picture is the one a run of its own takes: the first picture alone
// (--screenshot), first in the script, and last in it after every other step, pixel for
// pixel on the map (the panels show timings).
TEST_F(ViewerScreenshots, AScriptsPicturesAreThoseOfRunsOfTheirOwn) {
    const Image alone = picture("japan-alone");
    const ScreenRect a = mapAreaFor(kWidth, kHeight, false);
    for (const char* name : {"japan", "japan-again"}) {
        const Image image = picture(name);
        ASSERT_EQ(image.width, alone.width);
        ASSERT_EQ(image.height, alone.height);
        int differing = 0;
        for (int y = static_cast<int>(a.y); y < static_cast<int>(a.y + a.height); ++y) {
            for (int x = static_cast<int>(a.x); x < static_cast<int>(a.x + a.width); ++x) {
                differing += image.at(x, y) != alone.at(x, y);
            }
        }
        EXPECT_EQ(differing, 0) << name << ": map pixels unlike the picture taken alone";
    }
}

// A drag moves the kept picture of the map and draws only the strips it uncovers: the
// result must be the map drawn afresh at the view the drag ends at — no seams, no gaps,
// no strip out of place.
TEST_F(ViewerScreenshots, ADraggedMapIsTheMapDrawnAfresh) {
    // Kochi's mountains at zoom 9 (dense borders, hubs, labels), dragged right and up.
    // "fresh" is taken at draggedTo().
    ViewTransform end = viewAt(133.5, 33.6, 9, false);
    end.panPixels(173, -91);
    const Image dragged = picture("dragged");
    const Image fresh = picture("fresh");
    ASSERT_EQ(dragged.width, fresh.width);
    ASSERT_EQ(dragged.height, fresh.height);
    const ScreenRect a = end.mapArea();
    int differing = 0, pixels = 0;
    for (int y = static_cast<int>(a.y); y < static_cast<int>(a.y + a.height); ++y) {
        for (int x = static_cast<int>(a.x); x < static_cast<int>(a.x + a.width); ++x) {
            const Rgba p = dragged.at(x, y), q = fresh.at(x, y);
            differing += std::max({std::abs(p.r - q.r), std::abs(p.g - q.g), std::abs(p.b - q.b)}) > 8;
            ++pixels;
        }
    }
    // A seam along one strip would be hundreds of pixels; rounding differences are a handful.
    EXPECT_LT(differing, 20) << differing << " of " << pixels << " map pixels differ";
}

TEST_F(ViewerScreenshots, MunicipalBordersAreLinesAboutAPixelWideOnTheBoundaries) {
    // Kochi's and Ehime's mountains at zoom 11, where borders are 1.2 px wide (anti-aliased):
    // along rows of pixels, where the municipality changes, one to four pixels are darker than
    // the fill on either side; a pixel 6 px or more from any change keeps its municipality's
    // fill (but for labels and hubs). Rows above the legend.
    const ViewTransform view = viewAt(133.0, 33.55, 11, false);
    const Image image = picture("borders");
    const ScreenRect& a = view.mapArea();
    auto differ = [](Rgba p, Rgba q) {
        return std::max({std::abs(p.r - q.r), std::abs(p.g - q.g), std::abs(p.b - q.b)}) > 8;
    };
    const int x0 = static_cast<int>(a.x) + 20, x1 = static_cast<int>(a.x + a.width) - 20;
    std::vector<int> widths;
    int plain = 0, plainKept = 0;
    for (int y = static_cast<int>(a.y) + 40; y < static_cast<int>(a.y + 0.6 * a.height); y += 11) {
        std::vector<int> owner(static_cast<std::size_t>(x1));
        for (int x = x0; x < x1; ++x) owner[x] = municipalityAt(*locator, projection(), view, {x + 0.5, y + 0.5});
        for (int x = x0 + 6; x < x1 - 7; ++x) {
            int changes = 0;
            for (int k = x - 6; k < x + 6; ++k) changes += owner[k] != owner[k + 1];
            if (owner[x - 6] < 0 || owner[x + 7] < 0) continue;
            if (changes == 0) {
                ++plain;
                plainKept += !differ(image.at(x, y), image.at(x - 6, y));
            } else if (changes == 1 && owner[x] != owner[x + 1]) {
                const Rgba left = image.at(x - 6, y), right = image.at(x + 7, y);
                int dark = 0;
                for (int k = x - 4; k <= x + 5; ++k)
                    dark += differ(image.at(k, y), left) && differ(image.at(k, y), right);
                widths.push_back(dark);
            }
        }
    }
    ASSERT_GT(widths.size(), 100u);
    std::sort(widths.begin(), widths.end());
    const int median = widths[widths.size() / 2];
    EXPECT_GE(median, 1);
    EXPECT_LE(median, 4);
    const auto none = std::count(widths.begin(), widths.end(), 0);
    EXPECT_LT(none, static_cast<long>(widths.size() / 5)) << "crossings without a border of " << widths.size();
    EXPECT_GT(plainKept, 0.95 * plain) << plainKept << " of " << plain << " pixels away from borders keep the fill";
}

TEST_F(ViewerScreenshots, DesignatedMunicipalitiesInTheirColours) {
    for (const DesignationCase& c : designationCases()) {
        const std::string code = std::string(c.code).substr(0, 5);
        const bool rest = std::string(c.code).size() > 5;
        const WorldPoint p = designationPoint(c.code);
        // 一部過疎: sample the designated part (or the rest) only.
        const DesignatedPart* part = data->designatedPartOf(code);
        GeomPtr restGeom;
        if (part && rest) {
            const Municipality& m = data->municipalities[static_cast<std::size_t>(data->municipalityIndex(code))];
            restGeom = takeGeom(*data->ctx, GEOSDifference_r(*data->ctx, m.geom.get(), part->geom.get()), "rest");
        }
        const GEOSGeometry* within = part ? (rest ? restGeom.get() : part->geom.get()) : nullptr;
        const double zoom = 10;
        const Image image = picture(fmt::format("designation-{}", c.code));  // at p, zoom 10
        const auto [colour, sampled] =
            insideColour(image, viewAt(p.x, p.y, zoom, false), data->municipalityIndex(code), within);
        EXPECT_GT(sampled, 30) << c.what;
        EXPECT_EQ(colour, c.expected) << c.what << ": got " << int(colour.r) << "," << int(colour.g) << ","
                                      << int(colour.b);
    }
}

TEST_F(ViewerScreenshots, SelectedMunicipalityIsHighlighted) {
    const WorldPoint p = pointInside("39364");
    const Image image = picture("selected");  // at p, zoom 11
    const ViewTransform view = viewAt(p.x, p.y, 11, true);
    const auto [colour, sampled] = insideColour(image, view, data->municipalityIndex("39364"));
    EXPECT_GT(sampled, 30);
    EXPECT_EQ(colour, selectedColour(designationColour(DesignationType::Full)));
    // The details panel is open on the right.
    EXPECT_NE(image.at(kWidth - 20, kHeight / 2), palette::kSea);
}

// The docked panels (sidebar, details, status bar) have their background where nothing is
// drawn on them: one clear of the whole window before the map draws its area.
TEST_F(ViewerScreenshots, TheDockedPanelsHaveTheirBackground) {
    const Image image = picture("selected");
    const Rgba background{247, 247, 245, 255};  // the viewer's ImGui WindowBg (0.97, 0.97, 0.96)
    const ScreenRect a = mapAreaFor(kWidth, kHeight, true);
    const int mapRight = static_cast<int>(a.x + a.width);
    // In the windows' padding, inside their one-pixel borders: sidebar, details, status bar.
    for (const auto& [x, y] : {std::pair{4, kHeight - 4}, std::pair{kWidth - 4, kHeight - 4},
                               std::pair{kWidth - 4, kHeight / 2}, std::pair{mapRight - 10, kHeight - 4}}) {
        EXPECT_EQ(image.at(x, y), background) << "pixel " << x << "," << y;
    }
}

TEST_F(ViewerScreenshots, TheSelectedNameIsDrawnWithItsHalo) {
    // The selected municipality's name (0, 60, 140; drawn with its halo in one pass, LabelPass)
    // on the map: its ink, with the white halo within two pixels of it.
    const Image image = picture("selected");
    const WorldPoint p = pointInside("39364");
    const ScreenRect a = viewAt(p.x, p.y, 11, true).mapArea();
    auto near = [](int value, int target) { return std::abs(value - target) <= 12; };
    auto isInk = [&](Rgba c) { return near(c.r, 0) && near(c.g, 60) && near(c.b, 140); };
    auto isHalo = [](Rgba c) { return c.r >= 200 && c.g >= 200 && c.b >= 200; };
    int ink = 0, haloed = 0;
    for (int y = static_cast<int>(a.y) + 2; y < static_cast<int>(a.y + a.height) - 2; ++y) {
        for (int x = static_cast<int>(a.x) + 2; x < static_cast<int>(a.x + a.width) - 2; ++x) {
            if (!isInk(image.at(x, y))) continue;
            ++ink;
            bool halo = false;
            for (int d = 1; d <= 2 && !halo; ++d) {
                halo = isHalo(image.at(x - d, y)) || isHalo(image.at(x + d, y)) || isHalo(image.at(x, y - d)) ||
                       isHalo(image.at(x, y + d));
            }
            haloed += halo ? 1 : 0;
        }
    }
    EXPECT_GT(ink, 20) << "the selected name is not on the map";  // 大川村: 34 pixels of pure ink
    EXPECT_GT(haloed, ink * 3 / 4) << ink << " ink pixels";
}

/// Checks a print page of the coverage colouring with the title `title` (full-width
/// characters only): the page's size, the title's ink where and as wide as the layout and
/// the text say, each legend swatch in its entry's colour with its label beside it, and
/// `expected` filling part of the map.
void checkCoveragePrint(const Image& page, const std::string& title, int titleChars, Rgba expected) {
    const PrintLayout l = printLayout(PrintSpec{});
    ASSERT_EQ(page.width, 3508);
    ASSERT_EQ(page.height, 2480);
    auto ink = [](Rgba c) { return std::max({c.r, c.g, c.b}) < 110; };
    // The title: dark pixels from its left edge to about one em per character.
    int left = page.width, right = -1;
    for (int y = static_cast<int>(l.title.y); y < static_cast<int>(l.title.y + l.title.height); ++y) {
        for (int x = 0; x < page.width; ++x) {
            if (!ink(page.at(x, y))) continue;
            left = std::min(left, x);
            right = std::max(right, x);
        }
    }
    const double em = l.titlePx / kFontLinePerEm;
    EXPECT_NEAR(left, l.title.x, 0.2 * em) << title;
    EXPECT_NEAR(right - left, titleChars * em, 0.5 * em) << title;
    // The legend: swatches in the fill legend's colours, each with a label to its right.
    const std::vector<LegendEntry> legend = fillLegend(ColourMode::Coverage, true);
    for (std::size_t i = 0; i < legend.size(); ++i) {
        const ScreenRect s = l.legendSwatch(static_cast<int>(i));
        const ScreenPoint c = s.centre();
        EXPECT_EQ(page.at(static_cast<int>(c.x), static_cast<int>(c.y)), legend[i].colour) << legend[i].label;
        int labelInk = 0;
        for (int x = static_cast<int>(s.x + 1.5 * s.width); x < static_cast<int>(s.x + 8 * s.width); ++x) {
            for (int y = static_cast<int>(s.y); y < static_cast<int>(s.y + s.height); ++y)
                labelInk += ink(page.at(x, y));
        }
        EXPECT_GT(labelInk, 50) << "no label beside " << legend[i].label;
    }
    // The map: the expected class fills a good part of it.
    int filled = 0;
    for (int y = static_cast<int>(l.map.y); y < static_cast<int>(l.map.y + l.map.height); y += 4) {
        for (int x = static_cast<int>(l.map.x); x < static_cast<int>(l.map.x + l.map.width); x += 4) {
            filled += page.at(x, y) == expected;
        }
    }
    EXPECT_GT(filled, 5000) << "the map's fill";
}

// The same run writes the screenshot and the print page (--print after --screenshot).
TEST_F(ViewerScreenshots, CoverageChoroplethShowsTheLibrarysShareOnScreenAndInPrint) {
    CoverageOptions options;
    options.radiusKm = 10;
    options.settlements = false;
    for (const CoverageCase& c : kCoverageCases) options.prefectures.push_back(c.prefecture);
    Progress progress;
    const CoverageResult result = computeCoverage(*data, options, progress);
    for (const CoverageCase& c : kCoverageCases) {
        const std::string code = c.code;
        const auto row = std::find_if(result.municipalities.begin(), result.municipalities.end(),
                                      [&](const MunicipalityCoverage& m) { return m.code == code; });
        ASSERT_NE(row, result.municipalities.end());
        ASSERT_TRUE(row->coveredShare);
        const WorldPoint p = pointInside(c.code);
        const bool print = code == "39364";
        const Image image = picture(fmt::format("coverage-{}", code));  // at p, zoom 10; 39364 with the page
        if (print) checkCoveragePrint(readPng(file("page.png")), kPrintTitle, 10, shareColour(*row->coveredShare));
        const DesignatedPart* part = data->designatedPartOf(code);  // the share is the part's
        const auto [colour, sampled] = insideColour(image, viewAt(p.x, p.y, 10, false), data->municipalityIndex(code),
                                                    part ? part->geom.get() : nullptr);
        EXPECT_GT(sampled, 30) << code;
        EXPECT_EQ(colour, shareColour(*row->coveredShare)) << code << " share " << *row->coveredShare;
    }
}

// The uncovered areas (designated land no catchment reaches) are hatched: in the municipalities
// measured whole by the fill, from the catchments' field; in the designated parts of 一部過疎
// ones from their geometry. Stripes (every 8 px) show where the query's uncovered geometry is
// and not where it is not (away from its edge: see marginPx).
TEST_F(ViewerScreenshots, EachPartOfTheFillIsDrawnByAProgramThatGivesTheSamePixels) {
    // FillOrder's groups with their cheaper programs (no field read where the field cannot
    // change a triangle, no border arithmetic where no border reaches), or all of the fill
    // with the one program that does everything: the same map, pixel for pixel (the status bar
    // shows the query's time).
    const WorldPoint okawa = pointInside("39364");
    std::vector<std::pair<std::string, ViewTransform>> pictures{
        {"uncovered", viewAt(kUncoveredLon, kUncoveredLat, kUncoveredZoom, false)},
        {"sides-7", viewAt(133.6, 33.8, 7, false)},
        {"plain-7", viewAt(133.6, 33.8, 7, false)},
        {"selected", viewAt(okawa.x, okawa.y, 11, true)},
        {"zoomed-out", viewAt(kZoomedOutLon, kZoomedOutLat, kZoomedOutZoom, false)}};
#ifdef HUBMAP_GEN_HUBS_PATH
    pictures.push_back({"many-catchments", viewAt(kManyLon, kManyLat, kManyZoom, false)});
#endif
    for (const auto& [name, v] : pictures) {
        const Image grouped = picture(name);
        const Image one = picture(name + "-one");
        ASSERT_EQ(grouped.width, one.width);
        ASSERT_EQ(grouped.height, one.height);
        const ScreenRect& a = v.mapArea();
        int differ = 0, land = 0;
        for (int y = static_cast<int>(a.y); y < static_cast<int>(a.y + a.height); ++y) {
            for (int x = static_cast<int>(a.x); x < static_cast<int>(a.x + a.width); ++x) {
                differ += grouped.at(x, y) != one.at(x, y);
                land += grouped.at(x, y) != palette::kSea;
            }
        }
        EXPECT_EQ(differ, 0) << name;
        EXPECT_GT(land, 10000) << name;
    }
}

TEST_F(ViewerScreenshots, ZoomedOutCatchmentsLeaveTheLandAwayFromHubsAsItWas) {
    // Zoomed out the field's range is under a pixel; the outline used to tint all the land.
    const Image with = picture("zoomed-out");
    const Image without = picture("zoomed-out-none");
    const ViewTransform v = viewAt(kZoomedOutLon, kZoomedOutLat, kZoomedOutZoom, false);
    std::vector<ScreenPoint> hubPoints;
    for (const Hub& h : data->hubs) {
        if (!h.lon || !h.lat) continue;
        const WorldPoint w = projection().forward(*h.lon, *h.lat);
        hubPoints.push_back(v.toScreen(w));
    }
    const ScreenRect& a = v.mapArea();
    int land = 0, differ = 0;
    // Clear of the toolbar (top left) and the legend (bottom left).
    for (double y = a.y + 70; y < a.y + a.height - 10; y += 2) {
        for (double x = a.x + 10; x < a.x + a.width - 10; x += 2) {
            if (x < a.x + 300 && y > a.y + a.height * 0.5) continue;
            const int index = municipalityAt(*locator, projection(), v, {x, y});
            if (index < 0 || data->municipalities[static_cast<std::size_t>(index)].code.rfind("39", 0) == 0) {
                continue;  // sea, or 高知県: the query's, hatched
            }
            bool nearHub = false;
            // The symbol (4 px across here) and a 5 km disk's outline (a pixel or so out).
            for (const ScreenPoint& h : hubPoints) nearHub = nearHub || std::hypot(h.x - x, h.y - y) < 6;
            if (nearHub) continue;
            ++land;
            differ += with.at(static_cast<int>(x), static_cast<int>(y)) !=
                      without.at(static_cast<int>(x), static_cast<int>(y));
        }
    }
    EXPECT_GT(land, 1500);
    EXPECT_EQ(differ, 0) << "of " << land << " land pixels away from hubs and the query";
}

TEST_F(ViewerScreenshots, UncoveredAreasAreHatchedWhereTheQueryFindsThem) {
    CoverageOptions options;  // as the picture's query
    options.radiusKm = kUncoveredRadiusKm;
    options.settlements = false;
    options.prefectures.push_back("高知県");
    options.keepGeometry = true;
    Progress progress;
    const CoverageResult result = computeCoverage(*data, options, progress);
    std::map<int, const MunicipalityCoverage*> byIndex;
    std::map<int, PreparedPtr> prepared;
    for (const MunicipalityCoverage& m : result.municipalities) {
        if (!m.uncoveredGeom) continue;
        byIndex[data->municipalityIndex(m.code)] = &m;
        prepared[data->municipalityIndex(m.code)] = prepare(*result.geos, m.uncoveredGeom.get());
    }
    const ViewTransform v = viewAt(kUncoveredLon, kUncoveredLat, kUncoveredZoom, false);
    const Image hatched = picture("uncovered");
    const Image plain = picture("uncovered-none");
    // 10 px from the geometry's edge either way: the run's ends are 4 px from its middle, the
    // catchments' outline 1.4 px wide, and the field's edge within a fraction of a texel.
    const double marginPx = 10;
    int inside = 0, insideStriped = 0, outside = 0, outsideFlat = 0, parts = 0;
    const ScreenRect& a = v.mapArea();
    for (double y = a.y + 20; y < a.y + a.height - 20; y += 7) {
        for (double x = a.x + 20; x < a.x + a.width - 30; x += 7) {
            const int index = municipalityAt(*locator, projection(), v, {x, y});
            const auto m = byIndex.find(index);
            if (m == byIndex.end()) continue;  // sea, or not in the query
            // A run of 8 pixels that is one colour without a radius: no border, label or symbol.
            const int px = static_cast<int>(x), py = static_cast<int>(y);
            bool flat = true;
            for (int k = 1; k < 8; ++k) flat = flat && plain.at(px + k, py) == plain.at(px, py);
            if (!flat) continue;
            const WorldPoint w = v.toWorld({x + 4, y});
            const WorldPoint ll = projection().inverse(w.x, w.y);
            const GeomPtr pt = makePoint(*result.geos, ll.x, ll.y);
            const GEOSGeometry* geom = m->second->uncoveredGeom.get();
            double degrees = 1;  // nothing uncovered: far from it
            if (GEOSisEmpty_r(*result.geos, geom) != 1) {
                const GeomPtr boundary = takeGeom(*result.geos, GEOSBoundary_r(*result.geos, geom), "boundary");
                GEOSDistance_r(*result.geos, pt.get(), boundary.get(), &degrees);
            }
            // A degree is at least 92 km here (a degree of longitude at 34°N).
            if (degrees * 92e3 * v.pixelsPerMetre() < marginPx) continue;
            // The rest of a 一部過疎 municipality is not in the query (the catchments' outline
            // still crosses it).
            const DesignatedPart* part = m->second->measuredOn == MeasuredOn::FormerMunicipalities
                                             ? data->designatedPartOf(m->second->code)
                                             : nullptr;
            if (part && GEOSContains_r(*result.geos, part->geom.get(), pt.get()) != 1) continue;
            bool striped = false;  // the hatch's stripes, every 8 px: some pixel of the run changed
            for (int k = 0; k < 8; ++k) striped = striped || hatched.at(px + k, py) != plain.at(px + k, py);
            if (GEOSPreparedContains_r(*result.geos, prepared.at(index).get(), pt.get()) == 1) {
                ++inside;
                insideStriped += striped;
                parts += m->second->measuredOn == MeasuredOn::FormerMunicipalities;
            } else {
                ++outside;
                outsideFlat += !striped;
            }
        }
    }
    ASSERT_GT(inside, 100) << outside;
    ASSERT_GT(outside, 100) << inside;
    EXPECT_GT(parts, 10) << "runs in the designated parts of 一部過疎 municipalities";
    EXPECT_EQ(insideStriped, inside) << "runs inside the uncovered areas";
    EXPECT_EQ(outsideFlat, outside) << "runs outside them";
}

// --plan: the Plan tab with a planned hub placed (selected: filled in the selected colour) and
// its catchment around it; the sidebar shows the tab.
// Symbols are drawn a kind at a time, each with its shape's shader variant: every kind's
// symbol shows in its colour where its hub is, and not when the Layers panel hides the kind
// (the pictures: the kind alone, then every other kind).
TEST_F(ViewerScreenshots, EachKindsSymbolIsDrawnInItsColourUnlessHidden) {
    std::string kinds;
    for (const auto& [kind, unused] : loneHubs()) kinds += kind + " ";
    ASSERT_EQ(loneHubs().size(), 4u) << "a lone hub of each builtin kind, found: " << kinds;
    for (const auto& [kind, hub] : loneHubs()) {
        const Image shown = picture("kind-" + kind);
        const Image hidden = picture("kind-" + kind + "-hidden");
        const ScreenPoint s = viewAt(hub.x, hub.y, kLoneHubZoom, false).toScreen(projection().forward(hub.x, hub.y));
        const Rgba colour = hubStyle(kind, 0).colour;
        // The symbol's body (inside its white halo) over the pixels nearest its point: the
        // kind's colour, blended with the halo's white for the narrowest (a third for the star).
        auto ofKind = [&](Rgba p) {
            const double t = (255.0 - p.g) / (255.0 - colour.g);
            auto near = [&](std::uint8_t channel, std::uint8_t c) {
                return std::fabs(channel - (255.0 + (c - 255.0) * t)) <= 3;
            };
            return t >= 0.25 && t <= 1.01 && near(p.r, colour.r) && near(p.b, colour.b);
        };
        int body = 0, bodyHidden = 0, changed = 0;
        for (int dy = -1; dy <= 1; ++dy) {
            for (int dx = -1; dx <= 1; ++dx) {
                const int x = static_cast<int>(s.x) + dx, y = static_cast<int>(s.y) + dy;
                body += ofKind(shown.at(x, y));
                bodyHidden += ofKind(hidden.at(x, y));
            }
        }
        for (int dy = -5; dy <= 5; ++dy) {
            for (int dx = -5; dx <= 5; ++dx) {
                const int x = static_cast<int>(s.x) + dx, y = static_cast<int>(s.y) + dy;
                changed += shown.at(x, y) != hidden.at(x, y);
            }
        }
        const Rgba c = shown.at(static_cast<int>(s.x), static_cast<int>(s.y));
        EXPECT_GE(body, 1) << kind << " at " << s.x << "," << s.y << ": " << int(c.r) << "," << int(c.g) << ","
                           << int(c.b);
        EXPECT_EQ(bodyHidden, 0) << kind;
        EXPECT_GE(changed, 25) << kind << ": its symbol and halo, 7 px across";
    }
}

TEST_F(ViewerScreenshots, PlannedHubIsDrawnWhereItWasPlaced) {
    const double lon = kPlanLon, lat = kPlanLat;
    const Image image = picture("planned");
    const ScreenPoint s = viewAt(lon, lat, 11, false).toScreen(projection().forward(lon, lat));
    const Rgba selected{255, 196, 0, 255};
    EXPECT_EQ(image.at(static_cast<int>(s.x), static_cast<int>(s.y)), selected);
    EXPECT_EQ(image.at(static_cast<int>(s.x) + 3, static_cast<int>(s.y) - 2), selected);
    // Away from the marker the map is tinted by the catchment, not the marker.
    EXPECT_NE(image.at(static_cast<int>(s.x) + 40, static_cast<int>(s.y)), selected);
}

// Catchments at a hub count above the 5,000 the viewer once drew them for: their outline runs
// along the edge of the union of the hubs' geodesic disks (pixels of land whose nearest hub is
// R away are drawn over) and nowhere else (pixels well inside or outside are as without a
// radius: the fill keeps the choropleth's colours). Catchments are drawn on land.
TEST_F(ViewerScreenshots, CatchmentsCoverTheHubsDisksAboveFiveThousandHubs) {
#ifndef HUBMAP_GEN_HUBS_PATH
    GTEST_SKIP() << "bench/gen_hubs is not built (HUBMAP_BUILD_BENCH=OFF)";
#else
    // gen_hubs, then the pictures (SetUpTestSuite).
    ASSERT_EQ(runs.at("many-plain").status, 0) << runs.at("many-plain").err;
    const std::string db = file("many.sqlite");
    LoadOptions load;
    load.settlements = false;
    load.population = false;
    const Dataset many = loadDataset(db, load);
    ASSERT_GT(many.hubs.size(), 6000u);

    constexpr double kLon = kManyLon, kLat = kManyLat, kZoom = kManyZoom, kRadiusKm = kManyRadiusKm;
    const Image with = picture("many-catchments");
    const Image without = picture("many-plain");
    const ViewTransform v = viewAt(kLon, kLat, kZoom, false);

    // Hubs near the view, by projected position (for the symbols to skip) and lon/lat.
    struct Near {
        ScreenPoint screen;
        double lon, lat;
    };
    std::vector<Near> near;
    for (const Hub& h : many.hubs) {
        if (!h.lon || !h.lat || std::fabs(*h.lon - kLon) > 2 || std::fabs(*h.lat - kLat) > 1.5) continue;
        near.push_back({v.toScreen(projection().forward(*h.lon, *h.lat)), *h.lon, *h.lat});
    }
    ASSERT_GT(near.size(), 100u);
    const Geodesic geodesic;
    // Two pixels (the outline reaches 1.2 px out) and 0.15 km from the edge: the tolerance (the 1.3 km
    // texels interpolate a disk's edge to metres, where disks meet to a fraction of a texel;
    // anti-aliasing).
    const double marginKm = 0.15 + 2 / v.pixelsPerMetre() / 1000;
    const ScreenRect& a = v.mapArea();
    int edge = 0, edgeDrawn = 0, away = 0, awayUnchanged = 0;
    for (double y = a.y + 70; y < a.y + a.height - 20; y += 7) {
        for (double x = a.x + 20; x < a.x + a.width - 20; x += 7) {
            if (x < a.x + 280 && y > a.y + a.height - 300) continue;              // the legend
            if (municipalityAt(*locator, projection(), v, {x, y}) < 0) continue;  // sea
            // Labels and borders are drawn over the catchments: only plain fill is compared.
            bool plain = true;
            const int px = static_cast<int>(x), py = static_cast<int>(y);
            for (int dy = -2; dy <= 2; ++dy) {
                for (int dx = -2; dx <= 2; ++dx) {
                    plain = plain && without.at(px + dx, py + dy).packed() == without.at(px, py).packed();
                }
            }
            if (!plain) continue;
            double nearestKm = 1e9, nearestPx = 1e9;
            const WorldPoint w = v.toWorld({x, y});
            const WorldPoint ll = projection().inverse(w.x, w.y);
            for (const Near& h : near) {
                nearestPx = std::min(nearestPx, std::hypot(h.screen.x - x, h.screen.y - y));
                if (std::hypot(h.screen.x - x, h.screen.y - y) / v.pixelsPerMetre() > 1.2 * kRadiusKm * 1000) continue;
                nearestKm = std::min(nearestKm, geodesic.distanceKm(h.lon, h.lat, ll.x, ll.y));
            }
            if (nearestPx < 12) continue;  // a hub's symbol
            const bool changed = with.at(px, py).packed() != without.at(px, py).packed();
            if (std::fabs(nearestKm - kRadiusKm) < 0.3 / v.pixelsPerMetre() / 1000) {
                ++edge;
                edgeDrawn += changed;
            } else if (std::fabs(nearestKm - kRadiusKm) > marginKm) {
                ++away;
                awayUnchanged += !changed;
            }
        }
    }
    ASSERT_GT(edge, 100);
    ASSERT_GT(away, 2000);
    EXPECT_GE(edgeDrawn, edge * 9 / 10) << edgeDrawn << " of " << edge << " pixels on the edge of the disks' union";
    EXPECT_GE(awayUnchanged, away * 995 / 1000) << awayUnchanged << " of " << away << " pixels away from it";
#endif
}

TEST_F(ViewerScreenshots, BadOptionsAreUsageErrors) {
    const std::string viewer = HUBMAP_VIEWER_PATH;
    const std::string db = std::string(" --db ") + test::kNationalDb;
    // A code no municipality has: known once the data is loaded (the small database's will do).
    test::CommandResult r =
        test::runCommand(viewer + " --db " + test::kSmallDb + " --screenshot " + dir.file("a.png") + " --select 99999");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("99999"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("a.png")));
    r = test::runCommand(viewer + db + " --screenshot " + dir.file("b.png") + " --size 5x5");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--size"), std::string::npos) << r.err;
    r = test::runCommand(viewer + db + " --screenshot " + dir.file("c.png") + " --colour rainbow");
    EXPECT_EQ(r.status, 2);
    r = test::runCommand(viewer + db + " --drag 10,10");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--drag needs --screenshot"), std::string::npos) << r.err;
    r = test::runCommand(viewer + db + " --screenshot " + dir.file("e.png") + " --plan 133.7,33.6,134");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--plan"), std::string::npos) << r.err;
    r = test::runCommand(viewer + db + " --plan 133.7,33.6");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--plan and --plan-suggest need --screenshot"), std::string::npos) << r.err;
    r = test::runCommand(viewer + " --db " + dir.file("missing.sqlite") + " --screenshot " + dir.file("d.png"));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("missing.sqlite"), std::string::npos) << r.err;

    // --script: a line's mistakes name the file and line, before anything loads.
    r = test::runCommand(viewer + db + " --script " + dir.file("none.txt"));
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("none.txt"), std::string::npos) << r.err;
    const std::string script = dir.file("script.txt");
    auto scriptWith = [&](const std::string& second) {
        std::ofstream(script) << "# pictures\n--screenshot " << dir.file("f.png") << " --view 133.5,33.6,9\n\n"
                              << second << "\n";
        return test::runCommand(viewer + db + " --script " + script);
    };
    for (const auto& [line, message] :
         {std::pair<std::string, std::string>{"--view 133.5,33.6,9", "needs --screenshot or --print"},
          {"--screenshot " + dir.file("g.png") + " --view 133.5,33.6", "--view"},
          {"--screenshot " + dir.file("g.png") + " --size 800x600", "--size"},
          {"--drag 10,10 --print " + dir.file("g.png"), "--drag needs --screenshot"},
          {"--screenshot " + dir.file("g.png") + " --drop x.csv --drop-import", "--drop-import"}}) {
        r = scriptWith(line);
        EXPECT_EQ(r.status, 2) << line;
        EXPECT_NE(r.err.find(script + ":4: "), std::string::npos) << line << ": " << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << line << ": " << r.err;
        EXPECT_FALSE(std::filesystem::exists(dir.file("f.png"))) << line;
    }
    std::ofstream(script) << "--screenshot " << dir.file("f.png") << "\n";
    r = test::runCommand(viewer + db + " --script " + script + " --screenshot " + dir.file("h.png"));
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--script takes its pictures from its lines"), std::string::npos) << r.err;
    r = test::runCommand(viewer + db + " --script " + script + " --bench-frames 3");
    EXPECT_EQ(r.status, 2);
}

}  // namespace
}  // namespace hubmap::viewer
