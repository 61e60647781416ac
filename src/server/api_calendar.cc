// The calendar feed of deadlines (remind/'s DeadlineCalendar) behind a
// secret link: GET /api/v1/calendar/{token}.ics needs no session, only the
// token, and shows what the link's owner may read at the time it is
// fetched (a disabled account, a changed role or scope take effect at
// once). A token no link has, a revoked link and a disabled owner are one
// and the same 404. The owner makes, lists and revokes links with a
// session (/api/v1/calendar-links).
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "remind/remind.h"
#include "server/api.h"

namespace taizhang::server_internal {

using nlohmann::json;

namespace {

constexpr const char* kCalendarType = "text/calendar; charset=utf-8";
constexpr const char* kNoCalendar = "没有这个日历（链接不对或已撤销）。";

json LinkJson(const CalendarLink& link) {
  return {{"id", link.id}, {"name", link.name}, {"created_at", link.created_at}, {"last_used_at", link.last_used_at}};
}

json LinkSchema(bool with_token) {
  json properties = {{"id", {{"type", "integer"}}},
                     {"name", {{"type", "string"}, {"description", "链接的名称（如 办公电脑 Outlook）"}}},
                     {"created_at", {{"type", "string"}, {"description", "新建时间（UTC）"}}},
                     {"last_used_at", {{"type", "string"}, {"description", "日历最近一次读取的时间（UTC），从未读取为空"}}}};
  if (with_token) {
    properties["token"] = {{"type", "string"}, {"description", "链接的令牌，只在新建时给出这一次"}};
    properties["path"] = {{"type", "string"}, {"description", "订阅地址的路径 /api/v1/calendar/令牌.ics"}};
  }
  return {{"type", "object"}, {"properties", properties}};
}

}  // namespace

// Routes name only the fields they use (designated initializers).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
void AddCalendarRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/calendar/{file}",
      .operation_id = "getCalendarFeed",
      .summary = "事项时限的日历订阅（iCalendar .ics，RFC 5545）：不需登录，凭链接中的令牌；内容为链接所有者当时可查看的、"
                 "未完成且有时限的事项，每项一个全天日程，前一天上午 9 时提醒",
      .tag = "催办",
      .params = {{"file", "path", "令牌加 .ics（新建日历链接时给出的 path 的最后一段）", true}},
      .responses = {{200, "日历（text/calendar; charset=utf-8）"},
                    {404, "没有这个日历：令牌不对、链接已撤销或其所有者已停用（三者的答复相同）"},
                    {500, "无法读取台账或写出日历"},
                    {503, "本服务没有启用账户"}},
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const std::string& file = context.params["file"];
            constexpr std::string_view kSuffix = ".ics";
            if (file.size() <= kSuffix.size() || file.compare(file.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
              return ErrorResponse(404, kNoCalendar);
            }
            const std::string token = file.substr(0, file.size() - kSuffix.size());
            std::optional<Principal> owner;
            std::string scope_name;
            int64_t now = 0;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) -> Status {
              Result<std::optional<Principal>> found = access.CalendarPrincipal(token, context.request.remote);
              if (!found.ok()) return found.status();
              owner = std::move(*found);
              now = access.clock().Now();
              if (!owner) return Status::Ok();
              Result<UnitTree> tree = access.Units();
              if (!tree.ok()) return tree.status();
              if (const Unit* unit = tree->Find(owner->scope_unit_id)) scope_name = unit->name;
              return Status::Ok();
            });
            if (!s.ok()) return ErrorResponse(500, s.message());
            if (!owner) return ErrorResponse(404, kNoCalendar);
            ItemFilter filter;
            filter.deadline_from = "0001-01-01";  // items with a deadline
            filter.order = ItemFilter::Order::kDeadline;
            Result<StoreAccounts::ItemPage> page =
                accounts->ListItems(*owner, filter, 0, std::numeric_limits<int64_t>::max());
            if (!page.ok()) return ErrorResponse(500, page.status().message());
            CalendarFeedOptions feed;
            const std::string who = owner->display_name.empty() ? owner->name : owner->display_name;
            feed.name = "台账时限（" + (scope_name.empty() ? who : scope_name + "，" + who) + "）";
            feed.stamp = now;
            Result<std::string> ics = DeadlineCalendar(page->items, feed);
            if (!ics.ok()) return ErrorResponse(500, ics.status().message());
            HttpResponse response;
            response.body = std::move(*ics);
            response.user = owner->name;
            response.Set("Content-Type", kCalendarType);
            response.Set("Content-Disposition", ContentDisposition("inline", "taizhang.ics", "台账时限.ics"));
            return response;
          },
      .blocking = true,
      .response_type = "text/calendar",
  });

  std::vector<std::pair<int, std::string>> list_responses = {{200, "本人的日历链接（不含令牌），最新的在前"}};
  AddAuthResponses(&list_responses);
  list_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/calendar-links",
      .operation_id = "listCalendarLinks",
      .summary = "本人的日历订阅链接：名称、新建时间、最近读取时间（令牌只在新建时给出）",
      .tag = "催办",
      .action = "calendar.links",
      .response_schema = {{"type", "object"},
                          {"properties", {{"links", {{"type", "array"}, {"items", LinkSchema(false)}}}}}},
      .responses = list_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            json links = json::array();
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) -> Status {
              Result<std::vector<CalendarLink>> found = access.CalendarLinks(*context.principal);
              if (!found.ok()) return found.status();
              for (const CalendarLink& link : *found) links.push_back(LinkJson(link));
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, {{"links", std::move(links)}});
          },
  });

  std::vector<std::pair<int, std::string>> create_responses = {
      {201, "已新建：令牌和订阅路径只给这一次，请当即复制"},
      {400, "请求体不是有效的 JSON 对象"},
      {413, "请求体超过上限"},
      {415, "请求体不是 application/json"},
      {422, "名称不对（1 到 100 字节的文字），或已有 20 个链接"}};
  AddAuthResponses(&create_responses);
  create_responses.push_back({500, "无法写入台账，或审计日志写不进去（链接没有新建）"});
  create_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/calendar-links",
      .operation_id = "createCalendarLink",
      .summary = "新建一个本人的日历订阅链接（Outlook、WPS、手机日历订阅它）；令牌只显示这一次，数据库中只存其哈希",
      .tag = "催办",
      .action = "calendar.links",
      .request_type = "application/json",
      .request_schema = {{"type", "object"},
                         {"required", {"name"}},
                         {"additionalProperties", false},
                         {"properties", {{"name", {{"type", "string"}, {"description", "链接的名称，如 办公电脑 Outlook"}}}}}},
      .max_body = options.max_json_bytes,
      .response_schema = LinkSchema(true),
      .responses = create_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            HttpResponse error;
            std::optional<json> body = ParseJsonObject(context.request, &error);
            if (!body) return error;
            for (const auto& [key, value] : body->items()) {
              if (key != "name") return ErrorResponse(422, "不认识的字段“" + key + "”：请求体应为 {\"name\": 名称}。");
            }
            auto name = body->find("name");
            if (name == body->end() || !name->is_string()) {
              return ErrorResponse(422, "请求体应为 {\"name\": 名称}，如 {\"name\": \"办公电脑 Outlook\"}。");
            }
            json out;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) -> Status {
              Result<CalendarLink> link = access.CreateCalendarLink(*context.principal, name->get<std::string>());
              if (!link.ok()) return link.status();
              out = LinkJson(*link);
              out["token"] = link->token;
              out["path"] = "/api/v1/calendar/" + link->token + ".ics";
              return Status::Ok();
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(201, out);
          },
  });

  std::vector<std::pair<int, std::string>> revoke_responses = {{200, "已撤销：此后用它订阅的日历读取时得到 404"},
                                                               {404, "本人没有这个日历链接"}};
  AddAuthResponses(&revoke_responses);
  revoke_responses.push_back({500, "无法写入台账，或审计日志写不进去（链接没有撤销）"});
  revoke_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "DELETE",
      .pattern = "/api/v1/calendar-links/{id}",
      .operation_id = "revokeCalendarLink",
      .summary = "撤销本人的一个日历订阅链接（记入审计日志）",
      .tag = "催办",
      .action = "calendar.links",
      .params = {{"id", "path", "链接编号", true}},
      .response_schema = {{"type", "object"}, {"properties", {{"id", {{"type", "integer"}}}, {"revoked", {{"type", "boolean"}}}}}},
      .responses = revoke_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const std::string& text = context.params["id"];
            int64_t id = 0;
            for (char c : text) {
              if (c < '0' || c > '9' || id > 1000000000000) return ErrorResponse(404, "没有这个日历链接。");
              id = id * 10 + (c - '0');
            }
            if (id == 0) return ErrorResponse(404, "没有这个日历链接。");
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              return access.RevokeCalendarLink(*context.principal, id);
            });
            if (!s.ok()) return StatusResponse(s);
            return JsonResponse(200, {{"id", id}, {"revoked", true}});
          },
  });
}
#pragma GCC diagnostic pop

}  // namespace taizhang::server_internal
