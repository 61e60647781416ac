// Stage 1 — ingest: bytes of a report file in (text or Word), UTF-8 text
// with a line map out.
//
//   taizhang::ReadOptions options;
//   taizhang::Result<taizhang::SourceText> source = taizhang::ReadTextFile("a.txt", options);
//   if (!source.ok()) { show(source.status().message()); }
//   taizhang::Location at = source->Locate(offset);   // line:column in the original
//
// Supported inputs: UTF-8 (with or without BOM), GB18030 (and so GBK/GB2312),
// UTF-16LE/BE (with BOM, or without BOM when the byte pattern is unambiguous),
// and any ICU converter named in ReadOptions::encoding. The decoded text keeps
// the original's line structure exactly (line terminators are kept), so a line
// number is the same in the original and in the UTF-8 text, and a column —
// counted in characters (Unicode code points), 1-based — is too. The BOM is not
// part of the text.
#ifndef TAIZHANG_INGEST_INGEST_H_
#define TAIZHANG_INGEST_INGEST_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace taizhang {

struct ReadOptions {
  // Force an encoding by ICU converter name ("GB18030", "Big5", "UTF-16LE" ...).
  // Empty means detect.
  std::string encoding;
  // Inputs larger than this are refused with kTooLarge. Offsets are 32-bit, so
  // the hard ceiling is 2 GiB; the default leaves room for conversion growth.
  uint64_t max_bytes = uint64_t{1} << 30;
  // Limits for documents (an untrusted .docx is a zip of XML): entries in
  // the package, one part's and all parts' uncompressed size, the
  // compression ratio of a part, and the nesting depth of its XML.
  uint64_t max_zip_entries = 10000;
  uint64_t max_part_bytes = uint64_t{256} << 20;
  uint64_t max_unzipped_bytes = uint64_t{1} << 30;
  uint64_t max_compression_ratio = 1000;
  uint32_t max_xml_depth = 256;
  // A Word document's body is parsed in batches of whole paragraphs and
  // tables of about this many bytes of XML (a smaller value reads the same
  // text with less memory and more calls; tests use 1: one child a batch).
  uint64_t word_batch_bytes = uint64_t{4} << 20;
  // Pages of a PDF.
  uint64_t max_pdf_pages = 5000;
  // Seconds LibreOffice may take to convert a .doc/.wps before it is stopped.
  int converter_timeout_seconds = 300;
};

// A 1-based position in the original file. column counts characters.
struct Location {
  uint32_t line = 0;
  uint32_t column = 0;
};

// Where a line of a Word document's text came from, and how it looked.
// Plain-text inputs have none (SourceText::origins() is empty).
struct LineOrigin {
  int32_t paragraph = -1;     // index of the w:p in the main part, in document order; -1 none
  uint32_t offset = 0;        // characters of that paragraph's own text before this line
  uint32_t prefix = 0;        // bytes at the line start that Word generates (the automatic number)
  int8_t outline_level = -1;  // w:outlineLvl 0–8 from the paragraph or its style; -1 body text
  bool bold = false;          // every character of the paragraph is bold
  bool table_row = false;     // a table row: its cells' text separated by tabs
  int32_t table = -1;         // for a table row: index in SourceText::tables()
  uint16_t font_size = 0;     // largest font size in half-points, 0 when unknown
  // The paragraph's text is all in a heading typeface (data/heading_fonts.tsv):
  // 1 a 黑体 (heiti) face, 2 a 楷体 (kaiti) face, 0 neither or mixed.
  uint8_t heading_font = 0;
  // Bytes from the line start (the automatic number included) to the end of
  // the bold text the paragraph opens with — "健全经济高质量发展体制机制。"
  // bold, then plain text — or 0 when it does not open bold.
  uint32_t bold_lead = 0;
};

// A table of a Word document. Each row is one line of the text, its cells
// separated by tabs; a cell's position in the grid and its merges are here.
struct TableCell {
  uint32_t begin = 0;        // the cell's text in SourceText::text(), byte offsets
  uint32_t end = 0;          // (begin == end for an empty or continuation cell)
  uint16_t column = 0;       // first grid column covered, 0-based
  uint16_t column_span = 1;  // grid columns covered (w:gridSpan)
  uint16_t row_span = 1;     // rows covered from this one down (w:vMerge restart); 0 in a
                             // continuation cell, whose content is the cell above's
};
struct TableRow {
  uint32_t line = 0;
  std::vector<TableCell> cells;
};
struct Table {
  uint16_t columns = 0;  // grid columns
  std::vector<TableRow> rows;
};

// A Word bookmark (w:bookmarkStart) and the line it opens on — among them
// the _Toc bookmarks a table of contents points at.
struct Bookmark {
  std::string name;
  uint32_t line = 0;
};

// A line that links to a bookmark of the same document: a hyperlink with
// w:anchor or a PAGEREF field, as in every entry of a Word table of contents.
struct InternalLink {
  uint32_t line = 0;
  std::string bookmark;
  uint32_t target_line = 0;  // the bookmark's line; 0 when it does not exist
};

// A footnote or endnote of a Word document: kept beside the text, since its
// reference mark is dropped from the text (a "1" after 稳中有进 is no figure).
struct Note {
  uint32_t line = 0;  // line of the reference mark
  std::string text;
};

// Decoded text of one input plus the map back to the original.
class SourceText {
 public:
  SourceText() = default;
  SourceText(std::string name, std::string encoding, std::string text,
             uint32_t bom_bytes);

  // Path as given on the command line, or "<标准输入>" for stdin.
  const std::string& name() const { return name_; }
  // Encoding the input was read in, e.g. "UTF-8", "GB18030", "UTF-16LE".
  const std::string& encoding() const { return encoding_; }
  // Bytes of byte-order mark the original started with (0 if none).
  uint32_t bom_bytes() const { return bom_bytes_; }
  // The whole text in UTF-8; line terminators kept as in the original.
  std::string_view text() const { return text_; }

  // Number of lines (a final line without terminator counts; an empty text has 0).
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }
  // Line n (1-based) without its terminator. Requires 1 <= n <= line_count().
  std::string_view Line(uint32_t n) const;
  // Byte offset in text() of the first byte of line n (1-based).
  uint32_t LineBegin(uint32_t n) const { return line_starts_[n - 1]; }
  // Byte offset in text() just past the content of line n (before "\r\n").
  uint32_t LineEnd(uint32_t n) const;
  // The line holding byte offset `offset` of text() (1-based).
  uint32_t LineOf(uint32_t offset) const;
  // Line and column of a byte offset of text(). Offsets at a line terminator
  // map to the column just past the line's last character. Successive calls
  // with growing offsets on one line (as every scanner makes them) count only
  // the characters in between: the last answer is kept per thread.
  Location Locate(uint32_t offset) const;

  // For documents (Word, PDF): one entry per line (line n at [n - 1]); empty for text.
  const std::vector<LineOrigin>& origins() const { return layout_.origins; }
  // Word only: notes, tables, bookmarks and links to them.
  const std::vector<Note>& notes() const { return layout_.notes; }
  const std::vector<Table>& tables() const { return layout_.tables; }
  const std::vector<Bookmark>& bookmarks() const { return layout_.bookmarks; }
  const std::vector<InternalLink>& links() const { return layout_.links; }
  const std::vector<std::string>& warnings() const { return layout_.warnings; }

  struct Layout {
    std::vector<LineOrigin> origins;
    std::vector<Note> notes;
    std::vector<Table> tables;
    std::vector<Bookmark> bookmarks;  // in document order
    std::vector<InternalLink> links;  // in document order
    // What the reader could not take, in Chinese, naming the file ("…：部分内容
    // 嵌套过深（超过 256 层），未读取。"): the rest of the text is still read.
    std::vector<std::string> warnings;
  };
  const Layout& layout() const { return layout_; }
  void set_layout(Layout layout) { layout_ = std::move(layout); }

 private:
  std::string name_;
  std::string encoding_;
  std::string text_;
  uint32_t bom_bytes_ = 0;
  std::vector<uint32_t> line_starts_;
  uint64_t id_ = 0;  // unique per constructed text (copies share it), for Locate's cache
  Layout layout_;
};

// Reads and decodes a file. Errors (kNotFound, kNotAFile, kUnreadable, kEmpty,
// kBinary, kUndecodable, kTooLarge) carry a Chinese message naming the file.
Result<SourceText> ReadTextFile(const std::string& path, const ReadOptions& options);

// The bytes of a regular file (a FIFO, device or socket is refused, never
// waited on), up to ReadOptions::max_bytes,
// with the errors users meet (kNotFound, kNotAFile, kUnreadable, kTooLarge).
Status ReadFileBytes(const std::string& path, const ReadOptions& options, std::string* bytes);

// Reads standard input to its end and decodes it; name() is "<标准输入>".
Result<SourceText> ReadTextStdin(const ReadOptions& options);

// Decodes bytes already in memory; `name` is used in messages.
Result<SourceText> DecodeText(std::string name, std::string bytes,
                              const ReadOptions& options);

// What a file holds, from its first bytes (and, for the zip family, its
// parts): the reader that ReadDocument picks.
enum class DocumentFormat { kText, kDocx, kPdf, kLegacyWord };
DocumentFormat DetectFormat(std::string_view bytes);

// Reads any supported document: text in any Chinese encoding, Word .docx
// (paragraphs one per line, automatic numbering rendered as Word shows it,
// tables one row per line), PDF with a text layer (lines re-joined into
// paragraphs, page numbers and running heads dropped), and names the format
// when it cannot be read here (.doc/.wps without LibreOffice). Errors as ReadTextFile, plus kUndecodable for a
// damaged document and kTooLarge past ReadOptions' document limits.
Result<SourceText> ReadDocument(const std::string& path, const ReadOptions& options);

// The same for bytes already in memory; `name` is used in messages.
Result<SourceText> DecodeDocument(std::string name, std::string bytes, const ReadOptions& options);

// A comment to anchor on a span of a Word document's text: byte offsets into
// the SourceText::text() that reading the document gives.
struct WordComment {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string text;  // one paragraph per line
  std::string date;  // w:date, ISO 8601 ("2026-12-02T08:00:00Z"); "" for none
};

// Comments made one at a time, for a document with very many (a checked
// compilation can have hundreds of thousands): `count` of them, `span(k)`
// giving comment k's begin and end, `make(k)` the whole comment, called once
// for each, in order, as it is written.
struct WordCommentSource {
  size_t count = 0;
  std::function<std::pair<uint32_t, uint32_t>(size_t)> span;
  std::function<WordComment(size_t)> make;
};
// A copy of the .docx `docx_bytes` with each comment written as a Word
// comment (w:comment by `author`, anchored with commentRangeStart/End on its
// span; runs are split at the span's edges), every other part of the package
// byte for byte as it was, written to the file `out_path`, all or nothing
// (through a temporary file beside it); neither the new package, nor its
// main part, nor the comments are held whole in memory. `text` must be what
// reading these bytes gives (kInvalidArgument otherwise: the file changed
// since it was checked); kInternal when it cannot be written.
Status WriteWordComments(const std::string& name, std::string_view docx_bytes, std::string_view text,
                         const WordCommentSource& comments, const std::string& author,
                         const ReadOptions& options, const std::string& out_path);

// Full-width ASCII variants (digits, letters, ％) folded to ASCII, with a map
// from offsets in the folded text back to offsets in the input. Used for
// analysis; the input itself is what gets displayed.
struct FoldedText {
  std::string text;
  // Pairs (folded offset, input offset) at every point where the two start to
  // differ; between anchors the offsets advance together.
  std::vector<std::pair<uint32_t, uint32_t>> anchors;
  uint32_t ToInput(uint32_t folded_offset) const;
};
FoldedText FoldWidth(std::string_view input);

}  // namespace taizhang

#endif  // TAIZHANG_INGEST_INGEST_H_
