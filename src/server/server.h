// Stage "server": `taizhang serve`, the ledger as an HTTP/JSON service.
//
// The transport (Boost.Beast over Asio with C++20 coroutines, HTTP/1.1
// keep-alive, TLS through Asio's OpenSSL stream, size limits, read and idle
// timeouts, graceful shutdown, the access log) lives in http_server.cc, the
// parsing of a request in http_parse.cc (the only two files that include
// Beast); the routes, their one error shape and the OpenAPI document
// generated from the same table in router.cc and api.cc; uploads and
// analysis jobs in jobs.cc.
//
//   taizhang::ServeOptions options;              // 127.0.0.1:8080, taizhang.db
//   options.data_dir = "/var/lib/taizhang";
//   auto server = taizhang::Server::Start(options, taizhang::NoAccounts());
//   (*server)->Wait();                           // until Stop() or, with
//                                                // handle_signals, SIGTERM
//
// Accounts are a separate layer (access/) plugged in through Authenticator:
// every route but /healthz, the OpenAPI document and the static files asks
// it for the principal of the request; without an implementation
// (NoAccounts) nobody is anybody and every protected route answers 401.
#ifndef TAIZHANG_SERVER_SERVER_H_
#define TAIZHANG_SERVER_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access/access.h"
#include "common/status.h"

namespace taizhang {

// --- Requests and responses, as the routes see them (no Beast) ---------------

struct HttpRequest {
  std::string method;  // "GET", "POST" … (HEAD is routed as GET, the body dropped)
  std::string target;  // as sent: "/api/v1/jobs/3f…?x=1"
  std::string path;    // the target's path, percent-decoded (valid UTF-8, no NUL)
  std::string query;   // the raw query, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string remote;   // the peer's address, "127.0.0.1:50312"
  bool secure = false;  // over TLS

  // The first header of that name (lower case), "" when absent.
  std::string_view Header(std::string_view name) const;
  // The value of cookie `name` in the Cookie header, if sent.
  std::optional<std::string> Cookie(std::string_view name) const;
  // Query parameter `name`, percent-decoded; nullopt when absent or not valid UTF-8.
  std::optional<std::string> Query(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // besides the security headers
  std::string body;
  std::string user;  // for the access log: the principal's name, "" when none

  void Set(std::string name, std::string value);
  std::string_view Get(std::string_view name) const;
};

// The one error shape of the API, {"error":{"code":"…","message":"中文…"}}:
// status 400 bad_request, 401 unauthorized, 403 forbidden, 404 not_found,
// 405 method_not_allowed, 409 conflict, 412 precondition_failed,
// 413 payload_too_large, 415 unsupported_media_type, 422 unprocessable,
// 428 precondition_required,
// 429 too_many_requests, 431 headers_too_large, 500 internal, 503 unavailable.
HttpResponse ErrorResponse(int status, std::string_view message);
// The code of a status in that shape ("not_found"); "error" for others.
std::string_view ErrorCode(int status);

// --- Authentication: the interface the accounts layer implements -------------

// Who made a request: the accounts layer's Principal (access/access.h), from
// its session. Jobs and uploads are owned by PrincipalOwner(principal).
std::string PrincipalOwner(const Principal& principal);

// The routes call this for every protected request, in this order:
// Authenticate (nullopt → 401), CheckCsrf for POST/PUT/PATCH/DELETE (false →
// 403), Allows with the route's action name (false → 403). Called on the I/O
// threads, possibly several at once: implementations must be thread-safe and
// quick (a session lookup).
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The principal of the request from its session cookie; nullopt when there
  // is no valid session (none, expired, revoked).
  virtual std::optional<Principal> Authenticate(const HttpRequest& request) = 0;
  // Whether a state-changing request carries the CSRF token of its session.
  virtual bool CheckCsrf(const HttpRequest& request, const Principal& principal) = 0;
  // Whether `principal` may do `action` (a route's action, "jobs.create").
  virtual bool Allows(const Principal& principal, std::string_view action) = 0;
};

// No accounts: nobody is authenticated, every protected route answers 401.
// What the server runs with until the accounts layer is linked in.
std::shared_ptr<Authenticator> NoAccounts();

// The accounts of the store (access/access.h) as the server's
// Authenticator, with what the auth routes need. Thread-safe: a few
// connections to the store, each used by one thread at a time; the password
// checks (Argon2id, about 64 MiB and 70 ms each) are limited to
// `password_checks` at once, and the routes that make them run off the I/O
// threads (Route::blocking).
class StoreAccounts final : public Authenticator {
 public:
  static constexpr const char* kSessionCookie = "taizhang_session";
  static constexpr const char* kCsrfHeader = "x-csrf-token";

  static Result<std::shared_ptr<StoreAccounts>> Open(const std::string& db, const AccessOptions& options = {},
                                                     size_t connections = 4, size_t password_checks = 2);
  ~StoreAccounts() override;

  std::optional<Principal> Authenticate(const HttpRequest& request) override;
  bool CheckCsrf(const HttpRequest& request, const Principal& principal) override;
  bool Allows(const Principal& principal, std::string_view action) override;

  // First start: the system administrator's one-time password, once.
  Result<std::optional<std::string>> EnsureSystemAdministrator(const std::string& name = "admin");
  Result<LoginResult> Login(const std::string& name, const std::string& password, const std::string& address);
  Status Logout(const std::string& token, const std::string& address);
  Result<int64_t> LogoutEverywhere(const Principal& principal);
  Status ChangePassword(const Principal& principal, const std::string& old_password, const std::string& new_password);
  // AccessStore::Sweep on one of the connections (the server's timer).
  Result<int64_t> Sweep();

  // The ledger's items `principal` may read (kReadItem), in `filter.order`:
  // narrowed in SQL to the 责任单位 and 牵头单位 values that stand for a unit
  // it may read (exactly the items Authorize allows), paged and counted in
  // the database (LIMIT/OFFSET, COUNT); the page's rows checked again item
  // by item (AccessStore::VisibleItems). The page `offset`, `limit` (≥ 1)
  // of them, and how many there are in all.
  struct ItemPage {
    std::vector<LedgerItem> items;
    int64_t total = 0;
    // The narrowing let through a row Authorize refused, so the whole list
    // was decided item by item (never, while the narrowing is exact).
    bool decided_item_by_item = false;
  };
  // `also`: actions each item must be allowed besides kReadItem (the
  // dashboard's proposals to review, rectifications to close off), narrowed
  // in SQL the same way (their reach lies within reading's) and checked again
  // on the page (kCloseOff with the item's submitter: set
  // filter.not_submitted_by to the principal's name to match it).
  Result<ItemPage> ListItems(const Principal& principal, ItemFilter filter, int64_t offset, int64_t limit,
                             const std::vector<Action>& also = {});
  // How many of the items ListItems(principal, filter) lists fall in each
  // group: the same narrowing, counted with GROUP BY in the database
  // (LedgerStore::CountItemsBy).
  Result<std::vector<ItemGroupCount>> CountItemsBy(const Principal& principal, ItemFilter filter,
                                                   ItemGrouping grouping);
  // Item `id` when `principal` may read it; nullopt when there is no such
  // item or the list would not show it (the refusal is audited).
  Result<std::optional<LedgerItem>> ReadItem(const Principal& principal, int64_t id);

  // Runs `fn` on a connection to the store lent to this thread for the
  // call: what a route does beyond the calls above (the store's own checks,
  // AccessStore::Require, decide what `fn` may do). Blocks while every
  // connection is lent; `fn` must not call back into StoreAccounts.
  Status WithStore(const std::function<Status(AccessStore& access, LedgerStore& ledger)>& fn);

  // The action of the access layer a route's action names ("jobs.create");
  // nullopt for an unknown name (refused).
  static std::optional<Action> RouteAction(std::string_view action);

  struct Impl;

  // The 责任单位 and 牵头单位 values the ledger's items hold, each resolved
  // on the unit tree; kept while the ledger (its last history row) and the
  // tree stay the same, a few seconds at most (on PostgreSQL a transaction
  // may commit a history row below the last one seen).
  struct UnitTexts {
    std::chrono::steady_clock::time_point made;
    int64_t history_id = 0;
    std::vector<Unit> units;
    std::vector<std::pair<std::string, std::vector<int64_t>>> unit_texts;  // UnitTree::NameUnits
    std::vector<std::pair<std::string, int64_t>> lead_texts;               // UnitTree::Resolve, 0 none
  };

 private:
  explicit StoreAccounts(std::unique_ptr<Impl> impl);
  Result<std::shared_ptr<const UnitTexts>> ResolvedUnitTexts(LedgerStore& ledger, const UnitTree& tree);
  // Narrows `filter` to the items `principal` is allowed kReadItem and each
  // of `also` on (the three exact conditions of ListItems); false when it
  // may see none at all.
  Result<bool> NarrowToScope(LedgerStore& ledger, const UnitTree& tree, const Principal& principal,
                             const std::vector<Action>& also, ItemFilter* filter);
  std::unique_ptr<Impl> impl_;
};

// --- The server ----------------------------------------------------------------

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  std::string db = "taizhang.db";         // SQLite path or postgresql:// URL
  std::string data_dir = "taizhang-data"; // uploads, stored by content hash
  std::string static_dir;                 // files for the web pages; "" serves none
  std::string tls_cert, tls_key;          // PEM files; both or neither
  std::string access_log;                 // a file to append to; "" = standard error
  unsigned io_threads = 2;                // threads running the connections
  unsigned analysis_threads = 0;          // 0: one per core (PoolJobs)
  size_t max_queued_jobs = 32;            // beyond: 429
  size_t max_connections = 4096;          // beyond: new connections are closed at once
  size_t max_header_bytes = 16 * 1024;    // request line and headers; beyond: 431
  size_t max_json_bytes = 1024 * 1024;    // a JSON request body; beyond: 413
  size_t max_upload_bytes = 64 * 1024 * 1024;  // an uploaded document; beyond: 413
  // A request's line and headers must arrive within read_timeout of its
  // first byte, its body within read_timeout plus one second per
  // min_body_rate bytes; a kept-alive connection with no request waits
  // idle_timeout. A slow client is then disconnected (it holds no thread
  // meanwhile: connections are coroutines).
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds idle_timeout{60000};
  size_t min_body_rate = 256 * 1024;
  // After Stop (SIGTERM): requests in flight (read, or their body
  // arriving) are finished and answered, idle connections closed at once,
  // new ones refused; a request whose line and headers are still arriving
  // gets shutdown_read_grace (a slow or stalled client is then dropped);
  // whatever is left after shutdown_timeout is cut off.
  std::chrono::milliseconds shutdown_timeout{30000};
  std::chrono::milliseconds shutdown_read_grace{1000};
  bool handle_signals = false;  // SIGTERM and SIGINT call Stop()
  // Peers (IP addresses: a reverse proxy, a load balancer) whose
  // X-Forwarded-For is believed: for a request from one of them the client
  // is the last address of that header not itself a trusted proxy. That
  // address is then the request's everywhere — the audit log, the login
  // limit per address, the access log. From any other peer the header is
  // ignored (a client could write anything in it).
  std::vector<std::string> trusted_proxies;
  // Housekeeping on a timer (every housekeeping_interval, and once at
  // start): the store's expired sessions and old rate counters swept
  // (AccessStore::Sweep), this process's heartbeat written, and the
  // unfinished jobs of server processes whose heartbeat is older than
  // job_lease marked failed (a process that died). job_lease must be well
  // over the interval: a live process is never taken for dead.
  std::chrono::milliseconds housekeeping_interval{60000};
  std::chrono::milliseconds job_lease{300000};
  // Reminders (remind/, 催办): every remind_interval, and once at start, the
  // due ones sent (RemindStore::Run on a connection and a thread of their
  // own, so that a slow receiver holds up nothing else; the log's claim
  // keeps two servers on one database from sending one twice); 0: never.
  std::chrono::milliseconds remind_interval{0};
  int64_t remind_retry_base_seconds = 300;  // RemindOptions::retry_base_seconds
  // Where a round that sent something, or failed, is told ("" standard error).
  std::function<void(const std::string&)> remind_log;
  // The search index (data_dir/search) caught up with the store once at
  // start, on a thread of its own: listening does not wait for it, and a
  // search asked meanwhile waits for it instead of indexing again — so the
  // first search after a big import is not the slow one. search_log is
  // told what was indexed (null: standard error).
  bool search_catch_up_at_start = false;
  std::function<void(const std::string&)> search_log;
};

// The options parsed from `--listen`, checked: "host:port".
Status ParseListenAddress(const std::string& text, std::string* host, uint16_t* port);

class Server {
 public:
  // Opens the store (to check it can be used), the data directory and the
  // TLS files, binds, and starts serving on io_threads threads.
  static Result<std::unique_ptr<Server>> Start(const ServeOptions& options, std::shared_ptr<Authenticator> auth);
  ~Server();  // Stop() and Wait()

  // The bound address, "127.0.0.1:8080" (the real port when 0 was asked).
  const std::string& address() const;
  // Graceful shutdown, from any thread (also what SIGTERM does).
  void Stop();
  // Blocks until the server has stopped: every connection closed, every
  // running analysis finished.
  void Wait();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace taizhang

#endif  // TAIZHANG_SERVER_SERVER_H_
