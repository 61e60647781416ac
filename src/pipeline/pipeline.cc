#include "pipeline/pipeline.h"

#include <utility>

#include "common/printable.h"

namespace taizhang {

void RunStages(const AnalyzeOptions& options, AnalyzedFile* file) {
  file->done = Stage::kRead;
  if (options.last < Stage::kOutline) return;
  file->outline = BuildOutline(file->source, options.outline);
  file->done = Stage::kOutline;
  if (options.last < Stage::kFacts) return;
  // A check goes report by report over a compilation only: a single
  // report (--no-split) has its facts held for the check and its writer.
  if (options.defer_facts_from_bytes > 0 && file->source.text().size() >= options.defer_facts_from_bytes &&
      (options.last == Stage::kFacts || file->outline.reports.size() > 1)) {
    file->facts = FileFacts{};
    file->facts.deferred = true;
  } else {
    file->facts = ExtractFacts(file->source, file->outline);
  }
  file->done = Stage::kFacts;
  if (options.last < Stage::kCheck) return;
  if (file->facts.deferred) {
    // Checked report by report by whoever takes the results (ReportChecker).
    file->check = CheckResult{};
    file->check.deferred = true;
    file->check.options = options.check;
  } else {
    file->check = CheckFile(file->source, file->outline, file->facts, options.check);
  }
  file->done = Stage::kCheck;
}

namespace {

AnalyzedFile Analyzed(std::string path, Result<SourceText> source, DocumentFormat format, uint64_t size,
                      const AnalyzeOptions& options) {
  AnalyzedFile file;
  file.path = std::move(path);
  file.format = format;
  file.size_bytes = size;
  if (!source.ok()) {
    file.status = source.status();
    return file;
  }
  file.source = std::move(source).value();
  RunStages(options, &file);
  return file;
}

}  // namespace

AnalyzedFile AnalyzeBytes(std::string name, std::string bytes, const AnalyzeOptions& options) {
  if (bytes.empty()) {
    AnalyzedFile file;
    file.path = name;
    file.status = Status(StatusCode::kEmpty, name + "：文件为空。");
    return file;
  }
  const DocumentFormat format = DetectFormat(bytes);
  const uint64_t size = bytes.size();
  std::string path = name;
  return Analyzed(std::move(path), DecodeDocument(std::move(name), std::move(bytes), options.read), format, size,
                  options);
}

AnalyzedFile AnalyzeFile(const std::string& path, const AnalyzeOptions& options) {
  if (path == "-") {
    Result<SourceText> source = ReadTextStdin(options.read);
    const uint64_t size = source.ok() ? source->text().size() : 0;
    return Analyzed("<标准输入>", std::move(source), DocumentFormat::kText, size, options);
  }
  std::string bytes;
  Status s = ReadFileBytes(path, options.read, &bytes);
  if (!s.ok()) {
    AnalyzedFile file;
    file.path = path;
    file.status = std::move(s);
    return file;
  }
  // Messages and the text's name show the path with control characters
  // escaped; the file keeps the path itself.
  AnalyzedFile file = AnalyzeBytes(PrintableName(path), std::move(bytes), options);
  file.path = path;
  return file;
}

}  // namespace taizhang
