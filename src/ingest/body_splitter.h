// BodySplitter: the main part of a Word package cut, as it is inflated, into
// batches of whole top-level children of its w:body, so that a reader can
// parse a few megabytes at a time instead of the whole part (up to 256 MiB
// of XML). The cutting points come from expat's byte positions
// (XML_GetCurrentByteIndex); the batches are parsed by the caller.
//
//   BodySplitter split(4 << 20, [&](std::string_view xml, bool last) { … });
//   for (each inflated piece) if (!split.Feed(piece)) → split.error()
//   split.Finish();
//
// What a batch needs to be parsed on its own: the root start tag (with the
// namespace declarations) and the w:body start tag, kept verbatim; what
// comes before the body's children (head) and after them (tail) is kept for
// a writer. Internal entities of a DTD are not expanded (as pugixml does
// not), so no element can come out of one.
#ifndef TAIZHANG_INGEST_BODY_SPLITTER_H_
#define TAIZHANG_INGEST_BODY_SPLITTER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace taizhang::ingest_internal {

class BodySplitter {
 public:
  // `on_batch` gets the bytes of whole top-level children of w:body (and
  // the text between them), cut once at least `batch_bytes` have gathered,
  // in document order; `last` for the rest of the body, which may hold no
  // element. A Status it returns other than Ok stops the splitting.
  using BatchSink = std::function<Status(std::string_view xml, bool last)>;
  BodySplitter(size_t batch_bytes, BatchSink on_batch);
  ~BodySplitter();
  BodySplitter(const BodySplitter&) = delete;
  BodySplitter& operator=(const BodySplitter&) = delete;

  // The next bytes of the part. False on malformed XML (error_offset() and
  // error() say where and what) or when on_batch failed (sink_status()).
  bool Feed(std::string_view bytes);
  // After the last bytes: false when the XML ends early.
  bool Finish();

  const std::string& error() const { return error_; }
  uint64_t error_offset() const { return error_offset_; }
  const Status& sink_status() const { return sink_status_; }

  // Known once the body has started.
  bool saw_body() const { return body_start_end_ > 0; }
  bool body_empty() const { return body_empty_; }      // <w:body/>
  const std::string& root_name() const { return root_name_; }
  const std::string& body_name() const { return body_name_; }
  const std::string& root_start_tag() const { return root_start_tag_; }
  const std::string& body_start_tag() const { return body_start_tag_; }
  // The part up to the end of the w:body start tag (prolog, root start tag,
  // the root's children before the body).
  const std::string& head() const { return head_; }
  // The part after the w:body end tag (known after Finish()).
  const std::string& tail() const { return pending_; }

 private:
  static void OnStart(void* self, const char* name, const char** attributes);
  static void OnEnd(void* self, const char* name);
  // Hands out what the parsed events made ready.
  bool Cut(bool final);
  bool Fail(const std::string& what);

  size_t batch_bytes_;
  BatchSink on_batch_;
  void* parser_;  // XML_Parser, kept out of the header
  std::string pending_;   // bytes from pending_base_ on, not yet handed out
  uint64_t pending_base_ = 0;
  int depth_ = 0;
  std::string word_prefix_ = "w:";  // bound by the root to WordprocessingML
  std::string root_name_, body_name_, root_start_tag_, body_start_tag_, head_;
  int body_depth_ = 0;         // the depth of the w:body element, 0 outside it
  bool body_done_ = false;     // its end tag met
  bool head_taken_ = false;
  bool body_empty_ = false;
  bool final_cut_ = false;
  uint64_t body_start_end_ = 0;     // end of the w:body start tag
  uint64_t batch_begin_ = 0;        // where the next batch starts
  uint64_t boundary_ = 0;           // end of the last top-level child met
  uint64_t body_end_begin_ = 0, body_end_end_ = 0;  // the w:body end tag
  std::string error_;
  uint64_t error_offset_ = 0;
  Status sink_status_ = Status::Ok();
};

}  // namespace taizhang::ingest_internal

#endif  // TAIZHANG_INGEST_BODY_SPLITTER_H_
