// Compilations (汇编): a title, a table of contents with page numbers, then
// the reports one after another, often with web boilerplate around them.
// Several compilations may follow each other in one file; each TOC governs
// the text up to the next one.
#include "outline/compilation_splitter.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <unordered_set>

#include "common/language_data.h"
#include "common/text_search.h"
#include "common/utf8.h"
#include "outline/heading_marker.h"
#include "outline/report_metadata.h"

namespace taizhang::outline_internal {

namespace {

// Whether a trimmed line is `squeezed_title` up to white space. Most lines
// are body paragraphs far longer than a title, so sizes are compared first.
bool TitleLineEquals(std::string_view line, std::string_view squeezed_title) {
  if (line == squeezed_title) return true;
  if (line.size() < squeezed_title.size() || line.size() > squeezed_title.size() * 2 + 8) {
    return false;
  }
  return Squeeze(line) == squeezed_title;
}

bool IsTocHeading(std::string_view line) {
  static const std::vector<DataRow>& rows = DataTable("outline_words.tsv", 3);
  for (const DataRow& row : rows) {
    if (row[0] == "toc_heading" && row[1] == line) return true;
  }
  return false;
}

// "标题<TAB>12", "标题……12", "标题 12": title and page; false if not an entry.
bool ParseTocEntry(std::string_view line, std::string_view* title, int* page) {
  size_t end = line.size();
  size_t digits = end;
  while (digits > 0 && line[digits - 1] >= '0' && line[digits - 1] <= '9') --digits;
  if (digits == end || end - digits > 4) return false;
  // Separators: white space and dot leaders between title and page.
  size_t sep = digits;
  bool has_separator = false;
  while (sep > 0) {
    size_t p = sep;
    char32_t cp = utf8::Prev(line, &p);
    if (utf8::IsInlineSpace(cp) || cp == '.' || cp == U'…' || cp == U'·' || cp == U'．' || cp == U'-' ||
        cp == U'—' || cp == U'⋯') {
      sep = p;
      has_separator = true;
    } else {
      break;
    }
  }
  if (!has_separator || sep == 0) return false;
  std::from_chars(line.data() + digits, line.data() + end, *page);
  *title = line.substr(0, sep);
  return true;
}

const std::vector<std::string_view>& ReportKindWords() {
  static const std::vector<std::string_view> words = [] {
    std::vector<std::string_view> out;
    for (const DataRow& row : DataTable("report_kinds.tsv", 2)) out.push_back(row[1]);
    return out;
  }();
  return words;
}

bool HasYear(std::string_view line) { return !FindYears(line).empty(); }

class Splitter {
 public:
  Splitter(const SourceText& source, Layout* layout) : source_(source), layout_(*layout) {
    for (const InternalLink& link : source.links()) {
      if (link.target_line != 0) link_target_.emplace(link.line, link.target_line);
    }
  }

  void Run(bool split) {
    uint32_t n = source_.line_count();
    if (n == 0) return;
    uint32_t first = 1;
    uint32_t last = n;
    // Junk at either end (blank lines between junk lines included).
    while (first <= last && (Blank(first) || Junk(first))) {
      if (!Blank(first)) layout_.junk_lines.push_back(first);
      ++first;
    }
    std::vector<uint32_t> tail;
    while (last >= first && (Blank(last) || Junk(last))) {
      if (!Blank(last)) tail.push_back(last);
      --last;
    }
    if (first > last) return;
    CutPageFurniture(&first, &last, &tail);
    if (first > last) return;
    crawled_ = !layout_.junk_lines.empty() || !tail.empty();
    if (!split) {
      AddReport(first, last);
      FinishJunk(tail);
      return;
    }
    double_spaced_ = DoubleSpaced(first, last);
    uint32_t pos = first;
    while (pos <= last) {
      uint32_t toc_line = FindToc(pos, last);
      if (toc_line != 0 && ListsSections(toc_line)) toc_line = 0;  // one document's own contents
      if (toc_line == 0) {
        SplitByTitles(pos, last);
        break;
      }
      // The compilation title: the last non-blank line before 目录.
      uint32_t before_toc = toc_line;
      uint32_t title_line = 0;
      for (uint32_t l = toc_line - 1; l >= pos && l > 0; --l) {
        if (Blank(l)) continue;
        if (LooksTitleShaped(l)) title_line = l;
        break;
      }
      if (title_line != 0) before_toc = title_line;
      if (before_toc > pos) SplitByTitles(pos, before_toc - 1);
      if (layout_.compilation_title_line == 0) layout_.compilation_title_line = title_line;
      uint32_t toc_last = ReadToc(toc_line, title_line);
      if (layout_.toc_first_line == 0) {
        layout_.toc_first_line = toc_line;
        layout_.toc_last_line = toc_last;
      }
      // This TOC governs the text up to the next TOC (and its title line).
      uint32_t region_end = last;
      uint32_t next_toc = FindToc(toc_last + 1, last);
      if (next_toc != 0) {
        region_end = next_toc - 1;
        for (uint32_t l = next_toc - 1; l > toc_last; --l) {
          if (Blank(l)) continue;
          if (LooksTitleShaped(l)) region_end = l - 1;
          break;
        }
      }
      MatchToc(toc_last + 1, region_end);
      pos = region_end + 1;
    }
    // A document's own contents (SkipOwnToc) make no compilation.
    layout_.is_compilation = (layout_.toc_first_line != 0 && !own_toc_) || layout_.reports.size() > 1;
    FinishJunk(tail);
  }

 private:
  std::string_view LineText(uint32_t l) const { return Trim(source_.Line(l)); }
  bool Blank(uint32_t l) const { return LineText(l).empty(); }
  // Whether line l is junk, classified once: the ends, the furniture and
  // the report bounds ask about the same lines again and again.
  bool Junk(uint32_t l) const {
    if (junk_.size() <= l) junk_.resize(source_.line_count() + 2, -1);
    if (l >= junk_.size()) return IsJunkLine(LineText(l));
    if (junk_[l] < 0) junk_[l] = IsJunkLine(LineText(l)) ? 1 : 0;
    return junk_[l] == 1;
  }

  static bool EndsSentence(std::string_view t) {
    return t.ends_with("。") || t.ends_with("！") || t.ends_with("？") || t.ends_with("!") || t.ends_with("”");
  }

  // Report prose: a long line with a full stop.
  bool Prose(uint32_t l) const {
    std::string_view t = LineText(l);
    return ContainsText(t, "。") && utf8::CountCodePoints(t) > 60;
  }

  // The navigation above a crawled page ("当前位置：首页 > …", with the short
  // lines before it) and the furniture below it ("分享到：", "上一篇：", lists
  // of other pages) are junk: the report lies between them.
  void CutPageFurniture(uint32_t* first, uint32_t* last, std::vector<uint32_t>* tail) {
    uint32_t nav = 0;
    int seen = 0;
    for (uint32_t l = *first; l <= *last && seen < 40; ++l) {
      if (Blank(l)) continue;
      ++seen;
      if (StartsWithJunkRow(LineText(l), "head")) nav = l;
      if (Prose(l)) break;
    }
    if (nav != 0) {
      for (uint32_t l = *first; l <= nav; ++l) {
        if (!Blank(l)) layout_.junk_lines.push_back(l);
      }
      *first = nav + 1;
    }
    uint32_t cut = 0;
    for (uint32_t l = *last; l > *first; --l) {
      if (Prose(l)) break;
      if (!Blank(l) && StartsWithJunkRow(LineText(l), "tail")) cut = l;
    }
    if (cut == 0) return;
    for (uint32_t l = cut; l <= *last; ++l) {
      if (!Blank(l)) tail->push_back(l);
    }
    *last = cut - 1;
    // Above the furniture: tags and disclaimers ("标签：", "免责声明：…").
    while (*last >= *first && (Blank(*last) || Junk(*last) || StartsWithJunkRow(LineText(*last), "label") ||
                                (utf8::CountCodePoints(LineText(*last)) <= 12 && !EndsSentence(LineText(*last))))) {
      if (!Blank(*last)) tail->push_back(*last);
      --*last;
    }
  }

  // The fields of a crawled page right after its title ("时间：…", "来源：…",
  // a count of readers, "内容摘要：" with its abstract "……"): the first line
  // of the body after them.
  uint32_t SkipPageFields(uint32_t from, uint32_t to) {
    uint32_t l = from;
    std::vector<uint32_t> fields;
    for (; l <= to && fields.size() < 16; ++l) {
      if (Blank(l)) continue;
      std::string_view t = LineText(l);
      bool field = StartsWithJunkRow(t, "label") || Junk(l) ||
                   t.find_first_not_of("0123456789-:/ ") == std::string_view::npos;
      if (!field && (t.ends_with("......") || t.ends_with("……") || t.ends_with("...")) && !fields.empty() &&
          StartsWithJunkRow(LineText(fields.back()), "label")) {
        field = true;  // the abstract after "内容摘要："
      }
      if (!field) break;
      fields.push_back(l);
    }
    if (fields.empty()) return 0;
    layout_.junk_lines.insert(layout_.junk_lines.end(), fields.begin(), fields.end());
    return l;
  }

  // Short lines with no sentence in them: a site's name, a column name.
  bool ShortFurniture(uint32_t l) const {
    std::string_view t = LineText(l);
    return Junk(l) || StartsWithJunkRow(t, "label") ||
           (utf8::CountCodePoints(t) <= 20 && !ContainsText(t, "。") && !IsSalutation(t));
  }

  // The title of a report given with a field label ("标题：高阳县2017年政府工作报告").
  bool TitleLabelLine(uint32_t l) const {
    std::string_view t = LineText(l);
    for (std::string_view label : OutlineWords("title_label")) {
      if (t.size() > label.size() && t.substr(0, label.size()) == label) return true;
    }
    return false;
  }

  bool LooksTitleShaped(uint32_t l) const {
    std::string_view t = LineText(l);
    return !t.empty() && utf8::CountCodePoints(t) <= 80 && !ContainsText(t, "。");
  }

  // True when paragraphs are separated by blank lines throughout.
  bool DoubleSpaced(uint32_t first, uint32_t last) const {
    uint32_t adjacent = 0, separated = 0;
    for (uint32_t l = first; l < last; ++l) {
      if (Blank(l)) continue;
      if (Blank(l + 1)) {
        ++separated;
      } else {
        ++adjacent;
      }
    }
    return separated > 3 * (adjacent + 1);
  }

  // First 目录 line in [from, to] that is followed by at least two entries.
  uint32_t FindToc(uint32_t from, uint32_t to) const {
    for (uint32_t l = from; l <= to; ++l) {
      std::string_view t = LineText(l);
      if (t.empty() || t.size() > 16 || !IsTocHeading(Squeeze(t))) continue;
      int entries = 0;
      for (uint32_t k = l + 1; k <= to && entries < 2; ++k) {
        if (Blank(k)) continue;
        std::string_view title;
        int page;
        if (!ParseTocEntry(LineText(k), &title, &page)) break;
        ++entries;
      }
      if (entries >= 2) return l;
    }
    return 0;
  }

  // Whether the entries after a 目录 line are sections of one document
  // (第一部分 国家信访局概况 / 一、部门职责 / 二、机构设置 …) rather than the
  // titles of reports: most of them open with a heading marker.
  bool ListsSections(uint32_t toc_line) const {
    int entries = 0, marked = 0;
    for (uint32_t l = toc_line + 1; l <= source_.line_count(); ++l) {
      if (Blank(l)) continue;
      std::string_view title;
      int page = 0;
      if (!ParseTocEntry(LineText(l), &title, &page)) break;
      ++entries;
      if (MatchMarker(title)) ++marked;
    }
    return entries > 0 && marked * 2 >= entries;
  }

  // Reads entries after the 目录 line; returns the TOC's last line.
  uint32_t ReadToc(uint32_t toc_line, uint32_t compilation_title_line) {
    uint32_t last_entry = toc_line;
    std::string compilation_title =
        compilation_title_line ? Squeeze(LineText(compilation_title_line)) : std::string();
    for (uint32_t l = toc_line + 1; l <= source_.line_count(); ++l) {
      if (Blank(l)) continue;
      std::string_view title;
      int page = 0;
      if (!ParseTocEntry(LineText(l), &title, &page)) break;
      last_entry = l;
      std::string squeezed = Squeeze(title);
      // Entries for the compilation itself and for the TOC are not reports.
      if (squeezed == compilation_title || IsTocHeading(squeezed)) continue;
      TocEntry entry;
      uint32_t begin = source_.LineBegin(l) + static_cast<uint32_t>(title.data() - source_.Line(l).data());
      entry.title = Span{begin, begin + static_cast<uint32_t>(title.size())};
      entry.line = l;
      entry.page = page;
      pending_.push_back(layout_.toc.size());
      layout_.toc.push_back(entry);
    }
    return last_entry;
  }

  // Finds the pending TOC entries, in order, as title lines in [from, to].
  void MatchToc(uint32_t from, uint32_t to) {
    std::vector<uint32_t> starts;
    std::vector<size_t> entries;
    uint32_t pos = from;
    for (size_t index : pending_) {
      std::string want = Squeeze(layout_.toc[index].title.In(source_.text()));
      uint32_t found = 0;
      // A Word TOC entry links to the _Toc bookmark on its heading: that
      // line, even when the heading was edited after the TOC was built.
      auto link = link_target_.find(layout_.toc[index].line);
      if (link != link_target_.end() && link->second >= pos && link->second <= to &&
          !Blank(link->second)) {
        found = link->second;
        layout_.toc[index].bookmark_line = found;
        if (!TitleLineEquals(LineText(found), want)) {
          layout_.notes.push_back({layout_.toc[index].line,
                                   "目录条目“" + want + "”与它所链接的正文标题“" +
                                       std::string(Trim(LineText(found))) + "”不一致（目录可能未更新）。"});
        }
      }
      for (uint32_t l = pos; found == 0 && l <= to; ++l) {
        if (TitleLineEquals(LineText(l), want)) {
          found = l;
          break;
        }
      }
      if (found == 0) {
        layout_.notes.push_back({layout_.toc[index].line,
                                 "目录条目“" + want + "”在正文中没有找到对应的标题行。"});
        continue;
      }
      starts.push_back(found);
      entries.push_back(index);
      pos = found + 1;
    }
    pending_.clear();
    if (starts.empty()) {
      SplitByTitles(from, to);
      return;
    }
    // Text between the TOC and the first report that is not blank.
    if (starts.front() > from) SplitByTitles(from, starts.front() - 1);
    for (size_t i = 0; i < starts.size(); ++i) {
      uint32_t end = i + 1 < starts.size() ? starts[i + 1] - 1 : to;
      layout_.toc[entries[i]].report = static_cast<int>(layout_.reports.size());
      AddReport(starts[i], end, /*has_title=*/true);
    }
  }

  // Reports in [from, to] found from title lines, without a TOC.
  void SplitByTitles(uint32_t from, uint32_t to) {
    std::vector<uint32_t> starts;
    uint32_t blank_run = 2;  // the region start counts as preceded by blanks
    // Only short page furniture ("工作报告", a column name) stands before the
    // title of the first report, if anything.
    bool opening = true;
    for (uint32_t l = from; l <= to; ++l) {
      if (Blank(l)) {
        ++blank_run;
        continue;
      }
      // A speech ("各位代表：") is one report: its parts ("2023年工作回顾")
      // are no titles of reports.
      if (IsSalutation(LineText(l))) break;
      bool preceded = starts.empty() ? blank_run >= 1 || l == from || opening
                                     : blank_run >= (double_spaced_ ? 2u : 1u);
      if (preceded && (LooksLikeReportTitle(LineText(l)) || (starts.empty() && opening && TitleLabelLine(l)))) {
        starts.push_back(l);
      }
      opening = opening && starts.empty() && ShortFurniture(l);
      blank_run = 0;
    }
    uint32_t first_content = from;
    while (first_content <= to && Blank(first_content)) ++first_content;
    if (first_content > to) return;
    if (starts.empty()) {
      // One report; its first line is its title when it is shaped like one
      // and is not the salutation, a date line or a subtitle of a speech.
      // A document number ("宜府办函〔2026〕24号") stands above the title.
      uint32_t title_line = first_content;
      if (DocumentNumber(LineText(first_content))) {
        for (uint32_t l = first_content + 1; l <= to; ++l) {
          if (Blank(l)) continue;
          if (LooksTitleShaped(l)) title_line = l;
          break;
        }
      }
      if (title_line != first_content) {
        layout_.reports.push_back(ReportRange{title_line, first_content, to});
        return;
      }
      std::string_view t = LineText(first_content);
      bool title = LooksTitleShaped(first_content) && !IsSalutation(t) && !StartsWithJunkRow(t, "label") && !t.ends_with("：") &&
                   t.substr(0, 3) != "—" && t.substr(0, 3) != "―" && t.substr(0, 3) != "（" &&
                   !LooksLikeMeetingLine(t);
      AddReport(first_content, to, title);
      return;
    }
    // Lines before the first title: junk if they look like it, else a
    // report without title.
    bool front_matter = false;
    for (uint32_t l = first_content; l < starts.front(); ++l) {
      if (Blank(l)) continue;
      if (Junk(l) || ShortFurniture(l)) {
        layout_.junk_lines.push_back(l);
      } else {
        front_matter = true;
      }
    }
    if (front_matter) {
      layout_.notes.push_back({first_content, "第一个报告标题之前有不属于任何报告的文字。"});
    }
    for (size_t i = 0; i < starts.size(); ++i) {
      AddReport(starts[i], i + 1 < starts.size() ? starts[i + 1] - 1 : to, true);
    }
  }

  void AddReport(uint32_t first, uint32_t last, bool has_title = true) {
    while (first <= last && Blank(first)) ++first;
    // Trailing blank and junk lines (advertising after a report) are not part
    // of it.
    while (last > first && (Blank(last) || Junk(last))) {
      if (!Blank(last)) layout_.junk_lines.push_back(last);
      --last;
    }
    if (first > last) return;
    ReportRange range{has_title ? first : 0, first, last};
    if (has_title) {
      if (TitleLabelLine(first)) {
        std::string_view t = LineText(first);
        for (std::string_view label : OutlineWords("title_label")) {
          if (t.substr(0, label.size()) == label) {
            range.title_offset = static_cast<uint32_t>(label.size());
            break;
          }
        }
      }
      // Fields under the title are page furniture only on a crawled page
      // (junk around the text, or the title given as a field itself); a Word
      // file's "来源：北京日报" is the report's own line.
      if (first < last && (crawled_ || range.title_offset != 0)) range.body_line = SkipPageFields(first + 1, last);
    }
    SkipOwnToc(&range);
    layout_.reports.push_back(range);
  }

  // A document's own table of contents, with or without page numbers (a
  // budget's 目录: 一、文字部分 / 第一部分 部门概况 / … / （十一）…表): from 目录
  // to the line before its first entry comes again, where the body begins.
  // Its lines are contents, not headings.
  void SkipOwnToc(ReportRange* range) {
    uint32_t from = range->body_line != 0 ? range->body_line
                    : range->title_line != 0 ? range->title_line + 1
                                             : range->first_line;
    uint32_t toc = 0;
    for (uint32_t l = from, seen = 0; l <= range->last_line && seen < 4; ++l) {
      if (Blank(l)) continue;
      ++seen;
      std::string_view t = LineText(l);
      if (t.size() <= 16 && IsTocHeading(Squeeze(t))) {
        toc = l;
        break;
      }
    }
    if (toc == 0) return;
    uint32_t first_entry = toc + 1;
    while (first_entry <= range->last_line && Blank(first_entry)) ++first_entry;
    if (first_entry > range->last_line) return;
    auto entry_title = [&](uint32_t l) {
      std::string_view title;
      int page = 0;
      return Squeeze(ParseTocEntry(LineText(l), &title, &page) ? title : LineText(l));
    };
    const std::string want = entry_title(first_entry);
    if (want.empty()) return;
    constexpr uint32_t kMaxEntries = 200;
    uint32_t body = 0;
    int entries = 0;
    for (uint32_t l = first_entry + 1; l <= range->last_line && l <= first_entry + kMaxEntries; ++l) {
      if (Blank(l)) continue;
      std::string_view t = LineText(l);
      std::string squeezed = Squeeze(t);
      // The body's heading, whole or broken over two lines (第一部分 / 国家信访局概况).
      if (squeezed == want ||
          (want.starts_with(squeezed) && squeezed.size() >= 6 && l < range->last_line &&
           squeezed + Squeeze(LineText(l + 1)) == want)) {
        body = l;
        break;
      }
      // Entries are short: a sentence ends the contents without a body found.
      if (utf8::CountCodePoints(t) > 60) return;
      ++entries;
    }
    if (body == 0 || entries < 2) return;
    range->body_line = body;
    if (layout_.toc_first_line != 0) return;
    own_toc_ = true;
    layout_.toc_first_line = toc;
    layout_.toc_last_line = body - 1;
    for (uint32_t l = first_entry; l < body; ++l) {
      if (Blank(l)) continue;
      std::string_view title;
      int page = 0;
      std::string_view line = source_.Line(l);
      if (!ParseTocEntry(LineText(l), &title, &page)) title = LineText(l);
      TocEntry entry;
      uint32_t begin = source_.LineBegin(l) + static_cast<uint32_t>(title.data() - line.data());
      entry.title = Span{begin, begin + static_cast<uint32_t>(title.size())};
      entry.line = l;
      entry.page = page;
      entry.report = static_cast<int>(layout_.reports.size());  // the report this contents is of
      layout_.toc.push_back(entry);
    }
  }

  // "宜府办函〔2026〕24号": the number of an official document.
  static bool DocumentNumber(std::string_view t) {
    return utf8::CountCodePoints(t) <= 24 && ContainsText(t, "〔") && ContainsText(t, "〕") && t.ends_with("号");
  }

  // "2010年2月4日在徐水县第十四届人民代表大会第四次会议上": the date and
  // meeting line under the title of a speech, not a title.
  static bool LooksLikeMeetingLine(std::string_view t) {
    return ContainsText(t, "会议上") || (ContainsText(t, "月") && ContainsText(t, "日在"));
  }

  void FinishJunk(const std::vector<uint32_t>& tail) {
    layout_.junk_lines.insert(layout_.junk_lines.end(), tail.begin(), tail.end());
    std::sort(layout_.junk_lines.begin(), layout_.junk_lines.end());
    layout_.junk_lines.erase(std::unique(layout_.junk_lines.begin(), layout_.junk_lines.end()),
                             layout_.junk_lines.end());
  }

  const SourceText& source_;
  Layout& layout_;
  mutable std::vector<int8_t> junk_;  // Junk(l): -1 not yet asked
  bool double_spaced_ = false;
  bool crawled_ = false;  // junk at either end: the file is a crawled web page
  bool own_toc_ = false;  // the TOC found is a document's own contents (SkipOwnToc), not a compilation's
  std::vector<size_t> pending_;  // TOC entries not yet matched
  std::unordered_map<uint32_t, uint32_t> link_target_;  // TOC entry line → bookmarked line (Word)
};

}  // namespace

std::string Squeeze(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t before = i;
    if (!utf8::IsWhiteSpace(utf8::Next(text, &i))) out.append(text.substr(before, i - before));
  }
  return out;
}

const std::vector<std::string_view>& OutlineWords(std::string_view role) {
  static const std::unordered_map<std::string_view, std::vector<std::string_view>> by_role = [] {
    std::unordered_map<std::string_view, std::vector<std::string_view>> out;
    for (const DataRow& row : DataTable("outline_words.tsv", 3)) out[row[0]].push_back(row[1]);
    return out;
  }();
  static const std::vector<std::string_view> none;
  auto it = by_role.find(role);
  return it == by_role.end() ? none : it->second;
}

bool StartsWithJunkRow(std::string_view line, std::string_view role) {
  std::string_view t = Trim(line);
  if (t.empty()) return false;
  static const std::vector<DataRow>& rows = DataTable("junk_lines.tsv", 2);
  for (const DataRow& row : rows) {
    if (row[0] == role && t.substr(0, row[1].size()) == row[1]) return true;
  }
  return false;
}

bool IsSalutation(std::string_view line) {
  std::string_view t = Trim(line);
  if (t.empty() || utf8::CountCodePoints(t) > 16) return false;
  for (std::string_view word : OutlineWords("salutation")) {
    if (t.substr(0, word.size()) == word) return true;
  }
  if (utf8::CountCodePoints(t) > 8) return false;
  for (std::string_view word : OutlineWords("salutation_end")) {
    if (t.ends_with(word)) return true;
  }
  return false;
}

std::string_view Trim(std::string_view line) {
  size_t begin = LeadingSpace(line);
  size_t end = line.size();
  while (end > begin) {
    size_t p = end;
    if (!utf8::IsInlineSpace(utf8::Prev(line, &p))) break;
    end = p;
  }
  return line.substr(begin, end - begin);
}

bool IsBlankLine(std::string_view line) { return Trim(line).empty(); }

bool IsJunkLine(std::string_view line) {
  std::string_view t = Trim(line);
  if (t.empty()) return false;
  // The whole lines in a set, the words a line may hold anywhere in one
  // matcher: one pass over the line, however long the lists grow.
  struct JunkWords {
    std::unordered_set<std::string_view> whole;
    size_t longest_whole = 0;  // a longer line is no whole junk line: not hashed
    TermMatcher contained;
    bool empty_word = false;   // an empty word is in every line
  };
  static const JunkWords* words = [] {
    auto* w = new JunkWords;
    std::vector<std::string_view> contained;
    for (const DataRow& row : DataTable("junk_lines.tsv", 2)) {
      if (row[0] == "line") {
        w->whole.insert(row[1]);
        w->longest_whole = std::max(w->longest_whole, row[1].size());
      } else {
        contained.push_back(row[1]);
        w->empty_word |= row[1].empty();
      }
    }
    w->contained = TermMatcher(contained);
    return w;
  }();
  if (t.size() <= words->longest_whole && words->whole.count(t) > 0) return true;
  return words->empty_word || words->contained.ContainsAny(t);
}

bool LooksLikeReportTitle(std::string_view line) {
  std::string_view t = Trim(line);
  if (t.empty() || utf8::CountCodePoints(t) > 60) return false;
  if (t.find("。") != std::string_view::npos || t.find("汇编") != std::string_view::npos) {
    return false;
  }
  if (MatchMarker(t)) return false;
  if (!HasYear(t)) return false;
  for (std::string_view word : ReportKindWords()) {
    if (t.find(word) != std::string_view::npos) return true;
  }
  return false;
}

Layout SplitCompilation(const SourceText& source, bool split) {
  Layout layout;
  Splitter(source, &layout).Run(split);
  return layout;
}

}  // namespace taizhang::outline_internal
