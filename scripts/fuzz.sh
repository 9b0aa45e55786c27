#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan+UBSan, build-fuzz/) and fuzzes each for
# SECONDS (default 60) through CTest (label `fuzz`). docs/hardening.md says what they cover.
#
#   scripts/fuzz.sh [SECONDS] [ctest args...]     e.g. scripts/fuzz.sh 600 -R import_csv
#
# A crash leaves its input in build-fuzz/fuzz-artifacts/; once fixed, commit it under
# tests/data/fuzz/<target>/ where the normal suite replays it (fuzz_replay_<target>).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
jobs="${JOBS:-2}"
build=build-fuzz
cc="${CC_FUZZ:-clang-14}"
cxx="${CXX_FUZZ:-clang++-14}"

if [ -f /work/ccache-env.sh ]; then source /work/ccache-env.sh; fi
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

# Warnings are not errors here: the suite's -Werror is for the compiler CI uses (GCC).
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DHUBMAP_FUZZ=ON -DHUBMAP_WERROR=OFF -DHUBMAP_BUILD_VIEWER=OFF -DHUBMAP_BUILD_BENCH=OFF \
  -DHUBMAP_FUZZ_SECONDS="$seconds" "${launcher[@]}"
# Only what the fuzz tests need: the targets, and the CLI and fixture tool that make the database.
nice cmake --build "$build" -j"$jobs" --target hubmap hubmap_test_fixtures \
  fuzz_import_csv fuzz_import_geojson fuzz_hub_values fuzz_query_options fuzz_address

# GDAL, PROJ and SQLite come from Debian uninstrumented: leaks inside them are suppressed
# (scripts/sanitizers/lsan.supp), as in scripts/sanitize.sh.
export ASAN_OPTIONS="abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$PWD/scripts/sanitizers/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
status=0
nice ctest --test-dir "$build" -L '^fuzz$' -j"$jobs" --output-on-failure "$@" || status=$?
# CTest shows no output of a passing test; its log keeps it. Print each target's final line
# (executions, coverage, corpus) and execution count, the figures docs/hardening.md records.
log="$build/Testing/Temporary/LastTest.log"
if [ -f "$log" ]; then
  grep -E '^[0-9]+/[0-9]+ Testing: fuzz_|#[0-9]+[[:space:]]+DONE |^stat::number_of_executed_units' "$log" || true
fi
exit $status
