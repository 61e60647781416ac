// Human-readable outline: one line per heading, indented by depth.
#include <fmt/format.h>

#include "common/printable.h"
#include "output/outline_output.h"

namespace taizhang {

OutlinedFile OutlinedView(const AnalyzedFile& file) {
  OutlinedFile view;
  view.path = PrintableName(file.path);
  view.status = file.status;
  if (file.ok()) {
    view.source = &file.source;
    view.outline = &file.outline;
  }
  return view;
}

namespace {

// "2, 4–24, 580–583" from sorted line numbers.
std::string LineRanges(const std::vector<uint32_t>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size();) {
    size_t j = i;
    while (j + 1 < lines.size() && lines[j + 1] == lines[j] + 1) ++j;
    if (!out.empty()) out += "，";
    out += j == i ? fmt::format("{}", lines[i]) : fmt::format("{}–{}", lines[i], lines[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string RenderOutlineText(const OutlinedFile& file, const OutlineRenderOptions& options) {
  OutputSink sink;
  RenderOutlineText(file, options, &sink);
  return std::move(sink.text);
}

void RenderOutlineText(const OutlinedFile& file, const OutlineRenderOptions& options, OutputSink* sink) {
  std::string& out = sink->text;
  if (!file.status.ok()) {
    out += "错误：" + file.status.message() + "\n";
    return;
  }
  const SourceText& source = *file.source;
  const OutlineResult& o = *file.outline;
  std::string_view text = source.text();
  out += fmt::format("{}（{}，{} 行", file.path, source.encoding(), source.line_count());
  if (o.is_compilation) {
    out += fmt::format("，汇编，{} 篇报告", o.reports.size());
  }
  out += "）\n";
  if (o.compilation_title_line) {
    out += fmt::format("  汇编标题：{}（第 {} 行）\n", o.compilation_title.In(text),
                       o.compilation_title_line);
  }
  if (o.toc_first_line) {
    out += fmt::format("  目录：第 {}–{} 行，{} 个条目\n", o.toc_first_line, o.toc_last_line,
                       o.toc.size());
  }
  if (!o.junk_lines.empty()) out += "  无关内容（广告、网页控件等）：第 " + LineRanges(o.junk_lines) + " 行\n";
  for (const auto& [first, last] : o.rejoined_lines) {
    out += fmt::format("  已合并断行：第 {}–{} 行\n", first, last);
  }
  for (const OutlineNote& n : o.notes) out += fmt::format("  注意（第 {} 行）：{}\n", n.line, n.message);

  for (const Report& r : o.reports) {
    sink->Drain();
    out += "\n";
    out += fmt::format("[{}] {}（第 {}–{} 行）\n", r.index,
                       r.title.empty() ? std::string_view("（无标题）") : r.title.In(text),
                       r.first_line, r.last_line);
    std::string unit;
    if (r.unit.name.empty()) {
      unit = r.unit.guess.empty() ? "（未知）" : r.unit.guess + "（标题未写单位，据正文推断）";
    } else {
      unit = r.unit.name;
      if (!r.unit.guess.empty()) unit += "（据正文推断为 " + r.unit.guess + "）";
    }
    out += fmt::format("    单位：{}    类型：{}", unit, ReportKindLabel(r.kind));
    if (r.summary_year) out += fmt::format("    总结年度：{}", r.summary_year);
    if (r.plan_year) out += fmt::format("    计划年度：{}", r.plan_year);
    out += fmt::format("\n    段落 {} 个，句子 {} 个，标题 {} 个\n", r.paragraphs.size(),
                       r.sentences.size(), r.headings.size());
    size_t next_section = 0;
    for (size_t i = 0; i < r.headings.size(); ++i) {
      const Heading& h = r.headings[i];
      sink->Drain();
      // Unheaded sections are shown where they start.
      while (next_section < r.sections.size() && r.sections[next_section].unheaded &&
             r.sections[next_section].first_line < h.line) {
        const Section& s = r.sections[next_section++];
        out += fmt::format("  {:>5}    ｛无标题段落｝〔{} {}〕\n", s.first_line,
                           SectionKindLabel(s.kind), s.year);
      }
      while (next_section < r.sections.size() && !r.sections[next_section].unheaded &&
             r.sections[next_section].first_line <= h.line) {
        ++next_section;
      }
      std::string indent(static_cast<size_t>(h.depth) * 2, ' ');
      out += fmt::format("  {:>5}  {}{}{}", h.line, indent, h.marker.In(text), JoinedText(text, h.title));
      if (h.depth == 1) out += fmt::format("  〔{} {}〕", SectionKindLabel(h.section_kind), h.section_year);
      out += "\n";
    }
    while (next_section < r.sections.size()) {
      const Section& s = r.sections[next_section++];
      if (s.unheaded) {
        out += fmt::format("  {:>5}    ｛无标题段落｝〔{} {}〕\n", s.first_line,
                           SectionKindLabel(s.kind), s.year);
      }
    }
    if (options.sentences) {
      for (const Sentence& s : r.sentences) {
        sink->Drain();
        Location at = source.Locate(s.span.begin);
        out += fmt::format("      {}:{}  {}\n", at.line, at.column, JoinedText(text, s.span));
      }
    }
  }
}

}  // namespace taizhang
