#include "common/utf8.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
#include <string>

#include "common/text_search.h"

namespace taizhang {
namespace {

// Obviously-correct reference: decode code point by code point.
size_t ReferenceFindInvalid(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    size_t before = i;
    char32_t cp = utf8::Next(text, &i);
    if (cp == utf8::kInvalid && text.substr(before, 3) != "\xEF\xBF\xBD") return before;
  }
  return text.size();
}

TEST(Utf8, DecodesAndRejects) {
  std::string_view s = "a中€😀";
  size_t i = 0;
  EXPECT_EQ(utf8::Next(s, &i), U'a');
  EXPECT_EQ(utf8::Next(s, &i), U'中');
  EXPECT_EQ(utf8::Next(s, &i), U'€');
  EXPECT_EQ(utf8::Next(s, &i), U'😀');
  EXPECT_EQ(i, s.size());
  size_t j = 0;
  EXPECT_EQ(utf8::Next("\xC0\xAF", &j), utf8::kInvalid);  // overlong
  EXPECT_EQ(j, 1u);
  EXPECT_EQ(utf8::FindInvalid("ok\xED\xA0\x80"), 2u);     // surrogate
  EXPECT_EQ(utf8::FindInvalid("中文\xE4\xB8"), 6u);        // truncated
  EXPECT_EQ(utf8::FindInvalid("\xEF\xBF\xBD"), 3u);        // U+FFFD is valid
  EXPECT_EQ(utf8::CountCodePoints("a中b"), 3u);
}

// The SIMD count agrees with decoding, at every length and alignment.
TEST(Utf8, CountCodePointsMatchesDecoding) {
  std::string text;
  for (int k = 0; k < 40; ++k) text += k % 3 == 0 ? "a" : k % 3 == 1 ? "中" : "😀";
  for (size_t begin = 0; begin < 8; ++begin) {
    for (size_t end = begin; end <= text.size(); ++end) {
      std::string_view part = std::string_view(text).substr(begin, end - begin);
      size_t decoded = 0;
      for (unsigned char c : part) decoded += (c & 0xC0) != 0x80;
      EXPECT_EQ(utf8::CountCodePoints(part), decoded) << begin << ".." << end;
    }
  }
}

// The spaces come from Unicode's properties: the fast paths (ASCII, past U+3000) give ICU's
// answer, and the EM SPACE that some documents indent with counts like U+3000.
TEST(Utf8, SpacesFollowUnicodeProperties) {
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp == 0xFEFF) continue;  // the stray BOM, a space here though not in Unicode
    ASSERT_EQ(utf8::IsInlineSpace(cp), static_cast<bool>(u_isblank(static_cast<UChar32>(cp)))) << std::hex << static_cast<uint32_t>(cp);
    ASSERT_EQ(utf8::IsWhiteSpace(cp), static_cast<bool>(u_isUWhiteSpace(static_cast<UChar32>(cp)))) << std::hex << static_cast<uint32_t>(cp);
  }
  for (char32_t cp : {U' ', U'\t', U'\u00A0', U'\u2002', U'\u2003', U'\u200A', U'\u3000', U'\uFEFF'}) {
    EXPECT_TRUE(utf8::IsInlineSpace(cp)) << std::hex << static_cast<uint32_t>(cp);
    EXPECT_TRUE(utf8::IsWhiteSpace(cp)) << std::hex << static_cast<uint32_t>(cp);
  }
  for (char32_t cp : {U'\n', U'\r', U'\u2028', U'\u0085'}) {
    EXPECT_FALSE(utf8::IsInlineSpace(cp)) << std::hex << static_cast<uint32_t>(cp);
    EXPECT_TRUE(utf8::IsWhiteSpace(cp)) << std::hex << static_cast<uint32_t>(cp);
  }
  for (char32_t cp : {U'a', U'中', U'\u200B', U'\u0000', U'、'}) {
    EXPECT_FALSE(utf8::IsWhiteSpace(cp)) << std::hex << static_cast<uint32_t>(cp);
  }
}

// Display width from East Asian Width: W and F two columns, marks none.
TEST(Utf8, DisplayWidthFromEastAsianWidth) {
  EXPECT_EQ(utf8::DisplayWidth(U'a'), 1);
  EXPECT_EQ(utf8::DisplayWidth(U'中'), 2);       // W
  EXPECT_EQ(utf8::DisplayWidth(U'\u3000'), 2);  // F, ideographic space
  EXPECT_EQ(utf8::DisplayWidth(U'，'), 2);       // F, full-width comma
  EXPECT_EQ(utf8::DisplayWidth(U'％'), 2);
  EXPECT_EQ(utf8::DisplayWidth(U'가'), 2);       // Hangul
  EXPECT_EQ(utf8::DisplayWidth(U'𠀀'), 2);       // U+20000, plane 2
  EXPECT_EQ(utf8::DisplayWidth(U'ｱ'), 1);        // half-width katakana (H)
  EXPECT_EQ(utf8::DisplayWidth(U'“'), 1);        // ambiguous (A): narrow
  EXPECT_EQ(utf8::DisplayWidth(U'①'), 1);
  EXPECT_EQ(utf8::DisplayWidth(U'\u0301'), 0);  // combining acute accent (Mn)
  EXPECT_EQ(utf8::DisplayWidth(U'\u20DD'), 0);  // combining enclosing circle (Me)
  EXPECT_EQ(utf8::DisplayWidth(std::string_view("完成率95%")), 9);
  EXPECT_EQ(utf8::DisplayWidth(std::string_view("e\u0301")), 1);
  EXPECT_EQ(utf8::DisplayWidth(std::string_view("")), 0);
}

TEST(Utf8, PrevStepsBack) {
  std::string_view s = "甲乙a";
  size_t p = s.size();
  EXPECT_EQ(utf8::Prev(s, &p), U'a');
  EXPECT_EQ(utf8::Prev(s, &p), U'乙');
  EXPECT_EQ(p, 3u);
}

TEST(Utf8, FastValidatorAgreesWithReference) {
  std::mt19937 rng(12345);
  const std::string pieces[] = {"中", "文", "。", "a", "1", "\n", "€", "😀", "\xE0\xA4\x85",
                                "\xED\x9F\xBF", "\xE4", "\xB8", "\xFF", "\xED\xA0\x80",
                                "\xE0\x80\x80", "\xC2\xA0"};
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    int n = rng() % 40;
    for (int k = 0; k < n; ++k) {
      // Mostly valid CJK so the vector path runs, with rare bad pieces.
      size_t pick = rng() % 100 < 85 ? rng() % 4 : rng() % std::size(pieces);
      s += pieces[pick];
    }
    ASSERT_EQ(utf8::FindInvalid(s), ReferenceFindInvalid(s)) << "input bytes: " << s.size();
  }
}

TEST(TextSearch, FindsAndCounts) {
  EXPECT_EQ(FindText("一二三二三", "二三"), 3u);
  EXPECT_EQ(FindText("一二三二三", "二三", 4), 9u);
  EXPECT_EQ(FindText("一二三", "四"), std::string_view::npos);
  EXPECT_EQ(CountText("水利水利水", "水利"), 2u);
  PhraseCounter counter({"水利", "水", "河湖"});
  std::vector<size_t> counts = counter.Count("水利局抓河湖，水利");
  EXPECT_EQ(counts, (std::vector<size_t>{2, 2, 1}));
}

TEST(TextSearch, FindTextAgreesWithFindOnShortAndLongTexts) {
  // Needles up to 16 bytes take the first-and-last-byte loop (vector and
  // scalar), longer ones in long texts memmem: all must find what
  // std::string_view::find finds, from every start.
  std::mt19937 rng(11);
  const std::string pieces[] = {"中", "文", "中文", "。", "a", "ab", "\xE4", "文中", "\xB8"};
  for (int round = 0; round < 3000; ++round) {
    std::string needle;
    for (int k = 1 + rng() % 6; k > 0; --k) needle += pieces[rng() % std::size(pieces)];
    std::string text;
    for (int k = rng() % (round % 2 == 0 ? 40 : 200); k > 0; --k) text += pieces[rng() % std::size(pieces)];
    for (size_t from = 0; from <= text.size() + 1; from += 1 + rng() % 7) {
      ASSERT_EQ(FindText(text, needle, from), std::string_view(text).find(needle, from))
          << text << " / " << needle << " from " << from;
    }
  }
}

TEST(TextSearch, FindAnyByteAndFindAsciiDigitAgreeWithByteLoops) {
  std::mt19937 rng(5);
  const std::string pieces[] = {"中", "。", "，", "（", "a", "X", "7", "0", "9", "\n", "／", "\xC3\x97"};
  constexpr std::array<unsigned char, 3> kWanted = {'\n', 0xE3, 0xEF};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int k = rng() % 80; k > 0; --k) text += pieces[rng() % std::size(pieces)];
    for (size_t from = 0; from <= text.size(); from += 1 + rng() % 5) {
      const size_t end = from + rng() % (text.size() - from + 1);
      size_t any = from, digit = from;
      while (any < end && std::find(kWanted.begin(), kWanted.end(), static_cast<unsigned char>(text[any])) ==
                              kWanted.end()) {
        ++any;
      }
      while (digit < end && !(text[digit] >= '0' && text[digit] <= '9')) ++digit;
      ASSERT_EQ(FindAnyByte(text, from, end, kWanted), any) << text << " from " << from << " to " << end;
      ASSERT_EQ(FindAsciiDigit(text, from, end), digit) << text << " from " << from << " to " << end;
    }
  }
}

TEST(TextSearch, TermMatcherFindsEveryOccurrence) {
  TermMatcher m({"水利", "水", "河湖", "利水", "水利局"});
  std::vector<std::pair<uint32_t, size_t>> hits;
  m.Scan("水利局抓河湖，水利水", [&](uint32_t term, size_t end) {
    hits.emplace_back(term, end);
    return true;
  });
  // 水(3) 水利(6) 水利局(9) 河湖(18) 水(24) 水利(27) 利水(30) 水(30)
  std::vector<std::pair<uint32_t, size_t>> want{{1, 3}, {0, 6}, {4, 9}, {2, 18}, {1, 24},
                                                {0, 27}, {3, 30}, {1, 30}};
  EXPECT_EQ(hits, want);
  EXPECT_TRUE(m.ContainsAny("抓河湖"));
  EXPECT_FALSE(m.ContainsAny("河 湖"));
  EXPECT_FALSE(TermMatcher().ContainsAny("水"));
}

TEST(TextSearch, TermMatcherAgreesWithFindText) {
  std::mt19937 rng(7);
  const std::string pieces[] = {"中", "文", "中文", "。", "a", "ab", "\xE4", "文中"};
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::string> terms;
    for (int n = 1 + rng() % 6; n > 0; --n) {
      std::string t;
      for (int k = 1 + rng() % 3; k > 0; --k) t += pieces[rng() % std::size(pieces)];
      terms.push_back(t);
    }
    std::string text;
    for (int k = rng() % 30; k > 0; --k) text += pieces[rng() % std::size(pieces)];
    std::vector<std::string_view> views(terms.begin(), terms.end());
    TermMatcher m(views);
    std::vector<std::pair<size_t, uint32_t>> got, want;
    m.Scan(text, [&](uint32_t term, size_t end) {
      got.emplace_back(end - terms[term].size(), term);
      return true;
    });
    for (uint32_t k = 0; k < terms.size(); ++k) {
      for (size_t at = FindText(text, terms[k]); at != std::string_view::npos; at = FindText(text, terms[k], at + 1))
        want.emplace_back(at, k);
    }
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    ASSERT_EQ(got, want) << text;
  }
}

}  // namespace
}  // namespace taizhang
