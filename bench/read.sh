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
# taizhang, and peak memory. Usage: bench/read.sh [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-20}"
if ! command -v pandoc >/dev/null || ! command -v pdftotext >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends pandoc poppler-utils >/dev/null
fi
"$root/scripts/build.sh" "$root/build" >/dev/null
shared="$root/../shared/corpus"
files=("$shared/fixtures/seed-compilation.docx" "$shared"/docx/*.docx)
bytes=$(cat "${files[@]}" | wc -c)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

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
