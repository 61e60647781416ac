// ReadPdf and AssemblePdfText: poppler's words into paragraphs.
#include "ingest/pdf_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>

#include "common/module.h"
#include "common/utf8.h"
#include "ingest/pdf_module.h"

namespace taizhang::ingest_internal {

namespace {

struct Line {
  std::string text;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double size = 0;
  int page = 0;
  bool toc = false;
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

// "—2—", "- 2 -", "2", "第2页", "第 2 页 共 9 页", "2/9".
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
  strip({"—", "–", "-", "－", "·", "•"});
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

double Mode(const std::vector<double>& values, double bucket) {
  std::map<long, int> counts;
  for (double v : values) ++counts[std::lround(v / bucket)];
  long best = 0;
  int best_count = -1;
  for (const auto& [key, count] : counts) {
    if (count > best_count) {
      best = key;
      best_count = count;
    }
  }
  return best * bucket;
}

// The lines of one page, in reading order.
std::vector<Line> PageLines(const PdfPage& page, int index) {
  std::vector<RawLine> raws;
  std::vector<Line> lines;
  auto height = [](const PdfWord& w) { return std::max(0.1, w.y1 - w.y0); };
  for (const PdfWord& w : page.words) {
    if (w.text.empty()) continue;
    bool start = raws.empty();
    if (!start) {
      const PdfWord& last = *raws.back().words.back();
      double center = (w.y0 + w.y1) / 2, last_center = (last.y0 + last.y1) / 2;
      double h = std::min(height(w), height(last));
      start = std::fabs(center - last_center) > 0.5 * h || w.x0 < last.x1 - std::max(2.0, 0.5 * h);
    }
    if (start) raws.emplace_back();
    raws.back().words.push_back(&w);
  }
  bool after_toc = false;
  for (const RawLine& raw : raws) {
    Line line;
    line.page = index;
    line.x0 = raw.words.front()->x0;
    line.x1 = raw.words.back()->x1;
    line.y0 = raw.words.front()->y0;
    line.y1 = raw.words.front()->y1;
    std::map<long, int> sizes;
    std::string text;
    for (size_t k = 0; k < raw.words.size(); ++k) {
      const PdfWord& w = *raw.words[k];
      line.y0 = std::min(line.y0, w.y0);
      line.y1 = std::max(line.y1, w.y1);
      sizes[std::lround(w.font_size * 2)] += static_cast<int>(w.text.size());
      if (k > 0) {
        const PdfWord& prev = *raw.words[k - 1];
        // A wide gap without a space flag is a column or cell boundary.
        if (prev.space_after || w.x0 - prev.x1 > std::max(1.0, w.font_size)) text += ' ';
      }
      text += w.text;
    }
    int best = -1;
    for (const auto& [size, count] : sizes) {
      if (count > best) {
        best = count;
        line.size = size / 2.0;
      }
    }
    std::string title, page_number;
    if (TocEntry(raw, after_toc, &title, &page_number)) {
      line.text = title + "\t" + page_number;
      line.toc = true;
    } else {
      line.text = CleanSpaces(text);
    }
    after_toc = line.toc;
    if (!line.text.empty()) lines.push_back(std::move(line));
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

}  // namespace

std::string AssemblePdfText(const std::vector<PdfPage>& pages, std::vector<LineOrigin>* origins) {
  std::vector<std::vector<Line>> by_page;
  for (size_t p = 0; p < pages.size(); ++p) by_page.push_back(PageLines(pages[p], static_cast<int>(p)));

  // Page numbers: the first or last line of a page, nothing else.
  for (auto& lines : by_page) {
    if (!lines.empty() && IsPageNumber(lines.back().text)) lines.pop_back();
    if (!lines.empty() && IsPageNumber(lines.front().text)) lines.erase(lines.begin());
  }
  // Running headers and footers: a first or last line repeated (numbers
  // aside) on at least 3 pages and 30% of them.
  if (by_page.size() >= 3) {
    std::map<std::string, int> firsts, lasts;
    for (const auto& lines : by_page) {
      if (lines.empty()) continue;
      ++firsts[WithoutDigits(lines.front().text)];
      if (lines.size() > 1) ++lasts[WithoutDigits(lines.back().text)];
    }
    auto running = [&](const std::map<std::string, int>& counts, const std::string& key) {
      auto it = counts.find(key);
      return !key.empty() && it != counts.end() && it->second >= 3 && it->second * 10 >= static_cast<int>(by_page.size()) * 3;
    };
    for (auto& lines : by_page) {
      if (lines.size() > 1 && running(lasts, WithoutDigits(lines.back().text))) lines.pop_back();
      if (!lines.empty() && running(firsts, WithoutDigits(lines.front().text))) lines.erase(lines.begin());
    }
  }

  std::vector<Line> all;
  for (auto& lines : by_page) {
    for (Line& l : lines) all.push_back(std::move(l));
  }
  if (all.empty()) return "";

  // The body's measures: left edge, right edge of a full line, font size, pitch.
  std::vector<double> lefts, rights, sizes, pitches;
  for (size_t k = 0; k < all.size(); ++k) {
    if (all[k].toc) continue;
    lefts.push_back(all[k].x0);
    rights.push_back(all[k].x1);
    sizes.push_back(all[k].size);
    if (k > 0 && all[k - 1].page == all[k].page && all[k].y0 > all[k - 1].y0) {
      pitches.push_back(all[k].y0 - all[k - 1].y0);
    }
  }
  if (lefts.empty()) {
    for (const Line& l : all) lefts.push_back(l.x0), rights.push_back(l.x1), sizes.push_back(l.size);
  }
  // The left margin: the smallest x where at least a tenth of the lines start
  // (a stray line further left, such as a page number, does not count).
  double left = *std::min_element(lefts.begin(), lefts.end());
  {
    std::map<long, int> starts;
    for (double x : lefts) ++starts[std::lround(x)];
    for (const auto& [x, count] : starts) {
      if (count * 10 >= static_cast<int>(lefts.size()) && count >= std::min<int>(2, lefts.size())) {
        left = x - 0.5;
        break;
      }
    }
  }
  const double body = Mode(sizes, 0.5) > 0 ? Mode(sizes, 0.5) : 12;
  std::vector<double> sorted_rights = rights;
  std::sort(sorted_rights.begin(), sorted_rights.end());
  const double right = sorted_rights[sorted_rights.size() * 8 / 10];
  const double pitch = pitches.empty() ? body * 1.4 : Mode(pitches, 0.5);

  auto centered_title = [&](const Line& l) { return l.size > body + 1 && l.x0 > left + body; };

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
  for (size_t k = 0; k < all.size(); ++k) {
    const Line& line = all[k];
    bool start = k == 0;
    if (!start) {
      const Line& prev = all[k - 1];
      const double size = line.size > 0 ? line.size : body;
      start = line.toc || prev.toc || line.x0 > left + 0.6 * size || prev.x1 < right - 1.5 * size ||
              (prev.page == line.page && line.y0 - prev.y0 > 1.6 * pitch) ||
              std::fabs(line.size - prev.size) > 1 || (EndsSentence(prev.text) && StartsWithMarker(line.text));
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
  switch (static_cast<PdfModuleResult>(read_pages(&request, &pages))) {
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
    default:
      return Status(StatusCode::kInternal, name + "：PDF 模块返回了未知结果，未读取。");
  }
  std::vector<LineOrigin> origins;
  std::string text = AssemblePdfText(pages, &origins);
  // Invalid UTF-8 from a broken font map: replaced, never passed on.
  if (utf8::FindInvalid(text) != text.size()) {
    std::string clean;
    for (size_t i = 0; i < text.size();) {
      size_t at = i;
      char32_t c = utf8::Next(text, &i);
      if (c == utf8::kInvalid) {
        clean += "\xEF\xBF\xBD";
      } else {
        clean.append(text, at, i - at);
      }
    }
    text = std::move(clean);
  }
  if (text.find_first_not_of(" \t\n") == std::string::npos) {
    return Status(StatusCode::kEmpty, name + "：PDF 中没有文字层（可能是扫描件或图片），本版本不做文字识别（OCR）。");
  }
  SourceText source(std::move(name), "PDF", std::move(text), 0);
  SourceText::Layout layout;
  layout.origins = std::move(origins);
  source.set_layout(std::move(layout));
  return source;
}

}  // namespace taizhang::ingest_internal
