// The boundary between taizhang and its PDF module. poppler and the two
// dozen libraries behind it (NSS, fontconfig, freetype, TIFF …) cost a
// process ~8 ms to load and relocate — more than reading a whole Word
// report — so they live in a module, taizhang-pdf.so, that is loaded on the
// first PDF only (common/module.h).
#ifndef TAIZHANG_INGEST_PDF_MODULE_H_
#define TAIZHANG_INGEST_PDF_MODULE_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "ingest/pdf_reader.h"

namespace taizhang::ingest_internal {

enum class PdfModuleResult : int {
  kOk = 0,
  kDamaged = 1,       // not a PDF poppler can open, or truncated
  kEncrypted = 2,     // needs a password
  kTooManyPages = 3,  // more than max_pages
  kTooMuchText = 4,   // more than max_text_bytes of words
  kFailed = 5,        // an exception inside the module (detail: its what()), or the sink refused
};

struct PdfModuleRequest {
  const char* data = nullptr;
  size_t size = 0;
  uint64_t max_pages = 0;
  uint64_t max_text_bytes = 0;
};

// Where a module hands its words, page by page, as plain data (common/module.h:
// no std:: object crosses the boundary). The callbacks belong to the
// executable, copy what they are given, and return false when they cannot
// take it (out of memory): the module then stops with kFailed.
struct PdfModuleWord {
  const char* text;  // UTF-8, text_size bytes, not NUL-terminated
  size_t text_size;
  double x0, y0, x1, y1;
  double font_size;
  int space_after;
};
struct PdfModuleSink {
  void* context;
  bool (*begin_page)(void* context, double width, double height, int recognised) noexcept;
  bool (*add_word)(void* context, const PdfModuleWord* word) noexcept;
};

// A sink that fills `pages` (pdf_reader.cc), and what a module writes into
// a detail buffer.
PdfModuleSink PagesSink(std::vector<PdfPage>* pages);
inline constexpr size_t kModuleDetailSize = 256;

// Exported by the module with C linkage (besides taizhang_module_version):
//   int taizhang_read_pdf_pages(const PdfModuleRequest*, const PdfModuleSink*,
//                               char* detail, size_t detail_size) noexcept;
// returning a PdfModuleResult; for kFailed, `detail` (NUL-terminated) says
// what failed. A test-only build of the module (taizhang-pdf-fault.so,
// compiled with TAIZHANG_PDF_MODULE_FAULT) throws in the middle of reading,
// for the test of that boundary.
using ReadPdfPagesFn = int (*)(const PdfModuleRequest*, const PdfModuleSink*, char*, size_t) noexcept;

// Module side: hands `page` to the sink; false when the sink refused.
inline bool SendPage(const PdfPage& page, const PdfModuleSink* sink) noexcept {
  if (!sink->begin_page(sink->context, page.width, page.height, page.recognised ? 1 : 0)) return false;
  for (const PdfWord& w : page.words) {
    const PdfModuleWord word{w.text.data(), w.text.size(), w.x0, w.y0, w.x1, w.y1, w.font_size, w.space_after ? 1 : 0};
    if (!sink->add_word(sink->context, &word)) return false;
  }
  return true;
}

// Module side: `what` into the caller's detail buffer, cut to fit.
inline void WriteDetail(const char* what, char* detail, size_t detail_size) noexcept {
  if (detail != nullptr && detail_size > 0) std::snprintf(detail, detail_size, "%s", what ? what : "");
}

}  // namespace taizhang::ingest_internal

#endif  // TAIZHANG_INGEST_PDF_MODULE_H_
