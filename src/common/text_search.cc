#include "common/text_search.h"

#include <algorithm>

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

TermMatcher::TermMatcher(const std::vector<std::string_view>& terms) {
  lengths_.reserve(terms.size());
  for (std::string_view t : terms) {
    lengths_.push_back(static_cast<uint32_t>(t.size()));
    for (char ch : t) {
      uint8_t& c = class_of_[static_cast<unsigned char>(ch)];
      if (c == 0) c = static_cast<uint8_t>(classes_++);
    }
  }
  // classes_ ≤ 256: every byte value has its own class at most, plus the shared one.
  // The trie: goto_[state * classes_ + class], 0 = none (the root is never a target).
  std::vector<uint32_t> go(classes_, 0);
  std::vector<std::vector<uint32_t>> own(1);  // terms ending at each state
  for (uint32_t k = 0; k < terms.size(); ++k) {
    if (terms[k].empty()) continue;
    uint32_t s = 0;
    for (char ch : terms[k]) {
      uint32_t& t = go[s * classes_ + class_of_[static_cast<unsigned char>(ch)]];
      if (t == 0) {
        t = static_cast<uint32_t>(own.size());
        own.emplace_back();
        go.resize(go.size() + classes_, 0);
      }
      s = go[s * classes_ + class_of_[static_cast<unsigned char>(ch)]];
    }
    own[s].push_back(k);
  }
  const uint32_t states = static_cast<uint32_t>(own.size());
  // Breadth first: each state's failure (the longest proper suffix that is
  // a trie state) is known before the states below it; the full table
  // falls back along it.
  next_.assign(static_cast<size_t>(states) * classes_, 0);
  std::vector<uint32_t> fail(states, 0), order;
  order.reserve(states);
  for (uint32_t c = 0; c < classes_; ++c) {
    uint32_t t = go[c];
    next_[c] = t;
    if (t != 0) order.push_back(t);
  }
  for (size_t q = 0; q < order.size(); ++q) {
    const uint32_t s = order[q];
    for (uint32_t c = 0; c < classes_; ++c) {
      uint32_t t = go[s * classes_ + c];
      if (t != 0) {
        fail[t] = next_[fail[s] * classes_ + c];
        next_[s * classes_ + c] = t;
        order.push_back(t);
      } else {
        next_[s * classes_ + c] = next_[fail[s] * classes_ + c];
      }
    }
  }
  // A state's terms: its own, then those of its failure (shorter suffixes),
  // so that terms ending at the same byte come longest first.
  std::vector<std::vector<uint32_t>> all(states);
  for (uint32_t s : order) {
    all[s] = own[s];
    std::sort(all[s].begin(), all[s].end());
    all[s].insert(all[s].end(), all[fail[s]].begin(), all[fail[s]].end());
  }
  out_begin_.assign(states + 1, 0);
  for (uint32_t s = 0; s < states; ++s) {
    out_begin_[s] = static_cast<uint32_t>(out_.size());
    out_.insert(out_.end(), all[s].begin(), all[s].end());
  }
  out_begin_[states] = static_cast<uint32_t>(out_.size());
  for (uint32_t& t : next_) t = t * classes_ | (all[t].empty() ? 0 : kHasTerms);
}

}  // namespace taizhang
