// The routes of rates, the dashboard, compare (对标对表) and the Excel ledger:
// the numbers and verdicts of `taizhang ledger rates`, `compare` and
// `ledger export` / `ledger import`, over what the principal may read.
//
// Every count is taken from the items StoreAccounts::ListItems lets the
// principal read (the list's own filter), counted by the ledger's functions
// (RatesOf), so that a chart, the list and the command line agree; the
// dashboard's counts are the list's pages and totals and GROUP BY counts
// over the same narrowing (StoreAccounts::CountItemsBy), not items read. Reports
// are read again from their file (the upload of the same content, or the
// path they were imported from): the store keeps their analysis as rows, not
// their text.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "common/utf8.h"
#include "compare/compare.h"
#include "output/compare_output.h"
#include "output/ledger_output.h"
#include "pipeline/pipeline.h"
#include "server/api.h"

namespace taizhang::server_internal {

using nlohmann::json;

Result<std::vector<LedgerItem>> ReadableItems(StoreAccounts* accounts, const Principal& principal,
                                              const ItemFilter& filter) {
  Result<StoreAccounts::ItemPage> page =
      accounts->ListItems(principal, filter, 0, std::numeric_limits<int64_t>::max());
  if (!page.ok()) return page.status();
  return std::move(page->items);
}

Result<std::string> StoreToday(StoreAccounts* accounts) {
  std::string today;
  Status s = accounts->WithStore([&](AccessStore&, LedgerStore& ledger) {
    today = ledger.today();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return today;
}

namespace {

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The day the store counts overdue against, and the unit tree.
struct StoreView {
  std::string today;
  UnitTree tree;
};
Result<StoreView> ViewOfStore(StoreAccounts* accounts) {
  StoreView view;
  Status s = accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) {
    view.today = ledger.today();
    Result<UnitTree> tree = access.Units();
    if (!tree.ok()) return tree.status();
    view.tree = std::move(*tree);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return view;
}

// The units a 责任单位 text stands for (the roots when none), as an item's.
std::vector<int64_t> UnitsOfName(const UnitTree& tree, const std::string& unit) {
  LedgerItem item;
  item.unit = unit;
  return tree.ItemUnits(item);
}

json RateRowJson(const RateRow& r, RateGroup group) {
  auto value = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json row = {{"total", r.total},
              {"problems", r.problems},
              {"rectified", r.rectified},
              {"rectified_on_time", r.rectified_on_time},
              {"due", r.due},
              {"tasks", r.tasks},
              {"done", r.done},
              {"overdue", r.overdue},
              {"rectification_rate", value(r.rectification_rate)},
              {"on_time_rectification_rate", value(r.on_time_rectification_rate)},
              {"completion_rate", value(r.completion_rate)}};
  if (group == RateGroup::kUnit) {
    row["unit"] = r.total ? json(nullptr) : json(r.unit);
  } else {
    row["month"] = r.total ? json(nullptr) : json(r.month);
  }
  return row;
}

json ItemsJson(const std::vector<LedgerItem>& items) {
  return json::parse(RenderLedgerItemsJson(items, "serve"))["items"];
}

// LedgerStore::CountItemsBy over items at hand (read and decided one by one).
std::vector<ItemGroupCount> CountByItems(const std::vector<LedgerItem>& items, ItemGrouping grouping) {
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (const LedgerItem& item : items) {
    if (grouping == ItemGrouping::kStatusLight) {
      ++counts[{ItemStatusName(item.status), WarningName(item.warning)}];
    } else {
      ++counts[{item.unit, item.deadline.substr(0, 7)}];
    }
  }
  std::vector<ItemGroupCount> out;
  for (const auto& [key, count] : counts) out.push_back({key.first, key.second, count});
  return out;
}

// --- Reports read again ----------------------------------------------------------

// The file's name without its directory: a server's paths are not shown to users.
std::string FileNameOf(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// A stored report with its file analyzed again through the facts.
struct LoadedReport {
  StoredReport stored;
  StoredSource source;  // its file
  AnalyzedFile file;
  size_t index = 0;  // into file.outline.reports and file.facts.reports
  const Report& report() const { return file.outline.reports[index]; }
  const ReportFacts& facts() const { return file.facts.reports[index]; }
};

// The bytes of a stored file: the upload of that content, else the file it
// was imported from if it still holds that content; "" when neither.
std::string StoredFileBytes(const UploadStore* uploads, const StoredSource& stored, uint64_t max_bytes) {
  if (uploads != nullptr && IsSha256Hex(stored.content_hash) && uploads->Has(stored.content_hash)) {
    Result<std::string> bytes = uploads->Read(stored.content_hash);
    if (bytes.ok()) return std::move(*bytes);
  }
  int fd = open(stored.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return "";
  struct stat st;
  std::string bytes;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) <= max_bytes) {
    bytes.resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = read(fd, bytes.data() + done, bytes.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    bytes.resize(done);
  }
  close(fd);
  if (bytes.empty() || ContentHash(bytes) != stored.content_hash) return "";
  return bytes;
}

// A stored file analyzed again (through the facts, as `compare` reads it);
// the error response, naming the report `title`, when its text is not at
// hand or reads otherwise.
std::optional<AnalyzedFile> AnalyzeStored(const UploadStore* uploads, const StoredSource& stored,
                                          const std::string& title, HttpResponse* error) {
  AnalyzeOptions options;
  options.last = Stage::kFacts;
  std::string bytes = StoredFileBytes(uploads, stored, options.read.max_bytes);
  if (bytes.empty()) {
    *error = ErrorResponse(409, "报告“" + title + "”的原文不在服务器上（没有相同内容的上传文件，入库时的文件 " +
                                    FileNameOf(stored.path) + " 也已不可读或已改动），无法重新分析；请重新上传该文件。");
    return std::nullopt;
  }
  AnalyzedFile file = AnalyzeBytes(stored.path, std::move(bytes), options);
  if (!file.ok()) {
    *error = ErrorResponse(500, file.status.message());
    return std::nullopt;
  }
  return file;
}

// The report of `stored` in its analyzed file; nullopt when the file no
// longer splits as it did when imported.
std::optional<size_t> ReportIndex(const AnalyzedFile& file, const StoredReport& stored) {
  if (stored.doc_index < 1 || static_cast<size_t>(stored.doc_index) > file.outline.reports.size()) return std::nullopt;
  size_t index = static_cast<size_t>(stored.doc_index) - 1;
  const Report& report = file.outline.reports[index];
  if (report.title.In(file.source.text()) != stored.title) return std::nullopt;
  if (index >= file.facts.reports.size()) return std::nullopt;
  return index;
}

// Report `id` for `principal` to compare: 404 when there is none or it lies
// outside the principal's scope (the refusal audited), 409 when its text
// is not at hand.
std::optional<LoadedReport> LoadReport(StoreAccounts* accounts, const UploadStore* uploads, const Principal& principal,
                                       int64_t id, HttpResponse* error) {
  std::optional<StoredReport> stored;
  std::optional<StoredSource> source;
  bool allowed = false;
  Status s = accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) {
    Result<std::optional<StoredReport>> found = ledger.GetReport(id);
    if (!found.ok()) return found.status();
    if (!*found) return Status::Ok();
    stored = std::move(*found);
    Result<std::optional<StoredSource>> file = ledger.GetSource(stored->source_id);
    if (!file.ok()) return file.status();
    source = std::move(*file);
    Result<UnitTree> tree = access.Units();
    if (!tree.ok()) return tree.status();
    Resource resource{UnitsOfName(*tree, stored->unit), "", "报告 " + std::to_string(id)};
    Result<Decision> decision = access.Require(principal, Action::kCompare, resource);
    if (!decision.ok()) return decision.status();
    allowed = decision->allowed;
    return Status::Ok();
  });
  if (!s.ok()) {
    *error = ErrorResponse(500, s.message());
    return std::nullopt;
  }
  if (!stored || !source || !allowed) {
    *error = ErrorResponse(404, "没有编号为 " + std::to_string(id) + " 的报告。");
    return std::nullopt;
  }
  std::optional<AnalyzedFile> file = AnalyzeStored(uploads, *source, stored->title, error);
  if (!file) return std::nullopt;
  std::optional<size_t> index = ReportIndex(*file, *stored);
  if (!index) {
    *error = ErrorResponse(409, "报告“" + stored->title + "”的原文重新分析后与入库时不一致（篇目不同），无法对照。");
    return std::nullopt;
  }
  LoadedReport loaded{std::move(*stored), std::move(*source), std::move(*file), *index};
  return loaded;
}

// --- Evidence in the result text -------------------------------------------------

// The byte offset of a 1-based line and column (characters) of `source`.
uint32_t OffsetOf(const SourceText& source, uint32_t line, uint32_t column) {
  if (line < 1 || line > source.line_count()) return 0;
  std::string_view text = source.Line(line);
  size_t at = 0;
  for (uint32_t c = 1; c < column && at < text.size(); ++c) utf8::Next(text, &at);
  return source.LineBegin(line) + static_cast<uint32_t>(at);
}

// Where the evidence lies in the result report's text, as character
// (code point) offsets into `text_begin`..: the sentence, and within it the
// phrase, the figure and the cue, each when found there.
json EvidenceSpans(const SourceText& source, const Report& report, uint32_t text_begin, const Evidence& e) {
  json spans = json::array();
  if (e.line == 0) return spans;
  const std::string_view text = source.text();
  const uint32_t anchor = OffsetOf(source, e.line, e.column);
  const Sentence* sentence = nullptr;
  for (const Sentence& s : report.sentences) {
    if (s.span.begin <= anchor && anchor < s.span.end) {
      sentence = &s;
      break;
    }
  }
  auto chars = [&](uint32_t offset) {
    return utf8::CountCodePoints(text.substr(text_begin, offset - std::min(offset, text_begin)));
  };
  auto add = [&](const char* kind, uint32_t begin, uint32_t end) {
    if (begin < text_begin || end <= begin) return;
    spans.push_back({{"kind", kind}, {"begin", chars(begin)}, {"end", chars(end)}});
  };
  uint32_t from = anchor, to = anchor;
  if (sentence != nullptr) {
    from = sentence->span.begin;
    to = sentence->span.end;
    add("sentence", from, to);
  }
  // Within the sentence (or from the anchor on): the first place the words are written.
  auto find = [&](const char* kind, const std::string& words, uint32_t start) {
    if (words.empty()) return;
    uint32_t limit = sentence != nullptr ? to : static_cast<uint32_t>(text.size());
    size_t at = text.substr(0, limit).find(words, start);
    if (at == std::string_view::npos) return;
    add(kind, static_cast<uint32_t>(at), static_cast<uint32_t>(at + words.size()));
  };
  find("phrase", e.phrase, from);
  if (!e.figure_text.empty()) {
    if (text.substr(anchor, e.figure_text.size()) == e.figure_text) {
      add("figure", anchor, anchor + static_cast<uint32_t>(e.figure_text.size()));
    } else {
      find("figure", e.figure_text, from);
    }
  }
  find("cue", e.cue, from);
  return spans;
}

// The comparison as `taizhang compare --json` writes it, with the result
// report's text and, for each evidence, its spans in that text.
json CompareJson(const ComparedPair& pair, const LoadedReport& result) {
  json body = json::parse(RenderCompareJson({pair}));
  const SourceText& source = result.file.source;
  const Report& report = result.report();
  const uint32_t begin = source.LineBegin(report.first_line);
  const uint32_t end = source.LineEnd(report.last_line);
  json& out = body["pairs"][0];
  out["result"]["report_id"] = result.stored.id;
  out["result"]["first_line"] = report.first_line;
  out["result"]["text"] = std::string(source.text().substr(begin, end - begin));
  const Comparison& c = *pair.comparison;
  for (size_t i = 0; i < c.outcomes.size(); ++i) {
    for (size_t k = 0; k < c.outcomes[i].evidence.size(); ++k) {
      out["items"][i]["evidence"][k]["spans"] = EvidenceSpans(source, report, begin, c.outcomes[i].evidence[k]);
    }
  }
  return body;
}

// --- Request bodies -----------------------------------------------------------------

std::optional<int64_t> IdField(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_number_integer() || it->get<int64_t>() <= 0) return std::nullopt;
  return it->get<int64_t>();
}

// The tolerance and scores of a compare body, as the command's options.
std::optional<HttpResponse> CompareOptionsOf(const json& body, CompareOptions* options) {
  auto decimal = [&](const char* name, Decimal* out) -> bool {
    auto it = body.find(name);
    if (it == body.end()) return true;
    std::optional<Decimal> value;
    if (it->is_string()) value = Decimal::Parse(it->get<std::string>());
    if (it->is_number()) value = Decimal::Parse(it->dump());
    if (!value || value->mantissa() < 0) return false;
    *out = *value;
    return true;
  };
  Decimal points = options->tolerance.about_points;
  Decimal relative(2, 0);
  if (!decimal("tolerance", &points) || !decimal("tolerance_relative", &relative)) {
    return ErrorResponse(422, "tolerance 与 tolerance_relative 应为非负的数（如 \"0.2\"、\"2\"）。");
  }
  options->tolerance.about_points = points;
  options->tolerance.about_relative = relative.Shifted(-2);
  if (auto it = body.find("min_score"); it != body.end()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1) {
      return ErrorResponse(422, "min_score 应为 0 到 1 之间的数。");
    }
    options->min_score = it->get<double>();
  }
  if (auto it = body.find("all"); it != body.end()) {
    if (!it->is_boolean()) return ErrorResponse(422, "all 应为 true 或 false。");
    options->all_plan_items = it->get<bool>();
  }
  if (auto it = body.find("year"); it != body.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1900 || it->get<int64_t>() > 2200) {
      return ErrorResponse(422, "year 应为年份数字。");
    }
    options->year = static_cast<int>(it->get<int64_t>());
  }
  return std::nullopt;
}

// --- Excel -------------------------------------------------------------------------

// A directory of its own under the system's temporary directory, removed
// with everything in it when this goes.
class ScratchDir {
 public:
  ScratchDir() {
    std::error_code ec;
    std::string pattern = (std::filesystem::temp_directory_path(ec) / "taizhang-xlsx-XXXXXX").string();
    if (ec) pattern = "/tmp/taizhang-xlsx-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The items as `taizhang ledger export` writes them; an error status when
// the workbook could not be made.
Result<std::string> LedgerXlsxBytes(const std::vector<LedgerItem>& items, const XlsxExportOptions& options) {
  ScratchDir dir;
  if (dir.path().empty()) return Status(StatusCode::kInternal, "无法创建临时目录，导出失败。");
  const std::string path = dir.path() + "/ledger.xlsx";
  Status s = WriteLedgerXlsx(items, options, path);
  if (!s.ok()) return s;
  std::string bytes;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status(StatusCode::kInternal, "无法读取导出的工作簿。");
  char buffer[65536];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) bytes.append(buffer, static_cast<size_t>(n));
  close(fd);
  if (n < 0) return Status(StatusCode::kInternal, "无法读取导出的工作簿。");
  return bytes;
}

// "工作表“任务”第 5 行".
std::string RowName(const XlsxLedger& sheet, size_t i) {
  return "工作表“" + sheet.item_sheets[i] + "”第 " + std::to_string(sheet.rows[i]) + " 行";
}

// Rows listed in a message: the first few, and how many more.
std::string RowList(const std::vector<std::string>& rows, size_t shown = 10) {
  std::string out;
  for (size_t i = 0; i < rows.size() && i < shown; ++i) out += (i == 0 ? "" : "；") + rows[i];
  if (rows.size() > shown) out += "；另有 " + std::to_string(rows.size() - shown) + " 行";
  return out;
}

// A 4xx answer with the offending rows listed beside the message.
HttpResponse RowsResponse(int status, const std::string& message, const std::vector<std::string>& rows) {
  HttpResponse response = ErrorResponse(status, message);
  json body = json::parse(response.body);
  body["error"]["rows"] = rows;
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return response;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

json RateRowSchema() {
  json count = {{"type", "integer"}};
  json rate = {{"type", "string"}, {"nullable", true}, {"description", "百分数，一位小数（如 \"94.6\"）；分母为 0 时为 null"}};
  return {{"type", "object"},
          {"properties",
           {{"unit", {{"type", "string"}, {"nullable", true}, {"description", "按单位时：责任单位；合计行为 null"}}},
            {"month", {{"type", "string"}, {"nullable", true},
                       {"description", "按月时：YYYY-MM（问题按发现时间，任务按完成时限），\"\" 为未注明；合计行为 null"}}},
            {"total", {{"type", "boolean"}, {"description", "合计行"}}},
            {"problems", count}, {"rectified", count}, {"rectified_on_time", count}, {"due", count},
            {"tasks", count}, {"done", count}, {"overdue", count},
            {"rectification_rate", rate}, {"on_time_rectification_rate", rate}, {"completion_rate", rate}}}};
}

void AddRatesRoute(Router* router, StoreAccounts* accounts) {
  std::vector<std::pair<int, std::string>> responses = {{200, "各组的完成率、整改率、按期整改率及其个数，最后一行为合计"},
                                                        {400, "查询参数不对"}};
  AddAuthResponses(&responses);
  responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/rates",
      .operation_id = "getRates",
      .summary = "完成率、整改率、按期整改率（附分子分母），按单位或按月分组；只统计本人可以查看的事项，"
                 "与 taizhang ledger rates 对同一范围的结果相同",
      .tag = "统计",
      .action = "rates.read",
      .params = {{"group", "query", "unit（按责任单位，默认）或 month（按月：问题按发现时间，任务按完成时限）", false},
                 {"year", "query", "年度：问题按发现时间、任务按年度在该年内（同 ledger rates --from 年-01-01 --to 年-12-31）", false},
                 {"from", "query", "期间起，YYYY-MM-DD（同 ledger rates --from；不与 year 同用）", false},
                 {"to", "query", "期间止，YYYY-MM-DD（同 ledger rates --to）", false},
                 {"unit", "query", "责任单位（与 ledger rates --unit 相同的匹配）", false},
                 {"kind", "query", "只统计 plan（工作任务）或 problem（问题整改）", false}},
      .response_schema = {{"type", "object"},
                          {"required", {"group", "rows"}},
                          {"properties",
                           {{"group", {{"type", "string"}, {"enum", {"unit", "month"}}}},
                            {"year", {{"type", "integer"}, {"nullable", true}}},
                            {"from", {{"type", "string"}, {"description", "期间起，\"\" 为不限"}}},
                            {"to", {{"type", "string"}, {"description", "期间止，\"\" 为不限"}}},
                            {"today", {{"type", "string"}, {"description", "计算逾期所用的日期"}}},
                            {"rows", {{"type", "array"}, {"items", RateRowSchema()}}}}}},
      .responses = responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const HttpRequest& request = context.request;
            RateGroup group = RateGroup::kUnit;
            if (std::optional<std::string> g = request.Query("group")) {
              if (*g == "month") {
                group = RateGroup::kMonth;
              } else if (*g != "unit") {
                return ErrorResponse(400, "group 应为 unit（按单位）或 month（按月）。");
              }
            }
            ItemFilter filter;  // accepted items, as ledger rates counts by default
            if (std::optional<std::string> kind = request.Query("kind")) {
              filter.kind = ParseItemKind(*kind);
              if (!filter.kind) return ErrorResponse(400, "kind 应为 plan（工作任务）或 problem（问题整改）。");
            }
            RateQuery query;
            if (std::optional<std::string> unit = request.Query("unit")) filter.unit = query.unit = *unit;
            std::optional<int64_t> year = IntegerQuery(request, "year", 0, 9999);
            if (!year || (*year != 0 && *year < 1000)) return ErrorResponse(400, "year 应为四位年份。");
            if (*year != 0) {
              query.from = std::to_string(*year) + "-01-01";
              query.to = std::to_string(*year) + "-12-31";
            }
            // Or a period of days, as ledger rates --from --to.
            for (const auto& [name, day] : {std::pair{"from", &query.from}, std::pair{"to", &query.to}}) {
              std::optional<std::string> text = request.Query(name);
              if (!text) continue;
              if (*year != 0) return ErrorResponse(400, "year 与 from、to 不能同时使用。");
              if (!IsValidDay(*text)) return ErrorResponse(400, std::string(name) + " 应为 YYYY-MM-DD 形式的有效日期。");
              *day = *text;
            }
            Result<std::vector<LedgerItem>> items = ReadableItems(accounts, *context.principal, filter);
            if (!items.ok()) return ErrorResponse(500, items.status().message());
            Result<StoreView> view = ViewOfStore(accounts);
            if (!view.ok()) return ErrorResponse(500, view.status().message());
            json rows = json::array();
            for (const RateRow& row : RatesOf(*items, query, view->today, group)) rows.push_back(RateRowJson(row, group));
            return JsonResponse(200, {{"group", group == RateGroup::kUnit ? "unit" : "month"},
                                      {"year", *year == 0 ? json(nullptr) : json(*year)},
                                      {"from", query.from},
                                      {"to", query.to},
                                      {"today", view->today},
                                      {"rows", std::move(rows)}});
          },
      // Reads every item in the scope: off the I/O threads.
      .blocking = true,
  });
}

void AddDashboardRoute(Router* router, StoreAccounts* accounts) {
  std::vector<std::pair<int, std::string>> responses = {{200, "本人的工作台数字与事项"}, {400, "查询参数不对"}};
  AddAuthResponses(&responses);
  responses.push_back({503, "本服务没有启用账户"});
  json list = {{"type", "object"},
               {"properties",
                {{"count", {{"type", "integer"}}},
                 {"items", {{"type", "array"}, {"items", {{"type", "object"}}},
                            {"description", "前 limit 项，字段与 GET /api/v1/items 相同"}}}}}};
  json counts = {{"type", "array"},
                 {"items", {{"type", "object"},
                            {"properties",
                             {{"unit", {{"type", "string"}}},
                              {"month", {{"type", "string"}}},
                              {"status", {{"type", "string"}}},
                              {"label", {{"type", "string"}}},
                              {"count", {{"type", "integer"}}}}}}}};
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/dashboard",
      .operation_id = "getDashboard",
      .summary = "工作台：本人可以查看的事项中 N 天内到期、逾期、待本人确认或销号的事项，红黄绿灯个数，"
                 "逾期按单位和月份、状态分布",
      .tag = "统计",
      .action = "rates.read",
      .params = {{"within", "query", "到期提醒的天数，0–366（默认 7）", false},
                 {"limit", "query", "每类列出的事项数，0–200（默认 20；个数总是全部）", false}},
      .response_schema =
          {{"type", "object"},
           {"properties",
            {{"today", {{"type", "string"}}},
             {"within", {{"type", "integer"}}},
             {"due_soon", list},
             {"overdue", list},
             {"awaiting_review", list},
             {"awaiting_close_off", list},
             {"lights", {{"type", "object"},
                         {"properties", {{"red", {{"type", "integer"}}}, {"yellow", {{"type", "integer"}}},
                                         {"green", {{"type", "integer"}}}, {"none", {{"type", "integer"}}}}}}},
             {"overdue_by_unit_month", counts},
             {"status", counts}}}},
      .responses = responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const Principal& principal = *context.principal;
            std::optional<int64_t> within = IntegerQuery(context.request, "within", 7, 366);
            std::optional<int64_t> limit = IntegerQuery(context.request, "limit", 20, 200);
            if (!within) return ErrorResponse(400, "within 应为 0 到 366 的天数。");
            if (!limit) return ErrorResponse(400, "limit 应为 0 到 200 的整数。");
            Result<StoreView> view = ViewOfStore(accounts);
            if (!view.ok()) return ErrorResponse(500, view.status().message());
            // Each list: its first `limit` items and how many there are, a
            // page of the list's own query.
            bool decided_item_by_item = false;
            auto list = [&](ItemFilter filter, const std::vector<Action>& also) -> Result<json> {
              Result<StoreAccounts::ItemPage> page = accounts->ListItems(principal, filter, 0, *limit, also);
              if (!page.ok()) return page.status();
              decided_item_by_item = decided_item_by_item || page->decided_item_by_item;
              if (page->items.size() > static_cast<size_t>(*limit)) page->items.resize(static_cast<size_t>(*limit));
              return json{{"count", page->total}, {"items", ItemsJson(page->items)}};
            };
            ItemFilter due_filter;
            due_filter.due_within_days = static_cast<int>(*within);
            ItemFilter overdue_filter;
            overdue_filter.overdue = true;
            // Proposals the principal may review (督查员 within its scope).
            ItemFilter proposed;
            proposed.review = ReviewState::kProposed;
            // 销号 is a second person's check: not what one submitted oneself.
            ItemFilter to_close;
            to_close.status = ItemStatus::kAwaitingCloseOff;
            to_close.not_submitted_by = principal.name;
            json lists;
            const std::vector<std::tuple<const char*, ItemFilter, std::vector<Action>>> asked = {
                {"due_soon", due_filter, {}},
                {"overdue", overdue_filter, {}},
                {"awaiting_review", proposed, {Action::kReviewProposals}},
                {"awaiting_close_off", to_close, {Action::kCloseOff}}};
            for (const auto& [name, filter, also] : asked) {
              Result<json> one = list(filter, also);
              if (!one.ok()) return ErrorResponse(500, one.status().message());
              lists[name] = std::move(*one);
            }
            // The accepted items by status and light, the overdue ones by
            // unit and month: counted in the database.
            Result<std::vector<ItemGroupCount>> by_light =
                accounts->CountItemsBy(principal, ItemFilter{}, ItemGrouping::kStatusLight);
            if (!by_light.ok()) return ErrorResponse(500, by_light.status().message());
            Result<std::vector<ItemGroupCount>> by_month =
                accounts->CountItemsBy(principal, overdue_filter, ItemGrouping::kUnitDeadlineMonth);
            if (!by_month.ok()) return ErrorResponse(500, by_month.status().message());
            if (decided_item_by_item) {
              // The narrowing in SQL let through an item Authorize refuses
              // (the unit tree changed meanwhile): counted item by item.
              Result<std::vector<LedgerItem>> accepted = ReadableItems(accounts, principal, ItemFilter{});
              if (!accepted.ok()) return ErrorResponse(500, accepted.status().message());
              by_light = CountByItems(*accepted, ItemGrouping::kStatusLight);
              std::vector<LedgerItem> overdue;
              for (const LedgerItem& item : *accepted) {
                if (item.overdue) overdue.push_back(item);
              }
              by_month = CountByItems(overdue, ItemGrouping::kUnitDeadlineMonth);
            }
            std::map<std::pair<std::string, std::string>, int64_t> overdue_by;
            std::map<std::pair<std::string, std::string>, int64_t> by_status;
            int64_t red = 0, yellow = 0, green = 0, none = 0;
            for (const ItemGroupCount& group : *by_light) {
              const std::string& light = group.second;
              (light == "red" ? red : light == "yellow" ? yellow : light == "green" ? green : none) += group.count;
              // Red is overdue (ComputeWarning): shown as 逾期, whatever the stored status.
              std::optional<ItemStatus> status = ParseItemStatus(group.key);
              by_status[{light == "red" ? "overdue" : group.key,
                         light == "red" ? "逾期" : status ? ItemStatusLabel(*status) : group.key}] += group.count;
            }
            for (const ItemGroupCount& group : *by_month) overdue_by[{group.key, group.second}] += group.count;
            json by_unit_month = json::array();
            for (const auto& [key, count] : overdue_by) {
              by_unit_month.push_back({{"unit", key.first}, {"month", key.second}, {"count", count}});
            }
            json statuses = json::array();
            for (const auto& [key, count] : by_status) {
              statuses.push_back({{"status", key.first}, {"label", key.second}, {"count", count}});
            }
            return JsonResponse(200, {{"today", view->today},
                                      {"within", *within},
                                      {"due_soon", std::move(lists["due_soon"])},
                                      {"overdue", std::move(lists["overdue"])},
                                      {"awaiting_review", std::move(lists["awaiting_review"])},
                                      {"awaiting_close_off", std::move(lists["awaiting_close_off"])},
                                      {"lights", {{"red", red}, {"yellow", yellow}, {"green", green}, {"none", none}}},
                                      {"overdue_by_unit_month", std::move(by_unit_month)},
                                      {"status", std::move(statuses)}});
          },
      .blocking = true,
  });
}

void AddCompareRoutes(Router* router, StoreAccounts* accounts, const UploadStore* uploads, const ApiOptions& options) {
  std::vector<std::pair<int, std::string>> responses = {
      {200, "逐项判定，与 taizhang compare --json 相同，另附结果报告的原文与依据在原文中的位置"},
      {400, "请求体不是有效的 JSON 对象"}};
  AddAuthResponses(&responses);
  responses.push_back({404, "没有这个报告，或不在本人管辖范围内"});
  responses.push_back({409, "报告的原文不在服务器上，或与入库时不一致"});
  responses.push_back({413, "请求体超过上限"});
  responses.push_back({415, "请求体不是 application/json"});
  responses.push_back({422, "字段缺失或不对，或台账中没有这些任务"});
  responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/compare",
      .operation_id = "compare",
      .summary = "对标对表：计划报告（或台账中某单位某年度的工作任务）与结果报告逐项对照，给出判定、理由和依据",
      .tag = "统计",
      .action = "compare.run",
      .request_type = "application/json",
      .request_schema =
          {{"type", "object"},
           {"required", {"result_report"}},
           {"properties",
            {{"result_report", {{"type", "integer"}, {"description", "结果报告（总结）的编号"}}},
             {"plan_report", {{"type", "integer"}, {"description", "计划报告的编号（与 ledger 二选一）"}}},
             {"ledger",
              {{"type", "object"},
               {"description", "以台账中的工作任务为计划（本人可以查看的、已确认的）"},
               {"required", {"unit", "year"}},
               {"properties", {{"unit", {{"type", "string"}}}, {"year", {{"type", "integer"}}}}}}},
             {"year", {{"type", "integer"}, {"description", "计划年度（默认取计划报告的）"}}},
             {"tolerance", {{"type", "string"}, {"description", "“左右”的容差：百分点（默认 0.2）"}}},
             {"tolerance_relative", {{"type", "string"}, {"description", "“左右”的容差：百分之几（默认 2）"}}},
             {"min_score", {{"type", "number"}, {"description", "最低吻合度 0–1（默认 0.6）"}}},
             {"all", {{"type", "boolean"}, {"description", "也比较没有目标数字、时限或节点的计划事项"}}}}}},
      .max_body = options.max_json_bytes,
      .response_schema = {{"type", "object"},
                          {"description",
                           "与 compare --json 相同（docs/json.md）；pairs[0].result 另有 report_id、first_line、text（结果报告原文），"
                           "每条依据另有 spans：[{kind: sentence|phrase|figure|cue, begin, end}]，为 text 中的字符位置（Unicode 码位）"}},
      .responses = responses,
      .handler =
          [accounts, uploads](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            HttpResponse error;
            std::optional<json> body = ParseJsonObject(context.request, &error);
            if (!body) return error;
            static const std::set<std::string> kFields = {"result_report", "plan_report", "ledger", "year", "tolerance",
                                                          "tolerance_relative", "min_score", "all"};
            for (const auto& [key, value] : body->items()) {
              if (!kFields.count(key)) return ErrorResponse(422, "不认识的字段：" + key + "。");
            }
            std::optional<int64_t> result_id = IdField(*body, "result_report");
            std::optional<int64_t> plan_id = IdField(*body, "plan_report");
            const bool has_ledger = body->contains("ledger");
            if (!result_id) return ErrorResponse(422, "result_report 应为结果报告的编号（正整数）。");
            if (plan_id.has_value() == has_ledger) {
              return ErrorResponse(422, "请给出 plan_report（计划报告的编号）或 ledger（{\"unit\": 单位, \"year\": 年度}）之一。");
            }
            if (body->contains("plan_report") && !plan_id) return ErrorResponse(422, "plan_report 应为计划报告的编号（正整数）。");
            CompareOptions compare;
            if (std::optional<HttpResponse> bad = CompareOptionsOf(*body, &compare)) return *bad;
            const Principal& principal = *context.principal;
            std::optional<LoadedReport> result = LoadReport(accounts, uploads, principal, *result_id, &error);
            if (!result) return error;
            Comparison comparison;
            ComparedPair pair;
            pair.result_path = FileNameOf(result->source.path);
            pair.result_title = result->stored.title;
            pair.tolerance = compare.tolerance;
            if (plan_id) {
              std::optional<LoadedReport> plan = LoadReport(accounts, uploads, principal, *plan_id, &error);
              if (!plan) return error;
              int year = 0;
              std::vector<Target> targets =
                  PlanTargets(plan->file.source, plan->report(), plan->facts(), compare, &year);
              comparison = Compare(targets, year, result->file.source, result->report(), result->facts(), compare);
              pair.plan_path = FileNameOf(plan->source.path);
              pair.plan_title = plan->stored.title;
              pair.unit = ReportUnit(plan->report());
            } else {
              const json& ledger = (*body)["ledger"];
              const std::string* unit = ledger.is_object() && ledger.contains("unit") && ledger["unit"].is_string()
                                            ? &ledger["unit"].get_ref<const std::string&>()
                                            : nullptr;
              const bool year_ok = ledger.is_object() && ledger.contains("year") && ledger["year"].is_number_integer();
              if (unit == nullptr || unit->empty() || !year_ok) {
                return ErrorResponse(422, "ledger 应为 {\"unit\": 责任单位, \"year\": 计划年度}。");
              }
              const int year = static_cast<int>(ledger["year"].get<int64_t>());
              ItemFilter filter;  // accepted plan items, as compare --ledger takes them
              filter.kind = ItemKind::kPlan;
              filter.unit = *unit;
              filter.year = year;
              Result<std::vector<LedgerItem>> items = ReadableItems(accounts, principal, filter);
              if (!items.ok()) return ErrorResponse(500, items.status().message());
              if (items->empty()) {
                return ErrorResponse(422, "台账中没有本人可以查看的“" + *unit + "”" + std::to_string(year) +
                                              " 年工作任务（已确认的）；导入的事项须先确认。");
              }
              std::vector<Target> targets;
              for (const LedgerItem& item : *items) targets.push_back(LedgerTarget(item));
              comparison = Compare(targets, year, result->file.source, result->report(), result->facts(), compare);
              pair.plan_path = "台账";
              pair.plan_title = "台账：" + *unit + " " + std::to_string(year) + " 年工作任务";
              pair.unit = *unit;
            }
            pair.comparison = &comparison;
            return JsonResponse(200, CompareJson(pair, *result));
          },
      .blocking = true,
  });

  std::vector<std::pair<int, std::string>> across_responses = {
      {200, "各报告中该指标的数字，与 taizhang compare --across 指标 --json 相同，另附报告编号"},
      {400, "查询参数不对"}};
  AddAuthResponses(&across_responses);
  across_responses.push_back({404, "指定的报告不存在，或不在本人管辖范围内"});
  across_responses.push_back({422, "要分析的文件过多，请用 reports 指定"});
  across_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/compare/across",
      .operation_id = "compareAcross",
      .summary = "各单位的同一指标（如 整改率、完成投资）：数值、时间、原句与位置",
      .tag = "统计",
      .action = "compare.run",
      .params = {{"indicator", "query", "指标名称，如 整改率", true},
                 {"reports", "query", "报告编号，以逗号分隔（默认：本人管辖范围内各文件最新版本的全部报告）", false},
                 {"unit", "query", "只列单位名称含此文字的", false},
                 {"min_score", "query", "所指与指标的最低吻合度 0–1（默认 0.6）", false}},
      .response_schema = {{"type", "object"},
                          {"description", "与 compare --across --json 相同（docs/json.md），每行另有 report_id；"
                                          "missing 列出原文不在服务器上的报告"}},
      .responses = across_responses,
      .handler =
          [accounts, uploads](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const HttpRequest& request = context.request;
            const Principal& principal = *context.principal;
            std::optional<std::string> indicator = request.Query("indicator");
            if (!indicator || indicator->empty() || indicator->size() > 200) {
              return ErrorResponse(400, "请用 indicator 给出指标名称（如 整改率）。");
            }
            double min_score = 0.6;
            if (std::optional<std::string> text = request.Query("min_score")) {
              char* end = nullptr;
              min_score = std::strtod(text->c_str(), &end);
              if (text->empty() || end != text->c_str() + text->size() || !(min_score >= 0 && min_score <= 1)) {
                return ErrorResponse(400, "min_score 应为 0 到 1 之间的数。");
              }
            }
            std::optional<std::set<int64_t>> wanted;
            if (std::optional<std::string> list = request.Query("reports")) {
              wanted.emplace();
              size_t at = 0;
              while (at <= list->size()) {
                size_t comma = list->find(',', at);
                if (comma == std::string::npos) comma = list->size();
                std::string id = list->substr(at, comma - at);
                if (id.empty() || id.size() > 15 || id.find_first_not_of("0123456789") != std::string::npos) {
                  return ErrorResponse(400, "reports 应为以逗号分隔的报告编号。");
                }
                wanted->insert(std::stoll(id));
                at = comma + 1;
              }
              if (wanted->size() > 200) return ErrorResponse(400, "reports 一次最多 200 个。");
            }
            // The reports to read, by file.
            std::map<int64_t, std::vector<StoredReport>> by_source;
            std::map<int64_t, StoredSource> sources;
            std::optional<int64_t> refused;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) {
              // Asked for by number: any version of a file; else the latest.
              ReportFilter filter;
              filter.latest_only = !wanted;
              Result<std::vector<StoredReport>> all = ledger.ListReports(filter);
              if (!all.ok()) return all.status();
              Result<UnitTree> tree = access.Units();
              if (!tree.ok()) return tree.status();
              std::set<int64_t> seen;
              for (StoredReport& report : *all) {
                if (wanted && !wanted->count(report.id)) continue;
                seen.insert(report.id);
                Resource resource{UnitsOfName(*tree, report.unit), "", "报告 " + std::to_string(report.id)};
                if (!Authorize(principal, Action::kCompare, resource).allowed) {
                  if (!wanted) continue;
                  // Asked for by number: the refusal goes to the audit log.
                  Result<Decision> decision = access.Require(principal, Action::kCompare, resource);
                  if (!decision.ok()) return decision.status();
                  refused = report.id;
                  return Status::Ok();
                }
                by_source[report.source_id].push_back(std::move(report));
              }
              if (wanted) {
                for (int64_t id : *wanted) {
                  if (!seen.count(id)) refused = id;
                }
              }
              std::vector<int64_t> ids;
              for (const auto& [source_id, reports] : by_source) ids.push_back(source_id);
              Result<std::vector<StoredSource>> files = ledger.GetSources(ids);
              if (!files.ok()) return files.status();
              for (StoredSource& file : *files) sources[file.id] = std::move(file);
              return Status::Ok();
            });
            if (!s.ok()) return ErrorResponse(500, s.message());
            if (refused) return ErrorResponse(404, "没有编号为 " + std::to_string(*refused) + " 的报告。");
            if (by_source.size() > 50) {
              return ErrorResponse(422, "要分析的文件有 " + std::to_string(by_source.size()) +
                                            " 个，超过一次 50 个的上限；请用 reports 指定报告。");
            }
            const std::optional<std::string> unit_filter = request.Query("unit");  // as compare --across --unit
            std::vector<AcrossFile> files;
            std::vector<std::vector<int64_t>> row_ids;
            json missing = json::array();
            for (const auto& [source_id, reports] : by_source) {
              HttpResponse error;
              const StoredSource& source = sources[source_id];
              std::optional<AnalyzedFile> file = AnalyzeStored(uploads, source, reports.front().title, &error);
              if (!file) {
                for (const StoredReport& r : reports) {
                  missing.push_back({{"report_id", r.id}, {"title", r.title}, {"message", json::parse(error.body)["error"]["message"]}});
                }
                continue;
              }
              std::map<int, int64_t> id_of_index;  // 0-based report index → report id
              for (const StoredReport& r : reports) {
                if (ReportIndex(*file, r)) id_of_index[r.doc_index - 1] = r.id;
              }
              AcrossFile across;
              across.path = FileNameOf(source.path);
              std::vector<int64_t> ids;
              for (AcrossRow& row : AcrossUnits(*indicator, file->source, file->outline, file->facts, min_score)) {
                auto id = id_of_index.find(row.report);
                if (id == id_of_index.end()) continue;
                if (unit_filter && row.unit.find(*unit_filter) == std::string::npos) continue;
                ids.push_back(id->second);
                across.rows.push_back(std::move(row));
              }
              files.push_back(std::move(across));
              row_ids.push_back(std::move(ids));
            }
            json body = json::parse(RenderAcrossJson(*indicator, files));
            size_t k = 0;
            for (const std::vector<int64_t>& ids : row_ids) {
              for (int64_t id : ids) body["rows"][k++]["report_id"] = id;
            }
            body["missing"] = std::move(missing);
            return JsonResponse(200, body);
          },
      .blocking = true,
  });
}

void AddExcelRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  std::vector<std::pair<int, std::string>> export_responses = {{200, "Excel 台账（.xlsx），与 taizhang ledger export 相同"},
                                                               {400, "查询参数不对"}};
  AddAuthResponses(&export_responses);
  export_responses.push_back({500, "无法生成工作簿"});
  export_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/items/export.xlsx",
      .operation_id = "exportItems",
      .summary = "把事项列表导出为 Excel 台账：筛选条件与 GET /api/v1/items 相同，导出的正是列表中的全部事项（不分页）",
      .tag = "台账",
      .action = "ledger.export",
      .params = [] {
        std::vector<RouteParam> params = ItemFilterParams();
        params.push_back({"title", "query", "标题行（默认“<年度>年工作任务台账”“问题整改台账”）", false});
        params.push_back({"by_unit", "query", "1：每个责任单位一张工作表", false});
        return params;
      }(),
      .responses = export_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const HttpRequest& request = context.request;
            ItemFilter filter;
            if (std::optional<HttpResponse> bad = ParseItemFilter(request, &filter)) return *bad;
            XlsxExportOptions xlsx;
            if (std::optional<std::string> title = request.Query("title")) xlsx.title = *title;
            std::optional<int64_t> by_unit = IntegerQuery(request, "by_unit", 0, 1);
            if (!by_unit) return ErrorResponse(400, "by_unit 应为 0 或 1。");
            xlsx.sheet_per_unit = *by_unit == 1;
            Result<std::vector<LedgerItem>> items = ReadableItems(accounts, *context.principal, filter);
            if (!items.ok()) return ErrorResponse(500, items.status().message());
            Result<std::string> bytes = LedgerXlsxBytes(*items, xlsx);
            if (!bytes.ok()) return ErrorResponse(500, bytes.status().message());
            (void)accounts->WithStore([&](AccessStore& access, LedgerStore&) {
              return access.Record(*context.principal, "ledger_export", "台账", "success",
                                   "导出 " + std::to_string(items->size()) + " 项");
            });
            HttpResponse response;
            response.body = std::move(*bytes);
            response.Set("Content-Type", kXlsxType);
            response.Set("Content-Disposition",
                         "attachment; filename=\"taizhang-ledger.xlsx\"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6.xlsx");
            response.Set("X-Item-Count", std::to_string(items->size()));
            return response;
          },
      .blocking = true,
      .response_type = kXlsxType,
  });

  std::vector<std::pair<int, std::string>> import_responses = {
      {200, "已导入：新增、更新、未变的项数"}, {400, "请求体为空"}};
  AddAuthResponses(&import_responses);
  import_responses.push_back({403, "有的行不在本人管辖范围内（列出行号），未导入任何一行"});
  import_responses.push_back({413, "文件超过上限"});
  import_responses.push_back({415, "不是 Excel 工作簿（.xlsx，按内容判断）"});
  import_responses.push_back({422, "工作簿无法读取（损坏、截断、解压后过大），或有的行有错误（列出行号），未导入任何一行"});
  import_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/ledger/import",
      .operation_id = "importLedger",
      .summary = "导入 Excel 台账（与 taizhang ledger import 相同）：有编号的行更新该事项，无编号的行新增；"
                 "每行都须在本人管辖范围内，任何一行有错或越权则整个文件不导入",
      .tag = "台账",
      .action = "ledger.import",
      .request_type = "application/octet-stream",
      .max_body = options.max_xlsx_bytes,
      .response_schema = {{"type", "object"},
                          {"properties",
                           {{"added", {{"type", "integer"}}},
                            {"updated", {{"type", "integer"}}},
                            {"unchanged", {{"type", "integer"}}},
                            {"rows", {{"type", "integer"}, {"description", "工作簿中的事项行数"}}}}}},
      .responses = import_responses,
      .handler =
          [accounts, max_bytes = options.max_xlsx_bytes](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const std::string& body = context.request.body;
            if (body.empty()) return ErrorResponse(400, "请求体为空：请上传 Excel 台账（.xlsx）的内容。");
            // An .xlsx is a zip: its first bytes say so, whatever the name or type claims.
            if (body.size() < 4 || body.compare(0, 4, "PK\x03\x04", 4) != 0) {
              return ErrorResponse(415, "上传的文件不是 Excel 工作簿（.xlsx）；请上传用 Excel 或 WPS 保存的 .xlsx 文件。");
            }
            ReadOptions limits;
            limits.max_bytes = max_bytes;
            limits.max_unzipped_bytes = uint64_t{256} << 20;
            limits.max_part_bytes = uint64_t{128} << 20;
            limits.max_zip_entries = 1000;
            Result<XlsxLedger> sheet = ReadLedgerXlsxBytes("上传的工作簿", body, limits);
            if (!sheet.ok()) {
              // The body is within the limit (the transport answered 413 otherwise):
              // what is too large here is what it unpacks to.
              return ErrorResponse(422, sheet.status().message() + "未导入任何一行。");
            }
            if (!sheet->errors.empty()) {
              std::vector<std::string> rows;
              for (const XlsxRowError& e : sheet->errors) {
                rows.push_back("工作表“" + e.sheet + "”第 " + std::to_string(e.row) + " 行" +
                               (e.column.empty() ? "" : "“" + e.column + "”列") + "：" + e.message);
              }
              return RowsResponse(422, "工作簿中有 " + std::to_string(rows.size()) + " 处错误，未导入任何一行：" +
                                           RowList(rows) + "。",
                                  rows);
            }
            const Principal& principal = *context.principal;
            HttpResponse answer;
            Status s = accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) {
              Result<UnitTree> tree = access.Units();
              if (!tree.ok()) return tree.status();
              // Every row within the scope: the item it changes as stored, and
              // the units the row gives it.
              std::vector<std::string> refused;
              std::optional<Resource> first_refused;
              for (size_t i = 0; i < sheet->items.size(); ++i) {
                const LedgerItem& row = sheet->items[i];
                auto refuse = [&](const Resource& resource, const std::string& why) {
                  refused.push_back(RowName(*sheet, i) + "：" + why);
                  if (!first_refused) first_refused = resource;
                };
                const std::string object = row.id ? "事项 " + std::to_string(row.id) : "新事项";
                if (row.id != 0) {
                  const std::string why = "编号 " + std::to_string(row.id) + " 不存在或不在您的管辖范围内";
                  Result<LedgerItem> stored = ledger.GetItem(row.id);
                  if (!stored.ok() && stored.status().code() != StatusCode::kNotFound) return stored.status();
                  if (!stored.ok()) {
                    refused.push_back(RowName(*sheet, i) + "：" + why);
                    continue;
                  }
                  Resource resource{tree->ItemUnits(*stored), "", object};
                  if (!Authorize(principal, Action::kImportLedger, resource).allowed) {
                    refuse(resource, why);
                    continue;
                  }
                }
                Resource resource{tree->ItemUnits(row), "", object};
                if (!Authorize(principal, Action::kImportLedger, resource).allowed) {
                  refuse(resource, "责任单位“" + row.unit + "”" +
                                       (row.lead_unit.empty() ? "" : "或牵头单位“" + row.lead_unit + "”") +
                                       "不在您的管辖范围内");
                }
              }
              if (!refused.empty()) {
                if (first_refused) {
                  Result<Decision> audited = access.Require(principal, Action::kImportLedger, *first_refused);
                  if (!audited.ok()) return audited.status();
                }
                answer = RowsResponse(403, "以下 " + std::to_string(refused.size()) + " 行不在您的管辖范围内，未导入任何一行：" +
                                               RowList(refused) + "。",
                                      refused);
                return Status::Ok();
              }
              // The acting user of the changes (销号 checks the submitter by it).
              const std::string acting = ledger.user();
              ledger.set_user(principal.name);
              Result<std::pair<int, int>> counts = ledger.ImportItems(*sheet);
              ledger.set_user(acting);
              if (!counts.ok()) {
                answer = ErrorResponse(counts.status().code() == StatusCode::kInvalidArgument ? 422 : 500,
                                       counts.status().message() + (counts.status().code() == StatusCode::kInvalidArgument
                                                                        ? "未导入任何一行。"
                                                                        : ""));
                return Status::Ok();
              }
              const int64_t rows = static_cast<int64_t>(sheet->items.size());
              const int64_t unchanged = rows - counts->first - counts->second;
              (void)access.Record(principal, "ledger_import", "台账", "success",
                                  "新增 " + std::to_string(counts->first) + " 项，更新 " + std::to_string(counts->second) +
                                      " 项，未变 " + std::to_string(unchanged) + " 项");
              answer = JsonResponse(200, {{"added", counts->first},
                                          {"updated", counts->second},
                                          {"unchanged", unchanged},
                                          {"rows", rows}});
              return Status::Ok();
            });
            if (!s.ok()) return ErrorResponse(500, s.message());
            return answer;
          },
      .blocking = true,
  });
}

#pragma GCC diagnostic pop

}  // namespace

void AddStatsRoutes(Router* router, StoreAccounts* accounts, const ApiServices& services, const ApiOptions& options) {
  AddRatesRoute(router, accounts);
  AddDashboardRoute(router, accounts);
  AddCompareRoutes(router, accounts, services.uploads, options);
  AddExcelRoutes(router, accounts, options);
}

}  // namespace taizhang::server_internal
