#!/usr/bin/env bash
# Installs exactly what taizhang needs to build and test on Debian 12.
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
packages=(
  g++ cmake ninja-build pkg-config   # toolchain
  libicu-dev                         # encodings (GB18030, UTF-16) and Unicode
  libfmt-dev                         # text formatting
  nlohmann-json3-dev                 # JSON output
  libcli11-dev                       # command line
  libzip-dev libpugixml-dev          # Word (.docx): zip container, XML parts
  libpoppler-cpp-dev                 # PDF text
  libpq-dev                          # PostgreSQL ledgers (module taizhang-postgres.so)
  libsqlite3-dev                     # SQLite ledgers (the default store)
  libxlsxwriter-dev                  # Excel ledgers out
  libssl-dev                         # SHA-256 of imported files (libcrypto)
  libreoffice-writer-nogui           # .doc/.wps conversion (optional for users; the tests use it)
  libreoffice-calc-nogui             # the tests open the Excel ledgers taizhang writes
  libgtest-dev                       # tests
  postgresql-15 postgresql-client-15 # tests: a throwaway server (scripts/pg-test-server.sh), pg_dump/pg_restore
  python3                            # scripts/eval-*.py, run by the tests
  clang libclang-rt-14-dev           # libFuzzer targets (scripts/fuzz.sh)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "依赖已就绪 / dependencies ready"
