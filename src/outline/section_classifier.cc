#include "outline/section_classifier.h"

#include <algorithm>
#include <vector>

#include "common/language_data.h"
#include "common/text_search.h"
#include "outline/report_metadata.h"

namespace taizhang::outline_internal {

namespace {

SectionKind KindFromName(std::string_view name) {
  if (name == "summary") return SectionKind::kSummary;
  if (name == "highlights") return SectionKind::kHighlights;
  if (name == "problems") return SectionKind::kProblems;
  if (name == "plan") return SectionKind::kPlan;
  return SectionKind::kNone;
}

}  // namespace

SectionKind SectionKindFromWords(std::string_view title) {
  static const std::vector<DataRow>& rows = DataTable("section_kinds.tsv", 2);
  for (const DataRow& row : rows) {
    if (title.find(row[1]) != std::string_view::npos) return KindFromName(row[0]);
  }
  return SectionKind::kNone;
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
    SectionKind kind = SectionKindFromWords(title);
    std::vector<YearMention> years = FindYears(title);
    int year = years.empty() ? 0 : years.front().year;
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
