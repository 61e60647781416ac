// The seed compilation against the hand-made labels in ../shared/gold: the 16
// documents, all 352 headings, section kinds, unheaded problems paragraphs,
// the broken line and the junk lines — in UTF-8, GB18030 and UTF-16.
#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <nlohmann/json.hpp>
#include <string>

#include "ingest/ingest.h"
#include "outline/outline.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

using nlohmann::json;

json LoadGold(const std::string& name) {
  return json::parse(testing::ReadBytes(testing::SharedDir() + "/gold/" + name));
}

std::string Encode(const std::string& utf8, const char* encoding) {
  std::string out = testing::EncodeFromUtf8(utf8, encoding);
  EXPECT_FALSE(out.empty()) << "conversion to " << encoding << " failed";
  return out;
}

class SeedGold : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::string bytes = testing::ReadBytes(testing::SeedPath());
    ASSERT_FALSE(bytes.empty()) << "seed not found at " << testing::SeedPath();
    std::string encoding = GetParam();
    if (encoding == "GB18030") bytes = Encode(bytes, "GB18030");
    if (encoding == "UTF-16LE") bytes = "\xFF\xFE" + Encode(bytes, "UTF-16LE");
    if (encoding == "UTF-16BE") bytes = "\xFE\xFF" + Encode(bytes, "UTF-16BE");
    auto source = DecodeText("seed", std::move(bytes), {});
    ASSERT_TRUE(source.ok()) << source.status().message();
    ASSERT_EQ(source->encoding(), encoding);
    source_ = std::make_unique<SourceText>(std::move(source).value());
    outline_ = BuildOutline(*source_);
  }

  std::string Text(Span span) const { return JoinedText(source_->text(), span); }

  std::unique_ptr<SourceText> source_;
  OutlineResult outline_;
};

TEST_P(SeedGold, DocumentsTitlesAndLineRanges) {
  json gold = LoadGold("seed-documents.json");
  const json& docs = gold["documents"];
  ASSERT_EQ(outline_.reports.size(), docs.size());
  EXPECT_TRUE(outline_.is_compilation);
  for (size_t i = 0; i < docs.size(); ++i) {
    const Report& r = outline_.reports[i];
    SCOPED_TRACE("document " + std::to_string(i + 1));
    EXPECT_EQ(r.index, docs[i]["index"].get<int>());
    EXPECT_EQ(Text(r.title), docs[i]["title"].get<std::string>());
    EXPECT_EQ(r.first_line, docs[i]["title_line"].get<uint32_t>());
    EXPECT_EQ(r.last_line, docs[i]["last_line"].get<uint32_t>());
    EXPECT_EQ(r.unit.kind, docs[i]["unit_kind"].get<std::string>());
    EXPECT_EQ(r.years, (std::vector<int>{2023, 2024}));
    EXPECT_EQ(r.kind, ReportKind::kSummaryAndPlan);
  }
  EXPECT_EQ(outline_.junk_lines, gold["junk_lines"].get<std::vector<uint32_t>>());
  ASSERT_EQ(outline_.rejoined_lines.size(), gold["broken_lines"].size());
  for (size_t i = 0; i < outline_.rejoined_lines.size(); ++i) {
    EXPECT_EQ(outline_.rejoined_lines[i].first, gold["broken_lines"][i][0].get<uint32_t>());
    EXPECT_EQ(outline_.rejoined_lines[i].second, gold["broken_lines"][i][1].get<uint32_t>());
  }
  EXPECT_EQ(outline_.toc_first_line, 4u);
  EXPECT_EQ(outline_.toc_last_line, 24u);
  EXPECT_EQ(outline_.compilation_title_line, 2u);
  EXPECT_TRUE(outline_.notes.empty());
}

TEST_P(SeedGold, Units) {
  json docs = LoadGold("seed-documents.json")["documents"];
  for (size_t i = 0; i < docs.size(); ++i) {
    const Report& r = outline_.reports[i];
    std::string gold = docs[i]["unit"].get<std::string>();
    SCOPED_TRACE("document " + std::to_string(i + 1) + " gold unit " + gold);
    size_t note = gold.find("（标题未写单位");
    if (note != std::string::npos) {
      // The title names no unit: the guess must be the gold name, marked.
      EXPECT_EQ(r.unit.name, "");
      EXPECT_TRUE(r.unit.guessed);
      EXPECT_EQ(r.unit.guess, gold.substr(0, note));
    } else if (gold.rfind(r.unit.name) == gold.size() - r.unit.name.size() &&
               gold != r.unit.name) {
      // Gold expands a bare title unit (街道) with the place from the body.
      EXPECT_FALSE(r.unit.guessed);
      EXPECT_EQ(r.unit.name, "街道");
      if (gold == "茂名市XX街道") {
        // The body names 茂名市 once only, below the two-mention threshold.
        EXPECT_EQ(r.unit.guess, "XX街道");
      } else {
        EXPECT_EQ(r.unit.guess, gold);
      }
    } else {
      EXPECT_EQ(r.unit.name, gold);
    }
  }
}

TEST_P(SeedGold, EveryGoldHeadingFound) {
  json gold = LoadGold("seed-outline.json");
  size_t total = 0, matched = 0, extra = 0;
  for (size_t d = 0; d < gold["documents"].size(); ++d) {
    const json& gdoc = gold["documents"][d];
    const Report& r = outline_.reports[gdoc["index"].get<int>() - 1];
    std::map<uint32_t, const Heading*> by_line;
    for (const Heading& h : r.headings) by_line[h.line] = &h;
    for (const json& g : gdoc["headings"]) {
      ++total;
      auto it = by_line.find(g["line"].get<uint32_t>());
      bool ok = it != by_line.end();
      if (ok) {
        const Heading& h = *it->second;
        std::string marker(h.marker.In(source_->text()));
        ok = h.depth == g["depth"].get<int>() && marker == g["marker"].get<std::string>() &&
             h.number == g["number"].get<int>() && Text(h.title) == g["title"].get<std::string>();
        if (g.contains("section_kind")) {
          ok = ok && SectionKindName(h.section_kind) == g["section_kind"].get<std::string>();
        }
        EXPECT_TRUE(ok) << "line " << g["line"] << ": got depth " << h.depth << " marker "
                        << marker << " number " << h.number << " title " << Text(h.title);
        by_line.erase(it);
      } else {
        ADD_FAILURE() << "heading at line " << g["line"] << " not found";
      }
      matched += ok;
    }
    extra += by_line.size();
    for (const auto& [line, h] : by_line) ADD_FAILURE() << "extra heading at line " << line;
  }
  EXPECT_EQ(total, 352u);
  EXPECT_EQ(matched, total);
  EXPECT_EQ(extra, 0u);
}

TEST_P(SeedGold, UnheadedProblemsParagraphs) {
  json gold = LoadGold("seed-documents.json");
  std::vector<uint32_t> found;
  for (const Report& r : outline_.reports) {
    for (const Section& s : r.sections) {
      if (s.unheaded) {
        EXPECT_EQ(s.kind, SectionKind::kProblems);
        found.push_back(s.first_line);
      }
    }
  }
  EXPECT_EQ(found, gold["unheaded_problem_paragraph_lines"].get<std::vector<uint32_t>>());
}

TEST_P(SeedGold, SentencesCoverEveryParagraph) {
  for (const Report& r : outline_.reports) {
    ASSERT_FALSE(r.sentences.empty());
    std::vector<bool> covered(r.paragraphs.size(), false);
    for (const Sentence& s : r.sentences) {
      const Paragraph& p = r.paragraphs[s.paragraph];
      EXPECT_GE(s.span.begin, p.span.begin);
      EXPECT_LE(s.span.end, p.span.end);
      covered[s.paragraph] = true;
    }
    for (bool c : covered) EXPECT_TRUE(c);
  }
  // The rejoined paragraph yields one sentence across lines 195–196.
  const Report& r6 = outline_.reports[5];
  bool crossing = false;
  for (const Sentence& s : r6.sentences) {
    if (source_->LineOf(s.span.begin) == 195 && source_->LineOf(s.span.end - 1) == 196) {
      crossing = true;
      EXPECT_EQ(Text(s.span).find("基层社会治理工作体系") != std::string::npos, true) << Text(s.span);
    }
  }
  EXPECT_TRUE(crossing);
}

INSTANTIATE_TEST_SUITE_P(Encodings, SeedGold,
                         ::testing::Values("UTF-8", "GB18030", "UTF-16LE", "UTF-16BE"));

}  // namespace
}  // namespace taizhang
