// Edge-list parsing with file:line:column errors.
#include "models/graphs/edge_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sim/error.hpp"

namespace innosim::models {
namespace {

using sim::AgentId;
using sim::DataError;

struct Field {
  std::string_view text;
  std::size_t column;  // 1-based
};

char delimiter_for(const EdgeListFileParams& params, std::string_view name) {
  switch (params.delimiter) {
    case EdgeListFileParams::Delimiter::kComma:
      return ',';
    case EdgeListFileParams::Delimiter::kTab:
      return '\t';
    case EdgeListFileParams::Delimiter::kWhitespace:
      return ' ';
    case EdgeListFileParams::Delimiter::kAuto:
      break;
  }
  if (name.ends_with(".csv")) return ',';
  if (name.ends_with(".tsv")) return '\t';
  return ' ';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits a line into fields with their starting columns. ' ' means runs of blanks.
std::vector<Field> split(std::string_view line, char delimiter) {
  std::vector<Field> fields;
  if (delimiter == ' ') {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      if (i >= line.size()) break;
      const std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
      fields.push_back({line.substr(start, i - start), start + 1});
    }
    return fields;
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = line.find(delimiter, start);
    const std::string_view raw = line.substr(start, end == std::string_view::npos ? line.npos : end - start);
    std::size_t lead = 0;
    while (lead < raw.size() && (raw[lead] == ' ' || raw[lead] == '\t')) ++lead;
    fields.push_back({trim(raw), start + lead + 1});
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return fields;
}

std::string shown(std::string_view s) {
  std::string out(s.substr(0, 40));
  if (s.size() > 40) out += "...";
  return out;
}

}  // namespace

EdgeList parse_edge_list(std::string_view text, std::string_view source_name,
                         const EdgeListFileParams& params) {
  const char delimiter = delimiter_for(params, source_name);
  const std::size_t expected_fields = params.weighted ? 3 : 2;
  const bool directed = params.directed;
  EdgeList out;
  out.direction = directed ? sim::EdgeDirection::kDirected : sim::EdgeDirection::kUndirected;
  std::unordered_map<std::string, AgentId> label_ids;
  std::unordered_set<std::uint64_t> seen_edges;
  std::uint64_t max_id = 0;
  std::size_t max_line = 0, max_column = 0;  // where the largest id is
  bool any_id = false;
  bool header_pending = params.header;

  auto fail = [&](std::size_t line, std::size_t column, const std::string& what) -> DataError {
    return DataError(fmt::format("{}:{}:{}: {}", source_name, line, column, what));
  };

  auto node_id = [&](const Field& f, std::size_t line, const char* role) -> AgentId {
    if (f.text.empty()) {
      throw fail(line, f.column, fmt::format("empty {} id", role));
    }
    if (params.ids == EdgeListFileParams::Ids::kLabel) {
      const auto [it, inserted] =
          label_ids.try_emplace(std::string(f.text), static_cast<AgentId>(out.labels.size()));
      if (inserted) {
        if (out.labels.size() >= sim::kNoAgent - 1) {
          throw fail(line, f.column, "too many distinct node labels");
        }
        out.labels.emplace_back(f.text);
      }
      return it->second;
    }
    std::uint64_t v = 0;
    const auto* first = f.text.data();
    const auto* last = first + f.text.size();
    const auto [ptr, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || ptr != last) {
      throw fail(
          line, f.column,
          fmt::format("{} id '{}' is not a non-negative integer{}", role, shown(f.text),
                      line == 1 && !params.header ? " (if this line is a header, set header: true)" : ""));
    }
    if (v >= sim::kNoAgent - 1 || (params.nodes != 0 && v >= params.nodes)) {
      throw fail(
          line, f.column,
          fmt::format("{} id {} is out of range: must be below {}", role, v,
                      params.nodes != 0 ? std::uint64_t{params.nodes} : std::uint64_t{sim::kNoAgent - 1}));
    }
    if (v >= max_id) {
      max_id = v;
      max_line = line;
      max_column = f.column;
    }
    any_id = true;
    return static_cast<AgentId>(v);
  };

  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    if (header_pending) {
      header_pending = false;
      continue;
    }
    const std::vector<Field> fields = split(line, delimiter);
    if (fields.size() != expected_fields) {
      throw fail(
          line_no, 1,
          fmt::format(
              "{} field{} found, expected {} ({}){}", fields.size(), fields.size() == 1 ? "" : "s",
              expected_fields, params.weighted ? "source, target, weight" : "source, target",
              !params.weighted && fields.size() == 3 ? "; set weighted: true to read a weight column" : ""));
    }
    const AgentId u = node_id(fields[0], line_no, "source");
    const AgentId v = node_id(fields[1], line_no, "target");
    if (u == v) {
      throw fail(line_no, fields[1].column,
                 fmt::format("self-loop on node '{}': diffusion models need u != v", shown(fields[0].text)));
    }
    const std::uint64_t a = directed ? u : std::min(u, v);
    const std::uint64_t b = directed ? v : std::max(u, v);
    if (!seen_edges.insert((a << 32) | b).second) {
      throw fail(line_no, fields[0].column,
                 fmt::format("edge {} - {} is listed twice{}", shown(fields[0].text), shown(fields[1].text),
                             directed ? "" : " (in an undirected graph u-v and v-u are the same edge)"));
    }
    if (params.weighted) {
      const Field& f = fields[2];
      double w = 0;
      const auto* first = f.text.data();
      const auto* last = first + f.text.size();
      const auto [ptr, ec] = std::from_chars(first, last, w);
      if (ec != std::errc() || ptr != last || !std::isfinite(w) || w <= 0.0 || w > 3.0e38) {
        throw fail(line_no, f.column, fmt::format("weight '{}' must be a finite number > 0", shown(f.text)));
      }
      out.weights.push_back(static_cast<float>(w));
    }
    out.edges.push_back({u, v});
    if (end == text.size()) break;
  }
  if (params.ids == EdgeListFileParams::Ids::kLabel) {
    out.num_nodes = static_cast<AgentId>(out.labels.size());
  } else if (params.nodes != 0) {
    out.num_nodes = params.nodes;
  } else {
    // Ids number the nodes 0 .. n-1: a graph of n nodes is made however few of them the edges
    // name. Ids far beyond what the edges can name are a mistake (or labels): refused at their
    // line before memory is spent on billions of empty nodes.
    const std::uint64_t named = 2 * out.edges.size();
    if (any_id && max_id + 1 > 16 * named + 1024) {
      throw fail(
          max_line, max_column,
          fmt::format("node id {} would make a graph of {} nodes for {} edges: integer ids must number the "
                      "nodes from 0 without large gaps (use ids: label for other names, or give nodes: N)",
                      max_id, max_id + 1, out.edges.size()));
    }
    out.num_nodes = any_id ? static_cast<AgentId>(max_id + 1) : 0;
  }
  if (out.num_nodes == 0) {
    throw DataError(fmt::format("{}: the edge list has no edges (and no node count was given)", source_name));
  }
  return out;
}

EdgeList load_edge_list(const EdgeListFileParams& params) {
  params.validate();
  std::error_code ec;
  if (std::filesystem::is_directory(params.path, ec)) {
    throw DataError(fmt::format("{}: is a directory; expected an edge list file", params.path));
  }
  // A FIFO would block and a device (/dev/zero) never ends: edge lists are regular files.
  if (std::filesystem::exists(params.path, ec) && !std::filesystem::is_regular_file(params.path, ec)) {
    throw DataError(fmt::format("{}: is not a regular file; expected an edge list file", params.path));
  }
  std::ifstream in(params.path, std::ios::binary);
  if (!in) {
    throw DataError(
        fmt::format("{}: cannot open the edge list file ({})", params.path, std::strerror(errno)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    throw DataError(fmt::format("{}: read error", params.path));
  }
  return parse_edge_list(buffer.str(), params.path, params);
}

}  // namespace innosim::models
