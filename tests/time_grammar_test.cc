// Golden cases of the time grammar (tests/golden/time/cases.tsv): each input
// sentence, the years it is read with, and the time expressions it must yield;
// plus a run over the seed report and over scrambled bytes.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "common/language_data.h"
#include "extract/extract.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

struct TimeCase {
  int line = 0;
  TimeContext context;
  std::string input;
  std::string expected;
};

void PrintTo(const TimeCase& c, std::ostream* os) { *os << "line " << c.line << ": " << c.input; }

// Lines: context_year <TAB> report_year <TAB> input <TAB> expected.
std::vector<TimeCase> LoadCases() {
  std::vector<TimeCase> cases;
  for (const testing::GoldenRow& row : testing::ReadGoldenTsv("time/cases.tsv")) {
    const int number = row.line;
    const std::vector<std::string>& fields = row.fields;
    if (fields.size() != 4) {
      ADD_FAILURE() << "cases.tsv line " << number << ": expected 4 fields, got " << fields.size();
      continue;
    }
    TimeCase c;
    c.line = number;
    c.context.year = std::stoi(fields[0]);
    c.context.report_year = std::stoi(fields[1]);
    c.input = fields[2];
    c.expected = fields[3];
    cases.push_back(c);
  }
  return cases;
}

std::string Render(const SourceText& source, const std::vector<TimeExpr>& times) {
  if (times.empty()) return "-";
  std::string out;
  for (const TimeExpr& t : times) {
    if (!out.empty()) out += " ; ";
    out += std::string(t.span.In(source.text())) + "|" + TimeKindName(t.kind) + "|" + t.begin +
           "|" + t.end + "|" + t.every;
    if (t.year_inferred) out += "|inferred";
  }
  return out;
}

class TimeGrammar : public ::testing::TestWithParam<TimeCase> {};

TEST_P(TimeGrammar, Case) {
  const TimeCase& c = GetParam();
  SourceText source("case", "UTF-8", c.input, 0);
  std::vector<TimeExpr> times;
  ExtractTimes(source, Span{0, static_cast<uint32_t>(c.input.size())}, c.context, &times);
  EXPECT_EQ(Render(source, times), c.expected) << "cases.tsv line " << c.line << ": " << c.input;
}

INSTANTIATE_TEST_SUITE_P(TimeGrammarCases, TimeGrammar, ::testing::ValuesIn(LoadCases()));

TEST(TimeGrammarFile, HasManyCases) { EXPECT_GE(LoadCases().size(), 150u); }

// Only the sentence's bytes are read: a span inside a longer text yields the
// same expressions, at offsets into the whole text, located by line.
TEST(TimeGrammarSpan, StaysInsideTheSpan) {
  std::string text = "截至10月底\n今年以来，每月调度。2024年底前\n";
  SourceText source("span", "UTF-8", text, 0);
  uint32_t begin = static_cast<uint32_t>(text.find("今年"));
  uint32_t end = static_cast<uint32_t>(text.find("2024"));
  std::vector<TimeExpr> times;
  ExtractTimes(source, Span{begin, end}, TimeContext{2023, 2023}, &times);
  ASSERT_EQ(times.size(), 2u);
  EXPECT_EQ(times[0].span.In(text), "今年以来");
  EXPECT_EQ(times[0].line, 2u);
  EXPECT_EQ(times[0].column, 1u);
  EXPECT_EQ(times[1].span.In(text), "每月");
  EXPECT_EQ(times[1].column, 6u);
  // A span that cuts 2024年 after its digits sees no year.
  times.clear();
  ExtractTimes(source, Span{end, end + 4}, TimeContext{2023, 2023}, &times);
  EXPECT_TRUE(times.empty());
}

// Every value in data/time_words.tsv has the form its role needs.
TEST(TimeGrammarData, ValuesAreWellFormed) {
  auto is_month_day = [](std::string_view v) {  // MM-DD..MM-DD, in order
    if (v.size() != 12 || v.substr(2, 1) != "-" || v.substr(5, 2) != ".." ||
        v.substr(9, 1) != "-") {
      return false;
    }
    auto number = [&](size_t at) { return (v[at] - '0') * 10 + (v[at + 1] - '0'); };
    int m1 = number(0), d1 = number(3), m2 = number(7), d2 = number(10);
    return m1 >= 1 && m1 <= 12 && m2 >= 1 && m2 <= 12 && d1 >= 1 && d1 <= 31 && d2 >= 1 &&
           d2 <= 31 && m1 * 100 + d1 <= m2 * 100 + d2;
  };
  auto is_duration = [](std::string_view v) {  // 1D 10D 1W 1M 3M 6M 1Y
    return v.size() >= 2 && v.find_first_not_of("0123456789") == v.size() - 1 &&
           std::string_view("DWMY").find(v.back()) != std::string_view::npos;
  };
  std::map<std::string, int> per_role;
  for (const DataRow& row : DataTable("time_words.tsv", 3)) {
    std::string role(row[0]);
    std::string_view v = row[2];
    ++per_role[role];
    if (role == "year_part" || role == "year_suffix") {
      EXPECT_TRUE(is_month_day(v)) << row[1] << " " << v;
    } else if (role == "every_unit" || role == "recurrence" || role == "periodic_unit") {
      EXPECT_TRUE(is_duration(v)) << row[1] << " " << v;
    } else if (role == "relative_year") {
      EXPECT_TRUE(v == "0" || v == "1" || v == "2" || v == "-1" || v == "-2") << row[1];
    } else if (role == "as_of") {
      EXPECT_TRUE(v == "strong" || v == "weak") << row[1];
    } else if (role == "now") {
      EXPECT_TRUE(v == "alone" || v == "after_as_of") << row[1];
    } else if (role == "since_prefix") {
      EXPECT_TRUE(v == "alone" || v == "needs_suffix") << row[1];
    } else if (role == "since_suffix") {
      EXPECT_TRUE(v == "alone" || v == "needs_prefix") << row[1];
    }
  }
  for (const char* role : {"relative_year", "year_part", "month_part", "as_of", "deadline_verb",
                           "every_unit", "periodic_verb", "not_time"}) {
    EXPECT_GT(per_role[role], 0) << role;
  }
}

// The seed report, one span per line: spans in order, inside their line, not
// overlapping; dates well ordered; and about as many as a reader finds.
TEST(TimeGrammarSeed, PlausibleOverTheSeed) {
  std::string bytes = testing::ReadBytes(testing::SeedPath());
  ASSERT_FALSE(bytes.empty()) << testing::SeedPath();
  SourceText source("seed", "UTF-8", bytes, 0);
  std::map<TimeKind, int> count;
  int as_of_words = 0;  // 截至/截止 in the text, each of which opens an as-of
  int as_of_opened = 0;
  for (size_t at = 0; (at = bytes.find("截", at)) != std::string::npos; at += 3) {
    as_of_words += bytes.compare(at, 6, "截至") == 0 || bytes.compare(at, 6, "截止") == 0;
  }
  for (uint32_t n = 1; n <= source.line_count(); ++n) {
    Span line{source.LineBegin(n), source.LineEnd(n)};
    std::vector<TimeExpr> times;
    ExtractTimes(source, line, TimeContext{2023, 2023}, &times);
    uint32_t last_end = line.begin;
    for (const TimeExpr& t : times) {
      EXPECT_GE(t.span.begin, last_end) << "line " << n;
      EXPECT_LT(t.span.begin, t.span.end) << "line " << n;
      EXPECT_LE(t.span.end, line.end) << "line " << n;
      EXPECT_EQ(t.line, n);
      if (!t.begin.empty() && !t.end.empty()) {
        EXPECT_LE(t.begin, t.end) << "line " << n;
      }
      EXPECT_EQ(t.kind == TimeKind::kRecurrence, !t.every.empty()) << "line " << n;
      last_end = t.span.end;
      ++count[t.kind];
      std::string_view text = t.span.In(source.text());
      as_of_opened +=
          t.kind == TimeKind::kAsOf && (text.starts_with("截至") || text.starts_with("截止"));
    }
  }
  // Measured on the seed (2023 report, every line read as 2023): 87 as-of
  // (all 50 截至/截止 among them), 33 since, 23 deadlines, 36 recurrences,
  // 283 dates and periods, 462 in all. The bounds leave room for deliberate
  // changes, not for losing or flooding a whole family.
  EXPECT_EQ(as_of_opened, as_of_words);
  EXPECT_GE(count[TimeKind::kAsOf], 80);
  EXPECT_GE(count[TimeKind::kSince], 30);
  EXPECT_GE(count[TimeKind::kDeadline], 18);
  EXPECT_GE(count[TimeKind::kRecurrence], 32);
  EXPECT_GE(count[TimeKind::kPeriod] + count[TimeKind::kDate], 250);
  int total = 0;
  for (const auto& [kind, n] : count) total += n;
  EXPECT_LE(total, 520);
}

// Scrambled and truncated input (cut code points, stray continuation bytes,
// time words at the very end) never reads outside the span; run under ASan.
TEST(TimeGrammarRobust, ArbitraryBytes) {
  const std::vector<std::string> pieces = {
      "截至",     "2023", "年",     "月",   "日", "底",   "前",   "以来", "每",
      "一",       "季度", "第",     "前",   "至", "到",   "－",   "—",    "１",
      "二〇二三", "十",   "上半年", "年底", "周", "调度", "目前", "\xE5", "\xE5\xB9",
      "\xFF",     "\x80", " ",      "，",   "9",  "12",   "31",   "2"};
  std::mt19937 rng(20231029);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    int n = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
    SourceText source("fuzz", "UTF-8", text, 0);
    uint32_t size = static_cast<uint32_t>(text.size());
    uint32_t a = static_cast<uint32_t>(rng() % (size + 1));
    uint32_t b = a + static_cast<uint32_t>(rng() % (size - a + 1));
    for (Span span : {Span{0, size}, Span{a, b}}) {
      std::vector<TimeExpr> times;
      ExtractTimes(source, span, TimeContext{2024, 2023}, &times);
      uint32_t last_end = span.begin;
      for (const TimeExpr& t : times) {
        ASSERT_GE(t.span.begin, last_end) << text;
        ASSERT_LT(t.span.begin, t.span.end) << text;
        ASSERT_LE(t.span.end, span.end) << text;
        last_end = t.span.end;
      }
    }
  }
}

}  // namespace
}  // namespace taizhang

namespace taizhang {
namespace {

// In a summary section a time before a completion verb says when something
// was done; in a plan it is a deadline. 年底前 is a deadline in both.
TEST(TimeGrammarContext, RetrospectiveTextHasNoVerbDeadlines) {
  const std::string text = "2023年上半年完成项目8个，年底前完成验收";
  SourceText source("case", "UTF-8", text, 0);
  const Span all{0, static_cast<uint32_t>(text.size())};
  std::vector<TimeExpr> plan, summary;
  ExtractTimes(source, all, TimeContext{2023, 2023, false}, &plan);
  ExtractTimes(source, all, TimeContext{2023, 2023, true}, &summary);
  ASSERT_EQ(plan.size(), 2u);
  ASSERT_EQ(summary.size(), 2u);
  EXPECT_EQ(plan[0].kind, TimeKind::kDeadline);
  EXPECT_EQ(summary[0].kind, TimeKind::kPeriod);
  EXPECT_EQ(summary[0].begin, "2023-01-01");
  EXPECT_EQ(summary[0].end, "2023-06-30");
  EXPECT_EQ(plan[1].kind, TimeKind::kDeadline);
  EXPECT_EQ(summary[1].kind, TimeKind::kDeadline);
  EXPECT_EQ(summary[1].end, "2023-12-31");
}

}  // namespace
}  // namespace taizhang
