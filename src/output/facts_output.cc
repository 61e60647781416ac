// Rendering of extracted figures, time expressions, enumerations and plan
// items: JSON, TSV tables and a readable list.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "output/json_util.h"
#include "output/facts_output.h"

namespace taizhang {

FactsFile FactsView(const AnalyzedFile& file) {
  FactsFile view;
  view.file = OutlinedView(file);
  if (file.ok()) view.facts = &file.facts;
  return view;
}

namespace {

using nlohmann::json;

json ValueJson(const std::optional<Decimal>& d) { return d ? json(d->ToString()) : json(nullptr); }
std::string ValueText(const std::optional<Decimal>& d) { return d ? d->ToString() : ""; }

std::string SpanText(std::string_view text, Span s) { return s.empty() ? "" : JoinedText(text, s); }

// The ISO 8601 form of a time expression: a date, an interval, an open
// interval (../2023-10-31) or a duration (P1M).
std::string TimeIso(const TimeExpr& t) {
  if (t.kind == TimeKind::kRecurrence) return t.every;
  if (t.begin.empty() && t.end.empty()) return "";
  if (t.begin == t.end) return t.begin;
  return (t.begin.empty() ? ".." : t.begin) + "/" + (t.end.empty() ? ".." : t.end);
}

json TimeJson(const SourceText& source, const TimeExpr& t) {
  return {{"line", t.line},
          {"column", t.column},
          {"text", JoinedText(source.text(), t.span)},
          {"kind", TimeKindName(t.kind)},
          {"begin", t.begin.empty() ? json(nullptr) : json(t.begin)},
          {"end", t.end.empty() ? json(nullptr) : json(t.end)},
          {"every", t.every.empty() ? json(nullptr) : json(t.every)},
          {"iso", TimeIso(t)},
          {"year_inferred", t.year_inferred},
          {"sentence", t.sentence}};
}

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
          {"measured", SpanText(source.text(), q.measured)},
          {"role", RoleName(q.role)},
          {"role_word", SpanText(source.text(), q.role_word)},
          {"change", ChangeName(q.change)},
          {"time", q.time},
          {"sentence", q.sentence}};
}

json EnumerationJson(const SourceText& source, const Enumeration& e) {
  json items = json::array();
  for (const Span& s : e.items) items.push_back(JoinedText(source.text(), s));
  return {{"line", e.line},
          {"text", JoinedText(source.text(), e.span)},
          {"count", ValueJson(e.count)},
          {"quantity", e.quantity},
          {"items", std::move(items)},
          {"open", e.open},
          {"each", e.each},
          {"sentence", e.sentence}};
}

json PlanItemJson(const SourceText& source, const ReportFacts& facts, const PlanItem& p) {
  json target = nullptr;
  if (p.target >= 0) {
    const Quantity& q = facts.quantities[p.target];
    target = {{"text", JoinedText(source.text(), q.span)},
              {"value", ValueJson(q.value)},
              {"unit", q.unit},
              {"approx", ApproximationName(q.approx)},
              {"placeholder", q.placeholder}};
  }
  auto time = [&](int index) -> json {
    if (index < 0) return nullptr;
    const TimeExpr& t = facts.times[index];
    return {{"text", JoinedText(source.text(), t.span)},
            {"kind", TimeKindName(t.kind)},
            {"iso", TimeIso(t)},
            {"end", t.end.empty() ? json(nullptr) : json(t.end)},
            {"every", t.every.empty() ? json(nullptr) : json(t.every)}};
  };
  return {{"line", p.line},
          {"column", p.column},
          {"text", JoinedText(source.text(), p.span)},
          {"subject", SpanText(source.text(), p.subject)},
          {"action", SpanText(source.text(), p.action)},
          {"object", SpanText(source.text(), p.object)},
          {"target", std::move(target)},
          {"deadline", time(p.deadline)},
          {"recurrence", time(p.recurrence)},
          {"strength", StrengthName(p.strength)},
          {"strength_word", SpanText(source.text(), p.strength_word)},
          {"owner", p.owner},
          {"assessable", p.assessable},
          {"task", PlanItemTask(source.text(), p)},
          {"due", p.due.empty() ? json(nullptr) : json(p.due)},
          {"due_inferred", p.due_inferred},
          {"expected_target", p.expected_target},
          {"sentence", p.sentence}};
}

std::string TsvField(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

std::string TsvHeader(FactsTable table) {
  switch (table) {
    case FactsTable::kQuantities:
      return "path\tdocument\tline\tcolumn\ttext\tvalue\thigh\tunit\tkind\tapprox\tplaceholder\t"
             "malformed\tmeasured\trole\tchange\ttime\n";
    case FactsTable::kTimes:
      return "path\tdocument\tline\tcolumn\ttext\tkind\tbegin\tend\tevery\tyear_inferred\n";
    case FactsTable::kEnumerations:
      return "path\tdocument\tline\ttext\tcount\titems\titem_count\topen\teach\n";
    case FactsTable::kPlanItems:
      return "path\tdocument\tline\tcolumn\tstrength\tsubject\taction\tobject\ttarget\tdeadline\t"
             "recurrence\towner\tassessable\ttext\ttask\tdue\n";
  }
  return "";
}

// The facts of report r: the file's, or extracted into `scratch` now when
// the pipeline left them to the writer.
const ReportFacts& ReportFactsOf(const FactsFile& f, size_t r, ReportFacts* scratch) {
  if (!f.facts->deferred) return f.facts->reports[r];
  *scratch = ExtractReportFacts(*f.file.source, f.file.outline->reports[r]);
  return *scratch;
}

void AppendTsvRows(const SourceText& source, std::string_view path, size_t document,
                   const ReportFacts& facts, FactsTable table, OutputSink* sink) {
  std::string_view text = source.text();
  std::string* out = &sink->text;
  auto time_text = [&](int index) {
    return index < 0 ? std::string() : TsvField(TimeIso(facts.times[index]));
  };
  std::string prefix = fmt::format("{}\t{}\t", TsvField(std::string(path)), document);
  switch (table) {
    case FactsTable::kQuantities:
      for (const Quantity& q : facts.quantities) {
        sink->Drain();
        *out += prefix + fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", q.line,
                                     q.column, TsvField(JoinedText(text, q.span)), ValueText(q.value),
                                     ValueText(q.high), q.unit, q.kind, ApproximationName(q.approx),
                                     q.placeholder ? 1 : 0, q.malformed ? 1 : 0,
                                     TsvField(SpanText(text, q.measured)), RoleName(q.role),
                                     ChangeName(q.change), time_text(q.time));
      }
      break;
    case FactsTable::kTimes:
      for (const TimeExpr& t : facts.times) {
        sink->Drain();
        *out += prefix + fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", t.line, t.column,
                                     TsvField(JoinedText(text, t.span)), TimeKindName(t.kind), t.begin,
                                     t.end, t.every, t.year_inferred ? 1 : 0);
      }
      break;
    case FactsTable::kEnumerations:
      for (const Enumeration& e : facts.enumerations) {
        sink->Drain();
        std::string items;
        for (const Span& s : e.items) items += (items.empty() ? "" : "、") + JoinedText(text, s);
        *out += prefix + fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", e.line,
                                     TsvField(JoinedText(text, e.span)), ValueText(e.count),
                                     TsvField(items), e.items.size(), e.open ? 1 : 0, e.each ? 1 : 0);
      }
      break;
    case FactsTable::kPlanItems:
      for (const PlanItem& p : facts.plan_items) {
        sink->Drain();
        std::string target = p.target < 0 ? "" : JoinedText(text, facts.quantities[p.target].span);
        std::string deadline = p.deadline < 0 ? "" : facts.times[p.deadline].end;
        std::string every = p.recurrence < 0 ? "" : facts.times[p.recurrence].every;
        *out += prefix + fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", p.line,
                                     p.column, StrengthName(p.strength), TsvField(SpanText(text, p.subject)),
                                     TsvField(SpanText(text, p.action)),
                                     TsvField(SpanText(text, p.object)), TsvField(target), deadline, every,
                                     TsvField(p.owner), p.assessable ? 1 : 0,
                                     TsvField(JoinedText(text, p.span)), TsvField(PlanItemTask(text, p)), p.due);
      }
      break;
  }
}

const char* StrengthLabel(Strength s) {
  switch (s) {
    case Strength::kMust: return "确保";
    case Strength::kStrive: return "力争";
    case Strength::kAdvance: return "推进";
    case Strength::kNone: break;
  }
  return "";
}

}  // namespace

bool ParseFactsTable(std::string_view name, FactsTable* table) {
  if (name == "quantities") *table = FactsTable::kQuantities;
  else if (name == "times") *table = FactsTable::kTimes;
  else if (name == "enumerations") *table = FactsTable::kEnumerations;
  else if (name == "plan") *table = FactsTable::kPlanItems;
  else return false;
  return true;
}

std::string FactsJsonHead() {
  return output_internal::OpenObject(
             {{"schema_version", kFactsSchemaVersion}, {"tool", "taizhang"}, {"command", "facts"}}) +
         ",\"files\":[\n";
}

std::string FactsJsonTail() { return "]}\n"; }

std::string FactsJsonFile(const FactsFile& f, size_t index) {
  OutputSink sink;
  FactsJsonFile(f, index, &sink);
  return std::move(sink.text);
}

void FactsJsonFile(const FactsFile& f, size_t index, OutputSink* sink) {
  using output_internal::Dump;
  using output_internal::OpenObject;
  // Written document by document: a province's reports make a large tree.
  std::string& out = sink->text;
  if (index > 0) out += ",\n";
  if (!f.file.status.ok()) {
    out += Dump(output_internal::FileErrorJson(f.file));
    return;
  }
  const SourceText& source = *f.file.source;
  out += OpenObject({{"path", f.file.path}, {"ok", true}, {"encoding", source.encoding()}});
  out += ",\"documents\":[\n";
  for (size_t r = 0; r < f.file.outline->reports.size(); ++r) {
    const Report& report = f.file.outline->reports[r];
    ReportFacts scratch;
    const ReportFacts& facts = ReportFactsOf(f, r, &scratch);
    // Each element is dumped as it is made and appended: no tree of the
    // whole report is held (the members in the order a JSON object of
    // std::map keys prints them, so the bytes are those of one Dump).
    auto array = [&](const char* key, const auto& elements, const auto& to_json) {
      out += '"';
      out += key;
      out += "\":[";
      bool first = true;
      for (const auto& e : elements) {
        sink->Drain();
        if (!first) out += ',';
        first = false;
        out += Dump(to_json(e));
      }
      out += ']';
    };
    if (r > 0) out += ",\n";
    out += '{';
    array("enumerations", facts.enumerations, [&](const Enumeration& e) { return EnumerationJson(source, e); });
    out += ",\"first_line\":" + std::to_string(report.first_line);
    out += ",\"index\":" + std::to_string(report.index);
    out += ",\"last_line\":" + std::to_string(report.last_line);
    out += ',';
    array("plan_items", facts.plan_items, [&](const PlanItem& p) { return PlanItemJson(source, facts, p); });
    out += ',';
    array("quantities", facts.quantities, [&](const Quantity& q) { return QuantityJson(source, q); });
    out += ',';
    array("times", facts.times, [&](const TimeExpr& t) { return TimeJson(source, t); });
    out += ",\"title\":" + Dump(json(report.title.In(source.text())));
    out += '}';
  }
  out += "]}";
}

std::string RenderFactsJson(const std::vector<FactsFile>& files) {
  std::string out = FactsJsonHead();
  for (size_t k = 0; k < files.size(); ++k) out += FactsJsonFile(files[k], k);
  return out + FactsJsonTail();
}

std::string FactsTsvHead(FactsTable table) { return TsvHeader(table); }

std::string FactsTsvFile(const FactsFile& f, FactsTable table) {
  OutputSink sink;
  FactsTsvFile(f, table, &sink);
  return std::move(sink.text);
}

void FactsTsvFile(const FactsFile& f, FactsTable table, OutputSink* sink) {
  if (!f.file.status.ok()) return;
  for (size_t r = 0; r < f.file.outline->reports.size(); ++r) {
    ReportFacts scratch;
    AppendTsvRows(*f.file.source, f.file.path, r + 1, ReportFactsOf(f, r, &scratch), table, sink);
  }
}

std::string RenderFactsTsv(const std::vector<FactsFile>& files, FactsTable table) {
  std::string out = FactsTsvHead(table);
  for (const FactsFile& f : files) out += FactsTsvFile(f, table);
  return out;
}

std::string RenderFactsText(const FactsFile& f) {
  OutputSink sink;
  RenderFactsText(f, &sink);
  return std::move(sink.text);
}

void RenderFactsText(const FactsFile& f, OutputSink* sink) {
  std::string& out = sink->text;
  if (!f.file.status.ok()) {
    out += "错误：" + f.file.status.message() + "\n";
    return;
  }
  const SourceText& source = *f.file.source;
  std::string_view text = source.text();
  out += fmt::format("{}（{}）\n", f.file.path, source.encoding());
  for (size_t r = 0; r < f.file.outline->reports.size(); ++r) {
    const Report& report = f.file.outline->reports[r];
    ReportFacts scratch;
    const ReportFacts& facts = ReportFactsOf(f, r, &scratch);
    out += fmt::format("\n[{}] {}：{} 个数字，{} 个时间，{} 个列举，{} 个计划事项\n", report.index,
                       report.title.In(text), facts.quantities.size(), facts.times.size(),
                       facts.enumerations.size(), facts.plan_items.size());
    for (const Quantity& q : facts.quantities) {
      sink->Drain();
      std::string value = q.placeholder ? "（占位符，未填写）"
                          : q.malformed ? "（数字格式错误）"
                          : q.value     ? q.value->ToString()
                                        : "";
      if (q.high) value += "–" + q.high->ToString();
      out += fmt::format("  {:>5}:{:<4} {}  = {} {}", q.line, q.column, JoinedText(text, q.span), value,
                         q.unit);
      if (q.approx != Approximation::kExact) out += fmt::format("（{}）", ApproximationName(q.approx));
      if (!q.measured.empty()) out += "  ← " + JoinedText(text, q.measured);
      if (q.role != Role::kNone) out += fmt::format("  [{}]", RoleName(q.role));
      out += "\n";
    }
    if (!facts.plan_items.empty()) out += "  计划事项：\n";
    for (const PlanItem& p : facts.plan_items) {
      sink->Drain();
      out += fmt::format("  {:>5}  {}{}", p.line, StrengthLabel(p.strength), SpanText(text, p.object));
      if (p.deadline >= 0) out += fmt::format("  时限 {}", TimeIso(facts.times[p.deadline]));
      if (p.target >= 0) out += fmt::format("  目标 {}", JoinedText(text, facts.quantities[p.target].span));
      out += "\n";
    }
  }
}

}  // namespace taizhang
