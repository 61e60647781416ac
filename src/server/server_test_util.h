// What the server's tests share (tests only): temporary directories, raw
// HTTP over real sockets, the one error shape, logging in, a scratch
// PostgreSQL database, and a live server on the store's accounts with users
// ready to act (LiveServer).
#ifndef TAIZHANG_SERVER_SERVER_TEST_UTIL_H_
#define TAIZHANG_SERVER_SERVER_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "access/access.h"
#include "server/server.h"

namespace taizhang::server_test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

size_t CountFiles(const std::string& dir);
std::string ReadFile(const std::string& path);

// Whether a response has the one error shape with a Chinese message.
::testing::AssertionResult IsErrorShape(const HttpResponse& response, int status);
// The same for a reply read off a socket.
::testing::AssertionResult IsErrorShape(int status, const std::string& content_type, const std::string& body,
                                        int expected);

// --- Raw HTTP over real sockets ---------------------------------------------------

int Connect(const std::string& address);  // "127.0.0.1:8080"; -1 on failure
bool SendAll(int fd, std::string_view bytes);

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool closed = false;  // the connection was closed before a reply
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// Reads one response (Content-Length bodies) within `timeout`.
Reply ReadReply(int fd, std::string* pending, std::chrono::milliseconds timeout = std::chrono::seconds(10));
// Whether the peer closed the connection within `timeout` (EOF or reset).
bool ClosedWithin(int fd, std::chrono::milliseconds timeout);

// One request on a connection of its own: `cookie` the session token ("" none),
// `csrf` the X-CSRF-Token header ("" none); `extra` more header lines
// ("If-Match: 3\r\n").
Reply Http(const std::string& address, const std::string& method, const std::string& target,
           const std::string& body = "", const std::string& cookie = "", const std::string& csrf = "",
           const std::string& type = "application/json", const std::string& extra = "");

// A logged-in session: the cookie's token and the CSRF token.
struct Session {
  std::string token, csrf;
  nlohmann::json user;
};

// Logs in; the Set-Cookie header checked (HttpOnly, SameSite=Strict, Secure
// only under TLS).
Session LogIn(const std::string& address, const std::string& name, const std::string& password);

// --- PostgreSQL ------------------------------------------------------------------

// `url` with its database replaced by `database`.
std::string WithDatabase(const std::string& url, const std::string& database);

// A database of its own on the PostgreSQL server of scripts/test.sh
// (TAIZHANG_TEST_POSTGRES_URL), created empty and dropped at the end.
// url() is "" when there is no server: use TAIZHANG_POSTGRES_OR_SKIP.
class ScratchPostgres {
 public:
  explicit ScratchPostgres(const std::string& prefix);
  ~ScratchPostgres();
  ScratchPostgres(const ScratchPostgres&) = delete;
  ScratchPostgres& operator=(const ScratchPostgres&) = delete;
  const std::string& url() const { return url_; }
  // Why there is no url: "" when there is one.
  const std::string& why() const { return why_; }

 private:
  std::string server_url_, database_, url_, why_;
};

// Without a PostgreSQL server the test skips, unless TAIZHANG_REQUIRE_POSTGRES=1
// (scripts/test.sh, CI), where it fails.
bool PostgresRequired();
#define TAIZHANG_POSTGRES_OR_SKIP(scratch)                                       \
  do {                                                                           \
    if ((scratch).url().empty()) {                                               \
      if (::taizhang::server_test::PostgresRequired()) FAIL() << (scratch).why(); \
      GTEST_SKIP() << (scratch).why();                                           \
    }                                                                            \
  } while (0)

// --- A live server on the store's accounts -------------------------------------

// Argon2id at libsodium's minimum: the tests log in often.
AccessOptions CheapHashing();

// A server started on the store at `db` ("" = a SQLite file in its own
// temporary directory) with the store's accounts (StoreAccounts), listening on
// a free port of 127.0.0.1; units and users are made from the command line's
// side (ConsolePrincipal, as `taizhang unit add` and `user add` do).
class LiveServer {
 public:
  explicit LiveServer(std::string db = "", ServeOptions options = {});
  ~LiveServer();

  const std::string& address() const { return address_; }
  const std::string& db() const { return db_; }
  const TempDir& dir() const { return dir_; }
  StoreAccounts& accounts() { return *accounts_; }
  Server& server() { return *server_; }
  bool ok() const { return server_ != nullptr; }

  // Runs `fn` on a connection of its own to the store, as the console.
  void WithStore(const std::function<void(LedgerStore&, AccessStore&, const Principal& console)>& fn);
  // Every row of the audit log (of `actor`, "" anyone's), read as the audit administrator.
  std::vector<AuditEntry> AuditLog(const std::string& actor = "");
  void AddUnit(const std::string& name, const std::string& parent = "");
  // A user with `roles` in `unit`, logged in with its one-time password
  // changed to kPassword: ready to act.
  Session AddUser(const std::string& name, RoleSet roles, const std::string& unit);
  static constexpr const char* kPassword = "Shuili#2025";

  // Requests of a session (CSRF token sent on everything but GET).
  Reply Get(const Session& s, const std::string& target) const;
  Reply Send(const Session& s, const std::string& method, const std::string& target, const nlohmann::json& body,
             const std::string& extra_headers = "") const;

 private:
  TempDir dir_;
  std::string db_;
  std::shared_ptr<StoreAccounts> accounts_;
  std::unique_ptr<Server> server_;
  std::string address_;
};

}  // namespace taizhang::server_test

#endif  // TAIZHANG_SERVER_SERVER_TEST_UTIL_H_
