// Language data: the reviewed word lists in data/, compiled into the binary.
//
// Each file is a TSV table: '#' starts a comment line, blank lines are
// skipped, columns are separated by one TAB. Stages read the tables they need
// through DataTable() and build their own lookup structures once.
#ifndef TAIZHANG_COMMON_LANGUAGE_DATA_H_
#define TAIZHANG_COMMON_LANGUAGE_DATA_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace taizhang {

struct EmbeddedFile {
  const char* name;     // file name in data/, e.g. "section_kinds.tsv"
  const char* content;  // UTF-8 text
};
extern const EmbeddedFile kEmbeddedDataFiles[];
extern const size_t kEmbeddedDataFileCount;

using DataRow = std::vector<std::string_view>;

// Parses a TSV data file; every row must have exactly `columns` fields, all
// non-empty. Errors name the file and line.
Result<std::vector<DataRow>> ParseDataTable(std::string_view file_name,
                                            std::string_view content, size_t columns);

// The rows of the embedded file `file_name`. The data is checked by tests, so
// a malformed embedded file is a build defect: this returns the rows it could
// parse and never fails at run time. Views point into static storage.
const std::vector<DataRow>& DataTable(std::string_view file_name, size_t columns);

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_LANGUAGE_DATA_H_
