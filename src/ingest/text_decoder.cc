// Encoding detection and conversion to UTF-8 with ICU.
//
// Detection is deliberately strict rather than statistical: UTF-8 and
// GB18030 are validated byte by byte, so a file is never silently decoded into
// mojibake. A file that is neither is refused with the place of the first bad
// byte, and the user can name the encoding (e.g. Big5) explicitly.
#include "ingest/text_decoder.h"

#include <unicode/ucnv.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "common/utf8.h"

namespace taizhang::ingest_internal {

namespace {

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// Line and column (1-based, characters) just past the end of UTF-8 `text`.
void EndPosition(std::string_view text, size_t* line, size_t* column) {
  *line = 1;
  size_t last = text.rfind('\n');
  for (char c : text) *line += c == '\n';
  std::string_view tail = last == std::string_view::npos ? text : text.substr(last + 1);
  *column = utf8::CountCodePoints(tail) + 1;
}

std::string Hex(std::string_view bytes, size_t at, size_t count) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = at; i < bytes.size() && i < at + count; ++i) {
    if (!out.empty()) out += ' ';
    unsigned char b = static_cast<unsigned char>(bytes[i]);
    out += "0x";
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// True if the text holds control characters that plain text never has.
bool LooksBinary(std::string_view utf8_text) {
  const auto* s = reinterpret_cast<const unsigned char*>(utf8_text.data());
  const size_t n = utf8_text.size();
  size_t controls = 0;
  size_t i = 0;
  while (i < n) {
    // Skip eight bytes at a time while none of them is below 0x20.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if (((word - 0x2020202020202020ULL) & ~word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    size_t stop = std::min(n, i + 8);
    for (; i < stop; ++i) {
      unsigned char c = s[i];
      if (c >= 0x20) continue;
      if (c == 0) return true;
      if (c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1A /* DOS EOF */) {
        ++controls;
      }
    }
  }
  return controls > 8 && controls * 200 > n;
}

// Names the kind of a known binary format from its first bytes, or "".
const char* BinaryKind(std::string_view bytes) {
  auto starts = [&](const char* magic, size_t n) {
    return bytes.size() >= n && std::memcmp(bytes.data(), magic, n) == 0;
  };
  if (starts("PK\x03\x04", 4)) return "ZIP 压缩包（可能是 .docx/.xlsx 文件）";
  if (starts("%PDF", 4)) return "PDF 文件";
  if (starts("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) return "旧版 Office 文件（.doc/.wps/.xls）";
  if (starts("\x89PNG", 4)) return "PNG 图片";
  if (starts("\xFF\xD8\xFF", 3)) return "JPEG 图片";
  if (starts("\x7F" "ELF", 4)) return "可执行程序";
  return "";
}

// Whether a UTF-16 code unit is what a Chinese report is made of: ASCII
// text and line ends, Latin-1 letters, general punctuation, CJK symbols and
// punctuation, CJK ideographs (with extension A), full-width forms, or a
// surrogate (checked for pairing by the converter).
bool PlausibleTextUnit(uint16_t u) {
  if (u >= 0x20 && u < 0x7F) return true;
  if (u == '\n' || u == '\r' || u == '\t') return true;
  if (u >= 0xA0 && u <= 0xFF) return true;
  if (u >= 0x2000 && u <= 0x27BF) return true;  // punctuation, symbols, ①…, box drawing
  if (u >= 0x3000 && u <= 0x33FF) return true;  // CJK symbols, kana, enclosed CJK
  if (u >= 0x3400 && u <= 0x9FFF) return true;  // CJK ideographs and extension A
  if (u >= 0xD800 && u <= 0xDFFF) return true;  // surrogates
  if (u >= 0xF900 && u <= 0xFAFF) return true;  // compatibility ideographs
  if (u >= 0xFE30 && u <= 0xFE4F) return true;  // CJK compatibility forms
  if (u >= 0xFF00 && u <= 0xFFEF) return true;  // full-width forms
  return false;
}

// UTF-16 without BOM (the bytes hold NULs, which no other text encoding
// has): the byte order under which nearly every code unit of the first 64 KiB
// is plausible text, and clearly more than under the other order. Chinese
// text has NULs on both sides (一 is U+4E00, a newline U+000A), so the NUL
// pattern alone cannot tell. Returns "UTF-16LE", "UTF-16BE" or nullptr.
const char* GuessBomlessUtf16(std::string_view bytes) {
  size_t n = std::min<size_t>(bytes.size(), 1 << 16) & ~size_t{1};
  if (n < 4) return nullptr;
  size_t le = 0, be = 0;
  for (size_t i = 0; i < n; i += 2) {
    const auto lo = static_cast<uint8_t>(bytes[i]);
    const auto hi = static_cast<uint8_t>(bytes[i + 1]);
    le += PlausibleTextUnit(static_cast<uint16_t>(lo | hi << 8));
    be += PlausibleTextUnit(static_cast<uint16_t>(hi | lo << 8));
  }
  const size_t units = n / 2;
  // At least 95% plausible, and the other order at least 5 points worse.
  if (le * 100 >= units * 95 && le * 100 >= be * 100 + units * 5) return "UTF-16LE";
  if (be * 100 >= units * 95 && be * 100 >= le * 100 + units * 5) return "UTF-16BE";
  return nullptr;
}

// "name:line:column：message", the place being just past `before`, the
// text decoded up to the failure.
Status DecodeError(std::string_view name, std::string_view before, const std::string& message) {
  size_t line, column;
  EndPosition(before, &line, &column);
  return Status(StatusCode::kUndecodable, std::string(name) + ":" + std::to_string(line) + ":" +
                                              std::to_string(column) + "：" + message);
}

Status BinaryError(std::string_view name, std::string_view bytes) {
  const char* kind = BinaryKind(bytes);
  std::string message = std::string(name) + "：不是 taizhang 能读取的文件";
  if (*kind) message += std::string("，看起来是") + kind;
  message +=
      "。taizhang 读取纯文本（UTF-8、GB18030/GBK、UTF-16 等）、Word .docx、PDF 和旧版 .doc/.wps"
      "（需 LibreOffice）。";
  if (!*kind && std::memchr(bytes.data(), 0, bytes.size()) != nullptr) {
    message += "如果这是其他编码的文本（如没有字节顺序标记的 UTF-16），请用 --encoding 指定，例如 --encoding UTF-16LE。";
  }
  return Status(StatusCode::kBinary, message);
}

}  // namespace

Result<std::string> ConvertWithIcu(std::string_view name, std::string_view bytes,
                                   const char* encoding) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr source(ucnv_open(encoding, &status));
  if (U_FAILURE(status)) {
    return Status(StatusCode::kInvalidArgument,
                  std::string("不认识的编码名称“") + encoding + "”（" + std::string(name) + "）。");
  }
  ConverterPtr target(ucnv_open("UTF-8", &status));
  if (U_FAILURE(status)) return Status(StatusCode::kInternal, "ICU 无法打开 UTF-8 转换器。");
  ucnv_setToUCallBack(source.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  ucnv_setFromUCallBack(target.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                        &status);

  std::string out;
  out.resize(bytes.size() + bytes.size() / 2 + 16);
  const char* src = bytes.data();
  const char* src_limit = bytes.data() + bytes.size();
  char* dst = out.data();
  UChar pivot[4096];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  bool reset = true;
  for (;;) {
    status = U_ZERO_ERROR;
    ucnv_convertEx(target.get(), source.get(), &dst, out.data() + out.size(), &src, src_limit,
                   pivot, &pivot_source, &pivot_target, pivot + 4096, reset, /*flush=*/true,
                   &status);
    reset = false;
    if (status != U_BUFFER_OVERFLOW_ERROR) break;
    size_t used = dst - out.data();
    out.resize(out.size() * 2);
    dst = out.data() + used;
  }
  out.resize(dst - out.data());
  if (U_FAILURE(status)) {
    char bad[32];
    int8_t bad_len = sizeof(bad);
    UErrorCode ignored = U_ZERO_ERROR;
    ucnv_getInvalidChars(source.get(), bad, &bad_len, &ignored);
    std::string bad_hex = Hex(std::string_view(bad, bad_len > 0 ? bad_len : 0), 0, 4);
    return DecodeError(name, out,
                       std::string("按 ") + encoding + " 解码失败，遇到非法字节 " + bad_hex + "。");
  }
  return out;
}

Result<Decoded> DecodeToUtf8(std::string_view name, std::string bytes, const std::string& forced) {
  Decoded result;
  std::string_view view = bytes;
  if (!forced.empty()) {
    // A forced UTF-8 still gets the fast path and its BOM removed.
    if (ucnv_compareNames(forced.c_str(), "UTF-8") == 0) {
      result.bom_bytes = view.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
      size_t bad = utf8::FindInvalid(view.substr(result.bom_bytes));
      if (bad != view.size() - result.bom_bytes) {
        return DecodeError(name, view.substr(result.bom_bytes, bad),
                           "不是合法的 UTF-8，遇到字节 " + Hex(view, result.bom_bytes + bad, 4) + "。");
      }
      result.encoding = "UTF-8";
      bytes.erase(0, result.bom_bytes);
      result.utf8 = std::move(bytes);
    } else {
      auto converted = ConvertWithIcu(name, view, forced.c_str());
      if (!converted.ok()) return converted.status();
      result.encoding = forced;
      result.utf8 = std::move(converted).value();
      if (result.utf8.compare(0, 3, "\xEF\xBB\xBF") == 0) result.utf8.erase(0, 3);
    }
  } else if (view.substr(0, 3) == "\xEF\xBB\xBF") {
    size_t bad = utf8::FindInvalid(view.substr(3));
    if (bad != view.size() - 3) {
      return DecodeError(name, view.substr(3, bad),
                         "文件以 UTF-8 的字节顺序标记开头，但内容不是合法的 UTF-8（字节 " +
                             Hex(view, 3 + bad, 4) + "）。");
    }
    result.encoding = "UTF-8";
    result.bom_bytes = 3;
    bytes.erase(0, 3);
    result.utf8 = std::move(bytes);
  } else if (view.substr(0, 2) == "\xFF\xFE" || view.substr(0, 2) == "\xFE\xFF") {
    const char* encoding = view[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
    auto converted = ConvertWithIcu(name, view.substr(2), encoding);
    if (!converted.ok()) return converted.status();
    result.encoding = encoding;
    result.bom_bytes = 2;
    result.utf8 = std::move(converted).value();
  } else if (std::memchr(view.data(), 0, view.size()) != nullptr) {
    const char* encoding = GuessBomlessUtf16(view);
    if (encoding == nullptr || BinaryKind(view)[0] != '\0') return BinaryError(name, view);
    auto converted = ConvertWithIcu(name, view, encoding);
    if (!converted.ok()) return BinaryError(name, view);
    result.encoding = encoding;
    result.utf8 = std::move(converted).value();
  } else if (size_t bad = utf8::FindInvalid(view); bad == view.size()) {
    result.encoding = "UTF-8";
    result.utf8 = std::move(bytes);
  } else {
    if (BinaryKind(view)[0] != '\0') return BinaryError(name, view);
    auto converted = ConvertWithIcu(name, view, "GB18030");
    if (!converted.ok()) {
      return DecodeError(name, view.substr(0, bad),
                         "无法识别文件编码——既不是合法的 UTF-8（此处字节 " + Hex(view, bad, 4) +
                             "），也不是合法的 GB18030（" + converted.status().message() +
                             "）。如是其他编码，请用 --encoding 指定，例如 --encoding Big5。");
    }
    result.encoding = "GB18030";
    result.utf8 = std::move(converted).value();
  }
  // `bytes` may have been moved into result.utf8; look only at the result.
  if (LooksBinary(result.utf8)) return BinaryError(name, result.utf8);
  return result;
}

}  // namespace taizhang::ingest_internal
