// 汇编: several reports into one Word file with a cover, a table of contents
// (a TOC field whose entries link to _Toc bookmarks) and each report on a
// new page, its lines as the reader gave them (document.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>

#include "common/utf8.h"
#include "document/docx_writer.h"
#include "document/document.h"

namespace taizhang {

namespace {

using document_internal::Block;
using document_internal::DocxDocument;
using document_internal::HeadingStyle;
using document_internal::Style;
using document_internal::TextBlock;

Block Bookmarked(Style style, std::string text, std::string bookmark) {
  Block b = document_internal::TextBlock(style, std::move(text));
  b.bookmark = std::move(bookmark);
  return b;
}

Block PageBreak() {
  Block b;
  b.kind = Block::Kind::kPageBreak;
  return b;
}

// Word's own form of a TOC bookmark name: _Toc and digits.
std::string TocBookmark(size_t k) {
  char name[32];
  std::snprintf(name, sizeof name, "_Toc%09zu", k + 1);
  return name;
}

// The template's text block (GB/T 9704, 156 mm × 225 mm): lines of 28 pt
// in a page, characters of 二号 in a title line, of 三号 in a body line.
constexpr double kLinesPerPage = 22;
constexpr double kTitleChars = 20;
constexpr double kBodyChars = 27;

// The width of a character of 正文 in ems (of the 三号 font): full width
// for CJK and full-width forms, Times New Roman's for the rest — digits
// half, narrow punctuation a quarter.
double EmWidth(char32_t cp) {
  if (utf8::DisplayWidth(cp) == 2) return 1.0;
  if (cp >= '0' && cp <= '9') return 0.5;
  switch (cp) {
    case ' ': case ',': case '.': case ';': case ':': return 0.25;
    case '(': case ')': case '[': case ']': return 0.333;
    case '%': return 0.833;
    default: break;
  }
  if (cp >= 'A' && cp <= 'Z') return 0.68;
  if (cp >= 'a' && cp <= 'z') return 0.45;
  return 0.5;
}

// Punctuation that never starts a line (禁则): a line breaking before one
// takes the character before it along.
bool NeverStartsALine(char32_t cp) {
  static constexpr std::u32string_view kClosing = U"，。、；：？！”’）》」』】〕〉,.;:?!)]}%";
  return kClosing.find(cp) != std::u32string_view::npos;
}

// The lines a paragraph takes at `per_line` ems a line, its first line
// indented by `indent` ems: characters filled in greedily, whole, and a
// line never started with closing punctuation.
int LinesOf(std::string_view text, double per_line, double indent) {
  int lines = 1;
  double used = indent;
  double previous = 0;
  for (size_t at = 0; at < text.size();) {
    const char32_t cp = utf8::Next(text, &at);
    const double width = EmWidth(cp);
    if (used + width > per_line + 1e-9) {
      ++lines;
      used = NeverStartsALine(cp) ? previous + width : width;
    } else {
      used += width;
    }
    previous = width;
  }
  return lines;
}

// The page each report starts on, estimated on the template's layout (GB/T
// 9704's text block, 156 mm × 225 mm: 22 lines of 28 pt, 27 characters of
// 三号 in a line — 28 only on a character grid, which the template does not
// set; a title line holds 20 characters of 二号 and takes 1.25 lines, plus 1
// below it), lines broken as a word processor breaks them (LinesOf): the
// cached results of the PAGEREF fields. LibreOffice prints them as they are
// (document_test checks them against the pages it lays out); Word refreshes
// them on opening (w:updateFields).
std::vector<int> EstimatedStartPages(const std::vector<CompiledReport>& reports, int first_page) {
  std::vector<int> pages;
  int page = first_page;
  for (const CompiledReport& report : reports) {
    pages.push_back(page);
    double lines = LinesOf(report.title, kTitleChars, 0) * 1.25 + 1;
    for (const CompiledLine& line : report.lines) {
      if (!line.text.empty()) lines += LinesOf(line.text, kBodyChars, 2);
    }
    page += static_cast<int>(std::ceil(lines / kLinesPerPage));
  }
  return pages;
}

}  // namespace

Result<WordDocument> MakeCompilation(const std::vector<CompiledReport>& reports, const CompilationOptions& options) {
  if (reports.empty()) return Status(StatusCode::kInvalidArgument, "汇编至少要有一篇报告。");
  DocxDocument doc;
  doc.title = options.title;
  doc.date = options.date;
  auto& blocks = doc.blocks;
  // The cover: the title with the number of reports, as compilations
  // title themselves (…汇编（16篇）); it is also the line a reader takes for
  // the compilation's title, right before the contents.
  blocks.push_back(TextBlock(Style::kCoverTitle,
                             options.title + "（" + std::to_string(reports.size()) + "篇）"));
  blocks.push_back(PageBreak());
  // The table of contents.
  blocks.push_back(TextBlock(Style::kTocHeading, "目　录"));
  Block toc;
  toc.kind = Block::Kind::kToc;
  for (size_t k = 0; k < reports.size(); ++k) toc.toc.emplace_back(reports[k].title, TocBookmark(k));
  // The cover is page 1, the contents (22 entries a page) follow.
  const int toc_pages = static_cast<int>((reports.size() + 1 + 21) / 22);
  toc.toc_pages = EstimatedStartPages(reports, 2 + toc_pages);
  blocks.push_back(std::move(toc));
  // Each report on a new page: its title (bookmarked), then its lines,
  // headings in the heading style of their depth.
  for (size_t k = 0; k < reports.size(); ++k) {
    const CompiledReport& report = reports[k];
    blocks.push_back(PageBreak());
    blocks.push_back(Bookmarked(Style::kTitle, report.title, TocBookmark(k)));
    for (const CompiledLine& line : report.lines) {
      if (line.text.empty()) continue;
      Block block = TextBlock(line.heading_depth > 0 ? HeadingStyle(line.heading_depth) : Style::kNormal, line.text);
      // A heading is kept with what follows it; a "heading" of several
      // lines is a numbered paragraph, left free to end a page.
      block.loose = line.heading_depth > 0 && LinesOf(line.text, kBodyChars, 2) > 1;
      blocks.push_back(std::move(block));
    }
  }
  auto docx = document_internal::RenderDocx(doc);
  if (!docx.ok()) return docx.status();
  return WordDocument{std::move(docx).value(), document_internal::PlainText(doc)};
}

std::vector<CompiledReport> ReportsOf(const AnalyzedFile& file) {
  std::vector<CompiledReport> out;
  const SourceText& source = file.source;
  const std::set<uint32_t> junk(file.outline.junk_lines.begin(), file.outline.junk_lines.end());
  for (const Report& report : file.outline.reports) {
    CompiledReport compiled;
    compiled.title = std::string(report.title.In(source.text()));
    if (compiled.title.empty()) {
      // A report without a title line (a government work report opening
      // with 各位代表：) is named after its file, so that its page has a
      // title and the contents an entry; its own lines follow unchanged.
      compiled.title = std::filesystem::path(file.path).stem().string();
      if (compiled.title.empty() || file.path == "-" || file.path.front() == '<') compiled.title = "（无标题）";
      compiled.untitled = true;
    }
    std::map<uint32_t, int> depth_at;  // line → depth of the heading standing alone on it
    for (const Heading& h : report.headings) {
      if (!h.run_in && h.kind != MarkerKind::kEnumeration) depth_at[h.line] = h.depth;
    }
    // The lines after the title; all of them when there is none.
    const uint32_t first = report.title.empty() ? report.first_line
                                                : std::max(report.first_line, source.LineOf(report.title.end - 1) + 1);
    for (uint32_t n = first; n <= report.last_line && n <= source.line_count(); ++n) {
      if (junk.count(n)) continue;
      CompiledLine line;
      line.text = std::string(source.Line(n));
      auto at = depth_at.find(n);
      if (at != depth_at.end()) line.heading_depth = at->second;
      compiled.lines.push_back(std::move(line));
    }
    out.push_back(std::move(compiled));
  }
  return out;
}

}  // namespace taizhang
