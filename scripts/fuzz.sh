#!/usr/bin/env bash
# Runs a libFuzzer target (clang, with ASan+UBSan) for a while.
#   scripts/fuzz.sh [TARGET] [SECONDS]      (default: outline_fuzz 300)
#   MAX_LEN=65536 scripts/fuzz.sh docx_fuzz  (larger inputs, for the Word reader)
# New inputs go to a scratch corpus; a crash leaves crash-* in fuzz/. Copy a
# crashing input into fuzz/corpus/TARGET/ once fixed: the normal test run
# (fuzz_replay_TARGET) replays every file there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:-outline_fuzz}"
seconds="${2:-300}"
if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh：找不到 clang++：scripts/install-deps.sh --extra 会安装它（clang 与 libFuzzer 运行库）。" >&2
  exit 1
fi
CC=clang CXX=clang++ cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTAIZHANG_FUZZ=ON -DTAIZHANG_SANITIZE=ON -DTAIZHANG_TESTS=OFF >/dev/null
cmake --build "$root/build-fuzz" --target "$target"
work="$(mktemp -d)"
cp "$root/fuzz/corpus/$target/"* "$work/"
cd "$root/fuzz"
"$root/build-fuzz/$target" "$work" -max_total_time="$seconds" -max_len="${MAX_LEN:-4096}" -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1
