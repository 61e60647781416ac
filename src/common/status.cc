#include "common/status.h"

namespace taizhang {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kNotAFile: return "not_a_file";
    case StatusCode::kUnreadable: return "unreadable";
    case StatusCode::kEmpty: return "empty";
    case StatusCode::kBinary: return "binary";
    case StatusCode::kUndecodable: return "undecodable";
    case StatusCode::kTooLarge: return "too_large";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kInternal: return "internal";
    case StatusCode::kAborted: return "aborted";
    case StatusCode::kPermissionDenied: return "permission_denied";
  }
  return "unknown";
}

}  // namespace taizhang
