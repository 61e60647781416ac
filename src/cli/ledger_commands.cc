// The ledger commands: thin glue over ledger/ledger.h, app/app.h and output/ledger_output.h.
#include "cli/ledger_commands.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>

#include "cli/cli_common.h"
#include "app/app.h"
#include "cli/cli_messages.h"
#include "document/document.h"
#include "ledger/ledger.h"
#include "output/ledger_output.h"

namespace taizhang::cli {

namespace {

// The acting user when --user is not given: $TAIZHANG_USER, else the login name.
std::string DefaultUser() {
  for (const char* name : {"TAIZHANG_USER", "USER", "LOGNAME"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return v;
  }
  return "unknown";
}

// The time zone times are shown in: $TAIZHANG_TZ, else Asia/Shanghai.
std::string DefaultTimeZone() {
  if (const char* v = std::getenv("TAIZHANG_TZ"); v != nullptr && *v != '\0') return v;
  return kDefaultTimeZone;
}

std::string DefaultDatabase() {
  if (const char* v = std::getenv("TAIZHANG_DB"); v != nullptr && *v != '\0') return v;
  return "taizhang.db";
}

// Exit code for a failed store operation.
int ExitFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return status.message().find("本次修改未保存") != std::string::npos ? kExitConflict : kExitUsage;
    case StatusCode::kNotFound:
      return kExitUsage;
    default:
      return kExitStore;
  }
}

int Fail(const Status& status) {
  std::cerr << "taizhang：" << status.message() << "\n";
  return ExitFor(status);
}

}  // namespace

struct LedgerCommands::State {
  // Shared by every command here.
  std::string db = DefaultDatabase();
  std::string user = DefaultUser();
  std::string today;
  int lead_days = 15;
  bool json = false;
  std::string output;
  std::string time_zone = DefaultTimeZone();
  bool force = false;

  CLI::App* import_cmd = nullptr;
  std::vector<std::string> files;
  RunArgs run;  // import: -j, --no-progress
  std::string config;
  std::string encoding;
  int batch = 1;  // import: files per transaction

  CLI::App* ledger_cmd = nullptr;
  CLI::App* list_cmd = nullptr;
  CLI::App* show_cmd = nullptr;
  CLI::App* add_cmd = nullptr;
  CLI::App* update_cmd = nullptr;
  CLI::App* progress_cmd = nullptr;
  CLI::App* submit_cmd = nullptr;
  CLI::App* close_cmd = nullptr;
  CLI::App* history_cmd = nullptr;
  CLI::App* rates_cmd = nullptr;
  CLI::App* bulletin_cmd = nullptr;
  CLI::App* draft_cmd = nullptr;
  CLI::App* export_cmd = nullptr;
  CLI::App* xlsx_import_cmd = nullptr;
  CLI::App* verify_cmd = nullptr;
  CLI::App* backup_cmd = nullptr;
  CLI::App* restore_cmd = nullptr;
  CLI::App* review_cmd = nullptr;
  CLI::App* review_list_cmd = nullptr;
  CLI::App* review_accept_cmd = nullptr;
  CLI::App* review_reject_cmd = nullptr;
  CLI::App* review_merge_cmd = nullptr;
  CLI::App* review_split_cmd = nullptr;
  CLI::App* review_assign_cmd = nullptr;

  int64_t id = 0;
  std::optional<int64_t> if_version;
  // Filters.
  std::string kind;
  std::string unit;
  int year = 0;
  std::string status;
  bool overdue = false;
  int due_within = -1;
  int64_t limit = 0;
  std::string review;  // --review: 确认状态, "" for the command's default
  // Fields.
  std::string task, target, deadline, recurrence, problem_source, found_date, measures;
  std::optional<std::string> set_unit, set_task, set_target, set_deadline, set_recurrence, set_status, set_measures;
  std::optional<int> set_year;
  // 牵头单位, 配合单位, 责任人 (add, update, review assign); --support may repeat.
  std::optional<std::string> lead, owner;
  std::vector<std::string> support;
  CLI::Option* support_option = nullptr;
  CLI::Option* update_support_option = nullptr;
  CLI::Option* assign_support_option = nullptr;
  // Reviews: the items, one --if-version per item (in their order), and
  // what each review takes.
  std::vector<int64_t> ids;
  std::vector<int64_t> if_versions;
  bool all = false;
  std::string reason;
  std::vector<std::string> tasks;
  // Progress.
  std::string date, value, note, evidence;
  bool done = false;
  // Rates.
  std::string from, to;
  // Excel and backups.
  std::string xlsx;
  std::string title;
  bool by_unit = false;
  bool as_new = false;
  std::string file;
  // Documents (bulletin): 发文机关.
  std::string issuer;
  // verify --head: a chain head written down earlier.
  std::string head;

  void AddStoreOptions(CLI::App* cmd, bool json_option) {
    cmd->add_option("--db", db, "台账数据库：SQLite 文件路径（默认 taizhang.db 或 $TAIZHANG_DB）或 postgresql://… 地址");
    cmd->add_option("--user", user, "操作人（默认 $TAIZHANG_USER，否则登录名），记入每一条历史记录");
    cmd->add_option("--today", today, "按哪一天计算逾期与预警（YYYY-MM-DD，默认今天）");
    cmd->add_option("--lead-days", lead_days, "到期前多少天亮黄灯（默认 15）");
    if (json_option) cmd->add_flag("--json", json, "输出 JSON");
    cmd->add_option("-o,--output", output, "写入文件而不是标准输出");
    cmd->add_option("--tz", time_zone, "显示时间所用的时区（IANA 名称，默认 $TAIZHANG_TZ，否则 Asia/Shanghai）");
  }
  void AddFilterOptions(CLI::App* cmd) {
    cmd->add_option("--kind", kind, "plan（工作任务）或 problem（问题）");
    cmd->add_option("--unit", unit, "责任单位");
    cmd->add_option("--year", year, "年度");
    cmd->add_option("--status", status, "状态：未启动 推进中 已完成 已取消 整改中 待销号 已销号");
    cmd->add_flag("--overdue", overdue, "只列逾期的");
    cmd->add_option("--due-within", due_within, "只列 N 天内到期且未完成的");
    AddReviewOption(cmd, "已确认");
    cmd->add_option("--limit", limit, "最多列出多少项");
  }
  void AddReviewOption(CLI::App* cmd, const char* by_default) {
    cmd->add_option("--review", review,
                    std::string("确认状态：待确认 已确认 已驳回 已合并 已拆分 或 全部（默认") + by_default +
                        "；也可写 proposed accepted rejected merged split all）");
  }
  // --review as a filter: "" is `by_default`, 全部 / all is every state.
  Result<std::optional<ReviewState>> ReviewFilter(ReviewState by_default) const {
    if (review.empty()) return std::optional<ReviewState>(by_default);
    if (review == "全部" || review == "all") return std::optional<ReviewState>();
    auto parsed = ParseReviewState(review);
    if (!parsed) {
      return Status(StatusCode::kInvalidArgument,
                    "--review 的值“" + review + "”不是确认状态（应为 待确认、已确认、已驳回、已合并、已拆分 或 全部）。");
    }
    return std::optional<ReviewState>(*parsed);
  }
  void AddAssignmentOptions(CLI::App* cmd, CLI::Option** support_at) {
    cmd->add_option("--lead", lead, "牵头单位（空字符串表示无）");
    *support_at = cmd->add_option("--support", support,
                                  "配合单位，可写多次或用顿号分隔（--support 县财政局 --support 县自然资源局）");
    cmd->add_option("--owner", owner, "责任人");
  }
  // --support as given, each value split at 、，; (nullopt when not given).
  std::optional<std::vector<std::string>> SupportUnits(const CLI::Option* option) const {
    if (option == nullptr || option->count() == 0) return std::nullopt;
    std::vector<std::string> units;
    for (const std::string& value : support) {
      for (std::string& u : ParseUnitList(value)) units.push_back(std::move(u));
    }
    return units;
  }
  // " --db 台账.db" when the database is not the default one: for the
  // commands a message suggests.
  std::string DbOption() const { return db == DefaultDatabase() ? "" : " --db " + db; }

  // Every date option and the time zone, checked before anything is opened.
  Status ValidateOptions() const {
    const std::pair<const char*, std::string> days[] = {
        {"--today", today},       {"--date", date}, {"--deadline", deadline}, {"--deadline", set_deadline.value_or("")},
        {"--found", found_date}, {"--from", from}, {"--to", to}};
    for (const auto& [option, value] : days) {
      if (!value.empty() && !IsValidDay(value)) {
        return Status(StatusCode::kInvalidArgument,
                      std::string(option) + " 的值“" + value + "”不是有效日期（应为 YYYY-MM-DD，如 2025-02-28）。");
      }
    }
    if (!IsKnownTimeZone(time_zone)) {
      return Status(StatusCode::kInvalidArgument,
                    "--tz 的值“" + time_zone + "”不是已知的时区（应为 IANA 名称，如 Asia/Shanghai）。");
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<LedgerStore>> OpenStore() {
    Status checked = ValidateOptions();
    if (!checked.ok()) return checked;
    // The database file is no output's to replace (-o, --xlsx, backup).
    if (db.find("://") == std::string::npos) ProtectPaths({db});
    auto store = LedgerStore::Open(db, user);
    if (!store.ok()) return store.status();
    // Today as the user's calendar has it, not the machine's.
    (*store)->set_today(!today.empty() ? today : TodayIn(time_zone));
    (*store)->set_lead_days(lead_days);
    return store;
  }

  Result<ItemFilter> Filter() const {
    ItemFilter f;
    if (!kind.empty()) {
      f.kind = ParseItemKind(kind);
      if (!f.kind) return Status(StatusCode::kInvalidArgument, "--kind 应为 plan 或 problem。");
    }
    f.unit = unit;
    f.year = year;
    if (status == "逾期") {
      f.overdue = true;
    } else if (!status.empty()) {
      f.status = ParseItemStatus(status);
      if (!f.status) return Status(StatusCode::kInvalidArgument, "不认识的状态“" + status + "”。");
    }
    f.overdue = f.overdue || overdue;
    f.due_within_days = due_within;
    f.limit = limit;
    auto review_filter = ReviewFilter(ReviewState::kAccepted);
    if (!review_filter.ok()) return review_filter.status();
    f.review = *review_filter;
    return f;
  }

  int Import() {
    AnalyzeOptions options;
    if (!LoadCheckOptions(config, &options.check)) return kExitUsage;
    options.read.encoding = encoding;
    // A large compilation's facts and findings are made report by report
    // as the store takes them (inside its transaction), never all held.
    options.defer_facts_from_bytes = kDeferFactsFromBytes;
    if (batch < 1) return Fail(Status(StatusCode::kInvalidArgument, "--batch 的值应为正整数（每个事务导入的文件数）。"));
    ProtectPaths(files);
    auto store = OpenStore();
    if (!store.ok()) return Fail(store.status());
    std::vector<std::pair<std::string, ImportOutcome>> done;
    std::vector<std::pair<std::string, Status>> failed;
    std::string text;
    int exit_code = kExitOk;
    auto fail = [&](const std::string& path, const Status& status) {
      std::cerr << "taizhang：" << status.message() << "\n";
      failed.emplace_back(path, status);
      const StatusCode c = status.code();
      const bool input_problem = c == StatusCode::kNotFound || c == StatusCode::kNotAFile ||
                                 c == StatusCode::kUnreadable || c == StatusCode::kEmpty ||
                                 c == StatusCode::kBinary || c == StatusCode::kUndecodable ||
                                 c == StatusCode::kTooLarge;
      exit_code = std::max(exit_code, input_problem ? kExitInputError : kExitStore);
    };
    // --batch N: N files per transaction (each still all or nothing); a
    // file counts as imported once its batch is committed.
    std::vector<std::pair<std::string, ImportOutcome>> pending;
    auto settle = [&](const Status& committed) {
      for (auto& [path, outcome] : pending) {
        if (!committed.ok()) {
          fail(path, committed);
          continue;
        }
        text += RenderImportText(path, outcome, DbOption());
        done.emplace_back(path, std::move(outcome));
      }
      pending.clear();
    };
    const size_t batch_size = batch > 1 ? static_cast<size_t>(batch) : 0;
    size_t in_batch = 0;  // files tried since the batch began
    // Files are read and analyzed on run.jobs threads and stored in input
    // order here, on the one connection. The store is not thread safe:
    // the workers' question "is this content stored?" takes the same lock.
    std::mutex store_lock;
    auto stored = [&](const std::string& hash) {
      std::lock_guard<std::mutex> lock(store_lock);
      auto found = (*store)->FindImported(hash);
      return found.ok() && found->has_value();
    };
    ProgressLine progress(files, run);
    PoolOptions pool;
    pool.jobs = run.jobs;
    // One file that fails (unreadable, too large to store, a store error)
    // never stops the others; the exit code tells the worst that happened.
    RunInOrder<PreparedImport>(
        files.size(), pool, [&](size_t k) { return PrepareImport(files[k], options, stored); },
        [&](size_t k, PreparedImport&& prepared) {
          const std::string& path = files[k];
          const uint64_t bytes = prepared.file.size_bytes;
          std::lock_guard<std::mutex> lock(store_lock);
          if (batch_size > 0 && !(*store)->batch_open()) {
            Status begun = (*store)->BeginBatch();
            if (!begun.ok()) {
              progress.Clear();
              fail(path, begun);
              progress.Done(bytes);
              return true;
            }
            in_batch = 0;
          }
          ++in_batch;
          Result<ImportOutcome> outcome = StorePrepared(**store, std::move(prepared), options);
          if (batch_size > 0 && !(*store)->batch_open()) {
            // The batch could not go on past this file's failure: none of it was kept.
            progress.Clear();
            settle(Status(StatusCode::kInternal, "同批导入的文件因 " + path + " 出错而一并回滚，未导入，请重新导入。"));
          }
          if (!outcome.ok()) {
            progress.Clear();
            fail(path, outcome.status());
          } else {
            if (!outcome->warnings.empty()) progress.Clear();
            for (const std::string& warning : outcome->warnings) std::cerr << "taizhang：警告：" << warning << "\n";
            pending.emplace_back(path, std::move(outcome).value());
          }
          if (batch_size == 0) {
            settle(Status::Ok());
          } else if ((*store)->batch_open() && in_batch >= batch_size) {
            Status committed = (*store)->CommitBatch();
            if (!committed.ok()) progress.Clear();
            settle(committed);
          }
          progress.Done(bytes);
          return true;
        });
    if ((*store)->batch_open()) {
      Status committed = (*store)->CommitBatch();
      if (!committed.ok()) progress.Clear();
      settle(committed);
    }
    progress.Clear();
    if (!WriteOutput(output, json ? RenderImportJson(done, failed) : text)) return kExitOutputError;
    return exit_code;
  }

  // Opens the store (options checked first) and runs `body` on it; a failure
  // on the way is printed and becomes the exit code.
  template <typename Body>
  int WithStore(Body&& body) {
    auto store = OpenStore();
    if (!store.ok()) return Fail(store.status());
    return body(**store);
  }

  // A change of item `id` based on --if-version, else on whatever version is
  // current when the store writes it (the store re-reads and retries when
  // another writer is faster); prints the item as it became.
  template <typename Change>
  int Modify(const char* what, Change&& change) {
    return WithStore([&](LedgerStore& store) { return Shown(change(store, if_version), what); });
  }

  int Write(const std::string& text) const { return WriteOutput(output, text) ? kExitOk : kExitOutputError; }

  // --unit naming no unit of the ledger: said so, with the nearest names.
  Status CheckUnit(LedgerStore& store) const {
    if (unit.empty()) return Status::Ok();
    auto units = store.Units();
    if (!units.ok()) return units.status();
    for (const std::string& u : *units) {
      if (UnitMatches(unit, u)) return Status::Ok();
    }
    std::string message = "台账中没有与“" + unit + "”相符的责任单位。";
    std::vector<std::string> near = ClosestUnits(unit, *units, 5);
    for (size_t i = 0; i < near.size(); ++i) message += (i == 0 ? "最接近的有：" : "、") + near[i];
    if (!near.empty()) message += "。";
    return Status(StatusCode::kNotFound, message);
  }

  // The items of the filter options, or the exit code of a failure.
  Result<std::vector<LedgerItem>> FilteredItems(LedgerStore& store) const {
    auto filter = Filter();
    if (!filter.ok()) return filter.status();
    Status s = CheckUnit(store);
    if (!s.ok()) return s;
    return store.ListItems(*filter);
  }

  int List() {
    return WithStore([&](LedgerStore& store) {
      auto items = FilteredItems(store);
      if (!items.ok()) return Fail(items.status());
      return Write(json ? RenderLedgerItemsJson(*items) : RenderLedgerItemsText(*items));
    });
  }

  int Show() {
    return WithStore([&](LedgerStore& store) {
      auto item = store.GetItem(id);
      if (!item.ok()) return Fail(item.status());
      auto progress = store.ListProgress(id);
      if (!progress.ok()) return Fail(progress.status());
      return Write(json ? RenderLedgerItemJson(*item, *progress) : RenderLedgerItemText(*item, *progress, time_zone));
    });
  }

  int Shown(const Result<LedgerItem>& item, const char* what) {
    if (!item.ok()) return Fail(item.status());
    return Write(json ? RenderLedgerItemJson(*item, {})
                      : std::string(what) + "：编号 " + std::to_string(item->id) + "，版本 " +
                            std::to_string(item->version) + "，状态 " + ShownStatus(*item) + "。\n");
  }

  Result<NewItem> ItemToAdd() const {
    NewItem item;
    if (!kind.empty()) {
      auto k = ParseItemKind(kind);
      if (!k) return Status(StatusCode::kInvalidArgument, "--kind 应为 plan 或 problem。");
      item.kind = *k;
    }
    item.unit = unit;
    item.year = year;
    item.task = task;
    item.target_text = target;
    item.deadline = deadline;
    item.recurrence = recurrence;
    item.problem_source = problem_source;
    item.found_date = found_date;
    item.lead_unit = lead.value_or("");
    item.support_units = SupportUnits(support_option).value_or(std::vector<std::string>{});
    item.responsible_person = owner.value_or("");
    if (!status.empty()) {
      item.status = ParseItemStatus(status);
      if (!item.status) return Status(StatusCode::kInvalidArgument, "不认识的状态“" + status + "”。");
    }
    return item;
  }

  int Add() {
    auto item = ItemToAdd();
    if (!item.ok()) return Fail(item.status());
    return WithStore([&](LedgerStore& store) { return Shown(store.AddItem(*item), "已添加"); });
  }

  int Update() {
    ItemChange change;
    change.unit = set_unit;
    change.year = set_year;
    change.task = set_task;
    change.target_text = set_target;
    change.deadline = set_deadline;
    change.recurrence = set_recurrence;
    change.measures = set_measures;
    change.lead_unit = lead;
    change.support_units = SupportUnits(update_support_option);
    change.responsible_person = owner;
    if (set_status) {
      change.status = ParseItemStatus(*set_status);
      if (!change.status) return Fail(Status(StatusCode::kInvalidArgument, "不认识的状态“" + *set_status + "”。"));
    }
    return Modify("已修改", [&](LedgerStore& store, std::optional<int64_t> base) {
      return store.UpdateItem(id, base, change);
    });
  }

  int Progress() {
    return Modify("已记录进展", [&](LedgerStore& store, std::optional<int64_t> base) {
      ProgressEntry entry;
      entry.date = date.empty() ? store.today() : date;
      entry.value = value;
      entry.note = note;
      entry.evidence = evidence;
      return store.AddProgress(id, base, entry, done);
    });
  }

  int Submit() {
    return Modify("已提交整改，待销号", [&](LedgerStore& store, std::optional<int64_t> base) {
      return store.SubmitRectification(id, base, measures);
    });
  }

  int Close() {
    return Modify("已销号", [&](LedgerStore& store, std::optional<int64_t> base) {
      return store.CloseOff(id, base);
    });
  }

  int History() {
    return WithStore([&](LedgerStore& store) {
      auto item = store.GetItem(id);
      if (!item.ok()) return Fail(item.status());
      auto history = store.History(id);
      if (!history.ok()) return Fail(history.status());
      return Write(json ? RenderHistoryJson(*history) : RenderHistoryText(*history, item->kind, time_zone));
    });
  }

  int Rates() {
    auto review_filter = ReviewFilter(ReviewState::kAccepted);
    if (!review_filter.ok()) return Fail(review_filter.status());
    return WithStore([&](LedgerStore& store) {
      Status s = CheckUnit(store);
      if (!s.ok()) return Fail(s);
      auto rates = store.Rates(RateQuery{unit, from, to, *review_filter});
      if (!rates.ok()) return Fail(rates.status());
      return Write(json ? RenderRatesJson(*rates) : RenderRatesText(*rates));
    });
  }

  // 督办通报: the scope's accepted items (every kind), made into a .docx by
  // document/, written all or nothing to -o.
  int Bulletin() {
    if (output.empty()) return Fail(Status(StatusCode::kInvalidArgument, "请用 -o 指定输出的 .docx 文件。"));
    return WithStore([&](LedgerStore& store) {
      Status s = CheckUnit(store);
      if (!s.ok()) return Fail(s);
      ItemFilter filter;
      filter.unit = unit;
      auto items = store.ListItems(filter);
      if (!items.ok()) return Fail(items.status());
      BulletinOptions options;
      options.scope = unit;
      options.year = year;
      options.from = from;
      options.to = to;
      options.today = store.today();
      options.title = title;
      options.issuer = issuer;
      auto bulletin = MakeBulletin(*items, options);
      if (!bulletin.ok()) return Fail(bulletin.status());
      if (!WriteOutput(output, bulletin->docx)) return kExitOutputError;
      std::cerr << "taizhang：已写出督办通报 " << output << "。\n";
      return kExitOk;
    });
  }

  // 年度总结初稿 of one unit: its accepted items of the year and the plan
  // report most of them were imported from (its outline).
  int Draft() {
    if (output.empty()) return Fail(Status(StatusCode::kInvalidArgument, "请用 -o 指定输出的 .docx 文件。"));
    return WithStore([&](LedgerStore& store) {
      Status s = CheckUnit(store);
      if (!s.ok()) return Fail(s);
      auto units = store.Units();
      if (!units.ok()) return Fail(units.status());
      std::vector<std::string> named;
      for (const std::string& u : *units) {
        if (u == unit) named = {u};
      }
      if (named.empty()) {
        for (const std::string& u : *units) {
          if (UnitMatches(unit, u)) named.push_back(u);
        }
      }
      if (named.size() != 1) {
        std::string list;
        for (size_t k = 0; k < named.size() && k < 8; ++k) list += (k ? "、" : "") + named[k];
        return Fail(Status(StatusCode::kInvalidArgument,
                           "初稿只写一个单位，而“" + unit + "”对应 " + std::to_string(named.size()) + " 个责任单位：" +
                               list + "。请写单位全名。"));
      }
      ItemFilter filter;
      filter.unit = named.front();
      filter.year = year;
      auto found = store.ListItems(filter);
      if (!found.ok()) return Fail(found.status());
      std::vector<LedgerItem> items;
      for (LedgerItem& item : *found) {
        if (item.unit == named.front()) items.push_back(std::move(item));
      }
      auto plan = PlanOfItems(store, items);
      if (!plan.ok()) return Fail(plan.status());
      DraftOptions options;
      options.unit = named.front();
      options.year = year;
      options.today = store.today();
      options.title = title;
      auto draft = MakeDraft(*plan, items, options);
      if (!draft.ok()) return Fail(draft.status());
      if (!WriteOutput(output, draft->docx)) return kExitOutputError;
      std::cerr << "taizhang：已写出" << named.front() << year << "年工作总结初稿 " << output
                << "（事项 " << items.size() << " 项；数字已经校核）。\n";
      return kExitOk;
    });
  }

  int Export() {
    return WithStore([&](LedgerStore& store) {
      auto items = FilteredItems(store);
      if (!items.ok()) return Fail(items.status());
      XlsxExportOptions options;
      options.title = title;
      options.sheet_per_unit = by_unit;
      if (!OutputAllowed(xlsx)) return kExitOutputError;
      Status s = WriteLedgerXlsx(*items, options, xlsx);
      if (!s.ok()) {
        std::cerr << "taizhang：" << s.message() << "\n";
        return kExitOutputError;
      }
      std::cerr << "taizhang：已导出 " << items->size() << " 项到 " << xlsx << "。\n";
      return kExitOk;
    });
  }

  int ImportXlsx() {
    auto sheet = ReadLedgerXlsx(xlsx, ReadOptions());
    if (!sheet.ok()) {
      std::cerr << "taizhang：" << sheet.status().message() << "\n";
      return kExitInputError;
    }
    if (!sheet->errors.empty()) {
      for (const XlsxRowError& e : sheet->errors) {
        std::cerr << xlsx << "：工作表“" << e.sheet << "”第 " << e.row << " 行"
                  << (e.column.empty() ? "" : "“" + e.column + "”列") << "：" << e.message << "\n";
      }
      std::cerr << "taizhang：" << xlsx << " 中有 " << sheet->errors.size()
                << " 处错误，未导入任何一行；请改正后重新导入。\n";
      return kExitInputError;
    }
    // A copy into another ledger: every row is new there.
    if (as_new) {
      for (LedgerItem& item : sheet->items) item.id = 0;
    }
    return WithStore([&](LedgerStore& store) {
      auto counts = store.ImportItems(*sheet);
      if (!counts.ok()) {
        std::cerr << "taizhang：" << xlsx << "：" << counts.status().message() << "\n";
        return counts.status().code() == StatusCode::kInvalidArgument ? kExitInputError : ExitFor(counts.status());
      }
      return Write(xlsx + "：新增 " + std::to_string(counts->first) + " 项，更新 " + std::to_string(counts->second) +
                   " 项，其余 " + std::to_string(sheet->items.size() - counts->first - counts->second) +
                   " 项与台账相同。\n");
    });
  }

  int Verify() {
    std::optional<HistoryHead> recorded;
    if (!head.empty()) {
      recorded = ParseHistoryHead(head);
      if (!recorded) {
        return Fail(Status(StatusCode::kInvalidArgument,
                           "--head 的值“" + head +
                               "”不是历史链头：应为 编号:哈希（64 位十六进制），即 backup 或 "
                               "ledger verify 输出的“历史链头”。"));
      }
    }
    return WithStore([&](LedgerStore& store) {
      auto report = store.Verify(recorded);
      if (!report.ok()) return Fail(report.status());
      const std::string out =
          json ? RenderVerifyJson(*report) : RenderVerifyText(*report, store.Describe());
      if (!WriteOutput(output, out)) return kExitOutputError;
      return report->problems.empty() ? kExitOk : kExitStore;
    });
  }

  int Backup() {
    std::error_code ec;
    if (!force && std::filesystem::exists(file, ec)) {
      return Fail(Status(StatusCode::kInvalidArgument, "备份文件 " + file + " 已存在，未覆盖；如要覆盖请加 --force。"));
    }
    return WithStore([&](LedgerStore& store) {
      if (!OutputAllowed(file)) return kExitOutputError;
      // Read before the copy: the backup holds this row and every one before it.
      auto chain_head = store.ReadHistoryHead();
      if (!chain_head.ok()) return Fail(chain_head.status());
      Status s = store.Backup(file);
      if (!s.ok()) return Fail(s);
      std::cerr << "taizhang：已把 " << store.Describe() << " 备份到 " << file << "。\n"
                << RenderHistoryHeadNote(*chain_head);
      return kExitOk;
    });
  }

  int Restore() {
    return WithStore([&](LedgerStore& store) {
      auto before = store.Counts();
      if (!before.ok()) return Fail(before.status());
      const bool empty = before->items == 0 && before->reports == 0 && before->sources == 0;
      if (!force && !empty) {
        return Fail(Status(StatusCode::kInvalidArgument,
                           "恢复会用 " + file + " 替换 " + store.Describe() + " 的全部内容（现有台账事项 " +
                               std::to_string(before->items) + " 项、报告 " + std::to_string(before->reports) +
                               " 篇），未恢复；确认替换请加 --force。"));
      }
      Status s = store.Restore(file);
      if (!s.ok()) return Fail(s);
      auto after = store.Counts();
      if (!after.ok()) return Fail(after.status());
      std::cerr << "taizhang：已用 " << file << " 恢复 " << store.Describe() << "：台账事项 " << before->items << " → "
                << after->items << " 项，报告 " << before->reports << " → " << after->reports << " 篇。\n";
      return kExitOk;
    });
  }

  // --- ledger review ---

  // The items named on the command line, each with its --if-version.
  Result<std::vector<ItemRef>> Refs() const {
    if (ids.empty()) return Status(StatusCode::kInvalidArgument, "请给出事项编号。");
    if (!if_versions.empty() && if_versions.size() != ids.size()) {
      return Status(StatusCode::kInvalidArgument,
                    "给了 " + std::to_string(ids.size()) + " 个编号、" + std::to_string(if_versions.size()) +
                        " 个 --if-version：要么不给，要么每个编号一个（按编号的顺序）。");
    }
    std::vector<ItemRef> refs;
    for (size_t i = 0; i < ids.size(); ++i) {
      refs.push_back({ids[i], if_versions.empty() ? std::nullopt : std::optional<int64_t>(if_versions[i])});
    }
    return refs;
  }

  // Prints the items a review left (JSON, or "已确认 2 项：…").
  int Reviewed(const Result<std::vector<LedgerItem>>& items, const char* done, const char* command) {
    if (!items.ok()) return Fail(items.status());
    return Write(json ? RenderLedgerItemsJson(*items, command) : RenderReviewedText(done, *items));
  }

  int ReviewList() {
    auto review_filter = ReviewFilter(ReviewState::kProposed);
    if (!review_filter.ok()) return Fail(review_filter.status());
    return WithStore([&](LedgerStore& store) {
      Status s = CheckUnit(store);
      if (!s.ok()) return Fail(s);
      ItemFilter filter;
      filter.kind = ItemKind::kPlan;
      filter.unit = unit;
      filter.year = year;
      filter.review = *review_filter;
      filter.limit = limit;
      auto items = store.ListItems(filter);
      if (!items.ok()) return Fail(items.status());
      return Write(json ? RenderLedgerItemsJson(*items, "ledger review list")
                        : RenderReviewListText(*items, DbOption()));
    });
  }

  int ReviewAccept() {
    if (all && !ids.empty()) {
      return Fail(Status(StatusCode::kInvalidArgument, "--all 与事项编号不能同时给出。"));
    }
    if (all && (unit.empty() || !if_versions.empty())) {
      return Fail(Status(StatusCode::kInvalidArgument,
                         unit.empty() ? "--all 须与 --unit 一起使用（确认一个单位的全部待确认事项，可再加 --year）。"
                                      : "--all 不能与 --if-version 一起使用。"));
    }
    if (!all && (!unit.empty() || year != 0)) {
      return Fail(Status(StatusCode::kInvalidArgument, "--unit、--year 只与 --all 一起使用。"));
    }
    return WithStore([&](LedgerStore& store) {
      std::vector<ItemRef> refs;
      if (all) {
        Status s = CheckUnit(store);
        if (!s.ok()) return Fail(s);
        ItemFilter filter;
        filter.unit = unit;
        filter.year = year;
        filter.review = ReviewState::kProposed;
        auto proposals = store.ListItems(filter);
        if (!proposals.ok()) return Fail(proposals.status());
        if (proposals->empty()) {
          return Write("“" + unit + "”" + (year ? std::to_string(year) + " 年" : std::string()) +
                       "没有待确认的事项。\n");
        }
        for (const LedgerItem& item : *proposals) refs.push_back({item.id, std::nullopt});
      } else {
        auto given = Refs();
        if (!given.ok()) return Fail(given.status());
        refs = *given;
      }
      return Reviewed(store.AcceptItems(refs), "已确认", "ledger review accept");
    });
  }

  int ReviewReject() {
    auto refs = Refs();
    if (!refs.ok()) return Fail(refs.status());
    return WithStore([&](LedgerStore& store) {
      return Reviewed(store.RejectItems(*refs, reason), "已驳回", "ledger review reject");
    });
  }

  int ReviewMerge() {
    auto refs = Refs();
    if (!refs.ok()) return Fail(refs.status());
    if (tasks.size() > 1) return Fail(Status(StatusCode::kInvalidArgument, "合并只能给一个 --task。"));
    return WithStore([&](LedgerStore& store) {
      auto kept = store.MergeItems(*refs, tasks.empty() ? std::string() : tasks.front());
      if (!kept.ok()) return Fail(kept.status());
      if (json) return Write(RenderLedgerItemsJson({*kept}, "ledger review merge"));
      std::string others;
      for (size_t i = 1; i < refs->size(); ++i) others += (i > 1 ? "、" : "") + std::to_string((*refs)[i].id);
      return Write("已合并：编号 " + others + " 并入编号 " + std::to_string(kept->id) + "（已确认，版本 " +
                   std::to_string(kept->version) + "）：" + kept->task + "\n");
    });
  }

  int ReviewSplit() {
    if (if_versions.size() > 1) return Fail(Status(StatusCode::kInvalidArgument, "拆分只有一个编号，--if-version 只能给一个。"));
    ItemRef ref{id, if_versions.empty() ? std::nullopt : std::optional<int64_t>(if_versions.front())};
    return WithStore([&](LedgerStore& store) {
      auto made = store.SplitItem(ref, tasks);
      if (!made.ok()) return Fail(made.status());
      if (json) return Write(RenderLedgerItemsJson(*made, "ledger review split"));
      std::string out = "已拆分：编号 " + std::to_string(id) + " 拆为 " + std::to_string(made->size()) +
                        " 项待确认的事项：\n";
      for (const LedgerItem& item : *made) {
        out += "  " + std::to_string(item.id) + "  " + item.task +
               (item.target_text.empty() ? "" : "（目标 " + item.target_text + "）") + "\n";
      }
      return Write(out);
    });
  }

  int ReviewAssign() {
    auto refs = Refs();
    if (!refs.ok()) return Fail(refs.status());
    LedgerStore::Assignment assignment;
    assignment.lead_unit = lead;
    assignment.support_units = SupportUnits(assign_support_option);
    assignment.responsible_person = owner;
    return WithStore([&](LedgerStore& store) {
      return Reviewed(store.AssignItems(*refs, assignment), "已指定", "ledger review assign");
    });
  }
};

LedgerCommands::LedgerCommands(CLI::App* app) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.import_cmd = app->add_subcommand(
      "import", "把报告导入台账数据库：报告、提纲、数字、校核结果和计划事项，计划事项生成工作任务台账");
  s.import_cmd->add_option("files", s.files, std::string("输入文件：") + kInputFormats)->required();
  s.import_cmd->add_option("--config", s.config, "校核配置文件（默认读取当前目录下的 taizhang.json，如有）");
  s.import_cmd->add_option("--encoding", s.encoding, "指定文本输入的编码，默认自动识别");
  s.import_cmd->add_option("--batch", s.batch,
                           "每 N 个文件一个事务（默认 1）：快得多；每个文件仍是全有或全无，出错的文件不影响同批其他文件，"
                           "但同批文件在提交时才一起存入");
  AddRunOptions(s.import_cmd, &s.run);
  s.AddStoreOptions(s.import_cmd, true);
  const std::string example = kExampleReport;
  const std::string db = " --db 台账.db";
  s.import_cmd->footer(Examples({
      {"taizhang import " + example + db,
       "导入示例报告：66 项计划事项成为清河县农业农村局 2025 年待确认的工作任务（用 ledger review 确认）"},
      {"taizhang import --json --user 张三 " + example + db,
       "再次导入同一报告：内容未变，不重复新增（结果为 JSON）"},
  }));

  s.ledger_cmd = app->add_subcommand(
      "ledger", "台账：工作任务与问题整改的列表、查看、确认、录入、修改、进展、销号、历史、比率、Excel");
  s.ledger_cmd->require_subcommand(1);
  s.ledger_cmd->footer(Examples({
      {"taizhang ledger list" + db + " --unit 清河县农业农村局",
       "列出一个单位已确认的事项（先用 taizhang import 导入报告，ledger review 确认）"},
      {"taizhang ledger show 8" + db, "查看 8 号事项及其进展、确认状态与原文"},
      {"taizhang ledger review --help", "确认导入的事项：列出、确认、驳回、合并、拆分、指定牵头单位"},
  }));
  auto id_option = [&](CLI::App* cmd) { cmd->add_option("id", s.id, "事项编号")->required(); };
  auto version_option = [&](CLI::App* cmd) {
    cmd->add_option("--if-version", s.if_version, "只在事项仍是这个版本时修改（乐观锁；版本见 ledger show）");
  };

  s.list_cmd = s.ledger_cmd->add_subcommand("list", "列出台账事项（默认只列已确认的，--review 可选其他）");
  s.AddFilterOptions(s.list_cmd);
  s.AddStoreOptions(s.list_cmd, true);
  s.list_cmd->footer(Examples({
      {"taizhang ledger list" + db + " --unit 清河县农业农村局 --limit 10", "一个单位的前 10 项"},
      {"taizhang ledger list" + db + " --overdue --today 2025-11-01",
       "到 2025 年 11 月 1 日已逾期的事项"},
      {"taizhang ledger list" + db + " --due-within 30 --today 2025-06-10 --json",
       "30 天内到期的事项，JSON 格式"},
  }));

  s.show_cmd = s.ledger_cmd->add_subcommand("show", "查看一个事项及其进展记录");
  id_option(s.show_cmd);
  s.AddStoreOptions(s.show_cmd, true);
  s.show_cmd->footer(Examples({
      {"taizhang ledger show 10" + db,
       "10 号事项（新建高标准农田3万亩）：目标、时限、状态、版本与进展"},
      {"taizhang ledger show 10 --json" + db, "同上，JSON 格式"},
  }));

  s.review_cmd = s.ledger_cmd->add_subcommand(
      "review",
      "确认导入的计划事项：导入报告生成的事项先是“待确认”，确认后才计入台账（列表、比率、逾期、导出）");
  s.review_cmd->require_subcommand(1);
  s.review_cmd->footer(Examples({
      {"taizhang ledger review list" + db + " --unit 清河县农业农村局 --year 2025",
       "导入示例报告后，逐项查看待确认的事项及其原文"},
      {"taizhang ledger review accept --help", "确认的用法；另有 reject 驳回、merge 合并、split 拆分、assign 指定牵头单位"},
  }));
  auto ids_option = [&](CLI::App* cmd) {
    cmd->add_option("ids", s.ids, "事项编号（可以给多个）");
    cmd->add_option("--if-version", s.if_versions,
                    "只在事项仍是这个版本时修改（乐观锁；每个编号给一个，按编号的顺序）");
  };

  s.review_list_cmd = s.review_cmd->add_subcommand("list", "列出待确认的事项，附其所在的原文句子");
  s.review_list_cmd->add_option("--unit", s.unit, "责任单位");
  s.review_list_cmd->add_option("--year", s.year, "年度");
  s.AddReviewOption(s.review_list_cmd, "待确认");
  s.review_list_cmd->add_option("--limit", s.limit, "最多列出多少项");
  s.AddStoreOptions(s.review_list_cmd, true);
  s.review_list_cmd->footer(Examples({
      {"taizhang ledger review list" + db + " --unit 清河县农业农村局 --year 2025 --limit 5",
       "清河县农业农村局 2025 年待确认的前 5 项：任务、目标、时限与原文句子"},
      {"taizhang ledger review list" + db + " --review 全部 --limit 3 --json",
       "不论确认状态的前 3 项，JSON 格式（含 review、source.text）"},
  }));

  s.review_accept_cmd = s.review_cmd->add_subcommand("accept", "确认待确认的事项：从此计入台账（列表、比率、逾期、导出）");
  ids_option(s.review_accept_cmd);
  s.review_accept_cmd->add_flag("--all", s.all, "确认 --unit（及 --year）的全部待确认事项");
  s.review_accept_cmd->add_option("--unit", s.unit, "与 --all 一起：责任单位");
  s.review_accept_cmd->add_option("--year", s.year, "与 --all 一起：年度");
  s.AddStoreOptions(s.review_accept_cmd, true);
  s.review_accept_cmd->footer(Examples({
      {"taizhang ledger review accept 70 71 72 73" + db, "确认拆出的 70—73 号事项"},
      {"taizhang ledger review accept --all --unit 清河县农业农村局 --year 2025" + db,
       "驳回、合并、拆分之后，确认这个单位 2025 年其余的待确认事项"},
  }));

  s.review_reject_cmd = s.review_cmd->add_subcommand(
      "reject", "驳回待确认的事项（不是任务的句子）：保留记录、驳回人与理由，不计入台账");
  ids_option(s.review_reject_cmd);
  s.review_reject_cmd->add_option("--reason", s.reason, "驳回理由")->required();
  s.AddStoreOptions(s.review_reject_cmd, true);
  s.review_reject_cmd->footer(Examples({
      {"taizhang ledger review reject 28 40" + db + " --reason 是背景或愿景，不是可考核的任务",
       "驳回示例报告的 28 号（“在……的基础上”）与 40 号（“由‘盆景’向‘风景’转变”）"},
      {"taizhang ledger review list" + db + " --review 已驳回", "查看驳回的事项及驳回理由"},
  }));

  s.review_merge_cmd = s.review_cmd->add_subcommand(
      "merge", "把说同一件事的几项合并为一项：保留第一个编号并确认，其余记为已合并（不再计入）");
  ids_option(s.review_merge_cmd);
  s.review_merge_cmd->add_option("--task", s.tasks, "合并后的任务（默认把各项的任务用分号连起来）");
  s.AddStoreOptions(s.review_merge_cmd, true);
  s.review_merge_cmd->footer(Examples({
      {"taizhang ledger review merge 57 58" + db,
       "57 号（8处隐患）与 58 号（2025年3月底前全部整改销号）合并为 57 号，时限取两者中较早的"},
      {"taizhang ledger review merge 66 67" + db +
           " --task 2025年6月底前完成2024年巡察、审计发现的3个问题整改并销号",
       "合并并改写任务"},
  }));

  s.review_split_cmd = s.review_cmd->add_subcommand(
      "split", "把一句含几项任务的事项拆开：原事项记为已拆分，每项任务一个新的待确认事项（原文相同）");
  s.review_split_cmd->add_option("id", s.id, "事项编号")->required();
  s.review_split_cmd->add_option("--if-version", s.if_versions, "只在事项仍是这个版本时拆分（乐观锁）");
  s.review_split_cmd->add_option("--task", s.tasks, "拆分后的一项任务（写两次以上）")->required();
  s.AddStoreOptions(s.review_split_cmd, true);
  s.review_split_cmd->footer(Examples({
      {"taizhang ledger review split 60" + db +
           " --task 全年定量检测不少于2200批次 --task 确保不发生区域性、系统性农产品质量安全事件",
       "60 号拆成两项（新的 70、71 号），目标各取任务中的数字（2200批次；第二项没有数字）"},
      {"taizhang ledger review split 53" + db +
           " --task 持续开展化肥农药减量增效行动 --task 化肥、农药使用量继续保持负增长",
       "53 号拆成 72、73 号"},
  }));

  s.review_assign_cmd = s.review_cmd->add_subcommand(
      "assign", "指定牵头单位、配合单位、责任人（待确认或已确认的事项；不改变确认状态）");
  ids_option(s.review_assign_cmd);
  s.AddAssignmentOptions(s.review_assign_cmd, &s.assign_support_option);
  s.AddStoreOptions(s.review_assign_cmd, true);
  s.review_assign_cmd->footer(Examples({
      {"taizhang ledger review assign 70 71" + db +
           " --lead 县农业农村局产业发展股 --support 县财政局 --support 县商务局 --owner 王五",
       "为拆出的 70、71 号指定牵头单位、配合单位和责任人"},
      {"taizhang ledger review assign 11 12" + db + " --lead 县农业农村局农田建设股 --owner 赵六",
       "高标准农田的招标（11 号）与验收（12 号）由农田建设股牵头，赵六负责"},
  }));

  s.add_cmd = s.ledger_cmd->add_subcommand("add", "手工添加一个工作任务或问题（直接计入台账，无需确认）");
  s.add_cmd->add_option("--kind", s.kind, "plan（工作任务，默认）或 problem（问题）");
  s.add_cmd->add_option("--unit", s.unit, "责任单位")->required();
  s.add_cmd->add_option("--task", s.task, "工作任务或问题描述")->required();
  s.add_cmd->add_option("--year", s.year, "年度（默认取时限或发现时间的年份）");
  s.add_cmd->add_option("--target", s.target, "目标（如 “5亿元以上” “120个”）");
  s.add_cmd->add_option("--deadline", s.deadline, "完成时限或整改时限（YYYY-MM-DD）");
  s.add_cmd->add_option("--recurrence", s.recurrence, "周期（P1M 每月、P3M 每季度……）");
  s.add_cmd->add_option("--status", s.status, "初始状态");
  s.add_cmd->add_option("--source", s.problem_source, "问题来源（督查、巡查、审计、安全检查……）");
  s.add_cmd->add_option("--found", s.found_date, "问题发现时间（YYYY-MM-DD）");
  s.AddAssignmentOptions(s.add_cmd, &s.support_option);
  s.AddStoreOptions(s.add_cmd, true);
  s.add_cmd->footer(Examples({
      {"taizhang ledger add" + db +
           " --unit 清河县农业农村局 --task 完成农机购置补贴兑付 --target 100% --deadline "
           "2025-12-31",
       "添加一项工作任务（依次执行过 import 与 ledger review 的示例后编号为 71），直接计入台账"},
      {"taizhang ledger add" + db +
           " --kind problem --unit 清河县农业农村局 --task 高标准农田项目资金拨付滞后 --source "
           "审计 --found 2025-03-10"
           " --deadline 2025-06-30",
       "添加一个审计发现的问题（编号 72），整改时限 2025 年 6 月 30 日"},
      {"taizhang ledger add" + db +
           " --kind problem --unit 清河县农业农村局 --task 村级公益性岗位台账不全 --source 巡察",
       "再添加一个巡察发现的问题（编号 73），发现时间与整改时限待定"},
  }));

  s.update_cmd = s.ledger_cmd->add_subcommand("update", "修改一个事项");
  id_option(s.update_cmd);
  version_option(s.update_cmd);
  s.update_cmd->add_option("--unit", s.set_unit, "责任单位");
  s.update_cmd->add_option("--year", s.set_year, "年度");
  s.update_cmd->add_option("--task", s.set_task, "工作任务或问题描述");
  s.update_cmd->add_option("--target", s.set_target, "目标");
  s.update_cmd->add_option("--deadline", s.set_deadline, "时限（YYYY-MM-DD；空字符串表示无）");
  s.update_cmd->add_option("--recurrence", s.set_recurrence, "周期");
  s.update_cmd->add_option("--status", s.set_status, "状态：未启动 推进中 已完成 已取消 整改中");
  s.update_cmd->add_option("--measures", s.set_measures, "整改措施");
  s.AddAssignmentOptions(s.update_cmd, &s.update_support_option);
  s.AddStoreOptions(s.update_cmd, true);
  s.update_cmd->footer(Examples({
      {"taizhang ledger update 8" + db + " --deadline 2025-11-30", "修改 8 号事项的时限"},
      {"taizhang ledger update 8" + db + " --if-version 3 --status 推进中",
       "只在 8 号事项仍是第 3 版（确认、改时限之后）时修改状态（别人先改过则不保存，退出码 6）"},
  }));

  s.progress_cmd = s.ledger_cmd->add_subcommand("progress", "记录一次进展（达到目标数值或 --done 时任务记为已完成）");
  id_option(s.progress_cmd);
  version_option(s.progress_cmd);
  s.progress_cmd->add_option("--date", s.date, "进展日期（YYYY-MM-DD，默认今天）");
  s.progress_cmd->add_option("--value", s.value,
                             "报送的数值：照目标的写法（目标 3万亩 时写 1.2万亩 或 1.2万），"
                             "或以目标的基本单位计的数（12000）");
  s.progress_cmd->add_option("--note", s.note, "进展说明");
  s.progress_cmd->add_option("--evidence", s.evidence, "佐证材料（文件名、文号、链接）");
  s.progress_cmd->add_flag("--done", s.done, "任务已完成");
  s.AddStoreOptions(s.progress_cmd, true);
  s.progress_cmd->footer(Examples({
      {"taizhang ledger progress 10" + db + " --date 2025-06-30 --value 1.2万 --note 已建成1.2万亩",
       "报送 10 号事项（目标 3万亩）的进展：1.2万亩，事项记为推进中"},
      {"taizhang ledger progress 10" + db + " --value 3万亩 --note 全部建成 --evidence 验收报告.pdf",
       "达到目标 3万亩，事项记为已完成"},
  }));

  s.submit_cmd = s.ledger_cmd->add_subcommand("submit", "问题整改完成，提交销号（待销号）");
  id_option(s.submit_cmd);
  version_option(s.submit_cmd);
  s.submit_cmd->add_option("--measures", s.measures, "整改措施");
  s.AddStoreOptions(s.submit_cmd, true);
  s.submit_cmd->footer(Examples({
      {"taizhang ledger submit 75" + db + " --user 张三 --measures 已拨付全部项目资金",
       "张三提交 75 号问题的整改，问题转为待销号"},
      {"taizhang ledger submit 76" + db +
           " --user 张三 --if-version 1 --measures 已补齐台账 --json",
       "只在 76 号问题仍是第 1 版时提交整改，结果为 JSON"},
  }));

  s.close_cmd = s.ledger_cmd->add_subcommand("close", "核实后销号（须由提交整改者以外的人操作）");
  id_option(s.close_cmd);
  version_option(s.close_cmd);
  s.AddStoreOptions(s.close_cmd, true);
  s.close_cmd->footer(Examples({
      {"taizhang ledger close 75" + db + " --user 李四",
       "李四核实后为 75 号问题销号（张三提交的整改，张三不能自己销号）"},
      {"taizhang ledger close 76" + db + " --user 李四 --if-version 2",
       "只在 76 号问题仍是第 2 版（提交整改后）时销号"},
  }));

  s.history_cmd = s.ledger_cmd->add_subcommand("history", "一个事项的全部修改记录（谁、何时、改了什么）");
  id_option(s.history_cmd);
  s.AddStoreOptions(s.history_cmd, true);
  s.history_cmd->footer(Examples({
      {"taizhang ledger history 8" + db, "8 号事项的每次修改：谁、何时、改了哪些字段"},
      {"taizhang ledger history 75 --json" + db, "75 号问题从发现到销号的记录，JSON 格式"},
  }));

  s.rates_cmd = s.ledger_cmd->add_subcommand("rates", "整改率、按期整改率、完成率（附计算所用的个数）");
  s.rates_cmd->add_option("--unit", s.unit, "责任单位（默认各单位及合计）");
  s.rates_cmd->add_option("--from", s.from, "期间起（YYYY-MM-DD；问题按发现时间，任务按年度）");
  s.rates_cmd->add_option("--to", s.to, "期间止（YYYY-MM-DD）");
  s.AddReviewOption(s.rates_cmd, "已确认");
  s.AddStoreOptions(s.rates_cmd, true);
  s.rates_cmd->footer(Examples({
      {"taizhang ledger rates" + db, "各单位及合计的整改率、按期整改率、完成率"},
      {"taizhang ledger rates" + db + " --unit 清河县农业农村局 --from 2025-01-01 --to 2025-12-31",
       "一个单位 2025 年的比率"},
  }));

  s.bulletin_cmd = s.ledger_cmd->add_subcommand(
      "bulletin", "督办通报（Word .docx）：完成率、整改率、红黄绿灯表、图表、逾期事项（按单位）");
  s.bulletin_cmd->add_option("--unit", s.unit, "通报的范围：责任单位（写开头即可，如 县 ；默认全部单位）");
  s.bulletin_cmd->add_option("--year", s.year, "年度（期间为该年全年）");
  s.bulletin_cmd->add_option("--from", s.from, "期间起（YYYY-MM-DD；问题按发现时间，任务按年度）");
  s.bulletin_cmd->add_option("--to", s.to, "期间止（YYYY-MM-DD）");
  s.bulletin_cmd->add_option("--title", s.title, "标题（默认“关于<范围><年度>年工作任务推进情况的通报”）");
  s.bulletin_cmd->add_option("--issuer", s.issuer, "发文机关（落款；默认留待填写）");
  s.AddStoreOptions(s.bulletin_cmd, false);
  s.bulletin_cmd->footer(Examples({
      {"taizhang ledger bulletin" + db + " --year 2025 --today 2025-07-01 -o 督办通报.docx",
       "全部单位 2025 年的督办通报，截至 2025 年 7 月 1 日"},
      {"taizhang ledger bulletin" + db + " --unit 清河县 --from 2025-01-01 --to 2025-06-30 --issuer 清河县督查室 -o 通报.docx",
       "清河县各单位上半年的通报，落款清河县督查室"},
  }));

  s.draft_cmd = s.ledger_cmd->add_subcommand(
      "draft", "年度总结初稿（Word .docx）：按本单位计划的提纲，逐项列出台账中的进展，数字经校核");
  s.draft_cmd->add_option("--unit", s.unit, "责任单位（一个单位）")->required();
  s.draft_cmd->add_option("--year", s.year, "年度（计划的年度）")->required();
  s.draft_cmd->add_option("--title", s.title, "标题（默认“<单位><年度>年工作总结（初稿）”）");
  s.AddStoreOptions(s.draft_cmd, false);
  s.draft_cmd->footer(Examples({
      {"taizhang ledger draft" + db + " --unit 清河县农业农村局 --year 2025 --today 2025-12-20 -o 总结初稿.docx",
       "清河县农业农村局 2025 年工作总结初稿，截至 2025 年 12 月 20 日"},
  }));

  s.export_cmd = s.ledger_cmd->add_subcommand("export", "导出 Excel 台账（.xlsx）");
  s.export_cmd->add_option("--xlsx", s.xlsx, "输出的 .xlsx 文件")->required();
  s.export_cmd->add_option("--title", s.title, "标题行");
  s.export_cmd->add_flag("--by-unit", s.by_unit, "每个责任单位一张工作表");
  s.AddFilterOptions(s.export_cmd);
  s.AddStoreOptions(s.export_cmd, false);
  s.export_cmd->footer(Examples({
      {"taizhang ledger export" + db +
           " --xlsx 台账.xlsx --title 清河县农业农村局2025年工作任务台账",
       "导出全部事项"},
      {"taizhang ledger export" + db +
           " --xlsx 逾期事项.xlsx --overdue --today 2025-11-01 --by-unit",
       "只导出逾期事项，每个责任单位一张工作表"},
  }));

  s.xlsx_import_cmd = s.ledger_cmd->add_subcommand("import", "从 Excel 台账（.xlsx）导入：有编号的更新，没有的新增；任何一行有错则整表不导入");
  s.xlsx_import_cmd->add_option("--xlsx", s.xlsx, "输入的 .xlsx 文件")->required();
  s.xlsx_import_cmd->add_flag("--as-new", s.as_new,
                              "忽略“编号”列，每一行都作为新事项导入（把台账复制到另一个数据库；"
                              "待销号的问题由操作人重新提交，已销号的问题不能导入）");
  s.AddStoreOptions(s.xlsx_import_cmd, false);
  s.xlsx_import_cmd->footer(Examples({
      {"taizhang ledger import" + db + " --xlsx 台账.xlsx",
       "把在 Excel 中修改过的台账导回（先用 ledger export 导出）"},
      {"taizhang ledger import --db 新台账.db --xlsx 逾期事项.xlsx --as-new",
       "把导出的逾期事项复制到另一个台账数据库（编号重新编排；"
       "已销号的问题不能这样复制，整库迁移用 backup 与 restore）"},
  }));

  s.verify_cmd = s.ledger_cmd->add_subcommand(
      "verify",
      "检查数据库的一致性（历史的哈希链、每个事项与其历史相符、报告完整），并给出历史链头");
  s.AddStoreOptions(s.verify_cmd, true);
  s.verify_cmd->add_option(
      "--head", s.head,
      "核对先前记下的历史链头（编号:哈希，backup 与 verify 会输出）仍在历史中，"
      "以发现整条历史被改写");
  s.verify_cmd->footer(Examples({
      {"taizhang ledger verify" + db,
       "检查台账.db：历史未被改动、每个事项与其历史相符、报告完整（不一致时退出码 7）"},
      {"taizhang ledger verify --json" + db + " -o 核对记录.json",
       "结果连同历史链头写入核对记录.json；日后用 --head 编号:哈希 核对，历史被整体改写也能发现"},
      {"taizhang ledger verify --db 新台账.db", "检查从 Excel 台账建立的新台账.db"},
  }));

  s.backup_cmd = app->add_subcommand("backup", "备份台账数据库（SQLite 在线备份；PostgreSQL 用 pg_dump）");
  s.backup_cmd->add_option("file", s.file, "备份文件")->required();
  s.backup_cmd->add_flag("--force", s.force, "备份文件已存在时覆盖它");
  s.AddStoreOptions(s.backup_cmd, false);
  s.backup_cmd->footer(Examples({
      {"taizhang backup 台账备份.db" + db, "把台账.db 备份到台账备份.db（可在使用中备份）"},
      {"taizhang backup 新台账备份.db --db 新台账.db", "备份另一个台账数据库"},
  }));
  s.restore_cmd = app->add_subcommand("restore", "用备份文件恢复台账数据库（替换现有内容）");
  s.restore_cmd->add_option("file", s.file, "备份文件")->required();
  s.restore_cmd->add_flag("--force", s.force, "确认用备份替换数据库的现有内容");
  s.AddStoreOptions(s.restore_cmd, false);
  s.restore_cmd->footer(Examples({
      {"taizhang restore 台账备份.db --force" + db, "用台账备份.db 恢复台账.db（现有内容被替换，须加 --force）"},
      {"taizhang restore 台账备份.db --db 台账副本.db", "用备份建一个台账副本.db"},
  }));
}

LedgerCommands::~LedgerCommands() = default;

bool LedgerCommands::Chosen() const {
  const State& s = *state_;
  return *s.import_cmd || *s.ledger_cmd || *s.backup_cmd || *s.restore_cmd;
}

int LedgerCommands::Run() {
  State& s = *state_;
  if (*s.import_cmd) return s.Import();
  if (*s.backup_cmd) return s.Backup();
  if (*s.restore_cmd) return s.Restore();
  if (*s.list_cmd) return s.List();
  if (*s.show_cmd) return s.Show();
  if (*s.add_cmd) return s.Add();
  if (*s.update_cmd) return s.Update();
  if (*s.progress_cmd) return s.Progress();
  if (*s.submit_cmd) return s.Submit();
  if (*s.close_cmd) return s.Close();
  if (*s.history_cmd) return s.History();
  if (*s.rates_cmd) return s.Rates();
  if (*s.bulletin_cmd) return s.Bulletin();
  if (*s.draft_cmd) return s.Draft();
  if (*s.export_cmd) return s.Export();
  if (*s.xlsx_import_cmd) return s.ImportXlsx();
  if (*s.verify_cmd) return s.Verify();
  if (*s.review_list_cmd) return s.ReviewList();
  if (*s.review_accept_cmd) return s.ReviewAccept();
  if (*s.review_reject_cmd) return s.ReviewReject();
  if (*s.review_merge_cmd) return s.ReviewMerge();
  if (*s.review_split_cmd) return s.ReviewSplit();
  if (*s.review_assign_cmd) return s.ReviewAssign();
  return kExitUsage;
}

}  // namespace taizhang::cli
