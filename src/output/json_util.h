// JSON pieces shared by the renderers (internal to output/).
#ifndef TAIZHANG_OUTPUT_JSON_UTIL_H_
#define TAIZHANG_OUTPUT_JSON_UTIL_H_

#include <nlohmann/json.hpp>

#include "output/output.h"

namespace taizhang::output_internal {

// {"path": …, "ok": false, "error": {"code": …, "message": …}} for an input
// that could not be read.
inline nlohmann::json FileErrorJson(const OutlinedFile& file) {
  return {{"path", file.path},
          {"ok", false},
          {"error", {{"code", StatusCodeName(file.status.code())}, {"message", file.status.message()}}}};
}

}  // namespace taizhang::output_internal

#endif  // TAIZHANG_OUTPUT_JSON_UTIL_H_
