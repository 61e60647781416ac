#!/usr/bin/env bash
# Configures and builds taizhang with its tests. Usage: scripts/build.sh [BUILD_DIR] [extra cmake args…]
# (-DTAIZHANG_TESTS=ON is given each time: scripts/run-example.sh builds
# build/ without the tests; extra args come after it and win.)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/build}"
shift || true
cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTAIZHANG_TESTS=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
