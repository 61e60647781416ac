// Stage "output", the ledger's renderers: items, history, rates and imports
// as aligned tables or JSON.
#ifndef TAIZHANG_OUTPUT_LEDGER_OUTPUT_H_
#define TAIZHANG_OUTPUT_LEDGER_OUTPUT_H_

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "ledger/ledger.h"

namespace taizhang {

inline constexpr int kLedgerSchemaVersion = 1;

// `ledger list`: an aligned table (编号 责任单位 年度 工作任务 目标 时限 状态 预警 进展).
std::string RenderLedgerItemsText(const std::vector<LedgerItem>& items);
std::string RenderLedgerItemsJson(const std::vector<LedgerItem>& items);
// `ledger show`: every field, then the progress entries.
std::string RenderLedgerItemText(const LedgerItem& item, const std::vector<ProgressEntry>& progress);
std::string RenderLedgerItemJson(const LedgerItem& item, const std::vector<ProgressEntry>& progress);
std::string RenderHistoryText(const std::vector<HistoryEntry>& history);
std::string RenderHistoryJson(const std::vector<HistoryEntry>& history);
// Rates with the counts they come from ("94.6%（35/37）").
std::string RenderRatesText(const std::vector<RateRow>& rates);
std::string RenderRatesJson(const std::vector<RateRow>& rates);
std::string RenderImportText(const std::string& path, const ImportOutcome& outcome);
std::string RenderImportJson(const std::vector<std::pair<std::string, ImportOutcome>>& outcomes,
                             const std::vector<std::pair<std::string, Status>>& failures);

}  // namespace taizhang

#endif  // TAIZHANG_OUTPUT_LEDGER_OUTPUT_H_
