// Small .docx packages built in memory for tests and fuzz targets: a body
// (the XML inside <w:body>) and optional styles, numbering and footnotes,
// zipped with libzip the way Word stores them.
#ifndef TAIZHANG_TESTS_DOCX_BUILDER_H_
#define TAIZHANG_TESTS_DOCX_BUILDER_H_

#include <zip.h>

#include <map>
#include <string>

namespace taizhang::testing {

// A zip holding `parts` (path → bytes), as bytes. Empty on failure.
inline std::string MakeZip(const std::map<std::string, std::string>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) return "";
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (zip == nullptr) {
    zip_source_free(buffer);
    return "";
  }
  zip_source_keep(buffer);
  for (const auto& [path, data] : parts) {
    zip_source_t* s = zip_source_buffer(zip, data.data(), data.size(), 0);
    if (s == nullptr || zip_file_add(zip, path.c_str(), s, ZIP_FL_OVERWRITE) < 0) {
      zip_source_free(s);
      zip_discard(zip);
      zip_source_free(buffer);
      return "";
    }
  }
  if (zip_close(zip) != 0) {
    zip_discard(zip);
    zip_source_free(buffer);
    return "";
  }
  std::string out;
  zip_stat_t stat;
  if (zip_source_stat(buffer, &stat) == 0 && zip_source_open(buffer) == 0) {
    out.resize(stat.size);
    zip_int64_t got = zip_source_read(buffer, out.data(), out.size());
    out.resize(got < 0 ? 0 : static_cast<size_t>(got));
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  return out;
}

inline constexpr const char* kWordNamespaces =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

struct DocxParts {
  std::string body;        // inside <w:body>
  std::string styles;      // inside <w:styles>, "" for no styles part
  std::string numbering;   // inside <w:numbering>, "" for none
  std::string footnotes;   // inside <w:footnotes>, "" for none
};

// The package parts of a .docx with the given content.
inline std::map<std::string, std::string> DocxPackage(const DocxParts& d) {
  std::map<std::string, std::string> parts;
  const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>";
  parts["[Content_Types].xml"] =
      decl + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
  parts["_rels/.rels"] =
      decl + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
             "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
             "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
  std::string rels = decl + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  const std::string type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  if (!d.styles.empty()) {
    rels += "<Relationship Id=\"rId1\" Type=\"" + type + "styles\" Target=\"styles.xml\"/>";
    parts["word/styles.xml"] = decl + "<w:styles " + kWordNamespaces + ">" + d.styles + "</w:styles>";
  }
  if (!d.numbering.empty()) {
    rels += "<Relationship Id=\"rId2\" Type=\"" + type + "numbering\" Target=\"numbering.xml\"/>";
    parts["word/numbering.xml"] = decl + "<w:numbering " + kWordNamespaces + ">" + d.numbering + "</w:numbering>";
  }
  if (!d.footnotes.empty()) {
    rels += "<Relationship Id=\"rId3\" Type=\"" + type + "footnotes\" Target=\"footnotes.xml\"/>";
    parts["word/footnotes.xml"] = decl + "<w:footnotes " + kWordNamespaces + ">" + d.footnotes + "</w:footnotes>";
  }
  rels += "</Relationships>";
  parts["word/_rels/document.xml.rels"] = rels;
  parts["word/document.xml"] =
      decl + "<w:document " + kWordNamespaces + "><w:body>" + d.body + "</w:body></w:document>";
  return parts;
}

inline std::string MakeDocx(const DocxParts& d) { return MakeZip(DocxPackage(d)); }

}  // namespace taizhang::testing

#endif  // TAIZHANG_TESTS_DOCX_BUILDER_H_
