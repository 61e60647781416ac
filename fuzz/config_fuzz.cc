// Fuzz target for the check config parser (taizhang.json is user input):
// any bytes give options or a Chinese error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "check/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  taizhang::Result<taizhang::CheckOptions> options = taizhang::ParseCheckConfig(text, "fuzz.json");
  if (!options.ok() && options.status().message().empty()) __builtin_trap();
  return 0;
}
