// The ledger's items over HTTP (internal to server/): the list and the
// detail (progress, readable history, source sentence), creating and
// changing an item, progress with evidence files, rectification and
// close-off, and the review of proposals (待确认).
//
// Every route does the same steps on a store connection lent for the call
// (StoreAccounts::WithStore): the item read; not readable by the principal
// → 404, as if there were no such item (the list does not show it either);
// the action refused on it → 403 with the reason (AccessStore::Require
// writes the refusal to the audit log); the version of If-Match (or of the
// body, for a review) no longer the item's → 412 naming who changed it and
// when, with the current item; then the same LedgerStore call the command
// line makes, acting as the principal (LedgerStore::set_user, restored
// after), its success audit row written in the change's own transaction
// (they commit together or not at all), a failure's after it is undone.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "common/calendar.h"
#include "output/ledger_output.h"
#include "server/api.h"
#include "server/audit_on_commit.h"
#include "server/upload_format.h"

namespace taizhang::server_internal {

using nlohmann::json;

namespace {

constexpr size_t kMaxTextBytes = 8192;     // one text field of an item or progress entry
constexpr size_t kMaxEvidence = 20;        // files on one progress entry
constexpr size_t kMaxReviewItems = 500;    // items of one review request
constexpr size_t kMaxSplitTasks = 50;

// --- Small pieces -----------------------------------------------------------------

std::optional<int64_t> ItemId(const std::string& text) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

// The version of If-Match: "3" (the ETag as sent), W/"3" or 3. nullopt
// with *error set: absent (428) or not a version (400).
std::optional<int64_t> IfMatchVersion(const HttpRequest& request, HttpResponse* error) {
  std::string_view text = request.Header("if-match");
  if (text.empty()) {
    *error = ErrorResponse(428, "修改须带 If-Match 请求头，值为读取事项时得到的 ETag（版本号，如 \"3\"），以免覆盖别人的修改。");
    return std::nullopt;
  }
  if (text.substr(0, 2) == "W/") text.remove_prefix(2);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  std::optional<int64_t> version = ItemId(std::string(text));
  if (!version || *version < 1) {
    *error = ErrorResponse(400, "If-Match 应为读取事项时得到的 ETag（版本号，如 \"3\"）。");
    return std::nullopt;
  }
  return version;
}

std::string ETag(int64_t version) {
  std::string tag = std::to_string(version);
  tag.insert(tag.begin(), '"');  // not "\"" + …: GCC 12 warns falsely (-Wrestrict) of that
  tag.push_back('"');
  return tag;
}

// The acting user of the lent store's writes, for one call: the principal.
class ActingUser {
 public:
  ActingUser(LedgerStore& ledger, const std::string& name) : ledger_(ledger), was_(ledger.user()) {
    ledger_.set_user(name);
  }
  ~ActingUser() { ledger_.set_user(was_); }
  ActingUser(const ActingUser&) = delete;
  ActingUser& operator=(const ActingUser&) = delete;

 private:
  LedgerStore& ledger_;
  std::string was_;
};

json ItemJson(const LedgerItem& item) {
  json body = json::parse(RenderLedgerItemJson(item, {}))["item"];
  body.erase("progress_entries");
  return body;
}

HttpResponse ItemResponse(int status, const LedgerItem& item, json body) {
  HttpResponse response = JsonResponse(status, body);
  response.Set("ETag", ETag(item.version));
  return response;
}

// A time as the store writes it ("2026-03-01T02:20:00Z", UTC) in Beijing
// time the way an office writes it: "2026年3月1日 10:20"; any other text as
// it is.
std::string BeijingTime(const std::string& utc) {
  using namespace calendar;
  std::optional<int64_t> day = utc.size() >= 16 && utc[10] == 'T' && utc[13] == ':'
                                   ? ParseIsoDay(std::string_view(utc).substr(0, 10))
                                   : std::nullopt;
  auto digits = [&](size_t at) {
    return std::isdigit(static_cast<unsigned char>(utc[at])) && std::isdigit(static_cast<unsigned char>(utc[at + 1]))
               ? (utc[at] - '0') * 10 + (utc[at + 1] - '0')
               : -1;
  };
  int hour = day ? digits(11) : -1, minute = day ? digits(14) : -1;
  if (!day || hour < 0 || hour > 23 || minute < 0 || minute > 59) return utc;
  int64_t minutes = *day * 1440 + hour * 60 + minute + 8 * 60;  // UTC+8, no daylight saving
  int64_t local_day = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  int64_t of_day = minutes - local_day * 1440;
  CivilDay civil = CivilFromDays(local_day);
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(of_day / 60), static_cast<int>(of_day % 60));
  return std::to_string(civil.year) + "年" + std::to_string(civil.month) + "月" + std::to_string(civil.day) + "日 " +
         clock;
}

// 412: someone changed the item since the client read version `expected`.
// The message names them as an office does: their 姓名 (the login name when
// the account has none), and when, in Beijing time — "编号 12 的事项已被张三
// 于2026年3月1日 10:20修改……"; error.changed_by (login name),
// error.changed_by_name, error.changed_at (UTC), error.version and
// error.current (the item now) for the page.
HttpResponse StaleResponse(AccessStore& access, const LedgerItem& current, int64_t expected) {
  std::string name;
  if (!current.updated_by.empty()) {
    Result<std::string> display = access.DisplayNameOf(current.updated_by);
    name = display.ok() ? *display : "";
  }
  std::string who = !name.empty() ? name : !current.updated_by.empty() ? current.updated_by : "他人";
  HttpResponse response = ErrorResponse(
      412, "编号 " + std::to_string(current.id) + " 的事项已被" + who + "于" + BeijingTime(current.updated_at) +
               "修改（当前版本 " + std::to_string(current.version) + "，本次修改依据的是版本 " +
               std::to_string(expected) + "），本次修改未保存。请查看最新内容后再改。");
  json body = json::parse(response.body);
  body["error"]["current"] = ItemJson(current);
  body["error"]["changed_by"] = current.updated_by;
  body["error"]["changed_by_name"] = name.empty() ? current.updated_by : name;
  body["error"]["changed_at"] = current.updated_at;
  body["error"]["version"] = current.version;
  HttpResponse out = JsonResponse(412, body);
  out.Set("ETag", ETag(current.version));
  return out;
}

// The answer to a failure of the store, when it was not a conflict.
HttpResponse StoreFailure(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return ErrorResponse(422, status.message());
    case StatusCode::kNotFound:
      return ErrorResponse(404, status.message());
    case StatusCode::kPermissionDenied:
      return ErrorResponse(403, status.message());
    case StatusCode::kAborted: {
      HttpResponse busy = ErrorResponse(503, status.message());
      busy.Set("Retry-After", "1");
      return busy;
    }
    default:
      return ErrorResponse(500, status.message());
  }
}

// Reads the members of a JSON body, checking their types, lengths and that
// no other member is given; the first problem is kept (422).
class Fields {
 public:
  Fields(const json& body, std::vector<std::string> known) : body_(body) {
    for (const auto& [key, value] : body.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) Fail("不认识的字段：" + key + "。");
    }
  }
  bool Has(const char* name) const { return body_.contains(name); }

  std::optional<std::string> Text(const char* name, bool required = false) {
    auto it = body_.find(name);
    if (it == body_.end()) {
      if (required) Fail(std::string("缺少字段 ") + name + "。");
      return std::nullopt;
    }
    if (!it->is_string()) return Refuse(std::string("字段 ") + name + " 应是文字（字符串）。");
    const std::string& text = it->get_ref<const std::string&>();
    if (text.size() > kMaxTextBytes) {
      return Refuse(std::string("字段 ") + name + " 过长（上限 " + std::to_string(kMaxTextBytes) + " 字节）。");
    }
    return text;
  }
  std::optional<int64_t> Integer(const char* name, int64_t min, int64_t max, bool required = false) {
    auto it = body_.find(name);
    if (it == body_.end()) {
      if (required) Fail(std::string("缺少字段 ") + name + "。");
      return std::nullopt;
    }
    if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
      return Refuse(std::string("字段 ") + name + " 应是 " + std::to_string(min) + " 到 " + std::to_string(max) +
                    " 的整数。");
    }
    return it->get<int64_t>();
  }
  std::optional<bool> Bool(const char* name) {
    auto it = body_.find(name);
    if (it == body_.end()) return std::nullopt;
    if (!it->is_boolean()) return Refuse(std::string("字段 ") + name + " 应是 true 或 false。");
    return it->get<bool>();
  }
  std::optional<std::vector<std::string>> TextList(const char* name, size_t max_count) {
    auto it = body_.find(name);
    if (it == body_.end()) return std::nullopt;
    if (!it->is_array() || it->size() > max_count) {
      return Refuse(std::string("字段 ") + name + " 应是文字的数组（至多 " + std::to_string(max_count) + " 项）。");
    }
    std::vector<std::string> out;
    for (const json& v : *it) {
      if (!v.is_string() || v.get_ref<const std::string&>().size() > kMaxTextBytes) {
        return Refuse(std::string("字段 ") + name + " 的每一项应是文字。");
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }
  // A status name or label fitting the API (未启动 … / not_started …).
  std::optional<ItemStatus> StatusField(const char* name) {
    std::optional<std::string> text = Text(name);
    if (!text) return std::nullopt;
    std::optional<ItemStatus> status = ParseItemStatus(*text);
    if (!status) Fail("不认识的状态“" + *text + "”。");
    return status;
  }

  void Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }
  // Fail, as the value of a getter.
  std::nullopt_t Refuse(std::string message) {
    Fail(std::move(message));
    return std::nullopt;
  }
  bool ok() const { return error_.empty(); }
  HttpResponse Error() const { return ErrorResponse(422, error_); }

 private:
  const json& body_;
  std::string error_;
};

// The evidence files of a body: [{"file": SHA-256 of an upload, "name":
// "整改报告.pdf"}, …], each an upload the server holds. nullopt with
// *error (422) when unusable.
std::optional<std::vector<ProgressAttachment>> EvidenceFiles(const json& body, const UploadStore* uploads,
                                                             HttpResponse* error) {
  std::vector<ProgressAttachment> out;
  auto it = body.find("evidence");
  if (it == body.end()) return out;
  auto fail = [&](const std::string& message) {
    *error = ErrorResponse(422, message);
    return std::nullopt;
  };
  if (!it->is_array() || it->size() > kMaxEvidence) {
    return fail("字段 evidence 应是数组（至多 " + std::to_string(kMaxEvidence) +
                " 个文件），每项为 {\"file\": 上传得到的 SHA-256, \"name\": 文件名}。");
  }
  std::set<std::string> seen;
  for (const json& entry : *it) {
    if (!entry.is_object() || entry.size() != 2 || !entry.contains("file") || !entry.contains("name") ||
        !entry["file"].is_string() || !entry["name"].is_string()) {
      return fail("evidence 的每项应为 {\"file\": 上传得到的 SHA-256, \"name\": 文件名}。");
    }
    const std::string& file = entry["file"].get_ref<const std::string&>();
    const std::string& name = entry["name"].get_ref<const std::string&>();
    if (!IsPlainFileName(name)) {
      return fail("佐证材料的文件名不能为空、不能含路径（/ 或 \\）或控制字符，且不超过 255 字节。");
    }
    if (uploads == nullptr || !IsSha256Hex(file) || !uploads->Has(file)) {
      return fail("没有这个上传的文件：" + file.substr(0, 64) + "。请先上传（POST /api/v1/files）。");
    }
    if (!seen.insert(file).second) return fail("同一个文件在 evidence 中出现了两次：" + name + "。");
    // The name must not pass the file off as another format ("现场.png" on
    // an HTML page): its type is the content's.
    Result<std::string> format = uploads->Format(file);
    if (!format.ok()) return fail("没有这个上传的文件：" + name + "。请先上传（POST /api/v1/files）。");
    if (Status fits = CheckNameFitsContent(name, *format); !fits.ok()) return fail("佐证材料" + fits.message());
    // The upload's own file: its name is the validated hash, never text
    // from the request.
    struct stat st;
    int64_t size = stat((uploads->dir() + "/" + file).c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
    out.push_back(ProgressAttachment{file, name, size});
  }
  return out;
}

std::string EvidenceNames(const std::vector<ProgressAttachment>& files) {
  std::vector<std::string> names;
  for (const ProgressAttachment& a : files) names.push_back(a.name);
  return JoinUnitList(names);
}

// The detail: the item, its progress entries (with their files' download
// addresses) and its history as people read it.
json DetailJson(const LedgerItem& item, const std::vector<ProgressEntry>& progress,
                const std::vector<HistoryEntry>& history) {
  json body = json::parse(RenderLedgerItemJson(item, progress))["item"];
  for (json& entry : body["progress_entries"]) {
    if (!entry.contains("attachments")) {
      entry["attachments"] = json::array();
      continue;
    }
    for (json& file : entry["attachments"]) {
      file["url"] = "/api/v1/items/" + std::to_string(item.id) + "/attachments/" + file["file"].get<std::string>();
    }
  }
  json rows = json::array();
  for (const HistoryEntry& h : history) {
    const json before = h.before.empty() ? json::object() : json::parse(h.before, nullptr, false);
    const json after = h.after.empty() ? json::object() : json::parse(h.after, nullptr, false);
    json changes = json::array();
    if (before.is_object() && after.is_object()) {
      std::set<std::string> keys;
      for (auto it = before.begin(); it != before.end(); ++it) keys.insert(it.key());
      for (auto it = after.begin(); it != after.end(); ++it) keys.insert(it.key());
      for (const std::string& key : keys) {
        changes.push_back({{"field", key},
                           {"label", HistoryFieldLabel(key, item.kind)},
                           {"before", before.contains(key) ? HistoryValueText(key, before[key].dump()) : "（空）"},
                           {"after", after.contains(key) ? HistoryValueText(key, after[key].dump()) : "（空）"}});
      }
    }
    rows.push_back({{"id", h.id},
                    {"at", h.at},
                    {"actor", h.actor},
                    {"action", h.action},
                    {"action_label", HistoryActionLabel(h.action)},
                    {"changes", std::move(changes)}});
  }
  body["history"] = std::move(rows);
  return body;
}

// --- The steps every change of an item takes ---------------------------------------

struct ItemRoutes {
  StoreAccounts* accounts;
  const UploadStore* uploads;

  // `fn` on a lent store; a failure of the store itself (not of what `fn`
  // decided) is a 500.
  HttpResponse Run(const std::function<HttpResponse(AccessStore&, LedgerStore&)>& fn) const {
    if (accounts == nullptr) return NoAccountsResponse();
    HttpResponse response;
    Status s = accounts->WithStore([&](AccessStore& access, LedgerStore& ledger) {
      response = fn(access, ledger);
      return Status::Ok();
    });
    if (!s.ok()) return ErrorResponse(500, s.message());
    return response;
  }

  // The refusal of `action` on item `id` (404 absent or hidden, 403), looked
  // at before anything in the request itself: an item out of scope answers
  // the same whatever the body or If-Match; nullopt when allowed.
  std::optional<HttpResponse> Refusal(const Principal& principal, int64_t id, Action action) const {
    std::optional<HttpResponse> refusal;
    HttpResponse answer = Run([&](AccessStore& access, LedgerStore& ledger) -> HttpResponse {
      HttpResponse error;
      if (!Reach(access, ledger, principal, id, action, &error)) refusal = error;
      return error;
    });
    if (!refusal && answer.status >= 500) refusal = answer;
    return refusal;
  }

  // What every change of one item (PATCH, progress, submit, close-off)
  // reads first, in this order: the item's id from the path (404), the
  // refusal of `action` on it (404 absent or hidden, 403 — before anything
  // in the request itself), the JSON body (400, 415; `no_fields`: the body
  // is empty or {}, else 422 with that message), then If-Match (428, 400).
  // nullopt with *error the answer.
  struct ChangeRequest {
    int64_t id = 0;
    json body;
    int64_t expected = 0;  // the version of If-Match
  };
  std::optional<ChangeRequest> Begin(RouteContext& context, Action action, HttpResponse* error,
                                     const char* no_fields = nullptr) const {
    std::optional<int64_t> id = ItemId(context.params["id"]);
    if (!id) {
      *error = ErrorResponse(404, "没有这个事项。");
      return std::nullopt;
    }
    if (std::optional<HttpResponse> refused = Refusal(*context.principal, *id, action)) {
      *error = std::move(*refused);
      return std::nullopt;
    }
    ChangeRequest out;
    out.id = *id;
    out.body = json::object();
    if (no_fields == nullptr || !context.request.body.empty()) {
      std::optional<json> body = ParseJsonObject(context.request, error);
      if (!body) return std::nullopt;
      out.body = std::move(*body);
    }
    if (no_fields != nullptr && !out.body.empty()) {
      *error = ErrorResponse(422, no_fields);
      return std::nullopt;
    }
    std::optional<int64_t> expected = IfMatchVersion(context.request, error);
    if (!expected) return std::nullopt;
    out.expected = *expected;
    return out;
  }

  // Item `id` as `principal` may act on it with `action`: nullopt and
  // *error 404 when absent or not readable, 403 when the action is refused.
  static std::optional<LedgerItem> Reach(AccessStore& access, LedgerStore& ledger, const Principal& principal,
                                         int64_t id, Action action, HttpResponse* error) {
    auto fail = [&](int status, const std::string& message) -> std::optional<LedgerItem> {
      *error = ErrorResponse(status, message);
      return std::nullopt;
    };
    const std::string absent = "没有编号 " + std::to_string(id) + " 的事项。";
    Result<LedgerItem> item = ledger.GetItem(id);
    if (!item.ok()) {
      return item.status().code() == StatusCode::kNotFound ? fail(404, absent) : fail(500, item.status().message());
    }
    Result<Resource> resource = access.ItemResource(*item);
    if (!resource.ok()) return fail(500, resource.status().message());
    Result<Decision> read = access.Require(principal, Action::kReadItem, *resource);
    if (!read.ok()) return fail(500, read.status().message());
    if (!read->allowed) return fail(404, absent);
    if (action != Action::kReadItem) {
      Result<Decision> decision = access.Require(principal, action, *resource);
      if (!decision.ok()) return fail(500, decision.status().message());
      if (!decision->allowed) return fail(403, decision->reason);
    }
    return std::move(*item);
  }

  // Whether `principal` may `action` on the item as it would be after a
  // change of its units (an item is not moved out of one's scope): 403
  // otherwise.
  static std::optional<HttpResponse> ReachAfter(AccessStore& access, const Principal& principal, LedgerItem after,
                                                Action action) {
    after.submitted_by.clear();
    Result<Resource> resource = access.ItemResource(after);
    if (!resource.ok()) return ErrorResponse(500, resource.status().message());
    if (after.id == 0) resource->object = "新事项";
    Result<Decision> decision = access.Require(principal, action, *resource);
    if (!decision.ok()) return ErrorResponse(500, decision.status().message());
    if (!decision->allowed) return ErrorResponse(403, decision->reason);
    return std::nullopt;
  }

  // A change of one item guarded by If-Match: reached as above, at the
  // version `expected` (else 412), then `change` acting as the principal; a
  // failure with the item moved on since is a 412 too. Audited either way.
  HttpResponse Change(const Principal& principal, int64_t id, Action action, int64_t expected, const char* done,
                      const std::function<std::optional<HttpResponse>(AccessStore&, const LedgerItem&)>& check,
                      const std::function<Result<LedgerItem>(LedgerStore&)>& change) const {
    return Run([&](AccessStore& access, LedgerStore& ledger) -> HttpResponse {
      HttpResponse error;
      std::optional<LedgerItem> item = Reach(access, ledger, principal, id, action, &error);
      if (!item) return error;
      const std::string object = "事项 " + std::to_string(id);
      if (item->version != expected) {
        (void)access.Record(principal, ActionName(action), object, "failure",
                            "版本冲突：依据版本 " + std::to_string(expected) + "，当前版本 " +
                                std::to_string(item->version));  // the 412 is the answer either way
        return StaleResponse(access, *item, expected);
      }
      if (check) {
        if (std::optional<HttpResponse> refused = check(access, *item)) return *refused;
      }
      Result<LedgerItem> changed = [&] {
        ActingUser acting(ledger, principal.name);
        AuditOnCommit audit(ledger, [&](const std::vector<LedgerItem>& written) {
          return access.Record(principal, ActionName(action), object, "success",
                               std::string(done) + "：版本 " + std::to_string(expected) + " → " +
                                   std::to_string(written.empty() ? expected + 1 : written.front().version));
        });
        return change(ledger);
      }();
      if (!changed.ok()) {
        Result<LedgerItem> now = ledger.GetItem(id);
        bool stale = now.ok() && now->version != expected;
        (void)access.Record(principal, ActionName(action), object, "failure",
                            changed.status().message());  // the error is the answer either way
        if (stale) return StaleResponse(access, *now, expected);
        return StoreFailure(changed.status());
      }
      json body = ItemJson(*changed);
      body["message"] = std::string(done) + "：编号 " + std::to_string(changed->id) + "，版本 " +
                        std::to_string(changed->version) + "，状态 " + ShownStatus(*changed) + "。";
      return ItemResponse(200, *changed, std::move(body));
    });
  }
};

json ItemSchema() {
  return {{"type", "object"},
          {"description", "台账事项，字段与 taizhang ledger list --json 相同"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"kind", {{"type", "string"}, {"enum", {"plan", "problem"}}}},
            {"unit", {{"type", "string"}, {"description", "责任单位"}}},
            {"year", {{"type", "integer"}}},
            {"task", {{"type", "string"}}},
            {"status", {{"type", "string"}}},
            {"status_label", {{"type", "string"}, {"description", "显示的状态（逾期的显示“逾期”）"}}},
            {"source",
             {{"type", "object"},
              {"description", "来源：报告编号、文件、行号与原文句子"},
              {"properties",
               {{"report_id", {{"type", "integer"}, {"nullable", true}}},
                {"file", {{"type", "string"}}},
                {"line", {{"type", "integer"}}},
                {"text", {{"type", "string"}}}}}}},
            {"version", {{"type", "integer"}, {"description", "版本号，修改时放在 If-Match 中"}}},
            {"updated_by", {{"type", "string"}}},
            {"updated_at", {{"type", "string"}}}}}};
}

json EvidenceSchema() {
  return {{"type", "array"},
          {"maxItems", kMaxEvidence},
          {"description", "佐证材料：先用 POST /api/v1/files 上传，再在此给出其 SHA-256 与文件名"},
          {"items",
           {{"type", "object"},
            {"required", {"file", "name"}},
            {"additionalProperties", false},
            {"properties",
             {{"file", {{"type", "string"}, {"description", "上传得到的 SHA-256"}}},
              {"name", {{"type", "string"}, {"maxLength", 255}, {"description", "文件名（下载时使用，不含路径）"}}}}}}}};
}

// The responses of a change guarded by If-Match.
std::vector<std::pair<int, std::string>> ChangeResponses(const char* ok) {
  std::vector<std::pair<int, std::string>> out = {{200, ok}, {400, "请求体不是有效的 JSON 对象或 UTF-8，或 If-Match 不是版本号"}};
  AddAuthResponses(&out);
  out.push_back({404, "没有这个事项，或不在本人可以查看的范围内"});
  out.push_back({412, "事项已被别人修改（If-Match 的版本不是当前版本）：错误中写明谁于何时修改，error.current 为当前的事项"});
  out.push_back({413, "请求体超过上限"});
  out.push_back({415, "请求体不是 application/json"});
  out.push_back({422, "字段缺失、类型不对，或台账不接受这一修改（中文说明原因）"});
  out.push_back({428, "缺少 If-Match 请求头"});
  out.push_back({503, "本服务没有启用账户，或同时修改的人太多，稍后再试"});
  return out;
}

// --- Reviews ------------------------------------------------------------------------

// The items of a review body: [{"id": 12, "version": 3}, …].
std::optional<std::vector<ItemRef>> ReviewRefs(const json& body, const char* name, HttpResponse* error) {
  auto fail = [&](const std::string& message) {
    *error = ErrorResponse(422, message);
    return std::nullopt;
  };
  auto it = body.find(name);
  if (it == body.end() || !it->is_array() || it->empty() || it->size() > kMaxReviewItems) {
    return fail(std::string("字段 ") + name + " 应是事项的数组（1 到 " + std::to_string(kMaxReviewItems) +
                " 项），每项为 {\"id\": 编号, \"version\": 读取时的版本}。");
  }
  std::vector<ItemRef> refs;
  for (const json& entry : *it) {
    if (!entry.is_object() || entry.size() != 2 || !entry.contains("id") || !entry.contains("version") ||
        !entry["id"].is_number_integer() || !entry["version"].is_number_integer() || entry["id"].get<int64_t>() < 1 ||
        entry["version"].get<int64_t>() < 1) {
      return fail(std::string(name) + " 的每项应为 {\"id\": 编号, \"version\": 读取时的版本}（正整数）。");
    }
    refs.push_back({entry["id"].get<int64_t>(), entry["version"].get<int64_t>()});
  }
  return refs;
}

// What a review did, in the command line's words: "已确认 2 项：编号 7（版本 2）、8（版本 2）。",
// "已合并：编号 9 并入编号 8（已确认，版本 3）。", "已拆分：编号 10 拆为 2 项待确认的事项：11、12。".
std::string ReviewMessage(std::string_view name, const char* done, const std::vector<ItemRef>& refs,
                          const std::vector<LedgerItem>& items) {
  if (name == "merge" && !items.empty()) {
    std::string others;
    for (size_t i = 1; i < refs.size(); ++i) others += (i > 1 ? "、" : "") + std::to_string(refs[i].id);
    return "已合并：编号 " + others + " 并入编号 " + std::to_string(items.front().id) + "（已确认，版本 " +
           std::to_string(items.front().version) + "）。";
  }
  if (name == "split" && !refs.empty()) {
    std::string made;
    for (const LedgerItem& item : items) made += (made.empty() ? "" : "、") + std::to_string(item.id);
    return "已拆分：编号 " + std::to_string(refs.front().id) + " 拆为 " + std::to_string(items.size()) +
           " 项待确认的事项：" + made + "。";
  }
  std::string message = std::string(done) + " " + std::to_string(items.size()) + " 项：编号 ";
  for (size_t i = 0; i < items.size(); ++i) {
    message += (i ? "、" : "") + std::to_string(items[i].id) + "（版本 " + std::to_string(items[i].version) + "）";
  }
  return message + "。";
}

std::string IdList(const std::vector<ItemRef>& refs) {
  std::string out;
  for (const ItemRef& r : refs) out += (out.empty() ? "" : "、") + std::to_string(r.id);
  return out;
}

}  // namespace

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
void AddItemRoutes(Router* router, StoreAccounts* accounts, const ApiServices& services, const ApiOptions& options) {
  const ItemRoutes items{accounts, services.uploads};
  const json item_schema = ItemSchema();

  // --- List ---
  std::vector<std::pair<int, std::string>> list_responses = {{200, "本人可以查看的事项，及总数"},
                                                             {400, "查询参数不对（类型、状态、年度、排序、分页）"}};
  AddAuthResponses(&list_responses);
  list_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/items",
      .operation_id = "listItems",
      .summary = "台账事项列表：只列本人角色和管辖范围内可以查看的事项（按单位在数据库中筛选），可按类型、单位、年度、状态、逾期筛选，排序并分页",
      .tag = "台账",
      .action = "items.list",
      .params = [] {
        std::vector<RouteParam> params = ItemFilterParams();
        for (RouteParam& p : PageParams()) params.push_back(std::move(p));
        return params;
      }(),
      .response_schema = {{"type", "object"},
                          {"required", {"items", "total", "offset", "limit"}},
                          {"properties",
                           PageSchema({{"items", {{"type", "array"}, {"items", item_schema}}},
                                       {"total", {{"type", "integer"}, {"description", "符合条件、本人可以查看的事项总数"}}}})}},
      .responses = list_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const HttpRequest& request = context.request;
            ItemFilter filter;
            if (std::optional<HttpResponse> bad = ParseItemFilter(request, &filter)) return *bad;
            HttpResponse error;
            std::optional<Page> asked = ParsePage(request, {}, &error);
            if (!asked) return error;
            Result<StoreAccounts::ItemPage> page = accounts->ListItems(*context.principal, filter, asked->offset, asked->limit);
            if (!page.ok()) return ErrorResponse(500, page.status().message());
            json list = json::parse(RenderLedgerItemsJson(page->items, "serve"))["items"];
            return JsonResponse(200, {{"items", std::move(list)},
                                      {"total", page->total},
                                      {"offset", asked->offset},
                                      {"limit", asked->limit}});
          },
  });

  // --- Detail ---
  std::vector<std::pair<int, std::string>> item_responses = {{200, "事项的全部字段、进展（含佐证材料）、历史，ETag 为版本号"}};
  AddAuthResponses(&item_responses);
  item_responses.push_back({404, "没有这个事项，或不在本人可以查看的范围内（列表中也不会出现）"});
  item_responses.push_back({503, "本服务没有启用账户"});
  json detail_schema = item_schema;
  detail_schema["properties"]["progress_entries"] = {
      {"type", "array"},
      {"description", "进展，先后为序；attachments 为佐证材料，url 可下载"},
      {"items", {{"type", "object"}}}};
  detail_schema["properties"]["history"] = {
      {"type", "array"},
      {"description", "历史：谁（actor）、何时（at，UTC）、做了什么（action_label），每个改动的字段的中文名与前后的值"},
      {"items",
       {{"type", "object"},
        {"properties",
         {{"at", {{"type", "string"}}},
          {"actor", {{"type", "string"}}},
          {"action", {{"type", "string"}}},
          {"action_label", {{"type", "string"}}},
          {"changes", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}};
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/items/{id}",
      .operation_id = "getItem",
      .summary = "一个台账事项的详情：全部字段、原文句子（报告、文件、行号）、进展与佐证材料、可读的历史；ETag 为版本号。列表中看不到的事项在这里也看不到",
      .tag = "台账",
      .action = "items.read",
      .params = {{"id", "path", "事项编号", true}},
      .response_schema = detail_schema,
      .responses = item_responses,
      .handler =
          [items](RouteContext& context) {
            std::optional<int64_t> id = ItemId(context.params["id"]);
            if (!id) return ErrorResponse(404, "没有这个事项。");
            const Principal& principal = *context.principal;
            return items.Run([&](AccessStore& access, LedgerStore& ledger) -> HttpResponse {
              HttpResponse error;
              std::optional<LedgerItem> item = ItemRoutes::Reach(access, ledger, principal, *id, Action::kReadItem, &error);
              if (!item) return error;
              Result<std::vector<ProgressEntry>> progress = ledger.ListProgress(*id);
              if (!progress.ok()) return ErrorResponse(500, progress.status().message());
              Result<std::vector<HistoryEntry>> history = ledger.History(*id);
              if (!history.ok()) return ErrorResponse(500, history.status().message());
              return ItemResponse(200, *item, DetailJson(*item, *progress, *history));
            });
          },
  });

  // --- Create ---
  std::vector<std::pair<int, std::string>> create_responses = {{201, "已添加（Location 为其地址，ETag 为版本号）"},
                                                               {400, "请求体不是有效的 JSON 对象或不是有效的 UTF-8"}};
  AddAuthResponses(&create_responses);
  create_responses.push_back({413, "请求体超过上限"});
  create_responses.push_back({415, "请求体不是 application/json"});
  create_responses.push_back({422, "字段缺失、类型不对，或台账不接受（如日期无效、状态与类型不符）"});
  create_responses.push_back({503, "本服务没有启用账户"});
  const std::vector<std::string> create_fields = {"kind", "unit", "year", "task", "target", "deadline", "recurrence",
                                                  "status", "problem_source", "found_date", "lead_unit",
                                                  "support_units", "responsible_person"};
  json create_properties = {
      {"kind", {{"type", "string"}, {"enum", {"plan", "problem"}}, {"description", "默认 plan（工作任务）"}}},
      {"unit", {{"type", "string"}, {"description", "责任单位"}}},
      {"year", {{"type", "integer"}}},
      {"task", {{"type", "string"}, {"description", "工作任务或问题描述"}}},
      {"target", {{"type", "string"}, {"description", "目标，如“5亿元以上”"}}},
      {"deadline", {{"type", "string"}, {"description", "完成时限 YYYY-MM-DD"}}},
      {"recurrence", {{"type", "string"}}},
      {"status", {{"type", "string"}, {"description", "默认 未启动 / 整改中"}}},
      {"problem_source", {{"type", "string"}, {"description", "问题来源（督查、巡查、审计……）"}}},
      {"found_date", {{"type", "string"}}},
      {"lead_unit", {{"type", "string"}}},
      {"support_units", {{"type", "array"}, {"items", {{"type", "string"}}}}},
      {"responsible_person", {{"type", "string"}}}};
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/items",
      .operation_id = "createItem",
      .summary = "新增一个工作任务或问题（督查员，责任单位须在其管辖范围内；直接计入台账）",
      .tag = "台账",
      .action = "items.create",
      .request_type = "application/json",
      .request_schema = {{"type", "object"},
                         {"required", {"unit", "task"}},
                         {"additionalProperties", false},
                         {"properties", create_properties}},
      .max_body = options.max_json_bytes,
      .response_schema = item_schema,
      .responses = create_responses,
      .handler =
          [items, create_fields](RouteContext& context) {
            HttpResponse error;
            std::optional<json> body = ParseJsonObject(context.request, &error);
            if (!body) return error;
            Fields f(*body, create_fields);
            NewItem item;
            if (std::optional<std::string> kind = f.Text("kind")) {
              std::optional<ItemKind> parsed = ParseItemKind(*kind);
              if (!parsed) f.Fail("kind 应为 plan（工作任务）或 problem（问题整改）。");
              item.kind = parsed.value_or(ItemKind::kPlan);
            }
            item.unit = f.Text("unit", true).value_or("");
            item.year = static_cast<int>(f.Integer("year", 0, 9999).value_or(0));
            item.task = f.Text("task", true).value_or("");
            item.target_text = f.Text("target").value_or("");
            item.deadline = f.Text("deadline").value_or("");
            item.recurrence = f.Text("recurrence").value_or("");
            item.status = f.StatusField("status");
            item.problem_source = f.Text("problem_source").value_or("");
            item.found_date = f.Text("found_date").value_or("");
            item.lead_unit = f.Text("lead_unit").value_or("");
            item.support_units = f.TextList("support_units", 50).value_or(std::vector<std::string>{});
            item.responsible_person = f.Text("responsible_person").value_or("");
            if (f.ok() && (item.unit.empty() || item.task.empty())) f.Fail("责任单位（unit）与任务（task）不能为空。");
            if (!f.ok()) return f.Error();
            const Principal& principal = *context.principal;
            return items.Run([&](AccessStore& access, LedgerStore& ledger) -> HttpResponse {
              LedgerItem candidate;
              candidate.kind = item.kind;
              candidate.unit = item.unit;
              candidate.lead_unit = item.lead_unit;
              if (std::optional<HttpResponse> refused =
                      ItemRoutes::ReachAfter(access, principal, candidate, Action::kCreateItem)) {
                return *refused;
              }
              Result<LedgerItem> added = [&] {
                ActingUser acting(ledger, principal.name);
                AuditOnCommit audit(ledger, [&](const std::vector<LedgerItem>& written) {
                  return access.Record(principal, ActionName(Action::kCreateItem),
                                       "事项 " + std::to_string(written.empty() ? 0 : written.front().id), "success",
                                       "已添加");
                });
                return ledger.AddItem(item);
              }();
              if (!added.ok()) {
                (void)access.Record(principal, ActionName(Action::kCreateItem), "新事项", "failure",
                                    added.status().message());  // the error is the answer either way
                return StoreFailure(added.status());
              }
              json out = ItemJson(*added);
              out["message"] = "已添加：编号 " + std::to_string(added->id) + "，版本 " + std::to_string(added->version) +
                               "，状态 " + ShownStatus(*added) + "。";
              HttpResponse response = ItemResponse(201, *added, std::move(out));
              response.Set("Location", "/api/v1/items/" + std::to_string(added->id));
              return response;
            });
          },
  });

  // --- Update ---
  const std::vector<std::string> update_fields = {"unit", "year", "task", "target", "deadline", "recurrence",
                                                  "status", "measures", "lead_unit", "support_units",
                                                  "responsible_person"};
  json update_properties = create_properties;
  update_properties.erase("kind");
  update_properties.erase("problem_source");
  update_properties.erase("found_date");
  update_properties["measures"] = {{"type", "string"}, {"description", "整改措施（问题）"}};
  update_properties["status"] = {{"type", "string"},
                                 {"description", "未启动 推进中 已完成 已取消 整改中（待销号、已销号只由提交整改、销号给出）"}};
  router->Add(Route{
      .method = "PATCH",
      .pattern = "/api/v1/items/{id}",
      .operation_id = "updateItem",
      .summary = "修改事项的字段（督查员，管辖范围内）：须带 If-Match（读取时的 ETag），别人先改过则 412 并告知谁于何时修改",
      .tag = "台账",
      .action = "items.update",
      .params = {{"id", "path", "事项编号", true}, {"If-Match", "header", "读取事项时得到的 ETag（版本号）", true}},
      .request_type = "application/json",
      .request_schema = {{"type", "object"}, {"additionalProperties", false}, {"properties", update_properties}},
      .max_body = options.max_json_bytes,
      .response_schema = item_schema,
      .responses = ChangeResponses("已修改，返回修改后的事项（ETag 为新版本）"),
      .handler =
          [items, update_fields](RouteContext& context) {
            HttpResponse error;
            std::optional<ItemRoutes::ChangeRequest> asked = items.Begin(context, Action::kUpdateItem, &error);
            if (!asked) return error;
            const int64_t* id = &asked->id;
            const json* body = &asked->body;
            const int64_t* expected = &asked->expected;
            Fields f(*body, update_fields);
            ItemChange change;
            change.unit = f.Text("unit");
            if (std::optional<int64_t> year = f.Integer("year", 0, 9999)) change.year = static_cast<int>(*year);
            change.task = f.Text("task");
            change.target_text = f.Text("target");
            change.deadline = f.Text("deadline");
            change.recurrence = f.Text("recurrence");
            change.status = f.StatusField("status");
            change.measures = f.Text("measures");
            change.lead_unit = f.Text("lead_unit");
            change.support_units = f.TextList("support_units", 50);
            change.responsible_person = f.Text("responsible_person");
            if (f.ok() && body->empty()) f.Fail("没有要修改的字段。");
            if (f.ok() && ((change.unit && change.unit->empty()) || (change.task && change.task->empty()))) {
              f.Fail("责任单位（unit）与任务（task）不能改为空。");
            }
            if (!f.ok()) return f.Error();
            const Principal& principal = *context.principal;
            auto check = [&](AccessStore& access, const LedgerItem& item) -> std::optional<HttpResponse> {
              if (!change.unit && !change.lead_unit) return std::nullopt;
              LedgerItem after = item;
              if (change.unit) after.unit = *change.unit;
              if (change.lead_unit) after.lead_unit = *change.lead_unit;
              return ItemRoutes::ReachAfter(access, principal, after, Action::kUpdateItem);
            };
            return items.Change(principal, *id, Action::kUpdateItem, *expected, "已修改", check,
                                [&](LedgerStore& ledger) { return ledger.UpdateItem(*id, *expected, change); });
          },
  });

  // --- Progress ---
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/items/{id}/progress",
      .operation_id = "addProgress",
      .summary = "填报一次进展（填报员，本单位的事项）：日期、数值、说明、佐证材料（已上传的文件）；须带 If-Match；达到目标数值或 done 时任务记为已完成",
      .tag = "台账",
      .action = "items.progress",
      .params = {{"id", "path", "事项编号", true}, {"If-Match", "header", "读取事项时得到的 ETag（版本号）", true}},
      .request_type = "application/json",
      .request_schema = {{"type", "object"},
                         {"additionalProperties", false},
                         {"properties",
                          {{"date", {{"type", "string"}, {"description", "进展日期 YYYY-MM-DD，默认今天"}}},
                           {"value", {{"type", "string"}, {"description", "数值（目标的单位，或如“3.3万套”）"}}},
                           {"note", {{"type", "string"}, {"description", "进展说明"}}},
                           {"done", {{"type", "boolean"}, {"description", "任务已完成"}}},
                           {"evidence", EvidenceSchema()}}}},
      .max_body = options.max_json_bytes,
      .response_schema = item_schema,
      .responses = ChangeResponses("已记录进展，返回事项（ETag 为新版本）"),
      .handler =
          [items](RouteContext& context) {
            HttpResponse error;
            std::optional<ItemRoutes::ChangeRequest> asked = items.Begin(context, Action::kReportProgress, &error);
            if (!asked) return error;
            const int64_t* id = &asked->id;
            const json* body = &asked->body;
            const int64_t* expected = &asked->expected;
            Fields f(*body, {"date", "value", "note", "done", "evidence"});
            ProgressEntry entry;
            std::optional<std::string> date = f.Text("date");
            entry.value = f.Text("value").value_or("");
            entry.note = f.Text("note").value_or("");
            bool done = f.Bool("done").value_or(false);
            if (!f.ok()) return f.Error();
            std::optional<std::vector<ProgressAttachment>> files = EvidenceFiles(*body, items.uploads, &error);
            if (!files) return error;
            entry.attachments = std::move(*files);
            entry.evidence = EvidenceNames(entry.attachments);
            return items.Change(*context.principal, *id, Action::kReportProgress, *expected, "已记录进展", nullptr,
                                [&](LedgerStore& ledger) {
                                  entry.date = date.value_or(ledger.today());
                                  return ledger.AddProgress(*id, *expected, entry, done);
                                });
          },
  });

  // --- Rectification ---
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/items/{id}/submit",
      .operation_id = "submitRectification",
      .summary = "提交问题的整改（填报员，本单位的问题）：整改措施与佐证材料，问题变为待销号；须带 If-Match",
      .tag = "台账",
      .action = "items.submit",
      .params = {{"id", "path", "事项编号", true}, {"If-Match", "header", "读取事项时得到的 ETag（版本号）", true}},
      .request_type = "application/json",
      .request_schema = {{"type", "object"},
                         {"additionalProperties", false},
                         {"properties",
                          {{"measures", {{"type", "string"}, {"description", "整改措施（已填过的可不给）"}}},
                           {"evidence", EvidenceSchema()}}}},
      .max_body = options.max_json_bytes,
      .response_schema = item_schema,
      .responses = ChangeResponses("已提交整改，待销号"),
      .handler =
          [items](RouteContext& context) {
            HttpResponse error;
            std::optional<ItemRoutes::ChangeRequest> asked =
                items.Begin(context, Action::kSubmitRectification, &error);
            if (!asked) return error;
            const int64_t* id = &asked->id;
            const json* body = &asked->body;
            const int64_t* expected = &asked->expected;
            Fields f(*body, {"measures", "evidence"});
            std::string measures = f.Text("measures").value_or("");
            if (!f.ok()) return f.Error();
            std::optional<std::vector<ProgressAttachment>> files = EvidenceFiles(*body, items.uploads, &error);
            if (!files) return error;
            auto check = [&](AccessStore&, const LedgerItem& item) -> std::optional<HttpResponse> {
              if (measures.empty() && item.measures.empty()) {
                return ErrorResponse(422, "提交整改须写明整改措施（字段 measures）。");
              }
              return std::nullopt;
            };
            return items.Change(*context.principal, *id, Action::kSubmitRectification, *expected,
                                "已提交整改，待销号", check, [&](LedgerStore& ledger) {
                                  return ledger.SubmitRectification(*id, *expected, measures, *files);
                                });
          },
  });

  std::vector<std::pair<int, std::string>> close_responses = ChangeResponses("已销号");
  close_responses.push_back({403, "整改由本人提交的，须由另一位督查员销号"});
  router->Add(Route{
      .method = "POST",
      .pattern = "/api/v1/items/{id}/close-off",
      .operation_id = "closeOff",
      .summary = "销号：核实待销号的问题（督查员，管辖范围内；提交整改的人本人不能销号，即使也是督查员）；须带 If-Match",
      .tag = "台账",
      .action = "items.close_off",
      .params = {{"id", "path", "事项编号", true}, {"If-Match", "header", "读取事项时得到的 ETag（版本号）", true}},
      .request_type = "application/json",
      .request_schema = {{"type", "object"}, {"additionalProperties", false}, {"description", "空对象，或不带请求体"}},
      .max_body = options.max_json_bytes,
      .response_schema = item_schema,
      .responses = close_responses,
      .handler =
          [items](RouteContext& context) {
            HttpResponse error;
            std::optional<ItemRoutes::ChangeRequest> asked =
                items.Begin(context, Action::kCloseOff, &error, "销号不需要字段：请求体应为空或 {}。");
            if (!asked) return error;
            const int64_t id = asked->id, expected = asked->expected;
            return items.Change(*context.principal, id, Action::kCloseOff, expected, "已销号", nullptr,
                                [&](LedgerStore& ledger) { return ledger.CloseOff(id, expected); });
          },
  });

  // --- Attachments ---
  std::vector<std::pair<int, std::string>> file_responses = {
      {200, "文件内容：Content-Type 按内容（image/png、image/jpeg、application/pdf……），Content-Disposition 带原文件名"},
      {400, "inline 不是 0 或 1"}};
  AddAuthResponses(&file_responses);
  file_responses.push_back({404, "没有这个事项（或不在本人可以查看的范围内），或事项的进展中没有这个文件"});
  file_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/items/{id}/attachments/{file}",
      .operation_id = "getAttachment",
      .summary = "下载事项进展的佐证材料（只有可以查看该事项的人能下载）；inline=1 时图片和 PDF 在网页中显示",
      .tag = "台账",
      .action = "items.read",
      .params = {{"id", "path", "事项编号", true},
                 {"file", "path", "文件的 SHA-256（详情中 attachments 的 file）", true},
                 {"inline", "query", "1：图片和 PDF 在网页中直接显示（Content-Disposition: inline，沙箱、不许脚本的 CSP）；其他格式和默认都是下载", false}},
      .response_schema = {{"type", "string"}, {"format", "binary"}},
      .responses = file_responses,
      .handler =
          [items](RouteContext& context) {
            std::optional<int64_t> id = ItemId(context.params["id"]);
            const std::string& file = context.params["file"];
            if (!id) return ErrorResponse(404, "没有这个事项。");
            std::optional<std::string> inline_text = context.request.Query("inline");
            if (inline_text && *inline_text != "0" && *inline_text != "1") {
              return ErrorResponse(400, "inline 应为 1（在网页中显示）或 0（下载）。");
            }
            const bool inline_requested = inline_text && *inline_text == "1";
            const Principal& principal = *context.principal;
            return items.Run([&](AccessStore& access, LedgerStore& ledger) -> HttpResponse {
              HttpResponse error;
              std::optional<LedgerItem> item = ItemRoutes::Reach(access, ledger, principal, *id, Action::kReadItem, &error);
              if (!item) return error;
              if (!IsSha256Hex(file)) return ErrorResponse(404, "该事项没有这个佐证材料。");
              Result<std::optional<ProgressAttachment>> found = ledger.FindAttachment(*id, file);
              if (!found.ok()) return ErrorResponse(500, found.status().message());
              if (!*found || items.uploads == nullptr) return ErrorResponse(404, "该事项没有这个佐证材料。");
              // The upload store reads by the validated hash; nothing of the
              // request reaches the file system.
              Result<std::string> bytes = items.uploads->Read((*found)->sha256);
              if (!bytes.ok()) return ErrorResponse(404, "该佐证材料的文件已不在服务器上。");
              // The type is the content's (the upload was checked in full
              // when stored), never the name's; with nosniff (on every
              // answer) the browser takes it as said.
              const std::string format = SniffFormat(*bytes);
              const bool shown_inline = inline_requested && ShownInline(format);
              HttpResponse response;
              response.body = std::move(*bytes);
              response.Set("Content-Type", MediaType(format));
              response.Set("Content-Disposition", ContentDisposition(shown_inline ? "inline" : "attachment", "", (*found)->name));
              response.Set("Cache-Control", "private, no-store");
              if (shown_inline) {
                // Shown in the page (an <img>, or a PDF in a frame of the
                // same site): no script, a sandbox, nothing loaded.
                response.Set("Content-Security-Policy",
                             "default-src 'none'; img-src 'self'; object-src 'self'; sandbox; frame-ancestors 'self'");
                response.Set("X-Frame-Options", "SAMEORIGIN");
              }
              return response;
            });
          },
  });

  // --- Review ---
  std::vector<std::pair<int, std::string>> review_list_responses = {{200, "管辖范围内待确认的事项（按编号），及总数"},
                                                                    {400, "查询参数不对"}};
  AddAuthResponses(&review_list_responses);
  review_list_responses.push_back({503, "本服务没有启用账户"});
  router->Add(Route{
      .method = "GET",
      .pattern = "/api/v1/review",
      .operation_id = "listProposals",
      .summary = "待确认的事项（导入报告生成的计划事项，督查员管辖范围内），附原文句子，分页",
      .tag = "确认",
      .action = "items.review",
      .params = [] {
        std::vector<RouteParam> params = {{"unit", "query", "责任单位", false},
                                          {"year", "query", "年度", false},
                                          {"report", "query", "只列出读自这篇报告（编号）的事项；0 为不是读自报告的", false}};
        for (RouteParam& p : PageParams()) params.push_back(std::move(p));
        return params;
      }(),
      .response_schema = {{"type", "object"},
                          {"required", {"items", "total", "offset", "limit"}},
                          {"properties",
                           PageSchema({{"items", {{"type", "array"}, {"items", item_schema}}},
                                       {"total", {{"type", "integer"}}},
                                       {"reports",
                                        {{"type", "array"},
                                         {"description", "按报告分组的待确认个数（unit、year 筛选之内，不受 report 限制），按报告编号；"
                                                         "report_id 为 0 的是不是读自报告的"},
                                         {"items",
                                          {{"type", "object"},
                                           {"properties",
                                            {{"report_id", {{"type", "integer"}}}, {"count", {{"type", "integer"}}}}}}}}}})}},
      .responses = review_list_responses,
      .handler =
          [accounts](RouteContext& context) {
            if (accounts == nullptr) return NoAccountsResponse();
            const HttpRequest& request = context.request;
            ItemFilter filter;
            filter.review = ReviewState::kProposed;
            if (std::optional<std::string> unit = request.Query("unit")) filter.unit = *unit;
            std::optional<int64_t> year = IntegerQuery(request, "year", 0, 9999);
            if (!year) return ErrorResponse(400, "year 应为年份数字。");
            HttpResponse error;
            std::optional<Page> asked = ParsePage(request, {}, &error);
            if (!asked) return error;
            filter.year = static_cast<int>(*year);
            // The proposals of each report (counted before narrowing to one).
            Result<std::vector<ItemGroupCount>> groups =
                accounts->CountItemsBy(*context.principal, filter, ItemGrouping::kReport);
            if (!groups.ok()) return ErrorResponse(500, groups.status().message());
            std::map<int64_t, int64_t> by_report;
            for (const ItemGroupCount& g : *groups) by_report[std::stoll(g.key)] += g.count;
            json reports = json::array();
            for (const auto& [id, count] : by_report) reports.push_back({{"report_id", id}, {"count", count}});
            if (request.Query("report")) {
              std::optional<int64_t> report = IntegerQuery(request, "report", 0, std::numeric_limits<int64_t>::max());
              if (!report) return ErrorResponse(400, "report 应为报告编号（0 为不是读自报告的事项）。");
              filter.report_id = *report;
            }
            Result<StoreAccounts::ItemPage> page = accounts->ListItems(*context.principal, filter, asked->offset, asked->limit);
            if (!page.ok()) return ErrorResponse(500, page.status().message());
            json list = json::parse(RenderLedgerItemsJson(page->items, "serve"))["items"];
            return JsonResponse(200, {{"items", std::move(list)},
                                      {"total", page->total},
                                      {"offset", asked->offset},
                                      {"limit", asked->limit},
                                      {"reports", std::move(reports)}});
          },
  });

  // Each review: the items named, every one reached and at its version,
  // then the store's call (all or nothing) as the principal.
  struct Review {
    const char* name;         // accept …
    const char* operation;    // acceptProposals …
    const char* summary;
    const char* done;         // 已确认 …
    std::vector<std::string> fields;
    json properties;
    std::vector<std::string> required;
    // The store's call on the checked body; *error for a body it cannot use.
    std::function<Result<std::vector<LedgerItem>>(LedgerStore&, const json&, const std::vector<ItemRef>&)> call;
    // The body's own checks beyond the items (422 message, "" fine).
    std::function<std::string(const json&)> check;
    bool single = false;      // "item" instead of "items" (split)
    bool moves_units = false; // assign: the new 牵头单位 must be in scope
  };
  json refs_schema = {{"type", "array"},
                      {"minItems", 1},
                      {"maxItems", kMaxReviewItems},
                      {"items",
                       {{"type", "object"},
                        {"required", {"id", "version"}},
                        {"additionalProperties", false},
                        {"properties",
                         {{"id", {{"type", "integer"}}},
                          {"version", {{"type", "integer"}, {"description", "读取时的版本（乐观锁）"}}}}}}}};
  json ref_schema = refs_schema["items"];
  std::vector<Review> reviews = {
      {"accept", "acceptProposals", "确认待确认的事项：从此计入台账（列表、比率、逾期、导出）", "已确认", {"items"},
       {{"items", refs_schema}}, {"items"},
       [](LedgerStore& ledger, const json&, const std::vector<ItemRef>& refs) { return ledger.AcceptItems(refs); },
       nullptr},
      {"reject", "rejectProposals", "驳回待确认的事项（不是任务的句子）：保留记录、驳回人与理由，不计入台账", "已驳回",
       {"items", "reason"}, {{"items", refs_schema}, {"reason", {{"type", "string"}, {"description", "驳回理由"}}}},
       {"items", "reason"},
       [](LedgerStore& ledger, const json& body, const std::vector<ItemRef>& refs) {
         return ledger.RejectItems(refs, body["reason"].get<std::string>());
       },
       [](const json& body) -> std::string {
         auto it = body.find("reason");
         if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty() ||
             it->get_ref<const std::string&>().size() > kMaxTextBytes) {
           return "驳回须写明理由（字段 reason，文字）。";
         }
         return "";
       }},
      {"merge", "mergeProposals", "把说同一件事的几项合并为一项：保留第一个编号并确认，其余记为已合并", "已合并",
       {"items", "task"},
       {{"items", refs_schema}, {"task", {{"type", "string"}, {"description", "合并后的任务（默认把各项的任务用分号连起来）"}}}},
       {"items"},
       [](LedgerStore& ledger, const json& body, const std::vector<ItemRef>& refs) -> Result<std::vector<LedgerItem>> {
         Result<LedgerItem> kept = ledger.MergeItems(refs, body.value("task", std::string()));
         if (!kept.ok()) return kept.status();
         return std::vector<LedgerItem>{*kept};
       },
       [](const json& body) -> std::string {
         auto it = body.find("task");
         if (it != body.end() && (!it->is_string() || it->get_ref<const std::string&>().size() > kMaxTextBytes)) {
           return "字段 task 应是文字。";
         }
         return "";
       }},
      {"split", "splitProposal", "把一句含几项任务的事项拆开：原事项记为已拆分，每项任务一个新的待确认事项（原文相同）",
       "已拆分", {"item", "tasks"},
       {{"item", ref_schema},
        {"tasks", {{"type", "array"}, {"minItems", 2}, {"maxItems", kMaxSplitTasks}, {"items", {{"type", "string"}}}}}},
       {"item", "tasks"},
       [](LedgerStore& ledger, const json& body, const std::vector<ItemRef>& refs) {
         return ledger.SplitItem(refs.front(), body["tasks"].get<std::vector<std::string>>());
       },
       [](const json& body) -> std::string {
         auto it = body.find("tasks");
         if (it == body.end() || !it->is_array() || it->size() > kMaxSplitTasks) {
           return "字段 tasks 应是拆分后各项任务的数组（2 到 " + std::to_string(kMaxSplitTasks) + " 项）。";
         }
         for (const json& t : *it) {
           if (!t.is_string() || t.get_ref<const std::string&>().size() > kMaxTextBytes) return "tasks 的每项应是文字。";
         }
         return "";
       },
       true},
      {"assign", "assignProposals", "指定牵头单位、配合单位、责任人（待确认或已确认的事项；不改变确认状态）", "已指定",
       {"items", "lead_unit", "support_units", "responsible_person"},
       {{"items", refs_schema},
        {"lead_unit", {{"type", "string"}}},
        {"support_units", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"responsible_person", {{"type", "string"}}}},
       {"items"},
       [](LedgerStore& ledger, const json& body, const std::vector<ItemRef>& refs) {
         LedgerStore::Assignment assignment;
         if (body.contains("lead_unit")) assignment.lead_unit = body["lead_unit"].get<std::string>();
         if (body.contains("support_units")) {
           assignment.support_units = body["support_units"].get<std::vector<std::string>>();
         }
         if (body.contains("responsible_person")) {
           assignment.responsible_person = body["responsible_person"].get<std::string>();
         }
         return ledger.AssignItems(refs, assignment);
       },
       [](const json& body) -> std::string {
         Fields f(body, {"items", "lead_unit", "support_units", "responsible_person"});
         (void)f.Text("lead_unit");
         (void)f.TextList("support_units", 50);
         (void)f.Text("responsible_person");
         if (f.ok() && body.size() < 2) return "至少给出牵头单位（lead_unit）、配合单位（support_units）、责任人（responsible_person）之一。";
         return f.ok() ? "" : "字段 lead_unit、responsible_person 应是文字，support_units 应是文字的数组。";
       },
       false, true},
  };
  for (Review& review : reviews) {
    std::vector<std::pair<int, std::string>> responses = {
        {200, std::string(review.done) + "：返回处理后的事项（拆分为新的待确认事项）"},
        {400, "请求体不是有效的 JSON 对象或不是有效的 UTF-8"}};
    AddAuthResponses(&responses);
    responses.push_back({404, "没有其中某个编号的事项，或不在本人可以查看的范围内"});
    responses.push_back({412, "其中某个事项已被别人修改（version 不是当前版本）：错误中写明谁于何时修改，error.current 为当前的事项"});
    responses.push_back({413, "请求体超过上限"});
    responses.push_back({415, "请求体不是 application/json"});
    responses.push_back({422, "字段缺失、类型不对，或台账不接受（如不是待确认的事项、编号重复）"});
    responses.push_back({503, "本服务没有启用账户，或同时修改的人太多，稍后再试"});
    json schema = {{"type", "object"},
                   {"additionalProperties", false},
                   {"required", review.required},
                   {"properties", review.properties}};
    router->Add(Route{
        .method = "POST",
        .pattern = std::string("/api/v1/review/") + review.name,
        .operation_id = review.operation,
        .summary = std::string(review.summary) + "（督查员，每个事项须在其管辖范围内，并给出读取时的版本）",
        .tag = "确认",
        .action = "items.review",
        .request_type = "application/json",
        .request_schema = schema,
        .max_body = options.max_json_bytes,
        .response_schema = {{"type", "object"},
                            {"properties",
                             {{"items", {{"type", "array"}, {"items", item_schema}}},
                              {"message", {{"type", "string"}}}}}},
        .responses = responses,
        .handler =
            [items, review](RouteContext& context) {
              HttpResponse error;
              std::optional<json> body = ParseJsonObject(context.request, &error);
              if (!body) return error;
              for (const auto& [key, value] : body->items()) {
                if (std::find(review.fields.begin(), review.fields.end(), key) == review.fields.end()) {
                  return ErrorResponse(422, "不认识的字段：" + key + "。");
                }
              }
              std::optional<std::vector<ItemRef>> refs;
              if (review.single) {
                json wrapped = {{"item", json::array({body->value("item", json())})}};
                refs = ReviewRefs(wrapped, "item", &error);
              } else {
                refs = ReviewRefs(*body, "items", &error);
              }
              if (!refs) return error;
              if (review.check) {
                std::string problem = review.check(*body);
                if (!problem.empty()) return ErrorResponse(422, problem);
              }
              const Principal& principal = *context.principal;
              const std::string action = std::string("review_") + review.name;
              const std::string object = "事项 " + IdList(*refs);
              return items.Run([&](AccessStore& access, LedgerStore& ledger) -> HttpResponse {
                for (const ItemRef& ref : *refs) {
                  std::optional<LedgerItem> item =
                      ItemRoutes::Reach(access, ledger, principal, ref.id, Action::kReviewProposals, &error);
                  if (!item) return error;
                  if (review.moves_units && body->contains("lead_unit")) {
                    LedgerItem after = *item;
                    after.lead_unit = (*body)["lead_unit"].get<std::string>();
                    if (std::optional<HttpResponse> refused =
                            ItemRoutes::ReachAfter(access, principal, after, Action::kReviewProposals)) {
                      return *refused;
                    }
                  }
                  if (item->version != *ref.expected_version) {
                    (void)access.Record(principal, action, object, "failure",
                                        "版本冲突：编号 " + std::to_string(ref.id));  // the 412 is the answer
                    return StaleResponse(access, *item, *ref.expected_version);
                  }
                }
                Result<std::vector<LedgerItem>> done = [&] {
                  ActingUser acting(ledger, principal.name);
                  AuditOnCommit audit(ledger, [&](const std::vector<LedgerItem>& written) {
                    // The store hands over the items named, then those made:
                    // what the call will return is the merged one (merge),
                    // the ones made (split) or the ones named.
                    const size_t named = std::min(refs->size(), written.size());
                    std::vector<LedgerItem> result =
                        std::string_view(review.name) == "merge" ? std::vector<LedgerItem>(written.begin(), written.begin() + std::min<size_t>(1, named))
                        : std::string_view(review.name) == "split"
                            ? std::vector<LedgerItem>(written.begin() + named, written.end())
                            : std::vector<LedgerItem>(written.begin(), written.begin() + named);
                    return access.Record(principal, action, object, "success",
                                         ReviewMessage(review.name, review.done, *refs, result));
                  });
                  return review.call(ledger, *body, *refs);
                }();
                if (!done.ok()) {
                  (void)access.Record(principal, action, object, "failure",
                                      done.status().message());  // the error is the answer either way
                  for (const ItemRef& ref : *refs) {
                    Result<LedgerItem> now = ledger.GetItem(ref.id);
                    if (now.ok() && now->version != *ref.expected_version) {
                      return StaleResponse(access, *now, *ref.expected_version);
                    }
                  }
                  return StoreFailure(done.status());
                }
                std::string message = ReviewMessage(review.name, review.done, *refs, *done);
                json list = json::array();
                for (const LedgerItem& item : *done) list.push_back(ItemJson(item));
                return JsonResponse(200, {{"items", std::move(list)}, {"message", message}});
              });
            },
    });
  }
}
#pragma GCC diagnostic pop

}  // namespace taizhang::server_internal
