#!/usr/bin/env bash
# Speed of `taizhang compare` (对标对表):
#   pairs   — the two provincial pairs (2025 report's 主要预期目标 against the
#             2026 report), ROUNDS runs each, one process per run: ms per pair.
#   county  — a compilation of the 2024 plans of N_UNITS units (default 200:
#             20 counties × 10 offices; each the seed's 淮阴区卫生健康委员会 plan
#             under its own unit name) against a compilation of their 2024
#             summaries (the summary written for the golden test, renamed), in
#             one run: units paired by name, every plan item judged. Wall time,
#             MB/s over both inputs, peak RSS; and `taizhang facts` over the same
#             two files, to show what share the reading and extraction take.
# Nobody compares plans with results by machine today: the alternative is a
# person with both documents open (minutes per unit), so no tool ratio.
# Usage: bench/compare.sh [ROUNDS]     (env: N_UNITS)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-20}"
units="${N_UNITS:-200}"
shared="$root/../shared"
cli="$root/build/taizhang"
"$root/scripts/build.sh" "$root/build" >/dev/null
work="$(mktemp -d /tmp/taizhang-compare-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== provincial pairs, $rounds runs each (one process per run) =="
for p in 北京市 江苏省; do
  plan="$shared/corpus/docx/2025年${p}政府工作报告.docx"
  result="$shared/corpus/pairs/2026_${p}_政府工作报告.txt"
  start=$(date +%s.%N)
  for _ in $(seq "$rounds"); do "$cli" compare "$plan" "$result" >/dev/null; done
  end=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$cli" compare "$plan" "$result" >/dev/null
  bytes=$(( $(stat -c %s "$plan") + $(stat -c %s "$result") ))
  python3 -c "t=($end-$start)/$rounds; print(f'$p: {t*1000:.1f} ms per pair, {$bytes/1e6/t:.2f} MB/s, peak RSS {int(open(\"$work/rss\").read())/1024:.1f} MB')"
done

echo "== $units units in one run: plan compilation against summary compilation =="
python3 - "$shared/corpus/seed/000_149dd883a1863841.txt" \
  "$root/tests/data/compare/淮阴区卫生健康委员会2024年工作总结和2025年工作计划.txt" "$units" "$work" <<'PY'
import sys
seed, summary, n, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
lines = open(seed, encoding="utf-8").read().split("\n")
plan_body = "\n".join(lines[54:91])          # report 2 without its title line
summary_body = "\n".join(open(summary, encoding="utf-8").read().split("\n")[1:])
places = ["安平县", "临河县", "东山县", "青川县", "白水县", "永宁县", "长乐县", "金沙县", "石门县", "龙泉县",
          "凤台县", "新丰县", "南江县", "北流市", "西乡县", "江源县", "丰城市", "和平县", "宁远县", "清河县"]
offices = ["卫生健康委员会", "水利局", "住建局", "市场监督管理局", "应急管理局", "审计局", "经信局", "教育局",
           "交通运输局", "自然资源局"]
names = [p + o for p in places for o in offices]
while len(names) < n:
    names += [f"{p}第{k}{o}" for k in range(2, 50) for p in places for o in offices]
names = names[:n]
with open(f"{work}/plans.txt", "w", encoding="utf-8") as f:
    for u in names:
        f.write(f"{u}2023年工作总结及2024年工作计划\n{plan_body}\n\n")
with open(f"{work}/summaries.txt", "w", encoding="utf-8") as f:
    for u in names:
        f.write(f"{u}2024年工作总结和2025年工作计划\n{summary_body}\n\n")
PY
bytes=$(( $(stat -c %s "$work/plans.txt") + $(stat -c %s "$work/summaries.txt") ))
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" "$cli" compare --json -o "$work/out.json" "$work/plans.txt" "$work/summaries.txt"
end=$(date +%s.%N)
fstart=$(date +%s.%N)
"$cli" facts --json "$work/plans.txt" "$work/summaries.txt" >/dev/null
fend=$(date +%s.%N)
python3 - "$work/out.json" "$bytes" "$start" "$end" "$fstart" "$fend" "$work/rss" <<'PY'
import json, sys
out, size = json.load(open(sys.argv[1])), int(sys.argv[2])
t = float(sys.argv[4]) - float(sys.argv[3])
f = float(sys.argv[6]) - float(sys.argv[5])
pairs = out["pairs"]
targets = sum(len(p["items"]) for p in pairs)
print(f"{len(pairs)} unit pairs, {targets} targets judged, {size/1e6:.2f} MB in: {t:.2f} s, "
      f"{size/1e6/t:.2f} MB/s, {len(pairs)/t:.0f} units/s, peak RSS {int(open(sys.argv[7]).read())/1024:.1f} MB")
print(f"facts alone over the same files: {f:.2f} s ({100*f/t:.0f}% of compare)")
PY
