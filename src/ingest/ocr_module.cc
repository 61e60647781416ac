// taizhang-ocr.so: the words of a scanned PDF, recognised by Tesseract on
// pages that poppler renders. Loaded by ReadPdf (pdf_reader.cc) on the first
// PDF without a text layer; see ocr_module.h.
#include "ingest/ocr_module.h"

#include <leptonica/allheaders.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "common/module.h"

namespace {

using taizhang::ingest_internal::OcrModuleRequest;
using taizhang::ingest_internal::OcrModuleResult;
using taizhang::ingest_internal::PdfModuleSink;
using taizhang::ingest_internal::SendPage;
using taizhang::ingest_internal::WriteDetail;
using taizhang::ingest_internal::PdfPage;
using taizhang::ingest_internal::PdfWord;

void QuietPoppler(const std::string&, void*) {}

// The recognised words of the page image `image`, rendered at `dpi`, with
// their boxes converted from pixels to points.
void RecognisePage(tesseract::TessBaseAPI* api, const poppler::image& image, int dpi,
                   PdfPage* out) {
  api->SetImage(reinterpret_cast<const unsigned char*>(image.const_data()), image.width(),
                image.height(), 1, image.bytes_per_row());
  api->SetSourceResolution(dpi);
  if (api->Recognize(nullptr) != 0) return;
  std::unique_ptr<tesseract::ResultIterator> it(api->GetIterator());
  if (!it) return;
  const double scale = 72.0 / dpi;
  // Each word takes its text line's top and bottom (a recognised word's box
  // hugs its glyphs: "，" is small and low, "年" tall), so that the words of
  // a line form one row; its size is the line's height, the same for lines
  // of about the page's usual height, so that body lines compare equal.
  std::vector<double> heights;
  const size_t first = out->words.size();
  do {
    std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
    int left = 0, top = 0, right = 0, bottom = 0;
    int line_left = 0, line_top = 0, line_right = 0, line_bottom = 0;
    if (!text || !it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom) ||
        !it->BoundingBox(tesseract::RIL_TEXTLINE, &line_left, &line_top, &line_right,
                         &line_bottom)) {
      continue;
    }
    PdfWord w;
    w.text = text.get();
    while (!w.text.empty() && (w.text.back() == ' ' || w.text.back() == '\n')) w.text.pop_back();
    if (w.text.empty()) continue;
    w.x0 = left * scale;
    w.x1 = right * scale;
    w.y0 = line_top * scale;
    w.y1 = line_bottom * scale;
    w.font_size = w.y1 - w.y0;  // a line of Chinese glyphs is about an em high
    heights.push_back(w.font_size);
    w.space_after = false;
    out->words.push_back(std::move(w));
  } while (it->Next(tesseract::RIL_WORD));
  if (!heights.empty()) {
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    const double usual = heights[heights.size() / 2];
    for (size_t k = first; k < out->words.size(); ++k) {
      PdfWord& w = out->words[k];
      if (std::fabs(w.font_size - usual) < 0.2 * usual) w.font_size = usual;
    }
  }
  api->Clear();
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int taizhang_module_version() {
  return taizhang::kModuleVersion;
}

namespace {

// The body of taizhang_ocr_pdf_pages; may throw (poppler, Tesseract,
// std::bad_alloc). `detail` names the language or the page.
OcrModuleResult OcrPages(const OcrModuleRequest* request, const PdfModuleSink* sink, std::string* detail) {
  static const bool quiet = (poppler::set_debug_error_function(QuietPoppler, nullptr), true);
  (void)quiet;
  if (request->size > static_cast<size_t>(INT_MAX)) return OcrModuleResult::kDamaged;
  std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(request->data, static_cast<int>(request->size)));
  if (!document || document->is_locked()) return OcrModuleResult::kDamaged;
  tesseract::TessBaseAPI api;
  // The language data is found through TESSDATA_PREFIX or Tesseract's
  // built-in path. Its messages (in English, "Error opening data file …")
  // go nowhere: the caller says what is missing, in Chinese.
  api.SetVariable("debug_file", "/dev/null");
  if (api.Init(nullptr, request->language, tesseract::OEM_LSTM_ONLY) != 0) {
    *detail = request->language;
    return OcrModuleResult::kNoLanguageData;
  }
  api.SetPageSegMode(tesseract::PSM_AUTO);
  poppler::page_renderer renderer;
  renderer.set_render_hints(poppler::page_renderer::antialiasing |
                            poppler::page_renderer::text_antialiasing);
  renderer.set_image_format(poppler::image::format_gray8);
  const int page_count = document->pages();
  if (page_count < 0 || static_cast<uint64_t>(page_count) > request->max_pages) {
    return OcrModuleResult::kDamaged;
  }
  for (int p = 0; p < page_count; ++p) {
    std::unique_ptr<poppler::page> page(document->create_page(p));
    PdfPage out;
    if (page) {
      poppler::rectf rect = page->page_rect();
      out.width = rect.width();
      out.height = rect.height();
      poppler::image image = renderer.render_page(page.get(), request->dpi, request->dpi);
      if (!image.is_valid() || image.format() != poppler::image::format_gray8) {
        *detail = std::to_string(p + 1);
        return OcrModuleResult::kRenderFailed;
      }
      RecognisePage(&api, image, request->dpi, &out);
    }
    out.recognised = true;
    if (!SendPage(out, sink)) throw std::bad_alloc();
  }
  return OcrModuleResult::kOk;
}

}  // namespace

// C linkage, noexcept, plain data (common/module.h): nothing thrown inside
// poppler, Tesseract or this module leaves it.
extern "C" __attribute__((visibility("default"))) int taizhang_ocr_pdf_pages(
    const OcrModuleRequest* request, const PdfModuleSink* sink, char* detail, size_t detail_size) noexcept {
  try {
    std::string what;
    const OcrModuleResult result = OcrPages(request, sink, &what);
    WriteDetail(what.c_str(), detail, detail_size);
    return static_cast<int>(result);
  } catch (const std::exception& e) {
    WriteDetail(e.what(), detail, detail_size);
  } catch (...) {
    WriteDetail("unknown exception", detail, detail_size);
  }
  return static_cast<int>(OcrModuleResult::kFailed);
}
