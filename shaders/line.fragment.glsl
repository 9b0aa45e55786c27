// Anti-aliased line body; lines thinner than a pixel are drawn one pixel wide, fainter.

in float v_across;
uniform float u_width;
uniform vec4 u_colour;

out vec4 o_colour;

void main() {
    float drawn = max(u_width, 1.0);
    float coverage = clamp(drawn * 0.5 + 0.5 - abs(v_across), 0.0, 1.0) * min(u_width, 1.0);
    if (coverage <= 0.0) discard;
    o_colour = vec4(u_colour.rgb, u_colour.a * coverage);
}
