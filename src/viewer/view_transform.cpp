#include "viewer/view_transform.hpp"

#include <algorithm>
#include <cmath>

namespace hubmap::viewer {

namespace {
// Equatorial circumference of GRS80 in metres: the web-map convention for zoom levels.
constexpr double kEquatorMetres = 40075016.686;

double ppmForZoom(double zoom) { return 256.0 * std::pow(2.0, zoom) / kEquatorMetres; }
}  // namespace

ScreenRect mapAreaFor(double width, double height, bool detailsOpen) {
    const double right = detailsOpen ? PanelLayout::kDetailsWidth : 0;
    return {PanelLayout::kSidebarWidth, 0, std::max(1.0, width - PanelLayout::kSidebarWidth - right),
            std::max(1.0, height - PanelLayout::kStatusHeight)};
}

void ViewTransform::setWindow(double width, double height, const ScreenRect& mapArea) {
    windowWidth_ = std::max(1.0, width);
    windowHeight_ = std::max(1.0, height);
    mapArea_ = mapArea;
    mapArea_.width = std::max(1.0, mapArea_.width);
    mapArea_.height = std::max(1.0, mapArea_.height);
}

double ViewTransform::zoomLevel() const { return std::log2(pixelsPerMetre_ * kEquatorMetres / 256.0); }

void ViewTransform::setZoomLevel(double zoom) { pixelsPerMetre_ = clampPixelsPerMetre(ppmForZoom(zoom)); }

double ViewTransform::clampPixelsPerMetre(double ppm) const {
    return std::clamp(ppm, ppmForZoom(kMinZoom), ppmForZoom(kMaxZoom));
}

ScreenPoint ViewTransform::toScreen(WorldPoint w) const {
    const ScreenPoint c = mapArea_.centre();
    return {c.x + (w.x - centre_.x) * pixelsPerMetre_, c.y - (w.y - centre_.y) * pixelsPerMetre_};
}

WorldPoint ViewTransform::toWorld(ScreenPoint s) const {
    const ScreenPoint c = mapArea_.centre();
    return {centre_.x + (s.x - c.x) / pixelsPerMetre_, centre_.y - (s.y - c.y) / pixelsPerMetre_};
}

void ViewTransform::panPixels(double dx, double dy) {
    centre_.x -= dx / pixelsPerMetre_;
    centre_.y += dy / pixelsPerMetre_;
}

void ViewTransform::zoomAbout(ScreenPoint anchor, double factor) {
    const WorldPoint before = toWorld(anchor);
    pixelsPerMetre_ = clampPixelsPerMetre(pixelsPerMetre_ * factor);
    const WorldPoint after = toWorld(anchor);
    centre_.x += before.x - after.x;
    centre_.y += before.y - after.y;
}

void ViewTransform::fit(const WorldBounds& bounds, double paddingPx, double maxZoom) {
    if (bounds.empty) return;
    centre_ = bounds.centre();
    const double w = std::max(bounds.maxx - bounds.minx, 1.0);
    const double h = std::max(bounds.maxy - bounds.miny, 1.0);
    const double availW = std::max(mapArea_.width - 2 * paddingPx, 16.0);
    const double availH = std::max(mapArea_.height - 2 * paddingPx, 16.0);
    const double ppm = std::min({availW / w, availH / h, ppmForZoom(maxZoom)});
    pixelsPerMetre_ = clampPixelsPerMetre(ppm);
}

WorldBounds ViewTransform::visibleBounds() const {
    WorldBounds b;
    const WorldPoint a = toWorld({0, 0});
    const WorldPoint z = toWorld({windowWidth_, windowHeight_});
    b.expand(a.x, a.y);
    b.expand(z.x, z.y);
    return b;
}

ClipTransform ViewTransform::clipTransform() const {
    // screen = c + (w - centre) * ppm (y flipped); clip = screen / size * 2 - 1 (y flipped).
    const ScreenPoint c = mapArea_.centre();
    const double sx = 2.0 * pixelsPerMetre_ / windowWidth_;
    const double sy = 2.0 * pixelsPerMetre_ / windowHeight_;
    const double ox = 2.0 * c.x / windowWidth_ - 1.0 - centre_.x * sx;
    const double oy = 1.0 - 2.0 * c.y / windowHeight_ - centre_.y * sy;
    ClipTransform t;
    t.scale[0] = static_cast<float>(sx);
    t.scale[1] = static_cast<float>(sy);
    t.offset[0] = static_cast<float>(ox);
    t.offset[1] = static_cast<float>(oy);
    return t;
}

}  // namespace hubmap::viewer
