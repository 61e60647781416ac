// The civil-calendar helper (common/calendar.h) against days anyone can check
// on a calendar.
#include "common/calendar.h"

#include <gtest/gtest.h>

namespace taizhang::calendar {
namespace {

TEST(Calendar, LeapYears) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(2025));
  EXPECT_FALSE(IsLeapYear(1900));  // divisible by 100, not by 400
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_TRUE(IsLeapYear(0));
  EXPECT_FALSE(IsLeapYear(100001));  // beyond std::chrono::year's range
}

TEST(Calendar, DaysInMonth) {
  const int kDays2025[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int m = 1; m <= 12; ++m) EXPECT_EQ(DaysInMonth(2025, m), kDays2025[m - 1]) << m;
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
}

TEST(Calendar, ValidDays) {
  EXPECT_TRUE(IsValidDay(2025, 2, 28));
  EXPECT_FALSE(IsValidDay(2025, 2, 29));
  EXPECT_FALSE(IsValidDay(2025, 2, 30));
  EXPECT_TRUE(IsValidDay(2024, 2, 29));
  EXPECT_FALSE(IsValidDay(2025, 4, 31));
  EXPECT_FALSE(IsValidDay(2025, 0, 1));
  EXPECT_FALSE(IsValidDay(2025, 13, 1));
  EXPECT_FALSE(IsValidDay(2025, 1, 0));
}

TEST(Calendar, DaysFromCivilAndBack) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(2025, 1, 1), 20089);
  EXPECT_EQ(DaysFromCivil(1899, 12, 30), -25569);  // Excel's day 0 of the 1900 system
  // Every day of 1896–2104 (leap days, a non-leap 1900, 2000, 2100) round-trips.
  int64_t n = DaysFromCivil(1896, 1, 1);
  for (int y = 1896; y <= 2104; ++y) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= DaysInMonth(y, m); ++d, ++n) {
        ASSERT_EQ(DaysFromCivil(y, m, d), n) << y << "-" << m << "-" << d;
        CivilDay back = CivilFromDays(n);
        ASSERT_EQ(back.year, y);
        ASSERT_EQ(back.month, m);
        ASSERT_EQ(back.day, d);
      }
    }
  }
}

TEST(Calendar, Weekdays) {
  EXPECT_EQ(Weekday(DaysFromCivil(1970, 1, 1)), 4);  // a Thursday
  EXPECT_EQ(Weekday(DaysFromCivil(2025, 1, 1)), 3);  // a Wednesday
  EXPECT_EQ(Weekday(DaysFromCivil(2024, 2, 29)), 4);
  EXPECT_EQ(Weekday(DaysFromCivil(2026, 3, 1)), 0);  // a Sunday
}

TEST(Calendar, ParseIsoDay) {
  EXPECT_EQ(ParseIsoDay("1970-01-01"), 0);
  EXPECT_EQ(ParseIsoDay("2024-02-29"), DaysFromCivil(2024, 2, 29));
  EXPECT_FALSE(ParseIsoDay("2025-02-30"));
  EXPECT_FALSE(ParseIsoDay("2025-02-29"));
  EXPECT_FALSE(ParseIsoDay("2025-13-01"));
  EXPECT_FALSE(ParseIsoDay("2025-00-10"));
  EXPECT_FALSE(ParseIsoDay("2025-1-10"));
  EXPECT_FALSE(ParseIsoDay("2025/01/10"));
  EXPECT_FALSE(ParseIsoDay("2025-01-1x"));
  EXPECT_FALSE(ParseIsoDay("2025-01-10 "));
  EXPECT_FALSE(ParseIsoDay("２０２５-01-10"));
  EXPECT_FALSE(ParseIsoDay(""));
}

TEST(Calendar, FormatIsoDayAndAddDays) {
  EXPECT_EQ(FormatIsoDay(CivilDay{2025, 3, 1}), "2025-03-01");
  EXPECT_EQ(FormatIsoDay(CivilDay{987, 6, 5}), "0987-06-05");
  EXPECT_EQ(FormatIsoDay(int64_t{0}), "1970-01-01");
  EXPECT_EQ(AddDays("2025-02-28", 1), "2025-03-01");
  EXPECT_EQ(AddDays("2024-02-28", 1), "2024-02-29");
  EXPECT_EQ(AddDays("2025-12-31", 1), "2026-01-01");
  EXPECT_EQ(AddDays("2025-03-01", -1), "2025-02-28");
  EXPECT_EQ(AddDays("2025-01-01", 365), "2026-01-01");
  EXPECT_EQ(AddDays("2025-02-30", 1), std::nullopt);
}

}  // namespace
}  // namespace taizhang::calendar
