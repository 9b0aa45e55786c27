// Polygon fill: triangles in world coordinates, coloured per feature from a colour
// table texture (recolouring the map updates only that texture), or one uniform colour.
// Each vertex knows its corner of the triangle and which triangle edges are polygon
// boundary, so the fragment shader can draw borders without extra geometry.

layout(location = 0) in vec2 a_position;
layout(location = 1) in uint a_attributes;  // feature << 8 | edge mask << 2 | corner

uniform sampler2D u_colours;  // one RGBA texel per feature, row by row
uniform bool u_uniformColour;
uniform vec4 u_colour;
uniform int u_selected;  // feature drawn with the selection outline, or -1

flat out vec4 v_colour;
flat out int v_edges;
flat out int v_isSelected;
out vec3 v_barycentric;
#ifdef FILL_CATCHMENTS
out vec2 v_field;  // texture coordinates in the catchments' field

uniform vec2 u_fieldMin;  // world rectangle of the catchments' field
uniform vec2 u_fieldMax;
#endif

void main() {
    gl_Position = vec4(worldToClip(a_position), 0.0, 1.0);
#ifdef FILL_CATCHMENTS
    v_field = (a_position - u_fieldMin) / (u_fieldMax - u_fieldMin);
#endif
    int feature = int(a_attributes >> 8u);
    int corner = int(a_attributes & 3u);
    v_edges = int((a_attributes >> 2u) & 7u);
    v_barycentric = vec3(corner == 0 ? 1.0 : 0.0, corner == 1 ? 1.0 : 0.0, corner == 2 ? 1.0 : 0.0);
    v_isSelected = feature == u_selected ? 1 : 0;
    if (u_uniformColour) {
        v_colour = u_colour;
    } else {
        int width = textureSize(u_colours, 0).x;
        v_colour = texelFetch(u_colours, ivec2(feature % width, feature / width), 0);
    }
}
