#include "extract/sentence_hits.h"

#include <algorithm>
#include <array>
#include <memory>

#include "common/punctuation.h"
#include "common/utf8.h"
#include "extract/number_grammar.h"

namespace taizhang::extract_internal {

namespace {

// Flags of every code point of the BMP; above it only numbers can start
// (CanStartNumberSlow), and no time expression.
const std::array<uint16_t, 0x10000>& FlagTable() {
  static const auto* table = [] {
    auto* t = new std::array<uint16_t, 0x10000>{};
    for (char32_t cp = 0; cp < 0x10000; ++cp) {
      uint16_t f = 0;
      if (IsTimeStop(cp)) f |= kHitTime;
      if (CanStartNumber(cp)) f |= kHitNumber;
      if (cp == U'第' || cp == U'前') f |= kHitRankLead;
      if (cp == U'《' || cp == U'》' || cp == U'“' || cp == U'”') f |= kHitQuote;
      if (IsClauseBreak(cp)) f |= kHitClauseBreak;
      if (IsItemBreak(cp)) f |= kHitItemBreak;
      if (cp == U'；' || cp == ';' || cp == U'。' || cp == '\n') f |= kHitSentenceBreak;
      if (cp == U'“' || cp == U'、' || cp == U'各') f |= kHitListMark;
      (*t)[cp] = f;
    }
    return t;
  }();
  return *table;
}

bool IsContinuation(std::string_view text, size_t pos) {
  return pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80;
}

}  // namespace

void SentenceHits::Build(std::string_view text, Span s, bool text_valid) {
  span = s;
  hits.clear();
  const size_t end = std::min<size_t>(s.end, text.size());
  const std::string_view bounded = text.substr(0, end);
  const size_t begin = std::min<size_t>(s.begin, end);
  valid = text_valid ? !IsContinuation(text, begin) && !IsContinuation(text, end)
                     : utf8::FindInvalid(bounded.substr(begin)) == end - begin;
  if (!valid) return;
  const std::array<uint16_t, 0x10000>& table = FlagTable();
  // Valid UTF-8: each form decoded by its lead byte alone, as utf8::Next
  // decodes it.
  const auto* b = reinterpret_cast<const unsigned char*>(bounded.data());
  for (size_t i = begin; i < end;) {
    const unsigned char c = b[i];
    char32_t cp;
    size_t n;
    if (c < 0x80) {
      cp = c;
      n = 1;
    } else if (c >= 0xE0 && c < 0xF0) {
      cp = (static_cast<char32_t>(c & 0x0F) << 12) | (static_cast<char32_t>(b[i + 1] & 0x3F) << 6) |
           static_cast<char32_t>(b[i + 2] & 0x3F);
      n = 3;
    } else {
      size_t next = i;
      cp = utf8::Next(bounded, &next);
      n = next - i;
    }
    const uint16_t f = cp < 0x10000 ? table[cp] : (CanStartNumberSlow(cp) ? kHitNumber : 0);
    if (f != 0) hits.push_back(Hit{static_cast<uint32_t>(i), static_cast<uint32_t>(i + n), cp, f});
    i += n;
  }
}

size_t SentenceHits::RunStart(size_t floor, size_t pos, uint16_t flag) const {
  if (pos <= floor) return pos;
  auto it = std::lower_bound(hits.begin(), hits.end(), pos, [](const Hit& h, size_t p) { return h.pos < p; });
  while (it != hits.begin()) {
    --it;
    if (it->pos < floor) break;
    if ((it->flags & flag) != 0) return it->next;
  }
  return floor;
}

}  // namespace taizhang::extract_internal
