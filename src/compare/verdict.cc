// The verdict rules: a result figure against a target figure, two growth
// rates that should move in step, and the wording of a task's statement.
#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <string>

#include "common/language_data.h"
#include "common/text_search.h"
#include "common/utf8.h"
#include "compare/compare.h"
#include "compare/compare_internal.h"

namespace taizhang {

namespace compare_internal {

const CompareWords& Words() {
  static const CompareWords* words = [] {
    auto* w = new CompareWords;
    for (const DataRow& row : DataTable("compare_words.tsv", 3)) {
      std::string_view role = row[0], text = row[1], value = row[2];
      if (role == "target_cue") w->target_cue.push_back(text);
      else if (role == "addendum") w->addendum.push_back(text);
      else if (role == "strip") w->strip.push_back(text);
      else if (role == "ceiling") w->ceiling.push_back(text);
      else if (role == "in_step") w->in_step.push_back(text);
      else if (role == "task_verb") w->task_verb.push_back(text);
      else if (role == "change")
        w->change.emplace_back(text, value == "decrease" ? Change::kDecrease : Change::kIncrease);
      else if (role == "synonym") w->synonym.emplace_back(text, value);
      else if (role == "done") w->done.push_back(text);
      else if (role == "start") w->start.push_back(text);
      else if (role == "progress") w->progress.push_back(text);
      else if (role == "missed") w->missed.push_back(text);
      else if (role == "year_back") w->year_back.push_back(text);
      else if (role == "multi_year") w->multi_year.push_back(text);
      else if (role == "lead") w->lead.push_back(text);
      else if (role == "cumulative") w->cumulative.push_back(text);
      else if (role == "qualifier") {
        w->qualifier.push_back(text);
        if (value == "basis") w->basis.push_back(text);
      }
      else if (role == "qualifier_span") w->qualifier_span.emplace_back(text, value);
      else if (role == "part") w->part.push_back(text);
      else if (role == "flow") w->flow.push_back(text);
      else if (role == "other_indicator") w->other_indicator.push_back(text);
      else if (role == "other_indicator_lead") w->other_indicator_lead.push_back(text);
      else if (role == "faster") w->faster.push_back(text);
      else if (role == "flat") w->flat.push_back(text);
      else if (role == "keep_level") w->keep_level.push_back(text);
      else if (role == "same_unit") w->same_unit.emplace_back(text, value);
    }
    return w;
  }();
  return *words;
}

std::string_view EndsWithAny(std::string_view text, const std::vector<std::string_view>& words) {
  std::string_view best;
  for (std::string_view w : words) {
    if (w.size() > best.size() && text.size() >= w.size() && text.substr(text.size() - w.size()) == w) {
      best = w;
    }
  }
  return best;
}

std::pair<size_t, std::string_view> FindAny(std::string_view text,
                                              const std::vector<std::string_view>& words) {
  size_t best = std::string_view::npos;
  std::string_view word;
  for (std::string_view w : words) {
    size_t pos = FindText(text, w);
    if (pos == std::string_view::npos) continue;
    if (pos < best || (pos == best && w.size() > word.size())) {
      best = pos;
      word = w;
    }
  }
  return {best, word};
}

std::string_view Trim(std::string_view text) {
  for (;;) {
    size_t next = 0;
    if (text.empty() || !utf8::IsWhiteSpace(utf8::Next(text, &next))) break;
    text.remove_prefix(next);
  }
  for (;;) {
    size_t before = text.size();
    if (text.empty() || !utf8::IsWhiteSpace(utf8::Prev(text, &before))) break;
    text.remove_suffix(text.size() - before);
  }
  return text;
}

std::string FigureString(const Figure& figure) {
  auto scaled = [&](const Decimal& v) {
    if (figure.unit == "%" || figure.unit == "个百分点") return v.ToString() + figure.unit;
    double magnitude = v.ToDouble() < 0 ? -v.ToDouble() : v.ToDouble();
    if (magnitude >= 1e8) return v.Shifted(-8).ToString() + "亿" + figure.unit;
    if (magnitude >= 1e4) return v.Shifted(-4).ToString() + "万" + figure.unit;
    return v.ToString() + figure.unit;
  };
  std::string out = scaled(figure.value);
  if (figure.high) out += "—" + scaled(*figure.high);
  switch (figure.approx) {
    case Approximation::kAbout: out += "左右"; break;
    case Approximation::kOver: out += "以上"; break;
    case Approximation::kUnder: out += "以下"; break;
    default: break;
  }
  return out;
}

}  // namespace compare_internal

using compare_internal::FigureString;
using compare_internal::Words;

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kExceeded: return "exceeded";
    case Verdict::kMet: return "met";
    case Verdict::kMissed: return "missed";
    case Verdict::kNotReported: return "not_reported";
    case Verdict::kDone: return "done";
    case Verdict::kInProgress: return "in_progress";
    case Verdict::kNotMentioned: return "not_mentioned";
    case Verdict::kUnclear: return "unclear";
  }
  return "";
}

const char* VerdictLabel(Verdict v) {
  switch (v) {
    case Verdict::kExceeded: return "超过目标";
    case Verdict::kMet: return "达到目标";
    case Verdict::kMissed: return "未达目标";
    case Verdict::kNotReported: return "未报告";
    case Verdict::kDone: return "已完成";
    case Verdict::kInProgress: return "推进中";
    case Verdict::kNotMentioned: return "未提及";
    case Verdict::kUnclear: return "无法判定";
  }
  return "";
}

const char* DirectionName(Direction d) { return d == Direction::kCeiling ? "ceiling" : "higher"; }

const char* TargetSourceName(TargetSource s) {
  switch (s) {
    case TargetSource::kExpectedTargets: return "expected_targets";
    case TargetSource::kPlanItem: return "plan_item";
    case TargetSource::kLedgerItem: return "ledger_item";
  }
  return "";
}

namespace {

bool IsPercentLike(const std::string& unit) { return unit == "%" || unit == "个百分点"; }

Decimal Negated(const Decimal& d) { return Decimal(-d.mantissa(), d.exponent()); }

Decimal Minus(const Decimal& a, const Decimal& b) {
  return a.Plus(Negated(b)).value_or(a);
}

std::string Num(const Decimal& d, const std::string& unit) {
  Figure f;
  f.value = d;
  f.unit = unit;
  return FigureString(f);
}

// The result's value on the target's scale: a change in the direction the
// target states counts positive (能耗下降2.1% against 下降2%左右 is 2.1).
Figure Oriented(const Figure& target, const Figure& result) {
  Figure r = result;
  if (target.change != Change::kNone && result.change != Change::kNone &&
      target.change != result.change) {
    r.value = Negated(result.value);
    if (result.high) {
      r.value = Negated(*result.high);
      r.high = Negated(result.value);
    }
  }
  return r;
}

}  // namespace

bool FiguresComparable(const Figure& target, const Figure& result, std::string* why) {
  // 10件民生实事 against 县定10项民生实事: classifiers that count the same things.
  bool same_unit = std::any_of(
      compare_internal::Words().same_unit.begin(), compare_internal::Words().same_unit.end(),
      [&](const auto& pair) {
        return (target.unit == pair.first && result.unit == pair.second) ||
               (target.unit == pair.second && result.unit == pair.first);
      });
  if (target.unit != result.unit && !same_unit) {
    if (IsPercentLike(target.unit) && IsPercentLike(result.unit)) {
      *why = fmt::format("目标以“{}”计，结果以“{}”计：百分比与百分点不能相比", target.unit, result.unit);
    } else {
      *why = fmt::format("单位不同（目标“{}”，结果“{}”）", target.unit, result.unit);
    }
    return false;
  }
  bool target_change = target.change != Change::kNone;
  bool result_change = result.change != Change::kNone;
  if (target_change != result_change) {
    *why = target_change ? "目标是增减幅度，结果是数值本身" : "目标是数值本身，结果是增减幅度";
    return false;
  }
  return true;
}

Judgement JudgeFigure(const Figure& target, Direction direction, const Figure& result,
                      const Tolerance& tolerance) {
  Judgement j;
  const std::string& unit = target.unit;
  Figure r = Oriented(target, result);
  const Decimal& t = target.value;
  // The band the target allows.
  Decimal tol;
  std::string band_note;
  if (target.approx == Approximation::kAbout) {
    if (IsPercentLike(unit)) {
      tol = tolerance.about_points;
      band_note = fmt::format("“左右”容差 {} 个百分点", tolerance.about_points.ToString());
    } else {
      tol = t.Times(tolerance.about_relative).value_or(Decimal());
      if (tol < Decimal()) tol = Negated(tol);
      band_note = fmt::format("“左右”容差 {}%（即 {}）", tolerance.about_relative.Shifted(2).ToString(),
                              Num(tol, unit));
    }
  }
  Decimal lower = Minus(t, tol);
  Decimal upper = t.Plus(tol).value_or(t);
  if (target.approx == Approximation::kRange && target.high) upper = *target.high;
  if (target.approx == Approximation::kUnder) direction = Direction::kCeiling;

  std::string result_text = FigureString(result);
  std::string target_text =
      target.approx == Approximation::kUnder ? "不超过" + Num(t, unit) : FigureString(target);
  std::string change_word;
  if (target.change == Change::kIncrease) change_word = "增长";
  if (target.change == Change::kDecrease) change_word = "下降";
  std::string band;
  if (direction == Direction::kCeiling) {
    band = fmt::format("上限 {}", Num(upper, unit));
  } else if (lower == upper) {
    band = fmt::format("目标值 {}", Num(lower, unit));
  } else {
    band = fmt::format("达标区间 {}—{}", Num(lower, unit), Num(upper, unit));
  }
  if (!band_note.empty()) band += "，" + band_note;
  std::string head = fmt::format("目标{}{}，结果{}{}（{}）", change_word, target_text,
                                 change_word.empty() ? "" : (r.value < Decimal() ? "反向" : change_word),
                                 result_text, band);
  if (r.value < Decimal() && !change_word.empty()) {
    head = fmt::format("目标{}{}，结果{}{}（按目标方向计为 {}；{}）", change_word, target_text,
                       result.change == Change::kIncrease ? "增长" : "下降", result_text,
                       Num(r.value, unit), band);
  }

  auto verdict = [&](Verdict v, std::string_view why) {
    j.verdict = v;
    j.reason = head + "：" + std::string(why);
    return j;
  };
  // What the result says of the true value: exact, at least (超, 以上),
  // at most (近, 不到), or a range.
  const Decimal lo = r.value;
  const Decimal hi = r.high ? *r.high : r.value;
  bool at_least = r.approx == Approximation::kOver;
  bool at_most = r.approx == Approximation::kUnder;
  bool ranged = r.approx == Approximation::kRange && r.high;

  if (direction == Direction::kCeiling) {
    const Decimal& ceiling = upper;
    if (at_least) {
      if (ceiling < lo) return verdict(Verdict::kMissed, "结果至少为此数，已超过上限");
      return verdict(Verdict::kUnclear, "结果只给出下限，不能断定是否超过上限");
    }
    if (ranged) {
      if (hi.Compare(ceiling) <= 0) return verdict(Verdict::kMet, "结果区间在上限以内");
      if (ceiling < lo) return verdict(Verdict::kMissed, "结果区间整体超过上限");
      return verdict(Verdict::kUnclear, "结果区间跨过上限");
    }
    if (lo.Compare(ceiling) <= 0) return verdict(Verdict::kMet, "不超过上限，达到目标");
    if (at_most) return verdict(Verdict::kUnclear, "结果只给出上限，且高于目标上限");
    return verdict(Verdict::kMissed, "超过上限，未达目标");
  }
  // More is better.
  if (at_most) {
    if (hi.Compare(lower) <= 0 && !(hi == lower && r.approx == Approximation::kExact)) {
      return verdict(Verdict::kMissed, "结果至多为此数，低于目标");
    }
    return verdict(Verdict::kUnclear, "结果只给出上限，不能断定是否达到目标");
  }
  if (at_least || ranged) {
    if (upper < lo) return verdict(Verdict::kExceeded, at_least ? "结果至少为此数，已超过目标" : "结果区间整体超过目标");
    if (lo.Compare(lower) >= 0) return verdict(Verdict::kMet, at_least ? "结果至少为此数，达到目标" : "结果区间在目标以上");
    if (ranged && hi < lower) return verdict(Verdict::kMissed, "结果区间整体低于目标");
    return verdict(Verdict::kUnclear, at_least ? "结果只给出下限，且低于目标" : "结果区间跨过目标");
  }
  if (lo < lower) return verdict(Verdict::kMissed, "低于目标，未达目标");
  if (upper < lo) return verdict(Verdict::kExceeded, "高于目标，超过目标");
  return verdict(Verdict::kMet, "达到目标");
}

Judgement JudgeInStep(const Figure& a, const Figure& b, const Tolerance& tolerance) {
  Judgement j;
  Decimal diff = Minus(a.value, b.value);
  Decimal floor = Negated(tolerance.about_points);
  std::string head = fmt::format("前者{}，后者{}，相差 {} 个百分点（容差 {} 个百分点）", FigureString(a),
                                 FigureString(b), diff.ToString(), tolerance.about_points.ToString());
  if (diff < floor) {
    j.verdict = Verdict::kMissed;
    j.reason = head + "：前者慢于后者，未同步";
  } else {
    j.verdict = Verdict::kMet;
    j.reason = head + "：同步，达到目标";
  }
  return j;
}

Judgement JudgeFaster(const Figure& a, const Figure& b) {
  Judgement j;
  Decimal diff = Minus(a.value, b.value);
  std::string head =
      fmt::format("前者{}，后者{}，相差 {} 个百分点", FigureString(a), FigureString(b), diff.ToString());
  if (Decimal() < diff) {
    j.verdict = Verdict::kMet;
    j.reason = head + "：前者快于后者，达到目标";
  } else {
    j.verdict = Verdict::kMissed;
    j.reason = head + "：前者未快于后者，未达目标";
  }
  return j;
}

Verdict JudgeWording(std::string_view clause, bool target_is_start, std::string* cue) {
  const auto& w = Words();
  enum Cls { kNone, kDoneCls, kStartCls, kProgressCls, kMissedCls };
  bool done = false, progress = false, missed = false;
  std::string done_cue, progress_cue, missed_cue;
  size_t pos = 0;
  while (pos < clause.size()) {
    std::string_view rest = clause.substr(pos);
    std::string_view best;
    Cls cls = kNone;
    auto consider = [&](const std::vector<std::string_view>& words, Cls c) {
      for (std::string_view word : words) {
        if (word.size() > best.size() && rest.starts_with(word)) {
          best = word;
          cls = c;
        }
      }
    };
    consider(w.done, kDoneCls);
    consider(w.start, kStartCls);
    consider(w.progress, kProgressCls);
    consider(w.missed, kMissedCls);
    if (cls == kNone) {
      ++pos;
      continue;
    }
    if (cls == kStartCls) cls = target_is_start ? kDoneCls : kProgressCls;
    if (cls == kDoneCls && !done) { done = true; done_cue = std::string(best); }
    if (cls == kProgressCls && !progress) { progress = true; progress_cue = std::string(best); }
    if (cls == kMissedCls && !missed) { missed = true; missed_cue = std::string(best); }
    pos += best.size();
  }
  if (missed) { *cue = missed_cue; return Verdict::kMissed; }
  if (progress) { *cue = progress_cue; return Verdict::kInProgress; }
  if (done) { *cue = done_cue; return Verdict::kDone; }
  cue->clear();
  return Verdict::kUnclear;
}

}  // namespace taizhang
