#!/usr/bin/env bash
# CPU time of two builds on the same files, alternating, in one run: per
# command the median (and least) milliseconds of task-clock and MB per CPU
# second ("per core"). Usage: bench/speed.sh BEFORE/taizhang AFTER/taizhang
# DIR [ROUNDS] [COMMANDS…]; DIR holds the inputs (*.txt), e.g. the 390 files
# of bench/README.md (分析速度). Default commands: check --json, facts --json,
# facts, outline.
set -uo pipefail
before="$1"; after="$2"; dir="$3"; rounds="${4:-5}"
shift $(( $# >= 4 ? 4 : 3 ))
if [ $# -eq 0 ]; then set -- "check --json" "facts --json" "facts" "outline"; fi
bytes=$(cat "$dir"/*.txt | wc -c)
for c in "$@"; do
  a=(); b=()
  for _ in $(seq "$rounds"); do
    for which in before after; do
      bin=$before; [ $which = after ] && bin=$after
      # shellcheck disable=SC2086
      ms=$(perf stat -x, -e task-clock "$bin" $c -j 1 "$dir"/*.txt 2>&1 >/dev/null | grep task-clock | cut -d, -f1)
      if [ $which = before ]; then a+=("$ms"); else b+=("$ms"); fi
    done
  done
  python3 - "$c" "$bytes" "${a[*]}" "${b[*]}" <<'PY'
import sys, statistics
c, n = sys.argv[1], int(sys.argv[2])
a = [float(x) for x in sys.argv[3].split()]; b = [float(x) for x in sys.argv[4].split()]
f = lambda v: f"{statistics.median(v):7.0f} ({min(v):5.0f}) ms  {n/1e6/(statistics.median(v)/1e3):6.1f} ({n/1e6/(min(v)/1e3):6.1f}) MB/s"
print(f"{c:<14} before {f(a)}   after {f(b)}   {statistics.median(a)/statistics.median(b):.2f}x")
PY
done
