// Helpers shared by the tests: where the shared corpus is, reading files.
#ifndef TAIZHANG_TESTS_TEST_UTIL_H_
#define TAIZHANG_TESTS_TEST_UTIL_H_

#include <unicode/ucnv.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace taizhang::testing {

// ../shared beside the checkout; TAIZHANG_SHARED_DIR in the environment wins.
inline std::string SharedDir() {
  const char* env = std::getenv("TAIZHANG_SHARED_DIR");
  return env && *env ? env : TAIZHANG_SHARED_DIR;
}

inline std::string SourceDir() { return TAIZHANG_SOURCE_DIR; }

inline std::string SeedPath() { return SharedDir() + "/corpus/seed/000_149dd883a1863841.txt"; }

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void WriteBytes(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
}

// `utf8` converted to `encoding` with ICU (for feeding the decoder other
// encodings than the files on disk have). Empty on failure.
inline std::string EncodeFromUtf8(const std::string& utf8, const char* encoding) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  int32_t n = ucnv_convert(encoding, "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  if (U_FAILURE(status)) return std::string();
  out.resize(n);
  return out;
}

}  // namespace taizhang::testing

#endif  // TAIZHANG_TESTS_TEST_UTIL_H_
