// taizhang-postgres.so: the PostgreSQL backend of the ledger's Database
// (database.h) over libpq, loaded by OpenPostgres (postgres_loader.cc) so
// that libpq and what it pulls in (Kerberos, LDAP, TLS) cost nothing to runs
// that use SQLite.
//
// One connection, used by one thread at a time. Statements go out with
// PQexecParams in text format: the `?` placeholders become $1, $2 … (not
// inside '…' strings, "…" identifiers, $$…$$ bodies or comments — so the
// jsonb operators ?, ?| and ?& cannot be written), integers are sent typed
// as bigint and reals as double precision, text and NULL untyped (the server
// takes the column's type). A parameter whose type nothing in the statement
// settles (`? IS NULL`) needs a CAST(? AS TEXT).
//
// The password is never part of a message, of Describe(), or of the command
// line of pg_dump/pg_restore (they get it through PGPASSWORD).
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "common/module.h"
#include "common/status.h"
#include "ledger/database.h"
#include "ledger/postgres_module.h"

extern char** environ;

namespace taizhang::ledger_internal {

namespace {

constexpr Oid kInt8Oid = 20;
constexpr Oid kFloat8Oid = 701;
constexpr const char* kDefaultConnectTimeoutSeconds = "10";
constexpr int kToolTimeoutSeconds = 600;
constexpr size_t kMaxToolOutputBytes = 4 << 10;

std::string Trim(std::string_view text) {
  const char* space = " \t\r\n";
  size_t begin = text.find_first_not_of(space);
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(space);
  return std::string(text.substr(begin, end - begin + 1));
}

std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t at = 0; (at = text.find(secret, at)) != std::string::npos;) {
      text.replace(at, secret.size(), "******");
      at += 6;
    }
  }
  return text;
}

// The password as written in a URL (postgresql://user:PASSWORD@host/…),
// still percent-encoded: libpq's messages about a malformed URL quote it.
std::string RawUrlPassword(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  size_t at = rest.rfind('@', rest.find_first_of("/?"));
  if (at == std::string_view::npos) return "";
  std::string_view user_info = rest.substr(0, at);
  size_t colon = user_info.find(':');
  return colon == std::string_view::npos ? "" : std::string(user_info.substr(colon + 1));
}

// `value` quoted for a keyword=value connection string.
std::string QuoteConninfoValue(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

// The connection options of a URL (or keyword=value string), as libpq reads
// them, with the settings the backend insists on.
struct ConnectionOptions {
  std::vector<std::pair<std::string, std::string>> settings;  // without the password
  std::string password;
};

Result<ConnectionOptions> ParseConnection(const std::string& url,
                                          const std::vector<std::string>& secrets) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string why = error != nullptr ? Trim(error) : "内存不足";
    if (error != nullptr) PQfreemem(error);
    return Status(
        StatusCode::kInvalidArgument,
        Redact("PostgreSQL 连接地址无效：" + why + "（应形如 postgresql://用户@主机:端口/数据库）",
               secrets));
  }
  ConnectionOptions parsed;
  bool has_timeout = false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    std::string keyword = o->keyword;
    if (keyword == "password") {
      parsed.password = o->val;
    } else if (keyword != "client_encoding") {
      if (keyword == "connect_timeout") has_timeout = true;
      parsed.settings.emplace_back(keyword, o->val);
    }
  }
  PQconninfoFree(options);
  if (!has_timeout) parsed.settings.emplace_back("connect_timeout", kDefaultConnectTimeoutSeconds);
  parsed.settings.emplace_back("fallback_application_name", "taizhang");
  return parsed;
}

void IgnoreNotice(void*, const char*) {}

// `sql` with its `?` placeholders numbered $1, $2 …; `count` receives how many.
std::string NumberPlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  *count = 0;
  auto identifier_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '?') {
      out += '$' + std::to_string(++*count);
      ++i;
    } else if (c == '\'' || c == '"') {
      // E'…' strings take backslash escapes; '' and "" double the quote,
      // which the loop handles as the end and the start of a quoted run.
      bool backslashes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                         (i < 2 || !identifier_char(sql[i - 2]));
      size_t end = i + 1;
      while (end < sql.size() && sql[end] != c) end += (backslashes && sql[end] == '\\') ? 2 : 1;
      end = std::min(end + 1, sql.size());
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      // Block comments nest in PostgreSQL.
      size_t end = i + 2;
      for (int depth = 1; end < sql.size() && depth > 0;) {
        if (sql.compare(end, 2, "/*") == 0) {
          ++depth;
          end += 2;
        } else if (sql.compare(end, 2, "*/") == 0) {
          --depth;
          end += 2;
        } else {
          ++end;
        }
      }
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '$' && (i == 0 || !identifier_char(sql[i - 1]))) {
      // A dollar-quoted body: $tag$ … $tag$ (a tag does not start with a digit).
      size_t tag_end = i + 1;
      while (tag_end < sql.size() && identifier_char(sql[tag_end]) &&
             !(tag_end == i + 1 && std::isdigit(static_cast<unsigned char>(sql[tag_end])))) {
        ++tag_end;
      }
      if (tag_end < sql.size() && sql[tag_end] == '$') {
        std::string_view tag = sql.substr(i, tag_end - i + 1);
        size_t close = sql.find(tag, tag_end + 1);
        size_t end = close == std::string_view::npos ? sql.size() : close + tag.size();
        out.append(sql.substr(i, end - i));
        i = end;
      } else {
        out += c;
        ++i;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string DoubleText(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

// The first `limit` bytes of a statement, for messages, cut at a UTF-8 boundary.
std::string Abbreviated(std::string_view sql, size_t limit = 120) {
  std::string text = Trim(sql);
  if (text.size() <= limit) return text;
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

bool Executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// A PostgreSQL client program: on PATH, else the newest under /usr/lib/postgresql.
std::string FindTool(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  for (size_t start = 0; start <= dirs.size();) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (Executable(candidate)) return candidate;
    start = end + 1;
  }
  std::vector<std::pair<int, std::string>> versions;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ignored)) {
    std::string candidate = entry.path().string() + "/bin/" + name;
    if (Executable(candidate))
      versions.emplace_back(std::atoi(entry.path().filename().c_str()), candidate);
  }
  if (versions.empty()) return "";
  return std::max_element(versions.begin(), versions.end())->second;
}

struct ToolRun {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;  // -1 when killed by a signal
  std::string errors;  // its stderr (the first kMaxToolOutputBytes)
};

// Runs `args` (args[0] is the program's path) with `password` in PGPASSWORD,
// stdout discarded, stderr captured; killed after `timeout_seconds`.
ToolRun RunTool(std::vector<std::string> args, const std::string& password, int timeout_seconds) {
  ToolRun run;
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "PGPASSWORD=", 11) != 0) environment.emplace_back(*e);
  }
  if (!password.empty()) environment.push_back("PGPASSWORD=" + password);
  std::vector<char*> envp;
  for (std::string& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return run;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so that a timeout stops whatever it started too.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    return run;
  }
  run.started = true;

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool pipe_open = true;
  auto read_errors = [&](int wait_ms) {
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (::poll(&p, 1, wait_ms) <= 0) return false;
    char buffer[4096];
    ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n > 0) {
      size_t room = kMaxToolOutputBytes - std::min(kMaxToolOutputBytes, run.errors.size());
      run.errors.append(buffer, std::min(static_cast<size_t>(n), room));
      return true;
    }
    if (n == 0 || errno != EINTR) pipe_open = false;
    return false;
  };
  int status = 0;
  for (;;) {
    if (pipe_open) {
      read_errors(50);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      run.timed_out = true;
      break;
    }
  }
  // What is left in the pipe; a helper it left behind may hold the pipe
  // open, so this does not wait for the end of it.
  while (pipe_open && read_errors(0)) {
  }
  ::close(pipe_fds[0]);
  if (!run.timed_out && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  return run;
}

// A private temporary folder (mkdtemp, mode 0700) for the files of one
// restore, removed with everything in it.
class WorkDirectory {
 public:
  static Result<std::unique_ptr<WorkDirectory>> Create() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "taizhang-restore-XXXXXX").string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (::mkdtemp(name.data()) == nullptr) {
      return Status(StatusCode::kInternal, std::string("PostgreSQL 恢复：无法创建临时文件夹（") +
                                               std::strerror(errno) + "）。");
    }
    return std::unique_ptr<WorkDirectory>(new WorkDirectory(name.data()));
  }
  ~WorkDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  explicit WorkDirectory(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

class PostgresDatabase : public Database {
 public:
  PostgresDatabase(ConnectionOptions options, std::vector<std::string> secrets)
      : options_(std::move(options)), secrets_(std::move(secrets)) {}
  ~PostgresDatabase() override {
    if (conn_ != nullptr && !staged_schema_.empty()) {
      Rollback();
      PGresult* dropped =
          PQexec(conn_, ("DROP SCHEMA IF EXISTS " + staged_schema_ + " CASCADE").c_str());
      if (dropped != nullptr) PQclear(dropped);
    }
    if (conn_ != nullptr) PQfinish(conn_);
  }

  Status Connect() {
    std::vector<const char*> keywords;
    std::vector<const char*> values;
    for (const auto& [keyword, value] : options_.settings) {
      keywords.push_back(keyword.c_str());
      values.push_back(value.c_str());
    }
    if (!options_.password.empty()) {
      keywords.push_back("password");
      values.push_back(options_.password.c_str());
    }
    keywords.push_back("client_encoding");
    values.push_back("UTF8");
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    conn_ = PQconnectdbParams(keywords.data(), values.data(), 0);
    if (conn_ == nullptr)
      return Status(StatusCode::kInternal, "PostgreSQL：内存不足，无法建立连接。");
    PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
    const char* host = PQhost(conn_);
    const char* port = PQport(conn_);
    const char* db = PQdb(conn_);
    where_ = Redact(std::string(db != nullptr ? db : "") + "@" + (host != nullptr ? host : "") +
                        ":" + (port != nullptr ? port : ""),
                    secrets_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Fail(StatusCode::kInternal,
                  "无法连接 " + Describe() + "：" + Trim(PQerrorMessage(conn_)));
    }
    return SetUpSession();
  }

  // Prepared statements (PreparedName) keep their parse; each run is still
  // planned for its values — a generic plan, which the server chooses after
  // five runs, read `ledger list --status 待销号 --limit 50` in id order over
  // every item (36 ms instead of 0.3 ms on 100,000 items, bench/ledger.sh).
  Status SetUpSession() {
    return Collect(PQexec(conn_, "SET plan_cache_mode = force_custom_plan"), nullptr);
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  std::string Describe() const override { return "PostgreSQL 数据库 " + where_; }

  Status Execute(std::string_view sql, const std::vector<Value>& params,
                 std::vector<Row>* rows) override {
    if (rows != nullptr) rows->clear();
    int count = 0;
    std::string numbered = NumberPlaceholders(sql, &count);
    if (static_cast<size_t>(count) != params.size()) {
      return Fail(StatusCode::kInternal,
                  "PostgreSQL：语句有 " + std::to_string(count) + " 个参数占位符，却给了 " +
                      std::to_string(params.size()) + " 个值：" + Abbreviated(sql));
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& p = params[i];
      if (const auto* n = std::get_if<int64_t>(&p)) {
        texts[i] = std::to_string(*n);
        types[i] = kInt8Oid;
      } else if (const auto* d = std::get_if<double>(&p)) {
        texts[i] = DoubleText(*d);
        types[i] = kFloat8Oid;
      } else if (const auto* s = std::get_if<std::string>(&p)) {
        if (s->find('\0') != std::string::npos) {
          return Status(StatusCode::kInvalidArgument,
                        "PostgreSQL：第 " + std::to_string(i + 1) +
                            " 个参数的文字中含有 NUL 字符，PostgreSQL 无法保存。");
        }
        texts[i] = *s;
      } else {
        continue;  // NULL
      }
      values[i] = texts[i].c_str();
    }
    if (Status ready = EnsureConnected(); !ready.ok()) return ready;
    const std::string* name = PreparedName(numbered, types);
    PGresult* result =
        name != nullptr
            ? PQexecPrepared(conn_, name->c_str(), count, values.data(), nullptr, nullptr, 0)
            : PQexecParams(conn_, numbered.c_str(), count, types.data(), values.data(), nullptr, nullptr, 0);
    return Collect(result, rows);
  }

  // COPY … FROM STDIN in the text format: a row per line, values apart by
  // tabs, \N for NULL, backslash, tab, newline and carriage return escaped.
  // Sent in pieces of about 1 MB.
  Status CopyRows(std::string_view table, const std::vector<const char*>& columns,
                  const std::vector<std::vector<Value>>& rows) override {
    if (rows.empty()) return Status::Ok();
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t c = 0; c < rows[r].size(); ++c) {
        const auto* text = std::get_if<std::string>(&rows[r][c]);
        if (text != nullptr && text->find('\0') != std::string::npos) {
          return Status(StatusCode::kInvalidArgument, "PostgreSQL：表 " + std::string(table) + " 第 " +
                                                          std::to_string(r + 1) + " 行第 " + std::to_string(c + 1) +
                                                          " 列的文字中含有 NUL 字符，PostgreSQL 无法保存。");
        }
      }
    }
    if (Status ready = EnsureConnected(); !ready.ok()) return ready;
    std::string sql = "COPY " + std::string(table) + " (";
    for (size_t c = 0; c < columns.size(); ++c) sql += (c ? ", " : "") + std::string(columns[c]);
    sql += ") FROM STDIN";
    PGresult* started = PQexec(conn_, sql.c_str());
    if (started == nullptr || PQresultStatus(started) != PGRES_COPY_IN) return Collect(started, nullptr);
    PQclear(started);
    std::string buffer;
    bool sent = true;
    auto flush = [&] {
      if (sent && !buffer.empty()) sent = PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) == 1;
      buffer.clear();
    };
    for (const std::vector<Value>& row : rows) {
      for (size_t c = 0; c < row.size(); ++c) {
        if (c > 0) buffer += '\t';
        const Value& v = row[c];
        if (std::holds_alternative<std::monostate>(v)) {
          buffer += "\\N";
        } else if (const auto* n = std::get_if<int64_t>(&v)) {
          buffer += std::to_string(*n);
        } else if (const auto* d = std::get_if<double>(&v)) {
          buffer += DoubleText(*d);
        } else {
          const std::string& text = std::get<std::string>(v);
          size_t from = 0;
          for (size_t at = text.find_first_of("\\\t\n\r", from); at != std::string::npos;
               at = text.find_first_of("\\\t\n\r", from)) {
            buffer.append(text, from, at - from);
            buffer += '\\';
            buffer += text[at] == '\t' ? 't' : text[at] == '\n' ? 'n' : text[at] == '\r' ? 'r' : '\\';
            from = at + 1;
          }
          buffer.append(text, from, std::string::npos);
        }
      }
      buffer += '\n';
      if (buffer.size() >= (1u << 20)) flush();
    }
    flush();
    PQputCopyEnd(conn_, sent ? nullptr : "taizhang: 发送数据失败");
    Status status = Status::Ok();
    for (PGresult* result; (result = PQgetResult(conn_)) != nullptr;) {
      Status one = Collect(result, nullptr);
      if (status.ok() && !one.ok()) status = one;
    }
    return status;
  }

  Status ExecuteScript(std::string_view sql) override {
    if (Status ready = EnsureConnected(); !ready.ok()) return ready;
    // A script may change the schema (migrations, restore): the prepared
    // statements go (DEALLOCATE is not transactional; a failure of it only
    // leaves names unused, the next ones are new).
    std::string script = prepared_.empty() ? std::string() : "DEALLOCATE ALL; ";
    ForgetPrepared();
    script += sql;
    if (script.find('\0') != std::string::npos) {
      return Status(StatusCode::kInvalidArgument, "PostgreSQL：脚本中含有 NUL 字符。");
    }
    return Collect(PQexec(conn_, script.c_str()), nullptr);
  }

  Status Begin() override {
    // BEGIN inside a transaction would only warn, and the next COMMIT would
    // end the outer one (a batch) early.
    if (in_transaction_) return Fail(StatusCode::kInternal, "PostgreSQL：已有进行中的事务，不能再开始一个。");
    if (Status ready = EnsureConnected(); !ready.ok()) return ready;
    Status s = Collect(PQexec(conn_, "BEGIN ISOLATION LEVEL READ COMMITTED"), nullptr);
    if (!s.ok()) return s;
    in_transaction_ = true;
    s = Collect(PQexec(conn_, ("SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLockKey) + ")").c_str()),
                nullptr);
    if (!s.ok()) Rollback();
    return s;
  }

  Status Commit() override {
    in_transaction_ = false;
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Fail(StatusCode::kInternal,
                  "PostgreSQL：与 " + Describe() + " 的连接已断开，事务未能提交。");
    }
    PGresult* result = PQexec(conn_, "COMMIT");
    // COMMIT of a transaction in which a statement failed succeeds, as a ROLLBACK.
    bool rolled_back = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK &&
                       std::strcmp(PQcmdStatus(result), "ROLLBACK") == 0;
    Status s = Collect(result, nullptr);
    if (s.ok() && rolled_back) {
      return Status(StatusCode::kInternal,
                    "PostgreSQL：事务中有语句失败，整个事务已回滚，未能提交。");
    }
    return s;
  }

  void Rollback() override {
    in_transaction_ = false;
    if (PQstatus(conn_) != CONNECTION_OK) return;
    PGresult* result = PQexec(conn_, "ROLLBACK");
    if (result != nullptr) PQclear(result);
  }

  Status Savepoint(const char* name, bool release_first) override {
    const std::string sql =
        (release_first ? std::string("RELEASE SAVEPOINT ") + name + "; " : std::string()) + "SAVEPOINT " + name;
    return Collect(PQexec(conn_, sql.c_str()), nullptr);
  }
  Status RollbackToSavepoint(const char* name) override {
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Fail(StatusCode::kInternal, "PostgreSQL：与 " + Describe() + " 的连接已断开。");
    }
    return Collect(PQexec(conn_, (std::string("ROLLBACK TO SAVEPOINT ") + name).c_str()), nullptr);
  }

  Status Backup(const std::string& path) override {
    if (path.empty()) {
      return Status(StatusCode::kInvalidArgument, "PostgreSQL 备份：没有指定备份文件的路径。");
    }
    std::string pg_dump = FindTool("pg_dump");
    if (pg_dump.empty()) {
      return Status(
          StatusCode::kNotFound,
          "PostgreSQL 备份需要 pg_dump，但本机没有找到（Debian：apt install postgresql-client）。");
    }
    // Written beside `path` and renamed when complete, so that `path` is
    // never a half-written backup.
    std::string temp_pattern = path + ".tmp-XXXXXX";
    std::vector<char> temp(temp_pattern.begin(), temp_pattern.end());
    temp.push_back('\0');
    int fd = ::mkstemp(temp.data());
    if (fd < 0) {
      return Status(
          StatusCode::kUnreadable,
          "PostgreSQL 备份：无法在 " + path + " 旁创建临时文件（" + std::strerror(errno) + "）。");
    }
    ::close(fd);
    std::string temp_path = temp.data();
    // The ledger's schema only: whatever else the database holds is not
    // the ledger's to back up (and a restore would refuse it).
    auto schema = CurrentSchema();
    Status s = schema.ok()
                   ? RunToolChecked(
                         "备份", {pg_dump, "--format=custom", "--schema=" + QuotedPattern(*schema),
                                  "--file=" + temp_path, "--dbname=" + ToolConninfo()})
                   : schema.status();
    struct stat info;
    if (s.ok() && (::stat(temp_path.c_str(), &info) != 0 || info.st_size == 0)) {
      s = Status(StatusCode::kInternal, "PostgreSQL 备份：pg_dump 没有写出任何内容。");
    }
    if (s.ok() && std::rename(temp_path.c_str(), path.c_str()) != 0) {
      s = Status(StatusCode::kUnreadable,
                 "PostgreSQL 备份：无法把备份写成 " + path + "（" + std::strerror(errno) + "）。");
    }
    if (!s.ok()) ::unlink(temp_path.c_str());
    return s;
  }

  Result<std::unique_ptr<Database>> StageRestore(const std::string& path,
                                                 const Migrator& migrate) override {
    DeallocatePrepared();
    if (path.empty()) {
      return Status(StatusCode::kInvalidArgument, "PostgreSQL 恢复：没有指定备份文件的路径。");
    }
    struct stat info;
    if (::stat(path.c_str(), &info) != 0) {
      return Status(StatusCode::kNotFound, "PostgreSQL 恢复：备份文件 " + path + " 不存在。");
    }
    if (!S_ISREG(info.st_mode)) {
      return Status(StatusCode::kNotAFile, "PostgreSQL 恢复：" + path + " 不是普通文件。");
    }
    if (info.st_size == 0) {
      return Status(StatusCode::kEmpty, "PostgreSQL 恢复：备份文件 " + path + " 是空的。");
    }
    if (in_transaction_) {
      return Status(StatusCode::kInternal, "PostgreSQL 恢复：当前连接有未结束的事务，不能恢复。");
    }
    std::string pg_restore = FindTool("pg_restore");
    std::string pg_dump = FindTool("pg_dump");
    if (pg_restore.empty() || pg_dump.empty()) {
      return Status(
          StatusCode::kNotFound,
          "PostgreSQL 恢复需要 pg_restore 和 pg_dump，但本机没有找到（Debian：apt install "
          "postgresql-client）。");
    }
    auto work = WorkDirectory::Create();
    if (!work.ok()) return work.status();
    const std::string dir = (*work)->path();
    // A relative path that starts with '-' must not read as an option.
    const std::string file = path[0] == '/' ? path : "./" + path;
    // The dump's table of contents and its table data as text: pg_restore
    // writes both to files here, connecting to no server.
    Status s =
        RunToolChecked("恢复", {pg_restore, "--list", "--file=" + dir + "/backup.toc", file});
    if (s.ok())
      s = RunToolChecked("恢复", {pg_restore, "--data-only", "--file=" + dir + "/data.sql", file});
    if (!s.ok()) return s;
    auto blocks = ReadCopyBlocks(dir + "/data.sql", path);
    if (!blocks.ok()) return blocks.status();
    auto version = BackupVersion(dir + "/data.sql", *blocks, path);
    if (!version.ok()) return version.status();

    // A fresh schema built by this build's migrations at the backup's version.
    auto staged = OpenStagingSchema();
    if (!staged.ok()) return staged.status();
    PostgresDatabase* target = staged->get();
    s = migrate(target, *version);
    if (!s.ok()) return s;
    // Its table of contents is what the backup's must be, object for object.
    s = RunToolChecked(
        "恢复", {pg_dump, "--format=custom", "--schema=" + QuotedPattern(target->staged_schema_),
                 "--file=" + dir + "/reference.dump", "--dbname=" + ToolConninfo()});
    if (s.ok()) {
      s = RunToolChecked("恢复", {pg_restore, "--list", "--file=" + dir + "/reference.toc",
                                  dir + "/reference.dump"});
    }
    if (!s.ok()) return s;
    auto found = ReadToc(dir + "/backup.toc", (*blocks)[0].schema);
    auto expected = ReadToc(dir + "/reference.toc", target->staged_schema_);
    if (!found.ok()) return found.status();
    if (!expected.ok()) return expected.status();
    std::string differences = TocDifferences(*expected, *found);
    if (!differences.empty()) {
      return Status(StatusCode::kUndecodable,
                    "PostgreSQL 恢复：" + path + " 的内容与本程序（数据库结构版本 " +
                        std::to_string(*version) + "）建立的不一致：" + differences +
                        "；未恢复（现有数据未改动，备份中的语句一条也没有执行）。");
    }
    s = target->LoadCopyBlocks(dir + "/data.sql", *blocks, path);
    if (!s.ok()) return s;
    return std::unique_ptr<Database>(std::move(staged).value());
  }

  Status CommitRestore(Database* staged) override {
    DeallocatePrepared();
    auto* copy = dynamic_cast<PostgresDatabase*>(staged);
    if (copy == nullptr || copy->staged_schema_.empty()) {
      return Status(StatusCode::kInternal, "PostgreSQL 恢复：没有待换入的恢复副本。");
    }
    copy->Rollback();
    auto live = CurrentSchema();
    if (!live.ok()) return live.status();
    const std::string replaced = "taizhang_replaced_" + UniqueSuffix();
    // One transaction: others see the old schema or the restored one.
    Status s = Begin();
    if (s.ok())
      s = ExecuteScript("ALTER SCHEMA " + QuoteIdentifier(*live) + " RENAME TO " + replaced);
    if (s.ok())
      s = ExecuteScript("ALTER SCHEMA " + QuoteIdentifier(copy->staged_schema_) + " RENAME TO " +
                        QuoteIdentifier(*live));
    if (s.ok()) s = ExecuteScript("DROP SCHEMA " + replaced + " CASCADE");
    if (s.ok()) s = Commit();
    if (!s.ok()) {
      Rollback();
      return s;
    }
    copy->staged_schema_.clear();  // it is the live schema now
    return Status::Ok();
  }

 private:
  // The name of the prepared statement for `sql` with these parameter
  // types, preparing it on its second use (a statement run once would pay
  // a round trip more); nullptr: run it unnamed (PQexecParams). Import's
  // statements have the same text whatever the row count (InsertRows).
  const std::string* PreparedName(const std::string& sql, const std::vector<Oid>& types) {
    constexpr size_t kMaxPrepared = 256;
    constexpr size_t kMaxSeen = 1024;
    std::string key = sql;
    key += '\0';
    for (Oid t : types) key += std::to_string(t) + ",";
    auto found = prepared_.find(key);
    if (found != prepared_.end()) return &found->second;
    if (prepared_.size() >= kMaxPrepared) return nullptr;
    if (seen_.size() >= kMaxSeen) seen_.clear();
    if (++seen_[key] < 2) return nullptr;
    std::string name = "taizhang_" + std::to_string(++next_prepared_);
    PGresult* prepared = PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(types.size()), types.data());
    const bool ok = prepared != nullptr && PQresultStatus(prepared) == PGRES_COMMAND_OK;
    if (prepared != nullptr) PQclear(prepared);
    // Not prepared (an aborted transaction, …): run unnamed, which reports the error.
    if (!ok) return nullptr;
    seen_.erase(key);
    return &prepared_.emplace(std::move(key), std::move(name)).first->second;
  }

  void ForgetPrepared() {
    prepared_.clear();
    seen_.clear();
  }

  void DeallocatePrepared() {
    if (!prepared_.empty() && PQstatus(conn_) == CONNECTION_OK) {
      PGresult* result = PQexec(conn_, "DEALLOCATE ALL");
      if (result != nullptr) PQclear(result);
    }
    ForgetPrepared();
  }

  Status Fail(StatusCode code, const std::string& message) const {
    return Status(code, Redact(message, secrets_));
  }

  // Reconnects a connection that was lost, unless a transaction was open on
  // it: its statements must not silently run outside one.
  Status EnsureConnected() {
    if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
    if (in_transaction_) {
      return Fail(StatusCode::kInternal,
                  "PostgreSQL：与 " + Describe() + " 的连接已断开，事务未完成。");
    }
    PQreset(conn_);
    ForgetPrepared();  // a new session holds none
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Fail(StatusCode::kInternal, "PostgreSQL：与 " + Describe() +
                                             " 的连接已断开，重新连接失败：" +
                                             Trim(PQerrorMessage(conn_)));
    }
    return SetUpSession();
  }

  // Takes ownership of `result`: OK with its rows, or the error it carries.
  Status Collect(PGresult* raw, std::vector<Row>* rows) {
    std::unique_ptr<PGresult, void (*)(PGresult*)> result(raw, PQclear);
    if (result == nullptr) {
      return Fail(StatusCode::kInternal, "PostgreSQL：" + Trim(PQerrorMessage(conn_)));
    }
    switch (PQresultStatus(result.get())) {
      case PGRES_COMMAND_OK:
      case PGRES_EMPTY_QUERY:
        return Status::Ok();
      case PGRES_TUPLES_OK:
        if (rows != nullptr) {
          const int row_count = PQntuples(result.get());
          const int column_count = PQnfields(result.get());
          rows->reserve(row_count);
          for (int r = 0; r < row_count; ++r) {
            Row row;
            row.values.reserve(column_count);
            for (int c = 0; c < column_count; ++c) {
              if (PQgetisnull(result.get(), r, c)) {
                row.values.emplace_back(std::nullopt);
              } else {
                row.values.emplace_back(
                    std::string(PQgetvalue(result.get(), r, c),
                                static_cast<size_t>(PQgetlength(result.get(), r, c))));
              }
            }
            rows->push_back(std::move(row));
          }
        }
        return Status::Ok();
      default:
        return ErrorOf(result.get());
    }
  }

  Status ErrorOf(const PGresult* result) const {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    std::string sqlstate = state != nullptr ? state : "";
    std::string message = Trim(PQresultErrorMessage(result));
    if (message.empty()) message = Trim(PQerrorMessage(conn_));
    if (message.empty()) message = "未知错误";
    // "ERROR:  what\nDETAIL:  …\nLINE 1: …": the SQLSTATE goes at the end of
    // the first line, before the context lines.
    if (message.rfind("ERROR:", 0) == 0) message = Trim(message.substr(6));
    if (!sqlstate.empty()) {
      size_t line_end = std::min(message.find('\n'), message.size());
      message.insert(line_end, "（SQLSTATE " + sqlstate + "）");
    }
    if (sqlstate.compare(0, 2, "23") == 0) {
      std::string kind = sqlstate == "23505"   ? "唯一约束"
                         : sqlstate == "23503" ? "外键约束"
                         : sqlstate == "23502" ? "非空约束"
                         : sqlstate == "23514" ? "检查约束"
                         : sqlstate == "23P01" ? "排除约束"
                                               : "完整性约束";
      return Fail(StatusCode::kInvalidArgument, "PostgreSQL：数据违反" + kind + "：" + message);
    }
    if (sqlstate == "40001" || sqlstate == "40P01") {
      std::string kind = sqlstate == "40001" ? "与并发事务冲突（序列化失败）" : "与并发事务死锁";
      return Fail(StatusCode::kAborted, "PostgreSQL：" + kind + "，请重试：" + message);
    }
    if (sqlstate.compare(0, 2, "54") == 0 || sqlstate == "53200" || sqlstate == "22001") {
      // A program limit, out of memory or a value too long: this write is too
      // large, the database is fine.
      return Fail(StatusCode::kTooLarge, "PostgreSQL：内容超过数据库的上限，未存入：" + message);
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Fail(StatusCode::kInternal,
                  "PostgreSQL：与 " + Describe() + " 的连接已断开：" + message);
    }
    return Fail(StatusCode::kInternal, "PostgreSQL：" + message);
  }

  // The connection for pg_dump/pg_restore as keyword=value pairs: no
  // password (that goes in PGPASSWORD, not on a command line others can read).
  std::string ToolConninfo() const {
    std::string conninfo;
    for (const auto& [keyword, value] : options_.settings) {
      if (keyword == "fallback_application_name") continue;
      if (!conninfo.empty()) conninfo += ' ';
      conninfo += keyword + "=" + QuoteConninfoValue(value);
    }
    return conninfo;
  }

  Status RunToolChecked(const std::string& what, std::vector<std::string> args) const {
    std::string program = std::filesystem::path(args[0]).filename().string();
    ToolRun run = RunTool(std::move(args), options_.password, kToolTimeoutSeconds);
    if (!run.started) {
      return Fail(StatusCode::kInternal, "PostgreSQL " + what + "：无法启动 " + program + "。");
    }
    if (run.timed_out) {
      return Fail(StatusCode::kInternal, "PostgreSQL " + what + "：" + program + " 超过 " +
                                             std::to_string(kToolTimeoutSeconds) +
                                             " 秒未完成，已中止。");
    }
    if (run.exit_code != 0) {
      std::string errors = Trim(run.errors);
      return Fail(
          StatusCode::kInternal,
          "PostgreSQL " + what + "失败（" + Describe() + "，" + program +
              (run.exit_code < 0 ? " 异常终止" : " 退出码 " + std::to_string(run.exit_code)) +
              "）" + (errors.empty() ? "。" : "：" + errors));
    }
    return Status::Ok();
  }

  // The schema the ledger's tables live in (the first of search_path).
  Result<std::string> CurrentSchema() {
    std::vector<Row> rows;
    Status s = Execute("SELECT current_schema()", {}, &rows);
    if (!s.ok()) return s;
    if (rows.empty() || rows[0].IsNull(0)) {
      return Status(StatusCode::kInternal,
                    "PostgreSQL：" + Describe() + " 的 search_path 中没有可用的模式。");
    }
    return rows[0].Text(0);
  }

  // A second connection to the same database working in a fresh schema of
  // its own (search_path set at connection), dropped with it unless a
  // restore made it the live one.
  Result<std::unique_ptr<PostgresDatabase>> OpenStagingSchema() const {
    ConnectionOptions options = options_;
    const std::string schema = "taizhang_restore_" + UniqueSuffix();
    bool has_options = false;
    for (auto& [keyword, value] : options.settings) {
      if (keyword == "options") {
        value += " -csearch_path=" + schema;
        has_options = true;
      }
    }
    if (!has_options) options.settings.emplace_back("options", "-csearch_path=" + schema);
    auto staged = std::make_unique<PostgresDatabase>(std::move(options), secrets_);
    Status s = staged->Connect();
    if (s.ok()) s = staged->ExecuteScript("CREATE SCHEMA " + schema);
    if (!s.ok()) return s;
    staged->staged_schema_ = schema;
    return staged;
  }

  // One COPY … FROM stdin block of pg_restore's data script.
  struct CopyBlock {
    std::string schema;
    std::string table;
    std::vector<std::string> columns;
    std::streamoff data_begin = 0;  // the first data line
    std::streamoff data_end = 0;    // the "\." line
  };

  // The COPY blocks of `script` (pg_restore --data-only): only their data is
  // ever used; any other line of the script is never executed.
  static Result<std::vector<CopyBlock>> ReadCopyBlocks(const std::string& script,
                                                       const std::string& path) {
    std::ifstream in(script, std::ios::binary);
    if (!in) return Status(StatusCode::kInternal, "PostgreSQL 恢复：无法读取 pg_restore 的输出。");
    std::vector<CopyBlock> blocks;
    std::string line;
    CopyBlock* open = nullptr;
    for (std::streamoff at = in.tellg(); std::getline(in, line); at = in.tellg()) {
      if (open != nullptr) {
        if (line == "\\.") {
          open->data_end = at;
          open = nullptr;
        }
        continue;
      }
      if (line.rfind("COPY ", 0) != 0) continue;
      CopyBlock block;
      if (!ParseCopyHeader(line, &block)) {
        return Status(StatusCode::kUndecodable, "PostgreSQL 恢复：" + path +
                                                    " 的数据部分无法识别（" +
                                                    Abbreviated(line, 80) + "），未恢复。");
      }
      block.data_begin = in.tellg();
      blocks.push_back(std::move(block));
      open = &blocks.back();
    }
    if (open != nullptr) {
      return Status(StatusCode::kUndecodable, "PostgreSQL 恢复：" + path + " 的表 " + open->table +
                                                  " 的数据不完整，未恢复。");
    }
    auto ledger = std::find_if(blocks.begin(), blocks.end(),
                               [](const CopyBlock& b) { return b.table == "schema_migrations"; });
    if (ledger == blocks.end()) {
      return Status(
          StatusCode::kUndecodable,
          "PostgreSQL 恢复：" + path +
              " 不是 taizhang 的台账备份（没有数据库结构版本表 schema_migrations），未恢复。");
    }
    std::rotate(blocks.begin(), ledger, ledger + 1);  // first: its schema is the backup's
    return blocks;
  }

  // "COPY schema.table (a, "b c") FROM stdin;" → its parts.
  static bool ParseCopyHeader(std::string_view line, CopyBlock* block) {
    size_t at = 5;
    auto identifier = [&](std::string* out) {
      out->clear();
      if (at < line.size() && line[at] == '"') {
        for (++at; at < line.size(); ++at) {
          if (line[at] == '"') {
            if (at + 1 < line.size() && line[at + 1] == '"') {
              *out += '"';
              ++at;
            } else {
              ++at;
              return !out->empty();
            }
          } else {
            *out += line[at];
          }
        }
        return false;
      }
      while (at < line.size() &&
             (std::isalnum(static_cast<unsigned char>(line[at])) || line[at] == '_' ||
              static_cast<unsigned char>(line[at]) >= 0x80)) {
        *out += line[at++];
      }
      return !out->empty();
    };
    auto expect = [&](std::string_view text) {
      if (line.substr(at, text.size()) != text) return false;
      at += text.size();
      return true;
    };
    if (!identifier(&block->schema) || !expect(".") || !identifier(&block->table) || !expect(" ("))
      return false;
    for (;;) {
      std::string column;
      if (!identifier(&column)) return false;
      block->columns.push_back(column);
      if (expect(", ")) continue;
      return expect(") FROM stdin;") && at == line.size();
    }
  }

  // The largest version in the backup's schema_migrations (the first block).
  static Result<int> BackupVersion(const std::string& script, const std::vector<CopyBlock>& blocks,
                                   const std::string& path) {
    const CopyBlock& block = blocks[0];
    auto column = std::find(block.columns.begin(), block.columns.end(), "version");
    std::ifstream in(script, std::ios::binary);
    in.seekg(block.data_begin);
    int version = 0;
    std::string line;
    while (column != block.columns.end() && in.tellg() < block.data_end && std::getline(in, line)) {
      size_t field = static_cast<size_t>(column - block.columns.begin());
      size_t start = 0;
      for (size_t i = 0; i < field && start != std::string::npos; ++i) {
        start = line.find('\t', start);
        if (start != std::string::npos) ++start;
      }
      if (start == std::string::npos) continue;
      version = std::max(version, std::atoi(line.c_str() + start));
    }
    if (version < 1) {
      return Status(StatusCode::kUndecodable,
                    "PostgreSQL 恢复：" + path +
                        " 中没有数据库结构版本记录，不是 taizhang 的台账备份，未恢复。");
    }
    return version;
  }

  // The entries of a table of contents (pg_restore --list) as "TYPE @ name"
  // — the schema `schema` written @, the owner and the ids left out; the
  // schema's own entry and its comment are no object of the ledger's.
  static Result<std::vector<std::string>> ReadToc(const std::string& toc,
                                                  const std::string& schema) {
    std::ifstream in(toc, std::ios::binary);
    if (!in)
      return Status(StatusCode::kInternal, "PostgreSQL 恢复：无法读取 pg_restore 列出的目录。");
    std::vector<std::string> entries;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == ';') continue;
      // "217; 1255 16402 FUNCTION public f() taizhang"
      std::vector<std::string> tokens;
      for (size_t start = 0;;) {
        size_t space = line.find(' ', start);
        tokens.push_back(
            line.substr(start, space == std::string::npos ? std::string::npos : space - start));
        if (space == std::string::npos) break;
        start = space + 1;
      }
      if (tokens.size() < 5) continue;
      tokens.erase(tokens.begin(), tokens.begin() + 3);
      tokens.pop_back();  // the owner
      std::string entry;
      for (std::string& token : tokens) {
        if (token == schema) token = "@";
        entry += (entry.empty() ? "" : " ") + token;
      }
      if (entry == "SCHEMA - @" || entry == "COMMENT - SCHEMA @") continue;
      entries.push_back(entry);
    }
    std::sort(entries.begin(), entries.end());
    return entries;
  }

  static std::string TocDifferences(const std::vector<std::string>& expected,
                                    const std::vector<std::string>& found) {
    std::vector<std::string> extra, missing;
    std::set_difference(found.begin(), found.end(), expected.begin(), expected.end(),
                        std::back_inserter(extra));
    std::set_difference(expected.begin(), expected.end(), found.begin(), found.end(),
                        std::back_inserter(missing));
    // "TRIGGER @ history t" → "TRIGGER history t".
    auto shown = [](const std::string& entry) {
      std::string text;
      for (size_t start = 0; start <= entry.size();) {
        size_t space = std::min(entry.find(' ', start), entry.size());
        std::string_view token(entry.data() + start, space - start);
        if (token != "@") text.append(text.empty() ? "" : " ").append(token);
        start = space + 1;
      }
      return text;
    };
    std::vector<std::string> parts;
    for (const std::string& e : extra) parts.push_back("多余的 " + shown(e));
    for (const std::string& e : missing) parts.push_back("缺少 " + shown(e));
    std::string text;
    const size_t count = std::min<size_t>(parts.size(), 8);
    for (size_t i = 0; i < count; ++i) text += (i == 0 ? "" : "、") + parts[i];
    if (count < parts.size()) text += " 等 " + std::to_string(parts.size()) + " 处";
    return text;
  }

  // The data of `blocks` copied into this staging schema's tables (which
  // the migrations made), in the order the tables were made (foreign keys
  // point backwards), then the identity sequences set past the largest id.
  Status LoadCopyBlocks(const std::string& script, const std::vector<CopyBlock>& blocks,
                        const std::string& path) {
    std::vector<Row> tables;
    Status s = Execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ? AND c.relkind IN ('r', 'p') ORDER BY c.oid",
        {staged_schema_}, &tables);
    if (!s.ok()) return s;
    const std::string schema = blocks[0].schema;
    for (const CopyBlock& block : blocks) {
      if (block.schema != schema) {
        return Status(StatusCode::kUndecodable, "PostgreSQL 恢复：" + path + " 含有另一模式 " +
                                                    block.schema +
                                                    " 的数据，不是 taizhang 的台账备份，未恢复。");
      }
    }
    s = Begin();
    if (!s.ok()) return s;
    for (const Row& table : tables) {
      const std::string& name = table.Text(0);
      auto block = std::find_if(blocks.begin(), blocks.end(),
                                [&](const CopyBlock& b) { return b.table == name; });
      if (block == blocks.end()) continue;
      s = CopyBlockIn(script, *block, path);
      if (!s.ok()) {
        Rollback();
        return s;
      }
    }
    std::vector<Row> identities;
    s = Execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = ? AND "
        "is_identity = "
        "'YES'",
        {staged_schema_}, &identities);
    for (const Row& identity : identities) {
      if (!s.ok()) break;
      const std::string table = QuoteIdentifier(identity.Text(0));
      const std::string column = QuoteIdentifier(identity.Text(1));
      s = Execute("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(" + column +
                      ") FROM " + table + "), 0) + 1, false)",
                  {Value(table), Value(identity.Text(1))}, nullptr);
    }
    if (s.ok()) s = Commit();
    if (!s.ok()) Rollback();
    return s;
  }

  // One table's data through COPY FROM STDIN, with the columns checked
  // against those the migrations made.
  Status CopyBlockIn(const std::string& script, const CopyBlock& block, const std::string& path) {
    std::vector<Row> columns;
    Status s = Execute(
        "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN "
        "pg_namespace n ON n.oid = "
        "c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT "
        "a.attisdropped ORDER BY "
        "a.attname",
        {staged_schema_, block.table}, &columns);
    if (!s.ok()) return s;
    std::vector<std::string> expected, found = block.columns;
    for (const Row& c : columns) expected.push_back(c.Text(0));
    std::sort(found.begin(), found.end());
    if (found != expected) {
      return Status(StatusCode::kUndecodable,
                    "PostgreSQL 恢复：" + path + " 中表 " + block.table +
                        " 的列与本程序建立的不一致，未恢复（现有数据未改动）。");
    }
    const std::string table = QuoteIdentifier(staged_schema_) + "." + QuoteIdentifier(block.table);
    std::string list;
    for (const std::string& c : block.columns)
      list += (list.empty() ? "" : ", ") + QuoteIdentifier(c);
    // The migrations' own rows (schema_migrations) give way to the backup's.
    s = Execute("DELETE FROM " + table, {}, nullptr);
    if (!s.ok()) return s;
    PGresult* started = PQexec(conn_, ("COPY " + table + " (" + list + ") FROM STDIN").c_str());
    if (started == nullptr || PQresultStatus(started) != PGRES_COPY_IN)
      return Collect(started, nullptr);
    PQclear(started);
    std::ifstream in(script, std::ios::binary);
    in.seekg(block.data_begin);
    std::vector<char> buffer(1 << 16);
    bool sent = true;
    for (std::streamoff left = block.data_end - block.data_begin; left > 0 && sent;) {
      in.read(buffer.data(),
              static_cast<std::streamsize>(std::min<std::streamoff>(left, buffer.size())));
      const std::streamsize n = in.gcount();
      if (n <= 0) break;
      sent = PQputCopyData(conn_, buffer.data(), static_cast<int>(n)) == 1;
      left -= n;
    }
    PQputCopyEnd(conn_, sent ? nullptr : "taizhang: 读取备份数据失败");
    s = Status::Ok();
    for (PGresult* result; (result = PQgetResult(conn_)) != nullptr;) {
      Status one = Collect(result, nullptr);
      if (s.ok() && !one.ok()) s = one;
    }
    if (!s.ok()) {
      return Fail(StatusCode::kUndecodable, "PostgreSQL 恢复：" + path + " 中表 " + block.table +
                                                " 的数据无法载入（" + s.message() + "），未恢复。");
    }
    return Status::Ok();
  }

  static std::string QuoteIdentifier(const std::string& name) {
    std::string quoted = "\"";
    for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  }

  // A name for pg_dump --schema, which takes a pattern: quoted, so that it
  // matches that one schema.
  static std::string QuotedPattern(const std::string& name) { return QuoteIdentifier(name); }

  static std::string UniqueSuffix() {
    static std::atomic<unsigned> counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    return std::to_string(::getpid()) + "_" +
           std::to_string(static_cast<unsigned long long>(now) % 1000000007ULL) + "_" +
           std::to_string(counter++);
  }

  ConnectionOptions options_;
  std::vector<std::string> secrets_;  // never to appear in a message
  PGconn* conn_ = nullptr;
  std::string where_;  // db@host:port
  bool in_transaction_ = false;
  // Statements run more than once, prepared on the server (parsed and
  // planned once per connection): by their text and parameter types → name.
  std::unordered_map<std::string, std::string> prepared_;
  std::unordered_map<std::string, int> seen_;  // statements run once so far
  int64_t next_prepared_ = 0;
  std::string staged_schema_;  // a restore's staging schema, dropped unless committed
};

}  // namespace

}  // namespace taizhang::ledger_internal

// The C boundary (postgres_module.h): each function runs the Database
// method inside a try block; a Status or an exception becomes a code and a
// message handed to the executable's callback.
namespace {

using taizhang::Status;
using taizhang::StatusCode;
using taizhang::ledger_internal::Database;
using taizhang::ledger_internal::PgModuleApi;
using taizhang::ledger_internal::PgModuleError;
using taizhang::ledger_internal::PgModuleMigrate;
using taizhang::ledger_internal::PgModuleRows;
using taizhang::ledger_internal::PgModuleText;
using taizhang::ledger_internal::PgModuleValue;
using taizhang::ledger_internal::Row;
using taizhang::ledger_internal::Value;

Database* AsDatabase(void* db) { return static_cast<Database*>(db); }

int Report(const Status& status, const PgModuleError* error) noexcept {
  if (status.ok()) return 0;
  error->set(error->context, static_cast<int>(status.code()), status.message().data(), status.message().size());
  return static_cast<int>(status.code());
}

// Runs `body` (returning a Status) with nothing thrown leaving it.
template <typename Body>
int Guarded(const PgModuleError* error, Body body) noexcept {
  try {
    return Report(body(), error);
  } catch (const std::exception& e) {
    const std::string message = std::string("PostgreSQL 模块内部出错（") + e.what() + "）。";
    error->set(error->context, static_cast<int>(StatusCode::kInternal), message.data(), message.size());
  } catch (...) {
    static constexpr char kMessage[] = "PostgreSQL 模块内部出错。";
    error->set(error->context, static_cast<int>(StatusCode::kInternal), kMessage, sizeof kMessage - 1);
  }
  return static_cast<int>(StatusCode::kInternal);
}

int Open(const char* url_data, size_t url_size, void** db, const PgModuleError* error) noexcept {
  return Guarded(error, [&] {
    using taizhang::ledger_internal::PostgresDatabase;
    const std::string url(url_data, url_size);
    std::vector<std::string> secrets = {taizhang::ledger_internal::RawUrlPassword(url)};
    auto options = taizhang::ledger_internal::ParseConnection(url, secrets);
    if (!options.ok()) return options.status();
    secrets.push_back(options->password);
    auto database = std::make_unique<PostgresDatabase>(std::move(options.value()), std::move(secrets));
    if (Status s = database->Connect(); !s.ok()) return s;
    *db = static_cast<Database*>(database.release());
    return Status::Ok();
  });
}

void Close(void* db) noexcept {
  try {
    delete AsDatabase(db);
  } catch (...) {
  }
}

int Describe(void* db, const PgModuleText* text, const PgModuleError* error) noexcept {
  return Guarded(error, [&] {
    const std::string described = AsDatabase(db)->Describe();
    if (!text->set(text->context, described.data(), described.size())) throw std::bad_alloc();
    return Status::Ok();
  });
}

int Execute(void* db, const char* sql, size_t sql_size, const PgModuleValue* params, size_t param_count,
            const PgModuleRows* rows, const PgModuleError* error) noexcept {
  return Guarded(error, [&] {
    std::vector<Value> values;
    values.reserve(param_count);
    for (size_t i = 0; i < param_count; ++i) {
      const PgModuleValue& v = params[i];
      switch (v.kind) {
        case 1: values.emplace_back(v.integer); break;
        case 2: values.emplace_back(v.real); break;
        case 3: values.emplace_back(std::string(v.text, v.text_size)); break;
        default: values.emplace_back(std::monostate{}); break;
      }
    }
    std::vector<Row> result;
    Status s = AsDatabase(db)->Execute(std::string_view(sql, sql_size), values, rows ? &result : nullptr);
    if (!s.ok() || rows == nullptr) return s;
    std::vector<const char*> data;
    std::vector<size_t> sizes;
    for (const Row& row : result) {
      data.clear();
      sizes.clear();
      for (const auto& value : row.values) {
        data.push_back(value ? value->data() : nullptr);
        sizes.push_back(value ? value->size() : 0);
      }
      if (!rows->row(rows->context, data.size(), data.data(), sizes.data())) throw std::bad_alloc();
    }
    return Status::Ok();
  });
}

int ExecuteScript(void* db, const char* sql, size_t sql_size, const PgModuleError* error) noexcept {
  return Guarded(error, [&] { return AsDatabase(db)->ExecuteScript(std::string_view(sql, sql_size)); });
}

int Begin(void* db, const PgModuleError* error) noexcept {
  return Guarded(error, [&] { return AsDatabase(db)->Begin(); });
}

int Commit(void* db, const PgModuleError* error) noexcept {
  return Guarded(error, [&] { return AsDatabase(db)->Commit(); });
}

void Rollback(void* db) noexcept {
  try {
    AsDatabase(db)->Rollback();
  } catch (...) {
  }
}

int Savepoint(void* db, const char* name, int release_first, const PgModuleError* error) noexcept {
  return Guarded(error, [&] { return AsDatabase(db)->Savepoint(name, release_first != 0); });
}

int RollbackToSavepoint(void* db, const char* name, const PgModuleError* error) noexcept {
  return Guarded(error, [&] { return AsDatabase(db)->RollbackToSavepoint(name); });
}

int Backup(void* db, const char* path, size_t path_size, const PgModuleError* error) noexcept {
  return Guarded(error, [&] { return AsDatabase(db)->Backup(std::string(path, path_size)); });
}

// Collects the failure the executable's migration reports.
void SetStatus(void* context, int code, const char* message, size_t size) noexcept {
  try {
    *static_cast<Status*>(context) = Status(static_cast<StatusCode>(code), std::string(message, size));
  } catch (...) {
    *static_cast<Status*>(context) = Status(StatusCode::kInternal, "");
  }
}

int StageRestore(void* db, const char* path, size_t path_size, PgModuleMigrate migrate, void* migrate_context,
                 void** staged, const PgModuleError* error) noexcept {
  return Guarded(error, [&] {
    Database::Migrator migrator = [&](Database* target, int version) {
      Status failed;
      const PgModuleError sink{&failed, SetStatus};
      if (migrate(migrate_context, target, version, &sink) == 0) return Status::Ok();
      if (failed.ok()) failed = Status(StatusCode::kInternal, "PostgreSQL 恢复：迁移失败。");
      return failed;
    };
    auto copy = AsDatabase(db)->StageRestore(std::string(path, path_size), migrator);
    if (!copy.ok()) return copy.status();
    *staged = std::move(copy).value().release();
    return Status::Ok();
  });
}

int CommitRestore(void* db, void* staged, const PgModuleError* error) noexcept {
  return Guarded(error, [&] { return AsDatabase(db)->CommitRestore(AsDatabase(staged)); });
}

int CopyRows(void* db, const char* table, const char* const* columns, size_t column_count, const PgModuleValue* values,
             size_t row_count, const PgModuleError* error) noexcept {
  return Guarded(error, [&] {
    std::vector<std::vector<Value>> rows(row_count);
    for (size_t r = 0; r < row_count; ++r) {
      rows[r].reserve(column_count);
      for (size_t c = 0; c < column_count; ++c) {
        const PgModuleValue& v = values[r * column_count + c];
        switch (v.kind) {
          case 1: rows[r].emplace_back(v.integer); break;
          case 2: rows[r].emplace_back(v.real); break;
          case 3: rows[r].emplace_back(std::string(v.text, v.text_size)); break;
          default: rows[r].emplace_back(std::monostate{}); break;
        }
      }
    }
    return AsDatabase(db)->CopyRows(table, std::vector<const char*>(columns, columns + column_count), rows);
  });
}

constexpr PgModuleApi kApi = {Open,      Close,    Describe,  Execute,             ExecuteScript,
                              Begin,     Commit,   Rollback,  Savepoint,           RollbackToSavepoint,
                              Backup,    StageRestore, CommitRestore, CopyRows};

}  // namespace

extern "C" __attribute__((visibility("default"))) int taizhang_module_version() {
  return taizhang::kModuleVersion;
}

extern "C" __attribute__((visibility("default"))) const PgModuleApi* taizhang_postgres_api() noexcept {
  return &kApi;
}
