// Strict typed access to scenario maps.
#include "tools/scenario/reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace innosim::tools {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string closest_match(std::string_view word, std::span<const std::string> candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (best.empty() || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  // Close enough to be a typo: a third of the longer word, at least 1, at most 3 edits.
  const std::size_t allowed = std::clamp<std::size_t>(std::max(word.size(), best.size()) / 3, 1, 3);
  return !best.empty() && best_distance <= allowed ? best : std::string();
}

namespace {
[[noreturn]] void fail_node(std::string_view source, const ConfigNode& at, std::string_view message) {
  throw ScenarioError(located(source, at.pos, message));
}
}  // namespace

double scalar_number(std::string_view source, const ConfigNode& n, std::string_view key_path) {
  if (!n.is_scalar()) {
    fail_node(source, n, fmt::format("{} is {}; expected a number", key_path, n.describe()));
  }
  if (n.quoted) {
    fail_node(source, n,
              fmt::format("{} = \"{}\" is quoted text; expected a number (write it without quotes)", key_path,
                          n.text));
  }
  std::string_view s = n.text;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos) {
    fail_node(source, n,
              fmt::format("{} = {} is not a finite number; expected a finite number", key_path, n.text));
  }
  double value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value)) {
    fail_node(source, n,
              fmt::format("{} = '{}' is not a number; expected a finite number such as 0.25 or 1e-3",
                          key_path, n.text));
  }
  return value;
}

std::uint64_t scalar_integer(std::string_view source, const ConfigNode& n, std::string_view key_path) {
  if (n.is_scalar() && !n.quoted) {
    std::string_view s = n.text;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && ptr == s.data() + s.size()) {
      return value;
    }
    if (ec == std::errc::result_out_of_range) {
      fail_node(source, n,
                fmt::format("{} = {} is too large; expected a whole number below 2^64", key_path, n.text));
    }
  }
  // Accept 1e6 and 2.0 for whole numbers, which people write.
  const double d = scalar_number(source, n, key_path);
  if (d < 0 || d != std::floor(d) || d >= 1.8446744073709552e19) {
    fail_node(
        source, n,
        fmt::format("{} = {} is not a whole number >= 0; expected a count or an index", key_path, n.text));
  }
  return static_cast<std::uint64_t>(d);
}

MapReader::MapReader(const ConfigDocument& doc, const ConfigNode& node, std::string path,
                     KeyPositions* positions)
    : doc_(&doc), node_(&node), path_(std::move(path)), positions_(positions) {
  if (!node.is_map()) {
    throw ScenarioError(located(doc.source, node.pos,
                                fmt::format("{} is {}; expected a map of keys",
                                            path_.empty() ? "the file" : path_, node.describe())));
  }
}

std::string MapReader::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

void MapReader::fail(std::string_view key, std::string_view message) const {
  const ConfigNode* n = node_->find(key);
  throw ScenarioError(located(doc_->source, n != nullptr ? n->pos : node_->pos, message));
}

void MapReader::fail_at(const ConfigNode& at, std::string_view message) const {
  throw ScenarioError(located(doc_->source, at.pos, message));
}

bool MapReader::has(std::string_view key) {
  return node(key) != nullptr;
}

const ConfigNode* MapReader::node(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
    known_.emplace_back(key);
  }
  const ConfigNode* n = node_->find(key);
  if (n != nullptr && positions_ != nullptr) {
    (*positions_)[key_path(key)] = n->pos;
  }
  return n;
}

const ConfigNode& MapReader::require_node(std::string_view key) {
  const ConfigNode* n = node(key);
  if (n == nullptr) {
    fail_missing({key}, fmt::format("{} is required but missing{}", key_path(key),
                                    path_.empty() ? "" : fmt::format(" from '{}'", path_)));
  }
  return *n;
}

void MapReader::fail_missing(std::initializer_list<std::string_view> wanted, std::string_view message) const {
  const std::vector<std::string> candidates(wanted.begin(), wanted.end());
  for (const ConfigNode& k : node_->keys) {
    if (std::find(known_.begin(), known_.end(), k.text) != known_.end()) {
      continue;
    }
    const std::string guess = closest_match(k.text, candidates);
    if (!guess.empty()) {
      fail_at(k, fmt::format("unknown key '{}'{} (did you mean '{}'?)", k.text,
                             path_.empty() ? "" : fmt::format(" in '{}'", path_), guess));
    }
  }
  throw ScenarioError(located(doc_->source, node_->pos, message));
}

double MapReader::number(std::string_view key) {
  return to_number(require_node(key), key);
}

double MapReader::number(std::string_view key, double fallback) {
  const ConfigNode* n = node(key);
  return n == nullptr ? fallback : to_number(*n, key);
}

std::optional<double> MapReader::optional_number(std::string_view key) {
  const ConfigNode* n = node(key);
  return n == nullptr ? std::nullopt : std::optional<double>(to_number(*n, key));
}

std::uint64_t MapReader::integer(std::string_view key) {
  return to_integer(require_node(key), key);
}

std::uint64_t MapReader::integer(std::string_view key, std::uint64_t fallback) {
  const ConfigNode* n = node(key);
  return n == nullptr ? fallback : to_integer(*n, key);
}

std::optional<std::uint64_t> MapReader::optional_integer(std::string_view key) {
  const ConfigNode* n = node(key);
  return n == nullptr ? std::nullopt : std::optional<std::uint64_t>(to_integer(*n, key));
}

bool MapReader::boolean(std::string_view key, bool fallback) {
  const ConfigNode* n = node(key);
  if (n == nullptr) {
    return fallback;
  }
  if (n->is_scalar() && !n->quoted) {
    if (n->text == "true" || n->text == "True" || n->text == "TRUE") return true;
    if (n->text == "false" || n->text == "False" || n->text == "FALSE") return false;
  }
  fail_at(*n, fmt::format("{} is {}; expected true or false", key_path(key), n->describe()));
}

std::string MapReader::text(std::string_view key) {
  const ConfigNode& n = require_node(key);
  if (!n.is_scalar()) {
    fail_at(n, fmt::format("{} is {}; expected text", key_path(key), n.describe()));
  }
  return n.text;
}

std::string MapReader::text(std::string_view key, std::string fallback) {
  if (!has(key)) {
    return fallback;
  }
  return text(key);
}

std::vector<double> MapReader::number_list(std::string_view key) {
  const ConfigNode& n = require_node(key);
  if (!n.is_sequence()) {
    fail_at(n,
            fmt::format("{} is {}; expected a list of numbers like [0.1, 0.2]", key_path(key), n.describe()));
  }
  std::vector<double> out;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    out.push_back(to_number(n.items[i], fmt::format("{}[{}]", key, i)));
  }
  return out;
}

std::vector<std::uint64_t> MapReader::integer_list(std::string_view key) {
  const ConfigNode& n = require_node(key);
  if (!n.is_sequence()) {
    fail_at(n, fmt::format("{} is {}; expected a list of whole numbers like [1, 2]", key_path(key),
                           n.describe()));
  }
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    out.push_back(to_integer(n.items[i], fmt::format("{}[{}]", key, i)));
  }
  return out;
}

std::vector<std::string> MapReader::text_list(std::string_view key) {
  const ConfigNode& n = require_node(key);
  if (!n.is_sequence()) {
    fail_at(n, fmt::format("{} is {}; expected a list like [a, b]", key_path(key), n.describe()));
  }
  std::vector<std::string> out;
  for (const auto& item : n.items) {
    if (!item.is_scalar()) {
      fail_at(item, fmt::format("an item of {} is {}; expected text", key_path(key), item.describe()));
    }
    out.push_back(item.text);
  }
  return out;
}

std::size_t MapReader::choice_index(std::string_view key, const std::vector<std::string>& names,
                                    bool /*required*/) {
  const ConfigNode& n = require_node(key);
  if (!n.is_scalar()) {
    fail_at(
        n, fmt::format("{} is {}; expected one of: {}", key_path(key), n.describe(), fmt::join(names, ", ")));
  }
  const auto it = std::find(names.begin(), names.end(), n.text);
  if (it != names.end()) {
    return static_cast<std::size_t>(it - names.begin());
  }
  const std::string guess = closest_match(n.text, names);
  fail_at(n, fmt::format("{} = '{}' is not a known choice{}; expected one of: {}", key_path(key), n.text,
                         guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                         fmt::join(names, ", ")));
}

MapReader MapReader::map(std::string_view key) {
  const ConfigNode& n = require_node(key);
  return MapReader(*doc_, n, key_path(key), positions_);
}

std::optional<MapReader> MapReader::optional_map(std::string_view key) {
  const ConfigNode* n = node(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  return MapReader(*doc_, *n, key_path(key), positions_);
}

void MapReader::finish() const {
  for (std::size_t i = 0; i < node_->keys.size(); ++i) {
    const ConfigNode& k = node_->keys[i];
    if (std::find(known_.begin(), known_.end(), k.text) != known_.end()) {
      continue;
    }
    const std::string guess = closest_match(k.text, known_);
    std::vector<std::string> sorted = known_;
    std::sort(sorted.begin(), sorted.end());
    fail_at(k, fmt::format("unknown key '{}'{}{}; known keys here: {}", k.text,
                           path_.empty() ? "" : fmt::format(" in '{}'", path_),
                           guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                           fmt::join(sorted, ", ")));
  }
}

}  // namespace innosim::tools
