#pragma once
// The map view: which projected point sits at the centre of the map area and how many
// screen pixels one projected metre takes. Screen y grows downwards, world y upwards.

#include "viewer/map_projection.hpp"

namespace hubmap::viewer {

/// A point in window pixels (origin top left).
struct ScreenPoint {
    double x = 0, y = 0;
};

/// The part of the window the map shows through (the rest is covered by panels).
struct ScreenRect {
    double x = 0, y = 0, width = 0, height = 0;
    ScreenPoint centre() const { return {x + width / 2, y + height / 2}; }
    bool contains(double px, double py) const { return px >= x && py >= y && px < x + width && py < y + height; }
    bool operator==(const ScreenRect& o) const {
        return x == o.x && y == o.y && width == o.width && height == o.height;
    }
};

/// Affine map from projected metres to OpenGL clip space: clip = world * scale + offset.
struct ClipTransform {
    float scale[2] = {1, 1};
    float offset[2] = {0, 0};
};

/// The viewer's panel sizes, in window pixels: a sidebar on the left, the details panel on
/// the right while a municipality is selected, a status bar along the bottom.
struct PanelLayout {
    static constexpr double kSidebarWidth = 380;
    static constexpr double kDetailsWidth = 360;
    static constexpr double kStatusHeight = 30;
};

/// The map area of a window of width × height pixels.
ScreenRect mapAreaFor(double width, double height, bool detailsOpen);

class ViewTransform {
public:
    /// Zoom levels as in web maps: level z shows 256·2^z pixels per equatorial circumference.
    static constexpr double kMinZoom = 3.0;
    static constexpr double kMaxZoom = 15.0;

    /// The window's size in pixels and the map area inside it.
    void setWindow(double width, double height, const ScreenRect& mapArea);
    const ScreenRect& mapArea() const { return mapArea_; }
    double windowWidth() const { return windowWidth_; }
    double windowHeight() const { return windowHeight_; }

    /// The projected point at the centre of the map area.
    WorldPoint centre() const { return centre_; }
    void setCentre(WorldPoint c) { centre_ = c; }
    double pixelsPerMetre() const { return pixelsPerMetre_; }
    /// Sets the scale without the zoom limits: a print's pixels are finer than the
    /// screen's, so the same ground takes more of them.
    void setPixelsPerMetre(double ppm) { pixelsPerMetre_ = ppm; }

    double zoomLevel() const;
    /// Sets the zoom level, clamped to [kMinZoom, kMaxZoom].
    void setZoomLevel(double zoom);

    ScreenPoint toScreen(WorldPoint w) const;
    WorldPoint toWorld(ScreenPoint s) const;

    /// Moves the map by a drag of (dx, dy) pixels: the point under the cursor follows it.
    void panPixels(double dx, double dy);
    /// Zooms by `factor` (>1 in) keeping the world point under `anchor` fixed.
    void zoomAbout(ScreenPoint anchor, double factor);
    /// Centres `bounds` in the map area and zooms so it fits with `paddingPx` to spare.
    /// `maxZoom` caps the zoom for tiny targets (a small village should not fill the screen).
    void fit(const WorldBounds& bounds, double paddingPx, double maxZoom = 12.0);

    /// What the window shows, in projected metres (for culling).
    WorldBounds visibleBounds() const;
    /// World → clip space for the shaders, for the whole window.
    ClipTransform clipTransform() const;

private:
    double clampPixelsPerMetre(double ppm) const;

    double windowWidth_ = 1, windowHeight_ = 1;
    ScreenRect mapArea_{0, 0, 1, 1};
    WorldPoint centre_;
    double pixelsPerMetre_ = 1e-3;
};

}  // namespace hubmap::viewer
