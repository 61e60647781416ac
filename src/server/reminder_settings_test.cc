// The settings of reminders over the API: channels are the system
// administrator's (a supervisor is refused), their secrets and the tokens in
// their addresses never come back, a change without a secret keeps it;
// rules are a supervisor's within its scope (a rule for every unit only for
// one over the whole county; another's rule is absent); what is in use or
// logged cannot be deleted; every change is in the audit log without a
// secret. On SQLite and PostgreSQL.
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "remind/remind.h"
#include "server/fail_audit_test_util.h"
#include "server/server_test_util.h"

namespace taizhang {
namespace {

using nlohmann::json;
using server_test::FailAuditOf;
using server_test::LiveServer;
using server_test::Reply;
using server_test::ScratchPostgres;
using server_test::Session;

constexpr const char* kSecret = "SEC0f3a9c1d7e5b2a8c4d6e0f1a3b5c7d9e";
constexpr const char* kToken = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

void Settings(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  server.AddUnit("县水利局", "某县");
  server.AddUnit("县农业农村局", "某县");
  Session sys = server.AddUser("sys", RoleBit(UserRole::kSystemAdmin), "");
  Session sup_all = server.AddUser("sup_all", RoleBit(UserRole::kSupervisor), "某县");
  Session sup_water = server.AddUser("sup_water", RoleBit(UserRole::kSupervisor), "县水利局");

  // Channels: the system administrator's; secrets never shown.
  const json dingtalk = {{"name", "督查群"},
                         {"kind", "钉钉"},
                         {"url", std::string("https://oapi.dingtalk.com/robot/send?access_token=") + kToken},
                         {"secret", kSecret},
                         {"recipients", {"13800000000"}}};
  EXPECT_EQ(server.Send(sup_all, "POST", "/api/v1/reminders/channels", dingtalk).status, 403);
  Reply added = server.Send(sys, "POST", "/api/v1/reminders/channels", dingtalk);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.body.find(kSecret), std::string::npos);
  EXPECT_EQ(added.body.find(kToken), std::string::npos);
  json channel = added.Json();
  EXPECT_EQ(channel["secret_set"], true);
  EXPECT_EQ(channel["url"], "https://oapi.dingtalk.com/robot/send?…");
  const int64_t channel_id = channel["id"].get<int64_t>();
  Reply mail = server.Send(sys, "POST", "/api/v1/reminders/channels",
                           json{{"name", "督查邮箱"}, {"kind", "email"}, {"url", "smtp://127.0.0.1:2525"},
                                {"sender", "duban@example.gov.cn"}, {"recipients", {"zhangsan@example.gov.cn"}}});
  ASSERT_EQ(mail.status, 201) << mail.body;
  Reply bad = server.Send(sys, "POST", "/api/v1/reminders/channels",
                          json{{"name", "坏钉钉"}, {"kind", "钉钉"}, {"url", "ftp://x"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("https://"), std::string::npos) << bad.body;
  Reply listed = server.Get(sys, "/api/v1/reminders/channels");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.Json()["channels"].size(), 2u);
  EXPECT_EQ(listed.body.find(kSecret), std::string::npos);
  EXPECT_EQ(listed.body.find(kToken), std::string::npos);
  EXPECT_EQ(server.Get(sup_all, "/api/v1/reminders/channels").status, 403);

  // Changed without a secret: the secret and the token kept.
  const std::string channel_path = "/api/v1/reminders/channels/" + std::to_string(channel_id);
  Reply disabled = server.Send(sys, "PATCH", channel_path, json{{"enabled", false}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.Json()["enabled"], false);
  EXPECT_EQ(server.Send(sys, "PATCH", channel_path, json{{"name", "新名称"}}).status, 422);
  EXPECT_EQ(server.Send(sys, "PATCH", "/api/v1/reminders/channels/999", json{{"enabled", true}}).status, 404);
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    auto remind = RemindStore::Open(&ledger);
    ASSERT_TRUE(remind.ok());
    auto channels = (*remind)->Channels();
    ASSERT_TRUE(channels.ok());
    EXPECT_EQ(channels->front().secret, kSecret);
    EXPECT_NE(channels->front().url.find(kToken), std::string::npos);
    EXPECT_FALSE(channels->front().enabled);
  });
  ASSERT_EQ(server.Send(sys, "PATCH", channel_path, json{{"enabled", true}}).status, 200);

  // Rules: a supervisor's, within its scope.
  auto rule = [](const std::string& name, const std::string& unit) {
    return json{{"name", name}, {"kind", "逾期"}, {"days", 7}, {"unit", unit}, {"channels", {"督查群"}}};
  };
  EXPECT_EQ(server.Send(sys, "POST", "/api/v1/reminders/rules", rule("系统的", "")).status, 403);
  Reply water = server.Send(sup_water, "POST", "/api/v1/reminders/rules", rule("水利局逾期", "县水利局"));
  ASSERT_EQ(water.status, 201) << water.body;
  EXPECT_EQ(water.Json()["when"], "逾期后每 7 天");
  EXPECT_EQ(server.Send(sup_water, "POST", "/api/v1/reminders/rules", rule("农业逾期", "县农业农村局")).status, 403);
  EXPECT_EQ(server.Send(sup_water, "POST", "/api/v1/reminders/rules", rule("全县逾期", "")).status, 403);
  Reply county = server.Send(sup_all, "POST", "/api/v1/reminders/rules", rule("全县逾期", ""));
  ASSERT_EQ(county.status, 201) << county.body;
  EXPECT_EQ(server.Send(sup_all, "POST", "/api/v1/reminders/rules",
                        json{{"name", "无渠道"}, {"kind", "到期当天"}, {"channels", {"没有的渠道"}}})
                .status,
            422);
  Reply water_rules = server.Get(sup_water, "/api/v1/reminders/rules");
  ASSERT_EQ(water_rules.status, 200);
  EXPECT_EQ(water_rules.Json()["rules"].size(), 1u);
  EXPECT_EQ(water_rules.Json()["channels"], json({"督查群", "督查邮箱"}));
  EXPECT_EQ(server.Get(sup_all, "/api/v1/reminders/rules").Json()["rules"].size(), 2u);
  const std::string county_path = "/api/v1/reminders/rules/" + std::to_string(county.Json()["id"].get<int64_t>());
  const std::string water_path = "/api/v1/reminders/rules/" + std::to_string(water.Json()["id"].get<int64_t>());
  EXPECT_EQ(server.Send(sup_water, "PATCH", county_path, json{{"enabled", false}}).status, 404) << "not in its scope";
  EXPECT_EQ(server.Send(sup_water, "DELETE", county_path, json()).status, 404);
  EXPECT_EQ(server.Send(sup_water, "PATCH", water_path, json{{"unit", "县农业农村局"}}).status, 403) << "moved out of scope";
  Reply changed = server.Send(sup_water, "PATCH", water_path, json{{"days", 3}, {"channels", {"督查群", "督查邮箱"}}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.Json()["when"], "逾期后每 3 天");

  // In use: a channel a rule names stays; a rule goes, then its channel may.
  EXPECT_EQ(server.Send(sys, "DELETE", "/api/v1/reminders/channels/" + std::to_string(mail.Json()["id"].get<int64_t>()),
                        json())
                .status,
            422);
  EXPECT_EQ(server.Send(sup_water, "DELETE", water_path, json()).status, 200);
  EXPECT_EQ(server.Send(sys, "DELETE", "/api/v1/reminders/channels/" + std::to_string(mail.Json()["id"].get<int64_t>()),
                        json())
                .status,
            200);

  // Every change audited, no secret in the log.
  std::multiset<std::string> actions;
  for (const AuditEntry& e : server.AuditLog()) {
    actions.insert(e.action);
    EXPECT_EQ(e.detail.find(kSecret), std::string::npos) << e.detail;
    EXPECT_EQ(e.detail.find(kToken), std::string::npos) << e.detail;
  }
  EXPECT_EQ(actions.count("reminder_channel_add"), 2u);
  EXPECT_EQ(actions.count("reminder_channel_update"), 2u);
  EXPECT_EQ(actions.count("reminder_channel_delete"), 1u);
  EXPECT_EQ(actions.count("reminder_rule_add"), 2u);
  EXPECT_EQ(actions.count("reminder_rule_update"), 1u);
  EXPECT_EQ(actions.count("reminder_rule_delete"), 1u);
}

TEST(ReminderSettings, ChannelsAndRulesOnSqlite) { Settings(""); }

TEST(ReminderSettings, ChannelsAndRulesOnPostgres) {
  ScratchPostgres pg("taizhang_remind_settings");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  Settings(pg.url());
}


// How many success audit rows of `action` on `object` there are.
size_t AuditRows(LiveServer& server, const std::string& action, const std::string& object) {
  size_t n = 0;
  for (const AuditEntry& e : server.AuditLog()) n += e.action == action && e.object == object && e.outcome == "success";
  return n;
}

// A change whose audit row cannot be written is not made (500, in
// Chinese); with the audit log writable each change writes one row.
void AuditFailureUndoesTheChange(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  Session sys = server.AddUser("sys", RoleBit(UserRole::kSystemAdmin), "");
  Session sup = server.AddUser("sup", RoleBit(UserRole::kSupervisor), "某县");
  auto refused = [](const Reply& r) {
    return r.status == 500 && r.body.find("审计日志写不进去") != std::string::npos;
  };
  const json hook = {{"name", "督查群"}, {"kind", "webhook"}, {"url", "https://hooks.example.gov.cn/duban"}};
  const json rule = {{"name", "全县逾期"}, {"kind", "逾期"}, {"days", 7}, {"channels", {"督查群"}}};
  auto channels = [&] { return server.Get(sys, "/api/v1/reminders/channels").Json()["channels"]; };
  auto rules = [&] { return server.Get(sup, "/api/v1/reminders/rules").Json()["rules"]; };

  FailAuditOf(server, "reminder_channel_add", true);
  Reply no_channel = server.Send(sys, "POST", "/api/v1/reminders/channels", hook);
  EXPECT_TRUE(refused(no_channel)) << no_channel.status << " " << no_channel.body;
  EXPECT_TRUE(server_test::IsErrorShape(no_channel.status, no_channel.headers["content-type"], no_channel.body, 500));
  EXPECT_EQ(channels().size(), 0u);
  FailAuditOf(server, "reminder_channel_add", false);
  Reply added = server.Send(sys, "POST", "/api/v1/reminders/channels", hook);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(AuditRows(server, "reminder_channel_add", "催办渠道 督查群"), 1u);
  const std::string channel_path = "/api/v1/reminders/channels/" + std::to_string(added.Json()["id"].get<int64_t>());

  FailAuditOf(server, "reminder_channel_update", true);
  Reply no_update = server.Send(sys, "PATCH", channel_path, json{{"enabled", false}});
  EXPECT_TRUE(refused(no_update)) << no_update.status << " " << no_update.body;
  EXPECT_EQ(channels()[0]["enabled"], true);
  FailAuditOf(server, "reminder_channel_update", false);

  FailAuditOf(server, "reminder_rule_add", true);
  Reply no_rule = server.Send(sup, "POST", "/api/v1/reminders/rules", rule);
  EXPECT_TRUE(refused(no_rule)) << no_rule.status << " " << no_rule.body;
  EXPECT_EQ(rules().size(), 0u);
  FailAuditOf(server, "reminder_rule_add", false);
  Reply made = server.Send(sup, "POST", "/api/v1/reminders/rules", rule);
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string rule_path = "/api/v1/reminders/rules/" + std::to_string(made.Json()["id"].get<int64_t>());

  FailAuditOf(server, "reminder_rule_update", true);
  Reply no_rule_update = server.Send(sup, "PATCH", rule_path, json{{"days", 3}});
  EXPECT_TRUE(refused(no_rule_update)) << no_rule_update.status << " " << no_rule_update.body;
  EXPECT_EQ(rules()[0]["days"], 7);
  FailAuditOf(server, "reminder_rule_update", false);
  FailAuditOf(server, "reminder_rule_delete", true);
  Reply no_rule_delete = server.Send(sup, "DELETE", rule_path, json());
  EXPECT_TRUE(refused(no_rule_delete)) << no_rule_delete.status << " " << no_rule_delete.body;
  EXPECT_EQ(rules().size(), 1u);
  FailAuditOf(server, "reminder_rule_delete", false);
  // Writable again: each change made, with one audit row.
  ASSERT_EQ(server.Send(sup, "PATCH", rule_path, json{{"days", 3}}).status, 200);
  EXPECT_EQ(rules()[0]["days"], 3);
  ASSERT_EQ(server.Send(sup, "DELETE", rule_path, json()).status, 200);
  EXPECT_EQ(rules().size(), 0u);
  EXPECT_EQ(AuditRows(server, "reminder_rule_add", "催办规则 全县逾期"), 1u);
  EXPECT_EQ(AuditRows(server, "reminder_rule_update", "催办规则 全县逾期"), 1u);
  EXPECT_EQ(AuditRows(server, "reminder_rule_delete", "催办规则 全县逾期"), 1u);

  FailAuditOf(server, "reminder_channel_delete", true);
  Reply no_delete = server.Send(sys, "DELETE", channel_path, json());
  EXPECT_TRUE(refused(no_delete)) << no_delete.status << " " << no_delete.body;
  EXPECT_EQ(channels().size(), 1u);
  FailAuditOf(server, "reminder_channel_delete", false);
  ASSERT_EQ(server.Send(sys, "PATCH", channel_path, json{{"enabled", false}}).status, 200);
  EXPECT_EQ(channels()[0]["enabled"], false);
  ASSERT_EQ(server.Send(sys, "DELETE", channel_path, json()).status, 200);
  EXPECT_EQ(channels().size(), 0u);
  EXPECT_EQ(AuditRows(server, "reminder_channel_update", "催办渠道 督查群"), 1u);
  EXPECT_EQ(AuditRows(server, "reminder_channel_delete", "催办渠道 督查群"), 1u);
}

TEST(ReminderSettings, AuditFailureUndoesTheChangeOnSqlite) { AuditFailureUndoesTheChange(""); }

TEST(ReminderSettings, AuditFailureUndoesTheChangeOnPostgres) {
  ScratchPostgres pg("taizhang_remind_settings_audit");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  AuditFailureUndoesTheChange(pg.url());
}

}  // namespace
}  // namespace taizhang
