#!/usr/bin/env python3
"""Writes hubs_fixture.csv: a fixed set of hub points for the coverage golden tests.

Usage: make_hubs_fixture.py NATIONAL_DB > hubs_fixture.csv

Run once; the CSV is committed and the tests never run this script. Seeded, so the
same database gives the same file. The points are deliberately varied:
  - 240 gazetteer settlements jittered by up to ±0.02° (most on land, some across a
    municipal border from the settlement's own municipality, whose code they keep:
    code mismatches), random kind and opening month (a fifth undated);
  - 3 exact vertices of 大川村 (39364) shared with a neighbour (points on a boundary);
  - 2 points inside slivers where neighbouring prefectures' simplified boundaries
    overlap (a point in two polygons);
  - 20 uniform points over 128–146°E, 30–46°N without a code (mostly at sea);
  - 8 rows known only by prefecture (no point).
"""
import csv
import random
import sqlite3
import subprocess
import sys

KINDS = ["small_hub", "rmo", "activity_centre", "model_project"]
PREFS = ["北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
         "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
         "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
         "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
         "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"]


def spatialite(db, sql):
    out = subprocess.run(["spatialite", "-batch", "-bail", db, sql], check=True, capture_output=True, text=True)
    return [line.split("|") for line in out.stdout.strip().splitlines() if "|" in line]


def main():
    db = sys.argv[1]
    rng = random.Random(20240501)
    con = sqlite3.connect(db)
    rows = []

    def opened():
        if rng.random() < 0.2:
            return ""
        return f"{rng.randint(2010, 2023)}-{rng.randint(1, 12):02d}"

    settlements = con.execute(
        "SELECT s.code, s.lon, s.lat, m.prefecture FROM settlements s JOIN municipalities m ON m.code = s.code "
        "ORDER BY s.id").fetchall()
    for i in range(240):
        code, lon, lat, pref = settlements[rng.randrange(len(settlements))]
        lon += rng.uniform(-0.02, 0.02)
        lat += rng.uniform(-0.02, 0.02)
        rows.append([f"fx-s{i + 1:03d}", rng.choice(KINDS), f"settlement hub {i + 1}", pref, code,
                     repr(lon), repr(lat), "settlement", opened()])

    # Vertices 1 and 2 of 大川村's ring: shared with 39363 and 38213 respectively.
    vertices = spatialite(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) "
                              "SELECT i, printf('%!.17g', X(PointN(ExteriorRing(GeometryN(geom, 1)), i))), "
                              "printf('%!.17g', Y(PointN(ExteriorRing(GeometryN(geom, 1)), i))) "
                              "FROM municipalities, n WHERE code = '39364' ORDER BY i")
    stated = {"1": "", "2": "38213", "3": "39364"}
    for i, x, y in vertices:
        rows.append([f"fx-v{i}", "small_hub", f"boundary vertex {i}", "高知県", stated[i], x, y, "exact", opened()])

    slivers = spatialite(db, "SELECT a.code || '/' || b.code, "
                             "printf('%!.17g', X(PointOnSurface(ST_Intersection(a.geom, b.geom)))), "
                             "printf('%!.17g', Y(PointOnSurface(ST_Intersection(a.geom, b.geom)))) "
                             "FROM municipalities a, municipalities b "
                             "WHERE (a.code, b.code) IN (VALUES ('43505', '45403'), ('45202', '46217'))")
    for k, (pair, x, y) in enumerate(slivers):
        rows.append([f"fx-o{k + 1}", "rmo", f"overlap {pair}", "", pair.split("/")[1], x, y, "exact", opened()])

    for i in range(20):
        rows.append([f"fx-r{i + 1:02d}", rng.choice(KINDS), f"random point {i + 1}", "", "",
                     repr(rng.uniform(128, 146)), repr(rng.uniform(30, 46)), "exact", opened()])

    for i in range(8):
        rows.append([f"fx-p{i + 1}", "model_project", f"prefecture only {i + 1}", rng.choice(PREFS), "", "", "",
                     "prefecture", opened()])

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["id", "kind", "name", "prefecture", "code", "lon", "lat", "precision", "opened"])
    w.writerows(rows)


if __name__ == "__main__":
    main()
