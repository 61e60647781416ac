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
  uint32_t body_line = 0;     // first line of the body when page fields follow the title, else 0
  uint32_t title_offset = 0;  // bytes of a field label before the title ("标题：")
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
// The words of `role` in data/outline_words.tsv, in file order.
const std::vector<std::string_view>& OutlineWords(std::string_view role);
// The trimmed line starts with a row of `role` in data/junk_lines.tsv
// ("head", "tail", "label").
bool StartsWithJunkRow(std::string_view line, std::string_view role);
// "各位代表：", "各位主任、委员：": a short line addressing the audience.
bool IsSalutation(std::string_view line);
// The text with all white space removed.
std::string Squeeze(std::string_view text);

}  // namespace taizhang::outline_internal

#endif  // TAIZHANG_OUTLINE_COMPILATION_SPLITTER_H_
