// Edge-list parsing with file:line:column errors, at disk speed.
//
// The text is cut into chunks of about 1 MiB at line boundaries and the chunks are parsed in
// parallel (TBB), each into room for the most edges its bytes can hold (memory that is never
// written costs nothing), with std::from_chars and no allocation per line. Line numbers are
// counted only when a message needs them. Labels are numbered in order of first appearance,
// which is sequential by nature: `ids: label` is parsed in one chunk. Lines of the common form
// "u v" are read in one pass (Parser::fast_edge); any other line goes through the general
// field splitter, which also words the errors.
//
// The layer of an unweighted list is built here by a counting sort over the chunks (the arrays
// sim::CsrLayer::from_edges would make), so no edge vector is copied. Repeated edges are found
// without a hash set: the layer's rows are sorted, so a repeat is two equal neighbours side by
// side (weighted lists: sim::CsrLayer::is_simple on the layer from_edges builds); when the ids
// leave most nodes without edges, the edges' keys are sorted instead. Only when there is a
// repeat is a hash set used, to find the first one in file order for the message.
//
// The file is memory-mapped (sim::FileBuffer) and each chunk hands its pages back once parsed,
// so the text does not stay in the resident set while the layer is built.
//
// Errors are those of a front-to-back reading: each chunk stops at its first malformed line,
// and the earliest such line in the file is reported, unless an edge before it repeats an
// earlier one (the repeat is then the first error a reader meets). Edges, node ids and their
// order do not depend on the number of chunks or threads.
#include "models/graphs/edge_list.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <new>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sim/error.hpp"
#include "sim/file.hpp"

namespace innosim::models {
namespace {

using sim::AgentId;
using sim::DataError;

struct Field {
  std::string_view text;
  std::size_t column;  // 1-based
};

// Lines hold at most three fields we read (source, target, weight); more are only counted.
using Fields = std::array<Field, 3>;

// Chunks of at least this many bytes are worth a task; smaller texts are parsed in one piece.
constexpr std::size_t kMinChunkBytes = std::size_t{1} << 20;
// Parsed text is handed back to the system in steps of this size (see sim::FileBuffer::release).
constexpr std::size_t kReleaseBytes = std::size_t{4} << 20;

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

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// Splits a line into fields with their starting columns; ' ' means runs of blanks. Stores the
// first three and returns how many there are.
std::size_t split(std::string_view line, char delimiter, Fields& fields) {
  std::size_t count = 0;
  if (delimiter == ' ') {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && blank(line[i])) ++i;
      if (i >= line.size()) break;
      const std::size_t start = i;
      while (i < line.size() && !blank(line[i])) ++i;
      if (count < fields.size()) fields[count] = {line.substr(start, i - start), start + 1};
      ++count;
    }
    return count;
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = line.find(delimiter, start);
    if (count < fields.size()) {
      const std::string_view raw =
          line.substr(start, end == std::string_view::npos ? line.npos : end - start);
      std::size_t lead = 0;
      while (lead < raw.size() && (raw[lead] == ' ' || raw[lead] == '\t')) ++lead;
      fields[count] = {trim(raw), start + lead + 1};
    }
    ++count;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return count;
}

std::string shown(std::string_view s) {
  std::string out(s.substr(0, 40));
  if (s.size() > 40) out += "...";
  return out;
}

// Calls visit(line, line_number) for every line of `text` (split at '\n'; the text after the
// last '\n' is a line too, possibly empty) until visit returns false.
template <class Visit>
void for_each_line(std::string_view text, std::size_t first_line, Visit&& visit) {
  std::size_t pos = 0;
  std::size_t number = first_line;
  for (;;) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    if (!visit(text.substr(pos, end - pos), number)) return;
    if (end == text.size()) return;
    pos = end + 1;
    ++number;
  }
}

bool is_edge_line(std::string_view line) {
  const std::string_view content = trim(line);
  return !content.empty() && content.front() != '#';
}

// A malformed line: where (line numbers counted from the chunk's first line) and what.
struct Fault {
  std::size_t line;
  std::size_t column;
  std::string what;
};

// What parsing a chunk found besides its edges.
struct ChunkResult {
  std::size_t edges = 0;
  std::uint64_t max_id = 0;  // the largest id and the last place it appears
  std::size_t max_line = 0;
  std::size_t max_column = 0;
  bool any_id = false;
  bool starts_file = false;    // the chunk's line 1 is the file's line 1
  std::optional<Fault> error;  // the chunk's first malformed line; parsing stopped there
};

class Parser {
 public:
  Parser(std::string_view source_name, const EdgeListFileParams& params)
      : name_(source_name),
        params_(params),
        delimiter_(delimiter_for(params, source_name)),
        expected_fields_(params.weighted ? 3 : 2),
        fast_(params.ids == EdgeListFileParams::Ids::kInteger && !params.weighted) {}

  [[nodiscard]] std::string message(std::size_t line, std::size_t column, const std::string& what) const {
    return fmt::format("{}:{}:{}: {}", name_, line, column, what);
  }

  // Parses the lines of `text` (numbered from first_line; starts_file: the text starts the
  // file) into edges[0..] and weights[0..] (when weighted). Stops at the first malformed line;
  // an edge whose only fault is its weight is still stored (a repeat of it is reported first,
  // as a front-to-back reader would).
  ChunkResult parse(std::string_view text, std::size_t first_line, bool starts_file, sim::Edge* edges,
                    float* weights, const EdgeListRelease& release, std::size_t text_offset) {
    ChunkResult r;
    r.starts_file = starts_file;
    std::size_t released = 0;
    Fields fields{};
    for_each_line(text, first_line, [&](std::string_view line, std::size_t line_no) {
      if (release && static_cast<std::size_t>(line.data() - text.data()) >= released + kReleaseBytes) {
        const auto upto = static_cast<std::size_t>(line.data() - text.data());
        release(text_offset + released, upto - released);
        released = upto;
      }
      if (fast_ && !line.empty() && line.front() >= '0' && line.front() <= '9' &&
          fast_edge(line, line_no, edges[r.edges], r)) {
        ++r.edges;
        return true;
      }
      if (!is_edge_line(line)) return true;
      const std::size_t count = split(line, delimiter_, fields);
      if (count != expected_fields_) {
        r.error =
            Fault{line_no, 1,
                  fmt::format(
                      "{} field{} found, expected {} ({}){}", count, count == 1 ? "" : "s", expected_fields_,
                      params_.weighted ? "source, target, weight" : "source, target",
                      !params_.weighted && count == 3 ? "; set weighted: true to read a weight column" : "")};
        return false;
      }
      const auto u = node_id(fields[0], line_no, "source", r);
      if (!u) return false;
      const auto v = node_id(fields[1], line_no, "target", r);
      if (!v) return false;
      if (*u == *v) {
        r.error =
            Fault{line_no, fields[1].column,
                  fmt::format("self-loop on node '{}': diffusion models need u != v", shown(fields[0].text))};
        return false;
      }
      edges[r.edges] = {*u, *v};
      if (params_.weighted) {
        const Field& f = fields[2];
        double w = 0;
        const auto* first = f.text.data();
        const auto* last = first + f.text.size();
        const auto [ptr, ec] = std::from_chars(first, last, w);
        if (ec != std::errc() || ptr != last || !std::isfinite(w) || w <= 0.0 || w > 3.0e38) {
          weights[r.edges] = 1.0F;  // kept for the repeated-edge check only
          ++r.edges;
          r.error =
              Fault{line_no, f.column, fmt::format("weight '{}' must be a finite number > 0", shown(f.text))};
          return false;
        }
        weights[r.edges] = static_cast<float>(w);
      }
      ++r.edges;
      return true;
    });
    if (release && !r.error) release(text_offset + released, text.size() - released);
    return r;
  }

  [[nodiscard]] std::vector<std::string>& labels() { return labels_; }

 private:
  // The common line, "u<sep>v" with valid distinct integer ids and nothing else but blanks at
  // its end, read in one pass. Returns false, having changed nothing, for any other line: the
  // general path then reads it (and reports what is wrong with it).
  bool fast_edge(std::string_view line, std::size_t line_no, sim::Edge& edge, ChunkResult& r) const {
    const char* const begin = line.data();
    const char* const end = begin + line.size();
    std::uint64_t u = 0;
    std::uint64_t v = 0;
    const auto first = std::from_chars(begin, end, u);
    if (first.ec != std::errc() || first.ptr == end) return false;
    const char* p = first.ptr;
    if (delimiter_ == ' ') {
      if (!blank(*p)) return false;
      while (p != end && blank(*p)) ++p;
    } else {
      // Blanks around the delimiter belong to the fields (and are trimmed from them).
      auto padding = [this](char c) { return c != delimiter_ && (c == ' ' || c == '\t'); };
      while (p != end && padding(*p)) ++p;
      if (p == end || *p != delimiter_) return false;
      ++p;
      while (p != end && padding(*p)) ++p;
    }
    const char* const second_at = p;
    const auto second = std::from_chars(p, end, v);
    if (second.ec != std::errc()) return false;
    // Only blanks may follow, and no delimiter (a tab after the target in a .tsv starts a
    // third, empty field).
    for (p = second.ptr; p != end; ++p) {
      if (!blank(*p) || (delimiter_ != ' ' && *p == delimiter_)) return false;
    }
    const std::uint64_t limit = params_.nodes != 0 ? params_.nodes : sim::kNoAgent - 1;
    if (u >= limit || v >= limit || u == v || u >= sim::kNoAgent - 1 || v >= sim::kNoAgent - 1) return false;
    if (u >= r.max_id) {
      r.max_id = u;
      r.max_line = line_no;
      r.max_column = 1;
    }
    if (v >= r.max_id) {
      r.max_id = v;
      r.max_line = line_no;
      r.max_column = static_cast<std::size_t>(second_at - begin) + 1;
    }
    r.any_id = true;
    edge = {static_cast<AgentId>(u), static_cast<AgentId>(v)};
    return true;
  }

  std::optional<AgentId> node_id(const Field& f, std::size_t line, const char* role, ChunkResult& r) {
    if (f.text.empty()) {
      r.error = Fault{line, f.column, fmt::format("empty {} id", role)};
      return std::nullopt;
    }
    if (params_.ids == EdgeListFileParams::Ids::kLabel) {
      // Keys view the text, which outlives the parse: no string is made per lookup.
      const auto [it, inserted] = label_ids_.try_emplace(f.text, static_cast<AgentId>(labels_.size()));
      if (inserted) {
        if (labels_.size() >= sim::kNoAgent - 1) {
          r.error = Fault{line, f.column, "too many distinct node labels"};
          return std::nullopt;
        }
        labels_.emplace_back(f.text);
      }
      return it->second;
    }
    std::uint64_t v = 0;
    const auto* first = f.text.data();
    const auto* last = first + f.text.size();
    const auto [ptr, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || ptr != last) {
      r.error = Fault{line, f.column,
                      fmt::format("{} id '{}' is not a non-negative integer{}", role, shown(f.text),
                                  line == 1 && r.starts_file && !params_.header
                                      ? " (if this line is a header, set header: true)"
                                      : "")};
      return std::nullopt;
    }
    if (v >= sim::kNoAgent - 1 || (params_.nodes != 0 && v >= params_.nodes)) {
      r.error = Fault{
          line, f.column,
          fmt::format("{} id {} is out of range: must be below {}", role, v,
                      params_.nodes != 0 ? std::uint64_t{params_.nodes} : std::uint64_t{sim::kNoAgent - 1})};
      return std::nullopt;
    }
    if (v >= r.max_id) {
      r.max_id = v;
      r.max_line = line;
      r.max_column = f.column;
    }
    r.any_id = true;
    return static_cast<AgentId>(v);
  }

  std::string_view name_;
  const EdgeListFileParams& params_;
  char delimiter_;
  std::size_t expected_fields_;
  bool fast_;  // integer ids without weights: lines are tried by fast_edge first
  std::unordered_map<std::string_view, AgentId> label_ids_;
  std::vector<std::string> labels_;
};

std::uint64_t edge_key(const sim::Edge& e, bool directed) {
  const std::uint64_t a = directed ? e.source : std::min(e.source, e.target);
  const std::uint64_t b = directed ? e.target : std::max(e.source, e.target);
  return (a << 32) | b;
}

// Memory for n trivially copyable values, not initialised: pages that are never written cost
// nothing, so room for the most lines a text can hold is cheap.
template <class T>
class Slots {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  Slots() = default;
  explicit Slots(std::size_t n) : data_(n == 0 ? nullptr : static_cast<T*>(std::malloc(n * sizeof(T)))) {
    if (n != 0 && data_ == nullptr) throw std::bad_alloc();
  }
  [[nodiscard]] T* data() const noexcept { return data_.get(); }

 private:
  struct Free {
    void operator()(T* p) const noexcept { std::free(p); }
  };
  std::unique_ptr<T, Free> data_;
};

// The edges up to the first malformed line, chunk by chunk, and what is needed to report the
// errors in the order a front-to-back reader meets them.
struct Parsed {
  std::string_view rest;  // the text after the header
  std::size_t body_line = 1;
  std::vector<std::size_t> bounds;      // chunk c is rest[bounds[c], bounds[c + 1])
  std::vector<std::size_t> slot_start;  // chunk c's edges start at slots[slot_start[c]]
  std::vector<ChunkResult> results;     // chunks up to the first with a malformed line
  Slots<sim::Edge> slots;
  Slots<float> weight_slots;
  std::size_t num_edges = 0;
  std::uint64_t id_range = 0;  // one more than the largest id (labels: their number; or nodes)
  std::vector<std::string> labels;

  [[nodiscard]] std::span<const sim::Edge> edges(std::size_t c) const {
    return {slots.data() + slot_start[c], results[c].edges};
  }
  [[nodiscard]] std::span<const float> weights(std::size_t c) const {
    if (weight_slots.data() == nullptr) return {};
    return {weight_slots.data() + slot_start[c], results[c].edges};
  }
  [[nodiscard]] std::string_view chunk_text(std::size_t c) const {
    return rest.substr(bounds[c], bounds[c + 1] - bounds[c]);
  }
  // The file's line number of line `line` of chunk c (lines before it counted only now: they
  // are needed only for messages).
  [[nodiscard]] std::size_t file_line(std::size_t c, std::size_t line) const {
    if (c == 0) return line;
    return body_line +
           static_cast<std::size_t>(
               std::count(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(bounds[c]), '\n')) +
           line - 1;
  }
  template <class Visit>
  void for_each_edge(Visit&& visit) const {
    for (std::size_t c = 0; c < results.size(); ++c) {
      for (const sim::Edge& e : edges(c)) visit(e);
    }
  }
};

Parsed parse_lines(std::string_view text, Parser& parser, const EdgeListFileParams& params,
                   const EdgeListRelease& release) {
  Parsed p;
  // The header is the first line that is neither blank nor a comment; the edges start after it.
  std::size_t body = 0;
  if (params.header) {
    for_each_line(text, 1, [&](std::string_view line, std::size_t line_no) {
      if (!is_edge_line(line)) return true;
      body = static_cast<std::size_t>(line.data() - text.data()) + line.size() + 1;
      p.body_line = line_no + 1;
      return false;
    });
    body = std::min(body, text.size());
  }
  p.rest = text.substr(body);
  const std::string_view rest = p.rest;

  // Chunks end just after a '\n'. Labels are numbered in order of appearance: one chunk.
  p.bounds.push_back(0);
  if (params.ids == EdgeListFileParams::Ids::kInteger && rest.size() >= 2 * kMinChunkBytes) {
    const std::size_t chunks = std::min<std::size_t>(rest.size() / kMinChunkBytes, 256);
    for (std::size_t c = 1; c < chunks; ++c) {
      const std::size_t cut = rest.find('\n', std::max(p.bounds.back(), rest.size() / chunks * c));
      if (cut == std::string_view::npos) break;
      if (cut + 1 > p.bounds.back()) p.bounds.push_back(cut + 1);
    }
  }
  p.bounds.push_back(rest.size());
  const std::size_t num_chunks = p.bounds.size() - 1;

  // Each chunk gets room for as many edges as it can have lines of at least four bytes ("0 1"
  // and its newline), plus one; the room it does not use is never touched.
  p.slot_start.resize(num_chunks + 1, 0);
  for (std::size_t c = 0; c < num_chunks; ++c) {
    p.slot_start[c + 1] = p.slot_start[c] + (p.bounds[c + 1] - p.bounds[c]) / 4 + 1;
  }
  p.slots = Slots<sim::Edge>(p.slot_start.back());
  if (params.weighted) p.weight_slots = Slots<float>(p.slot_start.back());

  p.results.resize(num_chunks);
  auto parse_chunk = [&](std::size_t c) {
    p.results[c] = parser.parse(p.chunk_text(c), c == 0 ? p.body_line : 1, c == 0 && p.body_line == 1,
                                p.slots.data() + p.slot_start[c],
                                params.weighted ? p.weight_slots.data() + p.slot_start[c] : nullptr, release,
                                body + p.bounds[c]);
  };
  if (num_chunks == 1) {
    parse_chunk(0);
  } else {
    tbb::parallel_for(std::size_t{0}, num_chunks, parse_chunk);
  }
  // Chunks after the first malformed line do not count.
  for (std::size_t c = 0; c < num_chunks; ++c) {
    if (p.results[c].error) {
      p.results.resize(c + 1);
      break;
    }
  }
  bool any_id = false;
  std::uint64_t max_id = 0;
  for (const ChunkResult& r : p.results) {
    p.num_edges += r.edges;
    if (r.any_id) max_id = any_id ? std::max(max_id, r.max_id) : r.max_id;
    any_id = any_id || r.any_id;
  }
  if (params.ids == EdgeListFileParams::Ids::kLabel) {
    p.labels = std::move(parser.labels());
    p.id_range = p.labels.size();
  } else {
    p.id_range = params.nodes != 0 ? std::uint64_t{params.nodes} : (any_id ? max_id + 1 : 0);
  }
  return p;
}

// True when some edge is listed twice, by sorting the edges' keys (8 bytes per edge). Used when
// the ids leave most nodes without edges; otherwise the rows of the layer built from the edges
// tell.
bool has_repeated_edge(const Parsed& p, bool directed) {
  std::vector<std::uint64_t> keys;
  keys.reserve(p.num_edges);
  p.for_each_edge([&](const sim::Edge& e) { keys.push_back(edge_key(e, directed)); });
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
}

// The message for the first edge, in file order, that repeats an earlier one. Precondition:
// there is one.
std::string repeat_message(const Parsed& p, const Parser& parser, std::string_view source_name,
                           const EdgeListFileParams& params) {
  const bool directed = params.directed;
  std::unordered_set<std::uint64_t> seen;
  for (std::size_t c = 0; c < p.results.size(); ++c) {
    const auto edges = p.edges(c);
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if (seen.insert(edge_key(edges[i], directed)).second) continue;
      // Edge i of chunk c: find its line.
      std::size_t count = 0;
      std::string what;
      for_each_line(p.chunk_text(c), 1, [&](std::string_view line, std::size_t line_no) {
        if (!is_edge_line(line)) return true;
        if (count++ < i) return true;
        Fields fields{};
        split(line, delimiter_for(params, source_name), fields);
        what = parser.message(
            p.file_line(c, c == 0 ? p.body_line + line_no - 1 : line_no), fields[0].column,
            fmt::format("edge {} - {} is listed twice{}", shown(fields[0].text), shown(fields[1].text),
                        directed ? "" : " (in an undirected graph u-v and v-u are the same edge)"));
        return false;
      });
      return what;
    }
  }
  return "";
}

// Throws the first error in file order. `repeated` says whether the edges have a repeat; it
// is asked only when the ids number the nodes densely enough for a layer of id_range nodes.
template <class Repeated>
void check(const Parsed& p, const Parser& parser, std::string_view source_name,
           const EdgeListFileParams& params, Repeated&& repeated) {
  const std::size_t m = p.num_edges;
  const bool dense = p.id_range <= 4 * std::uint64_t{m} + 1024;
  // A repeated edge before the first malformed line is met first.
  if (m >= 2 && (dense ? repeated() : has_repeated_edge(p, params.directed))) {
    throw DataError(repeat_message(p, parser, source_name, params));
  }
  const std::size_t last = p.results.size() - 1;
  if (const auto& fault = p.results[last].error) {
    throw DataError(parser.message(p.file_line(last, fault->line), fault->column, fault->what));
  }
  if (params.ids == EdgeListFileParams::Ids::kInteger && params.nodes == 0 && p.id_range > 0) {
    // Ids number the nodes 0 .. n-1: a graph of n nodes is made however few of them the edges
    // name. Ids far beyond what the edges can name are a mistake (or labels): refused at their
    // line (its last appearance) before memory is spent on billions of empty nodes.
    const std::uint64_t max_id = p.id_range - 1;
    if (max_id + 1 > 16 * (2 * std::uint64_t{m}) + 1024) {
      std::size_t c = last + 1;
      while (c-- > 0 && !(p.results[c].any_id && p.results[c].max_id == max_id)) {
      }
      throw DataError(parser.message(
          p.file_line(c, p.results[c].max_line), p.results[c].max_column,
          fmt::format("node id {} would make a graph of {} nodes for {} edges: integer ids must number the "
                      "nodes from 0 without large gaps (use ids: label for other names, or give nodes: N)",
                      max_id, max_id + 1, m)));
    }
  }
  if (p.id_range == 0) {
    throw DataError(fmt::format("{}: the edge list has no edges (and no node count was given)", source_name));
  }
}

// The layer of an unweighted edge list, built here rather than by sim::CsrLayer::from_edges:
// a counting sort over the chunks (no edge vector), rows sorted in parallel, and a repeated
// edge seen as two equal neighbours side by side in a sorted row. The arrays are those
// from_edges makes (offsets by degree, rows sorted). Sets `repeated`.
sim::CsrLayer unweighted_layer(const Parsed& p, bool directed, bool& repeated) {
  const std::uint64_t n = p.id_range;
  std::vector<sim::EdgeIndex> offsets(n + 1, 0);
  p.for_each_edge([&](const sim::Edge& e) {
    ++offsets[e.source + 1];
    if (!directed) ++offsets[e.target + 1];
  });
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  std::vector<AgentId> targets(offsets.back());
  {
    std::vector<sim::EdgeIndex> next(offsets.begin(), offsets.end() - 1);
    p.for_each_edge([&](const sim::Edge& e) {
      targets[next[e.source]++] = e.target;
      if (!directed) targets[next[e.target]++] = e.source;
    });
  }
  std::atomic<bool> repeat{false};
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 4096),
                    [&](const tbb::blocked_range<std::uint64_t>& rows) {
                      for (std::uint64_t v = rows.begin(); v != rows.end(); ++v) {
                        const auto first = targets.begin() + static_cast<std::ptrdiff_t>(offsets[v]);
                        const auto last = targets.begin() + static_cast<std::ptrdiff_t>(offsets[v + 1]);
                        std::sort(first, last);
                        if (std::adjacent_find(first, last) != last)
                          repeat.store(true, std::memory_order_relaxed);
                      }
                    });
  repeated = repeat.load();
  return sim::CsrLayer::from_arrays(
      directed ? sim::EdgeDirection::kDirected : sim::EdgeDirection::kUndirected, std::move(offsets),
      std::move(targets), {});
}

EdgeList edge_list_of(Parsed& p, const EdgeListFileParams& params) {
  EdgeList out;
  out.direction = params.directed ? sim::EdgeDirection::kDirected : sim::EdgeDirection::kUndirected;
  out.edges.reserve(p.num_edges);
  if (params.weighted) out.weights.reserve(p.num_edges);
  for (std::size_t c = 0; c < p.results.size(); ++c) {
    const auto edges = p.edges(c);
    out.edges.insert(out.edges.end(), edges.begin(), edges.end());
    const auto weights = p.weights(c);
    out.weights.insert(out.weights.end(), weights.begin(), weights.end());
  }
  out.num_nodes = static_cast<AgentId>(p.id_range);
  return out;
}

}  // namespace

EdgeList parse_edge_list(std::string_view text, std::string_view source_name,
                         const EdgeListFileParams& params, const EdgeListRelease& release) {
  Parser parser(source_name, params);
  Parsed p = parse_lines(text, parser, params, release);
  EdgeList list = edge_list_of(p, params);
  check(p, parser, source_name, params, [&] {
    return !sim::CsrLayer::from_edges(list.num_nodes, list.edges, list.direction, list.weights).is_simple();
  });
  list.labels = std::move(p.labels);
  return list;
}

EdgeListGraph load_edge_list_graph(const EdgeListFileParams& params) {
  params.validate();
  Parser parser(params.path, params);
  // The text stays mapped (error messages quote it) but its pages are handed back as the
  // chunks are parsed, so it takes no memory while the layer is built.
  const sim::FileBuffer file(params.path, "edge list file");
  Parsed p = parse_lines(file.text(), parser, params,
                         [&file](std::size_t offset, std::size_t length) { file.release(offset, length); });
  std::optional<sim::CsrLayer> layer;
  auto build = [&] {
    if (params.weighted) {
      const EdgeList list = edge_list_of(p, params);
      layer = sim::CsrLayer::from_edges(list.num_nodes, list.edges, list.direction, list.weights);
      return !layer->is_simple();
    }
    bool repeated = false;
    layer = unweighted_layer(p, params.directed, repeated);
    return repeated;
  };
  // The layer is built once: its sorted rows show repeated edges.
  check(p, parser, params.path, params, build);
  if (!layer) build();
  EdgeListGraph graph;
  graph.layer = std::make_shared<const sim::CsrLayer>(std::move(*layer));
  graph.labels = std::move(p.labels);
  return graph;
}

EdgeList load_edge_list(const EdgeListFileParams& params) {
  params.validate();
  const sim::FileBuffer file(params.path, "edge list file");
  return parse_edge_list(file.text(), params.path, params,
                         [&file](std::size_t offset, std::size_t length) { file.release(offset, length); });
}

}  // namespace innosim::models
