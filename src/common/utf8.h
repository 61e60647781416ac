// Small UTF-8 helpers shared by every stage.
//
// All text inside taizhang is UTF-8 held in std::string / std::string_view;
// offsets are byte offsets. These helpers never allocate and never throw.
#ifndef TAIZHANG_COMMON_UTF8_H_
#define TAIZHANG_COMMON_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <unicode/uchar.h>

namespace taizhang::utf8 {

inline constexpr char32_t kInvalid = 0xFFFD;

// Decodes the code point starting at text[*pos] and advances *pos past it.
// Invalid or truncated sequences yield kInvalid and advance by one byte, so a
// loop over arbitrary bytes always terminates. Requires *pos < text.size().
// Next past its fast paths (ASCII and the three-byte forms of CJK text):
// the other forms and invalid bytes, out of line so that Next inlines.
char32_t NextSlow(std::string_view text, size_t* pos);
[[gnu::always_inline]] inline char32_t Next(std::string_view text, size_t* pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t i = *pos;
  const unsigned char c = s[i];
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  // Fast path for most Chinese text: three-byte forms whose lead byte
  // (E1–EC, EE–EF) admits neither overlong forms nor surrogates.
  if (c >= 0xE1 && c != 0xED && c <= 0xEF && i + 3 <= text.size()) {
    const unsigned char t1 = s[i + 1], t2 = s[i + 2];
    if ((t1 & 0xC0) == 0x80 && (t2 & 0xC0) == 0x80) {
      *pos = i + 3;
      return (static_cast<char32_t>(c & 0x0F) << 12) | (static_cast<char32_t>(t1 & 0x3F) << 6) |
             static_cast<char32_t>(t2 & 0x3F);
    }
  }
  return NextSlow(text, pos);
}

// Decodes the code point that ends just before text[*pos] and moves *pos to
// its first byte. Requires *pos > 0 and valid UTF-8 before *pos.
inline char32_t Prev(std::string_view text, size_t* pos) {
  size_t i = *pos - 1;
  while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
  size_t p = i;
  char32_t cp = Next(text, &p);
  *pos = i;
  return cp;
}

// Returns the offset of the first invalid byte, or text.size() if the whole
// text is valid UTF-8.
size_t FindInvalid(std::string_view text);

// Number of code points in text. Requires valid UTF-8.
size_t CountCodePoints(std::string_view text);

// Appends the UTF-8 encoding of cp.
void Append(char32_t cp, std::string* out);

// White space inside a line, from Unicode's properties (ICU's u_isblank):
// tab and every space separator (Zs) — the blank, NBSP U+00A0, the EN/EM/…
// spaces U+2000–U+200A, the ideographic space U+3000 that Chinese documents
// indent with — plus a stray BOM U+FEFF, which Word and web pages leave
// inside text. ASCII is answered without a call (same answer, checked by
// utf8_test against ICU for every code point).
inline bool IsInlineSpace(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || cp == '\t';
  // Past the ideographic space U+3000 Unicode has no space but the BOM: Han
  // characters are answered without a call either (the same test holds it).
  if (cp > 0x3000) return cp == 0xFEFF;
  return u_isblank(static_cast<UChar32>(cp));
}

// Any white space: inline space and the line breaks (LF, CR, VT, FF, NEL,
// U+2028, U+2029): Unicode's White_Space property (u_isUWhiteSpace), plus a
// stray BOM.
inline bool IsWhiteSpace(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  if (cp > 0x3000) return cp == 0xFEFF;
  return u_isUWhiteSpace(static_cast<UChar32>(cp));
}

// Columns a code point takes on a terminal (or in a spreadsheet cell), from
// Unicode's East Asian Width property (ICU): wide (W) and fullwidth (F) —
// Han characters, kana, Hangul, full-width forms, the ideographic space —
// take two; combining marks (Mn, Me) take none; the rest one.
int DisplayWidth(char32_t cp);
// Columns of UTF-8 text: the sum over its code points (no line breaks in it).
int DisplayWidth(std::string_view text);

// Byte length of the UTF-8 encoding of cp.
inline int EncodedLength(char32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

}  // namespace taizhang::utf8

#endif  // TAIZHANG_COMMON_UTF8_H_
