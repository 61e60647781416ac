#!/usr/bin/env bash
# The workbench's numbers (GET /api/v1/dashboard) over a ledger of
# LIST_ITEMS (default 100,000) items: the ledger, unit tree and two
# supervisors of bench/serve-list.sh (某市, who reads everything; 安平县,
# narrowed by unit), then for each program given — e.g. the build before a
# change and after it, on the same ledger — `taizhang serve` started on it
# and the dashboard asked REPEAT (default 3) times per supervisor: the server
# process's CPU per request (utime + stime from /proc, 10 ms ticks), the
# wall time and the size of the answer; and whether every program answered
# the same numbers (the answers compared without their `today`).
#   bench/serve-dashboard.sh [PROGRAM…]          (default build/taizhang)
#   bench/serve-dashboard.sh /work/main/build/taizhang build/taizhang
#   LIST_ITEMS=20000 REPEAT=5 LEDGER_BENCH=build/ledger_bench bench/serve-dashboard.sh
# Needs curl and python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ledger_bench="${LEDGER_BENCH:-$root/build/ledger_bench}"
items="${LIST_ITEMS:-100000}"
repeat="${REPEAT:-3}"
seed="$root/../shared/corpus/seed/000_149dd883a1863841.txt"
programs=("$@")
[ ${#programs[@]} -eq 0 ] && programs=("$root/build/taizhang")
source "$root/bench/serve-common.sh"
db="$work/taizhang.db"
bin="${programs[0]}"

fill_ledger_with_units

printf '\n| 程序 | 督查员 | 每个请求的服务进程 CPU ms | 墙钟 ms | 回答字节 |\n|---|---|---:|---:|---:|\n'
n=0
for program in "${programs[@]}"; do
  n=$((n + 1))
  port="$(free_port)"
  "$program" serve --listen "127.0.0.1:$port" --db "$db" --data-dir "$work/data" \
    --access-log "$work/access.log" 2> "$work/serve.err" &
  server_pid=$!
  base="http://127.0.0.1:$port"
  while kill -0 "$server_pid" 2>/dev/null && ! curl -sf "$base/healthz" >/dev/null 2>&1; do sleep 0.1; done
  for who in city county; do
    cookie="$(session "$who" "password_$who")"
    curl -sf -o /dev/null -H "Cookie: $cookie" "$base/api/v1/items?limit=1"  # warms the unit texts' cache
    before="$(cpu_ms "$server_pid")"
    start="$(date +%s%N)"
    for _ in $(seq "$repeat"); do
      curl -sf -o "$work/dashboard-$n-$who.json" -H "Cookie: $cookie" "$base/api/v1/dashboard"
    done
    end="$(date +%s%N)"
    after="$(cpu_ms "$server_pid")"
    printf '| %s | %s | %s | %s | %s |\n' "$program" "$who" \
      "$(awk -v a="$before" -v b="$after" -v r="$repeat" 'BEGIN{printf "%.0f", (b-a)/r}')" \
      "$(awk -v a="$start" -v b="$end" -v r="$repeat" 'BEGIN{printf "%.0f", (b-a)/r/1e6}')" \
      "$(wc -c < "$work/dashboard-$n-$who.json")"
  done
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
done

# The same numbers from every program.
if [ "$n" -gt 1 ]; then
  for who in city county; do
    for k in $(seq 2 "$n"); do
      if python3 - "$work/dashboard-1-$who.json" "$work/dashboard-$k-$who.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a == b else 1)
EOF
      then echo "$who：程序 1 与程序 $k 的回答相同"
      else echo "$who：程序 1 与程序 $k 的回答不同" >&2; exit 1
      fi
    done
  done
fi
