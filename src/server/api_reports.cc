// The routes of reports: importing an uploaded file into the store as a job
// on the analysis pool, the list of imported files with their reports, one
// report with its text, outline, findings and relations (enough for a page
// to mark the findings in place), the check page of `check --html`, and the
// annotated Word file of `check --annotate`.
//
// What the store keeps of a file is its rows (reports, headings, figures,
// relations, findings with line and column); the text and the byte spans
// are made again from the file's bytes, which the server keeps by content
// hash among the uploads (the sources table's content_hash is the upload's
// name). A file imported from the command line has no upload: its report
// shows the stored rows without text, and the check page and the annotated
// file are refused (409).
//
// Who may read a report: kReadReport on the report's unit, resolved in the
// unit tree as an item's 责任单位 is (UnitTree::NameUnits; no unit resolved:
// the roots). The list leaves out what the detail refuses (404). A file's
// check page and annotated copy hold all its reports: only someone who may
// read every one of them gets them.
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <ctime>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "app/app.h"
#include "common/printable.h"
#include "ingest/ingest.h"
#include "output/check_output.h"
#include "output/ledger_output.h"
#include "server/api.h"
#include "server/upload_format.h"

namespace taizhang::server_internal {

using nlohmann::json;

namespace {

// The units a report belongs to: its unit resolved on the tree, or the roots.
std::vector<int64_t> ReportUnits(const UnitTree& tree, const std::string& unit) {
  std::vector<int64_t> out = tree.NameUnits(unit);
  if (out.empty()) {
    for (const Unit& u : tree.units()) {
      if (u.parent_id == 0) out.push_back(u.id);
    }
  }
  return out;
}

Resource ReportResource(const UnitTree& tree, const StoredReport& report) {
  return Resource{ReportUnits(tree, report.unit), "", "报告 " + std::to_string(report.id)};
}

// A path segment that is a stored id; nullopt for anything else.
std::optional<int64_t> IdParam(const std::string& text) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}


const char* FormatLabel(const std::string& format) {
  if (format == "docx") return "Word .docx";
  if (format == "pdf") return "PDF";
  if (format == "doc") return "旧版 Word .doc";
  return "文本";
}

// The name without its extension ("汇编.docx" → "汇编").
std::string Stem(const std::string& name) {
  size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

// The CSP source of an inline <style> element's content: 'sha256-…';
// 'none' when there is none.
std::string StyleHashSource(std::string_view html) {
  size_t open = html.find("<style>");
  size_t close = html.find("</style>");
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return "'none'";
  std::string_view style = html.substr(open + 7, close - open - 7);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(style.data(), style.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "'none'";
  unsigned char base64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int written = EVP_EncodeBlock(base64, digest, static_cast<int>(length));
  return "'sha256-" + std::string(reinterpret_cast<const char*>(base64), static_cast<size_t>(written)) + "'";
}

// What the routes share: the services, the files analyzed lately (a
// report's page is often asked again: its findings marked, then its check
// page, then the Word file), and the lock that lets one import at a time
// write to the store (its analysis runs beside the others).
struct ReportsContext {
  StoreAccounts* accounts = nullptr;
  UploadStore* uploads = nullptr;
  JobRunner* runner = nullptr;
  std::mutex import_mutex;

  std::mutex cache_mutex;
  std::deque<std::pair<std::string, std::shared_ptr<const AnalyzedFile>>> cache;  // newest first
  static constexpr size_t kCached = 4;

  // The upload with this hash analyzed through the check (every finding
  // held: the renderers and the page want them all), as `name`; an error
  // when the upload is gone or cannot be read.
  Result<std::shared_ptr<const AnalyzedFile>> Analysis(const std::string& hash, const std::string& name) {
    {
      std::lock_guard lock(cache_mutex);
      for (auto it = cache.begin(); it != cache.end(); ++it) {
        if (it->first == hash && it->second->path == name) {
          auto found = it->second;
          cache.erase(it);
          cache.emplace_front(hash, found);
          return found;
        }
      }
    }
    Result<std::string> bytes = uploads->Read(hash);
    if (!bytes.ok()) return bytes.status();
    AnalyzeOptions options;
    options.last = Stage::kCheck;
    auto file = std::make_shared<AnalyzedFile>(AnalyzeBytes(name, std::move(*bytes), options));
    if (!file->ok()) return file->status;
    std::shared_ptr<const AnalyzedFile> done = std::move(file);
    std::lock_guard lock(cache_mutex);
    cache.emplace_front(hash, done);
    if (cache.size() > kCached) cache.pop_back();
    return done;
  }
};

// --- JSON of a stored file and report ----------------------------------------------

json SourceJson(const StoredSource& s) {
  return {{"id", s.id},
          {"name", s.path},
          {"format", s.format},
          {"size", s.size_bytes},
          {"content_hash", s.content_hash},
          {"version", s.version},
          {"previous_id", s.previous_id == 0 ? json(nullptr) : json(s.previous_id)},
          {"report_count", s.report_count},
          {"imported_at", s.imported_at},
          {"imported_by", s.imported_by}};
}

json ReportSummaryJson(const StoredReport& r) {
  return {{"id", r.id},
          {"source_id", r.source_id},
          {"doc_index", r.doc_index},
          {"title", r.title},
          {"unit", r.unit},
          {"unit_guessed", r.unit_guessed},
          {"kind", r.kind},
          {"summary_year", r.summary_year == 0 ? json(nullptr) : json(r.summary_year)},
          {"plan_year", r.plan_year == 0 ? json(nullptr) : json(r.plan_year)},
          {"first_line", r.first_line},
          {"last_line", r.last_line},
          {"counts",
           {{"headings", r.heading_count},
            {"figures", r.quantity_count},
            {"plan_items", r.plan_item_count},
            {"relations", r.relation_count},
            {"findings", r.finding_count}}}};
}

// A byte span of the text as lines and columns (characters, 1-based; the
// end is just past the span), which a page can mark without the bytes.
json SpanJson(const SourceText& source, Span span) {
  Location begin = source.Locate(span.begin);
  Location end = source.Locate(span.end);
  return {{"line", begin.line}, {"column", begin.column}, {"end_line", end.line}, {"end_column", end.column}};
}

json TextSpanJson(const SourceText& source, Span span) {
  json out = SpanJson(source, span);
  out["text"] = std::string(span.In(source.text()));
  return out;
}

// The headings of a report as a tree (children in order).
json Tree(std::vector<json> nodes, const std::vector<int>& parents) {
  // Children are listed after their parent: attach from the last up.
  for (size_t k = nodes.size(); k-- > 0;) {
    int p = parents[k];
    if (p >= 0 && static_cast<size_t>(p) < k) {
      nodes[p]["children"].insert(nodes[p]["children"].begin(), std::move(nodes[k]));
      nodes[k] = nullptr;
    }
  }
  json roots = json::array();
  for (json& n : nodes) {
    if (!n.is_null()) roots.push_back(std::move(n));
  }
  return roots;
}

// The detail made from the file's text: the report's lines, its outline
// with spans, its findings with spans and related places, its relations
// with their figures.
void AddAnalysis(const AnalyzedFile& file, size_t index, json* out) {
  const SourceText& source = file.source;
  const std::string_view text = source.text();
  const Report& report = file.outline.reports[index];
  json lines = json::array();
  for (uint32_t n = report.first_line; n <= report.last_line && n <= source.line_count(); ++n) {
    lines.push_back({{"line", n}, {"text", std::string(source.Line(n))}});
  }
  (*out)["lines"] = std::move(lines);

  std::vector<json> nodes;
  std::vector<int> parents;
  for (size_t h = 0; h < report.headings.size(); ++h) {
    const Heading& hd = report.headings[h];
    Span whole{hd.marker.empty() ? hd.title.begin : std::min(hd.marker.begin, hd.title.begin),
               std::max(hd.marker.end, hd.title.end)};
    json node = {{"index", h},
                 {"depth", hd.depth},
                 {"marker", std::string(hd.marker.In(text))},
                 {"marker_kind", MarkerKindName(hd.kind)},
                 {"title", std::string(hd.title.In(text))},
                 {"section_kind", SectionKindName(hd.section_kind)},
                 {"section_year", hd.section_year == 0 ? json(nullptr) : json(hd.section_year)},
                 {"span", SpanJson(source, whole)},
                 {"last_line", hd.last_line},
                 {"children", json::array()}};
    nodes.push_back(std::move(node));
    parents.push_back(hd.parent);
  }
  (*out)["outline"] = Tree(std::move(nodes), parents);

  json findings = json::array();
  for (const Finding& f : file.check.findings) {
    if (f.report != static_cast<int>(index)) continue;
    json related = json::array();
    for (const RelatedPlace& p : f.related) {
      json place = TextSpanJson(source, p.span);
      place["note"] = p.note;
      related.push_back(std::move(place));
    }
    findings.push_back({{"rule", f.rule},
                        {"severity", SeverityName(f.severity)},
                        {"line", f.line},
                        {"column", f.column},
                        {"span", TextSpanJson(source, f.span)},
                        {"message", f.message},
                        {"fix", f.has_fix ? json(f.fix) : json(nullptr)},
                        {"related", std::move(related)}});
  }
  (*out)["findings"] = std::move(findings);

  json relations = json::array();
  const ReportFacts& facts = file.facts.reports[index];
  for (const Relation& rel : file.check.reports[index].relations) {
    json figures = json::array();
    std::vector<int> members;
    if (rel.whole >= 0) members.push_back(rel.whole);
    members.insert(members.end(), rel.parts.begin(), rel.parts.end());
    for (int q : members) {
      if (q < 0 || static_cast<size_t>(q) >= facts.quantities.size()) continue;
      const Quantity& figure = facts.quantities[q];
      json place = TextSpanJson(source, figure.span);
      place["value"] = figure.value ? json(figure.value->ToString()) : json(nullptr);
      place["unit"] = figure.unit;
      place["role"] = q == rel.whole ? "whole" : "part";
      figures.push_back(std::move(place));
    }
    relations.push_back({{"family", rel.family},
                         {"status", RelationStatusName(rel.status)},
                         {"status_label", RelationStatusLabel(rel.status)},
                         {"line", rel.line},
                         {"statement", rel.statement},
                         {"reason", rel.reason},
                         {"figures", std::move(figures)}});
  }
  (*out)["relations"] = std::move(relations);
}

// The detail from the stored rows only (no text at hand).
void AddStoredRows(const StoredReportRows& rows, json* out) {
  (*out)["lines"] = nullptr;
  std::vector<json> nodes;
  std::vector<int> parents;
  for (const StoredHeading& h : rows.headings) {
    nodes.push_back({{"index", h.index},
                     {"depth", h.depth},
                     {"marker", h.marker},
                     {"marker_kind", h.marker_kind},
                     {"title", h.title},
                     {"section_kind", h.section_kind},
                     {"section_year", h.section_year == 0 ? json(nullptr) : json(h.section_year)},
                     {"span", {{"line", h.line}, {"column", h.column}}},
                     {"children", json::array()}});
    parents.push_back(h.parent);
  }
  (*out)["outline"] = Tree(std::move(nodes), parents);
  json findings = json::array();
  for (const StoredFinding& f : rows.findings) {
    findings.push_back({{"rule", f.rule},
                        {"severity", f.severity},
                        {"line", f.line},
                        {"column", f.column},
                        {"span", nullptr},
                        {"message", f.message},
                        {"fix", nullptr},
                        {"related", json::array()}});
  }
  (*out)["findings"] = std::move(findings);
  json relations = json::array();
  for (const StoredRelation& r : rows.relations) {
    relations.push_back({{"family", r.family},
                         {"status", r.status},
                         {"line", r.line},
                         {"statement", r.statement},
                         {"reason", r.reason},
                         {"figures", json::array()}});
  }
  (*out)["relations"] = std::move(relations);
}

// --- The import job -------------------------------------------------------------------

// The first line of what `taizhang import` prints for the file.
std::string ImportMessage(const std::string& name, const ImportOutcome& outcome) {
  std::string text = RenderImportText(PrintableName(name), outcome, "");
  size_t end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

const char* OutcomeName(ImportOutcome::Kind kind) {
  return kind == ImportOutcome::kNew ? "new" : kind == ImportOutcome::kUnchanged ? "unchanged" : "new_version";
}

// Imports the upload as `principal`: the analysis on this (pool) thread,
// then, one import at a time, the store's transaction on a connection
// lent by the accounts. Content the store holds is not analyzed again.
Result<std::string> ImportJob(ReportsContext* context, const Principal& principal, const JobRecord& job,
                              std::string bytes, const std::function<void(int)>& progress) {
  std::optional<StoredSource> held;
  Status s = context->accounts->WithStore([&](AccessStore&, LedgerStore& ledger) {
    Result<std::optional<StoredSource>> found = ledger.FindSource(job.upload);
    if (!found.ok()) return found.status();
    held = std::move(*found);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::optional<Result<ImportOutcome>> outcome;
  if (held) {
    ImportOutcome unchanged;
    unchanged.kind = ImportOutcome::kUnchanged;
    unchanged.source_id = held->id;
    unchanged.version = held->version;
    unchanged.content_hash = held->content_hash;
    outcome.emplace(unchanged);
  } else {
    progress(10);
    AnalyzeOptions options;
    PreparedImport prepared = PrepareImportBytes(job.name, std::move(bytes), options);
    if (!prepared.status.ok()) return prepared.status;
    progress(70);
    std::lock_guard lock(context->import_mutex);
    s = context->accounts->WithStore([&](AccessStore&, LedgerStore& ledger) {
      const std::string before = ledger.user();
      ledger.set_user(principal.name);
      outcome.emplace(StorePrepared(ledger, std::move(prepared), options));
      ledger.set_user(before);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (!outcome->ok()) return outcome->status();
  }
  const ImportOutcome& o = **outcome;
  progress(95);
  std::vector<StoredReport> reports;
  s = context->accounts->WithStore([&](AccessStore&, LedgerStore& ledger) {
    ReportFilter filter;
    filter.source_id = o.source_id;
    Result<std::vector<StoredReport>> listed = ledger.ListReports(filter);
    if (!listed.ok()) return listed.status();
    reports = std::move(*listed);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  json report_list = json::array();
  for (const StoredReport& r : reports) report_list.push_back({{"id", r.id}, {"title", r.title}, {"unit", r.unit}});
  json result = {{"outcome", OutcomeName(o.kind)},
                 {"message", ImportMessage(job.name, o)},
                 {"sources_created", o.kind == ImportOutcome::kUnchanged ? 0 : 1},
                 {"source_id", o.source_id},
                 {"version", o.version},
                 {"content_hash", o.content_hash},
                 {"reports", o.reports},
                 {"plan_items", o.plan_items},
                 {"ledger_added", o.ledger_added},
                 {"ledger_updated", o.ledger_updated},
                 {"ledger_existing", o.ledger_existing},
                 {"awaiting_review", o.awaiting_review},
                 {"warnings", o.warnings},
                 {"report_list", std::move(report_list)}};
  return result.dump(-1, ' ', false, json::error_handler_t::replace);
}


HttpResponse StoreError(const Status& s) { return ErrorResponse(500, s.message()); }

// Whether `principal` may read the reports of file `source_id` (Authorize,
// nothing audited): any of them, all of them, and the resource of one it
// may not read (to audit the refusal).
// The list of reports is paged by file.
constexpr PageSpec kSourcePages{50, 200, "个文件"};

struct SourceReach {
  bool any = false, all = true;
  Resource refused;
  std::vector<StoredReport> readable;  // the file's reports the principal may read
};
Result<SourceReach> ReachOfSource(AccessStore& access, LedgerStore& ledger, const Principal& principal,
                                  int64_t source_id) {
  Result<UnitTree> tree = access.Units();
  if (!tree.ok()) return tree.status();
  ReportFilter filter;
  filter.source_id = source_id;
  Result<std::vector<StoredReport>> reports = ledger.ListReports(filter);
  if (!reports.ok()) return reports.status();
  std::vector<Resource> resources;
  for (const StoredReport& r : *reports) resources.push_back(ReportResource(*tree, r));
  // A file without reports belongs to the roots.
  if (resources.empty()) resources.push_back(Resource{ReportUnits(*tree, ""), "", ""});
  SourceReach reach;
  for (size_t i = 0; i < resources.size(); ++i) {
    Resource& resource = resources[i];
    if (Authorize(principal, Action::kReadReport, resource).allowed) {
      reach.any = true;
      if (i < reports->size()) reach.readable.push_back((*reports)[i]);
    } else if (reach.all) {
      reach.all = false;
      reach.refused = std::move(resource);
    }
  }
  reach.refused.object = "文件 " + std::to_string(source_id);
  return reach;
}

}  // namespace

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
void AddReportRoutes(Router* router, StoreAccounts* accounts, const ApiServices& services,
                     const ApiOptions& options) {
  auto context = std::make_shared<ReportsContext>();
  context->accounts = accounts;
  context->uploads = services.uploads;
  context->runner = services.runner;

  std::vector<std::pair<int, std::string>> import_responses = {
      {202, "已排队，用返回的任务编号查询进度（GET /api/v1/jobs/{id}）"},
      {400, "请求体不是有效的 JSON 对象或不是有效的 UTF-8"},
  };
  AddAuthResponses(&import_responses);
  import_responses.push_back({413, "请求体超过上限"});
  import_responses.push_back({415, "请求体不是 application/json"});
  import_responses.push_back({422, "字段缺失、类型不对、文件名含路径，没有这个上传的文件，或上传的是图片（只作佐证材料）"});
  import_responses.push_back({429, "分析队列已满，稍后再试（Retry-After）"});
  import_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/reports",
      .operation_id = "importReport",
      .summary = "把一个已上传的文件导入台账（提纲、数字、校核结果，计划事项成为待确认的台账事项），在后台的分析线程上进行；"
                 "任务完成时的结果与 taizhang import 的说法相同，相同内容再次导入不会重复",
      .tag = "报告",
      .action = "reports.upload",
      .request_type = "application/json",
      .request_schema = {{"type", "object"},
                         {"required", {"file", "name"}},
                         {"additionalProperties", false},
                         {"properties",
                          {{"file", {{"type", "string"}, {"description", "上传得到的 SHA-256"}}},
                           {"name",
                            {{"type", "string"},
                             {"description", "原文件名（存为文件的名称，不含路径；不能含 / 或 \\）"},
                             {"maxLength", 255}}}}}},
      .max_body = options.max_json_bytes,
      .response_schema = JobSchema(),
      .responses = import_responses,
      .handler =
          [context](RouteContext& request_context) {
            if (context->accounts == nullptr) return NoAccountsResponse();
            HttpResponse error;
            std::optional<json> body = ParseJsonObject(request_context.request, &error);
            if (!body) return error;
            for (const auto& [key, value] : body->items()) {
              if (key != "file" && key != "name") return ErrorResponse(422, "不认识的字段：" + key + "。");
            }
            auto file = body->find("file");
            auto name = body->find("name");
            if (file == body->end() || !file->is_string()) {
              return ErrorResponse(422, "字段 file 应是上传文件得到的 SHA-256 字符串。");
            }
            if (name == body->end() || !name->is_string()) return ErrorResponse(422, "字段 name 应是文件名字符串。");
            const std::string& file_hash = file->get_ref<const std::string&>();
            const std::string& file_name = name->get_ref<const std::string&>();
            if (!IsPlainFileName(file_name)) {
              return ErrorResponse(422, "文件名不能为空、不能含路径（/ 或 \\）或控制字符，且不超过 255 字节。");
            }
            if (!IsSha256Hex(file_hash) || !context->uploads->Has(file_hash)) {
              return ErrorResponse(422, "没有这个上传的文件：请先上传（POST /api/v1/files）。");
            }
            if (std::optional<HttpResponse> photo = NotADocument(*context->uploads, file_hash, file_name)) return *photo;
            const Principal principal = *request_context.principal;
            std::optional<JobRecord> job = context->runner->Submit(
                PrincipalOwner(principal), file_hash, file_name,
                [context, principal](const JobRecord& record, std::string bytes,
                                     const std::function<void(int)>& progress) {
                  return ImportJob(context.get(), principal, record, std::move(bytes), progress);
                });
            if (!job) {
              HttpResponse busy = ErrorResponse(429, "服务器繁忙，分析队列已满，请稍后再试。");
              busy.Set("Retry-After", "5");
              return busy;
            }
            HttpResponse response = JsonResponse(202, JobJson(*job));
            response.Set("Location", "/api/v1/jobs/" + job->id);
            return response;
          },
  });

  json report_summary = {
      {"type", "object"},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"source_id", {{"type", "integer"}}},
        {"doc_index", {{"type", "integer"}, {"description", "在文件中的次序，从 1 起"}}},
        {"title", {{"type", "string"}}},
        {"unit", {{"type", "string"}}},
        {"unit_guessed", {{"type", "boolean"}, {"description", "单位是推断的（报告中没有写明）"}}},
        {"kind", {{"type", "string"}, {"description", "summary、plan、summary+plan、government_work_report、other"}}},
        {"summary_year", {{"type", "integer"}, {"nullable", true}}},
        {"plan_year", {{"type", "integer"}, {"nullable", true}}},
        {"first_line", {{"type", "integer"}}},
        {"last_line", {{"type", "integer"}}},
        {"counts", {{"type", "object"}, {"description", "标题、数字、计划事项、数字关系、问题的个数"}}}}}};
  json source_schema = {
      {"type", "object"},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"name", {{"type", "string"}, {"description", "导入时的文件名"}}},
        {"format", {{"type", "string"}, {"enum", {"text", "docx", "pdf", "doc"}}}},
        {"size", {{"type", "integer"}}},
        {"content_hash", {{"type", "string"}}},
        {"version", {{"type", "integer"}, {"description", "同名文件内容改变后再导入为新版本"}}},
        {"report_count", {{"type", "integer"}, {"description", "文件中的报告篇数（汇编为多篇）"}}},
        {"imported_at", {{"type", "string"}}},
        {"imported_by", {{"type", "string"}}}}}};

  std::vector<std::pair<int, std::string>> list_responses = {
      {200, "本人可以查看的报告，按文件分组（汇编是一个文件、多篇报告），及文件总数"},
      {400, "查询参数不对（年度、分页）"}};
  AddAuthResponses(&list_responses);
  list_responses.push_back({503, "本服务没有启用账户"});
  json list_source = source_schema;
  list_source["properties"]["reports"] = {{"type", "array"}, {"items", report_summary}};
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/reports",
      .operation_id = "listReports",
      .summary = "已导入的报告列表：按文件分组（一份汇编是一个文件和其中的 N 篇报告），只列本人可以查看的报告，"
                 "可按单位、年度、类型、文字筛选，按文件分页；每个文件只列最新版本",
      .tag = "报告",
      .action = "reports.read",
      .params = {{"unit", "query", "单位（与 taizhang ledger list --unit 相同的匹配）", false},
                 {"year", "query", "年度（总结或计划的年度）", false},
                 {"kind", "query", "类型：summary、plan、summary+plan、government_work_report、other", false},
                 {"text", "query", "标题、单位或文件名中的文字", false},
                 PageParams(kSourcePages)[0],
                 PageParams(kSourcePages)[1]},
      .response_schema = {{"type", "object"},
                          {"required", {"sources", "total", "offset", "limit"}},
                          {"properties",
                           PageSchema({{"sources", {{"type", "array"}, {"items", list_source}}},
                                       {"total", {{"type", "integer"}, {"description", "有本人可以查看的报告、符合条件的文件数"}}}})}},
      .responses = list_responses,
      .handler =
          [context](RouteContext& request_context) {
            if (context->accounts == nullptr) return NoAccountsResponse();
            const HttpRequest& request = request_context.request;
            ReportFilter filter;
            if (std::optional<std::string> unit = request.Query("unit")) filter.unit = *unit;
            if (std::optional<std::string> kind = request.Query("kind")) filter.kind = *kind;
            if (std::optional<std::string> text = request.Query("text")) filter.text = *text;
            std::optional<int64_t> year = IntegerQuery(request, "year", 0, 9999);
            if (!year) return ErrorResponse(400, "year 应为年份数字。");
            HttpResponse error;
            std::optional<Page> page = ParsePage(request, kSourcePages, &error);
            if (!page) return error;
            const int64_t* offset = &page->offset;
            const int64_t* limit = &page->limit;
            filter.year = static_cast<int>(*year);
            const Principal& principal = *request_context.principal;
            json sources = json::array();
            int64_t total = 0;
            Status s = context->accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) {
              Result<UnitTree> tree = access.Units();
              if (!tree.ok()) return tree.status();
              Result<std::vector<StoredReport>> reports = ledger.ListReports(filter);
              if (!reports.ok()) return reports.status();
              // The readable reports, grouped by file in the list's order.
              std::vector<std::pair<int64_t, std::vector<const StoredReport*>>> groups;
              for (const StoredReport& r : *reports) {
                if (!Authorize(principal, Action::kReadReport, ReportResource(*tree, r)).allowed) continue;
                if (groups.empty() || groups.back().first != r.source_id) groups.push_back({r.source_id, {}});
                groups.back().second.push_back(&r);
              }
              total = static_cast<int64_t>(groups.size());
              const size_t begin = static_cast<size_t>(std::min<int64_t>(*offset, total));
              const size_t end = static_cast<size_t>(std::min<int64_t>(*offset + *limit, total));
              std::vector<int64_t> ids;
              for (size_t g = begin; g < end; ++g) ids.push_back(groups[g].first);
              Result<std::vector<StoredSource>> files = ledger.GetSources(ids);
              if (!files.ok()) return files.status();
              for (size_t g = begin, k = 0; g < end && k < files->size(); ++g, ++k) {
                json source = SourceJson((*files)[k]);
                json listed = json::array();
                for (const StoredReport* r : groups[g].second) listed.push_back(ReportSummaryJson(*r));
                source["reports"] = std::move(listed);
                sources.push_back(std::move(source));
              }
              return Status::Ok();
            });
            if (!s.ok()) return StoreError(s);
            return JsonResponse(200, {{"sources", std::move(sources)},
                                      {"total", total},
                                      {"offset", *offset},
                                      {"limit", *limit}});
          },
      .blocking = true,
  });

  std::vector<std::pair<int, std::string>> detail_responses = {{200, "报告的全部内容"}};
  AddAuthResponses(&detail_responses);
  detail_responses.push_back({404, "没有这篇报告，或不在本人可以查看的范围内（列表中也不会出现）"});
  detail_responses.push_back({500, "原文件读不出了"});
  detail_responses.push_back({503, "本服务没有启用账户"});
  json detail_schema = report_summary;
  detail_schema["properties"]["source"] = source_schema;
  detail_schema["properties"]["original"] = {
      {"type", "boolean"},
      {"description", "原文件在服务器上（经本接口上传导入）：有原文各行、位置范围和相关数字；否则（由命令行导入）只有入库的行号列号"}};
  detail_schema["properties"]["lines"] = {
      {"type", "array"}, {"nullable", true}, {"description", "报告的原文，每行 {line, text}，行号与位置范围一致"}};
  detail_schema["properties"]["outline"] = {
      {"type", "array"},
      {"description", "提纲树：每个标题 {index, depth, marker, title, section_kind, span, last_line, children}；"
                      "span 为 {line, column, end_line, end_column}（列按字符计，从 1 起，end 指向范围之后）"}};
  detail_schema["properties"]["findings"] = {
      {"type", "array"},
      {"description", "问题：{rule, severity, line, column, span（含 text）, message, fix, related: [{note, text, span…}]}，"
                      "与 taizhang check --json 对这篇报告所列的相同"}};
  detail_schema["properties"]["relations"] = {
      {"type", "array"},
      {"description", "核对过的数字关系：{family, status, status_label, line, statement, reason, figures: [{text, value, unit, role, span…}]}"}};
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/reports/{id}",
      .operation_id = "getReport",
      .summary = "一篇报告：基本信息、原文各行、提纲树（带位置范围）、问题（位置、说明、相关数字）、核对过的数字关系，足以在原文中标出问题",
      .tag = "报告",
      .action = "reports.read",
      .params = {{"id", "path", "报告编号", true}},
      .response_schema = detail_schema,
      .responses = detail_responses,
      .handler =
          [context](RouteContext& request_context) {
            if (context->accounts == nullptr) return NoAccountsResponse();
            std::optional<int64_t> id = IdParam(request_context.params["id"]);
            if (!id) return ErrorResponse(404, "没有这篇报告。");
            const Principal& principal = *request_context.principal;
            std::optional<StoredReport> report;
            std::optional<StoredSource> source;
            StoredReportRows rows;
            Status s = context->accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) {
              Result<std::optional<StoredReport>> found = ledger.GetReport(*id);
              if (!found.ok()) return found.status();
              if (!*found) return Status::Ok();
              Result<UnitTree> tree = access.Units();
              if (!tree.ok()) return tree.status();
              Result<Decision> decision = access.Require(principal, Action::kReadReport, ReportResource(*tree, **found));
              if (!decision.ok()) return decision.status();
              if (!decision->allowed) return Status::Ok();
              Result<std::optional<StoredSource>> file = ledger.GetSource((*found)->source_id);
              if (!file.ok()) return file.status();
              Result<StoredReportRows> stored = ledger.GetReportRows(*id);
              if (!stored.ok()) return stored.status();
              report = std::move(*found);
              source = std::move(*file);
              rows = std::move(*stored);
              return Status::Ok();
            });
            if (!s.ok()) return StoreError(s);
            if (!report || !source) return ErrorResponse(404, "没有这篇报告。");
            json body = ReportSummaryJson(*report);
            body["unit_kind"] = report->unit_kind;
            body["source"] = SourceJson(*source);
            bool original = false;
            if (context->uploads->Has(source->content_hash)) {
              Result<std::shared_ptr<const AnalyzedFile>> file =
                  context->Analysis(source->content_hash, source->path);
              if (!file.ok()) return ErrorResponse(500, file.status().message());
              const AnalyzedFile& analyzed = **file;
              const size_t index = static_cast<size_t>(report->doc_index - 1);  // 1-based
              // The same engine reads the same bytes the same way; if it has
              // changed since the import, the stored rows are what was imported.
              original = report->doc_index >= 1 && analyzed.outline.reports.size() == static_cast<size_t>(source->report_count) &&
                         index < analyzed.outline.reports.size() &&
                         analyzed.outline.reports[index].first_line == report->first_line;
              if (original) AddAnalysis(analyzed, index, &body);
            }
            if (!original) AddStoredRows(rows, &body);
            body["original"] = original;
            return JsonResponse(200, body);
          },
      .blocking = true,
  });

  std::vector<std::pair<int, std::string>> html_responses = {
      {200, "text/html：与 taizhang check --html 相同的校核网页（整个文件）；CSP 不许任何脚本，只许页内这一段样式"}};
  AddAuthResponses(&html_responses);
  html_responses.push_back({404, "没有这篇报告，或不在本人可以查看的范围内"});
  html_responses.push_back({409, "原文件不在服务器上（由命令行导入），无法生成"});
  html_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/reports/{id}/check.html",
      .operation_id = "getReportCheckPage",
      .summary = "报告所在文件的校核网页（与 taizhang check --html 相同）；汇编中有本人无权查看的报告时，网页只含本人可以查看的各篇（原文、问题、数量关系、计数），其他各篇一概不出现",
      .tag = "报告",
      .action = "reports.read",
      .params = {{"id", "path", "报告编号", true}},
      .responses = html_responses,
      .handler =
          [context](RouteContext& request_context) {
            if (context->accounts == nullptr) return NoAccountsResponse();
            std::optional<int64_t> id = IdParam(request_context.params["id"]);
            if (!id) return ErrorResponse(404, "没有这篇报告。");
            const Principal& principal = *request_context.principal;
            std::optional<StoredSource> source;
            bool whole = false;
            std::vector<StoredReport> readable;
            Status s = context->accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) {
              Result<std::optional<StoredReport>> found = ledger.GetReport(*id);
              if (!found.ok()) return found.status();
              if (!*found) return Status::Ok();
              Result<UnitTree> tree = access.Units();
              if (!tree.ok()) return tree.status();
              Result<Decision> decision = access.Require(principal, Action::kReadReport, ReportResource(*tree, **found));
              if (!decision.ok()) return decision.status();
              if (!decision->allowed) return Status::Ok();
              Result<SourceReach> reach = ReachOfSource(access, ledger, principal, (*found)->source_id);
              if (!reach.ok()) return reach.status();
              if (!reach->all) {
                Result<Decision> refused = access.Require(principal, Action::kReadReport, reach->refused);
                if (!refused.ok()) return refused.status();
              }
              Result<std::optional<StoredSource>> file = ledger.GetSource((*found)->source_id);
              if (!file.ok()) return file.status();
              source = std::move(*file);
              whole = reach->all;
              readable = std::move(reach->readable);
              return Status::Ok();
            });
            if (!s.ok()) return StoreError(s);
            if (!source) return ErrorResponse(404, "没有这篇报告。");
            if (!context->uploads->Has(source->content_hash)) {
              return ErrorResponse(409, "原文件不在服务器上（由命令行导入），无法生成校核网页：请用 taizhang check --html。");
            }
            Result<std::shared_ptr<const AnalyzedFile>> file = context->Analysis(source->content_hash, source->path);
            if (!file.ok()) return ErrorResponse(500, file.status().message());
            CheckedFile view = CheckedView(**file);
            if (!whole) {
              // A compilation mixing units: the page of the reports this
              // principal may read, nothing of the others. Each is matched
              // to the analysis by its place and title line; if the engine
              // no longer reads the file as it was imported, no page.
              const OutlineResult& outline = (*file)->outline;
              if (outline.reports.size() != static_cast<size_t>(source->report_count)) {
                return ErrorResponse(403, "这个文件还包含您无权查看的报告，且无法按篇分开，不能取得校核网页。");
              }
              view.shown_reports.assign(outline.reports.size(), false);
              for (const StoredReport& r : readable) {
                const size_t index = static_cast<size_t>(r.doc_index - 1);
                if (r.doc_index < 1 || index >= outline.reports.size() || outline.reports[index].first_line != r.first_line) {
                  return ErrorResponse(403, "这个文件还包含您无权查看的报告，且无法按篇分开，不能取得校核网页。");
                }
                view.shown_reports[index] = true;
              }
            }
            HttpResponse response;
            response.body = RenderCheckHtml({view});
            response.Set("Content-Type", "text/html; charset=utf-8");
            response.Set("Content-Security-Policy",
                         "default-src 'none'; style-src " + StyleHashSource(response.body) +
                             "; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
            response.Set("Content-Disposition",
                         ContentDisposition("inline", "check.html", Stem(source->path) + "-校核结果.html"));
            return response;
          },
      .blocking = true,
      .response_type = "text/html",
  });

  std::vector<std::pair<int, std::string>> docx_responses = {
      {200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document：原 Word 文件的副本，每个问题作为批注标在原处（与 taizhang check --annotate 相同）"}};
  AddAuthResponses(&docx_responses);
  docx_responses.push_back({404, "没有这个文件，或其中没有本人可以查看的报告"});
  docx_responses.push_back({409, "原文件不在服务器上（由命令行导入），无法生成"});
  docx_responses.push_back({422, "不是 Word .docx 文件（文本、PDF、旧版 .doc 不能加批注）"});
  docx_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/sources/{id}/annotated.docx",
      .operation_id = "getAnnotatedDocx",
      .summary = "带批注的 Word 文件：每个问题作为批注标在原文处（与 taizhang check --annotate 相同），只用于 .docx；"
                 "文件名为原文件名（RFC 5987）；汇编只有能查看其中每一篇报告的用户才能取得",
      .tag = "报告",
      .action = "reports.read",
      .params = {{"id", "path", "文件编号（报告的 source.id）", true}},
      .responses = docx_responses,
      .handler =
          [context](RouteContext& request_context) {
            if (context->accounts == nullptr) return NoAccountsResponse();
            std::optional<int64_t> id = IdParam(request_context.params["id"]);
            if (!id) return ErrorResponse(404, "没有这个文件。");
            const Principal& principal = *request_context.principal;
            std::optional<StoredSource> source;
            bool whole = false;
            Status s = context->accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) {
              Result<std::optional<StoredSource>> file = ledger.GetSource(*id);
              if (!file.ok()) return file.status();
              if (!*file) return Status::Ok();
              Result<SourceReach> reach = ReachOfSource(access, ledger, principal, *id);
              if (!reach.ok()) return reach.status();
              if (!reach->all) {
                // Audited: a refusal (404 when none of its reports is readable).
                Result<Decision> refused = access.Require(principal, Action::kReadReport, reach->refused);
                if (!refused.ok()) return refused.status();
              }
              if (!reach->any) return Status::Ok();
              source = std::move(*file);
              whole = reach->all;
              return Status::Ok();
            });
            if (!s.ok()) return StoreError(s);
            if (!source) return ErrorResponse(404, "没有这个文件。");
            if (!whole) {
              return ErrorResponse(403, "这个文件还包含您无权查看的报告，不能取得整个文件。");
            }
            if (source->format != "docx") {
              return ErrorResponse(422, std::string("只有 Word .docx 文件能加批注，这个文件是") +
                                            FormatLabel(source->format) + "：请查看校核网页。");
            }
            if (!context->uploads->Has(source->content_hash)) {
              return ErrorResponse(409, "原文件不在服务器上（由命令行导入），无法生成带批注的文件：请用 taizhang check --annotate。");
            }
            Result<std::shared_ptr<const AnalyzedFile>> analyzed =
                context->Analysis(source->content_hash, source->path);
            if (!analyzed.ok()) return ErrorResponse(500, analyzed.status().message());
            Result<std::string> bytes = context->uploads->Read(source->content_hash);
            if (!bytes.ok()) return ErrorResponse(500, bytes.status().message());
            const AnalyzedFile& file = **analyzed;
            const CheckedFile view = CheckedView(file);
            char date[32];
            std::time_t now = std::time(nullptr);
            std::tm utc;
            gmtime_r(&now, &utc);
            std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &utc);
            WordCommentSource comments;
            comments.count = file.check.findings.size();
            comments.span = [&](size_t k) {
              const Span& span = file.check.findings[k].span;
              return std::make_pair(span.begin, span.end);
            };
            comments.make = [&](size_t k) {
              WordComment c = FindingAsWordComment(view, k);
              c.date = date;
              return c;
            };
            // Written beside the uploads (WriteWordComments writes a file),
            // read back and removed.
            const std::string out = context->uploads->dir() + "/.annotated-" + RandomId() + ".docx";
            Status written = WriteWordComments(source->path, *bytes, file.source.text(), comments, "taizhang",
                                               ReadOptions{}, out);
            if (!written.ok()) {
              std::remove(out.c_str());
              return ErrorResponse(500, written.message());
            }
            HttpResponse response;
            {
              std::ifstream in(out, std::ios::binary);
              response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
              if (!in.good() && !in.eof()) response.body.clear();
            }
            std::remove(out.c_str());
            if (response.body.empty()) return ErrorResponse(500, "无法读回生成的带批注文件。");
            response.Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
            response.Set("Content-Disposition",
                         ContentDisposition("attachment", "annotated.docx", Stem(source->path) + "（批注）.docx"));
            return response;
          },
      .blocking = true,
      .response_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  });
}
#pragma GCC diagnostic pop

}  // namespace taizhang::server_internal
