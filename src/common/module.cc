// LoadModuleSymbol: dlopen on first use, one handle per module per process.
#include "common/module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

namespace taizhang {

std::string ExecutableDirectory() {
  std::string path(4096, '\0');
  ssize_t n = readlink("/proc/self/exe", path.data(), path.size());
  if (n <= 0 || static_cast<size_t>(n) >= path.size()) return "";
  path.resize(static_cast<size_t>(n));
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

namespace {

struct Loaded {
  void* handle = nullptr;
  std::string error;
};

Loaded Load(const char* file_name, const char* env_var) {
  Loaded result;
  std::vector<std::string> candidates;
  if (const char* env = std::getenv(env_var); env != nullptr && *env != '\0') {
    candidates.push_back(env);
  } else {
    std::string dir = ExecutableDirectory();
    candidates.push_back(dir + file_name);
    candidates.push_back(dir + "../lib/taizhang/" + file_name);
  }
  for (const std::string& path : candidates) {
    if (access(path.c_str(), R_OK) != 0) continue;
    // Lazily bound, as an executable linked with the libraries binds them:
    // RTLD_NOW would resolve every function of every library behind the
    // module at load (poppler's thirty: NSS, fontconfig, TIFF …, ~1300
    // lookups through the whole scope, ~0.3 ms of a one-page PDF) though a
    // run calls few of them. poppler itself is linked -z now and still
    // binds at load; a stale module is caught by its version below.
    void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      result.error = std::string("模块 ") + path + " 无法加载（" + (why ? why : "原因不明") + "）";
      return result;
    }
    using VersionFn = int (*)();
    auto version = reinterpret_cast<VersionFn>(dlsym(handle, "taizhang_module_version"));
    if (version == nullptr || version() != kModuleVersion) {
      result.error = std::string("模块 ") + path + " 与本程序版本不符，请重新编译";
      return result;
    }
    result.handle = handle;
    return result;
  }
  result.error = std::string("找不到模块 ") + file_name + "（应与 taizhang 在同一目录，或在 ../lib/taizhang/，或由环境变量 " +
                 env_var + " 指定）";
  return result;
}

}  // namespace

void* LoadModuleSymbol(const char* file_name, const char* env_var, const char* symbol, std::string* error) {
  static std::mutex mutex;
  static std::map<std::string, Loaded> modules;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = modules.find(file_name);
  if (it == modules.end()) it = modules.emplace(file_name, Load(file_name, env_var)).first;
  const Loaded& loaded = it->second;
  if (loaded.handle == nullptr) {
    *error = loaded.error;
    return nullptr;
  }
  void* address = dlsym(loaded.handle, symbol);
  if (address == nullptr) *error = std::string("模块 ") + file_name + " 中没有 " + symbol + "，请重新编译";
  return address;
}

}  // namespace taizhang
