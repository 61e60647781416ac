#!/usr/bin/env bash
# Builds and runs every test. With --sanitize, in a separate build under
# AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
unset TAIZHANG_UPDATE_GOLDEN
if [ "${1:-}" = "--sanitize" ]; then
  dir="$root/build-sanitize"
  # -O1 -g1: what the sanitizers recommend, and half the compile time of -O2 -g.
  "$root/scripts/build.sh" "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTAIZHANG_SANITIZE=ON \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
  dir="$root/build"
  "$root/scripts/build.sh" "$dir"
fi
cd "$dir"
ctest --output-on-failure -j"$(nproc)"
