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

}  // namespace taizhang::server_internal

#endif  // TAIZHANG_SERVER_HTTP_PARSE_H_
