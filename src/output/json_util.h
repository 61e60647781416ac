// JSON pieces shared by the renderers (internal to output/).
#ifndef TAIZHANG_OUTPUT_JSON_UTIL_H_
#define TAIZHANG_OUTPUT_JSON_UTIL_H_

#include <nlohmann/json.hpp>

#include "output/outline_output.h"

namespace taizhang::output_internal {

// {"path": …, "ok": false, "error": {"code": …, "message": …}} for an input
// that could not be read.
inline nlohmann::json FileErrorJson(const OutlinedFile& file) {
  return {{"path", file.path},
          {"ok", false},
          {"error", {{"code", StatusCodeName(file.status.code())}, {"message", file.status.message()}}}};
}

// Compact JSON text of a value (invalid UTF-8 replaced, never thrown).
inline std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A non-empty JSON object written with its closing brace left off, so that
// a large array member can follow piece by piece: `{"a":1` + `,"items":[`
// … `]}`. Large outputs are then never held as one JSON tree.
inline std::string OpenObject(const nlohmann::json& object) {
  std::string text = Dump(object);
  text.pop_back();  // the closing '}'
  return text;
}

}  // namespace taizhang::output_internal

#endif  // TAIZHANG_OUTPUT_JSON_UTIL_H_
