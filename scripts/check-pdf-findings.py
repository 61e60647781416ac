#!/usr/bin/env python3
"""Runs `taizhang check --json` on the budget and final-account PDFs judged by
hand in tests/golden/check/pdf-findings.md and compares the findings with the
verdicts there:

  - a finding judged true must still be reported (same rule, same line);
  - a finding judged false must not come back;
  - a finding nobody has judged is listed: judge it in the .md.

  scripts/check-pdf-findings.py [path/to/taizhang]

Documents are the `## folder/file.pdf` sections of the .md and the list under
"Documents without findings" (which must stay without any). Exits 1 on any
difference, printing each.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("TAIZHANG_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "taizhang")
JUDGED = os.path.join(ROOT, "tests", "golden", "check", "pdf-findings.md")


def lines_of(cell):
    """'11–23' → 11..23, '60' → [60]."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:[–-]\s*(\d+))?\s*", cell)
    if not m:
        sys.exit(f"{JUDGED}: not a line or range: {cell!r}")
    first = int(m.group(1))
    last = int(m.group(2) or first)
    return range(first, last + 1)


def read_judged():
    """{document: {(rule, line): verdict}}, in the order of the file."""
    docs = {}
    current = None
    clean = False
    for raw in open(JUDGED, encoding="utf-8"):
        line = raw.rstrip("\n")
        if line.startswith("## "):
            title = line[3:].strip()
            clean = title == "Documents without findings"
            current = None if clean else docs.setdefault(title, {})
            continue
        if clean:
            for name in re.findall(r"[\w./-]+\.pdf", line):
                docs.setdefault(name, {})
            continue
        if current is None or not line.startswith("|") or line.startswith("|---") or line.startswith("| line"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) < 5:
            sys.exit(f"{JUDGED}: a row needs line | rule | finding | verdict | reason: {line}")
        verdict = cells[3]
        if verdict not in ("true", "false"):
            sys.exit(f"{JUDGED}: verdict must be true or false: {line}")
        for n in lines_of(cells[0]):
            current[(cells[1], n)] = verdict
    return docs


def findings_of(path):
    run = subprocess.run([BINARY, "check", "--json", path], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"taizhang check failed on {path} ({run.returncode}): {run.stderr}")
    f = json.loads(run.stdout)["files"][0]
    if not f.get("ok", True):
        sys.exit(f"taizhang could not read {path}: {f.get('error')}")
    return f["findings"]


def main():
    docs = read_judged()
    if len(docs) < 20:
        sys.exit(f"{JUDGED}: only {len(docs)} documents found")
    problems = 0
    kept = {"true": 0, "false": 0}
    for name, judged in docs.items():
        path = os.path.join(SHARED, "corpus", "more", name)
        if not os.path.exists(path):
            sys.exit(f"missing document {path}")
        reported = {}
        for f in findings_of(path):
            reported.setdefault((f["rule"], f["line"]), f["message"])
        for (rule, line), verdict in sorted(judged.items(), key=lambda x: x[0][1]):
            if verdict == "true" and (rule, line) not in reported:
                print(f"{name}:{line}: [{rule}] judged true, no longer reported")
                problems += 1
            elif verdict == "false" and (rule, line) in reported:
                print(f"{name}:{line}: [{rule}] judged false, reported again: {reported[(rule, line)]}")
                problems += 1
            else:
                kept[verdict] += 1
        for (rule, line), message in sorted(reported.items(), key=lambda x: x[0][1]):
            if (rule, line) not in judged:
                print(f"{name}:{line}: [{rule}] not judged yet (add it to pdf-findings.md): {message}")
                problems += 1
    print(f"{len(docs)} documents; true findings still reported: {kept['true']}; "
          f"false alarms still gone: {kept['false']}; differences: {problems}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
