#!/usr/bin/env bash
# The coverage query through PostGIS (peer benchmark): loads a hubmap database into PostgreSQL
# with ogr2ogr, then times postgis_coverage.sql and writes code,area_km2,hubs,covered_km2 as CSV.
#
#   postgis_coverage.sh --db HUBMAP.sqlite --kinds K1[,K2...] --radius-km R --out RESULT.csv
#                       [--quad-segs 16] [--timeout SECONDS]
#
# Needs a PostgreSQL server with PostGIS, reached through libpq's environment (PGHOST, PGPORT,
# PGUSER, PGDATABASE): run_peers.sh starts a throwaway one. Prints on stdout
#   postgis_load_seconds X      ogr2ogr + indexes (not part of the query)
#   postgis_query_seconds Y     postgis_coverage.sql, wall clock
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

db="" kinds="" radius_km="" out="" quad_segs=16 timeout_s=600
while (($#)); do
  case "$1" in
    --db) db=$2; shift 2 ;;
    --kinds) kinds=$2; shift 2 ;;
    --radius-km) radius_km=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --quad-segs) quad_segs=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    *) echo "postgis_coverage.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for v in db kinds radius_km out; do
  [[ -n ${!v} ]] || { echo "postgis_coverage.sh: --${v//_/-} is required" >&2; exit 2; }
done
[[ -f $db ]] || { echo "postgis_coverage.sh: $db: no such database" >&2; exit 1; }
: "${PGDATABASE:?postgis_coverage.sh: set PGHOST/PGDATABASE (run_peers.sh starts a server)}"

psql_q() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"; }
now() { date +%s.%N; }

# Load once per database file: a marker table remembers which file (path, size, mtime) is loaded.
stamp="$(realpath "$db") $(stat -c '%s %Y' "$db")"
loaded=$(psql_q -At -c "SELECT to_regclass('loaded_from') IS NOT NULL" 2>/dev/null || true)
if [[ $loaded == t ]]; then loaded=$(psql_q -At -c "SELECT stamp FROM loaded_from"); fi
load_start=$(now)
if [[ $loaded != "$stamp" ]]; then
  psql_q -c "CREATE EXTENSION IF NOT EXISTS postgis"
  pg="PG:dbname=$PGDATABASE"
  common=(-f PostgreSQL "$pg" "$db" -overwrite -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=NONE -gt 65536)
  ogr2ogr "${common[@]}" municipalities -nln municipalities -nlt MULTIPOLYGON -select code,name,area_km2
  ogr2ogr "${common[@]}" designations -nln designations -select code,type
  ogr2ogr "${common[@]}" hubs -nln hubs -nlt POINT -select id,kind
  psql_q <<SQL
DROP TABLE IF EXISTS dm;
CREATE TABLE dm AS
  SELECT m.code, m.geom, m.geom::geography AS geog
  FROM municipalities m JOIN designations d USING (code);
CREATE INDEX dm_geom ON dm USING gist (geom);
CREATE INDEX dm_geog ON dm USING gist (geog);
CREATE INDEX hubs_kind ON hubs (kind);
ANALYZE dm; ANALYZE hubs;
DROP TABLE IF EXISTS loaded_from;
CREATE TABLE loaded_from AS SELECT '$stamp'::text AS stamp;
SQL
fi
load_end=$(now)

# The n-gon (n = 4·quad_segs) with the area of the disk of radius R has circumradius
# R·sqrt(2π / (n sin(2π/n))): 1.0008 R for n = 64.
disk_radius_m=$(awk -v r="$radius_km" -v q="$quad_segs" \
  'BEGIN{pi = atan2(0, -1); n = 4 * q; printf "%.6f", r * 1000 * sqrt(2 * pi / (n * sin(2 * pi / n)))}')
query_start=$(now)
PGOPTIONS="-c statement_timeout=${timeout_s}s" timeout --kill-after=10 "$timeout_s" \
  psql -X -q -v ON_ERROR_STOP=1 -v disk_radius_m="$disk_radius_m" \
  -v kinds="$kinds" -v quad_segs="$quad_segs" -f "$here/postgis_coverage.sql"
query_end=$(now)

psql_q -c "COPY (SELECT code, area_km2, hubs, covered_km2 FROM coverage_result ORDER BY code)
           TO STDOUT WITH (FORMAT csv, HEADER)" >"$out.tmp"
mv "$out.tmp" "$out"
awk -v a="$load_start" -v b="$load_end" 'BEGIN{printf "postgis_load_seconds %.3f\n", b-a}'
awk -v a="$query_start" -v b="$query_end" 'BEGIN{printf "postgis_query_seconds %.3f\n", b-a}'
