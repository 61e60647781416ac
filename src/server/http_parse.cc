// Parsing one request with Beast's parser, and answering raw bytes as a
// connection would (AnswerRawRequest, for the fuzz target and tests).
#include "server/http_parse.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>

#include "server/api.h"
#include "server/http_server.h"

namespace taizhang {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace server_internal {

// The request as the routes see it; false when its target is unusable
// (not origin-form, bad percent escapes, NUL, invalid UTF-8).
bool ToHttpRequest(const http::request<http::string_body>& in, HttpRequest* out) {
  out->method = std::string(in.method_string());
  out->target = std::string(in.target());
  std::string_view target = in.target();
  if (target.empty() || target.front() != '/') return false;
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  out->query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
  std::optional<std::string> path = PercentDecode(raw_path, false);
  if (!path) return false;
  out->path = std::move(*path);
  out->headers.clear();
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out->headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out->body = in.body();
  return true;
}

HttpResponse TransportError(int status) {
  switch (status) {
    case 431: return ErrorResponse(431, "请求行或请求头过长。");
    case 413: return ErrorResponse(413, "请求体过大。");
    default: return ErrorResponse(400, "请求格式有误（不是有效的 HTTP/1.1 请求，或地址含无效的转义、字符）。");
  }
}

int StatusOfParseError(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  return 400;
}

HttpResponse AnswerRawRequest(const Router& router, std::string_view bytes, const TransportLimits& limits) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.eager(false);
  beast::error_code ec;
  size_t used = 0;
  // The header first (as a connection reads it), then the body's limit.
  while (!parser.is_header_done() && used < bytes.size()) {
    size_t n = parser.put(asio::const_buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) {
      HttpResponse response = TransportError(StatusOfParseError(ec));
      AddSecurityHeaders(&response, false);
      return response;
    }
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_header_done()) {
    HttpResponse response = TransportError(400);
    AddSecurityHeaders(&response, false);
    return response;
  }
  HttpRequest probe;
  probe.method = std::string(parser.get().method_string());
  std::string_view target = parser.get().target();
  std::optional<std::string> path = PercentDecode(target.substr(0, target.find('?')), false);
  size_t limit = path ? router.BodyLimit(probe.method, *path) : 0;
  if (limit == 0) limit = limits.default_body_bytes;
  parser.body_limit(limit);
  parser.eager(true);
  while (!parser.is_done() && used < bytes.size()) {
    size_t n = parser.put(asio::const_buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) {
      HttpResponse response = TransportError(StatusOfParseError(ec));
      AddSecurityHeaders(&response, false);
      return response;
    }
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec || !parser.is_done()) {
      HttpResponse response = TransportError(ec ? StatusOfParseError(ec) : 400);
      AddSecurityHeaders(&response, false);
      return response;
    }
  }
  HttpRequest request;
  HttpResponse response =
      ToHttpRequest(parser.get(), &request) ? router.Handle(request) : TransportError(400);
  AddSecurityHeaders(&response, false);
  return response;
}


std::optional<std::string> NormalizeAddress(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string copy(text);
  char out[INET6_ADDRSTRLEN];
  unsigned char bytes[sizeof(struct in6_addr)];
  if (inet_pton(AF_INET, copy.c_str(), bytes) == 1) {
    return std::string(inet_ntop(AF_INET, bytes, out, sizeof out));
  }
  if (inet_pton(AF_INET6, copy.c_str(), bytes) == 1) {
    return std::string(inet_ntop(AF_INET6, bytes, out, sizeof out));
  }
  return std::nullopt;
}

namespace {

// "10.0.0.8:50312" → "10.0.0.8"; "[::1]:8080" → "::1"; a bare address as it is.
std::string_view PeerHost(std::string_view peer) {
  if (!peer.empty() && peer.front() == '[') {
    size_t close = peer.find(']');
    if (close != std::string_view::npos) return peer.substr(1, close - 1);
  }
  size_t colon = peer.rfind(':');
  if (colon != std::string_view::npos && peer.find(':') == colon) return peer.substr(0, colon);
  return peer;
}

bool IsTrusted(const std::string& address, const std::vector<std::string>& trusted) {
  return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

}  // namespace

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted) {
  if (trusted.empty() || forwarded_for.empty()) return peer;
  std::optional<std::string> hop = NormalizeAddress(PeerHost(peer));
  if (!hop || !IsTrusted(*hop, trusted)) return peer;
  std::string client = *hop;
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    size_t comma = rest.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    std::optional<std::string> address = NormalizeAddress(entry);
    if (!address) return client;  // no address: what is left of the header is not to be believed
    client = *address;
    if (!IsTrusted(client, trusted)) return client;
  }
  return client;  // every hop trusted: the leftmost
}

}  // namespace server_internal
}  // namespace taizhang
