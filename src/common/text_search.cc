#include "common/text_search.h"

#include "common/utf8.h"

namespace taizhang {

PhraseCounter::PhraseCounter(std::vector<std::string_view> phrases) : phrases_(std::move(phrases)) {
  for (size_t k = 0; k < phrases_.size(); ++k) {
    if (phrases_[k].empty()) continue;
    size_t i = 0;
    by_first_char_[utf8::Next(phrases_[k], &i)].push_back(k);
  }
}

std::vector<size_t> PhraseCounter::Count(std::string_view text) const {
  std::vector<size_t> counts(phrases_.size(), 0);
  size_t i = 0;
  while (i < text.size()) {
    size_t at = i;
    char32_t cp = utf8::Next(text, &i);
    auto it = by_first_char_.find(cp);
    if (it == by_first_char_.end()) continue;
    for (size_t k : it->second) {
      if (text.compare(at, phrases_[k].size(), phrases_[k]) == 0) ++counts[k];
    }
  }
  return counts;
}

}  // namespace taizhang
