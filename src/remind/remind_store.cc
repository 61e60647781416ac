// RemindStore: channels, rules and the reminder log in the ledger's database
// (schema version 13), and the run that sends what is due.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/calendar.h"
#include "remind/remind.h"
#include "remind/transport.h"
#include "ledger/database.h"

namespace taizhang {

using ledger_internal::Database;
using ledger_internal::Row;
using ledger_internal::Transaction;
using ledger_internal::Value;

namespace {

Status Invalid(const std::string& message) { return Status(StatusCode::kInvalidArgument, message); }

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// RFC 3986 percent-encoding of everything but the unreserved characters (a
// base64 signature in a query: + / =).
std::string PercentEncode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string JoinComma(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::vector<std::string> SplitList(const std::string& text) { return ParseUnitList(text); }

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

std::string DefaultRunner() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid());
}

// --- Messages -------------------------------------------------------------------------

std::string ItemLabel(const LedgerItem& item) {
  return "“" + item.task + "”（事项 " + std::to_string(item.id) + "）";
}

std::string ItemMessage(const ReminderRule& rule, const LedgerItem& item, int64_t today) {
  const std::string unit = item.unit.empty() ? "（未写责任单位）" : item.unit;
  std::string text;
  const int64_t deadline = calendar::ParseIsoDay(item.deadline).value_or(today);
  switch (rule.kind) {
    case RuleKind::kBeforeDeadline:
      text = "【催办】" + unit + "：" + ItemLabel(item) + "将于" + ChineseDay(item.deadline) + "到期，还有 " +
             std::to_string(deadline - today) + " 天，请抓紧推进并及时报送进展。";
      break;
    case RuleKind::kOnDeadline:
      text = "【催办】" + unit + "：" + ItemLabel(item) + "今天（" + ChineseDay(item.deadline) +
             "）到期，请按时完成并报送进展。";
      break;
    case RuleKind::kOverdue:
      text = "【逾期催办】" + unit + "：" + ItemLabel(item) + "时限为" + ChineseDay(item.deadline) + "，已逾期 " +
             std::to_string(today - deadline) + " 天，请尽快完成并说明情况。";
      break;
    case RuleKind::kAwaitingCloseOff: {
      const std::string day = item.submitted_at.substr(0, 10);
      const int64_t submitted = calendar::ParseIsoDay(day).value_or(today);
      text = "【待销号】" + unit + "：" + ItemLabel(item) + "的整改已于" + ChineseDay(day) + "提交" +
             (item.submitted_by.empty() ? "" : "（提交人 " + item.submitted_by + "）") + "，已等待 " +
             std::to_string(today - submitted) + " 天，请督查员核实销号。";
      break;
    }
    case RuleKind::kDigest:
      break;
  }
  if (!item.deadline.empty() && rule.kind != RuleKind::kBeforeDeadline && rule.kind != RuleKind::kOnDeadline &&
      rule.kind != RuleKind::kOverdue) {
    text += "（时限 " + ChineseDay(item.deadline) + "）";
  }
  return text;
}

std::string DigestMessage(const ReminderRule& rule, const std::string& unit, const std::vector<LedgerItem>& overdue,
                          const std::vector<LedgerItem>& due_soon, int64_t today) {
  std::string text = std::string(rule.days >= 7 ? "【每周汇总】" : "【每日汇总】") + unit + "，截至" +
                     ChineseDay(calendar::FormatIsoDay(today)) + "：逾期 " + std::to_string(overdue.size()) +
                     " 项，7 天内到期 " + std::to_string(due_soon.size()) + " 项。";
  int n = 0;
  if (!overdue.empty()) text += "\n逾期：";
  for (const LedgerItem& item : overdue) {
    const int64_t deadline = calendar::ParseIsoDay(item.deadline).value_or(today);
    text += "\n" + std::to_string(++n) + ". " + ItemLabel(item) + "，时限" + ChineseDay(item.deadline) + "，已逾期 " +
            std::to_string(today - deadline) + " 天";
  }
  if (!due_soon.empty()) text += "\n即将到期：";
  for (const LedgerItem& item : due_soon) {
    const int64_t deadline = calendar::ParseIsoDay(item.deadline).value_or(today);
    text += "\n" + std::to_string(++n) + ". " + ItemLabel(item) + "，时限" + ChineseDay(item.deadline) + "，还有 " +
            std::to_string(deadline - today) + " 天";
  }
  return text;
}

// --- Occasions ------------------------------------------------------------------------

// The day of the latest occasion of `rule` for `item` on or before `today`
// that is still due; nullopt when the rule asks nothing of the item today.
std::optional<int64_t> ItemOccasion(const ReminderRule& rule, const LedgerItem& item, int64_t today) {
  if (rule.kind == RuleKind::kAwaitingCloseOff) {
    if (item.status != ItemStatus::kAwaitingCloseOff) return std::nullopt;
    auto submitted = calendar::ParseIsoDay(item.submitted_at.substr(0, std::min<size_t>(10, item.submitted_at.size())));
    if (!submitted || rule.days <= 0) return std::nullopt;
    const int64_t waited = today - *submitted;
    if (waited < rule.days) return std::nullopt;
    return *submitted + waited / rule.days * rule.days;
  }
  if (IsFinished(item.status) || item.status == ItemStatus::kAwaitingCloseOff) return std::nullopt;
  auto deadline = calendar::ParseIsoDay(item.deadline);
  if (!deadline) return std::nullopt;
  switch (rule.kind) {
    case RuleKind::kBeforeDeadline:
      if (today >= *deadline - rule.days && today < *deadline) return *deadline - rule.days;
      return std::nullopt;
    case RuleKind::kOnDeadline:
      if (today == *deadline) return *deadline;
      return std::nullopt;
    case RuleKind::kOverdue: {
      if (today <= *deadline || rule.days <= 0) return std::nullopt;
      const int64_t late = today - *deadline;  // ≥ 1
      return *deadline + 1 + (late - 1) / rule.days * rule.days;
    }
    default:
      return std::nullopt;
  }
}

// --- Rows -----------------------------------------------------------------------------

ReminderChannel ChannelOf(const Row& r) {
  ReminderChannel c;
  c.id = r.Int(0);
  c.name = r.Text(1);
  c.kind = ParseChannelKind(r.Text(2)).value_or(ChannelKind::kWebhook);
  c.url = r.Text(3);
  c.secret = r.Text(4);
  c.login = r.Text(5);
  c.sender = r.Text(6);
  c.recipients = SplitList(r.Text(7));
  c.enabled = r.Int(8) != 0;
  c.created_at = r.Text(9);
  c.created_by = r.Text(10);
  return c;
}
constexpr const char* kChannelColumns =
    "id, name, kind, url, secret, login, sender, recipients, enabled, created_at, created_by";

ReminderRule RuleOf(const Row& r) {
  ReminderRule rule;
  rule.id = r.Int(0);
  rule.name = r.Text(1);
  rule.kind = ParseRuleKind(r.Text(2)).value_or(RuleKind::kOnDeadline);
  rule.days = static_cast<int>(r.Int(3));
  rule.scope_unit = r.Text(4);
  rule.channels = SplitList(r.Text(5));
  rule.enabled = r.Int(6) != 0;
  rule.created_at = r.Text(7);
  rule.created_by = r.Text(8);
  return rule;
}
constexpr const char* kRuleColumns = "id, name, kind, days, scope_unit, channels, enabled, created_at, created_by";

constexpr const char* kLogColumns =
    "l.id, l.rule_id, r.name, l.item_id, l.unit, l.occasion, l.channel_id, c.name, c.kind, l.recipient, l.state, "
    "l.error, l.attempts, l.message, l.created_at, l.sent_at, l.next_attempt";
constexpr const char* kLogFrom =
    " FROM reminder_log l JOIN reminder_rules r ON r.id = l.rule_id JOIN reminder_channels c ON c.id = l.channel_id";

ReminderLogEntry LogOf(const Row& r) {
  ReminderLogEntry e;
  e.id = r.Int(0);
  e.rule_id = r.Int(1);
  e.rule = r.Text(2);
  e.item_id = r.Int(3);
  e.unit = r.Text(4);
  e.occasion = r.Text(5);
  e.channel_id = r.Int(6);
  e.channel = r.Text(7);
  e.channel_kind = r.Text(8);
  e.recipient = r.Text(9);
  e.state = r.Text(10);
  e.error = r.Text(11);
  e.attempts = static_cast<int>(r.Int(12));
  e.message = r.Text(13);
  e.created_at = r.Text(14);
  e.sent_at = r.Text(15);
  e.next_attempt = r.Int(16);
  return e;
}

// --- Delivery ---------------------------------------------------------------------------

std::string Recipient(const ReminderChannel& channel) {
  if (channel.kind == ChannelKind::kEmail) return JoinComma(channel.recipients);
  std::string text = std::string(ChannelKindLabel(channel.kind)) + "“" + channel.name + "”";
  if (!channel.recipients.empty()) text += "，@" + JoinComma(channel.recipients);
  return text;
}

// "=?UTF-8?B?…?=" (RFC 2047) for a header holding Chinese.
std::string EncodedWord(const std::string& text) { return "=?UTF-8?B?" + Base64(text) + "?="; }

std::string MailMessage(const ReminderChannel& channel, const std::string& subject, const std::string& body,
                        int64_t now, const std::string& message_id) {
  char date[64];
  std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::string encoded = Base64(body);
  std::string wrapped;
  for (size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
  return "From: " + EncodedWord("台账催办") + " <" + channel.sender + ">\r\n" +
         "To: " + JoinComma(channel.recipients) + "\r\n" + "Subject: " + EncodedWord(subject) + "\r\n" +
         "Date: " + date + "\r\n" + "Message-ID: <" + message_id + ">\r\n" + "MIME-Version: 1.0\r\n" +
         "Content-Type: text/plain; charset=UTF-8\r\n" + "Content-Transfer-Encoding: base64\r\n\r\n" + wrapped;
}

// What a group robot answered: errcode 0, or the failure in Chinese.
Status RobotAnswer(const ReminderChannel& channel, const remind_internal::HttpAnswer& answer) {
  const std::string who = std::string(ChannelKindLabel(channel.kind)) + "“" + channel.name + "”";
  if (answer.status < 200 || answer.status >= 300) {
    return Status(StatusCode::kUnreadable, who + "答复 HTTP " + std::to_string(answer.status) + "：" +
                                               answer.body.substr(0, 200));
  }
  nlohmann::json j = nlohmann::json::parse(answer.body, nullptr, false);
  if (!j.is_object() || !j.contains("errcode")) {
    return Status(StatusCode::kUnreadable, who + "的答复不是预期的 JSON：" + answer.body.substr(0, 200));
  }
  if (j["errcode"] != 0) {
    return Status(StatusCode::kUnreadable, who + "拒绝了消息（errcode " + j["errcode"].dump() + "）：" +
                                               j.value("errmsg", std::string()));
  }
  return Status::Ok();
}

struct Delivery {
  std::string subject;  // mail subject
  std::string text;
  nlohmann::json data;  // the webhook's fields
};

Status Deliver(const ReminderChannel& channel, const Delivery& d, const Clock& clock, long timeout_ms,
               const std::string& message_id) {
  const std::vector<std::string> json_headers = {"Content-Type: application/json; charset=utf-8"};
  switch (channel.kind) {
    case ChannelKind::kDingTalk: {
      nlohmann::json body = {{"msgtype", "text"}, {"text", {{"content", d.text}}}};
      if (!channel.recipients.empty()) body["at"] = {{"atMobiles", channel.recipients}, {"isAtAll", false}};
      std::string url = channel.url;
      if (!channel.secret.empty()) {
        const int64_t ms = clock.Now() * 1000;
        url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("timestamp=") + std::to_string(ms) +
               "&sign=" + PercentEncode(DingTalkSignature(ms, channel.secret));
      }
      auto answer = remind_internal::HttpPost(url, json_headers, body.dump(), timeout_ms);
      if (!answer.ok()) return answer.status();
      return RobotAnswer(channel, *answer);
    }
    case ChannelKind::kWeCom: {
      nlohmann::json body = {{"msgtype", "text"}, {"text", {{"content", d.text}}}};
      if (!channel.recipients.empty()) body["text"]["mentioned_mobile_list"] = channel.recipients;
      auto answer = remind_internal::HttpPost(channel.url, json_headers, body.dump(), timeout_ms);
      if (!answer.ok()) return answer.status();
      return RobotAnswer(channel, *answer);
    }
    case ChannelKind::kWebhook: {
      nlohmann::json body = d.data;
      body["text"] = d.text;
      auto answer = remind_internal::HttpPost(channel.url, json_headers, body.dump(), timeout_ms);
      if (!answer.ok()) return answer.status();
      if (answer->status < 200 || answer->status >= 300) {
        return Status(StatusCode::kUnreadable, "回调地址答复 HTTP " + std::to_string(answer->status) + "：" +
                                                   answer->body.substr(0, 200));
      }
      return Status::Ok();
    }
    case ChannelKind::kEmail:
      return remind_internal::SendMail(channel.url, channel.login, channel.secret, channel.sender, channel.recipients,
                                       MailMessage(channel, d.subject, d.text, clock.Now(), message_id), timeout_ms);
  }
  return Status(StatusCode::kInternal, "未知的渠道类型。");
}

std::string FailureText(const ReminderChannel& channel, const Status& status) {
  if (status.code() == StatusCode::kUnreadable && status.message().find(channel.name) == std::string::npos) {
    return std::string(ChannelKindLabel(channel.kind)) + "“" + channel.name + "”未能送达：" + status.message();
  }
  return status.message();
}

}  // namespace

// --- Names ----------------------------------------------------------------------------

const char* ChannelKindName(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kDingTalk: return "dingtalk";
    case ChannelKind::kWeCom: return "wecom";
    case ChannelKind::kEmail: return "email";
    case ChannelKind::kWebhook: return "webhook";
  }
  return "";
}

const char* ChannelKindLabel(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kDingTalk: return "钉钉群机器人";
    case ChannelKind::kWeCom: return "企业微信群机器人";
    case ChannelKind::kEmail: return "电子邮件";
    case ChannelKind::kWebhook: return "JSON 回调";
  }
  return "";
}

std::optional<ChannelKind> ParseChannelKind(std::string_view text) {
  for (ChannelKind k : {ChannelKind::kDingTalk, ChannelKind::kWeCom, ChannelKind::kEmail, ChannelKind::kWebhook}) {
    if (text == ChannelKindName(k) || text == ChannelKindLabel(k)) return k;
  }
  if (text == "钉钉") return ChannelKind::kDingTalk;
  if (text == "企业微信") return ChannelKind::kWeCom;
  if (text == "邮件" || text == "smtp") return ChannelKind::kEmail;
  if (text == "回调") return ChannelKind::kWebhook;
  return std::nullopt;
}

std::string SecretShown(const std::string& secret) { return secret.empty() ? "未设置" : "已设置"; }

const char* RuleKindName(RuleKind kind) {
  switch (kind) {
    case RuleKind::kBeforeDeadline: return "before";
    case RuleKind::kOnDeadline: return "due";
    case RuleKind::kOverdue: return "overdue";
    case RuleKind::kAwaitingCloseOff: return "closeoff";
    case RuleKind::kDigest: return "digest";
  }
  return "";
}

const char* RuleKindLabel(RuleKind kind) {
  switch (kind) {
    case RuleKind::kBeforeDeadline: return "到期前";
    case RuleKind::kOnDeadline: return "到期当天";
    case RuleKind::kOverdue: return "逾期";
    case RuleKind::kAwaitingCloseOff: return "待销号";
    case RuleKind::kDigest: return "汇总";
  }
  return "";
}

std::optional<RuleKind> ParseRuleKind(std::string_view text) {
  for (RuleKind k : {RuleKind::kBeforeDeadline, RuleKind::kOnDeadline, RuleKind::kOverdue,
                     RuleKind::kAwaitingCloseOff, RuleKind::kDigest}) {
    if (text == RuleKindName(k) || text == RuleKindLabel(k)) return k;
  }
  return std::nullopt;
}

std::string RuleWhen(const ReminderRule& rule) {
  const std::string n = std::to_string(rule.days);
  switch (rule.kind) {
    case RuleKind::kBeforeDeadline: return "到期前 " + n + " 天";
    case RuleKind::kOnDeadline: return "到期当天";
    case RuleKind::kOverdue: return rule.days == 1 ? "逾期后每天" : "逾期后每 " + n + " 天";
    case RuleKind::kAwaitingCloseOff: return "待销号满 " + n + " 天起每 " + n + " 天";
    case RuleKind::kDigest: return rule.days >= 7 ? "每周汇总（周一）" : "每日汇总";
  }
  return "";
}

std::string ChineseDay(std::string_view iso_day) {
  auto days = calendar::ParseIsoDay(iso_day);
  if (!days) return std::string(iso_day);
  calendar::CivilDay d = calendar::CivilFromDays(*days);
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

std::string DingTalkSignature(int64_t timestamp_ms, const std::string& secret) {
  const std::string to_sign = std::to_string(timestamp_ms) + "\n" + secret;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(), mac, &size);
  return Base64(std::string(reinterpret_cast<const char*>(mac), size));
}

// --- The store --------------------------------------------------------------------------

struct RemindStore::Impl {
  LedgerStore* ledger;
  Database* db;
};

RemindStore::RemindStore(LedgerStore* ledger) : impl_(std::make_unique<Impl>(Impl{ledger, ledger->database()})) {}
RemindStore::~RemindStore() = default;

Result<std::unique_ptr<RemindStore>> RemindStore::Open(LedgerStore* ledger) {
  if (ledger->schema_version() < 13) {
    return Status(StatusCode::kInternal, ledger->Describe() + "的结构版本低于 13，没有催办的表。");
  }
  return std::unique_ptr<RemindStore>(new RemindStore(ledger));
}

namespace {

// Why `channel` cannot be stored, or Ok.
Status ChannelProblem(const ReminderChannel& channel) {
  if (!ValidName(channel.name)) return Invalid("渠道名称须为 1 至 64 字节，不含控制字符。");
  const bool http = channel.url.rfind("http://", 0) == 0 || channel.url.rfind("https://", 0) == 0;
  const bool smtp = channel.url.rfind("smtp://", 0) == 0 || channel.url.rfind("smtps://", 0) == 0;
  if (channel.kind == ChannelKind::kEmail) {
    if (!smtp) return Invalid("渠道“" + channel.name + "”：邮件服务器地址应写成 smtp://主机:端口 或 smtps://主机:端口。");
    if (channel.sender.find('@') == std::string::npos) return Invalid("渠道“" + channel.name + "”：缺少发件地址（--from）。");
    if (channel.recipients.empty()) return Invalid("渠道“" + channel.name + "”：缺少收件地址（--to）。");
    for (const std::string& r : channel.recipients) {
      if (r.find('@') == std::string::npos) return Invalid("渠道“" + channel.name + "”：收件地址“" + r + "”不是电子邮件地址。");
    }
  } else if (!http) {
    return Invalid("渠道“" + channel.name + "”：地址应以 https:// 或 http:// 开头。");
  }
  if (channel.kind == ChannelKind::kDingTalk && !channel.secret.empty() && channel.secret.rfind("SEC", 0) != 0) {
    return Invalid("渠道“" + channel.name + "”：钉钉机器人的加签密钥以 SEC 开头（机器人安全设置中的“加签”）。");
  }
  return Status::Ok();
}

}  // namespace

Result<ReminderChannel> RemindStore::AddChannel(const ReminderChannel& channel) {
  if (Status problem = ChannelProblem(channel); !problem.ok()) return problem;
  Database* db = impl_->db;
  Transaction tx(db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = db->Execute("SELECT id FROM reminder_channels WHERE name = ?", {channel.name}, &rows);
  if (!s.ok()) return s;
  if (!rows.empty()) return Invalid("已有名为“" + channel.name + "”的渠道。");
  ReminderChannel stored = channel;
  stored.created_at = FormatUtc(SystemClock().Now());
  stored.created_by = impl_->ledger->user();
  s = db->InsertId(
      "INSERT INTO reminder_channels (name, kind, url, secret, login, sender, recipients, enabled, created_at, "
      "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {stored.name, std::string(ChannelKindName(stored.kind)), stored.url, stored.secret, stored.login, stored.sender,
       JoinUnitList(stored.recipients), int64_t{stored.enabled ? 1 : 0}, stored.created_at, stored.created_by},
      &stored.id);
  if (!s.ok()) return s;
  // The front end's audit row, in this transaction (LedgerStore::set_before_commit).
  s = impl_->ledger->BeforeCommit({});
  if (!s.ok()) return s;
  s = tx.Commit();
  if (!s.ok()) return s;
  return stored;
}

Result<std::vector<ReminderChannel>> RemindStore::Channels() {
  std::vector<Row> rows;
  Status s = impl_->db->Execute(std::string("SELECT ") + kChannelColumns + " FROM reminder_channels ORDER BY id", {},
                                &rows);
  if (!s.ok()) return s;
  std::vector<ReminderChannel> out;
  for (const Row& r : rows) out.push_back(ChannelOf(r));
  return out;
}

namespace {
Status SetEnabled(LedgerStore* ledger, Database* db, const char* table, const char* what, const std::string& name, bool enabled) {
  Transaction tx(db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = db->Execute(std::string("SELECT id FROM ") + table + " WHERE name = ?", {name}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return Status(StatusCode::kNotFound, std::string("没有名为“") + name + "”的" + what + "。");
  s = db->Execute(std::string("UPDATE ") + table + " SET enabled = ? WHERE name = ?", {int64_t{enabled ? 1 : 0}, name});
  if (!s.ok()) return s;
  if (s = ledger->BeforeCommit({}); !s.ok()) return s;
  return tx.Commit();
}
}  // namespace

Status RemindStore::SetChannelEnabled(const std::string& name, bool enabled) {
  return SetEnabled(impl_->ledger, impl_->db, "reminder_channels", "渠道", name, enabled);
}

Status RemindStore::SetRuleEnabled(const std::string& name, bool enabled) {
  return SetEnabled(impl_->ledger, impl_->db, "reminder_rules", "规则", name, enabled);
}

Status RemindStore::RuleProblem(const ReminderRule& rule) {
  if (!ValidName(rule.name)) return Invalid("规则名称须为 1 至 64 字节，不含控制字符。");
  if (rule.kind == RuleKind::kOnDeadline ? rule.days != 0 : (rule.days < 1 || rule.days > 366)) {
    return Invalid(rule.kind == RuleKind::kOnDeadline ? "规则“" + rule.name + "”：到期当天的规则不带天数。"
                                                      : "规则“" + rule.name + "”：天数（--days）应在 1 至 366 之间。");
  }
  if (rule.kind == RuleKind::kDigest && rule.days != 1 && rule.days != 7) {
    return Invalid("规则“" + rule.name + "”：汇总的天数只能是 1（每日）或 7（每周）。");
  }
  if (rule.channels.empty()) return Invalid("规则“" + rule.name + "”：至少指定一个渠道（--channel）。");
  auto channels = Channels();
  if (!channels.ok()) return channels.status();
  for (const std::string& name : rule.channels) {
    if (std::none_of(channels->begin(), channels->end(), [&](const ReminderChannel& c) { return c.name == name; })) {
      return Invalid("规则“" + rule.name + "”：没有名为“" + name + "”的渠道（先用 taizhang remind channel add 新增）。");
    }
  }
  if (!rule.scope_unit.empty()) {
    auto access = AccessStore::Open(impl_->ledger);
    if (!access.ok()) return access.status();
    auto tree = (*access)->Units();
    if (!tree.ok()) return tree.status();
    if (tree->FindByName(rule.scope_unit) == nullptr) {
      return Invalid("规则“" + rule.name + "”：单位树中没有“" + rule.scope_unit + "”（taizhang unit list 列出单位）。");
    }
  }
  return Status::Ok();
}

Result<ReminderRule> RemindStore::AddRule(const ReminderRule& rule) {
  if (Status problem = RuleProblem(rule); !problem.ok()) return problem;
  Database* db = impl_->db;
  Transaction tx(db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = db->Execute("SELECT id FROM reminder_rules WHERE name = ?", {rule.name}, &rows);
  if (!s.ok()) return s;
  if (!rows.empty()) return Invalid("已有名为“" + rule.name + "”的规则。");
  ReminderRule stored = rule;
  stored.created_at = FormatUtc(SystemClock().Now());
  stored.created_by = impl_->ledger->user();
  s = db->InsertId(
      "INSERT INTO reminder_rules (name, kind, days, scope_unit, channels, enabled, created_at, created_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {stored.name, std::string(RuleKindName(stored.kind)), int64_t{stored.days}, stored.scope_unit,
       JoinUnitList(stored.channels), int64_t{stored.enabled ? 1 : 0}, stored.created_at, stored.created_by},
      &stored.id);
  if (!s.ok()) return s;
  // The front end's audit row, in this transaction (LedgerStore::set_before_commit).
  s = impl_->ledger->BeforeCommit({});
  if (!s.ok()) return s;
  s = tx.Commit();
  if (!s.ok()) return s;
  return stored;
}

Result<std::vector<ReminderRule>> RemindStore::Rules() {
  std::vector<Row> rows;
  Status s = impl_->db->Execute(std::string("SELECT ") + kRuleColumns + " FROM reminder_rules ORDER BY id", {}, &rows);
  if (!s.ok()) return s;
  std::vector<ReminderRule> out;
  for (const Row& r : rows) out.push_back(RuleOf(r));
  return out;
}

Result<ReminderChannel> RemindStore::UpdateChannel(int64_t id, const ReminderChannel& channel, bool keep_secret) {
  Database* db = impl_->db;
  Transaction tx(db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = db->Execute(std::string("SELECT ") + kChannelColumns + " FROM reminder_channels WHERE id = ?", {id}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return Status(StatusCode::kNotFound, "没有编号为 " + std::to_string(id) + " 的渠道。");
  const ReminderChannel old = ChannelOf(rows[0]);
  if (channel.name != old.name) {
    return Invalid("渠道的名称不能修改（规则按名称指定渠道）：请新增一个渠道，再停用“" + old.name + "”。");
  }
  ReminderChannel stored = channel;
  stored.id = id;
  stored.created_at = old.created_at;
  stored.created_by = old.created_by;
  if (keep_secret) stored.secret = old.secret;
  if (Status problem = ChannelProblem(stored); !problem.ok()) return problem;
  s = db->Execute(
      "UPDATE reminder_channels SET kind = ?, url = ?, secret = ?, login = ?, sender = ?, recipients = ?, enabled = ? "
      "WHERE id = ?",
      {std::string(ChannelKindName(stored.kind)), stored.url, stored.secret, stored.login, stored.sender,
       JoinUnitList(stored.recipients), int64_t{stored.enabled ? 1 : 0}, id});
  if (!s.ok()) return s;
  // The front end's audit row, in this transaction (LedgerStore::set_before_commit).
  s = impl_->ledger->BeforeCommit({});
  if (!s.ok()) return s;
  s = tx.Commit();
  if (!s.ok()) return s;
  return stored;
}

namespace {

// Deletes row `id` of `table` unless the log holds reminders of it.
Status DeleteUnlogged(LedgerStore* ledger, Database* db, const char* table, const char* log_column, const char* what, int64_t id,
                      const std::function<Status(const std::string& name)>& also_check) {
  Transaction tx(db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = db->Execute(std::string("SELECT name FROM ") + table + " WHERE id = ?", {id}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return Status(StatusCode::kNotFound, std::string("没有编号为 ") + std::to_string(id) + " 的" + what + "。");
  const std::string name = rows[0].Text(0);
  if (s = also_check(name); !s.ok()) return s;
  rows.clear();
  s = db->Execute(std::string("SELECT COUNT(*) FROM reminder_log WHERE ") + log_column + " = ?", {id}, &rows);
  if (!s.ok()) return s;
  if (!rows.empty() && rows[0].Int(0) > 0) {
    return Invalid(std::string(what) + "“" + name + "”已有 " + std::to_string(rows[0].Int(0)) +
                   " 条催办记录，不能删除（记录要保留）：请停用它。");
  }
  s = db->Execute(std::string("DELETE FROM ") + table + " WHERE id = ?", {id});
  if (!s.ok()) return s;
  // The front end's audit row, in this transaction (LedgerStore::set_before_commit).
  if (s = ledger->BeforeCommit({}); !s.ok()) return s;
  return tx.Commit();
}

}  // namespace

Status RemindStore::DeleteChannel(int64_t id) {
  return DeleteUnlogged(impl_->ledger, impl_->db, "reminder_channels", "channel_id", "渠道", id, [&](const std::string& name) {
    auto rules = Rules();
    if (!rules.ok()) return rules.status();
    for (const ReminderRule& rule : *rules) {
      if (std::find(rule.channels.begin(), rule.channels.end(), name) != rule.channels.end()) {
        return Invalid("渠道“" + name + "”仍被规则“" + rule.name + "”使用，不能删除：先修改或删除该规则。");
      }
    }
    return Status::Ok();
  });
}

Result<ReminderRule> RemindStore::UpdateRule(int64_t id, const ReminderRule& rule) {
  if (Status problem = RuleProblem(rule); !problem.ok()) return problem;
  Database* db = impl_->db;
  Transaction tx(db);
  Status s = tx.Begin();
  if (!s.ok()) return s;
  std::vector<Row> rows;
  s = db->Execute(std::string("SELECT ") + kRuleColumns + " FROM reminder_rules WHERE id = ?", {id}, &rows);
  if (!s.ok()) return s;
  if (rows.empty()) return Status(StatusCode::kNotFound, "没有编号为 " + std::to_string(id) + " 的规则。");
  const ReminderRule old = RuleOf(rows[0]);
  rows.clear();
  s = db->Execute("SELECT id FROM reminder_rules WHERE name = ? AND id <> ?", {rule.name, id}, &rows);
  if (!s.ok()) return s;
  if (!rows.empty()) return Invalid("已有名为“" + rule.name + "”的规则。");
  ReminderRule stored = rule;
  stored.id = id;
  stored.created_at = old.created_at;
  stored.created_by = old.created_by;
  s = db->Execute(
      "UPDATE reminder_rules SET name = ?, kind = ?, days = ?, scope_unit = ?, channels = ?, enabled = ? WHERE id = ?",
      {stored.name, std::string(RuleKindName(stored.kind)), int64_t{stored.days}, stored.scope_unit,
       JoinUnitList(stored.channels), int64_t{stored.enabled ? 1 : 0}, id});
  if (!s.ok()) return s;
  // The front end's audit row, in this transaction (LedgerStore::set_before_commit).
  s = impl_->ledger->BeforeCommit({});
  if (!s.ok()) return s;
  s = tx.Commit();
  if (!s.ok()) return s;
  return stored;
}

Status RemindStore::DeleteRule(int64_t id) {
  return DeleteUnlogged(impl_->ledger, impl_->db, "reminder_rules", "rule_id", "规则", id,
                        [](const std::string&) { return Status::Ok(); });
}

Result<std::vector<ReminderLogEntry>> RemindStore::ItemLog(int64_t item_id) {
  std::vector<Row> rows;
  Status s = impl_->db->Execute(std::string("SELECT ") + kLogColumns + kLogFrom +
                                    " WHERE l.item_id = ? ORDER BY l.id DESC",
                                {item_id}, &rows);
  if (!s.ok()) return s;
  std::vector<ReminderLogEntry> out;
  for (const Row& r : rows) out.push_back(LogOf(r));
  return out;
}

Result<std::vector<ReminderLogEntry>> RemindStore::Log(int64_t limit) {
  std::vector<Row> rows;
  Status s = impl_->db->Execute(std::string("SELECT ") + kLogColumns + kLogFrom + " ORDER BY l.id DESC LIMIT ?",
                                {limit}, &rows);
  if (!s.ok()) return s;
  std::vector<ReminderLogEntry> out;
  for (const Row& r : rows) out.push_back(LogOf(r));
  return out;
}

Status RemindStore::SendTest(const std::string& name, const RemindOptions& options) {
  auto channels = Channels();
  if (!channels.ok()) return channels.status();
  for (const ReminderChannel& c : *channels) {
    if (c.name != name) continue;
    SystemClock system;
    const Clock& clock = options.clock ? *options.clock : system;
    Delivery d{"台账催办：测试消息", "【测试】这是台账催办的测试消息，渠道“" + name + "”可以送达。",
               {{"kind", "test"}, {"channel", name}}};
    Status s = Deliver(c, d, clock, options.timeout_ms, "test-" + std::to_string(clock.Now()) + "@taizhang");
    if (!s.ok()) return Status(s.code(), FailureText(c, s));
    return Status::Ok();
  }
  return Status(StatusCode::kNotFound, "没有名为“" + name + "”的渠道。");
}

Result<RemindRun> RemindStore::Run(const RemindOptions& options) {
  SystemClock system;
  const Clock& clock = options.clock ? *options.clock : system;
  const std::string runner = options.runner.empty() ? DefaultRunner() : options.runner;
  const std::string today_text = options.today.empty() ? impl_->ledger->today() : options.today;
  auto today_day = calendar::ParseIsoDay(today_text);
  if (!today_day) return Invalid("日期“" + today_text + "”应写成 YYYY-MM-DD。");
  const int64_t today = *today_day;
  Database* db = impl_->db;

  auto rules = Rules();
  if (!rules.ok()) return rules.status();
  if (std::none_of(rules->begin(), rules->end(), [](const ReminderRule& r) { return r.enabled; })) return RemindRun{};
  auto channels = Channels();
  if (!channels.ok()) return channels.status();
  std::map<std::string, ReminderChannel> channel_by_name;
  for (const ReminderChannel& c : *channels) channel_by_name[c.name] = c;
  auto access = AccessStore::Open(impl_->ledger);
  if (!access.ok()) return access.status();
  auto tree = (*access)->Units();
  if (!tree.ok()) return tree.status();
  impl_->ledger->set_today(calendar::FormatIsoDay(today));
  auto items = impl_->ledger->ListItems({});
  if (!items.ok()) return items.status();

  RemindRun run;
  // One reminder: claimed, sent, its outcome written.
  auto remind = [&](const ReminderRule& rule, int64_t item_id, const std::string& unit, int64_t occasion,
                    const ReminderChannel& channel, const Delivery& d) -> Status {
    const int64_t now = clock.Now();
    const std::string occasion_text = calendar::FormatIsoDay(occasion);
    Transaction tx(db);
    Status s = tx.Begin();
    if (!s.ok()) return s;
    std::vector<Row> rows;
    s = db->Execute(
        "INSERT INTO reminder_log (rule_id, item_id, unit, occasion, channel_id, recipient, state, error, attempts, "
        "message, created_at, sent_at, runner, claimed_until, next_attempt) VALUES (?, ?, ?, ?, ?, ?, 'sending', '', 1, "
        "?, ?, '', ?, ?, 0) ON CONFLICT (rule_id, item_id, unit, occasion, channel_id) DO NOTHING RETURNING id, attempts",
        {rule.id, item_id, unit, occasion_text, channel.id, Recipient(channel), d.text, FormatUtc(now), runner,
         now + options.claim_seconds},
        &rows);
    if (!s.ok()) return s;
    if (rows.empty()) {
      // Held already: taken again only when it failed and its back-off has
      // passed, or its sender died while sending.
      s = db->Execute(
          "UPDATE reminder_log SET state = 'sending', attempts = attempts + 1, runner = ?, claimed_until = ?, "
          "recipient = ?, message = ? WHERE rule_id = ? AND item_id = ? AND unit = ? AND occasion = ? AND "
          "channel_id = ? AND ((state = 'failed' AND next_attempt <= ? AND attempts < ?) OR (state = 'sending' AND "
          "claimed_until < ?)) RETURNING id, attempts",
          {runner, now + options.claim_seconds, Recipient(channel), d.text, rule.id, item_id, unit, occasion_text,
           channel.id, now, int64_t{options.max_attempts}, now},
          &rows);
      if (!s.ok()) return s;
    }
    s = tx.Commit();
    if (!s.ok()) return s;
    if (rows.empty()) {
      ++run.already;
      return Status::Ok();
    }
    const int64_t log_id = rows[0].Int(0);
    const int attempts = static_cast<int>(rows[0].Int(1));
    Status sent = Deliver(channel, d, clock, options.timeout_ms,
                          "reminder-" + std::to_string(log_id) + "-" + std::to_string(attempts) + "@taizhang");
    const int64_t after = clock.Now();
    const std::string error = sent.ok() ? "" : FailureText(channel, sent);
    int64_t backoff = options.retry_base_seconds;
    for (int i = 1; i < attempts && backoff < 86400; ++i) backoff *= 2;
    backoff = std::min<int64_t>(backoff, 86400);
    Transaction done(db);
    s = done.Begin();
    if (!s.ok()) return s;
    s = db->Execute(
        "UPDATE reminder_log SET state = ?, error = ?, sent_at = ?, claimed_until = 0, next_attempt = ? WHERE id = ?",
        {std::string(sent.ok() ? "sent" : "failed"), error, sent.ok() ? FormatUtc(after) : std::string(),
         sent.ok() ? int64_t{0} : after + backoff, log_id});
    if (!s.ok()) return s;
    s = done.Commit();
    if (!s.ok()) return s;
    std::vector<Row> logged;
    s = db->Execute(std::string("SELECT ") + kLogColumns + kLogFrom + " WHERE l.id = ?", {log_id}, &logged);
    if (!s.ok()) return s;
    if (!logged.empty()) (sent.ok() ? run.sent : run.failed).push_back(LogOf(logged[0]));
    return Status::Ok();
  };

  for (const ReminderRule& rule : *rules) {
    if (!rule.enabled) continue;
    std::vector<int64_t> scope;
    if (!rule.scope_unit.empty()) {
      const Unit* root = tree->FindByName(rule.scope_unit);
      if (root == nullptr) continue;  // the unit was renamed away: the rule reaches nothing
      scope = tree->Subtree(root->id);
    }
    auto in_scope = [&](const LedgerItem& item) {
      if (rule.scope_unit.empty()) return true;
      for (int64_t u : tree->ItemUnits(item)) {
        if (std::binary_search(scope.begin(), scope.end(), u)) return true;
      }
      return false;
    };
    std::vector<const ReminderChannel*> targets;
    for (const std::string& name : rule.channels) {
      auto it = channel_by_name.find(name);
      if (it != channel_by_name.end() && it->second.enabled) targets.push_back(&it->second);
    }
    if (rule.kind == RuleKind::kDigest) {
      const int64_t occasion = rule.days >= 7 ? today - (calendar::Weekday(today) + 6) % 7 : today;
      std::map<std::string, std::pair<std::vector<LedgerItem>, std::vector<LedgerItem>>> by_unit;
      for (const LedgerItem& item : *items) {
        if (!in_scope(item) || IsFinished(item.status)) continue;
        auto deadline = calendar::ParseIsoDay(item.deadline);
        if (!deadline) continue;
        if (*deadline < today) {
          by_unit[item.unit].first.push_back(item);
        } else if (*deadline - today <= 7) {
          by_unit[item.unit].second.push_back(item);
        }
      }
      for (const auto& [unit, lists] : by_unit) {
        const std::string text = DigestMessage(rule, unit, lists.first, lists.second, today);
        nlohmann::json data = {{"kind", "digest"}, {"rule", rule.name}, {"unit", unit},
                               {"occasion", calendar::FormatIsoDay(occasion)},
                               {"overdue", lists.first.size()}, {"due_soon", lists.second.size()}};
        Delivery d{"台账催办：" + unit + (rule.days >= 7 ? "每周汇总" : "每日汇总"), text, data};
        for (const ReminderChannel* channel : targets) {
          Status s = remind(rule, 0, unit, occasion, *channel, d);
          if (!s.ok()) return s;
        }
      }
      continue;
    }
    for (const LedgerItem& item : *items) {
      auto occasion = ItemOccasion(rule, item, today);
      if (!occasion || !in_scope(item)) continue;
      const std::string text = ItemMessage(rule, item, today);
      const int64_t deadline = calendar::ParseIsoDay(item.deadline).value_or(today);
      nlohmann::json data = {{"kind", RuleKindName(rule.kind)},
                             {"rule", rule.name},
                             {"occasion", calendar::FormatIsoDay(*occasion)},
                             {"item", {{"id", item.id}, {"task", item.task}, {"unit", item.unit},
                                       {"deadline", item.deadline}, {"status", ShownStatus(item)}}},
                             {"days_overdue", item.deadline.empty() ? 0 : std::max<int64_t>(0, today - deadline)}};
      Delivery d{"台账催办：" + item.task, text, data};
      for (const ReminderChannel* channel : targets) {
        Status s = remind(rule, item.id, "", *occasion, *channel, d);
        if (!s.ok()) return s;
      }
    }
  }
  return run;
}

}  // namespace taizhang
