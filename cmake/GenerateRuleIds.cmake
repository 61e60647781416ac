# Turns the rule ids of data/rules.tsv into a C++ enum, so a misspelt rule id
# does not compile. Run as a script:
#   cmake -DRULES_TSV=.../data/rules.tsv -DOUTPUT=.../generated/rule_ids.h -P GenerateRuleIds.cmake
file(STRINGS "${RULES_TSV}" lines ENCODING UTF-8)
set(enumerators "")
set(names "")
set(count 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^#" OR line STREQUAL "")
    continue()
  endif()
  string(REGEX MATCH "^[^\t]*" id "${line}")
  if(NOT id MATCHES "^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
    message(FATAL_ERROR "${RULES_TSV}: rule id '${id}' is not lower-case words joined by '-'")
  endif()
  # placeholder-number -> kPlaceholderNumber
  string(REPLACE "-" ";" words "${id}")
  set(constant "k")
  foreach(w IN LISTS words)
    string(SUBSTRING "${w}" 0 1 first)
    string(SUBSTRING "${w}" 1 -1 rest)
    string(TOUPPER "${first}" first)
    string(APPEND constant "${first}${rest}")
  endforeach()
  string(APPEND enumerators "  ${constant},  // ${id}\n")
  string(APPEND names "    \"${id}\",\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "${RULES_TSV}: no rules")
endif()

set(body "// Generated from data/rules.tsv by cmake/GenerateRuleIds.cmake. Do not edit.
//
// The ids of the check rules, one enumerator per row of the catalogue in its
// order: code names a rule as RuleId::kPlaceholderNumber, so an id the
// catalogue lacks is a compile error. RuleIdName gives the id as written in
// the catalogue, the config file and the output (\"placeholder-number\").
#ifndef TAIZHANG_GENERATED_RULE_IDS_H_
#define TAIZHANG_GENERATED_RULE_IDS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace taizhang {

enum class RuleId : uint8_t {
${enumerators}};

inline constexpr size_t kRuleIdCount = ${count};

inline constexpr std::array<std::string_view, kRuleIdCount> kRuleIdNames = {
${names}};

constexpr std::string_view RuleIdName(RuleId id) { return kRuleIdNames[static_cast<size_t>(id)]; }

// The RuleId named `name`, or nullopt when the catalogue has no such rule.
constexpr std::optional<RuleId> RuleIdFromName(std::string_view name) {
  for (size_t i = 0; i < kRuleIdCount; ++i) {
    if (kRuleIdNames[i] == name) return static_cast<RuleId>(i);
  }
  return std::nullopt;
}

}  // namespace taizhang

#endif  // TAIZHANG_GENERATED_RULE_IDS_H_
")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
