#include "outline/sentence_splitter.h"

#include "common/utf8.h"

namespace taizhang::outline_internal {

namespace {

enum class CharClass : uint8_t { kOther, kTerminator, kOpen, kClose, kSpace };

// Classifies the character at s[i] (i < end) and sets *len to its byte length.
// Only ASCII and the E2/E3/EF blocks hold punctuation that matters here, so
// Han characters (lead bytes E4–E9) are skipped without decoding.
inline CharClass Classify(const unsigned char* s, uint32_t i, uint32_t end, uint32_t* len) {
  unsigned char b = s[i];
  if (b < 0x80) {
    *len = 1;
    switch (b) {
      case '!': case '?': return CharClass::kTerminator;
      case '(': case '[': return CharClass::kOpen;
      case ')': case ']': return CharClass::kClose;
      case ' ': case '\t': case '\n': case '\r': return CharClass::kSpace;
      default: return CharClass::kOther;
    }
  }
  if (b < 0xC0) {
    *len = 1;
    return CharClass::kOther;
  }
  if (b < 0xE0) {
    *len = 2;
    if (b == 0xC2 && i + 1 < end && s[i + 1] == 0xA0) return CharClass::kSpace;  // NBSP
    return CharClass::kOther;
  }
  if (b >= 0xF0) {
    *len = 4;
    return CharClass::kOther;
  }
  *len = 3;
  if ((b != 0xE2 && b != 0xE3 && b != 0xEF) || i + 2 >= end) return CharClass::kOther;
  char32_t cp = (char32_t(b & 0x0F) << 12) | (char32_t(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
  switch (cp) {
    case U'。': case U'！': case U'？':
      return CharClass::kTerminator;
    case U'“': case U'‘': case U'「': case U'『': case U'（': case U'《': case U'【': case U'〔':
      return CharClass::kOpen;
    case U'”': case U'’': case U'」': case U'』': case U'）': case U'》': case U'】': case U'〕':
      return CharClass::kClose;
    default:
      // The ideographic space U+3000 and the EN/EM/… spaces U+2000–U+200A.
      return utf8::IsInlineSpace(cp) ? CharClass::kSpace : CharClass::kOther;
  }
}

// One sentence end: the terminator's offset and the offset past it and the
// terminators and closers that directly follow.
struct End {
  uint32_t at;
  uint32_t after;
};

// Scans text[span] once. Collects sentence ends that respect quotes and
// brackets into *nested and every terminator into *flat; returns whether the
// brackets balance (then *nested is the right split). Stops after the first
// nested end when `first_only` is set.
bool ScanEnds(std::string_view text, Span span, bool first_only, std::vector<End>* nested,
              std::vector<End>* flat) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  int depth = 0;
  uint32_t i = span.begin;
  uint32_t len;
  while (i < span.end) {
    CharClass c = Classify(s, i, span.end, &len);
    if (c == CharClass::kOpen) {
      ++depth;
    } else if (c == CharClass::kClose) {
      if (depth > 0) --depth;  // a stray closer opens nothing
    } else if (c == CharClass::kTerminator) {
      uint32_t at = i;
      uint32_t j = i + len;
      int d = depth;
      // 。” ？！ ：take following terminators and closers along.
      while (j < span.end) {
        uint32_t next_len;
        CharClass next = Classify(s, j, span.end, &next_len);
        if (next == CharClass::kTerminator) {
          j += next_len;
        } else if (next == CharClass::kClose) {
          if (d > 0) --d;
          j += next_len;
        } else {
          break;
        }
      }
      flat->push_back(End{at, j});
      if (d == 0) {
        nested->push_back(End{at, j});
        if (first_only) return true;
      }
      depth = d;
      i = j;
      continue;
    }
    i += len;
  }
  return depth == 0;
}

uint32_t SkipSpace(std::string_view text, uint32_t pos, uint32_t end) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  uint32_t len;
  while (pos < end && Classify(s, pos, end, &len) == CharClass::kSpace) pos += len;
  return pos;
}

uint32_t TrimSpaceEnd(std::string_view text, uint32_t begin, uint32_t end) {
  while (end > begin) {
    size_t p = end;
    if (!utf8::IsWhiteSpace(utf8::Prev(text.substr(0, end), &p)) || p < begin) break;
    end = static_cast<uint32_t>(p);
  }
  return end;
}

}  // namespace

void SplitSentences(std::string_view text, Span span, std::vector<Span>* out) {
  thread_local std::vector<End> nested, flat;
  nested.clear();
  flat.clear();
  bool balanced = ScanEnds(text, span, false, &nested, &flat);
  const std::vector<End>& ends = balanced ? nested : flat;
  uint32_t pos = SkipSpace(text, span.begin, span.end);
  for (const End& e : ends) {
    uint32_t end = TrimSpaceEnd(text, pos, e.after);
    if (end > pos) out->push_back(Span{pos, end});
    pos = SkipSpace(text, e.after, span.end);
  }
  if (pos < span.end) {
    uint32_t end = TrimSpaceEnd(text, pos, span.end);
    if (end > pos) out->push_back(Span{pos, end});
  }
}

uint32_t FirstSentenceEnd(std::string_view text, Span span, uint32_t* after) {
  thread_local std::vector<End> nested, flat;
  nested.clear();
  flat.clear();
  ScanEnds(text, span, true, &nested, &flat);
  const std::vector<End>& ends = !nested.empty() ? nested : flat;
  if (ends.empty()) {
    *after = span.end;
    return span.end;
  }
  *after = ends.front().after;
  return ends.front().at;
}

}  // namespace taizhang::outline_internal
