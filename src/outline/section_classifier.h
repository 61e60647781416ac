// Kinds of report sections (internal to outline/): summary, highlights,
// problems, plan — from the heading's words (data/section_kinds.tsv), its
// year, or its position; and unheaded problems paragraphs
// (data/problem_cues.tsv).
#ifndef TAIZHANG_OUTLINE_SECTION_CLASSIFIER_H_
#define TAIZHANG_OUTLINE_SECTION_CLASSIFIER_H_

#include <string_view>

#include "outline/outline.h"

namespace taizhang::outline_internal {

// The kind named by the first matching word of data/section_kinds.tsv, or
// kNone when the title has none.
SectionKind SectionKindFromWords(std::string_view title);

// "附：名词解释", "名 词 解 释", "2024年十件民生实事": the title of notes or a
// list appended after the body (data/outline_words.tsv appendix_title,
// appendix_line).
bool IsAppendixTitle(std::string_view title);

// "2024年工作回顾", "今后五年工作任务", "加强政府自身建设": a title that names
// a top-level part of a report (data/outline_words.tsv part_title).
bool IsPartTitle(std::string_view title);

// The first year of the five-year plan a title names ("“十四五”时期" → 2021),
// 0 if none.
int FiveYearPlanStart(std::string_view title);

// True when a paragraph's first sentence opens a problems passage without a
// heading ("在肯定成绩的同时，…也存在一些问题").
bool OpensUnheadedProblems(std::string_view first_sentence);

// Sets section kinds and years on the report's top-level headings and fills
// report->sections, including unheaded problems paragraphs.
void ClassifySections(std::string_view text, Report* report);

}  // namespace taizhang::outline_internal

#endif  // TAIZHANG_OUTLINE_SECTION_CLASSIFIER_H_
