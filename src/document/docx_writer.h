// The Word writer of the document stage (internal): a document as a list of
// blocks — paragraphs in the template's styles, tables, charts, page breaks,
// a table of contents — rendered into a .docx package from the templates of
// data/docx/ (styles, fonts, footer, package parts), with pugixml for the
// XML and minizip for the zip container.
//
// The same model gives the document's plain text (PlainText), one line per
// paragraph and table row, which is what the checker reads before a draft
// is written.
//
// Output is byte-stable: the same model gives the same bytes (entries in a
// fixed order, each dated 1980-01-01 00:00, the core properties dated by
// the model's own date), so golden files can hold it.
#ifndef TAIZHANG_DOCUMENT_DOCX_WRITER_H_
#define TAIZHANG_DOCUMENT_DOCX_WRITER_H_

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace taizhang::document_internal {

// Paragraph styles of data/docx/styles.xml (the style ids).
enum class Style {
  kNormal,      // 正文
  kTitle,       // 标题
  kDocNumber,   // 文号
  kDraftMark,   // 初稿标记 (red, centred)
  kAddressee,   // 主送机关
  kHeading1,    // 一级标题 一、
  kHeading2,    // 二级标题 （一）
  kHeading3,    // 三级标题 1.
  kHeading4,
  kSignature,   // 落款
  kTableTitle,  // 表题
  kTableText,
  kTableNote,   // 注
  kChart,
  kCoverTitle,
  kCoverText,
  kTocHeading,
};
const char* StyleId(Style style);

struct Cell {
  Cell(std::string text_ = "", std::string fill_ = "", bool bold_ = false, bool left_ = false)
      : text(std::move(text_)), fill(std::move(fill_)), bold(bold_), left(left_) {}
  std::string text;
  std::string fill;   // background, RRGGBB, "" none
  bool bold = false;
  bool left = false;  // aligned left (long text), else centred
};

// A bar chart with its values cached in the chart part: Word, WPS and
// LibreOffice draw it from them, and it stays a chart a person can edit.
// Its data is also written as an embedded workbook (Sheet1: categories in
// column A from row 2, series in B, C, … under their names), the cells the
// series' formulas name, so that 编辑数据 opens it.
struct BarChart {
  std::string title;
  std::vector<std::string> categories;
  struct Series {
    std::string name;
    std::string color;  // RRGGBB
    std::vector<double> values;  // one per category
  };
  std::vector<Series> series;
  double max = 100;  // the value axis from 0 to max
  std::string number_format = "0.0";
};

struct Block {
  enum class Kind { kParagraph, kTable, kChart, kPageBreak, kToc } kind = Kind::kParagraph;
  Style style = Style::kNormal;
  std::string text;
  // A paragraph: a bookmark around it (a heading a TOC links to, "_Toc…").
  std::string bookmark;
  // kParagraph: the first `bold_lead` bytes of `text` in bold (一是…).
  size_t bold_lead = 0;
  // kParagraph in a heading style: not kept with the next paragraph (a
  // numbered paragraph of several lines read as a heading — 1.[三个收官]即…
  // — chained to the next by the style's keepNext would carry whole pages
  // of such paragraphs over a page break).
  bool loose = false;
  // kParagraph with a Word automatic number: the numbering definition
  // (numbering.xml's w:num id, 0 none) and level.
  int num_id = 0;
  int num_level = 0;
  // kTable: rows of cells, the first `header_rows` repeated on each page;
  // column widths in twips (sum = the text width).
  std::vector<std::vector<Cell>> rows;
  std::vector<int> widths;
  int header_rows = 1;
  // kChart.
  BarChart chart;
  // kToc: the entries (text, the bookmark it links to) as cached results of
  // a TOC field, refreshed by Word and WPS on opening and by LibreOffice on
  // updating; the page numbers are those of PAGEREF fields.
  std::vector<std::pair<std::string, std::string>> toc;
  std::vector<int> toc_pages;  // the cached page number of each entry (1, 2, … when absent)
};

struct DocxDocument {
  std::string title;    // core properties
  std::string creator = "taizhang";
  std::string date;     // YYYY-MM-DD: the core properties' dates
  std::vector<Block> blocks;
  // word/numbering.xml when any paragraph has a num_id (the whole part).
  std::string numbering_xml;
};

// A paragraph block: `text` in `style`, its first `bold_lead` bytes bold.
Block TextBlock(Style style, std::string text, size_t bold_lead = 0);
// The heading style of a heading's depth (1 top; 4 and deeper: Heading4).
Style HeadingStyle(int depth);

// The .docx bytes. Fails (kInternal) only when the zip cannot be made.
Result<std::string> RenderDocx(const DocxDocument& document);

// The document's text: one line per paragraph; a table row as its cells
// joined by tabs; a chart as its title; page breaks and the TOC left out.
std::string PlainText(const DocxDocument& document);

// The template data/docx/<name> (compiled in); "" when there is none.
std::string Template(const std::string& name);

}  // namespace taizhang::document_internal

#endif  // TAIZHANG_DOCUMENT_DOCX_WRITER_H_
