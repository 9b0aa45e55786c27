// The hubmap command-line front end: parses arguments, runs one command, maps
// errors to exit codes (0 ok, 1 data/runtime error, 2 usage error).

#include <fmt/format.h>

#include <clocale>
#include <cstdio>

#include "app/front_end.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
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

}  // namespace hubmap::cli

int main(int argc, char** argv) {
    using namespace hubmap;
    std::setlocale(LC_ALL, "C");  // numbers always with a decimal point, whatever the user's locale
    CLI::App app{"hubmap: coverage of Japan's depopulated areas (過疎地域) by small hubs and community centres"};
    app.set_version_flag("--version", std::string("hubmap ") + kVersion);
    app.require_subcommand(1, 1);
    auto commands = cli::makeCommands();
    std::vector<std::pair<CLI::App*, cli::Command*>> subs;
    for (auto& c : commands) subs.emplace_back(c->setup(app), c.get());
    return app::runFrontEnd("hubmap", app, argc, argv, [&]() -> int {
        for (auto& [sub, command] : subs) {
            if (sub->parsed()) return command->run();
        }
        return 2;
    });
}
