// The characters of one sentence that the scanners stop at, found in one
// pass (internal to extract/): where a time expression may start, where a
// number or a rank may start, the quotation marks and title brackets. The
// time, quantity and enumeration scanners read this table instead of each
// decoding every character of the sentence again.
#ifndef TAIZHANG_EXTRACT_SENTENCE_HITS_H_
#define TAIZHANG_EXTRACT_SENTENCE_HITS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "extract/extract.h"

namespace taizhang::extract_internal {

// What a character is to the scanners (bits of Hit::flags).
enum HitFlag : uint16_t {
  kHitTime = 1,       // a time expression may start here (TimeLexicon's stops)
  kHitNumber = 2,     // a number may start here (CanStartNumber)
  kHitRankLead = 4,   // 第 or 前: a rank may start here
  kHitQuote = 8,      // 《 》 “ ”
  kHitClauseBreak = 16,    // IsClauseBreak
  kHitItemBreak = 32,      // IsItemBreak
  kHitSentenceBreak = 64,  // ；; 。 and a line feed: the end of a clause group
  kHitListMark = 128,      // “ 、 各: what an enumeration needs
};

struct Hit {
  uint32_t pos;   // byte offset of the character
  uint32_t next;  // byte offset just past it
  char32_t cp;
  uint16_t flags;
};

struct SentenceHits {
  Span span;
  std::vector<Hit> hits;  // in text order
  // The span is valid UTF-8: every position a scanner can move to is one of
  // the character boundaries this pass met, so reading the hits visits the
  // same characters as decoding the span. When false, scanners decode.
  bool valid = false;
  // Fills the table for text[span] (text bounded as the scanners bound it).
  // `text_valid`: the caller knows the text around the span to be valid
  // UTF-8 (then only the span's ends are checked to be boundaries).
  void Build(std::string_view text, Span span, bool text_valid = false);
  // Whether the table answers for text[floor, pos): valid, and the range
  // inside the span.
  bool Covers(size_t floor, size_t pos) const { return valid && floor >= span.begin && pos <= span.end; }
  // The start of the run before `pos` holding no character of `flag`, not
  // reaching below `floor` (both character boundaries, Covers(floor, pos)):
  // just past the last such character in [floor, pos), else floor.
  size_t RunStart(size_t floor, size_t pos, uint16_t flag) const;
};

// The scanners over a sentence whose hits are known (the public
// ExtractQuantities / ExtractTimes build the table themselves).
void ScanQuantities(const SourceText& source, const SentenceHits& hits, std::vector<Quantity>* out);
void ScanTimes(const SourceText& source, const SentenceHits& hits, const TimeContext& context,
               std::vector<TimeExpr>* out);

// True for the code points where a time expression may start (the time
// scanner's lexicon).
bool IsTimeStop(char32_t cp);

}  // namespace taizhang::extract_internal

#endif  // TAIZHANG_EXTRACT_SENTENCE_HITS_H_
