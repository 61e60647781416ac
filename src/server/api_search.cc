// GET /api/v1/search: full-text search over the reports, items, progress
// notes and findings the principal may read (search/). The index lives in
// the server's data directory (data_dir/search), one per server process:
// two servers on one PostgreSQL database each keep their own. Before each
// answer it catches up with the store, so a search sees every import and
// edit made before it, by this server or another. With
// ApiOptions::search_catch_up_at_start it also catches up once at start,
// on a thread of its own (the server listens meanwhile; a search asked
// before it is done waits for it), so that the first search after a big
// import is not the one that indexes it.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "access/access.h"
#include "search/search.h"
#include "server/api.h"

namespace taizhang::server_internal {

using nlohmann::json;

namespace {

constexpr PageSpec kSearchPages{20, 100, "条"};

struct SearchContext {
  StoreAccounts* accounts = nullptr;
  UploadStore* uploads = nullptr;
  std::string directory;
  std::mutex mutex;  // one catch-up or search at a time on the index
  std::unique_ptr<SearchIndex> index;
  std::thread warm_up;  // the catch-up at start; stopped and joined when the routes go
  std::atomic<bool> stopping{false};

  ~SearchContext() {
    stopping = true;  // a catch-up under way stops at the next file or item, committing nothing
    if (warm_up.joinable()) warm_up.join();
  }

  // Opens the index when not yet open and catches up with `ledger`; the
  // caller holds `mutex`. An index locked by another process is kAborted.
  Result<CatchUpStats> CatchUp(LedgerStore& ledger) {
    if (index == nullptr) {
      Result<std::unique_ptr<SearchIndex>> opened = SearchIndex::Open(directory);
      if (!opened.ok()) return opened.status();
      index = std::move(*opened);
    }
    SearchSources sources;
    sources.read_file = [this](const StoredSource& file) -> Result<std::string> {
      // Only what was uploaded to this server: a file imported with the
      // command line is not here (docs/search.md).
      if (uploads == nullptr || !uploads->Has(file.content_hash)) {
        return Status(StatusCode::kNotFound, "原文件不在服务器上：" + file.path);
      }
      return uploads->Read(file.content_hash);
    };
    sources.stop = [this] { return stopping.load(); };
    return index->CatchUp(ledger, sources);
  }
};

// What the catch-up at start did, for the server's log.
std::string CatchUpMessage(const Result<CatchUpStats>& caught) {
  if (!caught.ok()) return "检索索引未能在启动时赶上台账（第一次检索时再试）：" + caught.status().message();
  const CatchUpStats& s = *caught;
  std::string text = std::string("检索索引") + (s.rebuilt ? "已重建" : "已赶上台账") + "：编入报告 " +
                     std::to_string(s.reports) + " 篇";
  if (s.reports_unread > 0) text += "（其中 " + std::to_string(s.reports_unread) + " 篇原文件不在服务器上，只编入标题和校核问题）";
  text += "、事项 " + std::to_string(s.items) + " 项，共 " + std::to_string(s.documents) + " 条。";
  return text;
}

// Whether `principal` may read a hit: an item or progress note as the item
// (its 责任单位 and 牵头单位 on the unit tree, kReadItem), a sentence or
// finding as its report (the report's unit, or the roots, kReadReport).
// It decides by the hit's kind, unit and lead unit alone, as
// SearchQuery::visible requires: the index asks it once per combination and
// filters the query by the answers. Decisions are kept per unit text.
class HitScope {
 public:
  HitScope(const Principal& principal, UnitTree tree) : principal_(principal), tree_(std::move(tree)) {}

  bool operator()(const SearchHit& hit) {
    const bool item = hit.kind == SearchKind::kItem || hit.kind == SearchKind::kProgress;
    const std::string key = (item ? "i\x1f" : "r\x1f") + hit.unit + "\x1f" + hit.lead_unit;
    auto found = decided_.find(key);
    if (found != decided_.end()) return found->second;
    Resource resource;
    if (item) {
      LedgerItem probe;
      probe.unit = hit.unit;
      probe.lead_unit = hit.lead_unit;
      resource.units = tree_.ItemUnits(probe);
    } else {
      resource.units = tree_.NameUnits(hit.unit);
      if (resource.units.empty()) {
        for (const Unit& u : tree_.units()) {
          if (u.parent_id == 0) resource.units.push_back(u.id);
        }
      }
    }
    const bool allowed = Authorize(principal_, item ? Action::kReadItem : Action::kReadReport, resource).allowed;
    decided_.emplace(key, allowed);
    return allowed;
  }

 private:
  const Principal& principal_;
  UnitTree tree_;
  std::map<std::string, bool> decided_;
};

json FacetSchema() {
  return {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"value", {{"type", "string"}}}, {"label", {{"type", "string"}}}, {"count", {{"type", "integer"}}}}}}}};
}

}  // namespace

// Each route is written with designated initializers naming only the
// members it sets; GCC 12 warns about the members left at their defaults.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
void AddSearchRoutes(Router* router, StoreAccounts* accounts, const ApiServices& services, const ApiOptions& options) {
  auto context = std::make_shared<SearchContext>();
  context->accounts = accounts;
  context->uploads = services.uploads;
  context->directory = options.data_dir.empty() ? "" : options.data_dir + "/search";

  std::vector<std::pair<int, std::string>> responses = {{200, "检索结果（本人可以查看的范围内）"},
                                                         {400, "没有给出 q，或某个筛选的值无效"}};
  AddAuthResponses(&responses);
  responses.push_back({500, "台账或检索索引无法使用"});
  responses.push_back({503, "本服务没有启用账户，或没有数据目录（检索索引放在那里），或索引正被另一进程使用"});
  std::vector<RouteParam> params = {
      {"q", "query", "要查找的文字；几个词用空格分开时每个都须出现（中文不必分词，河长制 即一个词）", true},
      {"unit", "query", "只看这个单位（名称的开头即可）", false},
      {"year", "query", "只看这一年（报告所在部分的年度、事项的年度）", false},
      {"kind", "query", "只看一类：sentence（报告原文）、item（台账事项）、progress（进展情况）、finding（校核问题）", false},
      {"subkind", "query", "报告类别（summary、plan、summary+plan …）或事项类别（task 工作任务、problem 问题整改）", false},
      {"section_kind", "query", "报告中的部分：summary、highlights、problems、plan、appendix", false},
  };
  for (RouteParam& p : PageParams(kSearchPages)) params.push_back(std::move(p));
  json hit_schema = {
      {"type", "object"},
      {"description",
       "一处命中：kind（sentence/item/progress/finding）与 kind_label，text 与 parts（[{text, hit}]，hit 为 true 的是查找的文字），"
       "unit、year、subkind(_label)、section_kind 与 section_label；去处：report_id、report_title、file、line、column（报告原文与校核问题），"
       "item_id（事项与进展），progress_id、date（进展）；review、status（事项）"}};
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/search",
      .operation_id = "search",
      .summary = "全文检索：已导入报告的原文句子、台账事项、进展情况、校核问题，带分面（单位、年度、类别、报告部分）与标出的命中文字；只含本人可以查看的",
      .tag = "检索",
      .action = "search.run",
      .params = params,
      .response_schema = {{"type", "object"},
                          {"required", {"total", "hits", "facets"}},
                          {"properties",
                           {{"schema", {{"type", "string"}}},
                            {"query", {{"type", "string"}}},
                            {"total", {{"type", "integer"}, {"description", "全部命中的条数（不止本页）"}}},
                            {"estimated",
                             {{"type", "boolean"},
                              {"description", "true：命中很多（多于 1000 处，或要逐条核对的候选多于 500 条），total 是估计（“约”）"}}},
                            {"facets_estimated",
                             {{"type", "boolean"},
                              {"description", "true：分面的数目是按看过的部分估计的（estimated 为 true 时总是，单个常用词命中多于 1000 处时也是）"}}},
                            {"offset", {{"type", "integer"}}},
                            {"limit", {{"type", "integer"}}},
                            {"hits", {{"type", "array"}, {"items", hit_schema}}},
                            {"facets",
                             {{"type", "object"},
                              {"properties",
                               {{"unit", FacetSchema()},
                                {"year", FacetSchema()},
                                {"kind", FacetSchema()},
                                {"subkind", FacetSchema()},
                                {"section_kind", FacetSchema()}}}}}}}},
      .responses = responses,
      .handler =
          [context](RouteContext& request_context) {
            if (context->accounts == nullptr) return NoAccountsResponse();
            if (context->directory.empty()) return ErrorResponse(503, "本服务没有数据目录，无法检索。");
            const HttpRequest& request = request_context.request;
            SearchQuery query;
            query.text = request.Query("q").value_or("");
            if (query.text.find_first_not_of(" \t") == std::string::npos) {
              return ErrorResponse(400, "请给出要查找的文字（q）。");
            }
            if (query.text.size() > 400) return ErrorResponse(400, "要查找的文字太长（q 不超过 400 字节）。");
            query.unit = request.Query("unit").value_or("");
            std::optional<int64_t> year = IntegerQuery(request, "year", 0, 9999);
            if (!year) return ErrorResponse(400, "year 应为年份（如 2024）。");
            query.year = static_cast<int>(*year);
            if (std::optional<std::string> kind = request.Query("kind"); kind && !kind->empty()) {
              query.kind = ParseSearchKind(*kind);
              if (!query.kind) return ErrorResponse(400, "kind 应为 sentence、item、progress 或 finding。");
            }
            if (std::optional<std::string> subkind = request.Query("subkind"); subkind && !subkind->empty()) {
              query.subkind = ParseSearchValue("subkind", *subkind);
              if (query.subkind.empty()) return ErrorResponse(400, "subkind 不是报告或事项的类别。");
            }
            if (std::optional<std::string> section = request.Query("section_kind"); section && !section->empty()) {
              query.section_kind = ParseSearchValue("section_kind", *section);
              if (query.section_kind.empty()) return ErrorResponse(400, "section_kind 不是报告中部分的类别。");
            }
            HttpResponse page_error;
            std::optional<Page> page = ParsePage(request, kSearchPages, &page_error);
            if (!page) return page_error;
            query.offset = page->offset;
            query.limit = page->limit;
            const Principal& principal = *request_context.principal;
            std::optional<SearchResult> result;
            HttpResponse failure;
            bool failed = false;
            Status s = context->accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) {
              Result<UnitTree> tree = access.Units();
              if (!tree.ok()) return tree.status();
              std::lock_guard lock(context->mutex);
              Result<CatchUpStats> caught = context->CatchUp(ledger);
              if (!caught.ok()) {
                if (context->index != nullptr) return caught.status();
                // The index could not be opened (locked by another process: 503).
                failed = true;
                failure = ErrorResponse(caught.status().code() == StatusCode::kAborted ? 503 : 500,
                                        caught.status().message());
                return Status::Ok();
              }
              HitScope scope(principal, std::move(*tree));
              query.visible = [&scope](const SearchHit& hit) { return scope(hit); };
              Result<SearchResult> found = context->index->Search(query);
              query.visible = nullptr;
              if (!found.ok()) return found.status();
              result = std::move(*found);
              return Status::Ok();
            });
            if (!s.ok()) return ErrorResponse(500, s.message());
            if (failed) return failure;
            json body = SearchResultJson(query, *result);
            body["limit"] = query.limit;
            return JsonResponse(200, body);
          },
      .blocking = true,
  });

  if (options.search_catch_up_at_start && accounts != nullptr && !context->directory.empty()) {
    SearchContext* raw = context.get();
    std::function<void(const std::string&)> log = options.search_log;
    raw->warm_up = std::thread([raw, log] {
      Result<CatchUpStats> caught = Status::Ok();
      Status s = raw->accounts->WithStore([&](AccessStore&, LedgerStore& ledger) {
        std::lock_guard lock(raw->mutex);
        caught = raw->CatchUp(ledger);
        return Status::Ok();
      });
      if (!s.ok()) caught = s;
      const std::string said = CatchUpMessage(caught);
      if (log) {
        log(said);
      } else {
        std::fprintf(stderr, "taizhang serve：%s\n", said.c_str());
      }
    });
  }
}
#pragma GCC diagnostic pop

}  // namespace taizhang::server_internal
