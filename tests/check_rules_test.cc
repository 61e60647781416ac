// Golden cases of the check rules (tests/golden/check/cases.tsv): a small
// report → the findings it must give, including texts on which a rule must
// NOT fire. Every rule of the catalogue must have a case that fires.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "check/check.h"
#include "extract/extract.h"
#include "outline/outline.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

struct CheckCase {
  int line = 0;
  std::string input;     // with \n for line breaks
  std::string expected;  // "rule:line ; rule:line" in order, or "-"
};

void PrintTo(const CheckCase& c, std::ostream* os) { *os << "cases.tsv line " << c.line << ": " << c.input; }

std::vector<CheckCase> LoadCases() {
  std::vector<CheckCase> cases;
  for (const testing::GoldenRow& row : testing::ReadGoldenTsv("check/cases.tsv")) {
    if (row.fields.size() != 2) {
      ADD_FAILURE() << "cases.tsv line " << row.line << ": expected 2 fields";
      continue;
    }
    CheckCase c{row.line, "", row.fields[1]};
    const std::string& raw = row.fields[0];
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == 'n') {
        c.input += '\n';
        ++i;
      } else {
        c.input += raw[i];
      }
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string Findings(const std::string& input) {
  SourceText source("case.txt", "UTF-8", input, 0);
  OutlineResult outline = BuildOutline(source);
  FileFacts facts = ExtractFacts(source, outline);
  CheckResult result = CheckFile(source, outline, facts, {});
  std::string out;
  for (const Finding& f : result.findings) {
    if (!out.empty()) out += " ; ";
    out += f.rule + ":" + std::to_string(f.line);
  }
  return out.empty() ? "-" : out;
}

class CheckRules : public ::testing::TestWithParam<CheckCase> {};

TEST_P(CheckRules, Case) {
  const CheckCase& c = GetParam();
  std::string actual = Findings(c.input);
  // TAIZHANG_PRINT_CHECK=1 prints the actual findings for review; expected
  // values are written by hand.
  if (std::getenv("TAIZHANG_PRINT_CHECK")) std::cout << "CASE\t" << c.line << "\t" << actual << "\n";
  EXPECT_EQ(actual, c.expected) << "cases.tsv line " << c.line;
}

INSTANTIATE_TEST_SUITE_P(Golden, CheckRules, ::testing::ValuesIn(LoadCases()));

// The bundled example report: the five defects examples/README.md lists, and
// nothing else.
TEST(CheckExample, FindsThePlantedDefectsAndNothingElse) {
  std::string text = testing::ReadBytes(testing::SourceDir() +
                                        "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt");
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(Findings(text),
            "sum-mismatch:6 ; placeholder-number:18 ; numbering-bracket:20 ; "
            "duplicate-sentence:28 ; letter-d-for-party:30");
}

TEST(CheckRuleCatalogue, EveryRuleHasAFiringCaseAndADescription) {
  std::set<std::string> fired;
  for (const CheckCase& c : LoadCases()) {
    std::istringstream in(c.expected);
    std::string item;
    while (in >> item) {
      size_t colon = item.find(':');
      if (colon != std::string::npos) fired.insert(item.substr(0, colon));
    }
  }
  ASSERT_FALSE(RuleCatalogue().empty());
  for (const Rule& r : RuleCatalogue()) {
    EXPECT_TRUE(fired.count(r.id)) << "no golden case fires " << r.id;
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_FALSE(r.explanation.empty()) << r.id;
    EXPECT_FALSE(r.example.empty()) << r.id;
  }
}

}  // namespace
}  // namespace taizhang
