// End-to-end tests of the taizhang command: exit codes, messages, stdin,
// JSON output, and that one bad file does not stop the others.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/database.h"
#include "tests/docx_builder.h"
#include "tests/test_util.h"

namespace taizhang {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A scratch directory of this test process: ctest runs tests in parallel.
fs::path ScratchDir() {
  fs::path dir = fs::temp_directory_path() / ("taizhang_cli_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

// `environment` ("NAME=value …") is set for this run only.
CliRun RunCli(const std::string& args, const std::string& stdin_file = "", const std::string& environment = "") {
  fs::path dir = ScratchDir();
  std::string out = (dir / "stdout").string();
  std::string err = (dir / "stderr").string();
  std::string command = environment + (environment.empty() ? "" : " ") + "'" + TAIZHANG_CLI_PATH + "' " + args + " >" + out + " 2>" + err;
  if (!stdin_file.empty()) command += " <'" + stdin_file + "'";
  int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = testing::ReadBytes(out);
  run.err = testing::ReadBytes(err);
  return run;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ScratchDir();
    testing::WriteBytes((dir_ / "empty.txt").string(), "");
    testing::WriteBytes((dir_ / "binary.txt").string(), std::string("\x7F" "ELF\0\0\1\2", 8));
    testing::WriteBytes((dir_ / "ok.txt").string(),
                        "某局2024年工作总结\n一、主要工作\n（一）完成任务。\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const char* name) const { return "'" + (dir_ / name).string() + "'"; }
  fs::path dir_;
};

TEST_F(Cli, OutlinesASeedAsText) {
  CliRun run = RunCli("outline '" + testing::SeedPath() + "'");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("汇编，16 篇报告"), std::string::npos);
  EXPECT_NE(run.out.find("  (三）农村人饮管护意识淡薄"), std::string::npos);
  EXPECT_TRUE(run.err.empty());
}

TEST_F(Cli, JsonHasSchemaVersionAndDocuments) {
  CliRun run = RunCli("outline --json '" + testing::SeedPath() + "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["command"], "outline");
  const auto& docs = j["files"][0]["documents"];
  ASSERT_EQ(docs.size(), 16u);
  EXPECT_EQ(docs[12]["unit"]["name"], "县水利局");
  EXPECT_EQ(docs[0]["headings"][0]["section_kind"], "summary");
  EXPECT_EQ(docs[0]["headings"][1]["title"], "重点项目推进有序");
  EXPECT_EQ(docs[0]["headings"][1]["column"], 1);
}

TEST_F(Cli, ErrorsAreReportedAndOtherFilesStillProcessed) {
  CliRun run = RunCli("outline --json " + Path("missing.txt") + " " + Path("") + " " +
                   Path("empty.txt") + " " + Path("binary.txt") + " " + Path("ok.txt"));
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_NE(run.err.find("missing.txt：文件不存在"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("这是一个目录"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("empty.txt：文件为空"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("binary.txt：不是 taizhang 能读取的文件"), std::string::npos) << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out);
  ASSERT_EQ(j["files"].size(), 5u);
  EXPECT_EQ(j["files"][0]["error"]["code"], "not_found");
  EXPECT_EQ(j["files"][1]["error"]["code"], "not_a_file");
  EXPECT_EQ(j["files"][2]["error"]["code"], "empty");
  EXPECT_EQ(j["files"][3]["error"]["code"], "binary");
  EXPECT_EQ(j["files"][4]["ok"], true);
  EXPECT_EQ(j["files"][4]["documents"][0]["unit"]["name"], "某局");
}

TEST_F(Cli, ReadsStdin) {
  CliRun run = RunCli("outline --json -", (dir_ / "ok.txt").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["files"][0]["path"], "<标准输入>");
  EXPECT_EQ(j["files"][0]["documents"][0]["headings"].size(), 2u);
  // Named twice, on several threads: the first reads it all, the second
  // finds it empty, as one after the other.
  CliRun twice = RunCli("outline --json -j 4 - " + Path("ok.txt") + " -", (dir_ / "ok.txt").string());
  EXPECT_EQ(twice.exit_code, 5);
  nlohmann::json both = nlohmann::json::parse(twice.out);
  EXPECT_EQ(both["files"][0]["ok"], true);
  EXPECT_EQ(both["files"][0]["documents"][0]["headings"].size(), 2u);
  EXPECT_EQ(both["files"][2]["ok"], false);
  EXPECT_EQ(both["files"][2]["error"]["code"], "empty") << twice.out;
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCli("").exit_code, 2);
  EXPECT_EQ(RunCli("outline").exit_code, 2);
  EXPECT_EQ(RunCli("outline --no-such-flag x").exit_code, 2);
  EXPECT_EQ(RunCli("frobnicate").exit_code, 2);
  EXPECT_EQ(RunCli("--help").exit_code, 0);
}

// Every line of a message holds Chinese text (some byte outside ASCII).
bool EveryLineChinese(const std::string& text) {
  size_t at = 0;
  while (at < text.size()) {
    size_t end = std::min(text.find('\n', at), text.size());
    std::string line = text.substr(at, end - at);
    bool chinese = false;
    for (unsigned char c : line) chinese |= c >= 0x80;
    if (!line.empty() && !chinese) return false;
    at = end + 1;
  }
  return true;
}

// Each command with a wrong flag, a missing required argument and a bad
// number: exit 2, and every line CLI11 writes comes out in Chinese.
TEST_F(Cli, UsageErrorsAreInChinese) {
  const char* cases[] = {
      "",
      "--bogus",
      "outline --bogus a.txt",
      "outline",
      "outline --encoding",
      "text --bogus a.txt",
      "text",
      "facts --bogus a.txt",
      "facts",
      "facts --json --tsv a.txt",
      "check --bogus a.txt",
      "check",
      "check --json --html a.txt",
      "import --bogus a.txt",
      "import",
      "import --lead-days abc a.txt",
      "ledger --bogus",
      "ledger",
      "ledger list --bogus",
      "ledger list --year abc",
      "ledger list --limit 1.5",
      "ledger show --bogus 1",
      "ledger show",
      "ledger show abc",
      "ledger show 1 2",
      "ledger add --bogus",
      "ledger add --unit 县水利局",
      "ledger add --unit 县水利局 --task 任务 --year 二〇二五",
      "ledger update 1 --bogus",
      "ledger update",
      "ledger update 1 --if-version x",
      "ledger progress 1 --bogus",
      "ledger progress",
      "ledger progress x",
      "ledger submit 1 --bogus",
      "ledger submit",
      "ledger submit 1.5",
      "ledger close 1 --bogus",
      "ledger close",
      "ledger close 1 --if-version 1.5",
      "ledger history 1 --bogus",
      "ledger history",
      "ledger history x",
      "ledger rates --bogus",
      "ledger rates --unit",
      "ledger rates --lead-days x",
      "ledger export --bogus",
      "ledger export",
      "ledger export --xlsx a.xlsx --year x",
      "ledger import --bogus",
      "ledger import",
      "ledger import --xlsx a.xlsx --lead-days x",
      "ledger verify --bogus",
      "ledger verify --db",
      "ledger verify --lead-days x",
      "backup --bogus a.bak",
      "backup",
      "backup a.bak --lead-days x",
      "restore --bogus a.bak",
      "restore",
      "restore a.bak --lead-days x",
      "compare --bogus a.txt b.txt",
      "compare",
      "compare --min-score abc a.txt b.txt",
      "compare --year x a.txt b.txt",
      "compare --json --xlsx a.xlsx a.txt b.txt",
  };
  for (const char* args : cases) {
    CliRun run = RunCli(args);
    EXPECT_EQ(run.exit_code, 2) << args << "\n" << run.err;
    EXPECT_FALSE(run.err.empty()) << args;
    EXPECT_TRUE(EveryLineChinese(run.err)) << args << "\n" << run.err;
    EXPECT_EQ(run.err.find("The following"), std::string::npos) << args;
  }
  // The messages name what is wrong.
  EXPECT_NE(RunCli("ledger list --year abc").err.find("--year 的值应为整数，收到“abc”"),
            std::string::npos);
  EXPECT_NE(RunCli("ledger add --unit 县水利局").err.find("缺少必填的选项 --task"),
            std::string::npos);
  EXPECT_NE(RunCli("facts --json --tsv a.txt").err.find("--json 与 --tsv 不能同时使用"),
            std::string::npos);
  EXPECT_NE(RunCli("ledger show").err.find("缺少事项编号"), std::string::npos);
}

TEST_F(Cli, MistypedCommandsAndOptionsGetASuggestion) {
  CliRun command = RunCli("chek " + Path("ok.txt"));
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("没有“chek”这个子命令。您是不是想输入 check？"), std::string::npos)
      << command.err;
  CliRun option = RunCli("check --jsn " + Path("ok.txt"));
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("check：没有选项“--jsn”。您是不是想输入 --json？"), std::string::npos)
      << option.err;
  CliRun nested = RunCli("ledger lsit");
  EXPECT_EQ(nested.exit_code, 2);
  EXPECT_NE(nested.err.find("您是不是想输入 list？"), std::string::npos) << nested.err;
  // A ledger command given without "ledger".
  EXPECT_NE(RunCli("show 1").err.find("您是不是想输入 ledger show？"), std::string::npos);
  // Nothing close: no guess.
  CliRun far = RunCli("frobnicate");
  EXPECT_EQ(far.err.find("您是不是想输入"), std::string::npos) << far.err;
}

// The commands in the order their help lists them (import before the
// ledger commands that use its database).
std::vector<std::string> CommandsWithHelp() {
  std::vector<std::string> commands = {"", "outline", "text", "facts", "check", "import", "ledger"};
  // The imported plan items reviewed before anyone works on them.
  for (const char* sub : {"review", "review list", "review reject", "review merge", "review split",
                          "review assign", "review accept", "list", "show", "add", "update", "progress",
                          "submit", "close", "history", "rates", "export", "import", "verify"}) {
    commands.push_back(std::string("ledger ") + sub);
  }
  for (const char* c : {"backup", "restore", "compare"}) commands.push_back(c);
  return commands;
}

// Every command's --help is Chinese, with examples; the examples run as
// written from the repository root (here a directory with its examples/
// and tests/ folders linked in), one after another.
TEST_F(Cli, HelpIsChineseAndItsExamplesRun) {
  const fs::path root = dir_ / "repo";
  fs::create_directories(root);
  fs::create_directory_symlink(testing::SourceDir() + "/examples", root / "examples");
  fs::create_directory_symlink(testing::SourceDir() + "/tests", root / "tests");
  const std::string bin = fs::path(TAIZHANG_CLI_PATH).parent_path().string();
  ASSERT_EQ(fs::path(TAIZHANG_CLI_PATH).filename(), "taizhang");
  int examples = 0;
  for (const std::string& command : CommandsWithHelp()) {
    CliRun help = RunCli(command + " --help");
    ASSERT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.out.find("示例："), std::string::npos) << command;
    EXPECT_NE(help.out.find("用法: taizhang " + command), std::string::npos) << help.out;
    for (const char* english :
         {"Usage", "Options", "OPTIONS", "Positionals", "SUBCOMMAND", "Subcommands", "REQUIRED",
          "TEXT", "INT", "Excludes", "Print this help"}) {
      EXPECT_EQ(help.out.find(english), std::string::npos) << command << ": " << english << "\n"
                                                           << help.out;
    }
    int of_command = 0;
    size_t at = help.out.find("示例：");
    while (at != std::string::npos &&
           (at = help.out.find("\n  taizhang ", at)) != std::string::npos) {
      size_t end = help.out.find('\n', at + 1);
      const std::string example = help.out.substr(at + 3, end - at - 3);
      at = end;
      ++of_command;
      ++examples;
      const std::string script = (dir_ / "example.sh").string();
      testing::WriteBytes(script, "cd '" + root.string() + "' || exit 99\nPATH='" + bin +
                                      "':$PATH\n" + example + " > /dev/null 2> '" +
                                      (dir_ / "example.err").string() + "'\n");
      int status = std::system(("sh '" + script + "'").c_str());
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      // check exits 1 when the report has errors (the example report has).
      const bool ok = code == 0 || (code == 1 && example.rfind("taizhang check ", 0) == 0);
      EXPECT_TRUE(ok) << example << "\nexit " << code << "\n"
                      << testing::ReadBytes((dir_ / "example.err").string());
    }
    EXPECT_GE(of_command, 2) << command;
    EXPECT_LE(of_command, 3) << command;
  }
  EXPECT_GT(examples, 40);
  EXPECT_TRUE(fs::exists(root / "台账.db"));
  EXPECT_TRUE(fs::exists(root / "台账.xlsx"));
}

// A run over many files on several threads writes exactly what one thread
// writes: each file's part in input order, an unreadable file's message in
// its place on stderr, the same exit code. The real reports of corpus/more
// (text, Word, two PDFs) differ in size, so they finish out of order.
TEST_F(Cli, ParallelRunWritesWhatOneThreadWrites) {
  std::vector<std::string> files;
  int pdfs = 0;
  for (const auto& entry : fs::recursive_directory_iterator(testing::SharedDir() + "/corpus/more")) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".txt" || ext == ".docx") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& entry : fs::directory_iterator(testing::SharedDir() + "/corpus/more/budget")) {
    if (entry.path().extension() == ".pdf" && pdfs < 2 && fs::file_size(entry.path()) < 2000000) {
      files.push_back(entry.path().string());
      ++pdfs;
    }
  }
  ASSERT_GT(files.size(), 40u);
  files.insert(files.begin() + 7, (dir_ / "无此文件.txt").string());
  std::string list;
  for (const std::string& f : files) list += " '" + f + "'";
  for (const char* command : {"check --json", "facts --tsv", "outline", "check --html -o " }) {
    std::string args = command;
    const bool to_file = args.back() == ' ';
    auto run = [&](const char* jobs) {
      const std::string out = (dir_ / (std::string("out-") + jobs)).string();
      CliRun r = RunCli(args + (to_file ? "'" + out + "'" : "") + " " + jobs + list);
      if (to_file) r.out = testing::ReadBytes(out);
      return r;
    };
    CliRun one = run("-j 1");
    CliRun three = run("-j 3");
    EXPECT_EQ(one.exit_code, 5) << command << ": " << one.err.substr(0, 2000);
    EXPECT_EQ(three.exit_code, one.exit_code) << command;
    EXPECT_GT(one.out.size(), 100000u) << command;
    EXPECT_TRUE(one.out == three.out) << command << ": -j 1 and -j 3 differ";
    EXPECT_EQ(one.err, three.err) << command;
    EXPECT_NE(one.err.find("无此文件.txt"), std::string::npos) << one.err.substr(0, 2000);
  }
}

// import analyzes on several threads and stores in input order on its one
// connection: the same messages, the same ledger as one thread, the same
// content twice in one run stored once, an unreadable file in its place.
TEST_F(Cli, ParallelImportStoresInInputOrder) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(testing::SharedDir() + "/corpus/more/county-gwr")) {
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  files.resize(std::min<size_t>(files.size(), 8));
  ASSERT_GE(files.size(), 6u);
  fs::copy_file(files[1], dir_ / "同一内容.txt");
  std::string list;
  for (const std::string& f : files) list += " '" + f + "'";
  list += " " + Path("同一内容.txt") + " " + Path("无此文件.txt");
  auto import = [&](const char* jobs, const std::string& db) {
    CliRun run = RunCli(std::string("import --json --user 张三 ") + jobs + " --db '" + db + "'" + list);
    EXPECT_EQ(run.exit_code, 5) << run.err;
    return run;
  };
  const std::string db1 = (dir_ / "one.db").string(), db3 = (dir_ / "three.db").string();
  CliRun one = import("-j 1", db1);
  CliRun three = import("-j 3", db3);
  EXPECT_EQ(one.err, three.err);
  nlohmann::json a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(three.out);
  ASSERT_EQ(a.dump(), b.dump());
  const std::string listed1 = RunCli("ledger list --review 全部 --db '" + db1 + "'").out;
  EXPECT_EQ(listed1, RunCli("ledger list --review 全部 --db '" + db3 + "'").out);
  EXPECT_GT(listed1.size(), 1000u);
  // The copy is the second file's content: stored once, the copy unchanged.
  EXPECT_NE(one.out.find("unchanged"), std::string::npos) << one.out.substr(0, 2000);
  EXPECT_NE(one.err.find("无此文件.txt"), std::string::npos) << one.err;
  // Again: everything is stored, nothing is analyzed again.
  CliRun again = import("-j 3", db3);
  EXPECT_EQ(again.out.find("\"new\""), std::string::npos) << again.out.substr(0, 2000);
}

// The progress line is for a person at a terminal: never in a pipe or a
// file (tests/progress_line_test.py shows it under a terminal).
TEST_F(Cli, NoProgressLineWhenStderrIsNotATerminal) {
  const std::string seed = "'" + testing::SeedPath() + "'";
  CliRun run = RunCli("check --json " + seed + " " + seed + " " + seed + " " + Path("ok.txt"));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err.find("已完成"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find('\r'), std::string::npos) << run.err;
  EXPECT_TRUE(nlohmann::json::accept(run.out));
}

// -j: a number of threads, 0 for one per core; anything else is a usage error in Chinese.
TEST_F(Cli, JobsOption) {
  EXPECT_EQ(RunCli("outline -j 0 " + Path("ok.txt")).exit_code, 0);
  EXPECT_EQ(RunCli("text --jobs 2 " + Path("ok.txt")).exit_code, 0);
  CliRun bad = RunCli("outline -j 多 " + Path("ok.txt"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("-j"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("应为"), std::string::npos) << bad.err;
}

TEST_F(Cli, OutputFileWrittenWholeOrNotAtAll) {
  std::string target = (dir_ / "out.json").string();
  fs::remove(target);
  CliRun run = RunCli("outline --json -o '" + target + "' " + Path("ok.txt"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(nlohmann::json::accept(testing::ReadBytes(target)));
  EXPECT_TRUE(run.out.empty());
  // An unwritable target: exit 3, nothing left behind.
  CliRun bad = RunCli("outline -o /nonexistent-dir/out.txt " + Path("ok.txt"));
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.err.find("无法写入"), std::string::npos) << bad.err;
}

TEST_F(Cli, FactsAsJsonAndTsv) {
  testing::WriteBytes((dir_ / "facts.txt").string(),
                      "某局2024年工作总结\n一、主要工作\n完成投资XX万元，新建1.24亿方水库2座，增长.9%。\n");
  CliRun run = RunCli("facts --json " + Path("facts.txt"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["command"], "facts");
  const auto& q = j["files"][0]["documents"][0]["quantities"];
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0]["text"], "XX万元");
  EXPECT_EQ(q[0]["placeholder"], true);
  EXPECT_TRUE(q[0]["value"].is_null());
  EXPECT_EQ(q[1]["value"], "124000000");
  EXPECT_EQ(q[1]["unit"], "m³");
  EXPECT_EQ(q[1]["line"], 3);
  EXPECT_EQ(q[2]["text"], "2座");
  EXPECT_EQ(q[3]["malformed"], true);
  CliRun tsv = RunCli("facts --tsv " + Path("facts.txt"));
  ASSERT_EQ(tsv.exit_code, 0);
  EXPECT_EQ(tsv.out.rfind("path\tdocument\tline", 0), 0u) << tsv.out;
  EXPECT_NE(tsv.out.find("\t1.24亿方\t124000000\t\tm³\tvolume\texact\t0\t0\t水库\t\t\t\n"),
            std::string::npos)
      << tsv.out;
  EXPECT_EQ(RunCli("facts --json --tsv " + Path("facts.txt")).exit_code, 2);
}

// Times, enumerations and plan items in JSON and in the other TSV tables.
TEST_F(Cli, FactsTimesEnumerationsAndPlanItems) {
  testing::WriteBytes((dir_ / "plan.txt").string(),
                      "某局2023年工作总结和2024年工作计划\n"
                      "一、2023年工作总结\n"
                      "截至2023年10月底，共发现问题92个，其中已整改87个，整改率为94.56%。\n"
                      "二、2024年工作计划\n"
                      "力争2024年上半年完成甲湖、乙湖、丙湖等3座水库验收，每月调度一次。\n");
  CliRun run = RunCli("facts --json " + Path("plan.txt"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out);
  const auto& doc = j["files"][0]["documents"][0];
  const auto& q = doc["quantities"];
  ASSERT_GE(q.size(), 4u);
  EXPECT_EQ(q[0]["text"], "92个");
  EXPECT_EQ(q[0]["measured"], "发现问题");
  EXPECT_EQ(q[0]["role"], "total");
  EXPECT_EQ(q[1]["role"], "part");
  EXPECT_EQ(q[2]["measured"], "整改率");
  const auto& t = doc["times"];
  ASSERT_GE(t.size(), 3u);
  ASSERT_TRUE(q[0]["time"].is_number());  // 截至2023年10月底
  const auto& as_of = t[q[0]["time"].get<size_t>()];
  EXPECT_EQ(as_of["text"], "截至2023年10月底");
  EXPECT_EQ(as_of["kind"], "as_of");
  EXPECT_EQ(as_of["end"], "2023-10-31");
  const auto& e = doc["enumerations"];
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0]["count"], "3");
  EXPECT_EQ(e[0]["items"], nlohmann::json::array({"甲湖", "乙湖", "丙湖"}));
  EXPECT_EQ(e[0]["open"], true);
  const auto& p = doc["plan_items"];
  ASSERT_EQ(p.size(), 2u) << p.dump();
  EXPECT_EQ(p[0]["strength"], "strive");
  EXPECT_EQ(p[0]["action"], "完成");
  EXPECT_EQ(p[0]["deadline"]["end"], "2024-06-30");
  EXPECT_EQ(p[0]["target"]["text"], "3座");
  EXPECT_EQ(p[0]["assessable"], true);
  EXPECT_EQ(p[1]["recurrence"]["every"], "P1M");

  CliRun times = RunCli("facts --tsv --table times " + Path("plan.txt"));
  ASSERT_EQ(times.exit_code, 0) << times.err;
  EXPECT_EQ(times.out.rfind("path\tdocument\tline\tcolumn\ttext\tkind", 0), 0u) << times.out;
  EXPECT_NE(times.out.find("\t2024年上半年\tdeadline\t\t2024-06-30\t\t0\n"), std::string::npos) << times.out;
  CliRun plan = RunCli("facts --tsv --table plan " + Path("plan.txt"));
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("\tstrive\t\t完成\t"), std::string::npos) << plan.out;
  CliRun enums = RunCli("facts --tsv --table enumerations " + Path("plan.txt"));
  EXPECT_NE(enums.out.find("\t3\t甲湖、乙湖、丙湖\t3\t1\t0\n"), std::string::npos) << enums.out;
  CliRun bad = RunCli("facts --tsv --table nonsense " + Path("plan.txt"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--table"), std::string::npos) << bad.err;
}

// check: compiler-style messages, exit 1 on errors, JSON and HTML, config.
TEST_F(Cli, CheckReportsFindingsAndRelations) {
  testing::WriteBytes((dir_ / "bad.txt").string(),
                      "某局2023年工作总结\n一、主要工作\n"
                      "共发现问题92个，已整改87个，整改率为95.56%。完成投资XX万元，持续抓好D的建设。\n");
  testing::WriteBytes((dir_ / "good.txt").string(),
                      "某局2023年工作总结\n一、主要工作\n共发现问题92个，已整改87个，整改率为94.56%。\n");
  CliRun run = RunCli("check " + Path("bad.txt"));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("bad.txt:3:21: 错误[rate-mismatch]: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("错误[placeholder-number]"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("警告[letter-d-for-party]"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("建议：改为“党”"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("另见 第3行"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("数量关系 1 项（一致 0，不一致 1，无法核对 0）"), std::string::npos) << run.out;

  CliRun good = RunCli("check " + Path("good.txt"));
  EXPECT_EQ(good.exit_code, 0) << good.out;
  EXPECT_NE(good.out.find("错误 0，警告 0，提示 0，占位符 0；数量关系 1 项（一致 1"), std::string::npos) << good.out;

  CliRun json_run = RunCli("check --json " + Path("bad.txt"));
  EXPECT_EQ(json_run.exit_code, 1);
  nlohmann::json j = nlohmann::json::parse(json_run.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["command"], "check");
  const auto& findings = j["files"][0]["findings"];
  ASSERT_GE(findings.size(), 3u);
  EXPECT_EQ(findings[0]["rule"], "rate-mismatch");
  EXPECT_EQ(findings[0]["severity"], "error");
  EXPECT_EQ(findings[0]["line"], 3);
  const auto& relations = j["files"][0]["documents"][0]["relations"];
  ASSERT_EQ(relations.size(), 1u);
  EXPECT_EQ(relations[0]["family"], "rate");
  EXPECT_EQ(relations[0]["status"], "inconsistent");

  CliRun html = RunCli("check --html " + Path("bad.txt"));
  EXPECT_EQ(html.out.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.out.find("<mark id=\"f0\" class=\"error\""), std::string::npos);
  // Each finding's message in the text, right after its mark, and one note per finding.
  EXPECT_NE(
      html.out.find("95.56%</mark><span class=\"note error\">[1] 错误：“整改率95.56%”与数量不符"),
      std::string::npos)
      << html.out;
  size_t notes = 0;
  for (size_t at = html.out.find("<span class=\"note "); at != std::string::npos;
       at = html.out.find("<span class=\"note ", at + 1)) {
    ++notes;
  }
  EXPECT_EQ(notes, findings.size());
  // The figures a finding relates to are marked and link back to it.
  EXPECT_NE(html.out.find("<mark class=\"related\""), std::string::npos);
  EXPECT_NE(html.out.find("<sup class=\"ref\"><a href=\"#f0\">[1]"), std::string::npos);
  // Counts by severity before everything else, the rule's title in the index.
  const size_t counts = html.out.find(
      "<span class=\"badge error\">错误 2</span><span class=\"badge warning\">警告 1</span>");
  ASSERT_NE(counts, std::string::npos) << html.out;
  EXPECT_LT(counts, html.out.find("<ol class=\"findings\">"));
  EXPECT_LT(html.out.find("<ol class=\"findings\">"), html.out.find("<pre>"));
  EXPECT_NE(html.out.find("比率与数量不符（rate-mismatch）"), std::string::npos);
  // The relations checked: counts and a table with each one's status.
  EXPECT_NE(html.out.find("数量关系（1 项：一致 0，不一致 1，无法核对 0）"), std::string::npos);
  EXPECT_NE(html.out.find("<table class=\"relations\">"), std::string::npos);
  EXPECT_NE(html.out.find("<tr class=\"inconsistent\">"), std::string::npos);
  EXPECT_NE(html.out.find("<td class=\"status\">不一致</td>"), std::string::npos);
  EXPECT_NE(html.out.find("@media print"), std::string::npos);

  // A config file switches rules off and changes severities.
  testing::WriteBytes((dir_ / "cfg.json").string(),
                      "{\"rules\": {\"rate-mismatch\": \"warning\", \"placeholder-number\": \"off\"}}");
  CliRun configured = RunCli("check --config " + Path("cfg.json") + " " + Path("bad.txt"));
  EXPECT_EQ(configured.exit_code, 0) << configured.out;
  EXPECT_NE(configured.out.find("警告[rate-mismatch]"), std::string::npos) << configured.out;
  EXPECT_EQ(configured.out.find("placeholder-number"), std::string::npos) << configured.out;
  testing::WriteBytes((dir_ / "bad.json").string(), "{\"rules\": {\"no-such-rule\": \"off\"}}");
  CliRun bad_config = RunCli("check --config " + Path("bad.json") + " " + Path("bad.txt"));
  EXPECT_EQ(bad_config.exit_code, 2);
  EXPECT_NE(bad_config.err.find("没有名为“no-such-rule”的规则"), std::string::npos) << bad_config.err;
  EXPECT_EQ(RunCli("check " + Path("missing.txt")).exit_code, 5);
}

TEST_F(Cli, ForcedEncoding) {
  CliRun run = RunCli("outline --encoding no-such " + Path("ok.txt"));
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_NE(run.err.find("不认识的编码名称"), std::string::npos) << run.err;
}

TEST_F(Cli, ReadsWordAndPdfAndAnnotatesWord) {
  const std::string docx = "'" + testing::SharedDir() + "/corpus/fixtures/seed-compilation.docx'";
  const std::string pdf = "'" + testing::SharedDir() + "/corpus/fixtures/seed-compilation.pdf'";
  CliRun text = RunCli("text " + docx);
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out.substr(0, text.out.find('\n')), "2023年工作总结和2024年工作计划汇编（16篇）");
  CliRun outline = RunCli("outline " + pdf);
  EXPECT_EQ(outline.exit_code, 0) << outline.err;
  EXPECT_NE(outline.out.find("（PDF，"), std::string::npos);
  EXPECT_NE(outline.out.find("16 篇报告"), std::string::npos);
  // --annotate: one Word input, never the input itself, not a text file.
  CliRun written = RunCli("check --annotate " + Path("out.docx") + " " + docx);
  EXPECT_EQ(written.exit_code, 1);
  EXPECT_TRUE(fs::exists(dir_ / "out.docx"));
  CliRun text_input = RunCli("check --annotate " + Path("x.docx") + " " + Path("ok.txt"));
  EXPECT_EQ(text_input.exit_code, 2);
  EXPECT_NE(text_input.err.find(".docx"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "x.docx"));
  CliRun two = RunCli("check --annotate " + Path("y.docx") + " " + docx + " " + docx);
  EXPECT_EQ(two.exit_code, 2);
  fs::copy_file(testing::SharedDir() + "/corpus/fixtures/seed-compilation.docx", dir_ / "own.docx");
  std::string before = testing::ReadBytes((dir_ / "own.docx").string());
  CliRun self = RunCli("check --annotate " + Path("own.docx") + " " + Path("own.docx"));
  EXPECT_EQ(self.exit_code, 3);
  EXPECT_NE(self.err.find("原文件"), std::string::npos);
  EXPECT_EQ(testing::ReadBytes((dir_ / "own.docx").string()), before);
  // A damaged Word file: exit 5 and a message naming it.
  testing::WriteBytes((dir_ / "broken.docx").string(), before.substr(0, before.size() / 3));
  CliRun broken = RunCli("check " + Path("broken.docx"));
  EXPECT_EQ(broken.exit_code, 5);
  EXPECT_NE(broken.err.find("broken.docx"), std::string::npos);
}

// PDF goes through the module taizhang-pdf.so, found beside the executable;
// without it, a PDF is refused with a message saying where it was looked for,
// and the other inputs are still read.
TEST_F(Cli, PdfWithoutItsModuleIsRefusedClearly) {
  const std::string pdf = "'" + testing::SharedDir() + "/corpus/fixtures/seed-compilation.pdf'";
  CliRun run = RunCli("text " + pdf + " " + Path("ok.txt"), "", "TAIZHANG_PDF_MODULE=" + Path("missing.so"));
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_NE(run.err.find("seed-compilation.pdf"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("taizhang-pdf.so"), std::string::npos) << run.err;
  EXPECT_FALSE(run.out.empty());
}

// A PDF read after a scanned one in the same process (one thread): the OCR
// module's poppler-cpp gave back poppler's settings when its document
// closed, and the PDF module, which had set them once, crashed on the next
// page (an import of a folder, a search indexing it). Both are read now.
TEST_F(Cli, PdfAfterAScanInTheSameProcessIsRead) {
  const std::string scan =
      "'" + testing::SharedDir() + "/corpus/more/unit-summary-plan/yulin-commerce_2023_info-disclosure-annual-report_scanned.pdf'";
  const std::string pdf = "'" + testing::SharedDir() + "/corpus/fixtures/seed-compilation.pdf'";
  CliRun run = RunCli("text -j 1 " + scan + " " + pdf);
  // 0, or 5 where this machine cannot recognise the scan: never a crash.
  EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 5) << run.exit_code << " " << run.err;
  EXPECT_NE(run.out.find("2023年工作总结和2024年工作计划汇编（16篇）"), std::string::npos) << run.err;
}

// The PDF module runs on Debian's libstdc++.so while the executable carries
// its own C++ runtime (TAIZHANG_STATIC_DEPS): an exception thrown inside the
// module (here the test-only build of the module, taizhang-pdf-fault.so,
// which throws halfway through the pages) is caught there and comes back as a result, so
// the file is refused with a Chinese message and exit code 5 and the other
// inputs are still read; a truncated PDF likewise.
TEST_F(Cli, PdfThatThrowsInsideTheModuleIsRefusedClearly) {
  const std::string pdf = "'" + testing::SharedDir() + "/corpus/fixtures/seed-compilation.pdf'";
  const std::string fault_module = std::string("TAIZHANG_PDF_MODULE='") + TAIZHANG_PDF_FAULT_MODULE_PATH + "'";
  CliRun thrown = RunCli("text " + pdf + " " + Path("ok.txt"), "", fault_module);
  EXPECT_EQ(thrown.exit_code, 5) << thrown.err;
  EXPECT_NE(thrown.err.find("seed-compilation.pdf：读取 PDF 时模块内部出错（TAIZHANG_PDF_MODULE_FAULT: page "),
            std::string::npos)
      << thrown.err;
  EXPECT_NE(thrown.err.find("），未读取。"), std::string::npos) << thrown.err;
  EXPECT_EQ(thrown.out, "某局2024年工作总结\n一、主要工作\n（一）完成任务。\n");
  CliRun checked = RunCli("check " + pdf, "", fault_module);
  EXPECT_EQ(checked.exit_code, 5) << checked.err;
  EXPECT_NE(checked.err.find("模块内部出错"), std::string::npos) << checked.err;

  const std::string bytes = testing::ReadBytes(testing::SharedDir() + "/corpus/fixtures/seed-compilation.pdf");
  testing::WriteBytes((dir_ / "truncated.pdf").string(), bytes.substr(0, bytes.size() / 3));
  CliRun truncated = RunCli("text " + Path("truncated.pdf") + " " + Path("ok.txt"));
  EXPECT_EQ(truncated.exit_code, 5) << truncated.err;
  EXPECT_NE(truncated.err.find("truncated.pdf：PDF 文件已损坏或被截断，无法读取。"), std::string::npos) << truncated.err;
  EXPECT_EQ(truncated.out, "某局2024年工作总结\n一、主要工作\n（一）完成任务。\n");
}

// The ledger commands end to end on a SQLite file: import, list, add,
// update with a stale version (exit 6), problems submitted and closed off by
// two users, history, rates, Excel out and in, backup and restore, verify.
TEST_F(Cli, LedgerCommands) {
  const std::string db = " --db " + Path("l.db") + " --today 2024-05-01";
  const std::string seed = "'" + testing::SeedPath() + "'";
  CliRun imported = RunCli("import " + seed + db + " --user 张三");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("报告 16 篇"), std::string::npos) << imported.out;
  EXPECT_NE(imported.out.find("待确认 573 项"), std::string::npos) << imported.out;
  EXPECT_NE(RunCli("import " + seed + db).out.find("未改动"), std::string::npos);
  // Proposals count nowhere until accepted.
  EXPECT_TRUE(nlohmann::json::parse(RunCli("ledger list --unit 腾冲市水务局 --json" + db).out)["items"].empty());
  CliRun accepted = RunCli("ledger review accept --all --unit 腾冲市水务局" + db + " --user 张三");
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_NE(accepted.out.find("已确认"), std::string::npos) << accepted.out;
  CliRun listed = RunCli("ledger list --unit 腾冲市水务局 --json" + db);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  auto items = nlohmann::json::parse(listed.out);
  ASSERT_GT(items["items"].size(), 10u);
  bool found = false;
  for (const auto& item : items["items"]) {
    if (item["task"].get<std::string>().find("水源工程招标") != std::string::npos) {
      found = true;
      EXPECT_EQ(item["deadline"], "2024-06-30");
      EXPECT_EQ(item["warning"], "green");
    }
  }
  EXPECT_TRUE(found);

  CliRun added = RunCli("ledger add --unit 县水利局 --task 完成水库除险加固 --target 3座 --deadline 2024-06-30 --json" + db);
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const std::string id = std::to_string(nlohmann::json::parse(added.out)["item"]["id"].get<int64_t>());
  EXPECT_EQ(RunCli("ledger update " + id + " --if-version 1 --deadline 2024-07-31" + db).exit_code, 0);
  CliRun stale = RunCli("ledger update " + id + " --if-version 1 --deadline 2024-08-31" + db + " --user 李四");
  EXPECT_EQ(stale.exit_code, 6);
  EXPECT_NE(stale.err.find("本次修改未保存"), std::string::npos) << stale.err;
  CliRun progress = RunCli("ledger progress " + id + " --value 3 --note 三座完工 --date 2024-04-30" + db);
  EXPECT_EQ(progress.exit_code, 0) << progress.err;
  EXPECT_NE(progress.out.find("已完成"), std::string::npos) << progress.out;
  CliRun bad_date = RunCli("ledger update " + id + " --deadline 2024-02-30" + db);
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_NE(bad_date.err.find("2024-02-30"), std::string::npos);
  CliRun history = RunCli("ledger history " + id + " --json" + db);
  ASSERT_EQ(history.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(history.out)["history"].size(), 3u);

  CliRun problem = RunCli("ledger add --kind problem --unit 县水利局 --task 资金拨付不及时 --source 审计 --found 2024-01-10 "
                          "--deadline 2024-03-31 --json --user 张三" + db);
  ASSERT_EQ(problem.exit_code, 0) << problem.err;
  const std::string pid = std::to_string(nlohmann::json::parse(problem.out)["item"]["id"].get<int64_t>());
  EXPECT_EQ(RunCli("ledger submit " + pid + " --measures 补拨资金 --user 张三" + db).exit_code, 0);
  CliRun self = RunCli("ledger close " + pid + " --user 张三" + db);
  EXPECT_EQ(self.exit_code, 2);
  EXPECT_NE(self.err.find("提交整改者以外"), std::string::npos);
  EXPECT_EQ(RunCli("ledger close " + pid + " --user 李四" + db).exit_code, 0);
  CliRun rates = RunCli("ledger rates --unit 县水利局" + db);
  EXPECT_NE(rates.out.find("100.0%（1/1）"), std::string::npos) << rates.out;

  CliRun exported = RunCli("ledger export --xlsx " + Path("台账.xlsx") + db);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  // The unchanged sheet back into its own ledger changes nothing.
  CliRun same = RunCli("ledger import --xlsx " + Path("台账.xlsx") + db);
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("新增 0 项，更新 0 项"), std::string::npos) << same.out;
  // Into another ledger its 编号 are unknown: refused, unless --as-new.
  CliRun stray = RunCli("ledger import --xlsx " + Path("台账.xlsx") + " --db " + Path("copy.db"));
  EXPECT_EQ(stray.exit_code, 5);
  EXPECT_NE(stray.err.find("在台账中不存在"), std::string::npos) << stray.err;
  // A closed-off problem cannot be copied: a sheet never makes a close-off
  // that no one verified; nothing is imported.
  CliRun forged =
      RunCli("ledger import --as-new --xlsx " + Path("台账.xlsx") + " --db " + Path("copy.db"));
  EXPECT_EQ(forged.exit_code, 5);
  EXPECT_NE(forged.err.find("工作表“问题整改台账”第 4 行“整改状态”列"), std::string::npos)
      << forged.err;
  EXPECT_NE(forged.err.find("不能直接记为已销号"), std::string::npos) << forged.err;
  EXPECT_TRUE(
      nlohmann::json::parse(RunCli("ledger list --json --db " + Path("copy.db")).out)["items"]
          .empty());
  ASSERT_EQ(RunCli("ledger export --kind plan --xlsx " + Path("任务.xlsx") + db).exit_code, 0);
  CliRun reimported =
      RunCli("ledger import --as-new --xlsx " + Path("任务.xlsx") + " --db " + Path("copy.db"));
  ASSERT_EQ(reimported.exit_code, 0) << reimported.err;
  EXPECT_NE(reimported.out.find("新增"), std::string::npos);
  EXPECT_EQ(RunCli("ledger list --json --db " + Path("copy.db")).out.size() > 1000, true);
  // 来源 names the file, not the importing machine's folders.
  const std::string sheet_xml = testing::ZipPart(testing::ReadBytes((dir_ / "台账.xlsx").string()), "xl/sharedStrings.xml");
  EXPECT_NE(sheet_xml.find("000_149dd883a1863841.txt:"), std::string::npos);
  EXPECT_EQ(sheet_xml.find(testing::SharedDir()), std::string::npos);

  EXPECT_EQ(RunCli("backup " + Path("l.bak") + db).exit_code, 0);
  CliRun again = RunCli("backup " + Path("l.bak") + db);
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  EXPECT_EQ(RunCli("backup --force " + Path("l.bak") + db).exit_code, 0);
  EXPECT_EQ(RunCli("ledger add --unit 县水利局 --task 备份后" + db).exit_code, 0);
  CliRun unforced = RunCli("restore " + Path("l.bak") + db);
  EXPECT_EQ(unforced.exit_code, 2);
  EXPECT_NE(unforced.err.find("--force"), std::string::npos) << unforced.err;
  EXPECT_NE(RunCli("ledger list --unit 县水利局" + db).out.find("备份后"), std::string::npos);
  CliRun restored = RunCli("restore --force " + Path("l.bak") + db);
  EXPECT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_NE(restored.err.find("台账事项"), std::string::npos) << restored.err;
  EXPECT_NE(restored.err.find(" → "), std::string::npos) << restored.err;
  EXPECT_EQ(RunCli("ledger list --unit 县水利局" + db).out.find("备份后"), std::string::npos);
  CliRun verified = RunCli("ledger verify" + db);
  EXPECT_EQ(verified.exit_code, 0) << verified.out;

  // A database that cannot be opened: exit 7, the path named.
  fs::create_directories(dir_ / "dir.db");
  CliRun unusable = RunCli("ledger list --db " + Path("dir.db"));
  EXPECT_EQ(unusable.exit_code, 7);
  EXPECT_NE(unusable.err.find("dir.db"), std::string::npos) << unusable.err;
  // A missing item: exit 2.
  EXPECT_EQ(RunCli("ledger show 999999" + db).exit_code, 2);
}

// `ledger review` end to end on the seed compilation: the import says how
// many proposals await review and how to list them; the list shows each with
// its sentence; reject, merge, split, assign and accept do what they say,
// refuse what they must with the documented exit codes; list, rates and
// export see accepted items unless --review asks otherwise; show and
// history tell what happened; verify passes.
TEST_F(Cli, LedgerReviewCommands) {
  const std::string db = " --db " + Path("r.db") + " --today 2024-12-01";
  const std::string seed = "'" + testing::SeedPath() + "'";
  CliRun imported = RunCli("import " + seed + db + " --user 张三");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("待确认 573 项：确认后才计入台账"), std::string::npos) << imported.out;
  EXPECT_NE(imported.out.find("taizhang ledger review list --db "), std::string::npos) << imported.out;

  CliRun text = RunCli("ledger review list --unit 腾冲市水务局 --year 2024" + db);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("腾冲市水务局 2024年：继续推进在建项目建设\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("    原文（" + testing::SeedPath() + ":43）：腾冲灌区项目上半年完成水源工程招标，"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("项待确认。\n确认：taizhang ledger review accept 编号…"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("--all --unit 腾冲市水务局 --year 2024"), std::string::npos) << text.out;
  CliRun listed = RunCli("ledger review list --json --unit 腾冲市水务局 --year 2024" + db);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const nlohmann::json proposals = nlohmann::json::parse(listed.out);
  EXPECT_EQ(proposals["command"], "ledger review list");
  std::map<std::string, int64_t> id_of;
  for (const auto& item : proposals["items"]) {
    EXPECT_EQ(item["review"]["state"], "proposed");
    EXPECT_EQ(item["review"]["label"], "待确认");
    // The task is cut from its source sentence; the checker's safe fixes (D
    // written for 党) are applied to the task only.
    const std::string task = item["task"].get<std::string>(), as_written = testing::AsWritten(task);
    const std::string source = item["source"]["text"].get<std::string>();
    EXPECT_TRUE(source.find(task) != std::string::npos || source.find(as_written) != std::string::npos)
        << task << " | " << source;
    id_of[item["task"].get<std::string>()] = item["id"].get<int64_t>();
  }
  ASSERT_GT(id_of.size(), 30u);
  auto id = [&](const std::string& task) {
    EXPECT_TRUE(id_of.count(task)) << task;
    return std::to_string(id_of[task]);
  };
  const std::string heading = id("继续推进在建项目建设");
  const std::string prior = id("抓实抓细项目前期工作，节点倒排、压实责任");
  const std::string monthly = id("实施项目前期工作月调度");
  const std::string both = id("完成马鹿塘水库蓄水验收、放马场水库竣工验收");
  const std::string tender = id("腾冲灌区项目上半年完成水源工程招标");

  CliRun no_reason = RunCli("ledger review reject " + heading + db);
  EXPECT_EQ(no_reason.exit_code, 2);
  EXPECT_NE(no_reason.err.find("--reason"), std::string::npos) << no_reason.err;
  CliRun rejected = RunCli("ledger review reject " + heading + " --reason 是标题，不是任务 --user 李四" + db);
  ASSERT_EQ(rejected.exit_code, 0) << rejected.err;
  EXPECT_EQ(rejected.out, "已驳回 1 项：编号 " + heading + "（版本 2）。\n");
  CliRun accept_rejected = RunCli("ledger review accept " + heading + db);
  EXPECT_EQ(accept_rejected.exit_code, 2);
  EXPECT_NE(accept_rejected.err.find("已驳回（理由：是标题，不是任务），不是待确认的事项"), std::string::npos)
      << accept_rejected.err;
  CliRun unknown = RunCli("ledger review accept 999999" + db);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("999999"), std::string::npos) << unknown.err;

  CliRun merged = RunCli("ledger review merge " + prior + " " + monthly + db);
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_NE(merged.out.find("已合并：编号 " + monthly + " 并入编号 " + prior + "（已确认，版本 2）"),
            std::string::npos)
      << merged.out;
  const nlohmann::json housing_items =
      nlohmann::json::parse(RunCli("ledger review list --json --unit 县住建局 --limit 1" + db).out)["items"];
  ASSERT_EQ(housing_items.size(), 1u);
  CliRun across = RunCli("ledger review merge " + tender + " " +
                         std::to_string(housing_items[0]["id"].get<int64_t>()) + db);
  EXPECT_EQ(across.exit_code, 2);
  EXPECT_NE(across.err.find("责任单位不同（“腾冲市水务局”与“县住建局”），不能合并"), std::string::npos)
      << across.err;

  CliRun split = RunCli("ledger review split " + both + " --task 完成马鹿塘水库蓄水验收 --task 完成放马场水库竣工验收 --json" + db);
  ASSERT_EQ(split.exit_code, 0) << split.err;
  const nlohmann::json parts = nlohmann::json::parse(split.out)["items"];
  ASSERT_EQ(parts.size(), 2u);
  const std::string part1 = std::to_string(parts[0]["id"].get<int64_t>());
  const std::string part2 = std::to_string(parts[1]["id"].get<int64_t>());
  EXPECT_EQ(parts[0]["review"]["split_from"].get<int64_t>(), id_of["完成马鹿塘水库蓄水验收、放马场水库竣工验收"]);
  EXPECT_EQ(parts[1]["deadline"], "2024-12-31");
  CliRun one_task = RunCli("ledger review split " + tender + " --task 只有一项" + db);
  EXPECT_EQ(one_task.exit_code, 2);
  EXPECT_NE(one_task.err.find("至少要给出两项任务"), std::string::npos) << one_task.err;

  CliRun assigned = RunCli("ledger review assign " + part1 + " " + part2 +
                           " --lead 腾冲市水务局工程建设股 --support 腾冲市财政局、腾冲市自然资源局 --owner 王五" + db);
  ASSERT_EQ(assigned.exit_code, 0) << assigned.err;
  // Version 1 was read before the assignment: refused, exit 6.
  CliRun stale = RunCli("ledger review accept " + part1 + " " + part2 + " --if-version 1 --if-version 1" + db);
  EXPECT_EQ(stale.exit_code, 6) << stale.err;
  EXPECT_NE(stale.err.find("本次修改未保存"), std::string::npos) << stale.err;
  CliRun miscounted = RunCli("ledger review accept " + part1 + " " + part2 + " --if-version 2" + db);
  EXPECT_EQ(miscounted.exit_code, 2);
  EXPECT_NE(miscounted.err.find("每个编号一个"), std::string::npos) << miscounted.err;
  EXPECT_EQ(RunCli("ledger review accept " + part1 + " " + part2 + " --if-version 2 --if-version 2" + db).exit_code,
            0);
  CliRun progress = RunCli("ledger progress " + tender + " --note 已招标" + db);
  EXPECT_EQ(progress.exit_code, 2);
  EXPECT_NE(progress.err.find("ledger review accept " + tender), std::string::npos) << progress.err;

  EXPECT_EQ(RunCli("ledger review accept --all" + db).exit_code, 2);
  EXPECT_EQ(RunCli("ledger review accept " + tender + " --all --unit 腾冲市水务局" + db).exit_code, 2);
  CliRun all = RunCli("ledger review accept --all --unit 腾冲市水务局 --year 2024" + db);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find(" 等。"), std::string::npos) << all.out;
  EXPECT_NE(RunCli("ledger review accept --all --unit 腾冲市水务局" + db).out.find("没有待确认的事项"),
            std::string::npos);

  // What counts: every proposal of the unit less the rejected one, the one
  // merged away and the one split (replaced by its two parts).
  const size_t accepted = id_of.size() - 3 + 2;
  const nlohmann::json water = nlohmann::json::parse(RunCli("ledger list --json --unit 腾冲市水务局" + db).out);
  EXPECT_EQ(water["items"].size(), accepted);
  CliRun plain = RunCli("ledger list --unit 腾冲市水务局" + db);
  EXPECT_EQ(plain.out.find("确认"), std::string::npos) << plain.out;  // no column when all are accepted
  CliRun gone = RunCli("ledger list --review 已驳回" + db);
  ASSERT_EQ(gone.exit_code, 0) << gone.err;
  EXPECT_NE(gone.out.find(" 确认 "), std::string::npos) << gone.out;
  EXPECT_NE(gone.out.find("已驳回"), std::string::npos) << gone.out;
  EXPECT_NE(gone.out.find("共 1 项"), std::string::npos) << gone.out;
  EXPECT_NE(RunCli("ledger list --review merged" + db).out.find("共 1 项"), std::string::npos);
  CliRun bad_review = RunCli("ledger list --review 待定" + db);
  EXPECT_EQ(bad_review.exit_code, 2);
  EXPECT_NE(bad_review.err.find("--review 的值“待定”"), std::string::npos) << bad_review.err;
  CliRun rates = RunCli("ledger rates --json --unit 腾冲市水务局" + db);
  EXPECT_EQ(nlohmann::json::parse(rates.out)["rates"][0]["tasks"].get<size_t>(), accepted);
  CliRun housing = RunCli("ledger rates --json --unit 县住建局" + db);
  EXPECT_EQ(nlohmann::json::parse(housing.out)["rates"][0]["tasks"], 0);
  CliRun housing_proposed = RunCli("ledger rates --json --unit 县住建局 --review 待确认" + db);
  EXPECT_GT(nlohmann::json::parse(housing_proposed.out)["rates"][0]["tasks"].get<int>(), 10);
  CliRun exported = RunCli("ledger export --xlsx " + Path("审核后.xlsx") + db);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.err.find("已导出 " + std::to_string(accepted) + " 项"), std::string::npos) << exported.err;
  CliRun everything = RunCli("ledger export --review 全部 --xlsx " + Path("全部.xlsx") + db);
  EXPECT_NE(everything.err.find("已导出 575 项"), std::string::npos) << everything.err;  // 573 + 2 parts
  // The sheet carries the new columns, and goes back in unchanged.
  const std::string strings =
      testing::ZipPart(testing::ReadBytes((dir_ / "审核后.xlsx").string()), "xl/sharedStrings.xml");
  for (const char* text : {"牵头单位", "配合单位", "责任人", "腾冲市水务局工程建设股", "腾冲市财政局、腾冲市自然资源局"}) {
    EXPECT_NE(strings.find(text), std::string::npos) << text;
  }
  CliRun back = RunCli("ledger import --xlsx " + Path("审核后.xlsx") + db);
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_NE(back.out.find("新增 0 项，更新 0 项"), std::string::npos) << back.out;

  CliRun shown = RunCli("ledger show " + part1 + db);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  for (const std::string& line :
       {std::string("牵头单位：腾冲市水务局工程建设股\n"), std::string("配合单位：腾冲市财政局、腾冲市自然资源局\n"),
        std::string("责任人：王五\n"), "确认：已确认（由编号 " + both + " 拆分而来）",
        std::string("原文：年内完成向阳水库主体工程建设，")}) {
    EXPECT_NE(shown.out.find(line), std::string::npos) << line << "\n" << shown.out;
  }
  EXPECT_EQ(RunCli("ledger update " + part1 + " --owner 赵六 --support ''" + db).exit_code, 0);
  const nlohmann::json updated = nlohmann::json::parse(RunCli("ledger show --json " + part1 + db).out)["item"];
  EXPECT_EQ(updated["responsible_person"], "赵六");
  EXPECT_TRUE(updated["support_units"].empty());
  EXPECT_EQ(updated["lead_unit"], "腾冲市水务局工程建设股");
  CliRun history = RunCli("ledger history " + prior + db);
  EXPECT_NE(history.out.find("合并（保留此项）"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("确认状态：待确认 → 已确认"), std::string::npos) << history.out;
  CliRun rejected_history = RunCli("ledger history " + heading + db);
  EXPECT_NE(rejected_history.out.find("李四  驳回"), std::string::npos) << rejected_history.out;
  EXPECT_NE(rejected_history.out.find("驳回理由：（空） → 是标题，不是任务"), std::string::npos)
      << rejected_history.out;
  CliRun verified = RunCli("ledger verify" + db);
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
}

// A backup with a trigger that would mass-edit items on every later update:
// restore refuses it (exit 7, the trigger named), the database file is byte
// for byte as it was and no temporary copy is left beside it.
TEST_F(Cli, RestoreRefusesAForeignBackupAndChangesNothing) {
  const std::string db = " --user 张三 --db " + Path("t.db");
  ASSERT_EQ(RunCli("ledger add --unit 县水利局 --task 河道清淤" + db).exit_code, 0);
  ASSERT_EQ(RunCli("ledger add --unit 县水利局 --task 农村饮水安全" + db).exit_code, 0);
  ASSERT_EQ(RunCli("backup " + Path("b.bak") + db).exit_code, 0);
  {
    auto backup = ledger_internal::OpenSqlite((dir_ / "b.bak").string());
    ASSERT_TRUE(backup.ok()) << backup.status().message();
    ASSERT_TRUE(
        (*backup)
            ->ExecuteScript("CREATE TRIGGER mass_edit AFTER UPDATE ON ledger_items BEGIN "
                            "UPDATE ledger_items SET task = '篡改' WHERE task <> '篡改'; END")
            .ok());
  }
  ASSERT_EQ(RunCli("ledger list" + db).exit_code, 0);
  const std::string before = testing::ReadBytes((dir_ / "t.db").string());
  CliRun refused = RunCli("restore --force " + Path("b.bak") + db);
  EXPECT_EQ(refused.exit_code, 7) << refused.err;
  EXPECT_NE(refused.err.find("多余的触发器 mass_edit"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("未恢复"), std::string::npos) << refused.err;
  EXPECT_EQ(testing::ReadBytes((dir_ / "t.db").string()), before);
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".taizhang-"), std::string::npos)
        << entry.path();
  }
  CliRun list = RunCli("ledger list" + db);
  EXPECT_NE(list.out.find("河道清淤"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("篡改"), std::string::npos) << list.out;
}

// verify and backup print the history's chain head; verify --head checks a
// head written down before; a head that is no head is a usage error; an
// item changed behind the store's back fails verify with exit 7.
TEST_F(Cli, VerifyAndBackupPrintTheChainHead) {
  const std::string db = " --db " + Path("h.db");
  ASSERT_EQ(RunCli("ledger add --unit 县水利局 --task 完成水库除险加固" + db).exit_code, 0);
  CliRun json_run = RunCli("ledger verify --json" + db);
  ASSERT_EQ(json_run.exit_code, 0) << json_run.out << json_run.err;
  const nlohmann::json report = nlohmann::json::parse(json_run.out);
  EXPECT_TRUE(report["consistent"].get<bool>());
  const std::string head = report["head"]["text"].get<std::string>();
  EXPECT_EQ(head.rfind("1:", 0), 0u) << head;
  CliRun text = RunCli("ledger verify" + db);
  EXPECT_NE(text.out.find("历史链头：" + head), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("一致，未发现问题"), std::string::npos) << text.out;
  CliRun backup = RunCli("backup " + Path("h.bak") + db);
  EXPECT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.err.find("历史链头：" + head), std::string::npos) << backup.err;

  ASSERT_EQ(RunCli("ledger update 1 --deadline 2024-12-31" + db).exit_code, 0);
  EXPECT_EQ(RunCli("ledger verify --head " + head + db).exit_code, 0);
  CliRun bad = RunCli("ledger verify --head 1:abc" + db);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--head"), std::string::npos) << bad.err;
  CliRun forged = RunCli("ledger verify --head 1:" + std::string(64, '0') + db);
  EXPECT_EQ(forged.exit_code, 7);
  EXPECT_NE(forged.out.find("与历史不符"), std::string::npos) << forged.out;
}

// Every date option refuses what is no date, naming the option and value.
TEST_F(Cli, LedgerDateOptionsAreValidated) {
  const std::string db = " --db " + Path("d.db");
  ASSERT_EQ(RunCli("ledger add --unit 县水利局 --task 任务" + db).exit_code, 0);
  const std::pair<std::string, std::string> runs[] = {
      {"ledger list --today ", "--today"},
      {"ledger add --unit 县水利局 --task 另一项 --deadline ", "--deadline"},
      {"ledger add --kind problem --unit 县水利局 --task 问题 --found ", "--found"},
      {"ledger update 1 --deadline ", "--deadline"},
      {"ledger progress 1 --note 进展 --date ", "--date"},
      {"ledger rates --from ", "--from"},
      {"ledger rates --to ", "--to"},
      {"import " + Path("ok.txt") + " --today ", "--today"}};
  for (const auto& [command, option] : runs) {
    for (const char* value : {"banana", "2025-02-30"}) {
      SCOPED_TRACE(command + value);
      CliRun run = RunCli(command + value + db);
      EXPECT_EQ(run.exit_code, 2);
      EXPECT_NE(run.err.find(option + " 的值“" + value + "”不是有效日期"), std::string::npos) << run.err;
    }
  }
  EXPECT_EQ(RunCli("ledger list --tz Mars/Olympus" + db).exit_code, 2);
}

// History in text: Chinese field names and values, times in the user's
// zone; in JSON the stored keys, values and UTC times.
TEST_F(Cli, LedgerHistoryInChineseAndLocalTime) {
  const std::string db = " --db " + Path("h.db") + " --today 2025-05-01";
  ASSERT_EQ(RunCli("ledger add --unit 浙江省人民政府 --task 筹建保障性租赁住房 --target 3.2万套 --deadline 2025-12-31" + db)
                .exit_code, 0);
  CliRun progress = RunCli("ledger progress 1 --value 3.3万套 --date 2025-04-30" + db);
  ASSERT_EQ(progress.exit_code, 0) << progress.err;
  EXPECT_NE(progress.out.find("已完成"), std::string::npos) << progress.out;
  CliRun wrong = RunCli("ledger progress 1 --value 3亿元" + db);
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("“套”"), std::string::npos) << wrong.err;
  CliRun text = RunCli("ledger history 1" + db);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("状态：未启动 → 已完成"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("完成时限：2025-12-31"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("\"status\""), std::string::npos) << text.out;
  CliRun json = RunCli("ledger history 1 --json" + db);
  auto history = nlohmann::json::parse(json.out)["history"];
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1]["after"]["status"], "done");
  const std::string at = history[0]["at"];
  ASSERT_EQ(at.size(), 20u);
  EXPECT_EQ(at.back(), 'Z');
  // The same moment in two zones, eight hours apart.
  CliRun utc = RunCli("ledger history 1 --tz UTC" + db);
  EXPECT_EQ(utc.out.substr(0, 19), at.substr(0, 10) + " " + at.substr(11, 8));
  CliRun shanghai = RunCli("ledger history 1" + db, "", "TAIZHANG_TZ=Asia/Shanghai");
  EXPECT_NE(shanghai.out.substr(0, 19), utc.out.substr(0, 19));
  // A unit named by its place; an unknown one, with the nearest names.
  EXPECT_NE(RunCli("ledger list --unit 浙江省" + db).out.find("浙江省人民政府"), std::string::npos);
  CliRun nowhere = RunCli("ledger list --unit 浙江人民政府办公厅" + db);
  EXPECT_EQ(nowhere.exit_code, 2);
  EXPECT_NE(nowhere.err.find("最接近的有：浙江省人民政府"), std::string::npos) << nowhere.err;
}

// `compare` end to end: the Beijing pair in every output format, a seed
// unit's ledger items against a summary, --across, and the usage errors.
TEST_F(Cli, CompareFormats) {
  const std::string plan = "'" + testing::SharedDir() + "/corpus/docx/2025年北京市政府工作报告.docx'";
  const std::string result = "'" + testing::SharedDir() + "/corpus/pairs/2026_北京市_政府工作报告.txt'";
  CliRun text = RunCli("compare " + plan + " " + result);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("目标年度：2025"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("合计：超过目标 2，达到目标 1，未达目标 1，未报告 2，无法判定 1"),
            std::string::npos)
      << text.out;

  CliRun json_run = RunCli("compare --json " + plan + " " + result);
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  nlohmann::json j = nlohmann::json::parse(json_run.out);
  EXPECT_EQ(j["schema_version"], 1);
  ASSERT_EQ(j["pairs"].size(), 1u);
  const nlohmann::json& items = j["pairs"][0]["items"];
  ASSERT_EQ(items.size(), 7u);  // 6 主要预期目标 clauses and 蔬菜产量 of the work plan
  EXPECT_EQ(items[0]["verdict"], "exceeded");
  EXPECT_EQ(items[0]["target"]["figure"]["value"], "5");
  EXPECT_EQ(items[0]["evidence"][0]["figure"]["value"], "5.4");
  EXPECT_EQ(items[0]["evidence"][0]["line"], 20);
  EXPECT_EQ(items[2]["target"]["direction"], "ceiling");
  EXPECT_EQ(j["pairs"][0]["tolerance"]["about_points"], "0.2");

  // A wider tolerance turns 5.4% against 5%左右 into met.
  CliRun loose = RunCli("compare --json --tolerance 0.5 " + plan + " " + result);
  EXPECT_EQ(nlohmann::json::parse(loose.out)["pairs"][0]["items"][0]["verdict"], "met");

  CliRun html = RunCli("compare --html " + plan + " " + result);
  ASSERT_EQ(html.exit_code, 0);
  EXPECT_NE(html.out.find("<table>"), std::string::npos);
  EXPECT_NE(html.out.find("超过目标"), std::string::npos);

  CliRun xlsx = RunCli("compare --xlsx " + Path("对标.xlsx") + " " + plan + " " + result);
  ASSERT_EQ(xlsx.exit_code, 0) << xlsx.err;
  std::string book = testing::ReadBytes((dir_ / "对标.xlsx").string());
  std::string strings = testing::ZipPart(book, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("超过目标"), std::string::npos);
  EXPECT_NE(strings.find("居民消费价格总体平稳"), std::string::npos);
  // Into a directory that does not exist: exit 3, nothing written.
  CliRun nowhere = RunCli("compare --xlsx " + Path("无此目录/对标.xlsx") + " " + plan + " " + result);
  EXPECT_EQ(nowhere.exit_code, 3);
  EXPECT_NE(nowhere.err.find("目录不存在"), std::string::npos) << nowhere.err;
  EXPECT_FALSE(fs::exists(dir_ / "无此目录"));
}

TEST_F(Cli, CompareLedgerItemsAndAcrossUnits) {
  const std::string seed = "'" + testing::SeedPath() + "'";
  const std::string summary =
      "'" + testing::SourceDir() + "/tests/data/compare/淮阴区卫生健康委员会2024年工作总结和2025年工作计划.txt'";
  const std::string db = " --db " + Path("c.db");
  ASSERT_EQ(RunCli("import " + seed + db + " --user 张三").exit_code, 0);
  // Proposals are no tasks yet: compare finds none until they are accepted.
  CliRun unreviewed =
      RunCli("compare --json --ledger --unit 淮阴区卫生健康委员会 --year 2024" + db + " " + summary);
  EXPECT_EQ(unreviewed.exit_code, 2);
  EXPECT_NE(unreviewed.err.find("没有“淮阴区卫生健康委员会”2024 年的工作任务"), std::string::npos)
      << unreviewed.err;
  ASSERT_EQ(RunCli("ledger review accept --all --unit 淮阴区卫生健康委员会 --year 2024" + db + " --user 张三")
                .exit_code,
            0);
  CliRun ledger = RunCli("compare --json --ledger --unit 淮阴区卫生健康委员会 --year 2024" + db + " " + summary);
  ASSERT_EQ(ledger.exit_code, 0) << ledger.err;
  nlohmann::json j = nlohmann::json::parse(ledger.out);
  int missed = 0, exceeded = 0;
  for (const auto& item : j["pairs"][0]["items"]) {
    EXPECT_EQ(item["target"]["source"], "ledger_item");
    EXPECT_FALSE(item["target"]["ledger_id"].is_null());
    if (item["target"]["text"] == "拟新补充各类卫生人才100名") {
      EXPECT_EQ(item["verdict"], "missed");
      EXPECT_EQ(item["evidence"][0]["figure_text"], "86名");
    }
    missed += item["verdict"] == "missed";
    exceeded += item["verdict"] == "exceeded";
  }
  EXPECT_GE(missed, 1);
  EXPECT_GE(exceeded, 2);
  EXPECT_EQ(RunCli("compare --ledger --year 2024" + db + " " + summary).exit_code, 2);
  CliRun none = RunCli("compare --ledger --unit 无此单位 --year 2024" + db + " " + summary);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("无此单位"), std::string::npos);

  CliRun across = RunCli("compare --across 整改率 " + seed);
  ASSERT_EQ(across.exit_code, 0) << across.err;
  EXPECT_NE(across.out.find("区审计局"), std::string::npos) << across.out;
  EXPECT_NE(across.out.find("94.56%"), std::string::npos) << across.out;
  nlohmann::json rows = nlohmann::json::parse(RunCli("compare --json --across 整改率 " + seed).out)["rows"];
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) EXPECT_EQ(row["figure"]["unit"], "%");
}

TEST_F(Cli, CompareUsageAndInputErrors) {
  const std::string result = "'" + testing::SharedDir() + "/corpus/pairs/2026_北京市_政府工作报告.txt'";
  CliRun one = RunCli("compare " + result);
  EXPECT_EQ(one.exit_code, 2);
  EXPECT_NE(one.err.find("需要两个文件"), std::string::npos) << one.err;
  CliRun missing = RunCli("compare " + Path("无此计划.txt") + " " + result);
  EXPECT_EQ(missing.exit_code, 5);
  EXPECT_NE(missing.err.find("无此计划.txt"), std::string::npos) << missing.err;
  CliRun binary = RunCli("compare " + Path("binary.txt") + " " + result);
  EXPECT_EQ(binary.exit_code, 5);
  EXPECT_TRUE(binary.out.empty());
  EXPECT_EQ(RunCli("compare --tolerance abc " + result + " " + result).exit_code, 2);
  EXPECT_EQ(RunCli("compare --min-score 2 " + result + " " + result).exit_code, 2);
  // A report compared with itself finds its own plan sentence excluded: the
  // 2026 targets are not results of 2026.
  CliRun self = RunCli("compare --json " + result + " " + result);
  ASSERT_EQ(self.exit_code, 0) << self.err;
  nlohmann::json self_json = nlohmann::json::parse(self.out);
  for (const auto& item : self_json["pairs"][0]["items"]) {
    EXPECT_TRUE(item["verdict"] == "not_reported" || item["verdict"] == "not_mentioned" || item["verdict"] == "unclear")
        << item.dump();
  }
}

// Inputs are regular files (or -): a FIFO without a writer is refused at
// once, never waited on; a device is refused before a byte is read.
TEST_F(Cli, FifosAndDevicesAreRefusedNotWaitedOn) {
  const fs::path fifo = dir_ / "管道";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  CliRun run = RunCli("check '" + fifo.string() + "' " + Path("ok.txt"), "", "timeout 20");
  EXPECT_EQ(run.exit_code, 5) << run.err;
  EXPECT_NE(run.err.find("管道：这是管道，不是普通文件"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("ok.txt"), std::string::npos) << "the other file is still checked: " << run.out;
  CliRun device = RunCli("text /dev/zero", "", "timeout 20");
  EXPECT_EQ(device.exit_code, 5) << device.err;
  EXPECT_NE(device.err.find("/dev/zero：这是字符设备"), std::string::npos) << device.err;
}

// A newline or escape character in a file name is escaped wherever the name
// is printed, so `file:line:column` stays one line and the terminal is safe.
TEST_F(Cli, ControlCharactersInFileNamesAreEscaped) {
  const std::string odd = (dir_ / "第一行\n第二行\x1b[31m.txt").string();
  testing::WriteBytes(odd, testing::ReadBytes(testing::SourceDir() +
                                              "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt"));
  const std::string bad = (dir_ / "坏\t文件\n.bin").string();
  testing::WriteBytes(bad, std::string("\x7F" "ELF\0\0\1\2", 8));
  // The shell gets the names through environment variables.
  CliRun run = RunCli("check \"$ODD\" \"$BAD\"", "", "ODD='" + odd + "' BAD='" + bad + "';");
  EXPECT_EQ(run.exit_code, 5) << run.err;
  EXPECT_NE(run.err.find("坏\\t文件\\n.bin：不是 taizhang 能读取的文件"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find('\x1b'), std::string::npos);
  // Every diagnostic names the file as one line.
  size_t located = 0;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    if (line.find("第二行") == std::string::npos) continue;
    EXPECT_NE(line.find("第一行\\n第二行\\x1B[31m.txt"), std::string::npos) << line;
    located += line.find("第一行\\n第二行\\x1B[31m.txt:") != std::string::npos;
  }
  EXPECT_GE(located, 5u) << run.out;
}

// No output replaces an input: the same path, ./path, a hard link or a
// symbolic link to it are all refused, and the input stays as it was.
TEST_F(Cli, OutputsNeverReplaceAnInput) {
  const std::string input = (dir_ / "ok.txt").string();
  const std::string original = testing::ReadBytes(input);
  fs::create_hard_link(input, dir_ / "hard.txt");
  fs::create_symlink(input, dir_ / "soft.txt");
  for (const std::string& out : {input, (dir_ / "." / "ok.txt").string(), (dir_ / "hard.txt").string(),
                                (dir_ / "soft.txt").string()}) {
    CliRun run = RunCli("outline " + Path("ok.txt") + " -o '" + out + "'");
    EXPECT_EQ(run.exit_code, 3) << out << ": " << run.err;
    EXPECT_NE(run.err.find("就是输入文件"), std::string::npos) << run.err;
    EXPECT_EQ(testing::ReadBytes(input), original) << out;
  }
  // The ledger database is an input of every ledger command.
  const std::string db = (dir_ / "台账.db").string();
  ASSERT_EQ(RunCli("import --db '" + db + "' " + Path("ok.txt")).exit_code, 0);
  const std::string stored = testing::ReadBytes(db);
  EXPECT_EQ(RunCli("ledger list --db '" + db + "' -o '" + db + "'").exit_code, 3);
  EXPECT_EQ(RunCli("ledger export --db '" + db + "' --xlsx '" + db + "'").exit_code, 3);
  EXPECT_EQ(RunCli("backup --force --db '" + db + "' '" + db + "'").exit_code, 3);
  EXPECT_EQ(RunCli("ledger verify --db '" + db + "'").exit_code, 0);
  // A run that writes elsewhere leaves no temporary file behind.
  ASSERT_EQ(RunCli("outline " + Path("ok.txt") + " -o " + Path("提纲.txt")).exit_code, 0);
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".taizhang-"), std::string::npos) << entry.path();
  }
}

// A plan whose one sentence is over 200,000 bytes: the plan item's sentence
// (its ledger item's source text) is one value over a limit of 200,000.
// (A long file of short sentences is no longer too large: the store keeps
// a file as rows, no value holds the whole file.)
std::string OneLongSentence() {
  std::string text = "某县水利局2025年工作计划\n\n一、2025年工作计划\n\n（一）加快水库建设。6月底前完成";
  while (text.size() < 300000) text += "水库除险加固、河道清淤疏浚、";
  return text + "工程。\n";
}

// A file too large for the database fails alone: the files after it are
// still imported, the database stays usable, and the exit code is 5 (an
// input problem), not 7 (database unusable).
TEST_F(Cli, OneFileTooLargeToStoreNeverStopsTheOthers) {
  const std::string db = (dir_ / "台账.db").string();
  const std::string big = (dir_ / "大.txt").string();
  testing::WriteBytes(big, OneLongSentence());
  CliRun run = RunCli("import --db '" + db + "' '" + big + "' " + Path("ok.txt"), "",
                      "TAIZHANG_SQLITE_MAX_BYTES=200000");
  EXPECT_EQ(run.exit_code, 5) << run.err;
  EXPECT_NE(run.err.find("超过数据库单个值的上限"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("ok.txt：已导入"), std::string::npos) << run.out;
  CliRun verify = RunCli("ledger verify --db '" + db + "'");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// `import --batch`: several files per transaction, each still all or
// nothing. A malformed file and a file too large for the database in the
// middle of a batch fail alone (exit code 5, as without --batch); the
// others of the batch are stored, the history verifies, and a second run
// finds them unchanged.
TEST_F(Cli, BatchImportStoresTheOthersWhenOneFileFails) {
  const std::string db = (dir_ / "台账.db").string();
  testing::WriteBytes((dir_ / "大.txt").string(), OneLongSentence());
  for (const char* unit : {"甲", "丙"}) {
    testing::WriteBytes((dir_ / (std::string(unit) + ".txt")).string(),
                        std::string(unit) + "县水利局2025年工作计划\n\n一、2025年工作计划\n\n（一）加快水库建设。"
                                            "6月底前完成水库除险加固工程。\n");
  }
  const std::string files = Path("甲.txt") + " " + Path("binary.txt") + " " + Path("大.txt") + " " + Path("ok.txt") +
                            " " + Path("丙.txt");
  CliRun run = RunCli("import --batch 10 --db '" + db + "' " + files, "", "TAIZHANG_SQLITE_MAX_BYTES=200000");
  EXPECT_EQ(run.exit_code, 5) << run.err;
  EXPECT_NE(run.err.find("binary.txt"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("超过数据库单个值的上限"), std::string::npos) << run.err;
  for (const char* name : {"甲.txt：已导入", "ok.txt：已导入", "丙.txt：已导入"}) {
    EXPECT_NE(run.out.find(name), std::string::npos) << name << "\n" << run.out;
  }
  EXPECT_EQ(run.out.find("大.txt"), std::string::npos) << run.out;
  CliRun verify = RunCli("ledger verify --db '" + db + "'");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  // Stored, all three: a second run (batches of 2) changes nothing; the big
  // file, without the limit, is stored now.
  CliRun again = RunCli("import --batch 2 --json --db '" + db + "' " + files);
  EXPECT_EQ(again.exit_code, 5) << again.err;  // binary.txt still
  nlohmann::json j = nlohmann::json::parse(again.out);
  int unchanged = 0, added = 0;
  for (const auto& f : j["files"]) {
    if (f.value("outcome", "") == "unchanged") ++unchanged;
    if (f.value("outcome", "") == "new") ++added;
  }
  EXPECT_EQ(unchanged, 3) << again.out;
  EXPECT_EQ(added, 1) << again.out;
  EXPECT_EQ(RunCli("ledger verify --db '" + db + "'").exit_code, 0);
  EXPECT_NE(RunCli("import --batch 0 --db '" + db + "' " + Path("ok.txt")).exit_code, 0);
}

// Content nested deeper than the reader follows is reported, never
// dropped silently; the rest of the document is read.
TEST_F(Cli, TooDeepContentIsReportedNotDroppedSilently) {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "<w:sdt><w:sdtContent>";
  deep += "<w:p><w:r><w:t>深处的段落。</w:t></w:r></w:p>";
  for (int i = 0; i < 300; ++i) deep += "</w:sdtContent></w:sdt>";
  const std::string path = (dir_ / "深.docx").string();
  testing::WriteBytes(path, testing::MakeDocx({"<w:p><w:r><w:t>浅处的段落。</w:t></w:r></w:p>" + deep, "", "", ""}));
  CliRun run = RunCli("text '" + path + "'");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "浅处的段落。\n");
  EXPECT_NE(run.err.find("警告：" + path + "：部分内容的 XML 嵌套超过 256 层，这部分未读取。"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace taizhang
