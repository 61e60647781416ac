// Names and labels of the ledger's enums, and the status as shown.
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

}  // namespace

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

}  // namespace taizhang
