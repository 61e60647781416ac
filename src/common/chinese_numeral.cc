#include "common/chinese_numeral.h"

#include <vector>

#include "common/utf8.h"

namespace taizhang {

namespace {

int64_t NumeralValueSlow(char32_t cp) {
  switch (cp) {
    case U'零': case U'〇': case U'○': return 0;
    case U'一': case U'壹': case U'幺': return 1;
    case U'二': case U'两': case U'贰': case U'貳': return 2;
    case U'三': case U'叁': case U'參': return 3;
    case U'四': case U'肆': return 4;
    case U'五': case U'伍': return 5;
    case U'六': case U'陆': case U'陸': return 6;
    case U'七': case U'柒': return 7;
    case U'八': case U'捌': return 8;
    case U'九': case U'玖': return 9;
    case U'十': case U'拾': return 10;
    case U'百': case U'佰': return 100;
    case U'千': case U'仟': return 1000;
    case U'万': case U'萬': return 10000;
    case U'亿': case U'億': return 100000000;
    default: return -1;
  }
}

// Every BMP code point's value, coded in one byte: -1 none, 0-9 digits,
// 10+k for 10^(k+1) (十 百 千 万) and 14 for 亿. Numerals are looked up for
// nearly every character of a report, so this is a table, not a switch.
struct NumeralTable {
  int8_t code[0x10000];
  NumeralTable() {
    for (char32_t cp = 0; cp < 0x10000; ++cp) {
      int64_t v = NumeralValueSlow(cp);
      code[cp] = v < 0 ? -1 : v < 10 ? static_cast<int8_t>(v)
                 : v == 10 ? 10 : v == 100 ? 11 : v == 1000 ? 12 : v == 10000 ? 13 : 14;
    }
  }
};

}  // namespace

int64_t ChineseNumeralValue(char32_t cp) {
  static const NumeralTable* table = new NumeralTable();
  if (cp >= 0x10000) return -1;
  int8_t c = table->code[cp];
  static constexpr int64_t kUnits[] = {10, 100, 1000, 10000, 100000000};
  return c < 10 ? c : kUnits[c - 10];
}

std::optional<int64_t> ParseChineseNumber(std::string_view text) {
  std::vector<int64_t> values;
  for (size_t i = 0; i < text.size();) {
    int64_t v = ChineseNumeralValue(utf8::Next(text, &i));
    if (v < 0) return std::nullopt;
    values.push_back(v);
  }
  if (values.empty()) return std::nullopt;

  bool has_unit = false;
  for (int64_t v : values) has_unit |= v >= 10;
  if (!has_unit) {
    // Digit by digit: 二〇二四 = 2024, 五 = 5.
    if (values.size() > 18) return std::nullopt;
    int64_t n = 0;
    for (int64_t v : values) n = n * 10 + v;
    return n;
  }

  // Positional with units. `section` collects below 万, `total` the rest.
  int64_t total = 0;
  int64_t section = 0;
  int64_t digit = -1;       // pending digit, -1 if none
  int64_t last_small = 10000;  // last unit used inside the section
  int64_t last_big = int64_t{1} << 62;
  for (int64_t v : values) {
    if (v < 10) {
      if (digit >= 0 && v != 0) return std::nullopt;  // "三四" inside a positional number
      digit = v == 0 ? -1 : v;
      continue;
    }
    if (v < 10000) {
      if (v >= last_small) return std::nullopt;  // units must decrease: 百一千
      int64_t d = digit >= 0 ? digit : 1;  // 十一 = 1×10 + 1
      if (digit < 0 && v != 10) return std::nullopt;  // 百 alone needs a digit
      section += d * v;
      last_small = v;
      digit = -1;
    } else {
      if (v >= last_big) return std::nullopt;
      if (digit >= 0) section += digit;
      if (section == 0) return std::nullopt;
      total += section * v;
      section = 0;
      digit = -1;
      last_small = 10000;
      last_big = v;
    }
  }
  if (digit >= 0) section += digit;
  return total + section;
}

}  // namespace taizhang
