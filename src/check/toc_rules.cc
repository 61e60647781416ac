// The table of contents (目录) of a report: found at its top, and each entry
// looked for in the body. A budget or final-account book lists its parts and
// tables there; an entry without its heading or table, or with other words
// than the heading, is a defect of the book.
#include <algorithm>
#include <regex>

#include "check/check_internal.h"
#include "common/chinese_numeral.h"
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

// Whether a line, without white space, is a contents heading (目录, 目 录):
// the headings squeezed once; a line is squeezed only as far as the longest.
bool IsTocHeading(std::string_view line) {
  struct Headings {
    std::vector<std::string> words;
    size_t longest = 0;
  };
  static const Headings* headings = [] {
    auto* h = new Headings;
    for (const DataRow& row : DataTable("outline_words.tsv", 3)) {
      if (row[0] != "toc_heading") continue;
      h->words.push_back(Squeezed(row[1]));
      h->longest = std::max(h->longest, h->words.back().size());
    }
    return h;
  }();
  std::string squeezed;
  for (size_t i = 0; i < line.size();) {
    size_t at = i;
    if (IsSpace(utf8::Next(line, &i))) continue;
    if (squeezed.size() + (i - at) > headings->longest) return false;
    squeezed.append(line.substr(at, i - at));
  }
  return std::find(headings->words.begin(), headings->words.end(), squeezed) != headings->words.end();
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

// The text as a contents entry and a heading are compared: quotation marks
// dropped ("三公" in a table title, “三公” in the contents) and brackets of
// either width folded to the full width.
std::string Comparable(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t at = i;
    char32_t cp = utf8::Next(s, &i);
    switch (cp) {
      case U'"': case U'\'': case U'“': case U'”': case U'‘': case U'’': case U'「': case U'」':
        break;
      case U'(': out += "（"; break;
      case U')': out += "）"; break;
      default: out.append(s.substr(at, i - at));
    }
  }
  return out;
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
    if (IsTocHeading(source.Line(l))) {
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
    if (FindText(squeezed, "。") != std::string::npos ||
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

// Whether a contents entry's marker numbers a part of the book (第二部分).
bool IsPartMarker(std::string_view marker) {
  return marker.starts_with("第") && (marker.ends_with("部分") || marker.ends_with("章") || marker.ends_with("篇"));
}

// The entry's title and the same title without the words by which the book
// names its own unit (四、2026年杭州市司法局预算公开表 → 四、2026年预算公开表;
// 八、部门政府采购情况说明 → 八、政府采购情况说明).
std::vector<std::string> TitleVariants(const CheckContext& c, int report, const std::string& title) {
  std::vector<std::string> variants{title};
  std::vector<std::string> names;
  if (report >= 0) {
    const UnitInfo& unit = c.outline.reports[report].unit;
    if (!unit.name.empty()) names.push_back(Comparable(Squeezed(unit.name)));
  }
  for (const std::string& w : c.Terms("self_reference")) names.push_back(w);
  for (const std::string& name : names) {
    size_t at = name.empty() ? std::string::npos : title.find(name);
    if (at == std::string::npos) continue;
    std::string rest = title.substr(0, at) + title.substr(at + name.size());
    if (utf8::CountCodePoints(rest) >= 4) variants.push_back(std::move(rest));
  }
  return variants;
}

// Every entry of the contents (its lines `entry_lines`) has its heading or
// table title in the body, lines [body_first, body_last]: a body line that
// holds the entry's words, or holds them in order with a few more
// (国家信访局2024年度部门决算表 for 部门决算表).
void CheckEntries(CheckContext& c, int report, const std::vector<uint32_t>& entry_lines, uint32_t body_first,
                  uint32_t body_last) {
  const SourceText& source = c.source;
  // The body's lines made comparable, one after another in one string (a
  // compilation's contents are checked against the whole file: no string
  // per line), each line a view of it.
  std::string body_text;
  std::vector<uint32_t> ends;
  const uint32_t last = std::min(body_last, source.line_count());
  if (body_first <= last) body_text.reserve(source.LineEnd(last) - source.LineBegin(body_first));
  for (uint32_t l = body_first; l <= body_last && l <= source.line_count(); ++l) {
    body_text += Comparable(Squeezed(source.Line(l)));
    ends.push_back(static_cast<uint32_t>(body_text.size()));
  }
  std::vector<std::string_view> body;
  body.reserve(ends.size());
  for (size_t i = 0; i < ends.size(); ++i) {
    const uint32_t begin = i == 0 ? 0 : ends[i - 1];
    body.push_back(std::string_view(body_text).substr(begin, ends[i] - begin));
  }
  // A title split over two lines of the body (第一部分 / 国家信访局概况) is
  // found in the two joined: two neighbours are one view.
  std::vector<std::string_view> joined;
  if (!body.empty()) joined.reserve(body.size() - 1);
  for (size_t i = 0; i + 1 < body.size(); ++i) joined.push_back(std::string_view(body[i].data(), body[i].size() + body[i + 1].size()));
  std::vector<TocEntryLine> entries;
  for (uint32_t line : entry_lines) {
    entries.push_back(ParseEntry(source, line));
    entries.back().marker = Comparable(entries.back().marker);
    entries.back().title = Comparable(entries.back().title);
  }
  const bool numbered =
      std::any_of(entries.begin(), entries.end(), [](const TocEntryLine& e) { return !e.marker.empty(); });
  // A part whose body is only a line sending the reader to an attachment
  // (第二部分…报表 / 附件：…公开表): its entries are published apart.
  auto part_line = [&](const TocEntryLine& e) -> size_t {
    const std::string whole = e.marker + e.title;
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i].starts_with(whole)) return i;
      if (body[i] == e.marker && i + 1 < body.size() && body[i + 1].starts_with(e.title)) return i + 1;
    }
    return std::string::npos;
  };
  std::vector<bool> elsewhere(entries.size(), false);
  for (size_t k = 0; k < entries.size(); ++k) {
    if (!IsPartMarker(entries[k].marker)) continue;
    size_t from = part_line(entries[k]);
    if (from == std::string::npos) continue;
    size_t next = k + 1;
    while (next < entries.size() && !IsPartMarker(entries[next].marker)) ++next;
    size_t to = body.size();
    if (next < entries.size()) to = std::min(to, part_line(entries[next]));
    if (to == std::string::npos || to <= from) continue;
    size_t lines = 0;
    bool sends = false;
    for (size_t i = from + 1; i < to; ++i) {
      if (body[i].empty()) continue;
      ++lines;
      for (const std::string& w : c.Terms("elsewhere_lead")) sends |= body[i].starts_with(w);
    }
    if (sends && lines <= 3)
      for (size_t j = k + 1; j < next; ++j) elsewhere[j] = true;
  }
  for (size_t k = 0; k < entries.size(); ++k) {
    const TocEntryLine& e = entries[k];
    const uint32_t line = e.line;
    // In numbered contents an unnumbered line is a column head or a note.
    if (elsewhere[k] || utf8::CountCodePoints(e.title) < 2 || (numbered && e.marker.empty() && !e.paged)) continue;
    const size_t title_chars = utf8::CountCodePoints(e.title);
    bool found = false;
    for (const std::string& title : TitleVariants(c, report, e.title)) {
      const size_t chars = utf8::CountCodePoints(title);
      auto holds = [&](std::string_view b) {
        if (b.find(title) != std::string::npos) return true;
        return utf8::CountCodePoints(b) <= chars + kHeadingSlackChars && Subsequence(title, b);
      };
      found = std::any_of(body.begin(), body.end(), holds) ||
              std::any_of(joined.begin(), joined.end(),
                          [&](std::string_view b) { return b.find(title) != std::string_view::npos; });
      if (found) break;
    }
    if (found) continue;
    // The nearest heading of the body: same marker, and most of the entry's
    // words or a shorter title wholly inside it (二、收入决算情况说明 for
    // 二、本年收入决算情况说明); a table's title without the marker the
    // contents give it (政府采购预算表 for 十二、政府采购预算情况表).
    size_t best = 0, best_shared = 0;
    bool near = false;
    const bool table_title = e.title.ends_with("表");
    for (size_t i = 0; i < body.size(); ++i) {
      const bool marked = !e.marker.empty() && body[i].rfind(e.marker, 0) == 0;
      const bool caption = table_title && body[i].ends_with("表") && !marked;
      if (!marked && !caption) continue;
      if (utf8::CountCodePoints(body[i]) > title_chars + kHeadingSlackChars + 8) continue;
      std::string_view title = std::string_view(body[i]).substr(marked ? e.marker.size() : 0);
      if (caption && !(utf8::CountCodePoints(title) >= 4 && Subsequence(title, e.title))) continue;
      size_t shared = SharedChars(e.title, title);
      bool inside = utf8::CountCodePoints(title) >= 4 && Subsequence(title, e.title);
      if (inside || shared > best_shared) {
        best_shared = std::max(best_shared, shared);
        best = i;
        near = inside || (shared >= 3 && shared * 3 >= title_chars * 2);
        if (inside) break;
      }
    }
    Span span{source.LineBegin(line), source.LineEnd(line)};
    const TocEntryLine as_written = ParseEntry(source, line);
    std::string shown = as_written.marker + as_written.title;
    if (near) {
      const uint32_t body_line = body_first + static_cast<uint32_t>(best);
      Finding& f = c.Add(RuleId::kTocMismatch, report, span,
                         "目录中的“" + shown + "”与正文第" + std::to_string(body_line) + "行的标题“" + Squeezed(source.Line(body_line)) +
                             "”写法不一致");
      f.related.push_back(c.Place(Span{source.LineBegin(body_line), source.LineEnd(body_line)}, "正文中的标题"));
    } else {
      c.Add(RuleId::kTocMismatch, report, span, "目录中的“" + shown + "”在正文中找不到对应的标题或表格");
    }
  }
}

// A marker of the contents as the outline's kind and number (第二部分 →
// kPart 2, （三） → kChineseParen 3, 4. → kArabicDot 4); kStyle when it
// numbers no heading (表1, 附件).
std::pair<MarkerKind, int> KindAndNumber(const std::string& marker) {
  std::string digits;
  std::string numerals;
  for (size_t i = 0; i < marker.size();) {
    size_t at = i;
    char32_t cp = utf8::Next(marker, &i);
    if (cp >= '0' && cp <= '9') digits += static_cast<char>(cp);
    else if (IsChineseNumeral(cp)) numerals.append(marker.substr(at, i - at));
  }
  int number = 0;
  if (!digits.empty() && digits.size() <= 3) number = std::stoi(digits);
  else if (!numerals.empty()) number = static_cast<int>(ParseChineseNumber(numerals).value_or(0));
  if (number <= 0 || marker.starts_with("表") || marker.starts_with("附件")) return {MarkerKind::kStyle, 0};
  if (IsPartMarker(marker)) return {MarkerKind::kPart, number};
  const bool bracket = marker.starts_with("（") || marker.starts_with("(");
  if (!digits.empty()) return {bracket ? MarkerKind::kArabicParen : MarkerKind::kArabicDot, number};
  return {bracket ? MarkerKind::kChineseParen : MarkerKind::kChineseComma, number};
}

bool IsAppendixTitle(std::string_view title) {
  for (const DataRow& row : DataTable("outline_words.tsv", 3)) {
    if (row[0] == "appendix_title" && title.ends_with(row[1])) return true;
  }
  return false;
}

// The other direction: a heading of the body numbered at a level the contents
// list, going on from a listed sibling (五、 after the listed 四、), that the
// contents leave out. A list of its own at that level (一、 again, the
// duties of a part) is no part of the contents' series, nor is a glossary
// (名词解释) or a heading the contents give under another title (that is
// the first direction's finding).
void CheckUnlistedHeadings(CheckContext& c, int r, const TableOfContents& toc) {
  const SourceText& source = c.source;
  const Report& report = c.outline.reports[r];
  struct Listed {
    MarkerKind kind;
    int number;
    std::string title;
  };
  std::vector<Listed> listed;
  std::vector<MarkerKind> levels;  // the kinds the contents list, outermost first
  for (uint32_t line : toc.entry_lines) {
    TocEntryLine e = ParseEntry(source, line);
    auto [kind, number] = KindAndNumber(Comparable(e.marker));
    if (kind == MarkerKind::kStyle) continue;
    listed.push_back({kind, number, Comparable(e.title)});
    if (std::find(levels.begin(), levels.end(), kind) == levels.end()) levels.push_back(kind);
  }
  if (listed.size() < 2) return;
  auto level_of = [&](MarkerKind k) { return std::find(levels.begin(), levels.end(), k) - levels.begin(); };
  // Per level: the entry the last listed heading of the body matched, -1
  // when the series is not the contents' (before the first, or in a list
  // of its own).
  std::vector<int> last(levels.size(), -1);
  int last_any = -1;
  for (const Heading& h : report.headings) {
    if (h.line <= toc.last_line || h.number <= 0) continue;
    const size_t level = level_of(h.kind);
    if (level == levels.size() || InTableBlock(source, h.line, /*with_captions=*/false)) continue;
    const std::string line = Comparable(Squeezed(source.Line(h.line)));
    std::string title = Comparable(Squeezed(SpanText(c.text(), h.title)));
    // The entry of the same kind and number whose words the heading holds;
    // of several (一、 under each part), the first after the last matched.
    // Only entries under the outer entry the body is in (the 一、 of 第三部分
    // are not those of 第二部分).
    int scope = -1;
    for (size_t k = 0; k < level; ++k) scope = std::max(scope, last[k]);
    int match = -1;
    for (size_t j = scope + 1; j < listed.size(); ++j) {
      const Listed& e = listed[j];
      if (scope >= 0 && static_cast<size_t>(level_of(e.kind)) < level) break;
      if (e.kind != h.kind || e.number != h.number || e.title.empty()) continue;
      bool holds = false;
      for (const std::string& t : TitleVariants(c, r, e.title)) {
        const size_t shared = SharedChars(t, title);
        holds |= line.find(t) != std::string::npos || Subsequence(title, t) ||
                 shared * 3 >= std::min(utf8::CountCodePoints(t), utf8::CountCodePoints(title)) * 2;
      }
      if (!holds) continue;
      if (match < 0 || (match <= last_any && static_cast<int>(j) > last_any)) match = static_cast<int>(j);
    }
    if (match >= 0) {
      last[level] = match;
      last_any = match;
      for (size_t k = level + 1; k < levels.size(); ++k) last[k] = -1;
      continue;
    }
    if (h.number == 1 || last[level] < 0) {
      last[level] = -1;
      continue;
    }
    const Listed& previous = listed[last[level]];
    if (previous.number != h.number - 1) {
      last[level] = -1;
      continue;
    }
    // The contents' entry that should be this one: the next of this level
    // before an entry of an outer level. If there is one, the first
    // direction reports the difference.
    bool entry = false;
    for (size_t j = last[level] + 1; j < listed.size(); ++j) {
      if (static_cast<size_t>(level_of(listed[j].kind)) < level) break;
      if (listed[j].kind == h.kind) {
        entry = listed[j].number == h.number;
        break;
      }
    }
    if (entry || IsAppendixTitle(title)) continue;
    c.Add(RuleId::kTocMismatch, r, Span{source.LineBegin(h.line), source.LineEnd(h.line)},
          "正文的标题“" + Squeezed(source.Line(h.line)) + "”没有列入目录（目录中同级的上一项是“" +
              previous.title + "”）");
  }
}

}  // namespace

void CheckTableOfContents(CheckContext& c) {
  // The contents of a report, inside it.
  for (size_t r = 0; r < c.outline.reports.size(); ++r) {
    const Report& report = c.outline.reports[r];
    const TableOfContents& toc = c.Toc(r);
    if (toc.heading_line == 0) continue;
    CheckEntries(c, static_cast<int>(r), toc.entry_lines, toc.last_line + 1, report.last_line);
    CheckUnlistedHeadings(c, static_cast<int>(r), toc);
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
