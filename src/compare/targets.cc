// The targets of a plan: the clauses of a government work report's
// 主要预期目标 sentence, or the plan items of a plan section.
#include <algorithm>
#include <string>

#include "common/language_data.h"
#include "common/punctuation.h"
#include "common/text_search.h"
#include "common/utf8.h"
#include "compare/compare.h"
#include "compare/compare_internal.h"

namespace taizhang {

using compare_internal::EndsWithAny;
using compare_internal::FindAny;
using compare_internal::Trim;
using compare_internal::Words;

namespace {

// Strips change and link words from the end of a subject (地区生产总值增长 →
// 地区生产总值), reporting the change word met.
std::string_view StripSubject(std::string_view subject, Change* change) {
  const auto& w = Words();
  for (bool stripped = true; stripped;) {
    stripped = false;
    subject = Trim(subject);
    for (const auto& [word, c] : w.change) {
      if (subject.size() > word.size() && subject.ends_with(word) &&
          EndsWithAny(subject, {word}) == word) {
        if (change && *change == Change::kNone) *change = c;
        subject.remove_suffix(word.size());
        stripped = true;
        break;
      }
    }
    if (stripped) continue;
    std::string_view s = EndsWithAny(subject, w.strip);
    if (!s.empty() && subject.size() > s.size()) {
      subject.remove_suffix(s.size());
      stripped = true;
    }
  }
  // Leading link words of the clause (居民 … keeps; 以 … drops nothing).
  return Trim(subject);
}

// Clause spans of text[begin, end), split at ，；; (and 、 never).
std::vector<Span> Clauses(std::string_view text, uint32_t begin, uint32_t end) {
  std::vector<Span> out;
  size_t pos = begin;
  uint32_t start = begin;
  while (pos < end) {
    size_t at = pos;
    char32_t cp = utf8::Next(text, &pos);
    if (cp == U'，' || cp == ',' || cp == U'；' || cp == ';' || cp == U'。' || cp == '\n') {
      if (at > start) out.push_back({start, static_cast<uint32_t>(at)});
      start = static_cast<uint32_t>(pos);
    }
  }
  if (end > start) out.push_back({start, end});
  return out;
}

bool IsCeilingSubject(std::string_view clause) {
  return FindAny(clause, Words().ceiling).first != std::string_view::npos ||
         ContainsText(clause, "控制在") || ContainsText(clause, "不超过") ||
         ContainsText(clause, "不高于");
}

Figure FigureOf(const Quantity& q, Change change) {
  Figure f;
  f.value = *q.value;
  f.high = q.high;
  f.unit = q.unit;
  f.approx = q.approx;
  f.change = q.change != Change::kNone ? q.change : change;
  return f;
}

// The 主要预期目标 clauses of `report`, or nothing when it has no such sentence.
std::vector<Target> ExpectedTargets(const SourceText& source, const Report& report,
                                    const ReportFacts& facts) {
  std::vector<Target> out;
  const std::string_view text = source.text();
  const auto& w = Words();
  for (const Sentence& sentence : report.sentences) {
    std::string_view s = sentence.span.In(text);
    auto [cue_at, cue] = FindAny(s, w.target_cue);
    if (cue_at == std::string_view::npos) continue;
    size_t colon = FindText(s, "：", cue_at);
    if (colon == std::string_view::npos) colon = FindText(s, ":", cue_at);
    uint32_t begin = sentence.span.begin + static_cast<uint32_t>(
                                               colon == std::string_view::npos ? cue_at + cue.size()
                                                                               : colon + (s[colon] == ':' ? 1 : 3));
    for (Span clause : Clauses(text, begin, sentence.span.end)) {
      std::string_view c = Trim(clause.In(text));
      if (c.empty()) continue;
      clause.begin += static_cast<uint32_t>(c.data() - (text.data() + clause.begin));
      clause.end = clause.begin + static_cast<uint32_t>(c.size());
      const Quantity* q = nullptr;
      for (const Quantity& candidate : facts.quantities) {
        if (candidate.span.begin >= clause.begin && candidate.span.end <= clause.end &&
            (candidate.value || candidate.placeholder) && candidate.kind != "rank") {
          q = &candidate;
          break;
        }
      }
      if (!q && FindAny(c, w.addendum).first != std::string_view::npos) continue;
      Target t;
      t.source = TargetSource::kExpectedTargets;
      t.text = std::string(c);
      Location at = source.Locate(clause.begin);
      t.line = at.line;
      t.column = at.column;
      auto [step_at, step] = FindAny(c, w.in_step);
      if (!q && step_at != std::string_view::npos) {
        // A增长与B增长(基本)同步.
        std::string_view lhs = c.substr(0, step_at);
        size_t link = FindText(lhs, "与");
        if (link == std::string_view::npos) link = FindText(lhs, "和");
        if (link != std::string_view::npos) {
          std::string_view b = lhs.substr(link + 3);
          if (b.ends_with("基本")) b.remove_suffix(6);
          if (b.ends_with("保持")) b.remove_suffix(6);
          t.kind = TargetKind::kInStep;
          t.subject = std::string(StripSubject(lhs.substr(0, link), nullptr));
          t.subject_b = std::string(StripSubject(b, nullptr));
          out.push_back(std::move(t));
          continue;
        }
      }
      if (q) {
        Change change = Change::kNone;
        std::string_view before(text.data() + clause.begin, q->span.begin - clause.begin);
        t.kind = TargetKind::kNumeric;
        t.subject = std::string(StripSubject(before, &change));
        t.figure_text = std::string(q->span.In(text));
        t.placeholder = !q->value;
        if (q->value) t.figure = FigureOf(*q, change);
        t.direction = (q->approx == Approximation::kUnder || IsCeilingSubject(c)) ? Direction::kCeiling
                                                                                  : Direction::kHigher;
      } else {
        t.kind = TargetKind::kTask;
        auto [verb_at, verb] = FindAny(c, w.task_verb);
        t.subject = std::string(verb_at != std::string_view::npos && verb_at >= 6 ? c.substr(0, verb_at) : c);
      }
      out.push_back(std::move(t));
    }
    break;  // the first such sentence holds the year's targets
  }
  return out;
}

}  // namespace

std::vector<Target> PlanTargets(const SourceText& source, const Report& report,
                                const ReportFacts& facts, const CompareOptions& options, int* year) {
  int plan_year = options.year ? options.year : report.plan_year;
  if (!plan_year && !report.years.empty()) plan_year = report.years.back();
  *year = plan_year;
  std::vector<Target> out = ExpectedTargets(source, report, facts);
  if (!out.empty()) return out;

  const std::string_view text = source.text();
  for (const PlanItem& item : facts.plan_items) {
    if (item.section < 0) continue;
    const Section& section = report.sections[item.section];
    if (section.year && plan_year && section.year != plan_year) continue;
    if (!item.assessable && !options.all_plan_items) continue;
    std::string item_text = JoinedText(text, item.span);
    std::string deadline = item.deadline >= 0 ? facts.times[item.deadline].end : "";
    // One target per figure the item sets (新创省级健康镇1个、国家级卫生镇1个 …).
    int figures = 0;
    for (const Quantity& q : facts.quantities) {
      if (q.span.begin < item.span.begin || q.span.end > item.span.end) continue;
      if (!(q.value || q.placeholder) || q.kind == "rank") continue;
      Target t;
      t.source = TargetSource::kPlanItem;
      t.kind = TargetKind::kNumeric;
      t.text = item_text;
      Change change = Change::kNone;
      std::string_view measured = q.measured.In(text);
      if (measured.empty()) measured = item.object.In(text);
      t.subject = std::string(StripSubject(measured, &change));
      // A measured phrase that is only a verb (力争建成1家…中医馆 → 建成):
      // the item's object names the thing.
      if (t.subject.size() < 9 && !item.object.empty()) {
        t.subject = std::string(StripSubject(item.object.In(text), nullptr));
      }
      t.figure_text = std::string(q.span.In(text));
      t.placeholder = !q.value;
      if (q.value) t.figure = FigureOf(q, change);
      t.direction = q.approx == Approximation::kUnder ? Direction::kCeiling : Direction::kHigher;
      t.deadline = deadline;
      t.line = q.line;
      t.column = q.column;
      out.push_back(std::move(t));
      ++figures;
    }
    if (figures) continue;
    Target t;
    t.source = TargetSource::kPlanItem;
    t.kind = TargetKind::kTask;
    t.text = item_text;
    std::string_view object = item.object.In(text);
    t.subject = std::string(object.empty() ? std::string_view(item_text) : object);
    t.deadline = deadline;
    t.line = item.line;
    t.column = item.column;
    out.push_back(std::move(t));
  }
  return out;
}

Target LedgerTarget(const LedgerItem& item) {
  Target t;
  t.source = TargetSource::kLedgerItem;
  t.text = item.task;
  t.deadline = item.deadline;
  t.ledger_id = item.id;
  t.line = item.source_line;
  // What a result must name: the words after the first action verb.
  static const std::vector<std::string_view> actions = [] {
    std::vector<std::string_view> out;
    for (const DataRow& row : DataTable("plan_words.tsv", 3)) {
      if (row[0] == "action") out.push_back(row[1]);
    }
    return out;
  }();
  // Verbs and commitment words only (力争建成, 拟新增): no thing named.
  static const std::vector<std::string_view> verbs = [] {
    std::vector<std::string_view> out{"拟", "计划", "要"};
    for (const DataRow& row : DataTable("plan_words.tsv", 3)) {
      if (row[0] == "action" || row[0] == "strength" || row[0] == "lead") out.push_back(row[1]);
    }
    std::sort(out.begin(), out.end(), [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
    return out;
  }();
  auto names_nothing = [&](std::string_view text) {
    std::string rest(text);
    for (std::string_view v : verbs) {
      for (size_t at = rest.find(v); at != std::string::npos; at = rest.find(v)) rest.erase(at, v.size());
    }
    return Trim(rest).size() < 6;
  };
  std::string_view task = item.task;
  auto [at, verb] = FindAny(task, actions);
  std::string_view subject = task;
  if (at != std::string_view::npos && task.size() - at - verb.size() >= 6) {
    subject = task.substr(at + verb.size());
  }
  std::optional<Decimal> value = Decimal::Parse(item.target_value);
  if (value) {
    t.kind = TargetKind::kNumeric;
    Figure f;
    f.value = *value;
    f.unit = item.target_unit;
    if (item.target_approx == "about") f.approx = Approximation::kAbout;
    if (item.target_approx == "over") f.approx = Approximation::kOver;
    if (item.target_approx == "under") f.approx = Approximation::kUnder;
    t.figure_text = item.target_text;
    // The thing measured: the task up to its figure, less change words.
    size_t fig = item.target_text.empty() ? std::string_view::npos : FindText(task, item.target_text);
    Change change = Change::kNone;
    if (fig != std::string_view::npos) {
      std::string_view before = task.substr(0, fig);
      auto [verb_at, v] = FindAny(before, actions);
      if (verb_at != std::string_view::npos && before.size() - verb_at - v.size() >= 6) {
        before = before.substr(verb_at + v.size());
      }
      subject = StripSubject(before, &change);
      // Only a verb before the figure (新增100个以上普惠托位): the thing follows it.
      std::string_view after = task.substr(fig + item.target_text.size());
      if (names_nothing(subject) && after.size() >= 6) subject = StripSubject(after, nullptr);
      for (std::string_view tail : {"。", "；", "，"}) {
        if (subject.ends_with(tail)) subject.remove_suffix(tail.size());
      }
    }
    f.change = change;
    t.figure = f;
    t.direction = f.approx == Approximation::kUnder ? Direction::kCeiling : Direction::kHigher;
  } else {
    t.kind = TargetKind::kTask;
    t.figure_text = item.target_text;
  }
  t.subject = std::string(subject);
  return t;
}

}  // namespace taizhang
