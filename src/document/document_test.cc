// The documents made out of the ledger: the seed compilation imported,
// its items accepted, progress and problems entered here, then the bulletin
// checked against the store's own rates, for byte stability, and as
// LibreOffice prints it.
#include "document/document.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "app/app.h"
#include "ingest/legacy_word.h"
#include "pipeline/pipeline.h"
#include "ledger/ledger.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

bool Contains(const std::string& text, const std::string& piece) { return text.find(piece) != std::string::npos; }

std::string TestDir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "taizhang-document-" + name + "-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// The seed's ledger as a supervisor keeps it in January 2025: every plan
// item accepted, some done or in progress, two problems of 县住建局 (one
// closed off in time, one still open past its deadline).
class SeedLedger : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TestDir("ledger"));
    auto store = LedgerStore::Open(*dir_ + "/台账.db", "督查员甲");
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE(ImportDocument(**store, testing::SeedPath(), {}).ok());
    ItemFilter proposed;
    proposed.review = ReviewState::kProposed;
    auto items = (*store)->ListItems(proposed);
    ASSERT_TRUE(items.ok());
    std::vector<ItemRef> refs;
    for (const LedgerItem& item : *items) refs.push_back({item.id, std::nullopt});
    ASSERT_TRUE((*store)->AcceptItems(refs).ok());
    (*store)->set_today("2025-01-15");
    // Progress as the units reported it.
    auto find = [&](const std::string& unit, const std::string& text) {
      ItemFilter f;
      f.unit = unit;
      f.text = text;
      auto found = (*store)->ListItems(f);
      EXPECT_TRUE(found.ok() && found->size() == 1u) << unit << " " << text;
      return found.ok() && !found->empty() ? found->front().id : int64_t{0};
    };
    auto progress = [&](int64_t id, const std::string& date, const std::string& value, const std::string& note,
                        bool done) {
      ProgressEntry entry;
      entry.date = date;
      entry.value = value;
      entry.note = note;
      auto r = (*store)->AddProgress(id, std::nullopt, entry, done);
      ASSERT_TRUE(r.ok()) << r.status().message();
    };
    progress(find("县住建局", "2024年计划实施项目17个"), "2024-12-20", "17", "17个项目全部开工", false);
    progress(find("县住建局", "城区供热管网改造项目1个"), "2024-11-30", "", "供热管网改造完成并投入使用", true);
    progress(find("县住建局", "外贸片区242户棚户区改造"), "2024-12-25", "180", "已完成180户签约", false);
    progress(find("县水利局", "加快推进XX省淮河流域重要行蓄洪区建设工程竣工验收"), "2024-10-10", "", "已通过竣工验收", true);
    progress(find("县市场监督管理局", "谋划再建设1个标准化基层市场监管所"), "2024-09-01", "", "选址已确定", false);
    // Problems found by inspections.
    NewItem fixed;
    fixed.kind = ItemKind::kProblem;
    fixed.unit = "县住建局";
    fixed.year = 2024;
    fixed.task = "老旧小区改造工程质量资料不全";
    fixed.deadline = "2024-09-30";
    fixed.problem_source = "督查";
    fixed.found_date = "2024-06-12";
    auto first = (*store)->AddItem(fixed);
    ASSERT_TRUE(first.ok()) << first.status().message();
    NewItem open = fixed;
    open.task = "城区雨污分离项目进度滞后";
    open.deadline = "2024-11-30";
    open.found_date = "2024-08-20";
    auto second = (*store)->AddItem(open);
    ASSERT_TRUE(second.ok());
    (*store)->set_user("填报员乙");
    ASSERT_TRUE((*store)->SubmitRectification(first->id, std::nullopt, "补齐质量资料并归档").ok());
    (*store)->set_user("督查员甲");
    ASSERT_TRUE((*store)->CloseOff(first->id, std::nullopt).ok());
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static std::unique_ptr<LedgerStore> Open() {
    auto store = LedgerStore::Open(*dir_ + "/台账.db", "督查员甲");
    EXPECT_TRUE(store.ok());
    (*store)->set_today("2025-01-15");
    return std::move(store).value();
  }
  static std::string* dir_;
};
std::string* SeedLedger::dir_ = nullptr;

Result<WordDocument> CountyBulletin(LedgerStore& store) {
  ItemFilter filter;
  filter.unit = "县";
  auto items = store.ListItems(filter);
  if (!items.ok()) return items.status();
  BulletinOptions options;
  options.scope = "县";
  options.year = 2024;
  options.today = store.today();
  return MakeBulletin(*items, options);
}

TEST_F(SeedLedger, BulletinStatesTheStoresOwnRates) {
  auto store = Open();
  auto bulletin = CountyBulletin(*store);
  ASSERT_TRUE(bulletin.ok()) << bulletin.status().message();
  const std::string& text = bulletin->text;
  // The store's rates (counted in SQL), as the bulletin must state them.
  auto rates = store->Rates(RateQuery{"县", "2024-01-01", "2024-12-31"});
  ASSERT_TRUE(rates.ok());
  ASSERT_EQ(rates->size(), 4u);  // 县住建局, 县市场监督管理局, 县水利局, total
  const RateRow& total = rates->back();
  ASSERT_TRUE(total.total);
  EXPECT_EQ(total.tasks, 40 + 10 + 31);
  EXPECT_EQ(total.problems, 2);
  EXPECT_EQ(total.rectified, 1);
  EXPECT_TRUE(Contains(text, "××〔2025〕X号\n关于县2024年工作任务推进情况的通报\n各有关单位：\n")) << text;
  EXPECT_TRUE(Contains(text, "截至2025年1月15日，纳入台账的工作任务共81项，其中已完成" + std::to_string(total.done) +
                                 "项、"))
      << text;
  EXPECT_TRUE(Contains(text, "，完成率" + total.completion_rate + "%，逾期未完成" + std::to_string(total.overdue) + "项。"))
      << text;
  // Closed off today, after its deadline: not in time.
  EXPECT_TRUE(Contains(text, "发现问题2项，已整改销号1项，整改率50.0%；按期整改0项，按期整改率0.0%。")) << text;
  // The checker reads the figures as consistent: the statuses add up to the
  // total, each rate matches its counts.
  AnalyzedFile checked = AnalyzeBytes("督办通报.txt", text, {});
  ASSERT_TRUE(checked.ok());
  int consistent = 0;
  for (const ReportCheck& report : checked.check.reports) {
    for (const Relation& relation : report.relations) {
      EXPECT_NE(relation.status, RelationStatus::kInconsistent) << relation.statement << " " << relation.reason;
      consistent += relation.status == RelationStatus::kConsistent;
    }
  }
  EXPECT_GE(consistent, 3);
  for (size_t k = 0; k + 1 < rates->size(); ++k) {
    const RateRow& row = (*rates)[k];
    const std::string line = std::to_string(k + 1) + "\t" + row.unit + "\t" + std::to_string(row.tasks) + "\t" +
                             std::to_string(row.done) + "\t" + row.completion_rate + "%\t" +
                             std::to_string(row.problems) + "\t";
    EXPECT_TRUE(Contains(text, line)) << line << "\n" << text;
  }
  EXPECT_TRUE(Contains(text, "\t合计\t81\t" + std::to_string(total.done) + "\t" + total.completion_rate + "%\t2\t50.0%\t"))
      << text;
  // Overdue items named by unit, with their deadline and latest progress.
  EXPECT_TRUE(Contains(text, "三、逾期事项\n")) << text;
  EXPECT_TRUE(Contains(text, "（一）县住建局（")) << text;
  EXPECT_TRUE(Contains(text, "外贸片区242户棚户区改造（编号")) << text;
  EXPECT_TRUE(Contains(text, "时限2024年12月31日，逾期；最新进展：已完成180户签约（2024年12月25日））。")) << text;
  EXPECT_TRUE(Contains(text, "城区雨污分离项目进度滞后（编号")) << text;
  // Done items are not overdue.
  EXPECT_FALSE(Contains(text, "城区供热管网改造项目1个（编号")) << text;
  // Items outside the scope are not there.
  EXPECT_FALSE(Contains(text, "腾冲市水务局")) << text;
  EXPECT_TRUE(Contains(text, "（发文机关）\n2025年1月15日\n")) << text;
}

TEST_F(SeedLedger, BulletinIsByteStableAndAWellFormedPackage) {
  auto store = Open();
  auto first = CountyBulletin(*store);
  auto second = CountyBulletin(*store);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->docx, second->docx);
  // Every XML part parses; the chart caches the table's rates.
  for (const char* part : {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/document.xml",
                           "word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml",
                           "word/fontTable.xml", "word/footer1.xml", "word/charts/chart1.xml",
                           "word/charts/_rels/chart1.xml.rels"}) {
    const std::string xml = testing::ZipPart(first->docx, part);
    ASSERT_FALSE(xml.empty()) << part;
    pugi::xml_document doc;
    EXPECT_TRUE(doc.load_buffer(xml.data(), xml.size())) << part;
  }
  const std::string chart = testing::ZipPart(first->docx, "word/charts/chart1.xml");
  EXPECT_TRUE(Contains(chart, "<c:v>县住建局</c:v>"));
  EXPECT_TRUE(Contains(chart, "<c:v>整改率</c:v>"));
  auto rates = store->Rates(RateQuery{"县住建局", "2024-01-01", "2024-12-31"});
  ASSERT_TRUE(rates.ok() && !rates->empty());
  char cached[32];
  std::snprintf(cached, sizeof cached, "%.4g", std::stod(rates->front().completion_rate));
  EXPECT_TRUE(Contains(chart, "<c:pt idx=\"0\"><c:v>" + std::string(cached) + "</c:v>")) << chart;
  EXPECT_TRUE(Contains(testing::ZipPart(first->docx, "[Content_Types].xml"), "/word/charts/chart1.xml"));
}

// The chart's data as its part caches it: per series the formulas (c:f)
// of its name, categories and values, and the cached points.
struct CachedSeries {
  std::string name_ref, category_ref, value_ref;
  std::string name;
  std::vector<std::string> categories;
  std::vector<std::pair<int, std::string>> values;  // (index, cached value); a gap has no point
};
std::vector<CachedSeries> ChartCache(const std::string& chart_xml) {
  pugi::xml_document doc;
  std::vector<CachedSeries> out;
  if (!doc.load_buffer(chart_xml.data(), chart_xml.size())) return out;
  for (pugi::xpath_node ser : doc.select_nodes("//c:ser")) {
    CachedSeries s;
    pugi::xml_node tx = ser.node().child("c:tx").child("c:strRef");
    s.name_ref = tx.child_value("c:f");
    s.name = tx.child("c:strCache").child("c:pt").child_value("c:v");
    pugi::xml_node cat = ser.node().child("c:cat").child("c:strRef");
    s.category_ref = cat.child_value("c:f");
    for (pugi::xml_node pt : cat.child("c:strCache").children("c:pt")) s.categories.push_back(pt.child_value("c:v"));
    pugi::xml_node val = ser.node().child("c:val").child("c:numRef");
    s.value_ref = val.child_value("c:f");
    for (pugi::xml_node pt : val.child("c:numCache").children("c:pt")) {
      s.values.emplace_back(pt.attribute("idx").as_int(), pt.child_value("c:v"));
    }
    out.push_back(std::move(s));
  }
  return out;
}

// The cells of a workbook's sheet1 as text ("A2" → "县住建局", "B2" → "7.5"),
// shared strings resolved: the workbook read back with pugixml.
std::map<std::string, std::string> SheetCells(const std::string& xlsx) {
  std::map<std::string, std::string> cells;
  std::vector<std::string> strings;
  pugi::xml_document shared;
  const std::string shared_xml = testing::ZipPart(xlsx, "xl/sharedStrings.xml");
  if (shared.load_buffer(shared_xml.data(), shared_xml.size())) {
    for (pugi::xml_node si : shared.child("sst").children("si")) strings.push_back(si.child_value("t"));
  }
  pugi::xml_document sheet;
  const std::string sheet_xml = testing::ZipPart(xlsx, "xl/worksheets/sheet1.xml");
  if (!sheet.load_buffer(sheet_xml.data(), sheet_xml.size())) return cells;
  for (pugi::xml_node row : sheet.child("worksheet").child("sheetData").children("row")) {
    for (pugi::xml_node c : row.children("c")) {
      std::string value = c.child_value("v");
      if (std::string_view(c.attribute("t").value()) == "s") {
        const size_t k = std::stoul(value);
        value = k < strings.size() ? strings[k] : "";
      }
      if (c.child("v")) cells[c.attribute("r").value()] = value;
    }
  }
  return cells;
}

// "Sheet1!$B$2:$B$4" → {"B2", "B3", "B4"}; "Sheet1!$B$1" → {"B1"}.
std::vector<std::string> CellsOf(const std::string& formula) {
  std::vector<std::string> refs;
  const size_t bang = formula.find('!');
  if (bang == std::string::npos || formula.substr(0, bang) != "Sheet1") return refs;
  std::string range = formula.substr(bang + 1);
  std::erase(range, '$');
  const size_t colon = range.find(':');
  const std::string first = range.substr(0, colon);
  const std::string last = colon == std::string::npos ? first : range.substr(colon + 1);
  if (first.empty() || last.empty() || first[0] != last[0]) return refs;
  for (int row = std::stoi(first.substr(1)); row <= std::stoi(last.substr(1)); ++row) {
    refs.push_back(first.substr(0, 1) + std::to_string(row));
  }
  return refs;
}

// Word's and WPS's 编辑数据 open the workbook embedded beside the chart: it is
// there, related from the chart part, and its cells — where the series'
// formulas point — hold the values the chart caches.
TEST_F(SeedLedger, BulletinChartEmbedsItsDataAsAWorkbook) {
  auto store = Open();
  auto bulletin = CountyBulletin(*store);
  ASSERT_TRUE(bulletin.ok()) << bulletin.status().message();
  const std::string chart = testing::ZipPart(bulletin->docx, "word/charts/chart1.xml");
  EXPECT_TRUE(Contains(chart, "<c:externalData r:id=\"rIdData\"><c:autoUpdate val=\"0\"/></c:externalData>"));
  pugi::xml_document rels;
  const std::string rels_xml = testing::ZipPart(bulletin->docx, "word/charts/_rels/chart1.xml.rels");
  ASSERT_TRUE(rels.load_buffer(rels_xml.data(), rels_xml.size())) << rels_xml;
  pugi::xml_node rel = rels.child("Relationships").find_child_by_attribute("Relationship", "Id", "rIdData");
  ASSERT_TRUE(rel);
  EXPECT_STREQ(rel.attribute("Type").value(),
               "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package");
  const std::string target = rel.attribute("Target").value();
  ASSERT_EQ(target.rfind("../embeddings/", 0), 0u) << target;
  const std::string xlsx = testing::ZipPart(bulletin->docx, "word/" + target.substr(3));
  ASSERT_FALSE(xlsx.empty()) << target;
  EXPECT_TRUE(Contains(testing::ZipPart(bulletin->docx, "[Content_Types].xml"),
                       "<Default Extension=\"xlsx\" ContentType=\"application/"
                       "vnd.openxmlformats-officedocument.spreadsheetml.sheet\"/>"));
  const std::map<std::string, std::string> cells = SheetCells(xlsx);
  const std::vector<CachedSeries> series = ChartCache(chart);
  ASSERT_EQ(series.size(), 2u);  // 完成率 and 整改率: there are problems
  auto rates = store->Rates(RateQuery{"县", "2024-01-01", "2024-12-31"});
  ASSERT_TRUE(rates.ok());
  for (const CachedSeries& s : series) {
    const std::vector<std::string> name = CellsOf(s.name_ref);
    ASSERT_EQ(name.size(), 1u) << s.name_ref;
    EXPECT_EQ(cells.count(name[0]) ? cells.at(name[0]) : "", s.name) << s.name_ref;
    const std::vector<std::string> categories = CellsOf(s.category_ref);
    ASSERT_EQ(categories.size(), s.categories.size()) << s.category_ref;
    ASSERT_EQ(categories.size() + 1, rates->size());  // a bar per unit, no total
    for (size_t k = 0; k < categories.size(); ++k) {
      EXPECT_EQ(cells.count(categories[k]) ? cells.at(categories[k]) : "", s.categories[k]) << categories[k];
      EXPECT_EQ(s.categories[k], (*rates)[k].unit);
    }
    const std::vector<std::string> values = CellsOf(s.value_ref);
    ASSERT_EQ(values.size(), s.categories.size()) << s.value_ref;
    size_t cached = 0;
    for (size_t k = 0; k < values.size(); ++k) {
      const bool has = cached < s.values.size() && s.values[cached].first == static_cast<int>(k);
      ASSERT_EQ(cells.count(values[k]) == 1, has) << values[k];  // a gap in the chart is a blank cell
      if (!has) continue;
      EXPECT_NEAR(std::stod(cells.at(values[k])), std::stod(s.values[cached].second), 1e-9) << values[k];
      ++cached;
    }
    EXPECT_EQ(cached, s.values.size());
  }
  // The completion rates, as the store counts them, are the sheet's column B.
  for (size_t k = 0; k + 1 < rates->size(); ++k) {
    const std::string cell = "B" + std::to_string(k + 2);
    ASSERT_TRUE(cells.count(cell)) << cell;
    EXPECT_NEAR(std::stod(cells.at(cell)), std::stod((*rates)[k].completion_rate), 1e-9) << cell;
  }
}

// Units at the same rate have no highest and lowest (a ledger just imported
// from two plans, nothing done yet).
TEST(Bulletin, UnitsAtOneRateHaveNoHighestAndLowest) {
  std::vector<LedgerItem> items(2);
  items[0].unit = "保定市政府";
  items[1].unit = "保定市清苑区政府";
  for (LedgerItem& item : items) {
    item.id = &item - items.data() + 1;
    item.year = 2022;
    item.task = "建设项目";
    item.review = ReviewState::kAccepted;
  }
  BulletinOptions options;
  options.year = 2022;
  options.today = "2022-07-01";
  auto bulletin = MakeBulletin(items, options);
  ASSERT_TRUE(bulletin.ok()) << bulletin.status().message();
  EXPECT_TRUE(Contains(bulletin->text, "各单位完成率均为0.0%。")) << bulletin->text;
  EXPECT_FALSE(Contains(bulletin->text, "完成率最高的是")) << bulletin->text;
  items[0].status = ItemStatus::kDone;
  bulletin = MakeBulletin(items, options);
  ASSERT_TRUE(bulletin.ok());
  EXPECT_TRUE(Contains(bulletin->text, "完成率最高的是保定市政府（100.0%），最低的是保定市清苑区政府（0.0%）。"))
      << bulletin->text;
}

TEST(Bulletin, RefusesAnInvalidDay) {
  BulletinOptions options;
  options.today = "2025-02-30";
  EXPECT_EQ(MakeBulletin({}, options).status().code(), StatusCode::kInvalidArgument);
  options.today = "2025-02-28";
  options.from = "2025-13-01";
  EXPECT_EQ(MakeBulletin({}, options).status().code(), StatusCode::kInvalidArgument);
  options.from = "";
  auto empty = MakeBulletin({}, options);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(Contains(empty->text, "纳入台账的工作任务共0项。本期未登记需整改的问题。")) << empty->text;
  EXPECT_TRUE(Contains(empty->text, "没有逾期未完成的事项")) << empty->text;
}

// The CLI writes what the library makes, and LibreOffice opens it: the
// text of the printed pages holds the title, the table, the chart and the
// overdue items. The pages are rendered to PNG for a person to look at
// (kept when TAIZHANG_KEEP_DOCUMENT_PAGES names a folder).
TEST_F(SeedLedger, CliBulletinOpensInLibreOffice) {
  const std::string soffice = ingest_internal::FindLibreOffice();
  ASSERT_FALSE(soffice.empty()) << "LibreOffice (soffice) is needed for this test";
  const std::string dir = TestDir("bulletin");
  const std::string out = dir + "/督办通报.docx";
  const std::string command = std::string(TAIZHANG_CLI_PATH) + " ledger bulletin --db '" + *dir_ +
                              "/台账.db' --unit 县 --year 2024 --today 2025-01-15 -o '" + out + "' 2> '" + dir +
                              "/err.txt'";
  ASSERT_EQ(std::system(command.c_str()), 0) << testing::ReadBytes(dir + "/err.txt");
  auto store = Open();
  auto bulletin = CountyBulletin(*store);
  ASSERT_TRUE(bulletin.ok());
  EXPECT_EQ(testing::ReadBytes(out), bulletin->docx);

  const std::string convert = "cd '" + dir + "' && '" + soffice + "' --headless --norestore -env:UserInstallation=file://" +
                              dir + "/profile --convert-to pdf --outdir '" + dir + "' '" + out + "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(convert.c_str()), 0);
  ASSERT_EQ(std::system(("pdftotext -layout '" + dir + "/督办通报.pdf' '" + dir + "/督办通报.txt'").c_str()), 0);
  // Without the spaces text extraction puts between Chinese and digits.
  std::string printed = testing::ReadBytes(dir + "/督办通报.txt");
  std::erase(printed, ' ');
  for (const char* piece : {"关于县2024年工作任务推进情况的通报", "〔2025〕X号", "一、总体情况", "表1", "县住建局",
                            "县市场监督管理局", "合计", "工作任务完成率和问题整改率", "三、逾期事项", "（一）县住建局",
                            "城区雨污分离项目进度滞后", "—1—"}) {
    EXPECT_TRUE(Contains(printed, piece)) << piece << "\n" << printed;
  }
  // The chart's embedded workbook opens in LibreOffice Calc: saved as CSV,
  // a row per unit with the rates the chart caches.
  const std::string written = testing::ReadBytes(out);
  const std::string chart = testing::ZipPart(written, "word/charts/chart1.xml");
  const std::string xlsx = testing::ZipPart(written, "word/embeddings/Microsoft_Excel_Worksheet1.xlsx");
  ASSERT_FALSE(xlsx.empty());
  {
    std::ofstream(dir + "/图表数据.xlsx", std::ios::binary) << xlsx;
  }
  const std::string to_csv = "cd '" + dir + "' && '" + soffice + "' --headless --norestore -env:UserInstallation=file://" +
                             dir + "/profile --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir '" + dir +
                             "' '" + dir + "/图表数据.xlsx' > /dev/null 2>&1";
  ASSERT_EQ(std::system(to_csv.c_str()), 0);
  std::vector<std::vector<std::string>> csv;
  {
    std::istringstream in(testing::ReadBytes(dir + "/图表数据.csv"));
    for (std::string line; std::getline(in, line);) {
      std::vector<std::string> fields;
      std::istringstream row(line);
      for (std::string field; std::getline(row, field, ',');) {
        if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
        fields.push_back(field);
      }
      csv.push_back(fields);
    }
  }
  const std::vector<CachedSeries> series = ChartCache(chart);
  ASSERT_EQ(series.size(), 2u);
  ASSERT_EQ(csv.size(), series[0].categories.size() + 1) << testing::ReadBytes(dir + "/图表数据.csv");
  EXPECT_EQ(csv[0], (std::vector<std::string>{"", "完成率", "整改率"}));
  for (size_t s = 0; s < series.size(); ++s) {
    std::vector<bool> seen(series[s].categories.size(), false);
    for (const auto& [index, value] : series[s].values) {
      const std::vector<std::string>& row = csv[static_cast<size_t>(index) + 1];
      ASSERT_GT(row.size(), s + 1);
      EXPECT_EQ(row[0], series[s].categories[static_cast<size_t>(index)]);
      EXPECT_NEAR(std::stod(row[s + 1]), std::stod(value), 0.05) << row[0];  // shown as 0.0
      seen[static_cast<size_t>(index)] = true;
    }
    for (size_t k = 0; k < seen.size(); ++k) {
      if (!seen[k]) {
        EXPECT_TRUE(csv[k + 1].size() <= s + 1 || csv[k + 1][s + 1].empty()) << "a gap stays blank";
      }
    }
  }
  if (const char* keep = std::getenv("TAIZHANG_KEEP_DOCUMENT_PAGES"); keep != nullptr && *keep != '\0') {
    std::filesystem::create_directories(keep);
    const std::string render = "pdftoppm -r 60 -png '" + dir + "/督办通报.pdf' '" + std::string(keep) + "/bulletin'";
    EXPECT_EQ(std::system(render.c_str()), 0);
    std::filesystem::copy_file(out, std::string(keep) + "/督办通报.docx",
                               std::filesystem::copy_options::overwrite_existing);
  }
  std::filesystem::remove_all(dir);
}

// --- 年度总结初稿 ----------------------------------------------------------------

Result<WordDocument> HousingDraft(LedgerStore& store, std::vector<LedgerItem>* items_out = nullptr) {
  ItemFilter filter;
  filter.unit = "县住建局";
  filter.year = 2024;
  auto items = store.ListItems(filter);
  if (!items.ok()) return items.status();
  auto plan = PlanOfItems(store, *items);
  if (!plan.ok()) return plan.status();
  // The plan is the unit's own report of the seed.
  if (plan->report.unit != "县住建局" || plan->report.title != "县住建局2023年工作总结及2024年工作计划") {
    return Status(StatusCode::kNotFound, "not the unit's plan: " + plan->report.title);
  }
  DraftOptions options;
  options.year = 2024;
  options.today = store.today();
  if (items_out != nullptr) *items_out = *items;
  return MakeDraft(*plan, *items, options);
}

TEST_F(SeedLedger, DraftFollowsThePlansOutlineWithTheLedgersProgress) {
  auto store = Open();
  auto draft = HousingDraft(*store);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  const std::string& text = draft->text;
  EXPECT_EQ(text.rfind("初稿　由台账生成，请核实修改后使用\n县住建局2024年工作总结（初稿）\n", 0), 0u) << text;
  auto rates = store->Rates(RateQuery{"县住建局", "2024-01-01", "2024-12-31"});
  ASSERT_TRUE(rates.ok() && rates->size() == 1u);
  const RateRow& row = rates->front();
  EXPECT_EQ(row.tasks, 40);
  EXPECT_TRUE(Contains(text, "纳入台账的工作任务共40项，其中已完成" + std::to_string(row.done) + "项、")) << text;
  EXPECT_TRUE(Contains(text, "完成率" + row.completion_rate + "%，逾期未完成" + std::to_string(row.overdue) + "项。"))
      << text;
  EXPECT_TRUE(Contains(text, "发现问题2项，已整改销号1项，整改率50.0%；按期整改0项，按期整改率0.0%。")) << text;
  // The plan's own headings, in the plan's order, with its numbering.
  const size_t plan_heading = text.find("\n五、2024年工作计划\n");
  const size_t first = text.find("\n1、XX县1.5万m³再生水回用新建项目\n");
  const size_t twelfth = text.find("\n12、清洁取暖项目\n");
  ASSERT_NE(plan_heading, std::string::npos) << text;
  ASSERT_NE(first, std::string::npos) << text;
  ASSERT_NE(twelfth, std::string::npos) << text;
  EXPECT_LT(plan_heading, first);
  EXPECT_LT(first, twelfth);
  // The summary part's headings without items are left out.
  EXPECT_FALSE(Contains(text, "坚定思想，队伍建设阔步前行")) << text;
  // Items grouped, with what the ledger knows.
  // 17 reported against the target 17: done, by the ledger's own rule.
  EXPECT_TRUE(Contains(text, "已完成（2项）\n2024年计划实施项目17个（目标17个，已报17个；17个项目全部开工（2024年12月20日））。\n"
                             "城区供热管网改造项目1个（供热管网改造完成并投入使用（2024年11月30日））。\n"))
      << text;
  EXPECT_TRUE(Contains(text, "外贸片区242户棚户区改造（目标242户，已报180户；已完成180户签约（2024年12月25日）；"
                             "时限2024年12月31日，已逾期）"))
      << text;
  // The problems, typed in, under no heading of the plan.
  EXPECT_TRUE(Contains(text, "\n其他工作任务\n已完成（1项）\n老旧小区改造工程质量资料不全")) << text;
  EXPECT_TRUE(Contains(text, "城区雨污分离项目进度滞后（时限2024年11月30日，已逾期）")) << text;
  EXPECT_TRUE(Contains(text, "未启动（")) << text;
  // Every task of the unit is in the draft once.
  std::vector<LedgerItem> items;
  ASSERT_TRUE(HousingDraft(*store, &items).ok());
  for (const LedgerItem& item : items) EXPECT_TRUE(Contains(text, item.task)) << item.task;
  // Byte-stable.
  auto again = HousingDraft(*store);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->docx, draft->docx);
}

// A total that does not add up stops the draft: here a task whose own
// words give 3 of 40 as 9.5%.
TEST(Draft, AnInconsistentTotalIsNotWritten) {
  LedgerItem item;
  item.id = 1;
  item.unit = "某县住建局";
  item.year = 2024;
  item.task = "全年任务共40项，已完成3项，完成率9.5%";
  item.status = ItemStatus::kInProgress;
  DraftOptions options;
  options.unit = "某县住建局";
  options.year = 2024;
  options.today = "2024-12-01";
  auto draft = MakeDraft({}, {item}, options);
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(draft.status().message(), "数字关系不一致，未写出")) << draft.status().message();
  EXPECT_TRUE(Contains(draft.status().message(), "9.5%")) << draft.status().message();
  // Stated consistently, it is written.
  item.task = "全年任务共40项，已完成3项，完成率7.5%";
  auto fixed = MakeDraft({}, {item}, options);
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  EXPECT_TRUE(Contains(fixed->text, "\n其他工作任务\n推进中（1项）\n全年任务共40项，已完成3项，完成率7.5%。\n"))
      << fixed->text;
}

TEST_F(SeedLedger, CliDraftOpensInLibreOffice) {
  const std::string soffice = ingest_internal::FindLibreOffice();
  ASSERT_FALSE(soffice.empty()) << "LibreOffice (soffice) is needed for this test";
  const std::string dir = TestDir("draft");
  const std::string out = dir + "/总结初稿.docx";
  const std::string command = std::string(TAIZHANG_CLI_PATH) + " ledger draft --db '" + *dir_ +
                              "/台账.db' --unit 县住建局 --year 2024 --today 2025-01-15 -o '" + out + "' 2> '" + dir +
                              "/err.txt'";
  ASSERT_EQ(std::system(command.c_str()), 0) << testing::ReadBytes(dir + "/err.txt");
  auto store = Open();
  auto draft = HousingDraft(*store);
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(testing::ReadBytes(out), draft->docx);
  // A prefix naming several units is refused.
  const std::string several = std::string(TAIZHANG_CLI_PATH) + " ledger draft --db '" + *dir_ +
                              "/台账.db' --unit 县 --year 2024 -o '" + dir + "/x.docx' 2> '" + dir + "/err2.txt'";
  const int status = std::system(several.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2);
  EXPECT_TRUE(Contains(testing::ReadBytes(dir + "/err2.txt"), "对应 3 个责任单位")) << testing::ReadBytes(dir + "/err2.txt");

  const std::string convert = "cd '" + dir + "' && '" + soffice + "' --headless --norestore -env:UserInstallation=file://" +
                              dir + "/profile --convert-to pdf --outdir '" + dir + "' '" + out + "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(convert.c_str()), 0);
  ASSERT_EQ(std::system(("pdftotext '" + dir + "/总结初稿.pdf' '" + dir + "/总结初稿.txt'").c_str()), 0);
  std::string printed = testing::ReadBytes(dir + "/总结初稿.txt");
  std::erase(printed, ' ');
  for (const char* piece : {"初稿", "县住建局2024年工作总结（初稿）", "五、2024年工作计划", "已完成（1项）", "推进中（",
                            "其他工作任务", "—1—"}) {
    EXPECT_TRUE(Contains(printed, piece)) << piece << "\n" << printed;
  }
  if (const char* keep = std::getenv("TAIZHANG_KEEP_DOCUMENT_PAGES"); keep != nullptr && *keep != '\0') {
    std::filesystem::create_directories(keep);
    const std::string render = "pdftoppm -r 60 -png '" + dir + "/总结初稿.pdf' '" + std::string(keep) + "/draft'";
    EXPECT_EQ(std::system(render.c_str()), 0);
    std::filesystem::copy_file(out, std::string(keep) + "/总结初稿.docx", std::filesystem::copy_options::overwrite_existing);
  }
  std::filesystem::remove_all(dir);
}

// --- 汇编 ----------------------------------------------------------------------

// A report's outline as comparable text: a line per heading, its depth,
// marker and title.
std::vector<std::string> OutlineOf(const AnalyzedFile& file, const Report& report) {
  std::vector<std::string> lines;
  for (const Heading& h : report.headings) {
    lines.push_back(std::to_string(h.depth) + " " + std::string(h.marker.In(file.source.text())) + " " +
                    std::string(h.title.In(file.source.text())));
  }
  return lines;
}

// The page numbers the compilation's contents state (the cached results of
// the PAGEREF fields), in order.
std::vector<int> TocPages(const std::string& docx) {
  std::vector<int> pages;
  pugi::xml_document doc;
  const std::string xml = testing::ZipPart(docx, "word/document.xml");
  if (!doc.load_buffer(xml.data(), xml.size())) return pages;
  for (pugi::xpath_node link : doc.select_nodes("//w:hyperlink")) {
    bool result = false;
    for (pugi::xml_node r : link.node().children("w:r")) {
      const std::string type = r.child("w:fldChar").attribute("w:fldCharType").value();
      if (type == "separate") result = true;
      if (type == "end") result = false;
      if (result && r.child("w:t")) pages.push_back(std::stoi(r.child_value("w:t")));
    }
  }
  return pages;
}

// The pages of a PDF as pdftotext reads them (form feeds between pages),
// white space removed: "" when the conversion fails.
std::vector<std::string> PdfPages(const std::string& pdf) {
  const std::string txt = pdf + ".pages.txt";
  std::vector<std::string> pages;
  if (std::system(("pdftotext '" + pdf + "' '" + txt + "'").c_str()) != 0) return pages;
  std::string page;
  for (char ch : testing::ReadBytes(txt)) {
    if (ch == '\f') {
      pages.push_back(page);
      page.clear();
    } else if (ch != ' ' && ch != '\n' && ch != '\t') {
      page += ch;
    }
  }
  if (!page.empty()) pages.push_back(page);
  return pages;
}

// The page (1-based) each title begins, as printed: the first page after
// `after` whose text starts with the title (a report starts a page).
std::vector<int> PrintedStartPages(const std::vector<std::string>& pages, const std::vector<std::string>& titles,
                                   int after) {
  std::vector<int> starts;
  int from = after;
  for (std::string title : titles) {
    std::erase(title, ' ');
    int found = 0;
    for (int p = from; p < static_cast<int>(pages.size()); ++p) {
      if (pages[p].rfind(title, 0) == 0) {
        found = p + 1;
        break;
      }
    }
    starts.push_back(found);
    if (found > 0) from = found;
  }
  return starts;
}

// LibreOffice converts `docx` in `dir` to PDF; the PDF's path, "" on failure.
std::string ToPdf(const std::string& dir, const std::string& docx) {
  const std::string soffice = ingest_internal::FindLibreOffice();
  if (soffice.empty()) return "";
  const std::string convert = "cd '" + dir + "' && '" + soffice + "' --headless --norestore -env:UserInstallation=file://" +
                              dir + "/profile --convert-to pdf --outdir '" + dir + "' '" + docx + "' > /dev/null 2>&1";
  if (std::system(convert.c_str()) != 0) return "";
  const std::string pdf = dir + "/" + std::filesystem::path(docx).stem().string() + ".pdf";
  return std::filesystem::exists(pdf) ? pdf : "";
}

// The seed compilation's 16 reports compiled into Word by the CLI, read back
// by taizhang: the same 16 reports, titles and outlines (every heading's
// depth, marker and title), and a TOC field whose entries link to the
// reports' _Toc bookmarks.
TEST(Compilation, SeedReadsBackIntoTheSameReportsAndOutlines) {
  const std::string dir = TestDir("compile");
  const std::string out = dir + "/汇编.docx";
  const std::string command = std::string(TAIZHANG_CLI_PATH) + " compile '" + testing::SeedPath() +
                              "' --title 2023年工作总结和2024年工作计划汇编 --date 2024-03-01 -o '" +
                              out + "' 2> '" + dir + "/err.txt'";
  ASSERT_EQ(std::system(command.c_str()), 0) << testing::ReadBytes(dir + "/err.txt");
  AnalyzeOptions outline_only;
  outline_only.last = Stage::kOutline;
  const AnalyzedFile seed = AnalyzeFile(testing::SeedPath(), outline_only);
  const AnalyzedFile compiled = AnalyzeFile(out, outline_only);
  ASSERT_TRUE(seed.ok() && compiled.ok()) << compiled.status.message();
  EXPECT_EQ(compiled.format, DocumentFormat::kDocx);
  ASSERT_EQ(seed.outline.reports.size(), 16u);
  ASSERT_EQ(compiled.outline.reports.size(), 16u);
  EXPECT_TRUE(compiled.outline.is_compilation);
  EXPECT_EQ(compiled.outline.toc.size(), 16u);
  for (size_t k = 0; k < 16; ++k) {
    const Report& a = seed.outline.reports[k];
    const Report& b = compiled.outline.reports[k];
    EXPECT_EQ(a.title.In(seed.source.text()), b.title.In(compiled.source.text())) << k;
    EXPECT_EQ(OutlineOf(seed, a), OutlineOf(compiled, b)) << "report " << k + 1;
    EXPECT_EQ(a.unit.name, b.unit.name) << k;
    if (k < compiled.outline.toc.size()) {
      EXPECT_EQ(compiled.outline.toc[k].report, static_cast<int>(k));
      EXPECT_EQ(compiled.outline.toc[k].bookmark_line, b.first_line) << k;
    }
  }
  // Byte-stable: compiled again, the same bytes.
  const std::string first = testing::ReadBytes(out);
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(testing::ReadBytes(out), first);
  // LibreOffice prints the cover, the contents and the reports.
  ASSERT_FALSE(ingest_internal::FindLibreOffice().empty()) << "LibreOffice (soffice) is needed for this test";
  const std::string pdf = ToPdf(dir, out);
  ASSERT_FALSE(pdf.empty());
  const std::vector<std::string> pages = PdfPages(pdf);
  ASSERT_GE(pages.size(), 17u);
  std::string printed;
  for (const std::string& page : pages) printed += page;
  // (The cover's long title wraps; its two halves are looked for.)
  for (const char* piece : {"汇编", "（16篇）", "目录", "县住建局2023年工作总结及2024年工作计划"}) {
    EXPECT_TRUE(Contains(printed, piece)) << piece;
  }
  // Each report starts on the page the contents give for it, as LibreOffice
  // lays it out (it prints the cached page numbers; Word refreshes them).
  std::vector<std::string> titles;
  for (const Report& r : seed.outline.reports) titles.emplace_back(r.title.In(seed.source.text()));
  EXPECT_EQ(PrintedStartPages(pages, titles, 2), TocPages(first));
  if (const char* keep = std::getenv("TAIZHANG_KEEP_DOCUMENT_PAGES"); keep != nullptr && *keep != '\0') {
    std::filesystem::create_directories(keep);
    const std::string render = "pdftoppm -r 50 -l 4 -png '" + pdf + "' '" + std::string(keep) + "/compile'";
    EXPECT_EQ(std::system(render.c_str()), 0);
    std::filesystem::copy_file(out, std::string(keep) + "/汇编.docx", std::filesystem::copy_options::overwrite_existing);
  }
  std::filesystem::remove_all(dir);
}

// Real reports of other makers, in three formats — a Word file with no title
// line (各位代表： first), plain text with web-page furniture, text-layer
// PDFs — compiled by the CLI and read back: each report as reading its file
// alone gives it, with the same outline (a report without a title is titled
// by its file's name).
TEST(Compilation, ReportsOfOtherMakersReadBackAsEachFileAlone) {
  const std::string more = testing::SharedDir() + "/corpus/more/";
  const std::vector<std::string> files = {
      more + "city-gwr/sichuan-neijiang_2024_gwr.docx",
      more + "city-gwr/hebei-baoding_2022_gwr.txt",
      more + "county-gwr/baoding-qingyuan_2021_gwr.txt",
      more + "unit-summary-plan/quanzhou-meteorology_2024_inspection-plan.pdf",
      more + "rectification/shandong-statistics-bureau_2024_inspection-rectification.pdf",
  };
  const std::string dir = TestDir("compile-more");
  const std::string out = dir + "/汇编.docx";
  std::string command = std::string(TAIZHANG_CLI_PATH) + " compile";
  for (const std::string& f : files) command += " '" + f + "'";
  command += " --title 各地报告汇编 --date 2025-01-20 -o '" + out + "' 2> '" + dir + "/err.txt'";
  ASSERT_EQ(std::system(command.c_str()), 0) << testing::ReadBytes(dir + "/err.txt");
  EXPECT_TRUE(Contains(testing::ReadBytes(dir + "/err.txt"),
                       "sichuan-neijiang_2024_gwr.docx：报告没有标题行，汇编中以文件名“sichuan-neijiang_2024_gwr”作标题（第 1 篇）。"))
      << testing::ReadBytes(dir + "/err.txt");
  AnalyzeOptions outline_only;
  outline_only.last = Stage::kOutline;
  const AnalyzedFile compiled = AnalyzeFile(out, outline_only);
  ASSERT_TRUE(compiled.ok()) << compiled.status.message();
  EXPECT_TRUE(compiled.outline.is_compilation);
  size_t at = 0;
  std::vector<std::string> titles;
  for (const std::string& path : files) {
    const AnalyzedFile alone = AnalyzeFile(path, outline_only);
    ASSERT_TRUE(alone.ok()) << path;
    for (const Report& a : alone.outline.reports) {
      ASSERT_LT(at, compiled.outline.reports.size()) << path;
      const Report& b = compiled.outline.reports[at];
      std::string title(a.title.In(alone.source.text()));
      if (title.empty()) title = std::filesystem::path(path).stem().string();
      EXPECT_EQ(title, b.title.In(compiled.source.text())) << path;
      EXPECT_EQ(OutlineOf(alone, a), OutlineOf(compiled, b)) << path;
      if (!a.title.empty()) {
        EXPECT_EQ(a.unit.name, b.unit.name) << path;
      }
      titles.push_back(title);
      ++at;
    }
  }
  EXPECT_EQ(compiled.outline.reports.size(), at);
  EXPECT_EQ(compiled.outline.toc.size(), at);
  // LibreOffice starts each on the page the contents give for it.
  ASSERT_FALSE(ingest_internal::FindLibreOffice().empty()) << "LibreOffice (soffice) is needed for this test";
  const std::string pdf = ToPdf(dir, out);
  ASSERT_FALSE(pdf.empty());
  EXPECT_EQ(PrintedStartPages(PdfPages(pdf), titles, 2), TocPages(testing::ReadBytes(out)));
  if (const char* keep = std::getenv("TAIZHANG_KEEP_DOCUMENT_PAGES"); keep != nullptr && *keep != '\0') {
    std::filesystem::create_directories(keep);
    const std::string render = "pdftoppm -r 50 -l 4 -png '" + pdf + "' '" + std::string(keep) + "/compile-more'";
    EXPECT_EQ(std::system(render.c_str()), 0);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace taizhang
