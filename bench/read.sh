#!/usr/bin/env bash
# Reading Word and PDF files: taizhang against the tools users would
# otherwise run to get the text out, on the same files in one run:
#   pandoc -t plain   (Debian's pandoc; drops Word's automatic numbering)
#   soffice --convert-to txt   (LibreOffice; renders the numbering, ~1 s/file)
#   pdftotext         (poppler-utils; keeps the line breaks, the "2023 年"
#                      spaces and the page numbers)
# Word files: the seed compilation as Word made it and the four real
# provincial reports of ../shared/corpus; PDF: the seed compilation printed
# by LibreOffice (105 pages). Each read ROUNDS times (default 20), one
# process per file. pandoc and pdftotext are installed here only, never by
# the project's own set-up. Prints MB/s of input bytes, the ratio to
# taizhang, and peak memory.
# First, per Word file with the process start included: `perf stat -r ROUNDS`
# of `taizhang text F` and of `pandoc -t plain F` on every .docx of
# corpus/docx and corpus/more/city-gwr, CPU time (task-clock: the exec, the
# dynamic loader, the work; all of pandoc's threads) and wall time, and the
# ratio pandoc / taizhang per file. Usage: bench/read.sh [ROUNDS] [per-file|per-pdf]
# (per-file: that table only; per-pdf: the same for every PDF with a text
# layer in the corpus against `pdftotext -enc UTF-8 -q F -`, that table
# only). TAIZHANG_BIN=path times another build of taizhang in those tables
# instead of build/; TAIZHANG_BEFORE=path times a second build too, in the
# same run, file by file (e.g. one from before a change: copy build/taizhang
# and build/taizhang-pdf.so to a folder first; each build loads the PDF
# module beside it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-20}"
only_per_file="${2:-}"
if ! command -v pandoc >/dev/null || ! command -v pdftotext >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends pandoc poppler-utils >/dev/null
fi
[ -n "${TAIZHANG_BIN:-}" ] || "$root/scripts/build.sh" "$root/build" >/dev/null
taizhang_bin="${TAIZHANG_BIN:-$root/build/taizhang}"
shared="$root/../shared/corpus"
files=("$shared/fixtures/seed-compilation.docx" "$shared"/docx/*.docx)
bytes=$(cat "${files[@]}" | wc -c)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One command per file, ROUNDS times under perf stat: "task-clock-ms wall-ms".
per_run() {
  perf stat -x, -r "$rounds" -e task-clock "$@" 2>"$work/stat" >/dev/null ||
    { echo "failed: $* ($(tail -1 "$work/stat"))" >&2; return 1; }
  local clock wall
  clock=$(awk -F, '$3 == "task-clock" {print $1}' "$work/stat")
  # perf -x prints no elapsed time; measure wall time of ROUNDS runs here.
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < rounds; ++i)); do "$@" >/dev/null; done
  end=$(date +%s%N)
  wall=$(python3 -c "print(($end - $start) / 1e6 / $rounds)")
  echo "$clock $wall"
}

# Per file, CPU time of `text F` under TAIZHANG_BEFORE (when set), under
# taizhang, and of the other tool: "file before taizhang other x-before x-now".
before_bin="${TAIZHANG_BEFORE:-}"
compare_per_file() {  # out-file, the other tool's command… (the file at {}, else last), then -- and the files
  local out="$1"
  shift
  local other=()
  while [ "$1" != -- ]; do other+=("$1"); shift; done
  shift
  printf '%-44s %9s %9s %9s %8s %8s\n' file before taizhang other "x before" "x now"
  : > "$out"
  for f in "$@"; do
    local b=0 t o
    if [ -n "$before_bin" ]; then
      read -r b _ < <(TAIZHANG_PDF_MODULE="$(dirname "$before_bin")/taizhang-pdf.so" per_run "$before_bin" text "$f")
    fi
    read -r t _ < <(TAIZHANG_PDF_MODULE="$(dirname "$taizhang_bin")/taizhang-pdf.so" per_run "$taizhang_bin" text "$f")
    local command=() placed=0 word
    for word in "${other[@]}"; do
      if [ "$word" = "{}" ]; then command+=("$f"); placed=1; else command+=("$word"); fi
    done
    [ "$placed" = 1 ] || command+=("$f")
    read -r o _ < <(per_run "${command[@]}")
    python3 -c "import sys; n, b, t, o = sys.argv[1], *map(float, sys.argv[2:]); print(f'{n[:44]:<44} {b:7.2f}ms {t:7.2f}ms {o:7.2f}ms {(o/b if b else 0):7.2f}x {o/t:7.2f}x')" \
      "$(basename "$f")" "$b" "$t" "$o" | tee -a "$out"
  done
  python3 -c '
import math, sys
rows = [line.split() for line in open(sys.argv[1])]
geo = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
now = [float(r[-1][:-1]) for r in rows]
line = f"other / taizhang over {len(rows)} files: geometric mean {geo(now):.2f}x (min {min(now):.2f}x, max {max(now):.2f}x)"
if float(rows[0][-2][:-1]) > 0:
    before = [float(r[-2][:-1]) for r in rows]
    line += f"; before: {geo(before):.2f}x (min {min(before):.2f}x, max {max(before):.2f}x)"
print(line)' "$out"
}

if [ "$only_per_file" = per-pdf ]; then
  mapfile -t pdfs < <(find "$shared" -name '*.pdf' ! -name '*scanned*' | sort)
  echo "== per PDF with a text layer, process start included, $rounds runs each (perf stat task-clock, CPU ms) =="
  echo "   (x = pdftotext / taizhang: above 1, taizhang takes less)"
  compare_per_file "$work/per-pdf" pdftotext -enc UTF-8 -q {} - -- "${pdfs[@]}"
  exit 0
fi

if command -v perf >/dev/null && [ -n "$before_bin" ]; then
  per_file=("$shared"/docx/*.docx "$shared"/more/city-gwr/*.docx)
  echo "== per .docx file, process start included, $rounds runs each (perf stat task-clock, CPU ms) =="
  echo "   (x = pandoc / taizhang)"
  compare_per_file "$work/per-file" pandoc -t plain -- "${per_file[@]}"
  echo
elif command -v perf >/dev/null; then
  per_file=("$shared"/docx/*.docx "$shared"/more/city-gwr/*.docx)
  echo "== per .docx file, process start included, $rounds runs each (perf stat task-clock; wall) =="
  printf '%-44s %9s %9s %9s %9s %7s %7s\n' file "tz cpu" "tz wall" "pd cpu" "pd wall" "cpu x" "wall x"
  : > "$work/per-file"
  for f in "${per_file[@]}"; do
    read -r tz_cpu tz_wall < <(per_run "$taizhang_bin" text "$f")
    read -r pd_cpu pd_wall < <(per_run pandoc -t plain "$f")
    python3 -c "import sys; n, a, b, c, d = sys.argv[1], *map(float, sys.argv[2:]); print(f'{n[:44]:<44} {a:7.2f}ms {b:7.2f}ms {c:7.2f}ms {d:7.2f}ms {c/a:6.1f}x {d/b:6.1f}x')" \
      "$(basename "$f")" "$tz_cpu" "$tz_wall" "$pd_cpu" "$pd_wall" | tee -a "$work/per-file"
  done
  python3 - "$work/per-file" <<'PY'
import math, sys
rows = [line.split()[-2:] for line in open(sys.argv[1])]
cpu = [float(r[0][:-1]) for r in rows]
wall = [float(r[1][:-1]) for r in rows]
geo = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
print(f"pandoc / taizhang text over {len(rows)} files: cpu min {min(cpu):.1f}x, geometric mean {geo(cpu):.1f}x; "
      f"wall min {min(wall):.1f}x, geometric mean {geo(wall):.1f}x")
PY
  echo
fi
[ "$only_per_file" = per-file ] && exit 0

# Runs "$@" once per file per round; prints seconds, MB/s and the largest
# peak resident memory of one run.
measure() {  # label, then a command taking the file as its last argument
  local label="$1"
  shift
  local start end peak=0
  start=$(date +%s.%N)
  for ((r = 0; r < rounds; ++r)); do
    for f in "${files[@]}"; do
      /usr/bin/time -f "%M" -o "$work/rss" "$@" "$f" >/dev/null 2>"$work/err" || {
        echo "$label failed on $f: $(cat "$work/err")" >&2
        return 1
      }
      local rss
      rss=$(tail -1 "$work/rss")
      ((rss > peak)) && peak=$rss
    done
  done
  end=$(date +%s.%N)
  python3 -c "import sys; t=$end-$start; mb=${bytes_now:-$bytes}*$rounds/1e6; print(f'{sys.argv[1]:<40} {t:7.2f} s {mb/t:8.2f} MB/s  peak {$peak/1024:6.0f} MB')" "$label" | tee -a "$work/results"
}

# The speed of LABEL against every other line measured since the last reset.
ratios() {  # label
  python3 - "$work/results" "$1" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label = line[:40].strip()
    rows[label] = float(line.split('MB/s')[0].split()[-1])
base = rows[sys.argv[2]]
for label, rate in rows.items():
    if label != sys.argv[2]:
        print(f"{sys.argv[2]} is {base / rate:6.2f}x {label}")
PY
}

echo "== ${#files[@]} .docx files, $(python3 -c "print(round($bytes/1e6, 2))") MB, $rounds rounds, one process per file =="
measure "taizhang text" "$root/build/taizhang" text
measure "taizhang outline" "$root/build/taizhang" outline
measure "pandoc -t plain" pandoc -t plain
ratios "taizhang text"

docx_files=("${files[@]}")
files=("$shared/fixtures/seed-compilation.pdf")
bytes_now=$(cat "${files[@]}" | wc -c)
: > "$work/results"
echo
echo "== seed-compilation.pdf, $(python3 -c "print(round($bytes_now/1e6, 2))") MB, 105 pages, $rounds rounds =="
measure "taizhang text (pdf)" "$root/build/taizhang" text
measure "pdftotext" pdftotext -enc UTF-8 -q
measure "pdftotext -layout" pdftotext -layout -enc UTF-8 -q
ratios "taizhang text (pdf)"
files=("${docx_files[@]}")
bytes_now=$bytes

# Within one process (a province's files in one command), no start-up costs.
start=$(date +%s.%N)
for ((r = 0; r < rounds; ++r)); do "$root/build/taizhang" text "${files[@]}" >/dev/null; done
end=$(date +%s.%N)
python3 -c "t=$end-$start; print(f'taizhang text, all files in one process  {t:7.2f} s {$bytes*$rounds/1e6/t:8.2f} MB/s')"

# One large Word document (the seed compilation's body 20 times, ~1.7 MB):
# the reading itself, start-up costs aside.
python3 - "$shared/fixtures/seed-compilation.docx" "$work/large.docx" <<'PY'
import sys, zipfile
source = zipfile.ZipFile(sys.argv[1])
doc = source.read("word/document.xml").decode()
start = doc.index("<w:body>") + len("<w:body>")
end = doc.rindex("<w:sectPr")
large = doc[:start] + doc[start:end] * 20 + doc[end:]
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:
    for item in source.infolist():
        data = large.encode() if item.filename == "word/document.xml" else source.read(item.filename)
        out.writestr(item.filename, data)
PY
large_bytes=$(wc -c < "$work/large.docx")
echo
echo "== one large .docx, $(python3 -c "print(round($large_bytes/1e6, 2))") MB (the seed compilation 20 times), once =="
: > "$work/results"
files=("$work/large.docx")
bytes_now=$large_bytes
saved_rounds=$rounds
rounds=1
measure "taizhang text (large)" "$root/build/taizhang" text
measure "pandoc -t plain (large)" pandoc -t plain
ratios "taizhang text (large)"
rounds=$saved_rounds
files=("${docx_files[@]}")
bytes_now=$bytes

if command -v soffice >/dev/null; then
  start=$(date +%s.%N)
  soffice --headless --convert-to "txt:Text (encoded):UTF8" --outdir "$work" "${files[@]}" >/dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "t=$end-$start; print(f'LibreOffice (one run, {len(\"${files[*]}\".split())} files, once)   {t:7.2f} s {$bytes/1e6/t:8.2f} MB/s')"
fi
