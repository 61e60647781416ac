// Reminders inside `taizhang serve`: the timer sends what is due once, also
// with two servers on one database (each its own timer), and an item's log
// is shown by GET /api/v1/items/{id}/reminders to those who may read the
// item. The receiver is a DingTalk robot stand-in on 127.0.0.1 that checks
// each request's signature (HMAC-SHA256 of "timestamp\nsecret", base64,
// url-encoded); a second channel points at a port where nothing listens.
// On SQLite and PostgreSQL.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/calendar.h"
#include "remind/remind.h"
#include "server/server_test_util.h"

namespace taizhang {
namespace {

using nlohmann::json;
using server_test::Http;
using server_test::LiveServer;
using server_test::Reply;
using server_test::ScratchPostgres;
using server_test::Session;

constexpr const char* kSecret = "SECb7d1e0c4a9f35c2e8d6b1a0f4e7c9d2a";

std::string PercentDecode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string QueryValue(const std::string& target, const std::string& name) {
  size_t q = target.find('?');
  if (q == std::string::npos) return "";
  std::string query = target.substr(q + 1);
  for (size_t at = 0; at <= query.size();) {
    size_t end = query.find('&', at);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(at, end - at);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    at = end + 1;
  }
  return "";
}

// A DingTalk group robot on 127.0.0.1: one request per connection, the
// signature checked, the texts it accepted kept.
class DingTalkReceiver {
 public:
  DingTalkReceiver() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 16);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~DingTalkReceiver() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/robot/send?access_token=tk"; }
  std::vector<std::string> texts() {
    std::lock_guard<std::mutex> lock(mutex_);
    return texts_;
  }
  int refused() {
    std::lock_guard<std::mutex> lock(mutex_);
    return refused_;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::string data;
      char buf[4096];
      size_t need = std::string::npos;
      while (need == std::string::npos || data.size() < need) {
        ssize_t n = recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        data.append(buf, static_cast<size_t>(n));
        size_t head = data.find("\r\n\r\n");
        if (head != std::string::npos && need == std::string::npos) {
          size_t cl = data.find("Content-Length: ");
          if (cl == std::string::npos) cl = data.find("content-length: ");
          need = head + 4 + (cl == std::string::npos ? 0 : std::stoul(data.substr(cl + 16)));
        }
      }
      std::string target = data.substr(data.find(' ') + 1);
      target = target.substr(0, target.find(' '));
      std::string body = data.substr(std::min(data.size(), data.find("\r\n\r\n") + 4));
      std::string timestamp = QueryValue(target, "timestamp");
      std::string sign = PercentDecode(QueryValue(target, "sign"));
      bool ok = !timestamp.empty() && sign == DingTalkSignature(std::stoll(timestamp), kSecret) &&
                QueryValue(target, "access_token") == "tk";
      std::string answer = ok ? R"({"errcode":0,"errmsg":"ok"})" : R"({"errcode":310000,"errmsg":"sign not match"})";
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (ok) {
          texts_.push_back(json::parse(body)["text"]["content"].get<std::string>());
        } else {
          ++refused_;
        }
      }
      std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(answer.size()) + "\r\nConnection: close\r\n\r\n" + answer;
      send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
      close(c);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> texts_;
  int refused_ = 0;
};

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::string Today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char day[16];
  std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
  return day;
}

bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

void TwoServersSendOnceAndTheItemShowsItsLog(const std::string& db_url) {
  DingTalkReceiver robot;
  ServeOptions options;
  options.remind_interval = std::chrono::milliseconds(150);
  std::mutex said_mutex;
  std::vector<std::string> said;
  options.remind_log = [&](const std::string& text) {
    std::lock_guard<std::mutex> lock(said_mutex);
    said.push_back(text);
  };
  // The rules first, then the servers (whose timers start at once).
  LiveServer first(db_url, options);
  ASSERT_TRUE(first.ok());
  first.AddUnit("某县");
  first.AddUnit("县水利局", "某县");
  first.AddUnit("县农业农村局", "某县");
  const std::string late_day = *calendar::AddDays(Today(), -5);
  int64_t late_id = 0, farm_id = 0;
  first.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    NewItem late;
    late.unit = "县水利局";
    late.task = "完成病险水库除险加固";
    late.deadline = late_day;
    auto added = ledger.AddItem(late);
    ASSERT_TRUE(added.ok()) << added.status().message();
    late_id = added->id;
    NewItem farm;
    farm.unit = "县农业农村局";
    farm.task = "完成高标准农田验收";
    farm.deadline = *calendar::AddDays(Today(), 30);
    farm_id = ledger.AddItem(farm)->id;
    auto remind = RemindStore::Open(&ledger);
    ASSERT_TRUE(remind.ok()) << remind.status().message();
    ReminderChannel robot_channel;
    robot_channel.name = "督查群";
    robot_channel.kind = ChannelKind::kDingTalk;
    robot_channel.url = robot.url();
    robot_channel.secret = kSecret;
    ASSERT_TRUE((*remind)->AddChannel(robot_channel).ok());
    ReminderChannel down;
    down.name = "断线回调";
    down.kind = ChannelKind::kWebhook;
    down.url = "http://127.0.0.1:" + std::to_string(FreePort()) + "/hook";
    ASSERT_TRUE((*remind)->AddChannel(down).ok());
    ReminderRule rule;
    rule.name = "逾期每3天";
    rule.kind = RuleKind::kOverdue;
    rule.days = 3;
    rule.channels = {"督查群", "断线回调"};
    auto added_rule = (*remind)->AddRule(rule);
    ASSERT_TRUE(added_rule.ok()) << added_rule.status().message();
  });
  LiveServer second(first.db(), options);
  ASSERT_TRUE(second.ok());

  // Both timers run several rounds: the robot gets the reminder once.
  ASSERT_TRUE(WaitFor([&] { return !robot.texts().empty(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  std::vector<std::string> texts = robot.texts();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(robot.refused(), 0);
  EXPECT_NE(texts[0].find("完成病险水库除险加固"), std::string::npos) << texts[0];
  EXPECT_NE(texts[0].find("事项 " + std::to_string(late_id)), std::string::npos) << texts[0];
  EXPECT_NE(texts[0].find(ChineseDay(late_day)), std::string::npos) << texts[0];
  EXPECT_NE(texts[0].find("已逾期 5 天"), std::string::npos) << texts[0];
  {
    // What the rounds said, summed over both servers (each may have claimed one of the two).
    std::lock_guard<std::mutex> lock(said_mutex);
    int sent = 0, failed = 0;
    for (const std::string& line : said) {
      const std::string a = "催办：已发送 ", b = " 条，未能送达 ";
      ASSERT_EQ(line.rfind(a, 0), 0u) << line;
      sent += std::stoi(line.substr(a.size()));
      failed += std::stoi(line.substr(line.find(b) + b.size()));
    }
    EXPECT_EQ(sent, 1);
    EXPECT_EQ(failed, 1);
  }

  // The item's log, to a supervisor of its unit; hidden from another unit.
  Session supervisor = first.AddUser("sup", RoleBit(UserRole::kSupervisor), "县水利局");
  Session other = first.AddUser("farm", RoleBit(UserRole::kReporter), "县农业农村局");
  Reply reply = second.Get(supervisor, "/api/v1/items/" + std::to_string(late_id) + "/reminders");
  ASSERT_EQ(reply.status, 200) << reply.body;
  json body = reply.Json();
  EXPECT_EQ(body["item"], late_id);
  json reminders = body["reminders"];
  ASSERT_EQ(reminders.size(), 2u) << body.dump();
  bool delivered = false, failed = false;
  for (const json& r : reminders) {
    EXPECT_EQ(r["rule"], "逾期每3天");
    EXPECT_EQ(r["occasion"], *calendar::AddDays(late_day, 4));  // the day after, then every 3 days: +1, +4
    if (r["channel"] == "督查群") {
      delivered = r["state"] == "sent" && r["error"] == "" && r["attempts"] == 1 && r["sent_at"] != "";
      EXPECT_EQ(r["channel_kind"], "dingtalk");
      EXPECT_EQ(r["message"], texts[0]);
    } else {
      failed = r["state"] == "failed" && r["channel"] == "断线回调" && r["sent_at"] == "" && r["attempts"] >= 1;
      EXPECT_NE(r["error"].get<std::string>().find("断线回调"), std::string::npos) << r.dump();
    }
    EXPECT_EQ(r.dump().find(kSecret), std::string::npos);
  }
  EXPECT_TRUE(delivered) << reminders.dump();
  EXPECT_TRUE(failed) << reminders.dump();
  EXPECT_EQ(second.Get(other, "/api/v1/items/" + std::to_string(late_id) + "/reminders").status, 404);
  Reply farm = second.Get(other, "/api/v1/items/" + std::to_string(farm_id) + "/reminders");
  ASSERT_EQ(farm.status, 200);
  EXPECT_TRUE(farm.Json()["reminders"].empty());
  EXPECT_EQ(Http(second.address(), "GET", "/api/v1/items/" + std::to_string(late_id) + "/reminders").status, 401);
  EXPECT_EQ(second.Get(supervisor, "/api/v1/items/999999/reminders").status, 404);
}

TEST(ServeReminders, TwoServersSendOnceAndTheItemShowsItsLogOnSqlite) {
  TwoServersSendOnceAndTheItemShowsItsLog("");
}

TEST(ServeReminders, TwoServersSendOnceAndTheItemShowsItsLogOnPostgres) {
  ScratchPostgres pg("reminders");
  TAIZHANG_POSTGRES_OR_SKIP(pg);
  TwoServersSendOnceAndTheItemShowsItsLog(pg.url());
}

}  // namespace
}  // namespace taizhang
