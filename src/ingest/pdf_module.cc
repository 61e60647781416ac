// taizhang-pdf.so: the words of every page of a PDF, with their boxes, from
// poppler. Loaded by ReadPdf (pdf_reader.cc) on the first PDF; see
// pdf_module.h for why it is a module.
#include "ingest/pdf_module.h"

// poppler's own classes (Debian's libpoppler-private-dev), as pdftotext uses
// them: poppler-cpp's page::text_list() made a TextOutputDev per page,
// copied the cross-reference table per page, converted every word to UTF-16
// and back, and kept a box per character of every word.
#include <Error.h>
#include <GlobalParams.h>
#include <PDFDoc.h>
#include <Page.h>
#include <Stream.h>
#include <TextOutputDev.h>

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

void QuietPoppler(ErrorCategory, Goffset, const char*) {}

bool NumberChar(char c) {
  return (c >= '0' && c <= '9') || c == ',' || c == '.' || c == '-' || c == '%';
}

// `word`'s characters as UTF-8 into `out` (what TextWord::getText gives with
// poppler's default UTF-8 text encoding, without a GooString per word).
void AppendUtf8(const TextWord& word, std::string* out) {
  for (int i = 0; i < word.getLength(); ++i) {
    const Unicode u = *word.getChar(i);
    if (u < 0x80) {
      out->push_back(static_cast<char>(u));
    } else if (u < 0x800) {
      out->push_back(static_cast<char>(0xc0 | (u >> 6)));
      out->push_back(static_cast<char>(0x80 | (u & 0x3f)));
    } else if (u < 0x10000) {
      out->push_back(static_cast<char>(0xe0 | (u >> 12)));
      out->push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (u & 0x3f)));
    } else if (u <= 0x10ffff) {
      out->push_back(static_cast<char>(0xf0 | (u >> 18)));
      out->push_back(static_cast<char>(0x80 | ((u >> 12) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (u & 0x3f)));
    }
  }
}

// The left and right edges of character `i` of `word` (as poppler-cpp's
// rectangle gave them: right = left + width).
double CharLeft(const TextWord& word, size_t i) {
  double x0, y0, x1, y1;
  word.getCharBBox(static_cast<int>(i), &x0, &y0, &x1, &y1);
  return x0;
}
double CharRight(const TextWord& word, size_t i) {
  double x0, y0, x1, y1;
  word.getCharBBox(static_cast<int>(i), &x0, &y0, &x1, &y1);
  return x0 + (x1 - x0);
}

// Appends the words of `word`. A word of numbers only is cut where its
// characters leave a gap wider than half an em: poppler glues the numbers
// of two narrow table columns ("107.00000057.000000") when they nearly touch.
void AddWord(const TextWord& word, std::vector<taizhang::ingest_internal::PdfWord>* words) {
  taizhang::ingest_internal::PdfWord w;
  AppendUtf8(word, &w.text);
  double left, top, right, bottom;
  word.getBBox(&left, &top, &right, &bottom);
  w.x0 = left;
  w.x1 = left + (right - left);
  w.y0 = top;
  w.y1 = top + (bottom - top);
  w.font_size = (w.y1 - w.y0) / 1.3;
  w.space_after = word.hasSpaceAfter();
  // ASCII only, so a byte of the text is a character of the word.
  const bool numeric = w.text.size() >= 4 && w.text.size() == static_cast<size_t>(word.getLength()) &&
                       std::all_of(w.text.begin(), w.text.end(), NumberChar);
  if (!numeric) {
    words->push_back(std::move(w));
    return;
  }
  // Where the word is cut: at a gap, or — a number overflowing its cell into
  // the next one's, "107.00000057.000000" — after as many decimals as the
  // last number has, when the word holds more than one decimal point.
  std::vector<size_t> cuts;
  for (size_t i = 1; i < w.text.size(); ++i) {
    if (CharLeft(word, i) - CharRight(word, i - 1) > 0.5 * w.font_size) cuts.push_back(i);
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
    part.x0 = from == 0 ? w.x0 : CharLeft(word, from);
    part.x1 = cut == w.text.size() ? w.x1 : CharRight(word, cut - 1);
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
  // poppler's settings through its own reference count — the one the OCR
  // module's poppler-cpp documents take and give back — held for the life
  // of the process: set directly, they were reset to nothing when the last
  // scan's document closed, and the next PDF read in the same process (an
  // import of many files, a search indexing them) crashed in poppler.
  // Held while the module is loaded (given back when it is unloaded).
  static const GlobalParamsIniter initer(QuietPoppler);
  static const bool quiet = [] {
    setErrorCallback(QuietPoppler);
    return true;
  }();
  (void)initer;
  (void)quiet;
  if (request->size > static_cast<size_t>(INT_MAX)) return PdfModuleResult::kTooMuchText;
  if (request->data == nullptr || request->size < 10) return PdfModuleResult::kDamaged;
  // The stream does not own the bytes; the document owns the stream.
  auto document = std::make_unique<PDFDoc>(
      new MemStream(request->data, 0, static_cast<Goffset>(request->size), Object(objNull)));
  if (!document->isOk()) {
    return document->getErrorCode() == errEncrypted ? PdfModuleResult::kEncrypted : PdfModuleResult::kDamaged;
  }
  const int page_count = document->getNumPages();
  if (page_count < 0 || static_cast<uint64_t>(page_count) > request->max_pages) {
    return PdfModuleResult::kTooManyPages;
  }
#ifdef TAIZHANG_PDF_MODULE_FAULT
  // The test-only build of the module (taizhang-pdf-fault.so) throws in the
  // middle of reading, for the test of the module boundary.
  const int fault_page = page_count / 2;
#endif
  // One output device for the whole document, as pdftotext: each page's
  // text is taken in endPage and replaced at the next startPage. Not raw
  // order: poppler's line building (merging the pieces of a word, spaces
  // between words) is what the assembly expects.
  TextOutputDev device(nullptr, false, 0, false, false);
  if (!device.isOk()) throw std::runtime_error("TextOutputDev");
  uint64_t text_bytes = 0;
  PdfPage out;
  for (int p = 0; p < page_count; ++p) {
#ifdef TAIZHANG_PDF_MODULE_FAULT
    if (p == fault_page) throw std::runtime_error("TAIZHANG_PDF_MODULE_FAULT: page " + std::to_string(p + 1));
#endif
    out.width = out.height = 0;
    out.words.clear();
    Page* page = document->getPage(p + 1);
    if (page != nullptr) {
      const PDFRectangle* crop = page->getCropBox();
      out.width = (crop->x1 + (crop->x2 - crop->x1)) - crop->x1;
      out.height = (crop->y1 + (crop->y2 - crop->y1)) - crop->y1;
      // The font size is taken from the word's height, which for CJK fonts
      // is about 1.3 em; the assembly only compares sizes and uses them as
      // tolerances.
      document->displayPageSlice(&device, p + 1, 72, 72, 0, false, false, false, -1, -1, -1, -1);
      const std::unique_ptr<TextWordList> list = device.makeWordList();
      for (int i = 0; i < list->getLength(); ++i) {
        const size_t before = out.words.size();
        AddWord(*list->get(i), &out.words);
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
