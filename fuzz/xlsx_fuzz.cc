// Fuzz target for the Excel ledger reader: the input is the XML of a
// worksheet (xl/worksheets/sheet1.xml), then optionally the shared strings
// (xl/sharedStrings.xml) after "\n@@sharedStrings\n" and the workbook
// (xl/workbook.xml) after "\n@@workbook\n", zipped in memory; an input that
// starts with "PK" is taken as the whole .xlsx file instead, to reach the
// zip handling. Any bytes give a ledger or a Chinese error, never a crash;
// every item taken has a unit and a task, and a row.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "ledger/excel_internal.h"
#include "tests/docx_builder.h"

namespace {

std::string_view Cut(std::string_view* rest, std::string_view marker) {
  size_t at = rest->find(marker);
  if (at == std::string_view::npos) return std::string_view();
  std::string_view tail = rest->substr(at + marker.size());
  *rest = rest->substr(0, at);
  return tail;
}

constexpr const char* kRelType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string bytes;
  if (input.substr(0, 2) == "PK") {
    bytes.assign(input);
  } else {
    std::string_view sheet = input;
    std::string_view workbook = Cut(&sheet, "\n@@workbook\n");
    std::string_view shared = Cut(&sheet, "\n@@sharedStrings\n");
    const std::string type = kRelType;
    std::map<std::string, std::string> parts;
    parts["[Content_Types].xml"] =
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
    parts["_rels/.rels"] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" + type + "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    parts["xl/workbook.xml"] =
        workbook.empty()
            ? "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
              "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
              "<sheets><sheet name=\"台账\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            : std::string(workbook);
    parts["xl/_rels/workbook.xml.rels"] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" + type + "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" + type + "sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
    parts["xl/worksheets/sheet1.xml"] = std::string(sheet);
    if (!shared.empty()) parts["xl/sharedStrings.xml"] = std::string(shared);
    bytes = taizhang::testing::MakeZip(parts);
    if (bytes.empty()) return 0;
  }
  taizhang::ReadOptions options;
  options.max_part_bytes = 8 << 20;
  auto ledger = taizhang::ledger_internal::ReadLedgerXlsxBytes("fuzz.xlsx", bytes, options);
  if (!ledger.ok()) {
    if (ledger.status().message().empty()) __builtin_trap();
    return 0;
  }
  if (ledger->sheets.empty() || ledger->items.size() != ledger->rows.size()) __builtin_trap();
  for (const taizhang::LedgerItem& item : ledger->items) {
    if (item.unit.empty() || item.task.empty()) __builtin_trap();
    if (!item.deadline.empty() && item.deadline.size() != 10) __builtin_trap();
  }
  for (const taizhang::XlsxRowError& error : ledger->errors) {
    if (error.row == 0 || error.message.empty()) __builtin_trap();
  }
  return 0;
}
