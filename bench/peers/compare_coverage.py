#!/usr/bin/python3
"""Checks that two coverage answers agree: presence exactly, areas within tolerances.

    compare_coverage.py REFERENCE.csv OTHER.csv [--rel-tol 0.005] [--share-tol 0.0005]
                        [--abs-tol-km2 0.01] [--area-tol 0.001] [--worst 5] [--label NAME]

Each CSV has one row per designated municipality with the columns code, hubs, covered_km2 and
area_km2 (hubmap's `coverage --format csv` has them among others). Rows are matched by code.

Agreement:
  presence     (hubs > 0) equal in every municipality. Differing hub counts are only noted: a
               point in the overlap of two municipality polygons is inside both for a plain
               point-in-polygon count, while a tool may give each hub to one municipality.
  covered_km2  per municipality |other − reference| ≤ rel_tol × reference (0.5%), or
               ≤ share_tol × the municipality's area (0.05 percentage points of covered share),
               or ≤ abs_tol_km2 (1 ha). The last two are for slivers: where a disk only grazes
               a municipality the covered area is a thin strip along the disk's edge, and a 0.1%
               difference in disk radius (PostGIS draws disks in UTM, whose scale is 0.9996–1.001)
               moves it by percents of itself; the share a planner reads moves by hundredths of a
               point.
               The national total must agree within rel_tol.
  area_km2     municipality areas within area_tol (0.1%), when both files have them.
Prints a summary and the worst disagreements; exits 1 when anything disagrees, 0 otherwise.
"""

import argparse
import sys

import pandas as pd


def load(path):
    table = pd.read_csv(path, dtype={"code": str})
    missing = {"code", "hubs", "covered_km2"} - set(table.columns)
    if missing:
        sys.exit(f"compare_coverage: {path}: missing column(s) {', '.join(sorted(missing))}; "
                 f"has {', '.join(table.columns)}")
    table["code"] = table["code"].str.zfill(5)
    columns = ["hubs", "covered_km2"] + (["area_km2"] if "area_km2" in table.columns else [])
    return table.set_index("code")[columns]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reference")
    parser.add_argument("other")
    parser.add_argument("--rel-tol", type=float, default=0.005)
    parser.add_argument("--share-tol", type=float, default=0.0005)
    parser.add_argument("--abs-tol-km2", type=float, default=0.01)
    parser.add_argument("--area-tol", type=float, default=0.001)
    parser.add_argument("--worst", type=int, default=5)
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    ref, other = load(args.reference), load(args.other)
    label = args.label or args.other
    ok = True
    only_ref = ref.index.difference(other.index)
    only_other = other.index.difference(ref.index)
    if len(only_ref) or len(only_other):
        ok = False
        print(f"{label}: municipality sets differ: {len(only_ref)} only in reference "
              f"({', '.join(only_ref[:5])}), {len(only_other)} only in other ({', '.join(only_other[:5])})")
    both = ref.join(other, lsuffix="_ref", rsuffix="_other", how="inner")
    if both.empty:
        print(f"{label}: no municipality in common: DISAGREE")
        return 1

    presence = (both["hubs_ref"] > 0) != (both["hubs_other"] > 0)
    counts = both["hubs_ref"] != both["hubs_other"]
    if presence.any():
        ok = False
        print(f"{label}: PRESENCE differs in {int(presence.sum())} municipalities:")
        for code, row in both[presence].head(args.worst).iterrows():
            print(f"  {code}: reference {row.hubs_ref} hubs, other {row.hubs_other}")
    if counts.any():
        print(f"{label}: note: hub counts differ in {int(counts.sum())} municipalities, presence in "
              f"{int(presence.sum())}: " + "; ".join(
                  f"{code} {row.hubs_other:.0f} vs {row.hubs_ref:.0f}"
                  for code, row in both[counts].head(args.worst).iterrows()))

    area = both["area_km2_ref"] if "area_km2_ref" in both else both.get("area_km2_other")
    if "area_km2_ref" in both and "area_km2_other" in both:
        area_rel = (both["area_km2_other"] - both["area_km2_ref"]).abs() / both["area_km2_ref"]
        if (area_rel > args.area_tol).any():
            ok = False
        print(f"{label}: municipality areas within {args.area_tol:.1%} in {int((area_rel <= args.area_tol).sum())}"
              f" of {len(both)} (worst {area_rel.max():.4%})")

    diff = (both["covered_km2_other"] - both["covered_km2_ref"]).abs()
    rel = (diff / both["covered_km2_ref"].where(both["covered_km2_ref"] > 0)).fillna(0.0)
    rel[(both["covered_km2_ref"] == 0) & (diff > 0)] = float("inf")
    share = diff / area if area is not None else pd.Series(0.0, index=both.index)
    agree = (rel <= args.rel_tol) | (diff <= args.abs_tol_km2) | (share <= args.share_tol if area is not None else False)
    total_ref, total_other = both["covered_km2_ref"].sum(), both["covered_km2_other"].sum()
    total_rel = (total_other - total_ref) / total_ref if total_ref > 0 else 0.0
    if not agree.all() or abs(total_rel) > args.rel_tol:
        ok = False
    print(f"{label}: covered area within {args.rel_tol:.1%} (or {args.share_tol:.2%} of the municipality, "
          f"or {args.abs_tol_km2} km²) "
          f"in {int(agree.sum())} of {len(both)}; within {args.rel_tol:.1%} alone in "
          f"{int((rel <= args.rel_tol).sum())}; total {total_other:.1f} vs {total_ref:.1f} km² ({total_rel:+.3%})")
    both = both.assign(diff_km2=diff, rel=rel, share=share)
    worst = both.sort_values(["rel", "diff_km2"], ascending=False).head(args.worst)
    print(f"{label}: largest relative differences: " + "; ".join(
        f"{code} {row.covered_km2_other:.3f} vs {row.covered_km2_ref:.3f} km² ({row.rel:.2%}, "
        f"{row.share:.3%} of the municipality)" for code, row in worst.iterrows()))
    if not agree.all():
        print(f"{label}: outside tolerance: " + "; ".join(
            f"{code} {row.covered_km2_other:.3f} vs {row.covered_km2_ref:.3f} km²"
            for code, row in both[~agree].head(args.worst).iterrows()))
    print(f"{label}: {'AGREE' if ok else 'DISAGREE'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
