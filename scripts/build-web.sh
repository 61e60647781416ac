#!/usr/bin/env bash
# Builds the web pages (web/: Vue 3 + Element Plus, Vite) into OUT_DIR
# (default web/dist). Installs the npm packages of web/package-lock.json
# first (npm ci) when node_modules does not match it; no browser is
# downloaded (the browser tests use Debian's Chromium). CMake runs this for
# the taizhang_web target (OUT_DIR = build/web, beside build/taizhang).
#   scripts/build-web.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/web/dist}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
cd "$root/web"
if ! command -v npm >/dev/null; then
  echo "build-web.sh：找不到 npm（Node.js），无法编译网页。" >&2
  exit 1
fi
# npm ci only when the lock file changed since the last install.
stamp=node_modules/.taizhang-package-lock.json
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
node_modules/.bin/vue-tsc --noEmit
node_modules/.bin/vite build --logLevel warn --outDir "$out" --emptyOutDir
# A gzip copy beside each script and style sheet: taizhang serve sends it to
# browsers that accept gzip (a third of the size).
find "$out/assets" -type f \( -name '*.js' -o -name '*.css' \) -size +1k -exec gzip -9 -k -n -f {} +
