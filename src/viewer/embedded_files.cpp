#include "viewer/embedded_files.hpp"

#include "embedded/viewer_files.hpp"  // generated: see hubmap_embed_files in CMakeLists.txt

namespace hubmap::viewer {

std::optional<std::string_view> embeddedFile(std::string_view path) { return embedded::viewer_files(path); }

}  // namespace hubmap::viewer
