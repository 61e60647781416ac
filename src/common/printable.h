// File names as they are safe to print: a name may hold any byte but '/'
// and NUL, and a newline or escape sequence in it would break the one-line
// "file:line:column" of a message or drive the terminal. Control characters
// and bytes that are not UTF-8 are written as escapes; everything else,
// Chinese included, stays as it is.
#ifndef TAIZHANG_COMMON_PRINTABLE_H_
#define TAIZHANG_COMMON_PRINTABLE_H_

#include <string>
#include <string_view>

namespace taizhang {

// "a\nb.txt" → "a\\nb.txt"; other C0/C1 controls, DEL, U+2028/U+2029 and
// bytes of invalid UTF-8 → "\\xNN" or "\\u{NNNN}". Unchanged when nothing needs
// escaping.
std::string PrintableName(std::string_view name);

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_PRINTABLE_H_
