// Word (.docx) and PDF reading: the seed compilation as Word made it
// (automatic numbering, TOC field) against the seed text, LibreOffice's
// rendering and the outline gold; the numbering probe against Word's
// rendering; the four real provincial reports against LibreOffice's text
// export; the features of WordprocessingML one by one on small packages; the
// seed compilation printed to PDF against the Word text and the gold; the PDF
// text assembly on made-up pages; and damaged or hostile files.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <vector>

#include "check/check.h"
#include "common/utf8.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "ingest/legacy_word.h"
#include "ingest/pdf_reader.h"
#include "outline/outline.h"
#include "output/check_output.h"
#include "tests/docx_builder.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

using nlohmann::json;

std::string Fixture(const std::string& name) { return testing::SharedDir() + "/corpus/fixtures/" + name; }

// Lines with all white space removed, empty lines dropped: LibreOffice puts a
// tab or space after an automatic number and Word's text has none.
std::vector<std::string> Squeezed(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string> lines;
  std::string line;
  auto flush = [&]() {
    if (!line.empty()) lines.push_back(line);
    line.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      flush();
    } else if (c == ' ' || c == '\t' || c == '\r') {
      continue;
    } else if (text.compare(i, 3, "\xE3\x80\x80") == 0) {  // ideographic space
      i += 2;
    } else {
      line += c;
    }
  }
  flush();
  return lines;
}

SourceText MustRead(const std::string& path) {
  auto source = ReadDocument(path, {});
  EXPECT_TRUE(source.ok()) << path << ": " << source.status().message();
  return source.ok() ? std::move(source).value() : SourceText();
}

Result<SourceText> ReadBytes(const std::string& bytes, const ReadOptions& options = {}) {
  return DecodeDocument("测试.docx", bytes, options);
}

std::string PartOf(const std::string& docx, const std::string& part) { return testing::ZipPart(docx, part); }

// Every part of a package, for rebuilding it with one part changed.
std::map<std::string, std::string> AllParts(const std::string& docx) {
  std::map<std::string, std::string> parts;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(docx.data(), docx.size(), 0, &error);
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (zip == nullptr) {
    zip_source_free(source);
    return parts;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(zip, 0); ++i) {
    const char* name = zip_get_name(zip, static_cast<zip_uint64_t>(i), 0);
    if (name != nullptr) parts[name] = "";
  }
  zip_discard(zip);
  for (auto& [name, bytes] : parts) bytes = PartOf(docx, name);
  return parts;
}

TEST(DocxSeed, TextMatchesLibreOfficeWhitespaceAside) {
  SourceText docx = MustRead(Fixture("seed-compilation.docx"));
  EXPECT_EQ(docx.encoding(), "DOCX");
  std::vector<std::string> ours = Squeezed(docx.text());
  std::vector<std::string> office = Squeezed(testing::ReadBytes(Fixture("seed-compilation.libreoffice.txt")));
  ASSERT_EQ(ours.size(), office.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], office[i]) << "line " << i + 1;
}

TEST(DocxSeed, SameLinesAsTheSeedTocAside) {
  SourceText docx = MustRead(Fixture("seed-compilation.docx"));
  std::vector<std::string> seed = Squeezed(testing::ReadBytes(testing::SeedPath()));
  // The seed's TOC also lists the compilation title and 目录 itself, and the
  // web page it was copied from appended advertising after the last report;
  // the Word file has neither.
  std::vector<std::string> expected;
  for (size_t i = 0; i < seed.size(); ++i) {
    if (seed[i] == "2023年工作总结和2024年工作计划汇编（16篇）1" || seed[i] == "目录1") continue;
    if (seed[i].find("哒哒") != std::string::npos || seed[i] == "##paidend##") continue;
    expected.push_back(seed[i]);
  }
  EXPECT_EQ(Squeezed(docx.text()), expected);
}

// The seed's 16 documents and 352 gold headings (in order: line numbers
// differ from the text's) in a document's outline; returns the headings
// matched.
size_t MatchGoldOutline(const SourceText& docx) {
  OutlineResult outline = BuildOutline(docx);
  json documents = json::parse(testing::ReadBytes(testing::SharedDir() + "/gold/seed-documents.json"))["documents"];
  json gold = json::parse(testing::ReadBytes(testing::SharedDir() + "/gold/seed-outline.json"))["documents"];
  EXPECT_EQ(outline.reports.size(), 16u);
  if (outline.reports.size() != 16u) return 0;
  EXPECT_TRUE(outline.is_compilation);
  size_t total = 0, matched = 0;
  for (size_t d = 0; d < documents.size(); ++d) {
    const Report& r = outline.reports[d];
    SCOPED_TRACE("document " + std::to_string(d + 1));
    EXPECT_EQ(JoinedText(docx.text(), r.title), documents[d]["title"].get<std::string>());
    EXPECT_EQ(r.unit.kind, documents[d]["unit_kind"].get<std::string>());
    EXPECT_EQ(r.kind, ReportKind::kSummaryAndPlan);
    // Line numbers differ (no blank lines in Word): headings in order.
    const json& headings = gold[d]["headings"];
    EXPECT_EQ(gold[d]["index"].get<size_t>(), d + 1);
    EXPECT_EQ(r.headings.size(), headings.size());
    for (size_t h = 0; h < headings.size() && h < r.headings.size(); ++h) {
      ++total;
      const Heading& got = r.headings[h];
      const json& g = headings[h];
      bool ok = got.depth == g["depth"].get<int>() &&
                std::string(got.marker.In(docx.text())) == g["marker"].get<std::string>() &&
                got.number == g["number"].get<int>() &&
                JoinedText(docx.text(), got.title) == g["title"].get<std::string>();
      if (g.contains("section_kind")) {
        ok = ok && SectionKindName(got.section_kind) == g["section_kind"].get<std::string>();
      }
      EXPECT_TRUE(ok) << "gold line " << g["line"] << ": got " << got.marker.In(docx.text()) << " "
                      << JoinedText(docx.text(), got.title) << " depth " << got.depth;
      matched += ok;
    }
  }
  EXPECT_EQ(total, 352u);
  return matched;
}

TEST(DocxSeed, OutlineMatchesTheGold) {
  SourceText docx = MustRead(Fixture("seed-compilation.docx"));
  EXPECT_EQ(MatchGoldOutline(docx), 352u);
}

// The TOC field's entries link to _Toc bookmarks on the report titles: the
// split follows the links, so a title edited after the TOC was built (the
// TOC not updated) still opens its report, with a note.
TEST(DocxSeed, TocEntriesFollowTheirBookmarks) {
  const std::string bytes = testing::ReadBytes(Fixture("seed-compilation.docx"));
  auto source = ReadBytes(bytes);
  ASSERT_TRUE(source.ok()) << source.status().message();
  EXPECT_EQ(source->bookmarks().size(), 16u);
  OutlineResult outline = BuildOutline(*source);
  ASSERT_EQ(outline.toc.size(), 16u);
  for (const TocEntry& entry : outline.toc) {
    ASSERT_GE(entry.report, 0);
    EXPECT_EQ(entry.bookmark_line, outline.reports[entry.report].first_line) << entry.line;
  }
  // A title that only its TOC entry and its report carry (several reports
  // share "2023年工作总结及2024年工作计划"), edited in the body only.
  std::map<std::string, std::string> parts = AllParts(bytes);
  std::string& xml = parts["word/document.xml"];
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = xml.find(needle); at != std::string::npos; at = xml.find(needle, at + 1)) ++n;
    return n;
  };
  std::string title;
  for (const Report& r : outline.reports) {
    std::string t(r.title.In(source->text()));
    if (count(t) == 2) {
      title = t;
      break;
    }
  }
  ASSERT_FALSE(title.empty());
  xml.replace(xml.rfind(title), title.size(), "关于" + title + "的报告");
  auto edited = ReadBytes(testing::MakeZip(parts));
  ASSERT_TRUE(edited.ok()) << edited.status().message();
  OutlineResult after = BuildOutline(*edited);
  ASSERT_EQ(after.reports.size(), 16u);
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(after.reports[i].first_line, outline.reports[i].first_line) << i;
  ASSERT_EQ(after.notes.size(), 1u);
  EXPECT_NE(after.notes[0].message.find("目录可能未更新"), std::string::npos) << after.notes[0].message;
  // Without the links (the same text as plain text) the entry is not found.
  auto plain = DecodeText("plain.txt", std::string(edited->text()), {});
  ASSERT_TRUE(plain.ok());
  OutlineResult unlinked = BuildOutline(*plain);
  ASSERT_FALSE(unlinked.notes.empty());
  EXPECT_NE(unlinked.notes[0].message.find("没有找到"), std::string::npos);
}

TEST(DocxSeed, LinesMapBackToParagraphs) {
  SourceText docx = MustRead(Fixture("seed-compilation.docx"));
  ASSERT_EQ(docx.origins().size(), docx.line_count());
  // Line 22 is report 1's first heading: an automatic number "一、" (suffix
  // nothing) in front of the paragraph's own text, outline level 0.
  uint32_t line = 0;
  for (uint32_t n = 1; n <= docx.line_count(); ++n) {
    if (docx.Line(n) == "一、2023年主要工作开展情况") {
      line = n;
      break;
    }
  }
  ASSERT_NE(line, 0u);
  const LineOrigin& o = docx.origins()[line - 1];
  EXPECT_EQ(o.prefix, std::string("一、").size());
  EXPECT_EQ(o.outline_level, 0);
  EXPECT_GT(o.paragraph, 0);
  // Paragraph indexes grow with the lines.
  for (uint32_t n = 2; n <= docx.line_count(); ++n) {
    EXPECT_GE(docx.origins()[n - 1].paragraph, docx.origins()[n - 2].paragraph);
  }
}

TEST(DocxProbe, EveryNumberingFormatAsWordShowsIt) {
  SourceText probe = MustRead(Fixture("numbering-probe.docx"));
  std::vector<std::string> ours = Squeezed(probe.text());
  std::vector<std::string> office = Squeezed(testing::ReadBytes(Fixture("numbering-probe.libreoffice.txt")));
  // Where Word and LibreOffice differ, Word's rendering: ideographDigital is
  // digit by digit (一〇, not 十), and circled numbers stop at ⑳ (Word shows
  // 21, LibreOffice ㉑). The footnote mark is not text, and a table row is
  // one line.
  std::map<std::string, std::string> word = {
      {"十、ideographDigital10", "一〇、ideographDigital10"},
      {"十一、ideographDigital11", "一一、ideographDigital11"},
      {"十九、ideographDigital19", "一九、ideographDigital19"},
      {"二十、ideographDigital20", "二〇、ideographDigital20"},
      {"二十一、ideographDigital21", "二一、ideographDigital21"},
      {"九十九、ideographDigital99", "九九、ideographDigital99"},
      {"一百、ideographDigital100", "一〇〇、ideographDigital100"},
      {"一百零一、ideographDigital101", "一〇一、ideographDigital101"},
      {"一百一十、ideographDigital110", "一一〇、ideographDigital110"},
      {"一千、ideographDigital1000", "一〇〇〇、ideographDigital1000"},
      {"二千零二十四、ideographDigital2024", "二〇二四、ideographDigital2024"},
      {"㉑、decimalEnclosedCircleChinese21", "21、decimalEnclosedCircleChinese21"},
      {"过去一年，全市经济运行稳中有进1。地区生产总值增长5.5%。", "过去一年，全市经济运行稳中有进。地区生产总值增长5.5%。"},
  };
  std::vector<std::string> expected;
  for (size_t i = 0; i < office.size(); ++i) {
    if (office[i] == "指标") {  // the 3×3 table
      ASSERT_LE(i + 9, office.size());
      expected.push_back(office[i] + office[i + 1] + office[i + 2]);
      expected.push_back(office[i + 3] + office[i + 4] + office[i + 5]);
      expected.push_back(office[i + 6] + office[i + 7] + office[i + 8]);
      i += 8;
      continue;
    }
    auto it = word.find(office[i]);
    expected.push_back(it == word.end() ? office[i] : it->second);
  }
  ASSERT_EQ(ours.size(), expected.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], expected[i]) << "line " << i + 1;
  // The footnote is kept beside the text, at its mark's line.
  ASSERT_EQ(probe.notes().size(), 1u);
  EXPECT_EQ(probe.notes()[0].text, "本报告中地区生产总值增速按可比价格计算。");
  EXPECT_NE(probe.Line(probe.notes()[0].line).find("稳中有进"), std::string_view::npos);
  // The table rows are marked, their cells tab-separated, the three rows one table.
  std::vector<uint32_t> rows;
  for (uint32_t n = 1; n <= probe.line_count(); ++n) {
    if (probe.origins()[n - 1].table_row) rows.push_back(n);
  }
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(probe.Line(rows[1]), "地区生产总值（亿元）\t5210\t5.5");
  for (uint32_t n : rows) EXPECT_EQ(probe.origins()[n - 1].table, 0);
  EXPECT_EQ(rows[2], rows[0] + 2);
}

TEST(DocxReal, FourProvincialReportsReadCompletely) {
  const char* names[] = {"2025年北京市政府工作报告", "2025年江苏省政府工作报告", "2025年浙江省政府工作报告",
                         "2025年广东省政府工作报告"};
  for (const char* name : names) {
    SCOPED_TRACE(name);
    SourceText docx = MustRead(testing::SharedDir() + "/corpus/docx/" + name + ".docx");
    // LibreOffice 7.4's text export of the same file (tests/golden/docx/,
    // made by scripts/libreoffice-text.sh).
    std::vector<std::string> office =
        Squeezed(testing::ReadBytes(testing::SourceDir() + "/tests/golden/docx/" + name + ".libreoffice.txt"));
    ASSERT_GT(office.size(), 50u);
    EXPECT_EQ(Squeezed(docx.text()), office);
    OutlineResult outline = BuildOutline(docx);
    ASSERT_EQ(outline.reports.size(), 1u);
    EXPECT_EQ(outline.reports[0].kind, ReportKind::kGovernmentWorkReport);
    EXPECT_GE(outline.reports[0].headings.size(), 8u);
  }
}

// --- WordprocessingML features on small packages ---------------------------

std::string P(const std::string& runs, const std::string& ppr = "") {
  return "<w:p>" + (ppr.empty() ? "" : "<w:pPr>" + ppr + "</w:pPr>") + runs + "</w:p>";
}
std::string R(const std::string& text, const std::string& rpr = "") {
  return "<w:r>" + (rpr.empty() ? "" : "<w:rPr>" + rpr + "</w:rPr>") + "<w:t xml:space=\"preserve\">" + text +
         "</w:t></w:r>";
}

std::string TextOf(const testing::DocxParts& parts) {
  auto source = ReadBytes(testing::MakeDocx(parts));
  EXPECT_TRUE(source.ok()) << source.status().message();
  return source.ok() ? std::string(source->text()) : "";
}

TEST(DocxFeatures, TrackedChangesFieldsAndWrappers) {
  testing::DocxParts d;
  d.body = P(R("完成投资") + "<w:ins w:id=\"1\" w:author=\"a\">" + R("5") + "</w:ins>" +
             "<w:del w:id=\"2\" w:author=\"a\"><w:r><w:delText>4</w:delText></w:r></w:del>" + R("亿元。")) +
           // A field: the code is dropped, the result kept.
           P("<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
             "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>" + R("7") +
             "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>") +
           P("<w:hyperlink w:anchor=\"x\">" + R("链接") + "</w:hyperlink><w:smartTag>" + R("标记") +
             "</w:smartTag><w:sdt><w:sdtContent>" + R("控件") + "</w:sdtContent></w:sdt>" +
             "<w:fldSimple w:instr=\"DATE\">" + R("2024年1月") + "</w:fldSimple>") +
           "<w:sdt><w:sdtContent>" + P(R("块级控件")) + "</w:sdtContent></w:sdt>" +
           // Text boxes: read once although Word stores two copies.
           P(R("正文") + "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor "
                       "xmlns:wp=\"x\"><w:txbxContent>" + P(R("文本框")) +
             "</w:txbxContent></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>" +
             P(R("文本框")) + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>") +
           P(R("甲") + "<w:r><w:tab/></w:r>" + R("乙") + "<w:r><w:br/></w:r>" + R("丙"));
  EXPECT_EQ(TextOf(d),
            "完成投资5亿元。\n7\n链接标记控件2024年1月\n块级控件\n正文\n文本框\n甲\t乙\n丙\n");
}

TEST(DocxFeatures, NumberingOverridesRestartsAndLegal) {
  testing::DocxParts d;
  d.numbering =
      "<w:abstractNum w:abstractNumId=\"0\">"
      "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/>"
      "<w:suff w:val=\"nothing\"/></w:lvl>"
      "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"（%2）\"/>"
      "<w:suff w:val=\"nothing\"/></w:lvl>"
      "<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:isLgl/><w:lvlText w:val=\"%1.%2.%3\"/>"
      "<w:suff w:val=\"space\"/></w:lvl>"
      "</w:abstractNum>"
      "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
      "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"0\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"5\"/>"
      "</w:lvlOverride></w:num>";
  d.styles =
      "<w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/>"
      "<w:pPr><w:numPr><w:numId w:val=\"1\"/><w:ilvl w:val=\"0\"/></w:numPr></w:pPr></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"a5\"><w:name w:val=\"我的标题\"/><w:basedOn w:val=\"1\"/></w:style>";
  auto num = [](int id, int level) {
    return "<w:numPr><w:ilvl w:val=\"" + std::to_string(level) + "\"/><w:numId w:val=\"" + std::to_string(id) +
           "\"/></w:numPr>";
  };
  d.body = P(R("总体情况"), "<w:pStyle w:val=\"1\"/>") +             // 一、 from the style
           P(R("项目"), num(1, 1)) +                                 // （一）
           P(R("资金"), num(1, 1)) +                                 // （二）
           P(R("细目"), num(1, 2)) +                                 // 1.2.1 (isLgl)
           P(R("主要问题"), "<w:pStyle w:val=\"a5\"/>") +             // 二、 via basedOn
           P(R("原因"), num(1, 1)) +                                 // （一） restarted
           P(R("另起"), num(2, 0)) +                                 // 五、 startOverride
           P(R("不编号"), "<w:pStyle w:val=\"1\"/>" + num(0, 0));     // numId 0 removes it
  EXPECT_EQ(TextOf(d),
            "一、总体情况\n（一）项目\n（二）资金\n1.2.1 细目\n二、主要问题\n（一）原因\n五、另起\n不编号\n");
  auto source = ReadBytes(testing::MakeDocx(d));
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source->origins()[0].outline_level, 0);  // "heading 1" by name
  EXPECT_EQ(source->origins()[4].outline_level, 0);  // through basedOn
  EXPECT_EQ(source->origins()[1].outline_level, -1);
  EXPECT_EQ(source->origins()[0].prefix, std::string("一、").size());
}

TEST(DocxFeatures, HeadingsByStyleAlone) {
  testing::DocxParts d;
  d.styles =
      "<w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"2\"><w:name w:val=\"heading 2\"/></w:style>";
  d.body = P(R("某县水利局2024年工作总结")) + P(R("总体情况"), "<w:pStyle w:val=\"1\"/>") +
           P(R("（一）项目建设")) + P(R("完成投资5亿元。")) +
           // Heading 2 ranks with （一）: a sibling of it, not its child.
           P(R("水库工程"), "<w:pStyle w:val=\"2\"/>") + P(R("完成3座。")) +
           P(R("主要问题"), "<w:pStyle w:val=\"1\"/>") +
           // A sentence is no heading, whatever its style says.
           P(R("资金不足。项目推进较慢。"), "<w:outlineLvl w:val=\"1\"/>");
  auto source = ReadBytes(testing::MakeDocx(d));
  ASSERT_TRUE(source.ok()) << source.status().message();
  OutlineResult outline = BuildOutline(*source);
  ASSERT_EQ(outline.reports.size(), 1u);
  const Report& r = outline.reports[0];
  std::vector<std::string> got;
  for (const Heading& h : r.headings) {
    got.push_back(std::string(MarkerKindName(h.kind)) + " " + std::to_string(h.depth) + " " +
                  JoinedText(source->text(), h.title));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"style 1 总体情况", "chinese_paren 2 项目建设", "style 2 水库工程",
                                           "style 1 主要问题"}));
  // The same lines as plain text: no levels, so only the typed marker.
  auto plain = DecodeText("plain.txt", std::string(source->text()), {});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(BuildOutline(*plain).reports[0].headings.size(), 1u);
}

// Headings without a marker, by how they look: a larger size or a heading
// typeface (display headings, ranked by their look), a bold paragraph, a
// bold run-in lead; never a long bold sentence, a bold subtitle, a table row.
TEST(DocxFeatures, HeadingsByLook) {
  testing::DocxParts d;
  d.styles =
      "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/></w:rPr>"
      "</w:rPrDefault></w:docDefaults>";
  const std::string big = "<w:sz w:val=\"44\"/>";
  const std::string hei = "<w:rFonts w:eastAsia=\"黑体\"/>";
  const std::string bold = "<w:b/>";
  d.body = P(R("某县水利局2024年工作总结", big)) + P(R("——2024年12月20日", bold)) +
           P(R("第一部分　工作回顾", big)) + P(R("水利建设", hei)) + P(R("完成投资5亿元。")) +
           P(R("　　") + R("抓好水库建设", bold) + R("。完成3座水库除险加固。")) +
           P(R("抓好河道治理。", bold) + R("治理河道12公里。")) + P(R("资金保障", bold)) + P(R("落实资金。")) +
           P(R("存在问题", hei)) + P(R("资金不足。")) +
           P(R("项目前期工作推进较慢，要素保障压力较大，需要进一步加强统筹协调。", bold)) +
           "<w:tbl><w:tr><w:tc>" + P(R("合计", bold)) + "</w:tc></w:tr></w:tbl>" +
           P(R("第二部分　工作计划", big)) + P(R("一、重点任务")) + P(R("继续推进。"));
  auto source = ReadBytes(testing::MakeDocx(d));
  ASSERT_TRUE(source.ok()) << source.status().message();
  OutlineResult outline = BuildOutline(*source);
  ASSERT_EQ(outline.reports.size(), 1u);
  const Report& r = outline.reports[0];
  std::vector<std::string> got;
  for (const Heading& h : r.headings) {
    got.push_back(std::to_string(h.depth) + " " + JoinedText(source->text(), h.title) + (h.run_in ? " +" : ""));
  }
  // 第一部分 is a marker of the top level: the title is what follows it.
  EXPECT_EQ(got, (std::vector<std::string>{"1 工作回顾", "2 水利建设", "3 抓好水库建设 +",
                                           "3 抓好河道治理 +", "3 资金保障", "2 存在问题",
                                           "1 工作计划", "2 重点任务"}))
      << ::testing::PrintToString(got);
  // The same lines as plain text: the typed marker and the two parts that
  // stand alone and say what they are (工作回顾, 工作计划); looks are lost.
  auto plain = DecodeText("plain.txt", std::string(source->text()), {});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(BuildOutline(*plain).reports[0].headings.size(), 3u);
}

// Lines of real reports (hunan-yiyang 2024, county reports of corpus/more)
// that address the audience or announce a list are never headings, however
// bold or however high their outline level: "各位代表：", "今年，我们将重点抓
// 好以下八个方面工作：", "现将有关情况报告如下：".
TEST(DocxFeatures, LeadInLinesAreNoHeadings) {
  testing::DocxParts d;
  d.styles =
      "<w:style w:type=\"paragraph\" w:styleId=\"h1\"><w:name w:val=\"heading 1\"/>"
      "<w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:style>";
  const std::string bold = "<w:b/>";
  d.body = P(R("各位代表：", bold)) + P(R("现在，我代表市人民政府，向大会作工作报告，请予审议。")) +
           P(R("现将有关情况报告如下：", bold)) + P(R("今年，我们将重点抓好以下八个方面工作：", bold)) +
           "<w:p><w:pPr><w:pStyle w:val=\"h1\"/></w:pPr><w:r><w:t>重点抓好以下几个方面工作：</w:t></w:r></w:p>" +
           P(R("一、着力推进产业立市")) + P(R("坚持把产业发展作为立市之本。"));
  auto source = ReadBytes(testing::MakeDocx(d));
  ASSERT_TRUE(source.ok()) << source.status().message();
  OutlineResult outline = BuildOutline(*source);
  ASSERT_EQ(outline.reports.size(), 1u);
  const Report& r = outline.reports[0];
  ASSERT_EQ(r.headings.size(), 1u);
  EXPECT_EQ(JoinedText(source->text(), r.headings[0].title), "着力推进产业立市");
  EXPECT_EQ(r.kind, ReportKind::kGovernmentWorkReport);
}

TEST(DocxFeatures, BoldAndTablesWithMergedCells) {
  testing::DocxParts d;
  d.styles = "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\"><w:name w:val=\"Normal\"/></w:style>";
  auto cell = [](const std::string& props, const std::string& content) {
    return "<w:tc><w:tcPr>" + props + "</w:tcPr>" + content + "</w:tc>";
  };
  // | 地区 (2 rows) | 2023年 （亿元） (2 columns)     |
  // |               | 5210          | 3.5%           |
  // | 合计          | 5210 (the whole row, 3 columns) |
  d.body = P(R("一是", "<w:b/>") + R("加强领导。", "<w:b/>")) + P(R("一是", "<w:b/>") + R("加强领导。")) +
           "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
           "<w:tr>" + cell("<w:vMerge w:val=\"restart\"/>", P(R("地区"))) +
           cell("<w:gridSpan w:val=\"2\"/>", P(R("2023年")) + P(R("（亿元）"))) + "</w:tr>" +
           "<w:tr>" + cell("<w:vMerge/>", P(R(""))) + cell("", P(R("5210"))) + cell("", P(R("3.5%"))) + "</w:tr>" +
           "<w:tr>" + cell("", P(R("合计"))) + cell("<w:gridSpan w:val=\"2\"/>", P(R("5210"))) + "</w:tr>" +
           "</w:tbl>" + P(R("表后正文。"));
  auto source = ReadBytes(testing::MakeDocx(d));
  ASSERT_TRUE(source.ok()) << source.status().message();
  EXPECT_EQ(source->text(), "一是加强领导。\n一是加强领导。\n地区\t2023年 （亿元）\n\t5210\t3.5%\n合计\t5210\n表后正文。\n");
  EXPECT_TRUE(source->origins()[0].bold);
  EXPECT_EQ(source->origins()[0].bold_lead, source->Line(1).size());
  EXPECT_FALSE(source->origins()[1].bold);
  EXPECT_EQ(source->origins()[1].bold_lead, std::string("一是").size());
  EXPECT_TRUE(source->origins()[2].table_row);
  EXPECT_FALSE(source->origins()[5].table_row);
  // The table in the model: grid places, spans, merges, cell text.
  ASSERT_EQ(source->tables().size(), 1u);
  const Table& table = source->tables()[0];
  EXPECT_EQ(table.columns, 3);
  ASSERT_EQ(table.rows.size(), 3u);
  std::vector<std::string> got;
  for (const TableRow& row : table.rows) {
    EXPECT_EQ(source->origins()[row.line - 1].table, 0);
    std::string line = std::to_string(row.line) + ":";
    for (const TableCell& c : row.cells) {
      line += " [" + std::string(source->text().substr(c.begin, c.end - c.begin)) + " @" + std::to_string(c.column) +
              " " + std::to_string(c.column_span) + "x" + std::to_string(c.row_span) + "]";
    }
    got.push_back(line);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"3: [地区 @0 1x2] [2023年 （亿元） @1 2x1]",
                                           "4: [ @0 1x0] [5210 @1 1x1] [3.5% @2 1x1]",
                                           "5: [合计 @0 1x1] [5210 @1 2x1]"}));
}

// A table inside a cell is read into that cell; only the outer table is a
// table of the model.
TEST(DocxFeatures, NestedTableReadIntoItsCell) {
  testing::DocxParts d;
  const std::string inner = "<w:tbl><w:tr><w:tc>" + P(R("甲")) + "</w:tc><w:tc>" + P(R("乙")) + "</w:tc></w:tr></w:tbl>";
  d.body = "<w:tbl><w:tr><w:tc>" + P(R("外")) + "</w:tc><w:tc>" + inner + P(R("")) + "</w:tc></w:tr></w:tbl>";
  auto source = ReadBytes(testing::MakeDocx(d));
  ASSERT_TRUE(source.ok()) << source.status().message();
  EXPECT_EQ(source->text(), "外\t甲 乙\n");
  ASSERT_EQ(source->tables().size(), 1u);
  ASSERT_EQ(source->tables()[0].rows.size(), 1u);
  EXPECT_EQ(source->tables()[0].rows[0].cells.size(), 2u);
}

// --- PDF ----------------------------------------------------------------------

TEST(PdfSeed, SameParagraphsAsTheWordFile) {
  SourceText pdf = MustRead(Fixture("seed-compilation.pdf"));
  EXPECT_EQ(pdf.encoding(), "PDF");
  std::vector<std::string> ours = Squeezed(pdf.text());
  std::vector<std::string> word = Squeezed(MustRead(Fixture("seed-compilation.docx")).text());
  // The same paragraphs, one for one. LibreOffice's PDF lost a few
  // punctuation marks at line ends from its text layer (pdftotext misses
  // them too): a line may lack a ， 。 ； or 、, nothing else.
  ASSERT_EQ(ours.size(), word.size());
  size_t same = 0;
  for (size_t i = 0; i < ours.size(); ++i) {
    if (ours[i] == word[i]) {
      ++same;
      continue;
    }
    std::string without = word[i];
    for (const char* mark : {"，", "。", "；", "、"}) {
      for (size_t at; (at = without.find(mark)) != std::string::npos;) without.erase(at, 3);
    }
    std::string ours_without = ours[i];
    for (const char* mark : {"，", "。", "；", "、"}) {
      for (size_t at; (at = ours_without.find(mark)) != std::string::npos;) ours_without.erase(at, 3);
    }
    EXPECT_EQ(ours_without, without) << "line " << i + 1;
    EXPECT_LE(ours[i].size() + 3, word[i].size()) << "line " << i + 1;
  }
  EXPECT_GE(same * 100, ours.size() * 98) << same << " of " << ours.size();
}

TEST(PdfSeed, NoPageNumbersNoInsertedSpaces) {
  SourceText pdf = MustRead(Fixture("seed-compilation.pdf"));
  for (uint32_t n = 1; n <= pdf.line_count(); ++n) {
    std::string_view line = pdf.Line(n);
    // "—12—": a page number (an em dash elsewhere, as in 2月16日—2月17日, is text).
    for (size_t at = line.find("—"); at != std::string_view::npos; at = line.find("—", at + 3)) {
      size_t k = at + 3;
      while (k < line.size() && (line[k] == ' ' || (line[k] >= '0' && line[k] <= '9'))) ++k;
      bool digits = k > at + 3 && line.substr(at + 3, k - at - 3).find_first_of("0123456789") != std::string_view::npos;
      EXPECT_FALSE(digits && line.substr(k, 3) == "—") << "line " << n << ": " << line;
    }
    EXPECT_EQ(line.find(" 年"), std::string_view::npos) << "line " << n << ": " << line;
    EXPECT_EQ(line.find(" 万元"), std::string_view::npos) << "line " << n << ": " << line;
  }
  // 105 pages: every line knows its page.
  ASSERT_EQ(pdf.origins().size(), pdf.line_count());
  EXPECT_EQ(pdf.origins().back().paragraph, 104);
}

TEST(PdfSeed, OutlineMatchesTheGold) {
  SourceText pdf = MustRead(Fixture("seed-compilation.pdf"));
  size_t matched = MatchGoldOutline(pdf);
  EXPECT_GE(matched * 100, 352u * 99);
}

ingest_internal::PdfWord Word(const std::string& text, double x0, double y0, double x1, bool space = false) {
  ingest_internal::PdfWord w;
  w.text = text;
  w.x0 = x0;
  w.x1 = x1;
  w.y0 = y0;
  w.y1 = y0 + 20;
  w.font_size = 16;
  w.space_after = space;
  return w;
}

TEST(PdfAssembly, ParagraphsPageNumbersHeadersAndBrokenWords) {
  std::vector<ingest_internal::PdfPage> pages(3);
  for (int p = 0; p < 3; ++p) {
    auto& w = pages[p].words;
    pages[p].width = 595;
    pages[p].height = 842;
    w.push_back(Word("某某县水利局文件", 200, 40, 400));  // running header
    if (p == 0) {
      w.push_back(Word("（一）重点项目。完成投资", 112, 100, 520, true));
      w.push_back(Word("XX", 80, 122, 100, true));
      w.push_back(Word("万元，其中", 104, 122, 200, true));
      w.push_back(Word("2023", 204, 122, 240, true));
      w.push_back(Word("年完成", 244, 122, 300));
      w.push_back(Word("一是加强管理。", 112, 144, 330));
    } else {
      w.push_back(Word("二是强化督查，全年开展检查", 112, 100, 520, true));
      w.push_back(Word("12", 80, 122, 96, true));
      w.push_back(Word("次。", 100, 122, 140));
    }
    w.push_back(Word("— " + std::to_string(p + 1) + " —", 280, 800, 320));  // page number
  }
  std::vector<LineOrigin> origins;
  std::string text = ingest_internal::AssemblePdfText(pages, &origins);
  EXPECT_EQ(text,
            "（一）重点项目。完成投资XX万元，其中2023年完成\n一是加强管理。\n"
            "二是强化督查，全年开展检查12次。\n二是强化督查，全年开展检查12次。\n");
  ASSERT_EQ(origins.size(), 4u);
  EXPECT_EQ(origins[2].paragraph, 1);
  EXPECT_EQ(origins[3].paragraph, 2);
}

TEST(PdfAssembly, TableOfContentsAndAsciiWords) {
  std::vector<ingest_internal::PdfPage> pages(1);
  auto& w = pages[0].words;
  w.push_back(Word("县水利局工作总结……………3", 80, 100, 500));
  w.push_back(Word("区审计局", 80, 122, 150, true));
  w.push_back(Word("2023", 154, 122, 190, true));
  w.push_back(Word("年工作总结", 194, 122, 300, true));
  w.push_back(Word("55", 480, 122, 500));
  w.push_back(Word("使用", 112, 144, 150, true));
  w.push_back(Word("Office", 154, 144, 520, true));
  w.push_back(Word("Word", 80, 166, 120, true));
  w.push_back(Word("编辑，管道", 124, 166, 200, true));
  w.push_back(Word("14", 204, 166, 520));
  w.push_back(Word("km。", 80, 188, 120));
  std::vector<LineOrigin> origins;
  EXPECT_EQ(ingest_internal::AssemblePdfText(pages, &origins),
            "县水利局工作总结\t3\n区审计局2023年工作总结\t55\n使用Office Word编辑，管道14km。\n");
}

// A table whose words poppler gives column by column comes out row by row,
// its cells separated by tabs, two numbers half an em apart in two cells;
// the prose around it stays paragraphs.
TEST(PdfAssembly, TableRowsFromWordsInColumnOrder) {
  std::vector<ingest_internal::PdfPage> pages(1);
  auto& w = pages[0].words;
  w.push_back(Word("一、收入情况。本年收入合计", 112, 100, 520));
  w.push_back(Word("XX万元。", 80, 122, 200));
  // Column by column: the labels, then the amounts.
  w.push_back(Word("项目", 80, 160, 120));
  w.push_back(Word("一般公共预算", 80, 182, 180));
  w.push_back(Word("事业收入", 80, 204, 150));
  w.push_back(Word("预算数", 300, 160, 348));
  w.push_back(Word("326.71", 300, 182, 348));
  w.push_back(Word("12.00", 300, 204, 348));
  w.push_back(Word("上年数", 356, 160, 404));
  w.push_back(Word("60.99", 356, 182, 404));
  w.push_back(Word("8.50", 356, 204, 404));
  w.push_back(Word("二、支出情况。", 112, 240, 240));
  std::vector<LineOrigin> origins;
  std::vector<Table> tables;
  EXPECT_EQ(
      ingest_internal::AssemblePdfText(pages, &origins, &tables),
      "一、收入情况。本年收入合计XX万元。\n项目\t预算数\t上年数\n一般公共预算\t326.71\t60.99\n"
      "事业收入\t12.00\t8.50\n二、支出情况。\n");
  ASSERT_EQ(origins.size(), 5u);
  EXPECT_FALSE(origins[0].table_row);
  EXPECT_TRUE(origins[1].table_row);
  EXPECT_TRUE(origins[3].table_row);
  EXPECT_FALSE(origins[4].table_row);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].rows.size(), 3u);
  EXPECT_EQ(tables[0].rows[1].line, 3u);
  ASSERT_EQ(tables[0].rows[1].cells.size(), 3u);
  EXPECT_EQ(tables[0].rows[1].cells[2].column, 2);
}

TEST(PdfErrors, DamagedEncryptedAndEmpty) {
  std::string pdf = testing::ReadBytes(Fixture("seed-compilation.pdf"));
  ASSERT_GT(pdf.size(), 1000u);
  auto truncated = DecodeDocument("截断.pdf", pdf.substr(0, 2000), {});
  EXPECT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("截断.pdf"), std::string::npos);
  auto garbage = DecodeDocument("乱码.pdf", "%PDF-1.4\n" + std::string(5000, 'x'), {});
  EXPECT_FALSE(garbage.ok());
  ReadOptions few;
  few.max_pdf_pages = 10;
  auto many = DecodeDocument("长.pdf", pdf, few);
  EXPECT_EQ(many.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(many.status().message().find("页"), std::string::npos);
}

// --- PDF as printed: tables, WPS-made PDFs, scans -------------------------------

// The lines of `source` that start on pages [first, last] (0-based), each
// preceded by "[page]" and, for a table row, "|" — what the golden files
// under tests/golden/pdf/ hold.
std::string PagesText(const SourceText& source, int first, int last) {
  std::string out;
  for (uint32_t n = 1; n <= source.line_count(); ++n) {
    const LineOrigin& origin = source.origins()[n - 1];
    if (origin.paragraph < first || origin.paragraph > last) continue;
    out += '[';
    out += std::to_string(origin.paragraph + 1);
    out += origin.table_row ? "]|" : "] ";
    out += std::string(source.Line(n));
    out += '\n';
  }
  return out;
}

void ExpectGoldenPdfPages(const std::string& corpus_file, int first, int last,
                          const std::string& golden) {
  SourceText source = MustRead(testing::SharedDir() + "/corpus/more/" + corpus_file);
  ASSERT_EQ(source.origins().size(), source.line_count());
  std::string actual = PagesText(source, first, last);
  std::string path = testing::SourceDir() + "/tests/golden/pdf/" + golden;
  const char* update = std::getenv("TAIZHANG_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") testing::WriteBytes(path, actual);
  EXPECT_EQ(actual, testing::ReadBytes(path))
      << path << " (TAIZHANG_UPDATE_GOLDEN=1 rewrites after review)";
}

// 部门预算 tables as rows of tab-separated cells, as `pdftotext -layout`
// lays them out — never column by column, never two numbers glued — and the
// table rows marked as such, with their cells in SourceText::tables().
TEST(PdfCorpus, BudgetTablesAsRows) {
  ExpectGoldenPdfPages("budget/national-petitions-bureau_2026_budget.pdf", 4, 5,
                       "national-petitions-2026-tables.expected");
  ExpectGoldenPdfPages("budget/chongqing-water_2026_budget-explanation.pdf", 12, 12,
                       "chongqing-water-2026-income-table.expected");
  SourceText source = MustRead(testing::SharedDir() +
                               "/corpus/more/budget/chongqing-water_2026_budget-explanation.pdf");
  ASSERT_FALSE(source.tables().empty());
  size_t rows = 0;
  for (const Table& table : source.tables()) {
    for (const TableRow& row : table.rows) {
      ++rows;
      ASSERT_GE(row.line, 1u);
      ASSERT_LE(row.line, source.line_count());
      EXPECT_TRUE(source.origins()[row.line - 1].table_row);
      for (const TableCell& cell : row.cells) {
        ASSERT_LE(cell.end, source.text().size());
        EXPECT_EQ(source.text().substr(cell.begin, cell.end - cell.begin).find('\t'),
                  std::string::npos);
      }
    }
  }
  EXPECT_GT(rows, 100u);
}

// WPS 文字 PDFs: justified lines re-joined into the paragraphs as printed,
// page breaks inside a paragraph joined, headings on their own lines.
TEST(PdfCorpus, WpsParagraphsAsPrinted) {
  ExpectGoldenPdfPages("budget/shenzhen-govoffice_2026_budget.pdf", 2, 4,
                       "shenzhen-govoffice-2026-prose.expected");
  // No page of any WPS-made budget collapses into one line.
  for (const char* file :
       {"budget/shenzhen-govoffice_2026_budget.pdf",
        "budget/national-petitions-bureau_2026_budget.pdf",
        "budget/chongqing-water_2026_budget-explanation.pdf",
        "budget/beijing-justice_2026_budget-explanation.pdf",
        "budget/suzhou-audit-bureau_2026_budget.pdf", "budget/wuxi-statistics_2026_budget.pdf"}) {
    SourceText source = MustRead(testing::SharedDir() + "/corpus/more/" + file);
    for (uint32_t n = 1; n <= source.line_count(); ++n) {
      EXPECT_LT(utf8::CountCodePoints(source.Line(n)), 700u) << file << " line " << n;
    }
  }
}

// 部门预算 prose gives the outline its official structure — 第一部分 … and
// 一、… on lines of their own, found as report titles or headings — and the
// tables' rows that open with 一、 are marked as table rows (the outline's
// marker rules may then pass them over).
TEST(PdfCorpus, BudgetOutlineFindsTheParts) {
  SourceText source = MustRead(testing::SharedDir() +
                               "/corpus/more/budget/national-petitions-bureau_2026_budget.pdf");
  OutlineResult outline = BuildOutline(source);
  ASSERT_FALSE(outline.reports.empty());
  std::vector<std::string> titles;
  for (const Report& report : outline.reports) {
    titles.emplace_back(source.Line(report.first_line));
    for (const Heading& h : report.headings) titles.emplace_back(source.Line(h.line));
  }
  auto has = [&](std::string_view title) {
    return std::find(titles.begin(), titles.end(), title) != titles.end();
  };
  EXPECT_TRUE(has("第一部分国家信访局基本情况"));
  EXPECT_TRUE(has("第二部分国家信访局部门预算表"));
  EXPECT_TRUE(has("第三部分国家信访局部门预算情况说明"));
  EXPECT_TRUE(has("一、部门职责"));
  EXPECT_TRUE(has("二、机构设置"));
  size_t marked = 0;
  for (uint32_t n = 1; n <= source.line_count(); ++n) {
    std::string_view line = source.Line(n);
    if (line.rfind("一、一般公共预算拨款收入\t", 0) == 0 || line.rfind("一、本年收入\t", 0) == 0) {
      EXPECT_TRUE(source.origins()[n - 1].table_row) << n << ": " << line;
      ++marked;
    }
  }
  EXPECT_GE(marked, 2u);
  // No table row is a heading, nor joined to a neighbouring line.
  for (const Report& report : outline.reports) {
    for (const Heading& h : report.headings) {
      EXPECT_FALSE(source.origins()[h.line - 1].table_row) << h.line << ": " << source.Line(h.line);
    }
  }
  for (const auto& [first, last] : outline.rejoined_lines) {
    for (uint32_t n = first; n <= last; ++n) EXPECT_FALSE(source.origins()[n - 1].table_row) << n;
  }
}

// Words assembled from OCR: full-width marks widened to an em, ASCII
// punctuation next to Chinese made full-width, one row per text line.
std::string EditDistanceInput(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t at = i;
    char32_t c = utf8::Next(text, &i);
    if (!utf8::IsInlineSpace(c) && c != '\n' && c != '\t') out.append(text, at, i - at);
  }
  return out;
}

size_t EditDistance(std::string_view a8, std::string_view b8) {
  std::u32string a, b;
  for (size_t i = 0; i < a8.size();) a += utf8::Next(a8, &i);
  for (size_t i = 0; i < b8.size();) b += utf8::Next(b8, &i);
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// An image-only PDF of one page: the PBM (P4) image `pbm` at 300 dpi.
std::string ImageOnlyPdf(const std::string& pbm) {
  size_t at = 0;
  auto token = [&]() {
    while (at < pbm.size() && (isspace(static_cast<unsigned char>(pbm[at])) || pbm[at] == '#')) {
      if (pbm[at] == '#') {
        while (at < pbm.size() && pbm[at] != '\n') ++at;
      } else {
        ++at;
      }
    }
    size_t start = at;
    while (at < pbm.size() && !isspace(static_cast<unsigned char>(pbm[at]))) ++at;
    return pbm.substr(start, at - start);
  };
  if (token() != "P4") return "";
  const int width = std::stoi(token()), height = std::stoi(token());
  const std::string bits = pbm.substr(at + 1);
  const double w = width * 72.0 / 300, h = height * 72.0 / 300;
  const std::string content =
      "q " + std::to_string(w) + " 0 0 " + std::to_string(h) + " 0 0 cm /Im0 Do Q";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(w) + " " + std::to_string(h) +
          "] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
      "<< /Type /XObject /Subtype /Image /Width " + std::to_string(width) + " /Height " +
          std::to_string(height) +
          " /ColorSpace /DeviceGray /BitsPerComponent 1 /Decode [1 0] /Length " +
          std::to_string(bits.size()) + " >>\nstream\n" + bits + "\nendstream",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t k = 0; k < objects.size(); ++k) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(k + 1) + " 0 obj\n" + objects[k] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char line[32];
    snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// A scanned page is read by OCR: page 3 of the seed compilation, rasterised
// at 300 dpi (pdftoppm) and wrapped as an image-only PDF, comes out as its
// paragraphs with a character accuracy (1 − edit distance / length, white
// space aside) of at least 95% against the page's text layer (measured:
// 96.9% with Tesseract 5.3 chi_sim).
TEST(PdfOcr, ScannedPageCharacterAccuracy) {
  const std::string dir = ::testing::TempDir() + "/taizhang-ocr-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  const std::string seed = Fixture("seed-compilation.pdf");
  const std::string command =
      "pdftoppm -f 3 -l 3 -r 300 -mono -singlefile '" + seed + "' '" + dir + "/page'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const std::string scanned = ImageOnlyPdf(testing::ReadBytes(dir + "/page.pbm"));
  ASSERT_FALSE(scanned.empty());
  testing::WriteBytes(dir + "/scan.pdf", scanned);

  auto source = DecodeDocument("扫描.pdf", scanned, {});
  ASSERT_TRUE(source.ok()) << source.status().message();
  EXPECT_EQ(source->encoding(), "PDF（文字识别）");
  ASSERT_EQ(source->origins().size(), source->line_count());
  for (const LineOrigin& origin : source->origins()) EXPECT_EQ(origin.paragraph, 0);
  // Paragraphs, not printed lines: the page has 22 lines in 4 paragraphs
  // and the end of one that goes on to page 4.
  EXPECT_LE(source->line_count(), 6u);

  const std::string reference_command =
      "pdftotext -f 3 -l 3 -enc UTF-8 '" + seed + "' '" + dir + "/page.txt'";
  ASSERT_EQ(std::system(reference_command.c_str()), 0);
  std::string reference = EditDistanceInput(testing::ReadBytes(dir + "/page.txt"));
  // (pdftotext keeps the page number "— 3 —"; the reading drops it.)
  for (const char* number : {"—3—", "3"}) {
    if (reference.size() >= strlen(number) &&
        reference.compare(reference.size() - strlen(number), strlen(number), number) == 0) {
      reference.resize(reference.size() - strlen(number));
      break;
    }
  }
  const std::string recognised = EditDistanceInput(source->text());
  const size_t length = utf8::CountCodePoints(reference);
  ASSERT_GT(length, 500u);
  const double accuracy = 1.0 - static_cast<double>(EditDistance(reference, recognised)) / length;
  std::printf("OCR character accuracy: %.4f (%zu characters)\n", accuracy, length);
  EXPECT_GE(accuracy, 0.95);
  EXPECT_NE(source->text().find("（五）防汛抗旱工作安全有效。"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// Without the Chinese language data, a scan gets a message saying what to
// install, and the "no text layer" reason.
TEST(PdfOcr, MissingLanguageDataIsNamed) {
  const std::string dir = ::testing::TempDir() + "/taizhang-tessdata-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  const char* old = std::getenv("TESSDATA_PREFIX");
  std::string saved = old ? old : "";
  setenv("TESSDATA_PREFIX", dir.c_str(), 1);
  // A blank page (a 1×1 white image) needs no rendering work to speak of.
  std::string pbm = std::string("P4\n8 8\n") + std::string(8, '\0');
  auto source = DecodeDocument("空白扫描.pdf", ImageOnlyPdf(pbm), {});
  if (old) {
    setenv("TESSDATA_PREFIX", saved.c_str(), 1);
  } else {
    unsetenv("TESSDATA_PREFIX");
  }
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), StatusCode::kEmpty);
  const std::string& message = source.status().message();
  EXPECT_NE(message.find("空白扫描.pdf"), std::string::npos) << message;
  EXPECT_NE(message.find("没有文字层"), std::string::npos) << message;
  EXPECT_NE(message.find("tesseract-ocr-chi-sim"), std::string::npos) << message;
}

// --- damaged and hostile files ------------------------------------------------

TEST(DocxErrors, ClearMessagesNamingTheFile) {
  std::string good = testing::MakeDocx({P(R("正文。")), "", "", ""});
  ASSERT_FALSE(good.empty());
  ASSERT_TRUE(ReadBytes(good).ok());

  auto truncated = ReadBytes(good.substr(0, good.size() / 2));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().code(), StatusCode::kUndecodable);
  EXPECT_NE(truncated.status().message().find("测试.docx"), std::string::npos);

  auto not_zip = ReadBytes(std::string("PK\x03\x04", 4) + std::string(200, 'x'));
  EXPECT_EQ(not_zip.status().code(), StatusCode::kUndecodable);

  auto no_document = ReadBytes(testing::MakeZip({{"a.txt", "x"}}));
  EXPECT_EQ(no_document.status().code(), StatusCode::kUndecodable);
  EXPECT_NE(no_document.status().message().find("不是 Word 文档"), std::string::npos);

  auto workbook = ReadBytes(testing::MakeZip({{"xl/workbook.xml", "<workbook/>"}}));
  EXPECT_NE(workbook.status().message().find("Excel"), std::string::npos);

  auto parts = testing::DocxPackage({P(R("正文。")), "", "", ""});
  parts["word/document.xml"] = "<w:document><w:body><w:p>";
  auto bad_xml = ReadBytes(testing::MakeZip(parts));
  EXPECT_EQ(bad_xml.status().code(), StatusCode::kUndecodable);
  EXPECT_NE(bad_xml.status().message().find("XML"), std::string::npos);

  auto empty = ReadBytes(testing::MakeDocx({P(R("  ")), "", "", ""}));
  EXPECT_EQ(empty.status().code(), StatusCode::kEmpty);
}

TEST(DocxErrors, LimitsOnUntrustedFiles) {
  // Nesting: smartTags inside smartTags past the depth limit. The deep part
  // is skipped with a warning (never dropped silently), the rest is read;
  // a document with nothing else is empty.
  std::string deep;
  for (int i = 0; i < 400; ++i) deep += "<w:smartTag>";
  deep += R("深");
  for (int i = 0; i < 400; ++i) deep += "</w:smartTag>";
  auto too_deep = ReadBytes(testing::MakeDocx({P(R("浅处的正文。")) + P(deep), "", "", ""}));
  ASSERT_TRUE(too_deep.ok()) << too_deep.status().message();
  EXPECT_EQ(too_deep->text().find("深"), std::string::npos);
  EXPECT_NE(too_deep->text().find("浅处的正文。"), std::string::npos);
  ASSERT_EQ(too_deep->warnings().size(), 1u);
  EXPECT_NE(too_deep->warnings()[0].find("嵌套超过 256 层，这部分未读取"), std::string::npos);
  auto only_deep = ReadBytes(testing::MakeDocx({P(deep), "", "", ""}));
  EXPECT_EQ(only_deep.status().code(), StatusCode::kEmpty);

  // A part that inflates past the per-part limit, and a bomb by its ratio.
  std::string body = P(R(std::string(3 << 20, 'a')));
  std::string big = testing::MakeDocx({body, "", "", ""});
  ReadOptions small;
  small.max_part_bytes = 1 << 20;
  EXPECT_EQ(ReadBytes(big, small).status().code(), StatusCode::kTooLarge);
  ReadOptions strict;
  strict.max_compression_ratio = 100;
  auto bomb = ReadBytes(big, strict);
  EXPECT_EQ(bomb.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(bomb.status().message().find("压缩"), std::string::npos);
  ReadOptions few;
  few.max_zip_entries = 3;
  EXPECT_EQ(ReadBytes(big, few).status().code(), StatusCode::kTooLarge);
  EXPECT_TRUE(ReadBytes(big).ok());
}

// --- the body read in batches -------------------------------------------------

// The text and every field of its layout, for comparing two reads.
std::string Dump(const SourceText& s) {
  std::string out(s.text());
  for (const LineOrigin& o : s.layout().origins) {
    out += "\n@" + std::to_string(o.paragraph) + "," + std::to_string(o.offset) + "," + std::to_string(o.prefix) +
           "," + std::to_string(o.outline_level) + "," + std::to_string(o.bold) + std::to_string(o.table_row) + "," +
           std::to_string(o.table) + "," + std::to_string(o.font_size) + "," + std::to_string(o.heading_font) + "," +
           std::to_string(o.bold_lead);
  }
  for (const Note& n : s.layout().notes) out += "\nnote " + std::to_string(n.line) + " " + n.text;
  for (const Bookmark& b : s.layout().bookmarks) out += "\nmark " + b.name + " " + std::to_string(b.line);
  for (const InternalLink& l : s.layout().links) {
    out += "\nlink " + std::to_string(l.line) + " " + l.bookmark + " " + std::to_string(l.target_line);
  }
  for (const Table& t : s.layout().tables) {
    out += "\ntable " + std::to_string(t.columns);
    for (const TableRow& r : t.rows) {
      out += "\n row " + std::to_string(r.line);
      // Appended piece by piece: `" " + std::to_string(…)` here made GCC 12
      // warn (-Wrestrict, a false positive of the inlined string insert).
      for (const TableCell& c : r.cells) {
        out += ' ';
        out += std::to_string(c.begin);
        out += '-';
        out += std::to_string(c.end);
        out += ':';
        out += std::to_string(c.column);
        out += '+';
        out += std::to_string(c.column_span);
        out += 'x';
        out += std::to_string(c.row_span);
      }
    }
  }
  for (const std::string& w : s.warnings()) out += "\nwarning " + w;
  return out;
}

// `comments` written into a copy of `bytes` the way `check --annotate` writes
// them (WriteWordComments into a file, one comment made at a time); the
// copy's bytes.
Result<std::string> Annotate(const std::string& name, const std::string& bytes, std::string_view text,
                             const std::vector<WordComment>& comments, const ReadOptions& options = {}) {
  static int serial = 0;
  const std::string out = ::testing::TempDir() + "taizhang-annotated-" + std::to_string(::getpid()) + "-" +
                          std::to_string(++serial) + ".docx";
  WordCommentSource source;
  source.count = comments.size();
  source.span = [&](size_t k) { return std::make_pair(comments[k].begin, comments[k].end); };
  source.make = [&](size_t k) { return comments[k]; };
  Status written = WriteWordComments(name, bytes, text, source, "taizhang", options, out);
  if (!written.ok()) return written;
  std::string annotated = testing::ReadBytes(out);
  std::remove(out.c_str());
  return annotated;
}

// Comments on a few characters of every seventh line and at the text's end.
std::vector<WordComment> CommentsOnLines(std::string_view text) {
  std::vector<WordComment> comments;
  size_t line = 0;
  for (size_t begin = 0; begin < text.size(); ++line) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    if (line % 7 == 0 && end > begin) {
      WordComment c;
      c.begin = static_cast<uint32_t>(begin + (end - begin) / 3);
      c.end = static_cast<uint32_t>(std::min(end, begin + (end - begin) / 3 + 7));
      c.text = "批注" + std::to_string(line);
      comments.push_back(c);
    }
    begin = end + 1;
  }
  WordComment last;
  last.begin = static_cast<uint32_t>(text.size());
  last.end = last.begin + 5;
  last.text = "末尾";
  comments.push_back(last);
  return comments;
}

// Reads `bytes` whole (one batch: the part parsed at once, without the
// splitting pass, or on a damaged part through the splitter to name the
// fault) and one top-level child a batch, and writes the same comments both
// ways: the same text, layout, messages and parts.
void ExpectSameInBatches(const std::string& name, const std::string& bytes) {
  SCOPED_TRACE(name);
  ReadOptions whole, each;
  whole.word_batch_bytes = uint64_t{1} << 40;
  each.word_batch_bytes = 1;
  auto a = DecodeDocument(name, bytes, whole);
  auto b = DecodeDocument(name, bytes, each);
  ASSERT_EQ(a.ok(), b.ok());
  if (!a.ok()) {
    EXPECT_EQ(a.status().message(), b.status().message());
    return;
  }
  EXPECT_EQ(Dump(*a), Dump(*b));
  std::vector<WordComment> comments = CommentsOnLines(a->text());
  auto annotated_a = Annotate(name, bytes, a->text(), comments, whole);
  auto annotated_b = Annotate(name, bytes, a->text(), comments, each);
  ASSERT_TRUE(annotated_a.ok()) << annotated_a.status().message();
  ASSERT_TRUE(annotated_b.ok()) << annotated_b.status().message();
  for (const char* part : {"word/document.xml", "word/comments.xml"}) {
    EXPECT_EQ(PartOf(*annotated_a, part), PartOf(*annotated_b, part)) << part;
  }
  auto reread = DecodeDocument(name, *annotated_b, each);
  ASSERT_TRUE(reread.ok()) << reread.status().message();
  EXPECT_EQ(reread->text(), a->text());
}

TEST(DocxBatches, EveryCorpusFileTheSameOneChildABatch) {
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::SharedDir() + "/corpus")) {
    if (entry.path().extension() != ".docx") continue;
    ExpectSameInBatches(entry.path().filename().string(), testing::ReadBytes(entry.path().string()));
    ++files;
  }
  EXPECT_GE(files, 20);
}

TEST(DocxBatches, WhatSurroundsTheChildrenIsKept) {
  // Before the body, between its children (text, comments, processing
  // instructions, CDATA), after its last child and after the body itself;
  // a DTD whose entity is never expanded (pugixml does not either).
  const std::string ns = testing::kWordNamespaces;
  const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
  const std::string children = P(R("第一段。")) + "\n  <!-- 注释 -->\n" + P(R("第二段 &amp; 链接。")) +
                               "<?pi x?>" + "<w:tbl><w:tr><w:tc>" + P(R("格")) + "</w:tc></w:tr></w:tbl>" +
                               P(R("第三段。"));
  const std::vector<std::string> documents = {
      decl + "<w:document " + ns + "><w:body>" + children + "\n</w:body></w:document>",
      decl + "<w:document " + ns + ">\n<w:background w:color=\"FFFFFF\"/>\n<w:body>\n" + children +
          "<w:sectPr/>\n</w:body>\n<w:p><w:r><w:t>正文之后</w:t></w:r></w:p>\n</w:document>\n<!-- 结尾 -->\n",
      "<!DOCTYPE w:document [<!ENTITY e \"<w:p><w:r><w:t>实体</w:t></w:r></w:p>\">]>"
      "<w:document " + ns + "><w:body>" + children + P(R("引用&e;。")) + "</w:body></w:document>",
      "<w:document " + ns + "><w:body>" + P(R("唯一的段落。")) + "</w:body></w:document>",
  };
  for (size_t k = 0; k < documents.size(); ++k) {
    auto parts = testing::DocxPackage({P(R("x")), "", "", ""});
    parts["word/document.xml"] = documents[k];
    ExpectSameInBatches("边界" + std::to_string(k) + ".docx", testing::MakeZip(parts));
  }
  // The entity is text, as the DOM parser leaves it.
  auto parts = testing::DocxPackage({P(R("x")), "", "", ""});
  parts["word/document.xml"] = documents[2];
  auto source = ReadBytes(testing::MakeZip(parts));
  ASSERT_TRUE(source.ok()) << source.status().message();
  EXPECT_EQ(source->text().find("实体"), std::string_view::npos);
}

TEST(DocxBatches, DamagedBodyNamesThePlace) {
  // Malformed XML deep in a body of many batches, and a body cut short:
  // the part and the byte are named, in Chinese.
  std::string body;
  for (int i = 0; i < 2000; ++i) body += P(R("第" + std::to_string(i) + "段。"));
  ReadOptions small;
  small.word_batch_bytes = 1000;
  auto parts = testing::DocxPackage({body + "<w:p><w:r></w:p>" + P(R("后文")), "", "", ""});
  auto broken = ReadBytes(testing::MakeZip(parts), small);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kUndecodable);
  EXPECT_NE(broken.status().message().find("部件 word/document.xml 的 XML 已损坏（第 "), std::string::npos)
      << broken.status().message();
  parts = testing::DocxPackage({body, "", "", ""});
  std::string& xml = parts["word/document.xml"];
  xml.resize(xml.size() * 2 / 3);
  auto cut = ReadBytes(testing::MakeZip(parts), small);
  EXPECT_EQ(cut.status().code(), StatusCode::kUndecodable);
  EXPECT_NE(cut.status().message().find("测试.docx"), std::string::npos);
}

// .doc through LibreOffice, which CI installs (.ci/run); both with it and,
// by pointing TAIZHANG_SOFFICE nowhere, without it.
TEST(LegacyWord, SeedCompilationThroughLibreOffice) {
  ASSERT_FALSE(ingest_internal::FindLibreOffice().empty())
      << "LibreOffice (soffice) is needed for this test: apt install libreoffice-writer-nogui";
  SourceText doc = MustRead(Fixture("seed-compilation.doc"));
  EXPECT_EQ(doc.encoding(), "DOC");
  EXPECT_EQ(Squeezed(doc.text()), Squeezed(MustRead(Fixture("seed-compilation.docx")).text()));
  EXPECT_EQ(MatchGoldOutline(doc), 352u);
}

TEST(LegacyWord, ClearMessagesWithoutLibreOfficeOrForDamagedFiles) {
  const std::string ole = std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0');
  auto damaged = DecodeDocument("坏.doc", ole, {});
  EXPECT_EQ(damaged.status().code(), StatusCode::kUndecodable);
  EXPECT_NE(damaged.status().message().find("坏.doc"), std::string::npos);
  const char* saved = std::getenv("TAIZHANG_SOFFICE");
  std::string previous = saved ? saved : "";
  ::setenv("TAIZHANG_SOFFICE", "/nonexistent/soffice", 1);
  auto missing = DecodeDocument("a.doc", testing::ReadBytes(Fixture("seed-compilation.doc")), {});
  if (saved) {
    ::setenv("TAIZHANG_SOFFICE", previous.c_str(), 1);
  } else {
    ::unsetenv("TAIZHANG_SOFFICE");
  }
  EXPECT_EQ(missing.status().code(), StatusCode::kUndecodable);
  EXPECT_NE(missing.status().message().find("LibreOffice"), std::string::npos);
  EXPECT_NE(missing.status().message().find(".docx"), std::string::npos);
}

}  // namespace
}  // namespace taizhang

// --- Word comments ------------------------------------------------------------

namespace taizhang {
namespace {


// The text between each commentRangeStart and commentRangeEnd of a
// document.xml, by comment id, in document order.
std::map<std::string, std::string> AnchoredText(const std::string& document_xml) {
  pugi::xml_document doc;
  doc.load_buffer(document_xml.data(), document_xml.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  struct Walk : pugi::xml_tree_walker {
    std::map<std::string, std::string> text;
    std::set<std::string> open;
    bool for_each(pugi::xml_node& node) override {
      std::string_view name = node.name();
      if (name == "w:commentRangeStart") open.insert(node.attribute("w:id").value());
      if (name == "w:commentRangeEnd") open.erase(node.attribute("w:id").value());
      if (name == "w:t" && !(node.parent() && std::string_view(node.parent().parent().name()) == "w:del")) {
        for (const std::string& id : open) text[id] += node.text().get();
      }
      return true;
    }
  } walk;
  doc.traverse(walk);
  return walk.text;
}

// Offsets of `needle` in the text, for making comments.
WordComment On(std::string_view text, std::string_view needle, const std::string& body, size_t from = 0) {
  size_t at = text.find(needle, from);
  EXPECT_NE(at, std::string_view::npos) << needle;
  WordComment comment;
  comment.begin = static_cast<uint32_t>(at);
  comment.end = static_cast<uint32_t>(at + needle.size());
  comment.text = body;
  return comment;
}

TEST(WordComments, AnchoredExactlyOnTheirSpans) {
  const std::string path = Fixture("seed-compilation.docx");
  const std::string bytes = testing::ReadBytes(path);
  SourceText docx = MustRead(path);
  std::string_view text = docx.text();
  std::vector<WordComment> comments = {
      On(text, "XX欧元", "错误[placeholder-number]：“XX欧元”是未填写的数字占位符"),
      // Inside one run, from the automatic number on (the number is not in
      // the XML: the comment starts at the paragraph's own text).
      On(text, "一、2023年主要工作开展情况", "提示：标题"),
      // Two comments on overlapping stretches of one paragraph.
      On(text, "腾冲灌区严格按照", "甲\n第二行"),
      On(text, "严格按照水利基建项目建设程序", "乙"),
  };
  auto annotated = Annotate(path, bytes, text, comments);
  ASSERT_TRUE(annotated.ok()) << annotated.status().message();
  // The text reads as before, and every comment holds exactly its span.
  auto reread = DecodeDocument("annotated.docx", *annotated, {});
  ASSERT_TRUE(reread.ok()) << reread.status().message();
  EXPECT_EQ(reread->text(), text);
  std::map<std::string, std::string> anchored = AnchoredText(PartOf(*annotated, "word/document.xml"));
  EXPECT_EQ(anchored["0"], "XX欧元");
  EXPECT_EQ(anchored["1"], "2023年主要工作开展情况");
  EXPECT_EQ(anchored["2"], "腾冲灌区严格按照");
  EXPECT_EQ(anchored["3"], "严格按照水利基建项目建设程序");
  std::string comments_xml = PartOf(*annotated, "word/comments.xml");
  EXPECT_NE(comments_xml.find("w:author=\"taizhang\""), std::string::npos);
  EXPECT_NE(comments_xml.find("第二行"), std::string::npos);
  EXPECT_NE(PartOf(*annotated, "[Content_Types].xml").find("/word/comments.xml"), std::string::npos);
  EXPECT_NE(PartOf(*annotated, "word/_rels/document.xml.rels").find("comments.xml"), std::string::npos);
  // Every other part byte for byte as it was.
  for (const char* part : {"word/styles.xml", "word/numbering.xml", "word/footer1.xml", "_rels/.rels"}) {
    EXPECT_EQ(PartOf(*annotated, part), PartOf(bytes, part)) << part;
  }
  // A text that is not what the file reads as: refused.
  auto stale = Annotate(path, bytes, "别的文字\n", comments);
  EXPECT_EQ(stale.status().code(), StatusCode::kInvalidArgument);
}

TEST(WordComments, ReviewersCommentsKeptAndRunsSplitInsideHyperlinks) {
  testing::DocxParts d;
  d.body = P(R("完成投资") + "<w:hyperlink w:anchor=\"x\">" + R("XX万元") + "</w:hyperlink>" + R("，同比增长。")) +
           P("<w:commentRangeStart w:id=\"5\"/>" + R("第二段") + "<w:commentRangeEnd w:id=\"5\"/>"
             "<w:r><w:commentReference w:id=\"5\"/></w:r>");
  auto parts = testing::DocxPackage(d);
  parts["word/comments.xml"] = std::string("<?xml version=\"1.0\"?><w:comments ") + testing::kWordNamespaces +
                               "><w:comment w:id=\"5\" w:author=\"张三\"><w:p><w:r><w:t>原有批注</w:t></w:r></w:p>"
                               "</w:comment></w:comments>";
  std::string& rels = parts["word/_rels/document.xml.rels"];
  rels.insert(rels.rfind("</Relationships>"),
              "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
              "comments\" Target=\"comments.xml\"/>");
  std::string bytes = testing::MakeZip(parts);
  auto source = ReadBytes(bytes);
  ASSERT_TRUE(source.ok()) << source.status().message();
  auto annotated = Annotate("测试.docx", bytes, source->text(),
                            {On(source->text(), "资XX万", "错误[placeholder-number]：占位符")});
  ASSERT_TRUE(annotated.ok()) << annotated.status().message();
  std::string comments_xml = PartOf(*annotated, "word/comments.xml");
  EXPECT_NE(comments_xml.find("张三"), std::string::npos);
  EXPECT_NE(comments_xml.find("w:id=\"6\" w:author=\"taizhang\""), std::string::npos);
  std::map<std::string, std::string> anchored = AnchoredText(PartOf(*annotated, "word/document.xml"));
  EXPECT_EQ(anchored["5"], "第二段");
  EXPECT_EQ(anchored["6"], "资XX万");
  auto reread = DecodeDocument("a.docx", *annotated, {});
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->text(), source->text());
}

// The text of each comment: the rule's Chinese title with its id, the
// message, the fix, the related places quoted (line numbers mean nothing in
// Word) and the severity.
TEST(WordComments, FindingsReadAsRuleTitlesWithQuotedPlaces) {
  auto source = DecodeDocument(
      "a.txt",
      "某局2023年工作总结\n一、主要工作\n"
      "共发现问题92个，已整改87个，整改率为95.56%。完成投资XX万元，持续抓好D的建设。\n",
      {});
  ASSERT_TRUE(source.ok()) << source.status().message();
  OutlineResult outline = BuildOutline(*source, {});
  FileFacts facts = ExtractFacts(*source, outline);
  CheckResult result = CheckFile(*source, outline, facts, {});
  CheckedFile file;
  file.file.path = "a.txt";
  file.file.source = &*source;
  file.file.outline = &outline;
  file.facts = &facts;
  file.result = &result;
  std::vector<WordComment> comments;
  for (size_t k = 0; k < result.findings.size(); ++k) comments.push_back(FindingAsWordComment(file, k));
  std::map<std::string, std::string> by_rule;
  for (size_t i = 0; i < comments.size(); ++i) by_rule[result.findings[i].rule] = comments[i].text;
  const std::string& rate = by_rule["rate-mismatch"];
  EXPECT_EQ(rate.rfind("比率与数量不符（rate-mismatch）：", 0), 0u) << rate;
  EXPECT_NE(rate.find("「92个」"), std::string::npos) << rate;
  EXPECT_NE(rate.find("「87个」"), std::string::npos) << rate;
  EXPECT_EQ(rate.find("第3行"), std::string::npos) << rate;
  EXPECT_EQ(rate.substr(rate.rfind('\n') + 1), "级别：错误");
  EXPECT_EQ(by_rule["placeholder-number"],
            "数字占位符未填写（placeholder-number）：“XX万元”是未填写的数字占位符\n级别：错误");
  const std::string& party = by_rule["letter-d-for-party"];
  EXPECT_EQ(party.rfind("以字母 D 代替“党”（letter-d-for-party）：", 0), 0u) << party;
  EXPECT_NE(party.find("\n建议改为：党\n级别：警告"), std::string::npos) << party;
}

TEST(WordComments, LibreOfficeOpensThemWithTheirAnchors) {
  std::string soffice = ingest_internal::FindLibreOffice();
  ASSERT_FALSE(soffice.empty()) << "LibreOffice (soffice) is needed for this test";
  const std::string dir = ::testing::TempDir() + "taizhang-comments-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  // The whole CLI path: check the Word file, write the comments.
  const std::string out = dir + "/批注.docx";
  int status = std::system((std::string(TAIZHANG_CLI_PATH) + " check --annotate '" + out + "' '" +
                            Fixture("seed-compilation.docx") + "' > /dev/null").c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);  // the seed has errors
  std::string annotated = testing::ReadBytes(out);
  ASSERT_FALSE(annotated.empty());
  std::string comments_xml = PartOf(annotated, "word/comments.xml");
  size_t count = 0;
  for (size_t at = comments_xml.find("<w:comment "); at != std::string::npos; at = comments_xml.find("<w:comment ", at + 1)) {
    ++count;
  }
  EXPECT_GT(count, 500u);
  // LibreOffice converts it to ODF with every comment as an annotation.
  std::string convert = "cd '" + dir + "' && '" + soffice + "' --headless --norestore -env:UserInstallation=file://" +
                        dir + "/profile --convert-to odt --outdir '" + dir + "' '" + out + "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(convert.c_str()), 0);
  std::string odt = testing::ReadBytes(dir + "/批注.odt");
  ASSERT_FALSE(odt.empty());
  std::string content = PartOf(odt, "content.xml");
  size_t annotations = 0;
  for (size_t at = content.find("<office:annotation "); at != std::string::npos;
       at = content.find("<office:annotation ", at + 1)) {
    ++annotations;
  }
  EXPECT_EQ(annotations, count);
  EXPECT_NE(content.find("<dc:creator>taizhang</dc:creator>"), std::string::npos);
  EXPECT_EQ(content.find("<dc:date>0000-00-00"), std::string::npos);  // dated
  EXPECT_NE(
      content.find(
          "<text:p>数字占位符未填写（placeholder-number）：“XX欧元”是未填写的数字占位符</text:p>"
          "<text:p>级别：错误</text:p></office:annotation>XX欧元<office:annotation-end"),
      std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace taizhang
