// The reminders of the API (remind/): an item's reminder log, the channels
// (the system administrator's; secrets never shown) and rules (a
// supervisor's, within its scope) with an audit row on every change, and the
// round `taizhang serve` runs on its timer.
#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "remind/remind.h"
#include "server/api.h"
#include "server/audit_on_commit.h"

namespace taizhang::server_internal {

using nlohmann::json;

namespace {

json ReminderJson(const ReminderLogEntry& e) {
  return {{"id", e.id},
          {"rule", e.rule},
          {"occasion", e.occasion},
          {"channel", e.channel},
          {"channel_kind", e.channel_kind},
          {"recipient", e.recipient},
          {"state", e.state},
          {"error", e.error},
          {"attempts", e.attempts},
          {"message", e.message},
          {"created_at", e.created_at},
          {"sent_at", e.sent_at}};
}

json ReminderSchema() {
  auto text = [](const char* description) { return json{{"type", "string"}, {"description", description}}; };
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"rule", text("规则名称")},
            {"occasion", text("提醒所对应的日期 YYYY-MM-DD")},
            {"channel", text("渠道名称")},
            {"channel_kind", {{"type", "string"}, {"enum", {"dingtalk", "wecom", "email", "webhook"}}}},
            {"recipient", text("收件人：邮件地址，或群机器人")},
            {"state", {{"type", "string"}, {"enum", {"sent", "failed", "sending"}}, {"description", "已送达、未送达（稍后重试）、发送中"}}},
            {"error", text("最近一次失败的原因，送达时为空")},
            {"attempts", {{"type", "integer"}, {"description", "尝试次数"}}},
            {"message", text("发送的文字")},
            {"created_at", text("首次尝试时间（UTC）")},
            {"sent_at", text("送达时间（UTC），未送达时为空")}}}};
}

// A path's {id}: a positive integer, else 0.
int64_t PathId(const std::string& text) {
  int64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || id > 1000000000000) return 0;
    id = id * 10 + (c - '0');
  }
  return id;
}

// The address as shown: a robot's or webhook's query carries its access
// token or key, so it is cut ("https://oapi.dingtalk.com/robot/send?…").
std::string ShownUrl(const std::string& url) {
  size_t q = url.find('?');
  return q == std::string::npos ? url : url.substr(0, q) + "?…";
}

json ChannelJson(const ReminderChannel& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"kind", ChannelKindName(c.kind)},
          {"kind_label", ChannelKindLabel(c.kind)},
          {"url", ShownUrl(c.url)},
          {"secret_set", !c.secret.empty()},
          {"login", c.login},
          {"sender", c.sender},
          {"recipients", c.recipients},
          {"enabled", c.enabled},
          {"created_at", c.created_at},
          {"created_by", c.created_by}};
}

json ChannelSchema() {
  auto text = [](const char* description) { return json{{"type", "string"}, {"description", description}}; };
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"name", text("渠道名称（规则按它指定渠道）")},
            {"kind", {{"type", "string"}, {"enum", {"dingtalk", "wecom", "email", "webhook"}}}},
            {"kind_label", text("类型的中文名")},
            {"url", text("地址；问号后的令牌、key 不显示（?…）")},
            {"secret_set", {{"type", "boolean"}, {"description", "是否设置了密钥（密钥本身从不返回）"}}},
            {"login", text("邮件：登录名")},
            {"sender", text("邮件：发件地址")},
            {"recipients", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "邮件：收件地址；钉钉、企业微信：@ 的手机号"}}},
            {"enabled", {{"type", "boolean"}}},
            {"created_at", text("新增时间（UTC）")},
            {"created_by", text("新增人")}}}};
}

json ChannelRequestSchema(bool create) {
  json schema = {{"type", "object"},
                 {"additionalProperties", false},
                 {"properties",
                  {{"name", {{"type", "string"}}},
                   {"kind", {{"type", "string"}, {"description", "dingtalk wecom email webhook，或 钉钉 企业微信 邮件 回调"}}},
                   {"url", {{"type", "string"}, {"description", "Webhook 地址；邮件为 smtp://主机:端口 或 smtps://…"}}},
                   {"secret", {{"type", "string"}, {"description", "钉钉加签密钥（SEC…）或邮箱密码；修改时不给则保留原密钥，给空字符串则清除"}}},
                   {"login", {{"type", "string"}}},
                   {"sender", {{"type", "string"}}},
                   {"recipients", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                   {"enabled", {{"type", "boolean"}}}}}};
  if (create) schema["required"] = {"name", "kind", "url"};
  return schema;
}

json RuleJson(const ReminderRule& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"kind", RuleKindName(r.kind)},
          {"kind_label", RuleKindLabel(r.kind)},
          {"days", r.days},
          {"when", RuleWhen(r)},
          {"unit", r.scope_unit},
          {"channels", r.channels},
          {"enabled", r.enabled},
          {"created_at", r.created_at},
          {"created_by", r.created_by}};
}

json RuleSchema() {
  auto text = [](const char* description) { return json{{"type", "string"}, {"description", description}}; };
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"name", text("规则名称")},
            {"kind", {{"type", "string"}, {"enum", {"before", "due", "overdue", "closeoff", "digest"}}}},
            {"kind_label", text("类型的中文名")},
            {"days", {{"type", "integer"}, {"description", "到期前：提前几天；逾期、待销号：每隔几天；汇总：1 每日、7 每周；到期当天为 0"}}},
            {"when", text("何时提醒，如“到期前 3 天”")},
            {"unit", text("只提醒该单位及其下级单位的事项；空为全部单位")},
            {"channels", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"enabled", {{"type", "boolean"}}},
            {"created_at", text("新增时间（UTC）")},
            {"created_by", text("新增人")}}}};
}

json RuleRequestSchema(bool create) {
  json schema = {{"type", "object"},
                 {"additionalProperties", false},
                 {"properties",
                  {{"name", {{"type", "string"}}},
                   {"kind", {{"type", "string"}, {"description", "before due overdue closeoff digest，或 到期前 到期当天 逾期 待销号 汇总"}}},
                   {"days", {{"type", "integer"}}},
                   {"unit", {{"type", "string"}, {"description", "单位名称或别名；空为全部单位（须管辖全县）"}}},
                   {"channels", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                   {"enabled", {{"type", "boolean"}}}}}};
  if (create) schema["required"] = {"name", "kind", "channels"};
  return schema;
}

// Reads the members of a channel or rule request into the fields they
// name; "" when it all fits, else what is wrong (Chinese).
std::string StringMember(const json& body, const char* name, std::string* out) {
  auto it = body.find(name);
  if (it == body.end()) return "";
  if (!it->is_string()) return std::string(name) + " 应为字符串。";
  *out = it->get<std::string>();
  return "";
}
std::string ListMember(const json& body, const char* name, std::vector<std::string>* out) {
  auto it = body.find(name);
  if (it == body.end()) return "";
  if (!it->is_array()) return std::string(name) + " 应为字符串数组。";
  out->clear();
  for (const json& v : *it) {
    if (!v.is_string()) return std::string(name) + " 应为字符串数组。";
    out->push_back(v.get<std::string>());
  }
  return "";
}
std::string BoolMember(const json& body, const char* name, bool* out) {
  auto it = body.find(name);
  if (it == body.end()) return "";
  if (!it->is_boolean()) return std::string(name) + " 应为 true 或 false。";
  *out = it->get<bool>();
  return "";
}

std::string ApplyChannel(const json& body, ReminderChannel* c, bool* secret_given) {
  for (const auto& [key, value] : body.items()) {
    static const std::vector<std::string> kKnown = {"name", "kind", "url", "secret", "login", "sender", "recipients", "enabled"};
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) return "不认识的字段“" + key + "”。";
  }
  std::string kind_text;
  for (std::string problem : {StringMember(body, "name", &c->name), StringMember(body, "kind", &kind_text),
                              StringMember(body, "url", &c->url), StringMember(body, "login", &c->login),
                              StringMember(body, "sender", &c->sender), ListMember(body, "recipients", &c->recipients),
                              BoolMember(body, "enabled", &c->enabled)}) {
    if (!problem.empty()) return problem;
  }
  if (body.contains("kind")) {
    auto kind = ParseChannelKind(kind_text);
    if (!kind) return "不认识的渠道类型“" + kind_text + "”：应为 钉钉、企业微信、邮件 或 回调（dingtalk、wecom、email、webhook）。";
    c->kind = *kind;
  }
  *secret_given = body.contains("secret");
  if (std::string problem = StringMember(body, "secret", &c->secret); !problem.empty()) return problem;
  return "";
}

std::string ApplyRule(const json& body, ReminderRule* r) {
  for (const auto& [key, value] : body.items()) {
    static const std::vector<std::string> kKnown = {"name", "kind", "days", "unit", "channels", "enabled"};
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) return "不认识的字段“" + key + "”。";
  }
  std::string kind_text;
  for (std::string problem : {StringMember(body, "name", &r->name), StringMember(body, "kind", &kind_text),
                              StringMember(body, "unit", &r->scope_unit), ListMember(body, "channels", &r->channels),
                              BoolMember(body, "enabled", &r->enabled)}) {
    if (!problem.empty()) return problem;
  }
  if (body.contains("kind")) {
    auto kind = ParseRuleKind(kind_text);
    if (!kind) return "不认识的规则类型“" + kind_text + "”：应为 到期前、到期当天、逾期、待销号 或 汇总。";
    r->kind = *kind;
  }
  if (auto it = body.find("days"); it != body.end()) {
    if (!it->is_number_integer()) return "days 应为整数。";
    r->days = it->get<int>();
  }
  return "";
}

// A rule's units for Authorize: its unit, or — for every unit — the roots
// (only a scope over a whole tree reaches them), as an item of no unit.
Resource RuleResource(const UnitTree& tree, const ReminderRule& rule) {
  Resource resource;
  resource.object = "催办规则 " + rule.name;
  const Unit* unit = rule.scope_unit.empty() ? nullptr : tree.FindByName(rule.scope_unit);
  if (unit != nullptr) {
    resource.units = {unit->id};
  } else {
    for (const Unit& u : tree.units()) {
      if (u.parent_id == 0) resource.units.push_back(u.id);
    }
  }
  return resource;
}

// Whether `principal` may manage `rule` (the refusal audited); a Status
// kPermissionDenied saying why when not.
Status RuleAllowed(AccessStore& access, const Principal& principal, const ReminderRule& rule) {
  Result<UnitTree> tree = access.Units();
  if (!tree.ok()) return tree.status();
  if (tree->units().empty()) return Status::Ok();  // no unit tree: the route's decision stands
  Result<Decision> d = access.Require(principal, Action::kManageReminderRules, RuleResource(*tree, rule));
  if (!d.ok()) return d.status();
  if (!d->allowed) {
    return Status(StatusCode::kPermissionDenied, rule.scope_unit.empty()
                                                     ? "只有管辖全县的督查员可以管理针对全部单位的规则。"
                                                     : "“" + rule.scope_unit + "”不在您的管辖范围内。");
  }
  return Status::Ok();
}

// The channel's change in words for the audit log: never its secret.
std::string ChannelDetail(const ReminderChannel& c, bool secret_given) {
  return std::string(ChannelKindLabel(c.kind)) + "，地址 " + ShownUrl(c.url) + (c.enabled ? "" : "，已停用") +
         (secret_given ? "，密钥" + SecretShown(c.secret) : "");
}

}  // namespace

// Routes name only the fields they use (designated initializers).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
void AddReminderRoutes(Router* router, StoreAccounts* accounts) {
  std::vector<std::pair<int, std::string>> responses = {{200, "该事项的催办记录，最新的在前"}};
  AddAuthResponses(&responses);
  responses.push_back({404, "没有这个事项，或不在本人的查看范围内"});
  responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/items/{id}/reminders",
      .operation_id = "listItemReminders",
      .summary = "一个事项的催办记录：哪条规则、哪天的提醒、发往哪个渠道和谁、是否送达或错误、尝试几次",
      .tag = "台账",
      .action = "items.read",
      .params = {{"id", "path", "事项编号", true}},
      .response_schema = {{"type", "object"},
                          {"properties", {{"item", {{"type", "integer"}}},
                                          {"reminders", {{"type", "array"}, {"items", ReminderSchema()}}}}}},
      .responses = responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const std::string& text = context.params["id"];
            int64_t id = 0;
            for (char c : text) {
              if (c < '0' || c > '9' || id > 1000000000000) return ErrorResponse(404, "没有这个事项。");
              id = id * 10 + (c - '0');
            }
            if (text.empty() || id == 0) return ErrorResponse(404, "没有这个事项。");
            Result<std::optional<LedgerItem>> item = accounts->ReadItem(*context.principal, id);
            if (!item.ok()) return ErrorResponse(500, item.status().message());
            if (!*item) return ErrorResponse(404, "没有编号 " + std::to_string(id) + " 的事项。");
            json reminders = json::array();
            Status s = accounts->WithStore([&](AccessStore&, LedgerStore& ledger) -> Status {
              auto remind = RemindStore::Open(&ledger);
              if (!remind.ok()) return remind.status();
              auto log = (*remind)->ItemLog(id);
              if (!log.ok()) return log.status();
              for (const ReminderLogEntry& e : *log) reminders.push_back(ReminderJson(e));
              return Status::Ok();
            });
            if (!s.ok()) return ErrorResponse(500, s.message());
            return JsonResponse(200, {{"item", id}, {"reminders", reminders}});
          },
  });
}

void AddReminderSettingRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  auto responses = [](std::vector<std::pair<int, std::string>> own) {
    AddAuthResponses(&own);
    own.push_back({500, "无法读写台账，或审计日志写不进去（修改没有保存）"});
    own.push_back({503, "本服务没有启用账户"});
    return own;
  };
  // Runs `fn` with the reminder store of a connection; the answer of a failure.
  // A change passes `ledger` to an AuditOnCommit made before it, so that
  // its success audit row is written inside the change's own transaction:
  // both commit or neither (a failing audit row: 500, the change undone).
  auto with_remind = [accounts](const std::function<Status(AccessStore&, RemindStore&, LedgerStore&)>& fn) {
    return accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) -> Status {
      auto remind = RemindStore::Open(&ledger);
      if (!remind.ok()) return remind.status();
      return fn(access, **remind, ledger);
    });
  };
  const std::vector<std::pair<int, std::string>> body_errors = {
      {400, "请求体不是有效的 JSON 对象"}, {413, "请求体超过上限"}, {415, "请求体不是 application/json"}};

  // --- Channels: the system administrator's --------------------------------------
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/reminders/channels",
      .operation_id = "listReminderChannels",
      .summary = "催办渠道：钉钉、企业微信群机器人，邮件，JSON 回调（密钥只说是否设置，地址中的令牌不显示）",
      .tag = "催办",
      .action = "reminders.channels",
      .response_schema = {{"type", "object"}, {"properties", {{"channels", {{"type", "array"}, {"items", ChannelSchema()}}}}}},
      .responses = responses({{200, "全部渠道"}}),
      .handler =
          [accounts, with_remind](RouteContext&) {
            if (accounts == nullptr) return NoAccountsResponse();
            json out = json::array();
            Status s = with_remind([&](AccessStore&, RemindStore& remind, LedgerStore&) -> Status {
              auto channels = remind.Channels();
              if (!channels.ok()) return channels.status();
              for (const ReminderChannel& c : *channels) out.push_back(ChannelJson(c));
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, {{"channels", out}});
          },
  });
  {
    auto r = body_errors;
    r.insert(r.begin(), {201, "已新增"});
    r.push_back({422, "字段不对：名称已有、类型或地址不对、邮件缺少发件或收件地址、钉钉密钥不以 SEC 开头"});
    router->Add(Route{
        .method = "POST",
        .pattern = "/api/v1/reminders/channels",
        .operation_id = "addReminderChannel",
        .summary = "新增催办渠道（记入审计日志；密钥保存后不再显示）",
        .tag = "催办",
        .action = "reminders.channels",
        .request_type = "application/json",
        .request_schema = ChannelRequestSchema(true),
        .max_body = options.max_json_bytes,
        .response_schema = ChannelSchema(),
        .responses = responses(r),
        .handler =
            [accounts, with_remind](RouteContext& context) {
              if (accounts == nullptr) return NoAccountsResponse();
              HttpResponse error;
              std::optional<json> body = ParseJsonObject(context.request, &error);
              if (!body) return error;
              ReminderChannel channel;
              bool secret_given = false;
              if (std::string problem = ApplyChannel(*body, &channel, &secret_given); !problem.empty()) {
                return ErrorResponse(422, problem);
              }
              if (!body->contains("name") || !body->contains("kind") || !body->contains("url")) {
                return ErrorResponse(422, "请给出 name（名称）、kind（类型）和 url（地址）。");
              }
              json out;
              Status s = with_remind([&](AccessStore& access, RemindStore& remind, LedgerStore& ledger) -> Status {
                AuditOnCommit audit(ledger, [&](const std::vector<LedgerItem>&) {
                  return access.Record(*context.principal, "reminder_channel_add", "催办渠道 " + channel.name, "success",
                                       ChannelDetail(channel, secret_given));
                });
                auto added = remind.AddChannel(channel);
                if (!added.ok()) return added.status();
                out = ChannelJson(*added);
                return Status::Ok();
              });
              if (!s.ok()) return StatusResponse(s);
              return JsonResponse(201, out);
            },
    });
  }
  {
    auto r = body_errors;
    r.insert(r.begin(), {200, "已修改"});
    r.push_back({404, "没有这个渠道"});
    r.push_back({422, "字段不对（名称不能修改）"});
    router->Add(Route{
        .method = "PATCH",
        .pattern = "/api/v1/reminders/channels/{id}",
        .operation_id = "updateReminderChannel",
        .summary = "修改催办渠道：给出的字段才改；不给 secret 保留原密钥（记入审计日志）",
        .tag = "催办",
        .action = "reminders.channels",
        .params = {{"id", "path", "渠道编号", true}},
        .request_type = "application/json",
        .request_schema = ChannelRequestSchema(false),
        .max_body = options.max_json_bytes,
        .response_schema = ChannelSchema(),
        .responses = responses(r),
        .handler =
            [accounts, with_remind](RouteContext& context) {
              if (accounts == nullptr) return NoAccountsResponse();
              const int64_t id = PathId(context.params["id"]);
              if (id == 0) return ErrorResponse(404, "没有这个渠道。");
              HttpResponse error;
              std::optional<json> body = ParseJsonObject(context.request, &error);
              if (!body) return error;
              json out;
              std::string problem;
              Status s = with_remind([&](AccessStore& access, RemindStore& remind, LedgerStore& ledger) -> Status {
                auto channels = remind.Channels();
                if (!channels.ok()) return channels.status();
                auto it = std::find_if(channels->begin(), channels->end(),
                                       [&](const ReminderChannel& c) { return c.id == id; });
                if (it == channels->end()) return Status(StatusCode::kNotFound, "没有编号为 " + std::to_string(id) + " 的渠道。");
                ReminderChannel channel = *it;
                bool secret_given = false;
                problem = ApplyChannel(*body, &channel, &secret_given);
                if (!problem.empty()) return Status::Ok();
                AuditOnCommit audit(ledger, [&](const std::vector<LedgerItem>&) {
                  return access.Record(*context.principal, "reminder_channel_update", "催办渠道 " + channel.name,
                                       "success", ChannelDetail(channel, secret_given));
                });
                auto updated = remind.UpdateChannel(id, channel, !secret_given);
                if (!updated.ok()) return updated.status();
                out = ChannelJson(*updated);
                return Status::Ok();
              });
              if (!problem.empty()) return ErrorResponse(422, problem);
              if (!s.ok()) return StatusResponse(s);
              return JsonResponse(200, out);
            },
    });
  }
  router->Add(Route{
      .method = "DELETE",
      .pattern = "/api/v1/reminders/channels/{id}",
      .operation_id = "deleteReminderChannel",
      .summary = "删除催办渠道：仍被规则使用或已有催办记录的不能删除（请停用）；记入审计日志",
      .tag = "催办",
      .action = "reminders.channels",
      .params = {{"id", "path", "渠道编号", true}},
      .response_schema = {{"type", "object"}, {"properties", {{"id", {{"type", "integer"}}}, {"deleted", {{"type", "boolean"}}}}}},
      .responses = responses({{200, "已删除"}, {404, "没有这个渠道"}, {422, "仍被规则使用，或已有催办记录"}}),
      .handler =
          [accounts, with_remind](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const int64_t id = PathId(context.params["id"]);
            if (id == 0) return ErrorResponse(404, "没有这个渠道。");
            Status s = with_remind([&](AccessStore& access, RemindStore& remind, LedgerStore& ledger) -> Status {
              auto channels = remind.Channels();
              if (!channels.ok()) return channels.status();
              std::string name;
              for (const ReminderChannel& c : *channels) {
                if (c.id == id) name = c.name;
              }
              AuditOnCommit audit(ledger, [&](const std::vector<LedgerItem>&) {
                return access.Record(*context.principal, "reminder_channel_delete", "催办渠道 " + name, "success", "删除");
              });
              return remind.DeleteChannel(id);
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, {{"id", id}, {"deleted", true}});
          },
  });

  // --- Rules: a supervisor's, within its scope --------------------------------------
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/reminders/rules",
      .operation_id = "listReminderRules",
      .summary = "本人可管理的催办规则（单位在管辖范围内的；针对全部单位的只给管辖全县的人），以及可选的渠道名称",
      .tag = "催办",
      .action = "reminders.rules",
      .response_schema = {{"type", "object"},
                          {"properties",
                           {{"rules", {{"type", "array"}, {"items", RuleSchema()}}},
                            {"channels", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "启用的渠道名称（规则从中选择）"}}}}}},
      .responses = responses({{200, "规则与渠道名称"}}),
      .handler =
          [accounts, with_remind](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            json rules = json::array();
            json names = json::array();
            Status s = with_remind([&](AccessStore& access, RemindStore& remind, LedgerStore&) -> Status {
              auto tree = access.Units();
              if (!tree.ok()) return tree.status();
              auto all = remind.Rules();
              if (!all.ok()) return all.status();
              for (const ReminderRule& r : *all) {
                if (tree->units().empty() ||
                    Authorize(*context.principal, Action::kManageReminderRules, RuleResource(*tree, r)).allowed) {
                  rules.push_back(RuleJson(r));
                }
              }
              auto channels = remind.Channels();
              if (!channels.ok()) return channels.status();
              for (const ReminderChannel& c : *channels) {
                if (c.enabled) names.push_back(c.name);
              }
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, {{"rules", rules}, {"channels", names}});
          },
  });
  {
    auto r = body_errors;
    r.insert(r.begin(), {201, "已新增"});
    r.push_back({403, "规则的单位不在本人的管辖范围内"});
    r.push_back({422, "字段不对：名称已有、类型或天数不对、没有这个渠道或单位"});
    router->Add(Route{
        .method = "POST",
        .pattern = "/api/v1/reminders/rules",
        .operation_id = "addReminderRule",
        .summary = "新增催办规则（单位须在本人管辖范围内；记入审计日志）",
        .tag = "催办",
        .action = "reminders.rules",
        .request_type = "application/json",
        .request_schema = RuleRequestSchema(true),
        .max_body = options.max_json_bytes,
        .response_schema = RuleSchema(),
        .responses = responses(r),
        .handler =
            [accounts, with_remind](RouteContext& context) {
              if (accounts == nullptr) return NoAccountsResponse();
              HttpResponse error;
              std::optional<json> body = ParseJsonObject(context.request, &error);
              if (!body) return error;
              ReminderRule rule;
              if (std::string problem = ApplyRule(*body, &rule); !problem.empty()) return ErrorResponse(422, problem);
              if (!body->contains("name") || !body->contains("kind") || !body->contains("channels")) {
                return ErrorResponse(422, "请给出 name（名称）、kind（类型）和 channels（渠道）。");
              }
              json out;
              Status s = with_remind([&](AccessStore& access, RemindStore& remind, LedgerStore& ledger) -> Status {
                if (Status allowed = RuleAllowed(access, *context.principal, rule); !allowed.ok()) return allowed;
                AuditOnCommit audit(ledger, [&](const std::vector<LedgerItem>&) {
                  return access.Record(*context.principal, "reminder_rule_add", "催办规则 " + rule.name, "success",
                                       RuleWhen(rule) + "，" + (rule.scope_unit.empty() ? "全部单位" : rule.scope_unit) +
                                           "，发往 " + JoinUnitList(rule.channels));
                });
                auto added = remind.AddRule(rule);
                if (!added.ok()) return added.status();
                out = RuleJson(*added);
                return Status::Ok();
              });
              if (!s.ok()) return StatusResponse(s);
              return JsonResponse(201, out);
            },
    });
  }
  {
    auto r = body_errors;
    r.insert(r.begin(), {200, "已修改"});
    r.push_back({403, "规则原来或修改后的单位不在本人的管辖范围内"});
    r.push_back({404, "没有这个规则"});
    r.push_back({422, "字段不对"});
    router->Add(Route{
        .method = "PATCH",
        .pattern = "/api/v1/reminders/rules/{id}",
        .operation_id = "updateReminderRule",
        .summary = "修改催办规则：给出的字段才改（停用：{\"enabled\": false}）；记入审计日志",
        .tag = "催办",
        .action = "reminders.rules",
        .params = {{"id", "path", "规则编号", true}},
        .request_type = "application/json",
        .request_schema = RuleRequestSchema(false),
        .max_body = options.max_json_bytes,
        .response_schema = RuleSchema(),
        .responses = responses(r),
        .handler =
            [accounts, with_remind](RouteContext& context) {
              if (accounts == nullptr) return NoAccountsResponse();
              const int64_t id = PathId(context.params["id"]);
              if (id == 0) return ErrorResponse(404, "没有这个规则。");
              HttpResponse error;
              std::optional<json> body = ParseJsonObject(context.request, &error);
              if (!body) return error;
              json out;
              std::string problem;
              Status s = with_remind([&](AccessStore& access, RemindStore& remind, LedgerStore& ledger) -> Status {
                auto rules = remind.Rules();
                if (!rules.ok()) return rules.status();
                auto it = std::find_if(rules->begin(), rules->end(), [&](const ReminderRule& r) { return r.id == id; });
                if (it == rules->end()) return Status(StatusCode::kNotFound, "没有编号为 " + std::to_string(id) + " 的规则。");
                if (Status allowed = RuleAllowed(access, *context.principal, *it); !allowed.ok()) {
                  return Status(StatusCode::kNotFound, "没有编号为 " + std::to_string(id) + " 的规则。");
                }
                ReminderRule rule = *it;
                problem = ApplyRule(*body, &rule);
                if (!problem.empty()) return Status::Ok();
                if (Status allowed = RuleAllowed(access, *context.principal, rule); !allowed.ok()) return allowed;
                AuditOnCommit audit(ledger, [&](const std::vector<LedgerItem>&) {
                  return access.Record(*context.principal, "reminder_rule_update", "催办规则 " + rule.name, "success",
                                       RuleWhen(rule) + "，" + (rule.scope_unit.empty() ? "全部单位" : rule.scope_unit) +
                                           "，发往 " + JoinUnitList(rule.channels) + (rule.enabled ? "" : "，已停用"));
                });
                auto updated = remind.UpdateRule(id, rule);
                if (!updated.ok()) return updated.status();
                out = RuleJson(*updated);
                return Status::Ok();
              });
              if (!problem.empty()) return ErrorResponse(422, problem);
              if (!s.ok()) return StatusResponse(s);
              return JsonResponse(200, out);
            },
    });
  }
  router->Add(Route{
      .method = "DELETE",
      .pattern = "/api/v1/reminders/rules/{id}",
      .operation_id = "deleteReminderRule",
      .summary = "删除催办规则：已有催办记录的不能删除（请停用）；记入审计日志",
      .tag = "催办",
      .action = "reminders.rules",
      .params = {{"id", "path", "规则编号", true}},
      .response_schema = {{"type", "object"}, {"properties", {{"id", {{"type", "integer"}}}, {"deleted", {{"type", "boolean"}}}}}},
      .responses = responses({{200, "已删除"}, {404, "没有这个规则，或不在本人的管辖范围内"}, {422, "已有催办记录"}}),
      .handler =
          [accounts, with_remind](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const int64_t id = PathId(context.params["id"]);
            if (id == 0) return ErrorResponse(404, "没有这个规则。");
            Status s = with_remind([&](AccessStore& access, RemindStore& remind, LedgerStore& ledger) -> Status {
              auto rules = remind.Rules();
              if (!rules.ok()) return rules.status();
              auto it = std::find_if(rules->begin(), rules->end(), [&](const ReminderRule& r) { return r.id == id; });
              if (it == rules->end() || !RuleAllowed(access, *context.principal, *it).ok()) {
                return Status(StatusCode::kNotFound, "没有编号为 " + std::to_string(id) + " 的规则。");
              }
              const std::string name = it->name;
              AuditOnCommit audit(ledger, [&](const std::vector<LedgerItem>&) {
                return access.Record(*context.principal, "reminder_rule_delete", "催办规则 " + name, "success", "删除");
              });
              return remind.DeleteRule(id);
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, {{"id", id}, {"deleted", true}});
          },
  });
}
#pragma GCC diagnostic pop

Result<std::string> RunReminderRound(const std::string& db, int64_t retry_base_seconds) {
  auto ledger = LedgerStore::Open(db, "催办");
  if (!ledger.ok()) return ledger.status();
  auto remind = RemindStore::Open(ledger->get());
  if (!remind.ok()) return remind.status();
  RemindOptions options;
  options.retry_base_seconds = retry_base_seconds;
  auto run = (*remind)->Run(options);
  if (!run.ok()) return run.status();
  if (run->sent.empty() && run->failed.empty()) return std::string();
  return "催办：已发送 " + std::to_string(run->sent.size()) + " 条，未能送达 " + std::to_string(run->failed.size()) +
         " 条。";
}

}  // namespace taizhang::server_internal
