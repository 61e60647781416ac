#include "common/utf8.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace taizhang::utf8 {

char32_t NextSlow(std::string_view text, size_t* pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t i = *pos;
  const size_t n = text.size();
  const unsigned char c = s[i];
  int len;
  char32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    *pos = i + 1;
    return kInvalid;
  }
  if (i + len > n) {
    *pos = i + 1;
    return kInvalid;
  }
  for (int k = 1; k < len; ++k) {
    unsigned char t = s[i + k];
    if ((t & 0xC0) != 0x80) {
      *pos = i + 1;
      return kInvalid;
    }
    cp = (cp << 6) | (t & 0x3F);
  }
  // Reject overlong forms, surrogates and values past U+10FFFF.
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return kInvalid;
  }
  *pos = i + len;
  return cp;
}

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

// Every byte that is not a continuation byte (10xxxxxx) starts a code
// point; with SSE2, sixteen bytes at a time (Locate runs this over long lines).
size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i mask = _mm_set1_epi8(static_cast<char>(0xC0));
  const __m128i continuation = _mm_set1_epi8(static_cast<char>(0x80));
  const __m128i zero = _mm_setzero_si128();
  size_t continuations = 0;
  while (i + 16 <= text.size()) {
    // Per-lane counters of continuation bytes, summed before they can overflow.
    __m128i lanes = zero;
    for (int k = 0; k < 255 && i + 16 <= text.size(); ++k, i += 16) {
      __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(_mm_and_si128(bytes, mask), continuation));
    }
    __m128i sums = _mm_sad_epu8(lanes, zero);
    continuations += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
                     static_cast<size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
  }
  count = i - continuations;
#endif
  for (; i < text.size(); ++i) count += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
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

int DisplayWidth(char32_t cp) {
  if (cp < 0x80) return 1;  // ASCII is narrow and holds no marks
  const UChar32 c = static_cast<UChar32>(cp);
  const int8_t type = u_charType(c);
  if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) return 0;
  const int width = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return width == U_EA_WIDE || width == U_EA_FULLWIDTH ? 2 : 1;
}

int DisplayWidth(std::string_view text) {
  int columns = 0;
  for (size_t i = 0; i < text.size();) columns += DisplayWidth(Next(text, &i));
  return columns;
}

}  // namespace taizhang::utf8
