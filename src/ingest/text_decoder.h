// Encoding detection and conversion to UTF-8 (internal to ingest/).
#ifndef TAIZHANG_INGEST_TEXT_DECODER_H_
#define TAIZHANG_INGEST_TEXT_DECODER_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace taizhang::ingest_internal {

struct Decoded {
  std::string encoding;  // canonical name: "UTF-8", "GB18030", "UTF-16LE" ...
  std::string utf8;      // converted text without BOM
  uint32_t bom_bytes = 0;
};

// Guesses the encoding of `bytes` and converts to UTF-8. Order: BOM; UTF-16
// by NUL-byte pattern; strict UTF-8; strict GB18030. `forced` (an ICU converter
// name) skips detection. `name` is used in error messages only.
Result<Decoded> DecodeToUtf8(std::string_view name, std::string bytes,
                             const std::string& forced);

// Converts with the ICU converter `encoding`; fails at the first illegal
// sequence, reporting its line and column in the original.
Result<std::string> ConvertWithIcu(std::string_view name, std::string_view bytes,
                                   const char* encoding);

}  // namespace taizhang::ingest_internal

#endif  // TAIZHANG_INGEST_TEXT_DECODER_H_
