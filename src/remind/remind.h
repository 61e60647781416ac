// Stage — remind (催办): reminders of the ledger's deadlines sent where people
// work. Channels are the group robots offices use (DingTalk with its signed
// requests, WeCom), e-mail over SMTP and a generic JSON webhook; rules say
// when (N days before a deadline, on the day, every N days while overdue or
// awaiting close-off, a daily or weekly digest per unit) and for which units
// (a unit subtree, or all). Everything lives in the ledger's database
// (schema version 13), beside the accounts of access/.
//
//   auto ledger = taizhang::LedgerStore::Open("taizhang.db", "命令行:admin");
//   auto remind = taizhang::RemindStore::Open(ledger->get());
//   (*remind)->AddChannel({.name = "督查群", .kind = ChannelKind::kDingTalk, .url = …, .secret = "SEC…"});
//   (*remind)->AddRule({.name = "到期前3天", .kind = RuleKind::kBeforeDeadline, .days = 3,
//                       .channels = {"督查群"}});
//   auto run = (*remind)->Run({});   // what was due today, sent once
//
// Every reminder is a row of the log (rule, item or unit, occasion day,
// channel, recipient, sent-at, delivered or the error, attempts), claimed in
// a transaction before it is sent: its UNIQUE key lets exactly one process
// of several on one database send it. A failed delivery is tried again by a
// later run after a back-off that doubles; one channel failing never stops
// the others. The library never prints: results are data, texts Chinese.
#ifndef TAIZHANG_REMIND_REMIND_H_
#define TAIZHANG_REMIND_REMIND_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/access.h"
#include "common/status.h"
#include "ledger/ledger.h"

namespace taizhang {

// --- Channels ---------------------------------------------------------------------

enum class ChannelKind : uint8_t { kDingTalk, kWeCom, kEmail, kWebhook };
const char* ChannelKindName(ChannelKind kind);   // "dingtalk" "wecom" "email" "webhook"
const char* ChannelKindLabel(ChannelKind kind);  // 钉钉群机器人 企业微信群机器人 电子邮件 JSON 回调
// The name or the label (also 钉钉, 企业微信, 邮件).
std::optional<ChannelKind> ParseChannelKind(std::string_view text);

struct ReminderChannel {
  int64_t id = 0;
  std::string name;  // how rules and the log name it: 1–64 bytes
  ChannelKind kind = ChannelKind::kWebhook;
  // The robot's or webhook's address (https://oapi.dingtalk.com/robot/send?access_token=…);
  // e-mail: the SMTP server, smtp://host:port or smtps://host:port.
  std::string url;
  // DingTalk: the robot's 加签 secret (SEC…); e-mail: the login's password.
  // Never printed by a front end (SecretShown).
  std::string secret;
  std::string login;   // e-mail: the SMTP login, "" none
  std::string sender;  // e-mail: the From address
  // E-mail: the addresses it is sent to; DingTalk and WeCom: mobile numbers
  // to @ in the group, may be empty.
  std::vector<std::string> recipients;
  bool enabled = true;
  std::string created_at, created_by;
};

// How a front end shows a secret: "已设置" or "未设置", never the secret.
std::string SecretShown(const std::string& secret);

// --- Rules ------------------------------------------------------------------------

enum class RuleKind : uint8_t {
  kBeforeDeadline,    // `days` days before the deadline (and every day after, until it, if missed)
  kOnDeadline,        // on the day of the deadline
  kOverdue,           // overdue: the day after the deadline, then every `days` days
  kAwaitingCloseOff,  // 待销号: `days` days after the rectification was submitted, then every `days` days
  kDigest,            // per unit: overdue and due within 7 days; `days` 1 daily, 7 weekly (Mondays)
};
const char* RuleKindName(RuleKind kind);   // "before" "due" "overdue" "closeoff" "digest"
const char* RuleKindLabel(RuleKind kind);  // 到期前 到期当天 逾期 待销号 汇总
std::optional<RuleKind> ParseRuleKind(std::string_view text);

struct ReminderRule {
  int64_t id = 0;
  std::string name;  // 1–64 bytes
  RuleKind kind = RuleKind::kBeforeDeadline;
  int days = 0;  // see RuleKind; 0 only for kOnDeadline
  // A unit of the unit tree (name or alias): the items of it and its
  // subtree (UnitTree::ItemUnits); "" every item.
  std::string scope_unit;
  std::vector<std::string> channels;  // channel names, at least one
  bool enabled = true;
  std::string created_at, created_by;
};
// What the rule says, in Chinese: "到期前 3 天" "逾期后每 7 天" "每周汇总（周一）".
std::string RuleWhen(const ReminderRule& rule);

// --- The log ----------------------------------------------------------------------

struct ReminderLogEntry {
  int64_t id = 0;
  int64_t rule_id = 0;
  std::string rule;   // its name
  int64_t item_id = 0;  // 0 for a digest
  std::string unit;     // a digest's unit, "" otherwise
  std::string occasion;  // the day it is for, YYYY-MM-DD
  int64_t channel_id = 0;
  std::string channel;  // its name
  std::string channel_kind;  // ChannelKindName
  std::string recipient;     // who it went to (the addresses, or the group robot)
  std::string state;         // "sent", "failed" (tried again later), "sending"
  std::string error;         // the last failure, Chinese with the receiver's words; "" none
  int attempts = 0;
  std::string message;       // the text sent
  std::string created_at;    // ISO 8601 UTC
  std::string sent_at;       // ISO 8601 UTC, "" not delivered
  int64_t next_attempt = 0;  // Unix seconds of the next try of a failed one
};

// --- Running ----------------------------------------------------------------------

struct RemindOptions {
  std::string today;  // YYYY-MM-DD the rules are computed against; "" the ledger store's today()
  const Clock* clock = nullptr;  // sent-at, back-off, claims; nullptr: the system clock
  std::string runner;            // names this process in the log ("" host:pid)
  int64_t retry_base_seconds = 300;  // back-off after the n-th failure: base × 2^(n−1), at most a day
  int max_attempts = 6;              // then a failed reminder is left as it is
  int64_t claim_seconds = 600;       // a "sending" row of a process that died is taken again after this
  long timeout_ms = 10000;           // each HTTP request or mail
};

struct RemindRun {
  std::vector<ReminderLogEntry> sent;    // delivered by this run (first tries and retries)
  std::vector<ReminderLogEntry> failed;  // tried by this run and failed (with the error)
  int64_t already = 0;  // due, but sent (or being sent, or waiting for its retry) before
};

// Not thread-safe, like the LedgerStore it uses: one per thread.
class RemindStore {
 public:
  // Over `ledger`'s connection; `ledger` must outlive this store.
  static Result<std::unique_ptr<RemindStore>> Open(LedgerStore* ledger);
  ~RemindStore();

  // Channels and rules, each change one transaction; just before it
  // commits, each change (also enabling, disabling, updating and deleting)
  // runs the ledger's before-commit hook (LedgerStore::set_before_commit),
  // so that a front end's audit row commits with the change or neither
  // does (a failing hook undoes the change and is what it returns).
  // kInvalidArgument (a message naming the field) for a bad name, kind,
  // address or missing secret; kNotFound for a name not held.
  Result<ReminderChannel> AddChannel(const ReminderChannel& channel);
  Result<std::vector<ReminderChannel>> Channels();
  Status SetChannelEnabled(const std::string& name, bool enabled);
  Result<ReminderRule> AddRule(const ReminderRule& rule);
  Result<std::vector<ReminderRule>> Rules();
  Status SetRuleEnabled(const std::string& name, bool enabled);
  // By id (the API), each one transaction: the whole new value, checked as
  // AddChannel and AddRule check it. A channel keeps its name (rules name
  // it) and, with `keep_secret`, its stored secret. Deleting refuses
  // (kInvalidArgument, saying to disable it instead) a channel or rule the
  // log holds reminders of, and a channel a rule names. kNotFound for an id
  // not held.
  Result<ReminderChannel> UpdateChannel(int64_t id, const ReminderChannel& channel, bool keep_secret);
  Status DeleteChannel(int64_t id);
  Result<ReminderRule> UpdateRule(int64_t id, const ReminderRule& rule);
  Status DeleteRule(int64_t id);

  // Sends what the enabled rules make due on options.today through their
  // enabled channels, and retries failed ones whose back-off has passed.
  // A delivery failing is data (RemindRun::failed), not an error; an error
  // is the store failing.
  Result<RemindRun> Run(const RemindOptions& options);

  // The log: of one item (newest first), or the latest `limit` rows.
  Result<std::vector<ReminderLogEntry>> ItemLog(int64_t item_id);
  Result<std::vector<ReminderLogEntry>> Log(int64_t limit);

  // A test message through channel `name` now (not logged): Ok, or the
  // delivery's error.
  Status SendTest(const std::string& name, const RemindOptions& options);

 private:
  explicit RemindStore(LedgerStore* ledger);
  Status RuleProblem(const ReminderRule& rule);  // why `rule` cannot be stored, or Ok
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// --- The calendar feed ----------------------------------------------------------

// An iCalendar (RFC 5545) of deadlines, written with libical, that Outlook,
// WPS and phone calendars subscribe to (calendar_feed.cc). One all-day
// event (DTSTART;VALUE=DATE, DTEND the day after) per item of `items` that
// is accepted, unfinished (IsFinished false) and has a deadline; its UID
// ("taizhang-item-<id>@<uid_domain>") stays the item's, so a calendar that
// fetches the feed again updates the event instead of adding another, and
// SEQUENCE is the item's row version. SUMMARY 「时限」县水利局：任务;
// DESCRIPTION the item's number, unit, status, latest progress and
// deadline; an alarm at 9 o'clock the day before. Items without a deadline
// or finished are left out (a finished item's event disappears from
// subscribed calendars).
struct CalendarFeedOptions {
  std::string name;  // X-WR-CALNAME, Chinese: "台账时限（县水利局）"
  std::string uid_domain = "taizhang";
  int64_t stamp = 0;  // DTSTAMP, Unix seconds (the time of the feed)
};
// The feed, CRLF lines folded at 75 octets (never inside a character);
// kInternal when libical fails.
Result<std::string> DeadlineCalendar(const std::vector<LedgerItem>& items, const CalendarFeedOptions& options);
// Whether an item has an event in DeadlineCalendar.
bool HasCalendarEvent(const LedgerItem& item);

// "2026年3月1日" of "2026-03-01" (the text itself when it is no ISO day).
std::string ChineseDay(std::string_view iso_day);

// DingTalk's signature of a request: base64 of HMAC-SHA256(key `secret`,
// "timestamp\nsecret"), as its robot API asks (timestamp in milliseconds);
// the caller percent-encodes it into the URL.
std::string DingTalkSignature(int64_t timestamp_ms, const std::string& secret);

}  // namespace taizhang

#endif  // TAIZHANG_REMIND_REMIND_H_
