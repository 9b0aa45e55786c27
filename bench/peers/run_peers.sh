#!/usr/bin/env bash
# Side-by-side benchmark of the national coverage query: hubmap vs PostGIS vs GeoPandas.
#
#   bench/peers/run_peers.sh [--build DIR] [--src DB] [--work DIR] [--n 100000] [--seed 1]
#                            [--radius-km 5] [--curated-radius-km 10] [--runs 3]
#                            [--timeout 600] [--scenarios synthetic,curated] [--skip-install]
#                            [--no-geopandas] [--no-postgis]
#
# 1. Installs the peers' Debian packages when missing (postgresql-15-postgis-3, python3-geopandas,
#    python3-rtree, gdal-bin; needs root or sudo). They are optional, so scripts/install-deps.sh
#    leaves them out.
# 2. Builds a hubmap database (hubmap init) unless --src is given, and copies it with N synthetic
#    hubs (bench gen_hubs, uniform per km² of land) into the work directory (default: a temp
#    directory removed on exit; a --work directory is kept, with every answer as CSV).
# 3. Starts a throwaway PostgreSQL 15 cluster (initdb; as root, run as the postgres account) with
#    its data and unix socket in a fresh /tmp/hubmap-pg.XXXXXX, removed on exit.
# 4. Scenario "synthetic": N synthetic hubs, R = --radius-km. Scenario "curated": the hubs the
#    source database already has (geodata/hubs), R = --curated-radius-km; skipped when it has none.
#    Each scenario runs hubmap coverage (--runs times, median), PostGIS, and GeoPandas (accurate
#    per-municipality projections, and the Japan-wide equal-area approximation), each under
#    --timeout seconds, checks the answers against hubmap's (compare_coverage.py: presence
#    exactly; covered areas within 0.5%, or within 0.05% of the municipality's area for slivers;
#    the national total within 0.5%) and prints a table of wall times.
# The peers' times are their query alone (reading the data excluded); hubmap's is the whole CLI
# process, start to exit. Exits 1 when an accurate peer disagrees with hubmap.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

build="$repo/build" src="" work="" n=100000 seed=1 radius_km=5 curated_radius_km=10 runs=3
timeout_s=600 install=1 use_geopandas=1 use_postgis=1 scenarios=synthetic,curated
while (($#)); do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --src) src=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --radius-km) radius_km=$2; shift 2 ;;
    --curated-radius-km) curated_radius_km=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --skip-install) install=0; shift ;;
    --no-geopandas) use_geopandas=0; shift ;;
    --no-postgis) use_postgis=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_peers.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "run_peers: $*" >&2; }
die() { say "error: $*"; exit 1; }
now() { date +%s.%N; }
python=/usr/bin/python3  # Debian's interpreter: python3-geopandas is installed for it

# --- 1. peers' packages -------------------------------------------------------------------
packages=(postgresql-15 postgresql-15-postgis-3 python3-geopandas python3-rtree gdal-bin)
if ((install)); then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then
      command -v sudo >/dev/null || die "need root or sudo to install ${missing[*]}"
      sudo=sudo
    fi
    say "installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

hubmap="$build/src/cli/hubmap"
gen_hubs="$build/bench/gen_hubs"
for b in "$hubmap" "$gen_hubs"; do
  [[ -x $b ]] || die "$b not built (cmake -S $repo -B $build && cmake --build $build)"
done

# --- 2. data ------------------------------------------------------------------------------
keep_work=1
if [[ -z $work ]]; then
  work=$(mktemp -d /tmp/hubmap-peers.XXXXXX)
  keep_work=0
fi
mkdir -p "$work"
pg_dir=""  # the throwaway cluster: data and unix socket (a short path of its own, reachable by its server user)
pg_bin=/usr/lib/postgresql/15/bin
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [[ -n $pg_dir ]]; then
    if [[ -f $pg_dir/data/postmaster.pid ]]; then as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$pg_dir"
  fi
  if ((keep_work == 0)); then rm -rf "$work"; fi
}
trap cleanup EXIT

if [[ -z $src ]]; then
  src="$work/national.sqlite"
  say "building $src (hubmap init)"
  HUBMAP_DB='' "$hubmap" init --db "$src" --force --quiet >"$work/init.log" || die "hubmap init failed: $(tail -5 "$work/init.log")"
fi
[[ -f $src ]] || die "$src: no such database"
wants() { [[ ,$scenarios, == *,$1,* ]]; }
synthetic_db="$work/synthetic-$n-seed$seed.sqlite"
if wants synthetic; then
  say "generating $n synthetic hubs (seed $seed)"
  "$gen_hubs" --db "$src" --out "$synthetic_db" --n "$n" --seed "$seed" --kind synthetic
fi

# --- 3. throwaway PostgreSQL --------------------------------------------------------------
# initdb refuses to run as root: as root, run the server as the postgres account.
if [[ $(id -u) -eq 0 ]]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
if ((use_postgis)); then
  pg_dir=$(mktemp -d /tmp/hubmap-pg.XXXXXX)
  [[ $(id -u) -eq 0 ]] && chown postgres "$pg_dir"
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$pg_dir/initdb.log" 2>&1 ||
    die "initdb failed: $(tail -3 "$pg_dir/initdb.log")"
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-k $pg_dir -c listen_addresses= -c fsync=off -c synchronous_commit=off" start >/dev/null ||
    die "PostgreSQL did not start: $(tail -5 "$pg_dir/server.log")"
  export PGHOST=$pg_dir PGUSER=postgres PGDATABASE=hubmap_bench
  createdb hubmap_bench
  psql -X -q -c "CREATE EXTENSION postgis"
  postgis_version=$(psql -X -At -c "SELECT 'PostGIS ' || postgis_lib_version() || ', GEOS ' || postgis_geos_version()")
  say "started PostgreSQL $(psql -X -At -c 'SHOW server_version') with $postgis_version on $pg_dir"
fi
geopandas_version=$($python -c 'import geopandas, shapely; print(f"GeoPandas {geopandas.__version__}, Shapely {shapely.__version__}")')

# --- 4. scenarios ---------------------------------------------------------------------------
load_start=$(cut -d' ' -f1-3 /proc/loadavg)  # other work on the machine skews every figure: say how busy it was
has_coverage=0
help_text=$("$hubmap" --help)
grep -qE '^ +coverage ' <<<"$help_text" && has_coverage=1
((has_coverage)) || say "this hubmap has no coverage command yet: PostGIS is the reference for agreement"

status=0
results="$work/results.tsv"
: >"$results"
median() { sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
field() { awk -v k="$1" '$1==k{print $2}' "$2"; }

# run_scenario NAME DB KINDS RADIUS
run_scenario() {
  local name=$1 db=$2 kinds=$3 radius=$4 out="$work/$1" reference="" t
  mkdir -p "$out"
  say "scenario $name: kinds $kinds, R = $radius km, $db"
  if ((has_coverage)); then
    local times=()
    for ((i = 1; i <= runs; i++)); do
      t=$(now)
      HUBMAP_DB='' timeout "$timeout_s" "$hubmap" coverage --by municipality --format csv --kinds "$kinds" \
        --radius-km "$radius" --db "$db" >"$out/hubmap.csv" || die "hubmap coverage failed (scenario $name)"
      times+=("$(awk -v a="$t" -v b="$(now)" 'BEGIN{printf "%.3f", b-a}')")
    done
    t=$(printf '%s\n' "${times[@]}" | median)
    say "hubmap coverage: ${times[*]} s (median $t)"
    printf '%s\thubmap coverage (CLI, %s runs median)\t%s\treference\n' "$name" "$runs" "$t" >>"$results"
    reference="$out/hubmap.csv"
  fi
  if ((use_postgis)); then
    if timeout --kill-after=10 "$((timeout_s + 60))" "$here/postgis_coverage.sh" --db "$db" --kinds "$kinds" \
      --radius-km "$radius" --out "$out/postgis.csv" --timeout "$timeout_s" >"$out/postgis.times"; then
      t=$(field postgis_query_seconds "$out/postgis.times")
      say "postgis: query $t s (loading $(field postgis_load_seconds "$out/postgis.times") s)"
      add_peer "$name" "$postgis_version (geography)" "$t" "$out/postgis.csv" "$reference" 1
      [[ -n $reference ]] || reference="$out/postgis.csv"
    else
      say "postgis: failed or timed out after $timeout_s s"
      printf '%s\t%s (geography)\tfailed/timeout\t-\n' "$name" "$postgis_version" >>"$results"
      status=1
    fi
  fi
  if ((use_geopandas)); then
    local mode label accurate
    for mode in accurate japan; do
      if [[ $mode == accurate ]]; then label="$geopandas_version, per-municipality LAEA"; accurate=1
      else label="$geopandas_version, Japan-wide Albers (approx.)"; accurate=0; fi
      if timeout "$timeout_s" "$python" "$here/geopandas_coverage.py" --db "$db" --kinds "$kinds" \
        --radius-km "$radius" --mode "$mode" --out "$out/geopandas-$mode.csv" >"$out/geopandas-$mode.times"; then
        t=$(field "geopandas_${mode}_query_seconds" "$out/geopandas-$mode.times")
        say "geopandas $mode: query $t s (loading $(field "geopandas_${mode}_load_seconds" "$out/geopandas-$mode.times") s)"
        add_peer "$name" "$label" "$t" "$out/geopandas-$mode.csv" "$reference" "$accurate"
      else
        say "geopandas $mode: failed or timed out after $timeout_s s"
        printf '%s\t%s\tfailed/timeout\t-\n' "$name" "$label" >>"$results"
        ((accurate)) && status=1
      fi
    done
  fi
}

# add_peer SCENARIO LABEL SECONDS CSV REFERENCE_CSV ACCURATE: compares and records one row.
add_peer() {
  local verdict="reference"
  if [[ -n $5 ]]; then
    if "$python" "$here/compare_coverage.py" "$5" "$4" --label "$2" >&2; then
      verdict="agrees"
    elif (($6)); then
      verdict="DISAGREES"
      status=1
    else
      verdict="outside tolerance (approx.)"
    fi
  fi
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$verdict" >>"$results"
}

wants synthetic && run_scenario synthetic "$synthetic_db" synthetic "$radius_km"
curated_kinds=""
if wants curated; then
  curated_kinds=$(sqlite3 "$src" "SELECT group_concat(kind) FROM (SELECT DISTINCT kind FROM hubs WHERE geom IS NOT NULL ORDER BY kind)")
  if [[ -n $curated_kinds ]]; then
    run_scenario curated "$src" "$curated_kinds" "$curated_radius_km"
  else
    say "the source database has no located hubs: curated scenario skipped"
  fi
fi

# --- table ------------------------------------------------------------------------------------
echo
echo "Coverage by municipality of the designated (過疎) municipalities; machine: $(nproc) cores;"\
  "load average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
wants synthetic && echo "synthetic: $n hubs uniform per km² of land (gen_hubs --seed $seed), R = $radius_km km"
[[ -n $curated_kinds ]] && echo "curated:   the embedded hub layers ($curated_kinds), R = $curated_radius_km km"
awk -F'\t' '
  { scen[NR]=$1; tool[NR]=$2; sec[NR]=$3; verdict[NR]=$4; if ($2 ~ /^hubmap/) ref[$1]=$3 }
  END {
    printf "| %-9s | %-64s | %9s | %9s | %-26s |\n", "scenario", "tool", "wall s", "x hubmap", "answers vs hubmap"
    printf "|%s|%s|%s|%s|%s|\n", "-----------", "------------------------------------------------------------------", "----------:", "----------:", "----------------------------"
    for (i = 1; i <= NR; i++) {
      ratio = (ref[scen[i]] > 0 && sec[i] ~ /^[0-9.]+$/) ? sprintf("%.1f", sec[i] / ref[scen[i]]) : "-"
      printf "| %-9s | %-64s | %9s | %9s | %-26s |\n", scen[i], tool[i], sec[i], ratio, verdict[i]
    }
  }' "$results"
echo "Peers: query time only (data already loaded and indexed); hubmap: whole CLI process."
exit $status
