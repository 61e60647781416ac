// Shared by the command-line front end's files (internal to cli/).
#ifndef TAIZHANG_CLI_CLI_COMMON_H_
#define TAIZHANG_CLI_CLI_COMMON_H_

#include <string>

#include <memory>
#include <vector>

#include "check/check.h"
#include "generated/version.h"  // kVersion, from project(VERSION)
#include "pipeline/pipeline.h"

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

// The inputs of a document command.
struct InputArgs {
  std::vector<std::string> files;
  bool no_split = false;
  std::string encoding;
  std::string output;
};

// The pipeline's options for a document command's inputs.
taizhang::AnalyzeOptions AnalyzeOptionsFor(const InputArgs& args, taizhang::Stage last);

// Every input run through the pipeline up to `options.last`; failures
// reported on stderr as they occur.
struct AnalyzedInputs {
  std::vector<taizhang::AnalyzedFile> files;
  bool any_failed = false;
};
AnalyzedInputs AnalyzeInputs(const std::vector<std::string>& paths, const taizhang::AnalyzeOptions& options);

}  // namespace taizhang::cli

#endif  // TAIZHANG_CLI_CLI_COMMON_H_
