// WriteOutput and LoadCheckOptions: shared by the CLI's commands.
#include "cli/cli_common.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "common/atomic_file.h"
#include "common/printable.h"
#include "ingest/ingest.h"

namespace taizhang::cli {

namespace {

std::vector<std::string>& ProtectedPaths() {
  static std::vector<std::string> paths;
  return paths;
}

}  // namespace

void ProtectPaths(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    if (p != "-") ProtectedPaths().push_back(p);
  }
}

bool OutputAllowed(const std::string& output) {
  for (const std::string& input : ProtectedPaths()) {
    if (input == output || taizhang::SameFile(input, output)) {
      std::cerr << "taizhang：输出文件 " << taizhang::PrintableName(output) << " 就是输入文件 "
                << taizhang::PrintableName(input) << "（或指向它的链接），写入会覆盖它；请换一个输出文件名。\n";
      return false;
    }
  }
  return true;
}

bool WriteOutput(const std::string& path, const std::string& data) {
  if (path.empty()) {
    std::fwrite(data.data(), 1, data.size(), stdout);
    std::fflush(stdout);
    if (std::ferror(stdout)) {
      std::cerr << "taizhang：写标准输出失败。\n";
      return false;
    }
    return true;
  }
  if (!OutputAllowed(path)) return false;
  taizhang::Status s = taizhang::WriteFileAtomically(path, data);
  if (!s.ok()) {
    std::cerr << "taizhang：" << s.message() << "\n";
    return false;
  }
  return true;
}

bool LoadCheckOptions(const std::string& path, taizhang::CheckOptions* options) {
  std::string file = path;
  if (file.empty()) {
    if (::access("taizhang.json", F_OK) != 0) return true;
    file = "taizhang.json";
  }
  taizhang::Result<taizhang::SourceText> text = taizhang::ReadTextFile(file, {});
  if (!text.ok()) {
    std::cerr << "taizhang：配置文件：" << text.status().message() << "\n";
    return false;
  }
  taizhang::Result<taizhang::CheckOptions> parsed = taizhang::ParseCheckConfig(text->text(), file);
  if (!parsed.ok()) {
    std::cerr << "taizhang：" << parsed.status().message() << "\n";
    return false;
  }
  *options = std::move(parsed).value();
  return true;
}

taizhang::AnalyzeOptions AnalyzeOptionsFor(const InputArgs& args, taizhang::Stage last) {
  taizhang::AnalyzeOptions options;
  options.read.encoding = args.encoding;
  options.outline.split_compilation = !args.no_split;
  options.last = last;
  return options;
}

AnalyzedInputs AnalyzeInputs(const std::vector<std::string>& paths, const taizhang::AnalyzeOptions& options) {
  ProtectPaths(paths);
  AnalyzedInputs in;
  in.files.reserve(paths.size());
  for (const std::string& path : paths) {
    in.files.push_back(taizhang::AnalyzeFile(path, options));
    const taizhang::AnalyzedFile& file = in.files.back();
    if (!file.ok()) {
      in.any_failed = true;
      std::cerr << "taizhang：" << file.status.message() << "\n";
      continue;
    }
    for (const std::string& warning : file.source.warnings()) std::cerr << "taizhang：警告：" << warning << "\n";
  }
  return in;
}


}  // namespace taizhang::cli
