#!/usr/bin/env bash
# Independent check of the coverage golden files (golden_municipalities.csv,
# golden_nation.json) with SpatiaLite SQL on the same database hubmap measured.
#
#   tests/data/coverage/verify_golden.sh BUILD/test-data/national.sqlite
#
# Works on a copy of the national database whose hubs table is replaced by the rows of
# hubs_fixture.csv, read by GDAL's ogr2ogr (the test reads them with GDAL too), and
# written with SQL. Nothing here calls hubmap:
#   presence      ST_Contains(municipality, hub) per hub (ST_Intersects for a point on a
#                 boundary); a hub in two polygons goes to its stated code if it is one of
#                 them, else to the lowest code. Compared exactly.
#   settlements   gazetteer points of each designated municipality with some hub at
#                 ST_Distance(…, 1) <= 10000 m (distance on the ellipsoid; SpatiaLite's
#                 PtDistWithin takes degrees for SRIDs other than 4326). Compared exactly.
#   covered km²   per municipality: it and its hubs ST_Transform'ed to a Lambert azimuthal
#                 equal-area projection centred on its box, hubs ST_Buffer'ed by 10,000 m
#                 (1,024 segments per quadrant: within 3 mm of the circle), ST_Union,
#                 ST_Intersection, ST_Area. Compared within 0.1 % (or 0.0005 km² for slivers);
#                 the buffers are circles drawn in the projection, not geodesic circles
#                 (relative difference ~(d / 6,371 km)² / 8, d the hub's distance from the centre).
set -euo pipefail
national=${1:?usage: verify_golden.sh NATIONAL_DB}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/fixture.sqlite
cp "$national" "$db"
ogr2ogr -update -f SQLite "$db" "$here/hubs_fixture.csv" -nln fixture_hubs -a_srs EPSG:6668 \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=YES -lco SPATIAL_INDEX=NO
spatialite -batch -bail "$db" >/dev/null <<'SQL'
DELETE FROM hubs;
INSERT INTO hubs (id, kind, name, prefecture, code, lon, lat, precision, opened, source, import_source, geom)
  SELECT id, kind, name, NULLIF(prefecture, ''), NULLIF(code, ''), X(GEOMETRY), Y(GEOMETRY), precision,
         NULLIF(opened, ''), 'hubs_fixture.csv', 'fixture', GEOMETRY
  FROM fixture_hubs;
SQL

spatialite -batch -bail "$db" > "$work/presence.txt" <<'SQL'
.headers off
.separator ,
CREATE TEMP TABLE inside AS
  SELECT h.id, h.code AS stated, m.code AS code FROM hubs h, municipalities m
  WHERE h.geom IS NOT NULL AND ST_Contains(m.geom, h.geom)
    AND m.ROWID IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'municipalities' AND search_frame = h.geom);
CREATE TEMP TABLE touching AS
  SELECT h.id, h.code AS stated, m.code AS code FROM hubs h, municipalities m
  WHERE h.geom IS NOT NULL AND h.id NOT IN (SELECT id FROM inside) AND ST_Intersects(m.geom, h.geom)
    AND m.ROWID IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'municipalities' AND search_frame = h.geom);
CREATE TEMP TABLE candidates AS SELECT * FROM inside UNION ALL SELECT * FROM touching;
CREATE TEMP TABLE placed AS
  SELECT id, stated, CASE WHEN SUM(code = stated) > 0 THEN stated ELSE MIN(code) END AS code, COUNT(*) AS n
  FROM candidates GROUP BY id;
SELECT 'row', d.code, (SELECT COUNT(*) FROM placed p WHERE p.code = d.code) FROM designations d ORDER BY d.code;
SELECT 'ambiguous_hubs', COUNT(*) FROM placed WHERE n > 1;
SELECT 'outside_municipalities', COUNT(*) FROM hubs WHERE geom IS NOT NULL AND id NOT IN (SELECT id FROM placed);
SELECT 'code_mismatches', COUNT(*) FROM hubs h LEFT JOIN placed p USING (id)
  WHERE h.geom IS NOT NULL AND h.code IS NOT NULL AND h.code <> '' AND h.code IS NOT p.code;
SELECT 'prefecture_only_hubs', COUNT(*) FROM hubs WHERE geom IS NULL;
SQL

spatialite -batch -bail "$db" > "$work/settlements.txt" <<'SQL'
.headers off
.separator ,
SELECT s.code, COUNT(*), SUM(EXISTS (
    SELECT 1 FROM hubs h WHERE h.geom IS NOT NULL
      AND h.ROWID IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'hubs' AND search_frame =
                      BuildMbr(X(s.geom) - 0.2, Y(s.geom) - 0.1, X(s.geom) + 0.2, Y(s.geom) + 0.1))
      AND ST_Distance(s.geom, h.geom, 1) <= 10000))
FROM settlements s JOIN designations d ON d.code = s.code GROUP BY s.code ORDER BY s.code;
SQL

spatialite -batch -bail "$db" > "$work/areas.txt" <<'SQL'
.headers off
.separator ,
WITH m AS (
  SELECT code, geom,
         '+proj=laea +lat_0=' || ((MbrMinY(geom) + MbrMaxY(geom)) / 2) || ' +lon_0=' ||
         ((MbrMinX(geom) + MbrMaxX(geom)) / 2) || ' +ellps=GRS80 +units=m +no_defs' AS laea
  FROM municipalities JOIN designations USING (code))
SELECT code, COALESCE(ST_Area(ST_Intersection(
         ST_Transform(geom, -1, NULL, '+proj=longlat +ellps=GRS80 +no_defs', laea),
         (SELECT ST_Union(ST_Buffer(ST_Transform(h.geom, -1, NULL, '+proj=longlat +ellps=GRS80 +no_defs', laea),
                                    10000, 1024))
          FROM hubs h WHERE h.geom IS NOT NULL
            AND h.ROWID IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'hubs' AND search_frame =
                            BuildMbr(MbrMinX(m.geom) - 0.2, MbrMinY(m.geom) - 0.1,
                                     MbrMaxX(m.geom) + 0.2, MbrMaxY(m.geom) + 0.1))))) / 1e6, 0)
FROM m ORDER BY code;
SQL

python3 - "$here" "$work" <<'PY'
import csv, json, sys
here, work = sys.argv[1], sys.argv[2]
golden = {r["code"]: r for r in csv.DictReader(open(f"{here}/golden_municipalities.csv"))}
nation = json.load(open(f"{here}/golden_nation.json"))
problems = 0
def bad(msg):
    global problems
    problems += 1
    print("MISMATCH", msg)
hubs = {}
totals = {}
for line in open(f"{work}/presence.txt"):
    f = line.strip().split(",")
    if f[0] == "row":
        hubs[f[1]] = int(f[2])
    elif len(f) == 2:
        totals[f[0]] = int(f[1])
settl = {f[0]: (int(f[1]), int(f[2])) for f in (l.strip().split(",") for l in open(f"{work}/settlements.txt")) if len(f) == 3}
areas = {f[0]: float(f[1]) for f in (l.strip().split(",") for l in open(f"{work}/areas.txt")) if len(f) == 2}
if len(golden) != 885 or len(hubs) != 885 or len(areas) != 885:
    bad(f"row counts golden {len(golden)} sql {len(hubs)} areas {len(areas)}")
worst = 0.0
differences = []
for code, g in golden.items():
    if int(g["hubs"]) != hubs.get(code, -1):
        bad(f"{code} hubs golden {g['hubs']} sql {hubs.get(code)}")
    s, c = settl.get(code, (0, 0))
    if (int(g["settlements"]), int(g["settlements_covered"])) != (s, c):
        bad(f"{code} settlements golden {g['settlements']}/{g['settlements_covered']} sql {s}/{c}")
    a, ref = float(g["covered_km2"]), areas.get(code, -1)
    if abs(a - ref) > max(0.001 * ref, 0.0005):
        bad(f"{code} covered_km2 golden {a} sql {ref}")
    if ref > 1:
        worst = max(worst, abs(a - ref) / ref)
    if ref > 0:
        differences.append((abs(a - ref) / ref, code, a, ref))
covered = sum(1 for v in hubs.values() if v > 0)
sql_nation = {"covered": covered, "hubs": sum(hubs.values()),
              "settlements": sum(v[0] for v in settl.values()), "settlements_covered": sum(v[1] for v in settl.values()),
              **totals}
for key, value in sql_nation.items():
    if nation[key] != value:
        bad(f"nation {key} golden {nation[key]} sql {value}")
total_sql = sum(areas.values())
if abs(nation["covered_km2"] - total_sql) > 0.001 * total_sql:
    bad(f"nation covered_km2 golden {nation['covered_km2']} sql {total_sql}")
print(f"presence: {covered} covered municipalities, {sql_nation['hubs']} hubs placed; settlements "
      f"{sql_nation['settlements_covered']}/{sql_nation['settlements']}; covered km² hubmap "
      f"{nation['covered_km2']:.3f} vs SpatiaLite {total_sql:.3f} "
      f"({(nation['covered_km2'] - total_sql) / total_sql * 100:+.4f} %), worst municipality (>1 km²) {worst * 100:.4f} %")
for rel, code, a, ref in sorted(differences, reverse=True)[:5]:
    print(f"  largest relative difference: {code} hubmap {a:.4f} km² SpatiaLite {ref:.4f} km² ({rel * 100:.3f} %)")
print("OK" if problems == 0 else f"{problems} mismatches")
sys.exit(1 if problems else 0)
PY
