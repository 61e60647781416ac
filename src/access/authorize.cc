// Roles, actions, THE authorisation function, the unit tree and the
// password policy: everything of access/ that needs no store.
#include <algorithm>
#include <ctime>

#include "access/access.h"
#include "common/utf8.h"

namespace taizhang {

// --- Time ---------------------------------------------------------------------------

std::string FormatUtc(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// --- Roles --------------------------------------------------------------------------

namespace {

struct RoleInfo {
  UserRole role;
  const char* label;
  const char* name;
};

constexpr RoleInfo kRoles[] = {
    {UserRole::kSystemAdmin, "系统管理员", "system_admin"},   {UserRole::kSecurityAdmin, "安全管理员", "security_admin"},
    {UserRole::kAuditAdmin, "审计管理员", "audit_admin"},     {UserRole::kSupervisor, "督查员", "supervisor"},
    {UserRole::kReporter, "填报员", "reporter"},              {UserRole::kViewer, "查看", "viewer"},
};

constexpr RoleSet kAdminRoles = 1 | 2 | 4;
constexpr RoleSet kAllRoleBits = 63;

const RoleInfo* InfoOf(UserRole role) {
  for (const RoleInfo& info : kRoles) {
    if (info.role == role) return &info;
  }
  return nullptr;
}

}  // namespace

const std::vector<UserRole>& AllRoles() {
  static const std::vector<UserRole> roles = [] {
    std::vector<UserRole> out;
    for (const RoleInfo& info : kRoles) out.push_back(info.role);
    return out;
  }();
  return roles;
}

const char* RoleLabel(UserRole role) {
  const RoleInfo* info = InfoOf(role);
  return info ? info->label : "";
}

const char* RoleName(UserRole role) {
  const RoleInfo* info = InfoOf(role);
  return info ? info->name : "";
}

std::optional<UserRole> ParseRole(std::string_view text) {
  for (const RoleInfo& info : kRoles) {
    if (text == info.label || text == info.name) return info.role;
  }
  if (text == "查看员") return UserRole::kViewer;
  return std::nullopt;
}

std::string RoleSetLabel(RoleSet roles) {
  std::string out;
  for (const RoleInfo& info : kRoles) {
    if (!HasRole(roles, info.role)) continue;
    if (!out.empty()) out += "、";
    out += info.label;
  }
  return out.empty() ? "（无）" : out;
}

std::string RoleSetProblem(RoleSet roles) {
  if (roles == 0) return "没有给出角色。";
  if ((roles & ~kAllRoleBits) != 0) return "角色不认识。";
  const RoleSet admins = roles & kAdminRoles;
  if ((admins & (admins - 1)) != 0) {
    return "系统管理员、安全管理员、审计管理员三者分立，同一账户不能兼任其中两个（此处为" + RoleSetLabel(admins) +
           "）。";
  }
  return "";
}

// --- Actions ------------------------------------------------------------------------

namespace {

struct ActionInfo {
  Action action;
  const char* name;
  const char* label;
};

constexpr ActionInfo kActions[] = {
    {Action::kListItems, "list_items", "查看事项列表"},
    {Action::kReadItem, "read_item", "查看事项详情"},
    {Action::kCreateItem, "create_item", "新增事项"},
    {Action::kUpdateItem, "update_item", "修改事项"},
    {Action::kReportProgress, "report_progress", "填报进展"},
    {Action::kSubmitRectification, "submit_rectification", "提交整改"},
    {Action::kCloseOff, "close_off", "销号"},
    {Action::kReviewProposals, "review_proposals", "确认待确认事项"},
    {Action::kUploadReport, "upload_report", "上传报告"},
    {Action::kReadReport, "read_report", "查看报告"},
    {Action::kReadRates, "read_rates", "查看统计"},
    {Action::kCompare, "compare", "对标对表"},
    {Action::kExportLedger, "export_ledger", "导出台账"},
    {Action::kImportLedger, "import_ledger", "导入台账"},
    {Action::kListUnits, "list_units", "查看单位"},
    {Action::kManageUnits, "manage_units", "管理单位"},
    {Action::kListUsers, "list_users", "查看用户"},
    {Action::kManageUsers, "manage_users", "管理用户"},
    {Action::kSecurityPolicy, "security_policy", "设置安全策略"},
    {Action::kUnlockUser, "unlock_user", "解锁账户"},
    {Action::kReadAuditLog, "read_audit_log", "查看审计日志"},
    {Action::kExportAuditLog, "export_audit_log", "导出审计日志"},
    {Action::kPurgeAuditLog, "purge_audit_log", "清理审计日志"},
    {Action::kBackup, "backup", "备份数据库"},
    {Action::kManageReminderChannels, "manage_reminder_channels", "管理催办渠道"},
    {Action::kManageReminderRules, "manage_reminder_rules", "管理催办规则"},
    {Action::kReadOwnAccount, "read_own_account", "查看本人账户"},
    {Action::kChangeOwnPassword, "change_own_password", "修改本人密码"},
    {Action::kLogout, "logout", "退出登录"},
};

const ActionInfo& ActionInfoOf(Action action) {
  for (const ActionInfo& info : kActions) {
    if (info.action == action) return info;
  }
  return kActions[0];
}

// How an action is decided: which roles may, and how the resource's units
// must lie for each of them.
enum class Reach : uint8_t {
  kNone,       // this role may not
  kAnywhere,   // not scoped (administration; one's own account)
  kScope,      // the resource's units meet the principal's scope subtree
  kOwnUnit,    // the resource's units include the principal's own unit
};

struct Permission {
  Action action;
  // System, security, audit administrators; supervisor; reporter; viewer.
  Reach system, security, audit, supervisor, reporter, viewer;
};

constexpr Reach N = Reach::kNone, A = Reach::kAnywhere, S = Reach::kScope, O = Reach::kOwnUnit;

// THE table (docs/accounts.md shows it). The administrators never touch the
// ledger's content (三员分立: running the system is apart from its business).
constexpr Permission kPermissions[] = {
    //                                 sys sec aud sup rep view
    {Action::kListItems,               N,  N,  N,  S,  O,  S},
    {Action::kReadItem,                N,  N,  N,  S,  O,  S},
    {Action::kCreateItem,              N,  N,  N,  S,  N,  N},
    {Action::kUpdateItem,              N,  N,  N,  S,  N,  N},
    {Action::kReportProgress,          N,  N,  N,  N,  O,  N},
    {Action::kSubmitRectification,     N,  N,  N,  N,  O,  N},
    {Action::kCloseOff,                N,  N,  N,  S,  N,  N},
    {Action::kReviewProposals,         N,  N,  N,  S,  N,  N},
    {Action::kUploadReport,            N,  N,  N,  S,  O,  N},
    {Action::kReadReport,              N,  N,  N,  S,  O,  S},
    {Action::kReadRates,               N,  N,  N,  S,  O,  S},
    {Action::kCompare,                 N,  N,  N,  S,  O,  S},
    {Action::kExportLedger,            N,  N,  N,  S,  O,  S},
    {Action::kImportLedger,            N,  N,  N,  S,  N,  N},
    {Action::kListUnits,               A,  A,  A,  A,  A,  A},
    {Action::kManageUnits,             A,  N,  N,  N,  N,  N},
    {Action::kListUsers,               A,  A,  N,  N,  N,  N},
    {Action::kManageUsers,             A,  N,  N,  N,  N,  N},
    {Action::kSecurityPolicy,          N,  A,  N,  N,  N,  N},
    {Action::kUnlockUser,              N,  A,  N,  N,  N,  N},
    {Action::kReadAuditLog,            N,  N,  A,  N,  N,  N},
    {Action::kExportAuditLog,          N,  N,  A,  N,  N,  N},
    {Action::kPurgeAuditLog,           N,  N,  A,  N,  N,  N},
    {Action::kBackup,                  A,  N,  N,  N,  N,  N},
    {Action::kManageReminderChannels,  A,  N,  N,  N,  N,  N},
    {Action::kManageReminderRules,     N,  N,  N,  S,  N,  N},
    {Action::kReadOwnAccount,          A,  A,  A,  A,  A,  A},
    {Action::kChangeOwnPassword,       A,  A,  A,  A,  A,  A},
    {Action::kLogout,                  A,  A,  A,  A,  A,  A},
};

const Permission* PermissionOf(Action action) {
  for (const Permission& rule : kPermissions) {
    if (rule.action == action) return &rule;
  }
  return nullptr;
}

bool Meets(const std::vector<int64_t>& sorted_scope, const std::vector<int64_t>& units) {
  for (int64_t unit : units) {
    if (std::binary_search(sorted_scope.begin(), sorted_scope.end(), unit)) return true;
  }
  return false;
}

// Whether `reach` lets `principal` act on `resource`.
bool Reaches(Reach reach, const Principal& principal, const Resource& resource) {
  switch (reach) {
    case Reach::kNone:
      return false;
    case Reach::kAnywhere:
      return true;
    case Reach::kScope:
      if (principal.scope_units.empty()) return false;
      return resource.units.empty() || Meets(principal.scope_units, resource.units);
    case Reach::kOwnUnit:
      if (principal.unit_id == 0) return false;
      return resource.units.empty() ||
             std::find(resource.units.begin(), resource.units.end(), principal.unit_id) != resource.units.end();
  }
  return false;
}

bool OwnAccountAction(Action action) {
  return action == Action::kReadOwnAccount || action == Action::kChangeOwnPassword || action == Action::kLogout;
}

}  // namespace

const std::vector<Action>& AllActions() {
  static const std::vector<Action> actions = [] {
    std::vector<Action> out;
    for (const ActionInfo& info : kActions) out.push_back(info.action);
    return out;
  }();
  return actions;
}

const char* ActionName(Action action) { return ActionInfoOf(action).name; }
const char* ActionLabel(Action action) { return ActionInfoOf(action).label; }

Principal ConsolePrincipal(RoleSet roles, const std::string& os_user) {
  Principal p;
  p.user_id = -1;
  p.name = "命令行:" + os_user;
  p.display_name = p.name;
  p.roles = roles;
  p.address = "本机";
  return p;
}

Decision Authorize(const Principal& principal, Action action, const Resource& resource) {
  Decision refused;
  refused.allowed = false;
  if (principal.user_id == 0) {
    refused.reason = "请先登录。";
    return refused;
  }
  if (principal.must_change_password && !OwnAccountAction(action)) {
    refused.reason = "请先修改密码（初始密码或已过期的密码），再进行其他操作。";
    return refused;
  }
  const Permission* rule = PermissionOf(action);
  if (rule == nullptr) {
    refused.reason = "未知的操作。";
    return refused;
  }
  const std::pair<UserRole, Reach> reaches[] = {
      {UserRole::kSystemAdmin, rule->system},  {UserRole::kSecurityAdmin, rule->security},
      {UserRole::kAuditAdmin, rule->audit},    {UserRole::kSupervisor, rule->supervisor},
      {UserRole::kReporter, rule->reporter},   {UserRole::kViewer, rule->viewer},
  };
  bool any_role = false;  // the principal holds a role that may do it somewhere
  for (const auto& [role, reach] : reaches) {
    if (!HasRole(principal.roles, role) || reach == Reach::kNone) continue;
    any_role = true;
    if (!Reaches(reach, principal, resource)) continue;
    // 销号 is a second person's check of the rectification.
    if (action == Action::kCloseOff && !resource.submitted_by.empty() && resource.submitted_by == principal.name) {
      refused.reason = "整改由您本人提交，销号须由另一位督查员核实。";
      return refused;
    }
    return Decision{true, ""};
  }
  std::string what = ActionLabel(action);
  refused.reason = any_role ? "无权对管辖范围以外的单位" + what + "。"
                            : "您的角色（" + RoleSetLabel(principal.roles) + "）无权" + what + "。";
  return refused;
}

// --- Units --------------------------------------------------------------------------

UnitTree::UnitTree(std::vector<Unit> units) : units_(std::move(units)) {
  std::sort(units_.begin(), units_.end(), [](const Unit& a, const Unit& b) { return a.id < b.id; });
}

const Unit* UnitTree::Find(int64_t id) const {
  auto it = std::lower_bound(units_.begin(), units_.end(), id, [](const Unit& u, int64_t v) { return u.id < v; });
  return it != units_.end() && it->id == id ? &*it : nullptr;
}

const Unit* UnitTree::FindByName(std::string_view name) const {
  for (const Unit& unit : units_) {
    if (unit.name == name) return &unit;
  }
  for (const Unit& unit : units_) {
    for (const std::string& alias : unit.aliases) {
      if (alias == name) return &unit;
    }
  }
  return nullptr;
}

std::vector<int64_t> UnitTree::Subtree(int64_t root) const {
  std::vector<int64_t> out;
  if (Find(root) == nullptr) return out;
  out.push_back(root);
  for (size_t i = 0; i < out.size(); ++i) {
    for (const Unit& unit : units_) {
      if (unit.parent_id == out[i]) out.push_back(unit.id);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string UnitTree::Path(int64_t id) const {
  std::vector<const Unit*> chain;
  for (const Unit* unit = Find(id); unit != nullptr && chain.size() < 64; unit = Find(unit->parent_id)) {
    chain.push_back(unit);
  }
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!out.empty()) out += " / ";
    out += (*it)->name;
  }
  return out;
}

int64_t UnitTree::Resolve(std::string_view ledger_name) const {
  if (ledger_name.empty()) return 0;
  if (const Unit* unit = FindByName(ledger_name)) return unit->id;
  auto same = [&](std::string_view name) {
    return UnitMatches(name, ledger_name) && UnitMatches(ledger_name, name);
  };
  for (const Unit& unit : units_) {
    if (same(unit.name)) return unit.id;
    for (const std::string& alias : unit.aliases) {
      if (same(alias)) return unit.id;
    }
  }
  int64_t best = 0;
  size_t best_length = 0;
  auto consider = [&](const Unit& unit, const std::string& name) {
    if (name.size() > best_length && ledger_name.size() > name.size() &&
        ledger_name.substr(0, name.size()) == name) {
      best = unit.id;
      best_length = name.size();
    }
  };
  for (const Unit& unit : units_) {
    consider(unit, unit.name);
    for (const std::string& alias : unit.aliases) consider(unit, alias);
  }
  return best;
}

std::vector<int64_t> UnitTree::NameUnits(std::string_view unit_text) const {
  std::vector<int64_t> out;
  for (const std::string& name : ParseUnitList(unit_text)) {
    int64_t id = Resolve(name);
    if (id != 0 && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

std::vector<int64_t> UnitTree::ItemUnits(const LedgerItem& item) const {
  std::vector<int64_t> out = NameUnits(item.unit);
  int64_t lead = Resolve(item.lead_unit);
  if (lead != 0 && std::find(out.begin(), out.end(), lead) == out.end()) out.push_back(lead);
  if (out.empty()) {
    for (const Unit& unit : units_) {
      if (unit.parent_id == 0) out.push_back(unit.id);
    }
  }
  return out;
}

// --- Policy -------------------------------------------------------------------------

std::string PolicyProblem(const SecurityPolicy& p) {
  if (p.min_length < 8 || p.min_length > 128) return "密码最短长度应在 8 到 128 之间。";
  if (p.min_classes < 1 || p.min_classes > 4) return "密码字符种类应在 1 到 4 之间（大写字母、小写字母、数字、其他字符）。";
  if (p.history < 0 || p.history > 24) return "密码历史应在 0 到 24 之间。";
  if (p.expiry_days < 0 || p.expiry_days > 3650) return "密码有效期应在 0（不过期）到 3650 天之间。";
  if (p.max_failures < 1 || p.max_failures > 100) return "锁定前允许的失败次数应在 1 到 100 之间。";
  if (p.lockout_minutes < 1 || p.lockout_minutes > 24 * 60) return "锁定时长应在 1 到 1440 分钟之间。";
  if (p.session_idle_minutes < 1 || p.session_idle_minutes > 24 * 60) return "会话空闲超时应在 1 到 1440 分钟之间。";
  if (p.session_absolute_hours < 1 || p.session_absolute_hours > 7 * 24) return "会话最长时长应在 1 到 168 小时之间。";
  if (p.session_idle_minutes > p.session_absolute_hours * 60) return "会话空闲超时不能长于会话最长时长。";
  if (p.audit_retention_days < 180 || p.audit_retention_days > 36500) return "审计日志保存期限不能少于 180 天。";
  return "";
}

std::string PasswordProblem(const SecurityPolicy& policy, std::string_view password, std::string_view login) {
  if (utf8::FindInvalid(password) != password.size()) return "密码不是有效的 UTF-8 文字。";
  int length = 0;
  bool upper = false, lower = false, digit = false, other = false;
  for (size_t i = 0; i < password.size();) {
    char32_t c = utf8::Next(password, &i);
    ++length;
    if (c < 0x20 || c == 0x7f) return "密码不能含控制字符。";
    if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  if (length < policy.min_length) return "密码至少要有 " + std::to_string(policy.min_length) + " 个字符。";
  if (password.size() > 1024) return "密码太长（不能超过 1024 字节）。";
  const int classes = upper + lower + digit + other;
  if (classes < policy.min_classes) {
    return "密码须包含大写字母、小写字母、数字、其他字符中的至少 " + std::to_string(policy.min_classes) + " 种。";
  }
  if (!login.empty() && password.find(login) != std::string_view::npos) return "密码不能包含用户名。";
  return "";
}

}  // namespace taizhang
