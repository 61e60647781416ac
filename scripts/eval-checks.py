#!/usr/bin/env python3
"""Measures `taizhang check` against ../shared/gold/seed-checks.json.

  scripts/eval-checks.py [path/to/taizhang]

must_find: each defect must be reported by a finding of its family whose
line or related lines cover every line the label lists (placeholders: at
least min_count findings; the broken line: rejoined by the outline).
must_verify: each relation must be found as a consistent relation of its
family on its lines, with at least two of the label's numbers among its
figures — and no error finding of a relation rule may sit on its lines.
Prints the figures and every miss; exits 1 when a must_find is missed, an
error sits on a must_verify relation, or fewer than 90% are verified.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("TAIZHANG_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "taizhang")

FIND_RULES = {
    "contradiction": {"contradiction"},
    "part-whole": {"part-exceeds-whole", "sum-mismatch", "remainder-mismatch"},
    "malformed-number": {"malformed-number"},
    "placeholder": {"placeholder-number", "placeholder-name"},
    "numbering": {"numbering-bracket", "numbering-mixed-style", "numbering-skip", "numbering-repeat",
                  "numbering-order", "enumeration-slip"},
    "junk": {"web-junk"},
    "obfuscation": {"letter-d-for-party"},
}
VERIFY_FAMILIES = {
    "sum": {"sum", "unit-sum", "remainder"},
    "remainder": {"remainder", "part-whole"},
    "rate": {"rate"},
    "part-whole": {"part-whole", "sum", "remainder"},
    "unit-sum": {"unit-sum", "sum"},
    "enumeration": {"enumeration"},
}
RELATION_RULES = {"sum-mismatch", "remainder-mismatch", "rate-mismatch", "part-exceeds-whole", "unit-sum-mismatch",
                  "enumeration-count", "rate-over-100", "contradiction"}


def numbers(text):
    """The numbers of a gold relation text, before any explanation in brackets."""
    head = re.split(r"[（(]", text, 1)[0]
    return {float(n) for n in re.findall(r"\d+(?:\.\d+)?", head)}


def main():
    gold = json.load(open(os.path.join(SHARED, "gold", "seed-checks.json"), encoding="utf-8"))
    seed = os.path.join(SHARED, gold["source"])
    run = subprocess.run([BINARY, "check", "--json", seed], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"taizhang check failed ({run.returncode}): {run.stderr}")
    result = json.loads(run.stdout)["files"][0]
    findings = result["findings"]
    relations = [r for doc in result["documents"] for r in doc["relations"]]
    outline = json.loads(subprocess.run([BINARY, "outline", "--json", seed], capture_output=True, text=True).stdout)
    rejoined = {tuple(p) for p in outline["files"][0]["rejoined_lines"]}

    found = 0
    failures = 0
    print("must_find:")
    for entry in gold["must_find"]:
        family = entry["family"]
        if family == "layout":
            ok = tuple(entry["lines"]) in rejoined
            detail = "rejoined by the outline" if ok else "not rejoined"
        elif "min_count" in entry:
            n = sum(1 for f in findings if f["rule"] in FIND_RULES[family])
            ok = n >= entry["min_count"]
            detail = f"{n} findings (min {entry['min_count']})"
        else:
            covered = set()
            for f in findings:
                if f["rule"] in FIND_RULES[family]:
                    lines = {f["line"]} | {p["line"] for p in f["related"]}
                    if lines & set(entry["lines"]):
                        covered |= lines
            missing = sorted(set(entry["lines"]) - covered)
            ok = not missing
            detail = "covered" if ok else f"missing lines {missing}"
        found += ok
        failures += not ok
        print(f"  {'ok  ' if ok else 'MISS'} {entry['id']:<36} {detail}")

    verified = 0
    print("must_verify:")
    for entry in gold["must_verify"]:
        lines = set(entry["lines"])
        want = numbers(entry["relation"])
        families = VERIFY_FAMILIES.get(entry["family"], {entry["family"]})
        match = None
        for r in relations:
            figure_lines = {f["line"] for f in r["figures"]} | {r["line"]}
            if r["family"] not in families or not (figure_lines & lines):
                continue
            # Values as normalised and as written (7.2万平方米 is 72000 and 7.2).
            values = {float(f["value"]) for f in r["figures"] if f["value"] is not None}
            values |= {float(n) for f in r["figures"] for n in re.findall(r"\d+(?:\.\d+)?", f["text"])}
            if r["family"] == "enumeration":
                ok_values = True
            else:
                ok_values = len(values & want) >= 2 or (len(want) <= 2 and values & want)
            if ok_values:
                match = r
                if r["status"] == "consistent":
                    break
        errors = [f for f in findings if f["rule"] in RELATION_RULES and f["severity"] == "error" and f["line"] in lines
                  and f["rule"] != "contradiction"]
        ok = match is not None and match["status"] == "consistent"
        verified += ok
        if errors:
            failures += 1
        status = "verified" if ok else (f"found, {match['status']}" if match else "not found")
        extra = f"  ERROR REPORTED: {errors[0]['message']}" if errors else ""
        print(f"  {'ok  ' if ok else 'MISS'} {entry['id']:<28} {status}{extra}")

    total_find = len(gold["must_find"])
    total_verify = len(gold["must_verify"])
    print(f"must_find {found}/{total_find}; must_verify {verified}/{total_verify} "
          f"({100.0 * verified / total_verify:.1f}%); error findings on must_verify lines: "
          f"{'none' if failures == total_find - found else 'yes'}")
    if verified < 0.9 * total_verify:
        print("below the bar: at least 90% of must_verify must be verified")
        failures += 1
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
