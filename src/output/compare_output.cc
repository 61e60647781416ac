// Plan-versus-result comparisons and across-unit tables: terminal text,
// JSON (schema_version 1), one HTML page and an Excel sheet.
#include <fmt/format.h>
#include <xlsxwriter.h>

#include <map>
#include <optional>
#include <nlohmann/json.hpp>

#include "common/xlsx_file.h"
#include "output/json_util.h"
#include "output/compare_output.h"
#include "output/text_util.h"

namespace taizhang {

namespace {

using nlohmann::json;
using output_internal::Cell;
using output_internal::Dump;
using output_internal::HtmlEscape;

std::string FigureText(const Figure& f) {
  std::string out = f.value.ToString();
  if (f.high) {
    out += '-';
    out += f.high->ToString();
  }
  return out;
}

json FigureJson(const std::optional<Figure>& f) {
  if (!f) return nullptr;
  return {{"value", f->value.ToString()},
          {"high", f->high ? json(f->high->ToString()) : json(nullptr)},
          {"unit", f->unit},
          {"approx", ApproximationName(f->approx)},
          {"change", ChangeName(f->change)}};
}

// The target as written; an item setting several figures (新创省级健康镇1个、
// 国家级卫生镇1个 …) is named by the figure's own subject.
std::string TargetLabel(const Comparison& c, const Target& t) {
  if (t.kind == TargetKind::kNumeric) {
    int same = 0;
    for (const TargetOutcome& o : c.outcomes) same += o.target.text == t.text;
    if (same > 1) return t.subject + " " + t.figure_text;
  }
  return t.text;
}

// The result as a short cell: the figure, or the deciding word.
std::string ResultCell(const TargetOutcome& o) {
  if (o.evidence.empty()) return "";
  if (o.target.kind == TargetKind::kInStep) {
    std::string out;
    for (const Evidence& e : o.evidence) out += (out.empty() ? "" : " / ") + e.figure_text;
    return out;
  }
  const Evidence& e = o.evidence.front();
  bool judged_on_figure = o.verdict == Verdict::kMet || o.verdict == Verdict::kExceeded ||
                          o.verdict == Verdict::kMissed || o.verdict == Verdict::kUnclear;
  if (!e.figure_text.empty() && judged_on_figure) return e.figure_text;
  if (!e.cue.empty()) return "“" + e.cue + "”";
  return "";
}

std::string Where(const std::string& path, uint32_t line, uint32_t column) {
  if (line == 0) return path;
  return fmt::format("{}:{}:{}", path, line, column);
}

// A long sentence cut to the part around its evidence: up to 40 characters
// before the figure (or the phrase) and 30 after, with … where cut.
std::string Excerpt(const Evidence& e) {
  std::string_view s = e.sentence;
  size_t at = std::string_view::npos;
  if (!e.phrase.empty()) at = s.find(e.phrase);
  if (at != std::string_view::npos && !e.figure_text.empty()) {
    size_t fig = s.find(e.figure_text, at);
    if (fig != std::string_view::npos) at = fig;
  } else if (at == std::string_view::npos && !e.figure_text.empty()) {
    at = s.find(e.figure_text);
  }
  if (at == std::string_view::npos || utf8::CountCodePoints(s) <= 80) return std::string(s);
  size_t begin = at;
  for (int i = 0; i < 40 && begin > 0; ++i) utf8::Prev(s, &begin);
  size_t end = at;
  for (int i = 0; i < 30 && end < s.size(); ++i) utf8::Next(s, &end);
  return (begin > 0 ? "…" : "") + std::string(s.substr(begin, end - begin)) + (end < s.size() ? "…" : "");
}

// Where a target was set: its place in the plan file, or its ledger number.
std::string PlanWhere(const std::string& path, const Target& t) {
  if (t.source == TargetSource::kLedgerItem) return fmt::format("{} 台账编号 {}", path, t.ledger_id);
  return Where(path, t.line, t.column);
}

std::string CountsText(const Comparison& c) {
  std::string out;
  for (Verdict v : {Verdict::kExceeded, Verdict::kMet, Verdict::kMissed, Verdict::kNotReported, Verdict::kDone,
                    Verdict::kInProgress, Verdict::kNotMentioned, Verdict::kUnclear}) {
    int n = 0;
    for (const TargetOutcome& o : c.outcomes) n += o.verdict == v;
    if (n) out += fmt::format("{}{} {}", out.empty() ? "" : "，", VerdictLabel(v), n);
  }
  return out.empty() ? "没有目标" : out;
}

std::string ToleranceText(const Tolerance& t) {
  return fmt::format("“左右”容差：百分比 ±{} 个百分点，其他 ±{}%", t.about_points.ToString(),
                     t.about_relative.Shifted(2).ToString());
}

}  // namespace

std::string RenderCompareText(const std::vector<ComparedPair>& pairs) {
  std::string out;
  for (const ComparedPair& p : pairs) {
    const Comparison& c = *p.comparison;
    if (!out.empty()) out += "\n";
    out += fmt::format("对标对表：{}（{}）\n      对照：{}（{}）\n", p.plan_title, p.plan_path, p.result_title,
                       p.result_path);
    out += fmt::format("单位：{}    目标年度：{}    {}\n\n", p.unit.empty() ? "—" : p.unit, c.year,
                       ToleranceText(p.tolerance));
    out += Cell("序号", 4) + " " + Cell("目标", 40) + " " + Cell("目标数字", 12) + " " + Cell("结果", 14) + " 判定\n";
    for (size_t i = 0; i < c.outcomes.size(); ++i) {
      const TargetOutcome& o = c.outcomes[i];
      out += Cell(std::to_string(i + 1), 4) + " " + Cell(TargetLabel(c, o.target), 40) + " " +
             Cell(o.target.figure_text, 12) + " " + Cell(ResultCell(o), 14) + " " + VerdictLabel(o.verdict) + "\n";
    }
    out += "\n";
    for (size_t i = 0; i < c.outcomes.size(); ++i) {
      const TargetOutcome& o = c.outcomes[i];
      out += fmt::format("{}. {}（{}）\n", i + 1, TargetLabel(c, o.target), PlanWhere(p.plan_path, o.target));
      out += fmt::format("   判定：{}。{}\n", VerdictLabel(o.verdict), o.reason);
      for (const Evidence& e : o.evidence) {
        out += fmt::format("   依据：{} “{}”", Where(p.result_path, e.line, e.column), Excerpt(e));
        std::string tail;
        if (!e.phrase.empty()) tail += "相关文字“" + e.phrase + "”";
        if (!e.figure_text.empty()) tail += (tail.empty() ? "" : "，") + std::string("数字 ") + e.figure_text;
        if (!e.cue.empty()) tail += (tail.empty() ? "" : "，") + std::string("表述“") + e.cue + "”";
        tail += fmt::format("{}吻合度 {:.2f}", tail.empty() ? "" : "，", e.score);
        if (!e.note.empty()) tail += "；" + e.note;
        out += "（" + tail + "）\n";
      }
    }
    out += "\n合计：" + CountsText(c) + "\n";
  }
  return out;
}

std::string RenderCompareJson(const std::vector<ComparedPair>& pairs) {
  json j = {{"schema_version", kCompareSchemaVersion}, {"command", "compare"}, {"tool", "taizhang"}};
  json list = json::array();
  for (const ComparedPair& p : pairs) {
    const Comparison& c = *p.comparison;
    json items = json::array();
    for (const TargetOutcome& o : c.outcomes) {
      const Target& t = o.target;
      json evidence = json::array();
      for (const Evidence& e : o.evidence) {
        evidence.push_back({{"line", e.line}, {"column", e.column}, {"sentence", e.sentence},
                            {"phrase", e.phrase}, {"figure_text", e.figure_text}, {"figure", FigureJson(e.figure)},
                            {"score", std::round(e.score * 1000) / 1000}, {"cue", e.cue}, {"note", e.note}});
      }
      items.push_back(
          {{"target",
            {{"source", TargetSourceName(t.source)},
             {"kind", t.kind == TargetKind::kNumeric ? "numeric" : t.kind == TargetKind::kInStep ? "in_step" : "task"},
             {"text", t.text}, {"subject", t.subject}, {"subject_b", t.subject_b},
             {"figure_text", t.figure_text}, {"figure", FigureJson(t.figure)}, {"placeholder", t.placeholder},
             {"direction", DirectionName(t.direction)}, {"deadline", t.deadline.empty() ? json(nullptr) : json(t.deadline)},
             {"line", t.line}, {"column", t.column},
             {"ledger_id", t.ledger_id ? json(t.ledger_id) : json(nullptr)}}},
           {"verdict", VerdictName(o.verdict)}, {"verdict_label", VerdictLabel(o.verdict)},
           {"reason", o.reason}, {"evidence", evidence}});
    }
    json counts = json::object();
    for (const TargetOutcome& o : c.outcomes) counts[VerdictName(o.verdict)] = counts.value(VerdictName(o.verdict), 0) + 1;
    list.push_back({{"plan", {{"path", p.plan_path}, {"title", p.plan_title}}},
                    {"result", {{"path", p.result_path}, {"title", p.result_title}}},
                    {"unit", p.unit}, {"year", c.year},
                    {"tolerance", {{"about_points", p.tolerance.about_points.ToString()},
                                   {"about_relative", p.tolerance.about_relative.ToString()}}},
                    {"items", items}, {"counts", counts}});
  }
  j["pairs"] = list;
  return Dump(j) + "\n";
}

namespace {

const char* VerdictColour(Verdict v) {
  switch (v) {
    case Verdict::kExceeded: case Verdict::kMet: case Verdict::kDone: return "#c8ecc8";
    case Verdict::kMissed: return "#f8c0c0";
    case Verdict::kInProgress: case Verdict::kUnclear: return "#fbe7a1";
    case Verdict::kNotReported: case Verdict::kNotMentioned: return "#e0e0e0";
  }
  return "#ffffff";
}

const char* kHtmlHead =
    "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title>\n"
    "<style>body{{font-family:sans-serif;margin:2em;line-height:1.6}}table{{border-collapse:collapse}}"
    "td,th{{border:1px solid #bbb;padding:.3em .5em;vertical-align:top}}th{{background:#eee}}"
    "td.ev{{font-size:90%;max-width:40em}}.loc{{color:#666;font-size:85%}}</style></head><body>\n<h1>{}</h1>\n";

}  // namespace

std::string RenderCompareHtml(const std::vector<ComparedPair>& pairs) {
  std::string out = fmt::format(fmt::runtime(kHtmlHead), "taizhang 对标对表", "taizhang 对标对表");
  for (const ComparedPair& p : pairs) {
    const Comparison& c = *p.comparison;
    out += fmt::format("<h2>{} → {}</h2>\n<p>单位：{}；目标年度：{}；{}</p>\n", HtmlEscape(p.plan_title),
                       HtmlEscape(p.result_title), HtmlEscape(p.unit), c.year, HtmlEscape(ToleranceText(p.tolerance)));
    out += "<table><tr><th>序号</th><th>目标</th><th>目标数字</th><th>结果</th><th>判定</th><th>理由</th><th>依据</th></tr>\n";
    for (size_t i = 0; i < c.outcomes.size(); ++i) {
      const TargetOutcome& o = c.outcomes[i];
      std::string evidence;
      for (const Evidence& e : o.evidence) {
        evidence += fmt::format("<div>{}<br><span class=\"loc\">{}</span></div>", HtmlEscape(e.sentence),
                                HtmlEscape(Where(p.result_path, e.line, e.column)));
      }
      out += fmt::format(
          "<tr><td>{}</td><td>{}<br><span class=\"loc\">{}</span></td><td>{}</td><td>{}</td>"
          "<td style=\"background:{}\">{}</td><td>{}</td><td class=\"ev\">{}</td></tr>\n",
          i + 1, HtmlEscape(TargetLabel(c, o.target)), HtmlEscape(PlanWhere(p.plan_path, o.target)),
          HtmlEscape(o.target.figure_text), HtmlEscape(ResultCell(o)), VerdictColour(o.verdict),
          VerdictLabel(o.verdict), HtmlEscape(o.reason), evidence);
    }
    out += "</table>\n<p>合计：" + HtmlEscape(CountsText(c)) + "</p>\n";
  }
  out += "</body></html>\n";
  return out;
}

namespace {

constexpr size_t kExcelMaxBytes = 32767 * 3;  // cells hold 32767 characters

std::string CellSafe(std::string s) {
  if (s.size() > kExcelMaxBytes) {
    size_t cut = kExcelMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
  }
  return s;
}

// A figure as a cell number: its value with the sign of its change (下降3.3%
// → −3.3) and its unit for the cell's format.
struct CellNumber {
  double value = 0;
  std::string unit;
};

// Single figures only: ranges (5-5.5%) and placeholders stay text.
std::optional<CellNumber> NumberOf(const std::optional<Figure>& figure) {
  if (!figure || figure->high) return std::nullopt;
  double value = std::stod(figure->value.ToString());
  if (figure->change == Change::kDecrease && value > 0) value = -value;
  return CellNumber{value, figure->unit};
}

// 目标数字 (column 4) and 结果 (column 5) of a compare row as numbers, where
// they are figures.
std::map<size_t, CellNumber> OutcomeNumbers(const TargetOutcome& o, const std::string& result_text) {
  std::map<size_t, CellNumber> numbers;
  if (o.target.kind == TargetKind::kNumeric && !o.target.placeholder && !o.target.figure_text.empty()) {
    if (auto n = NumberOf(o.target.figure)) numbers[4] = *n;
  }
  if (o.target.kind != TargetKind::kInStep && !o.evidence.empty() && !result_text.empty() &&
      result_text == o.evidence.front().figure_text) {
    if (auto n = NumberOf(o.evidence.front().figure)) numbers[5] = *n;
  }
  return numbers;
}

// A sheet with a title row, a header row, frozen panes, widths and a filter.
class TableSheet {
 public:
  TableSheet(lxw_workbook* wb, const std::string& name, const std::string& title,
             const std::vector<std::pair<std::string, double>>& columns)
      : wb_(wb), ws_(workbook_add_worksheet(wb, name.c_str())), columns_(columns.size()) {
    title_ = workbook_add_format(wb);
    format_set_bold(title_);
    format_set_font_size(title_, 14);
    header_ = workbook_add_format(wb);
    format_set_bold(header_);
    format_set_bg_color(header_, 0xDDDDDD);
    format_set_border(header_, LXW_BORDER_THIN);
    format_set_text_wrap(header_);
    cell_ = workbook_add_format(wb);
    format_set_border(cell_, LXW_BORDER_THIN);
    format_set_text_wrap(cell_);
    format_set_align(cell_, LXW_ALIGN_VERTICAL_TOP);
    Check(worksheet_merge_range(ws_, 0, 0, 0, static_cast<lxw_col_t>(columns.size() - 1), CellSafe(title).c_str(), title_));
    for (size_t i = 0; i < columns.size(); ++i) {
      Check(worksheet_write_string(ws_, 1, static_cast<lxw_col_t>(i), columns[i].first.c_str(), header_));
      Check(worksheet_set_column(ws_, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i), columns[i].second, nullptr));
    }
    worksheet_freeze_panes(ws_, 2, 0);
  }
  // A number shown with its unit ("5%", "-3.3%", "1200亿元"), right-aligned.
  lxw_format* NumberFormat(const std::string& unit) {
    auto it = number_formats_.find(unit);
    if (it != number_formats_.end()) return it->second;
    lxw_format* f = workbook_add_format(wb_);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    std::string quoted;
    for (char c : unit) {
      if (c != '"') quoted += c;
    }
    format_set_num_format(f, quoted.empty() ? "General" : ("General\"" + quoted + "\"").c_str());
    number_formats_[unit] = f;
    return f;
  }
  lxw_format* Fill(uint32_t rgb) {
    auto it = fills_.find(rgb);
    if (it != fills_.end()) return it->second;
    lxw_format* f = workbook_add_format(wb_);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(f, rgb);
    fills_[rgb] = f;
    return f;
  }
  // `numbers` (column → number) are written as numeric cells in place of
  // their text.
  void Row(const std::vector<std::string>& cells, lxw_format* special = nullptr, size_t special_column = 0,
           const std::map<size_t, CellNumber>& numbers = {}) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (auto number = numbers.find(i); number != numbers.end()) {
        Check(worksheet_write_number(ws_, row_, static_cast<lxw_col_t>(i), number->second.value,
                                     NumberFormat(number->second.unit)));
        continue;
      }
      Check(worksheet_write_string(ws_, row_, static_cast<lxw_col_t>(i), CellSafe(cells[i]).c_str(),
                                   special && i == special_column ? special : cell_));
    }
    ++row_;
  }
  Status Finish() {
    if (row_ > 2) Check(worksheet_autofilter(ws_, 1, 0, row_ - 1, static_cast<lxw_col_t>(columns_ - 1)));
    worksheet_set_landscape(ws_);
    worksheet_set_paper(ws_, 9);
    worksheet_fit_to_pages(ws_, 1, 0);
    Check(worksheet_repeat_rows(ws_, 1, 1));
    return error_;
  }

 private:
  void Check(lxw_error e) {
    if (e != LXW_NO_ERROR && error_.ok()) error_ = Status(StatusCode::kInternal, std::string("写入 Excel 失败：") + lxw_strerror(e));
  }
  lxw_workbook* wb_;
  lxw_worksheet* ws_;
  size_t columns_;
  lxw_format* title_;
  lxw_format* header_;
  lxw_format* cell_;
  std::map<uint32_t, lxw_format*> fills_;
  std::map<std::string, lxw_format*> number_formats_;
  lxw_row_t row_ = 2;
  Status error_;
};

uint32_t Rgb(const char* hex) { return static_cast<uint32_t>(std::stoul(hex + 1, nullptr, 16)); }

}  // namespace

Status WriteCompareXlsx(const std::vector<ComparedPair>& pairs, const std::string& path) {
  std::string title = "对标对表";
  if (pairs.size() == 1) title += "：" + pairs[0].plan_title + " → " + pairs[0].result_title;
  return WriteXlsxFile(path, title, [&](lxw_workbook* wb) {
    TableSheet sheet(wb, "对标对表", title,
                     {{"序号", 6}, {"单位", 14}, {"目标年度", 8}, {"目标", 40}, {"目标数字", 12}, {"结果", 14},
                      {"判定", 10}, {"理由", 40}, {"依据", 60}, {"计划位置", 24}, {"结果位置", 24}});
    int seq = 0;
    for (const ComparedPair& p : pairs) {
      const Comparison& c = *p.comparison;
      for (const TargetOutcome& o : c.outcomes) {
        std::string evidence, where;
        for (const Evidence& e : o.evidence) {
          if (!evidence.empty()) evidence += '\n';
          evidence += e.sentence;
          if (!where.empty()) where += '\n';
          where += Where(p.result_path, e.line, e.column);
        }
        const std::string result = ResultCell(o);
        sheet.Row({std::to_string(++seq), p.unit, std::to_string(p.comparison->year), TargetLabel(c, o.target),
                   o.target.figure_text, result, VerdictLabel(o.verdict), o.reason, evidence,
                   PlanWhere(p.plan_path, o.target), where},
                  sheet.Fill(Rgb(VerdictColour(o.verdict))), 6, OutcomeNumbers(o, result));
      }
    }
    Status s = sheet.Finish();
    if (!s.ok()) return Status(s.code(), path + "：" + s.message());
    return s;
  });
}

// --- Across units ----------------------------------------------------------------

std::string RenderAcrossText(std::string_view term, const std::vector<AcrossFile>& files) {
  std::string out = fmt::format("各单位“{}”一览\n\n", term);
  out += Cell("单位", 24) + " " + Cell("数字", 14) + " " + Cell("所指", 30) + " " + Cell("时间", 23) + " 位置\n";
  size_t n = 0;
  for (const AcrossFile& f : files) {
    for (const AcrossRow& r : f.rows) {
      out += Cell(r.unit.empty() ? "（第" + std::to_string(r.report + 1) + "篇）" : r.unit, 24) + " " +
             Cell(r.figure_text, 14) + " " + Cell(r.phrase, 30) + " " + Cell(r.period, 23) + " " +
             Where(f.path, r.line, r.column) + "\n";
      ++n;
    }
  }
  out += fmt::format("\n共 {} 处\n", n);
  return out;
}

std::string RenderAcrossJson(std::string_view term, const std::vector<AcrossFile>& files) {
  json rows = json::array();
  for (const AcrossFile& f : files) {
    for (const AcrossRow& r : f.rows) {
      rows.push_back({{"path", f.path}, {"report", r.report + 1}, {"unit", r.unit}, {"title", r.title},
                      {"phrase", r.phrase}, {"figure_text", r.figure_text},
                      {"figure", r.placeholder ? json(nullptr) : FigureJson(r.figure)},
                      {"placeholder", r.placeholder}, {"period", r.period}, {"line", r.line},
                      {"column", r.column}, {"sentence", r.sentence}, {"score", std::round(r.score * 1000) / 1000}});
    }
  }
  json j = {{"schema_version", kCompareSchemaVersion}, {"command", "compare"}, {"tool", "taizhang"},
            {"across", std::string(term)}, {"rows", rows}};
  return Dump(j) + "\n";
}

std::string RenderAcrossHtml(std::string_view term, const std::vector<AcrossFile>& files) {
  std::string heading = fmt::format("各单位“{}”一览", term);
  std::string out = fmt::format(fmt::runtime(kHtmlHead), HtmlEscape(heading), HtmlEscape(heading));
  out += "<table><tr><th>单位</th><th>数字</th><th>所指</th><th>时间</th><th>原句</th><th>位置</th></tr>\n";
  for (const AcrossFile& f : files) {
    for (const AcrossRow& r : f.rows) {
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"ev\">{}</td><td class=\"loc\">{}</td></tr>\n",
                         HtmlEscape(r.unit), HtmlEscape(r.figure_text), HtmlEscape(r.phrase), HtmlEscape(r.period),
                         HtmlEscape(r.sentence), HtmlEscape(Where(f.path, r.line, r.column)));
    }
  }
  out += "</table>\n</body></html>\n";
  return out;
}

Status WriteAcrossXlsx(std::string_view term, const std::vector<AcrossFile>& files, const std::string& path) {
  std::string title = fmt::format("各单位“{}”一览", term);
  return WriteXlsxFile(path, title, [&](lxw_workbook* wb) {
    TableSheet sheet(wb, "一览", title,
                     {{"序号", 6}, {"单位", 20}, {"数字", 14}, {"数值", 14}, {"计量单位", 8}, {"所指", 30},
                      {"时间", 22}, {"原句", 60}, {"位置", 30}});
    int seq = 0;
    for (const AcrossFile& f : files) {
      for (const AcrossRow& r : f.rows) {
        sheet.Row({std::to_string(++seq), r.unit, r.figure_text, r.placeholder ? "" : FigureText(r.figure),
                   r.figure.unit, r.phrase, r.period, r.sentence, Where(f.path, r.line, r.column)});
      }
    }
    Status s = sheet.Finish();
    if (!s.ok()) return Status(s.code(), path + "：" + s.message());
    return s;
  });
}

}  // namespace taizhang
