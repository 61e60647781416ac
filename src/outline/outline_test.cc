#include "outline/outline.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "common/utf8.h"

namespace taizhang {
namespace {

struct Parsed {
  std::unique_ptr<SourceText> source;
  OutlineResult outline;
  std::string Title(const Heading& h) const { return JoinedText(source->text(), h.title); }
  std::string Marker(const Heading& h) const { return std::string(h.marker.In(source->text())); }
};

Parsed Parse(const std::string& text, OutlineOptions options = {}) {
  Parsed p;
  p.source = std::make_unique<SourceText>("t.txt", "UTF-8", text, 0);
  p.outline = BuildOutline(*p.source, options);
  return p;
}

TEST(Outline, DepthFollowsTheTreeNotTheMarker) {
  Parsed p = Parse(
      "区经信局2023年工作总结及2024年工作计划\n"
      "\n"
      "今年以来，区经信局全面贯彻落实。\n"
      "一、2023年工作总结\n"
      "一是工业经济运行稳定有序。围绕全区工业发展。\n"
      "二是企业培育成效明显。\n"
      "二、2024年工作计划\n"
      "（一）聚焦提质增效。\n"
      "1.壮大主导产业\n"
      "（1）设施蔬菜\n"
      "①强化项目招引\n"
      "2.发展加工业\n"
      "（二）聚焦优势突破\n");
  ASSERT_EQ(p.outline.reports.size(), 1u);
  const Report& r = p.outline.reports[0];
  ASSERT_EQ(r.headings.size(), 10u);
  const int depths[] = {1, 2, 2, 1, 2, 3, 4, 5, 3, 2};
  for (size_t i = 0; i < r.headings.size(); ++i) {
    EXPECT_EQ(r.headings[i].depth, depths[i]) << i << " " << p.Title(r.headings[i]);
  }
  EXPECT_EQ(p.Title(r.headings[1]), "工业经济运行稳定有序");
  EXPECT_TRUE(r.headings[1].run_in);
  EXPECT_FALSE(r.headings[2].run_in);
  EXPECT_EQ(r.headings[8].parent, 4);  // 2. under （一）
  EXPECT_EQ(r.headings[0].last_line, 6u);
  EXPECT_EQ(r.headings[3].last_line, 13u);
  EXPECT_EQ(r.unit.name, "区经信局");
  EXPECT_EQ(r.unit.kind, "industry-it");
  EXPECT_EQ(r.kind, ReportKind::kSummaryAndPlan);
  EXPECT_EQ(r.summary_year, 2023);
  EXPECT_EQ(r.plan_year, 2024);
  ASSERT_EQ(r.sections.size(), 2u);
  EXPECT_EQ(r.sections[0].kind, SectionKind::kSummary);
  EXPECT_EQ(r.sections[1].kind, SectionKind::kPlan);
  EXPECT_EQ(r.sections[1].year, 2024);
}

TEST(Outline, BrokenLineIsRejoinedAndSentencesCrossIt) {
  Parsed p = Parse(
      "镇2023年工作总结\n"
      "一、工作总结\n"
      "（三）提升基层治理实效。发展完善“1+6+N”基层社\n"
      "会治理工作体系。推行网格管理。\n"
      "（四）抓好建设\n"
      "2023年，完成改造。\n");
  const Report& r = p.outline.reports[0];
  ASSERT_EQ(p.outline.rejoined_lines.size(), 1u);
  EXPECT_EQ(p.outline.rejoined_lines[0], (std::pair<uint32_t, uint32_t>{3, 4}));
  ASSERT_EQ(r.headings.size(), 3u);
  EXPECT_EQ(p.Title(r.headings[1]), "提升基层治理实效");
  // A title line without a full stop is never joined to the next line.
  EXPECT_EQ(p.Title(r.headings[2]), "抓好建设");
  bool found = false;
  for (const Sentence& s : r.sentences) {
    if (JoinedText(p.source->text(), s.span) == "发展完善“1+6+N”基层社会治理工作体系。") found = true;
  }
  EXPECT_TRUE(found);
}

TEST(Outline, LabelsSubtitlesAndShortLinesAreNotJoined) {
  Parsed p = Parse(
      "2026年某市政府工作报告\n"
      "——2026年1月25日在某市第十六届人民代表大会第四次会议上\n"
      "来源：某市日报\n"
      "各位代表：\n"
      "现在，我代表市人民政府向大会报告政府工作，请予审议。\n");
  EXPECT_TRUE(p.outline.rejoined_lines.empty());
  EXPECT_EQ(p.outline.reports[0].kind, ReportKind::kGovernmentWorkReport);
  EXPECT_EQ(p.outline.reports[0].unit.name, "某市政府");
  EXPECT_EQ(p.outline.reports[0].summary_year, 2025);
}

TEST(Outline, UnheadedProblemsParagraphInsideSummary) {
  Parsed p = Parse(
      "乡2023年工作总结及2024年工作计划\n"
      "一、2023年工作总结\n"
      "（一）稳定农业产业\n"
      "2023年完成粮食生产任务。\n"
      "在肯定成绩的同时，我们也清醒地看到存在一些问题：项目落地不够快。\n"
      "二、2024年工作计划\n"
      "（一）继续巩固成果\n");
  const Report& r = p.outline.reports[0];
  ASSERT_EQ(r.sections.size(), 3u);
  EXPECT_EQ(r.sections[1].kind, SectionKind::kProblems);
  EXPECT_TRUE(r.sections[1].unheaded);
  EXPECT_EQ(r.sections[1].first_line, 5u);
  EXPECT_EQ(r.sections[1].year, 2023);
}

TEST(Outline, SectionKindsByWordYearAndPosition) {
  Parsed p = Parse(
      "县住建局2023年工作总结及2024年工作计划\n"
      "一、履行职能，服务改革发展大局\n"
      "二、特色亮点工作\n"
      "三、存在问题与不足\n"
      "四、2024年重点工作\n"
      "五、坚持党建引领\n");
  const Report& r = p.outline.reports[0];
  ASSERT_EQ(r.sections.size(), 5u);
  EXPECT_EQ(r.sections[0].kind, SectionKind::kSummary);
  EXPECT_EQ(r.sections[1].kind, SectionKind::kHighlights);
  EXPECT_EQ(r.sections[2].kind, SectionKind::kProblems);
  EXPECT_EQ(r.sections[3].kind, SectionKind::kPlan);   // by its year
  EXPECT_EQ(r.sections[4].kind, SectionKind::kPlan);   // by position after the plan
  EXPECT_EQ(r.sections[4].year, 2024);
}

TEST(Outline, ReportsFoundByTitleLinesWithoutToc) {
  Parsed p = Parse(
      "县水利局2023年工作总结和2024年工作计划\n"
      "\n"
      "一、2023工作总结\n"
      "（一）水资源管理工作\n"
      "\n"
      "\n"
      "区审计局2023年工作总结和2024年工作计划\n"
      "\n"
      "一、取得的主要成绩\n"
      "二、2024年主要工作安排\n"
      "\n"
      "【某某素材库】——每天更新材料1000多篇\n"
      "##paidend##\n");
  ASSERT_EQ(p.outline.reports.size(), 2u);
  EXPECT_TRUE(p.outline.is_compilation);
  EXPECT_EQ(p.outline.reports[0].first_line, 1u);
  EXPECT_EQ(p.outline.reports[0].last_line, 4u);
  EXPECT_EQ(p.outline.reports[1].first_line, 7u);
  EXPECT_EQ(p.outline.reports[1].last_line, 10u);
  EXPECT_EQ(p.outline.junk_lines, (std::vector<uint32_t>{12, 13}));
  EXPECT_EQ(p.outline.reports[1].sections[1].kind, SectionKind::kPlan);
}

TEST(Outline, TocSplitsAndNotesUnmatchedEntries) {
  Parsed p = Parse(
      "某某汇编\n"
      "目录\n"
      "甲局2023年工作总结\t1\n"
      "乙局2023年工作总结\t5\n"
      "丙局2023年工作总结\t9\n"
      "\n"
      "甲局2023年工作总结\n"
      "一、主要工作\n"
      "乙局 2023年工作总结\n"
      "一、主要工作\n");
  ASSERT_EQ(p.outline.reports.size(), 2u);
  EXPECT_EQ(p.outline.compilation_title_line, 1u);
  EXPECT_EQ(p.outline.toc_first_line, 2u);
  EXPECT_EQ(p.outline.toc_last_line, 5u);
  EXPECT_EQ(p.outline.reports[1].first_line, 9u);  // matched despite the space
  ASSERT_EQ(p.outline.notes.size(), 1u);
  EXPECT_EQ(p.outline.notes[0].line, 5u);
  EXPECT_EQ(p.outline.toc[2].report, -1);
}

TEST(Outline, NoSplitKeepsOneReport) {
  OutlineOptions options;
  options.split_compilation = false;
  Parsed p = Parse("甲局2023年工作总结\n一、工作\n\n\n乙局2023年工作总结\n一、工作\n", options);
  EXPECT_EQ(p.outline.reports.size(), 1u);
}

TEST(Outline, LastOnlyAfterFirstAndSecond) {
  Parsed p = Parse(
      "局2023年工作总结\n"
      "一、工作思路\n"
      "首先，加强学习。\n"
      "其次，狠抓落实。\n"
      "最后，强化保障。\n"
      "二、其他\n"
      "最后，感谢大家。\n");
  const Report& r = p.outline.reports[0];
  ASSERT_EQ(r.headings.size(), 5u);
  EXPECT_EQ(r.headings[3].number, 3);
  EXPECT_EQ(p.Marker(r.headings[3]), "最后");
  EXPECT_EQ(p.Marker(r.headings[4]), "二、");
}

TEST(Outline, OddInputNeverFails) {
  for (const char* text : {"", "\n\n\n", "一、", "（一）", "目录\n", "目录\n甲\t1\n乙\t2\n",
                           "“““。”", "1.\n2.\n", "\xEF\xBB\xBF"}) {
    Parsed p = Parse(text);
    for (const Report& r : p.outline.reports) {
      for (const Heading& h : r.headings) EXPECT_GE(h.depth, 1);
    }
  }
}

TEST(Outline, UnitGuessedFromBody) {
  Parsed p = Parse(
      "2023年工作总结和2024年工作计划\n"
      "一、2023年主要工作开展情况\n"
      "（一）重点项目推进有序。腾冲灌区严格按照水利基建项目建设程序，腾冲市水库建设加快。\n"
      "（二）防汛抗旱工作安全有效。腾冲市河湖长制全面落实，供水保障有力。\n");
  const Report& r = p.outline.reports[0];
  EXPECT_EQ(r.unit.name, "");
  EXPECT_EQ(r.unit.guess, "腾冲市水务局");
  EXPECT_TRUE(r.unit.guessed);
  EXPECT_EQ(r.unit.kind, "water");
}

TEST(Outline, FullWidthAndChineseYearsInTitles) {
  Parsed p = Parse("县水利局２０２３年工作总结和二〇二四年工作计划\n一、主要工作\n二、二〇二四年工作计划\n");
  const Report& r = p.outline.reports[0];
  EXPECT_EQ(r.years, (std::vector<int>{2023, 2024}));
  EXPECT_EQ(r.unit.name, "县水利局");
  EXPECT_EQ(r.summary_year, 2023);
  EXPECT_EQ(r.plan_year, 2024);
  ASSERT_EQ(r.sections.size(), 2u);
  EXPECT_EQ(r.sections[1].year, 2024);
  // The title keeps its full-width digits for display.
  EXPECT_EQ(std::string(r.title.In(p.source->text())).find("２０２３"), 12u);
}

}  // namespace
}  // namespace taizhang

namespace taizhang {
namespace {

// Years are four-digit runs; a long run of digits is none and must not
// overflow while it is read (found by extract_fuzz).
TEST(Outline, LongDigitRunsInTitlesAreNoYears) {
  std::string text = "14444444444441077850年工作总结\n一、2023年工作\n完成。\n";
  SourceText source("t.txt", "UTF-8", text, 0);
  OutlineResult outline = BuildOutline(source);
  ASSERT_EQ(outline.reports.size(), 1u);
  EXPECT_TRUE(outline.reports[0].years.empty());
}

// The outline as text that does not depend on byte offsets: per report its
// title, unit and years, each heading's line, depth, marker and title, each
// paragraph's lines, and the sentence count.
std::string Structure(const Parsed& p) {
  std::ostringstream out;
  const std::string_view text = p.source->text();
  for (const Report& r : p.outline.reports) {
    out << "report " << r.first_line << "-" << r.last_line << " " << JoinedText(text, r.title) << " unit="
        << r.unit.name << " summary=" << r.summary_year << " plan=" << r.plan_year << "\n";
    for (const Heading& h : r.headings) {
      out << "  heading " << h.line << " col " << h.column << " depth " << h.depth << " " << p.Marker(h) << "|"
          << p.Title(h) << " kind " << static_cast<int>(h.section_kind) << "\n";
    }
    for (const Paragraph& g : r.paragraphs) {
      out << "  paragraph " << g.first_line << "-" << g.last_line << " heading " << g.heading << "\n";
    }
    out << "  sentences " << r.sentences.size() << "\n";
  }
  return out.str();
}

// `text` with every non-blank line's leading blanks and ideographic spaces
// replaced by two of `indent`.
std::string Reindent(const std::string& text, const std::string& indent) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (!first) out += '\n';
    first = false;
    size_t i = 0;
    size_t body = 0;
    while (i < line.size() && utf8::IsInlineSpace(utf8::Next(line, &i))) body = i;
    if (body < line.size()) out += indent + indent;
    out += line.substr(body);
  }
  return out;
}

// Chinese documents indent with U+3000; others with EM SPACE U+2003, the other
// EN/EM/… spaces, NBSP or a tab. The outline must not care which (Unicode's
// space separators, not a hand list).
TEST(Outline, AnyUnicodeSpaceIndentsLikeTheIdeographicSpace) {
  std::ifstream file(std::string(TAIZHANG_SOURCE_DIR) + "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt",
                     std::ios::binary);
  const std::string report((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(report.empty());
  Parsed ideographic = Parse(Reindent(report, "\u3000"));
  const std::string expected = Structure(ideographic);
  ASSERT_GT(ideographic.outline.reports.at(0).headings.size(), 20u);
  for (char32_t space : {U'\u2002', U'\u2003', U'\u2004', U'\u2005', U'\u2006', U'\u2007', U'\u2008', U'\u2009',
                         U'\u200A', U'\u00A0', U'\t', U' ', U'\u202F', U'\u205F'}) {
    std::string indent;
    utf8::Append(space, &indent);
    EXPECT_EQ(Structure(Parse(Reindent(report, indent))), expected) << "indented with U+" << std::hex
                                                                   << static_cast<uint32_t>(space);
  }
}

}  // namespace
}  // namespace taizhang
