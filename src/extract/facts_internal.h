// The steps of ExtractFacts after the scanners (internal to extract/): what
// each figure measures, enumerations, plan items.
#ifndef TAIZHANG_EXTRACT_FACTS_INTERNAL_H_
#define TAIZHANG_EXTRACT_FACTS_INTERNAL_H_

#include <cstddef>
#include <string_view>

#include "common/punctuation.h"
#include "extract/extract.h"
#include "extract/sentence_hits.h"

namespace taizhang::extract_internal {

using taizhang::IsClauseBreak;  // common/punctuation.h
using taizhang::IsItemBreak;

// Fills measured, role, role_word, change and time for facts->quantities
// [first, end) of one sentence; facts->times[first_time, …) are that
// sentence's time expressions; `hits` are the sentence's (or nullptr).
void AnnotateFigures(std::string_view text, Span sentence, size_t first, size_t first_time,
                     const SentenceHits* hits, ReportFacts* facts);

// Enumerations of one sentence whose quantities start at `first`.
void FindEnumerations(const SourceText& source, Span sentence, int sentence_index, size_t first,
                      const SentenceHits* hits, ReportFacts* facts);

// Plan items of a report, from its sentences and the figures and times
// already extracted. `text_valid`: the report's sentences are known to be
// valid UTF-8 (then each is decoded once for all the plan scanners).
void FindPlanItems(const SourceText& source, const Report& report, ReportFacts* facts, bool text_valid);

}  // namespace taizhang::extract_internal

#endif  // TAIZHANG_EXTRACT_FACTS_INTERNAL_H_
