// Status and Result<T>: errors as values at the library's boundaries.
//
// The library never prints, exits or aborts. A function that can fail returns a
// Status (or a Result<T> holding either a value or a Status). Messages are in
// Chinese because they are shown to users as they are; they name the file and,
// where known, the place in it. The code says what kind of failure it was, so a
// front end can choose an exit code without parsing text.
#ifndef TAIZHANG_COMMON_STATUS_H_
#define TAIZHANG_COMMON_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace taizhang {

enum class StatusCode {
  kOk = 0,
  kNotFound,         // the file does not exist
  kNotAFile,         // a directory or other non-regular file
  kUnreadable,       // permission denied or an I/O error while reading
  kEmpty,            // the input has no content (or only white space)
  kBinary,           // the input is not text (NUL bytes, control bytes)
  kUndecodable,      // the bytes are not valid in any supported encoding
  kTooLarge,         // the input exceeds a configured limit
  kInvalidArgument,  // a caller passed something unusable (e.g. bad encoding name)
  kInternal,         // a bug or a failure of a third-party library
  kAborted,          // a concurrent transaction got in the way (serialization
                     // failure, deadlock, lock wait timed out): retrying may succeed
  kPermissionDenied, // the acting user may not do this (access/: Authorize refused)
};

// Returns a stable English identifier ("not_found", "binary" ...) for JSON output.
const char* StatusCodeName(StatusCode code);

// [[nodiscard]]: a Status returned by a call must be looked at; where
// ignoring it is right, the caller says why with a (void) cast and a comment.
class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // A complete sentence in Chinese naming the input and the place.
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // Requires ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_STATUS_H_
