// The Word writer: DocxDocument → WordprocessingML (pugixml) → a zip package
// (minizip), the fixed parts taken from the
// templates of data/docx/.
#include "document/docx_writer.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <optional>
#include <sstream>
#include <string_view>

#include <zip.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/atomic_file.h"
#include "common/calendar.h"
#include "common/language_data.h"
#include "common/xlsx_file.h"

namespace taizhang {
extern const EmbeddedFile kEmbeddedDocxTemplates[];
extern const size_t kEmbeddedDocxTemplatesCount;
}  // namespace taizhang

namespace taizhang::document_internal {

namespace {

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr const char* kWp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
constexpr const char* kA = "http://schemas.openxmlformats.org/drawingml/2006/main";
constexpr const char* kC = "http://schemas.openxmlformats.org/drawingml/2006/chart";
constexpr const char* kChartType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";
constexpr const char* kChartContentType = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
constexpr const char* kPackageType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package";
constexpr const char* kXlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
// The sheet of a chart's embedded workbook, as Word names it.
constexpr const char* kChartSheet = "Sheet1";
constexpr const char* kNumberingType =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering";
constexpr const char* kNumberingContentType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml";

// The text width of the A4 page with GB/T 9704's margins (156 mm), in twips
// and in EMU.
constexpr int kTextWidthTwips = 8845;
constexpr long kTextWidthEmu = 156L * 36000;

std::string Serialize(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw, pugi::encoding_utf8);
  return out.str();
}

pugi::xml_node Child(pugi::xml_node parent, const char* name) { return parent.append_child(name); }

void Val(pugi::xml_node node, const char* name, const std::string& value) {
  node.append_child(name).append_attribute("w:val") = value.c_str();
}

// A run with text; tabs become w:tab, line breaks w:br.
void AddRun(pugi::xml_node p, std::string_view text, bool bold) {
  pugi::xml_node r = Child(p, "w:r");
  if (bold) {
    pugi::xml_node rpr = Child(r, "w:rPr");
    Child(rpr, "w:b");
    Child(rpr, "w:bCs");
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of("\t\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) {
      pugi::xml_node t = Child(r, "w:t");
      t.append_attribute("xml:space") = "preserve";
      t.text().set(std::string(text.substr(start, end - start)).c_str());
    }
    if (end == text.size()) break;
    Child(r, text[end] == '\t' ? "w:tab" : "w:br");
    start = end + 1;
  }
}

// A chart of the document: its relationship id in the main part, its part's
// XML and the chart (whose data the embedded workbook holds).
struct ChartPart {
  std::string rid;
  std::string xml;
  const BarChart* chart = nullptr;
};

// The column of a chart's sheet holding series `s` (A holds the categories).
std::string SeriesColumn(size_t s) { return std::string(1, static_cast<char>('B' + s)); }

class BodyWriter {
 public:
  BodyWriter(pugi::xml_node body, std::vector<ChartPart>* charts) : body_(body), charts_(charts) {}

  void Paragraph(const Block& b) {
    pugi::xml_node p = Child(body_, "w:p");
    pugi::xml_node ppr = Child(p, "w:pPr");
    Val(ppr, "w:pStyle", StyleId(b.style));
    if (b.loose) Val(ppr, "w:keepNext", "0");
    if (break_before_) Child(ppr, "w:pageBreakBefore");
    break_before_ = false;
    if (b.num_id > 0) {
      pugi::xml_node num = Child(ppr, "w:numPr");
      Val(num, "w:ilvl", std::to_string(b.num_level));
      Val(num, "w:numId", std::to_string(b.num_id));
    }
    const int mark = next_bookmark_++;
    if (!b.bookmark.empty()) {
      pugi::xml_node start = Child(p, "w:bookmarkStart");
      start.append_attribute("w:id") = mark;
      start.append_attribute("w:name") = b.bookmark.c_str();
    }
    const size_t lead = std::min(b.bold_lead, b.text.size());
    if (lead > 0) AddRun(p, std::string_view(b.text).substr(0, lead), true);
    if (lead < b.text.size()) AddRun(p, std::string_view(b.text).substr(lead), false);
    if (!b.bookmark.empty()) Child(p, "w:bookmarkEnd").append_attribute("w:id") = mark;
  }

  // A page break: the next paragraph starts a page (w:pageBreakBefore, no
  // empty paragraph left at the top of the page); before anything else, a
  // paragraph holding the break.
  void PageBreak() { break_before_ = true; }
  void FlushBreak() {
    if (!break_before_) return;
    break_before_ = false;
    pugi::xml_node p = Child(body_, "w:p");
    pugi::xml_node ppr = Child(p, "w:pPr");
    Val(ppr, "w:pStyle", "Chart");
    Child(Child(p, "w:r"), "w:br").append_attribute("w:type") = "page";
  }

  void Table(const Block& b) {
    FlushBreak();
    pugi::xml_node tbl = Child(body_, "w:tbl");
    pugi::xml_node tpr = Child(tbl, "w:tblPr");
    Val(tpr, "w:tblStyle", "TableGrid");
    pugi::xml_node tw = Child(tpr, "w:tblW");
    tw.append_attribute("w:w") = 0;
    tw.append_attribute("w:type") = "auto";
    Val(tpr, "w:jc", "center");
    pugi::xml_node layout = Child(tpr, "w:tblLayout");
    layout.append_attribute("w:type") = "fixed";
    pugi::xml_node grid = Child(tbl, "w:tblGrid");
    for (int w : b.widths) Child(grid, "w:gridCol").append_attribute("w:w") = w;
    for (size_t r = 0; r < b.rows.size(); ++r) {
      pugi::xml_node tr = Child(tbl, "w:tr");
      pugi::xml_node trpr = Child(tr, "w:trPr");
      Child(trpr, "w:cantSplit");
      if (static_cast<int>(r) < b.header_rows) Child(trpr, "w:tblHeader");
      for (size_t c = 0; c < b.rows[r].size(); ++c) {
        const Cell& cell = b.rows[r][c];
        pugi::xml_node tc = Child(tr, "w:tc");
        pugi::xml_node tcpr = Child(tc, "w:tcPr");
        pugi::xml_node w = Child(tcpr, "w:tcW");
        w.append_attribute("w:w") = c < b.widths.size() ? b.widths[c] : 1000;
        w.append_attribute("w:type") = "dxa";
        if (!cell.fill.empty()) {
          pugi::xml_node shd = Child(tcpr, "w:shd");
          shd.append_attribute("w:val") = "clear";
          shd.append_attribute("w:color") = "auto";
          shd.append_attribute("w:fill") = cell.fill.c_str();
        }
        Val(tcpr, "w:vAlign", "center");
        pugi::xml_node p = Child(tc, "w:p");
        pugi::xml_node ppr = Child(p, "w:pPr");
        Val(ppr, "w:pStyle", StyleId(Style::kTableText));
        if (cell.left) Val(ppr, "w:jc", "left");
        AddRun(p, cell.text, cell.bold || static_cast<int>(r) < b.header_rows);
      }
    }
  }

  void Chart(const Block& b) {
    FlushBreak();
    const int n = static_cast<int>(charts_->size()) + 1;
    const std::string rid = "rIdChart" + std::to_string(n);
    charts_->push_back(ChartPart{rid, ChartXml(b.chart), &b.chart});
    pugi::xml_node p = Child(body_, "w:p");
    Val(Child(p, "w:pPr"), "w:pStyle", StyleId(Style::kChart));
    pugi::xml_node inline_ = Child(Child(Child(p, "w:r"), "w:drawing"), "wp:inline");
    for (const char* d : {"distT", "distB", "distL", "distR"}) inline_.append_attribute(d) = 0;
    // Horizontal bars: a row per category, so long unit names stay readable.
    const long height = std::clamp<long>(1500000L + 380000L * static_cast<long>(b.chart.categories.size()),
                                         2500000L, 8500000L);
    pugi::xml_node extent = Child(inline_, "wp:extent");
    extent.append_attribute("cx") = kTextWidthEmu;
    extent.append_attribute("cy") = height;
    pugi::xml_node effect = Child(inline_, "wp:effectExtent");
    for (const char* d : {"l", "t", "r", "b"}) effect.append_attribute(d) = 0;
    pugi::xml_node pr = Child(inline_, "wp:docPr");
    pr.append_attribute("id") = n;
    pr.append_attribute("name") = ("图表 " + std::to_string(n)).c_str();
    pr.append_attribute("descr") = b.chart.title.c_str();
    Child(inline_, "wp:cNvGraphicFramePr");
    pugi::xml_node graphic = Child(inline_, "a:graphic");
    graphic.append_attribute("xmlns:a") = kA;
    pugi::xml_node data = Child(graphic, "a:graphicData");
    data.append_attribute("uri") = kC;
    pugi::xml_node chart = Child(data, "c:chart");
    chart.append_attribute("xmlns:c") = kC;
    chart.append_attribute("r:id") = rid.c_str();
  }

  void Toc(const Block& b) {
    FlushBreak();
    // The field: begin, instruction, separate, the cached entries (each a
    // hyperlink to its bookmark with a PAGEREF), end — the form Word writes.
    for (size_t k = 0; k < b.toc.size() || k == 0; ++k) {
      pugi::xml_node p = Child(body_, "w:p");
      Val(Child(p, "w:pPr"), "w:pStyle", "TOC1");
      if (k == 0) {
        FieldChar(p, "begin");
        Instruction(p, " TOC \\o \"1-1\" \\h \\z \\u ");
        FieldChar(p, "separate");
      }
      if (k < b.toc.size()) {
        const auto& [text, bookmark] = b.toc[k];
        pugi::xml_node link = Child(p, "w:hyperlink");
        link.append_attribute("w:anchor") = bookmark.c_str();
        link.append_attribute("w:history") = 1;
        AddRun(link, text, false);
        Child(Child(link, "w:r"), "w:tab");
        FieldChar(link, "begin");
        Instruction(link, " PAGEREF " + bookmark + " \\h ");
        FieldChar(link, "separate");
        AddRun(link, std::to_string(k < b.toc_pages.size() ? b.toc_pages[k] : static_cast<int>(k + 1)), false);
        FieldChar(link, "end");
      }
      if (k + 1 >= b.toc.size()) FieldChar(p, "end");
    }
  }

  // The section: A4, margins after GB/T 9704 (top 37 mm, bottom 35 mm,
  // left 28 mm, right 26 mm), the page-number footer.
  void Section() {
    FlushBreak();
    pugi::xml_node sect = Child(body_, "w:sectPr");
    pugi::xml_node footer = Child(sect, "w:footerReference");
    footer.append_attribute("w:type") = "default";
    footer.append_attribute("r:id") = "rIdFooter";
    pugi::xml_node size = Child(sect, "w:pgSz");
    size.append_attribute("w:w") = 11906;
    size.append_attribute("w:h") = 16838;
    pugi::xml_node margin = Child(sect, "w:pgMar");
    margin.append_attribute("w:top") = 2098;
    margin.append_attribute("w:right") = 1474;
    margin.append_attribute("w:bottom") = 1984;
    margin.append_attribute("w:left") = 1587;
    margin.append_attribute("w:header") = 851;
    margin.append_attribute("w:footer") = 1304;
    margin.append_attribute("w:gutter") = 0;
    pugi::xml_node grid = Child(sect, "w:docGrid");
    grid.append_attribute("w:type") = "lines";
    grid.append_attribute("w:linePitch") = 560;
  }

 private:
  static void FieldChar(pugi::xml_node p, const char* type) {
    Child(Child(p, "w:r"), "w:fldChar").append_attribute("w:fldCharType") = type;
  }
  static void Instruction(pugi::xml_node p, const std::string& text) {
    pugi::xml_node t = Child(Child(p, "w:r"), "w:instrText");
    t.append_attribute("xml:space") = "preserve";
    t.text().set(text.c_str());
  }

  static std::string Number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", v);
    return buffer;
  }

  // A font for chart text (Latin and East Asian).
  static void ChartFont(pugi::xml_node rpr, int size) {
    rpr.append_attribute("lang") = "zh-CN";
    rpr.append_attribute("sz") = size;
    Child(rpr, "a:latin").append_attribute("typeface") = "Times New Roman";
    Child(rpr, "a:ea").append_attribute("typeface") = "仿宋_GB2312";
  }

  static std::string ChartXml(const BarChart& chart) {
    pugi::xml_document doc;
    pugi::xml_node decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    decl.append_attribute("standalone") = "yes";
    pugi::xml_node space = doc.append_child("c:chartSpace");
    space.append_attribute("xmlns:c") = kC;
    space.append_attribute("xmlns:a") = kA;
    space.append_attribute("xmlns:r") = kR;
    Child(space, "c:roundedCorners").append_attribute("val") = 0;
    pugi::xml_node c = Child(space, "c:chart");
    pugi::xml_node title = Child(c, "c:title");
    pugi::xml_node rich = Child(Child(title, "c:tx"), "c:rich");
    Child(rich, "a:bodyPr");
    pugi::xml_node ap = Child(rich, "a:p");
    ChartFont(Child(Child(ap, "a:pPr"), "a:defRPr"), 1400);
    pugi::xml_node ar = Child(ap, "a:r");
    ChartFont(Child(ar, "a:rPr"), 1400);
    Child(ar, "a:t").text().set(chart.title.c_str());
    Child(title, "c:overlay").append_attribute("val") = 0;
    Child(c, "c:autoTitleDeleted").append_attribute("val") = 0;
    pugi::xml_node plot = Child(c, "c:plotArea");
    Child(plot, "c:layout");
    pugi::xml_node bar = Child(plot, "c:barChart");
    Child(bar, "c:barDir").append_attribute("val") = "bar";
    Child(bar, "c:grouping").append_attribute("val") = "clustered";
    Child(bar, "c:varyColors").append_attribute("val") = 0;
    const size_t n = chart.categories.size();
    // The cells an editor's sheet would hold: categories in column A,
    // series in B, C, …
    const std::string last_row = std::to_string(n + 1);
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const BarChart::Series& series = chart.series[s];
      const std::string column = SeriesColumn(s);
      pugi::xml_node ser = Child(bar, "c:ser");
      Child(ser, "c:idx").append_attribute("val") = static_cast<int>(s);
      Child(ser, "c:order").append_attribute("val") = static_cast<int>(s);
      pugi::xml_node tx = Child(Child(ser, "c:tx"), "c:strRef");
      Child(tx, "c:f").text().set((std::string(kChartSheet) + "!$" + column + "$1").c_str());
      pugi::xml_node txc = Child(tx, "c:strCache");
      Child(txc, "c:ptCount").append_attribute("val") = 1;
      pugi::xml_node txp = Child(txc, "c:pt");
      txp.append_attribute("idx") = 0;
      Child(txp, "c:v").text().set(series.name.c_str());
      Child(Child(Child(ser, "c:spPr"), "a:solidFill"), "a:srgbClr").append_attribute("val") = series.color.c_str();
      Child(ser, "c:invertIfNegative").append_attribute("val") = 0;
      pugi::xml_node labels = Child(ser, "c:dLbls");
      pugi::xml_node fmt = Child(labels, "c:numFmt");
      fmt.append_attribute("formatCode") = chart.number_format.c_str();
      fmt.append_attribute("sourceLinked") = 0;
      pugi::xml_node ltx = Child(labels, "c:txPr");
      Child(ltx, "a:bodyPr");
      ChartFont(Child(Child(Child(ltx, "a:p"), "a:pPr"), "a:defRPr"), 900);
      for (const char* flag : {"c:showLegendKey", "c:showVal", "c:showCatName", "c:showSerName", "c:showPercent",
                               "c:showBubbleSize"}) {
        Child(labels, flag).append_attribute("val") = std::string_view(flag) == "c:showVal" ? 1 : 0;
      }
      pugi::xml_node cat = Child(Child(ser, "c:cat"), "c:strRef");
      Child(cat, "c:f").text().set((std::string(kChartSheet) + "!$A$2:$A$" + last_row).c_str());
      pugi::xml_node catc = Child(cat, "c:strCache");
      Child(catc, "c:ptCount").append_attribute("val") = static_cast<int>(n);
      for (size_t k = 0; k < n; ++k) {
        pugi::xml_node pt = Child(catc, "c:pt");
        pt.append_attribute("idx") = static_cast<int>(k);
        Child(pt, "c:v").text().set(chart.categories[k].c_str());
      }
      pugi::xml_node val = Child(Child(ser, "c:val"), "c:numRef");
      Child(val, "c:f").text().set(
          (std::string(kChartSheet) + "!$" + column + "$2:$" + column + "$" + last_row).c_str());
      pugi::xml_node valc = Child(val, "c:numCache");
      Child(valc, "c:formatCode").text().set("General");
      Child(valc, "c:ptCount").append_attribute("val") = static_cast<int>(n);
      for (size_t k = 0; k < n && k < series.values.size(); ++k) {
        if (std::isnan(series.values[k])) continue;  // no value: a gap
        pugi::xml_node pt = Child(valc, "c:pt");
        pt.append_attribute("idx") = static_cast<int>(k);
        Child(pt, "c:v").text().set(Number(series.values[k]).c_str());
      }
    }
    Child(bar, "c:gapWidth").append_attribute("val") = 60;
    Child(bar, "c:axId").append_attribute("val") = 1001;
    Child(bar, "c:axId").append_attribute("val") = 1002;
    pugi::xml_node cat_axis = Child(plot, "c:catAx");
    Child(cat_axis, "c:axId").append_attribute("val") = 1001;
    // Categories top to bottom in the given order.
    Child(Child(cat_axis, "c:scaling"), "c:orientation").append_attribute("val") = "maxMin";
    Child(cat_axis, "c:delete").append_attribute("val") = 0;
    Child(cat_axis, "c:axPos").append_attribute("val") = "l";
    Child(cat_axis, "c:majorTickMark").append_attribute("val") = "none";
    Child(cat_axis, "c:minorTickMark").append_attribute("val") = "none";
    Child(cat_axis, "c:tickLblPos").append_attribute("val") = "nextTo";
    pugi::xml_node cat_text = Child(cat_axis, "c:txPr");
    Child(cat_text, "a:bodyPr");
    ChartFont(Child(Child(Child(cat_text, "a:p"), "a:pPr"), "a:defRPr"), 1000);
    Child(cat_axis, "c:crossAx").append_attribute("val") = 1002;
    Child(cat_axis, "c:crosses").append_attribute("val") = "autoZero";
    Child(cat_axis, "c:auto").append_attribute("val") = 1;
    Child(cat_axis, "c:lblAlgn").append_attribute("val") = "ctr";
    Child(cat_axis, "c:lblOffset").append_attribute("val") = 100;
    Child(cat_axis, "c:noMultiLvlLbl").append_attribute("val") = 0;
    pugi::xml_node val_axis = Child(plot, "c:valAx");
    Child(val_axis, "c:axId").append_attribute("val") = 1002;
    pugi::xml_node scaling = Child(val_axis, "c:scaling");
    Child(scaling, "c:orientation").append_attribute("val") = "minMax";
    Child(scaling, "c:max").append_attribute("val") = Number(chart.max).c_str();
    Child(scaling, "c:min").append_attribute("val") = 0;
    Child(val_axis, "c:delete").append_attribute("val") = 0;
    Child(val_axis, "c:axPos").append_attribute("val") = "b";
    Child(val_axis, "c:majorGridlines");
    pugi::xml_node val_fmt = Child(val_axis, "c:numFmt");
    val_fmt.append_attribute("formatCode") = "0";
    val_fmt.append_attribute("sourceLinked") = 0;
    Child(val_axis, "c:majorTickMark").append_attribute("val") = "out";
    Child(val_axis, "c:minorTickMark").append_attribute("val") = "none";
    Child(val_axis, "c:tickLblPos").append_attribute("val") = "nextTo";
    pugi::xml_node val_text = Child(val_axis, "c:txPr");
    Child(val_text, "a:bodyPr");
    ChartFont(Child(Child(Child(val_text, "a:p"), "a:pPr"), "a:defRPr"), 1000);
    Child(val_axis, "c:crossAx").append_attribute("val") = 1001;
    Child(val_axis, "c:crosses").append_attribute("val") = "max";
    Child(val_axis, "c:crossBetween").append_attribute("val") = "between";
    pugi::xml_node legend = Child(c, "c:legend");
    Child(legend, "c:legendPos").append_attribute("val") = "b";
    Child(legend, "c:overlay").append_attribute("val") = 0;
    pugi::xml_node legend_text = Child(legend, "c:txPr");
    Child(legend_text, "a:bodyPr");
    ChartFont(Child(Child(Child(legend_text, "a:p"), "a:pPr"), "a:defRPr"), 1000);
    Child(c, "c:plotVisOnly").append_attribute("val") = 1;
    Child(c, "c:dispBlanksAs").append_attribute("val") = "gap";
    // The data as a workbook embedded beside the chart (the part's own
    // relationship rIdData): Word's and WPS's 编辑数据 open it, and the
    // series' formulas above point at its cells.
    pugi::xml_node external = Child(space, "c:externalData");
    external.append_attribute("r:id") = "rIdData";
    Child(external, "c:autoUpdate").append_attribute("val") = 0;
    return Serialize(doc);
  }

  pugi::xml_node body_;
  std::vector<ChartPart>* charts_;
  int next_bookmark_ = 1;
  bool break_before_ = false;
};

std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

// `text` with `addition` inserted before the closing tag `close`.
std::string InsertBefore(std::string text, std::string_view close, const std::string& addition) {
  const size_t at = text.rfind(close);
  if (at != std::string::npos) text.insert(at, addition);
  return text;
}

// The chart's data as the workbook Word embeds with a chart of its own:
// sheet Sheet1, the categories in column A from row 2, each series' name in
// row 1 of its column (B, C, …) and its values below (a missing value left
// blank, as the chart shows a gap) — the cells the chart part's c:f
// formulas name. Dated `day` (YYYY-MM-DD) for byte-stable output.
Result<std::string> ChartWorkbook(const BarChart& chart, const std::string& day) {
  const std::optional<int64_t> days = calendar::ParseIsoDay(day);
  const std::time_t created = static_cast<std::time_t>(days.value_or(calendar::DaysFromCivil(2000, 1, 1))) * 86400;
  return XlsxBytes(chart.title, created, [&](lxw_workbook* workbook) -> Status {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, kChartSheet);
    if (sheet == nullptr) return Status(StatusCode::kInternal, "无法在图表的工作簿中添加工作表。");
    lxw_format* number = workbook_add_format(workbook);
    format_set_num_format(number, chart.number_format.c_str());
    worksheet_set_column(sheet, 0, 0, 24, nullptr);
    worksheet_set_column(sheet, 1, static_cast<lxw_col_t>(chart.series.size()), 10, nullptr);
    lxw_error error = LXW_NO_ERROR;
    auto keep = [&](lxw_error e) {
      if (error == LXW_NO_ERROR) error = e;
    };
    for (size_t k = 0; k < chart.categories.size(); ++k) {
      keep(worksheet_write_string(sheet, static_cast<lxw_row_t>(k + 1), 0, chart.categories[k].c_str(), nullptr));
    }
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const BarChart::Series& series = chart.series[s];
      const auto column = static_cast<lxw_col_t>(s + 1);
      keep(worksheet_write_string(sheet, 0, column, series.name.c_str(), nullptr));
      for (size_t k = 0; k < chart.categories.size() && k < series.values.size(); ++k) {
        if (std::isnan(series.values[k])) continue;
        keep(worksheet_write_number(sheet, static_cast<lxw_row_t>(k + 1), column, series.values[k], number));
      }
    }
    if (error != LXW_NO_ERROR) {
      return Status(StatusCode::kInternal, std::string("无法写入图表的工作簿（") + lxw_strerror(error) + "）。");
    }
    return Status::Ok();
  });
}

// The package: `parts` deflated in the order given, each dated 1980-01-01
// 00:00 (a DOS date's first day), names flagged UTF-8, written by minizip to
// a temporary file and read back (the same parts give the same bytes).
Result<std::string> ZipParts(const std::vector<std::pair<std::string, std::string>>& parts) {
  auto fail = [](const std::string& why) {
    return Status(StatusCode::kInternal, "无法写出 Word 文档（" + why + "）。");
  };
  std::error_code ec;
  std::filesystem::path folder = std::filesystem::temp_directory_path(ec);
  if (ec) folder = "/tmp";
  auto temporary = TemporaryFile::Create((folder / "taizhang-document.docx").string());
  if (!temporary.ok()) return fail(temporary.status().message());
  Status closed = (*temporary)->CloseDescriptor();
  if (!closed.ok()) return fail(closed.message());
  const std::string& path = (*temporary)->path();
  zipFile zip = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  if (zip == nullptr) return fail("无法新建压缩包");
  constexpr uLong kUtf8Name = 1 << 11;
  zip_fileinfo when{};
  when.dosDate = (1u << 21) | (1u << 16);  // 1980-01-01 00:00
  std::string why;
  for (const auto& [name, data] : parts) {
    if (zipOpenNewFileInZip4_64(zip, name.c_str(), &when, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                Z_DEFAULT_COMPRESSION, 0, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, nullptr, 0, 0,
                                kUtf8Name, 0) != ZIP_OK) {
      why = "无法添加部件 " + name;
      break;
    }
    const bool written = zipWriteInFileInZip(zip, data.data(), static_cast<unsigned>(data.size())) == ZIP_OK;
    if (zipCloseFileInZip(zip) != ZIP_OK || !written) {
      why = "无法写入部件 " + name;
      break;
    }
  }
  if (zipClose(zip, nullptr) != ZIP_OK && why.empty()) why = "无法写完压缩包";
  if (!why.empty()) return fail(why);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return fail("无法读回压缩包");
  return bytes;  // the temporary file is removed with `temporary`
}

}  // namespace

const char* StyleId(Style style) {
  switch (style) {
    case Style::kNormal: return "Normal";
    case Style::kTitle: return "Title";
    case Style::kDocNumber: return "DocNumber";
    case Style::kDraftMark: return "DraftMark";
    case Style::kAddressee: return "Addressee";
    case Style::kHeading1: return "Heading1";
    case Style::kHeading2: return "Heading2";
    case Style::kHeading3: return "Heading3";
    case Style::kHeading4: return "Heading4";
    case Style::kSignature: return "Signature";
    case Style::kTableTitle: return "TableTitle";
    case Style::kTableText: return "TableText";
    case Style::kTableNote: return "TableNote";
    case Style::kChart: return "Chart";
    case Style::kCoverTitle: return "CoverTitle";
    case Style::kCoverText: return "CoverText";
    case Style::kTocHeading: return "TOCHeading";
  }
  return "Normal";
}

Block TextBlock(Style style, std::string text, size_t bold_lead) {
  Block b;
  b.style = style;
  b.text = std::move(text);
  b.bold_lead = bold_lead;
  return b;
}

Style HeadingStyle(int depth) {
  switch (depth) {
    case 1: return Style::kHeading1;
    case 2: return Style::kHeading2;
    case 3: return Style::kHeading3;
    default: return Style::kHeading4;
  }
}

std::string Template(const std::string& name) {
  const std::string wanted = "docx/" + name;
  for (size_t i = 0; i < kEmbeddedDocxTemplatesCount; ++i) {
    if (wanted == kEmbeddedDocxTemplates[i].name) return kEmbeddedDocxTemplates[i].content;
  }
  return "";
}

Result<std::string> RenderDocx(const DocxDocument& document) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  decl.append_attribute("standalone") = "yes";
  pugi::xml_node root = doc.append_child("w:document");
  root.append_attribute("xmlns:w") = kW;
  root.append_attribute("xmlns:r") = kR;
  root.append_attribute("xmlns:wp") = kWp;
  pugi::xml_node body = root.append_child("w:body");
  std::vector<ChartPart> charts;
  BodyWriter writer(body, &charts);
  for (const Block& b : document.blocks) {
    switch (b.kind) {
      case Block::Kind::kParagraph: writer.Paragraph(b); break;
      case Block::Kind::kTable: writer.Table(b); break;
      case Block::Kind::kChart: writer.Chart(b); break;
      case Block::Kind::kPageBreak: writer.PageBreak(); break;
      case Block::Kind::kToc: writer.Toc(b); break;
    }
  }
  writer.Section();

  // The package parts that depend on the content: charts and numbering
  // added to the template's content types and relationships.
  std::string content_types = Template("content_types.xml");
  std::string document_rels = Template("document_rels.xml");
  std::string overrides, relationships;
  for (size_t k = 0; k < charts.size(); ++k) {
    const std::string part = "charts/chart" + std::to_string(k + 1) + ".xml";
    overrides += std::string("<Override PartName=\"/word/") + part + "\" ContentType=\"" + kChartContentType + "\"/>";
    relationships += "<Relationship Id=\"" + charts[k].rid + "\" Type=\"" + kChartType + "\" Target=\"" + part + "\"/>";
  }
  if (!charts.empty()) {
    // The embedded workbooks' type, among the template's defaults.
    const size_t first_override = content_types.find("<Override");
    if (first_override != std::string::npos) {
      content_types.insert(first_override,
                           std::string("<Default Extension=\"xlsx\" ContentType=\"") + kXlsxContentType + "\"/>");
    }
  }
  if (!document.numbering_xml.empty()) {
    overrides += std::string("<Override PartName=\"/word/numbering.xml\" ContentType=\"") + kNumberingContentType + "\"/>";
    relationships += std::string("<Relationship Id=\"rIdNumbering\" Type=\"") + kNumberingType +
                     "\" Target=\"numbering.xml\"/>";
  }
  content_types = InsertBefore(std::move(content_types), "</Types>", overrides);
  // A table of contents is refreshed (page numbers) by Word and WPS when the
  // file is opened; without one, no question about fields is asked.
  std::string settings = Template("settings.xml");
  for (const Block& b : document.blocks) {
    if (b.kind == Block::Kind::kToc) {
      // In the schema's order: after w:characterSpacingControl, before w:compat.
      const size_t compat = settings.find("<w:compat>");
      if (compat != std::string::npos) settings.insert(compat, "<w:updateFields w:val=\"true\"/>");
      break;
    }
  }
  document_rels = InsertBefore(std::move(document_rels), "</Relationships>", relationships);
  const std::string when = (document.date.empty() ? std::string("2000-01-01") : document.date) + "T00:00:00Z";
  const std::string core =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>" +
      XmlEscape(document.title) + "</dc:title><dc:creator>" + XmlEscape(document.creator) +
      "</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">" + when +
      "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">" + when +
      "</dcterms:modified></cp:coreProperties>";

  std::vector<std::pair<std::string, std::string>> parts = {
      {"[Content_Types].xml", content_types},
      {"_rels/.rels", Template("package_rels.xml")},
      {"docProps/core.xml", core},
      {"word/document.xml", Serialize(doc)},
      {"word/_rels/document.xml.rels", document_rels},
      {"word/styles.xml", Template("styles.xml")},
      {"word/settings.xml", settings},
      {"word/fontTable.xml", Template("fontTable.xml")},
      {"word/footer1.xml", Template("footer1.xml")},
  };
  if (!document.numbering_xml.empty()) parts.emplace_back("word/numbering.xml", document.numbering_xml);
  for (size_t k = 0; k < charts.size(); ++k) {
    const std::string n = std::to_string(k + 1);
    const std::string workbook = "Microsoft_Excel_Worksheet" + n + ".xlsx";
    parts.emplace_back("word/charts/chart" + n + ".xml", charts[k].xml);
    parts.emplace_back("word/charts/_rels/chart" + n + ".xml.rels",
                       std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                                   "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                                   "relationships\"><Relationship Id=\"rIdData\" Type=\"") +
                           kPackageType + "\" Target=\"../embeddings/" + workbook + "\"/></Relationships>");
    Result<std::string> data = ChartWorkbook(*charts[k].chart, document.date);
    if (!data.ok()) return Status(StatusCode::kInternal, "无法写出 Word 文档（" + data.status().message() + "）");
    parts.emplace_back("word/embeddings/" + workbook, std::move(data).value());
  }
  return ZipParts(parts);
}

std::string PlainText(const DocxDocument& document) {
  std::string out;
  for (const Block& b : document.blocks) {
    switch (b.kind) {
      case Block::Kind::kParagraph:
        out += b.text + "\n";
        break;
      case Block::Kind::kTable:
        for (const auto& row : b.rows) {
          for (size_t c = 0; c < row.size(); ++c) out += (c ? "\t" : "") + row[c].text;
          out += "\n";
        }
        break;
      case Block::Kind::kChart:
        out += b.chart.title + "\n";
        break;
      case Block::Kind::kPageBreak:
      case Block::Kind::kToc:
        break;
    }
  }
  return out;
}

}  // namespace taizhang::document_internal
