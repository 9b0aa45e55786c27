#pragma once
// Factories of the subcommands; each lives in its own command_<name>.cpp.

#include <memory>

#include "cli/command.hpp"

namespace hubmap::cli {

std::unique_ptr<Command> makeInitCommand();
std::unique_ptr<Command> makeInfoCommand();

}  // namespace hubmap::cli
