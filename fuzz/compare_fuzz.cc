// Fuzz target for the compare stage: the input is two texts (a plan and a
// result) separated by the first NUL byte. Targets are taken from the plan's
// every report, compared with the result's every report, rendered in every
// format, and the across-unit table built over both; evidence must lie
// inside the result text, verdicts must carry a reason.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/utf8.h"
#include "compare/compare.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "outline/outline.h"
#include "output/compare_output.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::string plan_text = input.substr(0, nul);
  std::string result_text = nul == std::string::npos ? input : input.substr(nul + 1);
  if (taizhang::utf8::FindInvalid(plan_text) != plan_text.size()) return 0;
  if (taizhang::utf8::FindInvalid(result_text) != result_text.size()) return 0;
  taizhang::SourceText plan("plan", "UTF-8", plan_text, 0);
  taizhang::SourceText result("result", "UTF-8", result_text, 0);
  taizhang::OutlineResult plan_outline = taizhang::BuildOutline(plan);
  taizhang::OutlineResult result_outline = taizhang::BuildOutline(result);
  taizhang::FileFacts plan_facts = taizhang::ExtractFacts(plan, plan_outline);
  taizhang::FileFacts result_facts = taizhang::ExtractFacts(result, result_outline);
  taizhang::CompareOptions options;
  std::vector<taizhang::Comparison> comparisons;
  for (size_t p = 0; p < plan_outline.reports.size(); ++p) {
    int year = 0;
    std::vector<taizhang::Target> targets =
        taizhang::PlanTargets(plan, plan_outline.reports[p], plan_facts.reports[p], options, &year);
    for (size_t r = 0; r < result_outline.reports.size(); ++r) {
      taizhang::Comparison c = taizhang::Compare(targets, year, result, result_outline.reports[r],
                                                 result_facts.reports[r], options);
      Check(c.outcomes.size() == targets.size());
      for (const taizhang::TargetOutcome& o : c.outcomes) {
        Check(!o.reason.empty());
        for (const taizhang::Evidence& e : o.evidence) {
          Check(e.line >= 1 && e.line <= result.line_count());
          Check(e.score >= 0 && e.score <= 1.0001);
        }
      }
      comparisons.push_back(std::move(c));
    }
  }
  std::vector<taizhang::ComparedPair> pairs;
  for (const taizhang::Comparison& c : comparisons) {
    taizhang::ComparedPair pair;
    pair.comparison = &c;
    pairs.push_back(pair);
  }
  (void)taizhang::RenderCompareText(pairs);
  (void)taizhang::RenderCompareJson(pairs);
  (void)taizhang::RenderCompareHtml(pairs);
  taizhang::AcrossFile across{"result", taizhang::AcrossUnits("整改率", result, result_outline, result_facts, 0.6)};
  (void)taizhang::RenderAcrossText("整改率", {across});
  (void)taizhang::RenderAcrossJson("整改率", {across});
  return 0;
}
