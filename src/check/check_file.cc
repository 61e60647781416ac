// CheckFile: the rule catalogue, the rules and relations in order, and the
// user's options (rules off, severities changed).
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <mutex>

#include "check/check_internal.h"
#include <nlohmann/json.hpp>

#include "common/language_data.h"

namespace taizhang {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "";
}

const char* SeverityLabel(Severity s) {
  switch (s) {
    case Severity::kError: return "错误";
    case Severity::kWarning: return "警告";
    case Severity::kInfo: return "提示";
  }
  return "";
}

const char* RelationStatusName(RelationStatus s) {
  switch (s) {
    case RelationStatus::kConsistent: return "consistent";
    case RelationStatus::kInconsistent: return "inconsistent";
    case RelationStatus::kNotCheckable: return "not_checkable";
  }
  return "";
}

const char* RelationStatusLabel(RelationStatus s) {
  switch (s) {
    case RelationStatus::kConsistent: return "一致";
    case RelationStatus::kInconsistent: return "不一致";
    case RelationStatus::kNotCheckable: return "无法核对";
  }
  return "";
}

const std::vector<Rule>& RuleCatalogue() {
  static const std::vector<Rule>* rules = [] {
    auto* out = new std::vector<Rule>();
    for (const DataRow& row : DataTable("rules.tsv", 5)) {
      Rule r;
      r.id = std::string(row[0]);
      r.severity = row[1] == "error" ? Severity::kError : row[1] == "info" ? Severity::kInfo : Severity::kWarning;
      r.title = std::string(row[2]);
      r.explanation = std::string(row[3]);
      r.example = std::string(row[4]);
      out->push_back(std::move(r));
    }
    return out;
  }();
  return *rules;
}

const Rule* FindRule(std::string_view id) {
  for (const Rule& r : RuleCatalogue()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

namespace check_internal {

std::string SpanText(std::string_view text, Span s) { return s.empty() ? std::string() : JoinedText(text, s); }

bool InTableBlock(const SourceText& source, uint32_t line, bool with_captions) {
  const std::vector<LineOrigin>& origins = source.origins();
  auto row = [&](uint32_t l) { return l >= 1 && l <= origins.size() && origins[l - 1].table_row; };
  if (row(line)) return true;
  if (!source.encoding().starts_with("PDF") || line < 1 || line > origins.size()) return false;
  // Rows above and below on the same page (origin.paragraph is the page).
  constexpr uint32_t kReach = 12;
  const int32_t page = origins[line - 1].paragraph;
  auto row_on_page = [&](uint32_t l) { return row(l) && origins[l - 1].paragraph == page; };
  // A caption or a wrapped cell right against a row belongs to it too.
  // A line right below a row goes on with the table; one right above it
  // is its caption, part of the table only `with_captions`.
  if (line > 1 && row_on_page(line - 1)) return true;
  // (A caption may take two lines: 西安市级2022年…绩效自评表 / （2022年度）.)
  if (with_captions && (row_on_page(line + 1) || row_on_page(line + 2))) return true;
  // A table goes on over the page break: lines between its rows at the end
  // of one page and its rows at the top of the next are its cells.
  auto row_near_page = [&](uint32_t l, int32_t other) {
    return row(l) && (origins[l - 1].paragraph == page || origins[l - 1].paragraph == other);
  };
  bool above = false, below = false;
  for (uint32_t d = 1; d <= kReach; ++d) {
    above |= line > d && row_near_page(line - d, page - 1);
    below |= row_near_page(line + d, page + 1);
  }
  return above && below;
}

Finding& CheckContext::Add(RuleId rule, int report, Span span, std::string message) {
  Finding f;
  f.rule = std::string(RuleIdName(rule));
  const Rule* r = FindRule(f.rule);
  f.severity = r ? r->severity : Severity::kWarning;
  f.report = report;
  f.span = span;
  Location loc = source.Locate(span.begin);
  f.line = loc.line;
  f.column = loc.column;
  f.message = std::move(message);
  findings->push_back(std::move(f));
  return findings->back();
}

const std::vector<std::string>& CheckContext::Terms(std::string_view role) const {
  auto it = cache.terms.find(role);
  if (it != cache.terms.end()) return it->second;
  std::vector<std::string> words;
  for (const DataRow& row : DataTable("check_words.tsv", 3)) {
    if (row[0] == role) words.emplace_back(row[1]);
  }
  auto extra = options.extra_terms.find(std::string(role));
  if (extra != options.extra_terms.end()) words.insert(words.end(), extra->second.begin(), extra->second.end());
  return cache.terms.emplace(std::string(role), std::move(words)).first->second;
}

const CheckContext::RolesMatcher& CheckContext::Matcher(const std::vector<std::string_view>& roles) const {
  std::string key;
  for (std::string_view role : roles) (key += role) += '\t';
  auto it = cache.matchers.find(key);
  if (it != cache.matchers.end()) return *it->second;
  auto build = [&] {
    auto m = std::make_unique<RolesMatcher>();
    std::vector<std::string_view> words;
    for (size_t r = 0; r < roles.size(); ++r) {
      for (const std::string& w : Terms(roles[r])) {
        words.push_back(w);
        m->role_of.push_back(static_cast<uint8_t>(r));
      }
    }
    m->matcher = TermMatcher(words);
    return m;
  };
  // Without the user's extra words for these roles the matcher is the same
  // for every file: built once for the process.
  const bool shared = std::none_of(roles.begin(), roles.end(), [&](std::string_view role) {
    return options.extra_terms.count(std::string(role)) > 0;
  });
  if (shared) {
    static std::mutex mutex;
    static auto* matchers = new std::map<std::string, std::unique_ptr<RolesMatcher>, std::less<>>;
    std::lock_guard<std::mutex> lock(mutex);
    std::unique_ptr<RolesMatcher>& m = (*matchers)[key];
    if (!m) m = build();
    return *m;
  }
  return *cache.matchers.emplace(std::move(key), build()).first->second;
}

const TableOfContents& CheckContext::Toc(size_t report) const {
  if (cache.tocs.size() < outline.reports.size()) cache.tocs.resize(outline.reports.size());
  std::unique_ptr<TableOfContents>& toc = cache.tocs[report];
  if (!toc) toc = std::make_unique<TableOfContents>(FindTableOfContents(source, outline.reports[report]));
  return *toc;
}

bool CheckContext::HasTerm(std::string_view role, std::string_view word) const {
  for (const std::string& w : Terms(role)) {
    if (w == word) return true;
  }
  return false;
}

RelatedPlace CheckContext::Place(Span span, std::string note) const {
  RelatedPlace p;
  p.span = span;
  Location loc = source.Locate(span.begin);
  p.line = loc.line;
  p.column = loc.column;
  p.note = std::move(note);
  return p;
}

const std::vector<RuleCheck>& RuleChecks() {
  static const std::vector<RuleCheck>* checks = new std::vector<RuleCheck>{
      {"CheckWebJunk", CheckWebJunk, {RuleId::kWebJunk}},
      {"CheckPlaceholders", CheckPlaceholders, {RuleId::kPlaceholderNumber, RuleId::kPlaceholderName}},
      {"CheckMalformedNumbers", CheckMalformedNumbers, {RuleId::kMalformedNumber}},
      {"CheckNumbering", CheckNumbering,
       {RuleId::kNumberingBracket, RuleId::kNumberingMixedStyle, RuleId::kNumberingSkip, RuleId::kNumberingRepeat,
        RuleId::kNumberingOrder}},
      {"CheckEnumerationSeries", CheckEnumerationSeries, {RuleId::kEnumerationSlip}},
      {"CheckPairedPunctuation", CheckPairedPunctuation, {RuleId::kUnmatchedPair}},
      {"CheckLetterD", CheckLetterD, {RuleId::kLetterDForParty}},
      {"CheckDuplicates", CheckDuplicates, {RuleId::kDuplicateSentence, RuleId::kDuplicateAcrossReports}},
      {"CheckPeriods", CheckPeriods, {RuleId::kPeriodMismatch}},
      {"CheckDoubledPunctuation", CheckDoubledPunctuation, {RuleId::kDoubledPunctuation}},
      {"CheckTableOfContents", CheckTableOfContents, {RuleId::kTocMismatch}},
      // Relations are reported even when their rules are off.
      {"CheckRelations", CheckRelations,
       {RuleId::kSumMismatch, RuleId::kRemainderMismatch, RuleId::kRateMismatch, RuleId::kPartExceedsWhole,
        RuleId::kUnitSumMismatch, RuleId::kEnumerationCount, RuleId::kRateOver100, RuleId::kContradiction,
        RuleId::kChangeMismatch, RuleId::kComparisonMismatch},
       /*always_run=*/true},
  };
  return *checks;
}

}  // namespace check_internal

std::string FixedText(std::string_view text, Span span, const std::vector<Finding>& findings) {
  // Safe fixes inside the span, in text order, none overlapping.
  std::vector<const Finding*> fixes;
  for (const Finding& f : findings) {
    if (f.has_fix && f.span.begin >= span.begin && f.span.end <= span.end && !f.span.empty()) fixes.push_back(&f);
  }
  std::sort(fixes.begin(), fixes.end(), [](const Finding* a, const Finding* b) { return a->span.begin < b->span.begin; });
  std::string out;
  uint32_t at = span.begin;
  for (const Finding* f : fixes) {
    if (f->span.begin < at) continue;
    out += JoinedText(text, Span{at, f->span.begin});
    out += f->fix;
    at = f->span.end;
  }
  out += JoinedText(text, Span{at, span.end});
  return out;
}

namespace {

// Whether a rule the user switched off.
bool RuleOn(const CheckOptions& options, RuleId id) {
  auto it = options.enabled.find(std::string(RuleIdName(id)));
  return it == options.enabled.end() || it->second;
}

bool ShouldRun(const CheckOptions& options, const check_internal::RuleCheck& check) {
  return check.always_run ||
         std::any_of(check.rules.begin(), check.rules.end(), [&](RuleId id) { return RuleOn(options, id); });
}

// The checks that look across reports or at the whole file (text outside
// the reports, sentences repeated in other reports, a compilation's contents
// against everything after it); they read no facts. The others look at one
// report at a time.
bool LooksAtWholeFile(const check_internal::RuleCheck& check) {
  return check.run == check_internal::CheckWebJunk || check.run == check_internal::CheckDuplicates ||
         check.run == check_internal::CheckTableOfContents;
}

// The user's choices (rules switched off, severities changed) applied to
// `findings`, then the findings in text order: by position, ties in the
// order of `rank` (parallel to findings; the order they were added when
// empty), and the placeholders counted per report.
void Finish(const CheckOptions& options, std::vector<uint32_t> rank, CheckResult* result) {
  std::vector<Finding>& findings = result->findings;
  if (rank.empty()) rank.assign(findings.size(), 0);
  size_t kept = 0;
  for (size_t i = 0; i < findings.size(); ++i) {
    auto it = options.enabled.find(findings[i].rule);
    if (it != options.enabled.end() && !it->second) continue;
    if (kept != i) {
      findings[kept] = std::move(findings[i]);
      rank[kept] = rank[i];
    }
    ++kept;
  }
  findings.resize(kept);
  rank.resize(kept);
  for (Finding& f : findings) {
    auto it = options.severities.find(f.rule);
    if (it != options.severities.end()) f.severity = it->second;
  }
  // In text order: sort positions, then move the findings into their
  // places in the vector itself (along each cycle of the permutation; no
  // second vector of them, the size of all a large compilation's findings).
  struct Key {
    uint32_t begin, rank, index;
  };
  std::vector<Key> order(findings.size());
  for (uint32_t i = 0; i < findings.size(); ++i) order[i] = {findings[i].span.begin, rank[i], i};
  rank = {};
  std::stable_sort(order.begin(), order.end(), [](const Key& a, const Key& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.rank < b.rank;
  });
  // Place k takes the finding at order[k].index; a place done is marked by
  // pointing at itself.
  for (uint32_t k = 0; k < order.size(); ++k) {
    if (order[k].index == k) continue;
    Finding held = std::move(findings[k]);
    uint32_t at = k;
    while (order[at].index != k) {
      const uint32_t from = order[at].index;
      findings[at] = std::move(findings[from]);
      order[at].index = at;
      at = from;
    }
    findings[at] = std::move(held);
    order[at].index = at;
  }
  for (const Finding& f : findings) {
    if (f.report >= 0 && (f.rule == RuleIdName(RuleId::kPlaceholderNumber) ||
                          f.rule == RuleIdName(RuleId::kPlaceholderName))) {
      ++result->reports[f.report].placeholders;
    }
  }
}

// The user's choices applied to findings: those of rules switched off
// dropped, severities changed.
template <typename T, typename Get>
void ApplyChoices(const CheckOptions& options, std::vector<T>* items, Get finding) {
  if (options.enabled.empty() && options.severities.empty()) return;
  std::erase_if(*items, [&](const T& item) {
    auto it = options.enabled.find(finding(item).rule);
    return it != options.enabled.end() && !it->second;
  });
  for (T& item : *items) {
    Finding& f = finding(item);
    auto it = options.severities.find(f.rule);
    if (it != options.severities.end()) f.severity = it->second;
  }
}

bool IsPlaceholder(const Finding& f) {
  return f.rule == RuleIdName(RuleId::kPlaceholderNumber) || f.rule == RuleIdName(RuleId::kPlaceholderName);
}

// A compilation whose facts were deferred, collected whole from its steps.
CheckResult CheckReportByReport(const SourceText& source, const OutlineResult& outline,
                                const CheckOptions& options) {
  CheckResult result;
  result.reports.resize(outline.reports.size());
  if (outline.reports.empty()) return result;
  ReportChecker checker(source, outline, options);
  CheckedReport step;
  while (checker.Next(&step)) {
    for (Finding& f : step.findings) result.findings.push_back(std::move(f));
    result.reports[step.index] = std::move(step.check);
  }
  return result;
}

// A finding with the place of its check in the table: findings sort by
// (position, rank), stably, as CheckFile sorts them running each check over
// every report in turn.
struct RankedFinding {
  uint32_t rank = 0;
  Finding finding;
};

bool RankedBefore(const RankedFinding& a, const RankedFinding& b) {
  return a.finding.span.begin != b.finding.span.begin ? a.finding.span.begin < b.finding.span.begin
                                                      : a.rank < b.rank;
}

void SortRanked(const CheckOptions& options, std::vector<RankedFinding>* found) {
  ApplyChoices(options, found, [](auto& x) -> auto& { return x.finding; });
  std::stable_sort(found->begin(), found->end(), RankedBefore);
}

}  // namespace

struct ReportChecker::State {
  State(const SourceText& s, const OutlineResult& o, const CheckOptions& opt) : source(s), outline(o), options(opt) {}
  const SourceText& source;
  const OutlineResult& outline;
  const CheckOptions options;
  // The word lists and matchers, carried from report to report.
  check_internal::CheckContext::Cache cache;
  // The whole file's findings in text order, from `next_whole` on not yet
  // handed over.
  std::vector<RankedFinding> whole;
  size_t next_whole = 0;
  // Placeholder findings of the whole file's checks, per report.
  std::vector<int> whole_placeholders;
  // Findings of reports done that lie at or after the next report's begin
  // (none when each report's findings lie in its lines), in text order.
  std::vector<RankedFinding> carried;
  size_t next = 0;  // the next report
};

ReportChecker::ReportChecker(const SourceText& source, const OutlineResult& outline, const CheckOptions& options)
    : state_(std::make_unique<State>(source, outline, options)) {
  const std::vector<check_internal::RuleCheck>& checks = check_internal::RuleChecks();
  State& st = *state_;
  const FileFacts no_facts;
  std::vector<Finding> found;
  std::vector<ReportCheck> reports(outline.reports.size());
  check_internal::CheckContext whole{source, outline, no_facts, &found, &reports, options, {}};
  for (uint32_t k = 0; k < checks.size(); ++k) {
    if (!LooksAtWholeFile(checks[k]) || !ShouldRun(options, checks[k])) continue;
    checks[k].run(whole);
    for (Finding& f : found) st.whole.push_back({k, std::move(f)});
    found.clear();
  }
  SortRanked(options, &st.whole);
  st.whole_placeholders.assign(outline.reports.size(), 0);
  for (const RankedFinding& x : st.whole) {
    if (x.finding.report >= 0 && IsPlaceholder(x.finding)) ++st.whole_placeholders[x.finding.report];
  }
  st.cache.terms = std::move(whole.cache.terms);
  st.cache.matchers = std::move(whole.cache.matchers);
}

ReportChecker::~ReportChecker() = default;

bool ReportChecker::Next(CheckedReport* out) {
  const std::vector<check_internal::RuleCheck>& checks = check_internal::RuleChecks();
  State& st = *state_;
  if (st.next >= st.outline.reports.size()) return false;
  const size_t r = st.next++;
  const Report& report = st.outline.reports[r];
  out->index = r;
  out->findings.clear();
  OutlineResult one;
  one.reports.push_back(report);
  FileFacts facts;
  facts.reports.push_back(ExtractReportFacts(st.source, report));
  std::vector<Finding> found;
  std::vector<ReportCheck> reports(1);
  check_internal::CheckContext c{st.source, one, facts, &found, &reports, st.options, {}};
  // The word lists and matchers carry over; the contents found are per
  // report (indexed by the report's place in `one`, always 0).
  c.cache.terms = std::move(st.cache.terms);
  c.cache.matchers = std::move(st.cache.matchers);
  std::vector<RankedFinding> mine;
  for (uint32_t k = 0; k < checks.size(); ++k) {
    if (LooksAtWholeFile(checks[k]) || !ShouldRun(st.options, checks[k])) continue;
    checks[k].run(c);
    for (Finding& f : found) {
      if (f.report == 0) f.report = static_cast<int>(r);
      mine.push_back({k, std::move(f)});
    }
    found.clear();
  }
  st.cache.terms = std::move(c.cache.terms);
  st.cache.matchers = std::move(c.cache.matchers);
  SortRanked(st.options, &mine);
  out->check = std::move(reports[0]);
  out->check.placeholders = st.whole_placeholders[r];
  for (const RankedFinding& x : mine) {
    if (x.finding.report == static_cast<int>(r) && IsPlaceholder(x.finding)) ++out->check.placeholders;
  }
  out->facts = std::move(facts.reports[0]);
  // Handed over: everything before the next report's first line, the
  // whole file's findings, this report's and any carried, merged in the
  // order of one stable sort of them all (the whole file's first, then the
  // reports' in turn).
  const uint32_t bound = r + 1 < st.outline.reports.size()
                             ? st.source.LineBegin(st.outline.reports[r + 1].first_line)
                             : UINT32_MAX;
  std::vector<RankedFinding> reports_found;
  reports_found.reserve(st.carried.size() + mine.size());
  std::merge(std::make_move_iterator(st.carried.begin()), std::make_move_iterator(st.carried.end()),
             std::make_move_iterator(mine.begin()), std::make_move_iterator(mine.end()),
             std::back_inserter(reports_found), RankedBefore);
  st.carried.clear();
  auto before = [&](const RankedFinding& x) { return x.finding.span.begin < bound; };
  const auto reports_end = std::partition_point(reports_found.begin(), reports_found.end(), before);
  const auto whole_begin = st.whole.begin() + static_cast<std::ptrdiff_t>(st.next_whole);
  const auto whole_end = std::partition_point(whole_begin, st.whole.end(), before);
  std::vector<RankedFinding> merged;
  merged.reserve(static_cast<size_t>((whole_end - whole_begin) + (reports_end - reports_found.begin())));
  std::merge(std::make_move_iterator(whole_begin), std::make_move_iterator(whole_end),
             std::make_move_iterator(reports_found.begin()), std::make_move_iterator(reports_end),
             std::back_inserter(merged), RankedBefore);
  st.next_whole = static_cast<size_t>(whole_end - st.whole.begin());
  st.carried.assign(std::make_move_iterator(reports_end), std::make_move_iterator(reports_found.end()));
  out->findings.reserve(merged.size());
  for (RankedFinding& x : merged) out->findings.push_back(std::move(x.finding));
  if (st.next == st.outline.reports.size()) {
    st.whole.clear();
    st.whole.shrink_to_fit();
  }
  return true;
}

CheckResult CheckFile(const SourceText& source, const OutlineResult& outline, const FileFacts& facts,
                      const CheckOptions& options) {
  // (Without reports there are no facts to defer: checked as it is.)
  if (facts.deferred && !outline.reports.empty()) return CheckReportByReport(source, outline, options);
  CheckResult result;
  result.reports.resize(outline.reports.size());
  check_internal::CheckContext c{source, outline, facts, &result.findings, &result.reports, options, {}};
  // Rules switched off are not run (their findings would be dropped anyway).
  for (const check_internal::RuleCheck& check : check_internal::RuleChecks()) {
    if (ShouldRun(options, check)) check.run(c);
  }
  Finish(options, {}, &result);
  return result;
}

Result<CheckOptions> ParseCheckConfig(std::string_view text, const std::string& file_name) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  auto bad = [&](const std::string& what) {
    return Status(StatusCode::kInvalidArgument, file_name + "：配置有误：" + what);
  };
  if (j.is_discarded() || !j.is_object()) return bad("不是有效的 JSON 对象");
  CheckOptions options;
  for (const auto& [key, value] : j.items()) {
    if (key == "rules") {
      if (!value.is_object()) return bad("“rules”应是对象，如 {\"placeholder-name\": \"off\"}");
      for (const auto& [id, setting] : value.items()) {
        if (FindRule(id) == nullptr) return bad("没有名为“" + id + "”的规则");
        if (!setting.is_string()) return bad("规则“" + id + "”的设置应是字符串");
        std::string s = setting.get<std::string>();
        if (s == "off") options.enabled[id] = false;
        else if (s == "on") options.enabled[id] = true;
        else if (s == "error") options.severities[id] = Severity::kError;
        else if (s == "warning") options.severities[id] = Severity::kWarning;
        else if (s == "info") options.severities[id] = Severity::kInfo;
        else return bad("规则“" + id + "”的设置“" + s + "”不认识（可用 on、off、error、warning、info）");
      }
    } else if (key == "terms") {
      if (!value.is_object()) return bad("“terms”应是对象，如 {\"capped_rate\": [\"签约率\"]}");
      for (const auto& [role, words] : value.items()) {
        if (role != "capped_rate" && role != "exceeding" && role != "party_after") {
          return bad("词表“" + role + "”不认识（可用 capped_rate、exceeding、party_after）");
        }
        if (!words.is_array()) return bad("词表“" + role + "”应是字符串数组");
        for (const auto& w : words) {
          if (!w.is_string() || w.get<std::string>().empty()) return bad("词表“" + role + "”中有非字符串或空字符串");
          options.extra_terms[role].push_back(w.get<std::string>());
        }
      }
    } else {
      return bad("不认识的键“" + key + "”（可用 rules、terms）");
    }
  }
  return options;
}

}  // namespace taizhang
