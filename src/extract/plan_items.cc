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
#include <unordered_map>

#include "common/language_data.h"
#include "common/utf8.h"
#include "extract/facts_internal.h"
#include "extract/unit_lexicon.h"

namespace taizhang {

const char* StrengthName(Strength s) {
  switch (s) {
    case Strength::kNone: return "";
    case Strength::kMust: return "must";
    case Strength::kStrive: return "strive";
    case Strength::kAdvance: return "advance";
  }
  return "";
}

namespace extract_internal {

namespace {

constexpr size_t kMaxObjectChars = 40;

// data/plan_words.tsv by role.
struct PlanLexicon {
  static const PlanLexicon& Get() {
    static const PlanLexicon* lexicon = new PlanLexicon();
    return *lexicon;
  }
  WordSet strength, action, milestone, lead, frame, not_action;

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
    }
    for (WordSet* set : {&strength, &action, &milestone, &lead, &frame, &not_action}) set->Build();
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
};

// Splits a sentence at ，；： into clauses.
void SplitClauses(std::string_view text, Span sentence, int index, std::vector<Clause>* out) {
  std::string_view bounded = text.substr(0, sentence.end);
  uint32_t start = sentence.begin;
  bool after_comma = false;
  for (size_t i = sentence.begin; i < sentence.end;) {
    size_t at = i;
    char32_t cp = utf8::Next(bounded, &i);
    if (IsClauseBreak(cp) || i >= sentence.end) {
      uint32_t end = IsClauseBreak(cp) ? static_cast<uint32_t>(at) : static_cast<uint32_t>(i);
      if (end > start) out->push_back(Clause{Span{start, end}, index, after_comma});
      after_comma = cp == U'，' || cp == ',';
      start = static_cast<uint32_t>(i);
    }
  }
}

bool IsSkippable(char32_t cp) {
  return utf8::IsWhiteSpace(cp) || cp == U'“' || cp == U'”' || cp == U'、';
}

// Skips spaces and lead words (一是, 同时, 进一步 …) at text[pos].
size_t SkipLead(std::string_view bounded, size_t pos, size_t end) {
  const PlanLexicon& lexicon = PlanLexicon::Get();
  while (pos < end) {
    size_t next = pos;
    if (IsSkippable(utf8::Next(bounded, &next))) {
      pos = next;
    } else if (const WordEntry* w = lexicon.lead.StartingAt(bounded, pos)) {
      pos += w->text.size();
    } else {
      break;
    }
  }
  return pos;
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
  void Sentence(int index, Span sentence, int section, bool in_plan, bool title, Span topic) {
    if (title && !OpensWithPromise(sentence)) return;
    std::vector<Clause> clauses;
    SplitClauses(text_, sentence, index, &clauses);
    const size_t first_item = facts_->plan_items.size();
    Span previous_subject;
    for (const Clause& clause : clauses) {
      PlanItem item;
      if (!Describe(clause, &item)) {
        // A clause without action, deadline or target continues the item before it.
        if (facts_->plan_items.size() > first_item) facts_->plan_items.back().span.end = clause.span.end;
        continue;
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
      facts_->plan_items.push_back(std::move(item));
    }
    for (size_t k = first_item; k < facts_->plan_items.size(); ++k) {
      PlanItem& item = facts_->plan_items[k];
      item.assessable = item.target >= 0 || item.deadline >= 0 || HasMilestone(item.span);
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
  // Fills `item` from one clause; false when the clause promises nothing.
  bool Describe(const Clause& clause, PlanItem* item) {
    const PlanLexicon& lexicon = PlanLexicon::Get();
    std::string_view bounded = text_.substr(0, clause.span.end);
    size_t start = SkipLead(bounded, clause.span.begin, clause.span.end);
    if (lexicon.frame.StartingAt(bounded, start)) return false;  // 从…方面入手
    item->span = clause.span;
    Location loc = source_.Locate(start < clause.span.end ? start : clause.span.begin);
    item->line = loc.line;
    item->column = loc.column;
    // Strength words, the first action verb and the time expressions, in
    // one pass; quantities and times are skipped over.
    size_t subject_end = std::string_view::npos;
    for (size_t i = start; i < clause.span.end;) {
      if (int t = TimeAt(i); t >= 0) {
        const TimeExpr& time = facts_->times[t];
        if (time.kind == TimeKind::kRecurrence) {
          if (item->recurrence < 0) item->recurrence = t;
        } else if (item->deadline < 0 && CanBeDeadline(time)) {
          item->deadline = t;
        }
        if (subject_end == std::string_view::npos) subject_end = i;
        i = time.span.end;
        continue;
      }
      {
        // Most characters start no word at all: one decode, three filters.
        size_t next = i;
        char32_t cp = utf8::Next(bounded, &next);
        if (!lexicon.not_action.MayStartWith(cp) && !lexicon.strength.MayStartWith(cp) &&
            !lexicon.action.MayStartWith(cp)) {
          i = next;
          continue;
        }
      }
      if (const WordEntry* n = lexicon.not_action.StartingAt(bounded, i)) {
        i += n->text.size();
        continue;
      }
      if (const WordEntry* w = lexicon.strength.StartingAt(bounded, i)) {
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
        const WordEntry* a = lexicon.action.StartingAt(bounded, i);
        if (item->action.empty() && a && a->text.size() >= w->text.size() && s == Strength::kAdvance) {
          item->action = Span{static_cast<uint32_t>(i), static_cast<uint32_t>(i + a->text.size())};
        }
        i += w->text.size();
        continue;
      }
      if (item->action.empty()) {
        if (const WordEntry* a = lexicon.action.StartingAt(bounded, i)) {
          item->action = Span{static_cast<uint32_t>(i), static_cast<uint32_t>(i + a->text.size())};
          if (subject_end == std::string_view::npos) subject_end = i;
          i += a->text.size();
          continue;
        }
      }
      utf8::Next(bounded, &i);
    }
    // 16个新建项目已完成前期设计19个, 正在实施的项目1个: progress, not a promise.
    if (IsProgress(clause.span)) return false;
    item->target = FirstFigure(clause.span);
    // A recurring duty (每月调度一次) is an item even without an action word.
    if (item->action.empty() && item->deadline < 0 && item->target < 0 && item->recurrence < 0) return false;
    if (item->action.empty() && item->strength == Strength::kNone && item->deadline < 0 &&
        item->recurrence < 0) {
      return false;
    }
    if (subject_end != std::string_view::npos && subject_end > start) {
      Span subject{static_cast<uint32_t>(start), static_cast<uint32_t>(subject_end)};
      if (subject.In(text_).size() > 3 && subject.In(text_).substr(subject.In(text_).size() - 3) == "已") {
        subject.end -= 3;  // 所有项目已完成…
      }
      item->subject = TrimSpaces(text_, subject);
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
    return true;
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
      for (size_t at = bounded.find(marker, span.begin); at != std::string_view::npos;
           at = bounded.find(marker, at + marker.size())) {
        if (lexicon.action.StartingAt(bounded, at + marker.size())) return true;
      }
    }
    return false;
  }

  // Index of the time expression starting at pos, or -1.
  int TimeAt(size_t pos) {
    const std::vector<TimeExpr>& times = facts_->times;
    while (next_time_ < times.size() && times[next_time_].span.begin < pos) ++next_time_;
    // Clauses are visited in text order, but a clause may be re-read: step back.
    while (next_time_ > 0 && times[next_time_ - 1].span.begin >= pos) --next_time_;
    if (next_time_ < times.size() && times[next_time_].span.begin == pos) return static_cast<int>(next_time_);
    return -1;
  }

  bool StartsWithTime(Span clause) {
    size_t start = SkipLead(text_.substr(0, clause.end), clause.begin, clause.end);
    return TimeAt(start) >= 0;
  }

  // The first figure in the span that is not a duration or rank.
  int FirstFigure(Span span) {
    const std::vector<Quantity>& quantities = facts_->quantities;
    auto it = std::lower_bound(quantities.begin(), quantities.end(), span.begin,
                               [](const Quantity& q, uint32_t pos) { return q.span.begin < pos; });
    for (; it != quantities.end() && it->span.begin < span.end; ++it) {
      if (!Inside(it->span, span)) continue;
      if (it->kind == "duration" || it->kind == "rank" || it->unit == "级") continue;
      // 锻造一支…队伍, 打造一批…: a spelled-out 一 is rhetoric, not a target.
      if (it->span.In(text_).rfind("一", 0) == 0) continue;
      return static_cast<int>(it - quantities.begin());
    }
    return -1;
  }

  // A milestone word, read word by word so that 创建成果 holds 创建, not 建成.
  bool HasMilestone(Span span) {
    const PlanLexicon& lexicon = PlanLexicon::Get();
    std::string_view bounded = text_.substr(0, span.end);
    for (size_t i = span.begin; i < span.end;) {
      if (lexicon.milestone.StartingAt(bounded, i)) return true;
      if (const WordEntry* a = lexicon.action.StartingAt(bounded, i)) {
        i += a->text.size();
        continue;
      }
      utf8::Next(bounded, &i);
    }
    return false;
  }

  const SourceText& source_;
  std::string_view text_;
  const Report& report_;
  ReportFacts* facts_;
  std::string owner_;
  size_t next_time_ = 0;
};

// Words that make a sentence outside a plan section a promise.
bool Promises(std::string_view sentence) {
  for (std::string_view w : {"力争", "确保", "拟", "计划", "将", "争取"}) {
    if (sentence.find(w) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

void FindPlanItems(const SourceText& source, const Report& report, ReportFacts* facts) {
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
  for (size_t s = 0; s < report.sentences.size(); ++s) {
    const Sentence& sentence = report.sentences[s];
    const Paragraph& paragraph = report.paragraphs[sentence.paragraph];
    // The title of a top-level heading names the section (二、2024年工作计划).
    if (paragraph.heading >= 0 && report.headings[paragraph.heading].depth == 1 &&
        sentence.span.begin <= report.headings[paragraph.heading].title.end &&
        sentence.span.end >= report.headings[paragraph.heading].title.begin) {
      continue;
    }
    int section = -1;
    for (size_t k = 0; k < report.sections.size(); ++k) {
      const Section& sec = report.sections[k];
      if (paragraph.first_line >= sec.first_line && paragraph.first_line <= sec.last_line) {
        section = static_cast<int>(k);
        break;
      }
    }
    bool in_plan = section >= 0 && report.sections[section].kind == SectionKind::kPlan;
    if (!in_plan && !(future_deadline[s] && Promises(sentence.span.In(text)))) continue;
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
      const Heading& owner = report.headings[paragraph.owner];
      if (owner.depth >= 2 && !builder.OpensWithPromise(owner.title)) topic = owner.title;
    }
    builder.Sentence(static_cast<int>(s), span, section, in_plan, title, topic);
  }
}

}  // namespace extract_internal
}  // namespace taizhang
