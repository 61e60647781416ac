#include "cli/compare_command.h"

#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "cli/cli_messages.h"
#include "compare/compare.h"
#include "ledger/ledger.h"
#include "output/compare_output.h"
#include "pipeline/pipeline.h"

namespace taizhang::cli {

struct CompareCommand::State {
  CLI::App* cmd = nullptr;
  InputArgs input;
  std::string across;
  bool ledger = false;
  std::string db;
  std::string user;
  std::string unit;
  int year = 0;
  std::string tolerance = "0.2";
  std::string tolerance_relative = "2";
  double min_score = 0.6;
  bool all = false;
  bool json = false;
  bool html = false;
  std::string xlsx;

  // The chosen rendering of `pairs` written out; an exit code.
  template <typename Text, typename Json, typename Html, typename Xlsx>
  int Write(Text text, Json json_fn, Html html_fn, Xlsx xlsx_fn) const {
    if (!xlsx.empty()) {
      if (!OutputAllowed(xlsx)) return kExitOutputError;
      Status s = xlsx_fn(xlsx);
      if (!s.ok()) {
        std::cerr << "taizhang：" << s.message() << "\n";
        return kExitOutputError;
      }
      return kExitOk;
    }
    std::string data = json ? json_fn() : html ? html_fn() : text();
    return WriteOutput(input.output, data) ? kExitOk : kExitOutputError;
  }

  bool ParseTolerance(Tolerance* t) const {
    auto points = Decimal::Parse(tolerance);
    auto relative = Decimal::Parse(tolerance_relative);
    if (!points || points->mantissa() < 0 || !relative || relative->mantissa() < 0) {
      std::cerr << "taizhang：--tolerance 与 --tolerance-relative 应为非负的数（如 0.2、2），收到“" << tolerance
                << "”“" << tolerance_relative << "”\n";
      return false;
    }
    t->about_points = *points;
    t->about_relative = relative->Shifted(-2);
    return true;
  }

  int RunAcross() {
    // Only each file's rows are kept: the files themselves go as they are done.
    std::vector<AcrossFile> files;
    const bool all_read = ForEachInput(input.files, AnalyzeOptionsFor(input, Stage::kFacts), input.run,
                                       [&](size_t, AnalyzedFile& f) {
      if (!f.ok()) return true;
      AcrossFile af;
      af.path = f.path;
      af.rows = AcrossUnits(across, f.source, f.outline, f.facts, min_score);
      if (!unit.empty()) {
        std::erase_if(af.rows, [&](const AcrossRow& r) { return r.unit.find(unit) == std::string::npos; });
      }
      files.push_back(std::move(af));
      return true;
    });
    int code = Write([&] { return RenderAcrossText(across, files); }, [&] { return RenderAcrossJson(across, files); },
                     [&] { return RenderAcrossHtml(across, files); },
                     [&](const std::string& path) { return WriteAcrossXlsx(across, files, path); });
    if (code != kExitOk) return code;
    return all_read ? kExitOk : kExitInputError;
  }

  int RunPairs() {
    CompareOptions options;
    if (!ParseTolerance(&options.tolerance)) return kExitUsage;
    options.min_score = min_score;
    options.all_plan_items = all;
    options.year = year;
    size_t want = ledger ? 1 : 2;
    if (input.files.size() != want) {
      std::cerr << (ledger ? "taizhang：compare --ledger 需要一个结果文件（对照的总结或报告）。\n"
                           : "taizhang：compare 需要两个文件：计划（或含预期目标的报告）与对照的总结（或下一年的报告）；"
                             "比较各单位的同一指标请用 --across。\n");
      return kExitUsage;
    }
    if (ledger && (unit.empty() || year == 0)) {
      std::cerr << "taizhang：compare --ledger 需要 --unit（责任单位）和 --year（计划年度）。\n";
      return kExitUsage;
    }
    AnalyzedInputs in = AnalyzeInputs(input.files, AnalyzeOptionsFor(input, Stage::kFacts), input.run);
    if (in.any_failed) return kExitInputError;
    const AnalyzedFile& result_file = in.files.back();
    const std::string_view result_text = result_file.source.text();

    std::vector<Comparison> comparisons;
    std::vector<ComparedPair> pairs;
    if (ledger) {
      if (db.find("://") == std::string::npos) ProtectPaths({db});
      // Reading only: no history is written, so any name will do.
      auto store = LedgerStore::Open(db, user.empty() ? std::string("compare") : user);
      if (!store.ok()) {
        std::cerr << "taizhang：" << store.status().message() << "\n";
        return kExitStore;
      }
      ItemFilter filter;  // accepted items only (the default)
      filter.kind = ItemKind::kPlan;
      filter.unit = unit;
      filter.year = year;
      auto items = (*store)->ListItems(filter);
      if (!items.ok()) {
        std::cerr << "taizhang：" << items.status().message() << "\n";
        return kExitStore;
      }
      if (items->empty()) {
        // Proposals (待确认) are no tasks yet: say so, and how to accept them.
        filter.review = ReviewState::kProposed;
        auto proposals = (*store)->ListItems(filter);
        const size_t waiting = proposals.ok() ? proposals->size() : 0;
        std::cerr << "taizhang：台账 " << db << " 中没有“" << unit << "”" << year << " 年的工作任务"
                  << (waiting == 0 ? std::string("。\n")
                                   : "（已确认的）；有 " + std::to_string(waiting) +
                                         " 项待确认，请先用 taizhang ledger review list 查看、ledger review "
                                         "accept 确认。\n");
        return kExitUsage;
      }
      int r = FindReportOfUnit(result_file.outline, unit);
      if (r < 0) {
        std::cerr << "taizhang：" << result_file.path << " 中没有“" << unit << "”的报告。\n";
        return kExitUsage;
      }
      std::vector<Target> targets;
      for (const LedgerItem& item : *items) targets.push_back(LedgerTarget(item));
      const Report& report = result_file.outline.reports[r];
      comparisons.push_back(
          Compare(targets, year, result_file.source, report, result_file.facts.reports[r], options));
      ComparedPair p;
      p.plan_path = db;
      p.plan_title = fmt::format("台账：{} {} 年工作任务", unit, year);
      p.result_path = result_file.path;
      p.result_title = std::string(report.title.In(result_text));
      p.unit = unit;
      p.tolerance = options.tolerance;
      pairs.push_back(p);
    } else {
      const AnalyzedFile& plan_file = in.files.front();
      const Pairing pairing = PairReports(plan_file.outline, result_file.outline, unit);
      for (size_t i : pairing.unmatched) {
        std::cerr << "taizhang：" << plan_file.path << " 第 " << i + 1 << " 篇（"
                  << ReportUnit(plan_file.outline.reports[i]) << "）在 " << result_file.path
                  << " 中没有对应单位的报告，跳过。\n";
      }
      for (const ReportPair& pair : pairing.pairs) {
        const Report& plan = plan_file.outline.reports[pair.plan];
        int plan_year = 0;
        std::vector<Target> targets =
            PlanTargets(plan_file.source, plan, plan_file.facts.reports[pair.plan], options, &plan_year);
        const Report& report = result_file.outline.reports[pair.result];
        comparisons.push_back(
            Compare(targets, plan_year, result_file.source, report, result_file.facts.reports[pair.result], options));
        ComparedPair p;
        p.plan_path = plan_file.path;
        p.plan_title = std::string(plan.title.In(plan_file.source.text()));
        p.result_path = result_file.path;
        p.result_title = std::string(report.title.In(result_text));
        p.unit = ReportUnit(plan);
        p.tolerance = options.tolerance;
        pairs.push_back(p);
      }
      if (pairs.empty()) {
        std::cerr << "taizhang：" << plan_file.path << " 与 " << result_file.path
                  << " 之间找不到同一单位的报告可以对照（可用 --unit 指定单位）。\n";
        return kExitUsage;
      }
    }
    for (size_t i = 0; i < pairs.size(); ++i) pairs[i].comparison = &comparisons[i];
    return Write([&] { return RenderCompareText(pairs); }, [&] { return RenderCompareJson(pairs); },
                 [&] { return RenderCompareHtml(pairs); },
                 [&](const std::string& path) { return WriteCompareXlsx(pairs, path); });
  }
};

CompareCommand::CompareCommand(CLI::App* app) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.cmd = app->add_subcommand(
      "compare", "对标对表：计划（或预期目标、台账任务）与对照的总结逐项比较，给出判定与依据；--across 比较各单位的同一指标");
  s.cmd
      ->add_option(
          "files", s.input.files,
          std::string(
              "计划文件与结果文件（--ledger 时只有结果文件；--across 时为任意多个报告）：") +
              kInputFormats + "；- 表示标准输入")
      ->required();
  s.cmd->add_option("--across", s.across, "比较各单位的同一指标（如 整改率、完成投资），列出数值、时间与位置");
  s.cmd->add_flag("--ledger", s.ledger, "以台账中的工作任务为计划（需 --unit、--year）");
  s.cmd->add_option("--db", s.db, "台账数据库（同 ledger 命令；默认 taizhang.db 或 $TAIZHANG_DB）");
  s.cmd->add_option("--user", s.user, "操作人（只读，不写历史）");
  s.cmd->add_option("--unit", s.unit, "只比较这个单位（汇编中按单位配对时选一个）");
  s.cmd->add_option("--year", s.year, "计划年度（默认取计划报告的计划年度）");
  s.cmd->add_option("--tolerance", s.tolerance, "“左右”的容差：百分比目标上下各多少个百分点（默认 0.2）");
  s.cmd->add_option("--tolerance-relative", s.tolerance_relative, "“左右”的容差：其他目标上下各百分之几（默认 2）");
  s.cmd->add_option("--min-score", s.min_score, "结果文字与目标的最低吻合度 0–1（默认 0.6）");
  s.cmd->add_flag("--all", s.all, "也比较没有目标数字、时限或具体节点的计划事项");
  s.cmd->add_option("--encoding", s.input.encoding, "指定文本输入的编码，默认自动识别");
  s.cmd->add_flag("--no-split", s.input.no_split, "不拆分汇编");
  auto* json = s.cmd->add_flag("--json", s.json, "输出 JSON（格式见 docs/json.md）");
  auto* html = s.cmd->add_flag("--html", s.html, "输出一个网页")->excludes(json);
  s.cmd->add_option("--xlsx", s.xlsx, "写成 Excel 文件（一行一个目标）")->excludes(json)->excludes(html);
  s.cmd->add_option("-o,--output", s.input.output, "写入文件而不是标准输出");
  AddRunOptions(s.cmd, &s.input.run);
  const std::string plan = kExampleReport;
  const std::string result = "examples/清河县农业农村局2025年工作总结.txt";
  s.cmd->footer(Examples({
      {"taizhang compare " + plan + " " + result,
       "示例报告的 2025 年预期目标与 2025 年工作总结逐项对照"},
      {"taizhang compare --ledger --unit 清河县农业农村局 --year 2025 --db 台账.db " + result,
       "以台账中的 2025 年工作任务为计划对照总结（先用 taizhang import 导入示例报告）"},
      {"taizhang compare --across 整改率 " + plan +
           " tests/data/compare/淮阴区卫生健康委员会2024年工作总结和2025年工作计划.txt",
       "各报告中的“整改率”：数值、时间与位置"},
  }));
}

CompareCommand::~CompareCommand() = default;

bool CompareCommand::Chosen() const { return static_cast<bool>(*state_->cmd); }

int CompareCommand::Run() {
  State& s = *state_;
  if (s.min_score < 0 || s.min_score > 1) {
    std::cerr << "taizhang：--min-score 应在 0 与 1 之间。\n";
    return kExitUsage;
  }
  if (!s.across.empty()) {
    if (s.ledger) {
      std::cerr << "taizhang：--across 与 --ledger 不能同时使用。\n";
      return kExitUsage;
    }
    return s.RunAcross();
  }
  if (s.db.empty()) {
    const char* env = std::getenv("TAIZHANG_DB");
    s.db = env && *env ? env : "taizhang.db";
  }
  return s.RunPairs();
}

}  // namespace taizhang::cli
