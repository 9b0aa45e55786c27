// Symbol shapes as signed distance functions (in symbol radii), with a white halo. One
// variant per shape (SYMBOL_SQUARE ... SYMBOL_CROSS defined; none: a circle): llvmpipe
// runs every branch of a per-fragment choice, so one shader for all paid for all six.

in vec2 v_local;
uniform vec4 u_colour;
uniform float u_size;
uniform float u_halo;  // halo width in pixels (0 for tiny symbols)

out vec4 o_colour;

#if defined(SYMBOL_TRIANGLE)
float sdTriangle(vec2 p) {
    const float k = 1.7320508;
    p.y += 0.25;
    p.x = abs(p.x) - 0.95;
    p.y = p.y + 0.95 / k;
    if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
    p.x -= clamp(p.x, -1.9, 0.0);
    return -length(p) * sign(p.y);
}
#endif

#if defined(SYMBOL_STAR)
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
#endif

float shapeDistance(vec2 p) {
#if defined(SYMBOL_SQUARE)
    vec2 d = abs(p) - vec2(0.82);
    return max(d.x, d.y);
#elif defined(SYMBOL_DIAMOND)
    return (abs(p.x) + abs(p.y) - 1.0) * 0.7071;
#elif defined(SYMBOL_TRIANGLE)
    return sdTriangle(p);
#elif defined(SYMBOL_STAR)
    return sdStar(p);
#elif defined(SYMBOL_CROSS)
    vec2 a = abs(p);
    vec2 d1 = a - vec2(1.0, 0.32);
    vec2 d2 = a - vec2(0.32, 1.0);
    return min(max(d1.x, d1.y), max(d2.x, d2.y));
#else
    return length(p) - 1.0;
#endif
}

void main() {
    float pixel = 2.0 / u_size;  // one pixel in symbol radii
    float d = shapeDistance(v_local);
    float outside = clamp(0.5 - d / pixel, 0.0, 1.0);               // inside the symbol at all
    float body = clamp(0.5 - (d + u_halo * pixel) / pixel, 0.0, 1.0);  // inside, past the halo
    if (outside <= 0.0) discard;
    vec3 rgb = mix(vec3(1.0), u_colour.rgb, body);
    o_colour = vec4(rgb, u_colour.a * outside);
}
