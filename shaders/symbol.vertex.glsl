// Hub symbols: a screen-aligned quad of u_size pixels per hub (4 vertices carrying the
// hub's point and kind; the corner comes from gl_VertexID). Shape and colour come from
// the kind. Hidden kinds are moved outside the clip volume.

layout(location = 0) in vec2 a_position;  // world
layout(location = 1) in uint a_kind;

const int kMaxKinds = 16;
uniform float u_size;  // pixels, across
uniform vec4 u_kindColour[kMaxKinds];
uniform int u_kindShape[kMaxKinds];
uniform int u_visibleKinds;  // bit k set: kind k drawn

out vec2 v_local;  // position in symbol radii
flat out vec4 v_colour;
flat out int v_shape;

void main() {
    int kind = int(a_kind) % kMaxKinds;
    if (((u_visibleKinds >> kind) & 1) == 0) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        return;
    }
    int c = gl_VertexID & 3;
    vec2 corner = vec2((c & 1) == 0 ? -1.0 : 1.0, (c & 2) == 0 ? -1.0 : 1.0);
    float radius = u_size * 0.5;
    float extent = radius + 1.0;  // room for anti-aliasing
    vec2 centre = clipToPixels(worldToClip(a_position));
    v_local = corner * extent / radius;
    v_colour = u_kindColour[kind];
    v_shape = u_kindShape[kind];
    gl_Position = vec4(pixelsToClip(centre + corner * extent), 0.0, 1.0);
}
