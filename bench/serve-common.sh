# Shared by bench/serve.sh, bench/serve-list.sh and bench/serve-dashboard.sh
# (sourced, after `root` is set): a scratch directory `work` removed at exit with the server
# (`server_pid`) and nginx stopped; the static file both serve (20 KB of
# script under a content-hashed name, and an index.html); free ports; nginx
# started as the current user with bench/nginx-serve.conf under a
# temporary prefix; waiting until both answer /healthz.
work="$(mktemp -d)"
server_pid=""
nginx_prefix="$work/nginx"
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -f "$nginx_prefix/nginx.pid" ] && kill "$(cat "$nginx_prefix/nginx.pid")" 2>/dev/null || true
  sleep 0.2
  rm -rf "$work"
}
trap cleanup EXIT

# $work/www: the static file, readable by nginx's workers.
write_static_files() {
  mkdir -p "$work/www/assets"
  chmod 755 "$work"  # nginx workers started by root run as nobody
  head -c 15000 /dev/urandom | base64 -w 100 | sed 's/^/\/\/ /' | head -c 20480 > "$work/www/assets/app.3f9a2c1b.js"
  echo '<!doctype html><title>taizhang</title>' > "$work/www/index.html"
  chmod -R a+rX "$work/www"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# nginx serving $work/www on port $1.
start_nginx() {
  mkdir -p "$nginx_prefix"
  sed -e "s|@PORT@|$1|" -e "s|@ROOT@|$work/www|" "$root/bench/nginx-serve.conf" > "$nginx_prefix/nginx.conf"
  nginx -p "$nginx_prefix" -c "$nginx_prefix/nginx.conf" -e "$nginx_prefix/nginx-error.log" 2>/dev/null
}

# Until taizhang on port $1 and nginx on port $2 answer /healthz, at most $3 tries 50 ms apart.
wait_for_both() {
  for _ in $(seq "$3"); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && break
    sleep 0.05
  done
}

# nginx's worker processes (whose CPU and memory are measured).
nginx_workers() { pgrep -d' ' -P "$(cat "$nginx_prefix/nginx.pid")"; }

# The server process's CPU in ms (utime + stime, 100 Hz ticks).
cpu_ms() { awk '{ print ($14 + $15) * 10 }' "/proc/$1/stat"; }

# The ledger of bench/serve-list.sh and bench/serve-dashboard.sh in $db:
# $items items of bench/ledger_bench's realistic fill from the seed report
# $seed, the units as a tree (某市 → 20 counties → 10 offices each) and two
# supervisors, city over 某市 (reads everything) and county over 安平县
# (narrowed by unit), whose one-time passwords are left in password_city
# and password_county. Uses $bin and $ledger_bench.
fill_ledger_with_units() {
  echo "== 填充 $items 项（ledger_bench list）=="
  /usr/bin/time -f '填充：%e 秒，%U 秒用户态 CPU，峰值 %M KB' "$ledger_bench" list "$db" "$items" 1 "$seed" | grep -E '^(items|fill)' || true
  echo "== 单位树与两个督查员 =="
  "$bin" unit add 某市 --db "$db" >/dev/null
  local county office
  for county in 安平县 临河县 东山县 青川县 白水县 永宁县 长乐县 金沙县 石门县 龙泉县 \
                凤台县 新丰县 南江县 北流市 西乡县 江源县 丰城市 和平县 宁远县 清河县; do
    "$bin" unit add "$county" --parent 某市 --db "$db" >/dev/null
    for office in 水利局 住建局 市场监督管理局 应急管理局 审计局 经信局 教育局 卫健局 交通运输局 自然资源局; do
      "$bin" unit add "$county$office" --parent "$county" --db "$db" >/dev/null
    done
  done
  password_city="$("$bin" user add city --role 督查员 --unit 某市 --db "$db" | sed -n 's/^用户 city 的一次性密码：//p')"
  password_county="$("$bin" user add county --role 督查员 --unit 安平县 --db "$db" | sed -n 's/^用户 county 的一次性密码：//p')"
}

# Logs in to $base as $1 with the password in the variable named $2 (the
# first time, a one-time password: changed to Bench#2025serve and the
# variable updated), prints the session cookie.
session() {  # name password-variable
  local jar="$work/$1.cookies" csrf var="$2" reply
  reply="$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"${!var}\"}" "$base/api/v1/auth/login")"
  csrf="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])' <<<"$reply")"
  if [ "${!var}" != "Bench#2025serve" ]; then
    curl -sf -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
      -d "{\"old_password\":\"${!var}\",\"new_password\":\"Bench#2025serve\"}" "$base/api/v1/auth/password" >/dev/null
    printf -v "$var" '%s' 'Bench#2025serve'
  fi
  awk '$6 == "taizhang_session" { print "taizhang_session=" $7 }' "$jar"
}
