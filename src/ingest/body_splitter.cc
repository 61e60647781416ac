// BodySplitter over expat: the element events give the byte positions of
// the body's start and end tags and of each top-level child's end; the bytes
// themselves are kept here, from the last cut on.
#include "ingest/body_splitter.h"

#include <expat.h>

#include <algorithm>
#include <cstring>

namespace taizhang::ingest_internal {

namespace {

constexpr std::string_view kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kWordStrictNs = "http://purl.oclc.org/ooxml/wordprocessingml/main";

XML_Parser AsParser(void* p) { return static_cast<XML_Parser>(p); }

// Everything not otherwise handled: setting it keeps expat from expanding
// internal entities (their references come here, unexpanded).
void IgnoreDefault(void*, const XML_Char*, int) {}

}  // namespace

BodySplitter::BodySplitter(size_t batch_bytes, BatchSink on_batch)
    : batch_bytes_(batch_bytes), on_batch_(std::move(on_batch)) {
  // UTF-8 whatever the declaration says, as the DOM parser reads the part.
  XML_Parser parser = XML_ParserCreate("UTF-8");
  parser_ = parser;
  if (parser == nullptr) return;
  XML_SetUserData(parser, this);
  XML_SetElementHandler(parser, &BodySplitter::OnStart, &BodySplitter::OnEnd);
  XML_SetDefaultHandler(parser, IgnoreDefault);
}

BodySplitter::~BodySplitter() {
  if (parser_ != nullptr) XML_ParserFree(AsParser(parser_));
}

void BodySplitter::OnStart(void* data, const char* name, const char** attributes) {
  auto* self = static_cast<BodySplitter*>(data);
  XML_Parser parser = AsParser(self->parser_);
  ++self->depth_;
  const uint64_t at = static_cast<uint64_t>(XML_GetCurrentByteIndex(parser));
  const uint64_t size = static_cast<uint64_t>(XML_GetCurrentByteCount(parser));
  auto tag = [&]() { return self->pending_.substr(at - self->pending_base_, size); };
  if (self->depth_ == 1) {
    self->root_name_ = name;
    self->root_start_tag_ = tag();
    // The prefix bound to WordprocessingML, as the DOM reader takes it: the
    // last xmlns:X declaring it, "w:" when none does.
    for (const char** a = attributes; a[0] != nullptr; a += 2) {
      std::string_view attribute = a[0];
      if (attribute.substr(0, 6) != "xmlns:") continue;
      std::string_view uri = a[1];
      if (uri == kWordNs || uri == kWordStrictNs) self->word_prefix_ = std::string(attribute.substr(6)) + ":";
    }
  } else if (self->depth_ == 2 && self->body_start_end_ == 0 && self->word_prefix_ + "body" == name) {
    self->body_name_ = name;
    self->body_start_tag_ = tag();
    self->body_depth_ = 2;
    self->body_start_end_ = at + size;
    self->body_empty_ = size >= 2 && self->body_start_tag_.compare(size - 2, 2, "/>") == 0;
  }
}

void BodySplitter::OnEnd(void* data, const char* /*name*/) {
  auto* self = static_cast<BodySplitter*>(data);
  XML_Parser parser = AsParser(self->parser_);
  // An empty element's end comes at the end of its tag, with no bytes.
  const uint64_t at = static_cast<uint64_t>(XML_GetCurrentByteIndex(parser));
  const uint64_t end = at + static_cast<uint64_t>(XML_GetCurrentByteCount(parser));
  if (self->body_depth_ > 0 && !self->body_done_) {
    if (self->depth_ == self->body_depth_ + 1) {
      self->boundary_ = end;
    } else if (self->depth_ == self->body_depth_) {
      self->body_done_ = true;
      self->body_end_begin_ = self->body_empty_ ? end : at;
      self->body_end_end_ = end;
    }
  }
  --self->depth_;
}

bool BodySplitter::Fail(const std::string& what) {
  error_ = what;
  error_offset_ = parser_ == nullptr ? 0 : static_cast<uint64_t>(XML_GetCurrentByteIndex(AsParser(parser_)));
  return false;
}

bool BodySplitter::Cut(bool final) {
  auto drop_to = [&](uint64_t offset) {
    pending_.erase(0, offset - pending_base_);
    pending_base_ = offset;
  };
  if (body_start_end_ > 0 && !head_taken_) {
    head_ = pending_.substr(0, body_start_end_ - pending_base_);
    drop_to(body_start_end_);
    batch_begin_ = body_start_end_;
    head_taken_ = true;
  }
  if (body_done_ && !final_cut_) {
    final_cut_ = true;
    if (!body_empty_) {
      sink_status_ = on_batch_(std::string_view(pending_).substr(0, body_end_begin_ - pending_base_), true);
      if (!sink_status_.ok()) return false;
    }
    drop_to(body_end_end_);
  } else if (head_taken_ && !body_done_ && boundary_ > batch_begin_ &&
             (boundary_ - batch_begin_ >= batch_bytes_ || final)) {
    sink_status_ = on_batch_(std::string_view(pending_).substr(0, boundary_ - pending_base_), false);
    if (!sink_status_.ok()) return false;
    drop_to(boundary_);
    batch_begin_ = boundary_;
  }
  return true;
}

bool BodySplitter::Feed(std::string_view bytes) {
  if (parser_ == nullptr) return Fail("out of memory");
  while (!bytes.empty()) {
    const size_t piece = std::min<size_t>(bytes.size(), size_t{1} << 24);
    pending_.append(bytes.data(), piece);
    if (XML_Parse(AsParser(parser_), bytes.data(), static_cast<int>(piece), XML_FALSE) != XML_STATUS_OK) {
      return Fail(XML_ErrorString(XML_GetErrorCode(AsParser(parser_))));
    }
    bytes.remove_prefix(piece);
    if (!Cut(false)) return false;
  }
  return true;
}

bool BodySplitter::Finish() {
  if (parser_ == nullptr) return Fail("out of memory");
  if (XML_Parse(AsParser(parser_), "", 0, XML_TRUE) != XML_STATUS_OK) {
    return Fail(XML_ErrorString(XML_GetErrorCode(AsParser(parser_))));
  }
  return Cut(true);
}

}  // namespace taizhang::ingest_internal
