#pragma once
// The window's map labels in one draw: each glyph's quad, grown by the halo's pixel, drawn by
// a shader that composites the four white halo copies and the glyph itself, where ImGui would
// draw every label five times (haloText). llvmpipe pays per pixel drawn, so this is a fifth of
// the labels' pixel work. Added to an ImGui draw list as a callback, so labels keep their place
// among ImGui's drawing (above the map, below the panels).

#include <imgui.h>

#include <vector>

#include "viewer/gl_resources.hpp"
#include "viewer/map_drawing.hpp"

namespace hubmap::viewer {

class LabelPass {
public:
    LabelPass();
    LabelPass(const LabelPass&) = delete;
    LabelPass& operator=(const LabelPass&) = delete;

    /// This frame's glyphs: cleared by the caller, filled by drawMapLabels.
    std::vector<HaloGlyph>& glyphs() { return glyphs_; }

    /// Adds the draw of glyphs() to `dl` at this point, with `dl`'s current clip rectangle,
    /// and the ImGui backend's state restored after it. glyphs() must stay as they are until
    /// the draw data is rendered.
    void addTo(ImDrawList* dl);

private:
    static void drawCallback(const ImDrawList* list, const ImDrawCmd* cmd);
    void draw(const ImDrawCmd& cmd);

    struct Vertex {
        float x, y, u, v;
        float u0, v0, u1, v1;  // the glyph's atlas rectangle
        float du, dv;          // atlas units per pixel
        ImU32 colour;
    };
    gl::Program program_;
    gl::VertexArray vao_;
    gl::Buffer vbo_;
    /// Linear filtering for the atlas, whose own filter is nearest (ViewerApp::useNearestFontAtlas):
    /// for the labels drawn scaled (大字 names); ImGui's own text and unscaled labels read nearest.
    gl::Sampler linear_;
    std::vector<HaloGlyph> glyphs_;
    std::vector<Vertex> vertices_;
};

}  // namespace hubmap::viewer
