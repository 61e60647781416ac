// The ledger schema as versioned migrations (internal to ledger/).
#ifndef TAIZHANG_LEDGER_SCHEMA_H_
#define TAIZHANG_LEDGER_SCHEMA_H_

#include <string>
#include <vector>

#include "ledger/database.h"

namespace taizhang::ledger_internal {

struct Migration {
  int version;
  const char* name;
  // Statements for both dialects; "{ID}" stands for the key column type.
  const char* common;
  const char* sqlite;    // then these on SQLite
  const char* postgres;  // or these on PostgreSQL
  // Then this, for what SQL alone cannot do (nullptr: nothing).
  Status (*step)(Database* db) = nullptr;
};

// In version order; applied ones are recorded in schema_migrations.
const std::vector<Migration>& Migrations();

// The statements of version 1 that make the history append-only on SQLite
// (for a step that must lift them and put them back as they were).
const char* HistoryTriggersSqlite();

// The script of one migration for `dialect`.
std::string MigrationScript(const Migration& migration, Dialect dialect);

}  // namespace taizhang::ledger_internal

#endif  // TAIZHANG_LEDGER_SCHEMA_H_
