// The server: the error shape, the route table against its OpenAPI
// document, bad input answered 4xx with nothing stored, static files that
// never leave their root, and real connections — keep-alive, slow clients
// dropped without holding the I/O thread, TLS, the access log, an analysis
// job from upload to result, and (with the real command) graceful shutdown
// on SIGTERM and 401 on every protected route without accounts.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ledger/database.h"
#include "server/api.h"
#include "server/http_server.h"
#include "server/jobs.h"
#include "server/router.h"
#include "server/server.h"
#include "server/server_test_util.h"

namespace taizhang {
namespace {

using namespace server_internal;
using namespace server_test;
using nlohmann::json;
namespace fs = std::filesystem;

// A fake of the accounts layer, for the tests only: the cookie
// taizhang_session=<name> is the session of <name>, its CSRF token is
// "csrf-<name>" in X-CSRF-Token, and "reader" may only read.
class FakeAccounts final : public Authenticator {
 public:
  std::optional<Principal> Authenticate(const HttpRequest& request) override {
    std::optional<std::string> session = request.Cookie("taizhang_session");
    if (!session || (*session != "alice" && *session != "bob" && *session != "reader")) return std::nullopt;
    Principal principal;
    principal.user_id = *session == "alice" ? 1 : *session == "bob" ? 2 : 3;
    principal.name = *session;
    return principal;
  }
  bool CheckCsrf(const HttpRequest& request, const Principal& principal) override {
    return request.Header("x-csrf-token") == "csrf-" + principal.name;
  }
  bool Allows(const Principal& principal, std::string_view action) override {
    return principal.name != "reader" || action.ends_with(".read");
  }
};

// The API with the fake accounts over a temporary data directory.
struct Api {
  explicit Api(std::shared_ptr<Authenticator> auth = std::make_shared<FakeAccounts>(), std::string static_dir = "") {
    uploads = UploadStore::Open(dir.path() + "/data").value();
    jobs = MemoryJobStore();
    runner = std::make_unique<JobRunner>(jobs.get(), uploads.get(), PoolOptions{1, 4});
    ApiOptions options;
    options.max_json_bytes = 4096;
    options.max_upload_bytes = 1024 * 1024;
    options.static_dir = std::move(static_dir);
    router = MakeApi(std::move(auth), ApiServices{uploads.get(), jobs.get(), runner.get()}, options);
  }
  HttpResponse Raw(const std::string& bytes) const { return AnswerRawRequest(*router, bytes, TransportLimits{}); }
  // A request of `user` (with the CSRF token unless `csrf` is false).
  HttpResponse Call(const std::string& method, const std::string& target, const std::string& body = "",
                    const std::string& user = "alice", const std::string& type = "application/json",
                    bool csrf = true) const {
    std::string text = method + " " + target + " HTTP/1.1\r\nHost: x\r\n";
    if (!user.empty()) text += "Cookie: theme=dark; taizhang_session=" + user + "\r\n";
    if (!user.empty() && csrf) text += "X-CSRF-Token: csrf-" + user + "\r\n";
    if (!body.empty() || method == "POST") {
      text += "Content-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    }
    text += "\r\n" + body;
    return Raw(text);
  }
  size_t StoredFiles() const { return CountFiles(dir.path() + "/data"); }

  TempDir dir;
  std::unique_ptr<UploadStore> uploads;
  std::unique_ptr<JobStore> jobs;
  std::unique_ptr<JobRunner> runner;
  std::unique_ptr<Router> router;
};

const std::string kReport = std::string(TAIZHANG_SOURCE_DIR) + "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt";

TEST(ServerErrors, EveryStatusHasTheOneShapeWithAChineseMessage) {
  for (int status : {400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 431, 500, 503}) {
    EXPECT_TRUE(IsErrorShape(ErrorResponse(status, "出错了。"), status));
    EXPECT_NE(ErrorCode(status), "error") << status;
  }
  // Distinct codes.
  std::set<std::string_view> codes;
  for (int status : {400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 431, 500, 503}) {
    codes.insert(ErrorCode(status));
  }
  EXPECT_EQ(codes.size(), 15u);
}

// Every route of the table is in the OpenAPI document with a summary, its
// path parameters and its responses; and every status a route answers to
// the requests below is one it documents.
TEST(ServerOpenApi, EveryRouteIsDocumented) {
  Api api;
  json doc = api.router->OpenApi("test");
  ASSERT_EQ(doc["openapi"], "3.0.3");
  ASSERT_FALSE(api.router->routes().empty());
  std::regex param(R"(\{([a-z_]+)\})");
  for (const Route& route : api.router->routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    SCOPED_TRACE(route.method + " " + route.pattern);
    ASSERT_TRUE(doc["paths"].contains(route.pattern));
    ASSERT_TRUE(doc["paths"][route.pattern].contains(method));
    const json& op = doc["paths"][route.pattern][method];
    EXPECT_FALSE(route.summary.empty());
    EXPECT_FALSE(route.operation_id.empty());
    EXPECT_EQ(op["summary"], route.summary);
    EXPECT_FALSE(route.responses.empty());
    EXPECT_TRUE(op.contains("responses") && !op["responses"].empty());
    for (auto it = std::sregex_iterator(route.pattern.begin(), route.pattern.end(), param);
         it != std::sregex_iterator(); ++it) {
      std::string name = (*it)[1];
      bool documented = false;
      for (const json& p : op.value("parameters", json::array())) {
        documented |= p["name"] == name && p["in"] == "path" && !p.value("description", "").empty();
      }
      EXPECT_TRUE(documented) << "path parameter " << name;
    }
    if (!route.request_type.empty()) {
      EXPECT_TRUE(op.contains("requestBody"));
    }
    if (!route.action.empty()) {
      EXPECT_TRUE(op["responses"].contains("401")) << "a protected route documents 401";
    }
  }
  // operationIds are unique.
  std::set<std::string> ids;
  for (const Route& route : api.router->routes()) EXPECT_TRUE(ids.insert(route.operation_id).second);

  // Requests to every route, good and bad: each status is documented.
  auto documented = [&](const HttpResponse& r, const std::string& method, const std::string& pattern) {
    for (const Route& route : api.router->routes()) {
      if (route.method != method || route.pattern != pattern) continue;
      for (const auto& [status, why] : route.responses) {
        if (status == r.status) return true;
      }
    }
    return false;
  };
  std::string upload_body = ReadFile(kReport);
  HttpResponse uploaded = api.Call("POST", "/api/v1/files", upload_body, "alice", "application/octet-stream");
  std::string hash = json::parse(uploaded.body).value("file", "");
  std::vector<std::tuple<std::string, std::string, std::string, HttpResponse>> calls = {
      {"GET", "/healthz", "", api.Call("GET", "/healthz", "", "")},
      {"GET", "/api/v1/openapi.json", "", api.Call("GET", "/api/v1/openapi.json", "", "")},
      {"POST", "/api/v1/files", "", uploaded},
      {"POST", "/api/v1/files", "", api.Call("POST", "/api/v1/files", upload_body, "alice", "application/octet-stream")},
      {"POST", "/api/v1/files", "", api.Call("POST", "/api/v1/files", "x", "")},
      {"POST", "/api/v1/files", "", api.Call("POST", "/api/v1/files", "", "alice", "application/octet-stream")},
      {"POST", "/api/v1/files", "", api.Call("POST", "/api/v1/files", std::string("\x89PNG\r\n\x1a\n\0\0\0", 11), "alice",
                                             "application/octet-stream")},
      {"POST", "/api/v1/jobs", "", api.Call("POST", "/api/v1/jobs", "{", "alice")},
      {"POST", "/api/v1/jobs", "", api.Call("POST", "/api/v1/jobs", "{}", "alice", "text/plain")},
      {"POST", "/api/v1/jobs", "", api.Call("POST", "/api/v1/jobs", "{\"file\":1,\"name\":\"a\"}", "alice")},
      {"POST", "/api/v1/jobs", "", api.Call("POST", "/api/v1/jobs", "{}", "alice", "application/json", false)},
      {"POST", "/api/v1/jobs", "", api.Call("POST", "/api/v1/jobs", "{}", "reader")},
      {"POST", "/api/v1/jobs", "", api.Call("POST", "/api/v1/jobs", std::string(5000, ' '), "alice")},
      {"POST", "/api/v1/jobs", "",
       api.Call("POST", "/api/v1/jobs", json{{"file", hash}, {"name", "报告.txt"}}.dump(), "alice")},
      {"GET", "/api/v1/jobs/{id}", "", api.Call("GET", "/api/v1/jobs/0123", "", "alice")},
      {"GET", "/api/v1/jobs/{id}", "", api.Call("GET", "/api/v1/jobs/0123", "", "")},
  };
  for (const auto& [method, pattern, unused, response] : calls) {
    EXPECT_TRUE(documented(response, method, pattern))
        << method << " " << pattern << " answered " << response.status << " " << response.body;
  }
}

TEST(ServerRouter, UnknownPathsMethodsAndMissingSessions) {
  Api api;
  EXPECT_TRUE(IsErrorShape(api.Call("GET", "/api/v1/nothing", "", ""), 404));
  HttpResponse wrong_method = api.Call("DELETE", "/api/v1/jobs", "", "alice");
  EXPECT_TRUE(IsErrorShape(wrong_method, 405));
  EXPECT_EQ(wrong_method.Get("Allow"), "POST");
  EXPECT_TRUE(IsErrorShape(api.Call("GET", "/api/v1/jobs/abc", "", ""), 401));
  EXPECT_TRUE(IsErrorShape(api.Call("GET", "/api/v1/jobs/abc", "", "mallory"), 401));
  EXPECT_TRUE(IsErrorShape(api.Call("POST", "/api/v1/files", "abc", "alice", "application/octet-stream", false), 403));
  EXPECT_TRUE(IsErrorShape(api.Call("POST", "/api/v1/jobs", "{}", "reader"), 403));
  HttpResponse health = api.Call("GET", "/healthz", "", "");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body)["status"], "ok");
}

// Without the accounts layer (NoAccounts) nothing but the public routes answers.
TEST(ServerRouter, NoAccountsServesNothingProtected) {
  Api api(NoAccounts());
  for (const Route& route : api.router->routes()) {
    std::string target = std::regex_replace(route.pattern, std::regex(R"(\{[a-z_]+\})"), "x");
    HttpResponse response = api.Call(route.method, target, route.method == "POST" ? "{}" : "", "alice");
    if (route.pattern == "/api/v1/auth/login" || route.pattern == "/api/v1/calendar/{file}") {
      // No accounts to log in to, nor calendar links of one.
      EXPECT_TRUE(IsErrorShape(response, 503)) << route.pattern;
    } else if (route.action.empty()) {
      EXPECT_EQ(response.status, 200) << route.pattern;
    } else {
      EXPECT_TRUE(IsErrorShape(response, 401)) << route.pattern;
    }
  }
  EXPECT_EQ(api.StoredFiles(), 0u);
}

// Bad input: each a 4xx in the error shape, and nothing stored.
TEST(ServerRouter, BadInputIsRefusedAndNothingStored) {
  Api api;
  struct Case {
    std::string what;
    HttpResponse response;
    int status;
  };
  std::vector<Case> cases = {
      {"malformed JSON", api.Call("POST", "/api/v1/jobs", "{\"file\": \"ab", "alice"), 400},
      {"not an object", api.Call("POST", "/api/v1/jobs", "[1,2]", "alice"), 400},
      {"invalid UTF-8 in JSON", api.Call("POST", "/api/v1/jobs", "{\"file\":\"a\",\"name\":\"\xff\xfe\"}", "alice"), 400},
      {"wrong type", api.Call("POST", "/api/v1/jobs", "{\"file\":[],\"name\":\"a.txt\"}", "alice"), 422},
      {"wrong type of name", api.Call("POST", "/api/v1/jobs", "{\"file\":\"ab\",\"name\":7}", "alice"), 422},
      {"unknown field", api.Call("POST", "/api/v1/jobs", "{\"file\":\"ab\",\"name\":\"a\",\"x\":1}", "alice"), 422},
      {"path traversal in the name",
       api.Call("POST", "/api/v1/jobs", json{{"file", std::string(64, 'a')}, {"name", "../../etc/passwd"}}.dump(),
                "alice"),
       422},
      {"absolute path as name",
       api.Call("POST", "/api/v1/jobs", json{{"file", std::string(64, 'a')}, {"name", "/etc/passwd"}}.dump(), "alice"),
       422},
      {"backslash in the name",
       api.Call("POST", "/api/v1/jobs", json{{"file", std::string(64, 'a')}, {"name", "..\\x.docx"}}.dump(), "alice"),
       422},
      {"path as upload hash",
       api.Call("POST", "/api/v1/jobs", json{{"file", "../../etc/passwd"}, {"name", "a.txt"}}.dump(), "alice"), 422},
      {"SQL metacharacters",
       api.Call("POST", "/api/v1/jobs", json{{"file", "'; DROP TABLE items; --"}, {"name", "a'--.txt"}}.dump(), "alice"),
       422},
      {"huge JSON body", api.Call("POST", "/api/v1/jobs", "{\"file\":\"" + std::string(10000, 'a') + "\"}", "alice"),
       413},
      {"huge upload",
       api.Call("POST", "/api/v1/files", std::string(2 * 1024 * 1024, 'a'), "alice", "application/octet-stream"), 413},
      {"wrong content type", api.Call("POST", "/api/v1/jobs", "{}", "alice", "text/plain"), 415},
      {"binary upload",
       api.Call("POST", "/api/v1/files", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16), "alice",
                "application/octet-stream"),
       415},
      {"invalid UTF-8 in the path", api.Raw("GET /api/v1/jobs/%FF%FE HTTP/1.1\r\nHost: x\r\n\r\n"), 400},
      {"NUL in the path", api.Raw("GET /api/v1/jobs/a%00b HTTP/1.1\r\nHost: x\r\n\r\n"), 400},
      {"bad escape", api.Raw("GET /api/v1/jobs/%G1 HTTP/1.1\r\nHost: x\r\n\r\n"), 400},
      {"malformed request line", api.Raw("GET\r\n\r\n"), 400},
      {"absolute-form target", api.Raw("GET http://evil/x HTTP/1.1\r\nHost: x\r\n\r\n"), 400},
      {"headers too long", api.Raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"),
       431},
      {"request line too long", api.Raw("GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"), 431},
      {"chunked body over the limit",
       api.Raw("POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nCookie: taizhang_session=alice\r\nX-CSRF-Token: csrf-alice\r\n"
               "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2000\r\n" +
               std::string(0x2000, ' ') + "\r\n0\r\n\r\n"),
       413},
      {"content length lies", api.Raw("POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{}"), 400},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(IsErrorShape(c.response, c.status)) << c.what;
    EXPECT_FALSE(c.response.Get("Content-Security-Policy").empty()) << c.what;
  }
  EXPECT_EQ(api.StoredFiles(), 0u);
}

TEST(ServerJobs, UploadIsStoredByContentHashAndAnalyzedOnThePool) {
  Api api;
  std::string bytes = ReadFile(kReport);
  HttpResponse first = api.Call("POST", "/api/v1/files", bytes, "alice", "application/octet-stream");
  ASSERT_EQ(first.status, 201) << first.body;
  json stored = json::parse(first.body);
  EXPECT_EQ(stored["format"], "text");
  std::string hash = stored["file"];
  EXPECT_TRUE(IsSha256Hex(hash));
  EXPECT_TRUE(fs::is_regular_file(api.dir.path() + "/data/uploads/" + hash));
  EXPECT_EQ(api.Call("POST", "/api/v1/files", bytes, "bob", "application/octet-stream").status, 200);
  EXPECT_EQ(api.StoredFiles(), 1u);

  HttpResponse created = api.Call("POST", "/api/v1/jobs", json{{"file", hash}, {"name", "某县农业农村局.txt"}}.dump());
  ASSERT_EQ(created.status, 202) << created.body;
  std::string id = json::parse(created.body)["id"];
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(created.Get("Location"), "/api/v1/jobs/" + id);
  json job;
  for (int i = 0; i < 600; ++i) {
    job = json::parse(api.Call("GET", "/api/v1/jobs/" + id).body);
    if (job["state"] == "done" || job["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["progress"], 100);
  EXPECT_EQ(job["name"], "某县农业农村局.txt");
  EXPECT_GE(job["result"]["reports"].get<int>(), 1);
  // The example report carries defects planted on purpose (README): errors found.
  EXPECT_GT(job["result"]["findings"]["error"].get<int>(), 0) << job["result"]["findings"].dump();
  EXPECT_EQ(job["result"]["check"]["command"], "check");
  // Another user does not see it.
  EXPECT_TRUE(IsErrorShape(api.Call("GET", "/api/v1/jobs/" + id, "", "bob"), 404));
}

TEST(ServerStatic, FilesNeverLeaveTheRootAndHashedNamesAreImmutable) {
  TempDir dir;
  std::string root = dir.path() + "/www";
  fs::create_directories(root + "/assets");
  fs::create_directories(root + "/.git");
  std::ofstream(root + "/index.html") << "<!doctype html><title>台账</title>";
  std::ofstream(root + "/assets/app.3f9a2c1b.js") << "console.log(1);";
  std::ofstream(root + "/assets/style.css") << "body{}";
  std::ofstream(root + "/.git/config") << "secret";
  std::ofstream(dir.path() + "/secret.txt") << "outside";
  fs::create_symlink(dir.path() + "/secret.txt", root + "/link.txt");
  Api api(std::make_shared<FakeAccounts>(), fs::canonical(root).string());

  HttpResponse index = api.Call("GET", "/", "", "");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>台账</title>");
  EXPECT_EQ(index.Get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.Get("Cache-Control"), "no-cache");
  HttpResponse hashed = api.Call("GET", "/assets/app.3f9a2c1b.js", "", "");
  EXPECT_EQ(hashed.status, 200);
  EXPECT_EQ(hashed.Get("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(api.Call("GET", "/assets/style.css", "", "").Get("Cache-Control"), "no-cache");
  for (const HttpResponse& r : {index, hashed}) {
    EXPECT_NE(r.Get("Content-Security-Policy").find("frame-ancestors 'none'"), std::string_view::npos);
    EXPECT_EQ(r.Get("Content-Security-Policy").find("unsafe-inline"), std::string_view::npos);
    EXPECT_EQ(r.Get("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Get("Referrer-Policy"), "no-referrer");
  }
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                             "/assets/%2e%2e/%2e%2e/secret.txt", "/.git/config", "/link.txt", "/assets/..\\..\\x",
                             "/..%5csecret.txt", "//etc/passwd", "/nothing.js", "/api/v1/index.html"}) {
    HttpResponse r = api.Raw(std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(r.status == 404 || r.status == 400) << target << " " << r.status;
    EXPECT_EQ(r.body.find("outside"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << target;
  }
}

TEST(ServerStatic, ContentHashedNames) {
  EXPECT_TRUE(HasContentHash("app.3f9a2c1b.js"));
  EXPECT_TRUE(HasContentHash("index-BdE4f_x9.css"));
  EXPECT_TRUE(HasContentHash("chunk.0123456789abcdef.js"));
  EXPECT_FALSE(HasContentHash("index.html"));
  EXPECT_FALSE(HasContentHash("my-document.html"));
  EXPECT_FALSE(HasContentHash("report-20240101.pdf"));
  EXPECT_FALSE(HasContentHash("app.js"));
  EXPECT_TRUE(IsPlainFileName("2025年工作总结.docx"));
  EXPECT_FALSE(IsPlainFileName(".."));
  EXPECT_FALSE(IsPlainFileName("a/b.docx"));
  EXPECT_FALSE(IsPlainFileName("a\\b.docx"));
  EXPECT_FALSE(IsPlainFileName(std::string("a\nb")));
  EXPECT_FALSE(IsPlainFileName(""));
  EXPECT_FALSE(IsPlainFileName(std::string(256, 'a')));
}

// --- Real connections -----------------------------------------------------------

struct Running {
  explicit Running(ServeOptions options, std::shared_ptr<Authenticator> auth = std::make_shared<FakeAccounts>()) {
    options.listen = "127.0.0.1:0";
    options.db = dir.path() + "/taizhang.db";
    options.data_dir = dir.path() + "/data";
    if (options.access_log.empty()) options.access_log = dir.path() + "/access.log";
    auto started = Server::Start(options, std::move(auth));
    if (!started.ok()) ADD_FAILURE() << started.status().message();
    server = std::move(*started);
  }
  TempDir dir;
  std::unique_ptr<Server> server;
};

TEST(ServerConnections, KeepAliveServesSeveralRequestsOnOneConnection) {
  Running running(ServeOptions{});
  int fd = Connect(running.server->address());
  ASSERT_GE(fd, 0);
  std::string pending;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    Reply reply = ReadReply(fd, &pending);
    ASSERT_FALSE(reply.closed) << i;
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "{\"status\":\"ok\"}");
    EXPECT_EQ(reply.headers["x-content-type-options"], "nosniff");
  }
  // Two requests sent at once (pipelined) are both answered, in order.
  ASSERT_TRUE(SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(ReadReply(fd, &pending).status, 200);
  EXPECT_EQ(ReadReply(fd, &pending).status, 404);
  close(fd);
  running.server->Stop();
  running.server->Wait();
  // The access log: one JSON line per request with time, user, method, path, status, duration.
  std::istringstream log(ReadFile(running.dir.path() + "/access.log"));
  std::string line;
  int lines = 0;
  while (std::getline(log, line)) {
    json entry = json::parse(line);
    for (const char* key : {"time", "remote", "user", "method", "path", "status", "ms"}) {
      EXPECT_TRUE(entry.contains(key)) << key << " in " << line;
    }
    ++lines;
  }
  EXPECT_EQ(lines, 5);
}

// A client sending one byte at a time is dropped at the read deadline, and
// meanwhile the one I/O thread keeps answering others at once.
TEST(ServerConnections, SlowClientIsDroppedAndHoldsNoThread) {
  ServeOptions options;
  options.io_threads = 1;
  options.read_timeout = std::chrono::milliseconds(3000);
  Running running(options);
  std::vector<int> slow;
  for (int i = 0; i < 5; ++i) {
    slow.push_back(Connect(running.server->address()));
    ASSERT_GE(slow.back(), 0);
  }
  std::atomic<bool> done{false};
  auto start = std::chrono::steady_clock::now();
  // Ten bytes a second each: the request needs ~13 s, the deadline is 3 s.
  std::thread trickle([&] {
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(100, 'a') + "\r\n\r\n";
    for (size_t k = 0; k < request.size() && !done; ++k) {
      for (int fd : slow) send(fd, request.data() + k, 1, MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  // Meanwhile the one I/O thread answers others at once.
  for (int i = 0; i < 10; ++i) {
    int fd = Connect(running.server->address());
    std::string pending;
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    Reply reply = ReadReply(fd, &pending, std::chrono::milliseconds(2000));
    EXPECT_EQ(reply.status, 200);
    // Generous for a loaded machine (sanitizers, parallel tests): held by a
    // slow client it would wait for the 3 s deadline.
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1000));
    close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // (Still within the slow clients' deadline: they were connected throughout.)
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(3000));
  for (int fd : slow) {
    EXPECT_TRUE(ClosedWithin(fd, std::chrono::milliseconds(6000)));
  }
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(2900));  // not before the deadline
  EXPECT_LT(took, std::chrono::milliseconds(7000));  // but soon after, long before the request was complete
  done = true;
  trickle.join();
  for (int fd : slow) close(fd);
}

TEST(ServerConnections, IdleConnectionIsClosed) {
  ServeOptions options;
  options.idle_timeout = std::chrono::milliseconds(300);
  Running running(options);
  int fd = Connect(running.server->address());
  std::string pending;
  ASSERT_TRUE(SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(ReadReply(fd, &pending).status, 200);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(ClosedWithin(fd, std::chrono::milliseconds(2000)));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(250));
  close(fd);
}

TEST(ServerConnections, OversizeRequestsAreAnsweredOverTheWire) {
  ServeOptions options;
  options.max_upload_bytes = 1000;
  Running running(options);
  int fd = Connect(running.server->address());
  std::string pending;
  // Refused from its headers, before the body is sent.
  ASSERT_TRUE(SendAll(fd, "POST /api/v1/files HTTP/1.1\r\nHost: x\r\nCookie: taizhang_session=alice\r\n"
                          "X-CSRF-Token: csrf-alice\r\nContent-Length: 5000000\r\n\r\n"));
  Reply reply = ReadReply(fd, &pending);
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(json::parse(reply.body)["error"]["code"], "payload_too_large");
  close(fd);
  fd = Connect(running.server->address());
  pending.clear();
  ASSERT_TRUE(SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: " + std::string(40000, 'a') + "\r\n\r\n"));
  reply = ReadReply(fd, &pending);
  EXPECT_EQ(reply.status, 431);
  EXPECT_EQ(json::parse(reply.body)["error"]["code"], "headers_too_large");
  close(fd);
  EXPECT_EQ(CountFiles(running.dir.path() + "/data"), 0u);
}

TEST(ServerConnections, JobFromUploadToResultOverHttp) {
  Running running(ServeOptions{});
  std::string bytes = ReadFile(kReport);
  int fd = Connect(running.server->address());
  std::string pending;
  const std::string auth = "Cookie: taizhang_session=alice\r\nX-CSRF-Token: csrf-alice\r\n";
  ASSERT_TRUE(SendAll(fd, "POST /api/v1/files HTTP/1.1\r\nHost: x\r\n" + auth +
                              "Content-Type: application/octet-stream\r\nExpect: 100-continue\r\nContent-Length: " +
                              std::to_string(bytes.size()) + "\r\n\r\n"));
  Reply go_on = ReadReply(fd, &pending);
  EXPECT_EQ(go_on.status, 100);
  ASSERT_TRUE(SendAll(fd, bytes));
  Reply uploaded = ReadReply(fd, &pending);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  std::string body = json{{"file", json::parse(uploaded.body)["file"]}, {"name", "a.txt"}}.dump();
  ASSERT_TRUE(SendAll(fd, "POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth +
                              "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\n\r\n" + body));
  Reply created = ReadReply(fd, &pending);
  ASSERT_EQ(created.status, 202) << created.body;
  std::string id = json::parse(created.body)["id"];
  json job;
  for (int i = 0; i < 600; ++i) {
    ASSERT_TRUE(SendAll(fd, "GET /api/v1/jobs/" + id + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"));
    Reply r = ReadReply(fd, &pending);
    ASSERT_EQ(r.status, 200);
    job = json::parse(r.body);
    if (job["state"] == "done" || job["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(job["state"], "done");
  close(fd);
  std::string log = ReadFile(running.dir.path() + "/access.log");
  EXPECT_NE(log.find("\"user\":\"alice\""), std::string::npos);
}

// Two servers on one store (as two processes behind a proxy): a job
// created through one is seen, with its progress and result, through the
// other. On SQLite here; on PostgreSQL below.
void JobCreatedOnOneServerIsSeenOnTheOther(const std::string& db, const std::string& data_dir) {
  ServeOptions options;
  options.listen = "127.0.0.1:0";
  options.db = db;
  options.data_dir = data_dir;
  options.access_log = data_dir + "/access.log";
  auto a = Server::Start(options, std::make_shared<FakeAccounts>());
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto b = Server::Start(options, std::make_shared<FakeAccounts>());
  ASSERT_TRUE(b.ok()) << b.status().message();
  const std::string auth = "Cookie: taizhang_session=alice\r\nX-CSRF-Token: csrf-alice\r\n";
  std::string bytes = ReadFile(kReport);
  int fa = Connect((*a)->address());
  std::string pa;
  ASSERT_TRUE(SendAll(fa, "POST /api/v1/files HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: " +
                              std::to_string(bytes.size()) + "\r\n\r\n" + bytes));
  Reply uploaded = ReadReply(fa, &pa);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  std::string body = json{{"file", json::parse(uploaded.body)["file"]}, {"name", "a.txt"}}.dump();
  ASSERT_TRUE(SendAll(fa, "POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth +
                              "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\n\r\n" + body));
  Reply created = ReadReply(fa, &pa);
  ASSERT_EQ(created.status, 202) << created.body;
  std::string id = json::parse(created.body)["id"];
  close(fa);
  int fb = Connect((*b)->address());
  std::string pb;
  json job;
  for (int i = 0; i < 600; ++i) {
    ASSERT_TRUE(SendAll(fb, "GET /api/v1/jobs/" + id + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"));
    Reply r = ReadReply(fb, &pb);
    ASSERT_EQ(r.status, 200) << r.body;
    job = json::parse(r.body);
    if (job["state"] == "done" || job["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(job["state"], "done") << job.dump();
  EXPECT_GT(job["result"]["findings"]["error"].get<int>(), 0);
  // Bob sees nothing of it on either.
  ASSERT_TRUE(SendAll(fb, "GET /api/v1/jobs/" + id +
                              " HTTP/1.1\r\nHost: x\r\nCookie: taizhang_session=bob\r\n\r\n"));
  EXPECT_EQ(ReadReply(fb, &pb).status, 404);
  close(fb);
}

TEST(ServerJobs, TwoServersOnOneSqliteStoreShareJobs) {
  TempDir dir;
  JobCreatedOnOneServerIsSeenOnTheOther(dir.path() + "/taizhang.db", dir.path() + "/data");
}

// `url` (postgresql://user@host:port/db?…) with another database.
// On the PostgreSQL server of scripts/test.sh (TAIZHANG_TEST_POSTGRES_URL), in
// a database of its own. Like tests/postgres_backend_test.cc: without a
// server it skips, unless TAIZHANG_REQUIRE_POSTGRES=1 (scripts/test.sh, CI).
TEST(ServerJobs, TwoServersOnOnePostgresStoreShareJobs) {
  const char* url = std::getenv("TAIZHANG_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    const char* required = std::getenv("TAIZHANG_REQUIRE_POSTGRES");
    if (required != nullptr && std::string(required) == "1") FAIL() << "TAIZHANG_TEST_POSTGRES_URL is not set";
    GTEST_SKIP() << "TAIZHANG_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against";
  }
  auto admin = ledger_internal::OpenPostgres(url);
  ASSERT_TRUE(admin.ok()) << admin.status().message();
  std::string database = "taizhang_serve_" + std::to_string(getpid());
  ASSERT_TRUE((*admin)->Execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", {}).ok());
  ASSERT_TRUE((*admin)->Execute("CREATE DATABASE " + database, {}).ok());
  {
    TempDir dir;
    JobCreatedOnOneServerIsSeenOnTheOther(WithDatabase(url, database), dir.path() + "/data");
  }
  EXPECT_TRUE((*admin)->Execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", {}).ok());
}

// --- The accounts of the store (StoreAccounts) ---------------------------------

// The whole cycle over HTTP on a store at `db`: first start, forced change
// of a one-time password, login → me → upload and job with CSRF → logout;
// no cookie 401, no CSRF 403; wrong password ×5 locked with the same
// message as an unknown name; log out everywhere.
void AccountsOverHttp(const std::string& db, const std::string& data_dir) {
  AccessOptions cheap;
  cheap.hash_ops = 1;       // crypto_pwhash_OPSLIMIT_MIN: the test logs in often
  cheap.hash_memory = 8192;  // crypto_pwhash_MEMLIMIT_MIN
  auto accounts = StoreAccounts::Open(db, cheap);
  ASSERT_TRUE(accounts.ok()) << accounts.status().message();
  auto first = (*accounts)->EnsureSystemAdministrator();
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(first->has_value());
  auto again = (*accounts)->EnsureSystemAdministrator();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value()) << "the one-time password is given once";
  // A supervisor over the county, made from the command line.
  std::string once;
  {
    auto ledger = LedgerStore::Open(db, "tester");
    ASSERT_TRUE(ledger.ok()) << ledger.status().message();
    auto access = AccessStore::Open(ledger->get(), cheap);
    ASSERT_TRUE(access.ok());
    Principal console = ConsolePrincipal(RoleBit(UserRole::kSystemAdmin), "tester");
    ASSERT_TRUE((*access)->AddUnit(console, "某县", "", {}).ok());
    NewUser user;
    user.name = "zhangsan";
    user.display_name = "张三";
    user.roles = RoleBit(UserRole::kSupervisor);
    user.unit = "某县";
    auto password = (*access)->AddUser(console, user);
    ASSERT_TRUE(password.ok()) << password.status().message();
    once = *password;
  }
  ServeOptions options;
  options.listen = "127.0.0.1:0";
  options.db = db;
  options.data_dir = data_dir;
  options.access_log = data_dir + "-access.log";
  auto server = Server::Start(options, *accounts);
  ASSERT_TRUE(server.ok()) << server.status().message();
  const std::string address = (*server)->address();

  // Wrong password and unknown account: the same answer.
  Reply wrong = Http(address, "POST", "/api/v1/auth/login", json{{"name", "zhangsan"}, {"password", "x"}}.dump());
  Reply nobody = Http(address, "POST", "/api/v1/auth/login", json{{"name", "lisi"}, {"password", "x"}}.dump());
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(nobody.status, 401);
  EXPECT_EQ(wrong.body, nobody.body);
  EXPECT_NE(wrong.body.find("用户名或密码错误"), std::string::npos) << wrong.body;
  EXPECT_EQ(Http(address, "POST", "/api/v1/auth/login", "{\"name\":1}").status, 422);

  // The one-time password: logged in, but only the auth routes until changed.
  Session s = LogIn(address, "zhangsan", once);
  EXPECT_EQ(s.user["must_change_password"], true);
  Reply me = Http(address, "GET", "/api/v1/auth/me", "", s.token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["name"], "zhangsan");
  EXPECT_EQ(json::parse(me.body)["roles"], json::array({"supervisor"}));
  std::string bytes = ReadFile(kReport);
  Reply forced = Http(address, "POST", "/api/v1/files", bytes, s.token, s.csrf, "application/octet-stream");
  EXPECT_EQ(forced.status, 403) << forced.body;
  const std::string change = json{{"old_password", once}, {"new_password", "Shuili#2025"}}.dump();
  EXPECT_EQ(Http(address, "POST", "/api/v1/auth/password", change, s.token).status, 403);  // no CSRF
  EXPECT_EQ(Http(address, "POST", "/api/v1/auth/password", change, s.token, "wrong").status, 403);
  EXPECT_EQ(Http(address, "POST", "/api/v1/auth/password",
                 json{{"old_password", once}, {"new_password", "short"}}.dump(), s.token, s.csrf)
                .status,
            422);
  Reply changed = Http(address, "POST", "/api/v1/auth/password", change, s.token, s.csrf);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json::parse(Http(address, "GET", "/api/v1/auth/me", "", s.token).body)["must_change_password"], false);

  // Upload and job with the session and its CSRF token.
  EXPECT_EQ(Http(address, "POST", "/api/v1/files", bytes, "", "", "application/octet-stream").status, 401);
  EXPECT_EQ(Http(address, "POST", "/api/v1/files", bytes, s.token, "", "application/octet-stream").status, 403);
  Reply uploaded = Http(address, "POST", "/api/v1/files", bytes, s.token, s.csrf, "application/octet-stream");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  std::string job_body = json{{"file", json::parse(uploaded.body)["file"]}, {"name", "a.txt"}}.dump();
  Reply created = Http(address, "POST", "/api/v1/jobs", job_body, s.token, s.csrf);
  ASSERT_EQ(created.status, 202) << created.body;
  std::string id = json::parse(created.body)["id"];
  EXPECT_EQ(Http(address, "GET", "/api/v1/jobs/" + id, "", s.token).status, 200);
  EXPECT_EQ(Http(address, "GET", "/api/v1/jobs/" + id).status, 401);

  // Log out: the session is over, the cookie cleared.
  Reply out = Http(address, "POST", "/api/v1/auth/logout", "", s.token, s.csrf);
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_NE(out.headers["set-cookie"].find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Http(address, "GET", "/api/v1/auth/me", "", s.token).status, 401);

  // Log out everywhere: another session of the account ends too.
  Session a = LogIn(address, "zhangsan", "Shuili#2025");
  Session b = LogIn(address, "zhangsan", "Shuili#2025");
  Reply all = Http(address, "POST", "/api/v1/auth/logout-all", "", a.token, a.csrf);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_GE(json::parse(all.body)["sessions"].get<int>(), 2);
  EXPECT_EQ(Http(address, "GET", "/api/v1/auth/me", "", b.token).status, 401);

  // Five wrong passwords: locked, even for the right one, with the same
  // message as a locked unknown name.
  for (int i = 0; i < 5; ++i) {
    Http(address, "POST", "/api/v1/auth/login", json{{"name", "zhangsan"}, {"password", "wrong"}}.dump());
    Http(address, "POST", "/api/v1/auth/login", json{{"name", "wangwu"}, {"password", "wrong"}}.dump());
  }
  Reply locked =
      Http(address, "POST", "/api/v1/auth/login", json{{"name", "zhangsan"}, {"password", "Shuili#2025"}}.dump());
  Reply locked_nobody =
      Http(address, "POST", "/api/v1/auth/login", json{{"name", "wangwu"}, {"password", "Shuili#2025"}}.dump());
  HttpResponse locked_response;
  locked_response.status = locked.status;
  locked_response.Set("Content-Type", "application/json");
  locked_response.body = locked.body;
  EXPECT_TRUE(IsErrorShape(locked_response, 403)) << locked.body;
  EXPECT_NE(locked.body.find("锁定"), std::string::npos) << locked.body;
  EXPECT_EQ(locked.body, locked_nobody.body);

  (*server)->Stop();
  (*server)->Wait();
  std::string log = ReadFile(options.access_log);
  EXPECT_NE(log.find("\"user\":\"zhangsan\""), std::string::npos);
}

TEST(ServerAccounts, LoginToLogoutOnSqlite) {
  TempDir dir;
  AccountsOverHttp(dir.path() + "/taizhang.db", dir.path() + "/data");
}

TEST(ServerAccounts, LoginToLogoutOnPostgres) {
  const char* url = std::getenv("TAIZHANG_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    const char* required = std::getenv("TAIZHANG_REQUIRE_POSTGRES");
    if (required != nullptr && std::string(required) == "1") FAIL() << "TAIZHANG_TEST_POSTGRES_URL is not set";
    GTEST_SKIP() << "TAIZHANG_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against";
  }
  auto admin = ledger_internal::OpenPostgres(url);
  ASSERT_TRUE(admin.ok()) << admin.status().message();
  std::string database = "taizhang_accounts_" + std::to_string(getpid());
  ASSERT_TRUE((*admin)->Execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", {}).ok());
  ASSERT_TRUE((*admin)->Execute("CREATE DATABASE " + database, {}).ok());
  {
    TempDir dir;
    AccountsOverHttp(WithDatabase(url, database), dir.path() + "/data");
  }
  EXPECT_TRUE((*admin)->Execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", {}).ok());
}

// The ledger's items over HTTP: a supervisor of 县水利局 lists only the items
// of its unit (by 责任单位, or by 牵头单位 when the 责任单位 is unknown), pages
// through them, and the detail refuses (404) exactly what the list leaves
// out; the county's supervisor sees every item, those of no known unit too.
void ItemsWithinTheScope(const std::string& db) {
  TempDir dir;
  AccessOptions cheap;
  cheap.hash_ops = 1;
  cheap.hash_memory = 8192;
  std::map<std::string, std::string> once;
  std::map<std::string, int64_t> ids;
  {
    auto ledger = LedgerStore::Open(db, "tester");
    ASSERT_TRUE(ledger.ok()) << ledger.status().message();
    auto access = AccessStore::Open(ledger->get(), cheap);
    ASSERT_TRUE(access.ok());
    Principal console = ConsolePrincipal(RoleBit(UserRole::kSystemAdmin), "tester");
    ASSERT_TRUE((*access)->AddUnit(console, "某县", "", {}).ok());
    ASSERT_TRUE((*access)->AddUnit(console, "县水利局", "某县", {}).ok());
    ASSERT_TRUE((*access)->AddUnit(console, "县农业农村局", "某县", {}).ok());
    for (const auto& [name, unit] : std::vector<std::pair<std::string, std::string>>{{"shuili", "县水利局"},
                                                                                    {"xian", "某县"}}) {
      NewUser user;
      user.name = name;
      user.roles = RoleBit(UserRole::kSupervisor);
      user.unit = unit;
      auto password = (*access)->AddUser(console, user);
      ASSERT_TRUE(password.ok()) << password.status().message();
      once[name] = *password;
    }
    struct Case {
      std::string key, unit, lead;
    };
    for (const Case& c : std::vector<Case>{{"water", "县水利局", ""},
                                           {"farm", "县农业农村局", ""},
                                           {"both", "县农业农村局、县水利局", ""},
                                           {"led", "某镇", "县水利局"},
                                           {"nowhere", "某某公司", ""}}) {
      NewItem item;
      item.unit = c.unit;
      item.lead_unit = c.lead;
      item.year = 2025;
      item.task = "任务" + c.key;
      auto added = (*ledger)->AddItem(item);
      ASSERT_TRUE(added.ok()) << added.status().message();
      ids[c.key] = added->id;
    }
    // The SQL narrowing the list uses: exact 责任单位 or 牵头单位 values.
    auto texts = (*ledger)->ItemUnitTexts();
    ASSERT_TRUE(texts.ok());
    EXPECT_EQ(texts->first.size(), 5u);
    EXPECT_EQ(texts->second, std::vector<std::string>{"县水利局"});
    ItemFilter narrowed;
    narrowed.unit_texts = std::vector<std::string>{"县水利局", "县农业农村局、县水利局"};
    narrowed.lead_unit_texts = std::vector<std::string>{"县水利局"};
    auto some = (*ledger)->ListItems(narrowed);
    ASSERT_TRUE(some.ok());
    std::set<int64_t> some_ids;
    for (const LedgerItem& item : *some) some_ids.insert(item.id);
    EXPECT_EQ(some_ids, (std::set<int64_t>{ids["water"], ids["both"], ids["led"]}));
    narrowed.unit_texts->clear();
    narrowed.lead_unit_texts->clear();
    EXPECT_TRUE((*ledger)->ListItems(narrowed)->empty());
  }
  auto accounts = StoreAccounts::Open(db, cheap);
  ASSERT_TRUE(accounts.ok()) << accounts.status().message();
  ServeOptions options;
  options.listen = "127.0.0.1:0";
  options.db = db;
  options.data_dir = dir.path() + "/data";
  options.access_log = dir.path() + "/access.log";
  auto server = Server::Start(options, *accounts);
  ASSERT_TRUE(server.ok()) << server.status().message();
  const std::string address = (*server)->address();
  auto ready = [&](const std::string& name) {
    Session s = LogIn(address, name, once[name]);
    Reply changed = Http(address, "POST", "/api/v1/auth/password",
                         json{{"old_password", once[name]}, {"new_password", "Shuili#2025"}}.dump(), s.token, s.csrf);
    EXPECT_EQ(changed.status, 200) << changed.body;
    return s;
  };
  Session shuili = ready("shuili");
  Session xian = ready("xian");
  auto listed = [&](const Session& s, const std::string& query) {
    Reply r = Http(address, "GET", "/api/v1/items" + query, "", s.token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<int64_t> out;
    json body = json::parse(r.body, nullptr, false);
    if (!body.is_object()) return std::make_pair(out, int64_t{-1});
    for (const json& item : body["items"]) out.insert(item["id"].get<int64_t>());
    return std::make_pair(out, body["total"].get<int64_t>());
  };
  auto [mine, total] = listed(shuili, "");
  EXPECT_EQ(mine, (std::set<int64_t>{ids["water"], ids["both"], ids["led"]}));
  EXPECT_EQ(total, 3);
  auto [all, all_total] = listed(xian, "?kind=plan&year=2025");
  EXPECT_EQ(all.size(), 5u);
  EXPECT_EQ(all_total, 5);
  // Paging.
  auto [first, first_total] = listed(shuili, "?limit=2");
  auto [rest, rest_total] = listed(shuili, "?limit=2&offset=2");
  EXPECT_EQ(first.size(), 2u);
  EXPECT_EQ(rest.size(), 1u);
  EXPECT_EQ(first_total, 3);
  EXPECT_EQ(rest_total, 3);
  EXPECT_TRUE(listed(shuili, "?year=2024").first.empty());
  // The detail refuses what the list leaves out, as if there were no such item.
  for (const auto& [key, id] : ids) {
    Reply r = Http(address, "GET", "/api/v1/items/" + std::to_string(id), "", shuili.token);
    EXPECT_EQ(r.status, mine.count(id) ? 200 : 404) << key << ": " << r.body;
    Reply x = Http(address, "GET", "/api/v1/items/" + std::to_string(id), "", xian.token);
    EXPECT_EQ(x.status, 200) << key;
    if (x.status == 200) {
      EXPECT_EQ(json::parse(x.body)["task"], "任务" + key);
    }
  }
  EXPECT_EQ(Http(address, "GET", "/api/v1/items/999999", "", xian.token).status, 404);
  EXPECT_EQ(Http(address, "GET", "/api/v1/items/abc", "", xian.token).status, 404);
  EXPECT_EQ(Http(address, "GET", "/api/v1/items?limit=0", "", xian.token).status, 400);
  EXPECT_EQ(Http(address, "GET", "/api/v1/items?kind=other", "", xian.token).status, 400);
  EXPECT_EQ(Http(address, "GET", "/api/v1/items").status, 401);
}

TEST(ServerAccounts, ItemsAreListedAndShownWithinTheScopeOnSqlite) {
  TempDir dir;
  ItemsWithinTheScope(dir.path() + "/taizhang.db");
}

TEST(ServerAccounts, ItemsAreListedAndShownWithinTheScopeOnPostgres) {
  const char* url = std::getenv("TAIZHANG_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    const char* required = std::getenv("TAIZHANG_REQUIRE_POSTGRES");
    if (required != nullptr && std::string(required) == "1") FAIL() << "TAIZHANG_TEST_POSTGRES_URL is not set";
    GTEST_SKIP() << "TAIZHANG_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against";
  }
  auto admin = ledger_internal::OpenPostgres(url);
  ASSERT_TRUE(admin.ok()) << admin.status().message();
  std::string database = "taizhang_items_" + std::to_string(getpid());
  ASSERT_TRUE((*admin)->Execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", {}).ok());
  ASSERT_TRUE((*admin)->Execute("CREATE DATABASE " + database, {}).ok());
  ItemsWithinTheScope(WithDatabase(url, database));
  EXPECT_TRUE((*admin)->Execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", {}).ok());
}

// TLS with a certificate made for the test.
TEST(ServerConnections, ServesOverTls) {
  TempDir keys;
  std::string cert = keys.path() + "/cert.pem", key = keys.path() + "/key.pem";
  std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " + key +
                        " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  ServeOptions options;
  options.tls_cert = cert;
  options.tls_key = key;
  Running running(options);
  int fd = Connect(running.server->address());
  ASSERT_GE(fd, 0);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  ASSERT_EQ(SSL_connect(ssl), 1);
  std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_GT(SSL_write(ssl, request.data(), static_cast<int>(request.size())), 0);
  std::string response;
  char buf[4096];
  int n;
  while ((n = SSL_read(ssl, buf, sizeof buf)) > 0) response.append(buf, static_cast<size_t>(n));
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response;
  EXPECT_NE(response.find("Strict-Transport-Security: max-age=31536000"), std::string::npos);
  EXPECT_NE(response.find("{\"status\":\"ok\"}"), std::string::npos);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fd);
  // Plain HTTP to the TLS port gets nothing.
  fd = Connect(running.server->address());
  std::string pending;
  SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(ReadReply(fd, &pending, std::chrono::seconds(3)).closed);
  close(fd);
}

TEST(ServerStart, RefusesUnusableOptions) {
  TempDir dir;
  ServeOptions options;
  options.db = dir.path() + "/t.db";
  options.data_dir = dir.path() + "/data";
  options.listen = "nonsense";
  EXPECT_EQ(Server::Start(options, NoAccounts()).status().code(), StatusCode::kInvalidArgument);
  options.listen = "127.0.0.1:0";
  options.tls_cert = dir.path() + "/missing.pem";
  EXPECT_FALSE(Server::Start(options, NoAccounts()).ok());
  options.tls_key = dir.path() + "/missing-key.pem";
  Result<std::unique_ptr<Server>> bad_tls = Server::Start(options, NoAccounts());
  ASSERT_FALSE(bad_tls.ok());
  EXPECT_NE(bad_tls.status().message().find("TLS"), std::string::npos);
  std::string host;
  uint16_t port = 0;
  EXPECT_TRUE(ParseListenAddress("127.0.0.1:8080", &host, &port).ok());
  EXPECT_EQ(port, 8080);
  EXPECT_TRUE(ParseListenAddress("[::1]:0", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:70000", &host, &port).ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1", &host, &port).ok());
}

// --- The real command -------------------------------------------------------------

struct Process {
  pid_t pid = -1;
  std::string stderr_path;
};

Process StartServe(const std::string& dir, const std::vector<std::string>& extra,
                   const std::string& listen = "127.0.0.1:0") {
  Process p;
  p.stderr_path = dir + "/serve.err";
  std::vector<std::string> args = {TAIZHANG_CLI_PATH,   "serve",      "--listen",   listen, "--db",
                                   dir + "/taizhang.db", "--data-dir", dir + "/data"};
  args.insert(args.end(), extra.begin(), extra.end());
  p.pid = fork();
  if (p.pid == 0) {
    int err = open(p.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(err, 2);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return p;
}

// The address the command printed ("正在监听 http://127.0.0.1:NNNN").
std::string ListeningAddress(const Process& p) {
  std::regex listening(R"(https?://([0-9.]+:[0-9]+))");
  // Up to 30 s: a sanitized build starting on a loaded machine took over 5.
  for (int i = 0; i < 1200; ++i) {
    std::string err = ReadFile(p.stderr_path);
    std::smatch m;
    if (std::regex_search(err, m, listening)) return m[1];
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return "";
}

int WaitExit(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

// SIGTERM while a request is being sent: it is read to its end and
// answered, new connections are refused, idle ones closed, and the process
// exits 0. The request has no session: the protected route answers 401,
// the public ones 200.
TEST(ServeCommand, FinishesRequestsInFlightOnSigterm) {
  TempDir dir;
  Process p = StartServe(dir.path(), {});
  std::string address = ListeningAddress(p);
  ASSERT_FALSE(address.empty()) << ReadFile(p.stderr_path);

  int idle = Connect(address);
  std::string idle_pending;
  ASSERT_TRUE(SendAll(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(ReadReply(idle, &idle_pending).status, 200);

  int fd = Connect(address);
  ASSERT_TRUE(SendAll(fd, "POST /api/v1/files HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                          "Content-Length: 10\r\n\r\n12345"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_EQ(kill(p.pid, SIGTERM), 0);
  // The idle connection is closed; a new one is refused.
  EXPECT_TRUE(ClosedWithin(idle, std::chrono::milliseconds(3000)));
  close(idle);
  int late = -1;
  for (int i = 0; i < 50 && (late = Connect(address)) >= 0; ++i) {
    close(late);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_LT(late, 0) << "still accepting after SIGTERM";
  // The request in flight completes.
  ASSERT_TRUE(SendAll(fd, "67890"));
  std::string pending;
  Reply reply = ReadReply(fd, &pending);
  ASSERT_FALSE(reply.closed);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(json::parse(reply.body)["error"]["code"], "unauthorized");
  EXPECT_EQ(reply.headers["connection"], "close");
  close(fd);
  EXPECT_EQ(WaitExit(p.pid, std::chrono::seconds(10)), 0) << ReadFile(p.stderr_path);
  std::string err = ReadFile(p.stderr_path);
  EXPECT_NE(err.find("已停止"), std::string::npos) << err;
  EXPECT_NE(err.find("\"path\":\"/api/v1/files\""), std::string::npos) << err;
  // No upload stored (the search index the server made at start, data/search, is not one).
  EXPECT_EQ(CountFiles(dir.path() + "/data") - CountFiles(dir.path() + "/data/search"), 0u);
}

// SIGTERM under a backlog: 200 idle keep-alive connections, 100 clients
// stalled in the middle of their request headers (a slow-client attack),
// and a request whose body is still arriving. The idle ones are closed at
// once, the stalled ones dropped after the short grace (not after the 20 s
// read timeout), the request in flight is read to its end and answered,
// new connections are refused, and the process exits 0 within a few
// seconds — not the minutes a backlog once took.
TEST(ServeCommand, StopsWithinSecondsUnderABacklogOfSlowAndIdleClients) {
  TempDir dir;
  Process p = StartServe(dir.path(), {"--read-timeout", "20", "--idle-timeout", "120"});
  std::string address = ListeningAddress(p);
  ASSERT_FALSE(address.empty()) << ReadFile(p.stderr_path);

  std::vector<int> idle, stalled;
  for (int i = 0; i < 200; ++i) {
    int fd = Connect(address);
    ASSERT_GE(fd, 0);
    std::string pending;
    ASSERT_TRUE(SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(ReadReply(fd, &pending).status, 200);
    idle.push_back(fd);
  }
  for (int i = 0; i < 100; ++i) {
    int fd = Connect(address);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, "GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\nX-Slow: "));
    stalled.push_back(fd);
  }
  int in_flight = Connect(address);
  ASSERT_TRUE(SendAll(in_flight, "POST /api/v1/files HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                                 "Content-Length: 10\r\n\r\n12345"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(kill(p.pid, SIGTERM), 0);
  for (int fd : idle) EXPECT_TRUE(ClosedWithin(fd, std::chrono::milliseconds(2000)));
  int late = -1;
  for (int i = 0; i < 50 && (late = Connect(address)) >= 0; ++i) {
    close(late);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_LT(late, 0) << "still accepting after SIGTERM";
  // The body arrives after the headers' grace: a request in flight is not cut.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500) - (std::chrono::steady_clock::now() - sent));
  ASSERT_TRUE(SendAll(in_flight, "67890"));
  std::string pending;
  Reply reply = ReadReply(in_flight, &pending, std::chrono::seconds(5));
  ASSERT_FALSE(reply.closed);
  EXPECT_EQ(reply.status, 401) << reply.body;  // no session: answered, not dropped
  EXPECT_EQ(reply.headers["connection"], "close");
  for (int fd : stalled) EXPECT_TRUE(ClosedWithin(fd, std::chrono::milliseconds(3000)));
  EXPECT_EQ(WaitExit(p.pid, std::chrono::seconds(5)), 0) << ReadFile(p.stderr_path);
  auto took = std::chrono::steady_clock::now() - sent;
  EXPECT_LT(took, std::chrono::seconds(5)) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  for (int fd : idle) close(fd);
  for (int fd : stalled) close(fd);
  close(in_flight);
}

// The real command at first start: the system administrator's one-time
// password printed once to standard error (not at the next start), and the
// cycle through it: login → forced change → me → upload and job with the
// CSRF token → logout; without a cookie 401, without the CSRF token 403.
TEST(ServeCommand, FirstStartPrintsTheOneTimePasswordOnceAndItLogsIn) {
  TempDir dir;
  Process p = StartServe(dir.path(), {});
  std::string address = ListeningAddress(p);
  ASSERT_FALSE(address.empty()) << ReadFile(p.stderr_path);
  std::string err = ReadFile(p.stderr_path);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(err, m, std::regex("一次性密码：(\\S+)\n"))) << err;
  std::string once = m[1];

  Session s = LogIn(address, "admin", once);
  EXPECT_EQ(s.user["must_change_password"], true);
  EXPECT_EQ(s.user["roles"], json::array({"system_admin"}));
  std::string bytes = "某县2024年工作总结\n一、主要工作\n全年完成投资1.2亿元。\n";
  EXPECT_EQ(Http(address, "POST", "/api/v1/files", bytes, s.token, s.csrf, "text/plain").status, 403);
  Reply changed = Http(address, "POST", "/api/v1/auth/password",
                       json{{"old_password", once}, {"new_password", "Xitong#2025"}}.dump(), s.token, s.csrf);
  ASSERT_EQ(changed.status, 200) << changed.body;
  Reply me = Http(address, "GET", "/api/v1/auth/me", "", s.token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["must_change_password"], false);
  // The system administrator manages accounts, not reports.
  EXPECT_EQ(Http(address, "POST", "/api/v1/files", bytes, s.token, s.csrf, "text/plain").status, 403);
  EXPECT_EQ(Http(address, "POST", "/api/v1/files", bytes, "", "", "text/plain").status, 401);
  EXPECT_EQ(Http(address, "POST", "/api/v1/auth/logout", "", s.token).status, 403);  // no CSRF
  EXPECT_EQ(Http(address, "POST", "/api/v1/auth/logout", "", s.token, s.csrf).status, 200);
  EXPECT_EQ(Http(address, "GET", "/api/v1/auth/me", "", s.token).status, 401);
  ASSERT_EQ(kill(p.pid, SIGTERM), 0);
  EXPECT_EQ(WaitExit(p.pid, std::chrono::seconds(10)), 0) << ReadFile(p.stderr_path);
  err = ReadFile(p.stderr_path);
  EXPECT_EQ(err.find(once, err.find(once) + 1), std::string::npos) << "printed once";

  // The next start prints no password; the changed one logs in. (The old
  // standard error removed first, not to read its address.)
  fs::remove(p.stderr_path);
  Process q = StartServe(dir.path(), {});
  address = ListeningAddress(q);
  ASSERT_FALSE(address.empty()) << ReadFile(q.stderr_path);
  EXPECT_EQ(ReadFile(q.stderr_path).find("一次性密码"), std::string::npos);
  Session again = LogIn(address, "admin", "Xitong#2025");
  EXPECT_EQ(again.user["must_change_password"], false);
  ASSERT_EQ(kill(q.pid, SIGTERM), 0);
  EXPECT_EQ(WaitExit(q.pid, std::chrono::seconds(10)), 0);
}

TEST(ServeCommand, RefusesABadListenAddressInChinese) {
  TempDir dir;
  Process p = StartServe(dir.path(), {}, "no-port");
  int code = WaitExit(p.pid, std::chrono::seconds(10));
  EXPECT_EQ(code, 2);
  std::string err = ReadFile(p.stderr_path);
  EXPECT_NE(err.find("监听"), std::string::npos) << err;
}

// `taizhang serve --help` is Chinese with examples; an option out of range
// is a usage error (exit 2) said in Chinese.
TEST(ServeCommand, HelpIsChineseAndOptionsAreChecked) {
  TempDir dir;
  std::string out = dir.path() + "/help.txt";
  int status = std::system((std::string(TAIZHANG_CLI_PATH) + " serve --help > " + out + " 2>&1").c_str());
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::string help = ReadFile(out);
  EXPECT_NE(help.find("用法: taizhang serve"), std::string::npos) << help;
  EXPECT_NE(help.find("示例："), std::string::npos) << help;
  for (const char* english : {"Usage", "Options", "UINT", "FLOAT", "TEXT", "INT", "REQUIRED"}) {
    EXPECT_EQ(help.find(english), std::string::npos) << english << "\n" << help;
  }
  Process p = StartServe(dir.path(), {"--threads", "0"});
  EXPECT_EQ(WaitExit(p.pid, std::chrono::seconds(10)), 2);
  EXPECT_NE(ReadFile(p.stderr_path).find("--threads 应在 1 与 256 之间"), std::string::npos)
      << ReadFile(p.stderr_path);
}

}  // namespace
}  // namespace taizhang
