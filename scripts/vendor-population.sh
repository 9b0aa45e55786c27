#!/usr/bin/env bash
# Vendors the population data from the shared data into geodata/population/, compactly:
#  - small_areas_2015.csv.gz: the 2015 census small areas (町丁・字) with only the columns hubmap
#    reads (key_code, municipality_code_2015, name, population, lon, lat), every row kept
#    (193,317; the zero-population ones too), in the source's order;
#  - municipalities_jumin_2022-01-01.csv: the 2022-01-01 resident register, every row
#    (prefecture totals, wards and 郡 subtotals too) with dantai_code, prefecture,
#    municipality and population (male, female and households dropped).
# Usage: scripts/vendor-population.sh [SOURCE_DIR]   (needs python3; re-run to update)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$root/../shared/data/population}"
dest="$root/geodata/population"
for f in "$src/small_areas_2015.csv.gz" "$src/municipalities_jumin_2022-01-01.csv"; do
  [[ -f "$f" ]] || { echo "vendor-population: $f not found" >&2; exit 1; }
done
mkdir -p "$dest"
python3 - "$src" "$dest" <<'PY'
import csv, gzip, io, sys
src, dest = sys.argv[1], sys.argv[2]
def keep(reader, columns, out):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    n = 0
    for row in reader:
        w.writerow([row[c] for c in columns])
        n += 1
    return n
with gzip.open(f"{src}/small_areas_2015.csv.gz", "rt", encoding="utf-8", newline="") as f:
    text = io.StringIO()
    n = keep(csv.DictReader(f), ["key_code", "municipality_code_2015", "name", "population", "lon", "lat"], text)
with open(f"{dest}/small_areas_2015.csv.gz", "wb") as raw:
    # mtime 0 and no file name: the same input gives the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as g:
        g.write(text.getvalue().encode("utf-8"))
with open(f"{src}/municipalities_jumin_2022-01-01.csv", encoding="utf-8", newline="") as f, \
     open(f"{dest}/municipalities_jumin_2022-01-01.csv", "w", encoding="utf-8", newline="") as out:
    m = keep(csv.DictReader(f), ["dantai_code", "prefecture", "municipality", "population"], out)
print(f"vendored into {dest}: {n} small areas, {m} register rows", file=sys.stderr)
PY
