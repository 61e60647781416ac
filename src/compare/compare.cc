// Matching targets to the statements of the result report, and one measured
// thing across units.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <string>
#include <unordered_set>

#include "common/punctuation.h"
#include "common/text_search.h"
#include "common/utf8.h"
#include "compare/compare.h"
#include "compare/compare_internal.h"

namespace taizhang {

using compare_internal::FigureString;
using compare_internal::FindAny;
using compare_internal::Trim;
using compare_internal::Words;

namespace {

bool IsWordChar(char32_t cp) {
  if (cp >= 0x4E00 && cp <= 0x9FFF) return true;  // CJK ideographs
  if (cp >= 0x3400 && cp <= 0x4DBF) return true;
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) return true;
  return false;
}

// Pairs of adjacent word characters (and single characters standing alone).
void Pairs(std::string_view text, std::vector<uint64_t>* out) {
  size_t pos = 0;
  char32_t prev = 0;
  size_t run = 0;
  while (pos < text.size()) {
    char32_t cp = utf8::Next(text, &pos);
    if (!IsWordChar(cp)) {
      if (run == 1) out->push_back(uint64_t{prev});
      run = 0;
      continue;
    }
    if (run >= 1) out->push_back((uint64_t{prev} << 32) | cp);
    prev = cp;
    ++run;
  }
  if (run == 1) out->push_back(uint64_t{prev});
}

}  // namespace

namespace {

// 扣除留抵退税因素后 and the like (qualifier_span rows) removed from text.
void EraseQualifierSpans(std::string* text) {
  for (const auto& [open, close] : Words().qualifier_span) {
    for (size_t at = text->find(open); at != std::string::npos; at = text->find(open, at)) {
      size_t end = text->find(close, at + open.size());
      if (end == std::string::npos) break;
      text->erase(at, end + close.size() - at);
    }
  }
}

// Whether text states the basis of a figure (同口径, 可比, 扣除…后): the
// qualifier rows of value "basis" and the qualifier spans.
bool HasBasis(std::string_view text) {
  for (std::string_view w : Words().basis) {
    if (ContainsText(text, w)) return true;
  }
  for (const auto& [open, close] : Words().qualifier_span) {
    size_t at = FindText(text, open);
    if (at != std::string_view::npos && FindText(text, close, at + open.size()) != std::string_view::npos)
      return true;
  }
  return false;
}

// PairCoverage, halved when the needle's last pair (the head of a Chinese
// noun phrase: 省级健康村 → 康村) is missing: 省级健康镇 does not name it.
double HeadedCoverage(std::string_view needle, std::string_view haystack);

}  // namespace

double PairCoverage(std::string_view needle, std::string_view haystack) {
  std::vector<uint64_t> want;
  Pairs(needle, &want);
  if (want.empty()) return 0;
  std::sort(want.begin(), want.end());
  want.erase(std::unique(want.begin(), want.end()), want.end());
  std::vector<uint64_t> have;
  Pairs(haystack, &have);
  // Single characters of the haystack too, for one-character needles.
  size_t pos = 0;
  while (pos < haystack.size()) {
    char32_t cp = utf8::Next(haystack, &pos);
    if (IsWordChar(cp)) have.push_back(uint64_t{cp});
  }
  std::unordered_set<uint64_t> set(have.begin(), have.end());
  size_t found = 0;
  for (uint64_t p : want) found += set.count(p);
  return static_cast<double>(found) / static_cast<double>(want.size());
}

namespace {

double HeadedCoverage(std::string_view needle, std::string_view haystack) {
  double coverage = PairCoverage(needle, haystack);
  if (coverage <= 0) return 0;
  std::vector<uint64_t> want;
  Pairs(needle, &want);
  std::vector<uint64_t> head{want.back()};
  std::string head_text;
  if (head[0] >> 32) {
    utf8::Append(static_cast<char32_t>(head[0] >> 32), &head_text);
  }
  utf8::Append(static_cast<char32_t>(head[0] & 0xFFFFFFFF), &head_text);
  return ContainsText(haystack, head_text) ? coverage : coverage / 2;
}

}  // namespace

namespace {

// What a paragraph of the result report is about, in time.
enum class Scope : uint8_t { kUnknown, kYear, kMultiYear, kOther };

// The years a paragraph names: YYYY年, and 今年/明年/去年 against the year
// the report is written in.
void NamedYears(std::string_view p, int report_year, std::vector<int>* years) {
  for (size_t pos = FindText(p, "年"); pos != std::string_view::npos; pos = FindText(p, "年", pos + 3)) {
    if (pos >= 4) {
      std::string_view digits = p.substr(pos - 4, 4);
      int y = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + 4, y);
      bool preceded_by_digit = pos >= 5 && p[pos - 5] >= '0' && p[pos - 5] <= '9';
      if (ec == std::errc() && end == digits.data() + 4 && y >= 1990 && y <= 2100 && !preceded_by_digit)
        years->push_back(y);
    }
  }
  if (report_year) {
    if (ContainsText(p, "今年")) years->push_back(report_year);
    if (ContainsText(p, "明年")) years->push_back(report_year + 1);
    if (ContainsText(p, "去年")) years->push_back(report_year - 1);
  }
}

// What a paragraph opens with: its first sentence up to its first figure
// (五年来，… / “十四五”时期，…). A multi-year word there makes the paragraph
// about several years; one further on (…连续五年位居全市前列) only its clause.
std::string_view OpeningWords(std::string_view p) {
  size_t end = FindText(p, "。");
  if (end != std::string_view::npos) p = p.substr(0, end);
  size_t digit = p.find_first_of("0123456789");
  return digit == std::string_view::npos ? p : p.substr(0, digit);
}

struct ParagraphScope {
  Scope scope = Scope::kUnknown;
  double weight = 0.9;
  bool usable = true;
};

std::vector<ParagraphScope> Scopes(const SourceText& source, const Report& report, int year) {
  const std::string_view text = source.text();
  const auto& w = Words();
  int report_year = report.kind == ReportKind::kGovernmentWorkReport
                        ? (report.plan_year ? report.plan_year : (report.years.empty() ? 0 : report.years.front()))
                        : (report.summary_year ? report.summary_year
                                               : (report.years.empty() ? 0 : report.years.front()));
  // The year 过去一年/一年来 speak of: the one the report reviews.
  int review_year = report.summary_year
                        ? report.summary_year
                        : (report.kind == ReportKind::kGovernmentWorkReport ? report_year - 1 : report_year);
  std::vector<ParagraphScope> out(report.paragraphs.size());
  Scope current = Scope::kUnknown;
  int last_section = -2;
  for (size_t i = 0; i < report.paragraphs.size(); ++i) {
    const Paragraph& para = report.paragraphs[i];
    std::string_view p = para.span.In(text);
    int owner_section = -1;
    for (size_t s = 0; s < report.sections.size(); ++s) {
      if (para.first_line >= report.sections[s].first_line && para.first_line <= report.sections[s].last_line)
        owner_section = static_cast<int>(s);
    }
    // A section reviewing the year sets the scope at its start; inside it a
    // passing mention of another year (已列入2025年创建计划) changes nothing.
    // Appendices (名词解释, a list of 民生实事) review nothing.
    bool review = owner_section >= 0 && report.sections[owner_section].kind != SectionKind::kPlan &&
                  report.sections[owner_section].kind != SectionKind::kNone &&
                  report.sections[owner_section].kind != SectionKind::kAppendix &&
                  report.sections[owner_section].year == year;
    if (owner_section != last_section) {
      last_section = owner_section;
      if (review) current = Scope::kYear;
    }
    std::vector<int> years;
    NamedYears(p, report_year, &years);
    bool names_year = std::find(years.begin(), years.end(), year) != years.end() ||
                      (review_year == year && FindAny(p, w.year_back).first != std::string_view::npos);
    if (names_year && report_year == year + 1 && ContainsText(p, "今年") &&
        std::count(years.begin(), years.end(), year) == 0) {
      names_year = false;
    }
    bool later = std::any_of(years.begin(), years.end(), [&](int y) { return y > year; });
    bool earlier = std::any_of(years.begin(), years.end(), [&](int y) { return y < year; });
    if (names_year) current = Scope::kYear;
    // Only earlier years named (2025年是“十四五”收官之年, against 2026): a
    // period that ended before the year, even when it spans several.
    else if (earlier && !later && !review) current = Scope::kOther;
    else if (FindAny(OpeningWords(p), w.multi_year).first != std::string_view::npos) current = Scope::kMultiYear;
    else if ((later || earlier) && !review) current = Scope::kOther;
    // A plan section sets targets; it never reports results.
    bool in_plan = owner_section >= 0 && report.sections[owner_section].kind == SectionKind::kPlan;
    ParagraphScope& ps = out[i];
    ps.scope = current;
    ps.usable = !in_plan && current != Scope::kOther;
    ps.weight = current == Scope::kYear ? 1.0 : current == Scope::kMultiYear ? 0.8 : 0.9;
  }
  return out;
}

bool IsAnotherIndicator(const std::vector<std::string>& variants, std::string_view context);

// The variants of a subject a result may use (its synonyms).
std::vector<std::string> Variants(const std::string& subject) {
  std::vector<std::string> out{subject};
  for (const auto& [word, other] : Words().synonym) {
    size_t at = FindText(subject, word);
    if (at == std::string::npos) continue;
    std::string v = subject;
    v.replace(at, word.size(), other);
    out.push_back(v);
    if (subject == word) out.push_back(std::string(other));
  }
  return out;
}

double BestCoverage(const std::vector<std::string>& variants, std::string_view haystack) {
  double best = 0;
  for (const std::string& v : variants) best = std::max(best, HeadedCoverage(v, haystack));
  return best;
}

// A target counting new things: a flow word (新增 新建 …) before its figure.
bool IsFlowTarget(const Target& target) {
  if (target.figure_text.empty()) return false;
  size_t at = FindText(target.text, target.figure_text);
  if (at == std::string_view::npos) return false;
  return FindAny(std::string_view(target.text).substr(0, at), Words().flow).first !=
         std::string_view::npos;
}

// The last change word in text, if any.
Change LastChange(std::string_view text, std::string_view* word) {
  size_t best = std::string_view::npos;
  Change change = Change::kNone;
  for (const auto& [w, c] : Words().change) {
    size_t at = text.rfind(w);
    if (at != std::string_view::npos && (best == std::string_view::npos || at + w.size() > best)) {
      best = at + w.size();
      change = c;
      if (word) *word = w;
    }
  }
  return change;
}

size_t ClauseStart(std::string_view text, size_t sentence_begin, size_t at) {
  size_t pos = at;
  while (pos > sentence_begin) {
    size_t prev = pos;
    char32_t cp = utf8::Prev(text, &prev);
    if (IsClauseBreak(cp)) break;
    pos = prev;
  }
  return pos;
}

size_t ClauseEnd(std::string_view text, size_t at, size_t sentence_end) {
  size_t pos = at;
  while (pos < sentence_end) {
    size_t next = pos;
    char32_t cp = utf8::Next(text, &next);
    if (IsClauseBreak(cp)) break;
    pos = next;
  }
  return pos;
}

struct Candidate {
  const Quantity* q = nullptr;
  Figure figure;
  double score = 0;     // coverage × scope weight
  double coverage = 0;
  std::string phrase;
  bool comparable = false;
  std::string why_not;  // when not comparable
  // One of the figures of a 分别 list (城镇、农村居民人均可支配收入分别增长6%和7%):
  // its place, the list's size and where its clause begins; `names_item`
  // when the subject names this item rather than the whole list.
  int list_index = -1;
  size_t list_size = 0;
  size_t list_clause = 0;
  bool names_item = false;
  bool basis = false;  // its clause states a basis (同口径增长9%)
};

// The words a 分别 list of `segment` (the sentence part before a figure)
// gives its figures: the clause before the last 分别 that names something
// (城乡居民人均可支配收入分别达到…元和…元，分别增长9%和12% → 城乡居民人均可支配收入).
std::string_view ListSubject(std::string_view segment) {
  size_t at = segment.rfind("分别");
  while (at != std::string_view::npos) {
    std::string_view before = segment.substr(0, at);
    size_t pos = before.size();
    while (pos > 0) {
      size_t prev = pos;
      char32_t cp = utf8::Prev(before, &prev);
      if (IsClauseBreak(cp)) break;
      pos = prev;
    }
    std::string_view subject = Trim(before.substr(pos));
    if (subject.size() >= 6) return subject;
    if (at == 0) break;
    at = segment.rfind("分别", at - 1);
  }
  return {};
}

class Matcher {
 public:
  Matcher(int year, const SourceText& source, const Report& report, const ReportFacts& facts,
          const CompareOptions& options)
      : year_(year), source_(source), text_(source.text()), report_(report), facts_(facts),
        options_(options), scopes_(Scopes(source, report, year)) {
    const auto& cues = Words().target_cue;
    for (const Sentence& s : report.sentences) {
      std::string_view st = s.span.In(text_);
      bool usable = scopes_.empty() || (s.paragraph >= 0 && static_cast<size_t>(s.paragraph) < scopes_.size() &&
                                        scopes_[s.paragraph].usable);
      if (FindAny(st, cues).first != std::string_view::npos) usable = false;
      sentence_usable_.push_back(usable);
    }
  }

  TargetOutcome Judge(const Target& target) {
    switch (target.kind) {
      case TargetKind::kNumeric: return JudgeNumeric(target);
      case TargetKind::kInStep: return JudgeStep(target);
      case TargetKind::kTask: return JudgeTask(target);
    }
    return {};
  }

 private:
  double Weight(int sentence) const {
    const Sentence& s = report_.sentences[sentence];
    if (s.paragraph < 0 || static_cast<size_t>(s.paragraph) >= scopes_.size()) return 0.9;
    return scopes_[s.paragraph].weight;
  }
  Scope ScopeOf(int sentence) const {
    const Sentence& s = report_.sentences[sentence];
    if (s.paragraph < 0 || static_cast<size_t>(s.paragraph) >= scopes_.size()) return Scope::kUnknown;
    return scopes_[s.paragraph].scope;
  }

  // Whether a multi-year word (五年, 年均, 累计 …) covers the clause
  // [clause_begin, clause_end) of the sentence [begin, end): in the clause,
  // or in a figureless clause opening the sentence (五年来，…).
  bool MultiYearClause(size_t begin, size_t end, size_t clause_begin, size_t clause_end) const {
    const auto& w = Words();
    std::string_view clause = text_.substr(clause_begin, clause_end - clause_begin);
    if (FindAny(clause, w.multi_year).first != std::string_view::npos ||
        FindAny(clause, w.cumulative).first != std::string_view::npos)
      return true;
    size_t first_end = ClauseEnd(text_, begin, end);
    if (first_end >= clause_begin) return false;
    std::string_view first = text_.substr(begin, first_end - begin);
    if (first.find_first_of("0123456789") != std::string_view::npos) return false;
    return FindAny(first, w.multi_year).first != std::string_view::npos;
  }

  // Every figure of a usable sentence scored against the subject.
  std::vector<Candidate> Candidates(const Target& target, const std::string& subject, const Figure* want) {
    std::vector<Candidate> out;
    std::vector<std::string> variants = Variants(subject);
    for (const Quantity& q : facts_.quantities) {
      if (q.sentence < 0 || !sentence_usable_[q.sentence] || !q.value || q.kind == "rank") continue;
      const Sentence& s = report_.sentences[q.sentence];
      size_t clause_begin = ClauseStart(text_, s.span.begin, q.span.begin);
      std::string_view prefix = text_.substr(clause_begin, q.span.begin - clause_begin);
      std::string_view segment = text_.substr(s.span.begin, q.span.begin - s.span.begin);
      size_t semi = segment.rfind("；");
      if (semi != std::string_view::npos) segment.remove_prefix(semi + 3);
      semi = segment.rfind(';');
      if (semi != std::string_view::npos) segment.remove_prefix(semi + 1);
      // A clause naming its own thing (税占比达77.4%) is judged on itself;
      // a bare 增长4.2% borrows the subject of its sentence part.
      std::string_view change_word;
      Change change = q.change != Change::kNone ? q.change : LastChange(prefix, &change_word);
      std::string own(prefix);
      for (const auto& [w, c] : Words().change) {
        for (size_t at = own.find(w); at != std::string::npos; at = own.find(w)) own.erase(at, w.size());
      }
      for (std::string_view w : {"分别", "达到", "达", "为", "约", "超", "近", "全年", "同比", "实际"}) {
        for (size_t at = own.find(w); at != std::string::npos; at = own.find(w)) own.erase(at, w.size());
      }
      for (std::string_view w : Words().qualifier) {
        for (size_t at = own.find(w); at != std::string::npos; at = own.find(w))
          own.erase(at, w.size());
      }
      EraseQualifierSpans(&own);
      std::vector<uint64_t> own_pairs;
      Pairs(own, &own_pairs);
      bool has_own = own_pairs.size() >= 2;
      // A value of a 分别 list is judged on its own subject only.
      const bool respectively = !q.measured.empty() && ContainsText(prefix, "分别");
      double coverage = respectively ? 0 : BestCoverage(variants, prefix);
      std::string phrase(Trim(prefix));
      // What the figure counts may follow it (5家成员单位): its measured
      // phrase, else its whole clause, a little less surely.
      size_t clause_end = ClauseEnd(text_, q.span.end, s.span.end);
      std::string_view measured = q.measured.In(text_);
      std::string_view clause = text_.substr(clause_begin, clause_end - clause_begin);
      for (auto [context, factor] :
           {std::pair{measured, 1.0}, std::pair{respectively ? measured : clause, 0.95}}) {
        double cov = factor * BestCoverage(variants, context);
        if (cov > coverage + 1e-9) {
          coverage = cov;
          phrase = std::string(Trim(context));
        }
      }
      if (!has_own && !respectively) {
        double seg = 0.9 * BestCoverage(variants, segment);
        if (seg > coverage) {
          coverage = seg;
          phrase = std::string(Trim(segment));
        }
      }
      // A figure of a 分别 list is tied to its own item only.
      size_t clause_end_all = ClauseEnd(text_, q.span.end, s.span.end);
      std::vector<const Quantity*> listed;
      for (const Quantity& other : facts_.quantities) {
        if (other.span.begin >= clause_begin && other.span.end <= clause_end_all &&
            other.unit == q.unit && other.value && other.kind != "rank")
          listed.push_back(&other);
      }
      int list_index = -1;
      bool names_item = false;
      if (listed.size() >= 2) {
        std::string_view list_subject = ListSubject(segment);
        std::vector<std::string> items =
            list_subject.empty() ? std::vector<std::string>()
                                 : ListedSubjects(list_subject, listed.size());
        if (!items.empty()) {
          list_index =
              static_cast<int>(std::find(listed.begin(), listed.end(), &q) - listed.begin());
          double low = 1, mine = 0;
          for (size_t k = 0; k < items.size(); ++k) {
            double cov = BestCoverage(variants, items[k]);
            low = std::min(low, cov);
            if (static_cast<int>(k) == list_index) mine = cov;
          }
          names_item = mine > low + 0.05;
          coverage = mine;
          phrase = items[list_index];
        }
      }
      if (coverage <= 0) continue;
      // 万元生产总值综合能耗下降4.8%: not a figure of 生产总值.
      if (IsAnotherIndicator(variants, phrase)) continue;
      Candidate c;
      c.q = &q;
      if (list_index >= 0) {
        c.list_index = list_index;
        c.list_size = listed.size();
        c.list_clause = clause_begin;
        c.names_item = names_item;
      }
      c.coverage = coverage;
      c.score = coverage * Weight(q.sentence);
      c.basis = HasBasis(prefix);
      c.phrase = phrase;
      c.figure.value = *q.value;
      c.figure.high = q.high;
      c.figure.unit = q.unit;
      c.figure.approx = q.approx;
      c.figure.change = change;
      c.comparable = true;
      // Several years: the paragraph (五年来，… opening it), the sentence
      // (a clause of its own opening it), or the figure's own clause.
      const bool multi_year = ScopeOf(q.sentence) == Scope::kMultiYear ||
                              MultiYearClause(s.span.begin, s.span.end, clause_begin, clause_end);
      if (want) {
        c.comparable = FiguresComparable(*want, c.figure, &c.why_not);
        if (c.comparable && want->change != Change::kNone &&
            (multi_year || FindAny(prefix, Words().cumulative).first != std::string_view::npos)) {
          c.comparable = false;
          c.why_not = "多年累计或年均的增减，不是当年的";
        }
        // 开发区营业收入增长65.8%，…实际利用外资增长91.6%: the zone's, not the place's.
        if (c.comparable) {
          auto [part_at, part] = FindAny(segment, Words().part);
          if (part_at != std::string_view::npos && !ContainsText(subject, part)) {
            c.comparable = false;
            c.why_not = "说的是" + std::string(part) + "，不是全域的";
          }
        }
        // 五年累计新增就业12987人: a total of several years, whatever the unit.
        // 五年来…新增城镇就业18049人: the period's total.
        bool period_flow = multi_year && FindAny(prefix, Words().flow).first != std::string_view::npos;
        if (c.comparable &&
            (period_flow || FindAny(prefix, Words().cumulative).first != std::string_view::npos)) {
          c.comparable = false;
          c.why_not = "多年累计或年均的数字，不是当年的";
        }
        // 新增先进无梭织机1000台 against 先进无梭织机达到7200余台，新增2000多台:
        // a count of new things is never judged on the stock.
        if (c.comparable && IsFlowTarget(target) &&
            FindAny(prefix, Words().flow).first == std::string_view::npos &&
            (ContainsText(prefix, "达到") || ContainsText(prefix, "总数") ||
             Trim(prefix).ends_with("达"))) {
          c.comparable = false;
          c.why_not = "是总量，不是新增的数量";
        }
        // 全年 in a paragraph about the year means that year, whatever year
        // the extractor inferred for it.
        bool inferred_in_year = q.time >= 0 && facts_.times[q.time].year_inferred &&
                                ScopeOf(q.sentence) == Scope::kYear;
        if (c.comparable && q.time >= 0 && !inferred_in_year) {
          const TimeExpr& t = facts_.times[q.time];
          int b = t.begin.size() >= 4 ? std::stoi(t.begin.substr(0, 4)) : 0;
          int e = t.end.size() >= 4 ? std::stoi(t.end.substr(0, 4)) : 0;
          if ((b && b > year_) || (e && e < year_)) {
            c.comparable = false;
            c.why_not = "时间不是目标年度";
          }
        }
      }
      out.push_back(std::move(c));
    }
    return out;
  }

  const Candidate* Best(const std::vector<Candidate>& cands, bool comparable) const {
    const Candidate* best = nullptr;
    for (const Candidate& c : cands) {
      if (c.comparable != comparable || c.coverage < options_.min_score) continue;
      if (!best || c.score > best->score + 1e-9) best = &c;
    }
    return best;
  }

  Evidence FigureEvidence(const Candidate& c) const {
    Evidence e;
    e.line = c.q->line;
    e.column = c.q->column;
    e.sentence = JoinedText(text_, report_.sentences[c.q->sentence].span);
    e.phrase = c.phrase;
    e.figure_text = std::string(c.q->span.In(text_));
    e.figure = c.figure;
    e.score = c.score;
    if (!c.comparable) {
      e.note = c.why_not;
    } else if (ScopeOf(c.q->sentence) == Scope::kMultiYear) {
      e.note = "出自多年回顾，按期末水平计";
    }
    // Figures listed together (城乡居民…分别…增长4.2%、5.3%): name the others.
    const Sentence& s = report_.sentences[c.q->sentence];
    size_t clause_begin = ClauseStart(text_, s.span.begin, c.q->span.begin);
    size_t clause_end = ClauseEnd(text_, c.q->span.end, s.span.end);
    std::string others;
    for (const Quantity& q : facts_.quantities) {
      if (&q == c.q || q.span.begin < clause_begin || q.span.end > clause_end || q.unit != c.q->unit) continue;
      others += (others.empty() ? "" : "、") + std::string(q.span.In(text_));
    }
    if (!others.empty()) {
      e.note += (e.note.empty() ? "" : "；") + std::string("同一分句还列有 ") + others;
    }
    return e;
  }

  // The clause of a usable sentence that best names `subject`.
  struct Mention {
    int sentence = -1;
    size_t begin = 0, end = 0;  // the clause (and the next one, for its wording)
    double score = 0;
  };
  Mention FindMention(const std::string& subject) const {
    Mention best;
    std::vector<std::string> variants = Variants(subject);
    // A list (生态环境质量、能源、水资源等指标) is named by any of its items.
    std::vector<std::string> items;
    if (ContainsText(subject, "、")) {
      std::string_view rest = subject;
      for (size_t cut; !rest.empty(); rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 3)) {
        cut = FindText(rest, "、");
        std::string_view item = rest.substr(0, cut);
        size_t etc = FindText(item, "等");
        if (etc != std::string_view::npos) item = item.substr(0, etc);
        if (item.size() >= 6) {
          for (const std::string& v : Variants(std::string(item))) items.push_back(v);
        }
      }
    }
    for (size_t i = 0; i < report_.sentences.size(); ++i) {
      if (!sentence_usable_[i]) continue;
      const Sentence& s = report_.sentences[i];
      std::string_view st = s.span.In(text_);
      double sentence_cov = std::max(BestCoverage(variants, st), 0.9 * BestCoverage(items, st));
      if (sentence_cov < options_.min_score) continue;
      size_t pos = s.span.begin;
      while (pos < s.span.end) {
        size_t end = ClauseEnd(text_, pos, s.span.end);
        std::string_view clause = text_.substr(pos, end - pos);
        double cov = std::max(BestCoverage(variants, clause), 0.9 * BestCoverage(items, clause));
        double coverage = std::max(cov, 0.9 * sentence_cov);
        double score = coverage * Weight(static_cast<int>(i));
        if (cov >= sentence_cov * 0.99) score = cov * Weight(static_cast<int>(i));
        if (coverage >= options_.min_score && score > best.score + 1e-9) {
          best.sentence = static_cast<int>(i);
          best.begin = pos;
          best.end = end;
          best.score = score;
        }
        if (end >= s.span.end) break;
        size_t next = end;
        utf8::Next(text_, &next);
        pos = next;
      }
    }
    return best;
  }

  Evidence MentionEvidence(const Mention& m, const std::string& cue) const {
    Evidence e;
    const Sentence& s = report_.sentences[m.sentence];
    Location at = source_.Locate(static_cast<uint32_t>(m.begin));
    e.line = at.line;
    e.column = at.column;
    e.sentence = JoinedText(text_, s.span);
    e.phrase = std::string(Trim(text_.substr(m.begin, m.end - m.begin)));
    e.score = m.score;
    e.cue = cue;
    return e;
  }

  // Wording of a mention: its clause, else the clause after it.
  Verdict MentionWording(const Mention& m, bool is_start, std::string* cue) const {
    Verdict v = JudgeWording(text_.substr(m.begin, m.end - m.begin), is_start, cue);
    if (v != Verdict::kUnclear) return v;
    const Sentence& s = report_.sentences[m.sentence];
    if (m.end >= s.span.end) return v;
    // A clause with a figure of its own is a whole statement.
    for (const Quantity& q : facts_.quantities) {
      if (q.span.begin >= m.begin && q.span.end <= m.end) return v;
    }
    size_t next = m.end;
    utf8::Next(text_, &next);
    size_t end = ClauseEnd(text_, next, s.span.end);
    // The next clause speaks of the same thing only when it opens with its
    // verdict (…水源工程，已于6月完成招标), not when it names a thing of its own.
    std::string_view following = text_.substr(next, end - next);
    std::string next_cue;
    v = JudgeWording(following, is_start, &next_cue);
    if (v == Verdict::kUnclear || FindText(following, next_cue) > 9) {
      cue->clear();
      return Verdict::kUnclear;
    }
    *cue = next_cue;
    return v;
  }

  static bool IsStart(const Target& t) {
    return FindAny(t.text, Words().start).first != std::string_view::npos;
  }

  TargetOutcome JudgeNumeric(const Target& target) {
    TargetOutcome o;
    o.target = target;
    if (target.figure) {
      std::vector<Candidate> cands = Candidates(target, target.subject, &*target.figure);
      if (const Candidate* c = Best(cands, true)) {
        // 下降3.2%，同口径增长9%: of two figures of one sentence, the one on
        // the target's basis (同口径增长6% / 增长6%).
        const bool basis = HasBasis(target.text);
        if (c->basis != basis) {
          for (const Candidate& other : cands) {
            if (other.comparable && other.basis == basis && other.q->sentence == c->q->sentence &&
                other.coverage >= options_.min_score) {
              c = &other;
              break;
            }
          }
        }
        if (c->list_size >= 2 && !c->names_item) return JudgeList(target, cands, *c);
        Judgement j = JudgeFigure(*target.figure, target.direction, c->figure, options_.tolerance);
        o.verdict = j.verdict;
        o.reason = j.reason;
        if (c->figure.approx == Approximation::kAbout) o.reason += "（结果本身为约数）";
        o.evidence.push_back(FigureEvidence(*c));
        // 4个农村区域医疗中心提档升级工作有序推进: the figure counts the things
        // under way, not the things done.
        if ((o.verdict == Verdict::kMet || o.verdict == Verdict::kExceeded) && c->q != nullptr &&
            c->q->sentence >= 0) {
          size_t end = ClauseEnd(text_, c->q->span.end, report_.sentences[c->q->sentence].span.end);
          std::string cue;
          if (JudgeWording(text_.substr(c->q->span.end, end - c->q->span.end), IsStart(target), &cue) ==
              Verdict::kInProgress) {
            o.verdict = Verdict::kInProgress;
            o.reason = "数字相符，但原文说工作仍在推进（“" + cue + "”）";
            o.evidence.back().cue = cue;
          }
        }
        return o;
      }
      if (const Candidate* c = Best(cands, false)) {
        o.evidence.push_back(FigureEvidence(*c));
      }
    }
    // No figure to judge by: a plan item may still be decided by wording.
    Mention m = FindMention(target.subject);
    // 社会消费品零售总额与上年基本持平: a growth of 0 for a growth target.
    if (m.sentence >= 0 && target.figure && target.figure->change != Change::kNone &&
        target.figure->unit == "%") {
      std::string_view clause = text_.substr(m.begin, m.end - m.begin);
      auto [flat_at, flat] = FindAny(clause, Words().flat);
      if (flat_at != std::string_view::npos &&
          BestCoverage(Variants(target.subject), clause.substr(0, flat_at)) >= options_.min_score) {
        Figure zero;
        zero.unit = "%";
        zero.change = Change::kIncrease;
        Judgement j = JudgeFigure(*target.figure, target.direction, zero, options_.tolerance);
        o.verdict = j.verdict;
        o.reason = "“" + std::string(flat) + "”按增减 0 计：" + j.reason;
        o.evidence.insert(o.evidence.begin(), MentionEvidence(m, std::string(flat)));
        o.evidence.front().figure = zero;
        return o;
      }
    }
    if (m.sentence >= 0) {
      std::string cue;
      Verdict v = MentionWording(m, IsStart(target), &cue);
      bool by_wording = target.source != TargetSource::kExpectedTargets && v != Verdict::kUnclear;
      bool same = !o.evidence.empty() && o.evidence[0].line == source_.Locate(static_cast<uint32_t>(m.begin)).line;
      if (by_wording) {
        o.verdict = v;
        o.reason = fmt::format("未见可比的数字，按表述“{}”判定", cue);
        o.evidence.insert(o.evidence.begin(), MentionEvidence(m, cue));
        return o;
      }
      if (!same) o.evidence.push_back(MentionEvidence(m, cue));
    }
    o.verdict = Verdict::kNotReported;
    if (target.placeholder) {
      o.reason = "目标数字为占位符，且未见完成情况的表述";
    } else if (!o.evidence.empty() && !o.evidence[0].note.empty()) {
      o.reason = "有相关数字但不能比较（" + o.evidence[0].note + "）";
    } else if (!o.evidence.empty()) {
      o.reason = "有相关表述，但未给出数字";
    } else {
      o.reason = "未见相关表述";
    }
    return o;
  }

  // A target for the whole of a list the result splits (城乡居民人均可支配收入
  // 增长7%左右 against 城镇、农村…分别增长6%和7%): every item is judged. A
  // 城乡 target asks it of each side, so the weakest verdict holds; a target
  // for all residents (居民人均可支配收入) is only decided when the items agree.
  TargetOutcome JudgeList(const Target& target, const std::vector<Candidate>& cands,
                          const Candidate& first) {
    TargetOutcome o;
    o.target = target;
    std::vector<const Candidate*> items;
    for (const Candidate& c : cands) {
      if (c.comparable && c.q->sentence == first.q->sentence &&
          c.list_clause == first.list_clause && c.list_size == first.list_size)
        items.push_back(&c);
    }
    auto rank = [](Verdict v) { return v == Verdict::kMissed ? 0 : v == Verdict::kMet ? 1 : 2; };
    const bool each = target.subject.starts_with("城乡");
    const Candidate* deciding = items.front();
    Judgement decided;
    bool agree = true;
    std::string parts;
    for (size_t i = 0; i < items.size(); ++i) {
      Judgement j =
          JudgeFigure(*target.figure, target.direction, items[i]->figure, options_.tolerance);
      parts += (parts.empty() ? "" : "；") + items[i]->phrase + " " +
               std::string(items[i]->q->span.In(text_)) + "：" + VerdictLabel(j.verdict);
      if (i == 0) {
        decided = j;
      } else {
        if (j.verdict != decided.verdict) agree = false;
        if (rank(j.verdict) < rank(decided.verdict)) {
          decided = j;
          deciding = items[i];
        }
      }
    }
    if (each || agree) {
      o.verdict = decided.verdict;
      o.reason = decided.reason + "（结果分项列出，" +
                 (each ? "城乡各方都须达到，取最弱的一项" : "各项一致") + "：" + parts + "）";
    } else {
      o.verdict = Verdict::kUnclear;
      o.reason = "结果只分项列出且各项判定不一，未给出总体数字（" + parts + "）";
    }
    o.evidence.push_back(FigureEvidence(*deciding));
    return o;
  }

  // After the growth figure `a`, in the same sentence part, a clause with a
  // faster word (高于 快于) naming `b` and a gap in 个百分点: that gap.
  const Quantity* StatedGap(const Quantity& a, const std::string& b) const {
    const Sentence& s = report_.sentences[a.sentence];
    size_t pos = ClauseEnd(text_, a.span.end, s.span.end);
    std::vector<std::string> variants = Variants(b);
    while (pos < s.span.end) {
      size_t next = pos;
      char32_t cp = utf8::Next(text_, &next);
      if (cp == U'；' || cp == ';' || cp == U'。') return nullptr;
      size_t end = ClauseEnd(text_, next, s.span.end);
      std::string_view clause = text_.substr(next, end - next);
      auto [at, word] = FindAny(clause, Words().faster);
      if (at != std::string_view::npos) {
        if (BestCoverage(variants, clause.substr(at + word.size())) < options_.min_score) return nullptr;
        for (const Quantity& q : facts_.quantities) {
          if (q.span.begin >= next + at && q.span.end <= end && q.value && q.unit == "个百分点") return &q;
        }
        return nullptr;
      }
      // Only the clauses right after the figure speak of it.
      for (const Quantity& q : facts_.quantities) {
        if (q.span.begin >= next && q.span.end <= end) return nullptr;
      }
      pos = end;
    }
    return nullptr;
  }

  TargetOutcome JudgeStep(const Target& target) {
    TargetOutcome o;
    o.target = target;
    Figure growth;
    growth.unit = "%";
    growth.change = Change::kIncrease;
    std::vector<Candidate> a = Candidates(target, target.subject, &growth);
    std::vector<Candidate> b = Candidates(target, target.subject_b, &growth);
    const Candidate* ca = Best(a, true);
    const Candidate* cb = Best(b, true);
    if (ca) o.evidence.push_back(FigureEvidence(*ca));
    if (cb) o.evidence.push_back(FigureEvidence(*cb));
    // 同比下降1.2%，高于全市平均增速0.3个百分点: the result states the gap to B
    // in the clause after A's growth.
    if (target.faster && ca && !cb) {
      if (const Quantity* gap = StatedGap(*ca->q, target.subject_b)) {
        Evidence e = FigureEvidence(*ca);
        e.figure_text = std::string(gap->span.In(text_));
        e.figure.reset();
        o.evidence.push_back(std::move(e));
        o.verdict = Verdict::kMet;
        o.reason = fmt::format("{}增长快于{}增长：原文说{}的增速高于{}（{}），达到目标", target.subject,
                               target.subject_b, target.subject, target.subject_b, o.evidence.back().figure_text);
        return o;
      }
    }
    if (!ca || !cb) {
      o.verdict = Verdict::kNotReported;
      o.reason = fmt::format("未见{}的增速", !ca ? target.subject : target.subject_b);
      return o;
    }
    Judgement j = target.faster ? JudgeFaster(ca->figure, cb->figure)
                                : JudgeInStep(ca->figure, cb->figure, options_.tolerance);
    o.verdict = j.verdict;
    o.reason = fmt::format("{}：{}",
                           target.subject + "增长" + (target.faster ? "快于" : "与") +
                               target.subject_b + "增长" + (target.faster ? "" : "同步"),
                           j.reason);
    return o;
  }

  TargetOutcome JudgeTask(const Target& target) {
    TargetOutcome o;
    o.target = target;
    Mention m = FindMention(target.subject);
    if (m.sentence < 0) {
      o.verdict = Verdict::kNotMentioned;
      o.reason = "未见相关表述";
      return o;
    }
    std::string cue;
    Verdict v = MentionWording(m, IsStart(target), &cue);
    o.evidence.push_back(MentionEvidence(m, cue));
    o.verdict = v;
    if (v == Verdict::kUnclear) {
      o.reason = "有相关表述，但没有完成、推进或未完成的字样";
    } else {
      o.reason = fmt::format("按表述“{}”判定", cue);
    }
    return o;
  }

  int year_;
  const SourceText& source_;
  std::string_view text_;
  const Report& report_;
  const ReportFacts& facts_;
  const CompareOptions& options_;
  std::vector<ParagraphScope> scopes_;
  std::vector<bool> sentence_usable_;
};

}  // namespace

Comparison Compare(const std::vector<Target>& targets, int year, const SourceText& source,
                   const Report& report, const ReportFacts& facts, const CompareOptions& options) {
  Comparison out;
  out.year = year;
  Matcher matcher(year, source, report, facts, options);
  for (const Target& t : targets) out.outcomes.push_back(matcher.Judge(t));
  return out;
}

namespace {

// Whether the words before a figure in its clause name a thing of their own
// (税占比达77.4%), not only a change (同比增长).
bool NamesItsOwnThing(std::string_view prefix) {
  std::string own(prefix);
  for (const auto& [w, c] : Words().change) {
    for (size_t at = own.find(w); at != std::string::npos; at = own.find(w))
      own.erase(at, w.size());
  }
  for (std::string_view w : Words().qualifier) {
    for (size_t at = own.find(w); at != std::string::npos; at = own.find(w))
      own.erase(at, w.size());
  }
  for (std::string_view w :
       {"分别", "达到", "达", "为", "约", "超", "近", "全年", "同比", "实际"}) {
    for (size_t at = own.find(w); at != std::string::npos; at = own.find(w))
      own.erase(at, w.size());
  }
  std::vector<uint64_t> pairs;
  Pairs(own, &pairs);
  return pairs.size() >= 2;
}

// The sentence part before `at`: from the last ；or ; of the sentence.
std::string_view SentencePart(std::string_view text, size_t sentence_begin, size_t at) {
  std::string_view part = text.substr(sentence_begin, at - sentence_begin);
  size_t semi = part.rfind("；");
  if (semi != std::string_view::npos) part.remove_prefix(semi + 3);
  semi = part.rfind(';');
  if (semi != std::string_view::npos) part.remove_prefix(semi + 1);
  return part;
}

// Whether `context` names the term only inside another indicator: a ratio
// or intensity word after it (研发投入占地区生产总值比重, 地区生产总值能耗), or
// 单位/万元 before it (单位地区生产总值能耗).
bool IsAnotherIndicator(const std::vector<std::string>& variants, std::string_view context) {
  for (const std::string& v : variants) {
    size_t at = FindText(context, v);
    if (at == std::string_view::npos) continue;
    std::string_view before = context.substr(0, at);
    std::string_view after = context.substr(at + v.size());
    for (std::string_view lead : Words().other_indicator_lead) {
      if (before.ends_with(lead)) return true;
    }
    if (FindAny(after, Words().other_indicator).first != std::string_view::npos) return true;
    return false;
  }
  return false;
}

// The clause of `context` that names the term (主要经济指标稳中有进，全年地区
// 生产总值完成176.6亿元，同比增长 → 全年地区生产总值完成176.6亿元，同比增长).
std::string_view NamingClause(const std::vector<std::string>& variants, std::string_view context) {
  for (const std::string& v : variants) {
    size_t at = FindText(context, v);
    if (at == std::string_view::npos) continue;
    size_t begin = ClauseStart(context, 0, at);
    return context.substr(begin);
  }
  return context;
}

}  // namespace

std::vector<AcrossRow> AcrossUnits(std::string_view term, const SourceText& source,
                                   const OutlineResult& outline, const FileFacts& facts,
                                   double min_score) {
  std::vector<AcrossRow> out;
  const std::string_view text = source.text();
  std::vector<std::string> variants = Variants(std::string(term));
  size_t previous_end = 0;
  for (size_t r = 0; r < outline.reports.size() && r < facts.reports.size(); ++r) {
    const Report& report = outline.reports[r];
    const ReportFacts& rf = facts.reports[r];
    for (const Quantity& q : rf.quantities) {
      if (q.sentence < 0 || !(q.value || q.placeholder) || q.kind == "rank") continue;
      const Sentence& s = report.sentences[q.sentence];
      size_t clause_begin = ClauseStart(text, s.span.begin, q.span.begin);
      std::string_view prefix = text.substr(clause_begin, q.span.begin - clause_begin);
      std::string_view measured = q.measured.In(text);
      // In a 分别 list each value has its own subject (甲、乙分别增长9%、7%):
      // the clause before it names the others too.
      const bool listed = !measured.empty() && ContainsText(prefix, "分别");
      double score = BestCoverage(variants, measured);
      std::string_view context = measured;
      if (double cov = BestCoverage(variants, prefix); !listed && cov > score + 1e-9) {
        score = cov;
        context = prefix;
      }
      // A bare 同比增长5.5% is the growth of what its sentence part names
      // (地区生产总值完成176.6亿元，同比增长5.5%).
      if (!listed && q.unit == "%" && !NamesItsOwnThing(prefix)) {
        std::string_view part = SentencePart(text, s.span.begin, q.span.begin);
        if (double cov = 0.9 * BestCoverage(variants, part); cov > score + 1e-9) {
          score = cov;
          context = part;
        }
      }
      if (score < min_score) continue;
      // 研发投入占地区生产总值比重, 单位地区生产总值能耗: another indicator.
      if (IsAnotherIndicator(variants, context)) continue;
      // 迈上4个万亿元台阶: a count of what follows it, not of the term.
      if (q.kind == "count") {
        std::string_view after =
            text.substr(q.span.end, ClauseEnd(text, q.span.end, s.span.end) - q.span.end);
        std::vector<uint64_t> after_pairs;
        Pairs(after, &after_pairs);
        if (after_pairs.size() >= 2 && BestCoverage(variants, after) < min_score) continue;
      }
      AcrossRow row;
      row.report = static_cast<int>(r);
      row.unit = report.unit.name.empty() ? report.unit.guess : report.unit.name;
      if (!report.unit.guess.empty() && report.unit.guess != row.unit && !report.unit.guessed)
        row.unit += "（" + report.unit.guess + "）";
      row.title = std::string(report.title.In(text));
      row.phrase = std::string(Trim(NamingClause(variants, context.empty() ? prefix : context)));
      row.figure_text = std::string(q.span.In(text));
      if (q.value) row.figure.value = *q.value;
      row.figure.high = q.high;
      // 4.5%-5%: the second figure of a range closes the row before it.
      if (!out.empty() && out.back().report == static_cast<int>(r) && out.back().line == q.line &&
          q.value && !out.back().figure.high && out.back().figure.unit == q.unit &&
          previous_end <= q.span.begin) {
        std::string_view link = Trim(text.substr(previous_end, q.span.begin - previous_end));
        if (link == "-" || link == "—" || link == "－" || link == "～" || link == "~" ||
            link == "至") {
          out.back().figure.high = *q.value;
          out.back().figure.approx = Approximation::kRange;
          out.back().figure_text += std::string(link) + row.figure_text;
          previous_end = q.span.end;
          continue;
        }
      }
      previous_end = q.span.end;
      row.figure.unit = q.unit;
      row.figure.approx = q.approx;
      row.figure.change = q.change != Change::kNone ? q.change : LastChange(prefix, nullptr);
      // 年均增长5.7%: a growth over several years is not the year's growth.
      if (row.figure.change != Change::kNone &&
          (FindAny(NamingClause(variants, context), Words().cumulative).first != std::string_view::npos ||
           FindAny(prefix, Words().cumulative).first != std::string_view::npos)) {
        continue;
      }
      row.placeholder = !q.value;
      row.kind = q.kind;
      if (q.time >= 0) {
        const TimeExpr& t = rf.times[q.time];
        row.period = t.begin == t.end ? t.begin : t.begin + "/" + t.end;
        if (t.begin.empty() && t.end.empty()) row.period.clear();
      }
      if (row.period.empty()) {
        // The year of its section (a plan section plans a later year), else
        // the year the report reviews.
        int year = report.summary_year;
        for (const Section& section : report.sections) {
          if (q.line >= section.first_line && q.line <= section.last_line && section.year) year = section.year;
        }
        if (year) row.period = std::to_string(year);
      }
      row.line = q.line;
      row.column = q.column;
      row.sentence = JoinedText(text, s.span);
      row.score = score;
      out.push_back(std::move(row));
    }
  }
  // Levels of the kind most of them have (money for 完成投资: a count of
  // 投资审计项目 is another thing), with the growth figures beside them.
  std::map<std::string, size_t> kinds;
  for (const AcrossRow& row : out) {
    if (row.figure.change == Change::kNone) ++kinds[row.kind];
  }
  auto most = std::max_element(kinds.begin(), kinds.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  if (most != kinds.end()) {
    std::string kind = most->first;
    std::erase_if(out, [&](const AcrossRow& row) {
      return row.kind != kind && !(row.figure.unit == "%" && row.figure.change != Change::kNone);
    });
  }
  return out;
}

// --- Pairing ---------------------------------------------------------------------

namespace {

// The name used to pair reports: the guessed unit when there is one (the
// full name a compilation's 街道/乡 title leaves out), else the stated one.
std::string PairingKey(const Report& report) {
  return report.unit.guess.empty() ? report.unit.name : report.unit.guess;
}

}  // namespace

std::string ReportUnit(const Report& report) {
  return report.unit.name.empty() ? report.unit.guess : report.unit.name;
}

int FindReportOfUnit(const OutlineResult& result, std::string_view unit) {
  const std::vector<Report>& reports = result.reports;
  if (reports.size() == 1) return 0;
  if (unit.empty()) return -1;
  for (size_t i = 0; i < reports.size(); ++i) {
    if (PairingKey(reports[i]) == unit || ReportUnit(reports[i]) == unit) return static_cast<int>(i);
  }
  return -1;
}

Pairing PairReports(const OutlineResult& plan, const OutlineResult& result, std::string_view unit_filter) {
  Pairing pairing;
  for (size_t i = 0; i < plan.reports.size(); ++i) {
    const Report& report = plan.reports[i];
    if (!unit_filter.empty() && PairingKey(report).find(unit_filter) == std::string::npos &&
        ReportUnit(report).find(unit_filter) == std::string::npos) {
      continue;
    }
    const int r = FindReportOfUnit(result, PairingKey(report));
    if (r >= 0) {
      pairing.pairs.push_back({i, static_cast<size_t>(r)});
    } else if (result.reports.size() > 1) {
      pairing.unmatched.push_back(i);
    }
  }
  return pairing;
}

}  // namespace taizhang
