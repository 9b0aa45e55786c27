// The signed ground distance inside the disk (negative outside), blended with GL_MAX: the
// texel keeps the union's distance field, so overlapping disks never darken and the
// boundary interpolates between texels to well under a texel. Stored scaled to 0-1 over
// ±u_rangeKm (0.5 on the edge) in a float texture, cleared to 0: only the texels near an
// edge need their value, and outside a disk the clear's 0 wins the GL_MAX.

in vec2 v_offset;
flat in mat2 v_toGround;
uniform float u_radius;   // ground metres
uniform float u_rangeKm;  // the field's reach on either side of an edge
uniform bool u_cells;     // rectangles deep inside: the range's far end

out vec4 o_distance;

void main() {
    if (u_cells) {
        o_distance = vec4(1.0, 0.0, 0.0, 1.0);
        return;
    }
    float insideKm = (u_radius - length(v_toGround * v_offset)) / 1000.0;
    o_distance = vec4(0.5 + insideKm / (2.0 * u_rangeKm), 0.0, 0.0, 1.0);
}
