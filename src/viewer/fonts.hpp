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

/// Adds the font at each of `sizes` (pixels) to the current ImGui context's atlas, with the
/// glyphs of `texts` and the UI's own, and builds it (a print's page fonts). Throws Error
/// naming the font file.
std::vector<ImFont*> loadFontSizes(const std::string& fontPath, const std::vector<const std::string*>& texts,
                                   const std::vector<float>& sizes);

}  // namespace hubmap::viewer
