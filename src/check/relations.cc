// Relations between the figures of a report, found from roles and measured
// phrases, and evaluated exactly:
//   sum          共查处484件，其中…319件…51件…86件        whole = Σ parts
//   part-whole   救护车25辆，其中负压救护车10辆            part ≤ whole
//   unit-sum     2.37km，其中…1918m，…455m                 Σ in one unit, to the whole's precision
//   total        计划26个，新增6个，共计32个               Σ before = total
//   remainder    49处…已整改35处，剩余14处                 whole = done + remaining
//   rate         发现92个，已整改87个，整改率94.56%        rate = done / whole, as rounded or truncated
//   enumeration  褚集、…、榴城等10个乡镇                   items vs count (≤ with 等)
//   rate-ceiling 整改率105%                                 ≤ 100% unless 超额
//   contradiction 14个小区改造，共计24栋楼 … 14个小区共22栋楼
// Anything with a placeholder, an approximation or an incomplete list is
// not checkable rather than wrong.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "check/check_internal.h"
#include "common/chinese_numeral.h"
#include "common/language_data.h"
#include "common/punctuation.h"
#include "common/text_search.h"
#include "common/utf8.h"

namespace taizhang::check_internal {

// Kinds and units compared as views: the length first, no strlen or
// out-of-line compare per figure.
using namespace std::string_view_literals;

namespace {

// A figure's value in the base unit of its kind (km → m), or nullopt.
struct Converted {
  std::string unit;
  std::optional<Decimal> value;
};

Converted ToBase(const Quantity& q) {
  Converted c{q.unit, q.value};
  for (const DataRow& row : DataTable("check_words.tsv", 3)) {
    if (row[0] != "convert" || row[1] != q.unit) continue;
    size_t space = row[2].find(' ');
    if (space == std::string_view::npos) break;
    auto factor = Decimal::Parse(row[2].substr(space + 1));
    c.unit = std::string(row[2].substr(0, space));
    c.value = q.value && factor ? q.value->Times(*factor) : std::nullopt;
    break;
  }
  return c;
}

// Whether the span's text without its line breaks (SpanText) holds
// `needle`: read in place when the span has no line break (most sentences),
// with no string made.
bool JoinedHolds(std::string_view text, Span s, std::string_view needle) {
  std::string_view raw = s.In(text);
  if (std::memchr(raw.data(), '\n', raw.size()) == nullptr && std::memchr(raw.data(), '\r', raw.size()) == nullptr) {
    return FindText(raw, needle) != std::string_view::npos;
  }
  return FindText(SpanText(text, s), needle) != std::string_view::npos;
}

bool Additive(const Quantity& q) {
  // Power and voltage are mostly ratings of equipment (15KW2台套), not amounts.
  return !q.kind.empty() && q.kind != "percent"sv && q.kind != "points"sv && q.kind != "permille"sv &&
         q.kind != "ratio"sv && q.kind != "rank"sv && q.kind != "duration"sv && q.kind != "age"sv &&
         q.kind != "power"sv && q.kind != "voltage"sv;
}

// 每千人6.5批次, 人均2.3万元: a figure per person, household … is a rate
// whatever its unit, and adds up with nothing.
bool PerUnit(std::string_view text, const Quantity& q) {
  size_t from = q.span.begin >= 90 ? q.span.begin - 90 : 0;  // thirty characters
  std::string_view before = text.substr(from, q.span.begin - from);
  for (std::string_view mark : {"，", "。", "；", "：", ",", ";"}) {
    size_t cut = before.rfind(mark);
    if (cut != std::string_view::npos) before = before.substr(cut + mark.size());
  }
  return FindText(before, "每") != std::string_view::npos || FindText(before, "人均") != std::string_view::npos ||
         FindText(before, "户均") != std::string_view::npos || FindText(before, "平均") != std::string_view::npos;
}

bool Comparable(const Quantity& a, const Quantity& b) {
  return a.kind == b.kind && ToBase(a).unit == ToBase(b).unit && Additive(a);
}

// Digits after the decimal point as written (2.37km → 2).
int StatedDecimals(std::string_view surface) {
  size_t dot = surface.find('.');
  if (dot == std::string_view::npos) dot = FindText(surface, "．");
  if (dot == std::string_view::npos) return 0;
  size_t k = dot + (surface[dot] == '.' ? 1 : 3);
  int n = 0;
  while (k < surface.size() && surface[k] >= '0' && surface[k] <= '9') ++k, ++n;
  return n;
}

Decimal Negated(const Decimal& d) { return Decimal(-d.mantissa(), d.exponent()); }

// Half a unit of the last written digit of q, in its base unit: 2.37km ±5 m.
Decimal Tolerance(std::string_view surface, const Quantity& q) {
  int decimals = StatedDecimals(surface);
  Quantity unit_of = q;
  unit_of.value = Decimal(5, -(decimals + 1));
  // The factor between the written number and the value (万 folds in): use
  // the ratio of value to written digits when a multiplier was written.
  std::optional<Decimal> tol = ToBase(unit_of).value;
  if (FindText(surface, "万") != std::string_view::npos && tol) tol = tol->Times(Decimal::FromInt(10000));
  if (FindText(surface, "亿") != std::string_view::npos && tol) tol = tol->Times(Decimal::FromInt(100000000));
  return tol ? *tol : Decimal();
}

bool Exact(const Quantity& q) {
  return !q.placeholder && !q.malformed && q.value && !q.high && q.approx == Approximation::kExact;
}

std::string Surface(std::string_view text, const Quantity& q) { return SpanText(text, q.span); }

// `value` (in the base unit of `like`) written the way `like` is written:
// 81704000 元 beside “8650.4万元” reads 8170.4万元, as the report would put it.
std::string InNotationOf(std::string_view text, const Decimal& value, const Quantity& like, const std::string& unit) {
  const std::string surface = Surface(text, like);
  if (like.unit == unit) {
    if (FindText(surface, "亿") != std::string::npos) return value.Shifted(-8).ToString() + "亿" + unit;
    if (FindText(surface, "万") != std::string::npos) return value.Shifted(-4).ToString() + "万" + unit;
  }
  return value.ToString() + " " + unit;
}

class ReportRelations {
 public:
  ReportRelations(CheckContext& c, int report)
      : c_(c),
        report_index_(report),
        report_(c.outline.reports[report]),
        facts_(c.facts.reports[report]),
        q_(facts_.quantities),
        text_(c.text()),
        out_((*c.reports)[report].relations) {}

  void Run() {
    Breakdowns();
    TotalsAfterAddends();
    Remainders();
    TargetsAndDone();
    BracketBreakdowns();
    Rates();
    Shares();
    SharesOfTheirTotal();
    BudgetExecution();
    Changes();
    Comparisons();
    ExplicitComparisons();
    Enumerations();
    ListsAboveTheirCount();
    Contradictions();
    RestatedFigures();
  }

 private:
  int ParagraphOf(const Quantity& q) const {
    return q.sentence >= 0 ? report_.sentences[q.sentence].paragraph : -1;
  }

  Relation& Add(std::string family, int whole, std::vector<int> parts) {
    Relation r;
    r.family = std::move(family);
    r.whole = whole;
    r.parts = std::move(parts);
    int first = whole >= 0 ? whole : (r.parts.empty() ? -1 : r.parts.front());
    for (int p : r.parts) first = std::min(first, p);
    if (first >= 0) r.line = q_[first].line;
    out_.push_back(std::move(r));
    return out_.back();
  }

  // Sets the status from the figures' values: not checkable when one is
  // not an exact known number. Returns true when all are exact.
  bool AllExact(Relation& r) const {
    std::vector<int> all = r.parts;
    if (r.whole >= 0) all.push_back(r.whole);
    for (int i : all) {
      const Quantity& q = q_[i];
      if (q.placeholder) {
        r.status = RelationStatus::kNotCheckable;
        r.reason = "“" + Surface(text_, q) + "”是占位符";
        return false;
      }
      if (!Exact(q)) {
        r.status = RelationStatus::kNotCheckable;
        r.reason = "“" + Surface(text_, q) + "”不是确数";
        return false;
      }
    }
    return true;
  }

  std::string Joined(const std::vector<int>& parts) const {
    std::string s;
    for (int p : parts) {
      s += (s.empty() ? "" : " + ") + Surface(text_, q_[p]);
      if (int times = Multiplicity(p); times > 1) s += "×" + std::to_string(times);
    }
    return s;
  }

  // How many times a figure counts in a sum: 甲、乙各1个 counts twice.
  // 0 when it says 各 but its items are not known (南北园区…各1个).
  int Multiplicity(int quantity) const {
    for (const Enumeration& e : facts_.enumerations) {
      if (e.quantity != quantity || !e.each) continue;
      return e.items.size() >= 2 ? static_cast<int>(e.items.size()) : 0;
    }
    return 1;
  }

  std::optional<Decimal> Sum(const std::vector<int>& parts) const {
    Decimal sum;
    for (int p : parts) {
      std::optional<Decimal> v = ToBase(q_[p]).value;
      int times = Multiplicity(p);
      if (!v || times == 0) return std::nullopt;
      if (times > 1) v = v->Times(Decimal::FromInt(times));
      if (!v) return std::nullopt;
      std::optional<Decimal> next = sum.Plus(*v);
      if (!next) return std::nullopt;
      sum = *next;
    }
    return sum;
  }

  // |a − b| ≤ tolerance.
  static bool Near(const Decimal& a, const Decimal& b, const Decimal& tolerance) {
    std::optional<Decimal> diff = a.Plus(Negated(b));
    if (!diff) return false;
    Decimal abs = diff->mantissa() < 0 ? Negated(*diff) : *diff;
    return abs.Compare(tolerance) <= 0;
  }

  void Flag(const Relation& r, RuleId rule, int at, std::string message) {
    Finding& f = c_.Add(rule, report_index_, q_[at].span, std::move(message));
    std::vector<int> all = r.parts;
    if (r.whole >= 0) all.insert(all.begin(), r.whole);
    for (int i : all) {
      if (i == at) continue;
      f.related.push_back(c_.Place(q_[i].span, "“" + Surface(text_, q_[i]) + "”"));
    }
  }

  // Comparable, or counts of things with classifiers of one kind
  // (data/check_words.tsv: thing_classifier): 公园9个，分别为口袋公园3座、
  // 湿地公园4处…
  bool CountedAlike(const Quantity& a, const Quantity& b) const {
    if (Comparable(a, b)) return true;
    return a.kind == "count"sv && b.kind == "count"sv && c_.HasTerm("thing_classifier", a.unit) &&
           c_.HasTerm("thing_classifier", b.unit);
  }

  // The whole a breakdown or a done/remaining pair refers to: the nearest
  // comparable figure before `before` in the paragraph that is no part.
  int WholeBefore(int first, uint32_t before, bool allow_done) const {
    for (int k = first - 1; k >= 0; --k) {
      const Quantity& w = q_[k];
      // The whole of 其中 is stated in the same sentence (新登记147万户、其中企业
      // 57.3万家 has none in 家: an earlier 191家 is something else).
      if (w.sentence != q_[first].sentence) break;
      if (w.span.end > before || !CountedAlike(w, q_[first])) continue;
      // A remaining or in-progress figure can have parts (在建项目38项，其中…).
      if (w.role == Role::kPart) continue;
      if (w.role == Role::kDone && !allow_done) continue;
      return ListHead(k);
    }
    return -1;
  }

  // The figure a colon list of figures breaks down, for a member of that
  // list (总额11884.37万元：货物2703.49万元、工程239.56万元、服务8941.32万元；
  // 其中… — the whole of the 其中 after it is 11884.37, not 8941.32), else k.
  int ListHead(int k) const {
    auto gap = [&](int m) { return text_.substr(q_[m - 1].span.end, q_[m].span.begin - q_[m - 1].span.end); };
    auto breaks = [](std::string_view g) {
      for (size_t i = 0; i < g.size();) {
        char32_t cp = utf8::Next(g, &i);
        if (IsClauseBreak(cp) && cp != U'，' && cp != ',') return true;
      }
      return false;
    };
    int m = k;
    while (m > 0 && q_[m - 1].sentence == q_[k].sentence && FindText(gap(m), "、") != std::string_view::npos &&
           !breaks(gap(m)))
      --m;
    if (m == k || m == 0 || q_[m - 1].sentence != q_[k].sentence) return k;
    std::string_view opener = gap(m);
    if (FindText(opener, "：") == std::string_view::npos && opener.find(':') == std::string_view::npos) return k;
    return CountedAlike(q_[m - 1], q_[k]) ? m - 1 : k;
  }

  // Whether a 分别 list pairs its figures with the subjects of its own
  // clause instead of breaking down `whole`: 城乡居民人均可支配收入分别达到
  // 2.78万元和1.84万元 (after 一般公共预算收入6.6亿元), 省、市重点建设项目
  // 分别完成投资309亿元、529亿元, 从5个和8个分别增加到7个和10个. A breakdown
  // opens its clause (共32个，分别为…) or follows its whole in one clause
  // with no second figure before 分别.
  bool ParallelList(int whole, const Quantity& first_part) const {
    std::string_view opener = first_part.role_word.In(text_);
    if (FindText(opener, "分别") == std::string_view::npos) return false;
    size_t clause = first_part.role_word.begin;
    while (clause > 0) {
      size_t prev = clause;
      char32_t cp = utf8::Prev(text_.substr(0, clause), &prev);
      if (IsClauseBreak(cp)) break;
      clause = prev;
    }
    const Quantity& w = q_[whole];
    if (w.span.begin < clause) {
      // Any subject of its own before 分别 (two characters or more).
      std::string_view subject = text_.substr(clause, first_part.role_word.begin - clause);
      return utf8::CountCodePoints(subject) >= 2;
    }
    int figures = 0;
    for (const Quantity& q : q_) {
      if (q.span.begin >= clause && q.span.end <= first_part.role_word.begin) ++figures;
    }
    return figures >= 2;
  }

  // 其中/包括/分别为: the parts after one opener word.
  void Breakdowns() {
    for (size_t k = 0; k < q_.size();) {
      const Quantity& q = q_[k];
      if (q.role != Role::kPart || !Additive(q) || q.role_word.empty()) {
        ++k;
        continue;
      }
      // The figures after one opener, by kind: 其中10亿元以上项目78个 holds
      // a size (亿元) and a count (个), each compared with its own whole.
      std::vector<std::vector<int>> classes;
      size_t j = k;
      for (; j < q_.size(); ++j) {
        const Quantity& p = q_[j];
        if (p.role != Role::kPart || p.role_word.begin != q.role_word.begin) break;
        if (!Additive(p)) continue;
        auto same = std::find_if(classes.begin(), classes.end(), [&](const std::vector<int>& c) {
          return CountedAlike(q_[c.front()], p);
        });
        if (same == classes.end()) {
          classes.push_back({static_cast<int>(j)});
        } else {
          same->push_back(static_cast<int>(j));
        }
      }
      for (const std::vector<int>& parts : classes) {
        const Quantity& first = q_[parts.front()];
        int whole = WholeBefore(parts.front(), q.role_word.begin, true);
        if (whole >= 0 && !ParallelList(whole, first))
          Evaluate(whole, parts, SpanText(text_, q.role_word));
      }
      k = std::max(j, k + 1);
    }
  }

  // A breakdown that goes on past a ；(其中3月份…3个，…1个；5月底…1个，…10个):
  // if the next comparable figures of the paragraph, taken in order, make
  // the whole exactly, the relation holds with them. Only agreement counts.
  bool ExtendsToWhole(int whole, const std::vector<int>& parts, Relation& r) {
    const Quantity& w = q_[whole];
    std::vector<int> more = parts;
    for (size_t j = static_cast<size_t>(parts.back()) + 1; j < q_.size() && ParagraphOf(q_[j]) == ParagraphOf(w); ++j) {
      const Quantity& p = q_[j];
      if (!Comparable(p, w)) continue;
      if (!Exact(p) || p.role == Role::kTotal || p.role == Role::kDone || p.role == Role::kRemainder) break;
      more.push_back(static_cast<int>(j));
      std::optional<Decimal> sum = Sum(more), wv = ToBase(w).value;
      if (!sum || !wv) break;
      int cmp = sum->Compare(*wv);
      if (cmp == 0) {
        r.parts = more;
        r.statement = Surface(text_, w) + " = " + Joined(more);
        r.status = RelationStatus::kConsistent;
        return true;
      }
      if (cmp > 0) break;
    }
    return false;
  }

  // No clause break between the part's role word and the part.
  bool InOpenerClause(const Quantity& p) const {
    if (p.role_word.empty() || p.role_word.end > p.span.begin) return false;
    std::string_view between = text_.substr(p.role_word.end, p.span.begin - p.role_word.end);
    // 其中，城建工程8项 / 其中：A 43次: the opener's own comma or colon.
    for (std::string_view mark : {"，", "：", ",", ":"}) {
      if (between.substr(0, mark.size()) == mark) {
        between.remove_prefix(mark.size());
        break;
      }
    }
    for (size_t i = 0; i < between.size();) {
      if (IsClauseBreak(utf8::Next(between, &i))) return false;
    }
    return true;
  }

  // Whether the parts name sibling categories: every measured phrase ends
  // in the same word of two characters or more (公园, 企业) and differs from
  // the others before it (口袋公园, 湿地公园), so none holds another — unlike
  // 耕地 and 基本农田.
  bool SiblingCategories(const std::vector<int>& parts) const {
    std::vector<std::string> phrases;
    for (int p : parts) {
      std::string m = SpanText(text_, q_[p].measured);
      if (utf8::CountCodePoints(m) < 3) return false;
      phrases.push_back(std::move(m));
    }
    const std::string& first = phrases.front();
    size_t head = first.size();
    for (int n = 0; n < 2; ++n) utf8::Prev(first, &head);
    std::string suffix = first.substr(head);
    std::unordered_set<std::string> modifiers;
    for (const std::string& m : phrases) {
      if (m.size() <= suffix.size() ||
          m.compare(m.size() - suffix.size(), suffix.size(), suffix) != 0)
        return false;
      if (!modifiers.insert(m.substr(0, m.size() - suffix.size())).second) return false;
    }
    // No modifier may contain another (重点企业 / 企业 → nested).
    for (const std::string& a : modifiers) {
      for (const std::string& b : modifiers) {
        if (a != b && a.find(b) != std::string::npos) return false;
      }
    }
    return true;
  }

  void Evaluate(int whole, std::vector<int> parts, const std::string& opener) {
    const Quantity& w = q_[whole];
    if (PerUnit(text_, w)) return;
    // A change is made of changes (支出减少49.81万元，其中基本支出增加75.19万元，
    // 项目支出减少125万元), a level of levels: 较上年增加142.30万元 after a
    // breakdown of a level is none of its parts.
    parts.erase(std::remove_if(parts.begin(), parts.end(),
                               [&](int p) { return (q_[p].change == Change::kNone) != (w.change == Change::kNone); }),
                parts.end());
    if (parts.empty()) return;
    if (w.change != Change::kNone) {
      EvaluateChanges(whole, parts);
      return;
    }
    bool units_differ = false;
    // km and m (converted); 座 and 个 are classifiers of one count, no units.
    for (int p : parts)
      units_differ |= q_[p].unit != w.unit && ToBase(q_[p]).unit == ToBase(w).unit;
    std::string family = parts.size() == 1 ? "part-whole" : units_differ ? "unit-sum" : "sum";
    Relation& r = Add(family, whole, parts);
    r.statement = parts.size() == 1 ? Joined(parts) + " ≤ " + Surface(text_, w)
                                    : Surface(text_, w) + " = " + Joined(parts);
    // A part larger than its whole is wrong whatever else is unknown.
    std::optional<Decimal> wv = ToBase(w).value;
    for (int p : parts) {
      std::optional<Decimal> pv = ToBase(q_[p]).value;
      // Only a part its opener word introduces in its own clause (其中2件…，
      // 清理…164件 — the second figure is a new statement).
      if (!InOpenerClause(q_[p])) continue;
      if (wv && pv && Exact(w) && !q_[p].placeholder && q_[p].approx != Approximation::kUnder &&
          pv->Compare(*wv) > 0) {
        r.status = RelationStatus::kInconsistent;
        r.reason = "部分“" + Surface(text_, q_[p]) + "”大于整体“" + Surface(text_, w) + "”";
        Flag(r, RuleId::kPartExceedsWhole, p, r.reason);
        return;
      }
    }
    if (!AllExact(r)) return;
    std::optional<Decimal> sum = Sum(parts);
    if (!sum || !wv) {
      r.status = RelationStatus::kNotCheckable;
      r.reason = "有“各”但不知有几项，或数值过大";
      return;
    }
    Decimal tolerance = units_differ ? Tolerance(Surface(text_, w), w) : Decimal();
    // Figures written with decimals are rounded, each by up to half a unit of
    // the last digit (186549.30万元 = … the five parts add to 186549.31万元).
    if (!units_differ && StatedDecimals(Surface(text_, w)) > 0) {
      std::optional<Decimal> spread =
          Tolerance(Surface(text_, w), w).Times(Decimal::FromInt(static_cast<int64_t>(parts.size())));
      if (spread) tolerance = *spread;
    }
    int cmp = sum->Compare(*wv);
    if (Near(*sum, *wv, tolerance)) {
      r.status = RelationStatus::kConsistent;
      return;
    }
    if (parts.size() == 1) {  // a single part below its whole: fine
      r.status = RelationStatus::kConsistent;
      return;
    }
    // Parts above the whole are wrong; below it only when the list is
    // complete (分别为, or an 其他/其余 part closes it).
    // 其中A项目5个、B项目20个，分别完成投资…: the 分别 pairs a partial
    // 其中 list, which it does not complete.
    bool complete =
        FindText(opener, "分别") != std::string::npos &&
        FindText(text_.substr(w.span.end, q_[parts.front()].span.begin - w.span.end), "其中") ==
            std::string_view::npos;
    for (int p : parts) {
      std::string m = SpanText(text_, q_[p].measured);
      if (FindText(m, "其他") != std::string::npos || FindText(m, "其余") != std::string::npos) complete = true;
    }
    // Without 分别为 or an 其他 part the list may be partial (below the whole)
    // or nested (其中耕地9.51亩、基本农田7.7亩 — 基本农田 is 耕地): not checkable.
    bool same_sentence = true;
    for (int p : parts) same_sentence &= q_[p].sentence == w.sentence;
    if (cmp < 0 && ExtendsToWhole(whole, parts, r)) return;
    // Sibling categories (口袋公园3座、湿地公园4处) cannot hold each other:
    // together they may not exceed the whole.
    if (cmp > 0 && same_sentence && SiblingCategories(parts)) complete = true;
    if (!complete || !same_sentence) {
      r.status = RelationStatus::kNotCheckable;
      r.reason = cmp < 0 ? "所列分项可能不全" : "分项可能相互包含";
      return;
    }
    r.status = RelationStatus::kInconsistent;
    const std::string sum_text = InNotationOf(text_, *sum, w, ToBase(w).unit);
    r.reason = "分项之和为 " + sum_text + "，与“" + Surface(text_, w) + "”不符";
    Flag(r, units_differ ? RuleId::kUnitSumMismatch : RuleId::kSumMismatch, whole,
         "合计“" + Surface(text_, w) + "”与分项之和不符：" + r.statement + "（分项合计 " + sum_text + "）");
  }

  // A change and the changes it is made of, each signed by its word:
  // 减少49.81万元 = 增加75.19万元 + 减少125万元. Only agreement, or a list
  // closed by 分别, decides.
  void EvaluateChanges(int whole, const std::vector<int>& parts) {
    const Quantity& w = q_[whole];
    Relation& r = Add(parts.size() == 1 ? "part-whole" : "sum", whole, parts);
    auto signed_text = [&](int i) {
      std::string out = q_[i].change == Change::kDecrease ? "−" : "+";
      out += Surface(text_, q_[i]);  // appended, not prepended: GCC 12 -Wrestrict false positive
      return out;
    };
    r.statement = signed_text(whole) + " =";
    for (int p : parts) {
      r.statement += ' ';
      r.statement += signed_text(p);
    }
    if (!AllExact(r)) return;
    auto signed_value = [&](int i) -> std::optional<Decimal> {
      std::optional<Decimal> v = ToBase(q_[i]).value;
      if (v && q_[i].change == Change::kDecrease) v = Negated(*v);
      return v;
    };
    Decimal sum;
    for (int p : parts) {
      std::optional<Decimal> v = signed_value(p);
      std::optional<Decimal> next = v ? sum.Plus(*v) : std::nullopt;
      if (!next) return;
      sum = *next;
    }
    std::optional<Decimal> wv = signed_value(whole);
    if (!wv) return;
    Decimal tolerance;
    if (StatedDecimals(Surface(text_, w)) > 0) {
      std::optional<Decimal> spread =
          Tolerance(Surface(text_, w), w).Times(Decimal::FromInt(static_cast<int64_t>(parts.size())));
      if (spread) tolerance = *spread;
    }
    r.status = Near(sum, *wv, tolerance) ? RelationStatus::kConsistent : RelationStatus::kNotCheckable;
    if (r.status == RelationStatus::kNotCheckable) r.reason = "所列增减项可能不全";
  }

  // 计划26个，新增6个，共计32个: a total with no phrase of its own adds up the
  // figures before it in its sentence.
  void TotalsAfterAddends() {
    for (size_t k = 0; k < q_.size(); ++k) {
      const Quantity& t = q_[k];
      if (t.role != Role::kTotal || !t.measured.empty() || !Additive(t)) continue;
      std::string word = SpanText(text_, t.role_word);
      if (word != "共计" && word != "合计" && word != "总计" && word != "共") continue;
      // The role word must sit right before the figure: 共计32个.
      if (t.role_word.end != t.span.begin) continue;
      std::vector<int> addends;
      for (int j = static_cast<int>(k) - 1; j >= 0; --j) {
        const Quantity& a = q_[j];
        if (a.sentence != t.sentence) break;
        if (!Comparable(a, t) || a.role == Role::kPart) continue;
        addends.insert(addends.begin(), j);
      }
      if (addends.size() < 2) continue;
      Relation& r = Add("sum", static_cast<int>(k), addends);
      r.statement = Surface(text_, t) + " = " + Joined(addends);
      if (!AllExact(r)) continue;
      std::optional<Decimal> sum = Sum(addends);
      std::optional<Decimal> tv = ToBase(t).value;
      if (sum && tv && sum->Compare(*tv) == 0) {
        r.status = RelationStatus::kConsistent;
      } else {
        // The figures before a total may not all be its addends: not an error.
        r.status = RelationStatus::kNotCheckable;
        r.reason = "前面的数字不一定都是它的加数";
      }
    }
  }

  // Whether two figures can be about the same thing: no phrase, or phrases
  // sharing two characters (审计项目 / 开展的审计项目).
  bool Related(const Quantity& a, const Quantity& b) const {
    std::string ma = SpanText(text_, a.measured), mb = SpanText(text_, b.measured);
    if (ma.empty() || mb.empty()) return true;
    for (size_t i = 0; i + 6 <= ma.size();) {
      size_t next = i;
      utf8::Next(ma, &next);
      size_t second = next;
      if (second >= ma.size()) break;
      utf8::Next(ma, &second);
      if (mb.find(ma.substr(i, second - i)) != std::string::npos) return true;
      i = next;
    }
    return false;
  }

  // No ；or 。 between two figures (a before b).
  bool SameClauseGroup(const Quantity& a, const Quantity& b) const {
    if (a.span.end > b.span.begin) return false;
    std::string_view between = text_.substr(a.span.end, b.span.begin - a.span.end);
    return FindText(between, "；") == std::string_view::npos && FindText(between, "。") == std::string_view::npos &&
           between.find(';') == std::string_view::npos;
  }

  // 已整改35处，剩余14处: done + remaining = the whole before them. Each
  // remaining figure looks back for its done figure; remainders of one done
  // figure (正在设计4个，其余3个) go together.
  void Remainders() {
    std::vector<std::pair<int, std::vector<int>>> groups;  // done → remainders
    for (size_t j = 0; j < q_.size(); ++j) {
      const Quantity& r = q_[j];
      if (r.role != Role::kRemainder || !Additive(r)) continue;
      int done = -1;
      for (int k = static_cast<int>(j) - 1; k >= 0 && ParagraphOf(q_[k]) == ParagraphOf(r); --k) {
        const Quantity& d = q_[k];
        if (d.role != Role::kDone || !Comparable(d, r)) continue;
        if (SameClauseGroup(d, r) || Related(r, d)) {
          done = k;
          break;
        }
      }
      if (done < 0) continue;
      if (!groups.empty() && groups.back().first == done) {
        groups.back().second.push_back(static_cast<int>(j));
      } else {
        groups.push_back({done, {static_cast<int>(j)}});
      }
    }
    for (const auto& [k, rest] : groups) EvaluateRemainder(k, rest);
  }

  void EvaluateRemainder(int k, const std::vector<int>& rest) {
    const Quantity& d = q_[k];
    if (PerUnit(text_, d)) return;
    // The whole: the nearest comparable figure before the done one (a part
    // of an earlier breakdown may be it: 其中需整改销号图斑22个，已完成16个).
    int whole = -1;
    for (int w = k - 1; w >= 0 && ParagraphOf(q_[w]) == ParagraphOf(d); --w) {
      if (!Comparable(q_[w], d) || q_[w].role == Role::kDone || q_[w].role == Role::kRemainder) continue;
      // In the same sentence the nearest figure is the whole (16个新建项目已完成
      // 前期设计19个); further away it must be about the same thing.
      if (q_[w].sentence != d.sentence && !Related(q_[w], d)) break;
      whole = w;
      break;
    }
    if (whole < 0 || PerUnit(text_, q_[whole])) return;
    std::vector<int> parts = {k};
    parts.insert(parts.end(), rest.begin(), rest.end());
    Relation& r = Add("remainder", whole, parts);
    const Quantity& w = q_[whole];
    r.statement = Surface(text_, w) + " = " + Joined(parts);
    if (!AllExact(r)) return;
    std::optional<Decimal> sum = Sum(parts);
    std::optional<Decimal> wv = ToBase(w).value;
    if (!sum || !wv) return;
    if (sum->Compare(*wv) == 0) {
      r.status = RelationStatus::kConsistent;
      return;
    }
    // The whole may be the sum of the figures just before it in its clause
    // group (问题1个，…问题10个，目前已整改5个，剩余6个).
    std::vector<int> run = {whole};
    for (int v = whole - 1; v >= 0 && SameClauseGroup(q_[v], w); --v) {
      if (!Comparable(q_[v], w) || q_[v].role == Role::kTotal || !Exact(q_[v])) break;
      run.insert(run.begin(), v);
      std::optional<Decimal> run_sum = Sum(run);
      if (run_sum && run_sum->Compare(*sum) == 0) {
        r.whole = -1;
        r.parts = run;
        r.parts.insert(r.parts.end(), parts.begin(), parts.end());
        r.statement = Joined(run) + " = " + Joined(parts);
        r.status = RelationStatus::kConsistent;
        return;
      }
    }
    std::optional<Decimal> dv = ToBase(d).value;
    // A comparable figure between the done one and the last remaining one
    // that is neither (已完工31个，在建5个，尚有2个 without 在建 known) may be
    // a part too.
    bool gap = false;
    for (int j = k + 1; j < rest.back(); ++j) {
      gap |= Comparable(q_[j], d) && std::find(rest.begin(), rest.end(), j) == rest.end();
    }
    if (run.size() > 1 || w.sentence != d.sentence || gap) {
      r.status = RelationStatus::kNotCheckable;
      r.reason = run.size() > 1 ? "总数可能是前面几个数之和"
                 : gap                ? "中间还有未标明的数字"
                                      : "总数与已完成不在同一句";
      return;
    }
    r.status = RelationStatus::kInconsistent;
    if (dv && dv->Compare(*wv) > 0) {
      r.reason = "已完成的“" + Surface(text_, d) + "”大于总数“" + Surface(text_, w) + "”";
      Flag(r, RuleId::kPartExceedsWhole, k, r.reason + "；" + r.statement + " 也不成立");
      return;
    }
    r.reason = "已完成与剩余之和为 " + sum->ToString() + "，与总数不符";
    Flag(r, RuleId::kRemainderMismatch, whole, "总数“" + Surface(text_, w) + "”不等于已完成加剩余：" + r.statement);
  }

  // 任务7.2万平方米 … 已拆除7.42万平方米，提前超量完成: done against target.
  // Above the target is no error (over-fulfilment); with 超额/提前 it is
  // stated so and consistent.
  void TargetsAndDone() {
    for (size_t k = 0; k < q_.size(); ++k) {
      const Quantity& d = q_[k];
      if (d.role != Role::kDone || !Additive(d)) continue;
      int target = -1;
      for (int t = static_cast<int>(k) - 1; t >= 0 && ParagraphOf(q_[t]) == ParagraphOf(d); --t) {
        if (!Comparable(q_[t], d)) continue;
        if (q_[t].role == Role::kDone) break;
        std::string m = SpanText(text_, q_[t].measured);
        if (q_[t].role == Role::kTarget && FindText(m, "任务") != std::string::npos) {
          target = t;
          break;
        }
      }
      if (target < 0) continue;
      Relation& r = Add("part-whole", target, {static_cast<int>(k)});
      r.statement = Surface(text_, d) + " ≤ " + Surface(text_, q_[target]) + "（任务）";
      if (!AllExact(r)) continue;
      std::optional<Decimal> dv = ToBase(d).value, tv = ToBase(q_[target]).value;
      if (!dv || !tv) continue;
      bool exceeded_stated = HasWordInSentence(d, "exceeding");
      if (dv->Compare(*tv) <= 0 || exceeded_stated) {
        r.status = RelationStatus::kConsistent;
        if (dv->Compare(*tv) > 0) r.statement = Surface(text_, d) + " > " + Surface(text_, q_[target]) + "（超额完成）";
      } else {
        r.status = RelationStatus::kNotCheckable;
        r.reason = "完成数超过任务，未说明超额";
      }
    }
  }

  // 276个（第一批244个和第二批32个）, 198座（其中，交通桥97座，人行桥101座）:
  // a figure and its parts in brackets right after it. Only agreement is
  // reported; a bracket may hold other things.
  void BracketBreakdowns() {
    for (size_t k = 0; k < q_.size(); ++k) {
      const Quantity& w = q_[k];
      if (!Additive(w)) continue;
      std::string_view after = text_.substr(w.span.end, 3);
      if (after != "（" && (after.empty() || after[0] != '(')) continue;
      size_t close = FindText(text_, "）", w.span.end);
      size_t close_half = text_.find(')', w.span.end);
      close = std::min(close, close_half);
      if (close == std::string_view::npos) continue;
      std::vector<int> parts;
      for (size_t j = k + 1; j < q_.size() && q_[j].span.end <= close; ++j) {
        if (Comparable(q_[j], w)) parts.push_back(static_cast<int>(j));
      }
      if (parts.size() < 2) continue;
      bool known = false;
      for (const Relation& r : out_) known |= r.whole == static_cast<int>(k);
      if (known) continue;
      Relation& r = Add("sum", static_cast<int>(k), parts);
      r.statement = Surface(text_, w) + " = " + Joined(parts);
      if (!AllExact(r)) continue;
      std::optional<Decimal> sum = Sum(parts), wv = ToBase(w).value;
      if (sum && wv && sum->Compare(*wv) == 0) {
        r.status = RelationStatus::kConsistent;
      } else {
        r.status = RelationStatus::kNotCheckable;
        r.reason = "括号中的数字不一定是分项";
      }
    }
  }

  bool HasWordInSentence(const Quantity& q, std::string_view role) const {
    std::string_view sentence = report_.sentences[q.sentence].span.In(text_);
    for (const std::string& w : c_.Terms(role)) {
      if (sentence.find(w) != std::string_view::npos) return true;
    }
    return false;
  }

  // Whether 100·num/den, rounded or truncated to the stated decimals, is rate.
  static bool RateMatches(const Decimal& rate, int decimals, const Decimal& num, const Decimal& den) {
    // rate·den ≤ 100·num < (rate + ulp)·den   (truncation)
    // (rate − ulp/2)·den ≤ 100·num < (rate + ulp/2)·den   (rounding)
    std::optional<Decimal> hundred_num = num.Times(Decimal::FromInt(100));
    if (!hundred_num) return false;
    Decimal ulp(1, -decimals);
    Decimal half(5, -(decimals + 1));
    auto within = [&](const Decimal& low, const Decimal& high) {
      std::optional<Decimal> lo = low.Times(den), hi = high.Times(den);
      return lo && hi && lo->Compare(*hundred_num) <= 0 && hundred_num->Compare(*hi) < 0;
    };
    std::optional<Decimal> up = rate.Plus(ulp), up_half = rate.Plus(half), down_half = rate.Plus(Negated(half));
    return (up && within(rate, *up)) || (up_half && down_half && within(*down_half, *up_half));
  }

  bool HasWordBefore(const Quantity& q, std::string_view role) const {
    const Sentence& s = report_.sentences[q.sentence];
    std::string_view before = text_.substr(s.span.begin, q.span.begin - s.span.begin);
    for (const std::string& w : c_.Terms(role)) {
      if (before.find(w) != std::string_view::npos) return true;
    }
    return false;
  }

  bool IsCappedRate(std::string_view measured) const {
    for (const std::string& w : c_.Terms("capped_rate")) {
      if (measured.size() >= w.size() && measured.substr(measured.size() - w.size()) == w) return true;
    }
    return false;
  }

  // 整改率为94.56% against 已整改87个 of 共发现问题92个.
  void Rates() {
    for (size_t k = 0; k < q_.size(); ++k) {
      const Quantity& rate = q_[k];
      if (rate.kind != "percent"sv || rate.change != Change::kNone) continue;
      std::string measured = SpanText(text_, rate.measured);
      size_t lu = measured.rfind("率");
      if (lu == std::string::npos || lu + 3 != measured.size()) continue;
      if (rate.value && Exact(rate) && IsCappedRate(measured) &&
          rate.value->Compare(Decimal::FromInt(100)) > 0 && !HasWordBefore(rate, "exceeding")) {
        Relation& r = Add("rate-ceiling", static_cast<int>(k), {});
        r.statement = measured + " " + Surface(text_, rate) + " ≤ 100%";
        r.status = RelationStatus::kInconsistent;
        r.reason = measured + "不可能超过100%";
        Flag(r, RuleId::kRateOver100, static_cast<int>(k), "“" + measured + Surface(text_, rate) + "”超过了100%");
        continue;
      }
      // The stem of the rate (整改率 → 整改; 问题处置完成率 → 处置完成).
      std::string stem = measured.substr(0, lu);
      if (utf8::CountCodePoints(stem) < 2) continue;
      // Its last two characters: 整改, 合格, 完成.
      size_t core_begin = stem.size();
      for (int n = 0; n < 2 && core_begin > 0; ++n) utf8::Prev(stem, &core_begin);
      std::string core = stem.substr(core_begin);
      // Numerator: the nearest count before it in the paragraph whose phrase
      // names the stem (已整改87个) — or its negation (1批次不合格).
      int num = -1;
      bool negated = false;
      for (int j = static_cast<int>(k) - 1; j >= 0 && ParagraphOf(q_[j]) == ParagraphOf(rate); --j) {
        const Quantity& n = q_[j];
        if (!Additive(n)) continue;
        if (n.sentence != rate.sentence) break;
        std::string m = SpanText(text_, n.measured) + SpanText(text_, n.role_word);
        // The words after the figure up to its clause's end (1批次不合格).
        // Not into the rate's own phrase (1700项政务服务事项网上可办率达到100%:
        // 可办 there names the rate, not the figure).
        uint32_t stop = rate.span.begin;
        if (!rate.measured.empty() && rate.measured.begin > n.span.end)
          stop = std::min(stop, rate.measured.begin);
        uint32_t end = n.span.end;
        std::string_view bounded = text_.substr(0, stop);
        while (end < stop) {
          size_t next = end;
          if (IsClauseBreak(utf8::Next(bounded, &next))) break;
          end = static_cast<uint32_t>(next);
        }
        std::string around = m + SpanText(text_, Span{n.span.end, end});
        if (FindText(around, "不" + core) != std::string::npos) {
          num = j;
          negated = true;
          break;
        }
        if (around.find(core) != std::string::npos) {
          num = j;
          break;
        }
      }
      if (num < 0) continue;
      int den = -1;
      for (int j = num - 1; j >= 0 && q_[j].sentence == rate.sentence; --j) {
        const Quantity& d = q_[j];
        if (!Comparable(d, q_[num]) || d.role == Role::kPart || d.role == Role::kDone) continue;
        den = j;
        break;
      }
      if (den < 0) continue;
      Relation& r = Add("rate", static_cast<int>(k), {num, den});
      r.statement = measured + " " + Surface(text_, rate) + " = " + (negated ? "(" + Surface(text_, q_[den]) + " − " + Surface(text_, q_[num]) + ")" : Surface(text_, q_[num])) + " ÷ " + Surface(text_, q_[den]);
      if (!AllExact(r)) continue;
      Decimal numerator = *q_[num].value;
      if (negated) {
        std::optional<Decimal> diff = q_[den].value->Plus(Negated(numerator));
        if (!diff) continue;
        numerator = *diff;
      }
      int decimals = StatedDecimals(Surface(text_, rate));
      // A rate of at most 100% from a numerator above its denominator: the
      // figures found are not its two counts (920家 经营主体 ÷ 两家 驿站).
      if (!negated && q_[num].value->Compare(*q_[den].value) > 0 &&
          rate.value->Compare(Decimal::FromInt(100)) <= 0) {
        r.status = RelationStatus::kNotCheckable;
        r.reason = "所取分子大于分母，不是这一比率的两个数";
        continue;
      }
      if (q_[den].value->mantissa() == 0) {
        r.status = RelationStatus::kNotCheckable;
        r.reason = "分母为0";
        continue;
      }
      if (RateMatches(*rate.value, decimals, numerator, *q_[den].value)) {
        r.status = RelationStatus::kConsistent;
        continue;
      }
      r.status = RelationStatus::kInconsistent;
      double exact = numerator.ToDouble() * 100.0 / q_[den].value->ToDouble();
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.4f", exact);
      r.reason = std::string("按数量算得 ") + buffer + "%";
      Flag(r, RuleId::kRateMismatch, static_cast<int>(k),
             "“" + measured + Surface(text_, rate) + "”与数量不符：" + r.statement + " ≈ " + buffer + "%");
    }
  }

  // 其中：一般公共预算拨款收入37018.75万元，占7.2%；… after 收入预算515313.35万元:
  // a share written right after a part, of the whole it is a part of (the
  // nearest earlier figure of the paragraph that is no part, no change and
  // not smaller; 占本年支出预算63.99% may name it). Rounded or truncated to
  // its decimals it must be the part over the whole.
  void SharesOfTheirTotal() {
    for (size_t k = 1; k < q_.size(); ++k) {
      const Quantity& share = q_[k];
      if (share.kind != "percent"sv || share.change != Change::kNone || !Exact(share)) continue;
      const Quantity& part = q_[k - 1];
      if (!Additive(part) || !Exact(part) || part.change != Change::kNone || part.sentence != share.sentence) continue;
      // Between them: ，占 and at most the whole's name (no clause break).
      std::string_view between = text_.substr(part.span.end, share.span.begin - part.span.end);
      size_t zhan = FindText(between, "占");
      if (zhan == std::string_view::npos || FindText(between, "其中") != std::string_view::npos) continue;
      std::string_view lead = between.substr(0, zhan);
      if (lead != "，" && lead != "," && lead != "，其中" && !lead.empty()) continue;
      bool broken = false;
      std::string_view name = between.substr(zhan);
      for (size_t i = 0; i < name.size();) broken |= IsClauseBreak(utf8::Next(name, &i));
      if (broken || utf8::CountCodePoints(name) > 12) continue;
      // The whole's name after 占 (占授予中小企业合同金额的55.78%), if any.
      std::string named(name.substr(std::string_view("占").size()));
      for (std::string_view cut : {"比", "的"}) {
        if (named.starts_with(cut)) named.erase(0, cut.size());
        if (named.ends_with(cut)) named.erase(named.size() - cut.size());
      }
      int whole = -1;
      if (part.role == Role::kPart) whole = WholeBefore(static_cast<int>(k) - 1, part.role_word.begin, true);
      for (int j = static_cast<int>(k) - 2; whole < 0 && j >= 0 && ParagraphOf(q_[j]) == ParagraphOf(part); --j) {
        const Quantity& w = q_[j];
        if (!Comparable(w, part) || w.role == Role::kPart || w.change != Change::kNone || !Exact(w)) continue;
        if (w.value->Compare(*part.value) < 0) continue;
        // A sibling of the part stated the same way (…万元，占5.4%) is no whole.
        if (j + 1 < static_cast<int>(q_.size()) && q_[j + 1].kind == "percent"sv &&
            FindText(text_.substr(w.span.end, q_[j + 1].span.begin - w.span.end), "占") != std::string_view::npos)
          continue;
        whole = j;
        break;
      }
      if (whole < 0 || !Exact(q_[whole]) || q_[whole].value->mantissa() == 0) continue;
      // 占全部财政收入的56.4% after 工业总产值236.7亿元: the whole it names is
      // not the figure found.
      // The two must share a run of four characters (支出预算 of 本年支出预算),
      // or all of a shorter name.
      if (utf8::CountCodePoints(named) >= 2) {
        std::string measured = SpanText(text_, q_[whole].measured);
        const size_t run = std::min<size_t>(4, utf8::CountCodePoints(named));
        bool shares = false;
        for (size_t i = 0; i < named.size() && !shares;) {
          size_t end = i;
          size_t n = 0;
          while (n < run && end < named.size()) {
            utf8::Next(named, &end);
            ++n;
          }
          if (n < run) break;
          shares = measured.find(named.substr(i, end - i)) != std::string::npos;
          utf8::Next(named, &i);
        }
        if (!shares) continue;
      }
      Relation& r = Add("rate", static_cast<int>(k), {static_cast<int>(k) - 1, whole});
      r.statement = Surface(text_, share) + " = " + Surface(text_, part) + " ÷ " + Surface(text_, q_[whole]);
      if (RateMatches(*share.value, StatedDecimals(Surface(text_, share)), *ToBase(part).value, *ToBase(q_[whole]).value)) {
        r.status = RelationStatus::kConsistent;
        continue;
      }
      r.status = RelationStatus::kInconsistent;
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.2f", ToBase(part).value->ToDouble() * 100.0 / ToBase(q_[whole]).value->ToDouble());
      r.reason = std::string("按数额算得 ") + buffer + "%";
      Flag(r, RuleId::kRateMismatch, static_cast<int>(k),
           "“占" + Surface(text_, share) + "”与数额不符：" + r.statement + " ≈ " + buffer + "%");
    }
  }

  // A final account's lines: 年初预算为5717.32万元，支出决算为5757.63万元，完成
  // 年初预算的100.71%。决算数大于预算数的主要原因是…: the rate is the final
  // figure over the budget, and the comparison word holds between them.
  void BudgetExecution() {
    auto find = [&](int sentence, bool final_figure) {
      int found = -1;
      for (size_t j = 0; j < q_.size(); ++j) {
        const Quantity& q = q_[j];
        if (q.sentence != sentence || !Additive(q) || q.change != Change::kNone) continue;
        std::string m = SpanText(text_, q.measured);
        bool is_final = FindText(m, "决算") != std::string::npos;
        bool is_budget = !is_final && FindText(m, "预算") != std::string::npos;
        if (final_figure ? is_final : is_budget) {
          if (found >= 0) return -2;  // two of a kind: which one is meant is unknown
          found = static_cast<int>(j);
        }
      }
      return found;
    };
    for (size_t k = 0; k < q_.size(); ++k) {
      const Quantity& rate = q_[k];
      if (rate.kind != "percent"sv || rate.change != Change::kNone || !Exact(rate)) continue;
      std::string_view before = ClauseBefore(rate, false);
      if (FindText(before, "完成") == std::string_view::npos || FindText(before, "预算") == std::string_view::npos) continue;
      int done = find(rate.sentence, true), budget = find(rate.sentence, false);
      if (done < 0 || budget < 0 || !Exact(q_[done]) || !Exact(q_[budget]) || !Comparable(q_[done], q_[budget])) continue;
      if (q_[budget].value->mantissa() == 0) continue;
      Relation& r = Add("rate", static_cast<int>(k), {done, budget});
      r.statement = Surface(text_, rate) + " = " + Surface(text_, q_[done]) + " ÷ " + Surface(text_, q_[budget]);
      if (RateMatches(*rate.value, StatedDecimals(Surface(text_, rate)), *ToBase(q_[done]).value,
                      *ToBase(q_[budget]).value)) {
        r.status = RelationStatus::kConsistent;
        continue;
      }
      r.status = RelationStatus::kInconsistent;
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.2f",
                    ToBase(q_[done]).value->ToDouble() * 100.0 / ToBase(q_[budget]).value->ToDouble());
      r.reason = std::string("按决算数和预算数算得 ") + buffer + "%";
      Flag(r, RuleId::kRateMismatch, static_cast<int>(k),
           "“" + Surface(text_, rate) + "”与决算数、预算数不符：" + r.statement + " ≈ " + buffer + "%");
    }
    // 决算数大于（小于、等于）预算数: against the figures of its sentence or the one before.
    struct Word {
      std::string_view text;
      int sign;
    };
    static constexpr Word kWords[] = {{"大于", 1}, {"高于", 1}, {"多于", 1}, {"超过", 1},
                                      {"小于", -1}, {"低于", -1}, {"少于", -1}, {"等于", 0}};
    for (size_t s = 0; s < report_.sentences.size(); ++s) {
      std::string_view body = report_.sentences[s].span.In(text_);
      size_t at = FindText(body, "决算数");
      if (at == std::string_view::npos) continue;
      std::string_view rest = body.substr(at + std::string_view("决算数").size(), 30);
      const Word* word = nullptr;
      for (const Word& w : kWords) {
        if (rest.substr(0, w.text.size()) == w.text) word = &w;
      }
      if (word == nullptr || FindText(rest, "预算") == std::string_view::npos) continue;
      int sentence = static_cast<int>(s);
      int done = find(sentence, true), budget = find(sentence, false);
      if ((done == -1 || budget == -1) && s > 0 &&
          report_.sentences[s - 1].paragraph == report_.sentences[s].paragraph) {
        sentence = static_cast<int>(s) - 1;
        done = find(sentence, true);
        budget = find(sentence, false);
      }
      if (done < 0 || budget < 0 || !Exact(q_[done]) || !Exact(q_[budget]) || !Comparable(q_[done], q_[budget])) continue;
      int cmp = ToBase(q_[done]).value->Compare(*ToBase(q_[budget]).value);
      bool holds = word->sign == 0 ? cmp == 0 : cmp * word->sign > 0;
      Relation& r = Add("comparison", done, {budget});
      r.statement = "决算 " + Surface(text_, q_[done]) + " " + std::string(word->text) + " 预算 " + Surface(text_, q_[budget]);
      r.status = holds ? RelationStatus::kConsistent : RelationStatus::kInconsistent;
      if (holds) continue;
      r.reason = "决算数与预算数的大小与“" + std::string(word->text) + "”不符";
      Span span{static_cast<uint32_t>(report_.sentences[s].span.begin + at),
                static_cast<uint32_t>(report_.sentences[s].span.begin + at + std::string_view("决算数").size() +
                                      word->text.size())};
      Finding& f = c_.Add(RuleId::kComparisonMismatch, report_index_, span,
                          "写“决算数" + std::string(word->text) + "预算数”，但决算“" + Surface(text_, q_[done]) +
                              "”" + (cmp > 0 ? "大于" : cmp < 0 ? "小于" : "等于") + "预算“" +
                              Surface(text_, q_[budget]) + "”");
      f.related.push_back(c_.Place(q_[done].span, "决算数"));
      f.related.push_back(c_.Place(q_[budget].span, "预算数"));
    }
  }

  // 6家企业……占全市总数（14家）四成以上: a share against its two counts.
  void Shares() {
    for (size_t k = 0; k < q_.size(); ++k) {
      const Quantity& share = q_[k];
      if (share.kind != "percent"sv || share.change != Change::kNone || !share.value) continue;
      const Sentence& sentence = report_.sentences[share.sentence];
      std::string_view before = text_.substr(sentence.span.begin, share.span.begin - sentence.span.begin);
      size_t zhan = before.rfind("占");
      if (zhan == std::string_view::npos) continue;
      uint32_t zhan_at = static_cast<uint32_t>(sentence.span.begin + zhan);
      int den = -1, num = -1;
      for (int j = static_cast<int>(k) - 1; j >= 0 && q_[j].sentence == share.sentence; --j) {
        const Quantity& q = q_[j];
        if (!Additive(q)) continue;
        if (q.span.begin > zhan_at) {
          if (den < 0) den = j;
        } else if (den >= 0 && Comparable(q, q_[den])) {
          num = j;
          break;
        }
      }
      if (den < 0 || num < 0) continue;
      Relation& r = Add("rate", static_cast<int>(k), {num, den});
      r.statement = Surface(text_, share) + " = " + Surface(text_, q_[num]) + " ÷ " + Surface(text_, q_[den]);
      for (int i : {num, den}) {
        if (!Exact(q_[i])) {
          r.status = RelationStatus::kNotCheckable;
          r.reason = "“" + Surface(text_, q_[i]) + "”不是确数";
        }
      }
      if (share.placeholder) r.status = RelationStatus::kNotCheckable;
      if (r.status == RelationStatus::kNotCheckable && !r.reason.empty()) continue;
      if (share.placeholder || q_[den].value->mantissa() == 0) continue;
      std::optional<Decimal> hundred_num = q_[num].value->Times(Decimal::FromInt(100));
      std::optional<Decimal> share_den = share.value->Times(*q_[den].value);
      if (!hundred_num || !share_den) continue;
      int cmp = share_den->Compare(*hundred_num);  // share·den vs 100·num
      bool ok;
      switch (share.approx) {
        case Approximation::kOver: ok = cmp <= 0; break;
        case Approximation::kUnder: ok = cmp >= 0; break;
        case Approximation::kExact:
          ok = RateMatches(*share.value, StatedDecimals(Surface(text_, share)), *q_[num].value, *q_[den].value);
          break;
        default:
          r.status = RelationStatus::kNotCheckable;
          r.reason = "比例是约数";
          continue;
      }
      r.status = ok ? RelationStatus::kConsistent : RelationStatus::kNotCheckable;
      if (!ok) r.reason = "按数量算得的比例与所述不一致，但范围可能不同";
    }
  }

  // 收入达到1000万元，比上年增加100万元，增长11.1%: value, change and
  // percentage agree when 100·change/(value − change) rounds to the
  // percentage, each figure read to the precision it is written in. Without
  // the value (减少56.95万元，下降1.87%) the base the two imply is recorded.
  void Changes() {
    for (size_t k = 0; k < q_.size(); ++k) {
      const Quantity& pct = q_[k];
      if (pct.kind != "percent"sv || pct.change == Change::kNone || !Exact(pct)) continue;
      // The change amount: the nearest figure before it in the sentence with
      // the same direction and an additive unit.
      int amount = -1;
      for (int j = static_cast<int>(k) - 1; j >= 0 && q_[j].sentence == pct.sentence; --j) {
        if (q_[j].kind == "percent"sv) break;
        if (q_[j].change == pct.change && Additive(q_[j])) amount = j;
        break;
      }
      if (amount < 0) continue;
      int value = -1;
      for (int j = amount - 1; j >= 0 && q_[j].sentence == pct.sentence; --j) {
        if (q_[j].change == Change::kNone && Comparable(q_[j], q_[amount]) && q_[j].role != Role::kPart) value = j;
        break;
      }
      const Quantity& a = q_[amount];
      if (!Exact(a)) continue;
      double av = ToBase(a).value->ToDouble();
      double p = pct.value->ToDouble();
      if (value < 0) {
        if (p == 0) continue;
        Relation& r = Add("change", static_cast<int>(k), {amount});
        // The base in the amount's own scale: 56.95万元 at 1.87% → 3045.45万元.
        std::string surface = Surface(text_, a);
        double scale = FindText(surface, "亿") != std::string::npos ? 1e8 : FindText(surface, "万") != std::string::npos ? 1e4 : 1;
        std::string prefix = scale == 1e8 ? "亿" : scale == 1e4 ? "万" : "";
        double base = av * 100.0 / p / scale;
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.2f", base);
        r.statement = surface + "、" + Surface(text_, pct) + " → 基数约 " + buffer + prefix + ToBase(a).unit;
        r.status = RelationStatus::kNotCheckable;
        r.reason = "报告未写出基数";
        continue;
      }
      const Quantity& v = q_[value];
      // 支出0万元，比上年增加12万元: nothing now cannot be more than before.
      if (Exact(v) && Exact(a) && v.value->mantissa() == 0 && pct.change == Change::kIncrease &&
          a.value->mantissa() > 0 && !IsComparisonBase(v)) {
        Relation& r = Add("change", value, {amount, static_cast<int>(k)});
        r.statement = Surface(text_, v) + "，" + Surface(text_, a) + "，" + Surface(text_, pct);
        r.status = RelationStatus::kInconsistent;
        r.reason = "现值为0，却说增加";
        Flag(r, RuleId::kChangeMismatch, amount,
             "“" + Surface(text_, v) + "”为0，却说比上年增加“" + Surface(text_, a) + "”");
        continue;
      }
      // 收入预算29956.27万元，比2025年年初预算数28479.84万元增加1476.43万元，
      // 增长5.18%: the figure after 比 is the base, the one before it the
      // new value.
      if (IsComparisonBase(v)) {
        BaseChange(value, amount, static_cast<int>(k));
        continue;
      }
      Relation& r = Add("change", value, {amount, static_cast<int>(k)});
      r.statement = Surface(text_, v) + "，" + Surface(text_, a) + "，" + Surface(text_, pct);
      if (!AllExact(r)) continue;
      double vv = ToBase(v).value->ToDouble();
      double sign = pct.change == Change::kIncrease ? 1.0 : -1.0;
      if (av == 0 && p == 0) {
        r.status = RelationStatus::kConsistent;
        continue;
      }
      // A new item (比预算数增加97.19万元 of 97.19万元): growth from nothing
      // has no percentage.
      if (std::fabs(vv - sign * av) <= Tolerance(Surface(text_, v), v).ToDouble() + Tolerance(Surface(text_, a), a).ToDouble()) {
        r.status = RelationStatus::kNotCheckable;
        r.reason = "基数为0（新增），增幅无从计算";
        continue;
      }
      // The percentage the figures allow, each at the ends of its rounding.
      double dv = Tolerance(Surface(text_, v), v).ToDouble();
      double da = Tolerance(Surface(text_, a), a).ToDouble();
      double dp = std::pow(10.0, -StatedDecimals(Surface(text_, pct)));
      double lo = 1e300, hi = -1e300;
      for (double x : {vv - dv, vv + dv}) {
        for (double y : {av - da, av + da}) {
          double base = x - sign * y;
          if (base <= 0) continue;
          double q = 100.0 * y / base;
          lo = std::min(lo, q);
          hi = std::max(hi, q);
        }
      }
      if (lo > hi) continue;
      if (p >= lo - dp && p <= hi + dp) {
        r.status = RelationStatus::kConsistent;
        continue;
      }
      r.status = RelationStatus::kInconsistent;
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.2f", 100.0 * av / (vv - sign * av));
      r.reason = std::string("按现值和增减额算得 ") + buffer + "%";
      Flag(r, RuleId::kChangeMismatch, static_cast<int>(k),
           "“" + Surface(text_, pct) + "”与“" + Surface(text_, v) + "”“" + Surface(text_, a) + "”不符，按它们算得 " + buffer + "%");
    }
  }

  // Whether a figure is what another is compared with: 比/较 before it in
  // its clause (比2025年年初预算数28479.84万元, 较上年的120家), not 比重/比例.
  bool IsComparisonBase(const Quantity& q) const {
    std::string_view clause = ClauseBefore(q, false);
    for (std::string_view word : {"比", "较"}) {
      for (size_t at = clause.rfind(word); at != std::string_view::npos;
           at = at == 0 ? std::string_view::npos : clause.rfind(word, at - 1)) {
        std::string_view next = clause.substr(at + word.size(), 3);
        if (next == "重" || next == "例" || next == "率" || next == "较" || next == "好" || next == "大" ||
            next == "快" || next == "高" || next == "低" || next == "为" || next == "强" || next == "多" ||
            next == "少" || next == "差" || next == "小")
          continue;
        return true;
      }
    }
    return false;
  }

  // value (before 比), base (after it), the change and its percentage:
  // value − base = change, and change ÷ base = the percentage.
  void BaseChange(int base, int amount, int pct_index) {
    const Quantity& b = q_[base];
    const Quantity& a = q_[amount];
    const Quantity& pct = q_[pct_index];
    const double sign = pct.change == Change::kIncrease ? 1.0 : -1.0;
    int value = -1;
    for (int j = base - 1; j >= 0 && q_[j].sentence == b.sentence; --j) {
      if (q_[j].change == Change::kNone && Comparable(q_[j], b) && q_[j].role != Role::kPart) value = j;
      break;
    }
    std::vector<int> parts = {amount, pct_index};
    if (value >= 0) parts.insert(parts.begin(), value);
    Relation& r = Add("change", base, parts);
    r.statement = (value >= 0 ? Surface(text_, q_[value]) + " − " : std::string()) + Surface(text_, b) + " = " +
                  (sign < 0 ? "−" : "") + Surface(text_, a) + "，" + Surface(text_, pct);
    if (!AllExact(r)) return;
    double bv = ToBase(b).value->ToDouble(), av = ToBase(a).value->ToDouble(), p = pct.value->ToDouble();
    double db = Tolerance(Surface(text_, b), b).ToDouble(), da = Tolerance(Surface(text_, a), a).ToDouble();
    // The difference first: it needs no division.
    if (value >= 0) {
      const Quantity& v = q_[value];
      double vv = ToBase(v).value->ToDouble(), dv = Tolerance(Surface(text_, v), v).ToDouble();
      if (std::fabs((vv - bv) - sign * av) > dv + db + da + 1e-9) {
        r.status = RelationStatus::kInconsistent;
        std::optional<Decimal> diff = ToBase(v).value->Plus(Negated(*ToBase(b).value));
        if (diff && diff->mantissa() < 0) diff = Negated(*diff);
        const std::string shown = diff ? InNotationOf(text_, *diff, a, ToBase(a).unit) : "?";
        r.reason = "两数之差不等于所说的增减额";
        Flag(r, RuleId::kChangeMismatch, amount,
             "“" + Surface(text_, v) + "”与“" + Surface(text_, b) + "”相差 " + shown + "，不是“" +
                 Surface(text_, a) + "”");
        return;
      }
    }
    if (bv <= db) {
      r.status = RelationStatus::kNotCheckable;
      r.reason = "基数为0（新增），增幅无从计算";
      return;
    }
    double dp = std::pow(10.0, -StatedDecimals(Surface(text_, pct)));
    double lo = 100.0 * std::max(0.0, av - da) / (bv + db), hi = 100.0 * (av + da) / std::max(bv - db, 1e-300);
    if (p >= lo - dp && p <= hi + dp) {
      r.status = RelationStatus::kConsistent;
      return;
    }
    r.status = RelationStatus::kInconsistent;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.2f", 100.0 * av / bv);
    r.reason = std::string("按增减额和基数算得 ") + buffer + "%";
    Flag(r, RuleId::kChangeMismatch, pct_index,
         "“" + Surface(text_, pct) + "”与“" + Surface(text_, a) + "”“" + Surface(text_, b) + "”不符，按它们算得 " +
             buffer + "%");
  }

  // The text of q's clause up to q, and of the clause before it too when
  // `with_previous`.
  std::string_view ClauseBefore(const Quantity& q, bool with_previous) const {
    const uint32_t floor = report_.sentences[q.sentence].span.begin;
    uint32_t start = q.span.begin;
    for (int clauses = with_previous ? 2 : 1; clauses > 0; --clauses) {
      while (start > floor) {
        size_t b = start;
        if (IsClauseBreak(utf8::Prev(text_.substr(0, start), &b))) break;
        start = static_cast<uint32_t>(b);
      }
      if (clauses > 1 && start > floor) {
        size_t b = start;
        utf8::Prev(text_.substr(0, start), &b);  // the break itself
        start = static_cast<uint32_t>(b);
      }
    }
    return text_.substr(start, q.span.begin - start);
  }

  // 超额完成…完成率95%, 未完成…完成率100%, 持平…增长5%: words against figures.
  void Comparisons() {
    for (size_t k = 0; k < q_.size(); ++k) {
      const Quantity& q = q_[k];
      if (q.kind != "percent"sv || !Exact(q)) continue;
      std::string measured = SpanText(text_, q.measured);
      std::string problem;
      if (FindText(measured, "完成率") != std::string::npos && q.change == Change::kNone) {
        // The words must be about this rate: in its clause, or in the clause
        // before when the rate names nothing else (超额完成全年任务，完成率为95%).
        // 超额完成参保任务，城乡居民参保完成率76.8% speaks of two things.
        std::string_view scope = ClauseBefore(q, measured == "完成率");
        bool over = FindText(scope, "超额完成") != std::string_view::npos;
        bool under = FindText(scope, "未完成") != std::string_view::npos || FindText(scope, "未能完成") != std::string_view::npos;
        if (over && q.value->Compare(Decimal::FromInt(100)) < 0) problem = "写了“超额完成”，完成率却不足100%";
        if (under && !over && q.value->Compare(Decimal::FromInt(100)) >= 0) problem = "写了“未完成”，完成率却达到100%";
      }
      if (q.change != Change::kNone && q.value->mantissa() != 0) {
        // 持平 in the clause of a change figure, or in the clause before when
        // the figure names nothing of its own (…与上年持平，增长3%).
        bool flat = FindText(ClauseBefore(q, q.measured.empty()), "持平") != std::string_view::npos;
        if (flat) problem = "写了“持平”，却有增减幅度";
      }
      if (problem.empty()) continue;
      Relation& r = Add("comparison", static_cast<int>(k), {});
      r.statement = measured + Surface(text_, q);
      r.status = RelationStatus::kInconsistent;
      r.reason = problem;
      Flag(r, RuleId::kComparisonMismatch, static_cast<int>(k), "“" + measured + Surface(text_, q) + "”：" + problem);
    }
  }

  // The kind and year of the section a figure sits in, as one number
  // (kind × 10000 + year), 0 outside sections.
  int SectionYear(const Quantity& q) const {
    for (const Section& s : report_.sections) {
      if (q.line >= s.first_line && q.line <= s.last_line) {
        bool plan = s.kind == SectionKind::kPlan;
        return (plan ? 2 : 1) * 10000 + s.year;
      }
    }
    return 0;
  }

  // 出生人数1200人，少于死亡人数1300人: a comparison word between two figures
  // of one unit in a sentence. 大于/小于/多于/少于/等于 are exact claims;
  // 高于/低于 between percentages may mean a difference (高于全市2%), so
  // they only ever confirm.
  void ExplicitComparisons() {
    struct Word {
      std::string_view text;
      int sign;     // +1: first > second, -1: first < second, 0: equal
      bool strict;  // an error when it does not hold
    };
    static constexpr Word kWords[] = {{"大于", 1, true}, {"多于", 1, true}, {"小于", -1, true}, {"少于", -1, true},
                                      {"等于", 0, true}, {"高于", 1, false}, {"低于", -1, false}};
    for (size_t k = 1; k < q_.size(); ++k) {
      const Quantity& second = q_[k];
      const Quantity& first = q_[k - 1];
      if (first.sentence != second.sentence || !Exact(first) || !Exact(second)) continue;
      if (first.unit != second.unit || first.kind != second.kind || second.unit == "个百分点"sv) continue;
      // The word: between the two figures, in one clause, at most 8 characters before the second.
      std::string_view between = text_.substr(first.span.end, second.span.begin - first.span.end);
      if (utf8::CountCodePoints(between) > 12) continue;
      bool clause_break = false;
      for (size_t i = 0; i < between.size();) {
        char32_t cp = utf8::Next(between, &i);
        clause_break |= cp == U'。' || cp == U'；' || cp == ';';
      }
      if (clause_break) continue;
      // Cells of a table row are no clauses of one sentence.
      if (between.find('\t') != std::string_view::npos) continue;
      const Word* word = nullptr;
      for (const Word& w : kWords) {
        if (between.find(w.text) != std::string_view::npos) {
          word = &w;
          break;
        }
      }
      if (word == nullptr) continue;
      // 实施周期指标值：大于90%，年度指标值：大于90%: a word right before the
      // second figure bounds it, it compares nothing with the first.
      {
        std::string_view tail = between;
        while (!tail.empty() && (tail.back() == ' ' || tail.back() == '\t')) tail.remove_suffix(1);
        if (tail.size() >= word->text.size() && tail.substr(tail.size() - word->text.size()) == word->text)
          continue;
      }
      int cmp = ToBase(first).value->Compare(*ToBase(second).value);
      bool holds = word->sign == 0 ? cmp == 0 : cmp * word->sign > 0;
      Relation& r = Add("comparison", static_cast<int>(k - 1), {static_cast<int>(k)});
      r.statement = Surface(text_, first) + " " + std::string(word->text) + " " + Surface(text_, second);
      if (holds) {
        r.status = RelationStatus::kConsistent;
      } else if (!word->strict || first.change != Change::kNone || second.change != Change::kNone) {
        r.status = RelationStatus::kNotCheckable;
        r.reason = "“" + std::string(word->text) + "”可能说的是差额";
      } else {
        r.status = RelationStatus::kInconsistent;
        r.reason = "数字与“" + std::string(word->text) + "”不符";
        Flag(r, RuleId::kComparisonMismatch, static_cast<int>(k),
             "“" + Surface(text_, first) + "”并不" + std::string(word->text) + "“" + Surface(text_, second) + "”");
      }
    }
  }

  // Why a closed list and its count cannot be compared, or nullptr:
  //   梁格庄、紫荆关3座          one more than listed: one may go unnamed
  //   …分别达到3家和7家          a figure of 分别, not a count of the list
  //   申请3所…、争创3所…         items holding counts are statements
  //   A、B资源达3个              the count is what the items amount to
  //   京津冀铁人三项赛           a name holding a numeral (data: not_list_count)
  const char* NotAListCount(const Enumeration& en) const {
    if (en.count->Compare(Decimal::FromInt(static_cast<int64_t>(en.items.size()) + 1)) == 0) {
      return "只比列出的多一项，可能有一项未列名";
    }
    // The list, its count and the noun after it (残疾人两项补贴).
    Span whole{en.items.front().begin, en.quantity >= 0 ? q_[en.quantity].span.end : en.span.end};
    std::string_view around = text_.substr(whole.begin, whole.end - whole.begin + 12);
    for (const std::string& word : c_.Terms("not_list_count")) {
      if (around.find(word) != std::string_view::npos) return "数字属于名称";
    }
    for (const Span& item : en.items) {
      std::string_view t = item.In(text_);
      if (FindText(t, "分别") != std::string_view::npos) return "“分别”后的数字不是列举的个数";
      for (size_t i = 0; i < t.size();) {
        char32_t cp = utf8::Next(t, &i);
        bool numeral =
            (cp >= '0' && cp <= '9') || (IsChineseNumeral(cp) && cp != U'零' && cp != U'〇');
        if (!numeral || i >= t.size()) continue;
        size_t k = i;
        char32_t next = utf8::Next(t, &k);
        if ((cp >= '0' && cp <= '9') ||
            std::u32string_view(U"个对项条大张件类批种化年所家座处").find(next) !=
                std::u32string_view::npos) {
          return "列举项中有数量，是分句而非名称";
        }
      }
    }
    if (EndsWithTerm(en.items.back().In(text_), "list_predicate")) return "数字是各项合计的数量";
    return nullptr;
  }

  // Whether `text` ends in a word of `role` (data/check_words.tsv).
  bool EndsWithTerm(std::string_view text, std::string_view role) const {
    for (const std::string& word : c_.Terms(role)) {
      if (text.size() >= word.size() && text.substr(text.size() - word.size()) == word) return true;
    }
    return false;
  }

  // Whether the count matches the list read another way: 和/及 inside items
  // (电力及新能源高端装备、汽车及零部件两个: two pieces at 、), or the count
  // of the list after the last 和 (京雄高速、荣乌新线和容易、安大两条).
  bool CountsOtherPieces(const Enumeration& en) const {
    Span whole{en.items.front().begin, en.items.back().end};
    std::string_view list = whole.In(text_);
    int64_t pieces = 1, after_joiner = 1;
    bool joined = false;
    for (size_t i = 0; i < list.size();) {
      size_t at = i;
      char32_t cp = utf8::Next(list, &i);
      if (cp == U'、') {
        ++pieces;
        ++after_joiner;
      } else if (cp == U'和' || cp == U'及' || cp == U'与') {
        // Only 和 opens a list of its own (京雄高速、荣乌新线和容易、安大两条);
        // 及/与 join words inside an item (汽车及零部件).
        if (cp == U'和') {
          joined = at > 0;
          after_joiner = 1;
        }
      }
    }
    if (en.open) return en.count->Compare(Decimal::FromInt(pieces)) >= 0;
    if (en.count->Compare(Decimal::FromInt(pieces)) == 0) return true;
    return joined && after_joiner >= 2 && en.count->Compare(Decimal::FromInt(after_joiner)) == 0;
  }

  // A count against the items it lists.
  void Enumerations() {
    for (size_t e = 0; e < facts_.enumerations.size(); ++e) {
      const Enumeration& en = facts_.enumerations[e];
      if (en.each || en.items.empty()) continue;
      // 每一点进步、每一处变化: a count of one lists nothing.
      if (en.count && en.count->Compare(Decimal::FromInt(2)) < 0) continue;
      Relation r;
      r.family = "enumeration";
      r.enumeration = static_cast<int>(e);
      r.whole = en.quantity;
      r.line = en.line;
      std::string count_text = en.quantity >= 0 ? Surface(text_, q_[en.quantity]) : (en.count ? en.count->ToString() : "?");
      r.statement = count_text + (en.open ? " ≥ " : " = ") + std::to_string(en.items.size()) + " 项";
      if (!en.count) {
        r.status = RelationStatus::kNotCheckable;
        r.reason = "个数是占位符";
        out_.push_back(std::move(r));
        continue;
      }
      Decimal listed = Decimal::FromInt(static_cast<int64_t>(en.items.size()));
      int cmp = listed.Compare(*en.count);
      bool ok = en.open ? cmp <= 0 : cmp == 0;
      if (!ok && en.open) {
        // 美丽乡村与民俗旅游等6条: 与 inside an item does not split it.
        ok = CountsOtherPieces(en);
      } else if (!ok) {
        if (const char* why = NotAListCount(en)) {
          r.status = RelationStatus::kNotCheckable;
          r.reason = why;
          out_.push_back(std::move(r));
          continue;
        }
        ok = CountsOtherPieces(en);
      }
      r.status = ok ? RelationStatus::kConsistent : RelationStatus::kInconsistent;
      if (!ok) {
        r.reason = "列出 " + std::to_string(en.items.size()) + " 项";
        out_.push_back(r);
        Finding& f = c_.Add(RuleId::kEnumerationCount, report_index_, en.span,
                            "说是“" + count_text + "”，却列出了 " + std::to_string(en.items.size()) + " 项" +
                                (en.open ? "（有“等”，列出的不应多于所说个数）" : ""));
        (void)f;
        continue;
      }
      out_.push_back(std::move(r));
    }
  }

  // Lists the figures stage does not pair with their count, because the
  // count says more than it lists or is a term (三大产业):
  //   府河、清真寺、西大园五大片区   N大 right after a list names exactly N
  //   孝义河、潴龙河、小白河5条河流   a count two or more above a list of
  //                                   names of one kind (all ending in the
  //                                   character the counted noun holds)
  //   大广、津石4条高速               or before its noun, close above the list
  // Without 等 only; 等 makes the list a sample.
  void ListsAboveTheirCount() {
    std::unordered_set<int> paired;
    for (const Enumeration& en : facts_.enumerations) paired.insert(en.quantity);
    for (const Sentence& sentence : report_.sentences) {
      std::string_view body = sentence.span.In(text_);
      if (FindText(body, "、") == std::string_view::npos) continue;
      // 三大 / 五大 / 4大: a numeral of two to ten, then 大 (not 二十大); each
      // 大 is found, then the numeral before it (a digit run from its start).
      static constexpr std::string_view kBig = "大";
      for (size_t big = FindText(body, kBig); big != std::string_view::npos;
           big = FindText(body, kBig, big + kBig.size())) {
        size_t at = big;
        char32_t cp = big == 0 ? 0 : utf8::Prev(body.substr(0, big), &at);
        const bool digit = cp >= '0' && cp <= '9';
        if (!IsChineseNumeral(cp) && !digit) continue;
        int64_t n = digit ? 0 : ChineseNumeralValue(cp);
        if (digit) {
          while (at > 0 && body[at - 1] >= '0' && body[at - 1] <= '9') --at;
          // Only 2–10 matter: stop adding digits once the number is larger (no overflow).
          n = body[at] - '0';
          for (size_t k = at + 1; k < big; ++k) {
            if (n <= 10) n = n * 10 + (body[k] - '0');
          }
        }
        if (at == 0) continue;
        size_t after = big + kBig.size(), before = at;
        if (n < 2 || n > 10) continue;
        // Not 二十大 or 1.5大, and not a quoted term of its own (抓好“三大行动”).
        char32_t previous = utf8::Prev(body.substr(0, at), &before);
        if (IsChineseNumeral(previous) || previous == U'“' || previous == '.' || (previous >= '0' && previous <= '9'))
          continue;
        std::vector<std::string_view> items = ListEndingAt(body, at);
        if (items.size() < 2) continue;
        // 蔬菜、畜牧和林果三大: a 和/及/与 in the last item may join two.
        int64_t joins = 0;
        for (std::string_view joiner : {"和", "及", "与"}) {
          for (size_t j = items.back().find(joiner); j != std::string_view::npos;
               j = items.back().find(joiner, j + joiner.size())) {
            ++joins;
          }
        }
        int64_t listed = static_cast<int64_t>(items.size());
        if (n >= listed && n <= listed + joins) continue;
        Span span{static_cast<uint32_t>(sentence.span.begin + (items.front().data() - body.data())),
                  static_cast<uint32_t>(sentence.span.begin + after)};
        AddListFinding(span,
                       SpanText(text_, Span{static_cast<uint32_t>(sentence.span.begin + at),
                                            static_cast<uint32_t>(sentence.span.begin + after)}),
                       items.size(), -1);
      }
    }
    for (size_t k = 0; k < q_.size(); ++k) {
      const Quantity& q = q_[k];
      if (paired.count(static_cast<int>(k)) || !Exact(q) || q.kind != "count"sv || q.sentence < 0)
        continue;
      const Sentence& sentence = report_.sentences[q.sentence];
      if (q.span.begin <= sentence.span.begin) continue;
      std::string_view body = sentence.span.In(text_);
      std::vector<std::string_view> items = ListEndingAt(body, q.span.begin - sentence.span.begin);
      if (items.size() < 2 ||
          q.value->Compare(Decimal::FromInt(static_cast<int64_t>(items.size()) + 2)) < 0)
        continue;
      // The counted noun right after the figure holds the last character
      // every item ends in: 孝义河、潴龙河、小白河 … 河流.
      std::string_view noun =
          text_.substr(q.span.end, std::min<size_t>(12, text_.size() - q.span.end));
      size_t last = items.front().size();
      utf8::Prev(items.front(), &last);
      std::string_view tail = items.front().substr(last);
      bool one_kind = noun.find(tail) != std::string_view::npos;
      for (std::string_view item : items)
        one_kind &= item.size() >= tail.size() && item.substr(item.size() - tail.size()) == tail;
      // Or the count stands before the noun it counts and at most twice the
      // items (程委镇、南小王镇4所卫生院, 大广、津石4条高速): a list that
      // names each thing it counts, with a slip. Far above the list the
      // count is of things inside the items (东区、西区20个小区); a count
      // after its noun (省、市重点项目35个) says what the items amount to.
      // The items must look alike: a last item longer than the others by
      // more than two characters is a clause (广州、深圳援助梅州建设4个小镇).
      size_t others = 0;
      for (size_t n = 0; n + 1 < items.size(); ++n) others = std::max(others, utf8::CountCodePoints(items[n]));
      const bool names_its_things =
          NounAfter(q) && utf8::CountCodePoints(items.back()) <= others + 2 &&
          q.value->Compare(Decimal::FromInt(2 * static_cast<int64_t>(items.size()))) <= 0;
      if (!one_kind && !names_its_things) continue;
      // 涞源湖公园和11处街头游园: after 和 the count opens an item of its own;
      // 达/为 before it: the count is what the items amount to.
      if (EndsWithTerm(items.back(), "list_predicate") || EndsWithTerm(items.back(), "list_joiner")) continue;
      Span span{static_cast<uint32_t>(sentence.span.begin + (items.front().data() - body.data())),
                q.span.end};
      AddListFinding(span, Surface(text_, q), items.size(), static_cast<int>(k));
    }
  }

  // The items of a list of names that ends at `end` of a sentence: split at
  // 、 back to the clause start; the first item is cut to the length of its
  // siblings (it carries the words that open the list). 文化和旅游 stays one
  // item. Empty when a 等 closes it or an item is longer than a name.
  static std::vector<std::string_view> ListEndingAt(std::string_view body, size_t end) {
    std::vector<std::string_view> items;
    size_t start = end;
    while (start > 0) {
      size_t p = start;
      char32_t cp = utf8::Prev(body.substr(0, start), &p);
      // Quotes stay inside an item: “水上画乡”品牌提升.
      if (cp != U'、' && cp != U'“' && cp != U'”' && IsItemBreak(cp)) break;
      start = p;
    }
    std::string_view list = body.substr(start, end - start);
    if (list.size() >= 3 && list.substr(list.size() - 3) == "等") return {};
    for (size_t from = 0;;) {
      size_t cut = FindText(list, "、", from);
      items.push_back(
          list.substr(from, cut == std::string_view::npos ? std::string_view::npos : cut - from));
      if (cut == std::string_view::npos) break;
      from = cut + std::string_view("、").size();
    }
    if (items.size() < 2) return {};
    size_t longest = 0;
    for (size_t k = 1; k < items.size(); ++k)
      longest = std::max(longest, utf8::CountCodePoints(items[k]));
    if (longest < 2 || longest > 8) return {};
    std::string_view& first = items.front();
    size_t chars = utf8::CountCodePoints(first);
    if (chars < 1) return {};
    if (chars > longest) {
      size_t pos = first.size();
      for (size_t n = 0; n < longest; ++n) utf8::Prev(first, &pos);
      first = first.substr(pos);
    }
    for (std::string_view item : items) {
      if (item.empty() || FindText(item, "等") != std::string_view::npos) return {};
      // Names are Chinese words (quoted or not) without numerals: 锚定一个
      // 目标、把握三对关系 are tasks, not names.
      for (size_t i = 0; i < item.size();) {
        char32_t cp = utf8::Next(item, &i);
        if (cp == U'“' || cp == U'”') continue;
        if (cp < 0x4E00 || cp > 0x9FFF) return {};
        if (IsChineseNumeral(cp) && cp != U'零' && cp != U'〇' && i < item.size()) {
          size_t k = i;
          char32_t next = utf8::Next(item, &k);
          if (std::u32string_view(U"个对项条大张件类批种化").find(next) !=
              std::u32string_view::npos)
            return {};
        }
      }
    }
    return items;
  }

  void AddListFinding(Span span, const std::string& count_text, size_t listed, int quantity) {
    if (!list_findings_.insert(span.begin).second) return;  // sentences may overlap
    Relation r;
    r.family = "enumeration";
    r.whole = quantity;
    r.line = c_.source.Locate(span.begin).line;
    r.statement = count_text + " = " + std::to_string(listed) + " 项";
    r.status = RelationStatus::kInconsistent;
    r.reason = "列出 " + std::to_string(listed) + " 项";
    out_.push_back(std::move(r));
    c_.Add(RuleId::kEnumerationCount, report_index_, span,
           "说是“" + count_text + "”，却列出了 " + std::to_string(listed) + " 项");
  }

  // The same thing stated twice with different values, recognised by an
  // anchor: 完成14个老旧小区改造，共计改造24栋楼 … 14个小区共22栋楼 — the
  // same count (14个, of 小区) followed by different counts of the same unit
  // and phrase (栋, 楼).
  void Contradictions() {
    std::unordered_set<int> enumeration_counts;
    for (const Enumeration& en : facts_.enumerations) enumeration_counts.insert(en.quantity);
    auto overlaps = [&](const Quantity& a, const Quantity& b) {
      std::string ma = SpanText(text_, a.measured), mb = SpanText(text_, b.measured);
      if (utf8::CountCodePoints(ma) < 2 || utf8::CountCodePoints(mb) < 2) return false;
      return ma.find(mb) != std::string::npos || mb.find(ma) != std::string::npos;
    };
    // A figure that may take part, with the anchor before it in its
    // sentence: both exact, the anchor a count of two or more things that is
    // neither a list's count nor the figure's sibling in a 、 list. (Counted
    // one by one: 二级项目 names a grade, not two of something; amounts of
    // money coincide by chance, 全年预算数390万元 in two projects.)
    auto candidate = [&](size_t i) {
      const Quantity& a = q_[i];
      const Quantity& anchor = q_[i - 1];
      if (anchor.sentence != a.sentence || !Exact(a) || !Exact(anchor) || a.measured.empty()) return false;
      if (anchor.kind != "count"sv || anchor.unit == "级"sv || anchor.value->Compare(Decimal::FromInt(2)) < 0) return false;
      if (enumeration_counts.count(static_cast<int>(i - 1))) return false;
      return FindText(text_.substr(anchor.span.end, a.span.begin - anchor.span.end), "、") == std::string_view::npos;
    };
    // Pairs must agree on the figure's measured phrase and unit and on the
    // anchor's unit and value: hashed on those, only figures of one bucket
    // are compared, in the order of the text (linear in the report's length
    // but for repeated statements).
    std::unordered_map<std::string, std::vector<size_t>> buckets;
    std::vector<std::pair<size_t, std::string>> keyed;
    for (size_t i = 1; i < q_.size(); ++i) {
      if (!candidate(i)) continue;
      const Quantity& a = q_[i];
      const Quantity& anchor = q_[i - 1];
      std::string key = SpanText(text_, a.measured);
      key += '\t';
      key += a.unit;
      key += '\t';
      key += anchor.unit;
      key += '\t';
      key += anchor.value->ToString();
      buckets[key].push_back(i);
      keyed.emplace_back(i, std::move(key));
    }
    for (const auto& [i, key] : keyed) {
      const Quantity& a = q_[i];
      const Quantity& anchor_a = q_[i - 1];
      if (!Additive(a)) continue;
      const std::vector<size_t>& bucket = buckets[key];
      for (auto it = std::upper_bound(bucket.begin(), bucket.end(), i + 1); it != bucket.end(); ++it) {
        size_t j = *it;
        const Quantity& b = q_[j];
        const Quantity& anchor_b = q_[j - 1];
        if (b.sentence == a.sentence || a.value->Compare(*b.value) == 0) continue;
        if (!overlaps(anchor_a, anchor_b)) continue;
        // Different stated periods are different things, and so are a review
        // and a plan (打通53条断头路 in 2025, 50条 planned for 2026).
        if (a.time >= 0 && b.time >= 0 && facts_.times[a.time].end != facts_.times[b.time].end) continue;
        if (SectionYear(a) != SectionYear(b)) continue;
        Relation& r = Add("contradiction", static_cast<int>(i), {static_cast<int>(j)});
        r.statement = Surface(text_, anchor_a) + SpanText(text_, anchor_a.measured) + "：" + Surface(text_, a) + " ≠ " +
                      Surface(text_, b);
        r.status = RelationStatus::kInconsistent;
        r.reason = "同一事项前后数字不一";
        Flag(r, RuleId::kContradiction, static_cast<int>(j),
               "同一事项（" + Surface(text_, anchor_b) + SpanText(text_, anchor_b.measured) + "）前面说“" +
                   Surface(text_, a) + SpanText(text_, a.measured) + "”，这里说“" + Surface(text_, b) +
                   SpanText(text_, b.measured) + "”");
      }
    }
  }

  // The stated period of a figure, "" when none or the whole year of its
  // section (全年 in the review of that year says nothing more).
  std::string Period(const Quantity& q) const {
    if (q.time < 0) return "";
    const TimeExpr& t = facts_.times[q.time];
    int year = SectionYear(q) % 10000;
    // 年内完成 (by the end of the year) and 全年 both speak of the whole year.
    if (year > 0 && (t.begin == std::to_string(year) + "-01-01" || (t.begin.empty() && t.kind == TimeKind::kDeadline)) &&
        t.end == std::to_string(year) + "-12-31")
      return "";
    return t.begin + "/" + t.end;
  }

  // The side of the report a figure lies in: the kind and year of its
  // section (the review of 2013, the plan of 2014 — a plan's 八、 and 九、 are
  // one side); when the outline found fewer than two sections (a plan read
  // as more of the review), its heading of depth two (（五）坚持以人为本…).
  // A review and a plan of the same things are different sides.
  int SectionOf(const Quantity& q) const {
    if (report_.sections.size() >= 2) return SectionYear(q);
    int part = -1;
    for (size_t h = 0; h < report_.headings.size(); ++h) {
      const Heading& heading = report_.headings[h];
      if (heading.depth <= 2 && q.line >= heading.line && q.line <= heading.last_line)
        part = static_cast<int>(h);
    }
    return part;
  }

  // What a count counts: the noun right after it (新建60个三级名中医工作室 →
  // 三级名中医工作室, whatever verb precedes), else its measured phrase
  // (老旧小区73个 → 老旧小区).
  std::string ThingOf(const Quantity& q) const {
    std::string noun = NounAfterText(q);
    if (utf8::CountCodePoints(noun) >= 2) return noun;
    return SpanText(text_, q.measured);
  }
  bool NounAfter(const Quantity& q) const { return utf8::CountCodePoints(NounAfterText(q)) >= 2; }
  std::string NounAfterText(const Quantity& q) const {
    size_t pos = q.span.end;
    std::string noun;
    for (int n = 0; n < 12 && pos < text_.size(); ++n) {
      size_t at = pos;
      char32_t cp = utf8::Next(text_, &pos);
      if (cp < 0x4E00 || cp > 0x9FFF) break;
      noun.append(text_.substr(at, pos - at));
    }
    return noun;
  }

  // Whether b may restate a with a slip rather than count something else
  // under the same words: both cumulative (累计) or neither, and the values
  // near each other (within 3, or the larger at most 1.5 times the smaller) —
  // 改造老旧小区72个 in a district and 401个 in the city are other scopes.
  bool RestatementOf(const Quantity& a, const Quantity& b) const {
    auto cumulative = [&](const Quantity& q) {
      if (q.sentence < 0) return false;
      return JoinedHolds(text_, report_.sentences[q.sentence].span, "累计");
    };
    if (cumulative(a) != cumulative(b)) return false;
    double x = a.value->ToDouble(), y = b.value->ToDouble();
    double low = std::min(x, y), high = std::max(x, y);
    return high - low <= 3 || high <= low * 1.5;
  }

  // The same measured thing stated twice with different counts: 建成8个省级
  // 示范园区 … 全省9个省级示范园区. Figures are hashed by (measured phrase,
  // unit, period, side: review or plan); a later figure of a key met before
  // with another value contradicts it. Only specific phrases (four
  // characters or more) of exact counts take part, outside 其中 breakdowns.
  void RestatedFigures() {
    // Buckets by the first four characters of the thing; within a bucket the
    // things must be equal or one a prefix of the other (省级示范园区 …
    // 省级示范园区带动就业).
    std::unordered_map<std::string, std::vector<int>> buckets;
    std::unordered_set<int> enumeration_counts;
    for (const Enumeration& en : facts_.enumerations) enumeration_counts.insert(en.quantity);
    // The thing each bucketed figure counts and whether a noun follows it,
    // worked out once (a bucket is walked for every later figure of it).
    std::unordered_map<int, std::pair<std::string, bool>> things;
    for (size_t j = 0; j < q_.size(); ++j) {
      const Quantity& b = q_[j];
      if (!Exact(b) || b.kind != "count"sv) continue;
      if (b.role == Role::kRemainder) continue;
      if (b.value->Compare(Decimal::FromInt(2)) < 0) continue;
      // 次 counts sessions (十九届三次全会 … 九次全会), not amounts; the
      // count of a list (甲、乙等29个项目) is scoped by its items.
      if (b.unit == "次"sv || enumeration_counts.count(static_cast<int>(j))) continue;
      std::string thing = ThingOf(b);
      if (utf8::CountCodePoints(thing) < 4) continue;
      // 六个方面工作: a count of the report's own parts (data: text_part).
      bool text_part = false;
      for (const std::string& word : c_.Terms("text_part")) text_part |= thing.starts_with(word);
      if (text_part) continue;
      size_t prefix = 0;
      for (int n = 0; n < 4; ++n) utf8::Next(thing, &prefix);
      std::string key = thing.substr(0, prefix) + "\t" + b.unit + "\t" + Period(b) + "\t" +
                        std::to_string(SectionOf(b));
      std::vector<int>& bucket = buckets[key];
      bool noun_after_b = NounAfter(b);
      for (int i : bucket) {
        const Quantity& a = q_[i];
        const auto& [earlier, noun_after_a] = things.at(i);
        // A measured phrase before the figure ends in its head noun: only
        // equal phrases name the same thing (规上工业企业数字化改造 is not
        // 规上工业企业).
        bool prefix_ok = noun_after_a && noun_after_b;
        bool same =
            earlier == thing || (prefix_ok && (earlier.size() < thing.size()
                                                   ? thing.compare(0, earlier.size(), earlier) == 0
                                                   : earlier.compare(0, thing.size(), thing) == 0));
        if (!same || a.sentence == b.sentence || a.value->Compare(*b.value) == 0 ||
            !RestatementOf(a, b))
          continue;
        const std::string& shorter = earlier.size() <= thing.size() ? earlier : thing;
        Relation& r = Add("contradiction", i, {static_cast<int>(j)});
        r.statement = shorter + "：" + Surface(text_, a) + " ≠ " + Surface(text_, b);
        r.status = RelationStatus::kInconsistent;
        r.reason = "同一事项前后数字不一";
        Flag(r, RuleId::kContradiction, static_cast<int>(j),
             "同一事项“" + shorter + "”前面说“" + Surface(text_, a) + "”，这里说“" +
                 Surface(text_, b) + "”");
        break;
      }
      bucket.push_back(static_cast<int>(j));
      things.try_emplace(static_cast<int>(j), std::move(thing), noun_after_b);
    }
  }

  std::unordered_set<uint32_t> list_findings_;
  CheckContext& c_;
  int report_index_;
  const Report& report_;
  const ReportFacts& facts_;
  const std::vector<Quantity>& q_;
  std::string_view text_;
  std::vector<Relation>& out_;
};

}  // namespace

void CheckRelations(CheckContext& c) {
  for (size_t r = 0; r < c.outline.reports.size(); ++r) ReportRelations(c, static_cast<int>(r)).Run();
}

}  // namespace taizhang::check_internal
