#include "ingest/word_numbering.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/test_util.h"

namespace taizhang::ingest_internal {
namespace {

struct Rendering {
  int value;
  const char* text;
};

void ExpectRenderings(const char* format, const std::vector<Rendering>& renderings) {
  for (const Rendering& r : renderings) {
    EXPECT_EQ(FormatNumber(r.value, format), r.text) << format << " " << r.value;
  }
}

TEST(WordNumbering, Decimal) {
  ExpectRenderings("decimal", {{0, "0"},
                               {1, "1"},
                               {2, "2"},
                               {9, "9"},
                               {10, "10"},
                               {11, "11"},
                               {19, "19"},
                               {20, "20"},
                               {21, "21"},
                               {99, "99"},
                               {100, "100"},
                               {101, "101"},
                               {110, "110"},
                               {111, "111"},
                               {1000, "1000"},
                               {1001, "1001"},
                               {1010, "1010"},
                               {2024, "2024"},
                               {10000, "10000"}});
}

TEST(WordNumbering, DecimalZeroPadsSingleDigits) {
  ExpectRenderings("decimalZero", {{0, "00"},
                                   {1, "01"},
                                   {2, "02"},
                                   {9, "09"},
                                   {10, "10"},
                                   {11, "11"},
                                   {19, "19"},
                                   {20, "20"},
                                   {21, "21"},
                                   {99, "99"},
                                   {100, "100"},
                                   {101, "101"},
                                   {110, "110"},
                                   {111, "111"},
                                   {1000, "1000"},
                                   {1001, "1001"},
                                   {1010, "1010"},
                                   {2024, "2024"},
                                   {10000, "10000"}});
}

TEST(WordNumbering, LettersRepeatPastZ) {
  ExpectRenderings("upperLetter", {{1, "A"},
                                   {2, "B"},
                                   {9, "I"},
                                   {10, "J"},
                                   {11, "K"},
                                   {19, "S"},
                                   {20, "T"},
                                   {21, "U"},
                                   {26, "Z"},
                                   {27, "AA"},
                                   {28, "BB"},
                                   {52, "ZZ"},
                                   {53, "AAA"},
                                   {99, "UUUU"},
                                   {100, "VVVV"},
                                   {101, "WWWW"},
                                   {110, "FFFFF"}});
  ExpectRenderings("lowerLetter", {{1, "a"},
                                   {2, "b"},
                                   {9, "i"},
                                   {10, "j"},
                                   {11, "k"},
                                   {19, "s"},
                                   {20, "t"},
                                   {21, "u"},
                                   {26, "z"},
                                   {27, "aa"},
                                   {28, "bb"},
                                   {53, "aaa"},
                                   {99, "uuuu"}});
}

TEST(WordNumbering, Roman) {
  ExpectRenderings("upperRoman", {{1, "I"},      {2, "II"},        {4, "IV"},
                                  {9, "IX"},     {10, "X"},        {11, "XI"},
                                  {19, "XIX"},   {20, "XX"},       {21, "XXI"},
                                  {40, "XL"},    {99, "XCIX"},     {100, "C"},
                                  {101, "CI"},   {110, "CX"},      {111, "CXI"},
                                  {400, "CD"},   {1000, "M"},      {1001, "MI"},
                                  {1010, "MX"},  {2024, "MMXXIV"}, {3999, "MMMCMXCIX"},
                                  {4000, "MMMM"}});
  ExpectRenderings("lowerRoman", {{1, "i"},
                                  {2, "ii"},
                                  {9, "ix"},
                                  {10, "x"},
                                  {11, "xi"},
                                  {19, "xix"},
                                  {20, "xx"},
                                  {21, "xxi"},
                                  {99, "xcix"},
                                  {100, "c"},
                                  {101, "ci"},
                                  {110, "cx"},
                                  {111, "cxi"},
                                  {1000, "m"},
                                  {1001, "mi"},
                                  {1010, "mx"},
                                  {2024, "mmxxiv"}});
}

// chineseCounting and chineseCountingThousand render the same in Word for
// every value checked here.
const std::vector<Rendering> kChineseCounting = {
    {1, "一"},
    {2, "二"},
    {9, "九"},
    {10, "十"},
    {11, "十一"},
    {19, "十九"},
    {20, "二十"},
    {21, "二十一"},
    {99, "九十九"},
    {100, "一百"},
    {101, "一百零一"},
    {110, "一百一十"},
    {111, "一百一十一"},
    {1000, "一千"},
    {1001, "一千零一"},
    {1010, "一千零一十"},
    {2024, "二千零二十四"},
    {10000, "一万"},
    // Beyond what lists reach in practice: the general rules of 零 and 万/亿.
    {100000, "十万"},
    {101000, "十万一千"},
    {110000, "十一万"},
    {100000000, "一亿"},
    {100001000, "一亿零一千"},
    {101000000, "一亿零一百万"},
    {2147483647, "二十一亿四千七百四十八万三千六百四十七"},
};

TEST(WordNumbering, ChineseCounting) { ExpectRenderings("chineseCounting", kChineseCounting); }

TEST(WordNumbering, ChineseCountingThousand) {
  ExpectRenderings("chineseCountingThousand", kChineseCounting);
}

TEST(WordNumbering, IdeographDigitalWritesDigitByDigit) {
  ExpectRenderings("ideographDigital", {{0, "〇"},
                                        {1, "一"},
                                        {2, "二"},
                                        {9, "九"},
                                        {10, "一〇"},
                                        {11, "一一"},
                                        {19, "一九"},
                                        {20, "二〇"},
                                        {21, "二一"},
                                        {99, "九九"},
                                        {100, "一〇〇"},
                                        {101, "一〇一"},
                                        {110, "一一〇"},
                                        {111, "一一一"},
                                        {1000, "一〇〇〇"},
                                        {1001, "一〇〇一"},
                                        {1010, "一〇一〇"},
                                        {2024, "二〇二四"},
                                        {10000, "一〇〇〇〇"}});
}

TEST(WordNumbering, ChineseLegalSimplifiedKeepsLeadingOne) {
  ExpectRenderings("chineseLegalSimplified", {{0, "零"},
                                              {1, "壹"},
                                              {2, "贰"},
                                              {9, "玖"},
                                              {10, "壹拾"},
                                              {11, "壹拾壹"},
                                              {19, "壹拾玖"},
                                              {20, "贰拾"},
                                              {21, "贰拾壹"},
                                              {99, "玖拾玖"},
                                              {100, "壹佰"},
                                              {101, "壹佰零壹"},
                                              {110, "壹佰壹拾"},
                                              {111, "壹佰壹拾壹"},
                                              {1000, "壹仟"},
                                              {1001, "壹仟零壹"},
                                              {1010, "壹仟零壹拾"},
                                              {2024, "贰仟零贰拾肆"},
                                              {10000, "壹万"},
                                              {100000, "壹拾万"}});
}

TEST(WordNumbering, EnclosedCircleUpToTwenty) {
  const std::vector<Rendering> circled = {
      {0, "0"},       {1, "①"},       {2, "②"},       {9, "⑨"},        {10, "⑩"},
      {11, "⑪"},      {19, "⑲"},      {20, "⑳"},      {21, "21"},      {99, "99"},
      {100, "100"},   {101, "101"},   {110, "110"},   {111, "111"},    {1000, "1000"},
      {1001, "1001"}, {1010, "1010"}, {2024, "2024"}, {10000, "10000"}};
  ExpectRenderings("decimalEnclosedCircle", circled);
  ExpectRenderings("decimalEnclosedCircleChinese", circled);
}

TEST(WordNumbering, DecimalFullWidth) {
  ExpectRenderings("decimalFullWidth", {{0, "０"},
                                        {1, "１"},
                                        {2, "２"},
                                        {9, "９"},
                                        {10, "１０"},
                                        {11, "１１"},
                                        {19, "１９"},
                                        {20, "２０"},
                                        {21, "２１"},
                                        {99, "９９"},
                                        {100, "１００"},
                                        {101, "１０１"},
                                        {110, "１１０"},
                                        {111, "１１１"},
                                        {1000, "１０００"},
                                        {1001, "１００１"},
                                        {1010, "１０１０"},
                                        {2024, "２０２４"},
                                        {10000, "１００００"}});
}

TEST(WordNumbering, IdeographTraditionalUpToTen) {
  ExpectRenderings(
      "ideographTraditional",
      {{0, "0"},       {1, "甲"},      {2, "乙"},      {3, "丙"},      {4, "丁"},
       {5, "戊"},      {6, "己"},      {7, "庚"},      {8, "辛"},      {9, "壬"},
       {10, "癸"},     {11, "11"},     {19, "19"},     {20, "20"},     {21, "21"},
       {99, "99"},     {100, "100"},   {101, "101"},   {110, "110"},   {111, "111"},
       {1000, "1000"}, {1001, "1001"}, {1010, "1010"}, {2024, "2024"}, {10000, "10000"}});
}

TEST(WordNumbering, NoneAndBulletRenderNothing) {
  for (int value : {0, 1, 2, 10, 2024}) {
    EXPECT_EQ(FormatNumber(value, "none"), "");
    EXPECT_EQ(FormatNumber(value, "bullet"), "");
  }
}

TEST(WordNumbering, UnknownFormatsFallBackToDecimal) {
  EXPECT_EQ(FormatNumber(12, "thaiCounting"), "12");
  EXPECT_EQ(FormatNumber(12, ""), "12");
  // Format names are case-sensitive, as in Word.
  EXPECT_EQ(FormatNumber(12, "ChineseCounting"), "12");
}

TEST(WordNumbering, ZeroWhereAFormatHasNoZero) {
  EXPECT_EQ(FormatNumber(0, "upperLetter"), "0");
  EXPECT_EQ(FormatNumber(0, "lowerLetter"), "0");
  EXPECT_EQ(FormatNumber(0, "upperRoman"), "0");
  EXPECT_EQ(FormatNumber(0, "lowerRoman"), "0");
  EXPECT_EQ(FormatNumber(0, "chineseCounting"), "〇");
  EXPECT_EQ(FormatNumber(0, "chineseCountingThousand"), "〇");
  EXPECT_EQ(FormatNumber(-3, "chineseCounting"), "-3");
}

// Counters and formats for ExpandLevelText; unset levels are decimal 0.
struct Levels {
  int counters[9] = {};
  std::string formats[9] = {"decimal", "decimal", "decimal", "decimal", "decimal",
                            "decimal", "decimal", "decimal", "decimal"};
};

std::string Expand(std::string_view level_text, const Levels& levels, bool is_legal = false) {
  return ExpandLevelText(level_text, levels.counters, levels.formats, is_legal);
}

TEST(WordNumberingLevelText, ChineseCountingWithEnumerationComma) {
  Levels levels;
  levels.formats[0] = "chineseCounting";
  levels.counters[0] = 3;
  EXPECT_EQ(Expand("%1、", levels), "三、");
  levels.counters[0] = 12;
  EXPECT_EQ(Expand("%1、", levels), "十二、");
}

TEST(WordNumberingLevelText, FullWidthParentheses) {
  Levels levels;
  levels.formats[0] = "chineseCounting";
  levels.formats[1] = "chineseCounting";
  levels.counters[0] = 2;
  levels.counters[1] = 5;
  EXPECT_EQ(Expand("（%2）", levels), "（五）");
  levels.formats[3] = "decimal";
  levels.counters[3] = 11;
  EXPECT_EQ(Expand("（%4）", levels), "（11）");
}

TEST(WordNumberingLevelText, MixedFormats) {
  Levels levels;
  levels.formats[0] = "chineseCounting";
  levels.formats[1] = "decimal";
  levels.counters[0] = 2;
  levels.counters[1] = 3;
  EXPECT_EQ(Expand("%1.%2.", levels), "二.3.");
  levels.formats[0] = "upperRoman";
  levels.formats[1] = "lowerLetter";
  levels.counters[0] = 4;
  levels.counters[1] = 2;
  EXPECT_EQ(Expand("%1.%2.", levels), "IV.b.");
  levels.formats[2] = "decimalEnclosedCircleChinese";
  levels.counters[2] = 7;
  EXPECT_EQ(Expand("第%1章%3", levels), "第IV章⑦");
}

TEST(WordNumberingLevelText, LegalNumberingIsDecimal) {
  Levels levels;
  levels.formats[0] = "chineseCounting";
  levels.formats[1] = "lowerLetter";
  levels.formats[2] = "decimalZero";
  levels.counters[0] = 3;
  levels.counters[1] = 2;
  levels.counters[2] = 5;
  EXPECT_EQ(Expand("%1.%2.%3", levels), "三.b.05");
  EXPECT_EQ(Expand("%1.%2.%3", levels, /*is_legal=*/true), "3.2.5");
}

TEST(WordNumberingLevelText, LevelWithCounterZero) {
  // A level-2 heading before any level-1 heading: Word shows 0 for level 1.
  Levels levels;
  levels.counters[0] = 0;
  levels.counters[1] = 1;
  EXPECT_EQ(Expand("%1.%2.", levels), "0.1.");
  levels.formats[0] = "chineseCounting";
  EXPECT_EQ(Expand("%1.%2", levels), "〇.1");
  EXPECT_EQ(Expand("%1.%2", levels, /*is_legal=*/true), "0.1");
}

TEST(WordNumberingLevelText, LiteralTextAndStrayPercent) {
  Levels levels;
  levels.counters[0] = 7;
  levels.formats[1] = "none";
  levels.counters[1] = 4;
  EXPECT_EQ(Expand("%1%2", levels), "7");
  EXPECT_EQ(Expand("", levels), "");
  EXPECT_EQ(Expand("第一部分", levels), "第一部分");
  EXPECT_EQ(Expand("%0%%1%", levels), "%0%7%");
  levels.counters[8] = 9;
  EXPECT_EQ(Expand("%9)", levels), "9)");
}

// numbering-probe.docx holds one paragraph per (format, value), each its own
// w:num with startOverride = value, whose text is "<format> <value>".
// LibreOffice's plain-text export of it prints "    <number>、 <format> <value>"
// for each. Word agrees with LibreOffice except where listed here.
struct WordDiffers {
  std::string format;
  int value;
  std::string libreoffice;
  std::string word;
};

const std::vector<WordDiffers> kWordDiffers = {
    // LibreOffice renders ideographDigital like chineseCounting; Word writes
    // it digit by digit.
    {"ideographDigital", 10, "十", "一〇"},
    {"ideographDigital", 11, "十一", "一一"},
    {"ideographDigital", 19, "十九", "一九"},
    {"ideographDigital", 20, "二十", "二〇"},
    {"ideographDigital", 21, "二十一", "二一"},
    {"ideographDigital", 99, "九十九", "九九"},
    {"ideographDigital", 100, "一百", "一〇〇"},
    {"ideographDigital", 101, "一百零一", "一〇一"},
    {"ideographDigital", 110, "一百一十", "一一〇"},
    {"ideographDigital", 1000, "一千", "一〇〇〇"},
    {"ideographDigital", 2024, "二千零二十四", "二〇二四"},
    // LibreOffice continues with ㉑ … ㊿; Word's circled numbers stop at ⑳
    // (ECMA-376 §17.18.59: 1–20, beyond that plain decimal).
    {"decimalEnclosedCircleChinese", 21, "㉑", "21"},
};

TEST(WordNumberingProbe, MatchesLibreOfficeRendering) {
  const std::string path =
      testing::SharedDir() + "/corpus/fixtures/numbering-probe.libreoffice.txt";
  const std::string text = testing::ReadBytes(path);
  ASSERT_FALSE(text.empty()) << "cannot read " << path;

  const std::string kSuffix = "、";
  std::map<std::pair<std::string, int>, const WordDiffers*> differs;
  for (const WordDiffers& d : kWordDiffers) differs[{d.format, d.value}] = &d;

  std::istringstream in(text);
  std::string line;
  int line_number = 0;
  int compared = 0;
  std::map<std::string, int> per_format;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Probe lines: four spaces, "<number>、", a space, format, a space, value.
    if (line.rfind("    ", 0) != 0) continue;
    std::istringstream fields(line);
    std::string label, format, value_text, rest;
    if (!(fields >> label >> format >> value_text) || (fields >> rest)) continue;
    if (label.size() <= kSuffix.size() ||
        label.compare(label.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
      continue;
    }
    if (value_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string number = label.substr(0, label.size() - kSuffix.size());
    const int value = std::stoi(value_text);

    std::string expected = number;
    auto it = differs.find({format, value});
    if (it != differs.end()) {
      // Fails if the reference changes, so the table above stays true.
      EXPECT_EQ(number, it->second->libreoffice) << "line " << line_number;
      expected = it->second->word;
      differs.erase(it);
    }
    EXPECT_EQ(FormatNumber(value, format), expected)
        << "line " << line_number << ": " << format << " " << value;
    ++compared;
    ++per_format[format];
  }

  // Six formats at twelve values each; fewer means the layout changed and
  // the pairing above can no longer be trusted.
  EXPECT_EQ(compared, 72);
  EXPECT_EQ(per_format.size(), 6u);
  for (const auto& [format, count] : per_format) EXPECT_EQ(count, 12) << format;
  for (const auto& [key, d] : differs) {
    ADD_FAILURE() << "no probe line for " << key.first << " " << key.second;
  }
}

}  // namespace
}  // namespace taizhang::ingest_internal
