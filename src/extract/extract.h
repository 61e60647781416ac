// Stage 3 — extract: the figures a report states.
//
//   taizhang::OutlineResult outline = taizhang::BuildOutline(source);
//   taizhang::FileFacts facts = taizhang::ExtractFacts(source, outline);
//   for (const taizhang::Quantity& q : facts.reports[0].quantities) ...
//
// A quantity is a number with its unit or classifier: 24家, XX万元, 1.24亿方,
// 100多个, 65岁及以上, 两家, 百分之六十, 1－2个. Values are exact decimals,
// normalised to the unit's base (万元 → 元 ×10⁴, 亿方 → m³ ×10⁸); a placeholder
// (XX, X, ××) is a quantity whose value is unknown; a malformed number
// (增长.9%) is kept and flagged, never repaired. Dates, list markers and
// numbers inside names, titles 《…》, quoted slogans and set terms are not
// quantities (data/quantity_words.tsv lists the set terms).
//
// Offsets are byte offsets into SourceText::text(), as in the outline stage.
#ifndef TAIZHANG_EXTRACT_EXTRACT_H_
#define TAIZHANG_EXTRACT_EXTRACT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "ingest/ingest.h"
#include "outline/outline.h"

namespace taizhang {

enum class Approximation : uint8_t { kExact, kAbout, kOver, kUnder, kRange };
const char* ApproximationName(Approximation a);  // "exact" "about" "over" "under" "range"

struct Quantity {
  Span span;                     // number, unit and attached 余/多/以上 …
  uint32_t line = 0;
  uint32_t column = 0;
  std::optional<Decimal> value;  // nullopt for placeholders and malformed numbers
  std::optional<Decimal> high;   // upper end of a range
  std::string unit;              // canonical unit of the value: 元 m³ 个 % …
  std::string kind;              // count money percent … (data/units.tsv), or rank
  Approximation approx = Approximation::kExact;
  bool placeholder = false;
  bool malformed = false;
  int sentence = -1;             // index into Report::sentences, -1 if none
};

struct ReportFacts {
  std::vector<Quantity> quantities;
};

struct FileFacts {
  std::vector<ReportFacts> reports;  // parallel to OutlineResult::reports
};

// Quantities in text[span] (one sentence or paragraph); positions are
// located in `source`.
void ExtractQuantities(const SourceText& source, Span span, std::vector<Quantity>* out);

FileFacts ExtractFacts(const SourceText& source, const OutlineResult& outline);

}  // namespace taizhang

#endif  // TAIZHANG_EXTRACT_EXTRACT_H_
