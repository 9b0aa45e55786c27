// A fixture for the CTest layer_check_fails_on_upward_includes: each include breaks the layering.
#include "../report/fields.hpp"
#include "analysis/coverage.hpp"
