// Excel ledgers: items of both kinds written by WriteLedgerXlsx and read
// back by ReadLedgerXlsx field for field; the layout in the written XML
// (merged title and two-row header, frozen pane, column widths, colours);
// one sheet per unit; workbooks made by hand as other tools write them
// (shared strings, rich text, inline strings, serial dates, synonyms, a
// two-row header, gaps); row-level errors; damaged and hostile files; and
// LibreOffice opening what we write and writing what we read.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <map>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "ingest/legacy_word.h"
#include "ledger/excel_internal.h"
#include "ledger/ledger.h"
#include "output/compare_output.h"
#include "tests/docx_builder.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

using ledger_internal::ExcelSerialDate;
using ledger_internal::ParseLedgerDate;

// A fresh, empty directory for one test.
std::string TestDir(const std::string& name) {
  std::string dir = ::testing::TempDir() + "taizhang-xlsx-" + std::to_string(::getpid()) + "-" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string PartOf(const std::string& zip_bytes, const std::string& part) {
  return taizhang::testing::ZipPart(zip_bytes, part);
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// --- items -----------------------------------------------------------------------

LedgerItem Plan(int64_t id, const std::string& unit, const std::string& task) {
  LedgerItem item;
  item.id = id;
  item.kind = ItemKind::kPlan;
  item.unit = unit;
  item.task = task;
  return item;
}

LedgerItem Problem(int64_t id, const std::string& unit, const std::string& description) {
  LedgerItem item = Plan(id, unit, description);
  item.kind = ItemKind::kProblem;
  item.status = ItemStatus::kRectifying;
  return item;
}

std::vector<LedgerItem> SampleItems() {
  std::vector<LedgerItem> items;
  LedgerItem a = Plan(12, "县水利局", "完成腾冲灌区项目水源工程招标，推进骨干管网建设");
  a.year = 2024;
  a.target_text = "1－2个";
  a.deadline = "2024-06-30";
  a.status = ItemStatus::kInProgress;
  a.progress_date = "2024-05-20";
  a.progress_note = "已完成招标文件编制";
  a.progress_value = "60";
  a.source_file = "2024年工作计划汇编.docx";
  a.source_line = 123;
  a.warning = Warning::kYellow;
  a.lead_unit = "县水利局规划建设股";
  a.support_units = {"县财政局", "县自然资源局"};
  a.responsible_person = "王五";
  items.push_back(a);

  LedgerItem b = Plan(13, "县发展和改革委员会", "新增入库项目：\n第一批 12 个；第二批待定");
  b.year = 2024;
  b.target_text = "5亿元以上";
  b.deadline = "2024-03-31";
  b.status = ItemStatus::kInProgress;
  b.overdue = true;
  b.warning = Warning::kRed;
  b.progress_note = "已报送 8 个";
  items.push_back(b);

  LedgerItem c = Plan(14, "县水利局", "完成小型水库除险加固");
  c.year = 2024;
  c.deadline = "2024-10-31";
  c.status = ItemStatus::kDone;
  c.warning = Warning::kGreen;
  c.source_file = "计划.txt";
  items.push_back(c);

  LedgerItem d = Plan(0, "县统计局", "开展第五次全国经济普查");  // not stored yet: no 编号
  items.push_back(d);

  LedgerItem p = Problem(21, "县水利局", "河道管护不到位，部分河段垃圾清理不及时");
  p.problem_source = "督查";
  p.found_date = "2024-03-15";
  p.year = 2024;
  p.deadline = "2024-09-30";
  p.measures = "建立河长巡河制度，每周巡查一次";
  p.status = ItemStatus::kAwaitingCloseOff;
  p.warning = Warning::kGreen;
  items.push_back(p);

  LedgerItem q = Problem(22, "县交通运输局", "农村公路养护资金未足额拨付");
  q.problem_source = "审计";
  q.found_date = "2024-01-10";
  q.year = 2024;
  q.deadline = "2024-02-29";
  q.overdue = true;
  q.warning = Warning::kRed;
  q.lead_unit = "县交通运输局";
  q.support_units = {"县财政局"};
  q.responsible_person = "赵六";
  items.push_back(q);

  LedgerItem r = Problem(23, "县应急管理局", "危化品仓库消防通道堵塞");
  r.problem_source = "安全检查";
  r.found_date = "2023-11-02";
  r.year = 2023;
  r.deadline = "2023-12-31";
  r.status = ItemStatus::kClosedOff;
  r.verified_by = "李四";
  items.push_back(r);
  return items;
}

void ExpectSameItem(const LedgerItem& want, const LedgerItem& got) {
  SCOPED_TRACE(want.task);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.unit, want.unit);
  EXPECT_EQ(got.task, want.task);
  EXPECT_EQ(got.year, want.year);
  EXPECT_EQ(got.target_text, want.target_text);
  EXPECT_EQ(got.deadline, want.deadline);
  EXPECT_EQ(got.status, want.status) << ItemStatusLabel(got.status) << " vs " << ItemStatusLabel(want.status);
  EXPECT_EQ(got.overdue, want.overdue);
  EXPECT_EQ(got.warning, want.warning);
  EXPECT_EQ(got.progress_date, want.progress_date);
  EXPECT_EQ(got.progress_note, want.progress_note);
  EXPECT_EQ(got.progress_value, want.progress_value);
  EXPECT_EQ(got.source_file, want.source_file);
  EXPECT_EQ(got.source_line, want.source_line);
  EXPECT_EQ(got.problem_source, want.problem_source);
  EXPECT_EQ(got.found_date, want.found_date);
  EXPECT_EQ(got.measures, want.measures);
  EXPECT_EQ(got.verified_by, want.verified_by);
  EXPECT_EQ(got.lead_unit, want.lead_unit);
  EXPECT_EQ(got.support_units, want.support_units);
  EXPECT_EQ(got.responsible_person, want.responsible_person);
}

Result<XlsxLedger> WriteAndRead(const std::vector<LedgerItem>& items, const XlsxExportOptions& options,
                                const std::string& path) {
  Status written = WriteLedgerXlsx(items, options, path);
  if (!written.ok()) return written;
  return ReadLedgerXlsx(path, {});
}

// --- workbooks made by hand ---------------------------------------------------------

struct SheetXml {
  std::string name;
  std::string rows;  // inside <sheetData>
};

constexpr const char* kDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>";

// The parts of an .xlsx: its sheets, the shared strings (inside <sst>), and
// attributes of <workbookPr>.
std::map<std::string, std::string> XlsxPackage(const std::vector<SheetXml>& sheets, const std::string& shared,
                                               const std::string& workbook_pr = "") {
  const std::string decl = kDecl;
  const std::string rel_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::map<std::string, std::string> parts;
  parts["[Content_Types].xml"] =
      decl + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
  parts["_rels/.rels"] = decl +
                         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                         "<Relationship Id=\"rId1\" Type=\"" + rel_type +
                         "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  std::string workbook = decl +
                         "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                         "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                         "<workbookPr " + workbook_pr + "/><sheets>";
  std::string rels = decl + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (size_t i = 0; i < sheets.size(); ++i) {
    std::string n = std::to_string(i + 1);
    workbook += "<sheet name=\"" + sheets[i].name + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + rel_type + "worksheet\" Target=\"worksheets/sheet" + n +
            ".xml\"/>";
    parts["xl/worksheets/sheet" + n + ".xml"] =
        decl + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" +
        sheets[i].rows + "</sheetData></worksheet>";
  }
  workbook += "</sheets></workbook>";
  if (!shared.empty()) {
    rels += "<Relationship Id=\"rId100\" Type=\"" + rel_type + "sharedStrings\" Target=\"sharedStrings.xml\"/>";
    parts["xl/sharedStrings.xml"] =
        decl + "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" + shared + "</sst>";
  }
  rels += "</Relationships>";
  parts["xl/workbook.xml"] = workbook;
  parts["xl/_rels/workbook.xml.rels"] = rels;
  return parts;
}

std::string MakeXlsx(const std::vector<SheetXml>& sheets, const std::string& shared = "",
                     const std::string& workbook_pr = "") {
  return testing::MakeZip(XlsxPackage(sheets, shared, workbook_pr));
}

// Cells: a shared string, an inline string, a number, a formula's text.
std::string S(const std::string& ref, int index) {
  return "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(index) + "</v></c>";
}
std::string I(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}
std::string N(const std::string& ref, const std::string& number) {
  return "<c r=\"" + ref + "\" s=\"3\"><v>" + number + "</v></c>";
}
std::string Row(int r, const std::string& cells) {
  return "<row r=\"" + std::to_string(r) + "\">" + cells + "</row>";
}

// A header row of inline strings in columns A, B, …
std::string HeaderRow(int r, const std::vector<std::string>& names) {
  std::string cells;
  for (size_t i = 0; i < names.size(); ++i) cells += I(std::string(1, static_cast<char>('A' + i)) + std::to_string(r), names[i]);
  return Row(r, cells);
}

Result<XlsxLedger> ReadXlsxBytes(const std::string& bytes, const ReadOptions& options = {}) {
  return ledger_internal::ReadLedgerXlsxBytes("台账.xlsx", bytes, options);
}

// --- round trip ----------------------------------------------------------------------

TEST(LedgerExcel, RoundTripOfBothKinds) {
  const std::string dir = TestDir("round-trip");
  const std::string path = dir + "/台账.xlsx";
  std::vector<LedgerItem> items = SampleItems();
  auto read = WriteAndRead(items, {}, path);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->sheets, (std::vector<std::string>{"工作任务台账", "问题整改台账"}));
  EXPECT_TRUE(read->errors.empty()) << read->errors.front().message;
  ASSERT_EQ(read->items.size(), items.size());
  // Overdue is shown, not stored: the overdue problem comes back 整改中 and
  // overdue, like it went out.
  for (size_t i = 0; i < items.size(); ++i) ExpectSameItem(items[i], read->items[i]);
  EXPECT_EQ(read->rows, (std::vector<uint32_t>{4, 5, 6, 7, 4, 5, 6}));
  // No temporary file is left beside it.
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    ++files;
    EXPECT_EQ(entry.path().filename().string(), "台账.xlsx");
  }
  EXPECT_EQ(files, 1u);

  // Written again over the old file, with a title of our own.
  XlsxExportOptions titled;
  titled.title = "县政府2024年重点工作督查台账";
  ASSERT_TRUE(WriteLedgerXlsx({items[0]}, titled, path).ok());
  std::string bytes = testing::ReadBytes(path);
  EXPECT_TRUE(Contains(PartOf(bytes, "xl/sharedStrings.xml"), titled.title));
  EXPECT_TRUE(PartOf(bytes, "xl/worksheets/sheet2.xml").empty());
  auto again = ReadLedgerXlsx(path, {});
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->items.size(), 1u);
  ExpectSameItem(items[0], again->items[0]);
}

TEST(LedgerExcel, EscapesAndControlCharactersRoundTrip) {
  // Excel's escape form written literally, a control character, a tab and
  // a carriage return survive; bytes that are no UTF-8 become U+FFFD.
  const std::string path = TestDir("escapes") + "/台账.xlsx";
  LedgerItem item = Plan(3, "县\x01水利局", "写着_x0041_与_x005F_的任务\t第二列\r\n下一行");
  item.target_text = "坏字节\xFF";
  auto read = WriteAndRead({item}, {}, path);
  ASSERT_TRUE(read.ok()) << read.status().message();
  ASSERT_EQ(read->items.size(), 1u);
  EXPECT_EQ(read->items[0].unit, item.unit);
  EXPECT_EQ(read->items[0].task, item.task);
  EXPECT_EQ(read->items[0].target_text, "坏字节\xEF\xBF\xBD");
}

TEST(LedgerExcel, EmptyListWritesAPlanSheetWithItsHeader) {
  const std::string path = TestDir("empty") + "/空.xlsx";
  ASSERT_TRUE(WriteLedgerXlsx({}, {}, path).ok());
  std::string bytes = testing::ReadBytes(path);
  EXPECT_TRUE(Contains(PartOf(bytes, "xl/workbook.xml"), "name=\"工作任务台账\""));
  EXPECT_TRUE(PartOf(bytes, "xl/worksheets/sheet2.xml").empty());
  EXPECT_TRUE(Contains(PartOf(bytes, "xl/worksheets/sheet1.xml"), "<mergeCell ref=\"A1:N1\"/>"));
  auto read = ReadLedgerXlsx(path, {});
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->sheets, std::vector<std::string>{"工作任务台账"});
  EXPECT_TRUE(read->items.empty());
  EXPECT_TRUE(read->errors.empty());
}

TEST(LedgerExcel, OneSheetPerUnitNamedAfterIt) {
  std::vector<LedgerItem> items = SampleItems();
  items.push_back(Plan(31, "财政局[综合]/办公室:一科", "整理档案"));
  items.push_back(Plan(32, "财政局[综合]*办公室?一科", "清理账户"));  // the same name once cleaned
  items.push_back(Plan(33, "中共某某县委员会全面深化改革委员会办公室经济体制和生态文明体制改革专项小组", "开展调研"));
  items.push_back(Plan(34, "", "无人认领的任务"));
  items.push_back(Problem(35, "县水利局", "水库巡查记录不全"));
  const std::string path = TestDir("per-unit") + "/分单位.xlsx";
  XlsxExportOptions options;
  options.sheet_per_unit = true;
  Status written = WriteLedgerXlsx(items, options, path);
  ASSERT_TRUE(written.ok()) << written.message();
  auto read = ReadLedgerXlsx(path, {});
  ASSERT_TRUE(read.ok()) << read.status().message();
  const std::vector<std::string> want = {
      "县水利局", "县发展和改革委员会", "县统计局", "财政局_综合__办公室_一科", "财政局_综合__办公室_一科(2)",
      "中共某某县委员会全面深化改革委员会办公室经济体制和生态文明体制", "未填单位", "县水利局（问题）", "县交通运输局（问题）",
      "县应急管理局（问题）"};
  EXPECT_EQ(read->sheets, want);
  for (const std::string& name : read->sheets) EXPECT_LE(utf8::CountCodePoints(name), 31u) << name;
  // Every item once; the rows of a unit's sheet start after its header.
  ASSERT_EQ(read->items.size(), items.size() - 1);  // the item without a unit is a row error
  ASSERT_EQ(read->errors.size(), 1u);
  EXPECT_EQ(read->errors[0].sheet, "未填单位");
  EXPECT_EQ(read->errors[0].column, "责任单位");
  EXPECT_EQ(read->items[0].id, 12);
  EXPECT_EQ(read->items[1].id, 14);  // 县水利局's second plan item, on the same sheet
  EXPECT_EQ(read->rows[1], 5u);
  EXPECT_EQ(read->items[2].id, 13);
  EXPECT_EQ(read->rows[2], 4u);
  std::string bytes = testing::ReadBytes(path);
  EXPECT_TRUE(Contains(PartOf(bytes, "xl/sharedStrings.xml"), "县水利局2024年工作任务台账"));
  EXPECT_TRUE(Contains(PartOf(bytes, "xl/sharedStrings.xml"), "县水利局问题整改台账"));
}

// --- the layout offices expect ----------------------------------------------------

TEST(LedgerExcel, TitleAndTwoRowHeaderMergedHeaderFrozenColumnsSized) {
  const std::string path = TestDir("layout") + "/台账.xlsx";
  ASSERT_TRUE(WriteLedgerXlsx(SampleItems(), {}, path).ok());
  std::string bytes = testing::ReadBytes(path);
  std::string sheet = PartOf(bytes, "xl/worksheets/sheet1.xml");
  ASSERT_FALSE(sheet.empty());
  // Title across all 14 columns; 完成情况 over 进展情况 and 完成状态; every other
  // header merged down over both header rows.
  EXPECT_TRUE(Contains(sheet, "<mergeCell ref=\"A1:N1\"/>"));
  EXPECT_TRUE(Contains(sheet, "<mergeCell ref=\"I2:J2\"/>"));
  for (const char* column : {"A", "B", "C", "D", "E", "F", "G", "H", "K", "L", "M", "N"}) {
    EXPECT_TRUE(Contains(sheet, std::string("<mergeCell ref=\"") + column + "2:" + column + "3\"/>")) << column;
  }
  EXPECT_FALSE(Contains(sheet, "<mergeCell ref=\"I2:I3\"/>"));
  EXPECT_TRUE(Contains(sheet, "<mergeCells count=\"14\">"));
  // Frozen below the header.
  EXPECT_TRUE(Contains(sheet, "<pane ySplit=\"3\" topLeftCell=\"A4\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
  EXPECT_TRUE(Contains(sheet, "<autoFilter ref=\"A3:N7\"/>"));

  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(sheet.c_str()));
  pugi::xml_node cols = doc.child("worksheet").child("cols");
  ASSERT_TRUE(cols);
  std::map<int, double> width;
  for (pugi::xml_node col : cols.children("col")) {
    for (int c = col.attribute("min").as_int(); c <= col.attribute("max").as_int(); ++c) {
      width[c] = col.attribute("width").as_double();
    }
  }
  EXPECT_GE(width[3], 44);  // 工作任务: long, capped and wrapped
  EXPECT_LE(width[3], 51);
  EXPECT_GE(width[2], 18);  // 县发展和改革委员会
  EXPECT_LT(width[1], 8);   // 序号
  EXPECT_GE(width[8], 10);  // 2024-06-30
  EXPECT_GE(width[6], 20);  // 县财政局、县自然资源局

  std::string shared = PartOf(bytes, "xl/sharedStrings.xml");
  for (const char* text : {"2024年工作任务台账", "完成情况", "进展情况", "完成状态", "逾期", "红灯", "黄灯",
                           "手工录入", "2024年工作计划汇编.docx:123", "问题整改台账", "整改情况", "销号人",
                           "牵头单位", "配合单位", "责任人", "县财政局、县自然资源局"}) {
    EXPECT_TRUE(Contains(shared, text)) << text;
  }
  // Status colours: Excel's green, yellow and red fills, and wrapped text.
  std::string styles = PartOf(bytes, "xl/styles.xml");
  EXPECT_TRUE(Contains(styles, "FFC6EFCE"));
  EXPECT_TRUE(Contains(styles, "FFFFEB9C"));
  EXPECT_TRUE(Contains(styles, "FFFFC7CE"));
  EXPECT_TRUE(Contains(styles, "wrapText=\"1\""));
  EXPECT_TRUE(Contains(styles, "<sz val=\"18\"/>"));
  // The problem sheet: 整改情况 over 整改措施 and 整改状态.
  std::string problems = PartOf(bytes, "xl/worksheets/sheet2.xml");
  EXPECT_TRUE(Contains(problems, "<mergeCell ref=\"J2:K2\"/>"));
  EXPECT_TRUE(Contains(problems, "state=\"frozen\""));
}

// --- workbooks made by hand ---------------------------------------------------------

TEST(LedgerExcel, HandMadeWorkbookWithSynonymsSharedStringsAndSerialDates) {
  // Shared strings, one of them rich text with a phonetic run that is no
  // part of the text, one with Excel's escape of a carriage return.
  const std::vector<std::string> strings = {"序号", "责任\n单位", "县水利局", "完成灌区建设", "推进中"};
  std::string shared;
  for (const std::string& s : strings) shared += "<si><t xml:space=\"preserve\">" + s + "</t></si>";
  shared += "<si><r><t>修建</t></r><r><rPr><b/></rPr><t>农村公路</t></r><rPh sb=\"0\" eb=\"2\"><t>しゅうけん</t></rPh></si>";  // 5
  shared += "<si><t>第一段_x000D_\n第二段</t></si>";  // 6

  std::string rows;
  rows += Row(1, I("A1", "2024年重点工作任务推进台账"));  // title, merged in Excel
  // Two-row header: 落实情况 over 工作进展 / 状态; the rest merged down.
  rows += Row(2, S("A2", 0) + S("B2", 1) + I("C2", "重点任务") + I("D2", "预期目标") + I("E2", "时限") +
                     I("F2", "落实情况") + "<c r=\"G2\" s=\"2\"/>" + I("H2", "年度") + I("I2", "ID"));
  rows += Row(3, "<c r=\"A3\" s=\"2\"/>" + I("F3", "工作进展") + I("G3", "状态"));
  rows += Row(4, N("A4", "1") + S("B4", 2) + S("C4", 3) + I("D4", "5亿元以上") + N("E4", "45473") + S("F4", 6) +
                     S("G4", 4) + N("H4", "2024") + N("I4", "7"));
  rows += Row(5, "<c r=\"A5\" s=\"1\"/><c r=\"B5\" s=\"1\"/>");  // empty, only formatted
  rows += Row(6, N("A6", "2") + I("B6", " 县交通运输局 ") + S("C6", 5) + I("E6", "2024年底前") +
                     "<c r=\"G6\" t=\"str\"><f>CONCATENATE(\"进\",\"行中\")</f><v>进行中</v></c>");
  // Row 7 missing altogether; row 8 in full-width digits, overdue.
  rows += Row(8, N("A8", "3") + I("B8", "县教育局") + I("C8", "新建城南小学") + I("E8", "２０２４年６月") +
                     I("G8", "逾期") + I("H8", "2024"));
  rows += Row(9, N("A9", "4"));  // a numbered row with nothing in it
  // Cells without a reference follow the previous one.
  rows += "<row r=\"10\"><c r=\"B10\" t=\"inlineStr\"><is><t>县卫生健康局</t></is></c>"
          "<c t=\"inlineStr\"><is><t>组织年度体检</t></is></c><c/><c t=\"inlineStr\"><is><t>年底</t></is></c>"
          "<c r=\"H10\"><v>2025</v></c></row>";
  rows += Row(12, I("A12", "注：本表由县委督查室汇总。"));

  std::string problems;
  problems += HeaderRow(1, {"序号", "来源", "发现时间", "存在问题", "责任单位", "整改时限", "整改措施", "整改状态", "销号人"});
  problems += Row(2, N("A2", "1") + I("B2", "巡察") + N("C2", "45366") + I("D2", "食堂账目不清") + I("E2", "县教育局") +
                         I("F2", "2024/9/30") + I("G2", "聘请第三方审计") + I("H2", "已完成整改"));
  problems += Row(3, N("A3", "2") + I("B3", "督查") + I("C3", "2024.3.1") + I("D3", "台账更新不及时") +
                         I("E3", "县水利局") + I("F3", "2024年6月30日") + I("H3", "已销号") + I("I3", "王五"));

  std::string bytes = MakeXlsx({{"台账", rows}, {"填表说明", Row(1, I("A1", "请按时填报"))}, {"问题清单", problems}},
                               shared);
  ASSERT_FALSE(bytes.empty());
  auto read = ReadXlsxBytes(bytes);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->sheets, (std::vector<std::string>{"台账", "问题清单"}));
  for (const XlsxRowError& e : read->errors) ADD_FAILURE() << e.sheet << " " << e.row << " " << e.column << " " << e.message;
  ASSERT_EQ(read->items.size(), 6u);
  EXPECT_EQ(read->rows, (std::vector<uint32_t>{4, 6, 8, 10, 2, 3}));

  const LedgerItem& a = read->items[0];
  EXPECT_EQ(a.kind, ItemKind::kPlan);
  EXPECT_EQ(a.id, 7);
  EXPECT_EQ(a.unit, "县水利局");
  EXPECT_EQ(a.task, "完成灌区建设");
  EXPECT_EQ(a.target_text, "5亿元以上");
  EXPECT_EQ(a.deadline, "2024-06-30");  // serial 45473
  EXPECT_EQ(a.progress_note, "第一段\r\n第二段");
  EXPECT_EQ(a.status, ItemStatus::kInProgress);
  EXPECT_EQ(a.year, 2024);

  const LedgerItem& b = read->items[1];
  EXPECT_EQ(b.unit, "县交通运输局");
  EXPECT_EQ(b.task, "修建农村公路");
  EXPECT_EQ(b.deadline, "2024-12-31");
  EXPECT_EQ(b.status, ItemStatus::kInProgress);  // 进行中
  EXPECT_EQ(b.id, 0);
  EXPECT_EQ(b.year, 2024);  // from the deadline

  // 逾期 is shown, not a status: the row keeps the ledger's status (a new
  // item starts as 未启动).
  const LedgerItem& c = read->items[2];
  EXPECT_EQ(c.deadline, "2024-06-30");
  EXPECT_EQ(c.status, ItemStatus::kNotStarted);
  EXPECT_TRUE(c.overdue);
  EXPECT_TRUE(read->status_shown_only[2]);
  EXPECT_FALSE(read->status_shown_only[1]);

  const LedgerItem& d = read->items[3];
  EXPECT_EQ(d.unit, "县卫生健康局");
  EXPECT_EQ(d.task, "组织年度体检");
  EXPECT_EQ(d.deadline, "2025-12-31");  // 年底 of 年度 2025
  EXPECT_EQ(d.status, ItemStatus::kNotStarted);
  EXPECT_EQ(d.year, 2025);

  const LedgerItem& p = read->items[4];
  EXPECT_EQ(p.kind, ItemKind::kProblem);
  EXPECT_EQ(p.problem_source, "巡察");
  EXPECT_EQ(p.found_date, "2024-03-15");
  EXPECT_EQ(p.task, "食堂账目不清");
  EXPECT_EQ(p.unit, "县教育局");
  EXPECT_EQ(p.deadline, "2024-09-30");
  EXPECT_EQ(p.measures, "聘请第三方审计");
  EXPECT_EQ(p.status, ItemStatus::kAwaitingCloseOff);
  EXPECT_EQ(p.year, 2024);
  const LedgerItem& q = read->items[5];
  EXPECT_EQ(q.found_date, "2024-03-01");
  EXPECT_EQ(q.deadline, "2024-06-30");
  EXPECT_EQ(q.status, ItemStatus::kClosedOff);
  EXPECT_EQ(q.verified_by, "王五");
}

TEST(LedgerExcel, DateSystem1904AndHeaderAboveTheKeyColumns) {
  // 1904 dates (old Mac workbooks); 序号 merged down from a group row above
  // the row naming 责任单位 and 工作任务.
  std::string rows;
  rows += Row(1, I("A1", "序号") + I("B1", "基本信息") + I("D1", "完成时限"));
  rows += Row(2, I("B2", "责任单位") + I("C2", "工作任务"));
  rows += Row(3, N("A3", "1") + I("B3", "县林业局") + I("C3", "完成植树造林") + N("D3", "44011"));
  auto read = ReadXlsxBytes(MakeXlsx({{"Sheet1", rows}}, "", "date1904=\"1\""));
  ASSERT_TRUE(read.ok()) << read.status().message();
  ASSERT_EQ(read->items.size(), 1u) << (read->errors.empty() ? "" : read->errors[0].message);
  EXPECT_EQ(read->items[0].deadline, "2024-06-30");
  EXPECT_EQ(read->rows[0], 3u);
}

// Sheets offices keep name the lead and supporting units and the person
// in their own words (牵头部门, 协办单位, 具体责任人) and list several
// supporting units in one cell; a sheet without those columns says nothing
// about them.
TEST(LedgerExcel, LeadSupportingUnitsAndPersonInCharge) {
  std::string rows = HeaderRow(1, {"序号", "工作任务", "责任单位", "牵头部门", "协办单位", "具体责任人", "完成时限"});
  rows += Row(2, N("A2", "1") + I("B2", "完成城区雨污分流改造") + I("C2", "县住建局") + I("D2", "县城市管理局") +
                     I("E2", "县财政局，县自然资源局；县交通运输局") + I("F2", "李明") + I("G2", "2024年底"));
  rows += Row(3, N("A3", "2") + I("B3", "建成污水处理厂") + I("C3", "县住建局") + I("G3", "2024-09-30"));
  std::string plain = HeaderRow(1, {"序号", "责任单位", "工作任务"});
  plain += Row(2, N("A2", "1") + I("B2", "县水利局") + I("C2", "完成河道清淤"));
  auto read = ReadXlsxBytes(MakeXlsx({{"重点任务", rows}, {"其他", plain}}));
  ASSERT_TRUE(read.ok()) << read.status().message();
  for (const XlsxRowError& e : read->errors) ADD_FAILURE() << e.row << " " << e.column << " " << e.message;
  ASSERT_EQ(read->items.size(), 3u);
  EXPECT_EQ(read->items[0].lead_unit, "县城市管理局");
  EXPECT_EQ(read->items[0].support_units,
            (std::vector<std::string>{"县财政局", "县自然资源局", "县交通运输局"}));
  EXPECT_EQ(read->items[0].responsible_person, "李明");
  EXPECT_TRUE(read->items[1].lead_unit.empty());
  EXPECT_TRUE(read->items[1].support_units.empty());
  ASSERT_EQ(read->assignment_columns.size(), 3u);
  EXPECT_TRUE(read->assignment_columns[1].lead_unit);
  EXPECT_TRUE(read->assignment_columns[1].support_units);
  EXPECT_TRUE(read->assignment_columns[1].responsible_person);
  EXPECT_FALSE(read->assignment_columns[2].lead_unit);
  EXPECT_FALSE(read->assignment_columns[2].support_units);
  EXPECT_FALSE(read->assignment_columns[2].responsible_person);
}

TEST(LedgerExcel, DateForms) {
  for (const char* text : {"2024-06-30", "2024/6/30", "2024.6.30", "2024年6月30日", "2024年6月", "2024年6月底",
                           "2024年6月底前", "２０２４年６月３０日", "2024-06-30 00:00:00", "2024-06-30T00:00:00",
                           " 2024-6-30 ", "2024-06", "2024年6月30号"}) {
    EXPECT_EQ(ParseLedgerDate(text, 0), std::optional<std::string>("2024-06-30")) << text;
  }
  EXPECT_EQ(ParseLedgerDate("2024年2月", 0), std::optional<std::string>("2024-02-29"));
  EXPECT_EQ(ParseLedgerDate("2023年2月", 0), std::optional<std::string>("2023-02-28"));
  EXPECT_EQ(ParseLedgerDate("2024年底", 0), std::optional<std::string>("2024-12-31"));
  EXPECT_EQ(ParseLedgerDate("2024年年底前", 0), std::optional<std::string>("2024-12-31"));
  EXPECT_EQ(ParseLedgerDate("年底", 2025), std::optional<std::string>("2025-12-31"));
  EXPECT_EQ(ParseLedgerDate("年底前", 2025), std::optional<std::string>("2025-12-31"));
  for (const char* text : {"年底", "2024年13月", "2024-02-30", "2023-02-29", "2024-6/30", "下半年", "2024", "",
                           "2024年6月30日左右", "24-06-30", "1899-12-31", "2101-01-01", "2024年0月"}) {
    EXPECT_EQ(ParseLedgerDate(text, 0), std::nullopt) << text;
  }
  EXPECT_EQ(ExcelSerialDate(45473, false), std::optional<std::string>("2024-06-30"));
  EXPECT_EQ(ExcelSerialDate(45473.75, false), std::optional<std::string>("2024-06-30"));  // a time of day
  EXPECT_EQ(ExcelSerialDate(1, false), std::optional<std::string>("1900-01-01"));
  EXPECT_EQ(ExcelSerialDate(59, false), std::optional<std::string>("1900-02-28"));
  EXPECT_EQ(ExcelSerialDate(60, false), std::nullopt);  // Excel's 1900-02-29
  EXPECT_EQ(ExcelSerialDate(61, false), std::optional<std::string>("1900-03-01"));
  EXPECT_EQ(ExcelSerialDate(0, true), std::optional<std::string>("1904-01-01"));
  EXPECT_EQ(ExcelSerialDate(44011, true), std::optional<std::string>("2024-06-30"));
  EXPECT_EQ(ExcelSerialDate(-1, false), std::nullopt);
  EXPECT_EQ(ExcelSerialDate(1e300, false), std::nullopt);
}

// --- row errors --------------------------------------------------------------------

TEST(LedgerExcel, RowErrorsNameSheetRowAndColumn) {
  std::string rows = HeaderRow(1, {"序号", "责任单位", "工作任务", "完成时限", "完成状态", "年度", "编号"});
  rows += Row(2, I("B2", "县水利局") + I("C2", "好的一行") + I("D2", "2024-06-30") + I("E2", "推进中"));
  rows += Row(3, I("B3", "县水利局") + I("C3", "日期错") + I("D3", "2024年13月"));
  rows += Row(4, I("A4", "3") + I("C4", "没有单位") + I("D4", "2024-06-30"));
  rows += Row(5, I("B5", "县水利局") + I("C5", "编号错") + I("G5", "A-01"));
  rows += Row(6, I("B6", "县水利局") + I("C6", "状态错") + I("E6", "差不多了"));
  rows += Row(7, I("B7", "县水利局") + I("C7", "年度错") + I("F7", "24"));
  rows += Row(8, I("B8", "县水利局") + I("C8", "没有年度的年底") + I("D8", "年底"));
  rows += Row(9, I("B9", "县水利局") + I("C9", "不存在的日子") + N("D9", "60"));
  rows += Row(10, I("B10", "县水利局") + N("G10", "0"));
  auto read = ReadXlsxBytes(MakeXlsx({{"重点任务", rows}}));
  ASSERT_TRUE(read.ok()) << read.status().message();
  ASSERT_EQ(read->items.size(), 1u);
  EXPECT_EQ(read->items[0].task, "好的一行");
  EXPECT_EQ(read->rows, std::vector<uint32_t>{2});

  struct Want {
    uint32_t row;
    const char* column;
    const char* message;
  };
  const std::vector<Want> want = {
      {3, "完成时限", "完成时限“2024年13月”不是有效日期"},
      {4, "责任单位", "责任单位为空"},
      {5, "编号", "编号“A-01”不是正整数"},
      {6, "完成状态", "完成状态“差不多了”无法识别"},
      {7, "年度", "年度“24”不是 1900—2100 之间的年份"},
      {8, "完成时限", "完成时限“年底”没有年度"},
      {9, "完成时限", "完成时限“60”不是有效日期"},
      {10, "工作任务", "工作任务为空"},
      {10, "编号", "编号“0”不是正整数"},
  };
  ASSERT_EQ(read->errors.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const XlsxRowError& e = read->errors[i];
    EXPECT_EQ(e.sheet, "重点任务");
    EXPECT_EQ(e.row, want[i].row) << e.message;
    EXPECT_EQ(e.column, want[i].column) << e.message;
    EXPECT_TRUE(Contains(e.message, want[i].message)) << e.message;
  }
}

// What a sheet's XML says that cannot be taken as data is an error naming
// the sheet and the cell, never skipped or moved to another column: a cell
// reference that is none or lies past the sheet's last column or row, a row
// past the last row, a formula whose result the file does not hold; and a
// status of the other ledger kind is refused, not translated.
TEST(LedgerExcel, MalformedReferencesRowsPastTheLimitAndUncalculatedFormulasAreErrors) {
  std::string rows = HeaderRow(1, {"序号", "责任单位", "工作任务", "完成时限", "完成状态"});
  rows += Row(2, I("B2", "县水利局") + I("C2", "好的一行") + I("E2", "推进中"));
  rows += Row(3, I("B3", "县水利局") + I("C3", "引用没有行号") + I("A", "挪到A列"));
  rows += Row(4, I("B4", "县水利局") + I("C4", "引用先写行号") + I("1A", "挪到A列"));
  rows += Row(5, I("B5", "县水利局") + I("C5", "公式没有结果") +
                     "<c r=\"E5\" t=\"str\"><f>IF(D5=\"\",\"未启动\",\"推进中\")</f></c>");
  rows += Row(6, I("B6", "县水利局") + I("C6", "列超出范围") + I("ZZZZZ6", "很远"));
  rows += Row(7, I("B7", "县水利局") + I("C7", "行号为零") + I("A0", "挪到A列"));
  rows += Row(8, I("B8", "县水利局") + I("C8", "行号不符") + I("D9", "2024-06-30"));
  rows += "<row r=\"1048577\">" + I("B1048577", "县水利局") + "</row>";
  rows += "<row r=\"x\">" + I("B10", "县水利局") + "</row>";
  auto read = ReadXlsxBytes(MakeXlsx({{"重点任务", rows}}));
  ASSERT_TRUE(read.ok()) << read.status().message();
  // Nothing lands in column A (序号), whatever the reference said.
  for (const LedgerItem& item : read->items) EXPECT_FALSE(Contains(item.task, "挪到")) << item.task;
  struct Want {
    uint32_t row;
    const char* column;
    const char* message;
  };
  const std::vector<Want> want = {
      {3, "", "单元格引用“A”无效"},
      {4, "", "单元格引用“1A”无效"},
      {5, "完成状态", "单元格 E5 是公式，没有计算结果；请在 Excel 中打开并保存后再导入"},
      {6, "", "单元格引用“ZZZZZ6”超出工作表的最大列 XFD"},
      {7, "", "单元格引用“A0”无效"},
      {8, "", "单元格引用“D9”不在它所在的第 8 行"},
      {1048577, "", "行号超出工作表的最大行数 1048576"},
      {9, "", "行号“x”无效"},
  };
  ASSERT_EQ(read->errors.size(), want.size()) << read->errors.back().message;
  for (size_t i = 0; i < want.size(); ++i) {
    const XlsxRowError& e = read->errors[i];
    EXPECT_EQ(e.sheet, "重点任务");
    EXPECT_EQ(e.row, want[i].row) << e.message;
    EXPECT_EQ(e.column, want[i].column) << e.message;
    EXPECT_TRUE(Contains(e.message, want[i].message)) << e.message;
  }

  // A sheet that is no ledger may hold what it likes.
  auto other = ReadXlsxBytes(MakeXlsx({{"说明", Row(1, I("A", "x") + "<c r=\"B1\"><f>1+1</f></c>")},
                                       {"台账", HeaderRow(1, {"责任单位", "工作任务"})}}));
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_TRUE(other->errors.empty());

  std::string problems = HeaderRow(1, {"责任单位", "问题描述", "整改状态"});
  problems += Row(2, I("A2", "县水利局") + I("B2", "台账不全") + I("C2", "已完成"));
  problems += Row(3, I("A3", "县水利局") + I("B3", "资金滞留") + I("C3", "未启动"));
  problems += Row(4, I("A4", "县水利局") + I("B4", "采砂监管") + I("C4", "已完成整改"));
  std::string plans = HeaderRow(1, {"责任单位", "工作任务", "完成状态"});
  plans += Row(2, I("A2", "县水利局") + I("B2", "修水库") + I("C2", "已销号"));
  auto kinds = ReadXlsxBytes(MakeXlsx({{"问题", problems}, {"任务", plans}}));
  ASSERT_TRUE(kinds.ok()) << kinds.status().message();
  ASSERT_EQ(kinds->errors.size(), 3u);
  EXPECT_EQ(kinds->errors[0].row, 2u);
  EXPECT_EQ(kinds->errors[0].column, "整改状态");
  EXPECT_TRUE(Contains(kinds->errors[0].message, "整改状态“已完成”是工作任务的状态，不适用于问题"))
      << kinds->errors[0].message;
  EXPECT_EQ(kinds->errors[1].row, 3u);
  EXPECT_EQ(kinds->errors[2].sheet, "任务");
  EXPECT_TRUE(Contains(kinds->errors[2].message, "完成状态“已销号”是问题的状态，不适用于工作任务"))
      << kinds->errors[2].message;
  ASSERT_EQ(kinds->items.size(), 1u);
  EXPECT_EQ(kinds->items[0].status, ItemStatus::kAwaitingCloseOff);
  EXPECT_EQ(kinds->status_headers, std::vector<std::string>{"整改状态"});
}

// --- damaged and hostile files ------------------------------------------------------

TEST(LedgerExcel, ClearErrorsForFilesThatAreNoLedger) {
  const std::string dir = TestDir("errors");
  auto missing = ReadLedgerXlsx(dir + "/没有.xlsx", {});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(missing.status().message(), "没有.xlsx"));
  EXPECT_EQ(ReadLedgerXlsx(dir, {}).status().code(), StatusCode::kNotAFile);

  testing::WriteBytes(dir + "/文本.xlsx", "责任单位,工作任务\n县水利局,修水库\n");
  auto text = ReadLedgerXlsx(dir + "/文本.xlsx", {});
  EXPECT_EQ(text.status().code(), StatusCode::kUndecodable);
  EXPECT_TRUE(Contains(text.status().message(), "文本.xlsx"));
  EXPECT_TRUE(Contains(text.status().message(), "不是 Excel 工作簿"));

  testing::WriteBytes(dir + "/文档.xlsx", testing::MakeDocx({"<w:p><w:r><w:t>正文</w:t></w:r></w:p>", "", "", ""}));
  auto docx = ReadLedgerXlsx(dir + "/文档.xlsx", {});
  EXPECT_EQ(docx.status().code(), StatusCode::kUndecodable);
  EXPECT_TRUE(Contains(docx.status().message(), "文档.xlsx：这是 Word 文档，不是 Excel 工作簿")) << docx.status().message();

  auto xls = ReadXlsxBytes(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0'));
  EXPECT_TRUE(Contains(xls.status().message(), ".xls"));

  std::string good = MakeXlsx({{"Sheet1", HeaderRow(1, {"责任单位", "工作任务"})}});
  ASSERT_TRUE(ReadXlsxBytes(good).ok());
  auto truncated = ReadXlsxBytes(good.substr(0, good.size() / 2));
  EXPECT_EQ(truncated.status().code(), StatusCode::kUndecodable);
  EXPECT_TRUE(Contains(truncated.status().message(), "台账.xlsx"));
  EXPECT_FALSE(Contains(truncated.status().message(), "Word"));

  auto no_workbook = ReadXlsxBytes(testing::MakeZip({{"a.txt", "x"}}));
  EXPECT_TRUE(Contains(no_workbook.status().message(), "不是 Excel 工作簿"));

  auto no_header = ReadXlsxBytes(MakeXlsx({{"Sheet1", HeaderRow(1, {"姓名", "电话"})}}));
  EXPECT_EQ(no_header.status().code(), StatusCode::kUndecodable);
  EXPECT_TRUE(Contains(no_header.status().message(), "台账.xlsx：工作簿中找不到台账表头"));

  auto parts = XlsxPackage({{"Sheet1", HeaderRow(1, {"责任单位", "工作任务"})}}, "");
  parts["xl/worksheets/sheet1.xml"] = "<worksheet><sheetData><row>";
  auto bad_xml = ReadXlsxBytes(testing::MakeZip(parts));
  EXPECT_EQ(bad_xml.status().code(), StatusCode::kUndecodable);
  EXPECT_TRUE(Contains(bad_xml.status().message(), "xl/worksheets/sheet1.xml 的 XML 已损坏"));
}

TEST(LedgerExcel, LimitsOnUntrustedFiles) {
  // A sheet that inflates to a few MiB from a few KiB.
  std::string rows = HeaderRow(1, {"责任单位", "工作任务"});
  for (int r = 2; r < 40000; ++r) {
    const std::string n = std::to_string(r);
    rows += Row(r, I(std::string("A").append(n), "县水利局") + I(std::string("B").append(n), "修水库"));
  }
  std::string big = MakeXlsx({{"Sheet1", rows}});
  auto all = ReadXlsxBytes(big);
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(all->items.size(), 39998u);

  ReadOptions small;
  small.max_part_bytes = 1 << 20;
  EXPECT_EQ(ReadXlsxBytes(big, small).status().code(), StatusCode::kTooLarge);
  ReadOptions total;
  total.max_unzipped_bytes = 1 << 20;
  EXPECT_EQ(ReadXlsxBytes(big, total).status().code(), StatusCode::kTooLarge);
  // A bomb by its ratio: a shared string of 3 MiB of one letter.
  std::string bomb_bytes =
      MakeXlsx({{"Sheet1", HeaderRow(1, {"责任单位", "工作任务"})}}, "<si><t>" + std::string(3 << 20, 'a') + "</t></si>");
  ASSERT_TRUE(ReadXlsxBytes(bomb_bytes).ok());
  ReadOptions strict;
  strict.max_compression_ratio = 100;
  auto bomb = ReadXlsxBytes(bomb_bytes, strict);
  EXPECT_EQ(bomb.status().code(), StatusCode::kTooLarge);
  EXPECT_TRUE(Contains(bomb.status().message(), "压缩")) << bomb.status().message();
  ReadOptions few;
  few.max_zip_entries = 3;
  EXPECT_EQ(ReadXlsxBytes(big, few).status().code(), StatusCode::kTooLarge);
  ReadOptions tiny_file;
  tiny_file.max_bytes = 1000;
  const std::string path = TestDir("limits") + "/大.xlsx";
  testing::WriteBytes(path, big);
  EXPECT_EQ(ReadLedgerXlsx(path, tiny_file).status().code(), StatusCode::kTooLarge);

  // Nesting past the depth limit, in a shared string.
  std::string deep;
  for (int i = 0; i < 400; ++i) deep += "<r>";
  for (int i = 0; i < 400; ++i) deep += "</r>";
  std::string header = Row(1, I("A1", "责任单位") + I("B1", "工作任务"));
  auto too_deep = ReadXlsxBytes(MakeXlsx({{"Sheet1", header}}, "<si>" + deep + "</si>"));
  EXPECT_EQ(too_deep.status().code(), StatusCode::kTooLarge);
  EXPECT_TRUE(Contains(too_deep.status().message(), "嵌套"));
  ReadOptions shallow;
  shallow.max_xml_depth = 4;  // worksheet/sheetData/row/c/is/t is deeper
  EXPECT_EQ(ReadXlsxBytes(MakeXlsx({{"Sheet1", header}}), shallow).status().code(), StatusCode::kTooLarge);
}

TEST(LedgerExcel, FailedWritesLeaveNoFile) {
  const std::string dir = TestDir("write-errors");
  auto missing_dir = WriteLedgerXlsx(SampleItems(), {}, dir + "/没有的目录/台账.xlsx");
  EXPECT_EQ(missing_dir.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(missing_dir.message(), "没有的目录/台账.xlsx"));

  std::filesystem::create_directories(dir + "/是目录.xlsx");
  auto onto_dir = WriteLedgerXlsx(SampleItems(), {}, dir + "/是目录.xlsx");
  EXPECT_FALSE(onto_dir.ok());
  EXPECT_TRUE(Contains(onto_dir.message(), "是目录.xlsx"));

  LedgerItem huge = Plan(1, "县水利局", std::string(40000, 'x'));
  auto too_long = WriteLedgerXlsx({huge}, {}, dir + "/太长.xlsx");
  EXPECT_EQ(too_long.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(too_long.message(), "32767"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/太长.xlsx"));

  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) left.push_back(entry.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"是目录.xlsx"});
}

// --- LibreOffice ----------------------------------------------------------------------

TEST(LedgerExcel, LibreOfficeOpensWhatWeWriteAndWeReadWhatItWrites) {
  std::string soffice = ingest_internal::FindLibreOffice();
  if (soffice.empty()) GTEST_SKIP() << "LibreOffice (soffice) is not installed";
  const std::string dir = TestDir("libreoffice");
  const std::string path = dir + "/台账.xlsx";
  std::vector<LedgerItem> items = SampleItems();
  ASSERT_TRUE(WriteLedgerXlsx(items, {}, path).ok());
  auto run = [&](const std::string& to, const std::string& out) {
    std::string command = "cd '" + dir + "' && '" + soffice + "' --headless --norestore -env:UserInstallation=file://" +
                          dir + "/profile --convert-to '" + to + "' --outdir '" + out + "' '" + path +
                          "' > /dev/null 2>&1";
    return std::system(command.c_str());
  };
  // The first sheet as CSV: title, header and the tasks as written.
  ASSERT_EQ(run("csv:Text - txt - csv (StarCalc):44,34,76", dir + "/csv"), 0);
  std::string csv = testing::ReadBytes(dir + "/csv/台账.csv");
  ASSERT_FALSE(csv.empty()) << "LibreOffice could not open the workbook; is Calc installed? "
                               "(apt install libreoffice-calc-nogui)";
  EXPECT_TRUE(Contains(csv, "2024年工作任务台账"));
  EXPECT_TRUE(Contains(csv, items[0].task));
  EXPECT_TRUE(Contains(csv, "2024-06-30"));
  EXPECT_TRUE(Contains(csv, "逾期"));

  // Saved again by LibreOffice (its own shared strings, styles, merges), the
  // workbook reads back to the same items.
  ASSERT_EQ(run("xlsx:Calc MS Excel 2007 XML", dir + "/resaved"), 0);
  auto read = ReadLedgerXlsx(dir + "/resaved/台账.xlsx", {});
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_TRUE(read->errors.empty()) << read->errors.front().message;
  ASSERT_EQ(read->items.size(), items.size());
  for (size_t i = 0; i < items.size(); ++i) ExpectSameItem(items[i], read->items[i]);
  std::filesystem::remove_all(dir);
}

// --- sheets a person reads ---------------------------------------------------------

// The row height attribute of sheet row `row` (1-based), 0 if none.
double RowHeightOf(const std::string& sheet_xml, int row) {
  pugi::xml_document doc;
  doc.load_string(sheet_xml.c_str());
  for (pugi::xml_node r : doc.child("worksheet").child("sheetData").children("row")) {
    if (r.attribute("r").as_int() == row) return r.attribute("ht").as_double();
  }
  return 0;
}

// Wrapped text gets the lines it needs: a long task's row is several lines
// high, a short one's one line; 来源 shows the file's name only; 完成状态
// the stored status, 预警 the overdue.
TEST(LedgerExcel, RowsAsHighAsTheirWrappedText) {
  const std::string dir = TestDir("heights");
  LedgerItem short_item;
  short_item.id = 1;
  short_item.unit = "县水利局";
  short_item.task = "完成水库除险加固";
  short_item.status = ItemStatus::kInProgress;
  short_item.deadline = "2024-03-31";
  short_item.overdue = true;
  short_item.warning = Warning::kRed;
  short_item.source_file = "/home/张三/报告/2024年工作计划.docx";
  short_item.source_line = 12;
  short_item.report_id = 3;
  LedgerItem long_item = short_item;
  long_item.id = 2;
  long_item.task.clear();
  for (int i = 0; i < 12; ++i) long_item.task += "深入推进水资源节约集约利用和河湖长制工作，";
  const std::string path = dir + "/台账.xlsx";
  ASSERT_TRUE(WriteLedgerXlsx({short_item, long_item}, {}, path).ok());
  const std::string bytes = testing::ReadBytes(path);
  const std::string sheet = PartOf(bytes, "xl/worksheets/sheet1.xml");
  const double one = RowHeightOf(sheet, 4);
  const double many = RowHeightOf(sheet, 5);
  EXPECT_GE(one, 15);
  EXPECT_LE(one, 24);
  // 264 CJK characters in a column 50 units wide: at least 11 lines.
  EXPECT_GE(many, 11 * 15) << sheet;
  const std::string strings = PartOf(bytes, "xl/sharedStrings.xml");
  EXPECT_TRUE(Contains(strings, "2024年工作计划.docx:12"));
  EXPECT_FALSE(Contains(strings, "/home/张三"));
  EXPECT_TRUE(Contains(strings, "推进中"));
  EXPECT_TRUE(Contains(strings, "红灯（逾期）"));
  EXPECT_FALSE(Contains(strings, "<t>逾期</t>"));
  auto read = ReadLedgerXlsx(path, {});
  ASSERT_TRUE(read.ok()) << read.status().message();
  ASSERT_EQ(read->items.size(), 2u);
  EXPECT_EQ(read->items[0].status, ItemStatus::kInProgress);
  EXPECT_TRUE(read->items[0].overdue);
  EXPECT_EQ(read->items[0].warning, Warning::kRed);
  EXPECT_EQ(read->item_sheets[1], "工作任务台账");
}

// compare's sheet: 目标数字 and 结果 are numbers with their unit as the
// format, a decrease negative (下降3.3% → −3.3).
TEST(CompareExcel, FiguresAreSignedNumericCells) {
  const std::string dir = TestDir("compare");
  Comparison comparison;
  comparison.year = 2025;
  TargetOutcome o;
  o.target.kind = TargetKind::kNumeric;
  o.target.text = "单位地区生产总值能耗下降2%左右";
  o.target.subject = "单位地区生产总值能耗";
  o.target.figure_text = "2%左右";
  o.target.figure = Figure{Decimal(2, 0), std::nullopt, "%", Approximation::kAbout, Change::kDecrease};
  o.verdict = Verdict::kExceeded;
  Evidence e;
  e.sentence = "单位地区生产总值能耗下降3.3%。";
  e.figure_text = "3.3%";
  e.figure = Figure{Decimal(33, -1), std::nullopt, "%", Approximation::kExact, Change::kDecrease};
  o.evidence.push_back(e);
  comparison.outcomes.push_back(o);
  ComparedPair pair;
  pair.plan_path = "计划.docx";
  pair.result_path = "结果.txt";
  pair.unit = "某省";
  pair.comparison = &comparison;
  const std::string path = dir + "/对标.xlsx";
  ASSERT_TRUE(WriteCompareXlsx({pair}, path).ok());
  const std::string bytes = testing::ReadBytes(path);
  pugi::xml_document doc;
  doc.load_string(PartOf(bytes, "xl/worksheets/sheet1.xml").c_str());
  std::map<std::string, pugi::xml_node> cells;
  for (pugi::xml_node r : doc.child("worksheet").child("sheetData").children("row")) {
    for (pugi::xml_node c : r.children("c")) cells[c.attribute("r").value()] = c;
  }
  ASSERT_TRUE(cells.count("E3") && cells.count("F3"));
  EXPECT_STREQ(cells["E3"].attribute("t").value(), "");  // a number, not a string
  EXPECT_DOUBLE_EQ(cells["E3"].child("v").text().as_double(), -2);
  EXPECT_STREQ(cells["F3"].attribute("t").value(), "");
  EXPECT_DOUBLE_EQ(cells["F3"].child("v").text().as_double(), -3.3);
  EXPECT_TRUE(Contains(PartOf(bytes, "xl/styles.xml"), "formatCode=\"General&quot;%&quot;\""));
}

}  // namespace
}  // namespace taizhang
