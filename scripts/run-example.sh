#!/usr/bin/env bash
# The main job on the bundled example report: install what building and
# running taizhang needs (not the test tools), build the taizhang command
# into build/ (without the tests), then rebuild the example's outline,
# extract its figures, time expressions and plan items, and check it (the
# five defects examples/README.md lists are reported).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
example="$root/examples/某县农业农村局2024年工作总结和2025年工作计划.txt"
"$root/scripts/install-deps.sh" --runtime
# scripts/build.sh and scripts/test.sh turn the tests back on in build/.
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTAIZHANG_TESTS=OFF >/dev/null
# The command and the modules it loads (PDF, PostgreSQL).
cmake --build "$root/build" -j"$(nproc)" --target taizhang_cli
"$root/build/taizhang" outline "$example"
echo
"$root/build/taizhang" facts "$example"
echo
# check exits 1 because the example has errors on purpose.
"$root/build/taizhang" check "$example" || [ $? -eq 1 ]
