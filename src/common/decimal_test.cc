#include "common/decimal.h"

#include <gtest/gtest.h>

namespace taizhang {
namespace {

TEST(Decimal, ParseAndPrintExactly) {
  EXPECT_EQ(Decimal::Parse("301.7398")->Shifted(4).ToString(), "3017398");
  EXPECT_EQ(Decimal::Parse("0.05")->ToString(), "0.05");
  EXPECT_EQ(Decimal::Parse("-12.50")->ToString(), "-12.5");
  EXPECT_EQ(Decimal::Parse("1.24")->Shifted(8).ToString(), "124000000");
  EXPECT_EQ(Decimal::FromInt(0).ToString(), "0");
  EXPECT_FALSE(Decimal::Parse("1.2.3"));
  EXPECT_FALSE(Decimal::Parse(""));
  EXPECT_FALSE(Decimal::Parse("99999999999999999999"));
}

TEST(Decimal, ArithmeticHasNoBinaryError) {
  // 0.1 + 0.2 is 0.3 exactly, unlike double.
  auto sum = Decimal::Parse("0.1")->Plus(*Decimal::Parse("0.2"));
  ASSERT_TRUE(sum);
  EXPECT_EQ(*sum, *Decimal::Parse("0.3"));
  auto product = Decimal::Parse("1.5")->Times(*Decimal::Parse("10000"));
  EXPECT_EQ(product->ToString(), "15000");
  EXPECT_LT(*Decimal::Parse("2.37"), *Decimal::Parse("2.373"));
  EXPECT_EQ(Decimal::Parse("2.370")->Compare(*Decimal::Parse("2.37")), 0);
}

}  // namespace
}  // namespace taizhang
