#include "common/printable.h"

#include <fmt/format.h>

#include "common/utf8.h"

namespace taizhang {

namespace {

bool NeedsEscape(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029;
}

}  // namespace

std::string PrintableName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  size_t i = 0;
  while (i < name.size()) {
    const size_t start = i;
    const char32_t cp = utf8::Next(name, &i);
    // A real U+FFFD in the name is three bytes; an invalid byte is one.
    const bool invalid = cp == utf8::kInvalid && i - start == 1;
    if (!invalid && !NeedsEscape(cp)) {
      out.append(name.substr(start, i - start));
      continue;
    }
    if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (invalid || cp < 0x100) {
      out += fmt::format("\\x{:02X}", invalid ? static_cast<unsigned char>(name[start]) : static_cast<unsigned>(cp));
    } else {
      out += fmt::format("\\u{{{:04X}}}", static_cast<unsigned>(cp));
    }
  }
  return out;
}

}  // namespace taizhang
