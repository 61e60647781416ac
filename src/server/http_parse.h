// The request parsing shared by the connections (http_server.cc) and the
// fuzz target (internal to server/): Beast's HTTP parser and message types
// only, no Asio networking and no coroutines, so the fuzz build (clang with
// sanitizers, which cannot compile the coroutines of http_server.cc) needs
// only this file of Beast.
#ifndef TAIZHANG_SERVER_HTTP_PARSE_H_
#define TAIZHANG_SERVER_HTTP_PARSE_H_

#include <boost/beast/http.hpp>

#include "server/router.h"
#include "server/server.h"

namespace taizhang::server_internal {

// The request as the routes see it; false when its target is unusable
// (not origin-form, bad percent escapes, NUL, invalid UTF-8).
bool ToHttpRequest(const boost::beast::http::request<boost::beast::http::string_body>& in, HttpRequest* out);
// The answer to a request refused before routing: 400, 413 or 431.
HttpResponse TransportError(int status);
// The status for a parse error: 431 past the header limit, 413 past the
// body limit, 400 otherwise.
int StatusOfParseError(const boost::beast::error_code& ec);

// The client of a request from `peer` ("10.0.0.2:50312", "[::1]:8080"):
// `peer` itself unless its address is one of `trusted` (normalized IP
// addresses, NormalizeAddress); then the X-Forwarded-For values
// `forwarded_for` (all of its headers joined by ',') read from the right,
// skipping trusted proxies: the first address that is not one, or the
// leftmost when all are. An entry that is no IP address ends the walk
// there (what is left of it was written by someone untrusted): the last
// trusted hop is the client then.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted);
// "10.0.0.8" → "10.0.0.8", "::FFFF:10.0.0.8" → "::ffff:10.0.0.8" (inet_ntop's
// form); "[::1]" accepted; nullopt for text that is no IP address.
std::optional<std::string> NormalizeAddress(std::string_view text);

}  // namespace taizhang::server_internal

#endif  // TAIZHANG_SERVER_HTTP_PARSE_H_
