// Time expressions in running text: dates (2023年10月29日), periods (1-10月份,
// 上半年, 前三季度), as-of (截至10月底), since (今年以来), deadlines (年底前,
// 2024年10月完成) and recurrences (每月, 一月一通报, 周调度).
//
// One left-to-right scan over the span. It stops only at digits, the numerals
// of dates (〇 一 … 十 两) and the first characters of the words in
// data/time_words.tsv (a bitmap built once), and at each stop tries in order:
//   1. a recurrence     每月, 按季度, 一月一通报, 周调度
//   2. an as-of         截至 / 至 / 到 + a time or 目前, then 为止
//   3. a since prefix   自 / 从 + a time (+ 以来 / 起)
//   4. a time           then 以来 (since), 前 (deadline, in the span) or a
//                       completion verb (deadline, verb not in the span)
//   5. 目前 alone        as-of at an unknown day
// A time is [year] [part of the year | quarter | month [day | part of month]],
// optionally followed by a range dash and a second time that inherits what it
// leaves out (3月21日—27日, 2023年10月至2024年3月). The grammar particles
// 年 月 日 号 份 季度 个月 第 前 and the range dashes live here; all other
// words are data.
//
// Dates come from the calendar only. Years not written in the expression come
// from TimeContext::year; relative years (今年 去年) from report_year; when the
// needed year is 0 the expression is still reported, with empty dates.
// Choices: 年初 = January, 年中 = June–July, 年底/年末 = December, 月初 = days
// 1–10, 月底/月末 = days 21–end (so 截至8月底 ends on 08-31), a since ends on
// 31 December of the report year (or of its own year when that is later or
// the report year is unknown), and a span with two written ends (1-10月) is
// never a deadline. Tense is not known: 上半年完成… is a deadline unless 了
// follows the verb or the time ends before the report year.
#include <algorithm>
#include <array>
#include <bitset>
#include <charconv>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/calendar.h"
#include "common/chinese_numeral.h"
#include "common/language_data.h"
#include "common/utf8.h"
#include "extract/extract.h"
#include "extract/sentence_hits.h"

namespace taizhang {

const char* TimeKindName(TimeKind k) {
  switch (k) {
    case TimeKind::kDate:
      return "date";
    case TimeKind::kPeriod:
      return "period";
    case TimeKind::kAsOf:
      return "as_of";
    case TimeKind::kSince:
      return "since";
    case TimeKind::kDeadline:
      return "deadline";
    case TimeKind::kRecurrence:
      return "recurrence";
  }
  return "";
}

namespace {

// ---------------------------------------------------------------------------
// Calendar

constexpr int kLastDay = 31;  // "to the end of the month"; clamped on output

// Days in a month; with year 0 (unknown) February has 29, so 2月29日 without
// a year is never flagged as a day that does not exist.
int DaysInMonth(int year, int month) {
  constexpr int kSomeLeapYear = 2024;
  return calendar::DaysInMonth(year == 0 ? kSomeLeapYear : year, month);
}

// A calendar day; year 0 when the year is unknown.
struct Day {
  int year = 0;
  int month = 1;
  int day = 1;
};

bool DayBefore(const Day& a, const Day& b) {
  if (a.year != 0 && b.year != 0 && a.year != b.year) return a.year < b.year;
  if (a.month != b.month) return a.month < b.month;
  return a.day < b.day;
}

std::string Iso(const Day& d) {
  if (d.year <= 0) return "";
  return calendar::FormatIsoDay(calendar::CivilDay{d.year, d.month, std::min(d.day, DaysInMonth(d.year, d.month))});
}

// ---------------------------------------------------------------------------
// Words (data/time_words.tsv)

enum class Role : uint8_t {
  kRelativeYear,
  kYearPart,
  kYearSuffix,
  kMonthPart,
  kQuarterPart,
  kAsOf,
  kAsOfEnd,
  kNow,
  kSincePrefix,
  kSinceSuffix,
  kDeadlineSuffix,
  kDeadlineVerb,
  kDeadlineAdverb,
  kNotAfterVerb,
  kEveryPrefix,
  kEveryUnit,
  kRecurrence,
  kPeriodicUnit,
  kPeriodicVerb,
  kOnePerWord,
  kBeforeChineseMonth,
  kNotTime,
  kCount
};

constexpr std::pair<std::string_view, Role> kRoleNames[] = {
    {"relative_year", Role::kRelativeYear},
    {"year_part", Role::kYearPart},
    {"year_suffix", Role::kYearSuffix},
    {"month_part", Role::kMonthPart},
    {"quarter_part", Role::kQuarterPart},
    {"as_of", Role::kAsOf},
    {"as_of_end", Role::kAsOfEnd},
    {"now", Role::kNow},
    {"since_prefix", Role::kSincePrefix},
    {"since_suffix", Role::kSinceSuffix},
    {"deadline_suffix", Role::kDeadlineSuffix},
    {"deadline_verb", Role::kDeadlineVerb},
    {"deadline_adverb", Role::kDeadlineAdverb},
    {"not_after_verb", Role::kNotAfterVerb},
    {"every_prefix", Role::kEveryPrefix},
    {"every_unit", Role::kEveryUnit},
    {"recurrence", Role::kRecurrence},
    {"periodic_unit", Role::kPeriodicUnit},
    {"periodic_verb", Role::kPeriodicVerb},
    {"one_per_word", Role::kOnePerWord},
    {"before_chinese_month", Role::kBeforeChineseMonth},
    {"not_time", Role::kNotTime},
};

// Roles whose words can open an expression: their first characters are stops.
constexpr Role kOpeningRoles[] = {Role::kRelativeYear, Role::kYearPart,    Role::kAsOf,
                                  Role::kNow,          Role::kSincePrefix, Role::kEveryPrefix,
                                  Role::kRecurrence,   Role::kPeriodicUnit};

struct Word {
  std::string_view text;
  std::string_view value;
  // The numbers of the value: offset of a relative year, MM DD MM DD of a
  // year part, DD DD of a month part, M M of a quarter part, the count of a
  // duration ("3M" → 3). "end" reads as kLastDay.
  std::array<int, 4> numbers{};
  char duration_unit = 0;  // D W M Y of a duration value
};

void ParseValue(Role role, Word* w) {
  std::string_view v = w->value;
  if (role == Role::kRelativeYear) {
    std::from_chars(v.data(), v.data() + v.size(), w->numbers[0]);
    return;
  }
  size_t n = 0;
  for (size_t i = 0; i < v.size() && n < w->numbers.size();) {
    if (v[i] >= '0' && v[i] <= '9') {
      auto [end, ec] = std::from_chars(v.data() + i, v.data() + v.size(), w->numbers[n++]);
      i = static_cast<size_t>(end - v.data());
    } else if (v.substr(i, 3) == "end") {
      w->numbers[n++] = kLastDay;
      i += 3;
    } else {
      ++i;
    }
  }
  if (!v.empty() && (v.back() == 'D' || v.back() == 'W' || v.back() == 'M' || v.back() == 'Y')) {
    w->duration_unit = v.back();
  }
}

// True when a word's numbers make sense for its role; a data slip drops the
// word instead of producing impossible dates.
bool ValidValue(Role role, const Word& w) {
  const auto& n = w.numbers;
  auto in = [](int v, int lo, int hi) { return v >= lo && v <= hi; };
  switch (role) {
    case Role::kRelativeYear:
      return in(n[0], -10, 10);
    case Role::kYearPart:
    case Role::kYearSuffix:
      return in(n[0], 1, 12) && in(n[1], 1, 31) && in(n[2], 1, 12) && in(n[3], 1, 31) &&
             n[0] * 100 + n[1] <= n[2] * 100 + n[3];
    case Role::kMonthPart:
      return in(n[0], 1, 31) && in(n[1], n[0], 31);
    case Role::kQuarterPart:
      return in(n[0], 1, 3) && in(n[1], n[0], 3);
    case Role::kEveryUnit:
    case Role::kRecurrence:
    case Role::kPeriodicUnit:
      return in(n[0], 1, 99) && w.duration_unit != 0;
    default:
      return true;
  }
}

class TimeLexicon {
 public:
  static const TimeLexicon& Get() {
    static const TimeLexicon* lexicon = new TimeLexicon();
    return *lexicon;
  }

  const std::vector<Word>& Words(Role role) const { return words_[static_cast<size_t>(role)]; }

  // False when no word of `role` starts with cp (a quick filter before
  // comparing words; code points outside the BMP always pass).
  bool MayStart(Role role, char32_t cp) const {
    return cp >= kFilterSize || first_chars_[static_cast<size_t>(role)].test(cp);
  }

  // True for code points where an expression may start.
  bool IsStop(char32_t cp) const { return cp < stops_.size() && stops_[cp]; }

  // not_time words by each code point in them, with that code point's byte offset.
  const std::vector<std::pair<std::string_view, size_t>>* NotTimeAround(char32_t cp) const {
    auto it = not_time_by_char_.find(cp);
    return it == not_time_by_char_.end() ? nullptr : &it->second;
  }

 private:
  TimeLexicon() {
    for (const DataRow& row : DataTable("time_words.tsv", 3)) {
      for (const auto& [name, role] : kRoleNames) {
        if (row[0] != name) continue;
        Word w{row[1], row[2]};
        ParseValue(role, &w);
        if (!w.text.empty() && ValidValue(role, w)) words_[static_cast<size_t>(role)].push_back(w);
      }
    }
    for (size_t r = 0; r < words_.size(); ++r) {
      std::stable_sort(words_[r].begin(), words_[r].end(),
                       [](const Word& a, const Word& b) { return a.text.size() > b.text.size(); });
      for (const Word& w : words_[r]) {
        size_t k = 0;
        char32_t cp = utf8::Next(w.text, &k);
        if (cp < kFilterSize) first_chars_[r].set(cp);
      }
    }
    for (Role role : kOpeningRoles) {
      for (const Word& w : Words(role)) {
        size_t k = 0;
        char32_t cp = utf8::Next(w.text, &k);
        if (cp < stops_.size()) stops_[cp] = true;
      }
    }
    // The numerals of dates and counts, and 第 of 第一季度.
    for (char32_t cp = 0; cp < 0x10000; ++cp) {
      int64_t v = ChineseNumeralValue(cp);
      if (v >= 0 && v <= 10) stops_[cp] = true;
    }
    for (char32_t cp = '0'; cp <= '9'; ++cp) stops_[cp] = true;
    for (char32_t cp = U'０'; cp <= U'９'; ++cp) stops_[cp] = true;
    stops_[U'第'] = true;
    stops_[U'前'] = true;
    for (const Word& w : Words(Role::kNotTime)) {
      for (size_t k = 0; k < w.text.size();) {
        size_t at = k;
        not_time_by_char_[utf8::Next(w.text, &k)].emplace_back(w.text, at);
      }
    }
  }

  static constexpr size_t kFilterSize = 0x10000;
  std::array<std::vector<Word>, static_cast<size_t>(Role::kCount)> words_;
  std::array<std::bitset<kFilterSize>, static_cast<size_t>(Role::kCount)> first_chars_;
  std::bitset<0x10000> stops_;
  std::unordered_map<char32_t, std::vector<std::pair<std::string_view, size_t>>> not_time_by_char_;
};

// ---------------------------------------------------------------------------
// Characters

int DigitValue(char32_t cp) {
  if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
  if (cp >= U'０' && cp <= U'９') return static_cast<int>(cp - U'０');
  return -1;
}

// Numerals of dates and counts: 〇 零 一 … 九 十 两 (not 百 千 万 亿).
bool IsSmallChineseNumeral(char32_t cp) {
  int64_t v = ChineseNumeralValue(cp);
  return v >= 0 && v <= 10;
}

bool IsAsciiLetter(char32_t cp) { return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'); }

bool IsHan(char32_t cp) { return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF); }

// ---------------------------------------------------------------------------
// Numbers inside times

// One number: Arabic (ASCII or full-width digits) or small Chinese numerals.
struct Numeral {
  int value = 0;
  size_t end = 0;
  int chars = 0;  // code points
  bool chinese = false;
  bool has_ten = false;  // 十 in it: positional (二十九), not digit by digit (二〇二三)
  bool has_liang = false;
};

// How a number is used, which decides the forms it may take.
enum class NumeralUse : uint8_t {
  kYear,      // 2023, ２０２３, 二〇二三: four digits
  kCalendar,  // month or day: 10, 十, 二十九 (not 两, not 一二)
  kCount,     // 前两季度, 前10个月, 每3个月
};

bool Fits(const Numeral& n, NumeralUse use) {
  switch (use) {
    case NumeralUse::kYear:
      return n.chars == 4 && !n.has_ten && !n.has_liang;
    case NumeralUse::kCalendar:
      return n.chinese ? !n.has_liang && (n.chars == 1 || n.has_ten) : n.chars <= 2;
    case NumeralUse::kCount:
      return n.chinese ? n.chars <= 3 : n.chars <= 2;
  }
  return false;
}

// Numbers followed by their unit: lo == hi for one number.
struct Numbers {
  int lo = 0;
  int hi = 0;
  size_t end = 0;   // past the unit
  size_t unit = 0;  // index of the unit matched
  bool chinese = false;
};

// Time expression found by the scanner, before it becomes a TimeExpr.
struct Found {
  size_t begin = 0;
  size_t end = 0;
  TimeKind kind = TimeKind::kPeriod;
  std::string begin_date;
  std::string end_date;
  std::string every;
  bool year_inferred = false;
};

// A parsed time: the days it covers and how it was written.
struct TimeMatch {
  size_t end = 0;
  Day first, last;
  bool single_day = false;    // a date
  bool range = false;         // two written ends: 1-10月, 2023-2025年, 8月-12月
  bool year_written = false;  // the year is in the text
  bool day_level = false;     // ends with a day: a following range may give the day only
};

// Months and days inside one year (or a run of years).
struct WithinYear {
  size_t end = 0;
  int first_month = 1, first_day = 1, last_month = 12, last_day = kLastDay;
  bool single_day = false;
  bool range = false;
  bool day_level = false;
  bool invalid = false;  // a written day that the calendar does not have
};

class TimeScanner {
 public:
  TimeScanner(const SourceText& source, Span span, const TimeContext& context,
              const extract_internal::SentenceHits* hits = nullptr)
      : source_(source), lexicon_(TimeLexicon::Get()), context_(context), hits_(hits) {
    size_t end = std::min<size_t>(span.end, source.text().size());
    text_ = source.text().substr(0, end);
    begin_ = std::min<size_t>(span.begin, end);
  }

  void Run(std::vector<TimeExpr>* out) const {
    size_t i = begin_;
    if (hits_ != nullptr && hits_->valid) {
      // The characters where an expression may start, found beforehand: the
      // same ones the loop below stops at.
      for (const extract_internal::Hit& h : hits_->hits) {
        if ((h.flags & extract_internal::kHitTime) == 0 || h.pos < i) continue;
        i = h.next;
        std::optional<Found> found = MatchAt(h.pos, h.cp);
        if (!found) continue;
        out->push_back(ToTimeExpr(*found));
        i = std::max(i, found->end);
      }
      return;
    }
    while (i < text_.size()) {
      size_t at = i;
      char32_t cp = utf8::Next(text_, &i);
      if (!lexicon_.IsStop(cp)) continue;
      std::optional<Found> found = MatchAt(at, cp);
      if (!found) continue;
      out->push_back(ToTimeExpr(*found));
      i = std::max(i, found->end);  // every match starts at `at` and is not empty
    }
  }

 private:
  // --- primitives ---------------------------------------------------------

  // The code point at pos (0 at the end); *next is set past it.
  char32_t At(size_t pos, size_t* next = nullptr) const {
    if (pos >= text_.size()) {
      if (next) *next = text_.size();
      return 0;
    }
    size_t i = pos;
    char32_t cp = utf8::Next(text_, &i);
    if (next) *next = i;
    return cp;
  }

  // The code point before pos, 0 at the start of the span.
  char32_t Before(size_t pos) const {
    if (pos <= begin_ || pos > text_.size()) return 0;
    size_t p = pos;
    char32_t cp = utf8::Prev(text_.substr(0, pos), &p);
    return p < begin_ ? 0 : cp;
  }

  // text_.compare(pos, s.size(), s) == 0, inline: the words are a few bytes,
  // shorter than a call to the library's memcmp.
  bool StartsWith(size_t pos, std::string_view s) const {
    if (pos > text_.size() || text_.size() - pos < s.size()) return false;
    const char* at = text_.data() + pos;
    for (size_t k = 0; k < s.size(); ++k) {
      if (at[k] != s[k]) return false;
    }
    return true;
  }

  // Longest word of `role` at pos, or nullptr.
  const Word* Match(Role role, size_t pos) const {
    if (pos >= text_.size()) return nullptr;
    size_t next = pos;
    if (!lexicon_.MayStart(role, utf8::Next(text_, &next))) return nullptr;
    for (const Word& w : lexicon_.Words(role)) {
      if (StartsWith(pos, w.text)) return &w;
    }
    return nullptr;
  }

  // True when a not_time word overlaps text[begin, end) without lying inside it.
  bool Blocked(size_t begin, size_t end) const {
    for (size_t q = begin; q < end && q < text_.size();) {
      size_t at = q;
      const auto* around = lexicon_.NotTimeAround(utf8::Next(text_, &q));
      if (around == nullptr) continue;
      for (const auto& [word, offset] : *around) {
        if (at < begin_ + offset) continue;
        size_t start = at - offset;
        if ((start < begin || start + word.size() > end) && StartsWith(start, word)) return true;
      }
    }
    return false;
  }

  // A range dash at pos: - － — —— – ~ ～ 〜 至 到. Sets *next past it.
  bool RangeDash(size_t pos, size_t* next) const {
    char32_t cp = At(pos, next);
    if (cp == U'—' && At(*next) == U'—') At(*next, next);
    return cp == '-' || cp == U'－' || cp == U'—' || cp == U'–' || cp == '~' || cp == U'～' ||
           cp == U'〜' || cp == U'至' || cp == U'到';
  }

  // --- numbers ------------------------------------------------------------

  std::optional<Numeral> ReadNumeral(size_t pos) const {
    Numeral n;
    size_t next;
    char32_t cp = At(pos, &next);
    if (DigitValue(cp) >= 0) {
      int64_t value = 0;
      size_t i = pos;
      for (int d; (d = DigitValue(At(i, &next))) >= 0; i = next) {
        if (++n.chars <= 9) value = value * 10 + d;
      }
      if (n.chars > 9) return std::nullopt;  // 12345678901: no time
      n.value = static_cast<int>(value);
      n.end = i;
      return n;
    }
    if (!IsSmallChineseNumeral(cp)) return std::nullopt;
    size_t i = pos;
    for (; IsSmallChineseNumeral(cp = At(i, &next)); i = next) {
      ++n.chars;
      n.has_ten |= ChineseNumeralValue(cp) == 10;
      n.has_liang |= cp == U'两';
      if (n.chars > 8) return std::nullopt;
    }
    std::optional<int64_t> value = ParseChineseNumber(text_.substr(pos, i - pos));
    if (!value || *value > 9999) return std::nullopt;
    n.value = static_cast<int>(*value);
    n.chinese = true;
    n.end = i;
    return n;
  }

  // Numbers in [min, max] at pos followed by one of `units`: a range
  // (1-10月, 2023—2025年, 一至三季度) when it fits, else one number.
  std::optional<Numbers> ReadNumbers(size_t pos, NumeralUse use, int min, int max,
                                     std::initializer_list<std::string_view> units) const {
    std::optional<Numeral> first = ReadNumeral(pos);
    if (!first || !Fits(*first, use) || first->value < min || first->value > max) {
      return std::nullopt;
    }
    auto unit_at = [&](size_t p, Numbers* out) {
      size_t k = 0;
      for (std::string_view u : units) {
        if (StartsWith(p, u)) {
          out->end = p + u.size();
          out->unit = k;
          return true;
        }
        ++k;
      }
      return false;
    };
    Numbers numbers;
    numbers.lo = numbers.hi = first->value;
    numbers.chinese = first->chinese;
    size_t dash_end;
    if (RangeDash(first->end, &dash_end)) {
      std::optional<Numeral> second = ReadNumeral(dash_end);
      if (second && Fits(*second, use) && second->chinese == first->chinese &&
          second->value > first->value && second->value <= max && unit_at(second->end, &numbers)) {
        numbers.hi = second->value;
        return numbers;
      }
    }
    if (unit_at(first->end, &numbers)) return numbers;
    return std::nullopt;
  }

  // --- the time grammar -----------------------------------------------------

  struct YearSpec {
    int lo = 0, hi = 0;  // 0: unknown
    bool written = false;
    bool ends_with_nian = false;  // a suffix may share its 年: 2023年底, 今年内
    size_t end = 0;
  };

  int RelativeYear(int offset) const {
    return context_.report_year > 0 ? context_.report_year + offset : 0;
  }

  // 2023年, 2023-2025年, 二〇二三年, or a relative year (今年, 上一年度).
  std::optional<YearSpec> ParseYear(size_t pos) const {
    YearSpec year;
    if (auto n = ReadNumbers(pos, NumeralUse::kYear, 1900, 2100, {"年"})) {
      year.lo = n->lo;
      year.hi = n->hi;
      year.written = true;
      year.ends_with_nian = true;
      year.end = n->end;
      return year;
    }
    const Word* w = Match(Role::kRelativeYear, pos);
    if (w == nullptr || Blocked(pos, pos + w->text.size())) return std::nullopt;
    year.lo = year.hi = RelativeYear(w->numbers[0]);
    year.ends_with_nian = w->text.ends_with("年");
    year.end = pos + w->text.size();
    return year;
  }

  // A word's MM-DD..MM-DD value as a part of the year.
  static WithinYear PartOfYear(const Word& w, size_t end) {
    WithinYear within;
    within.first_month = w.numbers[0];
    within.first_day = w.numbers[1];
    within.last_month = w.numbers[2];
    within.last_day = w.numbers[3];
    within.end = end;
    return within;
  }

  // What follows a year, or stands for a part of the section's year: 上半年,
  // 年底, 第一季度, 前三季度, 前10个月, 10月, 1-10月份, 10月29日, 8月底.
  // `standalone`: no year before it. `left`: the first end of a range, whose
  // month a day-only second end (21日—27日) inherits. validation_year checks
  // day numbers (0 allows 2月29日).
  std::optional<WithinYear> ParseWithinYear(size_t pos, bool standalone, const TimeMatch* left,
                                            int validation_year) const {
    char32_t before = Before(pos);
    bool after_numeral =
        DigitValue(before) >= 0 || IsSmallChineseNumeral(before) || before == U'几';

    if (const Word* w = Match(Role::kYearPart, pos)) {
      size_t end = pos + w->text.size();
      if (!(standalone && after_numeral) && !Blocked(pos, end)) return PartOfYear(*w, end);
    }

    // Quarters and first months: 第一季度, 一季度, 前三季度, 1-3季度, 前10个月.
    size_t p = pos;
    size_t next;
    char32_t cp = At(pos, &next);
    bool ordinal = cp == U'第';
    bool first_n = cp == U'前';
    if (ordinal || first_n) {
      if (standalone && first_n && Blocked(pos, next)) return std::nullopt;
      p = next;
    }
    if (auto q = ReadNumbers(p, NumeralUse::kCount, 1, 12, {"季度", "个月"})) {
      WithinYear within;
      within.end = q->end;
      if (q->unit == 0 && q->hi <= 4) {
        int first_quarter = first_n ? 1 : q->lo;
        if (first_n && q->lo != q->hi) return std::nullopt;
        within.first_month = (first_quarter - 1) * 3 + 1;
        within.last_month = q->hi * 3;
        within.range = q->lo != q->hi;
        if (!within.range) {
          if (const Word* part = Match(Role::kQuarterPart, within.end)) {
            if (!Blocked(within.end, within.end + part->text.size())) {
              within.first_month = (q->lo - 1) * 3 + part->numbers[0];
              within.last_month = (q->lo - 1) * 3 + part->numbers[1];
              within.end += part->text.size();
            }
          }
        }
        return within;
      }
      if (q->unit == 1 && first_n && q->lo == q->hi) {
        within.last_month = q->hi;
        return within;
      }
      return std::nullopt;
    }
    if (ordinal || first_n) return std::nullopt;

    // A day alone, second end of a range: 3月21日—27日.
    if (left != nullptr && left->day_level) {
      if (auto d = ReadNumbers(pos, NumeralUse::kCalendar, 1, 31, {"日", "号"})) {
        WithinYear within;
        within.first_month = within.last_month = left->last.month;
        within.first_day = d->lo;
        within.last_day = d->hi;
        within.invalid = d->hi > DaysInMonth(validation_year, left->last.month);
        within.single_day = d->lo == d->hi;
        within.range = !within.single_day;
        within.day_level = true;
        within.end = d->end;
        return within;
      }
    }

    // Months: 10月, 10月份, 1-10月, 十月.
    std::optional<Numbers> m = ReadNumbers(pos, NumeralUse::kCalendar, 1, 12, {"月"});
    if (!m) return std::nullopt;
    if (m->chinese && standalone && left == nullptr && IsHan(before)) {
      // 统一月报: a Chinese numeral inside a word, unless a lead word is before.
      bool lead = false;
      for (const Word& w : lexicon_.Words(Role::kBeforeChineseMonth)) {
        lead |= pos >= begin_ + w.text.size() && StartsWith(pos - w.text.size(), w.text);
      }
      if (!lead) return std::nullopt;
    }
    WithinYear within;
    within.first_month = m->lo;
    within.last_month = m->hi;
    within.end = m->end;
    if (StartsWith(within.end, "份")) within.end += 3;
    within.range = m->lo != m->hi;
    if (within.range) return within;
    within.first_day = 1;
    within.last_day = kLastDay;

    if (auto d = ReadNumbers(within.end, NumeralUse::kCalendar, 1, 31, {"日", "号"})) {
      within.first_day = d->lo;
      within.last_day = d->hi;
      within.invalid = d->hi > DaysInMonth(validation_year, m->lo);
      within.single_day = d->lo == d->hi;
      within.range = !within.single_day;
      within.day_level = true;
      within.end = d->end;
      return within;
    }
    if (const Word* part = Match(Role::kMonthPart, within.end)) {
      size_t end = within.end + part->text.size();
      if (!Blocked(within.end, end)) {
        within.first_day = part->numbers[0];
        within.last_day = part->numbers[1];
        within.end = end;
      }
    }
    return within;
  }

  // One time at pos; `left` is the first end when this is the second end of a range.
  std::optional<TimeMatch> ParseTime(size_t pos, const TimeMatch* left) const {
    std::optional<YearSpec> year = ParseYear(pos);
    YearSpec y;
    if (year) {
      y = *year;
    } else if (left != nullptr) {
      y.lo = y.hi = left->last.year;
      y.written = left->year_written;
      y.end = pos;
    } else {
      y.lo = y.hi = context_.year;
      y.end = pos;
    }
    int validation_year = y.lo == y.hi ? y.lo : 0;
    std::optional<WithinYear> within = ParseWithinYear(y.end, !year, left, validation_year);
    if (!within) {
      if (!year) return std::nullopt;
      within = WithinYear();
      within->end = y.end;
      within->range = y.lo != y.hi;
      if (y.ends_with_nian) {
        if (const Word* suffix = Match(Role::kYearSuffix, y.end)) {
          size_t end = y.end + suffix->text.size();
          if (!Blocked(y.end, end)) {
            within = PartOfYear(*suffix, end);
            within->range = y.lo != y.hi;
          }
        }
      }
    }
    if (within->invalid) return std::nullopt;
    TimeMatch t;
    t.end = within->end;
    t.first = Day{y.lo, within->first_month, within->first_day};
    t.last = Day{y.hi, within->last_month, within->last_day};
    t.single_day = within->single_day;
    t.range = within->range || y.lo != y.hi;
    t.year_written = y.written;
    t.day_level = within->day_level;
    return t;
  }

  // A time and, after a range dash, a second time: 8月-12月, 10月29日至11月3日.
  std::optional<TimeMatch> ParseTimeRange(size_t pos) const {
    std::optional<TimeMatch> t = ParseTime(pos, nullptr);
    if (!t) return std::nullopt;
    size_t dash_end;
    if (RangeDash(t->end, &dash_end)) {
      std::optional<TimeMatch> second = ParseTime(dash_end, &*t);
      if (second && !DayBefore(second->last, t->first) && !DayBefore(second->first, t->first)) {
        t->last = second->last;
        t->end = second->end;
        t->single_day = false;
        t->range = true;
        t->day_level = false;
      }
    }
    return t;
  }

  // --- expressions -----------------------------------------------------------

  Found FromTime(size_t begin, size_t end, TimeKind kind, const TimeMatch& t) const {
    Found f;
    f.begin = begin;
    f.end = end;
    f.kind = kind;
    f.year_inferred = !t.year_written;
    switch (kind) {
      case TimeKind::kDate:
      case TimeKind::kPeriod:
        f.begin_date = Iso(t.first);
        f.end_date = Iso(t.last);
        break;
      case TimeKind::kAsOf:
      case TimeKind::kDeadline:
        f.end_date = Iso(t.last);
        break;
      case TimeKind::kSince:
        if (t.first.year > 0) {
          f.begin_date = Iso(t.first);
          int year = std::max(context_.report_year, t.last.year);
          f.end_date = Iso(Day{year, 12, 31});
        }
        break;
      case TimeKind::kRecurrence:
        break;
    }
    return f;
  }

  // "P" + count × the unit's length + its letter: P1M, P2W, P3M.
  static std::string Duration(int count, const Word& unit) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "P%d%c", count * unit.numbers[0], unit.duration_unit);
    return buffer;
  }

  // An as-of at an unknown day: 截至目前, 目前.
  static Found AsOfNow(size_t begin, size_t end) {
    Found f;
    f.begin = begin;
    f.end = end;
    f.kind = TimeKind::kAsOf;
    return f;
  }

  Found Recurrence(size_t begin, size_t end, std::string every) const {
    Found f;
    f.begin = begin;
    f.end = end;
    f.kind = TimeKind::kRecurrence;
    f.every = std::move(every);
    return f;
  }

  // 每月, 每两周, 每半年, 按季度, 一月一通报, 一年一度, 周调度.
  std::optional<Found> MatchRecurrence(size_t pos, char32_t cp) const {
    if (const Word* every = Match(Role::kEveryPrefix, pos)) {
      size_t p = pos + every->text.size();
      int count = 1;
      if (std::optional<Numeral> n = ReadNumeral(p)) {
        if (Fits(*n, NumeralUse::kCount) && n->value >= 1 && n->value <= 99) {
          count = n->value;
          p = n->end;
        }
      }
      if (const Word* unit = Match(Role::kEveryUnit, p)) {
        return Recurrence(pos, p + unit->text.size(), Duration(count, *unit));
      }
      return std::nullopt;
    }
    if (const Word* word = Match(Role::kRecurrence, pos)) {
      return Recurrence(pos, pos + word->text.size(), Duration(1, *word));
    }
    if (cp == U'一') {
      size_t p = pos + 3;  // 一 is three bytes
      if (const Word* unit = Match(Role::kPeriodicUnit, p)) {
        p += unit->text.size();
        if (StartsWith(p, "一")) {
          p += 3;
          const Word* verb = Match(Role::kPeriodicVerb, p);
          if (verb == nullptr) verb = Match(Role::kOnePerWord, p);
          if (verb != nullptr) return Recurrence(pos, p + verb->text.size(), Duration(1, *unit));
        }
      }
      return std::nullopt;
    }
    if (const Word* unit = Match(Role::kPeriodicUnit, pos)) {
      char32_t before = Before(pos);
      if (DigitValue(before) >= 0 || ChineseNumeralValue(before) >= 0) return std::nullopt;
      size_t p = pos + unit->text.size();
      if (const Word* verb = Match(Role::kPeriodicVerb, p)) {
        size_t end = p + verb->text.size();
        if (!Blocked(pos, end)) return Recurrence(pos, end, Duration(1, *unit));
      }
    }
    return std::nullopt;
  }

  size_t SkipInlineSpace(size_t pos) const {
    size_t next;
    while (pos < text_.size() && utf8::IsInlineSpace(At(pos, &next))) pos = next;
    return pos;
  }

  // 截至2023年10月, 截止目前, 至8月底, 到2025年底, 截至10月19日为止.
  std::optional<Found> MatchAsOf(size_t pos) const {
    const Word* word = Match(Role::kAsOf, pos);
    if (word == nullptr) return std::nullopt;
    size_t p = pos + word->text.size();
    if (word->value == "weak" && Blocked(pos, p)) return std::nullopt;
    p = SkipInlineSpace(p);
    std::optional<Found> found;
    if (std::optional<TimeMatch> t = ParseTimeRange(p)) {
      found = FromTime(pos, t->end, TimeKind::kAsOf, *t);
    } else if (const Word* now = Match(Role::kNow, p)) {
      found = AsOfNow(pos, p + now->text.size());
    } else {
      return std::nullopt;
    }
    if (const Word* end = Match(Role::kAsOfEnd, found->end)) found->end += end->text.size();
    return found;
  }

  // 以来 起 来 …, unless inside another word (今年来看).
  const Word* SinceSuffixAt(size_t pos) const {
    const Word* suffix = Match(Role::kSinceSuffix, pos);
    return suffix != nullptr && !Blocked(pos, pos + suffix->text.size()) ? suffix : nullptr;
  }

  // 自2022年8月份, 从今年起, 自2023年以来.
  std::optional<Found> MatchSincePrefix(size_t pos) const {
    const Word* prefix = Match(Role::kSincePrefix, pos);
    if (prefix == nullptr) return std::nullopt;
    size_t p = pos + prefix->text.size();
    if (Blocked(pos, p)) return std::nullopt;
    std::optional<TimeMatch> t = ParseTime(SkipInlineSpace(p), nullptr);
    if (!t || t->range) return std::nullopt;
    size_t end = t->end;
    const Word* suffix = SinceSuffixAt(end);
    if (suffix != nullptr) {
      end += suffix->text.size();
    } else if (prefix->value == "needs_suffix") {
      return std::nullopt;
    }
    return FromTime(pos, end, TimeKind::kSince, *t);
  }

  // A completion verb at pos, after at most two adverbs: 完成, 可基本建成.
  bool CompletionVerbAt(size_t pos) const {
    for (int adverbs = 0; adverbs <= 2; ++adverbs) {
      if (const Word* verb = Match(Role::kDeadlineVerb, pos)) {
        return Match(Role::kNotAfterVerb, pos + verb->text.size()) == nullptr;
      }
      const Word* adverb = Match(Role::kDeadlineAdverb, pos);
      if (adverb == nullptr) return false;
      pos += adverb->text.size();
    }
    return false;
  }

  // A time and what follows it: 以来 (since), 前 (deadline), a verb (deadline).
  std::optional<Found> MatchTime(size_t pos) const {
    std::optional<TimeMatch> t = ParseTimeRange(pos);
    if (!t) return std::nullopt;
    const Word* suffix = SinceSuffixAt(t->end);
    if (suffix != nullptr && suffix->value == "alone") {
      return FromTime(pos, t->end + suffix->text.size(), TimeKind::kSince, *t);
    }
    if (const Word* by = Match(Role::kDeadlineSuffix, t->end)) {
      size_t end = t->end + by->text.size();
      if (!Blocked(t->end, end)) return FromTime(pos, end, TimeKind::kDeadline, *t);
    }
    // A verb makes a deadline of one named time that is not over before the
    // report year (2022年6月开工 in a 2023 report is a fact, not a deadline),
    // unless the text looks back (a summary section).
    bool past = context_.report_year > 0 && t->last.year > 0 && t->last.year < context_.report_year;
    if (!t->range && !past && !context_.retrospective && CompletionVerbAt(t->end)) {
      return FromTime(pos, t->end, TimeKind::kDeadline, *t);
    }
    return FromTime(pos, t->end, t->single_day ? TimeKind::kDate : TimeKind::kPeriod, *t);
  }

  // A quick test for a run of Chinese numerals at pos: a time needs a time
  // unit (or a range sign) after it — 二〇二三年, 十月, 一季度, 一至三月 — so
  // the many 一 of 统一, 进一步, 一是 stop here.
  bool NumeralsBeforeTimeUnit(size_t pos) const {
    size_t next = pos;
    char32_t cp = At(pos, &next);
    while (IsSmallChineseNumeral(cp)) cp = At(next, &next);
    switch (cp) {
      case U'年': case U'月': case U'日': case U'号': case U'季': case U'周': case U'天':
      case U'至': case U'到': case U'－': case '-': case U'～': case '~': case U'—': case U'–':
        return true;
      default:
        return false;
    }
  }

  // The expression starting at pos, if any.
  std::optional<Found> MatchAt(size_t pos, char32_t cp) const {
    if (IsSmallChineseNumeral(cp) && !NumeralsBeforeTimeUnit(pos)) return std::nullopt;
    bool digit = DigitValue(cp) >= 0;
    if (digit || IsSmallChineseNumeral(cp)) {
      // Only at the start of a number, and not inside model numbers (P4100),
      // ordinals (第5号) or the tail of a date already tried (2023年2月30日).
      char32_t before = Before(pos);
      if (DigitValue(before) >= 0 || before == '.' || before == U'．' || IsAsciiLetter(before) ||
          before == U'第' || before == U'几') {
        return std::nullopt;
      }
      if (IsSmallChineseNumeral(cp) && ChineseNumeralValue(before) >= 0) return std::nullopt;
      if (before == U'年' || before == U'月') {  // both three bytes
        char32_t earlier = Before(pos - 3);
        if (DigitValue(earlier) >= 0 || IsSmallChineseNumeral(earlier)) return std::nullopt;
      }
    }
    if (auto f = MatchRecurrence(pos, cp)) return f;
    if (auto f = MatchAsOf(pos)) return f;
    if (auto f = MatchSincePrefix(pos)) return f;
    if (auto f = MatchTime(pos)) return f;
    if (const Word* now = Match(Role::kNow, pos)) {
      size_t end = pos + now->text.size();
      if (now->value == "alone" && !Blocked(pos, end)) return AsOfNow(pos, end);
    }
    return std::nullopt;
  }

  TimeExpr ToTimeExpr(const Found& f) const {
    TimeExpr e;
    e.span = Span{static_cast<uint32_t>(f.begin), static_cast<uint32_t>(f.end)};
    Location loc = source_.Locate(e.span.begin);
    e.line = loc.line;
    e.column = loc.column;
    e.kind = f.kind;
    e.begin = f.begin_date;
    e.end = f.end_date;
    e.every = f.every;
    e.year_inferred = f.year_inferred;
    return e;
  }

  const SourceText& source_;
  const TimeLexicon& lexicon_;
  const TimeContext& context_;
  const extract_internal::SentenceHits* hits_;  // the span's hits, or nullptr
  std::string_view text_;  // source text up to the end of the span
  size_t begin_ = 0;
};

}  // namespace

void ExtractTimes(const SourceText& source, Span span, const TimeContext& context,
                  std::vector<TimeExpr>* out) {
  extract_internal::SentenceHits hits;
  hits.Build(source.text(), span);
  TimeScanner(source, span, context, &hits).Run(out);
}

namespace extract_internal {

bool IsTimeStop(char32_t cp) { return TimeLexicon::Get().IsStop(cp); }

void ScanTimes(const SourceText& source, const SentenceHits& hits, const TimeContext& context,
               std::vector<TimeExpr>* out) {
  TimeScanner(source, hits.span, context, &hits).Run(out);
}

}  // namespace extract_internal

}  // namespace taizhang
