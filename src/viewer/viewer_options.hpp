#pragma once
// What hubmap-viewer is asked to do, filled by main() from the command line.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "viewer/colour_scheme.hpp"
#include "viewer/print_layout.hpp"

namespace hubmap::viewer {

/// --view LON,LAT,ZOOM: the lon/lat at the centre of the map area, web-map zoom level.
struct ViewSpec {
    double lon = 0, lat = 0, zoom = 5;
};

/// --drag DX,DY: a drag of the map by whole screen pixels (right and down positive).
struct DragSpec {
    int dx = 0, dy = 0;
};

struct ViewerOptions {
    std::optional<std::string> db;          ///< --db; default database otherwise
    std::optional<std::string> screenshot;  ///< --screenshot PATH.png: render once, write, exit
    std::optional<std::string> drop;        ///< --drop FILE: with --screenshot, the file as if dropped on the window
    bool dropImport = false;                ///< --drop-import: and imported (Import pressed) before the picture
    std::optional<std::string> print;       ///< --print PATH.png: the print page, written after any screenshot
    PrintSpec printSpec;                    ///< --print-size, --print-dpi, --portrait, --title
    int width = 1600, height = 1000;        ///< --size WxH
    bool sizeGiven = false;                 ///< --size was given (else the remembered window size)
    std::optional<ViewSpec> view;           ///< --view; fit to Japan otherwise
    std::optional<DragSpec> drag;           ///< --drag: with --screenshot, drag the map before the picture
    std::optional<DragSpec> hover;          ///< --hover X,Y: with --screenshot, the mouse there (its tooltip shown)
    std::optional<std::string> select;      ///< --select CODE
    ColourMode colour = ColourMode::Designation;
    std::optional<double> radiusKm;        ///< --radius-km
    std::vector<std::string> prefectures;  ///< --prefecture: the query's prefectures (names or codes)
    std::vector<std::string> kinds;        ///< --kinds: the query's hub kinds; empty = all
    int benchFrames = 0;                   ///< --bench-frames N
    bool oneFillProgram = false;           ///< --one-fill-program (hidden): MapRenderer::setOneFillProgram
    std::string panel = "layers";  ///< --panel: sidebar tab shown first (layers, query, prefectures, plan, about)
    bool panelGiven = false;       ///< --panel was given (else the tab the last session ended on)
    std::vector<std::pair<double, double>> plan;  ///< --plan LON,LAT,...: with --screenshot, planned hubs placed
    int planSuggest = 0;                          ///< --plan-suggest N: with --screenshot, N suggested sites shown
    std::string fontPath;                         ///< Noto Sans CJK (.ttc/.otf)
    bool quiet = false;
    /// --script: the pictures of one run, in order, each with every option it is taken with
    /// (steps of their own are empty); none: the command line's own picture, if any.
    std::vector<ViewerOptions> steps;
    std::string scriptLine;  ///< a step's "FILE:LINE", for its messages
};

/// Parses "WxH" (each 64..16384). Throws UsageError.
void parseSize(const std::string& text, int& width, int& height);
/// Parses "LON,LAT,ZOOM". Throws UsageError.
ViewSpec parseViewSpec(const std::string& text);
/// Parses "DX,DY" (whole pixels, each within ±16384). Throws UsageError.
DragSpec parseDragSpec(const std::string& text);
/// Parses --hover's "X,Y" (whole pixels from the top left, not negative); UsageError otherwise.
DragSpec parseHoverSpec(const std::string& text);

/// Parses --plan's "LON,LAT[,LON,LAT...]" (degrees). Throws UsageError.
std::vector<std::pair<double, double>> parsePlanSpec(const std::string& text);

/// Checks --print-dpi (72 to 600). Throws UsageError.
void checkPrintDpi(int dpi);

/// Debian's fonts-noto-cjk: Noto Sans CJK Regular.
inline constexpr const char* kDefaultFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

}  // namespace hubmap::viewer
