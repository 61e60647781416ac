// The number grammar. Values are exact decimals; Chinese numerals go through
// common/chinese_numeral.h, with the spoken shortcuts of report prose
// (三万五 = 35000, 三四十 = 30–40, 十几 = 11–19) handled here.
#include "extract/number_grammar.h"

#include <bitset>
#include <cctype>

#include <string>
#include <vector>

#include "common/chinese_numeral.h"
#include "common/utf8.h"

namespace taizhang::extract_internal {

namespace {

int DigitValue(char32_t cp) {
  if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
  if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<int>(cp - 0xFF10);
  return -1;
}

bool IsPlaceholderChar(char32_t cp) { return cp == 'X' || cp == 'x' || cp == U'Ｘ' || cp == U'×'; }

bool IsRangeDash(char32_t cp) {
  return cp == '-' || cp == U'－' || cp == '~' || cp == U'～' || cp == U'—' || cp == U'–' ||
         cp == U'至' || cp == U'到';
}

char32_t Peek(std::string_view text, size_t pos, size_t* next = nullptr) {
  if (pos >= text.size()) {
    if (next) *next = pos;
    return 0;
  }
  size_t i = pos;
  char32_t cp = utf8::Next(text, &i);
  if (next) *next = i;
  return cp;
}

// Arabic number at pos: digits, thousands separators, decimal point.
std::optional<NumberMatch> MatchArabic(std::string_view text, size_t pos) {
  std::string digits;
  size_t i = pos;
  size_t next;
  int group = 0;  // digits since the start or the last separator
  bool seen_separator = false;
  for (;;) {
    char32_t cp = Peek(text, i, &next);
    int d = DigitValue(cp);
    if (d >= 0) {
      digits.push_back(static_cast<char>('0' + d));
      ++group;
      i = next;
      continue;
    }
    if ((cp == ',' || cp == U'，') && (seen_separator ? group == 3 : group <= 3) && group > 0) {
      // A thousands separator has exactly three digits after it, then no digit.
      size_t j = next;
      int count = 0;
      size_t after = j;
      while (count < 4) {
        size_t n2;
        if (DigitValue(Peek(text, after, &n2)) < 0) break;
        after = n2;
        ++count;
      }
      if (count == 3) {
        seen_separator = true;
        group = 0;
        i = j;
        continue;
      }
    }
    break;
  }
  if (digits.empty()) return std::nullopt;
  if (seen_separator && group != 3) return std::nullopt;
  // Decimal part.
  char32_t cp = Peek(text, i, &next);
  if ((cp == '.' || cp == U'．') && DigitValue(Peek(text, next)) >= 0) {
    digits.push_back('.');
    i = next;
    for (;;) {
      int d = DigitValue(Peek(text, i, &next));
      if (d < 0) break;
      digits.push_back(static_cast<char>('0' + d));
      i = next;
    }
  }
  NumberMatch m;
  m.end = static_cast<uint32_t>(i);
  m.value = Decimal::Parse(digits);
  if (!m.value) m.malformed = true;  // too many digits to hold exactly
  return m;
}

// Value of a Chinese numeral string with the spoken shortcuts.
struct ChineseValue {
  std::optional<Decimal> value;
  std::optional<Decimal> high;
};

std::optional<ChineseValue> InterpretChinese(const std::vector<int64_t>& v, std::string_view text) {
  size_t n = v.size();
  // 逾千名, 近百人: 千/百 alone stand for one of themselves.
  if (n == 1 && (v[0] == 100 || v[0] == 1000)) return ChineseValue{Decimal::FromInt(v[0]), std::nullopt};
  // 三四十万: the shortcut before a trailing 万/亿, times it.
  if (n >= 3 && (v[n - 1] == 10000 || v[n - 1] == 100000000) && v[n - 2] < 10000) {
    std::vector<int64_t> head(v.begin(), v.end() - 1);
    auto inner = InterpretChinese(head, text.substr(0, text.size() - 3));
    if (inner && inner->value) {
      ChineseValue out;
      out.value = inner->value->Times(Decimal::FromInt(v[n - 1]));
      if (inner->high) out.high = inner->high->Times(Decimal::FromInt(v[n - 1]));
      if (out.value) return out;
    }
  }
  // 十几 / 几十 / 几百 / 几 are handled by the caller.
  // 三四十, 三四百: two consecutive digits then a unit → range.
  if (n >= 2 && v[0] >= 1 && v[0] <= 8 && v[1] == v[0] + 1) {
    int64_t unit = n == 3 && v[2] >= 10 ? v[2] : (n == 2 ? 1 : -1);
    if (unit > 0) return ChineseValue{Decimal::FromInt(v[0] * unit), Decimal::FromInt(v[1] * unit)};
  }
  // 三万五 = 3×10⁴ + 5×10³; 一百五 = 150; 两千五 = 2500.
  if (n >= 3 && v[n - 1] >= 1 && v[n - 1] <= 9 && v[n - 2] >= 100 && v[n - 3] >= 1 && v[n - 3] <= 9) {
    auto head = ParseChineseNumber(text.substr(0, text.size() - 3));
    if (head) return ChineseValue{Decimal::FromInt(*head + v[n - 1] * (v[n - 2] / 10)), std::nullopt};
  }
  auto parsed = ParseChineseNumber(text);
  if (!parsed) return std::nullopt;
  return ChineseValue{Decimal::FromInt(*parsed), std::nullopt};
}

std::optional<NumberMatch> MatchChinese(std::string_view text, size_t pos) {
  size_t i = pos;
  std::vector<int64_t> values;
  size_t next;
  bool has_ji = false;
  for (;;) {
    char32_t cp = Peek(text, i, &next);
    int64_t v = ChineseNumeralValue(cp);
    if (cp == U'几') {
      has_ji = true;
      v = -2;
    } else if (v < 0) {
      break;
    }
    values.push_back(v);
    i = next;
  }
  if (values.empty()) return std::nullopt;
  NumberMatch m;
  m.chinese = true;
  std::string_view run = text.substr(pos, i - pos);

  // 三分之一, 百分之六十
  if (Peek(text, i, &next) == U'分' && text.substr(next, 3) == "之") {
    size_t after = next + 3;
    auto denominator = run == "百" ? std::optional<int64_t>(100) : ParseChineseNumber(run);
    auto numerator_match = MatchChinese(text, after);
    if (denominator && *denominator > 0 && numerator_match && numerator_match->value) {
      m.end = numerator_match->end;
      if (*denominator == 100) {
        m.value = numerator_match->value;
        m.percent_words = true;
      } else {
        m.fraction = true;
        // Thirds and sevenths do not end; six places, marked as about.
        int64_t scaled = numerator_match->value->Shifted(6).mantissa();
        for (int32_t e = numerator_match->value->Shifted(6).exponent(); e > 0; --e) scaled *= 10;
        m.value = Decimal(scaled / *denominator, -6);
        if (scaled % *denominator != 0) m.approx = Approximation::kAbout;
      }
      return m;
    }
    return std::nullopt;
  }
  if (has_ji) {
    // 十几 = 11–19, 几十 = 20–90, 几百 = 200–900, 几 = 2–9.
    m.end = static_cast<uint32_t>(i);
    m.approx = Approximation::kRange;
    if (values.size() == 2 && values[0] == 10 && values[1] == -2) {
      m.value = Decimal::FromInt(11), m.high = Decimal::FromInt(19);
    } else if (values.size() == 2 && values[0] == -2 && values[1] >= 10) {
      m.value = Decimal::FromInt(2 * values[1]), m.high = Decimal::FromInt(9 * values[1]);
    } else if (values.size() == 1) {
      m.value = Decimal::FromInt(2), m.high = Decimal::FromInt(9);
    } else {
      return std::nullopt;
    }
    return m;
  }
  // 三点五 = 3.5
  if (Peek(text, i, &next) == U'点') {
    size_t j = next;
    std::string fraction;
    for (;;) {
      size_t n2;
      int64_t d = ChineseNumeralValue(Peek(text, j, &n2));
      if (d < 0 || d > 9) break;
      fraction.push_back(static_cast<char>('0' + d));
      j = n2;
    }
    auto whole = ParseChineseNumber(run);
    if (whole && !fraction.empty()) {
      m.value = Decimal::Parse(std::to_string(*whole) + "." + fraction);
      m.end = static_cast<uint32_t>(j);
      return m;
    }
  }
  auto value = InterpretChinese(values, run);
  if (!value) return std::nullopt;
  m.end = static_cast<uint32_t>(i);
  m.value = value->value;
  if (value->high) {
    m.high = value->high;
    m.approx = Approximation::kRange;
  }
  return m;
}

// 1/3, 2/5: a fraction written with a slash, numerator below denominator,
// both whole and small; not 2023/10/01 (a second slash) nor 3/2.
void ReadSlashFraction(std::string_view text, NumberMatch* m) {
  size_t next;
  const char32_t slash = Peek(text, m->end, &next);
  if (slash != '/' && slash != U'／') return;
  auto denominator = MatchArabic(text, next);
  if (!denominator || !denominator->value) return;
  const char32_t after = Peek(text, denominator->end);
  if (after == '/' || after == U'／' || after == '.' || DigitValue(after) >= 0) return;
  auto whole = [](const Decimal& d) { return d.exponent() >= 0; };
  const Decimal& n = *m->value;
  const Decimal& d = *denominator->value;
  if (!whole(n) || !whole(d) || n.Compare(Decimal::FromInt(1)) < 0 || n.Compare(d) >= 0 ||
      d.Compare(Decimal::FromInt(1000)) > 0) {
    return;
  }
  const int64_t num = n.Shifted(0).mantissa();
  const int64_t den = d.Shifted(0).mantissa();
  int64_t scaled = num;
  for (int e = n.Shifted(0).exponent(); e > 0; --e) scaled *= 10;
  int64_t denom = den;
  for (int e = d.Shifted(0).exponent(); e > 0; --e) denom *= 10;
  scaled *= 1000000;
  m->value = Decimal(scaled / denom, -6);
  m->approx = scaled % denom != 0 ? Approximation::kAbout : Approximation::kExact;
  m->fraction = true;
  m->end = denominator->end;
}

}  // namespace

bool CanStartNumberSlow(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || cp == 'X' || cp == 'x' || cp == 'A' || cp == '.';
  return DigitValue(cp) >= 0 || IsPlaceholderChar(cp) || cp == U'．' || IsChineseNumeral(cp) ||
         cp == U'几';
}

const std::bitset<0x10000>& NumberStarts() {
  static const std::bitset<0x10000>* starts = [] {
    auto* bits = new std::bitset<0x10000>();
    for (char32_t cp = 0; cp < 0x10000; ++cp) (*bits)[cp] = CanStartNumberSlow(cp);
    return bits;
  }();
  return *starts;
}

std::optional<NumberMatch> MatchNumber(std::string_view text, size_t pos) {
  size_t next;
  char32_t first = Peek(text, pos, &next);
  if (first == 'A') {
    // AAA in number position (投资AAA万元): a redaction, but only as a run of
    // at least two and not followed by more letters (AAAA级 is a grade; the
    // scanner also refuses 级 after it).
    size_t i = pos;
    while (Peek(text, i, &next) == 'A') i = next;
    char32_t after = Peek(text, i);
    if (i - pos < 2 || (after < 0x80 && std::isalnum(static_cast<int>(after)))) return std::nullopt;
    NumberMatch m;
    m.end = static_cast<uint32_t>(i);
    m.placeholder = true;
    return m;
  }
  if (IsPlaceholderChar(first)) {
    size_t i = pos;
    while (IsPlaceholderChar(Peek(text, i, &next))) i = next;
    NumberMatch m;
    m.end = static_cast<uint32_t>(i);
    m.placeholder = true;
    return m;
  }
  if (first == '.' || first == U'．') {
    // ".9" with no digit before it: malformed, reported, never repaired.
    if (DigitValue(Peek(text, next)) < 0) return std::nullopt;
    size_t i = next;
    while (DigitValue(Peek(text, i, &next)) >= 0) i = next;
    NumberMatch m;
    m.end = static_cast<uint32_t>(i);
    m.malformed = true;
    return m;
  }
  std::optional<NumberMatch> m;
  if (DigitValue(first) >= 0) {
    m = MatchArabic(text, pos);
  } else if (IsChineseNumeral(first) || first == U'几') {
    m = MatchChinese(text, pos);
  }
  if (m && !m->chinese && m->value) ReadSlashFraction(text, &*m);
  if (!m || m->approx == Approximation::kRange || m->percent_words || m->fraction) return m;
  // A range: 1-2, 1－2万, 三至五.
  char32_t dash = Peek(text, m->end, &next);
  if (IsRangeDash(dash) && m->value) {
    auto second = MatchNumber(text, next);
    // Not when the second number is a year (6：61：33到2020年底).
    const bool year = second && second->value &&
                      second->value->Compare(Decimal::FromInt(1000)) >= 0 &&
                      text.compare(second->end, 3, "年") == 0;
    if (second && second->value && !second->high && second->chinese == m->chinese &&
        m->value->Compare(*second->value) < 0 && !year) {
      m->high = second->value;
      m->end = second->end;
      m->approx = Approximation::kRange;
    }
  }
  return m;
}

}  // namespace taizhang::extract_internal
