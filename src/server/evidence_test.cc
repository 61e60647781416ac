// Photographs as evidence of progress (POST /api/v1/files, upload_format.cc),
// on SQLite and PostgreSQL: a real PNG and JPEG made here with libpng and
// libjpeg-turbo are stored by content hash and attached; an HTML page named
// .png, a truncated PNG or JPEG and a PNG with a damaged byte are refused
// with a Chinese message naming the file and nothing is stored; downloads
// carry the content's type, nosniff and the original name (RFC 5987), and
// ?inline=1 shows images and PDF under a sandboxed CSP without script; only
// the item's readers fetch them, and a photograph is never a report.
#include <gtest/gtest.h>

#include <csetjmp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

// clang-format off: jpeglib.h needs stdio.h first
#include <png.h>
#include <jpeglib.h>
// clang-format on

#include "server/server_test_util.h"

namespace taizhang::server_test {
namespace {

using nlohmann::json;

std::string IfMatch(int64_t version) { return "If-Match: \"" + std::to_string(version) + "\"\r\n"; }

// A width × height RGB gradient as a PNG, written by libpng into memory.
std::string MakePng(int width, int height) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    ADD_FAILURE() << "libpng could not write the test image";
    return "";
  }
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, size_t length) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(data), length);
      },
      nullptr);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  std::vector<unsigned char> row(static_cast<size_t>(width) * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      row[x * 3] = static_cast<unsigned char>(x * 255 / width);
      row[x * 3 + 1] = static_cast<unsigned char>(y * 255 / height);
      row[x * 3 + 2] = static_cast<unsigned char>((x + y) & 255);
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

// The same gradient as a baseline JPEG, written by libjpeg-turbo into memory.
std::string MakeJpeg(int width, int height) {
  jpeg_compress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = static_cast<JDIMENSION>(width);
  info.image_height = static_cast<JDIMENSION>(height);
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 85, TRUE);
  jpeg_start_compress(&info, TRUE);
  std::vector<unsigned char> row(static_cast<size_t>(width) * 3);
  while (info.next_scanline < info.image_height) {
    int y = static_cast<int>(info.next_scanline);
    for (int x = 0; x < width; ++x) {
      row[x * 3] = static_cast<unsigned char>(x * 255 / width);
      row[x * 3 + 1] = static_cast<unsigned char>(y * 255 / height);
      row[x * 3 + 2] = static_cast<unsigned char>((x * y) & 255);
    }
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&info, rows, 1);
  }
  jpeg_finish_compress(&info);
  std::string out(reinterpret_cast<const char*>(buffer), size);
  jpeg_destroy_compress(&info);
  free(buffer);
  return out;
}

Reply Upload(const std::string& address, const Session& s, const std::string& bytes, const std::string& name = "") {
  std::string target = "/api/v1/files";
  if (!name.empty()) {
    target += "?name=";
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (unsigned char c : name) {
      target += '%';
      target += kHex[c >> 4];
      target += kHex[c & 15];
    }
  }
  return Http(address, "POST", target, bytes, s.token, s.csrf, "application/octet-stream");
}

bool Mentions(const Reply& r, const std::string& text) {
  json body = r.Json();
  return body.is_object() && body["error"]["message"].is_string() &&
         body["error"]["message"].get<std::string>().find(text) != std::string::npos;
}

void PhotoEvidence(const std::string& db) {
  LiveServer server(db);
  ASSERT_TRUE(server.ok());
  const std::string& address = server.address();
  server.AddUnit("清河县");
  server.AddUnit("清河县水利局", "清河县");
  server.AddUnit("清河县农业农村局", "清河县");
  Session county = server.AddUser("county", RoleBit(UserRole::kSupervisor), "清河县");
  Session reporter = server.AddUser("water_reporter", RoleBit(UserRole::kReporter), "清河县水利局");
  Session other = server.AddUser("farm_reporter", RoleBit(UserRole::kReporter), "清河县农业农村局");
  Reply created = server.Send(county, "POST", "/api/v1/items",
                              {{"unit", "清河县水利局"}, {"year", 2025}, {"task", "完成堤防加固5公里"}, {"target", "5公里"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string item_url = "/api/v1/items/" + std::to_string(created.Json()["id"].get<int64_t>());
  const std::string uploads = server.dir().path() + "/data/uploads";

  const std::string png = MakePng(64, 48), jpeg = MakeJpeg(80, 60);
  ASSERT_GT(png.size(), 100u);
  ASSERT_GT(jpeg.size(), 100u);

  // --- Refused by content, naming the file; nothing stored. ---
  const size_t stored_before = CountFiles(uploads);
  const std::string html = "<!DOCTYPE html><html><body><script>fetch('/api/v1/users')</script></body></html>\n";
  Reply disguised = Upload(address, reporter, html, "现场照片.png");
  EXPECT_TRUE(IsErrorShape(disguised.status, disguised.headers["content-type"], disguised.body, 415)) << disguised.body;
  EXPECT_TRUE(Mentions(disguised, "现场照片.png")) << disguised.body;
  EXPECT_TRUE(Mentions(disguised, "PNG 图片")) << disguised.body;
  Reply truncated_png = Upload(address, reporter, png.substr(0, png.size() / 2), "堤防.png");
  EXPECT_EQ(truncated_png.status, 415) << truncated_png.body;
  EXPECT_TRUE(Mentions(truncated_png, "堤防.png")) << truncated_png.body;
  EXPECT_TRUE(Mentions(truncated_png, "已损坏或不完整")) << truncated_png.body;
  Reply truncated_jpeg = Upload(address, reporter, jpeg.substr(0, jpeg.size() * 2 / 3), "整改后.jpg");
  EXPECT_EQ(truncated_jpeg.status, 415) << truncated_jpeg.body;
  EXPECT_TRUE(Mentions(truncated_jpeg, "整改后.jpg")) << truncated_jpeg.body;
  Reply unnamed_truncated = Upload(address, reporter, jpeg.substr(0, jpeg.size() - 40));
  EXPECT_EQ(unnamed_truncated.status, 415) << unnamed_truncated.body;
  std::string damaged = png;
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x5a);  // inside IDAT: CRC fails
  EXPECT_EQ(Upload(address, reporter, damaged, "堤防.png").status, 415);
  Reply bad_name = Upload(address, reporter, png, "../现场.png");
  EXPECT_EQ(bad_name.status, 422) << bad_name.body;
  Reply not_utf8 = Http(address, "POST", "/api/v1/files?name=%FF%FE.png", png, reporter.token, reporter.csrf,
                        "application/octet-stream");
  EXPECT_TRUE(IsErrorShape(not_utf8.status, not_utf8.headers["content-type"], not_utf8.body, 422)) << not_utf8.body;
  Reply sql_name = Upload(address, reporter, html, "x'; DROP TABLE audit_log; --.png");
  EXPECT_EQ(sql_name.status, 415) << sql_name.body;
  EXPECT_TRUE(Mentions(sql_name, "x'; DROP TABLE audit_log; --.png")) << sql_name.body;
  EXPECT_EQ(CountFiles(uploads), stored_before);

  // --- Real photographs: stored by content hash, outside the served files. ---
  Reply png_up = Upload(address, reporter, png, "现场照片.PNG");
  ASSERT_EQ(png_up.status, 201) << png_up.body;
  EXPECT_EQ(png_up.Json()["format"], "png");
  Reply jpeg_up = Upload(address, reporter, jpeg, "整改后.jpg");
  ASSERT_EQ(jpeg_up.status, 201) << jpeg_up.body;
  EXPECT_EQ(jpeg_up.Json()["format"], "jpeg");
  const std::string png_hash = png_up.Json()["file"], jpeg_hash = jpeg_up.Json()["file"];
  EXPECT_EQ(ReadFile(uploads + "/" + png_hash), png);
  EXPECT_EQ(ReadFile(uploads + "/" + jpeg_hash), jpeg);
  EXPECT_EQ(Http(address, "GET", "/" + png_hash).status, 404);
  EXPECT_EQ(Http(address, "GET", "/uploads/" + png_hash).status, 404);
  // The HTML stored as what it is, a text; a PDF by its signature.
  Reply html_up = Upload(address, reporter, html);
  ASSERT_TRUE(html_up.status == 201 || html_up.status == 200) << html_up.body;
  EXPECT_EQ(html_up.Json()["format"], "text");
  const std::string html_hash = html_up.Json()["file"];
  const std::string pdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
  Reply pdf_up = Upload(address, reporter, pdf, "验收报告.pdf");
  ASSERT_EQ(pdf_up.status, 201) << pdf_up.body;
  const std::string pdf_hash = pdf_up.Json()["file"];

  // A photograph is not a report: neither analyzed nor imported.
  Reply as_job = server.Send(county, "POST", "/api/v1/jobs", {{"file", png_hash}, {"name", "现场照片.png"}});
  EXPECT_EQ(as_job.status, 422) << as_job.body;
  EXPECT_TRUE(Mentions(as_job, "现场照片.png")) << as_job.body;
  Reply as_report = server.Send(county, "POST", "/api/v1/reports", {{"file", jpeg_hash}, {"name", "整改后.jpg"}});
  EXPECT_EQ(as_report.status, 422) << as_report.body;

  // --- Attached to progress: the HTML under a .png name is refused, naming it. ---
  auto evidence = [](const std::vector<std::pair<std::string, std::string>>& files) {
    json list = json::array();
    for (const auto& [hash, name] : files) list.push_back({{"file", hash}, {"name", name}});
    return json{{"date", "2025-06-01"}, {"value", "2"}, {"note", "堤防加固2公里"}, {"evidence", list}};
  };
  Reply passed_off = server.Send(reporter, "POST", item_url + "/progress",
                                 evidence({{png_hash, "现场照片.png"}, {html_hash, "航拍.png"}}), IfMatch(1));
  EXPECT_TRUE(IsErrorShape(passed_off.status, passed_off.headers["content-type"], passed_off.body, 422));
  EXPECT_TRUE(Mentions(passed_off, "航拍.png")) << passed_off.body;
  EXPECT_EQ(server.Get(county, item_url).Json()["version"], 1);  // nothing stored
  EXPECT_EQ(server.Get(county, item_url).Json()["progress_entries"].size(), 0u);
  const std::string chinese_name = "堤防 现场\"照片\".png";
  Reply reported =
      server.Send(reporter, "POST", item_url + "/progress",
                  evidence({{png_hash, chinese_name}, {jpeg_hash, "整改后.jpg"}, {pdf_hash, "验收报告.pdf"},
                            {html_hash, "说明.html"}}),
                  IfMatch(1));
  ASSERT_EQ(reported.status, 200) << reported.body;
  json files = server.Get(county, item_url).Json()["progress_entries"][0]["attachments"];
  ASSERT_EQ(files.size(), 4u) << files.dump();
  const std::string png_url = files[0]["url"], jpeg_url = files[1]["url"], pdf_url = files[2]["url"],
                    html_url = files[3]["url"];

  // --- Downloads: the content's type, nosniff, the name in RFC 5987. ---
  for (const Session* s : {&reporter, &county}) {
    Reply got = server.Get(*s, png_url);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.body, png);
    EXPECT_EQ(got.headers["content-type"], "image/png");
    EXPECT_EQ(got.headers["x-content-type-options"], "nosniff");
    EXPECT_EQ(got.headers["content-disposition"],
              "attachment; filename=\"______ ______________.png\"; filename*=UTF-8''"
              "%E5%A0%A4%E9%98%B2%20%E7%8E%B0%E5%9C%BA%22%E7%85%A7%E7%89%87%22.png")
        << got.headers["content-disposition"];
  }
  Reply got_jpeg = server.Get(county, jpeg_url);
  ASSERT_EQ(got_jpeg.status, 200);
  EXPECT_EQ(got_jpeg.body, jpeg);
  EXPECT_EQ(got_jpeg.headers["content-type"], "image/jpeg");
  Reply got_pdf = server.Get(county, pdf_url);
  EXPECT_EQ(got_pdf.headers["content-type"], "application/pdf");
  // The HTML is never HTML to the browser: text, as an attachment, even inline.
  Reply got_html = server.Get(county, html_url + "?inline=1");
  ASSERT_EQ(got_html.status, 200);
  EXPECT_EQ(got_html.headers["content-type"], "text/plain");
  EXPECT_EQ(got_html.headers["content-disposition"].rfind("attachment;", 0), 0u);
  EXPECT_EQ(got_html.headers["x-content-type-options"], "nosniff");

  // --- Inline: images and PDF shown in the page, sandboxed, no script. ---
  for (const std::string& url : {png_url, jpeg_url, pdf_url}) {
    Reply shown = server.Get(county, url + "?inline=1");
    ASSERT_EQ(shown.status, 200) << shown.body;
    EXPECT_EQ(shown.headers["content-disposition"].rfind("inline; filename", 0), 0u) << url;
    const std::string& csp = shown.headers["content-security-policy"];
    EXPECT_NE(csp.find("sandbox"), std::string::npos) << csp;
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("script-src"), std::string::npos) << csp;
    EXPECT_EQ(shown.headers["x-content-type-options"], "nosniff");
    EXPECT_EQ(shown.headers["x-frame-options"], "SAMEORIGIN");
  }
  EXPECT_EQ(server.Get(county, png_url + "?inline=0").headers["content-disposition"].rfind("attachment;", 0), 0u);
  EXPECT_EQ(server.Get(county, png_url + "?inline=yes").status, 400);
  // Any other answer keeps the strict policy.
  EXPECT_EQ(server.Get(county, item_url).headers["x-frame-options"], "DENY");

  // --- Only the item's readers fetch it. ---
  Reply hidden = server.Get(other, png_url);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.body.find(png.substr(0, 8)), std::string::npos);
  EXPECT_EQ(Http(address, "GET", png_url).status, 401);
}

TEST(ServerEvidence, PhotographsCheckedByContentAndServedSafelyOnSqlite) { PhotoEvidence(""); }

TEST(ServerEvidence, PhotographsCheckedByContentAndServedSafelyOnPostgres) {
  ScratchPostgres scratch("taizhang_evidence");
  TAIZHANG_POSTGRES_OR_SKIP(scratch);
  PhotoEvidence(scratch.url());
}

}  // namespace
}  // namespace taizhang::server_test
