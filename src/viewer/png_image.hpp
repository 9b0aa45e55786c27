#pragma once
// RGBA images and PNG files through libpng (screenshots, and tests that check their pixels).

#include <cstdint>
#include <string>
#include <vector>

#include "viewer/colour_scheme.hpp"

namespace hubmap::viewer {

/// 8-bit RGBA, rows top to bottom.
struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
    Rgba at(int x, int y) const;
    /// Flips rows in place (OpenGL reads bottom to top).
    void flipVertically();
};

/// Writes a PNG atomically (a temporary file renamed over `path`), so a failed write
/// leaves any existing file as it was. Throws Error naming the file.
void writePng(const std::string& path, const Image& image);

/// Reads a PNG as 8-bit RGBA. Throws Error naming the file.
Image readPng(const std::string& path);

}  // namespace hubmap::viewer
