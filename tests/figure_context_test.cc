// Golden cases for what the figures stage says around each figure:
// tests/golden/context/figures.tsv (measured phrase, role, change) and
// tests/golden/context/enumerations.tsv (stated counts with their items).
// Each input is one sentence of a report that reviews 2023.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "outline/outline.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

struct ContextCase {
  std::string file;
  int line = 0;
  std::string input;
  std::string expected;
};

void PrintTo(const ContextCase& c, std::ostream* os) { *os << c.file << ":" << c.line << ": " << c.input; }

std::vector<ContextCase> LoadCases(const std::string& file) {
  std::vector<ContextCase> cases;
  for (const testing::GoldenRow& row : testing::ReadGoldenTsv("context/" + file)) {
    if (row.fields.size() != 2) {
      ADD_FAILURE() << file << " line " << row.line << ": expected 2 fields";
      continue;
    }
    cases.push_back({file, row.line, row.fields[0], row.fields[1]});
  }
  return cases;
}

std::string Text(const SourceText& source, Span s) { return s.empty() ? "" : JoinedText(source.text(), s); }

std::string RenderFigures(const SourceText& source, const FileFacts& facts) {
  std::string out;
  for (const ReportFacts& report : facts.reports) {
    for (const Quantity& q : report.quantities) {
      if (!out.empty()) out += " ; ";
      out += Text(source, q.span) + "|" + Text(source, q.measured) + "|" + RoleName(q.role) + "|" +
             ChangeName(q.change);
    }
  }
  return out.empty() ? "-" : out;
}

std::string RenderEnumerations(const SourceText& source, const FileFacts& facts) {
  std::string out;
  for (const ReportFacts& report : facts.reports) {
    for (const Enumeration& e : report.enumerations) {
      if (!out.empty()) out += " ; ";
      std::string items;
      for (const Span& s : e.items) items += (items.empty() ? "" : "、") + Text(source, s);
      out += (e.count ? e.count->ToString() : "?") + "|" + items + "|" + (e.open ? "open" : "") + "|" +
             (e.each ? "each" : "");
    }
  }
  return out.empty() ? "-" : out;
}

std::string Extract(const ContextCase& c) {
  SourceText source("case", "UTF-8", c.input, 0);
  // One sentence of a report reviewing 2023.
  Report report;
  Span all{0, static_cast<uint32_t>(c.input.size())};
  report.paragraphs.push_back(Paragraph{all, 1, 1, -1, -1});
  report.sentences.push_back(Sentence{all, 0});
  report.summary_year = 2023;
  FileFacts facts;
  facts.reports.push_back(ExtractReportFacts(source, report));
  return c.file == "figures.tsv" ? RenderFigures(source, facts) : RenderEnumerations(source, facts);
}

class FigureContext : public ::testing::TestWithParam<ContextCase> {};

TEST_P(FigureContext, Case) {
  const ContextCase& c = GetParam();
  std::string actual = Extract(c);
  // TAIZHANG_PRINT_CONTEXT=1 prints every case's output for review; the
  // expected values are written by hand, never copied back automatically.
  if (std::getenv("TAIZHANG_PRINT_CONTEXT")) std::cout << c.input << "\t" << actual << "\n";
  EXPECT_EQ(actual, c.expected) << c.file << " line " << c.line << ": " << c.input;
}

std::vector<ContextCase> AllCases() {
  std::vector<ContextCase> all = LoadCases("figures.tsv");
  for (ContextCase& c : LoadCases("enumerations.tsv")) all.push_back(std::move(c));
  return all;
}

INSTANTIATE_TEST_SUITE_P(Golden, FigureContext, ::testing::ValuesIn(AllCases()));

TEST(FigureContextFiles, HaveEnoughCases) {
  EXPECT_GE(LoadCases("figures.tsv").size(), 40u);
  EXPECT_GE(LoadCases("enumerations.tsv").size(), 15u);
}

}  // namespace
}  // namespace taizhang
