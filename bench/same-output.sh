#!/usr/bin/env bash
# Whether two builds of taizhang give byte-identical analysis outputs: every
# file of ../shared/corpus (text, Word, PDF, .doc; the scanned PDFs, which
# need minutes of OCR, left out unless SCANNED=1) through `check --json`,
# `check`, `facts --json`, `facts`, `outline --json`,
# `outline --json --sentences --paragraphs`, plus the seed repeated to ~6 MB
# (files of 4 MB and more are checked report by report) through the same,
# and `compare` (text and --json) of the pairs of more/pairs.tsv.
# Exit status 0 when every output and exit code match, 1 otherwise (the
# differing commands are listed). Each build loads the modules beside it.
# Usage: bench/same-output.sh BEFORE/taizhang AFTER/taizhang
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
before="$1"
after="$2"
corpus="$root/../shared/corpus"
work="$(mktemp -d /tmp/taizhang-same.XXXXXX)"
trap 'rm -rf "$work"' EXIT

python3 - "$corpus/seed/000_149dd883a1863841.txt" "$work/seed-6mb.txt" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
open(sys.argv[2], 'wb').write(data * (6_000_000 // len(data) + 1))
PY

mapfile -t files < <(
  find "$corpus" -type f \( -name '*.txt' -o -name '*.docx' -o -name '*.pdf' -o -name '*.doc' \) |
    { if [ "${SCANNED:-0}" = 1 ]; then cat; else grep -v '_scanned'; fi; } | sort)
files+=("$work/seed-6mb.txt")

commands=("check --json" "check" "facts --json" "facts" "outline --json"
          "outline --json --sentences --paragraphs")
differ=0
compared=0
for f in "${files[@]}"; do
  for c in "${commands[@]}"; do
    # shellcheck disable=SC2086
    "$before" $c -j 1 "$f" >"$work/a" 2>"$work/a.err"; ra=$?
    # shellcheck disable=SC2086
    "$after" $c -j 1 "$f" >"$work/b" 2>"$work/b.err"; rb=$?
    compared=$((compared + 1))
    if [ $ra -ne $rb ] || ! cmp -s "$work/a" "$work/b" || ! cmp -s "$work/a.err" "$work/b.err"; then
      echo "DIFFERS: $c $f (exit $ra / $rb)"
      differ=$((differ + 1))
    fi
  done
done
# Several files in one run (the order of the outputs, -j 2).
mapfile -t texts < <(find "$corpus/more" "$corpus/seed" -name '*.txt' | sort)
for c in "check --json" "facts --json" "outline --json"; do
  # shellcheck disable=SC2086
  "$before" $c -j 2 "${texts[@]}" >"$work/a" 2>&1; ra=$?
  # shellcheck disable=SC2086
  "$after" $c -j 2 "${texts[@]}" >"$work/b" 2>&1; rb=$?
  compared=$((compared + 1))
  if [ $ra -ne $rb ] || ! cmp -s "$work/a" "$work/b"; then
    echo "DIFFERS: $c -j 2 (all texts)"
    differ=$((differ + 1))
  fi
done
# compare, text and --json, for the plan/result pairs of more/pairs.tsv.
while IFS=$'\t' read -r _ _ _ _ plan result _; do
  [ "$plan" = plan_file ] && continue
  for c in "compare" "compare --json"; do
    # shellcheck disable=SC2086
    "$before" $c "$corpus/more/$plan" "$corpus/more/$result" >"$work/a" 2>&1; ra=$?
    # shellcheck disable=SC2086
    "$after" $c "$corpus/more/$plan" "$corpus/more/$result" >"$work/b" 2>&1; rb=$?
    compared=$((compared + 1))
    if [ $ra -ne $rb ] || ! cmp -s "$work/a" "$work/b"; then
      echo "DIFFERS: $c $plan $result (exit $ra / $rb)"
      differ=$((differ + 1))
    fi
  done
done <"$corpus/more/pairs.tsv"
echo "$compared outputs compared over ${#files[@]} files, $differ differ"
[ $differ -eq 0 ]
