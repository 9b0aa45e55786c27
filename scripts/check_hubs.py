#!/usr/bin/env python3
"""Checks geodata/hubs/*.csv (stdlib only).

  * header is exactly the 17 agreed columns, every row has 17 fields, UTF-8 without BOM
  * ids unique across ALL files; kind in {small_hub, rmo, activity_centre, model_project}
  * every (prefecture, municipality, code) matches the N03 boundaries (municipality name + code in
    that prefecture; designated cities by the city code = smallest ward code with last digit 0)
  * prefecture-only rows have precision=prefecture; lat/lon always empty; opened is YYYY-MM;
    fiscal_year is a year
  * Kochi 集落活動センター: 64 distinct centres (source_ref) in 32 distinct municipalities
  * 2019 「小さな拠点」づくり事例集: 20 cases
  * prints per-file / per-kind / per-fiscal-year / per-programme counts and the unplaced rows
  * informational: how the districts match the gazetteer (大字・町丁目) if it is available

Exit status 0 when every check holds, 1 otherwise.
Usage: python3 scripts/check_hubs.py [--hubs DIR] [--boundaries DIR] [--gazetteer CSV]
"""
from pathlib import Path
import argparse
import collections
import csv
import glob
import json
import os
import re
import sys

# The project's shared data lives beside the repository: ../shared.
SHARED = Path(__file__).resolve().parents[2] / "shared"

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
COLUMNS = ["id", "kind", "name", "prefecture", "municipality", "code", "district", "lat", "lon",
           "precision", "opened", "programme", "fiscal_year", "operator", "source_ref", "source", "note"]
KINDS = {"small_hub", "rmo", "activity_centre", "model_project"}


def load_n03(bdir):
    by_name, prefs = {}, set()
    wards = collections.defaultdict(list)
    for f in sorted(glob.glob(os.path.join(bdir, "N03-21_[0-9][0-9]_210101.json"))):
        for ft in json.load(open(f, encoding="utf-8"))["features"]:
            p = ft["properties"]
            pref, county, name, code = p["N03_001"], p.get("N03_003"), p["N03_004"], p["N03_007"]
            prefs.add(pref)
            if not code:
                continue
            if county and county.endswith("市"):
                wards[(pref, county)].append(code)
            else:
                by_name.setdefault((pref, name), set()).add(code)
    for k, codes in wards.items():
        by_name.setdefault(k, set()).add(min(codes)[:4] + "0")
    return by_name, prefs, {k for k in wards}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hubs", default=os.path.join(ROOT, "geodata", "hubs"))
    ap.add_argument("--boundaries", default=str(SHARED / "data/boundaries"))
    ap.add_argument("--gazetteer", default=str(SHARED / "data/gazetteer/machiaza_points.csv"))
    a = ap.parse_args()

    by_name, prefs, designated = load_n03(a.boundaries)
    errors = []
    rows = []
    per_file = collections.Counter()
    for path in sorted(glob.glob(os.path.join(a.hubs, "*.csv"))):
        fname = os.path.basename(path)
        raw = open(path, "rb").read()
        if raw.startswith(b"\xef\xbb\xbf"):
            errors.append(f"{fname}: has a UTF-8 BOM")
        raw.decode("utf-8")  # raises if not UTF-8
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            if header != COLUMNS:
                errors.append(f"{fname}: header {header} != {COLUMNS}")
                continue
            for n, rec in enumerate(reader, 2):
                if len(rec) != len(COLUMNS):
                    errors.append(f"{fname} row {n}: {len(rec)} fields")
                    continue
                r = dict(zip(COLUMNS, rec))
                r["_file"], r["_row"] = fname, n
                rows.append(r)
                per_file[fname] += 1

    # ids, kinds, fields
    ids = collections.Counter(r["id"] for r in rows)
    for i, c in ids.items():
        if c > 1:
            errors.append(f"duplicate id {i} ({c}x)")
    unplaced = []
    for r in rows:
        where = f"{r['_file']} row {r['_row']} ({r['id']})"
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r["id"]):
            errors.append(f"{where}: id not lower-case ascii")
        if r["kind"] not in KINDS:
            errors.append(f"{where}: kind {r['kind']!r}")
        if not r["name"] or not r["source"]:
            errors.append(f"{where}: empty name or source")
        if r["lat"] or r["lon"]:
            errors.append(f"{where}: lat/lon must be empty")
        if r["opened"] and not re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])", r["opened"]):
            errors.append(f"{where}: opened {r['opened']!r}")
        if r["fiscal_year"] and not re.fullmatch(r"20\d\d", r["fiscal_year"]):
            errors.append(f"{where}: fiscal_year {r['fiscal_year']!r}")
        if r["precision"] not in ("", "prefecture"):
            errors.append(f"{where}: precision {r['precision']!r}")
        pref, muni, code = r["prefecture"], r["municipality"], r["code"]
        if pref and pref not in prefs:
            errors.append(f"{where}: unknown prefecture {pref!r}")
        if muni:
            if r["precision"]:
                errors.append(f"{where}: precision must be empty when a municipality is given")
            codes = by_name.get((pref, muni))
            if not codes:
                if code:
                    errors.append(f"{where}: {pref}{muni} is not in N03 but has code {code}")
                else:
                    unplaced.append((r, f"{pref}{muni} matches no N03 municipality"))
            elif code not in codes:
                errors.append(f"{where}: code {code!r} does not match N03 {pref}{muni} {sorted(codes)}")
        else:
            if code:
                errors.append(f"{where}: code without municipality")
            if r["district"]:
                errors.append(f"{where}: district without municipality")
            if pref and r["precision"] != "prefecture":
                errors.append(f"{where}: prefecture-only row needs precision=prefecture")
            if not pref:
                if r["precision"]:
                    errors.append(f"{where}: precision without prefecture")
                unplaced.append((r, "no prefecture or municipality in the document"))

    # Kochi
    kochi = [r for r in rows if r["kind"] == "activity_centre" and r["prefecture"] == "高知県"]
    centres = {r["source_ref"] for r in kochi}
    munis = {r["code"] for r in kochi}
    multi = {s: sorted(r["municipality"] for r in kochi if r["source_ref"] == s) for s in centres}
    multi = {s: m for s, m in multi.items() if len(m) > 1}
    print("== Kochi 集落活動センター (kochi_activity_centres.csv)")
    print(f"rows: {len(kochi)}; distinct centres (source_ref): {len(centres)}; distinct municipalities: {len(munis)}")
    print(f"centres with more than one municipality row: {multi}")
    if len(centres) != 64:
        errors.append(f"Kochi: {len(centres)} distinct centres, expected 64")
    if len(munis) != 32:
        errors.append(f"Kochi: {len(munis)} distinct municipalities, expected 32")
    if sorted(int(s) for s in centres) != list(range(1, 65)):
        errors.append("Kochi: centre numbers are not exactly 1..64")
    if len(multi) != 1:
        errors.append(f"Kochi: expected exactly one centre spanning two municipalities, got {multi}")
    print("opening years:", dict(sorted(collections.Counter(r["opened"][:4] for r in kochi
                                                             if r["id"][-1] != "b").items())))
    print(f"latest opening: {max(r['opened'] for r in kochi)}")

    # case book
    cb = [r for r in rows if r["id"].startswith("sh2019-")]
    print(f"\n== 2019 「小さな拠点」づくり事例集: {len(cb)} cases")
    if len(cb) != 20:
        errors.append(f"case book: {len(cb)} rows, expected 20")

    # counts
    print("\n== rows per file")
    for f, c in sorted(per_file.items()):
        print(f"  {f}: {c}")
    print(f"  total: {len(rows)}")
    print("\n== rows per kind")
    for k, c in sorted(collections.Counter(r["kind"] for r in rows).items()):
        print(f"  {k}: {c}")
    print("\n== rows per fiscal_year (all files)")
    for k, c in sorted(collections.Counter(r["fiscal_year"] or "(none)" for r in rows).items()):
        print(f"  {k}: {c}")
    print("\n== model_project rows per fiscal_year and programme (rows / distinct projects = source_ref)")
    mp = [r for r in rows if r["kind"] == "model_project"]
    groups = collections.defaultdict(list)
    for r in mp:
        groups[(r["fiscal_year"] or "(none)", r["programme"])].append(r)
    for (fy, prog), rs in sorted(groups.items()):
        placed = sum(1 for r in rs if r["code"])
        pref_only = sum(1 for r in rs if r["precision"] == "prefecture")
        print(f"  {fy}  {prog}: {len(rs)} rows, {len({r['source_ref'] for r in rs})} projects "
              f"({placed} municipality rows, {pref_only} prefecture-only, {len(rs) - placed - pref_only} no area)")
    print(f"  model_project total: {len(mp)}")
    print("\n== prefecture-only rows (precision=prefecture)")
    for r in rows:
        if r["precision"] == "prefecture":
            print(f"  {r['id']}: {r['prefecture']}")
    print("\n== unplaced rows")
    for r, why in unplaced:
        print(f"  {r['id']}: {why}")
    if not unplaced:
        print("  (none)")
    corrected = [r for r in rows if "CORRECTED" in r["note"]]
    print("\n== corrected municipality names")
    for r in corrected:
        print(f"  {r['id']}: {r['prefecture']}{r['municipality']} — {r['note'].split(';')[0]}")

    # informational gazetteer match of districts
    if os.path.exists(a.gazetteer):
        towns = collections.defaultdict(set)
        with open(a.gazetteer, encoding="utf-8", newline="") as fh:
            for g in csv.DictReader(fh):
                m = g["municipality"]
                m = re.sub(r"^.+?郡", "", m)
                m = re.sub(r"^(.+?市).+区$", r"\1", m)
                m = m.replace("檮", "梼")  # gazetteer spelling variant (檮原町 = N03 梼原町)
                towns[(g["prefecture"], m)].add(g["town"])
        print("\n== districts vs gazetteer towns (informational; hubmap's geocoder also normalises)")
        tally = collections.Counter()
        for r in rows:
            d = r["district"]
            if not d:
                continue
            ts = towns.get((r["prefecture"], r["municipality"]), set())
            if d.endswith("全域"):
                status = "whole municipality"
            elif d in ts:
                status = "exact"
            else:
                parts = [p for p in d.split("・")]
                pref_hits = sorted(t for t in ts if any(t.startswith(p) or p.startswith(t) for p in parts))
                status = ("no exact town; candidates: " + ", ".join(pref_hits[:6])) if pref_hits else "NO MATCH"
            tally[status.split(";")[0]] += 1
            if status != "exact":
                print(f"  {r['id']} {r['municipality']} {d}: {status}")
        print("  summary:", dict(tally))

    print()
    if errors:
        print("FAILED:")
        for e in errors:
            print("  " + e)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
