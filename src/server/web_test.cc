// What the web application needs of the server: its pages opened by URL
// (/items/12) get index.html while a missing file stays 404 and nothing
// leaves the static root, and /api/v1/auth/me gives back the session's CSRF
// token (the page keeps it in memory only: after a reload it asks again).
// The browser tests themselves are web/e2e (scripts/test.sh).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "server/api.h"
#include "server/server_test_util.h"

namespace taizhang::server_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using server_internal::IsAppPage;

constexpr const char* kIndex = "<!doctype html><title>台账</title>";
constexpr const char* kBrowser = "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n";

HttpRequest Get(const std::string& path, const std::string& accept) {
  HttpRequest request;
  request.method = "GET";
  request.target = path;
  request.path = path;
  if (!accept.empty()) request.headers.push_back({"accept", accept});
  return request;
}

TEST(WebPages, OnlyBrowserNavigationsToPagesAreAppPages) {
  const std::string html = "text/html,application/xhtml+xml";
  EXPECT_TRUE(IsAppPage(Get("/items/12", html)));
  EXPECT_TRUE(IsAppPage(Get("/login", html)));
  EXPECT_TRUE(IsAppPage(Get("/", html)));
  EXPECT_FALSE(IsAppPage(Get("/items/12", "")));                // not a browser navigation
  EXPECT_FALSE(IsAppPage(Get("/items/12", "application/json")));
  EXPECT_FALSE(IsAppPage(Get("/assets/missing", html)));        // the built files' folder
  EXPECT_FALSE(IsAppPage(Get("/app.js", html)));                // a file name
  EXPECT_FALSE(IsAppPage(Get("/api/v1/nothing", html)));
  EXPECT_FALSE(IsAppPage(Get("/.git/config", html)));
  EXPECT_FALSE(IsAppPage(Get("/../secret", html)));
  EXPECT_FALSE(IsAppPage(Get("/a\\b", html)));
}

TEST(WebPages, PagesOpenedByUrlGetIndexAndFilesStayWhereTheyAre) {
  TempDir dir;
  const std::string root = dir.path() + "/www";
  fs::create_directories(root + "/assets");
  std::ofstream(root + "/index.html") << kIndex;
  std::ofstream(root + "/assets/index-BdE4f_x9.js") << "console.log(1);";
  std::ofstream(dir.path() + "/secret") << "outside";
  ServeOptions options;
  options.static_dir = root;
  LiveServer server("", options);
  ASSERT_TRUE(server.ok());

  for (const char* page : {"/items/12", "/login", "/password", "/items"}) {
    Reply r = Http(server.address(), "GET", page, "", "", "", "application/json", kBrowser);
    EXPECT_EQ(r.status, 200) << page;
    EXPECT_EQ(r.body, kIndex) << page;
    EXPECT_EQ(r.headers["cache-control"], "no-cache") << page;
    EXPECT_EQ(r.headers["content-type"], "text/html; charset=utf-8") << page;
    EXPECT_EQ(r.headers["content-security-policy"].find("unsafe-inline"), std::string::npos);
  }
  Reply asset = Http(server.address(), "GET", "/assets/index-BdE4f_x9.js", "", "", "", "application/json", kBrowser);
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log(1);");
  EXPECT_EQ(asset.headers["cache-control"], "public, max-age=31536000, immutable");
  EXPECT_EQ(asset.headers.count("content-encoding"), 0u);
  EXPECT_EQ(asset.headers["vary"], "Accept-Encoding");
  // A client accepting gzip gets the compressed copy the build wrote beside
  // the file, with the file's type and caching; without one, the file.
  const std::string gz = std::string("\x1f\x8b\x08\x00" "compressed", 14);
  std::ofstream(root + "/assets/index-BdE4f_x9.js.gz", std::ios::binary) << gz;
  Reply zipped = Http(server.address(), "GET", "/assets/index-BdE4f_x9.js", "", "", "", "application/json",
                      std::string(kBrowser) + "Accept-Encoding: gzip, deflate, br\r\n");
  EXPECT_EQ(zipped.status, 200);
  EXPECT_EQ(zipped.body, gz);
  EXPECT_EQ(zipped.headers["content-encoding"], "gzip");
  EXPECT_EQ(zipped.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(zipped.headers["cache-control"], "public, max-age=31536000, immutable");
  Reply page = Http(server.address(), "GET", "/items/3", "", "", "", "application/json",
                    std::string(kBrowser) + "Accept-Encoding: gzip\r\n");
  EXPECT_EQ(page.body, kIndex);  // no index.html.gz: as it is
  EXPECT_EQ(page.headers.count("content-encoding"), 0u);
  for (const char* target : {"/assets/index-00000000.js", "/favicon.ico", "/api/v1/nothing", "/%2e%2e/secret",
                             "/assets/..%2f..%2fsecret", "/.hidden"}) {
    Reply r = Http(server.address(), "GET", target, "", "", "", "application/json", kBrowser);
    EXPECT_TRUE(r.status == 404 || r.status == 400) << target << " " << r.status;
    EXPECT_EQ(r.body.find("outside"), std::string::npos) << target;
  }
  // A program asking for a page (no text/html) is told there is none.
  EXPECT_EQ(Http(server.address(), "GET", "/items/12").status, 404);
  // The API stays the API: protected routes answer 401, not the page.
  Reply api = Http(server.address(), "GET", "/api/v1/items", "", "", "", "application/json", kBrowser);
  EXPECT_TRUE(IsErrorShape(api.status, api.headers["content-type"], api.body, 401));
}

TEST(WebPages, MeGivesBackTheSessionsCsrfToken) {
  LiveServer server;
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  server.AddUnit("县水利局", "某县");
  Session s = server.AddUser("lisi", RoleBit(UserRole::kReporter), "县水利局");
  Reply me = server.Get(s, "/api/v1/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json()["csrf_token"], s.csrf);
  // It works for changes, as the one from the login does.
  Reply out = Http(server.address(), "POST", "/api/v1/auth/logout", "", s.token, me.Json()["csrf_token"]);
  EXPECT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(server.Get(s, "/api/v1/auth/me").status, 401);
}

}  // namespace
}  // namespace taizhang::server_test
