#!/usr/bin/env bash
# One command to a running server on the bundled example: imports the two
# reports of examples/ into a new SQLite ledger (the plan's 2025 items accepted),
# adds the county and its bureau as units and a supervisor 张三 (login
# zhangsan) over the county, whose one-time password it prints (it must be
# changed at the first login), then runs `taizhang serve` in the foreground
# (Ctrl-C stops it) and prints the address and how to log in.
#   scripts/serve-example.sh [--listen HOST:PORT] [DIR]
# DIR (default taizhang-example) holds the ledger taizhang.db and the
# server's data; a DIR made before is served again as it is (the password
# was printed the first time: `taizhang user passwd zhangsan --db DIR/taizhang.db`
# makes a new one). TAIZHANG: the program (default build/taizhang, built by
# scripts/run-example.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${TAIZHANG:-$root/build/taizhang}"
listen="127.0.0.1:8080"
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --listen) listen="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) dir="$1"; shift ;;
  esac
done
dir="${dir:-taizhang-example}"
if [ ! -x "$bin" ]; then
  echo "找不到 $bin：先运行 scripts/run-example.sh 编译 taizhang（或用 TAIZHANG=程序路径 指定）。" >&2
  exit 2
fi
db="$dir/taizhang.db"
plan="$root/examples/某县农业农村局2024年工作总结和2025年工作计划.txt"
summary="$root/examples/清河县农业农村局2025年工作总结.txt"
if [ ! -e "$db" ]; then
  mkdir -p "$dir"
  echo "== 导入示例报告，确认其中的计划事项 =="
  "$bin" import "$plan" "$summary" --db "$db" --user 示例脚本
  "$bin" ledger review accept --all --unit 清河县农业农村局 --year 2025 --db "$db" --user 示例脚本
  echo "== 单位与用户 =="
  "$bin" unit add 清河县 --alias 某县 --db "$db"
  "$bin" unit add 清河县农业农村局 --parent 清河县 --alias 某县农业农村局 --db "$db"
  added="$("$bin" user add zhangsan --role 督查员 --unit 清河县 --display-name 张三 --db "$db")"
  password="$(printf '%s\n' "$added" | sed -n 's/^用户 zhangsan 的一次性密码：//p')"
  if [ -z "$password" ]; then
    echo "没有得到 zhangsan 的一次性密码：$added" >&2
    exit 1
  fi
  printf '%s\n' "$password" > "$dir/zhangsan-一次性密码.txt"
  chmod 600 "$dir/zhangsan-一次性密码.txt"
else
  echo "== 沿用 $db（不再导入）=="
  password="$(cat "$dir/zhangsan-一次性密码.txt" 2>/dev/null || echo '（首次运行时已打印，见 '"$dir"'/zhangsan-一次性密码.txt）')"
fi
static=()
[ -f "$root/web/dist/index.html" ] && static=(--static-dir "$root/web/dist")
url="http://$listen"
cat <<TEXT

服务地址：$url/
登录名：zhangsan（张三，督查员，管辖清河县）
初始密码：$password（一次性，首次登录后须修改）
用浏览器打开上面的地址登录；或用命令行：
  curl -c 会话.txt -H 'Content-Type: application/json' -d '{"name":"zhangsan","password":"$password"}' $url/api/v1/auth/login
  （回答中的 csrf_token 随修改密码 POST $url/api/v1/auth/password 一起发送，请求头 X-CSRF-Token）
按 Ctrl-C 停止服务。

TEXT
exec "$bin" serve --listen "$listen" --db "$db" --data-dir "$dir/data" "${static[@]}"
