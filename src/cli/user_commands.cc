// The account commands: thin glue over access/access.h.
#include "cli/user_commands.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "access/access.h"
#include "cli/cli_common.h"
#include "cli/cli_messages.h"
#include "ledger/ledger.h"

namespace taizhang::cli {

namespace {

std::string Database() {
  if (const char* v = std::getenv("TAIZHANG_DB"); v != nullptr && *v != '\0') return v;
  return "taizhang.db";
}

int Fail(const Status& status) {
  std::cerr << "taizhang：" << status.message() << "\n";
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kPermissionDenied:
      return kExitUsage;
    default:
      return kExitStore;
  }
}

std::string OneTimeNotice(const std::string& name, const std::string& password) {
  return "用户 " + name + " 的一次性密码：" + password + "\n（只显示这一次；首次登录后须修改。）\n";
}

}  // namespace

struct UserCommands::State {
  std::string db = Database();
  CLI::App* user_cmd = nullptr;
  CLI::App* add_cmd = nullptr;
  CLI::App* list_cmd = nullptr;
  CLI::App* passwd_cmd = nullptr;
  CLI::App* unlock_cmd = nullptr;
  CLI::App* disable_cmd = nullptr;
  CLI::App* enable_cmd = nullptr;
  CLI::App* unit_cmd = nullptr;
  CLI::App* unit_add_cmd = nullptr;
  CLI::App* unit_list_cmd = nullptr;
  std::string name;
  std::string display_name;
  std::vector<std::string> roles;
  std::string unit;
  std::string scope;
  std::string parent;
  std::vector<std::string> aliases;
};

UserCommands::UserCommands(CLI::App* app) : state_(std::make_unique<State>()) {
  State& s = *state_;
  const std::string db_help = "数据库：SQLite 文件路径（默认 taizhang.db 或 $TAIZHANG_DB）或 postgresql://… 地址";
  s.user_cmd = app->add_subcommand("user", "账户：新增、列出、重置密码、解锁（见 docs/accounts.md）");
  s.user_cmd->require_subcommand(1);
  s.add_cmd = s.user_cmd->add_subcommand("add", "新增用户，打印一次性密码（首次登录须修改）");
  s.add_cmd->add_option("name", s.name, "登录名")->required();
  s.add_cmd->add_option("--role", s.roles,
                        "角色，可重复：系统管理员、安全管理员、审计管理员（三者不能兼任）、督查员、填报员、查看")
      ->required();
  s.add_cmd->add_option("--unit", s.unit, "所属单位（先用 taizhang unit add 新增）");
  s.add_cmd->add_option("--scope", s.scope, "管辖范围：该单位及其下级单位（默认所属单位）");
  s.add_cmd->add_option("--display-name", s.display_name, "姓名（默认同登录名）");
  s.add_cmd->footer(Examples({
      {"taizhang user add zhangsan --role 督查员 --unit 县委督查室 --scope 某县", "新增督查员，管辖全县"},
      {"taizhang user add lisi --role 填报员 --unit 县水利局", "新增县水利局的填报员"},
  }));
  s.list_cmd = s.user_cmd->add_subcommand("list", "列出用户：角色、单位、管辖范围、是否锁定或停用");
  s.passwd_cmd = s.user_cmd->add_subcommand("passwd", "重置用户密码为一次性密码（结束其全部登录，下次登录须修改）");
  s.passwd_cmd->add_option("name", s.name, "登录名")->required();
  s.unlock_cmd = s.user_cmd->add_subcommand("unlock", "解除连续登录失败造成的锁定（安全管理员的操作）");
  s.unlock_cmd->add_option("name", s.name, "登录名")->required();
  s.disable_cmd = s.user_cmd->add_subcommand("disable", "停用用户（结束其全部登录）");
  s.disable_cmd->add_option("name", s.name, "登录名")->required();
  s.enable_cmd = s.user_cmd->add_subcommand("enable", "重新启用用户");
  s.enable_cmd->add_option("name", s.name, "登录名")->required();
  for (CLI::App* cmd : {s.add_cmd, s.list_cmd, s.passwd_cmd, s.unlock_cmd, s.disable_cmd, s.enable_cmd}) {
    cmd->add_option("--db", s.db, db_help);
  }

  s.unit_cmd = app->add_subcommand("unit", "单位：县 → 部门/乡镇 → 科室，与台账的责任单位对应");
  s.unit_cmd->require_subcommand(1);
  s.unit_add_cmd = s.unit_cmd->add_subcommand("add", "新增单位");
  s.unit_add_cmd->add_option("name", s.name, "单位名称（与台账“责任单位”的写法相同）")->required();
  s.unit_add_cmd->add_option("--parent", s.parent, "上级单位（不写则为顶级单位，如县）");
  s.unit_add_cmd->add_option("--alias", s.aliases, "台账中该单位的其他写法，可重复");
  s.unit_add_cmd->add_option("--db", s.db, db_help);
  s.unit_add_cmd->footer(Examples({
      {"taizhang unit add 某县", "顶级单位"},
      {"taizhang unit add 县水利局 --parent 某县 --alias 某县水利局", "下级单位及其在台账中的另一种写法"},
  }));
  s.unit_list_cmd = s.unit_cmd->add_subcommand("list", "以树的形式列出单位");
  s.unit_list_cmd->add_option("--db", s.db, db_help);
}

UserCommands::~UserCommands() = default;

bool UserCommands::Chosen() const { return *state_->user_cmd || *state_->unit_cmd; }

int UserCommands::Run() {
  State& s = *state_;
  auto ledger = LedgerStore::Open(s.db, "命令行:" + OperatingSystemUser());
  if (!ledger.ok()) return Fail(ledger.status());
  auto opened = AccessStore::Open(ledger->get());
  if (!opened.ok()) return Fail(opened.status());
  AccessStore& access = **opened;
  const Principal admin = ConsolePrincipal(RoleBit(UserRole::kSystemAdmin), OperatingSystemUser());

  if (*s.add_cmd) {
    NewUser user;
    user.name = s.name;
    user.display_name = s.display_name;
    user.unit = s.unit;
    user.scope = s.scope;
    for (const std::string& text : s.roles) {
      for (const std::string& part : ParseUnitList(text)) {  // 督查员、填报员 as one value too
        std::optional<UserRole> role = ParseRole(part);
        if (!role) {
          std::cerr << "taizhang：不认识的角色“" << part
                    << "”：应为 系统管理员、安全管理员、审计管理员、督查员、填报员 或 查看。\n";
          return kExitUsage;
        }
        user.roles |= RoleBit(*role);
      }
    }
    auto password = access.AddUser(admin, user);
    if (!password.ok()) return Fail(password.status());
    std::cout << "已新增用户 " << user.name << "（" << RoleSetLabel(user.roles) << "）。\n"
              << OneTimeNotice(user.name, *password);
    return kExitOk;
  }
  if (*s.list_cmd) {
    auto users = access.ListUsers(admin);
    if (!users.ok()) return Fail(users.status());
    if (users->empty()) {
      std::cout << "还没有用户（taizhang user add 新增，或首次启动服务时自动创建系统管理员）。\n";
      return kExitOk;
    }
    std::cout << "登录名\t姓名\t角色\t所属单位\t管辖范围\t状态\n";
    for (const UserInfo& u : *users) {
      std::string state = u.disabled ? "已停用" : u.locked_until > 0 ? "已锁定至 " + FormatUtc(u.locked_until) : "正常";
      if (u.must_change_password && !u.disabled) state += "（须修改密码）";
      std::cout << u.name << "\t" << u.display_name << "\t" << RoleSetLabel(u.roles) << "\t"
                << (u.unit.empty() ? "—" : u.unit) << "\t" << (u.scope.empty() ? (u.unit.empty() ? "—" : u.unit) : u.scope)
                << "\t" << state << "\n";
    }
    return kExitOk;
  }
  if (*s.passwd_cmd) {
    auto password = access.ResetPassword(admin, s.name);
    if (!password.ok()) return Fail(password.status());
    std::cout << "已重置用户 " << s.name << " 的密码，其全部登录已结束。\n" << OneTimeNotice(s.name, *password);
    return kExitOk;
  }
  if (*s.unlock_cmd) {
    Status st = access.Unlock(ConsolePrincipal(RoleBit(UserRole::kSecurityAdmin), OperatingSystemUser()), s.name);
    if (!st.ok()) return Fail(st);
    std::cout << "已解锁用户 " << s.name << "。\n";
    return kExitOk;
  }
  if (*s.disable_cmd || *s.enable_cmd) {
    const bool disable = static_cast<bool>(*s.disable_cmd);
    Status st = access.SetDisabled(admin, s.name, disable);
    if (!st.ok()) return Fail(st);
    std::cout << (disable ? "已停用用户 " : "已启用用户 ") << s.name << "。\n";
    return kExitOk;
  }
  if (*s.unit_add_cmd) {
    auto unit = access.AddUnit(admin, s.name, s.parent, s.aliases);
    if (!unit.ok()) return Fail(unit.status());
    auto tree = access.Units();
    std::cout << "已新增单位 " << (tree.ok() ? tree->Path(unit->id) : unit->name) << "。\n";
    return kExitOk;
  }
  if (*s.unit_list_cmd) {
    auto tree = access.Units();
    if (!tree.ok()) return Fail(tree.status());
    if (tree->units().empty()) {
      std::cout << "还没有单位（taizhang unit add 新增）。\n";
      return kExitOk;
    }
    // Depth first from each root.
    std::vector<std::pair<int64_t, int>> stack;
    for (auto it = tree->units().rbegin(); it != tree->units().rend(); ++it) {
      if (it->parent_id == 0) stack.push_back({it->id, 0});
    }
    while (!stack.empty()) {
      auto [id, depth] = stack.back();
      stack.pop_back();
      const Unit* unit = tree->Find(id);
      if (unit == nullptr || depth > 32) continue;
      std::cout << std::string(depth * 2, ' ') << unit->name;
      if (!unit->aliases.empty()) std::cout << "（又作 " << JoinUnitList(unit->aliases) << "）";
      std::cout << "\n";
      for (auto it = tree->units().rbegin(); it != tree->units().rend(); ++it) {
        if (it->parent_id == id) stack.push_back({it->id, depth + 1});
      }
    }
    return kExitOk;
  }
  return kExitUsage;
}

}  // namespace taizhang::cli
