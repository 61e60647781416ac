// The boundary between taizhang and its PostgreSQL module,
// taizhang-postgres.so (postgres_module.cc, over libpq): the Database
// interface (database.h) as a table of C functions over plain data, since
// the executable and the module each have their own C++ runtime
// (common/module.h): no std:: object, no exception crosses it.
//
// A database is an opaque handle, the module's own Database*. Every function
// returns 0 on success; on failure, a code (StatusCode) other than 0 after
// handing the message to `error`. Results come back through callbacks of
// the executable, which copy what they are given and are noexcept.
// OpenPostgres (postgres_loader.cc) wraps a handle in a Database.
#ifndef TAIZHANG_LEDGER_POSTGRES_MODULE_H_
#define TAIZHANG_LEDGER_POSTGRES_MODULE_H_

#include <cstddef>
#include <cstdint>

namespace taizhang::ledger_internal {

// Where a failure's code and message go (the message: UTF-8, `size` bytes).
struct PgModuleError {
  void* context;
  void (*set)(void* context, int code, const char* message, size_t size) noexcept;
};

// A text handed back (Describe).
struct PgModuleText {
  void* context;
  bool (*set)(void* context, const char* text, size_t size) noexcept;
};

// A parameter of a statement: kind 0 NULL, 1 integer, 2 real, 3 text.
struct PgModuleValue {
  int kind;
  int64_t integer;
  double real;
  const char* text;
  size_t text_size;
};

// A result row: `count` values, a NULL as a nullptr; false when the
// executable cannot take it (out of memory): the statement then fails.
struct PgModuleRows {
  void* context;
  bool (*row)(void* context, size_t count, const char* const* values, const size_t* sizes) noexcept;
};

// StageRestore's migration, run by the executable on the staged copy (a
// handle valid during the call): 0, or a code after setting `error`.
using PgModuleMigrate = int (*)(void* context, void* staged, int version, const PgModuleError* error) noexcept;

struct PgModuleApi {
  int (*open)(const char* url, size_t url_size, void** db, const PgModuleError* error) noexcept;
  void (*close)(void* db) noexcept;
  int (*describe)(void* db, const PgModuleText* text, const PgModuleError* error) noexcept;
  // `rows` may be nullptr (no rows wanted).
  int (*execute)(void* db, const char* sql, size_t sql_size, const PgModuleValue* params, size_t param_count,
                 const PgModuleRows* rows, const PgModuleError* error) noexcept;
  int (*execute_script)(void* db, const char* sql, size_t sql_size, const PgModuleError* error) noexcept;
  int (*begin)(void* db, const PgModuleError* error) noexcept;
  int (*commit)(void* db, const PgModuleError* error) noexcept;
  void (*rollback)(void* db) noexcept;
  int (*savepoint)(void* db, const char* name, int release_first, const PgModuleError* error) noexcept;
  int (*rollback_to_savepoint)(void* db, const char* name, const PgModuleError* error) noexcept;
  int (*backup)(void* db, const char* path, size_t path_size, const PgModuleError* error) noexcept;
  // On success *staged is a new handle, closed with close().
  int (*stage_restore)(void* db, const char* path, size_t path_size, PgModuleMigrate migrate,
                       void* migrate_context, void** staged, const PgModuleError* error) noexcept;
  int (*commit_restore)(void* db, void* staged, const PgModuleError* error) noexcept;
  // Database::CopyRows: `row_count` rows of `column_count` values each,
  // row after row in `values`, into `table` (its `columns`).
  int (*copy_rows)(void* db, const char* table, const char* const* columns, size_t column_count,
                   const PgModuleValue* values, size_t row_count, const PgModuleError* error) noexcept;
};

// Exported by the module with C linkage (besides taizhang_module_version):
//   const PgModuleApi* taizhang_postgres_api() noexcept;
using PgModuleApiFn = const PgModuleApi* (*)() noexcept;

}  // namespace taizhang::ledger_internal

#endif  // TAIZHANG_LEDGER_POSTGRES_MODULE_H_
