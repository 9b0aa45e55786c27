// Polygon fill: triangles in world coordinates, coloured per feature from a colour
// table texture (recolouring the map updates only that texture), or one uniform colour.
// Each vertex knows its corner of the triangle, which triangle edges are polygon boundary
// and its altitude (distance to the opposite edge), so the fragment shader can draw borders
// without extra geometry: the distance to an edge is linear over the triangle, interpolated
// here for free instead of worked out per pixel.
// (Not `noperspective`, though w = 1: llvmpipe's linear interpolation rounds differently, a
// few pixels a picture change by one step, for no gain that could be measured.)

layout(location = 0) in vec2 a_position;
layout(location = 1) in uint a_attributes;  // feature << 18 | altitude << 5 | edge mask << 2 | corner

uniform sampler2D u_colours;  // one RGBA texel per feature, row by row
uniform bool u_uniformColour;
uniform vec4 u_colour;
uniform int u_selected;         // feature drawn with the selection outline, or -1
uniform float u_selectedWidth;  // inner outline of the selected feature, pixels

flat out vec4 v_colour;
// The selection outline's width on the selected feature; on the others far below any
// distance (no outline, and no branch per pixel).
flat out float v_selectedWidth;
out vec3 v_boundaryPx;  // pixels to each boundary edge of the triangle; far for the other edges
#ifdef FILL_CATCHMENTS
out vec2 v_field;  // texture coordinates in the catchments' field

uniform vec2 u_fieldMin;  // world rectangle of the catchments' field
uniform vec2 u_fieldMax;
#endif
#if defined(FILL_CATCHMENTS) || defined(FILL_HATCHED)
flat out float v_hatched;

uniform sampler2D u_hatchedFeatures;  // one texel per feature, as u_colours: 1 where hatched
uniform float u_fieldHatch;           // 0: no feature is hatched from the field
#endif

void main() {
    gl_Position = vec4(worldToClip(a_position), 0.0, 1.0);
#ifdef FILL_CATCHMENTS
    v_field = (a_position - u_fieldMin) / (u_fieldMax - u_fieldMin);
#endif
    int feature = int(a_attributes >> 18u);
    int corner = int(a_attributes & 3u);
    uint edges = (a_attributes >> 2u) & 7u;
    // FillMesh::encodeAltitude's 13 bits: (256 + mantissa) × 2^(exponent − 18) metres.
    uint altitude = (a_attributes >> 5u) & 0x1FFFu;
    float pixelsPerMetre = abs(u_scale.x) * u_viewport.x * 0.5;
    float altitudePx = float(256u + (altitude & 255u)) * exp2(float(altitude >> 8u) - 18.0) * pixelsPerMetre;
    // Edge i: its distance is this corner's altitude at corner i and 0 at the other two.
    for (int i = 0; i < 3; ++i) {
        v_boundaryPx[i] = (edges & (1u << uint(i))) != 0u ? (i == corner ? altitudePx : 0.0) : 1e6;
    }
    v_selectedWidth = feature == u_selected ? u_selectedWidth : -1e6;
#if defined(FILL_CATCHMENTS) || defined(FILL_HATCHED)
    int hatchWidth = textureSize(u_hatchedFeatures, 0).x;
    v_hatched = texelFetch(u_hatchedFeatures, ivec2(feature % hatchWidth, feature / hatchWidth), 0).r * u_fieldHatch;
#endif
    if (u_uniformColour) {
        v_colour = u_colour;
    } else {
        int width = textureSize(u_colours, 0).x;
        v_colour = texelFetch(u_colours, ivec2(feature % width, feature / width), 0);
    }
}
