#!/usr/bin/env bash
# Whole `hubmap suggest` runs, process start to exit (issue "hubmap suggest"):
#   - 高知県, every demand point as a candidate, R = 5 km, k = 20: target under 0.5 s;
#   - the nation (every designated demand point), R = 5 km, k = 200: target under 3 s;
#   - --exact on 高知県, k = 20: target under 10 s.
# The weight is the database's default: population when it holds population data, else
# settlements (the header says which).
#
#   bench/bench_suggest_cli.sh HUBMAP_BINARY DB
#
# Uses hyperfine (Debian package, in scripts/install-deps.sh); falls back to a timed loop.
set -euo pipefail
hubmap=${1:?usage: bench_suggest_cli.sh HUBMAP_BINARY DB}
db=${2:?usage: bench_suggest_cli.sh HUBMAP_BINARY DB}

commands=(
  "$hubmap suggest -q --db $db --prefecture 高知 --radius-km 5 --k 20"
  "$hubmap suggest -q --db $db --radius-km 5 --k 200"
  "$hubmap suggest -q --db $db --prefecture 高知 --radius-km 5 --k 20 --exact=10"
)

if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --min-runs 5 --style basic --output=null "${commands[@]}"
else
  for c in "${commands[@]}"; do
    start=$(date +%s.%N)
    for _ in 1 2 3 4 5; do $c >/dev/null; done
    end=$(date +%s.%N)
    echo "$c: $(echo "($end - $start) / 5" | bc -l | cut -c1-6) s per run (mean of 5)"
  done
fi
