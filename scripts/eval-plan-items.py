#!/usr/bin/env python3
"""Scores the plan items of `taizhang facts` against tests/golden/plan_items/more/*.tsv.

Each golden file lists, for the plan part of one report (a government work
report of ../shared/corpus/more or a unit plan of the seed compilation), what a
careful reader writes into a ledger (see tests/golden/plan_items/more/README.md):
  goal  every target of the 主要预期目标 passage, one row per figure;
  task  every figure of the work plan that a ledger tracks as an item of its own;
  not   clauses that are context, rhetoric or principles and never an item.
A row names an exact snippet of the text (`taizhang text`); the figure is
found inside it. A goal or task counts as found when one plan item contains
the figure, has that figure as its target quantity, and contains no other
golden target (for a goal without figure: one item covers most of the
snippet and holds no other golden target); the figures of one 分别 list share
their snippet, and an item may hold the whole list as long as its target is
the right figure. A deadline is right when a target is found and the item's
deadline ends on the golden date (counted over all targets with a deadline, so
that finding more targets never lowers the rate). A not-item became an item when
more than half of some item lies inside its snippet.

Prints one list per report (misses, merges, wrong figures, wrong deadlines,
not-items that became items) and a summary table; exits 1 when a rate is below
(or the share of not-items that became items above) the thresholds given, 2 when
a golden file does not fit its document.
Usage: scripts/eval-plan-items.py [TAIZHANG_BINARY] [--min-targets R] [--min-deadlines R]
       [--max-not-items R] [--max-rhetoric R] [--quiet] [GOLDEN.tsv …]
"""
import argparse, glob, json, os, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("TAIZHANG_SHARED_DIR", os.path.join(root, "..", "shared"))

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("binary", nargs="?", default=os.path.join(root, "build", "taizhang"))
ap.add_argument("goldens", nargs="*")
ap.add_argument("--min-targets", type=float, default=0.0,
                help="least share of golden targets found as their own item with the right figure")
ap.add_argument("--min-deadlines", type=float, default=0.0,
                help="least share of golden targets with a deadline found as their own item with that deadline")
ap.add_argument("--max-not-items", type=float, default=1.0,
                help="greatest share of golden not-items that became an item")
ap.add_argument("--max-rhetoric", type=float, default=1.0,
                help="greatest share of all items that lie inside a golden not-item")
ap.add_argument("--quiet", action="store_true", help="only the summary table")
args = ap.parse_args()
goldens = args.goldens or sorted(glob.glob(os.path.join(root, "tests/golden/plan_items/more/*.tsv")))

DIGITS = set("0123456789.．０１２３４５６７８９")


class GoldenError(Exception):
    pass


def read_golden(path):
    meta, rows = {}, []
    header_seen = False
    for number, raw in enumerate(open(path, encoding="utf-8"), start=1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            body = line[1:].strip()
            for key in ("file", "document", "plan_year"):
                if body.startswith(key + ":"):
                    meta[key] = body.split(":", 1)[1].strip()
            continue
        f = line.split("\t")
        if not header_seen:
            header_seen = True
            if f[0] == "kind":
                continue
        if len(f) != 7:
            raise GoldenError(f"{path}:{number}: 7 fields expected, {len(f)} found: {line}")
        kind, snippet, figure, measured, direction, bound, deadline = f
        if kind not in ("goal", "task", "not"):
            raise GoldenError(f"{path}:{number}: kind must be goal, task or not: {kind}")
        rows.append({"line": number, "kind": kind, "snippet": snippet, "figure": figure,
                     "measured": measured, "direction": direction, "bound": bound, "deadline": deadline})
    for key in ("file", "plan_year"):
        if key not in meta:
            raise GoldenError(f"{path}: header line '# {key}: …' missing")
    return meta, rows


def figure_offsets(snippet, figure):
    """Offsets of `figure` in `snippet` that are not part of a longer number."""
    out, start = [], 0
    while True:
        i = snippet.find(figure, start)
        if i < 0:
            return out
        start = i + 1
        before = snippet[i - 1] if i > 0 else ""
        after = snippet[i + len(figure)] if i + len(figure) < len(snippet) else ""
        if figure[0] in DIGITS and before in DIGITS:
            continue
        if figure[-1] in DIGITS and after in DIGITS:
            continue
        out.append(i)


class Document:
    """The text as taizhang reads it, with absolute offsets for (line, column)."""

    def __init__(self, text):
        self.text = text
        self.line_start = [0]
        for i, c in enumerate(text):
            if c == "\n":
                self.line_start.append(i + 1)
        # The text without line breaks (JoinedText drops \n and \r), mapped back.
        self.flat_to_abs = [i for i, c in enumerate(text) if c not in "\r\n"]
        self.abs_to_flat = {}
        for f, a in enumerate(self.flat_to_abs):
            self.abs_to_flat[a] = f
        self.flat = "".join(text[a] for a in self.flat_to_abs)

    def span(self, line, column, joined):
        """Absolute [begin, end) of a span that starts at (line, column) and reads `joined`."""
        if not joined or line < 1 or line > len(self.line_start):
            return None
        begin = self.line_start[line - 1] + column - 1
        f = self.abs_to_flat.get(begin)
        if f is None or self.flat[f:f + len(joined)] != joined:
            # Not where expected: take the nearest occurrence.
            hits, s = [], 0
            while True:
                i = self.flat.find(joined, s)
                if i < 0:
                    break
                hits.append(i)
                s = i + 1
            if not hits:
                return None
            f = min(hits, key=lambda h: abs(h - (self.abs_to_flat.get(begin, h))))
        return (self.flat_to_abs[f], self.flat_to_abs[f + len(joined) - 1] + 1)


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


_runs = {}


def run(binary, *argv):
    """Output of one taizhang command (each document is read once per command)."""
    key = (binary, *argv)
    if key in _runs:
        return _runs[key]
    out = subprocess.run([binary, *argv], capture_output=True)
    if out.returncode != 0:
        sys.exit(f"{binary} {' '.join(argv)}: exit {out.returncode}: {out.stderr.decode(errors='replace')}")
    _runs[key] = out.stdout.decode("utf-8")
    return _runs[key]


def locate(doc, rows, path):
    problems = []
    for r in rows:
        s = r["snippet"]
        first = doc.text.find(s)
        if first < 0:
            problems.append(f"{path}:{r['line']}: snippet not in the text: {s}")
            continue
        if doc.text.find(s, first + 1) >= 0:
            problems.append(f"{path}:{r['line']}: snippet occurs more than once: {s}")
            continue
        r["span"] = (first, first + len(s))
        r["fig"] = None
        if r["kind"] != "not" and r["figure"] != "-":
            offs = figure_offsets(s, r["figure"])
            if len(offs) != 1:
                problems.append(f"{path}:{r['line']}: figure {r['figure']} occurs {len(offs)} times in: {s}")
                continue
            r["fig"] = (first + offs[0], first + offs[0] + len(r["figure"]))
    if problems:
        raise GoldenError("\n".join(problems))


def score(path):
    meta, rows = read_golden(path)
    source = os.path.join(shared, meta["file"])
    if not os.path.exists(source):
        raise GoldenError(f"{path}: no such document: {source}")
    doc = Document(run(args.binary, "text", source))
    locate(doc, rows, path)
    facts = json.loads(run(args.binary, "facts", "--json", source))
    documents = facts["files"][0]["documents"]
    want = int(meta.get("document", "0") or 0)
    report = next((d for d in documents if d["index"] == want), None) if want else \
        (documents[0] if len(documents) == 1 else None)
    if report is None:
        raise GoldenError(f"{path}: document {want or '?'} not among the {len(documents)} reports of {source}")

    quantities = []
    for q in report["quantities"]:
        sp = doc.span(q["line"], q["column"], q["text"])
        if sp:
            quantities.append((q["text"], sp))
    items = []
    for p in report["plan_items"]:
        sp = doc.span(p["line"], p["column"], p["text"])
        if sp is None:
            raise GoldenError(f"{source}: plan item at {p['line']}:{p['column']} not found in the text: {p['text']}")
        target = None
        if p.get("target"):
            t = p["target"]["text"]
            target = [qs for qt, qs in quantities if qt == t and qs[0] >= sp[0] and qs[1] <= sp[1]]
        # When the item is due as the ledger records it: `due` (the stated
        # deadline, or the end of the plan year for an annual target), else
        # the stated deadline's end (output of builds before `due`).
        deadline = p.get("due") or ((p.get("deadline") or {}).get("end") if p.get("deadline") else None)
        items.append({"span": sp, "text": p["text"], "target": target,
                      "target_text": p["target"]["text"] if p.get("target") else "",
                      "deadline": deadline, "line": p["line"]})

    targets = [r for r in rows if r["kind"] != "not"]
    nots = [r for r in rows if r["kind"] == "not"]

    def golden_in(item, r):
        if r["fig"]:
            return r["fig"][0] >= item["span"][0] and r["fig"][1] <= item["span"][1]
        return overlap(item["span"], r["span"]) * 2 >= r["span"][1] - r["span"][0]

    result = {"name": os.path.basename(path)[:-4], "goals": 0, "goals_ok": 0, "tasks": 0, "tasks_ok": 0,
              "figureless": 0, "figureless_ok": 0, "deadlines": 0, "deadlines_ok": 0,
              "nots": len(nots), "nots_hit": 0, "items": len(items), "rhetoric": 0, "lines": []}
    out = result["lines"]
    for r in targets:
        holders = [it for it in items if golden_in(it, r)]
        # Figures of one 分别 list share their snippet: an item may hold the
        # whole list as long as its target is the right figure.
        alone = [it for it in holders
                 if not any(o is not r and o["snippet"] != r["snippet"] and golden_in(it, o) for o in targets)]
        if r["fig"]:
            good = [it for it in alone if it["target"] and any(overlap(q, r["fig"]) for q in it["target"])]
        else:
            good = alone
        key = "figureless" if not r["fig"] else ("goals" if r["kind"] == "goal" else "tasks")
        result[key] += 1
        if r["deadline"] != "-":
            result["deadlines"] += 1
        if good:
            result[key + "_ok"] += 1
            if r["deadline"] != "-":
                if any(it["deadline"] == r["deadline"] for it in good):
                    result["deadlines_ok"] += 1
                else:
                    out.append(f"  DEADLINE  {r['snippet']}  want {r['deadline']}  found "
                               f"{good[0]['deadline'] or '无'}")
            continue
        if not holders:
            why = "MISSING "
            shown = ""
        elif not alone:
            others = [o["figure"] if o["fig"] else o["snippet"] for o in targets
                      if o is not r and o["snippet"] != r["snippet"] and golden_in(holders[0], o)]
            why, shown = "MERGED  ", f"  with {'、'.join(others)} in «{holders[0]['text']}»"
        else:
            why, shown = "FIGURE  ", f"  target «{alone[0]['target_text'] or '无'}» in «{alone[0]['text']}»"
        out.append(f"  {why}  {r['kind']}  {r['figure']}  «{r['snippet']}»{shown}")

    rhetoric = set()
    for r in nots:
        hit = [i for i, it in enumerate(items)
               if overlap(it["span"], r["span"]) * 2 > it["span"][1] - it["span"][0]]
        if hit:
            result["nots_hit"] += 1
            rhetoric.update(hit)
            out.append(f"  NOT-ITEM  «{r['snippet']}»  became «{items[hit[0]]['text']}»")
    result["rhetoric"] = len(rhetoric)
    return result


def rate(a, b):
    return a / b if b else 1.0


results = []
try:
    for g in goldens:
        results.append(score(g))
except GoldenError as e:
    print(f"golden files and documents do not fit:\n{e}", file=sys.stderr)
    sys.exit(2)

if not args.quiet:
    for r in results:
        print(f"== {r['name']}")
        for line in r["lines"]:
            print(line)
        print()

cols = ["document", "goals", "tasks", "no figure", "targets", "deadline", "not-items→items", "items",
        "in not-items"]
table = []
tot = dict.fromkeys(["goals", "goals_ok", "tasks", "tasks_ok", "figureless", "figureless_ok", "deadlines",
                     "deadlines_ok", "nots", "nots_hit", "items", "rhetoric"], 0)
for r in results:
    for k in tot:
        tot[k] += r[k]
rows_out = results + [dict(tot, name="total")]
for r in rows_out:
    t_ok = r["goals_ok"] + r["tasks_ok"] + r["figureless_ok"]
    t_all = r["goals"] + r["tasks"] + r["figureless"]
    table.append([r["name"], f"{r['goals_ok']}/{r['goals']}", f"{r['tasks_ok']}/{r['tasks']}",
                  f"{r['figureless_ok']}/{r['figureless']}", f"{t_ok}/{t_all} {rate(t_ok, t_all):.3f}",
                  f"{r['deadlines_ok']}/{r['deadlines']} {rate(r['deadlines_ok'], r['deadlines']):.3f}",
                  f"{r['nots_hit']}/{r['nots']} {rate(r['nots_hit'], r['nots']):.3f}", str(r["items"]),
                  f"{r['rhetoric']} {rate(r['rhetoric'], r['items']):.3f}"])


def width(s):
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


widths = [max(width(row[i]) for row in table + [cols]) for i in range(len(cols))]
for row in [cols] + table[:-1] + [None] + table[-1:]:
    if row is None:
        print("  ".join("-" * w for w in widths))
        continue
    print("  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths)))
print("targets: found as their own item with the right figure (goals of 主要预期目标, figures of the work plan, "
      "goals without figure); deadline: found as their own item with the right deadline, of the targets with a deadline; not-items→items: golden not-items that became "
      "an item; in not-items: items lying inside a not-item, of all items")

t_ok = tot["goals_ok"] + tot["tasks_ok"] + tot["figureless_ok"]
t_all = tot["goals"] + tot["tasks"] + tot["figureless"]
checks = [("targets", rate(t_ok, t_all), ">=", args.min_targets),
          ("deadlines", rate(tot["deadlines_ok"], tot["deadlines"]), ">=", args.min_deadlines),
          ("not-items", rate(tot["nots_hit"], tot["nots"]), "<=", args.max_not_items),
          ("rhetoric", rate(tot["rhetoric"], tot["items"]), "<=", args.max_rhetoric)]
ok = True
for name, value, op, bar in checks:
    good = value >= bar if op == ">=" else value <= bar
    if not good:
        print(f"FAIL {name} {value:.3f} (wanted {op} {bar})")
        ok = False
sys.exit(0 if ok else 1)
