// Plan items of five seed reports against tests/golden/plan_items/seed.tsv,
// a hand-checked list of every assessable item (target, deadline or
// milestone) in them.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "extract/extract.h"
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

}  // namespace
}  // namespace taizhang
