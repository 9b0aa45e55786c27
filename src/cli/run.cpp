#include "cli/run.hpp"

#include <signal.h>

#include <clocale>
#include <string>
#include <utility>
#include <vector>

#include "app/front_end.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "core/version.hpp"

namespace hubmap::cli {

std::vector<std::unique_ptr<Command>> makeCommands() {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(makeInitCommand());
    commands.push_back(makeInfoCommand());
    commands.push_back(makeCoverageCommand());
    commands.push_back(makeGapsCommand());
    commands.push_back(makeSuggestCommand());
    commands.push_back(makeExportCommand());
    commands.push_back(makeImportCommand());
    commands.push_back(makeHubsCommand());
    commands.push_back(makeGeocodeCommand());
    commands.push_back(makeFieldsCommand());
    return commands;
}

namespace {

/// The process-wide settings a run changes, put back when it ends: the locale, and the
/// signal dispositions that StagedOutput::removeOnSignals and CancelOnSignal set.
class ProcessSettings {
public:
    ProcessSettings() {
        if (const char* locale = std::setlocale(LC_ALL, nullptr)) locale_ = locale;
        for (auto& [signal, action] : actions_) ::sigaction(signal, nullptr, &action);
    }
    ~ProcessSettings() {
        for (const auto& [signal, action] : actions_) ::sigaction(signal, &action, nullptr);
        if (!locale_.empty()) std::setlocale(LC_ALL, locale_.c_str());
    }
    ProcessSettings(const ProcessSettings&) = delete;
    ProcessSettings& operator=(const ProcessSettings&) = delete;

private:
    std::string locale_;
    std::pair<int, struct sigaction> actions_[3] = {{SIGINT, {}}, {SIGTERM, {}}, {SIGHUP, {}}};
};

}  // namespace

int run(int argc, char** argv) {
    const ProcessSettings restore;
    std::setlocale(LC_ALL, "C");  // numbers always with a decimal point, whatever the user's locale
    CLI::App app{"hubmap: coverage of Japan's depopulated areas (過疎地域) by small hubs and community centres"};
    app.set_version_flag("--version", std::string("hubmap ") + kVersion);
    app.require_subcommand(1, 1);
    auto commands = makeCommands();
    std::vector<std::pair<CLI::App*, Command*>> subs;
    for (auto& c : commands) subs.emplace_back(c->setup(app), c.get());
    return app::runFrontEnd("hubmap", app, argc, argv, [&]() -> int {
        for (auto& [sub, command] : subs) {
            if (sub->parsed()) return command->run();
        }
        return 2;
    });
}

}  // namespace hubmap::cli
