// Substring search over UTF-8 text.
//
// std::string_view::find looks for the first byte with memchr and compares
// the rest; in Chinese text the first byte of a character (E4–E9) recurs
// every few bytes, so that degrades badly. glibc's memmem (two-way with a
// pair-of-bytes filter) does not.
#ifndef TAIZHANG_COMMON_TEXT_SEARCH_H_
#define TAIZHANG_COMMON_TEXT_SEARCH_H_

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace taizhang {

// Offset of the first occurrence of `needle` in `haystack` at or after `from`,
// or npos. An empty needle is found at `from`.
//
// A needle of up to 16 bytes (a word, a mark) is searched by its first and
// last bytes, sixteen positions at a time with SSE2, the bytes between
// compared only where both match: for a Han character (three bytes) that is
// the character itself. memmem would first build its table of shifts, which
// costs more than reading a clause, and on a whole report (the letter D,
// 、-lists) stops at every pair of its two-byte hash that recurs in Chinese
// text. Longer needles in long texts go to memmem.
inline size_t FindText(std::string_view haystack, std::string_view needle, size_t from = 0) {
  if (from > haystack.size()) return std::string_view::npos;
  if (needle.empty()) return from;
  if (needle.size() >= 2 && (needle.size() <= 16 || haystack.size() - from <= 256)) {
    if (haystack.size() - from < needle.size()) return std::string_view::npos;
    const char* h = haystack.data();
    const char* n = needle.data();
    const size_t tail = needle.size() - 1;
    // The bytes between the first and the last, compared in line.
    auto middle_matches = [&](size_t i) {
      for (size_t k = 1; k < tail; ++k) {
        if (h[i + k] != n[k]) return false;
      }
      return true;
    };
    const size_t last = haystack.size() - needle.size();
    size_t i = from;
#if defined(__SSE2__)
    // Sixteen candidate positions at a time: where the first and last bytes match.
    const __m128i first = _mm_set1_epi8(n[0]), ending = _mm_set1_epi8(n[tail]);
    for (; i + 15 <= last; i += 16) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i + tail));
      for (unsigned mask = static_cast<unsigned>(
               _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, ending))));
           mask != 0; mask &= mask - 1) {
        const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
        if (middle_matches(at)) return at;
      }
    }
#endif
    for (; i <= last; ++i) {
      if (h[i] == n[0] && h[i + tail] == n[tail] && middle_matches(i)) return i;
    }
    return std::string_view::npos;
  }
  const void* hit = ::memmem(haystack.data() + from, haystack.size() - from, needle.data(),
                             needle.size());
  return hit ? static_cast<const char*>(hit) - haystack.data() : std::string_view::npos;
}

// Offset of the first byte of text[from, end) equal to one of `bytes`, or
// `end`. Sixteen bytes at a time with SSE2: the byte loops of the checks look
// for a few lead bytes (E2 E3 EF, ASCII marks) and pass everything else, most
// of it Han characters, without decoding; none of the bytes looked for is a
// continuation byte, so a byte found is where a character starts, as when the
// loop steps over whole characters.
template <size_t N>
inline size_t FindAnyByte(std::string_view text, size_t from, size_t end,
                          const std::array<unsigned char, N>& bytes) {
  static_assert(N >= 1 && N <= 8);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = from;
#if defined(__SSE2__)
  __m128i wanted[N];
  for (size_t k = 0; k < N; ++k) wanted[k] = _mm_set1_epi8(static_cast<char>(bytes[k]));
  for (; i + 16 <= end; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    __m128i hit = _mm_cmpeq_epi8(v, wanted[0]);
    for (size_t k = 1; k < N; ++k) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, wanted[k]));
    if (const int mask = _mm_movemask_epi8(hit)) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < end; ++i) {
    for (size_t k = 0; k < N; ++k) {
      if (s[i] == bytes[k]) return i;
    }
  }
  return end;
}

// Offset of the first ASCII digit 0–9 in text[from, end), or `end`; sixteen
// bytes at a time with SSE2.
inline size_t FindAsciiDigit(std::string_view text, size_t from, size_t end) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = from;
#if defined(__SSE2__)
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9);
  for (; i + 16 <= end; i += 16) {
    const __m128i v = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i)), zero);
    // v - '0' as an unsigned byte is at most 9 exactly for the digits.
    const __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(v, nine), v);
    if (const int mask = _mm_movemask_epi8(digit)) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < end; ++i) {
    if (s[i] >= '0' && s[i] <= '9') return i;
  }
  return end;
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

// Finds every occurrence of many terms in one pass over a text: an
// Aho–Corasick automaton over bytes, built once. Each byte of the text costs
// one table lookup, however many terms there are (looping a term list with
// FindText reads the text once per term). Bytes that occur in no term share
// one column of the table, which keeps it small. Terms are matched as bytes,
// exactly as FindText would find them; occurrences may overlap.
class TermMatcher {
 public:
  TermMatcher() = default;
  explicit TermMatcher(const std::vector<std::string_view>& terms);

  // Calls on_hit(term, end) for each occurrence of terms[term] in `text`,
  // ending at byte offset `end` (one past its last byte), in order of `end`
  // (terms ending at the same byte: longest first). Stops when on_hit
  // returns false.
  template <typename OnHit>
  void Scan(std::string_view text, OnHit&& on_hit) const {
    if (next_.empty()) return;
    const uint32_t* next = next_.data();
    uint32_t cell = 0;  // the state's row in next_, with kHasTerms
    for (size_t i = 0; i < text.size(); ++i) {
      cell = next[(cell & ~kHasTerms) + class_of_[static_cast<unsigned char>(text[i])]];
      if ((cell & kHasTerms) == 0) continue;
      const uint32_t state = (cell & ~kHasTerms) / classes_;
      for (uint32_t k = out_begin_[state]; k < out_begin_[state + 1]; ++k) {
        if (!on_hit(out_[k], i + 1)) return;
      }
    }
  }
  // Whether any term occurs in `text`.
  bool ContainsAny(std::string_view text) const {
    bool found = false;
    Scan(text, [&](uint32_t, size_t) { return !(found = true); });
    return found;
  }
  size_t size() const { return lengths_.size(); }
  // The byte length of terms[term].
  uint32_t length(uint32_t term) const { return lengths_[term]; }

 private:
  std::array<uint8_t, 256> class_of_{};  // 0: a byte of no term
  uint32_t classes_ = 1;
  // next_[state * classes_ + class]: the state after a byte, as its row
  // (state * classes_), with kHasTerms when terms end there.
  static constexpr uint32_t kHasTerms = 1u << 31;
  std::vector<uint32_t> next_;
  std::vector<uint32_t> out_begin_;  // the terms ending at a state: out_[out_begin_[s], out_begin_[s + 1])
  std::vector<uint32_t> out_;
  std::vector<uint32_t> lengths_;
};

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_TEXT_SEARCH_H_
