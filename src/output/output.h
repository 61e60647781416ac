// Stage "output": renders pipeline results for people (text) and programs
// (JSON). Nothing here prints; callers write the returned strings.
//
// JSON documents carry "schema_version" (kOutlineSchemaVersion); the format
// is described in README.md ("JSON 输出格式"). A change that removes or
// renames a field bumps the version.
#ifndef TAIZHANG_OUTPUT_OUTPUT_H_
#define TAIZHANG_OUTPUT_OUTPUT_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/ingest.h"
#include "check/check.h"
#include "compare/compare.h"
#include "extract/extract.h"
#include "ledger/ledger.h"
#include "outline/outline.h"

namespace taizhang {

inline constexpr int kOutlineSchemaVersion = 1;

// One input of a run: either read and outlined, or failed with `status`.
struct OutlinedFile {
  std::string path;
  Status status;                      // not OK when the file could not be read
  const SourceText* source = nullptr;    // set when status is OK
  const OutlineResult* outline = nullptr;
};

struct OutlineRenderOptions {
  bool sentences = false;   // include every sentence with its position
  bool paragraphs = false;  // include every paragraph with its lines
};

// {"schema_version":1,"command":"outline","files":[…]} as one JSON text.
std::string RenderOutlineJson(const std::vector<OutlinedFile>& files,
                              const OutlineRenderOptions& options);

// The outline of one file as an indented tree, in Chinese.
std::string RenderOutlineText(const OutlinedFile& file, const OutlineRenderOptions& options);

inline constexpr int kFactsSchemaVersion = 1;

// One input of a `facts` run.
struct FactsFile {
  OutlinedFile file;
  const FileFacts* facts = nullptr;  // set when file.status is OK
};

// {"schema_version":1,"command":"facts","files":[…]}: every figure per document.
std::string RenderFactsJson(const std::vector<FactsFile>& files);
// The tables of `facts --tsv`: one record a line, tab-separated, with a
// header line (see README).
enum class FactsTable : uint8_t { kQuantities, kTimes, kEnumerations, kPlanItems };
// "quantities" "times" "enumerations" "plan"; false for another name.
bool ParseFactsTable(std::string_view name, FactsTable* table);
std::string RenderFactsTsv(const std::vector<FactsFile>& files, FactsTable table);
// A readable list in Chinese.
std::string RenderFactsText(const FactsFile& file);

inline constexpr int kCheckSchemaVersion = 1;

// One input of a `check` run.
struct CheckedFile {
  OutlinedFile file;
  const FileFacts* facts = nullptr;      // set when file.status is OK
  const CheckResult* result = nullptr;   // set when file.status is OK
};

// Compiler-style messages in Chinese (file:line:column: 错误[rule]: …, the
// line with the span marked, related places, the fix), then a summary per
// report.
std::string RenderCheckText(const CheckedFile& file);
// The findings of a checked Word file as Word comments on their spans (for
// AddWordComments): "数字占位符未填写（placeholder-number）：message" (the
// rule's title from data/rules.tsv), then the suggested fix, the related
// places quoted (总数：「合计92个」) and the severity, each on a line of its own.
std::vector<WordComment> FindingsAsWordComments(const CheckedFile& file);
// {"schema_version":1,"command":"check","files":[…]}: findings and relations.
std::string RenderCheckJson(const std::vector<CheckedFile>& files);
// One self-contained page: counts by severity, the findings, the relations
// checked (a table with their status), and the whole text with each finding
// marked and followed by its message, its related figures marked too;
// printable (@media print).
std::string RenderCheckHtml(const std::vector<CheckedFile>& files);

// --- Ledgers ------------------------------------------------------------------

inline constexpr int kLedgerSchemaVersion = 1;

// `ledger list`: an aligned table (编号 责任单位 年度 工作任务 目标 时限 状态 预警 进展).
std::string RenderLedgerItemsText(const std::vector<LedgerItem>& items);
std::string RenderLedgerItemsJson(const std::vector<LedgerItem>& items);
// `ledger show`: every field, then the progress entries.
std::string RenderLedgerItemText(const LedgerItem& item, const std::vector<ProgressEntry>& progress);
std::string RenderLedgerItemJson(const LedgerItem& item, const std::vector<ProgressEntry>& progress);
std::string RenderHistoryText(const std::vector<HistoryEntry>& history);
std::string RenderHistoryJson(const std::vector<HistoryEntry>& history);
// Rates with the counts they come from ("94.6%（35/37）").
std::string RenderRatesText(const std::vector<RateRow>& rates);
std::string RenderRatesJson(const std::vector<RateRow>& rates);
std::string RenderImportText(const std::string& path, const ImportOutcome& outcome);
std::string RenderImportJson(const std::vector<std::pair<std::string, ImportOutcome>>& outcomes,
                             const std::vector<std::pair<std::string, Status>>& failures);

// --- Compare (对标对表) ----------------------------------------------------------

inline constexpr int kCompareSchemaVersion = 1;

// One plan compared with one result report.
struct ComparedPair {
  std::string plan_path;      // file, or the ledger database for ledger targets
  std::string plan_title;
  std::string result_path;
  std::string result_title;
  std::string unit;           // the unit both are by
  Tolerance tolerance;
  const Comparison* comparison = nullptr;
};

// A table per pair (序号 目标 结果 判定 依据 位置), each followed by the reasons
// and the evidence sentences, then the counts per verdict.
std::string RenderCompareText(const std::vector<ComparedPair>& pairs);
// {"schema_version":1,"command":"compare","pairs":[…]} (README, “compare 的 JSON”).
std::string RenderCompareJson(const std::vector<ComparedPair>& pairs);
// One self-contained page with a table per pair, verdicts coloured.
std::string RenderCompareHtml(const std::vector<ComparedPair>& pairs);
// One sheet, one row per target: 单位 目标 目标数字 结果 判定 理由 依据 计划位置 结果位置.
Status WriteCompareXlsx(const std::vector<ComparedPair>& pairs, const std::string& path);

// `compare --across TERM`: one measured thing across units.
struct AcrossFile {
  std::string path;
  std::vector<AcrossRow> rows;
};
std::string RenderAcrossText(std::string_view term, const std::vector<AcrossFile>& files);
std::string RenderAcrossJson(std::string_view term, const std::vector<AcrossFile>& files);
std::string RenderAcrossHtml(std::string_view term, const std::vector<AcrossFile>& files);
Status WriteAcrossXlsx(std::string_view term, const std::vector<AcrossFile>& files, const std::string& path);

}  // namespace taizhang

#endif  // TAIZHANG_OUTPUT_OUTPUT_H_
