#!/usr/bin/env python3
"""Crash test of the ledger store: processes killed with SIGKILL at random points.

  scripts/ledger-crash-test.py [path/to/taizhang] [--runs N] [--backend sqlite|postgres|both] [--seed S]

Per backend (SQLite: a temporary file; PostgreSQL: a fresh database on the
server at $TAIZHANG_TEST_POSTGRES_URL, dropped afterwards), N runs (default
60) alternate between
  (a) `taizhang import` of a new variant of the seed compilation (16
      reports; the seed with a unique line appended, so its content hash is
      new) — under a new path, or as a new version of the same path (which
      moves ~640 ledger items), and once the seed compilation as .docx;
  (b) a burst of concurrent `ledger update` / `ledger progress` / `ledger add`
      / `ledger review assign` processes (on six imported items, accepted
      first: imported items are proposals until reviewed);
and every process is killed with SIGKILL after a random delay, uniform from 0
to a little more than the measured duration of an unkilled run (measured
first, so a slower build — ASan — gets longer delays). Just before the kill
the process is stopped (SIGSTOP) to see whether it is inside a transaction
(SQLite: it holds the WAL write lock; PostgreSQL: its backend is in a
transaction that has written or is idle in one).

After every run: `taizhang ledger verify` must exit 0; for every source the
count of reports equals its report_count; no report, heading, figure, plan
item … without its parent; as many ledger items as 'create' history rows (and
exactly one per item); as many progress rows as 'progress' history rows; as
many sources as 'import' history rows; and each killed process's write is
there entirely or not at all (its import's content hash, its token in the
item, the history, the progress table). A process that finished before its
kill must have exited 0 (or 6, a refused stale update, in a burst) and its
write must be there. At the end every file whose import was killed is
imported again: it must succeed — 'unchanged' exactly when the killed import
had committed.

Without $TAIZHANG_TEST_POSTGRES_URL the PostgreSQL half is skipped (a note is
printed), unless TAIZHANG_REQUIRE_POSTGRES=1, where that is a failure.
Exits 1 on any inconsistency.
"""
import argparse
import fcntl
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("TAIZHANG_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
SEED = os.path.join(SHARED, "corpus", "seed", "000_149dd883a1863841.txt")
SEED_DOCX = os.path.join(SHARED, "corpus", "fixtures", "seed-compilation.docx")
USER = "崩溃测试"

EXIT_OK, EXIT_CONFLICT = 0, 6

# Consistency queries (both dialects), each a count that must be 0.
CHECKS = [
    ("文件的报告数与 report_count 不符",
     "SELECT COUNT(*) FROM sources f WHERE f.report_count <> (SELECT COUNT(*) FROM reports r WHERE r.source_id = f.id)"),
    ("报告没有其文件",
     "SELECT COUNT(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM sources f WHERE f.id = r.source_id)"),
] + [
    (f"{table} 行没有其报告",
     f"SELECT COUNT(*) FROM {table} x WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = x.report_id)")
    for table in ("headings", "quantities", "plan_items", "relations", "findings")
] + [
    ("台账事项指向不存在的报告",
     "SELECT COUNT(*) FROM ledger_items i WHERE i.report_id IS NOT NULL AND "
     "NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = i.report_id)"),
    ("进展没有其事项",
     "SELECT COUNT(*) FROM progress p WHERE NOT EXISTS (SELECT 1 FROM ledger_items i WHERE i.id = p.item_id)"),
    ("台账事项数 ≠ 'create' 历史记录数",
     "SELECT (SELECT COUNT(*) FROM ledger_items) - "
     "(SELECT COUNT(*) FROM history WHERE entity = 'item' AND action = 'create')"),
    ("台账事项的 'create' 历史记录不是恰好一条",
     "SELECT COUNT(*) FROM ledger_items i WHERE (SELECT COUNT(*) FROM history h WHERE h.entity = 'item' AND "
     "h.action = 'create' AND h.entity_id = i.id) <> 1"),
    ("台账事项的版本 ≠ 1 + 修改历史数",
     "SELECT COUNT(*) FROM ledger_items i WHERE i.version <> 1 + (SELECT COUNT(*) FROM history h WHERE "
     "h.entity = 'item' AND h.entity_id = i.id AND h.action <> 'create')"),
    ("进展数 ≠ 'progress' 历史记录数",
     "SELECT (SELECT COUNT(*) FROM progress) - "
     "(SELECT COUNT(*) FROM history WHERE entity = 'item' AND action = 'progress')"),
    ("文件数 ≠ 'import' 历史记录数",
     "SELECT (SELECT COUNT(*) FROM sources) - "
     "(SELECT COUNT(*) FROM history WHERE entity = 'source' AND action = 'import')"),
]


class Failure(Exception):
    pass


def log(*args):
    print(*args, flush=True)


# --- Backends -----------------------------------------------------------------


class SqliteBackend:
    name = "SQLite"

    def __init__(self, work):
        self.path = os.path.join(work, "ledger.db")
        self.url = self.path

    def env(self, tag):
        return {}

    def query(self, sql, params=()):
        # Closed again at once: no connection of ours may be open while the
        # shm file is probed (closing any descriptor of a file drops the
        # process's POSIX locks on it).
        conn = sqlite3.connect(self.path, timeout=60)
        try:
            return [tuple(r) for r in conn.execute(sql, params).fetchall()]
        finally:
            conn.close()

    def in_transaction(self, pid, tag):
        """Whether the (stopped) process holds SQLite's WAL write lock: byte
        120 of the -shm file, taken by BEGIN IMMEDIATE until the commit ends."""
        try:
            fd = os.open(self.path + "-shm", os.O_RDONLY)
        except FileNotFoundError:
            return False
        try:
            request = struct.pack("hhqqii", fcntl.F_WRLCK, os.SEEK_SET, 120, 1, 0, 0)
            answer = fcntl.fcntl(fd, fcntl.F_GETLK, request)
            l_type, _, _, _, l_pid, _ = struct.unpack("hhqqii", answer)
            return l_type != fcntl.F_UNLCK and l_pid == pid
        finally:
            os.close(fd)

    def settle(self):
        pass  # the kernel drops a killed process's locks at once

    def close(self, keep):
        pass


class PsqlSession:
    """One psql process kept open: a query costs milliseconds, not the ~80 ms
    of starting psql."""

    def __init__(self, psql, url):
        self.errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.proc = subprocess.Popen([psql, "-X", "-q", "-A", "-t", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", "-d", url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                                     text=True, encoding="utf-8")
        self.queries = 0

    def query(self, sql):
        self.queries += 1
        marker = f"__taizhang_end_{self.queries}__"
        try:
            self.proc.stdin.write(sql.rstrip().rstrip(";") + ";\n\\echo " + marker + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        rows = []
        while True:
            line = self.proc.stdout.readline()
            if line == "":
                self.proc.wait()
                self.errors.seek(0)
                raise Failure(f"psql 查询失败：{self.errors.read().strip()}\n{sql}")
            line = line.rstrip("\n")
            if line == marker:
                return rows
            if line:
                rows.append(tuple(line.split("\x1f")))

    def close(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.proc.wait()
        self.errors.close()


class PostgresBackend:
    name = "PostgreSQL"

    def __init__(self, server_url, psql, label):
        self.psql = psql
        self.server_url = server_url
        self.database = f"tz_{label}_{os.getpid()}_{random.SystemRandom().randrange(16**6):06x}"
        parts = urllib.parse.urlsplit(server_url)
        self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.database))
        self.admin(f"CREATE DATABASE {self.database}")
        self.session = PsqlSession(psql, self.url)

    def admin(self, sql):
        run = subprocess.run([self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.server_url, "-c", sql],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise Failure(f"psql 失败（{sql}）：{run.stderr.strip()}")

    def env(self, tag):
        # Names the process's backend in pg_stat_activity.
        return {"PGAPPNAME": tag}

    def query(self, sql, params=()):
        assert not params
        return self.session.query(sql)

    def in_transaction(self, pid, tag):
        """Whether the (stopped) process's backend is inside a transaction
        that has written (an xid) or waits idle in one."""
        rows = self.query("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = " + sql_text(tag) +
                          " AND (backend_xid IS NOT NULL OR state LIKE 'idle in transaction%')")
        return int(rows[0][0]) > 0

    def settle(self):
        """Waits until the backends of the killed processes are gone (their
        transactions rolled back or committed), up to 60 s."""
        deadline = time.monotonic() + 60
        while True:
            rows = self.query("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                              "pid <> pg_backend_pid()")
            if int(rows[0][0]) == 0:
                return
            if time.monotonic() > deadline:
                raise Failure("被杀进程的 PostgreSQL 后端 60 秒后仍未退出")
            time.sleep(0.005)

    def close(self, keep):
        self.session.close()
        if keep:
            log(f"  保留数据库 {self.url}")
            return
        self.admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")


def sql_text(text):
    return "'" + text.replace("'", "''") + "'"


# --- The test ------------------------------------------------------------------


class CrashTest:
    def __init__(self, binary, backend, work, rng, runs, burst):
        self.binary = binary
        self.backend = backend
        self.work = work
        self.rng = rng
        self.runs = runs
        self.burst = burst
        self.seed_bytes = open(SEED, "rb").read()
        self.variants = 0
        self.processes = 0
        self.killed_imports = []  # (path, bytes, committed)
        # Outcome counts: kind → class → n.
        self.stats = {"import": {}, "burst": {}}
        self.problems = []

    # Files ---------------------------------------------------------------------

    def variant_bytes(self):
        self.variants += 1
        line = f"\n附：崩溃测试第 {self.variants} 份（{self.rng.randrange(16**8):08x}）。\n"
        return self.seed_bytes + line.encode("utf-8")

    def docx_variant(self, label):
        """The seed compilation as .docx with a zip comment: same document, new
        content hash."""
        path = os.path.join(self.work, f"seed-compilation-{label}.docx")
        shutil.copyfile(SEED_DOCX, path)
        os.chmod(path, 0o644)
        with zipfile.ZipFile(path, "a") as z:
            z.comment = f"crash test {label} {self.rng.randrange(16**8):08x}".encode()
        return path

    # Processes -----------------------------------------------------------------

    def command(self, args):
        return [self.binary] + args + ["--db", self.backend.url, "--user", USER]

    def start(self, args, tag):
        env = dict(os.environ)
        env.update(self.backend.env(tag))
        self.processes += 1
        # Output to files, not pipes: a process is never blocked on a full pipe
        # while it waits for its kill.
        out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        p = subprocess.Popen(self.command(args), cwd=self.work, env=env, stdout=out, stderr=err)
        p.output_files = (out, err)
        return p

    @staticmethod
    def output(p):
        texts = []
        for f in p.output_files:
            f.seek(0)
            texts.append(f.read().decode("utf-8", "replace"))
            f.close()
        return texts

    def run(self, args, tag="tz-crash-setup"):
        start = time.monotonic()
        p = self.start(args, tag)
        p.wait()
        out, err = self.output(p)
        return p.returncode, out, err, time.monotonic() - start

    def run_ok(self, args, what):
        rc, out, err, seconds = self.run(args)
        if rc != 0:
            raise Failure(f"{what}失败（退出码 {rc}）：{err.strip()}")
        return out, seconds

    def launch_and_kill(self, jobs):
        """Starts every job at once and kills each after its own delay.
        jobs: dicts with args, tag, delay. Fills in rc (None: killed),
        in_tx (at the kill), stdout, stderr, seconds."""
        start = time.monotonic()
        for job in jobs:
            job["proc"] = self.start(job["args"], job["tag"])
            job["started"] = time.monotonic()
        pending = list(jobs)
        while pending:
            now = time.monotonic()
            for job in list(pending):
                p = job["proc"]
                if p.poll() is not None:
                    job["rc"] = p.returncode
                    job["in_tx"] = False
                    job["seconds"] = now - job["started"]
                    pending.remove(job)
                elif now >= job["started"] + job["delay"]:
                    os.kill(p.pid, signal.SIGSTOP)
                    try:
                        job["in_tx"] = self.backend.in_transaction(p.pid, job["tag"])
                    finally:
                        os.kill(p.pid, signal.SIGKILL)
                    p.wait()
                    job["rc"] = None
                    job["seconds"] = job["delay"]
                    pending.remove(job)
            if pending:
                next_deadline = min(j["started"] + j["delay"] for j in pending)
                time.sleep(max(0.0, min(0.002, next_deadline - time.monotonic())))
        for job in jobs:
            job["stdout"], job["stderr"] = self.output(job["proc"])
            if job["rc"] is not None and job["rc"] < 0:
                # Killed by something else (ASan abort, …).
                self.problem(f"{job['tag']}：进程异常终止（信号 {-job['rc']}）：{job['stderr'].strip()}")
        self.backend.settle()
        return time.monotonic() - start

    def problem(self, text):
        self.problems.append(text)
        log("  !! " + text)

    def classify(self, kind, job, committed):
        if job["rc"] is None:
            cls = ("killed in tx, committed" if committed else "killed in tx, rolled back") if job["in_tx"] else \
                  ("killed after commit" if committed else "killed before tx")
        else:
            cls = f"finished (exit {job['rc']})"
        self.stats[kind][cls] = self.stats[kind].get(cls, 0) + 1
        return cls

    # Checks --------------------------------------------------------------------

    def count(self, sql, params=()):
        return int(self.backend.query(sql, params)[0][0])

    def check_consistency(self, when):
        rc, out, err, _ = self.run(["ledger", "verify"])
        if rc != 0:
            self.problem(f"{when}：ledger verify 退出码 {rc}：{(out + err).strip()}")
        sql = "SELECT " + ", ".join(f"({q})" for _, q in CHECKS)
        row = self.backend.query(sql)[0]
        for (what, _), value in zip(CHECKS, row):
            if int(value) != 0:
                self.problem(f"{when}：{what}（{value}）")

    # Runs ----------------------------------------------------------------------

    def setup(self):
        """The base import (the rolling path, whose new versions move its ledger
        items), and unkilled measurements of every kind of run."""
        self.rolling = os.path.join(self.work, "rolling.txt")
        with open(self.rolling, "wb") as f:
            f.write(self.variant_bytes())
        _, first = self.run_ok(["import", self.rolling], "首次导入")
        self.durations = {}
        path = os.path.join(self.work, "measure.txt")
        with open(path, "wb") as f:
            f.write(self.variant_bytes())
        self.durations["new"] = self.run_ok(["import", path], "导入（测时）")[1]
        with open(self.rolling, "wb") as f:
            f.write(self.variant_bytes())
        self.durations["new_version"] = self.run_ok(["import", self.rolling], "导入新版本（测时）")[1]
        self.durations["docx"] = self.run_ok(["import", self.docx_variant("measure")], "导入 .docx（测时）")[1]
        self.items = [int(r[0]) for r in self.backend.query("SELECT id FROM ledger_items ORDER BY id LIMIT 6")]
        if len(self.items) < 6:
            raise Failure(f"首次导入后台账只有 {len(self.items)} 项")
        # Imported items are proposals: the bursts work on accepted ones.
        self.run_ok(["ledger", "review", "accept"] + [str(i) for i in self.items], "确认事项")
        # Two bursts, unkilled: the median duration of their processes.
        seconds = []
        for label in ("measure1", "measure2"):
            jobs = self.burst_jobs(label, kill=False)
            self.launch_and_kill(jobs)
            for job in jobs:
                if job["rc"] not in (EXIT_OK, EXIT_CONFLICT):
                    raise Failure(f"{job['tag']}（未被杀）退出码 {job['rc']}：{job['stderr'].strip()}")
                seconds.append(job["seconds"])
        self.durations["burst"] = sorted(seconds)[len(seconds) // 2]
        log(f"  首次导入 {first:.2f} s；未被杀的运行用时：" +
            "，".join(f"{k} {v:.2f} s" for k, v in self.durations.items()))
        self.check_consistency("测时之后")

    def burst_jobs(self, label, kill=True):
        jobs = []
        for k in range(self.burst):
            token = f"#{label}k{k}#"
            what = self.rng.choice(["update", "update", "progress", "add", "assign"])
            item = self.rng.choice(self.items)
            if what == "update":
                args = ["ledger", "update", str(item), "--task", f"崩溃测试修改 {token}"]
            elif what == "progress":
                args = ["ledger", "progress", str(item), "--note", f"崩溃测试进展 {token}", "--date", "2025-01-02"]
            elif what == "assign":
                args = ["ledger", "review", "assign", str(item), "--owner", f"崩溃测试责任人 {token}"]
            else:
                args = ["ledger", "add", "--unit", "崩溃测试单位", "--task", f"崩溃测试新增 {token}",
                        "--year", "2025"]
            delay = self.rng.uniform(0, 1.15 * self.durations["burst"]) if kill else 3600
            jobs.append({"args": args, "what": what, "item": item, "token": token, "tag": f"tz-crash-{label}-{k}",
                         "delay": delay})
        return jobs

    def burst_effect(self, job):
        """Whether the job's write is there, checking it is there entirely or
        not at all."""
        like = sql_text("%" + job["token"] + "%")
        what = job["what"]
        if what == "update":
            history = self.count(f"SELECT COUNT(*) FROM history WHERE entity = 'item' AND action = 'update' AND "
                                 f"after_json LIKE {like}")
            stored = self.count(f"SELECT COUNT(*) FROM ledger_items WHERE task LIKE {like}")
            if history > 1 or (stored and not history):
                self.problem(f"{job['tag']}：修改只写了一部分（事项 {stored}，历史 {history}）")
            return history > 0
        if what == "assign":
            history = self.count(f"SELECT COUNT(*) FROM history WHERE entity = 'item' AND action = 'assign' AND "
                                 f"after_json LIKE {like}")
            stored = self.count(f"SELECT COUNT(*) FROM ledger_items WHERE responsible_person LIKE {like}")
            if history > 1 or (stored and not history):
                self.problem(f"{job['tag']}：指定责任人只写了一部分（事项 {stored}，历史 {history}）")
            return history > 0
        if what == "progress":
            history = self.count(f"SELECT COUNT(*) FROM history WHERE entity = 'item' AND action = 'progress' AND "
                                 f"after_json LIKE {like}")
            stored = self.count(f"SELECT COUNT(*) FROM progress WHERE note LIKE {like}")
            if history != stored or stored > 1:
                self.problem(f"{job['tag']}：进展只写了一部分（进展 {stored}，历史 {history}）")
            return stored > 0
        history = self.count(f"SELECT COUNT(*) FROM history WHERE entity = 'item' AND action = 'create' AND "
                             f"after_json LIKE {like}")
        stored = self.count(f"SELECT COUNT(*) FROM ledger_items WHERE task LIKE {like}")
        if history != stored or stored > 1:
            self.problem(f"{job['tag']}：新增只写了一部分（事项 {stored}，历史 {history}）")
        return stored > 0

    def burst_run(self, run):
        label = f"r{run:03d}"
        jobs = self.burst_jobs(label)
        self.launch_and_kill(jobs)
        self.check_consistency(f"第 {run} 次运行（并发修改）后")
        for job in jobs:
            present = self.burst_effect(job)
            if job["rc"] is not None:
                if job["rc"] == EXIT_OK and not present:
                    self.problem(f"{job['tag']}：退出码 0，但修改不在数据库中")
                elif job["rc"] == EXIT_CONFLICT and present:
                    self.problem(f"{job['tag']}：报告冲突（退出码 6），修改却已保存")
                elif job["rc"] not in (EXIT_OK, EXIT_CONFLICT):
                    self.problem(f"{job['tag']}：{' '.join(job['args'])} 退出码 {job['rc']}：{job['stderr'].strip()}")
                elif job["rc"] == EXIT_CONFLICT and "本次修改未保存" not in job["stderr"]:
                    self.problem(f"{job['tag']}：冲突没有说明“本次修改未保存”：{job['stderr'].strip()}")
            self.classify("burst", job, present)

    def import_run(self, run, import_index):
        label = f"r{run:03d}"
        if import_index == 2:
            kind, path = "docx", self.docx_variant(label)
            content = open(path, "rb").read()
        elif import_index % 2 == 0:
            kind, path = "new_version", self.rolling
            content = self.variant_bytes()
            with open(path, "wb") as f:
                f.write(content)
        else:
            kind, path = "new", os.path.join(self.work, f"import-{label}.txt")
            content = self.variant_bytes()
            with open(path, "wb") as f:
                f.write(content)
        digest = hashlib.sha256(content).hexdigest()
        job = {"args": ["import", path, "--json"], "tag": f"tz-crash-{label}",
               "delay": self.rng.uniform(0, 1.15 * self.durations[kind])}
        self.launch_and_kill([job])
        self.check_consistency(f"第 {run} 次运行（导入 {os.path.basename(path)}）后")
        present = self.count(f"SELECT COUNT(*) FROM sources WHERE content_hash = {sql_text(digest)}") > 0
        if job["rc"] is None:
            self.killed_imports.append((path, content, present))
        elif job["rc"] != EXIT_OK:
            self.problem(f"{job['tag']}：导入（未被杀）退出码 {job['rc']}：{job['stderr'].strip()}")
        elif not present:
            self.problem(f"{job['tag']}：导入退出码 0，但文件不在数据库中")
        cls = self.classify("import", job, present)
        return cls

    def reimport_killed(self):
        """Imports every file whose import was killed once more: it must go
        through ('unchanged' exactly when the killed import had committed)."""
        outcomes = {}
        for path, content, committed in self.killed_imports:
            with open(path, "wb") as f:
                f.write(content)
            rc, out, err, _ = self.run(["import", path, "--json"])
            if rc != 0:
                self.problem(f"重新导入 {os.path.basename(path)} 失败（退出码 {rc}）：{err.strip()}")
                continue
            outcome = json.loads(out)["files"][0]["outcome"]
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if (outcome == "unchanged") != committed:
                self.problem(f"重新导入 {os.path.basename(path)}：结果 {outcome}，而被杀的导入"
                             f"{'已' if committed else '未'}提交")
        self.check_consistency("重新导入之后")
        return outcomes

    def main(self):
        started = time.monotonic()
        self.setup()
        imports = 0
        for run in range(self.runs):
            if run % 2 == 0:
                self.import_run(run, imports)
                imports += 1
            else:
                self.burst_run(run)
        outcomes = self.reimport_killed()
        seconds = time.monotonic() - started
        log(f"  {self.runs} 次运行（导入 {imports} 次，并发修改 {self.runs - imports} 次，每次 {self.burst} 个进程），"
            f"共启动 {self.processes} 个进程，用时 {seconds:.1f} s")
        for kind in ("import", "burst"):
            stats = self.stats[kind]
            killed = sum(v for k, v in stats.items() if k.startswith("killed"))
            log(f"  {kind}: 被杀 {killed}，" + "，".join(f"{k} {v}" for k, v in sorted(stats.items())))
        log(f"  重新导入被杀的文件 {len(self.killed_imports)} 个：" +
            "，".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
        killed_in_tx = sum(v for kind in self.stats.values() for k, v in kind.items() if k.startswith("killed in tx"))
        log(f"  在事务中被杀：{killed_in_tx}")
        return seconds


def postgres_server():
    """(url, psql) or None when the PostgreSQL half is to be skipped; raises
    Failure when it is required but impossible."""
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
    parser.add_argument("--runs", type=int, default=60, help="runs per backend (default 60)")
    parser.add_argument("--burst", type=int, default=4, help="processes per update burst (default 4)")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random, printed)")
    parser.add_argument("--keep", action="store_true", help="keep the databases and files")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    log(f"ledger crash test: {args.binary}, --runs {args.runs}, --seed {seed}")
    failed = False
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
    for name in backends:
        work = tempfile.mkdtemp(prefix="tz-crash-")
        backend = None
        try:
            backend = SqliteBackend(work) if name == "sqlite" else PostgresBackend(*server, "crash")
            log(f"{backend.name}：{backend.url}")
            test = CrashTest(args.binary, backend, work, random.Random(f"{seed}-{name}"), args.runs, args.burst)
            test.main()
            if test.problems:
                failed = True
                log(f"{backend.name}：发现 {len(test.problems)} 处问题（--seed {seed}）")
            else:
                log(f"{backend.name}：一致")
        except Failure as e:
            failed = True
            log(f"{name}：失败：{e}")
        finally:
            if backend is not None:
                try:
                    backend.close(args.keep or failed)
                except Failure as e:
                    log(f"清理失败：{e}")
            if args.keep or failed:
                log(f"  保留目录 {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
