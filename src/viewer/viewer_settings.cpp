#include "viewer/viewer_settings.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"

namespace hubmap::viewer {

namespace {
constexpr const char* kFile = "viewer.json";
constexpr int kMinSide = 64, kMaxSide = 16384;  // as --size
}  // namespace

std::optional<std::filesystem::path> settingsDir() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg && std::filesystem::path(xdg).is_absolute()) return std::filesystem::path(xdg) / "hubmap";
    const char* home = std::getenv("HOME");
    if (home && std::filesystem::path(home).is_absolute()) return std::filesystem::path(home) / ".config" / "hubmap";
    return std::nullopt;
}

ViewerSettings loadSettings(const std::filesystem::path& dir, std::string* problem) {
    ViewerSettings s;
    const std::filesystem::path file = dir / kFile;
    std::ifstream in(file);
    if (!in) return s;
    auto complain = [&](const std::string& what) {
        if (problem) *problem += (problem->empty() ? "" : "; ") + fmt::format("{}: {}", file.string(), what);
    };
    std::stringstream text;
    text << in.rdbuf();
    const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        complain("not a JSON object; using the defaults");
        return s;
    }
    auto side = [&](const char* key, int& value) {
        if (!j.contains(key)) return;
        const auto& v = j[key];
        if (v.is_number_integer() && v.get<long long>() >= kMinSide && v.get<long long>() <= kMaxSide) {
            value = v.get<int>();
        } else {
            complain(fmt::format("'{}' must be a whole number from {} to {}", key, kMinSide, kMaxSide));
        }
    };
    side("width", s.width);
    side("height", s.height);
    if (j.contains("panel")) {
        const auto& v = j["panel"];
        if (v.is_string() && (v == "layers" || v == "query" || v == "prefectures" || v == "about")) {
            s.panel = v.get<std::string>();
        } else {
            complain("'panel' must be layers, query, prefectures or about");
        }
    }
    if (j.contains("labels")) {
        if (j["labels"].is_boolean()) {
            s.labels = j["labels"].get<bool>();
        } else {
            complain("'labels' must be true or false");
        }
    }
    return s;
}

void saveSettings(const std::filesystem::path& dir, const ViewerSettings& settings) {
    const std::filesystem::path file = dir / kFile;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error(ErrorContext{dir.string(), {}, -1, -1}, "cannot create the settings folder: " + ec.message());
    const nlohmann::json j = {
        {"width", settings.width}, {"height", settings.height}, {"panel", settings.panel}, {"labels", settings.labels}};
    // Write then rename: a viewer killed while saving leaves the last settings whole.
    const std::filesystem::path temp = dir / (std::string(kFile) + ".tmp");
    {
        std::ofstream out(temp, std::ios::trunc);
        out << j.dump(2) << '\n';
        if (!out.flush()) throw Error(ErrorContext{temp.string(), {}, -1, -1}, "cannot write the settings");
    }
    std::filesystem::rename(temp, file, ec);
    if (ec) throw Error(ErrorContext{file.string(), {}, -1, -1}, "cannot replace the settings: " + ec.message());
}

}  // namespace hubmap::viewer
