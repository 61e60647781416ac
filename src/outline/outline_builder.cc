// BuildOutline: reports, paragraphs, headings with depth, sentences, sections.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "common/text_search.h"
#include "common/utf8.h"
#include "outline/compilation_splitter.h"
#include "outline/heading_marker.h"
#include "outline/outline.h"
#include "outline/report_metadata.h"
#include "outline/section_classifier.h"
#include "outline/sentence_splitter.h"

namespace taizhang {

const char* MarkerKindName(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::kChineseComma: return "chinese_comma";
    case MarkerKind::kChineseParen: return "chinese_paren";
    case MarkerKind::kArabicDot: return "arabic_dot";
    case MarkerKind::kArabicParen: return "arabic_paren";
    case MarkerKind::kCircled: return "circled";
    case MarkerKind::kEnumeration: return "enumeration";
    case MarkerKind::kStyle: return "style";
    case MarkerKind::kPart: return "part";
  }
  return "";
}

const char* SectionKindName(SectionKind kind) {
  switch (kind) {
    case SectionKind::kNone: return "";
    case SectionKind::kSummary: return "summary";
    case SectionKind::kHighlights: return "highlights";
    case SectionKind::kProblems: return "problems";
    case SectionKind::kPlan: return "plan";
    case SectionKind::kAppendix: return "appendix";
  }
  return "";
}

const char* SectionKindLabel(SectionKind kind) {
  switch (kind) {
    case SectionKind::kNone: return "";
    case SectionKind::kSummary: return "总结";
    case SectionKind::kHighlights: return "亮点";
    case SectionKind::kProblems: return "问题";
    case SectionKind::kPlan: return "计划";
    case SectionKind::kAppendix: return "附录";
  }
  return "";
}

const char* ReportKindName(ReportKind kind) {
  switch (kind) {
    case ReportKind::kOther: return "other";
    case ReportKind::kSummary: return "summary";
    case ReportKind::kPlan: return "plan";
    case ReportKind::kSummaryAndPlan: return "summary+plan";
    case ReportKind::kGovernmentWorkReport: return "government_work_report";
  }
  return "";
}

const char* ReportKindLabel(ReportKind kind) {
  switch (kind) {
    case ReportKind::kOther: return "其他";
    case ReportKind::kSummary: return "工作总结";
    case ReportKind::kPlan: return "工作计划";
    case ReportKind::kSummaryAndPlan: return "总结+计划";
    case ReportKind::kGovernmentWorkReport: return "政府工作报告";
  }
  return "";
}

std::string JoinedText(std::string_view text, Span span) {
  std::string out;
  std::string_view s = span.In(text);
  out.reserve(s.size());
  for (char c : s) {
    if (c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

namespace {

using outline_internal::FirstSentenceEnd;
using outline_internal::LeadingSpace;
using outline_internal::MarkerMatch;
using outline_internal::MatchMarker;

bool EndsSentenceOrClause(char32_t cp) {
  switch (cp) {
    case U'。': case U'！': case U'？': case '!': case '?': case U'；': case ';':
    case U'：': case ':': case U'…': case U'”': case U'’': case U'」': case U'』':
    case U'）': case ')': case U'》': case U'】': case '.':
      return true;
    default:
      return false;
  }
}

bool HasTerminator(std::string_view s) {
  return ContainsText(s, "。") || ContainsText(s, "！") || ContainsText(s, "？");
}

// "来源：北京日报", "时间：2026-02-02", "各位代表：": a short label and a colon
// open the line. Such a line starts a paragraph of its own.
bool LooksLikeLabelLine(std::string_view line) {
  if (utf8::CountCodePoints(line) > 30) return false;
  size_t i = 0;
  for (int chars = 0; i < line.size() && chars <= 6; ++chars) {
    char32_t cp = utf8::Next(line, &i);
    if (cp == U'：' || cp == ':') return chars > 0;
    if (cp == U'，' || cp == U'。') return false;
  }
  return false;
}

// Removes trailing white space and the punctuation that closes a heading line.
uint32_t TrimTitleEnd(std::string_view text, uint32_t begin, uint32_t end) {
  while (end > begin) {
    size_t p = end;
    char32_t cp = utf8::Prev(text.substr(0, end), &p);
    if (utf8::IsWhiteSpace(cp) || cp == U'：' || cp == ':' || cp == U'；' || cp == ';' || cp == U'，' ||
        cp == ',' || cp == U'、' || cp == U'。') {
      end = static_cast<uint32_t>(p);
    } else {
      break;
    }
  }
  return end;
}

class ReportBuilder {
 public:
  ReportBuilder(const SourceText& source, const OutlineOptions& options, Report* report,
                std::vector<std::pair<uint32_t, uint32_t>>* rejoined)
      : source_(source), text_(source.text()), options_(options), report_(*report),
        rejoined_(*rejoined) {}

  void Build(uint32_t first, uint32_t last) {
    MeasureBodyLook(first, last);
    uint32_t l = first;
    while (l <= last) {
      std::string_view line = source_.Line(l);
      uint32_t lead = LeadingSpace(line);
      if (lead == line.size()) {
        ++l;
        continue;
      }
      if (report_.headings.empty() && outline_internal::IsSalutation(line)) speech_ = true;
      uint32_t begin = source_.LineBegin(l) + lead;
      // A table row (Word or PDF) is no heading, whatever its first cell says
      // (a budget table's "一、一般公共服务支出").
      const bool table_row = IsTableRow(l);
      std::optional<MarkerMatch> marker = MatchMarker(line.substr(lead));
      uint32_t split_marker_line = 0;
      if (!marker && l < last) marker = MatchSplitMarker(l, lead, &split_marker_line);
      if (table_row) {
        marker.reset();
        split_marker_line = 0;
      }
      if (marker && marker->number == 0 && !ContinuesEnumeration()) marker.reset();
      const bool part = !marker && StandalonePart(l, line.substr(lead), first);
      const int style_level = marker || part ? -1 : StyleHeadingLevel(l, line.substr(lead));
      const FormatSignal format =
          marker || part || style_level >= 0 ? FormatSignal{} : FormatHeadingOf(l, line, lead);
      uint32_t para_last = std::max(l, split_marker_line);
      while (!part && style_level < 0 && format.shape == FormatSignal::kNone && para_last < last &&
             CanJoin(para_last, marker.has_value(), marker ? begin + marker->title_offset : begin)) {
        ++para_last;
      }
      // "三、持续提升政府" / "效能": a heading broken before its last words.
      if (marker && marker->kind != MarkerKind::kPart && para_last == l && l < last &&
          HeadingTail(l, begin + marker->title_offset)) {
        ++para_last;
      }
      if (para_last > l) rejoined_.emplace_back(l, para_last);
      Paragraph para;
      para.span = Span{begin, TrimmedLineEnd(para_last)};
      para.first_line = l;
      para.last_line = para_last;
      if (marker) {
        AddHeading(*marker, &para);
      } else if (part) {
        AddPartHeading(&para);
      } else if (style_level >= 0) {
        AddStyleHeading(style_level, &para);
      } else if (format.shape != FormatSignal::kNone) {
        AddFormatHeading(format, &para);
      }
      para.owner = stack_.empty() ? -1 : stack_.back();
      report_.paragraphs.push_back(para);
      l = para_last + 1;
    }
    FinishHeadings(last);
    if (options_.sentences) SplitAllSentences();
  }

 private:
  uint32_t TrimmedLineEnd(uint32_t l) const {
    std::string_view line = source_.Line(l);
    uint32_t begin = source_.LineBegin(l);
    uint32_t end = source_.LineEnd(l);
    while (end > begin) {
      size_t p = end - begin;
      char32_t cp = utf8::Prev(line, &p);
      if (!utf8::IsInlineSpace(cp)) break;
      end = begin + static_cast<uint32_t>(p);
    }
    return end;
  }

  // A line that stands alone, without a number, and names a top-level part
  // of the report ("2024年工作回顾", "今年工作安排", "加强政府自身建设") or the
  // notes after it ("附：名词解释"): a short title with no punctuation inside,
  // after a finished sentence (not the tail of a broken line).
  bool StandalonePart(uint32_t l, std::string_view rest, uint32_t first) const {
    std::string_view t = outline_internal::Trim(rest);
    const size_t chars = utf8::CountCodePoints(t);
    if (chars < 2 || chars > 24 || outline_internal::IsSalutation(t)) return false;
    if (t.substr(0, 3) == "—" || t.substr(0, 3) == "―" || t.substr(0, 1) == "-") return false;
    const std::vector<LineOrigin>& origins = source_.origins();
    if (l >= 1 && l <= origins.size() && origins[l - 1].table_row) return false;
    for (size_t i = 0; i < t.size();) {
      char32_t cp = utf8::Next(t, &i);
      if (EndsSentenceOrClause(cp) && cp != U'”' && cp != U'’' && cp != U'）' && cp != ')' && cp != U'》') {
        // "附：名词解释" keeps its colon.
        if (!((cp == U'：' || cp == ':') && i < t.size() && outline_internal::IsAppendixTitle(t))) return false;
      }
      if (cp == U'，' || cp == ',' || cp == U'、') return false;
    }
    // Notes come after a body: parts and paragraphs before them (not the
    // table of contents at the top).
    const bool appendix =
        outline_internal::IsAppendixTitle(t) && !report_.headings.empty() && report_.paragraphs.size() >= 10;
    // In a speech, a part may say only its year ("奋力完成2023年高质量发展的
    // 各项任务").
    const bool speech_part = speech_ && FindYearsIn(t);
    if (!appendix && !speech_part && !outline_internal::IsPartTitle(t)) return false;
    // The line before ends a sentence (or is the salutation); a title never
    // continues a broken line.
    for (uint32_t k = l; k > first;) {
      --k;
      std::string_view prev = outline_internal::Trim(source_.Line(k));
      if (prev.empty()) continue;
      size_t p = prev.size();
      char32_t last_char = utf8::Prev(prev, &p);
      return EndsSentenceOrClause(last_char) || utf8::CountCodePoints(prev) <= 24 || MatchMarker(prev);
    }
    return true;
  }

  // "（" on one line and "三）加快…" on the next: one marker broken in two.
  std::optional<MarkerMatch> MatchSplitMarker(uint32_t l, uint32_t lead, uint32_t* next_line) const {
    std::string_view t = outline_internal::Trim(source_.Line(l));
    // "第一部分" alone, its title on the next line ("国家信访局概况").
    const bool part_alone = t.starts_with("第") && t.ends_with("部分") && utf8::CountCodePoints(t) <= 8;
    if (t != "（" && t != "(" && !part_alone) return std::nullopt;
    std::string_view next = source_.Line(l + 1);
    uint32_t next_lead = LeadingSpace(next);
    if (part_alone) {
      std::string_view title = outline_internal::Trim(next);
      if (title.empty() || utf8::CountCodePoints(title) > 40 || title.ends_with("。")) return std::nullopt;
    }
    std::string joined = std::string(t) + std::string(next.substr(next_lead));
    std::optional<MarkerMatch> m = MatchMarker(joined);
    if (!m) return std::nullopt;
    // Offsets into the joined text, mapped onto the original: the marker
    // spans the line break.
    const uint32_t first_begin = source_.LineBegin(l) + lead;
    const uint32_t second_begin = source_.LineBegin(l + 1) + next_lead;
    auto map = [&](uint32_t off) { return off < t.size() ? off : second_begin - first_begin + off - static_cast<uint32_t>(t.size()); };
    // 第一部分 ends on its own line; a split （ / 三） marker spans the break.
    if (!part_alone) m->length = map(m->length);
    m->title_offset = map(m->title_offset);
    *next_line = l + 1;
    return m;
  }

  // The line after heading line l holds the last words of its title: the
  // title has no stop, the next line is a few characters without any
  // punctuation ("效能"), and a new paragraph follows it.
  bool HeadingTail(uint32_t l, uint32_t title_begin) const {
    const uint32_t end = TrimmedLineEnd(l);
    if (title_begin >= end) return false;
    std::string_view title = text_.substr(title_begin, end - title_begin);
    if (utf8::CountCodePoints(title) > 30) return false;
    for (size_t i = 0; i < title.size();) {
      if (EndsSentenceOrClause(utf8::Next(title, &i))) return false;
    }
    std::string_view next = outline_internal::Trim(source_.Line(l + 1));
    const size_t chars = utf8::CountCodePoints(next);
    if (chars == 0 || chars > 8 || MatchMarker(next) || outline_internal::IsSalutation(next) ||
        outline_internal::IsPartTitle(next) || outline_internal::IsAppendixTitle(next)) {
      return false;
    }
    for (size_t i = 0; i < next.size();) {
      char32_t cp = utf8::Next(next, &i);
      if (!(cp >= 0x4E00 && cp <= 0x9FFF)) return false;  // Han characters only
    }
    if (FindYearsIn(next)) return false;
    return true;
  }

  static bool FindYearsIn(std::string_view s) { return !outline_internal::FindYears(s).empty(); }

  // Whether line l+1 continues the paragraph that ends on line l: the
  // conversion broke a sentence in two (seed lines 195–196).
  bool IsTableRow(uint32_t l) const {
    const std::vector<LineOrigin>& origins = source_.origins();
    return l >= 1 && l <= origins.size() && origins[l - 1].table_row;
  }

  bool CanJoin(uint32_t l, bool is_heading, uint32_t title_begin) const {
    // Table rows are lines of their own: never joined with their neighbours.
    if (IsTableRow(l) || IsTableRow(l + 1)) return false;
    // Cheapest test first: nearly every line ends with a full stop.
    uint32_t end = TrimmedLineEnd(l);
    uint32_t begin = source_.LineBegin(l);
    if (end == begin) return false;
    size_t p = end;
    char32_t last_char = utf8::Prev(text_.substr(0, end), &p);
    if (EndsSentenceOrClause(last_char)) return false;
    std::string_view next = source_.Line(l + 1);
    uint32_t lead = LeadingSpace(next);
    if (lead == next.size()) return false;
    if (MatchMarker(next.substr(lead))) return false;
    if (outline_internal::IsJunkLine(next)) return false;
    if (LooksLikeLabelLine(next.substr(lead))) return false;
    std::string_view current = text_.substr(begin, end - begin);
    current.remove_prefix(LeadingSpace(current));
    // A subtitle ("——2026年1月25日在…会议上") ends without punctuation.
    if (current.substr(0, 3) == "—" || current.substr(0, 2) == "--") return false;
    if (is_heading) {
      // A heading line without a full stop is a title of its own; one with a
      // run-in lead sentence is a paragraph that may have been broken.
      return title_begin < end && HasTerminator(text_.substr(title_begin, end - title_begin));
    }
    return utf8::CountCodePoints(text_.substr(begin, end - begin)) >= 20;
  }

  // 最后 counts as an enumeration marker only after 首先/其次.
  bool ContinuesEnumeration() const {
    return !report_.headings.empty() &&
           report_.headings.back().kind == MarkerKind::kEnumeration;
  }

  // The outline level (0–8) of a Word paragraph that is a heading by its
  // style alone — a short line without a marker, with an outline level, not
  // a table row, no sentence inside — or -1. Plain text has no levels.
  int StyleHeadingLevel(uint32_t l, std::string_view line) const {
    const std::vector<LineOrigin>& origins = source_.origins();
    if (l == 0 || l > origins.size()) return -1;
    const LineOrigin& origin = origins[l - 1];
    if (origin.outline_level < 0 || origin.outline_level > 8 || origin.table_row) return -1;
    if (LeadIn(line)) return -1;
    size_t chars = 0;
    for (size_t i = 0; i < line.size();) {
      char32_t cp = utf8::Next(line, &i);
      ++chars;
      bool last = i >= line.size() || outline_internal::Trim(line.substr(i)).empty();
      if (!last && (cp == U'。' || cp == U'；' || cp == U'！' || cp == U'？')) return -1;
    }
    return chars >= 2 && chars <= 40 ? origin.outline_level : -1;
  }

  // A Word (or PDF) paragraph that is a heading by how it looks. Two shapes:
  //  - whole: short, no sentence inside, and set apart from the body text —
  //    all bold, in a heading typeface (黑体, 楷体) the body does not use, or
  //    in a larger size than the body's;
  //  - lead: it opens with a bold sentence of its own ("健全经济高质量发展
  //    体制机制。" bold, the rest plain) — a run-in heading.
  // Display headings (larger size, heading typeface) keep the rank their look
  // first had; bold ones sit below the innermost open heading.
  struct FormatSignal {
    enum Shape { kNone, kWhole, kLead } shape = kNone;
    bool display = false;
    uint32_t look = 0;      // size and typeface, for the rank of display headings
    uint32_t lead_end = 0;  // kLead: bytes of the line through the bold sentence
  };

  // The size and typeface of the report's body text: the ones most of its
  // characters (outside tables) have.
  void MeasureBodyLook(uint32_t first, uint32_t last) {
    const std::vector<LineOrigin>& origins = source_.origins();
    body_size_ = 0;
    heading_font_in_body_ = true;
    if (origins.empty()) return;
    std::map<uint16_t, uint64_t> by_size;
    uint64_t all = 0, in_heading_font = 0;
    for (uint32_t l = first; l <= last && l <= origins.size(); ++l) {
      const LineOrigin& o = origins[l - 1];
      if (o.table_row) continue;
      const uint64_t bytes = source_.LineEnd(l) - source_.LineBegin(l);
      by_size[o.font_size] += bytes;
      all += bytes;
      if (o.heading_font != 0) in_heading_font += bytes;
    }
    uint64_t best = 0;
    for (const auto& [size, bytes] : by_size) {
      if (bytes > best) {
        best = bytes;
        body_size_ = size;
      }
    }
    heading_font_in_body_ = all == 0 || in_heading_font * 2 > all;
  }

  FormatSignal FormatHeadingOf(uint32_t l, std::string_view line, uint32_t lead) const {
    FormatSignal signal;
    const std::vector<LineOrigin>& origins = source_.origins();
    if (l == 0 || l > origins.size()) return signal;
    const LineOrigin& o = origins[l - 1];
    if (o.table_row || o.outline_level >= 0) return signal;
    std::string_view rest = line.substr(lead);
    // A subtitle ("——2025年1月14日在…") or a dash-led summary is no heading.
    if (rest.substr(0, 3) == "—" || rest.substr(0, 1) == "-") return signal;
    if (LeadIn(rest)) return signal;
    const bool larger = body_size_ > 0 && o.font_size > 0 && o.font_size * 20 >= body_size_ * 23;
    const bool typeface = o.heading_font != 0 && !heading_font_in_body_;
    if (o.bold || larger || typeface) {
      // Looks are weaker evidence than an outline level: a paragraph that
      // ends as a sentence is a stressed sentence, not a heading.
      std::string_view trimmed = outline_internal::Trim(rest);
      size_t p = trimmed.size();
      char32_t last_char = trimmed.empty() ? 0 : utf8::Prev(trimmed, &p);
      const bool sentence = last_char == U'。' || last_char == U'！' || last_char == U'？' ||
                            last_char == U'；' || last_char == U'，';
      if (!sentence && ShortTitle(rest)) {
        signal.shape = FormatSignal::kWhole;
        signal.display = larger || typeface;
        signal.look = (static_cast<uint32_t>(o.font_size) << 8) | (o.heading_font << 1) | (o.bold ? 1 : 0);
      }
      return signal;
    }
    if (o.bold_lead > lead && o.bold_lead < line.size()) {
      // The bold text is one sentence or clause, its full stop or colon bold
      // or not ("健全经济高质量发展体制机制" bold, "。融入…" plain).
      auto is_stop = [](char32_t c) { return c == U'。' || c == U'：' || c == ':' || c == U'！'; };
      uint32_t lead_end = o.bold_lead;
      size_t before_last = lead_end;  // o.bold_lead > lead: one character at least
      if (!is_stop(utf8::Prev(line.substr(0, lead_end), &before_last))) {
        size_t q = lead_end;
        if (!is_stop(utf8::Next(line, &q))) return signal;
        lead_end = static_cast<uint32_t>(q);
      }
      std::string_view title = line.substr(lead, lead_end - lead);
      size_t p = title.size();
      utf8::Prev(title, &p);
      if (!ShortTitle(title.substr(0, p)) || lead_end >= line.size()) return signal;
      signal.shape = FormatSignal::kLead;
      signal.lead_end = lead_end;
    }
    return signal;
  }

  // "各位代表：", "重点抓好以下几个方面工作：", "现将有关情况报告如下：": a line
  // that addresses the audience or announces what follows is no heading,
  // however it looks.
  static bool LeadIn(std::string_view line) {
    std::string_view t = outline_internal::Trim(line);
    if (t.empty()) return false;
    if (outline_internal::IsSalutation(t)) return true;
    size_t p = t.size();
    char32_t last_char = utf8::Prev(t, &p);
    return last_char == U'：' || last_char == ':';
  }

  // 2–40 characters with no full stop, semicolon or question mark inside.
  static bool ShortTitle(std::string_view text) {
    size_t chars = 0;
    for (size_t i = 0; i < text.size();) {
      char32_t cp = utf8::Next(text, &i);
      ++chars;
      bool last = i >= text.size() || outline_internal::Trim(text.substr(i)).empty();
      if (!last && (cp == U'。' || cp == U'；' || cp == U'！' || cp == U'？')) return false;
    }
    return chars >= 2 && chars <= 40;
  }

  // The rank of the innermost open heading that is not a bold one (0 at the top).
  int OpenStructuralRank() const {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (!heading_relative_[*it]) return heading_rank_[*it];
    }
    return 0;
  }

  void AddFormatHeading(const FormatSignal& signal, Paragraph* para) {
    Heading h;
    h.line = para->first_line;
    h.column = source_.Locate(para->span.begin).column;
    h.kind = MarkerKind::kStyle;
    h.marker = Span{para->span.begin, para->span.begin};
    h.number = 0;
    if (signal.shape == FormatSignal::kWhole) {
      h.title = Span{para->span.begin, TrimTitleEnd(text_, para->span.begin, para->span.end)};
      h.body = Span{para->span.end, para->span.end};
    } else {
      const uint32_t lead_end = std::min(source_.LineBegin(para->first_line) + signal.lead_end, para->span.end);
      h.title = Span{para->span.begin, TrimTitleEnd(text_, para->span.begin, lead_end)};
      uint32_t body_begin = lead_end + LeadingSpace(text_.substr(lead_end, para->span.end - lead_end));
      h.run_in = body_begin < para->span.end;
      h.body = Span{body_begin, para->span.end};
    }
    int rank;
    if (signal.display) {
      auto [it, first_seen] = display_rank_.emplace(signal.look, 0);
      if (first_seen) it->second = OpenStructuralRank() + 4;
      rank = it->second;
    } else {
      rank = OpenStructuralRank() + 8;
    }
    Push(h, rank, para, /*relative=*/!signal.display);
  }

  // A heading without a marker: the whole paragraph is its title.
  Heading UnmarkedHeading(const Paragraph& para) const {
    Heading h;
    h.line = para.first_line;
    h.column = source_.Locate(para.span.begin).column;
    h.kind = MarkerKind::kStyle;
    h.marker = Span{para.span.begin, para.span.begin};
    h.number = 0;
    h.title = Span{para.span.begin, TrimTitleEnd(text_, para.span.begin, para.span.end)};
    h.body = Span{para.span.end, para.span.end};
    return h;
  }

  // A top-level part without a number: above every numbered heading.
  void AddPartHeading(Paragraph* para) { Push(UnmarkedHeading(*para), 0, para); }

  // A heading without a marker: its rank among the marker kinds follows its
  // outline level (level 0 beside 一、, level 1 beside （一）, …).
  void AddStyleHeading(int level, Paragraph* para) {
    Push(UnmarkedHeading(*para), kRankStep * std::min(level + 1, static_cast<int>(MarkerKind::kCircled)), para);
  }

  void AddHeading(const MarkerMatch& m, Paragraph* para) {
    Heading h;
    h.line = para->first_line;
    h.column = source_.Locate(para->span.begin).column;
    h.kind = m.kind;
    h.marker = Span{para->span.begin, para->span.begin + m.length};
    h.number = m.number;
    if (h.number == 0) h.number = report_.headings.back().number + 1;

    uint32_t title_begin = para->span.begin + m.title_offset;
    title_begin += LeadingSpace(text_.substr(title_begin, para->span.end - title_begin));
    uint32_t after = para->span.end;
    uint32_t title_end = FirstSentenceEnd(text_, Span{title_begin, para->span.end}, &after);
    h.title = Span{title_begin, TrimTitleEnd(text_, title_begin, title_end)};
    uint32_t body_begin = after;
    body_begin += LeadingSpace(text_.substr(body_begin, para->span.end - body_begin));
    h.run_in = body_begin < para->span.end;
    h.body = Span{body_begin, para->span.end};

    // 第一部分 stands above every numbered level, as a part title does.
    Push(h, m.kind == MarkerKind::kPart ? 0 : kRankStep * static_cast<int>(m.kind), para);
  }

  // Depth: below the nearest open heading of a higher level (a lower rank).
  void Push(Heading h, int rank, Paragraph* para, bool relative = false) {
    while (!stack_.empty() && heading_rank_[stack_.back()] >= rank) {
      Close(stack_.back(), para->first_line);
      stack_.pop_back();
    }
    h.parent = stack_.empty() ? -1 : stack_.back();
    h.depth = static_cast<int>(stack_.size()) + 1;
    int index = static_cast<int>(report_.headings.size());
    para->heading = index;
    report_.headings.push_back(h);
    heading_rank_.push_back(rank);
    heading_relative_.push_back(relative);
    heading_paragraph_.push_back(static_cast<int>(report_.paragraphs.size()));
    stack_.push_back(index);
  }

  // The subtree of heading `index` ends before line `next_line`.
  void Close(int index, uint32_t next_line) {
    uint32_t last = next_line - 1;
    while (last > report_.headings[index].line && IsBlankLine(last)) --last;
    report_.headings[index].last_line = last;
  }

  bool IsBlankLine(uint32_t l) const {
    std::string_view line = source_.Line(l);
    return LeadingSpace(line) == line.size();
  }

  void FinishHeadings(uint32_t last_line) {
    for (int index : stack_) Close(index, last_line + 1);
    stack_.clear();
    // A heading's body runs to the next heading's paragraph.
    for (size_t i = 0; i < report_.headings.size(); ++i) {
      int next_para = i + 1 < report_.headings.size() ? heading_paragraph_[i + 1]
                                                       : static_cast<int>(report_.paragraphs.size());
      Heading& h = report_.headings[i];
      if (next_para - 1 > heading_paragraph_[i]) {
        if (!h.run_in) h.body.begin = report_.paragraphs[heading_paragraph_[i] + 1].span.begin;
        h.body.end = report_.paragraphs[next_para - 1].span.end;
      }
      if (h.body.begin > h.body.end) h.body.begin = h.body.end;
    }
  }

  void SplitAllSentences() {
    std::vector<Span> spans;
    // About one sentence per 120 bytes of Chinese text.
    if (!report_.paragraphs.empty()) {
      report_.sentences.reserve(
          (report_.paragraphs.back().span.end - report_.paragraphs.front().span.begin) / 120 + 8);
    }
    for (size_t p = 0; p < report_.paragraphs.size(); ++p) {
      spans.clear();
      outline_internal::SplitSentences(text_, report_.paragraphs[p].span, &spans);
      for (const Span& s : spans) report_.sentences.push_back(Sentence{s, static_cast<int>(p)});
    }
  }

  const SourceText& source_;
  std::string_view text_;
  const OutlineOptions& options_;
  Report& report_;
  std::vector<std::pair<uint32_t, uint32_t>>& rejoined_;
  std::vector<int> stack_;              // open headings, outermost first
  std::vector<int> heading_paragraph_;  // paragraph index of each heading
  // Rank of each heading: kRankStep × its MarkerKind (style headings by
  // level); headings by their look fall in between (AddFormatHeading).
  static constexpr int kRankStep = 16;
  std::vector<int> heading_rank_;
  std::vector<bool> heading_relative_;  // a bold heading, ranked below the heading it is in
  std::unordered_map<uint32_t, int> display_rank_;  // look of a display heading → its rank
  uint16_t body_size_ = 0;
  bool heading_font_in_body_ = true;
  bool speech_ = false;  // a salutation ("各位代表：") opened the report
};

}  // namespace

OutlineResult BuildOutline(const SourceText& source, const OutlineOptions& options) {
  OutlineResult result;
  outline_internal::Layout layout =
      outline_internal::SplitCompilation(source, options.split_compilation);
  result.is_compilation = layout.is_compilation;
  result.compilation_title_line = layout.compilation_title_line;
  if (layout.compilation_title_line != 0) {
    uint32_t l = layout.compilation_title_line;
    std::string_view line = source.Line(l);
    std::string_view t = outline_internal::Trim(line);
    uint32_t begin = source.LineBegin(l) + static_cast<uint32_t>(t.data() - line.data());
    result.compilation_title = Span{begin, begin + static_cast<uint32_t>(t.size())};
  }
  result.toc_first_line = layout.toc_first_line;
  result.toc_last_line = layout.toc_last_line;
  result.toc = std::move(layout.toc);
  result.junk_lines = std::move(layout.junk_lines);
  result.notes = std::move(layout.notes);

  std::string_view text = source.text();
  for (const outline_internal::ReportRange& range : layout.reports) {
    Report report;
    report.index = static_cast<int>(result.reports.size()) + 1;
    report.first_line = range.first_line;
    report.last_line = range.last_line;
    uint32_t body_first = range.first_line;
    if (range.title_line != 0) {
      std::string_view line = source.Line(range.title_line);
      std::string_view t = outline_internal::Trim(line);
      t = outline_internal::Trim(t.substr(std::min<size_t>(range.title_offset, t.size())));
      uint32_t begin = source.LineBegin(range.title_line) + static_cast<uint32_t>(t.data() - line.data());
      report.title = Span{begin, begin + static_cast<uint32_t>(t.size())};
      outline_internal::ReadTitleMetadata(t, &report);
      body_first = range.body_line != 0 ? range.body_line : range.title_line + 1;
    }
    if (body_first <= range.last_line) {
      ReportBuilder(source, options, &report, &result.rejoined_lines).Build(body_first, range.last_line);
      Span body{source.LineBegin(body_first), source.LineEnd(range.last_line)};
      uint32_t front_end = report.headings.empty() || report.headings.front().line <= body_first
                               ? std::min<uint32_t>(body.end, body.begin + 3000)
                               : source.LineBegin(report.headings.front().line);
      outline_internal::CompleteGovernmentReport(text, text.substr(body.begin, front_end - body.begin),
                                                 body.In(text), &report);
      outline_internal::GuessUnit(body.In(text), &report);
    } else {
      report.unit.kind = outline_internal::UnitKindOf(report.unit.name);
    }
    outline_internal::ClassifySections(text, &report);
    result.reports.push_back(std::move(report));
  }
  return result;
}

}  // namespace taizhang
