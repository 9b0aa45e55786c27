#!/usr/bin/env bash
# Installs what is missing, builds hubmap (Release), builds the default database from the
# embedded national data on first use, prints the national coverage summary, and opens the
# viewer when a display is available.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
build/src/cli/hubmap coverage --by prefecture
if [[ -n "${DISPLAY:-}" && -x build/src/viewer/hubmap-viewer ]]; then
  build/src/viewer/hubmap-viewer
fi
