// Helpers shared by the tests: where the shared corpus is, reading files.
#ifndef TAIZHANG_TESTS_TEST_UTIL_H_
#define TAIZHANG_TESTS_TEST_UTIL_H_

#include <unicode/ucnv.h>
#include <zip.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

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

// A row of a golden TSV file under tests/golden/: its tab-separated fields
// and its line number in the file (for messages).
struct GoldenRow {
  int line = 0;
  std::vector<std::string> fields;
};

// The rows of tests/golden/<name>, skipping blank lines and '#' comments.
inline std::vector<GoldenRow> ReadGoldenTsv(const std::string& name) {
  std::vector<GoldenRow> rows;
  std::istringstream in(ReadBytes(SourceDir() + "/tests/golden/" + name));
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    GoldenRow row{number, {}};
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
      row.fields.push_back(line.substr(start, tab - start));
    }
    row.fields.push_back(line.substr(start));
    rows.push_back(std::move(row));
  }
  return rows;
}

// One part of a zip package (a .docx or .xlsx) held in memory, "" if absent.
inline std::string ZipPart(const std::string& package, const std::string& part) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(package.data(), package.size(), 0, &error);
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  std::string out;
  if (zip == nullptr) {
    zip_source_free(source);
    return out;
  }
  zip_stat_t stat;
  if (zip_stat(zip, part.c_str(), 0, &stat) == 0) {
    zip_file_t* file = zip_fopen(zip, part.c_str(), 0);
    if (file != nullptr) {
      out.resize(stat.size);
      zip_int64_t got = zip_fread(file, out.data(), out.size());
      out.resize(got < 0 ? 0 : static_cast<size_t>(got));
      zip_fclose(file);
    }
  }
  zip_discard(zip);
  return out;
}

// A ledger task as its source sentence writes it: the checker's safe fix of
// 党 written as "D" undone (every 党 back to D).
inline std::string AsWritten(const std::string& task) {
  std::string out;
  out.reserve(task.size());
  for (size_t at = 0; at < task.size();) {
    if (task.compare(at, 3, "党") == 0) {
      out.push_back('D');
      at += 3;
    } else {
      out.push_back(task[at++]);
    }
  }
  return out;
}

}  // namespace taizhang::testing

#endif  // TAIZHANG_TESTS_TEST_UTIL_H_
