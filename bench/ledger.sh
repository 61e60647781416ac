#!/usr/bin/env bash
# The ledger store under load (bench/ledger_bench.cc), on both backends:
#   import — N_REPORTS (default 1000) reports made from the seed compilation,
#            as N single-report files (the realistic case: one file per unit)
#            and as ceil(N/16) compilations of 16, each report under its own
#            unit name (安平县水利局, 临河县水利局 …) so that every file's
#            content hash differs and its plan items become new ledger items;
#            imported into a new SQLite file and into a throwaway PostgreSQL 15
#            server (scripts/pg-test-server.sh: fsync off). Reports/s and MB/s.
#            The same files through `taizhang check` and through the import's
#            own pipeline without a store (`ledger_bench pipeline`) show what
#            share of the import time the store takes.
#            Each import twice: one file per transaction (the default) and
#            BATCH (default 100) files per transaction (`import --batch`),
#            analyzed on JOBS (default 1) threads and stored in input order
#            (`import -j`).
#   progress — PROGRESS_CALLS (default 200) `taizhang ledger progress` calls,
#            each its own process doing one write, on SQLite and PostgreSQL:
#            calls/s, and the fdatasync/fsync calls of one (strace -c).
#   list   — the ledger filled with LIST_ITEMS (default 100000) items, then
#            LIST_QUERIES (default 200) ListItems queries of six kinds, a page
#            of 50 items each: p50 / p99 of the wall clock, and of the
#            querying thread's own CPU time (the query's work apart from
#            waiting for a core; on PostgreSQL the client's part only).
# Usage: bench/ledger.sh [N_REPORTS]  (env: BATCH, JOBS, PROGRESS_CALLS, LIST_ITEMS, LIST_QUERIES)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-1000}"
items="${LIST_ITEMS:-100000}"
queries="${LIST_QUERIES:-200}"
batch="${BATCH:-100}"
calls="${PROGRESS_CALLS:-200}"
jobs="${JOBS:-1}"
seed="$root/../shared/corpus/seed/000_149dd883a1863841.txt"
bench="$root/build/ledger_bench"
cli="$root/build/taizhang"
pg="$root/scripts/pg-test-server.sh"

"$root/scripts/build.sh" "$root/build" >/dev/null
work="$(mktemp -d /tmp/taizhang-ledger-bench.XXXXXX)"
# The server's directory must be reachable by the `postgres` user when run as
# root, so not inside $work (mode 700).
pgdir="$(mktemp -u /tmp/taizhang-bench-pg.XXXXXX)"
cleanup() {
  "$pg" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- The report files ------------------------------------------------------------
python3 - "$seed" "$n" "$work" <<'PY'
import hashlib, os, sys
seed, n, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(seed, encoding='utf-8').read().split('\n')
# The 16 reports of the compilation: (title line, last line), 1-based, as
# `taizhang outline --json` finds them.
ranges = [(27, 50), (54, 91), (95, 116), (120, 145), (150, 166), (171, 198), (202, 217), (221, 238),
          (242, 265), (269, 297), (301, 313), (317, 358), (362, 404), (407, 489), (493, 539), (543, 577)]
reports = [lines[a - 1:b] for a, b in ranges]
first = '安临东青白永长金石龙凤新南北西江丰和宁清'
second = '平河山川水宁乐沙门泉台丰江流乡源城远阳溪'
places = [a + b for a in first for b in second]
if (n + 15) // 16 > len(places):
    sys.exit(f'at most {16 * len(places)} reports')

def report(k, place):
    body = list(reports[k])
    title = body[0]
    # "2023年工作总结…" → "安平县2023年…"; "县水利局…" → "安平县水利局…"; "街道…" → "安平街道…"
    body[0] = place + ('县' if title[0].isdigit() else '') + title
    return '\n'.join(body) + '\n'

hashes = set()
def write(path, text):
    data = text.encode('utf-8')
    hashes.add(hashlib.sha256(data).hexdigest())
    open(path, 'wb').write(data)

os.mkdir(f'{work}/single')
for k in range(n):
    write(f'{work}/single/{k:05d}.txt', report(k % 16, places[k // 16]))
os.mkdir(f'{work}/compilation')
files = (n + 15) // 16
for k in range(files):
    place = places[k]
    text = f'{place}县2023年工作总结和2024年工作计划汇编（16篇）\n\n' + '\n\n'.join(report(r, place) for r in range(16))
    write(f'{work}/compilation/{k:04d}.txt', text)
assert len(hashes) == n + files, 'content hashes repeat'
PY
single_files=$n
comp_files=$(( (n + 15) / 16 ))
summary="$work/summary"
: > "$summary"

# Runs ledger_bench, shows its output, keeps its summary line under a label.
record() {  # label ledger_bench-args…
  local label="$1"
  shift
  "$bench" "$@" | tee "$work/out"
  sed -n "s/^summary: /$label /p" "$work/out" >> "$summary"
}

# `taizhang check` over the files, one process (exits 1 when it finds errors).
check_cli() {  # label dir
  local label="$1" dir="$2" start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$cli" check "$dir"/*.txt >/dev/null || [ $? -eq 1 ]
  end=$(date +%s.%N)
  python3 - "$label" "$dir" "$start" "$end" "$work/rss" <<'PY' | tee -a "$summary"
import os, sys
label, d, start, end, rss = sys.argv[1:]
files = os.listdir(d)
mb = sum(os.path.getsize(os.path.join(d, f)) for f in files) / 1e6
t = float(end) - float(start)
rss_mb = int(open(rss).read().split()[-1]) / 1024
print(f'{label} mode=check files={len(files)} mb={mb:.3f} seconds={t:.3f} mb_per_s={mb / t:.3f} rss_mb={rss_mb:.0f}')
PY
}

for kind in single compilation; do
  echo "== pipeline without the store, $kind files =="
  record "pipeline-$kind" pipeline "$work/$kind"
  echo
  echo "== taizhang check, $kind files =="
  check_cli "check-$kind" "$work/$kind"
  echo
  echo "== import into SQLite, $kind files =="
  record "sqlite-$kind" import "$work/sqlite-$kind.db" "$work/$kind" 1 "$jobs"
  echo "database size   $(du -k "$work/sqlite-$kind.db" | cut -f1) KB"
  echo
  echo "== import into SQLite, $kind files, $batch per transaction =="
  record "sqlite-$kind-batch" import "$work/sqlite-$kind-batch.db" "$work/$kind" "$batch" "$jobs"
  echo
done

echo "== PostgreSQL: throwaway server =="
url="$("$pg" start "$pgdir")"
base="${url%/*}"
echo "$url"
for db in bench_single bench_compilation bench_single_batch bench_compilation_batch bench_list bench_progress; do
  psql "$url" -qXc "CREATE DATABASE $db" >/dev/null
done
echo
for kind in single compilation; do
  echo "== import into PostgreSQL, $kind files =="
  record "postgres-$kind" import "$base/bench_$kind" "$work/$kind" 1 "$jobs"
  echo "database size   $(psql "$base/bench_$kind" -qAtXc "SELECT pg_database_size(current_database()) / 1024") KB"
  echo
  echo "== import into PostgreSQL, $kind files, $batch per transaction =="
  record "postgres-$kind-batch" import "$base/bench_${kind}_batch" "$work/$kind" "$batch" "$jobs"
  echo
done

# `ledger progress` on one item, `calls` times, each call its own process.
progress_cli() {  # label db
  local label="$1" db="$2" start end syncs
  TAIZHANG_USER=基准测试 "$cli" ledger add --db "$db" --unit 县水利局 --task 完成水库除险加固 --deadline 2025-12-31 >/dev/null
  syncs=""
  if command -v strace >/dev/null; then
    syncs=$(TAIZHANG_USER=基准测试 strace -f -c -e trace=fdatasync,fsync "$cli" ledger progress 1 --db "$db" --note 试 2>&1 >/dev/null |
      awk '/total/ {print $4}')
  fi
  start=$(date +%s.%N)
  for i in $(seq "$calls"); do
    TAIZHANG_USER=基准测试 "$cli" ledger progress 1 --db "$db" --note "第${i}次进展" >/dev/null
  done
  end=$(date +%s.%N)
  python3 - "$label" "$calls" "$start" "$end" "${syncs:-0}" <<'PY' | tee -a "$summary"
import sys
label, calls, start, end, syncs = sys.argv[1:]
t = float(end) - float(start)
print(f'{label} mode=progress calls={calls} seconds={t:.3f} calls_per_s={int(calls) / t:.1f} fsyncs_per_call={syncs}')
PY
}
echo "== ledger progress, $calls calls (one process each) =="
progress_cli sqlite-progress "$work/progress.db"
progress_cli postgres-progress "$base/bench_progress"
echo

echo "== list: SQLite, $items items =="
record "sqlite-list" list "$work/sqlite-list.db" "$items" "$queries" "$seed"
echo
echo "== list: PostgreSQL, $items items =="
record "postgres-list" list "$base/bench_list" "$items" "$queries" "$seed"
echo

python3 - "$summary" "$single_files" "$comp_files" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, *pairs = line.split()
    rows[label] = dict(p.split('=', 1) for p in pairs)
single, comp = sys.argv[2], sys.argv[3]
print('== summary ==')
print(f'{"import":<46} {"reports":>7} {"MB":>6} {"seconds":>8} {"CPU s":>6} {"reports/s":>9} {"MB/s":>6} {"ledger+":>7} '
      f'{"RSS MB":>6} {"store share":>11}')
for kind, files in (('single', single), ('compilation', comp)):
    base = rows.get(f'pipeline-{kind}')
    for label, name in ((f'pipeline-{kind}', 'pipeline only (no store)'), (f'check-{kind}', 'taizhang check (CLI)'),
                        (f'sqlite-{kind}', 'SQLite import'), (f'sqlite-{kind}-batch', 'SQLite import --batch'),
                        (f'postgres-{kind}', 'PostgreSQL import'),
                        (f'postgres-{kind}-batch', 'PostgreSQL import --batch')):
        r = rows.get(label)
        if r is None:
            continue
        title = f'{name}, {files} {kind} files'
        reports = r.get('reports', base['reports'] if base else '')
        seconds = float(r['seconds'])
        rps = f'{int(reports) / seconds:.1f}' if reports else ''
        share = ''
        if r['mode'] == 'import' and base:
            share = f'{100 * (1 - float(base["seconds"]) / seconds):.0f}%'
        cpu = f'{float(r["cpu_s"]):.2f}' if 'cpu_s' in r else ''
        print(f'{title:<46} {reports:>7} {float(r["mb"]):>6.2f} {seconds:>8.2f} {cpu:>6} {rps:>9} {float(r["mb_per_s"]):>6.2f} '
              f'{r.get("ledger_added", ""):>7} {r["rss_mb"]:>6} {share:>11}')
print()
for label, name in (('sqlite-progress', 'SQLite'), ('postgres-progress', 'PostgreSQL')):
    r = rows.get(label)
    if r:
        print(f'ledger progress, {name:<11} {r["calls"]} calls  {float(r["seconds"]):.2f} s  {r["calls_per_s"]} calls/s  '
              f'fdatasync+fsync per call {r["fsyncs_per_call"]}')
print()
names = ['unit+year', 'overdue', 'due within 15 days', 'status awaiting_close_off', 'problems of a unit',
         'first page']
s, p = rows.get('sqlite-list'), rows.get('postgres-list')
if s and p:
    print(f'list on {s["items"]} items, pages of 50 (ms; CPU: the querying thread\'s own CPU time, '
          f'CLOCK_THREAD_CPUTIME_ID — on PostgreSQL the client only)')
    print(f'{"":<28} {"SQLite p50":>10} {"p99":>7} {"CPU p50":>8} {"CPU p99":>8} {"PostgreSQL p50":>14} {"p99":>7} '
          f'{"CPU p50":>8} {"CPU p99":>8} {"rows":>6}')
    print(f'{"fill (ImportItems), s":<28} {float(s["fill_s"]):>10.1f} {"":>25} {float(p["fill_s"]):>14.1f}')
    print(f'{"fill, items/s":<28} {s["fill_items_per_s"]:>10} {"":>25} {p["fill_items_per_s"]:>14}')
    for i, name in enumerate(names):
        print(f'{name:<28} {s[f"q{i}_p50"]:>10} {s[f"q{i}_p99"]:>7} {s[f"q{i}_cpu_p50"]:>8} {s[f"q{i}_cpu_p99"]:>8} '
              f'{p[f"q{i}_p50"]:>14} {p[f"q{i}_p99"]:>7} {p[f"q{i}_cpu_p50"]:>8} {p[f"q{i}_cpu_p99"]:>8} '
              f'{s[f"q{i}_rows"]:>6}')
    print(f'{"overall":<28} {s["all_p50"]:>10} {s["all_p99"]:>7} {s["all_cpu_p50"]:>8} {s["all_cpu_p99"]:>8} '
          f'{p["all_p50"]:>14} {p["all_p99"]:>7} {p["all_cpu_p50"]:>8} {p["all_cpu_p99"]:>8}')
    print(f'{"(get one item by id)":<28} {s["get_p50"]:>10} {"":>7} {p["get_p50"]:>14}')
PY
