// Fuzz target for the figures and check stages: the number grammar and
// quantity scanner, the time grammar, everything ExtractFacts builds on them
// (measured phrases, roles, enumerations, plan items), and CheckFile's rules
// and relations. Any text must give results whose spans lie inside it, in
// order, with valid cross-references.
#include <cstddef>
#include <cstdint>
#include <string>

#include "check/check.h"
#include "common/utf8.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "outline/outline.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool Within(taizhang::Span s, size_t size) { return s.begin <= s.end && s.end <= size; }

void CheckTimes(const std::vector<taizhang::TimeExpr>& times, size_t size) {
  uint32_t last = 0;
  for (const taizhang::TimeExpr& t : times) {
    Check(t.span.begin >= last && t.span.begin < t.span.end && t.span.end <= size);
    last = t.span.end;
    Check(t.begin.empty() || t.begin.size() == 10);
    Check(t.end.empty() || t.end.size() == 10);
    Check(t.begin.empty() || t.end.empty() || t.begin <= t.end);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // The scanners work on decoded text, which ingest guarantees is UTF-8.
  if (taizhang::utf8::FindInvalid(text) != text.size()) return 0;
  taizhang::SourceText source("fuzz", "UTF-8", text, 0);
  const taizhang::Span all{0, static_cast<uint32_t>(text.size())};

  std::vector<taizhang::Quantity> quantities;
  taizhang::ExtractQuantities(source, all, &quantities);
  uint32_t last = 0;
  for (const taizhang::Quantity& q : quantities) {
    Check(q.span.begin >= last && q.span.end <= text.size() && q.span.begin < q.span.end);
    last = q.span.end;
    if (q.value) (void)q.value->ToString();
    if (q.high) (void)q.high->ToString();
  }

  std::vector<taizhang::TimeExpr> times;
  taizhang::TimeContext context;
  context.year = 2024;
  context.report_year = 2023;
  taizhang::ExtractTimes(source, all, context, &times);
  CheckTimes(times, text.size());

  // The whole stage over the outline of the same text.
  taizhang::OutlineResult outline = taizhang::BuildOutline(source);
  taizhang::FileFacts facts = taizhang::ExtractFacts(source, outline);
  Check(facts.reports.size() == outline.reports.size());
  for (const taizhang::ReportFacts& r : facts.reports) {
    for (const taizhang::Quantity& q : r.quantities) {
      Check(Within(q.span, size) && Within(q.measured, size) && Within(q.role_word, size));
      Check(q.time < static_cast<int>(r.times.size()));
    }
    for (const taizhang::TimeExpr& t : r.times) Check(Within(t.span, size));
    for (const taizhang::Enumeration& e : r.enumerations) {
      Check(Within(e.span, size) && e.quantity < static_cast<int>(r.quantities.size()));
      for (const taizhang::Span& item : e.items) Check(Within(item, size) && !item.empty());
    }
    for (const taizhang::PlanItem& p : r.plan_items) {
      Check(Within(p.span, size) && Within(p.subject, size) && Within(p.action, size) &&
            Within(p.object, size));
      Check(p.target < static_cast<int>(r.quantities.size()));
      Check(p.deadline < static_cast<int>(r.times.size()));
      Check(p.recurrence < static_cast<int>(r.times.size()));
    }
  }
  taizhang::CheckResult checked = taizhang::CheckFile(source, outline, facts, {});
  Check(checked.reports.size() == outline.reports.size());
  for (const taizhang::Finding& f : checked.findings) {
    Check(Within(f.span, size) && !f.rule.empty() && taizhang::FindRule(f.rule) != nullptr);
    Check(f.report < static_cast<int>(outline.reports.size()));
    for (const taizhang::RelatedPlace& p : f.related) Check(Within(p.span, size));
  }
  for (size_t r = 0; r < checked.reports.size(); ++r) {
    for (const taizhang::Relation& rel : checked.reports[r].relations) {
      Check(rel.whole < static_cast<int>(facts.reports[r].quantities.size()));
      for (int p : rel.parts) Check(p >= 0 && p < static_cast<int>(facts.reports[r].quantities.size()));
    }
  }
  return 0;
}
