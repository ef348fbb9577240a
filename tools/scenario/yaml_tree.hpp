// A strict YAML reader: the text of a scenario as a tree of nodes that remember where they
// were written.
//
// yaml-cpp's Node API silently keeps the first of two equal keys and forgets positions, so we
// drive its event parser (YAML::Parser + EventHandler) and build our own tree. Rejected, with
// file:line:column: syntax errors, several documents in one file, repeated keys, keys that
// are not plain text, explicit tags, more than 1 MiB of text, and alias expansion beyond
// 100,000 nodes (the "billion laughs" attack). This is the only code that includes yaml-cpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/error.hpp"

namespace innosim::tools {

/// A scenario, sweep or data file that cannot be used as written. The message starts with
/// "file:line:column:" and says what was expected.
class ScenarioError : public sim::Error {
 public:
  using sim::Error::Error;
};

/// 1-based line and column; 0 when unknown.
struct Position {
  int line = 0;
  int column = 0;
};

/// "file:line:column: message" (or "file: message" without a position).
[[nodiscard]] std::string located(std::string_view source, Position pos, std::string_view message);

struct ConfigNode {
  enum class Kind : std::uint8_t { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  Position pos;
  std::string text;               ///< scalars: the text as written (without quotes)
  bool quoted = false;            ///< scalars: written in quotes, so always a string
  std::vector<ConfigNode> items;  ///< sequences: elements; maps: values
  std::vector<ConfigNode> keys;   ///< maps: keys (scalars), parallel to items

  [[nodiscard]] bool is_map() const noexcept { return kind == Kind::kMap; }
  [[nodiscard]] bool is_sequence() const noexcept { return kind == Kind::kSequence; }
  [[nodiscard]] bool is_scalar() const noexcept { return kind == Kind::kScalar; }
  [[nodiscard]] bool is_null() const noexcept { return kind == Kind::kNull; }
  /// The value under `key` in a map, or nullptr.
  [[nodiscard]] const ConfigNode* find(std::string_view key) const noexcept;
  /// "a map", "a list", "the text 'abc'", "nothing (null)": for error messages.
  [[nodiscard]] std::string describe() const;
};

/// A parsed file: its name as given (for messages) and its root node.
struct ConfigDocument {
  std::string source;
  std::string text;
  ConfigNode root;
};

/// Largest scenario text accepted: room for a few million listed seed ids (larger seed sets
/// belong in a seed file, `seeding: {strategy: file}`, which has no limit but memory).
inline constexpr std::size_t kMaxConfigBytes = std::size_t{64} << 20;

/// Parses YAML text. Throws ScenarioError.
ConfigDocument parse_yaml(std::string text, std::string source);
/// Reads and parses a file. Throws ScenarioError (also when the file cannot be read).
ConfigDocument load_yaml_file(const std::string& path);

}  // namespace innosim::tools
