// `taizhang serve`: options into ServeOptions, the accounts of the store
// (StoreAccounts; at first start the system administrator with a one-time
// password printed once to standard error), Server::Start, wait for a
// signal.
#include "cli/serve_command.h"

#include <sys/stat.h>

#include <iostream>

#include "cli/cli_common.h"
#include "cli/cli_messages.h"
#include "common/module.h"
#include "server/server.h"

namespace taizhang::cli {

namespace {

// The web pages installed with the program: web/ beside the executable
// (the build tree), else ../share/taizhang/web/ (an installed tree); ""
// when neither holds an index.html.
std::string InstalledWebDirectory() {
  std::string dir = ExecutableDirectory();
  if (dir.empty()) return "";
  for (std::string candidate : {dir + "web", dir + "../share/taizhang/web"}) {
    struct stat st;
    if (stat((candidate + "/index.html").c_str(), &st) == 0 && S_ISREG(st.st_mode)) return candidate;
  }
  return "";
}

}  // namespace

struct ServeCommand::State {
  CLI::App* cmd = nullptr;
  ServeOptions options;
  double read_timeout_s = 10, idle_timeout_s = 60;
  double remind_every_s = 300;
  int64_t session_idle_s = 0;
  size_t max_upload_mb = 64;
  int64_t login_attempts_per_address = AccessOptions{}.login_attempts_per_address;
};

ServeCommand::ServeCommand(CLI::App* app) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.cmd = app->add_subcommand("serve", "以 HTTP/JSON 服务运行台账（供网页和其他程序使用）");
  s.cmd->add_option("--listen", s.options.listen, "监听的地址和端口（默认 127.0.0.1:8080）");
  s.cmd->add_option("--db", s.options.db, "台账数据库：SQLite 文件（默认 taizhang.db）或 postgresql:// 地址");
  s.cmd->add_option("--data-dir", s.options.data_dir, "保存上传文件的目录（默认 taizhang-data）");
  s.cmd->add_option("--static-dir", s.options.static_dir,
                    "网页文件所在的目录（默认程序旁的 web/ 或 ../share/taizhang/web/，有 index.html 时）");
  s.cmd->add_option("--tls-cert", s.options.tls_cert, "TLS 证书（PEM，可含证书链），与 --tls-key 同时给出则用 HTTPS");
  s.cmd->add_option("--tls-key", s.options.tls_key, "TLS 私钥（PEM）");
  s.cmd->add_option("--access-log", s.options.access_log, "访问日志追加写入的文件（默认标准错误），每个请求一行 JSON");
  s.cmd->add_option("--trusted-proxy", s.options.trusted_proxies,
                    "可信的反向代理的 IP 地址（可重复）：只有来自这些地址的请求，其 X-Forwarded-For 才被采信为客户端地址"
                    "（审计日志、登录频率限制与锁定都用它）");
  s.cmd->add_option("--threads", s.options.io_threads, "处理连接的线程数，1–256（默认 2）");
  s.cmd->add_option("--analysis-threads", s.options.analysis_threads, "分析上传文件的线程数（默认每个处理器核一个）");
  s.cmd->add_option("--max-upload-mb", s.max_upload_mb, "上传文件的大小上限，单位 MB，1–4096（默认 64）");
  s.cmd->add_option("--read-timeout", s.read_timeout_s, "读完一个请求头的时限，单位秒，0.1–3600（默认 10）");
  s.cmd->add_option("--idle-timeout", s.idle_timeout_s, "保持连接时等待下一个请求的时限，单位秒，0.1–86400（默认 60）");
  s.cmd->add_option("--session-idle-timeout", s.session_idle_s,
                    "会话空闲超时，单位秒，比安全策略的空闲超时短时生效（默认按安全策略，30 分钟）");
  s.cmd->add_option("--login-attempts-per-address", s.login_attempts_per_address,
                    "同一地址 15 分钟内最多的登录尝试次数，1–100000（默认 30；整个单位经一个出口地址上网时可调高）");
  s.cmd->add_option("--remind-every", s.remind_every_s,
                    "每隔多少秒发送一次到期的催办（taizhang remind 的规则与渠道，见 docs/remind.md；默认 300，0 不发送）");
  s.cmd->footer(Examples({
      {"taizhang serve", "在 127.0.0.1:8080 上提供服务，台账为当前目录的 taizhang.db"},
      {"taizhang serve --listen 0.0.0.0:8443 --tls-cert 证书.pem --tls-key 私钥.pem", "直接用 HTTPS 对外服务"},
      {"taizhang serve --db postgresql://taizhang@localhost/taizhang --data-dir /var/lib/taizhang",
       "PostgreSQL 台账，上传文件保存在 /var/lib/taizhang"},
  }));
}

ServeCommand::~ServeCommand() = default;

bool ServeCommand::Chosen() const { return static_cast<bool>(*state_->cmd); }

int ServeCommand::Run() {
  State& s = *state_;
  auto out_of_range = [](const char* option, const char* range) {
    std::cerr << "taizhang serve：" << option << " 应在 " << range << " 之间。\n";
    return kExitUsage;
  };
  if (s.options.io_threads < 1 || s.options.io_threads > 256) return out_of_range("--threads", "1 与 256");
  if (s.max_upload_mb < 1 || s.max_upload_mb > 4096) return out_of_range("--max-upload-mb", "1 与 4096");
  if (!(s.read_timeout_s >= 0.1 && s.read_timeout_s <= 3600)) return out_of_range("--read-timeout", "0.1 与 3600");
  if (!(s.idle_timeout_s >= 0.1 && s.idle_timeout_s <= 86400)) return out_of_range("--idle-timeout", "0.1 与 86400");
  if (s.session_idle_s < 0 || s.session_idle_s > 86400) return out_of_range("--session-idle-timeout", "1 与 86400");
  if (s.login_attempts_per_address < 1 || s.login_attempts_per_address > 100000)
    return out_of_range("--login-attempts-per-address", "1 与 100000");
  if (s.options.static_dir.empty()) s.options.static_dir = InstalledWebDirectory();
  s.options.max_upload_bytes = s.max_upload_mb * 1024 * 1024;
  s.options.read_timeout = std::chrono::milliseconds(static_cast<int64_t>(s.read_timeout_s * 1000));
  s.options.idle_timeout = std::chrono::milliseconds(static_cast<int64_t>(s.idle_timeout_s * 1000));
  if (s.remind_every_s < 0 || s.remind_every_s > 86400) return out_of_range("--remind-every", "0 与 86400");
  s.options.remind_interval = std::chrono::milliseconds(static_cast<int64_t>(s.remind_every_s * 1000));
  s.options.handle_signals = true;
  s.options.search_catch_up_at_start = true;
  AccessOptions access_options;
  access_options.session_idle_seconds = s.session_idle_s;
  access_options.login_attempts_per_address = s.login_attempts_per_address;
  Result<std::shared_ptr<StoreAccounts>> accounts = StoreAccounts::Open(s.options.db, access_options);
  if (!accounts.ok()) {
    std::cerr << "taizhang serve：" << accounts.status().message() << "\n";
    return kExitStore;
  }
  Result<std::optional<std::string>> first = (*accounts)->EnsureSystemAdministrator();
  if (!first.ok()) {
    std::cerr << "taizhang serve：" << first.status().message() << "\n";
    return kExitStore;
  }
  if (*first) {
    std::cerr << "taizhang serve：已创建系统管理员 admin，一次性密码：" << **first
              << "\n（只显示这一次；首次登录后须修改密码。）\n"
              << std::flush;
  }
  Result<std::unique_ptr<Server>> server = Server::Start(s.options, *accounts);
  if (!server.ok()) {
    std::cerr << "taizhang serve：" << server.status().message() << "\n";
    StatusCode code = server.status().code();
    return code == StatusCode::kInvalidArgument || code == StatusCode::kNotFound ? kExitUsage : kExitStore;
  }
  std::cerr << "taizhang serve：正在监听 " << (s.options.tls_cert.empty() ? "http://" : "https://")
            << (*server)->address() << "（台账 " << s.options.db << "；Ctrl-C 或 SIGTERM 停止）\n"
            << std::flush;
  (*server)->Wait();
  std::cerr << "taizhang serve：已停止。\n";
  return kExitOk;
}

}  // namespace taizhang::cli
