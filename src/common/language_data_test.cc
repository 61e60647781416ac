// The language data in data/ is reviewed text; these tests keep it well-formed.
#include "common/language_data.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace taizhang {
namespace {

// Expected column count and allowed values of the first column per file.
const std::map<std::string, std::pair<size_t, std::set<std::string>>>& Schema() {
  static const std::map<std::string, std::pair<size_t, std::set<std::string>>> schema = {
      {"section_kinds.tsv", {2, {"problems", "highlights", "summary", "plan", "summary_weak"}}},
      {"problem_cues.tsv", {2, {"opener", "problem_word"}}},
      {"report_kinds.tsv", {2, {"government_work_report", "summary", "plan"}}},
      {"unit_kinds.tsv", {4, {}}},
      {"junk_lines.tsv", {2, {"line", "contains", "head", "tail", "label"}}},
      {"heading_fonts.tsv", {2, {"heiti", "kaiti"}}},
      {"outline_words.tsv",
       {3, {"toc_heading", "enumeration", "place_stop", "not_place_before_qu", "salutation",
            "part_title", "appendix_title", "appendix_line", "place_cut", "gwr_cue", "title_label",
            "national_government", "salutation_end"}}},
      {"units.tsv", {4, {}}},
      {"rules.tsv", {5, {}}},
      {"check_words.tsv",
       {3, {"party_after", "capped_rate", "exceeding", "convert", "promo_material", "promo_channel",
            "promo_action", "not_list_count", "list_predicate", "thing_classifier", "text_part",
            "list_joiner", "formula_lead", "letter_term", "self_reference", "elsewhere_lead"}}},
      {"plan_words.tsv",
       {3, {"strength", "action", "milestone", "lead", "frame", "not_action", "context", "principle_end",
            "exhortation", "overview", "targets_lead", "target_word", "state_open", "effect_verb",
            "effect_end", "purpose_open", "ba_verb", "pledge_part"}}},
      {"compare_words.tsv",
       {3, {"target_cue", "addendum", "change", "strip", "ceiling", "in_step", "synonym", "done", "start",
            "progress", "missed", "task_verb", "year_back", "multi_year", "lead", "cumulative", "part",
            "qualifier", "qualifier_span", "flow", "other_indicator",
            "other_indicator_lead", "faster", "flat", "keep_level", "same_unit"}}},
      {"quantity_words.tsv",
       {3, {"approx_suffix", "approx_prefix", "multiplier", "exclude", "not_unit", "rank_context",
            "not_rank_after", "not_approx_prefix", "role", "not_role", "trim_before",
            "trim_after", "measured_stop", "change", "list_lead", "list_unit",
            "compare_scope", "magnitude_prefix", "place_unit", "not_change"}}},
      {"time_words.tsv",
       {3, {"relative_year", "year_part", "year_suffix", "month_part", "quarter_part", "as_of",
            "as_of_end", "now", "since_prefix", "since_suffix", "deadline_suffix", "deadline_verb",
            "deadline_adverb", "not_after_verb", "every_prefix", "every_unit", "recurrence",
            "periodic_unit", "periodic_verb", "one_per_word", "before_chinese_month",
            "not_time"}}},
  };
  return schema;
}

TEST(LanguageData, EveryFileHasASchemaAndParses) {
  ASSERT_GT(kEmbeddedDataFileCount, 0u);
  for (size_t i = 0; i < kEmbeddedDataFileCount; ++i) {
    const EmbeddedFile& file = kEmbeddedDataFiles[i];
    auto it = Schema().find(file.name);
    ASSERT_NE(it, Schema().end()) << "data/" << file.name << " has no schema in this test";
    auto rows = ParseDataTable(file.name, file.content, it->second.first);
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    EXPECT_FALSE(rows->empty()) << file.name;
    std::set<std::string> seen;
    for (const DataRow& row : *rows) {
      if (!it->second.second.empty()) {
        EXPECT_TRUE(it->second.second.count(std::string(row[0])))
            << file.name << ": unknown role " << row[0];
      }
      std::string key;
      for (std::string_view f : row) key += std::string(f) + "\t";
      EXPECT_TRUE(seen.insert(key).second) << file.name << ": duplicate row " << key;
    }
  }
}

TEST(LanguageData, ParserReportsBadRows) {
  auto bad = ParseDataTable("x.tsv", "# comment\na\tb\nc\n", 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("x.tsv 第 3 行"), std::string::npos)
      << bad.status().message();
  auto empty_field = ParseDataTable("y.tsv", "a\t\n", 2);
  EXPECT_FALSE(empty_field.ok());
  auto good = ParseDataTable("z.tsv", "a\tb\r\n\n# c\nd\te", 2);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->size(), 2u);
  EXPECT_EQ((*good)[1][1], "e");
}

TEST(LanguageData, UnitsHaveKnownKindsAndExactFactors) {
  const std::set<std::string> kinds = {"count",  "money",  "percent", "permille", "points",
                                       "ratio",  "length", "area",    "volume",   "weight",
                                       "power",  "voltage", "duration", "age",     "energy"};
  std::set<std::string> surfaces;
  for (const DataRow& row : DataTable("units.tsv", 4)) {
    EXPECT_TRUE(kinds.count(std::string(row[2]))) << row[0] << ": kind " << row[2];
    EXPECT_TRUE(surfaces.insert(std::string(row[0])).second) << "duplicate unit " << row[0];
    EXPECT_EQ(row[3].find_first_not_of("0123456789"), std::string_view::npos) << row[0];
  }
  EXPECT_GT(surfaces.size(), 100u);
}

TEST(LanguageData, UnitKindsHaveWords) {
  for (const DataRow& row : DataTable("unit_kinds.tsv", 4)) {
    EXPECT_FALSE(row[2].empty());
    EXPECT_EQ(row[2].find("  "), std::string_view::npos) << row[0];
    EXPECT_EQ(row[3].find("  "), std::string_view::npos) << row[0];
  }
}

}  // namespace
}  // namespace taizhang
