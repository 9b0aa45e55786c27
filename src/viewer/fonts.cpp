#include "viewer/fonts.hpp"

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_freetype.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.hpp"

namespace hubmap::viewer {

namespace {
// Characters the UI's own strings use beyond what the data brings.
constexpr const char* kUiCharacters =
    "©°²·–—…±×→≥≤（）：「」、。・〜"
    "おかさしてとなのみわをカセタデバモルンー一事交人作係値全典出分加動区口営国土地域報大定小川工府情成拠指"
    "政数村業活点率疎省県組織落行通運過道部都関集非有";
}  // namespace

UiFonts loadUiFonts(const std::string& fontPath, const std::vector<const std::string*>& texts, float scale) {
    // Read the collection once for both sizes; the atlas only borrows it until built.
    std::ifstream in(fontPath, std::ios::binary);
    if (!in) {
        throw Error(ErrorContext{fontPath, {}, -1, -1},
                    "cannot read the font (install Debian's fonts-noto-cjk, or pass --font PATH)");
    }
    std::vector<char> fontData((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ImGuiIO& io = ImGui::GetIO();
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesDefault());  // Basic Latin + Latin-1
    // Kana in full: readings and typed search queries can use any of them.
    static const ImWchar kKana[] = {0x3000, 0x30FF, 0xFF01, 0xFF5E, 0};
    builder.AddRanges(kKana);
    builder.AddText(kUiCharacters);
    for (const std::string* t : texts) {
        if (t && !t->empty()) builder.AddText(t->c_str(), t->c_str() + t->size());
    }
    ImVector<ImWchar> ranges;  // borrowed by the atlas until Build()
    builder.BuildRanges(&ranges);

    io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    io.Fonts->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    io.Fonts->TexDesiredWidth = 4096;
    ImFontConfig config;
    config.FontNo = 0;  // Noto Sans CJK JP in the collection
    config.OversampleH = config.OversampleV = 1;
    config.FontDataOwnedByAtlas = false;
    const int size = static_cast<int>(fontData.size());
    UiFonts fonts;
    fonts.body = io.Fonts->AddFontFromMemoryTTF(fontData.data(), size, 16.0f * scale, &config, ranges.Data);
    fonts.heading = io.Fonts->AddFontFromMemoryTTF(fontData.data(), size, 20.0f * scale, &config, ranges.Data);
    if (!fonts.body || !fonts.heading || !io.Fonts->Build()) {
        throw Error(ErrorContext{fontPath, {}, -1, -1}, "cannot build a font atlas from this font");
    }
    io.Fonts->ClearInputData();  // glyphs are baked; drop the borrowed font data and ranges
    return fonts;
}

}  // namespace hubmap::viewer
