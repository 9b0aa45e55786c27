// Solid fill with anti-aliased borders along the polygon's boundary edges (each side of
// a shared border draws half its width), or diagonal hatching in screen space
// (uncovered areas) in the FILL_HATCH variant; FILL_CATCHMENTS adds the catchments' outline
// and hatches the query's uncovered areas from the same field (the municipalities it measures
// whole, and the designated parts of 一部過疎 ones, drawn as their municipality's feature).
// FILL_HATCHED hatches those municipalities without the field: MapRenderer draws with it the
// triangles the field has wholly outside every catchment (FieldSides), where FILL_CATCHMENTS
// would give the same colour. FILL_NO_BORDERS leaves out the borders and the selection's
// outline, for triangles without a boundary edge (all their distances are far: both covers 0).
// MapRenderer::fillProgram picks the variant.
// Variants are compiled, not chosen by uniforms: llvmpipe runs both sides of a branch, so
// every option left to a uniform costs each pixel; options that only scale a term (no
// borders: a border cover of 0; the selection: see v_selectedWidth; the field's hatching:
// u_fieldHatch) cost no branch at all and leave the colour exactly as it was.

flat in vec4 v_colour;
flat in float v_selectedWidth;
in vec3 v_boundaryPx;
#ifdef FILL_CATCHMENTS
in vec2 v_field;
#endif
#if defined(FILL_CATCHMENTS) || defined(FILL_HATCHED)
flat in float v_hatched;  // 1: hatch what lies outside every catchment (an uncovered area)
#endif

uniform float u_hatch;        // FILL_HATCH: stripe period in pixels
uniform float u_borderHalfWidth;  // pixels, at least half a pixel
uniform float u_borderScale;      // the border's cover: 1, less when thinner than a pixel, 0 = none
uniform vec4 u_borderColour;
uniform vec4 u_selectedColour;

// FILL_CATCHMENTS: catchments mixed into the fill (one texture read, no pass of their own);
// only their outline (the fill's colours show inside: kCatchmentFill has no alpha).
uniform sampler2D u_field;
uniform float u_rangeKm;
uniform float u_metresPerPixel;     // at most the range (see withCatchment)
uniform float u_catchmentLineReach;
uniform vec4 u_catchmentLine;
uniform vec4 u_uncoveredColour;  // the hatching's colour and opacity (FILL_HATCH's, drawn here)

out vec4 o_colour;

void main() {
    vec4 colour = v_colour;
#ifdef FILL_HATCH
    float stripe = hatchStripe(gl_FragCoord.xy, u_hatch);
    if (stripe <= 0.0) discard;
    colour.a *= stripe;
#else
#ifdef FILL_CATCHMENTS
    float insidePx = catchmentKm(texture(u_field, v_field).r, u_rangeKm) * 1000.0 / u_metresPerPixel;
    colour = withCatchmentOutline(colour, insidePx, u_catchmentLineReach, u_catchmentLine);
#endif
#ifndef FILL_NO_BORDERS
    // Pixels to the nearest boundary edge (interpolated by the rasteriser: no derivatives).
    float d = min(v_boundaryPx.x, min(v_boundaryPx.y, v_boundaryPx.z));
    float cover = clamp(u_borderHalfWidth + 0.5 - d, 0.0, 1.0) * u_borderScale * u_borderColour.a;
    colour = vec4(mix(colour.rgb, u_borderColour.rgb, cover), max(colour.a, cover));
    cover = clamp(v_selectedWidth + 0.5 - d, 0.0, 1.0);
    colour = vec4(mix(colour.rgb, u_selectedColour.rgb, cover), max(colour.a, cover));
#endif
#ifdef FILL_CATCHMENTS
    // The uncovered areas' hatching over all that, as its own pass would blend it, where the
    // field says no catchment reaches (anti-aliased along their edge).
    float outside = clamp(0.5 - insidePx, 0.0, 1.0);
    float hatch = hatchStripe(gl_FragCoord.xy, u_hatch) * outside * v_hatched * u_uncoveredColour.a;
    colour.rgb = mix(colour.rgb, u_uncoveredColour.rgb, hatch);
#elif defined(FILL_HATCHED)
    // FILL_CATCHMENTS's hatching where `outside` is 1.
    float hatch = hatchStripe(gl_FragCoord.xy, u_hatch) * v_hatched * u_uncoveredColour.a;
    colour.rgb = mix(colour.rgb, u_uncoveredColour.rgb, hatch);
#endif
#endif
    o_colour = colour;
}
