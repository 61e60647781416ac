// Word (OOXML) automatic numbering: the text Microsoft Word shows for a list
// or heading number, given the w:numFmt of each level and the w:lvlText
// template (internal to ingest/).
//
//   int counters[9] = {2, 3};
//   std::string formats[9] = {"chineseCounting", "chineseCounting"};
//   ExpandLevelText("%1、", counters, formats, false);    // "二、"
//   ExpandLevelText("（%2）", counters, formats, false);  // "（三）"
//
// Pure functions without I/O. All text is UTF-8.
#ifndef TAIZHANG_INGEST_WORD_NUMBERING_H_
#define TAIZHANG_INGEST_WORD_NUMBERING_H_

#include <string>
#include <string_view>

namespace taizhang::ingest_internal {

// Renders `value` (>= 0) in the w:numFmt format `format` (the w:val string,
// e.g. "decimal", "chineseCounting"). Unknown formats fall back to decimal.
// Returns UTF-8.
//
// Supported, as Word writes them:
//   decimal                       1 10 2024
//   decimalZero                   01 09 10
//   upperLetter / lowerLetter     A … Z AA BB … ZZ AAA (Word repeats the letter)
//   upperRoman / lowerRoman       I IV MMXXIV
//   chineseCounting               一 十 十一 二十 一百零一 一百一十 二千零二十四
//   chineseCountingThousand       same as chineseCounting; 10000 → 一万
//   ideographDigital              digit by digit: 一 一〇 一一 二〇二四
//   chineseLegalSimplified        壹 壹拾 壹拾壹 壹佰零壹 贰仟零贰拾肆
//   decimalEnclosedCircle(Chinese) ① … ⑳, beyond 20 plain decimal
//   decimalFullWidth              １ １０
//   ideographTraditional          甲 乙 … 癸, beyond 10 plain decimal
//   none, bullet                  "" (for bullets the caller uses w:lvlText)
// Values a format cannot express (0 for letters, roman numerals, circled
// numbers and the heavenly stems; negative values for every format) are
// rendered as plain decimal. 0 is 00 in decimalZero, 〇 in chineseCounting,
// chineseCountingThousand and ideographDigital, 零 in chineseLegalSimplified.
std::string FormatNumber(int value, std::string_view format);

// Expands a w:lvlText template such as "%1、", "（%2）", "%1.%2." with the
// current counters of levels 0..8 (`counters[k]` is level k's value) and
// their formats (`formats[k]`). "%1" … "%9" refer to levels 0 … 8; any other
// '%' is copied literally. When `is_legal` is true (w:isLgl) every level
// referenced is rendered as decimal. Both arrays must hold 9 elements.
std::string ExpandLevelText(std::string_view level_text, const int counters[9],
                            const std::string formats[9], bool is_legal);

}  // namespace taizhang::ingest_internal

#endif  // TAIZHANG_INGEST_WORD_NUMBERING_H_
