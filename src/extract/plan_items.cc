// Plan items (计划事项): the commitments of a plan section, one per clause
// that promises something, with what it is about, its action and object, its
// target figure, deadline, recurrence and strength.
//
//   腾冲灌区项目上半年完成水源工程招标，下半年完成界头片渠系工程施工招标
//   → {subject 腾冲灌区项目, deadline 2024-06-30, action 完成, object 水源工程招标}
//     {deadline 2024-12-31, action 完成, object 界头片渠系工程施工招标}
//
// Outside plan sections only sentences that promise (力争/确保/拟/计划/将)
// something by a deadline after the reviewed year are items.
#include <algorithm>
#include <array>
#include <bitset>
#include <unordered_map>

#include "common/language_data.h"
#include "common/punctuation.h"
#include "common/text_search.h"
#include "common/utf8.h"
#include "extract/facts_internal.h"
#include "extract/unit_lexicon.h"

namespace taizhang {

// Kinds and units compared as views: the length first, no strlen or
// out-of-line compare per figure.
using namespace std::string_view_literals;

const char* StrengthName(Strength s) {
  switch (s) {
    case Strength::kNone: return "";
    case Strength::kMust: return "must";
    case Strength::kStrive: return "strive";
    case Strength::kAdvance: return "advance";
  }
  return "";
}

namespace {

std::string_view TrimWhite(std::string_view s) {
  while (!s.empty()) {
    size_t p = 0;
    if (!utf8::IsWhiteSpace(utf8::Next(s, &p))) break;
    s.remove_prefix(p);
  }
  while (!s.empty()) {
    size_t p = s.size();
    if (!utf8::IsWhiteSpace(utf8::Prev(s, &p))) break;
    s.remove_suffix(s.size() - p);
  }
  return s;
}

}  // namespace

std::vector<std::string> ListedSubjects(std::string_view subject, size_t n) {
  std::vector<std::string> items;
  std::string_view rest = subject;
  while (true) {
    size_t cut = FindText(rest, "、");
    size_t and_at = FindText(rest, "和");
    if (cut == std::string_view::npos || (and_at != std::string_view::npos && and_at < cut))
      cut = and_at;
    items.emplace_back(TrimWhite(rest.substr(0, cut)));
    if (cut == std::string_view::npos) break;
    rest = rest.substr(cut + 3);
  }
  if (items.size() == 1 && n == 2 && items[0].starts_with("城乡")) {
    std::string tail = items[0].substr(6);
    return {"城镇" + tail, "农村" + tail};
  }
  if (items.size() != n) return {};
  // A short leading item shares the last one's head (城镇、农村居民… → 城镇居民…).
  const std::string& last = items.back();
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    if (items[i].size() <= 6 && last.size() > items[i].size() + 6) {
      items[i] += last.substr(items[i].size());
    }
  }
  return items;
}

std::string PlanItemTask(std::string_view text, const PlanItem& item) {
  if (!item.task_text.empty()) return item.task_text;
  return JoinedText(text, item.task.empty() ? item.span : item.task);
}

namespace extract_internal {

namespace {

constexpr size_t kMaxObjectChars = 40;

// What a character may be to the plan scanners (bits of PlanHit::flags).
enum PlanHitFlag : uint8_t {
  kAnywhereHit = 1,   // may start a word of PlanLexicon::anywhere (SentenceRoles)
  kVerbHit = 2,       // may start a not_action, strength or action word (Describe)
  kMilestoneHit = 4,  // may start a milestone or action word (HasMilestone)
  kClauseHit = 8,     // IsClauseBreak (SplitClauses)
};

// data/plan_words.tsv by role.
struct PlanLexicon {
  static const PlanLexicon& Get() {
    static const PlanLexicon* lexicon = new PlanLexicon();
    return *lexicon;
  }
  WordSet strength, action, milestone, lead, frame, not_action, context, principle_end, exhortation, overview,
      targets_lead, target_word, state_open, effect_verb, effect_end, purpose_open, ba_verb, pledge_part;
  WordSet anywhere;  // context, exhortation, overview and targets_lead words, valued by their role
  // Code points of the BMP that may start a not_action, strength or action
  // word: one test per character where Describe would make three.
  std::bitset<0x10000> may_start_verb;
  // Code points of the BMP that may start a milestone or action word (HasMilestone).
  std::bitset<0x10000> may_start_milestone;
  // PlanHitFlag bits of each code point of the BMP (PlanHits).
  std::array<uint8_t, 0x10000> hit_flags{};

 private:
  PlanLexicon() {
    for (const DataRow& row : DataTable("plan_words.tsv", 3)) {
      WordEntry w{row[1], row[2]};
      if (row[0] == "strength") strength.Add(w);
      else if (row[0] == "action") action.Add(w);
      else if (row[0] == "milestone") milestone.Add(w);
      else if (row[0] == "lead") lead.Add(w);
      else if (row[0] == "frame") frame.Add(w);
      else if (row[0] == "not_action") not_action.Add(w);
      else if (row[0] == "context") context.Add(w);
      else if (row[0] == "principle_end") principle_end.Add(w);
      else if (row[0] == "exhortation") exhortation.Add(w);
      else if (row[0] == "overview") overview.Add(w);
      else if (row[0] == "targets_lead") targets_lead.Add(w);
      else if (row[0] == "target_word") target_word.Add(w);
      else if (row[0] == "state_open") state_open.Add(w);
      else if (row[0] == "effect_verb") effect_verb.Add(w);
      else if (row[0] == "effect_end") effect_end.Add(w);
      else if (row[0] == "purpose_open") purpose_open.Add(w);
      else if (row[0] == "ba_verb") ba_verb.Add(w);
      else if (row[0] == "pledge_part") pledge_part.Add(w);
    }
    // The words looked for anywhere in a sentence, in one pass (SentenceRoles).
    for (const DataRow& row : DataTable("plan_words.tsv", 3)) {
      if (row[0] == "context" || row[0] == "exhortation" || row[0] == "overview" || row[0] == "targets_lead") {
        anywhere.Add(WordEntry{row[1], row[0]});
      }
    }
    anywhere.Build();
    for (WordSet* set : {&strength, &action, &milestone, &lead, &frame, &not_action, &context, &principle_end,
                         &exhortation, &overview, &targets_lead, &target_word, &state_open, &effect_verb,
                         &effect_end, &purpose_open, &ba_verb, &pledge_part}) {
      set->Build();
    }
    // The first code points of the words (WordSet::MayStartWith), from the
    // words rather than by testing every code point of the BMP.
    auto mark = [&](const WordSet& set, uint8_t flag) {
      for (const WordEntry& w : set.words()) {
        if (w.text.empty()) continue;
        size_t k = 0;
        const char32_t cp = utf8::Next(w.text, &k);
        if (cp < hit_flags.size()) hit_flags[cp] |= flag;
      }
    };
    mark(anywhere, kAnywhereHit);
    for (const WordSet* set : {&not_action, &strength, &action}) mark(*set, kVerbHit);
    for (const WordSet* set : {&milestone, &action}) mark(*set, kMilestoneHit);
    for (char32_t cp = 0; cp < hit_flags.size(); ++cp) {
      if (IsClauseBreak(cp)) hit_flags[cp] |= kClauseHit;
      if ((hit_flags[cp] & kVerbHit) != 0) may_start_verb.set(cp);
      if ((hit_flags[cp] & kMilestoneHit) != 0) may_start_milestone.set(cp);
    }
  }
};

// The flags of every code point above the BMP: the word filters let them all
// pass (WordSet::MayStartWith), and none is a clause break.
constexpr uint8_t kAboveBmpHits = kAnywhereHit | kVerbHit | kMilestoneHit;

struct PlanHit {
  uint32_t pos;   // byte offset of the character
  uint32_t next;  // byte offset just past it
  char32_t cp;
  uint8_t flags;
};

// The characters of one sentence the plan scanners stop at, found in one
// decoding pass: SentenceRoles, SplitClauses, Describe and HasMilestone read
// this list instead of each decoding every character of the sentence again.
// Only for valid UTF-8 (`valid`): there every position a scanner moves to
// (past a character, a word, a time expression) is a character boundary
// this pass met, so the list visits the characters the decoding loops visit.
struct PlanHits {
  Span span;
  bool valid = false;
  std::vector<PlanHit> hits;  // in text order

  void Build(std::string_view text, Span s, bool text_valid) {
    span = s;
    hits.clear();
    auto continuation = [&](size_t pos) {
      return pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80;
    };
    valid = text_valid && s.begin <= s.end && s.end <= text.size() && !continuation(s.begin) && !continuation(s.end);
    if (!valid) return;
    const std::array<uint8_t, 0x10000>& table = PlanLexicon::Get().hit_flags;
    std::string_view bounded = text.substr(0, s.end);
    for (size_t i = s.begin; i < s.end;) {
      const size_t at = i;
      const char32_t cp = utf8::Next(bounded, &i);
      const uint8_t f = cp < table.size() ? table[cp] : kAboveBmpHits;
      if (f != 0) hits.push_back(PlanHit{static_cast<uint32_t>(at), static_cast<uint32_t>(i), cp, f});
    }
  }
  // Whether the list answers for text[span].
  bool Covers(Span s) const { return valid && s.begin >= span.begin && s.end <= span.end; }
  // Index of the first hit at or after pos.
  size_t From(size_t pos) const {
    return static_cast<size_t>(
        std::lower_bound(hits.begin(), hits.end(), pos, [](const PlanHit& h, size_t p) { return h.pos < p; }) -
        hits.begin());
  }
};

Strength StrengthFromName(std::string_view name) {
  if (name == "must") return Strength::kMust;
  if (name == "strive") return Strength::kStrive;
  if (name == "advance") return Strength::kAdvance;
  return Strength::kNone;
}

// Lower is firmer.
int Firmness(Strength s) { return s == Strength::kNone ? 9 : static_cast<int>(s); }

// A span of the report's text with the facts found in it.
struct Clause {
  Span span;
  int sentence = -1;
  bool after_comma = false;  // the clause before it ended with ，(not ；)
  bool list_part = false;    // a later part of a 、 list of figures: shares the action before it
  bool first = false;        // the sentence's first clause
};

// What a clause is to the items of its sentence.
enum class ClauseKind : uint8_t {
  kItem,          // states an item of its own
  kContinuation,  // continues the item before it (a clause without action, deadline or target)
  kNotItem,       // context, a principle or a lead: no item, and no part of one
};

// Splits a sentence at ，；： into clauses.
void SplitClauses(std::string_view text, Span sentence, int index, const PlanHits& hits, std::vector<Clause>* out) {
  uint32_t start = sentence.begin;
  bool after_comma = false;
  if (hits.Covers(sentence)) {
    // The breaks from the hit list; the last character ends the last clause.
    bool ended = false;
    for (size_t h = hits.From(sentence.begin); h < hits.hits.size() && hits.hits[h].pos < sentence.end; ++h) {
      const PlanHit& hit = hits.hits[h];
      if ((hit.flags & kClauseHit) == 0) continue;
      // A line break inside a sentence is one of a rejoined paragraph, no clause break.
      if ((hit.cp == '\n' || hit.cp == '\r') && hit.next < sentence.end) continue;
      if (hit.pos > start) out->push_back(Clause{Span{start, hit.pos}, index, after_comma, false, start == sentence.begin});
      after_comma = hit.cp == U'，' || hit.cp == ',';
      start = hit.next;
      ended = hit.next >= sentence.end;
    }
    if (!ended && sentence.end > start) {
      out->push_back(Clause{Span{start, sentence.end}, index, after_comma, false, start == sentence.begin});
    }
    return;
  }
  std::string_view bounded = text.substr(0, sentence.end);
  for (size_t i = sentence.begin; i < sentence.end;) {
    size_t at = i;
    char32_t cp = utf8::Next(bounded, &i);
    // A line break inside a sentence is one of a rejoined paragraph, no clause break.
    if ((cp == '\n' || cp == '\r') && i < sentence.end) continue;
    if (IsClauseBreak(cp) || i >= sentence.end) {
      uint32_t end = IsClauseBreak(cp) ? static_cast<uint32_t>(at) : static_cast<uint32_t>(i);
      if (end > start) out->push_back(Clause{Span{start, end}, index, after_comma, false, start == sentence.begin});
      after_comma = cp == U'，' || cp == ',';
      start = static_cast<uint32_t>(i);
    }
  }
}

bool IsSkippable(char32_t cp) {
  return utf8::IsWhiteSpace(cp) || cp == U'“' || cp == U'”' || cp == U'、' || cp == U'—';
}

// Skips spaces and lead words (一是, 同时, 进一步 …) at text[pos].
size_t SkipLead(std::string_view bounded, size_t pos, size_t end, bool markers_only = false) {
  const PlanLexicon& lexicon = PlanLexicon::Get();
  while (pos < end) {
    size_t next = pos;
    const WordEntry* w = nullptr;
    if (IsSkippable(utf8::Next(bounded, &next))) {
      pos = next;
    } else if ((w = lexicon.lead.StartingAt(bounded, pos)) != nullptr && (!markers_only || w->value == "marker")) {
      pos += w->text.size();
    } else {
      break;
    }
  }
  return pos;
}

// Skips spaces and list markers only (一是, 同时, 首先 …: lead words marked
// "marker"): where an item's text as a ledger row begins.
size_t SkipMarkers(std::string_view bounded, size_t pos, size_t end) { return SkipLead(bounded, pos, end, true); }

// Whether a word of `set` occurs in text[span].
bool Holds(const WordSet& set, std::string_view text, Span span) {
  std::string_view bounded = text.substr(0, span.end);
  for (size_t i = span.begin; i < span.end;) {
    size_t next = i;
    if (set.MayStartWith(utf8::Next(bounded, &next)) && set.StartingAt(bounded, i)) return true;
    i = next;
  }
  return false;
}

// Roles of the words found anywhere in text[span], one pass (a word inside a
// longer word of another role is not seen: none of these lists nest).
enum RoleBit : uint32_t { kContextBit = 1, kExhortationBit = 2, kOverviewBit = 4, kTargetsLeadBit = 8 };
uint32_t RoleOf(const WordEntry& w) {
  return w.value == "context"sv ? kContextBit
         : w.value == "exhortation"sv ? kExhortationBit
         : w.value == "overview"sv ? kOverviewBit
                                    : kTargetsLeadBit;
}
uint32_t SentenceRoles(std::string_view text, Span span, const PlanHits& hits) {
  const WordSet& set = PlanLexicon::Get().anywhere;
  std::string_view bounded = text.substr(0, span.end);
  uint32_t roles = 0;
  if (hits.Covers(span)) {
    size_t i = span.begin;  // past the last word found
    for (size_t h = hits.From(span.begin); h < hits.hits.size() && hits.hits[h].pos < span.end; ++h) {
      const PlanHit& hit = hits.hits[h];
      if ((hit.flags & kAnywhereHit) == 0 || hit.pos < i) continue;
      if (const WordEntry* w = set.StartingAtDecoded(bounded, hit.pos, hit.cp)) {
        roles |= RoleOf(*w);
        i = hit.pos + w->text.size();
      }
    }
    return roles;
  }
  for (size_t i = span.begin; i < span.end;) {
    size_t next = i;
    char32_t cp = utf8::Next(bounded, &next);
    if (set.MayStartWith(cp)) {
      if (const WordEntry* w = set.StartingAt(bounded, i)) {
        roles |= RoleOf(*w);
        i += w->text.size();
        continue;
      }
    }
    i = next;
  }
  return roles;
}

// Whether text[span] ends with a word of `set` (closing punctuation and
// spaces aside).
bool EndsWithWord(const WordSet& set, std::string_view text, Span span) {
  std::string_view bounded = text.substr(0, span.end);
  size_t end = span.end;
  while (end > span.begin) {
    size_t p = end;
    char32_t cp = utf8::Prev(bounded, &p);
    if (!utf8::IsWhiteSpace(cp) && cp != U'”' && cp != U'。') break;
    end = p;
  }
  return set.EndingAt(bounded, span.begin, end) != nullptr;
}

Span TrimSpaces(std::string_view text, Span s) {
  while (!s.empty()) {
    size_t p = s.begin;
    if (!IsSkippable(utf8::Next(text.substr(0, s.end), &p))) break;
    s.begin = static_cast<uint32_t>(p);
  }
  while (!s.empty()) {
    size_t p = s.end;
    if (!IsSkippable(utf8::Prev(text.substr(0, s.end), &p))) break;
    s.end = static_cast<uint32_t>(p);
  }
  return s;
}

Span Cap(std::string_view text, Span s, size_t max_chars) {
  size_t pos = s.begin;
  std::string_view bounded = text.substr(0, s.end);
  for (size_t n = 0; n < max_chars && pos < s.end; ++n) utf8::Next(bounded, &pos);
  s.end = static_cast<uint32_t>(pos);
  return s;
}

bool Inside(Span inner, Span outer) { return inner.begin >= outer.begin && inner.end <= outer.end; }

// True when a time expression can serve as a deadline: a stated deadline, or
// a date or part of a year (上半年, 10月, 年内) rather than a whole year.
bool CanBeDeadline(const TimeExpr& t) {
  if (t.kind == TimeKind::kDeadline) return true;
  if (t.kind != TimeKind::kDate && t.kind != TimeKind::kPeriod) return false;
  if (t.end.empty()) return false;
  if (t.begin.size() == 10 && t.begin.compare(4, 6, "-01-01") == 0 && t.end.compare(4, 6, "-12-31") == 0) {
    // A whole year is a deadline only when written as such (年内, 全年).
    return t.year_inferred;
  }
  return true;
}

int YearOf(const std::string& iso) {
  if (iso.size() < 4) return 0;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (iso[i] < '0' || iso[i] > '9') return 0;
    y = y * 10 + (iso[i] - '0');
  }
  return y;
}

class ItemBuilder {
 public:
  ItemBuilder(const SourceText& source, const Report& report, ReportFacts* facts)
      : source_(source), text_(source.text()), report_(report), facts_(facts) {
    owner_ = report.unit.name.empty() ? report.unit.guess : report.unit.name;
  }

  // Items of one sentence. `in_plan` is false outside plan sections, where
  // only promises with a future deadline count.
  //
  // A heading's title is an item only when it opens with an action or a
  // promise (（一）继续推进在建项目建设); a title naming a project
  // (1、XX县再生水回用新建项目) is none, but becomes the subject of the items
  // under it that name none (计划投资XX万元). `title` is true for a title
  // sentence; `topic` is the project title the sentence sits under, or empty.
  // `roles` are the SentenceRoles of the sentence.
  // `hits` are the PlanHits of the sentence.
  void Sentence(int index, Span sentence, int section, bool in_plan, bool title, Span topic, bool targets,
                uint32_t roles, const PlanHits& hits) {
    if (title && !OpensWithPromise(sentence)) return;
    under_topic_ = !topic.empty();
    sentence_roles_ = roles;
    hits_ = &hits;
    std::vector<Clause> clauses;
    SplitClauses(text_, sentence, index, hits, &clauses);
    SplitFigureLists(&clauses, targets);
    const size_t first_item = facts_->plan_items.size();
    // Deadlines before the plan year are none (比去年增长): in a plan section
    // an item is due in the plan year or later.
    min_deadline_year_ = in_plan ? report_.plan_year : 0;
    Span previous_subject;
    bool continues = false;  // a clause without an item of its own extends the last item
    for (const Clause& clause : clauses) {
      PlanItem item;
      ClauseKind kind = Describe(clause, targets, &item);
      if (kind == ClauseKind::kNotItem) {
        continues = false;
        continue;
      }
      if (kind == ClauseKind::kContinuation) {
        if (continues && facts_->plan_items.size() > first_item) {
          PlanItem& last = facts_->plan_items.back();
          last.span.end = clause.span.end;
          if (last.task_text.empty()) last.task.end = clause.span.end;
        }
        continue;
      }
      continues = true;
      if (clause.list_part && item.action.empty() && facts_->plan_items.size() > first_item) {
        // 新增省科技领军企业5家、市级以上创新联合体10个: the second shares 新增.
        const PlanItem& before = facts_->plan_items.back();
        item.action = before.action;
        if (item.strength == Strength::kNone) item.strength = before.strength;
        if (item.deadline < 0) item.deadline = before.deadline;
      }
      if (item.subject.empty() && StartsWithTime(clause.span)) item.subject = previous_subject;
      if (!item.subject.empty()) previous_subject = item.subject;
      if (item.subject.empty() && (item.target >= 0 || item.deadline >= 0)) item.subject = topic;
      // 年内完成A，完成B: a deadline carries over a comma to the same action.
      if (item.deadline < 0 && clause.after_comma && facts_->plan_items.size() > first_item &&
          !item.action.empty() &&
          item.action.In(text_) == facts_->plan_items.back().action.In(text_)) {
        item.deadline = facts_->plan_items.back().deadline;
      }
      item.section = section;
      item.sentence = index;
      item.owner = owner_;
      item.expected_target = targets;
      PushItem(std::move(item), clause);
    }
    const int plan_year = PlanYearOf(section);
    for (size_t k = first_item; k < facts_->plan_items.size(); ++k) {
      PlanItem& item = facts_->plan_items[k];
      item.assessable = item.target >= 0 || item.deadline >= 0 || HasMilestone(item.span);
      if (item.deadline >= 0) {
        item.due = facts_->times[item.deadline].end;
      } else if (in_plan && plan_year != 0 && (item.target >= 0 || item.expected_target)) {
        // An annual target without a stated time: due at the end of the plan year.
        item.due = std::to_string(plan_year) + "-12-31";
        item.due_inferred = true;
        item.assessable = true;
      }
    }
    if (in_plan && section >= 0 && report_.sections[section].heading >= 0 &&
        Holds(PlanLexicon::Get().pledge_part, text_, report_.headings[report_.sections[section].heading].title)) {
      // 加强政府自身建设: only what can be checked.
      facts_->plan_items.erase(
          std::remove_if(facts_->plan_items.begin() + static_cast<std::ptrdiff_t>(first_item),
                         facts_->plan_items.end(), [](const PlanItem& i) { return !i.assessable; }),
          facts_->plan_items.end());
    }
    if (!in_plan) {
      // Outside plan sections: keep only promises with a future deadline.
      auto keep = [&](const PlanItem& item) {
        if (item.strength == Strength::kNone || item.deadline < 0) return false;
        int year = YearOf(facts_->times[item.deadline].end);
        int reviewed = report_.summary_year != 0 ? report_.summary_year : 0;
        return reviewed != 0 && year > reviewed;
      };
      facts_->plan_items.erase(
          std::remove_if(facts_->plan_items.begin() + static_cast<std::ptrdiff_t>(first_item),
                         facts_->plan_items.end(), [&](const PlanItem& i) { return !keep(i); }),
          facts_->plan_items.end());
    }
  }

 private:
  // The year a plan section plans (the report's plan year for an unheaded
  // or summary section), or 0 for a section about other years (a 十五五 part).
  int PlanYearOf(int section) const {
    if (section >= 0 && report_.sections[section].kind == SectionKind::kPlan) {
      int year = report_.sections[section].year;
      if (year != 0 && report_.plan_year != 0 && year != report_.plan_year) return 0;
      if (year != 0) return year;
    }
    return report_.plan_year;
  }

  // A figure that can be an item's target: not a duration or rank, not a
  // spelled-out 一 (锻造一支…队伍, 打造一批…: rhetoric).
  bool IsTargetFigure(const Quantity& q) const {
    if (q.kind == "rank"sv || q.kind == "age"sv || q.unit == "级"sv) return false;
    // 三年行动 is no target; 优良天数300天以上 is.
    if (q.kind == "duration"sv && q.approx == Approximation::kExact) return false;
    if (q.span.In(text_).rfind("一", 0) == 0) return InFigureList(q);
    return true;
  }

  // A spelled-out 一 (锻造一支…队伍, 打造一批…) is rhetoric, unless it stands in
  // a 、 list of figures (完成一个供水厂、一个燃气站、一条污水管网建设).
  bool InFigureList(const Quantity& q) const {
    const std::vector<Quantity>& quantities = facts_->quantities;
    size_t k = static_cast<size_t>(&q - quantities.data());
    if (k >= quantities.size()) return false;
    auto listed = [&](Span between) {
      std::string_view t = between.In(text_);
      return t.size() <= 30 && FindText(t, "、") != std::string_view::npos && FindText(t, "，") == std::string_view::npos &&
             FindText(t, "。") == std::string_view::npos;
    };
    if (k + 1 < quantities.size() && quantities[k + 1].span.begin >= q.span.end &&
        listed(Span{q.span.end, quantities[k + 1].span.begin})) {
      return true;
    }
    return k > 0 && quantities[k - 1].span.end <= q.span.begin && listed(Span{quantities[k - 1].span.end, q.span.begin});
  }

  // The target figures inside `span`, in order.
  std::vector<int> Figures(Span span) const {
    const std::vector<Quantity>& quantities = facts_->quantities;
    std::vector<int> out;
    auto it = std::lower_bound(quantities.begin(), quantities.end(), span.begin,
                               [](const Quantity& q, uint32_t pos) { return q.span.begin < pos; });
    for (; it != quantities.end() && it->span.begin < span.end; ++it) {
      if (Inside(it->span, span) && IsTargetFigure(*it)) out.push_back(static_cast<int>(it - quantities.begin()));
    }
    return out;
  }

  // Whether `span` holds at least `count` target figures (Figures without
  // making the list).
  bool HasFigures(Span span, size_t count) const {
    const std::vector<Quantity>& quantities = facts_->quantities;
    auto it = std::lower_bound(quantities.begin(), quantities.end(), span.begin,
                               [](const Quantity& q, uint32_t pos) { return q.span.begin < pos; });
    size_t n = 0;
    for (; n < count && it != quantities.end() && it->span.begin < span.end; ++it) {
      if (Inside(it->span, span) && IsTargetFigure(*it)) ++n;
    }
    return n >= count;
  }

  // Splits clauses that list figures with 、 into one clause per figure:
  // 城镇新增就业60万人左右、城镇调查失业率5.5%左右 → two; 完成6条配套道路和
  // 2条坝顶路工程 → two. Parts without a figure go with the figure after them
  // (A、B等项目3个 stays one). 和/及/与 cut only next to a figure (城镇和农村
  // 居民… is no list). A 分别 list is left whole (PushItem splits it by its
  // values).
  void SplitFigureLists(std::vector<Clause>* clauses, bool targets) const {
    std::vector<Clause> out;
    for (const Clause& clause : *clauses) {
      std::string_view bounded = text_.substr(0, clause.span.end);
      // Most clauses hold fewer than two figures: nothing to split.
      if (!HasFigures(clause.span, 2) ||
          FindText(bounded, "分别", clause.span.begin) != std::string_view::npos) {
        out.push_back(clause);
        continue;
      }
      // Top-level cuts (not inside quotes, titles or brackets): [at, at + size).
      std::vector<Span> cuts;
      int depth = 0;
      for (size_t i = clause.span.begin; i < clause.span.end;) {
        size_t at = i;
        char32_t cp = utf8::Next(bounded, &i);
        if (cp == U'“' || cp == U'《' || cp == U'（' || cp == '(' || cp == U'「') {
          ++depth;
        } else if ((cp == U'”' || cp == U'》' || cp == U'）' || cp == ')' || cp == U'」') && depth > 0) {
          --depth;
        } else if (depth == 0 && cp == U'、') {
          cuts.push_back(Span{static_cast<uint32_t>(at), static_cast<uint32_t>(i)});
        } else if (depth == 0 && (cp == U'和' || cp == U'及' || cp == U'与')) {
          Span cut{static_cast<uint32_t>(at), static_cast<uint32_t>(i)};
          if (bounded.substr(at).starts_with("及以上")) continue;
          if (FigureEndsAt(cut.begin) || FigureStartsAt(cut.end)) cuts.push_back(cut);
        }
      }
      // Parts without a figure join the next part that has one.
      std::vector<Span> groups;
      uint32_t group_begin = clause.span.begin, part_begin = clause.span.begin;
      for (size_t k = 0; k <= cuts.size(); ++k) {
        uint32_t end = k < cuts.size() ? cuts[k].begin : clause.span.end;
        uint32_t next = k < cuts.size() ? cuts[k].end : clause.span.end;
        if (HasFigures(Span{part_begin, end}, 1)) {
          groups.push_back(Span{group_begin, end});
          group_begin = next;
        }
        part_begin = next;
      }
      if (groups.size() < 2 || (!targets && !ListIsObject(groups)) || MeasuredTwice(groups)) {
        out.push_back(clause);
        continue;
      }
      groups.back().end = clause.span.end;  // trailing parts without a figure go with the last
      for (size_t g = 0; g < groups.size(); ++g) {
        Clause part = clause;
        part.span = groups[g];
        if (g > 0) {
          part.after_comma = false;
          part.list_part = true;
        }
        out.push_back(part);
      }
    }
    *clauses = std::move(out);
  }

  // Whether the listed figures are what an action before them acts on
  // (完成6条配套道路和2条坝顶路工程): an action or a promise before the first
  // figure. A list before its verb (对6栋楼楼顶、4栋楼的管网实施改造) is one item.
  bool ListIsObject(const std::vector<Span>& groups) const {
    const PlanLexicon& lexicon = PlanLexicon::Get();
    // Parts that each close with their figure (科技型中小企业突破2500家、高企突破1200家)
    // state a target each.
    bool closed = true;
    for (const Span& g : groups) {
      std::vector<int> figures = Figures(g);
      if (!TrimSpaces(text_, Span{facts_->quantities[figures.back()].span.end, g.end}).empty()) closed = false;
    }
    if (closed) return true;
    std::vector<int> figures = Figures(groups[0]);
    uint32_t end = facts_->quantities[figures[0]].span.begin;
    std::string_view bounded = text_.substr(0, end);
    for (size_t i = groups[0].begin; i < end; utf8::Next(bounded, &i)) {
      if (lexicon.action.StartingAt(bounded, i) || lexicon.strength.StartingAt(bounded, i)) return true;
    }
    return false;
  }

  // Two figures of different kinds, each opening its part, measure one thing
  // twice (实施8个小区、6万平方米既有建筑节能改造): one item.
  bool MeasuredTwice(const std::vector<Span>& groups) const {
    if (groups.size() != 2) return false;
    const Quantity& a = facts_->quantities[Figures(groups[0]).front()];
    const Quantity& b = facts_->quantities[Figures(groups[1]).front()];
    return a.kind != b.kind && TrimSpaces(text_, groups[1]).begin == b.span.begin;
  }

  // Whether a target figure ends at text[pos] (spaces aside) / starts there.
  bool FigureEndsAt(uint32_t pos) const {
    const std::vector<Quantity>& quantities = facts_->quantities;
    auto it = std::lower_bound(quantities.begin(), quantities.end(), pos,
                               [](const Quantity& q, uint32_t p) { return q.span.begin < p; });
    // The figure ending at pos starts before it: look back a few figures.
    for (int back = 0; back < 4 && it != quantities.begin(); ++back) {
      --it;
      if (it->span.end == pos) return IsTargetFigure(*it);
    }
    return false;
  }
  bool FigureStartsAt(uint32_t pos) const {
    const std::vector<Quantity>& quantities = facts_->quantities;
    auto it = std::lower_bound(quantities.begin(), quantities.end(), pos,
                               [](const Quantity& q, uint32_t p) { return q.span.begin < p; });
    return it != quantities.end() && it->span.begin == pos && IsTargetFigure(*it);
  }

  // Adds `item` with its text as a ledger row; a 分别 list of figures gives
  // one item per value, each with its own measured subject.
  void PushItem(PlanItem item, const Clause& clause) {
    std::string_view bounded = text_.substr(0, clause.span.end);
    item.task = TrimSpaces(text_, Span{static_cast<uint32_t>(SkipMarkers(bounded, clause.span.begin, clause.span.end)),
                                       clause.span.end});
    size_t respectively = FindText(bounded, "分别", clause.span.begin);
    if (respectively != std::string_view::npos) {
      uint32_t after = static_cast<uint32_t>(respectively + 6);
      std::vector<int> figures = Figures(Span{after, clause.span.end});
      bool named = figures.size() >= 2;
      for (int f : figures) named = named && !facts_->quantities[f].measured.empty();
      // All values measuring the same written thing (城乡居民人均可支配收入分别…):
      // the list's items name them (城镇…, 农村…).
      bool same = named;
      for (int f : figures) {
        same = same && facts_->quantities[f].measured.In(text_) == facts_->quantities[figures[0]].measured.In(text_);
      }
      std::vector<std::string> listed;
      if (same) {
        listed = ListedSubjects(TrimSpaces(text_, Span{item.task.begin, static_cast<uint32_t>(respectively)}).In(text_),
                                figures.size());
      }
      if (named && (!same || !listed.empty())) {
        // The verb between 分别 and the first value: 增长, 控制在, 达到.
        Span verb = TrimSpaces(text_, Span{after, facts_->quantities[figures[0]].span.begin});
        if (verb.end - verb.begin > 12) verb = Span{};
        for (size_t k = 0; k < figures.size(); ++k) {
          const Quantity& q = facts_->quantities[figures[k]];
          PlanItem one = item;
          one.target = figures[k];
          one.subject = q.measured;
          std::string subject = listed.empty() ? JoinedText(text_, q.measured) : listed[k];
          one.task_text = subject + std::string(verb.In(text_)) + JoinedText(text_, q.span);
          facts_->plan_items.push_back(std::move(one));
        }
        return;
      }
    }
    facts_->plan_items.push_back(std::move(item));
  }

  // Fills `item` from one clause. In the targets passage (`targets`) a
  // clause with a figure, or with an action or a target word, is an item.
  ClauseKind Describe(const Clause& clause, bool targets, PlanItem* item) {
    const PlanLexicon& lexicon = PlanLexicon::Get();
    std::string_view bounded = text_.substr(0, clause.span.end);
    size_t start = SkipLead(bounded, clause.span.begin, clause.span.end);
    // 今年是…关键一年; 2024年主要预期目标是: no item.
    if ((sentence_roles_ & kContextBit) != 0 && Holds(lexicon.context, text_, clause.span)) {
      return ClauseKind::kNotItem;
    }
    if (targets && (sentence_roles_ & kTargetsLeadBit) != 0 && Holds(lexicon.targets_lead, text_, clause.span)) {
      return ClauseKind::kNotItem;
    }
    if (lexicon.frame.StartingAt(bounded, start)) return ClauseKind::kContinuation;  // 从…方面入手
    item->span = clause.span;
    Location loc = source_.Locate(start < clause.span.end ? start : clause.span.begin);
    item->line = loc.line;
    item->column = loc.column;
    // Strength words, the first action verb and the time expressions, in
    // one pass; quantities and times are skipped over.
    size_t subject_end = std::string_view::npos;
    // With the sentence's hit list the loop goes from one character that may
    // start a word, or one time expression, to the next: the characters in
    // between are the ones the decoding loop would pass over.
    const std::vector<PlanHit>* hits = hits_ != nullptr && hits_->Covers(clause.span) ? &hits_->hits : nullptr;
    size_t h = hits != nullptr ? hits_->From(start) : 0;
    for (size_t i = start; i < clause.span.end;) {
      if (hits != nullptr) {
        while (h < hits->size() && ((*hits)[h].pos < i || ((*hits)[h].flags & kVerbHit) == 0)) ++h;
        const size_t word_at = h < hits->size() && (*hits)[h].pos < clause.span.end ? (*hits)[h].pos : clause.span.end;
        const int t = TimeFrom(i);
        if (t >= 0 && facts_->times[t].span.begin <= word_at && facts_->times[t].span.begin < clause.span.end) {
          i = facts_->times[t].span.begin;
        } else if (word_at < clause.span.end) {
          i = word_at;
        } else {
          break;
        }
      }
      if (int t = TimeAt(i); t >= 0) {
        const TimeExpr& time = facts_->times[t];
        if (time.kind == TimeKind::kRecurrence) {
          if (item->recurrence < 0) item->recurrence = t;
        } else if (item->deadline < 0 && CanBeDeadline(time) &&
                   (min_deadline_year_ == 0 || YearOf(time.end) >= min_deadline_year_)) {
          item->deadline = t;
        }
        if (subject_end == std::string_view::npos) subject_end = i;
        i = time.span.end;
        continue;
      }
      // Most characters start no word at all: one decode, one filter.
      size_t next = i;
      char32_t cp;
      if (hits != nullptr) {
        // (*hits)[h] is at i and may start a word.
        cp = (*hits)[h].cp;
        next = (*hits)[h].next;
      } else {
        cp = utf8::Next(bounded, &next);
        if (cp < lexicon.may_start_verb.size() && !lexicon.may_start_verb.test(cp)) {
          i = next;
          continue;
        }
      }
      if (const WordEntry* n = lexicon.not_action.StartingAtDecoded(bounded, i, cp)) {
        i += n->text.size();
        continue;
      }
      if (const WordEntry* w = lexicon.strength.StartingAtDecoded(bounded, i, cp)) {
        Strength s = StrengthFromName(w->value);
        if (Firmness(s) < Firmness(item->strength)) {
          item->strength = s;
          item->strength_word = Span{static_cast<uint32_t>(i), static_cast<uint32_t>(i + w->text.size())};
        }
        // A strength word opening the clause is not part of the subject
        // (确保全县用水总量…达标); one after the subject ends it.
        if (subject_end == std::string_view::npos) {
          if (i == start) start = SkipLead(bounded, i + w->text.size(), clause.span.end);
          else subject_end = i;
        }
        // 推进/推动/加快 are also actions; 确保/力争 lead to one.
        const WordEntry* a = lexicon.action.StartingAtDecoded(bounded, i, cp);
        if (item->action.empty() && a && a->text.size() >= w->text.size() && s == Strength::kAdvance) {
          item->action = Span{static_cast<uint32_t>(i), static_cast<uint32_t>(i + a->text.size())};
        }
        i += w->text.size();
        continue;
      }
      if (item->action.empty()) {
        if (const WordEntry* a = lexicon.action.StartingAtDecoded(bounded, i, cp)) {
          item->action = Span{static_cast<uint32_t>(i), static_cast<uint32_t>(i + a->text.size())};
          if (subject_end == std::string_view::npos) subject_end = i;
          i += a->text.size();
          continue;
        }
      }
      i = next;  // past the character decoded above
    }
    // 16个新建项目已完成前期设计19个, 正在实施的项目1个: progress, not a promise.
    if (IsProgress(clause.span)) return ClauseKind::kContinuation;
    item->target = FirstFigure(clause.span);
    if (targets) {
      if (item->target < 0 && item->action.empty() && item->strength == Strength::kNone &&
          !Holds(lexicon.target_word, text_, clause.span)) {
        return ClauseKind::kContinuation;
      }
    } else {
      // A recurring duty (每月调度一次) is an item even without an action word;
      // so is an amount or a rate with what it measures (全社会研发经费投入800亿元),
      // not a part of a breakdown (其中新建项目16个，续建项目1个).
      bool shares_action = false;
      if (item->target >= 0) {
        const Quantity& q = facts_->quantities[item->target];
        bool indicator = !q.measured.empty() && q.role == Role::kNone &&
                         (q.kind == "money"sv || q.kind == "percent"sv || q.kind == "points"sv || q.kind == "permille"sv);
        // 放映农村公益电影7200场以上, 粮食播种面积保持在570万亩以上: a figure
        // of its own after a comma, outside a project's description.
        std::string_view written = q.span.In(text_);
        bool own_figure = (clause.after_comma || clause.first) && !under_topic_ &&
                          (q.role == Role::kNone || q.role == Role::kTotal || q.role == Role::kTarget) &&
                          !written.empty() &&
                          written[0] >= '0' && written[0] <= '9' &&
                          FindText(bounded, "正在", clause.span.begin) == std::string_view::npos;
        shares_action = clause.list_part || indicator || own_figure;
      }
      if (!shares_action && item->action.empty() && item->deadline < 0 && item->target < 0 &&
          item->recurrence < 0) {
        return ClauseKind::kContinuation;
      }
      if (!shares_action && item->action.empty() && item->strength == Strength::kNone && item->deadline < 0 &&
          item->recurrence < 0) {
        return ClauseKind::kContinuation;
      }
    }
    // 深入学习贯彻…精神, 坚持稳中求进工作总基调: a principle.
    if (item->target < 0 && item->deadline < 0 && EndsWithWord(lexicon.principle_end, text_, clause.span)) {
      return ClauseKind::kNotItem;
    }
    // …，提升城市园林绿化水平 / 让政府行为更规范: the effect or purpose of
    // the measure before it, not a measure.
    if (!targets && item->target < 0 && item->deadline < 0) {
      bool purpose = lexicon.purpose_open.StartingAt(bounded, start) != nullptr;
      bool effect = !item->action.empty() && lexicon.effect_verb.StartingAt(bounded, item->action.begin) &&
                    EndsWithWord(lexicon.effect_end, text_, clause.span);
      if (purpose || effect) return clause.first ? ClauseKind::kNotItem : ClauseKind::kContinuation;
    }
    // 把科技创新作为…的发力重点: a priority set, not a commitment.
    if (item->target < 0) {
      std::string_view rest = bounded.substr(start, clause.span.end - start);
      size_t ba = FindText(rest, "把");
      if (ba != std::string_view::npos &&
          Holds(lexicon.ba_verb, text_, Span{static_cast<uint32_t>(start + ba), clause.span.end})) {
        return ClauseKind::kNotItem;
      }
    }
    if (subject_end != std::string_view::npos && subject_end > start) {
      Span subject{static_cast<uint32_t>(start), static_cast<uint32_t>(subject_end)};
      if (subject.In(text_).size() > 3 && subject.In(text_).substr(subject.In(text_).size() - 3) == "已") {
        subject.end -= 3;  // 所有项目已完成…
      }
      item->subject = TrimSpaces(text_, subject);
    }
    if (targets && item->target >= 0 && !facts_->quantities[item->target].measured.empty()) {
      item->subject = facts_->quantities[item->target].measured;  // 地区生产总值增长6%左右 → 地区生产总值
    }
    size_t object_begin = item->action.empty() ? start : item->action.end;
    // Skip a time or a strength word between the action and its object.
    object_begin = SkipLead(bounded, object_begin, clause.span.end);
    if (!item->action.empty() && bounded.compare(object_begin, 3, "好") == 0) object_begin += 3;  // 巩固好
    if (int t = TimeAt(object_begin); t >= 0) object_begin = facts_->times[t].span.end;
    Span object = TrimSpaces(text_, Span{static_cast<uint32_t>(object_begin), clause.span.end});
    // 投资XX万元: an object that is only the target reads with its action.
    if (item->target >= 0 && !item->action.empty() &&
        facts_->quantities[item->target].span.begin <= object.begin &&
        facts_->quantities[item->target].span.end >= object.end) {
      object.begin = item->action.begin;
    }
    if (object.empty() && !item->subject.empty()) object = item->subject;
    item->object = Cap(text_, object, kMaxObjectChars);
    return ClauseKind::kItem;
  }


 public:
  // True when the text opens (after lead words) with an action or a promise.
  bool OpensWithPromise(Span span) const {
    const PlanLexicon& lexicon = PlanLexicon::Get();
    std::string_view bounded = text_.substr(0, span.end);
    size_t start = SkipLead(bounded, span.begin, span.end);
    return lexicon.action.StartingAt(bounded, start) || lexicon.strength.StartingAt(bounded, start);
  }

 private:
  // An action right after 已 or 正在 anywhere in the clause.
  bool IsProgress(Span span) const {
    const PlanLexicon& lexicon = PlanLexicon::Get();
    std::string_view bounded = text_.substr(0, span.end);
    for (std::string_view marker : {std::string_view("已"), std::string_view("正在")}) {
      for (size_t at = FindText(bounded, marker, span.begin); at != std::string_view::npos;
           at = FindText(bounded, marker, at + marker.size())) {
        if (lexicon.action.StartingAt(bounded, at + marker.size())) return true;
      }
    }
    return false;
  }

  // Index of the time expression starting at pos, or -1.
  int TimeAt(size_t pos) {
    int t = TimeFrom(pos);
    return t >= 0 && facts_->times[t].span.begin == pos ? t : -1;
  }

  // Index of the first time expression starting at or after pos, or -1.
  int TimeFrom(size_t pos) {
    const std::vector<TimeExpr>& times = facts_->times;
    while (next_time_ < times.size() && times[next_time_].span.begin < pos) ++next_time_;
    // Clauses are visited in text order, but a clause may be re-read: step back.
    while (next_time_ > 0 && times[next_time_ - 1].span.begin >= pos) --next_time_;
    return next_time_ < times.size() ? static_cast<int>(next_time_) : -1;
  }

  bool StartsWithTime(Span clause) {
    size_t start = SkipLead(text_.substr(0, clause.end), clause.begin, clause.end);
    return TimeAt(start) >= 0;
  }

  // The first target figure in the span, or -1. A figure that qualifies a
  // noun — followed by 的, or a bare magnitude (亿元以上农产品加工项目2-3个) —
  // gives way to a later one (力争年收入50万元以上的村集体达到55个以上).
  //
  // A figure written straight onto a noun with another figure after it
  // (安排10亿元以上省制造业重大项目100个, 完成9个乡镇123个村“双代”工作) is the
  // scope of what the later figure counts.
  int FirstFigure(Span span) const {
    std::vector<int> figures = Figures(span);
    for (size_t k = 0; k < figures.size(); ++k) {
      const Quantity& q = facts_->quantities[figures[k]];
      std::string_view written = q.span.In(text_);
      bool bare = written.starts_with("亿") || written.starts_with("万") || written.starts_with("千") ||
                  written.starts_with("百");
      std::string_view after = text_.substr(q.span.end, std::min<size_t>(3, span.end - q.span.end));
      bool qualifies = after == "的";
      std::string_view between = text_.substr(q.span.end, k + 1 < figures.size()
                                                             ? facts_->quantities[figures[k + 1]].span.begin - q.span.end
                                                             : 0);
      if (!qualifies && k + 1 < figures.size() && !after.empty() && FindText(between, "、") == std::string_view::npos) {
        size_t p = 0;
        char32_t cp = utf8::Next(after, &p);
        qualifies = cp >= 0x4E00 && cp <= 0x9FFF && cp != U'和' && cp != U'及' && cp != U'与' && cp != U'或';
      }
      if (!bare && !qualifies) return figures[k];
    }
    return figures.empty() ? -1 : figures.front();
  }

  // A milestone word, read word by word so that 创建成果 holds 创建, not 建成.
  bool HasMilestone(Span span) {
    const PlanLexicon& lexicon = PlanLexicon::Get();
    std::string_view bounded = text_.substr(0, span.end);
    if (hits_ != nullptr && hits_->Covers(span)) {
      const std::vector<PlanHit>& hits = hits_->hits;
      size_t i = span.begin;  // past the last action word
      for (size_t h = hits_->From(span.begin); h < hits.size() && hits[h].pos < span.end; ++h) {
        if ((hits[h].flags & kMilestoneHit) == 0 || hits[h].pos < i) continue;
        const size_t at = hits[h].pos;
        if (lexicon.milestone.StartingAtDecoded(bounded, at, hits[h].cp)) return true;
        if (const WordEntry* a = lexicon.action.StartingAtDecoded(bounded, at, hits[h].cp)) i = at + a->text.size();
      }
      return false;
    }
    for (size_t i = span.begin; i < span.end;) {
      // Most characters start neither: one decode, one filter.
      size_t next = i;
      const char32_t cp = utf8::Next(bounded, &next);
      if (cp < lexicon.may_start_milestone.size() && !lexicon.may_start_milestone.test(cp)) {
        i = next;
        continue;
      }
      if (lexicon.milestone.StartingAt(bounded, i)) return true;
      if (const WordEntry* a = lexicon.action.StartingAt(bounded, i)) {
        i += a->text.size();
        continue;
      }
      i = next;
    }
    return false;
  }

  const SourceText& source_;
  std::string_view text_;
  const Report& report_;
  ReportFacts* facts_;
  std::string owner_;
  size_t next_time_ = 0;
  int min_deadline_year_ = 0;
  uint32_t sentence_roles_ = 0;  // SentenceRoles of the sentence being read
  const PlanHits* hits_ = nullptr;  // PlanHits of the sentence being read
  bool under_topic_ = false;  // the sentence describes a project named by its heading
};

// Words that make a sentence outside a plan section a promise.
bool Promises(std::string_view sentence) {
  for (std::string_view w : {"力争", "确保", "拟", "计划", "将", "争取"}) {
    if (sentence.find(w) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

void FindPlanItems(const SourceText& source, const Report& report, ReportFacts* facts, bool text_valid) {
  ItemBuilder builder(source, report, facts);
  std::string_view text = source.text();
  // Sentences naming a time after the reviewed year: only they can hold a
  // plan item outside the plan sections.
  std::vector<bool> future_deadline(report.sentences.size(), false);
  for (const TimeExpr& t : facts->times) {
    if (t.sentence >= 0 && report.summary_year != 0 && YearOf(t.end) > report.summary_year) {
      future_deadline[t.sentence] = true;
    }
  }
  const PlanLexicon& lexicon = PlanLexicon::Get();
  int overview_paragraph = -1;  // the paragraph of 总体要求 (principles) being read
  int targets_paragraph = -1;   // the paragraph of the 主要预期目标 passage being read
  int targets_run = 0;          // paragraphs the passage may still run on (a lead ending in ：)
  int section = -1;             // the last section started at or before the sentence
  PlanHits hits;                // one sentence's, the buffer reused
  for (size_t s = 0; s < report.sentences.size(); ++s) {
    const Sentence& sentence = report.sentences[s];
    const Paragraph& paragraph = report.paragraphs[sentence.paragraph];
    // Sections follow each other in the text, as the sentences do.
    while (section + 1 < static_cast<int>(report.sections.size()) &&
           report.sections[section + 1].first_line <= paragraph.first_line) {
      ++section;
    }
    const int in_section = section >= 0 && paragraph.first_line <= report.sections[section].last_line ? section : -1;
    // Notes after the report (名词解释) explain terms; they promise nothing.
    if (in_section >= 0 && report.sections[in_section].kind == SectionKind::kAppendix) continue;
    bool in_plan = in_section >= 0 && report.sections[in_section].kind == SectionKind::kPlan;
    // Only plan sections, and sentences naming a later year, can hold items:
    // the rest is not read further.
    if (!in_plan && !future_deadline[s]) continue;
    // The passage of the year's main targets: from its lead to the end of the
    // paragraph; a lead standing alone (主要预期目标是：) runs on over the
    // following paragraphs that state figures.
    bool targets = false;
    hits.Build(text, sentence.span, text_valid);
    const uint32_t roles = SentenceRoles(text, sentence.span, hits);
    if ((roles & kTargetsLeadBit) != 0 && paragraph.heading < 0) {
      targets = true;
      targets_paragraph = sentence.paragraph;
      overview_paragraph = -1;
      std::string_view body = sentence.span.In(text);
      targets_run = body.ends_with("：") || body.ends_with(":") ? 12 : 0;
    } else if (sentence.paragraph == targets_paragraph) {
      targets = true;
    } else if (targets_run > 0 && paragraph.heading < 0 && !facts->quantities.empty() &&
               sentence.paragraph > targets_paragraph) {
      // The next paragraph of a standing lead: part of the passage when it states a figure.
      bool figure = false;
      for (const Quantity& q : facts->quantities) {
        if (q.sentence == static_cast<int>(s)) {
          figure = true;
          break;
        }
      }
      if (figure && sentence.paragraph == targets_paragraph + 1) {
        targets = true;
        targets_paragraph = sentence.paragraph;
        --targets_run;
      } else {
        targets_run = 0;
      }
    }
    // 今年政府工作的总体要求是：… — principles, to the end of the paragraph.
    if (!targets) {
      if ((roles & kOverviewBit) != 0 && paragraph.heading < 0) {
        overview_paragraph = sentence.paragraph;
      }
      if (sentence.paragraph == overview_paragraph) continue;
      // 让我们更加紧密地团结在…: an exhortation.
      if ((roles & kExhortationBit) != 0) continue;
      // 目前，…共有22所: how things are.
      std::string_view bounded = text.substr(0, sentence.span.end);
      if (lexicon.state_open.StartingAt(bounded, SkipLead(bounded, sentence.span.begin, sentence.span.end))) continue;
    }
    // The title of a top-level heading names the section (二、2024年工作计划).
    if (paragraph.heading >= 0 && report.headings[paragraph.heading].depth == 1 &&
        sentence.span.begin <= report.headings[paragraph.heading].title.end &&
        sentence.span.end >= report.headings[paragraph.heading].title.begin) {
      continue;
    }
    if (!in_plan && !(future_deadline[s] && (targets || Promises(sentence.span.In(text))))) continue;
    if (targets && !in_plan) in_plan = true;  // 2024年主要预期目标 in a section of no kind
    Span span = sentence.span;
    if (paragraph.heading >= 0) {
      // Not the marker: 1.进一步加强… starts at 进一步.
      const Heading& heading = report.headings[paragraph.heading];
      if (span.begin < heading.marker.end && heading.marker.end < span.end) span.begin = heading.marker.end;
    }
    bool title = paragraph.heading >= 0 &&
                 sentence.span.begin <= report.headings[paragraph.heading].title.end &&
                 sentence.span.end > report.headings[paragraph.heading].title.begin;
    Span topic;
    if (paragraph.owner >= 0 && paragraph.heading != paragraph.owner) {
      // A heading naming a project (1、XX县再生水回用新建项目), not a slogan
      // of two clauses (突出创新引领，全力以科技创新塑造发展新优势).
      const Heading& owner = report.headings[paragraph.owner];
      std::string_view title_text = owner.title.In(text);
      if (owner.depth >= 2 && !builder.OpensWithPromise(owner.title) &&
          FindText(title_text, "，") == std::string_view::npos && title_text.find(",") == std::string_view::npos) {
        topic = owner.title;
      }
    }
    builder.Sentence(static_cast<int>(s), span, in_section, in_plan, title, topic, targets, roles, hits);
  }
}

}  // namespace extract_internal
}  // namespace taizhang
