// Files written in full or not at all, safely in folders others can write
// to. The data goes to a temporary file that mkstemp creates beside the
// destination (a fresh random name, O_EXCL: never an existing file, never
// through a planted symbolic link), which is renamed over the destination
// only when complete, and removed on failure — and on SIGINT, SIGTERM or
// SIGHUP, so an interrupted run leaves nothing behind.
//
//   auto out = taizhang::TemporaryFile::Create("报告.json");
//   … write to out->fd() or to out->path() …
//   Status s = out->Commit();   // rename over 报告.json; destructor removes otherwise
#ifndef TAIZHANG_COMMON_ATOMIC_FILE_H_
#define TAIZHANG_COMMON_ATOMIC_FILE_H_

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace taizhang {

class TemporaryFile {
 public:
  // A new empty file in the folder of `destination`, open for writing, with
  // the permissions a new file would get (0666 less the umask).
  static Result<std::unique_ptr<TemporaryFile>> Create(const std::string& destination);
  ~TemporaryFile();  // removes the temporary file unless committed

  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& destination() const { return destination_; }
  int fd() const { return fd_; }

  // Writes all of `data` at the current offset.
  Status Write(std::string_view data);
  // Closes the file (if still open) and renames it over the destination.
  Status Commit();
  // Closes the descriptor, keeping the file (for a library that writes by
  // name, such as libxlsxwriter or SQLite).
  Status CloseDescriptor();

 private:
  TemporaryFile(std::string destination, std::string path, int fd, int slot);
  std::string destination_;
  std::string path_;
  int fd_ = -1;
  int slot_ = -1;  // in the table of files removed on a signal
  bool committed_ = false;
};

// `data` written to `path` all or nothing through a TemporaryFile.
Status WriteFileAtomically(const std::string& path, std::string_view data);

// Whether two paths name the same file: the same path, a hard link or a
// symbolic link to it. False when either does not exist.
bool SameFile(const std::string& a, const std::string& b);

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_ATOMIC_FILE_H_
