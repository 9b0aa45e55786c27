#!/usr/bin/env bash
# hubmap-viewer's performance figures (issue: desktop viewer): start to first frame, frame
# times while dragging and while panning and zooming at once, coverage after a radius
# change, peak memory — on the embedded data and on a copy with 100,000 synthetic hubs
# (bench/gen_hubs), at 1600x1000 under Xvfb with Mesa llvmpipe.
# Usage: bench/viewer_bench.sh [BUILD_DIR] [FRAMES]   (default: build, 300)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
frames="${2:-300}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$build/src/cli/hubmap" init --quiet --db "$work/embedded.sqlite"
"$build/bench/gen_hubs" --db "$work/embedded.sqlite" --out "$work/synthetic.sqlite" --n 100000 >/dev/null
for db in embedded synthetic; do
  echo "== $db"
  xvfb-run -a -s "-screen 0 1600x1000x24" /usr/bin/time -v \
    "$build/src/viewer/hubmap-viewer" --db "$work/$db.sqlite" --size 1600x1000 --bench-frames "$frames" 2>&1 |
    grep -E 'hubmap-viewer benchmark|start to|finer|frames while|per layer|radius change|Maximum resident'
done
