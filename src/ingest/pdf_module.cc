// taizhang-pdf.so: the words of every page of a PDF, with their boxes, from
// poppler. Loaded by ReadPdf (pdf_reader.cc) on the first PDF; see
// pdf_module.h for why it is a module.
#include "ingest/pdf_module.h"

#include "common/module.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <climits>
#include <memory>
#include <string>

namespace {

void QuietPoppler(const std::string&, void*) {}

}  // namespace

using taizhang::ingest_internal::PdfModuleRequest;
using taizhang::ingest_internal::PdfModuleResult;
using taizhang::ingest_internal::PdfPage;
using taizhang::ingest_internal::PdfWord;

extern "C" __attribute__((visibility("default"))) int taizhang_module_version() { return taizhang::kModuleVersion; }

extern "C" __attribute__((visibility("default"))) int taizhang_read_pdf_pages(const PdfModuleRequest* request,
                                                                              std::vector<PdfPage>* pages) {
  static const bool quiet = (poppler::set_debug_error_function(QuietPoppler, nullptr), true);
  (void)quiet;
  if (request->size > static_cast<size_t>(INT_MAX)) return static_cast<int>(PdfModuleResult::kTooMuchText);
  std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(request->data, static_cast<int>(request->size)));
  if (!document) return static_cast<int>(PdfModuleResult::kDamaged);
  if (document->is_locked()) return static_cast<int>(PdfModuleResult::kEncrypted);
  const int page_count = document->pages();
  if (page_count < 0 || static_cast<uint64_t>(page_count) > request->max_pages) {
    return static_cast<int>(PdfModuleResult::kTooManyPages);
  }
  pages->clear();
  pages->reserve(page_count);
  uint64_t text_bytes = 0;
  for (int p = 0; p < page_count; ++p) {
    std::unique_ptr<poppler::page> page(document->create_page(p));
    PdfPage out;
    if (page) {
      poppler::rectf rect = page->page_rect();
      out.width = rect.width();
      out.height = rect.height();
      // Without text_list_include_font (a third of the time on the seed):
      // the font size is taken from the box height, which for CJK fonts is
      // about 1.3 em; the assembly only compares sizes and uses them as
      // tolerances.
      for (const poppler::text_box& box : page->text_list()) {
        PdfWord w;
        poppler::byte_array utf8 = box.text().to_utf8();
        w.text.assign(utf8.begin(), utf8.end());
        poppler::rectf b = box.bbox();
        w.x0 = b.left();
        w.x1 = b.right();
        w.y0 = b.top();
        w.y1 = b.bottom();
        w.font_size = (b.bottom() - b.top()) / 1.3;
        w.space_after = box.has_space_after();
        text_bytes += w.text.size();
        out.words.push_back(std::move(w));
      }
    }
    if (text_bytes > request->max_text_bytes) return static_cast<int>(PdfModuleResult::kTooMuchText);
    pages->push_back(std::move(out));
  }
  return static_cast<int>(PdfModuleResult::kOk);
}
