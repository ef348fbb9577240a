// Typed, strict reading of one map of a scenario file.
//
// Every key a loader asks for is remembered as known; `finish()` then reports any other key in
// the map as unknown, with a "did you mean" when a known key is close. Values must have the
// right type as written: a number in quotes is text, `yes` is not a boolean, `.nan` and `.inf`
// are not numbers. Every error names file:line:column, the key path, the value given and what
// was expected. Ranges are checked by the parameters' own validate(); the loader maps the key
// of a sim::ParamError back to the line it came from (see KeyPositions).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/scenario/yaml_tree.hpp"

namespace innosim::tools {

/// Where each key path ("graph.nodes") was written, filled as a loader reads.
using KeyPositions = std::map<std::string, Position, std::less<>>;

/// Damerau–Levenshtein distance (adjacent transpositions count 1), for "did you mean".
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate closest to `word` if it is close enough to be a likely typo, else "".
[[nodiscard]] std::string closest_match(std::string_view word, std::span<const std::string> candidates);

/// The value of a scalar node as a finite number; `key_path` names it in errors.
/// Throws ScenarioError for text in quotes, non-numbers, .nan and .inf.
double scalar_number(std::string_view source, const ConfigNode& n, std::string_view key_path);
/// The value of a scalar node as a whole number >= 0 (1e6 and 2.0 are accepted).
std::uint64_t scalar_integer(std::string_view source, const ConfigNode& n, std::string_view key_path);

class MapReader {
 public:
  /// `node` must be a map; `path` is its key path ("" for the root). Throws ScenarioError.
  MapReader(const ConfigDocument& doc, const ConfigNode& node, std::string path, KeyPositions* positions);

  /// True when the key is present (and marks it known).
  bool has(std::string_view key);
  /// The node under `key` (marking it known), or nullptr.
  const ConfigNode* node(std::string_view key);

  double number(std::string_view key);
  double number(std::string_view key, double fallback);
  std::uint64_t integer(std::string_view key);
  std::uint64_t integer(std::string_view key, std::uint64_t fallback);
  std::optional<std::uint64_t> optional_integer(std::string_view key);
  std::optional<double> optional_number(std::string_view key);
  bool boolean(std::string_view key, bool fallback);
  std::string text(std::string_view key);
  std::string text(std::string_view key, std::string fallback);
  std::vector<double> number_list(std::string_view key);
  std::vector<std::uint64_t> integer_list(std::string_view key);
  std::vector<std::string> text_list(std::string_view key);

  /// One of the named options; an unknown name lists the options (with a "did you mean").
  template <class E>
  E choice(std::string_view key, std::initializer_list<std::pair<const char*, E>> options) {
    return options.begin()[choice_index(key, names_of(options), true)].second;
  }
  template <class E>
  E choice(std::string_view key, std::initializer_list<std::pair<const char*, E>> options, E fallback) {
    if (!has(key)) return fallback;
    return choice(key, options);
  }

  /// The map under `key`; throws when absent or not a map.
  MapReader map(std::string_view key);
  /// The map under `key`, or nothing when absent.
  std::optional<MapReader> optional_map(std::string_view key);

  /// Reports unknown keys. Call after reading every key the loader knows.
  void finish() const;

  [[nodiscard]] std::string key_path(std::string_view key) const;
  [[nodiscard]] Position position() const noexcept { return node_->pos; }
  [[nodiscard]] const std::string& source() const noexcept { return doc_->source; }
  [[noreturn]] void fail(std::string_view key, std::string_view message) const;
  [[noreturn]] void fail_at(const ConfigNode& at, std::string_view message) const;
  /// Reports that one of `wanted` is missing, unless a key in this map looks like a typo of
  /// one of them: then that key is reported, with "did you mean", which is the real mistake.
  [[noreturn]] void fail_missing(std::initializer_list<std::string_view> wanted,
                                 std::string_view message) const;

 private:
  template <class E>
  static std::vector<std::string> names_of(std::initializer_list<std::pair<const char*, E>> options) {
    std::vector<std::string> names;
    for (const auto& o : options) names.emplace_back(o.first);
    return names;
  }
  std::size_t choice_index(std::string_view key, const std::vector<std::string>& names, bool required);
  const ConfigNode& require_node(std::string_view key);
  double to_number(const ConfigNode& n, std::string_view key) const {
    return scalar_number(doc_->source, n, key_path(key));
  }
  std::uint64_t to_integer(const ConfigNode& n, std::string_view key) const {
    return scalar_integer(doc_->source, n, key_path(key));
  }

  const ConfigDocument* doc_;
  const ConfigNode* node_;
  std::string path_;
  KeyPositions* positions_;
  std::vector<std::string> known_;
};

}  // namespace innosim::tools
