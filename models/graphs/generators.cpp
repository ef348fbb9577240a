// Random graph generators. See generators.hpp for the models and their references.
#include "models/graphs/generators.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "sim/distributions.hpp"
#include "sim/error.hpp"

namespace innosim::models {
namespace {

using sim::AgentId;
using sim::Edge;
using sim::ParamError;
using sim::Purpose;
using sim::RngStream;

// Largest node count a generator accepts: AgentId space minus the sentinel, and well above
// what fits in memory with any edges at all.
constexpr double kMaxNodes = 2.0e9;

template <class T>
void require(bool ok, const std::string& key, T value, const std::string& expected) {
  if (!ok) {
    throw ParamError(key, fmt::format("{} = {}, {}", key, value, expected));
  }
}

void require_probability(const std::string& key, double p) {
  require(std::isfinite(p) && p >= 0.0 && p <= 1.0, key, p, "must be a probability in [0, 1]");
}

// Generates rows in parallel: count(u) returns how many edges row u holds, fill(u, out) writes
// exactly that many. Both must draw the same numbers (they re-create the row's stream), so the
// edge list is assembled without per-row buffers and in row order.
template <class Count, class Fill>
std::vector<Edge> edges_by_rows(AgentId n, Count&& count, Fill&& fill) {
  std::vector<std::uint64_t> start(std::size_t{n} + 1, 0);
  tbb::parallel_for(tbb::blocked_range<AgentId>(0, n, 256), [&](const auto& r) {
    for (AgentId u = r.begin(); u != r.end(); ++u) {
      start[u + 1] = count(u);
    }
  });
  for (AgentId u = 0; u < n; ++u) {
    start[u + 1] += start[u];
  }
  std::vector<Edge> edges(start[n]);
  tbb::parallel_for(tbb::blocked_range<AgentId>(0, n, 256), [&](const auto& r) {
    for (AgentId u = r.begin(); u != r.end(); ++u) {
      fill(u, edges.data() + start[u]);
    }
  });
  return edges;
}

// Visits the positions in [begin, end) kept by independent Bernoulli(p) trials, by skipping
// geometric gaps: O(1 + kept) draws instead of end - begin.
template <class Visit>
void bernoulli_positions(RngStream& rng, std::uint64_t begin, std::uint64_t end, double p, Visit&& visit) {
  if (p <= 0.0 || begin >= end) {
    return;
  }
  std::uint64_t x = begin + sim::geometric_failures(rng, p);
  while (x < end) {
    visit(x);
    x += 1 + sim::geometric_failures(rng, p);
  }
}

}  // namespace

// ---- validation -------------------------------------------------------------------------------

void ErdosRenyiGnpParams::validate() const {
  require(nodes >= 1 && nodes <= kMaxNodes, "graph.nodes", nodes, "must be in [1, 2e9]");
  require_probability("graph.edge_probability", edge_probability);
}

void ErdosRenyiGnmParams::validate() const {
  require(nodes >= 1 && nodes <= kMaxNodes, "graph.nodes", nodes, "must be in [1, 2e9]");
  const double n = nodes;
  const double pairs = directed ? n * (n - 1) : n * (n - 1) / 2;
  require(static_cast<double>(edges) <= pairs, "graph.edges", edges,
          fmt::format("must be at most the {:.0f} possible {}", pairs, directed ? "ordered pairs" : "pairs"));
}

void BarabasiAlbertParams::validate() const {
  require(nodes >= 2 && nodes <= kMaxNodes, "graph.nodes", nodes, "must be in [2, 2e9]");
  require(edges_per_node >= 1 && edges_per_node < nodes, "graph.edges_per_node", edges_per_node,
          "must be at least 1 and less than graph.nodes");
}

void WattsStrogatzParams::validate() const {
  require(nodes >= 3 && nodes <= kMaxNodes, "graph.nodes", nodes, "must be in [3, 2e9]");
  require(neighbours >= 2 && neighbours % 2 == 0 && neighbours < nodes, "graph.neighbours", neighbours,
          "must be an even number, at least 2 and less than graph.nodes");
  require_probability("graph.rewire_probability", rewire_probability);
}

void StochasticBlockParams::validate() const {
  require(!block_sizes.empty(), "graph.block_sizes", "[]", "must list at least one block");
  double total = 0;
  for (std::size_t a = 0; a < block_sizes.size(); ++a) {
    require(block_sizes[a] >= 1, fmt::format("graph.block_sizes[{}]", a), block_sizes[a],
            "must be at least 1");
    total += block_sizes[a];
  }
  require(total <= kMaxNodes, "graph.block_sizes", fmt::format("(total {:.0f})", total),
          "must add up to at most 2e9 nodes");
  require(edge_probabilities.size() == block_sizes.size(), "graph.edge_probabilities",
          fmt::format("({} rows)", edge_probabilities.size()),
          fmt::format("must be a {0} x {0} matrix, one row per block", block_sizes.size()));
  for (std::size_t a = 0; a < edge_probabilities.size(); ++a) {
    require(edge_probabilities[a].size() == block_sizes.size(),
            fmt::format("graph.edge_probabilities[{}]", a),
            fmt::format("({} entries)", edge_probabilities[a].size()),
            fmt::format("must have {} entries, one per block", block_sizes.size()));
    for (std::size_t b = 0; b < edge_probabilities[a].size(); ++b) {
      require_probability(fmt::format("graph.edge_probabilities[{}][{}]", a, b), edge_probabilities[a][b]);
      if (!directed) {
        require(edge_probabilities[a][b] == edge_probabilities[b][a],
                fmt::format("graph.edge_probabilities[{}][{}]", a, b), edge_probabilities[a][b],
                fmt::format("must equal graph.edge_probabilities[{}][{}] = {} in an undirected "
                            "graph (or set directed: true)",
                            b, a, edge_probabilities[b][a]));
      }
    }
  }
}

void RandomGeometricParams::validate() const {
  require(nodes >= 1 && nodes <= kMaxNodes, "graph.nodes", nodes, "must be in [1, 2e9]");
  require(std::isfinite(radius) && radius > 0.0 && radius <= 1.5, "graph.radius", radius,
          "must be in (0, 1.5] (the unit square's diagonal is 1.414)");
}

void CompleteGraphParams::validate() const {
  require(nodes >= 1 && nodes <= kMaxNodes, "graph.nodes", nodes, "must be in [1, 2e9]");
}

void EdgeListFileParams::validate() const {
  require(!path.empty(), "graph.path", "\"\"", "must name an edge list file");
  require(ids == Ids::kInteger || nodes == 0, "graph.nodes", nodes,
          "can only be given with integer ids (labels define their own node count)");
}

const char* graph_type_name(const GraphParams& params) {
  struct Name {
    const char* operator()(const ErdosRenyiGnpParams&) const { return "erdos_renyi_gnp"; }
    const char* operator()(const ErdosRenyiGnmParams&) const { return "erdos_renyi_gnm"; }
    const char* operator()(const BarabasiAlbertParams&) const { return "barabasi_albert"; }
    const char* operator()(const WattsStrogatzParams&) const { return "watts_strogatz"; }
    const char* operator()(const StochasticBlockParams&) const { return "stochastic_block"; }
    const char* operator()(const RandomGeometricParams&) const { return "random_geometric"; }
    const char* operator()(const CompleteGraphParams&) const { return "complete"; }
    const char* operator()(const EdgeListFileParams&) const { return "edge_list"; }
  };
  return std::visit(Name{}, params);
}

namespace {
struct PlannedNodes {
  AgentId operator()(const StochasticBlockParams& p) const {
    std::uint64_t total = 0;
    for (const AgentId s : p.block_sizes) total += s;
    return static_cast<AgentId>(std::min<std::uint64_t>(total, sim::kNoAgent));
  }
  template <class P>
  AgentId operator()(const P& p) const {
    return p.nodes;
  }
};
}  // namespace

sim::AgentId planned_nodes(const GraphParams& params) {
  return std::visit(PlannedNodes{}, params);
}

double expected_arcs(const GraphParams& params) {
  struct Arcs {
    double operator()(const ErdosRenyiGnpParams& p) const {
      const double n = p.nodes;
      return n * (n - 1) * p.edge_probability;
    }
    double operator()(const ErdosRenyiGnmParams& p) const {
      return static_cast<double>(p.edges) * (p.directed ? 1 : 2);
    }
    double operator()(const BarabasiAlbertParams& p) const { return 2.0 * p.nodes * p.edges_per_node; }
    double operator()(const WattsStrogatzParams& p) const {
      return static_cast<double>(p.nodes) * p.neighbours;
    }
    double operator()(const StochasticBlockParams& p) const {
      double arcs = 0;
      for (std::size_t a = 0; a < p.block_sizes.size(); ++a) {
        for (std::size_t b = 0; b < p.block_sizes.size(); ++b) {
          if (a < p.edge_probabilities.size() && b < p.edge_probabilities[a].size()) {
            arcs += static_cast<double>(p.block_sizes[a]) * static_cast<double>(p.block_sizes[b]) *
                    p.edge_probabilities[a][b];
          }
        }
      }
      return arcs;
    }
    double operator()(const RandomGeometricParams& p) const {
      const double n = p.nodes;
      return n * (n - 1) * std::min(1.0, M_PI * p.radius * p.radius);
    }
    double operator()(const CompleteGraphParams&) const { return 0; }  // implicit
    double operator()(const EdgeListFileParams&) const { return 0; }   // bounded by the file
  };
  return std::visit(Arcs{}, params);
}

// ---- Erdős–Rényi ---------------------------------------------------------------------------

EdgeList generate_erdos_renyi_gnp(const ErdosRenyiGnpParams& p, const sim::RngKey& key) {
  p.validate();
  const AgentId n = p.nodes;
  EdgeList out;
  out.num_nodes = n;
  out.direction = p.directed ? sim::EdgeDirection::kDirected : sim::EdgeDirection::kUndirected;
  // Row u holds the pairs (u, v) with v > u (undirected) or v != u (directed), in order.
  auto row = [&](AgentId u, auto&& visit) {
    RngStream rng = key.stream(Purpose::kGraph, 0, u);
    if (p.directed) {
      bernoulli_positions(rng, 0, n - 1, p.edge_probability,
                          [&](std::uint64_t j) { visit(static_cast<AgentId>(j < u ? j : j + 1)); });
    } else {
      bernoulli_positions(rng, std::uint64_t{u} + 1, n, p.edge_probability,
                          [&](std::uint64_t v) { visit(static_cast<AgentId>(v)); });
    }
  };
  out.edges = edges_by_rows(
      n,
      [&](AgentId u) {
        std::uint64_t c = 0;
        row(u, [&](AgentId) { ++c; });
        return c;
      },
      [&](AgentId u, Edge* dst) { row(u, [&](AgentId v) {
                                    *dst++ = {u, v};
                                  }); });
  return out;
}

EdgeList generate_erdos_renyi_gnm(const ErdosRenyiGnmParams& p, const sim::RngKey& key) {
  p.validate();
  const std::uint64_t n = p.nodes;
  const std::uint64_t pairs = p.directed ? n * (n - 1) : n * (n - 1) / 2;
  RngStream rng = key.stream(Purpose::kGraph, 0, 0);
  const std::vector<std::uint64_t> chosen = sim::sample_without_replacement(rng, pairs, p.edges);
  EdgeList out;
  out.num_nodes = p.nodes;
  out.direction = p.directed ? sim::EdgeDirection::kDirected : sim::EdgeDirection::kUndirected;
  out.edges.reserve(chosen.size());
  // Pairs are numbered row by row: row u of the upper triangle starts at u(2n - u - 1)/2.
  auto row_start = [n](std::uint64_t u) { return u * (2 * n - u - 1) / 2; };
  for (const std::uint64_t i : chosen) {
    if (p.directed) {
      const std::uint64_t u = i / (n - 1);
      const std::uint64_t j = i % (n - 1);
      out.edges.push_back({static_cast<AgentId>(u), static_cast<AgentId>(j < u ? j : j + 1)});
    } else {
      std::uint64_t lo = 0;
      std::uint64_t hi = n - 1;  // row_start(lo) <= i < row_start(hi)
      while (hi - lo > 1) {
        const std::uint64_t mid = lo + (hi - lo) / 2;
        (row_start(mid) <= i ? lo : hi) = mid;
      }
      const std::uint64_t v = lo + 1 + (i - row_start(lo));
      out.edges.push_back({static_cast<AgentId>(lo), static_cast<AgentId>(v)});
    }
  }
  return out;
}

// ---- Barabási–Albert -----------------------------------------------------------------------

EdgeList generate_barabasi_albert(const BarabasiAlbertParams& p, const sim::RngKey& key) {
  p.validate();
  const AgentId n = p.nodes;
  const AgentId m = p.edges_per_node;
  EdgeList out;
  out.num_nodes = n;
  const std::uint64_t seed_edges = std::uint64_t{m} * (m + 1) / 2;
  const std::uint64_t total = seed_edges + std::uint64_t{n - m - 1} * m;
  out.edges.resize(total);
  std::uint64_t filled = 0;
  for (AgentId u = 0; u <= m; ++u) {
    for (AgentId v = u + 1; v <= m; ++v) {
      out.edges[filled++] = {u, v};
    }
  }
  // The edge list doubles as the urn of endpoints: node x appears degree(x) times in it, so a
  // uniform endpoint is a degree-proportional node.
  static_assert(sizeof(Edge) == 2 * sizeof(AgentId));
  std::vector<AgentId> chosen(m);
  for (AgentId v = m + 1; v < n; ++v) {
    RngStream rng = key.stream(Purpose::kGraph, 0, v);
    const std::uint64_t endpoints = 2 * filled;
    for (AgentId k = 0; k < m; ++k) {
      AgentId target = 0;
      do {
        const std::uint64_t pick = sim::uniform_index(rng, endpoints);
        const Edge& e = out.edges[pick / 2];
        target = pick % 2 == 0 ? e.source : e.target;
      } while (std::find(chosen.begin(), chosen.begin() + k, target) != chosen.begin() + k);
      chosen[k] = target;
    }
    for (AgentId k = 0; k < m; ++k) {
      out.edges[filled++] = {chosen[k], v};
    }
  }
  return out;
}

// ---- Watts–Strogatz ------------------------------------------------------------------------

EdgeList generate_watts_strogatz(const WattsStrogatzParams& p, const sim::RngKey& key) {
  p.validate();
  const std::uint64_t n = p.nodes;
  const std::uint32_t half = p.neighbours / 2;
  auto key_of = [n](std::uint64_t a, std::uint64_t b) { return a < b ? a * n + b : b * n + a; };
  std::unordered_set<std::uint64_t> present;
  present.reserve(n * half * 2);
  std::vector<std::uint64_t> degree(n, std::uint64_t{2} * half);
  for (std::uint64_t u = 0; u < n; ++u) {
    for (std::uint32_t j = 1; j <= half; ++j) {
      present.insert(key_of(u, (u + j) % n));
    }
  }
  for (std::uint32_t j = 1; j <= half; ++j) {
    for (std::uint64_t u = 0; u < n; ++u) {
      RngStream rng = key.stream(Purpose::kGraph, j, static_cast<AgentId>(u));
      const std::uint64_t v = (u + j) % n;
      if (!(rng.next_double() < p.rewire_probability) || degree[u] >= n - 1 ||
          !present.contains(key_of(u, v))) {
        continue;
      }
      std::uint64_t w = 0;
      do {
        w = sim::uniform_index(rng, n);
      } while (w == u || present.contains(key_of(u, w)));
      present.erase(key_of(u, v));
      present.insert(key_of(u, w));
      --degree[v];
      ++degree[w];
    }
  }
  EdgeList out;
  out.num_nodes = p.nodes;
  std::vector<std::uint64_t> keys(present.begin(), present.end());
  std::sort(keys.begin(), keys.end());
  out.edges.reserve(keys.size());
  for (const std::uint64_t k : keys) {
    out.edges.push_back({static_cast<AgentId>(k / n), static_cast<AgentId>(k % n)});
  }
  return out;
}

// ---- stochastic block model ----------------------------------------------------------------

EdgeList generate_stochastic_block(const StochasticBlockParams& p, const sim::RngKey& key) {
  p.validate();
  const std::size_t blocks = p.block_sizes.size();
  std::vector<std::uint64_t> block_start(blocks + 1, 0);
  for (std::size_t b = 0; b < blocks; ++b) {
    block_start[b + 1] = block_start[b] + p.block_sizes[b];
  }
  const auto n = static_cast<AgentId>(block_start[blocks]);
  std::vector<std::uint32_t> block_of(n);
  for (std::size_t b = 0; b < blocks; ++b) {
    std::fill(block_of.begin() + static_cast<std::ptrdiff_t>(block_start[b]),
              block_of.begin() + static_cast<std::ptrdiff_t>(block_start[b + 1]),
              static_cast<std::uint32_t>(b));
  }
  auto row = [&](AgentId u, auto&& visit) {
    const std::uint32_t a = block_of[u];
    for (std::uint32_t b = p.directed ? 0 : a; b < blocks; ++b) {
      RngStream rng = key.stream(Purpose::kGraph, b, u);
      const double prob = p.edge_probabilities[a][b];
      if (p.directed) {
        bernoulli_positions(rng, block_start[b], block_start[b + 1], prob, [&](std::uint64_t v) {
          if (v != u) visit(static_cast<AgentId>(v));
        });
      } else {
        const std::uint64_t lo = b == a ? std::uint64_t{u} + 1 : block_start[b];
        bernoulli_positions(rng, lo, block_start[b + 1], prob,
                            [&](std::uint64_t v) { visit(static_cast<AgentId>(v)); });
      }
    }
  };
  EdgeList out;
  out.num_nodes = n;
  out.direction = p.directed ? sim::EdgeDirection::kDirected : sim::EdgeDirection::kUndirected;
  out.edges = edges_by_rows(
      n,
      [&](AgentId u) {
        std::uint64_t c = 0;
        row(u, [&](AgentId) { ++c; });
        return c;
      },
      [&](AgentId u, Edge* dst) { row(u, [&](AgentId v) {
                                    *dst++ = {u, v};
                                  }); });
  return out;
}

// ---- random geometric graph ----------------------------------------------------------------

EdgeList generate_random_geometric(const RandomGeometricParams& p, const sim::RngKey& key) {
  p.validate();
  const AgentId n = p.nodes;
  std::vector<double> x(n);
  std::vector<double> y(n);
  tbb::parallel_for(tbb::blocked_range<AgentId>(0, n, 4096), [&](const auto& r) {
    for (AgentId u = r.begin(); u != r.end(); ++u) {
      RngStream rng = key.stream(Purpose::kGraph, 0, u);
      x[u] = rng.next_double();
      y[u] = rng.next_double();
    }
  });
  // Cells of side >= radius: neighbours lie in the 3 x 3 block of cells around a node.
  const auto cells_per_side = static_cast<std::uint32_t>(std::clamp(
      std::floor(1.0 / p.radius), 1.0, std::max(1.0, std::floor(std::sqrt(static_cast<double>(n))))));
  auto cell_of = [&](AgentId u) {
    const auto cx = std::min(cells_per_side - 1, static_cast<std::uint32_t>(x[u] * cells_per_side));
    const auto cy = std::min(cells_per_side - 1, static_cast<std::uint32_t>(y[u] * cells_per_side));
    return std::uint64_t{cy} * cells_per_side + cx;
  };
  const std::uint64_t num_cells = std::uint64_t{cells_per_side} * cells_per_side;
  std::vector<std::uint64_t> cell_start(num_cells + 1, 0);
  for (AgentId u = 0; u < n; ++u) {
    ++cell_start[cell_of(u) + 1];
  }
  for (std::uint64_t c = 0; c < num_cells; ++c) {
    cell_start[c + 1] += cell_start[c];
  }
  std::vector<AgentId> cell_members(n);
  {
    std::vector<std::uint64_t> fill(cell_start.begin(), cell_start.end() - 1);
    for (AgentId u = 0; u < n; ++u) {
      cell_members[fill[cell_of(u)]++] = u;  // members in increasing id within each cell
    }
  }
  const double r2 = p.radius * p.radius;
  auto row = [&](AgentId u, auto&& visit) {
    const auto c = cell_of(u);
    const auto cx = static_cast<std::int64_t>(c % cells_per_side);
    const auto cy = static_cast<std::int64_t>(c / cells_per_side);
    const auto side = static_cast<std::int64_t>(cells_per_side);
    // Distinct neighbouring cells (with a torus of fewer than 3 cells per side, wrapping
    // would visit a cell twice).
    std::uint64_t seen[9];
    int num_seen = 0;
    for (std::int64_t dy = -1; dy <= 1; ++dy) {
      for (std::int64_t dx = -1; dx <= 1; ++dx) {
        std::int64_t nx = cx + dx;
        std::int64_t ny = cy + dy;
        if (p.torus) {
          nx = (nx + side) % side;
          ny = (ny + side) % side;
        } else if (nx < 0 || ny < 0 || nx >= side || ny >= side) {
          continue;
        }
        const auto cell = static_cast<std::uint64_t>(ny * side + nx);
        if (std::find(seen, seen + num_seen, cell) != seen + num_seen) {
          continue;
        }
        seen[num_seen++] = cell;
      }
    }
    // Insertion sort of at most nine cells (std::sort here trips GCC 12's -Warray-bounds).
    for (int i = 1; i < num_seen; ++i) {
      for (int j = i; j > 0 && seen[j - 1] > seen[j]; --j) std::swap(seen[j - 1], seen[j]);
    }
    // Collect in increasing v: merge is unnecessary because the CSR build sorts rows; the
    // edge list order only has to be deterministic, which cell order and id order make it.
    for (int s = 0; s < num_seen; ++s) {
      for (std::uint64_t i = cell_start[seen[s]]; i < cell_start[seen[s] + 1]; ++i) {
        const AgentId v = cell_members[i];
        if (v <= u) {
          continue;
        }
        double ddx = std::abs(x[u] - x[v]);
        double ddy = std::abs(y[u] - y[v]);
        if (p.torus) {
          ddx = std::min(ddx, 1.0 - ddx);
          ddy = std::min(ddy, 1.0 - ddy);
        }
        if (ddx * ddx + ddy * ddy <= r2) {
          visit(v);
        }
      }
    }
  };
  EdgeList out;
  out.num_nodes = n;
  out.edges = edges_by_rows(
      n,
      [&](AgentId u) {
        std::uint64_t c = 0;
        row(u, [&](AgentId) { ++c; });
        return c;
      },
      [&](AgentId u, Edge* dst) { row(u, [&](AgentId v) {
                                    *dst++ = {u, v};
                                  }); });
  return out;
}

}  // namespace innosim::models
