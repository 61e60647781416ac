#!/usr/bin/env python3
"""Reminders (taizhang remind) against local receivers, on SQLite and PostgreSQL.

The test starts, on 127.0.0.1, an HTTP receiver standing in for a DingTalk
group robot (it checks the signature of every request: timestamp + HMAC-SHA256
of "timestamp\\nsecret", base64, url-encoded, and refuses a wrong one as
DingTalk does), a WeCom group robot, a JSON webhook, a webhook that fails its
first request, and an SMTP server (Python's aiosmtpd, Debian python3-aiosmtpd);
one channel points at a port where nothing listens. Then, with `taizhang`:

- units and items (`unit add`, `ledger add`, `ledger submit`), channels and
  rules (`remind channel|rule add`), each rule kind once;
- a run sends each due reminder once through every channel of its rule, the
  texts naming item, unit, deadline (2026年3月1日) and days overdue; the
  channel that is down fails (exit 8) without stopping the others;
- a second run retries the failed ones (the flaky webhook now delivers), sends
  nothing twice; a third, before the back-off has passed, sends nothing;
- four processes running at once on a later day send each new reminder
  exactly once (the log's UNIQUE claim);
- `remind log --item N` shows who got what and the error; no secret is ever
  printed.

Without $TAIZHANG_TEST_POSTGRES_URL the PostgreSQL half is skipped (a note is
printed) unless TAIZHANG_REQUIRE_POSTGRES=1. Exits 1 on any failure.
"""
import base64
import collections
import datetime
import email
import email.header
import hashlib
import hmac
import http.server
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

try:
    from aiosmtpd.controller import Controller
except ImportError:  # a Python of its own (pyenv) beside Debian's python3-aiosmtpd
    sys.path.append("/usr/lib/python3/dist-packages")
    from aiosmtpd.controller import Controller

SECRET = "SEC" + "a1b2c3d4e5f6" * 4
TOKEN = "robot-token-42"
WECOM_KEY = "wecom-key-7"


class Failure(Exception):
    pass


def log(text):
    print(text, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receivers:
    """Everything the channels send to, recorded per receiver."""

    def __init__(self):
        self.lock = threading.Lock()
        self.got = collections.defaultdict(list)
        self.flaky_failures_left = 1
        receivers = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
                if url.path == "/dingtalk":
                    if query.get("access_token") != [TOKEN]:
                        return self.answer(200, {"errcode": 300001, "errmsg": "token is not exist"})
                    timestamp = query.get("timestamp", [""])[0]
                    sign = query.get("sign", [""])[0]
                    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(),
                                                         hashlib.sha256).digest()).decode()
                    # The raw query must carry the signature url-encoded (+ / = escaped).
                    raw_sign = url.query.split("sign=")[1].split("&")[0] if "sign=" in url.query else ""
                    if (not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > 3600 * 1000
                            or sign != expected or raw_sign != urllib.parse.quote(expected, safe="")):
                        with receivers.lock:
                            receivers.got["dingtalk_refused"].append(body)
                        return self.answer(200, {"errcode": 310000, "errmsg": "sign not match"})
                    if body.get("msgtype") != "text":
                        return self.answer(200, {"errcode": 40035, "errmsg": "msgtype"})
                    with receivers.lock:
                        receivers.got["dingtalk"].append(body["text"]["content"])
                    return self.answer(200, {"errcode": 0, "errmsg": "ok"})
                if url.path == "/wecom":
                    if query.get("key") != [WECOM_KEY] or body.get("msgtype") != "text":
                        return self.answer(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
                    with receivers.lock:
                        receivers.got["wecom"].append(body["text"]["content"])
                    return self.answer(200, {"errcode": 0, "errmsg": "ok"})
                if url.path == "/webhook":
                    with receivers.lock:
                        receivers.got["webhook"].append(body)
                    return self.answer(200, {"ok": True})
                if url.path == "/flaky":
                    with receivers.lock:
                        fail = receivers.flaky_failures_left > 0
                        if fail:
                            receivers.flaky_failures_left -= 1
                            receivers.got["flaky_refused"].append(body)
                        else:
                            receivers.got["flaky"].append(body)
                    if fail:
                        return self.answer(503, {"error": "维护中"})
                    return self.answer(200, {"ok": True})
                return self.answer(404, {})

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http_port = self.http.server_address[1]
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

        class Mail:
            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.content)
                subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
                body = message.get_payload(decode=True).decode("utf-8")
                with receivers.lock:
                    receivers.got["mail"].append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                                  "subject": subject, "body": body})
                return "250 OK"

        self.smtp_port = free_port()
        self.smtp = Controller(Mail(), hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()

    def count(self, name):
        with self.lock:
            return len(self.got[name])

    def snapshot(self):
        with self.lock:
            return {k: list(v) for k, v in self.got.items()}

    def close(self):
        self.http.shutdown()
        self.smtp.stop()


def cli(binary, db, *args, expect=(0,), env=None):
    run = subprocess.run([binary, *args, "--db", db], capture_output=True, text=True, env=env)
    if run.returncode not in expect:
        raise Failure(f"taizhang {' '.join(args)}：退出码 {run.returncode}（应为 {expect}）\n{run.stdout}{run.stderr}")
    return run


def remind(binary, db, *args, expect=(0,)):
    run = subprocess.run([binary, "remind", "--db", db, *args], capture_output=True, text=True)
    if run.returncode not in expect:
        raise Failure(f"taizhang remind {' '.join(args)}：退出码 {run.returncode}（应为 {expect}）\n"
                      f"{run.stdout}{run.stderr}")
    return run


def chinese_day(day):
    return f"{day.year}年{day.month}月{day.day}日"


def check(condition, text):
    if not condition:
        raise Failure(text)


def test_backend(binary, db, work, receivers):
    today = datetime.date.today()
    iso = lambda d: d.isoformat()
    http = f"http://127.0.0.1:{receivers.http_port}"
    for args in (["unit", "add", "某县"], ["unit", "add", "县水利局", "--parent", "某县"],
                 ["unit", "add", "县农业农村局", "--parent", "某县"]):
        cli(binary, db, *args)
    items = {}
    for key, args in {
        "soon": ["--unit", "县水利局", "--task", "完成水毁工程修复", "--deadline", iso(today + datetime.timedelta(3))],
        "late": ["--unit", "县农业农村局", "--task", "完成高标准农田建设验收",
                 "--deadline", iso(today - datetime.timedelta(9))],
        "today": ["--kind", "problem", "--unit", "县水利局", "--task", "河道采砂整治不到位", "--source", "督查",
                  "--deadline", iso(today)],
        "closeoff": ["--kind", "problem", "--unit", "县农业农村局", "--task", "农机补贴台账不全", "--source", "审计",
                     "--deadline", iso(today + datetime.timedelta(30))],
    }.items():
        out = cli(binary, db, "ledger", "add", *args, "--json").stdout
        items[key] = json.loads(out)["item"]["id"]
    cli(binary, db, "ledger", "submit", str(items["closeoff"]), "--measures", "已补齐台账")

    secret_file = os.path.join(work, "dingtalk.secret")
    with open(secret_file, "w") as f:
        f.write(SECRET + "\n")
    env = None
    for args in (
        ["督查群", "--kind", "钉钉", "--url", f"{http}/dingtalk?access_token={TOKEN}", "--secret-file", secret_file],
        ["企业微信群", "--kind", "企业微信", "--url", f"{http}/wecom?key={WECOM_KEY}"],
        ["督查邮箱", "--kind", "邮件", "--url", f"smtp://127.0.0.1:{receivers.smtp_port}", "--from",
         "duban@example.gov.cn", "--to", "zhangsan@example.gov.cn", "--to", "lisi@example.gov.cn"],
        ["回调", "--kind", "回调", "--url", f"{http}/webhook"],
        ["不稳回调", "--kind", "webhook", "--url", f"{http}/flaky"],
        ["断线回调", "--kind", "webhook", "--url", f"http://127.0.0.1:{free_port()}/down"],
    ):
        out = cli(binary, db, "remind", "channel", "add", *args, env=env).stdout
        check("已新增渠道" in out and SECRET not in out, f"channel add 的输出：{out}")
    bad = cli(binary, db, "remind", "channel", "add", "坏钉钉", "--kind", "钉钉", "--url", "ftp://x", expect=(2,))
    check("https://" in bad.stderr, f"错误的地址应说明：{bad.stderr}")
    for args in (
        ["到期前3天", "--kind", "到期前", "--days", "3", "--channel", "督查群", "--channel", "督查邮箱"],
        ["逾期每周", "--kind", "逾期", "--days", "7", "--channel", "企业微信群", "--channel", "回调",
         "--channel", "断线回调"],
        ["到期当天", "--kind", "到期当天", "--channel", "不稳回调"],
        ["待销号", "--kind", "待销号", "--days", "2", "--channel", "回调"],
        ["水利局日报", "--kind", "汇总", "--days", "1", "--unit", "县水利局", "--channel", "督查邮箱"],
    ):
        cli(binary, db, "remind", "rule", "add", *args)
    listed = cli(binary, db, "remind", "channel", "list").stdout
    check(SECRET not in listed and TOKEN not in listed and "密钥已设置" in listed, f"channel list 泄露了密钥：{listed}")
    check("共 5 条规则" in cli(binary, db, "remind", "rule", "list").stdout, "rule list")

    # Run 1: everything due today, once; the channel that is down fails alone.
    run = subprocess.run([binary, "remind", "--db", db, "--today", iso(today), "--retry-base", "0"],
                         capture_output=True, text=True)
    check(run.returncode == 8, f"第一次运行应以 8 退出（断线回调未能送达）：{run.returncode}\n{run.stdout}{run.stderr}")
    check(SECRET not in run.stdout + run.stderr, "运行的输出含密钥")
    check("已发送 5 条提醒" in run.stdout and "未能送达 2 条" in run.stdout, f"第一次运行：{run.stdout}")
    got = receivers.snapshot()
    check(not got.get("dingtalk_refused"), f"钉钉签名不对：{got.get('dingtalk_refused')}")
    check(len(got["dingtalk"]) == 1, f"钉钉应收到 1 条：{got['dingtalk']}")
    text = got["dingtalk"][0]
    check(f"事项 {items['soon']}" in text and "县水利局" in text and "完成水毁工程修复" in text
          and chinese_day(today + datetime.timedelta(3)) in text and "还有 3 天" in text, f"钉钉的提醒：{text}")
    check(len(got["wecom"]) == 1, f"企业微信应收到 1 条：{got['wecom']}")
    text = got["wecom"][0]
    check("已逾期 9 天" in text and chinese_day(today - datetime.timedelta(9)) in text and "县农业农村局" in text,
          f"企业微信的提醒：{text}")
    check(len(got["webhook"]) == 1 and got["webhook"][0]["item"]["id"] == items["late"]
          and got["webhook"][0]["days_overdue"] == 9 and got["webhook"][0]["kind"] == "overdue",
          f"回调：{got['webhook']}")
    mails = got["mail"]
    check(len(mails) == 2, f"邮件应有 2 封（到期前、水利局日报）：{mails}")
    check(all(m["to"] == ["zhangsan@example.gov.cn", "lisi@example.gov.cn"] and m["from"] == "duban@example.gov.cn"
              for m in mails), f"邮件的收发件人：{mails}")
    digest = [m for m in mails if "每日汇总" in m["subject"]]
    check(len(digest) == 1 and "县水利局" in digest[0]["body"] and "完成水毁工程修复" in digest[0]["body"]
          and "河道采砂整治不到位" in digest[0]["body"] and "县农业农村局" not in digest[0]["body"],
          f"水利局日报（只含县水利局的事项）：{digest}")
    check(got["flaky_refused"] and not got.get("flaky"), "不稳回调第一次应失败")
    check("断线回调" in run.stdout and "未能送达" in run.stdout, f"失败应列出：{run.stdout}")

    # Run 2: the failed ones are retried (run 1 asked for no back-off), nothing else again.
    run = remind(binary, db, "--today", iso(today), expect=(8,))
    check("已发送 1 条提醒" in run.stdout and "第 2 次" in run.stdout and "未能送达 1 条" in run.stdout,
          f"第二次运行（重试）：{run.stdout}")
    got2 = receivers.snapshot()
    check(len(got2["flaky"]) == 1 and "河道采砂整治不到位" in got2["flaky"][0]["text"]
          and "今天" in got2["flaky"][0]["text"], f"不稳回调重试后送达：{got2.get('flaky')}")
    for name in ("dingtalk", "wecom", "webhook", "mail"):
        check(len(got2[name]) == len(got[name]), f"{name} 收到了重复的提醒")

    # Run 3: the back-off of the one still failing (2 × 300 s) has not passed.
    run = remind(binary, db, "--today", iso(today))
    check("没有需要发送的提醒" in run.stdout, f"第三次运行：{run.stdout}")

    # The item's log: delivered and failed, with the error.
    shown = cli(binary, db, "remind", "log", "--item", str(items["late"])).stdout
    check(shown.count("已送达") == 2 and "未送达" in shown and "断线回调" in shown and "尝试 2 次" in shown,
          f"事项的催办记录：{shown}")
    check(SECRET not in shown, "记录中有密钥")

    # Two days later, four processes at once: each new reminder once.
    later = today + datetime.timedelta(2)
    before = receivers.snapshot()
    procs = [subprocess.Popen([binary, "remind", "--db", db, "--today", iso(later)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate() for p in procs]
    codes = [p.returncode for p in procs]
    check(all(c in (0, 8) for c in codes), f"并发运行的退出码：{codes} {outs}")
    after = receivers.snapshot()
    new_webhook = after["webhook"][len(before["webhook"]):]
    new_mail = after["mail"][len(before["mail"]):]
    new_wecom = after["wecom"][len(before["wecom"]):]
    closeoff = [h for h in new_webhook if h["kind"] == "closeoff"]
    overdue = [h for h in new_webhook if h["kind"] == "overdue"]
    check(len(new_webhook) == 2 and len(closeoff) == 1 and closeoff[0]["item"]["id"] == items["closeoff"]
          and "已等待 2 天" in closeoff[0]["text"], f"待销号提醒应只发一次：{new_webhook}")
    # The problem due two days ago is now overdue: once to each channel of the rule.
    check(len(overdue) == 1 and overdue[0]["item"]["id"] == items["today"] and overdue[0]["days_overdue"] == 2,
          f"新逾期的问题应只发一次：{new_webhook}")
    check(len(new_wecom) == 1 and "已逾期 2 天" in new_wecom[0], f"企业微信：{new_wecom}")
    check(len(new_mail) == 1 and "每日汇总" in new_mail[0]["subject"], f"新一天的日报应只发一次：{new_mail}")
    for name in ("dingtalk", "flaky"):
        check(len(after[name]) == len(before[name]), f"{name}：两天后不应再发（同一时机）")
    lines = sum(o[0].count("→") for o in outs)
    check(lines == 5, f"四个进程合计应只发出 4 条、失败 1 条（断线回调）：{outs}")
    log(f"  各渠道送达：{ {k: len(v) for k, v in after.items()} }")


class PostgresDatabase:
    def __init__(self, server_url, psql):
        self.psql = psql
        self.server_url = server_url
        self.database = f"tz_remind_{os.getpid()}_{random.SystemRandom().randrange(16**6):06x}"
        parts = urllib.parse.urlsplit(server_url)
        self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.database))
        self.admin(f"CREATE DATABASE {self.database}")

    def admin(self, sql):
        run = subprocess.run([self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.server_url, "-c", sql],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise Failure(f"psql 失败（{sql}）：{run.stderr.strip()}")

    def close(self):
        self.admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")


def main():
    binary = os.path.abspath(sys.argv[1])
    backends = ["sqlite"]
    url = os.environ.get("TAIZHANG_TEST_POSTGRES_URL", "")
    psql = shutil.which("psql")
    if url and psql:
        backends.append("postgres")
    elif os.environ.get("TAIZHANG_REQUIRE_POSTGRES") == "1":
        log("失败：TAIZHANG_REQUIRE_POSTGRES=1，但没有 TAIZHANG_TEST_POSTGRES_URL 或 psql")
        return 1
    else:
        log("注意：没有设置 TAIZHANG_TEST_POSTGRES_URL，跳过 PostgreSQL 部分。")
    failed = False
    for name in backends:
        receivers = Receivers()
        work = tempfile.mkdtemp(prefix="tz-remind-")
        pg = None
        try:
            if name == "sqlite":
                db = os.path.join(work, "ledger.db")
            else:
                pg = PostgresDatabase(url, psql)
                db = pg.url
            log(f"{name}：{db}")
            test_backend(binary, db, work, receivers)
            log(f"{name}：通过")
        except Failure as e:
            failed = True
            log(f"{name}：失败：{e}")
        finally:
            receivers.close()
            if pg is not None:
                pg.close()
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
