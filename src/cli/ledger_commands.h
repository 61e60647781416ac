// `taizhang import`, `taizhang ledger …`, `taizhang backup`, `taizhang restore`
// (internal to cli/): options are registered on the app, then the chosen
// command runs.
#ifndef TAIZHANG_CLI_LEDGER_COMMANDS_H_
#define TAIZHANG_CLI_LEDGER_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <memory>

namespace taizhang::cli {

class LedgerCommands {
 public:
  explicit LedgerCommands(CLI::App* app);
  ~LedgerCommands();
  // Whether one of these commands was chosen, and running it (an exit code).
  bool Chosen() const;
  int Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace taizhang::cli

#endif  // TAIZHANG_CLI_LEDGER_COMMANDS_H_
