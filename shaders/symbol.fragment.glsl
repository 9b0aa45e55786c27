// Symbol shapes as signed distance functions (in symbol radii), with a white halo.
// Shape numbers match hubmap::viewer::SymbolShape.

in vec2 v_local;
flat in vec4 v_colour;
flat in int v_shape;
uniform float u_size;
uniform float u_halo;  // halo width in pixels (0 for tiny symbols)

out vec4 o_colour;

float sdTriangle(vec2 p) {
    const float k = 1.7320508;
    p.y += 0.25;
    p.x = abs(p.x) - 0.95;
    p.y = p.y + 0.95 / k;
    if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
    p.x -= clamp(p.x, -1.9, 0.0);
    return -length(p) * sign(p.y);
}

float sdStar(vec2 p) {
    const vec2 k1 = vec2(0.809016994, -0.587785252);
    const vec2 k2 = vec2(-k1.x, k1.y);
    p.x = abs(p.x);
    p -= 2.0 * max(dot(k1, p), 0.0) * k1;
    p -= 2.0 * max(dot(k2, p), 0.0) * k2;
    p.x = abs(p.x);
    p.y -= 1.0;
    vec2 ba = 0.45 * vec2(-k1.y, k1.x) - vec2(0.0, 1.0);
    float h = clamp(dot(p, ba) / dot(ba, ba), 0.0, 1.0);
    return length(p - ba * h) * sign(p.y * ba.x - p.x * ba.y);
}

float shapeDistance(int shape, vec2 p) {
    if (shape == 1) {
        vec2 d = abs(p) - vec2(0.82);
        return max(d.x, d.y);
    }
    if (shape == 2) return (abs(p.x) + abs(p.y) - 1.0) * 0.7071;
    if (shape == 3) return sdTriangle(p);
    if (shape == 4) return sdStar(p);
    if (shape == 5) {
        vec2 a = abs(p);
        vec2 d1 = a - vec2(1.0, 0.32);
        vec2 d2 = a - vec2(0.32, 1.0);
        return min(max(d1.x, d1.y), max(d2.x, d2.y));
    }
    return length(p) - 1.0;
}

void main() {
    float pixel = 2.0 / u_size;  // one pixel in symbol radii
    float d = shapeDistance(v_shape, v_local);
    float outside = clamp(0.5 - d / pixel, 0.0, 1.0);               // inside the symbol at all
    float body = clamp(0.5 - (d + u_halo * pixel) / pixel, 0.0, 1.0);  // inside, past the halo
    if (outside <= 0.0) discard;
    vec3 rgb = mix(vec3(1.0), v_colour.rgb, body);
    o_colour = vec4(rgb, v_colour.a * outside);
}
