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
    // An installed program finds its data beside it (<prefix>/bin -> <prefix>/share/hubmap),
    // wherever the prefix was installed or moved; a program in the build tree, in the source.
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path installed = (exe.parent_path() / kInstalledGeodataFromBin).lexically_normal();
        if (std::filesystem::is_directory(installed, ec)) return installed.string();
    }
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
