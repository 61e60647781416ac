// The SQLite backend: one file, WAL journal, a busy timeout long enough for
// many processes writing in turn, foreign keys on.
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "common/atomic_file.h"
#include "ledger/database.h"

namespace taizhang::ledger_internal {

int64_t Row::Int(size_t i) const {
  if (!values[i]) return 0;
  int64_t v = 0;
  const std::string& s = *values[i];
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

double Row::Real(size_t i) const {
  if (!values[i]) return 0;
  return std::strtod(values[i]->c_str(), nullptr);
}

namespace {

constexpr int kBusyTimeoutMs = 60000;

class SqliteDatabase : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteDatabase() override {
    ClearCache();
    // Lets SQLite refresh the statistics its planner uses, cheaply.
    if (temporary_ == nullptr) sqlite3_exec(db_, "PRAGMA optimize", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string Describe() const override { return "SQLite 文件 " + path_; }

  Status Execute(std::string_view sql, const std::vector<Value>& params, std::vector<Row>* rows) override {
    // Compiled statements are kept by their text: compiling took a third of
    // an import's time (bench/ledger.sh).
    sqlite3_stmt* stmt = nullptr;
    auto cached = cache_.find(std::string(sql));
    if (cached != cache_.end()) {
      stmt = cached->second;
    } else {
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                  nullptr);
      if (rc != SQLITE_OK) return Error(rc, "准备语句");
      if (cache_.size() >= kCachedStatements) ClearCache();
      cache_.emplace(std::string(sql), stmt);
    }
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{stmt};
    int rc = SQLITE_OK;
    for (size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, at);
      } else if (const int64_t* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, at, *n);
      } else if (const double* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, at, *d);
      } else {
        const std::string& s = std::get<std::string>(v);
        // SQLITE_STATIC: `params` outlives the statement's use of the value
        // (the bindings are cleared before Execute returns), so SQLite reads
        // the caller's bytes instead of copying each text into a buffer of
        // its own (a malloc and a copy per value: ~60 values per plan item).
        rc = sqlite3_bind_text(stmt, at, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return Error(rc, "绑定参数");
    }
    for (;;) {
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Error(rc, "执行语句");
      if (rows == nullptr) continue;
      Row row;
      const int columns = sqlite3_column_count(stmt);
      row.values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          row.values.emplace_back(std::nullopt);
        } else {
          const unsigned char* text = sqlite3_column_text(stmt, c);
          const int bytes = sqlite3_column_bytes(stmt, c);
          row.values.emplace_back(std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(bytes)));
        }
      }
      rows->push_back(std::move(row));
    }
    return Status::Ok();
  }

  Status InsertId(std::string_view sql, const std::vector<Value>& params, int64_t* id) override {
    Status s = Execute(sql, params, nullptr);
    if (!s.ok()) return s;
    *id = sqlite3_last_insert_rowid(db_);
    return Status::Ok();
  }

  Status ExecuteScript(std::string_view sql) override {
    // A script may change the schema (migrations, restore): compiled
    // statements are dropped rather than re-prepared one by one.
    if (sql != "BEGIN IMMEDIATE" && sql != "COMMIT") ClearCache();
    std::string copy(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string why = message ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      // BEGIN IMMEDIATE and COMMIT wait for the write lock up to the busy
      // timeout; past it, the transaction may be tried again.
      if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return Busy();
      return Status(StatusCode::kInternal, Describe() + "：执行脚本失败（" + why + "）。");
    }
    return Status::Ok();
  }

  Status Begin() override { return ExecuteScript("BEGIN IMMEDIATE"); }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  void Rollback() override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
  Status Savepoint(const char* name, bool release_first) override {
    return Plain((release_first ? std::string("RELEASE SAVEPOINT ") + name + "; " : std::string()) + "SAVEPOINT " +
                 name);
  }
  Status RollbackToSavepoint(const char* name) override {
    return Plain(std::string("ROLLBACK TO SAVEPOINT ") + name);
  }

  Status Backup(const std::string& path) override {
    // A fresh temporary file (mkstemp: never an existing name or a planted
    // link) that SQLite fills by name, renamed over `path` when complete.
    auto temporary = TemporaryFile::Create(path);
    if (!temporary.ok()) return temporary.status();
    Status closed = (*temporary)->CloseDescriptor();
    if (!closed.ok()) return closed;
    sqlite3* target = nullptr;
    int rc = sqlite3_open_v2((*temporary)->path().c_str(), &target, SQLITE_OPEN_READWRITE, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_close_v2(target);
      return Status(StatusCode::kUnreadable, path + "：无法创建备份文件（" + sqlite3_errstr(rc) + "）。");
    }
    Status s = Copy(db_, target, path, "备份");
    sqlite3_close_v2(target);
    if (!s.ok()) return s;
    return (*temporary)->Commit();
  }

  Result<std::unique_ptr<Database>> StageRestore(const std::string& path,
                                                 const Migrator& migrate) override {
    if (!std::filesystem::is_regular_file(path)) {
      return Status(StatusCode::kNotFound, path + "：备份文件不存在。");
    }
    // The backup copied page by page (no statement of it runs) into a fresh
    // temporary file beside the database; the backup itself is only read.
    auto temporary = TemporaryFile::Create(path_);
    if (!temporary.ok()) return temporary.status();
    Status s = (*temporary)->CloseDescriptor();
    if (!s.ok()) return s;
    sqlite3* source = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &source, SQLITE_OPEN_READONLY, nullptr);
    if (rc == SQLITE_OK)
      rc = sqlite3_exec(source, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_close_v2(source);
      return Status(StatusCode::kUndecodable, path + "：不是 taizhang 的 SQLite 备份文件。");
    }
    auto staged = OpenCopy(std::move(temporary).value());
    if (!staged.ok()) {
      sqlite3_close_v2(source);
      return staged.status();
    }
    s = Copy(source, (*staged)->db_, path, "恢复");
    sqlite3_close_v2(source);
    if (!s.ok()) return s;
    s = (*staged)->CheckBackup(path, migrate);
    if (!s.ok()) return s;
    return std::unique_ptr<Database>(std::move(staged).value());
  }

  Status CommitRestore(Database* staged) override {
    ClearCache();
    auto* copy = dynamic_cast<SqliteDatabase*>(staged);
    if (copy == nullptr)
      return Status(StatusCode::kInternal, Describe() + "：恢复的副本不是 SQLite 数据库。");
    copy->ClearCache();
    // One step of the online backup API: other connections (WAL) see the
    // old database or the restored one, never a mixture.
    return Copy(copy->db_, db_, path_, "恢复");
  }

 private:
  // The temporary file `copy` opened as a database of its own, hardened for
  // a file that came from elsewhere: no WAL files beside it, triggers and
  // views may not call functions with side effects, no writes to the schema
  // through the back door (SQLITE_DBCONFIG_DEFENSIVE).
  static Result<std::unique_ptr<SqliteDatabase>> OpenCopy(std::unique_ptr<TemporaryFile> copy) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(copy->path().c_str(), &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
      sqlite3_close_v2(db);
      return Status(StatusCode::kUnreadable,
                    copy->path() + "：无法打开恢复用的临时副本（" + why + "）。");
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    auto staged = std::make_unique<SqliteDatabase>(db, copy->path());
    staged->temporary_ = std::move(copy);
    return staged;
  }

  // The checks of a backup copied into this (staged) database: intact, its
  // schema exactly what the migrations make at its version, its foreign keys
  // satisfied.
  Status CheckBackup(const std::string& path, const Migrator& migrate) {
    const std::string refused = path + "：";
    const std::string untouched = "未恢复（现有数据未改动）。";
    std::vector<Row> rows;
    for (const char* pragma : {"PRAGMA journal_mode=MEMORY", "PRAGMA foreign_keys=ON"}) {
      Status s = Execute(pragma, {}, nullptr);
      if (!s.ok())
        return Status(StatusCode::kUndecodable,
                      refused + "不是 taizhang 的 SQLite 备份文件（" + s.message() + "）。");
    }
    // Execute appends to `rows`: each query gets it empty.
    Status s = Execute("PRAGMA quick_check", {}, &rows);
    if (!s.ok() || rows.empty() || rows[0].Text(0) != "ok") {
      return Status(StatusCode::kUndecodable,
                    refused + "备份文件已损坏（" +
                        (s.ok() && !rows.empty() ? rows[0].Text(0) : s.message()) + "），" +
                        untouched);
    }
    rows.clear();
    s = Execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
                {}, &rows);
    if (!s.ok()) return s;
    if (rows.empty()) {
      return Status(StatusCode::kUndecodable,
                    refused +
                        "不是 taizhang 的台账备份（没有数据库结构版本表 schema_migrations），" +
                        untouched);
    }
    rows.clear();
    s = Execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}, &rows);
    if (!s.ok()) return s;
    const int version = rows.empty() ? 0 : static_cast<int>(rows[0].Int(0));
    // What this build's migrations make at that version, in memory.
    auto reference = OpenSqlite(":memory:");
    if (!reference.ok()) return reference.status();
    s = migrate(reference->get(), version);
    if (!s.ok()) return s;
    auto expected = static_cast<SqliteDatabase*>(reference->get())->SchemaObjects();
    if (!expected.ok()) return expected.status();
    auto found = SchemaObjects();
    if (!found.ok()) return found.status();
    std::string differences = SchemaDifferences(*expected, *found);
    if (!differences.empty()) {
      return Status(StatusCode::kUndecodable, refused + "备份的数据库结构与本程序（结构版本 " +
                                                  std::to_string(version) + "）建立的不一致：" +
                                                  differences + "；" + untouched);
    }
    rows.clear();
    s = Execute("PRAGMA foreign_key_check", {}, &rows);
    if (!s.ok()) return s;
    if (!rows.empty()) {
      return Status(StatusCode::kUndecodable,
                    refused + "备份中表 " + rows[0].Text(0) + " 的第 " + rows[0].Text(1) +
                        " 行引用了不存在的记录（外键不成立），" + untouched);
    }
    return Status::Ok();
  }

  // Every object of the schema (tables with their columns, indexes,
  // triggers, views) as kind + name → its definition, white space
  // normalised. SQLite's statistics tables (sqlite_stat*, written by PRAGMA
  // optimize) are left out: any database may have them.
  Result<std::map<std::string, std::string>> SchemaObjects() {
    std::vector<Row> objects;
    Status s = Execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE substr(name, 1, 11) <> "
        "'sqlite_stat' "
        "ORDER BY type, name",
        {}, &objects);
    if (!s.ok()) return s;
    std::map<std::string, std::string> schema;
    for (const Row& object : objects) {
      std::string definition = "on " + object.Text(2) + ": " + NormalizeSpace(object.Text(3));
      if (object.Text(0) == "table") {
        std::vector<Row> columns;
        s = Execute(
            "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)",
            {object.Text(1)}, &columns);
        if (!s.ok()) return s;
        for (const Row& c : columns) {
          definition += " | " + c.Text(0) + " " + c.Text(1) + " notnull=" + c.Text(2) +
                        " default=" + (c.IsNull(3) ? "NULL" : c.Text(3)) + " pk=" + c.Text(4) +
                        " hidden=" + c.Text(5);
        }
      }
      schema[object.Text(0) + " " + object.Text(1)] = std::move(definition);
    }
    return schema;
  }

  static std::string NormalizeSpace(const std::string& sql) {
    std::string out;
    bool space = false;
    for (char c : sql) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        space = !out.empty();
      } else {
        if (space) out += ' ';
        space = false;
        out += c;
      }
    }
    return out;
  }

  // "多余的触发器 x、缺少表 y、索引 z 的定义不同" (at most a few of each).
  static std::string SchemaDifferences(const std::map<std::string, std::string>& expected,
                                       const std::map<std::string, std::string>& found) {
    auto describe = [](const std::string& key) {
      const size_t space = key.find(' ');
      const std::string kind = key.substr(0, space);
      const std::string name = key.substr(space + 1);
      const char* chinese = kind == "table"     ? "表"
                            : kind == "index"   ? "索引"
                            : kind == "trigger" ? "触发器"
                            : kind == "view"    ? "视图"
                                                : "对象";
      return std::string(chinese) + " " + name;
    };
    std::vector<std::string> parts;
    for (const auto& [key, definition] : found) {
      auto it = expected.find(key);
      if (it == expected.end()) {
        parts.push_back("多余的" + describe(key));
      } else if (it->second != definition) {
        parts.push_back(describe(key) + " 的定义不同");
      }
    }
    for (const auto& [key, definition] : expected) {
      if (found.find(key) == found.end()) parts.push_back("缺少" + describe(key));
    }
    std::string text;
    const size_t shown = std::min<size_t>(parts.size(), 8);
    for (size_t i = 0; i < shown; ++i) text += (i == 0 ? "" : "、") + parts[i];
    if (shown < parts.size()) text += " 等 " + std::to_string(parts.size()) + " 处";
    return text;
  }

  // The online backup API: the whole database in one step, retried while
  // another connection holds a lock.
  static Status Copy(sqlite3* from, sqlite3* to, const std::string& path, const char* what) {
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    if (backup == nullptr) {
      return Status(StatusCode::kInternal, path + "：" + what + "失败（" + sqlite3_errmsg(to) + "）。");
    }
    int rc;
    do {
      rc = sqlite3_backup_step(backup, -1);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      return Status(StatusCode::kInternal, path + "：" + what + "失败（" + sqlite3_errstr(rc) + "）。");
    }
    return Status::Ok();
  }

  // A statement that changes no schema, run without dropping the cache.
  Status Plain(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return Status::Ok();
    std::string why = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return Busy();
    return Status(StatusCode::kInternal, Describe() + "：执行语句失败（" + why + "）。");
  }

  Status Busy() const {
    return Status(StatusCode::kAborted,
                  Describe() + "：数据库正被其他进程占用，等待超时，请重试。");
  }

  Status Error(int rc, const char* what) const {
    const int base = rc & 0xff;
    const std::string why = sqlite3_errmsg(db_);
    if (base == SQLITE_CONSTRAINT) {
      return Status(StatusCode::kInvalidArgument, Describe() + "：违反约束（" + why + "）。");
    }
    if (base == SQLITE_BUSY || base == SQLITE_LOCKED) return Busy();
    if (base == SQLITE_TOOBIG) {
      // One value past SQLite's limit (1e9 bytes): this write is too large,
      // the database is fine.
      return Status(StatusCode::kTooLarge, Describe() + "：" + what + "失败：内容超过数据库单个值的上限，未存入（" + why + "）。");
    }
    return Status(StatusCode::kInternal, Describe() + "：" + what + "失败（" + why + "）。");
  }

  void ClearCache() {
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  static constexpr size_t kCachedStatements = 256;

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::unique_ptr<TemporaryFile> temporary_;  // a staged restore's copy, removed with it
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status(StatusCode::kUnreadable, path + "：无法打开数据库（" + why + "）。");
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  // TAIZHANG_SQLITE_MAX_BYTES lowers the largest value SQLite stores (its
  // default is 1e9 bytes), so that tests can meet the limit with small files.
  if (const char* limit = std::getenv("TAIZHANG_SQLITE_MAX_BYTES"); limit != nullptr && *limit != '\0') {
    const long bytes = std::strtol(limit, nullptr, 10);
    if (bytes > 0) sqlite3_limit(db, SQLITE_LIMIT_LENGTH, static_cast<int>(std::min<long>(bytes, 1000000000)));
  }
  auto database = std::make_unique<SqliteDatabase>(db, path);
  // WAL: readers do not block the writer. synchronous=NORMAL: a commit
  // appends to the WAL without waiting for the disk; the WAL is synced when
  // it is checkpointed into the database file — whenever it passes 1000
  // pages, and when the last connection closes (each command's end). So a
  // crash of the process loses nothing committed, a power cut loses at most
  // the transactions since the last checkpoint of a process still running
  // (never half a transaction: every WAL frame is checksummed), and what a
  // command reported stored is on disk when it exits. FULL would sync the
  // WAL at every commit too: 3 syncs of the WAL instead of 1 for `ledger
  // progress` (11 ms instead of 2.4 ms here, docs/ledger.md#持久性). A bigger
  // page cache (16 MB, not 2 MB): an import reads back the index pages it
  // writes. temp_store=MEMORY: the savepoint of each file of `import
  // --batch` keeps the pages it changes first in a sub-journal, which was a
  // temporary file written page by page (one file's pages at most: a few MB).
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
                             "PRAGMA cache_size=-16384", "PRAGMA temp_store=MEMORY"}) {
    Status s = database->Execute(pragma, {}, nullptr);
    if (!s.ok()) {
      if (s.message().find("file is not a database") != std::string::npos ||
          s.message().find("不是") != std::string::npos) {
        return Status(StatusCode::kUndecodable, path + "：不是 SQLite 数据库文件。");
      }
      return s;
    }
  }
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace taizhang::ledger_internal
