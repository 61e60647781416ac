// Legacy binary Word and WPS files (.doc, .wps: OLE2 compound files) are
// converted to .docx by LibreOffice, run headless in a private profile and a
// temporary directory, then read as Word. LibreOffice is optional: without
// it, a clear message says how to get it or what to do instead.
#ifndef TAIZHANG_INGEST_LEGACY_WORD_H_
#define TAIZHANG_INGEST_LEGACY_WORD_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/ingest.h"

namespace taizhang::ingest_internal {

// The LibreOffice program: $TAIZHANG_SOFFICE when set (empty to disable),
// else `soffice` or `libreoffice` on PATH; "" when there is none.
std::string FindLibreOffice();

// Errors name `name`: kUndecodable (no LibreOffice, or it could not convert
// the file), kTooLarge (it ran past ReadOptions::converter_timeout_seconds),
// and those of the .docx reader.
Result<SourceText> ReadLegacyWord(std::string name, std::string_view bytes, const ReadOptions& options);

}  // namespace taizhang::ingest_internal

#endif  // TAIZHANG_INGEST_LEGACY_WORD_H_
