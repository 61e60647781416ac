// ReadDocx: WordprocessingML into lines, with pugixml over the parts that
// minizip inflates (zip_archive.h); the main part's body streamed and parsed
// in batches of whole top-level children (BodySplitter), so that a 250 MB
// part is never held, as bytes or as a tree.
//
// The parts read: the main document (found through _rels/.rels), its
// relationships, styles.xml (basedOn chains, names, outline levels,
// numbering, bold and size), numbering.xml (abstractNum, num, lvlOverride,
// startOverride, lvlRestart, isLgl, suff, numStyleLink) and the foot- and
// endnotes. Element names are matched with the prefix each part binds to the
// WordprocessingML namespace (always "w" in practice, but not by rule).
#include "ingest/docx_reader.h"

#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

#include "common/language_data.h"
#include "common/utf8.h"
#include "ingest/body_splitter.h"
#include "ingest/word_numbering.h"
#include "ingest/zip_archive.h"

namespace taizhang::ingest_internal {

namespace {

constexpr std::string_view kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kWordStrictNs = "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr std::string_view kCompatNs = "http://schemas.openxmlformats.org/markup-compatibility/2006";
constexpr int kLevels = 9;
// The main part is inflated this much at a time (its body is parsed in
// batches of ReadOptions::word_batch_bytes).
constexpr size_t kChunkBytes = size_t{1} << 20;
constexpr unsigned kParseFlags = pugi::parse_default | pugi::parse_ws_pcdata_single | pugi::parse_declaration;

// Element names of one part: "w:p" with whatever prefix the part binds.
class Names {
 public:
  explicit Names(const pugi::xml_node& root) {
    for (const pugi::xml_attribute& a : root.attributes()) {
      std::string_view name = a.name();
      if (name.substr(0, 6) != "xmlns:") continue;
      std::string_view uri = a.value();
      if (uri == kWordNs || uri == kWordStrictNs) w_ = std::string(name.substr(6)) + ":";
      if (uri == kCompatNs) mc_ = std::string(name.substr(6)) + ":";
    }
  }
  // True when `node` is the WordprocessingML element `local`.
  bool Is(const pugi::xml_node& node, std::string_view local) const {
    std::string_view n = node.name();
    return n.size() == w_.size() + local.size() && n.substr(0, w_.size()) == w_ && n.substr(w_.size()) == local;
  }
  bool IsCompat(const pugi::xml_node& node, std::string_view local) const {
    std::string_view n = node.name();
    return n.size() == mc_.size() + local.size() && n.substr(0, mc_.size()) == mc_ && n.substr(mc_.size()) == local;
  }
  // The w:-child `local` of node (empty node if none).
  pugi::xml_node Child(const pugi::xml_node& node, std::string_view local) const {
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
      if (Is(c, local)) return c;
    }
    return pugi::xml_node();
  }
  // The w:val (or another w:) attribute of node.
  const char* Attr(const pugi::xml_node& node, std::string_view local) const {
    std::string name = w_ + std::string(local);
    return node.attribute(name.c_str()).value();
  }
  bool HasAttr(const pugi::xml_node& node, std::string_view local) const {
    std::string name = w_ + std::string(local);
    return static_cast<bool>(node.attribute(name.c_str()));
  }

 private:
  std::string w_ = "w:";
  std::string mc_ = "mc:";
};

// An on/off property (w:b, w:bCs …): present and not "0"/"false"/"off".
int Toggle(const Names& n, const pugi::xml_node& node) {
  if (!node) return -1;
  if (!n.HasAttr(node, "val")) return 1;
  std::string_view v = n.Attr(node, "val");
  return (v == "0" || v == "false" || v == "off") ? 0 : 1;
}

int ToInt(const char* s, int fallback) {
  if (s == nullptr || *s == '\0') return fallback;
  char* end = nullptr;
  long v = std::strtol(s, &end, 10);
  if (end == s || v < -1000000 || v > 1000000) return fallback;
  return static_cast<int>(v);
}

struct RunFormat {
  int bold = -1;  // -1 unset
  int size = 0;   // half-points, 0 unset
  int font = -1;  // -1 unset; 0 a body face, 1 a 黑体 face, 2 a 楷体 face (LineOrigin::heading_font)
};

// The heading class of a typeface name (data/heading_fonts.tsv), 0 for others.
int HeadingFontClass(std::string_view name) {
  static const std::unordered_map<std::string_view, int> classes = [] {
    std::unordered_map<std::string_view, int> map;
    for (const DataRow& row : DataTable("heading_fonts.tsv", 2)) map[row[1]] = row[0] == "heiti" ? 1 : 2;
    return map;
  }();
  auto it = classes.find(name);
  return it == classes.end() ? 0 : it->second;
}

RunFormat ReadRunFormat(const Names& n, const pugi::xml_node& rpr) {
  RunFormat f;
  if (!rpr) return f;
  f.bold = Toggle(n, n.Child(rpr, "b"));
  f.size = ToInt(n.Attr(n.Child(rpr, "sz"), "val"), 0);
  if (pugi::xml_node fonts = n.Child(rpr, "rFonts")) {
    std::string_view face = n.Attr(fonts, "eastAsia");
    if (face.empty()) face = n.Attr(fonts, "ascii");
    if (!face.empty()) f.font = HeadingFontClass(face);
  }
  return f;
}

struct Style {
  std::string name;
  std::string based_on;
  int outline = -1;  // 0–8, 9 = body text, -1 unset
  bool has_num = false;
  std::string num_id;
  int ilvl = -1;
  RunFormat run;
};

struct Level {
  int start = 1;
  std::string format = "decimal";
  std::string text;
  bool legal = false;
  std::string suffix = "tab";
  int restart = -1;  // w:lvlRestart, -1 when absent
  std::string style;  // w:pStyle linking a paragraph style to this level
};

struct AbstractNum {
  std::array<Level, kLevels> levels;
  std::string num_style_link;
};

struct Num {
  std::string abstract_id;
  std::array<int, kLevels> start_override;
  std::array<std::unique_ptr<Level>, kLevels> level_override;
  bool overridden = false;
  Num() { start_override.fill(-1); }
};

// Counters of one list (an abstractNum, or a num of its own when it overrides).
struct ListState {
  std::array<int, kLevels> value{};
  std::array<bool, kLevels> started{};
};

Level ReadLevel(const Names& n, const pugi::xml_node& lvl, Level level) {
  if (auto c = n.Child(lvl, "start")) level.start = ToInt(n.Attr(c, "val"), 1);
  if (auto c = n.Child(lvl, "numFmt")) level.format = n.Attr(c, "val");
  if (auto c = n.Child(lvl, "lvlText")) level.text = n.Attr(c, "val");
  if (auto c = n.Child(lvl, "isLgl")) level.legal = Toggle(n, c) == 1;
  if (auto c = n.Child(lvl, "suff")) level.suffix = n.Attr(c, "val");
  if (auto c = n.Child(lvl, "lvlRestart")) level.restart = ToInt(n.Attr(c, "val"), -1);
  if (auto c = n.Child(lvl, "pStyle")) level.style = n.Attr(c, "val");
  return level;
}

// Where a stretch of a block's text comes from: a w:t (or w:tab, w:br …)
// element inside a run, and the characters it gave.
struct Segment {
  pugi::xml_node element;
  pugi::xml_node run;
  uint32_t start = 0;  // characters of the block's text before it
  uint32_t chars = 0;
};

// A cell of a table row block: its bytes in the row's text and its grid place.
struct CellSpan {
  uint32_t begin = 0, end = 0;
  uint16_t column = 0, column_span = 1;
  int vmerge = 0;  // 0 none, 1 restart, 2 continuation
};

// How the characters of a paragraph look, counted while its runs are read.
struct RunStats {
  int bold_chars = 0;
  int plain_chars = 0;
  std::array<int, 3> font_chars{};  // by RunFormat::font class (unset counted as 0)
};

// One paragraph (or table row) of output before it is cut into lines.
struct Block {
  int paragraph = -1;
  std::string prefix;  // the automatic number and its suffix
  std::string text;
  int outline = -1;
  bool bold = false;
  uint32_t bold_lead = 0;  // characters of `text` up to the end of its opening bold text
  int font = 0;            // LineOrigin::heading_font
  bool table_row = false;
  int table = -1;
  std::vector<CellSpan> cells;           // table rows
  std::vector<std::string> bookmarks;    // bookmarks opening here
  std::string link;                      // bookmark an internal hyperlink or PAGEREF points to
  int size = 0;
  std::vector<std::string> note_ids;
  std::vector<Segment> segments;  // in text order
  uint32_t chars = 0;             // characters in `text`
};

// A batch of the body read: its parsed XML and the blocks walked from it.
struct BodyBatch {
  pugi::xml_node body;        // the w:body of the batch's document
  std::vector<Block>* blocks;  // the blocks of its children, in order
  size_t first_block = 0;      // the number of blocks[0] among all the body's blocks
  uint64_t bytes_read = 0;     // bytes of the main part inflated so far
  bool last = false;           // the rest of the body
  int index = 0;               // batches before it
};

// Where a line of the text comes from, handed out as lines are built.
struct LineInfo {
  uint64_t begin = 0;          // byte offset of the line in the whole text
  std::string_view line;       // its bytes, prefix included, without the '\n'
  uint32_t prefix = 0;         // bytes of the automatic number
  uint32_t block = 0;          // the block's number
  uint32_t chars_before = 0;   // characters of the block's own text before the line
  uint32_t block_chars = 0;    // characters of the block's own text
};

class DocxReader {
 public:
  using BatchFn = std::function<Status(BodyBatch&)>;
  using LineFn = std::function<void(const LineInfo&)>;

  DocxReader(std::string name, const ReadOptions& options) : name_(std::move(name)), options_(options) {}

  // Takes the file's bytes, to free them as soon as they are read.
  Result<SourceText> Read(std::string bytes);

  // Opens the package and reads what the body needs from other parts
  // (styles, numbering, notes); `bytes` must outlive the reader's use.
  Status Load(std::string_view bytes);
  // Streams the main part and walks its body in batches (BodySplitter),
  // handing each to `on_batch` with its blocks; the numbering counters,
  // bookmarks, tables and paragraph numbers run on across batches as over
  // the whole body. The batch's tree and blocks are freed after the call.
  Status ReadBody(const BatchFn& on_batch);
  // For a main part smaller than one batch: the part inflated whole and
  // parsed once by pugixml, without the expat pass that finds the batch
  // boundaries, as one batch (the same blocks as ReadBody's). *whole false,
  // nothing handed out, when the part cannot be read so (damaged data, XML
  // pugixml refuses, no w:body): ReadBody then reads it and says why. Not
  // for writers: splitter() stays unset.
  Status ReadWholeBody(const BatchFn& on_batch, bool* whole);
  // Appends the lines of a batch's blocks to `text`, whose first byte is
  // byte `text_base` of the whole text, with their LineOrigin, bookmarks,
  // links, table rows and notes into `layout`; `on_line` (if any) sees each
  // line. FinishLayout after the last batch.
  Status AppendLines(const BodyBatch& batch, std::string* text, uint64_t text_base, SourceText::Layout* layout,
                     const LineFn* on_line);
  void FinishLayout(SourceText::Layout* layout) const;
  // Frees the package (reading only: the text is built).
  void ReleasePackage() { archive_.reset(); }
  const Names& names() const { return *names_; }
  const std::string& main_part() const { return main_part_; }
  const std::map<std::string, std::string>& parts() const { return parts_; }
  ZipArchive& archive() { return *archive_; }
  // The splitter of the last ReadBody: the part around the body's children.
  const BodySplitter& splitter() const { return *splitter_; }

 private:
  Status Fail(StatusCode code, const std::string& what) const {
    return Status(code, name_ + "：" + what);
  }
  Status Damaged(const std::string& part, uint64_t offset, const std::string& what) const {
    return Fail(StatusCode::kUndecodable,
                "部件 " + part + " 的 XML 已损坏（第 " + std::to_string(offset) + " 字节：" + what + "）。");
  }
  // Past the depth limit the subtree is skipped (the stack stays bounded)
  // and the reader says so in a warning; the rest of the document is read.
  bool TooDeep(int depth) {
    if (depth <= static_cast<int>(options_.max_xml_depth)) return false;
    too_deep_ = true;
    return true;
  }
  Status ParsePart(ZipArchive& zip, const std::string& path, pugi::xml_document* doc, bool required);
  std::map<std::string, std::string> Relationships(ZipArchive& zip, const std::string& part);
  void ReadStyles(const pugi::xml_node& root);
  void ReadNumbering(const pugi::xml_node& root);
  void ReadNotes(const pugi::xml_node& root, std::string_view element);
  // Numbers the w:p under `node` on from paragraphs_before_.
  void NumberParagraphs(const pugi::xml_node& node);
  // The part before the body (parsed once): the names and the paragraphs there.
  Status StartBody();
  Status Batch(std::string_view xml, bool last, const BatchFn& on_batch);
  Status Deliver(const pugi::xml_node& body, bool last, const BatchFn& on_batch);

  // mc:AlternateContent is read once: its first mc:Choice (Word's own
  // markup), else its mc:Fallback.
  pugi::xml_node Chosen(const pugi::xml_node& alternate) const {
    for (pugi::xml_node alt = alternate.first_child(); alt; alt = alt.next_sibling()) {
      if (names_->IsCompat(alt, "Choice")) return alt;
    }
    for (pugi::xml_node alt = alternate.first_child(); alt; alt = alt.next_sibling()) {
      if (names_->IsCompat(alt, "Fallback")) return alt;
    }
    return pugi::xml_node();
  }

  // Walk of the main part.
  Status Blocks(const pugi::xml_node& parent, int depth, std::vector<Block>* out);
  Status Paragraph(const pugi::xml_node& p, int depth, std::vector<Block>* out);
  Status Table(const pugi::xml_node& tbl, int depth, std::vector<Block>* out);
  Status Inline(const pugi::xml_node& node, int depth, Block* block, std::vector<Block>* boxes,
                const RunFormat& paragraph_format, RunStats* stats);
  Status TextBoxes(const pugi::xml_node& node, int depth, std::vector<Block>* boxes);

  // Style chains, resolved with a bound on their length (a cycle is no chain).
  template <typename F>
  void ForStyleChain(const std::string& id, F&& f) const {
    std::string current = id;
    for (int guard = 0; guard < 32 && !current.empty(); ++guard) {
      auto it = styles_.find(current);
      if (it == styles_.end()) return;
      if (f(it->second)) return;
      current = it->second.based_on;
    }
  }
  // Fills what `format` leaves unset from the style chain of `style_id`,
  // then from `fallback`.
  void CompleteFormat(const std::string& style_id, const RunFormat& fallback, RunFormat* format) const {
    if (format->bold < 0 || format->size == 0 || format->font < 0) {
      ForStyleChain(style_id, [&](const Style& s) {
        if (format->bold < 0) format->bold = s.run.bold;
        if (format->size == 0) format->size = s.run.size;
        if (format->font < 0) format->font = s.run.font;
        return format->bold >= 0 && format->size != 0 && format->font >= 0;
      });
    }
    if (format->bold < 0) format->bold = fallback.bold;
    if (format->size == 0) format->size = fallback.size;
    if (format->font < 0) format->font = fallback.font;
  }
  std::string Numbering(const std::string& num_id, int ilvl);
  const AbstractNum* AbstractFor(const std::string& num_id, const Num** num) const;

  std::string name_;
  const ReadOptions& options_;
  std::unique_ptr<Names> names_;  // of the main part
  std::unordered_map<std::string, Style> styles_;
  RunFormat default_run_;
  std::string default_paragraph_style_;
  std::unordered_map<std::string, AbstractNum> abstracts_;
  std::unordered_map<std::string, Num> nums_;
  std::unordered_map<std::string, ListState> lists_;
  std::unordered_map<std::string, std::string> notes_;
  std::unordered_map<const void*, int> paragraph_index_;  // of the batch being read
  int paragraphs_before_ = 0;          // w:p of the main part before the batch
  std::vector<bool> field_in_result_;  // one per open complex field
  bool too_deep_ = false;              // a subtree past max_xml_depth was skipped
  int tables_ = 0;                     // top-level tables met so far
  int table_nesting_ = 0;              // tables open around the current element
  std::vector<std::string> pending_bookmarks_;  // met between paragraphs: they open the next one
  std::unique_ptr<ZipArchive> archive_;
  std::unique_ptr<BodySplitter> splitter_;
  std::vector<Block> blocks_;  // of the batch being read
  size_t blocks_before_ = 0;   // blocks of the batches before
  uint64_t main_read_ = 0;     // bytes of the main part inflated
  int batches_ = 0;
  std::string main_part_;
  std::map<std::string, std::string> parts_;
};

Status DocxReader::ParsePart(ZipArchive& zip, const std::string& path, pugi::xml_document* doc,
                             bool required) {
  if (path.empty() || !zip.Has(path)) {
    if (required) return Fail(StatusCode::kUndecodable, "不是 Word 文档（压缩包中没有正文部件 " + path + "）。");
    return Status::Ok();
  }
  Result<std::string> bytes = zip.Read(path);
  if (!bytes.ok()) return bytes.status();
  pugi::xml_parse_result parsed = doc->load_buffer(bytes->data(), bytes->size(), kParseFlags, pugi::encoding_utf8);
  if (!parsed) return Damaged(path, static_cast<uint64_t>(parsed.offset), parsed.description());
  return Status::Ok();
}

std::map<std::string, std::string> DocxReader::Relationships(ZipArchive& zip, const std::string& part) {
  // The relationships of "word/document.xml" are in "word/_rels/document.xml.rels".
  size_t slash = part.rfind('/');
  std::string rels = slash == std::string::npos ? "_rels/" + part + ".rels"
                                                : part.substr(0, slash + 1) + "_rels/" + part.substr(slash + 1) + ".rels";
  if (part.empty()) rels = "_rels/.rels";
  std::map<std::string, std::string> by_type;  // type suffix ("styles") → part path
  pugi::xml_document doc;
  if (!ParsePart(zip, rels, &doc, false).ok()) return by_type;
  for (pugi::xml_node r = doc.document_element().first_child(); r; r = r.next_sibling()) {
    std::string_view type = r.attribute("Type").value();
    if (std::string_view(r.attribute("TargetMode").value()) == "External") continue;
    size_t cut = type.rfind('/');
    if (cut == std::string_view::npos) continue;
    std::string key(type.substr(cut + 1));
    if (by_type.count(key)) continue;
    by_type[key] = ResolvePartPath(part, r.attribute("Target").value());
  }
  return by_type;
}

void DocxReader::ReadStyles(const pugi::xml_node& root) {
  Names n(root);
  if (auto defaults = n.Child(root, "docDefaults")) {
    if (auto rpr = n.Child(n.Child(defaults, "rPrDefault"), "rPr")) default_run_ = ReadRunFormat(n, rpr);
  }
  for (pugi::xml_node s = root.first_child(); s; s = s.next_sibling()) {
    if (!n.Is(s, "style")) continue;
    Style style;
    style.name = n.Attr(n.Child(s, "name"), "val");
    style.based_on = n.Attr(n.Child(s, "basedOn"), "val");
    if (auto ppr = n.Child(s, "pPr")) {
      if (auto o = n.Child(ppr, "outlineLvl")) style.outline = ToInt(n.Attr(o, "val"), -1);
      if (auto num = n.Child(ppr, "numPr")) {
        style.has_num = true;
        style.num_id = n.Attr(n.Child(num, "numId"), "val");
        if (auto il = n.Child(num, "ilvl")) style.ilvl = ToInt(n.Attr(il, "val"), -1);
      }
    }
    style.run = ReadRunFormat(n, n.Child(s, "rPr"));
    // Built-in heading styles carry their level in the name ("heading 1");
    // Chinese Word gives them styleIds such as "1" or "2".
    if (style.outline < 0) {
      std::string lower;
      for (char c : style.name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower.size() == 9 && lower.compare(0, 8, "heading ") == 0 && lower[8] >= '1' && lower[8] <= '9') {
        style.outline = lower[8] - '1';
      }
    }
    std::string id = n.Attr(s, "styleId");
    std::string_view is_default = n.Attr(s, "default");
    if (std::string_view(n.Attr(s, "type")) == "paragraph" && (is_default == "1" || is_default == "true")) {
      default_paragraph_style_ = id;
    }
    styles_[id] = std::move(style);
  }
}

void DocxReader::ReadNumbering(const pugi::xml_node& root) {
  Names n(root);
  for (pugi::xml_node a = root.first_child(); a; a = a.next_sibling()) {
    if (n.Is(a, "abstractNum")) {
      AbstractNum abstract;
      abstract.num_style_link = n.Attr(n.Child(a, "numStyleLink"), "val");
      for (pugi::xml_node lvl = a.first_child(); lvl; lvl = lvl.next_sibling()) {
        if (!n.Is(lvl, "lvl")) continue;
        int i = ToInt(n.Attr(lvl, "ilvl"), -1);
        if (i < 0 || i >= kLevels) continue;
        abstract.levels[i] = ReadLevel(n, lvl, Level());
      }
      abstracts_[n.Attr(a, "abstractNumId")] = std::move(abstract);
    } else if (n.Is(a, "num")) {
      Num num;
      num.abstract_id = n.Attr(n.Child(a, "abstractNumId"), "val");
      for (pugi::xml_node o = a.first_child(); o; o = o.next_sibling()) {
        if (!n.Is(o, "lvlOverride")) continue;
        int i = ToInt(n.Attr(o, "ilvl"), -1);
        if (i < 0 || i >= kLevels) continue;
        num.overridden = true;
        if (auto so = n.Child(o, "startOverride")) num.start_override[i] = ToInt(n.Attr(so, "val"), 1);
        if (auto lvl = n.Child(o, "lvl")) {
          auto it = abstracts_.find(num.abstract_id);
          Level base = it != abstracts_.end() ? it->second.levels[i] : Level();
          num.level_override[i] = std::make_unique<Level>(ReadLevel(n, lvl, base));
        }
      }
      nums_[n.Attr(a, "numId")] = std::move(num);
    }
  }
}

void DocxReader::ReadNotes(const pugi::xml_node& root, std::string_view element) {
  Names n(root);
  for (pugi::xml_node note = root.first_child(); note; note = note.next_sibling()) {
    if (!n.Is(note, element)) continue;
    std::string_view type = n.Attr(note, "type");
    if (!type.empty() && type != "normal") continue;  // separators
    std::string text;
    // Every w:t of the note, paragraphs joined by a space.
    struct Collect : pugi::xml_tree_walker {
      const Names* n;
      std::string* text;
      bool for_each(pugi::xml_node& node) override {
        if (n->Is(node, "t")) *text += node.text().get();
        if (n->Is(node, "p") && !text->empty()) *text += ' ';
        return true;
      }
    } collect;
    collect.n = &n;
    collect.text = &text;
    pugi::xml_node walk = note;
    walk.traverse(collect);
    while (!text.empty() && (text.back() == ' ')) text.pop_back();
    size_t start = 0;
    while (start < text.size() && text[start] == ' ') ++start;
    notes_[std::string(element) + n.Attr(note, "id")] = text.substr(start);
  }
}

void DocxReader::NumberParagraphs(const pugi::xml_node& node) {
  // Every w:p of the main part in document order, whether or not the walk
  // reads it (a text box's fallback copy still counts), so the index is a
  // plain property of the XML that a writer can find again.
  struct Count : pugi::xml_tree_walker {
    const Names* n;
    std::unordered_map<const void*, int>* index;
    int next;
    bool for_each(pugi::xml_node& node) override {
      if (n->Is(node, "p")) index->emplace(node.internal_object(), next++);
      return true;
    }
  } count;
  count.n = names_.get();
  count.index = &paragraph_index_;
  count.next = paragraphs_before_;
  pugi::xml_node walk = node;
  walk.traverse(count);
  paragraphs_before_ = count.next;
}

const AbstractNum* DocxReader::AbstractFor(const std::string& num_id, const Num** num_out) const {
  std::string id = num_id;
  for (int guard = 0; guard < 8; ++guard) {
    auto num = nums_.find(id);
    if (num == nums_.end()) return nullptr;
    auto abstract = abstracts_.find(num->second.abstract_id);
    if (abstract == abstracts_.end()) return nullptr;
    if (abstract->second.num_style_link.empty()) {
      *num_out = &num->second;
      return &abstract->second;
    }
    // A list style: the numbering of the style it links to.
    auto style = styles_.find(abstract->second.num_style_link);
    if (style == styles_.end() || !style->second.has_num || style->second.num_id == id) return nullptr;
    id = style->second.num_id;
  }
  return nullptr;
}

std::string DocxReader::Numbering(const std::string& num_id, int ilvl) {
  if (num_id.empty() || num_id == "0" || ilvl < 0 || ilvl >= kLevels) return "";
  const Num* num = nullptr;
  const AbstractNum* abstract = AbstractFor(num_id, &num);
  if (abstract == nullptr) return "";
  auto level_of = [&](int k) -> const Level& {
    return num->level_override[k] ? *num->level_override[k] : abstract->levels[k];
  };
  auto start_of = [&](int k) { return num->start_override[k] >= 0 ? num->start_override[k] : level_of(k).start; };
  // A num that overrides its abstract keeps its own counters; the others
  // share the abstract's, as Word continues a list across them.
  ListState& state = lists_[num->overridden ? "n" + num_id : "a" + num->abstract_id];
  if (!state.started[ilvl]) {
    state.value[ilvl] = start_of(ilvl);
    state.started[ilvl] = true;
  } else {
    ++state.value[ilvl];
  }
  for (int k = ilvl + 1; k < kLevels; ++k) {
    int restart = level_of(k).restart;  // restart after level `restart` (1-based); 0 never
    if (restart < 0 || ilvl < restart) state.started[k] = false;
  }
  const Level& level = level_of(ilvl);
  // A bullet is a symbol-font glyph, not text a reader quotes.
  if (level.format == "bullet" || level.format == "none") return "";
  int counters[kLevels];
  std::string formats[kLevels];
  for (int k = 0; k < kLevels; ++k) {
    counters[k] = k <= ilvl && state.started[k] ? state.value[k] : start_of(k);
    formats[k] = level_of(k).format;
  }
  std::string prefix = ExpandLevelText(level.text, counters, formats, level.legal);
  if (level.suffix == "tab") {
    prefix += '\t';
  } else if (level.suffix == "space") {
    prefix += ' ';
  }
  return prefix;
}

// A three-byte form whose lead byte admits neither overlong forms nor
// surrogates (E1–EC, EE–EF), its two trail bytes present: most Chinese text,
// decoded by utf8::Next's fast path to a valid code point.
inline bool PlainThreeBytes(const unsigned char* s, size_t i, size_t n) {
  const unsigned char c = s[i];
  return c >= 0xE1 && c <= 0xEF && c != 0xED && i + 3 <= n && (s[i + 1] & 0xC0) == 0x80 &&
         (s[i + 2] & 0xC0) == 0x80;
}

// Appends UTF-8 text with control characters turned into spaces (a line
// break inside a w:t is layout, not a paragraph) and invalid bytes into U+FFFD.
// Runs of bytes kept as they are go out in one append.
void AppendClean(std::string_view s, std::string* out) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t kept = 0;  // bytes from here up to i are copied verbatim
  size_t i = 0;
  while (i < n) {
    const unsigned char c = b[i];
    if (c < 0x80) {
      if (c < 0x20 && c != '\t') {
        out->append(s.data() + kept, i - kept);
        out->push_back(' ');
        kept = i + 1;
      }
      ++i;
      continue;
    }
    if (PlainThreeBytes(b, i, n)) {
      i += 3;
      continue;
    }
    const size_t at = i;
    if (utf8::Next(s, &i) == utf8::kInvalid) {
      out->append(s.data() + kept, at - kept);
      out->append("\xEF\xBF\xBD");
      kept = i;
    }
  }
  out->append(s.data() + kept, n - kept);
}

// The code points of `piece`, and how many of them are not white space
// (utf8::IsInlineSpace or a line break), as decoding each with utf8::Next
// would count them. Lead bytes E4–EC (U+4000–U+CFFF, the common CJK
// ideographs) start no white space, so those are counted without decoding.
void CountCodePointsAndChars(std::string_view piece, uint32_t* code_points, int* chars) {
  const auto* b = reinterpret_cast<const unsigned char*>(piece.data());
  const size_t n = piece.size();
  uint32_t points = 0;
  int visible = 0;
  for (size_t i = 0; i < n;) {
    const unsigned char c = b[i];
    ++points;
    if (c < 0x80) {
      if (c != ' ' && c != '\t' && c != '\n') ++visible;
      ++i;
    } else if (c >= 0xE4 && c <= 0xEC && PlainThreeBytes(b, i, n)) {
      ++visible;
      i += 3;
    } else {
      const char32_t cp = utf8::Next(piece, &i);
      if (!utf8::IsInlineSpace(cp) && cp != '\n') ++visible;
    }
  }
  *code_points = points;
  *chars = visible;
}

Status DocxReader::TextBoxes(const pugi::xml_node& node, int depth, std::vector<Block>* boxes) {
  if (TooDeep(depth)) return Status::Ok();
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (names_->Is(c, "txbxContent")) {
      Status s = Blocks(c, depth + 1, boxes);
      if (!s.ok()) return s;
      continue;
    }
    if (names_->IsCompat(c, "AlternateContent")) {
      if (pugi::xml_node chosen = Chosen(c)) {
        Status s = TextBoxes(chosen, depth + 1, boxes);
        if (!s.ok()) return s;
      }
      continue;
    }
    Status s = TextBoxes(c, depth + 1, boxes);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status DocxReader::Inline(const pugi::xml_node& node, int depth, Block* block, std::vector<Block>* boxes,
                          const RunFormat& paragraph_format, RunStats* stats) {
  if (TooDeep(depth)) return Status::Ok();
  const Names& n = *names_;
  auto showing = [&]() {
    for (bool in_result : field_in_result_) {
      if (!in_result) return false;
    }
    return true;
  };
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (n.Is(c, "r")) {
      // Run format: the run's own, then its character style, then the paragraph's.
      RunFormat run = ReadRunFormat(n, n.Child(c, "rPr"));
      CompleteFormat(n.Attr(n.Child(n.Child(c, "rPr"), "rStyle"), "val"), paragraph_format, &run);
      for (pugi::xml_node e = c.first_child(); e; e = e.next_sibling()) {
        if (e.type() != pugi::node_element) continue;
        if (n.Is(e, "instrText") && block->link.empty()) {
          // " PAGEREF _Toc123 \h ": a table-of-contents entry's page number.
          std::string_view code = e.text().get();
          size_t at = code.find("PAGEREF");
          if (at != std::string_view::npos) {
            size_t begin = code.find_first_not_of(' ', at + 7);
            if (begin != std::string_view::npos) {
              size_t end = code.find_first_of(" \\", begin);
              block->link = std::string(code.substr(begin, end == std::string_view::npos ? end : end - begin));
            }
          }
          continue;
        }
        if (n.Is(e, "fldChar")) {
          std::string_view type = n.Attr(e, "fldCharType");
          if (type == "begin") {
            field_in_result_.push_back(false);
          } else if (type == "separate") {
            if (!field_in_result_.empty()) field_in_result_.back() = true;
          } else if (type == "end") {
            if (!field_in_result_.empty()) field_in_result_.pop_back();
          }
          continue;
        }
        if (!showing()) continue;
        size_t before = block->text.size();
        if (n.Is(e, "t")) {
          AppendClean(e.text().get(), &block->text);
        } else if (n.Is(e, "tab") || n.Is(e, "ptab")) {
          block->text += '\t';
        } else if (n.Is(e, "br") || n.Is(e, "cr")) {
          std::string_view type = n.Attr(e, "type");
          if (type != "page" && type != "column") block->text += '\n';
        } else if (n.Is(e, "noBreakHyphen")) {
          block->text += '-';
        } else if (n.Is(e, "footnoteReference") || n.Is(e, "endnoteReference")) {
          block->note_ids.push_back((n.Is(e, "footnoteReference") ? "footnote" : "endnote") +
                                    std::string(n.Attr(e, "id")));
        } else if (n.Is(e, "drawing") || n.Is(e, "pict")) {
          Status s = TextBoxes(e, depth + 1, boxes);
          if (!s.ok()) return s;
        } else if (n.IsCompat(e, "AlternateContent")) {
          if (pugi::xml_node chosen = Chosen(e)) {
            Status s = TextBoxes(chosen, depth + 1, boxes);
            if (!s.ok()) return s;
          }
        }
        // w:delText, w:instrText, w:sym, w:softHyphen, w:lastRenderedPageBreak: not text.
        size_t added = block->text.size() - before;
        if (added > 0) {
          std::string_view piece(block->text.data() + before, added);
          int chars = 0;
          uint32_t code_points = 0;
          CountCodePointsAndChars(piece, &code_points, &chars);
          block->segments.push_back(Segment{e, c, block->chars, code_points});
          block->chars += code_points;
          (run.bold == 1 ? stats->bold_chars : stats->plain_chars) += chars;
          stats->font_chars[run.font > 0 ? run.font : 0] += chars;
          if (run.bold == 1 && stats->plain_chars == 0) block->bold_lead = block->chars;
          if (run.size > block->size) block->size = run.size;
        }
      }
      continue;
    }
    // Containers of runs: kept. Deleted and moved-away text: dropped.
    if (n.Is(c, "del") || n.Is(c, "moveFrom") || n.Is(c, "pPr") || n.Is(c, "rPr")) continue;
    if (n.IsCompat(c, "AlternateContent")) {
      if (pugi::xml_node chosen = Chosen(c)) {
        Status s = Inline(chosen, depth + 1, block, boxes, paragraph_format, stats);
        if (!s.ok()) return s;
      }
      continue;
    }
    if (n.Is(c, "bookmarkStart")) {
      block->bookmarks.emplace_back(n.Attr(c, "name"));
      continue;
    }
    if (n.Is(c, "hyperlink") && block->link.empty()) block->link = n.Attr(c, "anchor");
    if (n.Is(c, "hyperlink") || n.Is(c, "smartTag") || n.Is(c, "ins") || n.Is(c, "moveTo") ||
        n.Is(c, "fldSimple") || n.Is(c, "customXml") || n.Is(c, "sdt") || n.Is(c, "sdtContent") ||
        n.Is(c, "dir") || n.Is(c, "bdo")) {
      Status s = Inline(c, depth + 1, block, boxes, paragraph_format, stats);
      if (!s.ok()) return s;
    }
  }
  return Status::Ok();
}

Status DocxReader::Paragraph(const pugi::xml_node& p, int depth, std::vector<Block>* out) {
  const Names& n = *names_;
  Block block;
  auto index = paragraph_index_.find(p.internal_object());
  block.paragraph = index == paragraph_index_.end() ? -1 : index->second;
  pugi::xml_node ppr = n.Child(p, "pPr");
  std::string style_id = n.Attr(n.Child(ppr, "pStyle"), "val");
  if (style_id.empty()) style_id = default_paragraph_style_;
  // Outline level: the paragraph's, else its style chain's.
  int outline = -1;
  if (auto o = n.Child(ppr, "outlineLvl")) outline = ToInt(n.Attr(o, "val"), -1);
  if (outline < 0) {
    ForStyleChain(style_id, [&](const Style& s) {
      outline = s.outline;
      return outline >= 0;
    });
  }
  block.outline = outline >= 0 && outline < kLevels ? outline : -1;
  // Numbering: the paragraph's numPr, completed from the style chain.
  std::string num_id;
  int ilvl = -1;
  bool has_num = false;
  if (auto num = n.Child(ppr, "numPr")) {
    if (auto id = n.Child(num, "numId")) {
      num_id = n.Attr(id, "val");
      has_num = true;
    }
    if (auto il = n.Child(num, "ilvl")) ilvl = ToInt(n.Attr(il, "val"), 0);
  }
  if (!has_num) {
    ForStyleChain(style_id, [&](const Style& s) {
      if (!s.has_num) return false;
      num_id = s.num_id;
      if (ilvl < 0) ilvl = s.ilvl;
      has_num = true;
      return true;
    });
  }
  if (has_num && ilvl < 0) {
    // A style linked to a level of the list: that level.
    ilvl = 0;
    const Num* num = nullptr;
    if (const AbstractNum* abstract = AbstractFor(num_id, &num)) {
      for (int k = 0; k < kLevels; ++k) {
        if (!abstract->levels[k].style.empty() && abstract->levels[k].style == style_id) ilvl = k;
      }
    }
  }
  // Paragraph-level run format from the paragraph style chain and defaults.
  RunFormat format;
  CompleteFormat(style_id, default_run_, &format);

  std::vector<Block> boxes;
  RunStats stats;
  block.bookmarks = std::move(pending_bookmarks_);
  pending_bookmarks_.clear();
  Status s = Inline(p, depth + 1, &block, &boxes, format, &stats);
  if (!s.ok()) return s;
  if (has_num) block.prefix = Numbering(num_id, ilvl);
  block.bold = stats.bold_chars > 0 && stats.plain_chars == 0;
  if (block.bold) block.bold_lead = block.chars;
  const int visible = stats.bold_chars + stats.plain_chars;
  for (int f = 1; f <= 2; ++f) {
    if (visible > 0 && stats.font_chars[f] == visible) block.font = f;
  }
  out->push_back(std::move(block));
  for (Block& box : boxes) out->push_back(std::move(box));
  return Status::Ok();
}

Status DocxReader::Table(const pugi::xml_node& tbl, int depth, std::vector<Block>* out) {
  const Names& n = *names_;
  // A table inside a cell is read into that cell's text; only top-level
  // tables are tables of the model.
  const int table = table_nesting_ == 0 ? tables_++ : -1;
  ++table_nesting_;
  struct Nesting {
    int& count;
    ~Nesting() { --count; }
  } nesting{table_nesting_};
  for (pugi::xml_node tr = tbl.first_child(); tr; tr = tr.next_sibling()) {
    if (!n.Is(tr, "tr")) continue;
    Block row;
    row.table_row = true;
    row.table = table;
    bool first_cell = true;
    // w:gridBefore: grid columns left empty before the first cell.
    int column = ToInt(n.Attr(n.Child(n.Child(tr, "trPr"), "gridBefore"), "val"), 0);
    for (pugi::xml_node tc = tr.first_child(); tc; tc = tc.next_sibling()) {
      if (!n.Is(tc, "tc")) continue;
      std::vector<Block> cell;
      Status s = Blocks(tc, depth + 1, &cell);
      if (!s.ok()) return s;
      // A vertically merged continuation cell shows nothing of its own.
      pugi::xml_node tcpr = n.Child(tc, "tcPr");
      pugi::xml_node vmerge = n.Child(tcpr, "vMerge");
      bool continuation = vmerge && std::string_view(n.Attr(vmerge, "val")) != "restart";
      if (!first_cell) {
        row.text += '\t';
        ++row.chars;
      }
      first_cell = false;
      CellSpan span;
      span.begin = static_cast<uint32_t>(row.text.size());
      span.column = static_cast<uint16_t>(std::clamp(column, 0, 65535));
      span.column_span = static_cast<uint16_t>(std::clamp(ToInt(n.Attr(n.Child(tcpr, "gridSpan"), "val"), 1), 1, 1000));
      span.vmerge = !vmerge ? 0 : continuation ? 2 : 1;
      column += span.column_span;
      bool first_paragraph = true;
      for (Block& b : cell) {
        if (row.paragraph < 0) row.paragraph = b.paragraph;
        if (continuation) continue;
        std::string piece = b.prefix + b.text;
        for (char& ch : piece) {
          if (ch == '\n' || ch == '\t') ch = ' ';
        }
        if (piece.empty()) continue;
        if (!first_paragraph) {
          row.text += ' ';
          ++row.chars;
        }
        first_paragraph = false;
        const uint32_t shift = row.chars + static_cast<uint32_t>(utf8::CountCodePoints(b.prefix));
        for (Segment seg : b.segments) {
          seg.start += shift;
          row.segments.push_back(seg);
        }
        row.text += piece;
        row.chars += static_cast<uint32_t>(utf8::CountCodePoints(piece));
        for (std::string& id : b.note_ids) row.note_ids.push_back(std::move(id));
      }
      for (Block& b : cell) {
        for (std::string& mark : b.bookmarks) row.bookmarks.push_back(std::move(mark));
      }
      span.end = static_cast<uint32_t>(row.text.size());
      row.cells.push_back(span);
    }
    out->push_back(std::move(row));
  }
  return Status::Ok();
}

Status DocxReader::Blocks(const pugi::xml_node& parent, int depth, std::vector<Block>* out) {
  if (TooDeep(depth)) return Status::Ok();
  const Names& n = *names_;
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    Status s = Status::Ok();
    if (n.Is(c, "p")) {
      s = Paragraph(c, depth + 1, out);
    } else if (n.Is(c, "tbl")) {
      s = Table(c, depth + 1, out);
    } else if (n.Is(c, "sdt")) {
      s = Blocks(n.Child(c, "sdtContent"), depth + 1, out);
    } else if (n.Is(c, "customXml") || n.Is(c, "ins") || n.Is(c, "moveTo") || n.Is(c, "txbxContent")) {
      s = Blocks(c, depth + 1, out);
    } else if (n.IsCompat(c, "AlternateContent")) {
      if (pugi::xml_node chosen = Chosen(c)) s = Blocks(chosen, depth + 1, out);
    }
    if (n.Is(c, "bookmarkStart")) pending_bookmarks_.emplace_back(n.Attr(c, "name"));
    // w:del, w:moveFrom, w:sectPr …: no text.
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status DocxReader::Load(std::string_view bytes) {
  ZipLimits limits;
  limits.max_entries = options_.max_zip_entries;
  limits.max_part_bytes = options_.max_part_bytes;
  limits.max_total_bytes = options_.max_unzipped_bytes;
  limits.max_ratio = options_.max_compression_ratio;
  auto zip = ZipArchive::Open(name_, bytes, limits);
  if (!zip.ok()) return zip.status();
  archive_ = std::move(zip).value();
  ZipArchive& archive = *archive_;

  std::map<std::string, std::string> package = Relationships(archive, "");
  main_part_ = package.count("officeDocument") ? package["officeDocument"] : "word/document.xml";
  if (!archive.Has(main_part_)) {
    if (archive.Has("xl/workbook.xml")) return Fail(StatusCode::kUndecodable, "这是 Excel 工作簿，不是 Word 文档。");
    if (archive.Has("ppt/presentation.xml")) return Fail(StatusCode::kUndecodable, "这是 PowerPoint 演示文稿，不是 Word 文档。");
    return Fail(StatusCode::kUndecodable, "不是 Word 文档（压缩包中没有 word/document.xml）。");
  }
  parts_ = Relationships(archive, main_part_);
  auto part = [&](const char* type) { return parts_.count(type) ? parts_[type] : std::string(); };

  pugi::xml_document styles, numbering, footnotes, endnotes;
  Status s = ParsePart(archive, part("styles"), &styles, false);
  if (!s.ok()) return s;
  ReadStyles(styles.document_element());
  s = ParsePart(archive, part("numbering"), &numbering, false);
  if (!s.ok()) return s;
  ReadNumbering(numbering.document_element());
  s = ParsePart(archive, part("footnotes"), &footnotes, false);
  if (!s.ok()) return s;
  ReadNotes(footnotes.document_element(), "footnote");
  s = ParsePart(archive, part("endnotes"), &endnotes, false);
  if (!s.ok()) return s;
  ReadNotes(endnotes.document_element(), "endnote");
  return Status::Ok();
}

Status DocxReader::StartBody() {
  const BodySplitter& split = *splitter_;
  // The head closed after the body's start tag: the root's attributes give
  // the names, and the w:p before the body (none in practice) are counted.
  std::string xml = split.head();
  if (!split.body_empty()) xml += "</" + split.body_name() + ">";
  xml += "</" + split.root_name() + ">";
  pugi::xml_document head;
  pugi::xml_parse_result parsed = head.load_buffer_inplace(xml.data(), xml.size(), kParseFlags, pugi::encoding_utf8);
  if (!parsed) return Damaged(main_part_, static_cast<uint64_t>(parsed.offset), parsed.description());
  pugi::xml_node root = head.document_element();
  names_ = std::make_unique<Names>(root);
  if (!names_->Child(root, "body")) return Fail(StatusCode::kUndecodable, "不是 Word 文档（正文部件中没有 w:body）。");
  paragraphs_before_ = 0;
  NumberParagraphs(root);
  paragraph_index_.clear();
  return Status::Ok();
}

Status DocxReader::Batch(std::string_view xml, bool last, const BatchFn& on_batch) {
  const BodySplitter& split = *splitter_;
  if (names_ == nullptr) {
    Status s = StartBody();
    if (!s.ok()) return s;
  }
  // The children as a document of their own: the root and body start tags
  // as the part has them (namespace declarations and all), then closed.
  std::string wrapped;
  wrapped.reserve(split.root_start_tag().size() + split.body_start_tag().size() + xml.size() +
                  split.root_name().size() + split.body_name().size() + 6);
  wrapped += split.root_start_tag();
  wrapped += split.body_start_tag();
  const size_t before = wrapped.size();
  wrapped += xml;
  wrapped += "</" + split.body_name() + ">";
  wrapped += "</" + split.root_name() + ">";
  pugi::xml_document doc;
  pugi::xml_parse_result parsed =
      doc.load_buffer_inplace(wrapped.data(), wrapped.size(), kParseFlags, pugi::encoding_utf8);
  if (!parsed) {
    // Where in the part: the batch starts `main_read_` minus what is still
    // ahead of it; near enough for a person to look.
    uint64_t at = static_cast<uint64_t>(parsed.offset) > before ? static_cast<uint64_t>(parsed.offset) - before : 0;
    return Damaged(main_part_, split.head().size() + at, parsed.description());
  }
  pugi::xml_node body = names_->Child(doc.document_element(), "body");
  paragraph_index_.clear();
  NumberParagraphs(body);
  return Deliver(body, last, on_batch);
}

// The blocks of `body` (its w:p numbered already) handed to `on_batch` as
// the next batch, then let go: the one way both the batched and the whole
// body reach the caller.
Status DocxReader::Deliver(const pugi::xml_node& body, bool last, const BatchFn& on_batch) {
  blocks_.clear();
  Status s = Blocks(body, 1, &blocks_);
  if (!s.ok()) return s;
  BodyBatch batch;
  batch.body = body;
  batch.blocks = &blocks_;
  batch.first_block = blocks_before_;
  batch.bytes_read = main_read_;
  batch.last = last;
  batch.index = batches_++;
  s = on_batch(batch);
  blocks_before_ += blocks_.size();
  std::vector<Block>().swap(blocks_);
  paragraph_index_.clear();
  return s;
}

Status DocxReader::ReadWholeBody(const BatchFn& on_batch, bool* whole) {
  *whole = false;
  Result<std::string> xml = archive_->Read(main_part_);
  if (!xml.ok()) return Status::Ok();
  pugi::xml_document doc;
  if (!doc.load_buffer_inplace(xml->data(), xml->size(), kParseFlags, pugi::encoding_utf8)) return Status::Ok();
  pugi::xml_node root = doc.document_element();
  auto names = std::make_unique<Names>(root);
  pugi::xml_node body = names->Child(root, "body");
  if (!body) return Status::Ok();
  *whole = true;
  names_ = std::move(names);
  main_read_ = xml->size();
  batches_ = 0;
  blocks_before_ = 0;
  // The w:p before the body, then the body's, as StartBody and Batch number
  // them (those after the body come last and are never walked).
  paragraphs_before_ = 0;
  paragraph_index_.clear();
  NumberParagraphs(root);
  return Deliver(body, /*last=*/true, on_batch);
}

Status DocxReader::ReadBody(const BatchFn& on_batch) {
  names_.reset();
  blocks_before_ = 0;
  main_read_ = 0;
  batches_ = 0;
  splitter_ = std::make_unique<BodySplitter>(
      static_cast<size_t>(std::max<uint64_t>(options_.word_batch_bytes, 1)),
      [&](std::string_view xml, bool last) { return Batch(xml, last, on_batch); });
  BodySplitter& split = *splitter_;
  auto damaged = [&]() {
    if (!split.sink_status().ok()) return split.sink_status();
    return Damaged(main_part_, split.error_offset(), split.error());
  };
  Status s = archive_->Stream(main_part_, kChunkBytes, [&](std::string_view piece) {
    main_read_ += piece.size();
    return split.Feed(piece) ? Status::Ok() : damaged();
  });
  if (!s.ok()) return s;
  if (!split.Finish()) return damaged();
  if (!split.saw_body()) return Fail(StatusCode::kUndecodable, "不是 Word 文档（正文部件中没有 w:body）。");
  if (names_ == nullptr) return StartBody();  // a body without children
  return Status::Ok();
}

Status DocxReader::AppendLines(const BodyBatch& batch, std::string* text, uint64_t text_base,
                               SourceText::Layout* layout, const LineFn* on_line) {
  const std::vector<Block>& blocks = *batch.blocks;
  std::vector<LineOrigin>* origins = &layout->origins;
  if (layout->tables.size() < static_cast<size_t>(tables_)) layout->tables.resize(static_cast<size_t>(tables_));
  // Lines: each block's prefix and text, cut at its line breaks.
  for (size_t k = 0; k < blocks.size(); ++k) {
    const Block& b = blocks[k];
    const uint32_t index = static_cast<uint32_t>(batch.first_block + k);
    uint32_t first_line = static_cast<uint32_t>(origins->size()) + 1;
    std::string_view body_text = b.text;
    uint32_t chars_before = 0;
    bool first = true;
    for (;;) {
      size_t cut = body_text.find('\n');
      std::string_view line = body_text.substr(0, cut);
      LineOrigin origin;
      origin.paragraph = b.paragraph;
      origin.offset = chars_before;
      origin.prefix = first ? static_cast<uint32_t>(b.prefix.size()) : 0;
      origin.outline_level = static_cast<int8_t>(b.outline);
      origin.bold = b.bold;
      origin.table_row = b.table_row;
      origin.table = b.table;
      origin.font_size = static_cast<uint16_t>(std::min(b.size, 65535));
      origin.heading_font = static_cast<uint8_t>(b.font);
      if (first && b.bold_lead > 0) {
        // Characters of the text to bytes of the line (the number before it).
        size_t bytes = 0;
        for (uint32_t c = 0; c < b.bold_lead && bytes < line.size(); ++c) utf8::Next(line, &bytes);
        origin.bold_lead = static_cast<uint32_t>(b.prefix.size() + bytes);
      }
      const size_t local_begin = text->size();
      const uint32_t line_begin = static_cast<uint32_t>(text_base + local_begin);
      if (first) *text += b.prefix;
      text->append(line);
      if (on_line != nullptr) {
        LineInfo info;
        info.begin = text_base + local_begin;
        info.line = std::string_view(*text).substr(local_begin);
        info.prefix = origin.prefix;
        info.block = index;
        info.chars_before = chars_before;
        info.block_chars = b.chars;
        (*on_line)(info);
      }
      *text += '\n';
      origins->push_back(origin);
      const uint32_t line_number = static_cast<uint32_t>(origins->size());
      if (first) {
        for (const std::string& mark : b.bookmarks) {
          if (!mark.empty()) layout->bookmarks.push_back(Bookmark{mark, line_number});
        }
        if (!b.link.empty()) layout->links.push_back(InternalLink{line_number, b.link, 0});
        if (b.table_row && b.table >= 0 && static_cast<size_t>(b.table) < layout->tables.size()) {
          TableRow row;
          row.line = line_number;
          const uint32_t cells_begin = line_begin + static_cast<uint32_t>(b.prefix.size());
          for (const CellSpan& c : b.cells) {
            TableCell cell;
            cell.begin = cells_begin + c.begin;
            cell.end = cells_begin + c.end;
            cell.column = c.column;
            cell.column_span = c.column_span;
            cell.row_span = c.vmerge == 2 ? 0 : 1;
            row.cells.push_back(cell);
          }
          layout->tables[b.table].rows.push_back(std::move(row));
        }
      }
      const uint64_t size = text_base + text->size();
      if (size > options_.max_bytes || size > (uint64_t{1} << 31)) {
        return Fail(StatusCode::kTooLarge, "文档文字超过 " + std::to_string(options_.max_bytes >> 20) + " MiB 的上限，未读取。");
      }
      if (cut == std::string_view::npos) break;
      chars_before += static_cast<uint32_t>(utf8::CountCodePoints(line)) + 1;
      body_text.remove_prefix(cut + 1);
      first = false;
    }
    for (const std::string& id : b.note_ids) {
      auto it = notes_.find(id);
      if (it != notes_.end()) layout->notes.push_back(Note{first_line, it->second});
    }
  }
  return Status::Ok();
}

void DocxReader::FinishLayout(SourceText::Layout* layout) const {
  layout->tables.resize(static_cast<size_t>(tables_));
  // Vertical merges: a restart cell covers the continuation cells below it
  // that start in the same grid column.
  for (taizhang::Table& table : layout->tables) {
    for (size_t r = 0; r < table.rows.size(); ++r) {
      for (TableCell& cell : table.rows[r].cells) {
        table.columns = static_cast<uint16_t>(std::max<int>(table.columns, cell.column + cell.column_span));
        if (cell.row_span == 0) continue;
        uint16_t span = 1;
        for (size_t below = r + 1; below < table.rows.size() && span < 65535; ++below) {
          const std::vector<TableCell>& cells = table.rows[below].cells;
          auto it = std::find_if(cells.begin(), cells.end(),
                                 [&](const TableCell& c) { return c.column == cell.column; });
          if (it == cells.end() || it->row_span != 0) break;
          ++span;
        }
        cell.row_span = span;
      }
    }
  }
  // Links to bookmarks: resolved to the bookmark's line.
  std::unordered_map<std::string_view, uint32_t> bookmark_line;
  for (const Bookmark& mark : layout->bookmarks) bookmark_line.emplace(mark.name, mark.line);
  for (InternalLink& link : layout->links) {
    auto it = bookmark_line.find(link.bookmark);
    if (it != bookmark_line.end()) link.target_line = it->second;
  }
}

Result<SourceText> DocxReader::Read(std::string bytes) {
  Status s = Load(bytes);
  if (!s.ok()) return s;
  std::string text;
  SourceText::Layout layout;
  const uint64_t main_size = archive_->DeclaredSize(main_part_);
  const BatchFn append = [&](BodyBatch& batch) -> Status {
    // The text is held once: room for all of it is taken as soon as the
    // first batch shows how much text its XML gives, then only as needed.
    size_t adding = 0;
    for (const Block& b : *batch.blocks) adding += b.prefix.size() + b.text.size() + 1;
    const size_t needed = text.size() + adding;
    if (needed > text.capacity()) {
      size_t room = std::max(needed, text.capacity() + text.capacity() / 4);
      if (batch.index == 0 && !batch.last && batch.bytes_read > 0) {
        const double per_byte = static_cast<double>(needed) / static_cast<double>(batch.bytes_read);
        room = std::max(room, static_cast<size_t>(per_byte * static_cast<double>(main_size) * 1.02) + (1 << 16));
      }
      room = std::min<size_t>(room, std::max<size_t>(needed, options_.max_bytes + 1));
      // Into a new string: reserve() on this one would at least double it.
      std::string grown;
      grown.reserve(room);
      grown += text;
      text.swap(grown);
    }
    return AppendLines(batch, &text, 0, &layout, nullptr);
  };
  // A part below one batch (every report but compilations of hundreds of
  // pages) is parsed whole, as one batch would be, without the splitting pass.
  bool whole = false;
  if (main_size < options_.word_batch_bytes) s = ReadWholeBody(append, &whole);
  if (s.ok() && !whole) s = ReadBody(append);
  if (!s.ok()) return s;
  // The blocks hold all the text needs: the package and its bytes go.
  ReleasePackage();
  std::string().swap(bytes);
  FinishLayout(&layout);
  bool blank = true;
  for (char c : text) {
    if (c != '\n' && c != '\t' && c != ' ') {
      blank = false;
      break;
    }
  }
  if (blank) return Fail(StatusCode::kEmpty, "文档没有文字内容。");
  if (too_deep_) {
    layout.warnings.push_back(name_ + "：部分内容的 XML 嵌套超过 " + std::to_string(options_.max_xml_depth) +
                              " 层，这部分未读取。");
  }
  SourceText source(name_, "DOCX", std::move(text), 0);
  source.set_layout(std::move(layout));
  return source;
}

}  // namespace

Result<SourceText> ReadDocx(std::string name, std::string bytes, const ReadOptions& options) {
  DocxReader reader(std::move(name), options);
  try {
    return reader.Read(std::move(bytes));
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kTooLarge, "文档过大，内存不足，未读取。");
  }
}

}  // namespace taizhang::ingest_internal

namespace taizhang::ingest_internal {

namespace {

constexpr const char* kCommentsType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
constexpr const char* kCommentsContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";

// `expected`: about how many bytes it makes (room for them is taken at once,
// not doubled as the text grows).
std::string Serialize(const pugi::xml_document& doc, size_t expected = 0) {
  struct Writer : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override { out.append(static_cast<const char*>(data), size); }
  } writer;
  writer.out.reserve(expected);
  doc.save(writer, "", pugi::format_raw, pugi::encoding_utf8);
  return writer.out;
}

// The first `chars` code points of `text` (invalid bytes count one each, as
// the reader counted them), and the rest.
std::pair<std::string, std::string> SplitChars(std::string_view text, uint32_t chars) {
  size_t i = 0;
  for (uint32_t k = 0; k < chars && i < text.size(); ++k) utf8::Next(text, &i);
  return {std::string(text.substr(0, i)), std::string(text.substr(i))};
}

// Splits `run` before its content child `element` (plus `chars` characters
// into it when it is a w:t); returns the run that now starts there.
pugi::xml_node SplitRun(const Names& n, pugi::xml_node run, pugi::xml_node element, uint32_t chars) {
  // Already a run start: nothing to split.
  bool first = true;
  for (pugi::xml_node c = run.first_child(); c && c != element; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && !n.Is(c, "rPr")) first = false;
  }
  if (first && chars == 0) return run;
  pugi::xml_node parent = run.parent();
  pugi::xml_node copy = parent.insert_copy_after(run, run);
  // The original keeps what comes before the split point …
  int index = 0, element_index = -1;
  for (pugi::xml_node c = run.first_child(); c; c = c.next_sibling(), ++index) {
    if (c == element) element_index = index;
  }
  std::vector<pugi::xml_node> drop;
  index = 0;
  for (pugi::xml_node c = run.first_child(); c; c = c.next_sibling(), ++index) {
    if (index > element_index || (index == element_index && chars == 0)) drop.push_back(c);
  }
  // … and the copy what comes after.
  std::vector<pugi::xml_node> drop_copy;
  pugi::xml_node copy_element;
  index = 0;
  for (pugi::xml_node c = copy.first_child(); c; c = c.next_sibling(), ++index) {
    if (index == element_index) copy_element = c;
    if (index < element_index && !(c.type() == pugi::node_element && n.Is(c, "rPr"))) drop_copy.push_back(c);
  }
  if (chars > 0 && n.Is(element, "t")) {
    auto [head, tail] = SplitChars(element.text().get(), chars);
    element.text().set(head.c_str());
    copy_element.text().set(tail.c_str());
    for (pugi::xml_node t : {element, copy_element}) {
      if (!t.attribute("xml:space")) t.append_attribute("xml:space") = "preserve";
    }
  }
  for (pugi::xml_node c : drop) run.remove_child(c);
  for (pugi::xml_node c : drop_copy) copy.remove_child(c);
  return copy;
}

// pugixml's output into a file, its failure kept for Finish.
class FileWriter : public pugi::xml_writer {
 public:
  explicit FileWriter(FILE* file) : file_(file) {}
  void write(const void* data, size_t size) override {
    if (size > 0 && std::fwrite(data, 1, size, file_) != size) failed_ = true;
  }
  // Flushed and rewound for reading; kInternal when anything failed.
  Status Finish(const std::string& name) {
    if (failed_ || std::fflush(file_) != 0) {
      return Status(StatusCode::kInternal, name + "：无法写出 Word 文档（临时文件写入失败）。");
    }
    std::rewind(file_);
    return Status::Ok();
  }

 private:
  FILE* file_;
  bool failed_ = false;
};

// Writes comments into a copy of a Word file, in steps: read the file again,
// batch by batch, checking it is the text that was checked and finding each
// comment's place; open (or start) the comments part and write it with one
// w:comment per finding after what it holds; read the body again, splitting
// the runs at the anchors' edges and inserting the comment ranges and
// references, each batch written out as it is done; then the package, with
// the relationship and content type for a new comments part. Neither part is
// ever a tree of the whole: they go to temporary files.
class CommentWriter {
 public:
  CommentWriter(const std::string& name, const ReadOptions& options)
      : name_(name), options_(options), reader_(name, options) {}

  // The annotated copy: returned, or written to `out_path` when not empty.
  Result<std::string> Write(std::string_view bytes, std::string_view expected, const WordCommentSource& comments,
                            const std::string& author, const std::string& out_path) {
    Status s = reader_.Load(bytes);
    if (!s.ok()) return s;
    s = Locate(expected, comments);
    if (!s.ok()) return s;
    w_ = WordPrefix();
    OpenCommentsPart();
    // The two parts written go to temporary files, taken over by the package.
    std::unique_ptr<FILE, int (*)(FILE*)> comments_file(std::tmpfile(), &std::fclose);
    std::unique_ptr<FILE, int (*)(FILE*)> main(std::tmpfile(), &std::fclose);
    if (comments_file == nullptr || main == nullptr) {
      return Status(StatusCode::kInternal, name_ + "：无法写出 Word 文档（无法创建临时文件）。");
    }
    s = WriteComments(comments, author, comments_file.get());
    if (s.ok()) s = WriteMainPart(bytes, main.get());
    if (!s.ok()) return s;
    return Package(bytes, comments_file.release(), main.release(), out_path);
  }

 private:
  // Each comment's block and character range in the block's own text.
  struct Anchor {
    uint32_t block, begin, end;
    int id;
  };
  // A byte offset of the text as a block and the characters before it in
  // the block's own text; `found` false when the offset is on no line.
  struct Position {
    bool found = false;
    uint32_t block = 0, chars = 0, block_chars = 0;
  };

  // Reads the body batch by batch, comparing the text it gives with the text
  // checked (refused when it is no longer that text) and finding where each
  // comment's begin and end fall, without holding the text.
  Status Locate(std::string_view expected, const WordCommentSource& comments) {
    positions_.assign(2 * comments.count, Position());
    // The offsets, clamped as a line lookup clamps them, in text order.
    const uint32_t size = static_cast<uint32_t>(expected.size());
    std::vector<std::pair<uint32_t, uint32_t>> wanted;  // (offset, slot)
    wanted.reserve(2 * comments.count);
    for (size_t k = 0; k < comments.count; ++k) {
      auto [begin, end] = comments.span(k);
      wanted.emplace_back(std::min(begin, size), static_cast<uint32_t>(2 * k));
      wanted.emplace_back(std::min(std::max(begin, end), size), static_cast<uint32_t>(2 * k + 1));
    }
    std::sort(wanted.begin(), wanted.end());
    size_t next = 0;
    DocxReader::LineFn on_line = [&](const LineInfo& info) {
      // The line holds the offsets up to its '\n'; the text's end counts as
      // its last character.
      const uint64_t line_end = info.begin + info.line.size();
      while (next < wanted.size()) {
        const uint32_t offset = wanted[next].first;
        const uint32_t probe = offset == size && offset > 0 ? offset - 1 : offset;
        if (probe > line_end) break;
        Position& at = positions_[wanted[next].second];
        at.found = true;
        at.block = info.block;
        at.block_chars = info.block_chars;
        const uint64_t begin = info.begin + info.prefix;
        uint32_t in_line = 0;
        if (offset > begin) {
          const uint64_t end = std::min<uint64_t>(offset, line_end);
          if (end > begin) {
            in_line = static_cast<uint32_t>(
                utf8::CountCodePoints(info.line.substr(info.prefix, static_cast<size_t>(end - begin))));
          }
        }
        at.chars = info.chars_before + in_line;
        ++next;
      }
    };
    std::string text;  // the batch's text
    uint64_t base = 0;
    bool changed = false;
    SourceText::Layout layout;
    Status s = reader_.ReadBody([&](BodyBatch& batch) -> Status {
      text.clear();
      layout = SourceText::Layout();
      Status appended = reader_.AppendLines(batch, &text, base, &layout, &on_line);
      if (!appended.ok()) return appended;
      if (base + text.size() > expected.size() || expected.substr(base, text.size()) != text) changed = true;
      base += text.size();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (changed || base != expected.size()) {
      return Status(StatusCode::kInvalidArgument, name_ + "：文件在校核之后被改动过，未写批注，请重新校核。");
    }
    return Status::Ok();
  }

  // New elements take the prefix the main part uses for WordprocessingML.
  std::string WordPrefix() {
    std::string_view root_name = reader_.splitter().root_name();
    size_t colon = root_name.find(':');
    return colon == std::string_view::npos ? std::string() : std::string(root_name.substr(0, colon + 1));
  }

  // The comments part: a reviewer's comments already there (ours are added
  // after them, with higher ids), or a new empty one.
  void OpenCommentsPart() {
    // The package the reader opened, with its limits, for the other parts.
    ZipArchive& zip = reader_.archive();
    if (reader_.parts().count("comments")) {
      comments_part_ = reader_.parts().at("comments");
      Result<std::string> existing = zip.Read(comments_part_);
      if (existing.ok()) {
        comments_doc_.load_buffer(existing->data(), existing->size(),
                                  pugi::parse_default | pugi::parse_ws_pcdata_single | pugi::parse_declaration);
      }
      for (pugi::xml_node c = comments_doc_.document_element().first_child(); c; c = c.next_sibling()) {
        next_id_ = std::max(next_id_, ToInt(c.attribute((w_ + "id").c_str()).value(), -1) + 1);
      }
    }
    if (!comments_doc_.document_element()) {
      comments_doc_.reset();
      pugi::xml_node decl = comments_doc_.append_child(pugi::node_declaration);
      decl.append_attribute("version") = "1.0";
      decl.append_attribute("encoding") = "UTF-8";
      decl.append_attribute("standalone") = "yes";
      pugi::xml_node root = comments_doc_.append_child((w_ + "comments").c_str());
      root.append_attribute(("xmlns:" + w_.substr(0, w_.size() - 1)).c_str()) = std::string(kWordNs).c_str();
    }
  }

  // The comments part with ours after what it holds, each w:comment made
  // (AddComment) and written on its own: never a tree of them all.
  Status WriteComments(const WordCommentSource& comments, const std::string& author, FILE* out) {
    FileWriter writer(out);
    size_t adding = 0;
    for (size_t k = 0; k < comments.count; ++k) adding += positions_[2 * k].found ? 1 : 0;
    if (adding == 0) {
      const std::string whole = Serialize(comments_doc_);
      writer.write(whole.data(), whole.size());
      return writer.Finish(name_);
    }
    // The part as pugixml writes it, with a marker where ours go.
    constexpr std::string_view kMarker = "taizhang_new_comments";
    comments_doc_.document_element().append_child(std::string(kMarker).c_str());
    const std::string whole = Serialize(comments_doc_);
    const std::string tag = "<" + std::string(kMarker) + "/>";
    const size_t at = whole.rfind(tag);
    if (at == std::string::npos) {
      return Status(StatusCode::kInternal, name_ + "：无法写出 Word 文档（批注部件无法重写）。");
    }
    writer.write(whole.data(), at);
    for (size_t k = 0; k < comments.count; ++k) {
      if (!positions_[2 * k].found) continue;
      pugi::xml_document one;
      pugi::xml_node c = AddComment(comments.make(k), positions_[2 * k], positions_[2 * k + 1], author, &one);
      c.print(writer, "", pugi::format_raw, pugi::encoding_utf8);
    }
    writer.write(whole.data() + at + tag.size(), whole.size() - at - tag.size());
    return writer.Finish(name_);
  }

  // The comment's anchor (clamped to one block, at least one character when
  // the block has any) and its w:comment in `doc`, one w:p per line of its text.
  pugi::xml_node AddComment(const WordComment& comment, const Position& from, const Position& to,
                            const std::string& author, pugi::xml_document* doc) {
    uint32_t block_a = from.block, a = from.chars, b = to.chars;
    if (!to.found || to.block != block_a) b = from.block_chars;
    const uint32_t block_chars = from.block_chars;
    a = std::min(a, block_chars);
    b = std::min(std::max(b, a), block_chars);
    if (b == a && a < block_chars) ++b;
    anchors_.push_back(Anchor{block_a, a, b, next_id_});
    pugi::xml_node c = doc->append_child((w_ + "comment").c_str());
    c.append_attribute((w_ + "id").c_str()) = next_id_;
    c.append_attribute((w_ + "author").c_str()) = author.c_str();
    c.append_attribute((w_ + "initials").c_str()) = "TZ";
    if (!comment.date.empty()) c.append_attribute((w_ + "date").c_str()) = comment.date.c_str();
    size_t start = 0;
    do {
      size_t end = comment.text.find('\n', start);
      std::string para = comment.text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      pugi::xml_node t =
          c.append_child((w_ + "p").c_str()).append_child((w_ + "r").c_str()).append_child((w_ + "t").c_str());
      t.append_attribute("xml:space") = "preserve";
      t.text().set(para.c_str());
      start = end == std::string::npos ? std::string::npos : end + 1;
    } while (start != std::string::npos);
    ++next_id_;
    return c;
  }

  // Splits the runs of `block` at every edge of its anchors, from the last
  // edge back (a split keeps the text before it in the node the earlier edges
  // use); returns edge → the run that now starts there (none: the end).
  std::map<uint32_t, pugi::xml_node> SplitAtEdges(const Names& n, Block& block,
                                                  const std::vector<const Anchor*>& list) {
    std::vector<uint32_t> edges;
    for (const Anchor* anchor : list) edges.push_back(anchor->begin), edges.push_back(anchor->end);
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    std::map<uint32_t, pugi::xml_node> run_at;
    for (auto edge = edges.rbegin(); edge != edges.rend(); ++edge) {
      for (const Segment& seg : block.segments) {
        if (*edge >= seg.start && *edge < seg.start + seg.chars) {
          run_at[*edge] = SplitRun(n, seg.run, seg.element, *edge - seg.start);
          break;
        }
      }
    }
    return run_at;
  }

  // w:commentRangeStart before the anchor's first run, w:commentRangeEnd
  // after its last, and the run holding the w:commentReference.
  void InsertRange(const Names& n, const Anchor& anchor, std::map<uint32_t, pugi::xml_node>& run_at,
                   pugi::xml_node last_run) {
    const std::string id = std::to_string(anchor.id);
    pugi::xml_node start_run = run_at.count(anchor.begin) ? run_at[anchor.begin] : last_run;
    pugi::xml_node end_run = run_at.count(anchor.end) ? run_at[anchor.end] : pugi::xml_node();
    if (!start_run) return;  // a block without text: the comment stays unanchored in the list
    pugi::xml_node range_start = start_run.parent().insert_child_before((w_ + "commentRangeStart").c_str(), start_run);
    range_start.append_attribute((w_ + "id").c_str()) = id.c_str();
    pugi::xml_node range_end;
    if (end_run) {
      range_end = end_run.parent().insert_child_before((w_ + "commentRangeEnd").c_str(), end_run);
    } else {
      // To the block's end: after its last run and the pieces split off it.
      pugi::xml_node after = last_run;
      while (after.next_sibling() && n.Is(after.next_sibling(), "r")) after = after.next_sibling();
      range_end = after.parent().insert_child_after((w_ + "commentRangeEnd").c_str(), after);
    }
    range_end.append_attribute((w_ + "id").c_str()) = id.c_str();
    pugi::xml_node reference = range_end.parent().insert_child_after((w_ + "r").c_str(), range_end);
    reference.append_child((w_ + "commentReference").c_str()).append_attribute((w_ + "id").c_str()) = id.c_str();
  }

  // The anchors of the batch's blocks, into its tree.
  void InsertRanges(const Names& n, BodyBatch& batch) {
    const uint32_t first = static_cast<uint32_t>(batch.first_block);
    const uint32_t end = first + static_cast<uint32_t>(batch.blocks->size());
    for (auto it = by_block_.lower_bound(first); it != by_block_.end() && it->first < end; ++it) {
      Block& block = (*batch.blocks)[it->first - first];
      std::map<uint32_t, pugi::xml_node> run_at = SplitAtEdges(n, block, it->second);
      pugi::xml_node last_run = block.segments.empty() ? pugi::xml_node() : block.segments.back().run;
      for (const Anchor* anchor : it->second) InsertRange(n, *anchor, run_at, last_run);
    }
  }

  // The main part as pugixml writes the whole tree, in three pieces: what
  // comes before the body's children, then each batch's children, then what
  // follows them. The pieces around the children come from the part around
  // the body (BodySplitter head and tail), serialized with a marker in
  // place of the children. With `marker` false: the whole part for a body
  // without children.
  Result<std::pair<std::string, std::string>> Frame(const DocxReader& reader, bool marker) {
    constexpr std::string_view kMarker = "taizhang_body_children";
    const BodySplitter& split = reader.splitter();
    std::string xml = split.head();
    if (!split.body_empty()) xml += "</" + split.body_name() + ">";
    xml += "</" + split.root_name() + ">";
    pugi::xml_document doc;
    pugi::xml_document tail;
    if (!doc.load_buffer(xml.data(), xml.size(), kParseFlags, pugi::encoding_utf8)) {
      return Status(StatusCode::kInternal, name_ + "：无法写出 Word 文档（正文部件无法重写）。");
    }
    pugi::xml_node root = doc.document_element();
    if (marker) reader.names().Child(root, "body").append_child(std::string(kMarker).c_str());
    // The root's children after the body (whitespace between them is not
    // kept: the body is their sibling).
    std::string after = split.root_start_tag() + split.tail();
    if (tail.load_buffer(after.data(), after.size(), kParseFlags, pugi::encoding_utf8)) {
      for (pugi::xml_node c = tail.document_element().first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_pcdata &&
            std::string_view(c.value()).find_first_not_of(" \t\r\n") == std::string_view::npos) {
          continue;
        }
        root.append_copy(c);
      }
    }
    std::string whole = Serialize(doc);
    if (!marker) return std::make_pair(std::move(whole), std::string());
    const std::string tag = "<" + std::string(kMarker) + "/>";
    size_t at = whole.find(tag);
    if (at == std::string::npos || whole.find(tag, at + 1) != std::string::npos) {
      return Status(StatusCode::kInternal, name_ + "：无法写出 Word 文档（正文部件无法重写）。");
    }
    return std::make_pair(whole.substr(0, at), whole.substr(at + tag.size()));
  }

  // Reads the body again batch by batch (the same walk gives the same
  // blocks), puts the anchors in and writes each batch's children to `out`.
  Status WriteMainPart(std::string_view bytes, FILE* out) {
    FileWriter writer(out);
    for (const Anchor& anchor : anchors_) by_block_[anchor.block].push_back(&anchor);
    DocxReader reader(name_, options_);
    Status s = reader.Load(bytes);
    if (!s.ok()) return s;
    bool head_written = false;
    s = reader.ReadBody([&](BodyBatch& batch) -> Status {
      InsertRanges(reader.names(), batch);
      pugi::xml_node first = batch.body.first_child();
      // The rest of the body after an earlier batch: whitespace alone there
      // is not kept (the whole body's other children are its siblings).
      if (batch.index > 0 && first && first == batch.body.last_child() && first.type() == pugi::node_pcdata &&
          std::string_view(first.value()).find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return Status::Ok();
      }
      if (!first) return Status::Ok();
      if (!head_written) {
        auto frame = Frame(reader, true);
        if (!frame.ok()) return frame.status();
        writer.write(frame->first.data(), frame->first.size());
        head_written = true;
      }
      for (pugi::xml_node c = first; c; c = c.next_sibling()) {
        c.print(writer, "", pugi::format_raw, pugi::encoding_utf8);
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    auto frame = Frame(reader, head_written);
    if (!frame.ok()) return frame.status();
    const std::string& rest = head_written ? frame->second : frame->first;
    writer.write(rest.data(), rest.size());
    return writer.Finish(name_);
  }

  // For a new comments part: its relationship from the main part (an id not
  // yet taken) and its content type, into `replaced`; sets comments_part_.
  Status LinkNewCommentsPart(std::map<std::string, std::string>* replaced) {
    ZipArchive& zip = reader_.archive();
    size_t slash = reader_.main_part().rfind('/');
    std::string folder = slash == std::string::npos ? "" : reader_.main_part().substr(0, slash + 1);
    comments_part_ = folder + "comments.xml";
    std::string rels_path = folder + "_rels/" + reader_.main_part().substr(slash + 1) + ".rels";
    pugi::xml_document rels_doc;
    Result<std::string> rels_bytes = zip.Read(rels_path);
    if (rels_bytes.ok()) {
      rels_doc.load_buffer(rels_bytes->data(), rels_bytes->size(), pugi::parse_default | pugi::parse_declaration);
    }
    if (!rels_doc.document_element()) {
      rels_doc.reset();
      pugi::xml_node decl = rels_doc.append_child(pugi::node_declaration);
      decl.append_attribute("version") = "1.0";
      decl.append_attribute("encoding") = "UTF-8";
      rels_doc.append_child("Relationships").append_attribute("xmlns") =
          "http://schemas.openxmlformats.org/package/2006/relationships";
    }
    std::set<std::string> ids;
    for (pugi::xml_node r = rels_doc.document_element().first_child(); r; r = r.next_sibling()) {
      ids.insert(r.attribute("Id").value());
    }
    std::string id = "rIdTaizhangComments";
    for (int k = 2; ids.count(id); ++k) id = "rIdTaizhangComments" + std::to_string(k);
    pugi::xml_node rel = rels_doc.document_element().append_child("Relationship");
    rel.append_attribute("Id") = id.c_str();
    rel.append_attribute("Type") = kCommentsType;
    rel.append_attribute("Target") = "comments.xml";
    (*replaced)[rels_path] = Serialize(rels_doc);

    pugi::xml_document types;
    Result<std::string> types_bytes = zip.Read("[Content_Types].xml");
    if (!types_bytes.ok()) return types_bytes.status();
    types.load_buffer(types_bytes->data(), types_bytes->size(), pugi::parse_default | pugi::parse_declaration);
    pugi::xml_node override = types.document_element().append_child("Override");
    override.append_attribute("PartName") = ("/" + comments_part_).c_str();
    override.append_attribute("ContentType") = kCommentsContentType;
    (*replaced)["[Content_Types].xml"] = Serialize(types);
    return Status::Ok();
  }

  // The package: document (from `main`, taken over) and comments parts, the
  // relationship and the content type; every other entry is copied as it is.
  Result<std::string> Package(std::string_view bytes, FILE* comments, FILE* main, const std::string& out_path) {
    std::map<std::string, std::string> replaced;
    Status s = comments_part_.empty() ? LinkNewCommentsPart(&replaced) : Status::Ok();
    if (s.ok() && comments_part_ == reader_.main_part()) {
      s = Status(StatusCode::kUndecodable, name_ + "：批注部件与正文部件是同一个部件，文件已损坏。");
    }
    if (!s.ok()) {
      std::fclose(comments);
      std::fclose(main);
      return s;
    }
    return RewriteZip(name_, bytes, replaced, {{reader_.main_part(), main}, {comments_part_, comments}}, out_path);
  }

  const std::string& name_;
  const ReadOptions& options_;
  DocxReader reader_;
  std::vector<Position> positions_;  // of each comment's begin and end
  std::string w_;                      // the WordprocessingML prefix: "w:" or ""
  pugi::xml_document comments_doc_;
  std::string comments_part_;          // its path in the package; "" until known
  int next_id_ = 0;
  std::vector<Anchor> anchors_;
  std::map<uint32_t, std::vector<const Anchor*>> by_block_;
};

}  // namespace

Result<std::string> AddDocxComments(const std::string& name, std::string_view bytes, std::string_view expected,
                                    const WordCommentSource& comments, const std::string& author,
                                    const ReadOptions& options, const std::string& out_path) {
  try {
    return CommentWriter(name, options).Write(bytes, expected, comments, author, out_path);
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kTooLarge, name + "：文档过大，内存不足，未写批注。");
  }
}

}  // namespace taizhang::ingest_internal
