// Helpers shared by the tests: where the shared corpus is, reading files.
#ifndef TAIZHANG_TESTS_TEST_UTIL_H_
#define TAIZHANG_TESTS_TEST_UTIL_H_

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

}  // namespace taizhang::testing

#endif  // TAIZHANG_TESTS_TEST_UTIL_H_
