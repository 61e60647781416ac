// ZipArchive over minizip (zlib's contrib/minizip, static: libzip has no
// static archive in Debian and its shared library brings libcrypto.so, ~1.7 ms
// of every start; docs/development.md, "链接与启动"), reading from and
// writing to memory through minizip's I/O callbacks.
#include "ingest/zip_archive.h"

#include <unzip.h>
#include <zip.h>

#include <errno.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "common/atomic_file.h"

namespace taizhang::ingest_internal {

namespace {

std::string MiB(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// A name compared without ASCII case, as Word and Excel do (libzip's
// ZIP_FL_NOCASE before).
std::string FoldCase(std::string_view name) {
  std::string folded(name);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

// A file in memory for minizip: read from `in`, or written to `out`.
// A file for minizip: read from `in` in memory, or written to `out` in
// memory or to the descriptor `fd` (positioned writes).
struct MemoryFile {
  std::string_view in;
  std::string* out = nullptr;
  int fd = -1;
  uint64_t fd_size = 0;
  bool failed = false;  // a write to `fd` failed
  uint64_t pos = 0;
  uint64_t size() const { return out ? out->size() : fd >= 0 ? fd_size : in.size(); }
};

voidpf ZCALLBACK MemoryOpen(voidpf opaque, const void*, int) { return opaque; }

uLong ZCALLBACK MemoryRead(voidpf, voidpf stream, void* buf, uLong size) {
  auto* file = static_cast<MemoryFile*>(stream);
  if (file->out != nullptr || file->fd >= 0 || file->pos >= file->in.size()) return 0;
  const uint64_t n = std::min<uint64_t>(size, file->in.size() - file->pos);
  std::memcpy(buf, file->in.data() + file->pos, n);
  file->pos += n;
  return static_cast<uLong>(n);
}

uLong ZCALLBACK MemoryWrite(voidpf, voidpf stream, const void* buf, uLong size) {
  auto* file = static_cast<MemoryFile*>(stream);
  if (file->fd >= 0) {
    const char* from = static_cast<const char*>(buf);
    for (uLong done = 0; done < size;) {
      ssize_t put = pwrite(file->fd, from + done, size - done, static_cast<off_t>(file->pos + done));
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) {
        file->failed = true;
        return done;
      }
      done += static_cast<uLong>(put);
    }
    file->pos += size;
    file->fd_size = std::max(file->fd_size, file->pos);
    return size;
  }
  if (file->out == nullptr) return 0;
  if (file->pos + size > file->out->size()) file->out->resize(file->pos + size);
  std::memcpy(file->out->data() + file->pos, buf, size);
  file->pos += size;
  return size;
}

ZPOS64_T ZCALLBACK MemoryTell(voidpf, voidpf stream) { return static_cast<MemoryFile*>(stream)->pos; }

long ZCALLBACK MemorySeek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* file = static_cast<MemoryFile*>(stream);
  uint64_t base = 0;
  switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
    case ZLIB_FILEFUNC_SEEK_CUR: base = file->pos; break;
    case ZLIB_FILEFUNC_SEEK_END: base = file->size(); break;
    default: return -1;
  }
  if (offset > file->size() - std::min(base, file->size())) return -1;
  file->pos = base + offset;
  return 0;
}

int ZCALLBACK MemoryClose(voidpf, voidpf) { return 0; }
int ZCALLBACK MemoryError(voidpf, voidpf) { return 0; }

zlib_filefunc64_def MemoryFunctions(MemoryFile* file) {
  zlib_filefunc64_def def;
  def.zopen64_file = MemoryOpen;
  def.zread_file = MemoryRead;
  def.zwrite_file = MemoryWrite;
  def.ztell64_file = MemoryTell;
  def.zseek64_file = MemorySeek;
  def.zclose_file = MemoryClose;
  def.zerror_file = MemoryError;
  def.opaque = file;
  return def;
}

// What minizip's error code means, for a message.
std::string Reason(int code) {
  switch (code) {
    case UNZ_BADZIPFILE: return "压缩包结构不对";
    case UNZ_CRCERROR: return "校验和不符";
    case UNZ_END_OF_LIST_OF_FILE: return "目录在文件末尾之前中断";
    case Z_DATA_ERROR: return "压缩数据无效";
    case Z_MEM_ERROR: return "内存不足";
    case UNZ_ERRNO: return "数据在文件末尾之前中断";
    default: return "错误码 " + std::to_string(code);
  }
}

// The current entry's information and name.
int CurrentEntry(unzFile unz, unz_file_info64* info, std::string* name, std::string* extra) {
  int rc = unzGetCurrentFileInfo64(unz, info, nullptr, 0, nullptr, 0, nullptr, 0);
  if (rc != UNZ_OK) return rc;
  name->resize(info->size_filename);
  if (extra != nullptr) extra->resize(info->size_file_extra);
  return unzGetCurrentFileInfo64(unz, info, name->data(), name->size(),
                                 extra ? extra->data() : nullptr, extra ? extra->size() : 0, nullptr, 0);
}

}  // namespace

// The open archive: minizip's handle over the bytes, and every entry's
// position and declared size by its case-folded name (the first of two
// equal names wins).
struct ZipArchive::Entries {
  struct Entry {
    unz64_file_pos pos;
    uint64_t declared_size;
  };
  MemoryFile file;
  unzFile unz = nullptr;
  std::unordered_map<std::string, Entry> by_name;
  ~Entries() {
    if (unz != nullptr) unzClose(unz);
  }
};

Result<std::unique_ptr<ZipArchive>> ZipArchive::Open(std::string name, std::string_view bytes,
                                                     const ZipLimits& limits) {
  auto entries = std::make_unique<Entries>();
  entries->file.in = bytes;
  zlib_filefunc64_def functions = MemoryFunctions(&entries->file);
  entries->unz = unzOpen2_64("", &functions);
  auto damaged = [&](const std::string& why) {
    return Status(StatusCode::kUndecodable, name + "：不是有效的 Word 文档（压缩包已损坏或被截断：" + why + "）。");
  };
  if (entries->unz == nullptr) return damaged("找不到压缩包目录");
  unz_global_info64 global;
  if (int rc = unzGetGlobalInfo64(entries->unz, &global); rc != UNZ_OK) return damaged(Reason(rc));
  if (global.number_entry > limits.max_entries) {
    return Status(StatusCode::kTooLarge, name + "：压缩包内文件数超过 " +
                                             std::to_string(limits.max_entries) + " 的上限，未读取。");
  }
  entries->by_name.reserve(global.number_entry);
  unz_file_info64 info;
  std::string entry_name;
  int rc = unzGoToFirstFile(entries->unz);
  for (uint64_t k = 0; rc == UNZ_OK; ++k) {
    if (k >= global.number_entry) break;
    if (int got = CurrentEntry(entries->unz, &info, &entry_name, nullptr); got != UNZ_OK) return damaged(Reason(got));
    unz64_file_pos pos;
    if (int got = unzGetFilePos64(entries->unz, &pos); got != UNZ_OK) return damaged(Reason(got));
    entries->by_name.emplace(FoldCase(entry_name), Entries::Entry{pos, info.uncompressed_size});
    rc = unzGoToNextFile(entries->unz);
  }
  if (rc != UNZ_OK && rc != UNZ_END_OF_LIST_OF_FILE) return damaged(Reason(rc));
  return std::unique_ptr<ZipArchive>(new ZipArchive(std::move(name), std::move(entries), limits));
}

ZipArchive::ZipArchive(std::string name, std::unique_ptr<Entries> entries, const ZipLimits& limits)
    : name_(std::move(name)), entries_(std::move(entries)), limits_(limits) {}

ZipArchive::~ZipArchive() = default;

bool ZipArchive::Has(std::string_view path) const { return entries_->by_name.count(FoldCase(path)) != 0; }

uint64_t ZipArchive::DeclaredSize(std::string_view path) const {
  auto found = entries_->by_name.find(FoldCase(path));
  return found == entries_->by_name.end() ? 0 : found->second.declared_size;
}

Status ZipArchive::OpenPart(const std::string& part, uint64_t* declared_out) {
  auto found = entries_->by_name.find(FoldCase(part));
  if (found == entries_->by_name.end()) return Status(StatusCode::kNotFound, name_ + "：缺少部件 " + part + "。");
  unzFile unz = entries_->unz;
  unz_file_info64 info;
  std::string entry_name;
  if (unzGoToFilePos64(unz, &found->second.pos) != UNZ_OK || CurrentEntry(unz, &info, &entry_name, nullptr) != UNZ_OK) {
    return Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 的目录项已损坏。");
  }
  // The declared sizes are checked first (cheap); minizip never inflates
  // past the declared size, and a part whose data goes on past it fails its
  // checksum.
  const uint64_t declared = info.uncompressed_size;
  if (declared > limits_.max_part_bytes) {
    return Status(StatusCode::kTooLarge, name_ + "：部件 " + part + " 解压后超过 " +
                                              MiB(limits_.max_part_bytes) + " 的上限，未读取。");
  }
  if (declared > 1024 * 1024 && declared / std::max<uint64_t>(info.compressed_size, 1) > limits_.max_ratio) {
    return Status(StatusCode::kTooLarge, name_ + "：部件 " + part + " 的压缩比异常（疑似压缩炸弹），未读取。");
  }
  if (total_read_ + declared > limits_.max_total_bytes) {
    return Status(StatusCode::kTooLarge, name_ + "：压缩包解压后总量超过 " +
                                              MiB(limits_.max_total_bytes) + " 的上限，未读取。");
  }
  if ((info.flag & 1) != 0) {
    return Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 已加密，无法解压。");
  }
  if (info.compression_method != 0 && info.compression_method != Z_DEFLATED) {
    return Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 无法解压（不支持的压缩方式 " +
                                                 std::to_string(info.compression_method) + "）。");
  }
  if (int rc = unzOpenCurrentFile(unz); rc != UNZ_OK) {
    return Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 无法解压（" + Reason(rc) + "）。");
  }
  *declared_out = declared;
  return Status::Ok();
}

Status ZipArchive::ClosePart(const std::string& part, uint64_t declared, uint64_t used, Status status) {
  const int closed = unzCloseCurrentFile(entries_->unz);
  if (!status.ok()) return status;
  if (used != declared) {
    return Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 被截断。");
  }
  if (closed == UNZ_CRCERROR) {
    return Status(StatusCode::kUndecodable,
                  name_ + "：部件 " + part + " 解压后的大小或校验和与目录不符，文件已损坏或被篡改。");
  }
  if (closed != UNZ_OK) {
    return Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 的数据已损坏（" + Reason(closed) + "）。");
  }
  total_read_ += used;
  return Status::Ok();
}

Result<std::string> ZipArchive::Read(std::string_view path) {
  const std::string part(path);
  uint64_t declared = 0;
  Status status = OpenPart(part, &declared);
  if (!status.ok()) return status;
  // Inflated straight into the result: minizip never inflates past the
  // declared size, so the part is held once.
  std::string out(static_cast<size_t>(declared), '\0');
  uint64_t used = 0;
  while (used < declared) {
    const unsigned chunk = static_cast<unsigned>(std::min<uint64_t>(declared - used, 1u << 30));
    int got = unzReadCurrentFile(entries_->unz, out.data() + used, chunk);
    if (got < 0) {
      status = Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 的数据已损坏（" + Reason(got) + "）。");
      break;
    }
    if (got == 0) break;
    used += static_cast<uint64_t>(got);
  }
  status = ClosePart(part, declared, used, std::move(status));
  if (!status.ok()) return status;
  return out;
}

Status ZipArchive::Stream(std::string_view path, size_t chunk,
                          const std::function<Status(std::string_view)>& sink) {
  const std::string part(path);
  uint64_t declared = 0;
  Status status = OpenPart(part, &declared);
  if (!status.ok()) return status;
  // The buffer: one chunk, or the declared size when that is less (minizip
  // never inflates past it).
  std::string buffer(
      static_cast<size_t>(std::min<uint64_t>(std::max<size_t>(chunk, 1), std::max<uint64_t>(declared, 1))), '\0');
  uint64_t used = 0;
  for (;;) {
    const unsigned room = static_cast<unsigned>(std::min<size_t>(buffer.size(), 1u << 30));
    int got = unzReadCurrentFile(entries_->unz, buffer.data(), room);
    if (got < 0) {
      status = Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 的数据已损坏（" + Reason(got) + "）。");
      break;
    }
    if (got == 0) break;
    used += static_cast<uint64_t>(got);
    status = sink(std::string_view(buffer.data(), static_cast<size_t>(got)));
    if (!status.ok()) break;
  }
  return ClosePart(part, declared, used, std::move(status));
}

Result<std::string> RewriteZip(const std::string& name, std::string_view bytes,
                               const std::map<std::string, std::string>& replaced,
                               std::map<std::string, FILE*> replaced_files, const std::string& out_path) {
  auto close_files = [&] {
    for (auto& [path, file] : replaced_files) {
      if (file != nullptr) std::fclose(file);
      file = nullptr;
    }
  };
  auto fail = [&](const std::string& why) {
    close_files();
    return Status(StatusCode::kInternal, name + "：无法写出 Word 文档（" + why + "）。");
  };
  // The copy goes to memory (returned) or to a temporary file beside
  // `out_path`, committed over it at the end.
  std::unique_ptr<TemporaryFile> temporary;
  if (!out_path.empty()) {
    auto created = TemporaryFile::Create(out_path);
    if (!created.ok()) return fail(created.status().message());
    temporary = std::move(created).value();
  }
  MemoryFile in;
  in.in = bytes;
  zlib_filefunc64_def in_functions = MemoryFunctions(&in);
  unzFile unz = unzOpen2_64("", &in_functions);
  if (unz == nullptr) return fail("原文件不是有效的压缩包");
  std::string result;
  MemoryFile out;
  if (temporary != nullptr) {
    out.fd = temporary->fd();
  } else {
    out.out = &result;
  }
  zlib_filefunc64_def out_functions = MemoryFunctions(&out);
  zipFile zip = zipOpen2_64("", APPEND_STATUS_CREATE, nullptr, &out_functions);
  if (zip == nullptr) {
    unzClose(unz);
    return fail("内存不足");
  }
  constexpr uLong kUtf8Name = 1 << 11;  // general purpose flag: the name is UTF-8
  // A new entry `path`, deflated, its bytes handed over by `write` (which
  // returns false when they cannot be had).
  auto add_entry = [&](const std::string& path, bool zip64, const zip_fileinfo& when,
                       const std::function<bool()>& write) -> std::string {
    if (zipOpenNewFileInZip4_64(zip, path.c_str(), &when, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                Z_DEFAULT_COMPRESSION, 0, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, nullptr, 0, 0,
                                kUtf8Name, zip64) != ZIP_OK) {
      return "无法添加部件 " + path;
    }
    const bool written = write();
    return zipCloseFileInZip(zip) == ZIP_OK && written ? "" : "无法写入部件 " + path;
  };
  auto add = [&](const std::string& path, const std::string& data, const zip_fileinfo& when) -> std::string {
    return add_entry(path, data.size() >= 0xffffffffu, when, [&] {
      for (size_t at = 0; at < data.size();) {
        const unsigned chunk = static_cast<unsigned>(std::min<size_t>(data.size() - at, 1u << 30));
        if (zipWriteInFileInZip(zip, data.data() + at, chunk) != ZIP_OK) return false;
        at += chunk;
      }
      return true;
    });
  };
  // A part from a file, read from its start in pieces, closed after.
  auto add_file = [&](const std::string& path, FILE*& file, const zip_fileinfo& when) -> std::string {
    // ZIP64 only for a part that needs it (as for a part from memory).
    bool zip64 = true;
    if (file != nullptr && std::fseek(file, 0, SEEK_END) == 0) {
      const long size = std::ftell(file);
      zip64 = size < 0 || static_cast<uint64_t>(size) >= 0xffffffffu;
    }
    std::string why = add_entry(path, zip64, when, [&] {
      if (file == nullptr || std::fseek(file, 0, SEEK_SET) != 0) return false;
      std::vector<char> buffer(1 << 20);
      for (;;) {
        const size_t got = std::fread(buffer.data(), 1, buffer.size(), file);
        if (got > 0 && zipWriteInFileInZip(zip, buffer.data(), static_cast<unsigned>(got)) != ZIP_OK) return false;
        if (got < buffer.size()) return std::ferror(file) == 0;
      }
    });
    if (file != nullptr) std::fclose(file);
    file = nullptr;
    return why;
  };
  std::string why;
  std::map<std::string, bool> written;  // replaced parts found in the archive
  unz_file_info64 info;
  std::string entry_name;
  std::string extra;
  std::string raw;
  int rc = unzGoToFirstFile(unz);
  while (why.empty() && rc == UNZ_OK) {
    if (CurrentEntry(unz, &info, &entry_name, &extra) != UNZ_OK) {
      why = "原文件的目录已损坏";
      break;
    }
    zip_fileinfo when{};
    when.dosDate = info.dosDate;
    when.internal_fa = info.internal_fa;
    when.external_fa = info.external_fa;
    auto replacement = replaced.find(entry_name);
    auto replacement_file = replaced_files.find(entry_name);
    if (replacement != replaced.end()) {
      written[entry_name] = true;
      why = add(entry_name, replacement->second, when);
    } else if (replacement_file != replaced_files.end()) {
      written[entry_name] = true;
      why = add_file(entry_name, replacement_file->second, when);
    } else {
      // Copied as it was: the compressed bytes, sizes and checksum. A ZIP64
      // block of the extra field is left to minizip, which writes its own.
      int method = 0;
      int level = 0;
      int extra_size = static_cast<int>(extra.size());
      zipRemoveExtraInfoBlock(extra.data(), &extra_size, 0x0001);
      const bool zip64 = info.uncompressed_size >= 0xffffffffu || info.compressed_size >= 0xffffffffu;
      if (unzOpenCurrentFile2(unz, &method, &level, 1) != UNZ_OK ||
          zipOpenNewFileInZip4_64(zip, entry_name.c_str(), &when, extra.data(), static_cast<uInt>(extra_size),
                                  extra.data(), static_cast<uInt>(extra_size), nullptr, method, level, 1,
                                  -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, nullptr, 0, info.version,
                                  info.flag & kUtf8Name, zip64) != ZIP_OK) {
        unzCloseCurrentFile(unz);
        why = "无法复制部件 " + entry_name;
        break;
      }
      // In pieces, so that a large picture is not held whole.
      raw.resize(std::min<uint64_t>(info.compressed_size, 1 << 20));
      uint64_t used = 0;
      bool copied = true;  // every piece read was written
      while (used < info.compressed_size) {
        const unsigned chunk = static_cast<unsigned>(std::min<uint64_t>(info.compressed_size - used, raw.size()));
        int got = unzReadCurrentFile(unz, raw.data(), chunk);
        if (got <= 0) break;
        if (zipWriteInFileInZip(zip, raw.data(), static_cast<unsigned>(got)) != ZIP_OK) {
          copied = false;
          break;
        }
        used += static_cast<uint64_t>(got);
      }
      unzCloseCurrentFile(unz);
      const bool closed = zipCloseFileInZipRaw64(zip, info.uncompressed_size, info.crc) == ZIP_OK;
      if (copied && used != info.compressed_size) {
        why = "部件 " + entry_name + " 的数据不完整";
        break;
      }
      if (!copied || !closed) {
        why = "无法复制部件 " + entry_name;
        break;
      }
    }
    if (why.empty()) rc = unzGoToNextFile(unz);
  }
  if (why.empty() && rc != UNZ_END_OF_LIST_OF_FILE) why = "原文件的目录已损坏";
  unzClose(unz);
  // Parts the archive did not hold are added at its end.
  zip_fileinfo now{};
  for (const auto& [path, data] : replaced) {
    if (!why.empty()) break;
    if (!written.count(path)) why = add(path, data, now);
  }
  for (auto& [path, file] : replaced_files) {
    if (!why.empty()) break;
    if (!written.count(path)) why = add_file(path, file, now);
  }
  if (zipClose(zip, nullptr) != ZIP_OK && why.empty()) why = "无法写完压缩包";
  if (why.empty() && out.failed) why = "写入失败";
  if (!why.empty()) return fail(why);
  if (temporary != nullptr) {
    Status committed = temporary->Commit();
    if (!committed.ok()) return fail(committed.message());
    return std::string();
  }
  return result;
}

std::string ResolvePartPath(std::string_view source_part, std::string_view target) {
  if (target.find("://") != std::string_view::npos) return "";
  std::vector<std::string> parts;
  if (!target.empty() && target.front() == '/') {
    target.remove_prefix(1);
  } else {
    size_t slash = source_part.rfind('/');
    std::string_view folder = slash == std::string_view::npos ? "" : source_part.substr(0, slash);
    size_t start = 0;
    while (start < folder.size()) {
      size_t end = folder.find('/', start);
      if (end == std::string_view::npos) end = folder.size();
      if (end > start) parts.emplace_back(folder.substr(start, end - start));
      start = end + 1;
    }
  }
  size_t start = 0;
  while (start <= target.size()) {
    size_t end = target.find('/', start);
    if (end == std::string_view::npos) end = target.size();
    std::string_view piece = target.substr(start, end - start);
    if (piece == "..") {
      if (parts.empty()) return "";
      parts.pop_back();
    } else if (!piece.empty() && piece != ".") {
      parts.emplace_back(piece);
    }
    start = end + 1;
  }
  std::string path;
  for (const std::string& p : parts) {
    if (!path.empty()) path += '/';
    path += p;
  }
  return path;
}

}  // namespace taizhang::ingest_internal
