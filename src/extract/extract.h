// Stage 3 — extract: the figures a report states.
//
//   taizhang::OutlineResult outline = taizhang::BuildOutline(source);
//   taizhang::FileFacts facts = taizhang::ExtractFacts(source, outline);
//   for (const taizhang::Quantity& q : facts.reports[0].quantities) ...
//
// A quantity is a number with its unit or classifier: 24家, XX万元, 1.24亿方,
// 100多个, 65岁及以上, 两家, 百分之六十, 1－2个. Values are exact decimals,
// normalised to the unit's base (万元 → 元 ×10⁴, 亿方 → m³ ×10⁸); a placeholder
// (XX, X, ××) is a quantity whose value is unknown; a malformed number
// (增长.9%) is kept and flagged, never repaired. Dates, list markers and
// numbers inside names, titles 《…》, quoted slogans and set terms are not
// quantities (data/quantity_words.tsv lists the set terms).
//
// Offsets are byte offsets into SourceText::text(), as in the outline stage.
#ifndef TAIZHANG_EXTRACT_EXTRACT_H_
#define TAIZHANG_EXTRACT_EXTRACT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "ingest/ingest.h"
#include "outline/outline.h"

namespace taizhang {

enum class Approximation : uint8_t { kExact, kAbout, kOver, kUnder, kRange };
const char* ApproximationName(Approximation a);  // "exact" "about" "over" "under" "range"

// How a figure relates to others in its clause (data/quantity_words.tsv,
// role rows): 共计 total, 其中 part, 剩余 remainder, 已完成 done, 目标 target.
enum class Role : uint8_t { kNone, kTotal, kPart, kRemainder, kDone, kTarget };
const char* RoleName(Role r);  // "" "total" "part" "remainder" "done" "target"

// A stated change: 同比增27.65%, 下降3.2个百分点, 减少56.95万元, 高于全市77个百分点.
enum class Change : uint8_t { kNone, kIncrease, kDecrease };
const char* ChangeName(Change c);  // "" "increase" "decrease"

// A time expression. Dates are ISO 8601 (YYYY-MM-DD), computed from the
// calendar only (no clock, no time zone). Years missing in the text (11月6日,
// 上半年, 年底前) come from the section or report year; relative years
// (今年 明年 去年) from the report's year; year_inferred says so.
enum class TimeKind : uint8_t {
  kDate,        // 2023年10月29日, 11月6日: begin == end
  kPeriod,      // 2023年, 10月, 1-10月份, 上半年, 前三季度, 全年, 年内: [begin, end]
  kAsOf,        // 截至2023年10月, 截止目前, 至8月底: state at `end`
  kSince,       // 今年以来, 2023年以来: [begin, end of the report year, or of the
                //   time's own year when that is later]
  kDeadline,    // 2024年10月完成, 年底前, 上半年实现: by `end`
  kRecurrence,  // 每月, 每季度, 一月一通报, 周调度: `every` is an ISO duration
};
const char* TimeKindName(TimeKind k);  // "date" "period" "as_of" "since" "deadline" "recurrence"

struct TimeExpr {
  Span span;
  uint32_t line = 0;
  uint32_t column = 0;
  TimeKind kind = TimeKind::kDate;
  std::string begin;   // YYYY-MM-DD, "" if open or unknown
  std::string end;     // YYYY-MM-DD, "" if open or unknown (截止目前)
  std::string every;   // recurrence: P1D P1W P1M P3M P6M P1Y; else ""
  bool year_inferred = false;  // the year was not written in the expression
  int sentence = -1;
};

// What time scanning needs to know about where the text sits.
struct TimeContext {
  int year = 0;         // year of the section (plan year in a plan section), 0 if unknown
  int report_year = 0;  // the year 今年 means; 0 if unknown
  // The text reviews what was done (a summary section): a time before a verb
  // (2023年上半年完成…) says when it happened, not a deadline. 年底前 still is one.
  bool retrospective = false;
};

struct Quantity {
  Span span;                     // number, unit and attached 余/多/以上 …
  uint32_t line = 0;
  uint32_t column = 0;
  std::optional<Decimal> value;  // nullopt for placeholders and malformed numbers
  std::optional<Decimal> high;   // upper end of a range
  std::string unit;              // canonical unit of the value: 元 m³ 个 % …
  std::string kind;              // count money percent … (data/units.tsv), or rank
  Approximation approx = Approximation::kExact;
  bool placeholder = false;
  bool malformed = false;
  int sentence = -1;             // index into Report::sentences, -1 if none
  // What the figure counts or measures: 共发现问题92个 → 发现问题,
  // 整改率为94.56% → 整改率, 完成14个老旧小区改造 → 老旧小区改造. Empty if none.
  Span measured;
  Role role = Role::kNone;       // the strongest role word of its clause
  Span role_word;                // that word, empty if none
  Change change = Change::kNone;
  int time = -1;                 // index into ReportFacts::times of its time scope, -1 if none
};

// A stated count with the items it lists: 褚集、双桥、…、榴城等10个乡镇;
// “四考”（新增项目、新增入库、土地出让、集中开工）; 南北园区…各1个.
struct Enumeration {
  Span span;                 // from the first item to the count
  uint32_t line = 0;
  int quantity = -1;         // index into ReportFacts::quantities of the stated count, -1 if none
  std::optional<Decimal> count;  // the stated count (also when it is no quantity: “四考”)
  std::vector<Span> items;   // the listed items
  bool open = false;         // 等 after the list: the items are a lower bound
  bool each = false;         // 各N个: the count applies to each item
  int sentence = -1;
};

// A commitment in a plan: 力争2024年上半年完成腾冲灌区水源工程招标.
enum class Strength : uint8_t { kNone, kMust, kStrive, kAdvance };
const char* StrengthName(Strength s);  // "" "must" (确保 务必) "strive" (力争 争取) "advance" (推进 推动 将)

struct PlanItem {
  Span span;                 // the clause(s) stating the item
  uint32_t line = 0;
  uint32_t column = 0;
  Span subject;              // what the item is about, before the action: 腾冲灌区项目
  Span action;               // 完成 开工 建成 实现 …, empty if none
  Span object;               // what the action is done to: 腾冲灌区水源工程招标
  int target = -1;           // index into ReportFacts::quantities, -1 if none
  int deadline = -1;         // index into ReportFacts::times, -1 if none
  int recurrence = -1;       // index into ReportFacts::times, -1 if none
  Strength strength = Strength::kNone;
  Span strength_word;
  std::string owner;         // the report's unit
  int section = -1;          // index into Report::sections, -1 outside plan sections
  int sentence = -1;
  bool assessable = false;   // has a target, a deadline or a concrete milestone
  // The item as a ledger row states it: the clause without list markers and
  // lead words (二是以… → 以…). `task_text` is set only when the row is
  // composed rather than cut from the text: one value of a 分别 list
  // (城乡居民收入分别增长5.5%和6% → 农村居民收入增长6%).
  Span task;
  std::string task_text;
  // When it is due, YYYY-MM-DD: the end of its deadline; for a target of an
  // annual plan that states no time, the end of the plan year (due_inferred).
  // Never a year before the plan year (比去年增长 gives no deadline).
  std::string due;
  bool due_inferred = false;
  bool expected_target = false;  // a target of the 主要预期目标 passage
};

// The items of a list subject (城镇、农村居民人均可支配收入 → 城镇居民…, 农村居民…;
// 城乡居民… of two figures → 城镇居民…, 农村居民…), `n` of them, or nothing
// when the list does not have n items.
std::vector<std::string> ListedSubjects(std::string_view subject, size_t n);

// A plan item's text as a ledger row (its task_text, else its task span,
// else its span), line breaks of rejoined lines left out.
std::string PlanItemTask(std::string_view text, const PlanItem& item);

struct ReportFacts {
  std::vector<Quantity> quantities;
  std::vector<TimeExpr> times;
  std::vector<Enumeration> enumerations;
  std::vector<PlanItem> plan_items;
};

struct FileFacts {
  std::vector<ReportFacts> reports;  // parallel to OutlineResult::reports
  // The facts were left to whoever writes them, report by report
  // (AnalyzeOptions::defer_facts_from_bytes): `reports` is empty, and
  // ExtractReportFacts gives each.
  bool deferred = false;
};

// Quantities in text[span] (one sentence or paragraph); positions are
// located in `source`.
void ExtractQuantities(const SourceText& source, Span span, std::vector<Quantity>* out);

// Time expressions in text[span]; positions are located in `source`.
void ExtractTimes(const SourceText& source, Span span, const TimeContext& context,
                  std::vector<TimeExpr>* out);

// Everything above for one report of `source`.
ReportFacts ExtractReportFacts(const SourceText& source, const Report& report);

FileFacts ExtractFacts(const SourceText& source, const OutlineResult& outline);

}  // namespace taizhang

#endif  // TAIZHANG_EXTRACT_EXTRACT_H_
