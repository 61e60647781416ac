#include "outline/sentence_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace taizhang::outline_internal {
namespace {

std::vector<std::string> Split(std::string_view text) {
  std::vector<Span> spans;
  SplitSentences(text, Span{0, static_cast<uint32_t>(text.size())}, &spans);
  std::vector<std::string> out;
  for (const Span& s : spans) out.emplace_back(s.In(text));
  return out;
}

TEST(SplitSentences, TerminatorsQuotesBrackets) {
  EXPECT_EQ(Split("甲。乙！丙？丁"), (std::vector<std::string>{"甲。", "乙！", "丙？", "丁"}));
  // A full stop inside quotes or brackets does not end the sentence …
  EXPECT_EQ(Split("印发《细则。修订》并执行。下一句。"),
            (std::vector<std::string>{"印发《细则。修订》并执行。", "下一句。"}));
  // … but one that closes the quote does, with the quote kept.
  EXPECT_EQ(Split("他说：“今年完成任务。”明年继续。"),
            (std::vector<std::string>{"他说：“今年完成任务。”", "明年继续。"}));
  EXPECT_EQ(Split("真的吗？！是的。"), (std::vector<std::string>{"真的吗？！", "是的。"}));
}

TEST(SplitSentences, UnbalancedBracketsFallBackToEveryTerminator) {
  // A stray opening quote must not swallow the paragraph.
  EXPECT_EQ(Split("紧扣“两不愁三保障。继续推进。"),
            (std::vector<std::string>{"紧扣“两不愁三保障。", "继续推进。"}));
  EXPECT_EQ(Split("紧扣两不愁三保障”，深入推进。好。"),
            (std::vector<std::string>{"紧扣两不愁三保障”，深入推进。", "好。"}));
}

TEST(SplitSentences, SpacesAndLineBreaksTrimmed) {
  EXPECT_EQ(Split("  第一句。 第二句跨\n行。\u3000"),
            (std::vector<std::string>{"第一句。", "第二句跨\n行。"}));
  EXPECT_TRUE(Split("   ").empty());
}

TEST(FirstSentenceEnd, TitleOfRunInHeading) {
  std::string_view text = "重点项目推进有序。一是截至2023年10月";
  uint32_t after = 0;
  uint32_t end = FirstSentenceEnd(text, Span{0, static_cast<uint32_t>(text.size())}, &after);
  EXPECT_EQ(text.substr(0, end), "重点项目推进有序");
  EXPECT_EQ(text.substr(after), "一是截至2023年10月");
  std::string_view none = "卫生重点工作";
  end = FirstSentenceEnd(none, Span{0, static_cast<uint32_t>(none.size())}, &after);
  EXPECT_EQ(end, none.size());
  EXPECT_EQ(after, none.size());
}

}  // namespace
}  // namespace taizhang::outline_internal
