// taizhang-pdf.so: the words of every page of a PDF, with their boxes, from
// poppler. Loaded by ReadPdf (pdf_reader.cc) on the first PDF; see
// pdf_module.h for why it is a module.
#include "ingest/pdf_module.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include "common/module.h"

namespace {

void QuietPoppler(const std::string&, void*) {}

bool NumberChar(char c) {
  return (c >= '0' && c <= '9') || c == ',' || c == '.' || c == '-' || c == '%';
}

// Appends the words of `box`. A box of numbers only is cut where its
// characters leave a gap wider than half an em: poppler glues the numbers
// of two narrow table columns ("107.00000057.000000") when they nearly touch.
void AddBox(const poppler::text_box& box, std::vector<taizhang::ingest_internal::PdfWord>* words) {
  taizhang::ingest_internal::PdfWord w;
  poppler::byte_array utf8 = box.text().to_utf8();
  w.text.assign(utf8.begin(), utf8.end());
  poppler::rectf b = box.bbox();
  w.x0 = b.left();
  w.x1 = b.right();
  w.y0 = b.top();
  w.y1 = b.bottom();
  w.font_size = (b.bottom() - b.top()) / 1.3;
  w.space_after = box.has_space_after();
  const bool numeric = w.text.size() >= 4 && std::all_of(w.text.begin(), w.text.end(), NumberChar);
  if (!numeric) {
    words->push_back(std::move(w));
    return;
  }
  // Where the box is cut: at a gap, or — a number overflowing its cell into
  // the next one's, "107.00000057.000000" — after as many decimals as the
  // last number has, when the box holds more than one decimal point.
  std::vector<size_t> cuts;
  for (size_t i = 1; i < w.text.size(); ++i) {
    if (box.char_bbox(i).left() - box.char_bbox(i - 1).right() > 0.5 * w.font_size)
      cuts.push_back(i);
  }
  const size_t last_dot = w.text.rfind('.');
  if (cuts.empty() && std::count(w.text.begin(), w.text.end(), '.') > 1 &&
      last_dot + 1 < w.text.size()) {
    const size_t decimals = w.text.size() - last_dot - 1;
    for (size_t dot = w.text.find('.'); dot != last_dot; dot = w.text.find('.', dot + 1)) {
      const size_t end = dot + 1 + decimals;
      if (end < w.text.size() && std::all_of(w.text.begin() + dot + 1, w.text.begin() + end,
                                             [](char c) { return c >= '0' && c <= '9'; })) {
        cuts.push_back(end);
      }
    }
  }
  cuts.push_back(w.text.size());
  size_t from = 0;
  for (size_t cut : cuts) {
    if (cut <= from) continue;
    taizhang::ingest_internal::PdfWord part = w;
    part.text = w.text.substr(from, cut - from);
    part.x0 = from == 0 ? w.x0 : box.char_bbox(from).left();
    part.x1 = cut == w.text.size() ? w.x1 : box.char_bbox(cut - 1).right();
    part.space_after = cut == w.text.size() ? w.space_after : true;
    words->push_back(std::move(part));
    from = cut;
  }
}

}  // namespace

using taizhang::ingest_internal::PdfModuleRequest;
using taizhang::ingest_internal::PdfModuleResult;
using taizhang::ingest_internal::PdfModuleSink;
using taizhang::ingest_internal::SendPage;
using taizhang::ingest_internal::WriteDetail;
using taizhang::ingest_internal::PdfPage;
using taizhang::ingest_internal::PdfWord;

extern "C" __attribute__((visibility("default"))) int taizhang_module_version() { return taizhang::kModuleVersion; }

namespace {

// The body of taizhang_read_pdf_pages; may throw (poppler, std::bad_alloc).
PdfModuleResult ReadPages(const PdfModuleRequest* request, const PdfModuleSink* sink) {
  static const bool quiet = (poppler::set_debug_error_function(QuietPoppler, nullptr), true);
  (void)quiet;
  if (request->size > static_cast<size_t>(INT_MAX)) return PdfModuleResult::kTooMuchText;
  std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(request->data, static_cast<int>(request->size)));
  if (!document) return PdfModuleResult::kDamaged;
  if (document->is_locked()) return PdfModuleResult::kEncrypted;
  const int page_count = document->pages();
  if (page_count < 0 || static_cast<uint64_t>(page_count) > request->max_pages) {
    return PdfModuleResult::kTooManyPages;
  }
  const char* fault = std::getenv("TAIZHANG_PDF_MODULE_FAULT");
  uint64_t text_bytes = 0;
  for (int p = 0; p < page_count; ++p) {
    if (fault != nullptr && std::strcmp(fault, "throw") == 0 && p == page_count / 2) {
      throw std::runtime_error("TAIZHANG_PDF_MODULE_FAULT: page " + std::to_string(p + 1));
    }
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
        const size_t before = out.words.size();
        AddBox(box, &out.words);
        for (size_t k = before; k < out.words.size(); ++k) text_bytes += out.words[k].text.size();
      }
    }
    if (text_bytes > request->max_text_bytes) return PdfModuleResult::kTooMuchText;
    if (!SendPage(out, sink)) throw std::bad_alloc();
  }
  return PdfModuleResult::kOk;
}

}  // namespace

// C linkage, noexcept, plain data (common/module.h): nothing thrown inside
// poppler or this module leaves it.
extern "C" __attribute__((visibility("default"))) int taizhang_read_pdf_pages(const PdfModuleRequest* request,
                                                                              const PdfModuleSink* sink, char* detail,
                                                                              size_t detail_size) noexcept {
  try {
    return static_cast<int>(ReadPages(request, sink));
  } catch (const std::exception& e) {
    WriteDetail(e.what(), detail, detail_size);
  } catch (...) {
    WriteDetail("unknown exception", detail, detail_size);
  }
  return static_cast<int>(PdfModuleResult::kFailed);
}
