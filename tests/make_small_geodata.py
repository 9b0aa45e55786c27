#!/usr/bin/env python3
"""Writes a small copy of geodata/ for the tests of init itself (CTest fixture small_geodata).

Usage: make_small_geodata.py GEODATA OUT

Same files, same formats, same columns as geodata/, so `hubmap init` takes the same code path:
高知県 whole (its 一部過疎 municipalities exercise the former-municipality fit) and, of every
other prefecture, one municipality (its smallest boundary feature that is no ward and has
gazetteer points) and the two 美郷町, with the designation, gazetteer, census and register rows that name the
features kept. 北海道 and 愛知県 keep their register-spread population (no census small areas).
The former-municipality files and the register are copied whole; of geodata/hubs only the
layer of 高知県 (the others name places left out).
OUT is made beside itself and renamed into place, so a failed run leaves nothing stale.
"""

import csv
import gc
import gzip
import io
import json
import os
import shutil
import sys

WHOLE = {39}  # 高知県
# Kept besides: one name in two prefectures (the bad-input corpus's ambiguous address).
ALSO = {("島根県", "美郷町"), ("宮崎県", "美郷町")}
RENAMED = {"04423": "04216", "40305": "40231"}  # 2015 codes read under today's (io/population)


def read_gz_text(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return f.read()


def write_gz_text(path, text):
    # mtime=0: the same input gives the same bytes (the geodata fingerprint is size-based anyway).
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(text.encode("utf-8"))


def csv_rows(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def csv_text(rows):
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def main(geodata, out):
    # Half a million row lists and JSON objects, none of them in a cycle: the collector's passes
    # over them were 40 % of the script's CPU.
    gc.disable()
    tmp = out + ".building"
    shutil.rmtree(tmp, ignore_errors=True)
    for sub in ("boundaries", "designations", "gazetteer", "former_municipalities", "population", "hubs"):
        os.makedirs(os.path.join(tmp, sub))

    gazetteer = csv_rows(read_gz_text(os.path.join(geodata, "gazetteer/machiaza_points.csv.gz")))
    places = {(r[0], r[1]) for r in gazetteer[1:]}  # (prefecture, municipality as the gazetteer spells it)

    kept = {}  # code -> (prefecture, gazetteer municipality name, N03 name)
    for pref in range(1, 48):
        rel = f"boundaries/N03-21_{pref:02d}_210101.json.gz"
        collection = json.loads(read_gz_text(os.path.join(geodata, rel)))
        features = collection["features"]
        if pref not in WHOLE:
            candidates = []
            for f in features:
                p = f["properties"]
                code, county, name = p.get("N03_007") or "", p.get("N03_003") or "", p["N03_004"]
                ward = county.endswith("市") and name.endswith("区")
                if code and not ward and (p["N03_001"], county + name) in places:
                    candidates.append((len(json.dumps(f["geometry"])), code, f))
            if not candidates:
                sys.exit(f"{rel}: no municipality with gazetteer points to keep")
            smallest = min(candidates, key=lambda c: (c[0], c[1]))[2]
            features = [f for f in features if f is smallest
                        or (f["properties"]["N03_001"], f["properties"]["N03_004"]) in ALSO]
        collection["features"] = features
        for f in features:
            p = f["properties"]
            if p.get("N03_007"):
                kept[p["N03_007"]] = (p["N03_001"], (p.get("N03_003") or "") + p["N03_004"], p["N03_004"], pref)
        write_gz_text(os.path.join(tmp, rel), json.dumps(collection, ensure_ascii=False))

    whole_names = {v[0] for v in kept.values() if v[3] in WHOLE}
    kept_places = {(v[0], v[1]) for v in kept.values()}
    kept_names = {(v[0], v[2]) for v in kept.values()}

    rows = [gazetteer[0]] + [r for r in gazetteer[1:] if r[0] in whole_names or (r[0], r[1]) in kept_places]
    write_gz_text(os.path.join(tmp, "gazetteer/machiaza_points.csv.gz"), csv_text(rows))

    with open(os.path.join(geodata, "designations/kaso_r4_2022-04-01.csv"), encoding="utf-8", newline="") as f:
        designations = csv_rows(f.read())
    designations = [designations[0]] + [
        r for r in designations[1:] if r[0] in whole_names or (r[0], r[1]) in kept_names]
    with open(os.path.join(tmp, "designations/kaso_r4_2022-04-01.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(csv_text(designations))

    small = csv_rows(read_gz_text(os.path.join(geodata, "population/small_areas_2015.csv.gz")))
    rows = [small[0]] + [r for r in small[1:] if RENAMED.get(r[1], r[1]) in kept]
    write_gz_text(os.path.join(tmp, "population/small_areas_2015.csv.gz"), csv_text(rows))

    for rel in ("former_municipalities/jp_city_2000-10-01.c.topojson.gz",
                "former_municipalities/jp_city_1995-10-01_merged_by_2000.geojson.gz",
                "population/municipalities_jumin_2022-01-01.csv", "hubs/kochi_activity_centres.csv"):
        shutil.copyfile(os.path.join(geodata, rel), os.path.join(tmp, rel))

    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)
    print(f"{out}: {len(kept)} municipalities, {len(designations) - 1} designations, {len(rows) - 1} small areas")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
