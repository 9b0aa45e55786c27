#!/usr/bin/env bash
# Vendors the pre-merger municipal boundaries (CODH 歴史的行政区域データセットβ版, CC BY-SA 4.0)
# from the shared data into geodata/former_municipalities/:
#  - the 2000-10-01 TopoJSON unchanged, gzip-compressed (GDAL reads it through /vsigzip/);
#  - from the 1995-10-01 TopoJSON only the municipalities whose (prefecture, name) is not in
#    the 2000 file (those that had merged by 2000, e.g. 兵庫県篠山町), as GeoJSON, gzip-compressed:
#    hubmap looks a name up in 1995 only when 2000 does not have it, so the rest is not needed.
# Usage: scripts/vendor-former-municipalities.sh [SOURCE_DIR]   (needs ogr2ogr; re-run to update)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$root/../shared/data/former_municipalities}"
dest="$root/geodata/former_municipalities"
in2000="$src/jp_city_2000-10-01.c.topojson"
in1995="$src/jp_city_1995-10-01.c.topojson"
for f in "$in2000" "$in1995"; do
  [[ -f "$f" ]] || { echo "vendor-former-municipalities: $f not found" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
names() {  # "id<TAB>prefecture|name" per feature
  ogr2ogr -f CSV /vsistdout/ "$1" city -select id,N03_001,N03_004 -lco SEPARATOR=TAB |
    tail -n +2 | tr -d '"' | awk -F'\t' '{print $1 "\t" $2 "|" $3}'
}
names "$in2000" | cut -f2 | sort -u > "$work/2000.txt"
names "$in1995" | sort -t$'\t' -k2 > "$work/1995.txt"
ids="$(awk -F'\t' 'NR==FNR {have[$0]=1; next} !($2 in have) {printf "%s'\''%s'\''", (n++ ? "," : ""), $1}' \
  "$work/2000.txt" "$work/1995.txt")"
[[ -n "$ids" ]] || { echo "vendor-former-municipalities: no 1995 municipality missing from 2000?" >&2; exit 1; }
mkdir -p "$dest"
gzip -9n -c "$in2000" > "$dest/jp_city_2000-10-01.c.topojson.gz"
rm -f "$work/1995_merged.geojson"
ogr2ogr -f GeoJSON "$work/1995_merged.geojson" "$in1995" city -where "id IN ($ids)" -nln city \
  -lco RFC7946=NO -lco COORDINATE_PRECISION=9
gzip -9n -c "$work/1995_merged.geojson" > "$dest/jp_city_1995-10-01_merged_by_2000.geojson.gz"
echo "vendored into $dest: $(ogrinfo -ro -so "/vsigzip/$dest/jp_city_1995-10-01_merged_by_2000.geojson.gz" city |
  grep 'Feature Count')" >&2
