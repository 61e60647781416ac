// Stage "output", the comparison's renderers (对标对表): a table per pair,
// JSON, HTML, an .xlsx sheet; and one measured thing across units.
#ifndef TAIZHANG_OUTPUT_COMPARE_OUTPUT_H_
#define TAIZHANG_OUTPUT_COMPARE_OUTPUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "compare/compare.h"

namespace taizhang {

inline constexpr int kCompareSchemaVersion = 1;

// One plan compared with one result report.
struct ComparedPair {
  std::string plan_path;      // file, or the ledger database for ledger targets
  std::string plan_title;
  std::string result_path;
  std::string result_title;
  std::string unit;           // the unit both are by
  Tolerance tolerance;
  const Comparison* comparison = nullptr;
};

// A table per pair (序号 目标 结果 判定 依据 位置), each followed by the reasons
// and the evidence sentences, then the counts per verdict.
std::string RenderCompareText(const std::vector<ComparedPair>& pairs);
// {"schema_version":1,"command":"compare","pairs":[…]} (docs/json.md, “compare --json”).
std::string RenderCompareJson(const std::vector<ComparedPair>& pairs);
// One self-contained page with a table per pair, verdicts coloured.
std::string RenderCompareHtml(const std::vector<ComparedPair>& pairs);
// One sheet, one row per target: 单位 目标 目标数字 结果 判定 理由 依据 计划位置 结果位置.
Status WriteCompareXlsx(const std::vector<ComparedPair>& pairs, const std::string& path);

// `compare --across TERM`: one measured thing across units.
struct AcrossFile {
  std::string path;
  std::vector<AcrossRow> rows;
};
std::string RenderAcrossText(std::string_view term, const std::vector<AcrossFile>& files);
std::string RenderAcrossJson(std::string_view term, const std::vector<AcrossFile>& files);
std::string RenderAcrossHtml(std::string_view term, const std::vector<AcrossFile>& files);
Status WriteAcrossXlsx(std::string_view term, const std::vector<AcrossFile>& files, const std::string& path);

}  // namespace taizhang

#endif  // TAIZHANG_OUTPUT_COMPARE_OUTPUT_H_
