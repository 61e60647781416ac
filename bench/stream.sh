#!/usr/bin/env bash
# A run over many files: `taizhang check --json` and `taizhang outline` over
# 5, 50 and 500 files, on one thread and on two (-j 1, -j 2), for speed and
# peak resident memory (/usr/bin/time -v, "Maximum resident set size"), which
# should stay flat as the run grows: files are analyzed a few at a time and
# each one's part of the output written when it is done. Speed is given twice:
# MB/s of input over wall time, and MB per CPU second (user + system time of
# the whole process: reading, analysis, writing), which does not depend on
# what else the machine is running; "-j2/-j1" is the wall-time speed-up of
# two threads over one. "first" is the time until the first file's part
# reaches stdout (before: the end of the run; check only).
# The files: the real reports of ../shared/corpus/more (text and Word) and
# the 16 reports of the seed compilation, each its own file, taken in turn
# until there are enough (copies: 500 files hold about 72 distinct reports).
# They are made in a temporary folder and removed at the end.
# Usage: bench/stream.sh [COUNTS…]   (default 5 50 500; env TAIZHANG: the
# binary to measure, e.g. another build for a before/after comparison; one
# without -j is measured once, as it runs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(5 50 500)
shared="$root/../shared/corpus"
cli="${TAIZHANG:-$root/build/taizhang}"
if [ -z "${TAIZHANG:-}" ]; then "$root/scripts/build.sh" "$root/build" >/dev/null; fi
work="$(mktemp -d /tmp/taizhang-stream-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

python3 - "$shared" "$work" "${counts[@]}" <<'PY'
import os, shutil, sys
shared, work, counts = sys.argv[1], sys.argv[2], [int(c) for c in sys.argv[3:]]
sources = []
for folder, _, names in sorted(os.walk(f"{shared}/more")):
    for name in sorted(names):
        if name.endswith((".txt", ".docx")):
            sources.append(os.path.join(folder, name))
# The seed compilation, one file per report: (title line, last line), 1-based.
lines = open(f"{shared}/seed/000_149dd883a1863841.txt", encoding="utf-8").read().split("\n")
ranges = [(27, 50), (54, 91), (95, 116), (120, 145), (150, 166), (171, 198), (202, 217), (221, 238),
          (242, 265), (269, 297), (301, 313), (317, 358), (362, 404), (407, 489), (493, 539), (543, 577)]
os.mkdir(f"{work}/seed")
for k, (a, b) in enumerate(ranges):
    path = f"{work}/seed/{k:02d}.txt"
    open(path, "w", encoding="utf-8").write("\n".join(lines[a - 1:b]) + "\n")
    sources.append(path)
for n in counts:
    os.mkdir(f"{work}/{n}")
    for k in range(n):
        src = sources[k % len(sources)]
        shutil.copyfile(src, f"{work}/{n}/{k:04d}{os.path.splitext(src)[1]}")
print(f"{len(sources)} distinct reports ({sum(os.path.getsize(s) for s in sources) / 1e6:.1f} MB)")
PY

jobs=(1 2)
"$cli" check --help | grep -q -- --jobs || jobs=("")
printf '%-8s %-6s %-4s %8s %8s %8s %9s %11s %9s %8s %8s\n' command files -j MB seconds MB/s "CPU s" "MB/CPU s" "peak MB" first -j2/-j1
for n in "${counts[@]}"; do
  bytes=$(cat "$work/$n"/* | wc -c)
  for command in check outline; do
    args=("$command")
    [ "$command" = check ] && args+=(--json)
    one=""
    for j in "${jobs[@]}"; do
      start=$(date +%s.%N)
      # check exits 1 when it finds errors, which these reports have.
      /usr/bin/time -v -o "$work/time" "$cli" "${args[@]}" ${j:+-j "$j"} "$work/$n"/* >/dev/null || [ $? -eq 1 ]
      end=$(date +%s.%N)
      rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
      cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/time")
      first="—"
      if [ "$command" = check ]; then
        first=$(python3 - "$cli" "$j" "$work/$n" <<'PY'
import os, subprocess, sys, time
cli, j, folder = sys.argv[1], sys.argv[2], sys.argv[3]
args = [cli, "check", "--json"] + (["-j", j] if j else []) + [os.path.join(folder, f) for f in sorted(os.listdir(folder))]
start = time.monotonic()
proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
seen = b""
while b'"path"' not in seen:
    chunk = proc.stdout.read1(65536)
    if not chunk:
        break
    seen += chunk
print(f"{time.monotonic() - start:.2f}")
proc.kill()
proc.wait()
PY
)
      fi
      wall=$(python3 -c "print($end - $start)")
      ratio="—"
      if [ -z "$one" ]; then one=$wall; else ratio=$(python3 -c "print(f'{$one / $wall:.2f}')"); fi
      python3 -c "
t, c = $wall, max($cpu, 0.01)
print(f'{\"$command\":<8} {$n:<6} {\"${j:-—}\":<4} {$bytes/1e6:8.1f} {t:8.2f} {$bytes/1e6/t:8.2f} {c:9.2f} {$bytes/1e6/c:11.2f} {$rss/1024:9.0f} {\"$first\":>8} {\"$ratio\":>8}')"
    done
  done
done
