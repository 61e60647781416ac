// Finding quantities in running text: a number (number_grammar), an optional
// 余/多 and multiplier (万/亿), a unit or classifier (unit_lexicon), and an
// optional 以上/左右 …; minus dates, ordinals, model numbers, and numerals
// inside titles, quotes and set terms.
#include <algorithm>
#include <unordered_map>

#include "common/chinese_numeral.h"
#include "common/utf8.h"
#include "extract/extract.h"
#include "extract/number_grammar.h"
#include "extract/unit_lexicon.h"

namespace taizhang {

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
std::vector<Span> QuotedRanges(std::string_view text, Span span) {
  std::vector<Span> out;
  int book = 0, quote = 0;
  uint32_t start = 0;
  size_t i = span.begin;
  std::string_view bounded = text.substr(0, span.end);
  while (i < span.end) {
    size_t at = i;
    char32_t cp = utf8::Next(bounded, &i);
    if (cp == U'《' || cp == U'“') {
      if (book == 0 && quote == 0) start = static_cast<uint32_t>(at);
      (cp == U'《' ? book : quote)++;
    } else if ((cp == U'》' && book > 0) || (cp == U'”' && quote > 0)) {
      (cp == U'》' ? book : quote)--;
      if (book == 0 && quote == 0) out.push_back(Span{start, static_cast<uint32_t>(i)});
    }
  }
  return out;
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

bool RankContextBefore(std::string_view text, Span span, size_t pos) {
  size_t from = pos >= span.begin + 18 ? pos - 18 : span.begin;
  std::string_view window = text.substr(from, pos - from);
  for (const WordEntry& w : UnitLexicon::Get().Words(WordRole::kRankContext)) {
    if (window.find(w.text) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

void ExtractQuantities(const SourceText& source, Span span, std::vector<Quantity>* out) {
  const UnitLexicon& lexicon = UnitLexicon::Get();
  std::string_view text = source.text();
  std::string_view bounded = text.substr(0, span.end);
  std::vector<Span> quoted;  // found on the first candidate: most text has none
  bool quoted_known = false;
  uint32_t last_end = 0;
  size_t i = span.begin;
  while (i < span.end) {
    size_t at = i;
    char32_t cp = utf8::Next(bounded, &i);
    if (!extract_internal::CanStartNumber(cp) && cp != U'第') continue;
    char32_t before = Before(text, span, at);
    // Only at the start of a run: 4100 in P4100 and 一 in 统一 are not starts.
    if (IsDigitLike(before) || before == '.' || before == U'．') continue;
    if (IsChineseNumeral(cp)) {
      if (IsChineseNumeral(before) || before == U'几') continue;
      size_t after = i;
      if (after < span.end && !lexicon.MayFollowNumeral(utf8::Next(bounded, &after))) continue;
    }
    if ((cp == 'X' || cp == 'x' || cp == U'Ｘ' || cp == U'×') &&
        (before == 'X' || before == 'x' || before == U'Ｘ' || before == U'×')) {
      continue;
    }
    if (before == U'第') continue;  // 第一批, 第5号: ordinals (ranks start at 第)
    if (!quoted_known) {
      quoted = QuotedRanges(text, span);
      quoted_known = true;
    }
    if (Inside(quoted, static_cast<uint32_t>(at))) continue;

    Quantity q;
    size_t number_at = at;
    bool rank = false;
    if (cp == U'第') {
      // Ordinals are not quantities, but a rank is: 全市第一, 居全市第2位.
      if (i >= span.end || !RankContextBefore(text, span, at)) continue;
      number_at = i;
      rank = true;
    }
    if (IsAsciiLetter(before) && at != last_end) continue;  // model numbers: P4100
    // A set term (二十大, 一批) covering the numeral: checked only once a
    // quantity has been read, since most numerals (统一, 进一步) are none.
    auto excluded = [&]() {
      size_t number_next = number_at;
      char32_t number_cp = number_at < span.end ? utf8::Next(bounded, &number_next) : 0;
      if (!Excluded(text, span, static_cast<uint32_t>(number_at), number_cp)) return false;
      // Skip the whole numeral run.
      i = number_next;
      while (i < span.end) {
        size_t n = i;
        if (!extract_internal::CanStartNumber(utf8::Next(bounded, &n))) break;
        i = n;
      }
      return true;
    };

    std::optional<NumberMatch> m = MatchNumber(bounded, number_at);
    if (!m) {
      // 亿元以上 / 万元以上: a multiplier standing for one of itself.
      const WordEntry* mult = lexicon.MatchWord(WordRole::kMultiplier, bounded, at);
      const UnitEntry* unit = mult ? lexicon.MatchUnit(bounded, at + mult->text.size()) : nullptr;
      if (mult && unit && unit->kind == "money" && unit->factor == Decimal::FromInt(1) &&
          !IsChineseNumeral(before)) {
        const WordEntry* approx =
            lexicon.MatchWord(WordRole::kApproxSuffix, bounded, at + mult->text.size() + unit->surface.size());
        if (approx) {
          auto factor = Decimal::Parse(mult->text == "万" ? "10000" : mult->text == "亿" ? "100000000" : "0");
          if (factor && !(*factor == Decimal())) {
            q.span = Span{static_cast<uint32_t>(at), static_cast<uint32_t>(at + mult->text.size() +
                                                                         unit->surface.size() +
                                                                         approx->text.size())};
            if (excluded()) continue;
            q.value = factor;
            q.unit = std::string(unit->unit);
            q.kind = std::string(unit->kind);
            q.approx = ApproxFromName(approx->value);
            Location loc = source.Locate(q.span.begin);
            q.line = loc.line;
            q.column = loc.column;
            out->push_back(q);
            last_end = q.span.end;
            i = q.span.end;
          }
        }
      }
      continue;
    }
    if (rank) {
      size_t end = m->end;
      if (lexicon.MatchWord(WordRole::kNotRankAfter, bounded, end)) continue;  // 全县第一届
      if (bounded.compare(end, 3, "位") == 0 || bounded.compare(end, 3, "名") == 0) end += 3;
      if (!m->value) continue;
      q.span = Span{static_cast<uint32_t>(at), static_cast<uint32_t>(end)};
      q.value = m->value;
      q.unit = "位";
      q.kind = "rank";
    } else {
      size_t pos = m->end;
      Approximation approx = m->approx;
      // 余/多 before the multiplier or unit: 2000余万元, 100多个.
      auto take_over = [&]() {
        if (const WordEntry* w = lexicon.MatchWord(WordRole::kApproxSuffix, bounded, pos)) {
          if (w->text == "余" || w->text == "多") {
            pos += w->text.size();
            if (approx != Approximation::kRange) approx = Approximation::kOver;
            return true;
          }
        }
        return false;
      };
      take_over();
      Decimal multiplier = Decimal::FromInt(1);
      if (!m->chinese) {
        if (const WordEntry* w = lexicon.MatchWord(WordRole::kMultiplier, bounded, pos)) {
          // 万/亿 only when a unit follows (or the number ends there: 3.5万).
          auto f = Decimal::Parse(w->value);
          if (f && (w->text == "万" || w->text == "亿" || lexicon.MatchUnit(bounded, pos + w->text.size()))) {
            multiplier = *f;
            pos += w->text.size();
            take_over();
          }
        }
      }
      std::string unit_name, kind;
      Decimal factor = Decimal::FromInt(1);
      const UnitEntry* unit = m->percent_words || m->fraction ? nullptr : lexicon.MatchUnit(bounded, pos);
      if (unit && lexicon.MatchWord(WordRole::kNotUnit, bounded, pos)) continue;
      if (m->percent_words) {
        unit_name = '%';
        kind = "percent";
      } else if (m->fraction) {
        kind = "ratio";
      } else if (unit == nullptr) {
        // A bare number is a figure only with a multiplier: 投资3.5万.
        if (multiplier == Decimal::FromInt(1)) continue;
        kind = "number";
      } else {
        // 年 after a four-digit year is a date; 方 after a bare Chinese
        // numeral is a party (三方), not cubic metres.
        if (unit->unit == "年" && m->value && m->value->Compare(Decimal::FromInt(1000)) >= 0) continue;
        if (unit->surface == "方" && m->chinese && multiplier == Decimal::FromInt(1)) continue;
        // A grade right after a count (3个3级) or spelled as a range (二三级).
        if (unit->unit == "级" && (at == last_end || m->high || m->placeholder)) continue;
        pos += unit->surface.size();
        unit_name = std::string(unit->unit);
        kind = std::string(unit->kind);
        factor = unit->factor;
      }
      if (const WordEntry* w = lexicon.MatchWord(WordRole::kApproxSuffix, bounded, pos)) {
        if (w->text != "余" && w->text != "多") {
          pos += w->text.size();
          if (approx != Approximation::kRange) approx = ApproxFromName(w->value);
        }
      }
      // 约120人, 超过300家: a word just before the number, unless the suffix
      // already said (近5亿元左右 is "about").
      if (approx == Approximation::kExact && !lexicon.WordEndingAt(WordRole::kNotApproxPrefix, text, span.begin, at)) {
        if (const WordEntry* w = lexicon.WordEndingAt(WordRole::kApproxPrefix, text, span.begin, at)) {
          approx = ApproxFromName(w->value);
        }
      }
      q.span = Span{static_cast<uint32_t>(at), static_cast<uint32_t>(pos)};
      q.unit = unit_name;
      q.kind = kind;
      q.approx = approx;
      q.placeholder = m->placeholder;
      q.malformed = m->malformed;
      auto scale = [&](const std::optional<Decimal>& v) -> std::optional<Decimal> {
        if (!v) return std::nullopt;
        auto a = v->Times(multiplier);
        return a ? a->Times(factor) : std::nullopt;
      };
      q.value = scale(m->value);
      q.high = scale(m->high);
    }
    if (excluded()) continue;
    Location loc = source.Locate(q.span.begin);
    q.line = loc.line;
    q.column = loc.column;
    out->push_back(std::move(q));
    last_end = out->back().span.end;
    i = last_end;
  }
}

}  // namespace taizhang
