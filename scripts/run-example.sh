#!/usr/bin/env bash
# The main job on the bundled example report: install, build, then rebuild
# its outline, extract its figures, time expressions and plan items, and
# check it (the five defects examples/README.md lists are reported).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
example="$root/examples/某县农业农村局2024年工作总结和2025年工作计划.txt"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build"
"$root/build/taizhang" outline "$example"
echo
"$root/build/taizhang" facts "$example"
echo
# check exits 1 because the example has errors on purpose.
"$root/build/taizhang" check "$example" || [ $? -eq 1 ]
