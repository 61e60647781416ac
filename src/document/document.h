// Stage — document: Word files made out of the ledger, in the layout offices
// hand things on in (GB/T 9704: A4, 仿宋_GB2312 三号 正文 at 28 pt lines,
// 方正小标宋简体 标题, numbered 一、（一）, "— 1 —" page numbers), written from
// the templates of data/docx/ with pugixml and minizip.
//
//   auto items = store->ListItems({.unit = "县住建局", .year = 2024});
//   BulletinOptions options{.scope = "县住建局", .year = 2024, .today = store->today()};
//   Result<WordDocument> bulletin = MakeBulletin(*items, options);
//   // bulletin->docx: the .docx bytes; bulletin->text: its text, line by line
//
// The functions are pure: they take the items a front end chose (the CLI
// all of a scope, the server those the principal may read), never open a
// store, and the same input gives the same bytes (the zip's entries carry a
// fixed date, the document's properties the day given), so golden files
// can hold them.
#ifndef TAIZHANG_DOCUMENT_DOCUMENT_H_
#define TAIZHANG_DOCUMENT_DOCUMENT_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "ledger/ledger.h"
#include "pipeline/pipeline.h"

namespace taizhang {

// A Word document made by this stage.
struct WordDocument {
  std::string docx;  // the .docx bytes
  std::string text;  // its text: a line per paragraph, a table row's cells joined by tabs
};

// 督办通报: a progress bulletin of the ledger for a period and scope.
struct BulletinOptions {
  // The scope as the title names it ("县住建局", "全县"); "" → 各单位.
  std::string scope;
  // The period: a year (from its first to its last day) or [from, to]
  // (YYYY-MM-DD, either open); counted as RatesOf counts (plan items by
  // their year, problems by the day they were found).
  int year = 0;
  std::string from, to;
  // The day the figures are as of (截至), YYYY-MM-DD; the items' overdue
  // and warnings must have been computed against it (LedgerStore::today).
  std::string today;
  std::string title;   // "" → 关于<scope><year>年工作任务推进情况的通报
  std::string issuer;  // 发文机关 for the signature; "" → a placeholder to fill in
};

// The bulletin of `items` (accepted items; those outside the period are
// left out): title, a 文号 placeholder (〔2026〕X号), 主送, 一、总体情况 with the
// completion and rectification rates and their counts (RatesOf), 二、各单位
// 推进情况 with the red/yellow/green table and a bar chart of each unit's
// completion rate (a chart part with its values cached: Word, WPS and
// LibreOffice draw it, and it can be edited; its data also an embedded
// workbook the series' formulas point into, for 编辑数据), 三、逾期事项 named by unit,
// 四、工作要求 left for the drafter, the signature and date. kInvalidArgument
// when `today` or the period is not a valid day.
Result<WordDocument> MakeBulletin(const std::vector<LedgerItem>& items, const BulletinOptions& options);

// 年度总结初稿: a unit's year along the outline of its own plan.
struct DraftOptions {
  std::string unit;   // "" → the plan report's unit
  int year = 0;       // the plan year (the items counted are of it)
  std::string today;  // YYYY-MM-DD, the figures as of
  std::string title;  // "" → <unit><year>年工作总结（初稿）
};
// The plan the unit's items were imported from: the stored report and its
// headings (LedgerStore::GetReport, GetReportRows). A report of id 0 (none
// imported) gives a draft without an outline.
struct DraftPlan {
  StoredReport report;
  std::vector<StoredHeading> headings;
};
// The plan most of `items` were imported from (the report id they carry
// most often; ties to the smaller id), read from `store`; an empty plan
// when none came from a report.
Result<DraftPlan> PlanOfItems(LedgerStore& store, const std::vector<LedgerItem>& items);
// The draft: a red 初稿 mark, the title, the overall figures (tasks as the
// sum of their statuses, completion and rectification rates), then the
// plan's headings as the plan numbers them, under each its items grouped
// 已完成 / 推进中 / 未启动 with each item's reported figure, latest progress
// and whether it is overdue; items of no heading under 其他工作任务; a
// placeholder for the drafter's conclusions. Before anything is written the
// draft's text is run through the checker (pipeline, check stage): any
// figure relation it finds inconsistent refuses the draft
// (kInvalidArgument, naming the lines), so no draft ships with a total that
// does not add up.
Result<WordDocument> MakeDraft(const DraftPlan& plan, const std::vector<LedgerItem>& items,
                               const DraftOptions& options);

// 汇编: reports compiled into one Word file.
struct CompiledLine {
  std::string text;       // one paragraph, as the reader gave it (numbering typed or rendered)
  int heading_depth = 0;  // a heading standing alone on its line: its depth (1 top); 0 body text
};
struct CompiledReport {
  std::string title;
  bool untitled = false;  // the report had no title: `title` is its file's name
  std::vector<CompiledLine> lines;  // after the title
};
struct CompilationOptions {
  std::string title;  // the cover's title, e.g. 2024年工作总结汇编
  std::string date;   // YYYY-MM-DD: the document properties' date, "" none
};
// A cover (the title and the number of reports: …汇编（16篇）), then 目录 — a TOC field whose cached
// entries link to a _Toc bookmark on each report's title, with PAGEREF page
// numbers Word and WPS refresh on opening (LibreOffice on updating the
// index) — then each report from a new page: its title in the 标题 style,
// its headings in the heading style of their depth, the rest as 正文, each
// line one paragraph with its numbering as written. taizhang reads the file
// back into the same reports with the same outlines (document_test).
// kInvalidArgument when there is no report.
Result<WordDocument> MakeCompilation(const std::vector<CompiledReport>& reports, const CompilationOptions& options);

// The reports of an analyzed file (through the outline stage) as a
// compilation takes them: the title (a report without one is titled by the
// file's name, untitled set), then every line of the report but
// blank ones and web junk, a line opening a heading of its own marked with
// the heading's depth (一是/二是 leads and run-in headings stay body text).
std::vector<CompiledReport> ReportsOf(const AnalyzedFile& file);

// "2026年3月1日" for "2026-03-01" (as official documents date themselves).
std::string ChineseDate(const std::string& iso_day);

}  // namespace taizhang

#endif  // TAIZHANG_DOCUMENT_DOCUMENT_H_
