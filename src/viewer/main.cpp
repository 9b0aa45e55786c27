// hubmap-viewer: parses the command line, runs the viewer, maps errors to exit codes
// (0 ok, 1 data/runtime error, 2 usage error), like the hubmap CLI.

#include <fmt/format.h>
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <clocale>
#include <cstdio>
#include <fstream>

#include "app/front_end.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "viewer/viewer_app.hpp"

namespace {

using namespace hubmap;

/// The text of the options of one picture, before they are parsed.
struct PictureArgs {
    std::string view, drag, hover, plan, colour = "designation", paper = "a4";
};

/// The options of one picture: on the command line, and on each line of a --script.
void addPictureOptions(CLI::App& app, viewer::ViewerOptions& options, PictureArgs& args) {
    app.add_option("--screenshot", options.screenshot, "render the map and panels once, write this PNG and exit");
    app.add_option("--drop", options.drop,
                   "with --screenshot: open FILE as if dropped on the window (the import preview shows)");
    app.add_flag("--drop-import", options.dropImport,
                 "with --drop: import the file into the database (skipping bad rows) and show its hubs");
    app.add_option("--print", options.print,
                   "write the current map as a print page (title, legend, scale bar, query, credits) to this PNG and "
                   "exit; after --screenshot when both are given");
    app.add_option("--print-size", args.paper, "paper of --print: a4 or a3 (default a4)")
        ->check(CLI::IsMember({"a4", "a3"}, CLI::ignore_case));
    app.add_option("--print-dpi", options.printSpec.dpi,
                   "resolution of --print in dots per inch, 72 to 600 (default 300)");
    app.add_flag("--portrait", "--print in portrait (default landscape)");
    app.add_option("--title", options.printSpec.title, "title of --print (default: what the map shows)");
    app.add_option("--view", args.view,
                   "LON,LAT,ZOOM: centre of the map area and web-map zoom level (default: all Japan)");
    app.add_option("--drag", args.drag,
                   "DX,DY: with --screenshot, drag the map by this many pixels (as a mouse does, a few at a time) "
                   "before the picture");
    app.add_option("--hover", args.hover,
                   "X,Y: with --screenshot, the mouse at this pixel (the tooltip it shows is in the picture)");
    app.add_option("--select", options.select, "select the municipality with this 5-digit code (e.g. 39344)");
    app.add_option("--colour,--color", args.colour,
                   "colour municipalities by designation, coverage (area share) or population (share of residents "
                   "within reach)")
        ->check(CLI::IsMember({"designation", "coverage", "population"}));
    app.add_option("--radius-km", options.radiusKm, "catchment radius of every hub kind, in km");
    // As `hubmap coverage` takes them (cli/query_options.cpp); the values are checked by the
    // same computeCoverage.
    app.add_option("--prefecture", options.prefectures,
                   "only these prefectures (高知県, 高知 or 39); repeat or comma-separate")
        ->delimiter(',');
    app.add_option("--kinds", options.kinds, "only these hub kinds (small_hub, rmo, activity_centre, model_project, …)")
        ->delimiter(',');
    app.add_option("--panel", options.panel, "sidebar tab to show first")
        ->check(CLI::IsMember({"layers", "query", "prefectures", "plan", "about"}));
    app.add_option("--plan", args.plan,
                   "LON,LAT[,LON,LAT...]: with --screenshot, these planned hubs placed in the Plan tab (shown "
                   "unless --panel says otherwise)");
    app.add_option("--plan-suggest", options.planSuggest,
                   "N: with --screenshot, the Plan tab's N suggested sites shown (needs --radius-km)")
        ->check(CLI::PositiveNumber);
    // Hidden, for the tests: the picture must be the same either way (FillOrder).
    app.add_flag("--one-fill-program", options.oneFillProgram,
                 "draw every fill triangle with the program that does everything (borders, the catchments' field)")
        ->group("");
}

/// Turns what addPictureOptions read into `options`. Options `app` did not see keep the
/// value `options` and `args` came with (a --script line adds to the command line's).
void parsePictureOptions(const CLI::App& app, viewer::ViewerOptions& options, const PictureArgs& args) {
    options.panelGiven = options.panelGiven || app.count("--panel") > 0;
    if (!args.view.empty()) options.view = viewer::parseViewSpec(args.view);
    if (!args.drag.empty()) options.drag = viewer::parseDragSpec(args.drag);
    if (!args.hover.empty()) options.hover = viewer::parseHoverSpec(args.hover);
    if (!args.plan.empty()) options.plan = viewer::parsePlanSpec(args.plan);
    options.colour = viewer::parseColourMode(args.colour).value_or(viewer::ColourMode::Designation);
    if (options.radiusKm && !(*options.radiusKm > 0)) {
        throw UsageError(fmt::format("--radius-km must be above 0, not {}", *options.radiusKm));
    }
    options.printSpec.paper = viewer::parsePaper(args.paper).value_or(viewer::Paper::A4);
    if (app.count("--portrait") > 0) options.printSpec.landscape = false;
    viewer::checkPrintDpi(options.printSpec.dpi);
}

/// What one picture's options need of each other.
void checkPictureOptions(viewer::ViewerOptions& options) {
    if (options.drag && !options.screenshot) throw UsageError("--drag needs --screenshot");
    if (options.hover && !options.screenshot) throw UsageError("--hover needs --screenshot");
    if (options.drop && !options.screenshot) throw UsageError("--drop needs --screenshot");
    if (options.dropImport && !options.drop) throw UsageError("--drop-import needs --drop");
    if ((!options.plan.empty() || options.planSuggest > 0) && !options.screenshot) {
        throw UsageError("--plan and --plan-suggest need --screenshot");
    }
    if ((!options.plan.empty() || options.planSuggest > 0) && !options.panelGiven) options.panel = "plan";
}

/// --script FILE: one picture a line, its options added to the command line's (`base`).
/// Blank lines and lines starting with # are skipped. Throws UsageError naming the line.
std::vector<viewer::ViewerOptions> readScript(const std::string& path, const viewer::ViewerOptions& base,
                                              const PictureArgs& baseArgs) {
    std::ifstream in(path);
    if (!in) throw UsageError(fmt::format("--script {}: cannot read the file", path));
    std::vector<viewer::ViewerOptions> steps;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        const std::string where = fmt::format("{}:{}", path, number);
        viewer::ViewerOptions step = base;
        PictureArgs args = baseArgs;
        CLI::App app{"a picture of --script"};
        addPictureOptions(app, step, args);
        try {
            app.parse(line, false);
            parsePictureOptions(app, step, args);
            if (!step.screenshot && !step.print) throw UsageError("a line needs --screenshot or --print (or both)");
            // Later pictures would show the imported hubs, which a run of the line alone would not.
            if (step.dropImport) throw UsageError("--drop-import cannot be scripted: it changes the database");
            checkPictureOptions(step);
        } catch (const CLI::ParseError& e) {
            throw UsageError(fmt::format("{}: {}", where, e.what()));
        } catch (const UsageError& e) {
            throw UsageError(fmt::format("{}: {}", where, e.what()));
        }
        step.scriptLine = where;
        steps.push_back(std::move(step));
    }
    if (steps.empty()) throw UsageError(fmt::format("--script {}: no pictures in the file", path));
    return steps;
}

}  // namespace

int main(int argc, char** argv) {
    const auto processStart = std::chrono::steady_clock::now();
    std::setlocale(LC_ALL, "C");  // numbers with a decimal point whatever the user's locale
    // Peak memory (with 100,000 hubs the peak is a radius query while llvmpipe draws):
    // glibc gives each allocating thread its own arena (up to 8 per core: the loader, the
    // query's workers, llvmpipe's threads) and raises its mmap threshold to the largest block
    // freed, so freed scratch stays resident in a dozen heaps. Two arenas and a fixed 1 MB
    // threshold (big buffers are mapped and given back when freed): some 45 MB less peak RSS.
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);

    viewer::ViewerOptions options;
    options.fontPath = viewer::kDefaultFont;
    std::string size, script;
    PictureArgs args;
    CLI::App app{"hubmap-viewer: the map of Japan's depopulated areas (過疎地域) and their hubs"};
    app.set_version_flag("--version", std::string("hubmap-viewer ") + kVersion);
    app.add_option("--db", options.db, "database (default: $HUBMAP_DB, else the default database, built on first use)");
    app.add_option("--size", size, "window or screenshot size WxH in pixels (default 1600x1000)");
    addPictureOptions(app, options, args);
    app.add_option("--script", script,
                   "FILE: take the pictures FILE lists, one a line (the options of one picture, --screenshot or "
                   "--print with --view, --select, …, added to the command line's), in one run, and exit");
    app.add_option("--bench-frames", options.benchFrames,
                   "render N frames while panning and zooming, then N while dragging; print frame times, "
                   "start-to-first-frame and the radius-change timings; exit")
        ->check(CLI::PositiveNumber);
    app.add_option("--font", options.fontPath, "Noto Sans CJK font file (default: Debian's fonts-noto-cjk)");
    app.add_flag("-q,--quiet", options.quiet, "no message on stderr after writing a screenshot");
    return app::runFrontEnd("hubmap-viewer", app, argc, argv, [&]() -> int {
        if (!size.empty()) viewer::parseSize(size, options.width, options.height);
        options.sizeGiven = !size.empty();
        parsePictureOptions(app, options, args);
        if ((options.screenshot || options.print || !script.empty()) && options.benchFrames > 0) {
            throw UsageError("--screenshot, --print or --script and --bench-frames cannot be combined");
        }
        if (!script.empty()) {
            if (options.screenshot || options.print) {
                throw UsageError("--script takes its pictures from its lines: give --screenshot and --print there");
            }
            if (options.dropImport) throw UsageError("--drop-import cannot be scripted: it changes the database");
            options.steps = readScript(script, options, args);
        } else {
            checkPictureOptions(options);
        }
        return viewer::runViewer(options, processStart);
    });
}
