#version 330 core
// Shared prelude of every hubmap-viewer program (prepended to each stage at build time).
// World coordinates are projected metres (see src/viewer/map_projection.hpp).

uniform vec2 u_scale;     // clip = world * u_scale + u_offset
uniform vec2 u_offset;
uniform vec2 u_viewport;  // framebuffer size in pixels

vec2 worldToClip(vec2 world) { return world * u_scale + u_offset; }
vec2 clipToPixels(vec2 clip) { return (clip * 0.5 + 0.5) * u_viewport; }
vec2 pixelsToClip(vec2 px) { return px / u_viewport * 2.0 - 1.0; }

// Catchments (see catchment_mask.*): `colour` with the catchment tint where `insidePx` (pixels
// inside the union of the disks' edge, negative outside) is positive and the outline along
// the edge, its cover falling to 0 at `lineReach` pixels from it (MapRenderer keeps that short
// of the field's range: where the field saturates there is no outline). Overlapping disks
// never darken: the field holds their union.
vec4 withCatchment(vec4 colour, float insidePx, float lineReach, vec4 fill, vec4 line) {
    float tint = clamp(insidePx + 0.5, 0.0, 1.0) * fill.a;
    float edge = clamp(lineReach - abs(insidePx), 0.0, 1.0) * line.a;
    vec3 rgb = mix(mix(colour.rgb, fill.rgb, tint), line.rgb, edge);
    return vec4(rgb, max(colour.a, max(tint, edge)));
}
// The same with no tint (fill.a = 0), as the municipalities' fill draws them: the outline only.
vec4 withCatchmentOutline(vec4 colour, float insidePx, float lineReach, vec4 line) {
    float edge = clamp(lineReach - abs(insidePx), 0.0, 1.0) * line.a;
    return vec4(mix(colour.rgb, line.rgb, edge), max(colour.a, edge));
}
/// Ground km inside the catchments' edge from the field's texel (0.5 is the edge).
float catchmentKm(float texel, float rangeKm) { return (texel - 0.5) * 2.0 * rangeKm; }
/// Diagonal stripes in screen space (`pixel`: gl_FragCoord.xy), `period` pixels apart and a
/// quarter of it wide: the uncovered areas' hatching (1 on a stripe, anti-aliased, 0 between).
float hatchStripe(vec2 pixel, float period) {
    float phase = mod(pixel.x + pixel.y, period);
    return clamp(min(phase, period * 0.25 - phase) + 0.5, 0.0, 1.0);
}
