#!/usr/bin/env bash
# Whether the time of one long report grows with its length and no faster:
# `check --no-split` (the whole input one report, so every per-report pass —
# contradictions, duplicates, restated figures, placeholders — sees all of
# it) on the seed compilation repeated to 5, 10 and 20 MB. Prints seconds,
# MB/s, peak memory and the exponent k of time ∝ size^k between each step
# (1.0 = linear; the goal is ≤ 1.1 from 10 to 20 MB). Repeating the seed
# makes every sentence a duplicate and every figure restated: the worst case
# for those passes, not a typical report. Usage: bench/scaling.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
seed="$root/../shared/corpus/seed/000_149dd883a1863841.txt"
[ -x "$build/taizhang" ] || "$root/scripts/build.sh" "$build" >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$seed" "$work" <<'PY'
import sys
seed, work = sys.argv[1], sys.argv[2]
data = open(seed, 'rb').read()
for mb in (5, 10, 20):
    n = int(mb * 1e6) // len(data) + 1
    open(f'{work}/s{mb}.txt', 'wb').write(data * n)
PY
prev_t=""; prev_s=""
for mb in 5 10 20; do
  f="$work/s$mb.txt"
  size=$(stat -c %s "$f")
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$build/taizhang" check --no-split --json "$f" >/dev/null || [ $? -eq 1 ]
  end=$(date +%s.%N)
  python3 - "$mb" "$size" "$start" "$end" "$(tail -1 "$work/rss")" "$prev_t" "$prev_s" <<'PY'
import math, sys
mb, size, start, end, rss, pt, ps = sys.argv[1:]
t = float(end) - float(start)
k = ''
if pt:
    k = f'  exponent {math.log(t / float(pt)) / math.log(int(size) / int(ps)):.2f}'
print(f'check --no-split --json {int(size)/1e6:5.1f} MB  {t:6.2f} s  {int(size)/1e6/t:5.1f} MB/s  peak {int(rss)/1024:5.0f} MB{k}')
PY
  prev_t=$(python3 -c "print($end-$start)"); prev_s=$size
done
