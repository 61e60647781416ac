// What an uploaded file is, decided by its content (internal to server/):
// a document the readers take (ingest's DetectFormat: .docx, PDF, .doc,
// text) or a photograph — PNG or JPEG — whose signature, header and whole
// compressed data decode through libpng / libjpeg-turbo (a truncated or
// corrupt image, or one of absurd dimensions, is refused). A file's name
// never decides its type; it is only checked against the content, so that
// "现场.png" on an HTML page or a script is refused, naming the file.
#ifndef TAIZHANG_SERVER_UPLOAD_FORMAT_H_
#define TAIZHANG_SERVER_UPLOAD_FORMAT_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace taizhang::server_internal {

// The format names of the API: "text", "docx", "pdf", "doc", "png", "jpeg".

// The format of `bytes` from their first bytes alone (what a stored upload
// is: it was checked in full when it was stored).
std::string SniffFormat(std::string_view bytes);
// Whether `format` is a photograph (png, jpeg): evidence, never a report.
bool IsImageFormat(std::string_view format);

// An image's signature, header and data decoded in full (rows read one at a
// time: memory stays small, a photograph of 20 million pixels takes well
// under a second). kInvalidArgument with a Chinese message naming `name`
// (what the user calls the file) when it is truncated, corrupt or larger
// than 20000 pixels a side or 100 million pixels in all.
Status CheckImage(std::string_view format, std::string_view bytes, const std::string& name);

// The format a file name's extension stands for: "png" (.png), "jpeg"
// (.jpg, .jpeg), "pdf", "docx", "doc", "text" (.txt); "" for any other or
// none (not checked).
std::string FormatOfName(std::string_view name);
// kInvalidArgument naming the file when its name's extension says another
// format than its content ("现场.png" holding an HTML page).
Status CheckNameFitsContent(const std::string& name, std::string_view format);

// How people call a format: "PNG 图片", "Word 文件（.docx）", "文本文件" …
std::string FormatLabel(std::string_view format);
// The Content-Type of a download: image/png, application/pdf …; text is
// text/plain (its encoding is the file's own, not declared).
std::string MediaType(std::string_view format);
// Whether a browser may show the format inline (images and PDF).
bool ShownInline(std::string_view format);

}  // namespace taizhang::server_internal

#endif  // TAIZHANG_SERVER_UPLOAD_FORMAT_H_
