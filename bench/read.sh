#!/usr/bin/env bash
# Reading Word files: taizhang against the tools users would otherwise run
# to get the text out, on the same files in one run:
#   pandoc -t plain   (Debian's pandoc; drops Word's automatic numbering)
#   soffice --convert-to txt   (LibreOffice; renders the numbering, ~1 s/file)
# Files: the seed compilation as Word made it and the four real provincial
# reports of ../shared/corpus, each read ROUNDS times (default 20).
# pandoc (and LibreOffice, if wanted) are installed here only, never by the
# project's own set-up. Prints MB/s of .docx bytes, the ratio to taizhang,
# and peak memory. Usage: bench/read.sh [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-20}"
if ! command -v pandoc >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends pandoc >/dev/null
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
  python3 -c "import sys; t=$end-$start; mb=$bytes*$rounds/1e6; print(f'{sys.argv[1]:<40} {t:7.2f} s {mb/t:8.2f} MB/s  peak {$peak/1024:6.0f} MB')" "$label" | tee -a "$work/results"
}

echo "== ${#files[@]} .docx files, $(python3 -c "print(round($bytes/1e6, 2))") MB, $rounds rounds, one process per file =="
measure "taizhang text" "$root/build/taizhang" text
measure "taizhang outline" "$root/build/taizhang" outline
measure "pandoc -t plain" pandoc -t plain
python3 - "$work/results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label = line[:40].strip()
    rows[label] = float(line.split('MB/s')[0].split()[-1])
base = rows["taizhang text"]
for label, rate in rows.items():
    if label != "taizhang text":
        print(f"taizhang text is {base / rate:6.1f}x {label}")
PY

# Within one process (a province's files in one command), no start-up costs.
start=$(date +%s.%N)
for ((r = 0; r < rounds; ++r)); do "$root/build/taizhang" text "${files[@]}" >/dev/null; done
end=$(date +%s.%N)
python3 -c "t=$end-$start; print(f'taizhang text, all files in one process  {t:7.2f} s {$bytes*$rounds/1e6/t:8.2f} MB/s')"

if command -v soffice >/dev/null; then
  start=$(date +%s.%N)
  soffice --headless --convert-to "txt:Text (encoded):UTF8" --outdir "$work" "${files[@]}" >/dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "t=$end-$start; print(f'LibreOffice (one run, {len(\"${files[*]}\".split())} files, once)   {t:7.2f} s {$bytes/1e6/t:8.2f} MB/s')"
fi
