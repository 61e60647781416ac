// Numbering markers of the official hierarchy and paragraph-leading
// enumerations. The enumeration words (首先/其次/…) come from
// data/outline_words.tsv; the marker shapes themselves are grammar.
#include "outline/heading_marker.h"

#include <charconv>
#include <string>
#include <vector>

#include "common/chinese_numeral.h"
#include "common/language_data.h"
#include "common/utf8.h"

namespace taizhang::outline_internal {

namespace {

struct EnumerationWord {
  std::string_view text;
  int number;
};

const std::vector<EnumerationWord>& EnumerationWords() {
  static const std::vector<EnumerationWord> words = [] {
    std::vector<EnumerationWord> out;
    for (const DataRow& row : DataTable("outline_words.tsv", 3)) {
      if (row[0] != "enumeration") continue;
      int n = 0;
      std::from_chars(row[2].data(), row[2].data() + row[2].size(), n);
      out.push_back({row[1], n});
    }
    return out;
  }();
  return words;
}

int DigitValue(char32_t cp) {
  if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
  if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<int>(cp - 0xFF10);
  return -1;
}

bool IsOpenParen(char32_t cp) { return cp == U'（' || cp == '('; }
bool IsCloseParen(char32_t cp) { return cp == U'）' || cp == ')'; }

// Reads a run of Chinese numeral characters (at most 4) usable in a marker.
// Returns the value or -1; *pos is advanced past the run.
int ReadChineseNumeral(std::string_view text, size_t* pos) {
  size_t start = *pos;
  size_t i = *pos;
  int count = 0;
  while (i < text.size() && count < 5) {
    size_t before = i;
    char32_t cp = utf8::Next(text, &i);
    int64_t v = ChineseNumeralValue(cp);
    if (v < 0 || v > 100) {  // markers stop well below 千
      i = before;
      break;
    }
    ++count;
  }
  if (count == 0 || count > 4) return -1;
  auto value = ParseChineseNumber(text.substr(start, i - start));
  if (!value || *value <= 0 || *value > 199) return -1;
  *pos = i;
  return static_cast<int>(*value);
}

// Reads 1-3 ASCII or full-width digits. Returns the value or -1.
int ReadDigits(std::string_view text, size_t* pos) {
  size_t i = *pos;
  int value = 0;
  int count = 0;
  while (i < text.size()) {
    size_t before = i;
    int d = DigitValue(utf8::Next(text, &i));
    if (d < 0) {
      i = before;
      break;
    }
    value = value * 10 + d;
    if (++count > 3) return -1;
  }
  if (count == 0 || value == 0) return -1;
  *pos = i;
  return value;
}

char32_t PeekAt(std::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  return utf8::Next(text, &pos);
}

}  // namespace

uint32_t LeadingSpace(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    size_t before = i;
    char32_t cp = utf8::Next(text, &i);
    if (!utf8::IsInlineSpace(cp)) {
      return static_cast<uint32_t>(before);
    }
  }
  return static_cast<uint32_t>(text.size());
}

std::optional<MarkerMatch> MatchMarker(std::string_view text) {
  if (text.empty()) return std::nullopt;
  size_t i = 0;
  char32_t first = utf8::Next(text, &i);
  auto make = [&](MarkerKind kind, size_t end, int number, size_t title_start) {
    return MarkerMatch{kind, static_cast<uint32_t>(end), static_cast<uint32_t>(title_start),
                       number};
  };

  // （一） (一) （1） (1), brackets possibly mismatched.
  if (IsOpenParen(first)) {
    size_t j = i;
    int n = ReadChineseNumeral(text, &j);
    MarkerKind kind = MarkerKind::kChineseParen;
    if (n < 0) {
      j = i;
      n = ReadDigits(text, &j);
      kind = MarkerKind::kArabicParen;
    }
    if (n < 0) return std::nullopt;
    size_t k = j;
    if (k >= text.size() || !IsCloseParen(utf8::Next(text, &k))) return std::nullopt;
    return make(kind, k, n, k);
  }

  // ① … ⑳, ㉑ … ㉟, ㊱ … ㊿
  if (first >= 0x2460 && first <= 0x2473) return make(MarkerKind::kCircled, i, first - 0x2460 + 1, i);
  if (first >= 0x3251 && first <= 0x325F) return make(MarkerKind::kCircled, i, first - 0x3251 + 21, i);
  if (first >= 0x32B1 && first <= 0x32BF) return make(MarkerKind::kCircled, i, first - 0x32B1 + 36, i);
  // ⑴ … ⒇ and ⒈ … ⒛
  if (first >= 0x2474 && first <= 0x2487) return make(MarkerKind::kArabicParen, i, first - 0x2474 + 1, i);
  if (first >= 0x2488 && first <= 0x249B) return make(MarkerKind::kArabicDot, i, first - 0x2488 + 1, i);

  // 1. 1、 1． and 1) 1）
  if (DigitValue(first) >= 0) {
    size_t j = 0;
    int n = ReadDigits(text, &j);
    if (n < 0 || j >= text.size()) return std::nullopt;
    size_t k = j;
    char32_t sep = utf8::Next(text, &k);
    if (sep == '.' || sep == U'．' || sep == U'、') {
      char32_t after = PeekAt(text, k);
      if (DigitValue(after) >= 0 || after == '%' || after == U'％') return std::nullopt;
      return make(MarkerKind::kArabicDot, k, n, k);
    }
    if (IsCloseParen(sep)) return make(MarkerKind::kArabicParen, k, n, k);
    return std::nullopt;
  }

  // 第一， 第二、
  if (first == U'第') {
    size_t j = i;
    int n = ReadChineseNumeral(text, &j);
    if (n < 0 || j >= text.size()) return std::nullopt;
    // 第一部分 部门概况, 第二部分：…: a part of a budget or final account.
    if (text.substr(j).starts_with("部分")) {
      size_t k = j + 6;
      size_t title = k;
      while (title < text.size()) {
        size_t next = title;
        char32_t cp = utf8::Next(text, &next);
        if (!utf8::IsWhiteSpace(cp) && cp != U'：' && cp != ':') break;
        title = next;
      }
      if (title >= text.size()) return std::nullopt;
      return make(MarkerKind::kPart, k, n, title);
    }
    size_t k = j;
    char32_t sep = utf8::Next(text, &k);
    if (sep == U'，' || sep == ',' || sep == U'、') return make(MarkerKind::kEnumeration, j, n, k);
    if (sep == U'是') return make(MarkerKind::kEnumeration, k, n, k);
    return std::nullopt;
  }

  // 一、 and 一是
  if (IsChineseNumeral(first)) {
    size_t j = 0;
    int n = ReadChineseNumeral(text, &j);
    if (n < 0 || j >= text.size()) return std::nullopt;
    size_t k = j;
    char32_t sep = utf8::Next(text, &k);
    if (sep == U'、') return make(MarkerKind::kChineseComma, k, n, k);
    if (sep == U'．' || sep == '.') {
      if (DigitValue(PeekAt(text, k)) >= 0) return std::nullopt;
      return make(MarkerKind::kChineseComma, k, n, k);
    }
    if (sep == U'是' && n <= 30) return make(MarkerKind::kEnumeration, k, n, k);
    return std::nullopt;
  }

  // 首先， 其次， 最后，
  for (const EnumerationWord& word : EnumerationWords()) {
    if (text.substr(0, word.text.size()) != word.text) continue;
    size_t k = word.text.size();
    if (k >= text.size()) return std::nullopt;
    char32_t sep = utf8::Next(text, &k);
    if (sep == U'，' || sep == ',' || sep == U'、') {
      return make(MarkerKind::kEnumeration, word.text.size(), word.number, k);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace taizhang::outline_internal
