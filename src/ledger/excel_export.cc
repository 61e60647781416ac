// WriteLedgerXlsx: the ledgers as offices keep them in Excel, written with
// libxlsxwriter.
//
// Each sheet: a title row merged across all columns; a two-row header in
// which a group ("完成情况", "整改情况") spans its columns on the first row and
// every other header is merged down over both rows; then one row per item.
// The header is frozen, repeated on printed pages and carries an autofilter.
// Dates and all other texts are written as text cells, so that they are read
// back exactly (ReadLedgerXlsx) whatever the reader's locale.
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.h"
#include "common/xlsx_file.h"
#include "ledger/ledger.h"

namespace taizhang {

namespace {

constexpr uint32_t kExcelMaxChars = 32767;      // characters in one cell
constexpr uint32_t kExcelMaxRows = 1048576;     // rows in one sheet
constexpr size_t kSheetNameMax = 31;            // characters in a sheet name
constexpr lxw_row_t kFirstDataRow = 3;          // title, header, sub-header

enum class Field {
  kSeq,
  kUnit,
  kTask,
  kTarget,
  kDeadline,
  kProgress,
  kStatus,
  kWarning,
  kYear,
  kSource,
  kId,
  kProblemSource,
  kFoundDate,
  kMeasures,
  kVerifiedBy,
  kLeadUnit,
  kSupportUnits,
  kResponsiblePerson,
};

struct Column {
  const char* header;
  const char* group;  // the header over it on the first header row, or nullptr
  Field field;
  double max_width;   // in Excel's units (about one Latin digit)
  bool centred;
};

constexpr Column kPlanColumns[] = {
    {"序号", nullptr, Field::kSeq, 6, true},
    {"责任单位", nullptr, Field::kUnit, 24, false},
    {"工作任务", nullptr, Field::kTask, 50, false},
    {"目标", nullptr, Field::kTarget, 30, false},
    {"牵头单位", nullptr, Field::kLeadUnit, 20, false},
    {"配合单位", nullptr, Field::kSupportUnits, 30, false},
    {"责任人", nullptr, Field::kResponsiblePerson, 10, true},
    {"完成时限", nullptr, Field::kDeadline, 12, true},
    {"进展情况", "完成情况", Field::kProgress, 44, false},
    {"完成状态", "完成情况", Field::kStatus, 10, true},
    {"预警", nullptr, Field::kWarning, 15, true},
    {"年度", nullptr, Field::kYear, 8, true},
    {"来源", nullptr, Field::kSource, 30, false},
    {"编号", nullptr, Field::kId, 10, true},
};

constexpr Column kProblemColumns[] = {
    {"序号", nullptr, Field::kSeq, 6, true},
    {"问题来源", nullptr, Field::kProblemSource, 16, false},
    {"发现时间", nullptr, Field::kFoundDate, 12, true},
    {"问题描述", nullptr, Field::kTask, 50, false},
    {"责任单位", nullptr, Field::kUnit, 24, false},
    {"牵头单位", nullptr, Field::kLeadUnit, 20, false},
    {"配合单位", nullptr, Field::kSupportUnits, 30, false},
    {"责任人", nullptr, Field::kResponsiblePerson, 10, true},
    {"整改时限", nullptr, Field::kDeadline, 12, true},
    {"整改措施", "整改情况", Field::kMeasures, 44, false},
    {"整改状态", "整改情况", Field::kStatus, 10, true},
    {"预警", nullptr, Field::kWarning, 15, true},
    {"销号人", nullptr, Field::kVerifiedBy, 10, true},
    {"编号", nullptr, Field::kId, 10, true},
};

// Width of text on screen (utf8::DisplayWidth); for multi-line text, the
// widest line.
double DisplayWidth(std::string_view text) {
  int widest = 0;
  for (size_t from = 0; from <= text.size();) {
    size_t end = text.find('\n', from);
    if (end == std::string_view::npos) end = text.size();
    widest = std::max(widest, utf8::DisplayWidth(text.substr(from, end - from)));
    from = end + 1;
  }
  return widest;
}

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++n) utf8::Next(text, &i);
  return n;
}

// The first `count` code points of text.
std::string Prefix(std::string_view text, size_t count) {
  size_t i = 0;
  for (size_t n = 0; n < count && i < text.size(); ++n) utf8::Next(text, &i);
  return std::string(text.substr(0, i));
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }

// Text as a cell can hold it: invalid UTF-8 replaced by U+FFFD (it would
// make the XML unreadable), and a literal "_xHHHH_" protected as Excel does
// ("_x005F_xHHHH_"), since readers decode that form as an escaped
// character. libxlsxwriter escapes control characters itself.
std::string CellSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    char32_t cp = utf8::Next(text, &i);
    if (cp == utf8::kInvalid) {  // a true U+FFFD comes out as it was
      utf8::Append(cp, &out);
      continue;
    }
    if (cp == '_' && start + 7 <= text.size() && text[start + 1] == 'x' && IsHex(text[start + 2]) &&
        IsHex(text[start + 3]) && IsHex(text[start + 4]) && IsHex(text[start + 5]) && text[start + 6] == '_') {
      out += "_x005F";
    }
    out.append(text.substr(start, i - start));
  }
  return out;
}

std::string ProgressText(const LedgerItem& item) {
  std::string text = item.progress_date;
  if (!item.progress_note.empty()) {
    if (!text.empty()) text += ' ';
    text += item.progress_note;
  }
  // The value in a form ReadLedgerXlsx takes back off the end.
  if (!item.progress_value.empty()) text += "（完成值：" + item.progress_value + "）";
  return text;
}

// The file by its name only: the importing machine's folders mean nothing
// to the reader of the sheet.
std::string SourceText(const LedgerItem& item) {
  if (item.source_file.empty()) return item.report_id == 0 ? "手工录入" : "";
  const std::string name = std::filesystem::path(item.source_file).filename().string();
  if (item.source_line == 0) return name;
  return name + ":" + std::to_string(item.source_line);
}

// 预警 shows what is computed against the day: "红灯（逾期）" for an overdue
// item, so that 完成状态 can hold the stored status.
std::string WarningText(const LedgerItem& item) {
  std::string text = WarningLabel(item.warning);
  if (item.overdue) text += "（逾期）";
  return text;
}

// The cell's text; numbers (序号, 年度, 编号) are handled by the caller.
std::string CellText(const LedgerItem& item, Field field) {
  switch (field) {
    case Field::kUnit: return item.unit;
    case Field::kTask: return item.task;
    case Field::kTarget: return item.target_text;
    case Field::kDeadline: return item.deadline;
    case Field::kProgress: return ProgressText(item);
    case Field::kStatus: return ItemStatusLabel(item.status);
    case Field::kWarning: return WarningText(item);
    case Field::kSource: return SourceText(item);
    case Field::kProblemSource: return item.problem_source;
    case Field::kFoundDate: return item.found_date;
    case Field::kMeasures: return item.measures;
    case Field::kVerifiedBy: return item.verified_by;
    case Field::kLeadUnit: return item.lead_unit;
    case Field::kSupportUnits: return JoinUnitList(item.support_units);
    case Field::kResponsiblePerson: return item.responsible_person;
    case Field::kSeq:
    case Field::kYear:
    case Field::kId: break;
  }
  return "";
}

bool NumberField(Field field) { return field == Field::kSeq || field == Field::kYear || field == Field::kId; }

// 序号, 年度 and 编号, written as numbers; "" when there is none.
std::string NumberText(const LedgerItem& item, Field field, size_t index) {
  switch (field) {
    case Field::kSeq: return std::to_string(index + 1);
    case Field::kYear: return item.year != 0 ? std::to_string(item.year) : "";
    case Field::kId: return item.id != 0 ? std::to_string(item.id) : "";
    default: break;
  }
  return "";
}

// The lines `text` takes in a wrapped cell `width` units wide (Excel's unit:
// about one Latin digit; a CJK character takes two): each of its own lines,
// broken where it meets the cell's edge.
int WrappedLines(std::string_view text, double width) {
  const double room = std::max(1.0, width - 1.5);  // the cell's padding
  int lines = 0;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    const double line_width = DisplayWidth(text.substr(begin, end - begin));
    lines += std::max(1, static_cast<int>(std::ceil(line_width / room)));
    begin = end + 1;
  }
  return std::max(lines, 1);
}

// Points for a row of `lines` lines of the default 11-point text, with room
// for CJK fonts, which LibreOffice and WPS set taller than Latin ones.
double RowHeight(int lines) { return 16.0 * lines + 4.0; }

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A sheet name Excel accepts: no []:*?/\ or control characters, no
// apostrophe at either end, not "History", at most 31 characters (room
// left for `suffix`), and unique among `taken` (compared case-insensitively).
std::string SheetName(std::string_view wanted, std::string_view suffix, std::vector<std::string>* taken) {
  std::string clean;
  size_t i = 0;
  while (i < wanted.size()) {
    size_t start = i;
    char32_t cp = utf8::Next(wanted, &i);
    if (cp < 0x20 || cp == utf8::kInvalid) continue;
    if (cp < 0x80 && std::strchr("[]:*?/\\", static_cast<char>(cp)) != nullptr) {
      clean += '_';
    } else {
      clean.append(wanted.substr(start, i - start));
    }
  }
  while (!clean.empty() && clean.front() == '\'') clean.erase(0, 1);
  while (!clean.empty() && clean.back() == '\'') clean.pop_back();
  if (clean.empty()) clean = "未填单位";
  if (AsciiLower(clean) == "history") clean += '_';
  std::string base = Prefix(clean, kSheetNameMax - CodePoints(suffix)) + std::string(suffix);
  std::string name = base;
  for (int n = 2;; ++n) {
    std::string key = AsciiLower(name);
    bool used = std::any_of(taken->begin(), taken->end(), [&](const std::string& t) { return AsciiLower(t) == key; });
    if (!used) break;
    std::string mark = std::to_string(n);
    mark.insert(mark.begin(), '(');
    mark += ')';
    name = Prefix(clean, kSheetNameMax - CodePoints(suffix) - mark.size()) + std::string(suffix) + mark;
  }
  taken->push_back(name);
  return name;
}

struct SheetPlan {
  ItemKind kind = ItemKind::kPlan;
  std::string unit;  // per-unit sheets only
  std::vector<const LedgerItem*> items;
  std::string name;
  std::string title;
};

std::string DefaultTitle(const SheetPlan& sheet) {
  if (sheet.kind == ItemKind::kProblem) return "问题整改台账";
  // The year when all items of a known year share it.
  int year = 0;
  for (const LedgerItem* item : sheet.items) {
    if (item->year == 0) continue;
    if (year != 0 && item->year != year) return "工作任务台账";
    year = item->year;
  }
  return year == 0 ? "工作任务台账" : std::to_string(year) + "年工作任务台账";
}

std::vector<SheetPlan> PlanSheets(const std::vector<LedgerItem>& items, const XlsxExportOptions& options) {
  std::vector<SheetPlan> sheets;
  for (ItemKind kind : {ItemKind::kPlan, ItemKind::kProblem}) {
    std::vector<SheetPlan> of_kind;
    std::map<std::string, size_t> by_unit;
    for (const LedgerItem& item : items) {
      if (item.kind != kind) continue;
      std::string key = options.sheet_per_unit ? item.unit : "";
      auto [it, added] = by_unit.emplace(key, of_kind.size());
      if (added) {
        of_kind.emplace_back();
        of_kind.back().kind = kind;
        of_kind.back().unit = key;
      }
      of_kind[it->second].items.push_back(&item);
    }
    for (SheetPlan& s : of_kind) sheets.push_back(std::move(s));
  }
  if (sheets.empty()) sheets.emplace_back();  // a plan sheet, header only

  std::vector<std::string> taken;
  for (SheetPlan& sheet : sheets) {
    bool plan = sheet.kind == ItemKind::kPlan;
    if (options.sheet_per_unit && !sheet.items.empty()) {
      sheet.name = SheetName(sheet.unit, plan ? "" : "（问题）", &taken);
      std::string unit = sheet.unit.empty() ? "未填单位" : sheet.unit;
      sheet.title = options.title.empty() ? unit + DefaultTitle(sheet) : options.title + "（" + unit + "）";
    } else {
      sheet.name = SheetName(plan ? "工作任务台账" : "问题整改台账", "", &taken);
      sheet.title = options.title.empty() ? DefaultTitle(sheet) : options.title;
    }
  }
  return sheets;
}

// The formats of a workbook (owned by it).
struct Formats {
  lxw_format* title;
  lxw_format* header;
  lxw_format* text;     // left, wrapped
  lxw_format* centred;  // centred, wrapped
  lxw_format* green;
  lxw_format* yellow;
  lxw_format* red;
};

lxw_format* CellFormat(lxw_workbook* workbook, bool centred) {
  lxw_format* f = workbook_add_format(workbook);
  format_set_border(f, LXW_BORDER_THIN);
  format_set_align(f, centred ? LXW_ALIGN_CENTER : LXW_ALIGN_LEFT);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap(f);
  // Text, so that a date typed into the cell later stays as typed.
  format_set_num_format(f, "@");
  return f;
}

lxw_format* Filled(lxw_workbook* workbook, lxw_color_t fill, lxw_color_t font) {
  lxw_format* f = CellFormat(workbook, true);
  format_set_pattern(f, LXW_PATTERN_SOLID);
  format_set_bg_color(f, fill);
  format_set_font_color(f, font);
  return f;
}

Formats MakeFormats(lxw_workbook* workbook) {
  Formats f;
  f.title = workbook_add_format(workbook);
  format_set_bold(f.title);
  format_set_font_size(f.title, 18);
  format_set_align(f.title, LXW_ALIGN_CENTER);
  format_set_align(f.title, LXW_ALIGN_VERTICAL_CENTER);
  f.header = workbook_add_format(workbook);
  format_set_bold(f.header);
  format_set_border(f.header, LXW_BORDER_THIN);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap(f.header);
  format_set_pattern(f.header, LXW_PATTERN_SOLID);
  format_set_bg_color(f.header, 0xD9E1F2);
  f.text = CellFormat(workbook, false);
  f.centred = CellFormat(workbook, true);
  // Excel's own "Good", "Neutral" and "Bad" colours.
  f.green = Filled(workbook, 0xC6EFCE, 0x006100);
  f.yellow = Filled(workbook, 0xFFEB9C, 0x9C5700);
  f.red = Filled(workbook, 0xFFC7CE, 0x9C0006);
  return f;
}

lxw_format* StatusFormat(const LedgerItem& item, const Formats& f) {
  if (item.overdue || item.warning == Warning::kRed) return f.red;
  if (item.status == ItemStatus::kDone || item.status == ItemStatus::kClosedOff) return f.green;
  if (item.warning == Warning::kYellow) return f.yellow;
  return f.centred;
}

lxw_format* WarningFormat(const LedgerItem& item, const Formats& f) {
  switch (item.warning) {
    case Warning::kRed: return f.red;
    case Warning::kYellow: return f.yellow;
    case Warning::kGreen: return f.green;
    case Warning::kNone: break;
  }
  return f.centred;
}

class SheetWriter {
 public:
  SheetWriter(const std::string& path, lxw_workbook* workbook, const Formats& formats)
      : path_(path), workbook_(workbook), f_(formats) {}

  Status Write(const SheetPlan& sheet) {
    bool plan = sheet.kind == ItemKind::kPlan;
    const Column* columns = plan ? kPlanColumns : kProblemColumns;
    const lxw_col_t count = static_cast<lxw_col_t>(plan ? std::size(kPlanColumns) : std::size(kProblemColumns));
    const lxw_col_t last = count - 1;
    if (sheet.items.size() > kExcelMaxRows - kFirstDataRow) {
      return Status(StatusCode::kInvalidArgument, path_ + "：工作表“" + sheet.name + "”的条目超过 Excel 单表 " +
                                                      std::to_string(kExcelMaxRows) + " 行的上限，未写入。");
    }
    lxw_worksheet* ws = workbook_add_worksheet(workbook_, sheet.name.c_str());
    if (ws == nullptr) return Internal("无法添加工作表“" + sheet.name + "”");
    sheet_ = sheet.name;

    Check(worksheet_merge_range(ws, 0, 0, 0, last, CellSafe(sheet.title).c_str(), f_.title));
    Check(worksheet_set_row(ws, 0, 36, nullptr));
    for (lxw_col_t c = 0; c < count; ++c) {
      const Column& col = columns[c];
      if (col.group == nullptr) {
        Check(worksheet_merge_range(ws, 1, c, 2, c, col.header, f_.header));
        continue;
      }
      if (c == 0 || columns[c - 1].group == nullptr || std::strcmp(columns[c - 1].group, col.group) != 0) {
        lxw_col_t end = c;
        while (end + 1 < count && columns[end + 1].group != nullptr && std::strcmp(columns[end + 1].group, col.group) == 0) {
          ++end;
        }
        if (end > c) {
          Check(worksheet_merge_range(ws, 1, c, 1, end, col.group, f_.header));
        } else {
          Check(worksheet_write_string(ws, 1, c, col.group, f_.header));
        }
      }
      Check(worksheet_write_string(ws, 2, c, col.header, f_.header));
    }
    Check(worksheet_set_row(ws, 1, 22, nullptr));
    Check(worksheet_set_row(ws, 2, 22, nullptr));

    // First the cells and the widths they want, then the rows, each as high
    // as its most wrapped cell.
    std::vector<std::vector<std::string>> texts(sheet.items.size(), std::vector<std::string>(count));
    std::vector<double> widths(count);
    for (lxw_col_t c = 0; c < count; ++c) widths[c] = DisplayWidth(columns[c].header) + 4;
    for (size_t k = 0; k < sheet.items.size(); ++k) {
      for (lxw_col_t c = 0; c < count; ++c) {
        std::string text = NumberField(columns[c].field) ? NumberText(*sheet.items[k], columns[c].field, k)
                                                         : CellText(*sheet.items[k], columns[c].field);
        if (CodePoints(text) > kExcelMaxChars) {
          return Status(StatusCode::kInvalidArgument,
                        path_ + "：工作表“" + sheet.name + "”第 " + std::to_string(kFirstDataRow + k + 1) + " 行的" +
                            columns[c].header + "超过 Excel 单元格 " + std::to_string(kExcelMaxChars) +
                            " 字的上限，未写入。");
        }
        texts[k][c] = CellSafe(text);
        widths[c] = std::max(widths[c], DisplayWidth(texts[k][c]) + 2);
      }
    }
    for (lxw_col_t c = 0; c < count; ++c) {
      widths[c] = std::min(widths[c], columns[c].max_width);
      Check(worksheet_set_column(ws, c, c, widths[c], nullptr));
    }
    for (size_t k = 0; k < sheet.items.size(); ++k) {
      const LedgerItem& item = *sheet.items[k];
      lxw_row_t row = static_cast<lxw_row_t>(kFirstDataRow + k);
      int lines = 1;
      for (lxw_col_t c = 0; c < count; ++c) {
        const Column& col = columns[c];
        lxw_format* format = col.centred ? f_.centred : f_.text;
        if (col.field == Field::kStatus) format = StatusFormat(item, f_);
        if (col.field == Field::kWarning) format = WarningFormat(item, f_);
        const std::string& text = texts[k][c];
        if (text.empty()) {
          Check(worksheet_write_blank(ws, row, c, format));
        } else if (NumberField(col.field)) {
          Check(worksheet_write_number(ws, row, c, std::stod(text), format));
        } else {
          Check(worksheet_write_string(ws, row, c, text.c_str(), format));
          lines = std::max(lines, WrappedLines(text, widths[c]));
        }
      }
      Check(worksheet_set_row(ws, row, RowHeight(lines), nullptr));
    }

    worksheet_freeze_panes(ws, kFirstDataRow, 0);
    Check(worksheet_autofilter(ws, 2, 0, static_cast<lxw_row_t>(2 + sheet.items.size()), last));
    Check(worksheet_repeat_rows(ws, 1, 2));
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);  // A4
    worksheet_fit_to_pages(ws, 1, 0);
    return error_;
  }

 private:
  Status Internal(const std::string& what) const {
    return Status(StatusCode::kInternal, path_ + "：写入 Excel 文件失败（" + what + "）。");
  }
  // Keeps the first error of libxlsxwriter.
  void Check(lxw_error error) {
    if (error != LXW_NO_ERROR && error_.ok()) {
      error_ = Internal("工作表“" + sheet_ + "”：" + lxw_strerror(error));
    }
  }

  const std::string& path_;
  lxw_workbook* workbook_;
  const Formats& f_;
  std::string sheet_;
  Status error_;
};

}  // namespace

Status WriteLedgerXlsx(const std::vector<LedgerItem>& items, const XlsxExportOptions& options,
                       const std::string& path) {
  std::vector<SheetPlan> sheets = PlanSheets(items, options);
  std::string title = CellSafe(sheets.front().title);
  return WriteXlsxFile(path, title, [&](lxw_workbook* workbook) {
    Formats formats = MakeFormats(workbook);
    SheetWriter writer(path, workbook, formats);
    for (const SheetPlan& sheet : sheets) {
      Status status = writer.Write(sheet);
      if (!status.ok()) return status;
    }
    return Status();
  });
}

}  // namespace taizhang
