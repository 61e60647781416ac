#!/usr/bin/env bash
# Peak resident memory of every command on large single inputs, against the
# bounds aimed at (issue 20, not yet met by every command): any one input
# needs at most 4 × its size + 100 MB; a 100 MB report compilation (text) at
# most 300 MB; a 20 MB text read as one report (--no-split) at most 150 MB.
# Inputs are made in $TMPDIR (default /tmp), never in the tree:
#   text-20/100/200.txt  the seed compilation repeated to 20/100/200 MB
#   word-92.docx         a 92 MB Word file: the body of the seed compilation's
#                        document.xml repeated to just under the 256 MiB part
#                        limit (deflated: ~70 MB), plus a stored 22 MB photo
#                        (word/media/image1.jpeg, random bytes), as report
#                        files with pictures are
# Measured with /usr/bin/time -v ("Maximum resident set size"). Prints one
# row per command and input: peak MB, bound MB, PASS/FAIL.
# Usage: bench/memory.sh [TAIZHANG_BINARY] [FILTER]  (FILTER: a regex over
# the row labels, e.g. 'docx|no-split'; default every row)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build/taizhang}"
filter="${2:-.}"
seed="$root/../shared/corpus/seed/000_149dd883a1863841.txt"
docx_seed="$root/../shared/corpus/fixtures/seed-compilation.docx"
dir="${TMPDIR:-/tmp}/taizhang-memory"
mkdir -p "$dir"
[ -x "$bin" ] || { echo "no binary $bin (build first: scripts/build.sh)" >&2; exit 2; }

python3 - "$seed" "$docx_seed" "$dir" <<'PY'
import os, sys, zipfile
seed, docx_seed, out = sys.argv[1:4]
data = open(seed, 'rb').read()
for mb in (20, 100, 200):
    path = f'{out}/text-{mb}.txt'
    n = mb * 10**6 // len(data)
    if not os.path.exists(path) or os.path.getsize(path) != n * len(data):
        with open(path + '.tmp', 'wb') as f:
            for _ in range(n):
                f.write(data)
        os.replace(path + '.tmp', path)
path = f'{out}/word-92.docx'
if not os.path.exists(path):
    src = zipfile.ZipFile(docx_seed)
    doc = src.read('word/document.xml')
    i = doc.index(b'<w:body>') + len(b'<w:body>')
    j = doc.rindex(b'<w:sectPr')
    head, body, tail = doc[:i], doc[i:j], doc[j:]
    n = (250 * 10**6 - len(head) - len(tail)) // len(body)   # under 256 MiB
    with zipfile.ZipFile(path + '.tmp', 'w', zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            if item.filename != 'word/document.xml':
                z.writestr(item, src.read(item.filename))
        with z.open('word/document.xml', 'w', force_zip64=True) as f:
            f.write(head)
            for _ in range(n):
                f.write(body)
            f.write(tail)
        # Pad to 92 MB with a stored picture: incompressible bytes.
        pad = 92 * 10**6 - z.fp.tell() - 4096
        info = zipfile.ZipInfo('word/media/image1.jpeg')
        info.compress_type = zipfile.ZIP_STORED
        with z.open(info, 'w', force_zip64=True) as f:
            while pad > 0:
                k = min(pad, 1 << 20)
                f.write(os.urandom(k))
                pad -= k
    os.replace(path + '.tmp', path)
PY

db="$dir/ledger.db"
printf '%-34s %9s %9s %9s %8s  %s\n' "command" "input MB" "peak MB" "bound MB" "result" "exit"
fails=0
row() {  # label, input file, bound in MB (empty: 4 × size + 100), taizhang arguments…
  local label="$1" input="$2" bound="$3"
  shift 3
  [[ "$label" =~ $filter ]] || return 0
  local size_mb
  size_mb=$(( $(stat -c %s "$input") / 1000000 ))
  [ -n "$bound" ] || bound=$(( 4 * size_mb + 100 ))
  rm -f "$db" "$db"-* "$dir/out.docx"
  /usr/bin/time -v -o "$dir/time.txt" "$bin" "$@" >/dev/null 2>"$dir/err.txt"
  local rc=$?
  local kb
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
  local mb=$(( kb / 1000 ))
  local result=PASS
  # exit 1 is "findings of error level", a normal outcome of check
  if (( mb > bound )) || { (( rc != 0 )) && (( rc != 1 )); }; then result=FAIL; fails=$((fails + 1)); fi
  printf '%-34s %9d %9d %9d %8s  %s\n' "$label" "$size_mb" "$mb" "$bound" "$result" "$rc"
  if (( rc != 0 && rc != 1 )); then head -c 300 "$dir/err.txt" | sed 's/^/    /'; echo; fi
}

for mb in 20 100 200; do
  f="$dir/text-$mb.txt"
  bound=""
  [ "$mb" = 100 ] && bound=300   # one 100 MB compilation
  row "text text-$mb" "$f" "$bound" text "$f"
  row "outline text-$mb" "$f" "$bound" outline "$f"
  row "outline --json text-$mb" "$f" "$bound" outline --json --sentences "$f"
  row "facts text-$mb" "$f" "$bound" facts "$f"
  row "facts --json text-$mb" "$f" "$bound" facts --json "$f"
  row "check text-$mb" "$f" "$bound" check "$f"
  row "check --json text-$mb" "$f" "$bound" check --json "$f"
  row "import text-$mb" "$f" "$bound" import --db "$db" "$f"
done
f="$dir/text-20.txt"
row "outline --no-split text-20" "$f" 150 outline --no-split "$f"
row "facts --no-split text-20" "$f" 150 facts --no-split --json "$f"
row "check --no-split text-20" "$f" 150 check --no-split "$f"
row "check --no-split --json text-20" "$f" 150 check --no-split --json "$f"
f="$dir/word-92.docx"
row "text docx-92" "$f" "" text "$f"
row "outline docx-92" "$f" "" outline "$f"
row "facts --json docx-92" "$f" "" facts --json "$f"
row "check docx-92" "$f" "" check "$f"
row "check --json docx-92" "$f" "" check --json "$f"
row "check --annotate docx-92" "$f" "" check --annotate "$dir/out.docx" "$f"
row "import docx-92" "$f" "" import --db "$db" "$f"
rm -f "$db" "$db"-* "$dir/out.docx"
echo "failed: $fails"
[ "$fails" = 0 ]
