// A fixture for the CTest layer_check_fails_on_upward_includes: each include breaks the layering.
#include "analysis/coverage.hpp"
#include "../report/fields.hpp"
