// Rendering of extracted figures: JSON, TSV and a readable list.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "output/output.h"

namespace taizhang {

namespace {

using nlohmann::json;

json ValueJson(const std::optional<Decimal>& d) { return d ? json(d->ToString()) : json(nullptr); }

json QuantityJson(const SourceText& source, const Quantity& q) {
  return {{"line", q.line},
          {"column", q.column},
          {"text", JoinedText(source.text(), q.span)},
          {"value", ValueJson(q.value)},
          {"high", ValueJson(q.high)},
          {"unit", q.unit},
          {"kind", q.kind},
          {"approx", ApproximationName(q.approx)},
          {"placeholder", q.placeholder},
          {"malformed", q.malformed},
          {"sentence", q.sentence}};
}

std::string TsvField(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

}  // namespace

std::string RenderFactsJson(const std::vector<FactsFile>& files) {
  json root = {{"schema_version", kFactsSchemaVersion}, {"tool", "taizhang"}, {"command", "facts"}};
  json list = json::array();
  for (const FactsFile& f : files) {
    if (!f.file.status.ok()) {
      list.push_back({{"path", f.file.path},
                      {"ok", false},
                      {"error", {{"code", StatusCodeName(f.file.status.code())},
                                 {"message", f.file.status.message()}}}});
      continue;
    }
    const SourceText& source = *f.file.source;
    json docs = json::array();
    for (size_t r = 0; r < f.file.outline->reports.size(); ++r) {
      const Report& report = f.file.outline->reports[r];
      json quantities = json::array();
      for (const Quantity& q : f.facts->reports[r].quantities) quantities.push_back(QuantityJson(source, q));
      docs.push_back({{"index", report.index},
                      {"title", report.title.In(source.text())},
                      {"first_line", report.first_line},
                      {"last_line", report.last_line},
                      {"quantities", std::move(quantities)}});
    }
    list.push_back({{"path", f.file.path}, {"ok", true}, {"encoding", source.encoding()},
                    {"documents", std::move(docs)}});
  }
  root["files"] = std::move(list);
  return root.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string RenderFactsTsv(const std::vector<FactsFile>& files) {
  std::string out = "path\tdocument\tline\tcolumn\ttext\tvalue\thigh\tunit\tkind\tapprox\tplaceholder\tmalformed\n";
  for (const FactsFile& f : files) {
    if (!f.file.status.ok()) continue;
    const SourceText& source = *f.file.source;
    for (size_t r = 0; r < f.file.outline->reports.size(); ++r) {
      for (const Quantity& q : f.facts->reports[r].quantities) {
        out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", TsvField(f.file.path),
                           r + 1, q.line, q.column, TsvField(JoinedText(source.text(), q.span)),
                           q.value ? q.value->ToString() : "", q.high ? q.high->ToString() : "",
                           q.unit, q.kind, ApproximationName(q.approx), q.placeholder ? 1 : 0,
                           q.malformed ? 1 : 0);
      }
    }
  }
  return out;
}

std::string RenderFactsText(const FactsFile& f) {
  if (!f.file.status.ok()) return "错误：" + f.file.status.message() + "\n";
  const SourceText& source = *f.file.source;
  std::string out = fmt::format("{}（{}）\n", f.file.path, source.encoding());
  for (size_t r = 0; r < f.file.outline->reports.size(); ++r) {
    const Report& report = f.file.outline->reports[r];
    const auto& quantities = f.facts->reports[r].quantities;
    out += fmt::format("\n[{}] {}：{} 个数字\n", report.index, report.title.In(source.text()),
                       quantities.size());
    for (const Quantity& q : quantities) {
      std::string value = q.placeholder ? "（占位符，未填写）"
                          : q.malformed ? "（数字格式错误）"
                          : q.value     ? q.value->ToString()
                                        : "";
      if (q.high) value += "–" + q.high->ToString();
      out += fmt::format("  {:>5}:{:<4} {}  = {} {}", q.line, q.column, JoinedText(source.text(), q.span),
                         value, q.unit);
      if (q.approx != Approximation::kExact) out += fmt::format("（{}）", ApproximationName(q.approx));
      out += "\n";
    }
  }
  return out;
}

}  // namespace taizhang
