// The figures of three seed reports against the hand-made labels in
// ../shared/gold/seed-quantities.jsonl: precision >= 0.99 and recall >= 0.98
// on (line, text, value, unit, approximation, placeholder). Every miss and
// every extra is printed. scripts/eval-quantities.py does the same from the
// command line.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>

#include "extract/extract.h"
#include "ingest/ingest.h"
#include "outline/outline.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

using Key = std::tuple<uint32_t, std::string, std::string, std::string, std::string, bool>;

bool InScope(uint32_t line) {
  return (line >= 54 && line <= 94) || (line >= 242 && line <= 268) || (line >= 362 && line <= 406);
}

// Gold values are JSON numbers (1e8, 71.5); nlohmann prints the shortest
// form that reads back the same, which is the decimal the labeller wrote.
std::string GoldValue(const nlohmann::json& v) {
  if (v.is_null()) return "?";
  auto d = Decimal::Parse(v.dump());
  return d ? d->ToString() : v.dump();
}

TEST(SeedQuantities, PrecisionAndRecallAgainstGold) {
  std::map<Key, int> gold, found;
  std::istringstream in(testing::ReadBytes(testing::SharedDir() + "/gold/seed-quantities.jsonl"));
  std::string row;
  while (std::getline(in, row)) {
    if (row.empty()) continue;
    auto g = nlohmann::json::parse(row);
    ++gold[Key{g["line"].get<uint32_t>(), g["text"].get<std::string>(), GoldValue(g["value"]),
               g["unit"].get<std::string>(), g["approx"].get<std::string>(),
               g["placeholder"].get<bool>()}];
  }
  ASSERT_EQ(gold.size() > 200, true);

  auto source = ReadTextFile(testing::SeedPath(), {});
  ASSERT_TRUE(source.ok());
  OutlineResult outline = BuildOutline(*source);
  FileFacts facts = ExtractFacts(*source, outline);
  for (const ReportFacts& r : facts.reports) {
    for (const Quantity& q : r.quantities) {
      if (!InScope(q.line)) continue;
      ++found[Key{q.line, JoinedText(source->text(), q.span), q.value ? q.value->ToString() : "?",
                  q.unit, ApproximationName(q.approx), q.placeholder}];
    }
  }
  int gold_total = 0, found_total = 0, correct = 0;
  for (const auto& [k, n] : gold) gold_total += n;
  for (const auto& [k, n] : found) found_total += n;
  for (const auto& [k, n] : gold) {
    auto it = found.find(k);
    int hit = it == found.end() ? 0 : std::min(n, it->second);
    correct += hit;
    if (hit < n) {
      std::cout << "MISS  line " << std::get<0>(k) << " " << std::get<1>(k) << " = " << std::get<2>(k)
                << " " << std::get<3>(k) << " " << std::get<4>(k) << "\n";
    }
  }
  for (const auto& [k, n] : found) {
    auto it = gold.find(k);
    if (it == gold.end() || it->second < n) {
      std::cout << "EXTRA line " << std::get<0>(k) << " " << std::get<1>(k) << " = " << std::get<2>(k)
                << " " << std::get<3>(k) << " " << std::get<4>(k) << "\n";
    }
  }
  double precision = static_cast<double>(correct) / std::max(1, found_total);
  double recall = static_cast<double>(correct) / std::max(1, gold_total);
  std::cout << "gold " << gold_total << " found " << found_total << " correct " << correct
            << " precision " << precision << " recall " << recall << "\n";
  EXPECT_GE(precision, 0.99);
  EXPECT_GE(recall, 0.98);
}

}  // namespace
}  // namespace taizhang
