#pragma once
// Drawing on the map with ImGui draw lists, shared by the window and the print: hub
// symbols as the shader draws them, text with a halo, and the map's labels (prefectures,
// municipalities, 大字) placed without overlaps.

#include <imgui.h>

#include <string>
#include <vector>

#include "core/model.hpp"
#include "viewer/colour_scheme.hpp"
#include "viewer/map_geometry.hpp"
#include "viewer/place_names.hpp"
#include "viewer/view_transform.hpp"

namespace hubmap::viewer {

/// A hub symbol of `size` pixels across centred on `c`, the shapes of symbol.fragment.glsl.
void drawSymbol(ImDrawList* dl, ImVec2 c, float size, const HubStyle& style);

/// Text with a white halo `halo` pixels wide.
void haloText(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, const std::string& text,
              float halo = 1.f);

/// One glyph of a label with its one-pixel halo, for a pass that draws glyph and halo at once
/// (LabelPass): the glyph's quad as ImGui would draw it (screen pixels), its atlas rectangle,
/// and the text colour. The halo is haloText's: four copies one pixel left, right, up and down.
struct HaloGlyph {
    ImVec2 p0, p1;    ///< quad corners, top left and bottom right
    ImVec2 uv0, uv1;  ///< the atlas rectangle
    ImU32 colour = 0;
    /// Drawn at another size than the atlas's (大字 names): read with linear filtering; at the
    /// atlas's own size every read falls on a texel's centre, where nearest gives the same.
    bool scaled = false;
};

/// Appends the glyphs ImFont::RenderText would draw for `text` at `pos` (one line, as
/// AddText places them) to `out`, skipping those whose haloed quad misses `clip`.
void appendHaloGlyphs(std::vector<HaloGlyph>& out, const ImFont* font, float size, ImVec2 pos, ImU32 colour,
                      const std::string& text, const ImVec4& clip);

/// The fonts and sizes of the map's labels, and how many pixels stand for a screen pixel.
struct LabelFonts {
    ImFont* name = nullptr;  ///< prefecture and municipality names
    float nameSize = 16;
    ImFont* selected = nullptr;  ///< the selected municipality's name
    float selectedSize = 20;
    ImFont* place = nullptr;  ///< 大字 names
    float placeSize = 13;
    float pixelScale = 1;
    /// Not null, with a pixel scale of 1: the glyphs go here, for one pass with their halo,
    /// instead of five ImGui draws each (the window's labels; the print keeps haloText).
    std::vector<HaloGlyph>* oneGlyphPass = nullptr;
};

/// What the labels are drawn from.
struct LabelSources {
    const Dataset* data = nullptr;
    const MapIndex* index = nullptr;
    const PlaceNameIndex* placeNames = nullptr;  ///< null: no 大字 names (not built yet)
    int selected = -1;
};

/// At most this many 大字 names are drawn in one view (the rest would be unreadable anyway).
inline constexpr std::size_t kMaxPlaceLabels = 400;

/// Draws the labels of `view`'s map area on `dl`: the selection's name first, then
/// prefecture names (zoomed out) or municipality names where the municipality is wide
/// enough for them, then from kPlaceNameMinZoom 大字 names in the space left. Zoom
/// thresholds use the screen's zoom (the view's, less log2 of the pixel scale). Returns the
/// number of 大字 names drawn.
std::size_t drawMapLabels(ImDrawList* dl, const ViewTransform& view, const LabelSources& from, const LabelFonts& fonts);

}  // namespace hubmap::viewer
