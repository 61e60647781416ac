// Shared by the command-line front end's files (internal to cli/).
#ifndef TAIZHANG_CLI_CLI_COMMON_H_
#define TAIZHANG_CLI_CLI_COMMON_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "check/check.h"
#include "generated/version.h"  // kVersion, from project(VERSION)
#include "output/outline_output.h"  // OutputSink
#include "pipeline/pipeline.h"

namespace CLI {
class App;
}

namespace taizhang::cli {

using ::taizhang::kVersion;  // from project(VERSION), generated/version.h

// Exit codes (docs/commands.md, "退出码"; the README repeats them).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;     // check: findings of error severity
inline constexpr int kExitUsage = 2;        // bad command line (or config file)
inline constexpr int kExitOutputError = 3;  // the output could not be written
inline constexpr int kExitInternal = 4;     // a bug
inline constexpr int kExitInputError = 5;   // at least one input could not be read

inline constexpr int kExitConflict = 6;  // ledger: a stale update refused (someone changed the item first)
inline constexpr int kExitStore = 7;     // ledger: the database cannot be opened or used
inline constexpr int kExitUndelivered = 8;  // remind: a reminder could not be delivered (logged, retried later)

// `facts` and `check`: a text this large (bytes) has its facts extracted
// report by report, by the check and the writer
// (AnalyzeOptions::defer_facts_from_bytes).
inline constexpr uint64_t kDeferFactsFromBytes = uint64_t{4} << 20;

// The files this run reads (its inputs, the ledger database): no output may
// replace one of them.
void ProtectPaths(const std::vector<std::string>& paths);
// False, with a message, when `output` is a protected file: the same path,
// a hard link or a symbolic link to it.
bool OutputAllowed(const std::string& output);

// Writes `data` to `path` all or nothing (common/atomic_file.h), or to
// stdout when path is empty; refuses a protected file. Returns false with a
// message on failure.
bool WriteOutput(const std::string& path, const std::string& data);

// The config file: --config, else taizhang.json in the working directory
// if there is one. Returns false (message printed) when it is unusable.
bool LoadCheckOptions(const std::string& path, taizhang::CheckOptions* options);

// How a command over many files runs: -j/--jobs, --no-progress.
struct RunArgs {
  unsigned jobs = 0;  // 0: one per core
  bool no_progress = false;
};
void AddRunOptions(CLI::App* command, RunArgs* args);

// The inputs of a document command.
struct InputArgs {
  std::vector<std::string> files;
  bool no_split = false;
  std::string encoding;
  std::string output;
  RunArgs run;
};

// The pipeline's options for a document command's inputs.
taizhang::AnalyzeOptions AnalyzeOptionsFor(const InputArgs& args, taizhang::Stage last);

// "已完成 12/500 个文件，3.4 MB/s，预计还需 1 分 20 秒" on stderr, rewritten in
// place (\r) at most ten times a second, removed at the end and by Clear
// (before a message); only when stderr is a terminal and not --no-progress.
class ProgressLine {
 public:
  ProgressLine(const std::vector<std::string>& paths, const RunArgs& run);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void Done(uint64_t bytes);  // one more file done, of `bytes` bytes
  void Clear();

 private:
  using Clock = std::chrono::steady_clock;
  const bool enabled_;
  const size_t files_;
  size_t done_ = 0;
  uint64_t total_bytes_ = 0, done_bytes_ = 0;
  Clock::time_point start_, last_;
  bool shown_ = false;
};

// Every input run through the pipeline on `run.jobs` threads
// (app/app.h, AnalyzeInOrder) and handed to `consume(k, file)` in input
// order, failed ones too, each as soon as it and every earlier one are
// done. Before that, a failed file's message or an OK file's warnings go to
// stderr; a progress line is kept on stderr when it is a terminal. The
// inputs are protected from being overwritten. `consume` returns false to
// stop the run. Returns whether every input could be read.
bool ForEachInput(const std::vector<std::string>& paths, const taizhang::AnalyzeOptions& options, const RunArgs& run,
                  const std::function<bool(size_t, taizhang::AnalyzedFile&)>& consume);

// Every input in memory at once (for a command that needs all of them
// together: compare's plan and result).
struct AnalyzedInputs {
  std::vector<taizhang::AnalyzedFile> files;
  bool any_failed = false;
};
AnalyzedInputs AnalyzeInputs(const std::vector<std::string>& paths, const taizhang::AnalyzeOptions& options,
                             const RunArgs& run = {});

// What a command writes for a run of files: an opening, each file's part,
// a closing. A file's part is written as soon as it and every earlier file
// are done, and piece by piece as it is rendered (into an OutputSink), so
// the output grows as the run goes and memory holds only the files in
// flight, never the output of a large one.
struct OutputParts {
  std::function<std::string()> head;  // before the first file's part; may be empty
  // Every input in order, failed ones too (file.ok() false), rendered into
  // `sink`. May move the file's contents out (check --annotate keeps its
  // one file).
  std::function<void(taizhang::AnalyzedFile& file, size_t index, taizhang::OutputSink* sink)> file;
  std::function<std::string()> tail;  // may be empty
  // The head depends on every file (check --html opens with the totals):
  // the files' parts wait in a temporary file until the head is known.
  bool head_last = false;
};

// Runs args.files through the pipeline (ForEachInput) and writes `parts` to
// args.output all or nothing, or to stdout as they come. Returns kExitOk,
// kExitInputError (an input could not be read; the others were written) or
// kExitOutputError (message printed).
int WriteEachInput(const InputArgs& args, const taizhang::AnalyzeOptions& options, const OutputParts& parts);

// The login name of the operating system's user ($USER, else $LOGNAME),
// "unknown" when neither is set: who a command's changes are recorded as.
std::string OperatingSystemUser();

}  // namespace taizhang::cli

#endif  // TAIZHANG_CLI_CLI_COMMON_H_
