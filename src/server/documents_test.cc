// The Word documents through the API: the bulletin and the draft over what
// the principal may read, on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <string>

#include "server/server_test_util.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

using server_test::LiveServer;
using server_test::Reply;
using server_test::ScratchPostgres;

constexpr const char* kDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

bool Contains(const std::string& text, const std::string& piece) { return text.find(piece) != std::string::npos; }

void Documents(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  server.AddUnit("县水利局", "某县");
  server.AddUnit("县农业农村局", "某县");
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    for (const auto& [unit, task] : std::vector<std::pair<std::string, std::string>>{
             {"县水利局", "完成水库除险加固3座"}, {"县水利局", "新建高效节水灌溉面积1万亩"},
             {"县农业农村局", "粮食播种面积稳定在86万亩以上"}}) {
      NewItem item;
      item.unit = unit;
      item.year = 2025;
      item.task = task;
      item.deadline = "2025-06-30";
      ASSERT_TRUE(ledger.AddItem(item).ok());
    }
  });
  auto water = server.AddUser("sup_water", RoleBit(UserRole::kSupervisor), "县水利局");
  auto all = server.AddUser("sup_all", RoleBit(UserRole::kSupervisor), "某县");

  // The bulletin names only what its reader may read.
  Reply mine = server.Get(water, "/api/v1/documents/bulletin.docx?year=2025");
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.headers["content-type"], kDocx);
  EXPECT_TRUE(Contains(mine.headers["content-disposition"], "filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E9%80%9A%E6%8A%A5.docx"))
      << mine.headers["content-disposition"];
  const std::string own = testing::ZipPart(mine.body, "word/document.xml");
  EXPECT_TRUE(Contains(own, "完成水库除险加固3座")) << own.substr(0, 2000);
  EXPECT_TRUE(Contains(own, "纳入台账的工作任务共2项"));
  EXPECT_FALSE(Contains(own, "粮食播种面积"));
  Reply whole = server.Get(all, "/api/v1/documents/bulletin.docx?year=2025&issuer=%E6%9F%90%E5%8E%BF%E7%9D%A3%E6%9F%A5%E5%AE%A4");
  ASSERT_EQ(whole.status, 200) << whole.body;
  const std::string both = testing::ZipPart(whole.body, "word/document.xml");
  EXPECT_TRUE(Contains(both, "粮食播种面积稳定在86万亩以上"));
  EXPECT_TRUE(Contains(both, "纳入台账的工作任务共3项"));
  EXPECT_TRUE(Contains(both, "某县督查室"));
  EXPECT_FALSE(testing::ZipPart(whole.body, "word/charts/chart1.xml").empty());
  EXPECT_EQ(server.Get(all, "/api/v1/documents/bulletin.docx?from=2025-02-30").status, 400);

  // The draft: one unit the reader may read.
  Reply draft = server.Get(water, "/api/v1/documents/draft.docx?unit=%E5%8E%BF%E6%B0%B4%E5%88%A9%E5%B1%80&year=2025");
  ASSERT_EQ(draft.status, 200) << draft.body;
  EXPECT_EQ(draft.headers["content-type"], kDocx);
  const std::string text = testing::ZipPart(draft.body, "word/document.xml");
  EXPECT_TRUE(Contains(text, "县水利局2025年工作总结（初稿）"));
  EXPECT_TRUE(Contains(text, "新建高效节水灌溉面积1万亩"));
  Reply hidden =
      server.Get(water, "/api/v1/documents/draft.docx?unit=%E5%8E%BF%E5%86%9C%E4%B8%9A%E5%86%9C%E6%9D%91%E5%B1%80&year=2025");
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_EQ(server.Get(water, "/api/v1/documents/draft.docx?year=2025").status, 400);
}

TEST(ServerDocuments, BulletinAndDraftOverTheReadersScopeOnSqlite) { Documents(""); }

TEST(ServerDocuments, BulletinAndDraftOverTheReadersScopeOnPostgres) {
  ScratchPostgres pg("taizhang_documents");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  Documents(pg.url());
}

}  // namespace
}  // namespace taizhang
