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

// A report without a title that opens as a speech to a congress ("各位代表：
// 现在，我代表县人民政府，向大会报告工作") is a government work report. For
// such a report (titled or not) fills what the title left open: the years
// from the meeting date or the first part, and the unit — the government of
// the place the opening names ("在徐水县第十四届人民代表大会", "我代表深圳市
// 人民政府"), or of its level alone ("市政府", a guess) when it names none.
// `front` is the text before the first heading, `body` the whole body.
void CompleteGovernmentReport(std::string_view text, std::string_view front, std::string_view body,
                              Report* report);

// "北京市", "保定市清苑区", "易县": the place `text` names most before
// "人民政府" or "第…届人民代表大会", at least `min_votes` times; "" if none.
std::string GovernmentPlace(std::string_view text, int min_votes);

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
