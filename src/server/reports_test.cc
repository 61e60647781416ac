// Reports through the API (api_reports.cc), on SQLite and on PostgreSQL: the
// seed compilation uploaded and imported as a job, listed as one file of 16
// reports, one report's findings against `check --json`, the check page
// against `check --html`, the annotated Word file, the scope of a 填报员,
// bad input refused with nothing stored, and a second import that adds
// nothing.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/app.h"
#include "output/check_output.h"
#include "output/ledger_output.h"
#include "pipeline/pipeline.h"
#include "server/server_test_util.h"
#include "tests/test_util.h"

namespace taizhang::server_test {
namespace {

using nlohmann::json;

std::string SeedText() { return testing::SharedDir() + "/corpus/seed/000_149dd883a1863841.txt"; }
std::string SeedDocx() { return testing::SharedDir() + "/corpus/fixtures/seed-compilation.docx"; }

Reply Upload(const LiveServer& server, const Session& s, const std::string& bytes) {
  return Http(server.address(), "POST", "/api/v1/files", bytes, s.token, s.csrf, "application/octet-stream");
}

// Starts an import and polls its job until it ends; the job's JSON.
json ImportAndWait(const LiveServer& server, const Session& s, const std::string& hash, const std::string& name) {
  Reply created = server.Send(s, "POST", "/api/v1/reports", json{{"file", hash}, {"name", name}});
  EXPECT_EQ(created.status, 202) << created.body;
  if (created.status != 202) return json();
  EXPECT_EQ(created.headers["location"], "/api/v1/jobs/" + created.Json()["id"].get<std::string>());
  const std::string id = created.Json()["id"];
  json job;
  for (int i = 0; i < 3000; ++i) {
    Reply r = server.Get(s, "/api/v1/jobs/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    job = r.Json();
    if (job["state"] == "done" || job["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return job;
}

// The characters [from, to) (1-based columns) of a UTF-8 line.
std::string Columns(const std::string& line, uint32_t from, uint32_t to) {
  std::string out;
  uint32_t column = 1;
  for (size_t i = 0; i < line.size();) {
    size_t length = 1;
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c >= 0xF0) length = 4;
    else if (c >= 0xE0) length = 3;
    else if (c >= 0xC0) length = 2;
    if (column >= from && column < to) out += line.substr(i, length);
    i += length;
    ++column;
  }
  return out;
}

// What the store holds, counted from the command line's side.
StoreCounts Counted(LiveServer& server) {
  StoreCounts counts;
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    auto c = ledger.Counts();
    ASSERT_TRUE(c.ok()) << c.status().message();
    counts = *c;
  });
  return counts;
}

void ReportsThroughTheApi(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  server.AddUnit("县水利局", "某县");
  server.AddUnit("区审计局", "某县");
  Session chief = server.AddUser("duchayuan", RoleBit(UserRole::kSupervisor), "某县");
  Session audit = server.AddUser("shenji", RoleBit(UserRole::kReporter), "区审计局");

  // --- Import the seed compilation as a job ---------------------------------------
  const std::string seed = ReadFile(SeedText());
  ASSERT_FALSE(seed.empty()) << SeedText();
  Reply uploaded = Upload(server, chief, seed);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const std::string hash = uploaded.Json()["file"];
  json job = ImportAndWait(server, chief, hash, "汇编.txt");
  ASSERT_EQ(job["state"], "done") << job.dump();
  const json& result = job["result"];
  EXPECT_EQ(result["outcome"], "new");
  EXPECT_EQ(result["reports"], 16);
  EXPECT_EQ(result["sources_created"], 1);
  EXPECT_EQ(result["report_list"].size(), 16u);
  // The words of `taizhang import` for the same file imported into a store of its own.
  TempDir reference_dir;
  auto reference_store = LedgerStore::Open(reference_dir.path() + "/ref.db", "duchayuan");
  ASSERT_TRUE(reference_store.ok());
  auto reference_outcome = ImportBytes(**reference_store, "汇编.txt", seed, {});
  ASSERT_TRUE(reference_outcome.ok()) << reference_outcome.status().message();
  const std::string reference_text = RenderImportText("汇编.txt", *reference_outcome, "");
  EXPECT_EQ(result["message"], reference_text.substr(0, reference_text.find('\n')));
  EXPECT_EQ(result["plan_items"], reference_outcome->plan_items);
  EXPECT_EQ(result["ledger_added"], reference_outcome->ledger_added);
  EXPECT_GT(result["plan_items"].get<int>(), 0);
  const int64_t source_id = result["source_id"];
  // The job and its result are in the store (another process sees them), and
  // the import was made as the principal.
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    auto row = ledger.GetJob(job["id"].get<std::string>());
    ASSERT_TRUE(row.ok() && row->has_value());
    EXPECT_EQ((*row)->state, "done");
    EXPECT_EQ(json::parse((*row)->result)["source_id"], source_id);
    auto file = ledger.GetSource(source_id);
    ASSERT_TRUE(file.ok() && file->has_value());
    EXPECT_EQ((*file)->imported_by, "duchayuan");
    EXPECT_EQ((*file)->path, "汇编.txt");
    ItemFilter every;
    every.review.reset();
    auto items = ledger.ListItems(every);
    ASSERT_TRUE(items.ok());
    ASSERT_FALSE(items->empty());
    EXPECT_EQ(items->front().created_by, "duchayuan");
  });
  const StoreCounts after_first = Counted(server);
  EXPECT_EQ(after_first.sources, 1);
  EXPECT_EQ(after_first.reports, 16);

  // --- The list: one file with its 16 reports -------------------------------------
  Reply listed = server.Get(chief, "/api/v1/reports");
  ASSERT_EQ(listed.status, 200) << listed.body;
  json list = listed.Json();
  EXPECT_EQ(list["total"], 1);
  ASSERT_EQ(list["sources"].size(), 1u);
  const json& file = list["sources"][0];
  EXPECT_EQ(file["id"], source_id);
  EXPECT_EQ(file["name"], "汇编.txt");
  EXPECT_EQ(file["report_count"], 16);
  ASSERT_EQ(file["reports"].size(), 16u);
  std::map<std::string, int64_t> id_of_unit;
  for (const json& r : file["reports"]) id_of_unit[r["unit"]] = r["id"];
  ASSERT_TRUE(id_of_unit.count("区审计局") && id_of_unit.count("县水利局"));
  EXPECT_EQ(server.Get(chief, "/api/v1/reports?unit=区审计局").Json()["sources"][0]["reports"].size(), 1u);
  EXPECT_EQ(server.Get(chief, "/api/v1/reports?year=2023").Json()["total"], 1);
  EXPECT_EQ(server.Get(chief, "/api/v1/reports?year=2019").Json()["total"], 0);
  EXPECT_EQ(server.Get(chief, "/api/v1/reports?text=" + std::string("%E6%B0%B4%E5%88%A9")).Json()  // 水利
                ["sources"][0]["reports"].size(),
            1u);
  EXPECT_EQ(server.Get(chief, "/api/v1/reports?kind=plan").Json()["total"], 0);
  EXPECT_EQ(server.Get(chief, "/api/v1/reports?limit=0").status, 400);
  EXPECT_EQ(server.Get(chief, "/api/v1/reports?year=abc").status, 400);

  // --- Every report with its outline ---------------------------------------------
  for (const json& summary : file["reports"]) {
    Reply r = server.Get(chief, "/api/v1/reports/" + std::to_string(summary["id"].get<int64_t>()));
    ASSERT_EQ(r.status, 200) << r.body;
    json report = r.Json();
    SCOPED_TRACE(report["title"].get<std::string>());
    EXPECT_TRUE(report["original"].get<bool>());
    EXPECT_EQ(report["lines"].size(), report["last_line"].get<size_t>() - report["first_line"].get<size_t>() + 1);
    EXPECT_FALSE(report["outline"].empty());
    size_t headings = 0;
    std::function<void(const json&, int)> walk = [&](const json& nodes, int parent_depth) {
      for (const json& h : nodes) {
        ++headings;
        EXPECT_GT(h["depth"].get<int>(), parent_depth);
        walk(h["children"], h["depth"].get<int>());
      }
    };
    walk(report["outline"], 0);
    EXPECT_EQ(headings, report["counts"]["headings"].get<size_t>());
    EXPECT_EQ(report["findings"].size(), report["counts"]["findings"].get<size_t>());
    EXPECT_EQ(report["relations"].size(), report["counts"]["relations"].get<size_t>());
  }

  // --- One report's findings are those of `check --json` ---------------------------
  AnalyzedFile reference = AnalyzeBytes("汇编.txt", seed, {});
  ASSERT_TRUE(reference.ok());
  json check = json::parse(RenderCheckJson({CheckedView(reference)}))["files"][0];
  const int64_t audit_report = id_of_unit["区审计局"];
  json report = server.Get(chief, "/api/v1/reports/" + std::to_string(audit_report)).Json();
  const int document = report["doc_index"];  // 1-based, as check --json numbers documents
  std::vector<json> expected;
  for (const json& f : check["findings"]) {
    if (f["document"] == document) expected.push_back(f);
  }
  ASSERT_FALSE(expected.empty());
  ASSERT_EQ(report["findings"].size(), expected.size());
  const int first_line = report["first_line"];
  for (size_t k = 0; k < expected.size(); ++k) {
    const json& got = report["findings"][k];
    SCOPED_TRACE(got.dump());
    EXPECT_EQ(got["rule"], expected[k]["rule"]);
    EXPECT_EQ(got["severity"], expected[k]["severity"]);
    EXPECT_EQ(got["line"], expected[k]["line"]);
    EXPECT_EQ(got["column"], expected[k]["column"]);
    EXPECT_EQ(got["message"], expected[k]["message"]);
    EXPECT_EQ(got["related"].size(), expected[k]["related"].size());
    // The span marks the finding's text in the report's own lines.
    const json& span = got["span"];
    EXPECT_EQ(span["line"], got["line"]);
    EXPECT_EQ(span["column"], got["column"]);
    if (span["line"] == span["end_line"]) {
      const std::string line = report["lines"][span["line"].get<int>() - first_line]["text"];
      EXPECT_EQ(Columns(line, span["column"], span["end_column"]), span["text"].get<std::string>());
    }
  }
  // Relations checked, with their figures marked.
  json document_check = check["documents"][document - 1];
  ASSERT_EQ(report["relations"].size(), document_check["relations"].size());
  for (size_t k = 0; k < report["relations"].size(); ++k) {
    EXPECT_EQ(report["relations"][k]["statement"], document_check["relations"][k]["statement"]);
    EXPECT_EQ(report["relations"][k]["status"], document_check["relations"][k]["status"]);
    EXPECT_EQ(report["relations"][k]["figures"].size(), document_check["relations"][k]["figures"].size());
  }

  // --- The check page: check --html, under a CSP with no script ---------------------
  Reply page = server.Get(chief, "/api/v1/reports/" + std::to_string(audit_report) + "/check.html");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(page.body, RenderCheckHtml({CheckedView(reference)}));
  const std::string csp = page.headers["content-security-policy"];
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  {
    // The page's one inline style is allowed by its hash, and nothing else is.
    const size_t open = page.body.find("<style>") + 7;
    const std::string style = page.body.substr(open, page.body.find("</style>") - open);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    ASSERT_EQ(EVP_Digest(style.data(), style.size(), digest, &length, EVP_sha256(), nullptr), 1);
    unsigned char base64[64];
    const int written = EVP_EncodeBlock(base64, digest, static_cast<int>(length));
    const std::string source = "style-src 'sha256-" + std::string(reinterpret_cast<char*>(base64), written) + "';";
    EXPECT_NE(csp.find(source), std::string::npos) << csp;
  }
  EXPECT_EQ(csp.find("script-src"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_NE(page.headers["content-disposition"].find("filename*=UTF-8''%E6%B1%87%E7%BC%96"), std::string::npos)
      << page.headers["content-disposition"];  // 汇编

  // A text has no Word file to annotate.
  Reply not_word = server.Get(chief, "/api/v1/sources/" + std::to_string(source_id) + "/annotated.docx");
  EXPECT_TRUE(IsErrorShape(not_word.status, not_word.headers["content-type"], not_word.body, 422));
  EXPECT_NE(not_word.body.find("docx"), std::string::npos);

  // --- Scope: a 填报员 of 区审计局 sees its report only ------------------------------
  json mine = server.Get(audit, "/api/v1/reports").Json();
  EXPECT_EQ(mine["total"], 1);
  ASSERT_EQ(mine["sources"].size(), 1u);
  ASSERT_EQ(mine["sources"][0]["reports"].size(), 1u);
  EXPECT_EQ(mine["sources"][0]["reports"][0]["id"], audit_report);
  EXPECT_EQ(server.Get(audit, "/api/v1/reports/" + std::to_string(audit_report)).status, 200);
  Reply other = server.Get(audit, "/api/v1/reports/" + std::to_string(id_of_unit["县水利局"]));
  EXPECT_TRUE(IsErrorShape(other.status, other.headers["content-type"], other.body, 404));
  EXPECT_EQ(server.Get(audit, "/api/v1/reports/" + std::to_string(id_of_unit["县水利局"]) + "/check.html").status,
            404);
  // The compilation's page holds the other units' reports too: the 填报员
  // gets the page of its own report only — its text, findings, relations
  // and counts — and nothing of the other fifteen.
  Reply own_page = server.Get(audit, "/api/v1/reports/" + std::to_string(audit_report) + "/check.html");
  ASSERT_EQ(own_page.status, 200) << own_page.body.substr(0, 300);
  EXPECT_EQ(own_page.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(own_page.headers["content-security-policy"].find("script-src"), std::string::npos);
  {
    CheckedFile only_audit = CheckedView(reference);
    only_audit.shown_reports.assign(reference.outline.reports.size(), false);
    only_audit.shown_reports[static_cast<size_t>(document - 1)] = true;
    EXPECT_EQ(own_page.body, RenderCheckHtml({only_audit}));
    EXPECT_NE(own_page.body, page.body);
    EXPECT_NE(own_page.body.find("这里只列出您可以查看的 1 篇"), std::string::npos);
    const std::string_view text = reference.source.text();
    for (size_t r = 0; r < reference.outline.reports.size(); ++r) {
      const auto& other_report = reference.outline.reports[r];
      std::string title(other_report.title.In(text));
      const bool own = static_cast<int>(r) == document - 1;
      // Too short to tell apart, or part of its own report's title (the
      // seed's reports share "2023年工作总结和2024年工作计划").
      const std::string own_title(reference.outline.reports[static_cast<size_t>(document - 1)].title.In(text));
      if (title.size() < 12 || (!own && own_title.find(title) != std::string::npos)) continue;
      std::string escaped;
      for (char c : title) escaped += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : std::string(1, c);
      EXPECT_EQ(own_page.body.find(escaped) != std::string::npos, own) << title;
    }
    // Its findings are those of its report in check --json, and no other's.
    size_t own_findings = 0;
    for (const json& f : check["findings"]) own_findings += f["document"] == document ? 1 : 0;
    size_t notes = 0;
    for (size_t at = own_page.body.find("class=\"note "); at != std::string::npos;
         at = own_page.body.find("class=\"note ", at + 1)) {
      ++notes;
    }
    EXPECT_EQ(notes, own_findings);
    EXPECT_NE(own_page.body.find("问题（" + std::to_string(own_findings) + " 处）"), std::string::npos);
  }
  EXPECT_EQ(server.Get(audit, "/api/v1/reports?unit=县水利局").Json()["total"], 0);
  EXPECT_EQ(server.Get(chief, "/api/v1/reports/999999").status, 404);
  EXPECT_EQ(server.Get(chief, "/api/v1/reports/abc").status, 404);
  EXPECT_EQ(Http(server.address(), "GET", "/api/v1/reports").status, 401);

  // --- The Word file, annotated ------------------------------------------------------
  const std::string docx = ReadFile(SeedDocx());
  Reply docx_uploaded = Upload(server, chief, docx);
  ASSERT_EQ(docx_uploaded.status, 201) << docx_uploaded.body;
  EXPECT_EQ(docx_uploaded.Json()["format"], "docx");
  json docx_job = ImportAndWait(server, chief, docx_uploaded.Json()["file"], "汇编.docx");
  ASSERT_EQ(docx_job["state"], "done") << docx_job.dump();
  EXPECT_EQ(docx_job["result"]["reports"], 16);
  const int64_t docx_id = docx_job["result"]["source_id"];
  EXPECT_EQ(server.Get(audit, "/api/v1/sources/" + std::to_string(docx_id) + "/annotated.docx").status, 403);
  Reply annotated = server.Get(chief, "/api/v1/sources/" + std::to_string(docx_id) + "/annotated.docx");
  ASSERT_EQ(annotated.status, 200) << annotated.body.substr(0, 300);
  EXPECT_EQ(annotated.headers["content-type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  // 汇编（批注）.docx
  EXPECT_NE(annotated.headers["content-disposition"].find(
                "attachment; filename=\"annotated.docx\"; filename*=UTF-8''%E6%B1%87%E7%BC%96%EF%BC%88%E6%89%B9%E6%B3%A8%EF%BC%89.docx"),
            std::string::npos)
      << annotated.headers["content-disposition"];
  const std::string comments = testing::ZipPart(annotated.body, "word/comments.xml");
  ASSERT_FALSE(comments.empty());
  AnalyzedFile docx_reference = AnalyzeBytes("汇编.docx", docx, {});
  ASSERT_TRUE(docx_reference.ok());
  size_t count = 0;
  for (size_t at = comments.find("<w:comment "); at != std::string::npos; at = comments.find("<w:comment ", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, docx_reference.check.findings.size());
  ASSERT_FALSE(docx_reference.check.findings.empty());
  EXPECT_NE(comments.find(docx_reference.check.findings.front().message), std::string::npos);
  // The annotated copy still reads as the same text.
  auto reread = DecodeDocument("annotated.docx", annotated.body, {});
  ASSERT_TRUE(reread.ok()) << reread.status().message();
  EXPECT_EQ(reread->text(), docx_reference.source.text());

  // --- A second import of the same file adds nothing ------------------------------
  const StoreCounts before_again = Counted(server);
  json again = ImportAndWait(server, chief, hash, "汇编.txt");
  ASSERT_EQ(again["state"], "done") << again.dump();
  EXPECT_EQ(again["result"]["outcome"], "unchanged");
  EXPECT_EQ(again["result"]["sources_created"], 0);
  EXPECT_EQ(again["result"]["reports"], 0);
  EXPECT_EQ(again["result"]["ledger_added"], 0);
  EXPECT_EQ(again["result"]["source_id"], source_id);
  EXPECT_EQ(again["result"]["message"], "汇编.txt：内容与已导入的版本 1 相同，未改动。");
  EXPECT_EQ(again["result"]["report_list"].size(), 16u);
  const StoreCounts after_again = Counted(server);
  EXPECT_EQ(after_again.sources, before_again.sources);
  EXPECT_EQ(after_again.reports, before_again.reports);
  EXPECT_EQ(after_again.items, before_again.items);
  EXPECT_EQ(server.Get(chief, "/api/v1/reports").Json()["total"], 2);

  // --- Bad input: refused, or the job fails with the reader's words; nothing stored ---
  Reply unknown = server.Send(chief, "POST", "/api/v1/reports", json{{"file", std::string(64, 'a')}, {"name", "a.txt"}});
  EXPECT_TRUE(IsErrorShape(unknown.status, unknown.headers["content-type"], unknown.body, 422));
  for (const char* name : {"../etc/passwd", "a/b.txt", "..", "a\\b.txt", ""}) {
    Reply traversal = server.Send(chief, "POST", "/api/v1/reports", json{{"file", hash}, {"name", name}});
    EXPECT_TRUE(IsErrorShape(traversal.status, traversal.headers["content-type"], traversal.body, 422)) << name;
  }
  EXPECT_EQ(server.Send(chief, "POST", "/api/v1/reports", json{{"file", hash}}).status, 422);
  EXPECT_EQ(server.Send(chief, "POST", "/api/v1/reports", json{{"file", hash}, {"name", "a.txt"}, {"x", 1}}).status,
            422);
  // A 查看 user may not import.
  Session viewer = server.AddUser("chakan", RoleBit(UserRole::kViewer), "某县");
  EXPECT_EQ(server.Send(viewer, "POST", "/api/v1/reports", json{{"file", hash}, {"name", "a.txt"}}).status, 403);
  // A binary file is refused at the upload.
  Reply binary = Upload(server, chief, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  EXPECT_TRUE(IsErrorShape(binary.status, binary.headers["content-type"], binary.body, 415));
  // A truncated Word file is taken by content, and its import fails with the reader's message.
  const std::string truncated = docx.substr(0, docx.size() / 2);
  Reply cut = Upload(server, chief, truncated);
  ASSERT_EQ(cut.status, 201) << cut.body;
  json failed = ImportAndWait(server, chief, cut.Json()["file"], "残缺.docx");
  EXPECT_EQ(failed["state"], "failed") << failed.dump();
  AnalyzedFile unreadable = AnalyzeBytes("残缺.docx", truncated, {});
  ASSERT_FALSE(unreadable.ok());
  EXPECT_EQ(failed["error"], unreadable.status.message());
  EXPECT_NE(failed["error"].get<std::string>().find("残缺.docx"), std::string::npos);
  // An empty upload is refused; a text of blanks only is taken, and its import fails as the reader says.
  EXPECT_EQ(Upload(server, chief, "").status, 400);
  Reply blank = Upload(server, chief, " \n\n　\n");
  ASSERT_EQ(blank.status, 201) << blank.body;
  json blank_job = ImportAndWait(server, chief, blank.Json()["file"], "空白.txt");
  EXPECT_EQ(blank_job["state"], "failed") << blank_job.dump();
  AnalyzedFile empty = AnalyzeBytes("空白.txt", " \n\n　\n", {});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(blank_job["error"], empty.status.message());
  const StoreCounts after_bad = Counted(server);
  EXPECT_EQ(after_bad.sources, after_again.sources);
  EXPECT_EQ(after_bad.reports, after_again.reports);
  EXPECT_EQ(after_bad.items, after_again.items);

  // --- A file imported from the command line: its stored rows, no text ------------
  int64_t cli_report = 0;
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    auto imported = ImportDocument(ledger, testing::SourceDir() + "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt", {});
    ASSERT_TRUE(imported.ok()) << imported.status().message();
    ReportFilter filter;
    filter.source_id = imported->source_id;
    auto reports = ledger.ListReports(filter);
    ASSERT_TRUE(reports.ok() && reports->size() == 1u);
    cli_report = reports->front().id;
  });
  json stored = server.Get(chief, "/api/v1/reports/" + std::to_string(cli_report)).Json();
  EXPECT_FALSE(stored["original"].get<bool>());
  EXPECT_TRUE(stored["lines"].is_null());
  EXPECT_EQ(stored["findings"].size(), stored["counts"]["findings"].get<size_t>());
  EXPECT_EQ(stored["relations"].size(), stored["counts"]["relations"].get<size_t>());
  EXPECT_FALSE(stored["outline"].empty());
  Reply no_original = server.Get(chief, "/api/v1/reports/" + std::to_string(cli_report) + "/check.html");
  EXPECT_TRUE(IsErrorShape(no_original.status, no_original.headers["content-type"], no_original.body, 409));

  // Every status answered above is one the OpenAPI document lists for its route.
  json doc = Http(server.address(), "GET", "/api/v1/openapi.json").Json();
  auto documented = [&](const char* method, const char* pattern, int status) {
    return doc["paths"][pattern][method]["responses"].contains(std::to_string(status));
  };
  for (int status : {202, 401, 403, 422}) EXPECT_TRUE(documented("post", "/api/v1/reports", status)) << status;
  for (int status : {200, 400, 401}) EXPECT_TRUE(documented("get", "/api/v1/reports", status)) << status;
  for (int status : {200, 404}) EXPECT_TRUE(documented("get", "/api/v1/reports/{id}", status)) << status;
  for (int status : {200, 403, 404, 409}) {
    EXPECT_TRUE(documented("get", "/api/v1/reports/{id}/check.html", status)) << status;
  }
  for (int status : {200, 403, 422}) {
    EXPECT_TRUE(documented("get", "/api/v1/sources/{id}/annotated.docx", status)) << status;
  }
  // The files' media types, for a client generated from the document.
  EXPECT_TRUE(doc["paths"]["/api/v1/reports/{id}/check.html"]["get"]["responses"]["200"]["content"].contains(
      "text/html"));
  EXPECT_TRUE(doc["paths"]["/api/v1/sources/{id}/annotated.docx"]["get"]["responses"]["200"]["content"].contains(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
}

// Several files imported at once (as the web page uploads several): each
// is analyzed on the pool beside the others and stored in turn, all of them.
void ImportsAtOnce(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  server.AddUnit("某县");
  Session chief = server.AddUser("duchayuan", RoleBit(UserRole::kSupervisor), "某县");
  const std::vector<std::pair<std::string, std::string>> files = {
      {SeedText(), "汇编.txt"},
      {SeedDocx(), "汇编.docx"},
      {testing::SourceDir() + "/examples/某县农业农村局2024年工作总结和2025年工作计划.txt", "计划.txt"},
      {testing::SourceDir() + "/examples/清河县农业农村局2025年工作总结.txt", "总结.txt"}};
  std::vector<std::string> jobs;
  for (const auto& [path, name] : files) {
    Reply uploaded = Upload(server, chief, ReadFile(path));
    ASSERT_EQ(uploaded.status, 201) << uploaded.body;
    Reply created = server.Send(chief, "POST", "/api/v1/reports", json{{"file", uploaded.Json()["file"]}, {"name", name}});
    ASSERT_EQ(created.status, 202) << created.body;
    jobs.push_back(created.Json()["id"]);
  }
  int reports = 0;
  for (const std::string& id : jobs) {
    json job;
    for (int i = 0; i < 3000; ++i) {
      job = server.Get(chief, "/api/v1/jobs/" + id).Json();
      if (job["state"] == "done" || job["state"] == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(job["state"], "done") << job.dump();
    EXPECT_EQ(job["result"]["outcome"], "new");
    reports += job["result"]["reports"].get<int>();
  }
  EXPECT_EQ(reports, 16 + 16 + 1 + 1);
  const StoreCounts counts = Counted(server);
  EXPECT_EQ(counts.sources, 4);
  EXPECT_EQ(counts.reports, reports);
  json list = server.Get(chief, "/api/v1/reports").Json();
  EXPECT_EQ(list["total"], 4);
  std::set<std::string> names;
  for (const json& source : list["sources"]) names.insert(source["name"]);
  EXPECT_EQ(names, (std::set<std::string>{"汇编.txt", "汇编.docx", "计划.txt", "总结.txt"}));
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    auto verified = ledger.Verify();
    ASSERT_TRUE(verified.ok()) << verified.status().message();
    EXPECT_TRUE(verified->problems.empty()) << verified->problems.front();
  });
}

TEST(ServerReports, SeveralImportsAtOnceAreAllStoredOnSqlite) { ImportsAtOnce(""); }

TEST(ServerReports, SeveralImportsAtOnceAreAllStoredOnPostgres) {
  ScratchPostgres scratch("taizhang_reports_many");
  TAIZHANG_POSTGRES_OR_SKIP(scratch);
  ImportsAtOnce(scratch.url());
}

TEST(ServerReports, ImportListShowCheckAndAnnotateOnSqlite) { ReportsThroughTheApi(""); }

TEST(ServerReports, ImportListShowCheckAndAnnotateOnPostgres) {
  ScratchPostgres scratch("taizhang_reports");
  TAIZHANG_POSTGRES_OR_SKIP(scratch);
  ReportsThroughTheApi(scratch.url());
}

}  // namespace
}  // namespace taizhang::server_test
