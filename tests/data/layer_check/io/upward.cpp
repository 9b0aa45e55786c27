// A fixture for the CTest layer_check_fails_on_upward_includes: each include breaks the layering.
// clang-format off
#include "analysis/coverage.hpp"
#include "../report/fields.hpp"
// clang-format on
