#pragma once
// Japanese UI text: Noto Sans CJK (Debian fonts-noto-cjk) rasterised by FreeType with
// only the glyphs the loaded data and the UI use, so the atlas stays small.

#include <string>
#include <vector>

struct ImFont;

namespace hubmap::viewer {

struct UiFonts {
    ImFont* body = nullptr;     ///< panels, tooltips, map labels
    ImFont* heading = nullptr;  ///< titles
};

/// Adds the fonts to the current ImGui context's atlas. `texts` are every string the
/// viewer may show from the data (names, readings, hub names…). Throws Error naming the
/// font file when it cannot be read.
UiFonts loadUiFonts(const std::string& fontPath, const std::vector<const std::string*>& texts, float scale = 1.0f);

}  // namespace hubmap::viewer
