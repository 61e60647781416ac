// The pipeline — one call from a file to everything the engine makes of it:
// read (any format) → outline → facts → check. Every front end (the CLI's
// commands, the ledger import, the server) calls AnalyzeFile or
// AnalyzeBytes and gets an AnalyzedFile that owns its results by value.
//
//   taizhang::AnalyzeOptions options;                 // all stages
//   taizhang::AnalyzedFile file = taizhang::AnalyzeFile("报告.docx", options);
//   if (!file.ok()) { /* file.status.message() names the file, in Chinese */ }
//   for (const taizhang::Finding& f : file.check.findings) …
//
// Stages run in order up to AnalyzeOptions::last; the later members stay
// empty. A file that cannot be read yields a status, never a partial result.
#ifndef TAIZHANG_PIPELINE_PIPELINE_H_
#define TAIZHANG_PIPELINE_PIPELINE_H_

#include <cstdint>
#include <string>

#include "check/check.h"
#include "common/status.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "outline/outline.h"

namespace taizhang {

// The stages in the order they run.
enum class Stage : uint8_t { kRead, kOutline, kFacts, kCheck };

struct AnalyzeOptions {
  ReadOptions read;
  OutlineOptions outline;
  CheckOptions check;
  Stage last = Stage::kCheck;  // the last stage to run
  // A text of at least this many bytes keeps no facts
  // (FileFacts::deferred), so that a large compilation's figures are never
  // all held at once: the writer of the facts extracts them report by
  // report as it writes them (output/facts_output.h), and a compilation
  // (more than one report) to be checked is not checked here
  // (CheckResult::deferred): whoever takes the results checks it report by
  // report (ReportChecker) and writes or stores each report's findings,
  // relations and figures as they come (output/check_output.h, the ledger's
  // import), never all of them at once. 0: never.
  uint64_t defer_facts_from_bytes = 0;
};

// One input and what the stages made of it. Results refer to the text by
// byte spans, so the object can be moved freely.
struct AnalyzedFile {
  std::string path;          // as given; "<标准输入>" for standard input
  Status status;             // not OK when the file could not be read
  DocumentFormat format = DocumentFormat::kText;
  uint64_t size_bytes = 0;   // of the file as read
  Stage done = Stage::kRead;  // the last stage that ran (when status is OK)
  SourceText source;
  OutlineResult outline;     // when done >= kOutline
  FileFacts facts;           // when done >= kFacts
  CheckResult check;         // when done >= kCheck

  bool ok() const { return status.ok(); }
};

// Reads `path` ("-" for standard input) and runs the stages.
AnalyzedFile AnalyzeFile(const std::string& path, const AnalyzeOptions& options);

// The same for bytes already in memory (an upload, a file whose bytes the
// caller hashed first); `name` is used in messages.
AnalyzedFile AnalyzeBytes(std::string name, std::string bytes, const AnalyzeOptions& options);

// Runs the stages after kRead on a text already read (file.source set).
void RunStages(const AnalyzeOptions& options, AnalyzedFile* file);

}  // namespace taizhang

#endif  // TAIZHANG_PIPELINE_PIPELINE_H_
