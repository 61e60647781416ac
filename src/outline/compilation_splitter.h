// Finding the reports in a file (internal to outline/): table of contents,
// title lines, and lines that belong to no report.
#ifndef TAIZHANG_OUTLINE_COMPILATION_SPLITTER_H_
#define TAIZHANG_OUTLINE_COMPILATION_SPLITTER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/ingest.h"
#include "outline/outline.h"

namespace taizhang::outline_internal {

struct ReportRange {
  uint32_t title_line = 0;  // 0 when the report has no title line
  uint32_t first_line = 0;
  uint32_t last_line = 0;
};

struct Layout {
  bool is_compilation = false;
  uint32_t compilation_title_line = 0;
  uint32_t toc_first_line = 0;
  uint32_t toc_last_line = 0;
  std::vector<TocEntry> toc;  // TocEntry::report indexes `reports`
  std::vector<ReportRange> reports;
  std::vector<uint32_t> junk_lines;
  std::vector<OutlineNote> notes;
};

// Splits the file into reports. With split == false the whole content (less
// junk at either end) is one report.
Layout SplitCompilation(const SourceText& source, bool split);

// Helpers shared with the rest of the stage.
std::string_view Trim(std::string_view line);
bool IsBlankLine(std::string_view line);
bool IsJunkLine(std::string_view line);
// A line that could be a report title: short, no 。, no numbering marker,
// and naming a report kind (工作总结, 计划 …) — "汇编" lines excluded.
bool LooksLikeReportTitle(std::string_view line);

}  // namespace taizhang::outline_internal

#endif  // TAIZHANG_OUTLINE_COMPILATION_SPLITTER_H_
