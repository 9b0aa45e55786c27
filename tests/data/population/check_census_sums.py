#!/usr/bin/env python3
"""The population of every 全部過疎 and みなし過疎 municipality outside Hokkaido and Aichi, as
`hubmap coverage` reports it, must equal the sum of its 2015 census small areas exactly.

The reference is computed here, without hubmap: the vendored small-area file read with Python's
gzip and csv, the two 2015 codes that changed since renamed (04423 -> 04216, 40305 -> 40231).
Designated cities (whose small areas carry ward codes) are never designated whole, so the
municipality code of a row is its own.

    check_census_sums.py HUBMAP DB SMALL_AREAS_CSV_GZ
"""
import csv, gzip, json, subprocess, sys
from collections import defaultdict

hubmap, db, small_areas = sys.argv[1:4]
RENAMED = {"04423": "04216", "40305": "40231"}
reference = defaultdict(int)
with gzip.open(small_areas, "rt", encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        code = row["municipality_code_2015"]
        reference[RENAMED.get(code, code)] += int(row["population"])

out = subprocess.run([hubmap, "coverage", "--db", db, "--by", "municipality", "--format", "json",
                      "--designation", "full,deemed", "-q"], check=True, capture_output=True, text=True).stdout
rows = json.loads(out)["municipalities"]
checked, wrong = 0, []
for m in rows:
    if m["code"][:2] in ("01", "23"):
        continue
    checked += 1
    want = reference.get(m["code"], 0)
    if m["population"] != want or m["population_method"] != "census_2015_small_areas":
        wrong.append(f'{m["code"]} {m["prefecture"]}{m["name"]}: hubmap {m["population"]} '
                     f'({m["population_method"]}), small areas {want}')
print(f"{checked} 全部過疎/みなし過疎 municipalities outside Hokkaido and Aichi checked, "
      f"{sum(reference[m['code']] for m in rows if m['code'][:2] not in ('01', '23'))} people")
if checked < 500:
    print(f"expected over 500 municipalities, got {checked}")
    sys.exit(1)
if wrong:
    print(f"{len(wrong)} differ:\n  " + "\n  ".join(wrong[:30]))
    sys.exit(1)
