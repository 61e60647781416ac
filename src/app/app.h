// What every front end (the CLI, the server) does with the stages beyond a
// single call of the pipeline: importing a document into the ledger means
// analyzing it and storing the results (ledger/). Kept here, above the
// stages, so that the store runs no stage.
//
//   auto store = taizhang::LedgerStore::Open("taizhang.db", "张三");
//   auto outcome = taizhang::ImportDocument(**store, "汇编.docx", {});
//
// Many files at once: each file's analysis is independent of the others, so
// a run of many files is analyzed on several threads and its results handed
// back in input order, a bounded number at a time (RunInOrder,
// AnalyzeInOrder): memory grows with the files in flight, not with the run,
// and the output of `-j 8` is byte for byte that of `-j 1`. The stages
// share nothing mutable between files: the language data is compiled in and
// parsed once under a lock (common/language_data.h), modules are loaded
// under a lock (common/module.h), PDFs are read one at a time (poppler), and
// each AnalyzedFile owns its results.
//
//   taizhang::PoolOptions pool;  // one thread per core, 2 files in flight per thread
//   taizhang::AnalyzeInOrder(paths, options, pool, [&](size_t k, taizhang::AnalyzedFile&& file) {
//     std::cout << Render(file);  // on the calling thread, k = 0, 1, 2 … in order
//     return true;                // false stops the run
//   });
#ifndef TAIZHANG_APP_APP_H_
#define TAIZHANG_APP_APP_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// --- Many files, in order -----------------------------------------------------

struct PoolOptions {
  // Threads that run the work; 0: one per core (std::thread::hardware_concurrency).
  // With 1 everything runs on the calling thread.
  unsigned jobs = 0;
  // Items held at once — being worked on, done and waiting for an earlier
  // one, or being consumed; 0: twice the threads. A slow item holds back
  // at most this many after it.
  size_t window = 0;
};

// The threads and the window `options` ask for, zeros resolved (both at least 1).
unsigned PoolJobs(const PoolOptions& options);
size_t PoolWindow(const PoolOptions& options);

namespace app_internal {
// RunInOrder without the results' type: `work(i)` stores item i's result in
// slot i % PoolWindow(options), `consume(i)` takes it out.
bool RunSlotsInOrder(size_t count, const PoolOptions& options, const std::function<void(size_t)>& work,
                     const std::function<bool(size_t)>& consume);
}  // namespace app_internal

// Runs `work(i)` for every i in [0, count) on PoolJobs(options) threads and
// calls `consume(i, result)` on the calling thread for i = 0, 1, 2 … in that
// order, each as soon as it and every earlier item are done; item i starts
// only when fewer than PoolWindow(options) items are held. `work` runs on
// worker threads: it must not touch state shared with other items without
// a lock; `consume` may (a store connection, the output). Returns false when
// `consume` returned false, which stops the run (items started finish, no
// more start). An exception from `work` or `consume` stops the run and is
// rethrown here, on the calling thread.
template <typename Result, typename Work, typename Consume>
bool RunInOrder(size_t count, const PoolOptions& options, Work&& work, Consume&& consume) {
  std::vector<std::optional<Result>> slots(PoolWindow(options));
  return app_internal::RunSlotsInOrder(
      count, options, [&](size_t i) { slots[i % slots.size()].emplace(work(i)); },
      [&](size_t i) {
        Result result = std::move(*slots[i % slots.size()]);
        slots[i % slots.size()].reset();
        return consume(i, std::move(result));
      });
}

// Tasks arriving over time (the server's analyses) on a fixed set of
// PoolJobs(options) threads, at most PoolWindow(options) waiting: Post
// refuses beyond that (the caller answers "busy"), so memory stays bounded
// under any load. The destructor lets running tasks finish and drops the
// ones not started.
class TaskPool {
 public:
  explicit TaskPool(const PoolOptions& options);
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // Queues `task`; false when PoolWindow tasks are already waiting (or the
  // pool is stopping). A task must not throw.
  bool Post(std::function<void()> task);
  size_t waiting() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// Every path through the pipeline (AnalyzeFile), handed to `consume(k,
// file)` in the order of `paths` (see RunInOrder).
bool AnalyzeInOrder(const std::vector<std::string>& paths, const AnalyzeOptions& options, const PoolOptions& pool,
                    const std::function<bool(size_t, AnalyzedFile&&)>& consume);

// Importing many files: the analysis of each (PrepareImport: any thread,
// no store) apart from storing it (StorePrepared: the store's thread, in
// input order). PrepareImport(path) then StorePrepared is ImportDocument.
struct PreparedImport {
  std::string path;
  Status status;             // the file could not be read (or was empty)
  std::string content_hash;  // ContentHash of its bytes
  bool analyzed = false;     // false when `stored` said the store holds the content
  AnalyzedFile file;
};
// Reads `path` and hashes it; unless `stored(hash)` says the store already
// holds that content (it may be empty: never skip), analyzes the file
// through every stage — but for a large compilation
// (AnalyzeOptions::defer_facts_from_bytes) the facts and the check, which
// the store then makes report by report as it stores them (ReportChecker),
// inside the file's transaction, never holding them all.
PreparedImport PrepareImport(const std::string& path, const AnalyzeOptions& options,
                             const std::function<bool(const std::string& content_hash)>& stored = {});
// The same for bytes already in memory (an upload), `name` standing for the
// path: analyzed on the calling thread, no store touched.
PreparedImport PrepareImportBytes(std::string name, std::string bytes, const AnalyzeOptions& options,
                                  const std::function<bool(const std::string& content_hash)>& stored = {});
// Stores a prepared file in one transaction; content the store holds is
// kUnchanged (checked again here: the same content twice in one run). A
// file skipped by `stored` but not in the store after all is analyzed here.
Result<ImportOutcome> StorePrepared(LedgerStore& store, PreparedImport&& prepared, const AnalyzeOptions& options);

}  // namespace taizhang

#endif  // TAIZHANG_APP_APP_H_
