// A glyph with haloText's halo in one pass: four white copies (alpha 210) one pixel left,
// right, up and down, then the glyph in its colour. Blending the copies one after another
// over the map leaves (1 - T) white and T of the map, T the product of (1 - copy alpha);
// the glyph goes over that. The result is premultiplied (blend ONE, ONE_MINUS_SRC_ALPHA).

uniform sampler2D u_atlas;

in vec2 v_uv;
flat in vec4 v_glyphRect;
flat in vec2 v_uvPerPixel;
flat in vec4 v_colour;

out vec4 o_colour;

const float kHaloAlpha = 210.0 / 255.0;

// The glyph's coverage at `uv`: none outside its own rectangle (the quad ImGui draws ends there).
float coverage(vec2 uv) {
    bool inside = all(greaterThanEqual(uv, v_glyphRect.xy)) && all(lessThanEqual(uv, v_glyphRect.zw));
    return inside ? texture(u_atlas, uv).a : 0.0;
}

void main() {
    float glyph = v_colour.a * coverage(v_uv);
    float through = (1.0 - kHaloAlpha * coverage(v_uv - vec2(v_uvPerPixel.x, 0.0))) *
                    (1.0 - kHaloAlpha * coverage(v_uv + vec2(v_uvPerPixel.x, 0.0))) *
                    (1.0 - kHaloAlpha * coverage(v_uv - vec2(0.0, v_uvPerPixel.y))) *
                    (1.0 - kHaloAlpha * coverage(v_uv + vec2(0.0, v_uvPerPixel.y)));
    vec3 rgb = glyph * v_colour.rgb + (1.0 - glyph) * (1.0 - through);
    o_colour = vec4(rgb, 1.0 - (1.0 - glyph) * through);
}
