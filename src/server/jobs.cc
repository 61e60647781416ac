// Uploads stored by content hash, job records, and the analyses on the pool.
#include "server/jobs.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "ingest/ingest.h"
#include "ledger/ledger.h"
#include "output/check_output.h"
#include "pipeline/pipeline.h"
#include "server/upload_format.h"

namespace taizhang::server_internal {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RandomId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // No entropy source: refuse to make guessable ids.
    throw std::runtime_error("RAND_bytes failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

bool IsSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::unique_ptr<UploadStore>> UploadStore::Open(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(data_dir) / "uploads";
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    return Status(StatusCode::kUnreadable, "数据目录 " + dir.string() + " 无法建立或不是目录。");
  }
  return std::unique_ptr<UploadStore>(new UploadStore(dir.string()));
}

Result<StoredUpload> UploadStore::Put(std::string_view bytes, const std::string& name) {
  const std::string shown = name.empty() ? "上传的文件" : name;
  if (bytes.empty()) return Status(StatusCode::kEmpty, shown + "是空的。");
  StoredUpload upload;
  upload.format = SniffFormat(bytes);
  if (IsImageFormat(upload.format)) {
    if (Status s = CheckImage(upload.format, bytes, shown); !s.ok()) return s;
  } else if (upload.format == "text") {
    // A text must decode (an image of another kind or an archive is refused).
    Result<SourceText> text = DecodeText(shown, std::string(bytes), ReadOptions{});
    if (!text.ok() && text.status().code() != StatusCode::kEmpty) {
      return Status(StatusCode::kInvalidArgument,
                    shown + "不是可读取的格式（支持 Word .docx、PDF、.doc、各种中文编码的文本，以及作佐证材料的 "
                            "JPEG、PNG 照片）。");
    }
  }
  if (!name.empty()) {
    if (Status s = CheckNameFitsContent(name, upload.format); !s.ok()) return s;
  }
  upload.size = bytes.size();
  upload.sha256 = ContentHash(bytes);
  std::string path = dir_ + "/" + upload.sha256;
  if (access(path.c_str(), F_OK) == 0) {
    upload.existed = true;
    return upload;
  }
  std::string temp = dir_ + "/.upload-XXXXXX";
  int fd = mkstemp(temp.data());
  if (fd < 0) return Status(StatusCode::kInternal, "无法在数据目录中写入上传的文件。");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  bool ok = done == bytes.size() && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(temp.c_str(), path.c_str()) != 0) {
    unlink(temp.c_str());
    return Status(StatusCode::kInternal, "无法在数据目录中写入上传的文件（磁盘已满或无权限）。");
  }
  return upload;
}

Result<std::string> UploadStore::Format(std::string_view sha256) const {
  if (!IsSha256Hex(sha256)) return Status(StatusCode::kNotFound, "没有这个上传的文件。");
  std::string path = dir_ + "/" + std::string(sha256);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status(StatusCode::kNotFound, "没有这个上传的文件。");
  char head[16];
  ssize_t n;
  do {
    n = read(fd, head, sizeof head);
  } while (n < 0 && errno == EINTR);
  close(fd);
  if (n < 0) return Status(StatusCode::kNotFound, "没有这个上传的文件。");
  return SniffFormat(std::string_view(head, static_cast<size_t>(n)));
}

bool UploadStore::Has(std::string_view sha256) const {
  if (!IsSha256Hex(sha256)) return false;
  std::string path = dir_ + "/" + std::string(sha256);
  return access(path.c_str(), F_OK) == 0;
}

Result<std::string> UploadStore::Read(std::string_view sha256) const {
  if (!IsSha256Hex(sha256)) return Status(StatusCode::kNotFound, "没有这个上传的文件。");
  std::string path = dir_ + "/" + std::string(sha256);
  std::string bytes;
  Status status = ReadFileBytes(path, ReadOptions{}, &bytes);
  if (!status.ok()) return Status(StatusCode::kNotFound, "没有这个上传的文件。");
  return bytes;
}

namespace {

class MemoryStore final : public JobStore {
 public:
  Status Put(const JobRecord& job) override {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_[job.id] = job;
    return Status::Ok();
  }
  std::optional<JobRecord> Get(std::string_view id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = jobs_.find(std::string(id));
    if (it == jobs_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, JobRecord> jobs_;
};

class LedgerStoreJobs final : public JobStore {
 public:
  LedgerStoreJobs(LedgerStore* store, ServerProcess process) : store_(store), process_(std::move(process)) {}
  Status Put(const JobRecord& job) override {
    JobRow row{job.id,     job.owner, job.upload,     job.name,      job.state,
               job.progress, job.result, job.error, job.created_ms, job.updated_ms, process_.runner};
    std::lock_guard<std::mutex> lock(mutex_);
    return store_->PutJob(row);
  }
  std::optional<JobRecord> Get(std::string_view id) override {
    std::unique_lock<std::mutex> lock(mutex_);
    Result<std::optional<JobRow>> row = store_->GetJob(std::string(id));
    lock.unlock();
    if (!row.ok() || !*row) return std::nullopt;
    const JobRow& r = **row;
    return JobRecord{r.id,    r.owner,  r.upload, r.name, r.state, static_cast<int>(r.progress), r.result,
                     r.error, r.created_ms, r.updated_ms};
  }
  Result<int64_t> Housekeep(int64_t lease_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const int64_t now = NowMs();
    if (Status s = store_->BeatServerProcess(process_, now); !s.ok()) return s;
    return store_->FailOrphanedJobs(process_.runner, now - lease_ms, now, kOrphanedJobMessage);
  }
  void Retire() override {
    std::lock_guard<std::mutex> lock(mutex_);
    (void)store_->RetireServerProcess(process_.runner, NowMs(), kStoppedJobMessage);  // a later start fails them anyway
  }

 private:
  std::mutex mutex_;
  LedgerStore* store_;
  ServerProcess process_;
};

}  // namespace

std::unique_ptr<JobStore> MemoryJobStore() { return std::make_unique<MemoryStore>(); }

std::unique_ptr<JobStore> LedgerJobStore(LedgerStore* store, ServerProcess process) {
  return std::make_unique<LedgerStoreJobs>(store, std::move(process));
}

ServerProcess ThisServerProcess() {
  ServerProcess p;
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  p.host = host[0] != '\0' ? host : "localhost";
  p.pid = static_cast<int64_t>(getpid());
  p.started_ms = NowMs();
  p.runner = p.host + ":" + std::to_string(p.pid) + ":" + RandomId().substr(0, 8);
  return p;
}

JobRunner::JobRunner(JobStore* store, const UploadStore* uploads, const PoolOptions& pool)
    : store_(store), uploads_(uploads), pool_(std::make_unique<TaskPool>(pool)) {}

JobRunner::~JobRunner() { pool_.reset(); }

std::optional<JobRecord> JobRunner::Submit(std::string owner, std::string upload, std::string name) {
  return Submit(std::move(owner), std::move(upload), std::move(name),
                [this](const JobRecord& job, std::string bytes, const std::function<void(int)>& progress) {
                  return Analyze(job, std::move(bytes), progress);
                });
}

std::optional<JobRecord> JobRunner::Submit(std::string owner, std::string upload, std::string name, Work work) {
  JobRecord job;
  job.id = RandomId();
  job.owner = std::move(owner);
  job.upload = std::move(upload);
  job.name = std::move(name);
  job.created_ms = job.updated_ms = NowMs();
  if (!store_->Put(job).ok()) return std::nullopt;
  if (!pool_->Post([this, job, work = std::move(work)] { Run(job, work); })) {
    job.state = "failed";
    job.error = "服务器繁忙，分析队列已满，请稍后再试。";
    (void)store_->Put(job);  // the caller answers 429 whatever the record says
    return std::nullopt;
  }
  return job;
}

void JobRunner::Run(JobRecord job, const Work& work) {
  auto record = [&](std::string state, int progress) {
    job.state = std::move(state);
    job.progress = progress;
    job.updated_ms = NowMs();
    (void)store_->Put(job);  // a record that cannot be written is seen as not progressing
  };
  try {
    record("running", 5);
    Result<std::string> bytes = uploads_->Read(job.upload);
    if (!bytes.ok()) {
      job.error = bytes.status().message();
      record("failed", 100);
      return;
    }
    Result<std::string> result = work(job, std::move(*bytes), [&](int percent) { record("running", percent); });
    if (!result.ok()) {
      job.error = result.status().message();
      record("failed", 100);
      return;
    }
    job.result = std::move(*result);
    record("done", 100);
  } catch (const std::exception& e) {
    job.error = "分析时内部错误。";
    record("failed", 100);
  }
}

Result<std::string> JobRunner::Analyze(const JobRecord& job, std::string bytes,
                                       const std::function<void(int)>& progress) {
  AnalyzeOptions options;
  options.last = Stage::kRead;
  AnalyzedFile file = AnalyzeBytes(job.name, std::move(bytes), options);
  if (!file.ok()) return file.status;
  progress(30);
  options.last = Stage::kCheck;
  RunStages(options, &file);
  progress(90);
  size_t errors = 0, warnings = 0, infos = 0;
  for (const Finding& f : file.check.findings) {
    (f.severity == Severity::kError ? errors : f.severity == Severity::kWarning ? warnings : infos)++;
  }
  nlohmann::json result = {
      {"reports", file.outline.reports.size()},
      {"findings", {{"error", errors}, {"warning", warnings}, {"info", infos}}},
      {"check", nlohmann::json::parse(RenderCheckJson({CheckedView(file)}))},
  };
  return result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace taizhang::server_internal
