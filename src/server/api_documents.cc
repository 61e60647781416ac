// The routes of the Word documents out of the ledger: the 督办通报 and the
// 年度总结初稿 of `taizhang ledger bulletin` and `ledger draft`, made by the
// document stage from the items the principal may read (the list's own
// filter), so that a bulletin never names an item its reader could not
// open.
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "document/document.h"
#include "server/api.h"

namespace taizhang::server_internal {

namespace {

constexpr const char* kDocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

HttpResponse DocxResponse(std::string bytes, const std::string& ascii, const std::string& name) {
  HttpResponse response;
  response.body = std::move(bytes);
  response.Set("Content-Type", kDocxType);
  response.Set("Content-Disposition", ContentDisposition("attachment", ascii, name));
  return response;
}

// ?year= (a four-digit year, 0 when absent) or nullopt when malformed.
std::optional<int64_t> YearQuery(const HttpRequest& request) {
  std::optional<int64_t> year = IntegerQuery(request, "year", 0, 9999);
  if (!year || (*year != 0 && *year < 1000)) return std::nullopt;
  return year;
}

}  // namespace

// Routes name only the fields they use (designated initializers).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
void AddDocumentRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options) {
  std::vector<std::pair<int, std::string>> bulletin_responses = {
      {200, "督办通报（Word .docx），与 taizhang ledger bulletin 相同"}, {400, "查询参数不对"}};
  AddAuthResponses(&bulletin_responses);
  bulletin_responses.push_back({500, "无法生成文档"});
  bulletin_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/documents/bulletin.docx",
      .operation_id = "getBulletin",
      .summary = "督办通报（Word）：本人可查看的事项中，某范围、某期间的完成率、整改率、红黄绿灯表、图表和按单位的逾期事项",
      .tag = "文档",
      .action = "rates.read",
      .params =
          [] {
            return std::vector<RouteParam>{{"unit", "query", "范围：责任单位（写开头即可；默认本人可查看的全部单位）", false},
                                           {"year", "query", "年度（期间为该年全年）", false},
                                           {"from", "query", "期间起（YYYY-MM-DD）", false},
                                           {"to", "query", "期间止（YYYY-MM-DD）", false},
                                           {"title", "query", "标题", false},
                                           {"issuer", "query", "发文机关（落款）", false}};
          }(),
      .responses = bulletin_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const HttpRequest& request = context.request;
            BulletinOptions bulletin;
            ItemFilter filter;
            if (std::optional<std::string> unit = request.Query("unit")) filter.unit = bulletin.scope = *unit;
            std::optional<int64_t> year = YearQuery(request);
            if (!year) return ErrorResponse(400, "year 应为四位年份。");
            bulletin.year = static_cast<int>(*year);
            for (const auto& [name, day] : {std::pair{"from", &bulletin.from}, std::pair{"to", &bulletin.to}}) {
              std::optional<std::string> text = request.Query(name);
              if (!text) continue;
              if (!IsValidDay(*text)) return ErrorResponse(400, std::string(name) + " 应为 YYYY-MM-DD 形式的有效日期。");
              *day = *text;
            }
            if (std::optional<std::string> title = request.Query("title")) bulletin.title = *title;
            if (std::optional<std::string> issuer = request.Query("issuer")) bulletin.issuer = *issuer;
            Result<std::vector<LedgerItem>> items = ReadableItems(accounts, *context.principal, filter);
            if (!items.ok()) return ErrorResponse(500, items.status().message());
            Result<std::string> today = StoreToday(accounts);
            if (!today.ok()) return ErrorResponse(500, today.status().message());
            bulletin.today = *today;
            Result<WordDocument> made = MakeBulletin(*items, bulletin);
            if (!made.ok()) return ErrorResponse(400, made.status().message());
            return DocxResponse(std::move(made->docx), "taizhang-bulletin.docx", "督办通报.docx");
          },
      .blocking = true,
      .response_type = kDocxType,
  });

  std::vector<std::pair<int, std::string>> draft_responses = {
      {200, "年度总结初稿（Word .docx），与 taizhang ledger draft 相同"},
      {400, "查询参数不对，或初稿中的数字关系经校核不一致（说明哪几处）"},
      {404, "本人可查看的事项中没有这个单位该年度的事项"}};
  AddAuthResponses(&draft_responses);
  draft_responses.push_back({500, "无法生成文档"});
  draft_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/documents/draft.docx",
      .operation_id = "getDraft",
      .summary = "年度总结初稿（Word）：一个单位一年的事项，按其计划的提纲分组列出进展，数字经校核后写出",
      .tag = "文档",
      .action = "rates.read",
      .params =
          [] {
            return std::vector<RouteParam>{
                {"unit", "query", "责任单位（全名）", true}, {"year", "query", "年度", true}, {"title", "query", "标题", false}};
          }(),
      .responses = draft_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const HttpRequest& request = context.request;
            std::optional<std::string> unit = request.Query("unit");
            std::optional<int64_t> year = YearQuery(request);
            if (!unit || unit->empty() || !year || *year == 0) {
              return ErrorResponse(400, "请给出 unit（责任单位全名）和 year（四位年份）。");
            }
            ItemFilter filter;
            filter.unit = *unit;
            filter.year = static_cast<int>(*year);
            Result<std::vector<LedgerItem>> readable = ReadableItems(accounts, *context.principal, filter);
            if (!readable.ok()) return ErrorResponse(500, readable.status().message());
            std::vector<LedgerItem> items;
            for (LedgerItem& item : *readable) {
              if (item.unit == *unit) items.push_back(std::move(item));
            }
            if (items.empty()) return ErrorResponse(404, "没有“" + *unit + "”" + std::to_string(*year) + "年的事项。");
            DraftOptions draft;
            draft.unit = *unit;
            draft.year = static_cast<int>(*year);
            if (std::optional<std::string> title = request.Query("title")) draft.title = *title;
            Result<DraftPlan> plan = DraftPlan();
            Status s = accounts->WithStore([&](AccessStore&, LedgerStore& ledger) {
              draft.today = ledger.today();
              plan = PlanOfItems(ledger, items);
              return plan.ok() ? Status::Ok() : plan.status();
            });
            if (!s.ok()) return ErrorResponse(500, s.message());
            Result<WordDocument> made = MakeDraft(*plan, items, draft);
            if (!made.ok()) return ErrorResponse(400, made.status().message());
            return DocxResponse(std::move(made->docx), "taizhang-draft.docx", "总结初稿.docx");
          },
      .blocking = true,
      .response_type = kDocxType,
  });
  (void)options;
}
#pragma GCC diagnostic pop

}  // namespace taizhang::server_internal
