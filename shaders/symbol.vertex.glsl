// Hub symbols: a screen-aligned quad of u_size pixels per hub (4 vertices carrying the
// hub's point; the corner comes from gl_VertexID). Drawn a kind at a time: its colour and
// shape are the program's uniform and variant.

layout(location = 0) in vec2 a_position;  // world
uniform float u_size;  // pixels, across

out vec2 v_local;  // position in symbol radii

void main() {
    int c = gl_VertexID & 3;
    vec2 corner = vec2((c & 1) == 0 ? -1.0 : 1.0, (c & 2) == 0 ? -1.0 : 1.0);
    float radius = u_size * 0.5;
    // Room for anti-aliasing: a fragment under half a pixel outside the shape is drawn. Every
    // shape lies within a radius of the centre on each axis; the diamond's distance is to its
    // edges' lines, under the true one past a corner (0.71 px where it is 0.5).
#if defined(SYMBOL_DIAMOND)
    float extent = radius + 1.0;
#else
    float extent = radius + 0.5;
#endif
    vec2 centre = clipToPixels(worldToClip(a_position));
    v_local = corner * extent / radius;
    gl_Position = vec4(pixelsToClip(centre + corner * extent), 0.0, 1.0);
}
