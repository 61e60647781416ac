// 责任单位 names as a filter takes them: a unit is named by its own name, by
// the start of it, or by its name without a government's suffix
// (浙江省 for 浙江省人民政府); and the nearest names when none matches.
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/language_data.h"
#include "common/utf8.h"
#include "ledger/ledger.h"

namespace taizhang {

namespace {

// The suffixes that make a place name a government's name: the agency name
// and the name words of the "government" row of data/unit_kinds.tsv,
// longest first (人民政府 before 政府).
const std::vector<std::string_view>& GovernmentSuffixes() {
  static const std::vector<std::string_view> suffixes = [] {
    std::vector<std::string_view> out;
    for (const DataRow& row : DataTable("unit_kinds.tsv", 4)) {
      if (row[0] != "government") continue;
      out.push_back(row[1]);
      std::string_view words = row[2];
      size_t pos = 0;
      while (pos < words.size()) {
        size_t end = words.find(' ', pos);
        if (end == std::string_view::npos) end = words.size();
        if (end > pos) out.push_back(words.substr(pos, end - pos));
        pos = end + 1;
      }
    }
    std::sort(out.begin(), out.end(), [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
    return out;
  }();
  return suffixes;
}

// The place a government's name names: 浙江省人民政府 → 浙江省; other names as
// they are.
std::string_view WithoutGovernmentSuffix(std::string_view name) {
  for (std::string_view suffix : GovernmentSuffixes()) {
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      return name.substr(0, name.size() - suffix.size());
    }
  }
  return name;
}

std::u32string CodePoints(std::string_view text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) out.push_back(utf8::Next(text, &i));
  return out;
}

// 2·|shared| / (|a| + |b|) over the characters of each, counted with
// multiplicity.
double CharacterDice(std::string_view a, std::string_view b) {
  std::u32string x = CodePoints(a), y = CodePoints(b);
  if (x.empty() || y.empty()) return 0;
  std::map<char32_t, int> counts;
  for (char32_t c : x) ++counts[c];
  size_t shared = 0;
  for (char32_t c : y) {
    auto it = counts.find(c);
    if (it != counts.end() && it->second > 0) {
      --it->second;
      ++shared;
    }
  }
  return 2.0 * static_cast<double>(shared) / static_cast<double>(x.size() + y.size());
}

}  // namespace

bool UnitMatches(std::string_view filter, std::string_view unit) {
  if (filter.empty()) return true;
  if (unit.substr(0, filter.size()) == filter) return true;
  std::string_view place = WithoutGovernmentSuffix(filter);
  return !place.empty() && place == WithoutGovernmentSuffix(unit);
}

std::vector<std::string> ClosestUnits(std::string_view name, const std::vector<std::string>& units, size_t count) {
  std::vector<std::pair<double, const std::string*>> scored;
  for (const std::string& unit : units) {
    double score = CharacterDice(name, unit);
    if (score > 0) scored.emplace_back(score, &unit);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < count; ++i) out.push_back(*scored[i].second);
  return out;
}

}  // namespace taizhang
