// Punctuation classes shared by the stages that read clauses and lists.
#ifndef TAIZHANG_COMMON_PUNCTUATION_H_
#define TAIZHANG_COMMON_PUNCTUATION_H_

#include "common/utf8.h"

namespace taizhang {

// ，；：。！？ (full and half width) and line breaks: the end of a clause.
inline bool IsClauseBreak(char32_t cp) {
  switch (cp) {
    case U'，': case ',': case U'；': case ';': case U'：': case ':': case U'。': case U'！':
    case '!': case U'？': case '?': case '\n': case '\r':
      return true;
    default:
      return false;
  }
}

// Clause breaks, the list comma 、, brackets, quotes and spaces: the end of
// a phrase or a list item.
inline bool IsItemBreak(char32_t cp) {
  switch (cp) {
    case U'、': case U'（': case U'）': case '(': case ')': case U'“': case U'”': case U'《':
    case U'》': case U'【': case U'】':
      return true;
    default:
      return utf8::IsInlineSpace(cp) || IsClauseBreak(cp);
  }
}

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_PUNCTUATION_H_
