// Uploads and analysis jobs (internal to server/).
//
// An upload is stored under the data directory by the SHA-256 of its
// content (data_dir/uploads/<64 hex>): no name from a request ever reaches
// the file system. Its format is decided by its content with the readers'
// own detection (ingest/DetectFormat, and a text must decode), or it is a
// photograph (PNG, JPEG) that decodes in full (upload_format.h): evidence
// of progress, never a report.
//
// A job analyzes one upload (or, with a Work of its own, imports it: the
// reports' routes) on the bounded pool of app/ (TaskPool), never on the
// I/O threads; its record (state, progress, result) is kept by a
// JobStore: the server keeps it in the ledger's store (LedgerJobStore, the
// jobs table of schema version 8), so every serve process on one database
// sees every job; MemoryJobStore for tests and the fuzz target. A job runs
// in the process that accepted it, which the record names (its runner); a
// process beats in server_processes, and the unfinished jobs of one whose
// heartbeat stopped (it died) are marked failed by the next process to
// start or sweep (Housekeep), never those of a live one.
#ifndef TAIZHANG_SERVER_JOBS_H_
#define TAIZHANG_SERVER_JOBS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/app.h"
#include "common/status.h"
#include "ledger/ledger.h"

namespace taizhang::server_internal {

struct StoredUpload {
  std::string sha256;  // 64 lower-case hex digits
  std::string format;  // "text", "docx", "pdf", "doc", "png", "jpeg"
  uint64_t size = 0;
  bool existed = false;  // the same content was stored before
};

class UploadStore {
 public:
  // Creates data_dir and data_dir/uploads when missing.
  static Result<std::unique_ptr<UploadStore>> Open(const std::string& data_dir);

  // Stores `bytes` (written to a temporary file, renamed into place). A
  // format none of the readers takes, a truncated or corrupt image, or —
  // with `name`, what the user calls the file — a name whose extension says
  // another format than the content is kInvalidArgument with a Chinese
  // message naming the file (the server answers 415); an empty body kEmpty.
  Result<StoredUpload> Put(std::string_view bytes, const std::string& name = "");
  // The format of a stored upload, from its first bytes (SniffFormat);
  // kNotFound for a hash not stored.
  Result<std::string> Format(std::string_view sha256) const;
  // The bytes of an upload; kNotFound for a hash not stored (or not a hash).
  Result<std::string> Read(std::string_view sha256) const;
  bool Has(std::string_view sha256) const;

  const std::string& dir() const { return dir_; }

 private:
  explicit UploadStore(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

// Whether `text` is 64 lower-case hex digits.
bool IsSha256Hex(std::string_view text);

struct JobRecord {
  std::string id;     // 32 hex digits, random (not guessable)
  std::string owner;  // Principal::id of who created it
  std::string upload; // sha256 of the upload
  std::string name;   // the file's name as the user gave it (a label, never a path)
  std::string state = "queued";  // queued, running, done, failed
  int progress = 0;   // percent
  std::string result; // JSON text when done
  std::string error;  // Chinese, when failed
  int64_t created_ms = 0, updated_ms = 0;  // Unix time
};

// Where job records live. Implementations are thread-safe.
class JobStore {
 public:
  virtual ~JobStore() = default;
  virtual Status Put(const JobRecord& job) = 0;  // insert, or replace the record with that id
  virtual std::optional<JobRecord> Get(std::string_view id) = 0;
  // This process's heartbeat, and the unfinished jobs of processes whose
  // heartbeat is older than `lease` marked failed (kOrphanedJobMessage);
  // how many. Nothing to do for a store one process owns.
  virtual Result<int64_t> Housekeep(int64_t lease_ms) {
    (void)lease_ms;
    return int64_t{0};
  }
  // The process stops: its unfinished jobs failed (kStoppedJobMessage), its
  // heartbeat row removed.
  virtual void Retire() {}
};

inline constexpr const char* kOrphanedJobMessage = "分析任务所在的服务进程已意外停止，任务未完成，请重新提交。";
inline constexpr const char* kStoppedJobMessage = "服务已停止，任务未完成，请重新提交。";

// A new identity of this process as a job runner ("host:pid:random", a
// fresh random part on each call: one per server started).
ServerProcess ThisServerProcess();

std::unique_ptr<JobStore> MemoryJobStore();
// Records in the store's jobs table; `store` (outliving the JobStore) is
// used under a lock of this object only.
std::unique_ptr<JobStore> LedgerJobStore(LedgerStore* store, ServerProcess process = ThisServerProcess());

// Runs jobs on a TaskPool: Submit records the job as queued and posts its
// analysis; the worker marks it running, reads and analyzes the upload,
// and records the result (findings as the JSON of `taizhang check --json`).
class JobRunner {
 public:
  JobRunner(JobStore* store, const UploadStore* uploads, const PoolOptions& pool);
  ~JobRunner();  // running analyses finish; queued ones are dropped

  // The job recorded and queued; nullopt when the queue is full (429).
  std::optional<JobRecord> Submit(std::string owner, std::string upload, std::string name);

  // What a job does with its upload's bytes, on a worker of the pool: the
  // result (JSON text) or the failure, whose message (Chinese) the job
  // keeps; `progress(percent)` records how far it is.
  using Work = std::function<Result<std::string>(const JobRecord& job, std::string bytes,
                                                 const std::function<void(int)>& progress)>;
  // A job doing `work` (an import, …) instead of the analysis; recorded and
  // queued like the analysis.
  std::optional<JobRecord> Submit(std::string owner, std::string upload, std::string name, Work work);

 private:
  void Run(JobRecord job, const Work& work);
  Result<std::string> Analyze(const JobRecord& job, std::string bytes, const std::function<void(int)>& progress);

  JobStore* store_;
  const UploadStore* uploads_;
  std::unique_ptr<TaskPool> pool_;  // last: destroyed (joined) first
};

// Milliseconds since the Unix epoch.
int64_t NowMs();
// 128 random bits as 32 hex digits.
std::string RandomId();

}  // namespace taizhang::server_internal

#endif  // TAIZHANG_SERVER_JOBS_H_
