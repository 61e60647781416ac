// Shared by the compare stage's files (internal to compare/).
#ifndef TAIZHANG_COMPARE_COMPARE_INTERNAL_H_
#define TAIZHANG_COMPARE_COMPARE_INTERNAL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compare/compare.h"

namespace taizhang::compare_internal {

// data/compare_words.tsv, by role.
struct CompareWords {
  std::vector<std::string_view> target_cue, addendum, strip, ceiling, in_step, task_verb;
  std::vector<std::pair<std::string_view, Change>> change;
  std::vector<std::pair<std::string_view, std::string_view>> synonym;
  std::vector<std::string_view> done, start, progress, missed;
  std::vector<std::string_view> year_back, multi_year;
  std::vector<std::string_view> lead;             // 全区 全县: dropped from a subject's start
  std::vector<std::string_view> cumulative;       // 累计 年均 五年: never the year's figure
  std::vector<std::string_view> qualifier;        // 同口径 可比: the basis of a figure
  std::vector<std::string_view> basis;            // the qualifiers of value "basis"
  std::vector<std::pair<std::string_view, std::string_view>> qualifier_span;  // 扣除…后
  std::vector<std::string_view> part;             // 开发区 园区: a part of the place
  std::vector<std::string_view> flow;             // 新增 办结: counts of things done
  std::vector<std::string_view> other_indicator;  // 比重 能耗: another indicator
  std::vector<std::string_view> other_indicator_lead;  // 人均 单位: another indicator
  std::vector<std::string_view> faster;                // 快于 高于: A增长快于B增长
  std::vector<std::string_view> flat;                  // 持平: a change of 0
  std::vector<std::string_view> keep_level;  // 稳定在: an indicator target of the work plan
  std::vector<std::pair<std::string_view, std::string_view>> same_unit;  // 件 = 项
};
const CompareWords& Words();

// The longest word of `words` that text ends with, or "".
std::string_view EndsWithAny(std::string_view text, const std::vector<std::string_view>& words);
// The first occurrence (leftmost, then longest) of any of `words` in text:
// offset and word, or npos.
std::pair<size_t, std::string_view> FindAny(std::string_view text,
                                              const std::vector<std::string_view>& words);

// Leading and trailing white space (ASCII, U+3000) removed.
std::string_view Trim(std::string_view text);

// "5.4%" "120万人" "4.64万亿元": a figure for people, from its canonical value.
std::string FigureString(const Figure& figure);

}  // namespace taizhang::compare_internal

#endif  // TAIZHANG_COMPARE_COMPARE_INTERNAL_H_
