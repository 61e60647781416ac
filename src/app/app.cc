#include "app/app.h"

#include <utility>

#include "common/printable.h"

namespace taizhang {

namespace {

// The whole pipeline, before the store's transaction: a file that cannot
// be read leaves nothing behind.
void Analyze(std::string bytes, const AnalyzeOptions& options, PreparedImport* prepared) {
  AnalyzeOptions all = options;
  all.last = Stage::kCheck;
  prepared->analyzed = true;
  prepared->file = AnalyzeBytes(PrintableName(prepared->path), std::move(bytes), all);
  if (!prepared->file.ok()) {
    prepared->status = prepared->file.status;
    return;
  }
  prepared->file.path = prepared->path;
}

PreparedImport PrepareBytes(std::string name, std::string bytes, const AnalyzeOptions& options,
                            const std::function<bool(const std::string&)>& stored) {
  PreparedImport prepared;
  prepared.path = std::move(name);
  if (bytes.empty()) {
    prepared.status = Status(StatusCode::kEmpty, PrintableName(prepared.path) + "：文件为空。");
    return prepared;
  }
  prepared.content_hash = ContentHash(bytes);
  if (stored && stored(prepared.content_hash)) return prepared;
  Analyze(std::move(bytes), options, &prepared);
  return prepared;
}

}  // namespace

PreparedImport PrepareImport(const std::string& path, const AnalyzeOptions& options,
                             const std::function<bool(const std::string&)>& stored) {
  std::string bytes;
  Status s = ReadFileBytes(path, options.read, &bytes);
  if (!s.ok()) {
    PreparedImport failed;
    failed.path = path;
    failed.status = std::move(s);
    return failed;
  }
  return PrepareBytes(path, std::move(bytes), options, stored);
}

PreparedImport PrepareImportBytes(std::string name, std::string bytes, const AnalyzeOptions& options,
                                  const std::function<bool(const std::string&)>& stored) {
  return PrepareBytes(std::move(name), std::move(bytes), options, stored);
}

Result<ImportOutcome> StorePrepared(LedgerStore& store, PreparedImport&& prepared, const AnalyzeOptions& options) {
  if (!prepared.status.ok()) return prepared.status;
  auto stored = store.FindImported(prepared.content_hash);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return **stored;
  if (!prepared.analyzed) {
    // Skipped as stored, yet not in the store: read it again.
    PreparedImport again = PrepareImport(prepared.path, options);
    if (!again.status.ok()) return again.status;
    prepared = std::move(again);
  }
  ImportRequest request;
  request.file = &prepared.file;
  request.content_hash = prepared.content_hash;
  Result<ImportOutcome> outcome = store.Import(request);
  if (outcome.ok()) outcome->warnings = prepared.file.source.warnings();
  return outcome;
}

Result<ImportOutcome> ImportBytes(LedgerStore& store, std::string name, std::string bytes,
                                  const AnalyzeOptions& options) {
  // Content the store holds is not analyzed again.
  auto stored = [&](const std::string& hash) {
    auto found = store.FindImported(hash);
    return found.ok() && found->has_value();
  };
  return StorePrepared(store, PrepareBytes(std::move(name), std::move(bytes), options, stored), options);
}

Result<ImportOutcome> ImportDocument(LedgerStore& store, const std::string& path, const AnalyzeOptions& options) {
  std::string bytes;
  Status s = ReadFileBytes(path, options.read, &bytes);
  if (!s.ok()) return s;
  return ImportBytes(store, path, std::move(bytes), options);
}

}  // namespace taizhang
