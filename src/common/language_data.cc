#include "common/language_data.h"

#include <map>
#include <memory>
#include <mutex>

namespace taizhang {

Result<std::vector<DataRow>> ParseDataTable(std::string_view file_name,
                                            std::string_view content, size_t columns) {
  std::vector<DataRow> rows;
  size_t line_number = 0;
  size_t pos = 0;
  while (pos <= content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') {
      if (end == content.size()) break;
      continue;
    }
    DataRow row;
    size_t start = 0;
    for (;;) {
      size_t tab = line.find('\t', start);
      row.push_back(line.substr(start, tab == std::string_view::npos ? line.npos : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    std::string where = std::string(file_name) + " 第 " + std::to_string(line_number) + " 行";
    if (row.size() != columns) {
      return Status(StatusCode::kInvalidArgument,
                    where + "：应有 " + std::to_string(columns) + " 列，实有 " +
                        std::to_string(row.size()) + " 列。");
    }
    for (std::string_view field : row) {
      if (field.empty()) return Status(StatusCode::kInvalidArgument, where + "：有空字段。");
    }
    rows.push_back(std::move(row));
    if (end == content.size()) break;
  }
  return rows;
}

const std::vector<DataRow>& DataTable(std::string_view file_name, size_t columns) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<std::vector<DataRow>>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(file_name);
  if (it != cache.end()) return *it->second;
  auto rows = std::make_unique<std::vector<DataRow>>();
  for (size_t i = 0; i < kEmbeddedDataFileCount; ++i) {
    if (file_name == kEmbeddedDataFiles[i].name) {
      auto parsed = ParseDataTable(file_name, kEmbeddedDataFiles[i].content, columns);
      if (parsed.ok()) *rows = std::move(parsed).value();
    }
  }
  return *cache.emplace(std::string(file_name), std::move(rows)).first->second;
}

}  // namespace taizhang
