// Sentence boundaries in Chinese running text (internal to outline/).
//
// A sentence ends after 。！？!? (and any closing quotes or brackets that
// directly follow) when no quote or bracket is open. A paragraph whose
// brackets never balance is split at every terminator instead, so one stray
// “ cannot swallow a whole paragraph.
#ifndef TAIZHANG_OUTLINE_SENTENCE_SPLITTER_H_
#define TAIZHANG_OUTLINE_SENTENCE_SPLITTER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "outline/outline.h"

namespace taizhang::outline_internal {

// Appends the sentences of text[span] to *out (white space and line breaks
// at sentence starts are skipped; empty sentences are not produced).
void SplitSentences(std::string_view text, Span span, std::vector<Span>* out);

// End (exclusive, before the terminator) of the first sentence in text[span],
// and *after set past the terminator and its closers; returns span.end and sets
// *after = span.end when there is no terminator.
uint32_t FirstSentenceEnd(std::string_view text, Span span, uint32_t* after);

}  // namespace taizhang::outline_internal

#endif  // TAIZHANG_OUTLINE_SENTENCE_SPLITTER_H_
