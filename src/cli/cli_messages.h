// The command line in Chinese (internal to cli/): CLI11's help layout and
// its parse errors, with a "您是不是想输入 …？" suggestion for a mistyped
// command or option.
//
//   CLI::App app{"…"};
//   UseChineseMessages(&app, kVersion);   // before adding subcommands
//   … add_subcommand(…)->footer(Examples({{"taizhang check a.txt", "校核"}}));
//   try { app.parse(argc, argv); } catch (const CLI::ParseError& e) { app.exit(e); }
#ifndef TAIZHANG_CLI_CLI_MESSAGES_H_
#define TAIZHANG_CLI_CLI_MESSAGES_H_

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taizhang::cli {

// Every input format taizhang reads, for the help of input-file arguments.
inline constexpr const char* kInputFormats =
    "文本（UTF-8、GB18030/GBK、UTF-16 等中文编码，自动识别）、Word .docx、PDF 或旧版 .doc/.wps（需 "
    "LibreOffice）";
// The example report of the repository, used by the help examples (run
// from the repository root).
inline constexpr const char* kExampleReport =
    "examples/某县农业农村局2024年工作总结和2025年工作计划.txt";

// CLI11's help layout with Chinese headings and labels: 用法, 选项, 子命令,
// 位置参数, 必填, and the positional arguments named in Chinese (files → 文件).
class ChineseFormatter : public CLI::Formatter {
 public:
  ChineseFormatter();
  std::string make_group(std::string group, bool is_positional,
                         std::vector<const CLI::Option*> opts) const override;
  std::string make_option(const CLI::Option* opt, bool is_positional) const override;
  std::string make_description(const CLI::App* app) const override;
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override;
  std::string make_option_usage(const CLI::Option* opt) const override;
};

// Sets up `app` so that everything CLI11 prints is Chinese: the help layout,
// the help and version flags, the option and subcommand groups and the
// parse errors. Call it before adding subcommands: they inherit all of it.
void UseChineseMessages(CLI::App* app, const std::string& version);

// The Chinese message for a parse error of the top-level `app` (after
// app.parse threw `e`), naming the option or value, with a suggestion when a
// subcommand or option looks mistyped. Every line holds Chinese text.
std::string ParseErrorMessage(const CLI::App& app, const CLI::Error& e);

// The name in `candidates` closest to `word` (edit distance with
// transpositions, at most 2 and less than half the word), "" when none is
// close enough. "chek" → "check", "--jsn" → "--json", "lsit" → "list".
std::string ClosestName(std::string_view word, const std::vector<std::string>& candidates);

// A help footer of examples: "示例：" then each command with what it does,
// indented. Commands are run from the repository root as written.
std::string Examples(const std::vector<std::pair<std::string, std::string>>& examples);

}  // namespace taizhang::cli

#endif  // TAIZHANG_CLI_CLI_MESSAGES_H_
