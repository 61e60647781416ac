// The reminder commands: thin glue over remind/remind.h.
#include "cli/remind_commands.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "cli/cli_messages.h"
#include "ledger/ledger.h"
#include "remind/remind.h"

namespace taizhang::cli {

namespace {

int Fail(const Status& status) {
  std::cerr << "taizhang：" << status.message() << "\n";
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return kExitUsage;
    default:
      return kExitStore;
  }
}

// One line of the run's report.
std::string Line(const ReminderLogEntry& e) {
  std::string what = e.item_id != 0 ? "事项 " + std::to_string(e.item_id) : "单位 " + e.unit;
  std::string line = "  [" + e.rule + "] " + what + "（" + ChineseDay(e.occasion) + "）→ " + e.channel + "（" +
                     e.recipient + "）";
  if (e.attempts > 1) line += "，第 " + std::to_string(e.attempts) + " 次";
  return line;
}

// `taizhang remind calendar`: the feed of the items of `unit`'s subtree
// (all when ""), written all or nothing.
int Calendar(LedgerStore* ledger, const std::string& unit, const std::string& output) {
  auto access = AccessStore::Open(ledger);
  if (!access.ok()) return Fail(access.status());
  auto tree = (*access)->Units();
  if (!tree.ok()) return Fail(tree.status());
  std::vector<int64_t> scope;
  if (!unit.empty()) {
    const Unit* root = tree->FindByName(unit);
    if (root == nullptr) {
      std::cerr << "taizhang：单位树中没有“" << unit << "”（先用 taizhang unit add 建好，或用 taizhang unit list 查看）。\n";
      return kExitUsage;
    }
    scope = tree->Subtree(root->id);
  }
  ItemFilter filter;
  filter.deadline_from = "0001-01-01";
  filter.order = ItemFilter::Order::kDeadline;
  auto items = ledger->ListItems(filter);
  if (!items.ok()) return Fail(items.status());
  std::vector<LedgerItem> chosen;
  for (LedgerItem& item : *items) {
    bool in = unit.empty();
    for (int64_t u : in ? std::vector<int64_t>{} : tree->ItemUnits(item)) {
      in = in || std::binary_search(scope.begin(), scope.end(), u);
    }
    if (in) chosen.push_back(std::move(item));
  }
  CalendarFeedOptions feed;
  feed.name = "台账时限（" + (unit.empty() ? std::string("全部单位") : unit) + "）";
  feed.stamp = (*access)->clock().Now();
  auto ics = DeadlineCalendar(chosen, feed);
  if (!ics.ok()) return Fail(ics.status());
  if (!WriteOutput(output, *ics)) return kExitOutputError;
  if (!output.empty()) {
    size_t events = 0;
    for (const LedgerItem& item : chosen) events += HasCalendarEvent(item) ? 1 : 0;
    std::cerr << "已写出 " << output << "：" << events << " 个事项的时限。\n";
  }
  return kExitOk;
}

}  // namespace

struct RemindCommands::State {
  std::string db = DefaultDatabase();
  CLI::App* remind_cmd = nullptr;
  CLI::App* run_cmd = nullptr;
  CLI::App* channel_cmd = nullptr;
  CLI::App* channel_add_cmd = nullptr;
  CLI::App* channel_list_cmd = nullptr;
  CLI::App* channel_disable_cmd = nullptr;
  CLI::App* channel_enable_cmd = nullptr;
  CLI::App* channel_test_cmd = nullptr;
  CLI::App* rule_cmd = nullptr;
  CLI::App* rule_add_cmd = nullptr;
  CLI::App* rule_list_cmd = nullptr;
  CLI::App* rule_disable_cmd = nullptr;
  CLI::App* rule_enable_cmd = nullptr;
  CLI::App* log_cmd = nullptr;
  CLI::App* calendar_cmd = nullptr;
  std::string output;
  std::string name, kind, url, secret_file, secret_env, login, from, unit, today;
  std::vector<std::string> to, at, channels;
  int days = 0;
  int64_t retry_base = 300;
  int64_t item = 0;
  int64_t limit = 50;

  static std::string DefaultDatabase() {
    if (const char* v = std::getenv("TAIZHANG_DB"); v != nullptr && *v != '\0') return v;
    return "taizhang.db";
  }
};

RemindCommands::RemindCommands(CLI::App* app) : state_(std::make_unique<State>()) {
  State& s = *state_;
  const std::string db_help = "数据库：SQLite 文件路径（默认 taizhang.db 或 $TAIZHANG_DB）或 postgresql://… 地址";
  s.remind_cmd = app->add_subcommand(
      "remind", "催办：按规则发送到期、逾期、待销号提醒和汇总（钉钉、企业微信、邮件、JSON 回调），见 docs/remind.md");
  s.remind_cmd->require_subcommand(0, 1);
  s.remind_cmd->add_option("--db", s.db, db_help);
  s.remind_cmd->add_option("--today", s.today, "按这一天计算到期与逾期（YYYY-MM-DD，默认今天）");
  s.remind_cmd->add_option("--retry-base", s.retry_base,
                           "发送失败后，第 n 次重试前至少等待 秒数×2^(n−1)（默认 300 秒，最长一天）");
  s.remind_cmd->footer(
      Examples({
          {"taizhang remind", "发送今天到期的提醒（每条只发一次），打印发出的和失败的"},
          {"*/10 * * * * cd /srv/taizhang && taizhang remind", "crontab：每 10 分钟运行一次，失败的按间隔重试"},
          {"taizhang remind log --item 11", "事项 11 的催办记录"},
      }) +
      "\n退出码：0 全部送达（或没有到期的提醒）；2 命令行有误；7 数据库无法打开或使用；"
      "8 至少一条未能送达（已记录错误，下次运行时重试）。");

  s.run_cmd = s.remind_cmd->add_subcommand("run", "发送到期的提醒一次（与不带子命令的 taizhang remind 相同）");
  s.run_cmd->add_option("--db", s.db, db_help);
  s.run_cmd->add_option("--today", s.today, "按这一天计算（YYYY-MM-DD，默认今天）");
  s.run_cmd->add_option("--retry-base", s.retry_base, "失败重试的基本间隔（秒，默认 300）");

  s.channel_cmd = s.remind_cmd->add_subcommand("channel", "渠道：钉钉群机器人、企业微信群机器人、邮件、JSON 回调");
  s.channel_cmd->require_subcommand(1);
  s.channel_add_cmd = s.channel_cmd->add_subcommand("add", "新增渠道（密钥从文件或环境变量读入，不写在命令行上）");
  s.channel_add_cmd->add_option("name", s.name, "渠道名称（规则用它指定渠道）")->required();
  s.channel_add_cmd->add_option("--kind", s.kind, "类型：钉钉、企业微信、邮件、回调（dingtalk wecom email webhook）")
      ->required();
  s.channel_add_cmd->add_option("--url", s.url,
                                "机器人或回调的 Webhook 地址；邮件：smtp://邮件服务器:端口 或 smtps://…")
      ->required();
  s.channel_add_cmd->add_option("--secret-file", s.secret_file,
                                "密钥所在的文件（钉钉：加签密钥 SEC…；邮件：登录密码），只读第一行");
  s.channel_add_cmd->add_option("--secret-env", s.secret_env, "密钥所在的环境变量名");
  s.channel_add_cmd->add_option("--login", s.login, "邮件：登录名");
  s.channel_add_cmd->add_option("--from", s.from, "邮件：发件地址");
  s.channel_add_cmd->add_option("--to", s.to, "邮件：收件地址，可重复");
  s.channel_add_cmd->add_option("--at", s.at, "钉钉、企业微信：在群里 @ 的手机号，可重复");
  s.channel_add_cmd->footer(Examples({
      {"taizhang remind channel add 督查群 --kind 钉钉 --url 'https://oapi.dingtalk.com/robot/send?access_token=…' "
       "--secret-file /etc/taizhang/dingtalk.secret",
       "钉钉群机器人（安全设置选“加签”）"},
      {"taizhang remind channel add 企业微信群 --kind 企业微信 --url 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…'",
       "企业微信群机器人"},
      {"taizhang remind channel add 督查邮箱 --kind 邮件 --url smtp://mail.example.gov.cn:25 --from duban@example.gov.cn "
       "--to zhangsan@example.gov.cn",
       "电子邮件"},
  }));
  s.channel_list_cmd = s.channel_cmd->add_subcommand("list", "列出渠道（密钥只显示是否已设置）");
  s.channel_disable_cmd = s.channel_cmd->add_subcommand("disable", "停用渠道（不再发送，记录保留）");
  s.channel_disable_cmd->add_option("name", s.name, "渠道名称")->required();
  s.channel_enable_cmd = s.channel_cmd->add_subcommand("enable", "重新启用渠道");
  s.channel_enable_cmd->add_option("name", s.name, "渠道名称")->required();
  s.channel_test_cmd = s.channel_cmd->add_subcommand("test", "通过渠道发送一条测试消息（不记入催办记录）");
  s.channel_test_cmd->add_option("name", s.name, "渠道名称")->required();

  s.rule_cmd = s.remind_cmd->add_subcommand("rule", "规则：何时提醒、提醒哪些单位、发往哪些渠道");
  s.rule_cmd->require_subcommand(1);
  s.rule_add_cmd = s.rule_cmd->add_subcommand("add", "新增规则");
  s.rule_add_cmd->add_option("name", s.name, "规则名称")->required();
  s.rule_add_cmd->add_option("--kind", s.kind,
                             "类型：到期前（before）、到期当天（due）、逾期（overdue）、待销号（closeoff）、汇总（digest）")
      ->required();
  s.rule_add_cmd->add_option("--days", s.days,
                             "到期前：提前几天；逾期、待销号：每隔几天；汇总：1 每日、7 每周（周一）；到期当天不写");
  s.rule_add_cmd->add_option("--unit", s.unit, "只提醒该单位及其下级单位的事项（默认全部）");
  s.rule_add_cmd->add_option("--channel", s.channels, "发往的渠道，可重复")->required();
  s.rule_add_cmd->footer(Examples({
      {"taizhang remind rule add 到期前3天 --kind 到期前 --days 3 --channel 督查群", "时限前 3 天提醒一次"},
      {"taizhang remind rule add 逾期每周 --kind 逾期 --days 7 --channel 督查群 --channel 督查邮箱",
       "逾期后每 7 天提醒一次"},
      {"taizhang remind rule add 水利局周报 --kind 汇总 --days 7 --unit 县水利局 --channel 督查邮箱",
       "每周一发县水利局的逾期与即将到期汇总"},
  }));
  s.rule_list_cmd = s.rule_cmd->add_subcommand("list", "列出规则");
  s.rule_disable_cmd = s.rule_cmd->add_subcommand("disable", "停用规则");
  s.rule_disable_cmd->add_option("name", s.name, "规则名称")->required();
  s.rule_enable_cmd = s.rule_cmd->add_subcommand("enable", "重新启用规则");
  s.rule_enable_cmd->add_option("name", s.name, "规则名称")->required();

  s.log_cmd = s.remind_cmd->add_subcommand("log", "催办记录：发给谁、何时、是否送达或错误、尝试次数");
  s.log_cmd->add_option("--item", s.item, "只列这个事项的记录");
  s.log_cmd->add_option("--limit", s.limit, "最多列出几条（默认 50）");

  s.calendar_cmd = s.remind_cmd->add_subcommand(
      "calendar", "写出事项时限的日历（iCalendar .ics），Outlook、WPS、手机日历可导入；订阅链接在网页“我的账户”中新建");
  s.calendar_cmd->add_option("--unit", s.unit, "只写该单位及其下级单位的事项（默认全部）");
  s.calendar_cmd->add_option("-o,--output", s.output, "写到这个文件（默认标准输出）");
  s.calendar_cmd->footer(Examples({
      {"taizhang remind calendar --unit 县水利局 -o 水利局时限.ics", "县水利局及其下级单位未完成事项的时限"},
      {"taizhang remind calendar -o 全部时限.ics", "全部未完成事项的时限"},
  }));

  for (CLI::App* cmd : {s.calendar_cmd, s.channel_add_cmd, s.channel_list_cmd, s.channel_disable_cmd, s.channel_enable_cmd,
                        s.channel_test_cmd, s.rule_add_cmd, s.rule_list_cmd, s.rule_disable_cmd, s.rule_enable_cmd,
                        s.log_cmd}) {
    cmd->add_option("--db", s.db, db_help);
  }
}

RemindCommands::~RemindCommands() = default;

bool RemindCommands::Chosen() const { return static_cast<bool>(*state_->remind_cmd); }

int RemindCommands::Run() {
  State& s = *state_;
  auto ledger = LedgerStore::Open(s.db, "命令行:" + OperatingSystemUser());
  if (!ledger.ok()) return Fail(ledger.status());
  auto opened = RemindStore::Open(ledger->get());
  if (!opened.ok()) return Fail(opened.status());
  RemindStore& remind = **opened;

  if (*s.channel_add_cmd) {
    ReminderChannel channel;
    channel.name = s.name;
    auto kind = ParseChannelKind(s.kind);
    if (!kind) {
      std::cerr << "taizhang：不认识的渠道类型“" << s.kind << "”：应为 钉钉、企业微信、邮件 或 回调（dingtalk、wecom、email、webhook）。\n";
      return kExitUsage;
    }
    channel.kind = *kind;
    channel.url = s.url;
    if (!s.secret_file.empty()) {
      std::ifstream in(s.secret_file);
      if (!in) {
        std::cerr << "taizhang：无法读取密钥文件 " << s.secret_file << "。\n";
        return kExitUsage;
      }
      std::getline(in, channel.secret);
      while (!channel.secret.empty() && (channel.secret.back() == '\r' || channel.secret.back() == ' ')) {
        channel.secret.pop_back();
      }
    } else if (!s.secret_env.empty()) {
      const char* v = std::getenv(s.secret_env.c_str());
      if (v == nullptr || *v == '\0') {
        std::cerr << "taizhang：环境变量 " << s.secret_env << " 没有设置。\n";
        return kExitUsage;
      }
      channel.secret = v;
    }
    channel.login = s.login;
    channel.sender = s.from;
    channel.recipients = channel.kind == ChannelKind::kEmail ? s.to : s.at;
    auto added = remind.AddChannel(channel);
    if (!added.ok()) return Fail(added.status());
    std::cout << "已新增渠道“" << added->name << "”（" << ChannelKindLabel(added->kind) << "，密钥"
              << SecretShown(added->secret) << "）。\n";
    return kExitOk;
  }
  if (*s.channel_list_cmd) {
    auto channels = remind.Channels();
    if (!channels.ok()) return Fail(channels.status());
    for (const ReminderChannel& c : *channels) {
      std::string url = c.url;
      // The robots' addresses carry their access token: shown up to it.
      if (size_t q = url.find('?'); q != std::string::npos) url = url.substr(0, q) + "?…";
      std::cout << c.name << "\t" << ChannelKindLabel(c.kind) << "\t" << url << "\t密钥" << SecretShown(c.secret);
      if (!c.recipients.empty()) std::cout << "\t" << (c.kind == ChannelKind::kEmail ? "收件 " : "@ ") << JoinUnitList(c.recipients);
      std::cout << (c.enabled ? "" : "\t已停用") << "\n";
    }
    std::cout << "共 " << channels->size() << " 个渠道\n";
    return kExitOk;
  }
  if (*s.channel_disable_cmd || *s.channel_enable_cmd) {
    const bool enable = static_cast<bool>(*s.channel_enable_cmd);
    Status st = remind.SetChannelEnabled(s.name, enable);
    if (!st.ok()) return Fail(st);
    std::cout << (enable ? "已启用" : "已停用") << "渠道“" << s.name << "”。\n";
    return kExitOk;
  }
  if (*s.channel_test_cmd) {
    Status st = remind.SendTest(s.name, {});
    if (!st.ok()) {
      std::cerr << "taizhang：" << st.message() << "\n";
      return st.code() == StatusCode::kNotFound ? kExitUsage : kExitUndelivered;
    }
    std::cout << "测试消息已通过渠道“" << s.name << "”送达。\n";
    return kExitOk;
  }
  if (*s.rule_add_cmd) {
    ReminderRule rule;
    rule.name = s.name;
    auto kind = ParseRuleKind(s.kind);
    if (!kind) {
      std::cerr << "taizhang：不认识的规则类型“" << s.kind
                << "”：应为 到期前、到期当天、逾期、待销号 或 汇总（before、due、overdue、closeoff、digest）。\n";
      return kExitUsage;
    }
    rule.kind = *kind;
    rule.days = s.days;
    rule.scope_unit = s.unit;
    rule.channels = s.channels;
    auto added = remind.AddRule(rule);
    if (!added.ok()) return Fail(added.status());
    std::cout << "已新增规则“" << added->name << "”：" << RuleWhen(*added) << "，"
              << (added->scope_unit.empty() ? "全部单位" : added->scope_unit + "及其下级单位") << "，发往 "
              << JoinUnitList(added->channels) << "。\n";
    return kExitOk;
  }
  if (*s.rule_list_cmd) {
    auto rules = remind.Rules();
    if (!rules.ok()) return Fail(rules.status());
    for (const ReminderRule& r : *rules) {
      std::cout << r.name << "\t" << RuleWhen(r) << "\t" << (r.scope_unit.empty() ? "全部单位" : r.scope_unit) << "\t"
                << JoinUnitList(r.channels) << (r.enabled ? "" : "\t已停用") << "\n";
    }
    std::cout << "共 " << rules->size() << " 条规则\n";
    return kExitOk;
  }
  if (*s.rule_disable_cmd || *s.rule_enable_cmd) {
    const bool enable = static_cast<bool>(*s.rule_enable_cmd);
    Status st = remind.SetRuleEnabled(s.name, enable);
    if (!st.ok()) return Fail(st);
    std::cout << (enable ? "已启用" : "已停用") << "规则“" << s.name << "”。\n";
    return kExitOk;
  }
  if (*s.calendar_cmd) {
    if (s.db.find("://") == std::string::npos) ProtectPaths({s.db});
    return Calendar(ledger->get(), s.unit, s.output);
  }
  if (*s.log_cmd) {
    auto log = s.item != 0 ? remind.ItemLog(s.item) : remind.Log(s.limit);
    if (!log.ok()) return Fail(log.status());
    for (const ReminderLogEntry& e : *log) {
      std::string state = e.state == "sent" ? "已送达 " + e.sent_at : e.state == "failed" ? "未送达：" + e.error : "发送中";
      std::cout << e.created_at << "\t" << (e.item_id != 0 ? "事项 " + std::to_string(e.item_id) : "单位 " + e.unit)
                << "\t" << e.rule << "\t" << ChineseDay(e.occasion) << "\t" << e.channel << "（" << e.recipient
                << "）\t" << state << "\t尝试 " << e.attempts << " 次\n";
    }
    std::cout << "共 " << log->size() << " 条\n";
    return kExitOk;
  }

  // `taizhang remind` or `taizhang remind run`.
  RemindOptions options;
  options.today = s.today;
  options.retry_base_seconds = s.retry_base;
  if (!s.today.empty() && !IsValidDay(s.today)) {
    std::cerr << "taizhang：日期“" << s.today << "”应写成 YYYY-MM-DD（如 2026-03-01）。\n";
    return kExitUsage;
  }
  auto run = remind.Run(options);
  if (!run.ok()) return Fail(run.status());
  if (!run->sent.empty()) {
    std::cout << "已发送 " << run->sent.size() << " 条提醒：\n";
    for (const ReminderLogEntry& e : run->sent) std::cout << Line(e) << "\n";
  }
  if (!run->failed.empty()) {
    std::cout << "未能送达 " << run->failed.size() << " 条（已记录，稍后重试）：\n";
    for (const ReminderLogEntry& e : run->failed) std::cout << Line(e) << "：" << e.error << "\n";
  }
  if (run->sent.empty() && run->failed.empty()) {
    std::cout << "没有需要发送的提醒";
    if (run->already > 0) std::cout << "（" << run->already << " 条此前已发送或等待重试）";
    std::cout << "。\n";
  }
  return run->failed.empty() ? kExitOk : kExitUndelivered;
}

}  // namespace taizhang::cli
