// The route table of the API (internal to server/): each route carries its
// handler and its documentation, so the OpenAPI document is generated from
// the table that dispatches (a route cannot exist undocumented). The router
// answers every failure in the one error shape of server.h, in this order:
// 404 no such path, 405 no such method on it, 401/403 authentication, CSRF
// and permission (Authenticator), 413 body over the route's limit, 415 wrong
// Content-Type, then the handler (400/422 for what it cannot use).
#ifndef TAIZHANG_SERVER_ROUTER_H_
#define TAIZHANG_SERVER_ROUTER_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/server.h"

namespace taizhang::server_internal {

struct RouteParam {
  std::string name;
  std::string in;  // "path" or "query"
  std::string description;
  bool required = true;
};

// What a handler gets: the request, its principal (protected routes) and
// the values of the pattern's {parameters}.
struct RouteContext {
  const HttpRequest& request;
  std::optional<Principal> principal;
  std::map<std::string, std::string> params;
};

struct Route {
  std::string method;        // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;       // "/api/v1/jobs/{id}": literal segments and {name} segments
  std::string operation_id;  // "getJob"
  std::string summary;       // one line in Chinese
  std::string tag;           // group in the document
  std::string action;        // Authenticator::Allows; "" = public (no session needed)
  std::vector<RouteParam> params;  // every {name} of the pattern, and the query parameters
  std::string request_type;  // "" (no body), "application/json", "application/octet-stream"
  nlohmann::json request_schema;   // JSON Schema of a JSON body
  size_t max_body = 0;       // bytes; a larger body is 413 before it is read
  nlohmann::json response_schema;  // JSON Schema of the success body
  std::vector<std::pair<int, std::string>> responses;  // every status it answers, with why
  std::function<HttpResponse(RouteContext&)> handler;
  // The handler may take long on the CPU (a password check): the transport
  // runs it on its blocking pool, not on an I/O thread.
  bool blocking = false;
  // The media type of a success body that is a file, not JSON ("text/html",
  // a Word document …); "" for JSON (response_schema).
  std::string response_type;
};

class Router {
 public:
  explicit Router(std::shared_ptr<Authenticator> auth);

  void Add(Route route);
  const std::vector<Route>& routes() const { return routes_; }
  // Answers GET/HEAD requests no route matches (static files); nullopt: 404.
  void SetFallback(std::function<std::optional<HttpResponse>(const HttpRequest&)> fallback);

  // The limit on the body of a request to `method` `path`, known from its
  // headers (so the transport answers 413 before reading the body).
  size_t BodyLimit(std::string_view method, std::string_view path) const;
  // Whether the route of `method` `path` is blocking (Route::blocking).
  bool Blocking(std::string_view method, std::string_view path) const;
  // Dispatches a request whose headers and body have been read. Never
  // throws: an exception from a handler is a 500 in the error shape.
  HttpResponse Handle(const HttpRequest& request) const;

  // The OpenAPI 3.0 document of every route.
  nlohmann::json OpenApi(std::string_view version) const;

 private:
  struct Match {
    const Route* route = nullptr;
    bool path_matched = false;  // some route has this path (405 when no method does)
    std::string allow;          // the methods of that path
    size_t params = 0;          // the {parameters} of the route found
  };
  Match Find(std::string_view method, std::string_view path, std::map<std::string, std::string>* params) const;

  std::shared_ptr<Authenticator> auth_;
  std::vector<Route> routes_;
  std::function<std::optional<HttpResponse>(const HttpRequest&)> fallback_;
};

// Percent-decodes a path or query component; nullopt when malformed (a bad
// escape, NUL, invalid UTF-8). `plus_is_space` for query values.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// A JSON request body parsed, or the 400 to answer (malformed, invalid
// UTF-8, not an object).
std::optional<nlohmann::json> ParseJsonObject(const HttpRequest& request, HttpResponse* error);

// A JSON response (UTF-8; application/json).
HttpResponse JsonResponse(int status, const nlohmann::json& body);

}  // namespace taizhang::server_internal

#endif  // TAIZHANG_SERVER_ROUTER_H_
