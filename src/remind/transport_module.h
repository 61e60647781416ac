// The boundary between taizhang and its transport module,
// taizhang-transport.so (transport_module.cc, over libcurl): HTTP POST and
// SMTP mail as two C functions over plain data. libcurl and what it pulls in
// (TLS, HTTP/2, LDAP, Kerberos …) are loaded only by runs that send a
// reminder, as libpq is for PostgreSQL (common/module.h: two C++ runtimes in
// one process, so no std:: object and no exception crosses).
//
// Every function returns 0 when the transfer completed (an HTTP answer was
// received, whatever its status; the mail server accepted the message) and
// 1 after handing a message (Chinese, with libcurl's own words) to `error`.
#ifndef TAIZHANG_REMIND_TRANSPORT_MODULE_H_
#define TAIZHANG_REMIND_TRANSPORT_MODULE_H_

#include <cstddef>

namespace taizhang::remind_internal {

struct TransportText {
  void* context;
  void (*append)(void* context, const char* text, size_t size) noexcept;
};

struct TransportApi {
  // POST `body` to `url` with `headers` ("Name: value"); the status into
  // *status, the answer's body appended to `response`.
  int (*post)(const char* url, const char* const* headers, size_t header_count, const char* body, size_t body_size,
              long timeout_ms, long* status, const TransportText* response, const TransportText* error) noexcept;
  // Sends `message` (headers and body, CRLF lines) through the SMTP server
  // at `url` (smtp://host:port or smtps://…), from `from` to `recipients`;
  // `user` "" logs in as nobody.
  int (*send_mail)(const char* url, const char* user, const char* password, const char* from,
                   const char* const* recipients, size_t recipient_count, const char* message, size_t message_size,
                   long timeout_ms, const TransportText* error) noexcept;
};

// Exported by the module with C linkage (besides taizhang_module_version):
//   const TransportApi* taizhang_transport_api() noexcept;
using TransportApiFn = const TransportApi* (*)() noexcept;

}  // namespace taizhang::remind_internal

#endif  // TAIZHANG_REMIND_TRANSPORT_MODULE_H_
