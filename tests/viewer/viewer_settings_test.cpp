// What the viewer remembers between sessions: where (XDG), the round trip, and that a
// broken file never stops the viewer.

#include "viewer/viewer_settings.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "test_util.hpp"

namespace hubmap::viewer {
namespace {

/// Sets an environment variable for the scope, restoring it after.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) {
            setenv(name, value, 1);
        } else {
            unsetenv(name);
        }
    }
    ~ScopedEnv() {
        if (old_) {
            setenv(name_, old_->c_str(), 1);
        } else {
            unsetenv(name_);
        }
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

TEST(Settings, LiveUnderXdgConfigHomeElseHomeDotConfig) {
    {
        ScopedEnv xdg("XDG_CONFIG_HOME", "/tmp/cfg");
        EXPECT_EQ(settingsDir(), std::filesystem::path("/tmp/cfg/hubmap"));
    }
    {
        ScopedEnv xdg("XDG_CONFIG_HOME", "relative/cfg");  // ignored, as the spec says
        ScopedEnv home("HOME", "/home/someone");
        EXPECT_EQ(settingsDir(), std::filesystem::path("/home/someone/.config/hubmap"));
    }
    {
        ScopedEnv xdg("XDG_CONFIG_HOME", nullptr);
        ScopedEnv home("HOME", nullptr);
        EXPECT_FALSE(settingsDir());
    }
}

TEST(Settings, RoundTripAndTheFolderIsMadeOnSave) {
    test::ScratchDir scratch;
    const std::filesystem::path dir = scratch.path() / "config" / "hubmap";
    std::string problem;
    const ViewerSettings defaults = loadSettings(dir, &problem);  // nothing saved yet
    EXPECT_TRUE(problem.empty()) << problem;
    EXPECT_EQ(defaults.width, 1600);
    EXPECT_FALSE(std::filesystem::exists(dir));
    ViewerSettings s;
    s.width = 1234;
    s.height = 777;
    s.panel = "prefectures";
    s.labels = false;
    saveSettings(dir, s);
    const ViewerSettings back = loadSettings(dir, &problem);
    EXPECT_TRUE(problem.empty()) << problem;
    EXPECT_EQ(back.width, 1234);
    EXPECT_EQ(back.height, 777);
    EXPECT_EQ(back.panel, "prefectures");
    EXPECT_FALSE(back.labels);
    EXPECT_FALSE(std::filesystem::exists(dir / "viewer.json.tmp"));
}

TEST(Settings, ABrokenFileGivesTheDefaultsAndSaysWhy) {
    test::ScratchDir scratch;
    const std::filesystem::path dir = scratch.path();
    std::ofstream(dir / "viewer.json") << "{ not json";
    std::string problem;
    ViewerSettings s = loadSettings(dir, &problem);
    EXPECT_EQ(s.width, 1600);
    EXPECT_NE(problem.find("viewer.json"), std::string::npos) << problem;
    // One bad value keeps its default; the others are taken.
    std::ofstream(dir / "viewer.json", std::ios::trunc) << R"({"width": 5, "height": 900, "panel": "nope"})";
    problem.clear();
    s = loadSettings(dir, &problem);
    EXPECT_EQ(s.width, 1600);
    EXPECT_EQ(s.height, 900);
    EXPECT_EQ(s.panel, "layers");
    EXPECT_NE(problem.find("'width'"), std::string::npos) << problem;
    EXPECT_NE(problem.find("'panel'"), std::string::npos) << problem;
}

}  // namespace
}  // namespace hubmap::viewer
