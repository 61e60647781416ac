#include "common/utf8.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace taizhang::utf8 {

size_t FindInvalid(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
#if defined(__SSE2__)
    // Chinese text is runs of three-byte characters: check four at a time.
    // Bytes 0,3,6,9 must be lead bytes E1–EC or EE–EF (E0 and ED need the
    // finer checks below), bytes between them continuation bytes.
    while (i + 16 <= n) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      const __m128i mask = _mm_setr_epi8(-16, -64, -64, -16, -64, -64, -16, -64, -64, -16, -64,
                                         -64, 0, 0, 0, 0);
      const __m128i want = _mm_setr_epi8(-32, -128, -128, -32, -128, -128, -32, -128, -128, -32,
                                         -128, -128, 0, 0, 0, 0);
      const __m128i leads = _mm_setr_epi8(-1, 0, 0, -1, 0, 0, -1, 0, 0, -1, 0, 0, 0, 0, 0, 0);
      __m128i shape = _mm_cmpeq_epi8(_mm_and_si128(v, mask), want);
      __m128i special = _mm_and_si128(
          _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xE0))),
                       _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xED)))),
          leads);
      if (_mm_movemask_epi8(shape) != 0xFFFF || _mm_movemask_epi8(special) != 0) break;
      i += 12;
    }
    if (i >= n) break;
#endif
    unsigned char b = s[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    // Three-byte sequences (all of CJK) checked inline: continuation bytes,
    // no overlong forms (E0 80..9F), no surrogates (ED A0..BF).
    if ((b & 0xF0) == 0xE0 && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80 && !(b == 0xE0 && s[i + 1] < 0xA0) &&
        !(b == 0xED && s[i + 1] >= 0xA0)) {
      i += 3;
      continue;
    }
    size_t before = i;
    if (Next(text, &i) == kInvalid) {
      // U+FFFD itself is valid when spelled out as EF BF BD.
      if (i - before != 3) return before;
    }
  }
  return n;
}

size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

void Append(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace taizhang::utf8
