// The access store on both backends: every test runs once on SQLite (a
// temporary file) and once on PostgreSQL (a database of its own on the
// server at TAIZHANG_TEST_POSTGRES_URL, which scripts/test.sh starts; without
// it the PostgreSQL half skips, unless TAIZHANG_REQUIRE_POSTGRES=1 as in CI,
// where it fails). Time is a ManualClock moved by the tests, never a sleep.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "access/access.h"
#include "ledger/database.h"

namespace taizhang {
namespace {

namespace fs = std::filesystem;

::testing::AssertionResult Ok(const Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << status.message();
}

std::string PostgresUrl() {
  const char* url = std::getenv("TAIZHANG_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

bool PostgresRequired() {
  const char* required = std::getenv("TAIZHANG_REQUIRE_POSTGRES");
  return required != nullptr && std::string(required) == "1";
}

std::string WithDatabase(const std::string& url, const std::string& database) {
  size_t authority = url.find("://");
  size_t slash = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  if (slash == std::string::npos) return url + "/" + database;
  size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

// A fresh, empty database for one test, removed afterwards.
class Backend {
 public:
  explicit Backend(const std::string& kind) : kind_(kind) {}
  ~Backend() {
    if (!database_.empty()) {
      auto admin = ledger_internal::OpenPostgres(PostgresUrl());
      if (admin.ok()) (void)(*admin)->Execute("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)", {});
    }
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  std::string Create() {
    static std::atomic<int> counter{0};
    const std::string name = "taizhang_a_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (kind_ == "sqlite") {
      dir_ = fs::temp_directory_path() / name;
      fs::create_directories(dir_);
      url_ = (dir_ / "ledger.db").string();
      return "";
    }
    const std::string base = PostgresUrl();
    if (base.empty()) return "no server";
    auto admin = ledger_internal::OpenPostgres(base);
    if (!admin.ok()) return admin.status().message();
    Status s = (*admin)->Execute("CREATE DATABASE " + name, {});
    if (!s.ok()) return s.message();
    database_ = name;
    url_ = WithDatabase(base, name);
    return "";
  }
  const std::string& url() const { return url_; }

 private:
  std::string kind_;
  std::string url_;
  std::string database_;
  fs::path dir_;
};

// One server process: a ledger store and the access store over it.
struct Process {
  std::unique_ptr<LedgerStore> ledger;
  std::unique_ptr<AccessStore> access;
};

constexpr const char* kGood = "Shuili#2024";

class Access : public ::testing::TestWithParam<std::string> {
 protected:
  // Near the real time: the audit log's triggers compare with the
  // database's own clock.
  Access() : clock_(SystemClock().Now()) {}

  void SetUp() override {
    backend_ = std::make_unique<Backend>(GetParam());
    std::string why = backend_->Create();
    if (why == "no server") {
      if (PostgresRequired()) FAIL() << "TAIZHANG_REQUIRE_POSTGRES=1 but TAIZHANG_TEST_POSTGRES_URL is not set";
      GTEST_SKIP() << "TAIZHANG_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against";
    }
    ASSERT_EQ(why, "");
    one_ = OpenProcess();
    ASSERT_NE(one_.access, nullptr);
    store_ = one_.access.get();
    console_ = ConsolePrincipal(RoleBit(UserRole::kSystemAdmin), "tester");
    ASSERT_TRUE(store_->AddUnit(console_, "某县", "", {"某县人民政府"}).ok());
    ASSERT_TRUE(store_->AddUnit(console_, "县水利局", "某县", {"某县水利局"}).ok());
    ASSERT_TRUE(store_->AddUnit(console_, "县水利局办公室", "县水利局", {}).ok());
    ASSERT_TRUE(store_->AddUnit(console_, "县农业农村局", "某县", {}).ok());
  }

  Process OpenProcess() {
    Process p;
    auto ledger = LedgerStore::Open(backend_->url(), "server");
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    if (!ledger.ok()) return p;
    p.ledger = std::move(ledger).value();
    AccessOptions options;
    options.clock = &clock_;
    options.hash_ops = hash_ops_;
    options.hash_memory = hash_memory_;
    options.session_idle_seconds = session_idle_seconds_;
    auto access = AccessStore::Open(p.ledger.get(), options);
    EXPECT_TRUE(access.ok()) << access.status().message();
    if (access.ok()) p.access = std::move(access).value();
    return p;
  }

  std::unique_ptr<ledger_internal::Database> Raw() {
    auto raw = GetParam() == "sqlite" ? ledger_internal::OpenSqlite(backend_->url())
                                      : ledger_internal::OpenPostgres(backend_->url());
    EXPECT_TRUE(raw.ok()) << raw.status().message();
    return raw.ok() ? std::move(raw).value() : nullptr;
  }

  // A user with a password of their own already set (no forced change).
  void AddUser(const std::string& name, RoleSet roles, const std::string& unit, const std::string& scope = "") {
    NewUser user;
    user.name = name;
    user.roles = roles;
    user.unit = unit;
    user.scope = scope;
    auto once = store_->AddUser(console_, user);
    ASSERT_TRUE(once.ok()) << once.status().message();
    auto login = store_->Login(name, *once, "10.0.0.1");
    ASSERT_TRUE(login.ok()) << login.status().message();
    ASSERT_EQ(login->outcome, LoginResult::kSuccess) << login->message;
    ASSERT_TRUE(login->principal.must_change_password);
    ASSERT_TRUE(Ok(store_->ChangePassword(login->principal, *once, kGood)));
    ASSERT_TRUE(Ok(store_->Logout(login->token, "10.0.0.1")));
  }

  LoginResult LogIn(const std::string& name, const std::string& password = kGood,
                    const std::string& address = "10.0.0.2") {
    auto login = store_->Login(name, password, address);
    EXPECT_TRUE(login.ok()) << login.status().message();
    return login.ok() ? *login : LoginResult();
  }

  Principal As(const std::string& name) {
    LoginResult login = LogIn(name);
    EXPECT_EQ(login.outcome, LoginResult::kSuccess) << name << ": " << login.message;
    return login.principal;
  }

  std::vector<AuditEntry> AuditRows(const std::string& action = "") {
    std::vector<AuditEntry> out;
    auto raw = Raw();
    std::vector<ledger_internal::Row> rows;
    EXPECT_TRUE(Ok(raw->Execute(
        "SELECT id, at, actor, address, action, object, outcome, detail FROM audit_log ORDER BY id", {}, &rows)));
    for (const auto& r : rows) {
      if (!action.empty() && r.Text(4) != action) continue;
      out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)});
    }
    return out;
  }

  ManualClock clock_;
  uint64_t hash_ops_ = 1;        // crypto_pwhash_OPSLIMIT_MIN: the tests log in often
  size_t hash_memory_ = 8192;    // crypto_pwhash_MEMLIMIT_MIN
  int64_t session_idle_seconds_ = 0;  // AccessOptions::session_idle_seconds of OpenProcess
  std::unique_ptr<Backend> backend_;
  Process one_;
  AccessStore* store_ = nullptr;
  Principal console_;
};

TEST_P(Access, FirstStartCreatesTheSystemAdministratorOnceAndForcesAChange) {
  auto first = store_->EnsureSystemAdministrator();
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(first->has_value());
  const std::string password = **first;
  EXPECT_EQ(password.size(), 16u);
  EXPECT_EQ(PasswordProblem(SecurityPolicy(), password, "admin"), "");
  auto again = store_->EnsureSystemAdministrator();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());  // printed once only

  LoginResult login = LogIn("admin", password);
  ASSERT_EQ(login.outcome, LoginResult::kSuccess) << login.message;
  EXPECT_TRUE(login.principal.must_change_password);
  EXPECT_TRUE(HasRole(login.principal.roles, UserRole::kSystemAdmin));
  auto users = store_->ListUsers(login.principal);
  ASSERT_FALSE(users.ok());
  EXPECT_EQ(users.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(users.status().message().find("请先修改密码"), std::string::npos);
  // The one-time password cannot stay.
  EXPECT_FALSE(store_->ChangePassword(login.principal, password, password).ok());
  ASSERT_TRUE(Ok(store_->ChangePassword(login.principal, password, kGood)));
  auto session = store_->Authenticate(login.token, "10.0.0.2");
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(session->principal.has_value());
  EXPECT_FALSE(session->principal->must_change_password);
  EXPECT_TRUE(store_->ListUsers(*session->principal).ok());
  EXPECT_EQ(AuditRows("bootstrap").size(), 1u);
}

TEST_P(Access, NoAccountHoldsTwoOfTheThreeAdministrators) {
  NewUser both;
  both.name = "both";
  both.roles = RoleBit(UserRole::kSystemAdmin) | RoleBit(UserRole::kAuditAdmin);
  auto added = store_->AddUser(console_, both);
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.status().message().find("三者分立"), std::string::npos);
  AddUser("sec", RoleBit(UserRole::kSecurityAdmin), "");
  Status s = store_->SetRoles(console_, "sec", RoleBit(UserRole::kSecurityAdmin) | RoleBit(UserRole::kSystemAdmin));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("三者分立"), std::string::npos);
  // The database refuses it too, whoever writes the row.
  auto raw = Raw();
  EXPECT_FALSE(raw->Execute("UPDATE access_users SET roles = 6 WHERE name = 'sec'", {}).ok());
  EXPECT_FALSE(raw->Execute("UPDATE access_users SET roles = 5 WHERE name = 'sec'", {}).ok());
  EXPECT_TRUE(Ok(raw->Execute("UPDATE access_users SET roles = 10 WHERE name = 'sec'", {})));  // 安全管理员 + 督查员
}

TEST_P(Access, LoginFailuresSayTheSameForUnknownNamesAndLockAfterFive) {
  AddUser("zhang", RoleBit(UserRole::kReporter), "县水利局");
  LoginResult wrong = LogIn("zhang", "Wrong#2024");
  LoginResult unknown = LogIn("nobody", "Wrong#2024");
  EXPECT_EQ(wrong.outcome, LoginResult::kRefused);
  EXPECT_EQ(unknown.outcome, LoginResult::kRefused);
  EXPECT_EQ(wrong.message, "用户名或密码错误。");
  EXPECT_EQ(unknown.message, wrong.message);
  EXPECT_TRUE(wrong.token.empty());
  for (int i = 2; i <= 4; ++i) {
    EXPECT_EQ(LogIn("zhang", "Wrong#2024").outcome, LoginResult::kRefused);
    EXPECT_EQ(LogIn("nobody", "Wrong#2024").outcome, LoginResult::kRefused);
  }
  // The fifth failure locks the name, known or not, with the same words.
  LoginResult fifth = LogIn("zhang", "Wrong#2024");
  LoginResult fifth_unknown = LogIn("nobody", "Wrong#2024");
  EXPECT_EQ(fifth.outcome, LoginResult::kLocked);
  EXPECT_EQ(fifth_unknown.outcome, LoginResult::kLocked);
  EXPECT_EQ(fifth.message, fifth_unknown.message);
  EXPECT_NE(fifth.message.find("15 分钟"), std::string::npos) << fifth.message;
  // Locked: even the right password is refused, for 15 minutes.
  EXPECT_EQ(LogIn("zhang").outcome, LoginResult::kLocked);
  clock_.Advance(14 * 60);
  EXPECT_EQ(LogIn("zhang").outcome, LoginResult::kLocked);
  clock_.Advance(61);
  EXPECT_EQ(LogIn("zhang").outcome, LoginResult::kSuccess);
  // A success starts the count again.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(LogIn("zhang", "Wrong#2024").outcome, LoginResult::kRefused);
  EXPECT_EQ(LogIn("zhang").outcome, LoginResult::kSuccess);
  // The audit log knows what the user is not told.
  std::vector<AuditEntry> logins = AuditRows("login");
  bool unknown_recorded = false;
  for (const AuditEntry& e : logins) {
    if (e.actor == "nobody" && e.detail == "用户名不存在") unknown_recorded = true;
  }
  EXPECT_TRUE(unknown_recorded);
}

// CPU seconds the calling thread has used (not time spent waiting for a core).
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

TEST_P(Access, UnknownNamesFailInAboutTheTimeOfAWrongPassword) {
  // A real cost here (16 MiB, 2 passes), so the time is the hash's. The
  // thread's own CPU time, not the wall clock: on a loaded machine waiting
  // for a core made the wall times differ threefold.
  hash_ops_ = 2;
  hash_memory_ = 16 << 20;
  Process process = OpenProcess();
  store_ = process.access.get();
  AddUser("zhaoyun", RoleBit(UserRole::kViewer), "县水利局");
  auto time_once = [&](const std::string& name, int i) {
    const double start = ThreadCpuSeconds();
    auto login = store_->Login(name, "Wrong#2024", "10.9.9." + std::to_string(i));
    const double spent = ThreadCpuSeconds() - start;
    EXPECT_TRUE(login.ok());
    EXPECT_EQ(login->message, "用户名或密码错误。");
    return spent;
  };
  // Interleaved, least of four each (a fifth failure would lock the name):
  // whatever else the machine does meanwhile falls on both alike.
  double known = 1e9;
  double unknown = 1e9;
  for (int i = 0; i < 4; ++i) {
    known = std::min(known, time_once("zhaoyun", i));
    unknown = std::min(unknown, time_once("nobody-at-all", i));
  }
  // Without a hash checked for unknown names they would fail some thousand
  // times faster (no Argon2 pass over 16 MiB); a factor of five either way
  // still catches that and leaves room for a loaded machine.
  EXPECT_GT(unknown, known / 5) << known << " s vs " << unknown << " s";
  EXPECT_LT(unknown, known * 5) << known << " s vs " << unknown << " s";
}

TEST_P(Access, OnlyTheSecurityAdministratorUnlocks) {
  AddUser("zhang", RoleBit(UserRole::kReporter), "县水利局");
  AddUser("sys", RoleBit(UserRole::kSystemAdmin), "");
  AddUser("sec", RoleBit(UserRole::kSecurityAdmin), "");
  Principal sys = As("sys");
  Principal sec = As("sec");
  for (int i = 0; i < 5; ++i) LogIn("zhang", "Wrong#2024");
  EXPECT_EQ(LogIn("zhang").outcome, LoginResult::kLocked);
  Status refused = store_->Unlock(sys, "zhang");
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(LogIn("zhang").outcome, LoginResult::kLocked);
  ASSERT_TRUE(Ok(store_->Unlock(sec, "zhang")));
  EXPECT_EQ(LogIn("zhang").outcome, LoginResult::kSuccess);
  std::vector<AuditEntry> refusals = AuditRows("refused");
  ASSERT_FALSE(refusals.empty());
  EXPECT_EQ(refusals.back().actor, "sys");
  EXPECT_EQ(refusals.back().object, "用户 zhang");
  EXPECT_EQ(refusals.back().outcome, "refused");
  EXPECT_NE(refusals.back().detail.find("unlock_user"), std::string::npos);
  EXPECT_EQ(AuditRows("user_unlock").size(), 1u);
}

TEST_P(Access, PasswordPolicyHistoryAndExpiry) {
  AddUser("wang", RoleBit(UserRole::kViewer), "县水利局");
  Principal wang = As("wang");
  Status weak = store_->ChangePassword(wang, kGood, "short1A");
  EXPECT_EQ(weak.message(), "密码至少要有 8 个字符。");
  EXPECT_FALSE(store_->ChangePassword(wang, "Not#Mine1", "Another#2024").ok());  // the old one is wrong
  // Five passwords back (the current one included) cannot come again; the sixth can.
  std::vector<std::string> used = {kGood};
  for (int i = 1; i <= 5; ++i) {
    const std::string next = "Pass#word" + std::to_string(i);
    clock_.Advance(60);
    ASSERT_TRUE(Ok(store_->ChangePassword(wang, used.back(), next)));
    used.push_back(next);
  }
  for (size_t back = 0; back < 5; ++back) {
    Status s = store_->ChangePassword(wang, used.back(), used[used.size() - 1 - back]);
    EXPECT_FALSE(s.ok()) << back;
    EXPECT_NE(s.message().find("最近 5 次"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(Ok(store_->ChangePassword(wang, used.back(), used[0])));  // six back
  // The security administrator sets the policy; after 90 days the password must change.
  AddUser("sec", RoleBit(UserRole::kSecurityAdmin), "");
  Principal sec = As("sec");
  SecurityPolicy policy;
  policy.expiry_days = 30;
  policy.min_length = 10;
  EXPECT_EQ(store_->SetPolicy(wang, policy).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->SetPolicy(console_, policy).code(), StatusCode::kPermissionDenied);  // the system administrator
  ASSERT_TRUE(Ok(store_->SetPolicy(sec, policy)));
  auto read = store_->Policy();
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->expiry_days, 30);
  EXPECT_EQ(read->min_length, 10);
  policy.audit_retention_days = 100;
  EXPECT_FALSE(store_->SetPolicy(sec, policy).ok());
  clock_.Advance(29 * 86400);
  EXPECT_FALSE(LogIn("wang", used[0]).principal.must_change_password);
  clock_.Advance(2 * 86400);
  LoginResult expired = LogIn("wang", used[0]);
  ASSERT_EQ(expired.outcome, LoginResult::kSuccess);
  EXPECT_TRUE(expired.principal.must_change_password);
  EXPECT_FALSE(Authorize(expired.principal, Action::kReadItem, {}).allowed);
  EXPECT_TRUE(Ok(store_->ChangePassword(expired.principal, used[0], "Short#1234")));
  // Set once; the policy refused for its retention is a failure on record.
  std::vector<AuditEntry> set = AuditRows("policy_set");
  ASSERT_EQ(set.size(), 2u);
  EXPECT_EQ(set[0].outcome, "success");
  EXPECT_EQ(set[1].outcome, "failure");
  EXPECT_EQ(set[1].detail, "审计日志保存期限不能少于 180 天。");
}

// taizhang serve --session-idle-timeout: a shorter idle timeout than the
// policy's ends sessions sooner; use within it keeps the session (the last
// use is written often enough), and a longer one changes nothing.
TEST_P(Access, TheServersShorterIdleTimeoutEndsSessionsSooner) {
  AddUser("zhao", RoleBit(UserRole::kSupervisor), "县水利局");
  session_idle_seconds_ = 4;
  Process short_idle = OpenProcess();
  ASSERT_NE(short_idle.access, nullptr);
  auto login = short_idle.access->Login("zhao", kGood, "10.0.0.2");
  ASSERT_TRUE(login.ok() && login->outcome == LoginResult::kSuccess);
  for (int i = 0; i < 6; ++i) {  // 18 seconds in all, 3 apart
    clock_.Advance(3);
    auto check = short_idle.access->Authenticate(login->token, "10.0.0.2");
    ASSERT_TRUE(check.ok());
    ASSERT_TRUE(check->principal.has_value()) << i << " " << check->message;
  }
  clock_.Advance(5);
  auto idle = short_idle.access->Authenticate(login->token, "10.0.0.2");
  ASSERT_TRUE(idle.ok());
  EXPECT_FALSE(idle->principal.has_value());
  EXPECT_NE(idle->message.find("登录已超时（4 秒无操作）"), std::string::npos) << idle->message;

  // Longer than the policy's 30 minutes: the policy holds.
  session_idle_seconds_ = 3600;
  Process long_idle = OpenProcess();
  ASSERT_NE(long_idle.access, nullptr);
  login = long_idle.access->Login("zhao", kGood, "10.0.0.2");
  ASSERT_TRUE(login.ok() && login->outcome == LoginResult::kSuccess);
  clock_.Advance(31 * 60);
  idle = long_idle.access->Authenticate(login->token, "10.0.0.2");
  ASSERT_TRUE(idle.ok());
  EXPECT_FALSE(idle->principal.has_value());
  EXPECT_NE(idle->message.find("30 分钟无操作"), std::string::npos) << idle->message;
}

TEST_P(Access, SessionTokensAreStoredHashedAndExpire) {
  AddUser("zhao", RoleBit(UserRole::kSupervisor), "县水利局");
  LoginResult login = LogIn("zhao");
  ASSERT_EQ(login.outcome, LoginResult::kSuccess);
  EXPECT_EQ(login.token.size(), 43u);  // 32 bytes, base64url
  EXPECT_EQ(login.csrf_token.size(), 43u);
  auto raw = Raw();
  std::vector<ledger_internal::Row> rows;
  ASSERT_TRUE(Ok(raw->Execute("SELECT token_hash FROM access_sessions", {}, &rows)));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0).size(), 64u);
  EXPECT_EQ(rows[0].Text(0).find(login.token), std::string::npos);
  EXPECT_NE(rows[0].Text(0), login.token);

  // Idle: 29 minutes apart is fine (each use restarts the clock), 31 is not.
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(29 * 60);
    auto check = store_->Authenticate(login.token, "10.0.0.2");
    ASSERT_TRUE(check.ok());
    ASSERT_TRUE(check->principal.has_value()) << check->message;
    EXPECT_EQ(check->principal->name, "zhao");
    EXPECT_EQ(check->principal->scope_units.size(), 2u);
  }
  clock_.Advance(31 * 60);
  auto idle = store_->Authenticate(login.token, "10.0.0.2");
  ASSERT_TRUE(idle.ok());
  EXPECT_FALSE(idle->principal.has_value());
  EXPECT_NE(idle->message.find("30 分钟无操作"), std::string::npos) << idle->message;

  // Absolute: used every 20 minutes, the session still ends after 12 hours.
  login = LogIn("zhao");
  for (int minutes = 20; minutes <= 12 * 60; minutes += 20) {
    clock_.Advance(20 * 60);
    auto check = store_->Authenticate(login.token, "10.0.0.2");
    ASSERT_TRUE(check.ok());
    ASSERT_TRUE(check->principal.has_value()) << minutes << " " << check->message;
  }
  clock_.Advance(20 * 60);
  auto old = store_->Authenticate(login.token, "10.0.0.2");
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->principal.has_value());
  EXPECT_NE(old->message.find("12 小时"), std::string::npos) << old->message;

  // Garbage and unknown tokens are nobody.
  for (const std::string& token : {std::string(""), std::string("x"), std::string(43, 'A'), login.token + "A"}) {
    auto check = store_->Authenticate(token, "10.0.0.2");
    ASSERT_TRUE(check.ok());
    EXPECT_FALSE(check->principal.has_value());
    EXPECT_EQ(check->message, "请先登录。");
  }
  EXPECT_GE(AuditRows("session_end").size(), 2u);
}

TEST_P(Access, LogoutAndLogoutEverywhere) {
  AddUser("qian", RoleBit(UserRole::kViewer), "县水利局");
  LoginResult a = LogIn("qian", kGood, "10.0.0.3");
  LoginResult b = LogIn("qian", kGood, "10.0.0.4");
  LoginResult c = LogIn("qian", kGood, "10.0.0.5");
  ASSERT_TRUE(Ok(store_->Logout(a.token, "10.0.0.3")));
  EXPECT_FALSE(store_->Authenticate(a.token, "10.0.0.3")->principal.has_value());
  EXPECT_TRUE(store_->Authenticate(b.token, "10.0.0.4")->principal.has_value());
  auto ended = store_->LogoutEverywhere(b.principal);
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(store_->Authenticate(b.token, "10.0.0.4")->principal.has_value());
  EXPECT_FALSE(store_->Authenticate(c.token, "10.0.0.5")->principal.has_value());
  std::vector<AuditEntry> logouts = AuditRows("logout");
  ASSERT_FALSE(logouts.empty());
  EXPECT_EQ(logouts.back().actor, "qian");
  EXPECT_EQ(logouts.back().address, "10.0.0.3");
  EXPECT_EQ(AuditRows("logout_everywhere").size(), 1u);
}

TEST_P(Access, CsrfTokenIsBoundToItsSession) {
  AddUser("sun", RoleBit(UserRole::kViewer), "县水利局");
  LoginResult a = LogIn("sun");
  LoginResult b = LogIn("sun");
  EXPECT_TRUE(AccessStore::CheckCsrf(a.token, a.csrf_token));
  EXPECT_TRUE(AccessStore::CheckCsrf(b.token, b.csrf_token));
  EXPECT_FALSE(AccessStore::CheckCsrf(a.token, b.csrf_token));
  EXPECT_FALSE(AccessStore::CheckCsrf(a.token, ""));
  EXPECT_FALSE(AccessStore::CheckCsrf(a.token, a.token));
  EXPECT_FALSE(AccessStore::CheckCsrf("not a token", AccessStore::CsrfTokenFor("not a token")));
  EXPECT_EQ(AccessStore::CsrfTokenFor(a.token), a.csrf_token);
}

TEST_P(Access, TwoProcessesOnOneDatabaseActAsOne) {
  AddUser("zhou", RoleBit(UserRole::kSupervisor), "县水利局");
  Process two = OpenProcess();
  ASSERT_NE(two.access, nullptr);
  // Logged in on one, recognised on the other; logged out on the other, gone on the first.
  LoginResult login = LogIn("zhou");
  auto there = two.access->Authenticate(login.token, "10.0.0.2");
  ASSERT_TRUE(there.ok());
  ASSERT_TRUE(there->principal.has_value());
  EXPECT_EQ(there->principal->name, "zhou");
  ASSERT_TRUE(Ok(two.access->Logout(login.token, "10.0.0.2")));
  EXPECT_FALSE(store_->Authenticate(login.token, "10.0.0.2")->principal.has_value());
  // Failures on both count together.
  for (int i = 0; i < 5; ++i) {
    AccessStore* either = i % 2 == 0 ? store_ : two.access.get();
    ASSERT_TRUE(either->Login("zhou", "Wrong#2024", "10.0.0.6").ok());
  }
  EXPECT_EQ(two.access->Login("zhou", kGood, "10.0.0.6")->outcome, LoginResult::kLocked);
  EXPECT_EQ(store_->Login("zhou", kGood, "10.0.0.6")->outcome, LoginResult::kLocked);
  // So do the rate counters.
  for (int i = 0; i < 3; ++i) {
    AccessStore* either = i % 2 == 0 ? store_ : two.access.get();
    EXPECT_TRUE(either->Hit("api:zhou", 3, 60)->allowed) << i;
  }
  auto fourth = two.access->Hit("api:zhou", 3, 60);
  EXPECT_FALSE(fourth->allowed);
  EXPECT_EQ(fourth->hits, 4);
  EXPECT_EQ(fourth->retry_after, 60);
  clock_.Advance(60);
  EXPECT_TRUE(store_->Hit("api:zhou", 3, 60)->allowed);
  EXPECT_TRUE(store_->Hit("api:other", 3, 60)->allowed);
}

TEST_P(Access, ManyAttemptsFromOneAddressAreThrottled) {
  AddUser("wu", RoleBit(UserRole::kViewer), "县水利局");
  for (int i = 0; i < 30; ++i) {
    ASSERT_NE(LogIn("name" + std::to_string(i), "Wrong#2024", "10.6.6.6").outcome, LoginResult::kThrottled) << i;
  }
  LoginResult throttled = LogIn("wu", kGood, "10.6.6.6");
  EXPECT_EQ(throttled.outcome, LoginResult::kThrottled);
  EXPECT_NE(throttled.message.find("过于频繁"), std::string::npos);
  EXPECT_EQ(LogIn("wu", kGood, "10.6.6.7").outcome, LoginResult::kSuccess);
  clock_.Advance(15 * 60);
  EXPECT_EQ(LogIn("wu", kGood, "10.6.6.6").outcome, LoginResult::kSuccess);
}

TEST_P(Access, ListsShowExactlyWhatTheDetailAllows) {
  AddUser("sup", RoleBit(UserRole::kSupervisor), "县水利局");
  AddUser("rep", RoleBit(UserRole::kReporter), "县水利局");
  AddUser("county", RoleBit(UserRole::kViewer), "某县");
  AddUser("agri", RoleBit(UserRole::kViewer), "县农业农村局");
  AddUser("auditor", RoleBit(UserRole::kAuditAdmin), "");
  LedgerStore& ledger = *one_.ledger;
  for (const char* unit : {"县水利局", "某县水利局", "县水利局办公室", "县农业农村局", "县水利局、县农业农村局",
                           "市财政局", "某县人民政府"}) {
    NewItem item;
    item.kind = ItemKind::kProblem;
    item.unit = unit;
    item.year = 2024;
    item.task = std::string("整改问题：") + unit;
    ASSERT_TRUE(ledger.AddItem(item).ok());
  }
  ItemFilter all;
  all.review = std::nullopt;
  auto items = ledger.ListItems(all);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 7u);
  std::map<std::string, size_t> counts;
  for (const std::string name : {"sup", "rep", "county", "agri", "auditor"}) {
    Principal p = As(name);
    auto visible = store_->VisibleItems(p, *items);
    ASSERT_TRUE(visible.ok());
    counts[name] = visible->size();
    for (const LedgerItem& item : *items) {
      auto resource = store_->ItemResource(item);
      ASSERT_TRUE(resource.ok());
      const bool detail = Authorize(p, Action::kReadItem, *resource).allowed;
      const bool listed = std::any_of(visible->begin(), visible->end(),
                                      [&](const LedgerItem& v) { return v.id == item.id; });
      EXPECT_EQ(listed, detail) << name << " " << item.unit;
    }
  }
  EXPECT_EQ(counts["sup"], 4u);     // 县水利局 ×2 (name, alias), its office, the joint one
  EXPECT_EQ(counts["rep"], 3u);     // its own unit only: not the office below
  EXPECT_EQ(counts["county"], 7u);  // the whole county, the unknown 市财政局 too
  EXPECT_EQ(counts["agri"], 2u);
  EXPECT_EQ(counts["auditor"], 0u);
}

TEST_P(Access, CloseOffOnlyByASupervisorWhoDidNotSubmit) {
  RoleSet both = RoleBit(UserRole::kSupervisor) | RoleBit(UserRole::kReporter);
  AddUser("both", both, "县水利局");
  AddUser("other", RoleBit(UserRole::kSupervisor), "县水利局");
  LedgerStore& ledger = *one_.ledger;
  NewItem problem;
  problem.kind = ItemKind::kProblem;
  problem.unit = "县水利局";
  problem.year = 2024;
  problem.task = "河道清障不到位";
  auto added = ledger.AddItem(problem);
  ASSERT_TRUE(added.ok());
  Principal p = As("both");
  ASSERT_TRUE(store_->Require(p, Action::kSubmitRectification, *store_->ItemResource(*added))->allowed);
  ledger.set_user(p.name);
  auto submitted = ledger.SubmitRectification(added->id, std::nullopt, "已清障");
  ASSERT_TRUE(submitted.ok()) << submitted.status().message();
  auto resource = store_->ItemResource(*submitted);
  ASSERT_TRUE(resource.ok());
  EXPECT_EQ(resource->submitted_by, "both");
  auto mine = store_->Require(p, Action::kCloseOff, *resource);
  ASSERT_TRUE(mine.ok());
  EXPECT_FALSE(mine->allowed);
  EXPECT_NE(mine->reason.find("另一位督查员"), std::string::npos);
  EXPECT_TRUE(store_->Require(As("other"), Action::kCloseOff, *resource)->allowed);
  std::vector<AuditEntry> refusals = AuditRows("refused");
  ASSERT_FALSE(refusals.empty());
  EXPECT_EQ(refusals.back().object, "事项 " + std::to_string(added->id));
  EXPECT_EQ(refusals.back().actor, "both");
}

TEST_P(Access, AuditLogIsAppendOnlyAndOnlyTheAuditAdministratorsToRead) {
  // Entries from 400 days ago, then from now.
  const int64_t now = clock_.Now();
  clock_.Set(now - 400 * 86400);
  AddUser("old", RoleBit(UserRole::kViewer), "县水利局");
  const std::string old_at = FormatUtc(now - 400 * 86400);
  size_t old_rows = 0;
  for (const AuditEntry& e : AuditRows()) old_rows += e.at == old_at;
  ASSERT_GE(old_rows, 3u);  // added, logged in, changed the password, logged out
  clock_.Set(now);
  AddUser("aud", RoleBit(UserRole::kAuditAdmin), "");
  AddUser("sys", RoleBit(UserRole::kSystemAdmin), "");
  Principal aud = As("aud");
  Principal sys = As("sys");

  auto refused = store_->ReadAudit(sys, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->ExportAudit(sys, {}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->PurgeAudit(sys).status().code(), StatusCode::kPermissionDenied);

  auto entries = store_->ReadAudit(aud, {});
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  bool user_add = false, login = false, refusal = false;
  for (const AuditEntry& e : *entries) {
    EXPECT_FALSE(e.at.empty());
    if (e.action == "user_add" && e.object == "用户 aud") {
      user_add = true;
      EXPECT_EQ(e.actor, "命令行:tester");
      EXPECT_EQ(e.outcome, "success");
      EXPECT_EQ(e.detail, "角色：审计管理员");
    }
    if (e.action == "login" && e.actor == "sys" && e.outcome == "success" && e.address == "10.0.0.2") {
      login = true;
      EXPECT_EQ(e.at, FormatUtc(now));
      EXPECT_EQ(e.object, "用户 sys");
    }
    if (e.action == "refused" && e.actor == "sys") refusal = true;
  }
  EXPECT_TRUE(user_add);
  EXPECT_TRUE(login);
  EXPECT_TRUE(refusal);

  AuditQuery only;
  only.actor = "sys";
  only.action = "login";
  auto csv = store_->ExportAudit(aud, only);
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->rfind("\xEF\xBB\xBF编号,时间,用户,地址,操作,对象,结果,说明\r\n", 0), 0u) << *csv;
  EXPECT_NE(csv->find(",sys,10.0.0.2,login,用户 sys,success,登录成功\r\n"), std::string::npos) << *csv;

  // No one changes or removes a row, not even with SQL, unless it is older than 180 days.
  auto raw = Raw();
  EXPECT_FALSE(raw->Execute("UPDATE audit_log SET actor = 'x'", {}).ok());
  EXPECT_FALSE(raw->Execute("DELETE FROM audit_log WHERE actor = 'sys'", {}).ok());
  if (GetParam() == "postgres") {
    EXPECT_FALSE(raw->Execute("TRUNCATE audit_log", {}).ok());
  }
  // Purging removes the old rows only, and says so in the log.
  const size_t before = AuditRows().size();
  auto purged = store_->PurgeAudit(aud);
  ASSERT_TRUE(purged.ok()) << purged.status().message();
  EXPECT_EQ(*purged, static_cast<int64_t>(old_rows));
  std::vector<AuditEntry> after = AuditRows();
  EXPECT_EQ(after.size(), before - old_rows + 1);
  EXPECT_EQ(after.back().action, "audit_purge");
  for (const AuditEntry& e : after) EXPECT_GE(e.at, FormatUtc(now - 180 * 86400));
}

TEST_P(Access, UsersAndUnitsAreTheSystemAdministrators) {
  AddUser("sec", RoleBit(UserRole::kSecurityAdmin), "");
  Principal sec = As("sec");
  NewUser user;
  user.name = "x1";
  user.roles = RoleBit(UserRole::kViewer);
  user.unit = "县水利局";
  EXPECT_EQ(store_->AddUser(sec, user).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->AddUnit(sec, "某乡", "某县", {}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(store_->ListUsers(sec).ok());  // to unlock, it sees them
  // Checks of what is added.
  user.unit = "不存在的局";
  EXPECT_EQ(store_->AddUser(console_, user).status().code(), StatusCode::kNotFound);
  user.unit = "";
  user.roles = RoleBit(UserRole::kReporter);
  EXPECT_NE(store_->AddUser(console_, user).status().message().find("填报员须属于一个单位"), std::string::npos);
  user.name = "bad name";
  EXPECT_FALSE(store_->AddUser(console_, user).ok());
  user.name = "x1";
  user.unit = "县水利局";
  user.password = "weak";
  EXPECT_FALSE(store_->AddUser(console_, user).ok());
  user.password = "";
  ASSERT_TRUE(store_->AddUser(console_, user).ok());
  EXPECT_NE(store_->AddUser(console_, user).status().message().find("已存在"), std::string::npos);
  EXPECT_FALSE(store_->AddUnit(console_, "县水利局", "某县", {}).ok());  // a name taken
  EXPECT_FALSE(store_->AddUnit(console_, "某局", "某县", {"某县水利局"}).ok());  // an alias taken
  EXPECT_EQ(store_->AddUnit(console_, "某局", "没有的县", {}).status().code(), StatusCode::kNotFound);
  auto users = store_->ListUsers(console_);
  ASSERT_TRUE(users.ok());
  auto x1 = std::find_if(users->begin(), users->end(), [](const UserInfo& u) { return u.name == "x1"; });
  ASSERT_NE(x1, users->end());
  EXPECT_EQ(x1->unit, "县水利局");
  EXPECT_TRUE(x1->must_change_password);
  // A reset password is one-time again, and ends the sessions; disabling ends them too.
  AddUser("x2", RoleBit(UserRole::kViewer), "县水利局");
  LoginResult x2 = LogIn("x2");
  auto reset = store_->ResetPassword(console_, "x2");
  ASSERT_TRUE(reset.ok());
  EXPECT_FALSE(store_->Authenticate(x2.token, "10.0.0.2")->principal.has_value());
  LoginResult again = LogIn("x2", *reset);
  ASSERT_EQ(again.outcome, LoginResult::kSuccess);
  EXPECT_TRUE(again.principal.must_change_password);
  ASSERT_TRUE(Ok(store_->SetDisabled(console_, "x2", true)));
  EXPECT_FALSE(store_->Authenticate(again.token, "10.0.0.2")->principal.has_value());
  LoginResult disabled = LogIn("x2", *reset);
  EXPECT_EQ(disabled.outcome, LoginResult::kRefused);
  EXPECT_EQ(disabled.message, "用户名或密码错误。");
}

// The unit tree's changes: rename, aliases, move (no cycles), disable (not
// while an enabled account uses the unit); each audited, a failure changing
// nothing.
TEST_P(Access, UnitsAreRenamedMovedAndDisabled) {
  auto renamed = store_->RenameUnit(console_, "县水利局办公室", "县水利局综合办公室");
  ASSERT_TRUE(renamed.ok()) << renamed.status().message();
  EXPECT_EQ(renamed->name, "县水利局综合办公室");
  EXPECT_EQ(store_->Units()->Path(renamed->id), "某县 / 县水利局 / 县水利局综合办公室");
  EXPECT_EQ(store_->RenameUnit(console_, "县水利局综合办公室", "某县水利局").status().code(),
            StatusCode::kInvalidArgument);  // another unit's alias
  EXPECT_EQ(store_->RenameUnit(console_, "没有的局", "某局").status().code(), StatusCode::kNotFound);
  // Aliases: replaced whole; a name in use refused.
  auto aliased = store_->SetUnitAliases(console_, "县农业农村局", {"某县农业农村局", "农业农村局"});
  ASSERT_TRUE(aliased.ok()) << aliased.status().message();
  EXPECT_EQ(store_->Units()->FindByName("农业农村局")->name, "县农业农村局");
  EXPECT_FALSE(store_->SetUnitAliases(console_, "县农业农村局", {"某县人民政府"}).ok());
  EXPECT_FALSE(store_->SetUnitAliases(console_, "县农业农村局", {"甲", "甲"}).ok());
  // Move: the subtree goes along; not under itself or below it.
  auto moved = store_->MoveUnit(console_, "县水利局综合办公室", "县农业农村局");
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(store_->Units()->Path(moved->id), "某县 / 县农业农村局 / 县水利局综合办公室");
  auto cycle = store_->MoveUnit(console_, "某县", "县水利局综合办公室");
  EXPECT_EQ(cycle.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(cycle.status().message().find("下级单位"), std::string::npos);
  EXPECT_FALSE(store_->MoveUnit(console_, "县农业农村局", "县农业农村局").ok());
  EXPECT_EQ(store_->Units()->Find(store_->Units()->FindByName("某县")->id)->parent_id, 0);
  auto top = store_->MoveUnit(console_, "县水利局综合办公室", "");
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->parent_id, 0);
  // A scope follows the tree: a supervisor of 县农业农村局 no longer reaches the moved unit.
  // Disable: refused while an enabled account uses the unit.
  AddUser("farmer", RoleBit(UserRole::kReporter), "县农业农村局");
  auto in_use = store_->SetUnitDisabled(console_, "县农业农村局", true);
  EXPECT_EQ(in_use.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(in_use.status().message().find("farmer"), std::string::npos);
  ASSERT_TRUE(Ok(store_->SetDisabled(console_, "farmer", true)));
  auto disabled = store_->SetUnitDisabled(console_, "县农业农村局", true);
  ASSERT_TRUE(disabled.ok()) << disabled.status().message();
  EXPECT_TRUE(store_->Units()->FindByName("县农业农村局")->disabled);
  NewUser user;
  user.name = "farmer2";
  user.roles = RoleBit(UserRole::kReporter);
  user.unit = "县农业农村局";
  EXPECT_NE(store_->AddUser(console_, user).status().message().find("已停用"), std::string::npos);
  EXPECT_FALSE(store_->AddUnit(console_, "某股", "县农业农村局", {}).ok());
  EXPECT_FALSE(store_->SetUnitDisabled(console_, "县农业农村局", true).ok());  // already
  ASSERT_TRUE(store_->SetUnitDisabled(console_, "县农业农村局", false).ok());
  EXPECT_TRUE(store_->AddUser(console_, user).ok());
  // Only the system administrator; each change and failure audited.
  AddUser("sec", RoleBit(UserRole::kSecurityAdmin), "");
  EXPECT_EQ(store_->RenameUnit(As("sec"), "某县", "某某县").status().code(), StatusCode::kPermissionDenied);
  std::vector<std::string> actions;
  for (const AuditEntry& e : AuditRows()) {
    if (e.actor == console_.name && e.action.rfind("unit_", 0) == 0) actions.push_back(e.action + ":" + e.outcome);
  }
  for (const char* expected : {"unit_rename:success", "unit_rename:failure", "unit_aliases:success",
                               "unit_move:success", "unit_move:failure", "unit_disable:success",
                               "unit_disable:failure", "unit_enable:success"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), expected), actions.end()) << expected;
  }
}

// UpdateUser: roles, unit, scope, display name at once, checked as AddUser
// checks them; 三员分立 refused; one audit row saying before → after.
TEST_P(Access, UsersAreChangedWholeOrNotAtAll) {
  AddUser("zhang", RoleBit(UserRole::kReporter), "县水利局");
  UserChange change;
  change.roles = RoleBit(UserRole::kSupervisor) | RoleBit(UserRole::kReporter);
  change.scope = "某县";
  change.display_name = "张三";
  auto updated = store_->UpdateUser(console_, "zhang", change);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_EQ(updated->scope, "某县");
  EXPECT_EQ(updated->unit, "县水利局");
  EXPECT_EQ(As("zhang").scope_units.size(), 4u);
  auto rows = AuditRows("user_update");
  ASSERT_FALSE(rows.empty());
  EXPECT_NE(rows.back().detail.find("角色：填报员 → 督查员、填报员"), std::string::npos) << rows.back().detail;
  EXPECT_NE(rows.back().detail.find("管辖范围：（无） → 某县"), std::string::npos) << rows.back().detail;
  // Refusals change nothing.
  AddUser("sec", RoleBit(UserRole::kSecurityAdmin), "");
  UserChange combined;
  combined.roles = RoleBit(UserRole::kSecurityAdmin) | RoleBit(UserRole::kAuditAdmin);
  auto refused = store_->UpdateUser(console_, "sec", combined);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("三者分立"), std::string::npos);
  UserChange no_unit;
  no_unit.unit = "";
  EXPECT_NE(store_->UpdateUser(console_, "zhang", no_unit).status().message().find("填报员须属于一个单位"),
            std::string::npos);
  UserChange unknown;
  unknown.unit = "没有的局";
  EXPECT_EQ(store_->UpdateUser(console_, "zhang", unknown).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->UpdateUser(console_, "nobody", change).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(store_->UpdateUser(console_, "zhang", UserChange{}).ok());
  UserChange blank;
  blank.display_name = "";
  EXPECT_FALSE(store_->UpdateUser(console_, "zhang", blank).ok());
  EXPECT_EQ(store_->UpdateUser(As("sec"), "zhang", change).status().code(), StatusCode::kPermissionDenied);
  auto users = store_->ListUsers(console_);
  for (const UserInfo& u : *users) {
    if (u.name == "sec") {
      EXPECT_EQ(u.roles, RoleBit(UserRole::kSecurityAdmin));
    }
    if (u.name == "zhang") {
      EXPECT_EQ(u.unit, "县水利局");
    }
  }
  // An administrator keeps its own role.
  AddUser("sys2", RoleBit(UserRole::kSystemAdmin), "");
  Principal sys2 = As("sys2");
  UserChange demote;
  demote.roles = RoleBit(UserRole::kViewer);
  demote.unit = "某县";
  EXPECT_FALSE(store_->UpdateUser(sys2, "sys2", demote).ok());
  EXPECT_TRUE(store_->UpdateUser(sys2, "zhang", demote).ok());
}

TEST_P(Access, AuditLogFiltersByOutcomeAndPages) {
  AddUser("aud", RoleBit(UserRole::kAuditAdmin), "");
  Principal aud = As("aud");
  (void)LogIn("aud", "wrong-password");
  AuditQuery failures;
  failures.outcome = "failure";
  auto rows = store_->ReadAudit(aud, failures);
  ASSERT_TRUE(rows.ok());
  ASSERT_FALSE(rows->empty());
  for (const AuditEntry& e : *rows) EXPECT_EQ(e.outcome, "failure");
  AuditQuery all;
  all.limit = 0;
  auto every = store_->ReadAudit(aud, all);
  ASSERT_TRUE(every.ok());
  ASSERT_GE(every->size(), 4u);
  AuditQuery page;
  page.offset = 2;
  page.limit = 2;
  auto second = store_->ReadAudit(aud, page);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].id, (*every)[2].id);
  EXPECT_EQ((*second)[1].id, (*every)[3].id);
}

TEST_P(Access, SweepRemovesWhatHasExpiredOnly) {
  AddUser("feng", RoleBit(UserRole::kViewer), "县水利局");
  LoginResult old = LogIn("feng");
  ASSERT_TRUE(store_->Hit("api:old", 10, 60)->allowed);
  for (int i = 0; i < 5; ++i) LogIn("ghost", "Wrong#2024", "10.0.0.9");  // locked for 15 minutes
  clock_.Advance(31 * 60);
  LoginResult fresh = LogIn("feng");
  ASSERT_TRUE(store_->Hit("api:fresh", 10, 60)->allowed);
  auto removed = store_->Sweep(60);
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  // The idle session, the old counters (api:old and two addresses'), the lapsed lock of "ghost".
  EXPECT_EQ(*removed, 5);
  auto raw = Raw();
  std::vector<ledger_internal::Row> rows;
  ASSERT_TRUE(Ok(raw->Execute("SELECT COUNT(*) FROM access_sessions", {}, &rows)));
  EXPECT_EQ(rows[0].Int(0), 1);
  EXPECT_TRUE(store_->Authenticate(fresh.token, "10.0.0.2")->principal.has_value());
  EXPECT_FALSE(store_->Authenticate(old.token, "10.0.0.2")->principal.has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, Access, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });


// The command line: units and users added with `taizhang unit|user`, the
// one-time password printed once and good for one login that must change
// it; unlock and reset as the commands say; every change in the audit log
// as 命令行:<user>.
struct CliRun {
  int exit_code = -1;
  std::string out;
};

CliRun RunCli(const std::string& args, const fs::path& dir) {
  const std::string out = (dir / "cli.out").string();
  const std::string command = "cd '" + dir.string() + "' && USER=tester '" TAIZHANG_CLI_PATH "' " + args + " > '" +
                              out + "' 2>&1";
  int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out, std::ios::binary);
  run.out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return run;
}

// The password after "一次性密码：" in the command's output.
std::string PrintedPassword(const std::string& out) {
  const std::string marker = "一次性密码：";
  size_t at = out.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  return out.substr(at, out.find('\n', at) - at);
}

TEST(AccessCli, UnitsAndUsersFromTheCommandLine) {
  const fs::path dir = fs::temp_directory_path() / ("taizhang_access_cli_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  EXPECT_EQ(RunCli("unit add 某县 --alias 某县人民政府", dir).exit_code, 0);
  CliRun unit = RunCli("unit add 县水利局 --parent 某县 --alias 某县水利局", dir);
  EXPECT_EQ(unit.exit_code, 0);
  EXPECT_EQ(unit.out, "已新增单位 某县 / 县水利局。\n");
  EXPECT_EQ(RunCli("unit add 县水利局 --parent 某县", dir).exit_code, 2);  // taken
  EXPECT_EQ(RunCli("unit list", dir).out, "某县（又作 某县人民政府）\n  县水利局（又作 某县水利局）\n");

  CliRun both = RunCli("user add both --role 系统管理员 --role 安全管理员", dir);
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.out.find("三者分立"), std::string::npos) << both.out;
  CliRun added = RunCli("user add lisi --role 填报员、督查员 --unit 县水利局 --display-name 李四", dir);
  ASSERT_EQ(added.exit_code, 0) << added.out;
  EXPECT_NE(added.out.find("已新增用户 lisi（督查员、填报员）。"), std::string::npos) << added.out;
  const std::string once = PrintedPassword(added.out);
  ASSERT_EQ(once.size(), 16u) << added.out;
  EXPECT_EQ(RunCli("user list", dir).out,
            "登录名\t姓名\t角色\t所属单位\t管辖范围\t状态\nlisi\t李四\t督查员、填报员\t县水利局\t县水利局\t正常（须修改密码）\n");

  // The printed password logs in once, with a change forced.
  {
    auto ledger = LedgerStore::Open((dir / "taizhang.db").string(), "server");
    ASSERT_TRUE(ledger.ok());
    AccessOptions options;
    options.hash_ops = 1;
    options.hash_memory = 8192;
    auto access = AccessStore::Open(ledger->get(), options);
    ASSERT_TRUE(access.ok());
    auto login = (*access)->Login("lisi", once, "10.0.0.1");
    ASSERT_TRUE(login.ok());
    ASSERT_EQ(login->outcome, LoginResult::kSuccess) << login->message;
    EXPECT_TRUE(login->principal.must_change_password);
    for (int i = 0; i < 5; ++i) (void)(*access)->Login("lisi", "Wrong#2024", "10.0.0.1");
    EXPECT_EQ((*access)->Login("lisi", once, "10.0.0.1")->outcome, LoginResult::kLocked);
  }
  EXPECT_NE(RunCli("user list", dir).out.find("已锁定至 "), std::string::npos);
  EXPECT_EQ(RunCli("user unlock lisi", dir).out, "已解锁用户 lisi。\n");
  EXPECT_EQ(RunCli("user unlock nobody", dir).exit_code, 2);
  CliRun reset = RunCli("user passwd lisi", dir);
  EXPECT_EQ(reset.exit_code, 0);
  const std::string again = PrintedPassword(reset.out);
  EXPECT_EQ(again.size(), 16u);
  EXPECT_NE(again, once);
  {
    auto ledger = LedgerStore::Open((dir / "taizhang.db").string(), "server");
    ASSERT_TRUE(ledger.ok());
    AccessOptions options;
    options.hash_ops = 1;
    options.hash_memory = 8192;
    auto access = AccessStore::Open(ledger->get(), options);
    ASSERT_TRUE(access.ok());
    EXPECT_EQ((*access)->Login("lisi", once, "10.0.0.1")->outcome, LoginResult::kRefused);
    EXPECT_EQ((*access)->Login("lisi", again, "10.0.0.1")->outcome, LoginResult::kSuccess);
    auto raw = ledger_internal::OpenSqlite((dir / "taizhang.db").string());
    ASSERT_TRUE(raw.ok());
    std::vector<ledger_internal::Row> rows;
    ASSERT_TRUE(Ok((*raw)->Execute("SELECT actor, action FROM audit_log WHERE actor LIKE '命令行:%' ORDER BY id", {},
                                   &rows)));
    std::string actions;
    for (const auto& r : rows) {
      EXPECT_EQ(r.Text(0), "命令行:tester");
      actions += r.Text(1) + " ";
    }
    EXPECT_EQ(actions, "unit_add unit_add unit_add user_add user_add user_unlock user_unlock password_reset ");
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace taizhang
