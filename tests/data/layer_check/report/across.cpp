// A fixture for the CTest layer_check_fails_on_upward_includes: report may not include a front end.
#include "cli/command.hpp"
#include "core/error.hpp"
