// JSON rendering of outlines (schema version 1, documented in docs/json.md).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "output/json_util.h"
#include "output/outline_output.h"

namespace taizhang {

namespace {

using nlohmann::json;

json LineRangeJson(uint32_t first, uint32_t last) { return json::array({first, last}); }

json HeadingJson(const SourceText& source, const Heading& h) {
  std::string_view text = source.text();
  json j = {
      {"line", h.line},
      {"column", h.column},
      {"marker", h.marker.In(text)},
      {"marker_kind", MarkerKindName(h.kind)},
      {"number", h.number},
      {"depth", h.depth},
      {"parent", h.parent},
      {"title", JoinedText(text, h.title)},
      {"run_in", h.run_in},
      {"last_line", h.last_line},
  };
  if (!h.body.empty()) {
    j["body"] = {{"first_line", source.LineOf(h.body.begin)},
                 {"last_line", source.LineOf(h.body.end - 1)}};
  } else {
    j["body"] = nullptr;
  }
  if (h.depth == 1) {
    j["section_kind"] = SectionKindName(h.section_kind);
    j["section_year"] = h.section_year;
  }
  return j;
}

json ReportJson(const SourceText& source, const Report& r, const OutlineRenderOptions& options) {
  std::string_view text = source.text();
  json unit = {{"name", r.unit.name}, {"guess", r.unit.guess}, {"guessed", r.unit.guessed},
               {"kind", r.unit.kind}};
  json headings = json::array();
  for (const Heading& h : r.headings) headings.push_back(HeadingJson(source, h));
  json sections = json::array();
  for (const Section& s : r.sections) {
    json sj = {{"kind", SectionKindName(s.kind)}, {"year", s.year},
               {"first_line", s.first_line},      {"last_line", s.last_line},
               {"unheaded", s.unheaded},          {"heading", s.heading}};
    sj["title"] = s.heading >= 0 ? json(JoinedText(text, r.headings[s.heading].title)) : json(nullptr);
    sections.push_back(std::move(sj));
  }
  json j = {
      {"index", r.index},
      {"title", r.title.In(text)},
      {"title_line", r.title.empty() ? 0 : r.first_line},
      {"first_line", r.first_line},
      {"last_line", r.last_line},
      {"unit", std::move(unit)},
      {"years", r.years},
      {"summary_year", r.summary_year},
      {"plan_year", r.plan_year},
      {"kind", ReportKindName(r.kind)},
      {"sections", std::move(sections)},
      {"headings", std::move(headings)},
      {"paragraph_count", r.paragraphs.size()},
      {"sentence_count", r.sentences.size()},
  };
  if (options.paragraphs) {
    json paragraphs = json::array();
    for (const Paragraph& p : r.paragraphs) {
      paragraphs.push_back({{"first_line", p.first_line}, {"last_line", p.last_line},
                            {"heading", p.heading}, {"owner", p.owner}});
    }
    j["paragraphs"] = std::move(paragraphs);
  }
  if (options.sentences) {
    json sentences = json::array();
    for (const Sentence& s : r.sentences) {
      Location at = source.Locate(s.span.begin);
      Location end = source.Locate(s.span.end);
      sentences.push_back({{"line", at.line}, {"column", at.column},
                           {"end_line", end.line}, {"end_column", end.column},
                           {"paragraph", s.paragraph}, {"text", JoinedText(text, s.span)}});
    }
    j["sentences"] = std::move(sentences);
  }
  return j;
}

json FileJson(const OutlinedFile& file, const OutlineRenderOptions& options) {
  if (!file.status.ok()) {
    return output_internal::FileErrorJson(file);
  }
  const SourceText& source = *file.source;
  const OutlineResult& o = *file.outline;
  std::string_view text = source.text();
  json j = {{"path", file.path},
            {"ok", true},
            {"encoding", source.encoding()},
            {"line_count", source.line_count()},
            {"is_compilation", o.is_compilation}};
  if (o.compilation_title_line != 0) {
    j["compilation_title"] = {{"text", o.compilation_title.In(text)},
                              {"line", o.compilation_title_line}};
  } else {
    j["compilation_title"] = nullptr;
  }
  if (o.toc_first_line != 0) {
    json entries = json::array();
    for (const TocEntry& e : o.toc) {
      entries.push_back({{"title", e.title.In(text)}, {"line", e.line}, {"page", e.page},
                         {"document", e.report >= 0 ? json(e.report + 1) : json(nullptr)},
                         {"bookmark_line", e.bookmark_line ? json(e.bookmark_line) : json(nullptr)}});
    }
    j["toc"] = {{"first_line", o.toc_first_line}, {"last_line", o.toc_last_line},
                {"entries", std::move(entries)}};
  } else {
    j["toc"] = nullptr;
  }
  // Word tables: every row a line of the text, every cell its grid place.
  json tables = json::array();
  for (const Table& table : source.tables()) {
    json rows = json::array();
    for (const TableRow& row : table.rows) {
      json cells = json::array();
      for (const TableCell& cell : row.cells) {
        cells.push_back({{"text", text.substr(cell.begin, cell.end - cell.begin)},
                         {"column", cell.column},
                         {"column_span", cell.column_span},
                         {"row_span", cell.row_span}});
      }
      rows.push_back({{"line", row.line}, {"cells", std::move(cells)}});
    }
    tables.push_back({{"columns", table.columns}, {"rows", std::move(rows)}});
  }
  j["tables"] = std::move(tables);
  j["junk_lines"] = o.junk_lines;
  json rejoined = json::array();
  for (const auto& [first, last] : o.rejoined_lines) rejoined.push_back(LineRangeJson(first, last));
  j["rejoined_lines"] = std::move(rejoined);
  json notes = json::array();
  for (const OutlineNote& n : o.notes) notes.push_back({{"line", n.line}, {"message", n.message}});
  j["notes"] = std::move(notes);
  // The documents are dumped one by one by FileText, not held here as one
  // tree (a compilation of a province's reports is large).
  j["documents"] = json::array();
  return j;
}

// Appends `text` (a JSON text dumped with indent 1) indented by `spaces`
// more: a JSON text has no raw line breaks inside its strings, so every
// '\n' starts a line of the layout.
void AppendIndented(std::string_view text, std::string_view spaces, std::string* out) {
  size_t from = 0;
  for (size_t nl = text.find('\n'); nl != std::string_view::npos; nl = text.find('\n', from)) {
    out->append(text, from, nl + 1 - from);
    out->append(spaces);
    from = nl + 1;
  }
  out->append(text, from, std::string_view::npos);
}

// The file's JSON text as json::dump(1) prints FileJson with its documents,
// indented by `spaces` more: the object without them, the "documents"
// member written report by report (each indented to its depth, two levels
// in), each report handed to the sink when it is done.
void FileText(const OutlinedFile& file, const OutlineRenderOptions& options, std::string_view spaces,
              OutputSink* sink) {
  const auto dump = [](const json& j) { return j.dump(1, ' ', false, json::error_handler_t::replace); };
  const std::string text = dump(FileJson(file, options));
  static constexpr std::string_view kEmpty = "\n \"documents\": [],";
  const size_t at = !file.status.ok() || file.outline->reports.empty() ? std::string::npos : text.find(kEmpty);
  if (at == std::string::npos) {  // no documents (the member is always there)
    AppendIndented(text, spaces, &sink->text);
    return;
  }
  const std::string inner = std::string(spaces) + "  ";
  AppendIndented(std::string_view(text).substr(0, at), spaces, &sink->text);
  AppendIndented("\n \"documents\": [", spaces, &sink->text);
  bool first = true;
  for (const Report& r : file.outline->reports) {
    sink->Drain();
    AppendIndented(first ? "\n  " : ",\n  ", spaces, &sink->text);
    first = false;
    AppendIndented(dump(ReportJson(*file.source, r, options)), inner, &sink->text);
  }
  AppendIndented("\n ],", spaces, &sink->text);
  AppendIndented(std::string_view(text).substr(at + kEmpty.size()), spaces, &sink->text);
}

}  // namespace

// The document is indented by one space a level (json::dump(1)), with the
// keys in nlohmann's order (alphabetical): "command", "files", then
// "schema_version" and "tool" after the files. A file is dumped on its own
// and indented to its depth, two levels in: a JSON text has no raw line
// breaks inside its strings, so every '\n' starts a line of the layout.
std::string OutlineJsonHead() { return "{\n \"command\": \"outline\",\n \"files\": [\n"; }

std::string OutlineJsonFile(const OutlinedFile& file, size_t index, const OutlineRenderOptions& options) {
  OutputSink sink;
  OutlineJsonFile(file, index, options, &sink);
  return std::move(sink.text);
}

void OutlineJsonFile(const OutlinedFile& file, size_t index, const OutlineRenderOptions& options,
                     OutputSink* sink) {
  // Invalid UTF-8 cannot reach here (ingest validates), but never throw on it.
  sink->text += index > 0 ? ",\n  " : "  ";
  FileText(file, options, "  ", sink);
}

std::string OutlineJsonTail() {
  return fmt::format("\n ],\n \"schema_version\": {},\n \"tool\": \"taizhang\"\n}}\n", kOutlineSchemaVersion);
}

std::string RenderOutlineJson(const std::vector<OutlinedFile>& files, const OutlineRenderOptions& options) {
  if (files.empty()) {
    json root = {{"schema_version", kOutlineSchemaVersion}, {"tool", "taizhang"}, {"command", "outline"}};
    root["files"] = json::array();
    return root.dump(1) + "\n";
  }
  std::string out = OutlineJsonHead();
  for (size_t k = 0; k < files.size(); ++k) out += OutlineJsonFile(files[k], k, options);
  return out + OutlineJsonTail();
}

}  // namespace taizhang
