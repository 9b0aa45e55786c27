// Catchment disks into the distance field (see catchment.fragment.glsl): one instance per
// hub, a quad around the ellipse its geodesic disk makes on the map. The ellipse is the
// image of the disk under the map's derivative at the hub (a_east, a_north: the projected
// offset of one ground metre east and north).

layout(location = 0) in vec2 a_centre;  // world
layout(location = 1) in vec4 a_frame;   // east.xy, north.xy
layout(location = 2) in uint a_kind;

const int kMaxKinds = 16;
uniform float u_radius;      // ground metres
uniform float u_margin;      // world metres beyond the ellipse's box (a few texels)
uniform int u_visibleKinds;  // bit k set: kind k has a catchment
uniform bool u_cells;        // instead: rectangles deep inside the union (a_frame: x0, y0, x1, y1)

out vec2 v_offset;         // world offset from the centre
flat out mat2 v_toGround;  // world offset -> ground metres east, north

void main() {
    int c = gl_VertexID & 3;
    vec2 corner = vec2((c & 1) == 0 ? -1.0 : 1.0, (c & 2) == 0 ? -1.0 : 1.0);
    if (u_cells) {
        v_offset = vec2(0.0);
        v_toGround = mat2(0.0);
        gl_Position = vec4(worldToClip(mix(a_frame.xy, a_frame.zw, corner * 0.5 + 0.5)), 0.0, 1.0);
        return;
    }
    int kind = int(a_kind) % kMaxKinds;
    if (((u_visibleKinds >> kind) & 1) == 0) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        return;
    }
    mat2 toWorld = mat2(a_frame.xy, a_frame.zw);
    // Half the box of the ellipse {toWorld * u : |u| = r}: r times the rows' lengths.
    vec2 extent = u_radius * vec2(length(vec2(a_frame.x, a_frame.z)), length(vec2(a_frame.y, a_frame.w))) + u_margin;
    v_offset = corner * extent;
    v_toGround = inverse(toWorld);
    gl_Position = vec4(worldToClip(a_centre + v_offset), 0.0, 1.0);
}
