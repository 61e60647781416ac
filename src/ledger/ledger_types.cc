// Names and labels of the ledger's enums, and the status as shown.
#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "ledger/ledger.h"

namespace taizhang {

namespace {

struct StatusText {
  ItemStatus status;
  const char* label;
  const char* name;
};

constexpr StatusText kStatuses[] = {
    {ItemStatus::kNotStarted, "未启动", "not_started"},
    {ItemStatus::kInProgress, "推进中", "in_progress"},
    {ItemStatus::kDone, "已完成", "done"},
    {ItemStatus::kCancelled, "已取消", "cancelled"},
    {ItemStatus::kRectifying, "整改中", "rectifying"},
    {ItemStatus::kAwaitingCloseOff, "待销号", "awaiting_close_off"},
    {ItemStatus::kClosedOff, "已销号", "closed_off"},
};

struct ReviewText {
  ReviewState review;
  const char* label;
  const char* name;
};

constexpr ReviewText kReviews[] = {
    {ReviewState::kProposed, "待确认", "proposed"}, {ReviewState::kAccepted, "已确认", "accepted"},
    {ReviewState::kRejected, "已驳回", "rejected"}, {ReviewState::kMerged, "已合并", "merged"},
    {ReviewState::kSplit, "已拆分", "split"},
};

}  // namespace

const char* ReviewStateLabel(ReviewState review) {
  for (const ReviewText& r : kReviews) {
    if (r.review == review) return r.label;
  }
  return "";
}

const char* ReviewStateName(ReviewState review) {
  for (const ReviewText& r : kReviews) {
    if (r.review == review) return r.name;
  }
  return "";
}

std::optional<ReviewState> ParseReviewState(std::string_view text) {
  for (const ReviewText& r : kReviews) {
    if (text == r.label || text == r.name) return r.review;
  }
  return std::nullopt;
}

std::string JoinUnitList(const std::vector<std::string>& units) {
  std::string out;
  for (const std::string& unit : units) out += (out.empty() ? "" : "、") + unit;
  return out;
}

std::vector<std::string> ParseUnitList(std::string_view text) {
  std::vector<std::string> units;
  std::string current;
  auto flush = [&] {
    // Blanks around a name, of any width, are no part of it.
    size_t begin = std::string::npos, end = 0;
    for (size_t at = 0; at < current.size();) {
      const size_t start = at;
      if (utf8::IsInlineSpace(utf8::Next(current, &at))) continue;
      if (begin == std::string::npos) begin = start;
      end = at;
    }
    if (begin != std::string::npos) units.push_back(current.substr(begin, end - begin));
    current.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    const char32_t cp = utf8::Next(text, &i);
    if (cp == U'、' || cp == U'，' || cp == ',' || cp == U'；' || cp == ';' || cp == '\n' || cp == '\r') {
      flush();
    } else {
      current.append(text.substr(start, i - start));
    }
  }
  flush();
  return units;
}

const char* ItemKindName(ItemKind kind) { return kind == ItemKind::kPlan ? "plan" : "problem"; }

std::optional<ItemKind> ParseItemKind(std::string_view name) {
  if (name == "plan" || name == "计划" || name == "工作任务") return ItemKind::kPlan;
  if (name == "problem" || name == "问题" || name == "整改") return ItemKind::kProblem;
  return std::nullopt;
}

const char* ItemStatusLabel(ItemStatus status) {
  for (const StatusText& s : kStatuses) {
    if (s.status == status) return s.label;
  }
  return "";
}

const char* ItemStatusName(ItemStatus status) {
  for (const StatusText& s : kStatuses) {
    if (s.status == status) return s.name;
  }
  return "";
}

std::optional<ItemStatus> ParseItemStatus(std::string_view text) {
  for (const StatusText& s : kStatuses) {
    if (text == s.label || text == s.name) return s.status;
  }
  // Words offices also write in the status column.
  if (text == "已完成整改" || text == "完成整改") return ItemStatus::kAwaitingCloseOff;
  if (text == "正在推进" || text == "进行中" || text == "正在整改") {
    return text == "正在整改" ? ItemStatus::kRectifying : ItemStatus::kInProgress;
  }
  if (text == "完成") return ItemStatus::kDone;
  if (text == "未开始") return ItemStatus::kNotStarted;
  return std::nullopt;
}

bool StatusFitsKind(ItemStatus status, ItemKind kind) {
  if (status == ItemStatus::kCancelled) return true;
  const bool plan = status == ItemStatus::kNotStarted || status == ItemStatus::kInProgress ||
                    status == ItemStatus::kDone;
  return plan == (kind == ItemKind::kPlan);
}

bool IsFinished(ItemStatus status) {
  return status == ItemStatus::kDone || status == ItemStatus::kCancelled || status == ItemStatus::kClosedOff;
}

const char* WarningLabel(Warning warning) {
  switch (warning) {
    case Warning::kGreen: return "绿灯";
    case Warning::kYellow: return "黄灯";
    case Warning::kRed: return "红灯";
    case Warning::kNone: break;
  }
  return "";
}

const char* WarningName(Warning warning) {
  switch (warning) {
    case Warning::kGreen: return "green";
    case Warning::kYellow: return "yellow";
    case Warning::kRed: return "red";
    case Warning::kNone: break;
  }
  return "";
}

std::string ShownStatus(const LedgerItem& item) {
  return item.overdue ? "逾期" : ItemStatusLabel(item.status);
}

std::string HistoryValueText(std::string_view key, const std::string& value_json) {
  const nlohmann::json value =
      nlohmann::json::parse(value_json, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return value_json;
  if (value.is_null()) return "（空）";
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text.empty()) return "（空）";
    if (key == "status") {
      for (const StatusText& s : kStatuses) {
        if (text == s.name) return s.label;
      }
    }
    if (key == "kind") return text == "problem" ? "问题" : text == "plan" ? "工作任务" : text;
    if (key == "review") {
      for (const ReviewText& r : kReviews) {
        if (text == r.name) return r.label;
      }
    }
    return text;
  }
  if (value.is_number_integer() && value.get<int64_t>() == 0 &&
      (key == "year" || key == "source_line" || key == "merged_into" || key == "split_from")) {
    return "（空）";
  }
  if (value.is_number_integer() && (key == "merged_into" || key == "split_from")) {
    return "编号 " + value.dump();
  }
  return value.dump();
}

std::string HistoryFieldLabel(std::string_view key, ItemKind kind) {
  const bool plan = kind == ItemKind::kPlan;
  static constexpr std::pair<std::string_view, const char*> kLabels[] = {
      {"kind", "类型"},
      {"unit", "责任单位"},
      {"year", "年度"},
      {"target", "目标"},
      {"recurrence", "周期"},
      {"status", "状态"},
      {"progress_note", "进展情况"},
      {"progress_value", "完成值"},
      {"progress_date", "进展日期"},
      {"problem_source", "问题来源"},
      {"found_date", "发现时间"},
      {"measures", "整改措施"},
      {"submitted_by", "提交整改人"},
      {"verified_by", "销号人"},
      {"source_file", "来源文件"},
      {"source_line", "来源行"},
      {"report_id", "来源报告"},
      {"review", "确认状态"},
      {"review_reason", "驳回理由"},
      {"reviewed_by", "确认人"},
      {"merged_into", "并入事项"},
      {"split_from", "拆分自"},
      {"lead_unit", "牵头单位"},
      {"support_units", "配合单位"},
      {"responsible_person", "责任人"}};
  if (key == "task") return plan ? "工作任务" : "问题描述";
  if (key == "deadline") return plan ? "完成时限" : "整改时限";
  for (const auto& [name, label] : kLabels) {
    if (key == name) return label;
  }
  return std::string(key);
}

std::string FormatHistoryHead(const HistoryHead& head) {
  return std::to_string(head.id) + ":" + head.hash;
}

std::optional<HistoryHead> ParseHistoryHead(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon > 18) return std::nullopt;
  HistoryHead head;
  for (char c : text.substr(0, colon)) {
    if (c < '0' || c > '9') return std::nullopt;
    head.id = head.id * 10 + (c - '0');
  }
  const std::string_view hash = text.substr(colon + 1);
  if (head.id == 0 || hash.size() != 64) return std::nullopt;
  for (char c : hash) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    head.hash += c;
  }
  return head;
}

}  // namespace taizhang
