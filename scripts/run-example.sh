#!/usr/bin/env bash
# The main job on the bundled example report: install, build, outline.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build"
"$root/build/taizhang" outline "$root/examples/某县农业农村局2024年工作总结和2025年工作计划.txt"
