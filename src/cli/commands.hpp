#pragma once
// Factories of the subcommands; each lives in its own command_<name>.cpp.

#include <memory>

#include "cli/command.hpp"

namespace hubmap::cli {

std::unique_ptr<Command> makeInitCommand();
std::unique_ptr<Command> makeInfoCommand();
std::unique_ptr<Command> makeCoverageCommand();
std::unique_ptr<Command> makeGapsCommand();
std::unique_ptr<Command> makeSuggestCommand();
std::unique_ptr<Command> makeExportCommand();
std::unique_ptr<Command> makeImportCommand();
std::unique_ptr<Command> makeHubsCommand();
std::unique_ptr<Command> makeGeocodeCommand();
std::unique_ptr<Command> makeFieldsCommand();

}  // namespace hubmap::cli
