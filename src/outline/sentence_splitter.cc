#include "outline/sentence_splitter.h"

#include "common/utf8.h"

namespace taizhang::outline_internal {

namespace {

bool IsTerminator(char32_t cp) {
  return cp == U'。' || cp == U'！' || cp == U'？' || cp == '!' || cp == '?';
}

int OpenDelta(char32_t cp) {
  switch (cp) {
    case U'“': case U'‘': case U'「': case U'『': case U'（': case '(':
    case U'《': case U'【': case U'〔': case U'[':
      return 1;
    case U'”': case U'’': case U'」': case U'』': case U'）': case ')':
    case U'》': case U'】': case U'〕': case U']':
      return -1;
    default:
      return 0;
  }
}

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 || cp == 0xA0;
}

// Scans text[begin, end) for the first sentence end. With respect_depth, a
// terminator inside quotes or brackets does not count. Returns the offset of
// the terminator (or end) and sets *after past it and its closers.
uint32_t ScanEnd(std::string_view text, uint32_t begin, uint32_t end, bool respect_depth,
                 uint32_t* after) {
  int depth = 0;
  size_t i = begin;
  std::string_view bounded = text.substr(0, end);
  while (i < end) {
    size_t at = i;
    char32_t cp = utf8::Next(bounded, &i);
    int delta = OpenDelta(cp);
    if (delta != 0) {
      depth += delta;
      if (depth < 0) depth = 0;  // a stray closer does not open anything
      continue;
    }
    if (!IsTerminator(cp) || (respect_depth && depth > 0)) continue;
    // Take repeated terminators (？！) and closers that follow: 。” ）
    size_t j = i;
    while (j < end) {
      size_t k = j;
      char32_t next = utf8::Next(bounded, &k);
      if (IsTerminator(next) || OpenDelta(next) < 0) {
        j = k;
      } else {
        break;
      }
    }
    *after = static_cast<uint32_t>(j);
    return static_cast<uint32_t>(at);
  }
  *after = end;
  return end;
}

bool Balanced(std::string_view text, Span span) {
  int depth = 0;
  size_t i = span.begin;
  std::string_view bounded = text.substr(0, span.end);
  while (i < span.end) {
    depth += OpenDelta(utf8::Next(bounded, &i));
    if (depth < 0) depth = 0;
  }
  return depth == 0;
}

uint32_t SkipSpace(std::string_view text, uint32_t pos, uint32_t end) {
  std::string_view bounded = text.substr(0, end);
  while (pos < end) {
    size_t next = pos;
    if (!IsSpace(utf8::Next(bounded, &next))) break;
    pos = static_cast<uint32_t>(next);
  }
  return pos;
}

}  // namespace

void SplitSentences(std::string_view text, Span span, std::vector<Span>* out) {
  bool respect_depth = Balanced(text, span);
  uint32_t pos = SkipSpace(text, span.begin, span.end);
  while (pos < span.end) {
    uint32_t after;
    ScanEnd(text, pos, span.end, respect_depth, &after);
    uint32_t end = after;
    // Trailing white space is not part of the sentence.
    while (end > pos && (text[end - 1] == ' ' || text[end - 1] == '\n' || text[end - 1] == '\r' ||
                         text[end - 1] == '\t')) {
      --end;
    }
    if (end > pos) out->push_back(Span{pos, end});
    pos = SkipSpace(text, after, span.end);
  }
}

uint32_t FirstSentenceEnd(std::string_view text, Span span, uint32_t* after) {
  uint32_t end = ScanEnd(text, span.begin, span.end, /*respect_depth=*/true, after);
  if (end == span.end) end = ScanEnd(text, span.begin, span.end, false, after);
  return end;
}

}  // namespace taizhang::outline_internal
