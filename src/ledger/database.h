// The SQL connection under the ledger store (internal to ledger/): one
// interface, two backends — SQLite (embedded, the default: one file, WAL)
// and PostgreSQL (libpq, in the module taizhang-postgres.so).
//
// Statements are written once, with `?` placeholders; the PostgreSQL backend
// numbers them ($1, $2 …). Values travel as Value (NULL, integer, real or
// text); results come back as text, NULL as nullopt.
#ifndef TAIZHANG_LEDGER_DATABASE_H_
#define TAIZHANG_LEDGER_DATABASE_H_

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace taizhang::ledger_internal {

// The PostgreSQL advisory lock every write transaction takes first: writers
// follow one another as they do on SQLite (BEGIN IMMEDIATE), so the history
// chain has one head, a read inside a transaction is not stale by the time
// it writes, and no two writers wait on each other's row locks.
inline constexpr int64_t kWriterLockKey = 727420602;

enum class Dialect { kSqlite, kPostgres };

using Value = std::variant<std::monostate, int64_t, double, std::string>;

struct Row {
  std::vector<std::optional<std::string>> values;
  bool IsNull(size_t i) const { return !values[i].has_value(); }
  const std::string& Text(size_t i) const {
    static const std::string empty;
    return values[i] ? *values[i] : empty;
  }
  int64_t Int(size_t i) const;  // 0 for NULL or text that is no integer
  double Real(size_t i) const;  // 0 for NULL
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // "SQLite 文件 taizhang.db" / "PostgreSQL 数据库 …": for messages.
  virtual std::string Describe() const = 0;

  // One statement. `rows` (optional) receives its result rows.
  virtual Status Execute(std::string_view sql, const std::vector<Value>& params,
                         std::vector<Row>* rows = nullptr) = 0;
  // One INSERT of one row (`sql` without RETURNING) into a table whose key
  // is the column `id`; `*id` receives the new row's id. Here: the
  // statement with RETURNING id. SQLite takes the rowid of the insert
  // instead: it runs a RETURNING clause as a trigger, and a statement with
  // a trigger opens a statement journal (each page it changes copied first,
  // the copy dropped at its end) — 10% of an import's CPU.
  virtual Status InsertId(std::string_view sql, const std::vector<Value>& params, int64_t* id) {
    std::vector<Row> rows;
    Status s = Execute(std::string(sql) + " RETURNING id", params, &rows);
    if (!s.ok()) return s;
    if (rows.size() != 1) return Status(StatusCode::kInternal, Describe() + "：插入后没有得到新行的编号。");
    // Not Row::Int: that is defined in the executable, and a backend module
    // (taizhang-postgres.so) has this function in its vtable.
    *id = std::strtoll(rows[0].Text(0).c_str(), nullptr, 10);
    return Status::Ok();
  }
  // Several statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;

  // Rows into `table` (its `columns`, each row one value per column), no
  // result. Here: a one-row INSERT per row, whose text does not depend on
  // the rows (compiled once, SQLite: in the process, no round trip).
  // PostgreSQL streams them instead (COPY FROM STDIN: one round trip, no
  // statement to parse or plan, no array of each column to build and take
  // apart).
  virtual Status CopyRows(std::string_view table, const std::vector<const char*>& columns,
                          const std::vector<std::vector<Value>>& rows) {
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    for (size_t c = 0; c < columns.size(); ++c) sql += (c ? ", " : "") + std::string(columns[c]);
    sql += ") VALUES (";
    for (size_t c = 0; c < columns.size(); ++c) sql += c ? ", ?" : "?";
    sql += ")";
    for (const std::vector<Value>& row : rows) {
      Status s = Execute(sql, row);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

  // A write transaction: SQLite takes the write lock at once (BEGIN
  // IMMEDIATE, so that two writers never deadlock on an upgrade); PostgreSQL
  // runs it at READ COMMITTED — updates are guarded by row versions.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // A savepoint inside the open transaction, so that one part of it (a file
  // of `import --batch`) can be undone alone: RollbackToSavepoint undoes
  // what came after it and leaves the transaction usable (on PostgreSQL
  // also after a statement failed), the savepoint still set. With
  // `release_first`, the savepoint of that name set before is released
  // (what came after it kept) in the same round trip. Compiled statements
  // stay cached across them.
  virtual Status Savepoint(const char* name, bool release_first) = 0;
  virtual Status RollbackToSavepoint(const char* name) = 0;

  // A consistent copy of the whole database to `path` while others may be
  // writing (SQLite: the online backup API; PostgreSQL: pg_dump custom
  // format of the ledger's schema).
  virtual Status Backup(const std::string& path) = 0;

  // Restoring a backup takes two steps, so that nothing live changes before
  // the backup has been checked. StageRestore brings the backup into a copy
  // apart from the live data and checks that its schema is exactly the one
  // `migrate` makes at the backup's schema version (no object extra, none
  // missing, none different); it returns that copy, or an error naming the
  // difference — `migrate` refuses a version this build does not know.
  //   SQLite: the file copied to a temporary file beside the database (the
  //   online backup API), opened, compared with a migrated in-memory database.
  //   PostgreSQL: the dump's table of contents compared with that of a
  //   fresh schema the migrations built; then only the dump's table data is
  //   copied into that schema — no statement of the dump is ever executed.
  // The caller migrates and verifies the copy, then CommitRestore makes it
  // the live data in one step (SQLite: the online backup API into the live
  // file; PostgreSQL: the schemas renamed in one transaction). A staged copy
  // that is not committed is removed when it is destroyed.
  using Migrator = std::function<Status(Database* db, int version)>;
  virtual Result<std::unique_ptr<Database>> StageRestore(const std::string& path,
                                                         const Migrator& migrate) = 0;
  virtual Status CommitRestore(Database* staged) = 0;
};

// Opens (creating if need be) the SQLite database file `path`.
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path);

// Connects to PostgreSQL at `url` (postgresql://user@host:port/db …) through
// the module taizhang-postgres.so (its C functions: postgres_module.h).
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url);

// A transaction that rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(Database* db) : db_(db) {}
  ~Transaction() {
    if (open_) db_->Rollback();
  }
  Status Begin() {
    Status s = db_->Begin();
    open_ = s.ok();
    return s;
  }
  Status Commit() {
    Status s = db_->Commit();
    if (s.ok()) open_ = false;
    return s;
  }

 private:
  Database* db_;
  bool open_ = false;
};

}  // namespace taizhang::ledger_internal

#endif  // TAIZHANG_LEDGER_DATABASE_H_
