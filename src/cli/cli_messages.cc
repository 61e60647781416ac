// CLI11 in Chinese: the help formatter and the parse errors. CLI11 (2.1)
// builds its errors as English sentences of a few fixed shapes
// ("--year excludes --json", "Could not convert: --year = abc"); the names
// and values are taken back out of them and out of the parsed app, and
// written as Chinese sentences.
#include "cli/cli_messages.h"

#include <algorithm>
#include <map>
#include <memory>

#include "common/utf8.h"

namespace taizhang::cli {

namespace {

// Chinese names of the positional arguments (CLI11 allows only ASCII names).
const std::map<std::string, std::string>& PositionalNames() {
  static const std::map<std::string, std::string> names = {
      {"files", "输入文件"}, {"id", "事项编号"}, {"file", "备份文件"}};
  return names;
}

std::string PositionalName(const std::string& name) {
  auto it = PositionalNames().find(name);
  return it == PositionalNames().end() ? name : it->second;
}

// What a value of this CLI11 type name should be, in Chinese.
std::string TypeName(const std::string& type) {
  if (type == "INT") return "整数";
  if (type == "UINT") return "非负整数";
  if (type == "FLOAT") return "数";
  if (type == "BOOLEAN") return "true 或 false";
  return "文本";
}

// The chosen command: the last subcommand parsed, all the way down.
const CLI::App* ChosenCommand(const CLI::App& app) {
  const CLI::App* command = &app;
  for (std::vector<CLI::App*> subs = command->get_subcommands(); !subs.empty();
       subs = command->get_subcommands()) {
    command = subs.back();
  }
  return command;
}

// "taizhang ledger list": the names from the top app down to `command`.
std::string CommandPath(const CLI::App* command) {
  std::string path;
  for (const CLI::App* a = command; a != nullptr; a = a->get_parent()) {
    path = a->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

// The option of `command` (or of a command above it) that has this name:
// "--year", "-o" or a positional's name.
const CLI::Option* FindOption(const CLI::App* command, const std::string& name) {
  for (const CLI::App* a = command; a != nullptr; a = a->get_parent()) {
    for (const CLI::Option* o : a->get_options()) {
      if (o->check_name(name)) return o;
    }
  }
  return nullptr;
}

// "ledger list：" before a message about that command, "" for the top app.
std::string Where(const CLI::App* command) {
  if (command->get_parent() == nullptr) return "";
  std::string path = CommandPath(command);
  return path.substr(path.find(' ') + 1) + "：";
}

// An option as the user knows it: "--year", or the positional's Chinese name.
std::string ShownName(const CLI::App* command, const std::string& name) {
  const CLI::Option* o = FindOption(command, name);
  if (o != nullptr && o->get_positional() && !o->nonpositional()) return PositionalName(name);
  return name;
}

// Every name the user could have meant: "--json", "-o", …
std::vector<std::string> OptionNames(const CLI::App* command) {
  std::vector<std::string> names;
  for (const CLI::Option* o : command->get_options()) {
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
    for (const std::string& s : o->get_snames()) names.push_back("-" + s);
  }
  return names;
}

std::vector<std::string> SubcommandNames(const CLI::App* command) {
  std::vector<std::string> names;
  for (const CLI::App* sub : command->get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

std::string Joined(const std::vector<std::string>& names, const char* separator) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : separator) + n;
  return out;
}

// The arguments nobody took, from the top app down.
std::vector<std::string> LeftOver(const CLI::App& app) { return app.remaining(true); }

std::string HelpHint(const CLI::App* command) {
  return "用“" + CommandPath(command) + " --help”查看用法和示例。\n";
}

std::string Suggestion(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best = ClosestName(word, candidates);
  return best.empty() ? "" : "您是不是想输入 " + best + "？";
}

// For a word that is no subcommand of `command`: the closest subcommand, else
// the closest one a level down ("show" → "ledger show").
std::string SubcommandSuggestion(const CLI::App* command, const std::string& word) {
  std::string best = ClosestName(word, SubcommandNames(command));
  for (const CLI::App* sub : command->get_subcommands([](const CLI::App*) { return true; })) {
    if (!best.empty()) break;
    std::string nested = ClosestName(word, SubcommandNames(sub));
    if (!nested.empty()) best = sub->get_name() + " " + nested;
  }
  return best.empty() ? "" : "您是不是想输入 " + best + "？";
}

// Words after `prefix` in `what` up to `stop` ("" for the end).
std::string Between(const std::string& what, const std::string& prefix, const std::string& stop) {
  size_t at = what.find(prefix);
  if (at == std::string::npos) return "";
  at += prefix.size();
  size_t end = stop.empty() ? what.size() : what.find(stop, at);
  return what.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// The first word of `what` that names an option of `command`.
std::string OptionIn(const CLI::App* command, const std::string& what) {
  size_t at = 0;
  while (at < what.size()) {
    size_t end = what.find_first_of(" ,:[]", at);
    if (end == std::string::npos) end = what.size();
    std::string word = what.substr(at, end - at);
    if (!word.empty() && FindOption(command, word) != nullptr) return word;
    at = end + 1;
  }
  return "";
}

// A mistyped or missing subcommand of `command`.
std::string SubcommandMessage(const CLI::App& app, const CLI::App* command) {
  std::string unknown;
  for (const std::string& arg : LeftOver(app)) {
    if (!arg.empty() && arg[0] != '-') {
      unknown = arg;
      break;
    }
  }
  const std::string where = Where(command);
  std::vector<std::string> names = SubcommandNames(command);
  std::string out;
  for (const std::string& arg : LeftOver(app)) {
    if (arg.size() > 1 && arg[0] == '-') {
      std::string name = arg.substr(0, arg.find('='));
      out += "taizhang：" + where + "没有选项“" + name + "”。" +
             Suggestion(name, OptionNames(command)) + "\n";
    }
  }
  out += "taizhang：";
  if (unknown.empty()) {
    out += where + "缺少子命令。\n";
  } else {
    out +=
        where + "没有“" + unknown + "”这个子命令。" + SubcommandSuggestion(command, unknown) + "\n";
  }
  return out + "可用的子命令：" + Joined(names, "、") + "。\n";
}

// Arguments CLI11 could not place: unknown options, extra words.
std::string ExtrasMessage(const CLI::App& app, const CLI::App* command, const std::string& what) {
  std::vector<std::string> extras = LeftOver(app);
  if (extras.empty()) {
    std::string list =
        what.substr(what.find(": ") == std::string::npos ? what.size() : what.find(": ") + 2);
    for (size_t at = 0; at < list.size();) {
      size_t end = std::min(list.find(' ', at), list.size());
      if (end > at) extras.push_back(list.substr(at, end - at));
      at = end + 1;
    }
  }
  const std::string where = Where(command);
  std::string out;
  for (const std::string& arg : extras) {
    out += "taizhang：";
    if (arg.size() > 1 && arg[0] == '-') {
      std::string name = arg.substr(0, arg.find('='));
      out += where + "没有选项“" + name + "”。" + Suggestion(name, OptionNames(command)) + "\n";
    } else if (!SubcommandNames(command).empty()) {
      out += where + "没有“" + arg + "”这个子命令。" + SubcommandSuggestion(command, arg) + "\n";
    } else {
      out += where + "多余的参数“" + arg + "”。\n";
    }
  }
  return out.empty() ? "taizhang：" + where + "有多余的参数。\n" : out;
}

std::string RequiredMessage(const CLI::App& app, const CLI::App* command, const std::string& what) {
  if (what.rfind("A subcommand", 0) == 0 ||
      (what.rfind("Requires at least", 0) == 0 && what.find("subcommand") != std::string::npos)) {
    return SubcommandMessage(app, command);
  }
  std::string name = what.substr(0, what.find(" is required"));
  const CLI::Option* o = FindOption(command, name);
  const std::string where = Where(command);
  if (o == nullptr) return "taizhang：" + where + "缺少必需的“" + name + "”。\n";
  std::string desc = o->get_description().empty() ? "" : "（" + o->get_description() + "）";
  if (o->get_positional() && !o->nonpositional())
    return "taizhang：" + where + "缺少" + PositionalName(name) + "。\n";
  return "taizhang：" + where + "缺少必填的选项 " + name + desc + "。\n";
}

std::string ConversionMessage(const CLI::App* command, const std::string& what) {
  const std::string where = Where(command);
  if (what.rfind("Could not convert: ", 0) == 0) {
    std::string name = Between(what, "Could not convert: ", " = ");
    std::string value = Between(what, " = ", "");
    const CLI::Option* o = FindOption(command, name);
    std::string type = o == nullptr ? "TEXT" : o->get_type_name();
    return "taizhang：" + where + ShownName(command, name) +
           (o != nullptr && o->get_positional() && !o->nonpositional() ? "" : " 的值") + "应为" +
           TypeName(type) + "，收到“" + value + "”。\n";
  }
  if (what.rfind("The value ", 0) == 0) {
    std::string value = Between(what, "The value ", " is not an allowed value for ");
    std::string name = Between(what, " is not an allowed value for ", "");
    return "taizhang：" + where + "“" + value + "”不是 " + ShownName(command, name) +
           " 可以取的值。\n";
  }
  std::string name = OptionIn(command, what);
  if (what.find("too many inputs for a flag") != std::string::npos) {
    return "taizhang：" + where + name + " 是开关，后面不带值。\n";
  }
  if (what.find("Should be true/false") != std::string::npos) {
    return "taizhang：" + where + name + " 的值应为 true、false 或数字。\n";
  }
  return "taizhang：" + where + (name.empty() ? "" : name + " 的") + "值无法识别。\n";
}

// A ValidationError: "NAME: message" from a check on the value.
std::string ValidationMessage(const CLI::App* command, const std::string& what) {
  const std::string where = Where(command);
  std::string name = what.substr(0, what.find(':'));
  std::string value;
  size_t bad = what.find("Value ");
  if (bad != std::string::npos) value = what.substr(bad + 6, what.find(' ', bad + 6) - bad - 6);
  const CLI::Option* o = FindOption(command, name);
  if (o == nullptr) return "taizhang：" + where + "参数的值不合要求。\n";
  std::string out = "taizhang：" + where + ShownName(command, name) + " 的值";
  if (!value.empty()) out += "“" + value + "”";
  return out + "不合要求，应为" + TypeName(o->get_type_name()) + "。\n";
}

std::string ArgumentCountMessage(const CLI::App* command, const std::string& what) {
  const std::string where = Where(command);
  std::string name = OptionIn(command, what);
  if (name.empty()) return "taizhang：" + where + "参数的个数不对。\n";
  return "taizhang：" + where + ShownName(command, name) + " 后面缺少值，或值的个数不对。\n";
}

std::string FailureMessage(const CLI::App* app, const CLI::Error& e) {
  return ParseErrorMessage(*app, e);
}

// Damerau-Levenshtein distance (optimal string alignment) between two byte strings.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string_view WithoutDashes(std::string_view s) {
  while (!s.empty() && s.front() == '-') s.remove_prefix(1);
  return s;
}

}  // namespace

ChineseFormatter::ChineseFormatter() {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"Usage", "用法"},
                                                        {"OPTIONS", "选项"},
                                                        {"SUBCOMMAND", "子命令"},
                                                        {"SUBCOMMANDS", "子命令"},
                                                        {"Positionals", "位置参数"},
                                                        {"REQUIRED", "必填"},
                                                        {"Needs", "需要"},
                                                        {"Excludes", "不能同用"},
                                                        {"Env", "环境变量"},
                                                        {"Options", "选项"},
                                                        {"TEXT", "文本"},
                                                        {"INT", "整数"},
                                                        {"UINT", "非负整数"},
                                                        {"FLOAT", "数"},
                                                        {"BOOLEAN", "是否"},
                                                        {"ENUM", "取值"},
                                                        {"CHAR", "字符"}}) {
    label(key, value);
  }
  column_width(32);
}

std::string ChineseFormatter::make_group(std::string group, bool is_positional,
                                         std::vector<const CLI::Option*> opts) const {
  return CLI::Formatter::make_group(get_label(group), is_positional, std::move(opts));
}

// As CLI11's, with the columns counted on screen: a Chinese character takes two.
std::string ChineseFormatter::make_option(const CLI::Option* opt, bool is_positional) const {
  const std::string name = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
  const size_t width = static_cast<size_t>(utf8::DisplayWidth(name));
  std::string out = name;
  if (width + 1 >= column_width_) {
    out += "\n" + std::string(column_width_, ' ');
  } else {
    out += std::string(column_width_ - width, ' ');
  }
  return out + make_option_desc(opt) + "\n";
}

std::string ChineseFormatter::make_description(const CLI::App* app) const {
  std::string description = app->get_description();
  return description.empty() ? description : description + "\n";
}

std::string ChineseFormatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
  if (is_positional) return PositionalName(opt->get_name(true, false));
  return CLI::Formatter::make_option_name(opt, is_positional);
}

std::string ChineseFormatter::make_option_usage(const CLI::Option* opt) const {
  std::string usage = make_option_name(opt, true);
  if (opt->get_expected_max() >= CLI::detail::expected_max_vector_size) usage += "…";
  return opt->get_required() ? usage : "[" + usage + "]";
}

void UseChineseMessages(CLI::App* app, const std::string& version) {
  app->name("taizhang");
  app->formatter(std::make_shared<ChineseFormatter>());
  // Options stay in CLI11's group "Options", shown as 选项 by the formatter;
  // subcommands copy these flags, the formatter and the failure message.
  app->set_help_flag("-h,--help", "显示帮助（用法、选项与示例）并退出");
  app->set_version_flag("--version", version, "显示版本号并退出");
  app->group("子命令");  // subcommands take their parent's group name
  app->failure_message(FailureMessage);
}

std::string ParseErrorMessage(const CLI::App& app, const CLI::Error& e) {
  const CLI::App* command = ChosenCommand(app);
  const std::string what = e.what();
  std::string message;
  // CLI11 names some errors after the command (ExtrasError), so the type tells the kind.
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    message = RequiredMessage(app, command, what);
  } else if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    message = ExtrasMessage(app, command, what);
  } else if (dynamic_cast<const CLI::ConversionError*>(&e) != nullptr) {
    message = ConversionMessage(command, what);
  } else if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr) {
    message = ValidationMessage(command, what);
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
    message = ArgumentCountMessage(command, what);
  } else if (dynamic_cast<const CLI::ExcludesError*>(&e) != nullptr ||
             dynamic_cast<const CLI::RequiresError*>(&e) != nullptr) {
    const bool excludes = dynamic_cast<const CLI::ExcludesError*>(&e) != nullptr;
    const std::string word = excludes ? " excludes " : " requires ";
    std::string first = what.substr(0, what.find(word));
    std::string second = Between(what, word, "");
    message = "taizhang：" + Where(command) + ShownName(command, first) +
              (excludes ? " 与 " : " 需要与 ") + ShownName(command, second) +
              (excludes ? " 不能同时使用。\n" : " 一起使用。\n");
  } else if (dynamic_cast<const CLI::InvalidError*>(&e) != nullptr) {
    message = "taizhang：" + Where(command) + "位置参数的个数不对。\n";
  } else if (dynamic_cast<const CLI::OptionNotFound*>(&e) != nullptr) {
    message = "taizhang：" + Where(command) + "没有选项“" +
              what.substr(0, what.find(" not found")) + "”。\n";
  } else {
    message = "taizhang：" + Where(command) + "命令行有误（" + what + "）。\n";
  }
  return message + HelpHint(command);
}

std::string ClosestName(std::string_view word, const std::vector<std::string>& candidates) {
  std::string_view bare = WithoutDashes(word);
  if (bare.empty()) return "";
  std::string best;
  size_t best_distance = 3;
  std::string prefixed;
  int prefix_count = 0;
  for (const std::string& c : candidates) {
    // Options are compared with options, words with words.
    if ((word.front() == '-') != (!c.empty() && c.front() == '-')) continue;
    std::string_view name = WithoutDashes(c);
    size_t d = EditDistance(bare, name);
    if (d < best_distance && 2 * d < std::max(bare.size(), name.size())) {
      best = c;
      best_distance = d;
    }
    if (bare.size() >= 3 && name.substr(0, bare.size()) == bare) {
      prefixed = c;
      ++prefix_count;
    }
  }
  if (best.empty() && prefix_count == 1) return prefixed;
  return best;
}

std::string Examples(const std::vector<std::pair<std::string, std::string>>& examples) {
  std::string out = "示例：\n";
  for (const auto& [command, what] : examples) out += "  " + command + "\n      " + what + "\n";
  return out;
}

}  // namespace taizhang::cli
