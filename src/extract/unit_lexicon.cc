#include "extract/unit_lexicon.h"

#include <algorithm>

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
  for (const DataRow& row : DataTable("quantity_words.tsv", 3)) {
    words_[row[0]].push_back({row[1], row[2]});
  }
  for (auto& [role, list] : words_) {
    std::stable_sort(list.begin(), list.end(), [](const WordEntry& a, const WordEntry& b) {
      return a.text.size() > b.text.size();
    });
  }
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

const WordEntry* UnitLexicon::MatchWord(std::string_view role, std::string_view text,
                                        size_t pos) const {
  auto it = words_.find(role);
  if (it == words_.end() || pos >= text.size()) return nullptr;
  for (const WordEntry& w : it->second) {
    if (text[pos] == w.text[0] && text.compare(pos, w.text.size(), w.text) == 0) return &w;
  }
  return nullptr;
}

const WordEntry* UnitLexicon::WordEndingAt(std::string_view role, std::string_view text,
                                           size_t floor, size_t pos) const {
  auto it = words_.find(role);
  if (it == words_.end() || pos > text.size()) return nullptr;
  for (const WordEntry& w : it->second) {
    if (pos >= floor + w.text.size() && text.compare(pos - w.text.size(), w.text.size(), w.text) == 0) {
      return &w;
    }
  }
  return nullptr;
}

const std::vector<WordEntry>& UnitLexicon::Words(std::string_view role) const {
  static const std::vector<WordEntry> empty;
  auto it = words_.find(role);
  return it == words_.end() ? empty : it->second;
}

}  // namespace taizhang::extract_internal
