#include "viewer/label_pass.hpp"

#include <cstddef>
#include <cstdint>

namespace hubmap::viewer {

LabelPass::LabelPass()
    : program_(gl::buildProgram("label")),
      vao_(gl::makeVertexArray()),
      vbo_(gl::makeBuffer()),
      linear_(gl::makeSampler()) {
    glSamplerParameteri(linear_.id(), GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glSamplerParameteri(linear_.id(), GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glBindVertexArray(vao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, vbo_.id());
    const auto stride = static_cast<GLsizei>(sizeof(Vertex));
    auto attribute = [&](GLuint index, GLint size, GLenum type, bool normalised, std::size_t offset) {
        glEnableVertexAttribArray(index);
        glVertexAttribPointer(index, size, type, normalised ? GL_TRUE : GL_FALSE, stride,
                              reinterpret_cast<const void*>(offset));
    };
    attribute(0, 4, GL_FLOAT, false, offsetof(Vertex, x));
    attribute(1, 4, GL_FLOAT, false, offsetof(Vertex, u0));
    attribute(2, 2, GL_FLOAT, false, offsetof(Vertex, du));
    attribute(3, 4, GL_UNSIGNED_BYTE, true, offsetof(Vertex, colour));
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
}

void LabelPass::addTo(ImDrawList* dl) {
    if (glyphs_.empty()) return;
    dl->AddCallback(&LabelPass::drawCallback, this);
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

void LabelPass::drawCallback(const ImDrawList* /*list*/, const ImDrawCmd* cmd) {
    static_cast<LabelPass*>(cmd->UserCallbackData)->draw(*cmd);
}

void LabelPass::draw(const ImDrawCmd& cmd) {
    const ImDrawData* data = ImGui::GetDrawData();
    const ImVec2 off = data->DisplayPos, scale = data->FramebufferScale;
    const float fbHeight = data->DisplaySize.y * scale.y;
    // The clip rectangle as the OpenGL 3 backend sets it for its own draws.
    const ImVec2 c0((cmd.ClipRect.x - off.x) * scale.x, (cmd.ClipRect.y - off.y) * scale.y);
    const ImVec2 c1((cmd.ClipRect.z - off.x) * scale.x, (cmd.ClipRect.w - off.y) * scale.y);
    if (c1.x <= c0.x || c1.y <= c0.y) return;
    glScissor(static_cast<int>(c0.x), static_cast<int>(fbHeight - c1.y), static_cast<int>(c1.x - c0.x),
              static_cast<int>(c1.y - c0.y));

    // Each quad one pixel larger on every side, its atlas coordinates carried along.
    vertices_.clear();
    vertices_.reserve(glyphs_.size() * 6);
    // Runs of glyphs read alike (HaloGlyph::scaled), in order: overlapping labels stack as drawn.
    struct Run {
        GLint first = 0;
        GLsizei count = 0;
        bool scaled = false;
    };
    std::vector<Run> runs;
    for (const HaloGlyph& g : glyphs_) {
        if (runs.empty() || runs.back().scaled != g.scaled) {
            runs.push_back({static_cast<GLint>(vertices_.size()), 0, g.scaled});
        }
        runs.back().count += 6;
        const float du = (g.uv1.x - g.uv0.x) / (g.p1.x - g.p0.x), dv = (g.uv1.y - g.uv0.y) / (g.p1.y - g.p0.y);
        const float x0 = g.p0.x - 1, y0 = g.p0.y - 1, x1 = g.p1.x + 1, y1 = g.p1.y + 1;
        const float u0 = g.uv0.x - du, v0 = g.uv0.y - dv, u1 = g.uv1.x + du, v1 = g.uv1.y + dv;
        auto corner = [&](float x, float y, float u, float v) {
            vertices_.push_back({x, y, u, v, g.uv0.x, g.uv0.y, g.uv1.x, g.uv1.y, du, dv, g.colour});
        };
        corner(x0, y0, u0, v0);
        corner(x1, y0, u1, v0);
        corner(x1, y1, u1, v1);
        corner(x0, y0, u0, v0);
        corner(x1, y1, u1, v1);
        corner(x0, y1, u0, v1);
    }
    // The projection of the OpenGL 3 backend (DisplayPos at the top left).
    const float l = off.x, r = off.x + data->DisplaySize.x, t = off.y, b = off.y + data->DisplaySize.y;
    const float projection[16] = {2.f / (r - l),     0, 0, 0, 0, 2.f / (t - b), 0, 0, 0, 0, -1, 0, (r + l) / (l - r),
                                  (t + b) / (b - t), 0, 1};
    glUseProgram(program_.id());
    glUniformMatrix4fv(gl::uniform(program_, "u_projection"), 1, GL_FALSE, projection);
    glUniform1i(gl::uniform(program_, "u_atlas"), 0);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::intptr_t>(ImGui::GetIO().Fonts->TexID)));
    // The shader's colour is premultiplied: glyph over halo, the pair over the map.
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_ONE, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glBindVertexArray(vao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, vbo_.id());
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices_.size() * sizeof(Vertex)), vertices_.data(),
                 GL_STREAM_DRAW);
    // Nearest (the atlas's own filter) costs llvmpipe less per read than linear.
    for (const Run& run : runs) {
        glBindSampler(0, run.scaled ? linear_.id() : 0);
        glDrawArrays(GL_TRIANGLES, run.first, run.count);
    }
    glBindSampler(0, 0);
    glBindVertexArray(0);
}

}  // namespace hubmap::viewer
