// OpenPostgres: loads the module taizhang-postgres.so (postgres_module.cc)
// on first use and connects through it, so that libpq is loaded only by runs
// that use a PostgreSQL ledger.
#include <memory>
#include <string>

#include "common/module.h"
#include "ledger/database.h"

namespace taizhang::ledger_internal {

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url) {
  std::string error;
  auto open = reinterpret_cast<OpenPostgresFn>(LoadModuleSymbol(
      "taizhang-postgres.so", "TAIZHANG_POSTGRES_MODULE", "taizhang_open_postgres", &error));
  if (open == nullptr) {
    return Status(StatusCode::kInternal, "无法使用 PostgreSQL 数据库：" + error +
                                             "。不用 PostgreSQL 时可改用 SQLite 数据库文件。");
  }
  std::unique_ptr<Database> database;
  Status status = open(url, &database);
  if (!status.ok()) return status;
  return Result<std::unique_ptr<Database>>(std::move(database));
}

}  // namespace taizhang::ledger_internal
