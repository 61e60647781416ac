// ReadLedgerXlsx: a ledger kept in Excel (by taizhang or by hand) into
// LedgerItems, through minizip (ZipArchive, with the limits of untrusted
// files) and pugixml.
//
// The parts read: the workbook (found through _rels/.rels), its
// relationships (worksheets, shared strings), the shared strings and each
// worksheet's sheetData. SpreadsheetML element names are matched by their
// local name, whatever prefix a writer chose. On each sheet the header row
// is found by its column names (synonyms included), a second header row
// under a merged group header ("完成情况" over 进展情况 / 完成状态) or a first
// one above ("序号" merged down over two rows) is folded in, and every row
// below is validated: good rows become items, bad rows XlsxRowErrors.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pugixml.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.h"
#include "ingest/zip_archive.h"
#include "ledger/excel_internal.h"
#include "common/calendar.h"
#include "ledger/ledger.h"

namespace taizhang {
namespace ledger_internal {

namespace {

using ingest_internal::ResolvePartPath;
using ingest_internal::ZipArchive;
using ingest_internal::ZipLimits;

constexpr uint32_t kMaxRow = 1048576;
constexpr uint32_t kMaxColumn = 16384;
constexpr int kHeaderSearchRows = 10;

// --- dates ---------------------------------------------------------------------

using calendar::DaysFromCivil;
using calendar::DaysInMonth;

std::optional<std::string> FormatDate(int y, int m, int d) {
  if (y < 1900 || y > 2100 || !calendar::IsValidDay(y, m, d)) return std::nullopt;
  return calendar::FormatIsoDay(calendar::CivilDay{y, m, d});
}

// Full-width digits and separators folded to ASCII, white space dropped.
std::string FoldDate(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    char32_t cp = utf8::Next(text, &i);
    if (utf8::IsInlineSpace(cp) || cp == '\n' || cp == '\r') continue;
    if (cp >= 0xFF10 && cp <= 0xFF19) {
      out += static_cast<char>('0' + (cp - 0xFF10));
    } else if (cp == 0xFF0F) {
      out += '/';
    } else if (cp == 0xFF0D) {
      out += '-';
    } else if (cp == 0xFF0E) {
      out += '.';
    } else if (cp == 0xFF1A) {
      out += ':';
    } else {
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

bool Consume(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

// Up to `max` ASCII digits (at least one) as a number.
bool Digits(std::string_view* s, size_t min, size_t max, int* value) {
  size_t n = 0;
  int v = 0;
  while (n < s->size() && n < max && (*s)[n] >= '0' && (*s)[n] <= '9') v = v * 10 + ((*s)[n++] - '0');
  if (n < min) return false;
  s->remove_prefix(n);
  *value = v;
  return true;
}

bool IsTime(std::string_view s) {
  Consume(&s, "T");
  int h = 0, m = 0, sec = 0;
  if (!Digits(&s, 1, 2, &h) || !Consume(&s, ":") || !Digits(&s, 2, 2, &m)) return false;
  if (Consume(&s, ":")) {
    if (!Digits(&s, 2, 2, &sec)) return false;
    if (Consume(&s, ".")) {
      int frac = 0;
      if (!Digits(&s, 1, 9, &frac)) return false;
    }
  }
  return s.empty() && h < 24 && m < 60 && sec < 61;
}

bool IsYearEnd(std::string_view s) { return s == "底" || s == "年底" || s == "末" || s == "年末"; }
bool IsMonthEnd(std::string_view s) { return s.empty() || s == "底" || s == "末" || s == "份"; }

// ParseLedgerDate without the "年底" + 年度 case.
std::optional<std::string> ParseFolded(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (!Digits(&s, 4, 4, &y)) return std::nullopt;
  if (Consume(&s, "年")) {
    if (IsYearEnd(s)) return FormatDate(y, 12, 31);
    if (!Digits(&s, 1, 2, &m) || !Consume(&s, "月")) return std::nullopt;
    if (IsMonthEnd(s)) return m >= 1 && m <= 12 ? FormatDate(y, m, DaysInMonth(y, m)) : std::nullopt;
    if (!Digits(&s, 1, 2, &d)) return std::nullopt;
    if (!Consume(&s, "日")) Consume(&s, "号");
    return s.empty() ? FormatDate(y, m, d) : std::nullopt;
  }
  if (s.empty()) return std::nullopt;
  char sep = s[0];
  if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
  s.remove_prefix(1);
  if (!Digits(&s, 1, 2, &m)) return std::nullopt;
  if (s.empty()) return m >= 1 && m <= 12 ? FormatDate(y, m, DaysInMonth(y, m)) : std::nullopt;
  if (s[0] != sep) return std::nullopt;
  s.remove_prefix(1);
  if (!Digits(&s, 1, 2, &d)) return std::nullopt;
  if (!s.empty() && !IsTime(s)) return std::nullopt;
  return FormatDate(y, m, d);
}

std::string StripDeadlineSuffix(std::string s) {
  for (std::string_view suffix : {"之前", "以前", "前"}) {
    if (s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0) {
      s.resize(s.size() - suffix.size());
      break;
    }
  }
  return s;
}

// --- cells -----------------------------------------------------------------------

// Decodes the _xHHHH_ escapes of OOXML strings (Excel writes a carriage
// return as _x000D_, a literal "_x" as _x005F_x).
std::string Unescape(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '_' && i + 7 <= text.size() && text[i + 1] == 'x' && text[i + 6] == '_') {
      unsigned value = 0;
      auto [end, ec] = std::from_chars(text.data() + i + 2, text.data() + i + 6, value, 16);
      if (ec == std::errc() && end == text.data() + i + 6) {
        if (value != 0 && (value < 0xD800 || value > 0xDFFF)) utf8::Append(static_cast<char32_t>(value), &out);
        i += 7;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view local) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == local) return c;
  }
  return pugi::xml_node();
}

// The text of a shared string or an inline string: its <t>, or the <t> of
// each rich-text run <r>; phonetic runs (<rPh>) are not part of it.
std::string StringItem(const pugi::xml_node& item) {
  std::string out;
  for (pugi::xml_node c = item.first_child(); c; c = c.next_sibling()) {
    std::string_view local = LocalName(c);
    if (local == "t") {
      out += c.child_value();
    } else if (local == "r") {
      if (pugi::xml_node t = Child(c, "t")) out += t.child_value();
    }
  }
  return Unescape(out);
}

std::string FormatNumber(double x) {
  char buffer[32];
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(x));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.15g", x);
  }
  return buffer;
}

std::string Trim(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end) {
    size_t i = begin;
    char32_t cp = utf8::Next(text, &i);
    if (!(utf8::IsInlineSpace(cp) || cp == '\n' || cp == '\r')) break;
    begin = i;
  }
  while (end > begin) {
    size_t i = end;
    char32_t cp = utf8::Prev(text, &i);
    if (!(utf8::IsInlineSpace(cp) || cp == '\n' || cp == '\r')) break;
    end = i;
  }
  return std::string(text.substr(begin, end - begin));
}

struct Cell {
  uint32_t column = 0;  // 0-based (A = 0)
  std::string text;     // trimmed; a number's shortest decimal form
  bool numeric = false;
  double number = 0;
};

struct SheetRow {
  uint32_t number = 0;  // 1-based
  std::vector<Cell> cells;  // ascending columns, none empty

  const Cell* Find(uint32_t column) const {
    auto it = std::lower_bound(cells.begin(), cells.end(), column,
                               [](const Cell& c, uint32_t col) { return c.column < col; });
    return it != cells.end() && it->column == column ? &*it : nullptr;
  }
};

// What makes a sheet's XML unreadable as data, found while reading its
// rows: a row or cell reference that is malformed or past the sheet's
// limits, a formula without its cached value. Reported (for a ledger sheet)
// as row errors, never dropped or shifted silently.
struct CellProblem {
  uint32_t row = 0;     // 1-based; 0 when the row has no usable number
  int64_t column = -1;  // 0-based; -1 when no column can be named
  std::string message;
};

// "C" → 2, "XFD" → 16383; what a reference's letters name (0-based).
std::string ColumnLetters(uint32_t column) {
  std::string letters;
  for (uint32_t n = column + 1; n > 0; n = (n - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  return letters;
}

// "C12" → column 2 and row 12. Anything else is refused with why, in
// Chinese: a reference that is none ("A", "1A", "A0") would otherwise put
// its value in the wrong column, and one past the sheet's last column or row
// names a cell no workbook holds.
Status ParseReference(std::string_view ref, uint32_t* column, uint32_t* row) {
  size_t letters = 0;
  while (letters < ref.size() && ref[letters] >= 'A' && ref[letters] <= 'Z') ++letters;
  size_t digits = letters;
  while (digits < ref.size() && ref[digits] >= '0' && ref[digits] <= '9') ++digits;
  const std::string quoted = "单元格引用“" + std::string(ref) + "”";
  if (letters == 0 || digits == letters || digits != ref.size() || ref[letters] == '0') {
    return Status(StatusCode::kUndecodable, quoted + "无效（应为列字母加行号，如 C12）");
  }
  uint64_t col = 0;
  for (size_t i = 0; i < letters && col <= kMaxColumn; ++i)
    col = col * 26 + static_cast<uint64_t>(ref[i] - 'A' + 1);
  if (col > kMaxColumn) {
    return Status(StatusCode::kTooLarge,
                  quoted + "超出工作表的最大列 XFD（第 " + std::to_string(kMaxColumn) + " 列）");
  }
  uint64_t r = 0;
  for (size_t i = letters; i < digits && r <= kMaxRow; ++i)
    r = r * 10 + static_cast<uint64_t>(ref[i] - '0');
  if (r > kMaxRow) {
    return Status(StatusCode::kTooLarge,
                  quoted + "超出工作表的最大行数 " + std::to_string(kMaxRow));
  }
  *column = static_cast<uint32_t>(col - 1);
  *row = static_cast<uint32_t>(r);
  return Status::Ok();
}

// --- headers ---------------------------------------------------------------------

enum class Col {
  kNone,
  kSeq,
  kUnit,
  kTask,
  kDescription,
  kTarget,
  kDeadline,
  kProblemDeadline,
  kProgress,
  kStatus,
  kProblemStatus,
  kWarning,
  kYear,
  kSource,
  kProblemSource,
  kFoundDate,
  kMeasures,
  kVerifiedBy,
  kLeadUnit,
  kSupportUnits,
  kResponsiblePerson,
  kId,
  kCount,
};

struct HeaderName {
  const char* name;
  Col col;
};

constexpr HeaderName kHeaderNames[] = {
    {"序号", Col::kSeq},
    {"责任单位", Col::kUnit},
    {"工作任务", Col::kTask},
    {"任务", Col::kTask},
    {"重点任务", Col::kTask},
    {"工作事项", Col::kTask},
    {"问题描述", Col::kDescription},
    {"问题", Col::kDescription},
    {"存在问题", Col::kDescription},
    {"目标", Col::kTarget},
    {"目标任务", Col::kTarget},
    {"预期目标", Col::kTarget},
    {"完成时限", Col::kDeadline},
    {"时限", Col::kDeadline},
    {"完成时间", Col::kDeadline},
    {"整改时限", Col::kProblemDeadline},
    {"进展情况", Col::kProgress},
    {"工作进展", Col::kProgress},
    {"推进情况", Col::kProgress},
    {"整改进展", Col::kProgress},
    {"完成状态", Col::kStatus},
    {"状态", Col::kStatus},
    {"整改状态", Col::kProblemStatus},
    {"预警", Col::kWarning},
    {"年度", Col::kYear},
    {"来源", Col::kSource},
    {"问题来源", Col::kProblemSource},
    {"发现时间", Col::kFoundDate},
    {"整改措施", Col::kMeasures},
    {"销号人", Col::kVerifiedBy},
    {"牵头单位", Col::kLeadUnit},
    {"牵头部门", Col::kLeadUnit},
    {"配合单位", Col::kSupportUnits},
    {"配合部门", Col::kSupportUnits},
    {"协办单位", Col::kSupportUnits},
    {"责任人", Col::kResponsiblePerson},
    {"具体责任人", Col::kResponsiblePerson},
    {"编号", Col::kId},
    {"id", Col::kId},
};

// A header as written, white space and "required" stars removed:
// "完成\n时限" → "完成时限", "责任单位*" → "责任单位".
std::string HeaderText(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    char32_t cp = utf8::Next(text, &i);
    if (utf8::IsInlineSpace(cp) || cp == '\n' || cp == '\r' || cp == '*' || cp == 0xFF0A) continue;
    out.append(text.substr(start, i - start));
  }
  return out;
}

Col LookUpHeader(const std::string& header) {
  std::string key = header;
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (const HeaderName& h : kHeaderNames) {
      if (key == h.name) return h.col;
    }
    // "完成时限（年月日）" → "完成时限"
    size_t open = std::string::npos;
    if (key.size() > 3 && key.compare(key.size() - 3, 3, "）") == 0) open = key.rfind("（");
    if (!key.empty() && key.back() == ')') open = key.rfind('(');
    if (open == std::string::npos || open == 0) break;
    key.resize(open);
  }
  return Col::kNone;
}

// A group header over other headers ("完成情况", "基本信息").
bool IsGroupHeader(const std::string& header) {
  for (std::string_view end : {"情况", "信息"}) {
    if (header.size() > end.size() && header.compare(header.size() - end.size(), end.size(), end) == 0) return true;
  }
  return false;
}

// A row of header names (or group headers) only, at least one a column name.
bool IsHeaderLike(const SheetRow& row) {
  bool named = false;
  for (const Cell& cell : row.cells) {
    std::string header = HeaderText(cell.text);
    if (LookUpHeader(header) != Col::kNone) {
      named = true;
    } else if (!IsGroupHeader(header)) {
      return false;
    }
  }
  return named;
}

struct Header {
  bool problem = false;
  uint32_t last_row = 0;                        // the (last) header row
  std::map<uint32_t, std::string> text;         // column → header as written
  std::map<uint32_t, Col> role;                 // column → what it holds
  int column[static_cast<int>(Col::kCount)];    // what → first column, -1 none

  int At(Col c) const { return column[static_cast<int>(c)]; }
};

void AddHeaderCells(const SheetRow& row, bool override, Header* h) {
  for (const Cell& cell : row.cells) {
    if (!override && h->text.count(cell.column)) continue;
    std::string text = HeaderText(cell.text);
    Col col = LookUpHeader(text);
    if (override && col == Col::kNone) continue;
    h->text[cell.column] = text;
    h->role[cell.column] = col;
  }
}

// The header of a sheet: the first of its first rows naming 责任单位 and
// 工作任务 or 问题描述 (or a synonym), with the header rows above and below.
std::optional<Header> FindHeader(const std::vector<SheetRow>& rows) {
  for (size_t k = 0; k < rows.size() && k < static_cast<size_t>(kHeaderSearchRows); ++k) {
    Header h;
    AddHeaderCells(rows[k], false, &h);
    if (std::all_of(h.role.begin(), h.role.end(), [](const auto& r) { return r.second == Col::kNone; })) continue;
    h.last_row = rows[k].number;
    if (k > 0 && rows[k - 1].number + 1 == rows[k].number && IsHeaderLike(rows[k - 1])) {
      AddHeaderCells(rows[k - 1], false, &h);
    }
    if (k + 1 < rows.size() && rows[k + 1].number == rows[k].number + 1 && IsHeaderLike(rows[k + 1])) {
      AddHeaderCells(rows[k + 1], true, &h);
      h.last_row = rows[k + 1].number;
    }
    bool unit = false, task = false;
    for (const auto& [column, col] : h.role) {
      unit |= col == Col::kUnit;
      task |= col == Col::kTask || col == Col::kDescription;
    }
    if (!unit || !task) continue;
    std::fill(std::begin(h.column), std::end(h.column), -1);
    for (const auto& [column, col] : h.role) {  // ascending columns: the first wins
      int& at = h.column[static_cast<int>(col)];
      if (col != Col::kNone && at < 0) at = static_cast<int>(column);
    }
    h.problem = h.At(Col::kDescription) >= 0 || h.At(Col::kProblemDeadline) >= 0 || h.At(Col::kProblemStatus) >= 0;
    return h;
  }
  return std::nullopt;
}

// --- values ----------------------------------------------------------------------

std::optional<int64_t> PositiveInteger(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::optional<int> Year(std::string_view text) {
  if (text.size() > 3 && text.substr(text.size() - 3) == "年") text.remove_suffix(3);
  auto value = PositiveInteger(text);
  if (!value || *value < 1900 || *value > 2100) return std::nullopt;
  return static_cast<int>(*value);
}

bool IsDecimal(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  size_t digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    size_t frac = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++frac;
    if (frac == 0) return false;
  }
  return digits > 0 && i == text.size();
}

// 进展情况 as WriteLedgerXlsx writes it: "<date> <note>（完成值：<value>）",
// each part optional. Text in any other form is all note.
void ReadProgress(const std::string& text, LedgerItem* item) {
  std::string_view note = text;
  if (note.size() >= 10 && (note.size() == 10 || note[10] == ' ')) {
    std::string_view head = note.substr(0, 10);
    if (head[4] == '-' && head[7] == '-' && ParseFolded(head) == std::string(head)) {
      item->progress_date = std::string(head);
      note.remove_prefix(std::min<size_t>(note.size(), 11));
    }
  }
  constexpr std::string_view kOpen = "（完成值：";
  constexpr std::string_view kClose = "）";
  if (note.size() > kClose.size() && note.substr(note.size() - kClose.size()) == kClose) {
    size_t open = note.rfind(kOpen);
    if (open != std::string_view::npos) {
      std::string_view value = note.substr(open + kOpen.size(), note.size() - kClose.size() - open - kOpen.size());
      if (IsDecimal(value)) {
        item->progress_value = std::string(value);
        note = note.substr(0, open);
      }
    }
  }
  item->progress_note = std::string(note);
}

// 来源 as WriteLedgerXlsx writes it: "file:line", "file" or "手工录入".
void ReadSource(const std::string& text, LedgerItem* item) {
  if (text == "手工录入") return;
  size_t colon = text.rfind(':');
  if (colon != std::string::npos && colon > 0) {
    uint32_t line = 0;
    const char* first = text.data() + colon + 1;
    const char* last = text.data() + text.size();
    auto [end, ec] = std::from_chars(first, last, line);
    if (ec == std::errc() && end == last && first != last && line > 0) {
      item->source_file = text.substr(0, colon);
      item->source_line = line;
      return;
    }
  }
  item->source_file = text;
}

std::optional<Warning> ParseWarning(std::string_view text) {
  // "红灯（逾期）" as WriteLedgerXlsx writes an overdue item's warning.
  if (size_t open = text.find("（"); open != std::string_view::npos && open > 0) text = text.substr(0, open);
  if (text == "红灯" || text == "红" || text == "red") return Warning::kRed;
  if (text == "黄灯" || text == "黄" || text == "yellow") return Warning::kYellow;
  if (text == "绿灯" || text == "绿" || text == "green") return Warning::kGreen;
  return std::nullopt;
}

// Rows below a table that are no data: "注：…", "制表人：…".
bool IsNoteRow(const SheetRow& row, const Header& h) {
  for (Col key : {Col::kUnit, Col::kTask, Col::kDescription}) {
    if (h.At(key) >= 0 && row.Find(static_cast<uint32_t>(h.At(key))) != nullptr) return false;
  }
  if (row.cells.empty()) return false;
  std::string_view first = row.cells.front().text;
  for (std::string_view lead : {"注", "备注", "说明", "制表", "填表", "填报", "审核", "附"}) {
    if (first.substr(0, lead.size()) == lead) return true;
  }
  return false;
}

// --- the workbook ----------------------------------------------------------------

class WorkbookReader {
 public:
  WorkbookReader(const std::string& name, const ReadOptions& limits) : name_(name), limits_(limits) {}

  Result<XlsxLedger> Read(std::string_view bytes);

 private:
  Status Fail(StatusCode code, const std::string& what) const { return Status(code, name_ + "：" + what); }
  Status Parse(const std::string& path, pugi::xml_document* doc);
  Status Relationships(const std::string& part, std::map<std::string, std::pair<std::string, std::string>>* rels);
  Status ReadSharedStrings(const std::string& path);
  Status ReadRows(const std::string& path, std::vector<SheetRow>* rows,
                  std::vector<CellProblem>* problems);
  void ReadSheet(const std::string& sheet, const std::vector<SheetRow>& rows, const Header& header, XlsxLedger* out);

  const std::string& name_;
  const ReadOptions& limits_;
  std::unique_ptr<ZipArchive> zip_;
  std::vector<std::string> strings_;
  bool date1904_ = false;
};

Status WorkbookReader::Parse(const std::string& path, pugi::xml_document* doc) {
  Result<std::string> bytes = zip_->Read(path);
  if (!bytes.ok()) return bytes.status();
  pugi::xml_parse_result parsed = doc->load_buffer(bytes->data(), bytes->size(),
                                                   pugi::parse_default | pugi::parse_ws_pcdata_single,
                                                   pugi::encoding_utf8);
  if (!parsed) {
    return Fail(StatusCode::kUndecodable, "部件 " + path + " 的 XML 已损坏（第 " + std::to_string(parsed.offset) +
                                              " 字节：" + parsed.description() + "）。");
  }
  // pugixml parses without recursion but sets no bound on nesting; the
  // bound is checked here, by an iterative walk, before anything else walks
  // the tree.
  uint32_t depth = 1;
  pugi::xml_node node = doc->first_child();
  while (node) {
    if (node.type() == pugi::node_element && depth > limits_.max_xml_depth) {
      return Fail(StatusCode::kTooLarge, "部件 " + path + " 的 XML 嵌套超过 " + std::to_string(limits_.max_xml_depth) +
                                             " 层，未读取。");
    }
    if (pugi::xml_node child = node.first_child()) {
      node = child;
      ++depth;
      continue;
    }
    while (node && node != *doc && !node.next_sibling()) {
      node = node.parent();
      --depth;
    }
    if (!node || node == *doc) break;
    node = node.next_sibling();
  }
  return Status::Ok();
}

// Id → (type's last segment, resolved target) of `part`'s relationships;
// none when the part has no relationships part.
Status WorkbookReader::Relationships(const std::string& part,
                                     std::map<std::string, std::pair<std::string, std::string>>* rels) {
  size_t slash = part.rfind('/');
  std::string path = part.empty() ? "_rels/.rels"
                     : slash == std::string::npos
                         ? "_rels/" + part + ".rels"
                         : part.substr(0, slash + 1) + "_rels/" + part.substr(slash + 1) + ".rels";
  if (!zip_->Has(path)) return Status::Ok();
  pugi::xml_document doc;
  Status s = Parse(path, &doc);
  if (!s.ok()) return s;
  for (pugi::xml_node r = doc.document_element().first_child(); r; r = r.next_sibling()) {
    if (LocalName(r) != "Relationship") continue;
    if (std::string_view(r.attribute("TargetMode").value()) == "External") continue;
    std::string_view type = r.attribute("Type").value();
    size_t cut = type.rfind('/');
    std::string key(cut == std::string_view::npos ? type : type.substr(cut + 1));
    std::string target = ResolvePartPath(part, r.attribute("Target").value());
    if (target.empty()) continue;
    rels->emplace(r.attribute("Id").value(), std::make_pair(key, target));
  }
  return Status::Ok();
}

Status WorkbookReader::ReadSharedStrings(const std::string& path) {
  pugi::xml_document doc;
  Status s = Parse(path, &doc);
  if (!s.ok()) return s;
  for (pugi::xml_node si = doc.document_element().first_child(); si; si = si.next_sibling()) {
    if (si.type() == pugi::node_element && LocalName(si) == "si") strings_.push_back(StringItem(si));
  }
  return Status::Ok();
}

Status WorkbookReader::ReadRows(const std::string& path, std::vector<SheetRow>* rows,
                                std::vector<CellProblem>* problems) {
  pugi::xml_document doc;
  Status s = Parse(path, &doc);
  if (!s.ok()) return s;
  pugi::xml_node data = Child(doc.document_element(), "sheetData");
  uint32_t previous_row = 0;
  for (pugi::xml_node r = data.first_child(); r; r = r.next_sibling()) {
    if (r.type() != pugi::node_element || LocalName(r) != "row") continue;
    uint64_t number = uint64_t{previous_row} + 1;
    if (pugi::xml_attribute at = r.attribute("r")) {
      std::string_view text = at.value();
      uint64_t value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec == std::errc::result_out_of_range) value = uint64_t{kMaxRow} + 1;
      if ((ec != std::errc() && ec != std::errc::result_out_of_range) ||
          end != text.data() + text.size() || value == 0) {
        problems->push_back(
            {previous_row + 1, -1, "行号“" + std::string(text) + "”无效（应为正整数）"});
        continue;
      }
      number = value;
    }
    if (number > kMaxRow) {
      // The row is named by its own number, however far past the limit.
      const uint32_t shown = static_cast<uint32_t>(std::min<uint64_t>(number, UINT32_MAX));
      problems->push_back(
          {shown, -1, "行号超出工作表的最大行数 " + std::to_string(kMaxRow) + "，未读取"});
      continue;
    }
    previous_row = static_cast<uint32_t>(number);
    SheetRow row;
    row.number = previous_row;
    uint32_t next_column = 0;
    for (pugi::xml_node c = r.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element || LocalName(c) != "c") continue;
      uint32_t column = next_column, ref_row = row.number;
      if (pugi::xml_attribute ref = c.attribute("r")) {
        Status parsed = ParseReference(ref.value(), &column, &ref_row);
        if (!parsed.ok()) {
          problems->push_back({row.number, -1, parsed.message()});
          continue;
        }
        if (ref_row != row.number) {
          problems->push_back({row.number, -1,
                               std::string("单元格引用“") + ref.value() + "”不在它所在的第 " +
                                   std::to_string(row.number) + " 行"});
          continue;
        }
      } else if (column >= kMaxColumn) {
        problems->push_back(
            {row.number, -1,
             "有超出工作表最大列 XFD（第 " + std::to_string(kMaxColumn) + " 列）的单元格"});
        continue;
      }
      next_column = column + 1;
      std::string_view type = c.attribute("t").value();
      pugi::xml_node v = Child(c, "v");
      if (!v && type != "inlineStr" && Child(c, "f")) {
        // A workbook saved by a program that does not calculate: the
        // formula's result is nowhere in the file.
        problems->push_back({row.number, column,
                             "单元格 " + ColumnLetters(column) + std::to_string(row.number) +
                                 " 是公式，没有计算结果；请在 Excel 中打开并保存后再导入"});
        continue;
      }
      std::string_view value = v.child_value();
      Cell cell;
      cell.column = column;
      if (type == "s") {
        size_t index = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
        if (ec == std::errc() && end == value.data() + value.size() && index < strings_.size()) {
          cell.text = Trim(strings_[index]);
        }
      } else if (type == "inlineStr") {
        cell.text = Trim(StringItem(Child(c, "is")));
      } else if (type == "str" || type == "e" || type == "d") {
        cell.text = Trim(Unescape(value));
      } else if (type == "b") {
        if (!value.empty()) cell.text = value == "1" || value == "true" ? "TRUE" : "FALSE";
      } else {
        std::string text = Trim(value);
        double number = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (!text.empty() && ec == std::errc() && end == text.data() + text.size() && std::isfinite(number)) {
          cell.numeric = true;
          cell.number = number;
          cell.text = FormatNumber(number);
        } else {
          cell.text = text;
        }
      }
      if (cell.text.empty()) continue;
      row.cells.push_back(std::move(cell));
    }
    if (row.cells.empty()) continue;
    std::stable_sort(row.cells.begin(), row.cells.end(),
                     [](const Cell& a, const Cell& b) { return a.column < b.column; });
    // A column given twice: the first counts.
    row.cells.erase(std::unique(row.cells.begin(), row.cells.end(),
                                [](const Cell& a, const Cell& b) { return a.column == b.column; }),
                    row.cells.end());
    rows->push_back(std::move(row));
  }
  std::stable_sort(rows->begin(), rows->end(), [](const SheetRow& a, const SheetRow& b) { return a.number < b.number; });
  return Status::Ok();
}

void WorkbookReader::ReadSheet(const std::string& sheet, const std::vector<SheetRow>& rows, const Header& h,
                               XlsxLedger* out) {
  const ItemKind kind = h.problem ? ItemKind::kProblem : ItemKind::kPlan;
  const Col task_col = h.problem && h.At(Col::kDescription) >= 0 ? Col::kDescription : Col::kTask;
  const Col deadline_col = h.At(Col::kDeadline) >= 0 ? Col::kDeadline : Col::kProblemDeadline;
  const Col status_col = h.At(Col::kStatus) >= 0 ? Col::kStatus : Col::kProblemStatus;
  const Col source_col = !h.problem ? Col::kSource : h.At(Col::kProblemSource) >= 0 ? Col::kProblemSource : Col::kSource;

  for (const SheetRow& row : rows) {
    if (row.number <= h.last_row) continue;
    auto cell = [&](Col c) -> const Cell* {
      return h.At(c) < 0 ? nullptr : row.Find(static_cast<uint32_t>(h.At(c)));
    };
    auto text = [&](Col c) -> std::string {
      const Cell* found = cell(c);
      return found ? found->text : std::string();
    };
    auto header = [&](Col c) -> std::string {
      return h.At(c) < 0 ? std::string() : h.text.at(static_cast<uint32_t>(h.At(c)));
    };
    // Empty rows, and rows holding nothing but their 序号.
    bool content = false;
    for (const Cell& c : row.cells) content |= static_cast<int>(c.column) != h.At(Col::kSeq);
    if (!content || IsNoteRow(row, h)) continue;

    std::vector<std::pair<int, XlsxRowError>> errors;  // by column, for the order of the sheet
    auto error = [&](Col c, std::string message) {
      errors.push_back({h.At(c), {sheet, row.number, header(c), std::move(message)}});
    };
    LedgerItem item;
    item.kind = kind;
    item.unit = text(Col::kUnit);
    if (item.unit.empty()) error(Col::kUnit, header(Col::kUnit) + "为空");
    item.task = text(task_col);
    if (item.task.empty()) error(task_col, header(task_col) + "为空");
    item.target_text = text(Col::kTarget);

    int year = 0;
    if (std::string y = text(Col::kYear); !y.empty()) {
      if (auto parsed = Year(y)) {
        year = *parsed;
      } else {
        error(Col::kYear, header(Col::kYear) + "“" + y + "”不是 1900—2100 之间的年份");
      }
    }
    if (std::string id = text(Col::kId); !id.empty()) {
      if (auto parsed = PositiveInteger(id)) {
        item.id = *parsed;
      } else {
        error(Col::kId, header(Col::kId) + "“" + id + "”不是正整数");
      }
    }
    auto date = [&](Col c, std::string* to) {
      const Cell* found = cell(c);
      if (found == nullptr) return;
      std::optional<std::string> parsed;
      if (found->numeric) {
        parsed = ExcelSerialDate(found->number, date1904_);
      } else {
        parsed = ParseLedgerDate(found->text, year);
        std::string bare = StripDeadlineSuffix(FoldDate(found->text));
        if (!parsed && year == 0 && (bare == "年底" || bare == "年末")) {
          error(c, header(c) + "“" + found->text + "”没有年度，无法确定日期");
          return;
        }
      }
      if (parsed) {
        *to = *parsed;
      } else {
        error(c, header(c) + "“" + found->text + "”不是有效日期");
      }
    };
    date(deadline_col, &item.deadline);
    if (h.problem) date(Col::kFoundDate, &item.found_date);

    std::string status = text(status_col);
    // No status, or the shown 逾期 (computed, never stored): an existing item
    // keeps its stored status, a new one starts as 未启动 / 整改中.
    bool status_shown_only = false;
    if (status.empty()) {
      item.status = h.problem ? ItemStatus::kRectifying : ItemStatus::kNotStarted;
      status_shown_only = true;
    } else if (status == "逾期" || status == "已逾期") {
      item.status = h.problem ? ItemStatus::kRectifying : ItemStatus::kNotStarted;
      item.overdue = true;
      status_shown_only = true;
    } else if (auto parsed = ParseItemStatus(status); parsed && StatusFitsKind(*parsed, kind)) {
      item.status = *parsed;
    } else {
      // A plan status on a problem (or the reverse) is refused, not
      // translated: 已完成 is no submitted rectification.
      const std::string expected = h.problem ? "整改中、待销号、已销号、已取消或逾期"
                                             : "未启动、推进中、已完成、已取消或逾期";
      error(status_col, header(status_col) + "“" + status + "”" +
                            (parsed ? std::string(h.problem ? "是工作任务的状态，不适用于问题"
                                                            : "是问题的状态，不适用于工作任务")
                                    : std::string("无法识别")) +
                            "（应为" + expected + "）");
    }
    if (auto warning = ParseWarning(text(Col::kWarning))) item.warning = *warning;
    if (text(Col::kWarning).find("逾期") != std::string::npos) item.overdue = true;

    if (std::string progress = text(Col::kProgress); !progress.empty()) ReadProgress(progress, &item);
    if (h.problem) {
      item.problem_source = text(source_col);
      item.measures = text(Col::kMeasures);
      item.verified_by = text(Col::kVerifiedBy);
    } else if (std::string source = text(Col::kSource); !source.empty()) {
      ReadSource(source, &item);
    }

    item.lead_unit = text(Col::kLeadUnit);
    item.support_units = ParseUnitList(text(Col::kSupportUnits));
    item.responsible_person = text(Col::kResponsiblePerson);

    if (!errors.empty()) {
      std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& e : errors) out->errors.push_back(std::move(e.second));
      continue;
    }
    item.year = year;
    const std::string& dated = h.problem && !item.found_date.empty() ? item.found_date : item.deadline;
    if (item.year == 0 && !dated.empty()) item.year = std::stoi(dated.substr(0, 4));
    out->items.push_back(std::move(item));
    out->rows.push_back(row.number);
    out->item_sheets.push_back(sheet);
    out->status_shown_only.push_back(status_shown_only);
    out->assignment_columns.push_back({h.At(Col::kLeadUnit) >= 0, h.At(Col::kSupportUnits) >= 0,
                                       h.At(Col::kResponsiblePerson) >= 0});
    out->status_headers.push_back(header(status_col));
  }
}

Result<XlsxLedger> WorkbookReader::Read(std::string_view bytes) {
  if (bytes.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
    return Fail(StatusCode::kUndecodable, "这是旧版 Excel（.xls）或其他 OLE 文件，请先在 Excel 或 WPS 中另存为 .xlsx。");
  }
  if (bytes.substr(0, 2) != "PK") return Fail(StatusCode::kUndecodable, "不是 Excel 工作簿（.xlsx 文件应为 zip 压缩包）。");
  ZipLimits limits;
  limits.max_entries = limits_.max_zip_entries;
  limits.max_part_bytes = limits_.max_part_bytes;
  limits.max_total_bytes = limits_.max_unzipped_bytes;
  limits.max_ratio = limits_.max_compression_ratio;
  auto zip = ZipArchive::Open(name_, bytes, limits);
  if (!zip.ok()) {
    // The archive's own message speaks of Word documents.
    std::string message = zip.status().message();
    const std::string word = "Word 文档";
    if (size_t at = message.find(word); at != std::string::npos) message.replace(at, word.size(), "Excel 工作簿");
    return Status(zip.status().code(), message);
  }
  zip_ = std::move(zip).value();

  std::map<std::string, std::pair<std::string, std::string>> package;
  Status s = Relationships("", &package);
  if (!s.ok()) return s;
  std::string workbook_part = "xl/workbook.xml";
  for (const auto& [id, rel] : package) {
    if (rel.first == "officeDocument" && zip_->Has(rel.second)) workbook_part = rel.second;
  }
  auto not_a_workbook = [&]() {
    if (zip_->Has("word/document.xml")) return Fail(StatusCode::kUndecodable, "这是 Word 文档，不是 Excel 工作簿。");
    if (zip_->Has("ppt/presentation.xml")) {
      return Fail(StatusCode::kUndecodable, "这是 PowerPoint 演示文稿，不是 Excel 工作簿。");
    }
    return Fail(StatusCode::kUndecodable, "不是 Excel 工作簿（压缩包中没有 xl/workbook.xml）。");
  };
  if (!zip_->Has(workbook_part)) return not_a_workbook();
  pugi::xml_document workbook;
  s = Parse(workbook_part, &workbook);
  if (!s.ok()) return s;
  if (LocalName(workbook.document_element()) != "workbook") return not_a_workbook();
  std::map<std::string, std::pair<std::string, std::string>> rels;
  s = Relationships(workbook_part, &rels);
  if (!s.ok()) return s;

  const pugi::xml_node root = workbook.document_element();
  std::string_view date1904 = Child(root, "workbookPr").attribute("date1904").value();
  date1904_ = date1904 == "1" || date1904 == "true";

  std::string shared = "";
  for (const auto& [id, rel] : rels) {
    if (rel.first == "sharedStrings") shared = rel.second;
  }
  if (shared.empty() && zip_->Has("xl/sharedStrings.xml")) shared = "xl/sharedStrings.xml";
  if (!shared.empty() && zip_->Has(shared)) {
    s = ReadSharedStrings(shared);
    if (!s.ok()) return s;
  }

  XlsxLedger ledger;
  int sheets = 0;
  for (pugi::xml_node sheet = Child(root, "sheets").first_child(); sheet; sheet = sheet.next_sibling()) {
    if (sheet.type() != pugi::node_element || LocalName(sheet) != "sheet") continue;
    ++sheets;
    // r:id, with whatever prefix the relationships namespace has.
    std::string id;
    for (pugi::xml_attribute a : sheet.attributes()) {
      std::string_view name = a.name();
      if (name.size() > 3 && name.substr(name.size() - 3) == ":id") id = a.value();
    }
    auto rel = rels.find(id);
    if (rel == rels.end() || rel->second.first != "worksheet" || !zip_->Has(rel->second.second)) continue;
    std::vector<SheetRow> rows;
    std::vector<CellProblem> problems;
    s = ReadRows(rel->second.second, &rows, &problems);
    if (!s.ok()) return s;
    std::optional<Header> header = FindHeader(rows);
    if (!header) continue;
    std::string name = sheet.attribute("name").value();
    ledger.sheets.push_back(name);
    for (CellProblem& p : problems) {
      auto text =
          p.column < 0 ? header->text.end() : header->text.find(static_cast<uint32_t>(p.column));
      ledger.errors.push_back({name, p.row,
                               text == header->text.end() ? std::string() : text->second,
                               std::move(p.message)});
    }
    ReadSheet(name, rows, *header, &ledger);
  }
  if (ledger.sheets.empty()) {
    if (sheets == 0) return Fail(StatusCode::kUndecodable, "工作簿中没有工作表。");
    return Fail(StatusCode::kUndecodable,
                "工作簿中找不到台账表头（前 10 行中应有一行含“责任单位”和“工作任务”或“问题描述”等列名）。");
  }
  return ledger;
}

}  // namespace

std::optional<std::string> ParseLedgerDate(std::string_view text, int year) {
  std::string s = StripDeadlineSuffix(FoldDate(text));
  if (s == "年底" || s == "年末") {
    return year == 0 ? std::nullopt : FormatDate(year, 12, 31);
  }
  return ParseFolded(s);
}

std::optional<std::string> ExcelSerialDate(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial > 2958466) return std::nullopt;
  int64_t day = static_cast<int64_t>(std::floor(serial));
  int64_t z;
  if (date1904) {
    z = DaysFromCivil(1904, 1, 1) + day;
  } else {
    // Excel's 1900 system counts 1900-02-29, which never was (serial 60).
    if (day == 0 || day == 60) return std::nullopt;
    z = day < 60 ? DaysFromCivil(1899, 12, 31) + day : DaysFromCivil(1899, 12, 30) + day;
  }
  const calendar::CivilDay day_of = calendar::CivilFromDays(z);
  return FormatDate(day_of.year, day_of.month, day_of.day);
}

Result<XlsxLedger> ReadLedgerXlsxBytes(const std::string& name, std::string_view bytes, const ReadOptions& limits) {
  WorkbookReader reader(name, limits);
  return reader.Read(bytes);
}

}  // namespace ledger_internal

namespace {

}  // namespace

Result<XlsxLedger> ReadLedgerXlsx(const std::string& path, const ReadOptions& limits) {
  std::string bytes;
  Status status = ReadFileBytes(path, limits, &bytes);
  if (!status.ok()) return status;
  if (bytes.empty()) return Status(StatusCode::kEmpty, path + "：文件为空。");
  return ledger_internal::ReadLedgerXlsxBytes(path, bytes, limits);
}

Result<XlsxLedger> ReadLedgerXlsxBytes(const std::string& name, std::string_view bytes, const ReadOptions& limits) {
  if (bytes.size() > limits.max_bytes) return Status(StatusCode::kTooLarge, name + "：文件超过上限。");
  if (bytes.empty()) return Status(StatusCode::kEmpty, name + "：文件为空。");
  return ledger_internal::ReadLedgerXlsxBytes(name, bytes, limits);
}

}  // namespace taizhang
