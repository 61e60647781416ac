#include "common/xlsx_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/atomic_file.h"

namespace taizhang {

namespace {

// Writes the workbook fill makes to `file` (a temporary file already
// created), its properties dated `created` (0: now); messages name `path`.
Status WriteWorkbook(const std::string& file, const std::string& path, const std::string& title,
                     std::time_t created, const std::function<Status(lxw_workbook*)>& fill) {
  lxw_workbook_options workbook_options = {};
  lxw_workbook* workbook = workbook_new_opt(file.c_str(), &workbook_options);
  if (workbook == nullptr) {
    return Status(StatusCode::kInternal, path + "：写入 Excel 文件失败（无法创建工作簿）。");
  }
  lxw_doc_properties properties = {};
  std::string title_copy = title;
  properties.title = title_copy.data();
  properties.author = const_cast<char*>("taizhang");
  properties.created = created;
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
  return status;
}

}  // namespace

Status WriteXlsxFile(const std::string& path, const std::string& title,
                     const std::function<Status(lxw_workbook*)>& fill) {
  // libxlsxwriter writes by name: it reopens the temporary file mkstemp made.
  auto tmp = TemporaryFile::Create(path);
  if (!tmp.ok()) return tmp.status();
  Status closed_fd = (*tmp)->CloseDescriptor();
  if (!closed_fd.ok()) return closed_fd;
  Status status = WriteWorkbook((*tmp)->path(), path, title, 0, fill);
  if (!status.ok()) return status;  // the temporary file is removed with *tmp
  return (*tmp)->Commit();
}

Result<std::string> XlsxBytes(const std::string& title, std::time_t created,
                              const std::function<Status(lxw_workbook*)>& fill) {
  std::error_code ec;
  std::filesystem::path folder = std::filesystem::temp_directory_path(ec);
  if (ec) folder = "/tmp";
  auto tmp = TemporaryFile::Create((folder / "taizhang-workbook.xlsx").string());
  if (!tmp.ok()) return tmp.status();
  Status closed_fd = (*tmp)->CloseDescriptor();
  if (!closed_fd.ok()) return closed_fd;
  const std::string label = "工作簿“" + title + "”";
  Status status = WriteWorkbook((*tmp)->path(), label, title, created, fill);
  if (!status.ok()) return Status(StatusCode::kInternal, status.message());
  std::ifstream in((*tmp)->path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Status(StatusCode::kInternal, label + "：无法读回。");
  return bytes;  // the temporary file is removed with *tmp
}

}  // namespace taizhang
