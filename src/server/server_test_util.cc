// What the server's tests share (server_test_util.h).
#include "server/server_test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "ledger/database.h"

namespace taizhang::server_test {

using nlohmann::json;
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "taizhang-serve-XXXXXX").string();
  path_ = mkdtemp(pattern.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

size_t CountFiles(const std::string& dir) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) n += entry.is_regular_file() ? 1 : 0;
  return n;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

::testing::AssertionResult IsErrorShape(int status, const std::string& content_type, const std::string& text,
                                        int expected) {
  if (status != expected) {
    return ::testing::AssertionFailure() << "status " << status << " not " << expected << ": " << text;
  }
  json body = json::parse(text, nullptr, false);
  if (!body.is_object() || !body.contains("error") || body.size() != 1) {
    return ::testing::AssertionFailure() << "not the error shape: " << text;
  }
  const json& e = body["error"];
  if (!e.contains("code") || e["code"] != std::string(ErrorCode(expected))) {
    return ::testing::AssertionFailure() << "code: " << text;
  }
  std::string message = e.value("message", "");
  // Chinese: at least one CJK ideograph (3-byte UTF-8 starting E4–E9).
  bool chinese = false;
  for (unsigned char c : message) chinese |= c >= 0xE4 && c <= 0xE9;
  if (!chinese) return ::testing::AssertionFailure() << "message not Chinese: " << text;
  if (content_type.find("application/json") != 0) {
    return ::testing::AssertionFailure() << "content type " << content_type;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsErrorShape(const HttpResponse& response, int status) {
  return IsErrorShape(response.status, std::string(response.Get("Content-Type")), response.body, status);
}

int Connect(const std::string& address) {
  size_t colon = address.rfind(':');
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

Reply ReadReply(int fd, std::string* pending, std::chrono::milliseconds timeout) {
  Reply reply;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto fill = [&]() {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[65536];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return false;
    pending->append(buf, static_cast<size_t>(n));
    return true;
  };
  size_t end;
  while ((end = pending->find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) {
      reply.closed = true;
      return reply;
    }
  }
  std::istringstream head(pending->substr(0, end));
  std::string line;
  std::getline(head, line);
  reply.status = std::stoi(line.substr(9, 3));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = line.substr(colon + 2);
  }
  size_t length = reply.headers.count("content-length") ? std::stoul(reply.headers["content-length"]) : 0;
  pending->erase(0, end + 4);
  while (pending->size() < length) {
    if (!fill()) {
      reply.closed = true;
      return reply;
    }
  }
  reply.body = pending->substr(0, length);
  pending->erase(0, length);
  return reply;
}

bool ClosedWithin(int fd, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
}

Reply Http(const std::string& address, const std::string& method, const std::string& target, const std::string& body,
           const std::string& cookie, const std::string& csrf, const std::string& type, const std::string& extra) {
  int fd = Connect(address);
  if (fd < 0) return Reply{};
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
  if (!cookie.empty()) text += "Cookie: taizhang_session=" + cookie + "\r\n";
  if (!csrf.empty()) text += "X-CSRF-Token: " + csrf + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    text += "Content-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  text += extra;
  text += "\r\n" + body;
  std::string pending;
  // A whole request's answer: generous, since under the sanitizers on a
  // loaded machine an import of the whole ledger took more than 10 s.
  Reply reply = SendAll(fd, text) ? ReadReply(fd, &pending, std::chrono::seconds(60)) : Reply{};
  close(fd);
  return reply;
}

Session LogIn(const std::string& address, const std::string& name, const std::string& password) {
  Reply r = Http(address, "POST", "/api/v1/auth/login", json{{"name", name}, {"password", password}}.dump());
  Session session;
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return session;
  std::string cookie = r.headers["set-cookie"];
  std::smatch m;
  EXPECT_TRUE(std::regex_search(cookie, m, std::regex("^taizhang_session=([A-Za-z0-9_-]{43});"))) << cookie;
  if (!m.empty()) session.token = m[1];
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;
  json body = json::parse(r.body);
  session.csrf = body.value("csrf_token", "");
  session.user = body["user"];
  EXPECT_FALSE(session.csrf.empty());
  return session;
}

std::string WithDatabase(const std::string& url, const std::string& database) {
  size_t authority = url.find("://");
  size_t slash = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  if (slash == std::string::npos) return url + "/" + database;
  size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

bool PostgresRequired() {
  const char* required = std::getenv("TAIZHANG_REQUIRE_POSTGRES");
  return required != nullptr && std::string(required) == "1";
}

ScratchPostgres::ScratchPostgres(const std::string& prefix) {
  const char* url = std::getenv("TAIZHANG_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    why_ = "TAIZHANG_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against";
    return;
  }
  server_url_ = url;
  auto admin = ledger_internal::OpenPostgres(server_url_);
  if (!admin.ok()) {
    why_ = admin.status().message();
    return;
  }
  database_ = prefix + "_" + std::to_string(getpid());
  Status dropped = (*admin)->Execute("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)", {});
  Status created = dropped.ok() ? (*admin)->Execute("CREATE DATABASE " + database_, {}) : dropped;
  if (!created.ok()) {
    why_ = created.message();
    return;
  }
  url_ = WithDatabase(server_url_, database_);
}

ScratchPostgres::~ScratchPostgres() {
  if (url_.empty()) return;
  auto admin = ledger_internal::OpenPostgres(server_url_);
  if (admin.ok()) (void)(*admin)->Execute("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)", {});
}

AccessOptions CheapHashing() {
  AccessOptions cheap;
  cheap.hash_ops = 1;        // crypto_pwhash_OPSLIMIT_MIN
  cheap.hash_memory = 8192;  // crypto_pwhash_MEMLIMIT_MIN
  return cheap;
}

LiveServer::LiveServer(std::string db, ServeOptions options) : db_(std::move(db)) {
  if (db_.empty()) db_ = dir_.path() + "/taizhang.db";
  auto accounts = StoreAccounts::Open(db_, CheapHashing());
  if (!accounts.ok()) {
    ADD_FAILURE() << accounts.status().message();
    return;
  }
  accounts_ = *accounts;
  options.listen = "127.0.0.1:0";
  options.db = db_;
  if (options.data_dir == ServeOptions{}.data_dir) options.data_dir = dir_.path() + "/data";
  if (options.access_log.empty()) options.access_log = dir_.path() + "/access.log";
  auto server = Server::Start(options, accounts_);
  if (!server.ok()) {
    ADD_FAILURE() << server.status().message();
    return;
  }
  server_ = std::move(*server);
  address_ = server_->address();
}

LiveServer::~LiveServer() {
  if (server_) {
    server_->Stop();
    server_->Wait();
  }
}

void LiveServer::WithStore(const std::function<void(LedgerStore&, AccessStore&, const Principal&)>& fn) {
  auto ledger = LedgerStore::Open(db_, "tester");
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  auto access = AccessStore::Open(ledger->get(), CheapHashing());
  ASSERT_TRUE(access.ok()) << access.status().message();
  Principal console = ConsolePrincipal(RoleBit(UserRole::kSystemAdmin), "tester");
  fn(**ledger, **access, console);
}

std::vector<AuditEntry> LiveServer::AuditLog(const std::string& actor) {
  std::vector<AuditEntry> out;
  WithStore([&](LedgerStore&, AccessStore& access, const Principal&) {
    AuditQuery q;
    q.actor = actor;
    q.limit = 0;
    auto rows = access.ReadAudit(ConsolePrincipal(RoleBit(UserRole::kAuditAdmin), "tester"), q);
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    out = std::move(*rows);
  });
  return out;
}

void LiveServer::AddUnit(const std::string& name, const std::string& parent) {
  WithStore([&](LedgerStore&, AccessStore& access, const Principal&) {
    Principal console = ConsolePrincipal(RoleBit(UserRole::kSystemAdmin), "tester");
    auto added = access.AddUnit(console, name, parent, {});
    EXPECT_TRUE(added.ok()) << added.status().message();
  });
}

Session LiveServer::AddUser(const std::string& name, RoleSet roles, const std::string& unit) {
  std::string once;
  WithStore([&](LedgerStore&, AccessStore& access, const Principal&) {
    Principal console = ConsolePrincipal(RoleBit(UserRole::kSystemAdmin), "tester");
    NewUser user;
    user.name = name;
    user.display_name = name;
    user.roles = roles;
    user.unit = unit;
    auto password = access.AddUser(console, user);
    EXPECT_TRUE(password.ok()) << password.status().message();
    if (password.ok()) once = *password;
  });
  Session s = LogIn(address_, name, once);
  Reply changed = Http(address_, "POST", "/api/v1/auth/password",
                       json{{"old_password", once}, {"new_password", kPassword}}.dump(), s.token, s.csrf);
  EXPECT_EQ(changed.status, 200) << changed.body;
  s.user["must_change_password"] = false;
  return s;
}

Reply LiveServer::Get(const Session& s, const std::string& target) const {
  return Http(address_, "GET", target, "", s.token);
}

Reply LiveServer::Send(const Session& s, const std::string& method, const std::string& target, const json& body,
                       const std::string& extra_headers) const {
  return Http(address_, method, target, body.is_null() ? "" : body.dump(), s.token, s.csrf, "application/json",
              extra_headers);
}

}  // namespace taizhang::server_test
