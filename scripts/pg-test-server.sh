#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: its own cluster in DIR, trust
# authentication, listening on 127.0.0.1 and a socket in DIR; no system
# service is touched.
#
#   url=$(scripts/pg-test-server.sh start DIR)   # prints postgresql://taizhang@127.0.0.1:PORT/taizhang_test
#   scripts/pg-test-server.sh stop DIR           # stops the server and removes DIR
#
# initdb refuses to run as root, so as root the server runs as the `postgres`
# system user (Debian's postgresql package creates it) and DIR is handed to
# that user; DIR must then lie where that user can reach it (e.g. under /tmp).
# TAIZHANG_PG_BIN overrides the server binaries (default: PostgreSQL 15).
set -euo pipefail

usage() {
  echo "用法 / usage: $0 start DIR | stop DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
action="$1"
dir="$2"
marker=".taizhang-pg-test-server"

pg_bin="${TAIZHANG_PG_BIN:-}"
if [ -z "$pg_bin" ]; then
  if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    pg_bin=/usr/lib/postgresql/15/bin
  else
    # The newest installed major version.
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  fi
fi
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "找不到 PostgreSQL 服务器程序（initdb）；Debian：apt install postgresql-15" >&2
  exit 1
fi

# Runs a server program as the user that owns the cluster.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
      echo "以 root 运行时需要系统用户 postgres（由 postgresql 软件包创建）" >&2
      exit 1
    fi
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if [ -n "$(ls -A "$dir")" ]; then
      echo "目录 $dir 不是空的；请指定一个新目录" >&2
      exit 1
    fi
    touch "$dir/$marker"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir" "$dir/$marker"
      if ! runuser -u postgres -- test -w "$dir"; then
        echo "系统用户 postgres 无法进入 $dir（上级目录权限不足）；请改用 /tmp 下的目录" >&2
        exit 1
      fi
    fi
    # Unix socket paths are limited to ~107 bytes.
    if [ ${#dir} -gt 80 ]; then
      echo "目录路径过长（套接字路径有长度限制）：$dir" >&2
      exit 1
    fi
    # The bootstrap superuser is taizhang_admin; the tests connect as the
    # role taizhang, which is no superuser (a superuser can run programs on
    # the server through SQL: COPY … TO PROGRAM), may create databases (the
    # tests make their own) and owns taizhang_test.
    if ! as_owner "$pg_bin/initdb" --pgdata="$dir/data" --username=taizhang_admin --auth=trust \
        --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
      echo "initdb 失败：" >&2
      cat "$dir/initdb.log" >&2
      exit 1
    fi
    # A free port: the first in the range nothing answers on whose start
    # succeeds (another run may take the port between the probe and start).
    port=""
    for candidate in $(seq 54329 54428); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        continue
      fi
      # fsync off: the cluster is thrown away, and the tests run faster.
      if as_owner "$pg_bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
          -o "-c listen_addresses=127.0.0.1 -p $candidate -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
          start >>"$dir/pg_ctl.log" 2>&1; then
        port="$candidate"
        break
      fi
    done
    if [ -z "$port" ]; then
      echo "PostgreSQL 测试服务器未能启动：" >&2
      tail -n 20 "$dir/server.log" >&2 2>/dev/null || true
      exit 1
    fi
    if ! "$pg_bin/psql" --host=127.0.0.1 --port="$port" --username=taizhang_admin --dbname=postgres \
        --quiet --no-psqlrc --set=ON_ERROR_STOP=1 \
        --command="CREATE ROLE taizhang LOGIN NOSUPERUSER CREATEDB NOCREATEROLE" >>"$dir/pg_ctl.log" 2>&1 ||
      ! "$pg_bin/createdb" --host=127.0.0.1 --port="$port" --username=taizhang_admin --owner=taizhang \
        taizhang_test >>"$dir/pg_ctl.log" 2>&1; then
      echo "无法创建数据库 taizhang_test：" >&2
      tail -n 5 "$dir/pg_ctl.log" >&2
      as_owner "$pg_bin/pg_ctl" --pgdata="$dir/data" stop -m fast >/dev/null 2>&1 || true
      exit 1
    fi
    echo "postgresql://taizhang@127.0.0.1:$port/taizhang_test"
    ;;
  stop)
    [ -d "$dir" ] || exit 0
    if [ -z "$(ls -A "$dir")" ]; then
      rmdir "$dir"  # a start that failed early
      exit 0
    fi
    if [ ! -e "$dir/$marker" ]; then
      echo "$dir 不是 $0 创建的目录，未删除" >&2
      exit 1
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$pg_bin/pg_ctl" --pgdata="$dir/data" stop -m fast >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    usage
    ;;
esac
