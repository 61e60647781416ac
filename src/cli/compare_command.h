// `taizhang compare` (internal to cli/): plan against result (对标对表), ledger
// items against a result, or one measured thing across units (--across).
#ifndef TAIZHANG_CLI_COMPARE_COMMAND_H_
#define TAIZHANG_CLI_COMPARE_COMMAND_H_

#include <CLI/CLI.hpp>
#include <memory>

namespace taizhang::cli {

class CompareCommand {
 public:
  explicit CompareCommand(CLI::App* app);
  ~CompareCommand();
  bool Chosen() const;
  int Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace taizhang::cli

#endif  // TAIZHANG_CLI_COMPARE_COMMAND_H_
