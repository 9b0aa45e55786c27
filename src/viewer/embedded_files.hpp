#pragma once
// Text files compiled into the viewer (shaders/, the kana reading list in assets/),
// generated at build time by src/viewer/embed_files.cmake.

#include <optional>
#include <string_view>
#include <vector>

namespace hubmap::viewer {

struct EmbeddedFile {
    std::string_view path;  ///< relative to the source tree, e.g. "shaders/fill.vertex.glsl"
    std::string_view text;
};

/// The contents of an embedded file, or nullopt if no file with that path was embedded.
std::optional<std::string_view> embeddedFile(std::string_view path);

/// Every embedded file, in the order CMake listed them.
std::vector<EmbeddedFile> embeddedFiles();

}  // namespace hubmap::viewer
