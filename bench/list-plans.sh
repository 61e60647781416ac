#!/usr/bin/env bash
# The plans of the server's item list queries (bench/list-queries.sql) on a
# ledger filled by `ledger_bench list` (100,000 items):
#   bench/list-plans.sh taizhang.db            EXPLAIN QUERY PLAN of each (SQLite)
#   bench/list-plans.sh postgresql://…  [N]    EXPLAIN ANALYZE of each, N times (default 10):
#                                              the plan, and the median and largest
#                                              server execution time in ms
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$1"
runs="${2:-10}"
queries="$root/bench/list-queries.sql"
if [[ "$target" != postgres* ]]; then
  sed -e 's/EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)/EXPLAIN QUERY PLAN/' \
      -e 's/strpos(task, \(.*\)) > 0/instr(task, \1) > 0/' -e 's/^\\echo \(.*\)$/SELECT \1;/' -e '/^--/d' "$queries" |
    sqlite3 "$target"
  exit 0
fi
psql "$target" -qX -c "ANALYZE ledger_items" >/dev/null
python3 - "$target" "$queries" "$runs" <<'PY'
import re, statistics, subprocess, sys
url, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
label = ''
for line in open(path, encoding='utf-8'):
    line = line.strip()
    if line.startswith('\\echo'):
        label = line.split("'")[1]
        print(f'== {label}')
        continue
    if not line.startswith('EXPLAIN'):
        continue
    times, plan = [], ''
    for _ in range(runs):
        out = subprocess.run(['psql', url, '-qAtX', '-c', line], capture_output=True, text=True, check=True).stdout
        times.append(float(re.search(r'Execution Time: ([0-9.]+) ms', out).group(1)))
        plan = out
    nodes = [l.strip() for l in plan.splitlines() if re.search(r'Scan|Sort|Limit|Aggregate', l) and 'Time' not in l]
    print(f'   {" / ".join(n.lstrip("-> ") for n in nodes)}')
    print(f'   median {statistics.median(times):.2f} ms, max {max(times):.2f} ms ({runs} runs)')
PY
