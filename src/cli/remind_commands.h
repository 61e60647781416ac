// `taizhang remind` (internal to cli/): reminders (催办) from the command line
// — run what is due once (for cron), and the channels and rules an office
// administrator sets up — thin glue over remind/remind.h. Secrets are read
// from a file or an environment variable, never from the command line, and
// never printed.
#ifndef TAIZHANG_CLI_REMIND_COMMANDS_H_
#define TAIZHANG_CLI_REMIND_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <memory>

namespace taizhang::cli {

class RemindCommands {
 public:
  explicit RemindCommands(CLI::App* app);
  ~RemindCommands();
  bool Chosen() const;
  int Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace taizhang::cli

#endif  // TAIZHANG_CLI_REMIND_COMMANDS_H_
