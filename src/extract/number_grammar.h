// The number grammar (internal to extract/): Arabic, Chinese and mixed
// numerals, placeholders, fractions, ranges.
#ifndef TAIZHANG_EXTRACT_NUMBER_GRAMMAR_H_
#define TAIZHANG_EXTRACT_NUMBER_GRAMMAR_H_

#include <bitset>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/decimal.h"
#include "extract/extract.h"

namespace taizhang::extract_internal {

struct NumberMatch {
  uint32_t end = 0;               // byte offset just past the number
  std::optional<Decimal> value;   // nullopt: placeholder or malformed
  std::optional<Decimal> high;    // range upper end
  bool placeholder = false;
  bool malformed = false;
  bool chinese = false;           // spelled with Chinese numerals
  bool percent_words = false;     // 百分之…: the value is a percentage
  bool fraction = false;          // 三分之一: a ratio without unit
  Approximation approx = Approximation::kExact;
};

// Parses a number starting exactly at text[pos]. Forms: 1,100  1，100  3.5
// ３５  .9 (malformed)  XX X ×× (placeholders)  三千 两 二〇二四 三万五 三四十
// (range) 十几 (range)  三分之一  百分之六十  1-2 1－2 1~2 1至2 (ranges).
// A following multiplier (万 亿) is not part of the number.
std::optional<NumberMatch> MatchNumber(std::string_view text, size_t pos);

// The code points below U+10000 that can start a number in MatchNumber.
const std::bitset<0x10000>& NumberStarts();

// True for code points that can start a number in MatchNumber.
bool CanStartNumberSlow(char32_t cp);
inline bool CanStartNumber(char32_t cp) {
  static const std::bitset<0x10000>& starts = NumberStarts();
  return cp < 0x10000 ? starts[cp] : CanStartNumberSlow(cp);
}

}  // namespace taizhang::extract_internal

#endif  // TAIZHANG_EXTRACT_NUMBER_GRAMMAR_H_
