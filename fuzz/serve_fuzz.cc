// Fuzz target for the server's request parsing and routing: the input is
// the bytes of one HTTP request, parsed with the connection's parser and
// limits (AnswerRawRequest) and routed through the API with accounts that
// take the session cookie "fuzz" (so the JSON bodies are parsed and
// checked) but allow no upload (nothing is written). Every answer must
// carry the security headers, never be a 500, and every error must have
// the one error shape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "server/api.h"
#include "server/http_server.h"
#include "server/jobs.h"
#include "server/router.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

class FuzzAccounts final : public taizhang::Authenticator {
 public:
  std::optional<taizhang::Principal> Authenticate(const taizhang::HttpRequest& request) override {
    if (request.Cookie("taizhang_session") != "fuzz") return std::nullopt;
    taizhang::Principal principal;
    principal.user_id = 1;
    principal.name = "fuzz";
    return principal;
  }
  bool CheckCsrf(const taizhang::HttpRequest& request, const taizhang::Principal&) override {
    return request.Header("x-csrf-token") == "t";
  }
  bool Allows(const taizhang::Principal&, std::string_view action) override { return action != "files.upload"; }
};

struct World {
  World() {
    std::string pattern = "/tmp/taizhang-serve-fuzz-XXXXXX";
    dir = mkdtemp(pattern.data());
    uploads = taizhang::server_internal::UploadStore::Open(dir).value();
    jobs = taizhang::server_internal::MemoryJobStore();
    runner = std::make_unique<taizhang::server_internal::JobRunner>(jobs.get(), uploads.get(),
                                                                    taizhang::PoolOptions{1, 1});
    taizhang::server_internal::ApiOptions options;
    options.max_json_bytes = 2048;
    options.max_upload_bytes = 4096;
    router = taizhang::server_internal::MakeApi(std::make_shared<FuzzAccounts>(),
                                                {uploads.get(), jobs.get(), runner.get()}, options);
  }
  std::string dir;
  std::unique_ptr<taizhang::server_internal::UploadStore> uploads;
  std::unique_ptr<taizhang::server_internal::JobStore> jobs;
  std::unique_ptr<taizhang::server_internal::JobRunner> runner;
  std::unique_ptr<taizhang::server_internal::Router> router;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();
  taizhang::server_internal::TransportLimits limits;
  limits.max_header_bytes = 1024;
  limits.default_body_bytes = 1024;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  taizhang::HttpResponse response = taizhang::server_internal::AnswerRawRequest(*world->router, bytes, limits);
  Check(response.status >= 200 && response.status < 600);
  Check(response.status != 500);
  Check(!response.Get("Content-Security-Policy").empty());
  Check(response.Get("X-Content-Type-Options") == "nosniff");
  if (response.status >= 400) {
    nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    Check(body.is_object() && body.size() == 1 && body.contains("error"));
    Check(body["error"]["code"] == std::string(taizhang::ErrorCode(response.status)));
    Check(body["error"]["message"].is_string() && !body["error"]["message"].get<std::string>().empty());
  }
  return 0;
}
