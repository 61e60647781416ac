// HTTP POST and SMTP mail for the channels (internal to remind/), through
// the module taizhang-transport.so (transport_module.h) loaded on first use.
#ifndef TAIZHANG_REMIND_TRANSPORT_H_
#define TAIZHANG_REMIND_TRANSPORT_H_

#include <string>
#include <vector>

#include "common/status.h"

namespace taizhang::remind_internal {

struct HttpAnswer {
  long status = 0;
  std::string body;
};

// The answer of the server (any status), or kUnreadable with the reason
// the request did not complete (connection refused, timeout …).
Result<HttpAnswer> HttpPost(const std::string& url, const std::vector<std::string>& headers, const std::string& body,
                            long timeout_ms);

// Ok when the SMTP server accepted `message` for every recipient.
Status SendMail(const std::string& url, const std::string& login, const std::string& password,
                const std::string& from, const std::vector<std::string>& recipients, const std::string& message,
                long timeout_ms);

}  // namespace taizhang::remind_internal

#endif  // TAIZHANG_REMIND_TRANSPORT_H_
