// The administration endpoints (api_admin.cc) over real HTTP, on SQLite and
// PostgreSQL: units, users, the security policy, the audit log, backups;
// bad input answered 4xx in Chinese with nothing stored; every change in
// the audit log with its user, address, object and outcome. And the
// server's housekeeping: orphaned jobs (two processes on one store), the
// sweep on a timer, trusted proxies.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ingest/zip_archive.h"
#include "ledger/database.h"
#include "server/http_parse.h"
#include "server/jobs.h"
#include "server/server_test_util.h"

namespace taizhang {
namespace {

using nlohmann::json;
using server_test::Http;
using server_test::IsErrorShape;
using server_test::LiveServer;
using server_test::LogIn;
using server_test::Reply;
using server_test::ScratchPostgres;
using server_test::Session;

const RoleSet kSystem = RoleBit(UserRole::kSystemAdmin);
const RoleSet kSecurity = RoleBit(UserRole::kSecurityAdmin);
const RoleSet kAudit = RoleBit(UserRole::kAuditAdmin);
const RoleSet kSupervisor = RoleBit(UserRole::kSupervisor);

// Whether a reply is the error shape with `status` and a Chinese message.
::testing::AssertionResult IsError(const Reply& r, int status) {
  auto type = r.headers.find("content-type");
  return IsErrorShape(r.status, type == r.headers.end() ? "" : type->second, r.body, status);
}

std::string Message(const Reply& r) { return r.Json()["error"].value("message", ""); }

// The audit log's rows as the command line's audit administrator reads them.
std::vector<AuditEntry> AuditRows(LiveServer& server, AuditQuery query = {}) {
  std::vector<AuditEntry> out;
  query.limit = 0;
  server.WithStore([&](LedgerStore&, AccessStore& access, const Principal&) {
    auto rows = access.ReadAudit(ConsolePrincipal(kAudit, "tester"), query);
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    out = *rows;
  });
  return out;
}

// Whether the log has a row of `action` by `actor` on `object` with `outcome`,
// from 127.0.0.1 (or `address`).
::testing::AssertionResult Audited(LiveServer& server, const std::string& actor, const std::string& action,
                                   const std::string& object, const std::string& outcome,
                                   const std::string& address = "127.0.0.1") {
  for (const AuditEntry& e : AuditRows(server)) {
    if (e.actor == actor && e.action == action && e.object == object && e.outcome == outcome &&
        e.address == address) {
      return ::testing::AssertionSuccess();
    }
  }
  std::string log;
  for (const AuditEntry& e : AuditRows(server)) {
    log += "\n  " + e.actor + " | " + e.address + " | " + e.action + " | " + e.object + " | " + e.outcome + " | " + e.detail;
  }
  return ::testing::AssertionFailure() << "no row " << actor << " " << action << " " << object << " " << outcome
                                       << " from " << address << " in:" << log;
}

size_t UnitCount(LiveServer& server) {
  size_t n = 0;
  server.WithStore([&](LedgerStore&, AccessStore& access, const Principal&) { n = access.Units()->units().size(); });
  return n;
}

// The node named `name` in a tree of GET /api/v1/units, or null.
json FindNode(const json& nodes, const std::string& name) {
  for (const json& node : nodes) {
    if (node["name"] == name) return node;
    json below = FindNode(node["children"], name);
    if (!below.is_null()) return below;
  }
  return nullptr;
}

// --- Units ------------------------------------------------------------------------

void UnitsOverTheApi(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  Session admin = server.AddUser("sysadmin", kSystem, "");
  for (const json& unit : {json{{"name", "某县"}}, json{{"name", "县水利局"}, {"parent", "某县"}},
                           json{{"name", "办公室"}, {"parent", "县水利局"}},
                           json{{"name", "县农业农村局"}, {"parent", "某县"}, {"aliases", {"农业农村局"}}}}) {
    Reply r = server.Send(admin, "POST", "/api/v1/units", unit);
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.Json()["name"], unit["name"]);
  }
  Reply tree = server.Get(admin, "/api/v1/units");
  ASSERT_EQ(tree.status, 200) << tree.body;
  json units = tree.Json()["units"];
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0]["name"], "某县");
  EXPECT_EQ(units[0]["children"].size(), 2u);
  json office = FindNode(units, "办公室");
  ASSERT_FALSE(office.is_null());
  EXPECT_EQ(office["path"], "某县 / 县水利局 / 办公室");
  EXPECT_EQ(FindNode(units, "县农业农村局")["aliases"], json::array({"农业农村局"}));
  const int64_t office_id = office["id"];
  const int64_t farm_id = FindNode(units, "县农业农村局")["id"];
  const int64_t county_id = units[0]["id"];
  EXPECT_TRUE(Audited(server, "sysadmin", "unit_add", "单位 办公室", "success"));

  // Bad input: 4xx in Chinese, nothing stored.
  const size_t before = UnitCount(server);
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/units", json{{"name", ""}}), 422));
  Reply taken = server.Send(admin, "POST", "/api/v1/units", json{{"name", "农业农村局"}});
  EXPECT_TRUE(IsError(taken, 422));
  EXPECT_NE(Message(taken).find("已被使用"), std::string::npos) << taken.body;
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/units", json{{"name", "某科"}, {"parent", "没有的单位"}}), 404));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/units", json{{"nam", "某科"}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/units", json{{"name", 7}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/units", json{{"name", "某科"}, {"aliases", "x"}}), 422));
  EXPECT_TRUE(IsError(Http(server.address(), "POST", "/api/v1/units", "{", admin.token, admin.csrf), 400));
  EXPECT_EQ(UnitCount(server), before);
  EXPECT_TRUE(Audited(server, "sysadmin", "unit_add", "单位 农业农村局", "failure"));

  // Rename, aliases, move; a cycle refused.
  const std::string office_path = "/api/v1/units/" + std::to_string(office_id);
  Reply renamed = server.Send(admin, "POST", office_path + "/rename", json{{"name", "综合办公室"}});
  EXPECT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.Json()["path"], "某县 / 县水利局 / 综合办公室");
  EXPECT_TRUE(Audited(server, "sysadmin", "unit_rename", "单位 办公室", "success"));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", office_path + "/rename", json{{"name", "县水利局"}}), 422));
  Reply aliased = server.Send(admin, "POST", office_path + "/aliases", json{{"aliases", {"水利局办公室"}}});
  EXPECT_EQ(aliased.status, 200) << aliased.body;
  EXPECT_EQ(aliased.Json()["aliases"], json::array({"水利局办公室"}));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", office_path + "/aliases", json{{"aliases", {"某县"}}}), 422));
  Reply moved = server.Send(admin, "POST", office_path + "/move", json{{"parent", "县农业农村局"}});
  EXPECT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.Json()["path"], "某县 / 县农业农村局 / 综合办公室");
  EXPECT_TRUE(Audited(server, "sysadmin", "unit_move", "单位 综合办公室", "success"));
  Reply cycle = server.Send(admin, "POST", "/api/v1/units/" + std::to_string(county_id) + "/move",
                            json{{"parent", "综合办公室"}});
  EXPECT_TRUE(IsError(cycle, 422));
  EXPECT_NE(Message(cycle).find("下级"), std::string::npos) << cycle.body;
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/units/999999/rename", json{{"name", "某"}}), 404));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/units/abc/rename", json{{"name", "某"}}), 404));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", office_path + "/move", json{{"parent", 3}}), 422));
  {
    Reply after = server.Get(admin, "/api/v1/units");
    EXPECT_EQ(FindNode(after.Json()["units"], "某县")["parent_id"], 0) << "the cycle was not stored";
  }

  // Disable: refused while an enabled account is in the unit.
  Reply added = server.Send(admin, "POST", "/api/v1/users",
                            json{{"name", "farmer"}, {"roles", {"reporter"}}, {"unit", "县农业农村局"}});
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string farm_path = "/api/v1/units/" + std::to_string(farm_id);
  Reply in_use = server.Send(admin, "POST", farm_path + "/disable", json());
  EXPECT_TRUE(IsError(in_use, 422));
  EXPECT_NE(Message(in_use).find("farmer"), std::string::npos) << in_use.body;
  EXPECT_EQ(server.Send(admin, "POST", "/api/v1/users/farmer/disable", json()).status, 200);
  Reply disabled = server.Send(admin, "POST", farm_path + "/disable", json());
  EXPECT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.Json()["disabled"], true);
  EXPECT_TRUE(Audited(server, "sysadmin", "unit_disable", "单位 县农业农村局", "success"));
  // A disabled unit takes no new account and no new child.
  Reply refused_user = server.Send(admin, "POST", "/api/v1/users",
                                   json{{"name", "farmer2"}, {"roles", {"reporter"}}, {"unit", "县农业农村局"}});
  EXPECT_TRUE(IsError(refused_user, 422));
  EXPECT_NE(Message(refused_user).find("停用"), std::string::npos);
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/units", json{{"name", "某股"}, {"parent", "县农业农村局"}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", farm_path + "/disable", json()), 422));
  EXPECT_EQ(server.Send(admin, "POST", farm_path + "/enable", json()).status, 200);
  EXPECT_EQ(server.Send(admin, "POST", "/api/v1/users",
                        json{{"name", "farmer2"}, {"roles", {"reporter"}}, {"unit", "县农业农村局"}})
                .status,
            201);

  // Anyone logged in reads the tree; only the system administrator changes it.
  Session supervisor = server.AddUser("chief", kSupervisor, "某县");
  EXPECT_EQ(server.Get(supervisor, "/api/v1/units").status, 200);
  EXPECT_TRUE(IsError(server.Send(supervisor, "POST", "/api/v1/units", json{{"name", "某科"}}), 403));
  EXPECT_TRUE(IsError(server.Send(supervisor, "POST", office_path + "/rename", json{{"name", "某科"}}), 403));
  EXPECT_TRUE(Audited(server, "chief", "refused", "", "refused"));
  EXPECT_TRUE(IsError(Http(server.address(), "GET", "/api/v1/units"), 401));
}

TEST(AdminUnits, TreeAddRenameMoveDisableOnSqlite) { UnitsOverTheApi(""); }

TEST(AdminUnits, TreeAddRenameMoveDisableOnPostgres) {
  ScratchPostgres pg("taizhang_admin_units");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  UnitsOverTheApi(pg.url());
}

// --- Users ------------------------------------------------------------------------

void UsersOverTheApi(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  server.AddUnit("县水利局", "某县");
  Session admin = server.AddUser("sysadmin", kSystem, "");
  Session security = server.AddUser("secadmin", kSecurity, "");
  Session auditor = server.AddUser("auditor", kAudit, "");

  // Add: the one-time password is shown once and logs in (a change forced).
  Reply added = server.Send(admin, "POST", "/api/v1/users",
                            json{{"name", "zhang"}, {"display_name", "张三"}, {"roles", {"填报员"}}, {"unit", "县水利局"}});
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string once = added.Json()["one_time_password"];
  EXPECT_EQ(once.size(), 16u);
  EXPECT_EQ(added.Json()["user"]["display_name"], "张三");
  EXPECT_EQ(added.Json()["user"]["roles"], json::array({"reporter"}));
  EXPECT_EQ(added.Json()["user"]["unit"], "县水利局");
  EXPECT_EQ(added.headers.at("cache-control"), "no-store");
  Session zhang = LogIn(server.address(), "zhang", once);
  EXPECT_EQ(zhang.user["must_change_password"], true);
  EXPECT_TRUE(Audited(server, "sysadmin", "user_add", "用户 zhang", "success"));

  // Bad input: 4xx in Chinese, nothing stored.
  auto user_count = [&] { return server.Get(admin, "/api/v1/users").Json()["users"].size(); };
  const size_t users_before = user_count();
  Reply combined = server.Send(admin, "POST", "/api/v1/users",
                               json{{"name", "boss"}, {"roles", {"system_admin", "audit_admin"}}});
  EXPECT_TRUE(IsError(combined, 422));
  EXPECT_NE(Message(combined).find("三者分立"), std::string::npos) << combined.body;
  EXPECT_TRUE(Audited(server, "sysadmin", "user_add", "用户 boss", "failure"));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users", json{{"name", "boss"}, {"roles", {"boss"}}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users", json{{"name", "boss"}, {"roles", json::array()}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users", json{{"name", "boss"}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users", json{{"name", "boss"}, {"roles", {"reporter"}}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users", json{{"name", "zhang"}, {"roles", {"viewer"}}, {"unit", "某县"}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users", json{{"name", "有 空格"}, {"roles", {"viewer"}}, {"unit", "某县"}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users", json{{"name", "li"}, {"roles", {"viewer"}}, {"unit", "某乡"}}), 404));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users", json{{"name", "li"}, {"roles", {"viewer"}}, {"password", "x"}}), 422));
  EXPECT_EQ(user_count(), users_before);
  EXPECT_TRUE(Audited(server, "sysadmin", "user_add", "用户 zhang", "failure"));

  // Change roles, unit, scope, display name at once.
  Reply patched = server.Send(admin, "PATCH", "/api/v1/users/zhang",
                              json{{"roles", {"supervisor", "reporter"}}, {"scope", "某县"}, {"display_name", "张三丰"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json()["roles"], json::array({"supervisor", "reporter"}));
  EXPECT_EQ(patched.Json()["scope"], "某县");
  EXPECT_EQ(patched.Json()["display_name"], "张三丰");
  EXPECT_TRUE(Audited(server, "sysadmin", "user_update", "用户 zhang", "success"));
  // 三员分立 through the API: refused, in Chinese, nothing changed.
  Reply third = server.Send(admin, "PATCH", "/api/v1/users/secadmin", json{{"roles", {"security_admin", "system_admin"}}});
  EXPECT_TRUE(IsError(third, 422));
  EXPECT_NE(Message(third).find("三者分立"), std::string::npos) << third.body;
  for (const json& u : json(server.Get(admin, "/api/v1/users").Json()["users"])) {
    if (u["name"] == "secadmin") {
      EXPECT_EQ(u["roles"], json::array({"security_admin"}));
    }
  }
  EXPECT_TRUE(IsError(server.Send(admin, "PATCH", "/api/v1/users/nobody", json{{"display_name", "某"}}), 404));
  EXPECT_TRUE(IsError(server.Send(admin, "PATCH", "/api/v1/users/zhang", json::object()), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "PATCH", "/api/v1/users/zhang", json{{"unit", 5}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "PATCH", "/api/v1/users/zhang", json{{"roles", {"viewer"}}, {"unit", ""}, {"scope", ""}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "PATCH", "/api/v1/users/sysadmin", json{{"roles", {"viewer"}}, {"unit", "某县"}}), 422));
  EXPECT_TRUE(IsError(server.Send(admin, "PATCH", "/api/v1/users/zhang", json{{"name", "zhang2"}}), 422));

  // Disable ends the sessions; enable; reset gives a new one-time password.
  EXPECT_EQ(server.Get(zhang, "/api/v1/auth/me").status, 200);
  EXPECT_EQ(server.Send(admin, "POST", "/api/v1/users/zhang/disable", json()).status, 200);
  EXPECT_EQ(server.Get(zhang, "/api/v1/auth/me").status, 401);
  EXPECT_TRUE(Audited(server, "sysadmin", "user_disable", "用户 zhang", "success"));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users/sysadmin/disable", json()), 422));
  EXPECT_EQ(server.Send(admin, "POST", "/api/v1/users/zhang/enable", json()).status, 200);
  Reply reset = server.Send(admin, "POST", "/api/v1/users/zhang/reset-password", json());
  ASSERT_EQ(reset.status, 200) << reset.body;
  const std::string fresh = reset.Json()["one_time_password"];
  EXPECT_NE(fresh, once);
  EXPECT_EQ(Http(server.address(), "POST", "/api/v1/auth/login", json{{"name", "zhang"}, {"password", once}}.dump()).status, 401);
  EXPECT_EQ(LogIn(server.address(), "zhang", fresh).user["must_change_password"], true);
  EXPECT_TRUE(Audited(server, "sysadmin", "password_reset", "用户 zhang", "success"));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users/nobody/reset-password", json()), 404));

  // Unlock is the security administrator's.
  for (int i = 0; i < 5; ++i) {
    Http(server.address(), "POST", "/api/v1/auth/login", json{{"name", "zhang"}, {"password", "Wrong#2025x"}}.dump());
  }
  EXPECT_TRUE(IsError(Http(server.address(), "POST", "/api/v1/auth/login", json{{"name", "zhang"}, {"password", fresh}}.dump()), 403));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/users/zhang/unlock", json()), 403));
  bool locked = false;
  for (const json& u : json(server.Get(security, "/api/v1/users").Json()["users"])) {
    if (u["name"] == "zhang") locked = u["locked"];
  }
  EXPECT_TRUE(locked);
  EXPECT_EQ(server.Send(security, "POST", "/api/v1/users/zhang/unlock", json()).status, 200);
  EXPECT_EQ(LogIn(server.address(), "zhang", fresh).user["name"], "zhang");
  EXPECT_TRUE(Audited(server, "secadmin", "user_unlock", "用户 zhang", "success"));
  // The security administrator reads the list but changes no account;
  // the audit administrator does neither.
  EXPECT_TRUE(IsError(server.Send(security, "POST", "/api/v1/users", json{{"name", "x1"}, {"roles", {"viewer"}}, {"unit", "某县"}}), 403));
  EXPECT_TRUE(IsError(server.Get(auditor, "/api/v1/users"), 403));
  EXPECT_TRUE(IsError(server.Send(auditor, "POST", "/api/v1/users/zhang/unlock", json()), 403));
  EXPECT_TRUE(Audited(server, "auditor", "refused", "", "refused"));
}

TEST(AdminUsers, AddChangeDisableResetUnlockOnSqlite) { UsersOverTheApi(""); }

TEST(AdminUsers, AddChangeDisableResetUnlockOnPostgres) {
  ScratchPostgres pg("taizhang_admin_users");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  UsersOverTheApi(pg.url());
}

// --- Policy and audit log -------------------------------------------------------------

void PolicyAndAuditOverTheApi(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  Session admin = server.AddUser("sysadmin", kSystem, "");
  Session security = server.AddUser("secadmin", kSecurity, "");
  Session auditor = server.AddUser("auditor", kAudit, "");

  Reply policy = server.Get(security, "/api/v1/policy");
  ASSERT_EQ(policy.status, 200) << policy.body;
  EXPECT_EQ(policy.Json()["min_length"], 8);
  EXPECT_EQ(policy.Json()["audit_retention_days"], 180);
  EXPECT_TRUE(IsError(server.Get(admin, "/api/v1/policy"), 403));
  EXPECT_TRUE(IsError(server.Send(admin, "PUT", "/api/v1/policy", json{{"min_length", 12}}), 403));
  Reply set = server.Send(security, "PUT", "/api/v1/policy", json{{"min_length", 12}, {"lockout_minutes", 30}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.Json()["min_length"], 12);
  EXPECT_EQ(set.Json()["max_failures"], 5);
  EXPECT_TRUE(Audited(server, "secadmin", "policy_set", "安全策略", "success"));
  Reply short_retention = server.Send(security, "PUT", "/api/v1/policy", json{{"audit_retention_days", 90}});
  EXPECT_TRUE(IsError(short_retention, 422));
  EXPECT_NE(Message(short_retention).find("180"), std::string::npos);
  EXPECT_TRUE(IsError(server.Send(security, "PUT", "/api/v1/policy", json{{"min_length", 12}, {"colour", 1}}), 422));
  EXPECT_TRUE(IsError(server.Send(security, "PUT", "/api/v1/policy", json{{"min_length", "12"}}), 422));
  EXPECT_TRUE(IsError(server.Send(security, "PUT", "/api/v1/policy", json::object()), 422));
  EXPECT_TRUE(IsError(Http(server.address(), "PUT", "/api/v1/policy", "[1]", security.token, security.csrf), 400));
  Reply after = server.Get(security, "/api/v1/policy");
  EXPECT_EQ(after.Json()["min_length"], 12);
  EXPECT_EQ(after.Json()["audit_retention_days"], 180);

  // The audit log: the audit administrator's only.
  EXPECT_TRUE(IsError(server.Get(admin, "/api/v1/audit"), 403));
  EXPECT_TRUE(IsError(server.Get(security, "/api/v1/audit/export"), 403));
  EXPECT_TRUE(IsError(server.Send(admin, "POST", "/api/v1/audit/purge", json()), 403));
  Reply logins = server.Get(auditor, "/api/v1/audit?action=login&outcome=success");
  ASSERT_EQ(logins.status, 200);
  std::set<std::string> who;
  for (const json& e : json(logins.Json()["entries"])) {
    EXPECT_EQ(e["action"], "login");
    EXPECT_EQ(e["outcome"], "success");
    EXPECT_EQ(e["address"], "127.0.0.1");
    who.insert(e["user"].get<std::string>());
  }
  EXPECT_EQ(who, (std::set<std::string>{"sysadmin", "secadmin", "auditor"}));
  Reply refused = server.Get(auditor, "/api/v1/audit?outcome=refused&user=sysadmin");
  ASSERT_EQ(refused.status, 200);
  EXPECT_GE(refused.Json()["entries"].size(), 2u);
  for (const json& e : json(refused.Json()["entries"])) EXPECT_EQ(e["user"], "sysadmin");
  // Paging: two at a time, in order, with `more`.
  Reply first = server.Get(auditor, "/api/v1/audit?limit=2");
  Reply second = server.Get(auditor, "/api/v1/audit?limit=2&offset=2");
  ASSERT_EQ(first.Json()["entries"].size(), 2u);
  EXPECT_TRUE(first.Json()["more"].get<bool>());
  EXPECT_LT(first.Json()["entries"][1]["id"].get<int64_t>(), second.Json()["entries"][0]["id"].get<int64_t>());
  const std::string today = FormatUtc(std::time(nullptr)).substr(0, 10);
  EXPECT_FALSE(server.Get(auditor, "/api/v1/audit?from=" + today + "&to=" + today).Json()["entries"].empty());
  EXPECT_TRUE(server.Get(auditor, "/api/v1/audit?to=2001-01-01").Json()["entries"].empty());
  for (const char* bad : {"?outcome=maybe", "?from=2025-02-30", "?to=yesterday", "?limit=0", "?limit=5000",
                          "?offset=-1", "?action=DROP%20TABLE"}) {
    EXPECT_TRUE(IsError(server.Get(auditor, std::string("/api/v1/audit") + bad), 400)) << bad;
  }
  EXPECT_TRUE(Audited(server, "auditor", "audit_read", "审计日志", "success"));

  // Export: CSV with a BOM, as an attachment.
  Reply csv = server.Get(auditor, "/api/v1/audit/export?action=policy_set");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers.at("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.headers.at("content-disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF编号,时间,用户,地址,操作,对象,结果,说明\r\n", 0), 0u);
  EXPECT_NE(csv.body.find("secadmin,127.0.0.1,policy_set,安全策略,success"), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body.find("login"), std::string::npos);
  EXPECT_TRUE(Audited(server, "auditor", "audit_export", "审计日志", "success"));
  // Or an Excel workbook: the same rows, strings (never formulas).
  Reply xlsx = server.Get(auditor, "/api/v1/audit/export?format=xlsx&action=policy_set");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.headers.at("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  auto zip = ingest_internal::ZipArchive::Open("audit.xlsx", xlsx.body, ingest_internal::ZipLimits{});
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  auto strings = (*zip)->Read("xl/sharedStrings.xml");
  ASSERT_TRUE(strings.ok()) << strings.status().message();
  for (const char* text : {"编号", "说明", "secadmin", "policy_set", "安全策略", "min_length=12"}) {
    EXPECT_NE(strings->find(text), std::string::npos) << text;
  }
  EXPECT_EQ(strings->find("login"), std::string::npos);
  EXPECT_TRUE(IsError(server.Get(auditor, "/api/v1/audit/export?format=pdf"), 400));

  // Purge: only rows older than the retention go.
  server.WithStore([](LedgerStore& ledger, AccessStore&, const Principal&) {
    ASSERT_TRUE(ledger.database()
                    ->Execute("INSERT INTO audit_log (at, actor, address, action, object, outcome, detail) "
                              "VALUES ('2020-01-02T03:04:05Z', 'old', '本机', 'login', '用户 old', 'success', '很久以前')",
                              {})
                    .ok());
  });
  const size_t rows_before = AuditRows(server).size();
  Reply purged = server.Send(auditor, "POST", "/api/v1/audit/purge", json());
  ASSERT_EQ(purged.status, 200) << purged.body;
  EXPECT_EQ(purged.Json()["purged"], 1);
  EXPECT_EQ(purged.Json()["retention_days"], 180);
  std::vector<AuditEntry> rows = AuditRows(server);
  EXPECT_TRUE(std::none_of(rows.begin(), rows.end(), [](const AuditEntry& e) { return e.actor == "old"; }));
  EXPECT_GE(rows.size(), rows_before);  // one gone, the purge and this read recorded
  EXPECT_TRUE(Audited(server, "auditor", "audit_purge", "审计日志", "success"));
}

TEST(AdminPolicyAudit, PolicyAndAuditLogOnSqlite) { PolicyAndAuditOverTheApi(""); }

TEST(AdminPolicyAudit, PolicyAndAuditLogOnPostgres) {
  ScratchPostgres pg("taizhang_admin_audit");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  PolicyAndAuditOverTheApi(pg.url());
}

// --- Backup ---------------------------------------------------------------------------

void BackupOverTheApi(const std::string& db, const std::string& magic) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  server.WithStore([](LedgerStore& ledger, AccessStore&, const Principal&) {
    NewItem item;
    item.unit = "某县";
    item.year = 2025;
    item.task = "备份前的事项";
    ASSERT_TRUE(ledger.AddItem(item).ok());
  });
  Session admin = server.AddUser("sysadmin", kSystem, "");
  Session other = server.AddUser("sysadmin2", kSystem, "");
  Session auditor = server.AddUser("auditor", kAudit, "");
  EXPECT_TRUE(IsError(server.Send(auditor, "POST", "/api/v1/backup", json()), 403));

  Reply made = server.Send(admin, "POST", "/api/v1/backup", json());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string file = made.Json()["file"];
  const std::string path = server.dir().path() + "/data/backups/" + file;
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  const std::string bytes = server_test::ReadFile(path);
  EXPECT_EQ(bytes.rfind(magic, 0), 0u) << "a " << magic << " file";
  EXPECT_EQ(made.Json()["size"], bytes.size());
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
      << "the copy holds password hashes: its owner's only";
  EXPECT_TRUE(Audited(server, "sysadmin", "backup", "数据库备份 " + file, "success"));

  // Downloadable once, by the one who made it.
  const std::string download = made.Json()["download"];
  EXPECT_TRUE(IsError(server.Get(other, download), 404));
  Reply got = server.Get(admin, download);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body, bytes);
  EXPECT_EQ(got.headers.at("content-type"), "application/octet-stream");
  EXPECT_TRUE(IsError(server.Get(admin, download), 404));
  EXPECT_TRUE(IsError(server.Get(admin, "/api/v1/backup/../../etc"), 404));
  EXPECT_TRUE(IsError(server.Get(admin, "/api/v1/backup/0123456789abcdef0123456789abcdef"), 404));
  EXPECT_TRUE(std::filesystem::exists(path)) << "the copy stays in the data directory";
  EXPECT_TRUE(Audited(server, "sysadmin", "backup_download", "数据库备份 " + file, "success"));

  // The copy is the store: restoring it gives back the item.
  if (magic == "SQLite format 3") {
    auto copy = LedgerStore::Open(path, "tester");
    ASSERT_TRUE(copy.ok()) << copy.status().message();
    auto items = (*copy)->ListItems({});
    ASSERT_TRUE(items.ok());
    ASSERT_EQ(items->size(), 1u);
    EXPECT_EQ((*items)[0].task, "备份前的事项");
  }
}

TEST(AdminBackup, ConsistentCopyDownloadableOnceOnSqlite) { BackupOverTheApi("", "SQLite format 3"); }

TEST(AdminBackup, ConsistentCopyDownloadableOnceOnPostgres) {
  ScratchPostgres pg("taizhang_admin_backup");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  BackupOverTheApi(pg.url(), "PGDMP");
}

// --- Housekeeping -----------------------------------------------------------------------

// Two server processes on one store: a process starting (or sweeping)
// fails only the unfinished jobs of a process whose heartbeat stopped.
void OrphanedJobs(const std::string& db) {
  auto first = LedgerStore::Open(db, "serve");
  auto second = LedgerStore::Open(db, "serve");
  ASSERT_TRUE(first.ok() && second.ok());
  ServerProcess p1 = server_internal::ThisServerProcess(), p2 = server_internal::ThisServerProcess();
  ASSERT_NE(p1.runner, p2.runner);
  auto jobs1 = server_internal::LedgerJobStore(first->get(), p1);
  auto jobs2 = server_internal::LedgerJobStore(second->get(), p2);
  const int64_t lease = 60000;
  ASSERT_TRUE(jobs1->Housekeep(lease).ok());
  server_internal::JobRecord running;
  running.id = server_internal::RandomId();
  running.owner = "1";
  running.state = "running";
  running.created_ms = running.updated_ms = server_internal::NowMs();
  ASSERT_TRUE(jobs1->Put(running).ok());
  // A job of a process that died before heartbeats existed (no runner row).
  ASSERT_TRUE((*first)->database()
                  ->Execute("INSERT INTO jobs (id, owner, upload, name, state, progress, result, error, created_ms, "
                            "updated_ms, runner) VALUES ('dead0', '1', '', 'a.txt', 'queued', 0, '', '', 1, 1, "
                            "'gone:1:x')",
                            {})
                  .ok());
  // The second process starts: the live first one's job is left alone.
  Result<int64_t> failed = jobs2->Housekeep(lease);
  ASSERT_TRUE(failed.ok()) << failed.status().message();
  EXPECT_EQ(*failed, 1);
  EXPECT_EQ(jobs2->Get(running.id)->state, "running");
  EXPECT_EQ(jobs2->Get("dead0")->state, "failed");
  EXPECT_EQ(jobs2->Get("dead0")->error, server_internal::kOrphanedJobMessage);
  // Its own sweeps again: still alone (the first one beats).
  ASSERT_TRUE(jobs1->Housekeep(lease).ok());
  EXPECT_EQ(*jobs2->Housekeep(lease), 0);
  EXPECT_EQ(jobs2->Get(running.id)->state, "running");
  // The first process dies (its heartbeat stops): its job is failed.
  ASSERT_TRUE((*second)->database()
                  ->Execute("UPDATE server_processes SET heartbeat_ms = heartbeat_ms - ? WHERE runner = ?",
                            {ledger_internal::Value(lease + 1000), ledger_internal::Value(p1.runner)})
                  .ok());
  EXPECT_EQ(*jobs2->Housekeep(lease), 1);
  std::optional<server_internal::JobRecord> orphan = jobs2->Get(running.id);
  EXPECT_EQ(orphan->state, "failed");
  EXPECT_EQ(orphan->error, "分析任务所在的服务进程已意外停止，任务未完成，请重新提交。");
  // A process stopping fails what it leaves queued.
  server_internal::JobRecord queued = running;
  queued.id = server_internal::RandomId();
  queued.state = "queued";
  ASSERT_TRUE(jobs2->Put(queued).ok());
  jobs2->Retire();
  EXPECT_EQ(jobs1->Get(queued.id)->state, "failed");
  EXPECT_EQ(jobs1->Get(queued.id)->error, server_internal::kStoppedJobMessage);
}

TEST(AdminHousekeeping, OnlyJobsOfDeadProcessesFailOnSqlite) {
  server_test::TempDir dir;
  OrphanedJobs(dir.path() + "/taizhang.db");
}

TEST(AdminHousekeeping, OnlyJobsOfDeadProcessesFailOnPostgres) {
  ScratchPostgres pg("taizhang_admin_jobs");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  OrphanedJobs(pg.url());
}

// A server starting fails the jobs a dead process left; its timer sweeps
// expired sessions and old rate counters.
TEST(AdminHousekeeping, StartFailsOrphansAndTheTimerSweeps) {
  server_test::TempDir dir;
  const std::string db = dir.path() + "/taizhang.db";
  {
    auto store = LedgerStore::Open(db, "serve");
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->database()
                    ->Execute("INSERT INTO jobs (id, owner, upload, name, state, progress, result, error, created_ms, "
                              "updated_ms, runner) VALUES ('left0', '1', '', 'a.txt', 'running', 30, '', '', 1, 1, "
                              "'crashed:7:y')",
                              {})
                    .ok());
  }
  ServeOptions options;
  options.housekeeping_interval = std::chrono::milliseconds(100);
  options.job_lease = std::chrono::milliseconds(5000);
  LiveServer server(db, options);
  ASSERT_TRUE(server.ok());
  server.WithStore([](LedgerStore& ledger, AccessStore&, const Principal&) {
    auto job = ledger.GetJob("left0");
    ASSERT_TRUE(job.ok() && *job);
    EXPECT_EQ((*job)->state, "failed");
    EXPECT_EQ((*job)->error, server_internal::kOrphanedJobMessage);
  });
  Session admin = server.AddUser("sysadmin", kSystem, "");
  // A session idle since 1970 and a counter of a window long gone.
  server.WithStore([](LedgerStore& ledger, AccessStore&, const Principal&) {
    ASSERT_TRUE(ledger.database()
                    ->Execute("INSERT INTO access_sessions (token_hash, user_id, created_at, last_seen_at, address) "
                              "SELECT 'stale', id, 0, 0, '10.0.0.1' FROM access_users WHERE name = 'sysadmin'",
                              {})
                    .ok());
    ASSERT_TRUE(ledger.database()
                    ->Execute("INSERT INTO access_rate_counters (counter_key, window_start, hits) VALUES ('old', 0, 3)", {})
                    .ok());
  });
  auto count = [&](const std::string& sql) {
    int64_t n = -1;
    server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
      std::vector<ledger_internal::Row> rows;
      ASSERT_TRUE(ledger.database()->Execute(sql, {}, &rows).ok());
      n = rows.at(0).Int(0);
    });
    return n;
  };
  // Polled, not timed: the machine may be loaded.
  for (int i = 0; i < 200 && (count("SELECT COUNT(*) FROM access_sessions WHERE token_hash = 'stale'") != 0 ||
                              count("SELECT COUNT(*) FROM access_rate_counters WHERE counter_key = 'old'") != 0);
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_sessions WHERE token_hash = 'stale'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_rate_counters WHERE counter_key = 'old'"), 0);
  EXPECT_EQ(server.Get(admin, "/api/v1/auth/me").status, 200) << "a live session stays";
  EXPECT_EQ(count("SELECT COUNT(*) FROM server_processes"), 1);
}

TEST(AdminProxy, ClientAddressBelievesOnlyTrustedPeers) {
  using server_internal::ClientAddress;
  const std::vector<std::string> trusted = {"127.0.0.1", "10.0.0.2", "::1"};
  EXPECT_EQ(ClientAddress("192.0.2.9:5000", "203.0.113.7", trusted), "192.0.2.9:5000");  // not a proxy
  EXPECT_EQ(ClientAddress("127.0.0.1:5000", "203.0.113.7", trusted), "203.0.113.7");
  EXPECT_EQ(ClientAddress("127.0.0.1:5000", "", trusted), "127.0.0.1:5000");
  EXPECT_EQ(ClientAddress("127.0.0.1:5000", "203.0.113.7", {}), "127.0.0.1:5000");
  // A client's own X-Forwarded-For is not believed: the last hop the
  // trusted proxies saw is.
  EXPECT_EQ(ClientAddress("127.0.0.1:5000", "1.2.3.4, 203.0.113.7, 10.0.0.2", trusted), "203.0.113.7");
  EXPECT_EQ(ClientAddress("[::1]:8080", "2001:DB8::1", trusted), "2001:db8::1");
  EXPECT_EQ(ClientAddress("127.0.0.1:5000", "10.0.0.2", trusted), "10.0.0.2");
  EXPECT_EQ(ClientAddress("127.0.0.1:5000", "evil, 10.0.0.2", trusted), "10.0.0.2");
  EXPECT_EQ(ClientAddress("127.0.0.1:5000", "203.0.113.7:443", trusted), "127.0.0.1");
  EXPECT_EQ(server_internal::NormalizeAddress("[::FFFF:10.0.0.8]"), "::ffff:10.0.0.8");
  EXPECT_EQ(server_internal::NormalizeAddress("localhost"), std::nullopt);
}

TEST(AdminProxy, ForwardedAddressReachesTheAuditLogOnlyFromATrustedProxy) {
  for (bool trust : {false, true}) {
    ServeOptions options;
    if (trust) options.trusted_proxies = {"127.0.0.1"};
    LiveServer server("", options);
    ASSERT_TRUE(server.ok());
    Reply login = Http(server.address(), "POST", "/api/v1/auth/login",
                       json{{"name", "nobody"}, {"password", "Wrong#2025"}}.dump(), "", "", "application/json",
                       "X-Forwarded-For: 203.0.113.7\r\n");
    EXPECT_EQ(login.status, 401);
    EXPECT_TRUE(Audited(server, "nobody", "login", "用户 nobody", "failure", trust ? "203.0.113.7" : "127.0.0.1"));
    // The access log writes the same address (its line follows the answer:
    // polled).
    const std::string wanted = trust ? "\"remote\":\"203.0.113.7\"" : "\"remote\":\"127.0.0.1:";
    std::string log;
    for (int i = 0; i < 200 && log.find("/api/v1/auth/login") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      log = server_test::ReadFile(server.dir().path() + "/access.log");
    }
    EXPECT_NE(log.find(wanted), std::string::npos) << log;
  }
  // Behind a trusted proxy, the login limit per address counts the client's
  // address: one client throttled, another through the same proxy not.
  {
    ServeOptions options;
    options.trusted_proxies = {"127.0.0.1"};
    LiveServer server("", options);
    ASSERT_TRUE(server.ok());
    auto attempt = [&](const std::string& client, const std::string& name) {
      return Http(server.address(), "POST", "/api/v1/auth/login",
                  json{{"name", name}, {"password", "Wrong#2025"}}.dump(), "", "", "application/json",
                  "X-Forwarded-For: " + client + "\r\n");
    };
    int throttled_at = 0;
    for (int i = 1; i <= 40 && throttled_at == 0; ++i) {
      // Different names: the lockout per name is not what stops them.
      if (attempt("198.51.100.1", "user" + std::to_string(i)).status == 429) throttled_at = i;
    }
    EXPECT_EQ(throttled_at, 31);  // AccessOptions::login_attempts_per_address + 1
    EXPECT_EQ(attempt("198.51.100.2", "someone").status, 401);
    EXPECT_EQ(attempt("198.51.100.1", "someone").status, 429);
  }
  ServeOptions bad;
  bad.trusted_proxies = {"proxy.example"};
  bad.listen = "127.0.0.1:0";
  server_test::TempDir dir;
  bad.db = dir.path() + "/taizhang.db";
  bad.data_dir = dir.path() + "/data";
  auto refused = Server::Start(bad, NoAccounts());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("不是 IP 地址"), std::string::npos);
}

}  // namespace
}  // namespace taizhang
