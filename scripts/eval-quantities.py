#!/usr/bin/env python3
"""Scores `taizhang facts` against ../shared/gold/seed-quantities.jsonl.

Compares (line, text, value, unit, approx, placeholder) on the gold's scope
(lines 54-94, 242-268, 362-406 of the seed), prints precision and recall and
lists every miss and every extra. Exit 1 below the bar (P >= 0.99, R >= 0.98).
Usage: scripts/eval-quantities.py [TAIZHANG_BINARY]
"""
import json, os, subprocess, sys
from decimal import Decimal

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("TAIZHANG_SHARED_DIR", os.path.join(root, "..", "shared"))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build", "taizhang")
seed = os.path.join(shared, "corpus/seed/000_149dd883a1863841.txt")
scope = [(54, 94), (242, 268), (362, 406)]

def in_scope(line):
    return any(a <= line <= b for a, b in scope)

def norm_value(v):
    return None if v is None else Decimal(str(v)).normalize()

def key(line, text, value, unit, approx, placeholder):
    return (line, text, norm_value(value), unit, approx, bool(placeholder))

gold = []
for row in open(os.path.join(shared, "gold/seed-quantities.jsonl"), encoding="utf-8"):
    g = json.loads(row)
    gold.append(key(g["line"], g["text"], g["value"], g["unit"], g["approx"], g["placeholder"]))

out = subprocess.run([binary, "facts", "--json", seed], capture_output=True, check=True).stdout
found = []
for doc in json.loads(out)["files"][0]["documents"]:
    for q in doc["quantities"]:
        if in_scope(q["line"]):
            found.append(key(q["line"], q["text"], q["value"], q["unit"], q["approx"], q["placeholder"]))

from collections import Counter
g, f = Counter(gold), Counter(found)
tp = sum((g & f).values())
precision = tp / max(1, sum(f.values()))
recall = tp / max(1, sum(g.values()))
for k in sorted((g - f).elements()):
    print("MISS  ", *k)
for k in sorted((f - g).elements()):
    print("EXTRA ", *k)
print(f"gold {sum(g.values())}  found {sum(f.values())}  correct {tp}  "
      f"precision {precision:.4f}  recall {recall:.4f}")
sys.exit(0 if precision >= 0.99 and recall >= 0.98 else 1)
