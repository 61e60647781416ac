// The sentences stating a ledger's figures, shared by the bulletin and the
// draft summary (internal to document/). Phrased so that the checker reads
// them as the relations they are: the tasks as the sum of their statuses
// (共40项，其中已完成3项、推进中2项、未启动35项), each rate beside its counts.
#ifndef TAIZHANG_DOCUMENT_OVERALL_TEXT_H_
#define TAIZHANG_DOCUMENT_OVERALL_TEXT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/ledger.h"

namespace taizhang::document_internal {

// The accepted items of `items` that RatesOf counts in the query's period
// (by RatesOf's own test, CountsInPeriod, so that the lists of a document
// and its rates never disagree).
std::vector<LedgerItem> CountedItems(const std::vector<LedgerItem>& items, const RateQuery& query);

// 一 … 九十九 for 1 … 99 (the （一） of a heading), decimal beyond.
std::string ChineseCount(int n);

// Plan items by stored status (cancelled ones are not counted anywhere).
struct StatusCounts {
  int64_t done = 0, in_progress = 0, not_started = 0;
};
StatusCounts CountStatuses(const std::vector<LedgerItem>& counted);

// "截至2025年1月15日，纳入台账的工作任务共40项，其中已完成3项、推进中2项、未启动35项，
// 完成率7.5%，逾期未完成30项。发现问题2项，已整改销号1项，整改率50.0%；按期整改1项，按期整改率50.0%。"
// `lead` is what comes before "纳入台账" ("截至2025年1月15日，").
std::string OverallText(const std::string& lead, const RateRow& total, const StatusCounts& statuses);

// "94.6%" for a rate, "—" when there was nothing to count.
std::string RateText(const std::string& rate);

}  // namespace taizhang::document_internal

#endif  // TAIZHANG_DOCUMENT_OVERALL_TEXT_H_
