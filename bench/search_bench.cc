// The search index (src/search/) over a ledger already filled (`taizhang
// import`), measured in CPU time (this process; the machine is shared):
//
//   search_bench URL INDEX_DIR QUERIES [REPEAT] [DUMP]
//       builds the index from nothing (INDEX_DIR is removed first): CPU
//       seconds in all and per report, documents, size on disk; then every
//       query of QUERIES (one per line, tests/search/queries.tsv's format)
//       REPEAT times (default 20): CPU p50 / p99 in milliseconds over all
//       runs, and per query its hits and candidates (documents holding
//       every n-gram, before the literal check). With DUMP, every indexed
//       text is written there, one per line (kind TAB text), for comparing
//       other indexes (bench/search-fts5.py) on the same texts.
//
// Report files are read again from the paths they were imported from.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <xapian.h>

#include <nlohmann/json.hpp>

#include "ingest/ingest.h"
#include "search/search.h"

namespace {

double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) n += entry.file_size();
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace taizhang;
  if (argc < 4) {
    std::cerr << "usage: search_bench URL INDEX_DIR QUERIES [REPEAT] [DUMP]\n";
    return 2;
  }
  const std::string url = argv[1], dir = argv[2], queries_path = argv[3];
  const int repeat = argc > 4 ? std::atoi(argv[4]) : 20;
  auto store = LedgerStore::Open(url, "bench");
  if (!store.ok()) {
    std::cerr << store.status().message() << "\n";
    return 1;
  }
  // TAIZHANG_BENCH_KEEP_INDEX=1: the index already built is kept (its
  // catch-up finds nothing to do), to time queries again.
  const char* keep = std::getenv("TAIZHANG_BENCH_KEEP_INDEX");
  if (keep == nullptr || std::string(keep) != "1") std::filesystem::remove_all(dir);
  auto index = SearchIndex::Open(dir);
  if (!index.ok()) {
    std::cerr << index.status().message() << "\n";
    return 1;
  }
  SearchSources sources;
  sources.read_file = [](const StoredSource& file) -> Result<std::string> {
    std::string bytes;
    Status s = ReadFileBytes(file.path, ReadOptions{}, &bytes);
    if (!s.ok()) return s;
    return bytes;
  };
  const double start = CpuSeconds();
  auto caught = (*index)->CatchUp(**store, sources);
  const double built = CpuSeconds() - start;
  if (!caught.ok()) {
    std::cerr << caught.status().message() << "\n";
    return 1;
  }
  index->reset();  // closed: its size on disk is final
  const uint64_t bytes = DirectoryBytes(dir);
  index = SearchIndex::Open(dir);
  if (!index.ok()) return 1;
  std::printf("build: reports=%lld unread=%lld items=%lld documents=%lld cpu_s=%.2f cpu_ms_per_report=%.2f size_mb=%.1f\n",
              static_cast<long long>(caught->reports), static_cast<long long>(caught->reports_unread),
              static_cast<long long>(caught->items), static_cast<long long>(caught->documents), built,
              caught->reports > 0 ? 1000 * built / static_cast<double>(caught->reports) : 0.0, bytes / 1e6);

  // QUERIES: one file, or several separated by ':' (a summary each).
  std::vector<std::string> files;
  for (size_t at = 0; at <= queries_path.size();) {
    size_t colon = queries_path.find(':', at);
    if (colon == std::string::npos) colon = queries_path.size();
    files.push_back(queries_path.substr(at, colon - at));
    at = colon + 1;
  }
  for (const std::string& file : files) {
  std::vector<std::string> queries;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    queries.push_back(line.substr(0, line.find('\t')));
  }
  std::vector<double> all;
  for (const std::string& q : queries) {
    SearchQuery query;
    query.text = q;
    query.limit = 20;
    std::vector<double> times;
    SearchResult last;
    for (int i = 0; i < repeat; ++i) {
      const double t0 = CpuSeconds();
      auto r = (*index)->Search(query);
      times.push_back(1000 * (CpuSeconds() - t0));
      if (!r.ok()) {
        std::cerr << r.status().message() << "\n";
        return 1;
      }
      last = std::move(*r);
    }
    std::sort(times.begin(), times.end());
    all.insert(all.end(), times.begin(), times.end());
    std::printf("query %s: hits=%s%lld candidates=%lld cpu_ms_p50=%.2f\n", q.c_str(), last.estimated ? "~" : "",
                static_cast<long long>(last.total), static_cast<long long>(last.candidates), times[times.size() / 2]);
  }
  std::sort(all.begin(), all.end());
  if (!all.empty()) {
    std::printf("summary %s: queries=%zu runs=%zu cpu_ms_p50=%.2f cpu_ms_p99=%.2f cpu_ms_max=%.2f\n", file.c_str(),
                queries.size(), all.size(), all[all.size() / 2], all[std::min(all.size() - 1, all.size() * 99 / 100)],
                all.back());
  }
  }
  if (argc > 5) {
    index->reset();
    Xapian::Database db(dir);
    std::ofstream dump(argv[5]);
    for (Xapian::PostingIterator it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      // The text, a NUL, the rest as JSON ("k": the kind; search_index.cc).
      const std::string data = db.get_document(*it).get_data();
      const size_t nul = data.find('\0');
      nlohmann::json doc = nlohmann::json::parse(data.substr(nul + 1));
      std::string text = data.substr(0, nul);
      std::replace(text.begin(), text.end(), '\n', ' ');
      std::replace(text.begin(), text.end(), '\t', ' ');
      dump << doc.value("k", "") << '\t' << text << '\n';
    }
  }
  return 0;
}
