#include "common/utf8.h"
#include "ingest/ingest.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unicode/ucnv.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/test_util.h"

namespace taizhang {
namespace {

std::string Encode(const std::string& utf8, const char* encoding) {
  std::string out = testing::EncodeFromUtf8(utf8, encoding);
  EXPECT_FALSE(out.empty()) << "conversion to " << encoding << " failed";
  return out;
}

const std::string kText = "县水利局2023年工作总结\n一、主要工作\n（一）完成投资１２３万元。\n";

TEST(Decode, Utf8WithAndWithoutBom) {
  auto plain = DecodeText("a.txt", kText, {});
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(plain->encoding(), "UTF-8");
  EXPECT_EQ(plain->text(), kText);
  EXPECT_EQ(plain->bom_bytes(), 0u);
  auto bom = DecodeText("b.txt", "\xEF\xBB\xBF" + kText, {});
  ASSERT_TRUE(bom.ok());
  EXPECT_EQ(bom->text(), kText);
  EXPECT_EQ(bom->bom_bytes(), 3u);
}

TEST(Decode, Gb18030) {
  auto source = DecodeText("gbk.txt", Encode(kText, "GB18030"), {});
  ASSERT_TRUE(source.ok()) << source.status().message();
  EXPECT_EQ(source->encoding(), "GB18030");
  EXPECT_EQ(source->text(), kText);
}

TEST(Decode, Utf16WithBomAndWithout) {
  for (const char* enc : {"UTF-16LE", "UTF-16BE"}) {
    std::string bom = std::string(enc) == "UTF-16LE" ? "\xFF\xFE" : "\xFE\xFF";
    auto with_bom = DecodeText("u16.txt", bom + Encode(kText, enc), {});
    ASSERT_TRUE(with_bom.ok()) << with_bom.status().message();
    EXPECT_EQ(with_bom->encoding(), enc);
    EXPECT_EQ(with_bom->text(), kText);
    EXPECT_EQ(with_bom->bom_bytes(), 2u);
    // Without BOM the NUL pattern of the ASCII characters tells.
    std::string ascii_heavy = "Report 2023\nline 2: 123\n中文\n";
    auto without = DecodeText("u16.txt", Encode(ascii_heavy, enc), {});
    ASSERT_TRUE(without.ok()) << without.status().message();
    EXPECT_EQ(without->encoding(), enc);
    EXPECT_EQ(without->text(), ascii_heavy);
  }
}

TEST(Decode, Utf16WithoutBomOfRealChineseText) {
  // Characters such as 一 (U+4E00) put a NUL on the "wrong" side, so the
  // NUL pattern of ASCII text cannot tell the byte order of Chinese text.
  const std::string seed = testing::ReadBytes(testing::SeedPath());
  ASSERT_FALSE(seed.empty());
  for (const char* enc : {"UTF-16LE", "UTF-16BE"}) {
    auto source = DecodeText("无BOM.txt", Encode(seed, enc), {});
    ASSERT_TRUE(source.ok()) << enc << ": " << source.status().message();
    EXPECT_EQ(source->encoding(), enc);
    EXPECT_EQ(source->text(), seed);
    // A text with no ASCII at all: ideographs and full-width punctuation.
    const std::string pure = "一、工作总结。二、下一步工作计划：三项任务全部完成。";
    auto only_cjk = DecodeText("纯中文.txt", Encode(pure, enc), {});
    ASSERT_TRUE(only_cjk.ok()) << enc << ": " << only_cjk.status().message();
    EXPECT_EQ(only_cjk->text(), pure);
  }
}

TEST(Decode, BinaryMessageNamesEveryFormatAndTheEncodingOption) {
  // Bytes with NULs that are no plausible text in either byte order.
  std::string noise;
  for (int i = 0; i < 512; ++i) noise.push_back(static_cast<char>((i * 73 + 11) % 256 & (i % 3 ? 0xFF : 0x00)));
  auto bad = DecodeText("数据.bin", noise, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kBinary);
  const std::string& m = bad.status().message();
  EXPECT_NE(m.find("数据.bin"), std::string::npos) << m;
  for (const char* format : {"纯文本", "Word .docx", "PDF", ".doc/.wps"}) {
    EXPECT_NE(m.find(format), std::string::npos) << format << " missing in: " << m;
  }
  EXPECT_NE(m.find("--encoding"), std::string::npos) << m;
}

TEST(Decode, ForcedEncoding) {
  ReadOptions options;
  options.encoding = "Big5";
  auto source = DecodeText("big5.txt", Encode("工作總結", "Big5"), options);
  ASSERT_TRUE(source.ok()) << source.status().message();
  EXPECT_EQ(source->text(), "工作總結");
  options.encoding = "no-such-encoding";
  auto bad = DecodeText("x.txt", "abc", options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(Decode, ErrorsNameFileAndPlace) {
  // Not UTF-8 and not GB18030: 0x80 alone is invalid in both.
  auto bad = DecodeText("坏.txt", "第一行\n第二\x80行", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kUndecodable);
  EXPECT_NE(bad.status().message().find("坏.txt:2:3"), std::string::npos) << bad.status().message();
  // A UTF-8 BOM with invalid content.
  auto bom = DecodeText("b.txt", "\xEF\xBB\xBFok\xFF", {});
  ASSERT_FALSE(bom.ok());
  EXPECT_EQ(bom.status().code(), StatusCode::kUndecodable);
  // A UTF-16 BOM with an unpaired surrogate.
  auto u16 = DecodeText("c.txt", std::string("\xFF\xFE" "a\0\x00\xD8" "b\0", 8), {});
  ASSERT_FALSE(u16.ok());
  EXPECT_EQ(u16.status().code(), StatusCode::kUndecodable);
}

TEST(Decode, BinaryAndEmpty) {
  auto pdf = DecodeText("a.pdf", std::string("%PDF-1.7\n\0\x01\x02\xFF", 14), {});
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), StatusCode::kBinary);
  EXPECT_NE(pdf.status().message().find("PDF"), std::string::npos);
  auto zip = DecodeText("a.docx", std::string("PK\x03\x04\x14\0\x06\0", 8), {});
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.status().code(), StatusCode::kBinary);
  auto controls = DecodeText("c.bin", std::string(100, '\x01'), {});
  EXPECT_EQ(controls.status().code(), StatusCode::kBinary);
  EXPECT_EQ(DecodeText("e.txt", "", {}).status().code(), StatusCode::kEmpty);
  EXPECT_EQ(DecodeText("w.txt", " \n\t\r\n\u3000", {}).status().code(), StatusCode::kEmpty);
  EXPECT_EQ(DecodeText("bom.txt", "\xEF\xBB\xBF", {}).status().code(), StatusCode::kEmpty);
}

TEST(Decode, TooLarge) {
  ReadOptions options;
  options.max_bytes = 10;
  auto big = DecodeText("big.txt", std::string(11, 'a'), options);
  EXPECT_EQ(big.status().code(), StatusCode::kTooLarge);
}

TEST(ReadFile, MissingDirectoryAndRealFile) {
  auto missing = ReadTextFile("/nonexistent/不存在.txt", {});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("不存在.txt"), std::string::npos);
  auto dir = ReadTextFile(std::filesystem::temp_directory_path().string(), {});
  EXPECT_EQ(dir.status().code(), StatusCode::kNotAFile);
  auto seed = ReadTextFile(testing::SeedPath(), {});
  ASSERT_TRUE(seed.ok()) << seed.status().message();
  EXPECT_EQ(seed->line_count(), 586u);
  EXPECT_EQ(seed->Line(27), "2023年工作总结和2024年工作计划");
}

TEST(ReadFile, TooLargeIsRefusedBeforeReading) {
  std::string path = std::filesystem::temp_directory_path() / "taizhang_big_test.txt";
  testing::WriteBytes(path, std::string(4096, 'a'));
  ReadOptions options;
  options.max_bytes = 1000;
  EXPECT_EQ(ReadTextFile(path, options).status().code(), StatusCode::kTooLarge);
  std::remove(path.c_str());
}

TEST(SourceText, LinesAndLocations) {
  SourceText s("t.txt", "UTF-8", "甲乙\r\n丙\rab\n\n末", 0);
  ASSERT_EQ(s.line_count(), 5u);
  EXPECT_EQ(s.Line(1), "甲乙");
  EXPECT_EQ(s.Line(2), "丙");
  EXPECT_EQ(s.Line(3), "ab");
  EXPECT_EQ(s.Line(4), "");
  EXPECT_EQ(s.Line(5), "末");
  Location at = s.Locate(3);  // 乙
  EXPECT_EQ(at.line, 1u);
  EXPECT_EQ(at.column, 2u);
  Location b = s.Locate(s.LineBegin(3) + 1);
  EXPECT_EQ(b.line, 3u);
  EXPECT_EQ(b.column, 2u);
  EXPECT_EQ(s.LineOf(s.LineBegin(5)), 5u);
  SourceText trailing("t.txt", "UTF-8", "a\nb\n", 0);
  EXPECT_EQ(trailing.line_count(), 2u);
}

// Locate remembers its last answer; any order of offsets, on any text,
// still gives the column counted from the line start.
TEST(SourceText, LocateInAnyOrderMatchesCountingFromTheLineStart) {
  SourceText a("a.txt", "UTF-8", "甲乙丙丁戊\nabc中文def\n末行", 0);
  SourceText b("b.txt", "UTF-8", "一二三四五六七八九十\nx", 0);
  const std::vector<uint32_t> offsets = {12, 3, 15, 0, 9, 16, 19, 25, 16, 30, 6, 33};
  for (int round = 0; round < 2; ++round) {
    for (uint32_t off : offsets) {
      for (const SourceText* s : {&a, &b}) {
        uint32_t o = std::min<uint32_t>(off, static_cast<uint32_t>(s->text().size()));
        Location got = s->Locate(o);
        uint32_t line = s->LineOf(o);
        uint32_t end = std::min(o, s->LineEnd(line));
        uint32_t expected =
            static_cast<uint32_t>(utf8::CountCodePoints(s->text().substr(s->LineBegin(line), end - s->LineBegin(line)))) + 1;
        EXPECT_EQ(got.line, line) << s->name() << " @" << o;
        EXPECT_EQ(got.column, expected) << s->name() << " @" << o;
      }
    }
  }
}

TEST(SourceText, SameLinesAndColumnsInEveryEncoding) {
  std::string utf8 = testing::ReadBytes(testing::SeedPath());
  auto a = DecodeText("u8", utf8, {});
  auto b = DecodeText("gb", Encode(utf8, "GB18030"), {});
  auto c = DecodeText("u16", "\xFF\xFE" + Encode(utf8, "UTF-16LE"), {});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(b->encoding(), "GB18030");
  EXPECT_EQ(a->text(), b->text());
  EXPECT_EQ(a->text(), c->text());
}

TEST(FoldWidth, DigitsLettersPercentFoldedWithMap) {
  std::string input = "完成１２３万元，增长５％，ＡＢ类";
  FoldedText folded = FoldWidth(input);
  EXPECT_EQ(folded.text, "完成123万元，增长5%，AB类");
  size_t one = folded.text.find('1');
  EXPECT_EQ(input.substr(folded.ToInput(one), 3), "１");
  size_t wan = folded.text.find("万");
  EXPECT_EQ(input.substr(folded.ToInput(wan), 3), "万");
  size_t lei = folded.text.find("类");
  EXPECT_EQ(input.substr(folded.ToInput(lei)), "类");
  EXPECT_EQ(folded.ToInput(0), 0u);
}

}  // namespace
}  // namespace taizhang
