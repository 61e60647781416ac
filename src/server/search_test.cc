// Search through the API (api_search.cc), on SQLite and PostgreSQL: the
// seed compilation uploaded and imported, then found by a 督查员 over the
// whole county and by a 填报员 only within their unit; an item added and
// one rejected on another connection are found, and gone, at the next
// search; bad queries are refused.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <vector>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "server/server_test_util.h"
#include "tests/test_util.h"

namespace taizhang::server_test {
namespace {

using nlohmann::json;

std::string Encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

json Search(const LiveServer& server, const Session& s, const std::string& query, int expected_status = 200) {
  Reply r = server.Get(s, "/api/v1/search?" + query);
  EXPECT_EQ(r.status, expected_status) << query << ": " << r.body;
  return r.Json();
}

void ImportSeed(LiveServer& server, const Session& s) {
  const std::string seed = ReadFile(testing::SharedDir() + "/corpus/seed/000_149dd883a1863841.txt");
  ASSERT_FALSE(seed.empty());
  Reply uploaded = Http(server.address(), "POST", "/api/v1/files", seed, s.token, s.csrf, "application/octet-stream");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  Reply created =
      server.Send(s, "POST", "/api/v1/reports", json{{"file", uploaded.Json()["file"]}, {"name", "汇编.txt"}});
  ASSERT_EQ(created.status, 202) << created.body;
  const std::string id = created.Json()["id"];
  for (int i = 0; i < 3000; ++i) {
    json job = server.Get(s, "/api/v1/jobs/" + id).Json();
    if (job["state"] == "done") return;
    ASSERT_NE(job["state"], "failed") << job.dump();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL() << "the import did not end";
}

void SearchThroughTheApi(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  server.AddUnit("县水利局", "某县");
  server.AddUnit("区审计局", "某县");
  Session chief = server.AddUser("duchayuan", RoleBit(UserRole::kSupervisor), "某县");
  Session audit = server.AddUser("shenji", RoleBit(UserRole::kReporter), "区审计局");
  ImportSeed(server, chief);

  // The 督查员 finds 河长制 in the water bureau's report, with the sentence
  // marked and the place to go.
  json water = Search(server, chief, "q=" + Encode("河长制") + "&kind=sentence");
  ASSERT_GT(water["total"].get<int>(), 0) << water.dump();
  const json first = water["hits"][0];
  EXPECT_EQ(first["kind_label"], "报告原文");
  EXPECT_GT(first["report_id"].get<int64_t>(), 0);
  EXPECT_GT(first["line"].get<int>(), 0);
  EXPECT_EQ(first["file"], "汇编.txt");
  std::string marked, joined;
  for (const json& part : first["parts"]) {
    joined += part["text"].get<std::string>();
    if (part["hit"].get<bool>()) marked += part["text"].get<std::string>();
  }
  EXPECT_EQ(joined, first["text"]);
  EXPECT_NE(marked.find("河长制"), std::string::npos);
  // The report the hit names is one the 督查员 can open at that line.
  Reply report = server.Get(chief, "/api/v1/reports/" + std::to_string(first["report_id"].get<int64_t>()));
  EXPECT_EQ(report.status, 200);
  ASSERT_FALSE(water["facets"]["unit"].empty());
  EXPECT_EQ(water["facets"]["kind"][0]["label"], "报告原文");

  // The 填报员 of 区审计局 sees only hits of their unit.
  json everything = Search(server, chief, "q=" + Encode("审计") + "&limit=100");
  json own = Search(server, audit, "q=" + Encode("审计") + "&limit=100");
  ASSERT_GT(own["total"].get<int>(), 0) << own.dump();
  EXPECT_LT(own["total"].get<int>(), everything["total"].get<int>());
  for (const json& hit : own["hits"]) EXPECT_EQ(hit["unit"], "区审计局") << hit.dump();
  for (const json& facet : own["facets"]["unit"]) EXPECT_EQ(facet["value"], "区审计局");
  EXPECT_EQ(Search(server, audit, "q=" + Encode("河长制"))["total"], 0);

  // Changes made elsewhere (here: another connection) are found at once.
  int64_t added_id = 0;
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    NewItem item;
    item.unit = "区审计局";
    item.year = 2024;
    item.task = "完成月亮湾片区专项审计调查";
    auto added = ledger.AddItem(item);
    ASSERT_TRUE(added.ok()) << added.status().message();
    added_id = added->id;
  });
  json moon = Search(server, audit, "q=" + Encode("月亮湾"));
  ASSERT_EQ(moon["total"], 1) << moon.dump();
  EXPECT_EQ(moon["hits"][0]["item_id"], added_id);
  EXPECT_EQ(moon["hits"][0]["kind"], "item");
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    ItemChange change;
    change.task = "完成星光湾片区专项审计调查";
    ASSERT_TRUE(ledger.UpdateItem(added_id, std::nullopt, change).ok());
  });
  EXPECT_EQ(Search(server, audit, "q=" + Encode("月亮湾"))["total"], 0);
  EXPECT_EQ(Search(server, audit, "q=" + Encode("星光湾"))["total"], 1);
  // A proposal rejected leaves the results.
  int64_t rejected = 0;
  std::string rejected_task;
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    ItemFilter proposals;
    proposals.review = ReviewState::kProposed;
    proposals.unit = "县水利局";
    auto listed = ledger.ListItems(proposals);
    ASSERT_TRUE(listed.ok() && !listed->empty());
    rejected = listed->front().id;
    rejected_task = listed->front().task;
  });
  auto has_rejected = [&] {
    json found = Search(server, chief, "q=" + Encode(rejected_task) + "&kind=item&limit=100");
    for (const json& hit : found["hits"]) {
      if (hit.value("item_id", int64_t{0}) == rejected) return true;
    }
    return false;
  };
  EXPECT_TRUE(has_rejected()) << rejected_task;
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    ASSERT_TRUE(ledger.RejectItems({{rejected, std::nullopt}}, "不是任务").ok());
  });
  EXPECT_FALSE(has_rejected());

  // Filters and refusals.
  json plan_part = Search(server, chief, "q=" + Encode("防汛") + "&section_kind=plan&year=2024");
  for (const json& hit : plan_part["hits"]) {
    EXPECT_EQ(hit["section_kind"], "plan");
    EXPECT_EQ(hit["year"], 2024);
  }
  EXPECT_EQ(Search(server, chief, "q=", 400)["error"]["message"], "请给出要查找的文字（q）。");
  Search(server, chief, "q=a&kind=banana", 400);
  Search(server, chief, "q=a&limit=0", 400);
  Reply anonymous = Http(server.address(), "GET", "/api/v1/search?q=a", "", "", "", "");
  EXPECT_EQ(anonymous.status, 401);
}

TEST(ServerSearch, ScopeEditsAndFiltersOnSqlite) { SearchThroughTheApi(""); }

TEST(ServerSearch, ScopeEditsAndFiltersOnPostgres) {
  ScratchPostgres scratch("taizhang_search");
  TAIZHANG_POSTGRES_OR_SKIP(scratch);
  SearchThroughTheApi(scratch.url());
}

// The catch-up at start (ServeOptions::search_catch_up_at_start, what
// `taizhang serve` sets): the seed imported on a first server that never
// searched, a second one on the same ledger and data directory indexes it
// on a thread of its own after it started listening, and says so; the
// first search then finds the report sentences (their files are among the
// uploads) without indexing anything.
TEST(ServerSearch, CatchesUpAtStartInTheBackground) {
  TempDir dir;
  const std::string db = dir.path() + "/taizhang.db";
  ServeOptions options;
  options.data_dir = dir.path() + "/data";
  {
    LiveServer first(db, options);
    ASSERT_TRUE(first.ok());
    first.AddUnit("某县");
    first.AddUnit("县水利局", "某县");
    Session chief = first.AddUser("duchayuan", RoleBit(UserRole::kSupervisor), "某县");
    ImportSeed(first, chief);
  }
  ASSERT_FALSE(std::filesystem::exists(options.data_dir + "/search"));

  std::mutex mutex;
  std::condition_variable told;
  std::vector<std::string> said;
  options.search_catch_up_at_start = true;
  options.search_log = [&](const std::string& text) {
    std::lock_guard lock(mutex);
    said.push_back(text);
    told.notify_all();
  };
  LiveServer second(db, options);
  ASSERT_TRUE(second.ok());  // Start returned: listening, whatever the index is doing
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(told.wait_for(lock, std::chrono::minutes(3), [&] { return !said.empty(); }));
  }
  ASSERT_EQ(said.size(), 1u);
  EXPECT_NE(said[0].find("编入报告 16 篇"), std::string::npos) << said[0];
  EXPECT_EQ(said[0].find("原文件不在服务器上"), std::string::npos) << said[0];
  EXPECT_TRUE(std::filesystem::exists(options.data_dir + "/search"));
  Session chief = LogIn(second.address(), "duchayuan", LiveServer::kPassword);
  json found = Search(second, chief, "q=" + Encode("河长制") + "&kind=sentence");
  EXPECT_GT(found["total"].get<int>(), 0) << found.dump();
  EXPECT_EQ(said.size(), 1u);  // the search did not log, or rebuild
}

}  // namespace
}  // namespace taizhang::server_test
