// SourceText: the decoded text and its line index.
#include <algorithm>
#include <atomic>
#include <cstring>

#include "common/utf8.h"
#include "ingest/ingest.h"

namespace taizhang {

SourceText::SourceText(std::string name, std::string encoding, std::string text,
                       uint32_t bom_bytes)
    : name_(std::move(name)),
      encoding_(std::move(encoding)),
      text_(std::move(text)),
      bom_bytes_(bom_bytes) {
  static std::atomic<uint64_t> next_id{1};
  id_ = next_id.fetch_add(1, std::memory_order_relaxed);
  // A line starts at 0 and after every "\n", "\r\n" or lone "\r".
  const char* data = text_.data();
  const size_t n = text_.size();
  if (n == 0) return;
  line_starts_.reserve(n / 64 + 1);
  line_starts_.push_back(0);
  size_t i = 0;
  while (i < n) {
    const void* hit_n = std::memchr(data + i, '\n', n - i);
    size_t next_n = hit_n ? static_cast<const char*>(hit_n) - data : n;
    // Lone "\r" terminators are rare; look for them only in the stretch before
    // the next "\n".
    const void* hit_r = std::memchr(data + i, '\r', next_n - i);
    while (hit_r) {
      size_t r = static_cast<const char*>(hit_r) - data;
      if (r + 1 < n && data[r + 1] == '\n') break;  // part of "\r\n"
      if (r + 1 < n) line_starts_.push_back(static_cast<uint32_t>(r + 1));
      hit_r = std::memchr(data + r + 1, '\r', next_n - r - 1);
    }
    if (!hit_n) break;
    if (next_n + 1 < n) line_starts_.push_back(static_cast<uint32_t>(next_n + 1));
    i = next_n + 1;
  }
}

uint32_t SourceText::LineEnd(uint32_t n) const {
  uint32_t end = n < line_count() ? line_starts_[n] : static_cast<uint32_t>(text_.size());
  uint32_t begin = line_starts_[n - 1];
  if (end > begin && text_[end - 1] == '\n') --end;
  if (end > begin && text_[end - 1] == '\r') --end;
  return end;
}

std::string_view SourceText::Line(uint32_t n) const {
  uint32_t begin = LineBegin(n);
  return std::string_view(text_).substr(begin, LineEnd(n) - begin);
}

uint32_t SourceText::LineOf(uint32_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<uint32_t>(it - line_starts_.begin());
}

Location SourceText::Locate(uint32_t offset) const {
  if (line_starts_.empty()) return Location{1, 1};
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  uint32_t line = LineOf(offset);
  if (line == 0) line = 1;
  uint32_t begin = LineBegin(line);
  uint32_t end = std::min(offset, LineEnd(line));
  // The last answer of this thread, if it was on the same line of this text
  // and not past `end`: count from there.
  thread_local struct {
    uint64_t id = 0;
    uint32_t line = 0, end = 0, column = 0;
  } last;
  uint32_t column;
  if (last.id == id_ && id_ != 0 && last.line == line && last.end <= end) {
    std::string_view between = std::string_view(text_).substr(last.end, end - last.end);
    column = last.column + static_cast<uint32_t>(utf8::CountCodePoints(between));
  } else {
    std::string_view prefix = std::string_view(text_).substr(begin, end - begin);
    column = static_cast<uint32_t>(utf8::CountCodePoints(prefix) + 1);
  }
  last.id = id_;
  last.line = line;
  last.end = end;
  last.column = column;
  return Location{line, column};
}

}  // namespace taizhang
