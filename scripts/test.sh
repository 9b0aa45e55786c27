#!/usr/bin/env bash
# Installs what is missing, builds everything (Release) and runs every test under CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-format.sh   # the C++ sources as clang-format (.clang-format) writes them
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
