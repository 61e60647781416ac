// Rates, the dashboard, compare and the Excel ledger over the API, on real
// data: the shared seed compilation (16 reports, 573 plan items) and the
// examples imported with the real command, items accepted, progressed and
// problems rectified through the store; the numbers checked against
// `taizhang ledger rates` and `taizhang compare --json`, on SQLite and
// PostgreSQL.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <zip.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "common/calendar.h"
#include "common/utf8.h"
#include "server/server_test_util.h"

namespace taizhang {
namespace {

using namespace server_test;
using nlohmann::json;

const std::string kSeed = std::string(TAIZHANG_SHARED_DIR) + "/corpus/seed/000_149dd883a1863841.txt";
const std::string kPlan = std::string(TAIZHANG_SOURCE_DIR) + "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt";
const std::string kResult = std::string(TAIZHANG_SOURCE_DIR) + "/examples/清河县农业农村局2025年工作总结.txt";
const std::string kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// Units of the seed the scopes are made of: no other 责任单位 begins with
// either (so `ledger rates --unit` selects exactly that unit's items).
const std::string kUnitA = "区审计局";
const std::string kUnitB = "县水利局";
const std::string kRoot = "某区";
const std::string kPlanUnit = "清河县农业农村局";  // the plan example states its unit in its body

struct CliRun {
  int code = -1;
  std::string out, err;
};

// The real command, its standard output and error kept.
CliRun RunCli(const std::string& dir, const std::vector<std::string>& args) {
  std::string command = std::string("'") + TAIZHANG_CLI_PATH + "'";
  for (const std::string& a : args) command += " '" + a + "'";
  command += " >'" + dir + "/cli.out' 2>'" + dir + "/cli.err'";
  int status = std::system(command.c_str());
  CliRun run;
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadFile(dir + "/cli.out");
  run.err = ReadFile(dir + "/cli.err");
  return run;
}

std::string Today(LiveServer& live) {
  std::string today;
  live.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) { today = ledger.today(); });
  return today;
}

// Every stored report (any version) with the path of its file: (path, report id).
std::vector<std::pair<std::string, int64_t>> ReportPaths(LedgerStore& ledger) {
  ReportFilter filter;
  filter.latest_only = false;
  Result<std::vector<StoredReport>> reports = ledger.ListReports(filter);
  EXPECT_TRUE(reports.ok());
  if (!reports.ok()) return {};
  std::vector<int64_t> source_ids;
  for (const StoredReport& r : *reports) source_ids.push_back(r.source_id);
  Result<std::vector<StoredSource>> sources = ledger.GetSources(source_ids);
  EXPECT_TRUE(sources.ok());
  if (!sources.ok()) return {};
  std::map<int64_t, std::string> path_of;
  for (const StoredSource& f : *sources) path_of[f.id] = f.path;
  std::vector<std::pair<std::string, int64_t>> out;
  for (const StoredReport& r : *reports) out.emplace_back(path_of[r.source_id], r.id);
  return out;
}

std::string DaysFrom(const std::string& day, int days) { return calendar::AddDays(day, days).value(); }

// Every item of the list for a session (paged through).
std::vector<int64_t> ListedIds(LiveServer& live, const Session& s, const std::string& query) {
  std::vector<int64_t> ids;
  for (int offset = 0;; offset += 200) {
    Reply r = live.Get(s, "/api/v1/items?limit=200&offset=" + std::to_string(offset) + (query.empty() ? "" : "&" + query));
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) break;
    json body = r.Json();
    for (const json& item : body["items"]) ids.push_back(item["id"].get<int64_t>());
    if (offset + 200 >= body["total"].get<int64_t>()) break;
  }
  return ids;
}

// The whole ledger as the store holds it: versions and statuses of every item.
std::string LedgerState(LiveServer& live) {
  std::string state;
  live.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    ItemFilter every;
    every.review.reset();
    auto items = ledger.ListItems(every);
    ASSERT_TRUE(items.ok());
    for (const LedgerItem& item : *items) {
      state += std::to_string(item.id) + ":" + std::to_string(item.version) + ":" + ItemStatusName(item.status) + ":" +
               item.unit + ":" + item.task + "\n";
    }
    auto head = ledger.ReadHistoryHead();
    ASSERT_TRUE(head.ok());
    state += FormatHistoryHead(*head);
  });
  return state;
}

// Whether the ledger is still `before`, showing only the lines that differ.
::testing::AssertionResult Unchanged(const std::string& before, const std::string& after) {
  if (before == after) return ::testing::AssertionSuccess();
  std::istringstream a(before), b(after);
  std::string la, lb, shown;
  int differing = 0;
  for (;;) {
    la.clear();
    lb.clear();
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) break;
    if (la != lb && ++differing <= 5) shown += "  was: " + la + "\n  now: " + lb + "\n";
  }
  return ::testing::AssertionFailure() << differing << " lines differ:\n" << shown;
}

Reply PostXlsx(LiveServer& live, const Session& s, const std::string& bytes) {
  return Http(live.address(), "POST", "/api/v1/ledger/import", bytes, s.token, s.csrf, kXlsxType);
}

// The ids of the rows of an exported workbook, read back as the import reads it.
std::vector<int64_t> WorkbookIds(const std::string& bytes) {
  auto sheet = ReadLedgerXlsxBytes("导出", bytes, ReadOptions());
  EXPECT_TRUE(sheet.ok()) << sheet.status().message();
  std::vector<int64_t> ids;
  if (!sheet.ok()) return ids;
  EXPECT_TRUE(sheet->errors.empty());
  for (const LedgerItem& item : sheet->items) ids.push_back(item.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string WriteWorkbook(const std::string& dir, const std::vector<LedgerItem>& items) {
  std::string path = dir + "/edited.xlsx";
  Status s = WriteLedgerXlsx(items, {}, path);
  EXPECT_TRUE(s.ok()) << s.message();
  return ReadFile(path);
}

// A workbook whose shared strings are `size` zeros: a zip bomb when large
// (deflate packs zeros about 1000:1), read only after the workbook part.
std::string ZipBomb(const std::string& dir, size_t size) {
  std::string path = dir + "/bomb.xlsx";
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr);
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"[Content_Types].xml",
       "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
      {"xl/workbook.xml",
       "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
       "<sheets/></workbook>"},
  };
  for (const auto& [name, content] : parts) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8);
  }
  std::string zeros(size, '\0');
  zip_source_t* big = zip_source_buffer(archive, zeros.data(), zeros.size(), 0);
  zip_int64_t index = zip_file_add(archive, "xl/sharedStrings.xml", big, ZIP_FL_ENC_UTF_8);
  zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9);
  EXPECT_EQ(zip_close(archive), 0);
  return ReadFile(path);
}

// The numbers of a rates row of the API and of `ledger rates --json`.
std::string RateNumbers(const json& row) {
  std::string out;
  for (const char* key : {"problems", "rectified", "rectified_on_time", "due", "tasks", "done", "overdue"}) {
    out += std::string(key) + "=" + std::to_string(row[key].get<int64_t>()) + " ";
  }
  for (const char* key : {"rectification_rate", "on_time_rectification_rate", "completion_rate"}) {
    out += std::string(key) + "=" + (row[key].is_null() ? "null" : row[key].get<std::string>()) + " ";
  }
  return out;
}

// unit → numbers ("" for the total).
std::map<std::string, std::string> RatesByUnit(const json& rows) {
  std::map<std::string, std::string> out;
  for (const json& row : rows) out[row["unit"].is_null() ? "" : row["unit"].get<std::string>()] = RateNumbers(row);
  return out;
}

std::map<std::string, std::string> ApiRates(LiveServer& live, const Session& s, const std::string& query) {
  Reply r = live.Get(s, "/api/v1/rates?" + query);
  EXPECT_EQ(r.status, 200) << r.body;
  return RatesByUnit(r.Json()["rows"]);
}

std::map<std::string, std::string> CliRates(const std::string& dir, const std::string& db, std::vector<std::string> extra) {
  std::vector<std::string> args = {"ledger", "rates", "--db", db, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  CliRun run = RunCli(dir, args);
  EXPECT_EQ(run.code, 0) << run.err;
  json body = json::parse(run.out, nullptr, false);
  EXPECT_TRUE(body.is_object()) << run.out;
  return body.is_object() ? RatesByUnit(body["rates"]) : std::map<std::string, std::string>{};
}

// target text → verdict, for every item of a compare's first pair.
std::map<std::string, std::string> Verdicts(const json& body) {
  std::map<std::string, std::string> out;
  for (const json& item : body["pairs"][0]["items"]) {
    out[item["target"]["text"].get<std::string>() + "@" + std::to_string(item["target"]["line"].get<int>())] =
        item["verdict"].get<std::string>();
  }
  return out;
}

// The characters [begin, end) of `text`.
std::string Characters(const std::string& text, size_t begin, size_t end) {
  size_t at = 0, from = 0;
  for (size_t c = 0; c < end && at < text.size(); ++c) {
    if (c == begin) from = at;
    utf8::Next(text, &at);
  }
  return text.substr(from, at - from);
}

// CPU milliseconds of this process (the server runs in it) spent in `fn`.
double CpuMs(const std::function<void()>& fn) {
  auto now = [] {
    rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
  };
  double before = now();
  fn();
  return now() - before;
}

struct Seeded {
  std::vector<int64_t> a, b;  // plan items of the two units
  int64_t problem_closed = 0, problem_submitted = 0, problem_overdue = 0, problem_self = 0;
  std::vector<int64_t> proposals;  // left to review
};

// The seed and the examples imported with the real command; the seed's
// items accepted, a few progressed, deadlines set around today; problems
// found, submitted and closed off by different people.
Seeded Seed(LiveServer& live, const std::string& dir) {
  Seeded seeded;
  for (const std::string& file : {kSeed, kPlan, kResult}) {
    CliRun run = RunCli(dir, {"import", file, "--db", live.db()});
    EXPECT_EQ(run.code, 0) << run.err;
  }
  const std::string today = Today(live);
  live.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    ItemFilter proposed;
    proposed.review = ReviewState::kProposed;
    auto items = ledger.ListItems(proposed);
    ASSERT_TRUE(items.ok());
    ASSERT_GT(items->size(), 500u);
    std::vector<ItemRef> refs;
    for (const LedgerItem& item : *items) {
      // One proposal of the example plan is left for a 督查员 to review.
      if (item.unit == kPlanUnit && seeded.proposals.empty()) {
        seeded.proposals.push_back(item.id);
        continue;
      }
      refs.push_back({item.id, std::nullopt});
      if (item.unit == kUnitA) seeded.a.push_back(item.id);
      if (item.unit == kUnitB) seeded.b.push_back(item.id);
    }
    ASSERT_TRUE(ledger.AcceptItems(refs).ok());
    ASSERT_GE(seeded.a.size(), 4u);
    ASSERT_GE(seeded.b.size(), 3u);
    auto set_deadline = [&](int64_t id, const std::string& day) {
      ItemChange change;
      change.deadline = day;
      auto updated = ledger.UpdateItem(id, std::nullopt, change);
      ASSERT_TRUE(updated.ok()) << updated.status().message();
    };
    auto progress = [&](int64_t id, bool done) {
      ProgressEntry entry;
      entry.date = today;
      entry.note = done ? "已完成" : "正在推进";
      auto progressed = ledger.AddProgress(id, std::nullopt, entry, done);
      ASSERT_TRUE(progressed.ok()) << progressed.status().message();
    };
    progress(seeded.a[0], true);
    progress(seeded.a[1], false);
    set_deadline(seeded.a[1], DaysFrom(today, -10));  // overdue
    set_deadline(seeded.a[2], DaysFrom(today, 3));    // due soon
    set_deadline(seeded.a[3], DaysFrom(today, 30));   // later
    progress(seeded.b[0], true);
    set_deadline(seeded.b[1], DaysFrom(today, 2));    // due soon
    set_deadline(seeded.b[2], DaysFrom(today, -40));  // overdue
    auto problem = [&](const std::string& unit, const std::string& found, const std::string& deadline) {
      NewItem item;
      item.kind = ItemKind::kProblem;
      item.unit = unit;
      item.year = std::stoi(found.substr(0, 4));  // a problem's year is the year it was found
      item.task = unit + "专项审计发现的问题（" + found + "）";
      item.problem_source = "审计";
      item.found_date = found;
      item.deadline = deadline;
      auto added = ledger.AddItem(item);
      EXPECT_TRUE(added.ok()) << added.status().message();
      return added.ok() ? added->id : 0;
    };
    seeded.problem_closed = problem(kUnitA, "2024-03-05", "2024-06-30");
    seeded.problem_submitted = problem(kUnitB, "2024-04-10", DaysFrom(today, 20));
    seeded.problem_overdue = problem(kUnitB, "2024-05-20", DaysFrom(today, -5));
    seeded.problem_self = problem(kUnitB, "2024-05-21", DaysFrom(today, 20));
    problem(kUnitA, "2023-11-02", "2024-01-31");  // another year: outside year=2024
    ASSERT_TRUE(ledger.SubmitRectification(seeded.problem_closed, std::nullopt, "补缴并建立台账").ok());
    ASSERT_TRUE(ledger.SubmitRectification(seeded.problem_submitted, std::nullopt, "完善制度").ok());
  });
  // Closed off by another person than the submitter; one submitted by the
  // 督查员 of unit B itself.
  auto other = LedgerStore::Open(live.db(), "复核人");
  EXPECT_TRUE(other.ok());
  if (other.ok()) {
    EXPECT_TRUE((*other)->CloseOff(seeded.problem_closed, std::nullopt).ok());
  }
  auto self = LedgerStore::Open(live.db(), "sup_b");
  EXPECT_TRUE(self.ok());
  if (self.ok()) {
    EXPECT_TRUE((*self)->SubmitRectification(seeded.problem_self, std::nullopt, "本人提交").ok());
  }
  return seeded;
}

// Every item of the list for a session, as the list shows it (paged through).
std::vector<json> ListedItems(LiveServer& live, const Session& s, const std::string& query) {
  std::vector<json> items;
  for (int offset = 0;; offset += 200) {
    Reply r = live.Get(s, "/api/v1/items?limit=200&offset=" + std::to_string(offset) + (query.empty() ? "" : "&" + query));
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) break;
    json body = r.Json();
    for (const json& item : body["items"]) items.push_back(item);
    if (offset + 200 >= body["total"].get<int64_t>()) break;
  }
  return items;
}

// The dashboard of a session counted by hand from its lists (GET
// /api/v1/items), as the dashboard counted before it counted in SQL: every
// accepted item's light and status, the overdue ones by unit and 时限's
// month, the first `limit` of each list. `supervisor`: it may review the
// proposals and close off the rectifications it reads (but not its own).
json DashboardByHand(LiveServer& live, const Session& s, const std::string& name, bool supervisor, int within,
                     size_t limit) {
  auto head = [&](const std::vector<json>& items) {
    json ids = json::array();
    for (size_t i = 0; i < items.size() && i < limit; ++i) ids.push_back(items[i]["id"]);
    return json{{"count", items.size()}, {"ids", ids}};
  };
  const std::vector<json> accepted = ListedItems(live, s, "");
  std::vector<json> overdue, to_close;
  std::map<std::string, int64_t> lights = {{"red", 0}, {"yellow", 0}, {"green", 0}, {"none", 0}};
  std::map<std::pair<std::string, std::string>, int64_t> by_status, by_month;
  for (const json& item : accepted) {
    const std::string light = item["warning"].get<std::string>();
    ++lights[light.empty() ? "none" : light];
    const bool late = item["overdue"].get<bool>();
    ++by_status[{late ? "overdue" : item["status"].get<std::string>(), item["status_label"].get<std::string>()}];
    if (late) {
      overdue.push_back(item);
      ++by_month[{item["unit"].get<std::string>(), item["deadline"].get<std::string>().substr(0, 7)}];
    }
    // Close-off is by a supervisor other than the one who submitted.
    const std::string submitter = item.contains("problem") ? item["problem"].value("submitted_by", "") : "";
    if (supervisor && item["status"] == "awaiting_close_off" && submitter != name) to_close.push_back(item);
  }
  json statuses = json::array(), months = json::array();
  for (const auto& [key, count] : by_status) statuses.push_back({{"status", key.first}, {"label", key.second}, {"count", count}});
  for (const auto& [key, count] : by_month) months.push_back({{"unit", key.first}, {"month", key.second}, {"count", count}});
  return {{"due_soon", head(ListedItems(live, s, "due_within=" + std::to_string(within)))},
          {"overdue", head(overdue)},
          {"awaiting_review", head(supervisor ? ListedItems(live, s, "review=proposed") : std::vector<json>{})},
          {"awaiting_close_off", head(to_close)},
          {"lights", lights},
          {"status", statuses},
          {"overdue_by_unit_month", months}};
}

// The dashboard's answer in DashboardByHand's shape (the lists as ids).
json DashboardShown(const json& dashboard) {
  json out = dashboard;
  for (const char* list : {"due_soon", "overdue", "awaiting_review", "awaiting_close_off"}) {
    json ids = json::array();
    for (const json& item : json(dashboard[list]["items"])) ids.push_back(item["id"]);
    out[list] = {{"count", dashboard[list]["count"]}, {"ids", ids}};
  }
  out.erase("today");
  out.erase("within");
  return out;
}

void StatsScenario(const std::string& db) {
  LiveServer live(db);
  ASSERT_TRUE(live.ok());
  TempDir dir;
  live.AddUnit(kRoot);
  live.AddUnit(kUnitA, kRoot);
  live.AddUnit(kUnitB, kRoot);
  Session sup = live.AddUser("sup", RoleBit(UserRole::kSupervisor), kRoot);
  Session sup_b = live.AddUser("sup_b", RoleBit(UserRole::kSupervisor), kUnitB);
  Session rep_a = live.AddUser("rep_a", RoleBit(UserRole::kReporter), kUnitA);
  Session view_a = live.AddUser("view_a", RoleBit(UserRole::kViewer), kUnitA);
  Seeded seeded = Seed(live, dir.path());
  if (::testing::Test::HasFatalFailure()) return;
  const std::string today = Today(live);

  {
    SCOPED_TRACE("rates equal the command line's");
    std::map<std::string, std::string> cli = CliRates(dir.path(), db, {"--from", "2024-01-01", "--to", "2024-12-31"});
    std::map<std::string, std::string> api = ApiRates(live, sup, "year=2024");
    EXPECT_EQ(api, cli);
    ASSERT_TRUE(api.count(kUnitA));
    // 区审计局: a task done of its seed tasks, the 2024 problem closed on time.
    EXPECT_NE(api[kUnitA].find("problems=1 rectified=1 rectified_on_time=0"), std::string::npos) << api[kUnitA];
    EXPECT_EQ(ApiRates(live, sup, ""), CliRates(dir.path(), db, {}));
    EXPECT_EQ(ApiRates(live, sup, "from=2024-04-01&to=2024-05-20"),
              CliRates(dir.path(), db, {"--from", "2024-04-01", "--to", "2024-05-20"}));
    EXPECT_EQ(live.Get(sup, "/api/v1/rates?from=2024-02-30").status, 400);
    EXPECT_EQ(live.Get(sup, "/api/v1/rates?year=2024&from=2024-01-01").status, 400);
    // One unit, as `--unit` selects it: its row and no total.
    EXPECT_EQ(ApiRates(live, sup, "year=2024&unit=" + kUnitB),
              CliRates(dir.path(), db, {"--unit", kUnitB, "--from", "2024-01-01", "--to", "2024-12-31"}));
    // Problems only: no task counted anywhere.
    Reply problems = live.Get(sup, "/api/v1/rates?kind=problem&year=2024");
    ASSERT_EQ(problems.status, 200);
    for (const json& row : json(problems.Json()["rows"])) EXPECT_EQ(row["tasks"], 0);
    EXPECT_EQ(problems.Json()["rows"].back()["problems"], 4);
    // By month: the months add up to the same total.
    Reply months = live.Get(sup, "/api/v1/rates?group=month&year=2024");
    ASSERT_EQ(months.status, 200) << months.body;
    json rows = months.Json()["rows"];
    int64_t tasks = 0, problems_found = 0;
    std::set<std::string> seen;
    for (const json& row : rows) {
      if (row["total"].get<bool>()) continue;
      seen.insert(row["month"].get<std::string>());
      tasks += row["tasks"].get<int64_t>();
      problems_found += row["problems"].get<int64_t>();
    }
    EXPECT_TRUE(seen.count("2024-03") && seen.count("2024-04") && seen.count("2024-05")) << rows.dump();
    EXPECT_EQ(RateNumbers(rows.back()), cli[""]);
    EXPECT_EQ(tasks, rows.back()["tasks"].get<int64_t>());
    EXPECT_EQ(problems_found, rows.back()["problems"].get<int64_t>());
    EXPECT_EQ(live.Get(sup, "/api/v1/rates?group=week").status, 400);
    EXPECT_EQ(live.Get(sup, "/api/v1/rates?year=abc").status, 400);
    EXPECT_EQ(Http(live.address(), "GET", "/api/v1/rates").status, 401);
  }

  {
    SCOPED_TRACE("a 填报员 or 查看 of one unit sees only its unit's numbers");
    std::map<std::string, std::string> cli_a =
        CliRates(dir.path(), db, {"--unit", kUnitA, "--from", "2024-01-01", "--to", "2024-12-31"});
    ASSERT_EQ(cli_a.size(), 1u);
    for (const Session* s : {&rep_a, &view_a}) {
      std::map<std::string, std::string> api = ApiRates(live, *s, "year=2024");
      ASSERT_EQ(api.size(), 2u) << s->user.dump();
      EXPECT_EQ(api[kUnitA], cli_a[kUnitA]);
      EXPECT_EQ(api[""], cli_a[kUnitA]);  // the total is its unit's
    }
    std::map<std::string, std::string> api_b = ApiRates(live, sup_b, "year=2024");
    EXPECT_EQ(api_b.size(), 2u);
    EXPECT_EQ(api_b[kUnitB],
              CliRates(dir.path(), db, {"--unit", kUnitB, "--from", "2024-01-01", "--to", "2024-12-31"})[kUnitB]);
  }

  {
    SCOPED_TRACE("dashboard");
    auto ids = [](const json& list) {
      std::set<int64_t> out;
      for (const json& item : list["items"]) out.insert(item["id"].get<int64_t>());
      return out;
    };
    Reply r = live.Get(rep_a, "/api/v1/dashboard?within=7&limit=200");
    ASSERT_EQ(r.status, 200) << r.body;
    json a = r.Json();
    EXPECT_EQ(a["today"], today);
    EXPECT_EQ(ids(a["due_soon"]), std::set<int64_t>{seeded.a[2]});
    EXPECT_EQ(a["due_soon"]["count"], 1);
    EXPECT_TRUE(ids(a["overdue"]).count(seeded.a[1]));
    EXPECT_EQ(a["awaiting_review"]["count"], 0);
    EXPECT_EQ(a["awaiting_close_off"]["count"], 0);
    // Everything the list shows the 填报员, and nothing else, is counted.
    const std::vector<int64_t> listed = ListedIds(live, rep_a, "");
    const std::vector<int64_t> listed_overdue = ListedIds(live, rep_a, "overdue=1");
    const json& lights = a["lights"];
    EXPECT_EQ(lights["red"].get<int64_t>() + lights["yellow"].get<int64_t>() + lights["green"].get<int64_t>() +
                  lights["none"].get<int64_t>(),
              static_cast<int64_t>(listed.size()));
    EXPECT_EQ(lights["red"].get<int64_t>(), static_cast<int64_t>(listed_overdue.size()));
    EXPECT_EQ(a["overdue"]["count"].get<int64_t>(), static_cast<int64_t>(listed_overdue.size()));
    int64_t by_status = 0, by_month = 0;
    for (const json& s : a["status"]) by_status += s["count"].get<int64_t>();
    for (const json& s : a["overdue_by_unit_month"]) {
      EXPECT_EQ(s["unit"], kUnitA);
      by_month += s["count"].get<int64_t>();
    }
    EXPECT_EQ(by_status, static_cast<int64_t>(listed.size()));
    EXPECT_EQ(by_month, static_cast<int64_t>(listed_overdue.size()));
    // Only its own unit's items anywhere.
    for (const char* list : {"due_soon", "overdue"}) {
      for (const json& item : a[list]["items"]) EXPECT_EQ(item["unit"], kUnitA);
    }

    json all = live.Get(sup, "/api/v1/dashboard?within=7&limit=200").Json();
    std::set<int64_t> due = ids(all["due_soon"]);
    EXPECT_TRUE(due.count(seeded.a[2]) && due.count(seeded.b[1])) << all["due_soon"].dump();
    EXPECT_FALSE(due.count(seeded.a[3]));
    EXPECT_EQ(ids(all["awaiting_review"]), std::set<int64_t>(seeded.proposals.begin(), seeded.proposals.end()));
    // Both submitted problems await the root's 督查员; its own submission not the 督查员 of B.
    EXPECT_EQ(ids(all["awaiting_close_off"]), (std::set<int64_t>{seeded.problem_submitted, seeded.problem_self}));
    json b = live.Get(sup_b, "/api/v1/dashboard").Json();
    EXPECT_EQ(ids(b["awaiting_close_off"]), std::set<int64_t>{seeded.problem_submitted});
    EXPECT_EQ(b["awaiting_review"]["count"], 0);  // the proposal is not of its unit
    EXPECT_TRUE(ids(b["overdue"]).count(seeded.problem_overdue));
    EXPECT_EQ(b["within"], 7);
    EXPECT_EQ(live.Get(sup, "/api/v1/dashboard?within=-1").status, 400);

    // Every number and list equal to counting the lists by hand, for each
    // role and scope, with the lists cut at a few items and not.
    for (const auto& [session, name, supervisor] : std::vector<std::tuple<const Session*, std::string, bool>>{
             {&sup, "sup", true}, {&sup_b, "sup_b", true}, {&rep_a, "rep_a", false}, {&view_a, "view_a", false}}) {
      SCOPED_TRACE(name);
      for (const auto& [within, limit] : std::vector<std::pair<int, size_t>>{{7, 200}, {30, 3}, {0, 0}}) {
        Reply d = live.Get(*session, "/api/v1/dashboard?within=" + std::to_string(within) +
                                         "&limit=" + std::to_string(limit));
        ASSERT_EQ(d.status, 200) << d.body;
        const json shown = DashboardShown(d.Json());
        const json by_hand = DashboardByHand(live, *session, name, supervisor, within, limit);
        EXPECT_EQ(shown, by_hand) << "within=" << within << " limit=" << limit << "\nshown:   " << shown.dump()
                                  << "\nby hand: " << by_hand.dump();
      }
    }
    // The counts are not trivially empty: the root's 督查员 sees every light,
    // overdue items of several units and months, items to review and close off.
    const json root = DashboardByHand(live, sup, "sup", true, 7, 200);
    for (const char* light : {"red", "yellow", "green"}) EXPECT_GT(root["lights"][light].get<int64_t>(), 0) << light;
    EXPECT_GT(root["overdue_by_unit_month"].size(), 2u);
    EXPECT_GT(root["status"].size(), 2u);
    EXPECT_GT(root["awaiting_review"]["count"].get<int64_t>(), 0);
    EXPECT_GT(root["awaiting_close_off"]["count"].get<int64_t>(), 0);
  }

  {
    SCOPED_TRACE("Excel export: exactly the list");
    for (const auto& [session, query] : std::vector<std::pair<const Session*, std::string>>{
             {&rep_a, ""}, {&sup, "kind=plan&overdue=1"}, {&sup, "unit=" + kUnitB}, {&view_a, "kind=problem"}}) {
      Reply x = live.Get(*session, "/api/v1/items/export.xlsx" + (query.empty() ? "" : "?" + query));
      ASSERT_EQ(x.status, 200) << x.body;
      EXPECT_EQ(x.headers["content-type"], kXlsxType);
      std::vector<int64_t> listed = ListedIds(live, *session, query);
      std::sort(listed.begin(), listed.end());
      EXPECT_EQ(WorkbookIds(x.body), listed) << query;
      EXPECT_EQ(x.headers["x-item-count"], std::to_string(listed.size()));
    }
    EXPECT_EQ(live.Get(sup, "/api/v1/items/export.xlsx?kind=other").status, 400);
  }

  {
    SCOPED_TRACE("Excel import: a file just exported changes nothing");
    Reply whole = live.Get(sup, "/api/v1/items/export.xlsx");
    ASSERT_EQ(whole.status, 200);
    const std::string before = LedgerState(live);
    Reply imported = PostXlsx(live, sup, whole.body);
    ASSERT_EQ(imported.status, 200) << imported.body;
    EXPECT_EQ(imported.Json()["added"], 0);
    EXPECT_EQ(imported.Json()["updated"], 0);
    EXPECT_EQ(imported.Json()["unchanged"], imported.Json()["rows"]);
    EXPECT_GT(imported.Json()["rows"].get<int64_t>(), 500);
    EXPECT_TRUE(Unchanged(before, LedgerState(live)));

    // Out of scope: every row outside unit B named, nothing applied.
    Reply refused = PostXlsx(live, sup_b, whole.body);
    EXPECT_TRUE(IsErrorShape(refused.status, refused.headers["content-type"], refused.body, 403)) << refused.body;
    EXPECT_NE(refused.body.find("行"), std::string::npos);
    EXPECT_NE(refused.body.find("不在您的管辖范围内"), std::string::npos);
    EXPECT_NE(refused.body.find("未导入任何一行"), std::string::npos);
    EXPECT_GT(refused.Json()["error"]["rows"].size(), 500u);
    EXPECT_TRUE(Unchanged(before, LedgerState(live)));
    // Both in the audit log: the import, and the refusal with who asked.
    live.WithStore([&](LedgerStore&, AccessStore& access, const Principal&) {
      auto audit = access.ReadAudit(ConsolePrincipal(RoleBit(UserRole::kAuditAdmin), "tester"), AuditQuery{});
      ASSERT_TRUE(audit.ok()) << audit.status().message();
      bool imported_row = false, refused_row = false;
      for (const AuditEntry& e : *audit) {
        imported_row |= e.action == "ledger_import" && e.actor == "sup" && e.outcome == "success";
        refused_row |= e.actor == "sup_b" && e.outcome == "refused";
      }
      EXPECT_TRUE(imported_row);
      EXPECT_TRUE(refused_row);
    });
    // A 填报员 may not import at all.
    EXPECT_EQ(PostXlsx(live, rep_a, whole.body).status, 403);

    // Unit B's own sheet, edited: applied for its 督查员; moved to unit A: refused.
    std::vector<LedgerItem> mine;
    live.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
      ItemFilter filter;
      filter.unit = kUnitB;
      auto items = ledger.ListItems(filter);
      ASSERT_TRUE(items.ok());
      mine = *items;
    });
    ASSERT_FALSE(mine.empty());
    mine[0].task += "（已细化）";
    Reply edited = PostXlsx(live, sup_b, WriteWorkbook(dir.path(), mine));
    ASSERT_EQ(edited.status, 200) << edited.body;
    EXPECT_EQ(edited.Json()["updated"], 1);
    EXPECT_EQ(edited.Json()["added"], 0);
    const std::string after_edit = LedgerState(live);
    mine[1].unit = kUnitA;
    Reply moved = PostXlsx(live, sup_b, WriteWorkbook(dir.path(), mine));
    EXPECT_EQ(moved.status, 403) << moved.body;
    EXPECT_NE(moved.body.find("责任单位“" + kUnitA + "”"), std::string::npos) << moved.body;
    EXPECT_EQ(moved.Json()["error"]["rows"].size(), 1u);
    EXPECT_TRUE(Unchanged(after_edit, LedgerState(live)));

    SCOPED_TRACE("bad workbooks");
    Reply text = PostXlsx(live, sup, "这不是工作簿");
    EXPECT_TRUE(IsErrorShape(text.status, text.headers["content-type"], text.body, 415)) << text.body;
    Reply truncated = PostXlsx(live, sup, whole.body.substr(0, whole.body.size() / 2));
    EXPECT_TRUE(IsErrorShape(truncated.status, truncated.headers["content-type"], truncated.body, 422)) << truncated.body;
    const std::string bomb_bytes = ZipBomb(dir.path(), size_t{64} << 20);
    EXPECT_LT(bomb_bytes.size(), size_t{1} << 20);
    Reply bomb = PostXlsx(live, sup, bomb_bytes);
    EXPECT_TRUE(IsErrorShape(bomb.status, bomb.headers["content-type"], bomb.body, 422)) << bomb.body;
    EXPECT_NE(bomb.body.find("压缩"), std::string::npos) << bomb.body;
    Reply empty = PostXlsx(live, sup, "");
    EXPECT_EQ(empty.status, 400);
    EXPECT_TRUE(Unchanged(after_edit, LedgerState(live)));
  }

  {
    SCOPED_TRACE("compare");
    std::map<std::string, int64_t> report_of;  // path → report id
    std::vector<int64_t> seed_reports;
    live.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
      for (const auto& [path, id] : ReportPaths(ledger)) {
        report_of[path] = id;
        if (path == kSeed) seed_reports.push_back(id);
      }
    });
    ASSERT_TRUE(report_of.count(kPlan) && report_of.count(kResult));
    ASSERT_EQ(seed_reports.size(), 16u);
    CliRun cli = RunCli(dir.path(), {"compare", kPlan, kResult, "--json"});
    ASSERT_EQ(cli.code, 0) << cli.err;
    Reply r = live.Send(sup, "POST", "/api/v1/compare",
                        {{"plan_report", report_of[kPlan]}, {"result_report", report_of[kResult]}});
    ASSERT_EQ(r.status, 200) << r.body;
    json api = r.Json();
    std::map<std::string, std::string> verdicts = Verdicts(api);
    EXPECT_EQ(verdicts, Verdicts(json::parse(cli.out)));
    EXPECT_GT(verdicts.size(), 5u);
    // Evidence highlighted in the result text: the spans are where the words are.
    const std::string text = api["pairs"][0]["result"]["text"];
    int figures = 0;
    for (const json& item : api["pairs"][0]["items"]) {
      for (const json& e : item["evidence"]) {
        for (const json& span : e["spans"]) {
          std::string shown = Characters(text, span["begin"], span["end"]);
          if (span["kind"] == "figure") {
            EXPECT_EQ(shown, e["figure_text"]);
            ++figures;
          }
          if (span["kind"] == "phrase") {
            EXPECT_EQ(shown, e["phrase"]);
          }
          if (span["kind"] == "sentence") {
            EXPECT_FALSE(shown.empty());
          }
        }
      }
    }
    EXPECT_GT(figures, 3);

    // The ledger's tasks of the plan's unit against the same result.
    CliRun cli_ledger =
        RunCli(dir.path(), {"compare", "--ledger", "--unit", kPlanUnit, "--year", "2025", "--db", db, kResult, "--json"});
    ASSERT_EQ(cli_ledger.code, 0) << cli_ledger.err;
    Reply l = live.Send(sup, "POST", "/api/v1/compare",
                        {{"ledger", {{"unit", kPlanUnit}, {"year", 2025}}}, {"result_report", report_of[kResult]}});
    ASSERT_EQ(l.status, 200) << l.body;
    EXPECT_EQ(Verdicts(l.Json()), Verdicts(json::parse(cli_ledger.out)));
    // Reports outside one's scope are not there; bad bodies are 422.
    EXPECT_EQ(live.Send(rep_a, "POST", "/api/v1/compare",
                        {{"plan_report", report_of[kPlan]}, {"result_report", report_of[kResult]}})
                  .status,
              404);
    EXPECT_EQ(live.Send(sup, "POST", "/api/v1/compare", {{"result_report", report_of[kResult]}}).status, 422);
    EXPECT_EQ(live.Send(sup, "POST", "/api/v1/compare", {{"plan_report", 999999}, {"result_report", report_of[kResult]}})
                  .status,
              404);

    // One indicator across the seed's units, as compare --across lists it.
    CliRun across_cli = RunCli(dir.path(), {"compare", "--across", "整改率", kSeed, "--json"});
    ASSERT_EQ(across_cli.code, 0) << across_cli.err;
    json expected = json::parse(across_cli.out)["rows"];
    ASSERT_GT(expected.size(), 0u);
    std::string ids;
    for (int64_t id : seed_reports) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    Reply across = live.Get(sup, "/api/v1/compare/across?indicator=%E6%95%B4%E6%94%B9%E7%8E%87&reports=" + ids);
    ASSERT_EQ(across.status, 200) << across.body;
    json rows = across.Json()["rows"];
    ASSERT_EQ(rows.size(), expected.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i]["sentence"], expected[i]["sentence"]);
      EXPECT_EQ(rows[i]["figure_text"], expected[i]["figure_text"]);
      EXPECT_EQ(rows[i]["unit"], expected[i]["unit"]);
      EXPECT_EQ(rows[i]["report_id"], seed_reports[expected[i]["report"].get<size_t>() - 1]);
    }
    // Without a list: every latest report in scope, the seed's rows among them.
    Reply every = live.Get(sup, "/api/v1/compare/across?indicator=%E6%95%B4%E6%94%B9%E7%8E%87");
    ASSERT_EQ(every.status, 200) << every.body;
    EXPECT_GE(every.Json()["rows"].size(), expected.size());
    EXPECT_EQ(live.Get(sup, "/api/v1/compare/across").status, 400);
    // A 填报员 of 区审计局 sees only its own report's rows.
    Reply mine = live.Get(rep_a, "/api/v1/compare/across?indicator=%E6%95%B4%E6%94%B9%E7%8E%87");
    ASSERT_EQ(mine.status, 200) << mine.body;
    for (const json& row : json(mine.Json()["rows"])) EXPECT_EQ(row["unit"], kUnitA);
    EXPECT_EQ(live.Get(rep_a, "/api/v1/compare/across?indicator=%E6%95%B4%E6%94%B9%E7%8E%87&reports=" + ids).status, 404);
  }
}

TEST(ServerStats, RatesDashboardCompareAndExcelOnSqlite) {
  TempDir dir;
  StatsScenario(dir.path() + "/taizhang.db");
}

TEST(ServerStats, RatesDashboardCompareAndExcelOnPostgres) {
  ScratchPostgres scratch("taizhang_stats");
  TAIZHANG_POSTGRES_OR_SKIP(scratch);
  StatsScenario(scratch.url());
}

// The export's literal path is not an item "export.xlsx".
// What the routes cost on the seeded ledger (CPU of the whole process,
// client included), printed for docs and reports; nothing asserted on time.
TEST(ServerStats, CpuFiguresOnTheSeededLedger) {
  LiveServer live;
  ASSERT_TRUE(live.ok());
  TempDir dir;
  live.AddUnit(kRoot);
  Session sup = live.AddUser("sup", RoleBit(UserRole::kSupervisor), kRoot);
  Seed(live, dir.path());
  if (HasFatalFailure()) return;
  std::map<std::string, int64_t> report_of;
  live.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    for (const auto& [path, id] : ReportPaths(ledger)) report_of[path] = id;
  });
  std::string workbook;
  auto figure = [&](const std::string& what, const std::function<void()>& fn) {
    double ms = CpuMs(fn);
    std::cout << "[figures] " << what << ": " << ms << " ms CPU\n";
  };
  figure("GET /api/v1/rates?year=2024 (650 items)", [&] { EXPECT_EQ(live.Get(sup, "/api/v1/rates?year=2024").status, 200); });
  figure("GET /api/v1/dashboard", [&] { EXPECT_EQ(live.Get(sup, "/api/v1/dashboard").status, 200); });
  figure("GET /api/v1/items/export.xlsx (650 items)", [&] {
    Reply r = live.Get(sup, "/api/v1/items/export.xlsx");
    EXPECT_EQ(r.status, 200);
    workbook = r.body;
  });
  figure("POST /api/v1/ledger/import (the same file, 0 changes)",
         [&] { EXPECT_EQ(PostXlsx(live, sup, workbook).status, 200); });
  figure("POST /api/v1/compare (plan × result examples)", [&] {
    EXPECT_EQ(live.Send(sup, "POST", "/api/v1/compare",
                        {{"plan_report", report_of[kPlan]}, {"result_report", report_of[kResult]}})
                  .status,
              200);
  });
  figure("GET /api/v1/compare/across?indicator=整改率 (18 reports, 3 files)", [&] {
    EXPECT_EQ(live.Get(sup, "/api/v1/compare/across?indicator=%E6%95%B4%E6%94%B9%E7%8E%87").status, 200);
  });
}

TEST(ServerStats, ExportPathIsNotAnItemId) {
  LiveServer live;
  ASSERT_TRUE(live.ok());
  live.AddUnit(kRoot);
  Session sup = live.AddUser("sup", RoleBit(UserRole::kSupervisor), kRoot);
  Reply r = live.Get(sup, "/api/v1/items/export.xlsx");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.compare(0, 2, "PK"), 0);
  EXPECT_EQ(WorkbookIds(r.body), std::vector<int64_t>{});
  EXPECT_EQ(live.Get(sup, "/api/v1/items/12345").status, 404);
}

}  // namespace
}  // namespace taizhang
