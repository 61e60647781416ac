#!/usr/bin/env python3
"""The calendar feed of deadlines (`taizhang remind calendar`), read by real calendar software.

With `taizhang` on a scratch SQLite ledger: units and items (`unit add`,
`ledger add`), some unfinished with a deadline, one finished, one without a
deadline, one of another unit. Then:

- `remind calendar -o all.ics` and `--unit 县水利局 -o water.ics` are parsed
  with Python's `icalendar` (Debian python3-icalendar): one VEVENT per
  unfinished item with a deadline in the scope and none other, each with its
  UID taizhang-item-N@taizhang, DTSTART an all-day date equal to the item's
  deadline, DTEND the day after, SUMMARY naming unit and task, DESCRIPTION
  the status, a VALARM; X-WR-CALNAME in Chinese;
- khal (Debian khal), a calendar program, imports the feed into a scratch
  configuration non-interactively (`khal import --batch`) and `khal list`
  shows every item on its day; after a deadline is moved, importing the new
  feed again updates the event (same UID) instead of adding a second one;
- an unknown unit is refused with exit code 2, and nothing is written.

Exits 1 on any failure.
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import icalendar
except ImportError:  # a Python of its own (pyenv) beside Debian's python3-icalendar
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar


class Failure(Exception):
    pass


def check(condition, text):
    if not condition:
        raise Failure(text)


def cli(binary, db, *args, expect=(0,)):
    run = subprocess.run([binary, *args, "--db", db], capture_output=True, text=True)
    if run.returncode not in expect:
        raise Failure(f"taizhang {' '.join(args)}：退出码 {run.returncode}（应为 {expect}）\n{run.stdout}{run.stderr}")
    return run


def events_of(path):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    return cal, {str(e["UID"]): e for e in cal.walk("VEVENT")}


def check_feed(path, expected, name):
    cal, events = events_of(path)
    check(str(cal.get("X-WR-CALNAME")) == name, f"{path} 的 X-WR-CALNAME：{cal.get('X-WR-CALNAME')}，应为 {name}")
    check(str(cal.get("VERSION")) == "2.0", f"{path}：VERSION {cal.get('VERSION')}")
    want = {f"taizhang-item-{item['id']}@taizhang": item for item in expected}
    check(set(events) == set(want), f"{path} 的事件 {sorted(events)}，应为 {sorted(want)}")
    for uid, item in want.items():
        e = events[uid]
        start = e.decoded("DTSTART")
        check(type(start) is datetime.date, f"{uid}：DTSTART 应为全天日期（VALUE=DATE），而是 {start!r}")
        check(start.isoformat() == item["deadline"], f"{uid}：DTSTART {start}，时限 {item['deadline']}")
        check(e.decoded("DTEND") == start + datetime.timedelta(days=1), f"{uid}：DTEND {e.decoded('DTEND')}")
        summary = str(e["SUMMARY"])
        check(item["unit"] in summary and item["task"] in summary, f"{uid}：SUMMARY {summary}")
        description = str(e["DESCRIPTION"])
        check(f"事项 {item['id']}" in description and "状态：" in description, f"{uid}：DESCRIPTION {description}")
        alarms = list(e.walk("VALARM"))
        check(len(alarms) == 1 and alarms[0].decoded("TRIGGER") == datetime.timedelta(hours=-15),
              f"{uid}：应有一个前一天 9 时的提醒")
    return events


def khal(config, env, *args):
    run = subprocess.run(["khal", "-c", config, *args], capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise Failure(f"khal {' '.join(args)}：退出码 {run.returncode}\n{run.stdout}{run.stderr}")
    return run.stdout


def khal_check(work, feeds, expected):
    """Imports each feed in turn into one khal calendar; `khal list` must show each
    expected (day, task) once."""
    root = os.path.join(work, "khal")
    cal_dir = os.path.join(root, "calendars", "taizhang")
    os.makedirs(cal_dir)
    config = os.path.join(root, "config")
    with open(config, "w") as f:
        f.write(f"""[calendars]
[[taizhang]]
path = {cal_dir}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Asia/Shanghai
default_timezone = Asia/Shanghai
[default]
default_calendar = taizhang
[sqlite]
path = {os.path.join(root, "khal.db")}
""")
    env = dict(os.environ, XDG_CONFIG_HOME=root, XDG_DATA_HOME=root, LANG="C.UTF-8")
    for feed in feeds:
        khal(config, env, "import", "--batch", "-a", "taizhang", feed)
    listed = khal(config, env, "list", "--format", "{start-date}|{title}", "2024-01-01", "2028-01-01")
    lines = [line for line in listed.splitlines() if "|" in line]
    for day, task in expected:
        hits = [line for line in lines if line.startswith(day + "|") and task in line]
        check(len(hits) == 1, f"khal list 中“{task}”在 {day} 应出现一次，实为 {len(hits)} 次：\n{listed}")
    check(len(lines) == len(expected), f"khal list 应有 {len(expected)} 个事件：\n{listed}")
    return listed


def main():
    binary = os.path.abspath(sys.argv[1])
    if shutil.which("khal") is None:
        print("失败：没有 khal（scripts/install-deps.sh 安装 Debian 的 khal）", file=sys.stderr)
        return 1
    work = tempfile.mkdtemp(prefix="tz-calendar-")
    try:
        db = os.path.join(work, "ledger.db")
        today = datetime.date.today()
        day = lambda n: (today + datetime.timedelta(days=n)).isoformat()
        for args in (["unit", "add", "某县"], ["unit", "add", "县水利局", "--parent", "某县"],
                     ["unit", "add", "县水利局水政监察大队", "--parent", "县水利局"],
                     ["unit", "add", "县农业农村局", "--parent", "某县"]):
            cli(binary, db, *args)
        items = {}
        for key, args in {
            "soon": ["--unit", "县水利局", "--task", "完成水毁工程修复", "--deadline", day(3)],
            "late": ["--unit", "县水利局", "--task", "河道采砂整治，清理堆砂点12处；整改到位", "--deadline", day(-9)],
            "child": ["--kind", "problem", "--unit", "县水利局水政监察大队", "--task", "执法台账不全", "--source", "督查",
                      "--deadline", day(30)],
            "done": ["--unit", "县水利局", "--task", "完成小型水库除险加固", "--deadline", day(10), "--status", "已完成"],
            "open": ["--unit", "县水利局", "--task", "常态化巡河"],
            "farm": ["--unit", "县农业农村局", "--task", "完成高标准农田建设验收", "--deadline", day(60)],
        }.items():
            items[key] = json.loads(cli(binary, db, "ledger", "add", *args, "--json").stdout)["item"]
        water = [items[k] for k in ("soon", "late", "child")]
        everything = water + [items["farm"]]

        all_ics = os.path.join(work, "all.ics")
        water_ics = os.path.join(work, "water.ics")
        cli(binary, db, "remind", "calendar", "-o", all_ics)
        out = cli(binary, db, "remind", "calendar", "--unit", "县水利局", "-o", water_ics)
        check("3 个事项" in out.stderr, f"remind calendar 的提示：{out.stderr}")
        check_feed(all_ics, everything, "台账时限（全部单位）")
        check_feed(water_ics, water, "台账时限（县水利局）")
        stdout = subprocess.run([binary, "remind", "calendar", "--unit", "县农业农村局", "--db", db],
                                capture_output=True, check=True).stdout
        check(stdout.startswith(b"BEGIN:VCALENDAR\r\n") and stdout.count(b"BEGIN:VEVENT") == 1,
              f"标准输出的日历（CRLF 行尾）：{stdout[:200]!r}")
        bad = os.path.join(work, "bad.ics")
        refused = cli(binary, db, "remind", "calendar", "--unit", "县交通局", "-o", bad, expect=(2,))
        check("县交通局" in refused.stderr and not os.path.exists(bad), f"不存在的单位：{refused.stderr}")

        # A real calendar: khal imports the feed, then the feed again after a deadline moved.
        moved = day(5)
        cli(binary, db, "ledger", "update", str(items["soon"]["id"]), "--deadline", moved)
        again_ics = os.path.join(work, "again.ics")
        cli(binary, db, "remind", "calendar", "-o", again_ics)
        items["soon"]["deadline"] = moved
        check_feed(again_ics, everything, "台账时限（全部单位）")
        listed = khal_check(work, [all_ics, again_ics], [(i["deadline"], i["task"]) for i in everything])
        check(day(3) + "|" not in listed, f"移动后的时限仍在旧日期：\n{listed}")
        print("通过：remind calendar 的 .ics 经 icalendar 解析、khal 导入与更新", file=sys.stderr)
        return 0
    except Failure as e:
        print(f"失败：{e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
