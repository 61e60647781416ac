// Reading PDF into the text model: poppler gives the words of each page with
// their boxes; AssemblePdfText groups them into rows by position (poppler's
// reading order runs column by column through a table), cuts rows into cells
// at wide gaps, and turns runs of rows whose cells line up into table rows
// (one line, cells separated by tabs). The other rows are lines of prose:
// the spaces that extraction puts between Chinese and digits or letters
// removed ("2023 年" → "2023年"), page numbers ("—2—", "- 2 -", "第2页")
// and running headers and footers dropped, and the lines of a paragraph
// re-joined (a paragraph starts at an indented line, after a short line, a
// larger gap or a table-of-contents entry, each measured against the
// margins of its own page), so that `XX` at a line end and `万元` at the
// next line's start become `XX万元`. A PDF without a text layer (a scan) is
// read by OCR (ocr_module.h) and its words assembled the same way.
#ifndef TAIZHANG_INGEST_PDF_READER_H_
#define TAIZHANG_INGEST_PDF_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/ingest.h"

namespace taizhang::ingest_internal {

// A word as poppler reports it: UTF-8 text and its box in points, y downwards.
struct PdfWord {
  std::string text;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double font_size = 0;
  bool space_after = false;
};

struct PdfPage {
  double width = 0, height = 0;
  std::vector<PdfWord> words;  // in poppler's reading order
  // The words were recognised (OCR) on an image of the page: their gaps are
  // less even, so only a gap of two ems separates table cells.
  bool recognised = false;
};

// The document's text, one paragraph per line, each line ending in "\n";
// origins[k] is line k + 1's origin (paragraph = the 0-based page where the
// line starts). Tables — runs of rows whose cells line up — come out one row
// per line, cells separated by tabs, with table_row set and, when `tables`
// is given, their cells there. Pure: no I/O, any input gives some text
// (possibly empty).
std::string AssemblePdfText(const std::vector<PdfPage>& pages, std::vector<LineOrigin>* origins,
                            std::vector<Table>* tables = nullptr);

// `bytes` is the whole .pdf file. Errors name `name`: kUndecodable (damaged,
// encrypted), kEmpty (no text layer, and the OCR module or its Chinese
// language data missing, or nothing recognised), kTooLarge (more pages than
// ReadOptions::max_pdf_pages). A scan read by OCR has the format
// "PDF（文字识别）".
Result<SourceText> ReadPdf(std::string name, std::string_view bytes, const ReadOptions& options);

}  // namespace taizhang::ingest_internal

#endif  // TAIZHANG_INGEST_PDF_READER_H_
