// Unit, years and kind of a report.
//
// The title usually says it all: "县水利局2023年工作总结和2024年工作计划" is
// unit 县水利局, summary of 2023, plan for 2024. Compilations often drop the
// unit ("2023年工作总结…") or keep only a bare one ("街道…"); then the body is
// asked: the place it names most (腾冲市, 淮阴区) and the topic it talks
// about most (水利, 卫生 …, from data/unit_kinds.tsv). Such a name is a guess
// and is marked as one.
#include "outline/report_metadata.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "common/chinese_numeral.h"
#include "common/language_data.h"
#include "common/text_search.h"
#include "common/utf8.h"
#include "outline/compilation_splitter.h"
#include "outline/section_classifier.h"

namespace taizhang::outline_internal {

namespace {

bool IsHan(char32_t cp) { return cp >= 0x4E00 && cp <= 0x9FFF; }

struct UnitKindRow {
  std::string_view kind;
  std::string_view agency;
  std::vector<std::string_view> name_words;
  std::vector<std::string_view> topic_words;
};

std::vector<std::string_view> SplitSpaces(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find(' ', pos);
    if (end == std::string_view::npos) end = s.size();
    if (end > pos) out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

const std::vector<UnitKindRow>& UnitKinds() {
  static const std::vector<UnitKindRow> rows = [] {
    std::vector<UnitKindRow> out;
    for (const DataRow& row : DataTable("unit_kinds.tsv", 4)) {
      out.push_back({row[0], row[1], SplitSpaces(row[2]), SplitSpaces(row[3])});
    }
    return out;
  }();
  return rows;
}

std::u32string OutlineChars(std::string_view role) {
  std::u32string out;
  static const std::vector<DataRow>& rows = DataTable("outline_words.tsv", 3);
  for (const DataRow& row : rows) {
    if (row[0] != role) continue;
    for (size_t i = 0; i < row[1].size();) out.push_back(utf8::Next(row[1], &i));
  }
  return out;
}

// Words of a report kind from data/report_kinds.tsv.
std::vector<std::string_view> KindWords(std::string_view kind) {
  std::vector<std::string_view> out;
  static const std::vector<DataRow>& rows = DataTable("report_kinds.tsv", 2);
  for (const DataRow& row : rows) {
    if (row[0] == kind) out.push_back(row[1]);
  }
  return out;
}

// Offset of the first occurrence of any word, or npos.
size_t FindAny(std::string_view text, const std::vector<std::string_view>& words) {
  size_t best = std::string_view::npos;
  for (std::string_view w : words) best = std::min(best, text.find(w));
  return best;
}

// The year mentioned last before `offset`, or 0.
int YearBefore(const std::vector<YearMention>& years, size_t offset) {
  int year = 0;
  for (const YearMention& y : years) {
    if (y.offset < offset) year = y.year;
  }
  return year;
}

const std::set<std::string_view>& BareUnits() {
  static const std::set<std::string_view> bare = {"街道", "乡", "镇", "社区", "村",
                                                  "办事处", "街道办事处"};
  return bare;
}

// The place (XX市/县/区) the body names most; "" if none is clear.
std::string FindPlace(std::string_view body) {
  static const std::u32string stop = OutlineChars("place_stop");
  static const std::u32string not_before_qu = OutlineChars("not_place_before_qu");
  static const std::u32string not_after = U"委政长级场民属内外直";
  struct Candidate {
    size_t count = 0;
    size_t first = 0;
    bool low_level = false;  // 区/县 are below 市
    size_t stem_count = 0;   // filled for ties only
  };
  std::map<std::string, Candidate> candidates;
  // 市 县 区 all start with byte E5 in UTF-8; jump between those with memchr
  // and look back at the two characters before the suffix.
  const char* data = body.data();
  size_t pos = 0;
  while (pos + 3 <= body.size()) {
    const void* hit = std::memchr(data + pos, '\xE5', body.size() - pos);
    if (hit == nullptr) break;
    size_t at = static_cast<const char*>(hit) - data;
    pos = at + 1;
    if (at + 3 > body.size() || at < 6) continue;
    size_t k = at;
    char32_t suffix = utf8::Next(body, &k);
    if (suffix != U'市' && suffix != U'县' && suffix != U'区') continue;
    size_t p = at;
    char32_t c1 = utf8::Prev(body, &p);
    if (p == 0) continue;
    char32_t c2 = utf8::Prev(body, &p);
    if (!IsHan(c1) || !IsHan(c2) || stop.find(c1) != std::u32string::npos ||
        stop.find(c2) != std::u32string::npos ||
        (suffix == U'区' && not_before_qu.find(c1) != std::u32string::npos)) {
      continue;
    }
    size_t n = k;
    char32_t next = k < body.size() ? utf8::Next(body, &n) : 0;
    if (not_after.find(next) != std::u32string::npos) continue;
    Candidate& c = candidates[std::string(body.substr(p, k - p))];
    if (c.count++ == 0) c.first = p;
    c.low_level = suffix != U'市';
    pos = k;
  }
  // A place named once is too often a common word before 区/市 (风险区,
  // 社会市域); require two mentions. Prefer 区/县 over 市 (the unit sits in
  // the lower one), then the most mentions, then the place whose bare name
  // (腾冲) the text uses more.
  const std::string* best = nullptr;
  Candidate* best_c = nullptr;
  for (auto& [name, c] : candidates) {
    if (c.count < 2) continue;
    if (best_c == nullptr) {
      best = &name;
      best_c = &c;
      continue;
    }
    if (c.low_level != best_c->low_level) {
      if (c.low_level) best = &name, best_c = &c;
      continue;
    }
    if (c.count != best_c->count) {
      if (c.count > best_c->count) best = &name, best_c = &c;
      continue;
    }
    if (best_c->stem_count == 0) best_c->stem_count = CountText(body, best->substr(0, best->size() - 3));
    c.stem_count = CountText(body, std::string_view(name).substr(0, name.size() - 3));
    if (c.stem_count > best_c->stem_count ||
        (c.stem_count == best_c->stem_count && c.first < best_c->first)) {
      best = &name;
      best_c = &c;
    }
  }
  return best ? *best : std::string();
}

// The most frequent local name for a bare unit: "XX街道" for 街道.
std::string FindLocalName(std::string_view body, std::string_view bare) {
  std::map<std::string, size_t> counts;
  static const std::u32string stop = OutlineChars("place_stop");
  for (size_t pos = FindText(body, bare); pos != std::string_view::npos;
       pos = FindText(body, bare, pos + bare.size())) {
    if (pos >= 2 && body.substr(pos - 2, 2) == "XX") {
      ++counts["XX" + std::string(bare)];
      continue;
    }
    size_t p = pos;
    if (p == 0) continue;
    char32_t c1 = utf8::Prev(body, &p);
    if (p == 0) continue;
    char32_t c2 = utf8::Prev(body, &p);
    if (!IsHan(c1) || !IsHan(c2) || stop.find(c1) != std::u32string::npos ||
        stop.find(c2) != std::u32string::npos) {
      continue;
    }
    ++counts[std::string(body.substr(p, pos + bare.size() - p))];
  }
  std::string best;
  size_t best_count = 1;  // need at least two mentions
  for (const auto& [name, count] : counts) {
    if (count > best_count) {
      best = name;
      best_count = count;
    }
  }
  return best;
}

}  // namespace

std::vector<YearMention> FindYears(std::string_view text) {
  // Runs of digits — ASCII, full-width (２０２３) or Chinese (二〇二三) — of
  // exactly four, followed by 年 (Arabic ones also by any Han character, as
  // in "2023工作总结").
  std::vector<YearMention> out;
  enum class Run { kNone, kArabic, kChinese };
  Run run = Run::kNone;
  int value = 0, count = 0;
  size_t run_start = 0;
  size_t i = 0;
  while (i <= text.size()) {
    size_t at = i;
    char32_t cp = i < text.size() ? utf8::Next(text, &i) : 0;
    if (i == at) ++i;  // past the end
    int digit = -1;
    Run kind = Run::kNone;
    if (cp >= '0' && cp <= '9') {
      digit = static_cast<int>(cp - '0'), kind = Run::kArabic;
    } else if (cp >= 0xFF10 && cp <= 0xFF19) {
      digit = static_cast<int>(cp - 0xFF10), kind = Run::kArabic;
    } else if (int64_t v = ChineseNumeralValue(cp); v >= 0 && v <= 9) {
      digit = static_cast<int>(v), kind = Run::kChinese;
    }
    // "2 0 2 5年": a PDF may space the digits of a year apart.
    if (cp == ' ' && run == Run::kArabic && count < 4 && i < text.size() && text[i] >= '0' && text[i] <= '9') {
      continue;
    }
    if (digit >= 0 && kind == run) {
      if (count < 5) value = value * 10 + digit;  // only four-digit runs are years
      ++count;
      continue;
    }
    // The run (if any) ends at `at`; cp follows it.
    if (run != Run::kNone && count == 4 && value >= 1949 && value <= 2100 &&
        (cp == U'年' || (run == Run::kArabic && IsHan(cp)))) {
      out.push_back({value, run_start, at});
    }
    run = kind;
    value = digit >= 0 ? digit : 0;
    count = digit >= 0 ? 1 : 0;
    run_start = at;
  }
  return out;
}

namespace {
const std::vector<std::string_view>& LevelSuffixes();
}  // namespace

void ReadTitleMetadata(std::string_view title, Report* report) {
  std::vector<YearMention> years = FindYears(title);
  for (const YearMention& y : years) report->years.push_back(y.year);

  size_t gov = title.find("政府工作报告");
  size_t summary_at = FindAny(title, KindWords("summary"));
  size_t plan_at = FindAny(title, KindWords("plan"));
  if (gov != std::string_view::npos) {
    report->kind = ReportKind::kGovernmentWorkReport;
    int year = years.empty() ? 0 : years.front().year;
    report->plan_year = year;
    report->summary_year = year ? year - 1 : 0;
  } else {
    bool has_summary = summary_at != std::string_view::npos;
    bool has_plan = plan_at != std::string_view::npos;
    report->kind = has_summary && has_plan ? ReportKind::kSummaryAndPlan
                   : has_summary           ? ReportKind::kSummary
                   : has_plan              ? ReportKind::kPlan
                                           : ReportKind::kOther;
    if (has_summary) report->summary_year = YearBefore(years, summary_at);
    if (has_plan) report->plan_year = YearBefore(years, plan_at);
    if (report->summary_year == 0 && !years.empty() && !has_plan) {
      report->summary_year = years.front().year;
    }
    if (report->plan_year == 0 && report->summary_year) report->plan_year = report->summary_year + 1;
    if (report->summary_year == 0 && report->plan_year) report->summary_year = report->plan_year - 1;
  }

  if (gov != std::string_view::npos) {
    // The government of the place the title names: "2026年北京市政府工作报告",
    // "保定市清苑区2020年政府工作报告", "保定市人民政府工作报告——2010年…".
    std::string_view place = title.substr(0, gov);
    if (!years.empty() && years.front().offset < gov) {
      size_t after = years.front().end;
      if (title.substr(after, 3) == "年") after += 3;
      std::string_view after_year = after < gov ? title.substr(after, gov - after) : std::string_view();
      place = Trim(after_year).empty() ? title.substr(0, years.front().offset) : after_year;
    }
    place = Trim(place);
    if (place.substr(0, 6) == "关于") place.remove_prefix(6);
    if (place.size() >= 6 && place.substr(place.size() - 6) == "人民") place.remove_suffix(6);
    place = Trim(place);
    // A theme title ("坚定信心 迎难奋进…——在保定市第十三届人民代表大会第二次
    // 会议上的政府工作报告"): the place of the congress it names, if any.
    bool is_place = false;
    for (std::string_view suffix : LevelSuffixes()) {
      if (place.size() >= suffix.size() && place.substr(place.size() - suffix.size()) == suffix) is_place = true;
    }
    if (is_place && utf8::CountCodePoints(place) <= 12) {
      report->unit.name = std::string(place) + "政府";
    } else if (std::string congress = GovernmentPlace(title, 1); !congress.empty()) {
      report->unit.name = congress + "政府";
    }
    return;
  }
  // The unit is what precedes the first year ("县水利局2023年…").
  std::string_view unit;
  if (!years.empty()) {
    unit = title.substr(0, years.front().offset);
  } else {
    size_t kind_at = std::min(summary_at, plan_at);
    if (kind_at != std::string_view::npos) unit = title.substr(0, kind_at);
  }
  if (Trim(unit).empty() && !years.empty()) {
    // "2019年佛山市轨道交通局部门决算": the unit between the year and the kind.
    size_t from = years.front().end;
    if (title.substr(from, 6) == "年度") {
      from += 6;
    } else if (title.substr(from, 3) == "年") {
      from += 3;
    }
    size_t kind_at = std::min(summary_at, plan_at);
    if (kind_at != std::string_view::npos && kind_at > from) unit = title.substr(from, kind_at - from);
  }
  if (unit.substr(0, 6) == "关于") unit.remove_prefix(6);
  // "宜宾市人民政府办公室关于2026年第一季度…的通报": the unit before 关于.
  if (unit.size() > 6 && unit.substr(unit.size() - 6) == "关于") unit.remove_suffix(6);
  report->unit.name = std::string(Trim(unit));
}

namespace {

const std::vector<std::string_view>& LevelSuffixes() {
  static const std::vector<std::string_view> suffixes = {"自治区", "自治州", "自治县", "自治旗", "特别行政区",
                                                         "省", "市", "县", "区", "州", "盟", "旗"};
  return suffixes;
}

// "徐水县" from the Han characters before "人民政府" in "我代表徐水县": the
// run after the last place_cut word, if it ends in a level and its name is
// long enough (易县 is the one-character name a county may have).
std::string PlaceBefore(std::string_view text, size_t end) {
  size_t begin = end;
  for (int chars = 0; begin > 0 && chars < 12; ++chars) {
    size_t p = begin;
    char32_t cp = utf8::Prev(text, &p);
    if (!IsHan(cp)) break;
    begin = p;
  }
  std::string_view run = text.substr(begin, end - begin);
  size_t cut = 0;
  for (std::string_view word : OutlineWords("place_cut")) {
    size_t at = run.rfind(word);
    if (at != std::string_view::npos) cut = std::max(cut, at + word.size());
  }
  run.remove_prefix(cut);
  for (std::string_view suffix : LevelSuffixes()) {
    if (run.size() < suffix.size() || run.substr(run.size() - suffix.size()) != suffix) continue;
    size_t stem = utf8::CountCodePoints(run.substr(0, run.size() - suffix.size()));
    if (stem >= 2 || (stem == 1 && suffix == "县")) return std::string(run);
    return std::string();
  }
  return std::string();
}

// The level of the government a speech speaks for: 市 for "全市" said most.
std::string_view SpeakerLevel(std::string_view body) {
  static const std::vector<std::string_view> levels = {"市", "县", "区", "州", "盟", "旗"};
  std::string_view best;
  size_t best_count = 0;
  for (std::string_view level : levels) {
    size_t count = CountText(body, std::string("全") + std::string(level)) +
                   CountText(body, std::string("代表") + std::string(level) + "人民政府") * 10;
    if (count > best_count) {
      best = level;
      best_count = count;
    }
  }
  return best_count >= 3 ? best : std::string_view();
}

// "易县" in "。易县被…": a name of `level` right after punctuation, said at
// least twice; the one said most.
std::string PlaceAfterPunctuation(std::string_view body, std::string_view level) {
  static const std::u32string stop = OutlineChars("place_stop");
  std::map<std::string, int> counts;
  for (size_t at = FindText(body, level); at != std::string_view::npos;
       at = FindText(body, level, at + level.size())) {
    size_t begin = at;
    int chars = 0;
    while (begin > 0 && chars < 5) {
      size_t p = begin;
      if (!IsHan(utf8::Prev(body, &p))) break;
      begin = p;
      ++chars;
    }
    if (chars == 0 || chars == 5 || begin == 0) continue;
    size_t p = begin;
    if (IsHan(utf8::Prev(body, &p))) continue;
    size_t q = begin;
    if (stop.find(utf8::Next(body, &q)) != std::u32string::npos) continue;
    if (chars == 1 && level != "县") continue;
    ++counts[std::string(body.substr(begin, at + level.size() - begin))];
  }
  std::string best;
  int best_count = 1;
  for (const auto& [name, n] : counts) {
    if (n > best_count) {
      best = name;
      best_count = n;
    }
  }
  return best;
}

bool HasAny(std::string_view text, std::string_view role) {
  for (std::string_view word : OutlineWords(role)) {
    if (ContainsText(text, word)) return true;
  }
  return false;
}

}  // namespace

std::string GovernmentPlace(std::string_view text, int min_votes) {
  std::map<std::string, int> votes;
  for (std::string_view anchor : {std::string_view("人民政府"), std::string_view("人民代表大会")}) {
    for (size_t at = FindText(text, anchor); at != std::string_view::npos;
         at = FindText(text, anchor, at + anchor.size())) {
      size_t end = at;
      if (anchor == "人民代表大会") {
        // "第十四届人民代表大会", "十六届人民代表大会": the place stands before the term.
        size_t p = end;
        if (p >= 3 && utf8::Prev(text, &p) == U'届') {
          end = p;
          while (end > 0) {
            size_t q = end;
            char32_t cp = utf8::Prev(text, &q);
            if (ChineseNumeralValue(cp) < 0 && cp != U'第') break;
            end = q;
          }
        }
      }
      std::string place = PlaceBefore(text, end);
      if (!place.empty()) ++votes[place];
    }
  }
  std::string best;
  int best_votes = 0;
  for (const auto& [place, n] : votes) {
    if (n < min_votes) continue;
    if (n > best_votes || (n == best_votes && place.size() > best.size())) {
      best = place;
      best_votes = n;
    }
  }
  return best;
}

void CompleteGovernmentReport(std::string_view text, std::string_view front, std::string_view body,
                              Report* report) {
  if (report->kind == ReportKind::kOther) {
    // A speech: the salutation, then "我代表…向大会报告工作".
    bool salutation = false;
    for (size_t p = 0; p < report->paragraphs.size() && p < 8; ++p) {
      std::string_view para = report->paragraphs[p].span.In(text);
      if (IsSalutation(para)) {
        salutation = true;
        continue;
      }
      if (salutation && HasAny(para.substr(0, 600), "gwr_cue")) {
        report->kind = ReportKind::kGovernmentWorkReport;
        // A theme title ("坚定信心 迎难奋进…") names no unit.
        report->unit.name.clear();
        break;
      }
    }
  }
  if (report->kind != ReportKind::kGovernmentWorkReport) return;
  if (report->plan_year == 0) {
    // The meeting date ("2010年2月4日在…会议上") is the year planned.
    for (const YearMention& y : FindYears(front)) {
      if (ContainsText(front.substr(y.end, 16), "月")) {
        report->plan_year = y.year;
        break;
      }
    }
  }
  if (report->plan_year == 0) {
    // Else the first part that names a year: "一、2017年工作回顾".
    for (const Heading& h : report->headings) {
      if (h.depth != 1) continue;
      std::vector<YearMention> years = FindYears(h.title.In(text));
      if (years.empty()) continue;
      // A government work report opens with its review: the first part is
      // the year before the plan unless its words say it plans.
      SectionKind kind = SectionKindFromWords(h.title.In(text));
      report->plan_year = kind == SectionKind::kPlan ? years.front().year : years.front().year + 1;
      break;
    }
  }
  if (report->plan_year != 0 && report->summary_year == 0) report->summary_year = report->plan_year - 1;
  if (!report->unit.name.empty()) return;
  // The opening names the place once (the meeting, the speaker); elsewhere
  // a name must recur to count.
  std::string place = GovernmentPlace(front, 1);
  if (place.empty()) place = GovernmentPlace(body, 2);
  if (!place.empty()) {
    report->unit.name = place + "政府";
    return;
  }
  for (std::string_view national : OutlineWords("national_government")) {
    if (ContainsText(front, std::string("代表") + std::string(national))) {
      report->unit.name = std::string(national);
      return;
    }
  }
  std::string_view level = SpeakerLevel(body);
  // A one-character county (易县) the opening calls only "县人民政府".
  if (level == "县") place = PlaceAfterPunctuation(body, level);
  if (!place.empty()) {
    report->unit.name = place + "政府";
  } else if (!level.empty()) {
    report->unit.guess = std::string(level) + "政府";
    report->unit.guessed = true;
  }
}

std::string UnitKindOf(std::string_view unit_name) {
  if (unit_name.empty()) return std::string();
  for (const UnitKindRow& row : UnitKinds()) {
    for (std::string_view w : row.name_words) {
      if (unit_name.find(w) != std::string_view::npos) return std::string(row.kind);
    }
  }
  return std::string();
}

void GuessUnit(std::string_view body, Report* report) {
  UnitInfo& unit = report->unit;
  unit.kind = UnitKindOf(unit.name);
  // A government work report is by the government of its place
  // (CompleteGovernmentReport), never by an agency its body talks about.
  if (report->kind == ReportKind::kGovernmentWorkReport) return;
  bool bare = BareUnits().count(unit.name) > 0;
  if (!unit.name.empty() && !bare) return;

  std::string place = FindPlace(body);
  if (bare) {
    std::string local = FindLocalName(body, unit.name);
    if (!local.empty() || !place.empty()) {
      unit.guess = place + (local.empty() ? unit.name : local);
    }
    return;
  }
  // No unit in the title: the topic the body talks about most.
  // All topic words of all kinds counted in one pass.
  static const PhraseCounter* counter = [] {
    std::vector<std::string_view> words;
    for (const UnitKindRow& row : UnitKinds()) {
      words.insert(words.end(), row.topic_words.begin(), row.topic_words.end());
    }
    return new PhraseCounter(std::move(words));
  }();
  std::vector<size_t> counts = counter->Count(body);
  const UnitKindRow* best = nullptr;
  size_t best_hits = 2;  // at least three hits
  size_t k = 0;
  for (const UnitKindRow& row : UnitKinds()) {
    size_t hits = 0;
    for (size_t w = 0; w < row.topic_words.size(); ++w) hits += counts[k++];
    if (hits > best_hits) {
      best = &row;
      best_hits = hits;
    }
  }
  if (best == nullptr) return;
  unit.kind = std::string(best->kind);
  unit.guess = place + std::string(best->agency);
  unit.guessed = true;
}

}  // namespace taizhang::outline_internal
