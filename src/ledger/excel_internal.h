// Internals of the Excel ledgers shared by the reader, its tests and its
// fuzz target: reading a workbook held in memory, and the date forms offices
// write in a ledger's date columns.
#ifndef TAIZHANG_LEDGER_EXCEL_INTERNAL_H_
#define TAIZHANG_LEDGER_EXCEL_INTERNAL_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/ingest.h"
#include "ledger/ledger.h"

namespace taizhang::ledger_internal {

// ReadLedgerXlsx over the bytes of a whole .xlsx file; errors name `name`.
// `bytes` is only borrowed for the call.
Result<XlsxLedger> ReadLedgerXlsxBytes(const std::string& name, std::string_view bytes,
                                       const ReadOptions& limits);

// A date as written in a ledger cell → "YYYY-MM-DD", nullopt if it is none
// of: 2024-06-30, 2024/6/30, 2024.6.30 (a time after it is ignored),
// 2024年6月30日, 2024年6月 / 2024-06 (→ the month's last day), 2024年底
// (→ 12-31), 年底 (→ 12-31 of `year`, when year is not 0); "底" and a
// trailing "前" are accepted too (2024年6月底前). Full-width digits count.
// Years outside 1900–2100 are refused.
std::optional<std::string> ParseLedgerDate(std::string_view text, int year);

// An Excel serial date (days since 1899-12-30 in the 1900 system, with its
// phantom 1900-02-29; days since 1904-01-01 when `date1904`) → "YYYY-MM-DD",
// nullopt outside 1900–2100 or on the phantom day.
std::optional<std::string> ExcelSerialDate(double serial, bool date1904);

}  // namespace taizhang::ledger_internal

#endif  // TAIZHANG_LEDGER_EXCEL_INTERNAL_H_
