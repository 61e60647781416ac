// libxlsxwriter loaded on the first Excel file written, not at every start.
// Linked in, it brings libminizip, libz and libcrypto (~2 ms of loading on a
// run that only reads a report); here each libxlsxwriter function taizhang
// calls is defined with the header's own signature (a mismatch does not
// compile: a C function cannot be overloaded) and forwards to the library,
// opened with dlopen on first use. A function newly called elsewhere needs
// a line here, else the link fails with an undefined reference.
#include <dlfcn.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace {

constexpr const char* kLibrary = "libxlsxwriter.so." LXW_SOVERSION;

void* Library() {
  static void* handle = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    handle = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      std::fprintf(stderr, "taizhang：无法加载写 Excel 文件所需的 %s（%s），请安装 libxlsxwriter。\n", kLibrary,
                   why ? why : "原因不明");
    }
  });
  return handle;
}

// The function `name` of the library; nullptr when it cannot be loaded.
void* Resolve(const char* name) {
  void* library = Library();
  if (library == nullptr) return nullptr;
  void* address = dlsym(library, name);
  if (address == nullptr) {
    std::fprintf(stderr, "taizhang：%s 中没有 %s，版本不符。\n", kLibrary, name);
    std::abort();
  }
  return address;
}

// Every call but workbook_new_opt follows a workbook it returned, so the
// library is loaded by then; workbook_new_opt returns nullptr if it is not.
template <typename Fn>
Fn Loaded(const char* name) {
  void* address = Resolve(name);
  if (address == nullptr) std::abort();
  return reinterpret_cast<Fn>(address);
}

}  // namespace

#define TAIZHANG_LAZY(ret, name, params, args)                                    \
  extern "C" ret name params {                                                    \
    static const auto fn = Loaded<decltype(&::name)>(#name);                      \
    return fn args;                                                               \
  }

extern "C" lxw_workbook* workbook_new_opt(const char* filename, lxw_workbook_options* options) {
  static void* const address = Resolve("workbook_new_opt");
  if (address == nullptr) return nullptr;
  return reinterpret_cast<decltype(&::workbook_new_opt)>(address)(filename, options);
}

TAIZHANG_LAZY(lxw_error, workbook_close, (lxw_workbook* w), (w))
TAIZHANG_LAZY(lxw_error, workbook_set_properties, (lxw_workbook* w, lxw_doc_properties* p), (w, p))
TAIZHANG_LAZY(lxw_format*, workbook_add_format, (lxw_workbook* w), (w))
TAIZHANG_LAZY(lxw_worksheet*, workbook_add_worksheet, (lxw_workbook* w, const char* name), (w, name))
TAIZHANG_LAZY(char*, lxw_strerror, (lxw_error e), (e))
TAIZHANG_LAZY(void, format_set_align, (lxw_format* f, uint8_t v), (f, v))
TAIZHANG_LAZY(void, format_set_bg_color, (lxw_format* f, lxw_color_t v), (f, v))
TAIZHANG_LAZY(void, format_set_bold, (lxw_format* f), (f))
TAIZHANG_LAZY(void, format_set_border, (lxw_format* f, uint8_t v), (f, v))
TAIZHANG_LAZY(void, format_set_font_color, (lxw_format* f, lxw_color_t v), (f, v))
TAIZHANG_LAZY(void, format_set_font_size, (lxw_format* f, double v), (f, v))
TAIZHANG_LAZY(void, format_set_num_format, (lxw_format* f, const char* v), (f, v))
TAIZHANG_LAZY(void, format_set_pattern, (lxw_format* f, uint8_t v), (f, v))
TAIZHANG_LAZY(void, format_set_text_wrap, (lxw_format* f), (f))
TAIZHANG_LAZY(lxw_error, worksheet_autofilter,
              (lxw_worksheet* w, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2), (w, r1, c1, r2, c2))
TAIZHANG_LAZY(void, worksheet_fit_to_pages, (lxw_worksheet* w, uint16_t width, uint16_t height), (w, width, height))
TAIZHANG_LAZY(void, worksheet_freeze_panes, (lxw_worksheet* w, lxw_row_t r, lxw_col_t c), (w, r, c))
TAIZHANG_LAZY(lxw_error, worksheet_merge_range,
              (lxw_worksheet* w, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2, const char* s, lxw_format* f),
              (w, r1, c1, r2, c2, s, f))
TAIZHANG_LAZY(lxw_error, worksheet_repeat_rows, (lxw_worksheet* w, lxw_row_t r1, lxw_row_t r2), (w, r1, r2))
TAIZHANG_LAZY(lxw_error, worksheet_set_column,
              (lxw_worksheet* w, lxw_col_t c1, lxw_col_t c2, double width, lxw_format* f), (w, c1, c2, width, f))
TAIZHANG_LAZY(void, worksheet_set_landscape, (lxw_worksheet* w), (w))
TAIZHANG_LAZY(void, worksheet_set_paper, (lxw_worksheet* w, uint8_t v), (w, v))
TAIZHANG_LAZY(lxw_error, worksheet_set_row, (lxw_worksheet* w, lxw_row_t r, double height, lxw_format* f),
              (w, r, height, f))
TAIZHANG_LAZY(lxw_error, worksheet_write_blank, (lxw_worksheet* w, lxw_row_t r, lxw_col_t c, lxw_format* f),
              (w, r, c, f))
TAIZHANG_LAZY(lxw_error, worksheet_write_number,
              (lxw_worksheet* w, lxw_row_t r, lxw_col_t c, double v, lxw_format* f), (w, r, c, v, f))
TAIZHANG_LAZY(lxw_error, worksheet_write_string,
              (lxw_worksheet* w, lxw_row_t r, lxw_col_t c, const char* s, lxw_format* f), (w, r, c, s, f))
