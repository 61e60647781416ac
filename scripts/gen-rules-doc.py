#!/usr/bin/env python3
"""Writes docs/rules.md, the table of check rules, from data/rules.tsv.

  scripts/gen-rules-doc.py          rewrite docs/rules.md
  scripts/gen-rules-doc.py --check  exit 1 (and say so) if docs/rules.md
                                    differs from what data/rules.tsv gives

docs/rules.md is never edited by hand: change data/rules.tsv and rerun this
script. The test rules_doc_up_to_date runs it with --check.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(ROOT, "data", "rules.tsv")
DOC = os.path.join(ROOT, "docs", "rules.md")

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def cell(text):
    """Text for one cell of a Markdown table."""
    return text.replace("\\", "\\\\").replace("|", "\\|")


def read_rules(path):
    rules = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 5:
                sys.exit(f"{path}:{number}: expected 5 tab-separated fields, found {len(fields)}")
            rule_id, severity, title, explanation, example = fields
            if severity not in SEVERITY_LABELS:
                sys.exit(f"{path}:{number}: unknown severity '{severity}'")
            rules.append((rule_id, severity, title, explanation, example))
    return rules


def render(rules):
    out = [
        "<!-- Generated from data/rules.tsv by scripts/gen-rules-doc.py. Do not edit: change data/rules.tsv and rerun the script. -->",
        "# 校核规则",
        "",
        "`taizhang check` 的全部规则，按 `data/rules.tsv` 的顺序列出。编号用于输出（`错误[placeholder-number]`）"
        "和配置文件（`{\"rules\": {\"placeholder-name\": \"off\"}}`）；默认级别可在配置文件中改为 "
        "`error`、`warning`、`info`，或用 `off` 关闭。每条规则在 `tests/golden/check/cases.tsv` "
        "中都有会触发和不应触发的例子。",
        "",
        f"共 {len(rules)} 条规则。",
        "",
        "| 编号 | 默认级别 | 名称 | 说明 | 例句 |",
        "|---|---|---|---|---|",
    ]
    for rule_id, severity, title, explanation, example in rules:
        out.append(f"| `{rule_id}` | {SEVERITY_LABELS[severity]} | {cell(title)} | {cell(explanation)} | {cell(example)} |")
    return "\n".join(out) + "\n"


def main():
    text = render(read_rules(RULES))
    if sys.argv[1:] == ["--check"]:
        try:
            with open(DOC, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print("docs/rules.md differs from data/rules.tsv: run scripts/gen-rules-doc.py", file=sys.stderr)
            return 1
        print("docs/rules.md matches data/rules.tsv")
        return 0
    if sys.argv[1:]:
        sys.exit(__doc__)
    os.makedirs(os.path.dirname(DOC), exist_ok=True)
    with open(DOC, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
