#include "common/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "common/printable.h"

namespace taizhang {

namespace {

// Temporary files to remove when a signal ends the process. A handler may
// call only async-signal-safe functions: it reads fixed buffers and calls
// unlink(2). A slot is claimed by its owner and released by it.
constexpr int kSlots = 64;
constexpr size_t kPathMax = 4096;
std::array<std::atomic<bool>, kSlots> g_in_use{};
std::array<std::array<char, kPathMax>, kSlots> g_paths{};
std::once_flag g_handlers_installed;

extern "C" void RemoveTemporariesAndExit(int signal_number) {
  for (int i = 0; i < kSlots; ++i) {
    if (g_in_use[i].load()) ::unlink(g_paths[i].data());
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void InstallHandlers() {
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current;
    if (::sigaction(signal_number, nullptr, &current) != 0) continue;
    // Keep an ignored signal ignored (nohup), and another handler someone set.
    if (current.sa_handler != SIG_DFL) continue;
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = RemoveTemporariesAndExit;
    sigemptyset(&action.sa_mask);
    ::sigaction(signal_number, &action, nullptr);
  }
}

int ClaimSlot(const std::string& path) {
  if (path.size() >= kPathMax) return -1;
  std::call_once(g_handlers_installed, InstallHandlers);
  for (int i = 0; i < kSlots; ++i) {
    bool expected = false;
    if (g_in_use[i].compare_exchange_strong(expected, true)) {
      // Written while the slot reads as in use: a signal in between would
      // unlink a half-written name, which at worst fails.
      std::memcpy(g_paths[i].data(), path.c_str(), path.size() + 1);
      return i;
    }
  }
  return -1;  // more than kSlots at once: still removed on failure, not on a signal
}

void ReleaseSlot(int slot) {
  if (slot >= 0) g_in_use[slot].store(false);
}

Status WriteError(const std::string& destination, int err) {
  const std::string name = PrintableName(destination);
  if (err == ENOENT || err == ENOTDIR) return Status(StatusCode::kNotFound, name + "：所在目录不存在，无法写入。");
  if (err == EACCES || err == EPERM || err == EROFS) {
    return Status(StatusCode::kUnreadable, name + "：没有写入权限。");
  }
  if (err == EISDIR) return Status(StatusCode::kNotAFile, name + "：这是一个目录，无法写入。");
  return Status(StatusCode::kUnreadable, name + "：写入失败（" + std::strerror(err) + "）。");
}

}  // namespace

Result<std::unique_ptr<TemporaryFile>> TemporaryFile::Create(const std::string& destination) {
  // ".name.taizhang-XXXXXX" in the destination's folder: rename stays within
  // one file system, and the name is hidden from a listing.
  const size_t slash = destination.rfind('/');
  const std::string folder = slash == std::string::npos ? std::string() : destination.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? destination : destination.substr(slash + 1);
  if (base.empty()) return WriteError(destination, EISDIR);
  std::string pattern = folder + "." + base + ".taizhang-XXXXXX";
  const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) return WriteError(destination, errno);
  // mkstemp makes 0600; a new file gets 0666 less the umask.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  (void)::fchmod(fd, 0666 & ~mask);  // failing leaves 0600, which is safe
  const int slot = ClaimSlot(pattern);
  return std::unique_ptr<TemporaryFile>(new TemporaryFile(destination, std::move(pattern), fd, slot));
}

TemporaryFile::TemporaryFile(std::string destination, std::string path, int fd, int slot)
    : destination_(std::move(destination)), path_(std::move(path)), fd_(fd), slot_(slot) {}

TemporaryFile::~TemporaryFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(path_.c_str());
  ReleaseSlot(slot_);
}

Status TemporaryFile::Write(std::string_view data) {
  if (fd_ < 0) return Status(StatusCode::kInternal, "临时文件已关闭。");
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return WriteError(destination_, errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status TemporaryFile::CloseDescriptor() {
  if (fd_ < 0) return Status::Ok();
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return WriteError(destination_, errno);
  return Status::Ok();
}

Status TemporaryFile::Commit() {
  Status s = CloseDescriptor();
  if (!s.ok()) return s;
  if (::rename(path_.c_str(), destination_.c_str()) != 0) return WriteError(destination_, errno);
  committed_ = true;
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view data) {
  auto file = TemporaryFile::Create(path);
  if (!file.ok()) return file.status();
  Status s = (*file)->Write(data);
  if (!s.ok()) return s;
  return (*file)->Commit();
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace taizhang
