// The authorisation matrix over the endpoints: for every route of the
// router's own table (Router::routes(), so a route added later is covered
// without touching this file) and every role — and, for a route on one
// ledger item, a principal with the item in its scope and one without —
// the status is 401 without a session, 403 when Authorize refuses the
// route's action (the refusal in the audit log), and never 403 when it
// allows. A list never shows what the detail refuses; the three
// administrators (三员) cannot be combined through the API. On SQLite and
// PostgreSQL.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "server/api.h"
#include "server/server_test_util.h"

namespace taizhang {
namespace {

using nlohmann::json;
using server_test::Http;
using server_test::LiveServer;
using server_test::LogIn;
using server_test::Reply;
using server_test::ScratchPostgres;
using server_test::Session;

struct Actor {
  std::string name;
  std::string password;
  Session session;
  Principal principal;  // as the store authenticates the session
};

// A concrete request for a route: its target (parameters filled in) and
// the resource Authorize is asked about.
struct Target {
  std::string path;
  Resource resource;
  std::string label;
};

int64_t RefusalsOf(LiveServer& server, const std::string& name) {
  int64_t n = 0;
  server.WithStore([&](LedgerStore&, AccessStore& access, const Principal&) {
    AuditQuery q;
    q.actor = name;
    q.action = "refused";
    q.limit = 0;
    auto rows = access.ReadAudit(ConsolePrincipal(RoleBit(UserRole::kAuditAdmin), "tester"), q);
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    n = static_cast<int64_t>(rows->size());
  });
  return n;
}

void Matrix(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  server.AddUnit("县水利局", "某县");
  server.AddUnit("县农业农村局", "某县");
  std::map<std::string, LedgerItem> items;
  std::map<std::string, Resource> item_resources;
  server.WithStore([&](LedgerStore& ledger, AccessStore& access, const Principal&) {
    for (const auto& [key, unit] : std::vector<std::pair<std::string, std::string>>{
             {"water", "县水利局"}, {"farm", "县农业农村局"}, {"both", "县农业农村局、县水利局"}, {"nowhere", "某某公司"}}) {
      NewItem item;
      item.unit = unit;
      item.year = 2025;
      item.task = "事项" + key;
      auto added = ledger.AddItem(item);
      ASSERT_TRUE(added.ok()) << added.status().message();
      items[key] = *added;
      item_resources[key] = *access.ItemResource(*added);
    }
  });
  const int64_t water_unit = [&] {
    int64_t id = 0;
    server.WithStore([&](LedgerStore&, AccessStore& access, const Principal&) {
      id = access.Units()->FindByName("县水利局")->id;
    });
    return id;
  }();

  std::vector<Actor> actors;
  auto ready = [&](const std::string& name, RoleSet roles, const std::string& unit) {
    Actor a;
    a.name = name;
    a.password = LiveServer::kPassword;
    a.session = server.AddUser(name, roles, unit);
    actors.push_back(std::move(a));
  };
  ready("sys", RoleBit(UserRole::kSystemAdmin), "");
  ready("sec", RoleBit(UserRole::kSecurityAdmin), "");
  ready("aud", RoleBit(UserRole::kAuditAdmin), "");
  ready("sup_all", RoleBit(UserRole::kSupervisor), "某县");
  ready("sup_water", RoleBit(UserRole::kSupervisor), "县水利局");
  ready("rep_water", RoleBit(UserRole::kReporter), "县水利局");
  ready("view_farm", RoleBit(UserRole::kViewer), "县农业农村局");
  ready("two_roles", RoleBit(UserRole::kReporter) | RoleBit(UserRole::kViewer), "县农业农村局");
  {
    // One who has not changed the one-time password yet: only the own account.
    Actor fresh;
    fresh.name = "fresh";
    server.WithStore([&](LedgerStore&, AccessStore& access, const Principal& console) {
      NewUser user;
      user.name = "fresh";
      user.roles = RoleBit(UserRole::kSupervisor);
      user.unit = "某县";
      fresh.password = *access.AddUser(console, user);
      NewUser target;
      target.name = "target";
      target.roles = RoleBit(UserRole::kViewer);
      target.unit = "某县";
      ASSERT_TRUE(access.AddUser(console, target).ok());
    });
    fresh.session = LogIn(server.address(), "fresh", fresh.password);
    actors.push_back(std::move(fresh));
  }
  auto authenticate = [&](Actor& a) {
    server.WithStore([&](LedgerStore&, AccessStore& access, const Principal&) {
      auto check = access.Authenticate(a.session.token, "127.0.0.1");
      ASSERT_TRUE(check.ok() && check->principal) << a.name;
      a.principal = *check->principal;
    });
  };
  for (Actor& a : actors) authenticate(a);

  // A list never shows what the detail refuses, for every principal.
  for (Actor& a : actors) {
    if (a.name == "fresh") continue;
    SCOPED_TRACE(a.name);
    Reply list = server.Get(a.session, "/api/v1/items?limit=200");
    std::set<int64_t> listed;
    if (list.status == 200) {
      for (const json& item : json(list.Json()["items"])) listed.insert(item["id"].get<int64_t>());
    } else {
      EXPECT_EQ(list.status, 403);
    }
    for (const auto& [key, item] : items) {
      Reply detail = server.Get(a.session, "/api/v1/items/" + std::to_string(item.id));
      const bool readable = Authorize(a.principal, Action::kReadItem, item_resources[key]).allowed;
      EXPECT_EQ(listed.count(item.id) == 1, readable) << key;
      EXPECT_EQ(detail.status == 200, readable) << key << ": " << detail.status;
      if (!readable) {
        EXPECT_TRUE(detail.status == 403 || detail.status == 404) << key;
      }
    }
  }
  // Spot checks of the table against the scopes.
  auto can_read = [&](const std::string& who, const std::string& key) {
    for (const Actor& a : actors) {
      if (a.name == who) return Authorize(a.principal, Action::kReadItem, item_resources[key]).allowed;
    }
    return false;
  };
  EXPECT_TRUE(can_read("sup_water", "water"));
  EXPECT_TRUE(can_read("sup_water", "both"));
  EXPECT_FALSE(can_read("sup_water", "farm"));
  EXPECT_FALSE(can_read("sup_water", "nowhere"));
  EXPECT_TRUE(can_read("sup_all", "nowhere"));
  EXPECT_FALSE(can_read("sys", "water"));

  // 三员分立 through the API: no two of the three administrators, added or
  // changed; refused in Chinese, nothing stored.
  const Session& sys = actors[0].session;
  const std::vector<std::string> admins = {"system_admin", "security_admin", "audit_admin"};
  for (size_t i = 0; i < admins.size(); ++i) {
    for (size_t j = i + 1; j < admins.size(); ++j) {
      Reply added = server.Send(sys, "POST", "/api/v1/users", json{{"name", "combo"}, {"roles", {admins[i], admins[j]}}});
      EXPECT_EQ(added.status, 422) << added.body;
      EXPECT_NE(added.body.find("三者分立"), std::string::npos) << added.body;
      Reply changed = server.Send(sys, "PATCH", "/api/v1/users/sec", json{{"roles", {admins[i], admins[j]}}});
      EXPECT_EQ(changed.status, 422) << changed.body;
    }
  }
  Reply all_three = server.Send(sys, "PATCH", "/api/v1/users/aud", json{{"roles", admins}});
  EXPECT_EQ(all_three.status, 422);
  server.WithStore([&](LedgerStore&, AccessStore& access, const Principal& console) {
    auto users = access.ListUsers(console);
    ASSERT_TRUE(users.ok());
    for (const UserInfo& u : *users) {
      EXPECT_NE(u.name, "combo");
      EXPECT_TRUE(RoleSetProblem(u.roles).empty()) << u.name;
      if (u.name == "sec") {
        EXPECT_EQ(u.roles, RoleBit(UserRole::kSecurityAdmin));
      }
      if (u.name == "aud") {
        EXPECT_EQ(u.roles, RoleBit(UserRole::kAuditAdmin));
      }
    }
  });

  // The router's own table, made as the server makes it.
  std::shared_ptr<Authenticator> auth(&server.accounts(), [](Authenticator*) {});
  std::unique_ptr<server_internal::Router> router =
      server_internal::MakeApi(auth, server_internal::ApiServices{}, server_internal::ApiOptions{});
  std::vector<server_internal::Route> routes = router->routes();
  // Logging out ends the session: those last.
  std::stable_partition(routes.begin(), routes.end(),
                        [](const server_internal::Route& r) { return r.action != "auth.logout"; });
  size_t checked = 0;
  std::set<std::string> actions_seen;
  std::set<std::string> logged_out;
  for (const server_internal::Route& route : routes) {
    if (route.action.empty()) continue;  // public: no session asked
    std::optional<Action> action = StoreAccounts::RouteAction(route.action);
    ASSERT_TRUE(action) << route.pattern << ": action " << route.action << " not in StoreAccounts::RouteAction";
    actions_seen.insert(route.action);
    // The targets: a route on an item is asked of items of several units.
    std::vector<Target> targets;
    const bool on_item = route.pattern.rfind("/api/v1/items/{id}", 0) == 0;
    std::vector<std::string> keys = on_item ? std::vector<std::string>{"water", "farm", "both", "nowhere"}
                                            : std::vector<std::string>{""};
    for (const std::string& key : keys) {
      Target t;
      t.label = key;
      if (on_item) t.resource = item_resources[key];
      std::string path = route.pattern;
      for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{')) {
        size_t close = path.find('}', open);
        std::string name = path.substr(open + 1, close - open - 1);
        std::string value = "1";
        if (on_item && name == "id") {
          value = std::to_string(items[key].id);
        } else if (route.pattern.rfind("/api/v1/units/", 0) == 0 && name == "id") {
          value = std::to_string(water_unit);
        } else if (name == "name") {
          value = "target";
        } else if (name == "id") {
          value = std::string(32, '0');
        }
        path.replace(open, close - open + 1, value);
      }
      t.path = path;
      targets.push_back(std::move(t));
    }
    const std::string body = route.request_type == "application/json"           ? "{}"
                             : route.request_type == "application/octet-stream" ? "x"
                                                                                 : "";
    const std::string type = route.request_type.empty() ? "application/json" : route.request_type;
    for (const Target& t : targets) {
      SCOPED_TRACE(route.method + " " + route.pattern + " " + t.label);
      // Without a session: 401.
      Reply anonymous = Http(server.address(), route.method, t.path, body, "", "", type);
      EXPECT_EQ(anonymous.status, 401) << anonymous.body;
      for (Actor& a : actors) {
        SCOPED_TRACE(a.name);
        if (logged_out.count(a.name)) {
          // A logout route before ended it: a fresh session (few: logins
          // from one address are limited).
          a.session = LogIn(server.address(), a.name, a.password);
          logged_out.erase(a.name);
        }
        const Decision route_decision = Authorize(a.principal, *action, {});
        const Decision decision = Authorize(a.principal, *action, t.resource);
        const int64_t refusals_before = route_decision ? 0 : RefusalsOf(server, a.name);
        Reply r = Http(server.address(), route.method, t.path, body, a.session.token,
                       route.method == "GET" ? "" : a.session.csrf, type);
        EXPECT_NE(r.status, 401) << r.body;
        if (route.action == "auth.logout" && r.status == 200) logged_out.insert(a.name);
        if (!route_decision) {
          EXPECT_EQ(r.status, 403) << "Authorize refuses " << route.action << ": " << r.body;
          EXPECT_GT(RefusalsOf(server, a.name), refusals_before) << "the refusal is in the audit log";
        } else if (!decision) {
          // Allowed somewhere, not on this item: refused, or hidden as absent.
          EXPECT_TRUE(r.status == 403 || r.status == 404) << r.status << " " << r.body;
        } else {
          EXPECT_NE(r.status, 403) << "Authorize allows " << route.action << ": " << r.body;
        }
        ++checked;
      }
    }
  }
  // Every kind of route is in the table.
  for (const char* action : {"units.list", "units.manage", "users.list", "users.manage", "users.unlock",
                             "policy.set", "audit.read", "audit.export", "audit.purge", "backup.create",
                             "items.list", "items.read", "items.create", "items.update", "items.progress",
                             "items.submit", "items.close_off", "items.review", "reports.upload", "reports.read",
                             "rates.read", "compare.run", "ledger.export", "ledger.import", "auth.me", "auth.logout",
                             "search.run"}) {
    EXPECT_TRUE(actions_seen.count(action)) << action;
  }
  EXPECT_GT(checked, 200u);
}

TEST(AuthorizationMatrix, EveryRouteEveryRoleOnSqlite) { Matrix(""); }

TEST(AuthorizationMatrix, EveryRouteEveryRoleOnPostgres) {
  ScratchPostgres pg("taizhang_authz");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  Matrix(pg.url());
}

}  // namespace
}  // namespace taizhang
