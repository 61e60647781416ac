// Rendering of check results: compiler-style messages in Chinese, JSON, and
// one self-contained HTML page.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "output/json_util.h"
#include "output/text_util.h"
#include "output/check_output.h"

namespace taizhang {

namespace {

using nlohmann::json;

constexpr size_t kContextChars = 24;  // characters shown on each side of a finding

// The line of a finding cut to a window around its span, and a marker line
// of ^ under the span: "…前文【问题】后文…".
std::pair<std::string, std::string> Excerpt(const SourceText& source, const Finding& f) {
  std::string_view text = source.text();
  uint32_t line_begin = source.LineBegin(f.line);
  uint32_t line_end = source.LineEnd(f.line);
  uint32_t begin = std::max(f.span.begin, line_begin);
  uint32_t end = std::min(std::max(f.span.end, begin), line_end);
  // Window: up to kContextChars characters on each side.
  size_t from = begin;
  for (size_t n = 0; n < kContextChars && from > line_begin; ++n) utf8::Prev(text.substr(0, from), &from);
  size_t to = end;
  for (size_t n = 0; n < kContextChars && to < line_end; ++n) utf8::Next(text.substr(0, line_end), &to);
  std::string shown, marks;
  if (from > line_begin) {
    shown += "…";
    marks += "  ";
  }
  for (size_t i = from; i < to;) {
    size_t at = i;
    char32_t cp = utf8::Next(text.substr(0, to), &i);
    if (cp == '\t') cp = ' ';
    utf8::Append(cp, &shown);
    char mark = at >= begin && at < end ? '^' : ' ';
    marks.append(static_cast<size_t>(utf8::DisplayWidth(cp)), mark);
  }
  if (to < line_end) shown += "…";
  if (begin == end) marks += "^";
  while (!marks.empty() && marks.back() == ' ') marks.pop_back();
  return {shown, marks};
}

using output_internal::HtmlEscape;

struct Counts {
  int errors = 0, warnings = 0, infos = 0, placeholders = 0;
  int consistent = 0, inconsistent = 0, not_checkable = 0;
};

void CountFinding(const Finding& x, Counts* n) {
  if (x.severity == Severity::kError) ++n->errors;
  if (x.severity == Severity::kWarning) ++n->warnings;
  if (x.severity == Severity::kInfo) ++n->infos;
}

void CountReport(const ReportCheck& rc, Counts* n) {
  n->placeholders = rc.placeholders;
  for (const Relation& rel : rc.relations) {
    if (rel.status == RelationStatus::kConsistent) ++n->consistent;
    if (rel.status == RelationStatus::kInconsistent) ++n->inconsistent;
    if (rel.status == RelationStatus::kNotCheckable) ++n->not_checkable;
  }
}

// Counts per report (index 0 for findings outside reports, r + 1 for report r),
// in one pass over the findings.
std::vector<Counts> CountReports(const CheckedFile& f) {
  std::vector<Counts> counts(f.result->reports.size() + 1);
  for (const Finding& x : f.result->findings) CountFinding(x, &counts[static_cast<size_t>(x.report + 1)]);
  for (size_t r = 0; r < f.result->reports.size(); ++r) CountReport(f.result->reports[r], &counts[r + 1]);
  return counts;
}

// Each finding of a checked file in text order (`finding`, then
// CheckedFile::on_finding), and each report's facts and check (`report`,
// after its findings): from the results held, or from a deferred check run
// here report by report, each report's results dropped once handed over.
// The facts are only for `need_facts` (else empty).
void WalkCheck(const CheckedFile& f, bool need_facts, const std::function<void(const Finding&)>& finding,
               const std::function<void(size_t, const ReportFacts&, const ReportCheck&)>& report) {
  const SourceText& source = *f.file.source;
  const OutlineResult& outline = *f.file.outline;
  auto each = [&](const Finding& x) {
    finding(x);
    if (f.on_finding) f.on_finding(x);
  };
  if (f.result->deferred) {
    if (outline.reports.empty()) return;
    ReportChecker checker(source, outline, f.result->options);
    CheckedReport step;
    while (checker.Next(&step)) {
      for (const Finding& x : step.findings) each(x);
      report(step.index, step.facts, step.check);
    }
    return;
  }
  for (const Finding& x : f.result->findings) each(x);
  const ReportFacts none;
  for (size_t r = 0; r < f.result->reports.size(); ++r) {
    const ReportCheck& rc = f.result->reports[r];
    if (!need_facts) {
      report(r, none, rc);
    } else if (f.facts->deferred) {
      // Checked whole on deferred facts (CheckFile called by hand): the
      // report's facts extracted again, if its relations need them.
      report(r, rc.relations.empty() ? none : ExtractReportFacts(source, outline.reports[r]), rc);
    } else {
      report(r, f.facts->reports[r], rc);
    }
  }
}

}  // namespace

std::string RenderCheckText(const CheckedFile& f) {
  OutputSink sink;
  RenderCheckText(f, &sink);
  return std::move(sink.text);
}

void RenderCheckText(const CheckedFile& f, OutputSink* sink) {
  if (!f.file.status.ok()) return;
  const SourceText& source = *f.file.source;
  const OutlineResult& outline = *f.file.outline;
  std::string& out = sink->text;
  std::vector<Counts> counts(outline.reports.size() + 1);
  WalkCheck(
      f, /*need_facts=*/false,
      [&](const Finding& x) {
        sink->Drain();
        CountFinding(x, &counts[static_cast<size_t>(x.report + 1)]);
        out += fmt::format("{}:{}:{}: {}[{}]: {}\n", f.file.path, x.line, x.column, SeverityLabel(x.severity),
                           x.rule, x.message);
        auto [shown, marks] = Excerpt(source, x);
        std::string gutter = fmt::format("{:>6}", x.line);
        out += fmt::format("{} | {}\n{} | {}\n", gutter, shown, std::string(gutter.size(), ' '), marks);
        for (const RelatedPlace& p : x.related) {
          out += fmt::format("       另见 第{}行第{}列：{}\n", p.line, p.column, p.note);
        }
        if (x.has_fix) {
          out += x.fix.empty() ? "       建议：删除\n" : fmt::format("       建议：改为“{}”\n", x.fix);
        }
      },
      [&](size_t r, const ReportFacts&, const ReportCheck& rc) { CountReport(rc, &counts[r + 1]); });
  out += fmt::format("\n{}（{}）：\n", f.file.path, source.encoding());
  for (size_t r = 0; r < outline.reports.size(); ++r) {
    const Counts& n = counts[r + 1];
    sink->Drain();
    out += fmt::format("  [{}] {}：错误 {}，警告 {}，提示 {}，占位符 {}；数量关系 {} 项（一致 {}，不一致 {}，无法核对 {}）\n",
                       outline.reports[r].index, outline.reports[r].title.In(source.text()), n.errors, n.warnings,
                       n.infos, n.placeholders, n.consistent + n.inconsistent + n.not_checkable, n.consistent,
                       n.inconsistent, n.not_checkable);
  }
  const Counts& outside = counts[0];
  if (outside.errors + outside.warnings + outside.infos > 0) {
    out += fmt::format("  报告之外（目录、广告等）：错误 {}，警告 {}，提示 {}\n", outside.errors, outside.warnings,
                       outside.infos);
  }
}

std::string CheckJsonHead() {
  return output_internal::OpenObject(
             {{"schema_version", kCheckSchemaVersion}, {"tool", "taizhang"}, {"command", "check"}}) +
         ",\"files\":[\n";
}

std::string CheckJsonTail() { return "]}\n"; }

std::string CheckJsonFile(const CheckedFile& f, size_t index) {
  OutputSink sink;
  CheckJsonFile(f, index, &sink);
  return std::move(sink.text);
}

namespace {

// The relations of a report as JSON objects joined by commas, each with its
// figures (from the report's facts).
std::string RelationsJson(std::string_view text, const ReportFacts& facts, const ReportCheck& rc) {
  using output_internal::Dump;
  std::string out;
  for (const Relation& rel : rc.relations) {
    json figures = json::array();
    std::vector<int> all = rel.parts;
    if (rel.whole >= 0) all.insert(all.begin(), rel.whole);
    for (int i : all) {
      const Quantity& q = facts.quantities[i];
      figures.push_back({{"line", q.line},
                         {"column", q.column},
                         {"text", JoinedText(text, q.span)},
                         {"value", q.value ? json(q.value->ToString()) : json(nullptr)},
                         {"unit", q.unit}});
    }
    if (!out.empty()) out += ',';
    out += Dump({{"family", rel.family},
                 {"status", RelationStatusName(rel.status)},
                 {"line", rel.line},
                 {"statement", rel.statement},
                 {"reason", rel.reason},
                 {"figures", std::move(figures)}});
  }
  return out;
}

}  // namespace

void CheckJsonFile(const CheckedFile& f, size_t index, OutputSink* sink) {
  using output_internal::Dump;
  using output_internal::OpenObject;
  // Written finding by finding and document by document. Each report's
  // relations are rendered when its figures are at hand (a deferred check
  // has them only while the report is checked) and kept, as text, for the
  // documents after the findings.
  std::string& out = sink->text;
  if (index > 0) out += ",\n";
  if (!f.file.status.ok()) {
    out += Dump(output_internal::FileErrorJson(f.file));
    return;
  }
  const SourceText& source = *f.file.source;
  const OutlineResult& outline = *f.file.outline;
  out += OpenObject({{"path", f.file.path}, {"ok", true}, {"encoding", source.encoding()}});
  out += ",\"findings\":[\n";
  std::vector<Counts> counts(outline.reports.size() + 1);
  std::vector<std::string> relations(outline.reports.size());
  bool first_finding = true;
  WalkCheck(
      f, /*need_facts=*/true,
      [&](const Finding& x) {
        sink->Drain();
        CountFinding(x, &counts[static_cast<size_t>(x.report + 1)]);
        if (!first_finding) out += ",\n";
        first_finding = false;
        // Member by member, no JSON tree: the members in the order a JSON
        // object (std::map keys) prints them, strings as Dump writes them.
        using output_internal::AppendJsonString;
        out += "{\"column\":";
        out += std::to_string(x.column);
        out += ",\"document\":";
        out += x.report >= 0 ? std::to_string(x.report + 1) : std::string("null");
        out += ",\"fix\":";
        if (x.has_fix) {
          AppendJsonString(&out, x.fix);
        } else {
          out += "null";
        }
        out += ",\"line\":";
        out += std::to_string(x.line);
        out += ",\"message\":";
        AppendJsonString(&out, x.message);
        out += ",\"related\":[";
        for (size_t k = 0; k < x.related.size(); ++k) {
          const RelatedPlace& p = x.related[k];
          if (k > 0) out += ',';
          out += "{\"column\":";
          out += std::to_string(p.column);
          out += ",\"line\":";
          out += std::to_string(p.line);
          out += ",\"note\":";
          AppendJsonString(&out, p.note);
          out += '}';
        }
        out += "],\"rule\":";
        AppendJsonString(&out, x.rule);
        out += ",\"severity\":";
        AppendJsonString(&out, SeverityName(x.severity));
        out += ",\"text\":";
        if (x.span.empty()) {
          out += "\"\"";
        } else {
          AppendJsonString(&out, JoinedText(source.text(), x.span));
        }
        out += '}';
      },
      [&](size_t r, const ReportFacts& facts, const ReportCheck& rc) {
        CountReport(rc, &counts[r + 1]);
        relations[r] = RelationsJson(source.text(), facts, rc);
      });
  out += "],\"documents\":[\n";
  for (size_t r = 0; r < outline.reports.size(); ++r) {
    // Members in the order a JSON object of std::map keys prints them.
    const Counts& n = counts[r + 1];
    sink->Drain();
    if (r > 0) out += ",\n";
    out += "{\"first_line\":" + std::to_string(outline.reports[r].first_line);
    out += ",\"index\":" + std::to_string(outline.reports[r].index);
    out += ",\"last_line\":" + std::to_string(outline.reports[r].last_line);
    out += ",\"relations\":[";
    out += relations[r];
    relations[r] = std::string();
    out += "],\"summary\":";
    out += Dump({{"errors", n.errors},
                 {"warnings", n.warnings},
                 {"infos", n.infos},
                 {"placeholders", n.placeholders},
                 {"relations_consistent", n.consistent},
                 {"relations_inconsistent", n.inconsistent},
                 {"relations_not_checkable", n.not_checkable}});
    out += ",\"title\":" + Dump(json(outline.reports[r].title.In(source.text())));
    out += '}';
  }
  out += "]}";
}

std::string RenderCheckJson(const std::vector<CheckedFile>& files) {
  std::string out = CheckJsonHead();
  for (size_t k = 0; k < files.size(); ++k) out += CheckJsonFile(files[k], k);
  return out + CheckJsonTail();
}

namespace {

// clang-format off
constexpr const char* kCheckHtmlStyle =
    "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;"
    "max-width:64em;margin:2em auto;padding:0 1em;line-height:1.7;color:#222}"
    "h1{font-size:1.6em}"
    "h2{font-size:1.3em;border-bottom:2px solid #ccc;margin-top:2em}"
    "h3{font-size:1.1em}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2;white-space:nowrap}"
    "td.n{text-align:right}"
    "td.n,td.status{white-space:nowrap}"
    ".badge{display:inline-block;padding:0 .5em;border-radius:.3em;margin-right:.4em}"
    ".error{background:#f8c0c0}.warning{background:#fbe7a1}.info{background:#cde4f7}"
    "tr.inconsistent td.status{background:#f8c0c0}"
    "tr.consistent td.status{background:#d4efd4}"
    "tr.not_checkable td.status{background:#eee}"
    "pre{white-space:pre-wrap;word-break:break-all;font-family:inherit;background:#fafafa;"
    "padding:1em;border:1px solid #ddd}"
    "mark.related{background:none;border-bottom:2px dashed #c33}"
    "span.note{font-size:.85em;border-radius:.3em;padding:0 .3em;margin:0 .2em;border:1px solid #999}"
    "sup.ref a{text-decoration:none;color:#c33}"
    ".ln{color:#999;user-select:none}"
    "ol.findings li{margin:.3em 0}"
    "@media print{"
    "body{max-width:none;margin:0;font-size:10.5pt}"
    "a{color:inherit;text-decoration:none}"
    "pre{border:none;background:none;padding:0}"
    "h2{page-break-before:always}h2:first-of-type{page-break-before:auto}"
    "tr,li{page-break-inside:avoid}"
    "mark,span.note,td.status,.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "}";
// clang-format on

// The kind of relation, in Chinese.
const char* RelationFamilyLabel(const std::string& family) {
  static const std::pair<const char*, const char*> kLabels[] = {{"sum", "合计与分项"},
                                                                {"part-whole", "部分与整体"},
                                                                {"unit-sum", "不同单位的分项"},
                                                                {"remainder", "已完成与剩余"},
                                                                {"rate", "比率"},
                                                                {"enumeration", "列举项数"},
                                                                {"rate-ceiling", "比率上限"},
                                                                {"change", "增减"},
                                                                {"comparison", "比较用语"},
                                                                {"contradiction", "前后数字"}};
  for (const auto& [id, label] : kLabels) {
    if (family == id) return label;
  }
  return "其他";
}

// What a related place is, beside its text: "" when the note only quotes the
// figure (“5123.6万元”), else the note ("第一次出现", "总数").
std::string RelatedRole(const std::string& note, const std::string& text) {
  return !text.empty() && note.find(text) != std::string::npos ? "" : note;
}

// "数字占位符未填写（placeholder-number）", or the id alone for an unknown rule.
std::string RuleHeading(const std::string& rule) {
  const Rule* r = FindRule(rule);
  return r == nullptr ? rule : r->title + "（" + rule + "）";
}

Counts Total(const std::vector<Counts>& counts) {
  Counts t;
  for (const Counts& n : counts) {
    t.errors += n.errors;
    t.warnings += n.warnings;
    t.infos += n.infos;
    t.placeholders += n.placeholders;
    t.consistent += n.consistent;
    t.inconsistent += n.inconsistent;
    t.not_checkable += n.not_checkable;
  }
  return t;
}

std::string CountsLine(const Counts& n) {
  return fmt::format(
      "<p><span class=\"badge error\">错误 {}</span><span class=\"badge warning\">警告 {}</span>"
      "<span class=\"badge info\">提示 {}</span> 占位符 {}；数量关系 {} 项：一致 {}，不一致 "
      "{}，无法核对 {}</p>\n",
      n.errors, n.warnings, n.infos, n.placeholders,
      n.consistent + n.inconsistent + n.not_checkable, n.consistent, n.inconsistent,
      n.not_checkable);
}

// Whether report `r` (-1: outside every report) is on the page.
bool Shown(const CheckedFile& f, int r) {
  if (f.shown_reports.empty()) return true;
  return r >= 0 && static_cast<size_t>(r) < f.shown_reports.size() && f.shown_reports[static_cast<size_t>(r)];
}

// The check result a page of some reports only shows (CheckedFile::
// shown_reports): the findings of those reports, and the other reports'
// relations and counts emptied (their places kept, so that indices still
// match the outline's reports).
CheckResult ShownPart(const CheckedFile& f) {
  CheckResult part;
  part.options = f.result->options;
  for (const Finding& x : f.result->findings) {
    if (Shown(f, x.report)) part.findings.push_back(x);
  }
  part.reports = f.result->reports;
  for (size_t r = 0; r < part.reports.size(); ++r) {
    if (!Shown(f, static_cast<int>(r))) part.reports[r] = ReportCheck();
  }
  return part;
}

// One row per report (and one for findings outside the reports, if any).
std::string ReportTable(const CheckedFile& f, const std::vector<Counts>& counts) {
  const OutlineResult& outline = *f.file.outline;
  std::string out =
      "<table class=\"reports\"><tr><th>报告</th><th>错误</th><th>警告</th><th>提示</th>"
      "<th>占位符</th><th>一致</th><th>不一致</th><th>无法核对</th></tr>\n";
  auto row = [&](const std::string& title, const Counts& n) {
    out += fmt::format(
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td></tr>\n",
        title, n.errors, n.warnings, n.infos, n.placeholders, n.consistent, n.inconsistent,
        n.not_checkable);
  };
  for (size_t r = 0; r < outline.reports.size(); ++r) {
    if (!Shown(f, static_cast<int>(r))) continue;
    row(fmt::format("[{}] {}", outline.reports[r].index,
                    HtmlEscape(outline.reports[r].title.In(f.file.source->text()))),
        counts[r + 1]);
  }
  if (counts[0].errors + counts[0].warnings + counts[0].infos > 0)
    row("报告之外（目录、广告等）", counts[0]);
  return out + "</table>\n";
}

// The findings, numbered as their notes in the text.
std::string FindingIndex(const CheckedFile& f) {
  const std::vector<Finding>& findings = f.result->findings;
  std::string out =
      fmt::format("<h3>问题（{} 处）</h3>\n<ol class=\"findings\">\n", findings.size());
  for (size_t k = 0; k < findings.size(); ++k) {
    const Finding& x = findings[k];
    out += fmt::format(
        "<li><a href=\"#f{}\">第{}行第{}列</a> <span class=\"badge {}\">{}</span>{}：{}", k, x.line,
        x.column, SeverityName(x.severity), SeverityLabel(x.severity),
        HtmlEscape(RuleHeading(x.rule)), HtmlEscape(x.message));
    if (x.has_fix)
      out += x.fix.empty() ? "（建议：删除）" : "（建议：改为“" + HtmlEscape(x.fix) + "”）";
    out += "</li>\n";
  }
  return out + "</ol>\n";
}

// Every relation between figures that was checked, with its status.
std::string RelationTable(const CheckedFile& f, const Counts& total) {
  const int n = total.consistent + total.inconsistent + total.not_checkable;
  std::string out = fmt::format("<h3>数量关系（{} 项：一致 {}，不一致 {}，无法核对 {}）</h3>\n", n,
                                total.consistent, total.inconsistent, total.not_checkable);
  if (n == 0) return out + "<p>没有找到可以核对的数量关系。</p>\n";
  out +=
      "<table class=\"relations\"><tr><th>报告</th><th>行</th><th>类别</th><th>关系</th>"
      "<th>结果</th><th>说明</th></tr>\n";
  for (size_t r = 0; r < f.result->reports.size(); ++r) {
    std::vector<const Relation*> rows;
    for (const Relation& rel : f.result->reports[r].relations) rows.push_back(&rel);
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Relation* a, const Relation* b) { return a->line < b->line; });
    for (const Relation* row : rows) {
      const Relation& rel = *row;
      out += fmt::format(
          "<tr class=\"{}\"><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td>"
          "<td class=\"status\">{}</td><td>{}</td></tr>\n",
          RelationStatusName(rel.status), f.file.outline->reports[r].index, rel.line,
          RelationFamilyLabel(rel.family), HtmlEscape(rel.statement),
          RelationStatusLabel(rel.status), HtmlEscape(rel.reason));
    }
  }
  return out + "</table>\n";
}

// A stretch of the text to mark: a finding's span, or a place it relates to.
struct HtmlMark {
  Span span;
  size_t finding = 0;
  int related = -1;  // index into Finding::related, -1 for the finding's own span
};

std::string MarkedStretch(const CheckedFile& f, uint32_t begin, uint32_t end, uint32_t first_line);

// The whole text with line numbers; each finding's span marked and followed
// by its message, each related place marked with a link to its finding.
// Overlapping marks: the first one wins; a finding whose span is covered
// still gets its note.
std::string MarkedText(const CheckedFile& f) {
  if (!f.shown_reports.empty()) {
    // Report by report, from its title line to its last line; nothing of
    // the text between or around them.
    const SourceText& source = *f.file.source;
    std::string out;
    for (size_t r = 0; r < f.file.outline->reports.size(); ++r) {
      if (!Shown(f, static_cast<int>(r))) continue;
      const auto& report = f.file.outline->reports[r];
      if (report.first_line < 1 || report.last_line < report.first_line || report.last_line > source.line_count()) {
        continue;
      }
      out += MarkedStretch(f, source.LineBegin(report.first_line), source.LineEnd(report.last_line),
                           report.first_line);
    }
    return out;
  }
  return MarkedStretch(f, 0, static_cast<uint32_t>(f.file.source->text().size()), 1);
}

// The text from byte `begin` (the start of line `first_line`) to `end`, as
// MarkedText shows it, with the marks of the findings inside it.
std::string MarkedStretch(const CheckedFile& f, uint32_t begin, uint32_t end, uint32_t first_line) {
  std::string_view text = f.file.source->text().substr(0, end);
  const std::vector<Finding>& findings = f.result->findings;
  std::vector<HtmlMark> marks;
  for (size_t k = 0; k < findings.size(); ++k) {
    marks.push_back({findings[k].span, k, -1});
    for (size_t r = 0; r < findings[k].related.size(); ++r) {
      marks.push_back({findings[k].related[r].span, k, static_cast<int>(r)});
    }
  }
  std::stable_sort(marks.begin(), marks.end(), [](const HtmlMark& a, const HtmlMark& b) {
    return a.span.begin < b.span.begin;
  });
  std::string out = fmt::format("<pre><span class=\"ln\">{:>5} </span>", first_line);
  uint32_t line = first_line, pos = begin;
  auto flush = [&](uint32_t until) {
    until = std::min<uint32_t>(until, static_cast<uint32_t>(text.size()));
    while (pos < until) {
      size_t nl = text.find('\n', pos);
      uint32_t stop = nl == std::string_view::npos
                          ? until
                          : std::min<uint32_t>(until, static_cast<uint32_t>(nl + 1));
      out += HtmlEscape(text.substr(pos, stop - pos));
      if (stop > pos && text[stop - 1] == '\n')
        out += fmt::format("<span class=\"ln\">{:>5} </span>", ++line);
      pos = stop;
    }
  };
  auto note = [&](size_t k, bool with_id) {
    const Finding& x = findings[k];
    out += fmt::format("<span {}class=\"note {}\">[{}] {}：{}</span>",
                       with_id ? fmt::format("id=\"f{}\" ", k) : "", SeverityName(x.severity),
                       k + 1, SeverityLabel(x.severity), HtmlEscape(x.message));
  };
  for (const HtmlMark& m : marks) {
    const Finding& x = findings[m.finding];
    if (m.span.begin < begin || m.span.begin > text.size()) continue;  // outside this stretch
    if (m.span.begin < pos) {
      if (m.related < 0) note(m.finding, true);
      continue;
    }
    flush(m.span.begin);
    if (m.related < 0) {
      out += fmt::format("<mark id=\"f{}\" class=\"{}\" title=\"{}\">", m.finding,
                         SeverityName(x.severity), HtmlEscape(x.rule + "：" + x.message));
      flush(std::max(m.span.end, m.span.begin));
      out += "</mark>";
      note(m.finding, false);
    } else {
      const RelatedPlace& p = x.related[static_cast<size_t>(m.related)];
      out += fmt::format("<mark class=\"related\" title=\"{}\">",
                         HtmlEscape(fmt::format("[{}] {}", m.finding + 1, p.note)));
      flush(std::max(m.span.end, m.span.begin));
      out += fmt::format("</mark><sup class=\"ref\"><a href=\"#f{}\">[{}]{}</a></sup>", m.finding,
                         m.finding + 1, HtmlEscape(RelatedRole(p.note, JoinedText(text, p.span))));
    }
  }
  flush(static_cast<uint32_t>(text.size()));
  return out + "</pre>\n";
}

}  // namespace

void CheckHtmlTotals::Add(const CheckedFile& file) {
  ++files;
  if (!file.file.status.ok()) return;
  CheckResult whole, part;
  CheckedFile f = file;
  if (file.result->deferred) {
    whole = CheckFile(*file.file.source, *file.file.outline, *file.facts, file.result->options);
    f.result = &whole;
  }
  if (!f.shown_reports.empty()) {
    part = ShownPart(f);
    f.result = &part;
  }
  const Counts total = Total(CountReports(f));
  errors += total.errors;
  warnings += total.warnings;
  infos += total.infos;
  placeholders += total.placeholders;
  consistent += total.consistent;
  inconsistent += total.inconsistent;
  not_checkable += total.not_checkable;
}

std::string CheckHtmlHead(const CheckHtmlTotals& totals) {
  std::string out = std::string(
                        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                        "<title>taizhang 校核结果</title>\n<style>") +
                    kCheckHtmlStyle + "</style></head><body>\n<h1>taizhang 校核结果</h1>\n";
  if (totals.files > 1) {
    Counts all;
    all.errors = totals.errors;
    all.warnings = totals.warnings;
    all.infos = totals.infos;
    all.placeholders = totals.placeholders;
    all.consistent = totals.consistent;
    all.inconsistent = totals.inconsistent;
    all.not_checkable = totals.not_checkable;
    out += fmt::format("<p>共 {} 个文件。</p>\n", totals.files) + CountsLine(all);
  }
  return out;
}

std::string CheckHtmlFile(const CheckedFile& file) {
  std::string body = "<h2>" + HtmlEscape(file.file.path) + "</h2>\n";
  if (!file.file.status.ok()) return body + "<p>" + HtmlEscape(file.file.status.message()) + "</p>\n";
  // The page shows everything at once: a deferred check is collected whole.
  CheckResult whole, part;
  CheckedFile f = file;
  if (file.result->deferred) {
    whole = CheckFile(*file.file.source, *file.file.outline, *file.facts, file.result->options);
    f.result = &whole;
  }
  if (!f.shown_reports.empty()) {
    part = ShownPart(f);
    f.result = &part;
  }
  if (f.on_finding) {
    for (const Finding& x : f.result->findings) f.on_finding(x);
  }
  const std::vector<Counts> counts = CountReports(f);
  const Counts total = Total(counts);
  if (f.shown_reports.empty()) {
    body += fmt::format("<p>编码 {}，报告 {} 篇。</p>\n", HtmlEscape(f.file.source->encoding()),
                        f.file.outline->reports.size());
  } else {
    size_t shown = 0;
    for (size_t r = 0; r < f.file.outline->reports.size(); ++r) shown += Shown(f, static_cast<int>(r)) ? 1 : 0;
    body += fmt::format("<p>编码 {}，报告 {} 篇，这里只列出您可以查看的 {} 篇。</p>\n",
                        HtmlEscape(f.file.source->encoding()), f.file.outline->reports.size(), shown);
  }
  body += CountsLine(total);
  if (f.file.outline->reports.size() > 1) body += ReportTable(f, counts);
  body += FindingIndex(f);
  body += RelationTable(f, total);
  body += "<h3>全文（问题标在原处，后附说明；虚线标出相关的数字）</h3>\n" + MarkedText(f);
  return body;
}

std::string CheckHtmlTail() { return "</body></html>\n"; }

std::string RenderCheckHtml(const std::vector<CheckedFile>& files) {
  CheckHtmlTotals totals;
  std::string body;
  for (const CheckedFile& f : files) {
    totals.Add(f);
    body += CheckHtmlFile(f);
  }
  return CheckHtmlHead(totals) + body + CheckHtmlTail();
}

}  // namespace taizhang

namespace taizhang {

CheckedFile CheckedView(const AnalyzedFile& file) {
  CheckedFile view;
  view.file = OutlinedView(file);
  if (file.ok()) {
    view.facts = &file.facts;
    view.result = &file.check;
  }
  return view;
}

WordComment FindingAsWordComment(const CheckedFile& file, size_t k) {
  return FindingAsWordComment(file.file.source->text(), file.result->findings[k]);
}

WordComment FindingAsWordComment(std::string_view text, const Finding& f) {
  WordComment c;
  c.begin = f.span.begin;
  c.end = f.span.end;
  c.text = RuleHeading(f.rule) + "：" + f.message;
  if (f.has_fix) {
    c.text += f.fix.empty() ? "\n建议：删除" : "\n建议改为：" + f.fix;
  }
  // Inside Word a line number means nothing: the related place is quoted.
  for (const RelatedPlace& r : f.related) {
    if (r.span.empty()) {
      c.text += "\n" + r.note + "：第" + std::to_string(r.line) + "行";
      continue;
    }
    const std::string quoted = JoinedText(text, r.span);
    const std::string role = RelatedRole(r.note, quoted);
    c.text += "\n" + (role.empty() ? std::string("相关") : role) + "：「" + quoted + "」";
  }
  c.text += "\n级别：" + std::string(SeverityLabel(f.severity));
  return c;
}

}  // namespace taizhang
