// ExtractFacts: the scanners over every sentence of every report, then what
// the figures measure, enumerations and plan items.
#include <algorithm>

#include "common/utf8.h"
#include "extract/extract.h"
#include "extract/facts_internal.h"
#include "extract/sentence_hits.h"

namespace taizhang {

namespace {

// The section a line belongs to, or -1.
int SectionOf(const Report& report, uint32_t line) {
  for (size_t s = 0; s < report.sections.size(); ++s) {
    const Section& section = report.sections[s];
    if (line >= section.first_line && line <= section.last_line) return static_cast<int>(s);
  }
  return -1;
}

// The year 今年 means in a report: the year it reviews, or the year it plans.
// A government work report is given early in the year it plans (2026年政府工作
// 报告 reviews 2025): there 今年 is the plan year.
int ReportYear(const Report& report) {
  if (report.kind == ReportKind::kGovernmentWorkReport && report.plan_year != 0) return report.plan_year;
  if (report.summary_year != 0) return report.summary_year;
  if (report.plan_year != 0) return report.plan_year;
  return report.years.empty() ? 0 : report.years.front();
}

}  // namespace

ReportFacts ExtractReportFacts(const SourceText& source, const Report& report) {
  ReportFacts facts;
  TimeContext context;
  context.report_year = ReportYear(report);
  std::string_view text = source.text();
  extract_internal::SentenceHits hits;  // one sentence's, the buffer reused
  // The report's text checked to be valid UTF-8 once, not sentence by sentence.
  bool text_valid = false;
  if (!report.sentences.empty()) {
    uint32_t low = report.sentences.front().span.begin, high = report.sentences.front().span.end;
    for (const Sentence& sentence : report.sentences) {
      low = std::min(low, sentence.span.begin);
      high = std::max(high, sentence.span.end);
    }
    high = std::min<uint32_t>(high, static_cast<uint32_t>(text.size()));
    low = std::min(low, high);
    text_valid = utf8::FindInvalid(text.substr(low, high - low)) == high - low;
  }
  int current_section = -2;
  uint32_t section_last_line = 0;
  for (size_t s = 0; s < report.sentences.size(); ++s) {
    const Span span = report.sentences[s].span;
    const int index = static_cast<int>(s);
    const uint32_t line = report.paragraphs[report.sentences[s].paragraph].first_line;
    if (current_section == -2 || line > section_last_line ||
        (current_section >= 0 && line < report.sections[current_section].first_line)) {
      current_section = SectionOf(report, line);
      section_last_line = current_section >= 0 ? report.sections[current_section].last_line : line;
      int year = current_section >= 0 ? report.sections[current_section].year : 0;
      context.year = year != 0 ? year : context.report_year;
      SectionKind kind = current_section >= 0 ? report.sections[current_section].kind : SectionKind::kNone;
      context.retrospective = kind == SectionKind::kSummary || kind == SectionKind::kHighlights ||
                              kind == SectionKind::kProblems;
    }
    // Each sentence is decoded once: the characters where a time or a number
    // may start, for both scanners.
    hits.Build(text, span, text_valid);
    size_t first_time = facts.times.size();
    extract_internal::ScanTimes(source, hits, context, &facts.times);
    for (size_t k = first_time; k < facts.times.size(); ++k) facts.times[k].sentence = index;
    size_t first = facts.quantities.size();
    extract_internal::ScanQuantities(source, hits, &facts.quantities);
    for (size_t k = first; k < facts.quantities.size(); ++k) facts.quantities[k].sentence = index;
    extract_internal::AnnotateFigures(text, span, first, first_time, &hits, &facts);
    extract_internal::FindEnumerations(source, span, index, first, &hits, &facts);
  }
  extract_internal::FindPlanItems(source, report, &facts, text_valid);
  // Kept for the rest of the file (a compilation's reports all at once):
  // no room left over from the vectors' growth.
  facts.quantities.shrink_to_fit();
  facts.times.shrink_to_fit();
  facts.enumerations.shrink_to_fit();
  facts.plan_items.shrink_to_fit();
  return facts;
}

FileFacts ExtractFacts(const SourceText& source, const OutlineResult& outline) {
  FileFacts facts;
  facts.reports.reserve(outline.reports.size());
  for (const Report& report : outline.reports) facts.reports.push_back(ExtractReportFacts(source, report));
  return facts;
}

}  // namespace taizhang
