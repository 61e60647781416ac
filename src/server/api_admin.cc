// The administration routes of /api/v1: the unit tree, accounts, the
// security policy, the audit log and backups. Glue over AccessStore and
// LedgerStore: every decision is the store's (Authorize through the route's
// action, then the store's own Check inside each change), every change is
// one transaction of the store with its audit row (who, from where, on
// what, with what outcome). Bad input is a 4xx in the one error shape with
// a Chinese message, and nothing is stored.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "common/calendar.h"
#include "common/utf8.h"
#include "server/api.h"

namespace taizhang::server_internal {

using nlohmann::json;

namespace {

HttpResponse NoAccounts503() { return ErrorResponse(503, "本服务没有启用账户，无法管理。"); }

// The body as a JSON object whose members are all among `allowed`, or the
// answer (400 not JSON, 422 a member not known).
std::optional<json> Body(const RouteContext& context, std::initializer_list<const char*> allowed,
                         HttpResponse* error) {
  std::optional<json> body = ParseJsonObject(context.request, error);
  if (!body) return std::nullopt;
  for (const auto& [key, value] : body->items()) {
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }) == allowed.end()) {
      *error = ErrorResponse(422, "不认识的字段：" + key + "。");
      return std::nullopt;
    }
  }
  return body;
}

// A string member: nullopt when absent; `*bad` when present but not a string.
std::optional<std::string> OptionalString(const json& body, const char* name, bool* bad) {
  auto it = body.find(name);
  if (it == body.end()) return std::nullopt;
  if (!it->is_string()) {
    *bad = true;
    return std::nullopt;
  }
  return it->get<std::string>();
}

// Roles from a JSON array of names or labels ("supervisor", "督查员").
std::optional<RoleSet> ParseRoles(const json& value, std::string* problem) {
  if (!value.is_array()) {
    *problem = "roles 应是角色名的数组，如 [\"supervisor\"] 或 [\"督查员\"]。";
    return std::nullopt;
  }
  RoleSet roles = 0;
  for (const json& item : value) {
    std::optional<UserRole> role = item.is_string() ? ParseRole(item.get<std::string>()) : std::nullopt;
    if (!role) {
      *problem = "不认识的角色：" + (item.is_string() ? item.get<std::string>() : item.dump()) +
                 "（可用：system_admin 系统管理员、security_admin 安全管理员、audit_admin 审计管理员、"
                 "supervisor 督查员、reporter 填报员、viewer 查看）。";
      return std::nullopt;
    }
    roles |= RoleBit(*role);
  }
  // None, or two of the three administrators, are the store's to refuse:
  // in its words, and in the audit log (an attempt at 三员兼任 is worth an
  // auditor's eye).
  return roles;
}

json RoleNames(RoleSet roles) {
  json out = json::array();
  for (UserRole role : AllRoles()) {
    if (HasRole(roles, role)) out.push_back(RoleName(role));
  }
  return out;
}

json UserJson(const UserInfo& u) {
  json out = {{"id", u.id},
              {"name", u.name},
              {"display_name", u.display_name},
              {"roles", RoleNames(u.roles)},
              {"roles_label", RoleSetLabel(u.roles)},
              {"unit_id", u.unit_id},
              {"unit", u.unit},
              {"scope_unit_id", u.scope_unit_id},
              {"scope", u.scope},
              {"disabled", u.disabled},
              {"locked", u.locked_until > 0},
              {"must_change_password", u.must_change_password},
              {"created_at", u.created_at},
              {"created_by", u.created_by}};
  if (u.locked_until > 0) out["locked_until"] = FormatUtc(u.locked_until);
  if (u.password_set_at > 0) out["password_set_at"] = FormatUtc(u.password_set_at);
  return out;
}

json UserSchema() {
  return {{"type", "object"},
          {"required", {"id", "name", "roles", "disabled", "locked"}},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"name", {{"type", "string"}, {"description", "登录名"}}},
            {"display_name", {{"type", "string"}}},
            {"roles", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"roles_label", {{"type", "string"}, {"description", "角色的中文名"}}},
            {"unit_id", {{"type", "integer"}}},
            {"unit", {{"type", "string"}, {"description", "所属单位，空为无"}}},
            {"scope_unit_id", {{"type", "integer"}}},
            {"scope", {{"type", "string"}, {"description", "管辖范围的根单位，空为所属单位本身"}}},
            {"disabled", {{"type", "boolean"}, {"description", "已停用"}}},
            {"locked", {{"type", "boolean"}, {"description", "因连续登录失败暂时锁定"}}},
            {"locked_until", {{"type", "string"}, {"description", "锁定到何时（UTC）"}}},
            {"must_change_password", {{"type", "boolean"}}},
            {"password_set_at", {{"type", "string"}}},
            {"created_at", {{"type", "string"}}},
            {"created_by", {{"type", "string"}}}}}};
}

json UnitJson(const UnitTree& tree, const Unit& u) {
  return {{"id", u.id},          {"name", u.name},         {"parent_id", u.parent_id},
          {"aliases", u.aliases}, {"disabled", u.disabled}, {"path", tree.Path(u.id)}};
}

// The tree as nested nodes, roots first, each level by id.
json UnitTreeJson(const UnitTree& tree) {
  std::map<int64_t, std::vector<const Unit*>> children;
  for (const Unit& u : tree.units()) children[u.parent_id].push_back(&u);
  std::function<json(int64_t, int)> level = [&](int64_t parent, int depth) {
    json out = json::array();
    auto it = children.find(parent);
    if (it == children.end() || depth > 64) return out;
    for (const Unit* u : it->second) {
      json node = UnitJson(tree, *u);
      node["children"] = level(u->id, depth + 1);
      out.push_back(std::move(node));
    }
    return out;
  };
  return level(0, 0);
}

json UnitSchema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"name", {{"type", "string"}, {"description", "单位名称，与台账的责任单位写法一致"}}},
            {"parent_id", {{"type", "integer"}, {"description", "上级单位，0 为顶级"}}},
            {"aliases", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "别名（台账中的其他写法）"}}},
            {"disabled", {{"type", "boolean"}, {"description", "已停用：不能再作为用户的单位或管辖范围"}}},
            {"path", {{"type", "string"}, {"description", "如“某县 / 县水利局 / 办公室”"}}},
            {"children", {{"type", "array"}, {"items", {{"type", "object"}}}, {"description", "下级单位（同样结构）"}}}}}};
}

std::vector<std::pair<int, std::string>> Responses(std::vector<std::pair<int, std::string>> own) {
  own.push_back({401, "未登录或会话已过期"});
  own.push_back({403, "没有权限（角色不允许，三员分立），或修改类请求缺少有效的 CSRF 令牌"});
  own.push_back({503, "本服务没有启用账户"});
  std::sort(own.begin(), own.end());
  return own;
}

std::optional<int64_t> IdParam(const std::string& text) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

// A time filter of the audit log: a day (2026-03-01) or a UTC time
// (2026-03-01T08:00:00Z), as the log writes them; `end` turns a day into
// the end of that day (the log's times compare as text).
std::optional<std::string> AuditTime(const std::string& text, bool end) {
  if (text.size() == 10 && calendar::ParseIsoDay(text)) return end ? text + "T24:00:00Z" : text;
  if (text.size() == 20 && text[10] == 'T' && text[19] == 'Z' && calendar::ParseIsoDay(text.substr(0, 10))) {
    const std::string clock = text.substr(11, 8);
    bool ok = clock[2] == ':' && clock[5] == ':';
    for (size_t i : {0, 1, 3, 4, 6, 7}) ok = ok && clock[i] >= '0' && clock[i] <= '9';
    if (ok) return text;
  }
  return std::nullopt;
}

// The filters of the audit log's queries, or the 400 to answer.
std::optional<AuditQuery> ParseAuditQuery(const HttpRequest& request, HttpResponse* error) {
  AuditQuery q;
  if (std::optional<std::string> user = request.Query("user")) q.actor = *user;
  if (std::optional<std::string> action = request.Query("action")) {
    if (action->empty() || action->size() > 40 || action->find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      *error = ErrorResponse(400, "action 应为审计日志中的操作名（小写英文字母和下划线，如 login、user_add）。");
      return std::nullopt;
    }
    q.action = *action;
  }
  if (std::optional<std::string> outcome = request.Query("outcome")) {
    if (*outcome != "success" && *outcome != "failure" && *outcome != "refused") {
      *error = ErrorResponse(400, "outcome 应为 success（成功）、failure（失败）或 refused（拒绝）。");
      return std::nullopt;
    }
    q.outcome = *outcome;
  }
  for (const char* name : {"from", "to"}) {
    std::optional<std::string> text = request.Query(name);
    if (!text) continue;
    std::optional<std::string> time = AuditTime(*text, std::string_view(name) == "to");
    if (!time) {
      *error = ErrorResponse(400, std::string(name) + " 应为日期（2026-03-01）或 UTC 时间（2026-03-01T08:00:00Z）。");
      return std::nullopt;
    }
    (std::string_view(name) == "from" ? q.from : q.to) = *time;
  }
  if (q.actor.size() > 64) {
    *error = ErrorResponse(400, "user 过长。");
    return std::nullopt;
  }
  return q;
}

json AuditEntryJson(const AuditEntry& e) {
  return {{"id", e.id},         {"at", e.at},           {"user", e.actor},     {"address", e.address},
          {"action", e.action}, {"object", e.object}, {"outcome", e.outcome}, {"detail", e.detail}};
}

// --- Backups -------------------------------------------------------------------

// data_dir/backups holds the copies; data_dir/backups/.tickets/<id> says
// whose a copy is and which file: removed (renamed) by its one download.
std::string BackupDir(const std::string& data_dir) { return data_dir + "/backups"; }
std::string TicketPath(const std::string& data_dir, const std::string& id) {
  return BackupDir(data_dir) + "/.tickets/" + id;
}

bool WriteSmallFile(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = close(fd) == 0 && ok;
  return ok;
}

std::optional<std::string> ReadWholeFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return std::nullopt;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return std::nullopt;
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
  if (done != out.size()) return std::nullopt;
  return out;
}

// "2026-12-07T07:31:36Z" → "20261207T073136Z".
std::string CompactTime(const std::string& iso) {
  std::string out;
  for (char c : iso) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out;
}

bool IsHexId(const std::string& text) {
  return text.size() == 32 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

void AddUnitRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/units",
      .operation_id = "listUnits",
      .summary = "单位树（县 → 部门/乡镇 → 科室）：每个单位的名称、别名、是否停用和下级单位",
      .tag = "管理",
      .action = "units.list",
      .response_schema = {{"type", "object"},
                          {"properties", {{"units", {{"type", "array"}, {"items", UnitSchema()}}}}}},
      .responses = Responses({{200, "单位树（顶级单位及其下级）"}}),
      .handler =
          [accounts](RouteContext&) {
            if (accounts == nullptr) return NoAccounts503();
            json units;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              Result<UnitTree> tree = access.Units();
              if (!tree.ok()) return tree.status();
              units = UnitTreeJson(*tree);
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, {{"units", std::move(units)}});
          },
  });

  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/units",
      .operation_id = "addUnit",
      .summary = "新增单位（在上级单位之下，不给上级则为顶级单位），可带别名",
      .tag = "管理",
      .action = "units.manage",
      .request_type = "application/json",
      .request_schema = {{"type", "object"},
                         {"required", {"name"}},
                         {"additionalProperties", false},
                         {"properties",
                          {{"name", {{"type", "string"}, {"description", "单位名称（与台账的责任单位写法一致）"}}},
                           {"parent", {{"type", "string"}, {"description", "上级单位的名称或别名；不给为顶级单位"}}},
                           {"aliases", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
      .max_body = options.max_json_bytes,
      .response_schema = UnitSchema(),
      .responses = Responses({{201, "已新增"},
                              {400, "请求体不是有效的 JSON 对象"},
                              {404, "没有这个上级单位"},
                              {413, "请求体超过上限"},
                              {415, "请求体不是 application/json"},
                              {422, "名称或别名不可用、已被使用，上级单位已停用，或字段不对"}}),
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccounts503();
            HttpResponse error;
            std::optional<json> body = Body(context, {"name", "parent", "aliases"}, &error);
            if (!body) return error;
            bool bad = false;
            std::optional<std::string> name = OptionalString(*body, "name", &bad);
            std::optional<std::string> parent = OptionalString(*body, "parent", &bad);
            std::vector<std::string> aliases;
            if (auto it = body->find("aliases"); it != body->end()) {
              bad |= !it->is_array();
              for (const json& a : it->is_array() ? *it : json::array()) {
                if (!a.is_string()) bad = true; else aliases.push_back(a.get<std::string>());
              }
            }
            if (bad || !name) {
              return ErrorResponse(422, "请求体应为 {\"name\": 单位名称, \"parent\": 上级单位（可不给）, \"aliases\": [别名…]}。");
            }
            json out;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              Result<Unit> unit = access.AddUnit(*context.principal, *name, parent.value_or(""), aliases);
              if (!unit.ok()) return unit.status();
              Result<UnitTree> tree = access.Units();
              if (!tree.ok()) return tree.status();
              out = UnitJson(*tree, *unit);
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(201, out);
          },
  });

  // The changes of one unit, each its own transaction and audit row.
  struct UnitChange {
    const char* verb;
    const char* operation;
    const char* summary;
    const char* field;  // the body's one member, nullptr: no body
    json schema;
  };
  const UnitChange changes[] = {
      {"rename", "renameUnit", "单位改名（新名称不能与其他单位的名称或别名相同）", "name",
       {{"type", "string"}, {"description", "新名称"}}},
      {"aliases", "setUnitAliases", "设置单位的别名（整体替换）", "aliases",
       {{"type", "array"}, {"items", {{"type", "string"}}}}},
      {"move", "moveUnit", "把单位移到另一个上级单位之下（不能移到自己或自己的下级之下；空字符串为移到顶级）", "parent",
       {{"type", "string"}, {"description", "新上级单位的名称或别名，\"\" 为顶级"}}},
      {"disable", "disableUnit", "停用单位（仍有启用的用户以它为所属单位或管辖范围时拒绝）", nullptr, {}},
      {"enable", "enableUnit", "重新启用单位", nullptr, {}},
  };
  for (const UnitChange& change : changes) {
    const std::string verb = change.verb;
    const std::string field = change.field ? change.field : "";
    router->Add(Route{
        .method = "POST",
        .pattern = "/api/v1/units/{id}/" + verb,
        .operation_id = change.operation,
        .summary = change.summary,
        .tag = "管理",
        .action = "units.manage",
        .params = {{"id", "path", "单位编号", true}},
        .request_type = field.empty() ? "" : "application/json",
        .request_schema = field.empty() ? json()
                                        : json{{"type", "object"},
                                               {"required", {field}},
                                               {"additionalProperties", false},
                                               {"properties", {{field, change.schema}}}},
        .max_body = field.empty() ? 0 : options.max_json_bytes,
        .response_schema = UnitSchema(),
        .responses = Responses({{200, "已修改，返回修改后的单位"},
                                {400, "请求体不是有效的 JSON 对象"},
                                {404, "没有这个单位（或上级单位）"},
                                {413, "请求体超过上限"},
                                {415, "请求体不是 application/json"},
                                {422, "名称或别名不可用或已被使用、会形成环、上级已停用、仍有用户在用，或字段不对"}}),
        .handler =
            [accounts, verb, field](RouteContext& context) {
              if (accounts == nullptr) return NoAccounts503();
              std::optional<int64_t> id = IdParam(context.params["id"]);
              if (!id) return ErrorResponse(404, "没有这个单位。");
              json body = json::object();
              if (!field.empty()) {
                HttpResponse error;
                std::optional<json> parsed = Body(context, {field.c_str()}, &error);
                if (!parsed) return error;
                body = std::move(*parsed);
              }
              std::string text;
              std::vector<std::string> aliases;
              if (verb == "aliases") {
                auto it = body.find("aliases");
                bool ok = it != body.end() && it->is_array();
                for (const json& a : ok ? *it : json::array()) {
                  if (!a.is_string()) ok = false; else aliases.push_back(a.get<std::string>());
                }
                if (!ok) return ErrorResponse(422, "请求体应为 {\"aliases\": [别名…]}。");
              } else if (!field.empty()) {
                auto it = body.find(field);
                if (it == body.end() || !it->is_string()) {
                  return ErrorResponse(422, "请求体应为 {\"" + field + "\": 字符串}。");
                }
                text = it->get<std::string>();
              }
              json out;
              Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
                Result<UnitTree> tree = access.Units();
                if (!tree.ok()) return tree.status();
                const Unit* unit = tree->Find(*id);
                if (unit == nullptr) return Status(StatusCode::kNotFound, "没有这个单位。");
                const Principal& actor = *context.principal;
                Result<Unit> changed = verb == "rename"    ? access.RenameUnit(actor, unit->name, text)
                                       : verb == "aliases" ? access.SetUnitAliases(actor, unit->name, aliases)
                                       : verb == "move"    ? access.MoveUnit(actor, unit->name, text)
                                                           : access.SetUnitDisabled(actor, unit->name, verb == "disable");
                if (!changed.ok()) return changed.status();
                Result<UnitTree> after = access.Units();
                if (!after.ok()) return after.status();
                out = UnitJson(*after, *changed);
                return Status::Ok();
              });
              if (!s.ok()) return StatusResponse(s);
              return JsonResponse(200, out);
            },
    });
  }
}

void AddUserRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/users",
      .operation_id = "listUsers",
      .summary = "用户列表：登录名、角色、所属单位、管辖范围、是否停用或锁定（系统管理员、安全管理员）",
      .tag = "管理",
      .action = "users.list",
      .response_schema = {{"type", "object"},
                          {"properties", {{"users", {{"type", "array"}, {"items", UserSchema()}}}}}},
      .responses = Responses({{200, "全部用户（按登录名）"}}),
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccounts503();
            json users = json::array();
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              Result<std::vector<UserInfo>> list = access.ListUsers(*context.principal);
              if (!list.ok()) return list.status();
              for (const UserInfo& u : *list) users.push_back(UserJson(u));
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, {{"users", std::move(users)}});
          },
  });

  json user_fields = {
      {"name", {{"type", "string"}, {"description", "登录名（1–64 字节，不含空白和冒号）"}}},
      {"display_name", {{"type", "string"}, {"description", "显示名（姓名），不给则同登录名"}}},
      {"roles",
       {{"type", "array"},
        {"items", {{"type", "string"}}},
        {"description", "角色名或中文名：system_admin 系统管理员、security_admin 安全管理员、audit_admin 审计管理员、"
                        "supervisor 督查员、reporter 填报员、viewer 查看；三员不能兼任"}}},
      {"unit", {{"type", "string"}, {"description", "所属单位（名称或别名）；填报员必填"}}},
      {"scope", {{"type", "string"}, {"description", "管辖范围的根单位，不给则为所属单位"}}}};
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/users",
      .operation_id = "addUser",
      .summary = "新增用户：返回一次性初始密码（只显示这一次，首次登录须修改）",
      .tag = "管理",
      .action = "users.manage",
      .request_type = "application/json",
      .request_schema = {{"type", "object"},
                         {"required", {"name", "roles"}},
                         {"additionalProperties", false},
                         {"properties", user_fields}},
      .max_body = options.max_json_bytes,
      .response_schema = {{"type", "object"},
                          {"properties",
                           {{"user", UserSchema()},
                            {"one_time_password",
                             {{"type", "string"}, {"description", "一次性初始密码：只在这里显示一次，请当面或以安全方式交给本人"}}}}}},
      .responses = Responses({{201, "已新增，附一次性初始密码"},
                              {400, "请求体不是有效的 JSON 对象"},
                              {404, "没有这个单位"},
                              {413, "请求体超过上限"},
                              {415, "请求体不是 application/json"},
                              {422, "登录名不可用或已存在、角色不认识或三员兼任、填报员没有单位、单位已停用，或字段不对"}}),
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccounts503();
            HttpResponse error;
            std::optional<json> body = Body(context, {"name", "display_name", "roles", "unit", "scope"}, &error);
            if (!body) return error;
            bool bad = false;
            NewUser user;
            std::optional<std::string> name = OptionalString(*body, "name", &bad);
            user.display_name = OptionalString(*body, "display_name", &bad).value_or("");
            user.unit = OptionalString(*body, "unit", &bad).value_or("");
            user.scope = OptionalString(*body, "scope", &bad).value_or("");
            if (bad || !name || !body->contains("roles")) {
              return ErrorResponse(422, "请求体应为 {\"name\": 登录名, \"roles\": [角色…], \"display_name\", \"unit\", \"scope\"（可不给）}。");
            }
            user.name = *name;
            std::string problem;
            std::optional<RoleSet> roles = ParseRoles((*body)["roles"], &problem);
            if (!roles) return ErrorResponse(422, problem);
            user.roles = *roles;
            std::string password;
            json out;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              Result<std::string> added = access.AddUser(*context.principal, user);
              if (!added.ok()) return added.status();
              password = *added;
              Result<std::vector<UserInfo>> list = access.ListUsers(*context.principal);
              if (!list.ok()) return list.status();
              for (const UserInfo& u : *list) {
                if (u.name == user.name) out = UserJson(u);
              }
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(201, {{"user", std::move(out)}, {"one_time_password", password}});
          },
  });

  router->Add(Route{
      .method = "PATCH",
      .pattern = "/api/v1/users/{name}",
      .operation_id = "updateUser",
      .summary = "修改用户的角色、所属单位、管辖范围或显示名（给出的才改；三员不能兼任）",
      .tag = "管理",
      .action = "users.manage",
      .params = {{"name", "path", "登录名", true}},
      .request_type = "application/json",
      .request_schema = {{"type", "object"}, {"additionalProperties", false}, {"properties", user_fields}},
      .max_body = options.max_json_bytes,
      .response_schema = UserSchema(),
      .responses = Responses({{200, "已修改，返回修改后的用户"},
                              {400, "请求体不是有效的 JSON 对象"},
                              {404, "没有这个用户或单位"},
                              {413, "请求体超过上限"},
                              {415, "请求体不是 application/json"},
                              {422, "角色不认识或三员兼任、填报员没有单位、单位已停用、取消自己的系统管理员角色，或字段不对"}}),
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccounts503();
            HttpResponse error;
            std::optional<json> body = Body(context, {"display_name", "roles", "unit", "scope"}, &error);
            if (!body) return error;
            bool bad = false;
            UserChange change;
            change.display_name = OptionalString(*body, "display_name", &bad);
            change.unit = OptionalString(*body, "unit", &bad);
            change.scope = OptionalString(*body, "scope", &bad);
            if (bad) return ErrorResponse(422, "display_name、unit、scope 应为字符串。");
            if (body->contains("roles")) {
              std::string problem;
              change.roles = ParseRoles((*body)["roles"], &problem);
              if (!change.roles) return ErrorResponse(422, problem);
            }
            json out;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              Result<UserInfo> updated = access.UpdateUser(*context.principal, context.params["name"], change);
              if (!updated.ok()) return updated.status();
              out = UserJson(*updated);
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, out);
          },
  });

  struct UserCommand {
    const char* verb;
    const char* operation;
    const char* summary;
    const char* action;
    const char* done;
  };
  const UserCommand commands[] = {
      {"disable", "disableUser", "停用用户（并结束其全部会话；不能停用自己）", "users.manage", "已停用，其会话已结束"},
      {"enable", "enableUser", "重新启用用户", "users.manage", "已启用"},
      {"reset-password", "resetPassword", "重置密码：返回新的一次性密码（只显示这一次），并结束其全部会话", "users.manage",
       "已重置，附一次性密码"},
      {"unlock", "unlockUser", "解除因连续登录失败而来的锁定（安全管理员）", "users.unlock", "已解锁"},
  };
  for (const UserCommand& command : commands) {
    const std::string verb = command.verb;
    router->Add(Route{
        .method = "POST",
        .pattern = "/api/v1/users/{name}/" + verb,
        .operation_id = command.operation,
        .summary = command.summary,
        .tag = "管理",
        .action = command.action,
        .params = {{"name", "path", "登录名", true}},
        .response_schema = verb == "reset-password"
                               ? json{{"type", "object"},
                                      {"properties", {{"one_time_password", {{"type", "string"}}}}}}
                               : json{{"type", "object"},
                                      {"properties", {{"status", {{"type", "string"}, {"enum", {"ok"}}}}}}},
        .responses = Responses({{200, command.done}, {404, "没有这个用户"}, {422, "不能停用自己的账户"}}),
        .handler =
            [accounts, verb](RouteContext& context) {
              if (accounts == nullptr) return NoAccounts503();
              const std::string& name = context.params["name"];
              const Principal& actor = *context.principal;
              std::string password;
              Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) -> Status {
                if (verb == "reset-password") {
                  Result<std::string> reset = access.ResetPassword(actor, name);
                  if (!reset.ok()) return reset.status();
                  password = *reset;
                  return Status::Ok();
                }
                if (verb == "unlock") return access.Unlock(actor, name);
                return access.SetDisabled(actor, name, verb == "disable");
              });
              if (!s.ok()) return StatusResponse(s);
              if (verb == "reset-password") return JsonResponse(200, {{"one_time_password", password}});
              return JsonResponse(200, {{"status", "ok"}});
            },
        .blocking = verb == "reset-password",  // a password hash
    });
  }
}

// The policy's members by name, as the store keeps them.
struct PolicyMember {
  const char* name;
  int SecurityPolicy::*field;
  const char* description;
};
constexpr PolicyMember kPolicyMembers[] = {
    {"min_length", &SecurityPolicy::min_length, "密码最短长度（字符），8–128"},
    {"min_classes", &SecurityPolicy::min_classes, "密码至少包含几种字符（大写、小写、数字、其他），1–4"},
    {"history", &SecurityPolicy::history, "新密码不能与最近几次的相同，0–24"},
    {"expiry_days", &SecurityPolicy::expiry_days, "密码有效期（天），0 为不过期"},
    {"max_failures", &SecurityPolicy::max_failures, "连续登录失败几次后锁定，1–100"},
    {"lockout_minutes", &SecurityPolicy::lockout_minutes, "锁定时长（分钟）"},
    {"session_idle_minutes", &SecurityPolicy::session_idle_minutes, "会话空闲超时（分钟）"},
    {"session_absolute_hours", &SecurityPolicy::session_absolute_hours, "会话最长时长（小时）"},
    {"audit_retention_days", &SecurityPolicy::audit_retention_days, "审计日志保存期限（天），不少于 180"},
};

json PolicyJson(const SecurityPolicy& policy) {
  json out = json::object();
  for (const PolicyMember& m : kPolicyMembers) out[m.name] = policy.*(m.field);
  return out;
}

json PolicySchema() {
  json properties = json::object();
  for (const PolicyMember& m : kPolicyMembers) {
    properties[m.name] = {{"type", "integer"}, {"description", m.description}};
  }
  return {{"type", "object"}, {"additionalProperties", false}, {"properties", properties}};
}

void AddPolicyRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/policy",
      .operation_id = "getPolicy",
      .summary = "安全策略：密码规则、登录失败锁定、会话超时、审计日志保存期限（安全管理员）",
      .tag = "管理",
      .action = "policy.set",
      .response_schema = PolicySchema(),
      .responses = Responses({{200, "当前的安全策略"}}),
      .handler =
          [accounts](RouteContext&) {
            if (accounts == nullptr) return NoAccounts503();
            SecurityPolicy policy;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              Result<SecurityPolicy> current = access.Policy();
              if (!current.ok()) return current.status();
              policy = *current;
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, PolicyJson(policy));
          },
  });

  router->Add(Route{
      .method = "PUT",
      .pattern = "/api/v1/policy",
      .operation_id = "setPolicy",
      .summary = "设置安全策略（安全管理员）：给出的项改为新值，未给出的保持不变；整体检查通过才保存",
      .tag = "管理",
      .action = "policy.set",
      .request_type = "application/json",
      .request_schema = PolicySchema(),
      .max_body = options.max_json_bytes,
      .response_schema = PolicySchema(),
      .responses = Responses({{200, "已保存，返回新的安全策略"},
                              {400, "请求体不是有效的 JSON 对象"},
                              {413, "请求体超过上限"},
                              {415, "请求体不是 application/json"},
                              {422, "取值超出范围（如审计日志保存期限少于 180 天）、不认识的项或不是整数"}}),
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccounts503();
            HttpResponse error;
            std::optional<json> body = ParseJsonObject(context.request, &error);
            if (!body) return error;
            if (body->empty()) return ErrorResponse(422, "没有给出要修改的安全策略项。");
            SecurityPolicy policy;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              Result<SecurityPolicy> current = access.Policy();
              if (!current.ok()) return current.status();
              policy = *current;
              for (const auto& [key, value] : body->items()) {
                const PolicyMember* member = nullptr;
                for (const PolicyMember& m : kPolicyMembers) {
                  if (key == m.name) member = &m;
                }
                if (member == nullptr) return Status(StatusCode::kInvalidArgument, "不认识的安全策略项：" + key + "。");
                if (!value.is_number_integer() || value.get<int64_t>() < -1000000 || value.get<int64_t>() > 1000000) {
                  return Status(StatusCode::kInvalidArgument, "安全策略项 " + key + " 应为整数。");
                }
                policy.*(member->field) = value.get<int>();
              }
              return access.SetPolicy(*context.principal, policy);
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, PolicyJson(policy));
          },
  });
}

void AddAuditRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  std::vector<RouteParam> filters = {
      {"user", "query", "操作人（登录名，或“命令行:系统用户”）", false},
      {"action", "query", "操作名，如 login、user_add、refused", false},
      {"outcome", "query", "success（成功）、failure（失败）或 refused（拒绝）", false},
      {"from", "query", "起始日期或 UTC 时间（含），如 2026-03-01", false},
      {"to", "query", "截止日期（含当天）或 UTC 时间（不含）", false}};
  std::vector<RouteParam> exported = filters;
  exported.push_back({"format", "query", "csv（默认，UTF-8 带 BOM）或 xlsx（Excel 工作簿）", false});
  std::vector<RouteParam> paged = filters;
  const PageSpec audit_pages{100, 1000, "条"};
  for (RouteParam& p : PageParams(audit_pages)) paged.push_back(std::move(p));
  json entry_schema = {{"type", "object"},
                       {"properties",
                        {{"id", {{"type", "integer"}}},
                         {"at", {{"type", "string"}, {"description", "UTC 时间"}}},
                         {"user", {{"type", "string"}}},
                         {"address", {{"type", "string"}, {"description", "客户端地址（经可信代理时为转发的地址）"}}},
                         {"action", {{"type", "string"}}},
                         {"object", {{"type", "string"}, {"description", "如“用户 zhangsan”“单位 县水利局”"}}},
                         {"outcome", {{"type", "string"}, {"enum", {"success", "failure", "refused"}}}},
                         {"detail", {{"type", "string"}}}}}};
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/audit",
      .operation_id = "readAudit",
      .summary = "审计日志（审计管理员）：按操作人、操作、结果、时间筛选，分页；查阅本身也记入审计日志",
      .tag = "审计",
      .action = "audit.read",
      .params = paged,
      .response_schema = {{"type", "object"},
                          {"properties",
                           PageSchema({{"entries", {{"type", "array"}, {"items", entry_schema}}},
                                       {"more", {{"type", "boolean"}, {"description", "之后还有记录"}}}})}},
      .responses = Responses({{200, "符合条件的记录（按时间先后）"}, {400, "筛选或分页参数不对"}}),
      .handler =
          [accounts, audit_pages](RouteContext& context) {
            if (accounts == nullptr) return NoAccounts503();
            HttpResponse error;
            std::optional<AuditQuery> query = ParseAuditQuery(context.request, &error);
            if (!query) return error;
            std::optional<Page> page = ParsePage(context.request, audit_pages, &error);
            if (!page) return error;
            const int64_t* offset = &page->offset;
            const int64_t* limit = &page->limit;
            query->offset = *offset;
            query->limit = *limit + 1;  // one more: whether there are more
            json entries = json::array();
            bool more = false;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              Result<std::vector<AuditEntry>> rows = access.ReadAudit(*context.principal, *query);
              if (!rows.ok()) return rows.status();
              more = static_cast<int64_t>(rows->size()) > *limit;
              for (size_t i = 0; i < rows->size() && static_cast<int64_t>(i) < *limit; ++i) {
                entries.push_back(AuditEntryJson((*rows)[i]));
              }
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, {{"entries", std::move(entries)}, {"offset", *offset}, {"limit", *limit}, {"more", more}});
          },
  });

  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/audit/export",
      .operation_id = "exportAudit",
      .summary = "导出审计日志为 CSV（UTF-8 带 BOM，Excel 可直接打开；以 = + - @ 开头的内容前加撇号）；导出本身记入审计日志",
      .tag = "审计",
      .action = "audit.export",
      .params = exported,
      .response_schema = {{"type", "string"},
                          {"description", "text/csv 或 xlsx：编号,时间,用户,地址,操作,对象,结果,说明"}},
      .responses = Responses({{200, "CSV 或 Excel 文件（附件）"}, {400, "筛选参数或格式不对"}, {500, "无法写入临时文件"}}),
      .handler =
          [accounts, data_dir = options.data_dir](RouteContext& context) {
            if (accounts == nullptr) return NoAccounts503();
            HttpResponse error;
            std::optional<AuditQuery> query = ParseAuditQuery(context.request, &error);
            if (!query) return error;
            const std::string format = context.request.Query("format").value_or("csv");
            if (format != "csv" && format != "xlsx") return ErrorResponse(400, "format 应为 csv 或 xlsx。");
            if (format == "xlsx") {
              // Written to a file of its own (all or nothing), read back, removed.
              std::error_code ec;
              std::filesystem::path dir =
                  data_dir.empty() ? std::filesystem::temp_directory_path(ec) : std::filesystem::path(data_dir) / "tmp";
              std::filesystem::create_directories(dir, ec);
              const std::string path = (dir / ("audit-" + RandomId() + ".xlsx")).string();
              Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
                return access.ExportAuditXlsx(*context.principal, *query, path);
              });
              std::optional<std::string> bytes = s.ok() ? ReadWholeFile(path) : std::nullopt;
              std::filesystem::remove(path, ec);
              if (!s.ok()) return StatusResponse(s);
              if (!bytes) return ErrorResponse(500, "无法读回导出的审计日志。");
              HttpResponse response;
              response.status = 200;
              response.body = std::move(*bytes);
              response.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
              response.Set("Content-Disposition",
                           "attachment; filename=\"audit-log.xlsx\"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.xlsx");
              return response;
            }
            std::string csv;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              Result<std::string> out = access.ExportAudit(*context.principal, *query);
              if (!out.ok()) return out.status();
              csv = std::move(*out);
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            HttpResponse response;
            response.status = 200;
            response.body = std::move(csv);
            response.Set("Content-Type", "text/csv; charset=utf-8");
            response.Set("Content-Disposition",
                         "attachment; filename=\"audit-log.csv\"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.csv");
            return response;
          },
  });

  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/audit/purge",
      .operation_id = "purgeAudit",
      .summary = "清理超过保存期限（安全策略的 audit_retention_days，至少 180 天）的审计日志；清理本身记入审计日志",
      .tag = "审计",
      .action = "audit.purge",
      .response_schema = {{"type", "object"},
                          {"properties",
                           {{"purged", {{"type", "integer"}, {"description", "删除的记录数"}}},
                            {"retention_days", {{"type", "integer"}}}}}},
      .responses = Responses({{200, "已清理"}}),
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccounts503();
            int64_t purged = 0;
            int retention = 0;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              Result<int64_t> n = access.PurgeAudit(*context.principal);
              if (!n.ok()) return n.status();
              purged = *n;
              Result<SecurityPolicy> policy = access.Policy();
              if (!policy.ok()) return policy.status();
              retention = std::max(policy->audit_retention_days, 180);
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, {{"purged", purged}, {"retention_days", retention}});
          },
  });
}

void AddBackupRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  const std::string data_dir = options.data_dir;
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/backup",
      .operation_id = "createBackup",
      .summary = "备份数据库（系统管理员）：一致的副本写到数据目录的 backups/ 下（SQLite 在线备份，PostgreSQL 用 pg_dump），"
                 "备份者本人可下载一次；记入审计日志",
      .tag = "管理",
      .action = "backup.create",
      .response_schema = {{"type", "object"},
                          {"properties",
                           {{"id", {{"type", "string"}, {"description", "备份编号（32 位十六进制）"}}},
                            {"file", {{"type", "string"}, {"description", "数据目录 backups/ 下的文件名"}}},
                            {"size", {{"type", "integer"}}},
                            {"history_head", {{"type", "string"}, {"description", "备份包含的历史链末行（编号:散列）"}}},
                            {"download", {{"type", "string"}, {"description", "下载地址（只能下载一次）"}}}}}},
      .responses = Responses({{201, "已备份"}, {500, "无法写入数据目录，或备份失败（如找不到 pg_dump）"}}),
      .handler =
          [accounts, data_dir](RouteContext& context) {
            if (accounts == nullptr || data_dir.empty()) return NoAccounts503();
            const Principal& actor = *context.principal;
            std::error_code ec;
            std::filesystem::create_directories(BackupDir(data_dir) + "/.tickets", ec);
            if (ec) return ErrorResponse(500, "无法在数据目录中建立 backups 目录。");
            std::filesystem::permissions(BackupDir(data_dir), std::filesystem::perms::owner_all,
                                         std::filesystem::perm_options::replace, ec);
            const std::string id = RandomId();
            std::string file, head_text;
            int64_t size = 0;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) -> Status {
              Result<Decision> allowed = access.Require(actor, Action::kBackup, {{}, "", "数据库备份"});
              if (!allowed.ok()) return allowed.status();
              if (!allowed->allowed) return Status(StatusCode::kPermissionDenied, allowed->reason);
              const bool postgres = ledger.Describe().rfind("PostgreSQL", 0) == 0;
              file = "taizhang-" + CompactTime(FormatUtc(access.clock().Now())) + "-" + id.substr(0, 8) +
                     (postgres ? ".dump" : ".db");
              const std::string path = BackupDir(data_dir) + "/" + file;
              Result<HistoryHead> head = ledger.ReadHistoryHead();
              Status done = head.ok() ? ledger.Backup(path) : head.status();
              if (!done.ok()) {
                std::filesystem::remove(path, ec);
                (void)access.Record(actor, "backup", "数据库备份 " + file, "failure", done.message());
                return done;
              }
              head_text = FormatHistoryHead(*head);
              // The copy holds password hashes and sessions: its owner's only.
              std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                           std::filesystem::perm_options::replace, ec);
              size = static_cast<int64_t>(std::filesystem::file_size(path, ec));
              if (!WriteSmallFile(TicketPath(data_dir, id), std::to_string(actor.user_id) + "\n" + file + "\n")) {
                (void)access.Record(actor, "backup", "数据库备份 " + file, "failure", "无法写入下载凭据");
                return Status(StatusCode::kInternal, "备份已写入，但无法写入下载凭据。");
              }
              return access.Record(actor, "backup", "数据库备份 " + file, "success",
                                   ledger.Describe() + "；" + std::to_string(size) + " 字节；历史链末行 " + head_text);
            });
            if (!s.ok()) return StatusResponse(s);
            HttpResponse response = JsonResponse(201, {{"id", id},
                                                       {"file", file},
                                                       {"size", size},
                                                       {"history_head", head_text},
                                                       {"download", "/api/v1/backup/" + id}});
            response.Set("Location", "/api/v1/backup/" + id);
            return response;
          },
      .blocking = true,
  });

  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/backup/{id}",
      .operation_id = "downloadBackup",
      .summary = "下载一份备份（只有备份者本人，只能下载一次；副本仍留在数据目录中）；记入审计日志",
      .tag = "管理",
      .action = "backup.create",
      .params = {{"id", "path", "备份编号（创建备份时返回）", true}},
      .response_schema = {{"type", "string"}, {"format", "binary"}},
      .responses = Responses({{200, "备份文件（附件）"}, {404, "没有这个备份、不是本人的，或已下载过"}}),
      .handler =
          [accounts, data_dir](RouteContext& context) {
            if (accounts == nullptr || data_dir.empty()) return NoAccounts503();
            const std::string& id = context.params["id"];
            const Principal& actor = *context.principal;
            HttpResponse missing = ErrorResponse(404, "没有这个备份，或已经下载过（每份备份只能由备份者下载一次）。");
            if (!IsHexId(id)) return missing;
            const std::string ticket = TicketPath(data_dir, id);
            std::optional<std::string> text = ReadWholeFile(ticket);
            if (!text) return missing;
            size_t newline = text->find('\n');
            const std::string owner = text->substr(0, newline);
            const std::string file = newline == std::string::npos ? "" : text->substr(newline + 1, text->find('\n', newline + 1) - newline - 1);
            if (owner != std::to_string(actor.user_id) || file.empty() || file.find('/') != std::string::npos) {
              return missing;
            }
            // The one download: whoever renames the ticket first (another
            // request, another process on the same data directory) has it.
            if (std::rename(ticket.c_str(), (ticket + ".used").c_str()) != 0) return missing;
            std::optional<std::string> bytes = ReadWholeFile(BackupDir(data_dir) + "/" + file);
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              return access.Record(actor, "backup_download", "数据库备份 " + file, bytes ? "success" : "failure",
                                   bytes ? "下载 " + std::to_string(bytes->size()) + " 字节" : "备份文件已不在");
            });
            if (!s.ok()) return StatusResponse(s);
            if (!bytes) return missing;
            HttpResponse response;
            response.status = 200;
            response.body = std::move(*bytes);
            response.Set("Content-Type", "application/octet-stream");
            response.Set("Content-Disposition", "attachment; filename=\"" + file + "\"");
            return response;
          },
  });
}

}  // namespace

void AddAdminRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  AddUnitRoutes(router, accounts, options);
  AddUserRoutes(router, accounts, options);
  AddPolicyRoutes(router, accounts, options);
  AddAuditRoutes(router, accounts, options);
  AddBackupRoutes(router, accounts, options);
}

#pragma GCC diagnostic pop

}  // namespace taizhang::server_internal
