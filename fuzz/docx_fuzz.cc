// Fuzz target for the Word reader: the input is the XML of a .docx's parts
// (word/document.xml, then optionally numbering.xml and styles.xml after
// "\n@@numbering\n" and "\n@@styles\n"), zipped in memory; an input that
// starts with "PK" is taken as the whole .docx file instead, to reach the zip
// handling. Any bytes give a text or a Chinese error, never a crash, and the
// text goes through the outline stage too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/ingest.h"
#include "outline/outline.h"
#include "tests/docx_builder.h"

namespace {

std::string_view Cut(std::string_view* rest, std::string_view marker) {
  size_t at = rest->find(marker);
  if (at == std::string_view::npos) return std::string_view();
  std::string_view tail = rest->substr(at + marker.size());
  *rest = rest->substr(0, at);
  return tail;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string bytes;
  if (input.substr(0, 2) == "PK") {
    bytes.assign(input);
  } else {
    std::string_view document = input;
    std::string_view styles = Cut(&document, "\n@@styles\n");
    std::string_view numbering = Cut(&document, "\n@@numbering\n");
    auto parts = taizhang::testing::DocxPackage({"", "", "", ""});
    parts["word/document.xml"] = std::string(document);
    std::string rels = parts["word/_rels/document.xml.rels"];
    std::string type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    std::string links;
    if (!numbering.empty()) {
      parts["word/numbering.xml"] = std::string(numbering);
      links += "<Relationship Id=\"rId2\" Type=\"" + type + "numbering\" Target=\"numbering.xml\"/>";
    }
    if (!styles.empty()) {
      parts["word/styles.xml"] = std::string(styles);
      links += "<Relationship Id=\"rId1\" Type=\"" + type + "styles\" Target=\"styles.xml\"/>";
    }
    rels.insert(rels.rfind("</Relationships>"), links);
    parts["word/_rels/document.xml.rels"] = rels;
    bytes = taizhang::testing::MakeZip(parts);
    if (bytes.empty()) return 0;
  }
  taizhang::ReadOptions options;
  options.max_part_bytes = 8 << 20;
  auto source = taizhang::DecodeDocument("fuzz.docx", std::move(bytes), options);
  if (!source.ok()) {
    if (source.status().message().empty()) __builtin_trap();
    return 0;
  }
  // A Word document has one origin per line; bytes that are no zip at all
  // are read as text (no origins), which is right too.
  if (source->encoding() == "DOCX" && source->origins().size() != source->line_count()) __builtin_trap();
  taizhang::OutlineResult outline = taizhang::BuildOutline(*source);
  (void)outline;
  return 0;
}
