// The ledger store under load, on either backend (a SQLite file or a
// postgresql:// URL):
//
//   ledger_bench import URL DIR [BATCH] [JOBS]
//                                  every file of DIR through PrepareImport
//                                  (on JOBS threads, default 1) and
//                                  StorePrepared (in input order, as
//                                  `import -j JOBS` does),
//                                  timed as one run: files, reports, bytes,
//                                  reports/s, MB/s, items, peak RSS; with
//                                  BATCH > 1, BATCH files per transaction
//                                  (LedgerStore::BeginBatch, import --batch)
//   ledger_bench pipeline DIR      the same files through exactly the work
//                                  Import does before its transaction (read,
//                                  SHA-256, decode, outline, facts, check),
//                                  without a store: the
//                                  difference to `import` is the store's share
//   ledger_bench list URL [N] [M]  fills the ledger with N items (default
//                                  100000) in one ImportItems call (and the
//                                  closed-off problems in a second, by another
//                                  user), then times M (default 200) ListItems
//                                  queries of each of six realistic kinds, each
//                                  for a page of 50 items: p50 / p99 per kind
//                                  and overall, in milliseconds, of the wall
//                                  clock and of this thread's CPU time
//                                  (M=0: fill only)
//   ledger_bench pages URL [M]     on a filled ledger, M times each filter of
//                                  the server's list (GET /api/v1/items): a
//                                  page of 50 and its count, as
//                                  StoreAccounts::ListItems asks them
//
// Every mode ends with a line `summary: key=value …` for bench/ledger.sh.
// Peak RSS is this process only (a PostgreSQL server's memory is its own).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "check/check.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "ledger/ledger.h"
#include "outline/outline.h"
#include "app/app.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point from, Clock::time_point to) { return std::chrono::duration<double>(to - from).count(); }

// CPU seconds of this process (user + system): on a shared machine the wall
// time also holds the waits for the other processes.
double CpuSeconds() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// CPU seconds of the calling thread (CLOCK_THREAD_CPUTIME_ID): a query's own
// work, without the time the thread waited for a core. On this shared
// machine a wall-clock p99 is a scheduling figure (a time slice is ~10 ms).
double ThreadCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

double PeakRssMb() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

// Nearest rank.
double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(p * values.size()));
  if (rank == 0) rank = 1;
  return values[std::min(rank, values.size()) - 1];
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  if (error) {
    std::fprintf(stderr, "cannot list %s: %s\n", dir.c_str(), error.message().c_str());
    std::exit(1);
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "no files in %s\n", dir.c_str());
    std::exit(1);
  }
  return files;
}

std::unique_ptr<taizhang::LedgerStore> OpenStore(const std::string& url, double* seconds) {
  auto start = Clock::now();
  auto store = taizhang::LedgerStore::Open(url, "基准测试");
  if (!store.ok()) {
    std::fprintf(stderr, "cannot open %s: %s\n", url.c_str(), store.status().message().c_str());
    std::exit(1);
  }
  *seconds = Seconds(start, Clock::now());
  return std::move(store).value();
}

// --- import / pipeline --------------------------------------------------------------

int RunImport(const std::string& url, const std::string& dir, int batch, unsigned jobs) {
  std::vector<std::string> files = FilesIn(dir);
  double open_s = 0;
  auto store = OpenStore(url, &open_s);
  uint64_t bytes = 0;
  int64_t reports = 0, plan_items = 0, added = 0, existing = 0, unchanged = 0;
  std::vector<double> per_file_ms;
  per_file_ms.reserve(files.size());
  auto start = Clock::now();
  const double cpu_start = CpuSeconds();
  int in_batch = 0;
  auto commit = [&] {
    taizhang::Status s = store->CommitBatch();
    if (!s.ok()) {
      std::fprintf(stderr, "commit: %s\n", s.message().c_str());
      std::exit(1);
    }
  };
  taizhang::PoolOptions pool;
  pool.jobs = jobs;
  auto t0 = Clock::now();
  int failed = 0;
  taizhang::RunInOrder<taizhang::PreparedImport>(
      files.size(), pool, [&](size_t k) { return taizhang::PrepareImport(files[k], {}); },
      [&](size_t k, taizhang::PreparedImport&& prepared) -> bool {
    const std::string& path = files[k];
    bytes += std::filesystem::file_size(path);
    if (batch > 1 && !store->batch_open()) {
      taizhang::Status s = store->BeginBatch();
      if (!s.ok()) {
        std::fprintf(stderr, "begin: %s\n", s.message().c_str());
        std::exit(1);
      }
      in_batch = 0;
    }
    auto outcome = taizhang::StorePrepared(*store, std::move(prepared), {});
    if (batch > 1 && ++in_batch >= batch) commit();
    // From one file handed over to the next (with JOBS > 1 the analysis of
    // the next overlaps the store of this one).
    per_file_ms.push_back(Seconds(t0, Clock::now()) * 1e3);
    t0 = Clock::now();
    if (!outcome.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), outcome.status().message().c_str());
      ++failed;
      return false;
    }
    if (outcome->kind == taizhang::ImportOutcome::kUnchanged) ++unchanged;
    reports += outcome->reports;
    plan_items += outcome->plan_items;
    added += outcome->ledger_added;
    existing += outcome->ledger_existing;
    return true;
  });
  if (failed > 0) return 1;
  if (store->batch_open()) commit();
  const double s = Seconds(start, Clock::now());
  const double cpu = CpuSeconds() - cpu_start;
  const double mb = bytes / 1e6;
  std::printf("batch           %d file(s) per transaction, %u thread(s)\n", std::max(batch, 1), jobs);
  std::printf("backend         %s (schema v%d, open+migrate %.3f s)\n", store->Describe().c_str(),
              store->schema_version(), open_s);
  std::printf("files           %zu (%lld unchanged)\n", files.size(), static_cast<long long>(unchanged));
  std::printf("reports         %lld\n", static_cast<long long>(reports));
  std::printf("bytes           %llu (%.2f MB)\n", static_cast<unsigned long long>(bytes), mb);
  std::printf("seconds         %.3f (CPU of this process %.3f)\n", s, cpu);
  std::printf("reports/s       %.1f\n", reports / s);
  std::printf("MB/s            %.3f\n", mb / s);
  std::printf("per file        p50 %.1f ms  p99 %.1f ms  max %.1f ms\n", Percentile(per_file_ms, 0.5),
              Percentile(per_file_ms, 0.99), Percentile(per_file_ms, 1.0));
  std::printf("plan items      %lld\n", static_cast<long long>(plan_items));
  std::printf("ledger added    %lld (already held %lld)\n", static_cast<long long>(added),
              static_cast<long long>(existing));
  std::printf("peak RSS        %.0f MB\n", PeakRssMb());
  std::printf("summary: mode=import batch=%d jobs=%u files=%zu reports=%lld mb=%.3f seconds=%.3f cpu_s=%.3f reports_per_s=%.1f "
              "mb_per_s=%.3f plan_items=%lld ledger_added=%lld rss_mb=%.0f\n",
              std::max(batch, 1), jobs, files.size(), static_cast<long long>(reports), mb, s, cpu, reports / s, mb / s,
              static_cast<long long>(plan_items), static_cast<long long>(added), PeakRssMb());
  return unchanged == 0 ? 0 : 1;
}

// What LedgerStore::Import computes before it opens its transaction.
int RunPipeline(const std::string& dir) {
  std::vector<std::string> files = FilesIn(dir);
  uint64_t bytes = 0;
  int64_t reports = 0, plan_items = 0;
  const double cpu_start = CpuSeconds();
  auto start = Clock::now();
  for (const std::string& path : files) {
    std::string content;
    taizhang::Status s = taizhang::ReadFileBytes(path, {}, &content);
    if (!s.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), s.message().c_str());
      return 1;
    }
    bytes += content.size();
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256_CTX context;  // as LedgerStore's ContentHash does
    SHA256_Init(&context);
    SHA256_Update(&context, content.data(), content.size());
    SHA256_Final(digest, &context);
    auto source = taizhang::DecodeDocument(path, std::move(content), {});
    if (!source.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), source.status().message().c_str());
      return 1;
    }
    taizhang::OutlineResult outline = taizhang::BuildOutline(*source);
    taizhang::FileFacts facts = taizhang::ExtractFacts(*source, outline);
    taizhang::CheckResult checked = taizhang::CheckFile(*source, outline, facts, {});
    (void)checked;
    reports += static_cast<int64_t>(outline.reports.size());
    for (const auto& r : facts.reports) plan_items += static_cast<int64_t>(r.plan_items.size());
  }
  const double s = Seconds(start, Clock::now());
  const double mb = bytes / 1e6;
  std::printf("files           %zu\nreports         %lld\nbytes           %.2f MB\n", files.size(),
              static_cast<long long>(reports), mb);
  std::printf("seconds         %.3f\nreports/s       %.1f\nMB/s            %.3f\n", s, reports / s, mb / s);
  std::printf("plan items      %lld\npeak RSS        %.0f MB\n", static_cast<long long>(plan_items), PeakRssMb());
  std::printf("summary: mode=pipeline files=%zu reports=%lld mb=%.3f seconds=%.3f cpu_s=%.3f reports_per_s=%.1f "
              "mb_per_s=%.3f plan_items=%lld rss_mb=%.0f\n",
              files.size(), static_cast<long long>(reports), mb, s, CpuSeconds() - cpu_start, reports / s, mb / s,
              static_cast<long long>(plan_items), PeakRssMb());
  return 0;
}

// --- list ---------------------------------------------------------------------------

// The day overdue and "due within" are computed against: fixed, so that runs
// compare; the items span 2023–2025.
constexpr const char* kToday = "2025-06-15";

std::string Day(int year, int month, int day) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

// Sentences of the seed compilation (its plan and summary text), as task
// texts of realistic length. UTF-8: split on 。 and ；.
std::vector<std::string> SeedSentences(const std::string& seed_path) {
  std::ifstream in(seed_path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    // Trim ASCII space; keep sentences of 15–150 characters (3 bytes each).
    size_t a = current.find_first_not_of(" \t\r\n");
    size_t b = current.find_last_not_of(" \t\r\n");
    if (a != std::string::npos) {
      std::string s = current.substr(a, b - a + 1);
      if (s.size() >= 45 && s.size() <= 450) out.push_back(s + "。");
    }
    current.clear();
  };
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "。") == 0 || text.compare(i, 3, "；") == 0) {
      flush();
      i += 3;
    } else if (text[i] == '\n') {
      flush();
      ++i;
    } else {
      current += text[i++];
    }
  }
  flush();
  return out;
}

taizhang::XlsxLedger MakeItems(int64_t n, const std::vector<std::string>& sentences, std::vector<std::string>* units) {
  using taizhang::ItemKind;
  using taizhang::ItemStatus;
  // ~200 units: 20 counties × 10 offices.
  const char* places[] = {"安平县", "临河县", "东山县", "青川县", "白水县", "永宁县", "长乐县", "金沙县", "石门县", "龙泉县",
                          "凤台县", "新丰县", "南江县", "北流市", "西乡县", "江源县", "丰城市", "和平县", "宁远县", "清河县"};
  const char* offices[] = {"水利局", "住建局", "市场监督管理局", "应急管理局", "审计局",
                           "经信局", "教育局", "卫健局",         "交通运输局", "自然资源局"};
  units->clear();
  for (const char* p : places) {
    for (const char* o : offices) units->push_back(std::string(p) + o);
  }
  const char* targets[] = {"120个", "5亿元以上", "95%以上", "3000万元", "1－2个", "100%", "15公里", "200户",
                           "3场次", "不少于10次"};
  const char* sources[] = {"督查", "巡查", "审计", "安全检查", "环保督察"};
  const char* problem_lead[] = {"督查发现：", "巡查指出：", "审计发现：", "检查发现：", ""};
  const char* problem_tail[] = {"但工作推进缓慢，台账资料不全。", "但存在进度滞后、资金拨付不及时的问题。",
                                "但部分任务未按期完成，群众反映较多。", "但整改措施落实不到位。"};
  std::mt19937_64 rng(20240601);
  auto pick = [&](size_t size) { return static_cast<size_t>(rng() % size); };
  auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };

  taizhang::XlsxLedger sheet;
  sheet.sheets = {"工作任务", "问题整改"};
  sheet.items.reserve(n);
  sheet.rows.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    taizhang::LedgerItem item;
    // Units are not all alike: a quarter of them carry half the items.
    const size_t u = chance(50) ? pick(units->size() / 4) : pick(units->size());
    item.unit = (*units)[u];
    item.year = 2023 + static_cast<int>(pick(3));
    const std::string& sentence = sentences[pick(sentences.size())];
    if (chance(75)) {
      item.kind = ItemKind::kPlan;
      item.task = sentence;
      if (chance(50)) item.target_text = targets[pick(std::size(targets))];
      // 年底前 and 年中 are the usual deadlines; the rest spread over the year.
      const int r = static_cast<int>(pick(100));
      if (r < 10) {
        item.deadline = "";
      } else if (r < 40) {
        item.deadline = Day(item.year, 12, 31);
      } else if (r < 55) {
        item.deadline = Day(item.year, 6, 30);
      } else {
        item.deadline = Day(item.year, 1 + static_cast<int>(pick(12)), 1 + static_cast<int>(pick(28)));
      }
      if (chance(5)) item.recurrence = chance(50) ? "P1M" : "P3M";
      const int s = static_cast<int>(pick(100));
      item.status = s < 30   ? ItemStatus::kNotStarted
                    : s < 70 ? ItemStatus::kInProgress
                    : s < 95 ? ItemStatus::kDone
                             : ItemStatus::kCancelled;
      if (item.status == ItemStatus::kInProgress || item.status == ItemStatus::kDone) {
        item.progress_note = "截至目前已完成年度目标的" + std::to_string(10 + pick(90)) + "%，正按计划推进。";
      }
    } else {
      item.kind = ItemKind::kProblem;
      item.task = std::string(problem_lead[pick(std::size(problem_lead))]) + sentence;
      if (!item.task.empty() && item.task.size() >= 3 && item.task.compare(item.task.size() - 3, 3, "。") == 0) {
        item.task.resize(item.task.size() - 3);
      }
      item.task += "，" + std::string(problem_tail[pick(std::size(problem_tail))]);
      item.problem_source = sources[pick(std::size(sources))];
      const int month = 1 + static_cast<int>(pick(12));
      const int day = 1 + static_cast<int>(pick(28));
      item.found_date = Day(item.year, month, day);
      // Rectification within 1, 2, 3 or 6 months.
      const int months[] = {1, 2, 3, 6};
      int m = month + months[pick(4)];
      int y = item.year;
      if (m > 12) {
        m -= 12;
        ++y;
      }
      item.deadline = Day(y, m, day);
      const int s = static_cast<int>(pick(100));
      item.status = s < 40   ? ItemStatus::kRectifying
                    : s < 60 ? ItemStatus::kAwaitingCloseOff
                    : s < 95 ? ItemStatus::kClosedOff
                             : ItemStatus::kCancelled;
      if (item.status != ItemStatus::kRectifying) item.measures = "已制定整改方案，明确责任人和时限，逐项销号。";
    }
    sheet.items.push_back(std::move(item));
    sheet.rows.push_back(static_cast<uint32_t>(i + 3));
  }
  return sheet;
}

struct QueryKind {
  explicit QueryKind(const char* n) : name(n) {}
  const char* name;
  std::vector<double> ms;
  std::vector<double> cpu_ms;  // this thread's CPU (SQLite: the query's own work; PostgreSQL: the client's)
  int64_t rows = 0;
};

int RunList(const std::string& url, int64_t n, int m, const std::string& seed_path) {
  std::vector<std::string> sentences = SeedSentences(seed_path);
  if (sentences.size() < 100) {
    std::fprintf(stderr, "too few sentences in %s\n", seed_path.c_str());
    return 1;
  }
  double open_s = 0;
  auto store = OpenStore(url, &open_s);
  store->set_today(kToday);
  {
    taizhang::ItemFilter one;
    one.limit = 1;
    auto before = store->ListItems(one);
    if (!before.ok() || !before->empty()) {
      std::fprintf(stderr, "the ledger at %s is not empty: use a new database\n", url.c_str());
      return 1;
    }
  }
  std::vector<std::string> units;
  auto build_start = Clock::now();
  taizhang::XlsxLedger sheet = MakeItems(n, sentences, &units);
  const double build_s = Seconds(build_start, Clock::now());
  size_t task_bytes = 0;
  for (const auto& item : sheet.items) task_bytes += item.task.size();

  // A new problem cannot be stored as 已销号 (销号 is verified by someone
  // other than who submitted the rectification): those go in as 待销号 and
  // another user closes them off in a second sheet.
  using taizhang::ItemKind;
  using taizhang::ItemStatus;
  std::vector<bool> to_close(sheet.items.size(), false);
  for (size_t i = 0; i < sheet.items.size(); ++i) {
    if (sheet.items[i].status == ItemStatus::kClosedOff) {
      sheet.items[i].status = ItemStatus::kAwaitingCloseOff;
      to_close[i] = true;
    }
  }
  auto fill_start = Clock::now();
  auto counts = store->ImportItems(sheet);
  if (!counts.ok()) {
    std::fprintf(stderr, "ImportItems: %s\n", counts.status().message().c_str());
    return 1;
  }
  {
    auto opened = taizhang::LedgerStore::Open(url, "核查人");
    if (!opened.ok()) {
      std::fprintf(stderr, "cannot open %s: %s\n", url.c_str(), opened.status().message().c_str());
      return 1;
    }
    taizhang::ItemFilter awaiting;
    awaiting.kind = ItemKind::kProblem;
    awaiting.status = ItemStatus::kAwaitingCloseOff;
    awaiting.review = std::nullopt;
    auto stored = (*opened)->ListItems(awaiting);  // in id order: the sheet's order
    if (!stored.ok()) {
      std::fprintf(stderr, "ListItems: %s\n", stored.status().message().c_str());
      return 1;
    }
    taizhang::XlsxLedger close_off;
    close_off.sheets = {"问题整改"};
    size_t k = 0;
    for (size_t i = 0; i < sheet.items.size(); ++i) {
      if (sheet.items[i].status != ItemStatus::kAwaitingCloseOff) continue;
      if (k >= stored->size()) break;
      const taizhang::LedgerItem& item = (*stored)[k++];
      if (!to_close[i]) continue;
      close_off.items.push_back(item);
      close_off.items.back().status = ItemStatus::kClosedOff;
      close_off.rows.push_back(static_cast<uint32_t>(close_off.rows.size() + 3));
    }
    auto closed = (*opened)->ImportItems(close_off);
    if (!closed.ok()) {
      std::fprintf(stderr, "ImportItems (销号): %s\n", closed.status().message().c_str());
      return 1;
    }
  }
  const double fill_s = Seconds(fill_start, Clock::now());
  std::printf("backend         %s\n", store->Describe().c_str());
  std::printf("items           %lld (%zu units, 2023–2025, %zu seed sentences, task avg %.0f bytes; built in %.2f s)\n",
              static_cast<long long>(n), units.size(), sentences.size(),
              static_cast<double>(task_bytes) / std::max<int64_t>(n, 1), build_s);
  std::printf("fill            ImportItems %.3f s  %.0f items/s (added %d, updated %d)\n", fill_s, n / fill_s,
              counts->first, counts->second);
  std::printf("today           %s, %d queries per kind\n", kToday, m);
  if (m == 0) return 0;

  using taizhang::ItemFilter;
  // Every query asks for one page (`ledger list --limit 50`), as a person
  // paging through the ledger does.
  constexpr int64_t kPage = 50;
  std::vector<QueryKind> kinds;
  for (const char* name : {"unit+year", "overdue", "due within 15 days", "status awaiting_close_off",
                           "problems of a unit", "first page"}) {
    kinds.emplace_back(name);
  }
  std::mt19937_64 rng(7);
  auto filter_for = [&](size_t k) {
    ItemFilter f;
    const std::string& unit = units[rng() % units.size()];
    switch (k) {
      case 0:
        f.unit = unit;
        f.year = 2023 + static_cast<int>(rng() % 3);
        break;
      case 1:
        f.overdue = true;
        break;
      case 2:
        f.due_within_days = 15;
        break;
      case 3:
        f.status = ItemStatus::kAwaitingCloseOff;
        break;
      case 4:
        f.kind = ItemKind::kProblem;
        f.unit = unit;
        break;
      default:
        break;
    }
    f.limit = kPage;
    return f;
  };
  // Warm-up: a few of each, not counted.
  for (int i = 0; i < 3; ++i) {
    for (size_t k = 0; k < kinds.size(); ++k) (void)store->ListItems(filter_for(k));
  }
  std::vector<double> all, all_cpu;
  for (int i = 0; i < m; ++i) {
    for (size_t k = 0; k < kinds.size(); ++k) {
      ItemFilter f = filter_for(k);
      auto t0 = Clock::now();
      const double c0 = ThreadCpuSeconds();
      auto items = store->ListItems(f);
      const double cpu_ms = (ThreadCpuSeconds() - c0) * 1e3;
      const double ms = Seconds(t0, Clock::now()) * 1e3;
      if (!items.ok()) {
        std::fprintf(stderr, "ListItems (%s): %s\n", kinds[k].name, items.status().message().c_str());
        return 1;
      }
      kinds[k].ms.push_back(ms);
      kinds[k].cpu_ms.push_back(cpu_ms);
      all_cpu.push_back(cpu_ms);
      kinds[k].rows += static_cast<int64_t>(items->size());
      all.push_back(ms);
    }
  }
  // One row by id: the cost of a round trip with a trivial statement.
  std::vector<double> get_ms;
  for (int i = 0; i < m; ++i) {
    const int64_t id = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(n));
    auto t0 = Clock::now();
    auto item = store->GetItem(id);
    get_ms.push_back(Seconds(t0, Clock::now()) * 1e3);
    if (!item.ok()) {
      std::fprintf(stderr, "GetItem(%lld): %s\n", static_cast<long long>(id), item.status().message().c_str());
      return 1;
    }
  }
  std::printf("%-26s %9s %9s %9s %10s %12s %12s\n", "query", "p50 ms", "p99 ms", "max ms", "rows avg", "CPU p50 ms",
              "CPU p99 ms");
  std::string summary;
  for (const QueryKind& k : kinds) {
    std::printf("%-26s %9.2f %9.2f %9.2f %10.0f %12.3f %12.3f\n", k.name, Percentile(k.ms, 0.5),
                Percentile(k.ms, 0.99), Percentile(k.ms, 1.0), static_cast<double>(k.rows) / m,
                Percentile(k.cpu_ms, 0.5), Percentile(k.cpu_ms, 0.99));
  }
  std::printf("%-26s %9.2f %9.2f %9.2f %10s %12.3f %12.3f\n", "overall", Percentile(all, 0.5), Percentile(all, 0.99),
              Percentile(all, 1.0), "", Percentile(all_cpu, 0.5), Percentile(all_cpu, 0.99));
  std::printf("%-26s %9.3f %9.3f %9.3f %10d\n", "(get one item by id)", Percentile(get_ms, 0.5),
              Percentile(get_ms, 0.99), Percentile(get_ms, 1.0), 1);
  std::printf("peak RSS        %.0f MB\n", PeakRssMb());
  std::printf("summary: mode=list items=%lld fill_s=%.3f fill_items_per_s=%.0f", static_cast<long long>(n), fill_s,
              n / fill_s);
  for (size_t k = 0; k < kinds.size(); ++k) {
    std::printf(" q%zu_p50=%.2f q%zu_p99=%.2f q%zu_rows=%.0f q%zu_cpu_p50=%.3f q%zu_cpu_p99=%.3f", k,
                Percentile(kinds[k].ms, 0.5), k, Percentile(kinds[k].ms, 0.99), k,
                static_cast<double>(kinds[k].rows) / m, k, Percentile(kinds[k].cpu_ms, 0.5), k,
                Percentile(kinds[k].cpu_ms, 0.99));
  }
  std::printf(" all_p50=%.2f all_p99=%.2f all_cpu_p50=%.3f all_cpu_p99=%.3f get_p50=%.3f rss_mb=%.0f\n",
              Percentile(all, 0.5), Percentile(all, 0.99), Percentile(all_cpu, 0.5), Percentile(all_cpu, 0.99),
              Percentile(get_ms, 0.5), PeakRssMb());
  return 0;
}

// The server's list (StoreAccounts::ListItems) on a filled ledger: a page of
// 50 at one of the first five pages, and the count, for each filter of
// GET /api/v1/items, with a scope's narrowing (the 责任单位 of one county's
// ten offices, as ItemUnitTexts gives them) on some. Wall clock and this
// thread's CPU time of the pair of queries.
int RunPages(const std::string& url, int m) {
  double open_s = 0;
  auto store = OpenStore(url, &open_s);
  store->set_today(kToday);
  auto texts = store->ItemUnitTexts();
  if (!texts.ok() || texts->first.empty()) {
    std::fprintf(stderr, "no items at %s: fill it first (ledger_bench list URL N 0)\n", url.c_str());
    return 1;
  }
  // The counties (the names' first three characters, 9 bytes) and their offices.
  std::map<std::string, std::vector<std::string>> county_units;
  for (const std::string& unit : texts->first) county_units[unit.substr(0, 9)].push_back(unit);
  std::vector<std::vector<std::string>> scopes;
  for (auto& [county, units] : county_units) scopes.push_back(units);
  using taizhang::ItemFilter;
  using taizhang::ItemKind;
  using taizhang::ItemStatus;
  using taizhang::Warning;
  const std::vector<std::string>& units = texts->first;
  std::vector<QueryKind> kinds;
  for (const char* name : {"first page", "unit", "year", "kind", "status", "deadline window", "red", "yellow", "green",
                           "text", "review all", "sort deadline", "sort updated", "scope: first page",
                           "scope: red", "scope: sort deadline", "scope: text"}) {
    kinds.emplace_back(name);
  }
  const char* words[] = {"河道", "安全", "项目", "整改", "培训", "资金", "检查", "制度"};
  std::mt19937_64 rng(11);
  auto filter_for = [&](size_t k) {
    ItemFilter f;
    switch (k) {
      case 1: f.unit = units[rng() % units.size()]; break;
      case 2: f.year = 2023 + static_cast<int>(rng() % 3); break;
      case 3: f.kind = rng() % 2 ? ItemKind::kPlan : ItemKind::kProblem; break;
      case 4: f.status = rng() % 2 ? ItemStatus::kAwaitingCloseOff : ItemStatus::kInProgress; break;
      case 5: {
        const int month = 1 + static_cast<int>(rng() % 12);
        f.deadline_from = Day(2024, month, 1);
        f.deadline_to = Day(2024, month, 28);
        break;
      }
      case 6: case 14: f.warning = Warning::kRed; break;
      case 7: f.warning = Warning::kYellow; break;
      case 8: f.warning = Warning::kGreen; break;
      case 9: case 16: f.text = words[rng() % std::size(words)]; break;
      case 10: f.review.reset(); break;
      case 11: case 15: f.order = ItemFilter::Order::kDeadline; break;
      case 12: f.order = ItemFilter::Order::kUpdated; break;
      default: break;
    }
    if (k >= 13) {
      f.unit_texts = scopes[rng() % scopes.size()];
      f.lead_unit_texts = std::vector<std::string>{};
    }
    f.limit = 50;
    f.offset = 50 * static_cast<int64_t>(rng() % 5);
    return f;
  };
  for (int i = 0; i < 3; ++i) {
    for (size_t k = 0; k < kinds.size(); ++k) (void)store->ListItems(filter_for(k));
  }
  std::vector<double> all, all_cpu;
  for (int i = 0; i < m; ++i) {
    for (size_t k = 0; k < kinds.size(); ++k) {
      ItemFilter f = filter_for(k);
      auto t0 = Clock::now();
      const double c0 = ThreadCpuSeconds();
      auto items = store->ListItems(f);
      auto count = store->CountItems(f);
      const double cpu_ms = (ThreadCpuSeconds() - c0) * 1e3;
      const double ms = Seconds(t0, Clock::now()) * 1e3;
      if (!items.ok() || !count.ok()) {
        std::fprintf(stderr, "ListItems/CountItems (%s): %s\n", kinds[k].name,
                     (items.ok() ? count.status() : items.status()).message().c_str());
        return 1;
      }
      kinds[k].ms.push_back(ms);
      kinds[k].cpu_ms.push_back(cpu_ms);
      kinds[k].rows += *count;
      all.push_back(ms);
      all_cpu.push_back(cpu_ms);
    }
  }
  std::printf("backend         %s, %d pages of 50 + count per kind, today %s\n", store->Describe().c_str(), m, kToday);
  std::printf("%-22s %9s %9s %9s %10s %12s %12s\n", "query", "p50 ms", "p99 ms", "max ms", "total avg", "CPU p50 ms",
              "CPU p99 ms");
  for (const QueryKind& k : kinds) {
    std::printf("%-22s %9.2f %9.2f %9.2f %10.0f %12.3f %12.3f\n", k.name, Percentile(k.ms, 0.5),
                Percentile(k.ms, 0.99), Percentile(k.ms, 1.0), static_cast<double>(k.rows) / m,
                Percentile(k.cpu_ms, 0.5), Percentile(k.cpu_ms, 0.99));
  }
  std::printf("%-22s %9.2f %9.2f %9.2f %10s %12.3f %12.3f\n", "overall", Percentile(all, 0.5), Percentile(all, 0.99),
              Percentile(all, 1.0), "", Percentile(all_cpu, 0.5), Percentile(all_cpu, 0.99));
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: ledger_bench import URL DIR [BATCH=1] [JOBS=1]\n"
               "       ledger_bench pipeline DIR\n"
               "       ledger_bench list URL [N=100000] [M=200] [SEED_FILE]   (M=0: fill only)\n"
               "       ledger_bench pages URL [M=200]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  const std::string mode = argv[1];
  if (mode == "import" && argc >= 4 && argc <= 6) {
    return RunImport(argv[2], argv[3], argc >= 5 ? std::stoi(argv[4]) : 1,
                     argc == 6 ? static_cast<unsigned>(std::stoi(argv[5])) : 1u);
  }
  if (mode == "pipeline" && argc == 3) return RunPipeline(argv[2]);
  if (mode == "list" && argc >= 3 && argc <= 6) {
    const int64_t n = argc > 3 ? std::stoll(argv[3]) : 100000;
    const int m = argc > 4 ? std::stoi(argv[4]) : 200;
    const std::string seed = argc > 5 ? argv[5] : "../shared/corpus/seed/000_149dd883a1863841.txt";
    if (n <= 0 || m < 0) return Usage();
    return RunList(argv[2], n, m, seed);
  }
  if (mode == "pages" && argc >= 3 && argc <= 4) return RunPages(argv[2], argc > 3 ? std::stoi(argv[3]) : 200);
  return Usage();
}
