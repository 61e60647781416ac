// Report metadata from the title and, where the title is silent, the body
// (internal to outline/).
#ifndef TAIZHANG_OUTLINE_REPORT_METADATA_H_
#define TAIZHANG_OUTLINE_REPORT_METADATA_H_

#include <string>
#include <string_view>

#include "outline/outline.h"

namespace taizhang::outline_internal {

// Fills unit.name, years, kind, summary_year and plan_year from the title.
void ReadTitleMetadata(std::string_view title, Report* report);

// Fills unit.guess (and unit.guessed) from the body when the title names no
// unit or only a bare one (街道, 乡, 镇); fills unit.kind.
void GuessUnit(std::string_view body, Report* report);

// Kind of a unit name ("water" for 县水利局), "" if none matches.
std::string UnitKindOf(std::string_view unit_name);

// Years written in text as 2023年 / 二〇二三年 (or 2023 right before a kind
// word), with their byte offsets.
struct YearMention {
  int year;
  size_t offset;  // of the first byte
  size_t end;     // past the last digit
};
std::vector<YearMention> FindYears(std::string_view text);

}  // namespace taizhang::outline_internal

#endif  // TAIZHANG_OUTLINE_REPORT_METADATA_H_
