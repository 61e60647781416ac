// Stage — search (检索): full-text search over everything the ledger holds —
// the sentences of every imported report, ledger items, progress notes and
// the checker's findings — Chinese without word gaps included.
//
//   auto index = taizhang::SearchIndex::Open("taizhang.db.search");      // a directory
//   taizhang::SearchSources sources{.read_file = ReadFromDisk};          // how to read a report's file again
//   (*index)->CatchUp(*store, sources);                                  // whatever changed since last time
//   auto hits = (*index)->Search({.text = "河长制", .year = 2023});
//
// The index is derived from the store, never written by it: imports and
// edits do not wait for it (an index written in the import's transaction —
// SQLite FTS5 — made imports 2.6 times slower, bench/README.md). It records
// the last history row it has seen (every import and every change of an
// item writes one) and CatchUp reads only what changed after it: new files'
// reports (read again and outlined, since the store keeps no sentences),
// items changed, with their progress notes. A front end catches up at start
// and before answering each search, so a search always sees every import
// and edit before it. An item rejected, merged or split, and a report whose
// file has a newer version, leave the index. A store older than the index
// (restored from a backup) is indexed again from nothing.
//
// Xapian (Debian libxapian-dev) with CJK n-grams (single characters and
// pairs, TermGenerator::FLAG_CJK_NGRAM) finds the candidates. A word of one
// or two Chinese characters is its own term (a pair is indexed exactly
// where the two characters are neighbours), so its candidates are its hits;
// longer words are confirmed by finding them literally in the candidate's
// text — only as many candidates as the page needs, plus up to
// kSearchCheckUpTo for an exact total. A hit always contains every word
// asked for as written (河长 is not found in 河道长度), and every text that
// contains them is a hit (bench/README.md, docs/search.md).
//
// One writer per index directory (Xapian's lock): a process keeps one
// SearchIndex open and guards it with a mutex. Two servers on one
// PostgreSQL database each keep an index of their own, beside them.
#ifndef TAIZHANG_SEARCH_SEARCH_H_
#define TAIZHANG_SEARCH_SEARCH_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "ledger/ledger.h"

namespace taizhang {

// What a hit is.
enum class SearchKind : uint8_t {
  kSentence,  // a sentence of an imported report
  kItem,      // a ledger item: its 工作任务 / 问题描述, target, 整改措施
  kProgress,  // a progress note of an item
  kFinding,   // a finding of the checker in a report
};
const char* SearchKindName(SearchKind kind);   // "sentence" "item" "progress" "finding"
const char* SearchKindLabel(SearchKind kind);  // 报告原文 台账事项 进展情况 校核问题
std::optional<SearchKind> ParseSearchKind(std::string_view text);  // the name or the label

// Up to this many hits a query counts exactly (the total and the facets
// by Xapian's value spies, without reading the hits' texts).
constexpr int64_t kSearchExactUpTo = 1000;
// Words that the n-gram terms alone do not prove (3 characters or more,
// Latin letters, digits) are confirmed by reading the candidate's text:
// the page's candidates always, and up to this many in all for an exact
// total; past it the total is estimated from the share confirmed.
constexpr int64_t kSearchCheckUpTo = 500;

struct SearchQuery {
  // Words separated by blanks; every one must occur literally (as written,
  // Latin letters in any case). Chinese needs no gaps: 河长制 is one word.
  std::string text;
  std::string unit;  // as UnitMatches takes it (the beginning of the name), "" any
  int year = 0;      // the report's summary or plan year, the section's year, the item's year; 0 any
  std::optional<SearchKind> kind;
  // The report's kind (ReportKindName: "summary" "plan" "summary+plan" …)
  // or the item's ("task" for a plan item, "problem"), "" any.
  std::string subkind;
  std::string section_kind;  // SectionKindName of the sentence's section ("plan" …), "" any
  int64_t offset = 0;
  int64_t limit = 20;  // 0: every hit (the total and the facets are then exact)
  // Only hits this returns true for (a user's scope), nullptr: all. It must
  // decide by a hit's kind (items and progress notes, or sentences and
  // findings), unit and lead_unit alone: it is asked once for each such
  // combination in the index, with a hit carrying only those, and the
  // answer becomes a filter of the query (boolean terms), so the total
  // and the facets count only what it lets through at no cost per hit.
  std::function<bool(const struct SearchHit&)> visible;
  // How far to count exactly (kSearchExactUpTo, kSearchCheckUpTo);
  // smaller in tests.
  int64_t exact_up_to = kSearchExactUpTo;
  int64_t check_up_to = kSearchCheckUpTo;
};

// A piece of a hit's text; `hit` marks the words asked for.
struct SearchPart {
  std::string text;
  bool hit = false;
};

struct SearchHit {
  SearchKind kind = SearchKind::kSentence;
  std::string text;                // the sentence, the item's text, the note, the finding's message
  std::vector<SearchPart> parts;   // `text` cut at the hits, in order
  double score = 0;
  std::string unit;                // the report's unit or the item's 责任单位
  std::string lead_unit;           // items: 牵头单位
  int year = 0;                    // the section's year, else the report's; the item's
  std::string subkind;             // report kind or item kind (as in SearchQuery)
  std::string section_kind;        // sentences and findings: their section's kind, "" none
  // Where to go: a report and a place in its file (sentences, findings), or
  // an item (items and progress notes).
  int64_t report_id = 0;
  std::string report_title;
  std::string file;                // the report's file as imported
  uint32_t line = 0, column = 0;   // 1-based, 0 when unknown
  int64_t item_id = 0;
  int64_t progress_id = 0;
  std::string date;                // progress: its day
  std::string review;              // items: ReviewStateName ("accepted", "proposed")
  std::string status;              // items: ItemStatusName
};

// How many hits of each value a facet has, most first.
struct FacetCount {
  std::string value;
  int64_t count = 0;
};

struct SearchResult {
  int64_t total = 0;  // every hit, not only this page
  // The total and the facets' counts are estimates (docs/search.md): a
  // query with more hits than kSearchExactUpTo, or more candidates to
  // confirm than kSearchCheckUpTo, is answered without looking at all of
  // them. limit = 0 (every hit) is always exact.
  bool estimated = false;
  // The facets' counts are estimates (scaled from the part of the hits
  // looked at); true whenever `estimated` is, and also when Xapian knows
  // the total exactly (a single word) but the hits are too many to look at.
  bool facets_estimated = false;
  // Documents holding every n-gram of the words (within the filters and the
  // scope, before the literal check): how much the check had to remove
  // (bench/README.md); an estimate when `estimated`.
  int64_t candidates = 0;
  std::vector<SearchHit> hits;
  std::vector<FacetCount> units, years, kinds, subkinds, section_kinds;
};

// How CatchUp reads a report's file again: its bytes, or an error when the
// file is gone (then the report's headings and findings, which the store
// keeps, are indexed in place of its sentences).
struct SearchSources {
  std::function<Result<std::string>(const StoredSource& file)> read_file;
  // Asked before each file and item: true stops the catch-up, which then
  // answers kAborted (a server shutting down) and records no progress
  // (CatchUp). Null: never.
  std::function<bool()> stop;
  // Documents per commit during a big catch-up (CatchUp); smaller in tests.
  int64_t commit_every = 200000;
};

// What one CatchUp did.
struct CatchUpStats {
  int64_t reports = 0;           // reports indexed
  int64_t reports_unread = 0;    // of them, without their file (headings only)
  int64_t reports_removed = 0;   // superseded by a newer version of their file
  int64_t items = 0;             // items indexed again
  int64_t items_removed = 0;     // rejected, merged, split or gone
  int64_t documents = 0;         // in the index afterwards
  int64_t history_id = 0;        // caught up to this history row
  bool rebuilt = false;          // the store was older than the index: indexed from nothing
};

class SearchIndex {
 public:
  // Opens the index in `directory`, created when missing. Errors (in
  // Chinese, naming the directory): not writable, locked by another
  // process, not an index.
  static Result<std::unique_ptr<SearchIndex>> Open(const std::string& directory);
  ~SearchIndex();

  const std::string& directory() const { return directory_; }
  // The last history row the index has caught up to (0: nothing yet).
  int64_t history_id() const;

  // Reads what changed in `store` since the last call and indexes it. The
  // history row it has caught up to is recorded only at the end, with the
  // last commit; a big catch-up also commits every 200000 documents (memory
  // stays bounded), and one stopped or failed after such a commit leaves
  // those documents in the index, to be indexed again — replacing them,
  // not doubling them — by the next catch-up, which starts from the same
  // history row. Searches in between are answered by this object only
  // after a catch-up, so they never see a half-done one.
  Result<CatchUpStats> CatchUp(LedgerStore& store, const SearchSources& sources);

  Result<SearchResult> Search(const SearchQuery& query);

 private:
  struct State;
  explicit SearchIndex(std::string directory, std::unique_ptr<State> state);
  std::string directory_;
  std::unique_ptr<State> state_;
};

// How a facet's value reads in Chinese: facet "kind" (sentence → 报告原文),
// "subkind" (summary → 工作总结, task → 工作任务, problem → 问题整改),
// "section_kind" (plan → 计划), "year" (2024 → 2024年); else the value.
std::string SearchValueLabel(std::string_view facet, std::string_view value);
// The value of a facet named by its value or its label ("" when neither):
// what a command line or a query string gives.
std::string ParseSearchValue(std::string_view facet, std::string_view text);

// The result as JSON (schema "taizhang.search/1", docs/search.md): what
// `taizhang search --json` prints and GET /api/v1/search answers. Each hit
// carries its text cut into parts ({text, hit}) with the words marked,
// and labels in Chinese beside the values.
nlohmann::json SearchHitJson(const SearchHit& hit);
nlohmann::json SearchResultJson(const SearchQuery& query, const SearchResult& result);

// The index's directory beside an SQLite ledger ("taizhang.db" →
// "taizhang.db.search"); "" for a PostgreSQL URL, whose index lives where
// the front end says.
std::string DefaultSearchDirectory(const std::string& ledger_url);

}  // namespace taizhang

#endif  // TAIZHANG_SEARCH_SEARCH_H_
