// Shared by the command-line front end's files (internal to cli/).
#ifndef TAIZHANG_CLI_CLI_COMMON_H_
#define TAIZHANG_CLI_CLI_COMMON_H_

#include <string>

#include <memory>
#include <vector>

#include "check/check.h"
#include "generated/version.h"  // kVersion, from project(VERSION)
#include "output/output.h"

namespace taizhang::cli {

using ::taizhang::kVersion;  // from project(VERSION), generated/version.h

// Exit codes (README.md, "退出码").
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;     // check: findings of error severity
inline constexpr int kExitUsage = 2;        // bad command line (or config file)
inline constexpr int kExitOutputError = 3;  // the output could not be written
inline constexpr int kExitInternal = 4;     // a bug
inline constexpr int kExitInputError = 5;   // at least one input could not be read

inline constexpr int kExitConflict = 6;  // ledger: a stale update refused (someone changed the item first)
inline constexpr int kExitStore = 7;     // ledger: the database cannot be opened or used

// Writes `data` to `path` atomically (temporary file + rename), or to stdout
// when path is empty. Returns false with a message on failure.
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

// Every input read and outlined; failures reported on stderr as they occur.
// Sources must outlive the outlines that point into them, hence the pointers.
struct LoadedInputs {
  std::vector<std::unique_ptr<taizhang::SourceText>> sources;
  std::vector<std::unique_ptr<taizhang::OutlineResult>> outlines;
  std::vector<taizhang::OutlinedFile> files;
  bool any_failed = false;
};

LoadedInputs LoadInputs(const InputArgs& args);

}  // namespace taizhang::cli

#endif  // TAIZHANG_CLI_CLI_COMMON_H_
