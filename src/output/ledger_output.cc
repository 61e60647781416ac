// Ledger items, history, rates and import outcomes for people (aligned
// Chinese tables) and programs (JSON, schema_version 1).
#include <unicode/calendar.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/calendar.h"
#include "common/utf8.h"
#include "output/json_util.h"
#include "output/text_util.h"
#include "output/ledger_output.h"

namespace taizhang {

namespace {

using nlohmann::json;
using output_internal::Dump;

using output_internal::Cell;

std::string ProgressText(const LedgerItem& item) {
  std::string out = item.progress_date;
  if (!item.progress_note.empty()) out += (out.empty() ? "" : " ") + item.progress_note;
  if (!item.progress_value.empty()) out += (out.empty() ? "" : " ") + std::string("（") + item.progress_value + "）";
  return out;
}

json ItemJson(const LedgerItem& item) {
  json j = {{"id", item.id},
            {"kind", ItemKindName(item.kind)},
            {"unit", item.unit},
            {"year", item.year},
            {"task", item.task},
            {"target", {{"text", item.target_text},
                        {"value", item.target_value.empty() ? json(nullptr) : json(item.target_value)},
                        {"unit", item.target_unit},
                        {"approximation", item.target_approx}}},
            {"deadline", item.deadline.empty() ? json(nullptr) : json(item.deadline)},
            {"recurrence", item.recurrence},
            {"status", ItemStatusName(item.status)},
            {"status_label", ShownStatus(item)},
            {"overdue", item.overdue},
            {"warning", WarningName(item.warning)},
            {"progress", {{"date", item.progress_date}, {"note", item.progress_note}, {"value", item.progress_value}}},
            {"source", {{"report_id", item.report_id == 0 ? json(nullptr) : json(item.report_id)},
                        {"file", item.source_file},
                        {"line", item.source_line},
                        {"text", item.source_text}}},
            {"lead_unit", item.lead_unit},
            {"support_units", item.support_units},
            {"responsible_person", item.responsible_person},
            {"review", {{"state", ReviewStateName(item.review)},
                        {"label", ReviewStateLabel(item.review)},
                        {"reason", item.review_reason},
                        {"by", item.reviewed_by},
                        {"at", item.reviewed_at},
                        {"merged_into", item.merged_into == 0 ? json(nullptr) : json(item.merged_into)},
                        {"split_from", item.split_from == 0 ? json(nullptr) : json(item.split_from)}}},
            {"version", item.version},
            {"created_at", item.created_at},
            {"created_by", item.created_by},
            {"updated_at", item.updated_at},
            {"updated_by", item.updated_by}};
  if (item.kind == ItemKind::kProblem) {
    j["problem"] = {{"source", item.problem_source},   {"found_date", item.found_date},
                    {"measures", item.measures},       {"submitted_by", item.submitted_by},
                    {"submitted_at", item.submitted_at}, {"verified_by", item.verified_by},
                    {"closed_at", item.closed_at}};
  }
  return j;
}

std::unique_ptr<icu::TimeZone> Zone(std::string_view time_zone) {
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(
      icu::UnicodeString::fromUTF8(icu::StringPiece(time_zone.data(), static_cast<int32_t>(time_zone.size())))));
  if (zone == nullptr || *zone == icu::TimeZone::getUnknown()) return nullptr;
  return zone;
}

json Envelope(const char* command) {
  return json{{"schema_version", kLedgerSchemaVersion}, {"tool", "taizhang"}, {"command", command}};
}

// "已驳回（理由：不是任务）—— 李四 2025-03-02 10:00:00", "" for an item
// accepted when it was made.
std::string ReviewText(const LedgerItem& item, std::string_view time_zone) {
  std::string text = ReviewStateLabel(item.review);
  if (item.review == ReviewState::kRejected && !item.review_reason.empty()) text += "（理由：" + item.review_reason + "）";
  if (item.review == ReviewState::kMerged) text += "（并入编号 " + std::to_string(item.merged_into) + "）";
  if (item.split_from != 0) text += "（由编号 " + std::to_string(item.split_from) + " 拆分而来）";
  if (!item.reviewed_by.empty()) text += "  ——" + item.reviewed_by + " " + LocalTime(item.reviewed_at, time_zone);
  if (item.review == ReviewState::kAccepted && item.reviewed_by.empty() && item.split_from == 0) return "";
  return text;
}

// " --unit 清河县农业农村局 --year 2025" for proposals that share them.
std::string UnitYearOptions(const std::string& unit, int year) {
  std::string out;
  if (!unit.empty()) out += " --unit " + unit;
  if (year != 0) out += " --year " + std::to_string(year);
  return out;
}

std::string AwaitingReviewText(const ImportOutcome& outcome, std::string_view db_option) {
  if (outcome.awaiting_review == 0) return "";
  const std::string options = std::string(db_option) + UnitYearOptions(outcome.review_unit, outcome.review_year);
  return "待确认 " + std::to_string(outcome.awaiting_review) +
         " 项：确认后才计入台账（列表、比率、逾期、导出）。请用 taizhang ledger review list" + options +
         (outcome.review_unit.empty() ? "（可加 --unit 单位、--year 年度）" : "") +
         " 逐项查看原文，确认（accept）、驳回（reject）、合并（merge）或拆分（split）。\n";
}

}  // namespace

std::string RenderLedgerItemsText(const std::vector<LedgerItem>& items) {
  // 确认 only when some item is not (yet) in the ledger.
  const bool review = std::any_of(items.begin(), items.end(),
                                  [](const LedgerItem& item) { return item.review != ReviewState::kAccepted; });
  std::string out;
  out += Cell("编号", 6) + " " + Cell("责任单位", 16) + " " + Cell("年度", 4) + " " + Cell("工作任务 / 问题", 40) + " " +
         Cell("目标", 12) + " " + Cell("时限", 10) + " " + (review ? Cell("确认", 6) + " " : "") + Cell("状态", 6) +
         " " + Cell("预警", 4) + " 进展\n";
  for (const LedgerItem& item : items) {
    out += Cell(std::to_string(item.id), 6) + " " + Cell(item.unit, 16) + " " +
           Cell(item.year ? std::to_string(item.year) : "", 4) + " " + Cell(item.task, 40) + " " +
           Cell(item.target_text, 12) + " " + Cell(item.deadline, 10) + " " +
           (review ? Cell(ReviewStateLabel(item.review), 6) + " " : "") + Cell(ShownStatus(item), 6) + " " +
           Cell(WarningLabel(item.warning), 4) + " " + ProgressText(item) + "\n";
  }
  out += "共 " + std::to_string(items.size()) + " 项\n";
  return out;
}

std::string RenderLedgerItemsJson(const std::vector<LedgerItem>& items, const char* command) {
  json j = Envelope(command);
  json list = json::array();
  for (const LedgerItem& item : items) list.push_back(ItemJson(item));
  j["items"] = std::move(list);
  return Dump(j);
}

bool IsKnownTimeZone(std::string_view time_zone) { return Zone(time_zone) != nullptr; }

std::string LocalTime(std::string_view utc, std::string_view time_zone) {
  std::unique_ptr<icu::TimeZone> zone = Zone(time_zone);
  if (zone == nullptr) return std::string(utc);
  UErrorCode status = U_ZERO_ERROR;
  icu::SimpleDateFormat stored(icu::UnicodeString("yyyy-MM-dd'T'HH:mm:ss'Z'"), icu::Locale::getRoot(), status);
  icu::SimpleDateFormat shown(icu::UnicodeString("yyyy-MM-dd HH:mm:ss"), icu::Locale::getRoot(), status);
  if (U_FAILURE(status)) return std::string(utc);
  stored.setTimeZone(*icu::TimeZone::getGMT());
  stored.setLenient(false);
  shown.setTimeZone(*zone);
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utc.data(), static_cast<int32_t>(utc.size())));
  icu::ParsePosition position(0);
  const UDate when = stored.parse(text, position);
  if (position.getErrorIndex() >= 0 || position.getIndex() != text.length()) return std::string(utc);
  icu::UnicodeString out;
  shown.format(when, out);
  std::string bytes;
  out.toUTF8String(bytes);
  return bytes;
}

std::string TodayIn(std::string_view time_zone) {
  // The zone's offset at this instant, then civil-day arithmetic: no date
  // format and its locale data to load (~0.3 ms of every ledger command).
  std::unique_ptr<icu::TimeZone> zone = Zone(time_zone);
  if (zone == nullptr) zone.reset(icu::TimeZone::createDefault());
  const UDate now = icu::Calendar::getNow();
  int32_t raw = 0;
  int32_t dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  if (zone != nullptr) zone->getOffset(now, /*local=*/false, raw, dst, status);
  if (U_FAILURE(status)) raw = dst = 0;
  constexpr double kDayMs = 86400000.0;
  const auto days = static_cast<int64_t>(std::floor((now + raw + dst) / kDayMs));
  return calendar::FormatIsoDay(days);
}

std::string RenderLedgerItemText(const LedgerItem& item, const std::vector<ProgressEntry>& progress,
                                 std::string_view time_zone) {
  auto local = [&](const std::string& utc) { return LocalTime(utc, time_zone); };
  std::string out;
  auto line = [&](const char* label, const std::string& value) {
    if (!value.empty()) out += std::string(label) + "：" + value + "\n";
  };
  line("编号", std::to_string(item.id) + "（" + (item.kind == ItemKind::kPlan ? "工作任务" : "问题") + "，版本 " +
                   std::to_string(item.version) + "）");
  line("责任单位", item.unit);
  line("年度", item.year ? std::to_string(item.year) : "");
  line(item.kind == ItemKind::kPlan ? "工作任务" : "问题描述", item.task);
  line("问题来源", item.problem_source);
  line("发现时间", item.found_date);
  line("目标", item.target_text);
  line(item.kind == ItemKind::kPlan ? "完成时限" : "整改时限", item.deadline);
  line("周期", item.recurrence);
  line("牵头单位", item.lead_unit);
  line("配合单位", JoinUnitList(item.support_units));
  line("责任人", item.responsible_person);
  line("确认", ReviewText(item, time_zone));
  line("状态", ShownStatus(item) + (item.warning != Warning::kNone ? std::string("（") + WarningLabel(item.warning) + "）" : ""));
  line("进展情况", ProgressText(item));
  line("整改措施", item.measures);
  line("提交整改", item.submitted_by.empty() ? "" : item.submitted_by + " " + local(item.submitted_at));
  line("销号", item.verified_by.empty() ? "" : item.verified_by + " " + local(item.closed_at));
  line("来源", item.source_file.empty() ? "手工录入" : item.source_file + ":" + std::to_string(item.source_line));
  if (item.source_text != item.task) line("原文", item.source_text);
  line("创建", item.created_by + " " + local(item.created_at));
  line("最后修改", item.updated_by + " " + local(item.updated_at));
  if (!progress.empty()) {
    out += "进展记录：\n";
    for (const ProgressEntry& p : progress) {
      out += "  " + p.date + " " + p.note + (p.value.empty() ? "" : "（" + p.value + "）") +
             (p.evidence.empty() ? "" : "  依据：" + p.evidence) + "  ——" + p.by + "\n";
    }
  }
  return out;
}

std::string RenderLedgerItemJson(const LedgerItem& item, const std::vector<ProgressEntry>& progress) {
  json j = Envelope("ledger show");
  json entry = ItemJson(item);
  json list = json::array();
  for (const ProgressEntry& p : progress) {
    json row = {{"id", p.id},       {"date", p.date}, {"value", p.value},
                {"note", p.note},   {"evidence", p.evidence}, {"by", p.by},
                {"recorded_at", p.recorded_at}};
    // Files attached through the server; absent otherwise (the output of
    // entries without any stays as it was).
    if (!p.attachments.empty()) {
      json files = json::array();
      for (const ProgressAttachment& a : p.attachments) {
        files.push_back({{"file", a.sha256}, {"name", a.name}, {"size", a.size}});
      }
      row["attachments"] = std::move(files);
    }
    list.push_back(std::move(row));
  }
  entry["progress_entries"] = std::move(list);
  j["item"] = std::move(entry);
  return Dump(j);
}

std::string RenderReviewListText(const std::vector<LedgerItem>& items, std::string_view db_option) {
  std::string out;
  std::string unit = items.empty() ? "" : items.front().unit;
  int year = items.empty() ? 0 : items.front().year;
  bool proposals = true;
  for (const LedgerItem& item : items) {
    if (item.unit != unit) unit.clear();
    if (item.year != year) year = 0;
    proposals = proposals && item.review == ReviewState::kProposed;
    out += "[";
    out += std::to_string(item.id);
    out += "] ";
    out += item.unit;
    if (item.year != 0) out += " " + std::to_string(item.year) + "年";
    if (item.review != ReviewState::kProposed) out += std::string(" ") + ReviewStateLabel(item.review);
    out += "：" + item.task + "\n";
    std::string facts;
    auto fact = [&](const char* label, const std::string& value) {
      if (!value.empty()) facts += (facts.empty() ? "" : "；") + std::string(label) + " " + value;
    };
    fact("目标", item.target_text);
    fact("时限", item.deadline);
    fact("牵头", item.lead_unit);
    fact("配合", JoinUnitList(item.support_units));
    fact("责任人", item.responsible_person);
    if (item.review == ReviewState::kRejected) fact("驳回理由", item.review_reason);
    if (item.review == ReviewState::kMerged) fact("并入", "编号 " + std::to_string(item.merged_into));
    if (item.split_from != 0) fact("拆分自", "编号 " + std::to_string(item.split_from));
    if (!facts.empty()) out += "    " + facts + "\n";
    if (!item.source_file.empty()) {
      out += "    原文（" + item.source_file + ":" + std::to_string(item.source_line) + "）：" + item.source_text + "\n";
    }
  }
  if (items.empty()) return "没有待确认的事项。\n";
  out += "共 " + std::to_string(items.size()) + " 项" + (proposals ? "待确认" : "") + "。\n";
  if (proposals) {
    const std::string db(db_option);
    out += "确认：taizhang ledger review accept 编号…" + db + "（全部确认：--all" + UnitYearOptions(unit, year) +
           "）；驳回：taizhang ledger review reject 编号… --reason 理由" + db +
           "；合并、拆分、指定牵头单位：ledger review merge / split / assign，见 taizhang ledger review --help。\n";
  }
  return out;
}

std::string RenderReviewedText(const char* done, const std::vector<LedgerItem>& items) {
  // Each 编号 with its new version (for a later --if-version); of a long
  // list the first ten.
  constexpr size_t kShown = 10;
  std::string ids;
  for (size_t i = 0; i < items.size() && i < kShown; ++i) {
    ids += (i == 0 ? "" : "、") + std::to_string(items[i].id);
    if (items.size() <= kShown) ids += "（版本 " + std::to_string(items[i].version) + "）";
  }
  if (items.size() > kShown) ids += " 等";
  return std::string(done) + " " + std::to_string(items.size()) + " 项：编号 " + ids + "。\n";
}

std::string HistoryActionLabel(std::string_view action) {
  static const std::pair<const char*, const char*> kActions[] = {
      {"create", "创建"},         {"update", "修改"},
      {"progress", "报进展"},     {"submit", "提交整改"},
      {"close_off", "销号"},      {"reimport", "随新版本报告更新来源"},
      {"xlsx_import", "由 Excel 台账更新"}, {"accept", "确认"},
      {"reject", "驳回"},         {"merge", "合并（保留此项）"},
      {"merged", "并入其他事项"}, {"split", "拆分"},
      {"assign", "指定牵头单位、配合单位、责任人"}};
  for (const auto& [name, label] : kActions) {
    if (action == name) return label;
  }
  return std::string(action);
}

std::string RenderHistoryText(const std::vector<HistoryEntry>& history, ItemKind kind, std::string_view time_zone) {
  std::string out;
  for (const HistoryEntry& h : history) {
    const std::string action = HistoryActionLabel(h.action);
    out += LocalTime(h.at, time_zone) + "  " + h.actor + "  " + action + "\n";
    const json before = h.before.empty() ? json::object() : json::parse(h.before, nullptr, false);
    const json after = h.after.empty() ? json::object() : json::parse(h.after, nullptr, false);
    if (!before.is_object() || !after.is_object()) {  // not written by this store: as stored
      if (!h.before.empty()) out += "    之前：" + h.before + "\n";
      if (!h.after.empty()) out += "    之后：" + h.after + "\n";
      continue;
    }
    for (auto it = after.begin(); it != after.end(); ++it) {
      const std::string value = HistoryValueText(it.key(), it.value().dump());
      if (!before.contains(it.key())) {
        if (value != "（空）")
          out += "    " + HistoryFieldLabel(it.key(), kind) + "：" + value + "\n";
        continue;
      }
      out += "    " + HistoryFieldLabel(it.key(), kind) + "：" +
             HistoryValueText(it.key(), before[it.key()].dump()) + " → " + value + "\n";
    }
  }
  if (history.empty()) out = "没有历史记录。\n";
  return out;
}

std::string RenderHistoryJson(const std::vector<HistoryEntry>& history) {
  json j = Envelope("ledger history");
  json list = json::array();
  for (const HistoryEntry& h : history) {
    list.push_back({{"id", h.id},
                    {"at", h.at},
                    {"actor", h.actor},
                    {"action", h.action},
                    {"before", h.before.empty() ? json(nullptr) : json::parse(h.before, nullptr, false)},
                    {"after", h.after.empty() ? json(nullptr) : json::parse(h.after, nullptr, false)}});
  }
  j["history"] = std::move(list);
  return Dump(j);
}

std::string RenderRatesText(const std::vector<RateRow>& rates) {
  auto rate = [](const std::string& r, int64_t n, int64_t d) {
    return r.empty() ? std::string("—") : r + "%（" + std::to_string(n) + "/" + std::to_string(d) + "）";
  };
  std::string out = Cell("责任单位", 16) + " " + Cell("整改率", 18) + " " + Cell("按期整改率", 18) + " " +
                    Cell("完成率", 18) + " 逾期任务\n";
  for (const RateRow& r : rates) {
    out += Cell(r.unit.empty() ? "合计" : r.unit, 16) + " " +
           Cell(rate(r.rectification_rate, r.rectified, r.problems), 18) + " " +
           Cell(rate(r.on_time_rectification_rate, r.rectified_on_time, r.problems), 18) + " " +
           Cell(rate(r.completion_rate, r.done, r.tasks), 18) + " " + std::to_string(r.overdue) + "\n";
  }
  out += "整改率 = 已销号问题数 / 问题总数；按期整改率 = 在整改时限内销号的问题数 / 问题总数；"
         "完成率 = 已完成任务数 / 任务总数（已取消的不计）。\n";
  return out;
}

std::string RenderRatesJson(const std::vector<RateRow>& rates) {
  json j = Envelope("ledger rates");
  json list = json::array();
  for (const RateRow& r : rates) {
    auto value = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    list.push_back({{"unit", r.unit.empty() ? json(nullptr) : json(r.unit)},
                    {"problems", r.problems},
                    {"rectified", r.rectified},
                    {"rectified_on_time", r.rectified_on_time},
                    {"due", r.due},
                    {"tasks", r.tasks},
                    {"done", r.done},
                    {"overdue", r.overdue},
                    {"rectification_rate", value(r.rectification_rate)},
                    {"on_time_rectification_rate", value(r.on_time_rectification_rate)},
                    {"completion_rate", value(r.completion_rate)}});
  }
  j["rates"] = std::move(list);
  return Dump(j);
}

std::string RenderImportText(const std::string& path, const ImportOutcome& outcome, std::string_view db_option) {
  switch (outcome.kind) {
    case ImportOutcome::kUnchanged:
      return path + "：内容与已导入的版本 " + std::to_string(outcome.version) + " 相同，未改动。\n";
    case ImportOutcome::kNewVersion:
    case ImportOutcome::kNew:
      break;
  }
  return path + "：已导入" + (outcome.kind == ImportOutcome::kNewVersion
                                  ? "新版本（第 " + std::to_string(outcome.version) + " 版）"
                                  : std::string()) +
         "，报告 " + std::to_string(outcome.reports) + " 篇，计划事项 " + std::to_string(outcome.plan_items) +
         " 项，新增台账事项 " + std::to_string(outcome.ledger_added) + " 项" +
         (outcome.ledger_updated ? "，沿用原有台账事项 " + std::to_string(outcome.ledger_updated) + " 项" : "") +
         (outcome.ledger_existing ? "，台账中已有 " + std::to_string(outcome.ledger_existing) + " 项" : "") +
         "。\n" + AwaitingReviewText(outcome, db_option);
}

std::string RenderImportJson(const std::vector<std::pair<std::string, ImportOutcome>>& outcomes,
                             const std::vector<std::pair<std::string, Status>>& failures) {
  json j = Envelope("import");
  json list = json::array();
  for (const auto& [path, o] : outcomes) {
    const char* kind = o.kind == ImportOutcome::kNew ? "new" : o.kind == ImportOutcome::kUnchanged ? "unchanged" : "new_version";
    list.push_back({{"path", path},
                    {"ok", true},
                    {"outcome", kind},
                    {"source_id", o.source_id},
                    {"version", o.version},
                    {"content_hash", o.content_hash},
                    {"reports", o.reports},
                    {"plan_items", o.plan_items},
                    {"ledger_added", o.ledger_added},
                    {"ledger_updated", o.ledger_updated},
                    {"ledger_existing", o.ledger_existing},
                    {"awaiting_review", o.awaiting_review}});
  }
  for (const auto& [path, status] : failures) {
    list.push_back({{"path", path},
                    {"ok", false},
                    {"error", {{"code", StatusCodeName(status.code())}, {"message", status.message()}}}});
  }
  j["files"] = std::move(list);
  return Dump(j);
}

namespace {

// The head, with the advice to write it down only when it is worth keeping
// (a head read from a history found altered vouches for nothing).
std::string HeadText(const HistoryHead& head, bool worth_keeping) {
  if (head.id == 0) return "历史链头：（还没有历史记录）\n";
  std::string text = "历史链头：" + FormatHistoryHead(head) + "\n";
  if (worth_keeping) {
    text += "（请另行记下；日后用 `taizhang ledger verify --head " + FormatHistoryHead(head) +
            "` 核对，历史若在此之后被整体改写即可发现）\n";
  }
  return text;
}

}  // namespace

std::string RenderVerifyText(const VerifyReport& report, const std::string& database) {
  std::string out;
  for (const std::string& p : report.problems) out += p + "\n";
  out += "已核对历史记录 " + std::to_string(report.history_rows) + " 条、台账事项 " +
         std::to_string(report.items) + " 项。\n";
  out += HeadText(report.head, report.problems.empty());
  out += report.problems.empty()
             ? database + "：一致，未发现问题。\n"
             : database + "：发现 " + std::to_string(report.problems.size()) + " 处不一致。\n";
  return out;
}

std::string RenderVerifyJson(const VerifyReport& report) {
  json j = Envelope("ledger verify");
  j["consistent"] = report.problems.empty();
  j["problems"] = report.problems;
  j["head"] = report.head.id == 0 ? json(nullptr)
                                  : json{{"id", report.head.id},
                                         {"hash", report.head.hash},
                                         {"text", FormatHistoryHead(report.head)}};
  j["history_rows"] = report.history_rows;
  j["items"] = report.items;
  // A tampered row may hold bytes that are no UTF-8: shown replaced, never thrown.
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string RenderHistoryHeadNote(const HistoryHead& head) {
  return "taizhang：备份所含的" + HeadText(head, true);
}

}  // namespace taizhang
