// Lines with a width in pixels: each segment is a quad of 4 vertices that all carry the
// segment's two ends; the vertex's corner (from gl_VertexID) says where to push it, with
// square caps so consecutive segments join.

layout(location = 0) in vec2 a_start;  // world
layout(location = 1) in vec2 a_end;

uniform float u_width;  // pixels

out float v_across;  // signed distance from the centre line, pixels

void main() {
    int corner = gl_VertexID & 3;
    float along = float(corner >> 1);                // 0 at the start, 1 at the end
    float side = (corner & 1) == 0 ? -1.0 : 1.0;
    vec2 s0 = clipToPixels(worldToClip(a_start));
    vec2 s1 = clipToPixels(worldToClip(a_end));
    vec2 d = s1 - s0;
    float len = length(d);
    vec2 dir = len > 1e-4 ? d / len : vec2(1.0, 0.0);
    vec2 normal = vec2(-dir.y, dir.x);
    float drawn = max(u_width, 1.0);
    float halfWidth = drawn * 0.5 + 0.75;  // room for the anti-aliased edge
    vec2 p = mix(s0, s1, along) + dir * (along * 2.0 - 1.0) * drawn * 0.5 + normal * side * halfWidth;
    v_across = side * halfWidth;
    gl_Position = vec4(pixelsToClip(p), 0.0, 1.0);
}
