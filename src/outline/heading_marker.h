// Recognising numbering markers at the start of a paragraph (internal).
#ifndef TAIZHANG_OUTLINE_HEADING_MARKER_H_
#define TAIZHANG_OUTLINE_HEADING_MARKER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "outline/outline.h"

namespace taizhang::outline_internal {

struct MarkerMatch {
  MarkerKind kind;
  uint32_t length;        // bytes of the marker as typed ("（一）", "一是", "首先")
  uint32_t title_offset;  // bytes from the marker's start to where the title starts
  int number;             // 0 when the marker has no value of its own (最后)
};

// Matches a numbering marker at the very start of `text` (no leading white
// space). Returns nullopt when the text does not open with one. A digit
// followed by "." and another digit (1.5万) is a number, not a marker.
std::optional<MarkerMatch> MatchMarker(std::string_view text);

// Bytes of white space (ASCII, U+3000, NBSP, BOM) at the start of text.
uint32_t LeadingSpace(std::string_view text);

}  // namespace taizhang::outline_internal

#endif  // TAIZHANG_OUTLINE_HEADING_MARKER_H_
