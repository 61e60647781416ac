// Golden tests: input files and the outline taizhang must print for them, as
// plain files a reviewer can read and extend (tests/golden/README.md).
//
// Each line of tests/golden/outline/cases.tsv names an input (relative to the
// project root; "shared:" means ../shared) and whether sentences are printed;
// the expected output is tests/golden/outline/<case>.expected. Run with
// TAIZHANG_UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate
// change, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "outline/outline.h"
#include "output/outline_output.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

struct GoldenCase {
  std::string name;
  std::string input;  // resolved path
  std::string shown;  // path as printed in the expected output
  bool sentences = false;
};

std::vector<GoldenCase> LoadCases() {
  std::vector<GoldenCase> cases;
  std::string dir = testing::SourceDir() + "/tests/golden/outline/";
  std::istringstream list(testing::ReadBytes(dir + "cases.tsv"));
  std::string line;
  while (std::getline(list, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    GoldenCase c;
    std::string path, sentences;
    std::getline(fields, c.name, '\t');
    std::getline(fields, path, '\t');
    std::getline(fields, sentences, '\t');
    c.sentences = sentences == "sentences";
    if (path.rfind("shared:", 0) == 0) {
      c.shown = path.substr(7);
      c.input = testing::SharedDir() + "/" + c.shown;
    } else {
      c.shown = path;
      c.input = testing::SourceDir() + "/" + path;
    }
    cases.push_back(c);
  }
  return cases;
}

// Printed by gtest instead of the raw bytes of the struct.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, OutlineMatchesExpected) {
  const GoldenCase& c = GetParam();
  auto source = ReadDocument(c.input, {});
  ASSERT_TRUE(source.ok()) << source.status().message();
  OutlineResult outline = BuildOutline(*source);
  OutlinedFile file;
  file.path = c.shown;
  file.source = &*source;
  file.outline = &outline;
  OutlineRenderOptions options;
  options.sentences = c.sentences;
  std::string actual = RenderOutlineText(file, options);
  std::string expected_path = testing::SourceDir() + "/tests/golden/outline/" + c.name + ".expected";
  const char* update = std::getenv("TAIZHANG_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") testing::WriteBytes(expected_path, actual);
  std::string expected = testing::ReadBytes(expected_path);
  ASSERT_FALSE(expected.empty()) << "missing " << expected_path;
  EXPECT_EQ(actual, expected) << "golden mismatch for " << c.name
                              << " (TAIZHANG_UPDATE_GOLDEN=1 rewrites after review)";
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace taizhang
