// Time expressions (placeholder until the time grammar lands).
#include "extract/extract.h"

namespace taizhang {

const char* TimeKindName(TimeKind k) {
  switch (k) {
    case TimeKind::kDate: return "date";
    case TimeKind::kPeriod: return "period";
    case TimeKind::kAsOf: return "as_of";
    case TimeKind::kSince: return "since";
    case TimeKind::kDeadline: return "deadline";
    case TimeKind::kRecurrence: return "recurrence";
  }
  return "";
}

void ExtractTimes(const SourceText&, Span, const TimeContext&, std::vector<TimeExpr>*) {}

}  // namespace taizhang
