// Stage "output", the ledger's renderers: items, history, rates and imports
// as aligned tables or JSON.
#ifndef TAIZHANG_OUTPUT_LEDGER_OUTPUT_H_
#define TAIZHANG_OUTPUT_LEDGER_OUTPUT_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "ledger/ledger.h"

namespace taizhang {

inline constexpr int kLedgerSchemaVersion = 1;

// `ledger list`: an aligned table (编号 责任单位 年度 工作任务 目标 时限 状态 预警 进展),
// with a column 确认 (待确认, 已驳回 …) when some item is not accepted.
std::string RenderLedgerItemsText(const std::vector<LedgerItem>& items);
// {"schema_version", "tool", "command": `command`, "items": [...]}.
std::string RenderLedgerItemsJson(const std::vector<LedgerItem>& items, const char* command = "ledger list");
// `ledger review list`: each item with its facts and the sentence it was
// read from (file:line), then how to review them; `db_option` (" --db 台账.db"
// or "") is written into the commands shown.
std::string RenderReviewListText(const std::vector<LedgerItem>& items, std::string_view db_option);
// "已确认 2 项：编号 8（版本 2）、9（版本 2）。" for `done` = "已确认"; of more
// than ten items the first ten 编号 and "等", without versions.
std::string RenderReviewedText(const char* done, const std::vector<LedgerItem>& items);
// Times are stored in UTC ("2024-05-01T03:04:05Z"); text output shows them
// in the user's time zone (an IANA name: "Asia/Shanghai", ICU's zone data).
inline constexpr const char* kDefaultTimeZone = "Asia/Shanghai";
bool IsKnownTimeZone(std::string_view time_zone);
// "2024-05-01T03:04:05Z" → "2024-05-01 11:04:05" in Asia/Shanghai; text that
// is no such time comes back as it is.
std::string LocalTime(std::string_view utc, std::string_view time_zone);
// Today's date (YYYY-MM-DD) in `time_zone`, by the system clock.
std::string TodayIn(std::string_view time_zone);
// `ledger show`: every field, then the progress entries; times in `time_zone`.
std::string RenderLedgerItemText(const LedgerItem& item, const std::vector<ProgressEntry>& progress,
                                 std::string_view time_zone);
std::string RenderLedgerItemJson(const LedgerItem& item, const std::vector<ProgressEntry>& progress);
// `ledger history` of an item of `kind`: who, when (in `time_zone`), and each
// changed field by its Chinese name with Chinese values
// (状态：未启动 → 推进中). The JSON keeps the stored keys, values and UTC times.
std::string RenderHistoryText(const std::vector<HistoryEntry>& history, ItemKind kind, std::string_view time_zone);
std::string RenderHistoryJson(const std::vector<HistoryEntry>& history);
// A history row's action as a person reads it ("close_off" → 销号), the
// action itself when it has no label.
std::string HistoryActionLabel(std::string_view action);
// Rates with the counts they come from ("94.6%（35/37）").
std::string RenderRatesText(const std::vector<RateRow>& rates);
std::string RenderRatesJson(const std::vector<RateRow>& rates);
// `ledger verify`: each problem on a line, the history's chain head (to be
// written down elsewhere and checked later with --head), and the verdict
// for `database` ("SQLite 文件 …").
std::string RenderVerifyText(const VerifyReport& report, const std::string& database);
// {"consistent", "problems": [...], "head": {"id", "hash", "text": "id:hash"},
//  "history_rows", "items"}.
std::string RenderVerifyJson(const VerifyReport& report);
// The line `backup` prints: the chain head the backup holds.
std::string RenderHistoryHeadNote(const HistoryHead& head);
// The import's summary line; when proposals await review, a second line
// saying how many and the command that lists them (with `db_option`).
std::string RenderImportText(const std::string& path, const ImportOutcome& outcome,
                             std::string_view db_option = "");
std::string RenderImportJson(const std::vector<std::pair<std::string, ImportOutcome>>& outcomes,
                             const std::vector<std::pair<std::string, Status>>& failures);

}  // namespace taizhang

#endif  // TAIZHANG_OUTPUT_LEDGER_OUTPUT_H_
