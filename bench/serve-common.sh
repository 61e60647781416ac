# Shared by bench/serve.sh and bench/serve-list.sh (sourced, after `root`
# is set): a scratch directory `work` removed at exit with the server
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
