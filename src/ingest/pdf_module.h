// The boundary between taizhang and its PDF module. poppler and the two
// dozen libraries behind it (NSS, fontconfig, freetype, TIFF …) cost a
// process ~8 ms to load and relocate — more than reading a whole Word
// report — so they live in a module, taizhang-pdf.so, that is loaded on the
// first PDF only (common/module.h).
#ifndef TAIZHANG_INGEST_PDF_MODULE_H_
#define TAIZHANG_INGEST_PDF_MODULE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ingest/pdf_reader.h"

namespace taizhang::ingest_internal {

enum class PdfModuleResult : int {
  kOk = 0,
  kDamaged = 1,       // not a PDF poppler can open, or truncated
  kEncrypted = 2,     // needs a password
  kTooManyPages = 3,  // more than max_pages
  kTooMuchText = 4,   // more than max_text_bytes of words
};

struct PdfModuleRequest {
  const char* data = nullptr;
  size_t size = 0;
  uint64_t max_pages = 0;
  uint64_t max_text_bytes = 0;
};

// Exported by the module with C linkage (besides taizhang_module_version):
//   int taizhang_read_pdf_pages(const PdfModuleRequest*, std::vector<PdfPage>*);
// returning a PdfModuleResult.
using ReadPdfPagesFn = int (*)(const PdfModuleRequest*, std::vector<PdfPage>*);

}  // namespace taizhang::ingest_internal

#endif  // TAIZHANG_INGEST_PDF_MODULE_H_
