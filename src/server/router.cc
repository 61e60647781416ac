// The route table, dispatch in a fixed order of checks, the error shape and
// the OpenAPI document generated from the table.
#include "server/router.h"

#include <algorithm>
#include <exception>

#include "common/utf8.h"

namespace taizhang {

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

std::optional<std::string> HttpRequest::Cookie(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t end = rest.find(';');
      std::string_view pair = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view k = pair.substr(0, eq);
      while (!k.empty() && k.back() == ' ') k.remove_suffix(1);
      if (k == name) {
        std::string_view v = pair.substr(eq + 1);
        while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
        return std::string(v);
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> HttpRequest::Query(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    size_t end = rest.find('&');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    size_t eq = pair.find('=');
    std::optional<std::string> key = server_internal::PercentDecode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string();
    return server_internal::PercentDecode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

void HttpResponse::Set(std::string name, std::string value) {
  for (auto& [key, v] : headers) {
    if (key == name) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view HttpResponse::Get(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

std::string_view ErrorCode(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 412: return "precondition_failed";
    case 413: return "payload_too_large";
    case 415: return "unsupported_media_type";
    case 422: return "unprocessable";
    case 429: return "too_many_requests";
    case 431: return "headers_too_large";
    case 500: return "internal";
    case 503: return "unavailable";
    default: return "error";
  }
}

HttpResponse ErrorResponse(int status, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", ErrorCode(status)}, {"message", message}}}};
  return server_internal::JsonResponse(status, body);
}

namespace {

class NoAccountsAuthenticator final : public Authenticator {
 public:
  std::optional<Principal> Authenticate(const HttpRequest&) override { return std::nullopt; }
  bool CheckCsrf(const HttpRequest&, const Principal&) override { return false; }
  bool Allows(const Principal&, std::string_view) override { return false; }
};

}  // namespace

std::shared_ptr<Authenticator> NoAccounts() { return std::make_shared<NoAccountsAuthenticator>(); }

namespace server_internal {

namespace {

bool StateChanging(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

// The media type of a Content-Type value, lower case, without parameters.
std::string MediaType(std::string_view value) {
  std::string out(value.substr(0, value.find(';')));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string SizeText(size_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KB";
  return std::to_string(bytes) + " 字节";
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (out.find('\0') != std::string::npos) return std::nullopt;
  if (utf8::FindInvalid(out) != out.size()) return std::nullopt;
  return out;
}

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  HttpResponse response;
  response.status = status;
  response.Set("Content-Type", "application/json; charset=utf-8");
  // Strings in responses may come from requests: never throw on bad UTF-8.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

std::optional<nlohmann::json> ParseJsonObject(const HttpRequest& request, HttpResponse* error) {
  if (utf8::FindInvalid(request.body) != request.body.size()) {
    *error = ErrorResponse(400, "请求体不是有效的 UTF-8 文字。");
    return std::nullopt;
  }
  nlohmann::json value = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    *error = ErrorResponse(400, "请求体不是有效的 JSON。");
    return std::nullopt;
  }
  if (!value.is_object()) {
    *error = ErrorResponse(400, "请求体应是一个 JSON 对象（{…}）。");
    return std::nullopt;
  }
  return value;
}

Router::Router(std::shared_ptr<Authenticator> auth) : auth_(std::move(auth)) {
  if (!auth_) auth_ = NoAccounts();
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

void Router::SetFallback(std::function<std::optional<HttpResponse>(const HttpRequest&)> fallback) {
  fallback_ = std::move(fallback);
}

Router::Match Router::Find(std::string_view method, std::string_view path,
                           std::map<std::string, std::string>* params) const {
  Match match;
  std::vector<std::string_view> segments = Segments(path);
  std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  for (const Route& route : routes_) {
    std::vector<std::string_view> pattern = Segments(route.pattern);
    if (pattern.size() != segments.size()) continue;
    std::map<std::string, std::string> found;
    bool same = true;
    for (size_t i = 0; i < pattern.size() && same; ++i) {
      if (pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}') {
        found.emplace(std::string(pattern[i].substr(1, pattern[i].size() - 2)), std::string(segments[i]));
      } else {
        same = pattern[i] == segments[i];
      }
    }
    if (!same) continue;
    match.path_matched = true;
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += route.method;
    if (route.method == wanted && match.route == nullptr) {
      match.route = &route;
      if (params != nullptr) *params = std::move(found);
    }
  }
  return match;
}

bool Router::Blocking(std::string_view method, std::string_view path) const {
  Match match = Find(method, path, nullptr);
  return match.route != nullptr && match.route->blocking;
}

size_t Router::BodyLimit(std::string_view method, std::string_view path) const {
  Match match = Find(method, path, nullptr);
  return match.route != nullptr ? match.route->max_body : 0;
}

HttpResponse Router::Handle(const HttpRequest& request) const {
  try {
    std::map<std::string, std::string> params;
    Match match = Find(request.method, request.path, &params);
    if (match.route == nullptr) {
      if (match.path_matched) {
        HttpResponse response = ErrorResponse(405, "该地址不支持 " + request.method + " 方法。");
        response.Set("Allow", match.allow);
        return response;
      }
      if (fallback_ && (request.method == "GET" || request.method == "HEAD")) {
        if (std::optional<HttpResponse> response = fallback_(request)) return std::move(*response);
      }
      return ErrorResponse(404, "没有这个地址。");
    }
    const Route& route = *match.route;
    RouteContext context{request, std::nullopt, std::move(params)};
    if (!route.action.empty()) {
      context.principal = auth_->Authenticate(request);
      if (!context.principal) return ErrorResponse(401, "请先登录。");
      if (StateChanging(request.method) && !auth_->CheckCsrf(request, *context.principal)) {
        HttpResponse response = ErrorResponse(403, "请求缺少有效的防跨站令牌（CSRF），请刷新页面后重试。");
        response.user = context.principal->name;
        return response;
      }
      if (!auth_->Allows(*context.principal, route.action)) {
        HttpResponse response = ErrorResponse(403, "没有权限进行这项操作。");
        response.user = context.principal->name;
        return response;
      }
    }
    if (request.body.size() > route.max_body) {
      return ErrorResponse(413, "请求体过大（上限 " + SizeText(route.max_body) + "）。");
    }
    if (!route.request_type.empty() && !request.body.empty() && route.request_type != "application/octet-stream" &&
        MediaType(request.Header("content-type")) != route.request_type) {
      return ErrorResponse(415, "请求体的类型应为 " + route.request_type + "。");
    }
    HttpResponse response = route.handler(context);
    if (context.principal && response.user.empty()) response.user = context.principal->name;
    return response;
  } catch (const std::exception&) {
    return ErrorResponse(500, "服务器内部错误。");
  }
}

nlohmann::json Router::OpenApi(std::string_view version) const {
  using nlohmann::json;
  json error_schema = {
      {"type", "object"},
      {"required", {"error"}},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"required", {"code", "message"}},
          {"properties",
           {{"code", {{"type", "string"}, {"description", "稳定的英文代码，如 not_found"}}},
            {"message", {{"type", "string"}, {"description", "给用户看的中文说明"}}}}}}}}}};
  json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "taizhang API"},
        {"version", version},
        {"description", "工作任务台账与问题整改台账的 HTTP/JSON 接口。所有错误的形式相同：{\"error\":{\"code\",\"message\"}}。"}}},
      {"servers", json::array({{{"url", "/"}}})},
      {"components",
       {{"schemas", {{"Error", error_schema}}},
        {"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "taizhang_session"}}}}}}},
      {"paths", json::object()},
  };
  for (const Route& route : routes_) {
    json op = {{"operationId", route.operation_id}, {"summary", route.summary}, {"tags", {route.tag}}};
    if (route.action.empty()) {
      op["security"] = json::array();
    } else {
      op["security"] = json::array({{{"session", json::array()}}});
      op["x-action"] = route.action;
    }
    json parameters = json::array();
    for (const RouteParam& p : route.params) {
      parameters.push_back({{"name", p.name},
                            {"in", p.in},
                            {"required", p.in == "path" ? true : p.required},
                            {"description", p.description},
                            {"schema", {{"type", "string"}}}});
    }
    if (!parameters.empty()) op["parameters"] = parameters;
    if (!route.request_type.empty()) {
      json schema = route.request_type == "application/json"
                        ? route.request_schema
                        : json{{"type", "string"}, {"format", "binary"}};
      op["requestBody"] = {{"required", true},
                           {"description", "上限 " + SizeText(route.max_body)},
                           {"content", {{route.request_type, {{"schema", schema}}}}}};
    }
    json responses = json::object();
    for (const auto& [status, why] : route.responses) {
      json response = {{"description", why}};
      if (status < 300) {
        if (!route.response_type.empty()) {
          response["content"] = {{route.response_type, {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
        } else if (!route.response_schema.is_null()) {
          response["content"] = {{"application/json", {{"schema", route.response_schema}}}};
        }
      } else {
        response["content"] = {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}};
      }
      responses[std::to_string(status)] = response;
    }
    op["responses"] = responses;
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
    doc["paths"][route.pattern][method] = op;
  }
  return doc;
}

}  // namespace server_internal
}  // namespace taizhang
