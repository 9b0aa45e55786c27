#include "viewer/map_drawing.hpp"

#include <imgui_internal.h>

#include <cmath>
#include <vector>

namespace hubmap::viewer {

void drawSymbol(ImDrawList* dl, ImVec2 c, float size, const HubStyle& style) {
    const float r = size / 2;
    const ImU32 col = style.colour.packed();
    const ImU32 halo = IM_COL32(255, 255, 255, 255);
    const float line = std::max(1.f, size / 14);  // the halo: one pixel on screen
    switch (style.shape) {
        case SymbolShape::Square:
            dl->AddRectFilled(ImVec2(c.x - r * 0.82f, c.y - r * 0.82f), ImVec2(c.x + r * 0.82f, c.y + r * 0.82f), col);
            dl->AddRect(ImVec2(c.x - r * 0.82f, c.y - r * 0.82f), ImVec2(c.x + r * 0.82f, c.y + r * 0.82f), halo, 0.f,
                        0, line);
            break;
        case SymbolShape::Diamond:
            dl->AddQuadFilled(ImVec2(c.x, c.y - r), ImVec2(c.x + r, c.y), ImVec2(c.x, c.y + r), ImVec2(c.x - r, c.y),
                              col);
            break;
        case SymbolShape::Triangle:
            dl->AddTriangleFilled(ImVec2(c.x, c.y - r), ImVec2(c.x + r, c.y + r * 0.75f),
                                  ImVec2(c.x - r, c.y + r * 0.75f), col);
            break;
        case SymbolShape::Star: {
            ImVec2 pts[10];
            for (int i = 0; i < 10; ++i) {
                const float a = -1.5707963f + i * 3.14159265f / 5;
                const float rr = (i % 2 == 0) ? r : r * 0.45f;
                pts[i] = ImVec2(c.x + rr * std::cos(a), c.y + rr * std::sin(a));
            }
            for (int i = 0; i < 10; ++i) dl->AddTriangleFilled(c, pts[i], pts[(i + 1) % 10], col);
            break;
        }
        case SymbolShape::Cross:
            dl->AddRectFilled(ImVec2(c.x - r, c.y - r * 0.32f), ImVec2(c.x + r, c.y + r * 0.32f), col);
            dl->AddRectFilled(ImVec2(c.x - r * 0.32f, c.y - r), ImVec2(c.x + r * 0.32f, c.y + r), col);
            break;
        case SymbolShape::Circle:
            dl->AddCircleFilled(c, r, col, 32);
            dl->AddCircle(c, r, halo, 32, 1.2f * line);
            break;
    }
}

void haloText(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, const std::string& text, float halo) {
    const ImU32 white = IM_COL32(255, 255, 255, 210);
    for (const ImVec2 d : {ImVec2(-1, 0), ImVec2(1, 0), ImVec2(0, -1), ImVec2(0, 1), ImVec2(-0.7f, -0.7f),
                           ImVec2(0.7f, 0.7f), ImVec2(-0.7f, 0.7f), ImVec2(0.7f, -0.7f)}) {
        // Four offsets are enough for a one-pixel halo on screen; wider ones need the diagonals.
        if (halo <= 1.f && d.x != 0 && d.y != 0) continue;
        dl->AddText(font, size, ImVec2(pos.x + d.x * halo, pos.y + d.y * halo), white, text.c_str());
    }
    dl->AddText(font, size, pos, colour, text.c_str());
}

void appendHaloGlyphs(std::vector<HaloGlyph>& out, const ImFont* font, float size, ImVec2 pos, ImU32 colour,
                      const std::string& text, const ImVec4& clip) {
    // As ImFont::RenderText (ImGui 1.86) places a line: from the whole pixel, glyph by glyph.
    const float x0 = static_cast<float>(static_cast<int>(pos.x)), y = static_cast<float>(static_cast<int>(pos.y));
    const float scale = size / font->FontSize;
    if (y - 1 > clip.w || y + 1 + font->FontSize * scale < clip.y) return;
    float x = x0;
    const char* s = text.c_str();
    const char* end = s + text.size();
    while (s < end) {
        unsigned int c = static_cast<unsigned char>(*s);
        if (c < 0x80) {
            ++s;
        } else {
            s += ImTextCharFromUtf8(&c, s, end);
            if (c == 0) break;
        }
        if (c == '\n' || c == '\r') continue;  // labels are one line
        const ImFontGlyph* glyph = font->FindGlyph(static_cast<ImWchar>(c));
        if (!glyph) continue;
        if (glyph->Visible) {
            const ImVec2 p0(x + glyph->X0 * scale, y + glyph->Y0 * scale),
                p1(x + glyph->X1 * scale, y + glyph->Y1 * scale);
            if (p0.x - 1 <= clip.z && p1.x + 1 >= clip.x) {
                out.push_back(
                    {p0, p1, ImVec2(glyph->U0, glyph->V0), ImVec2(glyph->U1, glyph->V1), colour, scale != 1.f});
            }
        }
        x += glyph->AdvanceX * scale;
    }
}

std::size_t drawMapLabels(ImDrawList* dl, const ViewTransform& view, const LabelSources& from,
                          const LabelFonts& fonts) {
    const Dataset& data = *from.data;
    const MapIndex& index = *from.index;
    const ScreenRect& a = view.mapArea();
    const float px = fonts.pixelScale;
    const double zoom = view.zoomLevel() - std::log2(static_cast<double>(px));
    std::vector<ImVec4> placed;  // x0, y0, x1, y1 of labels drawn
    auto tryPlace = [&](WorldPoint at, const std::string& text, float size, ImU32 colour, ImFont* font) {
        const ScreenPoint s = view.toScreen(at);
        const ImVec2 extent = font->CalcTextSizeA(size, 1e9f, 0.f, text.c_str());
        const float padX = 2 * px, padY = 1 * px;
        const ImVec4 box(static_cast<float>(s.x) - extent.x / 2 - padX, static_cast<float>(s.y) - extent.y / 2 - padY,
                         static_cast<float>(s.x) + extent.x / 2 + padX, static_cast<float>(s.y) + extent.y / 2 + padY);
        if (box.z < a.x || box.x > a.x + a.width || box.w < a.y || box.y > a.y + a.height) return false;
        for (const ImVec4& p : placed) {
            if (box.x < p.z && p.x < box.z && box.y < p.w && p.y < box.w) return false;
        }
        placed.push_back(box);
        const ImVec2 pos(box.x + padX, box.y + padY);
        if (fonts.oneGlyphPass && px == 1.f) {
            const ImVec2 c0 = dl->GetClipRectMin(), c1 = dl->GetClipRectMax();
            appendHaloGlyphs(*fonts.oneGlyphPass, font, size, pos, colour, text, ImVec4(c0.x, c0.y, c1.x, c1.y));
        } else {
            haloText(dl, font, size, pos, colour, text, px);
        }
        return true;
    };
    if (from.selected >= 0) {
        const auto i = static_cast<std::size_t>(from.selected);
        tryPlace(index.municipalityLabels[i], data.municipalities[i].name, fonts.selectedSize,
                 IM_COL32(0, 60, 140, 255), fonts.selected);
    }
    if (zoom < 7.2) {
        for (std::size_t p = 0; p < data.prefectures.size(); ++p) {
            tryPlace(index.prefectureLabels[p], data.prefectures[p].name, fonts.nameSize, IM_COL32(40, 40, 50, 255),
                     fonts.name);
        }
        return 0;
    }
    // Municipality names where the municipality is wide enough on screen for its name.
    const WorldBounds visible = view.visibleBounds();
    for (std::size_t i = 0; i < data.municipalities.size(); ++i) {
        const WorldBounds& b = index.municipalityBounds[i];
        if (!b.intersects(visible) || static_cast<int>(i) == from.selected) continue;
        const double widthPx = (b.maxx - b.minx) * view.pixelsPerMetre();
        const std::string& name = data.municipalities[i].name;
        if (widthPx < fonts.name->CalcTextSizeA(fonts.nameSize, 1e9f, 0.f, name.c_str()).x * 1.1) continue;
        tryPlace(index.municipalityLabels[i], name, fonts.nameSize, IM_COL32(50, 50, 50, 255), fonts.name);
    }
    if (zoom < kPlaceNameMinZoom || !from.placeNames) return 0;
    // 大字 names in the space the municipality names left, in a lighter grey; a spread of
    // candidates so a cap thins them evenly.
    WorldBounds area;
    const WorldPoint c0 = view.toWorld({a.x, a.y}), c1 = view.toWorld({a.x + a.width, a.y + a.height});
    area.expand(c0.x, c0.y);
    area.expand(c1.x, c1.y);
    std::size_t drawn = 0;
    for (std::size_t i : from.placeNames->within(area, 3 * kMaxPlaceLabels)) {
        if (drawn >= kMaxPlaceLabels) break;
        const std::string& name = from.placeNames->name(i);
        if (name.empty()) continue;
        drawn += tryPlace(from.placeNames->point(i), name, fonts.placeSize, IM_COL32(95, 85, 70, 255), fonts.place);
    }
    return drawn;
}

}  // namespace hubmap::viewer
