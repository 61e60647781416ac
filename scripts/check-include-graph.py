#!/usr/bin/env python3
"""Checks that the folders of src/ form a pipeline: every #include "stage/…"
of a library or front-end source points to its own folder or to an earlier
stage in ORDER. A cycle, or a stage reaching forward (the store including a
renderer), fails with the offending file and line. Tests (*_test.cc) may
include anything.

Usage: scripts/check-include-graph.py [SRC_DIR]
"""
import pathlib
import re
import sys

# The stages in the order data flows; each may include only itself and the
# ones before it. The command line (cli) starts the server, so server
# comes before it.
ORDER = ["common", "ingest", "outline", "extract", "check", "pipeline", "ledger", "compare", "output", "document", "app",
         "access", "remind", "search", "server", "cli"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"')


def main() -> int:
    src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent / "src")
    rank = {name: i for i, name in enumerate(ORDER)}
    problems = []
    edges = {}
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cc") or path.name.endswith("_test.cc"):
            continue
        folder = path.relative_to(src).parts[0]
        if folder not in rank:
            problems.append(f"{path}: folder '{folder}' is not a known stage (add it to ORDER)")
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m or m.group(1) == folder:
                continue
            target = m.group(1)
            if target == "generated":  # build outputs made from data/ and CMake (rule ids, version)
                continue
            if target not in rank:
                problems.append(f"{path}:{number}: includes unknown folder '{target}'")
                continue
            edges.setdefault(folder, set()).add(target)
            if rank[target] > rank[folder]:
                problems.append(f"{path}:{number}: stage '{folder}' includes later stage '{target}' ({line.strip()})")
    # A cycle implies a forward edge, but say it as one too.
    seen, stack = set(), []

    def visit(node):
        if node in stack:
            problems.append("cycle: " + " → ".join(stack[stack.index(node):] + [node]))
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            visit(nxt)
        stack.pop()

    for node in sorted(edges):
        visit(node)
    for p in problems:
        print(p)
    if problems:
        return 1
    print("include graph: " + "; ".join(f"{a} → {', '.join(sorted(b))}" for a, b in sorted(edges.items(),
                                                                          key=lambda kv: rank[kv[0]])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
