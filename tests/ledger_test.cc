// The ledger store on both backends: every test runs once on SQLite (a
// temporary file) and once on PostgreSQL (a database of its own on the
// server at TAIZHANG_TEST_POSTGRES_URL, which scripts/test.sh starts; without
// it the PostgreSQL half skips, unless TAIZHANG_REQUIRE_POSTGRES=1 as in CI,
// where it fails).
#include "ledger/ledger.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"
#include "ledger/database.h"
#include "ledger/history_chain.h"
#include "ledger/schema.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

namespace fs = std::filesystem;

::testing::AssertionResult Ok(const Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << status.message();
}

std::string PostgresUrl() {
  const char* url = std::getenv("TAIZHANG_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

bool PostgresRequired() {
  const char* required = std::getenv("TAIZHANG_REQUIRE_POSTGRES");
  return required != nullptr && std::string(required) == "1";
}

// `url` (postgresql://user@host:port/db?…) naming another database.
std::string WithDatabase(const std::string& url, const std::string& database) {
  size_t authority = url.find("://");
  size_t slash = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  if (slash == std::string::npos) return url + "/" + database;
  size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

// A fresh, empty database for one test, removed afterwards.
class Backend {
 public:
  explicit Backend(const std::string& kind) : kind_(kind) {}
  ~Backend() { Drop(); }

  // Empty string on success, else why not (the caller skips or fails).
  std::string Create() {
    static std::atomic<int> counter{0};
    const std::string name = "taizhang_t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (kind_ == "sqlite") {
      dir_ = fs::temp_directory_path() / name;
      fs::create_directories(dir_);
      url_ = (dir_ / "ledger.db").string();
      return "";
    }
    const std::string base = PostgresUrl();
    if (base.empty()) return "no server";
    auto admin = ledger_internal::OpenPostgres(base);
    if (!admin.ok()) return admin.status().message();
    Status s = (*admin)->Execute("CREATE DATABASE " + name, {});
    if (!s.ok()) return s.message();
    database_ = name;
    url_ = WithDatabase(base, name);
    dir_ = fs::temp_directory_path() / name;
    fs::create_directories(dir_);
    return "";
  }

  const std::string& url() const { return url_; }
  fs::path dir() const { return dir_; }

 private:
  void Drop() {
    if (!database_.empty()) {
      auto admin = ledger_internal::OpenPostgres(PostgresUrl());
      if (admin.ok()) (void)(*admin)->Execute("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)", {});
    }
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  std::string kind_;
  std::string url_;
  std::string database_;
  fs::path dir_;
};

class Ledger : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = std::make_unique<Backend>(GetParam());
    std::string why = backend_->Create();
    if (why == "no server") {
      if (PostgresRequired()) FAIL() << "TAIZHANG_REQUIRE_POSTGRES=1 but TAIZHANG_TEST_POSTGRES_URL is not set";
      GTEST_SKIP() << "TAIZHANG_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against";
    }
    ASSERT_EQ(why, "");
    store_ = Open("张三");
    ASSERT_NE(store_, nullptr);
    store_->set_today("2024-05-01");
  }

  std::unique_ptr<LedgerStore> Open(const std::string& user) {
    auto store = LedgerStore::Open(backend_->url(), user);
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return nullptr;
    (*store)->set_today("2024-05-01");
    return std::move(store).value();
  }

  std::vector<LedgerItem> Items(const ItemFilter& filter = {}) {
    auto items = store_->ListItems(filter);
    EXPECT_TRUE(items.ok()) << items.status().message();
    return items.ok() ? *items : std::vector<LedgerItem>();
  }

  // The items in review state `review` (nullopt: all).
  std::vector<LedgerItem> ItemsIn(std::optional<ReviewState> review) {
    ItemFilter filter;
    filter.review = review;
    return Items(filter);
  }

  // Accepts every proposal, each at the version read, as a reviewer who
  // read them all would.
  void AcceptAll() {
    std::vector<ItemRef> refs;
    for (const LedgerItem& item : ItemsIn(ReviewState::kProposed)) refs.push_back({item.id, item.version});
    if (refs.empty()) return;
    auto accepted = store_->AcceptItems(refs);
    ASSERT_TRUE(accepted.ok()) << accepted.status().message();
    ASSERT_EQ(accepted->size(), refs.size());
  }

  // A connection of its own to the test's database, as an owner with SQL has.
  std::unique_ptr<ledger_internal::Database> Raw() {
    auto raw = GetParam() == "sqlite" ? ledger_internal::OpenSqlite(backend_->url())
                                      : ledger_internal::OpenPostgres(backend_->url());
    EXPECT_TRUE(raw.ok()) << raw.status().message();
    return raw.ok() ? std::move(raw).value() : nullptr;
  }

  // Back to schema version 3: the review columns of version 4 gone (and
  // everything after it), as a database made before them.
  void DropVersion4(ledger_internal::Database* raw) {
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        "DROP INDEX IF EXISTS ledger_items_lead_unit; DROP INDEX IF EXISTS ledger_items_unit_state; DROP INDEX IF EXISTS ledger_items_kind_review; "
        "DROP INDEX IF EXISTS ledger_items_status_review; DROP INDEX IF EXISTS ledger_items_by_deadline; DROP INDEX IF EXISTS ledger_items_updated; "
        "DROP INDEX ledger_items_open_deadline; DROP INDEX ledger_items_review; "
        "ALTER TABLE ledger_items DROP COLUMN review; "
        "ALTER TABLE ledger_items DROP COLUMN review_reason; ALTER TABLE ledger_items DROP COLUMN reviewed_by; "
        "ALTER TABLE ledger_items DROP COLUMN reviewed_at; ALTER TABLE ledger_items DROP COLUMN merged_into; "
        "ALTER TABLE ledger_items DROP COLUMN split_from; ALTER TABLE ledger_items DROP COLUMN lead_unit; "
        "ALTER TABLE ledger_items DROP COLUMN support_units; "
        "ALTER TABLE ledger_items DROP COLUMN responsible_person; "
        "DELETE FROM schema_migrations WHERE version >= 4;")));
    AddVersion5Json(raw);
  }

  // Back before version 14: the calendar links gone.
  void DropVersion14(ledger_internal::Database* raw) {
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        "DROP TABLE calendar_links; DELETE FROM schema_migrations WHERE version >= 14;")));
  }

  // Back before version 13: the reminders' tables (src/remind/) gone.
  void DropVersion13(ledger_internal::Database* raw) {
    DropVersion14(raw);
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        "DROP TABLE reminder_log; DROP TABLE reminder_rules; DROP TABLE reminder_channels; "
        "DELETE FROM schema_migrations WHERE version >= 13;")));
  }

  // Back before version 12: the item list's indexes gone, the one by
  // status back.
  void DropVersion12(ledger_internal::Database* raw) {
    DropVersion13(raw);
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        "DROP INDEX IF EXISTS ledger_items_lead_unit; DROP INDEX IF EXISTS ledger_items_unit_state; "
        "DROP INDEX IF EXISTS ledger_items_kind_review; DROP INDEX IF EXISTS ledger_items_status_review; "
        "DROP INDEX IF EXISTS ledger_items_by_deadline; DROP INDEX IF EXISTS ledger_items_updated; "
        "DELETE FROM schema_migrations WHERE version >= 12;")));
  }

  // Back before version 11: the server processes' heartbeats gone (the
  // columns it added go with their tables below).
  void DropVersion11(ledger_internal::Database* raw) {
    DropVersion12(raw);
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        "DROP TABLE server_processes; DELETE FROM schema_migrations WHERE version >= 11;")));
  }

  // Back before version 10: the progress entries' attachments gone.
  void DropVersion10(ledger_internal::Database* raw) {
    DropVersion11(raw);
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        "DROP TABLE progress_attachments; DELETE FROM schema_migrations WHERE version >= 10;")));
  }

  // Back before version 9: the server's jobs table (src/server/) gone.
  void DropVersion9(ledger_internal::Database* raw) {
    DropVersion10(raw);
    ASSERT_TRUE(Ok(raw->ExecuteScript("DROP TABLE jobs; DELETE FROM schema_migrations WHERE version >= 9;")));
  }

  // Back to version 6: the accounts' tables of version 7 (src/access/) gone.
  void DropVersion7(ledger_internal::Database* raw) {
    DropVersion9(raw);
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        "DROP TABLE access_sessions; DROP TABLE access_password_history; DROP TABLE access_login_guard; "
        "DROP TABLE access_rate_counters; DROP TABLE access_policy; DROP TABLE access_users; "
        "DROP TABLE access_units; DROP TABLE audit_log; DELETE FROM schema_migrations WHERE version >= 7;")));
    if (GetParam() == "postgres") {
      ASSERT_TRUE(Ok(raw->ExecuteScript("DROP FUNCTION taizhang_audit_append_only();")));
    }
  }

  // Back to version 5: the whole files' JSON columns (at the end here; "{}"
  // for the rows stored since), the index on what quantities measure, and
  // on PostgreSQL the details' foreign keys.
  void AddVersion5Json(ledger_internal::Database* raw) {
    DropVersion7(raw);
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        "ALTER TABLE sources ADD COLUMN outline_json TEXT NOT NULL DEFAULT '{}'; "
        "ALTER TABLE sources ADD COLUMN facts_json TEXT NOT NULL DEFAULT '{}'; "
        "ALTER TABLE sources ADD COLUMN check_json TEXT NOT NULL DEFAULT '{}'; "
        "CREATE INDEX quantities_measured ON quantities (measured); "
        "DELETE FROM schema_migrations WHERE version >= 6;")));
    if (GetParam() == "postgres") {
      for (const char* table : {"headings", "quantities", "plan_items", "relations", "findings"}) {
        ASSERT_TRUE(Ok(raw->ExecuteScript(std::string("ALTER TABLE ") + table + " ADD CONSTRAINT " + table +
                                          "_report_id_fkey FOREIGN KEY (report_id) REFERENCES reports(id)")));
      }
    }
  }

  // What an owner can do: lift the triggers that keep the history append-only.
  void LiftHistoryTriggers(ledger_internal::Database* raw) {
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        GetParam() == "sqlite" ? "DROP TRIGGER history_no_update; DROP TRIGGER history_no_delete;"
                               : "ALTER TABLE history DISABLE TRIGGER history_append_only;")));
  }

  // The problems Verify reports, joined by newlines.
  std::string Problems(const std::optional<HistoryHead>& recorded = std::nullopt) {
    auto report = store_->Verify(recorded);
    EXPECT_TRUE(report.ok()) << report.status().message();
    std::string text;
    if (report.ok()) {
      for (const std::string& p : report->problems) text += p + "\n";
    }
    return text;
  }

  void ExpectConsistent() {
    auto report = store_->Verify();
    ASSERT_TRUE(report.ok()) << report.status().message();
    EXPECT_TRUE(report->problems.empty()) << ::testing::PrintToString(report->problems);
  }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<LedgerStore> store_;
};

const LedgerItem* FindTask(const std::vector<LedgerItem>& items, const std::string& needle) {
  for (const LedgerItem& item : items) {
    if (item.task.find(needle) != std::string::npos) return &item;
  }
  return nullptr;
}

// Importing the seed compilation: 16 reports, a ledger of their 2024 plan
// items with report 1's four named items and their deadlines; importing it
// again changes nothing; the same reports from the Word file add no item.
TEST_P(Ledger, SeedCompilationBecomesALedger) {
  auto first = ImportDocument(*store_, testing::SeedPath(), {});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->kind, ImportOutcome::kNew);
  EXPECT_EQ(first->reports, 16);
  EXPECT_GT(first->ledger_added, 100);
  EXPECT_EQ(first->content_hash.size(), 64u);
  // Every item is a proposal: nothing counts yet.
  EXPECT_EQ(first->awaiting_review, first->ledger_added);
  EXPECT_TRUE(Items().empty());
  std::vector<LedgerItem> all = ItemsIn(ReviewState::kProposed);
  EXPECT_EQ(static_cast<int>(all.size()), first->ledger_added);
  EXPECT_EQ(ItemsIn(std::nullopt).size(), all.size());
  for (const LedgerItem& item : all) {
    EXPECT_EQ(item.created_by, "张三");
    EXPECT_EQ(item.review, ReviewState::kProposed);
    EXPECT_FALSE(item.overdue);
    EXPECT_EQ(item.warning, Warning::kNone);
    // The sentence it was read from holds the task (before the checker's
    // safe fixes: D written for 党).
    const std::string as_written = testing::AsWritten(item.task);
    EXPECT_TRUE(item.source_text.find(item.task) != std::string::npos ||
                item.source_text.find(as_written) != std::string::npos)
        << item.task;
  }

  ItemFilter water;
  water.unit = "腾冲市水务局";
  water.review = ReviewState::kProposed;
  std::vector<LedgerItem> report1 = Items(water);
  struct Named {
    const char* task;
    const char* deadline;
  } named[] = {{"水源工程招标", "2024-06-30"},
               {"界头片渠系工程施工招标", "2024-12-31"},
               {"向阳水库主体工程建设", "2024-12-31"},
               {"板栗树水库", "2024-10-31"}};
  for (const Named& n : named) {
    const LedgerItem* item = FindTask(report1, n.task);
    ASSERT_NE(item, nullptr) << n.task;
    EXPECT_EQ(item->deadline, n.deadline) << n.task;
    EXPECT_EQ(item->year, 2024);
    EXPECT_EQ(item->status, ItemStatus::kNotStarted);
    EXPECT_EQ(item->source_file, testing::SeedPath());
    EXPECT_GT(item->source_line, 0u);
  }

  // The row reads as a person writes it: the checker's safe fix (D → 党)
  // applied; the sentence as written is kept as its source.
  bool party = false;
  for (const LedgerItem& item : all) {
    if (item.source_text == "（八）持续抓好D的建设。") {
      party = true;
      EXPECT_EQ(item.task, "持续抓好党的建设");
    }
  }
  EXPECT_TRUE(party);

  auto again = ImportDocument(*store_, testing::SeedPath(), {});
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->kind, ImportOutcome::kUnchanged);
  EXPECT_EQ(again->source_id, first->source_id);
  EXPECT_EQ(ItemsIn(std::nullopt).size(), all.size());

  auto word = ImportDocument(*store_, testing::SharedDir() + "/corpus/fixtures/seed-compilation.docx", {});
  ASSERT_TRUE(word.ok()) << word.status().message();
  EXPECT_EQ(word->kind, ImportOutcome::kNew);
  EXPECT_EQ(word->reports, 16);
  EXPECT_EQ(word->ledger_added, 0);
  EXPECT_EQ(word->awaiting_review, 0);
  EXPECT_EQ(ItemsIn(std::nullopt).size(), all.size());
  ExpectConsistent();
}

// A changed file under the same path is a new version: the old stays, the
// ledger keeps its items (with their progress), new plan items are added,
// none is deleted.
TEST_P(Ledger, ChangedFileIsANewVersion) {
  const std::string path = (backend_->dir() / "计划.txt").string();
  testing::WriteBytes(path,
                      "某县水利局2024年工作计划\n一、主要任务\n（一）确保6月底前完成水库除险加固3座。\n"
                      "（二）力争年底前完成河道治理12公里。\n");
  auto v1 = ImportDocument(*store_, path, {});
  ASSERT_TRUE(v1.ok()) << v1.status().message();
  EXPECT_EQ(v1->awaiting_review, 2);
  EXPECT_EQ(v1->review_unit, "某县水利局");
  EXPECT_EQ(v1->review_year, 2024);
  AcceptAll();
  std::vector<LedgerItem> before = Items();
  ASSERT_EQ(before.size(), 2u);
  const LedgerItem* reservoir = FindTask(before, "水库除险加固");
  ASSERT_NE(reservoir, nullptr);
  EXPECT_EQ(reservoir->target_value, "3");
  EXPECT_EQ(reservoir->deadline, "2024-06-30");
  ProgressEntry entry;
  entry.date = "2024-04-20";
  entry.value = "2";
  entry.note = "已完成2座";
  auto progressed = store_->AddProgress(reservoir->id, reservoir->version, entry, false);
  ASSERT_TRUE(progressed.ok()) << progressed.status().message();
  EXPECT_EQ(progressed->status, ItemStatus::kInProgress);

  testing::WriteBytes(path,
                      "某县水利局2024年工作计划\n一、主要任务\n（一）确保6月底前完成水库除险加固3座。\n"
                      "（二）力争年底前完成河道治理12公里。\n（三）确保9月底前完成灌区节水改造2万亩。\n");
  auto v2 = ImportDocument(*store_, path, {});
  ASSERT_TRUE(v2.ok()) << v2.status().message();
  EXPECT_EQ(v2->kind, ImportOutcome::kNewVersion);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->ledger_updated, 2);
  EXPECT_EQ(v2->ledger_added, 1);
  // The kept items stay accepted; the new one awaits review.
  EXPECT_EQ(v2->awaiting_review, 1);
  EXPECT_EQ(Items().size(), 2u);
  std::vector<LedgerItem> after = ItemsIn(std::nullopt);
  ASSERT_EQ(after.size(), 3u);
  ASSERT_NE(FindTask(after, "灌区节水改造"), nullptr);
  EXPECT_EQ(FindTask(after, "灌区节水改造")->review, ReviewState::kProposed);
  const LedgerItem* kept = FindTask(after, "水库除险加固");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->id, reservoir->id);
  EXPECT_EQ(kept->status, ItemStatus::kInProgress);
  EXPECT_EQ(kept->progress_value, "2");
  auto history = store_->History(kept->id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 4u);  // create, accept, progress, reimport
  EXPECT_EQ((*history)[1].action, "accept");
  EXPECT_EQ((*history)[3].action, "reimport");
  ExpectConsistent();
}

// A file that cannot be read leaves nothing behind.
TEST_P(Ledger, UnreadableFilesChangeNothing) {
  const std::string binary = (backend_->dir() / "x.txt").string();
  testing::WriteBytes(binary, std::string("\x7F" "ELF\0\0\1\2", 8));
  auto failed = ImportDocument(*store_, binary, {});
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("x.txt"), std::string::npos);
  auto missing = ImportDocument(*store_, (backend_->dir() / "无此文件.docx").string(), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Items().empty());
  ExpectConsistent();
}

// A plan of `unit` with two plan items, as a small file in the backend's
// directory; returns its path.
std::string WriteReport(const fs::path& dir, const std::string& name, const std::string& unit) {
  const std::string path = (dir / name).string();
  testing::WriteBytes(path, unit +
                                "2025年工作计划\n\n一、2025年工作计划\n\n（一）加快水库建设。6月底前完成水库除险加固工程。\n\n"
                                "（二）全年新建农村供水站12个，完成投资5000万元。\n");
  return path;
}

// Imports in a batch (one transaction): each file is still all or nothing —
// a file the store refuses in the middle leaves nothing, the files before
// and after it are stored by the commit — and the history verifies. A batch
// rolled back stores nothing; a write other than an import waits for it to
// end (refused while it is open).
TEST_P(Ledger, BatchImportKeepsEachFileAllOrNothing) {
  const fs::path dir = backend_->dir();
  const std::string first = WriteReport(dir, "甲.txt", "县水利局");
  const std::string middle = WriteReport(dir, "乙.txt", "县住建局");
  const std::string last = WriteReport(dir, "丙.txt", "县教育局");
  const std::string malformed = (dir / "坏.txt").string();
  testing::WriteBytes(malformed, std::string("\x7F" "ELF\0\0\1\2", 8));

  ASSERT_TRUE(Ok(store_->BeginBatch()));
  EXPECT_TRUE(store_->batch_open());
  auto a = ImportDocument(*store_, first, {});
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->kind, ImportOutcome::kNew);
  EXPECT_EQ(a->ledger_added, 2);
  // A malformed file fails before the store: the batch goes on.
  EXPECT_FALSE(ImportDocument(*store_, malformed, {}).ok());
  // A file the store refuses half-way (a value the backend cannot hold: a
  // NUL character on PostgreSQL, a value over the length limit on SQLite):
  // rolled back to its savepoint.
  std::string bytes = testing::ReadBytes(middle);
  AnalyzeOptions options;
  AnalyzedFile analyzed = AnalyzeBytes(middle, bytes, options);
  ASSERT_TRUE(analyzed.ok());
  ImportRequest refused;
  refused.file = &analyzed;
  refused.content_hash = ContentHash(bytes);
  // The path is stored as given: one with a NUL character, or one longer
  // than the limit.
  analyzed.path = middle + std::string("\0", 1);
  if (GetParam() == "sqlite") {
    // The limit comes with the connection: a second store, its own batch.
    ASSERT_TRUE(Ok(store_->CommitBatch()));
    ::setenv("TAIZHANG_SQLITE_MAX_BYTES", "50000", 1);
    store_ = Open("张三");
    ::unsetenv("TAIZHANG_SQLITE_MAX_BYTES");
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(Ok(store_->BeginBatch()));
    analyzed.path = middle + std::string(60000, 'x');
  }
  auto failed = store_->Import(refused);
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(store_->batch_open());  // the batch goes on
  auto found = store_->FindImported(refused.content_hash);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());  // nothing of it
  auto c = ImportDocument(*store_, last, {});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->ledger_added, 2);
  // A write other than an import is refused while the batch is open.
  NewItem add;
  add.unit = "县财政局";
  add.task = "完成预算编制";
  EXPECT_FALSE(store_->AddItem(add).ok());
  EXPECT_TRUE(store_->batch_open());
  ASSERT_TRUE(Ok(store_->CommitBatch()));
  EXPECT_FALSE(store_->batch_open());

  // Another connection sees the two files and their proposals.
  store_ = Open("李四");
  ASSERT_NE(store_, nullptr);
  auto counts = store_->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->sources, 2);
  EXPECT_EQ(counts->items, 4);
  const std::vector<LedgerItem> proposals = ItemsIn(ReviewState::kProposed);
  ASSERT_EQ(proposals.size(), 4u);
  for (const LedgerItem& item : proposals) EXPECT_NE(item.unit, "县住建局") << item.task;
  ExpectConsistent();

  // A batch rolled back stores nothing.
  ASSERT_TRUE(Ok(store_->BeginBatch()));
  auto rolled = ImportDocument(*store_, middle, {});
  ASSERT_TRUE(rolled.ok()) << rolled.status().message();
  store_->RollbackBatch();
  counts = store_->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->sources, 2);
  // …and a store closed with a batch open rolls it back.
  ASSERT_TRUE(Ok(store_->BeginBatch()));
  ASSERT_TRUE(ImportDocument(*store_, middle, {}).ok());
  store_ = Open("李四");
  ASSERT_NE(store_, nullptr);
  counts = store_->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->sources, 2);
  // The same again outside a batch: stored.
  auto again = ImportDocument(*store_, middle, {});
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->kind, ImportOutcome::kNew);
  EXPECT_EQ(again->ledger_added, 2);
  ExpectConsistent();
}

// Hand-added items, updates guarded by the row version, progress, history
// with the acting user, and history that cannot be edited.
TEST_P(Ledger, UpdatesAreVersionedAndHistoryIsAppendOnly) {
  NewItem add;
  add.unit = "县住建局";
  add.task = "完成老旧小区改造";
  add.target_text = "14个";
  add.deadline = "2024-12-31";
  auto item = store_->AddItem(add);
  ASSERT_TRUE(item.ok()) << item.status().message();
  EXPECT_EQ(item->year, 2024);
  EXPECT_EQ(item->target_value, "14");
  EXPECT_EQ(item->target_unit, "个");
  EXPECT_EQ(item->version, 1);

  ItemChange change;
  change.deadline = "2024-11-30";
  auto updated = store_->UpdateItem(item->id, 1, change);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->deadline, "2024-11-30");

  // Another user, working from version 1, is refused.
  std::unique_ptr<LedgerStore> other = Open("李四");
  ItemChange stale;
  stale.deadline = "2025-06-30";
  auto refused = other->UpdateItem(item->id, 1, stale);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("本次修改未保存"), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find("张三"), std::string::npos);
  EXPECT_EQ(store_->GetItem(item->id)->deadline, "2024-11-30");

  ProgressEntry entry;
  entry.date = "2024-09-30";
  entry.value = "14";
  entry.note = "14个小区全部完工";
  entry.evidence = "县住建局〔2024〕12号";
  auto done = other->AddProgress(item->id, 2, entry, false);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->status, ItemStatus::kDone);
  EXPECT_EQ(done->updated_by, "李四");
  auto progress = store_->ListProgress(item->id);
  ASSERT_TRUE(progress.ok());
  ASSERT_EQ(progress->size(), 1u);
  EXPECT_EQ((*progress)[0].evidence, "县住建局〔2024〕12号");
  EXPECT_EQ((*progress)[0].by, "李四");

  auto history = store_->History(item->id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].action, "create");
  EXPECT_EQ((*history)[0].actor, "张三");
  EXPECT_EQ((*history)[1].action, "update");
  EXPECT_NE((*history)[1].before.find("2024-12-31"), std::string::npos);
  EXPECT_NE((*history)[1].after.find("2024-11-30"), std::string::npos);
  EXPECT_EQ((*history)[2].actor, "李四");

  // A direct connection is refused by the triggers (an owner can lift
  // them: HistoryRowChangedByAnOwnerShows).
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_FALSE(raw->Execute("UPDATE history SET actor = '王五'", {}).ok());
  EXPECT_FALSE(raw->Execute("DELETE FROM history", {}).ok());
  if (GetParam() == "postgres") {
    // The triggers fire ALWAYS: replication mode does not pass them either
    // (only a superuser may set it; taizhang's own role is none, so for it
    // the setting itself is refused).
    if (raw->Execute("SET session_replication_role = replica", {}).ok()) {
      EXPECT_FALSE(raw->Execute("UPDATE history SET actor = '王五'", {}).ok());
      ASSERT_TRUE(Ok(raw->Execute("SET session_replication_role = origin", {})));
    }
  }

  // Bad input: a clear message, nothing written.
  NewItem bad = add;
  bad.deadline = "2024-13-01";
  auto invalid = store_->AddItem(bad);
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.status().message().find("2024-13-01"), std::string::npos);
  bad = add;
  bad.unit = "";
  EXPECT_FALSE(store_->AddItem(bad).ok());
  EXPECT_EQ(Items().size(), 1u);
  ExpectConsistent();
}

// Problems: rectification submitted by one user, closed off (销号) only by
// another; rates with their counts; overdue and warnings against the day.
TEST_P(Ledger, RectificationCloseOffAndRates) {
  auto add_problem = [&](const std::string& unit, const std::string& task, const std::string& found,
                         const std::string& deadline) {
    NewItem p;
    p.kind = ItemKind::kProblem;
    p.unit = unit;
    p.task = task;
    p.problem_source = "审计";
    p.found_date = found;
    p.deadline = deadline;
    auto made = store_->AddItem(p);
    EXPECT_TRUE(made.ok()) << made.status().message();
    return made.ok() ? *made : LedgerItem();
  };
  LedgerItem a = add_problem("县水利局", "项目资金拨付不及时", "2024-01-10", "2024-03-31");
  LedgerItem b = add_problem("县水利局", "河道采砂监管不到位", "2024-02-01", "2024-06-30");
  LedgerItem c = add_problem("县住建局", "质量安全检查记录不全", "2024-02-15", "2024-04-15");
  EXPECT_EQ(a.status, ItemStatus::kRectifying);
  EXPECT_EQ(a.year, 2024);

  auto submitted = store_->SubmitRectification(a.id, a.version, "补拨资金并建立台账");
  ASSERT_TRUE(submitted.ok()) << submitted.status().message();
  EXPECT_EQ(submitted->status, ItemStatus::kAwaitingCloseOff);
  auto self = store_->CloseOff(a.id, submitted->version);
  ASSERT_FALSE(self.ok());
  EXPECT_NE(self.status().message().find("提交整改者以外"), std::string::npos);
  std::unique_ptr<LedgerStore> verifier = Open("李四");
  auto closed = verifier->CloseOff(a.id, submitted->version);
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  EXPECT_EQ(closed->status, ItemStatus::kClosedOff);
  EXPECT_EQ(closed->verified_by, "李四");
  EXPECT_EQ(closed->submitted_by, "张三");
  // Not submitted: no close-off.
  EXPECT_FALSE(verifier->CloseOff(b.id, b.version).ok());
  // A plan item cannot be closed off.
  NewItem task;
  task.unit = "县水利局";
  task.task = "完成水库除险加固3座";
  task.target_text = "3座";
  task.deadline = "2024-05-10";
  auto plan = store_->AddItem(task);
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(store_->SubmitRectification(plan->id, plan->version, "x").ok());

  // Today is 2024-05-01: c (2024-04-15) is overdue, the plan item is due in
  // 9 days (yellow), b is not yet due (green).
  std::vector<LedgerItem> items = Items();
  auto by_id = [&](int64_t id) {
    return *std::find_if(items.begin(), items.end(), [&](const LedgerItem& i) { return i.id == id; });
  };
  EXPECT_TRUE(by_id(c.id).overdue);
  EXPECT_EQ(ShownStatus(by_id(c.id)), "逾期");
  EXPECT_EQ(by_id(c.id).warning, Warning::kRed);
  EXPECT_EQ(by_id(plan->id).warning, Warning::kYellow);
  EXPECT_EQ(by_id(b.id).warning, Warning::kGreen);
  EXPECT_EQ(by_id(a.id).warning, Warning::kGreen);
  ItemFilter overdue;
  overdue.overdue = true;
  ASSERT_EQ(Items(overdue).size(), 1u);
  EXPECT_EQ(Items(overdue)[0].id, c.id);
  ItemFilter soon;
  soon.due_within_days = 10;
  ASSERT_EQ(Items(soon).size(), 1u);
  EXPECT_EQ(Items(soon)[0].id, plan->id);

  auto rates = store_->Rates({});
  ASSERT_TRUE(rates.ok()) << rates.status().message();
  ASSERT_EQ(rates->size(), 3u);  // 县住建局, 县水利局, total
  const RateRow& water = (*rates)[1];
  EXPECT_EQ(water.unit, "县水利局");
  EXPECT_EQ(water.problems, 2);
  EXPECT_EQ(water.rectified, 1);
  EXPECT_EQ(water.rectification_rate, "50.0");
  EXPECT_EQ(water.tasks, 1);
  EXPECT_EQ(water.done, 0);
  EXPECT_EQ(water.completion_rate, "0.0");
  const RateRow& total = rates->back();
  EXPECT_EQ(total.unit, "");
  EXPECT_EQ(total.problems, 3);
  EXPECT_EQ(total.rectified, 1);
  EXPECT_EQ(total.rectification_rate, "33.3");
  EXPECT_EQ((*rates)[0].completion_rate, "");  // 县住建局 has no tasks
  ExpectConsistent();
}

// A backup taken, later changes, the backup restored: the database as it was.
TEST_P(Ledger, BackupAndRestoreRoundTrip) {
  ASSERT_TRUE(ImportDocument(*store_, testing::SeedPath(), {}).ok());
  const size_t items = Items().size();
  const std::string backup = (backend_->dir() / "备份.bak").string();
  ASSERT_TRUE(Ok(store_->Backup(backup)));
  ASSERT_TRUE(fs::file_size(backup) > 0);
  NewItem extra;
  extra.unit = "县水利局";
  extra.task = "备份之后添加的事项";
  ASSERT_TRUE(store_->AddItem(extra).ok());
  ASSERT_EQ(Items().size(), items + 1);
  ASSERT_TRUE(Ok(store_->Restore(backup)));
  EXPECT_EQ(Items().size(), items);
  EXPECT_EQ(FindTask(Items(), "备份之后添加的事项"), nullptr);
  ExpectConsistent();
  // A file that is no backup changes nothing.
  const std::string junk = (backend_->dir() / "junk.bak").string();
  testing::WriteBytes(junk, "不是备份");
  EXPECT_FALSE(store_->Restore(junk).ok());
  EXPECT_EQ(Items().size(), items);
}

// A backup made from a ledger of its own (another database, never the live
// one), after `sql` changed it behind the store's back: what an attacker or
// a broken tool could hand to restore.
// With `built_to` (a schema version), the scratch database is made by that
// version's migrations and its item written as that build wrote it, so that
// `sql` can take it further back exactly.
std::string CraftBackup(const Backend& live, const std::string& name,
                        const std::vector<std::string>& sql, int built_to = 0) {
  Backend scratch(live.url().rfind("postgres", 0) == 0 ? "postgres" : "sqlite");
  EXPECT_EQ(scratch.Create(), "");
  if (built_to > 0) {
    auto raw = scratch.url().rfind("postgres", 0) == 0 ? ledger_internal::OpenPostgres(scratch.url())
                                                       : ledger_internal::OpenSqlite(scratch.url());
    EXPECT_TRUE(raw.ok()) << raw.status().message();
    if (!raw.ok()) return "";
    ledger_internal::Database* db = raw->get();
    using ledger_internal::Value;
    EXPECT_TRUE(Ok(db->ExecuteScript(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT "
        "NULL)")));
    for (const ledger_internal::Migration& m : ledger_internal::Migrations()) {
      if (m.version > built_to) continue;
      EXPECT_TRUE(Ok(db->ExecuteScript(ledger_internal::MigrationScript(m, db->dialect()))));
      if (m.step != nullptr) {
        EXPECT_TRUE(Ok(m.step(db)));
      }
      EXPECT_TRUE(Ok(db->Execute("INSERT INTO schema_migrations VALUES (?, ?, '2024-01-01T00:00:00Z')",
                                 {Value(int64_t{m.version}), Value(std::string(m.name))})));
    }
    EXPECT_TRUE(Ok(db->Execute(
        "INSERT INTO ledger_items (kind, unit, year, task, target_text, target_value, target_unit, target_approx, "
        "deadline, recurrence, status, progress_note, progress_value, progress_date, report_id, plan_item_idx, "
        "source_file, source_line, source_text, problem_source, found_date, measures, submitted_by, submitted_at, "
        "verified_by, closed_at, version, created_at, created_by, updated_at, updated_by) VALUES ('plan', "
        "'县交通局', 2024, '备份里的事项', '', '', '', '', '', '', 'not_started', '', '', '', NULL, -1, '', 0, '', "
        "'', '', '', '', '', '', '', 1, '2024-01-05T02:00:00Z', '李四', '2024-01-05T02:00:00Z', '李四')",
        {})));
    EXPECT_TRUE(Ok(ledger_internal::AppendHistory(
        db, {{"2024-01-05T02:00:00Z", "李四", "item", 1, "create", "",
              R"({"deadline":"","found_date":"","kind":"plan","measures":"","problem_source":"",)"
              R"("progress_date":"","progress_note":"","progress_value":"","recurrence":"","source_file":"",)"
              R"("source_line":0,"status":"not_started","submitted_by":"","target":"","task":"备份里的事项",)"
              R"("unit":"县交通局","verified_by":"","year":2024})"}})));
  } else {
    auto store = LedgerStore::Open(scratch.url(), "李四");
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return "";
    NewItem item;
    item.unit = "县交通局";
    item.task = "备份里的事项";
    EXPECT_TRUE((*store)->AddItem(item).ok());
  }
  auto raw = scratch.url().rfind("postgres", 0) == 0 ? ledger_internal::OpenPostgres(scratch.url())
                                                     : ledger_internal::OpenSqlite(scratch.url());
  EXPECT_TRUE(raw.ok()) << raw.status().message();
  if (!raw.ok()) return "";
  for (const std::string& statement : sql)
    EXPECT_TRUE(Ok((*raw)->ExecuteScript(statement))) << statement;
  const std::string path = (live.dir() / name).string();
  EXPECT_TRUE(Ok((*raw)->Backup(path)));
  return path;
}

// Restore checks a backup before anything live changes: an empty database, a
// backup whose history triggers were dropped and history forged, one with a
// trigger that would mass-edit items, one of a future schema version — each
// refused with the reason, the live ledger as it was.
TEST_P(Ledger, RestoreRefusesABackupThatIsNotExactlyOurs) {
  const bool postgres = GetParam() == "postgres";
  NewItem mine;
  mine.unit = "县水利局";
  mine.task = "现有的事项";
  auto added = store_->AddItem(mine);
  ASSERT_TRUE(added.ok()) << added.status().message();
  const std::vector<LedgerItem> before = Items();
  auto history_before = store_->History(added->id);
  ASSERT_TRUE(history_before.ok());

  struct Case {
    std::string name;
    std::vector<std::string> sql;
    std::string expected;  // in the message
  };
  const std::vector<Case> cases = {
      {"forged-history.bak",
       postgres ? std::vector<std::string>{"DROP TRIGGER history_append_only ON history",
                                           "UPDATE history SET actor = '伪造的人'"}
                : std::vector<std::string>{"DROP TRIGGER history_no_update",
                                           "UPDATE history SET actor = '伪造的人'"},
       postgres ? "缺少 TRIGGER history history_append_only" : "缺少触发器 history_no_update"},
      {"mass-edit.bak",
       postgres
           ? std::vector<std::string>{"CREATE FUNCTION mass_edit() RETURNS trigger LANGUAGE "
                                      "plpgsql AS $$ BEGIN "
                                      "UPDATE ledger_items SET task = '篡改' WHERE task <> '篡改'; "
                                      "RETURN NULL; "
                                      "END $$",
                                      "CREATE TRIGGER mass_edit AFTER UPDATE ON ledger_items FOR "
                                      "EACH STATEMENT "
                                      "EXECUTE FUNCTION mass_edit()"}
           : std::vector<
                 std::string>{"CREATE TRIGGER mass_edit AFTER UPDATE ON ledger_items BEGIN UPDATE "
                              "ledger_items SET task = '篡改' WHERE task <> '篡改'; END"},
       postgres ? "多余的 TRIGGER ledger_items mass_edit" : "多余的触发器 mass_edit"},
      {"extra-index.bak", {"CREATE INDEX sneaky ON ledger_items (task)"}, "sneaky"},
      {"future.bak",
       {"INSERT INTO schema_migrations VALUES (99, '将来的版本', '2030-01-01T00:00:00Z')"},
       "99"},
  };
  for (const Case& c : cases) {
    const std::string path = CraftBackup(*backend_, c.name, c.sql);
    ASSERT_FALSE(path.empty());
    Status s = store_->Restore(path);
    EXPECT_FALSE(s.ok()) << c.name;
    EXPECT_NE(s.message().find(c.expected), std::string::npos) << c.name << ": " << s.message();
    EXPECT_NE(s.message().find("未恢复"), std::string::npos) << s.message();
    std::vector<LedgerItem> after = Items();
    ASSERT_EQ(after.size(), before.size()) << c.name;
    EXPECT_EQ(after[0].task, "现有的事项") << c.name;
    auto history = store_->History(added->id);
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history->size(), history_before->size());
    EXPECT_EQ((*history)[0].actor, "张三");
  }
  // An empty database.
  {
    Backend empty(GetParam());
    ASSERT_EQ(empty.Create(), "");
    auto raw = postgres ? ledger_internal::OpenPostgres(empty.url())
                        : ledger_internal::OpenSqlite(empty.url());
    ASSERT_TRUE(raw.ok());
    const std::string path = (backend_->dir() / "empty.bak").string();
    ASSERT_TRUE(Ok((*raw)->Backup(path)));
    Status s = store_->Restore(path);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find("schema_migrations"), std::string::npos) << s.message();
  }
  EXPECT_EQ(Items().size(), before.size());
  // The live ledger still refuses to rewrite history, and no trigger edits items.
  ItemChange change;
  change.task = "现有的事项（改）";
  auto updated = store_->UpdateItem(added->id, added->version, change);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  ExpectConsistent();
  for (const auto& entry : fs::directory_iterator(backend_->dir())) {
    EXPECT_EQ(entry.path().filename().string().find(".taizhang-"), std::string::npos)
        << "a temporary copy was left behind: " << entry.path();
  }
}

// A backup of an older schema version is migrated on the copy and restored
// (version 6 drops columns of version 1).
TEST_P(Ledger, RestoreMigratesAnOlderBackup) {
  const std::string path = CraftBackup(
      *backend_, "v1.bak",
      {"DROP INDEX ledger_items_open_deadline", "DROP INDEX ledger_items_review",
       "ALTER TABLE ledger_items DROP COLUMN review",
       "ALTER TABLE ledger_items DROP COLUMN review_reason", "ALTER TABLE ledger_items DROP COLUMN reviewed_by",
       "ALTER TABLE ledger_items DROP COLUMN reviewed_at", "ALTER TABLE ledger_items DROP COLUMN merged_into",
       "ALTER TABLE ledger_items DROP COLUMN split_from", "ALTER TABLE ledger_items DROP COLUMN lead_unit",
       "ALTER TABLE ledger_items DROP COLUMN support_units",
       "ALTER TABLE ledger_items DROP COLUMN responsible_person",
       "ALTER TABLE history DROP COLUMN hash", "ALTER TABLE history DROP COLUMN previous_hash",
       "DROP INDEX ledger_items_unit_year", "DROP INDEX ledger_items_due",
       "DROP INDEX ledger_items_status", "DELETE FROM schema_migrations WHERE version >= 2"},
      5);  // made by version 5, whose sources are those of version 1
  ASSERT_FALSE(path.empty());
  ASSERT_TRUE(Ok(store_->Restore(path)));
  std::vector<LedgerItem> items = Items();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].task, "备份里的事项");
  EXPECT_EQ(items[0].review, ReviewState::kAccepted);
  EXPECT_EQ(store_->schema_version(), ledger_internal::Migrations().back().version);
  ExpectConsistent();
  // Restored identities continue after the restored rows.
  NewItem next;
  next.unit = "县水利局";
  next.task = "恢复之后添加";
  auto added = store_->AddItem(next);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_GT(added->id, items[0].id);
  ExpectConsistent();
}

// The seed's ledger to .xlsx and back: into an empty ledger the same items;
// into the same ledger nothing changes; a sheet with a bad row changes nothing.
TEST_P(Ledger, ExcelLedgerRoundTrip) {
  ASSERT_TRUE(ImportDocument(*store_, testing::SeedPath(), {}).ok());
  AcceptAll();
  // Some items carry 牵头单位, 配合单位 and 责任人, which go out as columns and come back.
  std::vector<LedgerItem> accepted = Items();
  ASSERT_GT(accepted.size(), 10u);
  LedgerStore::Assignment assignment;
  assignment.lead_unit = "腾冲市水务局规划计划股";
  assignment.support_units = std::vector<std::string>{"腾冲市财政局", "腾冲市自然资源局"};
  assignment.responsible_person = "王五";
  ASSERT_TRUE(store_->AssignItems({{accepted[3].id, std::nullopt}, {accepted[7].id, std::nullopt}}, assignment).ok());
  std::vector<LedgerItem> items = Items();
  ASSERT_EQ(items[3].support_units, (std::vector<std::string>{"腾冲市财政局", "腾冲市自然资源局"}));
  const std::string xlsx = (backend_->dir() / "台账.xlsx").string();
  ASSERT_TRUE(Ok(WriteLedgerXlsx(items, {}, xlsx)));
  auto sheet = ReadLedgerXlsx(xlsx, {});
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  ASSERT_TRUE(sheet->errors.empty()) << sheet->errors[0].message;
  ASSERT_EQ(sheet->items.size(), items.size());

  auto same = store_->ImportItems(*sheet);
  ASSERT_TRUE(same.ok()) << same.status().message();
  EXPECT_EQ(same->first, 0);
  EXPECT_EQ(same->second, 0);

  // Into another ledger the rows are new: without their 编号 (ledger import --as-new).
  Backend other_backend(GetParam());
  ASSERT_EQ(other_backend.Create(), "");
  auto other = LedgerStore::Open(other_backend.url(), "王五");
  ASSERT_TRUE(other.ok()) << other.status().message();
  XlsxLedger copy = *sheet;
  for (LedgerItem& item : copy.items) item.id = 0;
  auto added = (*other)->ImportItems(copy);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(added->first, static_cast<int>(items.size()));
  auto copied = (*other)->ListItems({});
  ASSERT_TRUE(copied.ok());
  ASSERT_EQ(copied->size(), items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    SCOPED_TRACE(items[i].task);
    EXPECT_EQ((*copied)[i].unit, items[i].unit);
    EXPECT_EQ((*copied)[i].year, items[i].year);
    EXPECT_EQ((*copied)[i].task, items[i].task);
    EXPECT_EQ((*copied)[i].target_text, items[i].target_text);
    EXPECT_EQ((*copied)[i].target_value, items[i].target_value);
    EXPECT_EQ((*copied)[i].deadline, items[i].deadline);
    EXPECT_EQ((*copied)[i].status, items[i].status);
    EXPECT_EQ((*copied)[i].lead_unit, items[i].lead_unit);
    EXPECT_EQ((*copied)[i].support_units, items[i].support_units);
    EXPECT_EQ((*copied)[i].responsible_person, items[i].responsible_person);
    EXPECT_EQ((*copied)[i].review, ReviewState::kAccepted);
  }
  EXPECT_EQ((*copied)[3].responsible_person, "王五");
  auto copy_report = (*other)->Verify();
  ASSERT_TRUE(copy_report.ok());
  EXPECT_TRUE(copy_report->problems.empty()) << ::testing::PrintToString(copy_report->problems);

  // A changed 责任人 in the sheet updates the item; the other rows stay.
  XlsxLedger changed = *sheet;
  changed.items[3].responsible_person = "赵六";
  auto one = store_->ImportItems(changed);
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->second, 1);
  EXPECT_EQ(store_->GetItem(items[3].id)->responsible_person, "赵六");
  EXPECT_EQ(store_->GetItem(items[3].id)->lead_unit, "腾冲市水务局规划计划股");
  ExpectConsistent();

  XlsxLedger bad = *sheet;
  bad.errors.push_back({"工作任务台账", 5, "完成时限", "完成时限“2024年13月”不是有效日期"});
  bad.items[0].task = "不应写入";
  auto refused = store_->ImportItems(bad);
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(FindTask(Items(), "不应写入"), nullptr);
}

// A provincial report's ledger with done, cancelled, overdue items and
// problems, exported and read back unchanged: nothing added, nothing
// updated, every field as it was (逾期 and 红黄绿灯 are shown, never read back).
TEST_P(Ledger, UnchangedExportedSheetChangesNothing) {
  auto imported =
      ImportDocument(*store_, testing::SharedDir() + "/corpus/docx/2025年浙江省政府工作报告.docx", {});
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  AcceptAll();
  store_->set_today("2026-03-01");
  std::vector<LedgerItem> items = Items();
  ASSERT_GT(items.size(), 100u);
  std::vector<const LedgerItem*> dated;
  for (const LedgerItem& item : items) {
    if (!item.deadline.empty()) dated.push_back(&item);
  }
  ASSERT_GE(dated.size(), 3u);
  ItemChange done;
  done.status = ItemStatus::kDone;
  ASSERT_TRUE(store_->UpdateItem(dated[0]->id, dated[0]->version, done).ok());
  ItemChange cancelled;
  cancelled.status = ItemStatus::kCancelled;
  const LedgerItem* other = nullptr;  // an item neither done nor given progress below
  for (const LedgerItem& item : items) {
    if (&item != dated[0] && &item != dated[1]) {
      other = &item;
      break;
    }
  }
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(store_->UpdateItem(other->id, other->version, cancelled).ok());
  ProgressEntry entry;
  entry.date = "2025-06-30";
  entry.note = "已开工";
  ASSERT_TRUE(store_->AddProgress(dated[1]->id, dated[1]->version, entry, false).ok());
  LedgerStore::Assignment lead;
  lead.lead_unit = "浙江省发展和改革委员会";
  lead.support_units = std::vector<std::string>{"浙江省财政厅"};
  ASSERT_TRUE(store_->AssignItems({{dated[2]->id, std::nullopt}}, lead).ok());
  NewItem problem;
  problem.kind = ItemKind::kProblem;
  problem.unit = "浙江省人民政府";
  problem.task = "项目审批超时";
  problem.problem_source = "督查";
  problem.found_date = "2025-03-01";
  problem.deadline = "2025-09-30";
  auto p = store_->AddItem(problem);
  ASSERT_TRUE(p.ok()) << p.status().message();
  problem.task = "资金拨付滞后";
  auto q = store_->AddItem(problem);
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(store_->SubmitRectification(q->id, q->version, "已拨付").ok());

  std::vector<LedgerItem> before = Items();
  int overdue = 0;
  for (const LedgerItem& item : before) overdue += item.overdue;
  ASSERT_GE(overdue, 2);
  const std::string xlsx = (backend_->dir() / "浙江.xlsx").string();
  ASSERT_TRUE(Ok(WriteLedgerXlsx(before, {}, xlsx)));
  auto sheet = ReadLedgerXlsx(xlsx, {});
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  ASSERT_TRUE(sheet->errors.empty()) << sheet->errors[0].message;
  auto counts = store_->ImportItems(*sheet);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->first, 0);
  EXPECT_EQ(counts->second, 0);
  std::vector<LedgerItem> after = Items();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    SCOPED_TRACE(before[i].task);
    EXPECT_EQ(after[i].id, before[i].id);
    EXPECT_EQ(after[i].version, before[i].version);
    EXPECT_EQ(after[i].status, before[i].status);
    EXPECT_EQ(after[i].unit, before[i].unit);
    EXPECT_EQ(after[i].task, before[i].task);
    EXPECT_EQ(after[i].target_text, before[i].target_text);
    EXPECT_EQ(after[i].deadline, before[i].deadline);
    EXPECT_EQ(after[i].progress_note, before[i].progress_note);
    EXPECT_EQ(after[i].measures, before[i].measures);
    EXPECT_EQ(after[i].lead_unit, before[i].lead_unit);
    EXPECT_EQ(after[i].support_units, before[i].support_units);
    EXPECT_EQ(after[i].responsible_person, before[i].responsible_person);
    EXPECT_EQ(after[i].updated_at, before[i].updated_at);
  }
  ExpectConsistent();
}

// An 编号 the ledger does not hold is an error naming sheet, row and 编号;
// rows without an 编号 are the new ones.
TEST_P(Ledger, UnknownIdInASheetIsAnError) {
  NewItem add;
  add.unit = "县水利局";
  add.task = "完成水库除险加固";
  ASSERT_TRUE(store_->AddItem(add).ok());
  XlsxLedger sheet;
  LedgerItem fresh;
  fresh.unit = "县水利局";
  fresh.task = "新的任务";
  LedgerItem stray = fresh;
  stray.task = "编号写错的任务";
  stray.id = 999999;
  sheet.items = {fresh, stray};
  sheet.rows = {4, 5};
  sheet.item_sheets = {"工作任务台账", "工作任务台账"};
  sheet.status_shown_only = {false, false};
  auto refused = store_->ImportItems(sheet);
  ASSERT_FALSE(refused.ok());
  const std::string& message = refused.status().message();
  EXPECT_NE(message.find("工作任务台账"), std::string::npos) << message;
  EXPECT_NE(message.find("第 5 行"), std::string::npos) << message;
  EXPECT_NE(message.find("999999"), std::string::npos) << message;
  EXPECT_EQ(Items().size(), 1u);
  sheet.items.pop_back();
  auto added = store_->ImportItems(sheet);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(added->first, 1);
  EXPECT_EQ(Items().size(), 2u);
}

// A sheet of rows (one sheet, rows from 4 on) as ReadLedgerXlsx gives it.
XlsxLedger SheetOf(const std::vector<LedgerItem>& items, const std::string& name) {
  XlsxLedger sheet;
  for (size_t i = 0; i < items.size(); ++i) {
    sheet.items.push_back(items[i]);
    sheet.rows.push_back(static_cast<uint32_t>(4 + i));
    sheet.item_sheets.push_back(name);
    sheet.status_shown_only.push_back(false);
    sheet.status_headers.push_back(items[i].kind == ItemKind::kPlan ? "完成状态" : "整改状态");
  }
  return sheet;
}

std::vector<std::string> Actions(LedgerStore& store, int64_t id) {
  std::vector<std::string> actions;
  auto history = store.History(id);
  EXPECT_TRUE(history.ok()) << history.status().message();
  if (history.ok()) {
    for (const HistoryEntry& h : *history) actions.push_back(h.action + " " + h.actor);
  }
  return actions;
}

// A status changed in a sheet changes as the commands change it: 销号 only
// of a submitted problem and only by someone other than its submitter, with
// the verifier and the date `ledger close` sets; 待销号 as `ledger submit`;
// each with the command's history row. A change the commands refuse is an
// error naming sheet, row and column, and nothing of the sheet is imported.
TEST_P(Ledger, SheetStatusChangesGoThroughTheCommands) {
  NewItem add;
  add.kind = ItemKind::kProblem;
  add.unit = "县水利局";
  add.problem_source = "审计";
  add.found_date = "2024-01-10";
  add.deadline = "2024-03-31";
  add.task = "项目资金拨付不及时";
  auto a = store_->AddItem(add);
  add.task = "河道采砂监管不到位";
  auto b = store_->AddItem(add);
  NewItem task;
  task.unit = "县水利局";
  task.task = "完成水库除险加固";
  auto plan = store_->AddItem(task);
  ASSERT_TRUE(a.ok() && b.ok() && plan.ok());
  auto submitted = store_->SubmitRectification(a->id, std::nullopt, "补拨资金");
  ASSERT_TRUE(submitted.ok()) << submitted.status().message();
  // No command makes a new item 待销号 or 已销号 directly.
  NewItem closed = add;
  closed.status = ItemStatus::kClosedOff;
  EXPECT_FALSE(store_->AddItem(closed).ok());

  auto refused = [&](LedgerStore& store, const XlsxLedger& sheet, const std::string& why) {
    auto result = store.ImportItems(sheet);
    ASSERT_FALSE(result.ok()) << why;
    const std::string& message = result.status().message();
    EXPECT_NE(message.find("工作表“问题整改台账”第 "), std::string::npos) << message;
    EXPECT_NE(message.find("“整改状态”列"), std::string::npos) << message;
    EXPECT_NE(message.find(why), std::string::npos) << message;
    EXPECT_NE(message.find("未导入任何一行"), std::string::npos) << message;
  };
  // The submitter closes off their own rectification: refused, together
  // with the good row before it.
  LedgerItem good = *plan;
  good.status = ItemStatus::kInProgress;
  LedgerItem self_closed = *submitted;
  self_closed.status = ItemStatus::kClosedOff;
  refused(*store_, SheetOf({good, self_closed}, "问题整改台账"), "提交整改者以外");
  EXPECT_EQ(store_->GetItem(plan->id)->status, ItemStatus::kNotStarted);
  EXPECT_EQ(store_->GetItem(a->id)->status, ItemStatus::kAwaitingCloseOff);
  // Closed off without being submitted, or a new problem as closed off.
  std::unique_ptr<LedgerStore> verifier = Open("李四");
  LedgerItem unsubmitted = *b;
  unsubmitted.status = ItemStatus::kClosedOff;
  refused(*verifier, SheetOf({unsubmitted}, "问题整改台账"),
          "只有已提交整改（待销号）的问题可以销号");
  LedgerItem fresh = *b;
  fresh.id = 0;
  fresh.task = "新发现的问题";
  fresh.status = ItemStatus::kClosedOff;
  refused(*verifier, SheetOf({fresh}, "问题整改台账"), "不能直接记为已销号");
  auto rates = store_->Rates({});
  ASSERT_TRUE(rates.ok());
  EXPECT_EQ(rates->back().rectified, 0);
  EXPECT_EQ(Items().size(), 3u);

  // 李四 closes off 张三's rectification through the sheet, and submits b
  // (its measures and a new deadline in the same row); the plan item moves on.
  LedgerItem close_a = *submitted;
  close_a.status = ItemStatus::kClosedOff;
  close_a.verified_by = "王五";  // what the sheet says is no verification
  LedgerItem submit_b = *b;
  submit_b.status = ItemStatus::kAwaitingCloseOff;
  submit_b.measures = "建立巡河制度";
  submit_b.deadline = "2024-06-30";
  XlsxLedger sheet = SheetOf({close_a, submit_b, good}, "问题整改台账");
  auto imported = verifier->ImportItems(sheet);
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_EQ(imported->second, 3);
  auto closed_a = store_->GetItem(a->id);
  EXPECT_EQ(closed_a->status, ItemStatus::kClosedOff);
  EXPECT_EQ(closed_a->verified_by, "李四");
  EXPECT_FALSE(closed_a->closed_at.empty());
  EXPECT_EQ(closed_a->submitted_by, "张三");
  EXPECT_EQ(Actions(*store_, a->id),
            (std::vector<std::string>{"create 张三", "submit 张三", "close_off 李四"}));
  auto submitted_b = store_->GetItem(b->id);
  EXPECT_EQ(submitted_b->status, ItemStatus::kAwaitingCloseOff);
  EXPECT_EQ(submitted_b->submitted_by, "李四");
  EXPECT_EQ(submitted_b->deadline, "2024-06-30");
  EXPECT_EQ(Actions(*store_, b->id),
            (std::vector<std::string>{"create 张三", "xlsx_import 李四", "submit 李四"}));
  EXPECT_EQ(Actions(*store_, plan->id), (std::vector<std::string>{"create 张三", "update 李四"}));
  // Closed off today, past its deadline of 2024-03-31: not on time.
  rates = store_->Rates({});
  ASSERT_TRUE(rates.ok());
  EXPECT_EQ(rates->back().rectified, 1);
  EXPECT_EQ(rates->back().rectified_on_time, 0);
  // The same sheet again changes nothing.
  auto again = verifier->ImportItems(sheet);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->second, 0);
  ExpectConsistent();
}

// Writes that name no version (the CLI without --if-version) all land, even
// when many writers change one item at once: each re-reads the item and
// applies its change again when another was faster. A write that names the
// version it read is still refused when that version is gone.
TEST_P(Ledger, ConcurrentWritesWithoutAVersionAllLand) {
  NewItem add;
  add.unit = "县水利局";
  add.task = "并发修改的事项";
  add.target_text = "100个";
  auto item = store_->AddItem(add);
  ASSERT_TRUE(item.ok()) << item.status().message();
  constexpr int kWriters = 6, kWrites = 10;
  std::vector<std::unique_ptr<LedgerStore>> stores;
  for (int w = 0; w < kWriters; ++w) {
    stores.push_back(Open("写入者" + std::to_string(w)));
    ASSERT_NE(stores.back(), nullptr);
  }
  std::atomic<int> failures{0};
  std::vector<std::string> errors(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int n = 0; n < kWrites; ++n) {
        Result<LedgerItem> done = Status(StatusCode::kInternal, "");
        if (n % 2 == 0) {
          ProgressEntry entry;
          entry.date = "2024-04-30";
          entry.note = "写入者" + std::to_string(w) + "第" + std::to_string(n) + "次";
          done = stores[w]->AddProgress(item->id, std::nullopt, entry, false);
        } else {
          ItemChange change;
          change.deadline = "2024-12-" + std::to_string(10 + n);
          done = stores[w]->UpdateItem(item->id, std::nullopt, change);
        }
        if (!done.ok()) {
          ++failures;
          errors[w] = done.status().message();
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0) << ::testing::PrintToString(errors);
  auto after = store_->GetItem(item->id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->version, 1 + kWriters * kWrites);
  auto history = store_->History(item->id);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), static_cast<size_t>(1 + kWriters * kWrites));
  auto progress = store_->ListProgress(item->id);
  ASSERT_TRUE(progress.ok());
  EXPECT_EQ(progress->size(), static_cast<size_t>(kWriters * kWrites / 2));
  ItemChange stale;
  stale.deadline = "2025-01-01";
  auto refused = store_->UpdateItem(item->id, 1, stale);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("本次修改未保存"), std::string::npos)
      << refused.status().message();
  ExpectConsistent();
}

// 3.3万套 and 3.3万 for a target 3.2万套 are stored as 33000; a value in
// another unit is refused, naming the unit expected.
TEST_P(Ledger, ProgressValueInTheTargetsNotation) {
  NewItem add;
  add.unit = "浙江省人民政府";
  add.task = "筹建保障性租赁住房";
  add.target_text = "3.2万套";
  add.deadline = "2025-12-31";
  auto item = store_->AddItem(add);
  ASSERT_TRUE(item.ok()) << item.status().message();
  ASSERT_EQ(item->target_value, "32000");
  ProgressEntry entry;
  entry.date = "2025-06-30";
  entry.value = "3.1万";
  auto partway = store_->AddProgress(item->id, item->version, entry, false);
  ASSERT_TRUE(partway.ok()) << partway.status().message();
  EXPECT_EQ(partway->progress_value, "31000");
  EXPECT_EQ(partway->status, ItemStatus::kInProgress);
  entry.value = "3亿元";
  auto wrong = store_->AddProgress(item->id, partway->version, entry, false);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("“套”"), std::string::npos) << wrong.status().message();
  entry.value = "3.3万套";
  auto reached = store_->AddProgress(item->id, partway->version, entry, false);
  ASSERT_TRUE(reached.ok()) << reached.status().message();
  EXPECT_EQ(reached->progress_value, "33000");
  EXPECT_EQ(reached->status, ItemStatus::kDone);
}

// Evidence files (the server's uploads) are stored with their progress entry
// in its transaction: a refused entry leaves none; a rectification submitted
// with evidence keeps it on a progress entry of its own.
TEST_P(Ledger, EvidenceFilesGoWithTheirProgressEntry) {
  NewItem add;
  add.kind = ItemKind::kProblem;
  add.unit = "县水利局";
  add.task = "河道违章建筑未拆除";
  add.found_date = "2024-03-01";
  auto item = store_->AddItem(add);
  ASSERT_TRUE(item.ok()) << item.status().message();
  const std::string photo(64, 'a'), report(64, 'b');
  ProgressEntry entry;
  entry.date = "2024-04-01";
  entry.note = "已拆除一半";
  entry.attachments = {{photo, "现场照片.pdf", 1200}, {report, "报告.docx", 3400}};
  auto stale = store_->AddProgress(item->id, item->version + 1, entry, false);
  ASSERT_FALSE(stale.ok());
  auto none = store_->FindAttachment(item->id, photo);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto added = store_->AddProgress(item->id, item->version, entry, false);
  ASSERT_TRUE(added.ok()) << added.status().message();
  auto submitted = store_->SubmitRectification(added->id, added->version, "全部拆除", {{report, "验收.docx", 99}});
  ASSERT_TRUE(submitted.ok()) << submitted.status().message();
  auto progress = store_->ListProgress(item->id);
  ASSERT_TRUE(progress.ok());
  ASSERT_EQ(progress->size(), 2u);
  ASSERT_EQ((*progress)[0].attachments.size(), 2u);
  EXPECT_EQ((*progress)[0].attachments[0].name, "现场照片.pdf");
  EXPECT_EQ((*progress)[0].attachments[1].size, 3400);
  EXPECT_EQ((*progress)[1].note, "提交整改：全部拆除");
  EXPECT_EQ((*progress)[1].evidence, "验收.docx");
  ASSERT_EQ((*progress)[1].attachments.size(), 1u);
  auto found = store_->FindAttachment(item->id, photo);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->name, "现场照片.pdf");
  auto elsewhere = store_->FindAttachment(item->id + 1, photo);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_FALSE(elsewhere->has_value());
  ExpectConsistent();
}

// --unit 浙江省 finds 浙江省人民政府 and 浙江省政府, not 江苏省人民政府.
TEST_P(Ledger, UnitFilterTakesTheGovernmentsPlace) {
  for (const char* unit : {"浙江省人民政府", "浙江省政府", "江苏省人民政府"}) {
    NewItem add;
    add.unit = unit;
    add.task = std::string(unit) + "的任务";
    ASSERT_TRUE(store_->AddItem(add).ok());
  }
  ItemFilter zhejiang;
  zhejiang.unit = "浙江省";
  EXPECT_EQ(Items(zhejiang).size(), 2u);
  zhejiang.unit = "浙江省人民政府";
  EXPECT_EQ(Items(zhejiang).size(), 2u);
  ItemFilter none;
  none.unit = "安徽省";
  EXPECT_TRUE(Items(none).empty());
  auto units = store_->Units();
  ASSERT_TRUE(units.ok());
  EXPECT_EQ(units->size(), 3u);
  auto rates = store_->Rates({"浙江省", "", ""});
  ASSERT_TRUE(rates.ok());
  EXPECT_EQ(rates->back().tasks, 2);
  auto counts = store_->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->items, 3);
  EXPECT_EQ(counts->reports, 0);
}

TEST(LedgerUnits, MatchesAndNearestNames) {
  EXPECT_TRUE(UnitMatches("浙江省", "浙江省人民政府"));
  EXPECT_TRUE(UnitMatches("浙江省", "浙江省政府"));
  EXPECT_TRUE(UnitMatches("浙江省政府", "浙江省人民政府"));
  EXPECT_TRUE(UnitMatches("浙江省人民政府", "浙江省"));
  EXPECT_TRUE(UnitMatches("县水利局", "县水利局"));
  EXPECT_FALSE(UnitMatches("浙江省政府", "浙江省水利厅"));
  EXPECT_FALSE(UnitMatches("江苏省", "浙江省人民政府"));
  std::vector<std::string> units = {"腾冲市水务局", "浙江省人民政府", "县住建局"};
  std::vector<std::string> near = ClosestUnits("浙江人民政府", units, 2);
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near[0], "浙江省人民政府");
  EXPECT_TRUE(ClosestUnits("甲乙", units, 3).empty());
}

TEST(LedgerDays, ValidDays) {
  EXPECT_TRUE(IsValidDay("2024-02-29"));
  EXPECT_FALSE(IsValidDay("2025-02-29"));
  EXPECT_FALSE(IsValidDay("2025-02-30"));
  EXPECT_FALSE(IsValidDay("banana"));
}

// --- The history as a hash chain ------------------------------------------------

// A plan item with progress and a problem submitted and closed off: the
// history every test below tampers with.
struct Worked {
  int64_t plan = 0;
  int64_t problem = 0;
};

Worked WorkSomeItems(LedgerStore* store, LedgerStore* other) {
  Worked worked;
  NewItem plan;
  plan.unit = "县住建局";
  plan.task = "完成老旧小区改造";
  plan.target_text = "14个";
  plan.deadline = "2024-12-31";
  auto item = store->AddItem(plan);
  EXPECT_TRUE(item.ok()) << item.status().message();
  if (!item.ok()) return worked;
  worked.plan = item->id;
  ProgressEntry entry;
  entry.date = "2024-09-30";
  entry.value = "9";
  entry.note = "已完工9个";
  EXPECT_TRUE(store->AddProgress(item->id, 1, entry, false).ok());
  NewItem problem;
  problem.kind = ItemKind::kProblem;
  problem.unit = "县水利局";
  problem.task = "河道管护不到位";
  problem.problem_source = "督查";
  problem.found_date = "2024-03-01";
  problem.deadline = "2024-06-30";
  auto found = store->AddItem(problem);
  EXPECT_TRUE(found.ok()) << found.status().message();
  if (!found.ok()) return worked;
  worked.problem = found->id;
  EXPECT_TRUE(store->SubmitRectification(found->id, 1, "建立河长巡河制度").ok());
  EXPECT_TRUE(other->CloseOff(found->id, 2).ok());
  return worked;
}

// The history row of `item` with `action`, 0 if none.
int64_t HistoryRowOf(LedgerStore* store, int64_t item, const std::string& action) {
  auto history = store->History(item);
  if (!history.ok()) return 0;
  for (const HistoryEntry& h : *history) {
    if (h.action == action) return h.id;
  }
  return 0;
}

// Imports, a new version of a file, progress, submission, close-off and an
// Excel sheet read back with a change and a new row: the chain holds, every
// item is what its history says, the head is the last row.
TEST_P(Ledger, UntouchedLedgerVerifies) {
  ASSERT_TRUE(ImportDocument(*store_, testing::SeedPath(), {}).ok());
  const std::string path = (backend_->dir() / "计划.txt").string();
  testing::WriteBytes(
      path, "某县水利局2024年工作计划\n一、重点任务\n（一）2024年6月底前完成水库除险加固。\n");
  ASSERT_TRUE(ImportDocument(*store_, path, {}).ok());
  testing::WriteBytes(
      path,
      "某县水利局2024年工作计划\n一、重点任务\n（一）2024年6月底前完成水库除险加固。\n"
      "（二）2024年底前建成灌区2个。\n");
  ASSERT_TRUE(ImportDocument(*store_, path, {}).ok());
  AcceptAll();
  std::unique_ptr<LedgerStore> other = Open("李四");
  Worked worked = WorkSomeItems(store_.get(), other.get());
  ASSERT_NE(worked.problem, 0);

  std::vector<LedgerItem> items = Items();
  const std::string xlsx = (backend_->dir() / "台账.xlsx").string();
  ASSERT_TRUE(Ok(WriteLedgerXlsx(items, {}, xlsx)));
  auto sheet = ReadLedgerXlsx(xlsx, {});
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  ASSERT_FALSE(sheet->items.empty());
  sheet->items[0].status = ItemStatus::kInProgress;
  sheet->items[0].progress_note = "表中填报的进展";
  sheet->status_shown_only[0] = false;
  LedgerItem added = sheet->items[0];
  added.id = 0;
  added.task = "表中新增的任务";
  sheet->items.push_back(added);
  sheet->rows.push_back(999);
  sheet->item_sheets.push_back(sheet->item_sheets[0]);
  sheet->status_shown_only.push_back(false);
  auto counts = store_->ImportItems(*sheet);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->first, 1);
  EXPECT_EQ(counts->second, 1);

  auto report = store_->Verify();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->problems.empty()) << ::testing::PrintToString(report->problems);
  EXPECT_EQ(report->items, static_cast<int64_t>(items.size()) + 1);
  EXPECT_GT(report->history_rows, report->items);
  auto head = store_->ReadHistoryHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->id, report->head.id);
  EXPECT_EQ(head->hash, report->head.hash);
  EXPECT_EQ(head->hash.size(), 64u);
  // The head read back from its text, and checked.
  auto parsed = ParseHistoryHead(FormatHistoryHead(*head));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(Problems(parsed), "");
}

// An owner drops the trigger and changes who made a change: verify names the
// history row and the missing trigger.
TEST_P(Ledger, HistoryRowChangedByAnOwnerShows) {
  std::unique_ptr<LedgerStore> other = Open("李四");
  Worked worked = WorkSomeItems(store_.get(), other.get());
  const int64_t close_off = HistoryRowOf(store_.get(), worked.problem, "close_off");
  ASSERT_NE(close_off, 0);
  ExpectConsistent();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  LiftHistoryTriggers(raw.get());
  ASSERT_TRUE(
      Ok(raw->Execute("UPDATE history SET actor = '王五' WHERE id = ?", {int64_t{close_off}})));
  const std::string problems = Problems();
  EXPECT_NE(problems.find("第 " + std::to_string(close_off) + " 条历史记录的哈希不符"),
            std::string::npos)
      << problems;
  // The forged actor is also no longer the item's last editor.
  EXPECT_NE(problems.find("最后修改人 为 李四，历史记录为 王五"), std::string::npos) << problems;
  EXPECT_NE(
      problems.find(GetParam() == "sqlite" ? "history_no_update" : "history_append_only 被停用"),
      std::string::npos)
      << problems;
}

// An item changed by SQL without a history row: verify names the item and
// the field with both values; so does a forged last editor.
TEST_P(Ledger, ItemChangedWithoutHistoryShows) {
  std::unique_ptr<LedgerStore> other = Open("李四");
  Worked worked = WorkSomeItems(store_.get(), other.get());
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(Ok(raw->Execute("UPDATE ledger_items SET status = 'done' WHERE id = ?",
                              {int64_t{worked.plan}})));
  std::string problems = Problems();
  EXPECT_NE(problems.find("编号 " + std::to_string(worked.plan) +
                          " 的事项与其历史不符：字段 状态 为 已完成，历史记录为 推进中"),
            std::string::npos)
      << problems;
  ASSERT_TRUE(Ok(raw->Execute("UPDATE ledger_items SET status = 'in_progress' WHERE id = ?",
                              {int64_t{worked.plan}})));
  ExpectConsistent();
  ASSERT_TRUE(Ok(raw->Execute("UPDATE ledger_items SET verified_by = '王五' WHERE id = ?",
                              {int64_t{worked.problem}})));
  problems = Problems();
  EXPECT_NE(problems.find("编号 " + std::to_string(worked.problem) +
                          " 的事项与其历史不符：字段 销号人 为 王五，历史记录为 李四"),
            std::string::npos)
      << problems;
  if (GetParam() == "sqlite") {
    // Bytes that are no UTF-8 (SQLite takes them): named, not thrown on.
    ASSERT_TRUE(Ok(raw->Execute("UPDATE ledger_items SET task = CAST(x'e5ff' AS TEXT) WHERE id = ?",
                                {int64_t{worked.plan}})));
    EXPECT_NE(Problems().find("字段 工作任务 为"), std::string::npos);
  }
}

// A history row deleted from the middle: the next row no longer links to
// the one before it; deleting an item's row also shows at the item.
TEST_P(Ledger, DeletedHistoryRowBreaksTheChain) {
  std::unique_ptr<LedgerStore> other = Open("李四");
  Worked worked = WorkSomeItems(store_.get(), other.get());
  const int64_t submit = HistoryRowOf(store_.get(), worked.problem, "submit");
  ASSERT_NE(submit, 0);
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  LiftHistoryTriggers(raw.get());
  ASSERT_TRUE(Ok(raw->Execute("DELETE FROM history WHERE id = ?", {int64_t{submit}})));
  const std::string problems = Problems();
  EXPECT_NE(problems.find("第 " + std::to_string(submit + 1) + " 条历史记录与前一条接不上"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("编号 " + std::to_string(worked.problem) + " 的事项"), std::string::npos)
      << problems;
}

// An owner who rewrites the whole chain consistently passes a plain verify
// (what the chain alone cannot show), but not against a head recorded before.
TEST_P(Ledger, RewrittenChainShowsAgainstARecordedHead) {
  std::unique_ptr<LedgerStore> other = Open("李四");
  Worked worked = WorkSomeItems(store_.get(), other.get());
  auto recorded = store_->ReadHistoryHead();
  ASSERT_TRUE(recorded.ok());
  ASSERT_GT(recorded->id, 0);
  EXPECT_EQ(Problems(*recorded), "");
  // Later rows keep an earlier head in the chain.
  NewItem later;
  later.unit = "县水利局";
  later.task = "链头之后添加的事项";
  ASSERT_TRUE(store_->AddItem(later).ok());
  EXPECT_EQ(Problems(*recorded), "");

  // The close-off made to look as 王五's, the item too, every hash recomputed.
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  LiftHistoryTriggers(raw.get());
  const int64_t close_off = HistoryRowOf(store_.get(), worked.problem, "close_off");
  ASSERT_TRUE(
      Ok(raw->Execute("UPDATE history SET actor = '王五' WHERE id = ?", {int64_t{close_off}})));
  ASSERT_TRUE(Ok(raw->Execute("UPDATE ledger_items SET updated_by = '王五' WHERE id = ?",
                              {int64_t{worked.problem}})));
  std::vector<ledger_internal::Row> rows;
  ASSERT_TRUE(
      Ok(raw->Execute("SELECT id, at, actor, entity, entity_id, action, before_json, after_json "
                      "FROM history ORDER BY id",
                      {}, &rows)));
  std::string previous;
  for (const ledger_internal::Row& r : rows) {
    ledger_internal::HistoryRecord record{r.Text(1), r.Text(2), r.Text(3), r.Int(4),
                                          r.Text(5), r.Text(6), r.Text(7)};
    const std::string hash = ledger_internal::HistoryHash(record, previous);
    ASSERT_TRUE(Ok(raw->Execute("UPDATE history SET previous_hash = ?, hash = ? WHERE id = ?",
                                {previous, hash, r.Int(0)})));
    previous = hash;
  }
  if (GetParam() == "sqlite") {
    ASSERT_TRUE(Ok(raw->ExecuteScript(ledger_internal::HistoryTriggersSqlite())));
  } else {
    ASSERT_TRUE(
        Ok(raw->ExecuteScript("ALTER TABLE history ENABLE ALWAYS TRIGGER history_append_only;")));
  }
  ExpectConsistent();
  const std::string problems = Problems(*recorded);
  EXPECT_NE(problems.find("记下的链头 " + FormatHistoryHead(*recorded) + " 与历史不符"),
            std::string::npos)
      << problems;
  HistoryHead gone = *recorded;
  gone.id = 999999;
  EXPECT_NE(Problems(gone).find("第 999999 条历史记录不存在"), std::string::npos);
}

// A database of schema version 2 (history without hashes): opening it
// hashes the rows it holds, in id order, and the triggers are as before.
// (Its items are typed in and its file has no plan items: an imported
// proposal's history says 待确认, which a database of version 2 never held.)
TEST_P(Ledger, OlderHistoryIsHashedWhenMigrated) {
  std::unique_ptr<LedgerStore> other = Open("李四");
  WorkSomeItems(store_.get(), other.get());
  const std::string summary = (backend_->dir() / "总结.txt").string();
  testing::WriteBytes(summary, "某县水利局2023年工作总结\n一、主要工作\n全年完成水利投资3.2亿元，建成小型水库2座。\n");
  auto imported = ImportDocument(*store_, summary, {});
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  ASSERT_EQ(imported->ledger_added, 0);
  auto head = store_->ReadHistoryHead();
  ASSERT_TRUE(head.ok());
  store_.reset();
  other.reset();
  {
    // Back to version 2: the columns of version 3 gone, the triggers as version 1 made them.
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    LiftHistoryTriggers(raw.get());
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        "ALTER TABLE history DROP COLUMN previous_hash; ALTER TABLE history DROP COLUMN hash; "
        "DELETE FROM schema_migrations WHERE version = 3;")));
    DropVersion4(raw.get());
    ASSERT_TRUE(Ok(raw->ExecuteScript(
        GetParam() == "sqlite" ? std::string(ledger_internal::HistoryTriggersSqlite())
                               : "ALTER TABLE history ENABLE TRIGGER history_append_only; "
                                 "ALTER TABLE history ENABLE TRIGGER history_no_truncate;")));
  }
  store_ = Open("张三");
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(store_->schema_version(), ledger_internal::Migrations().back().version);
  auto report = store_->Verify(*head);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->problems.empty()) << ::testing::PrintToString(report->problems);
  EXPECT_EQ(report->head.id, head->id);
  EXPECT_EQ(report->head.hash, head->hash);
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_FALSE(raw->Execute("UPDATE history SET actor = '王五'", {}).ok());
}

// Writers at the same time never chain onto the same row.
TEST_P(Ledger, ConcurrentWritersKeepOneChain) {
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      auto store = LedgerStore::Open(backend_->url(), "写入者" + std::to_string(w));
      if (!store.ok()) {
        ++failures;
        return;
      }
      for (int i = 0; i < 15; ++i) {
        NewItem item;
        item.unit = "县水利局";
        item.task = "任务" + std::to_string(w) + "-" + std::to_string(i);
        auto added = (*store)->AddItem(item);
        ItemChange change;
        change.deadline = "2024-12-31";
        if (!added.ok() || !(*store)->UpdateItem(added->id, 1, change).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Items().size(), 45u);
  ExpectConsistent();
}

// A head is written and read back as 编号:哈希; other text is refused.
TEST(LedgerHistoryHead, FormatsAndParses) {
  const HistoryHead head{42, std::string(64, 'a')};
  EXPECT_EQ(FormatHistoryHead(head), "42:" + std::string(64, 'a'));
  auto parsed = ParseHistoryHead("42:" + std::string(64, 'A'));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->id, 42);
  EXPECT_EQ(parsed->hash, std::string(64, 'a'));
  for (const std::string& bad : std::vector<std::string>{
           "42", "42:abc", ":" + std::string(64, 'a'), "x:" + std::string(64, 'a'),
           "0:" + std::string(64, 'a'), "42:" + std::string(63, 'a') + "g"}) {
    EXPECT_FALSE(ParseHistoryHead(bad).has_value()) << bad;
  }
}

// The hash covers every field and the previous hash; fields cannot shift
// into one another.
TEST(LedgerHistoryHash, CoversEveryFieldUnambiguously) {
  ledger_internal::HistoryRecord record{
      "2024-05-01T00:00:00Z", "张三", "item", 7, "update", "{}", "{}"};
  const std::string hash = ledger_internal::HistoryHash(record, "");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_NE(ledger_internal::HistoryHash(record, "x"), hash);
  ledger_internal::HistoryRecord shifted = record;
  shifted.actor = "张";
  shifted.at += "三";
  EXPECT_NE(ledger_internal::HistoryHash(shifted, ""), hash);
  shifted = record;
  shifted.entity_id = 8;
  EXPECT_NE(ledger_internal::HistoryHash(shifted, ""), hash);
  EXPECT_EQ(ledger_internal::HistoryHash(record, ""), hash);
}

std::vector<std::string> Backends() { return {"sqlite", "postgres"}; }

// --- Review of imported plan items -------------------------------------------------

// The proposal of `unit` whose task holds `needle`; fails the test when none.
const LedgerItem* Proposal(const std::vector<LedgerItem>& items, const std::string& unit,
                           const std::string& needle) {
  for (const LedgerItem& item : items) {
    if (item.unit == unit && item.task.find(needle) != std::string::npos) return &item;
  }
  ADD_FAILURE() << "no proposal of " << unit << " holding " << needle;
  return nullptr;
}

// The actions of an item's history, in order.
std::vector<std::string> Actions(LedgerStore* store, int64_t id) {
  std::vector<std::string> actions;
  auto history = store->History(id);
  EXPECT_TRUE(history.ok());
  if (history.ok()) {
    for (const HistoryEntry& h : *history) actions.push_back(h.action);
  }
  return actions;
}

// The seed compilation imported: its plan items are proposals that no list,
// rate or overdue count sees; accepted, they count, are due and take
// progress; reviewing a non-proposal, an unknown or repeated 编号 and a
// stale version are refused; the history holds every review and verifies.
TEST_P(Ledger, ImportedItemsCountOnlyOnceAccepted) {
  ASSERT_TRUE(ImportDocument(*store_, testing::SeedPath(), {}).ok());
  store_->set_today("2025-01-01");
  EXPECT_TRUE(Items().empty());
  ItemFilter overdue;
  overdue.overdue = true;
  overdue.review = std::nullopt;
  EXPECT_TRUE(Items(overdue).empty());  // proposals are due for nothing, whatever the filter
  auto rates = store_->Rates({});
  ASSERT_TRUE(rates.ok()) << rates.status().message();
  ASSERT_FALSE(rates->empty());
  EXPECT_EQ(rates->back().tasks, 0);
  RateQuery proposed;
  proposed.unit = "腾冲市水务局";
  proposed.review = ReviewState::kProposed;
  auto proposed_rates = store_->Rates(proposed);
  ASSERT_TRUE(proposed_rates.ok());
  const int64_t water_proposals = proposed_rates->back().tasks;
  EXPECT_GT(water_proposals, 20);
  EXPECT_EQ(proposed_rates->back().overdue, 0);

  const std::vector<LedgerItem> proposals = ItemsIn(ReviewState::kProposed);
  std::vector<ItemRef> refs;
  for (const char* task : {"水源工程招标", "界头片渠系工程施工招标", "向阳水库主体工程建设", "板栗树水库"}) {
    const LedgerItem* item = Proposal(proposals, "腾冲市水务局", task);
    ASSERT_NE(item, nullptr);
    refs.push_back({item->id, item->version});
  }
  auto accepted = store_->AcceptItems(refs);
  ASSERT_TRUE(accepted.ok()) << accepted.status().message();
  ASSERT_EQ(accepted->size(), 4u);
  for (const LedgerItem& item : *accepted) {
    EXPECT_EQ(item.review, ReviewState::kAccepted);
    EXPECT_EQ(item.reviewed_by, "张三");
    EXPECT_FALSE(item.reviewed_at.empty());
    EXPECT_EQ(item.version, 2);
    EXPECT_TRUE(item.overdue) << item.task;  // every deadline was in 2024
    EXPECT_EQ(Actions(store_.get(), item.id), (std::vector<std::string>{"create", "accept"}));
  }
  EXPECT_EQ(Items().size(), 4u);
  EXPECT_EQ(Items(overdue).size(), 4u);
  auto water = store_->Rates({"腾冲市水务局", "", ""});
  ASSERT_TRUE(water.ok());
  EXPECT_EQ(water->back().tasks, 4);
  EXPECT_EQ(water->back().overdue, 4);
  EXPECT_EQ(water->back().completion_rate, "0.0");
  proposed_rates = store_->Rates(proposed);
  ASSERT_TRUE(proposed_rates.ok());
  EXPECT_EQ(proposed_rates->back().tasks, water_proposals - 4);

  // Progress: refused on a proposal (with the command that accepts it), taken once accepted.
  const LedgerItem* other = Proposal(proposals, "腾冲市水务局", "许家田水库");
  ASSERT_NE(other, nullptr);
  ProgressEntry entry;
  entry.date = "2024-11-30";
  entry.note = "可研已报批";
  auto refused = store_->AddProgress(other->id, std::nullopt, entry, true);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("待确认"), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find("ledger review accept " + std::to_string(other->id)),
            std::string::npos);
  ItemChange status;
  status.status = ItemStatus::kInProgress;
  EXPECT_FALSE(store_->UpdateItem(other->id, std::nullopt, status).ok());
  auto done = store_->AddProgress(refs[0].id, std::nullopt, entry, true);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->status, ItemStatus::kDone);

  // Refusals, each naming the 编号; nothing changes.
  auto again = store_->AcceptItems({{refs[1].id, std::nullopt}, {other->id, std::nullopt}});
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("编号 " + std::to_string(refs[1].id) + " 的事项已确认"),
            std::string::npos)
      << again.status().message();
  EXPECT_EQ(store_->GetItem(other->id)->review, ReviewState::kProposed);  // all or nothing
  auto unknown = store_->AcceptItems({{999999, std::nullopt}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("999999"), std::string::npos);
  auto twice = store_->AcceptItems({{other->id, std::nullopt}, {other->id, std::nullopt}});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("不止一次"), std::string::npos);
  EXPECT_FALSE(store_->AcceptItems({}).ok());
  // Someone else assigned the item since version 1 was read: refused, not saved.
  std::unique_ptr<LedgerStore> li = Open("李四");
  LedgerStore::Assignment person;
  person.responsible_person = "李四";
  ASSERT_TRUE(li->AssignItems({{other->id, 1}}, person).ok());
  auto stale = store_->AcceptItems({{other->id, 1}});
  ASSERT_FALSE(stale.ok());
  EXPECT_NE(stale.status().message().find("本次修改未保存"), std::string::npos) << stale.status().message();
  EXPECT_NE(stale.status().message().find("李四"), std::string::npos);
  EXPECT_EQ(store_->GetItem(other->id)->review, ReviewState::kProposed);
  // Without a version it applies to the current one.
  auto current = store_->AcceptItems({{other->id, std::nullopt}});
  ASSERT_TRUE(current.ok()) << current.status().message();
  EXPECT_EQ(current->front().version, 3);
  EXPECT_EQ(current->front().responsible_person, "李四");
  ExpectConsistent();
}

// Reject, merge, split and assign on the real proposals of the seed
// compilation: each leaves the items as a reviewer meant, keeps what was
// taken out (with who and why), writes its history, and verifies.
TEST_P(Ledger, RejectMergeSplitAssignOnTheSeed) {
  ASSERT_TRUE(ImportDocument(*store_, testing::SeedPath(), {}).ok());
  const std::vector<LedgerItem> proposals = ItemsIn(ReviewState::kProposed);
  const LedgerItem* heading = Proposal(proposals, "腾冲市水务局", "继续推进在建项目建设");
  const LedgerItem* prior = Proposal(proposals, "腾冲市水务局", "抓实抓细项目前期工作");
  const LedgerItem* monthly = Proposal(proposals, "腾冲市水务局", "实施项目前期工作月调度");
  const LedgerItem* both = Proposal(proposals, "腾冲市水务局", "完成马鹿塘水库蓄水验收、放马场水库竣工验收");
  const LedgerItem* projects = Proposal(proposals, "县住建局", "其中新建项目16个，续建项目1个");
  ASSERT_TRUE(heading && prior && monthly && both && projects);

  // Reject: a heading restated is no task. It stays, with who and why, and never counts.
  EXPECT_FALSE(store_->RejectItems({{heading->id, std::nullopt}}, "  ").ok());
  auto rejected = store_->RejectItems({{heading->id, heading->version}}, "是标题，不是任务");
  ASSERT_TRUE(rejected.ok()) << rejected.status().message();
  EXPECT_EQ(rejected->front().review, ReviewState::kRejected);
  EXPECT_EQ(rejected->front().review_reason, "是标题，不是任务");
  EXPECT_EQ(rejected->front().reviewed_by, "张三");
  ASSERT_EQ(ItemsIn(ReviewState::kRejected).size(), 1u);
  EXPECT_EQ(FindTask(Items(), "继续推进在建项目建设"), nullptr);
  auto accept_rejected = store_->AcceptItems({{heading->id, std::nullopt}});
  ASSERT_FALSE(accept_rejected.ok());
  EXPECT_NE(accept_rejected.status().message().find("已驳回（理由：是标题，不是任务）"), std::string::npos)
      << accept_rejected.status().message();
  ItemChange edit;
  edit.task = "改写";
  auto edit_rejected = store_->UpdateItem(heading->id, std::nullopt, edit);
  ASSERT_FALSE(edit_rejected.ok());
  EXPECT_NE(edit_rejected.status().message().find("不能修改"), std::string::npos);

  // Merge: two clauses of one sentence become one accepted item under the first 编号.
  EXPECT_FALSE(store_->MergeItems({{prior->id, std::nullopt}}, "").ok());
  auto across = store_->MergeItems({{prior->id, std::nullopt}, {projects->id, std::nullopt}}, "");
  ASSERT_FALSE(across.ok());
  EXPECT_NE(across.status().message().find("责任单位不同"), std::string::npos) << across.status().message();
  auto merged = store_->MergeItems({{prior->id, std::nullopt}, {monthly->id, std::nullopt}}, "");
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->id, prior->id);
  EXPECT_EQ(merged->review, ReviewState::kAccepted);
  EXPECT_EQ(merged->task, prior->task + "；" + monthly->task);
  EXPECT_EQ(merged->source_text, prior->source_text);  // one sentence, kept once
  auto away = store_->GetItem(monthly->id);
  ASSERT_TRUE(away.ok());
  EXPECT_EQ(away->review, ReviewState::kMerged);
  EXPECT_EQ(away->merged_into, prior->id);
  EXPECT_EQ(Actions(store_.get(), prior->id), (std::vector<std::string>{"create", "merge"}));
  EXPECT_EQ(Actions(store_.get(), monthly->id), (std::vector<std::string>{"create", "merged"}));
  ASSERT_NE(FindTask(Items(), "实施项目前期工作月调度"), nullptr);  // in the kept item
  EXPECT_EQ(FindTask(Items(), "实施项目前期工作月调度")->id, prior->id);
  // Merging into an accepted item, with a task of one's own.
  auto into = store_->MergeItems({{prior->id, std::nullopt}, {both->id, std::nullopt}}, "做好项目前期和水库验收");
  ASSERT_TRUE(into.ok()) << into.status().message();
  EXPECT_EQ(into->task, "做好项目前期和水库验收");
  EXPECT_EQ(into->deadline, both->deadline);  // the kept item had none
  EXPECT_NE(into->source_text.find(both->source_text), std::string::npos);
  // An accepted item is never merged away.
  auto accepted_away = store_->MergeItems({{projects->id, std::nullopt}, {prior->id, std::nullopt}}, "");
  ASSERT_FALSE(accepted_away.ok());
  EXPECT_NE(accepted_away.status().message().find("不是待确认的事项"), std::string::npos);
  // Nor are a problem and a task merged.
  NewItem problem;
  problem.kind = ItemKind::kProblem;
  problem.unit = "县住建局";
  problem.task = "老旧小区改造进度滞后";
  auto found = store_->AddItem(problem);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->review, ReviewState::kAccepted);
  auto kinds = store_->MergeItems({{found->id, std::nullopt}, {projects->id, std::nullopt}}, "");
  ASSERT_FALSE(kinds.ok());
  EXPECT_NE(kinds.status().message().find("一个是工作任务、一个是问题"), std::string::npos);

  // Split: one clause of two commitments becomes two proposals, each with its own figure.
  EXPECT_FALSE(store_->SplitItem({projects->id, std::nullopt}, {"新建项目16个"}).ok());
  auto parts = store_->SplitItem({projects->id, projects->version}, {"新建项目16个", "续建项目1个"});
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  const std::pair<const char*, const char*> figures[] = {{"16个", "16"}, {"1个", "1"}};
  for (size_t i = 0; i < 2; ++i) {
    const LedgerItem& part = (*parts)[i];
    EXPECT_EQ(part.review, ReviewState::kProposed);
    EXPECT_EQ(part.split_from, projects->id);
    EXPECT_EQ(part.unit, "县住建局");
    EXPECT_EQ(part.year, projects->year);
    EXPECT_EQ(part.target_text, figures[i].first);
    EXPECT_EQ(part.target_value, figures[i].second);
    EXPECT_EQ(part.target_unit, "个");
    EXPECT_EQ(part.report_id, projects->report_id);
    EXPECT_EQ(part.source_file, projects->source_file);
    EXPECT_EQ(part.source_line, projects->source_line);
    EXPECT_EQ(part.source_text, projects->source_text);
    EXPECT_EQ(Actions(store_.get(), part.id), (std::vector<std::string>{"create"}));
  }
  EXPECT_EQ(store_->GetItem(projects->id)->review, ReviewState::kSplit);
  EXPECT_FALSE(store_->SplitItem({projects->id, std::nullopt}, {"甲", "乙"}).ok());  // split already

  // Assign: lead and supporting units and the person, on proposals, without accepting them.
  LedgerStore::Assignment assignment;
  assignment.lead_unit = "县住建局城建股";
  assignment.support_units = std::vector<std::string>{"县财政局", " 县自然资源局 "};
  assignment.responsible_person = "王五";
  auto assigned = store_->AssignItems({{(*parts)[0].id, 1}, {(*parts)[1].id, 1}}, assignment);
  ASSERT_TRUE(assigned.ok()) << assigned.status().message();
  for (const LedgerItem& item : *assigned) {
    EXPECT_EQ(item.review, ReviewState::kProposed);
    EXPECT_EQ(item.lead_unit, "县住建局城建股");
    EXPECT_EQ(item.support_units, (std::vector<std::string>{"县财政局", "县自然资源局"}));
    EXPECT_EQ(item.responsible_person, "王五");
  }
  EXPECT_FALSE(store_->AssignItems({{heading->id, std::nullopt}}, assignment).ok());  // rejected
  EXPECT_FALSE(store_->AssignItems({{(*parts)[0].id, std::nullopt}}, {}).ok());      // nothing given
  ItemChange person;
  person.responsible_person = "赵六";
  person.support_units = std::vector<std::string>{};
  auto updated = store_->UpdateItem((*parts)[0].id, 2, person);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_EQ(updated->responsible_person, "赵六");
  EXPECT_TRUE(updated->support_units.empty());
  EXPECT_EQ(updated->lead_unit, "县住建局城建股");
  ASSERT_TRUE(store_->AcceptItems({{(*parts)[0].id, 3}, {(*parts)[1].id, 2}}).ok());
  EXPECT_EQ(Actions(store_.get(), (*parts)[0].id),
            (std::vector<std::string>{"create", "assign", "update", "accept"}));
  auto history = store_->History((*parts)[1].id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_NE((*history)[1].after.find("县住建局城建股"), std::string::npos) << (*history)[1].after;
  EXPECT_NE((*history)[2].after.find("accepted"), std::string::npos) << (*history)[2].after;

  // What counts: the merged item and the two parts, nothing rejected, merged away or split.
  ItemFilter housing;
  housing.unit = "县住建局";
  housing.kind = ItemKind::kPlan;
  EXPECT_EQ(Items(housing).size(), 2u);
  ItemFilter water;
  water.unit = "腾冲市水务局";
  EXPECT_EQ(Items(water).size(), 1u);
  housing.review = ReviewState::kSplit;
  EXPECT_EQ(Items(housing).size(), 1u);
  ExpectConsistent();
}

// A reviewer's decisions hold when the plan comes again: a new version of
// the file, or the same report in another file, proposes only what is new —
// not the clauses merged into a rewritten task, not what was rejected.
TEST_P(Ledger, ReviewedItemsAreNotProposedAgain) {
  const std::string path = (backend_->dir() / "计划.txt").string();
  const std::string v1 =
      "某县水利局2024年工作计划\n一、主要任务\n（一）确保6月底前完成水库除险加固3座，年底前全部通过竣工验收。\n"
      "（二）力争年底前完成河道治理12公里。\n";
  testing::WriteBytes(path, v1);
  auto first = ImportDocument(*store_, path, {});
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->ledger_added, 3);
  const std::vector<LedgerItem> proposals = ItemsIn(ReviewState::kProposed);
  const LedgerItem* reservoir = Proposal(proposals, "某县水利局", "水库除险加固3座");
  const LedgerItem* acceptance = Proposal(proposals, "某县水利局", "年底前全部通过竣工验收");
  const LedgerItem* river = Proposal(proposals, "某县水利局", "河道治理");
  ASSERT_TRUE(reservoir && acceptance && river);
  auto merged = store_->MergeItems({{reservoir->id, std::nullopt}, {acceptance->id, std::nullopt}},
                                   "6月底前完成水库除险加固3座，年底前通过竣工验收");
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  ASSERT_TRUE(store_->RejectItems({{river->id, std::nullopt}}, "已列入河长制专项台账").ok());

  testing::WriteBytes(path, v1 + "（三）确保9月底前完成灌区节水改造2万亩。\n");
  auto second = ImportDocument(*store_, path, {});
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->kind, ImportOutcome::kNewVersion);
  EXPECT_EQ(second->ledger_added, 1);
  EXPECT_EQ(second->ledger_updated, 3);
  EXPECT_EQ(second->awaiting_review, 1);
  std::vector<LedgerItem> all = ItemsIn(std::nullopt);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(store_->GetItem(reservoir->id)->task, "6月底前完成水库除险加固3座，年底前通过竣工验收");
  EXPECT_EQ(store_->GetItem(reservoir->id)->review, ReviewState::kAccepted);
  EXPECT_EQ(store_->GetItem(acceptance->id)->review, ReviewState::kMerged);
  EXPECT_EQ(store_->GetItem(river->id)->review, ReviewState::kRejected);
  EXPECT_EQ(Actions(store_.get(), reservoir->id), (std::vector<std::string>{"create", "merge", "reimport"}));

  const std::string copy = (backend_->dir() / "计划（转发）.txt").string();
  testing::WriteBytes(copy, v1 + "（三）确保9月底前完成灌区节水改造2万亩。\n\n");  // other bytes, same report
  auto again = ImportDocument(*store_, copy, {});
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->kind, ImportOutcome::kNew);
  EXPECT_EQ(again->ledger_added, 0);
  EXPECT_EQ(again->ledger_existing, 4);
  EXPECT_EQ(ItemsIn(std::nullopt).size(), 4u);
  ExpectConsistent();
}

// A database made before reviews existed (schema version 3: its tables,
// rows and history as that build wrote them, an imported item among them):
// opening it migrates it, and its items are accepted — they were in use —
// so they count, and the history verifies.
TEST_P(Ledger, OldDatabaseKeepsItsItemsAccepted) {
  store_.reset();
  Backend old(GetParam());
  ASSERT_EQ(old.Create(), "");
  {
    auto raw = GetParam() == "sqlite" ? ledger_internal::OpenSqlite(old.url())
                                      : ledger_internal::OpenPostgres(old.url());
    ASSERT_TRUE(raw.ok()) << raw.status().message();
    ledger_internal::Database* db = raw->get();
    ASSERT_TRUE(Ok(db->ExecuteScript(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT "
        "NULL)")));
    for (const ledger_internal::Migration& m : ledger_internal::Migrations()) {
      if (m.version > 3) continue;
      ASSERT_TRUE(Ok(db->ExecuteScript(ledger_internal::MigrationScript(m, db->dialect()))));
      if (m.step != nullptr) {
        ASSERT_TRUE(Ok(m.step(db)));
      }
      ASSERT_TRUE(Ok(db->Execute("INSERT INTO schema_migrations VALUES (?, ?, '2024-01-01T00:00:00Z')",
                                 {ledger_internal::Value(int64_t{m.version}), ledger_internal::Value(std::string(m.name))})));
    }
    // An item from an imported report and one typed in and changed, with
    // their history rows as the build of version 3 wrote them.
    const char* insert =
        "INSERT INTO ledger_items (kind, unit, year, task, target_text, target_value, target_unit, target_approx, "
        "deadline, recurrence, status, progress_note, progress_value, progress_date, report_id, plan_item_idx, "
        "source_file, source_line, source_text, problem_source, found_date, measures, submitted_by, submitted_at, "
        "verified_by, closed_at, version, created_at, created_by, updated_at, updated_by) VALUES ('plan', ?, 2024, ?, "
        "?, ?, ?, ?, ?, '', 'not_started', '', '', '', NULL, ?, ?, ?, ?, '', '', '', '', '', '', '', ?, "
        "'2024-01-05T02:00:00Z', '张三', ?, '张三')";
    using ledger_internal::Value;
    ASSERT_TRUE(Ok(db->Execute(insert, {Value(std::string("县水利局")), Value(std::string("完成水库除险加固3座")),
                                        Value(std::string("3座")), Value(std::string("3")), Value(std::string("座")),
                                        Value(std::string("exact")), Value(std::string("2024-06-30")),
                                        Value(int64_t{0}), Value(std::string("计划.txt")), Value(int64_t{3}),
                                        Value(std::string("完成水库除险加固3座")), Value(int64_t{1}),
                                        Value(std::string("2024-01-05T02:00:00Z"))})));
    ASSERT_TRUE(Ok(db->Execute(insert, {Value(std::string("县水利局")), Value(std::string("完成河道清淤")),
                                        Value(std::string("")), Value(std::string("")), Value(std::string("")),
                                        Value(std::string("")), Value(std::string("2024-03-31")), Value(int64_t{-1}),
                                        Value(std::string("")), Value(int64_t{0}), Value(std::string("")),
                                        Value(int64_t{2}), Value(std::string("2024-02-01T02:00:00Z"))})));
    const std::string imported =
        R"({"deadline":"2024-06-30","kind":"plan","recurrence":"","source_file":"计划.txt","source_line":3,)"
        R"("status":"not_started","target":"3座","task":"完成水库除险加固3座","unit":"县水利局","year":2024})";
    const std::string typed =
        R"({"deadline":"2024-02-29","found_date":"","kind":"plan","measures":"","problem_source":"",)"
        R"("progress_date":"","progress_note":"","progress_value":"","recurrence":"","source_file":"",)"
        R"("source_line":0,"status":"not_started","submitted_by":"","target":"","task":"完成河道清淤",)"
        R"("unit":"县水利局","verified_by":"","year":2024})";
    ASSERT_TRUE(Ok(ledger_internal::AppendHistory(
        db, {{"2024-01-05T02:00:00Z", "张三", "item", 1, "create", "", imported},
             {"2024-01-05T02:00:00Z", "张三", "item", 2, "create", "", typed},
             {"2024-02-01T02:00:00Z", "张三", "item", 2, "update", R"({"deadline":"2024-02-29"})",
              R"({"deadline":"2024-03-31"})"}})));
  }
  auto store = LedgerStore::Open(old.url(), "李四");
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->schema_version(), ledger_internal::Migrations().back().version);
  (*store)->set_today("2024-05-01");
  auto items = (*store)->ListItems({});
  ASSERT_TRUE(items.ok()) << items.status().message();
  ASSERT_EQ(items->size(), 2u);
  for (const LedgerItem& item : *items) {
    EXPECT_EQ(item.review, ReviewState::kAccepted);
    EXPECT_TRUE(item.reviewed_by.empty());
    EXPECT_TRUE(item.lead_unit.empty());
  }
  EXPECT_TRUE((*items)[1].overdue);  // 2024-03-31 against 2024-05-01
  auto rates = (*store)->Rates({"县水利局", "", ""});
  ASSERT_TRUE(rates.ok());
  EXPECT_EQ(rates->back().tasks, 2);
  EXPECT_EQ(rates->back().overdue, 1);
  auto report = (*store)->Verify();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->problems.empty()) << ::testing::PrintToString(report->problems);
  EXPECT_EQ(report->items, 2);
  // They take progress and assignments as any accepted item does, and still verify.
  ProgressEntry entry;
  entry.date = "2024-04-30";
  entry.value = "3";
  entry.note = "3座全部完工";
  auto done = (*store)->AddProgress(1, 1, entry, false);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->status, ItemStatus::kDone);
  LedgerStore::Assignment lead;
  lead.lead_unit = "县水利局工程股";
  ASSERT_TRUE((*store)->AssignItems({{2, 2}}, lead).ok());
  report = (*store)->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->problems.empty()) << ::testing::PrintToString(report->problems);
}

// What an import stored, as text: every row of every table an import
// writes, in key order, without the times (imported_at, created_at … and
// the history's hashes, which cover its times).
std::string StoredRows(ledger_internal::Database* db) {
  const char* queries[] = {
      "SELECT id, path, content_hash, size_bytes, format, encoding, version, previous_id, report_count, "
      "imported_by FROM sources ORDER BY id",
      "SELECT * FROM reports ORDER BY id",
      "SELECT * FROM headings ORDER BY report_id, idx",
      "SELECT * FROM quantities ORDER BY report_id, idx",
      "SELECT * FROM plan_items ORDER BY report_id, idx",
      "SELECT * FROM relations ORDER BY report_id, idx",
      "SELECT * FROM findings ORDER BY report_id, idx",
      "SELECT id, kind, unit, year, task, target_text, target_value, target_unit, target_approx, deadline, "
      "recurrence, status, report_id, plan_item_idx, source_file, source_line, source_text, version, created_by, "
      "review FROM ledger_items ORDER BY id",
      "SELECT id, actor, entity, entity_id, action, before_json, after_json FROM history ORDER BY id",
  };
  std::string out;
  for (const char* sql : queries) {
    std::vector<ledger_internal::Row> rows;
    Status s = db->Execute(sql, {}, &rows);
    EXPECT_TRUE(s.ok()) << s.message();
    out += std::string(sql) + "\n";
    for (const ledger_internal::Row& row : rows) {
      for (const auto& value : row.values) out += (value ? *value : "NULL") + "\t";
      out += "\n";
    }
  }
  return out;
}

// A compilation of 128 reports (the seed's 16, eight times, each copy under
// its own place name) in one file of some 1.6 MB: imported as rows, report
// by report — no value holds the file (on SQLite under a value limit of
// 200,000 bytes, which the whole file's JSON of schema version 5 was far
// over) — and every report's rows read back as the analysis made them.
TEST_P(Ledger, LargeCompilationReadsBackReportByReport) {
  const std::string seed = testing::ReadBytes(testing::SeedPath());
  std::string text;
  for (const char* place : {"安平", "临河", "东山", "青川", "白水", "永宁", "长乐", "金沙"}) {
    std::string copy = seed;
    // "县水利局…" → "安平县水利局…": each copy's reports are of other units.
    for (size_t at = copy.find("\n县"); at != std::string::npos; at = copy.find("\n县", at + 1)) {
      copy.insert(at + 1, place);
    }
    text += copy + "\n\n";
  }
  const std::string path = (backend_->dir() / "汇编.txt").string();
  testing::WriteBytes(path, text);
  if (GetParam() == "sqlite") {
    ::setenv("TAIZHANG_SQLITE_MAX_BYTES", "200000", 1);
    store_ = Open("张三");
    ::unsetenv("TAIZHANG_SQLITE_MAX_BYTES");
    ASSERT_NE(store_, nullptr);
  }
  // Imported as a large compilation is (its facts and check deferred, made
  // report by report inside the store's transaction), read back against
  // the file analyzed whole.
  AnalyzeOptions deferred;
  deferred.defer_facts_from_bytes = 1;
  auto imported = ImportDocument(*store_, path, deferred);
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  const AnalyzedFile file = AnalyzeFile(path, {});
  ASSERT_TRUE(file.ok());
  ASSERT_FALSE(file.check.deferred);
  ASSERT_EQ(file.outline.reports.size(), 128u);
  EXPECT_EQ(imported->reports, 128);

  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  using ledger_internal::Row;
  using ledger_internal::Value;
  std::vector<Row> reports;
  ASSERT_TRUE(Ok(raw->Execute("SELECT id, doc_index, title, plan_year, quantity_count, plan_item_count, "
                              "finding_count FROM reports WHERE source_id = ? ORDER BY doc_index",
                              {Value(imported->source_id)}, &reports)));
  ASSERT_EQ(reports.size(), 128u);
  const std::string_view source = file.source.text();
  size_t findings_seen = 0;
  for (size_t r = 0; r < reports.size(); ++r) {
    const Report& report = file.outline.reports[r];
    const ReportFacts& facts = file.facts.reports[r];
    SCOPED_TRACE("report " + std::to_string(r));
    EXPECT_EQ(reports[r].Int(1), report.index);
    EXPECT_EQ(reports[r].Text(2), std::string(report.title.In(source)));
    EXPECT_EQ(reports[r].Int(3), report.plan_year);
    const Value id(reports[r].Int(0));
    std::vector<Row> rows;
    ASSERT_TRUE(Ok(raw->Execute("SELECT idx, line, col, text FROM quantities WHERE report_id = ? ORDER BY idx",
                                {id}, &rows)));
    ASSERT_EQ(rows.size(), facts.quantities.size());
    for (size_t q = 0; q < rows.size(); ++q) {
      EXPECT_EQ(rows[q].Int(1), facts.quantities[q].line);
      EXPECT_EQ(rows[q].Int(2), facts.quantities[q].column);
      EXPECT_EQ(rows[q].Text(3), std::string(facts.quantities[q].span.In(source)));
    }
    rows.clear();  // SQLite appends to what it is given
    ASSERT_TRUE(Ok(raw->Execute("SELECT idx, line, subject, action FROM plan_items WHERE report_id = ? ORDER BY idx",
                                {id}, &rows)));
    ASSERT_EQ(rows.size(), facts.plan_items.size());
    for (size_t p = 0; p < rows.size(); ++p) {
      EXPECT_EQ(rows[p].Int(1), facts.plan_items[p].line);
      EXPECT_EQ(rows[p].Text(2), std::string(facts.plan_items[p].subject.In(source)));
      EXPECT_EQ(rows[p].Text(3), std::string(facts.plan_items[p].action.In(source)));
    }
    rows.clear();  // SQLite appends to what it is given
    ASSERT_TRUE(Ok(raw->Execute("SELECT idx, line, statement FROM relations WHERE report_id = ? ORDER BY idx",
                                {id}, &rows)));
    ASSERT_EQ(rows.size(), file.check.reports[r].relations.size());
    for (size_t x = 0; x < rows.size(); ++x) {
      EXPECT_EQ(rows[x].Int(1), file.check.reports[r].relations[x].line);
      EXPECT_EQ(rows[x].Text(2), file.check.reports[r].relations[x].statement);
    }
    rows.clear();  // SQLite appends to what it is given
    ASSERT_TRUE(Ok(raw->Execute("SELECT rule, line, col, message FROM findings WHERE report_id = ? ORDER BY idx",
                                {id}, &rows)));
    std::vector<const Finding*> own;
    for (const Finding& f : file.check.findings) {
      if (f.report == static_cast<int>(r)) own.push_back(&f);
    }
    ASSERT_EQ(rows.size(), own.size());
    for (size_t f = 0; f < rows.size(); ++f) {
      EXPECT_EQ(rows[f].Text(0), own[f]->rule);
      EXPECT_EQ(rows[f].Int(1), own[f]->line);
      EXPECT_EQ(rows[f].Int(2), own[f]->column);
      EXPECT_EQ(rows[f].Text(3), own[f]->message);
    }
    findings_seen += own.size();
  }
  EXPECT_GT(findings_seen, 0u);
  EXPECT_GT(imported->plan_items, 8 * 100);
  EXPECT_GT(imported->ledger_added, 0);
  ExpectConsistent();
}

// `import -j 2` stores what `-j 1` stores: files analyzed on two threads
// (PrepareImport) and stored in input order (StorePrepared) leave the same
// rows — ids, reports, figures, ledger items, history — as one thread.
TEST_P(Ledger, ImportOnTwoThreadsStoresWhatOneStores) {
  // The seed's 16 reports as 16 files, the seed itself (the same reports:
  // held already, no new items), and a file of another unit.
  const AnalyzedFile whole = AnalyzeFile(testing::SeedPath(), {});
  ASSERT_TRUE(whole.ok());
  std::vector<std::string> files;
  for (size_t r = 0; r < whole.outline.reports.size(); ++r) {
    const Report& report = whole.outline.reports[r];
    const std::string_view text = whole.source.text();
    const size_t begin = whole.source.LineBegin(report.first_line);
    const size_t end = static_cast<uint32_t>(report.last_line) < whole.source.line_count()
                           ? whole.source.LineBegin(report.last_line + 1)
                           : text.size();
    files.push_back((backend_->dir() / ("报告" + std::to_string(r) + ".txt")).string());
    testing::WriteBytes(files.back(), std::string(text.substr(begin, end - begin)));
  }
  files.push_back(testing::SeedPath());
  files.push_back(WriteReport(backend_->dir(), "乙.txt", "县住建局"));

  auto import = [&](const std::string& url, unsigned jobs) {
    auto store = LedgerStore::Open(url, "张三");
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return std::string();
    PoolOptions pool;
    pool.jobs = jobs;
    std::mutex lock;
    auto stored = [&](const std::string& hash) {
      std::lock_guard<std::mutex> hold(lock);
      auto found = (*store)->FindImported(hash);
      return found.ok() && found->has_value();
    };
    RunInOrder<PreparedImport>(
        files.size(), pool, [&](size_t k) { return PrepareImport(files[k], {}, stored); },
        [&](size_t, PreparedImport&& prepared) {
          std::lock_guard<std::mutex> hold(lock);
          auto outcome = StorePrepared(**store, std::move(prepared), {});
          EXPECT_TRUE(outcome.ok()) << outcome.status().message();
          return true;
        });
    auto raw = GetParam() == "sqlite" ? ledger_internal::OpenSqlite(url) : ledger_internal::OpenPostgres(url);
    EXPECT_TRUE(raw.ok()) << raw.status().message();
    return raw.ok() ? StoredRows(raw->get()) : std::string();
  };
  store_.reset();
  const std::string one = import(backend_->url(), 1);
  Backend other(GetParam());
  ASSERT_EQ(other.Create(), "");
  const std::string two = import(other.url(), 2);
  EXPECT_GT(one.size(), 100000u);
  EXPECT_TRUE(one == two) << "-j 1 and -j 2 stored different rows";
}

// The text filter (q=) answers from the index of schema version 13 exactly
// what a substring search of every task does: for texts of one, two and
// more characters, Chinese and Latin (case kept), quotes, spaces, control
// characters, texts of no task; after items are added, edited and
// re-imported (the index follows every change of a task).
TEST_P(Ledger, TextFilterIsExactlyASubstringOfTheTask) {
  auto imported = ImportDocument(*store_, testing::SeedPath(), {});
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  std::vector<int64_t> edited;
  for (const char* task : {"修订\"河道\"管理 办法", "Abc 水库 abc", "清淤\t河道", "河", "项目项目", "（一）推进PPP项目"}) {
    NewItem add;
    add.unit = "县水利局";
    add.task = task;
    auto item = store_->AddItem(add);
    ASSERT_TRUE(item.ok()) << item.status().message();
    edited.push_back(item->id);
  }
  ItemChange change;
  change.task = "改为堤防加固工程";
  auto updated = store_->UpdateItem(edited[3], std::nullopt, change);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  ItemFilter all_states;
  all_states.review.reset();
  const std::vector<LedgerItem> everything = Items(all_states);
  ASSERT_GT(everything.size(), 100u);
  std::vector<std::string> texts = {"河", "河道", "项目", "项目项目", "水库除险", "\"河道\"", "\"", "Abc", "abc", "ABC",
                                    "b", " ", "管理 办法", "\t", "淤\t河", "（一）", "PPP项", "堤防加固", "河道管理",
                                    "不存在的文字", "改为堤防加固工程", "清淤"};
  // Pieces of real tasks, whole characters from the middle: one, two,
  // three; and the whole task.
  for (size_t k = 0; k < everything.size(); k += 37) {
    const std::string& task = everything[k].task;
    std::vector<size_t> starts;  // byte offset of each character
    for (size_t i = 0; i < task.size(); ++i) {
      if ((static_cast<unsigned char>(task[i]) & 0xC0) != 0x80) starts.push_back(i);
    }
    starts.push_back(task.size());
    const size_t middle = (starts.size() - 1) / 2;
    for (size_t characters : {1, 2, 3}) {
      if (middle + characters < starts.size()) {
        texts.push_back(task.substr(starts[middle], starts[middle + characters] - starts[middle]));
      }
    }
    texts.push_back(task);
  }
  int found = 0;
  for (const std::string& text : texts) {
    for (std::optional<ReviewState> review : std::vector<std::optional<ReviewState>>{std::nullopt,
                                                                                     ReviewState::kProposed}) {
      std::vector<int64_t> expected;
      for (const LedgerItem& item : everything) {
        if (item.task.find(text) == std::string::npos) continue;
        if (review && item.review != *review) continue;
        expected.push_back(item.id);
      }
      ItemFilter filter;
      filter.review = review;
      filter.text = text;
      std::vector<int64_t> listed;
      for (const LedgerItem& item : Items(filter)) listed.push_back(item.id);
      EXPECT_EQ(listed, expected) << "q=" << text;
      auto count = store_->CountItems(filter);
      ASSERT_TRUE(count.ok()) << count.status().message();
      EXPECT_EQ(*count, static_cast<int64_t>(expected.size())) << "q=" << text;
      found += !expected.empty();
    }
  }
  EXPECT_GT(found, 40);
  // The old task is no longer found, the new one is.
  ItemFilter old_task;
  old_task.review.reset();
  old_task.text = "河";
  for (const LedgerItem& item : Items(old_task)) EXPECT_NE(item.id, edited[3]);
}

INSTANTIATE_TEST_SUITE_P(Backends, Ledger, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace taizhang
