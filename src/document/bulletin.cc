// 督办通报: the ledger's progress for a period and scope as an official
// bulletin (document.h).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "common/calendar.h"
#include "document/docx_writer.h"
#include "document/overall_text.h"
#include "document/document.h"

namespace taizhang {

namespace {

using document_internal::BarChart;
using document_internal::Block;
using document_internal::Cell;
using document_internal::DocxDocument;
using document_internal::HeadingStyle;
using document_internal::Style;
using document_internal::TextBlock;

// Light colours of the table (soft, so that black text stays readable in
// print) and of the chart's series.
constexpr const char* kRedFill = "F4B0B0";
constexpr const char* kYellowFill = "FFE699";
constexpr const char* kGreenFill = "B7DDA0";
constexpr const char* kCompletionColor = "2E75B6";
constexpr const char* kRectificationColor = "C55A11";

std::string Rate(const std::string& rate) { return document_internal::RateText(rate); }

double RateValue(const std::string& rate) {
  return rate.empty() ? std::numeric_limits<double>::quiet_NaN() : std::stod(rate);
}

std::string Count(int64_t n) { return std::to_string(n); }

struct UnitLights {
  int64_t red = 0, yellow = 0, green = 0;
};

}  // namespace

std::string ChineseDate(const std::string& iso_day) {
  auto days = calendar::ParseIsoDay(iso_day);
  if (!days) return iso_day;
  calendar::CivilDay d = calendar::CivilFromDays(*days);
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

Result<WordDocument> MakeBulletin(const std::vector<LedgerItem>& items, const BulletinOptions& options) {
  if (!IsValidDay(options.today)) {
    return Status(StatusCode::kInvalidArgument, "通报的截止日期“" + options.today + "”不是有效日期（应为 YYYY-MM-DD）。");
  }
  RateQuery query;
  query.from = options.from;
  query.to = options.to;
  if (options.year > 0) {
    if (query.from.empty()) query.from = std::to_string(options.year) + "-01-01";
    if (query.to.empty()) query.to = std::to_string(options.year) + "-12-31";
  }
  for (const std::string* day : {&query.from, &query.to}) {
    if (!day->empty() && !IsValidDay(*day)) {
      return Status(StatusCode::kInvalidArgument, "通报的期间“" + *day + "”不是有效日期（应为 YYYY-MM-DD）。");
    }
  }
  const std::string scope = options.scope.empty() ? "各单位" : options.scope;
  const std::string as_of = ChineseDate(options.today);
  const std::string year_text = options.year > 0 ? std::to_string(options.year) + "年" : "";

  const std::vector<LedgerItem> counted = document_internal::CountedItems(items, query);
  const std::vector<RateRow> rates = RatesOf(counted, query, options.today);
  const RateRow& total = rates.back();  // RatesOf ends with the total when no unit is asked for
  std::map<std::string, UnitLights> lights;
  const document_internal::StatusCounts statuses = document_internal::CountStatuses(counted);
  std::map<std::string, std::vector<const LedgerItem*>> overdue;
  for (const LedgerItem& item : counted) {
    UnitLights& l = lights[item.unit];
    l.red += item.warning == Warning::kRed;
    l.yellow += item.warning == Warning::kYellow;
    l.green += item.warning == Warning::kGreen;
    if (item.overdue) overdue[item.unit].push_back(&item);
  }

  DocxDocument doc;
  doc.title = options.title.empty() ? "关于" + (options.scope.empty() ? std::string() : options.scope) + year_text +
                                          "工作任务推进情况的通报"
                                    : options.title;
  doc.date = options.today;
  auto& blocks = doc.blocks;
  // 文号: the year of issue and an X to be replaced by the number the
  // registry gives (发文字号 is never made up here).
  blocks.push_back(TextBlock(Style::kDocNumber, "××〔" + options.today.substr(0, 4) + "〕X号"));
  blocks.push_back(TextBlock(Style::kTitle, doc.title));
  blocks.push_back(TextBlock(Style::kAddressee, "各有关单位："));
  std::string period;
  if (!query.from.empty() && !query.to.empty() && options.year == 0) {
    period = ChineseDate(query.from) + "至" + ChineseDate(query.to);
  }
  blocks.push_back(TextBlock(Style::kNormal, "现将截至" + as_of + scope + year_text + period +
                                                 "工作任务推进和问题整改情况通报如下。"));

  // 一、总体情况
  blocks.push_back(TextBlock(Style::kHeading1, "一、总体情况"));
  const std::string overall = document_internal::OverallText("截至" + as_of + "，", total, statuses);
  blocks.push_back(TextBlock(Style::kNormal, overall));

  // 二、各单位推进情况: the table, the chart, the highest and lowest.
  blocks.push_back(TextBlock(Style::kHeading1, "二、各单位推进情况"));
  std::vector<const RateRow*> units;
  for (const RateRow& row : rates) {
    if (!row.total) units.push_back(&row);
  }
  std::string by_unit = "各单位工作任务完成率、问题整改率和红黄绿灯情况见表1、图1。";
  std::vector<const RateRow*> with_tasks;
  for (const RateRow* row : units) {
    if (row->tasks > 0) with_tasks.push_back(row);
  }
  if (with_tasks.size() >= 2) {
    auto [low, high] = std::minmax_element(with_tasks.begin(), with_tasks.end(), [](const RateRow* a, const RateRow* b) {
      return a->done * b->tasks < b->done * a->tasks;  // a's rate below b's, without rounding
    });
    if ((*low)->done * (*high)->tasks == (*high)->done * (*low)->tasks) {
      // No highest and lowest when every unit stands at the same rate.
      by_unit += "各单位完成率均为" + Rate((*high)->completion_rate) + "。";
    } else {
      by_unit += "完成率最高的是" + (*high)->unit + "（" + Rate((*high)->completion_rate) + "），最低的是" +
                 (*low)->unit + "（" + Rate((*low)->completion_rate) + "）。";
    }
  }
  std::vector<std::string> red_units;
  for (const auto& [unit, l] : lights) {
    if (l.red > 0) red_units.push_back(unit);
  }
  if (!red_units.empty()) {
    by_unit += "有红灯（逾期）事项的单位" + Count(static_cast<int64_t>(red_units.size())) + "个：";
    for (size_t k = 0; k < red_units.size(); ++k) by_unit += (k ? "、" : "") + red_units[k];
    by_unit += "。";
  }
  blocks.push_back(TextBlock(Style::kNormal, by_unit));

  blocks.push_back(TextBlock(Style::kTableTitle, "表1　" + scope + "工作任务推进情况"));
  Block table;
  table.kind = Block::Kind::kTable;
  // 五号 in the cells: 序号 and the lights two characters wide, the counts
  // and rates three, each with room for bold text and the cell margins; the
  // unit seven, longer names wrap (156 mm in all).
  table.widths = {700, 1545, 900, 900, 900, 900, 900, 700, 700, 700};
  table.rows.push_back({{"序号"}, {"责任单位"}, {"任务数"}, {"已完成"}, {"完成率"}, {"问题数"}, {"整改率"},
                        {"红灯"}, {"黄灯"}, {"绿灯"}});
  auto light_cell = [](int64_t n, const char* fill) { return Cell{Count(n), n > 0 ? fill : "", false, false}; };
  UnitLights all;
  for (size_t k = 0; k < units.size(); ++k) {
    const RateRow& row = *units[k];
    const UnitLights& l = lights[row.unit];
    all.red += l.red;
    all.yellow += l.yellow;
    all.green += l.green;
    table.rows.push_back({{Count(static_cast<int64_t>(k + 1))},
                          {row.unit.empty() ? "（未填写）" : row.unit, "", false, true},
                          {Count(row.tasks)},
                          {Count(row.done)},
                          {Rate(row.completion_rate)},
                          {Count(row.problems)},
                          {Rate(row.rectification_rate)},
                          light_cell(l.red, kRedFill),
                          light_cell(l.yellow, kYellowFill),
                          light_cell(l.green, kGreenFill)});
  }
  table.rows.push_back({{"", "", true},
                        {"合计", "", true},
                        {Count(total.tasks), "", true},
                        {Count(total.done), "", true},
                        {Rate(total.completion_rate), "", true},
                        {Count(total.problems), "", true},
                        {Rate(total.rectification_rate), "", true},
                        {Count(all.red), "", true},
                        {Count(all.yellow), "", true},
                        {Count(all.green), "", true}});
  blocks.push_back(std::move(table));
  blocks.push_back(TextBlock(Style::kTableNote,
                             "注：完成率＝已完成任务数÷任务总数；整改率＝已销号问题数÷问题总数（已取消的不计）。"
                             "红灯为逾期未完成，黄灯为临近时限未完成，绿灯为已完成或未到时限；未定时限的事项不亮灯。"));

  if (!with_tasks.empty()) {
    // The caption is the chart's own title (it moves and is edited with it).
    Block chart;
    chart.kind = Block::Kind::kChart;
    chart.chart.title = "图1　" + scope + "工作任务完成率" + (total.problems > 0 ? "和问题整改率" : "") + "（%）";
    BarChart::Series completion{"完成率", kCompletionColor, {}};
    BarChart::Series rectification{"整改率", kRectificationColor, {}};
    for (const RateRow* row : units) {
      chart.chart.categories.push_back(row->unit.empty() ? "（未填写）" : row->unit);
      completion.values.push_back(RateValue(row->completion_rate));
      rectification.values.push_back(RateValue(row->rectification_rate));
    }
    chart.chart.series.push_back(std::move(completion));
    if (total.problems > 0) chart.chart.series.push_back(std::move(rectification));
    blocks.push_back(std::move(chart));
  }

  // 三、逾期事项, named by unit.
  blocks.push_back(TextBlock(Style::kHeading1, "三、逾期事项"));
  int64_t overdue_count = 0;
  for (const auto& [unit, list] : overdue) overdue_count += static_cast<int64_t>(list.size());
  if (overdue.empty()) {
    blocks.push_back(TextBlock(Style::kNormal, "截至" + as_of + "，没有逾期未完成的事项。"));
  } else {
    blocks.push_back(TextBlock(Style::kNormal, "截至" + as_of + "，" + Count(static_cast<int64_t>(overdue.size())) +
                                                   "个单位共" + Count(overdue_count) + "项事项逾期未完成，具体如下。"));
    int n = 0;
    for (const auto& [unit, list] : overdue) {
      blocks.push_back(TextBlock(Style::kHeading2, "（" + document_internal::ChineseCount(++n) + "）" +
                                                       (unit.empty() ? "（未填写责任单位）" : unit) + "（" +
                                                       Count(static_cast<int64_t>(list.size())) + "项）"));
      int k = 0;
      for (const LedgerItem* item : list) {
        std::string line = std::to_string(++k) + "." + item->task + "（编号" + std::to_string(item->id) + "，时限" +
                           ChineseDate(item->deadline) + "，" + ShownStatus(*item);
        if (!item->progress_note.empty()) {
          line += "；最新进展：" + item->progress_note;
          if (!item->progress_date.empty()) line += "（" + ChineseDate(item->progress_date) + "）";
        }
        line += "）。";
        blocks.push_back(TextBlock(Style::kNormal, line));
      }
    }
  }

  // 四、工作要求: the drafter's.
  blocks.push_back(TextBlock(Style::kHeading1, "四、工作要求"));
  blocks.push_back(TextBlock(Style::kNormal, "（此处由起草人填写下一步工作要求，如逾期事项的整改时限和报送要求。）"));
  blocks.push_back(TextBlock(Style::kSignature, options.issuer.empty() ? "（发文机关）" : options.issuer));
  blocks.push_back(TextBlock(Style::kSignature, as_of));

  auto docx = document_internal::RenderDocx(doc);
  if (!docx.ok()) return docx.status();
  return WordDocument{std::move(docx).value(), document_internal::PlainText(doc)};
}

}  // namespace taizhang

namespace taizhang::document_internal {

std::vector<LedgerItem> CountedItems(const std::vector<LedgerItem>& items, const RateQuery& query) {
  std::vector<LedgerItem> counted;
  for (const LedgerItem& item : items) {
    if (item.review == ReviewState::kAccepted && CountsInPeriod(item, query)) counted.push_back(item);
  }
  return counted;
}

std::string ChineseCount(int n) {
  static constexpr const char* kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 1 || n > 99) return std::to_string(n);
  if (n < 10) return kDigits[n];
  return std::string(n >= 20 ? kDigits[n / 10] : "") + "十" + kDigits[n % 10];
}

StatusCounts CountStatuses(const std::vector<LedgerItem>& counted) {
  StatusCounts c;
  for (const LedgerItem& item : counted) {
    if (item.kind != ItemKind::kPlan) continue;
    c.done += item.status == ItemStatus::kDone;
    c.in_progress += item.status == ItemStatus::kInProgress;
    c.not_started += item.status == ItemStatus::kNotStarted;
  }
  return c;
}

std::string RateText(const std::string& rate) { return rate.empty() ? "—" : rate + "%"; }

std::string OverallText(const std::string& lead, const RateRow& total, const StatusCounts& statuses) {
  auto count = [](int64_t n) { return std::to_string(n); };
  std::string text = lead + "纳入台账的工作任务共" + count(total.tasks) + "项";
  if (total.tasks > 0) {
    text += "，其中已完成" + count(statuses.done) + "项、推进中" + count(statuses.in_progress) + "项、未启动" +
            count(statuses.not_started) + "项，完成率" + RateText(total.completion_rate) + "，逾期未完成" +
            count(total.overdue) + "项";
  }
  text += "。";
  if (total.problems > 0) {
    // Each rate beside its own count, so the checker pairs them right.
    text += "发现问题" + count(total.problems) + "项，已整改销号" + count(total.rectified) + "项，整改率" +
            RateText(total.rectification_rate) + "；按期整改" + count(total.rectified_on_time) + "项，按期整改率" +
            RateText(total.on_time_rectification_rate) + "。";
  } else {
    text += "本期未登记需整改的问题。";
  }
  return text;
}

}  // namespace taizhang::document_internal
