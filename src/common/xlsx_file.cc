#include "common/xlsx_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/atomic_file.h"

namespace taizhang {

Status WriteXlsxFile(const std::string& path, const std::string& title,
                     const std::function<Status(lxw_workbook*)>& fill) {
  // libxlsxwriter writes by name: it reopens the temporary file mkstemp made.
  auto tmp = TemporaryFile::Create(path);
  if (!tmp.ok()) return tmp.status();
  Status closed_fd = (*tmp)->CloseDescriptor();
  if (!closed_fd.ok()) return closed_fd;

  lxw_workbook_options workbook_options = {};
  lxw_workbook* workbook = workbook_new_opt((*tmp)->path().c_str(), &workbook_options);
  if (workbook == nullptr) {
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
  if (!status.ok()) return status;  // the temporary file is removed with *tmp
  return (*tmp)->Commit();
}

}  // namespace taizhang
