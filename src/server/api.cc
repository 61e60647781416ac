// The routes of /api/v1 (with their documentation), /healthz, and the
// static files.
#include "server/api.h"
#include "server/upload_format.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>
#include <vector>

#include "common/utf8.h"
#include "output/ledger_output.h"
#include "generated/version.h"

namespace taizhang::server_internal {

using nlohmann::json;

bool IsPlainFileName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  if (utf8::FindInvalid(name) != name.size()) return false;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

bool HasContentHash(std::string_view file_name) {
  size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string_view stem = file_name.substr(0, dot);
  // The hash is the last part of the stem after '.' or '-'.
  size_t sep = stem.find_last_of(".-");
  if (sep == std::string_view::npos) return false;
  std::string_view hash = stem.substr(sep + 1);
  if (hash.size() < 8 || hash.size() > 64) return false;
  bool digit = false, hex_only = true, lower = false, upper = false;
  for (char c : hash) {
    bool is_digit = c >= '0' && c <= '9', is_lower = c >= 'a' && c <= 'z', is_upper = c >= 'A' && c <= 'Z';
    if (!is_digit && !is_lower && !is_upper && c != '_') return false;
    digit |= is_digit;
    lower |= is_lower;
    upper |= is_upper;
    if (!(is_digit || (c >= 'a' && c <= 'f'))) hex_only = false;
  }
  // Hex with a digit and a letter (app.3f9a2c1b.js), or base64url with a
  // digit and both cases (index-BdE4f_x9.js); not a word or a date.
  return digit && ((hex_only && lower) || (lower && upper));
}

void AddSecurityHeaders(HttpResponse* response, bool secure) {
  // A route may set a narrower policy of its own (the check page: no script
  // at all, its one inline style by hash; evidence shown inline: a sandbox).
  if (response->Get("Content-Security-Policy").empty()) {
    response->Set("Content-Security-Policy",
                  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  }
  response->Set("X-Content-Type-Options", "nosniff");
  response->Set("Referrer-Policy", "no-referrer");
  // An evidence photo or PDF shown in the page's own frame says SAMEORIGIN.
  if (response->Get("X-Frame-Options").empty()) response->Set("X-Frame-Options", "DENY");
  response->Set("Cross-Origin-Opener-Policy", "same-origin");
  if (secure) response->Set("Strict-Transport-Security", "max-age=31536000");
  if (response->Get("Cache-Control").empty()) response->Set("Cache-Control", "no-store");
}

std::optional<HttpResponse> NotADocument(const UploadStore& uploads, const std::string& sha256,
                                         const std::string& name) {
  Result<std::string> format = uploads.Format(sha256);
  if (!format.ok() || !IsImageFormat(*format)) return std::nullopt;
  return ErrorResponse(422, name + "是" + FormatLabel(*format) +
                                "，只能作为进展的佐证材料，不能作为报告分析或导入。请上传 Word、PDF 或文本文件。");
}

// The answers of every protected route (a function: no static initializer
// runs for the other subcommands).
void AddAuthResponses(std::vector<std::pair<int, std::string>>* responses) {
  responses->push_back({401, "未登录或会话已过期"});
  responses->push_back({403, "没有权限，或修改类请求缺少有效的 CSRF 令牌"});
}

// A non-negative integer query parameter no larger than `max`; `fallback`
// when absent; nullopt when malformed.
std::optional<int64_t> IntegerQuery(const HttpRequest& request, std::string_view name, int64_t fallback, int64_t max) {
  std::optional<std::string> text = request.Query(name);
  if (!text) return fallback;
  if (text->empty() || text->size() > 12) return std::nullopt;
  int64_t value = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

std::vector<RouteParam> PageParams(const PageSpec& spec) {
  const std::string unit = spec.unit;
  return {{"offset", "query", "跳过前几" + unit + "（默认 0）", false},
          {"limit", "query",
           "最多几" + unit + "，1–" + std::to_string(spec.max_limit) + "（默认 " + std::to_string(spec.default_limit) + "）",
           false}};
}

nlohmann::json PageSchema(nlohmann::json properties) {
  properties["offset"] = {{"type", "integer"}};
  properties["limit"] = {{"type", "integer"}};
  return properties;
}

std::optional<Page> ParsePage(const HttpRequest& request, const PageSpec& spec, HttpResponse* error) {
  std::optional<int64_t> offset = IntegerQuery(request, "offset", 0, 1000000000);
  std::optional<int64_t> limit = IntegerQuery(request, "limit", spec.default_limit, spec.max_limit);
  if (!offset || !limit || *limit < 1) {
    *error = ErrorResponse(400, "offset 应为非负整数，limit 应为 1 到 " + std::to_string(spec.max_limit) + " 的整数。");
    return std::nullopt;
  }
  return Page{*offset, *limit};
}

namespace {

std::string_view ContentTypeOf(std::string_view name) {
  size_t dot = name.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},   {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},           {"map", "application/json"},
      {"svg", "image/svg+xml"},               {"png", "image/png"},
      {"jpg", "image/jpeg"},                  {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},                   {"ico", "image/x-icon"},
      {"webp", "image/webp"},                 {"woff2", "font/woff2"},
      {"woff", "font/woff"},                  {"txt", "text/plain; charset=utf-8"},
      {"pdf", "application/pdf"},             {"wasm", "application/wasm"},
  };
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

}  // namespace

std::optional<HttpResponse> StaticFile(const std::string& root, std::string_view path, bool gzip) {
  if (root.empty()) return std::nullopt;
  std::string relative;
  std::string last;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(i, end - i);
    i = end;
    if (segment.front() == '.' || segment.find('\\') != std::string_view::npos ||
        segment.find('\0') != std::string_view::npos) {
      return std::nullopt;  // ".", "..", hidden files
    }
    relative += '/';
    relative += segment;
    last = std::string(segment);
  }
  std::string full = root + relative;
  struct stat st;
  if (stat(full.c_str(), &st) != 0) return std::nullopt;
  if (S_ISDIR(st.st_mode)) {
    full += "/index.html";
    last = "index.html";
  }
  int fd = open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (int64_t{1} << 30)) {
    close(fd);
    return std::nullopt;
  }
  bool compressed = false;
  if (gzip) {
    // The compressed copy, when there is one and it is a regular file too.
    int gz = open((full + ".gz").c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    struct stat gz_st;
    if (gz >= 0 && fstat(gz, &gz_st) == 0 && S_ISREG(gz_st.st_mode) && gz_st.st_size <= (int64_t{1} << 30)) {
      close(fd);
      fd = gz;
      st = gz_st;
      compressed = true;
    } else if (gz >= 0) {
      close(gz);
    }
  }
  HttpResponse response;
  response.body.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < response.body.size()) {
    ssize_t n = read(fd, response.body.data() + done, response.body.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
  response.body.resize(done);
  response.Set("Content-Type", std::string(ContentTypeOf(last)));
  if (compressed) response.Set("Content-Encoding", "gzip");
  response.Set("Vary", "Accept-Encoding");
  response.Set("Cache-Control", HasContentHash(last) ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

bool IsAppPage(const HttpRequest& request) {
  if (request.Header("accept").find("text/html") == std::string_view::npos) return false;
  std::string_view path = request.path;
  if (path.empty() || path.front() != '/' || path.rfind("/api/", 0) == 0 || path.rfind("/assets/", 0) == 0) {
    return false;
  }
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) return false;
  std::string_view last;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    last = path.substr(i, end - i);
    if (last.front() == '.') return false;
    i = end;
  }
  return last.find('.') == std::string_view::npos;
}

json JobJson(const JobRecord& job) {
  json out = {{"id", job.id},       {"state", job.state},        {"progress", job.progress},
              {"name", job.name},   {"file", job.upload},        {"created_ms", job.created_ms},
              {"updated_ms", job.updated_ms}};
  if (job.state == "done" && !job.result.empty()) {
    out["result"] = json::parse(job.result, nullptr, false);
  }
  if (!job.error.empty()) out["error"] = job.error;
  return out;
}

json JobSchema() {
  return {{"type", "object"},
          {"required", {"id", "state", "progress"}},
          {"properties",
           {{"id", {{"type", "string"}, {"description", "任务编号（32 位十六进制）"}}},
            {"state", {{"type", "string"}, {"enum", {"queued", "running", "done", "failed"}}}},
            {"progress", {{"type", "integer"}, {"minimum", 0}, {"maximum", 100}}},
            {"name", {{"type", "string"}}},
            {"file", {{"type", "string"}, {"description", "上传文件的 SHA-256"}}},
            {"created_ms", {{"type", "integer"}}},
            {"updated_ms", {{"type", "integer"}}},
            {"result",
             {{"type", "object"},
              {"description", "完成时：分析任务为报告篇数、各级问题个数，以及与 taizhang check --json 相同的校核结果；导入任务（POST /api/v1/reports）为导入的结果（见该接口）"}}},
            {"error", {{"type", "string"}, {"description", "失败时的中文说明"}}}}}};
}

namespace {

json PrincipalJson(const Principal& principal) {
  json roles = json::array();
  for (UserRole role : AllRoles()) {
    if (HasRole(principal.roles, role)) roles.push_back(RoleName(role));
  }
  return {{"id", principal.user_id},
          {"name", principal.name},
          {"display_name", principal.display_name},
          {"roles", roles},
          {"roles_label", RoleSetLabel(principal.roles)},
          {"unit_id", principal.unit_id},
          {"scope_unit_id", principal.scope_unit_id},
          {"must_change_password", principal.must_change_password}};
}

json PrincipalSchema() {
  return {{"type", "object"},
          {"required", {"id", "name", "roles", "must_change_password"}},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"name", {{"type", "string"}, {"description", "登录名"}}},
            {"display_name", {{"type", "string"}}},
            {"roles",
             {{"type", "array"},
              {"items",
               {{"type", "string"},
                {"enum", {"system_admin", "security_admin", "audit_admin", "supervisor", "reporter", "viewer"}}}}}},
            {"roles_label", {{"type", "string"}, {"description", "角色的中文名，如“督查员、填报员”"}}},
            {"unit_id", {{"type", "integer"}, {"description", "所属单位，0 为无"}}},
            {"scope_unit_id", {{"type", "integer"}, {"description", "管辖范围（单位子树的根），0 为无"}}},
            {"must_change_password",
             {{"type", "boolean"}, {"description", "须先修改密码：改前只能使用 /api/v1/auth/ 下的接口"}}}}}};
}

// The session cookie: HttpOnly, SameSite=Strict, Secure under TLS; an
// empty value with Max-Age=0 ends it in the browser.
std::string SessionCookie(const std::string& token, bool secure) {
  std::string cookie = std::string(StoreAccounts::kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  if (token.empty()) cookie += "; Max-Age=0";
  if (secure) cookie += "; Secure";
  return cookie;
}

// A string member of a JSON body, or nullptr.
const std::string* StringField(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

}  // namespace

HttpResponse NoAccountsResponse() { return ErrorResponse(503, "本服务没有启用账户，无法登录。"); }

HttpResponse StatusResponse(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kEmpty:
      return ErrorResponse(422, status.message());
    case StatusCode::kNotFound:
      return ErrorResponse(404, status.message());
    case StatusCode::kPermissionDenied:
      return ErrorResponse(403, status.message());
    default:
      return ErrorResponse(500, status.message());
  }
}

std::string ContentDisposition(std::string_view type, const std::string& fallback, const std::string& name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string ascii = fallback, encoded;
  for (unsigned char c : name) {
    if (fallback.empty()) ascii += c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? static_cast<char>(c) : '_';
    bool attr_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (attr_char) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return std::string(type) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

std::vector<RouteParam> ItemFilterParams() {
  return {{"kind", "query", "plan（工作任务）或 problem（问题整改）", false},
          {"unit", "query", "责任单位（与 taizhang ledger list --unit 相同的匹配）", false},
          {"year", "query", "年度", false},
          {"status", "query", "状态（中文或英文名）", false},
          {"overdue", "query", "1：只列逾期未完成的", false},
          {"due_within", "query", "只列今天起 N 天内到期、未完成的（0–3660）", false},
          {"deadline_from", "query", "时限不早于这一天（YYYY-MM-DD）", false},
          {"deadline_to", "query", "时限不晚于这一天（YYYY-MM-DD）", false},
          {"warning", "query", "预警灯：red（红灯，逾期）、yellow（黄灯，临近时限）、green（绿灯）", false},
          {"review", "query", "确认状态（中文或英文名，all 为全部；默认只列已确认的）", false},
          {"q", "query", "工作任务或问题描述中含有的文字（1–100 个字符）", false},
          {"sort", "query",
           "排序：id（编号，默认）、-id（编号倒序）、deadline（时限，无时限的在后）、updated（最近修改的在前）", false}};
}

std::optional<HttpResponse> ParseItemFilter(const HttpRequest& request, ItemFilter* filter) {
  if (std::optional<std::string> kind = request.Query("kind")) {
    filter->kind = ParseItemKind(*kind);
    if (!filter->kind) return ErrorResponse(400, "kind 应为 plan（工作任务）或 problem（问题整改）。");
  }
  if (std::optional<std::string> status = request.Query("status")) {
    filter->status = ParseItemStatus(*status);
    if (!filter->status) return ErrorResponse(400, "没有这个状态：" + *status + "。");
  }
  if (std::optional<std::string> unit = request.Query("unit")) filter->unit = *unit;
  std::optional<int64_t> year = IntegerQuery(request, "year", 0, 9999);
  std::optional<int64_t> overdue = IntegerQuery(request, "overdue", 0, 1);
  if (!year) return ErrorResponse(400, "year 应为年份数字。");
  if (!overdue) return ErrorResponse(400, "overdue 应为 0 或 1。");
  filter->year = static_cast<int>(*year);
  filter->overdue = *overdue == 1;
  if (request.Query("due_within")) {
    std::optional<int64_t> days = IntegerQuery(request, "due_within", 0, 3660);
    if (!days) return ErrorResponse(400, "due_within 应为 0 到 3660 的天数。");
    filter->due_within_days = static_cast<int>(*days);
  }
  for (auto [name, field] : {std::pair{"deadline_from", &filter->deadline_from},
                             std::pair{"deadline_to", &filter->deadline_to}}) {
    if (std::optional<std::string> day = request.Query(name)) {
      if (!IsValidDay(*day)) return ErrorResponse(400, std::string(name) + " 应为 YYYY-MM-DD 格式的日期。");
      *field = *day;
    }
  }
  if (std::optional<std::string> warning = request.Query("warning")) {
    if (*warning == "red" || *warning == "红灯") {
      filter->warning = Warning::kRed;
    } else if (*warning == "yellow" || *warning == "黄灯") {
      filter->warning = Warning::kYellow;
    } else if (*warning == "green" || *warning == "绿灯") {
      filter->warning = Warning::kGreen;
    } else {
      return ErrorResponse(400, "warning 应为 red（红灯）、yellow（黄灯）或 green（绿灯）。");
    }
  }
  if (std::optional<std::string> review = request.Query("review")) {
    if (*review == "all" || *review == "全部") {
      filter->review.reset();
    } else {
      filter->review = ParseReviewState(*review);
      if (!filter->review) return ErrorResponse(400, "没有这个确认状态：" + *review + "。");
    }
  }
  if (std::optional<std::string> text = request.Query("q")) {
    if (text->empty() || text->size() > 300 || utf8::FindInvalid(*text) != text->size()) {
      return ErrorResponse(400, "q 应为 1 到 100 个字的文字。");
    }
    filter->text = *text;
  }
  if (std::optional<std::string> sort = request.Query("sort")) {
    if (*sort == "id") {
      filter->order = ItemFilter::Order::kId;
    } else if (*sort == "-id") {
      filter->order = ItemFilter::Order::kIdDescending;
    } else if (*sort == "deadline") {
      filter->order = ItemFilter::Order::kDeadline;
    } else if (*sort == "updated") {
      filter->order = ItemFilter::Order::kUpdated;
    } else {
      return ErrorResponse(400, "sort 应为 id、-id、deadline 或 updated。");
    }
  }
  return std::nullopt;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
namespace {

// POST login (public), logout, logout-all, password; GET me. `accounts`
// null (no accounts layer): login answers 503, the others 401 as any
// protected route.
void AddAuthRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  json credentials = {{"type", "object"},
                      {"required", {"name", "password"}},
                      {"additionalProperties", false},
                      {"properties",
                       {{"name", {{"type", "string"}, {"description", "登录名"}, {"maxLength", 64}}},
                        {"password", {{"type", "string"}, {"maxLength", 1024}}}}}};
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/auth/login",
      .operation_id = "login",
      .summary = "登录：成功时设置会话 Cookie（HttpOnly、SameSite=Strict，HTTPS 下 Secure），并返回修改类请求须带的 CSRF 令牌",
      .tag = "账户",
      .request_type = "application/json",
      .request_schema = credentials,
      .max_body = options.max_json_bytes,
      .response_schema = {{"type", "object"},
                          {"required", {"csrf_token", "user"}},
                          {"properties",
                           {{"csrf_token",
                             {{"type", "string"},
                              {"description", "修改类请求（POST/PUT/PATCH/DELETE）在 X-CSRF-Token 头中带上"}}},
                            {"user", PrincipalSchema()}}}},
      .responses = {{200, "已登录"},
                    {400, "请求体不是有效的 JSON 对象"},
                    {401, "登录名或密码不正确（不说明账户是否存在）"},
                    {403, "失败次数过多，账户已暂时锁定"},
                    {413, "请求体超过上限"},
                    {415, "请求体不是 application/json"},
                    {422, "字段缺失或类型不对"},
                    {429, "同一地址登录尝试过于频繁（Retry-After）"},
                    {503, "本服务没有启用账户"}},
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            HttpResponse error;
            std::optional<json> body = ParseJsonObject(context.request, &error);
            if (!body) return error;
            const std::string* name = StringField(*body, "name");
            const std::string* password = StringField(*body, "password");
            if (name == nullptr || password == nullptr || body->size() != 2) {
              return ErrorResponse(422, "请求体应为 {\"name\": 登录名, \"password\": 密码}。");
            }
            if (name->size() > 64 || password->size() > 1024) {
              return ErrorResponse(401, "用户名或密码错误。");  // the store's words for any failure
            }
            Result<LoginResult> login = accounts->Login(*name, *password, context.request.remote);
            if (!login.ok()) return ErrorResponse(500, login.status().message());
            switch (login->outcome) {
              case LoginResult::kSuccess:
                break;
              case LoginResult::kRefused:
                return ErrorResponse(401, login->message);
              case LoginResult::kLocked:
                return ErrorResponse(403, login->message);
              case LoginResult::kThrottled: {
                HttpResponse busy = ErrorResponse(429, login->message);
                busy.Set("Retry-After", "60");
                return busy;
              }
            }
            HttpResponse response =
                JsonResponse(200, {{"csrf_token", login->csrf_token}, {"user", PrincipalJson(login->principal)}});
            response.Set("Set-Cookie", SessionCookie(login->token, context.request.secure));
            response.user = login->principal.name;
            return response;
          },
      .blocking = true,
  });

  std::vector<std::pair<int, std::string>> logout_responses = {{200, "已退出，会话 Cookie 已清除"}};
  AddAuthResponses(&logout_responses);
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/auth/logout",
      .operation_id = "logout",
      .summary = "退出登录（本会话）",
      .tag = "账户",
      .action = "auth.logout",
      .response_schema = {{"type", "object"}, {"properties", {{"status", {{"type", "string"}, {"enum", {"ok"}}}}}}},
      .responses = logout_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            std::optional<std::string> token = context.request.Cookie(StoreAccounts::kSessionCookie);
            if (Status s = accounts->Logout(token.value_or(""), context.request.remote); !s.ok()) {
              return ErrorResponse(500, s.message());
            }
            HttpResponse response = JsonResponse(200, {{"status", "ok"}});
            response.Set("Set-Cookie", SessionCookie("", context.request.secure));
            return response;
          },
  });

  std::vector<std::pair<int, std::string>> everywhere_responses = {{200, "本账户的所有会话都已结束"}};
  AddAuthResponses(&everywhere_responses);
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/auth/logout-all",
      .operation_id = "logoutEverywhere",
      .summary = "在所有设备上退出登录（结束本账户的全部会话）",
      .tag = "账户",
      .action = "auth.logout",
      .response_schema = {{"type", "object"},
                          {"properties", {{"sessions", {{"type", "integer"}, {"description", "结束的会话数"}}}}}},
      .responses = everywhere_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            Result<int64_t> ended = accounts->LogoutEverywhere(*context.principal);
            if (!ended.ok()) return ErrorResponse(500, ended.status().message());
            HttpResponse response = JsonResponse(200, {{"sessions", *ended}});
            response.Set("Set-Cookie", SessionCookie("", context.request.secure));
            return response;
          },
  });

  std::vector<std::pair<int, std::string>> me_responses = {{200, "当前登录的账户"}};
  json me_schema = PrincipalSchema();
  me_schema["properties"]["csrf_token"] = {
      {"type", "string"}, {"description", "本会话的 CSRF 令牌（与登录时返回的相同），修改类请求在 X-CSRF-Token 头中带上"}};
  AddAuthResponses(&me_responses);
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/auth/me",
      .operation_id = "me",
      .summary = "当前登录的账户：登录名、角色、单位、管辖范围，是否须先修改密码；以及本会话的 CSRF 令牌（网页刷新后由此取回）",
      .tag = "账户",
      .action = "auth.me",
      .response_schema = me_schema,
      .responses = me_responses,
      .handler =
          [](RouteContext& context) {
            json body = PrincipalJson(*context.principal);
            std::optional<std::string> token = context.request.Cookie(StoreAccounts::kSessionCookie);
            if (token) body["csrf_token"] = AccessStore::CsrfTokenFor(*token);
            return JsonResponse(200, body);
          },
  });

  std::vector<std::pair<int, std::string>> password_responses = {{200, "密码已修改，本账户的其他会话已结束"},
                                                                  {400, "请求体不是有效的 JSON 对象"}};
  AddAuthResponses(&password_responses);
  password_responses.push_back({413, "请求体超过上限"});
  password_responses.push_back({415, "请求体不是 application/json"});
  password_responses.push_back({422, "原密码不正确，或新密码不符合安全策略（长度、字符种类、近几次用过的密码）"});
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/auth/password",
      .operation_id = "changePassword",
      .summary = "修改本人密码（初始密码或过期密码须先改，改前只能使用本组接口）",
      .tag = "账户",
      .action = "auth.password",
      .request_type = "application/json",
      .request_schema = {{"type", "object"},
                         {"required", {"old_password", "new_password"}},
                         {"additionalProperties", false},
                         {"properties",
                          {{"old_password", {{"type", "string"}, {"maxLength", 1024}}},
                           {"new_password", {{"type", "string"}, {"maxLength", 1024}}}}}},
      .max_body = options.max_json_bytes,
      .response_schema = {{"type", "object"}, {"properties", {{"status", {{"type", "string"}, {"enum", {"ok"}}}}}}},
      .responses = password_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            HttpResponse error;
            std::optional<json> body = ParseJsonObject(context.request, &error);
            if (!body) return error;
            const std::string* old_password = StringField(*body, "old_password");
            const std::string* new_password = StringField(*body, "new_password");
            if (old_password == nullptr || new_password == nullptr || body->size() != 2) {
              return ErrorResponse(422, "请求体应为 {\"old_password\": 原密码, \"new_password\": 新密码}。");
            }
            if (old_password->size() > 1024 || new_password->size() > 1024) {
              return ErrorResponse(422, "密码过长。");
            }
            Status s = accounts->ChangePassword(*context.principal, *old_password, *new_password);
            if (!s.ok()) {
              return ErrorResponse(s.code() == StatusCode::kInvalidArgument ? 422 : 500, s.message());
            }
            return JsonResponse(200, {{"status", "ok"}});
          },
      .blocking = true,
  });
}

}  // namespace
#pragma GCC diagnostic pop

// Each route is written with designated initializers naming only the
// members it sets; GCC 12 warns about the members left at their defaults.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
std::unique_ptr<Router> MakeApi(std::shared_ptr<Authenticator> auth, const ApiServices& services,
                                const ApiOptions& options) {
  std::shared_ptr<Authenticator> router_auth = auth;
  auto router = std::make_unique<Router>(std::move(auth));
  Router* r = router.get();

  router->Add(Route{
      .method = "GET",
      .pattern = "/healthz",
      .operation_id = "health",
      .summary = "服务是否在运行（负载均衡与监控用）",
      .tag = "运行",
      .response_schema = {{"type", "object"}, {"properties", {{"status", {{"type", "string"}, {"enum", {"ok"}}}}}}},
      .responses = {{200, "正在运行"}},
      .handler = [](RouteContext&) { return JsonResponse(200, {{"status", "ok"}}); },
  });

  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/openapi.json",
      .operation_id = "openapi",
      .summary = "本接口的 OpenAPI 3 文档（由路由表生成）",
      .tag = "运行",
      .response_schema = {{"type", "object"}},
      .responses = {{200, "OpenAPI 文档"}},
      .handler = [r](RouteContext&) { return JsonResponse(200, r->OpenApi(kVersion)); },
  });

  AddAuthRoutes(r, dynamic_cast<StoreAccounts*>(router_auth.get()), options);

  std::vector<std::pair<int, std::string>> upload_responses = {
      {201, "已保存（新内容）"},
      {200, "已保存过相同内容的文件"},
      {400, "请求体为空"},
  };
  AddAuthResponses(&upload_responses);
  upload_responses.push_back({413, "文件超过上限"});
  upload_responses.push_back({415, "不是可读取的格式（按内容判断，不看文件名），图片已损坏或不完整，或 name 的扩展名与内容不符"});
  upload_responses.push_back({422, "name 不是可用的文件名"});
  upload_responses.push_back({500, "无法写入数据目录"});
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/files",
      .operation_id = "uploadFile",
      .summary = "上传一个文件（Word .docx、PDF、.doc 或文本；作佐证材料的 JPEG、PNG 照片），按内容判断格式（图片须完整可解码），按内容的 SHA-256 保存；给出 name 时其扩展名须与内容相符",
      .tag = "分析",
      .action = "files.upload",
      .params = {{"name", "query", "原文件名（可选）：给出时扩展名须与内容相符（现场.png 须真是 PNG 图片），否则 415 并写明文件名", false}},
      .request_type = "application/octet-stream",
      .max_body = options.max_upload_bytes,
      .response_schema = {{"type", "object"},
                          {"required", {"file", "format", "size"}},
                          {"properties",
                           {{"file", {{"type", "string"}, {"description", "内容的 SHA-256（64 位十六进制）"}}},
                            {"format", {{"type", "string"}, {"enum", {"text", "docx", "pdf", "doc", "png", "jpeg"}}}},
                            {"size", {{"type", "integer"}}}}}},
      .responses = upload_responses,
      .handler =
          [uploads = services.uploads](RouteContext& context) {
            if (context.request.body.empty()) return ErrorResponse(400, "请求体为空：请上传文件的内容。");
            std::string name;
            if (context.request.query.find("name=") != std::string::npos) {
              std::optional<std::string> given = context.request.Query("name");
              if (!given || !IsPlainFileName(*given)) {
                return ErrorResponse(422, "文件名（name）不能为空、不能含路径（/ 或 \\）或控制字符，且不超过 255 字节。");
              }
              name = *given;
            }
            Result<StoredUpload> stored = uploads->Put(context.request.body, name);
            if (!stored.ok()) {
              StatusCode code = stored.status().code();
              int status = code == StatusCode::kInvalidArgument ? 415 : code == StatusCode::kEmpty ? 400 : 500;
              return ErrorResponse(status, stored.status().message());
            }
            return JsonResponse(stored->existed ? 200 : 201,
                                {{"file", stored->sha256}, {"format", stored->format}, {"size", stored->size}});
          },
  });

  std::vector<std::pair<int, std::string>> create_responses = {
      {202, "已排队，用返回的编号查询进度"},
      {400, "请求体不是有效的 JSON 对象或不是有效的 UTF-8"},
  };
  AddAuthResponses(&create_responses);
  create_responses.push_back({413, "请求体超过上限"});
  create_responses.push_back({415, "请求体不是 application/json"});
  create_responses.push_back({422, "字段缺失、类型不对、文件名含路径，没有这个上传的文件，或上传的是图片（只作佐证材料）"});
  create_responses.push_back({429, "分析队列已满，稍后再试（Retry-After）"});
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/jobs",
      .operation_id = "createJob",
      .summary = "分析一个已上传的文件（提纲、数字、校核），在后台的分析线程上进行",
      .tag = "分析",
      .action = "jobs.create",
      .request_type = "application/json",
      .request_schema = {{"type", "object"},
                         {"required", {"file", "name"}},
                         {"additionalProperties", false},
                         {"properties",
                          {{"file", {{"type", "string"}, {"description", "上传得到的 SHA-256"}}},
                           {"name",
                            {{"type", "string"},
                             {"description", "文件名（只作显示，不含路径；不能含 / 或 \\）"},
                             {"maxLength", 255}}}}}},
      .max_body = options.max_json_bytes,
      .response_schema = JobSchema(),
      .responses = create_responses,
      .handler =
          [services](RouteContext& context) {
            HttpResponse error;
            std::optional<json> body = ParseJsonObject(context.request, &error);
            if (!body) return error;
            for (const auto& [key, value] : body->items()) {
              if (key != "file" && key != "name") return ErrorResponse(422, "不认识的字段：" + key + "。");
            }
            auto file = body->find("file");
            auto name = body->find("name");
            if (file == body->end() || !file->is_string()) {
              return ErrorResponse(422, "字段 file 应是上传文件得到的 SHA-256 字符串。");
            }
            if (name == body->end() || !name->is_string()) return ErrorResponse(422, "字段 name 应是文件名字符串。");
            const std::string& file_hash = file->get_ref<const std::string&>();
            const std::string& file_name = name->get_ref<const std::string&>();
            if (!IsPlainFileName(file_name)) {
              return ErrorResponse(422, "文件名不能为空、不能含路径（/ 或 \\）或控制字符，且不超过 255 字节。");
            }
            if (!IsSha256Hex(file_hash) || !services.uploads->Has(file_hash)) {
              return ErrorResponse(422, "没有这个上传的文件：请先上传（POST /api/v1/files）。");
            }
            if (std::optional<HttpResponse> photo = NotADocument(*services.uploads, file_hash, file_name)) return *photo;
            std::optional<JobRecord> job = services.runner->Submit(PrincipalOwner(*context.principal), file_hash, file_name);
            if (!job) {
              HttpResponse busy = ErrorResponse(429, "服务器繁忙，分析队列已满，请稍后再试。");
              busy.Set("Retry-After", "5");
              return busy;
            }
            HttpResponse response = JsonResponse(202, JobJson(*job));
            response.Set("Location", "/api/v1/jobs/" + job->id);
            return response;
          },
  });

  std::vector<std::pair<int, std::string>> get_responses = {{200, "任务的状态、进度，完成时的结果"}};
  AddAuthResponses(&get_responses);
  get_responses.push_back({404, "没有这个任务（或不是本人的任务）"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/jobs/{id}",
      .operation_id = "getJob",
      .summary = "分析任务的状态、进度和结果",
      .tag = "分析",
      .action = "jobs.read",
      .params = {{"id", "path", "任务编号（创建任务时返回）", true}},
      .response_schema = JobSchema(),
      .responses = get_responses,
      .handler =
          [jobs = services.jobs](RouteContext& context) {
            std::optional<JobRecord> job = jobs->Get(context.params["id"]);
            if (!job || job->owner != PrincipalOwner(*context.principal)) return ErrorResponse(404, "没有这个任务。");
            return JsonResponse(200, JobJson(*job));
          },
  });

  AddItemRoutes(r, dynamic_cast<StoreAccounts*>(router_auth.get()), services, options);
  AddStatsRoutes(r, dynamic_cast<StoreAccounts*>(router_auth.get()), services, options);
  AddReportRoutes(r, dynamic_cast<StoreAccounts*>(router_auth.get()), services, options);
  AddAdminRoutes(r, dynamic_cast<StoreAccounts*>(router_auth.get()), options);
  AddReminderRoutes(r, dynamic_cast<StoreAccounts*>(router_auth.get()));
  AddCalendarRoutes(r, dynamic_cast<StoreAccounts*>(router_auth.get()), options);
  AddReminderSettingRoutes(r, dynamic_cast<StoreAccounts*>(router_auth.get()), options);
  AddSearchRoutes(r, dynamic_cast<StoreAccounts*>(router_auth.get()), services, options);
  AddDocumentRoutes(r, dynamic_cast<StoreAccounts*>(router_auth.get()), options);

  if (!options.static_dir.empty()) {
    router->SetFallback([root = options.static_dir](const HttpRequest& request) -> std::optional<HttpResponse> {
      if (request.path.rfind("/api/", 0) == 0) return std::nullopt;
      const bool gzip = request.Header("accept-encoding").find("gzip") != std::string_view::npos;
      if (std::optional<HttpResponse> file = StaticFile(root, request.path, gzip)) return file;
      if (IsAppPage(request)) return StaticFile(root, "/index.html", gzip);
      return std::nullopt;
    });
  }
  return router;
}
#pragma GCC diagnostic pop

}  // namespace taizhang::server_internal
