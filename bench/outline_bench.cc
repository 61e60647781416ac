// Throughput of the outline and figures stages on a large input: the seed compilation
// repeated until the input reaches the requested size (default 100 MB),
// decoded (encoding detection + line index), outlined and its figures
// extracted, on one thread.
//
//   outline_bench [SEED_FILE] [MEGABYTES] [ENCODING]
//
// ENCODING (UTF-8 by default, or GB18030 / UTF-16LE) converts the repeated
// input first, so detection and ICU conversion are measured too. Prints input
// size, time, MB/s, counts, and peak resident memory.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include <unicode/ucnv.h>

#include "check/check.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "outline/outline.h"

namespace {

std::string Convert(const std::string& utf8, const char* encoding) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 2 + 16, '\0');
  int32_t n = ucnv_convert(encoding, "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  if (U_FAILURE(status)) {
    std::fprintf(stderr, "conversion to %s failed: %s\n", encoding, u_errorName(status));
    std::exit(1);
  }
  out.resize(n);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string seed_path = argc > 1 ? argv[1] : "../shared/corpus/seed/000_149dd883a1863841.txt";
  double megabytes = argc > 2 ? std::stod(argv[2]) : 100;
  std::string encoding = argc > 3 ? argv[3] : "UTF-8";
  std::ifstream in(seed_path, std::ios::binary);
  std::string seed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (seed.empty()) {
    std::fprintf(stderr, "cannot read %s\n", seed_path.c_str());
    return 1;
  }
  std::string input;
  size_t target = static_cast<size_t>(megabytes * 1e6);
  input.reserve(target + seed.size());
  while (input.size() < target) input += seed;
  if (encoding != "UTF-8") {
    input = Convert(input, encoding.c_str());
    if (encoding == "UTF-16LE") input.insert(0, "\xFF\xFE");
  }
  const double mb = input.size() / 1e6;
  // FILES_ONLY=1 in the environment runs only the separate-files case (for profiling).
  const bool files_only = std::getenv("FILES_ONLY") != nullptr;

  if (!files_only) {
  auto start = std::chrono::steady_clock::now();
  auto source = taizhang::DecodeText("bench.txt", std::move(input), taizhang::ReadOptions{});
  if (!source.ok()) {
    std::fprintf(stderr, "%s\n", source.status().message().c_str());
    return 1;
  }
  auto decoded = std::chrono::steady_clock::now();
  taizhang::OutlineResult outline = taizhang::BuildOutline(*source);
  auto done = std::chrono::steady_clock::now();
  taizhang::FileFacts facts = taizhang::ExtractFacts(*source, outline);
  auto extracted = std::chrono::steady_clock::now();
  size_t quantities = 0;
  for (const auto& r : facts.reports) quantities += r.quantities.size();

  size_t headings = 0, sentences = 0;
  for (const auto& r : outline.reports) {
    headings += r.headings.size();
    sentences += r.sentences.size();
  }
  double decode_s = std::chrono::duration<double>(decoded - start).count();
  double outline_s = std::chrono::duration<double>(done - decoded).count();
  double total_s = decode_s + outline_s;
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  std::printf("input           %.1f MB (%s)\n", mb, encoding.c_str());
  std::printf("reports         %zu\nheadings        %zu\nsentences       %zu\n",
              outline.reports.size(), headings, sentences);
  std::printf("decode          %.3f s  %.0f MB/s\n", decode_s, mb / decode_s);
  std::printf("outline         %.3f s  %.0f MB/s\n", outline_s, mb / outline_s);
  std::printf("total           %.3f s  %.0f MB/s\n", total_s, mb / total_s);
  double facts_s = std::chrono::duration<double>(extracted - done).count();
  std::printf("quantities      %zu\n", quantities);
  std::printf("facts (figures) %.3f s  %.0f MB/s\n", facts_s, mb / facts_s);
  std::printf("decode+outline+facts %.3f s  %.0f MB/s\n", total_s + facts_s, mb / (total_s + facts_s));
  std::printf("peak RSS        %.0f MB\n", usage.ru_maxrss / 1024.0);

  // The check stage on top: relations and rules.
  auto check_start = std::chrono::steady_clock::now();
  taizhang::CheckResult checked = taizhang::CheckFile(*source, outline, facts, {});
  auto check_end = std::chrono::steady_clock::now();
  double check_s = std::chrono::duration<double>(check_end - check_start).count();
  std::printf("check (rules)   %.3f s  %.0f MB/s (%zu findings)\n", check_s, mb / check_s, checked.findings.size());
  // The repeated seed makes every sentence after the first copy a duplicate
  // of it; without the duplicate rules the figure is closer to real input.
  taizhang::CheckOptions no_duplicates;
  no_duplicates.enabled[std::string(taizhang::RuleIdName(taizhang::RuleId::kDuplicateSentence))] = false;
  no_duplicates.enabled[std::string(taizhang::RuleIdName(taizhang::RuleId::kDuplicateAcrossReports))] = false;
  auto nodup_start = std::chrono::steady_clock::now();
  taizhang::CheckResult nodup = taizhang::CheckFile(*source, outline, facts, no_duplicates);
  double nodup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - nodup_start).count();
  std::printf("  without duplicate rules %.3f s  %.0f MB/s (%zu findings)\n", nodup_s, mb / nodup_s,
              nodup.findings.size());
  std::printf("decode+outline+facts+check %.3f s  %.0f MB/s\n", total_s + facts_s + check_s,
              mb / (total_s + facts_s + check_s));

  // The two scanners of the figures stage alone, over every sentence (the
  // rest of the facts time goes to phrases, enumerations and plan items).
  auto scan_start = std::chrono::steady_clock::now();
  size_t scanned = 0;
  for (const auto& r : outline.reports) {
    std::vector<taizhang::Quantity> q;
    for (const auto& s : r.sentences) taizhang::ExtractQuantities(*source, s.span, &q);
    scanned += q.size();
  }
  auto scan_mid = std::chrono::steady_clock::now();
  size_t times = 0;
  for (const auto& r : outline.reports) {
    std::vector<taizhang::TimeExpr> t;
    taizhang::TimeContext context{r.plan_year, r.summary_year, false};
    for (const auto& s : r.sentences) taizhang::ExtractTimes(*source, s.span, context, &t);
    times += t.size();
  }
  auto scan_end = std::chrono::steady_clock::now();
  double q_s = std::chrono::duration<double>(scan_mid - scan_start).count();
  double t_s = std::chrono::duration<double>(scan_end - scan_mid).count();
  std::printf("  number scan   %.3f s  %.0f MB/s (%zu quantities)\n", q_s, mb / q_s, scanned);
  std::printf("  time scan     %.3f s  %.0f MB/s (%zu time expressions)\n", t_s, mb / t_s, times);
  }

  // The realistic case: the same volume as separate files, as `taizhang check`
  // meets a county's or a province's reports — each copy of the seed read,
  // outlined, extracted and checked on its own (the single file above is a
  // stress case: one "compilation" of thousands of reports that repeat each
  // other, so every sentence is a cross-report duplicate).
  if (encoding == "UTF-8") {
    size_t copies = target / seed.size() + 1;
    size_t files_findings = 0, files_relations = 0;
    double stage_s[4] = {0, 0, 0, 0};
    auto files_start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < copies; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      auto file = taizhang::DecodeText("bench.txt", std::string(seed), taizhang::ReadOptions{});
      if (!file.ok()) return 1;
      auto t1 = std::chrono::steady_clock::now();
      taizhang::OutlineResult file_outline = taizhang::BuildOutline(*file);
      auto t2 = std::chrono::steady_clock::now();
      taizhang::FileFacts file_facts = taizhang::ExtractFacts(*file, file_outline);
      auto t3 = std::chrono::steady_clock::now();
      taizhang::CheckResult file_checked = taizhang::CheckFile(*file, file_outline, file_facts, {});
      auto t4 = std::chrono::steady_clock::now();
      stage_s[0] += std::chrono::duration<double>(t1 - t0).count();
      stage_s[1] += std::chrono::duration<double>(t2 - t1).count();
      stage_s[2] += std::chrono::duration<double>(t3 - t2).count();
      stage_s[3] += std::chrono::duration<double>(t4 - t3).count();
      files_findings += file_checked.findings.size();
      for (const auto& r : file_checked.reports) files_relations += r.relations.size();
    }
    double files_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - files_start).count();
    double files_mb = copies * seed.size() / 1e6;
    std::printf("as %zu separate files (%.1f MB): read+outline+facts+check %.3f s  %.0f MB/s "
                "(%zu findings, %zu relations)\n",
                copies, files_mb, files_s, files_mb / files_s, files_findings, files_relations);
    const char* stage_names[4] = {"read", "outline", "facts", "check"};
    for (int k = 0; k < 4; ++k) {
      std::printf("  %-8s %.3f s  %.0f MB/s\n", stage_names[k], stage_s[k], files_mb / stage_s[k]);
    }
  }
  return 0;
}
