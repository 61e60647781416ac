#!/usr/bin/env bash
# Renders an exported ledger the way a person sees it: imports a provincial
# report, marks a few items, exports the .xlsx, and converts it with
# LibreOffice (soffice --headless) to PDF and the PDF's pages to PNG
# (pdftoppm), to check that wrapped text never overprints the next row.
# Usage: bench/render-ledger.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
out="${2:-$(mktemp -d /tmp/render-ledger.XXXXXX)}"
report="$root/../shared/corpus/docx/2025年浙江省政府工作报告.docx"
taizhang="$build/taizhang"
mkdir -p "$out"
db="$out/ledger.db"
rm -f "$db" "$out"/*.xlsx "$out"/*.pdf "$out"/*.png
store=(--db "$db" --user 张三 --today 2026-03-01)
"$taizhang" import "$report" "${store[@]}" >/dev/null
"$taizhang" ledger update 5 --status 已完成 "${store[@]}" >/dev/null
"$taizhang" ledger update 6 --status 已取消 "${store[@]}" >/dev/null
"$taizhang" ledger progress 7 --note "已完成前期工作，正在组织实施，预计年内完成全部建设任务" --date 2025-06-30 "${store[@]}" >/dev/null
"$taizhang" ledger add --kind problem --unit 浙江省人民政府 --task 部分重点项目审批超时，资金拨付滞后 \
  --source 督查 --found 2025-03-01 --deadline 2025-09-30 "${store[@]}" >/dev/null
"$taizhang" ledger export --xlsx "$out/台账.xlsx" --limit 40 "${store[@]}" 2>/dev/null
# LibreOffice needs a writable profile of its own.
HOME="$out" soffice --headless --convert-to pdf --outdir "$out" "$out/台账.xlsx" >/dev/null 2>&1
pdftoppm -png -r 60 -f 1 -l 2 "$out/台账.pdf" "$out/page"
ls "$out"/page*.png
