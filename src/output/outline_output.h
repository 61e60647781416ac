// Stage "output", the outline's renderers: the outline of each file as a
// Chinese text tree or as JSON. Nothing here prints; callers write the
// returned strings, or the pieces handed to an OutputSink. Every renderer of output/ follows this pattern, one
// header per stage (facts_output.h, check_output.h, ledger_output.h,
// compare_output.h).
//
// JSON documents carry "schema_version"; the formats are described in
// docs/json.md. A change that removes or renames a field bumps the version.
#ifndef TAIZHANG_OUTPUT_OUTLINE_OUTPUT_H_
#define TAIZHANG_OUTPUT_OUTLINE_OUTPUT_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/ingest.h"
#include "outline/outline.h"
#include "pipeline/pipeline.h"

namespace taizhang {

inline constexpr int kOutlineSchemaVersion = 1;

// Where a file's rendering goes as it is made, so that the output of a large
// file is never held whole: a renderer appends to `text` and calls Drain()
// between elements (a report, a finding, a row), which hands `text` to
// `write` once it holds kChunk bytes. Without `write` everything stays in
// `text` (the renderers that return a string use one so).
struct OutputSink {
  static constexpr size_t kChunk = size_t{1} << 20;
  std::string text;
  std::function<void(std::string_view)> write;
  void Drain() {
    if (write && text.size() >= kChunk) Flush();
  }
  // Hands whatever `text` holds to `write` (the end of a file's part).
  void Flush() {
    if (!write || text.empty()) return;
    write(text);
    text.clear();
  }
};

// One input of a run: either read and outlined, or failed with `status`.
struct OutlinedFile {
  std::string path;
  Status status;                      // not OK when the file could not be read
  const SourceText* source = nullptr;    // set when status is OK
  const OutlineResult* outline = nullptr;
};

// The view of an analyzed file (run through the outline at least).
OutlinedFile OutlinedView(const AnalyzedFile& file);

struct OutlineRenderOptions {
  bool sentences = false;   // include every sentence with its position
  bool paragraphs = false;  // include every paragraph with its lines
};

// {"schema_version":1,"command":"outline","files":[…]} as one JSON text.
std::string RenderOutlineJson(const std::vector<OutlinedFile>& files,
                              const OutlineRenderOptions& options);

// RenderOutlineJson in parts, for writing file by file as each is analyzed:
// OutlineJsonHead() + OutlineJsonFile(files[0], 0, options) + … +
// OutlineJsonTail() is RenderOutlineJson(files, options) (files not empty).
std::string OutlineJsonHead();
std::string OutlineJsonFile(const OutlinedFile& file, size_t index,  // index: its place in the run
                            const OutlineRenderOptions& options);
std::string OutlineJsonTail();
// OutlineJsonFile and RenderOutlineText written to `sink` piece by piece.
void OutlineJsonFile(const OutlinedFile& file, size_t index, const OutlineRenderOptions& options,
                     OutputSink* sink);
void RenderOutlineText(const OutlinedFile& file, const OutlineRenderOptions& options, OutputSink* sink);

// The outline of one file as an indented tree, in Chinese.
std::string RenderOutlineText(const OutlinedFile& file, const OutlineRenderOptions& options);

}  // namespace taizhang

#endif  // TAIZHANG_OUTPUT_OUTLINE_OUTPUT_H_
