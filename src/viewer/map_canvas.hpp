#pragma once
// The bookkeeping of the map's picture cache (no GL here, so tests need no window). The
// renderer keeps the last picture of the map area in a texture; a drag moves the picture by
// whole pixels, and only the strips the drag uncovers are drawn again. The texture wraps
// around: a pan moves its origin instead of copying a single pixel.

#include <vector>

namespace hubmap::viewer {

/// A rectangle of framebuffer pixels (OpenGL's: origin bottom left).
struct PixelRect {
    int x = 0, y = 0, width = 0, height = 0;
    bool empty() const { return width <= 0 || height <= 0; }
    bool operator==(const PixelRect& o) const { return x == o.x && y == o.y && width == o.width && height == o.height; }
};

/// Part of a screen rectangle and where it sits in the canvas: canvas = screen + (dx, dy).
struct CanvasPiece {
    PixelRect screen;
    int dx = 0, dy = 0;
};

/// Maps screen pixels to the pixels of a wrapping canvas of the framebuffer's size.
class ScrollingCanvas {
public:
    ScrollingCanvas(int width, int height) : width_(width), height_(height) {}
    int width() const { return width_; }
    int height() const { return height_; }
    /// The canvas pixel that screen pixel (0, 0) maps to; both coordinates in [0, size).
    int originX() const { return originX_; }
    int originY() const { return originY_; }

    /// The picture moved by (dx, dy) pixels (a drag): returns what of `area` it no longer
    /// covers — at most two rectangles, all of `area` when the move is as large as it.
    std::vector<PixelRect> scroll(const PixelRect& area, int dx, int dy);

    /// Where screen rectangle `r` lives in the canvas: up to four pieces, split where the
    /// canvas wraps. `r` must fit in the canvas.
    std::vector<CanvasPiece> pieces(const PixelRect& r) const;

private:
    int width_, height_;
    int originX_ = 0, originY_ = 0;  // the canvas pixel of screen pixel (0, 0)
};

}  // namespace hubmap::viewer
