// Text and HTML pieces shared by the renderers (internal to output/).
#ifndef TAIZHANG_OUTPUT_TEXT_UTIL_H_
#define TAIZHANG_OUTPUT_TEXT_UTIL_H_

#include <string>
#include <string_view>

#include "common/utf8.h"

namespace taizhang::output_internal {

// `text` cut to at most `width` columns (with … when cut) and padded to it.
inline std::string Cell(std::string_view text, int width) {
  std::string out;
  int used = 0;
  for (size_t i = 0; i < text.size();) {
    size_t at = i;
    char32_t c = utf8::Next(text, &i);
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    const int w = utf8::DisplayWidth(c);
    if (used + w > width - (i < text.size() ? 1 : 0) && i < text.size()) {
      out += "…";
      ++used;
      break;
    }
    if (c == ' ' && text[at] != ' ') {
      out += ' ';
    } else {
      out.append(text.substr(at, i - at));
    }
    used += w;
  }
  while (used < width) {
    out += ' ';
    ++used;
  }
  return out;
}

// `s` with & < > " escaped for HTML text and attribute values.
inline std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace taizhang::output_internal

#endif  // TAIZHANG_OUTPUT_TEXT_UTIL_H_
