// Catchments from the distance field where no municipality fill draws them (the fill
// shader mixes them in itself): a light tint inside and an outline along the union's edge.

in vec2 v_field;
uniform sampler2D u_field;       // see catchment_mask.fragment.glsl
uniform float u_rangeKm;
uniform float u_metresPerPixel;  // ground metres per framebuffer pixel (at most the range: see withCatchment)
uniform float u_lineReach;       // pixels from the edge to where the outline ends
uniform vec4 u_fill;
uniform vec4 u_line;

out vec4 o_colour;

void main() {
    float insidePx = catchmentKm(texture(u_field, v_field).r, u_rangeKm) * 1000.0 / u_metresPerPixel;
    vec4 colour = withCatchment(vec4(u_fill.rgb, 0.0), insidePx, u_lineReach, u_fill, u_line);
    if (colour.a <= 0.0) discard;
    o_colour = colour;
}
