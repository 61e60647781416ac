// The transport: Boost.Beast over Asio, one C++20 coroutine per connection
// on a strand, any number of them on a few I/O threads. The only file of
// the project that includes Beast or Asio (their templates compile slowly).
//
// Per connection: (TLS handshake,) then requests in a loop. Waiting for a
// request is bounded by idle_timeout; once its first byte is in, the line
// and headers must arrive within read_timeout (431 past max_header_bytes),
// the body within read_timeout plus its size over min_body_rate (413 past
// the route's limit, known from the headers before the body is read). A
// slow client is disconnected at its deadline and holds no thread meanwhile.
// Stop(): the acceptor closes, idle connections are cancelled, a request
// whose line and headers are still arriving has shutdown_read_grace (a
// stalled client is dropped then), a request read or being answered is
// finished and its connection then closed; after shutdown_timeout the I/O
// threads stop whatever is left (the deadline and the signals kept off
// the I/O threads, so that they hold even when all of those are busy).
#include "server/http_server.h"
#include "server/http_parse.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "ledger/ledger.h"
#include "server/api.h"
#include "server/jobs.h"

namespace taizhang {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace server_internal {

namespace {

// One line of JSON per request, to standard error or a file.
class AccessLog {
 public:
  Status Open(const std::string& path) {
    if (path.empty()) {
      file_ = stderr;
      return Status::Ok();
    }
    file_ = std::fopen(path.c_str(), "ae");
    if (file_ == nullptr) return Status(StatusCode::kUnreadable, "访问日志 " + path + " 无法打开写入。");
    owned_ = true;
    return Status::Ok();
  }
  ~AccessLog() {
    if (owned_) std::fclose(file_);
  }

  void Write(const std::string& remote, const std::string& user, const std::string& method, std::string_view target,
             int status, size_t bytes, std::chrono::steady_clock::duration took) {
    auto now = std::chrono::system_clock::now();
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    int millis = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
    std::tm tm;
    gmtime_r(&seconds, &tm);
    char time[64];
    std::snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    // The path without the query (a query may carry what should not be logged).
    std::string_view path = target.substr(0, target.find('?'));
    nlohmann::json line = {
        {"time", time},
        {"remote", remote},
        {"user", user.empty() ? "-" : user},
        {"method", method},
        {"path", path},
        {"status", status},
        {"bytes", bytes},
        {"ms", std::chrono::duration<double, std::milli>(took).count()},
    };
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text.push_back('\n');
    std::lock_guard<std::mutex> lock(mutex_);
    std::fwrite(text.data(), 1, text.size(), file_);
    std::fflush(file_);
  }

 private:
  std::mutex mutex_;
  std::FILE* file_ = stderr;
  bool owned_ = false;
};

// What Stop() reaches of a connection: its strand and, while it waits for
// a request, its stream (to cancel the wait).
struct Connection {
  explicit Connection(asio::any_io_executor executor) : executor(std::move(executor)), grace(this->executor) {}
  asio::any_io_executor executor;
  beast::tcp_stream* lowest = nullptr;  // on the strand only
  bool idle = false;                    // waiting for a request; on the strand only
  bool reading_header = false;          // a request's line and headers arriving; on the strand only
  asio::steady_timer grace;             // Stop(): how long a request still arriving may take
};

}  // namespace
}  // namespace server_internal

using namespace server_internal;

Status ParseListenAddress(const std::string& text, std::string* host, uint16_t* port) {
  Status bad(StatusCode::kInvalidArgument, "监听地址 " + text + " 无效：应为 主机:端口，如 127.0.0.1:8080。");
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return bad;
  std::string h = text.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h == "localhost") h = "127.0.0.1";
  boost::system::error_code ec;
  asio::ip::make_address(h, ec);
  if (ec) return bad;
  unsigned long value = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') return bad;
    value = value * 10 + static_cast<unsigned long>(c - '0');
    if (value > 65535) return bad;
  }
  *host = h;
  *port = static_cast<uint16_t>(value);
  return Status::Ok();
}

struct Server::Impl {
  ServeOptions options;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<UploadStore> uploads;
  std::unique_ptr<JobStore> jobs;
  std::unique_ptr<JobRunner> runner;
  std::unique_ptr<Router> router;
  std::shared_ptr<StoreAccounts> accounts;  // null without the store's accounts
  std::vector<std::string> trusted_proxies;  // normalized
  AccessLog log;
  // Runs the blocking routes (password checks, Route::blocking); joined
  // before the router goes.
  asio::thread_pool blocking{2};

  asio::io_context ioc;
  std::optional<asio::ssl::context> tls;
  // The acceptor is used on this strand only (Stop and Closed run on any
  // thread).
  asio::strand<asio::io_context::executor_type> control = asio::make_strand(ioc);
  tcp::acceptor acceptor{control};
  // SIGTERM and SIGINT are waited for on a thread of their own: a signal
  // is seen, and the shutdown's deadline kept (by the housekeeper), even
  // while every I/O thread is busy in a handler.
  asio::io_context signal_ioc;
  std::optional<asio::signal_set> signals;
  std::thread signal_thread;
  std::string address;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};

  std::mutex connections_mutex;
  std::map<uint64_t, std::weak_ptr<Connection>> connections;
  uint64_t next_connection = 0;
  size_t open_connections = 0;  // under connections_mutex

  std::mutex wait_mutex;
  bool waited = false;

  // The housekeeping timer's thread (sweeps, heartbeats, orphaned jobs):
  // store work, kept off the I/O threads.
  std::thread housekeeper;
  std::mutex housekeeping_mutex;
  std::condition_variable housekeeping_wake;
  bool housekeeping_stop = false;  // under housekeeping_mutex
  bool all_closed = false;         // stopping and no connection left; under housekeeping_mutex

  // One round; a failure (the database away for a moment) is tried again
  // on the next.
  void Housekeep() {
    (void)jobs->Housekeep(options.job_lease.count());
    if (accounts) (void)accounts->Sweep();
  }

  // The reminders' thread: a round at start and every remind_interval
  // until Stop() (a round under way is finished: each request has its
  // timeout).
  std::thread reminder;
  void RunReminders() {
    std::unique_lock<std::mutex> lock(housekeeping_mutex);
    for (;;) {
      lock.unlock();
      Result<std::string> round = RunReminderRound(options.db, options.remind_retry_base_seconds);
      std::string said = round.ok() ? *round : "催办未能运行：" + round.status().message();
      if (!said.empty()) {
        if (options.remind_log) {
          options.remind_log(said);
        } else {
          std::fprintf(stderr, "taizhang serve：%s\n", said.c_str());
        }
      }
      lock.lock();
      if (housekeeping_wake.wait_for(lock, options.remind_interval, [this] { return housekeeping_stop; })) break;
    }
  }

  // Housekeeping until Stop(); then the shutdown's deadline: the I/O
  // threads are stopped when the last connection has closed, or when
  // shutdown_timeout has passed with some still open. Kept here, off the
  // I/O threads: a timer of theirs would not fire while all of them are
  // busy in handlers (a backlog of slow requests).
  void RunHousekeeping() {
    std::unique_lock<std::mutex> lock(housekeeping_mutex);
    for (;;) {
      if (housekeeping_wake.wait_for(lock, options.housekeeping_interval, [this] { return housekeeping_stop; })) break;
      lock.unlock();
      Housekeep();
      lock.lock();
    }
    // All closed: the I/O threads run out of work and return by themselves.
    if (!housekeeping_wake.wait_for(lock, options.shutdown_timeout, [this] { return all_closed; })) {
      ioc.stop();  // what is left after the deadline is cut off
    }
  }

  void AllClosed() {
    {
      std::lock_guard<std::mutex> lock(housekeeping_mutex);
      all_closed = true;
    }
    housekeeping_wake.notify_all();
  }

  // No new connection; the idle ones closed at once; a request still
  // arriving (its line and headers) gets shutdown_read_grace to arrive, a
  // slow or stalled client is then dropped; a request read (its body
  // arriving) or being handled and answered is finished, and its connection
  // closed.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(housekeeping_mutex);
      housekeeping_stop = true;
    }
    housekeeping_wake.notify_all();
    if (stopping.exchange(true)) return;
    asio::post(control, [this] {
      beast::error_code ignored;
      acceptor.close(ignored);
      std::lock_guard<std::mutex> lock(connections_mutex);
      if (open_connections == 0) AllClosed();
      for (auto& [id, weak] : connections) {
        if (std::shared_ptr<Connection> c = weak.lock()) {
          asio::post(c->executor, [this, c] {
            if (c->lowest == nullptr) return;
            if (c->idle) {
              c->lowest->cancel();
            } else if (c->reading_header) {
              c->grace.expires_after(options.shutdown_read_grace);
              c->grace.async_wait([c](beast::error_code ec) {
                if (!ec && c->reading_header && c->lowest != nullptr) c->lowest->cancel();
              });
            }
          });
        }
      }
    });
  }

  void Closed(uint64_t id) {
    std::lock_guard<std::mutex> lock(connections_mutex);
    connections.erase(id);
    --open_connections;
    if (open_connections == 0 && stopping) AllClosed();
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(ioc),
                                                          asio::redirect_error(asio::use_awaitable, ec));
      if (stopping || !acceptor.is_open()) co_return;
      if (ec) {
        // Out of descriptors or the like: wait a little rather than spin.
        asio::steady_timer pause(control, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      uint64_t id;
      auto connection = std::make_shared<Connection>(socket.get_executor());
      {
        std::lock_guard<std::mutex> lock(connections_mutex);
        if (open_connections >= options.max_connections) {
          socket.close(ec);
          continue;
        }
        id = next_connection++;
        connections.emplace(id, connection);
        ++open_connections;
      }
      asio::any_io_executor executor = socket.get_executor();
      asio::co_spawn(executor, RunConnection(id, connection, std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> RunConnection(uint64_t id, std::shared_ptr<Connection> connection, tcp::socket socket) {
    beast::error_code ec;
    std::string remote;
    tcp::endpoint peer = socket.remote_endpoint(ec);
    if (!ec) remote = peer.address().to_string() + ":" + std::to_string(peer.port());
    try {
      if (tls) {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
        beast::get_lowest_layer(stream).expires_after(options.read_timeout);
        co_await stream.async_handshake(asio::ssl::stream_base::server,
                                        asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {
          co_await Serve(*connection, stream, remote, true);
          beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
          co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
        }
      } else {
        beast::tcp_stream stream(std::move(socket));
        co_await Serve(*connection, stream, remote, false);
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      }
    } catch (const std::exception&) {
      // A connection's failure ends that connection only.
    }
    connection->lowest = nullptr;
    connection->reading_header = false;
    connection->grace.cancel();
    Closed(id);
  }

  template <class Stream>
  asio::awaitable<void> Write(Stream& stream, const HttpRequest& request, HttpResponse& response, unsigned version,
                              bool keep_alive, bool secure, beast::error_code& ec) {
    AddSecurityHeaders(&response, secure);
    auto fill = [&](auto& message) {
      message.result(static_cast<unsigned>(response.status));
      message.version(version);
      for (const auto& [name, value] : response.headers) message.set(name, value);
      message.keep_alive(keep_alive);
    };
    beast::get_lowest_layer(stream).expires_after(
        options.read_timeout + std::chrono::seconds(response.body.size() / std::max<size_t>(options.min_body_rate, 1)));
    if (request.method == "HEAD") {
      http::response<http::empty_body> message;
      fill(message);
      message.content_length(response.body.size());
      co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      http::response<http::string_body> message;
      fill(message);
      message.body() = std::move(response.body);
      message.prepare_payload();
      co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  template <class Stream>
  asio::awaitable<void> Serve(Connection& connection, Stream& stream, const std::string& remote, bool secure) {
    beast::tcp_stream& lowest = beast::get_lowest_layer(stream);
    connection.lowest = &lowest;
    beast::flat_buffer buffer;
    for (;;) {
      beast::error_code ec;
      if (buffer.size() == 0) {
        // Waiting for the next request: idle_timeout, and Stop() cancels it.
        if (stopping) co_return;
        connection.idle = true;
        lowest.expires_after(options.idle_timeout);
        size_t n = co_await stream.async_read_some(buffer.prepare(8192), asio::redirect_error(asio::use_awaitable, ec));
        connection.idle = false;
        if (ec) co_return;
        buffer.commit(n);
      }
      if (stopping) {
        // Stop() came while this connection was idle or between requests:
        // a request begun after it has its shutdown_read_grace to arrive.
        connection.grace.expires_after(options.shutdown_read_grace);
        connection.grace.async_wait([&connection](beast::error_code e) {
          if (!e && connection.reading_header && connection.lowest != nullptr) connection.lowest->cancel();
        });
      }
      connection.reading_header = true;
      auto start = std::chrono::steady_clock::now();
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_json_bytes);
      lowest.expires_after(options.read_timeout);
      co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      connection.reading_header = false;
      HttpRequest request;
      request.remote = remote;
      request.secure = secure;
      auto fail = [&](int status) -> asio::awaitable<void> {
        // Answered and closed: the rest of the request is not read.
        HttpResponse response = TransportError(status);
        beast::error_code write_ec;
        request.method = request.method.empty() ? "-" : request.method;
        co_await Write(stream, request, response, 11, false, secure, write_ec);
        log.Write(remote, "", request.method, request.target, status, 0, std::chrono::steady_clock::now() - start);
      };
      if (ec) {
        // A malformed request or headers past the limit are answered; a
        // timeout or a peer that went away is not.
        bool parse_error = ec.category() == http::make_error_code(http::error::bad_target).category() &&
                           ec != http::error::end_of_stream && ec != http::error::partial_message &&
                           ec != http::error::need_more;
        if (parse_error) co_await fail(StatusOfParseError(ec));
        co_return;  // timeout, or the peer went away
      }
      auto& header = parser.get();
      request.method = std::string(header.method_string());
      request.target = std::string(header.target());
      std::string_view target = header.target();
      std::optional<std::string> path = PercentDecode(target.substr(0, target.find('?')), false);
      size_t limit = path ? router->BodyLimit(request.method, *path) : 0;
      if (limit == 0) limit = 64 * 1024;
      auto length = parser.content_length();
      if (length && *length > limit) {
        co_await fail(413);
        co_return;
      }
      parser.body_limit(limit);
      if (!parser.is_done()) {
        if (beast::iequals(header[http::field::expect], "100-continue")) {
          http::response<http::empty_body> go_on{http::status::continue_, header.version()};
          co_await http::async_write(stream, go_on, asio::redirect_error(asio::use_awaitable, ec));
          if (ec) co_return;
        }
        size_t expected = length ? static_cast<size_t>(*length) : limit;
        lowest.expires_after(options.read_timeout +
                             std::chrono::seconds(expected / std::max<size_t>(options.min_body_rate, 1)));
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          if (ec == http::error::body_limit) co_await fail(413);
          co_return;
        }
      }
      HttpResponse response;
      if (ToHttpRequest(parser.get(), &request)) {
        request.remote = remote;
        request.secure = secure;
        if (!trusted_proxies.empty()) {
          std::string forwarded;
          for (const auto& [name, value] : request.headers) {
            if (name == "x-forwarded-for") forwarded += (forwarded.empty() ? "" : ",") + value;
          }
          request.remote = ClientAddress(remote, forwarded, trusted_proxies);
        }
        if (router->Blocking(request.method, request.path)) {
          // A password check: on the blocking pool, the I/O thread serving
          // other connections meanwhile.
          response = co_await asio::co_spawn(
              blocking.get_executor(),
              [this, &request]() -> asio::awaitable<HttpResponse> { co_return router->Handle(request); },
              asio::use_awaitable);
        } else {
          response = router->Handle(request);
        }
      } else {
        response = TransportError(400);
      }
      bool keep_alive = parser.get().keep_alive() && !stopping;
      int status = response.status;
      size_t bytes = response.body.size();
      std::string user = std::move(response.user);
      co_await Write(stream, request, response, parser.get().version(), keep_alive, secure, ec);
      log.Write(request.remote.empty() ? remote : request.remote, user, request.method, request.target, status, bytes,
                std::chrono::steady_clock::now() - start);
      if (ec || !keep_alive) co_return;
    }
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Stop();
  Wait();
}

const std::string& Server::address() const { return impl_->address; }

void Server::Stop() { impl_->Stop(); }

void Server::Wait() {
  std::lock_guard<std::mutex> lock(impl_->wait_mutex);
  if (impl_->waited) return;
  for (std::thread& t : impl_->threads) t.join();
  if (impl_->housekeeper.joinable()) impl_->housekeeper.join();
  if (impl_->reminder.joinable()) impl_->reminder.join();
  impl_->signal_ioc.stop();
  if (impl_->signal_thread.joinable()) impl_->signal_thread.join();
  impl_->runner.reset();  // running analyses finish
  impl_->jobs->Retire();  // queued ones dropped: failed, with this process's heartbeat row
  impl_->waited = true;
}

Result<std::unique_ptr<Server>> Server::Start(const ServeOptions& options, std::shared_ptr<Authenticator> auth) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  std::string host;
  uint16_t port = 0;
  if (Status s = ParseListenAddress(options.listen, &host, &port); !s.ok()) return s;
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return Status(StatusCode::kInvalidArgument, "--tls-cert 与 --tls-key 要同时给出。");
  }
  for (const std::string& proxy : options.trusted_proxies) {
    std::optional<std::string> address = NormalizeAddress(proxy);
    if (!address) {
      return Status(StatusCode::kInvalidArgument,
                    "--trusted-proxy " + proxy + " 不是 IP 地址（如 127.0.0.1 或 ::1；不支持主机名和网段）。");
    }
    impl->trusted_proxies.push_back(*address);
  }
  if (options.housekeeping_interval.count() <= 0 || options.job_lease <= options.housekeeping_interval * 2) {
    return Status(StatusCode::kInvalidArgument, "任务租期须超过清理间隔的两倍，清理间隔须大于 0。");
  }
  Result<std::unique_ptr<LedgerStore>> store = LedgerStore::Open(options.db, "serve");
  if (!store.ok()) return store.status();
  impl->store = std::move(*store);
  Result<std::unique_ptr<UploadStore>> uploads = UploadStore::Open(options.data_dir);
  if (!uploads.ok()) return uploads.status();
  impl->uploads = std::move(*uploads);
  if (Status s = impl->log.Open(options.access_log); !s.ok()) return s;
  impl->jobs = LedgerJobStore(impl->store.get());
  impl->runner = std::make_unique<JobRunner>(impl->jobs.get(), impl->uploads.get(),
                                             PoolOptions{options.analysis_threads, options.max_queued_jobs});
  impl->accounts = std::dynamic_pointer_cast<StoreAccounts>(auth);
  // Before serving: this process's heartbeat, and the jobs left queued or
  // running by a process that died failed (a live one's are not touched).
  if (Result<int64_t> orphaned = impl->jobs->Housekeep(options.job_lease.count()); !orphaned.ok()) {
    return orphaned.status();
  }
  if (impl->accounts) {
    if (Result<int64_t> swept = impl->accounts->Sweep(); !swept.ok()) return swept.status();
  }
  ApiOptions api;
  api.max_json_bytes = options.max_json_bytes;
  api.max_upload_bytes = options.max_upload_bytes;
  api.static_dir = options.static_dir;
  api.data_dir = options.data_dir;
  api.search_catch_up_at_start = options.search_catch_up_at_start;
  api.search_log = options.search_log;
  if (!api.static_dir.empty()) {
    std::error_code fs_ec;
    std::filesystem::path root = std::filesystem::canonical(api.static_dir, fs_ec);
    if (fs_ec || !std::filesystem::is_directory(root)) {
      return Status(StatusCode::kNotFound, "静态文件目录 " + api.static_dir + " 不存在或不是目录。");
    }
    api.static_dir = root.string();
  }
  impl->router = MakeApi(std::move(auth), ApiServices{impl->uploads.get(), impl->jobs.get(), impl->runner.get()}, api);

  if (!options.tls_cert.empty()) {
    try {
      impl->tls.emplace(asio::ssl::context::tls_server);
      impl->tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                             asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                             asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
      impl->tls->use_certificate_chain_file(options.tls_cert);
      impl->tls->use_private_key_file(options.tls_key, asio::ssl::context::pem);
    } catch (const std::exception& e) {
      return Status(StatusCode::kInvalidArgument,
                    "TLS 证书 " + options.tls_cert + " 或私钥 " + options.tls_key + " 无法使用：" + e.what() + "。");
    }
  }
  beast::error_code ec;
  tcp::endpoint endpoint(asio::ip::make_address(host, ec), port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(StatusCode::kUnreadable, "无法监听 " + options.listen + "：" + ec.message() + "。");
  }
  tcp::endpoint bound = impl->acceptor.local_endpoint(ec);
  impl->address = (bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string()) +
                  ":" + std::to_string(bound.port());
  Impl* raw = impl.get();
  if (options.handle_signals) {
    impl->signals.emplace(impl->signal_ioc, SIGTERM, SIGINT);
    impl->signals->async_wait([raw](beast::error_code e, int) {
      if (!e) raw->Stop();
    });
    impl->signal_thread = std::thread([raw] { raw->signal_ioc.run(); });
  }
  asio::co_spawn(impl->control, raw->Accept(), asio::detached);
  impl->housekeeper = std::thread([raw] { raw->RunHousekeeping(); });
  if (options.remind_interval.count() > 0) impl->reminder = std::thread([raw] { raw->RunReminders(); });
  unsigned threads = std::max(1u, options.io_threads);
  for (unsigned i = 0; i < threads; ++i) {
    impl->threads.emplace_back([raw] {
      for (;;) {
        try {
          raw->ioc.run();
          return;
        } catch (const std::exception&) {
          // A handler's exception must not end the server: run on.
        }
      }
    });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

}  // namespace taizhang
