// Finding quantities in running text: a number (number_grammar), an optional
// 余/多 and multiplier (万/亿), a unit or classifier (unit_lexicon), and an
// optional 以上/左右 …; minus dates, ordinals, model numbers, and numerals
// inside titles, quotes and set terms.
#include <algorithm>
#include <unordered_map>

#include "common/chinese_numeral.h"
#include "common/punctuation.h"
#include "common/text_search.h"
#include "common/utf8.h"
#include "extract/extract.h"
#include "extract/number_grammar.h"
#include "extract/sentence_hits.h"
#include "extract/unit_lexicon.h"

namespace taizhang {

// Kinds and units compared as views: the length first, no strlen or
// out-of-line compare per figure.
using namespace std::string_view_literals;

const char* ApproximationName(Approximation a) {
  switch (a) {
    case Approximation::kExact: return "exact";
    case Approximation::kAbout: return "about";
    case Approximation::kOver: return "over";
    case Approximation::kUnder: return "under";
    case Approximation::kRange: return "range";
  }
  return "";
}

namespace {

using extract_internal::MatchNumber;
using extract_internal::NumberMatch;
using extract_internal::UnitEntry;
using extract_internal::UnitLexicon;
using extract_internal::WordEntry;
using extract_internal::WordRole;

Approximation ApproxFromName(std::string_view name) {
  if (name == "over") return Approximation::kOver;
  if (name == "under") return Approximation::kUnder;
  if (name == "about") return Approximation::kAbout;
  return Approximation::kExact;
}

bool IsAsciiLetter(char32_t cp) { return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'); }
bool IsDigitLike(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

// Byte ranges of text inside 《…》 and “…” (titles, names, slogans).
class QuotedRangeBuilder {
 public:
  void Add(char32_t cp, size_t at, size_t next) {
    if (cp == U'《' || cp == U'“') {
      if (book_ == 0 && quote_ == 0) start_ = static_cast<uint32_t>(at);
      (cp == U'《' ? book_ : quote_)++;
    } else if ((cp == U'》' && book_ > 0) || (cp == U'”' && quote_ > 0)) {
      (cp == U'》' ? book_ : quote_)--;
      if (book_ == 0 && quote_ == 0) out_.push_back(Span{start_, static_cast<uint32_t>(next)});
    }
  }
  std::vector<Span> Take() { return std::move(out_); }

 private:
  std::vector<Span> out_;
  int book_ = 0, quote_ = 0;
  uint32_t start_ = 0;
};

std::vector<Span> QuotedRanges(std::string_view text, Span span, const extract_internal::SentenceHits* hits) {
  QuotedRangeBuilder ranges;
  if (hits != nullptr && hits->valid) {
    for (const extract_internal::Hit& h : hits->hits) {
      if ((h.flags & extract_internal::kHitQuote) != 0) ranges.Add(h.cp, h.pos, h.next);
    }
    return ranges.Take();
  }
  size_t i = span.begin;
  std::string_view bounded = text.substr(0, span.end);
  while (i < span.end) {
    size_t at = i;
    char32_t cp = utf8::Next(bounded, &i);
    ranges.Add(cp, at, i);
  }
  return ranges.Take();
}

bool Inside(const std::vector<Span>& ranges, uint32_t pos) {
  for (const Span& r : ranges) {
    if (pos >= r.begin && pos < r.end) return true;
  }
  return false;
}

// The set terms (data: exclude) indexed by each numeral character in them,
// with the byte offset of that character in the term.
struct ExclusionIndex {
  std::unordered_map<char32_t, std::vector<std::pair<std::string_view, size_t>>> by_char;
  ExclusionIndex() {
    for (const WordEntry& w : UnitLexicon::Get().Words(WordRole::kExclude)) {
      for (size_t k = 0; k < w.text.size();) {
        size_t at = k;
        char32_t cp = utf8::Next(w.text, &k);
        if (extract_internal::CanStartNumber(cp)) by_char[cp].emplace_back(w.text, at);
      }
    }
  }
};

// True when a set term covers the numeral character `cp` at text[pos].
bool Excluded(std::string_view text, Span span, uint32_t pos, char32_t cp) {
  static const ExclusionIndex* index = new ExclusionIndex();
  auto it = index->by_char.find(cp);
  if (it == index->by_char.end()) return false;
  for (const auto& [term, offset] : it->second) {
    if (pos < span.begin + offset) continue;
    size_t start = pos - offset;
    if (start + term.size() <= span.end && text.compare(start, term.size(), term) == 0) return true;
  }
  return false;
}

// The code point before pos (0 at the span start).
char32_t Before(std::string_view text, Span span, size_t pos) {
  if (pos <= span.begin) return 0;
  size_t p = pos;
  return utf8::Prev(text.substr(0, pos), &p);
}

// A rank word (全市, 居, 排名 …) in the `bytes` before pos.
bool RankContextBefore(std::string_view text, Span span, size_t pos, size_t bytes = 18) {
  size_t from = pos >= span.begin + bytes ? pos - bytes : span.begin;
  std::string_view window = text.substr(from, pos - from);
  for (const WordEntry& w : UnitLexicon::Get().Words(WordRole::kRankContext)) {
    if (window.find(w.text) != std::string_view::npos) return true;
  }
  return false;
}

// The scan of one span in text order. Each candidate start (a digit, a
// Chinese numeral, a placeholder or 第) is read as a rank, a measured number
// or a multiplier standing for one of itself, then dropped when a set term
// covers it; what is kept goes to *out in order.
class QuantityScan {
 public:
  QuantityScan(const SourceText& source, Span span, const extract_internal::SentenceHits* hits,
               std::vector<Quantity>* out)
      : source_(source),
        span_(span),
        hits_(hits),
        out_(out),
        lexicon_(UnitLexicon::Get()),
        text_(source.text()),
        bounded_(text_.substr(0, span.end)),
        i_(span.begin) {}

  void Run() {
    if (hits_ != nullptr && hits_->valid) {
      // The characters that can start a number or a rank, found beforehand:
      // the same ones the loop below stops at.
      for (const extract_internal::Hit& h : hits_->hits) {
        if ((h.flags & (extract_internal::kHitNumber | extract_internal::kHitRankLead)) == 0 || h.pos < i_) continue;
        i_ = h.next;
        if ((h.flags & extract_internal::kHitNumber) == 0) {
          // 第/前 start a rank only before a number (第2位, 前三).
          if (i_ >= span_.end) continue;
          size_t next = i_;
          if (!extract_internal::CanStartNumber(utf8::Next(bounded_, &next))) continue;
        }
        Candidate(h.pos, h.cp);
      }
      return;
    }
    while (i_ < span_.end) {
      const size_t at = i_;
      const char32_t cp = utf8::Next(bounded_, &i_);
      if (!extract_internal::CanStartNumber(cp)) {
        // 第/前 start a rank only before a number (第2位, 前三).
        if ((cp != U'第' && cp != U'前') || i_ >= span_.end) continue;
        size_t next = i_;
        if (!extract_internal::CanStartNumber(utf8::Next(bounded_, &next))) continue;
      }
      Candidate(at, cp);
    }
  }

 private:
  // A candidate start `cp` at `at` (i_ just past it): read as a rank, a
  // measured number or a lone multiplier, kept unless a set term covers it.
  void Candidate(size_t at, char32_t cp) {
    const char32_t before = Before(text_, span_, at);
    if (!StartsRun(at, cp, before) || InQuotes(at)) return;
    if (RepeatedDigit(cp, before)) return;
    size_t number_at = at;
    const bool rank = cp == U'第' || cp == U'前';
    if (rank) {
      // Ordinals are not quantities, but a rank is: 全市第一, 居全市第2位,
      // 居前3位, and the ranks of a list: 分别居第4、第2、第2位.
      if (i_ >= span_.end || !(RankContextBefore(text_, span_, at) || FollowsRank(at) ||
                               (PlaceFollows(i_) && RankContextBefore(text_, span_, at, 48)))) {
        return;
      }
      number_at = i_;
    }
    if (IsAsciiLetter(before) && at != last_end_) return;  // model numbers: P4100
    const bool magnitude = cp == U'百' || cp == U'千' || cp == U'万' || cp == U'亿';
    std::optional<Quantity> q = magnitude && !rank ? ReadMagnitude(at) : std::nullopt;
    if (!q) {
      std::optional<NumberMatch> m = MatchNumber(bounded_, number_at);
      q = !m     ? ReadLoneMultiplier(at, before)
          : rank ? ReadRank(at, *m, cp == U'前')
                 : ReadMeasure(at, *m);
    }
    if (!q || SkipSetTerm(number_at)) return;
    Emit(std::move(*q));
  }

  // Whether the candidate `cp` at `at` (i_ just past it) starts a number:
  // 4100 in P4100 and 一 in 统一 are not starts, nor 一 in 第一批.
  bool StartsRun(size_t at, char32_t cp, char32_t before) const {
    if (IsDigitLike(before) || before == '.' || before == U'．') return false;
    if (IsChineseNumeral(cp)) {
      if ((IsChineseNumeral(before) && at != repeat_start_) || before == U'几') return false;
      size_t after = i_;
      if (after < span_.end && !lexicon_.MayFollowNumeral(utf8::Next(bounded_, &after))) return false;
    }
    if ((cp == 'X' || cp == 'x' || cp == U'Ｘ' || cp == U'×') &&
        (before == 'X' || before == 'x' || before == U'Ｘ' || before == U'×')) {
      return false;
    }
    return before != U'第';  // 第一批, 第5号: ordinals (ranks start at 第)
  }

  // 唯一一家: of two equal digits in a row after a word, the first belongs
  // to that word and the number starts at the second (一一对应 is no number).
  bool RepeatedDigit(char32_t cp, char32_t before) {
    const int64_t v = ChineseNumeralValue(cp);
    if (v < 1 || v > 9 || i_ >= span_.end || before < 0x4E00 || before > 0x9FFF) return false;
    size_t next = i_;
    if (utf8::Next(bounded_, &next) != cp) return false;
    repeat_start_ = i_;
    return true;
  }

  // 第N位: a place, whose rank word may stand further back
  // (居全省开发区综合考评30强第13位).
  bool PlaceFollows(size_t pos) const {
    while (pos < span_.end) {
      size_t next = pos;
      if (!extract_internal::CanStartNumber(utf8::Next(bounded_, &next))) break;
      pos = next;
    }
    return bounded_.compare(pos, 3, "位") == 0;
  }

  // A rank right after the rank before it and a list separator: 第4、第2、第2位.
  bool FollowsRank(size_t at) const {
    if (out_->empty() || out_->back().kind != "rank"sv || last_end_ > at) return false;
    std::string_view gap = text_.substr(last_end_, at - last_end_);
    return gap == "、" || gap == "和" || gap == "，";
  }

  // A bare magnitude numeral after a word of "at least"/"nearly": 超千亿元,
  // 突破百万人次, 上万家, 近万亿元, 突破百亿大关 (10^11 元, 10^6 人次 …). Without
  // such a word the numeral is left to the number grammar (千人计划, 万家灯火).
  std::optional<Quantity> ReadMagnitude(size_t at) const {
    Decimal value = Decimal::FromInt(1);
    size_t pos = at;
    int digits = 0;
    while (pos < span_.end) {
      size_t next = pos;
      const int64_t v = ChineseNumeralValue(utf8::Next(bounded_, &next));
      if (v != 100 && v != 1000 && v != 10000 && v != 100000000) break;
      auto product = value.Times(Decimal::FromInt(v));
      if (!product) return std::nullopt;
      value = *product;
      pos = next;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    Approximation approx = Approximation::kExact;
    if (const WordEntry* w =
            lexicon_.WordEndingAt(WordRole::kMagnitudePrefix, text_, span_.begin, at)) {
      approx = ApproxFromName(w->value);
    } else if (!lexicon_.WordEndingAt(WordRole::kNotApproxPrefix, text_, span_.begin, at)) {
      if (const WordEntry* p =
              lexicon_.WordEndingAt(WordRole::kApproxPrefix, text_, span_.begin, at)) {
        approx = ApproxFromName(p->value);
      }
    }
    if (approx == Approximation::kExact) return std::nullopt;
    Quantity q;
    const UnitEntry* unit = lexicon_.MatchUnit(bounded_, pos);
    if (unit && unit->unit == "级"sv) return std::nullopt;  // 百万级机场: a class, no amount
    if (unit && !lexicon_.MatchWord(WordRole::kNotUnit, bounded_, pos)) {
      pos += unit->surface.size();
      auto scaled = value.Times(unit->factor);
      if (!scaled) return std::nullopt;
      value = *scaled;
      q.unit = std::string(unit->unit);
      q.kind = std::string(unit->kind);
    } else if (value.Compare(Decimal::FromInt(10000)) < 0) {
      return std::nullopt;  // 近百 alone says too little
    } else {
      q.kind = "number";
    }
    if (const WordEntry* w = lexicon_.MatchWord(WordRole::kApproxSuffix, bounded_, pos)) {
      if (w->text != "余" && w->text != "多") {
        pos += w->text.size();
        approx = ApproxFromName(w->value);
      }
    }
    q.span = Span{static_cast<uint32_t>(at), static_cast<uint32_t>(pos)};
    q.value = value;
    q.approx = approx;
    return q;
  }

  // Inside 《…》 or “…”; the ranges are found on the first candidate, since
  // most text has none.
  bool InQuotes(size_t at) {
    if (!quoted_known_) {
      quoted_ = QuotedRanges(text_, span_, hits_);
      quoted_known_ = true;
    }
    return Inside(quoted_, static_cast<uint32_t>(at));
  }

  // A set term (二十大, 一批) covering the numeral at number_at: skips the
  // whole numeral run and returns true. Checked only once a quantity has been
  // read, since most numerals (统一, 进一步) are none.
  bool SkipSetTerm(size_t number_at) {
    size_t number_next = number_at;
    char32_t number_cp = number_at < span_.end ? utf8::Next(bounded_, &number_next) : 0;
    if (!Excluded(text_, span_, static_cast<uint32_t>(number_at), number_cp)) return false;
    i_ = number_next;
    while (i_ < span_.end) {
      size_t n = i_;
      if (!extract_internal::CanStartNumber(utf8::Next(bounded_, &n))) break;
      i_ = n;
    }
    return true;
  }

  // 亿元以上 / 万元以上: a multiplier and a money unit standing for one of
  // itself, when an approximation word follows.
  std::optional<Quantity> ReadLoneMultiplier(size_t at, char32_t before) const {
    const WordEntry* mult = lexicon_.MatchWord(WordRole::kMultiplier, bounded_, at);
    const UnitEntry* unit = mult ? lexicon_.MatchUnit(bounded_, at + mult->text.size()) : nullptr;
    if (!mult || !unit || unit->kind != "money"sv || !(unit->factor == Decimal::FromInt(1)) ||
        IsChineseNumeral(before)) {
      return std::nullopt;
    }
    const size_t approx_at = at + mult->text.size() + unit->surface.size();
    const WordEntry* approx = lexicon_.MatchWord(WordRole::kApproxSuffix, bounded_, approx_at);
    if (!approx) return std::nullopt;
    auto factor = Decimal::Parse(mult->text == "万" ? "10000" : mult->text == "亿" ? "100000000" : "0");
    if (!factor || *factor == Decimal()) return std::nullopt;
    Quantity q;
    q.span = Span{static_cast<uint32_t>(at), static_cast<uint32_t>(approx_at + approx->text.size())};
    q.value = factor;
    q.unit = std::string(unit->unit);
    q.kind = std::string(unit->kind);
    q.approx = ApproxFromName(approx->value);
    return q;
  }

  // A rank after 第: 全市第一, 居全市第2位 (not 全县第一届); after 前 a bound:
  // 居前3位, 位列全市前三 (top three: "under").
  std::optional<Quantity> ReadRank(size_t at, const NumberMatch& m, bool top) const {
    size_t end = m.end;
    if (lexicon_.MatchWord(WordRole::kNotRankAfter, bounded_, end)) return std::nullopt;
    if (bounded_.compare(end, 3, "位") == 0 || bounded_.compare(end, 3, "名") == 0) {
      end += 3;
    } else if (top && end < span_.end) {
      // 前N ends the phrase (位列全市前三) or is no rank (排名前1%, 前10强).
      size_t next = end;
      const char32_t after = utf8::Next(bounded_, &next);
      if (!IsClauseBreak(after) && after != U'、' && after != U'）' && after != U'”')
        return std::nullopt;
    }
    if (!m.value) return std::nullopt;
    Quantity q;
    q.span = Span{static_cast<uint32_t>(at), static_cast<uint32_t>(end)};
    q.value = m.value;
    q.unit = "位";
    q.kind = "rank";
    if (top) q.approx = Approximation::kUnder;
    return q;
  }

  // 余/多 at *pos (2000余万元, 100多个): steps over it and marks the figure
  // as "over" unless it is a range.
  bool TakeOver(size_t* pos, Approximation* approx) const {
    const WordEntry* w = lexicon_.MatchWord(WordRole::kApproxSuffix, bounded_, *pos);
    if (w == nullptr || (w->text != "余" && w->text != "多")) return false;
    *pos += w->text.size();
    if (*approx != Approximation::kRange) *approx = Approximation::kOver;
    return true;
  }

  // 万/亿 (or another multiplier before a unit) after an Arabic number at
  // *pos: steps over it (and a following 余/多); 1 when there is none.
  Decimal ReadMultiplier(const NumberMatch& m, size_t* pos, Approximation* approx) const {
    if (m.chinese) return Decimal::FromInt(1);
    const WordEntry* w = lexicon_.MatchWord(WordRole::kMultiplier, bounded_, *pos);
    if (w == nullptr) return Decimal::FromInt(1);
    // 万/亿 only when a unit follows (or the number ends there: 3.5万).
    auto f = Decimal::Parse(w->value);
    if (!f || !(w->text == "万" || w->text == "亿" || lexicon_.MatchUnit(bounded_, *pos + w->text.size()))) {
      return Decimal::FromInt(1);
    }
    *pos += w->text.size();
    TakeOver(pos, approx);
    return *f;
  }

  // What a number measures, from the words after it.
  struct Measure {
    std::string unit;
    std::string kind;
    Decimal factor = Decimal::FromInt(1);
  };

  // The unit at *pos (stepping over it), percent words or a fraction;
  // nullopt when the number is no figure here (a bare number without a
  // multiplier, a year, 三方, a grade after a count, a word that is no unit).
  std::optional<Measure> ReadUnit(size_t at, const NumberMatch& m, const Decimal& multiplier, size_t* pos) const {
    Measure out;
    const UnitEntry* unit = m.percent_words || m.fraction ? nullptr : lexicon_.MatchUnit(bounded_, *pos);
    if (unit && lexicon_.MatchWord(WordRole::kNotUnit, bounded_, *pos)) {
      // The classifier begins a noun: no unit here (迈上3000亿台阶 is 3000亿).
      if (multiplier == Decimal::FromInt(1)) return std::nullopt;
      unit = nullptr;
    }
    if (m.percent_words) {
      // Moved in rather than assigned from the literal: GCC 12 at -O3 warns
      // falsely (-Wrestrict) on string::operator=(const char*) here.
      out.unit = std::string("%");
      out.kind = "percent";
    } else if (m.fraction) {
      out.kind = "ratio";
    } else if (unit == nullptr) {
      // A bare number is a figure only with a multiplier (投资3.5万), or as a
      // term of a proportion (三次产业比为12.9：34.9：52.2).
      if (multiplier == Decimal::FromInt(1)) {
        if (!ProportionTerm(at, m)) return std::nullopt;
        out.kind = "ratio";
        return out;
      }
      out.kind = "number";
    } else {
      // 年 after a four-digit year is a date; 方 after a bare Chinese
      // numeral is a party (三方), not cubic metres.
      if (unit->unit == "年"sv && m.value && m.value->Compare(Decimal::FromInt(1000)) >= 0) return std::nullopt;
      if (unit->surface == "方" && m.chinese && multiplier == Decimal::FromInt(1)) return std::nullopt;
      // A grade right after a count (3个3级) or spelled as a range (二三级).
      if (unit->unit == "级"sv && (at == last_end_ || m.high || m.placeholder)) return std::nullopt;
      if (NamesNoAmount(at, m, *unit, *pos)) return std::nullopt;
      // XX县, XX区: a redacted place name.
      if (m.placeholder && lexicon_.MatchWord(WordRole::kPlaceUnit, bounded_, *pos))
        return std::nullopt;
      *pos += unit->surface.size();
      out.unit = std::string(unit->unit);
      out.kind = std::string(unit->kind);
      out.factor = unit->factor;
    }
    return out;
  }

  // Numbers with a unit that still state no amount: 一年来/五年来 opening a
  // clause (the period of the review, not a duration; 运行一年来 is one),
  // sessions after 届 (十三届三次全会, 人大三次会议), idioms 一X一 (一村一品) and
  // 每一X, N大 that counts nothing (一大批, 几大中心, 10大).
  bool NamesNoAmount(size_t at, const NumberMatch& m, const UnitEntry& unit, size_t pos) const {
    const size_t after = pos + unit.surface.size();
    if (unit.unit == "年"sv && bounded_.compare(after, 3, "来") == 0) {
      const char32_t before = Before(text_, span_, at);
      if (before == 0 || IsClauseBreak(before) || before == U'—' || before == U'　' ||
          before == ' ')
        return true;
    }
    if (unit.surface == "大" &&
        (!m.chinese || !m.value || m.high || m.value->Compare(Decimal::FromInt(2)) < 0)) {
      return true;  // 一大批, 几大中心: no amount
    }
    if (!m.chinese || !m.value) return false;
    if (unit.surface == "次") {
      const size_t from = at >= span_.begin + 18 ? at - 18 : span_.begin;
      if (FindText(text_.substr(from, at - from), "届") != std::string_view::npos) return true;
    }
    // 一X一 (一村一品) and 每一X (每一位市民: every one, no count).
    return *m.value == Decimal::FromInt(1) &&
           (bounded_.compare(after, 3, "一") == 0 || Before(text_, span_, at) == U'每');
  }

  // Start of the clause holding `pos`, across the colons of a proportion.
  size_t ProportionClauseStart(size_t pos) const {
    while (pos > span_.begin) {
      size_t p = pos;
      const char32_t cp = utf8::Prev(text_.substr(0, pos), &p);
      if (IsClauseBreak(cp) && cp != U'：') break;
      pos = p;
    }
    return pos;
  }

  // A term of a proportion a：b：c after 比 (产业比, 比例, 比重): the first
  // term is followed by ： and a digit, a later one follows the term before.
  bool ProportionTerm(size_t at, const NumberMatch& m) const {
    if (m.chinese || !m.value || m.placeholder) return false;
    if (!out_->empty() && out_->back().kind == "ratio"sv && out_->back().unit.empty() &&
        last_end_ + 3 == at && text_.compare(last_end_, 3, "：") == 0) {
      return true;
    }
    if (bounded_.compare(m.end, 3, "：") != 0 || m.end + 3 >= span_.end) return false;
    size_t next = m.end + 3;
    if (!IsDigitLike(utf8::Next(bounded_, &next))) return false;
    const size_t from =
        std::max(ProportionClauseStart(at), at >= span_.begin + 60 ? at - 60 : span_.begin);
    return FindText(text_.substr(from, at - from), "比") != std::string_view::npos;
  }

  // The approximation words around the figure: a suffix at *pos (以上,
  // 左右 …; stepped over), else a prefix before `at` (约120人, 超过300家),
  // unless the suffix already said (近5亿元左右 is "about").
  Approximation ReadApproximation(size_t at, size_t* pos, Approximation approx) const {
    if (const WordEntry* w = lexicon_.MatchWord(WordRole::kApproxSuffix, bounded_, *pos)) {
      if (w->text != "余" && w->text != "多") {
        *pos += w->text.size();
        if (approx != Approximation::kRange) approx = ApproxFromName(w->value);
      }
    }
    if (approx == Approximation::kExact &&
        !lexicon_.WordEndingAt(WordRole::kNotApproxPrefix, text_, span_.begin, at)) {
      if (const WordEntry* w = lexicon_.WordEndingAt(WordRole::kApproxPrefix, text_, span_.begin, at)) {
        approx = ApproxFromName(w->value);
      }
    }
    return approx;
  }

  // A number with what it measures: 2000余万元, 3.5万, 95.56%, 约120人.
  std::optional<Quantity> ReadMeasure(size_t at, const NumberMatch& m) const {
    size_t pos = m.end;
    Approximation approx = m.approx;
    TakeOver(&pos, &approx);
    const Decimal multiplier = ReadMultiplier(m, &pos, &approx);
    std::optional<Measure> measure = ReadUnit(at, m, multiplier, &pos);
    if (!measure) return std::nullopt;
    // A fraction that does not end (1/3) is "about" unless words say more.
    const bool rounded = m.fraction && approx == Approximation::kAbout;
    approx = ReadApproximation(at, &pos, rounded ? Approximation::kExact : approx);
    if (rounded && approx == Approximation::kExact) approx = Approximation::kAbout;
    Quantity q;
    q.span = Span{static_cast<uint32_t>(at), static_cast<uint32_t>(pos)};
    q.unit = std::move(measure->unit);
    q.kind = std::move(measure->kind);
    q.approx = approx;
    q.placeholder = m.placeholder;
    q.malformed = m.malformed;
    auto scale = [&](const std::optional<Decimal>& v) -> std::optional<Decimal> {
      if (!v) return std::nullopt;
      auto a = v->Times(multiplier);
      return a ? a->Times(measure->factor) : std::nullopt;
    };
    q.value = scale(m.value);
    q.high = scale(m.high);
    return q;
  }

  // Keeps q (with its line and column) and continues after it.
  void Emit(Quantity q) {
    Location loc = source_.Locate(q.span.begin);
    q.line = loc.line;
    q.column = loc.column;
    out_->push_back(std::move(q));
    last_end_ = out_->back().span.end;
    i_ = last_end_;
  }

  const SourceText& source_;
  const Span span_;
  const extract_internal::SentenceHits* hits_;  // the span's hits, or nullptr
  std::vector<Quantity>* out_;
  const UnitLexicon& lexicon_;
  const std::string_view text_;
  const std::string_view bounded_;  // text_ up to the span's end
  std::vector<Span> quoted_;
  bool quoted_known_ = false;
  uint32_t last_end_ = 0;  // end of the last quantity kept
  size_t repeat_start_ = std::string_view::npos;  // the second of two equal digits (唯一一家)
  size_t i_;               // the scan position
};

}  // namespace

void ExtractQuantities(const SourceText& source, Span span, std::vector<Quantity>* out) {
  extract_internal::SentenceHits hits;
  hits.Build(source.text(), span);
  QuantityScan(source, span, &hits, out).Run();
}

namespace extract_internal {

void ScanQuantities(const SourceText& source, const SentenceHits& hits, std::vector<Quantity>* out) {
  QuantityScan(source, hits.span, &hits, out).Run();
}

}  // namespace extract_internal

}  // namespace taizhang
