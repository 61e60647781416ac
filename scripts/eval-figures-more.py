#!/usr/bin/env python3
"""Scores `taizhang facts` against tests/golden/more/*.tsv.

figures.tsv was written first and the extractor tuned on it; heldout.tsv was
read from other documents after that tuning, to see how the figures hold up
on text not looked at while writing the rules. Each golden file lists, for some lines of documents in ../shared/corpus/more,
every figure a careful reader finds there (file, line, text, value, unit,
approx, change, measured). Found and gold figures are paired by (file, line,
text) in order. Prints precision, recall, the accuracy of value, unit, approx
and change over the pairs, and how often measured agrees (one phrase holds
the other); lists every miss, extra and wrong field. Exit 1 when precision <
0.99, recall < 0.98 or a field < 0.98.
Usage: scripts/eval-figures-more.py [TAIZHANG_BINARY] [GOLDEN.tsv …]
(default: the three golden files, each scored on its own; heldout2.tsv was read
after the second tuning, before any change made for it)
"""
import json, os, subprocess, sys
from collections import defaultdict
from decimal import Decimal

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("TAIZHANG_SHARED_DIR", os.path.join(root, "..", "shared"))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build", "taizhang")
goldens = sys.argv[2:] or [os.path.join(root, "tests/golden/more", n) for n in ("figures.tsv", "heldout.tsv", "heldout2.tsv")]


def norm_value(v):
    if v in (None, "?"):
        return "?"
    if "~" in str(v):
        return "~".join(format(Decimal(x).normalize(), "f") for x in str(v).split("~"))
    return format(Decimal(str(v)).normalize(), "f")


def score(golden, label):
    gold = defaultdict(list)  # (file, line) -> [(text, value, unit, approx, change, measured)]
    for row in open(golden, encoding="utf-8"):
        row = row.rstrip("\n")
        if not row or row.startswith("#"):
            continue
        f = row.split("\t")
        if len(f) != 8:
            sys.exit(f"figures.tsv: 8 fields expected: {row}")
        gold[(f[0], int(f[1]))]  # the line is in scope even with no figure
        if f[2] != "-":
            gold[(f[0], int(f[1]))].append((f[2], norm_value(f[3]), f[4], f[5], f[6], f[7]))

    found = defaultdict(list)
    for name in sorted({k[0] for k in gold}):
        path = os.path.join(shared, "corpus/more", name)
        out = subprocess.run([binary, "facts", "--json", path], capture_output=True, check=True).stdout
        for doc in json.loads(out)["files"][0]["documents"]:
            for q in doc["quantities"]:
                key = (name, q["line"])
                if key in gold:
                    value = norm_value(q["value"])
                    if q.get("high") is not None:
                        value += "~" + norm_value(q["high"])
                    found[key].append((q["text"], value, q["unit"], q["approx"], q["change"], q["measured"]))

    fields = ["value", "unit", "approx", "change"]
    right = dict.fromkeys(fields + ["measured"], 0)
    pairs = misses = extras = 0
    n_gold = sum(len(v) for v in gold.values())
    n_found = sum(len(v) for v in found.values())
    for key in sorted(gold):
        g, f = list(gold[key]), list(found[key])
        used = [False] * len(f)
        for gi in g:
            j = next((j for j, fi in enumerate(f) if not used[j] and fi[0] == gi[0]), None)
            if j is None:
                misses += 1
                print("MISS  ", key[0], key[1], *gi[:5], sep="\t")
                continue
            used[j] = True
            pairs += 1
            fi = f[j]
            for k, name in enumerate(fields, start=1):
                if fi[k] == gi[k]:
                    right[name] += 1
                else:
                    print("WRONG ", key[0], key[1], gi[0], name, f"gold={gi[k]}", f"found={fi[k]}", sep="\t")
            gm, fm = gi[5], fi[5]
            if (gm == fm) or (gm and fm and (gm in fm or fm in gm)):
                right["measured"] += 1
            elif os.environ.get("SHOW_MEASURED"):
                print("MEAS  ", key[0], key[1], gi[0], f"gold={gm}", f"found={fm}", sep="\t")
        for j, fi in enumerate(f):
            if not used[j]:
                extras += 1
                print("EXTRA ", key[0], key[1], *fi[:5], sep="\t")

    precision = pairs / max(1, n_found)
    recall = pairs / max(1, n_gold)
    docs = len({k[0] for k in gold})
    print(f"{label}: documents {docs}  lines {len(gold)}  gold {n_gold}  found {n_found}  paired {pairs}  "
          f"precision {precision:.4f}  recall {recall:.4f}")
    print("  ".join(f"{k} {right[k] / max(1, pairs):.4f}" for k in fields + ["measured"]))
    ok = precision >= 0.99 and recall >= 0.98 and all(right[k] / max(1, pairs) >= 0.98 for k in fields)
    return ok, gold, found


ok = True
documents, figures = set(), 0
for golden in goldens:
    ok_one, g, f = score(golden, os.path.basename(golden))
    ok = ok and ok_one
    documents |= {k[0] for k in g}
    figures += sum(len(v) for v in g.values())
if figures < 300 or len(documents) < 8:
    print(f"too few golden figures: {figures} in {len(documents)} documents (>= 300 in >= 8 wanted)")
    ok = False
sys.exit(0 if ok else 1)
