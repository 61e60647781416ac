// The SQLite backend: one file, WAL journal, a busy timeout long enough for
// many processes writing in turn, foreign keys on.
#include <sqlite3.h>

#include <charconv>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unordered_map>

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
    sqlite3_exec(db_, "PRAGMA optimize", nullptr, nullptr, nullptr);
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
        rc = sqlite3_bind_text(stmt, at, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
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

  Status Restore(const std::string& path) override {
    ClearCache();
    if (!std::filesystem::is_regular_file(path)) {
      return Status(StatusCode::kNotFound, path + "：备份文件不存在。");
    }
    sqlite3* source = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &source, SQLITE_OPEN_READONLY, nullptr);
    if (rc == SQLITE_OK) {
      // A file that is no SQLite database fails here, before anything is replaced.
      rc = sqlite3_exec(source, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    }
    if (rc != SQLITE_OK) {
      sqlite3_close_v2(source);
      return Status(StatusCode::kUndecodable, path + "：不是 taizhang 的 SQLite 备份文件。");
    }
    Status s = Copy(source, db_, path, "恢复");
    sqlite3_close_v2(source);
    return s;
  }

 private:
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
  // WAL: readers do not block the writer; NORMAL sync is durable across
  // process crashes (what the SIGKILL test exercises).
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
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
