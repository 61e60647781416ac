#include "common/chinese_numeral.h"

#include <gtest/gtest.h>

namespace taizhang {
namespace {

TEST(ChineseNumeral, Values) {
  struct Case {
    const char* text;
    int64_t value;
  } cases[] = {
      {"一", 1},       {"十", 10},          {"十一", 11},         {"二十", 20},
      {"二十三", 23},  {"一百零五", 105},   {"两千", 2000},       {"三千万", 30000000},
      {"二〇二四", 2024}, {"一二", 12},     {"壹佰贰拾", 120},    {"一亿二千万", 120000000},
      {"九十九", 99},  {"一千零一", 1001},  {"十万", 100000},
  };
  for (const Case& c : cases) {
    auto v = ParseChineseNumber(c.text);
    ASSERT_TRUE(v.has_value()) << c.text;
    EXPECT_EQ(*v, c.value) << c.text;
  }
}

TEST(ChineseNumeral, Rejects) {
  for (const char* text : {"", "十十", "百一千", "三四五十", "a", "一是", "十四五"}) {
    EXPECT_FALSE(ParseChineseNumber(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace taizhang
