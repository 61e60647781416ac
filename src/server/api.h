// The API's routes (internal to server/): health, the OpenAPI document,
// uploads, analysis jobs, and the static files of the web pages.
#ifndef TAIZHANG_SERVER_API_H_
#define TAIZHANG_SERVER_API_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/jobs.h"
#include "server/router.h"
#include "server/server.h"

namespace taizhang::server_internal {

struct ApiOptions {
  size_t max_json_bytes = 1024 * 1024;
  size_t max_upload_bytes = 64 * 1024 * 1024;
  size_t max_xlsx_bytes = 16 * 1024 * 1024;  // an Excel ledger to import
  std::string static_dir;  // "" serves no files
  std::string data_dir;    // backups go to data_dir/backups ("" : no backups)
  // ServeOptions::search_catch_up_at_start and search_log.
  bool search_catch_up_at_start = false;
  std::function<void(const std::string&)> search_log;
};

// What the routes use; owned by the caller, outliving the router.
struct ApiServices {
  UploadStore* uploads = nullptr;
  JobStore* jobs = nullptr;
  JobRunner* runner = nullptr;
};

// Rates, the dashboard, compare and the Excel ledger (api_stats.cc).
void AddStatsRoutes(Router* router, StoreAccounts* accounts, const ApiServices& services, const ApiOptions& options);
// Every item `filter` selects that `principal` may read (the list's scope
// check, unpaged), for the routes that count or write what a principal reads.
Result<std::vector<LedgerItem>> ReadableItems(StoreAccounts* accounts, const Principal& principal,
                                              const ItemFilter& filter);
// The day the store counts overdue and warnings against (LedgerStore::today).
Result<std::string> StoreToday(StoreAccounts* accounts);

// The 503 of a route that needs accounts when the server has none.
HttpResponse NoAccountsResponse();

// The answer to a store's failure: bad or empty input 422, an object not
// held 404, a refusal 403, the rest 500.
HttpResponse StatusResponse(const Status& status);

// Content-Disposition `type` ("attachment" or "inline") with the file's
// own name as RFC 5987's UTF-8 ext-value (RFC 6266) and an ASCII fallback
// for old clients: `fallback`, or when empty the name with every byte
// outside printable ASCII, '"' and '\\' as '_'.
std::string ContentDisposition(std::string_view type, const std::string& fallback, const std::string& name);
// Appends the answers of every protected route (401, 403) to `responses`.
void AddAuthResponses(std::vector<std::pair<int, std::string>>* responses);

// The list's filters (GET /api/v1/items): the query parameters they are
// read from, and a request's values put into `filter`; the 400 to answer
// when one is malformed. The export of a list takes the same.
std::vector<RouteParam> ItemFilterParams();
std::optional<HttpResponse> ParseItemFilter(const HttpRequest& request, ItemFilter* filter);
// A non-negative integer query parameter no larger than `max`; `fallback`
// when absent; nullopt when malformed.
std::optional<int64_t> IntegerQuery(const HttpRequest& request, std::string_view name, int64_t fallback, int64_t max);

// The paging of every paged list: ?offset=N (≥ 0, default 0) and ?limit=M
// (1 to max_limit, default_limit when absent), named in the OpenAPI
// document after what is counted ("跳过前几项（默认 0）"; `unit`: 项, 条,
// 个文件).
struct PageSpec {
  int64_t default_limit = 50;
  int64_t max_limit = 200;
  const char* unit = "项";
};
struct Page {
  int64_t offset = 0;
  int64_t limit = 0;
};
std::vector<RouteParam> PageParams(const PageSpec& spec = {});
// The properties of a list's response schema with the page's offset and
// limit (integers) added.
nlohmann::json PageSchema(nlohmann::json properties);
// The page a request asks for; nullopt with *error the 400 ("offset 应为非负
// 整数，limit 应为 1 到 200 的整数。") when either is malformed.
std::optional<Page> ParsePage(const HttpRequest& request, const PageSpec& spec, HttpResponse* error);

// The ledger's items (api_items.cc): list, detail, create, update, progress
// with evidence files, rectification and close-off, review of proposals.
// `accounts` null: every one answers 503.
void AddItemRoutes(Router* router, StoreAccounts* accounts, const ApiServices& services, const ApiOptions& options);

// A job as the API shows it, and its schema (shared by the routes that
// start jobs).
nlohmann::json JobJson(const JobRecord& job);
nlohmann::json JobSchema();

// The routes of reports (api_reports.cc): import as a job, the list, a
// report with its outline, findings and relations, the check page, the
// annotated Word file. `accounts` null: they answer 503.
void AddReportRoutes(Router* router, StoreAccounts* accounts, const ApiServices& services,
                     const ApiOptions& options);

// The administration routes (api_admin.cc): units, users, the security
// policy, the audit log and backups, over the store's accounts (`accounts`
// null: each answers 503).
void AddAdminRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options);

// The reminders (api_reminders.cc): an item's reminder log
// (GET /api/v1/items/{id}/reminders). `accounts` null: it answers 503.
void AddReminderRoutes(Router* router, StoreAccounts* accounts);
// One round of the reminders `taizhang serve` sends on its timer
// (RemindStore::Run on a connection of its own): what it did, in Chinese,
// "" when nothing was due.
// The settings of reminders (api_reminders.cc): channels (the system
// administrator's, secrets never returned) and rules (a supervisor's,
// within its scope), each change audited. `accounts` null: 503.
void AddReminderSettingRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options);
Result<std::string> RunReminderRound(const std::string& db, int64_t retry_base_seconds);
// The Word documents out of the ledger (api_documents.cc): the 督办通报 and
// the 年度总结初稿 over what the principal may read. `accounts` null: they
// answer 503.
void AddDocumentRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options);

// The calendar feed of deadlines behind secret links, and the routes that
// make, list and revoke one's links (api_calendar.cc). `accounts` null:
// they answer 503.
void AddCalendarRoutes(Router* router, StoreAccounts* accounts, const ApiOptions& options);

// Full-text search (api_search.cc) over what the principal may read, with
// its index in options.data_dir/search. `accounts` null: it answers 503.
void AddSearchRoutes(Router* router, StoreAccounts* accounts, const ApiServices& services, const ApiOptions& options);

std::unique_ptr<Router> MakeApi(std::shared_ptr<Authenticator> auth, const ApiServices& services,
                                const ApiOptions& options);

// The headers every response carries (CSP without inline script,
// frame-ancestors 'none', nosniff, no referrer; HSTS under TLS), and
// Cache-Control: no-store where the response set none.
void AddSecurityHeaders(HttpResponse* response, bool secure);

// A file under `root` for a GET of `path` (percent-decoded): "/" and
// directories give their index.html; a segment "." or "..", a hidden name,
// a backslash, or anything not a regular file is nullopt (404). Names with
// a content hash (app.3f9a2c1b.js) are cached for a year as immutable,
// others revalidated. `gzip`: the client accepts gzip, and a file NAME.gz
// beside the file (the web build writes them) is sent in its place with
// Content-Encoding: gzip; every answer says Vary: Accept-Encoding.
std::optional<HttpResponse> StaticFile(const std::string& root, std::string_view path, bool gzip = false);
// Whether a GET the static files cannot answer is a browser opening one of
// the web application's pages (/items/12): it accepts text/html, no segment
// is hidden or "..", no backslash, and the last segment has no extension
// (a missing /assets/app.js stays 404). Such a request gets index.html, and
// the application's router shows the page.
bool IsAppPage(const HttpRequest& request);
// Whether a file name carries a content hash (app.3f9a2c1b.js, index-BdE4f_x9.css).
bool HasContentHash(std::string_view file_name);
// 422 when upload `sha256` is a photograph (PNG, JPEG: evidence of
// progress, never a report to analyze or import), naming `name`; nullopt
// for a document.
std::optional<HttpResponse> NotADocument(const UploadStore& uploads, const std::string& sha256,
                                         const std::string& name);
// Whether `name` is usable as a file's name: not empty, at most 255 bytes,
// no '/', '\\', control characters, and not "." or "..".
bool IsPlainFileName(std::string_view name);

}  // namespace taizhang::server_internal

#endif  // TAIZHANG_SERVER_API_H_
