// Units and the words around numbers, from data/units.tsv and
// data/quantity_words.tsv (internal to extract/).
#ifndef TAIZHANG_EXTRACT_UNIT_LEXICON_H_
#define TAIZHANG_EXTRACT_UNIT_LEXICON_H_

#include <array>
#include <bitset>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/decimal.h"
#include "common/utf8.h"
#include "extract/extract.h"

namespace taizhang::extract_internal {

struct UnitEntry {
  std::string_view surface;
  std::string_view unit;
  std::string_view kind;
  Decimal factor;
};

struct WordEntry {
  std::string_view text;
  std::string_view value;
};

// Words indexed by their first and last code points, longest first, so that
// matching at a position compares only the words that can match there.
class WordSet {
 public:
  void Add(WordEntry w) { words_.push_back(w); }
  void Build();
  // Longest word starting at text[pos], or nullptr. Inline for the common
  // answer: no word starts with the character there.
  const WordEntry* StartingAt(std::string_view text, size_t pos) const {
    if (pos >= text.size()) return nullptr;
    size_t next = pos;
    const char32_t cp = utf8::Next(text, &next);
    return MayHold(first_filter_, cp) ? StartingWith(text, pos, cp) : nullptr;
  }
  // StartingAt when the caller has decoded the code point at text[pos] (cp).
  const WordEntry* StartingAtDecoded(std::string_view text, size_t pos, char32_t cp) const {
    if (pos >= text.size()) return nullptr;
    return MayHold(first_filter_, cp) ? StartingWith(text, pos, cp) : nullptr;
  }
  // Longest word ending at text[pos] and starting at or after `floor`, or nullptr.
  const WordEntry* EndingAt(std::string_view text, size_t floor, size_t pos) const {
    if (pos <= floor || pos > text.size()) return nullptr;
    size_t before = pos;
    const char32_t cp = utf8::Prev(text.substr(0, pos), &before);
    return MayHold(last_filter_, cp) ? EndingWith(text, floor, pos, cp) : nullptr;
  }
  const std::vector<WordEntry>& words() const { return words_; }
  // False when no word starts with cp: a quick test before StartingAt.
  bool MayStartWith(char32_t cp) const { return MayHold(first_filter_, cp); }

 private:
  static constexpr size_t kFilterSize = 0x10000;  // the BMP; other code points skip the filter
  static bool MayHold(const std::bitset<kFilterSize>& filter, char32_t cp) {
    return cp >= kFilterSize || filter.test(cp);
  }
  // StartingAt once the filter lets cp = the code point at text[pos] pass.
  const WordEntry* StartingWith(std::string_view text, size_t pos, char32_t cp) const;
  // EndingAt once the filter lets cp = the code point before text[pos] pass.
  const WordEntry* EndingWith(std::string_view text, size_t floor, size_t pos, char32_t cp) const;
  // Code point → the words starting (or ending) with it, longest first: an
  // open-addressing table of code points, each with a range of `order`
  // (flat arrays: no node per code point, no hashing library call).
  struct CodePointIndex {
    std::vector<char32_t> keys;  // 0 = empty slot (no word starts with NUL)
    std::vector<uint32_t> first, count;
    std::vector<uint32_t> order;  // indexes into words_
    uint32_t mask = 0;
    void Build(const std::vector<WordEntry>& words, bool by_last);
    // The range of `order` for cp, or an empty one.
    std::pair<const uint32_t*, const uint32_t*> Find(char32_t cp) const {
      if (keys.empty()) return {nullptr, nullptr};
      for (uint32_t slot = (static_cast<uint32_t>(cp) * 0x9E3779B1u) >> 8 & mask;; slot = (slot + 1) & mask) {
        const char32_t k = keys[slot];
        if (k == cp) return {order.data() + first[slot], order.data() + first[slot] + count[slot]};
        if (k == 0) return {nullptr, nullptr};
      }
    }
  };
  // Whether `word` is at text[pos] (pos + word.size() <= text.size() checked
  // by the caller): a byte loop, the words being a few characters long.
  static bool SameBytes(const char* text, std::string_view word) {
    for (size_t k = 0; k < word.size(); ++k) {
      if (text[k] != word[k]) return false;
    }
    return true;
  }
  std::vector<WordEntry> words_;  // longest first
  CodePointIndex by_first_, by_last_;
  std::bitset<kFilterSize> first_filter_, last_filter_;  // quick "no word here"
};

// The roles of data/quantity_words.tsv (column 1).
enum class WordRole : uint8_t {
  kApproxSuffix,  // approx_suffix
  kApproxPrefix,  // approx_prefix
  kMultiplier,  // multiplier
  kExclude,  // exclude
  kNotUnit,  // not_unit
  kRankContext,  // rank_context
  kNotRankAfter,  // not_rank_after
  kNotApproxPrefix,  // not_approx_prefix
  kRole,  // role
  kNotRole,  // not_role
  kTrimBefore,  // trim_before
  kTrimAfter,  // trim_after
  kMeasuredStop,  // measured_stop
  kChange,  // change
  kListLead,  // list_lead
  kListUnit,  // list_unit
  kCompareScope,  // compare_scope
  kMagnitudePrefix,  // magnitude_prefix
  kPlaceUnit,  // place_unit
  kNotChange,  // not_change
  kCount,
};

class UnitLexicon {
 public:
  static const UnitLexicon& Get();

  // Longest unit whose surface starts at text[pos], or nullptr.
  const UnitEntry* MatchUnit(std::string_view text, size_t pos) const;
  // False when a Chinese numeral followed by cp cannot be a quantity: cp is
  // no numeral, unit, multiplier, approximation, range sign or 分/成/点 (三分之一,
  // 四成, 三点五). A quick test before parsing (统一, 进一步, 一是).
  bool MayFollowNumeral(char32_t cp) const { return cp >= 0x10000 || follows_numeral_.test(cp); }
  // Longest word of `role` starting at text[pos], or nullptr.
  const WordEntry* MatchWord(WordRole role, std::string_view text, size_t pos) const {
    return Set(role).StartingAt(text, pos);
  }
  // Longest word of `role` ending exactly at text[pos] and starting at or
  // after `floor`, or nullptr.
  const WordEntry* WordEndingAt(WordRole role, std::string_view text, size_t floor, size_t pos) const {
    return Set(role).EndingAt(text, floor, pos);
  }
  // The words of a role as a set (empty for an unknown role); hold on to it
  // in loops instead of looking the role up each time.
  const WordSet& Set(WordRole role) const { return sets_[static_cast<size_t>(role)]; }
  // Words of a role, longest first.
  const std::vector<WordEntry>& Words(WordRole role) const { return Set(role).words(); }

 private:
  UnitLexicon();
  std::vector<UnitEntry> units_;
  // First code point → candidate indexes, longest first.
  std::unordered_map<char32_t, std::vector<size_t>> units_by_first_char_;
  std::array<WordSet, static_cast<size_t>(WordRole::kCount)> sets_;
  std::bitset<0x10000> follows_numeral_;
};

}  // namespace taizhang::extract_internal

#endif  // TAIZHANG_EXTRACT_UNIT_LEXICON_H_
