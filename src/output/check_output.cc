// Rendering of check results: compiler-style messages in Chinese, JSON, and
// one self-contained HTML page.
#include <fmt/format.h>

#include <algorithm>
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

// Counts per report (index 0 for findings outside reports, r + 1 for report r),
// in one pass over the findings.
std::vector<Counts> CountReports(const CheckedFile& f) {
  std::vector<Counts> counts(f.result->reports.size() + 1);
  for (const Finding& x : f.result->findings) {
    Counts& n = counts[static_cast<size_t>(x.report + 1)];
    if (x.severity == Severity::kError) ++n.errors;
    if (x.severity == Severity::kWarning) ++n.warnings;
    if (x.severity == Severity::kInfo) ++n.infos;
  }
  for (size_t r = 0; r < f.result->reports.size(); ++r) {
    const ReportCheck& rc = f.result->reports[r];
    Counts& n = counts[r + 1];
    n.placeholders = rc.placeholders;
    for (const Relation& rel : rc.relations) {
      if (rel.status == RelationStatus::kConsistent) ++n.consistent;
      if (rel.status == RelationStatus::kInconsistent) ++n.inconsistent;
      if (rel.status == RelationStatus::kNotCheckable) ++n.not_checkable;
    }
  }
  return counts;
}

json RelatedJson(const RelatedPlace& p) { return {{"line", p.line}, {"column", p.column}, {"note", p.note}}; }

}  // namespace

std::string RenderCheckText(const CheckedFile& f) {
  if (!f.file.status.ok()) return "";
  const SourceText& source = *f.file.source;
  const OutlineResult& outline = *f.file.outline;
  std::string out;
  for (const Finding& x : f.result->findings) {
    out += fmt::format("{}:{}:{}: {}[{}]: {}\n", f.file.path, x.line, x.column, SeverityLabel(x.severity), x.rule,
                       x.message);
    auto [shown, marks] = Excerpt(source, x);
    std::string gutter = fmt::format("{:>6}", x.line);
    out += fmt::format("{} | {}\n{} | {}\n", gutter, shown, std::string(gutter.size(), ' '), marks);
    for (const RelatedPlace& p : x.related) out += fmt::format("       另见 第{}行第{}列：{}\n", p.line, p.column, p.note);
    if (x.has_fix) {
      out += x.fix.empty() ? "       建议：删除\n" : fmt::format("       建议：改为“{}”\n", x.fix);
    }
  }
  out += fmt::format("\n{}（{}）：\n", f.file.path, source.encoding());
  const std::vector<Counts> counts = CountReports(f);
  for (size_t r = 0; r < outline.reports.size(); ++r) {
    const Counts& n = counts[r + 1];
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
  return out;
}

std::string RenderCheckJson(const std::vector<CheckedFile>& files) {
  using output_internal::Dump;
  using output_internal::OpenObject;
  // Written finding by finding and document by document.
  std::string out = OpenObject({{"schema_version", kCheckSchemaVersion}, {"tool", "taizhang"}, {"command", "check"}});
  out += ",\"files\":[\n";
  for (size_t k = 0; k < files.size(); ++k) {
    const CheckedFile& f = files[k];
    if (k > 0) out += ",\n";
    if (!f.file.status.ok()) {
      out += Dump(output_internal::FileErrorJson(f.file));
      continue;
    }
    const SourceText& source = *f.file.source;
    const OutlineResult& outline = *f.file.outline;
    out += OpenObject({{"path", f.file.path}, {"ok", true}, {"encoding", source.encoding()}});
    out += ",\"findings\":[\n";
    for (size_t n = 0; n < f.result->findings.size(); ++n) {
      const Finding& x = f.result->findings[n];
      json related = json::array();
      for (const RelatedPlace& p : x.related) related.push_back(RelatedJson(p));
      if (n > 0) out += ",\n";
      out += Dump({{"rule", x.rule},
                   {"severity", SeverityName(x.severity)},
                   {"document", x.report >= 0 ? json(x.report + 1) : json(nullptr)},
                   {"line", x.line},
                   {"column", x.column},
                   {"text", x.span.empty() ? "" : JoinedText(source.text(), x.span)},
                   {"message", x.message},
                   {"related", std::move(related)},
                   {"fix", x.has_fix ? json(x.fix) : json(nullptr)}});
    }
    out += "],\"documents\":[\n";
    const std::vector<Counts> counts = CountReports(f);
    for (size_t r = 0; r < outline.reports.size(); ++r) {
      const ReportFacts& facts = f.facts->reports[r];
      json relations = json::array();
      for (const Relation& rel : f.result->reports[r].relations) {
        json figures = json::array();
        std::vector<int> all = rel.parts;
        if (rel.whole >= 0) all.insert(all.begin(), rel.whole);
        for (int i : all) {
          const Quantity& q = facts.quantities[i];
          figures.push_back({{"line", q.line},
                             {"column", q.column},
                             {"text", JoinedText(source.text(), q.span)},
                             {"value", q.value ? json(q.value->ToString()) : json(nullptr)},
                             {"unit", q.unit}});
        }
        relations.push_back({{"family", rel.family},
                             {"status", RelationStatusName(rel.status)},
                             {"line", rel.line},
                             {"statement", rel.statement},
                             {"reason", rel.reason},
                             {"figures", std::move(figures)}});
      }
      const Counts& n = counts[r + 1];
      if (r > 0) out += ",\n";
      out += Dump({{"index", outline.reports[r].index},
                   {"title", outline.reports[r].title.In(source.text())},
                   {"first_line", outline.reports[r].first_line},
                   {"last_line", outline.reports[r].last_line},
                   {"summary", {{"errors", n.errors},
                                {"warnings", n.warnings},
                                {"infos", n.infos},
                                {"placeholders", n.placeholders},
                                {"relations_consistent", n.consistent},
                                {"relations_inconsistent", n.inconsistent},
                                {"relations_not_checkable", n.not_checkable}}},
                   {"relations", std::move(relations)}});
    }
    out += "]}";
  }
  out += "]}\n";
  return out;
}

std::string RenderCheckHtml(const std::vector<CheckedFile>& files) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>taizhang 校核结果</title>\n"
      "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.7}"
      "pre{white-space:pre-wrap}mark.error{background:#f8c0c0}mark.warning{background:#fbe7a1}"
      "mark.info{background:#cde4f7}.ln{color:#888;user-select:none}li{margin:.2em 0}"
      "</style></head><body>\n<h1>taizhang 校核结果</h1>\n";
  for (const CheckedFile& f : files) {
    if (!f.file.status.ok()) {
      out += "<h2>" + HtmlEscape(f.file.path) + "</h2><p>" + HtmlEscape(f.file.status.message()) + "</p>\n";
      continue;
    }
    const SourceText& source = *f.file.source;
    std::string_view text = source.text();
    out += "<h2>" + HtmlEscape(f.file.path) + "</h2>\n<ol>\n";
    // The index: one entry per finding, linking to its place in the text.
    for (size_t k = 0; k < f.result->findings.size(); ++k) {
      const Finding& x = f.result->findings[k];
      out += fmt::format("<li><a href=\"#f{}\">第{}行</a> {}[{}]：{}</li>\n", k, x.line, SeverityLabel(x.severity),
                         HtmlEscape(x.rule), HtmlEscape(x.message));
    }
    out += "</ol>\n<pre>";
    // The text with the findings marked (findings are sorted; overlaps are
    // shown from the first one).
    uint32_t line = 1, pos = 0;
    size_t k = 0;
    auto flush = [&](uint32_t until) {
      while (pos < until) {
        size_t nl = text.find('\n', pos);
        uint32_t stop = nl == std::string_view::npos ? until : std::min<uint32_t>(until, static_cast<uint32_t>(nl + 1));
        out += HtmlEscape(text.substr(pos, stop - pos));
        if (stop > pos && text[stop - 1] == '\n') out += fmt::format("<span class=\"ln\">{:>5} </span>", ++line);
        pos = stop;
      }
    };
    out += "<span class=\"ln\">    1 </span>";
    for (; k < f.result->findings.size(); ++k) {
      const Finding& x = f.result->findings[k];
      if (x.span.begin < pos) continue;
      flush(x.span.begin);
      out += fmt::format("<mark id=\"f{}\" class=\"{}\" title=\"{}\">", k, SeverityName(x.severity),
                         HtmlEscape(x.rule + "：" + x.message));
      flush(std::max(x.span.end, x.span.begin));
      out += "</mark>";
    }
    flush(static_cast<uint32_t>(text.size()));
    out += "</pre>\n";
  }
  out += "</body></html>\n";
  return out;
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

std::vector<WordComment> FindingsAsWordComments(const CheckedFile& file) {
  std::vector<WordComment> comments;
  if (file.result == nullptr) return comments;
  for (const Finding& f : file.result->findings) {
    WordComment c;
    c.begin = f.span.begin;
    c.end = f.span.end;
    c.text = std::string(SeverityLabel(f.severity)) + "[" + f.rule + "]：" + f.message;
    if (f.has_fix) {
      c.text += f.fix.empty() ? "\n建议：删除" : "\n建议改为：" + f.fix;
    }
    for (const RelatedPlace& r : f.related) {
      c.text += "\n" + r.note + "：第" + std::to_string(r.line) + "行";
    }
    comments.push_back(std::move(c));
  }
  return comments;
}

}  // namespace taizhang
