// Composites the catchments' distance field (catchment_mask) over the map: one quad over
// the field's world rectangle.

uniform vec2 u_fieldMin;  // world rectangle of the field texture
uniform vec2 u_fieldMax;

out vec2 v_field;  // texture coordinates

void main() {
    int c = gl_VertexID & 3;
    v_field = vec2(float(c & 1), float(c >> 1));
    gl_Position = vec4(worldToClip(mix(u_fieldMin, u_fieldMax, v_field)), 0.0, 1.0);
}
