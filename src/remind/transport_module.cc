// taizhang-transport.so: HTTP POST and SMTP mail over libcurl, behind the C
// functions of transport_module.h. Built against Debian's libstdc++, apart
// from the executable's: nothing but plain data crosses, nothing throws out.
#include <curl/curl.h>

#include <cstring>
#include <mutex>
#include <string>

#include "common/module.h"
#include "remind/transport_module.h"

namespace taizhang::remind_internal {

namespace {

void Report(const TransportText* error, const std::string& message) {
  if (error != nullptr) error->append(error->context, message.data(), message.size());
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t WriteToText(char* data, size_t size, size_t count, void* context) {
  auto* text = static_cast<const TransportText*>(context);
  if (text != nullptr) text->append(text->context, data, size * count);
  return size * count;
}

struct Upload {
  const char* data;
  size_t size;
  size_t sent = 0;
};

size_t ReadFromUpload(char* buffer, size_t size, size_t count, void* context) {
  auto* upload = static_cast<Upload*>(context);
  size_t n = std::min(size * count, upload->size - upload->sent);
  std::memcpy(buffer, upload->data + upload->sent, n);
  upload->sent += n;
  return n;
}

std::string CurlMessage(CURLcode code, const char* detail) {
  std::string words = detail != nullptr && *detail != '\0' ? detail : curl_easy_strerror(code);
  return words;
}

// One transfer: an easy handle with what every request sets (the address,
// the protocols allowed, the timeout, no signals, the error buffer) and the
// list of header lines or recipients it owns; the caller sets the rest and
// calls Perform, which reports a failure in words.
class Transfer {
 public:
  Transfer(const char* url, const char* protocols, long timeout_ms) : curl_(curl_easy_init()) {
    if (curl_ == nullptr) return;
    curl_easy_setopt(curl_, CURLOPT_URL, url);
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, detail_);
  }
  ~Transfer() {
    curl_slist_free_all(list_);
    if (curl_ != nullptr) curl_easy_cleanup(curl_);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* curl() const { return curl_; }
  // `items` as a curl list that lives as long as the transfer.
  curl_slist* List(const char* const* items, size_t count) {
    for (size_t i = 0; i < count; ++i) list_ = curl_slist_append(list_, items[i]);
    return list_;
  }
  bool Perform(const TransportText* error) {
    if (curl_ == nullptr) {
      Report(error, "无法初始化 libcurl。");
      return false;
    }
    CURLcode code = curl_easy_perform(curl_);
    if (code != CURLE_OK) {
      Report(error, CurlMessage(code, detail_));
      return false;
    }
    return true;
  }

 private:
  CURL* curl_;
  curl_slist* list_ = nullptr;
  char detail_[CURL_ERROR_SIZE] = {0};
};

int Post(const char* url, const char* const* headers, size_t header_count, const char* body, size_t body_size,
         long timeout_ms, long* status, const TransportText* response, const TransportText* error) noexcept {
  try {
    GlobalInit();
    Transfer transfer(url, "http,https", timeout_ms);
    if (CURL* curl = transfer.curl()) {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_size));
      curl_easy_setopt(curl, CURLOPT_HTTPHEADER, transfer.List(headers, header_count));
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteToText);
      curl_easy_setopt(curl, CURLOPT_WRITEDATA, response);
    }
    if (!transfer.Perform(error)) return 1;
    curl_easy_getinfo(transfer.curl(), CURLINFO_RESPONSE_CODE, status);
    return 0;
  } catch (...) {
    Report(error, "发送时内存不足。");
    return 1;
  }
}

int SendMail(const char* url, const char* user, const char* password, const char* from,
             const char* const* recipients, size_t recipient_count, const char* message, size_t message_size,
             long timeout_ms, const TransportText* error) noexcept {
  try {
    GlobalInit();
    Transfer transfer(url, "smtp,smtps", timeout_ms);
    Upload upload{message, message_size};
    if (CURL* curl = transfer.curl()) {
      if (user != nullptr && *user != '\0') {
        curl_easy_setopt(curl, CURLOPT_USERNAME, user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password);
        curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
      }
      curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
      curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, transfer.List(recipients, recipient_count));
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadFromUpload);
      curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    }
    return transfer.Perform(error) ? 0 : 1;
  } catch (...) {
    Report(error, "发送时内存不足。");
    return 1;
  }
}

constexpr TransportApi kApi{Post, SendMail};

}  // namespace

}  // namespace taizhang::remind_internal

extern "C" __attribute__((visibility("default"))) int taizhang_module_version() { return taizhang::kModuleVersion; }

extern "C" __attribute__((visibility("default"))) const taizhang::remind_internal::TransportApi*
taizhang_transport_api() noexcept {
  return &taizhang::remind_internal::kApi;
}
