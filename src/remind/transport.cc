// Loads taizhang-transport.so once and calls it (transport.h).
#include "remind/transport.h"

#include "common/module.h"
#include "remind/transport_module.h"

namespace taizhang::remind_internal {

namespace {

struct TextSink {
  std::string text;
  TransportText c{this, [](void* context, const char* data, size_t size) noexcept {
                    try {
                      static_cast<TextSink*>(context)->text.append(data, size);
                    } catch (...) {
                    }
                  }};
};

Result<const TransportApi*> Api() {
  std::string error;
  auto fn = reinterpret_cast<TransportApiFn>(
      LoadModuleSymbol("taizhang-transport.so", "TAIZHANG_TRANSPORT_MODULE", "taizhang_transport_api", &error));
  if (fn == nullptr) return Status(StatusCode::kUnreadable, error);
  return fn();
}

}  // namespace

Result<HttpAnswer> HttpPost(const std::string& url, const std::vector<std::string>& headers, const std::string& body,
                            long timeout_ms) {
  auto api = Api();
  if (!api.ok()) return api.status();
  std::vector<const char*> header_texts;
  for (const std::string& h : headers) header_texts.push_back(h.c_str());
  TextSink response, error;
  HttpAnswer answer;
  if ((*api)->post(url.c_str(), header_texts.data(), header_texts.size(), body.data(), body.size(), timeout_ms,
                   &answer.status, &response.c, &error.c) != 0) {
    return Status(StatusCode::kUnreadable, error.text);
  }
  answer.body = std::move(response.text);
  return answer;
}

Status SendMail(const std::string& url, const std::string& login, const std::string& password,
                const std::string& from, const std::vector<std::string>& recipients, const std::string& message,
                long timeout_ms) {
  auto api = Api();
  if (!api.ok()) return api.status();
  std::vector<const char*> to;
  for (const std::string& r : recipients) to.push_back(r.c_str());
  TextSink error;
  if ((*api)->send_mail(url.c_str(), login.c_str(), password.c_str(), from.c_str(), to.data(), to.size(),
                        message.data(), message.size(), timeout_ms, &error.c) != 0) {
    return Status(StatusCode::kUnreadable, error.text);
  }
  return Status::Ok();
}

}  // namespace taizhang::remind_internal
