// Optional parts of taizhang that pull in heavy libraries — PDF reading
// (poppler and two dozen libraries behind it), the PostgreSQL client (libpq
// with Kerberos, LDAP, TLS) — are built as modules and loaded on first use,
// so that a run that needs neither starts in a few milliseconds.
//
//   std::string error;
//   void* fn = LoadModuleSymbol("taizhang-pdf.so", "TAIZHANG_PDF_MODULE", "taizhang_read_pdf_pages", &error);
//
// A module is looked for at $ENV_VAR when that is set, else beside the
// running executable (the build tree), else in ../lib/taizhang/ (an
// installed tree). The executable carries its own C++ runtime (linked
// statically, docs/development.md "链接与启动") while a module and the
// libraries behind it (poppler) use Debian's libstdc++.so: two runtimes in one
// process. So every entry point of a module is a C function, noexcept, that
// catches everything inside and passes only plain data — C structs,
// pointers and sizes, callbacks into the executable that are noexcept too;
// no std:: object, no exception crosses. Each module exports
// taizhang_module_version() returning kModuleVersion to catch a stale file.
#ifndef TAIZHANG_COMMON_MODULE_H_
#define TAIZHANG_COMMON_MODULE_H_

#include <string>

namespace taizhang {

inline constexpr int kModuleVersion = 4;

// The address of `symbol` in module `file_name`, loading the module once per
// process; nullptr with a Chinese `error` saying where it was looked for.
void* LoadModuleSymbol(const char* file_name, const char* env_var, const char* symbol, std::string* error);

// The directory of the running executable, with a trailing '/'; "" if
// unknown (where the modules and the web pages installed with it are).
std::string ExecutableDirectory();

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_MODULE_H_
