#include "outline/section_classifier.h"

#include <algorithm>
#include <vector>

#include "common/language_data.h"
#include "common/text_search.h"
#include "common/chinese_numeral.h"
#include "common/utf8.h"
#include "outline/compilation_splitter.h"
#include "outline/report_metadata.h"

namespace taizhang::outline_internal {

namespace {

SectionKind KindFromName(std::string_view name) {
  if (name == "summary") return SectionKind::kSummary;
  if (name == "highlights") return SectionKind::kHighlights;
  if (name == "problems") return SectionKind::kProblems;
  if (name == "plan") return SectionKind::kPlan;
  if (name == "summary" || name == "summary_weak") return SectionKind::kSummary;
  return SectionKind::kNone;
}

// The first matching row of data/section_kinds.tsv, or nullptr.
const DataRow* SectionWordRow(std::string_view title) {
  static const std::vector<DataRow>& rows = DataTable("section_kinds.tsv", 2);
  for (const DataRow& row : rows) {
    if (title.find(row[1]) != std::string_view::npos) return &row;
  }
  return nullptr;
}

}  // namespace

SectionKind SectionKindFromWords(std::string_view title) {
  const DataRow* row = SectionWordRow(title);
  return row ? KindFromName((*row)[0]) : SectionKind::kNone;
}

// Decoration around a standing title: ※名词解释※, 【注释】, ★注释★.
bool IsTitleDecoration(char32_t cp) {
  switch (cp) {
    case U'※': case U'★': case U'☆': case U'●': case U'○': case U'◆': case U'◇': case U'■': case U'□':
    case U'▲': case U'△': case U'【': case U'】': case U'〔': case U'〕': case '[': case ']': case '*': case '#':
      return true;
    default:
      return false;
  }
}

bool IsAppendixTitle(std::string_view title) {
  std::string t = Squeeze(title);
  while (!t.empty()) {
    size_t p = 0;
    if (!IsTitleDecoration(utf8::Next(t, &p))) break;
    t.erase(0, p);
  }
  while (!t.empty()) {
    size_t p = t.size();
    if (!IsTitleDecoration(utf8::Prev(t, &p))) break;
    t.erase(p);
  }
  if (t.empty() || utf8::CountCodePoints(t) > 30) return false;
  for (std::string_view word : OutlineWords("appendix_title")) {
    if (t.size() >= word.size() && t.compare(t.size() - word.size(), word.size(), word) == 0) return true;
  }
  for (std::string_view word : OutlineWords("appendix_line")) {
    if (ContainsText(t, word)) return true;
  }
  return false;
}

bool IsPartTitle(std::string_view title) {
  std::string t = Squeeze(title);
  for (std::string_view word : OutlineWords("part_title")) {
    if (ContainsText(t, word)) return true;
  }
  return false;
}

int FiveYearPlanStart(std::string_view title) {
  // "十四五": the 14th plan. From the third (1966–1970) on, one every five years.
  for (size_t at = FindText(title, "十"); at != std::string_view::npos; at = FindText(title, "十", at + 3)) {
    size_t i = at + 3;
    if (i >= title.size()) break;
    int64_t digit = ChineseNumeralValue(utf8::Next(title, &i));
    if (digit < 1 || digit > 9 || title.substr(i, 3) != "五") continue;
    return 1966 + 5 * (10 + static_cast<int>(digit) - 3);
  }
  return 0;
}

bool OpensUnheadedProblems(std::string_view first_sentence) {
  static const std::vector<DataRow>& rows = DataTable("problem_cues.tsv", 2);
  // The opener must stand near the start of the sentence (within ten
  // characters: "同时，我们也清醒认识到").
  bool opener = false;
  for (const DataRow& row : rows) {
    if (row[0] != "opener") continue;
    size_t at = first_sentence.substr(0, 30 + row[1].size()).find(row[1]);
    if (at != std::string_view::npos) {
      opener = true;
      break;
    }
  }
  if (!opener) return false;
  for (const DataRow& row : rows) {
    if (row[0] == "problem_word" && ContainsText(first_sentence, row[1])) {
      return true;
    }
  }
  return false;
}

void ClassifySections(std::string_view text, Report* report) {
  std::vector<Section> sections;
  bool seen_plan = false;
  for (size_t i = 0; i < report->headings.size(); ++i) {
    Heading& h = report->headings[i];
    if (h.depth != 1) continue;
    std::string_view title = h.title.In(text);
    if (IsAppendixTitle(title)) {
      h.section_kind = SectionKind::kAppendix;
      Section s;
      s.kind = SectionKind::kAppendix;
      s.heading = static_cast<int>(i);
      s.first_line = h.line;
      s.last_line = h.last_line;
      sections.push_back(s);
      continue;
    }
    const DataRow* row = SectionWordRow(title);
    SectionKind kind = row ? KindFromName((*row)[0]) : SectionKind::kNone;
    std::vector<YearMention> years = FindYears(title);
    int year = years.empty() ? 0 : years.front().year;
    const bool plan_year_ahead = report->plan_year != 0 && report->plan_year > report->summary_year;
    // A part about the plan year is plan even when its words are weak ones
    // that also close a review ("三、2026年主要工作").
    if (row && (*row)[0] == "summary_weak" && year != 0 && plan_year_ahead && year >= report->plan_year) {
      kind = SectionKind::kPlan;
    }
    // "二、“十四五”时期的主要目标任务": the years of the five-year plan.
    const int period = FiveYearPlanStart(title);
    if (year == 0 && period != 0 && kind != SectionKind::kSummary && kind != SectionKind::kProblems &&
        (report->plan_year == 0 || period >= report->plan_year)) {
      year = period;
      if (kind == SectionKind::kNone) kind = SectionKind::kPlan;
    }
    if (kind == SectionKind::kNone) {
      if (year != 0 && report->plan_year != 0 && year >= report->plan_year &&
          report->plan_year > report->summary_year) {
        kind = SectionKind::kPlan;
      } else if (year != 0 && year == report->summary_year) {
        kind = SectionKind::kSummary;
      } else if (report->kind == ReportKind::kPlan) {
        // A plan (工作计划, 工作要点) is plan throughout: 主要任务, 保障措施 …
        kind = SectionKind::kPlan;
      } else {
        kind = seen_plan ? SectionKind::kPlan : SectionKind::kSummary;
      }
    }
    seen_plan |= kind == SectionKind::kPlan;
    if (year == 0) year = kind == SectionKind::kPlan ? report->plan_year : report->summary_year;
    h.section_kind = kind;
    h.section_year = year;
    Section s;
    s.kind = kind;
    s.year = year;
    s.heading = static_cast<int>(i);
    s.first_line = h.line;
    s.last_line = h.last_line;
    sections.push_back(s);
  }

  // Unheaded problems paragraphs inside summary parts.
  for (size_t p = 0; p < report->paragraphs.size(); ++p) {
    const Paragraph& para = report->paragraphs[p];
    if (para.heading >= 0 || para.owner < 0) continue;
    int top = para.owner;
    while (report->headings[top].parent >= 0) top = report->headings[top].parent;
    SectionKind kind = report->headings[top].section_kind;
    if (kind != SectionKind::kSummary && kind != SectionKind::kHighlights) continue;
    // First sentence: up to the first 。 (or the whole paragraph).
    std::string_view body = para.span.In(text);
    size_t stop = FindText(body, "。");
    if (!OpensUnheadedProblems(body.substr(0, stop))) continue;
    Section s;
    s.kind = SectionKind::kProblems;
    s.year = report->headings[top].section_year;
    s.first_line = para.first_line;
    s.unheaded = true;
    // It runs to the next heading.
    s.last_line = para.last_line;
    for (size_t q = p + 1; q < report->paragraphs.size() && report->paragraphs[q].heading < 0; ++q) {
      s.last_line = report->paragraphs[q].last_line;
    }
    sections.push_back(s);
  }
  std::stable_sort(sections.begin(), sections.end(),
                   [](const Section& a, const Section& b) { return a.first_line < b.first_line; });
  report->sections = std::move(sections);
}

}  // namespace taizhang::outline_internal
