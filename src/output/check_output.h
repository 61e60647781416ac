// Stage "output", the check's renderers: findings and relations as
// compiler-style messages, JSON, one HTML page, or Word comments.
#ifndef TAIZHANG_OUTPUT_CHECK_OUTPUT_H_
#define TAIZHANG_OUTPUT_CHECK_OUTPUT_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "check/check.h"
#include "ingest/ingest.h"
#include "output/facts_output.h"

namespace taizhang {

inline constexpr int kCheckSchemaVersion = 1;

// One input of a `check` run.
struct CheckedFile {
  OutlinedFile file;
  const FileFacts* facts = nullptr;      // set when file.status is OK
  const CheckResult* result = nullptr;   // set when file.status is OK
  // Called with each finding as a renderer writes it, in text order: a
  // deferred check (CheckResult::deferred) is run by the renderer report by
  // report, its findings held only while they are written, so a front end
  // that wants them too (the exit code, Word comments) takes them here.
  std::function<void(const Finding&)> on_finding;
  // Empty: the whole file. Otherwise one flag per report of the outline:
  // the HTML page (RenderCheckHtml, CheckHtmlFile, CheckHtmlTotals) shows
  // only the reports flagged — their text, findings, relations and counts —
  // and nothing of the others, nor findings outside every report (a
  // compilation's page for someone who may read some of its reports only).
  std::vector<bool> shown_reports;
};

// The view of a file analyzed through the check stage.
CheckedFile CheckedView(const AnalyzedFile& file);

// Compiler-style messages in Chinese (file:line:column: 错误[rule]: …, the
// line with the span marked, related places, the fix), then a summary per
// report.
std::string RenderCheckText(const CheckedFile& file);
// Finding k of a checked Word file as a Word comment on its span (for
// WriteWordComments' WordCommentSource, made one at a time: a compilation can
// have too many findings to hold all their comments at once):
// "数字占位符未填写（placeholder-number）：message" (the rule's title from
// data/rules.tsv), then the suggested fix, the related places quoted
// (总数：「合计92个」) and the severity, each on a line of its own.
WordComment FindingAsWordComment(const CheckedFile& file, size_t k);
// The comment of a finding of the text `text` (one a renderer hands to
// CheckedFile::on_finding).
WordComment FindingAsWordComment(std::string_view text, const Finding& finding);
// {"schema_version":1,"command":"check","files":[…]}: findings and relations.
std::string RenderCheckJson(const std::vector<CheckedFile>& files);
// One self-contained page: counts by severity, the findings, the relations
// checked (a table with their status), and the whole text with each finding
// marked and followed by its message, its related figures marked too;
// printable (@media print).
std::string RenderCheckHtml(const std::vector<CheckedFile>& files);

// The two renderings of a whole run in parts, for writing file by file as
// each is analyzed (app/app.h, AnalyzeInOrder). The JSON:
//   CheckJsonHead() + CheckJsonFile(files[0], 0) + … + CheckJsonFile(files[n-1], n-1) + CheckJsonTail()
// is RenderCheckJson(files).
std::string CheckJsonHead();
std::string CheckJsonFile(const CheckedFile& file, size_t index);  // index: its place in the run
std::string CheckJsonTail();
// CheckJsonFile and RenderCheckText written to `sink` piece by piece
// (outline_output.h, OutputSink).
void CheckJsonFile(const CheckedFile& file, size_t index, OutputSink* sink);
void RenderCheckText(const CheckedFile& file, OutputSink* sink);
// The page opens with the number of files and their totals, known at the
// end only: CheckHtmlHead(totals) + CheckHtmlFile(files[0]) + … +
// CheckHtmlTail() is RenderCheckHtml(files) when totals.Add saw every file
// (a front end writing as it goes keeps the files' parts aside meanwhile).
struct CheckHtmlTotals {
  size_t files = 0;
  int errors = 0, warnings = 0, infos = 0, placeholders = 0;
  int consistent = 0, inconsistent = 0, not_checkable = 0;
  void Add(const CheckedFile& file);
};
std::string CheckHtmlHead(const CheckHtmlTotals& totals);
std::string CheckHtmlFile(const CheckedFile& file);
std::string CheckHtmlTail();

}  // namespace taizhang

#endif  // TAIZHANG_OUTPUT_CHECK_OUTPUT_H_
