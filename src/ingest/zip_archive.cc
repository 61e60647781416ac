// ZipArchive over libzip, reading from memory.
#include "ingest/zip_archive.h"

#include <zip.h>

#include <algorithm>
#include <vector>

#include "common/atomic_file.h"

namespace taizhang::ingest_internal {

namespace {

zip_t* AsZip(void* p) { return static_cast<zip_t*>(p); }

std::string MiB(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

Result<std::unique_ptr<ZipArchive>> ZipArchive::Open(std::string name, std::string_view bytes,
                                                     const ZipLimits& limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return Status(StatusCode::kInternal, name + "：无法读取压缩包（内存不足）。");
  }
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (zip == nullptr) {
    std::string reason = zip_error_strerror(&error);
    zip_source_free(source);
    zip_error_fini(&error);
    return Status(StatusCode::kUndecodable,
                  name + "：不是有效的 Word 文档（压缩包已损坏或被截断：" + reason + "）。");
  }
  zip_error_fini(&error);
  zip_int64_t entries = zip_get_num_entries(zip, 0);
  if (entries < 0 || static_cast<uint64_t>(entries) > limits.max_entries) {
    zip_discard(zip);
    return Status(StatusCode::kTooLarge, name + "：压缩包内文件数超过 " +
                                             std::to_string(limits.max_entries) + " 的上限，未读取。");
  }
  return std::unique_ptr<ZipArchive>(new ZipArchive(std::move(name), zip, limits));
}

ZipArchive::~ZipArchive() { zip_discard(AsZip(zip_)); }

bool ZipArchive::Has(std::string_view path) const {
  return zip_name_locate(AsZip(zip_), std::string(path).c_str(), ZIP_FL_NOCASE) >= 0;
}

uint64_t ZipArchive::DeclaredSize(std::string_view path) const {
  zip_int64_t index = zip_name_locate(AsZip(zip_), std::string(path).c_str(), ZIP_FL_NOCASE);
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (index < 0 || zip_stat_index(AsZip(zip_), static_cast<zip_uint64_t>(index), 0, &stat) != 0 ||
      !(stat.valid & ZIP_STAT_SIZE)) {
    return 0;
  }
  return stat.size;
}

Status ZipArchive::OpenPart(const std::string& part, void** file_out, uint64_t* declared_out) {
  zip_int64_t index = zip_name_locate(AsZip(zip_), part.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return Status(StatusCode::kNotFound, name_ + "：缺少部件 " + part + "。");
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(AsZip(zip_), static_cast<zip_uint64_t>(index), 0, &stat) != 0 ||
      !(stat.valid & ZIP_STAT_SIZE)) {
    return Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 的目录项已损坏。");
  }
  // The declared sizes are checked first (cheap), then the inflated bytes are
  // counted as they come, since a hostile file can declare anything.
  const uint64_t declared = stat.size;
  if (declared > limits_.max_part_bytes) {
    return Status(StatusCode::kTooLarge, name_ + "：部件 " + part + " 解压后超过 " +
                                              MiB(limits_.max_part_bytes) + " 的上限，未读取。");
  }
  if ((stat.valid & ZIP_STAT_COMP_SIZE) && declared > 1024 * 1024 &&
      declared / std::max<uint64_t>(stat.comp_size, 1) > limits_.max_ratio) {
    return Status(StatusCode::kTooLarge, name_ + "：部件 " + part + " 的压缩比异常（疑似压缩炸弹），未读取。");
  }
  if (total_read_ + declared > limits_.max_total_bytes) {
    return Status(StatusCode::kTooLarge, name_ + "：压缩包解压后总量超过 " +
                                              MiB(limits_.max_total_bytes) + " 的上限，未读取。");
  }
  zip_file_t* file = zip_fopen_index(AsZip(zip_), static_cast<zip_uint64_t>(index), 0);
  if (file == nullptr) {
    return Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 无法解压（" +
                                                 zip_strerror(AsZip(zip_)) + "）。");
  }
  *file_out = file;
  *declared_out = declared;
  return Status::Ok();
}

Result<std::string> ZipArchive::Read(std::string_view path) {
  const std::string part(path);
  void* opened = nullptr;
  uint64_t declared = 0;
  Status open = OpenPart(part, &opened, &declared);
  if (!open.ok()) return open;
  zip_file_t* file = static_cast<zip_file_t*>(opened);
  std::string out;
  // One byte of room past the declared size: reading it (a lie) never
  // reallocates, so the part is held once (a 250 MB part was held three
  // times over while the string grew).
  out.reserve(declared + 1);
  out.resize(declared);
  uint64_t used = 0;
  Status status = Status::Ok();
  for (;;) {
    if (used == out.size()) {
      // More than declared: read at most one byte past, to detect the lie.
      out.resize(out.size() + 1);
    }
    zip_int64_t got = zip_fread(file, out.data() + used, out.size() - used);
    if (got < 0) {
      status = Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 的数据已损坏（" +
                                                    zip_file_strerror(file) + "）。");
      break;
    }
    if (got == 0) break;
    used += static_cast<uint64_t>(got);
    if (used > declared) {
      status = Status(StatusCode::kUndecodable,
                      name_ + "：部件 " + part + " 解压后的大小与目录不符，文件已损坏或被篡改。");
      break;
    }
  }
  zip_fclose(file);
  if (!status.ok()) return status;
  if (used != declared) {
    return Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 被截断。");
  }
  out.resize(used);
  total_read_ += used;
  return out;
}

Status ZipArchive::Stream(std::string_view path, size_t chunk,
                          const std::function<Status(std::string_view)>& sink) {
  const std::string part(path);
  void* opened = nullptr;
  uint64_t declared = 0;
  Status status = OpenPart(part, &opened, &declared);
  if (!status.ok()) return status;
  zip_file_t* file = static_cast<zip_file_t*>(opened);
  // The buffer: one chunk, or the declared size and one byte (a lie past
  // it is seen) when that is less.
  std::string buffer(static_cast<size_t>(std::min<uint64_t>(std::max<size_t>(chunk, 1), declared + 1)), '\0');
  uint64_t used = 0;
  for (;;) {
    zip_int64_t got = zip_fread(file, buffer.data(), buffer.size());
    if (got < 0) {
      status = Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 的数据已损坏（" +
                                                    zip_file_strerror(file) + "）。");
      break;
    }
    if (got == 0) break;
    used += static_cast<uint64_t>(got);
    if (used > declared) {
      status = Status(StatusCode::kUndecodable,
                      name_ + "：部件 " + part + " 解压后的大小与目录不符，文件已损坏或被篡改。");
      break;
    }
    status = sink(std::string_view(buffer.data(), static_cast<size_t>(got)));
    if (!status.ok()) break;
  }
  zip_fclose(file);
  if (!status.ok()) return status;
  if (used != declared) return Status(StatusCode::kUndecodable, name_ + "：部件 " + part + " 被截断。");
  total_read_ += used;
  return Status::Ok();
}

Result<std::string> RewriteZip(const std::string& name, std::string_view bytes,
                               const std::map<std::string, std::string>& replaced,
                               std::map<std::string, FILE*> replaced_files, const std::string& out_path) {
  auto fail = [&](const std::string& why) {
    for (auto& [path, file] : replaced_files) {
      if (file != nullptr) std::fclose(file);
    }
    return Status(StatusCode::kInternal, name + "：无法写出 Word 文档（" + why + "）。");
  };
  zip_error_t error;
  zip_error_init(&error);
  // libzip writes the result back into its source on zip_close: a buffer
  // (returned), or a copy of the input in a temporary file beside the
  // destination (committed over it).
  std::unique_ptr<TemporaryFile> temporary;
  zip_source_t* buffer = nullptr;
  zip_t* zip = nullptr;
  if (out_path.empty()) {
    buffer = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (buffer == nullptr) return fail("内存不足");
    zip = zip_open_from_source(buffer, 0, &error);
    if (zip == nullptr) zip_source_free(buffer);
  } else {
    auto created = TemporaryFile::Create(out_path);
    if (!created.ok()) return fail(created.status().message());
    temporary = std::move(created).value();
    Status s = temporary->Write(bytes);
    if (s.ok()) s = temporary->CloseDescriptor();
    if (!s.ok()) return fail(s.message());
    int code = 0;
    zip = zip_open(temporary->path().c_str(), 0, &code);
    if (zip == nullptr) zip_error_init_with_code(&error, code);
  }
  if (zip == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return fail(why);
  }
  zip_error_fini(&error);
  if (buffer != nullptr) zip_source_keep(buffer);
  auto give_up = [&](const std::string& why) {
    zip_discard(zip);
    if (buffer != nullptr) zip_source_free(buffer);
    return fail(why);
  };
  auto add = [&](const std::string& path, zip_source_t* part) -> bool {
    zip_int64_t index = part ? zip_file_add(zip, path.c_str(), part, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) : -1;
    if (index < 0) {
      zip_source_free(part);
      return false;
    }
    zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 0);
    return true;
  };
  for (const auto& [path, data] : replaced) {
    if (!add(path, zip_source_buffer(zip, data.data(), data.size(), 0))) return give_up(zip_strerror(zip));
  }
  for (auto& [path, file] : replaced_files) {
    // The source owns the file from here (closed when the source is freed).
    zip_source_t* part = zip_source_filep(zip, file, 0, -1);
    if (part != nullptr) file = nullptr;
    if (!add(path, part)) return give_up(zip_strerror(zip));
  }
  if (zip_close(zip) != 0) return give_up(zip_strerror(zip));
  if (temporary != nullptr) {
    Status s = temporary->Commit();
    if (!s.ok()) return fail(s.message());
    return std::string();
  }
  std::string out;
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_source_stat(buffer, &stat) != 0 || zip_source_open(buffer) != 0) {
    zip_source_free(buffer);
    return fail("读取结果失败");
  }
  out.resize(stat.size);
  zip_int64_t got = zip_source_read(buffer, out.data(), out.size());
  zip_source_close(buffer);
  zip_source_free(buffer);
  if (got < 0 || static_cast<uint64_t>(got) != out.size()) return fail("读取结果失败");
  return out;
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
