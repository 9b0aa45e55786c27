#include "core/paths.hpp"

#include <cstdlib>
#include <filesystem>

#include "core/version.hpp"

namespace hubmap {

namespace {
std::string env(const char* name) {
    const char* v = std::getenv(name);
    return (v && *v) ? std::string(v) : std::string();
}
}  // namespace

std::string defaultGeodataDir() {
    if (auto v = env("HUBMAP_GEODATA"); !v.empty()) return v;
    return kSourceGeodataDir;
}

std::string defaultDatabasePath() {
    if (auto v = env("HUBMAP_DB"); !v.empty()) return v;
    std::filesystem::path base;
    if (auto xdg = env("XDG_DATA_HOME"); !xdg.empty()) {
        base = xdg;
    } else if (auto home = env("HOME"); !home.empty()) {
        base = std::filesystem::path(home) / ".local" / "share";
    } else {
        base = std::filesystem::temp_directory_path();
    }
    return (base / "hubmap" / "hubmap.sqlite").string();
}

}  // namespace hubmap
