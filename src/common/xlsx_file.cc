#include "common/xlsx_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace taizhang {

namespace {

// A new, empty file beside `path` for the workbook to be written to.
Result<std::string> CreateTemporary(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return tmp;
    }
    int err = errno;
    if (err == EEXIST) continue;
    if (err == ENOENT || err == ENOTDIR) {
      return Status(StatusCode::kNotFound, path + "：所在目录不存在，无法写入 Excel 文件。");
    }
    if (err == EACCES || err == EPERM || err == EROFS) {
      return Status(StatusCode::kUnreadable, path + "：没有写入权限，无法写入 Excel 文件。");
    }
    return Status(StatusCode::kUnreadable, path + "：无法写入 Excel 文件（" + std::strerror(err) + "）。");
  }
  return Status(StatusCode::kUnreadable, path + "：无法创建临时文件，未写入 Excel 文件。");
}

}  // namespace

Status WriteXlsxFile(const std::string& path, const std::string& title,
                     const std::function<Status(lxw_workbook*)>& fill) {
  Result<std::string> tmp = CreateTemporary(path);
  if (!tmp.ok()) return tmp.status();

  lxw_workbook_options workbook_options = {};
  lxw_workbook* workbook = workbook_new_opt(tmp->c_str(), &workbook_options);
  if (workbook == nullptr) {
    ::unlink(tmp->c_str());
    return Status(StatusCode::kInternal, path + "：写入 Excel 文件失败（无法创建工作簿）。");
  }
  lxw_doc_properties properties = {};
  std::string title_copy = title;
  properties.title = title_copy.data();
  properties.author = const_cast<char*>("taizhang");
  workbook_set_properties(workbook, &properties);

  Status status = fill(workbook);
  // The workbook is freed by workbook_close whatever happens; on an earlier
  // failure the file it writes is removed below.
  lxw_error closed = workbook_close(workbook);
  if (status.ok() && closed != LXW_NO_ERROR) {
    int err = errno;
    if (closed == LXW_ERROR_CREATING_XLSX_FILE || closed == LXW_ERROR_CREATING_TMPFILE) {
      status = Status(StatusCode::kUnreadable, path + "：写入 Excel 文件失败（" + lxw_strerror(closed) + "：" +
                                                   std::strerror(err) + "）。");
    } else {
      status = Status(StatusCode::kInternal, path + "：写入 Excel 文件失败（" + std::string(lxw_strerror(closed)) + "）。");
    }
  }
  if (status.ok() && ::rename(tmp->c_str(), path.c_str()) != 0) {
    int err = errno;
    status = Status(err == EISDIR ? StatusCode::kNotAFile : StatusCode::kUnreadable,
                    path + (err == EISDIR ? "：这是一个目录，无法写入 Excel 文件。"
                                          : "：写入 Excel 文件失败（" + std::string(std::strerror(err)) + "）。"));
  }
  if (!status.ok()) ::unlink(tmp->c_str());
  return status;
}

}  // namespace taizhang
