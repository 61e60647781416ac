#!/usr/bin/env python3
"""Measures the check rules on real reports with planted defects.

  scripts/plant-defects.py [path/to/taizhang] [--min-recall FAMILY=PCT ...]
                           [--max-false-alarms N] [--seed S] [--verbose]

Takes the government work reports of ../shared/corpus/more/ (county-gwr/ and
city-gwr/; .txt as they are, .docx through `taizhang text`), and for each
report and each defect family plants ONE defect in a copy:

  sum           a part of a real 其中/分别 list made larger than its total, or
                one part of a list that adds up changed
  contradiction a figure restated a little later with another value
  enumeration   the count of a real list "A、B、C三个…" changed or an item dropped
  malformed     27.65 → 27..65 / 27。65 / 27.6.5; 1200 → 1,200 misplaced (1,20)
  junk          a promotional line (公众号, 微信, 客服, 下载全文, 范文) inserted
  numbering     the number of a heading (一、/（一）) changed

then runs `taizhang check --json` on the copy. A defect counts as found when a
finding of its family's rules sits on the planted line (or, for a
contradiction, on either statement) and the clean report had no such finding
there. False alarms: every finding of these rules on the untouched reports (a .docx
checked as Word), per 10,000 characters, listed. The plants are chosen with a seeded random
generator, so the figures are the same on every run.

Exits 1 when a family's recall is below its --min-recall or the false alarms
exceed --max-false-alarms (per 10,000 characters).
"""
import argparse
import glob
import json
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("TAIZHANG_SHARED_DIR", os.path.join(ROOT, "..", "shared"))

FAMILY_RULES = {
    "sum": {"sum-mismatch", "part-exceeds-whole", "unit-sum-mismatch", "remainder-mismatch"},
    "contradiction": {"contradiction"},
    "enumeration": {"enumeration-count"},
    "malformed": {"malformed-number"},
    "junk": {"web-junk"},
    "numbering": {"numbering-skip", "numbering-order", "numbering-repeat"},
}
FAMILIES = list(FAMILY_RULES)
ALL_RULES = set().union(*FAMILY_RULES.values())

CN_DIGITS = "零一二三四五六七八九"
HAN = r"[\u4e00-\u9fff]"
CLASSIFIERS = "个家所项条座处名人户村镇辆台套场次批支"
NUMBER = r"\d+(?:\.\d+)?"


def cn_numeral(n):
    if n == 2:
        return "两"
    if n <= 10:
        return "十" if n == 10 else CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def cn_value(text):
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_DIGITS.index(text[1])
    if "十" in text:
        tens, _, ones = text.partition("十")
        return CN_DIGITS.index(tens) * 10 + (CN_DIGITS.index(ones) if ones else 0)
    return CN_DIGITS.index(text) if len(text) == 1 and text in CN_DIGITS else None


def fmt(value):
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def is_heading(line):
    return bool(re.match(r"\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．])", line)) and len(line) < 60


def body_lines(lines):
    """Indices of the body lines: long prose, after the first 10% of the report."""
    start = len(lines) // 10
    return [i for i in range(start, len(lines)) if len(lines[i]) >= 40 and not is_heading(lines[i])]


# Each planter returns (new_lines, planted_line_numbers (1-based)) or None.

def plant_sum(lines, rng):
    sites = []
    unit = f"([{CLASSIFIERS}]|万元|亿元|公里|亩|万人|人次)"
    whole = re.compile(rf"(?<![\d.])({NUMBER}){unit}(?:[^，。；\d]{{0,12}})[，,]其中([^。；]{{2,40}}?)(?<![\d.])({NUMBER})\2")
    def bound(line, m):
        """以上, 余, 多 or 左右 after the whole or a part: a bound, not a figure."""
        return any(line[e:e + 2].startswith(("以上", "余", "多", "左右")) for e in (m.end(2), m.end(0)))

    for i in body_lines(lines):
        for m in whole.finditer(lines[i]):
            if not bound(lines[i], m):
                sites.append((i, m))
    for i in body_lines(lines):
        for m in re.finditer(rf"(?:共|合计|总计|累计)[^，。；\d]{{0,10}}(?<![\d.])({NUMBER}){unit}[^。；]{{0,20}}?分别[^。；]{{0,60}}", lines[i]):
            parts = list(re.finditer(rf"(?<![\d.])({NUMBER}){m.group(2)}", m.group(0)[m.end(2) - m.start():]))
            if len(parts) >= 2:
                sites.append((i, m))
    if not sites:
        return None
    i, m = rng.choice(sites)
    line = lines[i]
    total = float(m.group(1))
    if m.re is whole:
        # A part under 其中 made larger than the whole.
        part_start, part_end = m.span(4)
        bigger = total * 2 + 1 if total < 10 else total + max(1.0, round(total * 0.3))
        line = line[:part_start] + fmt(bigger) + line[part_end:]
    else:
        # The total of a 分别 list changed: no longer the sum of its parts.
        total_start, total_end = m.span(1)
        line = line[:total_start] + fmt(total + max(1.0, round(total * 0.2))) + line[total_end:]
    return lines[:i] + [line] + lines[i + 1:], [i + 1]


def plant_contradiction(lines, rng):
    verbs = "建成|完成|新建|新增|实施|开工|改造|培育|创建|引进|打造|招引|签约|落地|建设|认定|获批|入选"
    pattern = re.compile(rf"({verbs})(\d+)([{CLASSIFIERS}])({HAN}{{2,10}}?)(?=[，。；、])")
    sites = []
    body = body_lines(lines)
    for pos, i in enumerate(body):
        later = [j for j in body[pos + 1:pos + 4] if j - i <= 4]
        if not later:
            continue
        for m in pattern.finditer(lines[i]):
            # An exact count: 10个以上… or 20余个 are no figures to contradict.
            if int(m.group(2)) >= 2 and not m.group(4).startswith(("以上", "左右", "余", "多")):
                sites.append((i, later[0], m))
    if not sites:
        return None
    i, j, m = rng.choice(sites)
    value = int(m.group(2))
    other = value + rng.choice([1, 2, 3]) if value < 20 else value + max(2, value // 5)
    restated = f"全年共{m.group(1)}{other}{m.group(3)}{m.group(4)}。"
    return lines[:j] + [lines[j] + restated] + lines[j + 1:], [i + 1, j + 1]


def plant_enumeration(lines, rng):
    item = rf"{HAN}{{2,8}}"
    pattern = re.compile(rf"(?<![{HAN[1:-1]}、])((?:{item}、){{1,8}}{item})(等)?(\d+|[二三四五六七八九十]+)(个|家|所|项|条|座|大|类|镇|村|县|区)")
    sites = []
    for i in body_lines(lines):
        for m in pattern.finditer(lines[i]):
            items = m.group(1).split("、")
            count = cn_value(m.group(3))
            if count is None or m.group(2) or count != len(items) or count < 3:
                continue
            sites.append((i, m, items, count))
    if not sites:
        return None
    i, m, items, count = rng.choice(sites)
    digits = m.group(3).isdigit()
    kind = rng.choice(["below", "above", "drop"])
    if kind == "below":
        new_items, new_count = items, count - 1
    elif kind == "above":
        new_items, new_count = items, count + 2
    else:
        # One item dropped and the count raised: two items fewer than it says.
        drop = rng.randrange(len(items))
        new_items = items[:drop] + items[drop + 1:]
        new_count = len(new_items) + 2
    number = str(new_count) if digits else cn_numeral(new_count)
    text = "、".join(new_items) + number + m.group(4)
    line = lines[i][:m.start()] + text + lines[i][m.end():]
    return lines[:i] + [line] + lines[i + 1:], [i + 1]


def plant_malformed(lines, rng):
    sites = []
    for i in body_lines(lines):
        for m in re.finditer(r"(?<![\d.])(\d+)\.(\d+)(?=[%万亿个倍])", lines[i]):
            sites.append((i, m, "decimal"))
        for m in re.finditer(r"(?<![\d.,，])(\d{3,4})(?=万|亿|元|人|个|家|户)", lines[i]):
            sites.append((i, m, "integer"))
    if not sites:
        return None
    i, m, kind = rng.choice(sites)
    if kind == "decimal":
        whole, frac = m.group(1), m.group(2)
        choices = [f"{whole}..{frac}", f"{whole}。{frac}"]
        if len(frac) >= 2:
            choices.append(f"{whole}.{frac[0]}.{frac[1:]}")
        text = rng.choice(choices)
    else:
        digits = m.group(1)
        # 100 → 1,00; 1200 → 12,00: a separator before two digits.
        text = digits[:-2] + "," + digits[-2:]
    line = lines[i][:m.start()] + text + lines[i][m.end():]
    return lines[:i] + [line] + lines[i + 1:], [i + 1]


JUNK_LINES = [
    "关注微信公众号“{name}”获取更多范文",
    "更多精品范文请关注公众号{name}",
    "下载全文请添加客服微信：{id}",
    "本文由{name}整理发布，如需下载全文请联系客服",
    "扫码关注公众号，免费领取更多{name}范文",
    "添加微信{id}，获取完整版word文档",
    "范文网：{name}为您提供海量工作报告范文下载",
    "点击下载全文 | 加入收藏 | 返回顶部",
]


def plant_junk(lines, rng):
    body = body_lines(lines)
    if not body:
        return None
    i = rng.choice(body)
    name = rng.choice(["笔杆子之家", "公文写作宝典", "政务材料库", "文秘帮"])
    ident = rng.choice(["wenmi2024", "gw123456", "fanwen888"])
    junk = rng.choice(JUNK_LINES).format(name=name, id=ident)
    return lines[:i + 1] + [junk] + lines[i + 1:], [i + 2]


def plant_numbering(lines, rng):
    tops = [i for i, l in enumerate(lines) if re.match(r"[一二三四五六七八九]、", l) and len(l) < 40]
    subs = [i for i, l in enumerate(lines) if re.match(r"（[一二三四五六七八九]）", l) and len(l) < 60]
    sites = [(i, 0) for i in tops] + [(i, 1) for i in subs]
    if not sites:
        return None
    i, bracket = rng.choice(sites)
    line = lines[i]
    digit = line[1] if bracket else line[0]
    value = CN_DIGITS.index(digit)
    new = CN_DIGITS[value + 1] if value < 9 and rng.random() < 0.7 or value == 1 else CN_DIGITS[value - 1]
    line = line[:bracket] + new + line[bracket + 1:]
    return lines[:i] + [line] + lines[i + 1:], [i + 1]


PLANTERS = {
    "sum": plant_sum,
    "contradiction": plant_contradiction,
    "enumeration": plant_enumeration,
    "malformed": plant_malformed,
    "junk": plant_junk,
    "numbering": plant_numbering,
}


def report_texts(binary):
    """(name, text) of every government work report of corpus/more."""
    more = os.path.join(SHARED, "corpus", "more")
    paths = sorted(glob.glob(os.path.join(more, "county-gwr", "*")) + glob.glob(os.path.join(more, "city-gwr", "*")))
    for path in paths:
        name = os.path.relpath(path, more)
        if not path.endswith((".txt", ".docx")):
            continue
        run = subprocess.run([binary, "text", path], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"skipped {name}: {run.stderr.strip()}", file=sys.stderr)
            continue
        yield name, path, run.stdout


def findings_of(binary, text, workdir, path=None):
    """Findings of `taizhang check` on `text` (or on the file `path` as it is)."""
    if path is None:
        path = os.path.join(workdir, "report.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    run = subprocess.run([binary, "check", "--json", path], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"taizhang check failed ({run.returncode}): {run.stderr}")
    return json.loads(run.stdout)["files"][0]["findings"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default=os.path.join(ROOT, "build", "taizhang"))
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--min-recall", action="append", default=[], metavar="FAMILY=PCT")
    parser.add_argument("--max-false-alarms", type=float, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    bars = {}
    for bar in args.min_recall:
        family, _, pct = bar.partition("=")
        if family not in FAMILY_RULES:
            sys.exit(f"unknown family {family}")
        bars[family] = float(pct)

    found = {f: 0 for f in FAMILIES}
    planted = {f: 0 for f in FAMILIES}
    misses = {f: [] for f in FAMILIES}
    chars = 0
    false_alarms = []
    furniture = []
    with tempfile.TemporaryDirectory() as workdir:
        reports = list(report_texts(args.binary))
        if not reports:
            sys.exit(f"no reports found under {SHARED}/corpus/more")
        for name, path, text in reports:
            lines = text.split("\n")
            chars += len(text)
            clean = findings_of(args.binary, text, workdir)
            clean_at = {(f["rule"], f["line"]) for f in clean}
            # False alarms on the report as it is (a .docx read as Word, with
            # its outline levels), every rule of the families.
            original = clean if path.endswith(".txt") else findings_of(args.binary, None, workdir, path)
            for f in original:
                # Page furniture the outline set apart from the report (a
                # crawled page's navigation, source fields, footer) reported
                # as web junk is right, not a false alarm: counted apart.
                if f["rule"] == "web-junk" and f.get("document") is None:
                    furniture.append((name, f))
                elif f["rule"] in ALL_RULES:
                    false_alarms.append((name, f))
            for k, family in enumerate(FAMILIES):
                rng = random.Random(f"{args.seed}:{name}:{family}")
                plant = PLANTERS[family](lines, rng)
                if plant is None:
                    continue
                new_lines, at = plant
                planted[family] += 1
                findings = findings_of(args.binary, "\n".join(new_lines), workdir)
                shift = 1 if len(new_lines) > len(lines) else 0
                hit = any(f["rule"] in FAMILY_RULES[family] and f["line"] in at and
                          not (shift == 0 and (f["rule"], f["line"]) in clean_at) for f in findings)
                if hit:
                    found[family] += 1
                else:
                    shown = " | ".join(new_lines[a - 1][:120] for a in at)
                    misses[family].append(f"{name}:{at[-1]}: {shown}")
    failed = False
    for family in FAMILIES:
        recall = 100.0 * found[family] / planted[family] if planted[family] else 0.0
        bar = bars.get(family)
        mark = ""
        if bar is not None and recall < bar:
            failed = True
            mark = f"  BELOW {bar:.0f}%"
        print(f"{family:14s} recall {found[family]:3d}/{planted[family]:3d} = {recall:5.1f}%{mark}")
        if args.verbose:
            for miss in misses[family]:
                print(f"    missed {miss}")
    print(f"page furniture outside the reports, reported as web junk: {len(furniture)} blocks")
    rate = 10000.0 * len(false_alarms) / chars if chars else 0.0
    print(f"false alarms on the clean reports: {len(false_alarms)} in {chars} characters = {rate:.2f} per 10,000")
    for name, f in false_alarms:
        print(f"  {name}:{f['line']}:{f['column']} [{f['rule']}] {f['message']}")
    if args.max_false_alarms is not None and rate > args.max_false_alarms:
        print(f"false alarms above {args.max_false_alarms} per 10,000 characters")
        failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
