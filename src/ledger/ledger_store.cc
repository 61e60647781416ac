// LedgerStore: import, the plan and rectification ledgers, history, rates.
//
// Every write is one transaction that also appends its history rows; an
// update names the row version it was based on and is refused when the row
// has moved on (optimistic locking: `UPDATE … WHERE id = ? AND version = ?`).
// SHA256_Init/Update/Final: deprecated in OpenSSL 3 in favour of EVP, and
// kept here on purpose (Sha256Hex).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "common/calendar.h"
#include "common/utf8.h"
#include "extract/extract.h"
#include "ledger/database.h"
#include "ledger/history_chain.h"
#include "ledger/ledger.h"
#include "ledger/schema.h"
#include "outline/outline.h"

namespace taizhang {

using ledger_internal::Database;
using ledger_internal::Dialect;
using ledger_internal::HistoryRecord;
using ledger_internal::Row;
using ledger_internal::Transaction;
using ledger_internal::Value;
using nlohmann::json;

namespace {

std::string NowUtc() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string LocalToday() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
}

bool ValidDay(std::string_view day) { return calendar::ParseIsoDay(day).has_value(); }

// The distinct 责任单位 of the ledger, in order, one index seek each (a
// loose index scan over ledger_items_unit_year): SELECT DISTINCT read the
// whole index, 100,000 entries for 200 units (bench/ledger.sh).
constexpr const char* kDistinctUnits =
    "WITH RECURSIVE u(unit) AS (SELECT MIN(unit) FROM ledger_items UNION ALL "
    "SELECT (SELECT MIN(unit) FROM ledger_items WHERE unit > u.unit) FROM u WHERE u.unit IS NOT NULL) "
    "SELECT unit FROM u WHERE unit IS NOT NULL";

// The distinct 牵头单位 but none, the same way (ledger_items_lead_unit,
// version 10; "> ''" starts after the items without one, "<> ''" would
// read past them all).
constexpr const char* kDistinctLeadUnits =
    "WITH RECURSIVE u(unit) AS (SELECT MIN(lead_unit) FROM ledger_items WHERE lead_unit > '' UNION ALL "
    "SELECT (SELECT MIN(lead_unit) FROM ledger_items WHERE lead_unit > u.unit) FROM u WHERE u.unit IS NOT NULL) "
    "SELECT unit FROM u WHERE unit IS NOT NULL";

// " AND unit IN (…)" for the units of the ledger that `filter` names
// (UnitMatches); " AND 1 = 0" when it names none.
Status AddUnitClause(Database* db, const std::string& filter, std::string* sql, std::vector<Value>* params) {
  std::vector<Row> rows;
  Status s = db->Execute(kDistinctUnits, {}, &rows);
  if (!s.ok()) return s;
  std::string marks;
  for (const Row& r : rows) {
    if (!UnitMatches(filter, r.Text(0))) continue;
    marks += marks.empty() ? "?" : ", ?";
    params->emplace_back(r.Text(0));
  }
  *sql += marks.empty() ? " AND 1 = 0" : " AND unit IN (" + marks + ")";
  return Status::Ok();
}

std::string Sha256Hex(std::string_view bytes) {
  // OpenSSL's SHA-256 called directly (the same assembly as through EVP),
  // not through EVP_Digest: the first EVP digest of a process sets up
  // OpenSSL's provider and its tables of algorithm names, ~0.65 ms of CPU,
  // a sixth of a `ledger progress` call (bench/ledger.sh).
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const unsigned int length = SHA256_DIGEST_LENGTH;
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, bytes.data(), bytes.size());
  SHA256_Final(digest, &context);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

const char* FormatName(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::kDocx: return "docx";
    case DocumentFormat::kPdf: return "pdf";
    case DocumentFormat::kLegacyWord: return "doc";
    case DocumentFormat::kText: break;
  }
  return "text";
}

std::optional<ItemStatus> StatusFromName(const std::string& name) {
  for (ItemStatus s : {ItemStatus::kNotStarted, ItemStatus::kInProgress, ItemStatus::kDone, ItemStatus::kCancelled,
                       ItemStatus::kRectifying, ItemStatus::kAwaitingCloseOff, ItemStatus::kClosedOff}) {
    if (name == ItemStatusName(s)) return s;
  }
  return std::nullopt;
}

// The columns of ledger_items in the order ItemFromRow reads them.
constexpr const char* kItemColumns =
    "id, kind, unit, year, task, target_text, target_value, target_unit, target_approx, deadline, recurrence, "
    "status, progress_note, progress_value, progress_date, report_id, source_file, source_line, source_text, "
    "problem_source, found_date, measures, submitted_by, submitted_at, verified_by, closed_at, version, "
    "created_at, created_by, updated_at, updated_by, lead_unit, support_units, responsible_person, review, "
    "review_reason, reviewed_by, reviewed_at, merged_into, split_from";

std::optional<ReviewState> ReviewFromName(const std::string& name) {
  for (ReviewState r : {ReviewState::kProposed, ReviewState::kAccepted, ReviewState::kRejected,
                        ReviewState::kMerged, ReviewState::kSplit}) {
    if (name == ReviewStateName(r)) return r;
  }
  return std::nullopt;
}

LedgerItem ItemFromRow(const Row& r) {
  LedgerItem item;
  size_t c = 0;
  item.id = r.Int(c++);
  item.kind = r.Text(c++) == "problem" ? ItemKind::kProblem : ItemKind::kPlan;
  item.unit = r.Text(c++);
  item.year = static_cast<int>(r.Int(c++));
  item.task = r.Text(c++);
  item.target_text = r.Text(c++);
  item.target_value = r.Text(c++);
  item.target_unit = r.Text(c++);
  item.target_approx = r.Text(c++);
  item.deadline = r.Text(c++);
  item.recurrence = r.Text(c++);
  item.status = StatusFromName(r.Text(c++)).value_or(ItemStatus::kNotStarted);
  item.progress_note = r.Text(c++);
  item.progress_value = r.Text(c++);
  item.progress_date = r.Text(c++);
  item.report_id = r.Int(c++);
  item.source_file = r.Text(c++);
  item.source_line = static_cast<uint32_t>(r.Int(c++));
  item.source_text = r.Text(c++);
  item.problem_source = r.Text(c++);
  item.found_date = r.Text(c++);
  item.measures = r.Text(c++);
  item.submitted_by = r.Text(c++);
  item.submitted_at = r.Text(c++);
  item.verified_by = r.Text(c++);
  item.closed_at = r.Text(c++);
  item.version = r.Int(c++);
  item.created_at = r.Text(c++);
  item.created_by = r.Text(c++);
  item.updated_at = r.Text(c++);
  item.updated_by = r.Text(c++);
  item.lead_unit = r.Text(c++);
  item.support_units = ParseUnitList(r.Text(c++));
  item.responsible_person = r.Text(c++);
  item.review = ReviewFromName(r.Text(c++)).value_or(ReviewState::kAccepted);
  item.review_reason = r.Text(c++);
  item.reviewed_by = r.Text(c++);
  item.reviewed_at = r.Text(c++);
  item.merged_into = r.Int(c++);
  item.split_from = r.Int(c++);
  return item;
}

// The fields of an item a user can see change, as JSON (history rows).
json ItemFields(const LedgerItem& item) {
  return json{{"kind", ItemKindName(item.kind)},
              {"unit", item.unit},
              {"year", item.year},
              {"task", item.task},
              {"target", item.target_text},
              {"deadline", item.deadline},
              {"recurrence", item.recurrence},
              {"status", ItemStatusName(item.status)},
              {"progress_note", item.progress_note},
              {"progress_value", item.progress_value},
              {"progress_date", item.progress_date},
              {"problem_source", item.problem_source},
              {"found_date", item.found_date},
              {"measures", item.measures},
              {"submitted_by", item.submitted_by},
              {"verified_by", item.verified_by},
              {"source_file", item.source_file},
              {"source_line", item.source_line},
              {"lead_unit", item.lead_unit},
              {"support_units", JoinUnitList(item.support_units)},
              {"responsible_person", item.responsible_person},
              {"review", ReviewStateName(item.review)},
              {"review_reason", item.review_reason},
              {"reviewed_by", item.reviewed_by},
              {"merged_into", item.merged_into},
              {"split_from", item.split_from}};
}

// Only the keys whose values differ, from each side.
void Difference(const json& before, const json& after, json* changed_before, json* changed_after) {
  *changed_before = json::object();
  *changed_after = json::object();
  for (auto it = after.begin(); it != after.end(); ++it) {
    if (!before.contains(it.key()) || before[it.key()] != it.value()) {
      (*changed_before)[it.key()] = before.contains(it.key()) ? before[it.key()] : json(nullptr);
      (*changed_after)[it.key()] = it.value();
    }
  }
}

// A target written by hand ("5亿元以上", "120个") as a figure, through the
// same grammar as the reports.
void ParseTarget(const std::string& text, LedgerItem* item) {
  item->target_text = text;
  item->target_value.clear();
  item->target_unit.clear();
  item->target_approx.clear();
  if (text.empty()) return;
  auto source = DecodeText("目标", text, {});
  if (!source.ok()) return;
  std::vector<Quantity> quantities;
  ExtractQuantities(*source, Span{0, static_cast<uint32_t>(source->text().size())}, &quantities);
  if (quantities.size() != 1 || !quantities[0].value) return;
  item->target_value = quantities[0].value->ToString();
  item->target_unit = quantities[0].unit;
  item->target_approx = ApproximationName(quantities[0].approx);
}

// The one figure a task states as its target ("新建高标准农田3万亩" → 3万亩),
// none when it states none or several.
void TargetInTask(const std::string& task, LedgerItem* item) {
  item->target_text.clear();
  item->target_value.clear();
  item->target_unit.clear();
  item->target_approx.clear();
  auto source = DecodeText("任务", task, {});
  if (!source.ok()) return;
  std::vector<Quantity> quantities;
  ExtractQuantities(*source, Span{0, static_cast<uint32_t>(source->text().size())}, &quantities);
  const Quantity* only = nullptr;
  int figures = 0;
  for (const Quantity& q : quantities) {
    if (!q.value || q.placeholder || q.malformed) continue;
    ++figures;
    only = &q;
  }
  if (figures != 1) return;
  item->target_text = std::string(only->span.In(source->text()));
  item->target_value = only->value->ToString();
  item->target_unit = only->unit;
  item->target_approx = ApproximationName(only->approx);
}

// A progress value as written: a bare decimal (in the target's unit), or a
// figure in the target's own notation — 3.3万套 or 3.3万 for a target 3.2万套 —
// converted to the target's base unit (33000).
Status ProgressValue(const std::string& text, const LedgerItem& item, std::string* out) {
  out->clear();
  if (text.empty() || Decimal::Parse(text)) {
    *out = text;
    return Status::Ok();
  }
  LedgerItem figure;
  ParseTarget(text, &figure);
  if (figure.target_value.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "进展数值“" + text + "”不是数字，也不是带单位的数（如 33000、3.3万、3.3万套）。");
  }
  if (!figure.target_unit.empty() && figure.target_unit != item.target_unit) {
    if (item.target_unit.empty()) {
      return Status(StatusCode::kInvalidArgument, "进展数值“" + text + "”带单位“" + figure.target_unit +
                                                      "”，但事项的目标“" + item.target_text +
                                                      "”没有单位，无法换算；请只写数字。");
    }
    return Status(StatusCode::kInvalidArgument,
                  "进展数值“" + text + "”的单位是“" + figure.target_unit + "”，而目标“" + item.target_text +
                      "”的单位是“" + item.target_unit + "”，无法换算；请以“" + item.target_unit + "”为单位填写。");
  }
  *out = figure.target_value;
  return Status::Ok();
}

Status Conflict(int64_t id, const LedgerItem& current, int64_t expected) {
  return Status(StatusCode::kInvalidArgument,
                "编号 " + std::to_string(id) + " 的事项已被 " + current.updated_by + " 于 " + current.updated_at +
                    " 修改（当前版本 " + std::to_string(current.version) + "，本次修改依据的是版本 " +
                    std::to_string(expected) + "），本次修改未保存。请先用 `taizhang ledger show " +
                    std::to_string(id) + "` 查看最新内容再改。");
}

// Rows into `table`, in the way each backend does best. Without `ids`:
// Database::CopyRows (SQLite: a one-row INSERT compiled once and run per
// row; PostgreSQL: COPY FROM STDIN). With `ids`, a one-row INSERT per row
// (Database::InsertId) whose new id is appended to `*ids`, in the rows'
// order — on SQLite without RETURNING, which SQLite runs as a trigger: that
// made every such INSERT open and close a statement journal (a copy of each
// page it changed, kept in memory until the statement ended; 10% of an
// import's CPU, bench/ledger.sh).
Status InsertRows(Database* db, const char* table, const std::vector<const char*>& columns,
                  const std::vector<std::vector<Value>>& rows, std::vector<int64_t>* ids = nullptr) {
  if (rows.empty()) return Status::Ok();
  if (ids == nullptr) return db->CopyRows(table, columns, rows);
  std::string sql = std::string("INSERT INTO ") + table + " (";
  for (size_t c = 0; c < columns.size(); ++c) sql += (c ? ", " : "") + std::string(columns[c]);
  sql += ") VALUES (";
  for (size_t c = 0; c < columns.size(); ++c) sql += c ? ", ?" : "?";
  sql += ")";
  for (const std::vector<Value>& row : rows) {
    int64_t id = 0;
    Status s = db->InsertId(sql, row, &id);
    if (!s.ok()) return s;
    ids->push_back(id);
  }
  return Status::Ok();
}

std::string Str(std::string_view text) { return std::string(text); }

// Rows of a sheet after which its import refreshes the planner's statistics.
constexpr int kAnalyzeAfterRows = 1000;

// How many times a write meeting a concurrent transaction is tried.
constexpr int kWriteAttempts = 8;

// A write without an expected version (the current one is meant) that met
// a row moved on by another writer since this transaction read it: retried
// (kAborted); the message is for when every attempt met one.
Status Moved(int64_t id) {
  return Status(StatusCode::kAborted,
                "编号 " + std::to_string(id) + " 的事项同时有其他人在修改，重试 " +
                    std::to_string(kWriteAttempts) + " 次仍未能保存；请稍后再试。");
}

// Sleeps before the next attempt after `attempt` failed: a random time up to
// 10 ms · 2^attempt (at most 320 ms), so that writers that collided once do
// not collide again in step.
void BackOff(int attempt) {
  thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> milliseconds(1, 10 << std::min(attempt, 5));
  std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds(random)));
}

// Runs `attempt` — one whole transaction, reading what it changes — again
// while it fails with kAborted (a serialization failure, a deadlock, a lock
// wait that timed out, or a row moved on since the attempt read it), at most
// kWriteAttempts times; the last failure is returned as it is.
template <typename Attempt>
auto RetryAborted(Attempt&& attempt) -> decltype(attempt()) {
  for (int n = 1;; ++n) {
    auto result = attempt();
    if (result.ok() || result.status().code() != StatusCode::kAborted || n == kWriteAttempts)
      return result;
    BackOff(n);
  }
}

}  // namespace

bool IsValidDay(std::string_view day) { return ValidDay(day); }

LedgerStore::LedgerStore(std::unique_ptr<Database> db, std::string user)
    : db_(std::move(db)), user_(std::move(user)), today_(LocalToday()) {}

LedgerStore::~LedgerStore() {
  if (batch_open_) db_->Rollback();
}

std::string LedgerStore::Describe() const { return db_->Describe(); }

Result<std::unique_ptr<LedgerStore>> LedgerStore::Open(const std::string& url, const std::string& user) {
  if (user.empty()) return Status(StatusCode::kInvalidArgument, "没有给出操作人（--user 或环境变量 TAIZHANG_USER）。");
  Result<std::unique_ptr<Database>> db = Status(StatusCode::kInternal, "");
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    db = ledger_internal::OpenPostgres(url);
  } else {
    db = ledger_internal::OpenSqlite(url);
  }
  if (!db.ok()) return db.status();
  std::unique_ptr<LedgerStore> store(new LedgerStore(std::move(db).value(), user));
  Status s = store->Migrate();
  if (!s.ok()) return s;
  return store;
}

namespace {

int LatestSchemaVersion() {
  const std::vector<ledger_internal::Migration>& migrations = ledger_internal::Migrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

// Brings `db` up to schema version `target` with this build's migrations, in
// one transaction; `*reached` receives the version it then has.
Status MigrateDatabase(Database* db, int target, int* reached) {
  // Already at the target (nearly every open): read without the write lock,
  // which every command took on open before (a `ledger list` waited for an
  // import's batch).
  if (target == LatestSchemaVersion()) {
    std::vector<Row> rows;
    // A new database has no such table yet: the statement fails, the
    // migrations below make it.
    Status read = db->Execute("SELECT MAX(version) FROM schema_migrations", {}, &rows);
    if (read.ok() && !rows.empty() && !rows[0].IsNull(0) && rows[0].Int(0) == target) {
      *reached = target;
      return Status::Ok();
    }
  }
  Transaction tx(db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  if (db->dialect() == Dialect::kPostgres) {
    // One migrating process at a time; the others wait and find it done.
    s = db->Execute("SELECT pg_advisory_xact_lock(727420601)", {});
    if (!s.ok()) return s;
  }
  s = db->ExecuteScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, "
      "applied_at TEXT NOT NULL)");
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = db->Execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}, &rows);
  if (!s.ok()) return s;
  int current = rows.empty() ? 0 : static_cast<int>(rows[0].Int(0));
  const std::vector<ledger_internal::Migration>& migrations = ledger_internal::Migrations();
  if (!migrations.empty() && current > migrations.back().version) {
    return Status(StatusCode::kInvalidArgument,
                  db->Describe() + "：数据库结构版本 " + std::to_string(current) +
                      " 比本程序认识的版本 " + std::to_string(migrations.back().version) +
                      " 新，请升级 taizhang。");
  }
  for (const ledger_internal::Migration& m : migrations) {
    if (m.version <= current || m.version > target) continue;
    s = db->ExecuteScript(ledger_internal::MigrationScript(m, db->dialect()));
    if (!s.ok()) return s;
    if (m.step != nullptr) {
      s = m.step(db);
      if (!s.ok()) return s;
    }
    s = db->Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    {Value(int64_t{m.version}), Value(std::string(m.name)), Value(NowUtc())});
    if (!s.ok()) return s;
    current = m.version;
  }
  s = tx.Commit();
  if (!s.ok()) return s;
  *reached = current;
  return Status::Ok();
}

}  // namespace

Status LedgerStore::Migrate() {
  return MigrateDatabase(db_.get(), LatestSchemaVersion(), &schema_version_);
}

// --- Import --------------------------------------------------------------------

std::string ContentHash(std::string_view bytes) { return Sha256Hex(bytes); }

// The savepoint of one file inside a batch.
constexpr const char* kFileSavepoint = "taizhang_import_file";

// What Import's steps share.
struct LedgerStore::ImportContext {
  const ImportRequest* request = nullptr;
  const AnalyzedFile* file = nullptr;
  std::string_view text;
  std::string now;
  ImportOutcome outcome;
  // Ledger items of earlier versions of this path, by (unit, task) and by
  // (unit, the text of the plan item they were made from); the ids moved to
  // the new version so far.
  std::map<std::pair<std::string, std::string>, LedgerItem> earlier;
  std::set<int64_t> moved;
  // History rows, chained and written together before the commit.
  std::vector<HistoryRecord> history;
  // The file's findings by report (indexes into check.findings), made once:
  // each report's rows look at its own, not at every finding of the file
  // (a 200 MB compilation has some 16,000 reports).
  // Findings outside every report (report -1) fix no plan item's text.
  std::vector<std::vector<uint32_t>> findings_of;
  // The report being stored: its facts, its check and its findings
  // (FixedText's input for its plan items).
  const ReportFacts* report_facts = nullptr;
  const ReportCheck* report_check = nullptr;
  std::vector<Finding> report_findings;
  // A file whose check was deferred (a large compilation) is checked here
  // report by report, each report's results stored and dropped in turn.
  std::unique_ptr<ReportChecker> checker;
  CheckedReport step;
};

namespace {

// The stored file with this content hash, read inside or outside a transaction.
Result<std::optional<ImportOutcome>> StoredWithHash(Database* db, const std::string& content_hash) {
  std::vector<Row> rows;
  Status s = db->Execute("SELECT id, version FROM sources WHERE content_hash = ?", {Value(content_hash)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return std::optional<ImportOutcome>();
  ImportOutcome outcome;
  outcome.kind = ImportOutcome::kUnchanged;
  outcome.content_hash = content_hash;
  outcome.source_id = rows[0].Int(0);
  outcome.version = static_cast<int>(rows[0].Int(1));
  return std::optional<ImportOutcome>(outcome);
}

// The ledger item a plan item of `report` becomes (not yet stored).
// Its task is the item as a ledger row (list markers left out, the
// checker's safe fixes applied); the sentence stating it is its source.
LedgerItem ItemOfPlan(const PlanItem& pi, const ReportFacts& rf, const Report& report, const std::string& unit,
                      std::string_view text, const std::vector<Finding>& findings) {
  LedgerItem item;
  item.kind = ItemKind::kPlan;
  item.unit = !pi.owner.empty() ? pi.owner : unit;
  item.task = !pi.task_text.empty() ? pi.task_text : FixedText(text, pi.task.empty() ? pi.span : pi.task, findings);
  // The whole sentence, for the reviewer to judge the item by.
  item.source_text = pi.sentence >= 0 && static_cast<size_t>(pi.sentence) < report.sentences.size()
                         ? JoinedText(text, report.sentences[pi.sentence].span)
                         : JoinedText(text, pi.span);
  if (pi.target >= 0) {
    const Quantity& t = rf.quantities[pi.target];
    item.target_text = Str(t.span.In(text));
    item.target_value = t.value ? t.value->ToString() : std::string();
    item.target_unit = t.unit;
    item.target_approx = ApproximationName(t.approx);
  }
  item.deadline = pi.due;
  if (pi.recurrence >= 0) item.recurrence = rf.times[pi.recurrence].every;
  item.year = report.plan_year;
  if (item.year == 0 && item.deadline.size() >= 4) item.year = std::stoi(item.deadline.substr(0, 4));
  item.review = ReviewState::kProposed;
  return item;
}

// The proposals of the file's reports still awaiting review, and the unit
// and year they share.
Status CountAwaitingReview(Database* db, ImportOutcome* outcome) {
  std::vector<Row> rows;
  // By report (the items of this file) and counted here: with `review =
  // 'proposed'` in the statement the planners took the review index and
  // walked every proposal of the ledger for each file imported.
  Status s = db->Execute(
      "SELECT unit, year, review FROM ledger_items WHERE report_id IN (SELECT id FROM reports WHERE source_id = ?)",
      {Value(outcome->source_id)}, &rows);
  if (!s.ok()) return s;
  outcome->awaiting_review = 0;
  std::set<std::pair<std::string, int64_t>> groups;
  for (const Row& r : rows) {
    if (r.Text(2) != ReviewStateName(ReviewState::kProposed)) continue;
    ++outcome->awaiting_review;
    if (groups.size() < 2) groups.emplace(r.Text(0), r.Int(1));
  }
  if (groups.size() == 1) {
    outcome->review_unit = groups.begin()->first;
    outcome->review_year = static_cast<int>(groups.begin()->second);
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<ImportOutcome>> LedgerStore::FindImported(const std::string& content_hash) {
  auto stored = StoredWithHash(db_.get(), content_hash);
  if (batch_open_ && stored.ok() && !stored->has_value()) absent_hash_ = content_hash;
  return stored;
}

Result<ImportOutcome> LedgerStore::Import(const ImportRequest& request) {
  const AnalyzedFile* file = request.file;
  if (file == nullptr || !file->ok() || file->done != Stage::kCheck) {
    return Status(StatusCode::kInvalidArgument, "导入台账需要读取并校核完成的文件。");
  }
  ImportContext context;
  context.request = &request;
  context.file = file;
  context.text = file->source.text();
  context.outcome.content_hash = request.content_hash;

  if (batch_open_) {
    // One file of a batch: all or nothing on its own, the batch goes on.
    // The savepoint of the file before is released as this one is set (the
    // commit releases the last).
    Status s = db_->Savepoint(kFileSavepoint, savepoint_set_);
    if (!s.ok()) {
      RollbackBatch();
      return s;
    }
    savepoint_set_ = true;
    Result<ImportOutcome> outcome = ImportInTransaction(&context);
    if (!outcome.ok()) {
      Status undone = db_->RollbackToSavepoint(kFileSavepoint);
      if (!undone.ok()) {
        // The batch cannot go on: nothing of it is kept.
        RollbackBatch();
        return Status(outcome.status().code(), outcome.status().message() + "（" + undone.message() + "）");
      }
    }
    return outcome;
  }
  Transaction tx(db_.get());
  Status s = tx.Begin();
  if (!s.ok()) return s;
  Result<ImportOutcome> outcome = ImportInTransaction(&context);
  if (!outcome.ok()) return outcome;
  s = tx.Commit();
  if (!s.ok()) return s;
  return outcome;
}

Status LedgerStore::BeginBatch() {
  if (batch_open_) return Status(StatusCode::kInternal, "批量导入的事务已经开始。");
  Status s = db_->Begin();
  if (!s.ok()) return s;
  batch_open_ = true;
  savepoint_set_ = false;
  absent_hash_.clear();
  return Status::Ok();
}

Status LedgerStore::CommitBatch() {
  if (!batch_open_) return Status(StatusCode::kInternal, "没有进行中的批量导入事务。");
  batch_open_ = false;
  Status s = db_->Commit();
  if (!s.ok()) db_->Rollback();
  return s;
}

void LedgerStore::RollbackBatch() {
  if (!batch_open_) return;
  batch_open_ = false;
  db_->Rollback();
}

// Import's work inside its transaction (its own, or a batch's savepoint).
Result<ImportOutcome> LedgerStore::ImportInTransaction(ImportContext* context_pointer) {
  ImportContext& context = *context_pointer;
  const AnalyzedFile* file = context.file;
  const ImportRequest& request = *context.request;
  // Another process may have stored the same content meanwhile (or an
  // earlier file of the batch) — unless FindImported just found it absent
  // within this batch's transaction, which no one else writes in.
  if (!(batch_open_ && request.content_hash == absent_hash_)) {
    auto stored = StoredWithHash(db_.get(), request.content_hash);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) return **stored;
  }
  absent_hash_.clear();
  context.now = NowUtc();
  context.findings_of.assign(file->outline.reports.size(), {});
  if (file->check.deferred && !file->outline.reports.empty()) {
    context.checker = std::make_unique<ReportChecker>(file->source, file->outline, file->check.options);
  }
  for (size_t f = 0; f < file->check.findings.size(); ++f) {
    const int report = file->check.findings[f].report;
    if (report >= 0 && static_cast<size_t>(report) < context.findings_of.size()) {
      context.findings_of[report].push_back(static_cast<uint32_t>(f));
    }
  }
  Status s;
  s = InsertSource(&context);
  if (!s.ok()) return s;
  for (size_t index = 0; index < file->outline.reports.size(); ++index) {
    s = InsertReport(&context, index);
    if (!s.ok()) return s;
  }
  const ImportOutcome& outcome = context.outcome;
  context.history.push_back(HistoryRecord{context.now, user_, "source", outcome.source_id, "import",
                                          "",
                                          json{{"path", file->path},
                                               {"content_hash", outcome.content_hash},
                                               {"version", outcome.version},
                                               {"reports", outcome.reports}}
                                              .dump()});
  s = ledger_internal::AppendHistory(db_.get(), context.history);
  if (!s.ok()) return s;
  s = CountAwaitingReview(db_.get(), &context.outcome);
  if (!s.ok()) return s;
  return outcome;
}

// The file's row (a new version when the path was imported before), and the
// ledger items of the earlier versions for matching.
Status LedgerStore::InsertSource(ImportContext* context) {
  const AnalyzedFile& file = *context->file;
  ImportOutcome& outcome = context->outcome;
  std::vector<Row> rows;
  Status s = db_->Execute("SELECT id, version FROM sources WHERE path = ? ORDER BY version DESC LIMIT 1",
                          {Value(file.path)}, &rows);
  if (!s.ok()) return s;
  Value previous;
  if (!rows.empty()) {
    previous = rows[0].Int(0);
    outcome.version = static_cast<int>(rows[0].Int(1)) + 1;
    outcome.kind = ImportOutcome::kNewVersion;
  }
  rows.clear();
  s = db_->InsertId(
      "INSERT INTO sources (path, content_hash, size_bytes, format, encoding, version, previous_id, report_count, "
      "imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {Value(file.path), Value(outcome.content_hash), Value(static_cast<int64_t>(file.size_bytes)),
       Value(Str(FormatName(file.format))), Value(file.source.encoding()), Value(int64_t{outcome.version}), previous,
       Value(static_cast<int64_t>(file.outline.reports.size())), Value(context->now), Value(user_)},
      &outcome.source_id);
  if (!s.ok()) return s;
  if (outcome.kind != ImportOutcome::kNewVersion) return Status::Ok();
  rows.clear();
  // By task and by the text of the plan item it was made from, so that an
  // item merged or rewritten since is still found (the first, by id, wins).
  s = db_->Execute(std::string("SELECT ") + kItemColumns +
                       ", (SELECT p.text FROM plan_items p WHERE p.report_id = ledger_items.report_id AND p.idx = "
                       "ledger_items.plan_item_idx) FROM ledger_items WHERE report_id IN (SELECT r.id FROM reports r "
                       "JOIN sources f ON r.source_id = f.id WHERE f.path = ?) ORDER BY id",
                   {Value(file.path)}, &rows);
  if (!s.ok()) return s;
  const size_t text_column = rows.empty() ? 0 : rows[0].values.size() - 1;
  for (const Row& r : rows) {
    LedgerItem item = ItemFromRow(r);
    context->earlier.emplace(std::make_pair(item.unit, item.task), item);
    if (!r.IsNull(text_column)) context->earlier.emplace(std::make_pair(item.unit, r.Text(text_column)), item);
  }
  return Status::Ok();
}

// Report `index` of the file: its row, its details, its plan items.
Status LedgerStore::InsertReport(ImportContext* context, size_t index) {
  const AnalyzedFile& file = *context->file;
  const Report& report = file.outline.reports[index];
  context->report_findings.clear();
  if (context->checker) {
    if (!context->checker->Next(&context->step) || context->step.index != index) {
      return Status(StatusCode::kInternal, "逐篇校核的报告次序有误。");
    }
    // A report's findings come with its step (they lie in its lines).
    for (Finding& f : context->step.findings) {
      if (f.report == static_cast<int>(index)) context->report_findings.push_back(std::move(f));
    }
    context->report_facts = &context->step.facts;
    context->report_check = &context->step.check;
  } else {
    for (uint32_t f : context->findings_of[index]) context->report_findings.push_back(file.check.findings[f]);
    context->report_facts = &file.facts.reports[index];
    context->report_check = &file.check.reports[index];
  }
  const ReportFacts& rf = *context->report_facts;
  const ReportCheck& rc = *context->report_check;
  const int64_t finding_count = static_cast<int64_t>(context->report_findings.size());
  const std::string unit = !report.unit.name.empty() ? report.unit.name : report.unit.guess;
  int64_t report_id = 0;
  Status s = db_->InsertId(
      "INSERT INTO reports (source_id, doc_index, title, unit, unit_guessed, unit_kind, kind, summary_year, "
      "plan_year, first_line, last_line, heading_count, quantity_count, plan_item_count, relation_count, "
      "finding_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {Value(context->outcome.source_id), Value(static_cast<int64_t>(report.index)),
       Value(Str(report.title.In(context->text))), Value(unit), Value(int64_t{report.unit.guessed ? 1 : 0}),
       Value(report.unit.kind), Value(Str(ReportKindName(report.kind))), Value(int64_t{report.summary_year}),
       Value(int64_t{report.plan_year}), Value(int64_t{report.first_line}), Value(int64_t{report.last_line}),
       Value(static_cast<int64_t>(report.headings.size())), Value(static_cast<int64_t>(rf.quantities.size())),
       Value(static_cast<int64_t>(rf.plan_items.size())), Value(static_cast<int64_t>(rc.relations.size())),
       Value(finding_count)},
      &report_id);
  if (!s.ok()) return s;
  ++context->outcome.reports;
  s = InsertReportDetails(context, index, report_id);
  if (!s.ok()) return s;
  return InsertPlanItems(context, index, report_id, unit);
}

// The report's headings, figures, relations and findings.
Status LedgerStore::InsertReportDetails(ImportContext* context, size_t index, int64_t report_id) {
  const AnalyzedFile& file = *context->file;
  const std::string_view text = context->text;
  const Report& report = file.outline.reports[index];
  const ReportFacts& rf = *context->report_facts;
  const ReportCheck& rc = *context->report_check;
  std::vector<std::vector<Value>> batch;
  for (size_t h = 0; h < report.headings.size(); ++h) {
    const Heading& hd = report.headings[h];
    batch.push_back({Value(report_id), Value(static_cast<int64_t>(h)), Value(int64_t{hd.line}),
                     Value(int64_t{hd.column}), Value(int64_t{hd.depth}), Value(int64_t{hd.parent}),
                     Value(Str(hd.marker.In(text))), Value(Str(MarkerKindName(hd.kind))),
                     Value(Str(hd.title.In(text))), Value(Str(SectionKindName(hd.section_kind))),
                     Value(int64_t{hd.section_year})});
  }
  Status s = InsertRows(db_.get(), "headings",
                        {"report_id", "idx", "line", "col", "depth", "parent_idx", "marker", "marker_kind", "title",
                         "section_kind", "section_year"},
                        batch);
  if (!s.ok()) return s;
  batch.clear();
  for (size_t q = 0; q < rf.quantities.size(); ++q) {
    const Quantity& qt = rf.quantities[q];
    batch.push_back({Value(report_id), Value(static_cast<int64_t>(q)), Value(int64_t{qt.line}),
                     Value(int64_t{qt.column}), Value(Str(qt.span.In(text))),
                     Value(qt.value ? qt.value->ToString() : std::string()),
                     Value(qt.high ? qt.high->ToString() : std::string()), Value(qt.unit), Value(qt.kind),
                     Value(Str(ApproximationName(qt.approx))), Value(int64_t{qt.placeholder ? 1 : 0}),
                     Value(int64_t{qt.malformed ? 1 : 0}), Value(Str(qt.measured.In(text))),
                     Value(Str(RoleName(qt.role))), Value(Str(ChangeName(qt.change)))});
  }
  s = InsertRows(db_.get(), "quantities",
                 {"report_id", "idx", "line", "col", "text", "value", "high", "unit", "kind", "approx",
                  "placeholder", "malformed", "measured", "role", "change"},
                 batch);
  if (!s.ok()) return s;
  batch.clear();
  for (size_t r = 0; r < rc.relations.size(); ++r) {
    const Relation& rel = rc.relations[r];
    batch.push_back({Value(report_id), Value(static_cast<int64_t>(r)), Value(rel.family),
                     Value(Str(RelationStatusName(rel.status))), Value(int64_t{rel.line}), Value(rel.statement),
                     Value(rel.reason)});
  }
  s = InsertRows(db_.get(), "relations", {"report_id", "idx", "family", "status", "line", "statement", "reason"},
                 batch);
  if (!s.ok()) return s;
  batch.clear();
  for (const Finding& fd : context->report_findings) {
    batch.push_back({Value(report_id), Value(static_cast<int64_t>(batch.size())), Value(fd.rule),
                     Value(Str(SeverityName(fd.severity))), Value(int64_t{fd.line}), Value(int64_t{fd.column}),
                     Value(fd.message)});
  }
  return InsertRows(db_.get(), "findings", {"report_id", "idx", "rule", "severity", "line", "col", "message"},
                    batch);
}

// Plan items, and the ledger items made from them — unless the ledger
// already holds the same task of the same unit and year (the same report
// imported from another file: its .docx after its .txt). An item of an
// earlier version of the file keeps its id, status and progress.
Status LedgerStore::InsertPlanItems(ImportContext* context, size_t index, int64_t report_id,
                                    const std::string& unit) {
  const AnalyzedFile& file = *context->file;
  const std::string_view text = context->text;
  const std::string& now = context->now;
  const std::string& path = file.path;
  const Report& report = file.outline.reports[index];
  const ReportFacts& rf = *context->report_facts;
  ImportOutcome& outcome = context->outcome;
  std::set<std::string> held;
  std::vector<Row> rows;
  // Each item's task, and the plan item's text it was made from (a task
  // merged or rewritten since is still held: the report says nothing new).
  Status s = db_->Execute(
      "SELECT task, (SELECT p.text FROM plan_items p WHERE p.report_id = ledger_items.report_id AND "
      "p.idx = ledger_items.plan_item_idx) FROM ledger_items WHERE kind = 'plan' AND unit = ? AND year = ?",
      {Value(unit), Value(int64_t{report.plan_year})}, &rows);
  if (!s.ok()) return s;
  for (const Row& r : rows) {
    held.insert(r.Text(0));
    if (!r.IsNull(1)) held.insert(r.Text(1));
  }
  std::vector<std::vector<Value>> batch;
  std::vector<std::vector<Value>> item_batch;
  for (size_t p = 0; p < rf.plan_items.size(); ++p) {
    const PlanItem& pi = rf.plan_items[p];
    LedgerItem item = ItemOfPlan(pi, rf, report, unit, text, context->report_findings);
    batch.push_back({Value(report_id), Value(static_cast<int64_t>(p)), Value(int64_t{pi.line}),
                     Value(int64_t{pi.column}), Value(item.task), Value(Str(pi.subject.In(text))),
                     Value(Str(pi.action.In(text))), Value(Str(pi.object.In(text))), Value(item.target_text),
                     Value(item.target_value), Value(item.target_unit), Value(item.target_approx),
                     Value(item.deadline), Value(item.recurrence), Value(Str(StrengthName(pi.strength))),
                     Value(item.unit), Value(int64_t{pi.assessable ? 1 : 0})});
    ++outcome.plan_items;

    auto match = context->earlier.find({item.unit, item.task});
    if (match != context->earlier.end() && !context->moved.insert(match->second.id).second) {
      match = context->earlier.end();  // moved already, under its other text
    }
    if (match != context->earlier.end()) {
      // The same item in the new version: it keeps its id, status and progress.
      LedgerItem& old = match->second;
      json before = {{"report_id", old.report_id}, {"source_line", old.source_line}};
      json after = {{"report_id", report_id}, {"source_line", pi.line}};
      s = db_->Execute(
          "UPDATE ledger_items SET report_id = ?, plan_item_idx = ?, source_line = ?, version = version + 1, "
          "updated_at = ?, updated_by = ? WHERE id = ?",
          {Value(report_id), Value(static_cast<int64_t>(p)), Value(int64_t{pi.line}), Value(now), Value(user_),
           Value(old.id)});
      if (!s.ok()) return s;
      context->history.push_back(
          HistoryRecord{now, user_, "item", old.id, "reimport", before.dump(), after.dump()});
      context->earlier.erase(match);
      ++outcome.ledger_updated;
      continue;
    }
    if (item.unit == unit && item.year == report.plan_year && !held.insert(item.task).second) {
      ++outcome.ledger_existing;
      continue;
    }
    item_batch.push_back({Value(Str("plan")), Value(item.unit), Value(int64_t{item.year}), Value(item.task),
                          Value(item.target_text), Value(item.target_value), Value(item.target_unit),
                          Value(item.target_approx), Value(item.deadline), Value(item.recurrence),
                          Value(Str(ItemStatusName(ItemStatus::kNotStarted))), Value(report_id),
                          Value(static_cast<int64_t>(p)), Value(path), Value(int64_t{pi.line}),
                          Value(item.source_text), Value(now), Value(user_), Value(now), Value(user_),
                          Value(Str("")), Value(Str("")), Value(Str("")), Value(Str("")), Value(Str("")),
                          Value(Str("")), Value(Str("")), Value(Str("")), Value(Str("")), Value(Str("")),
                          Value(int64_t{1}), Value(Str(ReviewStateName(item.review)))});
  }
  s = InsertRows(db_.get(), "plan_items",
                 {"report_id", "idx", "line", "col", "text", "subject", "action", "object", "target_text",
                  "target_value", "target_unit", "target_approx", "deadline", "recurrence", "strength", "owner",
                  "assessable"},
                 batch);
  if (!s.ok()) return s;
  // New ledger items in a few statements (one per item was 85% of the
  // round trips of a PostgreSQL import), then their history rows.
  rows.clear();
  std::vector<const char*> item_columns = {
      "kind", "unit", "year", "task", "target_text", "target_value", "target_unit", "target_approx",
      "deadline", "recurrence", "status", "report_id", "plan_item_idx", "source_file", "source_line",
      "source_text", "created_at", "created_by", "updated_at", "updated_by", "progress_note",
      "progress_value", "progress_date", "problem_source", "found_date", "measures", "submitted_by",
      "submitted_at", "verified_by", "closed_at", "version", "review"};
  std::map<int64_t, int64_t> id_of;  // plan_item_idx → id
  if (db_->dialect() == Dialect::kPostgres && !item_batch.empty()) {
    // The ids from the identity's sequence in one round trip, then the rows
    // through COPY with them (unnest's arrays of 32 columns and RETURNING
    // were the largest part of the server's time left).
    s = db_->Execute("SELECT nextval(pg_get_serial_sequence('ledger_items', 'id')) FROM generate_series(1, ?)",
                     {Value(static_cast<int64_t>(item_batch.size()))}, &rows);
    if (!s.ok()) return s;
    std::vector<int64_t> ids;
    for (const Row& r : rows) ids.push_back(r.Int(0));
    std::sort(ids.begin(), ids.end());
    if (ids.size() != item_batch.size()) return Status(StatusCode::kInternal, "PostgreSQL：台账事项编号分配失败。");
    std::vector<std::vector<Value>> with_ids;
    with_ids.reserve(item_batch.size());
    for (size_t i = 0; i < item_batch.size(); ++i) {
      with_ids.push_back(item_batch[i]);
      with_ids.back().push_back(Value(ids[i]));
      id_of[std::get<int64_t>(item_batch[i][12])] = ids[i];
    }
    item_columns.push_back("id");
    s = db_->CopyRows("ledger_items", item_columns, with_ids);
    if (!s.ok()) return s;
  } else {
    std::vector<int64_t> ids;
    s = InsertRows(db_.get(), "ledger_items", item_columns, item_batch, &ids);
    if (!s.ok()) return s;
    for (size_t i = 0; i < ids.size(); ++i) id_of[std::get<int64_t>(item_batch[i][12])] = ids[i];
  }
  for (const std::vector<Value>& v : item_batch) {
    json after = {{"kind", "plan"},
                  {"unit", std::get<std::string>(v[1])},
                  {"year", std::get<int64_t>(v[2])},
                  {"task", std::get<std::string>(v[3])},
                  {"target", std::get<std::string>(v[4])},
                  {"deadline", std::get<std::string>(v[8])},
                  {"recurrence", std::get<std::string>(v[9])},
                  {"status", "not_started"},
                  {"source_file", path},
                  {"source_line", std::get<int64_t>(v[14])},
                  {"review", std::get<std::string>(v[31])}};
    context->history.push_back(HistoryRecord{now, user_, "item", id_of.at(std::get<int64_t>(v[12])),
                                             "create", "", after.dump()});
    ++outcome.ledger_added;
  }
  return Status::Ok();
}

// --- Reading items ---------------------------------------------------------------

namespace {

void ComputeWarning(const std::string& today, int lead_days, LedgerItem* item) {
  item->overdue = false;
  item->warning = Warning::kNone;
  // A proposal, or an item taken out of the ledger, is due for nothing.
  if (item->review != ReviewState::kAccepted) return;
  if (IsFinished(item->status)) {
    item->warning = Warning::kGreen;
    return;
  }
  const std::optional<int64_t> due = calendar::ParseIsoDay(item->deadline);
  const std::optional<int64_t> now = calendar::ParseIsoDay(today);
  if (!due || !now) return;
  if (*due < *now) {
    item->overdue = true;
    item->warning = Warning::kRed;
  } else if (*due - *now <= lead_days) {
    item->warning = Warning::kYellow;
  } else {
    item->warning = Warning::kGreen;
  }
}

// Accepted and not finished: what can be overdue or due soon.
constexpr const char* kUnfinished =
    "review = 'accepted' AND status NOT IN ('done', 'cancelled', 'closed_off')";

}  // namespace

namespace {

// " IN (?, ?, …)" with the values appended to `params`.
std::string InList(const std::vector<std::string>& values, std::vector<Value>* params) {
  std::string marks;
  for (const std::string& value : values) {
    marks += marks.empty() ? "?" : ", ?";
    params->emplace_back(value);
  }
  return " IN (" + marks + ")";
}

// The WHERE clause (" AND …" after "WHERE 1 = 1") of a filter, shared by the
// list and its count; `today` and `lead_days` as ComputeWarning takes them.
// A green light is either of two disjoint conditions, each the range of an
// index (finished: ledger_items_status_review; unfinished and due after the
// lead time: ledger_items_open_deadline); a count adds the two counts
// instead of testing the OR on every accepted row.
enum class GreenPart { kEither, kFinished, kOpen };

Status ItemConditions(Database* db, const std::string& today, int lead_days, const ItemFilter& filter,
                      std::string* sql, std::vector<Value>* params, GreenPart green = GreenPart::kEither) {
  if (filter.kind) {
    *sql += " AND kind = ?";
    params->emplace_back(Str(ItemKindName(*filter.kind)));
  }
  if (!filter.unit.empty()) {
    Status s = AddUnitClause(db, filter.unit, sql, params);
    if (!s.ok()) return s;
  }
  if (filter.year != 0) {
    *sql += " AND year = ?";
    params->emplace_back(int64_t{filter.year});
  }
  if (filter.status) {
    *sql += " AND status = ?";
    params->emplace_back(Str(ItemStatusName(*filter.status)));
  }
  if (filter.review) {
    *sql += " AND review = ?";
    params->emplace_back(Str(ReviewStateName(*filter.review)));
  }
  if (filter.unit_texts || filter.lead_unit_texts) {
    std::string any;
    auto add = [&](const char* column, const std::optional<std::vector<std::string>>& texts) {
      if (!texts || texts->empty()) return;
      any += std::string(any.empty() ? "" : " OR ") + column + InList(*texts, params);
    };
    add("unit", filter.unit_texts);
    add("lead_unit", filter.lead_unit_texts);
    if (!filter.orphan_unit_texts.empty() && !filter.orphan_lead_texts.empty()) {
      // Two statements: the parameters in the order of their marks.
      const std::string units = InList(filter.orphan_unit_texts, params);
      const std::string leads = InList(filter.orphan_lead_texts, params);
      any += std::string(any.empty() ? "" : " OR ") + "(unit" + units + " AND lead_unit" + leads + ")";
    }
    *sql += any.empty() ? " AND 1 = 0" : " AND (" + any + ")";
  }
  if (filter.overdue) {
    *sql += std::string(" AND ") + kUnfinished + " AND deadline <> '' AND deadline < ?";
    params->emplace_back(today);
  }
  if (filter.due_within_days >= 0) {
    *sql += std::string(" AND ") + kUnfinished + " AND deadline <> '' AND deadline >= ? AND deadline <= ?";
    params->emplace_back(today);
    // today is always a valid day (LocalToday); value_or keeps the old fallback.
    params->emplace_back(calendar::AddDays(today, filter.due_within_days).value_or(today));
  }
  if (filter.warning) {
    // ComputeWarning in SQL: a light only for accepted items; green for a
    // finished one or one due after the lead time, yellow within it, red
    // past the deadline.
    const std::string lead_end = calendar::AddDays(today, lead_days).value_or(today);
    switch (*filter.warning) {
      case Warning::kRed:
        *sql += std::string(" AND ") + kUnfinished + " AND deadline <> '' AND deadline < ?";
        params->emplace_back(today);
        break;
      case Warning::kYellow:
        *sql += std::string(" AND ") + kUnfinished + " AND deadline >= ? AND deadline <= ?";
        params->emplace_back(today);
        params->emplace_back(lead_end);
        break;
      case Warning::kGreen:
        switch (green) {
          case GreenPart::kEither:
            *sql += std::string(" AND review = 'accepted' AND (status IN ('done', 'cancelled', 'closed_off') OR (") +
                    kUnfinished + " AND deadline > ?))";
            params->emplace_back(lead_end);
            break;
          case GreenPart::kFinished:
            *sql += " AND review = 'accepted' AND status IN ('done', 'cancelled', 'closed_off')";
            break;
          case GreenPart::kOpen:
            *sql += std::string(" AND ") + kUnfinished + " AND deadline > ?";
            params->emplace_back(lead_end);
            break;
        }
        break;
      case Warning::kNone:
        *sql += " AND NOT (review = 'accepted' AND (status IN ('done', 'cancelled', 'closed_off') OR deadline <> ''))";
        break;
    }
  }
  if (!filter.deadline_from.empty() || !filter.deadline_to.empty()) {
    // Written as ledger_items_by_deadline's first column, so that a window
    // is one range of it ("= FALSE" PostgreSQL rewrites to deadline <> '',
    // which matches no index column).
    *sql += " AND (deadline = '') IS FALSE";
  }
  if (!filter.deadline_from.empty()) {
    *sql += " AND deadline >= ?";
    params->emplace_back(filter.deadline_from);
  }
  if (!filter.deadline_to.empty()) {
    *sql += " AND deadline <= ?";
    params->emplace_back(filter.deadline_to);
  }
  if (filter.report_id) {
    if (*filter.report_id == 0) {
      *sql += " AND report_id IS NULL";
    } else {
      *sql += " AND report_id = ?";
      params->emplace_back(*filter.report_id);
    }
  }
  if (!filter.not_submitted_by.empty()) {
    *sql += " AND submitted_by <> ?";
    params->emplace_back(filter.not_submitted_by);
  }
  if (!filter.text.empty()) {
    // A substring, not a pattern: instr/strpos compare bytes (LIKE folds
    // case character by character, twice the CPU on SQLite).
    *sql += db->dialect() == Dialect::kSqlite ? " AND instr(task, ?) > 0" : " AND strpos(task, ?) > 0";
    params->emplace_back(filter.text);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<LedgerItem>> LedgerStore::ListItems(const ItemFilter& filter) {
  std::string where = " WHERE 1 = 1";
  std::vector<Value> params;
  Status s = ItemConditions(db_.get(), today_, lead_days_, filter, &where, &params);
  if (!s.ok()) return s;
  std::string order;
  switch (filter.order) {
    case ItemFilter::Order::kId:
      order = " ORDER BY id";
      break;
    case ItemFilter::Order::kIdDescending:
      order = " ORDER BY id DESC";
      break;
    case ItemFilter::Order::kDeadline:
      // ledger_items_by_deadline's order; review is one value unless every
      // state is asked for.
      order = " ORDER BY (deadline = ''), deadline, review, id";
      break;
    case ItemFilter::Order::kUpdated:
      order = " ORDER BY updated_at DESC, id DESC";
      break;
  }
  std::string sql;
  if (filter.limit > 0) {
    // The page's ids first, then their rows: the ids of a filter's rows
    // come from an index alone where one holds its columns (a scope's
    // units, their states and deadlines: ledger_items_unit_state), so that
    // only the page's 50 rows are read, not every row sorted for it.
    sql = std::string("SELECT ") + kItemColumns + " FROM ledger_items WHERE id IN (SELECT id FROM ledger_items" +
          where + order + " LIMIT ?";
    params.emplace_back(filter.limit);
    if (filter.offset > 0) {
      sql += " OFFSET ?";
      params.emplace_back(filter.offset);
    }
    sql += ")" + order;
  } else {
    sql = std::string("SELECT ") + kItemColumns + " FROM ledger_items" + where + order;
  }
  std::vector<Row> rows;
  s = db_->Execute(sql, params, &rows);
  if (!s.ok()) return s;
  std::vector<LedgerItem> items;
  items.reserve(rows.size());
  for (const Row& r : rows) {
    items.push_back(ItemFromRow(r));
    ComputeWarning(today_, lead_days_, &items.back());
  }
  return items;
}

Result<int64_t> LedgerStore::CountItems(const ItemFilter& filter) {
  int64_t total = 0;
  const bool green = filter.warning == Warning::kGreen;
  for (GreenPart part : {GreenPart::kFinished, GreenPart::kOpen}) {
    std::string sql = "SELECT COUNT(*) FROM ledger_items WHERE 1 = 1";
    std::vector<Value> params;
    Status s = ItemConditions(db_.get(), today_, lead_days_, filter, &sql, &params,
                              green ? part : GreenPart::kEither);
    if (!s.ok()) return s;
    std::vector<Row> rows;
    s = db_->Execute(sql, params, &rows);
    if (!s.ok()) return s;
    total += rows.empty() ? 0 : rows[0].Int(0);
    if (!green) break;
  }
  return total;
}

Result<std::vector<ItemGroupCount>> LedgerStore::CountItemsBy(const ItemFilter& filter, ItemGrouping grouping) {
  std::string sql;
  std::vector<Value> params;
  switch (grouping) {
    case ItemGrouping::kStatusLight:
      // ComputeWarning in SQL: none for a proposal (or an item taken out),
      // green when finished, none without a 时限, then red / yellow / green
      // by the 时限 against today and the lead time.
      sql = std::string("SELECT status, CASE WHEN review <> 'accepted' THEN '' ") +
            "WHEN status IN ('done', 'cancelled', 'closed_off') THEN 'green' WHEN deadline = '' THEN '' " +
            "WHEN deadline < ? THEN 'red' WHEN deadline <= ? THEN 'yellow' ELSE 'green' END, COUNT(*) " +
            "FROM ledger_items WHERE 1 = 1";
      params.emplace_back(today_);
      params.emplace_back(calendar::AddDays(today_, lead_days_).value_or(today_));
      break;
    case ItemGrouping::kUnitDeadlineMonth:
      sql = "SELECT unit, substr(deadline, 1, 7), COUNT(*) FROM ledger_items WHERE 1 = 1";
      break;
    case ItemGrouping::kReport:
      sql = "SELECT COALESCE(report_id, 0), '', COUNT(*) FROM ledger_items WHERE 1 = 1";
      break;
  }
  Status s = ItemConditions(db_.get(), today_, lead_days_, filter, &sql, &params);
  if (!s.ok()) return s;
  sql += grouping == ItemGrouping::kReport ? " GROUP BY 1" : " GROUP BY 1, 2";
  std::vector<Row> rows;
  s = db_->Execute(sql, params, &rows);
  if (!s.ok()) return s;
  std::vector<ItemGroupCount> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back({r.Text(0), r.Text(1), r.Int(2)});
  return out;
}

Result<int64_t> LedgerStore::LastHistoryId() {
  std::vector<Row> rows;
  Status s = db_->Execute("SELECT MAX(id) FROM history", {}, &rows);
  if (!s.ok()) return s;
  return rows.empty() || rows[0].IsNull(0) ? int64_t{0} : rows[0].Int(0);
}

Result<LedgerItem> LedgerStore::GetItem(int64_t id) {
  std::vector<Row> rows;
  Status s = db_->Execute(std::string("SELECT ") + kItemColumns + " FROM ledger_items WHERE id = ?", {Value(id)},
                          &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return Status(StatusCode::kNotFound, "台账中没有编号为 " + std::to_string(id) + " 的事项。");
  LedgerItem item = ItemFromRow(rows[0]);
  ComputeWarning(today_, lead_days_, &item);
  return item;
}

Result<std::pair<std::vector<std::string>, std::vector<std::string>>> LedgerStore::ItemUnitTexts() {
  std::pair<std::vector<std::string>, std::vector<std::string>> out;
  std::vector<Row> rows;
  Status s = db_->Execute(kDistinctUnits, {}, &rows);
  if (!s.ok()) return s;
  for (const Row& r : rows) out.first.push_back(r.Text(0));
  rows.clear();
  s = db_->Execute(kDistinctLeadUnits, {}, &rows);
  if (!s.ok()) return s;
  for (const Row& r : rows) out.second.push_back(r.Text(0));
  return out;
}

// --- Writing items ---------------------------------------------------------------

namespace {

Status ValidateItem(const LedgerItem& item) {
  if (item.unit.empty()) return Status(StatusCode::kInvalidArgument, "责任单位不能为空。");
  if (item.task.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  item.kind == ItemKind::kPlan ? "工作任务不能为空。" : "问题描述不能为空。");
  }
  if (!item.deadline.empty() && !ValidDay(item.deadline)) {
    return Status(StatusCode::kInvalidArgument, "时限“" + item.deadline + "”不是有效日期（应为 YYYY-MM-DD）。");
  }
  if (!item.found_date.empty() && !ValidDay(item.found_date)) {
    return Status(StatusCode::kInvalidArgument, "发现时间“" + item.found_date + "”不是有效日期（应为 YYYY-MM-DD）。");
  }
  if (item.year != 0 && (item.year < 1900 || item.year > 2100)) {
    return Status(StatusCode::kInvalidArgument, "年度 " + std::to_string(item.year) + " 不在 1900–2100 之间。");
  }
  if (!StatusFitsKind(item.status, item.kind)) {
    return Status(StatusCode::kInvalidArgument, std::string("状态“") + ItemStatusLabel(item.status) + "”不适用于" +
                                                    (item.kind == ItemKind::kPlan ? "工作任务" : "问题") + "。");
  }
  return Status::Ok();
}

// "编号 12 的事项已驳回（理由：…）": where an item stands in review, for refusals.
std::string ReviewStanding(const LedgerItem& item) {
  std::string text = "编号 " + std::to_string(item.id) + " 的事项";
  switch (item.review) {
    case ReviewState::kProposed: return text + "待确认";
    case ReviewState::kAccepted: return text + "已确认";
    case ReviewState::kRejected:
      return text + "已驳回" + (item.review_reason.empty() ? "" : "（理由：" + item.review_reason + "）");
    case ReviewState::kMerged: return text + "已合并入编号 " + std::to_string(item.merged_into);
    case ReviewState::kSplit: return text + "已拆分";
  }
  return text;
}

// A rejected, merged or split item is out of the ledger: nothing of it changes.
Status RequireNotRemoved(const LedgerItem& item) {
  if (item.review == ReviewState::kProposed || item.review == ReviewState::kAccepted) return Status::Ok();
  return Status(StatusCode::kInvalidArgument, ReviewStanding(item) + "，已不在台账中，不能修改。");
}

// The work status (and progress) of an item changes only once it is
// accepted: `what` is what was asked ("报进展").
Status RequireAccepted(const LedgerItem& item, const std::string& what) {
  if (item.review == ReviewState::kAccepted) return Status::Ok();
  if (item.review == ReviewState::kProposed) {
    return Status(StatusCode::kInvalidArgument, ReviewStanding(item) + "，还不是台账事项，不能" + what +
                                                    "；请先确认：taizhang ledger review accept " +
                                                    std::to_string(item.id) + "。");
  }
  return RequireNotRemoved(item);
}

// The status changes, written once: `ledger add/update --status`, `ledger
// submit` and `ledger close` make them, and so does a sheet (ImportItems),
// so that a sheet can do nothing the commands refuse.

// A status set directly (add, update): any of the item's kind (ValidateItem)
// but the two only submitting and closing off give.
Status SetStatus(LedgerItem* item, ItemStatus status) {
  if (status == ItemStatus::kClosedOff || status == ItemStatus::kAwaitingCloseOff) {
    return Status(StatusCode::kInvalidArgument,
                  "问题的提交整改与销号请用 `ledger submit` 与 `ledger close`。");
  }
  item->status = status;
  return Status::Ok();
}

// Submitting a rectification: a problem in 整改中, its measures written
// (`measures_where` says where they go: "--measures"), becomes 待销号,
// submitted by `user`.
Status Submit(LedgerItem* item, const std::string& user, const std::string& now,
              const char* measures_where) {
  if (Status s = RequireAccepted(*item, "提交整改"); !s.ok()) return s;
  if (item->kind != ItemKind::kProblem) {
    return Status(StatusCode::kInvalidArgument,
                  "编号 " + std::to_string(item->id) + " 是工作任务，不是问题，不能提交整改。");
  }
  if (item->status != ItemStatus::kRectifying) {
    return Status(StatusCode::kInvalidArgument, std::string("问题当前状态为“") +
                                                    ItemStatusLabel(item->status) +
                                                    "”，只有“整改中”的问题可以提交整改。");
  }
  if (item->measures.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  std::string("提交整改须写明整改措施（") + measures_where + "）。");
  }
  item->status = ItemStatus::kAwaitingCloseOff;
  item->submitted_by = user;
  item->submitted_at = now;
  return Status::Ok();
}

// Closing off (销号): a submitted problem (待销号) becomes 已销号, verified by
// `user`, who must not be the one who submitted it.
Status CloseOffBy(LedgerItem* item, const std::string& user, const std::string& now) {
  if (Status s = RequireAccepted(*item, "销号"); !s.ok()) return s;
  if (item->kind != ItemKind::kProblem) {
    return Status(StatusCode::kInvalidArgument,
                  "编号 " + std::to_string(item->id) + " 是工作任务，不是问题，不能销号。");
  }
  if (item->status != ItemStatus::kAwaitingCloseOff) {
    return Status(StatusCode::kInvalidArgument, std::string("问题当前状态为“") +
                                                    ItemStatusLabel(item->status) +
                                                    "”，只有已提交整改（待销号）的问题可以销号。");
  }
  if (item->submitted_by == user) {
    return Status(StatusCode::kInvalidArgument, "销号须由提交整改者以外的人核实：" + user +
                                                    " 提交的整改不能由 " + user + " 本人销号。");
  }
  item->status = ItemStatus::kClosedOff;
  item->verified_by = user;
  item->closed_at = now;
  return Status::Ok();
}

}  // namespace

namespace {

// Stores `item` as a new row — typed in, read from a sheet, or a proposal
// made by splitting another (its source kept; `plan_item_idx` is that of the
// plan item behind it, -1 for none) — and adds its creation history row to
// `history`; sets item->id and its version 1. Inside the caller's transaction.
Status InsertNewItem(Database* db, const std::string& now, const std::string& user, LedgerItem* item,
                     std::vector<HistoryRecord>* history, int64_t plan_item_idx = -1) {
  item->version = 1;
  item->created_at = item->updated_at = now;
  item->created_by = item->updated_by = user;
  const std::pair<const char*, Value> columns[] = {
      {"kind", Str(ItemKindName(item->kind))},
      {"unit", item->unit},
      {"year", int64_t{item->year}},
      {"task", item->task},
      {"target_text", item->target_text},
      {"target_value", item->target_value},
      {"target_unit", item->target_unit},
      {"target_approx", item->target_approx},
      {"deadline", item->deadline},
      {"recurrence", item->recurrence},
      {"status", Str(ItemStatusName(item->status))},
      {"progress_note", item->progress_note},
      {"progress_value", item->progress_value},
      {"progress_date", item->progress_date},
      {"report_id", item->report_id != 0 ? Value(item->report_id) : Value()},
      {"plan_item_idx", plan_item_idx},
      {"source_file", item->source_file},
      {"source_line", int64_t{item->source_line}},
      {"source_text", item->source_text},
      {"problem_source", item->problem_source},
      {"found_date", item->found_date},
      {"measures", item->measures},
      {"submitted_by", item->submitted_by},
      {"submitted_at", item->submitted_at},
      {"verified_by", item->verified_by},
      {"closed_at", item->closed_at},
      {"version", item->version},
      {"created_at", item->created_at},
      {"created_by", item->created_by},
      {"updated_at", item->updated_at},
      {"updated_by", item->updated_by},
      {"lead_unit", item->lead_unit},
      {"support_units", JoinUnitList(item->support_units)},
      {"responsible_person", item->responsible_person},
      {"review", Str(ReviewStateName(item->review))},
      {"review_reason", item->review_reason},
      {"reviewed_by", item->reviewed_by},
      {"reviewed_at", item->reviewed_at},
      {"merged_into", item->merged_into},
      {"split_from", item->split_from},
  };
  std::string names, marks;
  std::vector<Value> params;
  for (const auto& [name, value] : columns) {
    names += (names.empty() ? "" : ", ") + Str(name);
    marks += marks.empty() ? "?" : ", ?";
    params.push_back(value);
  }
  Status s = db->InsertId("INSERT INTO ledger_items (" + names + ") VALUES (" + marks + ")", params, &item->id);
  if (!s.ok()) return s;
  history->push_back(
      HistoryRecord{now, user, "item", item->id, "create", "", ItemFields(*item).dump()});
  return Status::Ok();
}

}  // namespace

Result<LedgerItem> LedgerStore::AddItem(const NewItem& in) {
  LedgerItem item;
  item.kind = in.kind;
  item.unit = in.unit;
  item.year = in.year;
  item.task = in.task;
  ParseTarget(in.target_text, &item);
  item.deadline = in.deadline;
  item.recurrence = in.recurrence;
  item.status = in.status.value_or(in.kind == ItemKind::kPlan ? ItemStatus::kNotStarted : ItemStatus::kRectifying);
  item.problem_source = in.problem_source;
  item.found_date = in.found_date;
  item.lead_unit = in.lead_unit;
  item.support_units = ParseUnitList(JoinUnitList(in.support_units));
  item.responsible_person = in.responsible_person;
  if (in.status) {
    Status set = SetStatus(&item, *in.status);
    if (!set.ok()) return set;
  }
  if (item.year == 0) {
    const std::string& day = !item.found_date.empty() ? item.found_date : item.deadline;
    if (ValidDay(day)) item.year = std::stoi(day.substr(0, 4));
  }
  Status s = ValidateItem(item);
  if (!s.ok()) return s;
  Transaction tx(db_.get());
  s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<HistoryRecord> history;
  s = InsertNewItem(db_.get(), NowUtc(), user_, &item, &history);
  if (!s.ok()) return s;
  s = ledger_internal::AppendHistory(db_.get(), history);
  if (!s.ok()) return s;
  if (before_commit_) {
    auto written = GetItem(item.id);
    if (!written.ok()) return written.status();
    s = BeforeCommit({*written});
    if (!s.ok()) return s;
  }
  s = tx.Commit();
  if (!s.ok()) return s;
  return GetItem(item.id);
}

namespace {

// Writes `item`'s editable fields if its row still has `expected_version`,
// and adds the history row to `history`; inside the caller's transaction.
Status WriteItem(Database* db, const LedgerItem& before, const LedgerItem& after,
                 int64_t expected_version, const std::string& action, const std::string& user,
                 const std::string& now, bool* stale, std::vector<HistoryRecord>* history) {
  *stale = false;
  std::vector<Row> rows;
  Status s = db->Execute(
      "UPDATE ledger_items SET unit = ?, year = ?, task = ?, target_text = ?, target_value = ?, "
      "target_unit = ?, "
      "target_approx = ?, deadline = ?, recurrence = ?, status = ?, progress_note = ?, "
      "progress_value = ?, "
      "progress_date = ?, problem_source = ?, found_date = ?, measures = ?, submitted_by = ?, "
      "submitted_at = ?, "
      "verified_by = ?, closed_at = ?, source_text = ?, lead_unit = ?, support_units = ?, responsible_person = ?, "
      "review = ?, "
      "review_reason = ?, reviewed_by = ?, reviewed_at = ?, merged_into = ?, split_from = ?, "
      "version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ? RETURNING version",
      {Value(after.unit),
       Value(int64_t{after.year}),
       Value(after.task),
       Value(after.target_text),
       Value(after.target_value),
       Value(after.target_unit),
       Value(after.target_approx),
       Value(after.deadline),
       Value(after.recurrence),
       Value(Str(ItemStatusName(after.status))),
       Value(after.progress_note),
       Value(after.progress_value),
       Value(after.progress_date),
       Value(after.problem_source),
       Value(after.found_date),
       Value(after.measures),
       Value(after.submitted_by),
       Value(after.submitted_at),
       Value(after.verified_by),
       Value(after.closed_at),
       Value(after.source_text),
       Value(after.lead_unit),
       Value(JoinUnitList(after.support_units)),
       Value(after.responsible_person),
       Value(Str(ReviewStateName(after.review))),
       Value(after.review_reason),
       Value(after.reviewed_by),
       Value(after.reviewed_at),
       Value(after.merged_into),
       Value(after.split_from),
       Value(now),
       Value(user),
       Value(before.id),
       Value(expected_version)},
      &rows);
  if (!s.ok()) return s;
  if (rows.empty()) {
    *stale = true;
    return Status::Ok();
  }
  json changed_before, changed_after;
  Difference(ItemFields(before), ItemFields(after), &changed_before, &changed_after);
  history->push_back(HistoryRecord{now, user, "item", before.id, action, changed_before.dump(),
                                   changed_after.dump()});
  return Status::Ok();
}

}  // namespace

namespace {

// Nothing more to write after the item.
Status NoMore(const LedgerItem&, const std::string&) { return Status::Ok(); }

}  // namespace

// Reads the item inside a transaction, lets `edit` change a copy, writes it
// back guarded by the version it read, then lets `also` write what goes with
// it. With `expected_version` a version that is no longer the item's is a
// conflict (refused); without, the change applies to the current version:
// re-read and applied again when another writer was faster. Both retry
// what a concurrent transaction aborted (RetryAborted).
template <typename Edit, typename Also = decltype(&NoMore)>
Result<LedgerItem> ModifyItem(LedgerStore* store, Database* db, int64_t id,
                              std::optional<int64_t> expected_version, const std::string& action,
                              const std::string& user, Edit&& edit, Also&& also = NoMore) {
  return RetryAborted([&]() -> Result<LedgerItem> {
    const std::string now = NowUtc();
    Transaction tx(db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    auto current = store->GetItem(id);
    if (!current.ok()) return current.status();
    if (expected_version && current->version != *expected_version) {
      return Conflict(id, *current, *expected_version);
    }
    LedgerItem after = *current;
    s = edit(&after, now);
    if (!s.ok()) return s;
    s = ValidateItem(after);
    if (!s.ok()) return s;
    bool stale = false;
    std::vector<HistoryRecord> history;
    s = WriteItem(db, *current, after, current->version, action, user, now, &stale, &history);
    if (!s.ok()) return s;
    if (stale && !expected_version) return Moved(id);
    if (stale) {
      auto latest = store->GetItem(id);
      return Conflict(id, latest.ok() ? *latest : *current, *expected_version);
    }
    s = also(after, now);
    if (!s.ok()) return s;
    s = ledger_internal::AppendHistory(db, history);
    if (!s.ok()) return s;
    // The item as this transaction left it: read after the commit, it could
    // already carry another writer's change and version.
    auto written = store->GetItem(id);
    if (!written.ok()) return written.status();
    s = store->BeforeCommit({*written});
    if (!s.ok()) return s;
    s = tx.Commit();
    if (!s.ok()) return s;
    return written;
  });
}

Result<LedgerItem> LedgerStore::UpdateItem(int64_t id, std::optional<int64_t> expected_version,
                                           const ItemChange& change) {
  return ModifyItem(this, db_.get(), id, expected_version, "update", user_,
                    [&](LedgerItem* item, const std::string&) {
                      Status s = RequireNotRemoved(*item);
                      if (!s.ok()) return s;
                      if (change.unit) item->unit = *change.unit;
                      if (change.year) item->year = *change.year;
                      if (change.task) item->task = *change.task;
                      if (change.target_text) ParseTarget(*change.target_text, item);
                      if (change.deadline) item->deadline = *change.deadline;
                      if (change.recurrence) item->recurrence = *change.recurrence;
                      if (change.measures) item->measures = *change.measures;
                      if (change.lead_unit) item->lead_unit = *change.lead_unit;
                      if (change.support_units) {
                        item->support_units = ParseUnitList(JoinUnitList(*change.support_units));
                      }
                      if (change.responsible_person) item->responsible_person = *change.responsible_person;
                      if (!change.status) return Status::Ok();
                      s = RequireAccepted(*item, "改状态");
                      return s.ok() ? SetStatus(item, *change.status) : s;
                    });
}

namespace {

// A progress row of item `id` and its attachments (inside the caller's
// transaction).
Status InsertProgress(Database* db, int64_t id, const ProgressEntry& entry, const std::string& now) {
  int64_t progress_id = 0;
  Status s = db->InsertId(
      "INSERT INTO progress (item_id, day, value, note, evidence, reported_by, recorded_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {Value(id), Value(entry.date), Value(entry.value), Value(entry.note), Value(entry.evidence), Value(entry.by),
       Value(now)},
      &progress_id);
  for (const ProgressAttachment& a : entry.attachments) {
    if (!s.ok()) break;
    s = db->Execute(
        "INSERT INTO progress_attachments (progress_id, item_id, sha256, name, size) VALUES (?, ?, ?, ?, ?)",
        {Value(progress_id), Value(id), Value(a.sha256), Value(a.name), Value(a.size)});
  }
  return s;
}

}  // namespace

Result<LedgerItem> LedgerStore::AddProgress(int64_t id, std::optional<int64_t> expected_version,
                                            const ProgressEntry& entry, bool done) {
  if (!ValidDay(entry.date)) {
    return Status(StatusCode::kInvalidArgument, "进展日期“" + entry.date + "”不是有效日期（应为 YYYY-MM-DD）。");
  }
  if (entry.note.empty() && entry.value.empty()) {
    return Status(StatusCode::kInvalidArgument, "进展须有说明或数值。");
  }
  auto edit = [&](LedgerItem* item, const std::string&) {
    Status s = RequireAccepted(*item, "报进展");
    if (!s.ok()) return s;
    std::string value;
    s = ProgressValue(entry.value, *item, &value);
    if (!s.ok()) return s;
    item->progress_date = entry.date;
    item->progress_note = entry.note;
    item->progress_value = value;
    if (item->kind == ItemKind::kPlan && item->status != ItemStatus::kCancelled) {
      bool reached = done;
      if (!value.empty() && !item->target_value.empty()) {
        auto reached_value = Decimal::Parse(value);
        auto target = Decimal::Parse(item->target_value);
        if (reached_value && target && !(*reached_value < *target)) reached = true;
      }
      item->status = reached ? ItemStatus::kDone : ItemStatus::kInProgress;
    } else if (item->kind == ItemKind::kProblem && !entry.note.empty()) {
      item->measures = entry.note;
    }
    return Status::Ok();
  };
  auto record = [&](const LedgerItem& item, const std::string& now) {
    ProgressEntry stored = entry;
    stored.value = item.progress_value;
    if (stored.by.empty()) stored.by = user_;
    return InsertProgress(db_.get(), id, stored, now);
  };
  return ModifyItem(this, db_.get(), id, expected_version, "progress", user_, edit, record);
}

Result<std::vector<ProgressEntry>> LedgerStore::ListProgress(int64_t id) {
  std::vector<Row> rows;
  Status s = db_->Execute(
      "SELECT id, item_id, day, value, note, evidence, reported_by, recorded_at FROM progress WHERE item_id = ? "
      "ORDER BY id",
      {Value(id)}, &rows);
  if (!s.ok()) return s;
  std::vector<ProgressEntry> out;
  for (const Row& r : rows) {
    ProgressEntry& e = out.emplace_back();
    e.id = r.Int(0);
    e.item_id = r.Int(1);
    e.date = r.Text(2);
    e.value = r.Text(3);
    e.note = r.Text(4);
    e.evidence = r.Text(5);
    e.by = r.Text(6);
    e.recorded_at = r.Text(7);
  }
  if (out.empty()) return out;
  rows.clear();
  s = db_->Execute(
      "SELECT progress_id, sha256, name, size FROM progress_attachments WHERE item_id = ? ORDER BY id", {Value(id)},
      &rows);
  if (!s.ok()) return s;
  for (const Row& r : rows) {
    for (ProgressEntry& e : out) {
      if (e.id == r.Int(0)) e.attachments.push_back(ProgressAttachment{r.Text(1), r.Text(2), r.Int(3)});
    }
  }
  return out;
}

Result<std::optional<ProgressAttachment>> LedgerStore::FindAttachment(int64_t id, const std::string& sha256) {
  std::vector<Row> rows;
  Status s = db_->Execute(
      "SELECT sha256, name, size FROM progress_attachments WHERE item_id = ? AND sha256 = ? ORDER BY id LIMIT 1",
      {Value(id), Value(sha256)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return std::optional<ProgressAttachment>();
  return std::optional<ProgressAttachment>(ProgressAttachment{rows[0].Text(0), rows[0].Text(1), rows[0].Int(2)});
}

Result<LedgerItem> LedgerStore::SubmitRectification(int64_t id,
                                                    std::optional<int64_t> expected_version,
                                                    const std::string& measures,
                                                    const std::vector<ProgressAttachment>& evidence) {
  auto record = [&](const LedgerItem& item, const std::string& now) {
    if (evidence.empty()) return Status::Ok();
    ProgressEntry entry;
    entry.date = today_;
    entry.note = "提交整改：" + item.measures;
    std::vector<std::string> names;
    for (const ProgressAttachment& a : evidence) names.push_back(a.name);
    entry.evidence = JoinUnitList(names);
    entry.by = user_;
    entry.attachments = evidence;
    return InsertProgress(db_.get(), id, entry, now);
  };
  return ModifyItem(
      this, db_.get(), id, expected_version, "submit", user_,
      [&](LedgerItem* item, const std::string& now) {
        if (!measures.empty() && item->kind == ItemKind::kProblem) item->measures = measures;
        return Submit(item, user_, now, "--measures");
      },
      record);
}

Result<LedgerItem> LedgerStore::CloseOff(int64_t id, std::optional<int64_t> expected_version) {
  return ModifyItem(
      this, db_.get(), id, expected_version, "close_off", user_,
      [&](LedgerItem* item, const std::string& now) { return CloseOffBy(item, user_, now); });
}

Result<std::vector<HistoryEntry>> LedgerStore::History(int64_t item_id) {
  std::vector<Row> rows;
  Status s = db_->Execute(
      "SELECT id, at, actor, entity, entity_id, action, before_json, after_json FROM history WHERE entity = 'item' "
      "AND entity_id = ? ORDER BY id",
      {Value(item_id)}, &rows);
  if (!s.ok()) return s;
  std::vector<HistoryEntry> out;
  for (const Row& r : rows) {
    out.push_back(HistoryEntry{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5), r.Text(6), r.Text(7)});
  }
  return out;
}

// --- Review ----------------------------------------------------------------------

namespace {

// What a review makes of the items it read: each one's new state and the
// history action, and the new items to store (with the plan item behind
// them, -1 for none).
struct ReviewDecision {
  std::vector<LedgerItem> after;     // one per item read, in order
  std::vector<std::string> actions;  // one per item read
  std::vector<LedgerItem> created;
  int64_t created_plan_item_idx = -1;
};

// Only a proposal can be accepted, rejected, merged away or split: `what`
// is what was asked ("确认").
Status RequireProposal(const LedgerItem& item, const std::string& what) {
  if (item.review == ReviewState::kProposed) return Status::Ok();
  return Status(StatusCode::kInvalidArgument,
                ReviewStanding(item) + "，不是待确认的事项，不能" + what +
                    "（待确认的事项见 taizhang ledger review list）。");
}

std::string Trimmed(std::string_view text) {
  size_t begin = std::string_view::npos, end = 0;
  for (size_t at = 0; at < text.size();) {
    const size_t start = at;
    const char32_t cp = utf8::Next(text, &at);
    if (utf8::IsInlineSpace(cp) || cp == '\n' || cp == '\r') continue;
    if (begin == std::string_view::npos) begin = start;
    end = at;
  }
  return begin == std::string_view::npos ? std::string() : std::string(text.substr(begin, end - begin));
}

void MarkReviewed(LedgerItem* item, ReviewState review, const std::string& user, const std::string& now) {
  item->review = review;
  item->reviewed_by = user;
  item->reviewed_at = now;
}

// Reads `refs` in one transaction (each at its expected version, if given),
// lets `decide` say what becomes of them, writes that — each item guarded
// by the version read, new items stored — with its history rows, and
// returns the items as written followed by the new ones. Retried like
// ModifyItem.
template <typename Decide>
Result<std::vector<LedgerItem>> Review(LedgerStore* store, Database* db, const std::vector<ItemRef>& refs,
                                       const std::string& user, Decide&& decide) {
  if (refs.empty()) return Status(StatusCode::kInvalidArgument, "没有给出事项编号。");
  std::set<int64_t> seen;
  for (const ItemRef& ref : refs) {
    if (!seen.insert(ref.id).second) {
      return Status(StatusCode::kInvalidArgument, "编号 " + std::to_string(ref.id) + " 给了不止一次。");
    }
  }
  return RetryAborted([&]() -> Result<std::vector<LedgerItem>> {
    const std::string now = NowUtc();
    Transaction tx(db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    std::vector<LedgerItem> current;
    for (const ItemRef& ref : refs) {
      auto item = store->GetItem(ref.id);
      if (!item.ok()) return item.status();
      if (ref.expected_version && item->version != *ref.expected_version) {
        return Conflict(ref.id, *item, *ref.expected_version);
      }
      current.push_back(*item);
    }
    ReviewDecision decision;
    s = decide(current, now, &decision);
    if (!s.ok()) return s;
    std::vector<HistoryRecord> history;
    for (size_t i = 0; i < current.size(); ++i) {
      s = ValidateItem(decision.after[i]);
      if (!s.ok()) return s;
      bool stale = false;
      s = WriteItem(db, current[i], decision.after[i], current[i].version, decision.actions[i], user, now, &stale,
                    &history);
      if (!s.ok()) return s;
      if (stale && !refs[i].expected_version) return Moved(refs[i].id);
      if (stale) {
        auto latest = store->GetItem(refs[i].id);
        return Conflict(refs[i].id, latest.ok() ? *latest : current[i], *refs[i].expected_version);
      }
    }
    for (LedgerItem& item : decision.created) {
      s = ValidateItem(item);
      if (!s.ok()) return s;
      s = InsertNewItem(db, now, user, &item, &history, decision.created_plan_item_idx);
      if (!s.ok()) return s;
    }
    s = ledger_internal::AppendHistory(db, history);
    if (!s.ok()) return s;
    // As this transaction left them (read after the commit, they could
    // already carry another writer's change).
    std::vector<LedgerItem> written;
    for (const ItemRef& ref : refs) {
      auto item = store->GetItem(ref.id);
      if (!item.ok()) return item.status();
      written.push_back(*item);
    }
    for (const LedgerItem& made : decision.created) {
      auto item = store->GetItem(made.id);
      if (!item.ok()) return item.status();
      written.push_back(*item);
    }
    s = store->BeforeCommit(written);
    if (!s.ok()) return s;
    s = tx.Commit();
    if (!s.ok()) return s;
    return written;
  });
}

}  // namespace

Result<std::vector<LedgerItem>> LedgerStore::AcceptItems(const std::vector<ItemRef>& items) {
  return Review(this, db_.get(), items, user_,
                [&](const std::vector<LedgerItem>& current, const std::string& now, ReviewDecision* d) {
                  for (const LedgerItem& item : current) {
                    Status s = RequireProposal(item, "确认");
                    if (!s.ok()) return s;
                    d->after.push_back(item);
                    MarkReviewed(&d->after.back(), ReviewState::kAccepted, user_, now);
                    d->actions.push_back("accept");
                  }
                  return Status::Ok();
                });
}

Result<std::vector<LedgerItem>> LedgerStore::RejectItems(const std::vector<ItemRef>& items,
                                                         const std::string& reason) {
  const std::string why = Trimmed(reason);
  if (why.empty()) return Status(StatusCode::kInvalidArgument, "驳回须写明理由（--reason）。");
  return Review(this, db_.get(), items, user_,
                [&](const std::vector<LedgerItem>& current, const std::string& now, ReviewDecision* d) {
                  for (const LedgerItem& item : current) {
                    Status s = RequireProposal(item, "驳回");
                    if (!s.ok()) return s;
                    d->after.push_back(item);
                    MarkReviewed(&d->after.back(), ReviewState::kRejected, user_, now);
                    d->after.back().review_reason = why;
                    d->actions.push_back("reject");
                  }
                  return Status::Ok();
                });
}

Result<LedgerItem> LedgerStore::MergeItems(const std::vector<ItemRef>& items, const std::string& task) {
  if (items.size() < 2) return Status(StatusCode::kInvalidArgument, "合并至少要给出两个编号。");
  const std::string given = Trimmed(task);
  auto merged = Review(
      this, db_.get(), items, user_,
      [&](const std::vector<LedgerItem>& current, const std::string& now, ReviewDecision* d) {
        const LedgerItem& first = current[0];
        if (first.review != ReviewState::kAccepted) {
          Status s = RequireProposal(first, "合并");
          if (!s.ok()) return s;
        }
        LedgerItem kept = first;
        std::vector<std::string> tasks{first.task};
        std::vector<std::string> sources{first.source_text};
        for (size_t i = 1; i < current.size(); ++i) {
          const LedgerItem& other = current[i];
          Status s = RequireProposal(other, "合并");
          if (!s.ok()) return s;
          const std::string pair =
              "编号 " + std::to_string(first.id) + " 与编号 " + std::to_string(other.id);
          if (other.kind != first.kind) {
            return Status(StatusCode::kInvalidArgument, pair + "一个是工作任务、一个是问题，不能合并。");
          }
          if (other.unit != first.unit) {
            return Status(StatusCode::kInvalidArgument, pair + "的责任单位不同（“" + first.unit + "”与“" +
                                                            other.unit + "”），不能合并。");
          }
          if (other.year != first.year) {
            return Status(StatusCode::kInvalidArgument, pair + "的年度不同（" + std::to_string(first.year) +
                                                            " 与 " + std::to_string(other.year) +
                                                            "），不能合并。");
          }
          tasks.push_back(other.task);
          if (std::find(sources.begin(), sources.end(), other.source_text) == sources.end()) {
            sources.push_back(other.source_text);
          }
          if (kept.target_text.empty() && !other.target_text.empty()) {
            kept.target_text = other.target_text;
            kept.target_value = other.target_value;
            kept.target_unit = other.target_unit;
            kept.target_approx = other.target_approx;
          }
          // One item due when its first part is due (8处隐患 … 3月底前全部整改销号).
          if (kept.deadline.empty() || (!other.deadline.empty() && other.deadline < kept.deadline)) {
            kept.deadline = other.deadline;
          }
        }
        std::string joined;
        for (const std::string& t : tasks) joined += (joined.empty() ? "" : "；") + t;
        kept.task = given.empty() ? joined : given;
        kept.source_text.clear();
        for (const std::string& t : sources) {
          if (!t.empty()) kept.source_text += (kept.source_text.empty() ? "" : "\n") + t;
        }
        if (first.review == ReviewState::kProposed) MarkReviewed(&kept, ReviewState::kAccepted, user_, now);
        d->after.push_back(kept);
        d->actions.push_back("merge");
        for (size_t i = 1; i < current.size(); ++i) {
          d->after.push_back(current[i]);
          MarkReviewed(&d->after.back(), ReviewState::kMerged, user_, now);
          d->after.back().merged_into = first.id;
          d->actions.push_back("merged");
        }
        return Status::Ok();
      });
  if (!merged.ok()) return merged.status();
  return merged->front();
}

Result<std::vector<LedgerItem>> LedgerStore::SplitItem(const ItemRef& item, const std::vector<std::string>& tasks) {
  std::vector<std::string> parts;
  for (const std::string& task : tasks) {
    std::string part = Trimmed(task);
    if (part.empty()) return Status(StatusCode::kInvalidArgument, "拆分后的任务（--task）不能为空。");
    parts.push_back(std::move(part));
  }
  if (parts.size() < 2) {
    return Status(StatusCode::kInvalidArgument, "拆分至少要给出两项任务（--task 文字 --task 文字 …）。");
  }
  auto split = Review(
      this, db_.get(), {item}, user_,
      [&](const std::vector<LedgerItem>& current, const std::string& now, ReviewDecision* d) {
        const LedgerItem& whole = current[0];
        Status s = RequireProposal(whole, "拆分");
        if (!s.ok()) return s;
        std::vector<Row> rows;
        s = db_->Execute("SELECT plan_item_idx FROM ledger_items WHERE id = ?", {Value(whole.id)}, &rows);
        if (!s.ok()) return s;
        d->created_plan_item_idx = rows.empty() ? -1 : rows[0].Int(0);
        d->after.push_back(whole);
        MarkReviewed(&d->after.back(), ReviewState::kSplit, user_, now);
        d->actions.push_back("split");
        for (const std::string& part : parts) {
          LedgerItem made;
          made.kind = whole.kind;
          made.unit = whole.unit;
          made.year = whole.year;
          made.task = part;
          TargetInTask(part, &made);
          made.deadline = whole.deadline;
          made.recurrence = whole.recurrence;
          made.status = whole.kind == ItemKind::kPlan ? ItemStatus::kNotStarted : ItemStatus::kRectifying;
          made.report_id = whole.report_id;
          made.source_file = whole.source_file;
          made.source_line = whole.source_line;
          made.source_text = whole.source_text;
          made.problem_source = whole.problem_source;
          made.found_date = whole.found_date;
          made.lead_unit = whole.lead_unit;
          made.support_units = whole.support_units;
          made.responsible_person = whole.responsible_person;
          made.review = ReviewState::kProposed;
          made.split_from = whole.id;
          d->created.push_back(std::move(made));
        }
        return Status::Ok();
      });
  if (!split.ok()) return split.status();
  return std::vector<LedgerItem>(split->begin() + 1, split->end());
}

Result<std::vector<LedgerItem>> LedgerStore::AssignItems(const std::vector<ItemRef>& items,
                                                         const Assignment& assignment) {
  if (!assignment.lead_unit && !assignment.support_units && !assignment.responsible_person) {
    return Status(StatusCode::kInvalidArgument, "请给出牵头单位（--lead）、配合单位（--support）或责任人（--owner）。");
  }
  return Review(this, db_.get(), items, user_,
                [&](const std::vector<LedgerItem>& current, const std::string&, ReviewDecision* d) {
                  for (const LedgerItem& item : current) {
                    Status s = RequireNotRemoved(item);
                    if (!s.ok()) return s;
                    LedgerItem after = item;
                    if (assignment.lead_unit) after.lead_unit = Trimmed(*assignment.lead_unit);
                    if (assignment.support_units) {
                      after.support_units = ParseUnitList(JoinUnitList(*assignment.support_units));
                    }
                    if (assignment.responsible_person) {
                      after.responsible_person = Trimmed(*assignment.responsible_person);
                    }
                    d->after.push_back(std::move(after));
                    d->actions.push_back("assign");
                  }
                  return Status::Ok();
                });
}

// --- Rates -----------------------------------------------------------------------

namespace {

// numerator / denominator as a percentage with one decimal, rounded half up.
std::string Percent(int64_t numerator, int64_t denominator) {
  if (denominator <= 0) return "";
  const int64_t tenths = (numerator * 2000 + denominator) / (2 * denominator);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

}  // namespace

bool CountsInPeriod(const LedgerItem& item, const RateQuery& query) {
  if (item.status == ItemStatus::kCancelled) return false;
  if (item.kind == ItemKind::kProblem) {
    const std::string& found = item.found_date;
    if (!query.from.empty() && (found.empty() || found < query.from)) return false;
    if (!query.to.empty() && (found.empty() || found > query.to)) return false;
    return true;
  }
  const int from_year = query.from.size() >= 4 ? std::stoi(query.from.substr(0, 4)) : 0;
  const int to_year = query.to.size() >= 4 ? std::stoi(query.to.substr(0, 4)) : 9999;
  return item.year == 0 || (item.year >= from_year && item.year <= to_year);
}

std::vector<RateRow> RatesOf(const std::vector<LedgerItem>& items, const RateQuery& query, std::string_view today,
                             RateGroup group) {
  std::map<std::string, RateRow> by_key;
  RateRow total;
  total.total = true;
  for (const LedgerItem& item : items) {
    if (!CountsInPeriod(item, query)) continue;
    const std::string& deadline = item.deadline;
    std::string key;
    if (group == RateGroup::kUnit) {
      key = item.unit;
    } else {
      const std::string& day = item.kind == ItemKind::kProblem ? item.found_date : deadline;
      key = day.size() >= 7 ? day.substr(0, 7) : "";
    }
    RateRow& row = by_key[key];
    if (group == RateGroup::kUnit) {
      row.unit = key;
    } else {
      row.month = key;
    }
    if (item.kind == ItemKind::kProblem) {
      const bool closed = item.status == ItemStatus::kClosedOff;
      // Closed without a date of closing (written before close-offs always
      // carried one) is not known to be on time.
      const bool on_time = closed && !item.closed_at.empty() &&
                           (deadline.empty() || item.closed_at.substr(0, 10) <= deadline);
      const bool due = !deadline.empty() && deadline < today;
      for (RateRow* target : {&row, &total}) {
        ++target->problems;
        target->rectified += closed;
        target->rectified_on_time += on_time;
        target->due += due;
      }
    } else {
      const bool done = item.status == ItemStatus::kDone;
      const bool overdue = !done && item.review == ReviewState::kAccepted && !deadline.empty() && deadline < today;
      for (RateRow* target : {&row, &total}) {
        ++target->tasks;
        target->done += done;
        target->overdue += overdue;
      }
    }
  }
  std::vector<RateRow> out;
  for (auto& [key, row] : by_key) out.push_back(row);
  // The total also when nothing counted (a unit whose items all await review): zeros, not nothing.
  if (group == RateGroup::kMonth || query.unit.empty() || by_key.size() != 1) out.push_back(total);
  for (RateRow& row : out) {
    row.rectification_rate = Percent(row.rectified, row.problems);
    row.on_time_rectification_rate = Percent(row.rectified_on_time, row.problems);
    row.completion_rate = Percent(row.done, row.tasks);
  }
  return out;
}

Result<std::vector<RateRow>> LedgerStore::Rates(const RateQuery& query) {
  if ((!query.from.empty() && !ValidDay(query.from)) || (!query.to.empty() && !ValidDay(query.to))) {
    return Status(StatusCode::kInvalidArgument, "统计期间的日期应为 YYYY-MM-DD。");
  }
  std::string sql =
      "SELECT unit, kind, status, deadline, closed_at, found_date, year, review FROM ledger_items WHERE status <> "
      "'cancelled'";
  std::vector<Value> params;
  if (query.review) {
    sql += " AND review = ?";
    params.emplace_back(Str(ReviewStateName(*query.review)));
  }
  if (!query.unit.empty()) {
    Status s = AddUnitClause(db_.get(), query.unit, &sql, &params);
    if (!s.ok()) return s;
  }
  std::vector<Row> rows;
  Status s = db_->Execute(sql, params, &rows);
  if (!s.ok()) return s;
  // The rows as the items they are (only what counting reads), counted by
  // the one function front ends also use on the items they chose.
  std::vector<LedgerItem> items(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    LedgerItem& item = items[i];
    item.unit = r.Text(0);
    item.kind = r.Text(1) == "problem" ? ItemKind::kProblem : ItemKind::kPlan;
    item.status = ParseItemStatus(r.Text(2)).value_or(ItemStatus::kNotStarted);
    item.deadline = r.Text(3);
    item.closed_at = r.Text(4);
    item.found_date = r.Text(5);
    item.year = static_cast<int>(r.Int(6));
    item.review = ParseReviewState(r.Text(7)).value_or(ReviewState::kAccepted);
  }
  return RatesOf(items, query, today_);
}

Result<std::vector<std::string>> LedgerStore::Units() {
  std::vector<Row> rows;
  Status s = db_->Execute(kDistinctUnits, {}, &rows);
  if (!s.ok()) return s;
  std::vector<std::string> units;
  for (const Row& r : rows) units.push_back(r.Text(0));
  return units;
}

Result<StoreCounts> LedgerStore::Counts() {
  std::vector<Row> rows;
  Status s = db_->Execute(
      "SELECT (SELECT COUNT(*) FROM ledger_items), (SELECT COUNT(*) FROM reports), (SELECT COUNT(*) FROM sources)", {},
      &rows);
  if (!s.ok()) return s;
  return StoreCounts{rows.at(0).Int(0), rows.at(0).Int(1), rows.at(0).Int(2)};
}

// --- Analysis jobs of the server --------------------------------------------------

Status LedgerStore::PutJob(const JobRow& job) {
  return db_->Execute(
      "INSERT INTO jobs (id, owner, upload, name, state, progress, result, error, created_ms, updated_ms, runner) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, "
      "progress = excluded.progress, result = excluded.result, error = excluded.error, "
      "updated_ms = excluded.updated_ms, runner = excluded.runner",
      {Value(job.id), Value(job.owner), Value(job.upload), Value(job.name), Value(job.state), Value(job.progress),
       Value(job.result), Value(job.error), Value(job.created_ms), Value(job.updated_ms), Value(job.runner)});
}

Status LedgerStore::BeatServerProcess(const ServerProcess& process, int64_t now_ms) {
  return db_->Execute(
      "INSERT INTO server_processes (runner, host, pid, started_ms, heartbeat_ms) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (runner) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms",
      {Value(process.runner), Value(process.host), Value(process.pid), Value(process.started_ms), Value(now_ms)});
}

Result<int64_t> LedgerStore::FailOrphanedJobs(const std::string& self, int64_t alive_since_ms, int64_t now_ms,
                                              const std::string& message) {
  Transaction tx(db_.get());
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = db_->Execute(
      "UPDATE jobs SET state = 'failed', progress = 100, error = ?, updated_ms = ? "
      "WHERE state IN ('queued', 'running') AND runner <> ? "
      "AND runner NOT IN (SELECT runner FROM server_processes WHERE heartbeat_ms >= ?) RETURNING id",
      {Value(message), Value(now_ms), Value(self), Value(alive_since_ms)}, &rows);
  if (!s.ok()) return s;
  s = db_->Execute("DELETE FROM server_processes WHERE heartbeat_ms < ? AND runner <> ?",
                   {Value(alive_since_ms), Value(self)});
  if (!s.ok()) return s;
  if (s = tx.Commit(); !s.ok()) return s;
  return static_cast<int64_t>(rows.size());
}

Result<int64_t> LedgerStore::RetireServerProcess(const std::string& runner, int64_t now_ms,
                                                 const std::string& message) {
  Transaction tx(db_.get());
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = db_->Execute(
      "UPDATE jobs SET state = 'failed', progress = 100, error = ?, updated_ms = ? "
      "WHERE state IN ('queued', 'running') AND runner = ? RETURNING id",
      {Value(message), Value(now_ms), Value(runner)}, &rows);
  if (!s.ok()) return s;
  if (s = db_->Execute("DELETE FROM server_processes WHERE runner = ?", {Value(runner)}); !s.ok()) return s;
  if (s = tx.Commit(); !s.ok()) return s;
  return static_cast<int64_t>(rows.size());
}

Result<std::optional<JobRow>> LedgerStore::GetJob(const std::string& id) {
  std::vector<Row> rows;
  Status s = db_->Execute(
      "SELECT id, owner, upload, name, state, progress, result, error, created_ms, updated_ms, runner FROM jobs "
      "WHERE id = ?",
      {Value(id)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return std::optional<JobRow>();
  const Row& r = rows[0];
  JobRow job;
  job.id = r.Text(0);
  job.owner = r.Text(1);
  job.upload = r.Text(2);
  job.name = r.Text(3);
  job.state = r.Text(4);
  job.progress = r.Int(5);
  job.result = r.Text(6);
  job.error = r.Text(7);
  job.created_ms = r.Int(8);
  job.updated_ms = r.Int(9);
  job.runner = r.Text(10);
  return std::optional<JobRow>(std::move(job));
}

// --- Imported files and reports, read back --------------------------------------

namespace {

constexpr const char* kSourceColumns =
    "id, path, content_hash, size_bytes, format, encoding, version, previous_id, report_count, imported_at, "
    "imported_by";

StoredSource SourceFromRow(const Row& r) {
  StoredSource s;
  s.id = r.Int(0);
  s.path = r.Text(1);
  s.content_hash = r.Text(2);
  s.size_bytes = r.Int(3);
  s.format = r.Text(4);
  s.encoding = r.Text(5);
  s.version = static_cast<int>(r.Int(6));
  s.previous_id = r.Int(7);
  s.report_count = static_cast<int>(r.Int(8));
  s.imported_at = r.Text(9);
  s.imported_by = r.Text(10);
  return s;
}

constexpr const char* kReportColumns =
    "r.id, r.source_id, r.doc_index, r.title, r.unit, r.unit_guessed, r.unit_kind, r.kind, r.summary_year, "
    "r.plan_year, r.first_line, r.last_line, r.heading_count, r.quantity_count, r.plan_item_count, "
    "r.relation_count, r.finding_count";

StoredReport ReportFromRow(const Row& r) {
  StoredReport s;
  s.id = r.Int(0);
  s.source_id = r.Int(1);
  s.doc_index = static_cast<int>(r.Int(2));
  s.title = r.Text(3);
  s.unit = r.Text(4);
  s.unit_guessed = r.Int(5) != 0;
  s.unit_kind = r.Text(6);
  s.kind = r.Text(7);
  s.summary_year = static_cast<int>(r.Int(8));
  s.plan_year = static_cast<int>(r.Int(9));
  s.first_line = static_cast<uint32_t>(r.Int(10));
  s.last_line = static_cast<uint32_t>(r.Int(11));
  s.heading_count = r.Int(12);
  s.quantity_count = r.Int(13);
  s.plan_item_count = r.Int(14);
  s.relation_count = r.Int(15);
  s.finding_count = r.Int(16);
  return s;
}

// `text` as a LIKE pattern matching it anywhere (with ESCAPE '\').
std::string ContainsPattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

}  // namespace

Result<std::vector<StoredReport>> LedgerStore::ListReports(const ReportFilter& filter) {
  std::string sql = std::string("SELECT ") + kReportColumns + " FROM reports r JOIN sources f ON r.source_id = f.id WHERE 1 = 1";
  std::vector<Value> params;
  if (filter.source_id != 0) {
    sql += " AND r.source_id = ?";
    params.emplace_back(filter.source_id);
  } else if (filter.latest_only) {
    sql += " AND NOT EXISTS (SELECT 1 FROM sources g WHERE g.previous_id = f.id)";
  }
  if (!filter.unit.empty()) {
    // The report units the filter names (UnitMatches), as for items.
    std::vector<Row> rows;
    Status s = db_->Execute("SELECT DISTINCT unit FROM reports", {}, &rows);
    if (!s.ok()) return s;
    std::string marks;
    for (const Row& r : rows) {
      if (!UnitMatches(filter.unit, r.Text(0))) continue;
      marks += marks.empty() ? "?" : ", ?";
      params.emplace_back(r.Text(0));
    }
    sql += marks.empty() ? " AND 1 = 0" : " AND r.unit IN (" + marks + ")";
  }
  if (filter.year != 0) {
    sql += " AND (r.summary_year = ? OR r.plan_year = ?)";
    params.emplace_back(int64_t{filter.year});
    params.emplace_back(int64_t{filter.year});
  }
  if (!filter.kind.empty()) {
    sql += " AND r.kind = ?";
    params.emplace_back(filter.kind);
  }
  if (!filter.text.empty()) {
    sql += " AND (r.title LIKE ? ESCAPE '\\' OR r.unit LIKE ? ESCAPE '\\' OR f.path LIKE ? ESCAPE '\\')";
    const std::string pattern = ContainsPattern(filter.text);
    for (int k = 0; k < 3; ++k) params.emplace_back(pattern);
  }
  sql += " ORDER BY r.source_id DESC, r.doc_index";
  std::vector<Row> rows;
  Status s = db_->Execute(sql, params, &rows);
  if (!s.ok()) return s;
  std::vector<StoredReport> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(ReportFromRow(r));
  return out;
}

Result<std::optional<StoredReport>> LedgerStore::GetReport(int64_t id) {
  std::vector<Row> rows;
  Status s = db_->Execute(std::string("SELECT ") + kReportColumns + " FROM reports r WHERE r.id = ?", {Value(id)},
                          &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return std::optional<StoredReport>();
  return std::optional<StoredReport>(ReportFromRow(rows[0]));
}

Result<std::optional<StoredSource>> LedgerStore::GetSource(int64_t id) {
  std::vector<Row> rows;
  Status s = db_->Execute(std::string("SELECT ") + kSourceColumns + " FROM sources WHERE id = ?", {Value(id)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return std::optional<StoredSource>();
  return std::optional<StoredSource>(SourceFromRow(rows[0]));
}

Result<std::optional<StoredSource>> LedgerStore::FindSource(const std::string& content_hash) {
  std::vector<Row> rows;
  Status s = db_->Execute(std::string("SELECT ") + kSourceColumns + " FROM sources WHERE content_hash = ?",
                          {Value(content_hash)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return std::optional<StoredSource>();
  return std::optional<StoredSource>(SourceFromRow(rows[0]));
}

Result<std::vector<StoredSource>> LedgerStore::GetSources(const std::vector<int64_t>& ids) {
  std::vector<StoredSource> out;
  // A few hundred ids per statement (both backends take that many parameters).
  std::map<int64_t, StoredSource> found;
  for (size_t at = 0; at < ids.size(); at += 500) {
    std::string marks;
    std::vector<Value> params;
    for (size_t k = at; k < std::min(ids.size(), at + 500); ++k) {
      marks += marks.empty() ? "?" : ", ?";
      params.emplace_back(ids[k]);
    }
    std::vector<Row> rows;
    Status s = db_->Execute(std::string("SELECT ") + kSourceColumns + " FROM sources WHERE id IN (" + marks + ")",
                            params, &rows);
    if (!s.ok()) return s;
    for (const Row& r : rows) found.emplace(r.Int(0), SourceFromRow(r));
  }
  for (int64_t id : ids) {
    auto it = found.find(id);
    if (it != found.end()) out.push_back(it->second);
  }
  return out;
}

Result<StoredReportRows> LedgerStore::GetReportRows(int64_t report_id) {
  StoredReportRows out;
  std::vector<Row> rows;
  Status s = db_->Execute(
      "SELECT idx, parent_idx, depth, line, col, marker, marker_kind, title, section_kind, section_year "
      "FROM headings WHERE report_id = ? ORDER BY idx",
      {Value(report_id)}, &rows);
  if (!s.ok()) return s;
  for (const Row& r : rows) {
    out.headings.push_back(StoredHeading{static_cast<int>(r.Int(0)), static_cast<int>(r.Int(1)),
                                         static_cast<int>(r.Int(2)), static_cast<uint32_t>(r.Int(3)),
                                         static_cast<uint32_t>(r.Int(4)), r.Text(5), r.Text(6), r.Text(7), r.Text(8),
                                         static_cast<int>(r.Int(9))});
  }
  rows.clear();
  s = db_->Execute("SELECT rule, severity, line, col, message FROM findings WHERE report_id = ? ORDER BY idx",
                   {Value(report_id)}, &rows);
  if (!s.ok()) return s;
  for (const Row& r : rows) {
    out.findings.push_back(StoredFinding{r.Text(0), r.Text(1), static_cast<uint32_t>(r.Int(2)),
                                         static_cast<uint32_t>(r.Int(3)), r.Text(4)});
  }
  rows.clear();
  s = db_->Execute("SELECT family, status, line, statement, reason FROM relations WHERE report_id = ? ORDER BY idx",
                   {Value(report_id)}, &rows);
  if (!s.ok()) return s;
  for (const Row& r : rows) {
    out.relations.push_back(
        StoredRelation{r.Text(0), r.Text(1), static_cast<uint32_t>(r.Int(2)), r.Text(3), r.Text(4)});
  }
  return out;
}

// --- Sheets, backup, verification --------------------------------------------------

namespace {

// "工作表“工作任务台账”第 5 行" for item `i` of a sheet.
std::string SheetRowName(const XlsxLedger& sheet, size_t i) {
  std::string where = i < sheet.item_sheets.size() ? "工作表“" + sheet.item_sheets[i] + "”" : std::string();
  return where + "第 " + std::to_string(i < sheet.rows.size() ? sheet.rows[i] : 0) + " 行";
}

// The stored item a sheet row with an 编号 updates, or why there is none.
Result<LedgerItem> RowTarget(LedgerStore* store, const XlsxLedger& sheet, size_t i) {
  const LedgerItem& in = sheet.items[i];
  auto current = store->GetItem(in.id);
  if (!current.ok() && current.status().code() == StatusCode::kNotFound) {
    return Status(StatusCode::kInvalidArgument, SheetRowName(sheet, i) + "：编号 " + std::to_string(in.id) +
                                                    " 在台账中不存在（新事项的编号一栏应留空）。未导入任何一行。");
  }
  if (!current.ok()) return current.status();
  if (current->kind != in.kind) {
    return Status(StatusCode::kInvalidArgument,
                  SheetRowName(sheet, i) + "：编号 " + std::to_string(in.id) + " 在台账中是" +
                      (current->kind == ItemKind::kPlan ? "工作任务" : "问题") + "，表中却是" +
                      (in.kind == ItemKind::kPlan ? "工作任务" : "问题") + "。未导入任何一行。");
  }
  return current;
}

// "工作表“问题整改台账”第 5 行“整改状态”列" for the status of item `i`.
std::string StatusCellName(const XlsxLedger& sheet, size_t i) {
  std::string header = i < sheet.status_headers.size() ? sheet.status_headers[i] : std::string();
  if (header.empty()) header = sheet.items[i].kind == ItemKind::kPlan ? "完成状态" : "整改状态";
  return SheetRowName(sheet, i) + "“" + header + "”列";
}

// The item a new sheet row becomes (not yet stored). A problem starts as
// the commands start it, 整改中 (or 已取消): 待销号 and 已销号 are reached
// only through submitting and closing off.
LedgerItem NewItemOfRow(const LedgerItem& in, bool keep_status) {
  LedgerItem made;
  made.kind = in.kind;
  made.unit = in.unit;
  made.year = in.year;
  made.task = in.task;
  ParseTarget(in.target_text, &made);
  made.deadline = in.deadline;
  made.recurrence = in.recurrence;
  const ItemStatus initial =
      in.kind == ItemKind::kPlan ? ItemStatus::kNotStarted : ItemStatus::kRectifying;
  made.status = keep_status || in.status == ItemStatus::kAwaitingCloseOff ||
                        in.status == ItemStatus::kClosedOff
                    ? initial
                    : in.status;
  made.problem_source = in.problem_source;
  made.found_date = in.found_date;
  made.progress_note = in.progress_note;
  made.measures = in.measures;
  made.lead_unit = in.lead_unit;
  made.support_units = in.support_units;
  made.responsible_person = in.responsible_person;
  return made;
}

// Row `i` of a sheet, inside ImportItems' transaction: a new item, or the
// changes to a stored one — its fields (history action xlsx_import), then
// its status through the change a command would make (update, submit,
// close_off), each with its history row. *changed when anything was written.
Status ImportRow(LedgerStore* store, Database* db, std::vector<HistoryRecord>* history, const XlsxLedger& sheet, size_t i,
                 const std::string& user, const std::string& now, bool* changed) {
  const LedgerItem& in = sheet.items[i];
  const bool keep_status = i < sheet.status_shown_only.size() && sheet.status_shown_only[i];
  *changed = false;
  LedgerItem current;
  if (in.id > 0) {
    auto stored = RowTarget(store, sheet, i);
    if (!stored.ok()) return stored.status();
    current = *stored;
    LedgerItem after = current;
    after.unit = in.unit;
    if (in.year != 0) after.year = in.year;
    after.task = in.task;
    if (after.target_text != in.target_text) ParseTarget(in.target_text, &after);
    after.deadline = in.deadline;
    if (!in.progress_note.empty()) after.progress_note = in.progress_note;
    if (!in.problem_source.empty()) after.problem_source = in.problem_source;
    if (!in.found_date.empty()) after.found_date = in.found_date;
    if (!in.measures.empty()) after.measures = in.measures;
    const XlsxLedger::AssignmentColumns columns =
        i < sheet.assignment_columns.size() ? sheet.assignment_columns[i] : XlsxLedger::AssignmentColumns{};
    if (columns.lead_unit) after.lead_unit = in.lead_unit;
    if (columns.support_units) after.support_units = in.support_units;
    if (columns.responsible_person) after.responsible_person = in.responsible_person;
    if (ItemFields(after) != ItemFields(current)) {
      if (Status s = RequireNotRemoved(current); !s.ok()) {
        return Status(StatusCode::kInvalidArgument, SheetRowName(sheet, i) + "：" + s.message() + "未导入任何一行。");
      }
      bool stale = false;
      Status s = WriteItem(db, current, after, current.version, "xlsx_import", user, now, &stale, history);
      if (!s.ok()) return s;
      if (stale) return Moved(in.id);
      after.version = current.version + 1;
      current = after;
      *changed = true;
    }
  } else {
    current = NewItemOfRow(in, keep_status);
    Status s = InsertNewItem(db, now, user, &current, history);
    if (!s.ok()) return s;
    current.version = 1;
    *changed = true;
  }
  if (keep_status || in.status == current.status) return Status::Ok();
  LedgerItem after = current;
  Status s;
  const char* action = "update";
  if (in.status == ItemStatus::kAwaitingCloseOff) {
    action = "submit";
    s = Submit(&after, user, now, "“整改措施”列");
  } else if (in.status == ItemStatus::kClosedOff && in.id == 0) {
    s = Status(
        StatusCode::kInvalidArgument,
        "新问题不能直接记为已销号：销号须先提交整改，再由提交者以外的人核实（ledger submit、ledger "
        "close）；整个台账换库请用 backup 与 restore。");
  } else if (in.status == ItemStatus::kClosedOff) {
    action = "close_off";
    s = CloseOffBy(&after, user, now);
  } else {
    s = RequireAccepted(after, "改状态");
    if (s.ok()) s = SetStatus(&after, in.status);
  }
  if (!s.ok()) {
    return Status(StatusCode::kInvalidArgument, StatusCellName(sheet, i) + "：改为“" +
                                                    ItemStatusLabel(in.status) + "”被拒绝：" +
                                                    s.message() + "未导入任何一行。");
  }
  bool stale = false;
  s = WriteItem(db, current, after, current.version, action, user, now, &stale, history);
  if (!s.ok()) return s;
  if (stale) return Moved(current.id);
  *changed = true;
  return Status::Ok();
}

}  // namespace

Result<std::pair<int, int>> LedgerStore::ImportItems(const XlsxLedger& sheet) {
  if (!sheet.errors.empty()) {
    return Status(StatusCode::kInvalidArgument, "表格中有 " + std::to_string(sheet.errors.size()) +
                                                    " 处错误，未导入任何一行；请改正后重新导入。");
  }
  for (size_t i = 0; i < sheet.items.size(); ++i) {
    Status s = ValidateItem(sheet.items[i]);
    if (!s.ok()) {
      return Status(StatusCode::kInvalidArgument, SheetRowName(sheet, i) + "：" + s.message() + " 未导入任何一行。");
    }
  }
  return RetryAborted([&]() -> Result<std::pair<int, int>> {
    Transaction tx(db_.get());
    Status s = tx.Begin();
    if (!s.ok()) return s;
    const std::string now = NowUtc();
    int added = 0, updated = 0;
    std::vector<HistoryRecord> history;
    for (size_t i = 0; i < sheet.items.size(); ++i) {
      bool changed = false;
      s = ImportRow(this, db_.get(), &history, sheet, i, user_, now, &changed);
      if (!s.ok()) return s;
      if (sheet.items[i].id > 0) {
        updated += changed;
      } else {
        ++added;
      }
    }
    s = ledger_internal::AppendHistory(db_.get(), history);
    if (!s.ok()) return s;
    s = tx.Commit();
    if (!s.ok()) return s;
    if (db_->dialect() == Dialect::kPostgres && added + updated >= kAnalyzeAfterRows) {
      // Statistics for the planner now rather than when autovacuum gets to
      // it: until then a page of `ledger list` on 100,000 fresh items was
      // planned as a sort of all of them (100–200 ms instead of 0.1 ms).
      // Not the table's owner: the server only warns.
      (void)db_->Execute("ANALYZE ledger_items", {});
    }
    return std::make_pair(added, updated);
  });
}

Status LedgerStore::Backup(const std::string& path) { return db_->Backup(path); }

// Nothing live changes until the backup has passed every check: its schema
// is exactly what this build's migrations make at its version (checked by
// StageRestore), it migrates to this build's version, and Verify finds it
// consistent. Only then does it replace the live data, in one step.
Status LedgerStore::Restore(const std::string& path) {
  const int latest = LatestSchemaVersion();
  auto migrate = [&](Database* db, int version) -> Status {
    if (version > latest) {
      return Status(StatusCode::kUndecodable,
                    path + "：备份的数据库结构版本为 " + std::to_string(version) +
                        "，比本程序认识的版本 " + std::to_string(latest) +
                        " 新，未恢复（现有数据未改动）；请先升级 taizhang。");
    }
    if (version < 1) {
      return Status(StatusCode::kUndecodable,
                    path +
                        "：备份中没有数据库结构版本记录（schema_migrations 为空），不是 taizhang "
                        "的台账备份，未恢复。");
    }
    int reached = 0;
    return MigrateDatabase(db, version, &reached);
  };
  auto staged = db_->StageRestore(path, migrate);
  if (!staged.ok()) return staged.status();
  LedgerStore candidate(std::move(staged).value(), user_);
  // A backup of an older version is brought up to this build's on the copy.
  Status s = candidate.Migrate();
  if (!s.ok()) return s;
  auto report = candidate.Verify();
  if (!report.ok()) return report.status();
  const std::vector<std::string>& problems = report->problems;
  if (!problems.empty()) {
    std::string list;
    const size_t shown = std::min<size_t>(problems.size(), 5);
    for (size_t i = 0; i < shown; ++i) list += (i == 0 ? "" : "；") + problems[i];
    if (shown < problems.size()) list += "；等";
    return Status(StatusCode::kUndecodable, path + "：备份未通过一致性检查（" +
                                                std::to_string(problems.size()) + " 处：" + list +
                                                "），未恢复（现有数据未改动）。");
  }
  s = db_->CommitRestore(candidate.db_.get());
  if (!s.ok()) return s;
  schema_version_ = candidate.schema_version_;
  return Status::Ok();
}

namespace {

// An item as its history tells it: the fields of its creation row, then
// each change's after values over them.
struct ReplayedItem {
  json fields;
  bool created = false;
  std::string created_at, created_by, updated_at, updated_by;
  std::string problem;  // the first history row that does not follow from those before it
};

// HistoryValueText of a value that may come from a row changed by SQL
// (bytes that are no UTF-8 are shown replaced rather than thrown on).
std::string ValueText(const std::string& key, const json& value) {
  return HistoryValueText(key, value.dump(-1, ' ', false, json::error_handler_t::replace));
}

json ParsedObject(const std::string& text) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_object() ? value : json();
}

// Applies one history row of an item: entity_id, id, at, actor, action,
// before_json, after_json.
void Replay(const Row& r, ReplayedItem* item) {
  const std::string& action = r.Text(4);
  const std::string row = "第 " + r.Text(1) + " 条历史记录";
  const json before = ParsedObject(r.Text(5));
  const json after = ParsedObject(r.Text(6));
  if (after.is_null() || (action != "create" && before.is_null())) {
    if (item->problem.empty()) item->problem = row + "的内容不是有效的 JSON 对象";
    return;
  }
  if (action == "create") {
    if (item->created && item->problem.empty()) item->problem = row + "是第二条创建记录";
    item->created = true;
    item->fields = ItemFields(LedgerItem{});
    item->created_at = r.Text(2);
    item->created_by = r.Text(3);
  } else if (!item->created) {
    if (item->problem.empty()) item->problem = row + "在创建记录之前";
    return;
  }
  const ItemKind kind =
      item->fields.value("kind", "plan") == "problem" ? ItemKind::kProblem : ItemKind::kPlan;
  for (auto it = before.begin(); it != before.end(); ++it) {
    if (!item->fields.contains(it.key()) || item->fields[it.key()] == it.value() ||
        !item->problem.empty())
      continue;
    item->problem = row + "的改前值与之前的历史不符：" + HistoryFieldLabel(it.key(), kind) +
                    " 改前为 " + ValueText(it.key(), it.value()) + "，之前的历史记录为 " +
                    ValueText(it.key(), item->fields[it.key()]);
  }
  for (auto it = after.begin(); it != after.end(); ++it) item->fields[it.key()] = it.value();
  item->updated_at = r.Text(2);
  item->updated_by = r.Text(3);
}

// "编号 X 的事项与其历史不符：字段 状态 为 已完成，历史记录为 推进中；…", or "" when
// the stored item is what its history makes it.
std::string CompareWithHistory(const LedgerItem& item, const ReplayedItem& replayed) {
  std::vector<std::string> differences;
  const json stored = ItemFields(item);
  for (auto it = stored.begin(); it != stored.end(); ++it) {
    const json& told = replayed.fields.contains(it.key()) ? replayed.fields[it.key()] : json();
    if (told == it.value()) continue;
    differences.push_back("字段 " + HistoryFieldLabel(it.key(), item.kind) + " 为 " +
                          ValueText(it.key(), it.value()) + "，历史记录为 " +
                          ValueText(it.key(), told));
  }
  const std::pair<const char*, std::pair<const std::string*, const std::string*>> people[] = {
      {"创建人", {&item.created_by, &replayed.created_by}},
      {"创建时间", {&item.created_at, &replayed.created_at}},
      {"最后修改人", {&item.updated_by, &replayed.updated_by}},
      {"最后修改时间", {&item.updated_at, &replayed.updated_at}}};
  for (const auto& [label, values] : people) {
    if (*values.first == *values.second) continue;
    differences.push_back(std::string(label) + " 为 " +
                          (values.first->empty() ? "（空）" : *values.first) + "，历史记录为 " +
                          (values.second->empty() ? "（空）" : *values.second));
  }
  if (!replayed.problem.empty()) differences.push_back(replayed.problem);
  if (differences.empty()) return "";
  std::string text = "编号 " + std::to_string(item.id) + " 的事项与其历史不符：";
  for (size_t i = 0; i < differences.size(); ++i) text += (i ? "；" : "") + differences[i];
  return text;
}

// Every item against its history, a page of items at a time (the history
// of a page comes by the history_entity index).
Status ReplayItems(Database* db, VerifyReport* report) {
  constexpr int64_t kPage = 2000;
  int64_t after_id = 0;
  for (;;) {
    std::vector<Row> rows;
    Status s = db->Execute(std::string("SELECT ") + kItemColumns +
                               " FROM ledger_items WHERE id > ? ORDER BY id LIMIT ?",
                           {Value(after_id), Value(kPage)}, &rows);
    if (!s.ok() || rows.empty()) return s;
    std::vector<LedgerItem> items;
    for (const Row& r : rows) items.push_back(ItemFromRow(r));
    std::vector<Row> history;
    s = db->Execute(
        "SELECT entity_id, id, at, actor, action, before_json, after_json FROM history WHERE "
        "entity = 'item' AND "
        "entity_id >= ? AND entity_id <= ? ORDER BY entity_id, id",
        {Value(items.front().id), Value(items.back().id)}, &history);
    if (!s.ok()) return s;
    std::map<int64_t, ReplayedItem> replayed;
    for (const Row& h : history) Replay(h, &replayed[h.Int(0)]);
    for (const LedgerItem& item : items) {
      auto it = replayed.find(item.id);
      // An item without a creation row is reported by Verify's own check.
      if (it == replayed.end() || !it->second.created) continue;
      std::string problem = CompareWithHistory(item, it->second);
      if (!problem.empty()) report->problems.push_back(std::move(problem));
    }
    report->items += static_cast<int64_t>(items.size());
    after_id = items.back().id;
  }
}

}  // namespace

Result<HistoryHead> LedgerStore::ReadHistoryHead() {
  std::vector<Row> rows;
  Status s = db_->Execute("SELECT id, hash FROM history ORDER BY id DESC LIMIT 1", {}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return HistoryHead{};
  return HistoryHead{rows[0].Int(0), rows[0].Text(1)};
}

Result<VerifyReport> LedgerStore::Verify(const std::optional<HistoryHead>& recorded) {
  VerifyReport report;
  auto walk = ledger_internal::WalkChain(db_.get());
  if (!walk.ok()) return walk.status();
  report.problems = walk->problems;
  report.head = HistoryHead{walk->head_id, walk->head_hash};
  report.history_rows = walk->rows;
  Status s = ReplayItems(db_.get(), &report);
  if (!s.ok()) return s;
  struct Check {
    const char* sql;
    const char* what;
  };
  const Check checks[] = {
      {"SELECT f.id FROM sources f WHERE f.report_count <> (SELECT COUNT(*) FROM reports r WHERE "
       "r.source_id = f.id)",
       "文件的报告数与记录不符"},
      {"SELECT r.id FROM reports r WHERE r.heading_count <> (SELECT COUNT(*) FROM headings h WHERE "
       "h.report_id = r.id)",
       "报告的标题数与记录不符"},
      {"SELECT r.id FROM reports r WHERE r.quantity_count <> (SELECT COUNT(*) FROM quantities q "
       "WHERE q.report_id = "
       "r.id)",
       "报告的数字数与记录不符"},
      {"SELECT r.id FROM reports r WHERE r.plan_item_count <> (SELECT COUNT(*) FROM plan_items p "
       "WHERE p.report_id = "
       "r.id)",
       "报告的计划事项数与记录不符"},
      {"SELECT r.id FROM reports r WHERE r.relation_count <> (SELECT COUNT(*) FROM relations x "
       "WHERE x.report_id = "
       "r.id)",
       "报告的数量关系数与记录不符"},
      {"SELECT r.id FROM reports r WHERE r.finding_count <> (SELECT COUNT(*) FROM findings x WHERE "
       "x.report_id = "
       "r.id)",
       "报告的问题数与记录不符"},
      // The details do not check their report by a foreign key (schema version 6).
      {"SELECT DISTINCT x.report_id FROM headings x WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = "
       "x.report_id)",
       "标题所属的报告不存在"},
      {"SELECT DISTINCT x.report_id FROM quantities x WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = "
       "x.report_id)",
       "数字所属的报告不存在"},
      {"SELECT DISTINCT x.report_id FROM plan_items x WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = "
       "x.report_id)",
       "计划事项所属的报告不存在"},
      {"SELECT DISTINCT x.report_id FROM relations x WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = "
       "x.report_id)",
       "数量关系所属的报告不存在"},
      {"SELECT DISTINCT x.report_id FROM findings x WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = "
       "x.report_id)",
       "问题所属的报告不存在"},
      {"SELECT i.id FROM ledger_items i WHERE NOT EXISTS (SELECT 1 FROM history h WHERE h.entity = "
       "'item' AND "
       "h.entity_id = i.id AND h.action = 'create')",
       "台账事项没有创建记录"},
      // Every change of an item raises its version by one and writes one history row.
      {"SELECT i.id FROM ledger_items i WHERE i.version <> 1 + (SELECT COUNT(*) FROM history h "
       "WHERE h.entity = "
       "'item' AND h.entity_id = i.id AND h.action <> 'create')",
       "台账事项的版本与历史记录不符"},
      {"SELECT DISTINCT h.entity_id FROM history h WHERE h.entity = 'item' AND NOT EXISTS (SELECT "
       "1 FROM "
       "ledger_items i WHERE i.id = h.entity_id)",
       "历史记录中的台账事项在台账中已不存在，被直接删除"},
      {"SELECT f.id FROM sources f WHERE NOT EXISTS (SELECT 1 FROM history h WHERE h.entity = "
       "'source' AND "
       "h.entity_id = f.id)",
       "导入的文件没有导入记录"},
  };
  for (const Check& check : checks) {
    std::vector<Row> rows;
    s = db_->Execute(check.sql, {}, &rows);
    if (!s.ok()) return s;
    for (const Row& r : rows)
      report.problems.push_back(std::string(check.what) + "（编号 " + r.Text(0) + "）");
  }
  auto triggers = ledger_internal::CheckHistoryTriggers(db_.get());
  if (!triggers.ok()) return triggers.status();
  report.problems.insert(report.problems.end(), triggers->begin(), triggers->end());
  if (recorded) {
    std::vector<Row> rows;
    s = db_->Execute("SELECT hash FROM history WHERE id = ?", {Value(recorded->id)}, &rows);
    if (!s.ok()) return s;
    const std::string row = "第 " + std::to_string(recorded->id) + " 条历史记录";
    if (rows.empty()) {
      report.problems.push_back("记下的链头 " + FormatHistoryHead(*recorded) + " 已不在历史中：" +
                                row + "不存在，历史在记下链头之后被删减或改写过");
    } else if (rows[0].Text(0) != recorded->hash) {
      report.problems.push_back("记下的链头 " + FormatHistoryHead(*recorded) + " 与历史不符：" +
                                row + "的哈希现为 " + rows[0].Text(0) +
                                "，历史在记下链头之后被改写过");
    }
  }
  return report;
}
}  // namespace taizhang
