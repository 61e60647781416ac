// Stage 6 — compare: a plan for year N against the report that reviews
// year N (对标对表), and one measured thing across units.
//
//   taizhang::CompareOptions options;
//   std::vector<taizhang::Target> targets =
//       taizhang::PlanTargets(plan_source, plan_report, plan_facts, options, &year);
//   taizhang::Comparison c = taizhang::Compare(targets, year, result_source,
//                                              result_report, result_facts, options);
//   for (const taizhang::TargetOutcome& o : c.outcomes) ... o.verdict, o.evidence
//
// Targets come from a government work report's 主要预期目标 sentence (one per
// clause: 地区生产总值增长5%左右, 城镇调查失业率控制在5%以内, 居民收入增长与
// 经济增长同步, 粮食产量保持稳定), from the plan items of a plan section, or
// from ledger items. Each is matched to the result report's statements about
// year N: a numeric target to the figure whose context names the same
// measured thing (character-bigram coverage, synonyms in data/compare_words.tsv)
// with a compatible unit, change and period; a task to the clause that names
// it, judged by its wording (完成 建成 推进中 尚未 …). Every verdict carries
// the sentence, the phrase and the score that decided it, and a reason in
// Chinese that states the rule and tolerance used. No evidence, no verdict:
// a target nobody reports on is 未报告 / 未提及.
//
// Offsets and lines refer to the SourceText of their side (plan or result).
#ifndef TAIZHANG_COMPARE_COMPARE_H_
#define TAIZHANG_COMPARE_COMPARE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "ledger/ledger.h"
#include "outline/outline.h"

namespace taizhang {

enum class Verdict : uint8_t {
  kExceeded,      // numeric: beyond the target's band in the good direction
  kMet,           // numeric: within the band (or at/under a ceiling)
  kMissed,        // numeric: short of the band / over the ceiling; task: 尚未/未能 …
  kNotReported,   // numeric: no figure for year N (a mention without one is shown)
  kDone,          // task: 完成 建成 开工 …
  kInProgress,    // task: 推进中 正在 基本完成 …
  kNotMentioned,  // task: no statement names it
  kUnclear,       // a statement exists but decides nothing (its wording, or a bound
                  // such as 超14% that cannot settle the target)
};
const char* VerdictName(Verdict v);   // "exceeded" "met" … for JSON
const char* VerdictLabel(Verdict v);  // 超过目标 达到目标 未达目标 未报告 已完成 推进中 未提及 无法判定

// Which way is good for a numeric target.
enum class Direction : uint8_t {
  kHigher,   // growth, amounts, counts, 以上: more is better
  kCeiling,  // 以内 以下 不超过, and 左右 targets of ceiling terms (居民消费价格, 失业率):
             // at or under the ceiling meets it; no "exceeded"
};
const char* DirectionName(Direction d);  // "higher" "ceiling"

// How close 左右 must be. For percent targets the band is ± points (百分点);
// for other units ± a fraction of the target.
struct Tolerance {
  Decimal about_points = Decimal(2, -1);     // 0.2 个百分点
  Decimal about_relative = Decimal(2, -2);   // 2%
};

// A figure as the verdict rules see it. `value` is signed for changes:
// 下降2% as a change is -2 when compared with a growth, but a target 能耗下降2%
// is stated as a decrease and judged on the size of the decrease.
struct Figure {
  Decimal value;
  std::optional<Decimal> high;  // ranges: 5-5.5%
  std::string unit;             // canonical unit (% 个百分点 元 个 …)
  Approximation approx = Approximation::kExact;
  Change change = Change::kNone;
};

struct Judgement {
  Verdict verdict = Verdict::kUnclear;
  std::string reason;  // Chinese: the comparison, the band and the rule used
};

// Whether `result` can be compared with `target` at all: same unit (percent
// and 个百分点 differ; 人/名 and other count classifiers are kept apart), a
// change against a change and a level against a level. `why` (Chinese) says
// what differs.
bool FiguresComparable(const Figure& target, const Figure& result, std::string* why);

// The verdict rules for one comparable pair (docs/compare.md, “数字目标的判定”).
Judgement JudgeFigure(const Figure& target, Direction direction, const Figure& result,
                      const Tolerance& tolerance);

// 居民收入增长与经济增长同步: `a` (the first) is judged against `b`;
// a ≥ b − tolerance (percentage points) meets it.
Judgement JudgeInStep(const Figure& a, const Figure& b, const Tolerance& tolerance);

// 农村居民收入增长快于城镇居民: `a` must be above `b` (no tolerance).
Judgement JudgeFaster(const Figure& a, const Figure& b);

// The wording of a clause about a task: done / in progress / missed, with the
// cue word that decided it; kUnclear and an empty cue when none is present.
// 开工 and the like are done for a task that asks for a start
// (`target_is_start`), in progress for one that asks for completion.
Verdict JudgeWording(std::string_view clause, bool target_is_start, std::string* cue);

enum class TargetSource : uint8_t { kExpectedTargets, kPlanItem, kLedgerItem };
const char* TargetSourceName(TargetSource s);  // "expected_targets" "plan_item" "ledger_item"

enum class TargetKind : uint8_t {
  kNumeric,  // a figure to reach
  kInStep,   // A增长与B增长同步
  kTask,     // a task or a statement without a figure (粮食产量保持稳定)
};

struct Target {
  TargetSource source = TargetSource::kPlanItem;
  TargetKind kind = TargetKind::kTask;
  std::string text;     // the clause or plan item as written
  std::string subject;  // what is measured or done: 地区生产总值, 普惠托位, 水源工程招标
  std::string subject_b;  // kInStep: the other side (经济 in 居民收入增长与经济增长同步)
  bool faster = false;    // kInStep: A增长快于/高于B: above, not only in step
  std::optional<Figure> figure;  // kNumeric with a known value
  std::string figure_text;       // as written: 5%左右, XX万元
  bool placeholder = false;      // the target figure is XX: only wording can decide
  Direction direction = Direction::kHigher;
  std::string deadline;          // YYYY-MM-DD or ""
  uint32_t line = 0;             // in the plan source (0 for ledger items)
  uint32_t column = 0;
  int64_t ledger_id = 0;         // kLedgerItem
};

// A statement of the result report tied to a target.
struct Evidence {
  uint32_t line = 0;
  uint32_t column = 0;
  std::string sentence;     // the sentence as written
  std::string phrase;       // the words that tie it to the target (measured phrase or clause)
  std::string figure_text;  // the figure as written, "" for wording evidence
  std::optional<Figure> figure;
  double score = 0;         // 0..1: share of the target subject's character pairs found
  std::string cue;          // the deciding word (完成 …), "" if none
  std::string note;         // why it could not decide, if it did not
};

struct TargetOutcome {
  Target target;
  Verdict verdict = Verdict::kNotMentioned;
  std::string reason;              // Chinese
  std::vector<Evidence> evidence;  // deciding statement first (two for kInStep)
};

struct CompareOptions {
  Tolerance tolerance;
  double min_score = 0.6;    // below this a statement does not match
  bool all_plan_items = false;  // also plan items without target, deadline or milestone
  int year = 0;              // the plan year; 0 = from the plan report
};

struct Comparison {
  int year = 0;
  std::vector<TargetOutcome> outcomes;
};

// The targets a plan report sets for its plan year: the 主要预期目标 clauses if
// it has them, else its plan items. *year receives the plan year (options.year
// if set).
std::vector<Target> PlanTargets(const SourceText& source, const Report& report,
                                const ReportFacts& facts, const CompareOptions& options, int* year);

// A plan item of the ledger as a target: its task (the words after its
// action verb are what a result must name) and its stated target figure.
Target LedgerTarget(const LedgerItem& item);

// Matches every target against what `report` (of `source`) says about `year`.
Comparison Compare(const std::vector<Target>& targets, int year, const SourceText& source,
                   const Report& report, const ReportFacts& facts, const CompareOptions& options);

// --- Pairing plans with results ----------------------------------------------

// The unit a report is by: its stated name, else the one guessed from its body.
std::string ReportUnit(const Report& report);

// The report of `result` by `unit` (its stated or guessed name, exactly); a
// result holding a single report answers for any unit. -1 when none.
int FindReportOfUnit(const OutlineResult& result, std::string_view unit);

// A plan report and the result report of the same unit (indexes into the
// two files' reports).
struct ReportPair {
  size_t plan = 0;
  size_t result = 0;
};

struct Pairing {
  std::vector<ReportPair> pairs;
  // Plan reports whose unit has no report in a result of several reports.
  std::vector<size_t> unmatched;
};

// Pairs each report of `plan` — only those whose unit contains
// `unit_filter`, when given — with the report of the same unit in `result`.
Pairing PairReports(const OutlineResult& plan, const OutlineResult& result, std::string_view unit_filter);

// --- Across units ------------------------------------------------------------

// One figure of the measured thing in one report.
struct AcrossRow {
  int report = 0;             // index into the file's reports
  std::string unit;           // the report's unit (name or guess)
  std::string title;
  std::string phrase;         // what it measures, as written
  std::string figure_text;
  Figure figure;
  std::string kind;           // money count percent … (data/units.tsv)
  bool placeholder = false;
  std::string period;         // "2023-01-01/2023-10-31", a year, or ""
  uint32_t line = 0;
  uint32_t column = 0;
  std::string sentence;
  double score = 0;
};

// Every figure whose measured phrase names `term` (整改率, 完成投资 …), in
// every report of one file, of the kind most of them have (money for 完成投资:
// a count of 投资审计项目 is another thing).
std::vector<AcrossRow> AcrossUnits(std::string_view term, const SourceText& source,
                                   const OutlineResult& outline, const FileFacts& facts,
                                   double min_score);

// Share of the character pairs of `needle` (punctuation and digits ignored)
// found in `haystack`: 1 when every pair is present. A one-character needle
// counts itself.
double PairCoverage(std::string_view needle, std::string_view haystack);

}  // namespace taizhang

#endif  // TAIZHANG_COMPARE_COMPARE_H_
