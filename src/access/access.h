// Stage — access (账户与安全): who may do what with the ledger. Units as a
// tree (县 → 部门/乡镇 → 科室) linked to the ledger's 责任单位 names; users with
// roles and a scope (a unit subtree); ONE authorisation function deciding
// every action (`Authorize`), from which the list filter is derived;
// passwords (Argon2id, libsodium), the security policy, lockout after
// repeated failures, sessions with CSRF tokens, rate-limit counters and the
// append-only audit log. Everything lives in the ledger's database (schema
// version 7), so that two server processes on one PostgreSQL act as one.
//
//   auto ledger = taizhang::LedgerStore::Open("taizhang.db", "server");
//   auto access = taizhang::AccessStore::Open(ledger->get());          // same connection
//   auto first = (*access)->EnsureSystemAdministrator();              // one-time password, once
//   auto login = (*access)->Login("zhangsan", password, "10.0.0.8");  // token + CSRF token
//   auto session = (*access)->Authenticate(cookie_token, address);    // each request
//   if (!(*access)->Require(*session->principal, Action::kCloseOff, (*access)->ItemResource(item)))
//     …403…
//
// Messages for users are in Chinese. Login failures say the same thing, in
// about the same time, whether the account exists or not. Time comes from a
// Clock, so that tests move it instead of sleeping.
#ifndef TAIZHANG_ACCESS_ACCESS_H_
#define TAIZHANG_ACCESS_ACCESS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ledger/ledger.h"

namespace taizhang {

// --- Time -----------------------------------------------------------------------

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t Now() const = 0;  // Unix seconds (UTC)
};

class SystemClock final : public Clock {
 public:
  int64_t Now() const override;
};

// A clock tests set and move.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now) : now_(now) {}
  int64_t Now() const override { return now_.load(); }
  void Set(int64_t now) { now_.store(now); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

// 1714550400 → "2024-05-01T08:00:00Z" (how the audit log writes times).
std::string FormatUtc(int64_t seconds);

// --- Roles and actions ----------------------------------------------------------

// A user holds a set of roles (bits). The three administrators are apart
// (三员分立): no account holds two of them — the store refuses it, and the
// database's CHECK too.
enum class UserRole : uint32_t {
  kSystemAdmin = 1,    // 系统管理员: accounts and units, backup
  kSecurityAdmin = 2,  // 安全管理员: security policy, unlocking accounts
  kAuditAdmin = 4,     // 审计管理员: reads, exports and purges the audit log, nothing else
  kSupervisor = 8,     // 督查员: creates, assigns, reviews, closes off; sees everything in its scope
  kReporter = 16,      // 填报员: progress and rectification of its own unit only
  kViewer = 32,        // 查看: read-only over its scope (leaders)
};
using RoleSet = uint32_t;
inline RoleSet RoleBit(UserRole role) { return static_cast<RoleSet>(role); }
inline bool HasRole(RoleSet roles, UserRole role) { return (roles & RoleBit(role)) != 0; }
const std::vector<UserRole>& AllRoles();
const char* RoleLabel(UserRole role);  // 系统管理员 …
const char* RoleName(UserRole role);   // "system_admin" "security_admin" "audit_admin" "supervisor" "reporter" "viewer"
std::optional<UserRole> ParseRole(std::string_view text);  // the label or the name
std::string RoleSetLabel(RoleSet roles);               // "督查员、填报员"; "（无）"
// Why `roles` cannot be an account's ("" when they can): none at all, an
// unknown bit, or two of the three administrators.
std::string RoleSetProblem(RoleSet roles);

// Everything a front end lets anyone do, each decided by Authorize.
enum class Action : uint8_t {
  // The ledger (scoped by unit).
  kListItems,            // 查看事项列表 (the list is then filtered by kReadItem)
  kReadItem,             // 查看事项详情、进展、历史
  kCreateItem,           // 新增事项
  kUpdateItem,           // 修改事项
  kReportProgress,       // 填报进展
  kSubmitRectification,  // 提交整改（待销号）
  kCloseOff,             // 销号 (not by the submitter)
  kReviewProposals,      // 确认、驳回、合并、拆分、分派待确认事项
  kUploadReport,         // 上传报告（导入）
  kReadReport,           // 查看报告、校核结果
  kReadRates,            // 查看整改率、完成率、统计
  kCompare,              // 对标对表
  kExportLedger,         // 导出 Excel 台账
  kImportLedger,         // 导入 Excel 台账
  // Administration (not scoped).
  kListUnits,            // 查看单位
  kManageUnits,          // 管理单位
  kListUsers,            // 查看用户
  kManageUsers,          // 管理用户（新增、角色、停用、重置密码）
  kSecurityPolicy,       // 设置安全策略
  kUnlockUser,           // 解锁账户
  kReadAuditLog,         // 查看审计日志
  kExportAuditLog,       // 导出审计日志
  kPurgeAuditLog,        // 清理超过保存期限的审计日志
  kBackup,               // 备份数据库
  // Reminders (催办).
  kManageReminderChannels,  // 管理催办渠道（钉钉、企业微信、邮件、回调及其密钥）: the system administrator's
  kManageReminderRules,     // 管理催办规则 (scoped: a rule's unit within the scope; all units: a scope over a root)
  // One's own account.
  kReadOwnAccount,       // 查看本人账户
  kChangeOwnPassword,    // 修改本人密码
  kLogout,               // 退出登录（含所有设备）
};
const std::vector<Action>& AllActions();
const char* ActionName(Action action);   // "list_items" … (the audit log, JSON)
const char* ActionLabel(Action action);  // 查看事项列表 …

// Who acts: a logged-in user (Authenticate fills it), or the command line
// (Console).
struct Principal {
  int64_t user_id = 0;  // 0: nobody logged in; -1: the command line
  std::string name;     // login name (命令行：the operating system's user)
  std::string display_name;
  RoleSet roles = 0;
  int64_t unit_id = 0;        // 所属单位, 0 none
  int64_t scope_unit_id = 0;  // 管辖范围: the root of a unit subtree, 0 none
  std::vector<int64_t> scope_units;  // that subtree's unit ids, sorted
  bool must_change_password = false;  // everything but one's own account refused until changed
  int64_t session_id = 0;
  std::string address;  // where the request came from (the audit log)
};

// The command line as a principal holding `roles` (the operator of the
// machine, who can open the database anyway); `os_user` names it in the
// audit log as 命令行:os_user.
Principal ConsolePrincipal(RoleSet roles, const std::string& os_user);

// What an action acts on.
struct Resource {
  // The units the object belongs to: an item's 责任单位 and 牵头单位 resolved
  // on the unit tree (UnitTree::ItemUnits). Empty: the principal's whole
  // scope (a list, rates, an upload or export not narrowed to a unit), or an
  // object of no unit (users, policy, audit log, backup).
  std::vector<int64_t> units;
  std::string submitted_by;  // kCloseOff: who submitted the rectification
  std::string object;        // how the audit log names it ("事项 12"), "" none
};

struct Decision {
  bool allowed = false;
  std::string reason;  // Chinese, when refused
  explicit operator bool() const { return allowed; }
};

// THE authorisation function: every action of every front end is decided
// here, and only here. Pure (no store, no clock); docs/accounts.md has the
// table it implements.
Decision Authorize(const Principal& principal, Action action, const Resource& resource);

// --- Units ------------------------------------------------------------------------

struct Unit {
  int64_t id = 0;
  std::string name;  // as the ledger's 责任单位 writes it (县水利局)
  int64_t parent_id = 0;  // 0: a root (the county)
  std::vector<std::string> aliases;  // other 责任单位 names of the same unit
  // 已停用: kept in the tree (items and accounts already there still
  // resolve to it), but no new account, scope or child unit may name it.
  bool disabled = false;
};

class UnitTree {
 public:
  UnitTree() = default;
  explicit UnitTree(std::vector<Unit> units);
  const std::vector<Unit>& units() const { return units_; }
  const Unit* Find(int64_t id) const;
  const Unit* FindByName(std::string_view name) const;  // name or alias
  // `root` and every unit below it, sorted; empty for an unknown root.
  std::vector<int64_t> Subtree(int64_t root) const;
  // "县 / 县水利局 / 办公室".
  std::string Path(int64_t id) const;
  // The unit a 责任单位 name of the ledger stands for: the unit of that name
  // or alias, or of the same name once a government's suffix is taken off
  // (UnitMatches both ways: 某县 and 某县人民政府); else the unit whose name or
  // alias is the longest start of it (县水利局 for 县水利局水政监察大队); 0 none.
  int64_t Resolve(std::string_view ledger_name) const;
  // The units an item belongs to: each name of its 责任单位 (ParseUnitList)
  // and its 牵头单位, resolved; when none resolves, the roots (so that only a
  // scope over a whole tree sees it).
  std::vector<int64_t> ItemUnits(const LedgerItem& item) const;
  std::vector<int64_t> NameUnits(std::string_view unit_text) const;

 private:
  std::vector<Unit> units_;
};

// --- Policy -----------------------------------------------------------------------

// Set by the security administrator; kept in the store.
struct SecurityPolicy {
  int min_length = 8;        // characters (code points)
  int min_classes = 3;       // of upper-case letters, lower-case letters, digits, others
  int history = 5;           // a new password differs from the last N (the current one included)
  int expiry_days = 90;      // a password older than this must be changed; 0 never
  int max_failures = 5;      // failed logins of one login name before it is locked
  int lockout_minutes = 15;
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  int audit_retention_days = 180;  // ≥ 180
};
// "" when the policy is acceptable, else why not (Chinese).
std::string PolicyProblem(const SecurityPolicy& policy);
// "" when `password` meets the policy for the account `login`, else why not.
std::string PasswordProblem(const SecurityPolicy& policy, std::string_view password, std::string_view login);

// --- The store ----------------------------------------------------------------------

struct AccessOptions {
  const Clock* clock = nullptr;  // nullptr: the system clock
  // Argon2id cost (crypto_pwhash_str_alg); 0: libsodium's interactive
  // limits (2 passes, 64 MiB). Tests lower them.
  uint64_t hash_ops = 0;
  size_t hash_memory = 0;
  // Login attempts from one address within a window (the store's counters).
  int64_t login_attempts_per_address = 30;
  int64_t login_window_seconds = 15 * 60;
  // > 0: sessions end after this many idle seconds when that is shorter
  // than the policy's session_idle_minutes (taizhang serve
  // --session-idle-timeout; the browser tests use a few seconds).
  int64_t session_idle_seconds = 0;
};

struct UserInfo {
  int64_t id = 0;
  std::string name;
  std::string display_name;
  RoleSet roles = 0;
  int64_t unit_id = 0;
  int64_t scope_unit_id = 0;
  std::string unit;   // the unit's name, "" none
  std::string scope;  // the scope's root name, "" none
  bool must_change_password = false;
  bool disabled = false;
  int64_t locked_until = 0;  // Unix seconds; past or 0: not locked
  int64_t password_set_at = 0;
  std::string created_at;
  std::string created_by;
};

struct NewUser {
  std::string name;  // login name: 1–64 bytes, no blanks or control characters
  std::string display_name;
  RoleSet roles = 0;
  std::string unit;   // 所属单位 (name or alias), "" none (administrators)
  std::string scope;  // 管辖范围 root, "" the unit itself
  std::string password;  // "" generates a one-time password
};

// A change of an account (UpdateUser): each field given (not nullopt) is
// set, the others kept. unit/scope "" clears it.
struct UserChange {
  std::optional<std::string> display_name;  // 1–100 bytes, no control characters
  std::optional<RoleSet> roles;
  std::optional<std::string> unit;
  std::optional<std::string> scope;
};

struct LoginResult {
  enum Outcome { kSuccess, kRefused, kLocked, kThrottled } outcome = kRefused;
  std::string message;  // Chinese, when not kSuccess: the same for unknown login names
  std::string token;       // the session's token (43 characters, base64url): the cookie
  std::string csrf_token;  // bound to the session (CsrfTokenFor): sent back on every change
  Principal principal;
};

// A session looked up by its token.
struct SessionCheck {
  std::optional<Principal> principal;  // nullopt: not logged in (expired, ended, unknown)
  std::string message;                 // why not, Chinese
};

struct AuditEntry {
  int64_t id = 0;
  std::string at;       // ISO 8601 UTC
  std::string actor;    // login name, "" unknown
  std::string address;
  std::string action;   // login logout refused user_add …
  std::string object;   // 用户 zhangsan, 事项 12 …
  std::string outcome;  // success failure refused
  std::string detail;   // Chinese
};

struct AuditQuery {
  std::string from;   // ISO time or day, inclusive; "" open
  std::string to;     // exclusive; "" open
  std::string actor;  // "" any
  std::string action; // "" any
  std::string outcome;  // success failure refused; "" any
  int64_t offset = 0;   // rows skipped (by id), for paging
  int64_t limit = 1000; // 0: all
};

// A secret link to the calendar feed of deadlines (schema version 14): the
// token is shown once, when it is made, and kept only as its hash.
struct CalendarLink {
  int64_t id = 0;
  std::string name;          // what the owner calls it (办公电脑 Outlook), 1–100 bytes
  std::string created_at;    // ISO 8601 UTC
  std::string last_used_at;  // ISO 8601 UTC, "" never fetched
  std::string token;         // only from CreateCalendarLink: 43 characters, base64url
};

struct RateDecision {
  bool allowed = true;
  int64_t hits = 0;         // in the current window, this one included
  int64_t retry_after = 0;  // seconds until the window ends, when refused
};

// Not thread-safe, like the LedgerStore it uses: one per thread.
class AccessStore {
 public:
  // Over `ledger`'s connection (whose migrations made the tables); the
  // ledger store must outlive this one.
  static Result<std::unique_ptr<AccessStore>> Open(LedgerStore* ledger, const AccessOptions& options = {});
  ~AccessStore();

  const Clock& clock() const { return *clock_; }

  // First start: when no account exists, creates the system administrator
  // `name` with a one-time password and returns it (print it once; a change
  // is forced at first login); nullopt when accounts exist.
  Result<std::optional<std::string>> EnsureSystemAdministrator(const std::string& name = "admin");

  // Units (kListUnits / kManageUnits).
  Result<UnitTree> Units();
  Result<Unit> AddUnit(const Principal& actor, const std::string& name, const std::string& parent,
                       const std::vector<std::string>& aliases);
  // The tree's other changes, each one transaction with its audit row;
  // `unit` is a unit's name or alias. A new name (or alias) must be free;
  // a move must not put a unit under itself or its own subtree ("" moves
  // it to the top) nor under a disabled unit; a unit is disabled only when
  // no enabled account has it as its unit or scope (kInvalidArgument naming
  // them), and its subtree stays as it is. kNotFound for a unit not held.
  Result<Unit> RenameUnit(const Principal& actor, const std::string& unit, const std::string& new_name);
  Result<Unit> SetUnitAliases(const Principal& actor, const std::string& unit, const std::vector<std::string>& aliases);
  Result<Unit> MoveUnit(const Principal& actor, const std::string& unit, const std::string& new_parent);
  Result<Unit> SetUnitDisabled(const Principal& actor, const std::string& unit, bool disabled);

  // Users (kListUsers / kManageUsers / kUnlockUser). Each change is one
  // transaction with its audit row. Returns the one-time password when
  // none was given.
  Result<std::vector<UserInfo>> ListUsers(const Principal& actor);
  // The display name (姓名) of account `name` for messages that name who
  // did something (a change's author); "" when it has none or there is no
  // such account (the login name is then what to show).
  Result<std::string> DisplayNameOf(const std::string& name);
  Result<std::string> AddUser(const Principal& actor, const NewUser& user);
  Status SetRoles(const Principal& actor, const std::string& name, RoleSet roles);
  // Roles, unit, scope and display name at once, checked as AddUser checks
  // them (三员分立, a reporter's unit, a supervisor's or viewer's scope, no
  // disabled unit); one transaction with one audit row saying before → after.
  // An account cannot take away its own 系统管理员 role. Returns the account.
  Result<UserInfo> UpdateUser(const Principal& actor, const std::string& name, const UserChange& change);
  Status SetDisabled(const Principal& actor, const std::string& name, bool disabled);  // ends its sessions
  Result<std::string> ResetPassword(const Principal& actor, const std::string& name);   // one-time; ends sessions
  Status Unlock(const Principal& actor, const std::string& name);

  // Sessions. Login never says whether the account exists; after
  // max_failures failures of a login name (known or not) it is locked for
  // lockout_minutes; a password past its expiry, or one-time, comes back
  // with must_change_password.
  Result<LoginResult> Login(const std::string& name, const std::string& password, const std::string& address);
  // The principal of a session token (the cookie), with its scope; ends a
  // session idle or older than the policy allows.
  Result<SessionCheck> Authenticate(const std::string& token, const std::string& address);
  // Whether `csrf_token` is the one bound to the session `token` (constant
  // time).
  static bool CheckCsrf(const std::string& token, const std::string& csrf_token);
  static std::string CsrfTokenFor(const std::string& token);
  Status Logout(const std::string& token, const std::string& address);
  // Ends every session of the principal's account; how many.
  Result<int64_t> LogoutEverywhere(const Principal& principal);
  // The principal's own password; ends its other sessions.
  Status ChangePassword(const Principal& principal, const std::string& old_password,
                        const std::string& new_password);

  // The policy (kSecurityPolicy to set).
  Result<SecurityPolicy> Policy();
  Status SetPolicy(const Principal& actor, const SecurityPolicy& policy);

  // Authorize, and a refusal written to the audit log.
  Result<Decision> Require(const Principal& principal, Action action, const Resource& resource);
  // The resource of a ledger item (its units on the current tree, its
  // submitter, "事项 N").
  Result<Resource> ItemResource(const LedgerItem& item);
  // The list filter: of `items`, those Authorize lets `principal` read
  // (kReadItem) — a list never shows what the detail would refuse.
  Result<std::vector<LedgerItem>> VisibleItems(const Principal& principal, std::vector<LedgerItem> items);

  // The audit log. Record appends a row (a change the front end made, a
  // refusal …); reading, exporting (CSV, UTF-8 with BOM) and purging rows
  // older than the retention are the audit administrator's, and are
  // themselves recorded.
  Status Record(const Principal& actor, const std::string& action, const std::string& object,
                const std::string& outcome, const std::string& detail);
  Result<std::vector<AuditEntry>> ReadAudit(const Principal& actor, const AuditQuery& query);
  Result<std::string> ExportAudit(const Principal& actor, const AuditQuery& query);
  // The same rows as an Excel workbook written to `path` (all or nothing):
  // one sheet 审计日志, a header row, the times as the log writes them.
  Status ExportAuditXlsx(const Principal& actor, const AuditQuery& query, const std::string& path);
  Result<int64_t> PurgeAudit(const Principal& actor);

  // Calendar links of one's own (a logged-in user, user_id > 0): made,
  // listed (newest first), revoked (deleted); making and revoking are
  // audited. At most 20 per user (kInvalidArgument beyond). Revoking a link
  // that is not the owner's, or none: kNotFound.
  Result<CalendarLink> CreateCalendarLink(const Principal& owner, const std::string& name);
  Result<std::vector<CalendarLink>> CalendarLinks(const Principal& owner);
  Status RevokeCalendarLink(const Principal& owner, int64_t id);
  // The owner of the link of `token` as a principal of its account as it is
  // now (roles, scope, password expiry): nullopt for a token no link has, or
  // a disabled account. Records when it was used.
  Result<std::optional<Principal>> CalendarPrincipal(const std::string& token, const std::string& address);

  // A counter in the store: one hit on `key`, refused beyond `limit` hits
  // within `window_seconds` (fixed windows). Shared by every process on the
  // database.
  Result<RateDecision> Hit(const std::string& key, int64_t limit, int64_t window_seconds);

  // Housekeeping a server runs now and then: sessions past the policy's idle
  // or absolute timeout, rate counters whose window began more than
  // `longest_window_seconds` ago, and login guards neither locked nor
  // counting failures are removed. Returns how many rows.
  Result<int64_t> Sweep(int64_t longest_window_seconds = 86400);

 private:
  AccessStore(LedgerStore* ledger, const AccessOptions& options);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  const Clock* clock_ = nullptr;
};

}  // namespace taizhang

#endif  // TAIZHANG_ACCESS_ACCESS_H_
