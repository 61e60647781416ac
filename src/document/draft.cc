// 年度总结初稿: a unit's year written along its own plan's outline, each
// item with its progress from the ledger, the figures checked by the
// checker before the draft is made (document.h).
#include <algorithm>
#include <map>
#include <set>

#include "document/docx_writer.h"
#include "document/document.h"
#include "document/overall_text.h"
#include "pipeline/pipeline.h"

namespace taizhang {

namespace {

using document_internal::Block;
using document_internal::DocxDocument;
using document_internal::HeadingStyle;
using document_internal::Style;
using document_internal::TextBlock;

// One item as the draft states it: the task, then what the ledger knows —
// the figure reported against the target, the latest progress and its day.
std::string ItemText(const LedgerItem& item) {
  std::string text = item.task;
  std::vector<std::string> facts;
  if (!item.target_text.empty() && !item.progress_value.empty()) {
    facts.push_back("目标" + item.target_text + "，已报" + item.progress_value + item.target_unit);
  }
  if (!item.progress_note.empty()) {
    facts.push_back(item.progress_note +
                    (item.progress_date.empty() ? "" : "（" + ChineseDate(item.progress_date) + "）"));
  }
  if (item.overdue) facts.push_back("时限" + ChineseDate(item.deadline) + "，已逾期");
  if (!facts.empty()) {
    text += "（";
    for (size_t k = 0; k < facts.size(); ++k) text += (k ? "；" : "") + facts[k];
    text += "）";
  }
  return text;
}

// The items under one heading by group: "已完成（2项）", then each item.
void AddGroups(const std::vector<const LedgerItem*>& items, std::vector<Block>* blocks) {
  const std::pair<const char*, std::vector<ItemStatus>> groups[] = {
      {"已完成", {ItemStatus::kDone, ItemStatus::kClosedOff}},
      {"推进中", {ItemStatus::kInProgress, ItemStatus::kRectifying, ItemStatus::kAwaitingCloseOff}},
      {"未启动", {ItemStatus::kNotStarted}},
  };
  for (const auto& [label, statuses] : groups) {
    std::vector<const LedgerItem*> in;
    for (const LedgerItem* item : items) {
      if (std::find(statuses.begin(), statuses.end(), item->status) != statuses.end()) in.push_back(item);
    }
    if (in.empty()) continue;
    // The group's heading, then an item per paragraph: a count never
    // stands next to another item's figures, where the checker would take
    // it for their total.
    const std::string lead = std::string(label) + "（" + std::to_string(in.size()) + "项）";
    blocks->push_back(TextBlock(Style::kNormal, lead, lead.size()));
    for (const LedgerItem* item : in) blocks->push_back(TextBlock(Style::kNormal, ItemText(*item) + "。"));
  }
}

}  // namespace

Result<DraftPlan> PlanOfItems(LedgerStore& store, const std::vector<LedgerItem>& items) {
  std::map<int64_t, int> by_report;
  for (const LedgerItem& item : items) {
    if (item.report_id != 0) ++by_report[item.report_id];
  }
  DraftPlan plan;
  if (by_report.empty()) return plan;
  const int64_t report_id = std::max_element(by_report.begin(), by_report.end(), [](const auto& a, const auto& b) {
                              return a.second < b.second;
                            })->first;
  auto report = store.GetReport(report_id);
  if (!report.ok()) return report.status();
  if (!report->has_value()) return plan;
  auto rows = store.GetReportRows(report_id);
  if (!rows.ok()) return rows.status();
  plan.report = **report;
  plan.headings = std::move(rows->headings);
  return plan;
}

Result<WordDocument> MakeDraft(const DraftPlan& plan, const std::vector<LedgerItem>& items,
                               const DraftOptions& options) {
  if (!IsValidDay(options.today)) {
    return Status(StatusCode::kInvalidArgument, "初稿的截止日期“" + options.today + "”不是有效日期（应为 YYYY-MM-DD）。");
  }
  const std::string unit = options.unit.empty() ? plan.report.unit : options.unit;
  RateQuery query;
  query.from = std::to_string(options.year) + "-01-01";
  query.to = std::to_string(options.year) + "-12-31";
  const std::vector<LedgerItem> counted = document_internal::CountedItems(items, query);
  const std::vector<RateRow> rates = RatesOf(counted, query, options.today);
  const RateRow& total = rates.back();

  // Each item under the nearest heading of the plan before its line (the
  // 一是/二是 leads of a paragraph are no headings of their own here).
  std::vector<int> outline;  // indices into plan.headings, in order
  for (size_t k = 0; k < plan.headings.size(); ++k) {
    if (plan.headings[k].marker_kind != "enumeration") outline.push_back(static_cast<int>(k));
  }
  std::map<int, std::vector<const LedgerItem*>> under;  // heading index (-1 none) → items
  for (const LedgerItem& item : counted) {
    int at = -1;
    if (plan.report.id != 0 && item.report_id == plan.report.id) {
      for (int k : outline) {
        if (plan.headings[k].line <= item.source_line) at = k;
      }
    }
    under[at].push_back(&item);
  }
  // The headings to write: those with items and their ancestors.
  std::set<int> shown;
  for (const auto& [k, list] : under) {
    for (int h = k; h >= 0; h = plan.headings[h].parent) {
      // An enumeration's parent chain passes only through headings kept.
      shown.insert(h);
    }
  }

  DocxDocument doc;
  doc.title = options.title.empty() ? unit + std::to_string(options.year) + "年工作总结（初稿）" : options.title;
  doc.date = options.today;
  auto& blocks = doc.blocks;
  blocks.push_back(TextBlock(Style::kDraftMark, "初稿　由台账生成，请核实修改后使用"));
  blocks.push_back(TextBlock(Style::kTitle, doc.title));
  blocks.push_back(TextBlock(Style::kNormal, "按照" + (plan.report.title.empty() ? "年初工作计划" : "《" + plan.report.title + "》") +
                                                 "的安排，现将" + std::to_string(options.year) + "年工作任务完成情况总结如下。"));
  blocks.push_back(TextBlock(Style::kNormal,
                             document_internal::OverallText("截至" + ChineseDate(options.today) + "，", total,
                                                            document_internal::CountStatuses(counted)) +
                                 "以下按年初计划的提纲逐项列出，每项附台账中的进展。"));
  for (int k : outline) {
    if (!shown.count(k)) continue;
    const StoredHeading& h = plan.headings[k];
    blocks.push_back(TextBlock(HeadingStyle(h.depth), h.marker + h.title));
    auto found = under.find(k);
    if (found != under.end()) AddGroups(found->second, &blocks);
  }
  if (auto rest = under.find(-1); rest != under.end()) {
    blocks.push_back(TextBlock(Style::kHeading1, "其他工作任务"));
    AddGroups(rest->second, &blocks);
  }
  blocks.push_back(TextBlock(Style::kHeading1, "存在的问题和下一步打算"));
  blocks.push_back(TextBlock(Style::kNormal, "（此处由起草人填写：主要成效、存在的问题、原因分析和下一年工作打算。）"));
  blocks.push_back(TextBlock(Style::kSignature, unit));
  blocks.push_back(TextBlock(Style::kSignature, ChineseDate(options.today)));

  // The checker reads the draft as a report: a figure relation it finds
  // inconsistent (a total that is not the sum of its parts, a rate that does
  // not match its counts) stops the draft.
  const std::string text = document_internal::PlainText(doc);
  AnalyzedFile checked = AnalyzeBytes(doc.title + ".txt", text, AnalyzeOptions());
  if (!checked.ok()) return checked.status;
  std::string problems;
  int inconsistent = 0;
  for (const ReportCheck& report : checked.check.reports) {
    for (const Relation& relation : report.relations) {
      if (relation.status != RelationStatus::kInconsistent) continue;
      if (++inconsistent <= 5) problems += "\n  第" + std::to_string(relation.line) + "行：" + relation.statement + "（" + relation.reason + "）";
    }
  }
  if (inconsistent > 0) {
    return Status(StatusCode::kInvalidArgument, "初稿中有 " + std::to_string(inconsistent) +
                                                    " 处数字关系不一致，未写出（请先核实台账中的数字）：" + problems);
  }
  auto docx = document_internal::RenderDocx(doc);
  if (!docx.ok()) return docx.status();
  return WordDocument{std::move(docx).value(), text};
}

}  // namespace taizhang
