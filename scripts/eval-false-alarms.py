#!/usr/bin/env python3
"""Lists every error-severity finding `taizhang check` gives on real reports
that are believed to be correct, so that each can be judged by hand:

  - the four 2025 provincial government work reports in ../shared/corpus/docx/,
    read as Word files by taizhang itself;
  - the two 2026 reports in ../shared/corpus/pairs/ (crawled web pages; their
    web-page controls 下载/打印/全屏… at the top are real junk and expected).

  scripts/eval-false-alarms.py [path/to/taizhang]

Exits 1 when any error other than the expected web-page controls is found.
"""
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("TAIZHANG_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "taizhang")


def errors_of(path):
    run = subprocess.run([BINARY, "check", "--json", path], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"taizhang check failed on {path} ({run.returncode}): {run.stderr}")
    findings = json.loads(run.stdout)["files"][0]["findings"]
    return [f for f in findings if f["severity"] == "error"]


def main():
    unexpected = 0
    inputs = []
    for docx in sorted(glob.glob(os.path.join(SHARED, "corpus", "docx", "*.docx"))):
        inputs.append((os.path.basename(docx), docx, False))
    for page in sorted(glob.glob(os.path.join(SHARED, "corpus", "pairs", "*.txt"))):
        inputs.append((os.path.basename(page), page, True))
    if not inputs:
        sys.exit(f"no reports found under {SHARED}/corpus")
    for name, path, crawled in inputs:
        errors = errors_of(path)
        expected = [f for f in errors if crawled and f["rule"] == "web-junk" and f["document"] is None]
        others = [f for f in errors if f not in expected]
        unexpected += len(others)
        print(f"{name}: {len(errors)} error findings ({len(expected)} web-page controls expected)")
        for f in others:
            print(f"  {f['line']}:{f['column']} [{f['rule']}] {f['message']}")
    print(f"unexpected error findings: {unexpected}")
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
