// The search index: a Xapian database derived from the ledger store (see
// search.h for the contract and docs/search.md for the design).
//
// Each document is one sentence, item, progress note or finding. Its data
// is the hit's text, a NUL and the rest of the hit as JSON (HitData); its terms are the CJK n-grams
// of its text (TermGenerator::FLAG_CJK_NGRAM: every character and every
// pair of neighbouring characters) for finding candidates, boolean terms
// for the filters (XY year, XK kind, XR subkind, XS section kind), a
// scope term (XV<hash of the kind's class, unit and lead unit>, whose key
// is kept in the metadata) that a user's scope and the unit filter become a
// boolean filter on, and a group term (GR<report id>, GI<item id>) that
// removes a report's or an item's documents at once. Values hold the
// facets. A report's title and file are kept once, in the metadata
// (taizhang.report.<id>), not in each of its sentences.
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "ledger/database.h"
#include "outline/outline.h"
#include "pipeline/pipeline.h"
#include "search/search.h"

namespace taizhang {

namespace {

using json = nlohmann::json;

enum Slot : Xapian::valueno { kSlotUnit = 0, kSlotYear = 1, kSlotKind = 2, kSlotSubkind = 3, kSlotSection = 4 };

constexpr const char* kHistoryKey = "taizhang.history_id";
// The layout of the documents; an index written with another is built again.
constexpr const char* kFormatKey = "taizhang.format";
constexpr const char* kFormat = "3";
constexpr const char* kScopeKey = "taizhang.scope.";    // + hash: class \x1f unit \x1f lead unit
constexpr const char* kReportKey = "taizhang.report.";  // + report id: {"rt", "f"}

bool ReportPlace(SearchKind kind) { return kind == SearchKind::kSentence || kind == SearchKind::kFinding; }
bool ItemScope(SearchKind kind) { return kind == SearchKind::kItem || kind == SearchKind::kProgress; }

// The part of a hit its scope depends on (SearchQuery::visible).
std::string ScopeKeyOf(const SearchHit& h) {
  return std::string(ItemScope(h.kind) ? "i" : "r") + "\x1f" + h.unit + "\x1f" + (ItemScope(h.kind) ? h.lead_unit : "");
}

Status XapianError(const std::string& directory, const Xapian::Error& e) {
  std::string what = e.get_msg();
  if (e.get_type() == std::string("DatabaseLockError")) {
    return Status(StatusCode::kAborted, "检索索引 " + directory + " 正被另一个进程使用（" + what + "），请稍后再试。");
  }
  return Status(StatusCode::kInternal, "检索索引 " + directory + " 出错：" + std::string(e.get_type()) + "：" + what);
}

// A document's data: the text, a NUL, then the rest of the hit as JSON —
// so that confirming a candidate reads its text without parsing.
json HitJson(const SearchHit& h) {
  json j = {{"k", SearchKindName(h.kind)}, {"u", h.unit}, {"y", h.year}};
  if (!h.lead_unit.empty()) j["lu"] = h.lead_unit;
  if (!h.subkind.empty()) j["sk"] = h.subkind;
  if (!h.section_kind.empty()) j["sc"] = h.section_kind;
  if (h.report_id != 0) j["r"] = h.report_id;
  // A sentence's or finding's report title and file are in the metadata.
  if (!ReportPlace(h.kind) && h.report_id != 0) {
    j["rt"] = h.report_title;
    j["f"] = h.file;
  }
  if (h.line != 0) {
    j["l"] = h.line;
    j["c"] = h.column;
  }
  if (h.item_id != 0) j["i"] = h.item_id;
  if (h.progress_id != 0) j["p"] = h.progress_id;
  if (!h.date.empty()) j["d"] = h.date;
  if (!h.review.empty()) j["rv"] = h.review;
  if (!h.status.empty()) j["st"] = h.status;
  return j;
}

std::string HitData(const SearchHit& h) { return h.text + std::string(1, '\0') + HitJson(h).dump(); }

std::string_view DataText(std::string_view data) { return data.substr(0, data.find('\0')); }

SearchHit HitFromData(const std::string& data) {
  const size_t nul = data.find('\0');
  json j = json::parse(nul == std::string::npos ? std::string_view("{}") : std::string_view(data).substr(nul + 1));
  SearchHit h;
  h.kind = ParseSearchKind(j.value("k", "sentence")).value_or(SearchKind::kSentence);
  h.text = std::string(DataText(data));
  h.unit = j.value("u", "");
  h.year = j.value("y", 0);
  h.lead_unit = j.value("lu", "");
  h.subkind = j.value("sk", "");
  h.section_kind = j.value("sc", "");
  h.report_id = j.value("r", int64_t{0});
  h.report_title = j.value("rt", "");
  h.file = j.value("f", "");
  h.line = j.value("l", 0u);
  h.column = j.value("c", 0u);
  h.item_id = j.value("i", int64_t{0});
  h.progress_id = j.value("p", int64_t{0});
  h.date = j.value("d", "");
  h.review = j.value("rv", "");
  h.status = j.value("st", "");
  return h;
}

// Latin letters folded to lower case (what the term generator does), so
// that a literal check agrees with the candidates for "PPP" and "ppp".
std::string FoldAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The query's words: split at blanks (ASCII and the ideographic space).
std::vector<std::string> QueryWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  for (size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
      flush();
      ++i;
    } else if (text.substr(i, 3) == "\xE3\x80\x80") {  // U+3000
      flush();
      i += 3;
    } else {
      current += text[i++];
    }
  }
  flush();
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

// `text` cut where any of `words` occurs (folded); overlapping hits merged.
std::vector<SearchPart> MarkParts(const std::string& text, const std::vector<std::string>& folded_words) {
  const std::string folded = FoldAscii(text);
  std::vector<std::pair<size_t, size_t>> ranges;
  for (const std::string& w : folded_words) {
    for (size_t at = folded.find(w); at != std::string::npos; at = folded.find(w, at + 1)) {
      ranges.emplace_back(at, at + w.size());
    }
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<SearchPart> parts;
  size_t done = 0;
  for (size_t k = 0; k < ranges.size();) {
    size_t begin = ranges[k].first, end = ranges[k].second;
    for (++k; k < ranges.size() && ranges[k].first <= end; ++k) end = std::max(end, ranges[k].second);
    if (begin > done) parts.push_back({text.substr(done, begin - done), false});
    parts.push_back({text.substr(begin, end - begin), true});
    done = end;
  }
  if (done < text.size()) parts.push_back({text.substr(done), false});
  return parts;
}

std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '\n' && c != '\r') out += c;
  }
  return out;
}

// Whether the text of `data` (a document's) contains every word (folded).
bool Confirm(const std::string& data, const std::vector<std::string>& words) {
  std::string_view text = DataText(data);
  std::string folded;
  bool ascii_letters = false;
  for (char c : text) ascii_letters = ascii_letters || (c >= 'A' && c <= 'Z');
  if (ascii_letters) {
    folded = FoldAscii(text);
    text = folded;
  }
  for (const std::string& w : words) {
    if (text.find(w) == std::string_view::npos) return false;
  }
  return true;
}

// How many documents `enquire` matches: counted when at most `at_most`,
// else extrapolated from where the first `at_most` end (docids follow the
// order of indexing, so hits spread over them as over the reports: Xapian's
// own estimate after stopping early in docid order is the count seen).
// Second: whether counted.
std::pair<int64_t, bool> EstimateByDocid(Xapian::Enquire& enquire, const Xapian::Database& db, int64_t at_most) {
  const auto n = static_cast<Xapian::doccount>(std::max<int64_t>(at_most, 1));
  Xapian::MSet first = enquire.get_mset(0, n, n);
  if (first.size() < n) return {static_cast<int64_t>(first.size()), true};
  Xapian::MSetIterator last = first.end();
  --last;
  const double reach = static_cast<double>(*last);
  const double all = static_cast<double>(db.get_lastdocid());
  return {std::llround(static_cast<double>(n) * all / std::max(reach, 1.0)), false};
}

// The number of code points of UTF-8 `text`.
size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// A facet's counts, most first; multiplied by `scale` (an estimate from a
// sample) when it is not 1.
std::vector<FacetCount> Facets(const std::map<std::string, int64_t>& counts, double scale) {
  std::vector<FacetCount> out;
  for (const auto& [value, count] : counts) {
    if (value.empty()) continue;
    const int64_t n = scale == 1.0 ? count : std::max<int64_t>(1, std::llround(static_cast<double>(count) * scale));
    out.push_back({value, n});
  }
  std::stable_sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
  return out;
}

std::map<std::string, int64_t> SpyCounts(const Xapian::ValueCountMatchSpy& spy) {
  std::map<std::string, int64_t> out;
  for (Xapian::TermIterator it = spy.values_begin(); it != spy.values_end(); ++it) {
    out[*it] = static_cast<int64_t>(it.get_termfreq());
  }
  return out;
}

// The entities ("item", "source") with a history row whose id is in
// (after, upto], each once: what changed since the index last caught up.
// Writers are serialized (SQLite's write lock, PostgreSQL's advisory lock
// on writers), so every row up to a LastHistoryId read before is committed.
// Read through the store's connection, as access/ keeps its own tables.
Result<std::vector<std::pair<std::string, int64_t>>> HistoryEntitiesSince(LedgerStore& store, int64_t after,
                                                                          int64_t upto) {
  std::vector<ledger_internal::Row> rows;
  Status s = store.database()->Execute(
      "SELECT DISTINCT entity, entity_id FROM history WHERE id > ? AND id <= ? ORDER BY entity, entity_id",
      {ledger_internal::Value(after), ledger_internal::Value(upto)}, &rows);
  if (!s.ok()) return s;
  std::vector<std::pair<std::string, int64_t>> out;
  out.reserve(rows.size());
  for (const ledger_internal::Row& r : rows) out.emplace_back(r.Text(0), r.Int(1));
  return out;
}

}  // namespace

const char* SearchKindName(SearchKind kind) {
  switch (kind) {
    case SearchKind::kSentence: return "sentence";
    case SearchKind::kItem: return "item";
    case SearchKind::kProgress: return "progress";
    case SearchKind::kFinding: return "finding";
  }
  return "";
}

const char* SearchKindLabel(SearchKind kind) {
  switch (kind) {
    case SearchKind::kSentence: return "报告原文";
    case SearchKind::kItem: return "台账事项";
    case SearchKind::kProgress: return "进展情况";
    case SearchKind::kFinding: return "校核问题";
  }
  return "";
}

std::optional<SearchKind> ParseSearchKind(std::string_view text) {
  for (SearchKind k : {SearchKind::kSentence, SearchKind::kItem, SearchKind::kProgress, SearchKind::kFinding}) {
    if (text == SearchKindName(k) || text == SearchKindLabel(k)) return k;
  }
  return std::nullopt;
}

std::string SearchValueLabel(std::string_view facet, std::string_view value) {
  if (facet == "kind") {
    std::optional<SearchKind> kind = ParseSearchKind(value);
    return kind ? SearchKindLabel(*kind) : std::string(value);
  }
  if (facet == "subkind") {
    if (value == "task") return "工作任务";
    if (value == "problem") return "问题整改";
    for (ReportKind k : {ReportKind::kOther, ReportKind::kSummary, ReportKind::kPlan, ReportKind::kSummaryAndPlan,
                         ReportKind::kGovernmentWorkReport}) {
      if (value == ReportKindName(k)) return ReportKindLabel(k);
    }
  }
  if (facet == "section_kind") {
    for (SectionKind k : {SectionKind::kSummary, SectionKind::kHighlights, SectionKind::kProblems, SectionKind::kPlan,
                          SectionKind::kAppendix}) {
      if (value == SectionKindName(k)) return SectionKindLabel(k);
    }
  }
  if (facet == "year" && !value.empty()) return std::string(value) + "年";
  return std::string(value);
}

std::string ParseSearchValue(std::string_view facet, std::string_view text) {
  for (const char* name : {"sentence", "item", "progress", "finding", "task", "problem", "other", "summary", "plan",
                           "summary+plan", "government_work_report", "highlights", "problems", "appendix"}) {
    if (text == name || text == SearchValueLabel(facet, name)) return name;
  }
  return "";
}

static json FacetJson(const char* facet, const std::vector<FacetCount>& counts) {
  json out = json::array();
  for (const FacetCount& f : counts) {
    out.push_back({{"value", f.value}, {"label", SearchValueLabel(facet, f.value)}, {"count", f.count}});
  }
  return out;
}


// The hit as the API and `search --json` write it (docs/search.md).
json SearchHitJson(const SearchHit& h) {
  json parts = json::array();
  for (const SearchPart& p : h.parts) parts.push_back({{"text", p.text}, {"hit", p.hit}});
  json j = {{"kind", SearchKindName(h.kind)},
                      {"kind_label", SearchKindLabel(h.kind)},
                      {"text", h.text},
                      {"parts", parts},
                      {"unit", h.unit},
                      {"year", h.year},
                      {"subkind", h.subkind},
                      {"subkind_label", SearchValueLabel("subkind", h.subkind)},
                      {"section_kind", h.section_kind},
                      {"section_label", SearchValueLabel("section_kind", h.section_kind)}};
  if (h.report_id != 0) {
    j["report_id"] = h.report_id;
    j["report_title"] = h.report_title;
  }
  if (!h.file.empty()) j["file"] = h.file;
  if (h.line != 0) {
    j["line"] = h.line;
    j["column"] = h.column;
  }
  if (h.item_id != 0) j["item_id"] = h.item_id;
  if (h.progress_id != 0) {
    j["progress_id"] = h.progress_id;
    j["date"] = h.date;
  }
  if (!h.review.empty()) j["review"] = h.review;
  if (!h.status.empty()) j["status"] = h.status;
  return j;
}

json SearchResultJson(const SearchQuery& query, const SearchResult& result) {
  json hits = json::array();
  for (const SearchHit& h : result.hits) hits.push_back(SearchHitJson(h));
  return {{"schema", "taizhang.search/1"},
          {"query", query.text},
          {"total", result.total},
          {"estimated", result.estimated},
          {"facets_estimated", result.facets_estimated},
          {"offset", query.offset},
          {"hits", hits},
          {"facets",
           {{"unit", FacetJson("unit", result.units)},
            {"year", FacetJson("year", result.years)},
            {"kind", FacetJson("kind", result.kinds)},
            {"subkind", FacetJson("subkind", result.subkinds)},
            {"section_kind", FacetJson("section_kind", result.section_kinds)}}}};
}

std::string DefaultSearchDirectory(const std::string& ledger_url) {
  if (ledger_url.rfind("postgresql://", 0) == 0 || ledger_url.rfind("postgres://", 0) == 0) return "";
  return ledger_url + ".search";
}

struct SearchIndex::State {
  Xapian::WritableDatabase db;
  int64_t history_id = 0;
  Xapian::TermGenerator generator;  // one for every document: cheaper than one each
  int64_t added = 0;                // documents added since the last commit
  // Scope terms (XV…) and their keys (ScopeKeyOf), as written in the
  // metadata; filled when first needed and by Add.
  std::map<std::string, std::string> scope_terms;
  bool scope_terms_loaded = false;
  std::map<std::string, std::string> term_of_key;  // ScopeKeyOf → term, for Add

  State() { generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM); }

  std::string ScopeTerm(const std::string& key) {
    auto found = term_of_key.find(key);
    if (found != term_of_key.end()) return found->second;
    const std::string hash = ContentHash(key).substr(0, 16);
    const std::string term = "XV" + hash;
    db.set_metadata(kScopeKey + hash, key);
    term_of_key.emplace(key, term);
    if (scope_terms_loaded) scope_terms.emplace(term, key);
    return term;
  }

  // After a transaction cancelled: its metadata is gone.
  void ForgetScopeTerms() {
    scope_terms.clear();
    scope_terms_loaded = false;
    term_of_key.clear();
  }

  void LoadScopeTerms() {
    if (scope_terms_loaded) return;
    for (Xapian::TermIterator t = db.metadata_keys_begin(kScopeKey); t != db.metadata_keys_end(kScopeKey); ++t) {
      const std::string name = *t;
      scope_terms.emplace("XV" + name.substr(std::string(kScopeKey).size()), db.get_metadata(name));
    }
    scope_terms_loaded = true;
  }

  // Adds one document for `hit` (its text indexed as CJK n-grams).
  void Add(const SearchHit& hit, const std::string& group) {
    Xapian::Document doc;
    generator.set_document(doc);
    generator.index_text_without_positions(hit.text);
    const std::string year = hit.year != 0 ? std::to_string(hit.year) : "";
    doc.add_boolean_term(group);
    doc.add_boolean_term(std::string("XK") + SearchKindName(hit.kind));
    doc.add_boolean_term(ScopeTerm(ScopeKeyOf(hit)));
    if (!year.empty()) doc.add_boolean_term("XY" + year);
    if (!hit.subkind.empty()) doc.add_boolean_term("XR" + hit.subkind);
    if (!hit.section_kind.empty()) doc.add_boolean_term("XS" + hit.section_kind);
    doc.add_value(kSlotUnit, hit.unit);
    doc.add_value(kSlotYear, year);
    doc.add_value(kSlotKind, SearchKindName(hit.kind));
    doc.add_value(kSlotSubkind, hit.subkind);
    doc.add_value(kSlotSection, hit.section_kind);
    doc.set_data(HitData(hit));
    db.add_document(doc);
    ++added;
  }

  // A report's documents and its place in the metadata.
  void RemoveReport(int64_t report_id) {
    db.delete_document("GR" + std::to_string(report_id));
    db.set_metadata(kReportKey + std::to_string(report_id), "");
  }

  // The report's title and file for a sentence or finding read back.
  void FillReportPlace(SearchHit* hit) {
    if (!ReportPlace(hit->kind) || hit->report_id == 0) return;
    const std::string place = db.get_metadata(kReportKey + std::to_string(hit->report_id));
    if (place.empty()) return;
    json j = json::parse(place);
    hit->report_title = j.value("rt", "");
    hit->file = j.value("f", "");
  }

  Status IndexSource(LedgerStore& store, const SearchSources& sources, int64_t source_id, CatchUpStats* stats);
  Status IndexItem(LedgerStore& store, int64_t item_id, CatchUpStats* stats);
};

Status SearchIndex::State::IndexSource(LedgerStore& store, const SearchSources& sources, int64_t source_id,
                                       CatchUpStats* stats) {
  Result<std::optional<StoredSource>> source = store.GetSource(source_id);
  if (!source.ok()) return source.status();
  if (!*source) return Status::Ok();
  const StoredSource& file = **source;
  // A newer version replaces the older one's reports.
  if (file.previous_id != 0) {
    ReportFilter previous;
    previous.source_id = file.previous_id;
    Result<std::vector<StoredReport>> old = store.ListReports(previous);
    if (!old.ok()) return old.status();
    for (const StoredReport& r : *old) {
      RemoveReport(r.id);
      ++stats->reports_removed;
    }
  }
  ReportFilter filter;
  filter.source_id = source_id;
  Result<std::vector<StoredReport>> reports = store.ListReports(filter);
  if (!reports.ok()) return reports.status();
  if (reports->empty()) return Status::Ok();

  // Read the file again for its sentences (the store keeps none): only the
  // outline is needed.
  std::optional<AnalyzedFile> analyzed;
  if (sources.read_file) {
    Result<std::string> bytes = sources.read_file(file);
    if (bytes.ok() && ContentHash(*bytes) == file.content_hash) {
      AnalyzeOptions options;
      options.last = Stage::kOutline;
      AnalyzedFile done = AnalyzeBytes(file.path, std::move(*bytes), options);
      if (done.ok() && done.outline.reports.size() == static_cast<size_t>(file.report_count)) {
        analyzed.emplace(std::move(done));
      }
    }
  }

  for (const StoredReport& r : *reports) {
    const std::string group = "GR" + std::to_string(r.id);
    db.delete_document(group);
    db.set_metadata(kReportKey + std::to_string(r.id), json{{"rt", r.title}, {"f", file.path}}.dump());
    ++stats->reports;
    SearchHit base;
    base.kind = SearchKind::kSentence;
    base.unit = r.unit;
    base.subkind = r.kind;
    base.report_id = r.id;
    base.report_title = r.title;
    base.file = file.path;
    const int report_year = r.summary_year != 0 ? r.summary_year : r.plan_year;
    const Report* outlined = nullptr;
    if (analyzed && r.doc_index >= 1) {
      const Report& candidate = analyzed->outline.reports[static_cast<size_t>(r.doc_index - 1)];
      if (candidate.first_line == r.first_line) outlined = &candidate;
    }
    auto section_of = [&](uint32_t line) -> const Section* {
      if (outlined == nullptr) return nullptr;
      for (const Section& s : outlined->sections) {
        if (line >= s.first_line && line <= s.last_line) return &s;
      }
      return nullptr;
    };
    Result<StoredReportRows> rows = store.GetReportRows(r.id);
    if (!rows.ok()) return rows.status();
    if (outlined != nullptr) {
      const SourceText& text = analyzed->source;
      for (const Sentence& sentence : outlined->sentences) {
        SearchHit hit = base;
        hit.text = OneLine(sentence.span.In(text.text()));
        if (hit.text.empty()) continue;
        Location at = text.Locate(sentence.span.begin);
        hit.line = at.line;
        hit.column = at.column;
        const Section* section = section_of(at.line);
        hit.section_kind = section != nullptr ? SectionKindName(section->kind) : "";
        hit.year = section != nullptr && section->year != 0 ? section->year : report_year;
        Add(hit, group);
      }
    } else {
      // The file is not at hand: the headings the store keeps stand for it.
      ++stats->reports_unread;
      std::string section_kind;
      int section_year = 0;
      for (const StoredHeading& h : rows->headings) {
        if (h.depth == 1) {
          section_kind = h.section_kind;
          section_year = h.section_year;
        }
        SearchHit hit = base;
        hit.text = h.marker + h.title;
        hit.line = h.line;
        hit.column = h.column;
        hit.section_kind = section_kind;
        hit.year = section_year != 0 ? section_year : report_year;
        Add(hit, group);
      }
    }
    for (const StoredFinding& f : rows->findings) {
      SearchHit hit = base;
      hit.kind = SearchKind::kFinding;
      hit.text = f.message;
      hit.line = f.line;
      hit.column = f.column;
      const Section* section = section_of(f.line);
      hit.section_kind = section != nullptr ? SectionKindName(section->kind) : "";
      hit.year = section != nullptr && section->year != 0 ? section->year : report_year;
      Add(hit, group);
    }
  }
  return Status::Ok();
}

Status SearchIndex::State::IndexItem(LedgerStore& store, int64_t item_id, CatchUpStats* stats) {
  const std::string group = "GI" + std::to_string(item_id);
  db.delete_document(group);
  Result<LedgerItem> item = store.GetItem(item_id);
  if (!item.ok()) {
    if (item.status().code() == StatusCode::kNotFound) {
      ++stats->items_removed;
      return Status::Ok();
    }
    return item.status();
  }
  if (item->review != ReviewState::kAccepted && item->review != ReviewState::kProposed) {
    ++stats->items_removed;
    return Status::Ok();
  }
  ++stats->items;
  SearchHit hit;
  hit.kind = SearchKind::kItem;
  hit.text = item->task;
  if (!item->measures.empty()) hit.text += "（整改措施：" + item->measures + "）";
  hit.unit = item->unit;
  hit.lead_unit = item->lead_unit;
  hit.year = item->year;
  hit.subkind = item->kind == ItemKind::kPlan ? "task" : "problem";
  hit.item_id = item->id;
  hit.report_id = item->report_id;
  hit.file = item->source_file;
  hit.line = item->source_line;
  hit.review = ReviewStateName(item->review);
  hit.status = ItemStatusName(item->status);
  Add(hit, group);
  if (item->progress_note.empty()) return Status::Ok();
  Result<std::vector<ProgressEntry>> progress = store.ListProgress(item_id);
  if (!progress.ok()) return progress.status();
  for (const ProgressEntry& p : *progress) {
    if (p.note.empty()) continue;
    SearchHit note = hit;
    note.kind = SearchKind::kProgress;
    note.text = p.note;
    note.progress_id = p.id;
    note.date = p.date;
    note.file.clear();
    note.line = 0;
    note.report_id = 0;
    Add(note, group);
  }
  return Status::Ok();
}

SearchIndex::SearchIndex(std::string directory, std::unique_ptr<State> state)
    : directory_(std::move(directory)), state_(std::move(state)) {}
SearchIndex::~SearchIndex() = default;

int64_t SearchIndex::history_id() const { return std::max<int64_t>(state_->history_id, 0); }

Result<std::unique_ptr<SearchIndex>> SearchIndex::Open(const std::string& directory) {
  if (directory.empty()) return Status(StatusCode::kInvalidArgument, "没有给出检索索引的目录。");
  try {
    auto state = std::make_unique<State>();
    state->db = Xapian::WritableDatabase(directory, Xapian::DB_CREATE_OR_OPEN);
    std::string recorded = state->db.get_metadata(kHistoryKey);
    state->history_id = recorded.empty() ? 0 : std::stoll(recorded);
    if (state->db.get_metadata(kFormatKey) != kFormat) {
      if (recorded.empty() && state->db.get_doccount() == 0) {
        state->db.set_metadata(kFormatKey, kFormat);  // a new index
        state->db.commit();
      } else {
        state->history_id = -1;  // an older layout: built again by the next catch-up
      }
    }
    return std::unique_ptr<SearchIndex>(new SearchIndex(directory, std::move(state)));
  } catch (const Xapian::Error& e) {
    return XapianError(directory, e);
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, "检索索引 " + directory + " 无法打开：" + e.what());
  }
}

Result<CatchUpStats> SearchIndex::CatchUp(LedgerStore& store, const SearchSources& sources) {
  CatchUpStats stats;
  Result<int64_t> last = store.LastHistoryId();
  if (!last.ok()) return last.status();
  State& s = *state_;
  try {
    int64_t from = s.history_id;
    if (*last < from || from < 0) {
      // The store is older than the index (restored from a backup, or
      // another database), or the index has an older layout: start again.
      s.db.close();
      s.db = Xapian::WritableDatabase(directory_, Xapian::DB_CREATE_OR_OVERWRITE);
      s.db.set_metadata(kFormatKey, kFormat);
      s.db.commit();
      s.ForgetScopeTerms();
      s.history_id = 0;
      from = 0;
      stats.rebuilt = true;
    }
    if (*last == from && !stats.rebuilt) {
      stats.history_id = from;
      stats.documents = s.db.get_doccount();
      return stats;
    }
    Result<std::vector<std::pair<std::string, int64_t>>> changed = HistoryEntitiesSince(store, from, *last);
    if (!changed.ok()) return changed.status();
    s.db.begin_transaction();
    s.added = 0;
    Status status = Status::Ok();
    for (const auto& [entity, id] : *changed) {
      if (sources.stop && sources.stop()) {
        status = Status(StatusCode::kAborted, "检索索引的更新已中止：" + directory_);
        break;
      }
      if (entity == "source") {
        status = s.IndexSource(store, sources, id, &stats);
      } else if (entity == "item") {
        status = s.IndexItem(store, id, &stats);
      }
      if (!status.ok()) break;
      // A big catch-up (a first one after a bulk import) commits every
      // SearchSources::commit_every documents, so that Xapian's memory stays bounded. The
      // history row recorded is not advanced by these commits, only by the
      // last: after a stop or a crash the next catch-up does the same
      // files and items again, and since each is indexed by removing its
      // group's documents first, nothing is indexed twice.
      if (s.added >= sources.commit_every) {
        s.db.commit_transaction();
        s.db.begin_transaction();
        s.added = 0;
      }
    }
    if (!status.ok()) {
      s.db.cancel_transaction();
      s.ForgetScopeTerms();
      return status;
    }
    s.db.set_metadata(kHistoryKey, std::to_string(*last));
    s.db.commit_transaction();
    s.history_id = *last;
    stats.history_id = *last;
    stats.documents = s.db.get_doccount();
    return stats;
  } catch (const Xapian::Error& e) {
    try {
      s.db.cancel_transaction();
    } catch (const Xapian::Error&) {
    }
    s.ForgetScopeTerms();
    return XapianError(directory_, e);
  }
}

Result<SearchResult> SearchIndex::Search(const SearchQuery& query) {
  std::vector<std::string> words = QueryWords(query.text);
  if (words.empty()) return Status(StatusCode::kInvalidArgument, "请输入要查找的文字。");
  std::vector<std::string> folded;
  for (const std::string& w : words) folded.push_back(FoldAscii(w));
  State& s = *state_;
  try {
    // Candidates: documents holding every n-gram of every word. A word of
    // one or two Chinese characters is a term itself (single characters
    // and neighbouring pairs inside a run of Chinese characters are all
    // indexed, nothing else makes such a term), so its candidates are
    // exactly the texts containing it; other words are confirmed below.
    std::vector<Xapian::Query> parts;
    bool confirm = false;
    for (const std::string& w : words) {
      Xapian::Document scratch;
      Xapian::TermGenerator generator;
      generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
      generator.set_document(scratch);
      generator.index_text_without_positions(w);
      std::set<std::string> terms;
      for (Xapian::TermIterator t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t) terms.insert(*t);
      bool exact = CodePoints(w) <= 2 && terms.count(w) > 0;
      for (size_t i = 0; exact && i < w.size();) {
        size_t n = 1;
        while (i + n < w.size() && (static_cast<unsigned char>(w[i + n]) & 0xC0) == 0x80) ++n;
        exact = terms.count(w.substr(i, n)) > 0;
        i += n;
      }
      if (exact) {
        parts.emplace_back(w);
      } else {
        confirm = true;
        // A pair implies its two characters: those are left out (the
        // shorter posting lists decide).
        for (const std::string& t : terms) {
          bool implied = false;
          if (CodePoints(t) == 1) {
            for (const std::string& u : terms) implied = implied || (CodePoints(u) == 2 && u.find(t) != std::string::npos);
          }
          if (!implied) parts.emplace_back(t);
        }
      }
    }
    Xapian::Query candidates = parts.empty() ? Xapian::Query::MatchAll
                                             : Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
    std::vector<Xapian::Query> filters;
    if (query.year != 0) filters.emplace_back("XY" + std::to_string(query.year));
    if (query.kind) filters.emplace_back(std::string("XK") + SearchKindName(*query.kind));
    if (!query.subkind.empty()) filters.emplace_back("XR" + query.subkind);
    if (!query.section_kind.empty()) filters.emplace_back("XS" + query.section_kind);
    SearchResult result;
    // The unit filter and the caller's scope, decided once per scope term.
    std::optional<Xapian::Query> excluded;
    if (!query.unit.empty() || query.visible) {
      s.LoadScopeTerms();
      std::vector<Xapian::Query> allowed, denied;
      for (const auto& [term, key] : s.scope_terms) {
        const size_t a = key.find('\x1f'), b = key.find('\x1f', a + 1);
        SearchHit probe;
        probe.kind = key.substr(0, a) == "i" ? SearchKind::kItem : SearchKind::kSentence;
        probe.unit = key.substr(a + 1, b - a - 1);
        probe.lead_unit = key.substr(b + 1);
        const bool ok = (query.unit.empty() || UnitMatches(query.unit, probe.unit)) &&
                        (!query.visible || query.visible(probe));
        (ok ? allowed : denied).emplace_back(term);
      }
      if (allowed.empty()) return result;
      if (!denied.empty()) {
        if (allowed.size() <= denied.size()) {
          filters.emplace_back(Xapian::Query::OP_OR, allowed.begin(), allowed.end());
        } else {
          excluded = Xapian::Query(Xapian::Query::OP_OR, denied.begin(), denied.end());
        }
      }
    }
    if (!filters.empty()) {
      candidates = Xapian::Query(Xapian::Query::OP_FILTER, candidates,
                                 Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    if (excluded) candidates = Xapian::Query(Xapian::Query::OP_AND_NOT, candidates, *excluded);
    Xapian::Enquire enquire(s.db);
    enquire.set_query(candidates);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::doccount all = std::max<Xapian::doccount>(s.db.get_doccount(), 1);
    const Xapian::doccount first = static_cast<Xapian::doccount>(std::max<int64_t>(query.offset, 0));
    const Xapian::doccount count = query.limit > 0 ? static_cast<Xapian::doccount>(query.limit) : all;
    std::map<std::string, int64_t> counts[5];
    double scale = 1.0;
    if (!confirm) {
      // Every candidate is a hit: the total and the facets by Xapian alone,
      // exact up to kSearchExactUpTo hits (or when every hit is asked for).
      Xapian::ValueCountMatchSpy spies[5] = {Xapian::ValueCountMatchSpy(kSlotUnit), Xapian::ValueCountMatchSpy(kSlotYear),
                                             Xapian::ValueCountMatchSpy(kSlotKind), Xapian::ValueCountMatchSpy(kSlotSubkind),
                                             Xapian::ValueCountMatchSpy(kSlotSection)};
      for (Xapian::ValueCountMatchSpy& spy : spies) enquire.add_matchspy(&spy);
      const Xapian::doccount at_least =
          query.limit > 0 ? std::max<Xapian::doccount>(first + count, static_cast<Xapian::doccount>(query.exact_up_to)) : all;
      Xapian::MSet mset = enquire.get_mset(first, count, at_least);
      result.total = static_cast<int64_t>(mset.get_matches_estimated());
      // Xapian knows a single term's count without looking: the total can
      // be exact while the spies saw only a part.
      result.estimated = mset.get_matches_lower_bound() != mset.get_matches_upper_bound();
      if (result.estimated) result.total = EstimateByDocid(enquire, s.db, query.exact_up_to).first;
      result.candidates = result.total;
      for (int k = 0; k < 5; ++k) counts[k] = SpyCounts(spies[k]);
      const auto seen = static_cast<int64_t>(spies[0].get_total());
      result.facets_estimated = result.estimated || seen < result.total;
      if (result.facets_estimated && seen > 0) scale = static_cast<double>(result.total) / static_cast<double>(seen);
      for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        SearchHit hit = HitFromData(it.get_document().get_data());
        s.FillReportPlace(&hit);
        hit.parts = MarkParts(hit.text, folded);
        result.hits.push_back(std::move(hit));
      }
    } else {
      // Candidates read in docid order and confirmed: as many as the page
      // needs, and up to kSearchCheckUpTo for an exact total.
      const int64_t needed = query.limit > 0 ? static_cast<int64_t>(first) + query.limit
                                             : std::numeric_limits<int64_t>::max();
      int64_t checked = 0, confirmed = 0;
      Xapian::doccount at = 0;
      bool exhausted = false;
      int64_t candidate_estimate = 0;
      const auto kChunk = static_cast<Xapian::doccount>(std::clamp<int64_t>(query.check_up_to, 8, 256));
      while (!exhausted && (confirmed < needed || checked < query.check_up_to)) {
        Xapian::MSet mset = enquire.get_mset(at, kChunk, at + kChunk + 1);
        candidate_estimate = static_cast<int64_t>(mset.get_matches_estimated());
        for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
          ++checked;
          Xapian::Document doc = it.get_document();
          const std::string data = doc.get_data();
          if (!Confirm(data, folded)) continue;
          if (confirmed >= static_cast<int64_t>(first) && confirmed < needed) {
            SearchHit hit = HitFromData(data);
            s.FillReportPlace(&hit);
            hit.parts = MarkParts(hit.text, folded);
            result.hits.push_back(std::move(hit));
          }
          ++confirmed;
          for (Xapian::valueno k = 0; k < 5; ++k) ++counts[k][doc.get_value(k)];
        }
        at += static_cast<Xapian::doccount>(mset.size());
        exhausted = mset.size() < kChunk;
      }
      if (exhausted) {
        result.total = confirmed;
        result.candidates = checked;
      } else {
        // An estimate: the candidates (counted up to exact_up_to, else
        // extrapolated by docid) times the share confirmed.
        candidate_estimate = std::max<int64_t>(EstimateByDocid(enquire, s.db, query.exact_up_to).first, checked);
        result.candidates = candidate_estimate;
        result.total = std::max<int64_t>(
            confirmed, std::llround(static_cast<double>(candidate_estimate) * static_cast<double>(confirmed) /
                                    static_cast<double>(std::max<int64_t>(checked, 1))));
        result.estimated = true;
        result.facets_estimated = true;
        if (confirmed > 0) scale = static_cast<double>(result.total) / static_cast<double>(confirmed);
      }
    }
    result.units = Facets(counts[kSlotUnit], scale);
    result.years = Facets(counts[kSlotYear], scale);
    std::sort(result.years.begin(), result.years.end(),
              [](const FacetCount& a, const FacetCount& b) { return a.value > b.value; });
    result.kinds = Facets(counts[kSlotKind], scale);
    result.subkinds = Facets(counts[kSlotSubkind], scale);
    result.section_kinds = Facets(counts[kSlotSection], scale);
    return result;
  } catch (const Xapian::Error& e) {
    return XapianError(directory_, e);
  }
}

}  // namespace taizhang
