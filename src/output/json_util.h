// JSON pieces shared by the renderers (internal to output/).
#ifndef TAIZHANG_OUTPUT_JSON_UTIL_H_
#define TAIZHANG_OUTPUT_JSON_UTIL_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/utf8.h"

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

// Appends `s` as a JSON string exactly as Dump writes it: text that needs no
// escaping (valid UTF-8 without control characters, quotes or backslashes)
// is copied as it is, anything else goes through the JSON library. For
// writers that build objects member by member instead of as trees.
inline void AppendJsonString(std::string* out, std::string_view s) {
  bool plain = true;
  for (unsigned char c : s) {
    if (c < 0x20 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain && utf8::FindInvalid(s) == s.size()) {
    out->push_back('"');
    out->append(s);
    out->push_back('"');
    return;
  }
  *out += Dump(nlohmann::json(std::string(s)));
}

}  // namespace taizhang::output_internal

#endif  // TAIZHANG_OUTPUT_JSON_UTIL_H_
