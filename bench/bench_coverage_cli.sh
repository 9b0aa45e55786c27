#!/usr/bin/env bash
# Whole `hubmap coverage` runs, process start to exit (issue "Coverage queries"):
#   - without a radius, --by nation: target under 100 ms (planners call it in loops);
#   - every designated municipality, every hub, R = 10 km: target under 1 s;
#   - with SYNTHETIC_DB (bench/gen_hubs output, 100,000 hubs of kind synthetic), R = 5 km: under 3 s.
# Every run counts residents too (the population table is always loaded: 260k points).
#
#   bench/bench_coverage_cli.sh HUBMAP_BINARY DB [SYNTHETIC_DB]
#
# Uses hyperfine (Debian package, in scripts/install-deps.sh); falls back to a timed loop.
set -euo pipefail
hubmap=${1:?usage: bench_coverage_cli.sh HUBMAP_BINARY DB [SYNTHETIC_DB]}
db=${2:?usage: bench_coverage_cli.sh HUBMAP_BINARY DB [SYNTHETIC_DB]}
synthetic=${3:-}

commands=(
  "$hubmap coverage -q --db $db --by nation"
  "$hubmap coverage -q --db $db --by nation --format json"
  "$hubmap coverage -q --db $db --by municipality --radius-km 10"
)
if [[ -n $synthetic ]]; then
  commands+=("$hubmap coverage -q --db $synthetic --kinds synthetic --by municipality --radius-km 5")
fi

if command -v hyperfine >/dev/null; then
  hyperfine --warmup 2 --min-runs 10 --style basic --output=null "${commands[@]}"
else
  for c in "${commands[@]}"; do
    start=$(date +%s.%N)
    for _ in 1 2 3 4 5 6 7 8 9 10; do $c >/dev/null; done
    end=$(date +%s.%N)
    echo "$c: $(echo "($end - $start) / 10" | bc -l | cut -c1-6) s per run (mean of 10)"
  done
fi
