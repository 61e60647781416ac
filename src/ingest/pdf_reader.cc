// ReadPdf and AssemblePdfText: poppler's words into paragraphs.
#include "ingest/pdf_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "common/module.h"
#include "common/utf8.h"
#include "ingest/ocr_module.h"
#include "ingest/pdf_module.h"

namespace taizhang::ingest_internal {

namespace {

struct Line {
  std::string text;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double size = 0;
  int page = 0;
  bool toc = false;
  bool table = false;  // a table row: cells, text = cells joined by tabs
  std::vector<std::string> cells;
  double left = 0, right = 0;  // the page's text margins (Measure)
};

bool IsAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Drops the spaces that extraction put next to a non-ASCII character
// ("2023 年", "XX 万元", "万 m³"); spaces between ASCII words stay single.
std::string CleanSpaces(std::string_view raw) {
  std::vector<char32_t> cps;
  for (size_t i = 0; i < raw.size();) cps.push_back(utf8::Next(raw, &i));
  std::string out;
  for (size_t k = 0; k < cps.size(); ++k) {
    char32_t c = cps[k];
    if (utf8::IsInlineSpace(c)) {
      char32_t before = out.empty() ? 0 : cps[k - 1];
      size_t next = k + 1;
      while (next < cps.size() && utf8::IsInlineSpace(cps[next])) ++next;
      char32_t after = next < cps.size() ? cps[next] : 0;
      if (before != 0 && after != 0 && before < 0x80 && after < 0x80) out += ' ';
      k = next - 1;
      continue;
    }
    if (c < 0x20) continue;
    utf8::Append(c, &out);
  }
  return out;
}

// "—2—", "- 2 -", "2", "第2页", "第 2 页 共 9 页", "2/9", "一2一".
bool IsPageNumber(std::string_view text) {
  std::string t;
  for (size_t i = 0; i < text.size();) {
    char32_t c = utf8::Next(text, &i);
    if (utf8::IsInlineSpace(c)) continue;
    utf8::Append(c, &t);
  }
  std::string_view s = t;
  auto strip = [&](std::initializer_list<std::string_view> marks) {
    bool again = true;
    while (again) {
      again = false;
      for (std::string_view m : marks) {
        if (s.size() >= m.size() && s.substr(0, m.size()) == m) {
          s.remove_prefix(m.size());
          again = true;
        }
        if (s.size() >= m.size() && s.substr(s.size() - m.size()) == m) {
          s.remove_suffix(m.size());
          again = true;
        }
      }
    }
  };
  // ("一" is how OCR reads the dashes of "—1—".)
  strip({"—", "–", "-", "－", "·", "•", "一"});
  auto digits = [](std::string_view d) {
    return !d.empty() && d.size() <= 5 && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (digits(s)) return true;
  // 第2页, 第2页共9页, 2/9
  if (s.substr(0, 3) == "第") {
    size_t end = s.find("页");
    if (end != std::string_view::npos && digits(s.substr(3, end - 3))) {
      std::string_view rest = s.substr(end + 3);
      if (rest.empty()) return true;
      if (rest.substr(0, 3) == "共" && rest.size() > 6 && rest.substr(rest.size() - 3) == "页" &&
          digits(rest.substr(3, rest.size() - 6))) {
        return true;
      }
    }
  }
  size_t slash = s.find('/');
  return slash != std::string_view::npos && digits(s.substr(0, slash)) && digits(s.substr(slash + 1));
}

// A line's words, in order, with what a table-of-contents entry needs.
struct RawLine {
  std::vector<const PdfWord*> words;
};

// The title and page of a TOC entry ("标题……3", "标题 55" right after one),
// or false.
bool TocEntry(const RawLine& raw, bool after_toc, std::string* title, std::string* page) {
  if (raw.words.empty()) return false;
  std::string joined;
  for (const PdfWord* w : raw.words) {
    joined += w->text;
    if (w->space_after) joined += ' ';
  }
  while (!joined.empty() && joined.back() == ' ') joined.pop_back();
  size_t end = joined.size();
  size_t d = end;
  while (d > 0 && joined[d - 1] >= '0' && joined[d - 1] <= '9') --d;
  if (d == end || end - d > 5) return false;
  size_t leader = d;
  int dots = 0;
  while (leader > 0) {
    if (joined[leader - 1] == '.' || joined[leader - 1] == ' ') {
      dots += joined[leader - 1] == '.';
      --leader;
    } else if (leader >= 3 && (joined.compare(leader - 3, 3, "…") == 0 || joined.compare(leader - 3, 3, "·") == 0 ||
                               joined.compare(leader - 3, 3, "．") == 0)) {
      ++dots;
      leader -= 3;
    } else if (leader >= 2 && joined.compare(leader - 2, 2, "\xC2\xB7") == 0) {  // middle dot
      ++dots;
      leader -= 2;
    } else {
      break;
    }
  }
  bool spaced = d > 0 && joined[d - 1] == ' ';
  if (dots < 3 && !(after_toc && spaced)) return false;
  std::string head = CleanSpaces(std::string_view(joined).substr(0, leader));
  if (head.empty()) return false;
  // A sentence ending in a number is no entry.
  if (head.size() >= 3 && (head.compare(head.size() - 3, 3, "。") == 0 || head.compare(head.size() - 3, 3, "，") == 0)) {
    return false;
  }
  *title = head;
  *page = joined.substr(d);
  return true;
}

// Starts with a heading marker: 一、 （一） (一) 1. 1、 1． （1） ①.
bool StartsWithMarker(std::string_view text) {
  size_t i = 0;
  if (text.empty()) return false;
  char32_t c = utf8::Next(text, &i);
  if (c >= U'①' && c <= U'⑳') return true;
  auto numeral = [](char32_t x) {
    return std::u32string_view(U"一二三四五六七八九十").find(x) != std::u32string_view::npos;
  };
  if (c == U'（' || c == '(') {
    if (i >= text.size()) return false;
    char32_t d = utf8::Next(text, &i);
    return numeral(d) || (d >= '0' && d <= '9');
  }
  if (numeral(c)) {
    while (i < text.size()) {
      size_t at = i;
      char32_t d = utf8::Next(text, &i);
      if (numeral(d)) continue;
      // (一是/二是 run inside paragraphs and may start a line anywhere.)
      return d == U'、' || (d == U'．' && at > 0);
    }
    return false;
  }
  if (c >= '0' && c <= '9') {
    while (i < text.size()) {
      char32_t d = utf8::Next(text, &i);
      if (d >= '0' && d <= '9') continue;
      if (d == U'、' || d == U'．') return true;
      if (d == '.') return i < text.size() && !(text[i] >= '0' && text[i] <= '9');
      return false;
    }
  }
  return false;
}

bool EndsSentence(std::string_view text) {
  if (text.empty()) return false;
  size_t i = text.size();
  char32_t c = utf8::Prev(text, &i);
  return c == U'。' || c == U'；' || c == U'：' || c == U'！' || c == U'？' || c == U'”' || c == ':' || c == ';';
}

// The most common value, in buckets of `bucket`; each value counts
// weights[k] times (once when no weights are given).
double Mode(const std::vector<double>& values, double bucket,
            const std::vector<double>& weights = {}) {
  std::map<long, double> counts;
  for (size_t k = 0; k < values.size(); ++k) {
    counts[std::lround(values[k] / bucket)] += k < weights.size() ? weights[k] : 1;
  }
  long best = 0;
  double best_count = -1;
  for (const auto& [key, count] : counts) {
    if (count > best_count) {
      best = key;
      best_count = count;
    }
  }
  return best * bucket;
}

// A row of a page: the words whose vertical centres agree, left to right,
// cut into cells at wide gaps.
struct Row {
  std::vector<const PdfWord*> words;
  std::vector<std::pair<size_t, size_t>> cells;  // [first, last) word indices
  double center = 0, height = 0, em = 0;
  bool table = false;
};

double WordHeight(const PdfWord& w) { return std::max(0.1, w.y1 - w.y0); }

// A number as tables print it: digits with , . % and a sign.
bool IsNumeric(std::string_view text) {
  bool digit = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != ',' && c != '.' && c != '%' && c != '-' && c != '+') {
      return false;
    }
  }
  return digit;
}

// The gaps of letter-spaced text ("2 0 2 5年度", a title set with spaces
// between its characters), which are no cell boundaries: a run of three or
// more one-character words with even gaps below two ems, and the gaps on
// either side of the run no wider than those. gaps[k] is the gap before
// word k.
std::vector<bool> LetterSpacedGaps(const std::vector<const PdfWord*>& words, double em) {
  const size_t n = words.size();
  std::vector<bool> spaced(n, false);
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && utf8::CountCodePoints(words[j]->text) == 1) ++j;
    if (j - i >= 3) {
      double low = 1e9, high = 0;
      for (size_t k = i + 1; k < j; ++k) {
        const double gap = words[k]->x0 - words[k - 1]->x1;
        low = std::min(low, gap);
        high = std::max(high, gap);
      }
      if (high < 2 * em && high <= std::max(1.6 * low, low + 0.3 * em)) {
        const double limit = std::max(1.6 * high, high + 0.3 * em);
        for (size_t k = i + 1; k < j; ++k) spaced[k] = true;
        if (i > 0 && words[i]->x0 - words[i - 1]->x1 <= limit) spaced[i] = true;
        if (j < n && words[j]->x0 - words[j - 1]->x1 <= limit) spaced[j] = true;
      }
    }
    i = std::max(j, i + 1);
  }
  return spaced;
}

// Groups the page's words into rows by the centre of their boxes (poppler's
// reading order runs column by column through a table), sorts each row left
// to right and cuts it into cells where the gap is wider than a space could
// be: about an em, or half an em between two numbers ("326.71" "60.99").
std::vector<Row> PageRows(const PdfPage& page) {
  std::vector<const PdfWord*> words;
  words.reserve(page.words.size());
  for (const PdfWord& w : page.words) {
    if (!w.text.empty()) words.push_back(&w);
  }
  std::stable_sort(words.begin(), words.end(), [](const PdfWord* a, const PdfWord* b) {
    return a->y0 + a->y1 < b->y0 + b->y1;
  });
  const double cell_gap = page.recognised ? 2.0 : 0.9;
  std::vector<Row> rows;
  for (const PdfWord* w : words) {
    const double center = (w->y0 + w->y1) / 2, h = WordHeight(*w);
    if (rows.empty() ||
        std::fabs(center - rows.back().center) > 0.5 * std::max(h, rows.back().height)) {
      rows.emplace_back();
      rows.back().center = center;
      rows.back().height = h;
    } else {
      // The row's centre is the mean of its words' (recognised words of a
      // scan sit a little up or down; a comma's box is small and low).
      Row& row = rows.back();
      row.center = (row.center * row.words.size() + center) / (row.words.size() + 1);
      row.height = std::max(row.height, h);
    }
    rows.back().words.push_back(w);
  }
  for (Row& row : rows) {
    std::stable_sort(row.words.begin(), row.words.end(),
                     [](const PdfWord* a, const PdfWord* b) { return a->x0 < b->x0; });
    std::vector<double> sizes;
    for (const PdfWord* w : row.words)
      sizes.push_back(w->font_size > 0 ? w->font_size : WordHeight(*w) / 1.3);
    std::nth_element(sizes.begin(), sizes.begin() + sizes.size() / 2, sizes.end());
    row.em = std::max(1.0, sizes[sizes.size() / 2]);
    const std::vector<bool> spaced = LetterSpacedGaps(row.words, row.em);
    size_t first = 0;
    for (size_t k = 1; k < row.words.size(); ++k) {
      const PdfWord& prev = *row.words[k - 1];
      const PdfWord& w = *row.words[k];
      const double gap = w.x0 - prev.x1;
      if (spaced[k]) continue;
      if (gap > cell_gap * row.em ||
          (gap > 0.4 * row.em && IsNumeric(prev.text) && IsNumeric(w.text))) {
        row.cells.emplace_back(first, k);
        first = k;
      }
    }
    row.cells.emplace_back(first, row.words.size());
    // A table-of-contents entry ("第一部分  概况……2") is one line, no row.
    for (const PdfWord* w : row.words) {
      if (w->text.find("...") != std::string::npos || w->text.find("……") != std::string::npos ||
          w->text.find("···") != std::string::npos) {
        row.cells.assign(1, {0, row.words.size()});
        break;
      }
    }
  }
  return rows;
}

double CellLeft(const Row& row, size_t c) { return row.words[row.cells[c].first]->x0; }
double CellRight(const Row& row, size_t c) { return row.words[row.cells[c].second - 1]->x1; }

// The cells of `row` whose left edge, right edge or centre lines up with a
// cell of `other`.
int AlignedCells(const Row& row, const Row& other) {
  int aligned = 0;
  for (size_t c = 0; c < row.cells.size(); ++c) {
    const double l = CellLeft(row, c), r = CellRight(row, c), m = (l + r) / 2;
    for (size_t d = 0; d < other.cells.size(); ++d) {
      const double ol = CellLeft(other, d), or_ = CellRight(other, d), om = (ol + or_) / 2;
      if (std::fabs(l - ol) < 3 || std::fabs(r - or_) < 3 || std::fabs(m - om) < 3) {
        ++aligned;
        break;
      }
    }
  }
  return aligned;
}

// A row of three or more cells, two of them longer than one character (a
// title spaced out letter by letter is no table row): a table row by itself.
bool StrongRow(const Row& row) {
  if (row.cells.size() < 3) return false;
  int long_cells = 0;
  for (const auto& [first, last] : row.cells) {
    size_t chars = 0;
    for (size_t k = first; k < last && chars < 2; ++k)
      chars += utf8::CountCodePoints(row.words[k]->text);
    long_cells += chars >= 2;
  }
  return long_cells >= 2;
}

// Marks the rows that form tables: runs of rows of two or more cells, each
// near the one before and lined up with it in at least two cells (or a
// strong row), with the one-cell rows between them (a cell's wrapped text, a
// spanning label). A run is a table when it has two such rows or a strong one.
void MarkTables(std::vector<Row>* rows) {
  const size_t n = rows->size();
  size_t k = 0;
  while (k < n) {
    if ((*rows)[k].cells.size() < 2) {
      ++k;
      continue;
    }
    size_t last = k;  // the last multi-cell row of the run
    int members = 1;
    bool strong = StrongRow((*rows)[k]);
    for (size_t j = k + 1; j < n; ++j) {
      const Row& row = (*rows)[j];
      const Row& anchor = (*rows)[last];
      if (row.center - anchor.center > 6 * std::max(anchor.height, row.height) + 10) break;
      if (row.cells.size() < 2) continue;
      bool fits = StrongRow(row);
      for (size_t back = last + 1; back-- > k && !fits;) {
        const Row& earlier = (*rows)[back];
        if (earlier.cells.size() >= 2 && AlignedCells(row, earlier) >= 2) fits = true;
        if (last - back > 6) break;
      }
      if (!fits) break;
      strong = strong || StrongRow(row);
      last = j;
      ++members;
    }
    if (members >= 2 || strong) {
      for (size_t j = k; j <= last; ++j) (*rows)[j].table = true;
    }
    k = last + 1;
  }
}

// The cells of a table row, cut finer once the row is known to be one: at a
// gap of half an em (narrow columns: "预算数" "上年数"), and after an amount
// ("16,474.82") that a narrow column set right against the next cell's text
// ("一、一般公共服务支出") — a number with a decimal point or thousands
// comma, then a word that is no number, a visible gap apart.
void RefineTableCells(Row* row) {
  std::vector<std::pair<size_t, size_t>> cells;
  for (auto [first, last] : row->cells) {
    for (size_t k = first + 1; k < last; ++k) {
      const PdfWord& prev = *row->words[k - 1];
      const PdfWord& w = *row->words[k];
      const bool amount =
          IsNumeric(prev.text) && prev.text.find_first_of(".,") != std::string::npos;
      const double gap = w.x0 - prev.x1;
      if (gap > 0.45 * row->em ||
          (amount && !IsNumeric(w.text) && !(w.text[0] >= '0' && w.text[0] <= '9') &&
           gap > 0.1 * row->em)) {
        cells.emplace_back(first, k);
        first = k;
      }
    }
    cells.emplace_back(first, last);
  }
  row->cells = std::move(cells);
}

// The text of words [first, last) of a row: a space where extraction saw
// one or the gap is wider than a quarter em, then CleanSpaces.
std::string WordsText(const Row& row, size_t first, size_t last) {
  std::string text;
  for (size_t k = first; k < last; ++k) {
    const PdfWord& w = *row.words[k];
    if (k > first) {
      const PdfWord& prev = *row.words[k - 1];
      if (prev.space_after || w.x0 - prev.x1 > 0.25 * row.em) text += ' ';
    }
    text += w.text;
  }
  return CleanSpaces(text);
}

// The lines of one page, top to bottom.
std::vector<Line> PageLines(const PdfPage& page, int index) {
  std::vector<Row> rows = PageRows(page);
  MarkTables(&rows);
  for (Row& row : rows) {
    if (row.table) RefineTableCells(&row);
  }
  std::vector<Line> lines;
  bool after_toc = false;
  for (const Row& row : rows) {
    Line line;
    line.page = index;
    line.x0 = row.words.front()->x0;
    line.x1 = row.words.front()->x1;
    line.y0 = row.words.front()->y0;
    line.y1 = row.words.front()->y1;
    std::map<long, int> sizes;
    for (const PdfWord* w : row.words) {
      line.x1 = std::max(line.x1, w->x1);
      line.y0 = std::min(line.y0, w->y0);
      line.y1 = std::max(line.y1, w->y1);
      sizes[std::lround(w->font_size * 2)] += static_cast<int>(w->text.size());
    }
    int best = -1;
    for (const auto& [size, count] : sizes) {
      if (count > best) {
        best = count;
        line.size = size / 2.0;
      }
    }
    std::string title, page_number;
    if (row.table) {
      line.table = true;
      for (const auto& [first, last] : row.cells) line.cells.push_back(WordsText(row, first, last));
      for (size_t c = 0; c < line.cells.size(); ++c) line.text += (c ? "\t" : "") + line.cells[c];
    } else if (RawLine raw{row.words}; TocEntry(raw, after_toc, &title, &page_number)) {
      line.text = title + "\t" + page_number;
      line.toc = true;
    } else {
      line.text = WordsText(row, 0, row.words.size());
    }
    after_toc = line.toc;
    if (line.text.find_first_not_of('\t') != std::string::npos) lines.push_back(std::move(line));
  }
  return lines;
}

std::string WithoutDigits(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!(c >= '0' && c <= '9') && c != ' ') out += c;
  }
  return out;
}

// The left margin of `lines` — the smallest x where at least a tenth of them
// start (a stray line further left, such as a page number, does not count) —
// and the right edge of a full line: the most common right end among the
// lines reaching the last fifth, as justified lines all end there.
bool Margins(const std::vector<const Line*>& lines, double* left, double* right) {
  if (lines.size() < 4) return false;
  std::map<long, int> starts;
  for (const Line* l : lines) ++starts[std::lround(l->x0)];
  *left = lines.front()->x0;
  for (const Line* l : lines) *left = std::min(*left, l->x0);
  for (const auto& [x, count] : starts) {
    if (count * 10 >= static_cast<int>(lines.size()) && count >= 2) {
      *left = x - 0.5;
      break;
    }
  }
  std::vector<double> rights;
  for (const Line* l : lines) rights.push_back(l->x1);
  std::sort(rights.begin(), rights.end());
  const double far = rights[rights.size() * 8 / 10];
  std::map<long, int> ends;
  for (double r : rights) {
    if (r >= far - 0.5) ++ends[std::lround(r / 2)];
  }
  int best = 0;
  *right = far;
  for (const auto& [x, count] : ends) {
    if (count >= best) {
      best = count;
      *right = x * 2.0 + 1;
    }
  }
  *right = std::min(*right, far);
  return true;
}

// Sets each prose line's left and right margins: its page's own when the page
// has enough prose lines, else those of all pages of the same size (portrait
// and landscape pages of one document have different margins).
void Measure(const std::vector<PdfPage>& pages, std::vector<std::vector<Line>>* by_page) {
  std::map<long, std::vector<const Line*>> by_width;
  std::vector<long> page_class(by_page->size());
  for (size_t p = 0; p < by_page->size(); ++p) {
    page_class[p] = std::lround(pages[p].width / 10) * 100000 + std::lround(pages[p].height / 10);
    for (const Line& l : (*by_page)[p]) {
      if (!l.table && !l.toc) by_width[page_class[p]].push_back(&l);
    }
  }
  std::map<long, std::pair<double, double>> class_margins;
  for (const auto& [cls, lines] : by_width) {
    double left = 0, right = 0;
    if (!Margins(lines, &left, &right)) {
      left = lines.front()->x0;
      right = lines.front()->x1;
      for (const Line* l : lines) left = std::min(left, l->x0), right = std::max(right, l->x1);
    }
    class_margins[cls] = {left, right};
  }
  for (size_t p = 0; p < by_page->size(); ++p) {
    std::vector<const Line*> prose;
    for (const Line& l : (*by_page)[p]) {
      if (!l.table && !l.toc) prose.push_back(&l);
    }
    auto it = class_margins.find(page_class[p]);
    if (it == class_margins.end()) continue;
    double left = 0, right = 0;
    if (prose.size() < 8 || !Margins(prose, &left, &right)) {
      std::tie(left, right) = it->second;
    } else {
      // A page without a full line (a list of short items) or without a
      // line at the margin (all indented) keeps the margins of its kind.
      const double em = std::max(1.0, prose[prose.size() / 2]->size);
      if (right < it->second.second - 2 * em) right = it->second.second;
      if (left > it->second.first + 2 * em) left = it->second.first;
    }
    for (Line& l : (*by_page)[p]) l.left = left, l.right = right;
  }
}

void ReplaceInvalidUtf8(std::string* text) {
  if (utf8::FindInvalid(*text) == text->size()) return;
  std::string clean;
  for (size_t i = 0; i < text->size();) {
    size_t at = i;
    char32_t c = utf8::Next(*text, &i);
    if (c == utf8::kInvalid) {
      clean += "\xEF\xBF\xBD";
    } else {
      clean.append(*text, at, i - at);
    }
  }
  *text = std::move(clean);
}

// A word that starts or ends with a full-width mark reaches a whole em
// before or after its glyph's box.
void WidenFullWidthMarks(PdfWord* w) {
  static constexpr std::u32string_view kClosing = U"，。；：！？、）》”’", kOpening = U"（《“‘";
  if (w->text.empty()) return;
  const double em = std::max(1.0, w->font_size);
  size_t i = w->text.size();
  const char32_t last = utf8::Prev(w->text, &i);
  if (kClosing.find(last) != std::u32string_view::npos)
    w->x1 = std::max(w->x1, w->x0 + em * utf8::CountCodePoints(w->text));
  size_t j = 0;
  const char32_t first = utf8::Next(w->text, &j);
  if (kOpening.find(first) != std::u32string_view::npos)
    w->x0 = std::min(w->x0, w->x1 - em * utf8::CountCodePoints(w->text));
}

bool IsCjk(char32_t c) { return (c >= 0x3000 && c <= 0x9FFF) || (c >= 0xFF00 && c <= 0xFFEF); }

// Tesseract reads the full-width punctuation of Chinese text as ASCII
// ("已批复;项目", "(五)"): a , ; : ( ) ! ? next to a Chinese character
// becomes the full-width mark the page printed. And a full-width mark's box
// hugs its small glyph, though it takes a whole em on the line: it is
// widened to an em, so that the gap after "，" is no cell boundary.
// `words` in reading order.
void NormalizeRecognisedWords(std::vector<PdfWord>* words) {
  auto last_char = [](const std::string& t) {
    size_t i = t.size();
    return t.empty() ? char32_t{0} : utf8::Prev(t, &i);
  };
  auto first_char = [](const std::string& t) {
    size_t i = 0;
    return t.empty() ? char32_t{0} : utf8::Next(t, &i);
  };
  for (size_t k = 0; k < words->size(); ++k) {
    WidenFullWidthMarks(&(*words)[k]);
    const std::string& text = (*words)[k].text;
    if (text.find_first_of(",;:()!?") == std::string::npos) continue;
    std::vector<char32_t> cps;
    for (size_t i = 0; i < text.size();) cps.push_back(utf8::Next(text, &i));
    const char32_t before_word = k > 0 ? last_char((*words)[k - 1].text) : 0;
    const char32_t after_word = k + 1 < words->size() ? first_char((*words)[k + 1].text) : 0;
    std::string out;
    for (size_t c = 0; c < cps.size(); ++c) {
      const char32_t before = c > 0 ? cps[c - 1] : before_word,
                     after = c + 1 < cps.size() ? cps[c + 1] : after_word;
      static constexpr std::u32string_view kAscii = U",;:()!?", kFull = U"，；：（）！？";
      const size_t at = kAscii.find(cps[c]);
      const bool opening = cps[c] == '(';
      if (at != std::u32string_view::npos &&
          ((opening ? IsCjk(after) : IsCjk(before)) || (IsCjk(before) && IsCjk(after)))) {
        utf8::Append(kFull[at], &out);
      } else {
        utf8::Append(cps[c], &out);
      }
    }
    (*words)[k].text = std::move(out);
    WidenFullWidthMarks(&(*words)[k]);
  }
}

constexpr const char* kNoTextLayer = "PDF 中没有文字层（可能是扫描件或图片）";

// Poppler keeps state shared between documents (its colour management
// through lcms2 showed unsynchronised writes under ThreadSanitizer when two
// threads read PDFs at once): one PDF at a time in this process, whatever
// the threads of a run (-j) do with the rest of the analysis.
std::mutex& PopplerLock() {
  static std::mutex lock;
  return lock;
}

bool BeginPage(void* context, double width, double height, int recognised) noexcept {
  try {
    PdfPage page;
    page.width = width;
    page.height = height;
    page.recognised = recognised != 0;
    static_cast<std::vector<PdfPage>*>(context)->push_back(std::move(page));
    return true;
  } catch (...) {
    return false;
  }
}

bool AddWord(void* context, const PdfModuleWord* word) noexcept {
  try {
    auto* pages = static_cast<std::vector<PdfPage>*>(context);
    if (pages->empty()) return false;
    PdfWord w;
    w.text.assign(word->text, word->text_size);
    w.x0 = word->x0;
    w.y0 = word->y0;
    w.x1 = word->x1;
    w.y1 = word->y1;
    w.font_size = word->font_size;
    w.space_after = word->space_after != 0;
    pages->back().words.push_back(std::move(w));
    return true;
  } catch (...) {
    return false;
  }
}

// What a module says of an exception inside it, for a message.
std::string ModuleFailure(const char* what, const char* detail) {
  return std::string(what) + (detail[0] != '\0' ? std::string("（") + detail + "）" : std::string());
}

// The words of a scanned PDF, from the OCR module; kEmpty with the reason
// when the module or its language data is missing.
Result<std::vector<PdfPage>> RecognisePdf(const std::string& name, std::string_view bytes,
                                          const ReadOptions& options) {
  std::string error;
  auto ocr = reinterpret_cast<OcrPdfPagesFn>(
      LoadModuleSymbol("taizhang-ocr.so", "TAIZHANG_OCR_MODULE", "taizhang_ocr_pdf_pages", &error));
  if (ocr == nullptr) {
    return Status(StatusCode::kEmpty,
                  name + "：" + kNoTextLayer + "，本机无法做文字识别（OCR）：" + error +
                      "。请安装 Debian 软件包 libtesseract5 与 tesseract-ocr-chi-sim 后重新编译。");
  }
  OcrModuleRequest request;
  request.data = bytes.data();
  request.size = bytes.size();
  request.max_pages = options.max_pdf_pages;
  std::vector<PdfPage> pages;
  const PdfModuleSink sink = PagesSink(&pages);
  char detail_buffer[kModuleDetailSize] = "";
  std::unique_lock<std::mutex> one_at_a_time(PopplerLock());
  const int result = ocr(&request, &sink, detail_buffer, sizeof detail_buffer);
  one_at_a_time.unlock();
  const std::string detail = detail_buffer;
  switch (static_cast<OcrModuleResult>(result)) {
    case OcrModuleResult::kOk:
      return pages;
    case OcrModuleResult::kDamaged:
      return Status(StatusCode::kUndecodable, name + "：PDF 文件已损坏，无法渲染页面做文字识别。");
    case OcrModuleResult::kNoLanguageData:
      return Status(StatusCode::kEmpty,
                    name + "：" + kNoTextLayer + "，文字识别（OCR）缺少中文语言数据（" + detail +
                        "）。请安装 Debian 软件包 tesseract-ocr-chi-sim，或用环境变量 "
                        "TESSDATA_PREFIX 指向含 " +
                        detail + ".traineddata 的目录。");
    case OcrModuleResult::kRenderFailed:
      return Status(StatusCode::kUndecodable,
                    name + "：PDF 第 " + detail + " 页无法渲染，未做文字识别。");
    case OcrModuleResult::kFailed:
      return Status(StatusCode::kUndecodable,
                    name + "：" + ModuleFailure("文字识别（OCR）时模块内部出错", detail_buffer) + "，未读取。");
    default:
      return Status(StatusCode::kInternal, name + "：文字识别模块返回了未知结果，未读取。");
  }
}

}  // namespace

PdfModuleSink PagesSink(std::vector<PdfPage>* pages) { return PdfModuleSink{pages, BeginPage, AddWord}; }

std::string AssemblePdfText(const std::vector<PdfPage>& pages, std::vector<LineOrigin>* origins,
                            std::vector<Table>* tables) {
  std::vector<std::vector<Line>> by_page;
  for (size_t p = 0; p < pages.size(); ++p) by_page.push_back(PageLines(pages[p], static_cast<int>(p)));

  // Page numbers: the first or last line of a page, nothing else.
  for (auto& lines : by_page) {
    if (!lines.empty() && !lines.back().table && IsPageNumber(lines.back().text)) lines.pop_back();
    if (!lines.empty() && !lines.front().table && IsPageNumber(lines.front().text))
      lines.erase(lines.begin());
  }
  // Running headers and footers: a first or last line repeated (numbers
  // aside) on at least 3 pages and 30% of them. (A table's heading row that
  // every page of a long table repeats is part of the table.)
  if (by_page.size() >= 3) {
    std::map<std::string, int> firsts, lasts;
    for (const auto& lines : by_page) {
      if (lines.empty()) continue;
      if (!lines.front().table) ++firsts[WithoutDigits(lines.front().text)];
      if (lines.size() > 1 && !lines.back().table) ++lasts[WithoutDigits(lines.back().text)];
    }
    auto running = [&](const std::map<std::string, int>& counts, const Line& line) {
      if (line.table) return false;
      std::string key = WithoutDigits(line.text);
      auto it = counts.find(key);
      return !key.empty() && it != counts.end() && it->second >= 3 &&
             it->second * 10 >= static_cast<int>(by_page.size()) * 3;
    };
    for (auto& lines : by_page) {
      if (lines.size() > 1 && running(lasts, lines.back())) lines.pop_back();
      if (!lines.empty() && running(firsts, lines.front())) lines.erase(lines.begin());
    }
  }
  Measure(pages, &by_page);

  std::vector<Line> all;
  for (auto& lines : by_page) {
    for (Line& l : lines) all.push_back(std::move(l));
  }
  if (all.empty()) return "";

  // The body's measures: the font size of most of the prose's text, and the
  // line pitch.
  std::vector<double> sizes, weights, pitches;
  for (size_t k = 0; k < all.size(); ++k) {
    if (all[k].toc || all[k].table) continue;
    sizes.push_back(all[k].size);
    weights.push_back(static_cast<double>(all[k].text.size()));
    if (k > 0 && all[k - 1].page == all[k].page && all[k].y0 > all[k - 1].y0 && !all[k - 1].table) {
      pitches.push_back(all[k].y0 - all[k - 1].y0);
    }
  }
  if (sizes.empty()) {
    for (const Line& l : all) sizes.push_back(l.size);
  }
  const double body = Mode(sizes, 0.5, weights) > 0 ? Mode(sizes, 0.5, weights) : 12;
  const double pitch = pitches.empty() ? body * 1.4 : Mode(pitches, 0.5);

  auto centered_title = [&](const Line& l) {
    return !l.toc && l.size > body + 1 && l.x0 > l.left + body &&
           std::fabs((l.x0 + l.x1) - (l.left + l.right)) < 4 * l.size;
  };

  std::string text;
  std::string paragraph;
  int paragraph_page = 0;
  double paragraph_size = 0;
  auto flush = [&]() {
    if (paragraph.empty()) return;
    text += paragraph;
    text += '\n';
    LineOrigin origin;
    origin.paragraph = paragraph_page;
    origin.font_size = static_cast<uint16_t>(std::min(65535.0, std::max(0.0, paragraph_size * 2)));
    origins->push_back(origin);
    paragraph.clear();
  };
  // A table row: one line, its cells separated by tabs; rows in a run (on
  // consecutive pages too) form one table.
  bool in_table = false;
  auto emit_row = [&](const Line& line) {
    flush();
    if (tables != nullptr && !in_table) tables->emplace_back();
    in_table = true;
    LineOrigin origin;
    origin.paragraph = line.page;
    origin.font_size = static_cast<uint16_t>(std::min(65535.0, std::max(0.0, line.size * 2)));
    origin.table_row = true;
    if (tables != nullptr) {
      origin.table = static_cast<int32_t>(tables->size() - 1);
      TableRow row;
      row.line = static_cast<uint32_t>(origins->size() + 1);
      for (size_t c = 0; c < line.cells.size(); ++c) {
        if (c > 0) text += '\t';
        TableCell cell;
        cell.begin = static_cast<uint32_t>(text.size());
        text += line.cells[c];
        cell.end = static_cast<uint32_t>(text.size());
        cell.column = static_cast<uint16_t>(std::min<size_t>(c, 65535));
        row.cells.push_back(cell);
      }
      tables->back().rows.push_back(std::move(row));
    } else {
      text += line.text;
    }
    text += '\n';
    origins->push_back(origin);
  };
  for (size_t k = 0; k < all.size(); ++k) {
    const Line& line = all[k];
    if (line.table) {
      emit_row(line);
      continue;
    }
    bool start = k == 0 || in_table;
    in_table = false;
    if (!start) {
      const Line& prev = all[k - 1];
      const double size = line.size > 0 ? line.size : body;
      start = line.toc || prev.toc || line.x0 > line.left + 0.6 * size ||
              prev.x1 < prev.right - 1.5 * size ||
              (prev.page == line.page && line.y0 - prev.y0 > 1.6 * pitch) ||
              (prev.page != line.page && std::fabs(line.left - prev.left) > size) ||
              std::fabs(line.size - prev.size) > 1 ||
              (EndsSentence(prev.text) && StartsWithMarker(line.text));
      // A title that wraps: centered lines of the same large size.
      if (centered_title(line) && prev.size > body + 1 && std::fabs(line.size - prev.size) <= 0.5 &&
          prev.page == line.page && line.y0 - prev.y0 < 1.6 * std::max(pitch, line.y1 - line.y0)) {
        start = false;
      }
    }
    if (start) {
      flush();
      paragraph_page = line.page;
      paragraph_size = line.size;
    } else if (!paragraph.empty()) {
      // Across a line end: a space only between two English words.
      size_t i = paragraph.size();
      char32_t before = utf8::Prev(paragraph, &i);
      size_t j = 0;
      char32_t after = utf8::Next(line.text, &j);
      // (A number and its unit, "14" + "km", stay together.)
      if (IsAsciiLetter(before) && IsAsciiLetter(after)) paragraph += ' ';
    }
    paragraph += line.text;
  }
  flush();
  return text;
}

Result<SourceText> ReadPdf(std::string name, std::string_view bytes, const ReadOptions& options) {
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return Status(StatusCode::kTooLarge, name + "：PDF 文件过大，未读取。");
  }
  std::string error;
  auto read_pages = reinterpret_cast<ReadPdfPagesFn>(
      LoadModuleSymbol("taizhang-pdf.so", "TAIZHANG_PDF_MODULE", "taizhang_read_pdf_pages", &error));
  if (read_pages == nullptr) {
    return Status(StatusCode::kInternal, name + "：无法读取 PDF：" + error + "。");
  }
  PdfModuleRequest request;
  request.data = bytes.data();
  request.size = bytes.size();
  request.max_pages = options.max_pdf_pages;
  request.max_text_bytes = options.max_bytes;
  std::vector<PdfPage> pages;
  const PdfModuleSink sink = PagesSink(&pages);
  char detail[kModuleDetailSize] = "";
  std::unique_lock<std::mutex> one_at_a_time(PopplerLock());
  const int result = read_pages(&request, &sink, detail, sizeof detail);
  one_at_a_time.unlock();
  switch (static_cast<PdfModuleResult>(result)) {
    case PdfModuleResult::kOk:
      break;
    case PdfModuleResult::kDamaged:
      return Status(StatusCode::kUndecodable, name + "：PDF 文件已损坏或被截断，无法读取。");
    case PdfModuleResult::kEncrypted:
      return Status(StatusCode::kUndecodable, name + "：PDF 已加密（需要密码），未读取。");
    case PdfModuleResult::kTooManyPages:
      return Status(StatusCode::kTooLarge, name + "：PDF 超过 " + std::to_string(options.max_pdf_pages) +
                                               " 页的上限，未读取。");
    case PdfModuleResult::kTooMuchText:
      return Status(StatusCode::kTooLarge, name + "：PDF 文字超过 " + std::to_string(options.max_bytes >> 20) +
                                               " MiB 的上限，未读取。");
    case PdfModuleResult::kFailed:
      return Status(StatusCode::kUndecodable,
                    name + "：" + ModuleFailure("读取 PDF 时模块内部出错", detail) + "，未读取。");
    default:
      return Status(StatusCode::kInternal, name + "：PDF 模块返回了未知结果，未读取。");
  }
  // Invalid UTF-8 from a broken font map: replaced, never passed on.
  for (PdfPage& page : pages) {
    for (PdfWord& word : page.words) ReplaceInvalidUtf8(&word.text);
  }
  std::vector<LineOrigin> origins;
  std::vector<Table> tables;
  std::string text = AssemblePdfText(pages, &origins, &tables);
  std::string format = "PDF";
  if (text.find_first_not_of(" \t\n") == std::string::npos) {
    // No text layer: a scan. Its words are recognised (OCR) when the module
    // and its Chinese language data are there.
    Result<std::vector<PdfPage>> recognised = RecognisePdf(name, bytes, options);
    if (!recognised.ok()) return recognised.status();
    origins.clear();
    tables.clear();
    pages = std::move(*recognised);
    for (PdfPage& page : pages) {
      for (PdfWord& word : page.words) ReplaceInvalidUtf8(&word.text);
      NormalizeRecognisedWords(&page.words);
    }
    text = AssemblePdfText(pages, &origins, &tables);
    if (text.find_first_not_of(" \t\n") == std::string::npos) {
      return Status(
          StatusCode::kEmpty,
          name + "：PDF 中没有文字层（可能是扫描件或图片），文字识别（OCR）也没有识别出文字。");
    }
    format = "PDF（文字识别）";
  }
  SourceText source(std::move(name), std::move(format), std::move(text), 0);
  SourceText::Layout layout;
  layout.origins = std::move(origins);
  layout.tables = std::move(tables);
  source.set_layout(std::move(layout));
  return source;
}

}  // namespace taizhang::ingest_internal
