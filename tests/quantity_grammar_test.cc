// Golden cases of the number grammar (tests/golden/quantities/cases.tsv):
// each input sentence and the quantities it must yield.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

struct GrammarCase {
  int line = 0;
  std::string input;
  std::string expected;
};

void PrintTo(const GrammarCase& c, std::ostream* os) { *os << "line " << c.line << ": " << c.input; }

std::vector<GrammarCase> LoadCases() {
  std::vector<GrammarCase> cases;
  for (const testing::GoldenRow& row : testing::ReadGoldenTsv("quantities/cases.tsv")) {
    if (row.fields.size() != 2) {
      ADD_FAILURE() << "cases.tsv line " << row.line << ": expected 2 fields";
      continue;
    }
    cases.push_back({row.line, row.fields[0], row.fields[1]});
  }
  return cases;
}

std::string Render(const SourceText& source, const std::vector<Quantity>& quantities) {
  if (quantities.empty()) return "-";
  std::string out;
  for (const Quantity& q : quantities) {
    if (!out.empty()) out += " ; ";
    std::string value = q.value ? q.value->ToString() : "?";
    if (q.high) {
      value += '~';
      value += q.high->ToString();
    }
    out += JoinedText(source.text(), q.span) + "|" + value + "|" + q.unit + "|" + q.kind + "|" +
           ApproximationName(q.approx);
    if (q.placeholder) out += "|placeholder";
    if (q.malformed) out += "|malformed";
  }
  return out;
}

class QuantityGrammar : public ::testing::TestWithParam<GrammarCase> {};

TEST_P(QuantityGrammar, Case) {
  const GrammarCase& c = GetParam();
  SourceText source("case", "UTF-8", c.input, 0);
  std::vector<Quantity> quantities;
  ExtractQuantities(source, Span{0, static_cast<uint32_t>(c.input.size())}, &quantities);
  EXPECT_EQ(Render(source, quantities), c.expected) << "cases.tsv line " << c.line << ": " << c.input;
}

INSTANTIATE_TEST_SUITE_P(Cases, QuantityGrammar, ::testing::ValuesIn(LoadCases()));

TEST(QuantityGrammarFile, HasManyCases) { EXPECT_GE(LoadCases().size(), 120u); }

}  // namespace
}  // namespace taizhang
