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
  // Leading words that name the whole place (全区地区生产总值 → 地区生产总值).
  for (bool stripped = true; stripped;) {
    stripped = false;
    subject = Trim(subject);
    for (std::string_view lead : w.lead) {
      if (subject.size() > lead.size() + 3 && subject.starts_with(lead)) {
        subject.remove_prefix(lead.size());
        stripped = true;
      }
    }
  }
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

Target NumericTarget(const SourceText& source, std::string_view clause_text, uint32_t clause_begin,
                     std::string_view subject, const Quantity& q, Change change) {
  const std::string_view text = source.text();
  Target t;
  t.source = TargetSource::kExpectedTargets;
  t.kind = TargetKind::kNumeric;
  t.text = std::string(clause_text);
  Location at = source.Locate(clause_begin);
  t.line = at.line;
  t.column = at.column;
  t.subject = std::string(subject);
  t.figure_text = std::string(q.span.In(text));
  t.placeholder = !q.value;
  if (q.value) t.figure = FigureOf(q, change);
  t.direction = (q.approx == Approximation::kUnder || IsCeilingSubject(clause_text))
                    ? Direction::kCeiling
                    : Direction::kHigher;
  return t;
}

// The words of a plan item's measured phrase that name the thing: without
// note marks ([24]), quotation marks, its own figure and what precedes or
// follows it (2个“口袋公园”[24] → 口袋公园; 招聘特岗教师330名充实一线教学 →
// 招聘特岗教师; 1万亩的腰山草莓现代农业园区 → 腰山草莓现代农业园区).
std::string PlanItemSubject(std::string_view subject, std::string_view figure) {
  std::string out;
  out.reserve(subject.size());
  for (size_t i = 0; i < subject.size();) {
    if (subject[i] == '[' || subject.substr(i).starts_with("^[")) {
      size_t close = subject.find(']', i);
      size_t open = subject[i] == '[' ? i + 1 : i + 2;
      if (close != std::string_view::npos && close > open &&
          std::all_of(subject.begin() + open, subject.begin() + close,
                      [](char ch) { return ch >= '0' && ch <= '9'; })) {
        i = close + 1;
        continue;
      }
    }
    bool quote = false;
    for (std::string_view mark : {"“", "”", "「", "」"}) {
      if (subject.substr(i).starts_with(mark)) {
        i += mark.size();
        quote = true;
        break;
      }
    }
    if (!quote) out += subject[i++];
  }
  size_t at = figure.empty() ? std::string::npos : out.find(figure);
  if (at != std::string::npos) {
    std::string before = std::string(Trim(std::string_view(out).substr(0, at)));
    std::string after = std::string(Trim(std::string_view(out).substr(at + figure.size())));
    out = utf8::CountCodePoints(before) >= 2 ? before : after;
  }
  std::string_view trimmed = Trim(out);
  if (trimmed.starts_with("的")) trimmed.remove_prefix(3);
  return std::string(trimmed);
}

// Whether `subject`, cut at 和 and 、 into `items`, lists things that each
// name a measured thing as written (全部财政收入和一般预算收入), not a name
// holding 和 (文化和旅游产业增加值: 文化 alone names no indicator).
bool ListOfNames(std::string_view subject, const std::vector<std::string>& items) {
  if (items.size() < 2) return false;
  size_t pieces = 0;
  while (!subject.empty()) {
    size_t cut = std::min(FindText(subject, "和"), FindText(subject, "、"));
    if (utf8::CountCodePoints(Trim(subject.substr(0, cut))) < 4) return false;
    ++pieces;
    subject = cut == std::string_view::npos ? std::string_view() : subject.substr(cut + 3);
  }
  return pieces == items.size();
}

// A clause of several figures: one target each. 城乡居民人均可支配收入分别增长
// 7.5%和8.5% (items before 分别, in order), or 城镇新增就业60万人左右、城镇调查
// 失业率5.5%左右 (each figure after its own words). Nothing when neither fits.
std::vector<Target> SplitTargets(const SourceText& source, std::string_view c, Span clause,
                                 const std::vector<const Quantity*>& figures) {
  const std::string_view text = source.text();
  std::vector<Target> out;
  std::string_view head(text.data() + clause.begin, figures.front()->span.begin - clause.begin);
  size_t each = FindText(head, "分别");
  if (each != std::string_view::npos) {
    // A change word after 分别 (分别增长) is every item's. One before it ends
    // the last item of a 、 list only (城镇调查失业率、居民消费价格涨幅分别控制在
    // 5.5%和3%左右: the rate is a level, the price a rise), but is every side's
    // of one thing (城乡居民人均可支配收入增长分别为…).
    Change change = Change::kNone;
    for (const auto& [word, word_change] : Words().change) {
      if (ContainsText(head.substr(each), word)) change = word_change;
    }
    Change last_change = Change::kNone;
    std::string_view list = head.substr(0, each);
    std::vector<std::string> items = ListedSubjects(StripSubject(list, &last_change), figures.size());
    if (items.empty()) return {};
    const bool own_items = ContainsText(list, "、");
    for (size_t i = 0; i < figures.size(); ++i) {
      Change own = change != Change::kNone                  ? change
                   : (!own_items || i + 1 == figures.size()) ? last_change
                                                             : Change::kNone;
      out.push_back(NumericTarget(source, c, clause.begin, items[i], *figures[i], own));
    }
    return out;
  }
  // 全部财政收入和地方一般预算收入可比增长13%和13%: as many things named before
  // the first figure as there are figures, the figures joined by 和 or 、.
  bool joined = true;
  for (size_t i = 0; i + 1 < figures.size() && joined; ++i) {
    std::string_view link = Trim(std::string_view(text.data() + figures[i]->span.end,
                                                  figures[i + 1]->span.begin - figures[i]->span.end));
    joined = link == "和" || link == "、";
  }
  if (joined) {
    Change change = Change::kNone;
    std::string_view listed = StripSubject(head, &change);
    std::vector<std::string> items = ListedSubjects(listed, figures.size());
    if (ListOfNames(listed, items)) {
      for (size_t i = 0; i < figures.size(); ++i) {
        out.push_back(NumericTarget(source, c, clause.begin, items[i], *figures[i], change));
      }
      return out;
    }
  }
  uint32_t from = clause.begin;
  for (const Quantity* q : figures) {
    std::string_view words(text.data() + from, q->span.begin - from);
    for (std::string_view link : {"、", "和", "及"}) {
      if (words.starts_with(link)) words.remove_prefix(link.size());
    }
    Change change = Change::kNone;
    std::string_view subject = StripSubject(words, &change);
    if (subject.size() < 6) return {};  // 增长6%—6.5%: one figure of one thing
    // The ceiling words of this part only.
    std::string_view part(text.data() + from, q->span.end - from);
    for (std::string_view link : {"、", "和", "及"}) {
      if (part.starts_with(link)) {
        part.remove_prefix(link.size());
        from += static_cast<uint32_t>(link.size());
      }
    }
    out.push_back(NumericTarget(source, part, from, subject, *q, change));
    from = q->span.end;
  }
  return out;
}

// The first YYYY年 of text (1990–2100), or 0.
int FirstYear(std::string_view text) {
  for (size_t at = FindText(text, "年"); at != std::string_view::npos;
       at = FindText(text, "年", at + 3)) {
    if (at < 4) continue;
    std::string_view digits = text.substr(at - 4, 4);
    if (!std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      continue;
    if (at >= 5 && text[at - 5] >= '0' && text[at - 5] <= '9') continue;
    int y = std::stoi(std::string(digits));
    if (y >= 1990 && y <= 2100) return y;
  }
  return 0;
}

// The 主要预期目标 clauses of `report`, or nothing when it has no such sentence.
std::vector<Target> ExpectedTargets(const SourceText& source, const Report& report,
                                    const ReportFacts& facts, int* cue_year) {
  std::vector<Target> out;
  const std::string_view text = source.text();
  const auto& w = Words();
  for (size_t si = 0; si < report.sentences.size(); ++si) {
    const Sentence& sentence = report.sentences[si];
    std::string_view s = sentence.span.In(text);
    auto [cue_at, cue] = FindAny(s, w.target_cue);
    if (cue_at == std::string_view::npos) continue;
    // “十四五”时期的主要目标是: targets of several years, not of the year.
    if (FindAny(s.substr(0, cue_at), w.multi_year).first != std::string_view::npos) continue;
    size_t colon = FindText(s, "：", cue_at);
    if (colon == std::string_view::npos) colon = FindText(s, ":", cue_at);
    uint32_t begin = sentence.span.begin + static_cast<uint32_t>(
                                               colon == std::string_view::npos ? cue_at + cue.size()
                                                                               : colon + (s[colon] == ':' ? 1 : 3));
    // The year the passage is for when it says so (2022年是…。…今年的主要预期目标是).
    if (sentence.paragraph >= 0) {
      const Paragraph& para = report.paragraphs[sentence.paragraph];
      std::string_view before(text.data() + para.span.begin,
                              sentence.span.begin + cue_at - para.span.begin);
      *cue_year = FirstYear(before);
    }
    // The passage runs on over the next sentences of the cue's paragraph that
    // set a figure or name 指标/任务 (…增长7%左右。PM2.5平均浓度下降率完成
    // 市定任务。), not over those that explain them (确定以上目标，…).
    uint32_t end = sentence.span.end;
    for (size_t next = si + 1;
         next < report.sentences.size() && report.sentences[next].paragraph == sentence.paragraph &&
         sentence.paragraph >= 0;
         ++next) {
      const Span& span = report.sentences[next].span;
      std::string_view st = span.In(text);
      // A target figure: a rate, or one with 以上/左右/以内 (not 以下八个方面).
      bool has_figure =
          std::any_of(facts.quantities.begin(), facts.quantities.end(), [&](const Quantity& q) {
            return q.span.begin >= span.begin && q.span.end <= span.end && q.value &&
                   q.kind != "rank" && (q.unit == "%" || q.approx != Approximation::kExact);
          });
      if (!has_figure && !ContainsText(st, "指标") && !ContainsText(st, "任务")) break;
      end = span.end;
    }
    for (Span clause : Clauses(text, begin, end)) {
      std::string_view c = Trim(clause.In(text));
      if (c.empty()) continue;
      clause.begin += static_cast<uint32_t>(c.data() - (text.data() + clause.begin));
      clause.end = clause.begin + static_cast<uint32_t>(c.size());
      std::vector<const Quantity*> figures;
      for (const Quantity& candidate : facts.quantities) {
        if (candidate.span.begin >= clause.begin && candidate.span.end <= clause.end &&
            (candidate.value || candidate.placeholder) && candidate.kind != "rank") {
          figures.push_back(&candidate);
        }
      }
      // 增长6%—6.5%: two figures joined by a dash are one range.
      std::vector<Quantity> ranges;
      ranges.reserve(figures.size());
      for (size_t k = 0; k + 1 < figures.size(); ++k) {
        const Quantity& a = *figures[k];
        const Quantity& b = *figures[k + 1];
        if (!a.value || !b.value || a.high || a.unit != b.unit || b.span.begin < a.span.end)
          continue;
        std::string_view link =
            Trim(std::string_view(text.data() + a.span.end, b.span.begin - a.span.end));
        if (link != "—" && link != "——" && link != "－" && link != "-" && link != "～" &&
            link != "~" && link != "至" && link != "到")
          continue;
        Quantity merged = a;
        merged.span.end = b.span.end;
        merged.high = b.value;
        merged.approx = Approximation::kRange;
        ranges.push_back(merged);
        figures[k] = &ranges.back();
        figures.erase(figures.begin() + static_cast<std::ptrdiff_t>(k) + 1);
      }
      if (figures.size() >= 2) {
        std::vector<Target> split = SplitTargets(source, c, clause, figures);
        if (!split.empty()) {
          for (Target& t : split) out.push_back(std::move(t));
          continue;
        }
      }
      const Quantity* q = figures.empty() ? nullptr : figures.front();
      if (!q && FindAny(c, w.addendum).first != std::string_view::npos) continue;
      Target t;
      t.source = TargetSource::kExpectedTargets;
      t.text = std::string(c);
      Location at = source.Locate(clause.begin);
      t.line = at.line;
      t.column = at.column;
      // A增长快于B增长 / A增速高于B: A's growth must be above B's.
      auto [faster_at, faster] = FindAny(c, w.faster);
      if (!q && faster_at != std::string_view::npos) {
        std::string_view a = StripSubject(c.substr(0, faster_at), nullptr);
        std::string_view b = Trim(c.substr(faster_at + faster.size()));
        for (std::string_view end : {"水平", "增长", "增速", "增幅"}) {
          if (b.size() > end.size() + 3 && b.ends_with(end)) b.remove_suffix(end.size());
        }
        b = Trim(b);  // 全省平均: its 全省 is what it names
        for (std::string_view end : {"均", "都"}) {
          if (a.ends_with(end)) a.remove_suffix(end.size());
        }
        a = StripSubject(a, nullptr);
        if (a.size() >= 6 && b.size() >= 6) {
          t.kind = TargetKind::kInStep;
          t.faster = true;
          t.subject = std::string(a);
          t.subject_b = std::string(b);
          out.push_back(std::move(t));
          continue;
        }
      }
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
        // 全部财政收入和一般预算收入均增长17%以上: the figure holds for each.
        std::vector<std::string> items;
        if (ContainsText(t.subject, "和") || ContainsText(t.subject, "、")) {
          for (size_t n = 2; n <= 4 && items.empty(); ++n) items = ListedSubjects(t.subject, n);
        }
        if (ListOfNames(t.subject, items)) {
          for (const std::string& item : items) {
            out.push_back(NumericTarget(source, c, clause.begin, item, *q, change));
          }
          continue;
        }
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

// Indicator targets of the work plan, beside a 主要预期目标 passage: a clause
// of a plan section (of the plan year) that keeps an indicator at a level
// (粮食播种面积稳定在105万亩以上), one target per figure.
std::vector<Target> WorkPlanTargets(const SourceText& source, const Report& report,
                                    const ReportFacts& facts, int plan_year,
                                    const std::vector<Target>& expected) {
  std::vector<Target> out;
  const std::string_view text = source.text();
  const auto& w = Words();
  for (const Sentence& sentence : report.sentences) {
    if (sentence.paragraph < 0) continue;
    const Paragraph& para = report.paragraphs[sentence.paragraph];
    bool in_plan =
        std::any_of(report.sections.begin(), report.sections.end(), [&](const Section& section) {
          return section.kind == SectionKind::kPlan &&
                 (!section.year || section.year == plan_year) &&
                 para.first_line >= section.first_line && para.first_line <= section.last_line;
        });
    if (!in_plan) continue;
    std::string_view st = sentence.span.In(text);
    if (FindAny(st, w.keep_level).first == std::string_view::npos) continue;
    if (FindAny(st, w.target_cue).first != std::string_view::npos) continue;
    for (Span clause : Clauses(text, sentence.span.begin, sentence.span.end)) {
      std::string_view c = Trim(clause.In(text));
      auto [keep_at, keep] = FindAny(c, w.keep_level);
      if (keep_at == std::string_view::npos) continue;
      clause.begin += static_cast<uint32_t>(c.data() - (text.data() + clause.begin));
      clause.end = clause.begin + static_cast<uint32_t>(c.size());
      const uint32_t keep_end = clause.begin + static_cast<uint32_t>(keep_at + keep.size());
      // Each figure right after a keep word, named by the words before the keep
      // word: 粮食播种面积稳定在33万亩以上、蔬菜产量稳定在200万吨左右.
      uint32_t from = clause.begin;
      for (const Quantity& q : facts.quantities) {
        if (q.span.begin < keep_end || q.span.end > clause.end || !q.value || q.kind == "rank" ||
            q.unit == "%")
          continue;
        std::string_view words(text.data() + from, q.span.begin - from);
        auto [k_at, k] = FindAny(words, w.keep_level);
        if (k_at == std::string_view::npos || Trim(words.substr(k_at + k.size())).size() > 0) break;
        std::string_view subject = StripSubject(words.substr(0, k_at), nullptr);
        size_t cut = subject.rfind("、");
        if (cut != std::string_view::npos) subject = Trim(subject.substr(cut + 3));
        if (utf8::CountCodePoints(subject) < 3) break;  // 产量 alone names nothing
        bool again = std::any_of(expected.begin(), expected.end(),
                                 [&](const Target& t) { return t.subject == subject; });
        if (!again) {
          std::string_view part(text.data() + from, q.span.end - from);
          Target t = NumericTarget(source, Trim(part), from, subject, q, Change::kNone);
          t.source = TargetSource::kPlanItem;
          out.push_back(std::move(t));
        }
        from = q.span.end;
      }
    }
  }
  return out;
}

}  // namespace

std::vector<Target> PlanTargets(const SourceText& source, const Report& report,
                                const ReportFacts& facts, const CompareOptions& options, int* year) {
  int plan_year = options.year ? options.year : report.plan_year;
  int cue_year = 0;
  std::vector<Target> out = ExpectedTargets(source, report, facts, &cue_year);
  if (!plan_year && !report.years.empty()) plan_year = report.years.back();
  if (!plan_year) plan_year = cue_year;
  // A report whose metadata gave no year (a county report without a title):
  // the year of its first plan section, else the latest year a section names.
  if (!plan_year) {
    for (const Section& section : report.sections) {
      if (section.kind == SectionKind::kPlan && section.year) {
        plan_year = section.year;
        break;
      }
    }
  }
  if (!plan_year) {
    for (const Section& section : report.sections) plan_year = std::max(plan_year, section.year);
  }
  *year = plan_year;
  if (!out.empty()) {
    for (Target& t : WorkPlanTargets(source, report, facts, plan_year, out))
      out.push_back(std::move(t));
    return out;
  }

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
      t.subject = PlanItemSubject(t.subject, t.figure_text);
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
