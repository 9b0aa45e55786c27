#pragma once
// What the viewer remembers between sessions, under $XDG_CONFIG_HOME/hubmap (else
// ~/.config/hubmap): the window's size, the sidebar tab and the labels switch in
// viewer.json, and ImGui's own state (table columns and sorting) in imgui.ini beside it.
// The folder is made when the settings are first saved. Scripted runs (--screenshot,
// --print, --bench-frames) neither read nor write them.

#include <filesystem>
#include <optional>
#include <string>

namespace hubmap::viewer {

struct ViewerSettings {
    int width = 1600, height = 1000;  ///< window size in screen coordinates
    std::string panel = "layers";     ///< sidebar tab: layers, query, prefectures, about
    bool labels = true;
};

/// $XDG_CONFIG_HOME/hubmap, else $HOME/.config/hubmap (XDG Base Directory); nullopt when
/// neither variable is set to an absolute path (the spec says to ignore relative ones).
std::optional<std::filesystem::path> settingsDir();

/// Reads viewer.json in `dir`. A missing file gives the defaults; an unreadable or
/// malformed one, or values out of range, too (the field that is wrong keeps its default),
/// with what was wrong in `problem` — remembered settings never stop the viewer.
ViewerSettings loadSettings(const std::filesystem::path& dir, std::string* problem = nullptr);

/// Writes viewer.json in `dir`, making the folder first. Throws Error naming the file.
void saveSettings(const std::filesystem::path& dir, const ViewerSettings& settings);

}  // namespace hubmap::viewer
