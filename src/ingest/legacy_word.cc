// ReadLegacyWord: LibreOffice headless as a converter, with a private
// profile (a running LibreOffice of the user's is not disturbed), a time
// limit, and the temporary files removed whatever happens.
#include "ingest/legacy_word.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "ingest/docx_reader.h"

extern char** environ;

namespace taizhang::ingest_internal {

namespace {

bool Executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// A temporary directory removed when this goes out of scope.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/taizhang-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) != nullptr) path_ = buffer.data();
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

std::string FindLibreOffice() {
  if (const char* forced = std::getenv("TAIZHANG_SOFFICE")) return Executable(forced) ? forced : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    for (const char* program : {"soffice", "libreoffice"}) {
      std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
      if (Executable(candidate)) return candidate;
    }
    start = end + 1;
  }
  return "";
}

Result<SourceText> ReadLegacyWord(std::string name, std::string_view bytes, const ReadOptions& options) {
  const std::string soffice = FindLibreOffice();
  if (soffice.empty()) {
    return Status(StatusCode::kUndecodable,
                  name + "：这是旧版 Word/WPS 二进制文件（.doc/.wps），需要 LibreOffice 转换，但本机没有安装"
                         "（Debian：apt install libreoffice-writer-nogui）；也可以先在 Word/WPS 中另存为 .docx。");
  }
  TempDir dir;
  if (dir.path().empty()) {
    return Status(StatusCode::kInternal, name + "：无法创建临时目录，未能转换。");
  }
  const std::string input = dir.path() + "/input.doc";
  {
    std::ofstream out(input, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status(StatusCode::kInternal, name + "：无法写入临时文件，未能转换。");
  }
  std::vector<std::string> args = {soffice,
                                   "--headless",
                                   "--norestore",
                                   "--nologo",
                                   "-env:UserInstallation=file://" + dir.path() + "/profile",
                                   "--convert-to",
                                   "docx:MS Word 2007 XML",
                                   "--outdir",
                                   dir.path(),
                                   input};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so that a timeout stops LibreOffice's helpers too.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, soffice.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    return Status(StatusCode::kUndecodable, name + "：无法启动 LibreOffice（" + soffice + "），未能转换。");
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.converter_timeout_seconds);
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return Status(StatusCode::kTooLarge, name + "：LibreOffice 转换超过 " +
                                               std::to_string(options.converter_timeout_seconds) + " 秒，已中止。");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string output = dir.path() + "/input.docx";
  std::ifstream in(output, std::ios::binary);
  std::string docx((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || docx.empty()) {
    return Status(StatusCode::kUndecodable,
                  name + "：LibreOffice 未能转换这个文件（文件可能已损坏，或不是 Word/WPS 文档）。");
  }
  auto converted = ReadDocx(name, std::move(docx), options);
  if (!converted.ok()) return converted.status();
  SourceText source(std::move(name), "DOC", std::string(converted->text()), 0);
  source.set_layout(converted->layout());
  return source;
}

}  // namespace taizhang::ingest_internal
