#pragma once
// Japanese UI text: Noto Sans CJK (Debian fonts-noto-cjk) rasterised by FreeType with
// only the glyphs the loaded data and the UI use, so the atlas stays small.

#include <cstddef>
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
/// `bodyOnlyTexts` (the 大字 names: some 700 more kanji) get glyphs in the body font only,
/// which halves what they add to the start-up.
UiFonts loadUiFonts(const std::string& fontPath, const std::vector<const std::string*>& texts, float scale = 1.0f,
                    const std::vector<const std::string*>& bodyOnlyTexts = {});

/// Adds the font at each of `sizes` (pixels) to the current ImGui context's atlas, with the
/// glyphs of `texts` and the UI's own, and builds it (a print's page fonts). Throws Error
/// naming the font file.
/// The first `extraSizes` sizes also get the glyphs of `extraTexts`.
std::vector<ImFont*> loadFontSizes(const std::string& fontPath, const std::vector<const std::string*>& texts,
                                   const std::vector<float>& sizes,
                                   const std::vector<const std::string*>& extraTexts = {}, std::size_t extraSizes = 0);

}  // namespace hubmap::viewer
