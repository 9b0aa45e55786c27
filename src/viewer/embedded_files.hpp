#pragma once
// Text files compiled into the viewer (shaders/, the kana reading list in assets/), by
// cmake/EmbedFiles.cmake as for the export's style templates.

#include <optional>
#include <string_view>

namespace hubmap::viewer {

/// The contents of an embedded file by its path in the source tree (e.g.
/// "shaders/fill.vertex.glsl"), or nullopt if no file with that path was embedded.
std::optional<std::string_view> embeddedFile(std::string_view path);

}  // namespace hubmap::viewer
