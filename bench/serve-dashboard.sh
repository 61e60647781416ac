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

echo "== 填充 $items 项（ledger_bench list）=="
"$ledger_bench" list "$db" "$items" 1 "$seed" | grep -E '^(items|fill)' || true
"$bin" unit add 某市 --db "$db" >/dev/null
for county in 安平县 临河县 东山县 青川县 白水县 永宁县 长乐县 金沙县 石门县 龙泉县 \
              凤台县 新丰县 南江县 北流市 西乡县 江源县 丰城市 和平县 宁远县 清河县; do
  "$bin" unit add "$county" --parent 某市 --db "$db" >/dev/null
  for office in 水利局 住建局 市场监督管理局 应急管理局 审计局 经信局 教育局 卫健局 交通运输局 自然资源局; do
    "$bin" unit add "$county$office" --parent "$county" --db "$db" >/dev/null
  done
done
once_city="$("$bin" user add city --role 督查员 --unit 某市 --db "$db" | sed -n 's/^用户 city 的一次性密码：//p')"
once_county="$("$bin" user add county --role 督查员 --unit 安平县 --db "$db" | sed -n 's/^用户 county 的一次性密码：//p')"
password_city="$once_city"
password_county="$once_county"

cpu_ms() { awk '{ print ($14 + $15) * 10 }' "/proc/$1/stat"; }  # utime+stime, 100 Hz ticks

# Logs in (changing the one-time password the first time), prints the session cookie.
session() {  # name password-variable
  local jar="$work/$1.cookies" csrf var="$2" reply
  reply="$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"${!var}\"}" "$base/api/v1/auth/login")"
  csrf="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])' <<<"$reply")"
  if [ "${!var}" != "Bench#2025dash" ]; then
    curl -sf -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
      -d "{\"old_password\":\"${!var}\",\"new_password\":\"Bench#2025dash\"}" "$base/api/v1/auth/password" >/dev/null
    printf -v "$var" '%s' 'Bench#2025dash'
  fi
  awk '$6 == "taizhang_session" { print "taizhang_session=" $7 }' "$jar"
}

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
