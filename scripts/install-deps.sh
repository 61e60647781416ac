#!/usr/bin/env bash
# Installs the Debian 12 packages taizhang needs. Run as root (or with sudo).
# Safe to run again: only missing packages are installed.
#   scripts/install-deps.sh            everything: build, run and test
#   scripts/install-deps.sh --runtime  only what building and running taizhang needs
#   scripts/install-deps.sh --tests    only what the tests add
#   scripts/install-deps.sh --extra    fuzzing (clang) and bench/serve.sh (wrk, nginx): not in CI
set -euo pipefail
# Building and running the taizhang command and its three modules (CMake
# requires every one of these, tests or not). ICU, SQLite, pugixml, minizip,
# zlib and libcrypto are linked from their static archives (.a, in these
# -dev packages) unless -DTAIZHANG_STATIC_DEPS=OFF.
runtime=(
  g++ cmake ninja-build pkg-config   # toolchain
  libicu-dev                         # encodings (GB18030, UTF-16) and Unicode
  libfmt-dev                         # text formatting
  nlohmann-json3-dev                 # JSON output
  libcli11-dev                       # command line
  libminizip-dev zlib1g-dev          # Word (.docx) and Excel (.xlsx): the zip container
  libpugixml-dev                     # their XML parts
  libexpat1-dev                      # Word: the main part cut into batches as it is inflated
  libpoppler-private-dev             # PDF text (module taizhang-pdf.so: poppler's TextOutputDev, as pdftotext)
  libpoppler-cpp-dev                 # PDF pages rendered for text recognition (module taizhang-ocr.so)
  libtesseract-dev libleptonica-dev  # text recognition of scanned PDFs (module taizhang-ocr.so)
  tesseract-ocr-chi-sim              # its Simplified Chinese language data (chi_sim.traineddata)
  libpq-dev                          # PostgreSQL ledgers (module taizhang-postgres.so)
  libsqlite3-dev                     # SQLite ledgers (the default store)
  libxlsxwriter-dev                  # Excel ledgers out (its header; the library is loaded on first use)
  libssl-dev                         # SHA-256 of imported files (libcrypto); TLS of `taizhang serve` (libssl)
  libsodium-dev                      # accounts: Argon2id passwords, session tokens (src/access/)
  libboost1.81-dev                   # `taizhang serve`: Boost.Beast and Asio (headers only)
  libpng-dev libjpeg62-turbo-dev     # `taizhang serve`: photographs as evidence, PNG and JPEG decoded to check them
  libcurl4-openssl-dev               # reminders (催办): DingTalk/WeCom/JSON webhooks over HTTPS, e-mail over SMTP
  libxapian-dev                      # search across reports and years (CJK n-grams)
  libical-dev                        # reminders: the calendar feed of deadlines (.ics, RFC 5545)
)
# What only the tests (scripts/test.sh) and fuzzing (scripts/fuzz.sh) use.
# LibreOffice and the PostgreSQL client are optional for users: .doc/.wps
# conversion, and backup/restore of a PostgreSQL ledger (pg_dump/pg_restore).
tests=(
  libgtest-dev                       # unit tests
  libzip-dev                         # the tests and fuzz targets build .docx and .xlsx files with it
  python3                            # scripts/eval-*.py and the ledger stress tests
  libreoffice-writer-nogui           # .doc/.wps conversion, checked by the tests
  libreoffice-calc-nogui             # the tests open the Excel ledgers taizhang writes
  postgresql-15 postgresql-client-15 # a throwaway server (scripts/pg-test-server.sh), pg_dump/pg_restore
  poppler-utils                      # pdftotext/pdftoppm: PDF golden files and the OCR fixture
  openssl                            # the server's TLS test makes a certificate with it
  curl                               # the API examples that scripts/serve-example.sh prints
  chromium fonts-wqy-microhei        # the web pages' browser tests (Playwright drives it headless) and Chinese glyphs
  python3-aiosmtpd                   # reminders: a local SMTP server receives the tests' e-mail
  python3-icalendar khal             # reminders: the .ics feed parsed, and imported into a real calendar (khal)
)
# Not needed to build or test (CI leaves them out: 240 MB of clang alone):
extra=(
  clang libclang-rt-14-dev           # libFuzzer targets (scripts/fuzz.sh)
  wrk nginx-light                    # bench/serve.sh: load, and nginx serving the same file beside it
)
case "${1:-}" in
  "") packages=("${runtime[@]}" "${tests[@]}") ;;
  --runtime) packages=("${runtime[@]}") ;;
  --tests) packages=("${tests[@]}") ;;
  --extra) packages=("${extra[@]}") ;;
  *)
    echo "用法：scripts/install-deps.sh [--runtime | --tests | --extra]" >&2
    exit 2
    ;;
esac
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
