// Substring search over UTF-8 text.
//
// std::string_view::find looks for the first byte with memchr and compares
// the rest; in Chinese text the first byte of a character (E4–E9) recurs
// every few bytes, so that degrades badly. glibc's memmem (two-way with a
// pair-of-bytes filter) does not.
#ifndef TAIZHANG_COMMON_TEXT_SEARCH_H_
#define TAIZHANG_COMMON_TEXT_SEARCH_H_

#include <string.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace taizhang {

// Offset of the first occurrence of `needle` in `haystack` at or after `from`,
// or npos. An empty needle is found at `from`.
inline size_t FindText(std::string_view haystack, std::string_view needle, size_t from = 0) {
  if (from > haystack.size()) return std::string_view::npos;
  if (needle.empty()) return from;
  const void* hit = ::memmem(haystack.data() + from, haystack.size() - from, needle.data(),
                             needle.size());
  return hit ? static_cast<const char*>(hit) - haystack.data() : std::string_view::npos;
}

inline bool ContainsText(std::string_view haystack, std::string_view needle) {
  return FindText(haystack, needle) != std::string_view::npos;
}

// Non-overlapping occurrences of `needle` (non-empty) in `haystack`.
inline size_t CountText(std::string_view haystack, std::string_view needle) {
  size_t count = 0;
  for (size_t pos = FindText(haystack, needle); pos != std::string_view::npos;
       pos = FindText(haystack, needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

// Counts many phrases in one pass over a text: phrases are indexed by their
// first character, and each character of the text is tried against the few
// phrases that start with it. Phrases are UTF-8; occurrences may overlap.
class PhraseCounter {
 public:
  explicit PhraseCounter(std::vector<std::string_view> phrases);
  // counts[k] is the number of occurrences of phrases[k].
  std::vector<size_t> Count(std::string_view text) const;

 private:
  std::vector<std::string_view> phrases_;
  std::unordered_map<char32_t, std::vector<size_t>> by_first_char_;
};

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_TEXT_SEARCH_H_
