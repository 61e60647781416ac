// The search index: a Xapian database derived from the ledger store (see
// search.h for the contract and docs/search.md for the design).
//
// Each document is one sentence, item, progress note or finding. Its data
// is the hit as JSON (what the result shows); its terms are the CJK n-grams
// of its text (TermGenerator::FLAG_CJK_NGRAM: every character and every
// pair of neighbouring characters) for finding candidates, boolean terms
// for the filters (XY year, XK kind, XR subkind, XS section kind) and a
// group term (GR<report id>, GI<item id>) that removes a report's or an
// item's documents at once. Values hold the facets.
#include <xapian.h>

#include <algorithm>
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

Status XapianError(const std::string& directory, const Xapian::Error& e) {
  std::string what = e.get_msg();
  if (e.get_type() == std::string("DatabaseLockError")) {
    return Status(StatusCode::kAborted, "检索索引 " + directory + " 正被另一个进程使用（" + what + "），请稍后再试。");
  }
  return Status(StatusCode::kInternal, "检索索引 " + directory + " 出错：" + std::string(e.get_type()) + "：" + what);
}

json HitJson(const SearchHit& h) {
  json j = {{"k", SearchKindName(h.kind)}, {"t", h.text}, {"u", h.unit}, {"y", h.year}};
  if (!h.lead_unit.empty()) j["lu"] = h.lead_unit;
  if (!h.subkind.empty()) j["sk"] = h.subkind;
  if (!h.section_kind.empty()) j["sc"] = h.section_kind;
  if (h.report_id != 0) {
    j["r"] = h.report_id;
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

SearchHit HitFromJson(const std::string& data) {
  json j = json::parse(data);
  SearchHit h;
  h.kind = ParseSearchKind(j.value("k", "sentence")).value_or(SearchKind::kSentence);
  h.text = j.value("t", "");
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

// Accepts a candidate when every word occurs in its text literally and the
// filters that are not terms (unit, the caller's scope) let it through;
// keeps what it parsed for the page.
class HitDecider : public Xapian::MatchDecider {
 public:
  HitDecider(const SearchQuery& query, std::vector<std::string> folded_words)
      : query_(query), words_(std::move(folded_words)) {
    for (const std::string& w : words_) {
      bool plain = true;
      for (unsigned char c : w) {
        if (c < 0x20 || c == '"' || c == '\\' || (c >= 'a' && c <= 'z')) plain = false;
      }
      plain_.push_back(plain);
    }
  }

  bool operator()(const Xapian::Document& doc) const override {
    ++candidates_;
    const std::string data = doc.get_data();
    // The JSON holds non-ASCII text as it is: a word without quotes,
    // backslashes or letters that is not in the data is not in the text.
    for (size_t k = 0; k < words_.size(); ++k) {
      if (plain_[k] && data.find(words_[k]) == std::string::npos) return false;
    }
    SearchHit hit = HitFromJson(data);
    const std::string folded = FoldAscii(hit.text);
    for (const std::string& w : words_) {
      if (folded.find(w) == std::string::npos) return false;
    }
    if (!query_.unit.empty() && !UnitMatches(query_.unit, hit.unit)) return false;
    if (query_.visible && !query_.visible(hit)) return false;
    accepted_.emplace(doc.get_docid(), std::move(hit));
    return true;
  }

  std::map<Xapian::docid, SearchHit>& accepted() const { return accepted_; }
  int64_t candidates() const { return candidates_; }

 private:
  const SearchQuery& query_;
  std::vector<std::string> words_;
  std::vector<bool> plain_;
  mutable std::map<Xapian::docid, SearchHit> accepted_;
  mutable int64_t candidates_ = 0;
};

std::vector<FacetCount> Facets(const Xapian::ValueCountMatchSpy& spy) {
  std::vector<FacetCount> out;
  for (Xapian::TermIterator it = spy.values_begin(); it != spy.values_end(); ++it) {
    if ((*it).empty()) continue;
    out.push_back({*it, static_cast<int64_t>(it.get_termfreq())});
  }
  std::stable_sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
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

  // Adds one document for `hit` (its text indexed as CJK n-grams).
  void Add(const SearchHit& hit, const std::string& group) {
    Xapian::Document doc;
    Xapian::TermGenerator generator;
    generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    generator.set_document(doc);
    generator.index_text_without_positions(hit.text);
    const std::string year = hit.year != 0 ? std::to_string(hit.year) : "";
    doc.add_boolean_term(group);
    doc.add_boolean_term(std::string("XK") + SearchKindName(hit.kind));
    if (!year.empty()) doc.add_boolean_term("XY" + year);
    if (!hit.subkind.empty()) doc.add_boolean_term("XR" + hit.subkind);
    if (!hit.section_kind.empty()) doc.add_boolean_term("XS" + hit.section_kind);
    doc.add_value(kSlotUnit, hit.unit);
    doc.add_value(kSlotYear, year);
    doc.add_value(kSlotKind, SearchKindName(hit.kind));
    doc.add_value(kSlotSubkind, hit.subkind);
    doc.add_value(kSlotSection, hit.section_kind);
    doc.set_data(HitJson(hit).dump());
    db.add_document(doc);
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
      db.delete_document("GR" + std::to_string(r.id));
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

int64_t SearchIndex::history_id() const { return state_->history_id; }

Result<std::unique_ptr<SearchIndex>> SearchIndex::Open(const std::string& directory) {
  if (directory.empty()) return Status(StatusCode::kInvalidArgument, "没有给出检索索引的目录。");
  try {
    auto state = std::make_unique<State>();
    state->db = Xapian::WritableDatabase(directory, Xapian::DB_CREATE_OR_OPEN);
    std::string recorded = state->db.get_metadata(kHistoryKey);
    state->history_id = recorded.empty() ? 0 : std::stoll(recorded);
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
    if (*last < from) {
      // The store is older than the index (restored from a backup, or
      // another database): start again.
      s.db.close();
      s.db = Xapian::WritableDatabase(directory_, Xapian::DB_CREATE_OR_OVERWRITE);
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
    }
    if (!status.ok()) {
      s.db.cancel_transaction();
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
    // Candidates: documents holding every n-gram of every word.
    std::vector<Xapian::Query> parts;
    for (const std::string& w : words) {
      Xapian::Document scratch;
      Xapian::TermGenerator generator;
      generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
      generator.set_document(scratch);
      generator.index_text_without_positions(w);
      for (Xapian::TermIterator t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t) {
        parts.emplace_back(*t);
      }
    }
    Xapian::Query candidates = parts.empty() ? Xapian::Query::MatchAll
                                             : Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
    std::vector<Xapian::Query> filters;
    if (query.year != 0) filters.emplace_back("XY" + std::to_string(query.year));
    if (query.kind) filters.emplace_back(std::string("XK") + SearchKindName(*query.kind));
    if (!query.subkind.empty()) filters.emplace_back("XR" + query.subkind);
    if (!query.section_kind.empty()) filters.emplace_back("XS" + query.section_kind);
    if (!filters.empty()) {
      candidates = Xapian::Query(Xapian::Query::OP_FILTER, candidates,
                                 Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    Xapian::Enquire enquire(s.db);
    enquire.set_query(candidates);
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    Xapian::ValueCountMatchSpy units(kSlotUnit), years(kSlotYear), kinds(kSlotKind), subkinds(kSlotSubkind),
        sections(kSlotSection);
    for (Xapian::ValueCountMatchSpy* spy : {&units, &years, &kinds, &subkinds, &sections}) enquire.add_matchspy(spy);
    HitDecider decider(query, folded);
    const Xapian::doccount all = std::max<Xapian::doccount>(s.db.get_doccount(), 1);
    const Xapian::doccount first = static_cast<Xapian::doccount>(std::max<int64_t>(query.offset, 0));
    const Xapian::doccount count = query.limit > 0 ? static_cast<Xapian::doccount>(query.limit) : all;
    Xapian::MSet mset = enquire.get_mset(first, count, all, nullptr, &decider);
    SearchResult result;
    result.total = static_cast<int64_t>(mset.get_matches_estimated());
    result.candidates = decider.candidates();
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
      auto found = decider.accepted().find(*it);
      SearchHit hit = found != decider.accepted().end() ? std::move(found->second)
                                                        : HitFromJson(it.get_document().get_data());
      hit.score = it.get_weight();
      hit.parts = MarkParts(hit.text, folded);
      result.hits.push_back(std::move(hit));
    }
    result.units = Facets(units);
    result.years = Facets(years);
    std::sort(result.years.begin(), result.years.end(),
              [](const FacetCount& a, const FacetCount& b) { return a.value > b.value; });
    result.kinds = Facets(kinds);
    result.subkinds = Facets(subkinds);
    result.section_kinds = Facets(sections);
    return result;
  } catch (const Xapian::Error& e) {
    return XapianError(directory_, e);
  }
}

}  // namespace taizhang
