// Uploads' formats by content; images decoded by libpng and libjpeg-turbo.
#include "server/upload_format.h"

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

// clang-format off: jpeglib.h needs stdio.h (FILE) before it
#include <png.h>
#include <jpeglib.h>
// clang-format on

#include "ingest/ingest.h"

namespace taizhang::server_internal {

namespace {

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
constexpr std::string_view kJpegSignature("\xFF\xD8\xFF", 3);
constexpr unsigned kMaxSide = 20000;
constexpr unsigned long long kMaxPixels = 100000000ULL;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// --- PNG: libpng's own error handling jumps out through png_jmpbuf -----------

// What the callbacks and the code after a jump share (in memory, reached
// through libpng's pointers: not clobbered by the jump).
struct PngSource {
  const unsigned char* data;
  size_t size;
  size_t at;
  char message[200];
  std::vector<unsigned char> row;
};

void PngRead(png_structp png, png_bytep out, size_t length) {
  auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
  if (source->size - source->at < length) png_error(png, "truncated");
  std::memcpy(out, source->data + source->at, length);
  source->at += length;
}

void PngError(png_structp png, png_const_charp message) {
  auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(source->message, sizeof source->message, "%s", message);
  png_longjmp(png, 1);
}

void PngWarning(png_structp, png_const_charp) {}  // ancillary chunks' CRCs and the like: not fatal

// Decodes every row into one row buffer and reads to IEND; "" when whole,
// else libpng's reason (English, for the log).
std::string DecodePng(std::string_view bytes, bool* too_large) {
  PngSource source{reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), 0, {0}, {}};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, PngError, PngWarning);
  if (png == nullptr) return "out of memory";
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
    return source.message[0] ? source.message : "invalid";
  }
  png_set_user_limits(png, kMaxSide, kMaxSide);
  png_set_chunk_malloc_max(png, 8 * 1024 * 1024);
  png_set_read_fn(png, &source, PngRead);
  png_read_info(png, info);
  png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
  if (static_cast<unsigned long long>(width) * height > kMaxPixels) {
    *too_large = true;
    png_error(png, "too many pixels");
  }
  int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  source.row.resize(png_get_rowbytes(png, info));
  for (int pass = 0; pass < passes; ++pass) {
    for (png_uint_32 y = 0; y < height; ++y) png_read_row(png, source.row.data(), nullptr);
  }
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return "";
}

// --- JPEG: libjpeg's error manager jumps out; warnings (data ended early,
// corrupt entropy data) count as failures ------------------------------------

struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  int warnings;
  char message[JMSG_LENGTH_MAX];
};

void JpegExit(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->jump, 1);
}

void JpegMessage(j_common_ptr info, int level) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  if (level < 0 && errors->warnings++ == 0) (*info->err->format_message)(info, errors->message);
}

// Decodes every scanline (at 1/8 scale: the whole entropy-coded data is
// still read, the inverse DCT is cheap) and the end marker.
std::string DecodeJpeg(std::string_view bytes, bool* too_large) {
  jpeg_decompress_struct info;
  JpegErrors errors;
  std::memset(&errors, 0, sizeof errors);
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = JpegExit;
  errors.manager.emit_message = JpegMessage;
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&info);
    return errors.message[0] ? errors.message : "invalid";
  }
  jpeg_create_decompress(&info);
  // A progressive JPEG is held whole as coefficients while it is decoded:
  // bounded (past it libjpeg fails, and the image is refused).
  info.mem->max_memory_to_use = 256L * 1024 * 1024;
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  if (info.image_width > kMaxSide || info.image_height > kMaxSide ||
      static_cast<unsigned long long>(info.image_width) * info.image_height > kMaxPixels) {
    *too_large = true;
    jpeg_destroy_decompress(&info);
    return "too many pixels";
  }
  info.scale_num = 1;
  info.scale_denom = 8;
  info.dct_method = JDCT_IFAST;
  info.do_fancy_upsampling = FALSE;
  jpeg_start_decompress(&info);
  JSAMPARRAY row = (*info.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&info), JPOOL_IMAGE,
                                  info.output_width * info.output_components, 1);
  while (info.output_scanline < info.output_height && errors.warnings == 0) jpeg_read_scanlines(&info, row, 1);
  if (errors.warnings == 0) jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return errors.warnings ? std::string(errors.message) : "";
}

}  // namespace

std::string SniffFormat(std::string_view bytes) {
  if (bytes.substr(0, kPngSignature.size()) == kPngSignature) return "png";
  if (bytes.substr(0, kJpegSignature.size()) == kJpegSignature) return "jpeg";
  switch (DetectFormat(bytes)) {
    case DocumentFormat::kDocx: return "docx";
    case DocumentFormat::kPdf: return "pdf";
    case DocumentFormat::kLegacyWord: return "doc";
    case DocumentFormat::kText: return "text";
  }
  return "text";
}

bool IsImageFormat(std::string_view format) { return format == "png" || format == "jpeg"; }

Status CheckImage(std::string_view format, std::string_view bytes, const std::string& name) {
  bool too_large = false;
  std::string why = format == "png" ? DecodePng(bytes, &too_large) : DecodeJpeg(bytes, &too_large);
  if (why.empty()) return Status::Ok();
  if (too_large) {
    return Status(StatusCode::kInvalidArgument, name + "：" + FormatLabel(format) + "过大（每边至多 " +
                                                    std::to_string(kMaxSide) + " 像素，共至多 1 亿像素）。");
  }
  // The decoder's own words (libpng, libjpeg: English) are not for the
  // person uploading; what happened to the picture is.
  return Status(StatusCode::kInvalidArgument,
                name + "：" + FormatLabel(format) + "已损坏或不完整，无法读取。请重新拍摄或导出后再上传。");
}

std::string FormatOfName(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "";
  std::string ext = Lower(name.substr(dot + 1));
  if (ext == "png") return "png";
  if (ext == "jpg" || ext == "jpeg" || ext == "jpe" || ext == "jfif") return "jpeg";
  if (ext == "pdf") return "pdf";
  if (ext == "docx") return "docx";
  if (ext == "doc" || ext == "wps") return "doc";
  if (ext == "txt") return "text";
  return "";
}

namespace {
// A label after a Chinese word: a space before Latin letters ("是 PNG 图片", "是文本文件").
std::string After(std::string_view format) {
  std::string label = FormatLabel(format);
  return (static_cast<unsigned char>(label[0]) < 0x80 ? " " : "") + label;
}
}  // namespace

Status CheckNameFitsContent(const std::string& name, std::string_view format) {
  std::string said = FormatOfName(name);
  if (said.empty() || said == format) return Status::Ok();
  return Status(StatusCode::kInvalidArgument, "“" + name + "”的名字表明是" + After(said) + "，但内容是" + After(format) +
                                                  "（按内容判断），不能上传。请选择真正的" + After(said) + "。");
}

std::string FormatLabel(std::string_view format) {
  if (format == "png") return "PNG 图片";
  if (format == "jpeg") return "JPEG 图片";
  if (format == "pdf") return "PDF 文件";
  if (format == "docx") return "Word 文件（.docx）";
  if (format == "doc") return "旧版 Word 文件（.doc）";
  return "文本文件";
}

std::string MediaType(std::string_view format) {
  if (format == "png") return "image/png";
  if (format == "jpeg") return "image/jpeg";
  if (format == "pdf") return "application/pdf";
  if (format == "docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (format == "doc") return "application/msword";
  return "text/plain";
}

bool ShownInline(std::string_view format) { return IsImageFormat(format) || format == "pdf"; }

}  // namespace taizhang::server_internal
