// ZipArchive: read-only access to the parts of an OOXML package (.docx,
// .xlsx) held in memory, through minizip, with the limits an untrusted
// file needs: entry count, declared and actual uncompressed size per part and
// in total, and compression ratio (a zip bomb is refused before it is
// inflated; a part is never inflated past the size it declares, and one
// whose data goes on past it fails its checksum).
//
//   auto zip = ZipArchive::Open("a.docx", bytes, limits);
//   if (!zip.ok()) return zip.status();
//   Result<std::string> xml = zip->Read("word/document.xml");
//
// Errors carry a Chinese message naming the file and the part.
#ifndef TAIZHANG_INGEST_ZIP_ARCHIVE_H_
#define TAIZHANG_INGEST_ZIP_ARCHIVE_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace taizhang::ingest_internal {

struct ZipLimits {
  uint64_t max_entries = 10000;
  uint64_t max_part_bytes = uint64_t{256} << 20;    // one part, uncompressed
  uint64_t max_total_bytes = uint64_t{1} << 30;     // all parts read, uncompressed
  uint64_t max_ratio = 1000;                        // uncompressed / compressed, per part
};

class ZipArchive {
 public:
  // `bytes` must outlive the archive. Fails with kUndecodable (not a zip or
  // damaged) or kTooLarge (too many entries).
  static Result<std::unique_ptr<ZipArchive>> Open(std::string name, std::string_view bytes,
                                                  const ZipLimits& limits);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // True when the package holds a part at `path` (no leading slash).
  bool Has(std::string_view path) const;
  // The part's bytes. kNotFound when absent, kTooLarge past a limit,
  // kUndecodable when the data is damaged.
  Result<std::string> Read(std::string_view path);
  // The part's bytes handed to `sink` in pieces of at most `chunk` bytes as
  // they are inflated, under the same limits as Read: the whole part is never
  // held. A sink's error stops the reading and is returned.
  Status Stream(std::string_view path, size_t chunk, const std::function<Status(std::string_view)>& sink);
  // The uncompressed size the directory declares for the part (0 if absent).
  uint64_t DeclaredSize(std::string_view path) const;

 private:
  struct Entries;  // minizip's handle and the entries by name, kept out of the header
  ZipArchive(std::string name, std::unique_ptr<Entries> entries, const ZipLimits& limits);
  // Positions minizip on the part and opens it after the checks on its
  // declared sizes; `declared` receives the uncompressed size.
  Status OpenPart(const std::string& part, uint64_t* declared);
  // Closes the open part: `status` if reading failed, else whether all of
  // it came (`used` = `declared`) with the right checksum.
  Status ClosePart(const std::string& part, uint64_t declared, uint64_t used, Status status);

  std::string name_;
  std::unique_ptr<Entries> entries_;
  ZipLimits limits_;
  uint64_t total_read_ = 0;
};

// A copy of the zip `bytes` with the parts of `replaced` (path → new bytes)
// and of `replaced_files` (path → a file read from its start, taken over and
// closed) replaced or added, deflated; every other entry is copied as it
// was, compressed data and all. With an empty `out_path` the copy is
// returned; otherwise it is written to `out_path` all or nothing (through a
// TemporaryFile beside it, never held in memory) and "" returned.
Result<std::string> RewriteZip(const std::string& name, std::string_view bytes,
                               const std::map<std::string, std::string>& replaced,
                               std::map<std::string, FILE*> replaced_files = {}, const std::string& out_path = "");

// Resolves a relationship target against the folder of the part that
// declares it: ("word/document.xml", "media/a.png") → "word/media/a.png";
// an absolute target ("/word/x.xml") is taken from the root. Returns "" for a
// target that leaves the package ("../../x") or is external.
std::string ResolvePartPath(std::string_view source_part, std::string_view target);

}  // namespace taizhang::ingest_internal

#endif  // TAIZHANG_INGEST_ZIP_ARCHIVE_H_
