// The pipeline as one call: stages up to a chosen one, results owned by
// value (movable), the same results as running the stages by hand, errors
// as statuses naming the file; and pairing plan reports with result reports.
#include "pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "compare/compare.h"
#include "output/check_output.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

std::string ExamplePath() {
  return testing::SourceDir() + "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt";
}

TEST(Pipeline, RunsTheStagesUpToTheLastAsked) {
  AnalyzeOptions options;
  options.last = Stage::kOutline;
  AnalyzedFile outlined = AnalyzeFile(ExamplePath(), options);
  ASSERT_TRUE(outlined.ok()) << outlined.status.message();
  EXPECT_EQ(outlined.done, Stage::kOutline);
  EXPECT_EQ(outlined.outline.reports.size(), 1u);
  EXPECT_TRUE(outlined.facts.reports.empty());
  EXPECT_TRUE(outlined.check.findings.empty());

  options.last = Stage::kRead;
  AnalyzedFile read = AnalyzeFile(ExamplePath(), options);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.done, Stage::kRead);
  EXPECT_TRUE(read.outline.reports.empty());
  EXPECT_EQ(read.source.text(), outlined.source.text());
  EXPECT_EQ(read.format, DocumentFormat::kText);
  EXPECT_EQ(read.size_bytes, testing::ReadBytes(ExamplePath()).size());
}

TEST(Pipeline, GivesWhatTheStagesGiveByHand) {
  AnalyzedFile file = AnalyzeFile(ExamplePath(), {});
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file.done, Stage::kCheck);

  Result<SourceText> source = ReadDocument(ExamplePath(), {});
  ASSERT_TRUE(source.ok());
  OutlineResult outline = BuildOutline(*source);
  FileFacts facts = ExtractFacts(*source, outline);
  CheckResult checked = CheckFile(*source, outline, facts, {});
  ASSERT_EQ(file.facts.reports.size(), facts.reports.size());
  EXPECT_EQ(file.facts.reports[0].quantities.size(), facts.reports[0].quantities.size());
  EXPECT_EQ(file.facts.reports[0].plan_items.size(), facts.reports[0].plan_items.size());
  ASSERT_EQ(file.check.findings.size(), checked.findings.size());
  for (size_t i = 0; i < checked.findings.size(); ++i) {
    EXPECT_EQ(file.check.findings[i].rule, checked.findings[i].rule);
    EXPECT_EQ(file.check.findings[i].line, checked.findings[i].line);
  }
  // The example has five planted defects, so there is something to compare.
  EXPECT_GE(file.check.findings.size(), 5u);
}

// A compilation checked report by report (its facts deferred, as `check`
// does from 4 MB on) gives the findings, in the same order, and the
// relations of checking it whole, and the same JSON and text written as it
// is checked.
TEST(Pipeline, DeferredFactsCheckReportByReportAsWhole) {
  AnalyzeOptions whole_options;
  AnalyzedFile whole = AnalyzeFile(testing::SeedPath(), whole_options);
  AnalyzeOptions deferred_options;
  deferred_options.defer_facts_from_bytes = 1;
  AnalyzedFile deferred = AnalyzeFile(testing::SeedPath(), deferred_options);
  ASSERT_TRUE(whole.ok() && deferred.ok());
  ASSERT_GT(whole.outline.reports.size(), 10u);
  EXPECT_FALSE(whole.facts.deferred);
  EXPECT_FALSE(whole.check.deferred);
  EXPECT_TRUE(deferred.facts.deferred);
  EXPECT_TRUE(deferred.facts.reports.empty());
  // The check is left to whoever takes the results.
  EXPECT_TRUE(deferred.check.deferred);
  EXPECT_TRUE(deferred.check.findings.empty());
  const CheckResult collected = CheckFile(deferred.source, deferred.outline, deferred.facts, {});
  ASSERT_GT(whole.check.findings.size(), 50u);
  ASSERT_EQ(collected.findings.size(), whole.check.findings.size());
  for (size_t i = 0; i < whole.check.findings.size(); ++i) {
    const Finding& a = whole.check.findings[i];
    const Finding& b = collected.findings[i];
    EXPECT_EQ(b.rule, a.rule) << i;
    EXPECT_EQ(b.report, a.report) << i;
    EXPECT_EQ(b.span.begin, a.span.begin) << i;
    EXPECT_EQ(b.message, a.message) << i;
    EXPECT_EQ(b.related.size(), a.related.size()) << i;
  }
  ASSERT_EQ(collected.reports.size(), whole.check.reports.size());
  size_t relations = 0;
  for (size_t r = 0; r < whole.check.reports.size(); ++r) {
    const ReportCheck& a = whole.check.reports[r];
    const ReportCheck& b = collected.reports[r];
    EXPECT_EQ(b.placeholders, a.placeholders) << r;
    ASSERT_EQ(b.relations.size(), a.relations.size()) << r;
    for (size_t k = 0; k < a.relations.size(); ++k) {
      EXPECT_EQ(b.relations[k].statement, a.relations[k].statement);
      EXPECT_EQ(b.relations[k].parts, a.relations[k].parts);
      EXPECT_EQ(b.relations[k].whole, a.relations[k].whole);
    }
    relations += a.relations.size();
  }
  EXPECT_GT(relations, 10u);
  // Each step hands over every finding of its report (what the import
  // stores with the report) and the report's facts.
  ReportChecker checker(deferred.source, deferred.outline, {});
  CheckedReport step;
  size_t steps = 0;
  while (checker.Next(&step)) {
    ASSERT_EQ(step.index, steps++);
    size_t own = 0, own_in_step = 0;
    for (const Finding& f : whole.check.findings) own += f.report == static_cast<int>(step.index);
    for (const Finding& f : step.findings) own_in_step += f.report == static_cast<int>(step.index);
    EXPECT_EQ(own_in_step, own) << step.index;
    EXPECT_EQ(step.facts.quantities.size(), whole.facts.reports[step.index].quantities.size());
  }
  EXPECT_EQ(steps, whole.outline.reports.size());
  // Written while checked: the same bytes, every finding passing by once.
  size_t passed = 0;
  CheckedFile view = CheckedView(deferred);
  view.on_finding = [&](const Finding&) { ++passed; };
  EXPECT_EQ(CheckJsonFile(view, 0), CheckJsonFile(CheckedView(whole), 0));
  EXPECT_EQ(passed, whole.check.findings.size());
  EXPECT_EQ(RenderCheckText(CheckedView(deferred)), RenderCheckText(CheckedView(whole)));
  EXPECT_EQ(CheckHtmlFile(CheckedView(deferred)), CheckHtmlFile(CheckedView(whole)));
}

TEST(Pipeline, ResultsSurviveMovesOfTheFile) {
  // Results refer to the text by spans: moving the files around (a growing
  // vector reallocates) keeps every rendering identical.
  const std::string expected = RenderCheckText(CheckedView(AnalyzeFile(ExamplePath(), {})));
  std::vector<AnalyzedFile> files;
  for (int i = 0; i < 9; ++i) files.push_back(AnalyzeFile(ExamplePath(), {}));
  AnalyzedFile moved = std::move(files.front());
  EXPECT_EQ(RenderCheckText(CheckedView(moved)), expected);
  EXPECT_EQ(RenderCheckText(CheckedView(files.back())), expected);
}

TEST(Pipeline, BytesInMemoryGiveTheSameAsTheFile) {
  AnalyzedFile from_file = AnalyzeFile(ExamplePath(), {});
  AnalyzedFile from_bytes = AnalyzeBytes("上传.txt", testing::ReadBytes(ExamplePath()), {});
  ASSERT_TRUE(from_bytes.ok());
  EXPECT_EQ(from_bytes.path, "上传.txt");
  EXPECT_EQ(from_bytes.source.text(), from_file.source.text());
  EXPECT_EQ(from_bytes.check.findings.size(), from_file.check.findings.size());

  AnalyzedFile docx = AnalyzeFile(testing::SharedDir() + "/corpus/fixtures/seed-compilation.docx", {});
  ASSERT_TRUE(docx.ok()) << docx.status.message();
  EXPECT_EQ(docx.format, DocumentFormat::kDocx);
  EXPECT_EQ(docx.outline.reports.size(), 16u);
}

TEST(Pipeline, UnreadableInputsAreStatusesNamingTheFile) {
  AnalyzedFile missing = AnalyzeFile("/无此目录/报告.txt", {});
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.status.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status.message().find("报告.txt"), std::string::npos);
  EXPECT_EQ(missing.path, "/无此目录/报告.txt");
  EXPECT_TRUE(missing.outline.reports.empty());

  AnalyzedFile empty = AnalyzeBytes("空.txt", "", {});
  EXPECT_EQ(empty.status.code(), StatusCode::kEmpty);
  EXPECT_NE(empty.status.message().find("空.txt"), std::string::npos);

  AnalyzedFile binary = AnalyzeBytes("图.bin", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), {});
  EXPECT_FALSE(binary.ok());
  EXPECT_TRUE(binary.check.findings.empty());
}

TEST(Pairing, PairsEachPlanReportWithTheSameUnitsResult) {
  AnalyzeOptions options;
  options.last = Stage::kOutline;
  AnalyzedFile seed = AnalyzeFile(testing::SeedPath(), options);
  ASSERT_TRUE(seed.ok());
  ASSERT_EQ(seed.outline.reports.size(), 16u);
  // A compilation against itself: every report finds its own unit.
  Pairing self = PairReports(seed.outline, seed.outline, "");
  ASSERT_EQ(self.pairs.size(), 16u);
  for (const ReportPair& p : self.pairs) {
    EXPECT_EQ(ReportUnit(seed.outline.reports[p.plan]), ReportUnit(seed.outline.reports[p.result]));
  }
  EXPECT_TRUE(self.unmatched.empty());

  // A unit filter keeps only that unit's reports.
  const std::string unit = ReportUnit(seed.outline.reports[0]);
  Pairing one = PairReports(seed.outline, seed.outline, unit);
  ASSERT_FALSE(one.pairs.empty());
  for (const ReportPair& p : one.pairs) {
    EXPECT_NE(ReportUnit(seed.outline.reports[p.plan]).find(unit), std::string::npos);
  }

  // A result of one report answers for every unit; a compilation of other
  // units leaves the plan reports unmatched.
  AnalyzedFile example = AnalyzeFile(ExamplePath(), options);
  ASSERT_TRUE(example.ok());
  EXPECT_EQ(PairReports(seed.outline, example.outline, "").pairs.size(), 16u);
  Pairing none = PairReports(example.outline, seed.outline, "");
  EXPECT_TRUE(none.pairs.empty());
  EXPECT_EQ(none.unmatched.size(), 1u);
  EXPECT_EQ(FindReportOfUnit(seed.outline, "无此单位"), -1);
}

}  // namespace
}  // namespace taizhang
