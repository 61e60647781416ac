#include "cli/search_command.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "cli/cli_messages.h"
#include "ingest/ingest.h"
#include "ledger/ledger.h"
#include "search/search.h"

namespace taizhang::cli {

namespace {

constexpr int kExitNoHits = 1;  // like grep: nothing found

std::string DefaultDatabase() {
  if (const char* v = std::getenv("TAIZHANG_DB"); v != nullptr && *v != '\0') return v;
  return "taizhang.db";
}

std::string FacetLine(const char* label, const char* facet, const std::vector<FacetCount>& counts) {
  if (counts.empty()) return "";
  std::string line = std::string(label) + "：";
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i > 0) line += "，";
    line += SearchValueLabel(facet, counts[i].value) + " " + std::to_string(counts[i].count);
  }
  return line + "\n";
}

}  // namespace

struct SearchCommand::State {
  CLI::App* cmd = nullptr;
  std::vector<std::string> words;
  std::string db = DefaultDatabase();
  std::string index;
  std::string unit;
  int year = 0;
  std::string kind, report_kind, item_kind, section;
  int64_t limit = 20;
  int64_t offset = 0;
  bool json = false;

  int Run();
};

SearchCommand::SearchCommand(CLI::App* app) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.cmd = app->add_subcommand("search", "全文检索：已导入报告的原文句子、台账事项、进展情况、校核问题（中文不必分词）");
  s.cmd->add_option("words", s.words, "要查找的文字；几个词用空格分开时每个都须出现")->required();
  s.cmd->add_option("--db", s.db, "台账数据库：SQLite 文件路径（默认 taizhang.db 或 $TAIZHANG_DB）或 postgresql://… 地址");
  s.cmd->add_option("--index", s.index,
                    "检索索引的目录（默认为台账文件旁的“台账文件名.search”；PostgreSQL 台账须指定）");
  s.cmd->add_option("--unit", s.unit, "只看这个单位（写单位名称的开头即可）");
  s.cmd->add_option("--year", s.year, "只看这一年（报告所在部分的年度、事项的年度）");
  s.cmd->add_option("--kind", s.kind, "只看一类：报告原文（sentence）、台账事项（item）、进展情况（progress）、校核问题（finding）");
  s.cmd->add_option("--report-kind", s.report_kind, "只看这类报告：工作总结（summary）、工作计划（plan）、总结+计划（summary+plan）……");
  s.cmd->add_option("--item-kind", s.item_kind, "只看这类事项：工作任务（task）、问题整改（problem）");
  s.cmd->add_option("--section", s.section, "只看报告中这类部分：总结、亮点、问题、计划、附录");
  s.cmd->add_option("--limit", s.limit, "最多列出几条（默认 20，0 为全部）");
  s.cmd->add_option("--offset", s.offset, "跳过前几条（翻页）");
  s.cmd->add_flag("--json", s.json, "输出 JSON");
  s.cmd->footer(Examples({
                    {"taizhang search 河长制", "各报告、事项、进展中提到河长制的地方"},
                    {"taizhang search 整改 --unit 县水利局 --year 2024", "某单位某年"},
                    {"taizhang search 防汛 --kind 报告原文 --section 计划", "只看报告计划部分的原文"},
                }) +
                "\n退出码：0 找到；1 没有找到；2 命令行有误；7 台账或检索索引无法打开或使用。");
}

SearchCommand::~SearchCommand() = default;
bool SearchCommand::Chosen() const { return static_cast<bool>(*state_->cmd); }
int SearchCommand::Run() { return state_->Run(); }

int SearchCommand::State::Run() {
  SearchQuery query;
  for (const std::string& w : words) query.text += (query.text.empty() ? "" : " ") + w;
  query.unit = unit;
  query.year = year;
  query.limit = limit < 0 ? 20 : limit;
  query.offset = offset < 0 ? 0 : offset;
  if (!kind.empty()) {
    query.kind = ParseSearchKind(kind);
    if (!query.kind) {
      std::cerr << "taizhang：--kind 的值“" << kind << "”应为 报告原文、台账事项、进展情况 或 校核问题。\n";
      return kExitUsage;
    }
  }
  if (!report_kind.empty() && !item_kind.empty()) {
    std::cerr << "taizhang：--report-kind 与 --item-kind 只能给一个。\n";
    return kExitUsage;
  }
  if (!report_kind.empty()) {
    query.subkind = ParseSearchValue("subkind", report_kind);
    if (query.subkind.empty() || query.subkind == "task" || query.subkind == "problem") {
      std::cerr << "taizhang：--report-kind 的值“" << report_kind << "”应为 工作总结、工作计划、总结+计划、政府工作报告 或 其他。\n";
      return kExitUsage;
    }
  }
  if (!item_kind.empty()) {
    query.subkind = ParseSearchValue("subkind", item_kind);
    if (query.subkind != "task" && query.subkind != "problem") {
      std::cerr << "taizhang：--item-kind 的值“" << item_kind << "”应为 工作任务 或 问题整改。\n";
      return kExitUsage;
    }
  }
  if (!section.empty()) {
    query.section_kind = ParseSearchValue("section_kind", section);
    if (query.section_kind.empty() || SearchValueLabel("section_kind", query.section_kind) == query.section_kind) {
      std::cerr << "taizhang：--section 的值“" << section << "”应为 总结、亮点、问题、计划 或 附录。\n";
      return kExitUsage;
    }
  }
  std::string directory = !index.empty() ? index : DefaultSearchDirectory(db);
  if (directory.empty()) {
    std::cerr << "taizhang：PostgreSQL 台账的检索索引放在哪里，请用 --index 目录 指定。\n";
    return kExitUsage;
  }
  auto store = LedgerStore::Open(db, "search");
  if (!store.ok()) {
    std::cerr << "taizhang：" << store.status().message() << "\n";
    return kExitStore;
  }
  auto opened = SearchIndex::Open(directory);
  if (!opened.ok()) {
    std::cerr << "taizhang：" << opened.status().message() << "\n";
    return kExitStore;
  }
  SearchSources sources;
  sources.read_file = [](const StoredSource& file) -> Result<std::string> {
    std::string bytes;
    ReadOptions options;
    Status read = ReadFileBytes(file.path, options, &bytes);
    if (!read.ok()) return read;
    return bytes;
  };
  auto caught = (*opened)->CatchUp(**store, sources);
  if (!caught.ok()) {
    std::cerr << "taizhang：" << caught.status().message() << "\n";
    return kExitStore;
  }
  auto result = (*opened)->Search(query);
  if (!result.ok()) {
    std::cerr << "taizhang：" << result.status().message() << "\n";
    return result.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitStore;
  }
  if (json) {
    std::cout << SearchResultJson(query, *result).dump(2) << "\n";
    return result->total > 0 ? kExitOk : kExitNoHits;
  }
  if (caught->reports_unread > 0) {
    std::cerr << "taizhang：有 " << caught->reports_unread
              << " 篇报告的原文件已不在原处（或内容已变），只检索了它们的标题和校核问题。\n";
  }
  if (result->total == 0) {
    std::cout << "没有找到“" << query.text << "”。\n";
    return kExitNoHits;
  }
  // More hits than are counted exactly: Xapian's estimate (docs/search.md).
  std::string out = "“" + query.text + "”：" + (result->estimated ? "约 " : "共 ") + std::to_string(result->total) + " 处";
  if (!result->hits.empty()) {
    out += "，列出第 " + std::to_string(query.offset + 1) + "—" +
           std::to_string(query.offset + static_cast<int64_t>(result->hits.size())) + " 处";
  }
  out += "。\n";
  int64_t n = query.offset;
  for (const SearchHit& h : result->hits) {
    out += "[" + std::to_string(++n) + "] " + SearchKindLabel(h.kind) + " · " + (h.unit.empty() ? "（单位不明）" : h.unit);
    if (h.year != 0) out += " · " + std::to_string(h.year) + "年";
    if (!h.section_kind.empty()) out += " · " + SearchValueLabel("section_kind", h.section_kind) + "部分";
    if (h.item_id != 0) out += " · 事项编号 " + std::to_string(h.item_id);
    if (h.kind == SearchKind::kProgress) out += " · " + h.date;
    if (h.kind == SearchKind::kSentence || h.kind == SearchKind::kFinding) {
      out += "\n    《" + h.report_title + "》（报告编号 " + std::to_string(h.report_id) + "，" + h.file + ":" +
             std::to_string(h.line) + ":" + std::to_string(h.column) + "）";
    }
    out += "\n    ";
    for (const SearchPart& p : h.parts) out += p.hit ? "【" + p.text + "】" : p.text;
    out += "\n";
  }
  out += FacetLine("按类", "kind", result->kinds);
  out += FacetLine("按单位", "unit", result->units);
  out += FacetLine("按年度", "year", result->years);
  out += FacetLine("按报告或事项类别", "subkind", result->subkinds);
  out += FacetLine("按报告部分", "section_kind", result->section_kinds);
  if (result->estimated) {
    out += "（命中很多：总数和各项的数目是按已查看的部分估计的，列出的每一处都确实含有要查找的文字。）\n";
  } else if (result->facets_estimated) {
    out += "（命中很多：各项的数目是按已查看的部分估计的，总数是确数。）\n";
  }
  std::cout << out;
  return kExitOk;
}

}  // namespace taizhang::cli
