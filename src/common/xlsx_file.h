// Writing an .xlsx workbook (libxlsxwriter) all or nothing: into a new
// temporary file beside the destination, renamed over it only when the
// workbook was written and closed without error.
#ifndef TAIZHANG_COMMON_XLSX_FILE_H_
#define TAIZHANG_COMMON_XLSX_FILE_H_

#include <xlsxwriter.h>

#include <ctime>
#include <functional>
#include <string>

#include "common/status.h"

namespace taizhang {

// Creates the workbook, calls fill (which adds sheets; it returns the first
// error), closes it and moves it to `path`. On any failure `path` is left as
// it was and no temporary file remains. Messages are in Chinese and name
// `path`.
Status WriteXlsxFile(const std::string& path, const std::string& title,
                     const std::function<Status(lxw_workbook*)>& fill);

// The bytes of a workbook made by fill, for a package that embeds it (a
// Word chart's data): written to a temporary file, read back and removed.
// The workbook's properties are dated `created` (seconds since 1970, UTC)
// and libxlsxwriter dates the zip's entries 1980-01-01, so the same fill
// gives the same bytes. kInternal (Chinese, naming `title`) on failure.
Result<std::string> XlsxBytes(const std::string& title, std::time_t created,
                              const std::function<Status(lxw_workbook*)>& fill);

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_XLSX_FILE_H_
