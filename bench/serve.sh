#!/usr/bin/env bash
# Requests per second and latency (p50, p99) of `taizhang serve` under wrk,
# side by side with nginx serving the same things in the same run:
# GET /healthz and GET of one static file (a 20 KB script with a hashed
# name), each with 50 connections kept alive on 2 wrk threads, and the
# server's peak memory (VmHWM) under that load.
#   bench/serve.sh [SECONDS]            (default 10 per measurement)
#   TAIZHANG=other/taizhang bench/serve.sh
# Needs wrk and nginx (Debian: wrk, nginx-light; scripts/install-deps.sh --extra); nginx runs as the current
# user with bench/nginx-serve.conf under a temporary prefix (bench/serve-common.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${TAIZHANG:-$root/build/taizhang}"
seconds="${1:-10}"
source "$root/bench/serve-common.sh"

write_static_files
port_t="$(free_port)"
port_n="$(free_port)"

"$bin" serve --listen "127.0.0.1:$port_t" --db "$work/taizhang.db" --data-dir "$work/data" \
  --static-dir "$work/www" --access-log "$work/access.log" 2> "$work/serve.err" &
server_pid=$!
start_nginx "$port_n"
wait_for_both "$port_t" "$port_n" 100
cmp <(curl -sf "http://127.0.0.1:$port_t/assets/app.3f9a2c1b.js") <(curl -sf "http://127.0.0.1:$port_n/assets/app.3f9a2c1b.js")

# One wrk run: "requests/s p50 p99" (latencies in ms).
measure() {
  wrk -t2 -c50 -d"${seconds}s" --latency "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { if (bad) { print "non-2xx responses: " bad > "/dev/stderr"; exit 1 }; printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}
cpu_ms() { awk '{ print ($14 + $15) * 1000 / 100 }' "/proc/$1/stat"; }  # utime+stime at 100 Hz

printf '| 请求 | 服务 | 请求/秒 | p50 ms | p99 ms | 服务进程 CPU 秒 |\n|---|---|---:|---:|---:|---:|\n'
for path in /healthz /assets/app.3f9a2c1b.js; do
  for who in taizhang nginx; do
    if [ "$who" = taizhang ]; then port=$port_t; pids="$server_pid"; else port=$port_n; pids="$(nginx_workers)"; fi
    before=0; for p in $pids; do before=$(awk -v a="$before" -v b="$(cpu_ms "$p")" 'BEGIN{print a+b}'); done
    read -r rps p50 p99 < <(measure "http://127.0.0.1:$port$path")
    after=0; for p in $pids; do after=$(awk -v a="$after" -v b="$(cpu_ms "$p")" 'BEGIN{print a+b}'); done
    printf '| `%s` | %s | %s | %s | %s | %.1f |\n' "$path" "$who" "$rps" "$p50" "$p99" "$(awk -v a="$before" -v b="$after" 'BEGIN{print (b-a)/1000}')"
  done
done
echo
echo "taizhang serve 峰值内存（VmHWM）：$(awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$server_pid/status")"
echo "访问日志行数：$(wc -l < "$work/access.log")"
