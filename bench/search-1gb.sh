#!/usr/bin/env bash
# The search index at scale (issue 23): the shared corpus's text reports
# (../shared/corpus, the .txt files, 1.95 MB) copied under distinct paths
# until their text totals SIZE_MB, imported into an SQLite ledger, then the
# index built from nothing and the queries of tests/search/queries.tsv run
# (build/search_bench). CPU times (user+sys) and peak memory from
# /usr/bin/time; the machine is shared, wall time means little.
#
#   bench/search-1gb.sh [SIZE_MB=1024] [WORK=/dev/shm/tz-search] [REPEAT=5]
#
# Each copy ends with one line of its own (（副本 N）), so that its content,
# hence its hash, differs: the ledger does not import a content twice.
# Everything under WORK is removed at the end (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
WORK=${2:-/dev/shm/tz-search}
REPEAT=${3:-5}
BUILD=${BUILD:-build}
CORPUS=${CORPUS:-../shared/corpus}

rm -rf "$WORK"
mkdir -p "$WORK/files"
mapfile -t SOURCES < <(find "$CORPUS" -name '*.txt' -not -path '*/fixtures/*' | sort)
ONE=$(cat "${SOURCES[@]}" | wc -c)
COPIES=$(( (SIZE_MB * 1000000 + ONE - 1) / ONE ))
echo "corpus: ${#SOURCES[@]} files, $ONE bytes; $COPIES copies for $SIZE_MB MB"
for ((k = 1; k <= COPIES; k++)); do
  d="$WORK/files/$k"
  mkdir -p "$d"
  for f in "${SOURCES[@]}"; do
    b=$(basename "$f" .txt)
    { cat "$f"; printf '\n（副本 %d）\n' "$k"; } > "$d/$b-$k.txt"
  done
done
TEXT=$(du -sb "$WORK/files" | cut -f1)
echo "text: $TEXT bytes in $(find "$WORK/files" -type f | wc -l) files"

# Import: 100 files per transaction, 2 threads analyzing.
/usr/bin/time -f "import: user %U s, sys %S s, peak %M KB, wall %e s" \
  sh -c "find '$WORK/files' -type f | sort -V | xargs -n 2000 '$BUILD/taizhang' import --db '$WORK/ledger.db' --batch 100 -j 2" \
  > "$WORK/import.log" 2>&1 ||
  { tail -5 "$WORK/import.log"; exit 1; }
tail -1 "$WORK/import.log"
echo "ledger: $(du -sb "$WORK/ledger.db" | cut -f1) bytes"

# The index from nothing, then the 52 queries REPEAT times each.
/usr/bin/time -f "index+queries: user %U s, sys %S s, peak %M KB, wall %e s" \
  "$BUILD/search_bench" "$WORK/ledger.db" "$WORK/index" tests/search/queries.tsv:bench/search-frequent.tsv "$REPEAT" 2>&1 | tee "$WORK/bench.log"
echo "text_mb=$(echo "scale=1; $TEXT/1000000" | bc)"
if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; fi
