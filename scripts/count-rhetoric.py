#!/usr/bin/env python3
"""Share of rhetoric among the plan items of three county reports, judged by hand.

tests/golden/plan_items/rhetoric/*.tsv hold every plan item earlier builds
made of these reports, each judged by a person: item (a commitment someone can
be assigned and report done), rhetoric (context, principle, slogan, purpose
clause, lead-in, definition) or broken (a real commitment cut or glued so that
the row does not read on its own). Rows are matched by line and task text.

Runs `taizhang facts --tsv --table plan` on each report and prints, per report,
how many of today's items are judged item / rhetoric / broken and how many are
new (not judged yet: judge them and add them to the file). Exits 1 when the
rhetoric share of the judged items exceeds --max-rhetoric, 2 on a setup error.

Usage: scripts/count-rhetoric.py [TAIZHANG_BINARY] [--max-rhetoric R] [--show-new]
"""
import argparse
import csv
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("binary", nargs="?", default=os.path.join(root, "build", "taizhang"))
ap.add_argument("--max-rhetoric", type=float, default=1.0)
ap.add_argument("--show-new", action="store_true")
args = ap.parse_args()
shared = os.environ.get("TAIZHANG_SHARED_DIR", os.path.join(root, "..", "shared"))
folder = os.path.join(root, "tests", "golden", "plan_items", "rhetoric")

totals = {"items": 0, "item": 0, "rhetoric": 0, "broken": 0, "new": 0}
print(f"{'report':28} {'items':>6} {'item':>6} {'rhetoric':>9} {'broken':>7} {'new':>5} {'rhetoric share':>15}")
for name in sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".tsv")):
    judged = {}
    with open(os.path.join(folder, name + ".tsv"), encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t"):
        judged[(r["line"], r["task"])] = r["label"]
    path = os.path.join(shared, "corpus", "more", "county-gwr", name + ".txt")
    if not os.path.exists(path):
        sys.exit(f"count-rhetoric: {path} not found (set TAIZHANG_SHARED_DIR)")
    out = subprocess.run([args.binary, "facts", "--tsv", "--table", "plan", path],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        sys.exit(2)
    counts = {"item": 0, "rhetoric": 0, "broken": 0, "new": 0}
    new = []
    rows = list(csv.reader(out.stdout.splitlines()[1:], delimiter="\t"))
    for r in rows:
        label = judged.get((r[2], r[14]))
        if label is None:
            counts["new"] += 1
            new.append(f"{r[2]}\t{r[14]}")
        else:
            counts[label] += 1
    n = len(rows)
    share = counts["rhetoric"] / n if n else 0
    print(f"{name:28} {n:>6} {counts['item']:>6} {counts['rhetoric']:>9} {counts['broken']:>7} {counts['new']:>5} {share:>15.3f}")
    totals["items"] += n
    for k in counts:
        totals[k] += counts[k]
    if args.show_new:
        for x in new:
            print("    new:", x)
share = totals["rhetoric"] / totals["items"] if totals["items"] else 0
print(f"{'total':28} {totals['items']:>6} {totals['item']:>6} {totals['rhetoric']:>9} {totals['broken']:>7} {totals['new']:>5} {share:>15.3f}")
if share > args.max_rhetoric:
    print(f"rhetoric share {share:.3f} above {args.max_rhetoric}", file=sys.stderr)
    sys.exit(1)
