// Map labels in one pass (src/viewer/label_pass.hpp): a glyph's quad grown by the halo's pixel.

layout(location = 0) in vec4 a_positionUv;  // screen pixels (ImGui's, y down), atlas
layout(location = 1) in vec4 a_glyphRect;   // the glyph's atlas rectangle
layout(location = 2) in vec2 a_uvPerPixel;
layout(location = 3) in vec4 a_colour;

uniform mat4 u_projection;  // ImGui's

out vec2 v_uv;
flat out vec4 v_glyphRect;
flat out vec2 v_uvPerPixel;
flat out vec4 v_colour;

void main() {
    v_uv = a_positionUv.zw;
    v_glyphRect = a_glyphRect;
    v_uvPerPixel = a_uvPerPixel;
    v_colour = a_colour;
    gl_Position = u_projection * vec4(a_positionUv.xy, 0.0, 1.0);
}
