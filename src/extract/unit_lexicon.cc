#include "extract/unit_lexicon.h"

#include <algorithm>

#include "common/chinese_numeral.h"
#include "common/language_data.h"
#include "common/utf8.h"

namespace taizhang::extract_internal {

UnitLexicon::UnitLexicon() {
  for (const DataRow& row : DataTable("units.tsv", 4)) {
    auto factor = Decimal::Parse(row[3]);
    units_.push_back({row[0], row[1], row[2], factor ? *factor : Decimal::FromInt(1)});
  }
  for (size_t i = 0; i < units_.size(); ++i) {
    size_t k = 0;
    units_by_first_char_[utf8::Next(units_[i].surface, &k)].push_back(i);
  }
  for (auto& [cp, list] : units_by_first_char_) {
    std::stable_sort(list.begin(), list.end(), [&](size_t a, size_t b) {
      return units_[a].surface.size() > units_[b].surface.size();
    });
  }
  static const std::pair<std::string_view, WordRole> kRoles[] = {
    {"approx_suffix", WordRole::kApproxSuffix},
    {"approx_prefix", WordRole::kApproxPrefix},
    {"multiplier", WordRole::kMultiplier},
    {"exclude", WordRole::kExclude},
    {"not_unit", WordRole::kNotUnit},
    {"rank_context", WordRole::kRankContext},
    {"not_rank_after", WordRole::kNotRankAfter},
    {"not_approx_prefix", WordRole::kNotApproxPrefix},
    {"role", WordRole::kRole},
    {"not_role", WordRole::kNotRole},
    {"trim_before", WordRole::kTrimBefore},
    {"trim_after", WordRole::kTrimAfter},
    {"measured_stop", WordRole::kMeasuredStop},
    {"change", WordRole::kChange},
    {"list_lead", WordRole::kListLead},
    {"list_unit", WordRole::kListUnit},
    {"compare_scope", WordRole::kCompareScope},
    {"magnitude_prefix", WordRole::kMagnitudePrefix},
    {"place_unit", WordRole::kPlaceUnit},
    {"not_change", WordRole::kNotChange},
};
  for (const DataRow& row : DataTable("quantity_words.tsv", 3)) {
    for (const auto& [name, role] : kRoles) {
      if (row[0] == name) sets_[static_cast<size_t>(role)].Add({row[1], row[2]});
    }
  }
  for (WordSet& set : sets_) set.Build();
  // What may follow a Chinese numeral in a quantity.
  auto first_of = [&](std::string_view w) {
    if (w.empty()) return;
    size_t k = 0;
    char32_t cp = utf8::Next(w, &k);
    if (cp < follows_numeral_.size()) follows_numeral_.set(cp);
  };
  for (const UnitEntry& u : units_) first_of(u.surface);
  for (WordRole role : {WordRole::kApproxSuffix, WordRole::kMultiplier}) {
    for (const WordEntry& w : sets_[static_cast<size_t>(role)].words()) first_of(w.text);
  }
  for (char32_t cp = 0; cp < 0x10000; ++cp) {
    if (ChineseNumeralValue(cp) >= 0) follows_numeral_.set(cp);
  }
  for (char32_t cp : {U'分', U'成', U'点', U'几', U'之', U'-', U'－', U'~', U'～', U'—', U'–', U'至', U'到', U'第',
                      U'位', U'名'}) {
    follows_numeral_.set(cp);
  }
}

void WordSet::CodePointIndex::Build(const std::vector<WordEntry>& words, bool by_last) {
  // Code points in order of first appearance, each with its words in the
  // order of `words` (longest first).
  std::vector<char32_t> cps;
  std::unordered_map<char32_t, std::vector<uint32_t>> lists;
  for (uint32_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i].text;
    if (w.empty()) continue;
    size_t k = by_last ? w.size() : 0;
    const char32_t cp = by_last ? utf8::Prev(w, &k) : utf8::Next(w, &k);
    auto [it, added] = lists.try_emplace(cp);
    if (added) cps.push_back(cp);
    it->second.push_back(i);
  }
  keys.clear();
  first.clear();
  count.clear();
  order.clear();
  mask = 0;
  if (cps.empty()) return;
  size_t size = 8;
  while (size < cps.size() * 2) size *= 2;
  keys.assign(size, 0);
  first.assign(size, 0);
  count.assign(size, 0);
  mask = static_cast<uint32_t>(size - 1);
  for (char32_t cp : cps) {
    // NUL would read as an empty slot; no word of the data starts or ends with it.
    if (cp == 0) continue;
    uint32_t slot = (static_cast<uint32_t>(cp) * 0x9E3779B1u) >> 8 & mask;
    while (keys[slot] != 0) slot = (slot + 1) & mask;
    keys[slot] = cp;
    first[slot] = static_cast<uint32_t>(order.size());
    count[slot] = static_cast<uint32_t>(lists[cp].size());
    order.insert(order.end(), lists[cp].begin(), lists[cp].end());
  }
}

void WordSet::Build() {
  std::stable_sort(words_.begin(), words_.end(),
                   [](const WordEntry& a, const WordEntry& b) { return a.text.size() > b.text.size(); });
  by_first_.Build(words_, false);
  by_last_.Build(words_, true);
  first_filter_.reset();
  last_filter_.reset();
  for (const WordEntry& w : words_) {
    if (w.text.empty()) continue;
    size_t k = 0;
    char32_t first = utf8::Next(w.text, &k);
    if (first < kFilterSize) first_filter_.set(first);
    k = w.text.size();
    char32_t last = utf8::Prev(w.text, &k);
    if (last < kFilterSize) last_filter_.set(last);
  }
}

const WordEntry* WordSet::StartingWith(std::string_view text, size_t pos, char32_t cp) const {
  auto [it, end] = by_first_.Find(cp);
  const size_t room = text.size() - pos;
  // Every candidate starts with cp: when text[pos] holds it well formed, its
  // bytes are the candidates' first bytes, and only the rest is compared.
  const size_t same = cp == utf8::kInvalid ? 0 : static_cast<size_t>(utf8::EncodedLength(cp));
  const char* at = text.data() + pos;
  for (; it != end; ++it) {
    const WordEntry& w = words_[*it];
    if (w.text.size() <= room && SameBytes(at + same, w.text.substr(same))) return &w;
  }
  return nullptr;
}

const WordEntry* WordSet::EndingWith(std::string_view text, size_t floor, size_t pos,
                                     char32_t cp) const {
  auto [it, end] = by_last_.Find(cp);
  for (; it != end; ++it) {
    const WordEntry& w = words_[*it];
    if (pos >= floor + w.text.size() && SameBytes(text.data() + pos - w.text.size(), w.text)) return &w;
  }
  return nullptr;
}

const UnitLexicon& UnitLexicon::Get() {
  static const UnitLexicon* lexicon = new UnitLexicon();
  return *lexicon;
}

const UnitEntry* UnitLexicon::MatchUnit(std::string_view text, size_t pos) const {
  if (pos >= text.size()) return nullptr;
  size_t k = pos;
  auto it = units_by_first_char_.find(utf8::Next(text, &k));
  if (it == units_by_first_char_.end()) return nullptr;
  for (size_t i : it->second) {
    if (text.compare(pos, units_[i].surface.size(), units_[i].surface) == 0) return &units_[i];
  }
  return nullptr;
}


}  // namespace taizhang::extract_internal
