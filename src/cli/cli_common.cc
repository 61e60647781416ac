// WriteOutput and LoadCheckOptions: shared by the CLI's commands.
#include "cli/cli_common.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "ingest/ingest.h"

namespace taizhang::cli {

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
  std::string tmp = path + ".tmp-taizhang";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::cerr << "taizhang：无法写入 " << path << "（" << std::strerror(errno) << "）。\n";
    return false;
  }
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::cerr << "taizhang：写入 " << path << " 失败（" << std::strerror(errno) << "）。\n";
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    std::cerr << "taizhang：写入 " << path << " 失败（" << std::strerror(errno) << "）。\n";
    ::unlink(tmp.c_str());
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
  AnalyzedInputs in;
  in.files.reserve(paths.size());
  for (const std::string& path : paths) {
    in.files.push_back(taizhang::AnalyzeFile(path, options));
    if (!in.files.back().ok()) {
      in.any_failed = true;
      std::cerr << "taizhang：" << in.files.back().status.message() << "\n";
    }
  }
  return in;
}


}  // namespace taizhang::cli
