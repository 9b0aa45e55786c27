#version 330 core
// Shared prelude of every hubmap-viewer program (prepended to each stage at build time).
// World coordinates are projected metres (see src/viewer/map_projection.hpp).

uniform vec2 u_scale;     // clip = world * u_scale + u_offset
uniform vec2 u_offset;
uniform vec2 u_viewport;  // framebuffer size in pixels

vec2 worldToClip(vec2 world) { return world * u_scale + u_offset; }
vec2 clipToPixels(vec2 clip) { return (clip * 0.5 + 0.5) * u_viewport; }
vec2 pixelsToClip(vec2 px) { return px / u_viewport * 2.0 - 1.0; }
