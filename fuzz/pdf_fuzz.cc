// Fuzz target for the PDF text assembly (the part of PDF reading that is
// taizhang's own; poppler parses the file): the input describes pages of
// words — per word four bytes (x, y, width, flags: bit 0 space after, bit 1
// new page, bits 2–3 font size step, bit 4 the page was recognised by OCR) and its text up to the
// next 0xFF byte. Any words give some text with one origin per line, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/pdf_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<taizhang::ingest_internal::PdfPage> pages(1);
  size_t i = 0;
  while (i + 4 <= size && pages.size() < 64) {
    uint8_t x = data[i], y = data[i + 1], width = data[i + 2], flags = data[i + 3];
    i += 4;
    size_t end = i;
    while (end < size && data[end] != 0xFF) ++end;
    if (flags & 2) pages.emplace_back();
    if (flags & 16) pages.back().recognised = true;
    taizhang::ingest_internal::PdfWord w;
    w.text.assign(reinterpret_cast<const char*>(data + i), end - i);
    w.x0 = x * 2.5;
    w.x1 = w.x0 + width;
    w.y0 = y * 3.5;
    w.font_size = 10 + 2 * ((flags >> 2) & 3);
    w.y1 = w.y0 + w.font_size * 1.3;
    w.space_after = flags & 1;
    pages.back().words.push_back(std::move(w));
    i = end + 1;
  }
  std::vector<taizhang::LineOrigin> origins;
  std::string text = taizhang::ingest_internal::AssemblePdfText(pages, &origins);
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  if (lines != origins.size()) __builtin_trap();
  return 0;
}
