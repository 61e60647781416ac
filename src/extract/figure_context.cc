// What a figure measures and how it relates to its neighbours: the phrase
// before or after it (共发现问题92个 → 发现问题; 完成14个老旧小区改造 → 老旧小区改造),
// the role word of its clause (其中 part, 共计 total …), a stated change
// (同比增27.65%) and its time scope (截止目前，共查处…).
#include <algorithm>

#include "common/punctuation.h"
#include "common/text_search.h"
#include "common/utf8.h"
#include "extract/facts_internal.h"
#include "extract/number_grammar.h"
#include "extract/unit_lexicon.h"

namespace taizhang {

// Kinds and units compared as views: the length first, no strlen or
// out-of-line compare per figure.
using namespace std::string_view_literals;

const char* RoleName(Role r) {
  switch (r) {
    case Role::kNone: return "";
    case Role::kTotal: return "total";
    case Role::kPart: return "part";
    case Role::kRemainder: return "remainder";
    case Role::kDone: return "done";
    case Role::kTarget: return "target";
  }
  return "";
}

const char* ChangeName(Change c) {
  switch (c) {
    case Change::kNone: return "";
    case Change::kIncrease: return "increase";
    case Change::kDecrease: return "decrease";
  }
  return "";
}

namespace extract_internal {

namespace {

constexpr size_t kMaxPhraseChars = 20;  // longest measured phrase kept, in characters
constexpr size_t kMaxAfterChars = 10;   // longest phrase read after a figure

Role RoleFromName(std::string_view name) {
  if (name == "part") return Role::kPart;
  if (name == "remainder") return Role::kRemainder;
  if (name == "total") return Role::kTotal;
  if (name == "target") return Role::kTarget;
  if (name == "done") return Role::kDone;
  return Role::kNone;
}

// Lower is stronger: part > remainder > total > target > done.
int RolePriority(Role r) {
  switch (r) {
    case Role::kPart: return 0;
    case Role::kRemainder: return 1;
    case Role::kTotal: return 2;
    case Role::kTarget: return 3;
    case Role::kDone: return 4;
    case Role::kNone: break;
  }
  return 9;
}

// Start of the run of text before `pos` that contains no break of the kind
// `is_break`, not reaching below `floor`.
size_t RunStart(std::string_view text, size_t floor, size_t pos, bool (*is_break)(char32_t)) {
  while (pos > floor) {
    size_t p = pos;
    char32_t cp = utf8::Prev(text.substr(0, pos), &p);
    if (is_break(cp) || p < floor) break;
    pos = p;
  }
  return pos;
}

// RunStart read from the sentence's hits when they cover the range (the
// characters of `flag` are those of is_break).
size_t RunStart(const SentenceHits* hits, std::string_view text, size_t floor, size_t pos,
                bool (*is_break)(char32_t), uint16_t flag) {
  if (hits != nullptr && hits->Covers(floor, pos)) return hits->RunStart(floor, pos, flag);
  return RunStart(text, floor, pos, is_break);
}

size_t CharCount(std::string_view text, Span s) { return utf8::CountCodePoints(s.In(text)); }

// Strips words of `before` from the start and of `after` from the end.
Span Trim(std::string_view text, Span s) {
  const UnitLexicon& lexicon = UnitLexicon::Get();
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    std::string_view bounded = text.substr(0, s.end);
    // 共同 is no 共, 完成率 no 完成: a not_role word stops trimming the start.
    const WordEntry* w = lexicon.MatchWord(WordRole::kNotRole, bounded, s.begin)
                             ? nullptr
                             : lexicon.MatchWord(WordRole::kTrimBefore, bounded, s.begin);
    if (w != nullptr) {
      s.begin += static_cast<uint32_t>(w->text.size());
      changed = true;
    }
    if (s.empty()) break;
    if (const WordEntry* w = lexicon.WordEndingAt(WordRole::kTrimAfter, text, s.begin, s.end)) {
      s.end -= static_cast<uint32_t>(w->text.size());
      changed = true;
    }
  }
  if (s.empty()) return Span{s.begin, s.begin};
  return s;
}

// Keeps the tail of a long phrase: after its last 的/对/在, or its last
// kMaxPhraseChars characters.
Span Shorten(std::string_view text, Span s) {
  if (CharCount(text, s) <= kMaxPhraseChars) return s;
  static constexpr std::string_view kCuts[] = {"的", "对", "在", "将", "把", "向", "从"};
  size_t best = 0;
  for (std::string_view cut : kCuts) {
    size_t at = s.In(text).rfind(cut);
    if (at != std::string_view::npos) best = std::max(best, at + cut.size());
  }
  if (best > 0 && s.begin + best < s.end) s.begin += static_cast<uint32_t>(best);
  if (CharCount(text, s) > kMaxPhraseChars) {
    size_t pos = s.end;
    for (size_t n = 0; n < kMaxPhraseChars && pos > s.begin; ++n) {
      utf8::Prev(text.substr(0, pos), &pos);
    }
    s.begin = static_cast<uint32_t>(pos);
  }
  return s;
}

// The noun phrase right after a figure, up to a break, a number or a stop word.
Span PhraseAfter(std::string_view text, size_t pos, size_t limit) {
  static const WordSet& stops = UnitLexicon::Get().Set(WordRole::kMeasuredStop);
  std::string_view bounded = text.substr(0, limit);
  size_t end = pos;
  for (size_t n = 0; n < kMaxAfterChars && end < limit; ++n) {
    if (stops.StartingAt(bounded, end)) break;
    size_t next = end;
    char32_t cp = utf8::Next(bounded, &next);
    if (IsItemBreak(cp) || CanStartNumber(cp) || cp < 0x80) break;
    end = next;
  }
  return Span{static_cast<uint32_t>(pos), static_cast<uint32_t>(end)};
}

// The strongest role word in text[from, to), skipping words inside not_role
// words (公共 holds 共 but is no total).
// Role words of a clause, read left to right. The figures of one clause
// share the scan: each takes the role found up to its own position.
// Whether text holds the three bytes of a full-width bracket at i < text.size()
// (text.compare(i, 3, bracket) == 0 without a library call per character).
inline bool BracketAt(std::string_view text, size_t i, std::string_view bracket) {
  return text.size() - i >= 3 && text[i] == bracket[0] && text[i + 1] == bracket[1] && text[i + 2] == bracket[2];
}

class RoleScan {
 public:
  explicit RoleScan(size_t from) : from_(from), pos_(from), masked_until_(from) {}
  size_t from() const { return from_; }
  size_t pos() const { return pos_; }

  // Reads text[pos, to).
  void Advance(std::string_view text, size_t to) {
    static const WordSet& roles = UnitLexicon::Get().Set(WordRole::kRole);
    static const WordSet& not_roles = UnitLexicon::Get().Set(WordRole::kNotRole);
    std::string_view bounded = text.substr(0, to);
    size_t i = pos_;
    while (i < to) {
      // Role words inside brackets closed before the figure (（含新区）) are asides.
      if (BracketAt(bounded, i, "（") || bounded[i] == '(') {
        if (depth_++ == 0) {
          bracket_role_ = role_;
          bracket_word_ = word_;
          bracket_best_ = best_;
        }
      } else if ((BracketAt(bounded, i, "）") || bounded[i] == ')') && depth_ > 0) {
        if (--depth_ == 0) {
          role_ = bracket_role_;
          word_ = bracket_word_;
          best_ = bracket_best_;
        }
      }
      if (const WordEntry* n = not_roles.StartingAt(bounded, i)) {
        masked_until_ = std::max(masked_until_, i + n->text.size());
      }
      const WordEntry* w = i >= masked_until_ ? roles.StartingAt(bounded, i) : nullptr;
      if (w != nullptr && i + w->text.size() <= masked_until_) w = nullptr;
      if (w != nullptr) {
        // The strongest role wins; among equals the last one, nearest the figure.
        int priority = RolePriority(RoleFromName(w->value));
        if (priority <= best_) {
          best_ = priority;
          role_ = RoleFromName(w->value);
          word_ = Span{static_cast<uint32_t>(i), static_cast<uint32_t>(i + w->text.size())};
        }
        i += w->text.size();
        continue;
      }
      utf8::Next(bounded, &i);
    }
    pos_ = std::max(pos_, i);
  }

  // The role of a figure at `to` (after Advance(text, to)).
  void Apply(std::string_view text, size_t to, Quantity* q) const {
    q->role = role_;
    q->role_word = word_;
    // 已 + a verb after a target word says it is done: 拆除任务7.2万平方米…已拆除7.42万平方米.
    if (q->role == Role::kTarget) {
      std::string_view rest = text.substr(q->role_word.end, to - q->role_word.end);
      size_t at = rest.rfind("已");
      if (at != std::string_view::npos) {
        q->role = Role::kDone;
        q->role_word = Span{static_cast<uint32_t>(q->role_word.end + at),
                            static_cast<uint32_t>(q->role_word.end + at + 3)};
      }
    }
  }

 private:
  size_t from_;
  size_t pos_;
  size_t masked_until_;
  int best_ = 9;
  Role role_ = Role::kNone;
  Span word_;
  int depth_ = 0;
  Role bracket_role_ = Role::kNone;
  Span bracket_word_;
  int bracket_best_ = 9;
};

// 同比增27.65%, 下降了3.2个百分点, 减少约56万元: a change word right before the
// figure, past 了 and approximation words. 新增 and 增长到 are levels.
Change FindChange(std::string_view text, size_t floor, size_t pos, size_t* word_begin) {
  const UnitLexicon& lexicon = UnitLexicon::Get();
  for (int hop = 0; hop < 3 && pos > floor; ++hop) {
    if (const WordEntry* w = lexicon.WordEndingAt(WordRole::kChange, text, floor, pos)) {
      if (lexicon.WordEndingAt(WordRole::kNotChange, text, floor, pos)) return Change::kNone;
      size_t start = pos - w->text.size();
      if (start >= floor + 3 && text.compare(start - 3, 3, "新") == 0) return Change::kNone;
      *word_begin = start;
      return w->value == "increase" ? Change::kIncrease : Change::kDecrease;
    }
    if (const WordEntry* a = lexicon.WordEndingAt(WordRole::kApproxPrefix, text, floor, pos)) {
      pos -= a->text.size();
    } else if (const WordEntry* c = lexicon.WordEndingAt(WordRole::kCompareScope, text, floor, pos)) {
      pos -= c->text.size();
    } else if (pos >= floor + 3 && text.compare(pos - 3, 3, "了") == 0) {
      pos -= 3;
    } else {
      break;
    }
  }
  return Change::kNone;
}

// A role word right after the figure: 35处已整改完成, 14处正在整改中.
void FindRoleAfter(std::string_view text, size_t pos, size_t limit, Quantity* q) {
  const UnitLexicon& lexicon = UnitLexicon::Get();
  std::string_view bounded = text.substr(0, limit);
  const WordEntry* w = lexicon.MatchWord(WordRole::kRole, bounded, pos);
  if (w == nullptr || lexicon.MatchWord(WordRole::kNotRole, bounded, pos)) return;
  Role role = RoleFromName(w->value);
  if (role == Role::kDone || role == Role::kRemainder) {
    q->role = role;
    q->role_word = Span{static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + w->text.size())};
  }
}

// Figures that add up to a total: counts, money, lengths … but not rates.
bool Additive(const Quantity& q) {
  return q.kind != "percent"sv && q.kind != "points"sv && q.kind != "permille"sv && q.kind != "ratio"sv &&
         q.kind != "rank"sv;
}

bool IsSentenceBreak(char32_t cp) { return cp == U'；' || cp == ';' || cp == U'。' || cp == '\n'; }

// The figures joined by list separators from `first` on (60家、25家和10家):
// one past the last of them.
size_t ListEnd(std::string_view text, const std::vector<Quantity>& quantities, size_t first,
               size_t end) {
  size_t k = first + 1;
  while (k < end) {
    Span gap{quantities[k - 1].span.end, quantities[k].span.begin};
    std::string_view g = gap.begin <= gap.end ? gap.In(text) : std::string_view("?");
    if (g != "、" && g != "和" && g != "及" && g != "与") break;
    ++k;
  }
  return k;
}

// Splits text[s] at 、 (and 和 when there is no 、, or at both when `both`:
// 空气质量综合指数和PM2.5、PM10浓度) into trimmed items; an item that opens
// with a figure starts after it (151个实施类省级重点项目 → 实施类省级重点项目).
std::vector<Span> ListItems(std::string_view text, Span s, const std::vector<Quantity>& quantities,
                            bool both) {
  std::string_view body = s.In(text);
  const bool comma = FindText(body, "、") != std::string_view::npos;
  auto next_separator = [&](size_t from) {  // 、 and 和 are both three bytes
    size_t a = comma ? FindText(body, "、", from) : std::string_view::npos;
    size_t b = !comma || both ? FindText(body, "和", from) : std::string_view::npos;
    return std::min(a, b);
  };
  std::vector<Span> items;
  size_t from = 0;
  for (;;) {
    size_t at = next_separator(from);
    size_t stop = at == std::string_view::npos ? body.size() : at;
    Span item{static_cast<uint32_t>(s.begin + from), static_cast<uint32_t>(s.begin + stop)};
    for (const Quantity& q : quantities) {
      if (q.span.begin == item.begin && q.span.end < item.end) item.begin = q.span.end;
    }
    items.push_back(Trim(text, item));
    if (at == std::string_view::npos) break;
    from = at + 3;
  }
  return items;
}

// 分别 lists: 甲、乙、丙产量分别增长9%、7%、21% — each value gets its own
// subject (the i-th item before 分别) and the change stated once. When nothing
// stands before 分别 in its clause (…302个、总投资1570.4亿元，分别增长76%、186%),
// the subjects are those of the figures just before, in the same clause group.
// A noun between 分别 and the figure (分别完成年度计划的110%) is its own subject.
void ResolveRespectively(std::string_view text, Span sentence, size_t first, size_t first_time,
                         const SentenceHits* hits, ReportFacts* facts) {
  std::vector<Quantity>& quantities = facts->quantities;
  static constexpr std::string_view kRespectively = "分别";
  if (first + 1 >= quantities.size() ||
      sentence.In(text).find(kRespectively) == std::string_view::npos)
    return;
  for (size_t k = first; k < quantities.size();) {
    const size_t end = ListEnd(text, quantities, k, quantities.size());
    const size_t count = end - k;
    Quantity& head = quantities[k];
    const size_t clause = RunStart(hits, text, sentence.begin, head.span.begin, IsClauseBreak, kHitClauseBreak);
    size_t floor = k > first ? std::max<size_t>(clause, quantities[k - 1].span.end) : clause;
    std::string_view lead = text.substr(floor, head.span.begin - floor);
    const size_t at = lead.rfind(kRespectively);
    if (count < 2 || at == std::string_view::npos) {
      k = end;
      continue;
    }
    for (size_t j = k + 1; j < end; ++j) {
      if (quantities[j].change == Change::kNone) quantities[j].change = head.change;
    }
    // What stands between 分别 and the figure, without verbs of level or change.
    Span between =
        Trim(text, Span{static_cast<uint32_t>(floor + at + kRespectively.size()), head.span.begin});
    size_t change_at = between.end;
    if (FindChange(text, between.begin, between.end, &change_at) != Change::kNone)
      between.end = change_at;
    between = Trim(text, between);
    // (A rank's words are its scope, never its subject: 分别居全省第4、第2位.)
    if (head.kind != "rank"sv && CharCount(text, between) >= 2) {
      k = end;
      continue;
    }
    // The items: from the clause start (or the last time expression) to 分别.
    size_t items_from = clause;
    for (size_t t = first_time; t < facts->times.size(); ++t) {
      const Span ts = facts->times[t].span;
      if (ts.begin >= clause && ts.end <= floor + at)
        items_from = std::max<size_t>(items_from, ts.end);
    }
    Span list =
        Trim(text, Span{static_cast<uint32_t>(items_from), static_cast<uint32_t>(floor + at)});
    std::vector<Span> items =
        list.empty() ? std::vector<Span>{} : ListItems(text, list, quantities, false);
    if (!items.empty() && items.size() != count) {
      std::vector<Span> finer = ListItems(text, list, quantities, true);
      if (finer.size() == count) items = std::move(finer);
    }
    if (items.size() == count) {
      for (size_t j = 0; j < count; ++j) {
        if (!items[j].empty()) quantities[k + j].measured = items[j];
      }
    } else if (items.empty() && k >= first + count) {
      // The subjects of the figures before, if they are in this clause group.
      const size_t group = RunStart(hits, text, sentence.begin, head.span.begin, IsSentenceBreak, kHitSentenceBreak);
      if (quantities[k - count].span.begin >= group) {
        for (size_t j = 0; j < count; ++j)
          quantities[k + j].measured = quantities[k - count + j].measured;
      }
    } else {
      for (size_t j = k + 1; j < end; ++j) quantities[j].measured = head.measured;
    }
    k = end;
  }
}

}  // namespace

void AnnotateFigures(std::string_view text, Span sentence, size_t first, size_t first_time,
                     const SentenceHits* hits, ReportFacts* facts) {
  std::vector<Quantity>& quantities = facts->quantities;
  const std::vector<TimeExpr>& times = facts->times;
  uint32_t previous_end = sentence.begin;
  RoleScan scan(sentence.begin);
  // The figure that opened a breakdown (其中…): later figures of its unit in
  // the same clause group (up to ；or 。) are parts too.
  int breakdown = -1;
  for (size_t k = first; k < quantities.size(); ++k) {
    Quantity& q = quantities[k];
    size_t floor = previous_end;
    Span time_before;  // the time expression that bounds the phrase, if one does
    // Time expressions before the figure bound its phrase and give its scope.
    for (size_t t = first_time; t < times.size(); ++t) {
      if (times[t].span.end > q.span.begin) break;
      if (times[t].span.end >= floor && times[t].span.begin >= previous_end)
        time_before = times[t].span;
      floor = std::max<size_t>(floor, times[t].span.end);
      if (times[t].kind != TimeKind::kRecurrence) q.time = static_cast<int>(t);
    }
    size_t limit = k + 1 < quantities.size() ? quantities[k + 1].span.begin : sentence.end;
    // A role word's reach: the clause, across a colon (其中：A 43次、B 26次).
    size_t clause = RunStart(hits, text, sentence.begin, q.span.begin, IsClauseBreak, kHitClauseBreak);
    while (clause > sentence.begin) {
      size_t p = clause;
      char32_t cp = utf8::Prev(text.substr(0, clause), &p);
      if (cp != U'：' && cp != ':') break;
      clause = RunStart(hits, text, sentence.begin, p, IsClauseBreak, kHitClauseBreak);
    }
    // A part word that is a clause of its own reaches into the next one:
    // 年内实施16项民生工程，其中，城建工程8项.
    while (clause > sentence.begin) {
      size_t p = clause;
      char32_t cp = utf8::Prev(text.substr(0, clause), &p);
      if (cp != U'，' && cp != ',') break;
      size_t lead = RunStart(hits, text, sentence.begin, p, IsClauseBreak, kHitClauseBreak);
      const WordEntry* w = UnitLexicon::Get().MatchWord(WordRole::kRole, text.substr(0, p), lead);
      if (w == nullptr || lead + w->text.size() != p || RoleFromName(w->value) != Role::kPart) break;
      clause = lead;
    }
    if (scan.from() != clause || scan.pos() > q.span.begin) scan = RoleScan(clause);
    scan.Advance(text, q.span.begin);
    scan.Apply(text, q.span.begin, &q);
    bool role_after = false;
    if (q.role == Role::kNone) {
      FindRoleAfter(text, q.span.end, limit, &q);
      role_after = q.role != Role::kNone;
    }
    if (breakdown >= 0 && RunStart(hits, text, sentence.begin, q.span.begin, IsSentenceBreak, kHitSentenceBreak) >
                              quantities[breakdown].span.begin) {
      breakdown = -1;
    }
    // Rates are no parts of a whole: 分别下降2.1%、3.4% are two measures.
    if (q.role == Role::kPart && !Additive(q)) {
      q.role = Role::kNone;
      q.role_word = Span{};
    }
    if (q.role == Role::kPart) {
      breakdown = static_cast<int>(k);
    } else if ((q.role == Role::kNone || role_after) && breakdown >= 0 &&
               quantities[breakdown].unit == q.unit && Additive(q)) {
      // 其中7件已写承诺书，9件已处理完毕: still parts, whatever follows them.
      q.role = Role::kPart;
      q.role_word = quantities[breakdown].role_word;
    }
    size_t change_word = q.span.begin;
    q.change = FindChange(text, std::max<size_t>(floor, clause), q.span.begin, &change_word);

    // The phrase before the figure (without a change word: 投资同比增 → 投资)
    // and the noun after it.
    Span before{static_cast<uint32_t>(RunStart(hits, text, floor, change_word, IsItemBreak, kHitItemBreak)),
                static_cast<uint32_t>(change_word)};
    // After a role word inside it: 新建项目已完成前期设计19个 → 前期设计
    // (unless too little is left: 总数达37家 stays 总数; nor inside a word:
    // 地区生产总值, 进出口总额).
    if (!q.role_word.empty() && q.role_word.begin >= before.begin && q.role_word.end < before.end &&
        !(q.role_word.In(text) == "总" && q.role_word.begin > before.begin)) {
      Span rest = Trim(text, Span{q.role_word.end, before.end});
      if (CharCount(text, rest) >= 2) before.begin = q.role_word.end;
    }
    const bool said_before = !before.empty();  // 增至16家: words, but no subject
    before = Trim(text, before);
    // Past an aside in brackets: 新增央企（含子公司）12家 → 央企.
    if (before.empty() && change_word >= floor + 3 && text.compare(change_word - 3, 3, "）") == 0) {
      const size_t open = text.rfind("（", change_word - 3);
      if (open != std::string_view::npos && open >= floor) {
        before = Trim(text, Span{static_cast<uint32_t>(RunStart(hits, text, floor, open, IsItemBreak, kHitItemBreak)),
                                 static_cast<uint32_t>(open)});
      }
    }
    // The subject across a time expression: 地区生产总值2025年达到2.1万亿元,
    // 森林覆盖率由2015年的38%, 演出活动数量较2019年增长1.2倍.
    if (before.empty() && !time_before.empty() && time_before.end == floor &&
        time_before.begin >= clause) {
      before = Trim(
          text,
          Span{static_cast<uint32_t>(RunStart(hits, text, previous_end, time_before.begin, IsItemBreak, kHitItemBreak)),
               time_before.begin});
    }
    Span after = Trim(text, PhraseAfter(text, q.span.end, limit));
    size_t before_chars = CharCount(text, before);
    size_t after_chars = CharCount(text, after);
    bool counted = q.kind == "count"sv || q.kind == "number"sv;
    if (counted && after_chars >= 2) {
      q.measured = after;  // 161个家庭医生服务团队, 14个老旧小区改造
    } else if (q.kind != "percent"sv && q.kind != "points"sv && after_chars > 0 && before_chars <= 2) {
      q.measured = after;  // 新建1.24亿方水库
    } else if (!before.empty()) {
      q.measured = Shorten(text, before);
    } else if (k > first && (q.change != Change::kNone || (said_before && after_chars == 0 &&
                                                           quantities[k - 1].span.end >= clause))) {
      // 减少56.95万元，下降1.87%; 从4家增至16家; 由…38%增长到46%.
      q.measured = quantities[k - 1].measured;
    } else {
      q.measured = after;
    }
    previous_end = q.span.end;
  }
  ResolveRespectively(text, sentence, first, first_time, hits, facts);
}

}  // namespace extract_internal
}  // namespace taizhang
