#pragma once
// What the fuzz targets check a result with: a broken promise prints what it was and aborts,
// which libFuzzer reports as a crash with the input that caused it.

#include <cstdio>
#include <cstdlib>
#include <string>

namespace hubmap::fuzz {

inline void require(bool ok, const char* what, const std::string& input) {
    if (ok) return;
    std::fprintf(stderr, "broken promise: %s (input of %zu bytes)\n", what, input.size());
    std::abort();
}

}  // namespace hubmap::fuzz
