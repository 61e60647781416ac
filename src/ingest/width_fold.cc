// FoldWidth: full-width digits, letters and ％ to ASCII for analysis.
#include <algorithm>

#include "common/utf8.h"
#include "ingest/ingest.h"

namespace taizhang {

namespace {

bool IsFoldable(char32_t cp) {
  return (cp >= 0xFF10 && cp <= 0xFF19) ||  // ０-９
         (cp >= 0xFF21 && cp <= 0xFF3A) ||  // Ａ-Ｚ
         (cp >= 0xFF41 && cp <= 0xFF5A) ||  // ａ-ｚ
         cp == 0xFF05;                      // ％
}

}  // namespace

FoldedText FoldWidth(std::string_view input) {
  FoldedText out;
  out.text.reserve(input.size());
  size_t i = 0;
  size_t copied = 0;  // input offset up to which bytes were copied verbatim
  while (i < input.size()) {
    size_t at = i;
    char32_t cp = utf8::Next(input, &i);
    if (!IsFoldable(cp)) continue;
    out.text.append(input.substr(copied, at - copied));
    out.text.push_back(static_cast<char>(cp - 0xFEE0));
    copied = i;
    // After this character the offsets differ by a new amount.
    out.anchors.emplace_back(static_cast<uint32_t>(out.text.size()),
                             static_cast<uint32_t>(i));
  }
  out.text.append(input.substr(copied));
  return out;
}

uint32_t FoldedText::ToInput(uint32_t folded_offset) const {
  // Last anchor at or before folded_offset.
  auto it = std::upper_bound(
      anchors.begin(), anchors.end(), folded_offset,
      [](uint32_t v, const std::pair<uint32_t, uint32_t>& a) { return v < a.first; });
  if (it == anchors.begin()) return folded_offset;
  --it;
  // Folded characters are one ASCII byte, so no offset falls inside one.
  return it->second + (folded_offset - it->first);
}

}  // namespace taizhang
