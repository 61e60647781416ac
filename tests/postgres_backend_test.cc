// The PostgreSQL backend (taizhang-postgres.so) against a real server at
// TAIZHANG_TEST_POSTGRES_URL; scripts/test.sh starts a throwaway one with
// scripts/pg-test-server.sh. Without a server these tests skip — unless
// TAIZHANG_REQUIRE_POSTGRES=1 (scripts/test.sh, CI), where they fail.
//
// ctest runs every test in its own process, several at once, against the
// one database: each process works in tables (and, for backup and restore,
// a database) named after its pid.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ledger/database.h"
#include "tests/test_util.h"

namespace taizhang::ledger_internal {
namespace {

namespace fs = std::filesystem;

std::string TestUrl() {
  const char* url = std::getenv("TAIZHANG_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

bool PostgresRequired() {
  const char* required = std::getenv("TAIZHANG_REQUIRE_POSTGRES");
  return required != nullptr && std::string(required) == "1";
}

::testing::AssertionResult Ok(const Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << status.message();
}

// `url` (postgresql://user@host:port/db?…) with another database.
std::string WithDatabase(const std::string& url, const std::string& database) {
  size_t authority = url.find("://");
  size_t slash = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  if (slash == std::string::npos) return url + "/" + database;
  size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + database +
         (query == std::string::npos ? "" : url.substr(query));
}

// `url` with a password for its user (ignored by a server with trust
// authentication); unchanged when it names no user.
std::string WithPassword(const std::string& url, const std::string& password) {
  size_t authority = url.find("://");
  if (authority == std::string::npos) return url;
  size_t at = url.find('@', authority);
  if (at == std::string::npos || url.find('/', authority + 3) < at) return url;
  return url.substr(0, at) + ":" + password + url.substr(at);
}

std::string Pid() { return std::to_string(::getpid()); }

class PostgresBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = TestUrl();
    if (url_.empty()) {
      if (PostgresRequired()) {
        FAIL() << "TAIZHANG_REQUIRE_POSTGRES=1, but TAIZHANG_TEST_POSTGRES_URL is not set "
                  "(scripts/test.sh starts a server with scripts/pg-test-server.sh)";
      }
      GTEST_SKIP() << "TAIZHANG_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against";
    }
    auto opened = OpenPostgres(url_);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    table_ = "taizhang_pg_test_" + Pid();
    ASSERT_TRUE(Ok(db_->Execute("DROP TABLE IF EXISTS " + table_, {})));
    ASSERT_TRUE(Ok(db_->Execute(
        "CREATE TABLE " + table_ +
            " (id BIGSERIAL PRIMARY KEY, n BIGINT, name TEXT UNIQUE, x DOUBLE PRECISION, "
            "note TEXT, \"odd?column\" TEXT)",
        {})));
  }

  void TearDown() override {
    if (db_ == nullptr) return;
    db_->Rollback();
    EXPECT_TRUE(Ok(db_->Execute("DROP TABLE IF EXISTS " + table_, {})));
  }

  int64_t Count(Database* db, const std::string& table) {
    std::vector<Row> rows;
    Status s = db->Execute("SELECT count(*) FROM " + table, {}, &rows);
    EXPECT_TRUE(Ok(s));
    if (!s.ok() || rows.size() != 1) return -1;
    return std::stoll(rows[0].Text(0));
  }

  std::string url_;
  std::unique_ptr<Database> db_;
  std::string table_;
};

TEST_F(PostgresBackend, ParametersNullsAndReturning) {
  EXPECT_EQ(db_->dialect(), Dialect::kPostgres);
  std::vector<Row> rows;
  ASSERT_TRUE(Ok(db_->Execute(
      "INSERT INTO " + table_ +
          " (n, name, x, note, \"odd?column\") VALUES (?, ?, ?, ?, '问号?不是参数') RETURNING id",
      {int64_t{9007199254740993}, std::string("县水利局“防汛”任务？"), 0.1, std::monostate{}},
      &rows)));
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].values.size(), 1u);
  const std::string id = rows[0].Text(0);
  EXPECT_GT(std::stoll(id), 0);

  ASSERT_TRUE(
      Ok(db_->Execute("SELECT n, name, x, note, \"odd?column\" FROM " + table_ + " WHERE id = ?",
                      {static_cast<int64_t>(std::stoll(id))}, &rows)));
  ASSERT_EQ(rows.size(), 1u);
  const Row& row = rows[0];
  ASSERT_EQ(row.values.size(), 5u);
  EXPECT_EQ(row.Text(0), "9007199254740993");
  EXPECT_EQ(row.Text(1), "县水利局“防汛”任务？");
  EXPECT_EQ(row.Text(2), "0.1");
  EXPECT_TRUE(row.IsNull(3));
  EXPECT_FALSE(row.IsNull(4));
  EXPECT_EQ(row.Text(4), "问号?不是参数");

  // NULL as a parameter, matched with a cast where nothing else gives it a type.
  ASSERT_TRUE(Ok(db_->Execute("UPDATE " + table_ + " SET note = ? WHERE id = ?",
                              {std::string("备注"), static_cast<int64_t>(std::stoll(id))})));
  ASSERT_TRUE(Ok(db_->Execute("UPDATE " + table_ + " SET note = ? WHERE id = ?",
                              {std::monostate{}, static_cast<int64_t>(std::stoll(id))})));
  ASSERT_TRUE(Ok(db_->Execute(
      "SELECT count(*) FROM " + table_ + " WHERE CAST(? AS TEXT) IS NULL AND note IS NULL",
      {std::monostate{}}, &rows)));
  EXPECT_EQ(rows[0].Text(0), "1");

  // An empty result clears what `rows` held.
  ASSERT_TRUE(Ok(db_->Execute("SELECT id FROM " + table_ + " WHERE id < 0", {}, &rows)));
  EXPECT_TRUE(rows.empty());
}

TEST_F(PostgresBackend, PlaceholdersOnlyOutsideQuotesAndComments) {
  std::vector<Row> rows;
  ASSERT_TRUE(Ok(db_->Execute(
      "SELECT ?::text AS \"a?\", 'it''s ?' AS b, E'back\\'slash ?' AS c, $tag$dollar ?$tag$ AS d, "
      "-- a comment ?\n"
      "? /* block ? /* nested ? */ still ? */ + 1 AS e",
      {std::string("第一"), int64_t{41}}, &rows)));
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].values.size(), 5u);
  EXPECT_EQ(rows[0].Text(0), "第一");
  EXPECT_EQ(rows[0].Text(1), "it's ?");
  EXPECT_EQ(rows[0].Text(2), "back'slash ?");
  EXPECT_EQ(rows[0].Text(3), "dollar ?");
  EXPECT_EQ(rows[0].Text(4), "42");

  Status mismatch = db_->Execute("SELECT ?, ?", {int64_t{1}});
  EXPECT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.message().find("占位符"), std::string::npos) << mismatch.message();
}

TEST_F(PostgresBackend, RollbackDiscardsAndCommitKeeps) {
  const std::string insert = "INSERT INTO " + table_ + " (name) VALUES (?)";
  ASSERT_TRUE(Ok(db_->Begin()));
  ASSERT_TRUE(Ok(db_->Execute(insert, {std::string("回滚")})));
  db_->Rollback();
  EXPECT_EQ(Count(db_.get(), table_), 0);

  ASSERT_TRUE(Ok(db_->Begin()));
  ASSERT_TRUE(Ok(db_->Execute(insert, {std::string("提交")})));
  ASSERT_TRUE(Ok(db_->Commit()));
  EXPECT_EQ(Count(db_.get(), table_), 1);

  {
    Transaction transaction(db_.get());
    ASSERT_TRUE(Ok(transaction.Begin()));
    ASSERT_TRUE(Ok(db_->Execute(insert, {std::string("未提交")})));
  }  // rolled back here
  EXPECT_EQ(Count(db_.get(), table_), 1);

  // A failed statement spoils the transaction: COMMIT must not report success.
  ASSERT_TRUE(Ok(db_->Begin()));
  ASSERT_TRUE(Ok(db_->Execute(insert, {std::string("失败前")})));
  EXPECT_FALSE(db_->Execute("SELECT no_such_column FROM " + table_, {}).ok());
  Status commit = db_->Commit();
  EXPECT_FALSE(commit.ok());
  EXPECT_NE(commit.message().find("回滚"), std::string::npos) << commit.message();
  EXPECT_EQ(Count(db_.get(), table_), 1);
}

TEST_F(PostgresBackend, ErrorsCarryCodeAndSqlstate) {
  const std::string insert = "INSERT INTO " + table_ + " (name) VALUES (?)";
  ASSERT_TRUE(Ok(db_->Execute(insert, {std::string("重复")})));
  Status duplicate = db_->Execute(insert, {std::string("重复")});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(duplicate.message().find("约束"), std::string::npos) << duplicate.message();
  EXPECT_NE(duplicate.message().find("23505"), std::string::npos) << duplicate.message();
  EXPECT_EQ(duplicate.message().rfind("PostgreSQL：", 0), 0u) << duplicate.message();

  Status syntax = db_->Execute("SELEC 1", {});
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.code(), StatusCode::kInternal);
  EXPECT_NE(syntax.message().find("42601"), std::string::npos) << syntax.message();

  // The connection is still usable after errors.
  EXPECT_EQ(Count(db_.get(), table_), 1);
}

TEST_F(PostgresBackend, ScriptRunsSeveralStatements) {
  const std::string other = table_ + "_script";
  ASSERT_TRUE(Ok(db_->ExecuteScript("CREATE TABLE " + other +
                                    " (k INTEGER, v TEXT);\n"
                                    "INSERT INTO " +
                                    other + " VALUES (1, '一?'), (2, '二');")));
  EXPECT_EQ(Count(db_.get(), other), 2);
  EXPECT_FALSE(db_->ExecuteScript("SELECT 1; SELEC 2;").ok());
  ASSERT_TRUE(Ok(db_->ExecuteScript("DROP TABLE " + other)));
}

TEST_F(PostgresBackend, DescribeNamesTheDatabaseNotThePassword) {
  const std::string description = db_->Describe();
  EXPECT_EQ(description.rfind("PostgreSQL 数据库 ", 0), 0u) << description;
  EXPECT_NE(description.find("taizhang_test@"), std::string::npos) << description;
}

// A stand-in for the ledger's migrations: version 1 makes schema_migrations
// and a table of items.
Status MigrateItems(Database* db, int version) {
  if (version != 1)
    return Status(StatusCode::kInvalidArgument, "版本 " + std::to_string(version) + " 未知");
  return db->ExecuteScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at "
      "TEXT NOT NULL);"
      "CREATE TABLE items (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, title TEXT NOT "
      "NULL);"
      "INSERT INTO schema_migrations VALUES (1, 'items', '2024-01-01T00:00:00Z');");
}

// Stage and commit, as LedgerStore::Restore does (without its checks).
Status RestoreItems(Database* db, const std::string& path) {
  auto staged = db->StageRestore(path, MigrateItems);
  if (!staged.ok()) return staged.status();
  return db->CommitRestore(staged->get());
}

// Schemas a restore left behind (staging or replaced ones).
int64_t LeftoverSchemas(Database* db) {
  std::vector<Row> rows;
  Status s = db->Execute(
      "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'taizhang_restore_%' OR nspname LIKE "
      "'taizhang_replaced_%'",
      {}, &rows);
  EXPECT_TRUE(Ok(s));
  return s.ok() && !rows.empty() ? rows[0].Int(0) : -1;
}

// A database of its own for a backup and restore test, dropped afterwards.
class PostgresRestore : public PostgresBackend {
 protected:
  void SetUp() override {
    PostgresBackend::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    database_ = "taizhang_pg_backup_" + Pid();
    ASSERT_TRUE(Ok(db_->Execute("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)", {})));
    ASSERT_TRUE(Ok(db_->Execute("CREATE DATABASE " + database_, {})));
    dir_ = fs::temp_directory_path() / ("taizhang_pg_test_" + Pid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!database_.empty()) {
      EXPECT_TRUE(Ok(db_->Execute("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)", {})));
      fs::remove_all(dir_);
    }
    PostgresBackend::TearDown();
  }
  std::string database_;
  fs::path dir_;
};

TEST_F(PostgresRestore, BackupThenRestoreBringsTheDataBack) {
  // With a password in the URL (the test server trusts everyone): it
  // must reach pg_dump/pg_restore but no message.
  const std::string password = "geheim-密码-42";
  auto opened = OpenPostgres(WithPassword(WithDatabase(url_, database_), password));
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  std::unique_ptr<Database> db = std::move(*opened);
  EXPECT_NE(db->Describe().find(database_), std::string::npos) << db->Describe();
  EXPECT_EQ(db->Describe().find(password), std::string::npos) << db->Describe();

  ASSERT_TRUE(Ok(MigrateItems(db.get(), 1)));
  ASSERT_TRUE(Ok(
      db->Execute("INSERT INTO items (title) VALUES (?), (?)",
                  {std::string("河道清淤"), std::string("农村饮水安全\t“引号”\\反斜杠\n换行")})));
  const std::string backup = (dir_ / "ledger.dump").string();
  ASSERT_TRUE(Ok(db->Backup(backup)));
  ASSERT_TRUE(fs::exists(backup));
  EXPECT_GT(fs::file_size(backup), 0u);
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1) << "the temporary file beside the backup was left behind";

  ASSERT_TRUE(Ok(db->Execute("INSERT INTO items (title) VALUES (?)", {std::string("备份之后")})));
  ASSERT_TRUE(Ok(RestoreItems(db.get(), backup)));
  std::vector<Row> rows;
  ASSERT_TRUE(Ok(db->Execute("SELECT id, title FROM items ORDER BY id", {}, &rows)));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Text(1), "河道清淤");
  EXPECT_EQ(rows[1].Text(1), "农村饮水安全\t“引号”\\反斜杠\n换行");
  // The identity continues after the restored rows.
  ASSERT_TRUE(Ok(db->Execute("INSERT INTO items (title) VALUES (?) RETURNING id",
                             {std::string("恢复之后")}, &rows)));
  EXPECT_EQ(rows.back().Text(0), "3");
  ASSERT_TRUE(Ok(RestoreItems(db.get(), backup)));
  EXPECT_EQ(Count(db.get(), "items"), 2);
  EXPECT_EQ(LeftoverSchemas(db.get()), 0);

  Status no_path = db->Backup("");
  EXPECT_EQ(no_path.code(), StatusCode::kInvalidArgument) << no_path.message();
  EXPECT_FALSE(no_path.message().empty());
  EXPECT_EQ(RestoreItems(db.get(), "").code(), StatusCode::kInvalidArgument);
  Status missing = RestoreItems(db.get(), (dir_ / "missing.dump").string());
  EXPECT_EQ(missing.code(), StatusCode::kNotFound) << missing.message();
  EXPECT_NE(missing.message().find("missing.dump"), std::string::npos) << missing.message();
  testing::WriteBytes((dir_ / "empty.dump").string(), "");
  EXPECT_EQ(RestoreItems(db.get(), (dir_ / "empty.dump").string()).code(), StatusCode::kEmpty);
  testing::WriteBytes((dir_ / "garbage.dump").string(), "不是备份文件");
  Status garbage = RestoreItems(db.get(), (dir_ / "garbage.dump").string());
  EXPECT_FALSE(garbage.ok());
  EXPECT_NE(garbage.message().find("pg_restore"), std::string::npos) << garbage.message();
  EXPECT_EQ(garbage.message().find(password), std::string::npos) << garbage.message();
  EXPECT_EQ(Count(db.get(), "items"), 2);
}

// A crafted dump — a function that runs a program on the server through
// COPY … TO PROGRAM and a trigger that rewrites the rows — is refused by its
// table of contents; nothing of it runs and the live data stays as it was.
TEST_F(PostgresRestore, CraftedDumpWithFunctionAndTriggerIsRefusedAndNothingRuns) {
  auto opened = OpenPostgres(WithDatabase(url_, database_));
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  std::unique_ptr<Database> db = std::move(*opened);
  ASSERT_TRUE(Ok(MigrateItems(db.get(), 1)));
  ASSERT_TRUE(Ok(db->Execute("INSERT INTO items (title) VALUES (?)", {std::string("河道清淤")})));
  const fs::path marker = dir_ / "program-ran";
  // Made in a scratch schema of the same database, dumped, then dropped.
  ASSERT_TRUE(Ok(db->ExecuteScript(
      "CREATE SCHEMA crafted; SET search_path TO crafted;"
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at "
      "TEXT NOT NULL);"
      "CREATE TABLE items (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, title TEXT NOT "
      "NULL);"
      "INSERT INTO schema_migrations VALUES (1, 'items', '2024-01-01T00:00:00Z');"
      "CREATE FUNCTION crafted.run_program() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "COPY (SELECT 1) TO PROGRAM 'touch " +
      marker.string() +
      "'; NEW.title := '改写'; RETURN NEW; END $$;"
      "CREATE TRIGGER rewrite BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION "
      "crafted.run_program();"
      "SET search_path TO DEFAULT;")));
  auto crafted_db =
      OpenPostgres(WithDatabase(url_, database_) + "?options=-csearch_path%3Dcrafted");
  ASSERT_TRUE(crafted_db.ok()) << crafted_db.status().message();
  const std::string dump = (dir_ / "crafted.dump").string();
  ASSERT_TRUE(Ok((*crafted_db)->Backup(dump)));
  crafted_db->reset();
  ASSERT_TRUE(Ok(db->ExecuteScript("DROP SCHEMA crafted CASCADE")));

  Status s = RestoreItems(db.get(), dump);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("多余的 FUNCTION run_program()"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("多余的 TRIGGER items rewrite"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(marker));
  std::vector<Row> rows;
  ASSERT_TRUE(Ok(db->Execute("SELECT title FROM items", {}, &rows)));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "河道清淤");
  EXPECT_EQ(LeftoverSchemas(db.get()), 0);
  ASSERT_TRUE(
      Ok(db->Execute("SELECT count(*) FROM pg_proc WHERE proname = 'run_program'", {}, &rows)));
  EXPECT_EQ(rows.back().Text(0), "0");
}

// The tests connect as a role that is no superuser (scripts/pg-test-server.sh):
// a superuser can run programs on the server through SQL.
TEST_F(PostgresBackend, TestRoleIsNoSuperuser) {
  std::vector<Row> rows;
  ASSERT_TRUE(
      Ok(db_->Execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", {}, &rows)));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "f");
}

// Needs no server: nothing listens on port 1.
TEST(PostgresOpen, RefusedConnectionGivesChineseMessageWithoutPassword) {
  auto opened = OpenPostgres("postgresql://taizhang:s3cret-pw@127.0.0.1:1/taizhang_test");
  ASSERT_FALSE(opened.ok());
  const std::string& message = opened.status().message();
  EXPECT_NE(message.find("无法连接"), std::string::npos) << message;
  EXPECT_NE(message.find("PostgreSQL 数据库 taizhang_test@127.0.0.1:1"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("s3cret-pw"), std::string::npos) << message;
}

TEST(PostgresOpen, MalformedUrlIsRefusedWithoutPassword) {
  auto opened = OpenPostgres("postgresql://taizhang:s3cret-pw@[::1/taizhang_test");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(opened.status().message().find("连接地址"), std::string::npos)
      << opened.status().message();
  EXPECT_EQ(opened.status().message().find("s3cret-pw"), std::string::npos)
      << opened.status().message();
}

}  // namespace
}  // namespace taizhang::ledger_internal
