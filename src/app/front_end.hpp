#pragma once
// The exit-code policy every hubmap program shares (hubmap, hubmap-viewer, bench tools):
// 0 success, 1 data or runtime error, 2 usage error. One place, so they cannot drift apart.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string_view>

#include "core/error.hpp"

namespace hubmap::app {

/// Parses argv into `app`, then runs `body`. CLI11 parse errors and UsageError exit 2,
/// everything else that throws exits 1; messages go to stderr as "<program>: error: …".
template <typename Body>
int runFrontEnd(std::string_view program, CLI::App& app, int argc, char** argv, Body&& body) {
    app.name(std::string(program));  // usage lines name the program, not the path it was run by
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // A first word that names no command: say so (CLI11 would say "not expected").
        const auto commands = app.get_subcommands([](CLI::App*) { return true; });
        if (!commands.empty() && argc > 1 && argv[1][0] != '-') {
            std::string names;
            bool known = false;
            for (const CLI::App* c : commands) {
                known = known || c->get_name() == argv[1];
                names += (names.empty() ? "" : ", ") + c->get_name();
            }
            if (!known) {
                fmt::print(stderr, "{}: error: unknown command '{}' (commands: {}; see {} --help)\n", program, argv[1],
                           names, program);
                return 2;
            }
        }
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    try {
        return body();
    } catch (const UsageError& e) {
        fmt::print(stderr, "{}: error: {}\n", program, e.what());
        return 2;
    } catch (const Cancelled&) {
        fmt::print(stderr, "{}: cancelled\n", program);
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "{}: error: {}\n", program, e.what());
        return 1;
    }
}

}  // namespace hubmap::app
