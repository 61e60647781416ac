// The parts of CheckFile (internal to check/): text rules and relations.
#ifndef TAIZHANG_CHECK_CHECK_INTERNAL_H_
#define TAIZHANG_CHECK_CHECK_INTERNAL_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "check/check.h"
#include "common/text_search.h"

namespace taizhang::check_internal {

struct TableOfContents;

// What every rule reads and where it writes.
struct CheckContext {
  const SourceText& source;
  const OutlineResult& outline;
  const FileFacts& facts;
  std::vector<Finding>* findings;
  std::vector<ReportCheck>* reports;
  const CheckOptions& options;

  std::string_view text() const { return source.text(); }
  // Adds a finding of `rule` (its catalogue severity) at `span`.
  Finding& Add(RuleId rule, int report, Span span, std::string message);
  // A related place for a finding.
  RelatedPlace Place(Span span, std::string note) const;
  // The words of a role of data/check_words.tsv plus the user's extra terms.
  const std::vector<std::string>& Terms(std::string_view role) const;
  bool HasTerm(std::string_view role, std::string_view word) const;
  // The words of several roles in one matcher, built once per file: hit
  // `term` is a word of roles[role_of[term]].
  struct RolesMatcher {
    TermMatcher matcher;
    std::vector<uint8_t> role_of;
  };
  const RolesMatcher& Matcher(const std::vector<std::string_view>& roles) const;
  // FindTableOfContents of report `report`, found once per file.
  const TableOfContents& Toc(size_t report) const;

  // What the functions above keep for the rest of the file.
  struct Cache {
    std::map<std::string, std::vector<std::string>, std::less<>> terms;
    std::map<std::string, std::unique_ptr<RolesMatcher>, std::less<>> matchers;
    std::vector<std::unique_ptr<TableOfContents>> tocs;
  };
  mutable Cache cache;
};

// Text rules (text_rules.cc).
void CheckPlaceholders(CheckContext& c);
void CheckMalformedNumbers(CheckContext& c);
void CheckNumbering(CheckContext& c);
void CheckEnumerationSeries(CheckContext& c);
void CheckPairedPunctuation(CheckContext& c);
void CheckWebJunk(CheckContext& c);
void CheckLetterD(CheckContext& c);
void CheckDuplicates(CheckContext& c);
void CheckPeriods(CheckContext& c);

void CheckDoubledPunctuation(CheckContext& c);

// The table of contents of a report (toc_rules.cc): a 目录 line among its
// first lines and the entries after it, up to the body (the first repeated
// entry, sentence or long line).
struct TableOfContents {
  uint32_t heading_line = 0;  // the 目录 line; 0 when the report has none
  uint32_t last_line = 0;     // the last entry's line
  std::vector<uint32_t> entry_lines;
};
TableOfContents FindTableOfContents(const SourceText& source, const Report& report);
bool InTableOfContents(const TableOfContents& toc, uint32_t line);
// The entries as marker + title, without white space or page numbers.
std::vector<std::string> TocEntryTexts(const SourceText& source, const TableOfContents& toc);
// Line `line` without white space.
std::string SqueezedLine(const SourceText& source, uint32_t line);
void CheckTableOfContents(CheckContext& c);

// Relations between figures (relations.cc): found per report, evaluated,
// and turned into findings when inconsistent.
void CheckRelations(CheckContext& c);

// One entry of the dispatch table: a function and every rule whose findings
// it may add. CheckFile runs it when one of its rules is on (or always, for
// the relations, which are reported even when their rules are off).
struct RuleCheck {
  const char* name;                 // "CheckPlaceholders", for tests and messages
  void (*run)(CheckContext& c);
  std::vector<RuleId> rules;
  bool always_run = false;
};

// The dispatch table, in the order the checks run. Every rule of the
// catalogue belongs to exactly one entry (tests/check_rules_test.cc).
const std::vector<RuleCheck>& RuleChecks();

// The text of a span with rejoined line breaks removed.
std::string SpanText(std::string_view text, Span s);

// Whether line `line` (1-based) is part of a table: a table row, or (in a
// PDF, whose wrapped cells come out as lines of their own) a line with rows
// of its page within twelve lines above and below it (or of the page before
// or after: the table going on over the page break), or right below one, or
// — `with_captions` — one or two lines above one (a caption or a cell's
// first line).
// Tables repeat their cells and split their brackets by design.
bool InTableBlock(const SourceText& source, uint32_t line, bool with_captions = true);

}  // namespace taizhang::check_internal

#endif  // TAIZHANG_CHECK_CHECK_INTERNAL_H_
