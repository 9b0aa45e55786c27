#include "viewer/map_canvas.hpp"

#include <algorithm>
#include <cstdlib>

namespace hubmap::viewer {

namespace {

int wrap(int value, int size) {
    const int r = value % size;
    return r < 0 ? r + size : r;
}

}  // namespace

std::vector<PixelRect> ScrollingCanvas::scroll(const PixelRect& area, int dx, int dy) {
    // Screen pixel q now shows what was at q - (dx, dy): canvas = q - d + origin.
    originX_ = wrap(originX_ - dx, width_);
    originY_ = wrap(originY_ - dy, height_);
    if (std::abs(dx) >= area.width || std::abs(dy) >= area.height) return {area};
    std::vector<PixelRect> uncovered;
    // Rows the move uncovered, full width; then the uncovered columns of the other rows.
    PixelRect rows = area, rest = area;
    if (dy > 0) {
        rows.height = dy;
        rest.y += dy;
        rest.height -= dy;
    } else if (dy < 0) {
        rows.y = area.y + area.height + dy;
        rows.height = -dy;
        rest.height += dy;
    } else {
        rows.height = 0;
    }
    if (!rows.empty()) uncovered.push_back(rows);
    PixelRect columns = rest;
    if (dx > 0) {
        columns.width = dx;
    } else if (dx < 0) {
        columns.x = rest.x + rest.width + dx;
        columns.width = -dx;
    } else {
        columns.width = 0;
    }
    if (!columns.empty()) uncovered.push_back(columns);
    return uncovered;
}

std::vector<CanvasPiece> ScrollingCanvas::pieces(const PixelRect& r) const {
    std::vector<CanvasPiece> out;
    if (r.empty()) return out;
    // Split each axis where the canvas wraps: [start, size) and [0, rest).
    struct Span {
        int screen, length, shift;
    };
    auto spans = [](int start, int length, int origin, int size) {
        std::vector<Span> s;
        const int canvasStart = wrap(start + origin, size);
        const int first = std::min(length, size - canvasStart);
        s.push_back({start, first, canvasStart - start});
        if (first < length) s.push_back({start + first, length - first, -(start + first)});
        return s;
    };
    for (const Span& sy : spans(r.y, r.height, originY_, height_)) {
        for (const Span& sx : spans(r.x, r.width, originX_, width_)) {
            out.push_back({PixelRect{sx.screen, sy.screen, sx.length, sy.length}, sx.shift, sy.shift});
        }
    }
    return out;
}

}  // namespace hubmap::viewer
