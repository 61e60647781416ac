// The calendar feed behind secret links: a user makes a link (the token
// shown once, listed without it), a calendar fetches
// GET /api/v1/calendar/{token}.ics with no session and gets an iCalendar
// (read back with libical) of the unfinished items with a deadline that
// the link's owner may read — a 填报员's link its own unit's only, a
// supervisor's its whole scope; a changed role shows at once; a wrong
// token, a revoked link and a disabled owner are the same 404; making and
// revoking are in the audit log. On SQLite and PostgreSQL.
#include <libical/ical.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "server/fail_audit_test_util.h"
#include "server/server_test_util.h"

namespace taizhang {
namespace {

using nlohmann::json;
using server_test::FailAuditOf;
using server_test::Http;
using server_test::LiveServer;
using server_test::Reply;
using server_test::ScratchPostgres;
using server_test::Session;

// What a calendar reads of a feed: each event's UID → (DTSTART as
// YYYYMMDD, SUMMARY), parsed by libical.
struct Feed {
  bool parsed = false;
  std::string name;
  std::map<std::string, std::pair<std::string, std::string>> events;
  int alarms = 0;
};

Feed ReadFeed(const std::string& text) {
  Feed feed;
  icalcomponent* cal = icalparser_parse_string(text.c_str());
  if (cal == nullptr) return feed;
  feed.parsed = icalcomponent_isa(cal) == ICAL_VCALENDAR_COMPONENT;
  for (icalproperty* p = icalcomponent_get_first_property(cal, ICAL_X_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(cal, ICAL_X_PROPERTY)) {
    if (std::string(icalproperty_get_x_name(p)) == "X-WR-CALNAME") feed.name = icalproperty_get_x(p);
  }
  for (icalcomponent* e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e != nullptr;
       e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
    icaltimetype start = icalcomponent_get_dtstart(e);
    char day[16];
    std::snprintf(day, sizeof day, "%04d%02d%02d%s", start.year, start.month, start.day, start.is_date ? "" : "T");
    feed.events[icalcomponent_get_uid(e)] = {day, icalcomponent_get_summary(e)};
    feed.alarms += icalcomponent_count_components(e, ICAL_VALARM_COMPONENT);
  }
  icalcomponent_free(cal);
  return feed;
}

std::string Uid(int64_t id) { return "taizhang-item-" + std::to_string(id) + "@taizhang"; }

void CalendarLinks(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  server.AddUnit("县水利局", "某县");
  server.AddUnit("县农业农村局", "某县");
  std::map<std::string, int64_t> ids;
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    struct Spec {
      std::string key, unit, task, deadline;
      std::optional<ItemStatus> status;
    };
    for (const Spec& spec : std::vector<Spec>{
             {"water", "县水利局", "完成水毁工程修复", "2031-03-01", std::nullopt},
             {"water_late", "县水利局", "河道采砂整治，清理堆砂点12处", "2025-01-10", std::nullopt},
             {"water_done", "县水利局", "完成小型水库除险加固", "2031-05-01", ItemStatus::kDone},
             {"water_open", "县水利局", "常态化巡河", "", std::nullopt},
             {"farm", "县农业农村局", "完成高标准农田建设验收", "2031-06-30", std::nullopt}}) {
      NewItem item;
      item.unit = spec.unit;
      item.year = 2031;
      item.task = spec.task;
      item.deadline = spec.deadline;
      item.status = spec.status;
      auto added = ledger.AddItem(item);
      ASSERT_TRUE(added.ok()) << added.status().message();
      ids[spec.key] = added->id;
    }
  });
  Session reporter = server.AddUser("rep_water", RoleBit(UserRole::kReporter), "县水利局");
  Session supervisor = server.AddUser("sup_all", RoleBit(UserRole::kSupervisor), "某县");

  // Made: the token once, with the path to subscribe to.
  Reply made = server.Send(reporter, "POST", "/api/v1/calendar-links", json{{"name", "办公电脑 Outlook"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string token = made.Json()["token"].get<std::string>();
  const std::string path = made.Json()["path"].get<std::string>();
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(path, "/api/v1/calendar/" + token + ".ics");
  Reply listed = server.Get(reporter, "/api/v1/calendar-links");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.Json()["links"].size(), 1u);
  EXPECT_EQ(listed.body.find(token), std::string::npos) << "the list never shows a token";
  EXPECT_EQ(server.Get(supervisor, "/api/v1/calendar-links").Json()["links"].size(), 0u) << "one's own links only";
  EXPECT_EQ(server.Send(reporter, "POST", "/api/v1/calendar-links", json{{"name", ""}}).status, 422);
  EXPECT_EQ(server.Send(reporter, "POST", "/api/v1/calendar-links", json{{"name", "x"}, {"scope", "all"}}).status, 422);

  // Fetched with no session: the reporter's unit's unfinished items with a deadline.
  Reply feed = Http(server.address(), "GET", path, "", "", "", "");
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_EQ(feed.headers["content-type"], "text/calendar; charset=utf-8");
  Feed read = ReadFeed(feed.body);
  ASSERT_TRUE(read.parsed) << feed.body;
  EXPECT_EQ(read.name, "台账时限（县水利局，rep_water）");
  EXPECT_EQ(read.events.size(), 2u) << feed.body;
  EXPECT_EQ(read.events[Uid(ids["water"])], std::make_pair(std::string("20310301"),
                                                           std::string("【时限】县水利局：完成水毁工程修复")));
  EXPECT_EQ(read.events[Uid(ids["water_late"])].first, "20250110");
  EXPECT_EQ(read.events[Uid(ids["water_late"])].second, "【逾期】县水利局：河道采砂整治，清理堆砂点12处");
  EXPECT_EQ(read.events.count(Uid(ids["farm"])), 0u) << "another unit's item";
  EXPECT_EQ(read.events.count(Uid(ids["water_done"])), 0u) << "a finished item";
  EXPECT_EQ(read.alarms, 2);
  EXPECT_NE(feed.body.find("DTSTART;VALUE=DATE:20310301\r\n"), std::string::npos) << feed.body;

  // A supervisor over the county: every unit's.
  Reply sup_link = server.Send(supervisor, "POST", "/api/v1/calendar-links", json{{"name", "手机"}});
  ASSERT_EQ(sup_link.status, 201);
  const std::string sup_path = sup_link.Json()["path"].get<std::string>();
  Feed all = ReadFeed(Http(server.address(), "GET", sup_path, "", "", "", "").body);
  EXPECT_EQ(all.events.size(), 3u);
  EXPECT_EQ(all.events.count(Uid(ids["farm"])), 1u);

  // The owner's scope as it is now: moved to 县农业农村局, the same link shows that unit's.
  server.WithStore([&](LedgerStore&, AccessStore& access, const Principal& console) {
    UserChange change;
    change.unit = "县农业农村局";
    change.scope = "";  // the unit itself
    ASSERT_TRUE(access.UpdateUser(console, "rep_water", change).ok());
  });
  Feed moved = ReadFeed(Http(server.address(), "GET", path, "", "", "", "").body);
  EXPECT_EQ(moved.events.size(), 1u);
  EXPECT_EQ(moved.events.count(Uid(ids["farm"])), 1u);

  // No oracle: a wrong token, a revoked link, a disabled owner — one 404.
  Reply wrong = Http(server.address(), "GET", "/api/v1/calendar/" + std::string(43, 'A') + ".ics", "", "", "", "");
  EXPECT_EQ(wrong.status, 404);
  EXPECT_EQ(Http(server.address(), "GET", "/api/v1/calendar/" + token, "", "", "", "").status, 404) << "no .ics";
  const int64_t link_id = made.Json()["id"].get<int64_t>();
  EXPECT_EQ(server.Send(supervisor, "DELETE", "/api/v1/calendar-links/" + std::to_string(link_id), json()).status,
            404)
      << "not one's own";
  Reply revoked = server.Send(reporter, "DELETE", "/api/v1/calendar-links/" + std::to_string(link_id), json());
  EXPECT_EQ(revoked.status, 200) << revoked.body;
  Reply after = Http(server.address(), "GET", path, "", "", "", "");
  EXPECT_EQ(after.status, 404);
  EXPECT_EQ(after.body, wrong.body);
  server.WithStore([&](LedgerStore&, AccessStore& access, const Principal& console) {
    ASSERT_TRUE(access.SetDisabled(console, "sup_all", true).ok());
  });
  Reply disabled = Http(server.address(), "GET", sup_path, "", "", "", "");
  EXPECT_EQ(disabled.status, 404);
  EXPECT_EQ(disabled.body, wrong.body);

  // Made and revoked, in the audit log; the token in no row.
  std::set<std::string> actions;
  for (const AuditEntry& e : server.AuditLog("rep_water")) {
    actions.insert(e.action);
    EXPECT_EQ(e.detail.find(token), std::string::npos);
  }
  EXPECT_TRUE(actions.count("calendar_link_add"));
  EXPECT_TRUE(actions.count("calendar_link_revoke"));
}

TEST(ServeCalendar, SecretLinksOnSqlite) { CalendarLinks(""); }

TEST(ServeCalendar, SecretLinksOnPostgres) {
  ScratchPostgres pg("taizhang_calendar");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  CalendarLinks(pg.url());
}


// A link made or revoked whose audit row cannot be written is not made or
// revoked (500, in Chinese); with the audit log writable each writes one row.
void LinkAuditFailure(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  Session user = server.AddUser("rep", RoleBit(UserRole::kReporter), "某县");
  auto links = [&] { return server.Get(user, "/api/v1/calendar-links").Json()["links"]; };
  auto audit_rows = [&](const std::string& action) {
    size_t n = 0;
    for (const AuditEntry& e : server.AuditLog("rep")) n += e.action == action && e.outcome == "success";
    return n;
  };

  FailAuditOf(server, "calendar_link_add", true);
  Reply refused = server.Send(user, "POST", "/api/v1/calendar-links", json{{"name", "办公电脑 Outlook"}});
  EXPECT_TRUE(server_test::IsErrorShape(refused.status, refused.headers["content-type"], refused.body, 500));
  EXPECT_NE(refused.body.find("审计日志写不进去"), std::string::npos) << refused.body;
  EXPECT_EQ(links().size(), 0u);
  EXPECT_EQ(audit_rows("calendar_link_add"), 0u);
  FailAuditOf(server, "calendar_link_add", false);
  Reply made = server.Send(user, "POST", "/api/v1/calendar-links", json{{"name", "办公电脑 Outlook"}});
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(audit_rows("calendar_link_add"), 1u);
  const std::string token = made.Json()["token"];
  const std::string path = "/api/v1/calendar-links/" + std::to_string(made.Json()["id"].get<int64_t>());

  FailAuditOf(server, "calendar_link_revoke", true);
  Reply kept = server.Send(user, "DELETE", path, json());
  EXPECT_TRUE(server_test::IsErrorShape(kept.status, kept.headers["content-type"], kept.body, 500));
  EXPECT_NE(kept.body.find("审计日志写不进去"), std::string::npos) << kept.body;
  EXPECT_EQ(links().size(), 1u);
  EXPECT_EQ(Http(server.address(), "GET", "/api/v1/calendar/" + token + ".ics", "", "", "", "").status, 200) << "still valid";
  FailAuditOf(server, "calendar_link_revoke", false);
  ASSERT_EQ(server.Send(user, "DELETE", path, json()).status, 200);
  EXPECT_EQ(links().size(), 0u);
  EXPECT_EQ(Http(server.address(), "GET", "/api/v1/calendar/" + token + ".ics", "", "", "", "").status, 404);
  EXPECT_EQ(audit_rows("calendar_link_revoke"), 1u);
}

TEST(ServeCalendar, LinkAuditFailureOnSqlite) { LinkAuditFailure(""); }

TEST(ServeCalendar, LinkAuditFailureOnPostgres) {
  ScratchPostgres pg("taizhang_calendar_audit");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  LinkAuditFailure(pg.url());
}

}  // namespace
}  // namespace taizhang
