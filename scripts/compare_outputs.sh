#!/usr/bin/env bash
# Runs a fixed set of hubmap queries (coverage, gaps, export in every format) with a given
# binary against a given database and writes their outputs, with timestamps and timings
# masked, into OUT_DIR. Two runs (before and after a change) compare with `diff -r`.
#
#   scripts/compare_outputs.sh HUBMAP_BINARY DATABASE OUT_DIR
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 HUBMAP_BINARY DATABASE OUT_DIR" >&2
  exit 2
fi
hubmap=$(realpath "$1")
db=$(realpath "$2")
out=$3
rm -rf "$out"
mkdir -p "$out"
out=$(realpath "$out")

# Timestamps and timings differ from run to run.
mask() {
  sed -E \
    -e 's/"(generated|exported_at)": "[^"]*"/"\1": "MASKED"/g' \
    -e 's/"seconds": [0-9.e+-]+/"seconds": MASKED/g' \
    -e 's/\\"(generated|exported_at)\\": \\"[^\\]*\\"/\\"\1\\": \\"MASKED\\"/g' \
    -e 's/\\"seconds\\": [0-9.e+-]+/\\"seconds\\": MASKED/g' \
    -e 's/in [0-9]+\.[0-9]+ s$/in MASKED s/' \
    -e 's#update_time \(DateTime\) = .*#update_time (DateTime) = MASKED#' \
    -e 's#[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(\+00)?#MASKED_TIME#g' \
    -e "s#$out#OUT#g"
}

run() {  # run NAME ARGS...: stdout and stderr of one hubmap command
  local name=$1
  shift
  local rc=0
  "$hubmap" "$@" --db "$db" -q >"$out/$name.stdout" 2>"$out/$name.stderr" || rc=$?
  echo "$rc" >"$out/$name.rc"
  mask <"$out/$name.stdout" >"$out/$name.stdout.m" && mv "$out/$name.stdout.m" "$out/$name.stdout"
  mask <"$out/$name.stderr" >"$out/$name.stderr.m" && mv "$out/$name.stderr.m" "$out/$name.stderr"
}

queries=(
  "plain:"
  "r10:--radius-km 10"
  "perkind:--radius-km 5,small_hub=12,rmo=3"
  "kinds:--radius-km activity_centre=8 --kinds activity_centre,rmo"
  "pref:--prefecture 高知県,北海道 --radius-km 15 --designation full,partial"
  "before:--opened-before 2022-04 --radius-km 7"
)
for q in "${queries[@]}"; do
  qn=${q%%:*}
  read -r -a qa <<<"${q#*:}"
  for by in municipality prefecture nation; do
    for fmt in json csv geojson table; do
      [ "$fmt" = geojson ] && [ "$by" = nation ] && continue
      run "coverage_${qn}_${by}_${fmt}" coverage --by "$by" --format "$fmt" "${qa[@]}"
      run "coverage_${qn}_${by}_${fmt}_uncov" coverage --by "$by" --format "$fmt" --uncovered-only "${qa[@]}"
      run "coverage_${qn}_${by}_${fmt}_min" coverage --by "$by" --format "$fmt" --uncovered-only --min-share 0.6 "${qa[@]}"
    done
  done
  for fmt in table json; do
    run "gaps_${qn}_${fmt}" gaps --format "$fmt" --top 0 "${qa[@]}"
    run "gaps_${qn}_${fmt}_min" gaps --format "$fmt" --min-share 0.5 "${qa[@]}"
  done
  for rank in municipalities prefectures; do
    run "gaps_${qn}_csv_${rank}" gaps --format csv --rank "$rank" --top 0 "${qa[@]}"
    run "gaps_${qn}_csv_${rank}_min" gaps --format csv --rank "$rank" --min-share 0.5 "${qa[@]}"
  done
done
run "gaps_r10_bysettl_json" gaps --format json --by-settlements --radius-km 10
run "gaps_r10_bysettl_csv" gaps --format csv --by-settlements --radius-km 10 --rank municipalities

# Exports: every format, with and without a radius. Each layer dumped as its schema
# (ogrinfo -so) and its features (ogrinfo -al), plus the side files of a folder.
for q in "plain:" "r10:--radius-km 10" "perkind:--radius-km 5,small_hub=12,rmo=3"; do
  qn=${q%%:*}
  read -r -a qa <<<"${q#*:}"
  for fmt in GPKG GeoJSON FlatGeobuf "ESRI Shapefile"; do
    fn=${fmt// /_}
    target="$out/export_${qn}_${fn}"
    [ "$fmt" = GPKG ] && target="$target.gpkg"
    run "export_${qn}_${fn}" export --format "$fmt" --out "$target" "${qa[@]}"
    if [ "$fmt" = GPKG ]; then
      ogrinfo -ro -al -so "$target" 2>&1 | mask >"$out/export_${qn}_${fn}.schema"
      ogrinfo -ro -al "$target" 2>&1 | mask >"$out/export_${qn}_${fn}.features"
      for t in layer_styles gpkg_metadata; do
        ogrinfo -ro "$target" -sql "SELECT * FROM $t" 2>&1 | mask >"$out/export_${qn}_${fn}.$t"
      done
      rm -f "$target"
    else
      for f in "$target"/*; do
        b=$(basename "$f")
        case "$b" in
          *.geojson | *.fgb | *.shp)
            ogrinfo -ro -al -so "$f" 2>&1 | mask >"$out/export_${qn}_${fn}.$b.schema"
            ogrinfo -ro -al "$f" 2>&1 | mask >"$out/export_${qn}_${fn}.$b.features"
            ;;
          *.json | *.qml | *.txt | *.cpg | *.prj)
            mask <"$f" >"$out/export_${qn}_${fn}.$b"
            ;;
        esac
      done
      (cd "$target" && ls) >"$out/export_${qn}_${fn}.files"
      rm -rf "$target"
    fi
  done
done
echo "outputs in $out: $(ls "$out" | wc -l) files"
