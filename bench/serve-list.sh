#!/usr/bin/env bash
# The server's item list under load (issue 21): a SQLite ledger of
# LIST_ITEMS (default 100,000) items (bench/ledger_bench's realistic fill:
# 20 counties × 10 offices, 2023–2025, plans and problems), the units as a
# tree (某市 → 20 counties → their offices), two supervisors logged in (one
# over 某市, who reads everything; one over 安平县, whose list is narrowed by
# unit), `taizhang serve` on it, and wrk on
#   GET /api/v1/items?limit=50 and a few filters (red light, a text, by deadline),
# then the static file of bench/serve.sh side by side with nginx serving the
# same file in the same run (the ratio of requests per second), and the
# server's peak memory (VmHWM) after all of it.
#   bench/serve-list.sh [SECONDS]       (default 10 per measurement)
#   TAIZHANG=other/taizhang LEDGER_BENCH=other/ledger_bench bench/serve-list.sh
# Needs wrk, nginx (Debian: wrk, nginx-light) and curl.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${TAIZHANG:-$root/build/taizhang}"
ledger_bench="${LEDGER_BENCH:-$root/build/ledger_bench}"
seconds="${1:-10}"
items="${LIST_ITEMS:-100000}"
seed="$root/../shared/corpus/seed/000_149dd883a1863841.txt"
source "$root/bench/serve-common.sh"
db="$work/taizhang.db"

fill_ledger_with_units

# The static file of bench/serve.sh.
write_static_files
port_t="$(free_port)"
port_n="$(free_port)"
"$bin" serve --listen "127.0.0.1:$port_t" --db "$db" --data-dir "$work/data" \
  --static-dir "$work/www" --access-log "$work/access.log" 2> "$work/serve.err" &
server_pid=$!
start_nginx "$port_n"
wait_for_both "$port_t" "$port_n" 200
base="http://127.0.0.1:$port_t"

cookie_city="$(session city password_city)"
cookie_county="$(session county password_county)"
for who in city county; do
  cookie_var="cookie_$who"
  total="$(curl -sf -H "Cookie: ${!cookie_var}" "$base/api/v1/items?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
  echo "$who 可以查看的已确认事项：$total"
done
cmp <(curl -sf "$base/assets/app.3f9a2c1b.js") <(curl -sf "http://127.0.0.1:$port_n/assets/app.3f9a2c1b.js")

# One wrk run: "requests/s p50 p99" (latencies in ms).
measure() {  # url [cookie]
  local args=(-t2 -c50 -d"${seconds}s" --latency)
  [ -n "${2:-}" ] && args+=(-H "Cookie: $2")
  wrk "${args[@]}" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { if (bad) { print "non-2xx responses: " bad > "/dev/stderr"; exit 1 }; printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}
cpu_of() { local sum=0; for p in $1; do sum=$(awk -v a="$sum" -v b="$(cpu_ms "$p")" 'BEGIN{print a+b}'); done; echo "$sum"; }

q_text="$(python3 -c 'import urllib.parse; print(urllib.parse.quote("项目"))')"
printf '| 请求 | 服务 | 单个请求 CPU ms | 请求/秒 | p50 ms | p99 ms | 服务进程 CPU 秒 | 每个请求 CPU ms |\n|---|---|---:|---:|---:|---:|---:|---:|\n'
row() {  # label who url cookie pids
  local before after p50 p99 alone
  # Requests still queued from the run before are answered first: wait
  # until the server's CPU time stands still for a second.
  local was now
  now="$(cpu_of "$5")"
  for _ in $(seq 120); do
    sleep 1
    was="$now"
    now="$(cpu_of "$5")"
    [ "$(awk -v a="$was" -v b="$now" 'BEGIN{print (b-a < 20)}')" = 1 ] && break
  done
  # Five requests one after another, alone: the server's CPU for one.
  before="$(cpu_of "$5")"
  for _ in 1 2 3 4 5; do curl -sf -o /dev/null ${4:+-H "Cookie: $4"} "$3"; done
  after="$(cpu_of "$5")"
  alone="$(awk -v a="$before" -v b="$after" 'BEGIN{printf "%.0f", (b-a)/5}')"
  before="$(cpu_of "$5")"
  read -r rps p50 p99 < <(measure "$3" "$4")
  after="$(cpu_of "$5")"
  printf '| %s | %s | %s | %s | %s | %s | %.1f | %.2f |\n' "$1" "$2" "$alone" "$rps" "$p50" "$p99" \
    "$(awk -v a="$before" -v b="$after" 'BEGIN{print (b-a)/1000}')" \
    "$(awk -v a="$before" -v b="$after" -v r="$rps" -v s="$seconds" 'BEGIN{print (b-a)/(r*s)}')"
}
row '`/api/v1/items?limit=50`（某市：全部）' taizhang "$base/api/v1/items?limit=50" "$cookie_city" "$server_pid"
row '`/api/v1/items?limit=50`（安平县：按单位筛选）' taizhang "$base/api/v1/items?limit=50" "$cookie_county" "$server_pid"
row '`…&warning=red`（某市）' taizhang "$base/api/v1/items?limit=50&warning=red" "$cookie_city" "$server_pid"
row '`…&sort=deadline&offset=500`（某市）' taizhang "$base/api/v1/items?limit=50&sort=deadline&offset=500" "$cookie_city" "$server_pid"
row '`…&q=项目`（安平县）' taizhang "$base/api/v1/items?limit=50&q=$q_text" "$cookie_county" "$server_pid"
nginx_pids="$(nginx_workers)"
row '`/assets/app.3f9a2c1b.js`' taizhang "$base/assets/app.3f9a2c1b.js" "" "$server_pid"
static_t="$rps"
row '`/assets/app.3f9a2c1b.js`' nginx "http://127.0.0.1:$port_n/assets/app.3f9a2c1b.js" "" "$nginx_pids"
static_n="$rps"
echo
echo "静态文件：taizhang 的请求/秒是 nginx 的 $(awk -v t="$static_t" -v n="$static_n" 'BEGIN{printf "%.0f%%", 100*t/n}')"
echo "taizhang serve 峰值内存（VmHWM）：$(awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$server_pid/status")"
echo "访问日志行数：$(wc -l < "$work/access.log")"
