// The server's item list paged in SQL (StoreAccounts::ListItems): on every
// page, for principals of every role and scope, over unit names that resolve
// by name, alias, a government's suffix, a longer name's start, lists of
// names, 牵头单位, and names of no unit, the rows and the total are exactly
// those Authorize allows item by item — the list never shows what the
// detail refuses, and never leaves out what it shows — without falling back
// to deciding the whole list item by item. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/calendar.h"
#include "server/server.h"
#include "server/server_test_util.h"

namespace taizhang::server_test {
namespace {

using nlohmann::json;

struct Fixture {
  std::map<std::string, int64_t> unit_ids;
  UnitTree tree;
};

// Two counties; 甲县水利局 also called 甲县水务局, with an office below it.
void MakeUnits(AccessStore& access, const Principal& console, Fixture* fixture) {
  struct U {
    std::string name, parent;
    std::vector<std::string> aliases;
  };
  for (const U& u : std::vector<U>{{"甲县", "", {}},
                                   {"甲县水利局", "甲县", {"甲县水务局"}},
                                   {"甲县农业农村局", "甲县", {}},
                                   {"甲县水利局办公室", "甲县水利局", {}},
                                   {"乙县", "", {}},
                                   {"乙县教育局", "乙县", {}}}) {
    auto added = access.AddUnit(console, u.name, u.parent, u.aliases);
    ASSERT_TRUE(added.ok()) << added.status().message();
    fixture->unit_ids[u.name] = added->id;
  }
  auto tree = access.Units();
  ASSERT_TRUE(tree.ok());
  fixture->tree = *tree;
}

// Every pairing of a 责任单位 text with a 牵头单位 text, in two kinds, with
// deadlines past, near and far, some finished.
void MakeItems(LedgerStore& ledger) {
  const std::vector<std::string> units = {"甲县水利局", "甲县水务局", "甲县农业农村局、甲县水利局",
                                          "甲县水利局水政监察大队", "甲县水利局办公室", "乙县教育局", "乙县",
                                          "甲县人民政府", "某某公司", "某某公司、乙县教育局", "甲县"};
  const std::vector<std::string> leads = {"", "甲县水利局", "乙县教育局", "不存在的单位"};
  const std::vector<int> offsets = {-30, 3, 90, 0};
  int n = 0;
  for (const std::string& unit : units) {
    for (const std::string& lead : leads) {
      for (int k = 0; k < 2; ++k, ++n) {
        NewItem item;
        item.kind = k == 0 ? ItemKind::kPlan : ItemKind::kProblem;
        item.unit = unit;
        item.lead_unit = lead;
        item.year = 2025 + n % 2;
        item.task = (n % 3 == 0 ? "河道整治" : "农田建设") + std::to_string(n);
        if (n % 5 != 4) item.deadline = *calendar::AddDays(ledger.today(), offsets[n % 4] + n % 7);
        if (n % 6 == 5 && k == 0) item.status = ItemStatus::kDone;
        auto added = ledger.AddItem(item);
        ASSERT_TRUE(added.ok()) << added.status().message();
      }
    }
  }
}

Principal Person(const Fixture& f, RoleSet roles, const std::string& unit, const std::string& scope) {
  Principal p;
  p.user_id = 7;
  p.name = "someone";
  p.roles = roles;
  p.unit_id = unit.empty() ? 0 : f.unit_ids.at(unit);
  p.scope_unit_id = scope.empty() ? p.unit_id : f.unit_ids.at(scope);
  p.scope_units = f.tree.Subtree(p.scope_unit_id);
  return p;
}

void ScopedPaging(const std::string& db) {
  Fixture f;
  {
    auto ledger = LedgerStore::Open(db, "tester");
    ASSERT_TRUE(ledger.ok()) << ledger.status().message();
    auto access = AccessStore::Open(ledger->get(), CheapHashing());
    ASSERT_TRUE(access.ok());
    Principal console = ConsolePrincipal(RoleBit(UserRole::kSystemAdmin), "tester");
    MakeUnits(**access, console, &f);
    MakeItems(**ledger);
  }
  auto accounts = StoreAccounts::Open(db, CheapHashing());
  ASSERT_TRUE(accounts.ok()) << accounts.status().message();
  auto reference_store = LedgerStore::Open(db, "tester");
  ASSERT_TRUE(reference_store.ok());
  LedgerStore& reference = **reference_store;

  const RoleSet supervisor = RoleBit(UserRole::kSupervisor), reporter = RoleBit(UserRole::kReporter),
                viewer = RoleBit(UserRole::kViewer);
  struct Who {
    std::string label;
    Principal principal;
  };
  std::vector<Who> people = {
      {"督查员 甲县", Person(f, supervisor, "甲县", "")},
      {"督查员 甲县水利局", Person(f, supervisor, "甲县水利局", "")},
      {"督查员 甲县水利局办公室", Person(f, supervisor, "甲县水利局办公室", "")},
      {"填报员 甲县（根，只有本单位）", Person(f, reporter, "甲县", "")},
      {"填报员 乙县教育局", Person(f, reporter, "乙县教育局", "")},
      {"查看 乙县", Person(f, viewer, "乙县", "")},
      {"填报员 甲县农业农村局 + 查看 乙县教育局", Person(f, reporter | viewer, "甲县农业农村局", "乙县教育局")},
      {"系统管理员", Person(f, RoleBit(UserRole::kSystemAdmin), "", "")},
  };
  Principal must_change = Person(f, supervisor, "甲县", "");
  must_change.must_change_password = true;
  people.push_back({"须改密码", must_change});

  std::vector<std::pair<std::string, ItemFilter>> filters;
  filters.push_back({"全部", {}});
  ItemFilter f_kind;
  f_kind.kind = ItemKind::kProblem;
  filters.push_back({"问题", f_kind});
  ItemFilter f_red;
  f_red.warning = Warning::kRed;
  filters.push_back({"红灯", f_red});
  ItemFilter f_green;
  f_green.warning = Warning::kGreen;
  f_green.order = ItemFilter::Order::kDeadline;
  filters.push_back({"绿灯，按时限", f_green});
  ItemFilter f_text;
  f_text.text = "河道";
  f_text.order = ItemFilter::Order::kUpdated;
  filters.push_back({"文字，按修改", f_text});
  ItemFilter f_window;
  f_window.deadline_from = *calendar::AddDays(reference.today(), 0);
  f_window.deadline_to = *calendar::AddDays(reference.today(), 30);
  f_window.year = 2025;
  f_window.review.reset();
  f_window.order = ItemFilter::Order::kDeadline;
  filters.push_back({"时限窗口、年度、全部确认状态", f_window});

  int seen_somewhere = 0;
  for (const Who& who : people) {
    for (const auto& [filter_label, filter] : filters) {
      // The reference: the whole filtered list, decided item by item.
      auto all = reference.ListItems(filter);
      ASSERT_TRUE(all.ok()) << all.status().message();
      std::vector<int64_t> expected;
      for (const LedgerItem& item : *all) {
        Resource r;
        r.units = f.tree.ItemUnits(item);
        if (Authorize(who.principal, Action::kReadItem, r).allowed) expected.push_back(item.id);
      }
      seen_somewhere += !expected.empty();
      for (int64_t limit : {1, 7, 50}) {
        std::vector<int64_t> listed;
        for (int64_t offset = 0; offset <= static_cast<int64_t>(expected.size()); offset += limit) {
          auto page = (*accounts)->ListItems(who.principal, filter, offset, limit);
          ASSERT_TRUE(page.ok()) << page.status().message();
          EXPECT_FALSE(page->decided_item_by_item) << who.label << " / " << filter_label;
          EXPECT_EQ(page->total, static_cast<int64_t>(expected.size())) << who.label << " / " << filter_label;
          EXPECT_LE(static_cast<int64_t>(page->items.size()), limit);
          for (const LedgerItem& item : page->items) listed.push_back(item.id);
        }
        EXPECT_EQ(listed, expected) << who.label << " / " << filter_label << " / " << limit << " a page";
        if (listed != expected) {
          for (const LedgerItem& item : *all) {
            bool in_listed = std::find(listed.begin(), listed.end(), item.id) != listed.end();
            bool in_expected = std::find(expected.begin(), expected.end(), item.id) != expected.end();
            if (in_listed != in_expected) {
              ADD_FAILURE() << "item " << item.id << " 责任单位 " << item.unit << " 牵头单位 " << item.lead_unit
                            << (in_listed ? " listed, refused by Authorize" : " allowed by Authorize, not listed");
            }
          }
          return;
        }
      }
    }
  }
  // The cases are not vacuous: most people see something, the filters too.
  EXPECT_GT(seen_somewhere, 30);
}

TEST(ItemsPage, PagesInSqlExactlyWhatAuthorizeAllowsOnSqlite) {
  TempDir dir;
  ScopedPaging(dir.path() + "/taizhang.db");
}

TEST(ItemsPage, PagesInSqlExactlyWhatAuthorizeAllowsOnPostgres) {
  ScratchPostgres pg("taizhang_items_page");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  ScopedPaging(pg.url());
}

// Through HTTP: filters, orders and paging of /api/v1/items; every page's
// rows the detail shows, nothing outside the scope.
void ListedOverHttp(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  server.AddUnit("县水利局", "某县");
  server.AddUnit("县教育局", "某县");
  std::vector<int64_t> water;
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    for (int n = 0; n < 30; ++n) {
      NewItem item;
      item.unit = n % 3 == 0 ? "县教育局" : "县水利局";
      item.year = 2025;
      item.task = n % 2 == 0 ? "河道清淤" + std::to_string(n) : "堤防加固" + std::to_string(n);
      item.deadline = *calendar::AddDays(ledger.today(), n % 4 == 0 ? -10 + n : 100 - n);
      auto added = ledger.AddItem(item);
      ASSERT_TRUE(added.ok()) << added.status().message();
      if (n % 3 != 0) water.push_back(added->id);
    }
  });
  Session shuili = server.AddUser("shuili", RoleBit(UserRole::kSupervisor), "县水利局");
  auto ids = [&](const std::string& query, int64_t* total) {
    Reply r = server.Get(shuili, "/api/v1/items" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<int64_t> out;
    json body = json::parse(r.body, nullptr, false);
    if (!body.is_object()) return out;
    for (const json& item : body["items"]) out.push_back(item["id"].get<int64_t>());
    if (total != nullptr) *total = body["total"].get<int64_t>();
    return out;
  };
  int64_t total = 0;
  EXPECT_EQ(ids("?limit=200", &total), water);
  EXPECT_EQ(total, 20);
  // By deadline, a page at a time: the same items, deadlines not decreasing.
  std::vector<int64_t> by_deadline;
  for (int offset = 0; offset < 20; offset += 6) {
    std::vector<int64_t> page = ids("?sort=deadline&limit=6&offset=" + std::to_string(offset), &total);
    by_deadline.insert(by_deadline.end(), page.begin(), page.end());
    EXPECT_EQ(total, 20);
  }
  std::vector<int64_t> sorted = by_deadline;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, water);
  std::string previous;
  for (int64_t id : by_deadline) {
    Reply r = server.Get(shuili, "/api/v1/items/" + std::to_string(id));
    ASSERT_EQ(r.status, 200);
    std::string deadline = json::parse(r.body)["deadline"].get<std::string>();
    EXPECT_LE(previous, deadline);
    previous = deadline;
  }
  // Filters: red (overdue), a text, a window; each a subset of what it may see.
  std::vector<int64_t> red = ids("?warning=red", &total);
  EXPECT_EQ(static_cast<int64_t>(red.size()), total);
  EXPECT_FALSE(red.empty());
  for (int64_t id : red) {
    json item = json::parse(server.Get(shuili, "/api/v1/items/" + std::to_string(id)).body);
    EXPECT_EQ(item["warning"], "red");
    EXPECT_EQ(item["unit"], "县水利局");
  }
  std::vector<int64_t> dredging = ids("?q=" + std::string("%E6%B2%B3%E9%81%93") + "&sort=updated", &total);  // 河道
  EXPECT_EQ(total, 10);
  EXPECT_TRUE(std::is_sorted(dredging.rbegin(), dredging.rend()));
  EXPECT_TRUE(ids("?q=%25", &total).empty());  // a literal %, not a wildcard
  EXPECT_EQ(server.Get(shuili, "/api/v1/items?warning=blue").status, 400);
  EXPECT_EQ(server.Get(shuili, "/api/v1/items?sort=name").status, 400);
  EXPECT_EQ(server.Get(shuili, "/api/v1/items?deadline_from=2025-02-30").status, 400);
  EXPECT_EQ(server.Get(shuili, "/api/v1/items?review=nope").status, 400);
}

TEST(ItemsPage, FiltersOrdersAndPagesOverHttpOnSqlite) { ListedOverHttp(""); }

TEST(ItemsPage, FiltersOrdersAndPagesOverHttpOnPostgres) {
  ScratchPostgres pg("taizhang_items_http");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  ListedOverHttp(pg.url());
}

}  // namespace
}  // namespace taizhang::server_test
