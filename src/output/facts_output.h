// Stage "output", the facts' renderers: every figure, time expression,
// enumeration and plan item as JSON, TSV tables or a readable list.
#ifndef TAIZHANG_OUTPUT_FACTS_OUTPUT_H_
#define TAIZHANG_OUTPUT_FACTS_OUTPUT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extract.h"
#include "output/outline_output.h"

namespace taizhang {

inline constexpr int kFactsSchemaVersion = 1;

// One input of a `facts` run.
struct FactsFile {
  OutlinedFile file;
  const FileFacts* facts = nullptr;  // set when file.status is OK
};

// The view of a file analyzed through the facts stage at least.
FactsFile FactsView(const AnalyzedFile& file);

// Every renderer below writes a file whose facts were deferred
// (FileFacts::deferred) by extracting each report's facts as it comes to
// it and dropping them when the report is written.

// {"schema_version":1,"command":"facts","files":[…]}: every figure per document.
std::string RenderFactsJson(const std::vector<FactsFile>& files);
// The tables of `facts --tsv`: one record a line, tab-separated, with a
// header line (docs/commands.md, “facts”).
enum class FactsTable : uint8_t { kQuantities, kTimes, kEnumerations, kPlanItems };
// "quantities" "times" "enumerations" "plan"; false for another name.
bool ParseFactsTable(std::string_view name, FactsTable* table);
std::string RenderFactsTsv(const std::vector<FactsFile>& files, FactsTable table);
// A readable list in Chinese.
std::string RenderFactsText(const FactsFile& file);

// The renderings of a whole run in parts, for writing file by file as each
// is analyzed: FactsJsonHead() + FactsJsonFile(files[0], 0) + … +
// FactsJsonTail() is RenderFactsJson(files), and FactsTsvHead(table) + each
// FactsTsvFile(files[k], table) is RenderFactsTsv(files, table).
std::string FactsJsonHead();
std::string FactsJsonFile(const FactsFile& file, size_t index);  // index: its place in the run
std::string FactsJsonTail();
std::string FactsTsvHead(FactsTable table);
std::string FactsTsvFile(const FactsFile& file, FactsTable table);
// FactsJsonFile, FactsTsvFile and RenderFactsText written to `sink` piece
// by piece (outline_output.h, OutputSink).
void FactsJsonFile(const FactsFile& file, size_t index, OutputSink* sink);
void FactsTsvFile(const FactsFile& file, FactsTable table, OutputSink* sink);
void RenderFactsText(const FactsFile& file, OutputSink* sink);

}  // namespace taizhang

#endif  // TAIZHANG_OUTPUT_FACTS_OUTPUT_H_
