// What the transport does to the bytes of one request, without a socket
// (internal to server/; for the fuzz target and tests): the same parser,
// limits and conversion as a connection, then the router.
#ifndef TAIZHANG_SERVER_HTTP_SERVER_H_
#define TAIZHANG_SERVER_HTTP_SERVER_H_

#include <cstddef>
#include <string_view>

#include "server/router.h"
#include "server/server.h"

namespace taizhang::server_internal {

struct TransportLimits {
  size_t max_header_bytes = 16 * 1024;
  size_t default_body_bytes = 64 * 1024;  // for a path no route takes
};

// Parses `bytes` as one HTTP/1.1 request and answers it as a connection
// would: 400 for a malformed request, 431 for too long a request line or
// headers, 413 for a body over the route's limit, otherwise the router's
// response (security headers included).
HttpResponse AnswerRawRequest(const Router& router, std::string_view bytes, const TransportLimits& limits);

}  // namespace taizhang::server_internal

#endif  // TAIZHANG_SERVER_HTTP_SERVER_H_
