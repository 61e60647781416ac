#!/usr/bin/env python3
"""The progress line of a run over many files, seen from a terminal.

`taizhang check` over copies of the seed compilation runs with stderr on a
pseudo-terminal (stdout to a file): the line "已完成 N/M 个文件，… MB/s" is
drawn, rewritten in place with \\r, and cleared at the end, so the terminal
is left clean; stdout holds only the JSON. With --no-progress, or with
stderr not a terminal, nothing of it is written (the CLI tests run through
pipes; Cli.NoProgressLineWhenStderrIsNotATerminal).
Usage: progress_line_test.py TAIZHANG
"""
import json
import os
import pty
import shutil
import subprocess
import sys
import tempfile

CLEAR = "\r\x1b[K"


def run_on_terminal(args, out_path):
    """Runs args with stderr on a pty, stdout into out_path; (exit code, stderr text)."""
    master, slave = pty.openpty()
    with open(out_path, "wb") as out:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return proc.wait(), seen.decode("utf-8", "replace")


def main():
    cli = sys.argv[1]
    shared = os.environ.get("TAIZHANG_SHARED_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    seed = os.path.join(shared, "corpus", "seed", "000_149dd883a1863841.txt")
    work = tempfile.mkdtemp(prefix="taizhang-progress-")
    failures = []
    try:
        files = []
        for k in range(12):
            path = os.path.join(work, f"{k:02d}.txt")
            shutil.copyfile(seed, path)
            files.append(path)
        out = os.path.join(work, "out.json")

        code, err = run_on_terminal([cli, "check", "--json", "-j", "2"] + files, out)
        if code != 1:
            failures.append(f"check exited {code}, expected 1 (the seed has errors): {err!r}")
        if "已完成 12/12 个文件" not in err or "MB/s" not in err:
            failures.append(f"no progress line on the terminal: {err!r}")
        if not err.startswith(CLEAR) or not err.endswith(CLEAR):
            failures.append(f"the line is not drawn and cleared in place: {err[:80]!r} … {err[-80:]!r}")
        json.load(open(out, encoding="utf-8"))  # stdout holds the JSON alone

        code, err = run_on_terminal([cli, "check", "--json", "--no-progress"] + files, out)
        if err:
            failures.append(f"--no-progress still wrote to the terminal: {err!r}")

        # An unreadable file's message is written on a clean line, not after the progress.
        code, err = run_on_terminal([cli, "outline", "-j", "1"] + files[:3] + [os.path.join(work, "无此文件.txt")] + files[3:], out)
        if code != 5:
            failures.append(f"outline with a missing file exited {code}, expected 5")
        for line in err.split("\n"):
            if "无此文件" in line and not line.split(CLEAR)[-1].startswith("taizhang："):
                failures.append(f"the message shares its line with the progress: {line!r}")
    finally:
        shutil.rmtree(work)
    for f in failures:
        print("FAIL:", f)
    print("progress line:", "ok" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
