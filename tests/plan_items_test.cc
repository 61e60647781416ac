// Plan items of five seed reports against tests/golden/plan_items/seed.tsv,
// a hand-checked list of every assessable item (target, deadline or
// milestone) in them.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/facts_internal.h"
#include "ingest/ingest.h"
#include "outline/outline.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

const std::set<size_t> kDocuments = {1, 11, 13, 14, 15};

std::vector<std::string> GoldenRows() {
  std::vector<std::string> rows;
  std::istringstream in(testing::ReadBytes(testing::SourceDir() + "/tests/golden/plan_items/seed.tsv"));
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    rows.push_back(line);
  }
  return rows;
}

std::string Text(const SourceText& source, Span s) { return s.empty() ? "" : JoinedText(source.text(), s); }

class SeedPlanItems : public ::testing::Test {
 protected:
  void SetUp() override {
    auto source = ReadTextFile(testing::SeedPath(), {});
    ASSERT_TRUE(source.ok()) << source.status().message();
    source_ = std::make_unique<SourceText>(std::move(*source));
    outline_ = BuildOutline(*source_);
    facts_ = ExtractFacts(*source_, outline_);
  }

  std::vector<std::string> AssessableRows() const {
    std::vector<std::string> rows;
    for (size_t r = 0; r < facts_.reports.size(); ++r) {
      if (!kDocuments.count(r + 1)) continue;
      const ReportFacts& f = facts_.reports[r];
      for (const PlanItem& p : f.plan_items) {
        if (!p.assessable) continue;
        const std::string fields[] = {
            std::to_string(p.line),
            std::string(StrengthName(p.strength)),
            Text(*source_, p.subject),
            Text(*source_, p.action),
            Text(*source_, p.object),
            p.target >= 0 ? Text(*source_, f.quantities[p.target].span) : std::string(),
            p.deadline >= 0 ? f.times[p.deadline].end : std::string(),
            p.recurrence >= 0 ? f.times[p.recurrence].every : std::string(),
        };
        std::string row = std::to_string(r + 1);
        for (const std::string& field : fields) {
          row += '\t';
          row += field;
        }
        rows.push_back(row);
      }
    }
    return rows;
  }

  std::unique_ptr<SourceText> source_;
  OutlineResult outline_;
  FileFacts facts_;
};

TEST_F(SeedPlanItems, MatchTheHandCheckedList) {
  std::vector<std::string> expected = GoldenRows();
  std::vector<std::string> actual = AssessableRows();
  ASSERT_GE(expected.size(), 40u);
  std::set<std::string> want(expected.begin(), expected.end()), got(actual.begin(), actual.end());
  for (const std::string& row : expected) EXPECT_TRUE(got.count(row)) << "missing: " << row;
  for (const std::string& row : actual) EXPECT_TRUE(want.count(row)) << "unexpected: " << row;
  EXPECT_EQ(actual, expected);  // same order as the text
}

// The four commitments of report 1's plan named in issue 3.
TEST_F(SeedPlanItems, ReportOneDeadlines) {
  const ReportFacts& f = facts_.reports.at(0);
  auto deadline_of = [&](const std::string& object) -> std::string {
    for (const PlanItem& p : f.plan_items) {
      if (Text(*source_, p.object).find(object) != std::string::npos && p.deadline >= 0) {
        return f.times[p.deadline].end;
      }
    }
    return "not found";
  };
  EXPECT_EQ(deadline_of("水源工程招标"), "2024-06-30");
  EXPECT_EQ(deadline_of("界头片渠系工程施工招标"), "2024-12-31");
  EXPECT_EQ(deadline_of("向阳水库主体工程"), "2024-12-31");
  EXPECT_EQ(deadline_of("初设和专题报告批复并开工"), "2024-10-31");
  for (const PlanItem& p : f.plan_items) EXPECT_EQ(p.owner, "腾冲市水务局");
}

// Recurring commitments: 实施项目前期工作月调度.
TEST_F(SeedPlanItems, Recurrence) {
  const ReportFacts& f = facts_.reports.at(0);
  bool found = false;
  for (const PlanItem& p : f.plan_items) {
    if (p.recurrence >= 0 && f.times[p.recurrence].every == "P1M" &&
        Text(*source_, p.object).find("月调度") != std::string::npos) {
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

// Summary sections hold no plan items unless they promise something after
// the reviewed year (计划2025年7月竣工).
TEST_F(SeedPlanItems, SummarySectionsOnlyForFuturePromises) {
  for (size_t r = 0; r < facts_.reports.size(); ++r) {
    const Report& report = outline_.reports[r];
    for (const PlanItem& p : facts_.reports[r].plan_items) {
      if (p.section >= 0 && report.sections[p.section].kind == SectionKind::kPlan) continue;
      ASSERT_GE(p.deadline, 0) << "report " << r + 1 << " line " << p.line;
      EXPECT_GT(facts_.reports[r].times[p.deadline].end.substr(0, 4), std::to_string(report.summary_year))
          << "report " << r + 1 << " line " << p.line;
    }
  }
}


// Plan items of one real report of corpus/more or examples/, by file.
struct Analyzed {
  std::unique_ptr<SourceText> source;
  OutlineResult outline;
  FileFacts facts;
  const std::vector<PlanItem>& items() const { return facts.reports.at(0).plan_items; }
  std::string Task(const PlanItem& p) const { return PlanItemTask(source->text(), p); }
  std::string Target(const PlanItem& p) const {
    return p.target < 0 ? "" : Text(*source, facts.reports.at(0).quantities[p.target].span);
  }
  const PlanItem* Find(const std::string& task) const {
    for (const PlanItem& p : items()) {
      if (Task(p) == task) return &p;
    }
    return nullptr;
  }
};

Analyzed Analyze(const std::string& path) {
  Analyzed a;
  auto source = ReadDocument(path, {});
  EXPECT_TRUE(source.ok()) << path;
  if (!source.ok()) return a;
  a.source = std::make_unique<SourceText>(std::move(*source));
  a.outline = BuildOutline(*a.source);
  a.facts = ExtractFacts(*a.source, a.outline);
  return a;
}

// 主要预期目标 of a county report (高阳县 2018): one item per target, each
// due at the end of the plan year; the 分别 list 城乡居民人均可支配收入分别增长
// 9.5%和11% gives an item for 城镇 and one for 农村.
TEST(MorePlanItems, ExpectedTargetsOneItemEach) {
  Analyzed a = Analyze(testing::SharedDir() + "/corpus/more/county-gwr/baoding-gaoyang_2018_gwr.txt");
  std::vector<std::string> tasks;
  for (const PlanItem& p : a.items()) {
    if (!p.expected_target) continue;
    tasks.push_back(a.Task(p) + "|" + a.Target(p) + "|" + p.due + (p.due_inferred ? "*" : ""));
  }
  const std::vector<std::string> want = {
      "生产总值增长9%|9%|2018-12-31*",
      "一般公共预算收入增长7%|7%|2018-12-31*",
      "规模以上工业增加值增长10%|10%|2018-12-31*",
      "固定资产投资增长6%|6%|2018-12-31*",
      "社会消费品零售总额增长12%|12%|2018-12-31*",
      "出口总额增长6.8%|6.8%|2018-12-31*",
      "城镇居民人均可支配收入增长9.5%|9.5%|2018-12-31*",
      "农村居民人均可支配收入增长11%|11%|2018-12-31*",
      "PM2.5平均浓度下降完成省市任务||2018-12-31*",
      "城镇新增就业2300人|2300人|2018-12-31*",
  };
  EXPECT_EQ(tasks, want);
}

// 杭州市 2024 (Word): the year's context, the overall requirements and the
// principles are no items; 新增省科技领军企业5家、市级以上创新联合体10个 is two
// items sharing 新增; the targets passage gives its seven targets.
TEST(MorePlanItems, NoContextOrPrinciplesAndListsSplit) {
  Analyzed a = Analyze(testing::SharedDir() + "/corpus/more/city-gwr/zhejiang-hangzhou_2024_gwr.docx");
  ASSERT_FALSE(a.items().empty());
  for (const PlanItem& p : a.items()) {
    std::string task = a.Task(p);
    EXPECT_EQ(task.find("关键一年"), std::string::npos) << task;
    EXPECT_EQ(task.find("为指导"), std::string::npos) << task;
    EXPECT_EQ(task.find("总体要求"), std::string::npos) << task;
    for (const char* principle : {"深入学习贯彻习近平总书记考察浙江重要讲话和指示批示精神", "坚持稳中求进工作总基调",
                                  "完整、准确、全面贯彻新发展理念", "把科技创新推动产业创新作为创新深化的发力重点"}) {
      EXPECT_EQ(task.find(principle), std::string::npos) << task;
    }
  }
  const PlanItem* first = a.Find("新增省科技领军企业5家");
  const PlanItem* second = a.Find("市级以上创新联合体10个");
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(a.Target(*first), "5家");
  EXPECT_EQ(a.Target(*second), "10个");
  EXPECT_EQ(Text(*a.source, second->action), "新增");
  int expected = 0;
  for (const PlanItem& p : a.items()) expected += p.expected_target ? 1 : 0;
  EXPECT_EQ(expected, 7);
  const PlanItem* gdp = a.Find("地区生产总值增长5.5%左右");
  ASSERT_NE(gdp, nullptr);
  EXPECT_EQ(Text(*a.source, gdp->subject), "地区生产总值");
  EXPECT_EQ(gdp->due, "2024-12-31");
}

// The example unit plan: a qualifying figure gives way to the target
// (力争年收入50万元以上的村集体达到55个以上 → 55个以上); 确保不发生规模性返贫致贫 is
// a target of its own; the closing paragraph (在县委、县政府的坚强领导下…作出
// 新的更大贡献) and 以…为总抓手 give no item; no item is due before the plan
// year (在2024年建成…平台的基础上 is no 2024 deadline).
TEST(MorePlanItems, ExampleUnitPlan) {
  Analyzed a = Analyze(testing::SourceDir() + "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt");
  const PlanItem* villages = a.Find("力争年收入50万元以上的村集体达到55个以上");
  ASSERT_NE(villages, nullptr);
  EXPECT_EQ(a.Target(*villages), "55个以上");
  const PlanItem* poverty = a.Find("确保不发生规模性返贫致贫");
  ASSERT_NE(poverty, nullptr);
  EXPECT_TRUE(poverty->expected_target);
  for (const PlanItem& p : a.items()) {
    EXPECT_NE(p.line, 55u) << a.Task(p);
    EXPECT_EQ(a.Task(p).find("为总抓手"), std::string::npos);
    if (!p.due.empty()) {
      EXPECT_GE(p.due, "2025-01-01") << a.Task(p);
    }
  }
}

// The list marker 一是 is no part of the ledger row (高阳县 2019).
TEST(MorePlanItems, TaskWithoutListMarker) {
  Analyzed a = Analyze(testing::SharedDir() + "/corpus/more/county-gwr/baoding-gaoyang_2019_gwr.txt");
  bool found = false;
  for (const PlanItem& p : a.items()) {
    std::string text = Text(*a.source, p.span);
    if (text.starts_with("一是去年脱贫的")) {
      found = true;
      EXPECT_TRUE(a.Task(p).starts_with("去年脱贫的")) << a.Task(p);
      EXPECT_TRUE(p.due.empty() || p.due >= "2019-01-01") << p.due;
    }
  }
  EXPECT_TRUE(found);
}

// The plan scanners read a sentence's hit list when the text is valid UTF-8
// and decode it character by character otherwise: both ways give the same
// items, field by field, for every report of the corpus texts.
TEST(MorePlanItems, HitListMatchesDecoding) {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::SharedDir() + "/corpus")) {
    if (entry.path().extension() == ".txt") paths.push_back(entry.path().string());
  }
  ASSERT_GT(paths.size(), 20u);
  size_t items = 0;
  for (const std::string& path : paths) {
    auto source = ReadTextFile(path, {});
    ASSERT_TRUE(source.ok()) << path;
    OutlineResult outline = BuildOutline(*source);
    for (const Report& report : outline.reports) {
      ReportFacts hit_list = ExtractReportFacts(*source, report);
      ReportFacts decoded = hit_list;
      decoded.plan_items.clear();
      extract_internal::FindPlanItems(*source, report, &decoded, false);
      ASSERT_EQ(hit_list.plan_items.size(), decoded.plan_items.size()) << path;
      for (size_t k = 0; k < decoded.plan_items.size(); ++k) {
        const PlanItem& a = hit_list.plan_items[k];
        const PlanItem& b = decoded.plan_items[k];
        SCOPED_TRACE(path + " item " + std::to_string(k));
        auto same = [](Span x, Span y) { return x.begin == y.begin && x.end == y.end; };
        EXPECT_TRUE(same(a.span, b.span) && same(a.subject, b.subject) && same(a.action, b.action) &&
                    same(a.object, b.object) && same(a.strength_word, b.strength_word) && same(a.task, b.task));
        EXPECT_EQ(a.target, b.target);
        EXPECT_EQ(a.deadline, b.deadline);
        EXPECT_EQ(a.recurrence, b.recurrence);
        EXPECT_EQ(a.strength, b.strength);
        EXPECT_EQ(a.line, b.line);
        EXPECT_EQ(a.column, b.column);
        EXPECT_EQ(a.assessable, b.assessable);
        EXPECT_EQ(a.task_text, b.task_text);
        EXPECT_EQ(a.due, b.due);
      }
      items += decoded.plan_items.size();
    }
  }
  EXPECT_GT(items, 500u);
}

}  // namespace
}  // namespace taizhang
