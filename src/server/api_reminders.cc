// The reminders of the API (remind/): an item's reminder log, and the round
// `taizhang serve` runs on its timer.
#include "remind/remind.h"
#include "server/api.h"

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
