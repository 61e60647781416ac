// Enumerations: a stated count with the items it lists.
//   褚集、双桥、…、榴城等10个乡镇      list before the count, 等: open
//   设立书记、副书记各一名             list before 各: the count is per item
//   “四考”（新增项目、新增入库、…）    a numbered term and its list in brackets
//   5个专项行动（A、B、C、D、E）       a count and its list in brackets
#include <algorithm>

#include "common/chinese_numeral.h"
#include "common/text_search.h"
#include "common/utf8.h"
#include "extract/facts_internal.h"
#include "extract/number_grammar.h"
#include "extract/unit_lexicon.h"

namespace taizhang::extract_internal {

// Kinds and units compared as views: the length first, no strlen or
// out-of-line compare per figure.
using namespace std::string_view_literals;

namespace {

constexpr size_t kMaxItemChars = 16;  // a longer "item" is a clause, not a list member

bool EndsWith(std::string_view text, size_t floor, size_t pos, std::string_view word) {
  return pos >= floor + word.size() && text.compare(pos - word.size(), word.size(), word) == 0;
}

size_t Chars(std::string_view text, Span s) { return utf8::CountCodePoints(s.In(text)); }

// Splits text[begin, end) at 、 (and a final 和/及/与) into items. Returns
// false unless it holds at least two non-empty items of list size.
bool SplitItems(std::string_view text, size_t begin, size_t end, std::vector<Span>* items) {
  items->clear();
  std::string_view bounded = text.substr(0, end);
  size_t start = begin;
  for (size_t i = begin; i < end;) {
    size_t at = i;
    char32_t cp = utf8::Next(bounded, &i);
    if (cp == U'、') {
      items->push_back(Span{static_cast<uint32_t>(start), static_cast<uint32_t>(at)});
      start = i;
    }
  }
  items->push_back(Span{static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
  if (items->size() < 2) return false;
  // 新建、扩建及延长: the last item may hold a final 和/及/与.
  Span& last = items->back();
  for (std::string_view joiner : {"和", "及", "与"}) {
    size_t at = last.In(text).find(joiner);
    if (at != std::string_view::npos && at > 0) {
      Span tail{static_cast<uint32_t>(last.begin + at + joiner.size()), last.end};
      last.end = static_cast<uint32_t>(last.begin + at);
      items->push_back(tail);
      break;
    }
  }
  for (const Span& s : *items) {
    if (s.empty() || Chars(text, s) > kMaxItemChars) return false;
  }
  return true;
}

// The first item often carries the words that open the list (涉及我县褚集,
// 加快推进小地方): cut after the last such word, then to the size of its
// siblings.
void TrimFirstItem(std::string_view text, std::vector<Span>* items) {
  const UnitLexicon& lexicon = UnitLexicon::Get();
  Span& first = items->front();
  std::string_view bounded = text.substr(0, first.end);
  size_t cut = first.begin;
  for (size_t i = first.begin; i < first.end;) {
    if (const WordEntry* w = lexicon.MatchWord(WordRole::kListLead, bounded, i)) {
      if (first.end > i + w->text.size()) cut = i + w->text.size();  // something stays
      i += w->text.size();
    } else {
      utf8::Next(bounded, &i);
    }
  }
  first.begin = static_cast<uint32_t>(cut);
  // Siblings: the middle items, or the last when there are only two (the
  // last may carry the counted noun: 南陈集、…、刘老庄中心卫生院).
  size_t longest = 0;
  size_t from = items->size() > 2 ? 1 : items->size() - 1;
  size_t to = items->size() > 2 ? items->size() - 1 : items->size();
  for (size_t k = from; k < to; ++k) longest = std::max(longest, Chars(text, (*items)[k]));
  if (Chars(text, first) > longest + 2) {
    size_t pos = first.end;
    for (size_t n = 0; n < longest + 1 && pos > first.begin; ++n) utf8::Prev(bounded, &pos);
    first.begin = static_cast<uint32_t>(pos);
  }
}

// A list that ends at `end`: from the clause start (or `floor`) to `end`.
// A list in quotes right before the count (“外出考察、一线落实、约谈检查”三个)
// is the quoted text.
bool ListBefore(std::string_view text, size_t floor, size_t end, std::vector<Span>* items) {
  static constexpr std::string_view kOpen = "“", kClose = "”";
  if (EndsWith(text, floor, end, kClose)) {
    size_t open = text.rfind(kOpen, end - kClose.size());
    if (open == std::string_view::npos || open < floor) return false;
    size_t begin = open + kOpen.size(), close = end - kClose.size();
    std::string_view quoted = text.substr(begin, close - begin);
    if (quoted.find(kClose) != std::string_view::npos || FindText(quoted, "、") == std::string_view::npos) return false;
    return SplitItems(text, begin, close, items);
  }
  size_t start = end;
  while (start > floor) {
    size_t p = start;
    char32_t cp = utf8::Prev(text.substr(0, start), &p);
    if (p < floor || (cp != U'、' && IsItemBreak(cp))) break;
    start = p;
  }
  if (!SplitItems(text, start, end, items)) return false;
  TrimFirstItem(text, items);
  return true;
}

// A list in brackets that opens at text[open] (（ or ( ): its items and end.
bool IsListUnit(std::string_view unit) {
  for (const WordEntry& w : UnitLexicon::Get().Words(WordRole::kListUnit)) {
    if (w.text == unit) return true;
  }
  return false;
}

// A list of names right before a count without 等 (小地方、放马场、马鹿塘、向阳4座):
// short items, none holding 等.
bool NameLike(std::string_view text, const std::vector<Span>& items) {
  constexpr size_t kMaxNameChars = 10;
  for (const Span& s : items) {
    if (Chars(text, s) > kMaxNameChars || ContainsText(s.In(text), "等")) return false;
  }
  return true;
}

bool BracketList(std::string_view text, size_t open, size_t limit, std::vector<Span>* items,
                 size_t* close) {
  std::string_view bounded = text.substr(0, limit);
  size_t i = open;
  char32_t first = utf8::Next(bounded, &i);
  if (first != U'（' && first != '(') return false;
  size_t begin = i;
  while (i < limit) {
    size_t at = i;
    char32_t cp = utf8::Next(bounded, &i);
    if (cp == U'）' || cp == ')') {
      *close = i;
      return SplitItems(text, begin, at, items);
    }
    if (IsClauseBreak(cp) && cp != U'，') return false;
  }
  return false;
}

void Add(const SourceText& source, Enumeration e, ReportFacts* facts) {
  e.line = source.Locate(e.span.begin).line;
  facts->enumerations.push_back(std::move(e));
}

// “四考”（…）: a quoted term with a numeral, followed by its list.
void QuotedTerms(const SourceText& source, Span sentence, int sentence_index, const SentenceHits* hits,
                 ReportFacts* facts) {
  std::string_view text = source.text();
  std::string_view bounded = text.substr(0, sentence.end);
  // The sentence's “ from its hits (the same characters the loop below meets).
  const bool use_hits = hits != nullptr && hits->valid && hits->span.begin == sentence.begin &&
                        hits->span.end == sentence.end;
  size_t next_hit = 0;
  for (size_t i = sentence.begin; i < sentence.end;) {
    size_t at = i;
    if (use_hits) {
      const std::vector<Hit>& all = hits->hits;
      while (next_hit < all.size() && (all[next_hit].pos < i || all[next_hit].cp != U'“')) ++next_hit;
      if (next_hit == all.size()) break;
      at = all[next_hit].pos;
      i = all[next_hit].next;
    } else if (utf8::Next(bounded, &i) != U'“') {
      continue;
    }
    size_t close = FindText(bounded, "”", i);
    if (close == std::string_view::npos || close - i > 30) continue;
    // The first numeral in the term gives the count: 四考, 三个一.
    std::optional<Decimal> count;
    for (size_t k = i; k < close && !count;) {
      size_t n = k;
      char32_t cp = utf8::Next(bounded, &n);
      if (CanStartNumber(cp) && cp != 'X' && cp != 'x') {
        if (auto m = MatchNumber(bounded.substr(0, close), k); m && m->value) count = m->value;
      }
      k = n;
    }
    size_t after = close + std::string_view("”").size();
    std::vector<Span> items;
    size_t end = 0;
    if (!count || !BracketList(text, after, sentence.end, &items, &end)) continue;
    Enumeration e;
    e.span = Span{static_cast<uint32_t>(at), static_cast<uint32_t>(end)};
    e.count = count;
    e.items = std::move(items);
    e.sentence = sentence_index;
    Add(source, std::move(e), facts);
    i = end;
  }
}

// Which of “ 、 各 a sentence holds, in one pass over its characters (three
// searches would read it three times). A whole three-byte character is
// stepped over at once: none of the three starts inside one.
constexpr uint32_t kQuoteMark = 1, kCommaMark = 2, kEachMark = 4;
uint32_t ListMarks(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  uint32_t found = 0;
  for (size_t i = 0; i + 3 <= s.size();) {
    const uint32_t v = static_cast<uint32_t>(p[i]) << 16 | static_cast<uint32_t>(p[i + 1]) << 8 | p[i + 2];
    found |= (v == 0xE2809C ? kQuoteMark : 0) | (v == 0xE38081 ? kCommaMark : 0) | (v == 0xE59084 ? kEachMark : 0);
    i += (p[i] & 0xF0) == 0xE0 && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80 ? 3 : 1;
  }
  return found;
}

}  // namespace

void FindEnumerations(const SourceText& source, Span sentence, int sentence_index, size_t first,
                      const SentenceHits* hits, ReportFacts* facts) {
  std::string_view text = source.text();
  // Every enumeration has a count (a figure of this sentence, or a numeral
  // in quotes: “四考”) and lists with 、 or counts with 各.
  uint32_t marks = 0;
  if (hits != nullptr && hits->valid && hits->span.begin == sentence.begin && hits->span.end == sentence.end) {
    for (const Hit& h : hits->hits) {
      if ((h.flags & kHitListMark) == 0) continue;
      marks |= h.cp == U'“' ? kQuoteMark : h.cp == U'、' ? kCommaMark : kEachMark;
    }
  } else {
    marks = ListMarks(sentence.In(text));
  }
  if (first == facts->quantities.size() && (marks & kQuoteMark) == 0) return;
  if ((marks & (kCommaMark | kEachMark)) == 0) return;
  const std::vector<Quantity>& quantities = facts->quantities;
  const size_t known = facts->enumerations.size();
  uint32_t floor = sentence.begin;
  for (size_t k = first; k < quantities.size(); ++k) {
    const Quantity& q = quantities[k];
    const bool each = EndsWith(text, floor, q.span.begin, "各");
    if (q.kind != "count"sv || (!each && !IsListUnit(q.unit))) {
      floor = q.span.end;
      continue;
    }
    Enumeration e;
    e.quantity = static_cast<int>(k);
    e.count = q.value;
    e.sentence = sentence_index;
    size_t end = q.span.begin;
    bool found = false;
    if (each) {
      e.each = true;
      found = ListBefore(text, floor, end - 3, &e.items);
      if (!found) e.items.clear();
      found = true;  // 各 alone still says the count is per item
    } else {
      for (std::string_view word : {"共计", "合计", "总计", "共", "计", "这"}) {
        if (EndsWith(text, floor, end, word)) {
          end -= word.size();
          break;
        }
      }
      if (EndsWith(text, floor, end, "等")) {
        e.open = true;
        end -= 3;
      }
      // Without 等 a list right before a count is an enumeration only when
      // it looks like one: names, an exact count near the number listed
      // (沙石场、废品收购站20余处 and 古城、年庙干渠16条 count something else).
      found = ListBefore(text, floor, end, &e.items) &&
              (e.open || (q.approx == Approximation::kExact && NameLike(text, e.items) && q.value &&
                          q.value->Compare(Decimal::FromInt(static_cast<int64_t>(e.items.size()) + 1)) <= 0));
      if (!found) {
        // 5个专项行动（A、B、C）: the list follows the counted noun.
        size_t limit = k + 1 < quantities.size() ? quantities[k + 1].span.begin : sentence.end;
        std::string_view bounded = text.substr(0, limit);
        size_t i = q.span.end;
        for (size_t n = 0; n < 12 && i < limit; ++n) {
          size_t at = i;
          char32_t cp = utf8::Next(bounded, &i);
          if (cp == U'（' || cp == '(') {
            size_t close = 0;
            if (BracketList(text, at, limit, &e.items, &close) && e.items.size() >= 3) {
              found = true;
              e.span = Span{q.span.begin, static_cast<uint32_t>(close)};
            }
            break;
          }
          if (IsItemBreak(cp)) break;
        }
      }
    }
    if (found) {
      if (e.span.empty()) {
        e.span = Span{e.items.empty() ? q.span.begin : e.items.front().begin, q.span.end};
      }
      Add(source, std::move(e), facts);
    }
    floor = q.span.end;
  }
  QuotedTerms(source, sentence, sentence_index, hits, facts);
  std::sort(facts->enumerations.begin() + static_cast<std::ptrdiff_t>(known), facts->enumerations.end(),
            [](const Enumeration& a, const Enumeration& b) { return a.span.begin < b.span.begin; });
}

}  // namespace taizhang::extract_internal
