#include "app/app.h"

#include <utility>

#include "common/printable.h"

#include "output/check_output.h"
#include "output/facts_output.h"
#include "output/outline_output.h"

namespace taizhang {

Result<ImportOutcome> ImportBytes(LedgerStore& store, std::string name, std::string bytes,
                                  const AnalyzeOptions& options) {
  if (bytes.empty()) return Status(StatusCode::kEmpty, PrintableName(name) + "：文件为空。");
  ImportRequest request;
  request.content_hash = ContentHash(bytes);
  auto stored = store.FindImported(request.content_hash);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return **stored;
  AnalyzeOptions all = options;
  all.last = Stage::kCheck;
  // The whole pipeline before the store's transaction: a file that cannot be
  // read leaves nothing behind.
  AnalyzedFile file = AnalyzeBytes(PrintableName(name), std::move(bytes), all);
  if (!file.ok()) return file.status;
  file.path = std::move(name);
  request.file = &file;
  request.outline_json = RenderOutlineJson({OutlinedView(file)}, {});
  request.facts_json = RenderFactsJson({FactsView(file)});
  request.check_json = RenderCheckJson({CheckedView(file)});
  Result<ImportOutcome> outcome = store.Import(request);
  if (outcome.ok()) outcome->warnings = file.source.warnings();
  return outcome;
}

Result<ImportOutcome> ImportDocument(LedgerStore& store, const std::string& path, const AnalyzeOptions& options) {
  std::string bytes;
  Status s = ReadFileBytes(path, options.read, &bytes);
  if (!s.ok()) return s;
  return ImportBytes(store, path, std::move(bytes), options);
}

}  // namespace taizhang
