// Fuzz target for the number grammar and the quantity scanner: any text, as
// one span, must give quantities whose spans lie inside it and whose
// rendering never fails.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/utf8.h"
#include "extract/extract.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // The scanner works on decoded text, which ingest guarantees is UTF-8.
  if (taizhang::utf8::FindInvalid(text) != text.size()) return 0;
  taizhang::SourceText source("fuzz", "UTF-8", text, 0);
  std::vector<taizhang::Quantity> quantities;
  taizhang::ExtractQuantities(source, taizhang::Span{0, static_cast<uint32_t>(text.size())},
                              &quantities);
  uint32_t last = 0;
  for (const taizhang::Quantity& q : quantities) {
    if (q.span.begin < last || q.span.end > text.size() || q.span.begin >= q.span.end) {
      __builtin_trap();
    }
    last = q.span.end;
    if (q.value) (void)q.value->ToString();
    if (q.high) (void)q.high->ToString();
  }
  return 0;
}
