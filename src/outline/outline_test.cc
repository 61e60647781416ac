#include "outline/outline.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

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

// The tests below are built from lines of real reports of corpus/more
// (issue 18); each pattern holds for the class, not the one document.

const Heading* FindHeading(const Parsed& p, const Report& r, const std::string& title) {
  for (const Heading& h : r.headings) {
    if (p.Title(h) == title) return &h;
  }
  return nullptr;
}

// liaocheng-gaotang_2022: the parts stand alone without a number; the
// numbered headings under the last one restart at 一、. Indented with any
// Unicode space or a tab, they are the same parts.
TEST(Outline, PartTitlesWithoutNumberAreTopLevelParts) {
  for (const std::string indent : {"", "\u3000\u3000", "\u2003\u2003", "\t", "\u00A0"}) {
    Parsed p = Parse(
        "2022年高唐县政府工作报告\n"
        "各位代表：\n"
        "现在，我代表县人民政府，向大会报告工作，请予审议。\n" +
        indent + "过去五年工作回顾\n"
        "五年来，我们坚持以习近平新时代中国特色社会主义思想为指导，较好地完成了目标任务。\n" +
        indent + "今后五年工作任务\n"
        "根据县第十三次党代会的部署，今后五年，我们将聚焦制造业强县建设。\n" +
        indent + "今年政府工作重点\n"
        "2022年是党的二十大召开之年。\n" +
        indent + "一、聚焦产业兴县，坚定不移培育壮大优强企业\n"
        "（一）优化园区布局。围绕构建绿色创新的园区体系。\n" +
        indent + "二、聚焦动能培育，坚定不移加大优质高效投入\n" +
        indent + "加强政府自身建设\n"
        "我们将坚持党对政府工作的全面领导。\n");
    ASSERT_EQ(p.outline.reports.size(), 1u) << "indent " << indent.size();
    const Report& r = p.outline.reports[0];
    std::vector<std::string> top;
    for (const Heading& h : r.headings) {
      if (h.depth == 1) top.push_back(p.Title(h) + " " + SectionKindName(h.section_kind) + " " +
                                      std::to_string(h.section_year));
    }
    EXPECT_EQ(top, (std::vector<std::string>{"过去五年工作回顾 summary 2021", "今后五年工作任务 plan 2022",
                                             "今年政府工作重点 plan 2022", "加强政府自身建设 plan 2022"}))
        << ::testing::PrintToString(top);
    const Heading* first = FindHeading(p, r, "聚焦产业兴县，坚定不移培育壮大优强企业");
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->depth, 2);
  }
  // A short line that ends a broken sentence is no part.
  Parsed broken = Parse(
      "某县2024年工作总结\n"
      "一、主要成效\n"
      "全年围绕中心任务扎实推进各项工作落实，按照年初部署认真做好\n"
      "重点工作安排\n"
      "取得明显成效。\n");
  EXPECT_EQ(broken.outline.reports[0].headings.size(), 1u);
}

// baoding-xushui_2010, baoding-yixian_2018: no title, the meeting line and the
// salutation open the text. A government work report of the place its opening
// names, for the year of the meeting; never an agency guessed from the body.
TEST(Outline, SpeechWithoutTitleIsTheGovernmentReportOfItsPlace) {
  Parsed xushui = Parse(
      "2010年2月4日在徐水县第十四届人民代表大会第四次会议上\n"
      "徐水县人民政府县长李保森\n"
      "各位代表：\n"
      "现在，我代表县人民政府向大会报告工作，请予审议，并请政协委员和其他列席人员提出意见。\n"
      "一、2009年工作回顾\n"
      "2009年，在上级党委、政府和县委的正确领导下，全县经济运行平稳，工业和信息化水平提升。\n"
      "二、2010年发展目标和工作重点\n"
      "三、加强政府自身建设\n");
  ASSERT_EQ(xushui.outline.reports.size(), 1u);
  const Report& r = xushui.outline.reports[0];
  EXPECT_TRUE(r.title.empty());
  EXPECT_EQ(r.kind, ReportKind::kGovernmentWorkReport);
  EXPECT_EQ(r.unit.name, "徐水县政府");
  EXPECT_FALSE(r.unit.guessed);
  EXPECT_EQ(r.plan_year, 2010);
  EXPECT_EQ(r.summary_year, 2009);
  ASSERT_EQ(r.sections.size(), 3u);
  EXPECT_EQ(r.sections[1].kind, SectionKind::kPlan);
  EXPECT_EQ(r.sections[2].kind, SectionKind::kPlan);

  // The opening says only "县人民政府": the county the body names after a stop.
  Parsed yixian = Parse(
      "各位代表：\n"
      "现在，我代表县人民政府，向大会作工作报告，请予审议。\n"
      "一、2017年工作回顾\n"
      "2017年，全县上下攻坚克难。易县被评为省级园林县城。全县工业增加值增长8%。\n"
      "二是调整产业结构。易县博物馆建成开放，全县旅游收入增长20%，全县接待游客100万人次。\n"
      "二、2018年目标任务和重点工作\n");
  const Report& y = yixian.outline.reports[0];
  EXPECT_EQ(y.kind, ReportKind::kGovernmentWorkReport);
  EXPECT_EQ(y.unit.name, "易县政府");
  EXPECT_EQ(y.plan_year, 2018);
  // A city report that never names its city: the level it speaks for, a guess.
  Parsed city = Parse(
      "各位代表：\n"
      "现在，我代表市人民政府，向大会报告工作，请予审议。\n"
      "一、2023年工作回顾\n"
      "全市经济稳中向好，全市工业增加值增长6%，全市居民收入增长5%。\n"
      "二、2024年工作安排\n");
  const Report& c = city.outline.reports[0];
  EXPECT_TRUE(c.unit.name.empty());
  EXPECT_EQ(c.unit.guess, "市政府");
  EXPECT_TRUE(c.unit.guessed);
}

// liaocheng-gaotang_2022: the page of a crawled report. The column name
// above, the fields and the abstract below the title, the share buttons and
// the list of other reports after the body are junk, never the title.
TEST(Outline, WebPageFurnitureIsJunkNeverTheTitle) {
  Parsed p = Parse(
      "工作报告\n"
      "2022年高唐县政府工作报告\n"
      "时间：2022-12-03\t作者：中国县域\t来源：政府官网\t阅读：\n"
      "705\n"
      "评论：\n"
      "0\n"
      "内容摘要：\n"
      "2022年1月28日在高唐县第十八届人民代表大会第一次会议上各位代表：现在，我代表县人民政府......\n"
      "2022年1月28日在高唐县第十八届人民代表大会第一次会议上\n"
      "各位代表：\n"
      "现在，我代表县人民政府，向大会报告工作，请予审议。\n"
      "过去五年工作回顾\n"
      "五年来，我们坚持以习近平新时代中国特色社会主义思想为指导，较好地完成了目标任务。\n"
      "分享到：\n"
      "QQ空间\n"
      "上一篇：\n"
      "2022年冠县政府工作报告\n"
      "下一篇：\n"
      "2022年惠民县政府工作报告\n");
  ASSERT_EQ(p.outline.reports.size(), 1u);
  const Report& r = p.outline.reports[0];
  EXPECT_EQ(r.title.In(p.source->text()), "2022年高唐县政府工作报告");
  EXPECT_EQ(r.unit.name, "高唐县政府");
  EXPECT_EQ(r.last_line, 13u);
  EXPECT_EQ(p.outline.junk_lines,
            (std::vector<uint32_t>{1, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19}));
  // Navigation above the title ("当前位置：首页 > …") and a title given as a
  // field (hebei-baoding_2010: "标题：…").
  Parsed nav = Parse(
      "当前位置：首页 > 政务公开 > 政府工作报告\n"
      "【字号：大 中 小】\n"
      "标题：保定市政府工作报告——2010年1月26日在保定市第十三届人民代表大会第三次会议上\n"
      "发文单位：保定市人民政府\n"
      "来源URL：http://example.invalid/show.asp?id=666\n"
      "正文：\n"
      "各位代表：\n"
      "现在，我代表保定市人民政府向大会报告工作，请予审议。\n"
      "一、2009年工作回顾\n");
  const Report& n = nav.outline.reports.at(0);
  EXPECT_EQ(n.title.In(nav.source->text()),
            "保定市政府工作报告——2010年1月26日在保定市第十三届人民代表大会第三次会议上");
  EXPECT_EQ(n.unit.name, "保定市政府");
  EXPECT_EQ(n.plan_year, 2010);
  EXPECT_EQ(nav.outline.junk_lines, (std::vector<uint32_t>{1, 2, 4, 5, 6}));
}

// liaocheng-gaotang_2023 (附：名词解释), guangdong 2025 (民生实事 after the
// report): notes and lists after the body are an appendix of the report,
// never one of its parts.
TEST(Outline, AppendicesAfterTheBodyAreAnAppendixSection) {
  std::string body;
  for (int i = 0; i < 10; ++i) body += "我们将持续推进各项工作，确保取得实效。\n";
  Parsed p = Parse(
      "高唐县2023年政府工作报告\n"
      "各位代表：\n"
      "2022年工作回顾\n" + body +
      "2023年工作目标任务\n"
      "一、聚焦高质量发展，以更大力度推进制造业强县建设\n"
      "各位代表！让我们携手并进，奋力谱写高唐发展新篇章！\n"
      "附：名词解释\n"
      "1.“两种思维”“四种理念”：指有解思维、负责思维；专业化理念、市场化理念。\n"
      "2.三品一标：无公害农产品、绿色食品、有机农产品和农产品地理标志。\n"
      "2025年省十件民生实事\n"
      "一、为老年人提供健康管理、医养结合服务和提升养老机构服务水平\n"
      "二、提升困难群众兜底保障和关爱服务水平\n");
  const Report& r = p.outline.reports.at(0);
  std::vector<std::string> top;
  for (const Heading& h : r.headings) {
    if (h.depth == 1) top.push_back(p.Title(h) + " " + SectionKindName(h.section_kind));
  }
  EXPECT_EQ(top, (std::vector<std::string>{"2022年工作回顾 summary", "2023年工作目标任务 plan",
                                           "附：名词解释 appendix", "2025年省十件民生实事 appendix"}))
      << ::testing::PrintToString(top);
  const Heading* item = FindHeading(p, r, "提升困难群众兜底保障和关爱服务水平");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->depth, 2);
  EXPECT_EQ(r.sections.back().kind, SectionKind::kAppendix);
}

// Headings of real reports broken over two lines by a conversion: the
// marker itself ("（" / "三）持续优化营商环境", liaocheng-gaotang_2022) or the
// last words of the title ("三、持续提升政府" / "效能"). A line that is a
// part title of its own ("加强政府自身建设") is never such a tail.
TEST(Outline, HeadingSplitOverTwoLinesIsRejoined) {
  Parsed p = Parse(
      "保定市清苑区2022年政府工作报告\n"
      "二、2022年政府工作目标和主要任务\n"
      "（\n"
      "三）持续优化营商环境。以便民利企为目标，深化放管服改革。\n"
      "三、持续提升政府\n"
      "效能\n"
      "我们将坚持党对政府工作的全面领导。\n");
  const Report& r = p.outline.reports.at(0);
  ASSERT_EQ(r.headings.size(), 3u);
  EXPECT_EQ(p.Title(r.headings[1]), "持续优化营商环境");
  EXPECT_EQ(r.headings[1].number, 3);
  EXPECT_EQ(r.headings[1].depth, 2);
  EXPECT_EQ(p.Title(r.headings[2]), "持续提升政府效能");
  EXPECT_EQ(r.headings[2].depth, 1);
  EXPECT_EQ(r.headings[2].section_kind, SectionKind::kPlan);
  // A heading followed by a short line with punctuation stays alone.
  Parsed alone = Parse("某县2024年工作总结\n一、2024年工作回顾\n2024年，\n全县经济运行平稳。\n");
  EXPECT_EQ(JoinedText(alone.source->text(), alone.outline.reports[0].headings[0].title), "2024年工作回顾");
}

// "三、2026年主要工作" is plan in a 2026 report though 主要工作 also closes a
// review; a part about the next five-year plan has its years.
TEST(Outline, PlanYearAndFiveYearPlanSections) {
  Parsed p = Parse(
      "2026年某市政府工作报告\n"
      "一、“十四五”时期和2025年工作回顾\n"
      "二、“十五五”时期的主要目标任务\n"
      "三、2026年主要工作\n");
  const Report& r = p.outline.reports.at(0);
  ASSERT_EQ(r.sections.size(), 3u);
  EXPECT_EQ(r.sections[0].kind, SectionKind::kSummary);
  EXPECT_EQ(r.sections[0].year, 2025);
  EXPECT_EQ(r.sections[1].kind, SectionKind::kPlan);
  EXPECT_EQ(r.sections[1].year, 2026);
  EXPECT_EQ(r.sections[2].kind, SectionKind::kPlan);
  EXPECT_EQ(r.sections[2].year, 2026);
  // baoding-qingyuan_2021: 十四五 in a 2021 report starts that year.
  Parsed q = Parse("保定市清苑区2021年政府工作报告\n一、“十三五”时期经济社会发展回顾\n二、“十四五”时期的主要目标任务\n");
  EXPECT_EQ(q.outline.reports[0].sections.at(1).year, 2021);
  EXPECT_EQ(q.outline.reports[0].sections.at(1).kind, SectionKind::kPlan);
}

}  // namespace
}  // namespace taizhang
