// What the CLI's commands share: writing outputs, the config file, and
// runs over many inputs (threads, output as it comes, the progress line).
#include "cli/cli_common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <iostream>

#include "app/app.h"
#include "common/atomic_file.h"
#include "common/printable.h"
#include "ingest/ingest.h"

namespace taizhang::cli {

namespace {

std::vector<std::string>& ProtectedPaths() {
  static std::vector<std::string> paths;
  return paths;
}

// Writes `data` to standard output and flushes it; false (message printed)
// when that fails.
bool WriteStdout(std::string_view data) {
  std::fwrite(data.data(), 1, data.size(), stdout);
  std::fflush(stdout);
  if (std::ferror(stdout)) {
    std::cerr << "taizhang：写标准输出失败。\n";
    return false;
  }
  return true;
}

}  // namespace

void ProtectPaths(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    if (p != "-") ProtectedPaths().push_back(p);
  }
}

bool OutputAllowed(const std::string& output) {
  for (const std::string& input : ProtectedPaths()) {
    if (input == output || taizhang::SameFile(input, output)) {
      std::cerr << "taizhang：输出文件 " << taizhang::PrintableName(output) << " 就是输入文件 "
                << taizhang::PrintableName(input) << "（或指向它的链接），写入会覆盖它；请换一个输出文件名。\n";
      return false;
    }
  }
  return true;
}

bool WriteOutput(const std::string& path, const std::string& data) {
  if (path.empty()) {
    return WriteStdout(data);
  }
  if (!OutputAllowed(path)) return false;
  taizhang::Status s = taizhang::WriteFileAtomically(path, data);
  if (!s.ok()) {
    std::cerr << "taizhang：" << s.message() << "\n";
    return false;
  }
  return true;
}

bool LoadCheckOptions(const std::string& path, taizhang::CheckOptions* options) {
  std::string file = path;
  if (file.empty()) {
    if (::access("taizhang.json", F_OK) != 0) return true;
    file = "taizhang.json";
  }
  taizhang::Result<taizhang::SourceText> text = taizhang::ReadTextFile(file, {});
  if (!text.ok()) {
    std::cerr << "taizhang：配置文件：" << text.status().message() << "\n";
    return false;
  }
  taizhang::Result<taizhang::CheckOptions> parsed = taizhang::ParseCheckConfig(text->text(), file);
  if (!parsed.ok()) {
    std::cerr << "taizhang：" << parsed.status().message() << "\n";
    return false;
  }
  *options = std::move(parsed).value();
  return true;
}

taizhang::AnalyzeOptions AnalyzeOptionsFor(const InputArgs& args, taizhang::Stage last) {
  taizhang::AnalyzeOptions options;
  options.read.encoding = args.encoding;
  options.outline.split_compilation = !args.no_split;
  options.last = last;
  return options;
}

void AddRunOptions(CLI::App* command, RunArgs* args) {
  // Never more threads than files: a large N costs nothing.
  command->add_option("-j,--jobs", args->jobs, "同时分析几个文件（线程数），默认为处理器核数；输出的内容与顺序与 -j 1 相同");
  command->add_flag("--no-progress", args->no_progress, "不显示进度行（标准错误是终端时默认显示）");
}

namespace {

// An output written as it is made: to stdout, flushed part by part, or to a
// file all or nothing (a temporary beside it, renamed by Finish).
class OutputStream {
 public:
  // False (message printed) when the file is refused or cannot be created.
  bool Open(const std::string& path) {
    if (path.empty()) return true;
    if (!OutputAllowed(path)) return false;
    auto file = taizhang::TemporaryFile::Create(path);
    if (!file.ok()) {
      std::cerr << "taizhang：" << file.status().message() << "\n";
      return false;
    }
    file_ = std::move(file).value();
    return true;
  }

  // False (message printed) on failure.
  bool Write(std::string_view data) {
    if (data.empty()) return true;
    if (file_ == nullptr) return WriteStdout(data);
    taizhang::Status s = file_->Write(data);
    if (!s.ok()) {
      std::cerr << "taizhang：" << s.message() << "\n";
      return false;
    }
    return true;
  }

  bool Finish() {
    if (file_ == nullptr) return true;
    taizhang::Status s = file_->Commit();
    if (!s.ok()) {
      std::cerr << "taizhang：" << s.message() << "\n";
      return false;
    }
    return true;
  }

 private:
  std::unique_ptr<taizhang::TemporaryFile> file_;
};

// Parts kept aside until the head is known: in an unnamed temporary file
// (memory while it cannot be made).
class Spool {
 public:
  Spool() : file_(std::tmpfile()) {}
  ~Spool() {
    if (file_ != nullptr) std::fclose(file_);
  }
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  bool Write(std::string_view data) {
    if (file_ == nullptr) {
      memory_.append(data);
      return true;
    }
    return std::fwrite(data.data(), 1, data.size(), file_) == data.size();
  }

  // Everything written, to `out`; false (message printed) on failure.
  bool CopyTo(OutputStream* out) {
    if (file_ == nullptr) return out->Write(memory_);
    bool read = std::fflush(file_) == 0 && std::fseek(file_, 0, SEEK_SET) == 0;
    std::string buffer(1 << 16, '\0');
    size_t n;
    while (read && (n = std::fread(buffer.data(), 1, buffer.size(), file_)) > 0) {
      if (!out->Write(std::string_view(buffer.data(), n))) return false;
    }
    if (!read || std::ferror(file_)) {
      std::cerr << "taizhang：临时文件读取失败。\n";
      return false;
    }
    return true;
  }

 private:
  std::FILE* file_;
  std::string memory_;
};

}  // namespace

ProgressLine::ProgressLine(const std::vector<std::string>& paths, const RunArgs& run)
    : enabled_(!run.no_progress && ::isatty(STDERR_FILENO) == 1), files_(paths.size()) {
  if (!enabled_) return;
  for (const std::string& path : paths) {
    struct stat st;
    if (path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      total_bytes_ += static_cast<uint64_t>(st.st_size);
    }
  }
  start_ = Clock::now();
}

ProgressLine::~ProgressLine() { Clear(); }

void ProgressLine::Done(uint64_t bytes) {
  if (!enabled_) return;
  ++done_;
  done_bytes_ += bytes;
  const Clock::time_point now = Clock::now();
  if (shown_ && now - last_ < std::chrono::milliseconds(100) && done_ < files_) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  std::string line = fmt::format("已完成 {}/{} 个文件", done_, files_);
  if (seconds > 0) line += fmt::format("，{:.1f} MB/s", static_cast<double>(done_bytes_) / 1e6 / seconds);
  if (done_ < files_ && done_bytes_ > 0 && total_bytes_ > done_bytes_) {
    // The rest at the rate so far, by bytes: files differ in size.
    const auto left = static_cast<long>(
        seconds * static_cast<double>(total_bytes_ - done_bytes_) / static_cast<double>(done_bytes_) + 0.5);
    if (left >= 1) line += left >= 60 ? fmt::format("，预计还需 {} 分 {} 秒", left / 60, left % 60)
                       : fmt::format("，预计还需 {} 秒", left);
  }
  std::fputs(("\r\033[K" + line).c_str(), stderr);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::Clear() {
  if (!shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

bool ForEachInput(const std::vector<std::string>& paths, const taizhang::AnalyzeOptions& options, const RunArgs& run,
                  const std::function<bool(size_t, taizhang::AnalyzedFile&)>& consume) {
  ProtectPaths(paths);
  ProgressLine progress(paths, run);
  bool any_failed = false;
  taizhang::PoolOptions pool;
  pool.jobs = run.jobs;
  // Standard input named twice: the first reads it all, the second finds it
  // empty, as one after the other — never two threads reading it at once.
  if (std::count(paths.begin(), paths.end(), "-") > 1) pool.jobs = 1;
  taizhang::AnalyzeInOrder(paths, options, pool, [&](size_t k, taizhang::AnalyzedFile&& file) {
    if (!file.ok()) {
      any_failed = true;
      progress.Clear();
      std::cerr << "taizhang：" << file.status.message() << "\n";
    } else if (!file.source.warnings().empty()) {
      progress.Clear();
      for (const std::string& warning : file.source.warnings()) std::cerr << "taizhang：警告：" << warning << "\n";
    }
    const uint64_t bytes = file.size_bytes;
    if (!consume(k, file)) return false;
    progress.Done(bytes);
    return true;
  });
  return !any_failed;
}

AnalyzedInputs AnalyzeInputs(const std::vector<std::string>& paths, const taizhang::AnalyzeOptions& options,
                             const RunArgs& run) {
  AnalyzedInputs in;
  in.files.reserve(paths.size());
  in.any_failed = !ForEachInput(paths, options, run, [&](size_t, taizhang::AnalyzedFile& file) {
    in.files.push_back(std::move(file));
    return true;
  });
  return in;
}

int WriteEachInput(const InputArgs& args, const taizhang::AnalyzeOptions& options, const OutputParts& parts) {
  ProtectPaths(args.files);
  OutputStream out;
  if (!out.Open(args.output)) return kExitOutputError;
  std::unique_ptr<Spool> spool;
  if (parts.head_last) spool = std::make_unique<Spool>();
  bool written = parts.head_last || !parts.head || out.Write(parts.head());
  bool all_read = true;
  if (written) {
    taizhang::OutputSink sink;
    sink.write = [&](std::string_view piece) {
      if (!written) return;  // the output failed: the rest of the run is not written
      if (spool == nullptr) {
        written = out.Write(piece);
      } else if (!(written = spool->Write(piece))) {
        std::cerr << "taizhang：临时文件写入失败。\n";
      }
    };
    all_read = ForEachInput(args.files, options, args.run, [&](size_t k, taizhang::AnalyzedFile& file) {
      parts.file(file, k, &sink);
      sink.Flush();
      return written;
    });
  }
  if (written && spool != nullptr) {
    written = out.Write(parts.head()) && spool->CopyTo(&out);
  }
  if (written && parts.tail) written = out.Write(parts.tail());
  if (!written || !out.Finish()) return kExitOutputError;
  return all_read ? kExitOk : kExitInputError;
}

std::string OperatingSystemUser() {
  for (const char* name : {"USER", "LOGNAME"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return v;
  }
  return "unknown";
}

}  // namespace taizhang::cli
