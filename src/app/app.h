// What every front end (the CLI, the server) does with the stages beyond a
// single call of the pipeline: importing a document into the ledger means
// analyzing it, rendering each stage's JSON (output/) and storing both
// (ledger/). Kept here, above the stages, so the store never renders and
// the renderers never store.
//
//   auto store = taizhang::LedgerStore::Open("taizhang.db", "张三");
//   auto outcome = taizhang::ImportDocument(**store, "汇编.docx", {});
#ifndef TAIZHANG_APP_APP_H_
#define TAIZHANG_APP_APP_H_

#include <string>

#include "common/status.h"
#include "ledger/ledger.h"
#include "pipeline/pipeline.h"

namespace taizhang {

// Reads `path`; content the store already holds is not analyzed again
// (kUnchanged); otherwise the file runs through every stage and is stored in
// one transaction. A file that cannot be read changes nothing.
// `options.last` is ignored: an import always runs every stage.
Result<ImportOutcome> ImportDocument(LedgerStore& store, const std::string& path, const AnalyzeOptions& options);

// The same for bytes already in memory (an upload); `name` is stored as the
// file's path.
Result<ImportOutcome> ImportBytes(LedgerStore& store, std::string name, std::string bytes,
                                  const AnalyzeOptions& options);

}  // namespace taizhang

#endif  // TAIZHANG_APP_APP_H_
