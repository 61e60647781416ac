// The table of contents (目录) of a report: found at its top, and each entry
// looked for in the body. A budget or final-account book lists its parts and
// tables there; an entry without its heading or table, or with other words
// than the heading, is a defect of the book.
#include <algorithm>
#include <regex>

#include "check/check_internal.h"
#include "common/language_data.h"
#include "common/utf8.h"

namespace taizhang::check_internal {

namespace {

constexpr uint32_t kTocSearchLines = 60;    // the 目录 line stands in the report's first lines
constexpr uint32_t kMaxTocLines = 150;      // longer runs of short lines are no contents
constexpr size_t kMaxEntryChars = 50;       // a longer line (or one with 。) is body text
constexpr size_t kHeadingSlackChars = 15;   // a body heading may add the unit's name and so on

bool IsSpace(char32_t cp) { return cp == ' ' || cp == '\t' || cp == U'\u3000' || cp == '\r' || cp == 0xA0; }

// The text without white space.
std::string Squeezed(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t at = i;
    if (!IsSpace(utf8::Next(s, &i))) out.append(s.substr(at, i - at));
  }
  return out;
}

bool IsTocHeading(std::string_view squeezed) {
  for (const DataRow& row : DataTable("outline_words.tsv", 3)) {
    if (row[0] == "toc_heading" && Squeezed(row[1]) == squeezed) return true;
  }
  return false;
}

// An entry's marker: 第一部分, 一、, （一）, (1), 1., 1、, 表1, 附件2.
const std::regex& MarkerPattern() {
  static const std::regex* pattern = new std::regex(
      "^(第(一|二|三|四|五|六|七|八|九|十)+(部分|章|篇)|(一|二|三|四|五|六|七|八|九|十)+、|"
      "（(一|二|三|四|五|六|七|八|九|十)+）|\\((一|二|三|四|五|六|七|八|九|十)+\\)|"
      "（[0-9]+）|\\([0-9]+\\)|[0-9]+(\\.|、|．)|表[0-9]+|附件[0-9]*)");
  return *pattern;
}

// A trailing page number and the dot leaders before it (……12, …… 3).
std::string WithoutPage(std::string s) {
  size_t end = s.size();
  while (end > 0 && s[end - 1] >= '0' && s[end - 1] <= '9') --end;
  if (end == s.size() || end == 0) return s;
  std::string_view rest(s.data(), end);
  for (std::string_view leader : {"…", "·", ".", "-", "—"}) {
    while (rest.size() >= leader.size() && rest.substr(rest.size() - leader.size()) == leader)
      rest.remove_suffix(leader.size());
  }
  return std::string(rest);
}

struct TocEntryLine {
  uint32_t line = 0;
  std::string marker;  // as written, "" if none
  std::string title;   // squeezed, without marker and page number
  bool paged = false;  // a page number followed it
};

// A line of the contents: the longest cell of a table row (表1 | 收支总表 | 否).
TocEntryLine ParseEntry(const SourceText& source, uint32_t line) {
  std::string_view text = source.Line(line);
  std::string_view best = text;
  if (text.find('\t') != std::string_view::npos) {
    best = {};
    size_t from = 0;
    for (;;) {
      size_t tab = text.find('\t', from);
      std::string_view cell = text.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from);
      // A cell of digits only is the page.
      if (utf8::CountCodePoints(cell) > utf8::CountCodePoints(best) &&
          cell.find_first_not_of("0123456789 ") != std::string_view::npos)
        best = cell;
      if (tab == std::string_view::npos) break;
      from = tab + 1;
    }
  }
  TocEntryLine e;
  e.line = line;
  std::string squeezed = Squeezed(best);
  std::string unpaged = WithoutPage(squeezed);
  e.paged = unpaged.size() < squeezed.size();
  std::smatch m;
  if (std::regex_search(unpaged, m, MarkerPattern())) {
    e.marker = m.str(0);
    e.title = unpaged.substr(m.length(0));
  } else {
    e.title = unpaged;
    // A row of a contents table: the marker in its first cell (表1 | 收支总表).
    std::string first = Squeezed(text.substr(0, text.find('\t')));
    if (best.data() != text.data() && std::regex_search(first, m, MarkerPattern())) e.marker = m.str(0);
  }
  return e;
}

// Whether `title` is a subsequence of `line` (its characters in order).
bool Subsequence(std::string_view title, std::string_view line) {
  size_t j = 0;
  for (size_t i = 0; i < title.size();) {
    size_t at = i;
    utf8::Next(title, &i);
    std::string_view ch = title.substr(at, i - at);
    j = line.find(ch, j);
    if (j == std::string_view::npos) return false;
    j += ch.size();
  }
  return true;
}

// Characters of `a` found in `b`, counted with repetition.
size_t SharedChars(std::string_view a, std::string_view b) {
  std::vector<std::string_view> pool;
  for (size_t i = 0; i < b.size();) {
    size_t at = i;
    utf8::Next(b, &i);
    pool.push_back(b.substr(at, i - at));
  }
  size_t shared = 0;
  for (size_t i = 0; i < a.size();) {
    size_t at = i;
    utf8::Next(a, &i);
    auto it = std::find(pool.begin(), pool.end(), a.substr(at, i - at));
    if (it != pool.end()) {
      ++shared;
      pool.erase(it);
    }
  }
  return shared;
}

}  // namespace

TableOfContents FindTableOfContents(const SourceText& source, const Report& report) {
  TableOfContents toc;
  const uint32_t last_search = std::min(report.last_line, report.first_line + kTocSearchLines);
  uint32_t heading = 0;
  for (uint32_t l = report.first_line; l <= last_search && l <= source.line_count(); ++l) {
    if (IsTocHeading(Squeezed(source.Line(l)))) {
      heading = l;
      break;
    }
  }
  if (heading == 0) return toc;
  std::vector<TocEntryLine> entries;
  const uint32_t last = std::min({report.last_line, source.line_count(), heading + kMaxTocLines});
  for (uint32_t l = heading + 1; l <= last; ++l) {
    std::string_view text = source.Line(l);
    std::string squeezed = Squeezed(text);
    if (squeezed.empty()) continue;
    // Body text: a sentence, or a line longer than an entry.
    if (squeezed.find("。") != std::string::npos ||
        (text.find('\t') == std::string_view::npos && utf8::CountCodePoints(squeezed) > kMaxEntryChars))
      break;
    TocEntryLine e = ParseEntry(source, l);
    // The body opens by repeating an entry (一、部门概况 … 一、部门概况).
    bool repeated = std::any_of(entries.begin(), entries.end(), [&](const TocEntryLine& x) {
      return x.marker == e.marker && x.title == e.title && !e.title.empty();
    });
    if (repeated) break;
    entries.push_back(std::move(e));
  }
  // Unnumbered lines after the last numbered or paged entry are the body's
  // (上海市审计局（单位）主要职能 after 六、其他相关情况说明).
  while (!entries.empty() && entries.back().marker.empty() && !entries.back().paged &&
         std::any_of(entries.begin(), entries.end(),
                     [](const TocEntryLine& x) { return !x.marker.empty() || x.paged; }))
    entries.pop_back();
  if (entries.size() < 2) return toc;
  toc.heading_line = heading;
  toc.last_line = entries.back().line;
  for (const TocEntryLine& e : entries) toc.entry_lines.push_back(e.line);
  return toc;
}

std::vector<std::string> TocEntryTexts(const SourceText& source, const TableOfContents& toc) {
  std::vector<std::string> texts;
  for (uint32_t line : toc.entry_lines) {
    TocEntryLine e = ParseEntry(source, line);
    texts.push_back(e.marker + e.title);
  }
  return texts;
}

std::string SqueezedLine(const SourceText& source, uint32_t line) { return Squeezed(source.Line(line)); }

bool InTableOfContents(const TableOfContents& toc, uint32_t line) {
  return toc.heading_line > 0 && line >= toc.heading_line && line <= toc.last_line;
}

namespace {

// Every entry of the contents (its lines `entry_lines`) has its heading or
// table title in the body, lines [body_first, body_last]: a body line that
// holds the entry's words, or holds them in order with a few more
// (国家信访局2024年度部门决算表 for 部门决算表).
void CheckEntries(CheckContext& c, int report, const std::vector<uint32_t>& entry_lines, uint32_t body_first,
                  uint32_t body_last) {
  const SourceText& source = c.source;
  const uint32_t last = std::min(body_last, source.line_count());
  std::vector<TocEntryLine> entries;
  for (uint32_t line : entry_lines) entries.push_back(ParseEntry(source, line));
  const bool numbered =
      std::any_of(entries.begin(), entries.end(), [](const TocEntryLine& e) { return !e.marker.empty(); });
  // The body's lines are squeezed one at a time (a compilation's contents
  // are checked against the whole file: no copy of it is kept), every entry
  // looked for in each line and in each line joined to the one before.
  struct EntryState {
    bool wanted = false;  // looked for (a title, numbered when the contents are)
    bool found = false;
    size_t title_chars = 0;
    // The nearest heading, when not found.
    uint32_t best = 0;
    size_t best_shared = 0;
    bool near = false;
    bool stopped = false;  // a heading holding the whole title was met
    std::string best_text;
  };
  std::vector<EntryState> states(entries.size());
  size_t wanted = 0;
  for (size_t k = 0; k < entries.size(); ++k) {
    const TocEntryLine& e = entries[k];
    // In numbered contents an unnumbered line is a column head or a note.
    states[k].title_chars = utf8::CountCodePoints(e.title);
    states[k].wanted = !(states[k].title_chars < 2 || (numbered && e.marker.empty() && !e.paged));
    if (states[k].wanted) ++wanted;
  }
  std::string previous, current, joined;
  size_t missing = wanted;
  for (uint32_t l = body_first; l <= last && missing > 0; ++l) {
    previous.swap(current);
    current = Squeezed(source.Line(l));
    const size_t chars = utf8::CountCodePoints(current);
    const bool has_joined = l > body_first;
    if (has_joined) joined = previous + current;
    for (size_t k = 0; k < entries.size(); ++k) {
      EntryState& st = states[k];
      if (!st.wanted || st.found) continue;
      const std::string& title = entries[k].title;
      // A body line holds the entry's words, or holds them in order with a few
      // more (国家信访局2024年度部门决算表 for 部门决算表); a title split over two
      // lines of the body (第一部分 / 国家信访局概况) is found in the two joined.
      if (current.find(title) != std::string::npos ||
          (chars <= st.title_chars + kHeadingSlackChars && Subsequence(title, current)) ||
          (has_joined && joined.find(title) != std::string::npos)) {
        st.found = true;
        --missing;
      }
    }
  }
  // The nearest heading of the body for an entry not found: same marker, and
  // most of the entry's words or a shorter title wholly inside it
  // (四、2026年预算公开表 for 四、2026年杭州市司法局预算公开表).
  size_t open = 0;
  for (size_t k = 0; k < entries.size(); ++k) {
    if (states[k].wanted && !states[k].found && !entries[k].marker.empty()) ++open;
  }
  for (uint32_t l = body_first; l <= last && open > 0; ++l) {
    current = Squeezed(source.Line(l));
    const size_t chars = utf8::CountCodePoints(current);
    for (size_t k = 0; k < entries.size(); ++k) {
      EntryState& st = states[k];
      const TocEntryLine& e = entries[k];
      if (!st.wanted || st.found || st.stopped || e.marker.empty()) continue;
      if (current.rfind(e.marker, 0) != 0) continue;
      if (chars > st.title_chars + kHeadingSlackChars + 8) continue;
      std::string_view title = std::string_view(current).substr(e.marker.size());
      size_t shared = SharedChars(e.title, title);
      bool inside = utf8::CountCodePoints(title) >= 4 && Subsequence(title, e.title);
      if (inside || shared > st.best_shared) {
        st.best_shared = std::max(st.best_shared, shared);
        st.best = l - body_first;
        st.best_text = current;
        st.near = inside || (shared >= 3 && shared * 3 >= st.title_chars * 2);
        if (inside) {
          st.stopped = true;
          --open;
        }
      }
    }
  }
  for (size_t k = 0; k < entries.size(); ++k) {
    const EntryState& st = states[k];
    const TocEntryLine& e = entries[k];
    if (!st.wanted || st.found) continue;
    const uint32_t line = e.line;
    Span span{source.LineBegin(line), source.LineEnd(line)};
    std::string shown = e.marker + e.title;
    if (st.near) {
      const uint32_t body_line = body_first + st.best;
      Finding& f = c.Add(RuleId::kTocMismatch, report, span,
                         "目录中的“" + shown + "”与正文第" + std::to_string(body_line) + "行的标题“" + st.best_text +
                             "”写法不一致");
      f.related.push_back(c.Place(Span{source.LineBegin(body_line), source.LineEnd(body_line)}, "正文中的标题"));
    } else {
      c.Add(RuleId::kTocMismatch, report, span, "目录中的“" + shown + "”在正文中找不到对应的标题或表格");
    }
  }
}

}  // namespace

void CheckTableOfContents(CheckContext& c) {
  // The contents of a report, inside it.
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    const Report& report = c.outline.reports[r];
    TableOfContents toc = FindTableOfContents(c.source, report);
    if (toc.heading_line == 0) continue;
    CheckEntries(c, static_cast<int>(r), toc.entry_lines, toc.last_line + 1, report.last_line);
  }
  // The contents the outline read as a compilation's (a book with page
  // numbers): its entries against everything after it. A document's own
  // contents lie inside its report and were checked above.
  if (c.outline.toc_first_line > 0 && c.outline.is_compilation) {
    std::vector<uint32_t> lines;
    for (const TocEntry& e : c.outline.toc) {
      if (e.line >= c.outline.toc_first_line && e.line <= c.outline.toc_last_line) lines.push_back(e.line);
    }
    if (lines.size() >= 2) CheckEntries(c, -1, lines, c.outline.toc_last_line + 1, c.source.line_count());
  }
}

}  // namespace taizhang::check_internal
