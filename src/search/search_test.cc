// The search index over the seed compilation imported into a ledger: every
// query's hits are exactly the sentences, items and findings that contain
// the words (checked against a plain scan of the same texts), and the index
// follows imports, edits and reviews made after it was built.
#include "search/search.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/app.h"
#include "outline/outline.h"
#include "pipeline/pipeline.h"

namespace taizhang {
namespace {

namespace fs = std::filesystem;

const std::string kSeed = std::string(TAIZHANG_SHARED_DIR) + "/corpus/seed/000_149dd883a1863841.txt";

Result<std::string> ReadFromDisk(const StoredSource& file) {
  std::ifstream in(file.path, std::ios::binary);
  if (!in) return Status(StatusCode::kNotFound, "读不到 " + file.path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Queries of 2, 3 and 4 characters, names, figures and two-word queries,
// taken from the seed (tests/search/queries.tsv: the query and the least
// number of hits a person finds in the seed by reading it).
std::vector<std::pair<std::string, int>> Queries() {
  std::ifstream in(std::string(TAIZHANG_SOURCE_DIR) + "/tests/search/queries.tsv");
  std::vector<std::pair<std::string, int>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out.emplace_back(line.substr(0, tab), std::stoi(line.substr(tab + 1)));
  }
  return out;
}

class SearchSeed : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("taizhang-search-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = LedgerStore::Open((dir_ / "ledger.db").string(), "张三");
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    auto imported = ImportDocument(*store_, kSeed, {});
    ASSERT_TRUE(imported.ok()) << imported.status().message();
    ASSERT_EQ(imported->reports, 16);
    auto index = SearchIndex::Open((dir_ / "ledger.db.search").string());
    ASSERT_TRUE(index.ok()) << index.status().message();
    index_ = std::move(*index);
    sources_.read_file = ReadFromDisk;
    auto caught = index_->CatchUp(*store_, sources_);
    ASSERT_TRUE(caught.ok()) << caught.status().message();
    EXPECT_EQ(caught->reports, 16);
    EXPECT_EQ(caught->reports_unread, 0);
    EXPECT_GT(caught->items, 500);
  }
  void TearDown() override {
    index_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  SearchResult Find(SearchQuery query) {
    auto caught = index_->CatchUp(*store_, sources_);
    EXPECT_TRUE(caught.ok()) << caught.status().message();
    query.limit = 0;
    auto result = index_->Search(query);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? *result : SearchResult{};
  }

  // The reference: every text the index should hold, by kind, scanned plainly.
  std::map<SearchKind, std::vector<std::string>> Texts() {
    std::map<SearchKind, std::vector<std::string>> texts;
    AnalyzeOptions options;
    options.last = Stage::kOutline;
    AnalyzedFile file = AnalyzeFile(kSeed, options);
    EXPECT_TRUE(file.ok());
    for (const Report& r : file.outline.reports) {
      for (const Sentence& s : r.sentences) {
        std::string text;
        for (char c : s.span.In(file.source.text())) {
          if (c != '\n' && c != '\r') text += c;
        }
        if (!text.empty()) texts[SearchKind::kSentence].push_back(text);
      }
    }
    ItemFilter all;
    all.review.reset();
    auto items = store_->ListItems(all);
    EXPECT_TRUE(items.ok());
    for (const LedgerItem& item : *items) {
      if (item.review == ReviewState::kAccepted || item.review == ReviewState::kProposed) {
        texts[SearchKind::kItem].push_back(item.task);
      }
    }
    auto reports = store_->ListReports({});
    EXPECT_TRUE(reports.ok());
    for (const StoredReport& r : *reports) {
      auto rows = store_->GetReportRows(r.id);
      EXPECT_TRUE(rows.ok());
      for (const StoredFinding& f : rows->findings) texts[SearchKind::kFinding].push_back(f.message);
    }
    return texts;
  }

  fs::path dir_;
  std::unique_ptr<LedgerStore> store_;
  std::unique_ptr<SearchIndex> index_;
  SearchSources sources_;
};

int64_t CountContaining(const std::vector<std::string>& texts, const std::vector<std::string>& words) {
  int64_t n = 0;
  for (const std::string& t : texts) {
    bool all = true;
    for (const std::string& w : words) all = all && t.find(w) != std::string::npos;
    n += all ? 1 : 0;
  }
  return n;
}

std::vector<std::string> Words(const std::string& query) {
  std::vector<std::string> words;
  std::istringstream in(query);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

TEST_F(SearchSeed, EveryQueryFindsExactlyTheTextsThatContainIt) {
  const auto texts = Texts();
  const auto queries = Queries();
  ASSERT_GE(queries.size(), 50u);
  for (const auto& [query, at_least] : queries) {
    SCOPED_TRACE(query);
    const std::vector<std::string> words = Words(query);
    int64_t expected_total = 0;
    for (SearchKind kind : {SearchKind::kSentence, SearchKind::kItem, SearchKind::kFinding}) {
      SearchQuery q;
      q.text = query;
      q.kind = kind;
      SearchResult r = Find(q);
      const int64_t expected = CountContaining(texts.at(kind), words);
      EXPECT_EQ(r.total, expected) << SearchKindName(kind);
      EXPECT_EQ(static_cast<int64_t>(r.hits.size()), r.total);
      expected_total += expected;
      for (const SearchHit& h : r.hits) {
        for (const std::string& w : words) EXPECT_NE(h.text.find(w), std::string::npos) << h.text;
        std::string marked;
        bool any = false;
        for (const SearchPart& p : h.parts) {
          marked += p.text;
          any = any || p.hit;
        }
        EXPECT_EQ(marked, h.text);
        EXPECT_TRUE(any);
      }
    }
    EXPECT_GE(expected_total, at_least) << "the seed has fewer texts with it than the list says";
  }
}

TEST_F(SearchSeed, HitsLinkToTheReportPlaceAndCarryFacets) {
  SearchQuery q;
  q.text = "河长制";
  q.kind = SearchKind::kSentence;
  SearchResult r = Find(q);
  ASSERT_GT(r.total, 0);
  AnalyzedFile file = AnalyzeFile(kSeed, {});
  for (const SearchHit& h : r.hits) {
    EXPECT_GT(h.report_id, 0);
    EXPECT_EQ(h.file, kSeed);
    ASSERT_GE(h.line, 1u);
    // The line the hit names holds the start of its sentence.
    std::string_view line = file.source.Line(h.line);
    EXPECT_NE(line.find(h.text.substr(0, std::min<size_t>(h.text.size(), 9))), std::string_view::npos) << h.text;
    EXPECT_FALSE(h.unit.empty());
    EXPECT_GT(h.year, 2000);
  }
  // Facets add up to the total, and a facet used as a filter gives its count.
  int64_t sum = 0;
  for (const FacetCount& f : r.units) sum += f.count;
  EXPECT_EQ(sum, r.total);
  ASSERT_FALSE(r.years.empty());
  SearchQuery by_year = q;
  by_year.year = std::stoi(r.years.front().value);
  EXPECT_EQ(Find(by_year).total, r.years.front().count);
  SearchQuery by_unit = q;
  by_unit.unit = r.units.front().value;
  SearchResult unit_hits = Find(by_unit);
  EXPECT_GE(unit_hits.total, r.units.front().count);
  for (const SearchHit& h : unit_hits.hits) EXPECT_TRUE(UnitMatches(by_unit.unit, h.unit)) << h.unit;
  ASSERT_FALSE(r.section_kinds.empty());
  SearchQuery by_section = q;
  by_section.section_kind = r.section_kinds.front().value;
  EXPECT_EQ(Find(by_section).total, r.section_kinds.front().count);
  // Paging: the pages put together are the whole list.
  SearchQuery page = q;
  page.limit = 2;
  page.offset = 1;
  auto paged = index_->Search(page);
  ASSERT_TRUE(paged.ok());
  EXPECT_EQ(paged->total, r.total);
  ASSERT_EQ(paged->hits.size(), std::min<size_t>(2, r.hits.size() - 1));
  EXPECT_EQ(paged->hits[0].text, r.hits[1].text);
}

// The scope (SearchQuery::visible) is asked once per kind, unit and lead
// unit and becomes a filter: the total and the facets count only what it
// lets through, and it sees no text.
TEST_F(SearchSeed, TheScopeFiltersTotalsAndFacetsWithoutLookingAtHits) {
  SearchQuery q;
  q.text = "整改";
  q.limit = 0;
  SearchResult everything = Find(q);
  ASSERT_GE(everything.units.size(), 2u);
  const std::string unit = everything.units[1].value;
  int64_t asked = 0;
  q.visible = [&](const SearchHit& h) {
    ++asked;
    EXPECT_TRUE(h.text.empty());
    return h.unit == unit;
  };
  SearchResult scoped = Find(q);
  EXPECT_GT(asked, 0);
  int64_t expected = 0;
  for (const SearchHit& h : everything.hits) expected += h.unit == unit ? 1 : 0;
  EXPECT_EQ(scoped.total, expected);
  EXPECT_EQ(static_cast<int64_t>(scoped.hits.size()), expected);
  for (const SearchHit& h : scoped.hits) EXPECT_EQ(h.unit, unit);
  ASSERT_EQ(scoped.units.size(), 1u);
  EXPECT_EQ(scoped.units[0].count, expected);
  // Only items (by their lead unit), a three-character word confirmed.
  q.text = "整改措施";
  q.visible = [](const SearchHit& h) { return h.kind == SearchKind::kItem; };
  SearchResult items = Find(q);
  for (const SearchHit& h : items.hits) EXPECT_TRUE(h.kind == SearchKind::kItem || h.kind == SearchKind::kProgress);
  q.visible = [](const SearchHit&) { return false; };
  EXPECT_EQ(Find(q).total, 0);
  EXPECT_TRUE(Find(q).units.empty());
}

// With many hits the total is estimated and said to be; the page is still
// exactly the hits in order, for words confirmed or not.
TEST_F(SearchSeed, ManyHitsAreCountedApproximatelyButListedExactly) {
  for (const std::string word : {"项目", "2023年", "乡村振兴", "安全", "水库 安全"}) {
    SCOPED_TRACE(word);
    SearchQuery q;
    q.text = word;
    q.limit = 0;
    SearchResult all = Find(q);
    EXPECT_FALSE(all.estimated);
    ASSERT_GT(all.total, 6);
    SearchQuery small = q;
    small.limit = 3;
    small.offset = 2;
    small.exact_up_to = 4;
    small.check_up_to = 4;
    auto page = index_->Search(small);
    ASSERT_TRUE(page.ok());
    // One or two Chinese characters: Xapian counts the term exactly, the
    // facets are scaled from what it looked at.
    const bool one_term = word == "项目" || word == "安全";
    EXPECT_EQ(page->estimated, !one_term);
    EXPECT_TRUE(page->facets_estimated);
    if (one_term) EXPECT_EQ(page->total, all.total);
    EXPECT_GE(page->total, 5);
    EXPECT_LE(page->total, 3 * all.candidates + 10);
    ASSERT_EQ(page->hits.size(), 3u);
    for (size_t k = 0; k < 3; ++k) {
      EXPECT_EQ(page->hits[k].text, all.hits[k + 2].text);
      EXPECT_EQ(page->hits[k].report_title, all.hits[k + 2].report_title);
      EXPECT_EQ(page->hits[k].file, all.hits[k + 2].file);
    }
    ASSERT_FALSE(page->units.empty());
    // The default thresholds count the seed exactly.
    small.exact_up_to = kSearchExactUpTo;
    small.check_up_to = kSearchCheckUpTo;
    auto exact = index_->Search(small);
    ASSERT_TRUE(exact.ok());
    EXPECT_FALSE(exact->estimated);
    EXPECT_EQ(exact->total, all.total);
    EXPECT_EQ(SearchResultJson(small, *exact)["estimated"], false);
    EXPECT_EQ(SearchResultJson(small, *page)["estimated"], !one_term);
    EXPECT_EQ(SearchResultJson(small, *page)["facets_estimated"], true);
    EXPECT_FALSE(exact->facets_estimated);
    int64_t sum = 0;
    for (const FacetCount& f : exact->kinds) sum += f.count;
    EXPECT_EQ(sum, all.total);
  }
}

TEST_F(SearchSeed, TwoCharacterWordsAreNotFoundAcrossOtherWords) {
  // 河长 occurs in 河长制 and 河长 alone, never matched by 河道 … 长度.
  SearchQuery q;
  q.text = "河长";
  SearchResult r = Find(q);
  ASSERT_GT(r.total, 0);
  for (const SearchHit& h : r.hits) EXPECT_NE(h.text.find("河长"), std::string::npos);
  q.text = "长河";  // both characters are frequent, the pair never written
  EXPECT_EQ(Find(q).total, CountContaining(Texts()[SearchKind::kSentence], {"长河"}) +
                               CountContaining(Texts()[SearchKind::kItem], {"长河"}));
}

TEST_F(SearchSeed, EditsReviewsAndProgressAreFoundByTheNextSearch) {
  SearchQuery q;
  q.kind = SearchKind::kItem;
  // A new item.
  NewItem added;
  added.unit = "县水利局";
  added.year = 2024;
  added.task = "完成云水湾生态护岸示范段建设";
  auto item = store_->AddItem(added);
  ASSERT_TRUE(item.ok()) << item.status().message();
  q.text = "云水湾";
  SearchResult r = Find(q);
  ASSERT_EQ(r.total, 1);
  EXPECT_EQ(r.hits[0].item_id, item->id);
  EXPECT_EQ(r.hits[0].unit, "县水利局");
  // Its text changed: the old words are gone, the new found.
  ItemChange change;
  change.task = "完成月亮湾生态护岸示范段建设";
  ASSERT_TRUE(store_->UpdateItem(item->id, std::nullopt, change).ok());
  EXPECT_EQ(Find(q).total, 0);
  q.text = "月亮湾";
  EXPECT_EQ(Find(q).total, 1);
  // A progress note.
  ProgressEntry entry;
  entry.date = "2024-05-01";
  entry.note = "护岸基础浇筑完成三百米";
  ASSERT_TRUE(store_->AddProgress(item->id, std::nullopt, entry, false).ok());
  SearchQuery notes;
  notes.text = "三百米";
  notes.kind = SearchKind::kProgress;
  r = Find(notes);
  ASSERT_EQ(r.total, 1);
  EXPECT_EQ(r.hits[0].item_id, item->id);
  EXPECT_EQ(r.hits[0].date, "2024-05-01");
  // A proposal rejected leaves the index.
  ItemFilter proposals;
  proposals.review = ReviewState::kProposed;
  auto listed = store_->ListItems(proposals);
  ASSERT_TRUE(listed.ok());
  ASSERT_FALSE(listed->empty());
  const LedgerItem victim = listed->front();
  SearchQuery exact;
  exact.text = victim.task;
  exact.kind = SearchKind::kItem;
  r = Find(exact);
  bool found = false;
  for (const SearchHit& h : r.hits) found = found || h.item_id == victim.id;
  EXPECT_TRUE(found) << victim.task;
  ASSERT_TRUE(store_->RejectItems({{victim.id, std::nullopt}}, "不是任务").ok());
  r = Find(exact);
  for (const SearchHit& h : r.hits) EXPECT_NE(h.item_id, victim.id);
}

TEST_F(SearchSeed, ANewVersionOfAFileReplacesItsReportsAndAStoreOlderThanTheIndexIsIndexedAgain) {
  SearchQuery q;
  q.text = "河长制";
  q.kind = SearchKind::kSentence;
  const int64_t before = Find(q).total;
  ASSERT_GT(before, 0);
  // The same path with changed content: a new version, whose reports replace the old.
  const fs::path copy = dir_ / "汇编.txt";
  std::string text;
  {
    std::ifstream in(kSeed, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  text += "\n";  // other bytes than the seed's: a file of its own
  {
    std::ofstream out(copy, std::ios::binary);
    out << text;
  }
  auto first = ImportDocument(*store_, copy.string(), {});
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->kind, ImportOutcome::kNew);
  EXPECT_EQ(Find(q).total, 2 * before);  // two files, each with its reports
  size_t at = text.rfind("河长制");  // the last: its sentence names it once
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("河长制").size(), "湖长制");
  {
    std::ofstream out(copy, std::ios::binary);
    out << text;
  }
  auto again = ImportDocument(*store_, copy.string(), {});
  ASSERT_TRUE(again.ok()) << again.status().message();
  ASSERT_EQ(again->kind, ImportOutcome::kNewVersion);
  EXPECT_EQ(Find(q).total, 2 * before - 1);
  q.text = "湖长制";
  EXPECT_GE(Find(q).total, 1);

  // Another, empty store under the same index: nothing of the old remains.
  auto empty = LedgerStore::Open((dir_ / "other.db").string(), "李四");
  ASSERT_TRUE(empty.ok());
  NewItem one;
  one.unit = "县水利局";
  one.year = 2024;
  one.task = "河长制巡河全覆盖";
  ASSERT_TRUE((*empty)->AddItem(one).ok());
  auto caught = index_->CatchUp(**empty, sources_);
  ASSERT_TRUE(caught.ok()) << caught.status().message();
  EXPECT_TRUE(caught->rebuilt);
  q.text = "河长制";
  q.kind.reset();
  auto r = index_->Search(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 1);
}

TEST_F(SearchSeed, AReportWhoseFileIsGoneIsFoundByItsHeadings) {
  auto other = SearchIndex::Open((dir_ / "headings-only").string());
  ASSERT_TRUE(other.ok());
  SearchSources none;
  none.read_file = [](const StoredSource& f) -> Result<std::string> {
    return Status(StatusCode::kNotFound, "不在 " + f.path);
  };
  auto caught = (*other)->CatchUp(*store_, none);
  ASSERT_TRUE(caught.ok());
  EXPECT_EQ(caught->reports_unread, 16);
  SearchQuery q;
  q.text = "工作计划";
  q.kind = SearchKind::kSentence;
  auto r = (*other)->Search(q);
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r->total, 0);
  for (const SearchHit& h : r->hits) EXPECT_GT(h.line, 0u);
}

// A catch-up told to stop (a server shutting down) commits nothing: the
// index is as before it, and the next catch-up does the whole work.
TEST_F(SearchSeed, ACatchUpStoppedCommitsNothing) {
  auto other = SearchIndex::Open((dir_ / "stopped").string());
  ASSERT_TRUE(other.ok());
  SearchSources stopping = sources_;
  int asked = 0;
  stopping.stop = [&asked] { return ++asked > 3; };  // after three files or items
  auto stopped = (*other)->CatchUp(*store_, stopping);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.status().code(), StatusCode::kAborted);
  EXPECT_NE(stopped.status().message().find("已中止"), std::string::npos) << stopped.status().message();
  EXPECT_EQ((*other)->history_id(), 0);
  SearchQuery q;
  q.text = "河长制";
  auto none = (*other)->Search(q);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total, 0);
  auto caught = (*other)->CatchUp(*store_, sources_);
  ASSERT_TRUE(caught.ok()) << caught.status().message();
  EXPECT_EQ(caught->reports, 16);
  EXPECT_EQ((*other)->Search(q)->total, index_->Search(q)->total);
}

// A big catch-up commits on the way (here every 50 documents); stopped after
// some commits, it leaves those in the index but records no progress, and
// the next catch-up indexes the same files again without doubling a hit.
TEST_F(SearchSeed, ACatchUpStoppedAfterItsFirstCommitsIsRedoneWithoutDoubles) {
  ASSERT_TRUE(index_->CatchUp(*store_, sources_).ok());
  auto other = SearchIndex::Open((dir_ / "batched").string());
  ASSERT_TRUE(other.ok());
  SearchSources stopping = sources_;
  stopping.commit_every = 50;
  int asked = 0;
  stopping.stop = [&asked] { return ++asked > 200; };  // the file and some items, many commits
  auto stopped = (*other)->CatchUp(*store_, stopping);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ((*other)->history_id(), 0);
  SearchQuery q;
  q.text = "整改";  // items come first
  q.limit = 0;
  EXPECT_GT((*other)->Search(q)->total, 0);  // committed on the way
  stopping.stop = nullptr;
  auto caught = (*other)->CatchUp(*store_, stopping);
  ASSERT_TRUE(caught.ok()) << caught.status().message();
  EXPECT_GT((*other)->history_id(), 0);
  for (const std::string word : {"河长制", "整改", "乡村振兴"}) {
    q.text = word;
    auto again = (*other)->Search(q);
    auto once = index_->Search(q);
    ASSERT_TRUE(again.ok() && once.ok());
    EXPECT_EQ(again->total, once->total) << word;
    ASSERT_EQ(again->hits.size(), once->hits.size()) << word;
  }
}

TEST(SearchIndexErrors, EmptyQueryAndSecondWriterAreRefusedInChinese) {
  const fs::path dir = fs::temp_directory_path() / ("taizhang-search-lock-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto first = SearchIndex::Open(dir.string());
  ASSERT_TRUE(first.ok());
  auto empty = (*first)->Search({});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "请输入要查找的文字。");
  auto second = SearchIndex::Open(dir.string());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("正被另一个进程使用"), std::string::npos) << second.status().message();
  first->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace taizhang
