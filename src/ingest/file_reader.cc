// Reading files and stdin into SourceText, with the errors users meet:
// missing file, directory, permission, empty, binary, too large.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/printable.h"
#include "common/utf8.h"
#include "ingest/ingest.h"
#include "ingest/docx_reader.h"
#include "ingest/legacy_word.h"
#include "ingest/pdf_reader.h"
#include "ingest/text_decoder.h"

namespace taizhang {

namespace {

std::string TooLargeMessage(const std::string& name, uint64_t limit) {
  return name + "：文件超过 " + std::to_string(limit >> 20) + " MiB 的上限，未读取。";
}

// Reads everything from fd straight into *out, refusing more than max_bytes.
Status ReadAll(int fd, const std::string& name, uint64_t max_bytes, size_t size_hint,
               std::string* out) {
  size_t used = 0;
  // A file's size and one byte to see its end: room past that would be
  // zeroed and faulted in on every run for nothing (64 KiB did so). A pipe
  // (no size) starts at 64 KiB; either doubles when full.
  out->resize(size_hint > 0 ? size_hint + 1 : size_t{1} << 16);
  for (;;) {
    if (used == out->size()) out->resize(out->size() * 2);
    ssize_t got = ::read(fd, out->data() + used, out->size() - used);
    if (got < 0) {
      if (errno == EINTR) continue;
      out->clear();
      return Status(StatusCode::kUnreadable,
                    name + "：读取失败（" + std::strerror(errno) + "）。");
    }
    if (got == 0) break;
    used += static_cast<size_t>(got);
    if (used > max_bytes) {
      out->clear();
      return Status(StatusCode::kTooLarge, TooLargeMessage(name, max_bytes));
    }
  }
  out->resize(used);
  return Status::Ok();
}

bool IsBlank(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = utf8::Next(text, &i);
    if (!(utf8::IsInlineSpace(cp) || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v')) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<SourceText> DecodeText(std::string name, std::string bytes, const ReadOptions& options) {
  if (bytes.size() > options.max_bytes || bytes.size() > (uint64_t{1} << 31)) {
    return Status(StatusCode::kTooLarge, TooLargeMessage(name, options.max_bytes));
  }
  if (bytes.empty()) return Status(StatusCode::kEmpty, name + "：文件为空。");
  auto decoded = ingest_internal::DecodeToUtf8(name, std::move(bytes), options.encoding);
  if (!decoded.ok()) return decoded.status();
  if (decoded->utf8.size() > (uint64_t{1} << 31)) {
    return Status(StatusCode::kTooLarge, TooLargeMessage(name, uint64_t{1} << 31));
  }
  if (IsBlank(decoded->utf8)) {
    return Status(StatusCode::kEmpty, name + "：文件没有内容（只有空白）。");
  }
  return SourceText(std::move(name), std::move(decoded->encoding), std::move(decoded->utf8),
                    decoded->bom_bytes);
}

Status ReadFileBytes(const std::string& path, const ReadOptions& options, std::string* bytes) {
  const std::string name = PrintableName(path);
  // O_NONBLOCK: opening a FIFO without a writer must not hang; anything but
  // a regular file is refused below, before a byte is read.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return Status(StatusCode::kNotFound, name + "：文件不存在。");
    }
    if (err == EACCES || err == EPERM) {
      return Status(StatusCode::kUnreadable, name + "：没有读取权限。");
    }
    return Status(StatusCode::kUnreadable, name + "：无法打开（" + std::strerror(err) + "）。");
  }
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    int err = errno;
    ::close(fd);
    return Status(StatusCode::kUnreadable, name + "：无法读取文件信息（" + std::strerror(err) + "）。");
  }
  if (S_ISDIR(info.st_mode)) {
    ::close(fd);
    return Status(StatusCode::kNotAFile, name + "：这是一个目录，不是文件。");
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    const char* kind = S_ISFIFO(info.st_mode)   ? "管道"
                       : S_ISCHR(info.st_mode)  ? "字符设备"
                       : S_ISBLK(info.st_mode)  ? "块设备"
                       : S_ISSOCK(info.st_mode) ? "套接字"
                                                : "特殊文件";
    return Status(StatusCode::kNotAFile,
                  name + "：这是" + kind + "，不是普通文件，未读取。要从管道读入，请用 - 表示标准输入（如 … | taizhang check -）。");
  }
  if (static_cast<uint64_t>(info.st_size) > options.max_bytes) {
    ::close(fd);
    return Status(StatusCode::kTooLarge, TooLargeMessage(name, options.max_bytes));
  }
  // A regular file reads the same with or without O_NONBLOCK; clear it anyway
  // (some network file systems honour it).
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  Status status = ReadAll(fd, name, options.max_bytes, static_cast<size_t>(info.st_size), bytes);
  ::close(fd);
  return status;
}

Result<SourceText> ReadTextFile(const std::string& path, const ReadOptions& options) {
  std::string bytes;
  Status status = ReadFileBytes(path, options, &bytes);
  if (!status.ok()) return status;
  return DecodeText(PrintableName(path), std::move(bytes), options);
}

DocumentFormat DetectFormat(std::string_view bytes) {
  if (bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return DocumentFormat::kDocx;
  if (bytes.size() >= 5 && bytes.substr(0, 5) == "%PDF-") return DocumentFormat::kPdf;
  if (bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
    return DocumentFormat::kLegacyWord;
  }
  return DocumentFormat::kText;
}

Result<SourceText> DecodeDocument(std::string name, std::string bytes, const ReadOptions& options) {
  switch (DetectFormat(bytes)) {
    case DocumentFormat::kDocx:
      return ingest_internal::ReadDocx(std::move(name), std::move(bytes), options);
    case DocumentFormat::kPdf:
      return ingest_internal::ReadPdf(std::move(name), bytes, options);
    case DocumentFormat::kLegacyWord:
      return ingest_internal::ReadLegacyWord(std::move(name), bytes, options);
    case DocumentFormat::kText:
      break;
  }
  return DecodeText(std::move(name), std::move(bytes), options);
}

Status WriteWordComments(const std::string& name, std::string_view docx_bytes, std::string_view text,
                         const WordCommentSource& comments, const std::string& author,
                         const ReadOptions& options, const std::string& out_path) {
  if (DetectFormat(docx_bytes) != DocumentFormat::kDocx) {
    return Status(StatusCode::kInvalidArgument, name + "：只能在 Word .docx 文件上写批注。");
  }
  Result<std::string> written =
      ingest_internal::AddDocxComments(name, docx_bytes, text, comments, author, options, out_path);
  return written.ok() ? Status::Ok() : written.status();
}

Result<SourceText> ReadDocument(const std::string& path, const ReadOptions& options) {
  std::string bytes;
  Status status = ReadFileBytes(path, options, &bytes);
  if (!status.ok()) return status;
  const std::string name = PrintableName(path);
  if (bytes.empty()) return Status(StatusCode::kEmpty, name + "：文件为空。");
  return DecodeDocument(name, std::move(bytes), options);
}

Result<SourceText> ReadTextStdin(const ReadOptions& options) {
  const std::string name = "<标准输入>";
  std::string bytes;
  Status status = ReadAll(STDIN_FILENO, name, options.max_bytes, 0, &bytes);
  if (!status.ok()) return status;
  if (bytes.empty()) return Status(StatusCode::kEmpty, name + "：文件为空。");
  return DecodeDocument(name, std::move(bytes), options);
}

}  // namespace taizhang
