#!/usr/bin/env bash
# The web application's browser tests (web/e2e, Playwright driving Debian's
# Chromium headless) against `taizhang serve` on fresh databases, with the
# program and pages of BUILD_DIR (default build/: build/taizhang, build/web).
# Screenshots of every page at 1366×768 go to BUILD_DIR/web-screenshots/,
# the failures' traces and pictures to BUILD_DIR/web-test-results/.
#   scripts/web-test.sh [BUILD_DIR] [playwright arguments…]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/build}"
shift || true
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "web-test.sh：找不到 Chromium（$chromium）：scripts/install-deps.sh --tests 会安装它。" >&2
  exit 1
fi
if [ ! -f "$dir/web/index.html" ]; then
  "$root/scripts/build-web.sh" "$dir/web"
fi
cd "$root/web"
stamp=node_modules/.taizhang-package-lock.json
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
rm -rf "$dir/web-screenshots"
TAIZHANG_BIN="$dir/taizhang" TAIZHANG_WEB_DIR="$dir/web" CHROMIUM="$chromium" \
  TAIZHANG_E2E_OUT="$dir/web-screenshots" TAIZHANG_E2E_RESULTS="$dir/web-test-results" \
  node_modules/.bin/playwright test "$@"
