// OpenPostgres: loads the module taizhang-postgres.so (postgres_module.cc)
// on first use and connects through it, so that libpq is loaded only by runs
// that use a PostgreSQL ledger. The module is reached through the C
// functions of postgres_module.h only; ModuleDatabase turns them back into a
// Database.
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <variant>

#include "common/module.h"
#include "ledger/database.h"
#include "ledger/postgres_module.h"

namespace taizhang::ledger_internal {

namespace {

// A failure reported by the module, as a Status.
struct ErrorSink {
  Status status;
  PgModuleError c{this, Set};

  static void Set(void* context, int code, const char* message, size_t size) noexcept {
    auto* self = static_cast<ErrorSink*>(context);
    try {
      self->status = Status(static_cast<StatusCode>(code), std::string(message, size));
    } catch (...) {
      self->status = Status(StatusCode::kInternal, "");
    }
  }
  // The Status of a call that returned `code`.
  Status Of(int code) {
    if (code == 0) return Status::Ok();
    if (status.ok()) return Status(StatusCode::kInternal, "PostgreSQL 模块返回了错误，但没有说明。");
    return std::move(status);
  }
};

class ModuleDatabase : public Database {
 public:
  // `owned`: the handle is closed with this object (not for the staged
  // copy a migration is handed).
  ModuleDatabase(const PgModuleApi* api, void* handle, bool owned) : api_(api), handle_(handle), owned_(owned) {}
  ~ModuleDatabase() override {
    if (owned_) api_->close(handle_);
  }
  ModuleDatabase(const ModuleDatabase&) = delete;
  ModuleDatabase& operator=(const ModuleDatabase&) = delete;

  Status Init() {
    ErrorSink error;
    PgModuleText text{&description_, [](void* context, const char* data, size_t size) noexcept {
                        try {
                          static_cast<std::string*>(context)->assign(data, size);
                          return true;
                        } catch (...) {
                          return false;
                        }
                      }};
    return error.Of(api_->describe(handle_, &text, &error.c));
  }

  void* handle() const { return handle_; }
  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override { return description_; }

  // A value as it crosses to the module (a text: a view of the caller's string).
  static PgModuleValue ModuleValue(const Value& value) {
    PgModuleValue v{0, 0, 0.0, nullptr, 0};
    if (const auto* integer = std::get_if<int64_t>(&value)) {
      v.kind = 1;
      v.integer = *integer;
    } else if (const auto* real = std::get_if<double>(&value)) {
      v.kind = 2;
      v.real = *real;
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      v.kind = 3;
      v.text = text->data();
      v.text_size = text->size();
    }
    return v;
  }

  // Through the module's COPY FROM STDIN: without this the interface's
  // default ran one INSERT per row, a round trip each (1000 reports: some
  // 230,000 statements; bench/ledger.sh).
  Status CopyRows(std::string_view table, const std::vector<const char*>& columns,
                  const std::vector<std::vector<Value>>& rows) override {
    if (rows.empty()) return Status::Ok();
    std::vector<PgModuleValue> values;
    values.reserve(rows.size() * columns.size());
    for (const std::vector<Value>& row : rows) {
      if (row.size() != columns.size()) {
        return Status(StatusCode::kInternal, "PostgreSQL：表 " + std::string(table) + " 的一行与列数不符。");
      }
      for (const Value& value : row) values.push_back(ModuleValue(value));
    }
    const std::string name(table);
    ErrorSink error;
    return error.Of(api_->copy_rows(handle_, name.c_str(), columns.data(), columns.size(), values.data(), rows.size(),
                                    &error.c));
  }

  Status Execute(std::string_view sql, const std::vector<Value>& params, std::vector<Row>* rows) override {
    if (rows != nullptr) rows->clear();
    std::vector<PgModuleValue> values(params.size());
    for (size_t i = 0; i < params.size(); ++i) values[i] = ModuleValue(params[i]);
    PgModuleRows sink{rows, [](void* context, size_t count, const char* const* data, const size_t* sizes) noexcept {
                        try {
                          Row row;
                          row.values.reserve(count);
                          for (size_t i = 0; i < count; ++i) {
                            if (data[i] == nullptr) {
                              row.values.emplace_back(std::nullopt);
                            } else {
                              row.values.emplace_back(std::string(data[i], sizes[i]));
                            }
                          }
                          static_cast<std::vector<Row>*>(context)->push_back(std::move(row));
                          return true;
                        } catch (...) {
                          return false;
                        }
                      }};
    ErrorSink error;
    return error.Of(api_->execute(handle_, sql.data(), sql.size(), values.data(), values.size(),
                                  rows != nullptr ? &sink : nullptr, &error.c));
  }

  Status ExecuteScript(std::string_view sql) override {
    ErrorSink error;
    return error.Of(api_->execute_script(handle_, sql.data(), sql.size(), &error.c));
  }
  Status Begin() override {
    ErrorSink error;
    return error.Of(api_->begin(handle_, &error.c));
  }
  Status Commit() override {
    ErrorSink error;
    return error.Of(api_->commit(handle_, &error.c));
  }
  void Rollback() override { api_->rollback(handle_); }
  Status Savepoint(const char* name, bool release_first) override {
    ErrorSink error;
    return error.Of(api_->savepoint(handle_, name, release_first ? 1 : 0, &error.c));
  }
  Status RollbackToSavepoint(const char* name) override {
    ErrorSink error;
    return error.Of(api_->rollback_to_savepoint(handle_, name, &error.c));
  }
  Status Backup(const std::string& path) override {
    ErrorSink error;
    return error.Of(api_->backup(handle_, path.data(), path.size(), &error.c));
  }

  Result<std::unique_ptr<Database>> StageRestore(const std::string& path, const Migrator& migrate) override {
    struct Context {
      const PgModuleApi* api;
      const Migrator* migrate;
      std::string description;
    } context{api_, &migrate, description_};
    // The module hands its staged copy to this function, which lets the
    // executable's migration run on it through the same C functions.
    PgModuleMigrate run = [](void* raw, void* staged, int version, const PgModuleError* error) noexcept {
      auto* c = static_cast<Context*>(raw);
      Status s;
      try {
        ModuleDatabase view(c->api, staged, /*owned=*/false);
        s = view.Init();
        if (s.ok()) s = (*c->migrate)(&view, version);
      } catch (const std::exception& e) {
        s = Status(StatusCode::kInternal, std::string("PostgreSQL 恢复：迁移时出错（") + e.what() + "）。");
      } catch (...) {
        s = Status(StatusCode::kInternal, "PostgreSQL 恢复：迁移时出错。");
      }
      if (s.ok()) return 0;
      error->set(error->context, static_cast<int>(s.code()), s.message().data(), s.message().size());
      return static_cast<int>(s.code());
    };
    void* staged = nullptr;
    ErrorSink error;
    Status s = error.Of(api_->stage_restore(handle_, path.data(), path.size(), run, &context, &staged, &error.c));
    if (!s.ok()) return s;
    auto copy = std::make_unique<ModuleDatabase>(api_, staged, /*owned=*/true);
    if (Status described = copy->Init(); !described.ok()) return described;
    return Result<std::unique_ptr<Database>>(std::move(copy));
  }

  Status CommitRestore(Database* staged) override {
    auto* copy = dynamic_cast<ModuleDatabase*>(staged);
    if (copy == nullptr) return Status(StatusCode::kInternal, "PostgreSQL 恢复：没有待换入的恢复副本。");
    ErrorSink error;
    return error.Of(api_->commit_restore(handle_, copy->handle(), &error.c));
  }

 private:
  const PgModuleApi* api_;
  void* handle_;
  bool owned_;
  std::string description_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url) {
  std::string error;
  auto api_fn = reinterpret_cast<PgModuleApiFn>(LoadModuleSymbol(
      "taizhang-postgres.so", "TAIZHANG_POSTGRES_MODULE", "taizhang_postgres_api", &error));
  if (api_fn == nullptr) {
    return Status(StatusCode::kInternal, "无法使用 PostgreSQL 数据库：" + error +
                                             "。不用 PostgreSQL 时可改用 SQLite 数据库文件。");
  }
  const PgModuleApi* api = api_fn();
  void* handle = nullptr;
  ErrorSink failure;
  if (Status s = failure.Of(api->open(url.data(), url.size(), &handle, &failure.c)); !s.ok()) return s;
  auto database = std::make_unique<ModuleDatabase>(api, handle, /*owned=*/true);
  if (Status s = database->Init(); !s.ok()) return s;
  return Result<std::unique_ptr<Database>>(std::move(database));
}

}  // namespace taizhang::ledger_internal
