// Word numbering formats (w:numFmt) and level text templates (w:lvlText).
#include "ingest/word_numbering.h"

#include <string>
#include <string_view>

#include "common/utf8.h"

namespace taizhang::ingest_internal {

namespace {

enum class NumberFormat {
  kDecimal,
  kDecimalZero,
  kUpperLetter,
  kLowerLetter,
  kUpperRoman,
  kLowerRoman,
  kChineseCounting,
  kChineseCountingThousand,
  kIdeographDigital,
  kChineseLegalSimplified,
  kDecimalEnclosedCircle,
  kDecimalFullWidth,
  kIdeographTraditional,
  kNone,
};

struct FormatName {
  std::string_view name;
  NumberFormat format;
};

// The w:val strings, spelled as in ECMA-376 §17.18.59 (case-sensitive, like
// Word). "bullet" renders as nothing: the caller shows w:lvlText itself.
constexpr FormatName kFormatNames[] = {
    {"decimal", NumberFormat::kDecimal},
    {"decimalZero", NumberFormat::kDecimalZero},
    {"upperLetter", NumberFormat::kUpperLetter},
    {"lowerLetter", NumberFormat::kLowerLetter},
    {"upperRoman", NumberFormat::kUpperRoman},
    {"lowerRoman", NumberFormat::kLowerRoman},
    {"chineseCounting", NumberFormat::kChineseCounting},
    {"chineseCountingThousand", NumberFormat::kChineseCountingThousand},
    {"ideographDigital", NumberFormat::kIdeographDigital},
    // What LibreOffice writes for Chinese numbering it converts from .doc;
    // Word shows the same characters up to 9999.
    {"taiwaneseCounting", NumberFormat::kChineseCounting},
    {"taiwaneseCountingThousand", NumberFormat::kChineseCountingThousand},
    {"taiwaneseDigital", NumberFormat::kIdeographDigital},
    {"decimalHalfWidth", NumberFormat::kDecimal},
    {"chineseLegalSimplified", NumberFormat::kChineseLegalSimplified},
    {"decimalEnclosedCircle", NumberFormat::kDecimalEnclosedCircle},
    {"decimalEnclosedCircleChinese", NumberFormat::kDecimalEnclosedCircle},
    {"decimalFullWidth", NumberFormat::kDecimalFullWidth},
    {"ideographTraditional", NumberFormat::kIdeographTraditional},
    {"none", NumberFormat::kNone},
    {"bullet", NumberFormat::kNone},
};

NumberFormat LookUpFormat(std::string_view name) {
  for (const FormatName& entry : kFormatNames) {
    if (entry.name == name) return entry.format;
  }
  return NumberFormat::kDecimal;
}

// 1 → A, 26 → Z, 27 → AA, 28 → BB, 53 → AAA: Word repeats one letter rather
// than counting in base 26 like a spreadsheet column.
std::string Letters(int value, char first) {
  const int letter = (value - 1) % 26;
  const int repeat = (value - 1) / 26 + 1;
  return std::string(repeat, static_cast<char>(first + letter));
}

// Thousands beyond MMM are written as further M's (4000 → MMMM).
std::string Roman(int value, bool lower) {
  struct Numeral {
    int value;
    const char* upper;
    const char* lower;
  };
  static constexpr Numeral kNumerals[] = {
      {1000, "M", "m"}, {900, "CM", "cm"}, {500, "D", "d"},  {400, "CD", "cd"}, {100, "C", "c"},
      {90, "XC", "xc"}, {50, "L", "l"},    {40, "XL", "xl"}, {10, "X", "x"},    {9, "IX", "ix"},
      {5, "V", "v"},    {4, "IV", "iv"},   {1, "I", "i"},
  };
  std::string out;
  for (const Numeral& numeral : kNumerals) {
    while (value >= numeral.value) {
      out += lower ? numeral.lower : numeral.upper;
      value -= numeral.value;
    }
  }
  return out;
}

// The characters of one Chinese counting style.
struct ChineseStyle {
  const char* digits[10];  // digits[0] is the zero written between digits
  const char* tens;        // 十 or 拾
  const char* hundreds;    // 百 or 佰
  const char* thousands;   // 千 or 仟
  const char* zero_value;  // the whole text for the value 0
  // 10–19 at the head of the number lose the 一: 十一, 十万 (not 一十一).
  bool drop_leading_one_ten;
};

constexpr ChineseStyle kChineseCounting = {
    {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}, "十", "百", "千", "〇", true};

constexpr ChineseStyle kChineseLegalSimplified = {
    {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}, "拾", "佰", "仟", "零", false};

// Groups of four digits with 万 and 亿; one 零 stands for any run of zeros
// followed by a non-zero digit, except a run that ends a group whose unit is
// written (十万一千, but 一亿零一千, 一千零一十).
std::string ChineseNumber(int value, const ChineseStyle& style) {
  if (value == 0) return style.zero_value;
  static constexpr const char* kGroupUnits[] = {"", "万", "亿"};
  const char* const place_units[] = {"", style.tens, style.hundreds, style.thousands};
  const std::string digits = std::to_string(value);
  const int length = static_cast<int>(digits.size());
  std::string out;
  bool pending_zero = false;
  bool group_has_digit = false;
  for (int i = 0; i < length; ++i) {
    const int digit = digits[i] - '0';
    const int position = length - 1 - i;  // power of ten
    const int place = position % 4;
    if (digit == 0) {
      pending_zero = true;
    } else {
      if (pending_zero) out += style.digits[0];
      pending_zero = false;
      const bool drop_one = style.drop_leading_one_ten && i == 0 && digit == 1 && place == 1;
      if (!drop_one) out += style.digits[digit];
      out += place_units[place];
      group_has_digit = true;
    }
    if (place == 0 && position > 0) {
      if (group_has_digit) {
        out += kGroupUnits[position / 4];
        pending_zero = false;
      }
      group_has_digit = false;
    }
  }
  return out;
}

// 2024 → 二〇二四.
std::string IdeographDigits(int value) {
  static constexpr const char* kDigits[] = {"〇", "一", "二", "三", "四",
                                            "五", "六", "七", "八", "九"};
  std::string out;
  for (char c : std::to_string(value)) out += kDigits[c - '0'];
  return out;
}

std::string FullWidthDigits(int value) {
  std::string out;
  for (char c : std::to_string(value)) utf8::Append(U'\uFF10' + (c - '0'), &out);
  return out;
}

// ① … ⑳ (U+2460–U+2473); Word has no circled numbers past 20.
std::string EnclosedCircle(int value) {
  if (value < 1 || value > 20) return std::to_string(value);
  std::string out;
  utf8::Append(U'\u2460' + (value - 1), &out);
  return out;
}

// The ten heavenly stems; Word counts no further than 癸.
std::string HeavenlyStem(int value) {
  static constexpr const char* kStems[] = {"甲", "乙", "丙", "丁", "戊",
                                           "己", "庚", "辛", "壬", "癸"};
  if (value < 1 || value > 10) return std::to_string(value);
  return kStems[value - 1];
}

}  // namespace

std::string FormatNumber(int value, std::string_view format) {
  const NumberFormat kind = LookUpFormat(format);
  if (kind == NumberFormat::kNone) return std::string();
  if (value < 0) return std::to_string(value);
  switch (kind) {
    case NumberFormat::kNone:
      return std::string();
    case NumberFormat::kDecimal:
      return std::to_string(value);
    case NumberFormat::kDecimalZero: {
      std::string out = std::to_string(value);
      if (value < 10) out.insert(out.begin(), '0');
      return out;
    }
    case NumberFormat::kUpperLetter:
      return value == 0 ? "0" : Letters(value, 'A');
    case NumberFormat::kLowerLetter:
      return value == 0 ? "0" : Letters(value, 'a');
    case NumberFormat::kUpperRoman:
      return value == 0 ? "0" : Roman(value, /*lower=*/false);
    case NumberFormat::kLowerRoman:
      return value == 0 ? "0" : Roman(value, /*lower=*/true);
    case NumberFormat::kChineseCounting:
    case NumberFormat::kChineseCountingThousand:
      return ChineseNumber(value, kChineseCounting);
    case NumberFormat::kIdeographDigital:
      return IdeographDigits(value);
    case NumberFormat::kChineseLegalSimplified:
      return ChineseNumber(value, kChineseLegalSimplified);
    case NumberFormat::kDecimalEnclosedCircle:
      return EnclosedCircle(value);
    case NumberFormat::kDecimalFullWidth:
      return FullWidthDigits(value);
    case NumberFormat::kIdeographTraditional:
      return HeavenlyStem(value);
  }
  return std::to_string(value);
}

std::string ExpandLevelText(std::string_view level_text, const int counters[9],
                            const std::string formats[9], bool is_legal) {
  std::string out;
  out.reserve(level_text.size() + 16);
  for (size_t i = 0; i < level_text.size(); ++i) {
    const char c = level_text[i];
    // '%' and ASCII digits never occur inside a multi-byte UTF-8 sequence,
    // so scanning bytes is safe.
    if (c == '%' && i + 1 < level_text.size() && level_text[i + 1] >= '1' &&
        level_text[i + 1] <= '9') {
      const int level = level_text[i + 1] - '1';
      out += FormatNumber(counters[level], is_legal ? "decimal" : formats[level]);
      ++i;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace taizhang::ingest_internal
