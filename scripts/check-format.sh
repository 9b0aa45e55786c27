#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what clang-format makes of it (.clang-format).
# With --fix, formats them in place instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h')
mode=(--dry-run --Werror)
[[ ${1:-} == --fix ]] && mode=(-i)
clang-format "${mode[@]}" "${files[@]}"
