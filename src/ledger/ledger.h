// Stage 5 — ledger (台账): the store of everything the pipeline produced,
// the plan ledger and the rectification ledger with their history, and the
// Excel ledgers offices exchange.
//
//   auto store = taizhang::LedgerStore::Open("taizhang.db", "张三");   // or postgresql://…
//   auto imported = taizhang::ImportDocument(**store, "汇编.docx", {}); // app/app.h: analyze,
//   render, store auto items = (*store)->ListItems({.unit = "县水利局", .overdue = true});
//   (*store)->UpdateItem(id, /*expected_version=*/3, change);           // refused if someone was
//   faster
//   (*store)->UpdateItem(id, std::nullopt, change);                     // on the current version
//   (*store)->AcceptItems({{id, std::nullopt}});                         // a proposal (待确认) accepted
//
// Plan items taken from an imported report are proposals (待确认): they
// count nowhere (lists, rates, overdue, exports, compare) until a person
// accepts them, or merges, splits or rejects them (ReviewState). Items typed
// in or read from a sheet are accepted at once.
//
// One schema, two backends: SQLite (a single file, WAL; the default) and
// PostgreSQL (a URL). Versioned migrations are applied on open. Every write
// runs in a transaction, carries the acting user, and writes its
// append-only history rows in the same transaction, each chained to the one
// before by a SHA-256 hash (Verify shows a row changed or removed since).
#ifndef TAIZHANG_LEDGER_LEDGER_H_
#define TAIZHANG_LEDGER_LEDGER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/check.h"
#include "common/status.h"
#include "ingest/ingest.h"
#include "pipeline/pipeline.h"

namespace taizhang {

namespace ledger_internal {
class Database;
}
struct XlsxLedger;

// Two ledgers in one table: plan items (工作任务) and problems found by
// inspections (问题), which are rectified (整改) and closed off (销号).
enum class ItemKind : uint8_t { kPlan, kProblem };
const char* ItemKindName(ItemKind kind);  // "plan" "problem"
std::optional<ItemKind> ParseItemKind(std::string_view name);

// Stored statuses. 逾期 (overdue) is never stored: an unfinished item past
// its deadline shows as 逾期 (LedgerItem::overdue).
enum class ItemStatus : uint8_t {
  kNotStarted,        // 未启动 (plan)
  kInProgress,        // 推进中 (plan)
  kDone,              // 已完成 (plan)
  kCancelled,         // 已取消 (both)
  kRectifying,        // 整改中 (problem)
  kAwaitingCloseOff,  // 待销号 (problem: rectification submitted, not yet verified)
  kClosedOff,         // 已销号 (problem: verified by someone other than the submitter)
};
const char* ItemStatusLabel(ItemStatus status);  // Chinese
const char* ItemStatusName(ItemStatus status);   // "not_started" … for JSON
// Accepts the Chinese label or the English name; also 逾期 → nullopt.
std::optional<ItemStatus> ParseItemStatus(std::string_view text);
bool IsFinished(ItemStatus status);  // done, cancelled or closed off
// Whether `status` is one an item of `kind` can have: 未启动 / 推进中 / 已完成
// for plan items, 整改中 / 待销号 / 已销号 for problems, 已取消 for both.
bool StatusFitsKind(ItemStatus status, ItemKind kind);

// 红黄绿灯: red — overdue; yellow — due within the lead time and not
// finished; green — finished, or not yet due; none — no deadline.
enum class Warning : uint8_t { kNone, kGreen, kYellow, kRed };
const char* WarningLabel(Warning warning);  // "" 绿灯 黄灯 红灯
const char* WarningName(Warning warning);   // "" "green" "yellow" "red"

// 确认状态: whether an item is part of the ledger, apart from its work
// status. A plan item read from a report starts as a proposal; a person
// accepts it (it then counts), rejects it (kept, with who and why, never
// counted), merges it into another item or splits it into new proposals.
enum class ReviewState : uint8_t {
  kProposed,  // 待确认
  kAccepted,  // 已确认
  kRejected,  // 已驳回
  kMerged,    // 已合并 (into LedgerItem::merged_into)
  kSplit,     // 已拆分 (into new proposals whose split_from is this item)
};
const char* ReviewStateLabel(ReviewState review);  // Chinese
const char* ReviewStateName(ReviewState review);   // "proposed" "accepted" "rejected" "merged" "split"
// Accepts the Chinese label or the English name (待确认 / proposed …).
std::optional<ReviewState> ParseReviewState(std::string_view text);

// 配合单位 as one text: the names joined by "、"; and back, splitting at
// 、，,；; and line breaks, blanks around each name removed, empty names dropped.
std::string JoinUnitList(const std::vector<std::string>& units);
std::vector<std::string> ParseUnitList(std::string_view text);

struct LedgerItem {
  int64_t id = 0;  // 0 before it is stored
  ItemKind kind = ItemKind::kPlan;
  std::string unit;  // 责任单位
  int year = 0;      // the plan year (plan) or the year found (problem); 0 unknown
  std::string task;  // 工作任务, or the problem's description
  // 目标: as written ("1－2个", "5亿元以上"), and as a value when numeric.
  std::string target_text;
  std::string target_value;   // exact decimal ("120000000"), "" if none
  std::string target_unit;    // canonical unit (元 个 % …)
  std::string target_approx;  // exact about over under range, "" if none
  std::string deadline;       // 完成时限 / 整改时限, YYYY-MM-DD or ""
  std::string recurrence;     // ISO duration (P1M …) or ""
  ItemStatus status = ItemStatus::kNotStarted;
  // 进展情况: the latest progress entry.
  std::string progress_note;
  std::string progress_value;  // decimal or ""
  std::string progress_date;   // YYYY-MM-DD or ""
  // Where it came from: a report (import) or typed in (report_id 0).
  int64_t report_id = 0;
  std::string source_file;
  uint32_t source_line = 0;
  std::string source_text;  // the sentence(s) stating it
  // Problems only.
  std::string problem_source;  // 督查 巡查 审计 安全检查 …
  std::string found_date;      // YYYY-MM-DD
  std::string measures;        // 整改措施 (latest)
  std::string submitted_by;    // who submitted the rectification
  std::string submitted_at;
  std::string verified_by;     // who closed it off (销号)
  std::string closed_at;
  // Who carries it out, within or beside the 责任单位: 牵头单位, 配合单位, 责任人.
  std::string lead_unit;
  std::vector<std::string> support_units;
  std::string responsible_person;
  // Review (确认). Accepted unless it came from an imported report and no
  // one has reviewed it yet.
  ReviewState review = ReviewState::kAccepted;
  std::string review_reason;  // why it was rejected
  std::string reviewed_by;    // who accepted, rejected, merged or split it ("" when accepted at creation)
  std::string reviewed_at;
  int64_t merged_into = 0;    // kMerged: the item it was merged into
  int64_t split_from = 0;     // a proposal made by splitting that item
  // Bookkeeping: the row version guards updates (optimistic locking).
  int64_t version = 1;
  std::string created_at;
  std::string created_by;
  std::string updated_at;
  std::string updated_by;
  // Computed when read, against the day given to the query; only an
  // accepted item is ever overdue or has a warning.
  bool overdue = false;
  Warning warning = Warning::kNone;
};

// The status as shown: 逾期 for an overdue item, else the stored status.
std::string ShownStatus(const LedgerItem& item);

// A valid civil date written YYYY-MM-DD ("2025-02-30" and "banana" are not).
bool IsValidDay(std::string_view day);

// Whether the 责任单位 filter `filter` names `unit`: the same name, a name
// that begins with it (浙江省 → 浙江省发展和改革委员会), or the same name once a
// government's suffix is removed from both (人民政府 and 政府, the government
// row of data/unit_kinds.tsv): 浙江省 → 浙江省人民政府, 浙江省政府 → 浙江省.
bool UnitMatches(std::string_view filter, std::string_view unit);

// Of `units`, up to `count` nearest to `name` by the characters they share
// (Dice coefficient over characters), nearest first; none that share nothing.
std::vector<std::string> ClosestUnits(std::string_view name, const std::vector<std::string>& units, size_t count);

// --- The store ----------------------------------------------------------------

// What one `import` of a file did.
struct ImportOutcome {
  enum Kind { kNew, kUnchanged, kNewVersion } kind = kNew;
  int64_t source_id = 0;   // the stored file (its version)
  int version = 1;         // 1 for a first import, then 2, 3 … for changed content
  int reports = 0;         // reports stored from it (0 when unchanged)
  int plan_items = 0;      // plan items extracted
  int ledger_added = 0;    // new ledger items (proposals, 待确认)
  int ledger_updated = 0;  // existing ledger items moved to the new version's text or place
  int ledger_existing = 0;  // plan items the ledger already held (same unit, year and task)
  std::string content_hash;  // SHA-256 of the file's bytes, hex
  // The ledger items from this file still awaiting review (待确认), and the
  // one unit and year they share ("" / 0 when they are of several), to name
  // in the command that reviews them.
  int awaiting_review = 0;
  std::string review_unit;
  int review_year = 0;
  std::vector<std::string> warnings;  // what the reader could not take (SourceText::warnings)
};

// SHA-256 of a file's bytes in hex: how the store recognises content it
// already holds.
std::string ContentHash(std::string_view bytes);

// A file to store: what the pipeline made of it (analyzed through the
// check stage) and the identity of its bytes. The store keeps the file's
// reports as rows (headings, figures, plan items, relations, findings),
// report by report; it renders nothing.
struct ImportRequest {
  // Checked, or with its check deferred (CheckResult::deferred: the store
  // checks it report by report as it stores each report).
  const AnalyzedFile* file = nullptr;
  std::string content_hash;  // ContentHash of the file's bytes
};

struct ItemFilter {
  std::optional<ItemKind> kind;
  std::string unit;                   // 责任单位 as UnitMatches takes it, "" any
  int year = 0;                       // 0 any
  std::optional<ItemStatus> status;   // stored status
  bool overdue = false;               // only overdue items
  int due_within_days = -1;           // only unfinished items due within N days (from today); -1 any
  // 确认状态: accepted items only unless asked (nullopt: every state).
  std::optional<ReviewState> review = ReviewState::kAccepted;
  // Only items whose 责任单位 is one of `unit_texts` or whose 牵头单位 is one
  // of `lead_unit_texts`, written exactly so (a scope's filter, in SQL:
  // ItemUnitTexts gives the values to choose from); nullopt: any.
  std::optional<std::vector<std::string>> unit_texts, lead_unit_texts;
  // With unit_texts: items whose 责任单位 is one of `orphan_unit_texts` AND
  // whose 牵头单位 is one of `orphan_lead_texts` ("" among them for none)
  // pass too — the items of no known unit, which belong to the unit tree's
  // roots (UnitTree::ItemUnits).
  std::vector<std::string> orphan_unit_texts, orphan_lead_texts;
  std::optional<Warning> warning;     // only items of this light (ComputeWarning's rules, in SQL)
  std::string deadline_from, deadline_to;  // 时限 within [from, to], YYYY-MM-DD; "" open
  std::string text;                   // only items whose 工作任务/问题描述 contains it
  std::string not_submitted_by;       // only items whose rectification someone else submitted ("" any)
  std::optional<int64_t> report_id;   // only items read from this report (0: from none)
  // The order of the rows: by id (the default), by id descending (newest
  // first), by 时限 (none last, then id), by last change (latest first, then
  // id descending). Always total, so that pages neither repeat nor skip an
  // item.
  enum class Order : uint8_t { kId, kIdDescending, kDeadline, kUpdated } order = Order::kId;
  int64_t offset = 0;                 // rows skipped (with limit)
  int64_t limit = 0;                  // 0 no limit
};

// The groups LedgerStore::CountItemsBy counts items in (the dashboard's
// numbers, in SQL).
enum class ItemGrouping : uint8_t {
  kStatusLight,       // key: the stored status's name; second: the light's name (WarningName, "" none)
  kUnitDeadlineMonth,  // key: 责任单位 as written; second: 时限's YYYY-MM ("" none)
  kReport              // key: the id of the report the item was read from ("0" none); second: ""
};
struct ItemGroupCount {
  std::string key, second;
  int64_t count = 0;
};

struct NewItem {
  ItemKind kind = ItemKind::kPlan;
  std::string unit;
  int year = 0;
  std::string task;
  std::string target_text;  // parsed into value/unit/approximation when it is a figure
  std::string deadline;     // YYYY-MM-DD or ""
  std::string recurrence;
  std::optional<ItemStatus> status;  // default 未启动 / 整改中
  std::string problem_source;
  std::string found_date;
  std::string lead_unit;
  std::vector<std::string> support_units;
  std::string responsible_person;
};

// Fields to change; nullopt keeps the value.
struct ItemChange {
  std::optional<std::string> unit;
  std::optional<int> year;
  std::optional<std::string> task;
  std::optional<std::string> target_text;
  std::optional<std::string> deadline;
  std::optional<std::string> recurrence;
  std::optional<ItemStatus> status;
  std::optional<std::string> measures;  // 整改措施 (problems)
  std::optional<std::string> lead_unit;
  std::optional<std::vector<std::string>> support_units;
  std::optional<std::string> responsible_person;
};

// An item a review acts on, and the version the reviewer saw (--if-version;
// nullopt: whatever version is current).
struct ItemRef {
  int64_t id = 0;
  std::optional<int64_t> expected_version;
};

// A file attached to a progress entry as evidence (佐证材料): an upload of
// the server, kept by the SHA-256 of its content, with the name it was
// given (a label for downloads, never a path).
struct ProgressAttachment {
  std::string sha256;  // 64 lower-case hex digits
  std::string name;
  int64_t size = 0;    // bytes
};

struct ProgressEntry {
  int64_t id = 0;
  int64_t item_id = 0;
  std::string date;      // YYYY-MM-DD
  // A decimal in the target's unit, or a figure in the target's notation
  // (3.3万套, 3.3万 for a target 3.2万套), converted when stored; "" none.
  std::string value;
  std::string note;
  std::string evidence;  // a file name, a document number, a link
  std::string by;        // who reported it
  std::string recorded_at;
  // Stored with the entry, in its transaction (AddProgress); read back by
  // ListProgress.
  std::vector<ProgressAttachment> attachments;
};

// One append-only history row: who changed what, when, before and after
// (JSON objects of the changed fields).
struct HistoryEntry {
  int64_t id = 0;
  std::string at;
  std::string actor;
  std::string entity;  // "item" "progress" "report" "source"
  int64_t entity_id = 0;
  std::string action;  // "create" "update" "progress" "submit" "close_off" "import" …
  std::string before;  // JSON, "" for none
  std::string after;   // JSON, "" for none
};

// The Chinese name of a key of the history JSON ("status" → 状态; "task" →
// 工作任务 or 问题描述 by `kind`), the key itself when it has none.
std::string HistoryFieldLabel(std::string_view key, ItemKind kind);
// A history JSON value as a person reads it: statuses and kinds by their
// Chinese labels, nothing (null, "", year or line 0) as （空）.
std::string HistoryValueText(std::string_view key, const std::string& value_json);

// The last row of the history's hash chain: written down elsewhere (a
// notebook, a letter, another system), it later shows whether the chain up
// to it was rewritten (`Verify` with the recorded head).
struct HistoryHead {
  int64_t id = 0;    // 0: no history yet
  std::string hash;  // SHA-256, hex
};
// "1234:9f86d0…" and back; nullopt for text of another form.
std::string FormatHistoryHead(const HistoryHead& head);
std::optional<HistoryHead> ParseHistoryHead(std::string_view text);

// What `Verify` found.
struct VerifyReport {
  // In Chinese, each naming the history row (第 N 条历史记录) or item (编号 X)
  // at fault; in order: the hash chain, items against their history, counts
  // of the imported files, the append-only triggers, the recorded head.
  std::vector<std::string> problems;
  HistoryHead head;          // the chain's last row as read
  int64_t history_rows = 0;  // rows of the chain checked
  int64_t items = 0;         // items replayed from their history
};

// 整改率 / 按期整改率 / 完成率 per unit (and in all), each with the counts it is
// computed from, so a report can quote them correctly.
struct RateRow {
  std::string unit;  // "" for all units together
  // Problems (in the period: found within [from, to]).
  int64_t problems = 0;            // 问题总数 (cancelled ones excluded)
  int64_t rectified = 0;           // 已整改 (closed off)
  int64_t rectified_on_time = 0;   // 按期整改 (closed off no later than the deadline)
  int64_t due = 0;                 // of the problems, those whose deadline has passed
  // Plan items (year within the period).
  int64_t tasks = 0;               // 任务总数 (cancelled excluded)
  int64_t done = 0;                // 已完成
  int64_t overdue = 0;             // 逾期
  // Rates as exact decimal strings with one decimal place ("94.6"), "" when
  // the denominator is 0.
  std::string rectification_rate;          // rectified / problems
  std::string on_time_rectification_rate;  // rectified_on_time / problems
  std::string completion_rate;             // done / tasks
  // Grouped by month (RateGroup::kMonth): "2025-03", "" for the items
  // without that date; empty when grouped by unit.
  std::string month;
  bool total = false;  // the row of all items together
};

struct RateQuery {
  std::string unit;  // as UnitMatches takes it; "" all units, one row each plus the total
  std::string from;  // YYYY-MM-DD or "" open
  std::string to;
  // Accepted items only unless asked (nullopt: every state). Only accepted
  // tasks are ever overdue.
  std::optional<ReviewState> review = ReviewState::kAccepted;
};

// How rates are grouped: by 责任单位, or by month — a problem by the month
// it was found (发现时间, the date the period is taken on), a plan item by
// the month of its deadline (完成时限).
enum class RateGroup : uint8_t { kUnit, kMonth };

// The rates of `items` counted as LedgerStore::Rates counts the store's
// rows, for a front end that has chosen the items itself (those a user may
// read): cancelled items and items outside the query's period are left
// out, the query's review state and unit are not applied again (the
// caller chose), and a task is overdue when it is accepted, unfinished and
// its deadline is before `today` (YYYY-MM-DD). One row per group, sorted,
// then the total (total = true) — with RateGroup::kUnit the total is left
// out when `query.unit` is set and exactly one unit counted, as Rates does.
std::vector<RateRow> RatesOf(const std::vector<LedgerItem>& items, const RateQuery& query, std::string_view today,
                             RateGroup group = RateGroup::kUnit);
// Whether RatesOf counts `item` in the query's period: it is not cancelled,
// and a problem was found within [from, to] (a problem without 发现时间 only
// when the period is open), a plan item is of a year the period touches (or
// of no year). The query's review state and unit are not looked at.
bool CountsInPeriod(const LedgerItem& item, const RateQuery& query);

// An analysis job of the server (`taizhang serve`), kept in the store so
// that every server process on one database sees every job.
struct JobRow {
  std::string id;      // random, 32 hex digits
  std::string owner;   // the account that created it
  std::string upload;  // SHA-256 of the uploaded file
  std::string name;    // the file's name as given (a label)
  std::string state;   // queued, running, done, failed
  int64_t progress = 0;  // percent
  std::string result;  // JSON text when done
  std::string error;   // Chinese, when failed
  int64_t created_ms = 0, updated_ms = 0;  // Unix time
  std::string runner;  // the server process running it (ServerProcess::runner), "" unknown
};

// A `taizhang serve` process as the jobs table knows it (schema version 10).
struct ServerProcess {
  std::string runner;  // "host:pid:random", unique per process start
  std::string host;
  int64_t pid = 0;
  int64_t started_ms = 0;
};

// --- Imported files and their reports, read back (a front end's lists) -------

// A stored file (one version of it).
struct StoredSource {
  int64_t id = 0;
  std::string path;          // as imported: the command line's path, the server's file name
  std::string content_hash;  // ContentHash of its bytes
  int64_t size_bytes = 0;
  std::string format;        // "text" "docx" "pdf" "doc"
  std::string encoding;
  int version = 1;
  int64_t previous_id = 0;   // the version before, 0 none
  int report_count = 0;
  std::string imported_at;   // ISO 8601 UTC
  std::string imported_by;
};

// A stored report: one of a file's reports (a compilation has many).
struct StoredReport {
  int64_t id = 0;
  int64_t source_id = 0;
  int doc_index = 0;       // its place in the file, 1-based (Report::index)
  std::string title;
  std::string unit;        // the unit as written or, when unit_guessed, as guessed
  bool unit_guessed = false;
  std::string unit_kind;
  std::string kind;        // ReportKindName: "summary" "plan" "summary+plan" …
  int summary_year = 0, plan_year = 0;  // 0 unknown
  uint32_t first_line = 0, last_line = 0;  // 1-based lines of the file's text
  int64_t heading_count = 0, quantity_count = 0, plan_item_count = 0, relation_count = 0, finding_count = 0;
};

struct ReportFilter {
  std::string unit;   // as UnitMatches takes it, "" any
  int year = 0;       // the summary's or the plan's year, 0 any
  std::string kind;   // ReportKindName, "" any
  std::string text;   // a piece of the title, the unit or the file's name, "" any
  int64_t source_id = 0;     // only that file's reports, 0 any
  bool latest_only = true;   // only the latest version of each file (ignored with source_id)
};

// A report's rows as the import stored them.
struct StoredHeading {
  int index = 0, parent = -1, depth = 0;  // parent: index of the enclosing heading, -1 none
  uint32_t line = 0, column = 0;
  std::string marker, marker_kind, title, section_kind;
  int section_year = 0;
};
struct StoredFinding {
  std::string rule, severity;  // SeverityName
  uint32_t line = 0, column = 0;
  std::string message;
};
struct StoredRelation {
  std::string family, status;  // RelationStatusName
  uint32_t line = 0;
  std::string statement, reason;
};
struct StoredReportRows {
  std::vector<StoredHeading> headings;
  std::vector<StoredFinding> findings;
  std::vector<StoredRelation> relations;
};

// What a database holds, for messages about replacing it.
struct StoreCounts {
  int64_t items = 0;    // ledger items
  int64_t reports = 0;  // reports of imported files
  int64_t sources = 0;  // imported files (each version)
};

// The ledger store. Not thread-safe: one per thread or process.
class LedgerStore {
 public:
  // `url`: a file path (SQLite; created if missing) or postgresql://…
  // (also postgres://). `user`: the acting user, carried by every write.
  // Pending migrations are applied.
  static Result<std::unique_ptr<LedgerStore>> Open(const std::string& url, const std::string& user);
  ~LedgerStore();

  const std::string& user() const { return user_; }
  // The acting user of the writes from now on (a server acts for whoever
  // is logged in).
  void set_user(std::string user) { user_ = std::move(user); }
  // Called inside the transaction of each change of items — AddItem,
  // UpdateItem, AddProgress, SubmitRectification, CloseOff and the reviews
  // (accept, reject, merge, split, assign) — just before it commits, with
  // the items as the change left them (a review: the items named, then the
  // ones it made). A failure rolls the whole change back and is what the
  // call returns. A front end writes its audit row here, on this store's
  // connection, so that a change and its audit row commit together or not
  // at all. Empty (the default): nothing. Returns the hook it replaces.
  using CommitHook = std::function<Status(const std::vector<LedgerItem>& written)>;
  CommitHook set_before_commit(CommitHook hook) {
    std::swap(hook, before_commit_);
    return hook;
  }
  // Runs the hook (the store's own changes call it; Ok when none is set).
  Status BeforeCommit(const std::vector<LedgerItem>& written) const {
    return before_commit_ ? before_commit_(written) : Status::Ok();
  }
  // The connection, for a later stage keeping its own tables in the same
  // database (access/: accounts, sessions, audit log — schema version 7).
  // Same thread rules as the store.
  ledger_internal::Database* database() { return db_.get(); }
  // "SQLite 文件 …" / "PostgreSQL 数据库 …".
  std::string Describe() const;
  // The schema version after migrations.
  int schema_version() const { return schema_version_; }
  // The day overdue and warnings are computed against (default: today,
  // local calendar), and the lead time for yellow (default 15 days).
  void set_today(std::string day) { today_ = std::move(day); }
  const std::string& today() const { return today_; }
  void set_lead_days(int days) { lead_days_ = days; }

  // The stored file with this content, if any: importing it again would
  // change nothing (the outcome says kUnchanged).
  Result<std::optional<ImportOutcome>> FindImported(const std::string& content_hash);
  // Stores an analyzed file in one transaction: the file (content hash,
  // path, format, size, each stage's JSON), its reports (metadata, headings,
  // figures, relations, findings, plan items), and a ledger item for every
  // plan item. The same content again changes nothing; changed content
  // under the same path is a new version (the old stays, ledger items are
  // matched by text and moved to the new version; none is deleted).
  Result<ImportOutcome> Import(const ImportRequest& request);

  // Several imports in one transaction (`import --batch N`): after
  // BeginBatch each Import is still all or nothing on its own — a savepoint
  // that a failing file rolls back to, leaving nothing of it while the
  // files before and after it stay — and CommitBatch stores them all at
  // once (a crash or RollbackBatch before it stores none of them). One
  // commit for many files instead of one each: fewer pages written again
  // (indexes, the history's tail), one durable write. The write lock
  // (SQLite) or the writers' advisory lock (PostgreSQL) is held from
  // BeginBatch to CommitBatch, so other writers wait meanwhile. A store
  // destroyed with a batch open rolls it back. Other writes (UpdateItem …)
  // are refused while a batch is open.
  Status BeginBatch();
  Status CommitBatch();
  void RollbackBatch();
  bool batch_open() const { return batch_open_; }

  Result<std::vector<LedgerItem>> ListItems(const ItemFilter& filter);
  // How many items ListItems(filter) would return without its offset and
  // limit (COUNT in the database).
  Result<int64_t> CountItems(const ItemFilter& filter);
  // How many items ListItems(filter) would return fall in each group
  // (GROUP BY in the database; the light by ComputeWarning's rules, as the
  // list's `warning` filter); groups without items are left out, the rest
  // in no particular order.
  Result<std::vector<ItemGroupCount>> CountItemsBy(const ItemFilter& filter, ItemGrouping grouping);
  // The last history row's id, 0 none: it changes whenever an item does
  // (every change of the ledger writes history), so a cache of what the
  // items hold (ItemUnitTexts) is fresh while it stays the same.
  Result<int64_t> LastHistoryId();
  Result<LedgerItem> GetItem(int64_t id);
  // The distinct 责任单位 and 牵头单位 values of the items, as written.
  Result<std::pair<std::vector<std::string>, std::vector<std::string>>> ItemUnitTexts();
  // A status given must fit the kind and be no 待销号 / 已销号: those only
  // SubmitRectification and CloseOff give.
  Result<LedgerItem> AddItem(const NewItem& item);
  // The changes of an item below are based on `expected_version` (the
  // optimistic lock the user asked for, --if-version): refused (kInvalidArgument,
  // with a clear message naming who changed it last and "本次修改未保存")
  // when the item's version is no longer that one. Without it (nullopt) the
  // change applies to whatever version is current: when another writer gets
  // in first, the item is read again and the change applied again. Either
  // way a transaction aborted by a concurrent one (serialization failure,
  // deadlock, a lock wait timed out) is tried again, a few times with a short
  // random pause; kAborted when every attempt was.
  Result<LedgerItem> UpdateItem(int64_t id, std::optional<int64_t> expected_version,
                                const ItemChange& change);
  // The work status of an item that is not accepted does not change:
  // UpdateItem with a status, AddProgress, SubmitRectification and CloseOff
  // refuse a proposal ("请先确认") and a rejected, merged or split item, and
  // UpdateItem refuses any change of those three.
  //
  // A progress entry; with a value equal to or above a numeric target, or
  // with `done`, a plan item becomes 已完成, else 推进中.
  Result<LedgerItem> AddProgress(int64_t id, std::optional<int64_t> expected_version,
                                 const ProgressEntry& entry, bool done);
  Result<std::vector<ProgressEntry>> ListProgress(int64_t id);
  // The attachment `sha256` of a progress entry of item `id`; nullopt when
  // no entry of that item has it.
  Result<std::optional<ProgressAttachment>> FindAttachment(int64_t id, const std::string& sha256);
  // Rectification of a problem: submit (待销号) by the acting user; close off
  // (已销号) only by a different user than the submitter. Evidence files given
  // with the submission are kept on a progress entry ("提交整改：<措施>", dated
  // today()) written in the same transaction.
  Result<LedgerItem> SubmitRectification(int64_t id, std::optional<int64_t> expected_version,
                                         const std::string& measures,
                                         const std::vector<ProgressAttachment>& evidence = {});
  Result<LedgerItem> CloseOff(int64_t id, std::optional<int64_t> expected_version);
  Result<std::vector<HistoryEntry>> History(int64_t item_id);

  // Reviewing proposals (待确认). Each call is one transaction over all the
  // items it names (all or nothing), guarded and retried like UpdateItem:
  // an item whose version is no longer its ItemRef's expected_version is a
  // conflict ("本次修改未保存"). Every item changed gets a history row (actions
  // accept, reject, merge, merged, split, assign; new items create). Errors
  // (kInvalidArgument, in Chinese, naming the 编号): no item given, an 编号
  // given twice, an item that is not a proposal where one is needed;
  // kNotFound for an 编号 the ledger does not hold.
  //
  // Accepts proposals: they count from now on. Returns them as accepted.
  Result<std::vector<LedgerItem>> AcceptItems(const std::vector<ItemRef>& items);
  // Rejects proposals with a reason (not empty): they stay stored, never count.
  Result<std::vector<LedgerItem>> RejectItems(const std::vector<ItemRef>& items, const std::string& reason);
  // Merges two or more items of one kind, unit and year into the first (a
  // proposal or an accepted item; the others proposals): it keeps its id and
  // becomes accepted, its task becomes `task` or, when that is empty, the
  // tasks joined by "；", its source the sources joined; a target or
  // deadline it lacks comes from the first other item that has one. The
  // others become 已合并 into it. Returns the kept item.
  Result<LedgerItem> MergeItems(const std::vector<ItemRef>& items, const std::string& task);
  // Replaces a proposal by two or more new proposals, one per task (none
  // empty), with its unit, year, deadline and source (report, file, line,
  // sentence); each takes as target the one figure its task states, if it
  // states exactly one. The proposal becomes 已拆分. Returns the new proposals.
  Result<std::vector<LedgerItem>> SplitItem(const ItemRef& item, const std::vector<std::string>& tasks);
  // Sets 牵头单位, 配合单位 and/or 责任人 (each nullopt: kept) of proposals or
  // accepted items, without changing their review state; at least one must
  // be given.
  struct Assignment {
    std::optional<std::string> lead_unit;
    std::optional<std::vector<std::string>> support_units;
    std::optional<std::string> responsible_person;
  };
  Result<std::vector<LedgerItem>> AssignItems(const std::vector<ItemRef>& items, const Assignment& assignment);
  Result<std::vector<RateRow>> Rates(const RateQuery& query);
  // The distinct 责任单位 of the ledger, sorted.
  Result<std::vector<std::string>> Units();
  Result<StoreCounts> Counts();

  // Imported files and reports, as stored. ListReports: by file (newest
  // first), then by place in the file. Get*: nullopt for an id not held.
  Result<std::vector<StoredReport>> ListReports(const ReportFilter& filter);
  Result<std::optional<StoredReport>> GetReport(int64_t id);
  Result<std::optional<StoredSource>> GetSource(int64_t id);
  // The files of these ids (those held), in the order of `ids`.
  Result<std::vector<StoredSource>> GetSources(const std::vector<int64_t>& ids);
  // The stored file with this content hash, if any.
  Result<std::optional<StoredSource>> FindSource(const std::string& content_hash);
  Result<StoredReportRows> GetReportRows(int64_t report_id);

  // Analysis jobs of the server: a record is written whole (inserted or
  // replaced) on every change of its state; nullopt for an id not held.
  Status PutJob(const JobRow& job);
  Result<std::optional<JobRow>> GetJob(const std::string& id);
  // The heartbeat of a server process (its row inserted or its time moved
  // to `now_ms`).
  Status BeatServerProcess(const ServerProcess& process, int64_t now_ms);
  // In one transaction: the queued or running jobs of every process other
  // than `self` whose heartbeat is older than `alive_since_ms` (or that has
  // no row: it died before version 10, or its row was removed) are marked
  // failed with `message`, and those processes' rows removed. The jobs of a
  // live process — one beating on the same database — are never touched.
  // Returns how many jobs were failed.
  Result<int64_t> FailOrphanedJobs(const std::string& self, int64_t alive_since_ms, int64_t now_ms,
                                   const std::string& message);
  // A process stopping: its own unfinished jobs failed with `message`, its
  // row removed.
  Result<int64_t> RetireServerProcess(const std::string& runner, int64_t now_ms, const std::string& message);

  // Adds or updates items from a sheet (ReadLedgerXlsx) in one transaction:
  // rows with an 编号 update that item when they differ (the version is
  // checked against nothing: the sheet is the newer word), rows without one
  // are new. An 编号 the ledger does not hold (or holding the other kind of
  // item) is an error naming the sheet, the row and the 编号. What a sheet
  // only shows (逾期, 预警) is never taken as data: a row showing 逾期 or no
  // status keeps the stored status. A status that differs from the stored
  // one changes as the commands change it, with their checks and history
  // rows: 待销号 as SubmitRectification by the acting user (with 整改措施),
  // 已销号 as CloseOff (a submitted problem, by someone other than its
  // submitter), any other as UpdateItem; a new problem starts as 整改中 and
  // then goes the same way. A change the commands refuse is an error naming
  // the sheet, the row and the status column. Any row error → nothing is
  // changed. Retried like the changes above.
  Result<std::pair<int, int>> ImportItems(const XlsxLedger& sheet);  // (added, updated)

  // A consistent copy of the database (SQLite online backup / pg_dump), and
  // its restoration.
  Status Backup(const std::string& path);
  Status Restore(const std::string& path);

  // Checks invariants: the history's hash chain (each row's hash, each link
  // to the row before); every ledger item replayed from its history (its
  // creation, then the after values of each change) equals the stored item,
  // its version counts its changes, its creator and last editor are those of
  // its first and last history rows; every stored file has exactly the
  // reports its row announces, every report its headings, figures and plan
  // items; the history's append-only triggers are in place; and, when
  // `recorded` is given, that row is still in the chain with that hash.
  Result<VerifyReport> Verify(const std::optional<HistoryHead>& recorded = std::nullopt);
  // The chain's last row now (id 0 when there is no history).
  Result<HistoryHead> ReadHistoryHead();

 private:
  LedgerStore(std::unique_ptr<ledger_internal::Database> db, std::string user);
  Status Migrate();
  // Import's steps, inside its transaction.
  struct ImportContext;
  Result<ImportOutcome> ImportInTransaction(ImportContext* context);
  Status InsertSource(ImportContext* context);
  Status InsertReport(ImportContext* context, size_t index);
  Status InsertReportDetails(ImportContext* context, size_t index, int64_t report_id);
  Status InsertPlanItems(ImportContext* context, size_t index, int64_t report_id, const std::string& unit);

  std::unique_ptr<ledger_internal::Database> db_;
  std::string user_;
  CommitHook before_commit_;
  std::string today_;
  int lead_days_ = 15;
  int schema_version_ = 0;
  bool batch_open_ = false;
  bool savepoint_set_ = false;  // a file of the batch set its savepoint
  std::string absent_hash_;     // FindImported found no such content in the open batch
};

// --- Excel ------------------------------------------------------------------

struct XlsxExportOptions {
  std::string title;           // title row; "" for "<年度>年工作任务台账" / "问题整改台账"
  bool sheet_per_unit = false;  // one sheet per 责任单位 (else one per ledger kind)
};

// Writes the items (plan and/or problem) as the ledger offices keep in
// Excel (libxlsxwriter): a title row, a merged two-row header, 序号 / 责任单位
// / 工作任务 / 目标 / 牵头单位 / 配合单位 / 责任人 / 完成时限 / 进展情况 / 完成状态 / 预警 /
// 编号 (taizhang's id, for importing back) …, frozen header, column widths, row heights that fit the
// wrapped text, status colours. 完成状态 is the stored status; what is
// computed (逾期, 红黄绿灯) goes to 预警 ("红灯（逾期）"), so that reading the
// sheet back changes nothing. 来源 names the file (its base name) and line.
// Writes a temporary file and renames it: no partial file on failure.
Status WriteLedgerXlsx(const std::vector<LedgerItem>& items, const XlsxExportOptions& options,
                       const std::string& path);

// A row of an imported sheet that cannot be taken, in Chinese.
struct XlsxRowError {
  std::string sheet;
  uint32_t row = 0;     // 1-based, as Excel numbers rows
  std::string column;   // the header of the offending column, or ""
  std::string message;  // "完成时限“2024年13月”不是有效日期"
};

struct XlsxLedger {
  std::vector<LedgerItem> items;  // id set when the row carries an 编号
  std::vector<uint32_t> rows;     // the sheet row of each item
  std::vector<std::string> item_sheets;  // the sheet of each item
  // Per item: true when the row states no status of its own (empty, or the
  // shown 逾期): an existing item keeps its stored status, a new one starts
  // as 未启动 / 整改中.
  std::vector<bool> status_shown_only;
  // Per item: whether its sheet has the columns 牵头单位, 配合单位, 责任人: a
  // stored item keeps what a sheet without the column does not say.
  struct AssignmentColumns {
    bool lead_unit = false;
    bool support_units = false;
    bool responsible_person = false;
  };
  std::vector<AssignmentColumns> assignment_columns;
  // Per item: the header of its status column as written (完成状态, 整改状态).
  std::vector<std::string> status_headers;
  std::vector<std::string> sheets;
  std::vector<XlsxRowError> errors;
};

// Reads a ledger from .xlsx (the sheet XML through minizip + pugixml, with the
// same limits as Word files): finds the header row by its column names
// (序号, 责任单位, 工作任务 or 问题描述, 完成时限 …; also sheets not written by
// taizhang), and validates every row. Errors (not a workbook, no ledger
// header) name the file; row problems go to XlsxLedger::errors.
Result<XlsxLedger> ReadLedgerXlsx(const std::string& path, const ReadOptions& limits);
// The same from bytes in memory (an upload); `name` names them in messages.
Result<XlsxLedger> ReadLedgerXlsxBytes(const std::string& name, std::string_view bytes, const ReadOptions& limits);

}  // namespace taizhang

#endif  // TAIZHANG_LEDGER_LEDGER_H_
