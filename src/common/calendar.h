// Civil-calendar days: ISO dates (YYYY-MM-DD) read and written, days counted
// from 1970-01-01, months, leap years and weekdays. One helper for every
// stage (the time expressions of extract/, the ledger's deadlines and Excel's
// serial dates), on C++20 <chrono> calendar types (proleptic Gregorian).
//
//   std::optional<int64_t> day = calendar::ParseIsoDay("2025-03-01");
//   calendar::FormatIsoDay(*day - 1)          // "2025-02-28"
//   calendar::ParseIsoDay("2025-02-30")       // nullopt: no such day
#ifndef TAIZHANG_COMMON_CALENDAR_H_
#define TAIZHANG_COMMON_CALENDAR_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taizhang::calendar {

// A day of the civil calendar as its parts.
struct CivilDay {
  int year = 1970;
  int month = 1;  // 1–12
  int day = 1;    // 1–31
};

// Arithmetic rather than std::chrono::year::is_leap, so that any int is a
// year (std::chrono::year holds only −32767…32767, and text can say more).
inline bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Days of month `month` (1–12) of `year`.
inline int DaysInMonth(int64_t year, int month) {
  if (month == 2) return IsLeapYear(year) ? 29 : 28;
  const auto last = std::chrono::year(2001) / std::chrono::month(static_cast<unsigned>(month)) / std::chrono::last;
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

// Whether year-month-day names a day that exists (2025-02-30 does not).
inline bool IsValidDay(int64_t year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

// Days since 1970-01-01 (negative before it) of a valid civil day of a year
// in −32767…32767.
inline int64_t DaysFromCivil(int year, int month, int day) {
  const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                       std::chrono::day(static_cast<unsigned>(day))};
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

// The civil day `days` after 1970-01-01.
inline CivilDay CivilFromDays(int64_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  return CivilDay{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                  static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

// Day of the week of `days` since 1970-01-01: 0 Sunday, 1 Monday … 6 Saturday.
inline int Weekday(int64_t days) {
  return static_cast<int>(std::chrono::weekday(std::chrono::sys_days(std::chrono::days(days))).c_encoding());
}

// Days since 1970-01-01 of an ISO day "YYYY-MM-DD" (exactly ten ASCII
// characters, a day that exists); nullopt for anything else.
std::optional<int64_t> ParseIsoDay(std::string_view text);

// "YYYY-MM-DD" of a civil day (the year with at least four digits).
std::string FormatIsoDay(const CivilDay& day);
inline std::string FormatIsoDay(int64_t days) { return FormatIsoDay(CivilFromDays(days)); }

// The ISO day `days` after (before, when negative) the ISO day `day`;
// nullopt when `day` is not a valid ISO day.
std::optional<std::string> AddDays(std::string_view day, int64_t days);

}  // namespace taizhang::calendar

#endif  // TAIZHANG_COMMON_CALENDAR_H_
