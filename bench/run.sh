#!/usr/bin/env bash
# Outline and facts throughput on the seed repeated to ~100 MB, single
# thread, with baselines a user would otherwise run over the same bytes:
#   iconv   — converting GB18030 to UTF-8 (what taizhang's decode replaces)
#   grep -E — listing lines that start with a heading marker (the nearest
#             command-line approximation of an outline, without depth,
#             titles, reports or sentences)
#   python3 re — heading markers per line; Arabic numbers with a unit and
#             dates (the nearest script approximation of `facts`)
# `check` is measured twice: on one file holding the whole volume (a stress
# case: thousands of reports repeating each other, so every sentence is a
# duplicate finding) and on the same volume as separate files, one report
# compilation per file, which is what a county or a province has.
# One thread throughout (-j 1; bench/stream.sh measures several).
# Prints MB/s and peak resident memory. Usage: bench/run.sh [MEGABYTES]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mb="${1:-100}"
seed="$root/../shared/corpus/seed/000_149dd883a1863841.txt"
"$root/scripts/build.sh" "$root/build" >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== library: decode + outline + facts (bench/outline_bench.cc) =="
for enc in UTF-8 GB18030 UTF-16LE; do
  "$root/build/outline_bench" "$seed" "$mb" "$enc"
  echo
done

# The same input as files, for the command line and the baselines.
python3 - "$seed" "$mb" "$work" <<'PY'
import sys
seed, mb, work = sys.argv[1], float(sys.argv[2]), sys.argv[3]
data = open(seed, 'rb').read()
n = int(mb * 1e6) // len(data) + 1
open(f'{work}/big.txt', 'wb').write(data * n)
open(f'{work}/big-gb.txt', 'wb').write((data * n).decode('utf-8').encode('gb18030'))
# The realistic case: the same volume as separate files, one per unit.
import os
os.mkdir(f'{work}/files')
for k in range(n):
    open(f'{work}/files/{k:04d}.txt', 'wb').write(data)
PY
size=$(stat -c %s "$work/big.txt")
size_gb=$(stat -c %s "$work/big-gb.txt")

run() {  # label bytes command…
  local label="$1" bytes="$2"
  shift 2
  local start end
  start=$(date +%s.%N)
  # `taizhang check` exits 1 when it finds errors, which the seed has.
  /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null || [ $? -eq 1 ]
  end=$(date +%s.%N)
  python3 -c "import sys; t=$end-$start; print(f'{sys.argv[1]:<44} {t:6.2f} s  {$bytes/1e6/t:7.0f} MB/s  peak {int(open(sys.argv[2]).read().split()[-1])/1024:6.0f} MB')" "$label" "$work/rss"
}

echo "== command line on $(python3 -c "print(round($size/1e6))") MB =="
run "taizhang outline (UTF-8, text tree)"        "$size"    "$root/build/taizhang" outline -j 1 "$work/big.txt"
run "taizhang outline (GB18030, text tree)"      "$size_gb" "$root/build/taizhang" outline -j 1 "$work/big-gb.txt"
run "taizhang outline --json"                    "$size"    "$root/build/taizhang" outline -j 1 --json "$work/big.txt"
run "taizhang facts --tsv (figures)"             "$size"    "$root/build/taizhang" facts -j 1 --tsv "$work/big.txt"
run "taizhang facts --tsv --table plan"          "$size"    "$root/build/taizhang" facts -j 1 --tsv --table plan "$work/big.txt"
run "taizhang facts --json (everything)"         "$size"    "$root/build/taizhang" facts -j 1 --json "$work/big.txt"
run "taizhang check (whole pipeline, text)"      "$size"    "$root/build/taizhang" check -j 1 "$work/big.txt"
run "taizhang check --json"                      "$size"    "$root/build/taizhang" check -j 1 --json "$work/big.txt"
run "taizhang check, as separate files (text)"  "$size"    "$root/build/taizhang" check -j 1 "$work"/files/*.txt
run "taizhang check --json, as separate files"  "$size"    "$root/build/taizhang" check -j 1 --json "$work"/files/*.txt
run "baseline: iconv GB18030 -> UTF-8"           "$size_gb" iconv -f GB18030 -t UTF-8 "$work/big-gb.txt"
run "baseline: grep -E heading markers"          "$size"    grep -cE '^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|[0-9]+[.、．])' "$work/big.txt"
cat > "$work/outline.py" <<'PY'
# What an office script would do: per line, a regex for heading markers.
import re, sys
pat = re.compile(r'^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．](?!\d)|[（(]\d+[）)]|[①-⑳]|[一二三四五六七八九十]+是)')
n = 0
for line in open(sys.argv[1], encoding=sys.argv[2]):
    m = pat.match(line)
    if m:
        n += 1
        title = line[m.end():].split('。')[0]
print(n)
PY
cat > "$work/figures.py" <<'PY'
# What an office script would do for figures: one regex for Arabic numbers
# with an optional 万/亿 and a unit, and one for dates — no Chinese numerals,
# placeholders, approximations, roles or plan items.
import re, sys
num = re.compile(r'(\d+(?:[.,，]\d+)*)(万|亿)?(元|个|件|次|人次|户|人|名|家|座|条|处|项|场|%|个百分点|亩|平方米|公里|米|吨|km|m)')
date = re.compile(r'\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|截至|截止')
n = t = 0
for line in open(sys.argv[1], encoding='utf-8'):
    n += len(num.findall(line))
    t += len(date.findall(line))
print(n, t)
PY
run "baseline: python3 re, figures+dates"        "$size"    python3 "$work/figures.py" "$work/big.txt"
run "baseline: python3 re, per line (UTF-8)"     "$size"    python3 "$work/outline.py" "$work/big.txt" utf-8
run "baseline: python3 re, per line (GB18030)"   "$size_gb" python3 "$work/outline.py" "$work/big-gb.txt" gb18030
