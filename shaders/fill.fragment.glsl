// Solid fill with anti-aliased borders along the polygon's boundary edges (each side of
// a shared border draws half its width), or diagonal hatching in screen space
// (uncovered areas) in the FILL_HATCH variant. Variants are compiled, not chosen by uniforms:
// llvmpipe runs both sides of a branch, so every option left to a uniform costs each pixel.

flat in vec4 v_colour;
flat in int v_isSelected;
in vec3 v_boundaryPx;
#ifdef FILL_CATCHMENTS
in vec2 v_field;
#endif

uniform float u_hatch;  // FILL_HATCH: stripe period in pixels
uniform float u_borderWidth;  // pixels, whole border (half on each side); 0 = none
uniform vec4 u_borderColour;
uniform float u_selectedWidth;  // inner outline of the selected feature, pixels
uniform vec4 u_selectedColour;

// FILL_CATCHMENTS: catchments mixed into the fill (one texture read, no pass of their own).
uniform sampler2D u_field;
uniform float u_rangeKm;
uniform float u_metresPerPixel;
uniform float u_catchmentLineWidth;
uniform vec4 u_catchmentFill;
uniform vec4 u_catchmentLine;

out vec4 o_colour;

void main() {
    vec4 colour = v_colour;
#ifdef FILL_HATCH
    float phase = mod(gl_FragCoord.x + gl_FragCoord.y, u_hatch);
    float stripe = clamp(min(phase, u_hatch * 0.25 - phase) + 0.5, 0.0, 1.0);
    if (stripe <= 0.0) discard;
    colour.a *= stripe;
#else
#ifdef FILL_CATCHMENTS
    float insidePx = catchmentKm(texture(u_field, v_field).r, u_rangeKm) * 1000.0 / u_metresPerPixel;
    colour = withCatchment(colour, insidePx, u_catchmentLineWidth, u_catchmentFill, u_catchmentLine);
#endif
    // Pixels to the nearest boundary edge (interpolated by the rasteriser: no derivatives).
    float d = min(v_boundaryPx.x, min(v_boundaryPx.y, v_boundaryPx.z));
    if (u_borderWidth > 0.0) {
        // Thinner than a pixel: a fainter one-pixel line.
        float halfWidth = max(u_borderWidth, 1.0) * 0.5;
        float cover = clamp(halfWidth + 0.5 - d, 0.0, 1.0) * min(u_borderWidth, 1.0) * u_borderColour.a;
        colour = vec4(mix(colour.rgb, u_borderColour.rgb, cover), max(colour.a, cover));
    }
    if (v_isSelected == 1) {
        float cover = clamp(u_selectedWidth + 0.5 - d, 0.0, 1.0);
        colour = vec4(mix(colour.rgb, u_selectedColour.rgb, cover), max(colour.a, cover));
    }
#endif
    o_colour = colour;
}
