// Stage 4 — check (校核): what is wrong with a report, and which of its
// figures were verified.
//
//   taizhang::CheckResult result = taizhang::CheckFile(source, outline, facts, {});
//   for (const taizhang::Finding& f : result.findings) ...
//   for (const taizhang::Relation& r : result.reports[0].relations) ...
//
// Two kinds of output. Findings are defects at a place in the text, each from
// a rule of the catalogue (data/rules.tsv: id, default severity, Chinese
// title and explanation): unfilled placeholders, malformed numbers, numbering
// slips, unmatched brackets and quotes, web junk, the letter D written for 党,
// duplicated sentences, and relations that do not hold. Relations are what
// the figures of a report say about each other — a total and its parts, done
// plus remaining, a rate and its counts, a count and the items it lists —
// each with its status: consistent, inconsistent, or not checkable (a
// placeholder in it, or an open list with 等).
//
// No noise: where the text is ambiguous the relation is not checkable, never
// an error. Offsets are byte offsets into SourceText::text().
#ifndef TAIZHANG_CHECK_CHECK_H_
#define TAIZHANG_CHECK_CHECK_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "extract/extract.h"
#include "generated/rule_ids.h"  // RuleId: the ids of data/rules.tsv, generated
#include "ingest/ingest.h"
#include "outline/outline.h"

namespace taizhang {

enum class Severity : uint8_t { kError, kWarning, kInfo };
const char* SeverityName(Severity s);   // "error" "warning" "info"
const char* SeverityLabel(Severity s);  // 错误 警告 提示

// A rule of the catalogue. Code names a rule by its RuleId
// (RuleId::kPlaceholderNumber); findings, options and output carry the id as
// text (RuleIdName).
struct Rule {
  std::string id;         // "placeholder-number"
  Severity severity = Severity::kWarning;
  std::string title;      // Chinese, one line
  std::string explanation;  // Chinese
  std::string example;    // a text the rule fires on
};

// The catalogue, from data/rules.tsv, in its order.
const std::vector<Rule>& RuleCatalogue();
const Rule* FindRule(std::string_view id);

struct RelatedPlace {
  Span span;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string note;  // Chinese: "另见", "总数", …
};

struct Finding {
  std::string rule;            // rule id
  Severity severity = Severity::kWarning;
  int report = -1;             // index into OutlineResult::reports, -1 outside reports
  Span span;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;         // Chinese
  std::vector<RelatedPlace> related;
  std::string fix;             // replacement text for `span` when a fix is safe, else ""
  bool has_fix = false;
};

enum class RelationStatus : uint8_t { kConsistent, kInconsistent, kNotCheckable };
const char* RelationStatusName(RelationStatus s);   // "consistent" "inconsistent" "not_checkable"
const char* RelationStatusLabel(RelationStatus s);  // 一致 不一致 无法核对

// A relation between figures of one report.
struct Relation {
  // sum part-whole unit-sum remainder rate enumeration rate-ceiling change
  // comparison contradiction
  std::string family;
  RelationStatus status = RelationStatus::kNotCheckable;
  int whole = -1;              // index into ReportFacts::quantities (total, whole, rate …), -1 if none
  std::vector<int> parts;      // the other figures
  int enumeration = -1;        // index into ReportFacts::enumerations for family enumeration
  uint32_t line = 0;           // line of the first figure
  std::string statement;       // Chinese: "484 = 319 + 51 + 19 + 9 + 86"
  std::string reason;          // Chinese, for not checkable and inconsistent
};

struct ReportCheck {
  std::vector<Relation> relations;
  int placeholders = 0;        // placeholder findings in this report
};

// What the user can change (config file or options).
struct CheckOptions {
  std::map<std::string, bool> enabled;         // rule id → on/off; absent: on
  std::map<std::string, Severity> severities;  // rule id → severity override
  // Extra words for the lists of data/check_words.tsv, by role
  // (capped_rate, exceeding, party_after).
  std::map<std::string, std::vector<std::string>> extra_terms;
};

struct CheckResult {
  std::vector<Finding> findings;     // sorted by position
  std::vector<ReportCheck> reports;  // parallel to OutlineResult::reports
  // Not run yet: a large compilation (AnalyzeOptions::defer_facts_from_bytes)
  // is checked by whoever consumes its results, report by report
  // (ReportChecker, with `options`), each report's findings and relations
  // handed over as they are found and never all held; `findings` and
  // `reports` stay empty. CheckFile collects them when they are wanted whole.
  bool deferred = false;
  CheckOptions options;  // when deferred
};

// Reads a config file's text (JSON):
//   { "rules": { "duplicate-across-reports": "off", "placeholder-name": "error" },
//     "terms": { "capped_rate": ["签约率"], "exceeding": ["超计划"] } }
// A rule is "on", "off", "error", "warning" or "info". Errors (bad JSON,
// unknown rule or role) name the file in Chinese.
Result<CheckOptions> ParseCheckConfig(std::string_view text, const std::string& file_name);

// With facts.deferred (a large file, AnalyzeOptions::defer_facts_from_bytes)
// each report's facts are extracted, checked and dropped in turn: the same
// findings and relations, never every report's figures at once.
CheckResult CheckFile(const SourceText& source, const OutlineResult& outline, const FileFacts& facts,
                      const CheckOptions& options);

// One step of a check going report by report (ReportChecker).
struct CheckedReport {
  size_t index = 0;    // the report, into OutlineResult::reports
  ReportFacts facts;   // its facts, extracted for the check
  ReportCheck check;   // its relations and placeholder count
  // The findings this step completes, in text order: the report's own and
  // the whole file's (outside the reports, across them) up to where the
  // next report begins. The steps in turn give CheckResult::findings, each
  // finding once; a report's findings lie in its own lines, so they all
  // come with its step.
  std::vector<Finding> findings;
};

// A compilation checked one report at a time, in order, for a consumer that
// writes or stores each report's results as they come (a large file's JSON,
// its Word comments, its import): the checks of the whole file run first
// (they read no facts), then each Next extracts one report's facts, runs the
// other checks on them and hands everything over. The steps give what
// CheckFile gives, in the same order. The outline needs at least one report;
// `source` and `outline` must outlive the checker.
class ReportChecker {
 public:
  ReportChecker(const SourceText& source, const OutlineResult& outline, const CheckOptions& options);
  ~ReportChecker();
  ReportChecker(const ReportChecker&) = delete;
  ReportChecker& operator=(const ReportChecker&) = delete;
  // The next report checked into *out (its previous contents replaced);
  // false after the last.
  bool Next(CheckedReport* out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// text[span] with the safe fixes of `findings` that lie inside it applied
// (the letter D written for 党 restored), line breaks of rejoined lines left
// out: how a plan item reads as a ledger row.
std::string FixedText(std::string_view text, Span span, const std::vector<Finding>& findings);

}  // namespace taizhang

#endif  // TAIZHANG_CHECK_CHECK_H_
