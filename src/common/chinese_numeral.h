// Chinese numerals: 一 二 … 十 百 千 万 亿, 两, 零/〇, the financial forms
// 壹 贰 叁 … 拾 佰 仟, and digit-by-digit forms such as 二〇二四.
#ifndef TAIZHANG_COMMON_CHINESE_NUMERAL_H_
#define TAIZHANG_COMMON_CHINESE_NUMERAL_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace taizhang {

// Value of a single numeral character: digits 0-9 give 0-9, 十 10, 百 100,
// 千 1000, 万 10^4, 亿 10^8; anything else gives -1.
int64_t ChineseNumeralValue(char32_t cp);

// True for the characters ChineseNumeralValue knows.
inline bool IsChineseNumeral(char32_t cp) { return ChineseNumeralValue(cp) >= 0; }

// Parses a whole string of numeral characters ("十一", "一百零五", "两千",
// "二〇二四", "三万五千"). Returns nullopt for empty input, a character that is
// not a numeral, or a malformed sequence ("十十", "百一千").
std::optional<int64_t> ParseChineseNumber(std::string_view text);

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_CHINESE_NUMERAL_H_
