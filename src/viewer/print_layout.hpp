#pragma once
// A printed map page with no GL: the paper size in pixels at a resolution, where the title,
// the map, the legend, the query and the credits go, and the text they show. The renderer
// (print_renderer.cpp) draws into these rectangles; tests check the pixels against them.

#include <optional>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "core/model.hpp"
#include "viewer/colour_scheme.hpp"
#include "viewer/view_transform.hpp"

namespace hubmap::viewer {

enum class Paper { A4, A3 };
/// "a4" / "a3" (any case).
std::optional<Paper> parsePaper(const std::string& s);

/// What to print: paper, orientation, resolution and title.
struct PrintSpec {
    Paper paper = Paper::A4;
    bool landscape = true;
    int dpi = 300;      ///< 72 to 600
    std::string title;  ///< empty: a title made from the query (defaultPrintTitle)
};
inline constexpr int kMinPrintDpi = 72, kMaxPrintDpi = 600;

/// The page in pixels: A4 landscape at 300 dpi is 3508 × 2480.
struct PageSize {
    int width = 0, height = 0;
};
PageSize pageSize(const PrintSpec& spec);

/// ImGui sizes a font by its line (ascent + descent), not its em: Noto Sans CJK's line is
/// 1.448 em. A print's text sizes are set in points of em, as in any typesetting, and given
/// to ImGui multiplied by this.
inline constexpr float kFontLinePerEm = 1.448f;

/// Where everything goes on the page, in page pixels (origin top left), and the text
/// sizes in pixels. The legend's rows sit at a fixed pitch so their swatches can be found.
struct PrintLayout {
    PageSize page;
    double pxPerMm = 0;
    /// How many page pixels stand for one screen pixel (96 per inch): line widths, symbol
    /// sizes and halos scale by it.
    double pixelScale = 1;
    ScreenRect title;   ///< the title line
    ScreenRect map;     ///< the map, framed
    ScreenRect side;    ///< the column right of the map: legend, then the query
    ScreenRect footer;  ///< date made and credits, below the map
    /// Text sizes as ImGui takes them (line heights: kFontLinePerEm × the em in pixels).
    float titlePx = 0, headingPx = 0, bodyPx = 0, smallPx = 0;
    float labelPx = 0, smallLabelPx = 0;  ///< municipality names; 大字 names
    double legendTop = 0;                 ///< y of the first legend row (below the legend heading)
    double legendPitch = 0;               ///< row to row

    /// The swatch of legend row `i` (0 first).
    ScreenRect legendSwatch(int i) const;
};
PrintLayout printLayout(const PrintSpec& spec);

/// The print's view: the same centre as `screen`, zoomed so everything the screen's map
/// area shows fits the page's map rectangle (the page shows a little more along one axis).
ViewTransform printView(const ViewTransform& screen, const PrintLayout& layout);

/// What the map shows, for the title when none is given: "過疎地域の指定" or
/// "過疎地域のカバー率 (半径 10 km)", with the prefectures if the query has any.
std::string defaultPrintTitle(const CoverageOptions& query, ColourMode mode);

/// The query as lines of text for the page: designations, hub kinds (by `kindLabels`,
/// parallel to `kinds`), radius, opened-before, prefectures, and the date of each data source.
std::vector<std::string> printQueryLines(const CoverageOptions& query, const std::vector<std::string>& kinds,
                                         const std::vector<std::string>& kindLabels, const Dataset& data);

/// The credit lines the data's licences require on a map (MLIT's boundaries first, then
/// every source's own credit, without repeats).
std::vector<std::string> printCredits(const Dataset& data);

/// "Made 2026-12-03 with hubmap 0.1.0" from a date YYYY-MM-DD.
std::string printMadeLine(const std::string& date);

/// Today's date (UTC) as YYYY-MM-DD.
std::string todayUtc();

}  // namespace hubmap::viewer
