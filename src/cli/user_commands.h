// `taizhang user add|list|passwd|unlock|disable|enable` and `taizhang unit
// add|list` (internal to cli/): accounts and units from the command line,
// thin glue over access/access.h. Whoever runs them on the machine acts as
// the administrator the command needs (系统管理员; 安全管理员 for unlock), named
// 命令行:<login name> in the audit log.
#ifndef TAIZHANG_CLI_USER_COMMANDS_H_
#define TAIZHANG_CLI_USER_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <memory>

namespace taizhang::cli {

class UserCommands {
 public:
  explicit UserCommands(CLI::App* app);
  ~UserCommands();
  bool Chosen() const;
  int Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace taizhang::cli

#endif  // TAIZHANG_CLI_USER_COMMANDS_H_
