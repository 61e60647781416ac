// Stage 2 — outline: decoded text in, documents with their outline out.
//
//   taizhang::Result<taizhang::SourceText> source = taizhang::ReadTextFile(path, {});
//   taizhang::OutlineResult outline = taizhang::BuildOutline(*source);
//   for (const taizhang::Report& report : outline.reports)
//     for (const taizhang::Heading& h : report.headings) ...
//
// A file is either one report or a compilation (汇编) of many. A table of
// contents (目录, entries with page numbers) names the reports, which are then
// found by their title lines; without one, title lines (unit + year + kind word
// such as 工作总结/计划/思路) start reports. Lines that belong to no report — the
// compilation title, the TOC, web boilerplate and advertising at either end —
// are listed, not dropped silently.
//
// Inside a report, every paragraph that opens with an official numbering
// marker (一、 > （一） > 1. > （1） > ① > 一是/首先) is a heading. Its depth is
// its place in the report's tree, not the marker's nominal level, because
// levels may be skipped. Lines broken mid-sentence (by conversion) are
// rejoined into one paragraph. Paragraphs are split into sentences.
//
// All spans are byte offsets into SourceText::text(); line numbers are those of
// the original file. Everything here refers into the SourceText, which must
// outlive the result. BuildOutline never fails: odd input gives fewer headings
// and notes, never an error.
#ifndef TAIZHANG_OUTLINE_OUTLINE_H_
#define TAIZHANG_OUTLINE_OUTLINE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest.h"

namespace taizhang {

// Half-open byte range [begin, end) of SourceText::text().
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool empty() const { return begin >= end; }
  std::string_view In(std::string_view text) const { return text.substr(begin, end - begin); }
};

// The official numbering styles, in hierarchy order (GB/T 9704 practice).
enum class MarkerKind : uint8_t {
  kChineseComma = 1,  // 一、
  kChineseParen = 2,  // （一） (一) and mismatched (一）
  kArabicDot = 3,     // 1. 1、 1． ⒈
  kArabicParen = 4,   // （1） (1) ⑴
  kCircled = 5,       // ① ②
  kEnumeration = 6,   // 一是 二是, 首先 其次 最后, 第一，第二，
  kStyle = 7,         // no marker: a Word paragraph made a heading by its outline level (style),
                      // or by its look (bold, a heading typeface, a larger size)
  kPart = 8,          // 第一部分 第二部分: the parts of a budget or final account, above every other level
};
// Stable English name ("chinese_comma" …) for JSON.
const char* MarkerKindName(MarkerKind kind);

// kAppendix: notes after the body of the report (注释, 名词解释, an appended list
// of 民生实事), never one of its parts.
enum class SectionKind : uint8_t { kNone, kSummary, kHighlights, kProblems, kPlan, kAppendix };
const char* SectionKindName(SectionKind kind);   // "summary" …, "" for kNone
const char* SectionKindLabel(SectionKind kind);  // 总结 亮点 问题 计划 附录

enum class ReportKind : uint8_t {
  kOther,
  kSummary,
  kPlan,
  kSummaryAndPlan,
  kGovernmentWorkReport,
};
const char* ReportKindName(ReportKind kind);   // "summary+plan" …
const char* ReportKindLabel(ReportKind kind);  // 总结+计划 …

struct Heading {
  uint32_t line = 0;    // line of the marker in the original
  uint32_t column = 0;  // column (characters, 1-based) of the marker
  MarkerKind kind = MarkerKind::kChineseComma;
  Span marker;          // as typed: "(三）", "1．", "一是"
  int number = 0;       // value of the marker: 3 for "(三）"; 0 if unknown (最后)
  int depth = 0;        // 1 for the report's top-level headings
  int parent = -1;      // index in Report::headings, -1 at the top
  Span title;           // the lead sentence without its final 。; the line if none
  Span body;            // text after the title up to the next heading
  bool run_in = false;  // body text follows the title in the same paragraph
  uint32_t last_line = 0;  // last line of this heading's subtree
  // Top-level headings only: the kind of the section they open and its year.
  SectionKind section_kind = SectionKind::kNone;
  int section_year = 0;
};

struct Paragraph {
  Span span;             // from the first to the last character, line breaks included
  uint32_t first_line = 0;
  uint32_t last_line = 0;  // > first_line when broken lines were rejoined
  int heading = -1;      // index of the heading this paragraph opens, or -1
  int owner = -1;        // index of the innermost heading it belongs to, or -1
};

struct Sentence {
  Span span;  // may cross a rejoined line break
  int paragraph = 0;
};

// A top-level part of a report: one per depth-1 heading, plus unheaded
// problems paragraphs found inside a summary.
struct Section {
  SectionKind kind = SectionKind::kNone;
  int year = 0;          // the year the section refers to, 0 if unknown
  int heading = -1;      // the depth-1 heading, or -1 for an unheaded section
  uint32_t first_line = 0;
  uint32_t last_line = 0;
  bool unheaded = false;
};

// Who the report is by.
struct UnitInfo {
  std::string name;        // as written in the title ("县水利局", "街道"); "" if none
  std::string guess;       // fuller name inferred from the body ("界首市XX街道"), or ""
  std::string kind;        // "water", "audit" … from data/unit_kinds.tsv, or ""
  bool guessed = false;    // true when `name` is empty and `guess` stands in for it
};

struct Report {
  int index = 0;          // 1-based position in the file
  Span title;
  uint32_t first_line = 0;  // the title line
  uint32_t last_line = 0;   // last non-blank line that belongs to the report
  UnitInfo unit;
  std::vector<int> years;   // years named in the title, in order
  int summary_year = 0;     // year the summary part reviews, 0 if unknown
  int plan_year = 0;        // year the plan part plans, 0 if unknown
  ReportKind kind = ReportKind::kOther;
  std::vector<Heading> headings;
  std::vector<Paragraph> paragraphs;
  std::vector<Sentence> sentences;
  std::vector<Section> sections;
};

struct TocEntry {
  Span title;
  uint32_t line = 0;
  int page = 0;
  int report = -1;  // index into OutlineResult::reports, -1 if not matched
  uint32_t bookmark_line = 0;  // Word: the heading line its _Toc bookmark link led to, 0 if none
};

// Something the reader of the outline should know (not a defect of the report).
struct OutlineNote {
  uint32_t line = 0;
  std::string message;  // Chinese
};

struct OutlineResult {
  bool is_compilation = false;
  Span compilation_title;        // empty if none
  uint32_t compilation_title_line = 0;
  uint32_t toc_first_line = 0;   // 0 if no TOC
  uint32_t toc_last_line = 0;
  std::vector<TocEntry> toc;
  std::vector<Report> reports;
  std::vector<uint32_t> junk_lines;  // non-blank lines that belong to no report as junk
  std::vector<std::pair<uint32_t, uint32_t>> rejoined_lines;  // (first, last) pairs
  std::vector<OutlineNote> notes;
};

struct OutlineOptions {
  // Split compilations; false treats the whole file as one report.
  bool split_compilation = true;
  // Split paragraphs into sentences (skipping it saves time when only
  // headings are wanted).
  bool sentences = true;
};

OutlineResult BuildOutline(const SourceText& source, const OutlineOptions& options = {});

// The text of `span` with line breaks inside it removed (for rejoined lines).
std::string JoinedText(std::string_view text, Span span);

}  // namespace taizhang

#endif  // TAIZHANG_OUTLINE_OUTLINE_H_
