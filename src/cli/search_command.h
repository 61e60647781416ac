// `taizhang search` (internal to cli/): full-text search over the ledger —
// report sentences, items, progress notes, findings — through the index
// beside the ledger (search/), caught up before it answers.
#ifndef TAIZHANG_CLI_SEARCH_COMMAND_H_
#define TAIZHANG_CLI_SEARCH_COMMAND_H_

#include <CLI/CLI.hpp>
#include <memory>

namespace taizhang::cli {

class SearchCommand {
 public:
  explicit SearchCommand(CLI::App* app);
  ~SearchCommand();
  bool Chosen() const;
  int Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace taizhang::cli

#endif  // TAIZHANG_CLI_SEARCH_COMMAND_H_
