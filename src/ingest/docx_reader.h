// Reading Word (.docx, WordprocessingML) into the same text model as a plain
// text report: one line per paragraph, the automatic numbers Word shows
// (一、 （一） 1. …) written into the line where the user sees them, table
// rows one per line with their cells separated by tabs, text boxes after
// their paragraph, tracked insertions kept and deletions dropped, field
// results kept and field codes dropped, footnote marks dropped (the notes
// kept beside the text). Every line records where it came from
// (LineOrigin), so findings can be written back into the document.
#ifndef TAIZHANG_INGEST_DOCX_READER_H_
#define TAIZHANG_INGEST_DOCX_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/ingest.h"

namespace taizhang::ingest_internal {

// `bytes` is the whole .docx file. The main part is never held whole: it is
// inflated in pieces and its body parsed in batches of whole paragraphs and
// tables (BodySplitter). Errors name `name`: kUndecodable (not a
// zip, not a Word document, damaged XML), kTooLarge (a limit of `options`),
// kEmpty (no text).
// Takes the file's bytes, to free them as soon as the package is read.
Result<SourceText> ReadDocx(std::string name, std::string bytes, const ReadOptions& options);

// WriteWordComments (ingest.h) for a .docx: the same walk as ReadDocx finds
// each comment's runs in the main part, read and rewritten batch by batch;
// the copy is written to `out_path` and "" returned.
Result<std::string> AddDocxComments(const std::string& name, std::string_view bytes, std::string_view text,
                                    const WordCommentSource& comments, const std::string& author,
                                    const ReadOptions& options, const std::string& out_path);

}  // namespace taizhang::ingest_internal

#endif  // TAIZHANG_INGEST_DOCX_READER_H_
