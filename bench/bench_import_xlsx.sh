#!/usr/bin/env bash
# `hubmap import` of a workbook (issue "Bring your own list"): 100,000 rows in one sheet, an
# address in one 所在地 column (prefecture on every other row, full-width lot numbers on every
# third), an opening date in 和暦. Target: under 10 s, process start to exit.
#
#   bench/bench_import_xlsx.sh HUBMAP_BINARY DB [ROWS]
#
# The workbook is written by GDAL (ogr2ogr from a CSV made from the database's own gazetteer,
# drawn with a fixed seed) into a scratch folder, and imported into a copy of DB.
set -euo pipefail
hubmap=${1:?usage: bench_import_xlsx.sh HUBMAP_BINARY DB [ROWS]}
db=${2:?usage: bench_import_xlsx.sh HUBMAP_BINARY DB [ROWS]}
rows=${3:-100000}
work=$(mktemp -d)
trap '[[ -n ${KEEP:-} ]] || rm -rf "$work"' EXIT

# Rows drawn from the gazetteer with repetition (ORDER BY a hash of the row number: fixed seed).
sqlite3 -csv "$db" "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows),
     s AS (SELECT ROW_NUMBER() OVER (ORDER BY id) AS k, prefecture, municipality, town FROM settlements
           WHERE code IS NOT NULL AND town <> '（大字なし）'),
     c AS (SELECT COUNT(*) AS total FROM s)
SELECT i, '拠点' || i,
       CASE WHEN i % 2 = 0 THEN prefecture ELSE '' END || municipality || town ||
       CASE WHEN i % 3 = 0 THEN '１２３－４' ELSE (100 + i % 900) || '番地' END,
       '令和' || (1 + i % 5) || '年' || (1 + i % 12) || '月'
FROM n, c JOIN s ON s.k = 1 + (i * 7919) % c.total" > "$work/body.csv"
{ echo "番号,拠点名,所在地,開設年月"; cat "$work/body.csv"; } > "$work/list.csv"
ogr2ogr -f XLSX "$work/list.xlsx" "$work/list.csv" -nln 拠点一覧
cp "$db" "$work/db.sqlite"
echo "workbook: $(du -h "$work/list.xlsx" | cut -f1), $rows rows"
# The report goes to a file (a pipe into head could end the import early with SIGPIPE); the CPU
# time is the steadier figure on a shared machine.
TIMEFORMAT='%R %U %S'
{ time "$hubmap" import "$work/list.xlsx" --kind bench --skip-invalid --rejects "$work/rejects.csv" \
    --db "$work/db.sqlite" -q > "$work/report.txt" 2>&1; } 2> "$work/time.txt"
head -5 "$work/report.txt"
read -r wall user sys < "$work/time.txt"
echo "import: $wall s wall, $(echo "$user + $sys" | bc) s CPU (target < 10 s wall)"
