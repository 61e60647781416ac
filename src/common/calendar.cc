// ISO days read and written (common/calendar.h).
#include "common/calendar.h"

#include <fmt/format.h>

namespace taizhang::calendar {

std::optional<int64_t> ParseIsoDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t from, size_t length) {
    int n = 0;
    for (size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      n = n * 10 + (text[i] - '0');
    }
    return n;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  if (year < 0 || month < 0 || day < 0 || !IsValidDay(year, month, day)) return std::nullopt;
  return DaysFromCivil(year, month, day);
}

std::string FormatIsoDay(const CivilDay& day) {
  return fmt::format("{:04}-{:02}-{:02}", day.year, day.month, day.day);
}

std::optional<std::string> AddDays(std::string_view day, int64_t days) {
  std::optional<int64_t> start = ParseIsoDay(day);
  if (!start) return std::nullopt;
  return FormatIsoDay(*start + days);
}

}  // namespace taizhang::calendar
