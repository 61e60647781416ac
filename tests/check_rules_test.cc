// Golden cases of the check rules (tests/golden/check/cases.tsv): a small
// report → the findings it must give, including texts on which a rule must
// NOT fire. Every rule of the catalogue must have a case that fires.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "check/check.h"
#include "check/check_internal.h"
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

// The cases of tests/golden/check/bullets.tsv: one per check the issue lists,
// each that fires followed by its must-not-fire twin.
struct BulletCase {
  int line = 0;
  std::string bullet;
  std::string input;     // lines; "|" opens a table row
  std::string expected;
  std::string source;
  bool pdf = false;
};

void PrintTo(const BulletCase& c, std::ostream* os) { *os << "bullets.tsv line " << c.line << " (" << c.bullet << ")"; }

// The findings of the whole pipeline on `source`, as rule:line joined by " ; "
// ("-" when none).
std::string Findings(const SourceText& source) {
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
  std::string actual = Findings(SourceText("case.txt", "UTF-8", c.input, 0));
  // TAIZHANG_PRINT_CHECK=1 prints the actual findings for review; expected
  // values are written by hand.
  if (std::getenv("TAIZHANG_PRINT_CHECK")) std::cout << "CASE\t" << c.line << "\t" << actual << "\n";
  EXPECT_EQ(actual, c.expected) << "cases.tsv line " << c.line;
}

INSTANTIATE_TEST_SUITE_P(Golden, CheckRules, ::testing::ValuesIn(LoadCases()));

std::vector<BulletCase> LoadBulletCases() {
  std::vector<BulletCase> cases;
  for (const testing::GoldenRow& row : testing::ReadGoldenTsv("check/bullets.tsv")) {
    if (row.fields.size() != 4) {
      ADD_FAILURE() << "bullets.tsv line " << row.line << ": expected 4 fields";
      continue;
    }
    BulletCase c{row.line, row.fields[0], "", row.fields[2], row.fields[3]};
    std::string raw = row.fields[1];
    if (raw.rfind("[PDF]", 0) == 0) {
      c.pdf = true;
      raw.erase(0, 5);
    }
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

// The findings on a case: its "|" lines become table rows (cells split at
// " | "), as a Word or PDF reader gives them; a line "[page]" starts a new
// page of a PDF (LineOrigin::paragraph is the page).
std::string BulletFindings(const BulletCase& c) {
  std::string text;
  std::vector<LineOrigin> origins;
  bool rows = false;
  int32_t page = 0;
  std::istringstream in(c.input);
  for (std::string line; std::getline(in, line);) {
    // A PDF's page break: no line of its own.
    if (line == "[page]") {
      ++page;
      continue;
    }
    LineOrigin origin;
    origin.paragraph = page;
    if (line.rfind("|", 0) == 0) {
      // The cells, " | " between them, joined by tabs (built anew, not
      // replaced in place: GCC 12 -Wrestrict false positive).
      std::string row;
      for (size_t from = 1;;) {
        const size_t at = line.find(" | ", from);
        row.append(line, from, at == std::string::npos ? std::string::npos : at - from);
        if (at == std::string::npos) break;
        row += '\t';
        from = at + 3;
      }
      line = std::move(row);
      origin.table_row = true;
      rows = true;
    }
    text += line + "\n";
    origins.push_back(origin);
  }
  SourceText source("case.txt", c.pdf ? "PDF" : "UTF-8", text, 0);
  if (rows || c.pdf) {
    SourceText::Layout layout;
    layout.origins = std::move(origins);
    source.set_layout(std::move(layout));
  }
  return Findings(source);
}

class CheckBullets : public ::testing::TestWithParam<BulletCase> {};

TEST_P(CheckBullets, Case) {
  const BulletCase& c = GetParam();
  std::string actual = BulletFindings(c);
  if (std::getenv("TAIZHANG_PRINT_CHECK")) std::cout << "BULLET\t" << c.line << "\t" << actual << "\n";
  EXPECT_EQ(actual, c.expected) << "bullets.tsv line " << c.line << " (" << c.bullet << ", " << c.source << ")";
}

INSTANTIATE_TEST_SUITE_P(Golden, CheckBullets, ::testing::ValuesIn(LoadBulletCases()));

// Every case that fires has its must-not-fire twin right after it, and every
// case names its source.
TEST(CheckBulletsFile, CasesComeInPairsWithASource) {
  std::vector<BulletCase> cases = LoadBulletCases();
  ASSERT_GE(cases.size(), 2u);
  ASSERT_EQ(cases.size() % 2, 0u) << "an odd number of cases: one lacks its twin";
  for (size_t i = 0; i + 1 < cases.size(); i += 2) {
    EXPECT_NE(cases[i].expected, "-") << "bullets.tsv line " << cases[i].line << ": the first of a pair must fire";
    EXPECT_EQ(cases[i + 1].expected, "-") << "bullets.tsv line " << cases[i + 1].line << ": the twin must not fire";
    EXPECT_EQ(cases[i].bullet, cases[i + 1].bullet) << "bullets.tsv line " << cases[i + 1].line;
  }
  for (const BulletCase& c : cases) EXPECT_FALSE(c.source.empty()) << "bullets.tsv line " << c.line;
}

// The bundled example report: the five defects examples/README.md lists, and
// nothing else.
TEST(CheckExample, FindsThePlantedDefectsAndNothingElse) {
  std::string text = testing::ReadBytes(testing::SourceDir() +
                                        "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt");
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(Findings(SourceText("case.txt", "UTF-8", text, 0)),
            "sum-mismatch:6 ; placeholder-number:18 ; numbering-bracket:20 ; "
            "duplicate-sentence:28 ; letter-d-for-party:30");
}

TEST(CheckRuleCatalogue, EveryRuleHasAFiringCaseAndADescription) {
  std::set<std::string> fired;
  std::vector<std::string> expected;
  for (const CheckCase& c : LoadCases()) expected.push_back(c.expected);
  for (const BulletCase& c : LoadBulletCases()) expected.push_back(c.expected);
  for (const std::string& e : expected) {
    std::istringstream in(e);
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

// The generated RuleId enum is the catalogue: same ids, same order.
TEST(CheckRuleIds, GeneratedEnumMatchesTheCatalogue) {
  ASSERT_EQ(RuleCatalogue().size(), kRuleIdCount);
  for (size_t i = 0; i < kRuleIdCount; ++i) {
    EXPECT_EQ(RuleCatalogue()[i].id, RuleIdName(static_cast<RuleId>(i)));
    EXPECT_EQ(RuleIdFromName(RuleCatalogue()[i].id), static_cast<RuleId>(i));
  }
  EXPECT_EQ(RuleIdName(RuleId::kPlaceholderNumber), "placeholder-number");
  EXPECT_FALSE(RuleIdFromName("placeholder-numbers").has_value());
}

// Every rule of the catalogue belongs to exactly one entry of the dispatch
// table, so switching a rule off skips the right function.
TEST(CheckRuleDispatch, EveryRuleBelongsToOneCheck) {
  std::map<std::string_view, std::string> owner;
  for (const check_internal::RuleCheck& check : check_internal::RuleChecks()) {
    for (RuleId id : check.rules) {
      auto [it, inserted] = owner.emplace(RuleIdName(id), check.name);
      EXPECT_TRUE(inserted) << RuleIdName(id) << " is in both " << it->second << " and " << check.name;
    }
  }
  for (const Rule& r : RuleCatalogue()) EXPECT_TRUE(owner.count(r.id)) << "no check produces " << r.id;
}

// Each check, run alone on the golden cases, the example report and the
// seed compilation, adds findings only of the rules it declares, and every
// rule of the catalogue is produced by its check on some input.
TEST(CheckRuleDispatch, EachCheckProducesOnlyItsRulesAndEveryRuleIsProduced) {
  std::vector<std::string> inputs;
  for (const CheckCase& c : LoadCases()) inputs.push_back(c.input);
  for (const BulletCase& c : LoadBulletCases()) inputs.push_back(c.input);
  inputs.push_back(testing::ReadBytes(testing::SourceDir() +
                                      "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt"));
  inputs.push_back(testing::ReadBytes(testing::SeedPath()));
  ASSERT_FALSE(inputs.back().empty()) << testing::SeedPath();
  std::set<std::string> produced;
  for (const std::string& input : inputs) {
    SourceText source("case.txt", "UTF-8", input, 0);
    OutlineResult outline = BuildOutline(source);
    FileFacts facts = ExtractFacts(source, outline);
    for (const check_internal::RuleCheck& check : check_internal::RuleChecks()) {
      CheckResult result;
      result.reports.resize(outline.reports.size());
      CheckOptions options;
      check_internal::CheckContext c{source, outline, facts, &result.findings, &result.reports, options, {}};
      check.run(c);
      std::set<std::string> declared;
      for (RuleId id : check.rules) declared.emplace(RuleIdName(id));
      for (const Finding& f : result.findings) {
        EXPECT_TRUE(declared.count(f.rule)) << check.name << " added a finding of " << f.rule
                                            << ", which it does not declare";
        produced.insert(f.rule);
      }
    }
  }
  for (const Rule& r : RuleCatalogue()) EXPECT_TRUE(produced.count(r.id)) << "no check produced " << r.id;
}

// Code names rules by RuleId (generated from data/rules.tsv, so a misspelt id
// does not compile). A rule id written as a string literal would bypass
// that: every lower-case hyphenated literal in the code outside tests and
// comments must be a relation family, and none may be a rule id or look like
// one the catalogue lacks.
TEST(CheckRuleIds, CodeWritesNoRuleIdAsAStringLiteral) {
  const std::set<std::string> kRelationFamilies = {"part-whole", "unit-sum", "rate-ceiling"};
  // HTTP's own words in the server (header names and values, the OpenAPI
  // extension of a route's action) and its default data directory.
  const std::set<std::string> kServerWords = {"content-type",   "x-csrf-token",   "x-action",        "no-cache",
                                              "no-store",       "no-referrer",    "same-origin",     "taizhang-data",
                                              "if-match",       "set-cookie",     "content-length",  "x-forwarded-for",
                                              "reset-password", "accept-encoding"};
  const std::regex kebab_literal("\"([a-z][a-z0-9]*(-[a-z0-9]+)+)\"");
  int files = 0;
  for (const char* dir : {"src", "bench", "fuzz"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::SourceDir() + "/" + dir)) {
      const std::string path = entry.path().string();
      if (!entry.is_regular_file() || path.ends_with("_test.cc") || path.find("_test_util.") != std::string::npos ||
          !(path.ends_with(".cc") || path.ends_with(".h"))) {
        continue;
      }
      ++files;
      std::istringstream in(testing::ReadBytes(path));
      std::string line;
      for (int number = 1; std::getline(in, line); ++number) {
        const size_t comment = line.find("//");
        if (comment != std::string::npos) line.erase(comment);
        for (std::sregex_iterator it(line.begin(), line.end(), kebab_literal), end; it != end; ++it) {
          const std::string literal = (*it)[1].str();
          if (kRelationFamilies.count(literal) || kServerWords.count(literal)) continue;
          if (RuleIdFromName(literal)) {
            ADD_FAILURE() << path << ":" << number << ": rule id \"" << literal << "\" written as a string; use RuleId";
          } else {
            ADD_FAILURE() << path << ":" << number << ": \"" << literal
                          << "\" is no rule of data/rules.tsv (nor a relation family)";
          }
        }
      }
    }
  }
  EXPECT_GT(files, 50);
}

}  // namespace
}  // namespace taizhang
