// Building a positioned YAML tree from yaml-cpp's parser events.
#include "tools/scenario/yaml_tree.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace innosim::tools {

std::string located(std::string_view source, Position pos, std::string_view message) {
  if (pos.line <= 0) {
    return fmt::format("{}: {}", source, message);
  }
  return fmt::format("{}:{}:{}: {}", source, pos.line, pos.column, message);
}

const ConfigNode* ConfigNode::find(std::string_view key) const noexcept {
  if (kind != Kind::kMap) {
    return nullptr;
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].text == key) {
      return &items[i];
    }
  }
  return nullptr;
}

std::string ConfigNode::describe() const {
  switch (kind) {
    case Kind::kNull:
      return "nothing (null)";
    case Kind::kScalar: {
      std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
      return quoted ? fmt::format("the quoted text \"{}\"", shown) : fmt::format("'{}'", shown);
    }
    case Kind::kSequence:
      return fmt::format("a list of {} item{}", items.size(), items.size() == 1 ? "" : "s");
    case Kind::kMap:
      return "a map of keys";
  }
  return "?";
}

namespace {

// Nodes are limited to guard against aliases that expand without end ("billion laughs"), not
// to limit what a file may list: a text of b bytes can write out at most about b nodes, so it
// may have max(100000, b) of them (a list of a million seed ids is fine; an alias bomb is not).
constexpr std::size_t kMinNodeLimit = 100000;
// Deeper nesting than any scenario needs is refused before the parser recurses into it.
constexpr std::size_t kMaxDepth = 64;

// The position of the first byte that is not valid UTF-8, if any.
std::optional<Position> invalid_utf8(std::string_view text) {
  Position pos{1, 1};
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > text.size()) return pos;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return pos;
    }
    // Overlong forms and surrogates are not UTF-8 either.
    const auto c1 = n > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
    if ((n == 2 && c < 0xC2) || (n == 3 && c == 0xE0 && c1 < 0xA0) || (n == 3 && c == 0xED && c1 >= 0xA0) ||
        (n == 4 && c == 0xF0 && c1 < 0x90) || (n == 4 && (c > 0xF4 || (c == 0xF4 && c1 >= 0x90)))) {
      return pos;
    }
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
    i += n;
  }
  return std::nullopt;
}

// The first place where flow collections ([ and {) nest deeper than kMaxDepth, outside quotes
// and comments, if any.
std::optional<Position> too_deep(std::string_view text) {
  Position pos{1, 1};
  std::size_t depth = 0;
  char quote = 0;
  bool comment = false;
  for (const char c : text) {
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
      comment = false;
      continue;
    }
    if (!comment) {
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        comment = true;
      } else if (c == '[' || c == '{') {
        if (++depth > kMaxDepth) return pos;
      } else if ((c == ']' || c == '}') && depth > 0) {
        --depth;
      }
    }
    ++pos.column;
  }
  return std::nullopt;
}

Position position_of(const YAML::Mark& mark) {
  if (mark.is_null()) {
    return {};
  }
  return {mark.line + 1, mark.column + 1};
}

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& source, std::size_t max_nodes) : source_(source), max_nodes_(max_nodes) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_++ > 0) {
      fail(position_of(mark),
           "a scenario file holds one YAML document; found a second one "
           "(remove the '---' separator or split the file)");
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    ConfigNode node;
    node.pos = position_of(mark);
    complete(std::move(node), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      fail(position_of(mark), "alias to an anchor that is not defined before it");
    }
    count_nodes(it->second, position_of(mark));
    ConfigNode copy = it->second;
    copy.pos = position_of(mark);
    complete(std::move(copy), 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_tag(tag, mark);
    ConfigNode node;
    node.kind = ConfigNode::Kind::kScalar;
    node.pos = position_of(mark);
    node.text = value;
    node.quoted = tag == "!";
    complete(std::move(node), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    check_tag(tag, mark);
    open(ConfigNode::Kind::kSequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    check_tag(tag, mark);
    open(ConfigNode::Kind::kMap, mark, anchor);
  }
  void OnMapEnd() override { close(); }

  [[nodiscard]] int documents() const noexcept { return documents_; }
  ConfigNode take_root() { return std::move(root_); }

 private:
  struct Frame {
    ConfigNode node;
    YAML::anchor_t anchor = 0;
    std::optional<ConfigNode> pending_key;  // maps: key read, value not yet
  };

  [[noreturn]] void fail(Position pos, std::string_view message) const {
    throw ScenarioError(located(source_, pos, message));
  }

  void check_tag(const std::string& tag, const YAML::Mark& mark) const {
    if (!tag.empty() && tag != "?" && tag != "!") {
      fail(position_of(mark), fmt::format("YAML tags such as '{}' are not supported: write the "
                                          "value plainly (quote it to make it text)",
                                          tag));
    }
  }

  void count_nodes(const ConfigNode& node, Position pos) {
    nodes_ += 1 + node.items.size() + node.keys.size();
    if (nodes_ > max_nodes_) {
      fail(pos, fmt::format("more than {} YAML nodes (aliases expanding too far?)", max_nodes_));
    }
    for (const auto& child : node.items) {
      count_nodes(child, pos);
    }
  }

  void open(ConfigNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    Frame frame;
    frame.node.kind = kind;
    frame.node.pos = position_of(mark);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
    if (stack_.size() > kMaxDepth) {
      fail(position_of(mark), fmt::format("the YAML nests more than {} levels deep", kMaxDepth));
    }
    if (++nodes_ > max_nodes_) {
      fail(position_of(mark), fmt::format("more than {} YAML nodes", max_nodes_));
    }
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.pending_key) {
      fail(frame.pending_key->pos, "key without a value");
    }
    complete(std::move(frame.node), frame.anchor);
  }

  // A node is finished: attach it to its parent (or make it the root).
  void complete(ConfigNode node, YAML::anchor_t anchor) {
    if (++nodes_ > max_nodes_) {
      fail(node.pos, fmt::format("more than {} YAML nodes", max_nodes_));
    }
    if (anchor != 0) {
      anchors_[anchor] = node;
    }
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& parent = stack_.back();
    if (parent.node.kind == ConfigNode::Kind::kSequence) {
      parent.node.items.push_back(std::move(node));
      return;
    }
    if (!parent.pending_key) {
      if (node.kind != ConfigNode::Kind::kScalar) {
        fail(node.pos, fmt::format("a key must be plain text, not {}", node.describe()));
      }
      for (const ConfigNode& earlier : parent.node.keys) {
        if (earlier.text == node.text) {
          fail(node.pos, fmt::format("key '{}' appears twice in the same map (first at line {}); "
                                     "YAML keeps only one of them, so say it once",
                                     node.text, earlier.pos.line));
        }
      }
      parent.pending_key = std::move(node);
      return;
    }
    parent.node.keys.push_back(std::move(*parent.pending_key));
    parent.pending_key.reset();
    parent.node.items.push_back(std::move(node));
  }

  const std::string& source_;
  std::vector<Frame> stack_;
  ConfigNode root_;
  std::map<YAML::anchor_t, ConfigNode> anchors_;
  std::size_t max_nodes_;
  std::size_t nodes_ = 0;
  int documents_ = 0;
};

}  // namespace

ConfigDocument parse_yaml(std::string text, std::string source) {
  if (text.size() > kMaxConfigBytes) {
    throw ScenarioError(located(source, {},
                                fmt::format("{} bytes is too large for a scenario file "
                                            "(at most {} bytes)",
                                            text.size(), kMaxConfigBytes)));
  }
  if (text.find('\0') != std::string::npos) {
    throw ScenarioError(located(source, {}, "the file contains a NUL byte: it is not a YAML text file"));
  }
  if (const auto at = invalid_utf8(text)) {
    throw ScenarioError(
        located(source, *at, "the file is not valid UTF-8 here: scenario files are UTF-8 text"));
  }
  if (const auto at = too_deep(text)) {
    throw ScenarioError(
        located(source, *at, fmt::format("the YAML nests more than {} levels deep", kMaxDepth)));
  }
  ConfigDocument doc;
  doc.source = std::move(source);
  doc.text = std::move(text);
  std::istringstream in(doc.text);
  TreeBuilder builder(doc.source, std::max(kMinNodeLimit, doc.text.size()));
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& e) {
    throw ScenarioError(located(doc.source, position_of(e.mark), "YAML syntax error: " + e.msg));
  }
  if (builder.documents() == 0) {
    throw ScenarioError(located(doc.source, {}, "the file is empty: expected a map of scenario keys"));
  }
  doc.root = builder.take_root();
  return doc;
}

ConfigDocument load_yaml_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ScenarioError(fmt::format("{}: is a directory; expected a scenario file (.yaml)", path));
  }
  // A FIFO or a device would block or never end: scenario files are regular files.
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
    throw ScenarioError(fmt::format("{}: is not a regular file; expected a scenario file (.yaml)", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ScenarioError(fmt::format("{}: cannot open ({})", path, std::strerror(errno)));
  }
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) {
      throw ScenarioError(located(path, {},
                                  fmt::format("the file is larger than {} bytes, too large for "
                                              "a scenario",
                                              kMaxConfigBytes)));
    }
  }
  if (in.bad()) {
    throw ScenarioError(fmt::format("{}: read error", path));
  }
  return parse_yaml(std::move(text), path);
}

}  // namespace innosim::tools
