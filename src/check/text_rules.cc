// Text rules: placeholders, malformed numbers, numbering, 一是/二是 series,
// paired punctuation, web junk, the letter D for 党, duplicated sentences.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <iterator>
#include <memory>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "check/check_internal.h"
#include "common/chinese_numeral.h"
#include "common/language_data.h"
#include "common/punctuation.h"
#include "common/text_search.h"
#include "common/utf8.h"

namespace taizhang::check_internal {

namespace {

bool IsAsciiAlnum(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

bool IsPlaceholderX(char32_t cp) { return cp == 'X' || cp == U'Ｘ' || cp == U'×'; }

char32_t CodePointBefore(std::string_view text, size_t pos) {
  if (pos == 0) return 0;
  size_t p = pos;
  return utf8::Prev(text.substr(0, pos), &p);
}

char32_t CodePointAt(std::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  size_t p = pos;
  return utf8::Next(text, &p);
}

// The report a byte offset lies in, by line, or -1.
int ReportOf(const OutlineResult& outline, uint32_t line) {
  for (size_t r = 0; r < outline.reports.size(); ++r) {
    if (line >= outline.reports[r].first_line && line <= outline.reports[r].last_line) {
      return static_cast<int>(r);
    }
  }
  return -1;
}

// The byte range of a report: from its title to the end of its last line.
Span ReportSpan(const SourceText& source, const Report& report) {
  uint32_t begin = source.LineBegin(report.first_line);
  uint32_t end = source.LineEnd(report.last_line);
  return Span{begin, end};
}

}  // namespace

// --- placeholders -------------------------------------------------------

namespace {

// Whether AAA at text[at, end) is a rating: 企业/信用/等级 right after it,
// or 评级/信用/评为/评定 in the six characters before.
bool IsRatingContext(std::string_view text, size_t at, size_t end) {
  for (std::string_view word : {"企业", "信用", "等级", "景区", "标准"}) {
    if (text.substr(end, word.size()) == word) return true;
  }
  size_t from = at >= 18 ? at - 18 : 0;
  std::string_view before = text.substr(from, at - from);
  for (std::string_view word : {"评级", "信用", "评为", "获评", "评定", "认定为"}) {
    if (before.find(word) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

void CheckPlaceholders(CheckContext& c) {
  std::string_view text = c.text();
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    const ReportFacts& facts = c.facts.reports[r];
    const int report = static_cast<int>(r);
    std::vector<Span> numbers;
    // Number slots: placeholder quantities (XX万元, XX名), with the value the
    // report states elsewhere for the same thing, if any: the first figure
    // of the same unit and measured phrase, looked up by hash (built only
    // when the report has a slot).
    std::unordered_map<std::string, const Quantity*> stated;
    bool stated_built = false;
    auto key_of = [&](const Quantity& q) {
      std::string key = q.unit;
      key += '\t';
      key += SpanText(text, q.measured);
      return key;
    };
    for (const Quantity& q : facts.quantities) {
      if (!q.placeholder) continue;
      if (!stated_built) {
        stated_built = true;
        for (const Quantity& other : facts.quantities) {
          if (other.placeholder || other.malformed || !other.value) continue;
          stated.try_emplace(key_of(other), &other);
        }
      }
      numbers.push_back(q.span);
      std::string surface = SpanText(text, q.span);
      std::string message = "“" + surface + "”是未填写的数字占位符";
      const Quantity* known = nullptr;
      std::string measured = SpanText(text, q.measured);
      if (utf8::CountCodePoints(measured) >= 2) {
        auto it = stated.find(key_of(q));
        if (it != stated.end()) known = it->second;
      }
      if (known != nullptr) {
        Location loc = c.source.Locate(known->span.begin);
        message += "；本报告第" + std::to_string(loc.line) + "行写有“" + SpanText(text, known->span) + measured +
                   "”，如是同一事项可填 " + known->value->ToString() + " " + known->unit;
      }
      Finding& f = c.Add(RuleId::kPlaceholderNumber, report, q.span, message);
      if (known != nullptr) f.related.push_back(c.Place(known->span, "同一事项的数字"));
    }
    // Name slots: X runs (XX街道, XX南路号大院) and AAA outside numbers.
    Span whole = ReportSpan(c.source, c.outline.reports[r]);
    std::string_view bounded = text.substr(0, whole.end);
    size_t next_number = 0;
    static constexpr std::array<unsigned char, 4> kSlotBytes = {'X', 'A', 0xC3, 0xEF};
    for (size_t i = whole.begin;;) {
      // Only X, A (ASCII), × (lead byte C3) and Ｘ (lead byte EF) can start a
      // slot; other bytes are passed without decoding.
      i = FindAnyByte(text, i, whole.end, kSlotBytes);
      if (i >= whole.end) break;
      size_t at = i;
      char32_t cp = utf8::Next(bounded, &i);
      bool x = IsPlaceholderX(cp);
      if (!x && cp != 'A') continue;
      while (next_number < numbers.size() && numbers[next_number].end <= at) ++next_number;
      if (next_number < numbers.size() && numbers[next_number].begin <= at) {
        i = numbers[next_number].end;
        continue;
      }
      char32_t before = CodePointBefore(text, at);
      size_t end = i;
      int count = 1;
      while (end < whole.end && CodePointAt(text, end) == cp) {
        utf8::Next(bounded, &end);
        ++count;
      }
      i = end;
      char32_t after = CodePointAt(text, end);
      // 1+X, P4100, ×2 (a product), AAAA级 (a grade): no placeholders.
      if (IsAsciiAlnum(before) || IsAsciiAlnum(after) || before == '+' || after == '+') continue;
      if (cp == U'×' && (std::isdigit(static_cast<int>(before < 0x80 ? before : 0)) || count == 1)) continue;
      // AAA级, AAA企业, 信用评级AAA: a credit or scenic-spot rating.
      if (cp == 'A' && (count < 3 || after == U'级' || IsRatingContext(text, at, end))) continue;
      // X射线, X光机: a term of its own (data: letter_term).
      if (x && count == 1 &&
          std::any_of(c.Terms("letter_term").begin(), c.Terms("letter_term").end(),
                      [&](const std::string& w) { return text.substr(end, w.size()) == w; }))
        continue;
      Span span{static_cast<uint32_t>(at), static_cast<uint32_t>(end)};
      std::string message = "“" + SpanText(text, span) + "”是未填写的名称占位符";
      std::string_view rest = text.substr(end, std::min<size_t>(12, whole.end - end));
      if (FindText(rest, "路号") != std::string_view::npos || FindText(rest, "街号") != std::string_view::npos) {
        message += "，门牌号也缺失";
      }
      c.Add(RuleId::kPlaceholderName, report, span, message);
    }
  }
}

namespace {

bool IsDigit(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

size_t DigitsEnd(std::string_view s, size_t i) {
  while (IsDigit(s, i)) ++i;
  return i;
}

// A Chinese digit (一…九, 〇, 零) at byte i of s, and its length in bytes.
// One decode and a switch: this is asked after every run of digits.
size_t ChineseDigitAt(std::string_view s, size_t i) {
  // All of them are three bytes long, led by E3 (〇) to E9 (零).
  if (i >= s.size() || static_cast<unsigned char>(s[i]) < 0xE3) return 0;
  size_t next = i;
  switch (utf8::Next(s, &next)) {
    case U'〇': case U'零': case U'一': case U'二': case U'三': case U'四':
    case U'五': case U'六': case U'七': case U'八': case U'九':
      return next - i;
    default:
      return 0;
  }
}

// Whether a figure's unit follows at byte i: %, ‰, 万, 亿, 元, 倍.
bool UnitFollows(std::string_view s, size_t i) {
  static constexpr std::string_view kUnits[] = {"%", "％", "‰", "万", "亿", "元", "倍"};
  for (std::string_view u : kUnits) {
    if (s.substr(i, u.size()) == u) return true;
  }
  return false;
}

// The end of a malformed number written from byte `at` (the first digit of
// a run) of a paragraph, or 0: 27..65%, 3。5%, 12.3.4%, 1,00万, 2〇23, 1二3.
size_t MalformedNumberEnd(std::string_view s, size_t at) {
  size_t end = DigitsEnd(s, at);
  // 27..65: two or more points between digits.
  if (end + 1 < s.size() && s[end] == '.' && s[end + 1] == '.') {
    size_t k = end;
    while (k < s.size() && s[k] == '.') ++k;
    if (IsDigit(s, k)) return DigitsEnd(s, k);
  }
  // 3。5%: a full stop for the decimal point inside a figure with a unit.
  constexpr std::string_view stop = "。";
  if (end + stop.size() < s.size() && s[end] == stop[0] && s[end + 1] == stop[1] && s[end + 2] == stop[2] &&
      IsDigit(s, end + stop.size())) {
    size_t k = DigitsEnd(s, end + stop.size());
    if (UnitFollows(s, k)) return k;
  }
  // 12.3.4%: two decimal points in one figure with a unit.
  if (end < s.size() && s[end] == '.' && IsDigit(s, end + 1)) {
    size_t k = DigitsEnd(s, end + 1);
    if (k < s.size() && s[k] == '.' && IsDigit(s, k + 1)) {
      size_t last = DigitsEnd(s, k + 1);
      if (UnitFollows(s, last)) return last;
    }
  }
  // 1,00万: a thousands separator followed by other than three digits.
  if (end - at <= 3 && end < s.size() && s[end] == ',' && IsDigit(s, end + 1)) {
    size_t k = end;
    bool misgrouped = false;
    while (k < s.size() && s[k] == ',' && IsDigit(s, k + 1)) {
      size_t group = DigitsEnd(s, k + 1);
      if (group - k - 1 != 3) misgrouped = true;
      k = group;
    }
    // 1,00万 or 15,00人次; a single digit after the comma (1,5) may be a
    // list and counts only before a unit of figures.
    size_t last_group = k - s.rfind(',', k) - 1;
    if (misgrouped && (UnitFollows(s, k) || (last_group != 1 && k < s.size() &&
                                             static_cast<unsigned char>(s[k]) >= 0x80))) {
      return k;
    }
  }
  // 2〇23, 1二3: a Chinese digit inside an Arabic number.
  if (size_t n = ChineseDigitAt(s, end); n > 0 && IsDigit(s, end + n)) return DigitsEnd(s, end + n);
  return 0;
}

}  // namespace

void CheckMalformedNumbers(CheckContext& c) {
  std::string_view text = c.text();
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    std::vector<Span> reported;
    for (const Quantity& q : c.facts.reports[r].quantities) {
      if (!q.malformed) continue;
      reported.push_back(q.span);
      c.Add(RuleId::kMalformedNumber, static_cast<int>(r), q.span,
            "“" + SpanText(text, q.span) +
                "”的数字格式不对（缺少整数部分或小数点有误），请核对原始数据");
    }
    // Figures the quantity scanner reads as two numbers or none at all.
    for (const Paragraph& p : c.outline.reports[r].paragraphs) {
      std::string_view body = p.span.In(text);
      for (size_t i = 0;; ++i) {
        i = FindAsciiDigit(body, i, body.size());
        if (i >= body.size()) break;
        if (i > 0 && (IsDigit(body, i - 1) || body[i - 1] == '.' || body[i - 1] == ',')) {
          continue;
        }
        size_t end = MalformedNumberEnd(body, i);
        if (end == 0) continue;
        Span span{static_cast<uint32_t>(p.span.begin + i),
                  static_cast<uint32_t>(p.span.begin + end)};
        bool seen = std::any_of(reported.begin(), reported.end(),
                                [&](Span s) { return s.begin < span.end && span.begin < s.end; });
        if (!seen) {
          reported.push_back(span);
          c.Add(RuleId::kMalformedNumber, static_cast<int>(r), span,
                "“" + SpanText(text, span) +
                    "”的数字格式不对（小数点、千分位或数字写法有误），请核对原始数据");
        }
        i = end - 1;
      }
    }
  }
}

// --- numbering ----------------------------------------------------------

namespace {

// Width of a bracketed marker: 1 full (（一）), 2 half ((二)), 3 mixed ((三）), 0 none.
int BracketStyle(std::string_view marker) {
  bool open_full = marker.rfind("（", 0) == 0;
  bool open_half = !marker.empty() && marker[0] == '(';
  bool close_full = marker.size() >= 3 && marker.substr(marker.size() - 3) == "）";
  bool close_half = !marker.empty() && marker.back() == ')';
  if (open_full && close_full) return 1;
  if (open_half && close_half) return 2;
  if ((open_full || open_half) && (close_full || close_half)) return 3;
  return 0;
}

std::string FullWidthMarker(std::string_view marker) {
  std::string inner(marker);
  auto strip = [&](std::string_view s, bool front) {
    if (front && inner.rfind(s, 0) == 0) inner.erase(0, s.size());
    if (!front && inner.size() >= s.size() && inner.compare(inner.size() - s.size(), s.size(), s) == 0) {
      inner.erase(inner.size() - s.size());
    }
  };
  strip("（", true);
  strip("(", true);
  strip("）", false);
  strip(")", false);
  return "（" + inner + "）";
}

}  // namespace

namespace {

// Whether the number a skip misses is written at the start of a line
// between the two siblings, where the outline read it as something else:
// 8.8个“在全省率先”, 21.123制造业体系, 12.2026年重点民生实事 (a decimal).
// Only Arabic markers (8., 21．) are looked for.
// 1…99 in Chinese numerals: 二十一.
std::string ChineseNumber(int n) {
  static const char* const kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n <= 0 || n >= 100) return "";
  if (n < 10) return kDigits[n];
  return std::string(n >= 20 ? kDigits[n / 10] : "") + "十" + kDigits[n % 10];
}

bool MissingMarkerWritten(const CheckContext& c, const Heading& heading, uint32_t after_line,
                          int missing) {
  std::string_view text = c.text();
  std::string marker = SpanText(text, heading.marker);
  size_t digits = 0;
  while (digits < marker.size() && std::isdigit(static_cast<unsigned char>(marker[digits])))
    ++digits;
  // The missing marker in the heading's own style: 2., （二十）, 二十一、.
  std::string expected;
  bool arabic = digits > 0;
  if (arabic) {
    expected = std::to_string(missing) + marker.substr(digits);
  } else {
    std::string number = ChineseNumber(heading.number);
    size_t at = number.empty() ? std::string::npos : marker.find(number);
    if (at == std::string::npos) return false;
    expected = marker.substr(0, at) + ChineseNumber(missing) + marker.substr(at + number.size());
  }
  // At a line start, or after the end of a sentence or of an item on the
  // same line (…主要是财政核定经费增加。2.一般公共服务支出…, （十九）…（二十）…:
  // a PDF's line not broken at the marker).
  const uint32_t from = c.source.LineBegin(after_line), to = c.source.LineBegin(heading.line);
  std::string_view region = text.substr(from, to - from);
  for (size_t at = region.find(expected); at != std::string_view::npos; at = region.find(expected, at + 1)) {
    size_t prev = at;
    char32_t before = at == 0 ? U'\n' : utf8::Prev(region.substr(0, at), &prev);
    bool opens = before == U'\n' || before == ' ' || before == '\t' || before == U'\u3000' || before == U'。' ||
                 before == U'；' || before == U'：' || before == U'）' || before == ')' || before == U'！' ||
                 before == U'？' || before == U'”';
    // A bracketed marker (（二十）) is delimited by its brackets wherever it stands.
    opens |= expected.starts_with("（") || expected.starts_with("(");
    if (!opens) continue;
    // Mid-line a digit after it makes a decimal (增幅3.2%); at a line start it
    // is the marker the outline read as a decimal (8.8个“在全省率先”).
    size_t after = at + expected.size();
    bool line_start = before == U'\n' || before == ' ' || before == '\t' || before == U'\u3000';
    if (arabic && !line_start && after < region.size() && std::isdigit(static_cast<unsigned char>(region[after])))
      continue;
    return true;
  }
  return false;
}

// A table row, or a line opening with a part title (第二部分, 第三章), in
// the lines after `after_line` up to `line`.
bool BreakBetween(const CheckContext& c, uint32_t after_line, uint32_t line) {
  const std::vector<LineOrigin>& origins = c.source.origins();
  for (uint32_t l = after_line + 1; l < line; ++l) {
    if (l <= origins.size() && origins[l - 1].table_row) return true;
    std::string_view t = c.source.Line(l);
    size_t b = 0;
    while (b < t.size() && (t[b] == ' ' || t[b] == '\t')) ++b;
    t.remove_prefix(b);
    if (!t.starts_with("第")) continue;
    size_t i = std::string_view("第").size(), n = 0;
    while (i < t.size()) {
      size_t next = i;
      if (!IsChineseNumeral(utf8::Next(t, &next))) break;
      i = next;
      ++n;
    }
    std::string_view rest = t.substr(i);
    if (n > 0 && (rest.starts_with("部分") || rest.starts_with("章") || rest.starts_with("篇"))) return true;
  }
  return false;
}

}  // namespace

void CheckNumbering(CheckContext& c) {
  std::string_view text = c.text();
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    const Report& report = c.outline.reports[r];
    const int ri = static_cast<int>(r);
    // Siblings: the headings under one parent with one marker kind, in order.
    const TableOfContents& toc = c.Toc(r);
    const std::vector<std::string> toc_texts = TocEntryTexts(c.source, toc);
    // Whether the contents list a heading (一、文字部分 … 二、表格部分 are
    // parts; the 十、 of a glossary before 二、表格部分 is not).
    auto listed = [&](const Heading& h) {
      std::string line = SqueezedLine(c.source, h.line);
      return std::any_of(toc_texts.begin(), toc_texts.end(),
                         [&](const std::string& e) { return !e.empty() && line.starts_with(e); });
    };
    std::map<std::pair<int, int>, std::vector<int>> groups;
    for (size_t h = 0; h < report.headings.size(); ++h) {
      const Heading& heading = report.headings[h];
      groups[{heading.parent, static_cast<int>(heading.kind)}].push_back(static_cast<int>(h));
    }
    for (const auto& [key, members] : groups) {
      MarkerKind kind = static_cast<MarkerKind>(key.second);
      bool bracketed = kind == MarkerKind::kChineseParen || kind == MarkerKind::kArabicParen;
      // Brackets: (三） is half open, full close.
      std::vector<int> full, half;
      for (int h : members) {
        const Heading& heading = report.headings[h];
        std::string marker = SpanText(text, heading.marker);
        if (!bracketed) continue;
        int style = BracketStyle(marker);
        if (style == 3) {
          Finding& f = c.Add(RuleId::kNumberingBracket, ri, heading.marker,
                             "序号“" + marker + "”的左右括号一个半角一个全角");
          f.fix = FullWidthMarker(marker);
          f.has_fix = true;
        } else if (style == 1) {
          full.push_back(h);
        } else if (style == 2) {
          half.push_back(h);
        }
      }
      // Mixed widths among well-formed markers of one level.
      if (!full.empty() && !half.empty()) {
        const std::vector<int>& minority = full.size() < half.size() ? full : half;
        const std::vector<int>& majority = full.size() < half.size() ? half : full;
        const Heading& first = report.headings[minority.front()];
        std::string message = "同一层级的序号混用全角括号（" + std::to_string(full.size()) + " 个）和半角括号（" +
                              std::to_string(half.size()) + " 个），应统一";
        Finding& f = c.Add(RuleId::kNumberingMixedStyle, ri, first.marker, message);
        for (int h : members) {
          if (h == minority.front()) continue;
          const Heading& other = report.headings[h];
          f.related.push_back(c.Place(other.marker, "同级序号“" + SpanText(text, other.marker) + "”"));
        }
        (void)majority;
      }
      // Sequence: 1, 2, 3 … under one parent. 一是/二是 run on inside
      // paragraphs, where the outline may not see every member: the series
      // rule (enumeration-slip) reads them in the text instead.
      if (kind == MarkerKind::kEnumeration) continue;
      int previous = 0;
      std::vector<int> outer;  // where the lists this one is nested in stood
      // A first item repeated ((一)部门主要职责 — (一)承担…): a slip, unless
      // the outer list goes on after the nested one it opened ((十四)… —
      // (二)部门决算单位构成). Held until then: the heading and the depth
      // of `outer` it pushed.
      std::vector<std::pair<int, size_t>> repeated_first;
      for (size_t k = 0; k < members.size(); ++k) {
        const Heading& heading = report.headings[members[k]];
        if (heading.number <= 0) continue;  // 最后, 其次: no number
        // The row heads of a table (一、一般公共预算拨款收入 … 十、节能环保支出,
        // in a PDF not always read as rows) number the table's rows, and the
        // entries of a 目录 the contents: no finding there, and the count
        // starts afresh.
        // (A heading right above a table is its caption, and counts.)
        // (A heading right below a table that goes on with the series —
        // 二、 after the table of 一、's last part — is no row head.)
        const std::vector<LineOrigin>& origins = c.source.origins();
        const bool row = heading.line <= origins.size() && origins[heading.line - 1].table_row;
        const bool goes_on = !row && previous > 0 && heading.number == previous + 1;
        if ((InTableBlock(c.source, heading.line, /*with_captions=*/false) && !goes_on) ||
            InTableOfContents(toc, heading.line)) {
          previous = 0;
          continue;
        }
        std::string marker = SpanText(text, heading.marker);
        if (k == 0 && heading.number >= 2 && members.size() > 1 &&
            report.headings[members[1]].number == 2) {
          // 二、三…… where 二 follows: the first one itself is wrong.
          c.Add(RuleId::kNumberingSkip, ri, heading.marker,
                "序号“" + marker + "”是同级的第一个序号，下一个是第 2 号，此处应为第 1 号");
          previous = 1;
          continue;
        }
        // A table or a part title (第二部分…) between two siblings: the list
        // after it may be a new one (a budget's 1. 2. under each table).
        // Two siblings of which the contents list one only are of two levels
        // the outline could not tell apart.
        if (k > 0 && previous > 0 && !toc_texts.empty() && listed(heading) != listed(report.headings[members[k - 1]]))
          previous = 0;
        if (k > 0 && previous > 0 && BreakBetween(c, report.headings[members[k - 1]].line, heading.line)) {
          outer.push_back(previous);
          previous = 0;
        }
        // The outer list going on after a list nested in it with the same
        // markers ((一)部门主要职责 — (一)…(十四) its duties — (二)部门决算
        // 单位构成; 一、文字部分 … 十、 of its last part … 二、表格部分).
        if (k > 0 && heading.number != previous + 1) {
          auto resumed = std::find(outer.rbegin(), outer.rend(), heading.number - 1);
          if (resumed != outer.rend()) {
            const size_t depth = static_cast<size_t>(std::prev(resumed.base()) - outer.begin());
            std::erase_if(repeated_first, [&](const auto& r) { return r.second == depth; });
            outer.erase(std::prev(resumed.base()), outer.end());
            previous = heading.number;
            continue;
          }
        }
        if (k > 0 && previous > 0) {
          if (heading.number == previous && heading.number == 1) {
            repeated_first.emplace_back(members[k], outer.size());  // or a nested list's first item
            outer.push_back(previous);
          } else if (heading.number == previous) {
            c.Add(RuleId::kNumberingRepeat, ri, heading.marker, "序号“" + marker + "”与上一个同级序号重复");
          } else if (heading.number == 1) {
            // 1 again starts a new list (an appendix, a subtitle, a nested list): no slip.
            outer.push_back(previous);
          } else if (heading.number < previous) {
            c.Add(RuleId::kNumberingOrder, ri, heading.marker, "序号“" + marker + "”比上一个同级序号小");
          } else if (heading.number > previous + 1 &&
                     !MissingMarkerWritten(c, heading, report.headings[members[k - 1]].line,
                                           previous + 1)) {
            c.Add(RuleId::kNumberingSkip, ri, heading.marker,
                  "序号“" + marker + "”前缺少第 " + std::to_string(previous + 1) + " 号");
          }
        }
        previous = heading.number;
      }
      for (const auto& [h, depth] : repeated_first) {
        const Heading& heading = report.headings[h];
        c.Add(RuleId::kNumberingRepeat, ri, heading.marker,
              "序号“" + SpanText(text, heading.marker) + "”与上一个同级序号重复");
      }
    }
  }
}

// 一是……二积极……三是……: a member of the series without 是.
void CheckEnumerationSeries(CheckContext& c) {
  static const char* const kNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  std::string_view text = c.text();
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    const Report& report = c.outline.reports[r];
    for (const Paragraph& p : report.paragraphs) {
      std::string_view body = p.span.In(text);
      // Positions of 一是, 二是 … in the paragraph.
      size_t first = FindText(body, "一是");
      if (first == std::string_view::npos) continue;
      std::vector<size_t> found(10, std::string_view::npos);
      found[0] = first;
      static const char* const kSeries[] = {"一是", "二是", "三是", "四是", "五是",
                                            "六是", "七是", "八是", "九是", "十是"};
      for (int n = 1; n < 10; ++n) found[n] = FindText(body, kSeries[n], first);
      for (int n = 1; n + 1 < 10; ++n) {
        if (found[n] != std::string_view::npos || found[n + 1] == std::string_view::npos) continue;
        if (found[n - 1] == std::string_view::npos || found[n + 1] < found[n - 1]) continue;
        // The missing member: the numeral at a clause start between its neighbours.
        std::string_view between = body.substr(found[n - 1], found[n + 1] - found[n - 1]);
        std::string numeral = kNumerals[n];
        for (size_t at = between.find(numeral); at != std::string_view::npos;
             at = between.find(numeral, at + numeral.size())) {
          size_t pos = p.span.begin + found[n - 1] + at;
          char32_t before = CodePointBefore(text, pos);
          if (before != U'。' && before != U'；' && before != U'，' && before != U'：') continue;
          if (IsChineseNumeral(CodePointAt(text, pos + numeral.size()))) continue;
          Span span{static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + numeral.size())};
          Finding& f = c.Add(RuleId::kEnumerationSlip, static_cast<int>(r), span,
                             "“" + std::string(kNumerals[n - 1]) + "是、" + kNumerals[n + 1] + "是”之间的这一项应为“" +
                                 numeral + "是”");
          f.fix = numeral + "是";
          f.has_fix = true;
          break;
        }
      }
    }
  }
}

// --- paired punctuation -------------------------------------------------

void CheckPairedPunctuation(CheckContext& c) {
  struct Pair {
    char32_t open;
    char32_t open_alt;
    char32_t close;
    char32_t close_alt;
    const char* name;
  };
  static const Pair kPairs[] = {
      {U'“', 0, U'”', 0, "引号"},
      {U'（', '(', U'）', ')', "括号"},
      {U'《', 0, U'》', 0, "书名号"},
      {U'【', 0, U'】', 0, "方括号"},
  };
  constexpr size_t kPairCount = sizeof(kPairs) / sizeof(kPairs[0]);
  std::string_view text = c.text();
  // A PDF's table cells wrap into fragments on lines of their own, in an
  // order that splits their brackets; a Word table keeps each row whole.
  const bool pdf = c.source.encoding().starts_with("PDF");
  // What one paragraph leaves unmatched, per kind of pair.
  struct Unmatched {
    uint32_t first_line = 0, last_line = 0;
    bool table = false;  // in a PDF's table: matched with its neighbours, never reported
    std::vector<size_t> open[kPairCount];   // opened, never closed
    std::vector<size_t> close[kPairCount];  // closed, never opened
  };
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    const Report& report = c.outline.reports[r];
    std::vector<Unmatched> left;
    for (const Paragraph& p : report.paragraphs) {
      // The marker of a heading is checked by the numbering rules.
      uint32_t from = p.span.begin;
      if (p.heading >= 0) from = std::max(from, report.headings[p.heading].marker.end);
      std::string_view bounded = text.substr(0, p.span.end);
      Unmatched u;
      u.first_line = p.first_line;
      u.last_line = p.last_line;
      u.table = pdf && InTableBlock(c.source, p.first_line);
      // One pass, one stack of open positions per kind of pair.
      static constexpr std::array<unsigned char, 5> kMarkBytes = {0xE2, 0xE3, 0xEF, '(', ')'};
      for (size_t i = from;;) {
        // Only bytes that can start one of the marks need decoding: the
        // lead bytes E2 (“”), E3 (《》【】), EF (（）) and ASCII brackets,
        // none of which occurs inside another character.
        i = FindAnyByte(text, i, p.span.end, kMarkBytes);
        if (i >= p.span.end) break;
        size_t at = i;
        char32_t cp = utf8::Next(bounded, &i);
        for (size_t k = 0; k < kPairCount; ++k) {
          const Pair& pair = kPairs[k];
          if (cp == pair.open || (pair.open_alt && cp == pair.open_alt)) {
            u.open[k].push_back(at);
          } else if (cp == pair.close || (pair.close_alt && cp == pair.close_alt)) {
            if (!u.open[k].empty()) {
              u.open[k].pop_back();
            } else {
              u.close[k].push_back(at);
            }
          }
        }
      }
      left.push_back(std::move(u));
    }
    // A line broken inside a pair and not rejoined (a PDF's line ends in
    // “政府性基 and the next starts 金”…): what one paragraph leaves open, the
    // paragraph on the very next line closes — in a PDF, whose page layout
    // may put a cell's line between the two halves, up to three lines on.
    const uint32_t reach = pdf ? 3 : 1;
    for (size_t n = 0; n + 1 < left.size(); ++n) {
      Unmatched& a = left[n];
      for (size_t m = n + 1; m < left.size() && left[m].first_line <= a.last_line + reach; ++m) {
        Unmatched& b = left[m];
        for (size_t k = 0; k < kPairCount; ++k) {
          while (!a.open[k].empty() && !b.close[k].empty()) {
            a.open[k].pop_back();
            b.close[k].erase(b.close[k].begin());
          }
        }
      }
    }
    for (const Unmatched& u : left) {
      if (u.table) continue;
      std::vector<std::pair<size_t, std::string>> found;
      for (size_t k = 0; k < kPairCount; ++k) {
        for (size_t at : u.close[k])
          found.emplace_back(at, std::string("多出一个右") + kPairs[k].name + "，前面没有对应的左" + kPairs[k].name);
        for (size_t at : u.open[k])
          found.emplace_back(at, std::string("左") + kPairs[k].name + "在本段中没有对应的右" + kPairs[k].name);
      }
      std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      for (auto& [at, message] : found) {
        size_t end = at;
        utf8::Next(text, &end);
        c.Add(RuleId::kUnmatchedPair, static_cast<int>(r),
              Span{static_cast<uint32_t>(at), static_cast<uint32_t>(end)}, std::move(message));
      }
    }
  }
}

// --- web junk -----------------------------------------------------------

namespace {

// An account name in Latin letters and digits (wx2024, gw123456).
bool HasAccountName(std::string_view s) {
  size_t run = 0;
  bool letter = false, digit = false;
  for (char ch : s) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      ++run;
      letter |= std::isalpha(static_cast<unsigned char>(ch)) != 0;
      digit |= std::isdigit(static_cast<unsigned char>(ch)) != 0;
      if (run >= 5 && letter && digit) return true;
    } else {
      run = 0;
      letter = digit = false;
    }
  }
  return false;
}

// Whether a sentence advertises a template site: what it sells with a
// channel or a call to act, or a channel, a call to act and an account.
// `roles`: the bits of the roles whose words occur in it.
constexpr uint32_t kMaterialBit = 1, kChannelBit = 2, kActionBit = 4;
bool IsPromotional(uint32_t roles, std::string_view s) {
  bool channel = roles & kChannelBit;
  bool action = roles & kActionBit;
  if (roles & kMaterialBit) return channel || action;
  return channel && action && HasAccountName(s);
}

// Promotional sentences of template sites (关注微信公众号XX获取更多范文)
// anywhere in the body, each at most 80 characters long.
void CheckPromotionalSentences(CheckContext& c) {
  std::string_view text = c.text();
  // The words of the three roles (bits kMaterialBit, kChannelBit,
  // kActionBit), found in one pass over each sentence short enough to be one.
  const CheckContext::RolesMatcher& words = c.Matcher({"promo_material", "promo_channel", "promo_action"});
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    for (const Paragraph& p : c.outline.reports[r].paragraphs) {
      std::string_view body = p.span.In(text);
      size_t begin = 0;
      while (begin < body.size()) {
        // The sentence's end: the first 。！？ or line break, one byte loop.
        size_t end = body.size(), stop = body.size();
        static constexpr std::array<unsigned char, 3> kEndBytes = {'\n', 0xE3, 0xEF};
        for (size_t i = begin;;) {
          i = FindAnyByte(body, i, body.size(), kEndBytes);
          if (i >= body.size()) break;
          const auto b = static_cast<unsigned char>(body[i]);
          const auto b1 = i + 3 <= body.size() ? static_cast<unsigned char>(body[i + 1]) : 0;
          const auto b2 = i + 3 <= body.size() ? static_cast<unsigned char>(body[i + 2]) : 0;
          if (b == '\n' || (b == 0xE3 && b1 == 0x80 && b2 == 0x82) ||               // 。
              (b == 0xEF && b1 == 0xBC && (b2 == 0x81 || b2 == 0x9F))) {       // ！？
            end = i;
            stop = i + (b == '\n' ? 1 : 3);
            break;
          }
          ++i;
        }
        std::string_view sentence = body.substr(begin, end - begin);
        // Only a sentence of at most 80 characters (at most 4 bytes each) is
        // read for the words: most are longer, and the words of one sentence
        // are those found inside it.
        if (sentence.size() <= 80 * 4 && utf8::CountCodePoints(sentence) <= 80) {
          size_t b = sentence.find_first_not_of(" \t\r");
          uint32_t roles = 0;
          words.matcher.Scan(sentence, [&](uint32_t term, size_t) {
            roles |= 1u << words.role_of[term];
            return true;
          });
          if (b != std::string_view::npos && roles != 0 && IsPromotional(roles, sentence)) {
            Span span{static_cast<uint32_t>(p.span.begin + begin + b),
                      static_cast<uint32_t>(p.span.begin + stop)};
            Finding& f = c.Add(RuleId::kWebJunk, static_cast<int>(r), span,
                               "“" + SpanText(text, span) +
                                   "”是范文网站的推广语（公众号、客服、下载全文等），不是报告内容");
            f.fix = "";
            f.has_fix = true;
          }
        }
        begin = stop;
      }
    }
  }
}

}  // namespace

void CheckWebJunk(CheckContext& c) {
  std::string_view text = c.text();
  std::unordered_set<uint32_t> junk_lines(c.outline.junk_lines.begin(), c.outline.junk_lines.end());
  // One finding per block of junk lines (blank lines between them do not
  // end a block): a crawled page's navigation or footer is one thing to
  // delete, not forty; the other lines of the block are its related places.
  std::vector<uint32_t> lines(c.outline.junk_lines.begin(), c.outline.junk_lines.end());
  std::sort(lines.begin(), lines.end());
  auto blank_between = [&](uint32_t a, uint32_t b) {
    for (uint32_t l = a + 1; l < b; ++l) {
      if (c.source.LineBegin(l) != c.source.LineEnd(l)) return false;
    }
    return true;
  };
  // What page furniture is made of (data/junk_lines.tsv), whatever the role.
  auto furniture_words = [&](std::string_view line) {
    for (const DataRow& row : DataTable("junk_lines.tsv", 2)) {
      if (row[0] == "line" ? line == row[1] : line.find(row[1]) != std::string_view::npos) return true;
    }
    return false;
  };
  auto above_title = [&](uint32_t line) {
    return std::any_of(c.outline.reports.begin(), c.outline.reports.end(),
                       [&](const Report& r) { return r.first_line == line + 1; });
  };
  // A unit's name (data/unit_kinds.tsv name words: 审计, 卫生健康 …).
  auto names_unit = [&](std::string_view line) {
    for (const DataRow& row : DataTable("unit_kinds.tsv", 4)) {
      std::string_view words = row[2];
      for (size_t from = 0; from < words.size();) {
        size_t space = words.find(' ', from);
        std::string_view word = words.substr(from, space == std::string_view::npos ? std::string_view::npos : space - from);
        if (!word.empty() && line.find(word) != std::string_view::npos) return true;
        if (space == std::string_view::npos) break;
        from = space + 1;
      }
    }
    return false;
  };
  for (size_t i = 0; i < lines.size();) {
    size_t j = i + 1;
    while (j < lines.size() && blank_between(lines[j - 1], lines[j])) ++j;
    const uint32_t first = lines[i], last = lines[j - 1];
    Span span{c.source.LineBegin(first), c.source.LineEnd(first)};
    // One line right above a report's title that names a unit and holds
    // nothing of a web page's furniture is the title's own first line
    // (西安市审计局（汇总） over 2026年部门预算公开说明), not junk.
    if (first == last && above_title(first)) {
      const std::string line = SpanText(text, span);
      if (names_unit(line) && !furniture_words(line)) span = Span{};
    }
    if (!span.empty()) {
      std::string message = "“" + SpanText(text, span) + "”是网页带入的广告、标记或页面按钮，不属于任何报告";
      if (j - i > 1) {
        message = "第 " + std::to_string(first) + "–" + std::to_string(last) + " 行（" + std::to_string(j - i) +
                  " 行，从“" + SpanText(text, span) + "”起）是网页带入的页面内容（导航、来源、相关链接、广告等），"
                  "不属于任何报告";
      }
      Finding& f = c.Add(RuleId::kWebJunk, -1, span, message);
      for (size_t k = i + 1; k < j; ++k) {
        Span other{c.source.LineBegin(lines[k]), c.source.LineEnd(lines[k])};
        if (other.empty()) continue;
        Location loc = c.source.Locate(other.begin);
        f.related.push_back(RelatedPlace{other, loc.line, loc.column, "同一段网页内容"});
      }
      f.fix = "";
      f.has_fix = true;
    }
    i = j;
  }
  // Web-page controls (下载, 打印, 字号 …) as whole paragraphs inside reports:
  // the lines data/junk_lines.tsv lists as whole-line junk.
  std::unordered_set<std::string_view> controls;
  size_t longest_control = 0;  // a longer paragraph is no control: not hashed
  std::vector<std::string_view> furniture;  // what opens a page's navigation or footer line
  for (const DataRow& row : DataTable("junk_lines.tsv", 2)) {
    if (row[0] == "line") {
      controls.insert(row[1]);
      longest_control = std::max(longest_control, row[1].size());
    }
    if (row[0] == "head" || row[0] == "tail") furniture.push_back(row[1]);
  }
  // A short paragraph that opens (past a bracket) with a page's navigation
  // or footer words: （责任编辑：杨淼）, 分享到：, 上一篇：… pasted inside the body.
  auto page_furniture = [&](std::string_view t) {
    // At most 4 bytes a character: a longer paragraph is not counted.
    if (t.size() > 40 * 4 || utf8::CountCodePoints(t) > 40) return false;
    for (std::string_view open : {"（", "(", "【", "["}) {
      if (t.substr(0, open.size()) == open) {
        t.remove_prefix(open.size());
        break;
      }
    }
    return std::any_of(furniture.begin(), furniture.end(),
                       [&](std::string_view w) { return t.substr(0, w.size()) == w; });
  };
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    for (const Paragraph& p : c.outline.reports[r].paragraphs) {
      std::string_view body = p.span.In(text);
      size_t b = body.find_first_not_of(" \t\r\n");
      size_t e = body.find_last_not_of(" \t\r\n");
      if (b == std::string_view::npos) continue;
      const std::string_view line = body.substr(b, e - b + 1);
      const bool control = line.size() <= longest_control && controls.count(line) > 0;
      if (!control && !page_furniture(line)) continue;
      Span span{static_cast<uint32_t>(p.span.begin + b), static_cast<uint32_t>(p.span.begin + e + 1)};
      Finding& f = c.Add(RuleId::kWebJunk, static_cast<int>(r), span,
                         "“" + SpanText(text, span) + (control ? "”是网页上的按钮文字，不是报告内容"
                                                               : "”是网页的导航或页脚（来源、编辑、分享等），不是报告内容"));
      f.fix = "";
      f.has_fix = true;
    }
  }
  CheckPromotionalSentences(c);
  // Markers such as ##paidbegin## anywhere else, even inside a word.
  for (size_t at = FindText(text, "##"); at != std::string_view::npos; at = FindText(text, "##", at + 2)) {
    size_t k = at + 2;
    while (k < text.size() && std::isalpha(static_cast<unsigned char>(text[k]))) ++k;
    if (k == at + 2 || text.compare(k, 2, "##") != 0) continue;
    Span span{static_cast<uint32_t>(at), static_cast<uint32_t>(k + 2)};
    Location loc = c.source.Locate(span.begin);
    if (!junk_lines.count(loc.line)) {
      Finding& f = c.Add(RuleId::kWebJunk, ReportOf(c.outline, loc.line), span,
                         "“" + SpanText(text, span) + "”是网页带入的标记，应删除");
      f.fix = "";
      f.has_fix = true;
    }
    at = k;
  }
}

// --- the letter D for 党 -------------------------------------------------

void CheckLetterD(CheckContext& c) {
  std::string_view text = c.text();
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    Span whole = ReportSpan(c.source, c.outline.reports[r]);
    std::string_view bounded = text.substr(0, whole.end);
    // Each D (ASCII) and Ｄ in text order: memchr finds the one, FindText
    // the other (neither byte sequence occurs inside another character).
    size_t next_d = whole.begin, next_wide = whole.begin;
    auto find_d = [&](size_t from) {
      const void* hit = from < whole.end ? ::memchr(text.data() + from, 'D', whole.end - from) : nullptr;
      return hit ? static_cast<size_t>(static_cast<const char*>(hit) - text.data()) : whole.end;
    };
    auto find_wide = [&](size_t from) {
      size_t at = FindText(bounded, "Ｄ", from);
      return at == std::string_view::npos ? whole.end : at;
    };
    next_d = find_d(next_d);
    next_wide = find_wide(next_wide);
    while (next_d < whole.end || next_wide < whole.end) {
      const size_t at = std::min(next_d, next_wide);
      size_t i = at;
      utf8::Next(bounded, &i);
      if (at == next_d) next_d = find_d(at + 1);
      if (at == next_wide) next_wide = find_wide(at + 3);
      char32_t before = CodePointBefore(text, at);
      char32_t after = CodePointAt(text, i);
      if (IsAsciiAlnum(before) || before == U'Ｄ' || after == 0) continue;
      std::string next;
      utf8::Append(after, &next);
      if (!c.HasTerm("party_after", next)) continue;
      Span span{static_cast<uint32_t>(at), static_cast<uint32_t>(i)};
      Finding& f = c.Add(RuleId::kLetterDForParty, static_cast<int>(r), span,
                         "“" + SpanText(text, Span{span.begin, static_cast<uint32_t>(i + next.size())}) +
                             "”中的字母 D 应为“党”");
      f.fix = "党";
      f.has_fix = true;
    }
  }
}

// --- periods ------------------------------------------------------------

namespace {

// A budget (预算) is of its plan year, a final account (决算) of the year it
// closes: a heading that names another year (（二）关于2025年收入预算情况说明
// in a 2026 budget) or a 截至 date past that year (or, in a final account,
// before it) is left over from last year's text. Years after 比/较/与 and
// in ranges (2021—2025年) are comparisons and periods, not the book's year.
void CheckBudgetYears(CheckContext& c, int r) {
  std::string_view text = c.text();
  const Report& report = c.outline.reports[r];
  const std::string title = SpanText(text, report.title);
  const bool budget = FindText(title, "预算") != std::string::npos;
  const bool final_account = FindText(title, "决算") != std::string::npos;
  if (budget == final_account) return;
  // The year of the title (2022年部门综合预算), else the one the outline gives.
  const int year = report.years.size() == 1 ? report.years.front()
                                            : budget ? report.plan_year : report.summary_year;
  if (year == 0) return;
  const std::string_view book = budget ? "预算" : "决算";
  for (const Heading& heading : report.headings) {
    std::string_view t = heading.title.In(text);
    // Headings about the book's own figures (关于2025年收入预算情况说明), short
    // and without a clause: a list item's lead sentence is prose.
    if (t.find(book) == std::string_view::npos || FindText(t, "，") != std::string_view::npos ||
        utf8::CountCodePoints(t) > 40)
      continue;
    for (size_t at = FindText(t, "年"); at != std::string_view::npos; at = FindText(t, "年", at + 3)) {
      if (at < 4) continue;
      std::string_view digits = t.substr(at - 4, 4);
      if (!std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) continue;
      if (at >= 5 && t[at - 5] >= '0' && t[at - 5] <= '9') continue;
      std::string_view before = t.substr(0, at - 4);
      bool compared = false;
      for (std::string_view word : {"比", "较", "与", "—", "-", "－", "至", "到", "以来", "和"}) {
        compared |= before.size() >= word.size() && before.substr(before.size() - word.size()) == word;
      }
      std::string_view after = t.substr(at + 3, 6);
      for (std::string_view word : {"—", "-", "－", "至", "到", "和"}) compared |= after.substr(0, word.size()) == word;
      if (compared) continue;
      int named = std::atoi(std::string(digits).c_str());
      if (named == year) continue;
      Span span{static_cast<uint32_t>(heading.title.begin + at - 4), static_cast<uint32_t>(heading.title.begin + at + 3)};
      Finding& f = c.Add(RuleId::kPeriodMismatch, r, span,
                         std::string("本") + (budget ? "预算" : "决算") + "是" + std::to_string(year) +
                             "年的，这个标题却写“" + std::to_string(named) + "年”");
      f.related.push_back(c.Place(report.title, "报告标题"));
      break;
    }
  }
  for (const TimeExpr& t : c.facts.reports[r].times) {
    if (t.kind != TimeKind::kAsOf || t.end.size() < 4 || t.year_inferred) continue;
    if (FindText(SpanText(text, t.span), "截") == std::string::npos) continue;
    int as_of = std::atoi(t.end.substr(0, 4).c_str());
    // A budget states last year's holdings (截至2025年12月31日 in a 2026
    // budget) or this year's; a final account its own year's.
    bool fits = budget ? (as_of == year || as_of == year - 1) : as_of == year;
    if (fits) continue;
    c.Add(RuleId::kPeriodMismatch, r, t.span,
          "“" + SpanText(text, t.span) + "”与本" + (budget ? "预算" : "决算") + "的年度（" + std::to_string(year) +
              "年）不符");
  }
}

}  // namespace

// A summary heading naming another year than the report reviews (一、2022年
// 工作总结 in a 2023 report), and as-of dates more than a year after it.
void CheckPeriods(CheckContext& c) {
  std::string_view text = c.text();
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    const Report& report = c.outline.reports[r];
    const int year = report.summary_year;
    if (year == 0) continue;
    for (const Section& section : report.sections) {
      bool looks_back = section.kind == SectionKind::kSummary || section.kind == SectionKind::kHighlights ||
                        section.kind == SectionKind::kProblems;
      if (!looks_back || section.heading < 0 || section.year == 0 || section.year == year) continue;
      const Heading& heading = report.headings[section.heading];
      std::string title = SpanText(text, heading.title);
      if (title.find(std::to_string(section.year)) == std::string::npos) continue;  // year written as such
      Finding& f = c.Add(RuleId::kPeriodMismatch, static_cast<int>(r), heading.title,
                         "本报告总结的是" + std::to_string(year) + "年，这个标题却写“" + std::to_string(section.year) +
                             "年”");
      f.related.push_back(c.Place(report.title, "报告标题"));
    }
    const ReportFacts& facts = c.facts.reports[r];
    for (const TimeExpr& t : facts.times) {
      if (t.kind != TimeKind::kAsOf || t.end.size() < 4 || t.year_inferred) continue;
      // 截至/截止 states what was done by then; 到2030年 sets a target.
      if (FindText(SpanText(text, t.span), "截") == std::string::npos) continue;
      int as_of = std::atoi(t.end.substr(0, 4).c_str());
      if (as_of <= year + 1) continue;
      int line = static_cast<int>(t.line);
      bool in_summary = false;
      for (const Section& section : report.sections) {
        if (line >= static_cast<int>(section.first_line) && line <= static_cast<int>(section.last_line)) {
          in_summary = section.kind == SectionKind::kSummary || section.kind == SectionKind::kHighlights;
        }
      }
      if (!in_summary) continue;
      c.Add(RuleId::kPeriodMismatch, static_cast<int>(r), t.span,
            "“" + SpanText(text, t.span) + "”晚于本报告总结的" + std::to_string(year) + "年一年以上");
    }
    CheckBudgetYears(c, static_cast<int>(r));
  }
}

// --- doubled punctuation ------------------------------------------------

// 。。 ，， ；； ：： 、、: a mark written twice, left over from an edit. Runs
// of …… and —— are marks of their own; a PDF's table cells are left alone.
void CheckDoubledPunctuation(CheckContext& c) {
  static constexpr std::string_view kMarks[] = {"。", "，", "；", "：", "、"};
  static_assert([] {
    for (std::string_view mark : kMarks) {
      if (mark.size() != 3 || (mark[0] != '\xE3' && mark[0] != '\xEF')) return false;
    }
    return true;
  }());
  std::string_view text = c.text();
  const bool pdf = c.source.encoding().starts_with("PDF");
  // Whether a paragraph holds a mark twice in a row, in one pass: the marks
  // are three bytes opening with E3 or EF, which Han characters never do
  // (most paragraphs have none, and are left at that).
  auto has_doubled = [](std::string_view body) {
    const char* s = body.data();
    if (body.size() < 6) return false;
    static constexpr std::array<unsigned char, 2> kLeads = {0xE3, 0xEF};
    for (size_t i = 0;; ++i) {
      i = FindAnyByte(body, i, body.size() - 5, kLeads);
      if (i + 6 > body.size()) break;
      if (s[i + 1] != s[i + 4] || s[i + 2] != s[i + 5] || s[i + 3] != s[i]) continue;
      for (std::string_view mark : kMarks) {
        if (body.compare(i, mark.size(), mark) == 0) return true;
      }
    }
    return false;
  };
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    for (const Paragraph& p : c.outline.reports[r].paragraphs) {
      std::string_view body = p.span.In(text);
      if (!has_doubled(body)) continue;
      if (pdf && InTableBlock(c.source, p.first_line)) continue;
      for (std::string_view mark : kMarks) {
        for (size_t at = body.find(mark); at != std::string_view::npos; at = body.find(mark, at + mark.size())) {
          size_t run = at + mark.size();
          while (body.substr(run, mark.size()) == mark) run += mark.size();
          if (run == at + mark.size()) continue;
          Span span{static_cast<uint32_t>(p.span.begin + at), static_cast<uint32_t>(p.span.begin + run)};
          Finding& f = c.Add(RuleId::kDoubledPunctuation, static_cast<int>(r), span,
                             "“" + std::string(mark) + "”连写了 " + std::to_string((run - at) / mark.size()) + " 次");
          f.fix = std::string(mark);
          f.has_fix = true;
          at = run - mark.size();
        }
      }
    }
  }
}

// --- duplicated sentences -----------------------------------------------

namespace {
bool IsLayoutSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }
}  // namespace

void CheckDuplicates(CheckContext& c) {
  constexpr size_t kMinChars = 20;  // shorter sentences repeat by nature (一是加强领导。)
  std::string_view text = c.text();
  struct Seen {
    int report;
    Span span;
    bool heading;
  };
  // Tables repeat their rows and cells by design (≥ 95 %, 一般公共服务支出);
  // a heading is repeated by the table of contents (目录) that lists it, and
  // a book of tables by the list of its tables; a budget repeats its formula
  // sentences (主要原因是…, 注：本表…) under every item and table: none is a
  // slip. Neither is a sentence stated three times or more: a slip copies once.
  // A sentence's key: its bytes without layout spaces, a view of the text
  // itself unless it has some; made once and used by both passes.
  std::deque<std::string> stripped;  // keys of sentences with spaces or breaks
  auto key_of = [&](const Sentence& s) {
    std::string_view raw = s.span.In(text);
    // (A byte loop: find_first_of with a set calls memchr once per byte.)
    if (!std::any_of(raw.begin(), raw.end(), IsLayoutSpace)) return raw;
    std::string& key = stripped.emplace_back();
    key.reserve(raw.size());
    for (char ch : raw) {
      if (!IsLayoutSpace(ch)) key += ch;
    }
    return std::string_view(key);
  };
  // Each key once: how often it is written, and where first as a sentence
  // that counts (the second pass); each sentence holds its key's entry.
  struct Entry {
    int copies = 0;
    bool seen = false;
    Seen first{};
  };
  std::unordered_map<std::string_view, Entry> entries;
  std::vector<std::vector<std::pair<const std::string_view, Entry>*>> entry_of(c.outline.reports.size());
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    const Report& report = c.outline.reports[r];
    entry_of[r].resize(report.sentences.size());
    for (size_t i = 0; i < report.sentences.size(); ++i) {
      const Sentence& s = report.sentences[i];
      if (s.span.end - s.span.begin < kMinChars * 3 / 2) continue;
      auto& entry = *entries.try_emplace(key_of(s)).first;
      ++entry.second.copies;
      entry_of[r][i] = &entry;
    }
  }
  auto formula = [&](std::string_view sentence) {
    // A field of a form: a label of at most twelve characters, then ：
    // (项目绩效目标完成情况：…, 发现的问题及原因：…), not an item 一是…：.
    // (Looked for only where such a label can end: twelve characters of at
    // most four bytes; a first ： further on has a longer label.)
    size_t colon = FindText(sentence.substr(0, 12 * 4 + 3), "：");
    if (colon != std::string_view::npos && colon > 0) {
      std::string_view label = sentence.substr(0, colon);
      size_t first = 0;
      char32_t cp = utf8::Next(label, &first);
      bool plain = utf8::CountCodePoints(label) <= 12 && !IsChineseNumeral(cp) && cp != U'第' &&
                   !(cp >= '0' && cp <= '9');
      for (size_t i = 0; plain && i < label.size();) plain = !IsItemBreak(utf8::Next(label, &i));
      if (plain) return true;
    }
    // The formula words stand in the sentence's first twenty characters.
    size_t head = 0;
    for (int n = 0; n < 20 && head < sentence.size(); ++n) utf8::Next(sentence, &head);
    std::string_view lead = sentence.substr(0, head);
    for (const std::string& word : c.Terms("formula_lead")) {
      if (lead.find(word) != std::string_view::npos) return true;
    }
    return false;
  };
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    const Report& report = c.outline.reports[r];
    const TableOfContents& toc = c.Toc(r);
    for (size_t i = 0; i < report.sentences.size(); ++i) {
      const Sentence& s = report.sentences[i];
      const std::string_view raw = s.span.In(text);
      if (raw.size() < kMinChars * 3 / 2) continue;  // cannot hold kMinChars characters
      // A key written once (most sentences) or three times or more gives no
      // finding whatever the sentence is: the tests below are for the pairs.
      if (entry_of[r][i]->second.copies != 2) continue;
      const Paragraph& paragraph = report.paragraphs[s.paragraph];
      // (The sentence's own line: a PDF paragraph may run from the prose
      // into the table under it.)
      const uint32_t line = c.source.Locate(s.span.begin).line;
      if (InTableBlock(c.source, paragraph.first_line) || InTableBlock(c.source, line) ||
          InTableOfContents(toc, paragraph.first_line) || formula(raw))
        continue;
      const bool heading = paragraph.heading >= 0 &&
                           s.span.begin <= report.headings[paragraph.heading].title.end;
      auto& [key, entry] = *entry_of[r][i];
      // Cells of figures (327.340000 327.340000) are no sentence: it takes
      // words to repeat one.
      size_t han = 0;
      for (size_t k = 0; k < key.size();) han += utf8::Next(key, &k) >= 0x3400;
      if (utf8::CountCodePoints(key) < kMinChars || han < kMinChars / 2 || entry.copies >= 3) continue;
      if (!entry.seen) {
        entry.seen = true;
        entry.first = Seen{static_cast<int>(r), s.span, heading};
        continue;
      }
      const Seen& earlier = entry.first;
      if (heading && earlier.heading) continue;
      Location loc = c.source.Locate(earlier.span.begin);
      if (earlier.report == static_cast<int>(r)) {
        Finding& f = c.Add(RuleId::kDuplicateSentence, static_cast<int>(r), s.span,
                           "这句话与本报告第" + std::to_string(loc.line) + "行的句子完全相同");
        f.related.push_back(c.Place(earlier.span, "第一次出现"));
      } else {
        Finding& f = c.Add(RuleId::kDuplicateAcrossReports, static_cast<int>(r), s.span,
                           "这句话与第 " + std::to_string(earlier.report + 1) + " 篇报告第" + std::to_string(loc.line) +
                               "行的句子完全相同");
        f.related.push_back(c.Place(earlier.span, "另一篇报告中的同一句"));
      }
    }
  }
}

}  // namespace taizhang::check_internal
