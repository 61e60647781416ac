#include "outline/heading_marker.h"

#include <gtest/gtest.h>

namespace taizhang::outline_internal {
namespace {

struct Case {
  const char* text;
  MarkerKind kind;
  const char* marker;  // expected bytes of the marker as typed
  int number;
};

TEST(MatchMarker, OfficialHierarchy) {
  const Case cases[] = {
      {"一、2023年主要工作", MarkerKind::kChineseComma, "一、", 1},
      {"十一、其他", MarkerKind::kChineseComma, "十一、", 11},
      {"（一）重点项目推进有序。", MarkerKind::kChineseParen, "（一）", 1},
      {"(三）农村人饮", MarkerKind::kChineseParen, "(三）", 3},
      {"(二)统筹推进", MarkerKind::kChineseParen, "(二)", 2},
      {"（十二）其他", MarkerKind::kChineseParen, "（十二）", 12},
      {"1.医改工作", MarkerKind::kArabicDot, "1.", 1},
      {"10、健康街西延项目", MarkerKind::kArabicDot, "10、", 10},
      {"３．全角数字", MarkerKind::kArabicDot, "３．", 3},
      {"（1）设施蔬菜", MarkerKind::kArabicParen, "（1）", 1},
      {"(12)项目", MarkerKind::kArabicParen, "(12)", 12},
      {"2）半括号", MarkerKind::kArabicParen, "2）", 2},
      {"⑴旧式", MarkerKind::kArabicParen, "⑴", 1},
      {"①强化项目招引", MarkerKind::kCircled, "①", 1},
      {"⑳末", MarkerKind::kCircled, "⑳", 20},
      {"一是工业经济运行稳定有序", MarkerKind::kEnumeration, "一是", 1},
      {"十二是其他", MarkerKind::kEnumeration, "十二是", 12},
      {"首先，我们将", MarkerKind::kEnumeration, "首先", 1},
      {"其次，", MarkerKind::kEnumeration, "其次", 2},
      {"第三，加强", MarkerKind::kEnumeration, "第三", 3},
  };
  for (const Case& c : cases) {
    auto m = MatchMarker(c.text);
    ASSERT_TRUE(m.has_value()) << c.text;
    EXPECT_EQ(m->kind, c.kind) << c.text;
    EXPECT_EQ(std::string_view(c.text).substr(0, m->length), c.marker) << c.text;
    EXPECT_EQ(m->number, c.number) << c.text;
  }
}

TEST(MatchMarker, NotMarkers) {
  for (const char* text :
       {"2023年，我委承担", "1.5万m³再生水", "2.37km", "16个新建项目", "十四五规划",
        "一方面", "首先要", "最后一公里", "（2023年）", "第一件大事", "一、", "1.", "（一",
        "3.5%", "二积极培育", "", "零、"}) {
    auto m = MatchMarker(text);
    // "一、" and "1." alone are markers with nothing after them; they are
    // accepted (the title is then empty) — everything else must not match.
    if (std::string_view(text) == "一、" || std::string_view(text) == "1.") {
      EXPECT_TRUE(m.has_value()) << text;
    } else {
      EXPECT_FALSE(m.has_value()) << text;
    }
  }
}

TEST(LeadingSpace, AsciiAndIdeographic) {
  EXPECT_EQ(LeadingSpace("  \u3000一、"), 5u);
  EXPECT_EQ(LeadingSpace("一、"), 0u);
  EXPECT_EQ(LeadingSpace("   "), 3u);
}

}  // namespace
}  // namespace taizhang::outline_internal
