// The boundary between taizhang and its OCR module, taizhang-ocr.so: for a
// PDF without a text layer (a scan), the module renders each page with
// poppler at `dpi` and recognises its words with Tesseract, returning them
// with their boxes in points, as the PDF module does for a text layer, so
// the same assembly (pdf_reader.h) makes lines, paragraphs and tables of
// them. Tesseract and its language data are heavy and optional: the module
// is loaded on the first scanned PDF only (common/module.h).
#ifndef TAIZHANG_INGEST_OCR_MODULE_H_
#define TAIZHANG_INGEST_OCR_MODULE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/pdf_module.h"
#include "ingest/pdf_reader.h"

namespace taizhang::ingest_internal {

enum class OcrModuleResult : int {
  kOk = 0,
  kDamaged = 1,         // not a PDF poppler can open
  kNoLanguageData = 2,  // Tesseract could not load the language (detail says which)
  kRenderFailed = 3,    // a page could not be rendered
  kFailed = 4,          // an exception inside the module (detail: its what()), or the sink refused
};

struct OcrModuleRequest {
  const char* data = nullptr;
  size_t size = 0;
  int dpi = 300;
  const char* language = "chi_sim";  // Tesseract's name for Simplified Chinese
  uint64_t max_pages = 0;
};

// Exported by the module with C linkage (besides taizhang_module_version),
// plain data only (common/module.h):
//   int taizhang_ocr_pdf_pages(const OcrModuleRequest*, const PdfModuleSink*,
//                              char* detail, size_t detail_size) noexcept;
// returning an OcrModuleResult; `detail` (NUL-terminated) names the
// language, the page, or what failed. The words go to the sink page by page
// (recognised = 1).
using OcrPdfPagesFn = int (*)(const OcrModuleRequest*, const PdfModuleSink*, char*, size_t) noexcept;

}  // namespace taizhang::ingest_internal

#endif  // TAIZHANG_INGEST_OCR_MODULE_H_
