// Fuzz target for the text path: decoding (encoding detection, ICU
// conversion) and the whole outline stage, then both renderers.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/ingest.h"
#include "outline/outline.h"
#include "output/outline_output.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  taizhang::ReadOptions options;
  options.max_bytes = 1 << 20;
  auto source = taizhang::DecodeText("fuzz.txt", std::string(reinterpret_cast<const char*>(data), size),
                                     options);
  if (!source.ok()) return 0;
  taizhang::OutlineResult outline = taizhang::BuildOutline(*source);
  taizhang::OutlinedFile file;
  file.path = "fuzz.txt";
  file.source = &*source;
  file.outline = &outline;
  taizhang::OutlineRenderOptions render;
  render.sentences = true;
  render.paragraphs = true;
  (void)taizhang::RenderOutlineText(file, render);
  (void)taizhang::RenderOutlineJson({file}, render);
  // Every position must map back into the text.
  for (const taizhang::Report& r : outline.reports) {
    for (const taizhang::Sentence& s : r.sentences) {
      if (s.span.end > source->text().size() || s.span.begin > s.span.end) __builtin_trap();
      (void)source->Locate(s.span.begin);
    }
    for (const taizhang::Heading& h : r.headings) {
      if (h.title.end > source->text().size() || h.depth < 1) __builtin_trap();
    }
  }
  (void)taizhang::FoldWidth(source->text());
  return 0;
}
