#!/usr/bin/env python3
"""Runs the README's ten-minute tour as a newcomer would and checks that it
still says what taizhang does: every `$ build/taizhang …` block is run in
order, in a scratch directory that sees the repo's examples/ (so the relative
paths and the default taizhang.db behave as in the repo root), and every line
of the block's shown output, apart from "…" elisions, must appear in the
real output, in order. Exit codes must be 0.

Usage: scripts/check-readme-tour.py PATH/TO/taizhang [README.md]
"""
import os
import pathlib
import re
import shlex
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def blocks(readme: str):
    """(command, expected lines) for each fenced block starting with `$ build/taizhang`."""
    for body in re.findall(r"```[^\n]*\n(.*?)```", readme, re.S):
        lines = body.rstrip("\n").split("\n")
        if not lines[0].startswith("$ build/taizhang "):
            continue
        yield lines[0][2:], [l.rstrip() for l in lines[1:] if l.strip() and l.strip() != "…"]


def main() -> int:
    cli = pathlib.Path(sys.argv[1]).resolve()
    readme = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else ROOT / "README.md").read_text(encoding="utf-8")
    tour = list(blocks(readme))
    if len(tour) < 5:
        print(f"README: only {len(tour)} tour commands found")
        return 1
    failures = 0
    with tempfile.TemporaryDirectory(prefix="taizhang-tour-") as scratch:
        os.symlink(ROOT / "examples", pathlib.Path(scratch) / "examples")
        env = dict(os.environ, TZ="UTC")
        env.pop("TAIZHANG_DB", None)
        env.pop("TAIZHANG_USER", None)
        for command, expected in tour:
            argv = shlex.split(command)
            argv[0] = str(cli)
            run = subprocess.run(argv, cwd=scratch, env=env, capture_output=True, text=True, timeout=300)
            actual = [l.rstrip() for l in (run.stdout + run.stderr).split("\n")]
            problems = []
            if run.returncode != 0:
                problems.append(f"exit code {run.returncode}")
            at = 0
            for line in expected:
                try:
                    at = actual.index(line, at) + 1
                except ValueError:
                    problems.append(f"missing or out of order: {line!r}")
            if problems:
                failures += 1
                print(f"FAIL {command}")
                for p in problems:
                    print("   ", p)
                print("    actual output:\n      " + "\n      ".join(actual))
            else:
                print(f"ok   {command}")
    print(f"{len(tour) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
