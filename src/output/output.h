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
// AddWordComments): "错误[rule-id]：message", then the suggested fix and the
// related places, each on a line of its own.
std::vector<WordComment> FindingsAsWordComments(const CheckedFile& file);
// {"schema_version":1,"command":"check","files":[…]}: findings and relations.
std::string RenderCheckJson(const std::vector<CheckedFile>& files);
// One self-contained page: an index of findings and the text with them marked.
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

}  // namespace taizhang

#endif  // TAIZHANG_OUTPUT_OUTPUT_H_
