#!/usr/bin/env python3
"""Concurrency test of the ledger store: many processes updating the same items at once.

  scripts/ledger-concurrency-test.py [path/to/taizhang] [--procs 20] [--cycles 10] [--items 3]
                                     [--backend sqlite|postgres|both] [--seed S]

Per backend (SQLite: a temporary file; PostgreSQL: a fresh database on the
server at $TAIZHANG_TEST_POSTGRES_URL, dropped afterwards): 3 items are added
with `taizhang ledger add`, then 20 processes start at once (a barrier) and
each does 10 read-modify-write cycles on a randomly chosen item:
`ledger show ID --json` (version V, task T), then
`ledger update ID --if-version V --task "T+p<proc>-<n>"` — appending a token
to the task, like incrementing a counter. Each update must either succeed
(exit 0, reporting version V+1) or be refused (exit 6, with 本次修改未保存 on
stderr); anything else is a failure (a busy-timeout error
数据库正被其他进程占用 included).

Afterwards, for every item: its task holds exactly the tokens of the
successful updates to it, each once (no lost update, no refused update
saved); its version is 1 + its successes; `ledger history ID --json` has
exactly 1 + successes rows, and the update rows form one chain (each starts
from the task the previous one left, and adds one token). Refusals must occur
(> 0: the locking is exercised).

Then a second phase: the same processes at once, each doing 10 changes
without --if-version — `ledger progress ID --note TOKEN` and `ledger update
ID --measures TOKEN` in turn — which the store applies to whatever version is
current (re-reading and retrying when another writer was faster, or when the
database aborts the transaction: serialization failure, deadlock, busy).
Every one must succeed (exit 0), and afterwards every token must be in the
item's history exactly once (a progress row whose note, an update row whose
measures, is the token) and every progress token in its progress entries;
the version is 1 + every change of both phases.

Without $TAIZHANG_TEST_POSTGRES_URL the PostgreSQL half is skipped (a note is
printed), unless TAIZHANG_REQUIRE_POSTGRES=1, where that is a failure.
Exits 1 on any failure.
"""
import argparse
import collections
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXIT_OK, EXIT_CONFLICT = 0, 6
CONFLICT_TEXT = "本次修改未保存"
BUSY_TEXT = "数据库正被其他进程占用"


class Failure(Exception):
    pass


def log(*args):
    print(*args, flush=True)


def run_cli(binary, db, cwd, args, user):
    run = subprocess.run([binary] + args + ["--db", db, "--user", user], cwd=cwd, capture_output=True)
    return run.returncode, run.stdout.decode("utf-8", "replace"), run.stderr.decode("utf-8", "replace")


def worker(proc, binary, db, cwd, items, cycles, seed, barrier, results):
    """K read-modify-write cycles; one result dict per cycle, put on `results`."""
    rng = random.Random(f"{seed}-{proc}")
    user = f"并发进程{proc:02d}"
    out = []
    try:
        barrier.wait(timeout=120)
        for n in range(cycles):
            item = rng.choice(items)
            token = f"p{proc:02d}-{n:02d}"
            record = {"proc": proc, "n": n, "item": item, "token": token}
            rc, stdout, stderr = run_cli(binary, db, cwd, ["ledger", "show", str(item), "--json"], user)
            if rc != 0:
                record.update(outcome="show failed", rc=rc, stderr=stderr)
                out.append(record)
                continue
            shown = json.loads(stdout)["item"]
            version, task = shown["version"], shown["task"]
            record["version"] = version
            rc, stdout, stderr = run_cli(binary, db, cwd, ["ledger", "update", str(item), "--if-version", str(version),
                                                           "--task", f"{task}+{token}"], user)
            record.update(rc=rc, stdout=stdout, stderr=stderr)
            if rc == EXIT_OK:
                record["outcome"] = "success"
            elif rc == EXIT_CONFLICT:
                record["outcome"] = "conflict"
            else:
                record["outcome"] = "error"
            out.append(record)
    except Exception as e:  # reported by the parent
        out.append({"proc": proc, "outcome": "worker exception", "stderr": repr(e)})
    results.put(out)


def blind_worker(proc, binary, db, cwd, items, cycles, seed, barrier, results):
    """K changes without --if-version; one result dict per change, put on `results`."""
    rng = random.Random(f"{seed}-blind-{proc}")
    user = f"并发进程{proc:02d}"
    out = []
    try:
        barrier.wait(timeout=120)
        for n in range(cycles):
            item = rng.choice(items)
            token = f"b{proc:02d}-{n:02d}"
            kind = "progress" if n % 2 == 0 else "update"
            args = ["ledger", "progress", str(item), "--note", token] if kind == "progress" else \
                ["ledger", "update", str(item), "--measures", token]
            rc, stdout, stderr = run_cli(binary, db, cwd, args, user)
            out.append({"proc": proc, "n": n, "item": item, "token": token, "kind": kind, "rc": rc,
                        "stdout": stdout, "stderr": stderr, "outcome": "success" if rc == EXIT_OK else "error"})
    except Exception as e:  # reported by the parent
        out.append({"proc": proc, "outcome": "worker exception", "stderr": repr(e)})
    results.put(out)


def race(target, binary, backend, work, items, args, seed):
    """Runs `target` in args.procs processes started at once; their records."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(args.procs + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=target, args=(p, binary, backend.url, work, sorted(items), args.cycles, seed,
                                              barrier, results))
             for p in range(args.procs)]
    for p in procs:
        p.start()
    barrier.wait(timeout=120)  # every worker is ready: go
    records = []
    for _ in procs:
        try:
            records.extend(results.get(timeout=600))
        except Exception:
            raise Failure("并发进程 600 秒内没有全部结束")
    for p in procs:
        p.join(timeout=60)
    return records


def blind_phase(binary, backend, work, items, args, seed, earlier, problem):
    """Concurrent changes without --if-version: all succeed, all in the history.

    `earlier`: item → the changes of the first phase (for the version)."""
    go = time.monotonic()
    records = race(blind_worker, binary, backend, work, items, args, seed)
    racing = time.monotonic() - go
    landed = collections.defaultdict(lambda: {"progress": [], "update": []})
    failed = 0
    for r in records:
        where = f"进程 {r['proc']}" + (f" 第 {r['n']} 次（事项 {r['item']}，{r['kind']}）" if "n" in r else "")
        if r["outcome"] != "success":
            failed += 1
            busy = "（数据库忙，等待超时）" if BUSY_TEXT in r.get("stderr", "") else ""
            problem(f"{where}：不带 --if-version 的修改失败{busy}，退出码 {r.get('rc')}：{r.get('stderr', '').strip()}")
            continue
        landed[r["item"]][r["kind"]].append(r["token"])
        m = re.search(r"编号 (\d+)，版本 (\d+)", r["stdout"])
        if not m or int(m.group(1)) != r["item"]:
            problem(f"{where}：修改成功，但没有报告事项与版本：{r['stdout'].strip()}")
    expected = args.procs * args.cycles
    if len(records) != expected:
        problem(f"不带 --if-version：只有 {len(records)} 个结果，应有 {expected} 个")
    for item in sorted(items):
        rc, out, err = run_cli(binary, backend.url, work, ["ledger", "show", str(item), "--json"], "检查")
        if rc != 0:
            problem(f"事项 {item}：ledger show 失败（退出码 {rc}）：{err.strip()}")
            continue
        shown = json.loads(out)["item"]
        rc, out, err = run_cli(binary, backend.url, work, ["ledger", "history", str(item), "--json"], "检查")
        if rc != 0:
            problem(f"事项 {item}：ledger history 失败（退出码 {rc}）：{err.strip()}")
            continue
        history = json.loads(out)["history"]
        won = landed[item]
        in_history = {"progress": [], "update": []}
        for h in history:
            after = h.get("after") or {}
            if h["action"] == "progress" and str(after.get("progress_note", "")).startswith("b"):
                in_history["progress"].append(after["progress_note"])
            elif h["action"] == "update" and "measures" in after:
                in_history["update"].append(after["measures"])
        for kind in ("progress", "update"):
            if collections.Counter(in_history[kind]) != collections.Counter(won[kind]):
                missing = sorted(set(won[kind]) - set(in_history[kind]))
                extra = sorted(set(in_history[kind]) - set(won[kind]))
                problem(f"事项 {item}：历史中的 {kind} 记录与成功的修改不符（缺 {' '.join(missing) or '无'}，"
                        f"多 {' '.join(extra) or '无'}）")
        notes = [e["note"] for e in shown.get("progress_entries", [])]
        if collections.Counter(n for n in notes if n.startswith("b")) != collections.Counter(won["progress"]):
            problem(f"事项 {item}：进展记录与成功的进展不符")
        changes = len(won["progress"]) + len(won["update"])
        if shown["version"] != 1 + earlier[item] + changes:
            problem(f"事项 {item}：版本 {shown['version']}，应为 1 + {earlier[item]} + {changes}")
        if len(history) != 1 + earlier[item] + changes:
            problem(f"事项 {item}：历史记录 {len(history)} 条，应为 1 + {earlier[item]} + {changes} 条")
    log(f"  不带 --if-version：{args.procs} 个进程 × {args.cycles} 次修改，成功 {expected - failed}，失败 {failed}；"
        f"并发部分 {racing:.1f} s")


class SqliteBackend:
    name = "SQLite"

    def __init__(self, work):
        self.url = os.path.join(work, "ledger.db")

    def close(self, keep):
        pass


class PostgresBackend:
    name = "PostgreSQL"

    def __init__(self, server_url, psql, label):
        self.psql = psql
        self.server_url = server_url
        self.database = f"tz_{label}_{os.getpid()}_{random.SystemRandom().randrange(16**6):06x}"
        parts = urllib.parse.urlsplit(server_url)
        self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.database))
        self.admin(f"CREATE DATABASE {self.database}")

    def admin(self, sql):
        run = subprocess.run([self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.server_url, "-c", sql],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise Failure(f"psql 失败（{sql}）：{run.stderr.strip()}")

    def close(self, keep):
        if keep:
            log(f"  保留数据库 {self.url}")
            return
        self.admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")


def test_backend(binary, backend, work, args, seed):
    """Returns the list of problems."""
    problems = []

    def problem(text):
        problems.append(text)
        log("  !! " + text)

    started = time.monotonic()
    items = {}  # id → initial task
    for k in range(args.items):
        task = f"并发测试事项{k + 1}"
        rc, out, err = run_cli(binary, backend.url, work,
                               ["ledger", "add", "--unit", "并发测试单位", "--task", task, "--year", "2025", "--json"],
                               "准备")
        if rc != 0:
            raise Failure(f"ledger add 失败（退出码 {rc}）：{err.strip()}")
        items[json.loads(out)["item"]["id"]] = task

    go = time.monotonic()
    records = race(worker, binary, backend, work, items, args, seed)
    racing = time.monotonic() - go

    successes = collections.defaultdict(list)  # item → tokens
    refused = collections.defaultdict(list)
    counts = collections.Counter()
    for r in records:
        counts[r["outcome"]] += 1
        where = f"进程 {r['proc']}" + (f" 第 {r['n']} 次（事项 {r['item']}）" if "n" in r else "")
        if r["outcome"] == "success":
            successes[r["item"]].append(r["token"])
            m = re.search(r"编号 (\d+)，版本 (\d+)", r["stdout"])
            if not m or int(m.group(1)) != r["item"] or int(m.group(2)) != r["version"] + 1:
                problem(f"{where}：修改成功，但报告的不是版本 {r['version'] + 1}：{r['stdout'].strip()}")
        elif r["outcome"] == "conflict":
            refused[r["item"]].append(r["token"])
            if CONFLICT_TEXT not in r["stderr"]:
                problem(f"{where}：被拒绝（退出码 6），但没有说明“{CONFLICT_TEXT}”：{r['stderr'].strip()}")
        else:
            busy = "（数据库忙，等待超时）" if BUSY_TEXT in r.get("stderr", "") else ""
            problem(f"{where}：{r['outcome']}{busy}，退出码 {r.get('rc')}：{r.get('stderr', '').strip()}")
    expected = args.procs * args.cycles
    if len(records) != expected:
        problem(f"只有 {len(records)} 个结果，应有 {expected} 个")

    for item, initial in sorted(items.items()):
        rc, out, err = run_cli(binary, backend.url, work, ["ledger", "show", str(item), "--json"], "检查")
        if rc != 0:
            problem(f"事项 {item}：ledger show 失败（退出码 {rc}）：{err.strip()}")
            continue
        shown = json.loads(out)["item"]
        task = shown["task"]
        won = successes[item]
        if not task.startswith(initial):
            problem(f"事项 {item}：工作任务不再以“{initial}”开头：{task}")
        final_tokens = task[len(initial):].split("+")[1:] if task != initial else []
        lost = sorted(set(won) - set(final_tokens))
        saved_refused = sorted(set(refused[item]) & set(final_tokens))
        foreign = sorted(set(final_tokens) - set(won) - set(refused[item]))
        if lost:
            problem(f"事项 {item}：丢失的修改（成功了却不在工作任务里）：{' '.join(lost)}")
        if saved_refused:
            problem(f"事项 {item}：被拒绝的修改却保存了：{' '.join(saved_refused)}")
        if foreign or collections.Counter(final_tokens) != collections.Counter(won):
            problem(f"事项 {item}：工作任务中的记号与成功的修改不符：{task}")
        if shown["version"] != 1 + len(won):
            problem(f"事项 {item}：版本 {shown['version']}，应为 1 + {len(won)} 次成功的修改")
        rc, out, err = run_cli(binary, backend.url, work, ["ledger", "history", str(item), "--json"], "检查")
        if rc != 0:
            problem(f"事项 {item}：ledger history 失败（退出码 {rc}）：{err.strip()}")
            continue
        history = json.loads(out)["history"]
        if len(history) != 1 + len(won):
            problem(f"事项 {item}：历史记录 {len(history)} 条，应为 1 + {len(won)} 条")
        # The update rows form one chain from the initial task to the final one.
        previous = initial
        for h in history:
            if h["action"] == "create":
                continue
            before = (h.get("before") or {}).get("task")
            after = (h.get("after") or {}).get("task")
            if h["action"] != "update" or before != previous or after is None or not after.startswith(previous + "+") \
                    or "+" in after[len(previous) + 1:]:
                problem(f"事项 {item}：历史记录 {h['id']} 不接续上一条：{h['action']} {before!r} → {after!r}")
                break
            previous = after
        else:
            if previous != task:
                problem(f"事项 {item}：历史记录的最后结果与当前工作任务不同")
        log(f"  事项 {item}：成功 {len(won)}，被拒绝 {len(refused[item])}，版本 {shown['version']}，"
            f"历史 {len(history)} 条")

    refusals = sum(len(v) for v in refused.values())
    if refusals == 0:
        problem("没有一次修改被拒绝：乐观锁没有经受考验")
    blind_phase(binary, backend, work, items, args, seed, {item: len(successes[item]) for item in items}, problem)
    verify_rc, out, err = run_cli(binary, backend.url, work, ["ledger", "verify"], "检查")
    if verify_rc != 0:
        problem(f"ledger verify 退出码 {verify_rc}：{(out + err).strip()}")
    log(f"  {args.procs} 个进程 × {args.cycles} 次读—改—写：成功 {counts['success']}，被拒绝 {refusals}"
        f"（都说明了“{CONFLICT_TEXT}”：{'否' if any('没有说明' in p for p in problems) else '是'}），"
        f"其他 {expected - counts['success'] - counts['conflict']}；并发部分 {racing:.1f} s，"
        f"共 {time.monotonic() - started:.1f} s")
    return problems


def postgres_server():
    url = os.environ.get("TAIZHANG_TEST_POSTGRES_URL", "")
    required = os.environ.get("TAIZHANG_REQUIRE_POSTGRES") == "1"
    if not url:
        if required:
            raise Failure("TAIZHANG_REQUIRE_POSTGRES=1，但没有设置 TAIZHANG_TEST_POSTGRES_URL")
        log("注意：没有设置 TAIZHANG_TEST_POSTGRES_URL，跳过 PostgreSQL 部分。")
        return None
    psql = shutil.which("psql")
    if psql is None:
        if required:
            raise Failure("TAIZHANG_REQUIRE_POSTGRES=1，但找不到 psql（Debian：postgresql-client-15）")
        log("注意：找不到 psql，跳过 PostgreSQL 部分。")
        return None
    return url, psql


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary", nargs="?", default=os.path.join(ROOT, "build", "taizhang"))
    parser.add_argument("--procs", type=int, default=20, help="processes at once (default 20)")
    parser.add_argument("--cycles", type=int, default=10, help="read-modify-write cycles per process (default 10)")
    parser.add_argument("--items", type=int, default=3, help="items they share (default 3)")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random, printed)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    log(f"ledger concurrency test: {args.binary}, {args.procs} processes × {args.cycles} cycles on {args.items} "
        f"items, --seed {seed}")
    try:
        backends = []
        if args.backend in ("sqlite", "both"):
            backends.append("sqlite")
        if args.backend in ("postgres", "both"):
            server = postgres_server()
            if server:
                backends.append("postgres")
    except Failure as e:
        log(f"失败：{e}")
        return 1
    failed = False
    for name in backends:
        work = tempfile.mkdtemp(prefix="tz-concurrency-")
        backend = None
        problems = []
        try:
            backend = SqliteBackend(work) if name == "sqlite" else PostgresBackend(*server, "concurrency")
            log(f"{backend.name}：{backend.url}")
            problems = test_backend(args.binary, backend, work, args, seed)
        except Failure as e:
            problems = [str(e)]
            log(f"  失败：{e}")
        finally:
            keep = args.keep or bool(problems)
            if backend is not None:
                try:
                    backend.close(keep)
                except Failure as e:
                    log(f"  清理失败：{e}")
            if keep:
                log(f"  保留目录 {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
        if problems:
            failed = True
            log(f"{name}：发现 {len(problems)} 处问题（--seed {seed}）")
        else:
            log(f"{name}：没有丢失的修改，每次拒绝都有说明")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
