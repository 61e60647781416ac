// 汇编: several reports into one Word file with a cover, a table of contents
// (a TOC field whose entries link to _Toc bookmarks) and each report on a
// new page, its lines as the reader gave them (document.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

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

// The page each report starts on, estimated on the layout grid of the
// template (GB/T 9704: 22 lines of 28 characters; a title line holds 20
// characters of 二号 and takes 1.25 lines, and 1 more below it): the cached
// results of the PAGEREF fields, close to what Word, WPS and LibreOffice
// lay out, which Word and WPS put right when they refresh the fields.
std::vector<int> EstimatedStartPages(const std::vector<CompiledReport>& reports, int first_page) {
  constexpr double kLinesPerPage = 22;
  auto lines_of = [](const std::string& text, double per_line, double indent) {
    const double chars = utf8::DisplayWidth(text) / 2.0 + indent;
    return std::max(1.0, std::ceil(chars / per_line));
  };
  std::vector<int> pages;
  int page = first_page;
  for (const CompiledReport& report : reports) {
    pages.push_back(page);
    double lines = lines_of(report.title, 20, 0) * 1.25 + 1;
    for (const CompiledLine& line : report.lines) {
      if (!line.text.empty()) lines += lines_of(line.text, 28, 2);
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
      blocks.push_back(TextBlock(line.heading_depth > 0 ? HeadingStyle(line.heading_depth) : Style::kNormal, line.text));
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
    std::map<uint32_t, int> depth_at;  // line → depth of the heading standing alone on it
    for (const Heading& h : report.headings) {
      if (!h.run_in && h.kind != MarkerKind::kEnumeration) depth_at[h.line] = h.depth;
    }
    const uint32_t title_end = report.title.empty() ? report.first_line : source.LineOf(report.title.end - 1);
    for (uint32_t n = std::max(report.first_line, title_end) + 1; n <= report.last_line && n <= source.line_count(); ++n) {
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
