// AccessStore: accounts, units, sessions, login guards, rate counters and
// the audit log in the ledger's database (tables of schema version 7).
//
// Passwords are Argon2id strings (libsodium crypto_pwhash_str_alg); session
// tokens are 32 random bytes (randombytes_buf) handed out in base64url and
// stored only as their BLAKE2b hash (crypto_generichash); the CSRF token is
// a keyed hash of the session token, so it is bound to the session and
// needs no row of its own.
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>

#include "access/access.h"
#include "common/utf8.h"
#include "common/xlsx_file.h"
#include "ledger/database.h"

namespace taizhang {

using ledger_internal::Database;
using ledger_internal::Row;
using ledger_internal::Transaction;
using ledger_internal::Value;

int64_t SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

constexpr size_t kTokenBytes = 32;  // 256 bits
constexpr const char* kRefusedLogin = "用户名或密码错误。";

Status Denied(const std::string& reason) { return Status(StatusCode::kPermissionDenied, reason); }
Status Invalid(const std::string& message) { return Status(StatusCode::kInvalidArgument, message); }

std::string Base64Url(const unsigned char* bytes, size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// The 32 bytes of a token, or nullopt for text that is no token.
std::optional<std::vector<unsigned char>> TokenBytes(const std::string& token) {
  std::vector<unsigned char> bytes(kTokenBytes);
  size_t length = 0;
  if (token.size() > 64 ||
      sodium_base642bin(bytes.data(), bytes.size(), token.data(), token.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      length != kTokenBytes) {
    return std::nullopt;
  }
  return bytes;
}

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.resize(size * 2);
  return out;
}

// What the store keeps of a token: its BLAKE2b-256 hash, hex ("" for text
// that is no token: it matches no row).
std::string TokenHash(const std::string& token) {
  auto bytes = TokenBytes(token);
  if (!bytes) return "";
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, bytes->data(), bytes->size(), nullptr, 0);
  return Hex(hash, sizeof hash);
}

std::string NewToken() {
  unsigned char bytes[kTokenBytes];
  randombytes_buf(bytes, sizeof bytes);
  return Base64Url(bytes, sizeof bytes);
}

// A one-time password: 16 characters of upper- and lower-case letters and
// digits (none that look alike), each class present.
std::string OneTimePassword() {
  static constexpr std::string_view kClasses[] = {"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz",
                                                  "23456789"};
  for (;;) {
    std::string out;
    bool seen[3] = {false, false, false};
    for (int i = 0; i < 16; ++i) {
      uint32_t c = randombytes_uniform(3);
      const std::string_view chars = kClasses[c];
      out += chars[randombytes_uniform(static_cast<uint32_t>(chars.size()))];
      seen[c] = true;
    }
    if (seen[0] && seen[1] && seen[2]) return out;
  }
}

bool ValidLoginName(std::string_view name) {
  if (name.empty() || name.size() > 64 || utf8::FindInvalid(name) != name.size()) return false;
  for (size_t i = 0; i < name.size();) {
    char32_t c = utf8::Next(name, &i);
    if (c <= 0x20 || c == 0x7f || utf8::IsWhiteSpace(c) || c == ':') return false;
  }
  return true;
}

bool ValidUnitName(std::string_view name) {
  if (name.empty() || name.size() > 300 || utf8::FindInvalid(name) != name.size()) return false;
  for (size_t i = 0; i < name.size();) {
    char32_t c = utf8::Next(name, &i);
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

const Status& StatusOf(const Status& status) { return status; }
template <typename T>
const Status& StatusOf(const Result<T>& result) {
  return result.status();
}

Value OptionalId(int64_t id) { return id == 0 ? Value() : Value(id); }

// The columns ReadUserRow reads, of the users' table under `alias`.
std::string UserColumns(const std::string& alias) {
  std::string out;
  for (const char* column : {"id", "name", "display_name", "roles", "unit_id", "scope_unit_id", "password_hash",
                             "password_set_at", "must_change_password", "disabled", "created_at", "created_by"}) {
    out += (out.empty() ? "" : ", ") + alias + "." + column;
  }
  return out;
}

struct UserRow {
  UserInfo info;
  std::string password_hash;
};

UserRow ReadUserRow(const Row& r, size_t at = 0) {
  UserRow u;
  u.info.id = r.Int(at + 0);
  u.info.name = r.Text(at + 1);
  u.info.display_name = r.Text(at + 2);
  u.info.roles = static_cast<RoleSet>(r.Int(at + 3));
  u.info.unit_id = r.Int(at + 4);
  u.info.scope_unit_id = r.Int(at + 5);
  u.password_hash = r.Text(at + 6);
  u.info.password_set_at = r.Int(at + 7);
  u.info.must_change_password = r.Int(at + 8) != 0;
  u.info.disabled = r.Int(at + 9) != 0;
  u.info.created_at = r.Text(at + 10);
  u.info.created_by = r.Text(at + 11);
  return u;
}

// The policy's values by name in the store.
struct PolicyField {
  const char* name;
  int SecurityPolicy::*field;
};
constexpr PolicyField kPolicyFields[] = {
    {"min_length", &SecurityPolicy::min_length},
    {"min_classes", &SecurityPolicy::min_classes},
    {"history", &SecurityPolicy::history},
    {"expiry_days", &SecurityPolicy::expiry_days},
    {"max_failures", &SecurityPolicy::max_failures},
    {"lockout_minutes", &SecurityPolicy::lockout_minutes},
    {"session_idle_minutes", &SecurityPolicy::session_idle_minutes},
    {"session_absolute_hours", &SecurityPolicy::session_absolute_hours},
    {"audit_retention_days", &SecurityPolicy::audit_retention_days},
};

// A cell of the audit export: quoted as CSV needs it; a cell a spreadsheet
// would take for a formula (= + - @) is led by an apostrophe.
std::string CsvCell(const std::string& text) {
  std::string cell = text;
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@')) cell = "'" + cell;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

struct AccessStore::Impl {
  LedgerStore* ledger = nullptr;
  Database* db = nullptr;
  AccessOptions options;
  SystemClock system_clock;
  const Clock* clock = nullptr;
  unsigned long long ops = 0;
  size_t memory = 0;

  int64_t Now() const { return clock->Now(); }

  // How long a session may stay idle: the policy's minutes, or the shorter
  // AccessOptions::session_idle_seconds.
  int64_t IdleSeconds(const SecurityPolicy& policy) const {
    int64_t seconds = int64_t{policy.session_idle_minutes} * 60;
    if (options.session_idle_seconds > 0 && options.session_idle_seconds < seconds) {
      seconds = options.session_idle_seconds;
    }
    return seconds;
  }

  Result<std::string> HashPassword(const std::string& password) const {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, memory, crypto_pwhash_ALG_ARGON2ID13) !=
        0) {
      return Status(StatusCode::kInternal, "计算密码散列时内存不足。");
    }
    return std::string(out);
  }

  bool VerifyPassword(const std::string& hash, const std::string& password) const {
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  }

  // A hash no password of an account has, at this store's cost: a login
  // name no account has is checked against it, so that failing takes as
  // long for an unknown name as for a wrong password.
  const std::string& DummyHash() const {
    static std::mutex mutex;
    static std::map<std::pair<unsigned long long, size_t>, std::string> hashes;
    std::lock_guard<std::mutex> lock(mutex);
    std::string& hash = hashes[{ops, memory}];
    if (hash.empty()) {
      auto made = HashPassword(NewToken());
      hash = made.ok() ? *made : "";
    }
    return hash;
  }

  Status Audit(const std::string& actor, const std::string& address, const std::string& action,
               const std::string& object, const std::string& outcome, const std::string& detail) {
    return db->Execute(
        "INSERT INTO audit_log (at, actor, address, action, object, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {Value(FormatUtc(Now())), Value(actor), Value(address), Value(action), Value(object), Value(outcome),
         Value(detail)});
  }
  Status Audit(const Principal& p, const std::string& action, const std::string& object, const std::string& outcome,
               const std::string& detail) {
    return Audit(p.name, p.address, action, object, outcome, detail);
  }

  // `result` as it is; a failure (other than a refusal, recorded as such)
  // written to the audit log, after the transaction that failed is undone.
  template <typename R>
  R Audited(const Principal& actor, const char* action, const std::string& object, R result) {
    const Status& status = StatusOf(result);
    if (!status.ok() && status.code() != StatusCode::kPermissionDenied) {
      (void)Audit(actor, action, object, "failure", status.message());  // the failure itself is what is returned
    }
    return result;
  }

  // Authorize, a refusal recorded; the refusal as kPermissionDenied.
  Status Check(const Principal& p, Action action, const Resource& resource) {
    Decision d = Authorize(p, action, resource);
    if (d.allowed) return Status::Ok();
    Status s = Audit(p, "refused", resource.object, "refused", std::string(ActionName(action)) + "：" + d.reason);
    if (!s.ok()) return s;
    return Denied(d.reason);
  }

  Result<SecurityPolicy> Policy() {
    std::vector<Row> rows;
    Status s = db->Execute("SELECT name, value FROM access_policy", {}, &rows);
    if (!s.ok()) return s;
    SecurityPolicy policy;
    for (const Row& r : rows) {
      for (const PolicyField& f : kPolicyFields) {
        if (r.Text(0) == f.name) policy.*(f.field) = static_cast<int>(r.Int(1));
      }
    }
    return policy;
  }

  Result<UnitTree> Units() {
    std::vector<Row> rows;
    Status s = db->Execute("SELECT id, name, parent_id, aliases, disabled FROM access_units", {}, &rows);
    if (!s.ok()) return s;
    std::vector<Unit> units;
    for (const Row& r : rows) {
      Unit u;
      u.id = r.Int(0);
      u.name = r.Text(1);
      u.parent_id = r.Int(2);
      u.disabled = r.Int(4) != 0;
      const std::string& aliases = r.Text(3);
      for (size_t start = 0; start < aliases.size();) {
        size_t end = aliases.find('\n', start);
        if (end == std::string::npos) end = aliases.size();
        if (end > start) u.aliases.push_back(aliases.substr(start, end - start));
        start = end + 1;
      }
      units.push_back(std::move(u));
    }
    return UnitTree(std::move(units));
  }

  // A change of one unit (`name`: its name or alias) in one transaction
  // with its audit row: `change` checks and edits a copy of the unit and
  // returns the audit row's detail.
  template <typename F>
  Result<Unit> ChangeUnit(const Principal& actor, const char* action, const std::string& name, F change) {
    const std::string object = "单位 " + name;
    return Audited(actor, action, object, [&]() -> Result<Unit> {
      if (Status s = Check(actor, Action::kManageUnits, {{}, "", object}); !s.ok()) return s;
      Transaction tx(db);
      Status s = tx.Begin();
      if (!s.ok()) return s;
      auto tree = Units();
      if (!tree.ok()) return tree.status();
      const Unit* found = tree->FindByName(name);
      if (found == nullptr) return Status(StatusCode::kNotFound, "没有单位“" + name + "”。");
      Unit unit = *found;
      Result<std::string> detail = change(*tree, &unit);
      if (!detail.ok()) return detail.status();
      std::string joined;
      for (const std::string& alias : unit.aliases) joined += (joined.empty() ? "" : "\n") + alias;
      s = db->Execute("UPDATE access_units SET name = ?, parent_id = ?, aliases = ?, disabled = ? WHERE id = ?",
                      {Value(unit.name), OptionalId(unit.parent_id), Value(joined),
                       Value(int64_t{unit.disabled ? 1 : 0}), Value(unit.id)});
      if (!s.ok()) return s;
      if (s = Audit(actor, action, object, "success", *detail); !s.ok()) return s;
      if (s = tx.Commit(); !s.ok()) return s;
      return unit;
    }());
  }

  Result<std::optional<UserRow>> FindUser(const std::string& name) {
    std::vector<Row> rows;
    Status s = db->Execute("SELECT " + UserColumns("u") + " FROM access_users u WHERE u.name = ?", {Value(name)},
                           &rows);
    if (!s.ok()) return s;
    if (rows.empty()) return std::optional<UserRow>();
    return std::optional<UserRow>(ReadUserRow(rows[0]));
  }

  // The user `name` for an administrator's command: kNotFound names it.
  Result<UserRow> RequireUser(const std::string& name) {
    auto found = FindUser(name);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return Status(StatusCode::kNotFound, "没有用户“" + name + "”。");
    return **found;
  }

  bool PasswordExpired(const UserInfo& user, const SecurityPolicy& policy) const {
    return policy.expiry_days > 0 && Now() - user.password_set_at > int64_t{policy.expiry_days} * 86400;
  }

  Principal PrincipalOf(const UserInfo& user, const UnitTree& tree, const SecurityPolicy& policy) const {
    Principal p;
    p.user_id = user.id;
    p.name = user.name;
    p.display_name = user.display_name;
    p.roles = user.roles;
    p.unit_id = user.unit_id;
    p.scope_unit_id = user.scope_unit_id != 0 ? user.scope_unit_id : user.unit_id;
    p.scope_units = tree.Subtree(p.scope_unit_id);
    p.must_change_password = user.must_change_password || PasswordExpired(user, policy);
    return p;
  }

  // Whether `password` is one of the last `count` passwords of the user.
  Result<bool> InHistory(int64_t user_id, const std::string& password, int count) {
    if (count <= 0) return false;
    std::vector<Row> rows;
    Status s = db->Execute("SELECT password_hash FROM access_password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                           {Value(user_id), Value(int64_t{count})}, &rows);
    if (!s.ok()) return s;
    for (const Row& r : rows) {
      if (VerifyPassword(r.Text(0), password)) return true;
    }
    return false;
  }

  // In a transaction: the user's password set to `hash` (one-time when
  // `must_change`), kept in its history.
  Status StorePassword(int64_t user_id, const std::string& hash, bool must_change) {
    Status s = db->Execute(
        "UPDATE access_users SET password_hash = ?, password_set_at = ?, must_change_password = ? WHERE id = ?",
        {Value(hash), Value(Now()), Value(int64_t{must_change ? 1 : 0}), Value(user_id)});
    if (!s.ok()) return s;
    return db->Execute("INSERT INTO access_password_history (user_id, set_at, password_hash) VALUES (?, ?, ?)",
                       {Value(user_id), Value(Now()), Value(hash)});
  }

  Result<int64_t> EndSessions(int64_t user_id, int64_t except_session) {
    std::vector<Row> rows;
    Status s = db->Execute("DELETE FROM access_sessions WHERE user_id = ? AND id <> ? RETURNING id",
                           {Value(user_id), Value(except_session)}, &rows);
    if (!s.ok()) return s;
    return static_cast<int64_t>(rows.size());
  }

  Result<int64_t> InsertUser(const NewUser& user, int64_t unit_id, int64_t scope_id, const std::string& hash,
                             const std::string& by) {
    std::vector<Row> rows;
    Status s = db->Execute(
        "INSERT INTO access_users (name, display_name, roles, unit_id, scope_unit_id, password_hash, "
        "password_set_at, must_change_password, disabled, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?) RETURNING id",
        {Value(user.name), Value(user.display_name.empty() ? user.name : user.display_name),
         Value(int64_t{user.roles}), OptionalId(unit_id), OptionalId(scope_id), Value(hash), Value(Now()),
         Value(FormatUtc(Now())), Value(by)},
        &rows);
    if (!s.ok()) return s;
    if (rows.empty()) return Status(StatusCode::kInternal, "新增用户没有返回编号。");
    int64_t id = rows[0].Int(0);
    s = db->Execute("INSERT INTO access_password_history (user_id, set_at, password_hash) VALUES (?, ?, ?)",
                    {Value(id), Value(Now()), Value(hash)});
    if (!s.ok()) return s;
    return id;
  }
};

AccessStore::AccessStore(LedgerStore* ledger, const AccessOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->ledger = ledger;
  impl_->db = ledger->database();
  impl_->options = options;
  impl_->clock = options.clock != nullptr ? options.clock : &impl_->system_clock;
  impl_->ops = options.hash_ops != 0 ? options.hash_ops : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  impl_->memory = options.hash_memory != 0 ? options.hash_memory : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  clock_ = impl_->clock;
}

AccessStore::~AccessStore() = default;

Result<std::unique_ptr<AccessStore>> AccessStore::Open(LedgerStore* ledger, const AccessOptions& options) {
  if (sodium_init() < 0) return Status(StatusCode::kInternal, "libsodium 初始化失败。");
  if (ledger == nullptr || ledger->database() == nullptr) return Invalid("没有打开台账数据库。");
  if (ledger->schema_version() < 7) return Status(StatusCode::kInternal, "数据库结构版本过旧，缺少账户表。");
  if (options.hash_ops != 0 && options.hash_ops < crypto_pwhash_OPSLIMIT_MIN) return Invalid("密码散列的计算次数过小。");
  if (options.hash_memory != 0 && options.hash_memory < crypto_pwhash_MEMLIMIT_MIN) {
    return Invalid("密码散列的内存用量过小。");
  }
  return std::unique_ptr<AccessStore>(new AccessStore(ledger, options));
}

// --- First start ----------------------------------------------------------------------

Result<std::optional<std::string>> AccessStore::EnsureSystemAdministrator(const std::string& name) {
  Impl& m = *impl_;
  if (!ValidLoginName(name)) return Invalid("用户名“" + name + "”不可用：不能为空、含空白或冒号，不超过 64 字节。");
  std::vector<Row> rows;
  Status s = m.db->Execute("SELECT COUNT(*) FROM access_users", {}, &rows);
  if (!s.ok()) return s;
  if (!rows.empty() && rows[0].Int(0) > 0) return std::optional<std::string>();
  const std::string password = OneTimePassword();
  auto hash = m.HashPassword(password);
  if (!hash.ok()) return hash.status();
  Transaction tx(m.db);
  if (s = tx.Begin(); !s.ok()) return s;
  rows.clear();
  if (s = m.db->Execute("SELECT COUNT(*) FROM access_users", {}, &rows); !s.ok()) return s;
  if (!rows.empty() && rows[0].Int(0) > 0) return std::optional<std::string>();  // another process was first
  NewUser admin;
  admin.name = name;
  admin.display_name = "系统管理员";
  admin.roles = RoleBit(UserRole::kSystemAdmin);
  auto id = m.InsertUser(admin, 0, 0, *hash, "首次启动");
  if (!id.ok()) return id.status();
  if (s = m.Audit("首次启动", "本机", "bootstrap", "用户 " + name, "success", "创建系统管理员，初始密码只显示一次");
      !s.ok()) {
    return s;
  }
  if (s = tx.Commit(); !s.ok()) return s;
  return std::optional<std::string>(password);
}

// --- Units ------------------------------------------------------------------------------

Result<UnitTree> AccessStore::Units() { return impl_->Units(); }

Result<Unit> AccessStore::AddUnit(const Principal& actor, const std::string& name, const std::string& parent,
                                  const std::vector<std::string>& aliases) {
  Impl& m = *impl_;
  const std::string object = "单位 " + name;
  return m.Audited(actor, "unit_add", object, [&]() -> Result<Unit> {
    if (Status s = m.Check(actor, Action::kManageUnits, {{}, "", object}); !s.ok()) return s;
    if (!ValidUnitName(name)) return Invalid("单位名称“" + name + "”不可用：不能为空、含控制字符，不超过 300 字节。");
    for (const std::string& alias : aliases) {
      if (!ValidUnitName(alias) || alias.find('\n') != std::string::npos) return Invalid("单位别名“" + alias + "”不可用。");
    }
    Transaction tx(m.db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    auto tree = m.Units();
    if (!tree.ok()) return tree.status();
    Unit unit;
    unit.name = name;
    unit.aliases = aliases;
    if (!parent.empty()) {
      const Unit* p = tree->FindByName(parent);
      if (p == nullptr) return Status(StatusCode::kNotFound, "没有上级单位“" + parent + "”。");
      if (p->disabled) return Invalid("上级单位“" + p->name + "”已停用，不能在其下新增单位。");
      unit.parent_id = p->id;
    }
    std::vector<std::string> names = aliases;
    names.push_back(name);
    for (const std::string& n : names) {
      if (tree->FindByName(n) != nullptr) return Invalid("单位名称或别名“" + n + "”已被使用。");
    }
    std::string joined;
    for (const std::string& alias : aliases) joined += (joined.empty() ? "" : "\n") + alias;
    std::vector<Row> rows;
    s = m.db->Execute(
        "INSERT INTO access_units (name, parent_id, aliases, created_at, created_by) VALUES (?, ?, ?, ?, ?) RETURNING id",
        {Value(name), OptionalId(unit.parent_id), Value(joined), Value(FormatUtc(m.Now())), Value(actor.name)}, &rows);
    if (!s.ok()) return s;
    unit.id = rows.empty() ? 0 : rows[0].Int(0);
    std::string detail = parent.empty() ? "顶级单位" : "上级单位：" + parent;
    if (!joined.empty()) detail += "；别名：" + JoinUnitList(aliases);
    if (s = m.Audit(actor, "unit_add", object, "success", detail); !s.ok()) return s;
    if (s = tx.Commit(); !s.ok()) return s;
    return unit;
  }());
}

Result<Unit> AccessStore::RenameUnit(const Principal& actor, const std::string& unit, const std::string& new_name) {
  return impl_->ChangeUnit(actor, "unit_rename", unit, [&](const UnitTree& tree, Unit* u) -> Result<std::string> {
    if (!ValidUnitName(new_name)) return Invalid("单位名称“" + new_name + "”不可用：不能为空、含控制字符，不超过 300 字节。");
    if (new_name == u->name) return Invalid("新名称与原名称相同。");
    const Unit* other = tree.FindByName(new_name);
    if (other != nullptr && other->id != u->id) return Invalid("单位名称或别名“" + new_name + "”已被使用。");
    std::string detail = "名称：" + u->name + " → " + new_name;
    // The old name stays an alias only if the caller says so (SetUnitAliases):
    // a name the new one replaced is dropped from the aliases.
    u->aliases.erase(std::remove(u->aliases.begin(), u->aliases.end(), new_name), u->aliases.end());
    u->name = new_name;
    return detail;
  });
}

Result<Unit> AccessStore::SetUnitAliases(const Principal& actor, const std::string& unit,
                                         const std::vector<std::string>& aliases) {
  return impl_->ChangeUnit(actor, "unit_aliases", unit, [&](const UnitTree& tree, Unit* u) -> Result<std::string> {
    for (size_t i = 0; i < aliases.size(); ++i) {
      const std::string& alias = aliases[i];
      if (!ValidUnitName(alias) || alias.find('\n') != std::string::npos) return Invalid("单位别名“" + alias + "”不可用。");
      if (alias == u->name) return Invalid("别名“" + alias + "”与单位名称相同。");
      if (std::find(aliases.begin(), aliases.begin() + i, alias) != aliases.begin() + i) {
        return Invalid("别名“" + alias + "”重复。");
      }
      const Unit* other = tree.FindByName(alias);
      if (other != nullptr && other->id != u->id) return Invalid("单位名称或别名“" + alias + "”已被使用。");
    }
    std::string detail = "别名：" + (u->aliases.empty() ? std::string("（无）") : JoinUnitList(u->aliases)) + " → " +
                         (aliases.empty() ? std::string("（无）") : JoinUnitList(aliases));
    u->aliases = aliases;
    return detail;
  });
}

Result<Unit> AccessStore::MoveUnit(const Principal& actor, const std::string& unit, const std::string& new_parent) {
  return impl_->ChangeUnit(actor, "unit_move", unit, [&](const UnitTree& tree, Unit* u) -> Result<std::string> {
    int64_t parent_id = 0;
    if (!new_parent.empty()) {
      const Unit* p = tree.FindByName(new_parent);
      if (p == nullptr) return Status(StatusCode::kNotFound, "没有上级单位“" + new_parent + "”。");
      std::vector<int64_t> below = tree.Subtree(u->id);
      if (std::binary_search(below.begin(), below.end(), p->id)) {
        return Invalid("不能把单位“" + u->name + "”移到它自己或它的下级单位“" + p->name + "”之下。");
      }
      if (p->disabled) return Invalid("上级单位“" + p->name + "”已停用，不能移到其下。");
      parent_id = p->id;
    }
    if (parent_id == u->parent_id) return Invalid("单位“" + u->name + "”已在该上级单位之下。");
    std::string before = u->parent_id == 0 ? std::string("（顶级）") : tree.Path(u->parent_id);
    std::string after = parent_id == 0 ? std::string("（顶级）") : tree.Path(parent_id);
    u->parent_id = parent_id;
    return "上级单位：" + before + " → " + after;
  });
}

Result<Unit> AccessStore::SetUnitDisabled(const Principal& actor, const std::string& unit, bool disabled) {
  Impl& m = *impl_;
  return m.ChangeUnit(actor, disabled ? "unit_disable" : "unit_enable", unit,
                    [&](const UnitTree&, Unit* u) -> Result<std::string> {
                      if (u->disabled == disabled) {
                        return Invalid("单位“" + u->name + (disabled ? "”已经停用。" : "”没有停用。"));
                      }
                      if (disabled) {
                        std::vector<Row> rows;
                        Status s = m.db->Execute(
                            "SELECT name FROM access_users WHERE disabled = 0 AND (unit_id = ? OR scope_unit_id = ?) "
                            "ORDER BY name",
                            {Value(u->id), Value(u->id)}, &rows);
                        if (!s.ok()) return s;
                        if (!rows.empty()) {
                          std::string names;
                          for (size_t i = 0; i < rows.size() && i < 5; ++i) {
                            names += (i == 0 ? "" : "、") + rows[i].Text(0);
                          }
                          if (rows.size() > 5) names += " 等 " + std::to_string(rows.size()) + " 个";
                          return Invalid("单位“" + u->name + "”仍是用户 " + names +
                                         " 的所属单位或管辖范围，请先调整或停用这些用户。");
                        }
                      }
                      u->disabled = disabled;
                      return std::string(disabled ? "停用" : "启用");
                    });
}

// --- Users ------------------------------------------------------------------------------

Result<std::vector<UserInfo>> AccessStore::ListUsers(const Principal& actor) {
  Impl& m = *impl_;
  if (Status s = m.Check(actor, Action::kListUsers, {}); !s.ok()) return s;
  std::vector<Row> rows;
  Status s = m.db->Execute(
      "SELECT " + UserColumns("u") +
          ", (SELECT g.locked_until FROM access_login_guard g WHERE g.login = u.name) FROM access_users u "
          "ORDER BY u.name",
      {}, &rows);
  if (!s.ok()) return s;
  auto tree = m.Units();
  if (!tree.ok()) return tree.status();
  std::vector<UserInfo> out;
  for (const Row& r : rows) {
    UserInfo info = ReadUserRow(r).info;
    info.locked_until = r.Int(12) > m.Now() ? r.Int(12) : 0;
    if (const Unit* u = tree->Find(info.unit_id)) info.unit = u->name;
    if (const Unit* u = tree->Find(info.scope_unit_id)) info.scope = u->name;
    out.push_back(std::move(info));
  }
  return out;
}

Result<std::string> AccessStore::DisplayNameOf(const std::string& name) {
  std::vector<Row> rows;
  Status s = impl_->db->Execute("SELECT display_name FROM access_users WHERE name = ?", {Value(name)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return std::string();
  return rows.front().Text(0);
}

Result<std::string> AccessStore::AddUser(const Principal& actor, const NewUser& user) {
  Impl& m = *impl_;
  const std::string object = "用户 " + user.name;
  return m.Audited(actor, "user_add", object, [&]() -> Result<std::string> {
    if (Status s = m.Check(actor, Action::kManageUsers, {{}, "", object}); !s.ok()) return s;
    if (!ValidLoginName(user.name)) {
      return Invalid("用户名“" + user.name + "”不可用：不能为空、含空白或冒号，不超过 64 字节。");
    }
    if (std::string problem = RoleSetProblem(user.roles); !problem.empty()) return Invalid(problem);
    auto policy = m.Policy();
    if (!policy.ok()) return policy.status();
    std::string password = user.password;
    const bool generated = password.empty();
    if (generated) {
      password = OneTimePassword();
    } else if (std::string problem = PasswordProblem(*policy, password, user.name); !problem.empty()) {
      return Invalid(problem);
    }
    auto tree = m.Units();
    if (!tree.ok()) return tree.status();
    int64_t unit_id = 0, scope_id = 0;
    if (!user.unit.empty()) {
      const Unit* u = tree->FindByName(user.unit);
      if (u == nullptr) return Status(StatusCode::kNotFound, "没有单位“" + user.unit + "”（先用 taizhang unit add 新增）。");
      if (u->disabled) return Invalid("单位“" + u->name + "”已停用，不能作为所属单位。");
      unit_id = u->id;
    }
    if (!user.scope.empty()) {
      const Unit* u = tree->FindByName(user.scope);
      if (u == nullptr) return Status(StatusCode::kNotFound, "没有单位“" + user.scope + "”。");
      if (u->disabled) return Invalid("单位“" + u->name + "”已停用，不能作为管辖范围。");
      scope_id = u->id;
    }
    if (HasRole(user.roles, UserRole::kReporter) && unit_id == 0) return Invalid("填报员须属于一个单位（所属单位）。");
    if ((HasRole(user.roles, UserRole::kSupervisor) || HasRole(user.roles, UserRole::kViewer)) && unit_id == 0 &&
        scope_id == 0) {
      return Invalid("督查员和查看角色须有管辖范围（所属单位或管辖范围）。");
    }
    auto hash = m.HashPassword(password);
    if (!hash.ok()) return hash.status();
    Transaction tx(m.db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    auto existing = m.FindUser(user.name);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) return Invalid("用户名“" + user.name + "”已存在。");
    auto id = m.InsertUser(user, unit_id, scope_id, *hash, actor.name);
    if (!id.ok()) return id.status();
    std::string detail = "角色：" + RoleSetLabel(user.roles);
    if (unit_id != 0) detail += "；所属单位：" + tree->Path(unit_id);
    if (scope_id != 0) detail += "；管辖范围：" + tree->Path(scope_id);
    if (s = m.Audit(actor, "user_add", object, "success", detail); !s.ok()) return s;
    if (s = tx.Commit(); !s.ok()) return s;
    return generated ? password : std::string();
  }());
}

Status AccessStore::SetRoles(const Principal& actor, const std::string& name, RoleSet roles) {
  Impl& m = *impl_;
  const std::string object = "用户 " + name;
  return m.Audited(actor, "user_roles", object, [&]() -> Status {
    if (Status s = m.Check(actor, Action::kManageUsers, {{}, "", object}); !s.ok()) return s;
    if (std::string problem = RoleSetProblem(roles); !problem.empty()) return Invalid(problem);
    Transaction tx(m.db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    auto user = m.RequireUser(name);
    if (!user.ok()) return user.status();
    if (HasRole(roles, UserRole::kReporter) && user->info.unit_id == 0) return Invalid("填报员须属于一个单位（所属单位）。");
    s = m.db->Execute("UPDATE access_users SET roles = ? WHERE id = ?", {Value(int64_t{roles}), Value(user->info.id)});
    if (!s.ok()) return s;
    s = m.Audit(actor, "user_roles", object, "success",
                "角色：" + RoleSetLabel(user->info.roles) + " → " + RoleSetLabel(roles));
    if (!s.ok()) return s;
    return tx.Commit();
  }());
}

namespace {

bool ValidDisplayName(std::string_view name) {
  if (name.empty() || name.size() > 100 || utf8::FindInvalid(name) != name.size()) return false;
  for (size_t i = 0; i < name.size();) {
    char32_t c = utf8::Next(name, &i);
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

Result<UserInfo> AccessStore::UpdateUser(const Principal& actor, const std::string& name, const UserChange& change) {
  Impl& m = *impl_;
  const std::string object = "用户 " + name;
  return m.Audited(actor, "user_update", object, [&]() -> Result<UserInfo> {
    if (Status s = m.Check(actor, Action::kManageUsers, {{}, "", object}); !s.ok()) return s;
    if (!change.display_name && !change.roles && !change.unit && !change.scope) {
      return Invalid("没有要修改的内容（角色、所属单位、管辖范围、显示名）。");
    }
    if (change.display_name && !ValidDisplayName(*change.display_name)) {
      return Invalid("显示名不可用：不能为空、含控制字符，不超过 100 字节。");
    }
    if (change.roles) {
      if (std::string problem = RoleSetProblem(*change.roles); !problem.empty()) return Invalid(problem);
    }
    Transaction tx(m.db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    auto user = m.RequireUser(name);
    if (!user.ok()) return user.status();
    auto tree = m.Units();
    if (!tree.ok()) return tree.status();
    UserInfo before = user->info;
    UserInfo after = before;
    auto resolve = [&](const std::string& unit, const char* role, int64_t* id) -> Status {
      *id = 0;
      if (unit.empty()) return Status::Ok();
      const Unit* u = tree->FindByName(unit);
      if (u == nullptr) return Status(StatusCode::kNotFound, "没有单位“" + unit + "”。");
      if (u->disabled) return Invalid("单位“" + u->name + "”已停用，不能作为" + role + "。");
      *id = u->id;
      return Status::Ok();
    };
    if (change.display_name) after.display_name = *change.display_name;
    if (change.roles) after.roles = *change.roles;
    if (change.unit) {
      if (Status r = resolve(*change.unit, "所属单位", &after.unit_id); !r.ok()) return r;
    }
    if (change.scope) {
      if (Status r = resolve(*change.scope, "管辖范围", &after.scope_unit_id); !r.ok()) return r;
    }
    if (HasRole(after.roles, UserRole::kReporter) && after.unit_id == 0) return Invalid("填报员须属于一个单位（所属单位）。");
    if ((HasRole(after.roles, UserRole::kSupervisor) || HasRole(after.roles, UserRole::kViewer)) &&
        after.unit_id == 0 && after.scope_unit_id == 0) {
      return Invalid("督查员和查看角色须有管辖范围（所属单位或管辖范围）。");
    }
    if (before.id == actor.user_id && HasRole(before.roles, UserRole::kSystemAdmin) &&
        !HasRole(after.roles, UserRole::kSystemAdmin)) {
      return Invalid("不能取消自己的系统管理员角色（请由另一位系统管理员操作）。");
    }
    s = m.db->Execute(
        "UPDATE access_users SET display_name = ?, roles = ?, unit_id = ?, scope_unit_id = ? WHERE id = ?",
        {Value(after.display_name), Value(int64_t{after.roles}), OptionalId(after.unit_id),
         OptionalId(after.scope_unit_id), Value(before.id)});
    if (!s.ok()) return s;
    std::string detail;
    auto note = [&](const std::string& label, const std::string& from, const std::string& to) {
      if (from != to) detail += (detail.empty() ? "" : "；") + label + "：" + from + " → " + to;
    };
    auto path = [&](int64_t id) { return id == 0 ? std::string("（无）") : tree->Path(id); };
    note("显示名", before.display_name, after.display_name);
    note("角色", RoleSetLabel(before.roles), RoleSetLabel(after.roles));
    note("所属单位", path(before.unit_id), path(after.unit_id));
    note("管辖范围", path(before.scope_unit_id), path(after.scope_unit_id));
    if (detail.empty()) detail = "没有变化";
    if (s = m.Audit(actor, "user_update", object, "success", detail); !s.ok()) return s;
    if (s = tx.Commit(); !s.ok()) return s;
    if (const Unit* u = tree->Find(after.unit_id)) after.unit = u->name; else after.unit.clear();
    if (const Unit* u = tree->Find(after.scope_unit_id)) after.scope = u->name; else after.scope.clear();
    return after;
  }());
}

Status AccessStore::SetDisabled(const Principal& actor, const std::string& name, bool disabled) {
  Impl& m = *impl_;
  const std::string object = "用户 " + name;
  return m.Audited(actor, disabled ? "user_disable" : "user_enable", object, [&]() -> Status {
    if (Status s = m.Check(actor, Action::kManageUsers, {{}, "", object}); !s.ok()) return s;
    Transaction tx(m.db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    auto user = m.RequireUser(name);
    if (!user.ok()) return user.status();
    if (user->info.id == actor.user_id && disabled) return Invalid("不能停用自己的账户。");
    s = m.db->Execute("UPDATE access_users SET disabled = ? WHERE id = ?",
                      {Value(int64_t{disabled ? 1 : 0}), Value(user->info.id)});
    if (!s.ok()) return s;
    if (disabled) {
      auto ended = m.EndSessions(user->info.id, 0);
      if (!ended.ok()) return ended.status();
    }
    if (s = m.Audit(actor, disabled ? "user_disable" : "user_enable", object, "success", disabled ? "停用" : "启用");
        !s.ok()) {
      return s;
    }
    return tx.Commit();
  }());
}

Result<std::string> AccessStore::ResetPassword(const Principal& actor, const std::string& name) {
  Impl& m = *impl_;
  const std::string object = "用户 " + name;
  return m.Audited(actor, "password_reset", object, [&]() -> Result<std::string> {
    if (Status s = m.Check(actor, Action::kManageUsers, {{}, "", object}); !s.ok()) return s;
    const std::string password = OneTimePassword();
    auto hash = m.HashPassword(password);
    if (!hash.ok()) return hash.status();
    Transaction tx(m.db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    auto user = m.RequireUser(name);
    if (!user.ok()) return user.status();
    if (s = m.StorePassword(user->info.id, *hash, true); !s.ok()) return s;
    auto ended = m.EndSessions(user->info.id, 0);
    if (!ended.ok()) return ended.status();
    if (s = m.Audit(actor, "password_reset", object, "success", "重置为一次性密码，下次登录须修改"); !s.ok()) return s;
    if (s = tx.Commit(); !s.ok()) return s;
    return password;
  }());
}

Status AccessStore::Unlock(const Principal& actor, const std::string& name) {
  Impl& m = *impl_;
  const std::string object = "用户 " + name;
  return m.Audited(actor, "user_unlock", object, [&]() -> Status {
    if (Status s = m.Check(actor, Action::kUnlockUser, {{}, "", object}); !s.ok()) return s;
    Transaction tx(m.db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    auto user = m.RequireUser(name);
    if (!user.ok()) return user.status();
    if (s = m.db->Execute("DELETE FROM access_login_guard WHERE login = ?", {Value(name)}); !s.ok()) return s;
    if (s = m.Audit(actor, "user_unlock", object, "success", "解除登录失败锁定"); !s.ok()) return s;
    return tx.Commit();
  }());
}

// --- Sessions ---------------------------------------------------------------------------

Result<LoginResult> AccessStore::Login(const std::string& name, const std::string& password,
                                       const std::string& address) {
  Impl& m = *impl_;
  LoginResult result;
  const int64_t now = m.Now();
  auto policy = m.Policy();
  if (!policy.ok()) return policy.status();
  const std::string object = "用户 " + name;
  const std::string lock_message = "该用户名连续登录失败次数过多，已锁定，请 " +
                                   std::to_string(policy->lockout_minutes) +
                                   " 分钟后再试，或请安全管理员解锁。";

  // Attempts from one address, counted in the store.
  auto hit = Hit("login-address:" + address, m.options.login_attempts_per_address, m.options.login_window_seconds);
  if (!hit.ok()) return hit.status();
  if (!hit->allowed) {
    result.outcome = LoginResult::kThrottled;
    result.message = "登录尝试过于频繁，请 " + std::to_string((hit->retry_after + 59) / 60) + " 分钟后再试。";
    if (Status s = m.Audit(name, address, "login", object, "failure", "来自该地址的尝试过于频繁"); !s.ok()) return s;
    return result;
  }

  // A login name (known or not) locked by its failures.
  std::vector<Row> rows;
  Status s = m.db->Execute("SELECT locked_until FROM access_login_guard WHERE login = ?", {Value(name)}, &rows);
  if (!s.ok()) return s;
  if (!rows.empty() && rows[0].Int(0) > now) {
    result.outcome = LoginResult::kLocked;
    result.message = lock_message;
    if (s = m.Audit(name, address, "login", object, "failure", "用户名已锁定"); !s.ok()) return s;
    return result;
  }

  auto found = m.FindUser(name);
  if (!found.ok()) return found.status();
  const UserRow* user = found->has_value() ? &**found : nullptr;
  // As long for an unknown name as for a known one: one Argon2id check each.
  const bool matches = m.VerifyPassword(user ? user->password_hash : m.DummyHash(), password);
  if (!matches || user == nullptr || user->info.disabled) {
    Transaction tx(m.db);
    if (s = tx.Begin(); !s.ok()) return s;
    rows.clear();
    s = m.db->Execute(
        "INSERT INTO access_login_guard (login, failures, locked_until) VALUES (?, 1, 0) "
        "ON CONFLICT (login) DO UPDATE SET failures = access_login_guard.failures + 1 RETURNING failures",
        {Value(name)}, &rows);
    if (!s.ok()) return s;
    const bool lock = !rows.empty() && rows[0].Int(0) >= policy->max_failures;
    if (lock) {
      s = m.db->Execute("UPDATE access_login_guard SET failures = 0, locked_until = ? WHERE login = ?",
                        {Value(now + int64_t{policy->lockout_minutes} * 60), Value(name)});
      if (!s.ok()) return s;
    }
    std::string why = user == nullptr ? "用户名不存在" : user->info.disabled ? "账户已停用" : "密码错误";
    if (lock) why += "；连续失败 " + std::to_string(policy->max_failures) + " 次，锁定";
    if (s = m.Audit(name, address, "login", object, "failure", why); !s.ok()) return s;
    if (s = tx.Commit(); !s.ok()) return s;
    result.outcome = lock ? LoginResult::kLocked : LoginResult::kRefused;
    result.message = lock ? lock_message : kRefusedLogin;
    return result;
  }

  // A hash of an older cost is made again at this store's.
  std::optional<std::string> rehash;
  if (crypto_pwhash_str_needs_rehash(user->password_hash.c_str(), m.ops, m.memory) != 0) {
    auto made = m.HashPassword(password);
    if (made.ok()) rehash = *made;
  }
  const std::string token = NewToken();
  Transaction tx(m.db);
  if (s = tx.Begin(); !s.ok()) return s;
  if (s = m.db->Execute("DELETE FROM access_login_guard WHERE login = ?", {Value(name)}); !s.ok()) return s;
  if (rehash) {
    s = m.db->Execute("UPDATE access_users SET password_hash = ? WHERE id = ?", {Value(*rehash), Value(user->info.id)});
    if (!s.ok()) return s;
  }
  rows.clear();
  s = m.db->Execute(
      "INSERT INTO access_sessions (token_hash, user_id, created_at, last_seen_at, address) VALUES (?, ?, ?, ?, ?) "
      "RETURNING id",
      {Value(TokenHash(token)), Value(user->info.id), Value(now), Value(now), Value(address)}, &rows);
  if (!s.ok()) return s;
  auto tree = m.Units();
  if (!tree.ok()) return tree.status();
  result.principal = m.PrincipalOf(user->info, *tree, *policy);
  result.principal.session_id = rows.empty() ? 0 : rows[0].Int(0);
  result.principal.address = address;
  std::string detail = "登录成功";
  if (result.principal.must_change_password) {
    detail += m.PasswordExpired(user->info, *policy) ? "；密码已过期，须修改" : "；初始密码，须修改";
  }
  if (s = m.Audit(name, address, "login", object, "success", detail); !s.ok()) return s;
  if (s = tx.Commit(); !s.ok()) return s;
  result.outcome = LoginResult::kSuccess;
  result.token = token;
  result.csrf_token = CsrfTokenFor(token);
  return result;
}

Result<SessionCheck> AccessStore::Authenticate(const std::string& token, const std::string& address) {
  Impl& m = *impl_;
  SessionCheck check;
  check.message = "请先登录。";
  const std::string hash = TokenHash(token);
  if (hash.empty()) return check;
  std::vector<Row> rows;
  Status s = m.db->Execute("SELECT s.id, s.created_at, s.last_seen_at, " + UserColumns("u") +
                               " FROM access_sessions s JOIN access_users u ON u.id = s.user_id "
                               "WHERE s.token_hash = ?",
                           {Value(hash)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return check;
  const int64_t session_id = rows[0].Int(0);
  const int64_t created = rows[0].Int(1);
  const int64_t last_seen = rows[0].Int(2);
  const UserRow user = ReadUserRow(rows[0], 3);
  auto policy = m.Policy();
  if (!policy.ok()) return policy.status();
  const int64_t now = m.Now();
  std::string ended;
  if (user.info.disabled) {
    ended = "账户已停用。";
  } else if (now - last_seen > m.IdleSeconds(*policy)) {
    const int64_t idle = m.IdleSeconds(*policy);
    ended = "登录已超时（" + (idle % 60 == 0 ? std::to_string(idle / 60) + " 分钟" : std::to_string(idle) + " 秒") +
            "无操作），请重新登录。";
  } else if (now - created > int64_t{policy->session_absolute_hours} * 3600) {
    ended = "登录已超过 " + std::to_string(policy->session_absolute_hours) + " 小时，请重新登录。";
  }
  if (!ended.empty()) {
    Transaction tx(m.db);
    if (s = tx.Begin(); !s.ok()) return s;
    if (s = m.db->Execute("DELETE FROM access_sessions WHERE id = ?", {Value(session_id)}); !s.ok()) return s;
    if (s = m.Audit(user.info.name, address, "session_end", "用户 " + user.info.name, "success", ended); !s.ok()) {
      return s;
    }
    if (s = tx.Commit(); !s.ok()) return s;
    check.message = ended;
    return check;
  }
  // The idle clock restarts; written at most every 10 seconds (more often
  // under a shorter idle timeout, so that use keeps the session).
  if (now - last_seen >= std::min<int64_t>(10, std::max<int64_t>(1, m.IdleSeconds(*policy) / 2))) {
    s = m.db->Execute("UPDATE access_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
                      {Value(now), Value(session_id), Value(now)});
    if (!s.ok()) return s;
  }
  auto tree = m.Units();
  if (!tree.ok()) return tree.status();
  Principal p = m.PrincipalOf(user.info, *tree, *policy);
  p.session_id = session_id;
  p.address = address;
  check.principal = std::move(p);
  check.message.clear();
  return check;
}

std::string AccessStore::CsrfTokenFor(const std::string& token) {
  auto bytes = TokenBytes(token);
  if (!bytes) return "";
  static constexpr std::string_view kContext = "taizhang csrf v1";
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(kContext.data()), kContext.size(),
                     bytes->data(), bytes->size());
  return Base64Url(out, sizeof out);
}

bool AccessStore::CheckCsrf(const std::string& token, const std::string& csrf_token) {
  const std::string expected = CsrfTokenFor(token);
  if (expected.empty() || csrf_token.size() != expected.size()) return false;
  return sodium_memcmp(expected.data(), csrf_token.data(), expected.size()) == 0;
}

Status AccessStore::Logout(const std::string& token, const std::string& address) {
  Impl& m = *impl_;
  const std::string hash = TokenHash(token);
  if (hash.empty()) return Status::Ok();
  Transaction tx(m.db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = m.db->Execute(
      "SELECT s.id, u.name FROM access_sessions s JOIN access_users u ON u.id = s.user_id WHERE s.token_hash = ?",
      {Value(hash)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return Status::Ok();
  const std::string name = rows[0].Text(1);
  if (s = m.db->Execute("DELETE FROM access_sessions WHERE id = ?", {Value(rows[0].Int(0))}); !s.ok()) return s;
  if (s = m.Audit(name, address, "logout", "用户 " + name, "success", "退出登录"); !s.ok()) return s;
  return tx.Commit();
}

Result<int64_t> AccessStore::LogoutEverywhere(const Principal& principal) {
  Impl& m = *impl_;
  if (Status s = m.Check(principal, Action::kLogout, {{}, "", "用户 " + principal.name}); !s.ok()) return s;
  Transaction tx(m.db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  auto ended = m.EndSessions(principal.user_id, 0);
  if (!ended.ok()) return ended.status();
  s = m.Audit(principal, "logout_everywhere", "用户 " + principal.name, "success",
              "退出全部登录（" + std::to_string(*ended) + " 个会话）");
  if (!s.ok()) return s;
  if (s = tx.Commit(); !s.ok()) return s;
  return *ended;
}

Status AccessStore::ChangePassword(const Principal& principal, const std::string& old_password,
                                   const std::string& new_password) {
  Impl& m = *impl_;
  const std::string object = "用户 " + principal.name;
  if (Status s = m.Check(principal, Action::kChangeOwnPassword, {{}, "", object}); !s.ok()) return s;
  auto user = m.RequireUser(principal.name);
  if (!user.ok()) return user.status();
  if (!m.VerifyPassword(user->password_hash, old_password)) {
    Status s = m.Audit(principal, "password_change", object, "failure", "原密码不正确");
    if (!s.ok()) return s;
    return Invalid("原密码不正确。");
  }
  auto policy = m.Policy();
  if (!policy.ok()) return policy.status();
  if (std::string problem = PasswordProblem(*policy, new_password, principal.name); !problem.empty()) {
    return Invalid(problem);
  }
  auto used = m.InHistory(user->info.id, new_password, std::max(policy->history, 1));
  if (!used.ok()) return used.status();
  if (*used) {
    return Invalid(policy->history > 1 ? "新密码不能与最近 " + std::to_string(policy->history) + " 次使用过的密码相同。"
                                       : "新密码不能与原密码相同。");
  }
  auto hash = m.HashPassword(new_password);
  if (!hash.ok()) return hash.status();
  Transaction tx(m.db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  if (s = m.StorePassword(user->info.id, *hash, false); !s.ok()) return s;
  auto ended = m.EndSessions(user->info.id, principal.session_id);
  if (!ended.ok()) return ended.status();
  s = m.Audit(principal, "password_change", object, "success",
              "修改密码；结束其他 " + std::to_string(*ended) + " 个会话");
  if (!s.ok()) return s;
  return tx.Commit();
}

// --- Policy ---------------------------------------------------------------------------------

Result<SecurityPolicy> AccessStore::Policy() { return impl_->Policy(); }

Status AccessStore::SetPolicy(const Principal& actor, const SecurityPolicy& policy) {
  Impl& m = *impl_;
  const std::string object = "安全策略";
  return m.Audited(actor, "policy_set", object, [&]() -> Status {
    if (Status s = m.Check(actor, Action::kSecurityPolicy, {{}, "", object}); !s.ok()) return s;
    if (std::string problem = PolicyProblem(policy); !problem.empty()) return Invalid(problem);
    Transaction tx(m.db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    std::string detail;
    for (const PolicyField& f : kPolicyFields) {
      s = m.db->Execute(
          "INSERT INTO access_policy (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
          {Value(std::string(f.name)), Value(int64_t{policy.*(f.field)})});
      if (!s.ok()) return s;
      detail += (detail.empty() ? "" : "，") + std::string(f.name) + "=" + std::to_string(policy.*(f.field));
    }
    if (s = m.Audit(actor, "policy_set", "安全策略", "success", detail); !s.ok()) return s;
    return tx.Commit();
  }());
}

// --- Authorisation with the store -------------------------------------------------------------

Result<Decision> AccessStore::Require(const Principal& principal, Action action, const Resource& resource) {
  Decision d = Authorize(principal, action, resource);
  if (!d.allowed) {
    Status s = impl_->Audit(principal, "refused", resource.object, "refused",
                            std::string(ActionName(action)) + "：" + d.reason);
    if (!s.ok()) return s;
  }
  return d;
}

Result<Resource> AccessStore::ItemResource(const LedgerItem& item) {
  auto tree = impl_->Units();
  if (!tree.ok()) return tree.status();
  Resource r;
  r.units = tree->ItemUnits(item);
  r.submitted_by = item.submitted_by;
  r.object = "事项 " + std::to_string(item.id);
  return r;
}

Result<std::vector<LedgerItem>> AccessStore::VisibleItems(const Principal& principal, std::vector<LedgerItem> items) {
  auto tree = impl_->Units();
  if (!tree.ok()) return tree.status();
  Resource r;
  std::vector<LedgerItem> out;
  for (LedgerItem& item : items) {
    r.units = tree->ItemUnits(item);
    if (Authorize(principal, Action::kReadItem, r).allowed) out.push_back(std::move(item));
  }
  return out;
}

// --- Audit log ---------------------------------------------------------------------------------

Status AccessStore::Record(const Principal& actor, const std::string& action, const std::string& object,
                           const std::string& outcome, const std::string& detail) {
  return impl_->Audit(actor, action, object, outcome, detail);
}

// --- Calendar links ---------------------------------------------------------------

namespace {

constexpr int64_t kMaxCalendarLinks = 20;

// The answer when the audit row of a change cannot be written in the
// change's transaction (rolled back with it): the server's failure, in
// Chinese — not the store's words (a file path, a trigger), which could
// also read as the user's mistake (SQLite: a constraint, 422).
Status AuditFailed(const std::string& what, const Status&) {
  return Status(StatusCode::kInternal, "审计日志写不进去，" + what + "，请稍后再试或联系管理员。");
}

Status CalendarOwnerOnly(const Principal& owner) {
  if (owner.user_id <= 0) return Invalid("日历链接属于登录的用户，命令行请用 taizhang remind calendar 写出 .ics 文件。");
  return Status::Ok();
}

}  // namespace

Result<CalendarLink> AccessStore::CreateCalendarLink(const Principal& owner, const std::string& name) {
  Impl& m = *impl_;
  if (Status s = CalendarOwnerOnly(owner); !s.ok()) return s;
  if (name.empty() || name.size() > 100 || utf8::FindInvalid(name) != name.size()) {
    return Invalid("日历链接的名称应为 1 到 100 字节的文字。");
  }
  for (size_t i = 0; i < name.size();) {
    char32_t c = utf8::Next(name, &i);
    if (c < 0x20 || c == 0x7f) return Invalid("日历链接的名称不能含控制字符。");
  }
  Transaction tx(m.db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = m.db->Execute("SELECT COUNT(*) FROM calendar_links WHERE user_id = ?", {Value(owner.user_id)}, &rows);
  if (!s.ok()) return s;
  if (!rows.empty() && rows[0].Int(0) >= kMaxCalendarLinks) {
    return Invalid("每人最多 " + std::to_string(kMaxCalendarLinks) + " 个日历链接，请先撤销不用的。");
  }
  CalendarLink link;
  link.name = name;
  link.token = NewToken();
  link.created_at = FormatUtc(m.Now());
  rows.clear();
  s = m.db->Execute(
      "INSERT INTO calendar_links (user_id, token_hash, name, created_at, last_used_at) VALUES (?, ?, ?, ?, '') "
      "RETURNING id",
      {Value(owner.user_id), Value(TokenHash(link.token)), Value(name), Value(link.created_at)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return Status(StatusCode::kInternal, "新增日历链接没有返回编号。");
  link.id = rows[0].Int(0);
  s = m.Audit(owner, "calendar_link_add", "日历链接 " + std::to_string(link.id), "success", "新建日历链接“" + name + "”");
  if (!s.ok()) return AuditFailed("日历链接没有新建", s);
  if (s = tx.Commit(); !s.ok()) return s;
  return link;
}

Result<std::vector<CalendarLink>> AccessStore::CalendarLinks(const Principal& owner) {
  if (Status s = CalendarOwnerOnly(owner); !s.ok()) return s;
  std::vector<Row> rows;
  Status s = impl_->db->Execute(
      "SELECT id, name, created_at, last_used_at FROM calendar_links WHERE user_id = ? ORDER BY id DESC",
      {Value(owner.user_id)}, &rows);
  if (!s.ok()) return s;
  std::vector<CalendarLink> out;
  for (const Row& r : rows) {
    CalendarLink link;
    link.id = r.Int(0);
    link.name = r.Text(1);
    link.created_at = r.Text(2);
    link.last_used_at = r.Text(3);
    out.push_back(std::move(link));
  }
  return out;
}

Status AccessStore::RevokeCalendarLink(const Principal& owner, int64_t id) {
  Impl& m = *impl_;
  if (Status s = CalendarOwnerOnly(owner); !s.ok()) return s;
  Transaction tx(m.db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = m.db->Execute("DELETE FROM calendar_links WHERE id = ? AND user_id = ? RETURNING name",
                    {Value(id), Value(owner.user_id)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return Status(StatusCode::kNotFound, "没有编号为 " + std::to_string(id) + " 的日历链接。");
  s = m.Audit(owner, "calendar_link_revoke", "日历链接 " + std::to_string(id), "success",
              "撤销日历链接“" + rows[0].Text(0) + "”");
  if (!s.ok()) return AuditFailed("日历链接没有撤销", s);
  return tx.Commit();
}

Result<std::optional<Principal>> AccessStore::CalendarPrincipal(const std::string& token, const std::string& address) {
  Impl& m = *impl_;
  const std::string hash = TokenHash(token);
  if (hash.empty()) return std::optional<Principal>();
  std::vector<Row> rows;
  Status s = m.db->Execute("SELECT c.id, c.last_used_at, " + UserColumns("u") +
                               " FROM calendar_links c JOIN access_users u ON u.id = c.user_id WHERE c.token_hash = ?",
                           {Value(hash)}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return std::optional<Principal>();
  const int64_t link_id = rows[0].Int(0);
  const std::string last_used = rows[0].Text(1);
  const UserRow user = ReadUserRow(rows[0], 2);
  if (user.info.disabled) return std::optional<Principal>();
  // When it was last fetched, written at most once a minute (calendars poll).
  const std::string now = FormatUtc(m.Now());
  if (last_used.substr(0, 16) != now.substr(0, 16)) {
    s = m.db->Execute("UPDATE calendar_links SET last_used_at = ? WHERE id = ?", {Value(now), Value(link_id)});
    if (!s.ok()) return s;
  }
  auto policy = m.Policy();
  if (!policy.ok()) return policy.status();
  auto tree = m.Units();
  if (!tree.ok()) return tree.status();
  Principal p = m.PrincipalOf(user.info, *tree, *policy);
  p.address = address;
  return std::optional<Principal>(std::move(p));
}

namespace {

Status ReadAuditRows(Database* db, const AuditQuery& q, std::vector<AuditEntry>* out) {
  std::string sql = "SELECT id, at, actor, address, action, object, outcome, detail FROM audit_log WHERE 1 = 1";
  std::vector<Value> params;
  if (!q.from.empty()) {
    sql += " AND at >= ?";
    params.emplace_back(q.from);
  }
  if (!q.to.empty()) {
    sql += " AND at < ?";
    params.emplace_back(q.to);
  }
  if (!q.actor.empty()) {
    sql += " AND actor = ?";
    params.emplace_back(q.actor);
  }
  if (!q.action.empty()) {
    sql += " AND action = ?";
    params.emplace_back(q.action);
  }
  if (!q.outcome.empty()) {
    sql += " AND outcome = ?";
    params.emplace_back(q.outcome);
  }
  sql += " ORDER BY id";
  if (q.limit > 0 || q.offset > 0) {
    sql += " LIMIT ? OFFSET ?";
    params.emplace_back(q.limit > 0 ? q.limit : int64_t{1} << 62);
    params.emplace_back(std::max<int64_t>(q.offset, 0));
  }
  std::vector<Row> rows;
  Status s = db->Execute(sql, params, &rows);
  if (!s.ok()) return s;
  for (const Row& r : rows) {
    out->push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)});
  }
  return Status::Ok();
}

std::string QueryText(const AuditQuery& q) {
  std::string out;
  auto add = [&](const char* label, const std::string& v) {
    if (!v.empty()) out += (out.empty() ? "" : "，") + std::string(label) + v;
  };
  add("自 ", q.from);
  add("至 ", q.to);
  add("用户 ", q.actor);
  add("操作 ", q.action);
  add("结果 ", q.outcome);
  return out.empty() ? "全部" : out;
}

}  // namespace

Result<std::vector<AuditEntry>> AccessStore::ReadAudit(const Principal& actor, const AuditQuery& query) {
  Impl& m = *impl_;
  if (Status s = m.Check(actor, Action::kReadAuditLog, {{}, "", "审计日志"}); !s.ok()) return s;
  std::vector<AuditEntry> out;
  if (Status s = ReadAuditRows(m.db, query, &out); !s.ok()) return s;
  if (Status s = m.Audit(actor, "audit_read", "审计日志", "success", QueryText(query)); !s.ok()) return s;
  return out;
}

Status AccessStore::ExportAuditXlsx(const Principal& actor, const AuditQuery& query, const std::string& path) {
  Impl& m = *impl_;
  if (Status s = m.Check(actor, Action::kExportAuditLog, {{}, "", "审计日志"}); !s.ok()) return s;
  std::vector<AuditEntry> rows;
  AuditQuery all = query;
  all.limit = 0;
  all.offset = 0;
  if (Status s = ReadAuditRows(m.db, all, &rows); !s.ok()) return s;
  Status written = WriteXlsxFile(path, "审计日志", [&](lxw_workbook* workbook) -> Status {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, "审计日志");
    if (sheet == nullptr) return Status(StatusCode::kInternal, "无法新建工作表。");
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);
    static constexpr std::pair<const char*, double> kColumns[] = {{"编号", 8},  {"时间", 22}, {"用户", 16},
                                                                  {"地址", 16}, {"操作", 16}, {"对象", 24},
                                                                  {"结果", 10}, {"说明", 60}};
    for (lxw_col_t c = 0; c < 8; ++c) {
      worksheet_set_column(sheet, c, c, kColumns[c].second, nullptr);
      worksheet_write_string(sheet, 0, c, kColumns[c].first, bold);
    }
    worksheet_freeze_panes(sheet, 1, 0);
    lxw_row_t r = 1;
    for (const AuditEntry& e : rows) {
      worksheet_write_number(sheet, r, 0, static_cast<double>(e.id), nullptr);
      const std::string* cells[] = {&e.at, &e.actor, &e.address, &e.action, &e.object, &e.outcome, &e.detail};
      for (lxw_col_t c = 1; c < 8; ++c) {
        // Strings, never formulas: a cell starting with '=' stays text.
        if (!cells[c - 1]->empty()) worksheet_write_string(sheet, r, c, cells[c - 1]->c_str(), nullptr);
      }
      ++r;
    }
    return Status::Ok();
  });
  if (!written.ok()) {
    (void)m.Audit(actor, "audit_export", "审计日志", "failure", written.message());
    return written;
  }
  return m.Audit(actor, "audit_export", "审计日志", "success",
                 QueryText(query) + "；" + std::to_string(rows.size()) + " 条；Excel");
}

Result<std::string> AccessStore::ExportAudit(const Principal& actor, const AuditQuery& query) {
  Impl& m = *impl_;
  if (Status s = m.Check(actor, Action::kExportAuditLog, {{}, "", "审计日志"}); !s.ok()) return s;
  std::vector<AuditEntry> rows;
  AuditQuery all = query;
  all.limit = 0;
  all.offset = 0;
  if (Status s = ReadAuditRows(m.db, all, &rows); !s.ok()) return s;
  std::string csv = "\xEF\xBB\xBF编号,时间,用户,地址,操作,对象,结果,说明\r\n";
  for (const AuditEntry& e : rows) {
    csv += std::to_string(e.id) + "," + CsvCell(e.at) + "," + CsvCell(e.actor) + "," + CsvCell(e.address) + "," +
           CsvCell(e.action) + "," + CsvCell(e.object) + "," + CsvCell(e.outcome) + "," + CsvCell(e.detail) + "\r\n";
  }
  Status s = m.Audit(actor, "audit_export", "审计日志", "success",
                     QueryText(query) + "；" + std::to_string(rows.size()) + " 条");
  if (!s.ok()) return s;
  return csv;
}

Result<int64_t> AccessStore::PurgeAudit(const Principal& actor) {
  Impl& m = *impl_;
  if (Status s = m.Check(actor, Action::kPurgeAuditLog, {{}, "", "审计日志"}); !s.ok()) return s;
  auto policy = m.Policy();
  if (!policy.ok()) return policy.status();
  const int days = std::max(policy->audit_retention_days, 180);
  const std::string cutoff = FormatUtc(m.Now() - int64_t{days} * 86400);
  Transaction tx(m.db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = m.db->Execute("DELETE FROM audit_log WHERE at < ? RETURNING id", {Value(cutoff)}, &rows);
  if (!s.ok()) return s;
  const int64_t purged = static_cast<int64_t>(rows.size());
  s = m.Audit(actor, "audit_purge", "审计日志", "success",
              "删除 " + cutoff + " 以前（保存期限 " + std::to_string(days) + " 天）的 " + std::to_string(purged) + " 条");
  if (!s.ok()) return s;
  if (s = tx.Commit(); !s.ok()) return s;
  return purged;
}

// --- Rate counters -------------------------------------------------------------------------------

Result<RateDecision> AccessStore::Hit(const std::string& key, int64_t limit, int64_t window_seconds) {
  Impl& m = *impl_;
  const int64_t now = m.Now();
  const int64_t stale = now - window_seconds;
  std::vector<Row> rows;
  Status s = m.db->Execute(
      "INSERT INTO access_rate_counters (counter_key, window_start, hits) VALUES (?, ?, 1) "
      "ON CONFLICT (counter_key) DO UPDATE SET "
      "hits = CASE WHEN access_rate_counters.window_start <= ? THEN 1 ELSE access_rate_counters.hits + 1 END, "
      "window_start = CASE WHEN access_rate_counters.window_start <= ? THEN ? ELSE access_rate_counters.window_start "
      "END RETURNING hits, window_start",
      {Value(key), Value(now), Value(stale), Value(stale), Value(now)}, &rows);
  if (!s.ok()) return s;
  RateDecision d;
  if (rows.empty()) return d;
  d.hits = rows[0].Int(0);
  d.allowed = d.hits <= limit;
  if (!d.allowed) d.retry_after = std::max<int64_t>(1, rows[0].Int(1) + window_seconds - now);
  return d;
}

Result<int64_t> AccessStore::Sweep(int64_t longest_window_seconds) {
  Impl& m = *impl_;
  auto policy = m.Policy();
  if (!policy.ok()) return policy.status();
  const int64_t now = m.Now();
  int64_t removed = 0;
  const std::pair<const char*, std::vector<Value>> sweeps[] = {
      {"DELETE FROM access_sessions WHERE last_seen_at < ? OR created_at < ? RETURNING id",
       {Value(now - m.IdleSeconds(*policy)),
        Value(now - int64_t{policy->session_absolute_hours} * 3600)}},
      {"DELETE FROM access_rate_counters WHERE window_start < ? RETURNING hits", {Value(now - longest_window_seconds)}},
      {"DELETE FROM access_login_guard WHERE failures = 0 AND locked_until <= ? RETURNING failures", {Value(now)}},
  };
  for (const auto& [sql, params] : sweeps) {
    std::vector<Row> rows;
    Status s = m.db->Execute(sql, params, &rows);
    if (!s.ok()) return s;
    removed += static_cast<int64_t>(rows.size());
  }
  return removed;
}

}  // namespace taizhang
