// `taizhang serve` (internal to cli/): the options, then the server of
// server/ until SIGTERM or SIGINT.
#ifndef TAIZHANG_CLI_SERVE_COMMAND_H_
#define TAIZHANG_CLI_SERVE_COMMAND_H_

#include <CLI/CLI.hpp>
#include <memory>

namespace taizhang::cli {

class ServeCommand {
 public:
  explicit ServeCommand(CLI::App* app);
  ~ServeCommand();
  bool Chosen() const;
  int Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace taizhang::cli

#endif  // TAIZHANG_CLI_SERVE_COMMAND_H_
