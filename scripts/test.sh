#!/usr/bin/env bash
# Builds and runs every test, then the web application's browser tests
# (scripts/web-test.sh: Playwright, Debian's Chromium). With --sanitize, the
# C++ tests in a separate build under AddressSanitizer and
# UndefinedBehaviorSanitizer (without the web pages). Starts a throwaway
# PostgreSQL server for the tests of the PostgreSQL backend
# (scripts/pg-test-server.sh; needs postgresql-15, see install-deps.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
unset TAIZHANG_UPDATE_GOLDEN
if [ "${1:-}" = "--sanitize" ]; then
  dir="$root/build-sanitize"
  # -O1 -g1: what the sanitizers recommend, and half the compile time of -O2 -g.
  "$root/scripts/build.sh" "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTAIZHANG_SANITIZE=ON \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DTAIZHANG_WEB=OFF
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
  dir="$root/build"
  "$root/scripts/build.sh" "$dir"
fi
cd "$dir"
# The PostgreSQL backend's tests run against a throwaway server (or the one
# TAIZHANG_TEST_POSTGRES_URL names), and fail rather than skip without one.
export TAIZHANG_REQUIRE_POSTGRES=1
if [ -z "${TAIZHANG_TEST_POSTGRES_URL:-}" ]; then
  # Under /tmp: the server's user must reach it (as root, that is `postgres`),
  # and its socket path must stay short.
  pg_dir="$(mktemp -d /tmp/taizhang-pg.XXXXXX)"
  trap '"$root/scripts/pg-test-server.sh" stop "$pg_dir" || true' EXIT
  TAIZHANG_TEST_POSTGRES_URL="$("$root/scripts/pg-test-server.sh" start "$pg_dir")"
  export TAIZHANG_TEST_POSTGRES_URL
fi
ctest --output-on-failure -j"$(nproc)"
if [ "${1:-}" != "--sanitize" ]; then
  "$root/scripts/web-test.sh" "$dir"
fi
